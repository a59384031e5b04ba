// SPDX-License-Identifier: MIT
/*
 * Swap slots: a stack of released slots over a range never used, each
 * slot charged to a memcg's swap page counter (memory.swap.max). The
 * kernel records a slot's memcg (swap_cgroup); here it is always the
 * memcg of the space the page belongs to, since a space never changes
 * memcg, so the caller names it and no table is kept.
 */
#include "mm_internal.h"

bool mm_swap_room(const struct cm_mm *mm, int memcg)
{
	if (mm->swap_used >= mm->swap_total)
		return false;
	return !cm_page_counter_limit_hit(&mm_memcg(mm, memcg)->swap, 1);
}

bool mm_swap_slot_get(struct cm_mm *mm, int memcg, uint32_t *slot)
{
	if (!mm_swap_room(mm, memcg))
		return false;
	if (mm->nr_swap_free)
		*slot = mm->swap_free[--mm->nr_swap_free];
	else
		*slot = (uint32_t)mm->swap_fresh++;
	mm->swap_used++;
	cm_page_counter_charge(&mm_memcg(mm, memcg)->swap, 1);
	return true;
}

void mm_swap_slot_put(struct cm_mm *mm, uint32_t slot, int memcg)
{
	mm->swap_free[mm->nr_swap_free++] = slot;
	mm->swap_used--;
	cm_page_counter_uncharge(&mm_memcg(mm, memcg)->swap, 1);
}

uint64_t cm_mm_swap_total(const struct cm_mm *mm)
{
	return mm->swap_total;
}

uint64_t cm_mm_swap_used(const struct cm_mm *mm)
{
	return mm->swap_used;
}
