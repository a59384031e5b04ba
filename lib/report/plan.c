// SPDX-License-Identifier: MIT
/*
 * The TDX plan as a report: one object with the plan's JSON (status,
 * result, TDMRs, CMRs, TDX memory, the module's verdict, the log) and two
 * text views of it, plan's detail and report's summary.
 */
#include <inttypes.h>
#include <stdio.h>

#include "confmem/report.h"
#include "report/model.h"
#include "report/picture.h"

/* The JSON's members in their documented order; the text reads in another. */
static const char *const plan_json_order[] = {
	"status", "error", "errno", "result", "kernel", "kernel_detected_from", "holes", "mixed", "nr_tdmrs", "pamt_kb", "pamt_bytes",
	"tdmrs", "cmrs",
	"tdx_memory", "excluded", "config_status", "config_detail", "nr_key_config_calls",
	"nr_tdmr_init_calls", "steps", "log", "diagnosis", "advice", NULL,
};

/* The text layouts of a view (NULL: not in its text). */
struct plan_layout {
	const char *memlist_header;	/* %zu region%s */
	const char *memblock[3];	/* start, end, node */
	const char *excluded[3];
	const char *cmrs_header;	/* %u CMRs */
	const char *cmr[2];		/* base, end */
	const char *tdmrs_header;	/* %zu TDMRs of %u, holes from the %s, %s */
	bool summary_line;		/* report's one line instead of the totals */
	const char *disabled;		/* the line when the platform has no TDX (and nothing else) */
	const char *steps_header;	/* -v: the steps the plan ran (NULL: JSON only) */
	const char *log_prefix;
};

static const struct plan_layout detail_layout = {
	.memlist_header = "TDX memory list (%zu region%s):\n",
	.memblock = { "  [%s", ", %s)", " node %s\n" },
	.excluded = { "  excluded: [%s", ", %s)", " node %s (not convertible)\n" },
	.cmrs_header = "CMRs (%u):\n",
	.cmr = { "  [%s", ", %s)\n" },
	.tdmrs_header = "TDMRs (%zu of %u), reserved-area holes from the %s%s:\n",
	.steps_header = "Steps, as the kernel runs them:\n",
	.log_prefix = CM_REPORT_TDX_PREFIX,
};

static const struct plan_layout summary_layout = {
	.cmr = { "  CMR: [%s", ", %s)\n" },
	.summary_line = true,
	.log_prefix = CM_REPORT_TDX_PREFIX,
};

/* What a platform without TDX shows: one line, no log (report's summary, plan's detail). */
static const struct plan_layout disabled_layout = {
	.disabled = "  not enabled on this platform\n",
};
static const struct plan_layout disabled_detail_layout = {
	.disabled = "TDX: not enabled on this platform: no TDMRs, no PAMT\n",
};

const char *cm_report_plan_status(const struct cm_tdx_plan *plan)
{
	if (plan->result == CM_TDX_DISABLED)
		return "disabled";
	return plan->status ? "error" : "ok";
}

static void add_status(struct cm_report_item *o, const struct cm_tdx_plan *plan)
{
	cm_report_add_string(o, "status", NULL, cm_report_plan_status(plan));
	if (plan->status && plan->result != CM_TDX_DISABLED) {
		cm_report_add_string(o, "error", NULL, plan->error);
		cm_report_add_int(o, "errno", NULL, plan->status);
	}
	cm_report_add_string(o, "result", NULL, cm_tdx_result_name(plan->result));
	if (plan->result != CM_TDX_DISABLED)
		cm_report_add_string(o, "kernel", NULL, cm_tdx_kernel_name(plan->options.kernel));
	cm_report_add_string(o, "holes", NULL, cm_tdx_holes_name(plan->options.holes));
	cm_report_add_string(o, "mixed", NULL, cm_tdx_mixed_name(plan->options.mixed));
}

