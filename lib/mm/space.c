// SPDX-License-Identifier: MIT
/*
 * Spaces: ranges of virtual pages (anon first, then file) and where each
 * page is: a frame, a swap slot, or nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/names.h"
#include "mm_internal.h"

static const char *const mempolicy_mode_names[CM_NR_MEMPOLICY_MODES] = {
	[CM_MPOL_DEFAULT] = "default",
	[CM_MPOL_BIND] = "bind",
	[CM_MPOL_PREFERRED] = "preferred",
	[CM_MPOL_INTERLEAVE] = "interleave",
};

const char *cm_mempolicy_mode_name(enum cm_mempolicy_mode mode)
{
	return cm_name_of(mempolicy_mode_names, CM_NR_MEMPOLICY_MODES, mode);
}

/*
 * Room for @nr more virtual pages and one more space. Both arrays grow by
 * an eighth beyond what is needed, so that many small spaces cost
 * amortised constant time and a large one little more than its size.
 */
static int reserve_space(struct cm_mm *mm, uint64_t nr)
{
	uint64_t vpt_needed = mm->nr_vpages + nr + 1;

	if (mm->nr_spaces == mm->spaces_capacity) {
		size_t capacity = mm->spaces_capacity + mm->spaces_capacity / 8 + 16;
		struct space *s = realloc(mm->spaces, capacity * sizeof(*s));

		if (!s)
			return -ENOMEM;
		mm->spaces = s;
		mm->spaces_capacity = capacity;
	}
	if (vpt_needed > mm->vpt_capacity) {
		uint64_t capacity = vpt_needed + vpt_needed / 8 + 64;
		uint32_t *vpt;

		if (capacity > CM_MM_VIRTUAL_PAGES_MAX + 1)
			capacity = CM_MM_VIRTUAL_PAGES_MAX + 1;
		vpt = mm_table_resize(mm->vpt, capacity * sizeof(*vpt));
		if (!vpt)
			return -ENOMEM;
		mm->vpt = vpt;
		mm->vpt_capacity = capacity;
	}
	return 0;
}

int cm_mm_space_new(struct cm_mm *mm, uint64_t nr_anon, uint64_t nr_file, int memcg,
		    const struct cm_mempolicy *policy, int cpu_node)
{
	uint64_t nr = nr_anon + nr_file;
	struct space *s;
	int ret;

	if (mm->nr_vpages + nr > CM_MM_VIRTUAL_PAGES_MAX)
		return -E2BIG;
	ret = reserve_space(mm, nr);
	if (ret)
		return ret;
	s = &mm->spaces[mm->nr_spaces];
	memset(s, 0, sizeof(*s));
	s->base = mm->nr_vpages;
	s->nr_anon = nr_anon;
	s->nr_file = nr_file;
	s->memcg = memcg;
	s->policy = *policy;
	s->cpu_node = cpu_node;
	mm->nr_vpages += nr;
	return (int)mm->nr_spaces++;
}

int cm_mm_space_new_flags(struct cm_mm *mm, uint64_t nr_pages, int memcg, const struct cm_mempolicy *policy,
			  int cpu_node, unsigned int flags)
{
	int space = cm_mm_space_new(mm, nr_pages, 0, memcg, policy, cpu_node);

	if (space < 0)
		return space;
	mm->spaces[space].unevictable = flags & CM_SPACE_UNEVICTABLE;
	mm->spaces[space].unkillable = flags & CM_SPACE_KERNEL;
	return space;
}

int mm_space_of(const struct cm_mm *mm, uint64_t gvpn)
{
	size_t lo = 0, hi = mm->nr_spaces;

	while (lo + 1 < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (mm->spaces[mid].base <= gvpn)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo;
}

/* How far ahead of the page it frees a release fetches a frame. */
#define RELEASE_AHEAD 16

void cm_mm_space_release(struct cm_mm *mm, int space)
{
	struct space *s = &mm->spaces[space];
	uint64_t freed = 0;

	if (s->released)
		return;
	for (uint64_t i = 0, nr = s->nr_anon + s->nr_file; i < nr; i++) {
		uint32_t loc = vpt_get(mm, s->base + i);

		/* The entries are read in order; the frames they name are all over memory: fetch them early. */
		if (i + RELEASE_AHEAD < nr) {
			uint32_t ahead = vpt_get(mm, s->base + i + RELEASE_AHEAD);

			if (vp_is_frame(ahead))
				mm_prefetch_frame(mm, ahead);
		}

		if (loc == VP_NONE || loc == VP_FILE_READ)
			continue;
		if (loc & VP_SWAP) {
			mm_swap_slot_put(mm, loc & ~VP_SWAP, s->memcg);
		} else {
			if (frame_list_of(mm, loc) != FL_ISOLATED)
				mm_list_del(mm, loc);
			mm_free_frame(mm, loc);
			freed++;
		}
		vpt_set(mm, s->base + i, VP_NONE, false);
	}
	mm_uncharge(mm, s->memcg, freed);
	s->resident = 0;
	s->pinned = 0;
	s->swapped = 0;
	s->released = true;
}

void cm_mm_discard(struct cm_mm *mm, int space, uint64_t page)
{
	struct space *s = &mm->spaces[space];
	uint32_t loc = vpt_get(mm, s->base + page);

	if (s->released || loc == VP_NONE || loc == VP_FILE_READ)
		return;
	if (loc & VP_SWAP) {
		mm_swap_slot_put(mm, loc & ~VP_SWAP, s->memcg);
		s->swapped--;
	} else {
		if (frame_list_of(mm, loc) != FL_ISOLATED)
			mm_list_del(mm, loc);
		mm_free_frame(mm, loc);
		mm_uncharge(mm, s->memcg, 1);
		s->resident--;
		s->pinned -= s->unevictable;
	}
	vpt_set(mm, s->base + page, VP_NONE, false);
}

uint64_t cm_mm_space_resident(const struct cm_mm *mm, int space)
{
	return mm->spaces[space].resident;
}

uint64_t cm_mm_space_swapped(const struct cm_mm *mm, int space)
{
	return mm->spaces[space].swapped;
}

uint64_t cm_mm_space_resident_on(const struct cm_mm *mm, int space, int node)
{
	const struct space *s = &mm->spaces[space];
	uint64_t n = 0;

	for (uint64_t i = 0; i < s->nr_anon + s->nr_file; i++) {
		uint32_t loc = vpt_get(mm, s->base + i);

		if (vp_is_frame(loc) && frame_node(mm, loc) == node)
			n++;
	}
	return n;
}

bool cm_mm_space_killed(const struct cm_mm *mm, int space)
{
	return mm->spaces[space].killed;
}

uint64_t cm_mm_nr_killed(const struct cm_mm *mm)
{
	return mm->nr_killed;
}
