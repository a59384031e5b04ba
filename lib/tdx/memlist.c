// SPDX-License-Identifier: MIT
/*
 * The TDX memory list (SPEC 3.3) and the CMR list checks (SPEC 3.2).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_internal.h"

int cm_tdx_check_cmrs(const struct cm_range *in, unsigned int nr_in, struct cm_range *out,
		      unsigned int *nr_out, struct cm_error *err)
{
	unsigned int nr = nr_in;

	/* Firmware pads the list with empty entries: drop the trailing ones. */
	while (nr > 0 && in[nr - 1].start == in[nr - 1].end)
		nr--;
	if (nr == 0) {
		return cm_error_set(err, -EINVAL, "Firmware bug: No valid CMR.");
	}
	for (unsigned int i = 0; i < nr; i++) {
		if (in[i].start == in[i].end) {
			return cm_error_set(err, -EINVAL, "Firmware bug: invalid CMR(s) before valid CMRs.");
		}
		if (i > 0 && in[i].start < in[i - 1].end) {
			return cm_error_set(err, -EINVAL, "Firmware bug: CMRs not in address ascending order.");
		}
		out[i] = in[i];
	}
	*nr_out = nr;
	return 0;
}

bool cm_tdx_cmrs_contain(const struct cm_range *cmrs, unsigned int nr_cmrs, uint64_t start, uint64_t end)
{
	return cm_ranges_contain(cmrs, nr_cmrs, start, end);
}

static int memlist_append(struct cm_tdx_memblock **list, size_t *nr, size_t *cap,
			  uint64_t start, uint64_t end, int node)
{
	if (*nr == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct cm_tdx_memblock *n = realloc(*list, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		*list = n;
		*cap = ncap;
	}
	(*list)[*nr].start = start;
	(*list)[*nr].end = end;
	(*list)[*nr].node = node;
	(*nr)++;
	return 0;
}

/*
 * Every boot-RAM range, as memblock holds it (adjacent ranges of one node
 * merged), clamped to start at 1 MiB: the first 1 MiB is never convertible.
 */
int tdx_build_memlist(const struct cm_platform *p, struct cm_tdx_plan *plan)
{
	struct cm_node_range *ram;
	size_t nr_ram, cap = 0;
	int ret;

	ret = cm_platform_ram_ranges(p, &ram, &nr_ram);
	if (ret)
		return ret;
	for (size_t i = 0; i < nr_ram; i++) {
		uint64_t start = cm_align_up(ram[i].start, CM_PAGE_SIZE);
		uint64_t end = cm_align_down(ram[i].end, CM_PAGE_SIZE);
		struct cm_tdx_memblock *last = plan->nr_memlist ? &plan->memlist[plan->nr_memlist - 1] : NULL;

		if (start < CM_SZ_1M)
			start = CM_SZ_1M;
		if (start >= end)
			continue;
		if (last && last->end == start && last->node == ram[i].node) {
			last->end = end;
			continue;
		}
		ret = memlist_append(&plan->memlist, &plan->nr_memlist, &cap, start, end, ram[i].node);
		if (ret)
			break;
	}
	free(ram);
	return ret;
}

/* Strict (the kernel's design): all TDX memory must be convertible. */
int tdx_check_convertible(struct cm_tdx_plan *plan)
{
	for (size_t i = 0; i < plan->nr_memlist; i++) {
		const struct cm_tdx_memblock *m = &plan->memlist[i];

		if (!cm_tdx_cmrs_contain(plan->cmrs, plan->nr_cmrs, m->start, m->end)) {
			snprintf(plan->error, sizeof(plan->error),
				 "memory region [0x%" PRIx64 ", 0x%" PRIx64 ") is not TDX convertible memory.",
				 m->start, m->end);
			cm_log_add(&plan->log, CM_LOG_ERR, "%s", plan->error);
			cm_log_add(&plan->advice, CM_LOG_INFO, "the region is boot RAM of node %d and lies outside "
				   "every CMR", m->node);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Split the memory list at the CMR regions (touching CMRs as one): the
 * parts inside go to @kept (when not NULL), the parts outside to @outside,
 * each with its node.
 */
static int split_by_cmrs(const struct cm_tdx_plan *plan, struct cm_tdx_memblock **kept, size_t *nr_kept,
			 struct cm_tdx_memblock **outside, size_t *nr_outside)
{
	size_t cap = 0, cap_outside = 0;
	int ret = 0;

	for (size_t i = 0; i < plan->nr_memlist && !ret; i++) {
		const struct cm_tdx_memblock *m = &plan->memlist[i];
		uint64_t pos = m->start;

		for (unsigned int c = 0; c < plan->nr_cmrs && pos < m->end && !ret; c++) {
			uint64_t cs = plan->cmrs[c].start, ce = plan->cmrs[c].end;

			while (c + 1 < plan->nr_cmrs && plan->cmrs[c + 1].start == ce)
				ce = plan->cmrs[++c].end;
			if (ce <= pos)
				continue;
			if (cs >= m->end)
				break;
			if (cs > pos) {
				ret = memlist_append(outside, nr_outside, &cap_outside, pos, cs, m->node);
				pos = cs;
			}
			if (!ret) {
				uint64_t end = ce < m->end ? ce : m->end;

				if (kept)
					ret = memlist_append(kept, nr_kept, &cap, pos, end, m->node);
				pos = end;
			}
		}
		if (!ret && pos < m->end)
			ret = memlist_append(outside, nr_outside, &cap_outside, pos, m->end, m->node);
	}
	return ret;
}

/*
 * tdx.mixed=strict on a kernel without an early check: the kernel's lines
 * stand as they are; confmem names each piece of boot RAM outside the
 * CMRs, with its node, as its own finding.
 */
int tdx_diagnose_convertible(struct cm_tdx_plan *plan)
{
	struct cm_tdx_memblock *outside = NULL;
	size_t nr_outside = 0;
	int ret = split_by_cmrs(plan, NULL, NULL, &outside, &nr_outside);

	for (size_t i = 0; !ret && i < nr_outside; i++)
		cm_log_add(&plan->diagnosis, CM_LOG_WARN, "memory region [0x%" PRIx64 ", 0x%" PRIx64
			   ") of node %d is not TDX convertible memory: it is boot RAM outside every CMR",
			   outside[i].start, outside[i].end, outside[i].node);
	free(outside);
	return ret ? ret : (int)(nr_outside > 0);
}

/*
 * tdx.mixed=exclude: keep the parts of each region that lie inside CMR
 * regions, drop the rest and log each dropped piece once with its node.
 */
int tdx_exclude_nonconvertible(struct cm_tdx_plan *plan)
{
	struct cm_tdx_memblock *kept = NULL;
	size_t nr_kept = 0;
	int ret = split_by_cmrs(plan, &kept, &nr_kept, &plan->excluded, &plan->nr_excluded);

	if (ret) {
		free(kept);
		return ret;
	}
	for (size_t i = 0; i < plan->nr_excluded; i++)
		cm_log_add(&plan->log, CM_LOG_WARN, "memory region [0x%" PRIx64 ", 0x%" PRIx64
			   ") of node %d is not TDX convertible memory: excluded from TDX memory.",
			   plan->excluded[i].start, plan->excluded[i].end, plan->excluded[i].node);
	free(plan->memlist);
	plan->memlist = kept;
	plan->nr_memlist = nr_kept;
	return 0;
}
