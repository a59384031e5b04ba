// SPDX-License-Identifier: MIT
/*
 * The steps of the TDX initialisation as a plan ran them (plan -v): each
 * step's kind, whether it failed, its numbers and one line saying what it
 * did, recorded right after the step from what it left in the plan.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "confmem/names.h"
#include "tdx_internal.h"

static const char *const step_names[CM_TDX_NR_STEP_KINDS] = {
	[CM_TDX_STEP_CMRS] = "cmrs",
	[CM_TDX_STEP_MEMLIST] = "memlist",
	[CM_TDX_STEP_CONVERTIBLE] = "convertible",
	[CM_TDX_STEP_TDMRS] = "tdmrs",
	[CM_TDX_STEP_PAMT] = "pamt",
	[CM_TDX_STEP_RESERVED] = "reserved",
	[CM_TDX_STEP_CONFIG] = "config",
	[CM_TDX_STEP_KEY_CONFIG] = "key_config",
	[CM_TDX_STEP_TDMR_INIT] = "tdmr_init",
};

static const char *const outcome_names[CM_TDX_NR_STEP_OUTCOMES] = {
	[CM_TDX_STEP_DONE] = "done",
	[CM_TDX_STEP_FAILED] = "failed",
};

/* The numbers of each kind of step, in the order of cm_tdx_step.values. */
static const struct cm_tdx_step_value step_values[CM_TDX_NR_STEP_KINDS][CM_TDX_STEP_NR_VALUES] = {
	[CM_TDX_STEP_CMRS] = { { "nr_cmrs", CM_TDX_STEP_COUNT }, { "bytes", CM_TDX_STEP_BYTES } },
	[CM_TDX_STEP_MEMLIST] = { { "nr_regions", CM_TDX_STEP_COUNT }, { "bytes", CM_TDX_STEP_BYTES } },
	[CM_TDX_STEP_CONVERTIBLE] = { { "nr_regions", CM_TDX_STEP_COUNT }, { "bytes", CM_TDX_STEP_BYTES },
				      { "nr_excluded", CM_TDX_STEP_COUNT }, { "excluded_bytes", CM_TDX_STEP_BYTES } },
	[CM_TDX_STEP_TDMRS] = { { "nr_tdmrs", CM_TDX_STEP_COUNT }, { "max_tdmrs", CM_TDX_STEP_COUNT },
				{ "nr_regions_uncovered", CM_TDX_STEP_COUNT },
				{ "uncovered_bytes", CM_TDX_STEP_BYTES } },
	[CM_TDX_STEP_PAMT] = { { "nr_blocks", CM_TDX_STEP_COUNT }, { "bytes", CM_TDX_STEP_BYTES },
			       { "nr_nodes", CM_TDX_STEP_COUNT } },
	[CM_TDX_STEP_RESERVED] = { { "nr_reserved", CM_TDX_STEP_COUNT },
				   { "max_reserved_per_tdmr", CM_TDX_STEP_COUNT },
				   { "most_reserved", CM_TDX_STEP_COUNT }, { "nr_tdmrs_reached", CM_TDX_STEP_COUNT } },
	[CM_TDX_STEP_CONFIG] = { { "nr_tdmrs", CM_TDX_STEP_COUNT } },
	[CM_TDX_STEP_KEY_CONFIG] = { { "nr_calls", CM_TDX_STEP_COUNT } },
	[CM_TDX_STEP_TDMR_INIT] = { { "nr_calls", CM_TDX_STEP_COUNT }, { "bytes", CM_TDX_STEP_BYTES } },
};

const char *cm_tdx_step_kind_name(enum cm_tdx_step_kind k)
{
	return cm_name_of(step_names, CM_TDX_NR_STEP_KINDS, k);
}

const char *cm_tdx_step_outcome_name(enum cm_tdx_step_outcome o)
{
	return cm_name_of(outcome_names, CM_TDX_NR_STEP_OUTCOMES, o);
}

const struct cm_tdx_step_value *cm_tdx_step_values(enum cm_tdx_step_kind k)
{
	return (unsigned int)k < CM_TDX_NR_STEP_KINDS ? step_values[k] : NULL;
}

