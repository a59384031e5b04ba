// SPDX-License-Identifier: MIT
/*
 * A simulation run as a report (confmem sim). JSON: status, seed,
 * counters (kernel names, totals), swap, hotplug, sgx, nodes, cgroups,
 * actors, events, expect. Text: the headline, actors, nodes, the chosen
 * counters, the expectations. Deterministic: nothing depends on wall time.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "confmem/names.h"
#include "confmem/cgroup.h"
#include "confmem/report.h"
#include "confmem/sim.h"
#include "report/picture.h"

static const char *const sim_json_order[] = {
	"status", "warnings", "seed", "duration_ms", "page_events", "summary", "counters", "swap", "hotplug", "sgx",
	"nodes", "cgroups", "actors", "events", "expect", NULL,
};

static const char *const node_json_order[] = {
	"node", "online", "memory_bytes", "present_pages", "free_pages", "free_bytes", "used_pages", "used_bytes",
	"watermarks", "watermark_bytes", "lru_pages",
	"demotion_targets", "fallback_targets", "counters", NULL,
};

static const char *const expect_json_order[] = { "expect", "passed", "actual", NULL };
static const char *const summary_json_order[] = {
	"what", "text", "at_ms", "actor", "cgroup", "reason", "errno", "bytes", "count", NULL,
};

/* The counters the text shows, in its order; the JSON has them all in the kernel's. */
static const enum cm_counter shown_counters[] = {
	CM_PGFAULT, CM_PGMAJFAULT, CM_PGSCAN_KSWAPD, CM_PGSCAN_DIRECT, CM_PGSTEAL_KSWAPD, CM_PGSTEAL_DIRECT,
	CM_PGDEMOTE_KSWAPD, CM_PGDEMOTE_DIRECT, CM_PGDEMOTE_FAIL, CM_PGMIGRATE_SUCCESS, CM_PSWPOUT, CM_PSWPIN,
	CM_NR_WRITTEN, CM_PGDROP_FILE, CM_ALLOCSTALL, CM_OOM_KILL, CM_NUMA_HINT_FAULTS, CM_PGPROMOTE_CANDIDATE,
	CM_PGPROMOTE_SUCCESS,
};

static const char *const lru_names[CM_NR_LRU] = {
	"inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable",
};

static bool counter_shown(enum cm_counter c)
{
	for (size_t i = 0; i < CM_ARRAY_SIZE(shown_counters); i++)
		if (shown_counters[i] == c)
			return true;
	return false;
}

/* The run's counter totals: the text's chosen few first, the JSON in the kernel's order. */
static void add_counter_totals(struct cm_report_item *o, const struct cm_sim *sim)
{
	struct cm_report_item *counters = cm_report_add_object(o, "counters", "\ncounters:\n");
	const char *order[CM_NR_COUNTERS + 1];
	char layout[64];
	int width = 0;

	/* The values start in one column, after the longest name. */
	for (size_t i = 0; i < CM_ARRAY_SIZE(shown_counters); i++)
		if ((int)strlen(cm_counter_name(shown_counters[i])) > width)
			width = (int)strlen(cm_counter_name(shown_counters[i]));
	for (size_t i = 0; i < CM_ARRAY_SIZE(shown_counters); i++) {
		enum cm_counter c = shown_counters[i];

		snprintf(layout, sizeof(layout), "  %-*s %%s\n", width, cm_counter_name(c));
		cm_report_add_u64(counters, cm_counter_name(c), layout, cm_mm_counter_total(sim->mm, c));
	}
	for (int c = 0; c < CM_NR_COUNTERS; c++) {
		order[c] = cm_counter_name((enum cm_counter)c);
		if (!counter_shown((enum cm_counter)c))
			cm_report_add_u64(counters, order[c], NULL, cm_mm_counter_total(sim->mm, (enum cm_counter)c));
	}
	order[CM_NR_COUNTERS] = NULL;
	cm_report_set_json_order(counters, order);
}

static void add_counters(struct cm_report_item *parent, const char *key, const uint64_t *counters)
{
	struct cm_report_item *o = cm_report_add_object(parent, key, NULL);

	for (int c = 0; c < CM_NR_COUNTERS; c++)
		cm_report_add_u64(o, cm_counter_name((enum cm_counter)c), NULL, counters[c]);
}

