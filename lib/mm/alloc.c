// SPDX-License-Identifier: MIT
/*
 * Page faults: charge the memcg, then allocate a frame with the
 * allocator's fallback over the policy's nodes, kswapd, the min
 * watermark, direct reclaim and, last, an OOM kill.
 */
#include <errno.h>

#include "mm_internal.h"

/* The nodes an allocation may use, in the order it tries them: @only_node alone when it is a node. */
static int alloc_nodes(const struct cm_mm *mm, struct space *s, int only_node, int *order)
{
	const struct cm_tiering *t = &mm->tiering;
	int start = s->cpu_node, nr = 0;
	cm_nodemask_t allowed = ~0ULL;

	if (only_node >= 0) {
		if (only_node >= CM_MAX_NUMNODES || !mm->nodes[only_node].online || !mm->nodes[only_node].present)
			return 0;
		order[0] = only_node;
		return 1;
	}
	switch (s->policy.mode) {
	case CM_MPOL_BIND:
		allowed = s->policy.nodes;
		break;
	case CM_MPOL_PREFERRED:
		start = __builtin_ctzll(s->policy.nodes);
		break;
	case CM_MPOL_INTERLEAVE: {
		int weight = __builtin_popcountll(s->policy.nodes);
		int k = (int)(s->interleave_next++ % (uint64_t)weight);
		cm_nodemask_t m = s->policy.nodes;

		while (k--)
			m &= m - 1;
		start = __builtin_ctzll(m);
		break;
	}
	case CM_MPOL_DEFAULT:
		break;
	}
	for (int i = 0; i < t->nr_fallback[start]; i++) {
		int n = t->fallback_order[start][i];

		if (cm_node_isset(allowed, n) && mm->nodes[n].online && mm->nodes[n].present)
			order[nr++] = n;
	}
	return nr;
}

/* The watermark an allocation must leave free: low on the fast path, min after waking kswapd. */
enum alloc_wmark { ALLOC_WMARK_LOW, ALLOC_WMARK_MIN };

static uint32_t try_nodes(struct cm_mm *mm, const int *order, int nr, enum alloc_wmark wmark)
{
	for (int i = 0; i < nr; i++) {
		const struct mm_node *n = &mm->nodes[order[i]];
		uint32_t idx = mm_alloc_on_node(mm, order[i], wmark == ALLOC_WMARK_MIN ? n->wmark.min : n->wmark.low);

		if (idx != CM_NIL)
			return idx;
	}
	return CM_NIL;
}

/* Allocate a frame for @s: fast path, kswapd, min watermark, direct reclaim, OOM. */
static int alloc_frame(struct cm_mm *mm, int space, int only_node, uint32_t *out)
{
	int order[CM_MAX_NUMNODES], nr;
	uint32_t idx;

	for (int attempt = 0;; attempt++) {
		struct space *s = &mm->spaces[space];

		nr = alloc_nodes(mm, s, only_node, order);
		/* No allowed node has memory: the policy cannot be satisfied, and killing others won't help. */
		if (!nr)
			return -ENOMEM;
		idx = try_nodes(mm, order, nr, ALLOC_WMARK_LOW);
		if (idx == CM_NIL) {
			for (int i = 0; i < nr; i++)
				if (mm->nodes[order[i]].free < mm->nodes[order[i]].wmark.low)
					mm_wake_kswapd(mm, order[i]);
			idx = try_nodes(mm, order, nr, ALLOC_WMARK_MIN);
		}
		for (int retry = 0; idx == CM_NIL && retry < MAX_RECLAIM_RETRIES; retry++) {
			uint64_t progress = 0;

			if (nr)
				mm->nodes[order[0]].counters[CM_ALLOCSTALL]++;
			for (int i = 0; i < nr && progress < CM_SWAP_CLUSTER_MAX; i++)
				progress += mm_shrink_node(mm, order[i], 0, CM_SWAP_CLUSTER_MAX, RECLAIM_DIRECT);
			idx = try_nodes(mm, order, nr, ALLOC_WMARK_MIN);
			if (!progress)
				break;
		}
		if (idx != CM_NIL) {
			*out = idx;
			return 0;
		}
		/* Out of memory: kill the biggest and try again, unless that was us; one node only (__GFP_THISNODE) never kills. */
		if (only_node >= 0 || mm_oom_kill(mm, 0) < 0 || mm->spaces[space].killed || attempt > (int)mm->nr_spaces)
			return -ENOMEM;
	}
}

