// SPDX-License-Identifier: MIT
/*
 * The emulated TDX module's TDH.SYS.CONFIG (SPEC 3.8), in the order of
 * Intel's TDX module source (branch tdx_1.5, tdh_sys_config.c): the number
 * of TDMRs, then TDMR after TDMR (check_and_set_tdmrs), so a TDMR's errors
 * are found before the next TDMR is looked at:
 *   1. base + size overflow; order after the previous TDMR; 1 GiB
 *      alignment, zero size and the physical-address limit;
 *   2. its reserved areas in slot order (check_tdmr_reserved_areas);
 *   3. its PAMTs (module_pamt.c);
 *   4. its non-reserved memory inside the CMRs (check_tdmr_available_areas).
 * A failure is the completion code plus detail bytes (module_status()).
 */
#include <errno.h>
#include <stdlib.h>

#include "module_internal.h"

/* Rule 1 (check_and_set_tdmrs, check_tdmr_area_addresses_and_size). */
static uint64_t check_tdmr(const struct cm_tdmr *tdmrs, size_t i)
{
	const struct cm_tdmr *t = &tdmrs[i];

	if (t->base > UINT64_MAX - t->size)
		return module_status(CM_TDX_INVALID_TDMR, i, 0, 0);
	/* Below the previous base or its end: the previous TDMR passed, so its end is above its base. */
	if (i > 0 && t->base < cm_tdmr_end(&tdmrs[i - 1]))
		return module_status(CM_TDX_NON_ORDERED_TDMR, i, 0, 0);
	if (!cm_is_aligned(t->base, CM_TDMR_ALIGNMENT) || !cm_is_aligned(t->size, CM_TDMR_ALIGNMENT) || !t->size)
		return module_status(CM_TDX_INVALID_TDMR, i, 0, 0);
	if (t->base >= CM_PHYS_LIMIT || cm_tdmr_end(t) - 1 >= CM_PHYS_LIMIT)
		return module_status(CM_TDX_INVALID_TDMR, i, 0, 0);
	return CM_TDX_SUCCESS;
}

/* Rule 2 for one non-null area j: overflow, order/overlap with area j-1, alignment, containment. */
static uint64_t check_area(const struct cm_tdmr *t, size_t i, unsigned int j)
{
	const struct cm_tdmr_reserved *r = &t->reserved[j], *prev = j > 0 ? &t->reserved[j - 1] : NULL;

	if (r->offset > UINT64_MAX - r->size)
		return module_status(CM_TDX_INVALID_RESERVED_IN_TDMR, i, j, 0);
	/* Area j-1 is not null here (a null one followed by this one was refused), nor does it overflow. */
	if (prev && (r->offset < prev->offset || r->offset < prev->offset + prev->size))
		return module_status(CM_TDX_NON_ORDERED_RESERVED_IN_TDMR, i, j, 0);
	if (!cm_is_aligned(r->offset, CM_PAGE_SIZE) || !cm_is_aligned(r->size, CM_PAGE_SIZE))
		return module_status(CM_TDX_INVALID_RESERVED_IN_TDMR, i, j, 0);
	if (t->base > UINT64_MAX - r->offset || t->base + r->offset > UINT64_MAX - r->size ||
	    t->base + r->offset + r->size > cm_tdmr_end(t))
		return module_status(CM_TDX_INVALID_RESERVED_IN_TDMR, i, j, 0);
	return CM_TDX_SUCCESS;
}

/*
 * Rule 2: the first @max_reserved slots exist; slots past nr_reserved are
 * null. A null slot followed by a non-null one is refused with the null
 * slot's index. *nr_areas: the areas in use (the slots before the nulls).
 */
