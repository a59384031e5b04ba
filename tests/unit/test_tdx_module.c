// SPDX-License-Identifier: MIT
/*
 * The emulated module's TDH.SYS.CONFIG checks (SPEC 3.8), in the order of
 * the TDX module source (tdx_1.5, tdh_sys_config.c): one test per rule,
 * each feeding a crafted TDMR list and checking the exact code with its
 * detail bytes (code + b0 + (b1 << 8) + (b2 << 16)). Where a layout breaks
 * two rules, the test says which one the module finds first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define NR_SLOTS 20
#define NR_TDMRS 4

/*
 * The valid base case:
 *   CMR   [4G ................................ 12G)
 *   TDMR0 [4G ........ 8G)  TDMR1 [8G ........ 12G)
 *         [PAMT0][PAMT1]...   PAMTs of both TDMRs at 4G, reserved in TDMR0
 * Each PAMT block is 4K level, then 2M, then 1G.
 */
struct fixture {
	struct cm_tdx_config limits;
	struct cm_range cmrs[2];
	unsigned int nr_cmrs;
	struct cm_tdmr tdmrs[NR_TDMRS];	/* two in the base case */
	struct cm_tdmr_reserved rsvd[NR_TDMRS][NR_SLOTS];
};

static void set_pamt(struct cm_tdmr *t, uint64_t base)
{
	t->pamt_size[CM_PAMT_4K] = t->size / 4096 * 16;
	t->pamt_size[CM_PAMT_2M] = t->size / (2 * MiB) * 16;
	t->pamt_size[CM_PAMT_1G] = 4096;
	t->pamt_base[CM_PAMT_4K] = base;
	t->pamt_base[CM_PAMT_2M] = base + t->pamt_size[CM_PAMT_4K];
	t->pamt_base[CM_PAMT_1G] = t->pamt_base[CM_PAMT_2M] + t->pamt_size[CM_PAMT_2M];
}

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	cm_tdx_config_set_defaults(&f->limits);
	f->cmrs[0] = (struct cm_range){ 4 * GiB, 12 * GiB };
	f->nr_cmrs = 1;
	for (int i = 0; i < NR_TDMRS; i++) {
		f->tdmrs[i].base = (4 + 4 * (uint64_t)i) * GiB;
		f->tdmrs[i].size = 4 * GiB;
		f->tdmrs[i].reserved = f->rsvd[i];
	}
	set_pamt(&f->tdmrs[0], 4 * GiB);
	set_pamt(&f->tdmrs[1], 4 * GiB + cm_tdmr_pamt_block_size(&f->tdmrs[0]));
	f->rsvd[0][0].offset = 0;
	f->rsvd[0][0].size = cm_tdmr_pamt_block_size(&f->tdmrs[0]) + cm_tdmr_pamt_block_size(&f->tdmrs[1]);
	f->tdmrs[0].nr_reserved = 1;
}

/* The end of the PAMT blocks reserved at the start of TDMR 0. */
static uint64_t pamts_end(const struct fixture *f)
{
	return 4 * GiB + f->rsvd[0][0].size;
}

static uint64_t config(const struct fixture *f, size_t nr)
{
	return cm_tdx_module_config(&f->limits, f->cmrs, f->nr_cmrs, f->tdmrs, nr);
}

static uint64_t detail(uint64_t code, uint64_t b0, uint64_t b1, uint64_t b2)
{
	return code + b0 + (b1 << 8) + (b2 << 16);
}

/*
 * A second model of the module's loops, written straight from the source
 * (slot walks, every earlier TDMR, no prefilter), to check the library's
 * faster form on random layouts.
 */
static struct cm_tdmr_reserved ref_slot(const struct cm_tdmr *t, unsigned int j)
{
	return j < t->nr_reserved ? t->reserved[j] : (struct cm_tdmr_reserved){ 0, 0 };
}

static bool ref_overlap(uint64_t b1, uint64_t s1, uint64_t b2, uint64_t s2)
{
	return !(b1 >= b2 + s2 || b2 >= b1 + s1);
}

/* The non-reserved parts of @t as the module walks them; true when @bad says so for one. */
static bool ref_walk(const struct cm_tdmr *t, unsigned int max, bool (*bad)(uint64_t, uint64_t, const void *),
		     const void *arg)
{
	uint64_t avail = t->base, end = cm_tdmr_end(t);
	bool valid = false;

	for (unsigned int j = 0; j < max; j++) {
		struct cm_tdmr_reserved r = ref_slot(t, j);
		uint64_t rs = t->base + r.offset;

		valid = r.size != 0;
		if (avail == end)
			break;
		if (valid && avail == rs) {
			avail = rs + r.size;
			continue;
		}
		if (bad(avail, valid ? rs : end, arg))
			return true;
		if (!valid)
			break;
		avail = rs + r.size;
	}
	return valid && end > avail && bad(avail, end, arg);
}

static bool ref_hits(uint64_t start, uint64_t end, const void *arg)
{
	const uint64_t *pamt = arg;

	return ref_overlap(pamt[0], pamt[1], start, end - start);
}