/* A step with its values (as many as the kind names, the rest 0) and its line. */
static void __attribute__((format(printf, 5, 6)))
record(struct cm_tdx_plan *plan, enum cm_tdx_step_kind kind, enum cm_tdx_step_outcome outcome,
       const uint64_t values[CM_TDX_STEP_NR_VALUES], const char *fmt, ...)
{
	struct cm_tdx_step *s;
	va_list ap;

	/* Each kind runs once; a plan holds a slot for every kind. */
	if (plan->nr_steps >= CM_TDX_NR_STEP_KINDS)
		return;
	s = &plan->steps[plan->nr_steps++];
	s->kind = kind;
	s->outcome = outcome;
	memcpy(s->values, values, sizeof(s->values));
	va_start(ap, fmt);
	vsnprintf(s->text, sizeof(s->text), fmt, ap);
	va_end(ap);
}

static uint64_t memblock_bytes(const struct cm_tdx_memblock *m, size_t nr)
{
	uint64_t bytes = 0;

	for (size_t i = 0; i < nr; i++)
		bytes += m[i].end - m[i].start;
	return bytes;
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

void tdx_step_cmrs(struct cm_tdx_plan *plan, enum cm_tdx_step_outcome outcome)
{
	uint64_t bytes = 0;
	char size[32];

	for (unsigned int i = 0; i < plan->nr_cmrs; i++)
		bytes += cm_range_size(&plan->cmrs[i]);
	cm_format_human_size(bytes, size, sizeof(size));
	if (outcome == CM_TDX_STEP_FAILED)
		record(plan, CM_TDX_STEP_CMRS, outcome, (const uint64_t[CM_TDX_STEP_NR_VALUES]){ 0 }, "%s",
		       plan->error);
	else
		record(plan, CM_TDX_STEP_CMRS, outcome, (const uint64_t[CM_TDX_STEP_NR_VALUES]){ plan->nr_cmrs, bytes },
		       "%u CMR%s, %s, in ascending order", plan->nr_cmrs, plural(plan->nr_cmrs), size);
}

void tdx_step_memlist(struct cm_tdx_plan *plan)
{
	uint64_t bytes = memblock_bytes(plan->memlist, plan->nr_memlist);
	char size[32];

	cm_format_human_size(bytes, size, sizeof(size));
	record(plan, CM_TDX_STEP_MEMLIST, CM_TDX_STEP_DONE,
	       (const uint64_t[CM_TDX_STEP_NR_VALUES]){ plan->nr_memlist, bytes },
	       "%zu region%s, %s: memblock's boot RAM in whole pages, the first 1 MiB left out",
	       plan->nr_memlist, plural(plan->nr_memlist), size);
}

void tdx_step_convertible(struct cm_tdx_plan *plan, enum cm_tdx_step_outcome outcome)
{
	uint64_t bytes = memblock_bytes(plan->memlist, plan->nr_memlist);
	uint64_t excluded = memblock_bytes(plan->excluded, plan->nr_excluded);
	const uint64_t values[CM_TDX_STEP_NR_VALUES] = { plan->nr_memlist, bytes, plan->nr_excluded, excluded };
	char size[32], excluded_size[32];

	cm_format_human_size(bytes, size, sizeof(size));
	cm_format_human_size(excluded, excluded_size, sizeof(excluded_size));
	if (outcome == CM_TDX_STEP_FAILED)
		record(plan, CM_TDX_STEP_CONVERTIBLE, outcome, values, "%s", plan->error);
	else if (plan->options.mixed == CM_TDX_MIXED_EXCLUDE)
		record(plan, CM_TDX_STEP_CONVERTIBLE, outcome, values, "%zu piece%s outside the CMRs (%s) excluded "
		       "(tdx.mixed=exclude); %zu region%s, %s left", plan->nr_excluded, plural(plan->nr_excluded),
		       excluded_size, plan->nr_memlist, plural(plan->nr_memlist), size);
	else
		record(plan, CM_TDX_STEP_CONVERTIBLE, outcome, values, "every region lies inside the CMRs");
}

void tdx_step_tdmrs(struct cm_tdx_plan *plan, unsigned int max_tdmrs, enum cm_tdx_step_outcome outcome)
{
	uint64_t covered_end = plan->nr_tdmrs ? cm_tdmr_end(&plan->tdmrs[plan->nr_tdmrs - 1]) : 0;
	uint64_t tdmr_bytes = 0, uncovered = 0, nr_uncovered = 0, first_uncovered = 0;
	uint64_t values[CM_TDX_STEP_NR_VALUES];
	char size[32];

	for (size_t i = 0; i < plan->nr_tdmrs; i++)
		tdmr_bytes += plan->tdmrs[i].size;
	for (size_t i = 0; i < plan->nr_memlist; i++) {
		const struct cm_tdx_memblock *m = &plan->memlist[i];
		uint64_t start = m->start > covered_end ? m->start : covered_end;

		if (m->end <= covered_end)
			continue;
		first_uncovered = nr_uncovered++ ? first_uncovered : start;
		uncovered += m->end - start;
	}
	values[0] = plan->nr_tdmrs;
	values[1] = max_tdmrs;
	values[2] = nr_uncovered;
	values[3] = uncovered;
	if (outcome == CM_TDX_STEP_FAILED) {
		cm_format_human_size(uncovered, size, sizeof(size));
		record(plan, CM_TDX_STEP_TDMRS, outcome, values, "all %u TDMRs used; %" PRIu64 " region%s (%s) "
		       "from 0x%" PRIx64 " never reached a TDMR", max_tdmrs, nr_uncovered, plural(nr_uncovered),
		       size, first_uncovered);
		return;
	}
	cm_format_human_size(tdmr_bytes, size, sizeof(size));
	record(plan, CM_TDX_STEP_TDMRS, outcome, values, "%zu TDMR%s of %u, %s in 1 GiB units, cover the %zu "
	       "region%s", plan->nr_tdmrs, plural(plan->nr_tdmrs), max_tdmrs, size, plan->nr_memlist,
	       plural(plan->nr_memlist));
}

/* "0", "0-1", "0, 2, 5": the nodes holding PAMT blocks, in a short list. */
static size_t format_nodes(uint64_t mask, char *buf, size_t len)
{
	size_t used = 0, nr = 0;

	buf[0] = '\0';
	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		int last = n;

		if (!(mask >> n & 1))
			continue;
		while (last + 1 < CM_MAX_NUMNODES && (mask >> (last + 1) & 1))
			last++;
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, last > n ? "%s%d-%d" : "%s%d", nr ? "," : "",
						 n, last);
		nr += (size_t)(last - n + 1);
		n = last;
	}
	return nr;
}

