// SPDX-License-Identifier: MIT
/*
 * The hotadd event (SPEC 5, 7) as 6.12's mm/memory_hotplug.c goes:
 *
 *   add_memory()        the TDX check (hotplug.mode); a node not online
 *                       yet gets its pgdat and its own zonelist
 *                       (hotadd_init_pgdat(): `Fallback order for Node N`,
 *                       `Built K zonelists`, K the online nodes without it);
 *   online_pages()      with `online` not `offline`: the first block of an
 *                       empty zone rebuilds every zonelist, CPUs mapped
 *                       (the node now counted), then the memory notifier
 *                       recomputes the tiers once (`Demotion targets ...`).
 *
 * How the memory arrives (`via`: ACPI hot-add or device-dax/kmem, by
 * default the window's e820 type) gives the node its default abstract
 * distance when HMAT gives none. `online_movable` changes only the zone.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/hotplug.h"
#include "sim_internal.h"

static void trace_log(struct cm_sim *sim, const struct cm_log *log, const char *only_prefix)
{
	for (size_t i = 0; i < log->nr_lines; i++)
		if (!only_prefix || !strncmp(log->lines[i].text, only_prefix, strlen(only_prefix)))
			sim_trace(sim, "%s", log->lines[i].text);
}

/* vm_total_pages: what every node with memory has above its high watermark. */
static uint64_t total_pages(const struct cm_mm *mm)
{
	uint64_t total = 0;

	for (int n = 0; n < cm_mm_nr_nodes(mm); n++) {
		struct cm_mm_node_info info;

		cm_mm_node_info(mm, n, &info);
		if (info.online && info.present_pages > info.wmark.high)
			total += info.present_pages - info.wmark.high;
	}
	return total;
}

/* The highest zone that has online memory (x86-64: DMA below 16M, DMA32 below 4G, Normal above). */
static const char *policy_zone(const struct cm_mm *mm)
{
	const uint64_t dma32 = 16ULL << 20, normal = 4ULL << 30;

	if (cm_mm_range_online(mm, normal, UINT64_MAX - normal))
		return "Normal";
	return cm_mm_range_online(mm, dma32, normal - dma32) ? "DMA32" : "DMA";
}

/* build_all_zonelists() from hotadd_init_pgdat(): only for a node that is not online yet. */
static int trace_add_zonelists(struct cm_sim *sim, int node)
{
	struct cm_node_states states = cm_mm_tiering(sim->mm)->states;
	struct cm_log log = { 0 };
	int ret;

	if (cm_node_isset(states.memory | states.cpu, node))
		return 0;
	cm_node_set(&states.possible, node);
	ret = cm_zonelists_log(sim->scenario->platform, &states, node, total_pages(sim->mm), policy_zone(sim->mm),
			       &log);
	trace_log(sim, &log, NULL);
	cm_log_free(&log);
	return ret;
}

/* online_pages() of a zone's first block: every zonelist, then the demotion targets once. */
static int trace_online_zonelists(struct cm_sim *sim)
{
	const struct cm_tiering *t = cm_mm_tiering(sim->mm);
	struct cm_log log = { 0 };
	int ret;

	ret = cm_zonelists_log(sim->scenario->platform, &t->states, CM_NUMA_NO_NODE, total_pages(sim->mm),
			       policy_zone(sim->mm), &log);
	trace_log(sim, &log, NULL);
	cm_log_free(&log);
	trace_log(sim, &t->log, "Demotion targets");
	return ret;
}

/* A new node takes the next id after every node the run has seen; -1 when none is left. */
static int new_node_id(const struct cm_sim *sim)
{
	const struct cm_platform *p = sim->scenario->platform;
	int next = cm_mm_nr_nodes(sim->mm);

	for (size_t i = 0; i < p->nr_nodes; i++)
		if (p->nodes[i].id >= next)
			next = p->nodes[i].id + 1;
	for (size_t i = 0; i < p->nr_hotplug; i++)
		if (p->hotplug[i].node >= next)
			next = p->hotplug[i].node + 1;
	return next < CM_MAX_NUMNODES ? next : -1;
}

/* Keep a refused hot-add: when, what, and the reason as the kernel's verdict gives it. */
static int record_refusal(struct cm_sim *sim, const struct cm_scenario_event *e, int status, uint64_t nr_blocks,
			  uint64_t nr_blocks_refused, const char *reason, struct cm_error *err)
{
	struct cm_sim_hotadd_refusal *r = realloc(sim->hotadd_refusals,
						  (sim->nr_hotadd_refusals + 1) * sizeof(*sim->hotadd_refusals));

	if (!r)
		return cm_error_set(err, -ENOMEM, "hotadd: out of memory");
	sim->hotadd_refusals = r;
	r += sim->nr_hotadd_refusals++;
	*r = (struct cm_sim_hotadd_refusal){ .at_ms = e->at_ms, .start = e->hotplug.start, .size = e->hotplug.size,
					     .status = status, .nr_blocks = nr_blocks,
					     .nr_blocks_refused = nr_blocks_refused };
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
	return 0;
}