static const struct fixture *ref_cmr_fixture;

static bool ref_outside_cmrs(uint64_t start, uint64_t end, const void *arg)
{
	(void)arg;
	return !cm_tdx_cmrs_contain(ref_cmr_fixture->cmrs, ref_cmr_fixture->nr_cmrs, start, end);
}

static uint64_t ref_tdmr(const struct fixture *f, size_t i)
{
	const struct cm_tdmr *t = &f->tdmrs[i];
	unsigned int max = f->limits.max_reserved_per_tdmr;

	if (t->base > UINT64_MAX - t->size)
		return detail(CM_TDX_INVALID_TDMR, i, 0, 0);
	if (i > 0 && (t->base < f->tdmrs[i - 1].base || t->base < cm_tdmr_end(&f->tdmrs[i - 1])))
		return detail(CM_TDX_NON_ORDERED_TDMR, i, 0, 0);
	if (t->base % GiB || t->size % GiB || !t->size || t->base >= (1ULL << 52) ||
	    t->base + t->size - 1 >= (1ULL << 52))
		return detail(CM_TDX_INVALID_TDMR, i, 0, 0);
	for (unsigned int j = 0; j < max; j++) {
		struct cm_tdmr_reserved r = ref_slot(t, j), prev = j ? ref_slot(t, j - 1) : r;

		if (!r.size) {
			if (j < max - 1 && ref_slot(t, j + 1).size)
				return detail(CM_TDX_NON_ORDERED_RESERVED_IN_TDMR, i, j, 0);
			continue;
		}
		if (r.offset > UINT64_MAX - r.size)
			return detail(CM_TDX_INVALID_RESERVED_IN_TDMR, i, j, 0);
		if (j > 0 && (r.offset < prev.offset || r.offset < prev.offset + prev.size))
			return detail(CM_TDX_NON_ORDERED_RESERVED_IN_TDMR, i, j, 0);
		if (r.offset % 4096 || r.size % 4096 || t->base > UINT64_MAX - r.offset ||
		    t->base + r.offset > UINT64_MAX - r.size || t->base + r.offset + r.size > cm_tdmr_end(t))
			return detail(CM_TDX_INVALID_RESERVED_IN_TDMR, i, j, 0);
	}
	return CM_TDX_SUCCESS;
}

static const int ref_small_first[3] = { CM_PAMT_4K, CM_PAMT_2M, CM_PAMT_1G };
static const int ref_large_first[3] = { CM_PAMT_1G, CM_PAMT_2M, CM_PAMT_4K };
static const uint64_t ref_page[3] = { 4096, 2 * MiB, GiB };

static bool ref_pamt_hits(const struct fixture *f, size_t owner, int l, size_t tdmr)
{
	const uint64_t pamt[2] = { f->tdmrs[owner].pamt_base[l], f->tdmrs[owner].pamt_size[l] };

	return ref_walk(&f->tdmrs[tdmr], f->limits.max_reserved_per_tdmr, ref_hits, pamt);
}

static uint64_t ref_pamts(const struct fixture *f, size_t i)
{
	const struct cm_tdmr *t = &f->tdmrs[i];

	for (int k = 0; k < 3; k++) {
		int l = ref_large_first[k];
		uint64_t b = t->pamt_base[l], s = t->pamt_size[l];

		if (b > UINT64_MAX - s || b % 4096 || s % 4096 || b >= (1ULL << 52) || b + s - 1 >= (1ULL << 52) ||
		    s < t->size / ref_page[l] * 16)
			return detail(CM_TDX_INVALID_PAMT, i, l, 0);
	}
	for (size_t j = 0; j < i; j++)
		for (int k = 0; k < 3; k++)
			for (int m = 0; m < 3; m++)
				if (ref_overlap(t->pamt_base[ref_small_first[k]], t->pamt_size[ref_small_first[k]],
						f->tdmrs[j].pamt_base[m], f->tdmrs[j].pamt_size[m]))
					return detail(CM_TDX_PAMT_OVERLAP, i, ref_small_first[k], j);
	for (int a = 0; a < 3; a++)
		for (int b = a + 1; b < 3; b++)
			if (ref_overlap(t->pamt_base[a], t->pamt_size[a], t->pamt_base[b], t->pamt_size[b]))
				return detail(CM_TDX_PAMT_OVERLAP, i, a, i);
	for (size_t j = 0; j <= i; j++) {
		for (int k = 0; k < 3; k++)
			if (ref_pamt_hits(f, i, ref_small_first[k], j))
				return detail(CM_TDX_PAMT_OVERLAP, i, ref_small_first[k], j);
		for (int k = 0; k < 3 && j < i; k++)
			if (ref_pamt_hits(f, j, ref_small_first[k], i))
				return detail(CM_TDX_PAMT_OVERLAP, j, ref_small_first[k], i);
	}
	for (int k = 0; k < 3; k++) {
		int l = ref_large_first[k];

		if (!cm_tdx_cmrs_contain(f->cmrs, f->nr_cmrs, t->pamt_base[l], t->pamt_base[l] + t->pamt_size[l]))
			return detail(CM_TDX_PAMT_OUTSIDE_CMRS, i, l, 0);
	}
	return CM_TDX_SUCCESS;
}

