// SPDX-License-Identifier: MIT
/*
 * A TDH.SYS.CONFIG completion code in plain words: which TDMR, which
 * reserved area or PAMT level, which other TDMR, and which rule (the
 * rules and their order are in module.c and module_pamt.c).
 */
#include <inttypes.h>
#include <stdio.h>

#include "module_internal.h"

static const char *const pamt_level_name[CM_PAMT_NR_LEVELS] = { "4K", "2M", "1G" };

struct status_words {
	uint64_t code;
	unsigned int b0, b1, b2;	/* the detail bytes */
	char tdmr[96];			/* "TDMR b0 [base, end)" */
	char other[96];			/* "TDMR b2 [base, end)" */
	const char *level;		/* the PAMT level named by b1 */
};

static void name_tdmr(char *buf, size_t len, unsigned int i, const struct cm_tdmr *tdmrs, size_t nr_tdmrs)
{
	if (i < nr_tdmrs)
		snprintf(buf, len, "TDMR %u [0x%" PRIx64 ", 0x%" PRIx64 ")", i, tdmrs[i].base, cm_tdmr_end(&tdmrs[i]));
	else
		snprintf(buf, len, "TDMR %u", i);
}

/* Which half of TDX_NON_ORDERED_RESERVED_IN_TDMR: slot b1 is null (when the TDMRs show it). */
static bool reserved_slot_is_null(const struct status_words *w, const struct cm_tdmr *tdmrs, size_t nr_tdmrs)
{
	return w->b0 < nr_tdmrs && (w->b1 >= tdmrs[w->b0].nr_reserved || !tdmrs[w->b0].reserved[w->b1].size);
}

static void describe_reserved(const struct status_words *w, const struct cm_tdmr *tdmrs, size_t nr_tdmrs,
			      char *buf, size_t len)
{
	if (w->code == CM_TDX_INVALID_RESERVED_IN_TDMR)
		snprintf(buf, len, "TDX_INVALID_RESERVED_IN_TDMR: reserved area %u of %s overflows, is not 4 KiB "
			 "aligned, or lies outside the TDMR", w->b1, w->tdmr);
	else if (reserved_slot_is_null(w, tdmrs, nr_tdmrs))
		snprintf(buf, len, "TDX_NON_ORDERED_RESERVED_IN_TDMR: reserved area %u of %s is null (size 0) but "
			 "area %u is not: null areas must come last", w->b1, w->tdmr, w->b1 + 1);
	else
		snprintf(buf, len, "TDX_NON_ORDERED_RESERVED_IN_TDMR: reserved area %u of %s starts below the end of "
			 "area %u (areas must be sorted by offset and apart)", w->b1, w->tdmr, w->b1 ? w->b1 - 1 : 0);
}

static void describe_pamt(const struct status_words *w, char *buf, size_t len)
{
	if (w->code == CM_TDX_INVALID_PAMT)
		snprintf(buf, len, "TDX_INVALID_PAMT: the %s PAMT of %s overflows, is not 4 KiB aligned, lies past "
			 "the 52-bit physical-address limit, or is too small for the TDMR", w->level, w->tdmr);
	else if (w->code == CM_TDX_PAMT_OUTSIDE_CMRS)
		snprintf(buf, len, "TDX_PAMT_OUTSIDE_CMRS: the %s PAMT of %s is not inside one CMR", w->level,
			 w->tdmr);
	else if (w->b0 == w->b2)
		snprintf(buf, len, "TDX_PAMT_OVERLAP: the %s PAMT of %s overlaps another PAMT level of the same "
			 "TDMR or the TDMR's own memory that is not in a reserved area", w->level, w->tdmr);
	else
		snprintf(buf, len, "TDX_PAMT_OVERLAP: the %s PAMT of %s overlaps a PAMT of %s or memory of that "
			 "TDMR that is not in a reserved area", w->level, w->tdmr, w->other);
}

void cm_tdx_describe_status(uint64_t status, const struct cm_tdmr *tdmrs, size_t nr_tdmrs,
			    char *buf, size_t len)
{
	struct status_words w = {
		.code = status & CM_TDX_STATUS_MASK,
		.b0 = (unsigned int)(status & 0xff),
		.b1 = (unsigned int)((status >> 8) & 0xff),
		.b2 = (unsigned int)((status >> 16) & 0xff),
	};

	name_tdmr(w.tdmr, sizeof(w.tdmr), w.b0, tdmrs, nr_tdmrs);
	name_tdmr(w.other, sizeof(w.other), w.b2, tdmrs, nr_tdmrs);
	w.level = w.b1 < CM_PAMT_NR_LEVELS ? pamt_level_name[w.b1] : "?";
	switch (w.code) {
	case CM_TDX_SUCCESS:
		snprintf(buf, len, "TDX_SUCCESS: the module accepted the TDMRs");
		break;
	case CM_TDX_OPERAND_INVALID:
		snprintf(buf, len, "TDX_OPERAND_INVALID: the number of TDMRs (operand %u) is 0 or above the "
			 "module's max_tdmrs", w.b0);
		break;
	case CM_TDX_INVALID_TDMR:
		snprintf(buf, len, "TDX_INVALID_TDMR: %s overflows, has a zero size, is not 1 GiB aligned, or ends "
			 "past the 52-bit physical-address limit", w.tdmr);
		break;
	case CM_TDX_NON_ORDERED_TDMR:
		snprintf(buf, len, "TDX_NON_ORDERED_TDMR: %s starts below the end of the TDMR before it", w.tdmr);
		break;
	case CM_TDX_TDMR_OUTSIDE_CMRS:
		snprintf(buf, len, "TDX_TDMR_OUTSIDE_CMRS: %s has memory that is not reserved and not inside "
			 "the CMRs (not convertible)", w.tdmr);
		break;
	case CM_TDX_INVALID_PAMT:
	case CM_TDX_PAMT_OUTSIDE_CMRS:
	case CM_TDX_PAMT_OVERLAP:
		describe_pamt(&w, buf, len);
		break;
	case CM_TDX_INVALID_RESERVED_IN_TDMR:
	case CM_TDX_NON_ORDERED_RESERVED_IN_TDMR:
		describe_reserved(&w, tdmrs, nr_tdmrs, buf, len);
		break;
	default:
		snprintf(buf, len, "unknown completion code 0x%016" PRIx64, status);
		break;
	}
}