/* A node's pages; in text only when it has memory. */
static void add_node(struct cm_report_item *a, const struct cm_sim *sim, int n, const struct cm_mm_node_info *info)
{
	const struct cm_tiering *t = cm_mm_tiering(sim->mm);
	struct cm_report_item *o = cm_report_add_object(a, NULL, NULL), *w, *lru;
	bool text = info->present_pages;

	cm_report_set_json_order(o, node_json_order);
	cm_report_add_int(o, "node", text ? "  node %s: " : NULL, n);
	cm_report_add_bool(o, "online", NULL, info->online);
	cm_report_add_bytes(o, "memory_bytes", NULL, info->present_pages * CM_PAGE_SIZE);
	cm_report_add_u64(o, "free_pages", text ? "%s of " : NULL, info->free_pages);
	cm_report_add_u64(o, "present_pages", text ? "%s pages free " : NULL, info->present_pages);
	cm_report_add_u64(o, "used_pages", NULL, info->present_pages - info->free_pages);
	/* Pages as the kernel counts them (/proc/zoneinfo), and the same in bytes. */
	cm_report_add_bytes(o, "free_bytes", NULL, info->free_pages * CM_PAGE_SIZE);
	cm_report_add_bytes(o, "used_bytes", NULL, (info->present_pages - info->free_pages) * CM_PAGE_SIZE);
	w = cm_report_add_object(o, "watermarks", text ? "(watermarks " : NULL);
	cm_report_add_u64(w, "min", text ? "min %s " : NULL, info->wmark.min);
	cm_report_add_u64(w, "low", text ? "low %s " : NULL, info->wmark.low);
	cm_report_add_u64(w, "high", text ? "high %s), " : NULL, info->wmark.high);
	w = cm_report_add_object(o, "watermark_bytes", NULL);
	cm_report_add_bytes(w, "min", NULL, info->wmark.min * CM_PAGE_SIZE);
	cm_report_add_bytes(w, "low", NULL, info->wmark.low * CM_PAGE_SIZE);
	cm_report_add_bytes(w, "high", NULL, info->wmark.high * CM_PAGE_SIZE);
	lru = cm_report_add_object(o, "lru_pages", NULL);
	for (int l = 0; l < CM_NR_LRU; l++)
		cm_report_add_u64(lru, lru_names[l], NULL, info->lru_pages[l]);
	cm_report_add_nodemask(o, "demotion_targets", text ? "demotes to %s\n" : NULL, t->preferred[n]);
	cm_report_add_nodemask(o, "fallback_targets", NULL, t->lower_tier[n]);
	add_counters(o, "counters", info->counters);
}

static void add_nodes(struct cm_report_item *o, const struct cm_sim *sim)
{
	struct cm_report_item *a = cm_report_add_array(o, "nodes", "\nnodes:\n");

	for (int n = 0; n < cm_mm_nr_nodes(sim->mm); n++) {
		struct cm_mm_node_info info;

		cm_mm_node_info(sim->mm, n, &info);
		if (info.present_pages || cm_platform_node(sim->scenario->platform, n))
			add_node(a, sim, n, &info);
	}
}

/* A limit in pages: "max" or a size. */
static void add_limit(struct cm_report_item *o, const char *key, uint64_t pages)
{
	if (pages == UINT64_MAX)
		cm_report_add_string(o, key, NULL, "max");
	else
		cm_report_add_bytes(o, key, NULL, pages * CM_PAGE_SIZE);
}

static void add_epc_cgroup(struct cm_report_item *misc, const struct cm_sim *sim, int i)
{
	struct cm_report_item *epc = cm_report_add_object(misc, "sgx_epc", NULL);
	struct cm_epc_cgroup_info mi;

	cm_epc_cgroup_info(sim->epc, i, &mi);
	if (i == 0)
		cm_report_add_bytes(epc, "capacity", NULL, mi.capacity_pages * CM_PAGE_SIZE);
	add_limit(epc, "max", mi.max_pages);
	cm_report_add_bytes(epc, "current", NULL, mi.current_pages * CM_PAGE_SIZE);
	cm_report_add_bytes(epc, "peak", NULL, mi.peak_pages * CM_PAGE_SIZE);
	cm_report_add_u64(cm_report_add_object(epc, "events", NULL), "max", NULL, mi.events_max);
	cm_report_add_u64(cm_report_add_object(epc, "events_local", NULL), "max", NULL, mi.events_local_max);
}

