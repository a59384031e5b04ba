// SPDX-License-Identifier: MIT
/*
 * The emulated TDX module at run time (SPEC 9, lib/tdx/guest.c): KeyIDs,
 * the TDX-memory check of TDH.MEM.PAGE.ADD/AUG, Dynamic PAMT reference
 * counts; and the page engine's unevictable spaces that hold private pages.
 */
#include <errno.h>
#include <string.h>

#include "confmem/mm.h"
#include "confmem/td.h"
#include "helpers.h"

/*
 *   node 0: [4G, 6G) RAM inside the CMRs    -> TDX memory (one TDMR [4G, 6G))
 *   node 1: [8G, 9G) RAM outside the CMRs   -> left out (tdx.mixed=exclude)
 */
static struct cm_platform *mixed_host(void)
{
	struct cm_platform *p = tp_new(2);

	tp_ram(p, 0, 4ULL << 30, 6ULL << 30);
	tp_ram(p, 1, 8ULL << 30, 9ULL << 30);
	tp_cmr(p, 4ULL << 30, 6ULL << 30);
	tp_finalize(p);
	return p;
}

static struct cm_tdx_plan *plan_of(const struct cm_platform *p, enum cm_tdx_kernel kernel)
{
	struct cm_tdx_options o;
	struct cm_tdx_plan *plan = NULL;
	struct cm_error err = { 0 };

	cm_tdx_options_default(&o);
	o.mixed = CM_TDX_MIXED_EXCLUDE;
	o.kernel = kernel;
	assert_int_equal(cm_tdx_plan_build(p, &o, &plan, &err), 0);
	assert_int_equal(plan->result, CM_TDX_INITIALIZED);
	return plan;
}

