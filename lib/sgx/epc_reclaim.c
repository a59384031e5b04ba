// SPDX-License-Identifier: MIT
/*
 * EPC reclaim: the LRUs, EWB of one batch, round-robin over a subtree,
 * ksgxd and queued per-cgroup reclaim.
 *
 * Reclaim of one batch from an LRU: up to 16 pages from its head; a page
 * accessed since it was last looked at goes back to the tail; the others
 * get backing memory (the page and its PCMD slot, charged to the memory
 * cgroup of the enclave's backing space), are blocked, tracked and
 * written back (EWB) into a VA slot and freed. A page whose backing cannot
 * be had stays. When an initialised enclave has no resident child pages
 * left, its SECS is written back too. A bound on the passes (twice the
 * subtree's LRU size in pages, in batches) turns a subtree whose pages
 * cannot be written back into -ENOMEM instead of a loop.
 */
#include <stdio.h>

#include "epc_internal.h"

/* The subtree counts of @cgroup and its ancestors move by @delta (one page on or off an LRU). */
static void subtree_count(struct cm_epc *epc, int cgroup, int delta)
{
	for (const struct cm_cgroup *c = cm_cgroup_get(epc->tree, cgroup); c; c = c->parent)
		epc->cgroups[c->id].subtree_lru_nr += (uint64_t)(int64_t)delta;
}

void epc_lru_add_tail(struct cm_epc *epc, uint32_t idx)
{
	struct epc_page *pg = &epc->pages[idx];
	struct lru *l = &epc->cgroups[pg->cgroup].lru;

	pg->next = EPC_NIL;
	pg->prev = l->tail;
	if (l->tail != EPC_NIL)
		epc->pages[l->tail].next = idx;
	else
		l->head = idx;
	l->tail = idx;
	l->nr++;
	pg->on_lru = 1;
	subtree_count(epc, pg->cgroup, 1);
}

void epc_lru_del(struct cm_epc *epc, uint32_t idx)
{
	struct epc_page *pg = &epc->pages[idx];
	struct lru *l = &epc->cgroups[pg->cgroup].lru;

	if (pg->prev != EPC_NIL)
		epc->pages[pg->prev].next = pg->next;
	else
		l->head = pg->next;
	if (pg->next != EPC_NIL)
		epc->pages[pg->next].prev = pg->prev;
	else
		l->tail = pg->prev;
	l->nr--;
	pg->prev = pg->next = EPC_NIL;
	pg->on_lru = 0;
	subtree_count(epc, pg->cgroup, -1);
}

uint64_t epc_subtree_lru_pages(const struct cm_epc *epc, int root)
{
	return epc->cgroups[root].subtree_lru_nr;
}

static int enclave_of_page(const struct cm_epc *epc, uint32_t idx)
{
	return (int)epc->pages[idx].owner;
}

/* Write a page back: backing page and PCMD slot, then EWB into a VA slot. */
static bool write_back(struct cm_epc *epc, uint32_t idx)
{
	struct epc_page *pg = &epc->pages[idx];
	struct enclave *e = &epc->enclaves[enclave_of_page(epc, idx)];
	uint64_t page = pg->index, pcmd = page / CM_SGX_PCMD_PER_PAGE;

	if (e->dead || cm_mm_touch(epc->mm, e->backing_space, page, true) ||
	    (!e->pcmd_count[pcmd] && cm_mm_touch(epc->mm, e->backing_space, e->nr_pages + pcmd, true))) {
		epc->counters[CM_SGX_BACKING_FAIL]++;
		if (cm_mm_space_killed(epc->mm, e->backing_space) && !e->dead) {
			e->dead = true;
			epc->nr_dead++;
			snprintf(e->reason, sizeof(e->reason), "its memory cgroup ran out of memory for EPC backing "
				 "(the OOM killer took its process)");
		}
		return false;
	}
	e->pcmd_count[pcmd]++;
	/* EBLOCK, ETRACK (an IPI to the enclave's CPUs), EWB. */
	epc->counters[CM_SGX_ETRACK_IPI]++;
	e->pages[page].state = PAGE_EVICTED;
	e->pages[page].epc = EPC_NIL;
	e->va_slots_used++;
	e->resident_children--;
	e->epc_pages--;
	epc_free_page(epc, idx);
	epc->counters[CM_SGX_EWB]++;
	/* An initialised enclave without resident children gives up its SECS too. */
	if (!e->resident_children && e->initialized && e->secs != EPC_NIL) {
		epc_free_page(epc, e->secs);
		e->secs = EPC_NIL;
		e->epc_pages--;
		e->va_slots_used++;
		epc->counters[CM_SGX_EWB_SECS]++;
	}
	return true;
}

