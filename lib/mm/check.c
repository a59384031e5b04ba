// SPDX-License-Identifier: MIT
/*
 * The engine's invariants (SPEC 6), checked by walking everything.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mm_internal.h"

#define fail(...) cm_error_set(err, -EUCLEAN, __VA_ARGS__)

/* Every ring's live slots are its count, and it holds no more slots than it has. */
static int check_lists(const struct cm_mm *mm, uint64_t *on_lists, struct cm_error *err)
{
	if (mm->lru_enomem)
		return fail("out of memory for an LRU list's ring: a page was left off its list");
	for (size_t m = 0; m < mm_nr_memcgs(mm); m++) {
		for (int node = 0; node < mm->nr_node_ids; node++) {
			const struct lruvec *lv = &mm->lruvecs[m * CM_MAX_NUMNODES + (size_t)node];

			for (int l = 0; l < CM_NR_LRU; l++) {
				const struct lru_ring *r = &lv->lists[l];
				uint64_t count = 0;
				uint32_t idx;

				if (r->used > r->capacity || (r->capacity && r->tail >= r->capacity))
					return fail("memcg %zu node %d list %d: ring of %u slots says %u used from slot %u",
						    m, node, l, r->capacity, r->used, r->tail);
				for (uint32_t k = 0; k < r->used; k++) {
					if (mm->frames == NULL || r->slots[mm_ring_slot(r, k)] >= mm->nr_frames)
						return fail("memcg %zu node %d list %d: slot %u holds no frame", m, node, l, k);
					count += mm_ring_live(mm, r, k, (int)m, node, (enum frame_list)l, &idx);
				}
				if (count != r->nr)
					return fail("memcg %zu node %d list %d: %" PRIu64 " pages on the ring, %" PRIu64 " counted",
						    m, node, l, count, r->nr);
				on_lists[node] += count;
			}
		}
	}
	return 0;
}

/* A frame that says it is on a list is live in that list's ring. */
static int check_on_its_list(const struct cm_mm *mm, uint32_t idx, struct cm_error *err)
{
	const struct frame *f = &mm->frames[idx];
	enum frame_list l = frame_list_of(mm, idx);
	int node = frame_node(mm, idx);
	const struct lru_ring *r = &mm->lruvecs[(size_t)f->memcg * CM_MAX_NUMNODES + (size_t)node].lists[l];
	uint32_t offset = f->link - r->tail_seq, found;

	if (offset >= r->used || !mm_ring_live(mm, r, offset, f->memcg, node, l, &found) || found != idx)
		return fail("frame %u: says list %d of memcg %u node %d but is not on it", idx, l, f->memcg, node);
	return 0;
}

/* Is @idx a free frame of @node? */
static bool free_frame_of(const struct cm_mm *mm, uint32_t idx, int node)
{
	return idx < mm->nr_frames && frame_list_of(mm, idx) == FL_FREE && frame_node(mm, idx) == node;
}

/* The list part, walked from its head: it reaches @nr_listed free frames of the node and ends. */
static int walk_free_list(const struct cm_mm *mm, int node, uint64_t nr_listed, struct cm_error *err)
{
	uint64_t nr = 0;

	for (uint32_t idx = mm->nodes[node].free_head; idx != CM_NIL; idx = mm->frames[idx].link)
		if (!free_frame_of(mm, idx, node) || ++nr > nr_listed)
			return fail("node %d: free list reaches frame %u, not a free frame of the node (or a loop)",
				    node, idx);
	if (nr != nr_listed)
		return fail("node %d: %" PRIu64 " frames on the free list, %" PRIu64 " freed and not cached", node, nr,
			    nr_listed);
	return 0;
}

/*
 * The list part, by the shape of its links rather than a walk (which waits
 * on memory once per frame): every free frame of the node that is not
 * cached links to another or ends the list; no frame is linked to twice;
 * the head and the cached frames are linked to by none; exactly one frame
 * ends the list. That is one chain from the head, except for a loop of
 * free frames cut off from it, which only the walk sees. Two passes over
 * the node's frames in order: the first marks where each link goes, the
 * second that every frame marked is a free frame of the node.
 */
