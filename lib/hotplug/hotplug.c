// SPDX-License-Identifier: MIT
/*
 * Memory hot-add verdicts (SPEC 5). With TDX initialised only memory that
 * lies inside one TDX memory region may be onlined; hot-added memory never
 * is, so in practice every add is refused unless tdx.mixed=exclude accepts
 * it as non-TDX memory or it goes to device-dax.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/config.h"
#include "confmem/hotplug.h"
#include "confmem/names.h"
#include "confmem/numa.h"

static int request_node(const struct cm_platform *p, const struct cm_hotplug_request *req, struct cm_error *err)
{
	int highest = -1;

	if (req->new_node) {
		for (size_t i = 0; i < p->nr_nodes; i++)
			highest = p->nodes[i].id > highest ? p->nodes[i].id : highest;
		for (size_t i = 0; i < p->nr_hotplug; i++)
			highest = p->hotplug[i].node > highest ? p->hotplug[i].node : highest;
		if (highest + 1 >= CM_MAX_NUMNODES)
			return cm_error_set(err, -EINVAL, "no node id left for a new node (at most %d)",
					    CM_MAX_NUMNODES);
		return highest + 1;
	}
	if (req->node >= 0) {
		if (req->node >= CM_MAX_NUMNODES)
			return cm_error_set(err, -EINVAL, "node %d: expected 0..%d", req->node, CM_MAX_NUMNODES - 1);
		return req->node;
	}
	for (size_t i = 0; i < p->nr_hotplug; i++) {
		const struct cm_hotplug_window *w = &p->hotplug[i];

		if (req->start >= w->start && req->start + req->size <= w->start + w->size)
			return w->node;
	}
	return cm_error_set(err, -ENOENT, "range [0x%" PRIx64 ", 0x%" PRIx64 ") is in no hot-plug window of "
			    "the platform: name the node it joins, or ask for a new node", req->start, req->start + req->size);
}

static int check_request(const struct cm_platform *p, const struct cm_hotplug_request *req, struct cm_error *err)
{
	if (!req->size)
		return cm_error_set(err, -EINVAL, "SIZE: expected a non-zero size");
	if (req->size > UINT64_MAX - req->start || req->start + req->size > CM_PHYS_LIMIT)
		return cm_error_set(err, -EINVAL, "range [0x%" PRIx64 ", +0x%" PRIx64 ") ends past the 52-bit "
				    "physical address limit", req->start, req->size);
	if (!cm_is_aligned(req->start, p->memory_block_size) || !cm_is_aligned(req->size, p->memory_block_size))
		return cm_error_set(err, -EINVAL, "START and SIZE must be multiples of the memory block size "
				    "0x%" PRIx64 " (found start 0x%" PRIx64 ", size 0x%" PRIx64 ")",
				    p->memory_block_size, req->start, req->size);
	for (size_t i = 0; i < p->nr_e820; i++) {
		const struct cm_e820_entry *e = &p->e820[i];

		if (e->type == CM_E820_USABLE && req->start < e->end && e->start < req->start + req->size)
			return cm_error_set(err, -EINVAL, "range [0x%" PRIx64 ", 0x%" PRIx64 ") overlaps boot RAM "
					    "[0x%" PRIx64 ", 0x%" PRIx64 ")", req->start, req->start + req->size,
					    e->start, e->end);
	}
	return 0;
}

static bool node_capable(const struct cm_platform *p, const struct cm_tdx_plan *plan, int node)
{
	struct cm_node_capability *caps;
	bool capable = false;
	int i = cm_platform_node_index(p, node);

	if (i < 0 || cm_node_capabilities(p, plan, &caps, NULL))
		return false;
	capable = caps[i].crypto_capable;
	free(caps);
	return capable;
}

/* "128 MiB": a memory block's size, a power of two of at least 4 KiB. */
static void format_block_size(uint64_t size, char *buf, size_t len)
{
	if (size >= CM_SZ_1G && cm_is_aligned(size, CM_SZ_1G))
		snprintf(buf, len, "%" PRIu64 " GiB", size >> 30);
	else if (size >= CM_SZ_1M && cm_is_aligned(size, CM_SZ_1M))
		snprintf(buf, len, "%" PRIu64 " MiB", size >> 20);
	else
		snprintf(buf, len, "%" PRIu64 " KiB", size / 1024);
}