/* Expect: the BIOS range [16, 21) gives guests 17..20; the fifth allocation is -ENOSPC; a freed one comes back. */
static void test_keyids_after_the_global_one(void **state)
{
	struct cm_platform *p = mixed_host();
	struct cm_tdx_plan *plan = plan_of(p, CM_KERNEL_MAINLINE_6_8);
	struct cm_td_module *m = NULL;
	struct cm_error err = { 0 };

	(void)state;
	p->tdx.keyid_start = 16;
	p->tdx.nr_keyids = 5;
	assert_int_equal(cm_td_module_new(p, plan, &m, &err), 0);
	assert_int_equal(cm_td_nr_guest_keyids(m), 4);
	for (int k = 17; k <= 20; k++)
		assert_int_equal(cm_td_keyid_alloc(m), k);
	assert_int_equal(cm_td_keyid_alloc(m), -ENOSPC);
	assert_int_equal(cm_td_keyids_in_use(m), 4);
	cm_td_keyid_free(m, 18);
	assert_int_equal(cm_td_keyid_alloc(m), 18);
	cm_td_module_free(m);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/* Expect: a page of node 0 is TDX memory; node 1's, a PAMT page and the first 1 MiB are refused on R8. */
static void test_page_add_refuses_what_is_not_tdx_memory(void **state)
{
	struct cm_platform *p = mixed_host();
	struct cm_tdx_plan *plan = plan_of(p, CM_KERNEL_MAINLINE_6_8);
	struct cm_td_module *m = NULL;
	struct cm_error err = { 0 };
	uint64_t pamt = plan->tdmrs[0].pamt_base[CM_PAMT_4K];

	(void)state;
	assert_int_equal(cm_td_module_new(p, plan, &m, &err), 0);
	assert_true(cm_td_page_check(m, 5ULL << 30) == CM_TDX_SUCCESS);
	assert_true(cm_td_page_check(m, 8ULL << 30) == CM_TDX_PAGE_NOT_TDX_MEMORY);
	assert_true(cm_td_page_check(m, pamt) == CM_TDX_PAGE_NOT_TDX_MEMORY);
	assert_true(cm_td_page_check(m, 0) == CM_TDX_PAGE_NOT_TDX_MEMORY);
	assert_string_equal(cm_td_page_op_name(CM_TDH_MEM_PAGE_AUG), "TDH.MEM.PAGE.AUG");
	assert_string_equal(cm_td_page_op_name(CM_NR_TD_PAGE_OPS), "unknown");
	cm_td_module_free(m);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/* Expect: with dpamt, the first page of a 2 MiB range gets (1), the second not (0); the last put frees (1). */
static void test_dpamt_first_and_last_page_of_a_range(void **state)
{
	struct cm_platform *p = mixed_host();
	struct cm_tdx_plan *plan = plan_of(p, CM_KERNEL_DPAMT);
	struct cm_td_module *m = NULL;
	struct cm_error err = { 0 };
	uint64_t a = 5ULL << 30, b = a + CM_PAGE_SIZE, range_a, range_b;

	(void)state;
	assert_true(plan->dynamic_pamt);
	assert_int_equal(cm_td_module_new(p, plan, &m, &err), 0);
	assert_true(cm_td_dpamt_enabled(m));
	assert_int_equal(cm_td_dpamt_pages_per_range(m), 2);	/* 16-byte entries * 512 / 4096 */
	assert_int_equal(cm_td_dpamt_get(m, a, &range_a), 1);
	assert_int_equal(cm_td_dpamt_get(m, b, &range_b), 0);
	assert_true(range_a == range_b);
	assert_int_equal(cm_td_dpamt_put(m, a, &range_a), 0);
	assert_int_equal(cm_td_dpamt_put(m, b, &range_b), 1);
	assert_int_equal(cm_td_dpamt_put(m, b, &range_b), -ENOENT);
	assert_int_equal(cm_td_dpamt_get(m, 8ULL << 30, &range_a), -ENOENT);
	cm_td_module_free(m);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

/* Expect: a plan that did not initialise has no run-time module. */
static void test_no_module_without_tdx(void **state)
{
	struct cm_platform *p = mixed_host();
	struct cm_tdx_plan plan = { .result = CM_TDX_FAILED_TDMRS };
	struct cm_td_module *m = NULL;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(cm_td_module_new(p, &plan, &m, &err), -EINVAL);
	assert_null(m);
	cm_platform_free(p);
}

/*
 * Expect: an unevictable space's pages sit on the unevictable LRU, a fault
 * on one node lands there, and cm_mm_check() holds; the first 1 MiB is never
 * handed out.
 */
static void test_unevictable_space(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_config config;
	struct cm_mm *mm = NULL;
	struct cm_error err = { 0 };
	struct cm_mempolicy local = { CM_MPOL_DEFAULT, 0 };
	struct cm_mm_node_info info;
	uint64_t phys;
	int space, node;

	(void)state;
	tp_ram(p, 0, 0, 64ULL << 20);
	tp_finalize(p);
	cm_config_default(&config);
	assert_int_equal(cm_mm_new(p, &config, &mm, &err), 0);
	space = cm_mm_space_new_flags(mm, 16, 0, &local, 0, CM_SPACE_UNEVICTABLE);
	assert_true(space >= 0);
	assert_int_equal(cm_mm_fault_on(mm, space, 3, 0, &node, &phys), 0);
	assert_int_equal(node, 0);
	assert_true(phys >= CM_SZ_1M);
	assert_int_equal(cm_mm_fault_on(mm, space, 3, 0, &node, &phys), -EEXIST);
	assert_int_equal(cm_mm_fault_on(mm, space, 4, 5, &node, &phys), -ENOMEM);
	cm_mm_node_info(mm, 0, &info);
	assert_int_equal(info.lru_pages[CM_LRU_UNEVICTABLE], 1);
	assert_int_equal(info.present_pages, (64ULL << 20) / CM_PAGE_SIZE - 256);
	assert_int_equal(cm_mm_check(mm, &err), 0);
	cm_mm_discard(mm, space, 3);
	assert_int_equal(cm_mm_page_location(mm, space, 3, &node, &phys), -ENOENT);
	assert_int_equal(cm_mm_check(mm, &err), 0);
	cm_mm_free(mm);
	cm_platform_free(p);
}

/* Expect: the boot log's KeyID line sets the range; a malformed one keeps the default [16, 64). */
static void test_keyids_from_the_boot_log(void **state)
{
	static const char log[] =
		"[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n"
		"[    2.410000] virt/tdx: BIOS enabled: private KeyID range [32, 64)\n";
	static const char bad[] =
		"[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n"
		"[    2.410000] virt/tdx: BIOS enabled: private KeyID range [32, 33)\n";
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(cm_platform_from_dmesg_string(log, strlen(log), "boot.log", &p, &err), 0);
	assert_int_equal(p->tdx.keyid_start, 32);
	assert_int_equal(p->tdx.nr_keyids, 32);
	cm_platform_free(p);
	assert_int_equal(cm_platform_from_dmesg_string(bad, strlen(bad), "boot.log", &p, &err), 0);
	assert_int_equal(p->tdx.keyid_start, CM_TDX_DEFAULT_KEYID_START);
	assert_int_equal(p->tdx.nr_keyids, CM_TDX_DEFAULT_NR_KEYIDS);
	cm_platform_free(p);
}

/* Expect: platform JSON tdx.keyids {start, end}; fewer than two KeyIDs is refused with the path. */
static void test_keyids_from_platform_json(void **state)
{
	static const char good[] = "{\"nodes\": [{\"id\": 0, \"cpus\": \"0\", \"memory\": [{\"start\": \"4G\", "
				   "\"size\": \"1G\"}]}], \"tdx\": {\"keyids\": {\"start\": 8, \"end\": 13}}}";
	static const char bad[] = "{\"nodes\": [{\"id\": 0, \"cpus\": \"0\", \"memory\": [{\"start\": \"4G\", "
				  "\"size\": \"1G\"}]}], \"tdx\": {\"keyids\": {\"start\": 8, \"end\": 9}}}";
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(cm_platform_from_json_string(good, strlen(good), "p.json", &p, &err), 0);
	assert_int_equal(p->tdx.keyid_start, 8);
	assert_int_equal(p->tdx.nr_keyids, 5);
	cm_platform_free(p);
	p = NULL;
	assert_int_equal(cm_platform_from_json_string(bad, strlen(bad), "p.json", &p, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "p.json: $.tdx.keyids: expected a range [start, end) of at least 2 KeyIDs"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyids_after_the_global_one),
		cmocka_unit_test(test_page_add_refuses_what_is_not_tdx_memory),
		cmocka_unit_test(test_dpamt_first_and_last_page_of_a_range),
		cmocka_unit_test(test_no_module_without_tdx),
		cmocka_unit_test(test_unevictable_space),
		cmocka_unit_test(test_keyids_from_the_boot_log),
		cmocka_unit_test(test_keyids_from_platform_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
