// SPDX-License-Identifier: MIT
/*
 * Memory-cgroup charge and reclaim as 6.12 does them (SPEC 7):
 * try_charge_memcg() retries while reclaim makes progress, raises a `max`
 * event on every attempt, OOM-kills after MAX_RECLAIM_RETRIES attempts
 * without progress; cgroup reclaim demotes with the tiers model and the
 * demoted pages stay charged; its counters go to memory.stat and to the
 * reclaimed node, not to the global pgscan_direct/pgsteal_direct.
 */
#include <errno.h>
#include <string.h>

#include "helpers.h"
#include "confmem/mm.h"

/*
 *   node 0: DRAM 64 MiB, CPUs       node 1: CXL 128 MiB, no CPUs, adistance 2880
 *   distance 20; demotion 0 -> 1.
 */
static struct cm_platform *dram_cxl(void)
{
	struct cm_platform *p = tp_new(1);

	assert_non_null(cm_platform_add_node(p, 1, CM_NODE_CXL));
	p->nodes[1].adistance = CM_MEMTIER_DEFAULT_DAX_ADISTANCE;
	tp_ram(p, 0, 4 * GiB, 4 * GiB + 64 * MiB);
	tp_ram(p, 1, 8 * GiB, 8 * GiB + 128 * MiB);
	p->tdx.enabled = false;
	tp_finalize(p);
	return p;
}

static struct cm_mm *engine(const struct cm_platform *p, enum cm_tiering_model model)
{
	struct cm_config c;
	struct cm_mm *mm;
	struct cm_error err;

	cm_config_default(&c);
	c.demotion_enabled = true;
	c.tiering_model = model;
	assert_int_equal(cm_mm_new(p, &c, &mm, &err), 0);
	return mm;
}

static void assert_invariants(const struct cm_mm *mm)
{
	struct cm_error err = { 0 };

	if (cm_mm_check(mm, &err))
		fail_msg("%s", err.msg);
}

static const struct cm_mempolicy local = { CM_MPOL_DEFAULT, 0 };

/* Touch pages [0, nr) of @space once each; the first error. */
static int touch_all(struct cm_mm *mm, int space, uint64_t nr)
{
	for (uint64_t i = 0; i < nr; i++) {
		int ret = cm_mm_touch(mm, space, i, true);

		if (ret)
			return ret;
	}
	return 0;
}

/*
 * A cgroup at 16 MiB (4096 pages) touching 28 MiB, demotion on, no swap:
 * every page it holds is demoted (still charged), one `max` event per
 * reclaim attempt, then the OOM kill.
 */
static void test_memcg_reclaim_demotes_everything_before_oom(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, CM_TIERING_TIERS);
	int cg = cm_mm_memcg_create(mm, "/job", 0);
	struct cm_memcg_info info;
	struct cm_mm_node_info n0, n1;
	int s;

	(void)state;
	cm_mm_memcg_set_max(mm, cg, 4096);
	s = cm_mm_space_new(mm, 7168, 0, cg, &local, 0);
	assert_int_equal(touch_all(mm, s, 7168), -ENOMEM);
	assert_true(cm_mm_space_killed(mm, s));
	cm_mm_memcg_info(mm, cg, &info);
	assert_true(info.stat[CM_MEMCG_PGDEMOTE_DIRECT] >= 4096 * 9 / 10);
	assert_int_equal(info.stat[CM_MEMCG_PGSTEAL], info.stat[CM_MEMCG_PGDEMOTE_DIRECT]);
	/* 4096 pages in batches of 64, and MAX_RECLAIM_RETRIES + 1 fruitless tries with the drain's. */
	assert_true(info.events_max >= 4096 / 64);
	assert_true(info.events_max <= 4096 / 64 + 32);
	assert_int_equal(info.events_oom_kill, 1);
	cm_mm_node_info(mm, 0, &n0);
	cm_mm_node_info(mm, 1, &n1);
	assert_int_equal(n0.counters[CM_PGDEMOTE_DIRECT], info.stat[CM_MEMCG_PGDEMOTE_DIRECT]);
	assert_int_equal(n1.counters[CM_PGDEMOTE_DIRECT], 0);
	assert_invariants(mm);
	cm_mm_free(mm);
	cm_platform_free(p);
}

