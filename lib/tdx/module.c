// SPDX-License-Identifier: MIT
/*
 * The emulated TDX module's TDH.SYS.CONFIG checks (SPEC 3.8).
 *
 * The checks run TDMR by TDMR; within a TDMR: its base and size, its order
 * after the previous TDMR, its reserved areas in array order, its PAMTs
 * (1G, 2M, 4K), and last that its non-reserved part lies in the CMRs.
 * A failure returns the completion code plus detail bytes:
 * code + i + (b1 << 8) + (b2 << 16), i = TDMR index, b1 = reserved area
 * index or PAMT size code (4K=0, 2M=1, 1G=2).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_internal.h"

static const uint64_t pamt_page_size[CM_PAMT_NR_LEVELS] = { 1ULL << 12, 1ULL << 21, 1ULL << 30 };
static const char *const pamt_level_name[CM_PAMT_NR_LEVELS] = { "4K", "2M", "1G" };

static uint64_t status_with(uint64_t code, uint64_t i, uint64_t b1, uint64_t b2)
{
	return code + (i & 0xff) + ((b1 & 0xff) << 8) + ((b2 & 0xff) << 16);
}

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

/* The reserved areas of a TDMR as the module sees them: nr_reserved entries, the rest null. */
static int sorted_reserved(const struct cm_tdmr *t, struct cm_range **out, size_t *nr_out)
{
	struct cm_range *r = malloc((t->nr_reserved ? t->nr_reserved : 1) * sizeof(*r));
	size_t nr = 0;

	if (!r)
		return -ENOMEM;
	for (unsigned int j = 0; j < t->nr_reserved; j++) {
		if (!t->reserved[j].size)
			continue;
		r[nr].start = t->base + t->reserved[j].offset;
		r[nr].end = r[nr].start + t->reserved[j].size;
		nr++;
	}
	*out = r;
	*nr_out = nr;
	return 0;
}

/* Is [start, end) covered by the (validated, ordered) reserved ranges? */
static bool covered(const struct cm_range *r, size_t nr, uint64_t start, uint64_t end)
{
	uint64_t pos = start;

	for (size_t j = 0; j < nr && pos < end; j++) {
		if (r[j].end <= pos)
			continue;
		if (r[j].start > pos)
			return false;
		pos = r[j].end;
	}
	return pos >= end;
}

static uint64_t check_reserved(const struct cm_tdmr *t, size_t i, unsigned int max_reserved)
{
	bool seen_null = false;
	uint64_t prev_end = 0;

	for (unsigned int j = 0; j < t->nr_reserved && j < max_reserved; j++) {
		const struct cm_tdmr_reserved *r = &t->reserved[j];

		if (!r->size) {
			seen_null = true;
			continue;
		}
		if (seen_null)
			return status_with(CM_TDX_NON_ORDERED_RESERVED_IN_TDMR, i, j, 0);
		if (!cm_is_aligned(r->offset, CM_PAGE_SIZE) || !cm_is_aligned(r->size, CM_PAGE_SIZE) ||
		    r->offset > UINT64_MAX - r->size || r->offset + r->size > t->size)
			return status_with(CM_TDX_INVALID_RESERVED_IN_TDMR, i, j, 0);
		if (j > 0 && r->offset < prev_end)
			return status_with(CM_TDX_NON_ORDERED_RESERVED_IN_TDMR, i, j, 0);
		prev_end = r->offset + r->size;
	}
	return CM_TDX_SUCCESS;
}

/*
 * Precomputed facts that keep the checks O(n log n) in TDMRs: which PAMTs
 * overlap another one, and whether TDMRs are sorted (then the TDMRs a
 * range touches are found by binary search).
 */
struct pamt_ref {
	uint64_t start;
	uint64_t end;
	size_t tdmr;
	int level;
};

struct config_ctx {
	const struct cm_tdmr *tdmrs;
	size_t nr_tdmrs;
	bool tdmrs_sorted;
	bool *pamt_overlap;	/* [tdmr * CM_PAMT_NR_LEVELS + level] */
};