static int shape_free_list(const struct cm_mm *mm, int node, uint64_t nr_listed, struct cm_error *err)
{
	const struct mm_node *n = &mm->nodes[node];
	uint64_t nr_links = 0, nr_ends = 0, nr_marked = 0;
	struct cm_bitmap linked;
	int ret = 0;

	if (cm_bitmap_init(&linked, (unsigned int)mm->nr_frames))
		return walk_free_list(mm, node, nr_listed, err);
	for (uint32_t k = 0; k < n->nr_free_cached && !ret; k++) {	/* marked: no list frame may link to one */
		uint32_t idx = n->free_cache[free_cache_slot(n, k)];

		if (mm->frames[idx].link != CM_NIL)
			ret = fail("node %d: cached free frame %u links to frame %u", node, idx, mm->frames[idx].link);
		cm_bitmap_set(&linked, idx);
	}
	for (size_t i = 0; i < n->nr_segments && !ret; i++) {
		const struct segment *s = &n->segments[i];

		for (uint32_t idx = s->first; idx < s->first + s->fresh && !ret; idx++) {
			uint32_t next = mm->frames[idx].link;

			if (frame_list_of(mm, idx) != FL_FREE)
				continue;
			if (next == CM_NIL) {
				nr_ends++;
			} else if (next >= mm->nr_frames || cm_bitmap_test(&linked, next)) {
				ret = fail("node %d: free frame %u links to frame %u, which is no frame, cached, or "
					   "linked to twice", node, idx, next);
			} else {
				cm_bitmap_set(&linked, next);
				nr_links++;
			}
		}
	}
	for (size_t i = 0; i < n->nr_segments && !ret; i++) {
		const struct segment *s = &n->segments[i];

		for (uint32_t idx = s->first; idx < s->first + s->fresh && !ret; idx++) {
			if (!cm_bitmap_test(&linked, idx))
				continue;
			if (frame_list_of(mm, idx) != FL_FREE)
				ret = fail("node %d: frame %u is linked from the free list but is not a free frame",
					   node, idx);
			nr_marked++;
		}
	}
	if (!ret && nr_marked != nr_links + n->nr_free_cached)
		ret = fail("node %d: %" PRIu64 " links of the free list go to frames the node has not handed out, or "
			   "to another node's", node, nr_links + n->nr_free_cached - nr_marked);
	if (!ret && !nr_listed && n->free_head != CM_NIL)
		ret = fail("node %d: free list starts at frame %u with no frame freed and not cached", node,
			   n->free_head);
	if (!ret && nr_listed && (!free_frame_of(mm, n->free_head, node) || cm_bitmap_test(&linked, n->free_head)))
		ret = fail("node %d: free list starts at frame %u, not a free frame of the node no other links to",
			   node, n->free_head);
	if (!ret && (nr_links != (nr_listed ? nr_listed - 1 : 0) || nr_ends != n->nr_free_cached + !!nr_listed))
		ret = fail("node %d: %" PRIu64 " free frames on the list, linked %" PRIu64 " times with %" PRIu64
			   " ends (%u of them cached)", node, nr_listed, nr_links, nr_ends, n->nr_free_cached);
	cm_bitmap_free(&linked);
	return ret;
}

/* The node's free stack (its cached part and its list) holds exactly its @nr_free freed frames. */
static int check_free_stack(const struct cm_mm *mm, int node, uint64_t nr_free, bool walk, struct cm_error *err)
{
	const struct mm_node *n = &mm->nodes[node];

	if (n->nr_free_cached > MM_FREE_CACHE || n->free_cache_bottom >= MM_FREE_CACHE)
		return fail("node %d: free cache of %u frames from slot %u", node, n->nr_free_cached,
			    n->free_cache_bottom);
	for (uint32_t k = 0; k < n->nr_free_cached; k++) {
		uint32_t idx = n->free_cache[free_cache_slot(n, k)];

		if (!free_frame_of(mm, idx, node))
			return fail("node %d: free cache slot %u holds frame %u, not a free frame of the node", node,
				    k, idx);
	}
	if (n->nr_free_cached > nr_free)
		return fail("node %d: %u frames in the free cache, %" PRIu64 " freed", node, n->nr_free_cached,
			    nr_free);
	return (walk ? walk_free_list : shape_free_list)(mm, node, nr_free - n->nr_free_cached, err);
}