static uint64_t ref_config(const struct fixture *f, size_t nr)
{
	ref_cmr_fixture = f;
	for (size_t i = 0; i < nr; i++) {
		uint64_t status = ref_tdmr(f, i);

		if (status == CM_TDX_SUCCESS)
			status = ref_pamts(f, i);
		if (status == CM_TDX_SUCCESS &&
		    ref_walk(&f->tdmrs[i], f->limits.max_reserved_per_tdmr, ref_outside_cmrs, NULL))
			status = detail(CM_TDX_TDMR_OUTSIDE_CMRS, i, 0, 0);
		if (status != CM_TDX_SUCCESS)
			return status;
	}
	return CM_TDX_SUCCESS;
}

static void test_valid_tdmrs_accepted(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	assert_int_equal(config(&f, 2), CM_TDX_SUCCESS);
}

static void test_operand_invalid_nr_tdmrs(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	assert_int_equal(config(&f, 0), CM_TDX_OPERAND_INVALID + 2);
	f.limits.max_tdmrs = 1;
	assert_int_equal(config(&f, 2), CM_TDX_OPERAND_INVALID + 2);
}

/*
 *   TDMR0 [4G ........ 8G)
 *            TDMR1 [7G ...... 2^64 + 1G)    base + size overflows
 * expect TDX_INVALID_TDMR 1: the overflow is checked before the order.
 */
static void test_tdmr_overflow_before_order(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.tdmrs[1].base = 7 * GiB;
	f.tdmrs[1].size = 0 - 6 * GiB;
	assert_int_equal(config(&f, 2), detail(CM_TDX_INVALID_TDMR, 1, 0, 0));
}

/*
 *   TDMR0 [4G ........ 8G)
 *           TDMR1 [4G+2M ...... 8G+2M)   not 1 GiB aligned and starts inside TDMR0
 * expect TDX_NON_ORDERED_TDMR 1: the order is checked before the alignment.
 * Aligned but inside (TDMR1 at 7G) is the same; TDMR1 below TDMR0's base too.
 */
static void test_tdmr_order_before_alignment(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.tdmrs[1].base = 4 * GiB + 2 * MiB;
	assert_int_equal(config(&f, 2), detail(CM_TDX_NON_ORDERED_TDMR, 1, 0, 0));
	f.tdmrs[1].base = 7 * GiB;
	assert_int_equal(config(&f, 2), detail(CM_TDX_NON_ORDERED_TDMR, 1, 0, 0));
	f.tdmrs[1].base = 2 * GiB;
	assert_int_equal(config(&f, 2), detail(CM_TDX_NON_ORDERED_TDMR, 1, 0, 0));
}

/*
 *   TDMR0 [4G ........ 8G)   TDMR1 [8G+2M ...)   or size 0, or 6G
 * expect TDX_INVALID_TDMR 1.
 */
static void test_tdmr_alignment_and_zero_size(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.tdmrs[1].base += 2 * MiB;
	assert_int_equal(config(&f, 2), detail(CM_TDX_INVALID_TDMR, 1, 0, 0));
	fixture_init(&f);
	f.tdmrs[1].size = 0;
	assert_int_equal(config(&f, 2), detail(CM_TDX_INVALID_TDMR, 1, 0, 0));
	fixture_init(&f);
	f.tdmrs[0].size = 3 * GiB / 2;
	assert_int_equal(config(&f, 2), detail(CM_TDX_INVALID_TDMR, 0, 0, 0));
}

/*
 *   TDMR0 [4G ... 8G)          TDMR1 [2^52 - 1G .|. 2^52 + 1G)   all reserved
 * expect TDX_INVALID_TDMR 1: its last byte is past the 52-bit address limit
 * (accepted before: nothing of it needs to be convertible). A TDMR at 2^52 too.
 */
static void test_tdmr_physical_address_limit(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.tdmrs[1].base = (1ULL << 52) - GiB;
	f.tdmrs[1].size = 2 * GiB;
	f.rsvd[1][0] = (struct cm_tdmr_reserved){ 0, 2 * GiB };
	f.tdmrs[1].nr_reserved = 1;
	assert_int_equal(config(&f, 2), detail(CM_TDX_INVALID_TDMR, 1, 0, 0));
	f.tdmrs[1].base = 1ULL << 52;
	f.tdmrs[1].size = GiB;
	f.rsvd[1][0].size = GiB;
	assert_int_equal(config(&f, 2), detail(CM_TDX_INVALID_TDMR, 1, 0, 0));
}

/*
 * TDMR0's reserved slots: [(0,0), (0,0x1000), null...]
 * expect TDX_NON_ORDERED_RESERVED_IN_TDMR 0, area 0: the null slot's index.
 * [(PAMTs), null, null, (1G,4K)]: the null slot right before the non-null one, 2.
 */
