// SPDX-License-Identifier: MIT
/*
 * Node capability (SPEC 4) and hot-add verdicts (SPEC 5).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "confmem/hotplug.h"
#include "confmem/numa.h"

/*
 * node 0: [1M, 2G) [4G, 8G)      inside CMRs            -> capable
 * node 1: [8G, 12G) in, [16G, 20G) out                  -> not capable, logs "1 ... and 1 ..."
 * node 2: no memory (CXL), a hot-plug window at 1T       -> not capable
 */
static struct cm_platform *three_nodes(void)
{
	struct cm_platform *p = tp_new(2);
	struct cm_hotplug_window w = { .start = 1024 * GiB, .size = 64 * GiB, .node = 2 };

	assert_non_null(cm_platform_add_node(p, 2, CM_NODE_CXL));
	tp_ram(p, 0, 1 * MiB, 2 * GiB);
	tp_ram(p, 0, 4 * GiB, 8 * GiB);
	tp_ram(p, 1, 8 * GiB, 12 * GiB);
	tp_ram(p, 1, 16 * GiB, 20 * GiB);
	tp_cmr(p, 1 * MiB, 2 * GiB);
	tp_cmr(p, 4 * GiB, 12 * GiB);
	assert_int_equal(cm_platform_add_hotplug(p, &w), 0);
	tp_finalize(p);
	return p;
}

static void test_capable_only_when_all_boot_ram_in_cmrs(void **state)
{
	struct cm_platform *p = three_nodes();
	struct cm_node_capability *caps;
	struct cm_log log = { 0 };
	struct cm_bitmap mask;
	char list[32];

	(void)state;
	assert_int_equal(cm_node_capabilities(p, NULL, &caps, &log), 0);
	assert_true(caps[0].crypto_capable);
	assert_false(caps[1].crypto_capable);
	assert_false(caps[2].crypto_capable);
	assert_true(tp_log_has(&log, "Node 1 has 1 regions that are encryptable and 1 regions that aren't"));
	assert_int_equal(log.nr_lines, 1);
	assert_int_equal(cm_capable_nodemask(caps, p->nr_nodes, &mask), 0);
	cm_bitmap_format_list(&mask, list, sizeof(list));
	assert_string_equal(list, "0");
	cm_bitmap_free(&mask);
	cm_log_free(&log);
	free(caps);
	cm_platform_free(p);
}