static int check_frames(const struct cm_mm *mm, const uint64_t *on_lists, uint64_t *charged, bool walk,
			struct cm_error *err)
{
	uint64_t used[CM_MAX_NUMNODES] = { 0 }, free_seen[CM_MAX_NUMNODES] = { 0 };

	for (int node = 0; node < mm->nr_node_ids; node++) {
		const struct mm_node *n = &mm->nodes[node];
		uint64_t never_used = 0, present = 0;

		for (size_t i = 0; i < n->nr_segments; i++) {
			const struct segment *s = &n->segments[i];

			never_used += s->nr - s->fresh;
			present += s->nr;
			for (uint32_t k = 0; k < s->fresh; k++) {
				const struct frame *f = &mm->frames[s->first + k];
				enum frame_list l = frame_list_of(mm, s->first + k);

				if (frame_node(mm, s->first + k) != node)
					return fail("frame %u: in node %d's memory but says node %d", s->first + k, node,
						    frame_node(mm, s->first + k));
				if (l == FL_FREE) {
					free_seen[node]++;
					continue;
				}
				if (l == FL_ISOLATED || l == FL_OFFLINE)
					return fail("frame %u: left in transit (state %d) between events", s->first + k, l);
				used[node]++;
				if (check_on_its_list(mm, s->first + k, err))
					return -EUCLEAN;
				if (f->owner >= mm->nr_vpages || vpt_get(mm, f->owner) != s->first + k)
					return fail("frame %u: owner page %u does not point back", s->first + k, f->owner);
				charged[f->memcg]++;
			}
		}
		if (present != n->present)
			return fail("node %d: %" PRIu64 " frames in segments, %" PRIu64 " present", node, present, n->present);
		if (free_seen[node] + never_used != n->free)
			return fail("node %d: %" PRIu64 " free frames found, %" PRIu64 " counted", node,
				    free_seen[node] + never_used, n->free);
		if (free_seen[node] + never_used + used[node] != n->present)
			return fail("node %d: free %" PRIu64 " + used %" PRIu64 " != present %" PRIu64, node,
				    free_seen[node] + never_used, used[node], n->present);
		if (check_free_stack(mm, node, free_seen[node], walk, err))
			return -EUCLEAN;
		if (used[node] != on_lists[node])
			return fail("node %d: %" PRIu64 " pages in use, %" PRIu64 " on LRU lists", node, used[node],
				    on_lists[node]);
	}
	return 0;
}