static void test_reserved_null_slot_before_area(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.rsvd[0][0] = (struct cm_tdmr_reserved){ 0, 0 };
	f.rsvd[0][1] = (struct cm_tdmr_reserved){ 0, 0x1000 };
	f.tdmrs[0].nr_reserved = 2;
	assert_int_equal(config(&f, 2), 0xc0000a2100000000ULL);
	fixture_init(&f);
	f.rsvd[0][3] = (struct cm_tdmr_reserved){ 1 * GiB, 4096 };
	f.tdmrs[0].nr_reserved = 4;
	assert_int_equal(config(&f, 2), detail(CM_TDX_NON_ORDERED_RESERVED_IN_TDMR, 0, 2, 0));
}

/*
 * TDMR0's areas: [(PAMTs), (offset 1M, size 2^64 - 1M)]: area 1 overflows and
 * starts below area 0's end.
 * expect TDX_INVALID_RESERVED_IN_TDMR 0, area 1: overflow comes before order.
 */
static void test_reserved_overflow_before_order(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.rsvd[0][1] = (struct cm_tdmr_reserved){ MiB, 0 - MiB + 4096 };
	f.tdmrs[0].nr_reserved = 2;
	assert_int_equal(config(&f, 2), detail(CM_TDX_INVALID_RESERVED_IN_TDMR, 0, 1, 0));
}

/*
 * TDMR0's areas: [(PAMTs ....), (4K + 512, 4K)]: area 1 is not 4 KiB aligned
 * and starts inside area 0.
 * expect TDX_NON_ORDERED_RESERVED_IN_TDMR 0, area 1: order before alignment.
 * Touching areas are in order.
 */
static void test_reserved_order_before_alignment(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.rsvd[0][1] = (struct cm_tdmr_reserved){ 4096 + 512, 4096 };
	f.tdmrs[0].nr_reserved = 2;
	assert_int_equal(config(&f, 2), detail(CM_TDX_NON_ORDERED_RESERVED_IN_TDMR, 0, 1, 0));
	f.rsvd[0][1] = (struct cm_tdmr_reserved){ f.rsvd[0][0].size, 4096 };
	assert_int_equal(config(&f, 2), CM_TDX_SUCCESS);
}

/*
 * TDMR1 [8G ........ 12G)
 *   area 0 [2G + 512 ...)          not 4 KiB aligned
 *   area 0 [11G ......... 13G)     past the TDMR's end
 * expect TDX_INVALID_RESERVED_IN_TDMR 1, area 0, both times.
 */
static void test_reserved_alignment_and_containment(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.rsvd[1][0] = (struct cm_tdmr_reserved){ 2 * GiB + 512, 4096 };
	f.tdmrs[1].nr_reserved = 1;
	assert_int_equal(config(&f, 2), detail(CM_TDX_INVALID_RESERVED_IN_TDMR, 1, 0, 0));
	f.rsvd[1][0] = (struct cm_tdmr_reserved){ 3 * GiB, 2 * GiB };
	assert_int_equal(config(&f, 2), detail(CM_TDX_INVALID_RESERVED_IN_TDMR, 1, 0, 0));
}

/*
 * max_reserved_per_tdmr 2, TDMR0's slots: [(PAMTs), null | (1G+512, 1)]
 * expect success: slot 2 does not exist for the module.
 */
static void test_reserved_only_first_max_exist(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.limits.max_reserved_per_tdmr = 2;
	f.rsvd[0][2] = (struct cm_tdmr_reserved){ GiB + 512, 1 };
	f.tdmrs[0].nr_reserved = 3;
	assert_int_equal(config(&f, 2), CM_TDX_SUCCESS);
	f.limits.max_reserved_per_tdmr = 3;
	assert_int_equal(config(&f, 2), detail(CM_TDX_NON_ORDERED_RESERVED_IN_TDMR, 0, 1, 0));
}

/*
 * TDMR1's PAMT: 4K level at 4G + 8 (misaligned), 1G level on TDMR0's 4K level.
 * expect TDX_INVALID_PAMT 1, 4K: every level's address and size before any overlap.
 * Too small, and the 1G level checked before the 4K level.
 */
static void test_invalid_pamt_all_levels_before_overlap(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.tdmrs[1].pamt_base[CM_PAMT_4K] += 8;
	f.tdmrs[1].pamt_base[CM_PAMT_1G] = 4 * GiB;
	assert_int_equal(config(&f, 2), detail(CM_TDX_INVALID_PAMT, 1, CM_PAMT_4K, 0));
	fixture_init(&f);
	f.tdmrs[1].pamt_size[CM_PAMT_2M] -= 4096;	/* below size / 2M * 16 */
	assert_int_equal(config(&f, 2), detail(CM_TDX_INVALID_PAMT, 1, CM_PAMT_2M, 0));
	fixture_init(&f);
	f.tdmrs[0].pamt_base[CM_PAMT_4K] += 8;
	f.tdmrs[0].pamt_size[CM_PAMT_1G] = 0;
	assert_int_equal(config(&f, 2), detail(CM_TDX_INVALID_PAMT, 0, CM_PAMT_1G, 0));
}