/* [start, end) with the size in JSON, the end in text. */
static void add_range(struct cm_report_item *row, const char *start_key, uint64_t start, uint64_t size,
		      const char *const layout[2])
{
	cm_report_add_addr(row, start_key, layout[0], start);
	cm_report_add_addr(row, NULL, layout[1], start + size);
	cm_report_add_bytes(row, "size", NULL, size);
}

static void add_memblocks(struct cm_report_item *o, const char *key, const char *header,
			  const struct cm_tdx_memblock *m, size_t nr, const char *const layout[3])
{
	struct cm_report_item *a = cm_report_add_array(o, key, header);

	for (size_t i = 0; i < nr; i++) {
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

		add_range(row, "base", m[i].start, m[i].end - m[i].start, layout);
		cm_report_add_int(row, "node", layout[2], m[i].node);
	}
}

static void add_cmrs(struct cm_report_item *o, const struct cm_tdx_plan *plan, const struct plan_layout *layout)
{
	struct cm_report_item *a;
	char header[64];

	if (layout->cmrs_header)
		snprintf(header, sizeof(header), layout->cmrs_header, plan->nr_cmrs);
	a = cm_report_add_array(o, "cmrs", layout->cmrs_header ? header : NULL);
	for (unsigned int i = 0; i < plan->nr_cmrs; i++)
		add_range(cm_report_add_object(a, NULL, NULL), "base", plan->cmrs[i].start,
			  cm_range_size(&plan->cmrs[i]), layout->cmr);
}

/*
 * The TDMRs whose reserved areas the kernel filled before it stopped: all
 * of them, up to the one that ran out of reserved areas, or none when it
 * stopped earlier (TDMRs or PAMT), as construct_tdmrs() goes.
 */
static size_t nr_tdmrs_reached(const struct cm_tdx_plan *plan, unsigned int max_reserved)
{
	if (plan->result == CM_TDX_FAILED_TDMRS || plan->result == CM_TDX_FAILED_PAMT)
		return 0;
	if (plan->result != CM_TDX_FAILED_RESERVED)
		return plan->nr_tdmrs;
	for (size_t i = 0; i < plan->nr_tdmrs; i++)
		if (plan->tdmrs[i].nr_reserved > max_reserved)
			return i + 1;
	return plan->nr_tdmrs;
}

/* The reserved areas: at their offset in JSON, at their address too in text. */
static void add_reserved(struct cm_report_item *row, const struct cm_tdmr *t, unsigned int max_reserved,
			 bool reached, const struct plan_layout *layout)
{
	char header[128];
	struct cm_report_item *a;

	if (reached)
		snprintf(header, sizeof(header), "\n    reserved areas: %u of %u%s\n", t->nr_reserved, max_reserved,
			 t->nr_reserved > max_reserved ? " (too many)" : "");
	else
		snprintf(header, sizeof(header), "\n    reserved areas: not reached (initialisation stopped before "
			 "this TDMR's)\n");
	a = cm_report_add_array(row, "reserved", layout->tdmrs_header ? header : NULL);
	for (unsigned int j = 0; j < t->nr_reserved; j++) {
		struct cm_report_item *r = cm_report_add_object(a, NULL, NULL);
		uint64_t start = t->base + t->reserved[j].offset;
		bool text = layout->tdmrs_header;

		cm_report_add_addr(r, NULL, text ? "      [%s" : NULL, start);
		cm_report_add_addr(r, NULL, text ? ", %s)" : NULL, start + t->reserved[j].size);
		cm_report_add_addr(r, "offset", text ? " offset %s" : NULL, t->reserved[j].offset);
		cm_report_set_hex(cm_report_add_bytes(r, "size", text ? " size %s\n" : NULL, t->reserved[j].size), 0);
	}
	cm_report_add_u64(row, "nr_reserved", NULL, t->nr_reserved);
}