/* A fault: charge, allocate, and bring the page in from swap or its file. */
static __attribute__((noinline)) int touch_fault(struct cm_mm *mm, int space, uint64_t page, bool write)
{
	struct space *s = &mm->spaces[space];
	uint64_t gvpn = s->base + page;
	uint32_t loc, idx;
	bool anon = page < s->nr_anon;
	struct mm_node *node;
	struct frame *f;
	int ret;

	ret = mm_try_charge(mm, space);
	if (ret)
		return ret;
	ret = alloc_frame(mm, space, -1, &idx);
	s = &mm->spaces[space];
	if (ret) {
		mm_uncharge(mm, s->memcg, 1);
		return ret;
	}
	f = &mm->frames[idx];
	node = &mm->nodes[frame_node(mm, idx)];
	f->owner = (uint32_t)gvpn;
	f->memcg = (uint16_t)s->memcg;
	mm->frame_flags[idx] |= (anon ? FRAME_ANON : 0) | (write && !anon ? FRAME_DIRTY : 0);
	node->counters[CM_PGFAULT]++;
	mm_memcg_count(mm, s->memcg, CM_MEMCG_PGFAULT, 1);
	loc = vpt_get(mm, gvpn);
	if (loc != VP_NONE && loc != VP_FILE_READ && (loc & VP_SWAP)) {
		mm_swap_slot_put(mm, loc & ~VP_SWAP, s->memcg);
		s->swapped--;
		node->counters[CM_PSWPIN]++;
		node->counters[CM_PGMAJFAULT]++;
		mm_memcg_count(mm, s->memcg, CM_MEMCG_PGMAJFAULT, 1);
	} else if (!anon) {
		/* Page cache miss: read from the file. */
		node->counters[CM_PGMAJFAULT]++;
		mm_memcg_count(mm, s->memcg, CM_MEMCG_PGMAJFAULT, 1);
	}
	vpt_set(mm, gvpn, idx, true);
	s->resident++;
	s->pinned += s->unevictable;
	mm_list_add(mm, idx, s->unevictable ? FL_UNEVICTABLE : anon ? FL_INACTIVE_ANON : FL_INACTIVE_FILE);
	if (mm->kswapd_woken_mask)
		mm_kswapd_keep_pace(mm);
	return 0;
}

/*
 * A touch of the resident page whose page-table entry is *@pte (stored
 * inverted) and location @loc: the entry's accessed bit is set (a store
 * every time: testing first mispredicts on every page reclaim has aged); a
 * written file page is dirty. The frame's flags are read only for that and
 * where NUMA balancing marked pages (@hinted). True when the touch is a
 * NUMA hint fault.
 */
static inline bool mark_accessed(uint32_t *pte, uint32_t loc, uint8_t *frame_flags, bool hinted, bool write,
				 bool file)
{
	uint32_t idx = loc & VP_FRAME_MASK;

	*pte = ~(loc | VP_YOUNG);
	if (write && file)
		frame_flags[idx] |= FRAME_DIRTY;
	return hinted && (frame_flags[idx] & FRAME_HINT);
}

/* The hit path, inline in both entry points: mark the page accessed. */
static inline int touch_page(struct cm_mm *mm, int space, uint64_t page, bool write)
{
	struct space *s = &mm->spaces[space];
	uint32_t *pte = &mm->vpt[s->base + page], loc = ~*pte;

	if (s->released)
		return -ENOMEM;
	if (!vp_is_frame(loc))
		return touch_fault(mm, space, page, write);
	if (mark_accessed(pte, loc, mm->frame_flags, s->numa_hinted, write, page >= s->nr_anon))
		mm_numa_hint_fault(mm, space, loc & VP_FRAME_MASK);
	return 0;
}

int cm_mm_touch(struct cm_mm *mm, int space, uint64_t page, bool write)
{
	return touch_page(mm, space, page, write);
}

/*
 * How far ahead the batch reads: the page-table entry TOUCH_AHEAD_VPT
 * touches ahead, then, where the frame's flags will be read (NUMA hints),
 * those TOUCH_AHEAD_FRAME touches ahead, once the entry has arrived.
 * Prefetches are hints: a location that changes before its touch costs a
 * miss, never a wrong result.
 */
