// SPDX-License-Identifier: MIT
/*
 * PAMT placement "kernel" (SPEC 3.5): alloc_contig_pages() on an idle
 * host, rule by rule, and the acceptance hosts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "confmem/tiering.h"

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

static void test_kernel_placement_is_the_default(void **state)
{
	struct cm_tdx_options o;

	(void)state;
	cm_tdx_options_default(&o);
	assert_int_equal(o.pamt_placement, CM_PAMT_KERNEL);
	assert_string_equal(cm_pamt_placement_name(CM_PAMT_KERNEL), "kernel");
	assert_string_equal(cm_pamt_placement_name(CM_PAMT_LOWEST_FIT), "lowest-fit");
}

/*
 * Node 0 CPUs + [1G, +2M), node 1 CPUs + [4G, +1G), node 2 memory only +
 * [8G, +1G), every distance 20.
 */
static struct cm_platform *three_nodes_one_headless(void)
{
	struct cm_platform *p = tp_new(2);

	assert_non_null(cm_platform_add_node(p, 2, CM_NODE_DRAM));
	tp_ram(p, 0, 1 * GiB, 1 * GiB + 2 * MiB);
	tp_ram(p, 1, 4 * GiB, 5 * GiB);
	tp_ram(p, 2, 8 * GiB, 9 * GiB);
	tp_cmr(p, 1 * GiB, 1 * GiB + 2 * MiB);
	tp_cmr(p, 4 * GiB, 5 * GiB);
	tp_cmr(p, 8 * GiB, 9 * GiB);
	tp_finalize(p);
	return p;
}

/*
 * x86 builds the boot zonelists before any CPU joins its node's mask: no
 * CPU penalty, so node 0 lists 0 1 2. With CPUs mapped (demotion targets,
 * zonelists rebuilt at run time) the headless node 2 comes first.
 */
static void test_boot_zonelist_has_no_cpu_penalty(void **state)
{
	struct cm_platform *p = three_nodes_one_headless();
	struct cm_zonelist_orders *z = malloc(sizeof(*z));
	struct cm_node_states s;

	(void)state;
	assert_non_null(z);
	cm_node_states_from_platform(p, &s);
	cm_build_zonelist_orders(p, &s, CM_CPUS_UNMAPPED, z);
	assert_int_equal(z->nr[0], 3);
	assert_int_equal(z->order[0][0], 0);
	assert_int_equal(z->order[0][1], 1);
	assert_int_equal(z->order[0][2], 2);
	/* Node 0's list loads node 1; node 1's then prefers node 2 to node 0 (lower load wins ties). */
	assert_int_equal(z->order[1][1], 2);
	cm_build_zonelist_orders(p, &s, CM_CPUS_MAPPED, z);
	assert_int_equal(z->order[0][0], 0);
	assert_int_equal(z->order[0][1], 2);
	assert_int_equal(z->order[0][2], 1);
	free(z);
	cm_platform_free(p);
}

/*
 * One node, RAM [1M, 1G): TDMR [0, 1G) needs 1027 pages. ZONE_DMA32
 * [16M, 1G) comes before ZONE_DMA; its first candidate is 16 MiB.
 */