static void add_tdmr(struct cm_report_item *row, const struct cm_tdmr *t, size_t i, unsigned int max_reserved,
		     bool reached, const struct plan_layout *layout)
{
	static const char *const keys[CM_PAMT_NR_LEVELS] = { "pamt_4k", "pamt_2m", "pamt_1g" };
	static const char *const levels[CM_PAMT_NR_LEVELS] = { " 4K ", " 2M ", " 1G " };
	static const char *const text_layout[2] = { "[%s", ", +%s)" };
	static const char *const no_text[2] = { NULL, NULL };
	bool text = layout->tdmrs_header;
	bool pamt = text && t->pamt_node >= 0;

	cm_report_add_u64(row, NULL, text ? "  TDMR %s: " : NULL, i);
	cm_report_add_addr(row, "base", text ? "[%s" : NULL, t->base);
	cm_report_add_addr(row, NULL, text ? ", %s) " : NULL, cm_tdmr_end(t));
	cm_report_add_bytes(row, "size", text ? "%s" : NULL, t->size);
	if (t->pamt_node >= 0)
		cm_report_add_int(row, "node", pamt ? ", PAMT on node %s:" : NULL, t->pamt_node);
	for (int l = 0; l < CM_PAMT_NR_LEVELS; l++) {
		struct cm_report_item *o = cm_report_add_object(row, keys[l], pamt ? levels[l] : NULL);
		const char *const *range = pamt ? text_layout : no_text;

		cm_report_add_addr(o, "base", range[0], t->pamt_base[l]);
		cm_report_set_hex(cm_report_add_bytes(o, "size", range[1], t->pamt_size[l]), 0);
	}
	add_reserved(row, t, max_reserved, reached, layout);
}

static void add_tdmrs(struct cm_report_item *o, const struct cm_tdx_plan *plan, const struct cm_platform *p,
		      const struct plan_layout *layout)
{
	struct cm_report_item *a;
	char header[160];

	if (layout->tdmrs_header)
		snprintf(header, sizeof(header), layout->tdmrs_header, plan->nr_tdmrs, p->tdx.max_tdmrs,
			 cm_tdx_holes_source(plan->options.holes),
			 cm_tdx_merge_summary(plan->options.merge));
	a = cm_report_add_array(o, "tdmrs", layout->tdmrs_header ? header : NULL);
	for (size_t i = 0, reached = nr_tdmrs_reached(plan, p->tdx.max_reserved_per_tdmr); i < plan->nr_tdmrs; i++)
		add_tdmr(cm_report_add_object(a, NULL, NULL), &plan->tdmrs[i], i, p->tdx.max_reserved_per_tdmr,
			 i < reached, layout);
}

static uint64_t tdx_memory_bytes(const struct cm_tdx_plan *plan)
{
	uint64_t bytes = 0;

	for (size_t i = 0; i < plan->nr_memlist; i++)
		bytes += plan->memlist[i].end - plan->memlist[i].start;
	return bytes;
}

/* Totals and the module's calls: in text only once the module accepted the plan. */
static void add_totals(struct cm_report_item *o, const struct cm_tdx_plan *plan, const struct cm_platform *p,
		       const struct plan_layout *layout)
{
	bool text = layout->tdmrs_header && plan->result == CM_TDX_INITIALIZED;
	uint64_t tdx_bytes = tdx_memory_bytes(plan);
	struct cm_report_item *a;

	cm_report_add_u64(o, "nr_tdmrs", !text ? NULL : plan->nr_tdmrs == 1 ? "Totals: %s TDMR, " : "Totals: %s TDMRs, ",
			  plan->nr_tdmrs);
	cm_report_add_u64(o, "pamt_kb", text ? "PAMT %s KB = " : NULL, plan->pamt_bytes / 1024);
	cm_report_add_bytes(o, "pamt_bytes", NULL, plan->pamt_bytes);
	if (!text)
		return;
	cm_report_add_percent(o, NULL, "%s%% of ", plan->pamt_bytes, tdx_bytes);
	cm_report_add_bytes(o, NULL, "%s TDX memory\n", tdx_bytes);
	a = cm_report_add_array(o, NULL, NULL);
	for (size_t i = 0; i < p->nr_nodes; i++) {
		uint64_t pamt = cm_tdx_plan_node_pamt(plan, p->nodes[i].id);
		uint64_t mem = cm_tdx_plan_node_memory(plan, p->nodes[i].id);
		struct cm_report_item *row;

		if (!pamt && !mem)
			continue;
		row = cm_report_add_object(a, NULL, NULL);
		cm_report_add_int(row, "node", "  node %s: ", p->nodes[i].id);
		cm_report_add_u64(row, "pamt_kb", "PAMT %s KB, ", pamt / 1024);
		cm_report_add_bytes(row, "pamt_bytes", NULL, pamt);
		cm_report_add_percent(row, NULL, "%s%% of its ", pamt, mem);
		cm_report_add_bytes(row, "tdx_memory_bytes", "%s TDX memory\n", mem);
	}
}