/* The blocks' onlining in one line: all accepted, or the refusals and the first one's reason. */
static void summarise_blocks(const struct cm_platform *p, uint64_t start, struct cm_hotplug_verdict *v)
{
	char size[32];

	format_block_size(p->memory_block_size, size, sizeof(size));
	if (!v->nr_blocks_failed) {
		snprintf(v->blocks_summary, sizeof(v->blocks_summary), "%" PRIu64 " memory block%s onlined (%s each): "
			 "all accepted", v->nr_blocks, v->nr_blocks == 1 ? "" : "s", size);
		return;
	}
	snprintf(v->blocks_summary, sizeof(v->blocks_summary), "%" PRIu64 " memory block%s (%s each): %" PRIu64
		 " refused onlining with -EPERM, the first [mem %#010" PRIx64 "-%#010" PRIx64 "]: not TDX memory "
		 "(the TDX memory notifier)", v->nr_blocks, v->nr_blocks == 1 ? "" : "s", size, v->nr_blocks_failed,
		 start, start + p->memory_block_size - 1);
}

int cm_hotplug_evaluate(const struct cm_platform *p, const struct cm_tdx_plan *plan,
			const struct cm_hotplug_request *req, struct cm_hotplug_verdict *v,
			struct cm_error *err)
{
	uint64_t end = req->start + req->size;
	bool tdx_on = plan && plan->result == CM_TDX_INITIALIZED;
	int ret, node;

	memset(v, 0, sizeof(*v));
	ret = check_request(p, req, err);
	if (ret)
		return ret;
	node = request_node(p, req, err);
	if (node < 0)
		return node;
	v->node = node;
	v->node_is_new = !cm_platform_node(p, node);
	v->nr_blocks = req->size / p->memory_block_size;
	v->tdx_memory = tdx_on && cm_tdx_plan_is_tdx_memory(plan, req->start, end);
	v->node_was_capable = node_capable(p, plan, node);
	v->node_capable_after = v->node_was_capable;

	if (req->mode == CM_HOTPLUG_DEVDAX) {
		v->outcome = CM_HOTPLUG_DEVICE_DAX;
		snprintf(v->summary, sizeof(v->summary), "[0x%" PRIx64 ", 0x%" PRIx64 ") becomes a device-dax region "
			 "(target node %d): usable by ordinary VMs, not by TD guests", req->start, end, node);
		return 0;
	}
	if (!tdx_on || v->tdx_memory) {
		v->outcome = CM_HOTPLUG_ONLINE;
		/* Memory added at run time is never convertible, so a capable node stops being one. */
		if (tdx_on || p->tdx.enabled)
			v->node_capable_after = v->tdx_memory && v->node_was_capable;
		snprintf(v->summary, sizeof(v->summary), "%" PRIu64 " memory blocks onlined on node %d%s", v->nr_blocks,
			 node, tdx_on ? "" : " (TDX not initialised: nothing to check)");
		summarise_blocks(p, req->start, v);
		return 0;
	}
	if (req->mixed == CM_TDX_MIXED_EXCLUDE) {
		v->outcome = CM_HOTPLUG_ONLINE_NON_TDX;
		v->node_capable_after = false;
		cm_log_add(&v->log, CM_LOG_INFO, "hot-added memory range 0x%" PRIx64 "-0x%" PRIx64 " on node %d is "
			   "not TDX memory: node %d is not crypto capable", req->start, end, node, node);
		snprintf(v->summary, sizeof(v->summary), "%" PRIu64 " memory blocks onlined on node %d as non-TDX memory "
			 "(tdx.mixed=exclude); node %d is not crypto_capable", v->nr_blocks, node, node);
		summarise_blocks(p, req->start, v);
		return 0;
	}
	if (req->mode == CM_HOTPLUG_CHECK) {
		bool convertible = cm_ranges_contain(plan->cmrs, plan->nr_cmrs, req->start, end);

		v->outcome = CM_HOTPLUG_REJECTED;
		v->status = -EINVAL;
		cm_log_add(&v->log, CM_LOG_ERR, "Reject hot-adding memory range: 0x%" PRIx64 "-0x%" PRIx64
			   " for TDX compatibility.", req->start, end);
		snprintf(v->summary, sizeof(v->summary), "hot-add refused (-EINVAL): [0x%" PRIx64 ", 0x%" PRIx64
			 ") is not TDX memory%s; use hotplug.mode=devdax to give it to ordinary VMs, or boot with "
			 "tdx.mixed=exclude", req->start, end,
			 convertible ? " (it lies in the CMRs, but only RAM present at boot becomes TDX memory)" : "");
		return 0;
	}
	v->outcome = CM_HOTPLUG_BLOCKS_REFUSED;
	v->status = -EPERM;
	v->nr_blocks_failed = v->nr_blocks;
	for (uint64_t b = 0; b < v->nr_blocks; b++) {
		uint64_t bs = req->start + b * p->memory_block_size;

		cm_log_add(&v->log, CM_LOG_DEBUG, "online_pages [mem %#010" PRIx64 "-%#010" PRIx64 "] failed",
			   bs, bs + p->memory_block_size - 1);
	}
	snprintf(v->summary, sizeof(v->summary), "range added, but onlining was refused for %" PRIu64 " of %" PRIu64
		 " memory blocks (echo 1 > memoryY/online: Operation not permitted)", v->nr_blocks_failed, v->nr_blocks);
	summarise_blocks(p, req->start, v);
	return 0;
}

