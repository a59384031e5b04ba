// SPDX-License-Identifier: MIT
/*
 * PAMT sizing and the walk over TDMRs that places them (SPEC 3.5): each
 * TDMR's PAMT is one contiguous block on the node of the first TDX memory
 * region ending above the TDMR's base; where in that node's memory (or
 * another's) is the placement strategy's choice (tdx_pamt_placement_ops).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_internal.h"

static const unsigned int pamt_page_shift[CM_PAMT_NR_LEVELS] = { 12, 21, 30 };

uint64_t tdx_pamt_level_size(uint64_t tdmr_size, enum cm_pamt_level level, unsigned int entry_size)
{
	uint64_t nr_entries = tdmr_size >> pamt_page_shift[level];

	return cm_align_up(nr_entries * entry_size, CM_PAGE_SIZE);
}

/* Dynamic PAMT: the 4K level is a bitmap of @bits per 4 KiB page (tdmr_get_pamt_bitmap_sz). */
static uint64_t pamt_bitmap_size(uint64_t tdmr_size, unsigned int bits)
{
	return cm_align_up((tdmr_size / CM_PAGE_SIZE * bits + 7) / 8, CM_PAGE_SIZE);
}

uint64_t cm_tdmr_pamt_block_size(const struct cm_tdmr *t)
{
	return t->pamt_size[CM_PAMT_4K] + t->pamt_size[CM_PAMT_2M] + t->pamt_size[CM_PAMT_1G];
}

int tdx_set_up_pamt_all(const struct cm_platform *p, struct cm_tdx_plan *plan)
{
	const struct tdx_pamt_placement_operations *placement = tdx_pamt_placement_ops(plan->options.pamt_placement);
	size_t cursor = 0;
	void *allocator;
	int ret;

	ret = placement->open(p, plan, &allocator);
	if (ret)
		return ret;
	for (size_t i = 0; i < plan->nr_tdmrs; i++) {
		struct cm_tdmr *t = &plan->tdmrs[i];
		uint64_t block = 0, base;
		int nid, got;

		/* The node of the first region that ends above the TDMR's base. */
		while (cursor < plan->nr_memlist && plan->memlist[cursor].end <= t->base)
			cursor++;
		if (cursor < plan->nr_memlist) {
			nid = plan->memlist[cursor].node;
		} else {
			cm_log_add(&plan->log, CM_LOG_WARN, "TDMR [0x%" PRIx64 ", 0x%" PRIx64 "): unable to find "
				   "local NUMA node for PAMT allocation, fallback to use node 0.",
				   t->base, cm_tdmr_end(t));
			nid = 0;
		}
		for (int l = 0; l < CM_PAMT_NR_LEVELS; l++) {
			if (l == CM_PAMT_4K && plan->dynamic_pamt)
				t->pamt_size[l] = pamt_bitmap_size(t->size, p->tdx.pamt_bitmap_entry_bits);
			else
				t->pamt_size[l] = tdx_pamt_level_size(t->size, (enum cm_pamt_level)l,
								      p->tdx.pamt_entry_size[l]);
			block += t->pamt_size[l];
		}
		ret = placement->alloc(allocator, nid, block, &base, &got);
		if (ret) {
			snprintf(plan->error, sizeof(plan->error), "TDMR [0x%" PRIx64 ", 0x%" PRIx64
				 "): no free TDX memory for its %" PRIu64 " KB PAMT on node %d or any other node.",
				 t->base, cm_tdmr_end(t), block / 1024, nid);
			/* The kernel returns -ENOMEM without a line: the finding is confmem's. */
			cm_log_add(&plan->diagnosis, CM_LOG_ERR, "%s", plan->error);
			for (size_t j = 0; j < i; j++)
				memset(plan->tdmrs[j].pamt_base, 0, sizeof(plan->tdmrs[j].pamt_base));
			goto out;
		}
		t->pamt_node = got;
		/* One block: 4K level first, then 2M, then 1G. */
		for (int l = 0; l < CM_PAMT_NR_LEVELS; l++) {
			t->pamt_base[l] = base;
			base += t->pamt_size[l];
		}
		plan->pamt_bytes += block;
	}
out:
	placement->close(allocator);
	return ret;
}
