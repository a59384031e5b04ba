// SPDX-License-Identifier: MIT
/*
 * The emulated module's PAMT rules for TDMR i (check_tdmr_pamt_areas of
 * the TDX module source), each group for all three levels before the next:
 *   1. TDX_INVALID_PAMT (i, level), levels 1G, 2M, 4K: base + size
 *      overflow, 4 KiB alignment, the physical-address limit, too small;
 *   2. TDX_PAMT_OVERLAP with PAMTs (check_all_pamt_overlap): for each
 *      earlier TDMR j, levels 4K, 2M, 1G of TDMR i against all of j's
 *      (i, level, j); then TDMR i's own levels: 4K with 2M or 1G
 *      (i, 4K, i), 2M with 1G (i, 2M, i);
 *   3. TDX_PAMT_OVERLAP with memory that is not reserved
 *      (check_pamt_overlaps_available_areas): for j = 0..i, TDMR i's levels
 *      4K, 2M, 1G against TDMR j's memory (i, level, j), then for j < i
 *      TDMR j's levels against TDMR i's memory (j, level, i);
 *   4. TDX_PAMT_OUTSIDE_CMRS (i, level), levels 1G, 2M, 4K: not inside one
 *      CMR region.
 * Rules 2 and 3 compare TDMR i with every earlier TDMR, as the module
 * does; a prefilter built once (module_ctx_init) proves for most TDMRs
 * that nothing overlaps, so only a TDMR whose PAMTs or memory touch
 * something runs the module's scan. Valid layouts cost O(n log n).
 */
#include <errno.h>
#include <stdlib.h>

#include "module_internal.h"

static const uint64_t pamt_page_size[CM_PAMT_NR_LEVELS] = { 1ULL << 12, 1ULL << 21, 1ULL << 30 };
/* The module checks addresses and CMRs large pages first, overlaps small pages first. */
static const enum cm_pamt_level large_first[CM_PAMT_NR_LEVELS] = { CM_PAMT_1G, CM_PAMT_2M, CM_PAMT_4K };
static const enum cm_pamt_level small_first[CM_PAMT_NR_LEVELS] = { CM_PAMT_4K, CM_PAMT_2M, CM_PAMT_1G };

static uint64_t pamt_end(const struct cm_tdmr *t, enum cm_pamt_level l)
{
	return t->pamt_base[l] + t->pamt_size[l];
}

/* The module's is_overlap() (base and size; both sizes are above zero once rule 1 passed). */
static bool pamts_overlap(const struct cm_tdmr *a, enum cm_pamt_level la, const struct cm_tdmr *b,
			  enum cm_pamt_level lb)
{
	return !(a->pamt_base[la] >= pamt_end(b, lb) || b->pamt_base[lb] >= pamt_end(a, la));
}

/* The least size of a level: entries of entry_size, or the Dynamic PAMT bitmap for 4K. */
static uint64_t pamt_level_min_size(const struct module_ctx *c, const struct cm_tdmr *t, enum cm_pamt_level l)
{
	if (l == CM_PAMT_4K && (c->flags & CM_TDX_CONFIG_DYNAMIC_PAMT))
		return (t->size / CM_PAGE_SIZE * c->limits->pamt_bitmap_entry_bits + 7) / 8;
	return t->size / pamt_page_size[l] * c->limits->pamt_entry_size[l];
}

/* Rule 1 for one level (check_pamt_addresses_and_size). */
static bool pamt_level_valid(const struct module_ctx *c, const struct cm_tdmr *t, enum cm_pamt_level l)
{
	uint64_t base = t->pamt_base[l], size = t->pamt_size[l];

	if (base > UINT64_MAX - size)
		return false;
	if (!cm_is_aligned(base, CM_PAGE_SIZE) || !cm_is_aligned(size, CM_PAGE_SIZE))
		return false;
	/* The last byte, as the module computes it (a zero size at 0 wraps and fails). */
	if (base >= CM_PHYS_LIMIT || base + size - 1 >= CM_PHYS_LIMIT)
		return false;
	return size >= pamt_level_min_size(c, t, l);
}