static int check_spaces(const struct cm_mm *mm, uint64_t *swap_charged, struct cm_error *err)
{
	uint64_t swapped = 0;

	for (size_t i = 0; i < mm->nr_spaces; i++) {
		const struct space *s = &mm->spaces[i];
		uint64_t resident = 0, in_swap = 0;

		for (uint64_t p = 0; p < s->nr_anon + s->nr_file; p++) {
			uint32_t loc = vpt_get(mm, s->base + p);

			if (loc == VP_NONE || loc == VP_FILE_READ)
				continue;
			if (s->released)
				return fail("space %zu: released but page %" PRIu64 " still has a location", i, p);
			if (loc & VP_SWAP) {
				if (s->unevictable)
					return fail("space %zu: unevictable page %" PRIu64 " was swapped out", i, p);
				if (p >= s->nr_anon)
					return fail("space %zu: file page %" PRIu64 " in swap", i, p);
				if ((loc & ~VP_SWAP) >= mm->swap_fresh)
					return fail("space %zu: page %" PRIu64 " in unused swap slot", i, p);
				swap_charged[s->memcg]++;
				in_swap++;
				continue;
			}
			if (loc >= mm->nr_frames || mm->frames[loc].owner != s->base + p)
				return fail("space %zu: page %" PRIu64 " points at frame %u that holds something else", i, p, loc);
			if ((p < s->nr_anon) != !!(mm->frame_flags[loc] & FRAME_ANON))
				return fail("space %zu: page %" PRIu64 " anon/file mismatch", i, p);
			if ((mm->frame_flags[loc] & FRAME_HINT) && !s->numa_hinted)
				return fail("space %zu: page %" PRIu64 " awaits a NUMA hint fault its touches never look for", i, p);
			if (s->unevictable && (frame_list_of(mm, loc) != FL_UNEVICTABLE || mm->frames[loc].demoted))
				return fail("space %zu: unevictable page %" PRIu64 " is on list %d%s", i, p,
					    frame_list_of(mm, loc), mm->frames[loc].demoted ? " and was demoted" : "");
			resident++;
		}
		if (s->unevictable && resident != s->pinned)
			return fail("space %zu: unevictable, %" PRIu64 " pages put in and not taken out, %" PRIu64
				    " resident: reclaim or migration took one", i, s->pinned, resident);
		if (resident != s->resident || in_swap != s->swapped)
			return fail("space %zu: %" PRIu64 " resident and %" PRIu64 " swapped found, %" PRIu64 " and %" PRIu64
				    " counted", i, resident, in_swap, s->resident, s->swapped);
		swapped += in_swap;
	}
	if (swapped != mm->swap_used || mm->swap_used + mm->nr_swap_free != mm->swap_fresh ||
	    mm->swap_fresh > mm->swap_total)
		return fail("swap: %" PRIu64 " pages swapped, %" PRIu64 " slots used, %" PRIu64 " free, %" PRIu64
			    " handed out of %" PRIu64, swapped, mm->swap_used, mm->nr_swap_free, mm->swap_fresh,
			    mm->swap_total);
	return 0;
}

static int check_memcgs(const struct cm_mm *mm, const uint64_t *charged, const uint64_t *swap_charged,
			struct cm_error *err)
{
	for (size_t m = 0; m < mm_nr_memcgs(mm); m++) {
		const struct cm_cgroup *c = cm_cgroup_get(mm->cgroups, (int)m);
		const struct cm_page_counter *mc = &c->memory.memory;
		uint64_t usage = 0, swap = 0;

		for (size_t k = 0; k < mm_nr_memcgs(mm); k++) {
			if (!mm_is_ancestor(mm, (int)m, (int)k))
				continue;
			usage += charged[k];
			swap += swap_charged[k];
		}
		if (usage != mc->usage)
			return fail("memcg %s: usage %" PRIu64 " but %" PRIu64 " pages charged in its subtree", c->path,
				    mc->usage, usage);
		if (swap != c->memory.swap.usage)
			return fail("memcg %s: swap %" PRIu64 " but %" PRIu64 " slots charged in its subtree", c->path,
				    c->memory.swap.usage, swap);
		if (m > 0 && mc->usage > mc->max)
			return fail("memcg %s: usage %" PRIu64 " above memory.max %" PRIu64, c->path, mc->usage, mc->max);
	}
	return 0;
}

static int check(const struct cm_mm *mm, bool walk, struct cm_error *err)
{
	uint64_t on_lists[CM_MAX_NUMNODES] = { 0 };
	uint64_t *charged = calloc(mm_nr_memcgs(mm), sizeof(*charged));
	uint64_t *swap_charged = calloc(mm_nr_memcgs(mm), sizeof(*swap_charged));
	int ret;

	if (!charged || !swap_charged) {
		free(charged);
		free(swap_charged);
		return cm_error_set(err, -ENOMEM, "check: out of memory");
	}
	ret = check_lists(mm, on_lists, err);
	if (!ret)
		ret = check_frames(mm, on_lists, charged, walk, err);
	if (!ret)
		ret = check_spaces(mm, swap_charged, err);
	if (!ret)
		ret = check_memcgs(mm, charged, swap_charged, err);
	free(charged);
	free(swap_charged);
	return ret;
}

int cm_mm_check(const struct cm_mm *mm, struct cm_error *err)
{
	return check(mm, true, err);
}

int cm_mm_check_linear(const struct cm_mm *mm, struct cm_error *err)
{
	return check(mm, false, err);
}
