// SPDX-License-Identifier: MIT
/*
 * TDMRs covering the TDX memory list (SPEC 3.4), and their binary
 * TDMR_INFO layout (SPEC 3.7), written and read back.
 */
#include <errno.h>
#include <stdio.h>
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

static uint64_t get_le64(const uint8_t *src)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | src[i];
	return v;
}

static int check_max_reserved(unsigned int max_reserved_per_tdmr, struct cm_error *err)
{
	if (max_reserved_per_tdmr < 1 || max_reserved_per_tdmr > CM_TDMR_INFO_MAX_RESERVED)
		return cm_error_set(err, -EINVAL, "max_reserved_per_tdmr %u is not in 1..%u", max_reserved_per_tdmr,
				    CM_TDMR_INFO_MAX_RESERVED);
	return 0;
}

static int check_array_size(size_t len, unsigned int max_reserved_per_tdmr, struct cm_error *err)
{
	size_t one;

	if (check_max_reserved(max_reserved_per_tdmr, err))
		return -EINVAL;
	one = cm_tdmr_info_size(max_reserved_per_tdmr);
	if (!len)
		return cm_error_set(err, -EINVAL, "empty: a TDMR_INFO array holds at least one %zu-byte entry", one);
	if (len % one)
		return cm_error_set(err, -EINVAL, "%zu bytes is not a whole number of %zu-byte TDMR_INFO entries "
				    "(max_reserved_per_tdmr %u)", len, one, max_reserved_per_tdmr);
	if (len / one > CM_TDMR_INFO_MAX_ENTRIES)
		return cm_error_set(err, -EINVAL, "%zu TDMR_INFO entries, more than the limit of %u", len / one,
				    CM_TDMR_INFO_MAX_ENTRIES);
	return 0;
}

/* One entry: the header, then the slots up to the last non-null one. */
static void parse_entry(const uint8_t *p, unsigned int max_reserved_per_tdmr, struct cm_tdmr *t)
{
	t->base = get_le64(p);
	t->size = get_le64(p + 8);
	t->pamt_base[CM_PAMT_1G] = get_le64(p + 16);
	t->pamt_size[CM_PAMT_1G] = get_le64(p + 24);
	t->pamt_base[CM_PAMT_2M] = get_le64(p + 32);
	t->pamt_size[CM_PAMT_2M] = get_le64(p + 40);
	t->pamt_base[CM_PAMT_4K] = get_le64(p + 48);
	t->pamt_size[CM_PAMT_4K] = get_le64(p + 56);
	t->pamt_node = -1;
	t->nr_reserved = 0;
	for (unsigned int j = 0; j < max_reserved_per_tdmr; j++) {
		const uint8_t *entry = p + CM_TDMR_INFO_HEADER_SIZE + TDMR_INFO_RESERVED_ENTRY_SIZE * j;

		t->reserved[j].offset = get_le64(entry);
		t->reserved[j].size = get_le64(entry + 8);
		if (t->reserved[j].size)
			t->nr_reserved = j + 1;
	}
}

int cm_tdmr_info_parse(const uint8_t *buf, size_t len, unsigned int max_reserved_per_tdmr,
		       struct cm_tdmr **tdmrs, size_t *nr, struct cm_error *err)
{
	size_t one, count;
	struct cm_tdmr_reserved *slots;
	struct cm_tdmr *t;
	int ret;

	*tdmrs = NULL;
	*nr = 0;
	ret = check_array_size(len, max_reserved_per_tdmr, err);
	if (ret)
		return ret;
	one = cm_tdmr_info_size(max_reserved_per_tdmr);
	count = len / one;
	/* The limits above keep this product far from overflowing. */
	t = malloc(count * (sizeof(*t) + max_reserved_per_tdmr * sizeof(*slots)));
	if (!t)
		return cm_error_set(err, -ENOMEM, "out of memory for %zu TDMRs", count);
	slots = (struct cm_tdmr_reserved *)(t + count);
	for (size_t i = 0; i < count; i++) {
		t[i].reserved = slots + i * max_reserved_per_tdmr;
		parse_entry(buf + i * one, max_reserved_per_tdmr, &t[i]);
	}
	*tdmrs = t;
	*nr = count;
	return 0;
}

void cm_tdmr_info_free(struct cm_tdmr *tdmrs)
{
	free(tdmrs);
}

int cm_tdmr_info_read_file(const char *path, unsigned int max_reserved_per_tdmr, struct cm_tdmr **tdmrs,
			   size_t *nr, struct cm_error *err)
{
	struct cm_error why = { 0 };
	size_t len = 0, limit;
	char *buf = NULL;
	int ret;

	*tdmrs = NULL;
	*nr = 0;
	ret = check_max_reserved(max_reserved_per_tdmr, &why);
	if (ret)
		return cm_error_set(err, ret, "%s: %s", path, why.msg);
	limit = CM_TDMR_INFO_MAX_ENTRIES * cm_tdmr_info_size(max_reserved_per_tdmr);
	/* A regular file only, so that a FIFO cannot block; the limit is CM_TDMR_INFO_MAX_ENTRIES entries. */
	ret = cm_read_file(path, limit, &buf, &len, err);
	if (ret)
		return ret;
	ret = cm_tdmr_info_parse((const uint8_t *)buf, len, max_reserved_per_tdmr, tdmrs, nr, &why);
	if (ret)
		cm_error_set(err, ret, "%s: %s", path, why.msg);
	free(buf);
	return ret;
}