/*
 *   CMRs [4G ... 12G) [2^52 - 1G ... 2^52 + 1G)
 *   TDMR1's 1G level [2^52 - 4K .|. 2^52 + 4K)     convertible, in no TDMR
 * expect TDX_INVALID_PAMT 1, 1G: past the 52-bit address limit (accepted before).
 */
static void test_invalid_pamt_physical_address_limit(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.cmrs[1] = (struct cm_range){ (1ULL << 52) - GiB, (1ULL << 52) + GiB };
	f.nr_cmrs = 2;
	f.tdmrs[1].pamt_base[CM_PAMT_1G] = (1ULL << 52) - 4096;
	f.tdmrs[1].pamt_size[CM_PAMT_1G] = 8192;
	assert_int_equal(config(&f, 2), detail(CM_TDX_INVALID_PAMT, 1, CM_PAMT_1G, 0));
}

/*
 *   [PAMT0 4K | 2M | 1G][PAMT1 ...]          reserved in TDMR0
 *        [PAMT1 block moved here ...]        overlaps PAMT0's 4K, 2M, 1G levels
 * expect TDX_PAMT_OVERLAP 1, 4K, 0: TDMR0 passes (nothing earlier to overlap),
 * the later TDMR is blamed, its 4K level first, the other TDMR in byte 2.
 */
static void test_pamt_overlap_blames_later_tdmr(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	set_pamt(&f.tdmrs[1], 4 * GiB + 4096 * 4);
	assert_int_equal(config(&f, 2), detail(CM_TDX_PAMT_OVERLAP, 1, CM_PAMT_4K, 0));
	/* Only TDMR1's 1G level on TDMR0's 2M level. */
	fixture_init(&f);
	f.tdmrs[1].pamt_base[CM_PAMT_1G] = f.tdmrs[0].pamt_base[CM_PAMT_2M];
	assert_int_equal(config(&f, 2), detail(CM_TDX_PAMT_OVERLAP, 1, CM_PAMT_1G, 0));
}

/*
 * TDMR1's 2M level on its own 1G level; TDMR1's 4K level on its 1G level;
 * then both that and TDMR1's 1G level on TDMR0's PAMT.
 * expect (1, 2M, 1), (1, 4K, 1), then (1, 1G, 0): earlier TDMRs' PAMTs come
 * before a TDMR's own levels.
 */
static void test_pamt_overlap_own_levels_after_earlier_tdmrs(void **state)
{
	struct fixture f;
	struct cm_tdmr *t;

	(void)state;
	fixture_init(&f);
	t = &f.tdmrs[1];
	t->pamt_base[CM_PAMT_2M] = t->pamt_base[CM_PAMT_1G];
	assert_int_equal(config(&f, 2), detail(CM_TDX_PAMT_OVERLAP, 1, CM_PAMT_2M, 1));
	fixture_init(&f);
	t->pamt_base[CM_PAMT_1G] = t->pamt_base[CM_PAMT_4K];
	assert_int_equal(config(&f, 2), detail(CM_TDX_PAMT_OVERLAP, 1, CM_PAMT_4K, 1));
	t->pamt_base[CM_PAMT_1G] = f.tdmrs[0].pamt_base[CM_PAMT_1G];
	t->pamt_base[CM_PAMT_4K] = t->pamt_base[CM_PAMT_2M] - 4096;
	assert_int_equal(config(&f, 2), detail(CM_TDX_PAMT_OVERLAP, 1, CM_PAMT_1G, 0));
}

/*
 *   TDMR0 [4G [PAMT0] ......................... 8G)   only PAMT0 reserved
 *                [PAMT1]                              on TDMR0's memory
 * expect TDX_PAMT_OVERLAP 1, 4K, 0 (TDMR1's PAMT, TDMR0's memory).
 */
static void test_pamt_overlap_memory_of_earlier_tdmr(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.rsvd[0][0].size = cm_tdmr_pamt_block_size(&f.tdmrs[0]);
	assert_int_equal(config(&f, 2), detail(CM_TDX_PAMT_OVERLAP, 1, CM_PAMT_4K, 0));
}

/*
 *   TDMR0 [4G [PAMT1] ....... 8G)  TDMR1 [8G [PAMT0] ........ 12G)
 *          reserved                         not reserved
 * expect TDX_PAMT_OVERLAP 0, 4K, 1, found when TDMR1 is checked: TDMR0's PAMT
 * is blamed, byte 2 names the TDMR whose memory it sits on.
 */
static void test_pamt_overlap_earlier_pamt_in_later_memory(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	set_pamt(&f.tdmrs[0], 8 * GiB);
	set_pamt(&f.tdmrs[1], 4 * GiB);
	f.rsvd[0][0].size = cm_tdmr_pamt_block_size(&f.tdmrs[1]);
	assert_int_equal(config(&f, 2), detail(CM_TDX_PAMT_OVERLAP, 0, CM_PAMT_4K, 1));
}