void cm_hotplug_verdict_free(struct cm_hotplug_verdict *v)
{
	cm_log_free(&v->log);
}

const char *cm_hotplug_log_prefix(const struct cm_hotplug_verdict *verdict)
{
	return verdict->outcome == CM_HOTPLUG_REJECTED ? CM_TDX_LOG_PREFIX : "";
}

static const char *const mode_names[CM_HOTPLUG_NR_MODES] = {
	[CM_HOTPLUG_CHECK] = "check",
	[CM_HOTPLUG_NOTIFIER] = "notifier",
	[CM_HOTPLUG_DEVDAX] = "devdax",
};

const char *cm_hotplug_mode_name(enum cm_hotplug_mode m)
{
	return cm_name_of(mode_names, CM_HOTPLUG_NR_MODES, m);
}

static const char *const online_names[CM_HOTADD_NR_ONLINE] = {
	[CM_HOTADD_ONLINE] = "online",
	[CM_HOTADD_ONLINE_MOVABLE] = "online_movable",
	[CM_HOTADD_OFFLINE] = "offline",
};

const char *cm_hotadd_online_name(enum cm_hotadd_online online)
{
	return cm_name_of(online_names, CM_HOTADD_NR_ONLINE, online);
}

static const char *const outcome_names[CM_HOTPLUG_NR_OUTCOMES] = {
	[CM_HOTPLUG_ONLINE] = "online",
	[CM_HOTPLUG_ONLINE_NON_TDX] = "online_non_tdx",
	[CM_HOTPLUG_DEVICE_DAX] = "device_dax",
	[CM_HOTPLUG_REJECTED] = "rejected",
	[CM_HOTPLUG_BLOCKS_REFUSED] = "blocks_refused",
};

const char *cm_hotplug_outcome_name(enum cm_hotplug_outcome o)
{
	return cm_name_of(outcome_names, CM_HOTPLUG_NR_OUTCOMES, o);
}

static const char *mode_value(unsigned int v) { return cm_hotplug_mode_name(v); }

const struct cm_config_knob cm_hotplug_knobs[] = {
	{ "hotplug.mode", "how a hot-add is judged",
	  CM_KNOB_ENUM, CM_KNOB_RUNTIME, CM_KNOB_FIELD(hotplug_mode), .value_name = mode_value,
	  .nr_values = CM_HOTPLUG_NR_MODES },
};

const size_t cm_hotplug_nr_knobs = sizeof(cm_hotplug_knobs) / sizeof(cm_hotplug_knobs[0]);
