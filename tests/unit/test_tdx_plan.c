// SPDX-License-Identifier: MIT
/*
 * The TDX plan (SPEC 3), rule by rule, and the real hosts of the issue.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* A plan with every default but the PAMT placement. */
static struct cm_tdx_plan *plan_placed(const struct cm_platform *p, enum cm_pamt_placement placement)
{
	struct cm_tdx_options o;
	struct cm_tdx_plan *plan = NULL;
	struct cm_error err = { 0 };

	cm_tdx_options_default(&o);
	o.pamt_placement = placement;
	assert_int_equal(cm_tdx_plan_build(p, &o, &plan, &err), 0);
	return plan;
}

/* canonical/tdx#135 (Emerald Rapids): usable RAM below 4 GiB, inclusive ends as that host printed. */
static const uint64_t host135_low_usable[][2] = {
	{ 0x0, 0x9efff }, { 0x100000, 0x5d168fff }, { 0x5d22b000, 0x5d3cefff }, { 0x5d46a000, 0x5e5b2fff },
	{ 0x5e5c3000, 0x5e5d2fff }, { 0x5e5e5000, 0x5eb57fff }, { 0x61358000, 0x6172afff },
	{ 0x61795000, 0x617fefff }, { 0x61913000, 0x61998fff }, { 0x619e0000, 0x619e1fff },
	{ 0x619ea000, 0x61a26fff }, { 0x61baf000, 0x623c2fff }, { 0x62472000, 0x62823fff },
	{ 0x63a25000, 0x63d57fff }, { 0x64158000, 0x64158fff }, { 0x64195000, 0x6e9cefff },
	{ 0x6f7ff000, 0x6f7fffff },
};

static const uint64_t host135_cmrs[][2] = {
	{ 0x100000, 0x6f800000 }, { 0x100000000, 0x107a000000 }, { 0x1080000000, 0x207c000000 },
	{ 0x2080000000, 0x307c000000 }, { 0x3080000000, 0x407c000000 },
};

static struct cm_platform *host135(void)
{
	struct cm_platform *p = tp_new(2);

	for (size_t i = 0; i < sizeof(host135_low_usable) / sizeof(host135_low_usable[0]); i++)
		tp_ram(p, 0, host135_low_usable[i][0], host135_low_usable[i][1] + 1);
	/* Above 4 GiB the RAM is exactly the CMRs; node 1 from 0x2080000000. */
	for (size_t i = 1; i < 5; i++)
		tp_ram(p, i < 3 ? 0 : 1, host135_cmrs[i][0], host135_cmrs[i][1]);
	for (size_t i = 0; i < 5; i++)
		tp_cmr(p, host135_cmrs[i][0], host135_cmrs[i][1]);
	tp_finalize(p);
	return p;
}

