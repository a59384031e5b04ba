// SPDX-License-Identifier: MIT
/*
 * Reserved areas of each TDMR (SPEC 3.6): the holes in its range that are
 * not TDX memory (or, with CMR-based holes, not convertible), then every
 * PAMT block overlapping it, sorted by offset; then the merge strategy
 * (tdx.optimize) runs over them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_internal.h"

struct area_list {
	struct cm_tdmr_reserved *areas;
	size_t nr;
	size_t cap;
};

static int area_add(struct area_list *l, const struct cm_tdmr *t, uint64_t addr, uint64_t size)
{
	if (l->nr == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct cm_tdmr_reserved *n = realloc(l->areas, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		l->areas = n;
		l->cap = ncap;
	}
	l->areas[l->nr].offset = addr - t->base;
	l->areas[l->nr].size = size;
	l->nr++;
	return 0;
}

/* First index whose end is not below @addr (regions sorted, disjoint). */
static size_t first_region_reaching(const struct cm_range *r, size_t nr, uint64_t addr)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r[mid].end < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int add_holes(struct area_list *l, const struct cm_tdmr *t, const struct cm_range *regions, size_t nr)
{
	uint64_t prev_end = t->base;
	int ret;

	for (size_t i = first_region_reaching(regions, nr, t->base); i < nr; i++) {
		if (regions[i].start >= cm_tdmr_end(t))
			break;
		/* Touching or overlapping what is already covered: extend. */
		if (regions[i].start <= prev_end) {
			prev_end = regions[i].end;
			continue;
		}
		ret = area_add(l, t, prev_end, regions[i].start - prev_end);
		if (ret)
			return ret;
		prev_end = regions[i].end;
	}
	if (prev_end < cm_tdmr_end(t))
		return area_add(l, t, prev_end, cm_tdmr_end(t) - prev_end);
	return 0;
}

static int add_pamts(struct area_list *l, const struct cm_tdmr *t, const struct cm_range *pamts, size_t nr)
{
	/* PAMT blocks are disjoint, so sorted by base they are sorted by end too. */
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pamts[mid].end <= t->base)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < nr && pamts[i].start < cm_tdmr_end(t); i++) {
		uint64_t start = pamts[i].start > t->base ? pamts[i].start : t->base;
		uint64_t end = pamts[i].end < cm_tdmr_end(t) ? pamts[i].end : cm_tdmr_end(t);
		int ret = area_add(l, t, start, end - start);

		if (ret)
			return ret;
	}
	return 0;
}

static int cmp_area(const void *a, const void *b)
{
	const struct cm_tdmr_reserved *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int cmp_range_start(const void *a, const void *b)
{
	const struct cm_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The inputs every TDMR's computation shares. */
struct rsvd_sources {
	struct cm_range *holes_from;	/* memlist or CMR ranges */
	size_t nr_holes_from;
	struct cm_range *pamts;		/* PAMT blocks sorted by base */
	size_t nr_pamts;
};

static int sources_build(const struct cm_tdx_plan *plan, struct rsvd_sources *s)
{
	int ret;

	memset(s, 0, sizeof(*s));
	ret = tdx_holes_ops(plan->options.holes)->regions(plan, &s->holes_from, &s->nr_holes_from);
	if (ret)
		return ret;
	s->pamts = malloc((plan->nr_tdmrs ? plan->nr_tdmrs : 1) * sizeof(*s->pamts));
	if (!s->pamts) {
		free(s->holes_from);
		return -ENOMEM;
	}
	for (size_t i = 0; i < plan->nr_tdmrs; i++) {
		uint64_t size = cm_tdmr_pamt_block_size(&plan->tdmrs[i]);

		if (!size)
			continue;
		s->pamts[s->nr_pamts].start = plan->tdmrs[i].pamt_base[CM_PAMT_4K];
		s->pamts[s->nr_pamts].end = plan->tdmrs[i].pamt_base[CM_PAMT_4K] + size;
		s->nr_pamts++;
	}
	qsort(s->pamts, s->nr_pamts, sizeof(*s->pamts), cmp_range_start);
	return 0;
}

static void sources_free(struct rsvd_sources *s)
{
	free(s->holes_from);
	free(s->pamts);
}

static int compute_areas(const struct cm_tdx_plan *plan, const struct rsvd_sources *s, size_t i,
			 struct area_list *l)
{
	const struct cm_tdmr *t = &plan->tdmrs[i];
	int ret;

	l->nr = 0;
	ret = add_holes(l, t, s->holes_from, s->nr_holes_from);
	if (!ret)
		ret = add_pamts(l, t, s->pamts, s->nr_pamts);
	if (ret)
		return ret;
	if (l->nr > 1)	/* no areas yet means no array at all: qsort() wants one */
		qsort(l->areas, l->nr, sizeof(*l->areas), cmp_area);
	if (tdx_merge_ops(plan->options.merge)->merge)
		tdx_merge_ops(plan->options.merge)->merge(l->areas, &l->nr);
	return 0;
}

/* tdx.optimize=1: areas that touch become one. */
static void merge_touching(struct cm_tdmr_reserved *areas, size_t *nr)
{
	size_t out = 0;

	if (*nr < 2)
		return;
	for (size_t k = 1; k < *nr; k++) {
		struct cm_tdmr_reserved *last = &areas[out];

		if (last->offset + last->size == areas[k].offset)
			last->size += areas[k].size;
		else
			areas[++out] = areas[k];
	}
	*nr = out + 1;
}

const struct tdx_merge_operations tdx_merge_none = { .name = "none", .summary = "" };
const struct tdx_merge_operations tdx_merge_touching = {
	.name = "touching",
	.summary = ", touching areas merged",
	.merge = merge_touching,
};

int tdx_count_rsvd(const struct cm_tdx_plan *plan, size_t i, unsigned int *count)
{
	struct rsvd_sources s;
	struct area_list l = { 0 };
	int ret = sources_build(plan, &s);

	if (ret)
		return ret;
	ret = compute_areas(plan, &s, i, &l);
	*count = (unsigned int)l.nr;
	free(l.areas);
	sources_free(&s);
	return ret;
}

int tdx_populate_rsvd_all(struct cm_tdx_plan *plan, unsigned int max_reserved, size_t *failed_tdmr)
{
	struct rsvd_sources s;
	struct area_list l = { 0 };
	int ret = sources_build(plan, &s);

	if (ret)
		return ret;
	for (size_t i = 0; i < plan->nr_tdmrs; i++) {
		struct cm_tdmr *t = &plan->tdmrs[i];

		ret = compute_areas(plan, &s, i, &l);
		if (ret)
			break;
		/* Kept even when too many, so a report can show what was needed. */
		t->reserved = malloc((l.nr ? l.nr : 1) * sizeof(*t->reserved));
		if (!t->reserved) {
			ret = -ENOMEM;
			break;
		}
		if (l.nr)	/* a TDMR without areas has no array to copy from */
			memcpy(t->reserved, l.areas, l.nr * sizeof(*t->reserved));
		t->nr_reserved = (unsigned int)l.nr;
		if (l.nr > max_reserved) {
			*failed_tdmr = i;
			ret = -ENOSPC;
			break;
		}
	}
	free(l.areas);
	sources_free(&s);
	return ret;
}