/* misc tdx: private KeyIDs, counted one per running TD (not bytes). */
static void add_tdx_cgroup(struct cm_report_item *misc, const struct cm_sim *sim, int i)
{
	const struct cm_page_counter *c = &cm_cgroup_get(cm_mm_cgroups(sim->mm), i)->misc.res[CM_MISC_TDX];
	struct cm_report_item *tdx = cm_report_add_object(misc, "tdx", NULL);

	if (i == 0)
		cm_report_add_u64(tdx, "capacity", NULL, c->max);
	else if (c->max == UINT64_MAX)
		cm_report_add_string(tdx, "max", NULL, "max");
	else
		cm_report_add_u64(tdx, "max", NULL, c->max);
	cm_report_add_u64(tdx, "current", NULL, c->usage);
	cm_report_add_u64(tdx, "peak", NULL, c->watermark);
	cm_report_add_u64(cm_report_add_object(tdx, "events", NULL), "max", NULL, c->events_max);
	cm_report_add_u64(cm_report_add_object(tdx, "events_local", NULL), "max", NULL, c->failcnt);
}

static void add_cgroups(struct cm_report_item *o, const struct cm_sim *sim)
{
	struct cm_report_item *a = cm_report_add_array(o, "cgroups", NULL);

	for (size_t i = 0; i < cm_mm_nr_memcgs(sim->mm); i++) {
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL), *mem, *events, *stat;
		struct cm_memcg_info info;

		cm_mm_memcg_info(sim->mm, (int)i, &info);
		cm_report_add_string(row, "path", NULL, info.path);
		mem = cm_report_add_object(row, "memory", NULL);
		cm_report_add_bytes(mem, "current", NULL, info.usage_pages * CM_PAGE_SIZE);
		cm_report_add_bytes(mem, "peak", NULL, info.peak_pages * CM_PAGE_SIZE);
		add_limit(mem, "max", info.max_pages);
		cm_report_add_bytes(mem, "swap_current", NULL, info.swap_pages * CM_PAGE_SIZE);
		add_limit(mem, "swap_max", info.swap_max_pages);
		events = cm_report_add_object(mem, "events", NULL);
		cm_report_add_u64(events, "max", NULL, info.events_max);
		cm_report_add_u64(events, "oom", NULL, info.events_oom);
		cm_report_add_u64(events, "oom_kill", NULL, info.events_oom_kill);
		stat = cm_report_add_object(mem, "stat", NULL);
		for (int k = 0; k < CM_NR_MEMCG_STATS; k++)
			cm_report_add_u64(stat, cm_memcg_stat_name((enum cm_memcg_stat)k), NULL, info.stat[k]);
		if (sim->epc || sim->td_module) {
			struct cm_report_item *misc = cm_report_add_object(row, "misc", NULL);

			if (sim->epc)
				add_epc_cgroup(misc, sim, (int)i);
			if (sim->td_module)
				add_tdx_cgroup(misc, sim, (int)i);
		}
	}
}

/* Bytes per node of a TD guest, nodes holding none left out: [{"node": 0, "bytes": 4096}, ...]; text "node 0 4.00 KiB, ...". */
static void add_td_nodes(struct cm_report_item *o, const char *key, const char *label, const uint64_t *pages)
{
	struct cm_report_item *nodes = cm_report_add_array(o, key, label);
	const char *sep = "";

	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		struct cm_report_item *row;
		char text[24];

		if (!pages[n])
			continue;
		row = cm_report_add_object(nodes, NULL, NULL);
		snprintf(text, sizeof(text), "%snode %%s", sep);
		cm_report_add_int(row, "node", text, n);
		cm_report_add_bytes(row, "bytes", " %s", pages[n] * CM_PAGE_SIZE);
		sep = ", ";
	}
	cm_report_add_text(nodes, *sep ? "\n" : "none\n");
}

/* A TD guest's own figures (SPEC 9): its KeyID, private and shared memory per node, conversions, refusals. */
static void add_td(struct cm_report_item *row, const struct cm_sim_td *td)
{
	struct cm_report_item *o = cm_report_add_object(row, "td", NULL);

	if (td->keyid >= 0)
		cm_report_add_int(o, "keyid", "    KeyID %s, ", td->keyid);
	else
		cm_report_add_text(o, "    no KeyID, ");
	cm_report_add_u64(o, "pages_added", "%s pages added, ", td->pages_added);
	cm_report_add_u64(o, "pages_augmented", "%s augmented, ", td->pages_augmented);
	cm_report_add_u64(o, "refusals", "%s refused, ", td->refusals);
	cm_report_add_u64(o, "retries", "%s retried; ", td->retries);
	cm_report_add_u64(o, "converted_to_shared", "MapGPA %s pages to shared, ", td->converted_to_shared);
	cm_report_add_u64(o, "converted_to_private", "%s to private, ", td->converted_to_private);
	cm_report_add_u64(o, "splits", "%s 2 MiB mappings split\n", td->splits);
	add_td_nodes(o, "private_bytes_per_node", "    private: ", td->private_pages_on);
	add_td_nodes(o, "shared_bytes_per_node", "    shared: ", td->shared_pages_on);
}