static uint64_t check_pamt_addresses(const struct module_ctx *c, size_t i)
{
	for (int k = 0; k < CM_PAMT_NR_LEVELS; k++) {
		enum cm_pamt_level l = large_first[k];

		if (!pamt_level_valid(c, &c->tdmrs[i], l))
			return module_status(CM_TDX_INVALID_PAMT, i, l, 0);
	}
	return CM_TDX_SUCCESS;
}

/* Rule 2 as the module runs it. */
static uint64_t check_pamt_overlaps(const struct module_ctx *c, size_t i)
{
	const struct cm_tdmr *t = &c->tdmrs[i];

	for (size_t j = 0; j < i; j++) {
		for (int k = 0; k < CM_PAMT_NR_LEVELS; k++) {
			enum cm_pamt_level l = small_first[k];

			for (int m = 0; m < CM_PAMT_NR_LEVELS; m++)
				if (pamts_overlap(t, l, &c->tdmrs[j], (enum cm_pamt_level)m))
					return module_status(CM_TDX_PAMT_OVERLAP, i, l, j);
		}
	}
	if (pamts_overlap(t, CM_PAMT_4K, t, CM_PAMT_2M) || pamts_overlap(t, CM_PAMT_4K, t, CM_PAMT_1G))
		return module_status(CM_TDX_PAMT_OVERLAP, i, CM_PAMT_4K, i);
	if (pamts_overlap(t, CM_PAMT_2M, t, CM_PAMT_1G))
		return module_status(CM_TDX_PAMT_OVERLAP, i, CM_PAMT_2M, i);
	return CM_TDX_SUCCESS;
}

/* Does level @l of TDMR @owner's PAMT touch memory of TDMR @tdmr that is not reserved? */
static bool pamt_hits_memory(const struct module_ctx *c, size_t owner, enum cm_pamt_level l, size_t tdmr)
{
	const struct cm_tdmr *o = &c->tdmrs[owner];

	return module_hits_tdmr_memory(&c->tdmrs[tdmr], c->nr_areas[tdmr], o->pamt_base[l], pamt_end(o, l));
}

/* Rule 3 as the module runs it. */
static uint64_t check_memory_overlaps(const struct module_ctx *c, size_t i)
{
	for (size_t j = 0; j <= i; j++) {
		for (int k = 0; k < CM_PAMT_NR_LEVELS; k++)
			if (pamt_hits_memory(c, i, small_first[k], j))
				return module_status(CM_TDX_PAMT_OVERLAP, i, small_first[k], j);
		if (j == i)
			break;
		for (int k = 0; k < CM_PAMT_NR_LEVELS; k++)
			if (pamt_hits_memory(c, j, small_first[k], i))
				return module_status(CM_TDX_PAMT_OVERLAP, j, small_first[k], i);
	}
	return CM_TDX_SUCCESS;
}

static uint64_t check_pamts_in_cmrs(const struct module_ctx *c, size_t i)
{
	const struct cm_tdmr *t = &c->tdmrs[i];

	for (int k = 0; k < CM_PAMT_NR_LEVELS; k++) {
		enum cm_pamt_level l = large_first[k];

		if (!cm_tdx_cmrs_contain(c->cmrs, c->nr_cmrs, t->pamt_base[l], pamt_end(t, l)))
			return module_status(CM_TDX_PAMT_OUTSIDE_CMRS, i, l, 0);
	}
	return CM_TDX_SUCCESS;
}

/* Prefilter for rule 2: does a level of TDMR i overlap any other PAMT level at all? */
static bool pamts_may_overlap(const struct module_ctx *c, size_t i)
{
	for (size_t l = 0; l < CM_PAMT_NR_LEVELS; l++)
		if (c->pamt_overlap[i * CM_PAMT_NR_LEVELS + l])
			return true;
	return false;
}