static int cmp_pamt_ref(const void *a, const void *b)
{
	const struct pamt_ref *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

static int ctx_init(struct config_ctx *c, const struct cm_tdmr *tdmrs, size_t nr_tdmrs)
{
	size_t nr = 0, max = nr_tdmrs * CM_PAMT_NR_LEVELS;
	struct pamt_ref *refs = malloc((max ? max : 1) * sizeof(*refs));
	uint64_t max_end = 0;

	c->tdmrs = tdmrs;
	c->nr_tdmrs = nr_tdmrs;
	c->pamt_overlap = calloc(max ? max : 1, sizeof(*c->pamt_overlap));
	if (!refs || !c->pamt_overlap) {
		free(refs);
		free(c->pamt_overlap);
		return -ENOMEM;
	}
	c->tdmrs_sorted = true;
	for (size_t i = 0; i < nr_tdmrs; i++) {
		if (i > 0 && tdmrs[i].base < cm_tdmr_end(&tdmrs[i - 1]))
			c->tdmrs_sorted = false;
		for (int l = 0; l < CM_PAMT_NR_LEVELS; l++) {
			if (!tdmrs[i].pamt_size[l] || tdmrs[i].pamt_base[l] > UINT64_MAX - tdmrs[i].pamt_size[l])
				continue;
			refs[nr].start = tdmrs[i].pamt_base[l];
			refs[nr].end = refs[nr].start + tdmrs[i].pamt_size[l];
			refs[nr].tdmr = i;
			refs[nr].level = l;
			nr++;
		}
	}
	qsort(refs, nr, sizeof(*refs), cmp_pamt_ref);
	/* A range overlaps another iff an earlier one reaches past its start or the next starts before its end. */
	for (size_t k = 0; k < nr; k++) {
		bool hit = (k > 0 && max_end > refs[k].start) || (k + 1 < nr && refs[k + 1].start < refs[k].end);

		c->pamt_overlap[refs[k].tdmr * CM_PAMT_NR_LEVELS + (size_t)refs[k].level] = hit;
		if (refs[k].end > max_end)
			max_end = refs[k].end;
	}
	free(refs);
	return 0;
}

static void ctx_free(struct config_ctx *c)
{
	free(c->pamt_overlap);
}

/* Does [start, end) touch the non-reserved part of any TDMR? */
static int pamt_hits_tdmr_memory(const struct config_ctx *c, uint64_t start, uint64_t end, bool *hit)
{
	size_t k = 0;

	*hit = false;
	if (c->tdmrs_sorted) {
		size_t lo = 0, hi = c->nr_tdmrs;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (cm_tdmr_end(&c->tdmrs[mid]) <= start)
				lo = mid + 1;
			else
				hi = mid;
		}
		k = lo;
	}
	for (; k < c->nr_tdmrs && !*hit; k++) {
		const struct cm_tdmr *o = &c->tdmrs[k];
		uint64_t s, e;
		struct cm_range *r;
		size_t nr;

		if (c->tdmrs_sorted && o->base >= end)
			break;
		if (!overlaps(start, end, o->base, cm_tdmr_end(o)))
			continue;
		s = start > o->base ? start : o->base;
		e = end < cm_tdmr_end(o) ? end : cm_tdmr_end(o);
		if (sorted_reserved(o, &r, &nr))
			return -ENOMEM;
		*hit = !covered(r, nr, s, e);
		free(r);
	}
	return 0;
}

static uint64_t check_pamts(const struct cm_tdx_config *limits, const struct cm_range *cmrs,
			    unsigned int nr_cmrs, const struct config_ctx *c, size_t i)
{
	const struct cm_tdmr *t = &c->tdmrs[i];

	for (int l = CM_PAMT_1G; l >= CM_PAMT_4K; l--) {
		uint64_t base = t->pamt_base[l], size = t->pamt_size[l];
		uint64_t need = (t->size / pamt_page_size[l]) * limits->pamt_entry_size[l];
		bool hit;

		if (!cm_is_aligned(base, CM_PAGE_SIZE) || !cm_is_aligned(size, CM_PAGE_SIZE) || size < need ||
		    base > UINT64_MAX - size)
			return status_with(CM_TDX_INVALID_PAMT, i, (uint64_t)l, 0);
		if (c->pamt_overlap[i * CM_PAMT_NR_LEVELS + (size_t)l])
			return status_with(CM_TDX_PAMT_OVERLAP, i, (uint64_t)l, 0);
		if (pamt_hits_tdmr_memory(c, base, base + size, &hit))
			return CM_TDX_EMULATION_NOMEM;
		if (hit)
			return status_with(CM_TDX_PAMT_OVERLAP, i, (uint64_t)l, 0);
		if (size && !cm_tdx_cmrs_contain(cmrs, nr_cmrs, base, base + size))
			return status_with(CM_TDX_PAMT_OUTSIDE_CMRS, i, (uint64_t)l, 0);
	}
	return CM_TDX_SUCCESS;
}

static int tdmr_memory_in_cmrs(const struct cm_tdmr *t, const struct cm_range *cmrs, unsigned int nr_cmrs,
			       bool *inside)
{
	struct cm_range *r;
	size_t nr;
	uint64_t pos = t->base;

	if (sorted_reserved(t, &r, &nr))
		return -ENOMEM;
	*inside = true;
	for (size_t j = 0; j <= nr && *inside; j++) {
		uint64_t part_end = j < nr ? r[j].start : cm_tdmr_end(t);

		if (part_end > pos && !cm_tdx_cmrs_contain(cmrs, nr_cmrs, pos, part_end))
			*inside = false;
		if (j < nr)
			pos = r[j].end;
	}
	free(r);
	return 0;
}

