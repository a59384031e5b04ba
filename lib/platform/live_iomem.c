// SPDX-License-Identifier: MIT
/*
 * /proc/iomem for the live source: read it (a malformed file is an error; a
 * hidden or missing one leaves the memory blocks to decide), and make its
 * entries the e820 map and its Soft Reserved ranges hot-add windows.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "platform/live_internal.h"

/*
 * /proc/iomem: a malformed file is an error; a missing, unreadable, empty
 * or hidden one leaves @iomem_visible false and the memory blocks decide.
 */
int live_read_iomem(struct live_reader *r)
{
	char *text;
	size_t len;
	int ret;

	ret = live_make_path(r, r->iomem_path, "/proc/iomem");
	if (ret)
		return ret;
	ret = live_read_text_file(r->iomem_path, LIVE_IOMEM_FILE_MAX, &text, &len, r->err);
	if (ret && !live_is_missing(ret) && ret != -EACCES && ret != -EPERM)
		return ret;
	if (ret) {
		snprintf(r->iomem_problem, sizeof(r->iomem_problem), "%s", r->err->msg);
		live_note(r, "%s; RAM taken from memory blocks in /sys (block granularity)", r->err->msg);
		cm_error_clear(r->err);
		return 0;
	}
	ret = parse_iomem_text(text, len, r->iomem_path, &r->iomem, r->err);
	free(text);
	if (ret)
		return ret;
	if (r->iomem.nr_lines == 0) {
		snprintf(r->iomem_problem, sizeof(r->iomem_problem), "%.400s: empty file", r->iomem_path);
		live_note(r, "%s is empty; RAM taken from memory blocks in /sys (block granularity)",
			  r->iomem_path);
		return 0;
	}
	if (r->iomem.addresses_hidden) {
		snprintf(r->iomem_problem, sizeof(r->iomem_problem), "%.380s: addresses are hidden "
			 "(all zero): the kernel shows them only to a process with CAP_SYS_ADMIN", r->iomem_path);
		live_note(r, "%s addresses hidden (%s); RAM taken from memory blocks in /sys "
			  "(block granularity)", r->iomem_path, r->root[0] ? "copied without CAP_SYS_ADMIN" :
			  geteuid() ? "not root" : "root without CAP_SYS_ADMIN");
		return 0;
	}
	for (size_t i = 0; i < r->iomem.nr_entries; i++)
		if (r->iomem.entries[i].type == CM_E820_USABLE)
			r->iomem_visible = true;
	if (!r->iomem_visible)
		return cm_error_set(r->err, -EINVAL, "%s: expected at least one \"System RAM\" entry, "
				    "found none", r->iomem_path);
	return 0;
}

/* The first node whose blocks overlap [start, end), or -1. */
static int node_of_range(const struct live_reader *r, uint64_t start, uint64_t end)
{
	for (size_t k = 0; k < r->nr_runs; k++)
		if (r->runs[k].start < end && start < r->runs[k].end)
			return r->runs[k].node;
	return -1;
}

/*
 * Soft Reserved memory is not boot RAM: it stays in the map and becomes a
 * window that may be hot-added, rounded in to whole memory blocks.
 */
int live_add_soft_reserved_windows(struct live_reader *r)
{
	for (size_t i = 0; i < r->iomem.nr_entries; i++) {
		const struct cm_e820_entry *e = &r->iomem.entries[i];
		struct cm_hotplug_window w = { .convertible = false };
		uint64_t start = cm_align_up(e->start, r->block_size);
		uint64_t end = cm_align_down(e->end, r->block_size);

		if (e->type != CM_E820_SOFT_RESERVED)
			continue;
		if (start >= end) {
			live_note(r, "Soft Reserved [0x%" PRIx64 ", 0x%" PRIx64 ") holds no whole memory block "
				  "of 0x%" PRIx64 " bytes; no hot-add window for it", e->start, e->end,
				  r->block_size);
			continue;
		}
		w.start = start;
		w.size = end - start;
		w.node = node_of_range(r, start, end);
		if (w.node >= 0) {
			live_note(r, "Soft Reserved [0x%" PRIx64 ", 0x%" PRIx64 ") is online as node %d memory "
				  "(device-dax kmem); modelled as a hot-add window of node %d", start, end,
				  w.node, w.node);
		} else {
			struct cm_node *n;

			w.node = r->p->nodes[r->p->nr_nodes - 1].id + 1;
			if (w.node >= CM_MAX_NUMNODES)
				return cm_error_set(r->err, -EINVAL, "%s: Soft Reserved [0x%" PRIx64
						    ", 0x%" PRIx64 ") needs a new node, but node ids "
						    "stop at %d", r->iomem_path, e->start, e->end,
						    CM_MAX_NUMNODES - 1);
			n = cm_platform_add_node(r->p, w.node, CM_NODE_CXL);
			if (!n)
				return cm_error_set(r->err, -ENOMEM, "live: out of memory");
			live_note(r, "Soft Reserved [0x%" PRIx64 ", 0x%" PRIx64 ") has no memory blocks in /sys; "
				  "modelled as a hot-add window of a new memory-only cxl node %d", start, end,
				  w.node);
		}
		if (cm_platform_add_hotplug(r->p, &w))
			return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	}
	return 0;
}

int live_add_e820(struct live_reader *r)
{
	for (size_t i = 0; i < r->iomem.nr_entries; i++) {
		const struct cm_e820_entry *e = &r->iomem.entries[i];

		if (cm_platform_add_e820(r->p, e->start, e->end, e->type))
			return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	}
	return 0;
}