/*
 * As above, and TDMR0's last GiB is not convertible (CMR [4G, 7G) [8G, 12G)).
 * expect TDX_TDMR_OUTSIDE_CMRS 0: TDMR1's memory is not looked at before
 * TDMR0 passed every check.
 */
static void test_later_tdmr_memory_not_checked_early(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	set_pamt(&f.tdmrs[0], 8 * GiB);
	set_pamt(&f.tdmrs[1], 4 * GiB);
	f.rsvd[0][0].size = cm_tdmr_pamt_block_size(&f.tdmrs[1]);
	f.cmrs[0] = (struct cm_range){ 4 * GiB, 7 * GiB };
	f.cmrs[1] = (struct cm_range){ 8 * GiB, 12 * GiB };
	f.nr_cmrs = 2;
	assert_int_equal(config(&f, 2), detail(CM_TDX_TDMR_OUTSIDE_CMRS, 0, 0, 0));
}

/*
 *   TDMR0 [4G [PAMTs] ..... 8G)  TDMR1 [8G [1G level of PAMT1] ..... 12G)
 *   TDMR1's 2M level on TDMR0's memory, its 1G level on its own memory
 * expect TDX_PAMT_OVERLAP 1, 2M, 0: TDMR0's memory (j = 0) comes first.
 */
static void test_pamt_overlap_memory_lowest_tdmr_first(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.tdmrs[1].pamt_base[CM_PAMT_2M] = pamts_end(&f) + GiB;
	f.tdmrs[1].pamt_base[CM_PAMT_1G] = 9 * GiB;
	assert_int_equal(config(&f, 2), detail(CM_TDX_PAMT_OVERLAP, 1, CM_PAMT_2M, 0));
}

/*
 *   CMR [4G .................................. 12G)
 *   PAMT1 at [2G ...)   below the CMR, in no TDMR
 * expect TDX_PAMT_OUTSIDE_CMRS 1, 1G (levels 1G, 2M, 4K).
 */
static void test_pamt_outside_cmrs(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	set_pamt(&f.tdmrs[1], 2 * GiB);
	assert_int_equal(config(&f, 2), detail(CM_TDX_PAMT_OUTSIDE_CMRS, 1, CM_PAMT_1G, 0));
	fixture_init(&f);
	f.tdmrs[1].pamt_base[CM_PAMT_4K] = 2 * GiB;
	assert_int_equal(config(&f, 2), detail(CM_TDX_PAMT_OUTSIDE_CMRS, 1, CM_PAMT_4K, 0));
}

/*
 *   CMR   [4G ............................ 11G)
 *   TDMR1              [8G ............... 12G)   last GiB not convertible
 * expect TDX_TDMR_OUTSIDE_CMRS 1; reserving that GiB makes it acceptable.
 */
static void test_tdmr_outside_cmrs(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.cmrs[0].end = 11 * GiB;
	assert_int_equal(config(&f, 2), detail(CM_TDX_TDMR_OUTSIDE_CMRS, 1, 0, 0));
	f.rsvd[1][0] = (struct cm_tdmr_reserved){ 3 * GiB, 1 * GiB };
	f.tdmrs[1].nr_reserved = 1;
	assert_int_equal(config(&f, 2), CM_TDX_SUCCESS);
}

static uint64_t rng_state;

static uint64_t rng(uint64_t n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (rng_state >> 33) % n;
}

/* The part of [start, end) inside TDMR @t as a reserved area (size 0 when none). */
static struct cm_tdmr_reserved area_inside(const struct cm_tdmr *t, uint64_t start, uint64_t end)
{
	uint64_t s = start > t->base ? start : t->base, e = end < cm_tdmr_end(t) ? end : cm_tdmr_end(t);

	return s < e ? (struct cm_tdmr_reserved){ s - t->base, e - s } : (struct cm_tdmr_reserved){ 0, 0 };
}

/* Reserve, in TDMR @t, most of the PAMT blocks of the first @nr TDMRs (merged, in order). */
static void reserve_pamts(struct fixture *f, size_t i, size_t nr)
{
	struct cm_tdmr *t = &f->tdmrs[i];

	t->nr_reserved = 0;
	for (uint64_t pos = t->base; pos < cm_tdmr_end(t); pos += 64 * MiB) {
		bool covered = false;

		for (size_t k = 0; k < nr && !covered; k++)
			for (int l = 0; l < CM_PAMT_NR_LEVELS; l++)
				covered |= ref_overlap(pos, 64 * MiB, f->tdmrs[k].pamt_base[l], f->tdmrs[k].pamt_size[l]);
		if (!covered || rng(10) == 0 || t->nr_reserved == NR_SLOTS)
			continue;
		if (t->nr_reserved && cm_tdmr_end(t) > pos &&
		    t->base + t->reserved[t->nr_reserved - 1].offset + t->reserved[t->nr_reserved - 1].size == pos)
			t->reserved[t->nr_reserved - 1].size += 64 * MiB;
		else
			t->reserved[t->nr_reserved++] = area_inside(t, pos, pos + 64 * MiB);
	}
}