#define TOUCH_AHEAD_VPT 64
#define TOUCH_AHEAD_FRAME 16

static inline void prefetch_location(const uint8_t *frame_flags, uint32_t loc)
{
	if (vp_is_frame(loc))
		__builtin_prefetch(&frame_flags[loc & VP_FRAME_MASK], 1);
}

int cm_mm_touch_batch(struct cm_mm *mm, int space, const uint64_t *pages, const bool *writes, size_t nr,
		      size_t *nr_done)
{
	const struct space *s = &mm->spaces[space];
	uint32_t *vpt = mm->vpt + s->base;
	uint8_t *frame_flags = mm->frame_flags;	/* in a register: a flags store may alias any memory */
	uint64_t nr_anon = s->nr_anon;
	bool released = s->released, hinted = s->numa_hinted;
	int ret;

	for (size_t i = 0; i < nr; i++) {
		bool write = writes && writes[i];
		uint32_t loc;

		if (i + TOUCH_AHEAD_VPT < nr)
			__builtin_prefetch(&vpt[pages[i + TOUCH_AHEAD_VPT]], 1);
		if (hinted && i + TOUCH_AHEAD_FRAME < nr)
			prefetch_location(frame_flags, ~vpt[pages[i + TOUCH_AHEAD_FRAME]]);
		/* The hit, as touch_page() does it, with the space's fields read once for the batch. */
		loc = ~vpt[pages[i]];
		if (released || !vp_is_frame(loc)) {
			ret = touch_page(mm, space, pages[i], write);
			if (ret) {
				*nr_done = i;
				return ret;
			}
		} else if (mark_accessed(&vpt[pages[i]], loc, frame_flags, hinted, write, pages[i] >= nr_anon)) {
			mm_numa_hint_fault(mm, space, loc & VP_FRAME_MASK);
		} else {
			continue;
		}
		/* A fault or a hint fault may have killed the space or moved what it reads. */
		s = &mm->spaces[space];
		vpt = mm->vpt + s->base;
		frame_flags = mm->frame_flags;
		released = s->released;
		hinted = s->numa_hinted;
	}
	*nr_done = nr;
	return 0;
}

int cm_mm_page_location(const struct cm_mm *mm, int space, uint64_t page, int *node, uint64_t *phys)
{
	const struct space *s = &mm->spaces[space];
	uint32_t loc = vpt_get(mm, s->base + page);
	const struct mm_node *n;

	if (s->released || !vp_is_frame(loc))
		return -ENOENT;
	*node = frame_node(mm, loc);
	n = &mm->nodes[*node];
	for (size_t i = 0; i < n->nr_segments; i++) {
		if (loc >= n->segments[i].first && loc - n->segments[i].first < n->segments[i].nr) {
			*phys = n->segments[i].phys + (uint64_t)(loc - n->segments[i].first) * CM_PAGE_SIZE;
			return 0;
		}
	}
	return -ENOENT;
}

int cm_mm_fault_on(struct cm_mm *mm, int space, uint64_t page, int node, int *node_out, uint64_t *phys)
{
	struct space *s = &mm->spaces[space];
	uint64_t gvpn = s->base + page;
	struct frame *f;
	uint32_t idx;
	int ret;

	if (s->released)
		return -ENOMEM;
	if (vpt_get(mm, gvpn) != VP_NONE)
		return -EEXIST;
	ret = mm_try_charge(mm, space);
	if (ret)
		return ret;
	ret = alloc_frame(mm, space, node, &idx);
	s = &mm->spaces[space];
	if (ret) {
		mm_uncharge(mm, s->memcg, 1);
		return ret;
	}
	f = &mm->frames[idx];
	f->owner = (uint32_t)gvpn;
	f->memcg = (uint16_t)s->memcg;
	mm->frame_flags[idx] |= FRAME_ANON;
	mm->nodes[frame_node(mm, idx)].counters[CM_PGFAULT]++;
	vpt_set(mm, gvpn, idx, true);
	s->resident++;
	s->pinned += s->unevictable;
	mm_list_add(mm, idx, s->unevictable ? FL_UNEVICTABLE : FL_INACTIVE_ANON);
	return cm_mm_page_location(mm, space, page, node_out, phys);
}
