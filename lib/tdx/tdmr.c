// SPDX-License-Identifier: MIT
/*
 * TDMRs covering the TDX memory list (SPEC 3.4), and their binary
 * TDMR_INFO layout (SPEC 3.7).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_internal.h"

/*
 * Walk the memory list once; each region's range is widened to 1 GiB
 * boundaries. A region already covered by the current TDMR is skipped, a
 * partly covered one starts a new TDMR at the current TDMR's end. TDMRs
 * never grow once opened, so neighbours may touch.
 */
int tdx_fill_out_tdmrs(struct cm_tdx_plan *plan, unsigned int max_tdmrs)
{
	size_t nr = 0, cap = 0;

	for (size_t i = 0; i < plan->nr_memlist; i++) {
		uint64_t start = cm_align_down(plan->memlist[i].start, CM_TDMR_ALIGNMENT);
		uint64_t end = cm_align_up(plan->memlist[i].end, CM_TDMR_ALIGNMENT);
		struct cm_tdmr *t;

		if (nr > 0) {
			const struct cm_tdmr *cur = &plan->tdmrs[nr - 1];

			if (end <= cm_tdmr_end(cur))
				continue;
			if (start < cm_tdmr_end(cur))
				start = cm_tdmr_end(cur);
		}
		if (nr >= max_tdmrs) {
			plan->nr_tdmrs = nr;
			return -ENOSPC;
		}
		if (nr == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct cm_tdmr *n = realloc(plan->tdmrs, ncap * sizeof(*n));

			if (!n) {
				plan->nr_tdmrs = nr;
				return -ENOMEM;
			}
			plan->tdmrs = n;
			cap = ncap;
		}
		t = &plan->tdmrs[nr++];
		memset(t, 0, sizeof(*t));
		t->base = start;
		t->size = end - start;
		t->pamt_node = -1;
	}
	plan->nr_tdmrs = nr;
	return 0;
}

/* One reserved area in TDMR_INFO: offset and size, two little-endian u64. */
#define TDMR_INFO_RESERVED_ENTRY_SIZE 16
_Static_assert(sizeof(struct cm_tdmr_reserved) == TDMR_INFO_RESERVED_ENTRY_SIZE,
	       "a reserved area is laid out as it is held");
_Static_assert(CM_TDMR_INFO_HEADER_SIZE == 8 * sizeof(uint64_t), "the TDMR_INFO header is eight u64 fields");
_Static_assert(CM_TDMR_INFO_HEADER_SIZE <= CM_TDMR_INFO_ALIGNMENT, "the header fits the aligned structure");

size_t cm_tdmr_info_size(unsigned int max_reserved_per_tdmr)
{
	/*
	 * The header is 64 bytes with the reserved areas right behind it, but
	 * the kernel's structure is 512-byte aligned, so its size (512) is
	 * what the per-TDMR size starts from.
	 */
	size_t raw = CM_TDMR_INFO_ALIGNMENT + TDMR_INFO_RESERVED_ENTRY_SIZE * (size_t)max_reserved_per_tdmr;

	return (raw + CM_TDMR_INFO_ALIGNMENT - 1) / CM_TDMR_INFO_ALIGNMENT * CM_TDMR_INFO_ALIGNMENT;
}

static void put_le64(uint8_t *dst, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		dst[i] = (uint8_t)(v >> (8 * i));
}

uint8_t *cm_tdmr_info_array(const struct cm_tdmr *tdmrs, size_t nr, unsigned int max_reserved_per_tdmr,
			    size_t *len)
{
	size_t one = cm_tdmr_info_size(max_reserved_per_tdmr);
	uint8_t *buf = calloc(nr ? nr : 1, one);

	if (!buf)
		return NULL;
	for (size_t i = 0; i < nr; i++) {
		const struct cm_tdmr *t = &tdmrs[i];
		uint8_t *p = buf + i * one;
		const uint64_t header[8] = {
			t->base, t->size,
			t->pamt_base[CM_PAMT_1G], t->pamt_size[CM_PAMT_1G],
			t->pamt_base[CM_PAMT_2M], t->pamt_size[CM_PAMT_2M],
			t->pamt_base[CM_PAMT_4K], t->pamt_size[CM_PAMT_4K],
		};

		for (int f = 0; f < 8; f++)
			put_le64(p + 8 * f, header[f]);
		for (unsigned int j = 0; j < t->nr_reserved && j < max_reserved_per_tdmr; j++) {
			uint8_t *entry = p + CM_TDMR_INFO_HEADER_SIZE + TDMR_INFO_RESERVED_ENTRY_SIZE * j;

			put_le64(entry, t->reserved[j].offset);
			put_le64(entry + 8, t->reserved[j].size);
		}
	}
	*len = nr * one;
	return buf;
}