static void test_host135_reserved_areas_exhausted(void **state)
{
	struct cm_platform *p = host135();
	struct cm_tdx_plan *plan = tp_plan(p, CM_HOLES_MEMLIST);

	(void)state;
	assert_int_equal(plan->status, -ENOSPC);
	assert_int_equal(plan->result, CM_TDX_FAILED_RESERVED);
	assert_string_equal(plan->error, "initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.");
	assert_string_equal(plan->log.lines[plan->log.nr_lines - 1].text, "module initialization failed (-28)");
	/* [0, 1M), 15 holes between the 16 regions from 1 MiB, and the tail to 2 GiB. */
	assert_int_equal(plan->tdmrs[0].nr_reserved, 17);
	assert_int_equal(plan->pamt_bytes, 0);
	/* cmrs, memlist, tdmrs, pamt, then reserved failed at TDMR 0; the 4 after it never reached. */
	assert_int_equal(plan->nr_steps, 5);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(plan->steps[i].outcome, CM_TDX_STEP_DONE);
	assert_int_equal(plan->steps[4].kind, CM_TDX_STEP_RESERVED);
	assert_int_equal(plan->steps[4].outcome, CM_TDX_STEP_FAILED);
	assert_int_equal(plan->steps[4].values[2], 17);
	assert_int_equal(plan->steps[4].values[3], 1);
	assert_true(tp_log_has(&plan->advice, "with CMR-based holes (kernels carrying that series) TDMR [0x0, "
			       "0x80000000) needs 2 reserved areas: TDX would initialise (1050644 KB allocated for PAMT)"));
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

static void test_host135_cmr_holes_initialise(void **state)
{
	struct cm_platform *p = host135();
	struct cm_tdx_plan *plan = tp_plan(p, CM_HOLES_CMR);

	(void)state;
	assert_int_equal(plan->status, 0);
	assert_int_equal(plan->result, CM_TDX_INITIALIZED);
	assert_int_equal(plan->tdmrs[0].nr_reserved, 2);
	assert_true(tp_log_has(&plan->log, "module initialized"));
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/* canonical/tdx#385: RAM equal to three CMRs; that host printed 8396820 KB. */
static void test_host385_pamt_kb(void **state)
{
	struct cm_platform *p = tp_new(2);
	struct cm_tdx_plan *plan;

	(void)state;
	tp_ram(p, 0, 0x100000, 0x77800000);
	tp_ram(p, 0, 0x100000000, 0x1003e000000);
	tp_ram(p, 1, 0x10080000000, 0x20040000000);
	tp_cmr(p, 0x100000, 0x77800000);
	tp_cmr(p, 0x100000000, 0x1003e000000);
	tp_cmr(p, 0x10080000000, 0x20040000000);
	tp_finalize(p);
	plan = tp_plan(p, CM_HOLES_MEMLIST);
	assert_int_equal(plan->status, 0);
	assert_int_equal(plan->nr_tdmrs, 3);
	assert_int_equal(plan->pamt_bytes / 1024, 8396820);
	assert_true(tp_log_has(&plan->log, "8396820 KB allocated for PAMT"));
	assert_string_equal(plan->log.lines[plan->log.nr_lines - 1].text, "module initialized");
	/* TDMRs: [0, 2G), [4G, 1T+1G), [1T+2G, 2T+1G). */
	assert_int_equal(plan->tdmrs[0].base, 0);
	assert_int_equal(plan->tdmrs[0].size, 2 * GiB);
	assert_int_equal(plan->tdmrs[1].base, 4 * GiB);
	assert_int_equal(plan->tdmrs[1].size, 1021 * GiB);
	assert_int_equal(plan->tdmrs[2].base, 1026 * GiB);
	assert_int_equal(plan->tdmrs[2].size, 1023 * GiB);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/*
 * fill_out_tdmrs: a region already covered is skipped; one partly covered
 * starts a new TDMR at the current TDMR's end.
 *
 *   regions:  [1M, 1.5G)   [1.75G, 2.5G)        [8G+1M, 9G)
 *   TDMRs:    [0, 2G)      [2G, 3G)             [8G, 9G)
 */
static void test_tdmr_partly_covered_region_starts_after_current_end(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_tdx_plan *plan;

	(void)state;
	tp_ram(p, 0, 1 * MiB, 1536 * MiB);
	tp_ram(p, 0, 1792 * MiB, 2560 * MiB);
	tp_ram(p, 0, 8 * GiB + MiB, 9 * GiB);
	tp_cmr(p, 1 * MiB, 9 * GiB);
	tp_finalize(p);
	plan = tp_plan(p, CM_HOLES_MEMLIST);
	assert_int_equal(plan->nr_tdmrs, 3);
	assert_int_equal(plan->tdmrs[0].base, 0);
	assert_int_equal(plan->tdmrs[0].size, 2 * GiB);
	assert_int_equal(plan->tdmrs[1].base, 2 * GiB);
	assert_int_equal(plan->tdmrs[1].size, 1 * GiB);
	assert_int_equal(plan->tdmrs[2].base, 8 * GiB);
	assert_int_equal(plan->tdmrs[2].size, 1 * GiB);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

static void test_tdmrs_exhausted(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_tdx_plan *plan;

	(void)state;
	for (int i = 0; i < 3; i++)
		tp_ram(p, 0, (4ULL + 2 * (uint64_t)i) * GiB, (5ULL + 2 * (uint64_t)i) * GiB);
	tp_cmr(p, 4 * GiB, 10 * GiB);
	p->tdx.max_tdmrs = 2;
	tp_finalize(p);
	plan = tp_plan(p, CM_HOLES_MEMLIST);
	assert_int_equal(plan->status, -ENOSPC);
	assert_string_equal(plan->error, "initialization failed: TDMRs exhausted.");
	assert_true(tp_log_has(&plan->log, "module initialization failed (-28)"));
	/* The steps stop at the TDMRs: the third region never reached one. */
	assert_int_equal(plan->nr_steps, 3);
	assert_int_equal(plan->steps[2].kind, CM_TDX_STEP_TDMRS);
	assert_int_equal(plan->steps[2].outcome, CM_TDX_STEP_FAILED);
	assert_int_equal(plan->steps[2].values[0], 2);
	assert_int_equal(plan->steps[2].values[2], 1);
	assert_int_equal(plan->steps[2].values[3], 1 * GiB);
	assert_string_equal(plan->steps[2].text, "all 2 TDMRs used; 1 region (1.00 GiB) from 0x200000000 never "
			    "reached a TDMR");
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

static void test_tdmrs_reaching_limit_warns(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_tdx_plan *plan;

	(void)state;
	for (int i = 0; i < 3; i++)
		tp_ram(p, 0, (4ULL + 2 * (uint64_t)i) * GiB, (5ULL + 2 * (uint64_t)i) * GiB);
	tp_cmr(p, 4 * GiB, 10 * GiB);
	p->tdx.max_tdmrs = 6;
	tp_finalize(p);
	plan = tp_plan(p, CM_HOLES_MEMLIST);
	assert_int_equal(plan->status, 0);
	assert_true(tp_log_has(&plan->log, "consumed TDMRs reaching limit: 3 used out of 6"));
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/* 16-byte entries: 4104 KiB per GiB of TDMR plus 4 KiB of 1G level up to 256 GiB. */
static void test_pamt_size_per_level(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_tdx_plan *plan;
	const struct cm_tdmr *t;

	(void)state;
	tp_ram(p, 0, 4 * GiB, 261 * GiB);	/* one 257 GiB TDMR */
	tp_cmr(p, 4 * GiB, 261 * GiB);
	tp_finalize(p);
	plan = tp_plan(p, CM_HOLES_MEMLIST);
	assert_int_equal(plan->status, 0);
	t = &plan->tdmrs[0];
	assert_int_equal(t->size, 257 * GiB);
	assert_int_equal(t->pamt_size[CM_PAMT_4K], 257ULL * 4096 * 1024);
	assert_int_equal(t->pamt_size[CM_PAMT_2M], 257ULL * 8 * 1024);
	assert_int_equal(t->pamt_size[CM_PAMT_1G], 8192);	/* 257 * 16 bytes, rounded up to 4 KiB */
	/* One block, 4K level first, then 2M, then 1G, at the normal zone's first candidate, 4 GiB. */
	assert_int_equal(t->pamt_base[CM_PAMT_4K], 4 * GiB);
	assert_int_equal(t->pamt_base[CM_PAMT_2M], 4 * GiB + t->pamt_size[CM_PAMT_4K]);
	assert_int_equal(t->pamt_base[CM_PAMT_1G], t->pamt_base[CM_PAMT_2M] + t->pamt_size[CM_PAMT_2M]);
	/* The block lies inside the TDMR: one reserved area covers it. */
	assert_int_equal(t->nr_reserved, 1);
	assert_int_equal(t->reserved[0].offset, 0);
	assert_int_equal(t->reserved[0].size, cm_tdmr_pamt_block_size(t));
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/* The PAMT goes to the node of the first region ending above the TDMR base. */
static void test_pamt_node_of_first_region_ending_above_base(void **state)
{
	struct cm_platform *p = tp_new(2);
	struct cm_tdx_plan *plan;

	(void)state;
	tp_ram(p, 1, 1 * MiB, 512 * MiB);	/* node 1 owns the low memory */
	tp_ram(p, 0, 4 * GiB, 8 * GiB);
	tp_ram(p, 1, 8 * GiB, 16 * GiB);
	tp_cmr(p, 1 * MiB, 512 * MiB);
	tp_cmr(p, 4 * GiB, 16 * GiB);
	tp_finalize(p);
	plan = tp_plan(p, CM_HOLES_MEMLIST);
	assert_int_equal(plan->status, 0);
	/* TDMRs [0, 1G), [4G, 8G), [8G, 16G). */
	assert_int_equal(plan->nr_tdmrs, 3);
	/*
	 * TDMR 0: node 1 owns [1M, 512M); its normal zone takes the PAMT. That
	 * zone spans [4G, 16G) (node 0's [4G, 8G) lies inside node 1's span),
	 * so the 1027-page candidates start at 4 GiB: the first one in node
	 * 1's memory is pfn 0x100000 + 1022 * 1027 = 0x2003fa.
	 */
	assert_int_equal(plan->tdmrs[0].pamt_node, 1);
	assert_int_equal(plan->tdmrs[0].pamt_base[CM_PAMT_4K], 0x2003fa000);
	/* TDMR 1: the first region ending above 4G is node 0's. */
	assert_int_equal(plan->tdmrs[1].pamt_node, 0);
	assert_int_equal(plan->tdmrs[1].pamt_base[CM_PAMT_4K], 4 * GiB);
	assert_int_equal(plan->tdmrs[2].pamt_node, 1);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/* lowest-fit: no room at or above 4 GiB on the node: the lowest fit below 4 GiB. */
static void test_lowest_fit_falls_back_below_4g(void **state)
{
	struct cm_platform *p = tp_new(2);
	struct cm_tdx_plan *plan;

	(void)state;
	tp_ram(p, 0, 1 * MiB, 2 * GiB);
	tp_ram(p, 0, 4 * GiB, 4 * GiB + 4 * MiB);	/* too small for a PAMT */
	tp_ram(p, 1, 8 * GiB, 9 * GiB);
	tp_cmr(p, 1 * MiB, 2 * GiB);
	tp_cmr(p, 4 * GiB, 4 * GiB + 4 * MiB);
	tp_cmr(p, 8 * GiB, 9 * GiB);
	tp_finalize(p);
	plan = plan_placed(p, CM_PAMT_LOWEST_FIT);
	assert_int_equal(plan->status, 0);
	assert_int_equal(plan->tdmrs[0].pamt_node, 0);
	assert_int_equal(plan->tdmrs[0].pamt_base[CM_PAMT_4K], 1 * MiB);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

static void test_pamt_no_room_is_enomem(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_tdx_plan *plan;

	(void)state;
	/* 64 scattered 2 MiB regions: each TDMR needs a 4108 KiB block, nothing fits. */
	for (uint64_t i = 0; i < 4; i++)
		tp_ram(p, 0, (4 + i) * GiB, (4 + i) * GiB + 2 * MiB);
	tp_cmr(p, 4 * GiB, 8 * GiB);
	tp_finalize(p);
	plan = tp_plan(p, CM_HOLES_MEMLIST);
	assert_int_equal(plan->status, -ENOMEM);
	assert_int_equal(plan->result, CM_TDX_FAILED_PAMT);
	assert_true(tp_log_has(&plan->log, "module initialization failed (-12)"));
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/*
 * Reserved areas: leading hole from the TDMR base, holes between
 * regions, the PAMT block, trailing hole; sorted by offset.
 *
 *   TDMR [4G, 6G):  hole [4G,4G+1M) | RAM [4G+1M, 5G+128M) | hole to 5G+512M | RAM to 5G+768M | hole to 6G
 */
static void test_reserved_areas_holes_and_pamt_sorted(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_tdx_plan *plan;
	const struct cm_tdmr *t;

	(void)state;
	tp_ram(p, 0, 4 * GiB + MiB, 5 * GiB + 128 * MiB);
	tp_ram(p, 0, 5 * GiB + 512 * MiB, 5 * GiB + 768 * MiB);
	tp_cmr(p, 4 * GiB, 6 * GiB);
	tp_finalize(p);
	plan = tp_plan(p, CM_HOLES_MEMLIST);
	assert_int_equal(plan->status, 0);
	t = &plan->tdmrs[0];
	assert_int_equal(t->nr_reserved, 4);
	assert_int_equal(t->reserved[0].offset, 0);
	assert_int_equal(t->reserved[0].size, MiB);
	/* PAMT at 4G+1M: the normal zone starts there and ALIGN(0x100100, 2053) is 0x100100. */
	assert_int_equal(t->reserved[1].offset, MiB);
	assert_int_equal(t->reserved[1].size, cm_tdmr_pamt_block_size(t));
	assert_int_equal(t->reserved[2].offset, 1 * GiB + 128 * MiB);
	assert_int_equal(t->reserved[2].size, 384 * MiB);
	assert_int_equal(t->reserved[3].offset, 1 * GiB + 768 * MiB);
	assert_int_equal(t->reserved[3].size, 256 * MiB);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

static void test_cmr_firmware_bugs(void **state)
{
	struct cm_range in[3], out[CM_MAX_CMRS];
	unsigned int nr = 0;
	struct cm_error err = { 0 };

	(void)state;
	in[0] = (struct cm_range){ 0x100000, 0x200000 };
	in[1] = (struct cm_range){ 0x150000, 0x300000 };
	assert_int_equal(cm_tdx_check_cmrs(in, 2, out, &nr, &err), -EINVAL);
	assert_string_equal(err.msg, "Firmware bug: CMRs not in address ascending order.");
	in[0] = (struct cm_range){ 0x100000, 0x100000 };
	in[1] = (struct cm_range){ 0x200000, 0x300000 };
	assert_int_equal(cm_tdx_check_cmrs(in, 2, out, &nr, &err), -EINVAL);
	assert_string_equal(err.msg, "Firmware bug: invalid CMR(s) before valid CMRs.");
	in[0] = (struct cm_range){ 0, 0 };
	assert_int_equal(cm_tdx_check_cmrs(in, 1, out, &nr, &err), -EINVAL);
	assert_string_equal(err.msg, "Firmware bug: No valid CMR.");
	/* Trailing empty CMRs are dropped. */
	in[0] = (struct cm_range){ 0x100000, 0x200000 };
	in[1] = (struct cm_range){ 0, 0 };
	in[2] = (struct cm_range){ 0, 0 };
	assert_int_equal(cm_tdx_check_cmrs(in, 3, out, &nr, &err), 0);
	assert_int_equal(nr, 1);
}

/* CMRs that touch form one region for containment. */
static void test_touching_cmrs_contain_as_one(void **state)
{
	struct cm_range cmrs[2] = { { 0x100000, 0x200000 }, { 0x200000, 0x300000 } };

	(void)state;
	assert_true(cm_tdx_cmrs_contain(cmrs, 2, 0x180000, 0x280000));
	assert_false(cm_tdx_cmrs_contain(cmrs, 2, 0x80000, 0x180000));
}

/*
 * Strict, as the kernel: no early check. The TDMRs and PAMTs are built and
 * the module rejects node 1's RAM outside the CMRs; the log is the
 * kernel's, and confmem's own finding comes after it, in diagnosis.
 */
static void test_strict_follows_kernel_order(void **state)
{
	struct cm_platform *p = tp_new(2);
	struct cm_tdx_plan *plan;

	(void)state;
	tp_ram(p, 0, 4 * GiB, 8 * GiB);
	tp_ram(p, 1, 8 * GiB, 12 * GiB);
	tp_cmr(p, 4 * GiB, 8 * GiB);
	tp_finalize(p);
	plan = tp_plan(p, CM_HOLES_MEMLIST);
	assert_int_equal(plan->result, CM_TDX_FAILED_CONFIG);
	assert_int_equal(plan->status, -EIO);
	assert_int_equal(plan->nr_tdmrs, 2);
	/* Node 1 holds TDMR 1's PAMT outside the CMRs (1G level checked first). */
	assert_string_equal(plan->error, "SEAMCALL (0x000000000000002d) failed: 0xc0000a1100000201");
	assert_true(tp_log_has(&plan->log, "module initialization failed (-5)"));
	assert_true(tp_log_has(&plan->diagnosis, "memory region [0x200000000, 0x300000000) of node 1 is not TDX "
			       "convertible memory: it is boot RAM outside every CMR"));
	assert_true(tp_log_contains(&plan->advice, "with tdx.mixed=exclude TDX would initialise"));
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/* The same host when the TDMRs run out first: the kernel's line, the finding after it. */
static void test_strict_tdmrs_exhausted_before_convertible(void **state)
{
	struct cm_platform *p = tp_new(2);
	struct cm_tdx_plan *plan;

	(void)state;
	tp_ram(p, 0, 4 * GiB, 8 * GiB);
	tp_ram(p, 1, 8 * GiB, 12 * GiB);
	tp_cmr(p, 4 * GiB, 8 * GiB);
	p->tdx.max_tdmrs = 1;
	tp_finalize(p);
	plan = tp_plan(p, CM_HOLES_MEMLIST);
	assert_int_equal(plan->result, CM_TDX_FAILED_TDMRS);
	assert_string_equal(plan->error, "initialization failed: TDMRs exhausted.");
	assert_int_equal(plan->diagnosis.nr_lines, 1);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/* Holes from the CMRs would hide the RAM outside them: that kernel refuses first. */
static void test_cmr_holes_refuse_nonconvertible_memory(void **state)
{
	struct cm_platform *p = tp_new(2);
	struct cm_tdx_plan *plan;

	(void)state;
	tp_ram(p, 0, 4 * GiB, 8 * GiB);
	tp_ram(p, 1, 8 * GiB, 12 * GiB);
	tp_cmr(p, 4 * GiB, 8 * GiB);
	tp_finalize(p);
	plan = tp_plan(p, CM_HOLES_CMR);
	assert_int_equal(plan->result, CM_TDX_FAILED_CONVERTIBLE);
	assert_string_equal(plan->error, "memory region [0x200000000, 0x300000000) is not TDX convertible memory.");
	assert_int_equal(plan->nr_tdmrs, 0);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

static struct cm_tdx_plan *plan_kernel(const struct cm_platform *p, enum cm_tdx_kernel kernel)
{
	struct cm_tdx_options o;
	struct cm_tdx_plan *plan = NULL;
	struct cm_error err = { 0 };

	cm_tdx_options_default(&o);
	o.kernel = kernel;
	assert_int_equal(cm_tdx_plan_build(p, &o, &plan, &err), 0);
	return plan;
}

/*
 * Each profile's lines and PAMT on one 1 GiB host. Dynamic PAMT: the 4K
 * level is a bitmap of 1 bit per 4 KiB page (32 KiB), beside 2M (8 KiB)
 * and 1G (4 KiB): 44 KB instead of 4108 KB.
 */
static void test_kernel_profiles(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_tdx_plan *plan;

	(void)state;
	tp_ram(p, 0, 0x100000, GiB);
	tp_cmr(p, 0x100000, GiB);
	tp_finalize(p);
	snprintf(p->tdx.module_version, sizeof(p->tdx.module_version), "1.5.06");

	plan = plan_kernel(p, CM_KERNEL_AUTO);
	assert_int_equal(plan->options.kernel, CM_KERNEL_MAINLINE_6_8);
	assert_int_equal(plan->kernel_source, CM_KERNEL_DEFAULT);
	assert_true(tp_log_has(&plan->log, "module initialized"));
	assert_false(tp_log_contains(&plan->log, "CMR:"));
	cm_tdx_plan_free(plan);

	plan = plan_kernel(p, CM_KERNEL_CMR_SERIES);
	assert_int_equal(plan->options.holes, CM_HOLES_CMR);
	assert_true(tp_log_has(&plan->log, "CMR: [0x100000, 0x40000000)"));
	cm_tdx_plan_free(plan);

	plan = plan_kernel(p, CM_KERNEL_MAINLINE_7_1);
	assert_true(tp_log_has(&plan->log, "Module version: 1.5.06"));
	assert_true(tp_log_has(&plan->log, "4108 KB allocated for PAMT"));
	assert_true(tp_log_has(&plan->log, "TDX-Module initialized"));
	cm_tdx_plan_free(plan);

	plan = plan_kernel(p, CM_KERNEL_DPAMT);
	assert_true(plan->dynamic_pamt);
	assert_int_equal(plan->tdmrs[0].pamt_size[CM_PAMT_4K], 32 * 1024);
	assert_true(tp_log_has(&plan->log, "Enable Dynamic PAMT"));
	assert_true(tp_log_has(&plan->log, "44 KB allocated for PAMT"));
	assert_int_equal(plan->config_status, CM_TDX_SUCCESS);
	cm_tdx_plan_free(plan);

	/* Past 48 address bits the series keeps the static PAMT. */
	p->tdx.phys_addr_bits = 52;
	plan = plan_kernel(p, CM_KERNEL_DPAMT);
	assert_false(plan->dynamic_pamt);
	assert_true(tp_log_has(&plan->log, "4108 KB allocated for PAMT"));
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/* A failing kernel of v7.1 says so in its own words. */
static void test_kernel_7_1_failure_line(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_tdx_plan *plan;

	(void)state;
	tp_ram(p, 0, 0x100000, GiB);
	tp_ram(p, 0, 2 * GiB, 3 * GiB);
	tp_cmr(p, 0x100000, 3 * GiB);
	p->tdx.max_tdmrs = 1;
	tp_finalize(p);
	plan = plan_kernel(p, CM_KERNEL_MAINLINE_7_1);
	assert_true(tp_log_has(&plan->log, "TDX-Module initialization failed (-28)"));
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

static void test_exclude_drops_nonconvertible_memory(void **state)
{
	struct cm_platform *p = tp_new(2);
	struct cm_tdx_options o;
	struct cm_tdx_plan *plan;
	struct cm_error err;

	(void)state;
	tp_ram(p, 0, 4 * GiB, 8 * GiB);
	tp_ram(p, 1, 8 * GiB, 12 * GiB);
	tp_cmr(p, 4 * GiB, 10 * GiB);
	tp_finalize(p);
	cm_tdx_options_default(&o);
	o.mixed = CM_TDX_MIXED_EXCLUDE;
	assert_int_equal(cm_tdx_plan_build(p, &o, &plan, &err), 0);
	assert_int_equal(plan->status, 0);
	assert_int_equal(plan->nr_excluded, 1);
	assert_int_equal(plan->excluded[0].start, 10 * GiB);
	assert_int_equal(plan->excluded[0].end, 12 * GiB);
	assert_int_equal(plan->excluded[0].node, 1);
	assert_true(tp_log_has(&plan->log, "memory region [0x280000000, 0x300000000) of node 1 is not TDX "
			       "convertible memory: excluded from TDX memory."));
	assert_true(cm_tdx_plan_is_tdx_memory(plan, 9 * GiB, 10 * GiB));
	assert_false(cm_tdx_plan_is_tdx_memory(plan, 10 * GiB, 11 * GiB));
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

static void test_tdmr_info_layout(void **state)
{
	struct cm_tdmr_reserved rsvd[2] = { { 0x1000, 0x2000 }, { 0x10000, 0x1000 } };
	struct cm_tdmr t = { .base = 4 * GiB, .size = GiB, .pamt_node = 0,
			     .pamt_base = { 0x1000000, 0x1401000, 0x1403000 },
			     .pamt_size = { 0x401000, 0x2000, 0x1000 }, .reserved = rsvd, .nr_reserved = 2 };
	size_t len;
	uint8_t *buf;
	uint64_t v;

	(void)state;
	/* align_up(512 + 16 * max_reserved, 512): 1024 by default. */
	assert_int_equal(cm_tdmr_info_size(16), 1024);
	assert_int_equal(cm_tdmr_info_size(32), 1024);
	assert_int_equal(cm_tdmr_info_size(33), 1536);
	buf = cm_tdmr_info_array(&t, 1, 16, &len);
	assert_int_equal(len, 1024);
	memcpy(&v, buf + 16, 8);	/* pamt_1g_base comes third */
	assert_int_equal(v, 0x1403000);
	memcpy(&v, buf + 48, 8);	/* pamt_4k_base seventh */
	assert_int_equal(v, 0x1000000);
	memcpy(&v, buf + 64 + 16, 8);	/* second reserved area's offset */
	assert_int_equal(v, 0x10000);
	for (size_t i = 64 + 32; i < len; i++)
		assert_int_equal(buf[i], 0);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host135_reserved_areas_exhausted),
		cmocka_unit_test(test_host135_cmr_holes_initialise),
		cmocka_unit_test(test_host385_pamt_kb),
		cmocka_unit_test(test_tdmr_partly_covered_region_starts_after_current_end),
		cmocka_unit_test(test_tdmrs_exhausted),
		cmocka_unit_test(test_tdmrs_reaching_limit_warns),
		cmocka_unit_test(test_pamt_size_per_level),
		cmocka_unit_test(test_pamt_node_of_first_region_ending_above_base),
		cmocka_unit_test(test_lowest_fit_falls_back_below_4g),
		cmocka_unit_test(test_pamt_no_room_is_enomem),
		cmocka_unit_test(test_reserved_areas_holes_and_pamt_sorted),
		cmocka_unit_test(test_cmr_firmware_bugs),
		cmocka_unit_test(test_touching_cmrs_contain_as_one),
		cmocka_unit_test(test_strict_follows_kernel_order),
		cmocka_unit_test(test_strict_tdmrs_exhausted_before_convertible),
		cmocka_unit_test(test_cmr_holes_refuse_nonconvertible_memory),
		cmocka_unit_test(test_kernel_profiles),
		cmocka_unit_test(test_kernel_7_1_failure_line),
		cmocka_unit_test(test_exclude_drops_nonconvertible_memory),
		cmocka_unit_test(test_tdmr_info_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