/* Spoil one field of a random layout now and then. */
static void mutate(struct fixture *f, size_t nr)
{
	struct cm_tdmr *t = &f->tdmrs[rng(nr)];

	switch (rng(12)) {
	case 0:
		t->base += (rng(2) ? 2 * MiB : GiB);
		break;
	case 1:
		t->pamt_base[rng(3)] = t->base + rng(64) * 64 * MiB;
		break;
	case 2:
		if (t->nr_reserved < NR_SLOTS)
			t->reserved[t->nr_reserved++] = (struct cm_tdmr_reserved){ rng(64) * 64 * MiB, 64 * MiB };
		break;
	case 3:
		if (t->nr_reserved)
			t->reserved[rng(t->nr_reserved)].size = 0;
		break;
	case 4:
		t->pamt_size[rng(3)] -= 4096;
		break;
	default:
		break;
	}
}

/* 1..4 TDMRs in [0, 32G), PAMT blocks anywhere on a 64 MiB grid, CMRs with a hole now and then. */
static size_t random_layout(struct fixture *f)
{
	size_t nr = 1 + rng(NR_TDMRS);
	uint64_t pos = rng(3) * GiB;

	fixture_init(f);
	f->limits.max_reserved_per_tdmr = 2 + (unsigned int)rng(NR_SLOTS - 1);
	for (size_t i = 0; i < nr; i++) {
		f->tdmrs[i].base = pos;
		f->tdmrs[i].size = (1 + rng(3)) * GiB;
		pos = cm_tdmr_end(&f->tdmrs[i]) + rng(2) * GiB;
	}
	for (size_t i = 0; i < nr; i++) {
		set_pamt(&f->tdmrs[i], rng(pos / (64 * MiB)) * 64 * MiB);
		if (rng(4) == 0)
			f->tdmrs[i].pamt_base[CM_PAMT_1G] = rng(pos / (64 * MiB)) * 64 * MiB;
	}
	for (size_t i = 0; i < nr; i++)
		reserve_pamts(f, i, nr);
	f->cmrs[0] = (struct cm_range){ 0, pos };
	if (rng(3) == 0) {
		f->cmrs[0].end = rng(pos / GiB) * GiB + GiB / 2;
		f->cmrs[1] = (struct cm_range){ f->cmrs[0].end + GiB, pos + GiB };
		f->nr_cmrs = 2;
	}
	if (rng(2))
		mutate(f, nr);
	return nr;
}

/*
 * Random layouts, most of them valid or nearly: the library's answer is
 * the module's (its loops modelled above, without the prefilter).
 */
static void test_random_layouts_match_the_modules_loops(void **state)
{
	unsigned int counts[2] = { 0, 0 };
	struct fixture f;

	(void)state;
	rng_state = 1;
	for (int n = 0; n < 20000; n++) {
		size_t nr = random_layout(&f);
		uint64_t want = ref_config(&f, nr), got = config(&f, nr);

		if (got != want)
			fail_msg("layout %d: got 0x%016llx, the module's loops give 0x%016llx", n,
				 (unsigned long long)got, (unsigned long long)want);
		counts[want == CM_TDX_SUCCESS]++;
	}
	/* Both outcomes are common enough to mean something. */
	assert_true(counts[0] > 2000 && counts[1] > 2000);
}

/* TDMR_INFO written by the plan's writer reads back field for field, null slots in place. */
static void test_tdmr_info_round_trip(void **state)
{
	struct cm_tdmr *back;
	struct fixture f;
	uint8_t *buf;
	size_t len, nr;

	(void)state;
	fixture_init(&f);
	f.rsvd[1][2] = (struct cm_tdmr_reserved){ GiB, 4096 };	/* slots 0 and 1 null */
	f.tdmrs[1].nr_reserved = 3;
	buf = cm_tdmr_info_array(f.tdmrs, 2, 16, &len);
	assert_non_null(buf);
	assert_int_equal(len, 2048);
	assert_int_equal(cm_tdmr_info_parse(buf, len, 16, &back, &nr, NULL), 0);
	assert_int_equal(nr, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(back[i].base, f.tdmrs[i].base);
		assert_int_equal(back[i].size, f.tdmrs[i].size);
		assert_memory_equal(back[i].pamt_base, f.tdmrs[i].pamt_base, sizeof(back[i].pamt_base));
		assert_memory_equal(back[i].pamt_size, f.tdmrs[i].pamt_size, sizeof(back[i].pamt_size));
		assert_int_equal(back[i].nr_reserved, f.tdmrs[i].nr_reserved);
		assert_memory_equal(back[i].reserved, f.tdmrs[i].reserved,
				    back[i].nr_reserved * sizeof(*back[i].reserved));
	}
	assert_int_equal(cm_tdx_module_config(&f.limits, f.cmrs, f.nr_cmrs, back, nr),
			 detail(CM_TDX_NON_ORDERED_RESERVED_IN_TDMR, 1, 1, 0));
	cm_tdmr_info_free(back);
	free(buf);
}