static void add_module(struct cm_report_item *o, const struct cm_tdx_plan *plan, const struct plan_layout *layout)
{
	bool text = layout->tdmrs_header;

	if (plan->config_detail[0]) {
		char buf[32];

		snprintf(buf, sizeof(buf), "0x%016" PRIx64, plan->config_status);
		cm_report_add_string(o, "config_status", NULL, buf);
		cm_report_add_string(o, "config_detail", NULL, plan->config_detail);
	}
	if (plan->result != CM_TDX_INITIALIZED)
		return;
	cm_report_add_int(o, "nr_key_config_calls", !text ? NULL : plan->nr_key_config_calls == 1 ?
			  "Module: TDH.SYS.CONFIG accepted; %s TDH.SYS.KEY.CONFIG call (one per package), " :
			  "Module: TDH.SYS.CONFIG accepted; %s TDH.SYS.KEY.CONFIG calls (one per package), ",
			  (int)plan->nr_key_config_calls);
	cm_report_add_u64(o, "nr_tdmr_init_calls", !text ? NULL : plan->nr_tdmr_init_calls == 1 ?
			  "%s TDH.SYS.TDMR.INIT call\n" : "%s TDH.SYS.TDMR.INIT calls\n", plan->nr_tdmr_init_calls);
}

/*
 * The steps the plan ran, at -v only (text and JSON): each its kind, its
 * outcome, its line and the numbers its kind names.
 */
static void add_steps(struct cm_report_item *o, const struct cm_tdx_plan *plan, const struct plan_layout *layout)
{
	struct cm_report_item *a = cm_report_add_array(o, "steps", layout->steps_header);
	bool text = layout->steps_header;

	cm_report_set_detail(a, 1);
	for (unsigned int i = 0; i < plan->nr_steps; i++) {
		const struct cm_tdx_step *step = &plan->steps[i];
		const struct cm_tdx_step_value *values = cm_tdx_step_values(step->kind);
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);
		bool failed = step->outcome == CM_TDX_STEP_FAILED;

		cm_report_add_string(row, "step", text ? "  %-12s" : NULL, cm_tdx_step_kind_name(step->kind));
		cm_report_add_string(row, "outcome", text && failed ? "%s: " : NULL,
				     cm_tdx_step_outcome_name(step->outcome));
		cm_report_add_string(row, "text", text ? "%s\n" : NULL, step->text);
		for (int v = 0; values && v < CM_TDX_STEP_NR_VALUES && values[v].name; v++) {
			if (values[v].unit == CM_TDX_STEP_BYTES)
				cm_report_add_bytes(row, values[v].name, NULL, step->values[v]);
			else
				cm_report_add_u64(row, values[v].name, NULL, step->values[v]);
		}
	}
}

/* report's line: regions, bytes, TDMRs of the maximum, where the holes come from. */
static void add_summary_line(struct cm_report_item *o, const struct cm_tdx_plan *plan,
			     const struct cm_platform *p)
{
	cm_report_add_u64(o, NULL, plan->nr_memlist == 1 ? "  TDX memory: %s region, " : "  TDX memory: %s regions, ",
			  plan->nr_memlist);
	cm_report_add_bytes(o, NULL, "%s; ", tdx_memory_bytes(plan));
	cm_report_add_u64(o, "nr_tdmrs", plan->nr_tdmrs == 1 ? "%s TDMR of " : "%s TDMRs of ", plan->nr_tdmrs);
	cm_report_add_u64(o, NULL, "%s; ", p->tdx.max_tdmrs);
	cm_report_add_string(o, NULL, "holes from the %s\n", cm_tdx_holes_source(plan->options.holes));
}

