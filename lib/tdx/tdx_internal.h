/* SPDX-License-Identifier: MIT */
#ifndef CONFMEM_TDX_INTERNAL_H
#define CONFMEM_TDX_INTERNAL_H

#include "confmem/tdx.h"

/* memlist.c */
int tdx_build_memlist(const struct cm_platform *p, struct cm_tdx_plan *plan);
int tdx_exclude_nonconvertible(struct cm_tdx_plan *plan);
int tdx_check_convertible(struct cm_tdx_plan *plan);

/* tdmr.c */
int tdx_fill_out_tdmrs(struct cm_tdx_plan *plan, unsigned int max_tdmrs);

/* pamt.c */
uint64_t tdx_pamt_level_size(uint64_t tdmr_size, enum cm_pamt_level level, unsigned int entry_size);
int tdx_set_up_pamt_all(const struct cm_platform *p, struct cm_tdx_plan *plan);

/* rsvd.c */
int tdx_populate_rsvd_all(struct cm_tdx_plan *plan, unsigned int max_reserved, size_t *failed_tdmr);
/* Count the reserved areas TDMR @i would need (no limit); for advice. */
int tdx_count_rsvd(const struct cm_tdx_plan *plan, size_t i, unsigned int *count);

#endif