static void test_tdmr_info_parse_refuses_bad_sizes(void **state)
{
	static uint8_t zeros[1025 * 1024];
	struct cm_error err = { 0 };
	struct cm_tdmr *t;
	size_t nr;

	(void)state;
	assert_int_equal(cm_tdmr_info_parse(zeros, 0, 16, &t, &nr, &err), -EINVAL);
	assert_string_equal(err.msg, "empty: a TDMR_INFO array holds at least one 1024-byte entry");
	assert_int_equal(cm_tdmr_info_parse(zeros, 1000, 16, &t, &nr, &err), -EINVAL);
	assert_string_equal(err.msg, "1000 bytes is not a whole number of 1024-byte TDMR_INFO entries "
			    "(max_reserved_per_tdmr 16)");
	assert_int_equal(cm_tdmr_info_parse(zeros, sizeof(zeros), 16, &t, &nr, &err), -EINVAL);
	assert_string_equal(err.msg, "1025 TDMR_INFO entries, more than the limit of 1024");
	assert_int_equal(cm_tdmr_info_parse(zeros, 1024, 0, &t, &nr, &err), -EINVAL);
	assert_null(t);
	assert_int_equal(cm_tdmr_info_parse(zeros, 1024 * 1024, 16, &t, &nr, &err), 0);
	assert_int_equal(nr, 1024);
	assert_int_equal(t[1023].nr_reserved, 0);
	cm_tdmr_info_free(t);
}

static void test_status_described_in_plain_words(void **state)
{
	struct fixture f;
	char buf[256];

	(void)state;
	fixture_init(&f);
	cm_tdx_describe_status(detail(CM_TDX_PAMT_OUTSIDE_CMRS, 1, 2, 0), f.tdmrs, 2, buf, sizeof(buf));
	assert_string_equal(buf, "TDX_PAMT_OUTSIDE_CMRS: the 1G PAMT of TDMR 1 [0x200000000, 0x300000000) is not "
			    "inside one CMR");
	cm_tdx_describe_status(detail(CM_TDX_PAMT_OVERLAP, 1, 0, 0), f.tdmrs, 2, buf, sizeof(buf));
	assert_string_equal(buf, "TDX_PAMT_OVERLAP: the 4K PAMT of TDMR 1 [0x200000000, 0x300000000) overlaps a "
			    "PAMT of TDMR 0 [0x100000000, 0x200000000) or memory of that TDMR that is not in a "
			    "reserved area");
	f.tdmrs[0].nr_reserved = 3;
	cm_tdx_describe_status(detail(CM_TDX_NON_ORDERED_RESERVED_IN_TDMR, 0, 1, 0), f.tdmrs, 2, buf, sizeof(buf));
	assert_string_equal(buf, "TDX_NON_ORDERED_RESERVED_IN_TDMR: reserved area 1 of TDMR 0 [0x100000000, "
			    "0x200000000) is null (size 0) but area 2 is not: null areas must come last");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_tdmrs_accepted),
		cmocka_unit_test(test_operand_invalid_nr_tdmrs),
		cmocka_unit_test(test_tdmr_overflow_before_order),
		cmocka_unit_test(test_tdmr_order_before_alignment),
		cmocka_unit_test(test_tdmr_alignment_and_zero_size),
		cmocka_unit_test(test_tdmr_physical_address_limit),
		cmocka_unit_test(test_reserved_null_slot_before_area),
		cmocka_unit_test(test_reserved_overflow_before_order),
		cmocka_unit_test(test_reserved_order_before_alignment),
		cmocka_unit_test(test_reserved_alignment_and_containment),
		cmocka_unit_test(test_reserved_only_first_max_exist),
		cmocka_unit_test(test_invalid_pamt_all_levels_before_overlap),
		cmocka_unit_test(test_invalid_pamt_physical_address_limit),
		cmocka_unit_test(test_pamt_overlap_blames_later_tdmr),
		cmocka_unit_test(test_pamt_overlap_own_levels_after_earlier_tdmrs),
		cmocka_unit_test(test_pamt_overlap_memory_of_earlier_tdmr),
		cmocka_unit_test(test_pamt_overlap_earlier_pamt_in_later_memory),
		cmocka_unit_test(test_later_tdmr_memory_not_checked_early),
		cmocka_unit_test(test_pamt_overlap_memory_lowest_tdmr_first),
		cmocka_unit_test(test_pamt_outside_cmrs),
		cmocka_unit_test(test_tdmr_outside_cmrs),
		cmocka_unit_test(test_random_layouts_match_the_modules_loops),
		cmocka_unit_test(test_tdmr_info_round_trip),
		cmocka_unit_test(test_tdmr_info_parse_refuses_bad_sizes),
		cmocka_unit_test(test_status_described_in_plain_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
