// SPDX-License-Identifier: MIT
/*
 * A max-tree over an array of values: the leftmost index in a range whose
 * value is at least some bound, in O(log n). The PAMT placements keep one
 * over each node's free memory, so a search skips what cannot hold a block.
 */
#include <errno.h>
#include <stdlib.h>

#include "tdx_internal.h"

int tdx_max_tree_init(struct tdx_max_tree *t, size_t nr)
{
	for (t->leaves = 1; t->leaves < nr; t->leaves *= 2)
		;
	t->node = calloc(2 * t->leaves, sizeof(*t->node));
	return t->node ? 0 : -ENOMEM;
}

void tdx_max_tree_free(struct tdx_max_tree *t)
{
	free(t->node);
	t->node = NULL;
	t->leaves = 0;
}

static uint64_t max_of(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

void tdx_max_tree_load(struct tdx_max_tree *t, size_t i, uint64_t value)
{
	t->node[t->leaves + i] = value;
}

void tdx_max_tree_build(struct tdx_max_tree *t)
{
	for (size_t k = t->leaves - 1; k >= 1; k--)
		t->node[k] = max_of(t->node[2 * k], t->node[2 * k + 1]);
}

void tdx_max_tree_set(struct tdx_max_tree *t, size_t i, uint64_t value)
{
	size_t k = t->leaves + i;

	t->node[k] = value;
	for (k /= 2; k >= 1; k /= 2)
		t->node[k] = max_of(t->node[2 * k], t->node[2 * k + 1]);
}

static size_t find_in(const struct tdx_max_tree *t, size_t k, size_t node_lo, size_t node_hi,
		      size_t lo, size_t hi, uint64_t need)
{
	size_t mid, r;

	if (node_hi <= lo || node_lo >= hi || t->node[k] < need)
		return SIZE_MAX;
	if (node_hi - node_lo == 1)
		return node_lo;
	mid = (node_lo + node_hi) / 2;
	r = find_in(t, 2 * k, node_lo, mid, lo, hi, need);
	if (r != SIZE_MAX)
		return r;
	return find_in(t, 2 * k + 1, mid, node_hi, lo, hi, need);
}

size_t tdx_max_tree_find(const struct tdx_max_tree *t, size_t lo, size_t hi, uint64_t need)
{
	if (!t->node)
		return SIZE_MAX;
	return find_in(t, 1, 0, t->leaves, lo, hi, need);
}
