// SPDX-License-Identifier: MIT
/*
 * The emulated module's TDH.SYS.CONFIG checks (SPEC 3.8): one test per
 * rule, each feeding a crafted TDMR list and checking the exact code with
 * its detail bytes (code + TDMR index + (b1 << 8)).
 */
#include <string.h>

#include "helpers.h"

/*
 * The valid base case:
 *   CMR   [4G ................................ 12G)
 *   TDMR0 [4G ........ 8G)  TDMR1 [8G ........ 12G)
 *         [PAMT0][PAMT1]...   PAMTs of both TDMRs at 4G, reserved in TDMR0
 */
struct fixture {
	struct cm_tdx_config limits;
	struct cm_range cmrs[2];
	unsigned int nr_cmrs;
	struct cm_tdmr tdmrs[2];
	struct cm_tdmr_reserved rsvd[2][4];
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
	for (int i = 0; i < 2; i++) {
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

static uint64_t config(const struct fixture *f, size_t nr)
{
	return cm_tdx_module_config(&f->limits, f->cmrs, f->nr_cmrs, f->tdmrs, nr);
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

static void test_invalid_tdmr_zero_size_misaligned_overflow(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.tdmrs[1].size = 0;
	assert_int_equal(config(&f, 2), CM_TDX_INVALID_TDMR + 1);
	fixture_init(&f);
	f.tdmrs[1].base += 2 * MiB;
	assert_int_equal(config(&f, 2), CM_TDX_INVALID_TDMR + 1);
	fixture_init(&f);
	f.tdmrs[0].size = 3 * GiB / 2;
	assert_int_equal(config(&f, 2), CM_TDX_INVALID_TDMR + 0);
	fixture_init(&f);
	f.tdmrs[1].base = 0xFFFFFFFFC0000000ULL;
	f.tdmrs[1].size = 2 * GiB;
	assert_int_equal(config(&f, 2), CM_TDX_INVALID_TDMR + 1);
}

static void test_non_ordered_tdmr(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.tdmrs[1].base = 7 * GiB;	/* starts inside TDMR 0 */
	assert_int_equal(config(&f, 2), CM_TDX_NON_ORDERED_TDMR + 1);
}

static void test_non_ordered_reserved_after_null(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.rsvd[0][1] = (struct cm_tdmr_reserved){ 0, 0 };
	f.rsvd[0][2] = (struct cm_tdmr_reserved){ 1 * GiB, 4096 };
	f.tdmrs[0].nr_reserved = 3;
	assert_int_equal(config(&f, 2), CM_TDX_NON_ORDERED_RESERVED_IN_TDMR + 0 + (2 << 8));
}

static void test_non_ordered_reserved_overlapping(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.rsvd[0][1] = (struct cm_tdmr_reserved){ 4096, 4096 };	/* inside area 0 */
	f.tdmrs[0].nr_reserved = 2;
	assert_int_equal(config(&f, 2), CM_TDX_NON_ORDERED_RESERVED_IN_TDMR + 0 + (1 << 8));
}

static void test_invalid_reserved_misaligned_or_outside(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.rsvd[0][1] = (struct cm_tdmr_reserved){ 2 * GiB + 512, 4096 };
	f.tdmrs[0].nr_reserved = 2;
	assert_int_equal(config(&f, 2), CM_TDX_INVALID_RESERVED_IN_TDMR + 0 + (1 << 8));
	fixture_init(&f);
	f.rsvd[1][0] = (struct cm_tdmr_reserved){ 3 * GiB, 2 * GiB };	/* past TDMR 1's end */
	f.tdmrs[1].nr_reserved = 1;
	assert_int_equal(config(&f, 2), CM_TDX_INVALID_RESERVED_IN_TDMR + 1 + (0 << 8));
	fixture_init(&f);
	f.rsvd[1][0] = (struct cm_tdmr_reserved){ 4096, UINT64_MAX - 4095 };
	f.tdmrs[1].nr_reserved = 1;
	assert_int_equal(config(&f, 2), CM_TDX_INVALID_RESERVED_IN_TDMR + 1);
}

static void test_invalid_pamt_too_small_or_misaligned(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.tdmrs[1].pamt_size[CM_PAMT_2M] -= 4096;	/* below size / 2M * 16 */
	assert_int_equal(config(&f, 2), CM_TDX_INVALID_PAMT + 1 + (1 << 8));
	fixture_init(&f);
	f.tdmrs[0].pamt_base[CM_PAMT_1G] += 8;
	assert_int_equal(config(&f, 2), CM_TDX_INVALID_PAMT + 0 + (2 << 8));
	/* The 1G level is checked before the 4K level. */
	fixture_init(&f);
	f.tdmrs[0].pamt_base[CM_PAMT_4K] += 8;
	f.tdmrs[0].pamt_size[CM_PAMT_1G] = 0;
	assert_int_equal(config(&f, 2), CM_TDX_INVALID_PAMT + 0 + (2 << 8));
}

static void test_pamt_overlap_with_other_pamt(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	/* TDMR 1's block starts inside TDMR 0's 4K level and runs over its 2M and 1G levels. */
	set_pamt(&f.tdmrs[1], 4 * GiB + 4096 * 4);
	/* TDMR 0 is checked first, and its 1G level before the others. */
	assert_int_equal(config(&f, 2), CM_TDX_PAMT_OVERLAP + 0 + (2 << 8));
}

static void test_pamt_overlap_with_tdmr_memory(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	/* Only TDMR 0's block is reserved: TDMR 1's PAMT sits on usable memory. */
	f.rsvd[0][0].size = cm_tdmr_pamt_block_size(&f.tdmrs[0]);
	assert_int_equal(config(&f, 2), CM_TDX_PAMT_OVERLAP + 1 + (2 << 8));
}

static void test_pamt_outside_cmrs(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	set_pamt(&f.tdmrs[1], 2 * GiB);	/* below the CMR, in no TDMR */
	assert_int_equal(config(&f, 2), CM_TDX_PAMT_OUTSIDE_CMRS + 1 + (2 << 8));
}

static void test_tdmr_outside_cmrs(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.cmrs[0].end = 11 * GiB;	/* TDMR 1's last GiB is not convertible */
	assert_int_equal(config(&f, 2), CM_TDX_TDMR_OUTSIDE_CMRS + 1);
	/* Reserving that GiB makes it acceptable. */
	f.rsvd[1][0] = (struct cm_tdmr_reserved){ 3 * GiB, 1 * GiB };
	f.tdmrs[1].nr_reserved = 1;
	assert_int_equal(config(&f, 2), CM_TDX_SUCCESS);
}

static void test_status_described_in_plain_words(void **state)
{
	struct fixture f;
	char buf[256];

	(void)state;
	fixture_init(&f);
	cm_tdx_describe_status(CM_TDX_PAMT_OUTSIDE_CMRS + 1 + (2 << 8), f.tdmrs, 2, buf, sizeof(buf));
	assert_string_equal(buf, "TDX_PAMT_OUTSIDE_CMRS: the 1G PAMT of TDMR 1 [0x200000000, 0x300000000) is not "
			    "inside one CMR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_tdmrs_accepted),
		cmocka_unit_test(test_operand_invalid_nr_tdmrs),
		cmocka_unit_test(test_invalid_tdmr_zero_size_misaligned_overflow),
		cmocka_unit_test(test_non_ordered_tdmr),
		cmocka_unit_test(test_non_ordered_reserved_after_null),
		cmocka_unit_test(test_non_ordered_reserved_overlapping),
		cmocka_unit_test(test_invalid_reserved_misaligned_or_outside),
		cmocka_unit_test(test_invalid_pamt_too_small_or_misaligned),
		cmocka_unit_test(test_pamt_overlap_with_other_pamt),
		cmocka_unit_test(test_pamt_overlap_with_tdmr_memory),
		cmocka_unit_test(test_pamt_outside_cmrs),
		cmocka_unit_test(test_tdmr_outside_cmrs),
		cmocka_unit_test(test_status_described_in_plain_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