static void test_dma32_before_dma(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_tdx_plan *plan;

	(void)state;
	tp_ram(p, 0, 1 * MiB, 1 * GiB);
	tp_cmr(p, 1 * MiB, 1 * GiB);
	tp_finalize(p);
	plan = plan_placed(p, CM_PAMT_KERNEL);
	assert_int_equal(plan->status, 0);
	assert_int_equal(plan->tdmrs[0].pamt_base[CM_PAMT_4K], 0x1000000);
	assert_int_equal(plan->pamt_bytes / 1024, 4108);
	assert_int_equal(plan->tdmrs[0].nr_reserved, 2);	/* [0, 1M) and the PAMT */
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/*
 * Node 0 has 2 MiB: its PAMT goes to the next node of its boot zonelist,
 * node 1 (4G); node 1's own then takes the next candidate, 4G + 1027
 * pages; node 2's is local. (With the CPU penalty node 0 would fall back
 * to node 2 instead: 0x200000000, 0x100000000, 0x200403000; the boot
 * zonelists have none.)
 */
static void test_follows_boot_zonelist(void **state)
{
	struct cm_platform *p = three_nodes_one_headless();
	struct cm_tdx_plan *plan = plan_placed(p, CM_PAMT_KERNEL);

	(void)state;
	assert_int_equal(plan->status, 0);
	assert_int_equal(plan->nr_tdmrs, 3);
	assert_int_equal(plan->tdmrs[0].pamt_node, 1);
	assert_int_equal(plan->tdmrs[0].pamt_base[CM_PAMT_4K], 0x100000000);
	assert_int_equal(plan->tdmrs[1].pamt_node, 1);
	assert_int_equal(plan->tdmrs[1].pamt_base[CM_PAMT_4K], 0x100403000);
	assert_int_equal(plan->tdmrs[2].pamt_node, 2);
	assert_int_equal(plan->tdmrs[2].pamt_base[CM_PAMT_4K], 0x200000000);
	assert_int_equal(plan->pamt_bytes / 1024, 12324);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/*
 * Node 0: [0x13F9FC000, +0xC08000) (3080 pages), node 1: [1G, +2M).
 * TDMR 0 [1G, 2G) (node 1, 1027 pages) lands at node 0's zone start;
 * TDMR 1 [4G, 6G) needs 2053 pages: its only candidate,
 * ALIGN(0x13F9FC, 2053) = 0x140200, runs past the zone. lowest-fit packs
 * it right after TDMR 0's block.
 */
static struct cm_platform *no_stride_fits(void)
{
	struct cm_platform *p = tp_new(2);

	tp_ram(p, 0, 0x13F9FC000, 0x13F9FC000 + 0xC08000);
	tp_ram(p, 1, 1 * GiB, 1 * GiB + 2 * MiB);
	tp_cmr(p, 1 * GiB, 1 * GiB + 2 * MiB);
	tp_cmr(p, 0x13F9FC000, 0x13F9FC000 + 0xC08000);
	tp_finalize(p);
	return p;
}

static void test_no_stride_position_fits_is_enomem(void **state)
{
	struct cm_platform *p = no_stride_fits();
	struct cm_tdx_plan *plan = plan_placed(p, CM_PAMT_KERNEL);

	(void)state;
	assert_int_equal(plan->status, -ENOMEM);
	assert_int_equal(plan->result, CM_TDX_FAILED_PAMT);
	assert_true(tp_log_has(&plan->diagnosis, "TDMR [0x100000000, 0x180000000): no free TDX memory for its 8212 KB "
			       "PAMT on node 0 or any other node."));
	assert_true(tp_log_has(&plan->log, "module initialization failed (-12)"));
	assert_int_equal(plan->advice.nr_lines, 0);	/* no RAM outside the CMRs: no tdx.mixed advice */
	assert_int_equal(plan->pamt_bytes, 0);
	cm_tdx_plan_free(plan);

	plan = plan_placed(p, CM_PAMT_LOWEST_FIT);
	assert_int_equal(plan->status, 0);
	assert_int_equal(plan->tdmrs[1].pamt_base[CM_PAMT_4K], 0x13FDFF000);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/*
 * ALIGN() with a count that is not a power of two is the kernel's mask
 * arithmetic: (0x1001 + 1026) & ~1026 = 0x1001, not the next multiple of
 * 1027 (0x100c).
 */
static void test_align_is_mask_arithmetic(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_tdx_plan *plan;

	(void)state;
	tp_ram(p, 0, 16 * MiB + 4096, 1 * GiB);
	tp_cmr(p, 16 * MiB, 1 * GiB);
	tp_finalize(p);
	plan = plan_placed(p, CM_PAMT_KERNEL);
	assert_int_equal(plan->status, 0);
	assert_int_equal(plan->tdmrs[0].pamt_base[CM_PAMT_4K], 0x1001000);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/*
 * Candidates step by nr_pages: a hole at [4G + 2M, 4G + 4M) spoils the
 * first one (4G), the second (4G + 1027 pages) fits; lowest-fit takes
 * 4G + 4M.
 *
 *   4G   RAM  4G+2M  hole  4G+4M         RAM            5G
 *   |---------|............|---------------------------|
 *   [cand 0 ......... ]    [cand 1 ...]  (1027 pages each)
 */
static void test_candidates_step_by_nr_pages(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_tdx_plan *plan;

	(void)state;
	tp_ram(p, 0, 4 * GiB, 4 * GiB + 2 * MiB);
	tp_ram(p, 0, 4 * GiB + 4 * MiB, 5 * GiB);
	tp_cmr(p, 4 * GiB, 5 * GiB);
	tp_finalize(p);
	plan = plan_placed(p, CM_PAMT_KERNEL);
	assert_int_equal(plan->status, 0);
	assert_int_equal(plan->tdmrs[0].pamt_base[CM_PAMT_4K], 4 * GiB + 1027 * 4096);
	cm_tdx_plan_free(plan);
	plan = plan_placed(p, CM_PAMT_LOWEST_FIT);
	assert_int_equal(plan->tdmrs[0].pamt_base[CM_PAMT_4K], 4 * GiB + 4 * MiB);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/*
 * A block never crosses a zone boundary. TDMR [3G, 5G) needs 2053 pages.
 * RAM [4G - 6M, 4G + 4M) holds 10 MiB, but ZONE_NORMAL has 4 MiB and
 * ZONE_DMA32 6 MiB: no fit. RAM [4G - 10M, 4G + 2M): DMA32's first
 * candidate, its start 0xff600, ends at 0xffe05, below 4 GiB.
 */
static void test_block_stays_inside_its_zone(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_tdx_plan *plan;

	(void)state;
	tp_ram(p, 0, 4 * GiB - 6 * MiB, 4 * GiB + 4 * MiB);
	tp_cmr(p, 4 * GiB - 6 * MiB, 4 * GiB + 4 * MiB);
	tp_finalize(p);
	plan = plan_placed(p, CM_PAMT_KERNEL);
	assert_int_equal(plan->status, -ENOMEM);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);

	p = tp_new(1);
	tp_ram(p, 0, 4 * GiB - 10 * MiB, 4 * GiB + 2 * MiB);
	tp_cmr(p, 4 * GiB - 10 * MiB, 4 * GiB + 2 * MiB);
	tp_finalize(p);
	plan = plan_placed(p, CM_PAMT_KERNEL);
	assert_int_equal(plan->status, 0);
	assert_int_equal(plan->tdmrs[0].pamt_base[CM_PAMT_4K], 0xff600000);
	assert_int_equal(plan->tdmrs[0].pamt_base[CM_PAMT_4K] + cm_tdmr_pamt_block_size(&plan->tdmrs[0]),
			 0xffe05000);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_placement_is_the_default),
		cmocka_unit_test(test_boot_zonelist_has_no_cpu_penalty),
		cmocka_unit_test(test_dma32_before_dma),
		cmocka_unit_test(test_follows_boot_zonelist),
		cmocka_unit_test(test_no_stride_position_fits_is_enomem),
		cmocka_unit_test(test_align_is_mask_arithmetic),
		cmocka_unit_test(test_candidates_step_by_nr_pages),
		cmocka_unit_test(test_block_stays_inside_its_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