static void count_outcome(struct cm_sim *sim, const struct cm_hotplug_verdict *v)
{
	if (v->outcome == CM_HOTPLUG_REJECTED)
		sim->hotadd_rejected++;
	else if (v->outcome == CM_HOTPLUG_BLOCKS_REFUSED)
		sim->hotadd_refused_blocks += v->nr_blocks_failed;
	else if (v->outcome == CM_HOTPLUG_DEVICE_DAX)
		sim->hotadd_devdax_blocks += v->nr_blocks;
}

/* The range was added to @v->node: online it unless asked not to. */
static int online_range(struct cm_sim *sim, uint64_t at_ms, const struct cm_hotplug_request *req,
			const struct cm_hotplug_verdict *v, char *result, size_t len, struct cm_error *err)
{
	struct cm_mm_node_info before;
	struct cm_error e = { 0 };
	int ret;

	if (req->online == CM_HOTADD_OFFLINE) {
		snprintf(result, len, "%" PRIu64 " memory blocks added to node %d, left offline", v->nr_blocks, v->node);
		return 0;
	}
	sim->hotadd_online_blocks += v->nr_blocks;
	cm_mm_set_hotadd_via(sim->mm, v->node, req->via);
	cm_mm_node_info(sim->mm, v->node, &before);
	ret = cm_mm_online(sim->mm, v->node, req->start, req->size / CM_PAGE_SIZE, &e);
	if (ret)	/* more frames than the engine simulates (CM_MM_FRAMES_MAX), or out of memory */
		return cm_error_set(err, ret, "%s: the hotadd at %" PRIu64 " ms: %s", sim->scenario->source, at_ms, e.msg);
	if (!before.present_pages)
		ret = trace_online_zonelists(sim);
	snprintf(result, len, "%s%s", v->summary, req->online == CM_HOTADD_ONLINE_MOVABLE ? " (ZONE_MOVABLE)" : "");
	return ret ? cm_error_set(err, ret, "hotadd: out of memory") : 0;
}

int sim_apply_hotadd(struct cm_sim *sim, const struct cm_scenario_event *e, char *result, size_t len,
		     struct cm_error *err)
{
	struct cm_hotplug_request req = e->hotplug;
	struct cm_hotplug_verdict v;
	bool added;
	int ret;

	/* The kernel's register_memory_resource(): a range already present cannot be added again. */
	if (cm_mm_range_online(sim->mm, req.start, req.size)) {
		snprintf(result, len, "System RAM resource [mem %#010" PRIx64 "-%#010" PRIx64 "] cannot be added "
			 "(-EEXIST)", req.start, req.start + req.size - 1);
		sim_trace(sim, "%s", result);
		return record_refusal(sim, e, -EEXIST, 0, 0, result, err);
	}
	if (req.new_node) {
		req.new_node = false;
		req.node = new_node_id(sim);
		if (req.node < 0) {
			snprintf(result, len, "no node id left for a new node");
			return record_refusal(sim, e, -ENOSPC, 0, 0, result, err);
		}
	}
	req.mixed = cm_mm_config(sim->mm)->tdx.mixed;
	ret = cm_hotplug_evaluate(sim->scenario->platform, sim->plan, &req, &v, err);
	if (ret)
		return ret;
	for (size_t i = 0; i < v.log.nr_lines; i++)
		sim_trace(sim, "%s%s", cm_hotplug_log_prefix(&v), v.log.lines[i].text);
	snprintf(result, len, "%s", v.summary);
	count_outcome(sim, &v);
	if (v.outcome == CM_HOTPLUG_REJECTED || v.outcome == CM_HOTPLUG_BLOCKS_REFUSED)
		ret = record_refusal(sim, e, v.status, v.nr_blocks,
				     v.outcome == CM_HOTPLUG_REJECTED ? v.nr_blocks : v.nr_blocks_failed, v.summary, err);
	if (ret) {
		cm_hotplug_verdict_free(&v);
		return ret;
	}
	added = v.outcome == CM_HOTPLUG_ONLINE || v.outcome == CM_HOTPLUG_ONLINE_NON_TDX ||
		v.outcome == CM_HOTPLUG_BLOCKS_REFUSED;
	if (added)
		ret = trace_add_zonelists(sim, v.node);
	if (!ret && (v.outcome == CM_HOTPLUG_ONLINE || v.outcome == CM_HOTPLUG_ONLINE_NON_TDX))
		ret = online_range(sim, e->at_ms, &req, &v, result, len, err);
	else if (ret)
		ret = cm_error_set(err, ret, "hotadd: out of memory");
	cm_hotplug_verdict_free(&v);
	return ret;
}