static void add_actors(struct cm_report_item *o, const struct cm_sim *sim)
{
	struct cm_report_item *a = cm_report_add_array(o, "actors", "\nactors:\n");
	char name_text[32];
	size_t width = 16;

	/* The outcomes start in one column, after the longest name. */
	for (size_t i = 0; i < sim->nr_actors; i++)
		width = strlen(sim->actors[i].def->name) > width ? strlen(sim->actors[i].def->name) : width;
	snprintf(name_text, sizeof(name_text), "  %%-%zus ", width);
	for (size_t i = 0; i < sim->nr_actors; i++) {
		const struct cm_sim_actor *act = &sim->actors[i];
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

		cm_report_add_string(row, "name", name_text, act->def->name);
		cm_report_add_string(row, "kind", NULL, cm_actor_kind_name(act->def->kind));
		cm_report_add_string(row, "outcome", "%-8s ", cm_outcome_name(act->outcome));
		if (act->reason[0])
			cm_report_add_string(row, "reason", "(%s)\n", act->reason);
		else
			cm_report_add_text(row, "\n");
		cm_report_add_string(row, "cgroup", NULL, act->def->cgroup);
		cm_report_add_u64(row, "touches", NULL, act->touches);
		cm_report_add_bytes(row, "resident_bytes", NULL, act->resident_pages * CM_PAGE_SIZE);
		cm_report_add_bytes(row, "swapped_bytes", NULL, act->swapped_pages * CM_PAGE_SIZE);
		if (act->td)
			add_td(row, act->td);
	}
}

static void add_expects(struct cm_report_item *o, const struct cm_sim *sim)
{
	char header[64];
	struct cm_report_item *a;
	size_t passed = 0;

	for (size_t i = 0; i < sim->nr_expects; i++)
		passed += sim->expects[i].passed;
	snprintf(header, sizeof(header), "\nexpect: %zu of %zu passed\n", passed, sim->nr_expects);
	a = cm_report_add_array(o, "expect", sim->nr_expects ? header : NULL);

	for (size_t i = 0; i < sim->nr_expects; i++) {
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

		cm_report_set_json_order(row, expect_json_order);
		cm_report_set_bool_text(cm_report_add_bool(row, "passed", "  %s: ", sim->expects[i].passed), "pass",
					"FAIL");
		cm_report_add_string(row, "expect", "%s ", sim->expects[i].def->text);
		cm_report_add_string(row, "actual", "(%s)\n", sim->expects[i].detail);
	}
}

/* What happened, in sentences (sim_outcome.c): text "what happened:", JSON "summary": [{what, text, ...}]. */
static void add_summary(struct cm_report_item *o, const struct cm_sim *sim)
{
	struct cm_report_item *a = cm_report_add_array(o, "summary", "\nwhat happened:\n");
	struct cm_sim_summary summary;

	if (!a)
		return;		/* the report's status says -ENOMEM */
	if (cm_sim_summary_build(sim, &summary)) {
		a->report->status = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < summary.nr_items; i++) {
		const struct cm_sim_summary_item *it = &summary.items[i];
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

		cm_report_set_json_order(row, summary_json_order);
		cm_report_add_string(row, "what", NULL, cm_sim_summary_kind_name(it->kind));
		cm_report_add_string(row, "text", "  %s\n", it->text);
		if (it->has & CM_SUMMARY_HAS_AT_MS)
			cm_report_add_u64(row, "at_ms", NULL, it->at_ms);
		if (it->actor)
			cm_report_add_string(row, "actor", NULL, it->actor);
		if (it->cgroup)
			cm_report_add_string(row, "cgroup", NULL, it->cgroup);
		if (it->reason)
			cm_report_add_string(row, "reason", NULL, it->reason);
		if (it->has & CM_SUMMARY_HAS_ERRNO)
			cm_report_add_int(row, "errno", NULL, it->errno_value);
		if (it->has & CM_SUMMARY_HAS_BYTES)
			cm_report_add_bytes(row, "bytes", NULL, it->bytes);
		if (it->has & CM_SUMMARY_HAS_COUNT)
			cm_report_add_u64(row, "count", NULL, it->count);
	}
	if (!summary.nr_items)
		cm_report_add_text(a, "  nothing to report: no demotion, swap, OOM kill or refused hot-add\n");
	cm_sim_summary_free(&summary);
}

