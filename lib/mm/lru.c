// SPDX-License-Identifier: MIT
/*
 * LRU lists as rings of frame indices with lazy deletion (struct
 * lru_ring): adding at the head, taking from the tail and deleting from
 * the middle are O(1), the order is a linked list's, and a scan reads the
 * indices it will visit next from consecutive slots.
 */
#include <stdlib.h>
#include <string.h>

#include "mm_internal.h"

bool mm_ring_live(const struct cm_mm *mm, const struct lru_ring *r, uint32_t offset, int memcg, int node,
		  enum frame_list l, uint32_t *idx)
{
	const struct frame *f;

	*idx = r->slots[mm_ring_slot(r, offset)];
	f = &mm->frames[*idx];
	return frame_list_of(mm, *idx) == l && f->link == r->tail_seq + offset && f->memcg == memcg &&
	       frame_node(mm, *idx) == node;
}

/* Move the live slots to the front, in order, renumbering their frames. */
static void ring_compact(struct cm_mm *mm, struct lru_ring *r, int memcg, int node, enum frame_list l)
{
	uint32_t kept = 0, idx;

	for (uint32_t k = 0; k < r->used; k++) {
		if (!mm_ring_live(mm, r, k, memcg, node, l, &idx))
			continue;
		r->slots[mm_ring_slot(r, kept)] = idx;
		mm->frames[idx].link = r->tail_seq + kept;
		kept++;
	}
	r->used = kept;
}

/*
 * A ring keeps room for a sixteenth more than it holds: it grows to that
 * when full, and shrinks back to it when it holds less than seven eighths
 * of its slots, so the slots cost at most 8/7 of 4 bytes per page held.
 */
static uint64_t ring_capacity_for(uint64_t used)
{
	uint64_t capacity = used + used / 16 + 64;

	return capacity > CM_MAX_FRAMES ? CM_MAX_FRAMES : capacity;
}

/*
 * Give the ring @capacity slots (at least its used ones), its entries in
 * order and their sequence numbers unchanged. The slots are a table
 * (mm_table_resize): a big ring grows and shrinks by remapping, and only
 * the older of its two wrapped parts moves, to the end of the new slots.
 */
static int ring_resize(struct lru_ring *r, uint64_t capacity)
{
	uint32_t old_capacity = r->capacity, older = old_capacity - r->tail;
	bool wrapped = r->used && r->tail + r->used > old_capacity;
	uint32_t newer = wrapped ? r->tail + r->used - old_capacity : 0;
	uint32_t *slots;

	if (capacity < old_capacity) {	/* first gather the entries below @capacity */
		if (wrapped)
			memmove(r->slots + capacity - older, r->slots + r->tail, older * sizeof(*slots));
		else
			memmove(r->slots, r->slots + r->tail, r->used * sizeof(*slots));
		r->tail = wrapped ? (uint32_t)capacity - older : 0;
	}
	slots = mm_table_resize(r->slots, capacity * sizeof(*slots));
	if (!slots) {
		if (capacity < old_capacity && wrapped) {	/* put the older part back at the end */
			memmove(r->slots + r->tail + (old_capacity - capacity), r->slots + r->tail,
				older * sizeof(*slots));
			r->tail += old_capacity - (uint32_t)capacity;
		}
		return -1;
	}
	if (capacity > old_capacity && wrapped) {
		if (newer <= capacity - old_capacity) {	/* the newer part fits after the older one */
			memcpy(slots + old_capacity, slots, newer * sizeof(*slots));
		} else {
			memmove(slots + capacity - older, slots + r->tail, older * sizeof(*slots));
			r->tail = (uint32_t)capacity - older;
		}
	}
	r->slots = slots;
	r->capacity = (uint32_t)capacity;
	return 0;
}

void mm_ring_shrink(struct lru_ring *r)
{
	ring_resize(r, ring_capacity_for(r->used));	/* no memory: keep the larger one */
}

bool mm_ring_make_room(struct cm_mm *mm, struct lru_ring *r, int memcg, int node, enum frame_list l)
{
	/* Squeeze out dead slots when they are a quarter of the ring, else grow it. */
	if (r->used - r->nr >= r->used / 4 + 1)
		ring_compact(mm, r, memcg, node, l);
	if (r->used == r->capacity && ring_resize(r, ring_capacity_for((uint64_t)r->used + 1))) {
		mm->lru_enomem = true;
		return false;
	}
	return true;
}

/* Take a frame off its list: its slot dies, and is dropped at once at either end. */
void mm_list_del(struct cm_mm *mm, uint32_t idx)
{
	struct frame *f = &mm->frames[idx];
	struct lru_ring *r = &mm_lruvec(mm, f->memcg, frame_node(mm, idx))->lists[frame_list_of(mm, idx)];
	uint32_t offset = f->link - r->tail_seq;

	if (offset == 0)
		mm_ring_drop_tail(r);
	else if (offset == r->used - 1)
		r->used--;
	mm_ring_one_less(r);
	frame_set_list(mm, idx, FL_ISOLATED);
}

uint32_t mm_list_tail(struct cm_mm *mm, int memcg, int node, enum frame_list l)
{
	struct lru_ring *r = &mm_lruvec(mm, memcg, node)->lists[l];
	uint32_t idx;

	while (r->nr) {
		if (mm_ring_live(mm, r, 0, memcg, node, l, &idx))
			return idx;
		mm_ring_drop_tail(r);
		mm_ring_maybe_shrink(r);
	}
	return CM_NIL;
}

void mm_ring_free(struct lru_ring *r)
{
	mm_table_free(r->slots);
	memset(r, 0, sizeof(*r));
}