/* "kernel profile: NAME (detected from: LINE)" where a log or the user chose it. */
static void add_kernel_profile(struct cm_report_item *o, const struct cm_tdx_plan *plan, const struct cm_platform *p,
			       const struct plan_layout *layout)
{
	const char *name = cm_tdx_kernel_name(plan->options.kernel);

	if (plan->kernel_source == CM_KERNEL_DETECTED) {
		cm_report_add_string(o, NULL, layout->log_prefix ? "kernel profile: %s" : NULL, name);
		cm_report_add_string(o, "kernel_detected_from", layout->log_prefix ? " (detected from: %s)\n" : NULL,
				     p->tdx.kernel_evidence[0] ? p->tdx.kernel_evidence : "the platform's tdx.kernel");
	} else if (plan->kernel_source == CM_KERNEL_CHOSEN) {
		cm_report_add_string(o, NULL, layout->log_prefix ? "kernel profile: %s (tdx.kernel)\n" : NULL, name);
	}
}

static void add_plan_view(struct cm_report_item *o, const struct cm_tdx_plan *plan, const struct cm_platform *p,
			  const struct plan_layout *layout)
{
	char header[64];

	if (plan->result != CM_TDX_DISABLED)
		add_kernel_profile(o, plan, p, layout);
	if (layout->memlist_header)
		snprintf(header, sizeof(header), layout->memlist_header, plan->nr_memlist,
			 plan->nr_memlist == 1 ? "" : "s");
	add_memblocks(o, "tdx_memory", layout->memlist_header ? header : NULL, plan->memlist, plan->nr_memlist,
		      layout->memblock);
	if (plan->nr_excluded)
		add_memblocks(o, "excluded", NULL, plan->excluded, plan->nr_excluded, layout->excluded);
	add_cmrs(o, plan, layout);
	if (layout->summary_line)
		add_summary_line(o, plan, p);
	add_tdmrs(o, plan, p, layout);
	if (layout->summary_line) {
		cm_report_add_u64(o, "pamt_kb", NULL, plan->pamt_bytes / 1024);
		cm_report_add_bytes(o, "pamt_bytes", NULL, plan->pamt_bytes);
	} else {
		add_totals(o, plan, p, layout);
	}
	add_module(o, plan, layout);
	if (plan->result != CM_TDX_DISABLED)
		add_steps(o, plan, layout);
	cm_report_add_log(o, "log", &plan->log, layout->log_prefix);
	cm_report_add_log(o, plan->diagnosis.nr_lines ? "diagnosis" : NULL, &plan->diagnosis,
			  layout->log_prefix ? "diagnosis: " : NULL);
	cm_report_add_log(o, plan->advice.nr_lines ? "advice" : NULL, &plan->advice, layout->log_prefix ? "" : NULL);
}

struct cm_report_item *cm_report_add_plan(struct cm_report_item *parent, const char *key,
					  const struct cm_tdx_plan *plan, const struct cm_platform *p,
					  enum cm_report_plan_view view)
{
	const struct plan_layout *layout = view == CM_REPORT_PLAN_DETAIL ? &detail_layout : &summary_layout;
	struct cm_report_item *o = cm_report_add_object(parent, key, NULL);

	if (plan->result == CM_TDX_DISABLED)
		layout = view == CM_REPORT_PLAN_DETAIL ? &disabled_detail_layout : &disabled_layout;
	cm_report_set_json_order(o, plan_json_order);
	add_status(o, plan);
	if (layout->disabled)
		cm_report_add_text(o, layout->disabled);
	add_plan_view(o, plan, p, layout);
	picture_add_address_map(o, plan, p);
	return o;
}