/* The run's own totals: swap, hot-plug, the EPC (JSON only). */
static void add_totals(struct cm_report_item *o, const struct cm_sim *sim)
{
	struct cm_report_item *swap = cm_report_add_object(o, "swap", NULL);
	struct cm_report_item *h = cm_report_add_object(o, "hotplug", NULL), *sgx, *c;

	cm_report_add_bytes(swap, "total_bytes", NULL, cm_mm_swap_total(sim->mm) * CM_PAGE_SIZE);
	cm_report_add_bytes(swap, "used_bytes", NULL, cm_mm_swap_used(sim->mm) * CM_PAGE_SIZE);
	cm_report_add_u64(h, "online_blocks", NULL, sim->hotadd_online_blocks);
	cm_report_add_u64(h, "rejected", NULL, sim->hotadd_rejected);
	cm_report_add_u64(h, "refused_blocks", NULL, sim->hotadd_refused_blocks);
	cm_report_add_u64(h, "devdax_blocks", NULL, sim->hotadd_devdax_blocks);
	cm_report_add_u64(h, "offline_blocks", NULL, sim->offline_blocks);
	cm_report_add_u64(h, "offline_refused", NULL, sim->offline_refused);
	if (!sim->epc)
		return;
	sgx = cm_report_add_object(o, "sgx", NULL);
	cm_report_add_bytes(sgx, "epc_bytes", NULL, cm_epc_total_pages(sim->epc) * CM_PAGE_SIZE);
	cm_report_add_bytes(sgx, "epc_free_bytes", NULL, cm_epc_free_pages(sim->epc) * CM_PAGE_SIZE);
	c = cm_report_add_object(sgx, "counters", NULL);
	for (int k = 0; k < CM_EPC_NR_COUNTERS; k++)
		cm_report_add_u64(c, cm_epc_counter_name((enum cm_epc_counter)k), NULL,
				  cm_epc_counter_total(sim->epc, (enum cm_epc_counter)k));
}

/*
 * The events applied, as objects {at_ms, kind, result}: each line of
 * sim->events reads "AT ms KIND: RESULT" (lib/sim/events.c); a line that
 * does not is kept whole as the result.
 */
static void add_events(struct cm_report_item *o, const struct cm_sim *sim)
{
	struct cm_report_item *a = cm_report_add_array(o, "events", NULL);

	for (size_t i = 0; i < sim->events.nr_lines; i++) {
		const char *line = sim->events.lines[i].text;
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);
		unsigned long long at_ms;
		char kind[32];
		int end = 0;

		if (sscanf(line, "%llu ms %31[a-z_]: %n", &at_ms, kind, &end) == 2 && end > 0) {
			cm_report_add_u64(row, "at_ms", NULL, at_ms);
			cm_report_add_string(row, "kind", NULL, kind);
			cm_report_add_string(row, "result", NULL, line + end);
		} else {
			cm_report_add_string(row, "result", NULL, line);
		}
	}
}

struct cm_report_item *cm_report_add_sim(struct cm_report_item *parent, const char *key, const struct cm_sim *sim)
{
	struct cm_report_item *o = cm_report_add_object(parent, key, NULL);

	cm_report_set_json_order(o, sim_json_order);
	cm_report_add_string(o, "status", NULL, sim->expects_passed ? "ok" : "failed");
	/* The text leaves them to the caller (confmem sim prints them on stderr). */
	cm_report_add_log(o, "warnings", &sim->scenario->warnings, NULL);
	cm_report_add_string(o, NULL, "scenario %s: ", sim->scenario->source);
	cm_report_add_u64(o, "duration_ms", "%s ms, ", sim->scenario->duration_ms);
	cm_report_add_u64(o, "seed", "seed %s, ", sim->seed);
	cm_report_add_u64(o, "page_events", "%s page events\n", sim->page_events);
	add_actors(o, sim);
	add_nodes(o, sim);
	add_counter_totals(o, sim);
	add_expects(o, sim);
	add_summary(o, sim);
	add_totals(o, sim);
	add_cgroups(o, sim);
	add_events(o, sim);
	picture_add_series(o, sim);
	return o;
}