void tdx_step_pamt(struct cm_tdx_plan *plan, enum cm_tdx_step_outcome outcome)
{
	uint64_t nodes = 0, lowest = UINT64_MAX, nr_blocks = 0;
	uint64_t values[CM_TDX_STEP_NR_VALUES] = { 0 };
	char size[32], list[160];
	size_t nr_nodes;

	for (size_t i = 0; i < plan->nr_tdmrs; i++) {
		const struct cm_tdmr *t = &plan->tdmrs[i];

		if (t->pamt_node < 0)
			continue;
		nr_blocks++;
		nodes |= 1ULL << t->pamt_node;
		lowest = t->pamt_base[CM_PAMT_4K] < lowest ? t->pamt_base[CM_PAMT_4K] : lowest;
	}
	nr_nodes = format_nodes(nodes, list, sizeof(list));
	values[0] = nr_blocks;
	values[1] = plan->pamt_bytes;
	values[2] = nr_nodes;

	cm_format_human_size(plan->pamt_bytes, size, sizeof(size));
	if (outcome == CM_TDX_STEP_FAILED)
		record(plan, CM_TDX_STEP_PAMT, outcome, values, "%" PRIu64 " of %zu blocks allocated (%s), then %s",
		       nr_blocks, plan->nr_tdmrs, size, plan->error);
	else
		record(plan, CM_TDX_STEP_PAMT, outcome, values, "%" PRIu64 " block%s (4K, 2M, 1G levels%s), %" PRIu64
		       " KB (%s), on node%s %s, the lowest at 0x%" PRIx64, nr_blocks, plural(nr_blocks),
		       plan->dynamic_pamt ? "; 4K a Dynamic PAMT bitmap" : "", plan->pamt_bytes / 1024, size,
		       plural(nr_nodes), list, nr_blocks ? lowest : 0);
}

