/* SPDX-License-Identifier: MIT */
/*
 * The emulated module's TDH.SYS.CONFIG, split by rule group: module.c
 * (the TDMR loop, each TDMR's own fields, its reserved areas, its memory
 * in the CMRs), module_pamt.c (the PAMT rules), module_status.c (a
 * status in plain words).
 */
#ifndef CONFMEM_TDX_MODULE_INTERNAL_H
#define CONFMEM_TDX_MODULE_INTERNAL_H

#include "tdx_internal.h"

/* One PAMT level of one TDMR as a range, for the overlap prefilter. */
struct module_pamt_ref {
	uint64_t start;
	uint64_t end;
	size_t tdmr;
	enum cm_pamt_level level;
};

/*
 * What TDH.SYS.CONFIG is checking. The module checks TDMR after TDMR;
 * when it looks at TDMR i, TDMRs 0..i-1 passed every check, so they are
 * sorted, do not overlap, and their reserved areas are sorted and
 * contained. nr_areas[j] (j <= i) is the number of non-null reserved
 * areas of TDMR j, which are its first ones.
 *
 * The PAMT rules compare TDMR i with every earlier TDMR (O(n^2) as the
 * module does it); refs, refs_max_end and pamt_overlap let a TDMR whose
 * PAMTs touch nothing skip that scan (see module_pamt.c).
 */
struct module_ctx {
	const struct cm_tdx_config *limits;
	const struct cm_range *cmrs;
	unsigned int nr_cmrs;
	const struct cm_tdmr *tdmrs;
	size_t nr_tdmrs;
	unsigned int flags;		/* TDH.SYS.CONFIG's R8 flags */
	unsigned int *nr_areas;
	struct module_pamt_ref *refs;	/* every well-formed PAMT level, by start */
	size_t nr_refs;
	uint64_t *refs_max_end;		/* [k]: the highest end of refs[0..k) */
	bool *pamt_overlap;		/* [tdmr * CM_PAMT_NR_LEVELS + level]: overlaps another PAMT level */
};

/* The completion code with its detail bytes (the module's api_error_with_multiple_info). */
static inline uint64_t module_status(uint64_t code, uint64_t b0, uint64_t b1, uint64_t b2)
{
	return code + (b0 & 0xff) + ((b1 & 0xff) << 8) + ((b2 & 0xff) << 16);
}

/* Does [start, end) touch a part of TDMR @t (its first @nr_areas areas in use) that is not reserved? */
bool module_hits_tdmr_memory(const struct cm_tdmr *t, unsigned int nr_areas, uint64_t start, uint64_t end);

/* module_pamt.c */
int module_ctx_init(struct module_ctx *c);
void module_ctx_free(struct module_ctx *c);
/* TDX_INVALID_PAMT, TDX_PAMT_OVERLAP, TDX_PAMT_OUTSIDE_CMRS of TDMR @i, in the module's order. */
uint64_t module_check_pamts(const struct module_ctx *c, size_t i);

#endif
