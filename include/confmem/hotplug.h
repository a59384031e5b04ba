/* SPDX-License-Identifier: MIT */
/*
 * Memory hot-add verdicts (SPEC 5).
 */
#ifndef CONFMEM_HOTPLUG_H
#define CONFMEM_HOTPLUG_H

#include <stdbool.h>
#include <stdint.h>

#include "confmem/platform.h"
#include "confmem/tdx.h"
#include "confmem/tiering.h"

enum cm_hotplug_mode {
	CM_HOTPLUG_CHECK,	/* whole range checked before anything is added */
	CM_HOTPLUG_NOTIFIER,	/* added, then every block's online refused */
	CM_HOTPLUG_DEVDAX,	/* kept away from the page allocator as device-dax */
	CM_HOTPLUG_NR_MODES
};
const char *cm_hotplug_mode_name(enum cm_hotplug_mode m);

/* How an added range's memory blocks are onlined (the hotadd event's `online`). */
enum cm_hotadd_online {
	CM_HOTADD_ONLINE,		/* echo online: the kernel's zone choice */
	CM_HOTADD_ONLINE_MOVABLE,	/* ZONE_MOVABLE: only the zone differs */
	CM_HOTADD_OFFLINE,		/* added, left offline: nothing for the page allocator */
	CM_HOTADD_NR_ONLINE
};
/* "online", "online_movable", "offline". */
const char *cm_hotadd_online_name(enum cm_hotadd_online online);

struct cm_hotplug_request {
	uint64_t start;
	uint64_t size;
	int node;		/* -1: take it from the hot-plug window holding the range */
	bool new_node;		/* put the memory on a new memory-only node */
	enum cm_hotplug_mode mode;
	enum cm_tdx_mixed mixed;
	enum cm_hotadd_via via;		/* ACPI hot-add or device-dax/kmem */
	enum cm_hotadd_online online;
};

enum cm_hotplug_outcome {
	CM_HOTPLUG_ONLINE,		/* the page allocator got it */
	CM_HOTPLUG_ONLINE_NON_TDX,	/* tdx.mixed=exclude: online, not TDX memory */
	CM_HOTPLUG_DEVICE_DAX,		/* a device-dax region for non-TD VMs */
	CM_HOTPLUG_REJECTED,		/* refused before anything was added */
	CM_HOTPLUG_BLOCKS_REFUSED,	/* added, every block's online refused */
	CM_HOTPLUG_NR_OUTCOMES
};
const char *cm_hotplug_outcome_name(enum cm_hotplug_outcome o);

struct cm_hotplug_verdict {
	enum cm_hotplug_outcome outcome;
	int status;			/* 0, -EINVAL (check) or -EPERM (notifier) */
	int node;			/* the node the memory joins */
	bool node_is_new;
	uint64_t nr_blocks;		/* memory blocks in the range */
	uint64_t nr_blocks_failed;
	bool tdx_memory;		/* the range is TDX memory */
	bool node_was_capable;
	bool node_capable_after;
	struct cm_log log;		/* kernel messages, without prefixes */
	char summary[320];		/* one line for humans */
	/*
	 * The blocks' onlining in one line, beside the per-block lines of
	 * @log ("512 memory blocks onlined (128 MiB each): all accepted");
	 * empty when no block was onlined (rejected whole, device-dax).
	 */
	char blocks_summary[200];
};

/*
 * Decide what hot-adding @req does on @p after @plan. Bad requests
 * (unaligned, overlapping boot RAM) return -EINVAL with @err set, a range
 * in no hot-plug window with no node named -ENOENT; a refusal is a
 * verdict, not an error.
 */
int cm_hotplug_evaluate(const struct cm_platform *p, const struct cm_tdx_plan *plan,
			const struct cm_hotplug_request *req, struct cm_hotplug_verdict *verdict,
			struct cm_error *err);
void cm_hotplug_verdict_free(struct cm_hotplug_verdict *verdict);
/* The prefix of the verdict's log lines: only a refused add is logged by the TDX code. */
const char *cm_hotplug_log_prefix(const struct cm_hotplug_verdict *verdict);

#endif /* CONFMEM_HOTPLUG_H */
