/* SPDX-License-Identifier: MIT */
/*
 * The emulated TDX module at run time (SPEC 9): what a TD guest needs from
 * it beyond the init of SPEC 3. Private KeyIDs (HKIDs) from the BIOS's
 * range, the checks of TDH.MEM.PAGE.ADD / TDH.MEM.PAGE.AUG (a page must be
 * TDX memory: inside a TDMR, in none of its reserved areas, not a PAMT
 * page) and, with Dynamic PAMT, the per-2 MiB reference counts that decide
 * when a range's 4K PAMT pages are allocated and freed.
 *
 * The host memory itself (the PAMT pages, the guest's pages) belongs to
 * the page engine (confmem/mm.h); this module only says yes or no and
 * counts.
 */
#ifndef CONFMEM_TD_H
#define CONFMEM_TD_H

#include <stdbool.h>
#include <stdint.h>

#include "confmem/platform.h"
#include "confmem/tdx.h"

/* The SEAMCALLs that give a TD a private page. */
enum cm_td_page_op {
	CM_TDH_MEM_PAGE_ADD,	/* at build, before TDH.MR.FINALIZE */
	CM_TDH_MEM_PAGE_AUG,	/* at run time, when the guest accepts a page */
	CM_NR_TD_PAGE_OPS
};
/* "TDH.MEM.PAGE.ADD", "TDH.MEM.PAGE.AUG". */
const char *cm_td_page_op_name(enum cm_td_page_op op);

/* The HPA operand of PAGE.ADD/AUG is R8: TDX_OPERAND_INVALID names it in its low bits. */
#define CM_TDX_OPERAND_R8 8
#define CM_TDX_PAGE_NOT_TDX_MEMORY (CM_TDX_OPERAND_INVALID | CM_TDX_OPERAND_R8)

/* The Dynamic PAMT's range: one reference count per 2 MiB of a TDMR. */
#define CM_TD_DPAMT_RANGE (2 * CM_SZ_1M)
#define CM_TD_PAGES_PER_2M (CM_TD_DPAMT_RANGE / CM_PAGE_SIZE)

struct cm_td_module;

/*
 * The run-time module of an initialised @plan on @p: guest KeyIDs are the
 * BIOS range minus its first (the module's global KeyID). -EINVAL when the
 * plan did not initialise; -E2BIG when the TDMRs hold more 2 MiB ranges
 * than CM_TD_DPAMT_MAX_RANGES.
 */
#define CM_TD_DPAMT_MAX_RANGES (1ULL << 30)
int cm_td_module_new(const struct cm_platform *p, const struct cm_tdx_plan *plan, struct cm_td_module **out,
		     struct cm_error *err);
void cm_td_module_free(struct cm_td_module *m);

/* KeyIDs (the kernel's tdx_guest_keyid_alloc/free): the lowest free one, or -ENOSPC. */
int cm_td_keyid_alloc(struct cm_td_module *m);
void cm_td_keyid_free(struct cm_td_module *m, int keyid);
unsigned int cm_td_nr_guest_keyids(const struct cm_td_module *m);
unsigned int cm_td_keyids_in_use(const struct cm_td_module *m);

/* The module's answer to PAGE.ADD/AUG of the 4 KiB page at @phys: CM_TDX_SUCCESS or a status. */
uint64_t cm_td_page_check(const struct cm_td_module *m, uint64_t phys);

/* Dynamic PAMT: is it on (the dpamt profile), and how many 4 KiB pages a 2 MiB range needs. */
bool cm_td_dpamt_enabled(const struct cm_td_module *m);
unsigned int cm_td_dpamt_pages_per_range(const struct cm_td_module *m);
/* How many 2 MiB ranges the TDMRs hold: range indexes run from 0 to this. */
uint64_t cm_td_dpamt_nr_ranges(const struct cm_td_module *m);
/*
 * Take (get) or drop (put) a reference on the 2 MiB range of the private
 * page at @phys (TDX memory, cm_td_page_check() said so). Returns 1 when
 * the range's 4K PAMT pages must be allocated (the first reference) or
 * freed (the last), 0 otherwise, with the range's index in *@range; -ENOENT
 * when @phys is in no TDMR.
 */
int cm_td_dpamt_get(struct cm_td_module *m, uint64_t phys, uint64_t *range);
int cm_td_dpamt_put(struct cm_td_module *m, uint64_t phys, uint64_t *range);

#endif /* CONFMEM_TD_H */