/* Cgroup reclaim is not counted in the global pgscan_direct/pgsteal_direct; pgscan_anon moves. */
static void test_cgroup_reclaim_counts_in_memory_stat_only(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, CM_TIERING_TIERS);
	int parent = cm_mm_memcg_create(mm, "/a", 0);
	int cg = cm_mm_memcg_create(mm, "/a/b", parent);
	struct cm_memcg_info info, up;
	int s;

	(void)state;
	cm_mm_memcg_set_max(mm, cg, 2048);
	s = cm_mm_space_new(mm, 4096, 0, cg, &local, 0);
	assert_int_equal(touch_all(mm, s, 4096), -ENOMEM);
	assert_int_equal(cm_mm_counter_total(mm, CM_PGSCAN_DIRECT), 0);
	assert_int_equal(cm_mm_counter_total(mm, CM_PGSTEAL_DIRECT), 0);
	assert_true(cm_mm_counter_total(mm, CM_PGSCAN_ANON) > 0);
	assert_int_equal(cm_mm_counter_total(mm, CM_PGSTEAL_ANON), cm_mm_counter_total(mm, CM_PGDEMOTE_DIRECT));
	assert_int_equal(cm_mm_counter_total(mm, CM_PGMIGRATE_SUCCESS), cm_mm_counter_total(mm, CM_PGDEMOTE_DIRECT));
	cm_mm_memcg_info(mm, cg, &info);
	cm_mm_memcg_info(mm, parent, &up);
	assert_int_equal(info.stat[CM_MEMCG_PGSCAN], cm_mm_counter_total(mm, CM_PGSCAN_ANON));
	assert_int_equal(info.stat[CM_MEMCG_PGSCAN_KSWAPD], 0);
	assert_int_equal(info.stat[CM_MEMCG_PGFAULT], cm_mm_counter_total(mm, CM_PGFAULT));
	assert_memory_equal(up.stat, info.stat, sizeof(info.stat));	/* memory.stat is hierarchical */
	cm_mm_free(mm);
	cm_platform_free(p);
}

/* tiering.memcg_demotion=model: allowed with the tiers (6.1+), never with 5.15's distance order. */
static void test_memcg_demotion_follows_the_model(void **state)
{
	static const enum cm_tiering_model models[] = { CM_TIERING_TIERS, CM_TIERING_DISTANCE };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct cm_platform *p = dram_cxl();
		struct cm_mm *mm = engine(p, models[i]);
		int cg = cm_mm_memcg_create(mm, "/job", 0);
		struct cm_memcg_info info;
		int s;

		assert_int_equal(cm_mm_config(mm)->memcg_demotion, CM_MEMCG_DEMOTION_MODEL);
		cm_mm_memcg_set_max(mm, cg, 1024);
		s = cm_mm_space_new(mm, 2048, 0, cg, &local, 0);
		assert_int_equal(touch_all(mm, s, 2048), -ENOMEM);
		cm_mm_memcg_info(mm, cg, &info);
		if (models[i] == CM_TIERING_TIERS)
			assert_true(info.stat[CM_MEMCG_PGDEMOTE_DIRECT] >= 1024 * 9 / 10);
		else
			assert_int_equal(info.stat[CM_MEMCG_PGDEMOTE_DIRECT], 0);
		cm_mm_free(mm);
		cm_platform_free(p);
	}
}

/* Without demotion, 1 + 1 (the drain) + MAX_RECLAIM_RETRIES fruitless attempts, each a `max` event, then OOM. */
static void test_memcg_oom_after_retries_without_progress(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, CM_TIERING_TIERS);
	int cg = cm_mm_memcg_create(mm, "/job", 0);
	struct cm_memcg_info info;
	int s;

	(void)state;
	cm_mm_config(mm)->demotion_enabled = false;
	cm_mm_memcg_set_max(mm, cg, 256);
	s = cm_mm_space_new(mm, 512, 0, cg, &local, 0);
	assert_int_equal(touch_all(mm, s, 512), -ENOMEM);
	cm_mm_memcg_info(mm, cg, &info);
	assert_int_equal(info.events_max, 18);
	assert_int_equal(info.events_oom, 1);
	assert_int_equal(info.stat[CM_MEMCG_PGSTEAL], 0);
	cm_mm_free(mm);
	cm_platform_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcg_reclaim_demotes_everything_before_oom),
		cmocka_unit_test(test_cgroup_reclaim_counts_in_memory_stat_only),
		cmocka_unit_test(test_memcg_demotion_follows_the_model),
		cmocka_unit_test(test_memcg_oom_after_retries_without_progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