/* The first of TDMRs 0..@last (sorted, apart) that ends above @start. */
static size_t first_tdmr_ending_above(const struct module_ctx *c, size_t last, uint64_t start)
{
	size_t lo = 0, hi = last + 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cm_tdmr_end(&c->tdmrs[mid]) <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first ref that starts at or above @start. */
static size_t first_ref_from(const struct module_ctx *c, uint64_t start)
{
	size_t lo = 0, hi = c->nr_refs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->refs[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Prefilter for rule 3: may a PAMT of TDMR i touch memory of TDMRs 0..i,
 * or any PAMT touch memory of TDMR i? A PAMT that reaches into TDMR i
 * from below its base counts as touching (the scan decides).
 */
static bool memory_may_overlap(const struct module_ctx *c, size_t i)
{
	const struct cm_tdmr *t = &c->tdmrs[i];
	size_t k;

	for (int l = 0; l < CM_PAMT_NR_LEVELS; l++) {
		uint64_t start = t->pamt_base[l], end = pamt_end(t, (enum cm_pamt_level)l);

		for (k = first_tdmr_ending_above(c, i, start); k <= i && c->tdmrs[k].base < end; k++)
			if (module_hits_tdmr_memory(&c->tdmrs[k], c->nr_areas[k], start, end))
				return true;
	}
	k = first_ref_from(c, t->base);
	if (c->refs_max_end[k] > t->base)
		return true;
	for (; k < c->nr_refs && c->refs[k].start < cm_tdmr_end(t); k++)
		if (module_hits_tdmr_memory(t, c->nr_areas[i], c->refs[k].start, c->refs[k].end))
			return true;
	return false;
}

uint64_t module_check_pamts(const struct module_ctx *c, size_t i)
{
	uint64_t status = check_pamt_addresses(c, i);

	if (status == CM_TDX_SUCCESS && pamts_may_overlap(c, i))
		status = check_pamt_overlaps(c, i);
	if (status == CM_TDX_SUCCESS && memory_may_overlap(c, i))
		status = check_memory_overlaps(c, i);
	if (status == CM_TDX_SUCCESS)
		status = check_pamts_in_cmrs(c, i);
	return status;
}

static int compare_refs(const void *a, const void *b)
{
	const struct module_pamt_ref *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/*
 * Every PAMT level with a size and no overflow (the others fail rule 1
 * when their TDMR is checked, so no scan compares them), sorted by start;
 * a level overlaps another when an earlier one reaches past its start or
 * the next one starts before its end.
 */
static void build_refs(struct module_ctx *c)
{
	c->nr_refs = 0;
	for (size_t i = 0; i < c->nr_tdmrs; i++) {
		const struct cm_tdmr *t = &c->tdmrs[i];

		for (int l = 0; l < CM_PAMT_NR_LEVELS; l++) {
			if (!t->pamt_size[l] || t->pamt_base[l] > UINT64_MAX - t->pamt_size[l])
				continue;
			c->refs[c->nr_refs++] = (struct module_pamt_ref){
				.start = t->pamt_base[l], .end = pamt_end(t, (enum cm_pamt_level)l),
				.tdmr = i, .level = (enum cm_pamt_level)l,
			};
		}
	}
	qsort(c->refs, c->nr_refs, sizeof(*c->refs), compare_refs);
	c->refs_max_end[0] = 0;
	for (size_t k = 0; k < c->nr_refs; k++) {
		const struct module_pamt_ref *r = &c->refs[k];
		bool hit = c->refs_max_end[k] > r->start || (k + 1 < c->nr_refs && c->refs[k + 1].start < r->end);

		c->pamt_overlap[r->tdmr * CM_PAMT_NR_LEVELS + (size_t)r->level] |= hit;
		c->refs_max_end[k + 1] = r->end > c->refs_max_end[k] ? r->end : c->refs_max_end[k];
	}
}

int module_ctx_init(struct module_ctx *c)
{
	size_t max_refs = c->nr_tdmrs * CM_PAMT_NR_LEVELS;

	c->nr_areas = calloc(c->nr_tdmrs ? c->nr_tdmrs : 1, sizeof(*c->nr_areas));
	c->refs = malloc((max_refs ? max_refs : 1) * sizeof(*c->refs));
	c->refs_max_end = malloc((max_refs + 1) * sizeof(*c->refs_max_end));
	c->pamt_overlap = calloc(max_refs ? max_refs : 1, sizeof(*c->pamt_overlap));
	if (!c->nr_areas || !c->refs || !c->refs_max_end || !c->pamt_overlap) {
		module_ctx_free(c);
		return -ENOMEM;
	}
	build_refs(c);
	return 0;
}

void module_ctx_free(struct module_ctx *c)
{
	free(c->nr_areas);
	free(c->refs);
	free(c->refs_max_end);
	free(c->pamt_overlap);
	c->nr_areas = NULL;
	c->refs = NULL;
	c->refs_max_end = NULL;
	c->pamt_overlap = NULL;
}