void tdx_step_reserved(struct cm_tdx_plan *plan, unsigned int max_reserved, size_t failed_tdmr,
		       enum cm_tdx_step_outcome outcome)
{
	size_t reached = outcome == CM_TDX_STEP_FAILED ? failed_tdmr + 1 : plan->nr_tdmrs;
	uint64_t total = 0, most = 0, values[CM_TDX_STEP_NR_VALUES];

	for (size_t i = 0; i < reached; i++) {
		total += plan->tdmrs[i].nr_reserved;
		most = plan->tdmrs[i].nr_reserved > most ? plan->tdmrs[i].nr_reserved : most;
	}
	values[0] = total;
	values[1] = max_reserved;
	values[2] = most;
	values[3] = reached;
	if (outcome == CM_TDX_STEP_FAILED) {
		const struct cm_tdmr *t = &plan->tdmrs[failed_tdmr];

		record(plan, CM_TDX_STEP_RESERVED, outcome, values, "TDMR %zu [0x%" PRIx64 ", 0x%" PRIx64 ") needs "
		       "%u of %u reserved areas; %zu TDMR%s after it never reached", failed_tdmr, t->base,
		       cm_tdmr_end(t), t->nr_reserved, max_reserved, plan->nr_tdmrs - reached,
		       plural(plan->nr_tdmrs - reached));
		return;
	}
	record(plan, CM_TDX_STEP_RESERVED, outcome, values, "%" PRIu64 " area%s in %zu TDMR%s, at most %" PRIu64
	       " of %u in one, holes from the %s%s", total, plural(total), reached, plural(reached), most,
	       max_reserved, cm_tdx_holes_source(plan->options.holes), cm_tdx_merge_summary(plan->options.merge));
}

void tdx_step_config(struct cm_tdx_plan *plan, enum cm_tdx_step_outcome outcome)
{
	const uint64_t values[CM_TDX_STEP_NR_VALUES] = { plan->nr_tdmrs };

	if (outcome == CM_TDX_STEP_FAILED)
		record(plan, CM_TDX_STEP_CONFIG, outcome, values, "TDH.SYS.CONFIG rejected the %zu TDMR%s: "
		       "0x%016" PRIx64 ": %s", plan->nr_tdmrs, plural(plan->nr_tdmrs), plan->config_status,
		       plan->config_detail);
	else
		record(plan, CM_TDX_STEP_CONFIG, outcome, values, "TDH.SYS.CONFIG accepted the %zu TDMR%s%s",
		       plan->nr_tdmrs, plural(plan->nr_tdmrs), plan->dynamic_pamt ? " with Dynamic PAMT" : "");
}

void tdx_step_key_config(struct cm_tdx_plan *plan)
{
	record(plan, CM_TDX_STEP_KEY_CONFIG, CM_TDX_STEP_DONE,
	       (const uint64_t[CM_TDX_STEP_NR_VALUES]){ plan->nr_key_config_calls },
	       "TDH.SYS.KEY.CONFIG: %u call%s, one per package", plan->nr_key_config_calls,
	       plural(plan->nr_key_config_calls));
}

void tdx_step_tdmr_init(struct cm_tdx_plan *plan)
{
	uint64_t bytes = 0;
	char size[32];

	for (size_t i = 0; i < plan->nr_tdmrs; i++)
		bytes += plan->tdmrs[i].size;
	cm_format_human_size(bytes, size, sizeof(size));
	record(plan, CM_TDX_STEP_TDMR_INIT, CM_TDX_STEP_DONE,
	       (const uint64_t[CM_TDX_STEP_NR_VALUES]){ plan->nr_tdmr_init_calls, bytes },
	       "TDH.SYS.TDMR.INIT: %" PRIu64 " call%s over %s of TDMRs (%u 4K PAMT entries a call); "
	       "module initialized", plan->nr_tdmr_init_calls, plural(plan->nr_tdmr_init_calls), size,
	       CM_TDMR_INIT_PAMT_ENTRIES);
}
