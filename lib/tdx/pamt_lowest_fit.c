// SPDX-License-Identifier: MIT
/*
 * PAMT placement "lowest-fit" (documented in docs/tdx-plan.md): the block
 * goes at the lowest free 4 KiB-aligned address that fits inside one TDX
 * memory region of the chosen node at or above 4 GiB (the node's normal
 * zone), else below 4 GiB (its DMA32 zone), else on the other nodes in
 * order of distance (ties by node id), each the same way. Free segments
 * are kept per node in address order with a max-tree over their lengths,
 * so each placement costs O(log n).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_internal.h"

/* Free memory of one node: segments in address order and a max-tree over their lengths. */
struct node_pool {
	struct cm_range *seg;
	size_t nr_seg;
	size_t first_high;	/* index of the first segment at or above 4 GiB */
	struct tdx_max_tree lengths;
};

static uint64_t seg_len(const struct node_pool *np, size_t i)
{
	return np->seg[i].end - np->seg[i].start;
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
		if (tdx_max_tree_init(&np->lengths, np->nr_seg))
			return -ENOMEM;
		np->first_high = np->nr_seg;
		for (size_t i = 0; i < np->nr_seg; i++) {
			if (np->first_high == np->nr_seg && np->seg[i].start >= CM_SZ_4G)
				np->first_high = i;
			tdx_max_tree_load(&np->lengths, i, seg_len(np, i));
		}
		tdx_max_tree_build(&np->lengths);
	}
	return 0;
}

static void pools_free(struct node_pool *pools)
{
	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		free(pools[n].seg);
		tdx_max_tree_free(&pools[n].lengths);
	}
}

/* Take @size bytes from @np: normal zone first, then below 4 GiB. */
static bool pool_alloc(struct node_pool *np, uint64_t size, uint64_t *base)
{
	size_t i;

	if (!np->nr_seg)
		return false;
	i = tdx_max_tree_find(&np->lengths, np->first_high, np->nr_seg, size);
	if (i == SIZE_MAX)
		i = tdx_max_tree_find(&np->lengths, 0, np->first_high, size);
	if (i == SIZE_MAX)
		return false;
	*base = np->seg[i].start;
	np->seg[i].start += size;
	tdx_max_tree_set(&np->lengths, i, seg_len(np, i));
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

struct lowest_fit {
	const struct cm_platform *platform;
	struct node_pool pools[CM_MAX_NUMNODES];
};

static void lowest_fit_close(void *state)
{
	struct lowest_fit *lf = state;

	if (!lf)
		return;
	pools_free(lf->pools);
	free(lf);
}

static int lowest_fit_open(const struct cm_platform *p, const struct cm_tdx_plan *plan, void **state)
{
	struct lowest_fit *lf = calloc(1, sizeof(*lf));
	int ret;

	*state = NULL;
	if (!lf)
		return -ENOMEM;
	lf->platform = p;
	ret = pools_build(plan, lf->pools);
	if (ret) {
		lowest_fit_close(lf);
		return ret;
	}
	*state = lf;
	return 0;
}

static int lowest_fit_alloc(void *state, int nid, uint64_t size, uint64_t *base, int *got_node)
{
	struct lowest_fit *lf = state;

	return alloc_on_nodes(lf->platform, lf->pools, nid, size, base, got_node);
}

const struct tdx_pamt_placement_operations tdx_pamt_lowest_fit = {
	.name = "lowest-fit",
	.open = lowest_fit_open,
	.alloc = lowest_fit_alloc,
	.close = lowest_fit_close,
};