uint64_t cm_tdx_module_config(const struct cm_tdx_config *limits, const struct cm_range *cmrs,
			      unsigned int nr_cmrs, const struct cm_tdmr *tdmrs, size_t nr_tdmrs)
{
	struct config_ctx c;
	uint64_t status = CM_TDX_SUCCESS;

	if (nr_tdmrs < 1 || nr_tdmrs > limits->max_tdmrs)
		return CM_TDX_OPERAND_INVALID + CM_TDX_OPERAND_RDX;
	if (ctx_init(&c, tdmrs, nr_tdmrs))
		return CM_TDX_EMULATION_NOMEM;
	for (size_t i = 0; i < nr_tdmrs && status == CM_TDX_SUCCESS; i++) {
		const struct cm_tdmr *t = &tdmrs[i];
		bool inside;

		if (!t->size || t->base > UINT64_MAX - t->size || !cm_is_aligned(t->base, CM_TDMR_ALIGNMENT) ||
		    !cm_is_aligned(t->size, CM_TDMR_ALIGNMENT)) {
			status = status_with(CM_TDX_INVALID_TDMR, i, 0, 0);
			break;
		}
		if (i > 0 && t->base < cm_tdmr_end(&tdmrs[i - 1])) {
			status = status_with(CM_TDX_NON_ORDERED_TDMR, i, 0, 0);
			break;
		}
		status = check_reserved(t, i, limits->max_reserved_per_tdmr);
		if (status == CM_TDX_SUCCESS)
			status = check_pamts(limits, cmrs, nr_cmrs, &c, i);
		if (status == CM_TDX_SUCCESS) {
			if (tdmr_memory_in_cmrs(t, cmrs, nr_cmrs, &inside))
				status = CM_TDX_EMULATION_NOMEM;
			else if (!inside)
				status = status_with(CM_TDX_TDMR_OUTSIDE_CMRS, i, 0, 0);
		}
	}
	ctx_free(&c);
	return status;
}

void cm_tdx_describe_status(uint64_t status, const struct cm_tdmr *tdmrs, size_t nr_tdmrs,
			    char *buf, size_t len)
{
	uint64_t code = status & CM_TDX_STATUS_MASK;
	unsigned int i = (unsigned int)(status & 0xff), b1 = (unsigned int)((status >> 8) & 0xff);
	char where[96] = "";

	if (i < nr_tdmrs)
		snprintf(where, sizeof(where), "TDMR %u [0x%" PRIx64 ", 0x%" PRIx64 ")", i, tdmrs[i].base,
			 cm_tdmr_end(&tdmrs[i]));
	else
		snprintf(where, sizeof(where), "TDMR %u", i);

	switch (code) {
	case CM_TDX_SUCCESS:
		snprintf(buf, len, "TDX_SUCCESS: the module accepted the TDMRs");
		break;
	case CM_TDX_OPERAND_INVALID:
		snprintf(buf, len, "TDX_OPERAND_INVALID: the number of TDMRs (operand %u) is 0 or above the "
			 "module's max_tdmrs", i);
		break;
	case CM_TDX_INVALID_TDMR:
		snprintf(buf, len, "TDX_INVALID_TDMR: %s has a zero size, is not 1 GiB aligned, or overflows", where);
		break;
	case CM_TDX_NON_ORDERED_TDMR:
		snprintf(buf, len, "TDX_NON_ORDERED_TDMR: %s starts below the end of the TDMR before it", where);
		break;
	case CM_TDX_TDMR_OUTSIDE_CMRS:
		snprintf(buf, len, "TDX_TDMR_OUTSIDE_CMRS: %s has memory that is not reserved and not inside "
			 "the CMRs (not convertible)", where);
		break;
	case CM_TDX_INVALID_PAMT:
		snprintf(buf, len, "TDX_INVALID_PAMT: the %s PAMT of %s is not 4 KiB aligned or too small",
			 b1 < CM_PAMT_NR_LEVELS ? pamt_level_name[b1] : "?", where);
		break;
	case CM_TDX_PAMT_OUTSIDE_CMRS:
		snprintf(buf, len, "TDX_PAMT_OUTSIDE_CMRS: the %s PAMT of %s is not inside one CMR",
			 b1 < CM_PAMT_NR_LEVELS ? pamt_level_name[b1] : "?", where);
		break;
	case CM_TDX_PAMT_OVERLAP:
		snprintf(buf, len, "TDX_PAMT_OVERLAP: the %s PAMT of %s overlaps another PAMT or memory of a "
			 "TDMR that is not in a reserved area",
			 b1 < CM_PAMT_NR_LEVELS ? pamt_level_name[b1] : "?", where);
		break;
	case CM_TDX_INVALID_RESERVED_IN_TDMR:
		snprintf(buf, len, "TDX_INVALID_RESERVED_IN_TDMR: reserved area %u of %s is not 4 KiB aligned, "
			 "overflows, or lies outside the TDMR", b1, where);
		break;
	case CM_TDX_NON_ORDERED_RESERVED_IN_TDMR:
		snprintf(buf, len, "TDX_NON_ORDERED_RESERVED_IN_TDMR: reserved area %u of %s follows a null area "
			 "or starts below the end of the area before it", b1, where);
		break;
	default:
		snprintf(buf, len, "unknown completion code 0x%016" PRIx64, status);
		break;
	}
}
