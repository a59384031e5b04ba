// SPDX-License-Identifier: MIT
/*
 * Memory offline: the range's pages migrate to the node's other memory
 * or its fallback nodes, or nothing changes (-EBUSY).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mm_internal.h"

/* The segment of @node holding [phys, phys + nr pages), or -1. */
static int find_segment(const struct mm_node *n, uint64_t phys, uint64_t nr)
{
	for (size_t i = 0; i < n->nr_segments; i++) {
		const struct segment *s = &n->segments[i];

		if (phys >= s->phys && phys + nr * CM_PAGE_SIZE <= s->phys + (uint64_t)s->nr * CM_PAGE_SIZE)
			return (int)i;
	}
	return -1;
}

static bool in_range(uint32_t idx, uint32_t first, uint32_t end)
{
	return idx >= first && idx < end;
}

/* Split segment @si of @n around frames [first, end): the middle leaves the node. */
static int cut_segment(struct mm_node *n, size_t si, uint32_t first, uint32_t end)
{
	struct segment old = n->segments[si], parts[2];
	size_t nr_parts = 0;
	struct segment *s;

	if (first > old.first) {
		parts[nr_parts].first = old.first;
		parts[nr_parts].nr = first - old.first;
		parts[nr_parts].fresh = old.fresh < parts[nr_parts].nr ? old.fresh : parts[nr_parts].nr;
		parts[nr_parts].phys = old.phys;
		nr_parts++;
	}
	if (end < old.first + old.nr) {
		uint32_t skipped = end - old.first;

		parts[nr_parts].first = end;
		parts[nr_parts].nr = old.first + old.nr - end;
		parts[nr_parts].fresh = old.fresh > skipped ? old.fresh - skipped : 0;
		parts[nr_parts].phys = old.phys + (uint64_t)skipped * CM_PAGE_SIZE;
		nr_parts++;
	}
	s = realloc(n->segments, (n->nr_segments + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	n->segments = s;
	memmove(&s[si], &s[si + 1], (n->nr_segments - si - 1) * sizeof(*s));
	n->nr_segments--;
	for (size_t k = 0; k < nr_parts; k++)
		s[n->nr_segments++] = parts[k];
	return 0;
}

/* Move the page in frame @idx to a frame outside the range being offlined. */
static bool migrate_out(struct cm_mm *mm, uint32_t idx, int node)
{
	const struct cm_tiering *t = &mm->tiering;
	struct frame *old = &mm->frames[idx];
	enum frame_list l = frame_list_of(mm, idx);
	uint32_t nidx = mm_alloc_on_node(mm, node, mm->nodes[node].wmark.min);

	for (int i = 0; nidx == CM_NIL && i < t->nr_fallback[node]; i++) {
		int n = t->fallback_order[node][i];

		if (n != node)
			nidx = mm_alloc_on_node(mm, n, mm->nodes[n].wmark.min);
	}
	if (nidx == CM_NIL)
		return false;
	old = &mm->frames[idx];
	mm_list_del(mm, idx);
	mm->frames[nidx].owner = old->owner;
	mm->frames[nidx].memcg = old->memcg;
	mm->frames[nidx].demoted = old->demoted;
	mm->frame_flags[nidx] = (uint8_t)((mm->frame_flags[idx] & ~(FRAME_LIST_MASK | FRAME_HINT)) | FL_ISOLATED);
	vpt_move(mm, old->owner, nidx);
	mm_list_add(mm, nidx, l);
	mm->nodes[node].counters[CM_PGMIGRATE_SUCCESS]++;
	mm->frame_flags[idx] = FL_OFFLINE;
	old->owner = CM_NIL;
	return true;
}

int cm_mm_offline(struct cm_mm *mm, int node, uint64_t start, uint64_t nr_pages, struct cm_error *err)
{
	struct mm_node *n;
	uint64_t used = 0, free_in = 0, room = 0;
	uint32_t first, end, fresh_end, prev = CM_NIL;
	int si, ret;

	for (int k = 0; node < 0 && k < mm->nr_node_ids; k++)
		if (mm->nodes[k].online && find_segment(&mm->nodes[k], start, nr_pages) >= 0)
			node = k;
	if (node < 0 || node >= CM_MAX_NUMNODES || !mm->nodes[node].online)
		return cm_error_set(err, -EINVAL, "node %d has no online memory", node);
	n = &mm->nodes[node];
	si = find_segment(n, start, nr_pages);
	if (si < 0)
		return cm_error_set(err, -EINVAL, "[0x%" PRIx64 ", 0x%" PRIx64 ") is not online memory of node %d",
				    start, (uint64_t)(start + nr_pages * CM_PAGE_SIZE), node);
	first = n->segments[si].first + (uint32_t)((start - n->segments[si].phys) / CM_PAGE_SIZE);
	end = first + (uint32_t)nr_pages;
	fresh_end = n->segments[si].first + n->segments[si].fresh;
	for (uint32_t i = first; i < end && i < fresh_end; i++) {
		if (frame_list_of(mm, i) == FL_UNEVICTABLE)
			return cm_error_set(err, -EBUSY, "offline [0x%" PRIx64 ", 0x%" PRIx64 "): frame %u holds an "
					    "unmovable page (a TD guest's private memory or a PAMT page)", start,
					    (uint64_t)(start + nr_pages * CM_PAGE_SIZE), i);
		frame_list_of(mm, i) == FL_FREE ? free_in++ : used++;
	}
	free_in += nr_pages - (fresh_end > first ? (fresh_end < end ? fresh_end : end) - first : 0);
	/* Room elsewhere first, so a refused offline changes nothing (the kernel would say -EBUSY). */
	for (int k = 0; k < mm->nr_node_ids; k++) {
		uint64_t f = mm->nodes[k].free - (k == node ? free_in : 0);

		if (mm->nodes[k].online && f > mm->nodes[k].wmark.min)
			room += f - mm->nodes[k].wmark.min;
	}
	if (used > room)
		return cm_error_set(err, -EBUSY, "offline [0x%" PRIx64 ", 0x%" PRIx64 "): %" PRIu64 " pages in use, "
				    "room for %" PRIu64 " elsewhere", start, (uint64_t)(start + nr_pages * CM_PAGE_SIZE), used, room);
	ret = cut_segment(n, (size_t)si, first, end);
	if (ret)
		return cm_error_set(err, ret, "out of memory");
	/* Drop the range's frames from the free stack: its cached part, in order, then its list. */
	for (uint32_t k = 0, kept = 0, nr = n->nr_free_cached; k < nr; k++) {
		uint32_t idx = n->free_cache[free_cache_slot(n, k)];

		if (in_range(idx, first, end)) {
			mm->frame_flags[idx] = FL_OFFLINE;
			n->nr_free_cached--;
			continue;
		}
		n->free_cache[free_cache_slot(n, kept++)] = idx;
	}
	for (uint32_t idx = n->free_head; idx != CM_NIL; idx = mm->frames[idx].link) {
		if (!in_range(idx, first, end)) {
			prev = idx;
			continue;
		}
		if (prev == CM_NIL)
			n->free_head = mm->frames[idx].link;
		else
			mm->frames[prev].link = mm->frames[idx].link;
		mm->frame_flags[idx] = FL_OFFLINE;
	}
	n->free -= free_in;
	n->present -= nr_pages;
	for (uint32_t i = first; i < end && i < fresh_end; i++)
		if (frame_list_of(mm, i) != FL_OFFLINE && !migrate_out(mm, i, node))
			return cm_error_set(err, -EBUSY, "offline: migration failed after the room check");
	for (uint32_t i = fresh_end > first ? fresh_end : first; i < end; i++)
		mm->frame_flags[i] = FL_OFFLINE;
	if (!n->present)
		n->online = false;
	mm_compute_watermarks(mm);
	ret = mm_rebuild_zonelists_and_tiers(mm);
	return ret ? cm_error_set(err, ret, "tiering: out of memory") : 0;
}