static void test_pamt_and_tdx_memory_per_node(void **state)
{
	struct cm_platform *p = three_nodes();
	struct cm_tdx_options o;
	struct cm_tdx_plan *plan;
	struct cm_node_capability *caps;
	struct cm_error err;

	(void)state;
	cm_tdx_options_default(&o);
	o.mixed = CM_TDX_MIXED_EXCLUDE;
	assert_int_equal(cm_tdx_plan_build(p, &o, &plan, &err), 0);
	assert_int_equal(plan->status, 0);
	assert_int_equal(cm_node_capabilities(p, plan, &caps, NULL), 0);
	assert_true(caps[0].tdx_memory);
	assert_int_equal(caps[1].tdx_memory_bytes, 4 * GiB);	/* only the convertible range */
	assert_int_equal(caps[0].pamt_bytes + caps[1].pamt_bytes, plan->pamt_bytes);
	assert_false(caps[2].tdx_memory);
	free(caps);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

static struct cm_tdx_plan *exclude_plan(const struct cm_platform *p)
{
	struct cm_tdx_options o;
	struct cm_tdx_plan *plan;
	struct cm_error err;

	cm_tdx_options_default(&o);
	o.mixed = CM_TDX_MIXED_EXCLUDE;
	assert_int_equal(cm_tdx_plan_build(p, &o, &plan, &err), 0);
	return plan;
}

static void test_hotplug_check_mode_rejects_once(void **state)
{
	struct cm_platform *p = three_nodes();
	struct cm_tdx_plan *plan = exclude_plan(p);
	struct cm_hotplug_request req = { .start = 1024 * GiB, .size = 64 * GiB, .node = -1,
					  .mode = CM_HOTPLUG_CHECK, .mixed = CM_TDX_MIXED_STRICT };
	struct cm_hotplug_verdict v;
	struct cm_error err;

	(void)state;
	assert_int_equal(cm_hotplug_evaluate(p, plan, &req, &v, &err), 0);
	assert_int_equal(v.outcome, CM_HOTPLUG_REJECTED);
	assert_int_equal(v.status, -EINVAL);
	assert_int_equal(v.node, 2);
	assert_int_equal(v.nr_blocks, 512);
	assert_int_equal(v.log.nr_lines, 1);
	assert_string_equal(v.log.lines[0].text, "Reject hot-adding memory range: 0x10000000000-0x11000000000 for "
			    "TDX compatibility.");
	cm_hotplug_verdict_free(&v);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

static void test_hotplug_notifier_refuses_every_block(void **state)
{
	struct cm_platform *p = three_nodes();
	struct cm_tdx_plan *plan = exclude_plan(p);
	struct cm_hotplug_request req = { .start = 1024 * GiB, .size = 64 * GiB, .node = -1,
					  .mode = CM_HOTPLUG_NOTIFIER };
	struct cm_hotplug_verdict v;
	struct cm_error err;

	(void)state;
	assert_int_equal(cm_hotplug_evaluate(p, plan, &req, &v, &err), 0);
	assert_int_equal(v.outcome, CM_HOTPLUG_BLOCKS_REFUSED);
	assert_int_equal(v.status, -EPERM);
	assert_int_equal(v.nr_blocks_failed, 512);
	assert_int_equal(v.log.nr_lines, 512);
	assert_string_equal(v.log.lines[511].text, "online_pages [mem 0x10ff8000000-0x10fffffffff] failed");
	cm_hotplug_verdict_free(&v);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

static void test_hotplug_exclude_accepts_non_tdx_and_node_loses_capability(void **state)
{
	struct cm_platform *p = three_nodes();
	struct cm_tdx_plan *plan = exclude_plan(p);
	struct cm_hotplug_request req = { .start = 1024 * GiB, .size = 64 * GiB, .node = 0,
					  .mode = CM_HOTPLUG_CHECK, .mixed = CM_TDX_MIXED_EXCLUDE };
	struct cm_hotplug_verdict v;
	struct cm_error err;

	(void)state;
	assert_int_equal(cm_hotplug_evaluate(p, plan, &req, &v, &err), 0);
	assert_int_equal(v.outcome, CM_HOTPLUG_ONLINE_NON_TDX);
	assert_int_equal(v.status, 0);
	assert_true(v.node_was_capable);
	assert_false(v.node_capable_after);
	cm_hotplug_verdict_free(&v);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

static void test_hotplug_without_tdx_always_succeeds(void **state)
{
	struct cm_platform *p = three_nodes();
	struct cm_tdx_plan *plan;
	struct cm_tdx_options o;
	struct cm_hotplug_request req = { .start = 1024 * GiB, .size = 64 * GiB, .node = -1,
					  .mode = CM_HOTPLUG_CHECK };
	struct cm_hotplug_verdict v;
	struct cm_error err;

	(void)state;
	p->tdx.enabled = false;
	cm_tdx_options_default(&o);
	assert_int_equal(cm_tdx_plan_build(p, &o, &plan, &err), 0);
	assert_int_equal(cm_hotplug_evaluate(p, plan, &req, &v, &err), 0);
	assert_int_equal(v.outcome, CM_HOTPLUG_ONLINE);
	assert_int_equal(v.log.nr_lines, 0);
	cm_hotplug_verdict_free(&v);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
}

static void test_hotplug_bad_requests(void **state)
{
	struct cm_platform *p = three_nodes();
	struct cm_hotplug_request req = { .start = 1024 * GiB, .size = 64 * MiB, .node = -1 };
	struct cm_hotplug_verdict v;
	struct cm_error err;

	(void)state;
	assert_int_equal(cm_hotplug_evaluate(p, NULL, &req, &v, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "multiples of the memory block size"));
	req.start = 4 * GiB;
	req.size = 128 * MiB;
	assert_int_equal(cm_hotplug_evaluate(p, NULL, &req, &v, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "overlaps boot RAM"));
	req.start = 2048 * GiB;
	assert_int_equal(cm_hotplug_evaluate(p, NULL, &req, &v, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "no hot-plug window"));
	req.start = (1ULL << 52) - 128 * MiB;
	req.size = 256 * MiB;
	assert_int_equal(cm_hotplug_evaluate(p, NULL, &req, &v, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "52-bit"));
	cm_platform_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capable_only_when_all_boot_ram_in_cmrs),
		cmocka_unit_test(test_pamt_and_tdx_memory_per_node),
		cmocka_unit_test(test_hotplug_check_mode_rejects_once),
		cmocka_unit_test(test_hotplug_notifier_refuses_every_block),
		cmocka_unit_test(test_hotplug_exclude_accepts_non_tdx_and_node_loses_capability),
		cmocka_unit_test(test_hotplug_without_tdx_always_succeeds),
		cmocka_unit_test(test_hotplug_bad_requests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