static uint64_t check_reserved(const struct cm_tdmr *t, size_t i, unsigned int max_reserved,
			       unsigned int *nr_areas)
{
	unsigned int nr_slots = t->nr_reserved < max_reserved ? t->nr_reserved : max_reserved;

	*nr_areas = 0;
	for (unsigned int j = 0; j < nr_slots; j++) {
		uint64_t status;

		if (!t->reserved[j].size) {
			if (j + 1 < nr_slots && t->reserved[j + 1].size)
				return module_status(CM_TDX_NON_ORDERED_RESERVED_IN_TDMR, i, j, 0);
			continue;
		}
		status = check_area(t, i, j);
		if (status != CM_TDX_SUCCESS)
			return status;
		*nr_areas = j + 1;
	}
	return CM_TDX_SUCCESS;
}

bool module_hits_tdmr_memory(const struct cm_tdmr *t, unsigned int nr_areas, uint64_t start, uint64_t end)
{
	uint64_t pos = start > t->base ? start : t->base;
	uint64_t stop = end < cm_tdmr_end(t) ? end : cm_tdmr_end(t);
	unsigned int lo = 0, hi = nr_areas;

	if (pos >= stop)
		return false;
	/* The areas are sorted and apart: find the first one that ends above pos. */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (t->base + t->reserved[mid].offset + t->reserved[mid].size <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* pos is memory unless an area covers it; walk touching areas to the end of the range. */
	for (unsigned int k = lo; pos < stop; k++) {
		uint64_t area_start;

		if (k == nr_areas)
			return true;
		area_start = t->base + t->reserved[k].offset;
		if (area_start > pos)
			return true;
		pos = area_start + t->reserved[k].size;
	}
	return false;
}

/* Rule 4: every part of TDMR i between its reserved areas lies in one CMR region. */
static uint64_t check_memory_in_cmrs(const struct module_ctx *c, size_t i)
{
	const struct cm_tdmr *t = &c->tdmrs[i];
	unsigned int nr = c->nr_areas[i];
	uint64_t pos = t->base;

	for (unsigned int k = 0; k <= nr; k++) {
		uint64_t part_end = k < nr ? t->base + t->reserved[k].offset : cm_tdmr_end(t);

		if (part_end > pos && !cm_tdx_cmrs_contain(c->cmrs, c->nr_cmrs, pos, part_end))
			return module_status(CM_TDX_TDMR_OUTSIDE_CMRS, i, 0, 0);
		if (k < nr)
			pos = part_end + t->reserved[k].size;
	}
	return CM_TDX_SUCCESS;
}

uint64_t cm_tdx_module_config(const struct cm_tdx_config *limits, const struct cm_range *cmrs,
			      unsigned int nr_cmrs, const struct cm_tdmr *tdmrs, size_t nr_tdmrs)
{
	return cm_tdx_module_config_flags(limits, cmrs, nr_cmrs, tdmrs, nr_tdmrs, 0);
}

uint64_t cm_tdx_module_config_flags(const struct cm_tdx_config *limits, const struct cm_range *cmrs,
				    unsigned int nr_cmrs, const struct cm_tdmr *tdmrs, size_t nr_tdmrs,
				    unsigned int flags)
{
	struct module_ctx c = {
		.limits = limits, .cmrs = cmrs, .nr_cmrs = nr_cmrs, .tdmrs = tdmrs, .nr_tdmrs = nr_tdmrs,
		.flags = flags,
	};
	uint64_t status = CM_TDX_SUCCESS;

	if (nr_tdmrs > limits->max_tdmrs || nr_tdmrs < 1)
		return CM_TDX_OPERAND_INVALID + CM_TDX_OPERAND_RDX;
	if (module_ctx_init(&c))
		return CM_TDX_EMULATION_NOMEM;
	for (size_t i = 0; i < nr_tdmrs && status == CM_TDX_SUCCESS; i++) {
		status = check_tdmr(tdmrs, i);
		if (status == CM_TDX_SUCCESS)
			status = check_reserved(&tdmrs[i], i, limits->max_reserved_per_tdmr, &c.nr_areas[i]);
		if (status == CM_TDX_SUCCESS)
			status = module_check_pamts(&c, i);
		if (status == CM_TDX_SUCCESS)
			status = check_memory_in_cmrs(&c, i);
	}
	module_ctx_free(&c);
	return status;
}