/* One batch from one LRU: returns the pages reclaimed. */
static unsigned int reclaim_batch(struct cm_epc *epc, struct lru *l)
{
	uint32_t batch[CM_SGX_NR_TO_SCAN];
	unsigned int nr = 0, reclaimed = 0;

	epc->counters[CM_SGX_RECLAIM_BATCHES]++;
	/* Exactly 16 pages from the head; the young ones count and go back to the tail. */
	for (unsigned int scanned = 0; scanned < CM_SGX_NR_TO_SCAN && l->head != EPC_NIL; scanned++) {
		uint32_t idx = l->head;
		struct epc_page *pg = &epc->pages[idx];

		epc_lru_del(epc, idx);
		if (pg->young) {
			pg->young = 0;
			epc_lru_add_tail(epc, idx);
			continue;
		}
		pg->kind = EPC_ISOLATED;
		batch[nr++] = idx;
	}
	for (unsigned int i = 0; i < nr; i++) {
		struct epc_page *pg = &epc->pages[batch[i]];

		pg->kind = EPC_REG;
		if (write_back(epc, batch[i]))
			reclaimed++;
		else
			epc_lru_add_tail(epc, batch[i]);
	}
	return reclaimed;
}

/* The cgroup after @c in a pre-order walk of @root's subtree, wrapping to @root. */
static const struct cm_cgroup *next_in_subtree(const struct cm_cgroup *c, const struct cm_cgroup *root)
{
	if (c->first_child)
		return c->first_child;
	while (c != root && !c->next_sibling)
		c = c->parent;
	return c == root ? root : c->next_sibling;
}

/*
 * One turn of round-robin reclaim over @root's subtree, from its cursor,
 * walking only that subtree (as the kernel walks descendants): the cost
 * does not depend on cgroups elsewhere in the tree.
 */
static unsigned int reclaim_subtree(struct cm_epc *epc, int root)
{
	struct sgx_cgroup *r = &epc->cgroups[root];
	const struct cm_cgroup *top = cm_cgroup_get(epc->tree, root), *c;

	if (!r->subtree_lru_nr)
		return 0;
	c = cm_cgroup_get(epc->tree, (int)r->cursor);
	if (!epc_is_ancestor(epc, root, c->id))
		c = top;
	while (!epc->cgroups[c->id].lru.nr)	/* ends: the subtree holds a page */
		c = next_in_subtree(c, top);
	r->cursor = (uint32_t)next_in_subtree(c, top)->id;
	return reclaim_batch(epc, &epc->cgroups[c->id].lru);
}

/* Reclaim until @done says so, @root's subtree empties or the pass bound is hit. */
bool epc_reclaim_bounded(struct cm_epc *epc, int root)
{
	uint64_t passes = 2 * (epc_subtree_lru_pages(epc, root) / CM_SGX_NR_TO_SCAN + 2);

	while (passes--) {
		if (!epc_subtree_lru_pages(epc, root))
			return false;
		if (reclaim_subtree(epc, root))
			return true;
	}
	return false;
}

/* Fewer than 32 free pages and something reclaimable: ksgxd gets to work. */
void epc_wake_ksgxd(struct cm_epc *epc)
{
	if (epc->nr_free < CM_SGX_NR_LOW_PAGES && epc_subtree_lru_pages(epc, 0) && !epc->ksgxd_woken) {
		epc->ksgxd_woken = true;
		epc->counters[CM_SGX_KSGXD_WAKE]++;
	}
}

void epc_queue_async(struct cm_epc *epc, int cgroup)
{
	struct sgx_cgroup *cg = &epc->cgroups[cgroup];

	if (cg->async_queued)
		return;
	cg->async_queued = true;
	cg->async_next = -1;
	if (epc->async_tail >= 0)
		epc->cgroups[epc->async_tail].async_next = cgroup;
	else
		epc->async_head = cgroup;
	epc->async_tail = cgroup;
}

void cm_epc_run_background(struct cm_epc *epc)
{
	/* ksgxd: batches from the whole tree while fewer than 64 pages are free. */
	if (epc->ksgxd_woken) {
		while (epc->nr_free < CM_SGX_NR_HIGH_PAGES && epc_subtree_lru_pages(epc, 0))
			if (!epc_reclaim_bounded(epc, 0))
				break;
		epc->ksgxd_woken = false;
	}
	/* Queued cgroup work: keep usage below max, less 32 pages when max is above 128. */
	while (epc->async_head >= 0) {
		int c = epc->async_head;
		struct sgx_cgroup *cg = &epc->cgroups[c];
		const struct cm_page_counter *counter = epc_counter(epc, c);
		uint64_t max;

		epc->async_head = cg->async_next;
		if (epc->async_head < 0)
			epc->async_tail = -1;
		cg->async_next = -1;
		cg->async_queued = false;
		max = cm_page_counter_lowest_max(counter);
		if (max > CM_SGX_NR_TO_SCAN * 8)
			max -= CM_SGX_NR_LOW_PAGES;
		while (counter->usage >= max && epc_subtree_lru_pages(epc, c))
			if (!epc_reclaim_bounded(epc, c))
				break;
	}
}
