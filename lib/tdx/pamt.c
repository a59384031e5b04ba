// SPDX-License-Identifier: MIT
/*
 * PAMT sizing and placement (SPEC 3.5).
 *
 * Placement rule (documented in docs/tdx-plan.md): each TDMR's PAMT is one
 * contiguous block, placed at the lowest free 4 KiB-aligned address that
 * fits inside one TDX memory region of the chosen node at or above 4 GiB
 * (the node's normal zone), else below 4 GiB (its DMA32 zone), else on the
 * other nodes in order of distance (ties by node id), each the same way.
 * Free segments are kept per node in address order with a max-tree over
 * their lengths, so each placement costs O(log n).
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

uint64_t cm_tdmr_pamt_block_size(const struct cm_tdmr *t)
{
	return t->pamt_size[CM_PAMT_4K] + t->pamt_size[CM_PAMT_2M] + t->pamt_size[CM_PAMT_1G];
}

/* Free memory of one node: segments in address order and a max-tree over their lengths. */
struct node_pool {
	struct cm_range *seg;
	size_t nr_seg;
	size_t first_high;	/* index of the first segment at or above 4 GiB */
	uint64_t *tree;		/* tree[1] is the root; leaves start at 'leaves' */
	size_t leaves;
};

static uint64_t seg_len(const struct node_pool *np, size_t i)
{
	return np->seg[i].end - np->seg[i].start;
}

static void tree_update(struct node_pool *np, size_t i)
{
	size_t k = np->leaves + i;

	np->tree[k] = seg_len(np, i);
	for (k /= 2; k >= 1; k /= 2)
		np->tree[k] = np->tree[2 * k] > np->tree[2 * k + 1] ? np->tree[2 * k] : np->tree[2 * k + 1];
}

/* Leftmost segment index in [lo, hi) with length >= need, or SIZE_MAX. */
static size_t tree_find(const struct node_pool *np, size_t k, size_t node_lo, size_t node_hi,
			size_t lo, size_t hi, uint64_t need)
{
	size_t mid, r;

	if (node_hi <= lo || node_lo >= hi || np->tree[k] < need)
		return SIZE_MAX;
	if (node_hi - node_lo == 1)
		return node_lo;
	mid = (node_lo + node_hi) / 2;
	r = tree_find(np, 2 * k, node_lo, mid, lo, hi, need);
	if (r != SIZE_MAX)
		return r;
	return tree_find(np, 2 * k + 1, mid, node_hi, lo, hi, need);
}

static int pool_add(struct node_pool *np, size_t *cap, uint64_t start, uint64_t end)
{
	if (np->nr_seg == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct cm_range *n = realloc(np->seg, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		np->seg = n;
		*cap = ncap;
	}
	np->seg[np->nr_seg].start = start;
	np->seg[np->nr_seg].end = end;
	np->nr_seg++;
	return 0;
}

static int pools_build(const struct cm_tdx_plan *plan, struct node_pool *pools)
{
	size_t cap[CM_MAX_NUMNODES] = { 0 };

	for (size_t i = 0; i < plan->nr_memlist; i++) {
		const struct cm_tdx_memblock *m = &plan->memlist[i];
		struct node_pool *np = &pools[m->node];
		int ret = 0;

		/* Split at 4 GiB so every allocation carves from a segment's start. */
		if (m->start < CM_SZ_4G && m->end > CM_SZ_4G) {
			ret = pool_add(np, &cap[m->node], m->start, CM_SZ_4G);
			if (!ret)
				ret = pool_add(np, &cap[m->node], CM_SZ_4G, m->end);
		} else {
			ret = pool_add(np, &cap[m->node], m->start, m->end);
		}
		if (ret)
			return ret;
	}
	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		struct node_pool *np = &pools[n];

		if (!np->nr_seg)
			continue;
		for (np->leaves = 1; np->leaves < np->nr_seg; np->leaves *= 2)
			;
		np->tree = calloc(2 * np->leaves, sizeof(*np->tree));
		if (!np->tree)
			return -ENOMEM;
		np->first_high = np->nr_seg;
		for (size_t i = 0; i < np->nr_seg; i++) {
			if (np->first_high == np->nr_seg && np->seg[i].start >= CM_SZ_4G)
				np->first_high = i;
			np->tree[np->leaves + i] = seg_len(np, i);
		}
		for (size_t k = np->leaves - 1; k >= 1; k--)
			np->tree[k] = np->tree[2 * k] > np->tree[2 * k + 1] ? np->tree[2 * k] : np->tree[2 * k + 1];
	}
	return 0;
}

static void pools_free(struct node_pool *pools)
{
	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		free(pools[n].seg);
		free(pools[n].tree);
	}
}

/* Take @size bytes from @np: normal zone first, then below 4 GiB. */
static bool pool_alloc(struct node_pool *np, uint64_t size, uint64_t *base)
{
	size_t i;

	if (!np->nr_seg)
		return false;
	i = tree_find(np, 1, 0, np->leaves, np->first_high, np->nr_seg, size);
	if (i == SIZE_MAX)
		i = tree_find(np, 1, 0, np->leaves, 0, np->first_high, size);
	if (i == SIZE_MAX)
		return false;
	*base = np->seg[i].start;
	np->seg[i].start += size;
	tree_update(np, i);
	return true;
}

struct node_order {
	int node;
	unsigned int distance;
};

static int cmp_node_order(const void *a, const void *b)
{
	const struct node_order *x = a, *y = b;

	if (x->distance != y->distance)
		return x->distance < y->distance ? -1 : 1;
	return x->node - y->node;
}

static int alloc_on_nodes(const struct cm_platform *p, struct node_pool *pools, int nid,
			  uint64_t size, uint64_t *base, int *got_node)
{
	struct node_order order[CM_MAX_NUMNODES];
	size_t nr = 0;

	if (pool_alloc(&pools[nid], size, base)) {
		*got_node = nid;
		return 0;
	}
	for (size_t i = 0; i < p->nr_nodes; i++) {
		if (p->nodes[i].id == nid)
			continue;
		order[nr].node = p->nodes[i].id;
		order[nr].distance = cm_platform_node(p, nid) ? cm_platform_distance(p, nid, p->nodes[i].id) : 0;
		nr++;
	}
	qsort(order, nr, sizeof(order[0]), cmp_node_order);
	for (size_t i = 0; i < nr; i++) {
		if (pool_alloc(&pools[order[i].node], size, base)) {
			*got_node = order[i].node;
			return 0;
		}
	}
	return -ENOMEM;
}

int tdx_set_up_pamt_all(const struct cm_platform *p, struct cm_tdx_plan *plan)
{
	struct node_pool pools[CM_MAX_NUMNODES];
	size_t cursor = 0;
	int ret;

	memset(pools, 0, sizeof(pools));
	ret = pools_build(plan, pools);
	if (ret)
		goto out;
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
			t->pamt_size[l] = tdx_pamt_level_size(t->size, (enum cm_pamt_level)l,
							      p->tdx.pamt_entry_size[l]);
			block += t->pamt_size[l];
		}
		ret = alloc_on_nodes(p, pools, nid, block, &base, &got);
		if (ret) {
			snprintf(plan->error, sizeof(plan->error), "TDMR [0x%" PRIx64 ", 0x%" PRIx64
				 "): no free TDX memory for its %" PRIu64 " KB PAMT on node %d or any other node.",
				 t->base, cm_tdmr_end(t), block / 1024, nid);
			cm_log_add(&plan->log, CM_LOG_ERR, "%s", plan->error);
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
	pools_free(pools);
	return ret;
}
