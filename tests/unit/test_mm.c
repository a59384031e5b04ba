// SPDX-License-Identifier: MIT
/*
 * The page engine (SPEC 6, 7): allocation, reclaim, demotion, swap,
 * memory cgroups, and the invariants after every step.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "confmem/mm.h"
#include "mm/mm_internal.h"

/*
 *   node 0: DRAM 64 MiB, CPUs       node 1: CXL 128 MiB, no CPUs
 *   distance 20; demotion 0 -> 1 when enabled.
 */
/* Node 1's boot RAM stands for CXL memory onlined by kmem: the kernel's 2880 (SPEC 7). */
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

static struct cm_mm *engine(const struct cm_platform *p, bool demotion, uint64_t swap_bytes)
{
	struct cm_config c;
	struct cm_mm *mm;
	struct cm_error err;

	cm_config_default(&c);
	c.demotion_enabled = demotion;
	c.swap_bytes = swap_bytes;
	assert_int_equal(cm_mm_new(p, &c, &mm, &err), 0);
	return mm;
}

static void assert_invariants(const struct cm_mm *mm)
{
	struct cm_error err = { 0 };

	if (cm_mm_check(mm, &err))
		fail_msg("%s", err.msg);
}

/* Touch @nr pages of @space sequentially, running kswapd every 256 pages. */
static int fill(struct cm_mm *mm, int space, uint64_t first, uint64_t nr, bool check)
{
	for (uint64_t i = 0; i < nr; i++) {
		int ret = cm_mm_touch(mm, space, first + i, false);

		if (ret)
			return ret;
		if (i % 256 == 255) {
			cm_mm_run_kswapd(mm, 8192);
			if (check)
				assert_invariants(mm);
		}
	}
	return 0;
}

static const struct cm_mempolicy local = { CM_MPOL_DEFAULT, 0 };
static const struct cm_mempolicy bind1 = { CM_MPOL_BIND, 2 };	/* node 1 only */

static void test_frame_is_11_bytes(void **state)
{
	(void)state;
	assert_int_equal(cm_mm_frame_size(), 11);
}

/*
 * Descriptors plus LRU ring slots stay within 16 bytes a frame through
 * churn that leaves dead slots behind (discards from the middle of the
 * lists) and rotates pages between lists (reclaim).
 */
static void test_frame_tables_at_most_16_bytes_a_frame(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, true, 64 * MiB);
	int space = cm_mm_space_new(mm, 80 * 256, 0, 0, &local, 0);
	uint64_t rng = 1;

	(void)state;
	for (int round = 0; round < 20; round++) {
		for (uint64_t i = 0; i < 40000; i++) {
			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			if ((rng >> 60) == 0)
				cm_mm_discard(mm, space, (rng >> 20) % (80 * 256));
			else
				assert_int_equal(cm_mm_touch(mm, space, (rng >> 20) % (80 * 256), false), 0);
		}
		cm_mm_run_kswapd(mm, 8192);
		assert_invariants(mm);
		assert_true(cm_mm_frame_table_bytes(mm) <= 16 * cm_mm_nr_frames(mm));
	}
	cm_mm_free(mm);
	cm_platform_free(p);
}

/*
 * Rings big enough to live in their own mappings (2 MiB of slots and more)
 * grow, wrap and shrink through reclaim and stay exact:
 *
 *   node 0: DRAM 4 GiB (1M frames)   node 1: CXL 2 GiB   swap 4 GiB
 *   a space of 6 GiB filled, then touched at random with kswapd between
 */
static void test_big_rings_grow_and_shrink_exactly(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_mm *mm;
	uint64_t nr = 6 * (GiB / 4096), rng = 3, pages[4096];
	size_t done;
	int space, job;

	(void)state;
	assert_non_null(cm_platform_add_node(p, 1, CM_NODE_CXL));
	p->nodes[1].adistance = CM_MEMTIER_DEFAULT_DAX_ADISTANCE;
	tp_ram(p, 0, 4 * GiB, 8 * GiB);
	tp_ram(p, 1, 16 * GiB, 18 * GiB);
	p->tdx.enabled = false;
	tp_finalize(p);
	mm = engine(p, true, 4 * GiB);
	job = cm_mm_memcg_create(mm, "/job", 0);
	assert_true(job > 0);
	space = cm_mm_space_new(mm, nr, 0, job, &local, 0);
	assert_true(space >= 0);
	for (uint64_t i = 0; i < nr; i += 4096) {
		for (size_t k = 0; k < 4096; k++)
			pages[k] = i + k;
		assert_int_equal(cm_mm_touch_batch(mm, space, pages, NULL, 4096, &done), 0);
		cm_mm_run_kswapd(mm, 8192);
	}
	assert_invariants(mm);
	for (int round = 0; round < 8; round++) {
		for (int b = 0; b < 64; b++) {
			for (size_t k = 0; k < 4096; k++) {
				rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
				pages[k] = (rng >> 20) % (round & 1 ? nr / 4 : nr);	/* the hot set moves */
			}
			assert_int_equal(cm_mm_touch_batch(mm, space, pages, NULL, 4096, &done), 0);
			cm_mm_run_kswapd(mm, 8192);
		}
		assert_invariants(mm);
	}
	/*
	 * Most pages go, and memory.max falls to 256 MiB: the rings empty out
	 * from the middle and shrink back as the cgroup's reclaim pops them.
	 */
	for (uint64_t i = nr / 8; i < nr; i++)
		cm_mm_discard(mm, space, i);
	assert_invariants(mm);
	cm_mm_memcg_set_max(mm, job, 256 * MiB / 4096);
	for (int b = 0; b < 128; b++) {
		for (size_t k = 0; k < 4096; k++) {
			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			pages[k] = (rng >> 20) % (nr / 8);
		}
		assert_int_equal(cm_mm_touch_batch(mm, space, pages, NULL, 4096, &done), 0);
	}
	assert_invariants(mm);
	assert_true(cm_mm_frame_table_bytes(mm) <= 16 * cm_mm_nr_frames(mm));
	cm_mm_free(mm);
	cm_platform_free(p);
}

/* This process's resident bytes, from /proc/self/statm. */
static uint64_t resident_bytes(void)
{
	unsigned long long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	assert_non_null(f);
	assert_int_equal(fscanf(f, "%llu %llu", &size, &resident), 2);
	fclose(f);
	return resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

/*
 * Virtual pages never touched cost nothing: a space of 2^28 pages (1 TiB,
 * a 1 GiB table of locations) and one more after it, touched in 1024
 * places of its first GiB and at its last page, add a few MiB of resident
 * memory, not the table. (The table is on huge pages: touching one page
 * costs the 2 MiB of entries of the 2 GiB around it.)
 */
static void test_untouched_virtual_pages_cost_nothing(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, true, 64 * MiB);
	uint64_t before = resident_bytes(), nr = 1ULL << 28;
	int big, small;

	(void)state;
	big = cm_mm_space_new(mm, nr, 0, 0, &local, 0);
	assert_true(big >= 0);
	small = cm_mm_space_new(mm, 1024, 0, 0, &local, 0);	/* the table grows: moved, not copied */
	assert_true(small >= 0);
	for (uint64_t i = 0; i < 1024; i++)
		assert_int_equal(cm_mm_touch(mm, big, i * 256, false), 0);
	assert_int_equal(cm_mm_touch(mm, big, nr - 1, false), 0);
	assert_int_equal(fill(mm, small, 0, 1024, false), 0);
	assert_int_equal(cm_mm_space_resident(mm, big), 1025);
	assert_int_equal(cm_mm_space_resident(mm, small), 1024);
	assert_invariants(mm);
	assert_true(resident_bytes() - before < 64 * MiB);
	cm_mm_space_release(mm, big);
	assert_int_equal(cm_mm_space_resident(mm, big), 0);
	assert_invariants(mm);
	cm_mm_free(mm);
	cm_platform_free(p);
}

/* The batched path gives exactly the state single touches give: same counters, same places. */
static void test_touch_batch_is_single_touches(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *one = engine(p, true, 32 * MiB), *batch = engine(p, true, 32 * MiB);
	uint64_t nr = 64 * 256, pages[1000], rng = 7;
	bool writes[1000];
	int s1 = cm_mm_space_new(one, nr / 2, nr / 2, 0, &local, 0), s2 = cm_mm_space_new(batch, nr / 2, nr / 2, 0, &local, 0);
	size_t done;

	(void)state;
	for (int round = 0; round < 40; round++) {
		for (int k = 0; k < 1000; k++) {
			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			pages[k] = (rng >> 20) % nr;
			writes[k] = rng >> 63;
			assert_int_equal(cm_mm_touch(one, s1, pages[k], writes[k]), 0);
		}
		assert_int_equal(cm_mm_touch_batch(batch, s2, pages, writes, 1000, &done), 0);
		assert_int_equal(done, 1000);
		cm_mm_run_kswapd(one, 4096);
		cm_mm_run_kswapd(batch, 4096);
	}
	assert_invariants(batch);
	for (int c = 0; c < CM_NR_COUNTERS; c++)
		assert_int_equal(cm_mm_counter_total(one, (enum cm_counter)c), cm_mm_counter_total(batch, (enum cm_counter)c));
	for (uint64_t i = 0; i < nr; i++) {
		int n1 = -1, n2 = -1;
		uint64_t a1 = 0, a2 = 0;

		assert_int_equal(cm_mm_page_location(one, s1, i, &n1, &a1), cm_mm_page_location(batch, s2, i, &n2, &a2));
		assert_int_equal(n1, n2);
		assert_int_equal(a1, a2);
	}
	cm_mm_free(one);
	cm_mm_free(batch);
	cm_platform_free(p);
}

static void test_watermarks_follow_min_free_kbytes(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, false, 0);
	struct cm_mm_node_info n0, n1;

	(void)state;
	cm_mm_node_info(mm, 0, &n0);
	cm_mm_node_info(mm, 1, &n1);
	/* 192 MiB in all: sqrt(16 * 196608 KiB) = 1773 KiB = 443 pages, split 1:2 by size. */
	assert_int_equal(n0.wmark.min + n1.wmark.min, 147 + 295);
	assert_int_equal(n0.wmark.min, 147);
	assert_int_equal(n0.wmark.low, 147 + 36);	/* max(min / 4, 16384 * 10 / 10000) */
	assert_int_equal(n0.wmark.high, 147 + 72);
	cm_mm_free(mm);
	cm_platform_free(p);
}

static void test_overflowing_dram_demotes_without_swap(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, true, 0);
	struct cm_mempolicy bind0 = { CM_MPOL_BIND, 1 };
	/* 96 MiB of anon bound to DRAM: demotion ignores the policy, as in the kernel. */
	int s = cm_mm_space_new(mm, 24576, 0, 0, &bind0, 0);

	(void)state;
	assert_true(s >= 0);
	assert_int_equal(fill(mm, s, 0, 24576, true), 0);
	assert_true(cm_mm_counter_total(mm, CM_PGDEMOTE_KSWAPD) + cm_mm_counter_total(mm, CM_PGDEMOTE_DIRECT) > 0);
	assert_int_equal(cm_mm_counter_total(mm, CM_PSWPOUT), 0);
	assert_int_equal(cm_mm_space_resident(mm, s), 24576);
	assert_true(cm_mm_space_resident_on(mm, s, 1) > 0);
	assert_invariants(mm);
	cm_mm_space_release(mm, s);
	assert_invariants(mm);
	cm_mm_free(mm);
	cm_platform_free(p);
}

static void test_without_demotion_anon_swaps(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, false, 64 * MiB);
	struct cm_mempolicy bind0 = { CM_MPOL_BIND, 1 };
	int s = cm_mm_space_new(mm, 24576, 0, 0, &bind0, 0);

	(void)state;
	assert_int_equal(fill(mm, s, 0, 24576, true), 0);
	assert_int_equal(cm_mm_counter_total(mm, CM_PGDEMOTE_KSWAPD), 0);
	assert_true(cm_mm_counter_total(mm, CM_PSWPOUT) > 0);
	assert_int_equal(cm_mm_space_resident(mm, s) + cm_mm_space_swapped(mm, s), 24576);
	/* Touch the start again: swapped pages come back. */
	assert_int_equal(fill(mm, s, 0, 1024, true), 0);
	assert_true(cm_mm_counter_total(mm, CM_PSWPIN) > 0);
	cm_mm_free(mm);
	cm_platform_free(p);
}

static void test_no_swap_no_demotion_is_oom(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, false, 0);
	struct cm_mempolicy bind0 = { CM_MPOL_BIND, 1 };
	int s = cm_mm_space_new(mm, 24576, 0, 0, &bind0, 0);

	(void)state;
	assert_int_equal(fill(mm, s, 0, 24576, false), -ENOMEM);
	assert_true(cm_mm_space_killed(mm, s));
	assert_int_equal(cm_mm_counter_total(mm, CM_OOM_KILL), 1);
	assert_invariants(mm);
	cm_mm_free(mm);
	cm_platform_free(p);
}

static void test_clean_file_pages_are_dropped(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, false, 0);
	struct cm_mempolicy bind0 = { CM_MPOL_BIND, 1 };
	int s = cm_mm_space_new(mm, 0, 24576, 0, &bind0, 0);

	(void)state;
	assert_int_equal(fill(mm, s, 0, 24576, true), 0);
	assert_true(cm_mm_counter_total(mm, CM_PGDROP_FILE) > 0);
	assert_int_equal(cm_mm_counter_total(mm, CM_PGMAJFAULT), 24576);
	cm_mm_free(mm);
	cm_platform_free(p);
}

/* With tiering.memcg_demotion=never (5.15's rule) memcg reclaim does not demote: it swaps. */
static void test_memcg_limit_reclaims_without_demoting(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, true, 64 * MiB);
	int cg = cm_mm_memcg_create(mm, "/small", 0);
	int s;

	(void)state;
	cm_mm_config(mm)->memcg_demotion = CM_MEMCG_DEMOTION_NEVER;
	cm_mm_memcg_set_max(mm, cg, 4096);	/* 16 MiB */
	s = cm_mm_space_new(mm, 8192, 0, cg, &local, 0);
	assert_int_equal(fill(mm, s, 0, 8192, true), 0);
	assert_int_equal(cm_mm_counter_total(mm, CM_PGDEMOTE_DIRECT), 0);
	assert_int_equal(cm_mm_counter_total(mm, CM_PGDEMOTE_KSWAPD), 0);
	assert_true(cm_mm_counter_total(mm, CM_PSWPOUT) >= 4096);
	cm_mm_config(mm)->memcg_demotion = CM_MEMCG_DEMOTION_ALLOWED;
	assert_int_equal(fill(mm, s, 0, 8192, true), 0);
	assert_true(cm_mm_counter_total(mm, CM_PGDEMOTE_DIRECT) > 0);
	cm_mm_free(mm);
	cm_platform_free(p);
}

static void test_memcg_limit_without_swap_kills_in_the_cgroup(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, true, 0);
	int cg = cm_mm_memcg_create(mm, "/small", 0);
	int other = cm_mm_space_new(mm, 1024, 0, 0, &local, 0);
	int s;

	(void)state;
	cm_mm_memcg_set_max(mm, cg, 4096);
	s = cm_mm_space_new(mm, 8192, 0, cg, &local, 0);
	assert_int_equal(fill(mm, other, 0, 1024, false), 0);
	assert_int_equal(fill(mm, s, 0, 8192, false), -ENOMEM);
	assert_true(cm_mm_space_killed(mm, s));
	assert_false(cm_mm_space_killed(mm, other));
	assert_invariants(mm);
	cm_mm_free(mm);
	cm_platform_free(p);
}

/* A hot-added node (soft-reserved memory onlined by kmem: 2880) becomes a demotion target. */
static void test_online_memory_changes_demotion_targets(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_hotplug_window w = { 1024 * GiB, 128 * MiB, 1, false };
	struct cm_mm *mm;
	struct cm_error err;

	(void)state;
	assert_non_null(cm_platform_add_node(p, 1, CM_NODE_CXL));
	tp_ram(p, 0, 4 * GiB, 4 * GiB + 64 * MiB);
	assert_int_equal(cm_platform_add_e820(p, 0, 4 * GiB, CM_E820_RESERVED), 0);
	assert_int_equal(cm_platform_add_e820(p, 4 * GiB, 4 * GiB + 64 * MiB, CM_E820_USABLE), 0);
	assert_int_equal(cm_platform_add_e820(p, w.start, w.start + w.size, CM_E820_SOFT_RESERVED), 0);
	assert_int_equal(cm_platform_add_hotplug(p, &w), 0);
	p->tdx.enabled = false;
	tp_finalize(p);
	mm = engine(p, true, 0);
	assert_int_equal(cm_mm_tiering(mm)->preferred[0], 0);
	assert_int_equal(cm_mm_online(mm, 1, 1024 * GiB, 32768, &err), 0);
	assert_int_equal(cm_mm_tiering(mm)->preferred[0], 1ULL << 1);
	assert_invariants(mm);
	cm_mm_free(mm);
	cm_platform_free(p);
}

/* node 0: DRAM 64 MiB      node 1: no boot memory, 128 MiB onlined at 1 TiB */
static struct cm_mm *dram_and_onlined_cxl(struct cm_platform **platform)
{
	struct cm_platform *p = tp_new(1);
	struct cm_error err;
	struct cm_mm *mm;

	assert_non_null(cm_platform_add_node(p, 1, CM_NODE_CXL));
	tp_ram(p, 0, 4 * GiB, 4 * GiB + 64 * MiB);
	p->tdx.enabled = false;
	tp_finalize(p);
	mm = engine(p, true, 0);
	assert_int_equal(cm_mm_online(mm, 1, 1024 * GiB, 32768, &err), 0);
	*platform = p;
	return mm;
}

/* Offline migrates what the range holds; without room it is refused and nothing changes. */
static void test_offline_migrates_or_is_refused(void **state)
{
	struct cm_platform *p;
	struct cm_mm *mm = dram_and_onlined_cxl(&p);
	struct cm_error err;
	int s, big;

	(void)state;
	s = cm_mm_space_new(mm, 8192, 0, 0, &bind1, 0);
	assert_int_equal(fill(mm, s, 0, 8192, true), 0);
	assert_int_equal(cm_mm_space_resident_on(mm, s, 1), 8192);
	/* Node 0 has room for 32 MiB: the second half of node 1 goes offline, its pages move. */
	assert_int_equal(cm_mm_offline(mm, -1, 1024 * GiB + 64 * MiB, 16384, &err), 0);
	assert_invariants(mm);
	/* Now fill node 0 so the rest cannot move: refused, nothing changes. */
	big = cm_mm_space_new(mm, 12000, 0, 0, &local, 0);
	assert_int_equal(fill(mm, big, 0, 12000, true), 0);
	assert_int_equal(cm_mm_offline(mm, 1, 1024 * GiB, 16384, &err), -EBUSY);
	assert_non_null(strstr(err.msg, "pages in use"));
	assert_invariants(mm);
	cm_mm_space_release(mm, big);
	assert_int_equal(cm_mm_offline(mm, 1, 1024 * GiB, 16384, &err), 0);
	assert_int_equal(cm_mm_space_resident_on(mm, s, 0), 8192);
	assert_int_equal(cm_mm_tiering(mm)->preferred[0], 0);	/* node 1 has no memory left */
	assert_invariants(mm);
	cm_mm_free(mm);
	cm_platform_free(p);
}

static bool pte_young(const struct cm_mm *mm, int space, uint64_t page)
{
	return ~mm->vpt[mm->spaces[space].base + page] & VP_YOUNG;
}

/*
 * The accessed bit is in the page-table entry, as the kernel keeps it: a
 * fault and a touch set it, a migration keeps it, the frame's flags do not
 * hold it. The invariant check refuses a NUMA hint its space's touches
 * would never look for, and more than 4 TiB of frames is refused.
 */
static void test_accessed_bit_is_in_the_page_table_entry(void **state)
{
	struct cm_platform *p;
	struct cm_mm *mm = dram_and_onlined_cxl(&p);
	struct cm_error err = { 0 };
	uint64_t pages[4096];
	uint32_t idx;
	size_t done;
	int s, n;
	uint64_t phys;

	(void)state;
	s = cm_mm_space_new(mm, 8192, 0, 0, &bind1, 0);
	assert_int_equal(fill(mm, s, 0, 8192, true), 0);
	for (uint64_t i = 0; i < 8192; i++) {
		assert_true(pte_young(mm, s, i));
		if (i % 2 == 0)
			assert_true(vpt_test_clear_young(mm, mm->spaces[s].base + i));
		assert_int_equal(pte_young(mm, s, i), i % 2 == 1);
	}
	/* The first half of node 1, which holds them, goes offline: they move with their bits. */
	idx = vpt_get(mm, mm->spaces[s].base);
	assert_int_equal(cm_mm_offline(mm, -1, 1024 * GiB, 16384, &err), 0);
	assert_invariants(mm);
	assert_int_not_equal(vpt_get(mm, mm->spaces[s].base), idx);
	assert_int_equal(cm_mm_space_resident_on(mm, s, 0) + cm_mm_space_resident_on(mm, s, 1), 8192);
	for (uint64_t i = 0; i < 8192; i++)
		assert_int_equal(pte_young(mm, s, i), i % 2 == 1);
	/* Touches set it again, one at a time and in a batch, and fault nothing. */
	for (uint64_t i = 0; i < 4096; i++)
		pages[i] = 2 * i;
	assert_int_equal(cm_mm_touch_batch(mm, s, pages, NULL, 2048, &done), 0);
	for (uint64_t i = 2048; i < 4096; i++)
		assert_int_equal(cm_mm_touch(mm, s, pages[i], true), 0);
	for (uint64_t i = 0; i < 8192; i++)
		assert_true(pte_young(mm, s, i));
	assert_int_equal(cm_mm_counter_total(mm, CM_PGFAULT), 8192);
	/* The frame's flags are not where the bit is. */
	assert_int_equal(cm_mm_page_location(mm, s, 5, &n, &phys), 0);
	idx = vpt_get(mm, mm->spaces[s].base + 5);
	assert_true(idx < mm->nr_frames);
	assert_true(vpt_test_clear_young(mm, mm->spaces[s].base + 5));
	assert_false(vpt_test_clear_young(mm, mm->spaces[s].base + 5));
	assert_int_equal(vpt_get(mm, mm->spaces[s].base + 5), idx);
	/* A NUMA hint in a space NUMA balancing never marked: its touches would not see it. */
	mm->frame_flags[idx] |= FRAME_HINT;
	assert_int_equal(cm_mm_check(mm, &err), -EUCLEAN);
	assert_non_null(strstr(err.msg, "awaits a NUMA hint fault its touches never look for"));
	mm->frame_flags[idx] &= (uint8_t)~FRAME_HINT;
	assert_invariants(mm);
	/* 2^30 - 16 frames at most: the accessed bit sits above the frame index. */
	assert_int_equal(cm_mm_online(mm, 1, 2048 * GiB, CM_MAX_FRAMES, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "frames to simulate, more than the engine's 1073741808 (4 TiB)"));
	assert_invariants(mm);
	cm_mm_free(mm);
	cm_platform_free(p);
}

/*
 * Offlining memory whose frames were freed drops them from the free stack,
 * from its cached part as well as its list, and they are never handed out:
 *
 *   node 1: [1 TiB, +128 MiB) filled, released (the last 512 frames freed
 *   cached, the rest listed), then [1 TiB + 64 MiB, +64 MiB) offlined
 */
static void test_offline_drops_freed_frames_from_the_free_stack(void **state)
{
	struct cm_platform *p;
	struct cm_mm *mm = dram_and_onlined_cxl(&p);
	struct cm_error err;
	int s;

	(void)state;
	s = cm_mm_space_new(mm, 32000, 0, 0, &bind1, 0);
	assert_int_equal(fill(mm, s, 0, 32000, false), 0);
	cm_mm_space_release(mm, s);
	assert_invariants(mm);
	assert_int_equal(cm_mm_offline(mm, 1, 1024 * GiB + 64 * MiB, 16384, &err), 0);
	assert_invariants(mm);
	s = cm_mm_space_new(mm, 16000, 0, 0, &bind1, 0);
	assert_int_equal(fill(mm, s, 0, 16000, true), 0);
	assert_int_equal(cm_mm_space_resident_on(mm, s, 1), 16000);
	assert_invariants(mm);
	cm_mm_free(mm);
	cm_platform_free(p);
}

/*
 * Both checks of the free lists (the walk and the links' shape) against a
 * corrupted one: 4096 frames of node 0 freed, 512 of them cached and the
 * rest listed, 16 kept in use, then one link changed. The shape check misses only a loop
 * cut off from the list, which the walk finds.
 */
static uint32_t nth_listed(const struct cm_mm *mm, uint32_t n)
{
	uint32_t idx = mm->nodes[0].free_head;

	while (n--)
		idx = mm->frames[idx].link;
	return idx;
}

static void expect_checks(const struct cm_mm *mm, bool walk_fails, bool shape_fails, const char *shape_says)
{
	struct cm_error err = { 0 };

	assert_int_equal(cm_mm_check(mm, &err) != 0, walk_fails);
	memset(&err, 0, sizeof(err));
	assert_int_equal(cm_mm_check_linear(mm, &err) != 0, shape_fails);
	if (shape_says && !strstr(err.msg, shape_says))
		fail_msg("expected \"%s\" in: %s", shape_says, err.msg);
}

static void test_free_list_checks_find_a_broken_link(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, false, 0);
	uint32_t listed = 4096 - MM_FREE_CACHE, head, third, cached, before_last, last, saved, in_use;
	int kept = cm_mm_space_new(mm, 16, 0, 0, &local, 0), s = cm_mm_space_new(mm, 4096, 0, 0, &local, 0);

	(void)state;
	assert_int_equal(fill(mm, kept, 0, 16, false), 0);
	assert_int_equal(fill(mm, s, 0, 4096, false), 0);
	cm_mm_space_release(mm, s);
	in_use = vpt_get(mm, mm->spaces[kept].base);
	assert_int_equal(mm->nodes[0].nr_free_cached, MM_FREE_CACHE);
	head = nth_listed(mm, 0);
	third = nth_listed(mm, 2);
	before_last = nth_listed(mm, listed - 2);
	last = nth_listed(mm, listed - 1);
	cached = mm->nodes[0].free_cache[free_cache_slot(&mm->nodes[0], 0)];
	assert_int_equal(mm->frames[last].link, CM_NIL);
	expect_checks(mm, false, false, NULL);

	/* A listed frame linked to a cached one: the cached frame is on the list too. */
	saved = mm->frames[third].link;
	mm->frames[third].link = cached;
	expect_checks(mm, true, true, "linked to twice");
	/* ... or back to the head: a loop through it. */
	mm->frames[third].link = head;
	expect_checks(mm, true, true, "no other links to");
	/* ... or to a frame in use, or to one never handed out. */
	mm->frames[third].link = in_use;
	expect_checks(mm, true, true, "is not a free frame");
	mm->frames[third].link = mm->nodes[0].segments[0].first + mm->nodes[0].segments[0].fresh;
	expect_checks(mm, true, true, "has not handed out");
	mm->frames[third].link = saved;
	/* The list cut short: its second half is no longer linked from the head. */
	mm->frames[third].link = CM_NIL;
	expect_checks(mm, true, true, "ends");
	mm->frames[third].link = saved;
	expect_checks(mm, false, false, NULL);
	/* The last two frames made a loop of their own: only the walk sees it. */
	mm->frames[nth_listed(mm, listed - 3)].link = CM_NIL;
	mm->frames[last].link = before_last;
	expect_checks(mm, true, false, NULL);
	cm_mm_free(mm);
	cm_platform_free(p);
}

/* memory.events counts in the cgroup that hit its limit and every ancestor below the root. */
static void test_memcg_events_are_hierarchical(void **state)
{
	struct cm_platform *p = dram_cxl();
	struct cm_mm *mm = engine(p, false, 64 * MiB);
	int a = cm_mm_memcg_create(mm, "/a", 0), b = cm_mm_memcg_create(mm, "/a/b", a);
	struct cm_memcg_info ia, ib, root;
	int s;

	(void)state;
	cm_mm_memcg_set_max(mm, b, 1024);
	s = cm_mm_space_new(mm, 4096, 0, b, &local, 0);
	assert_int_equal(fill(mm, s, 0, 4096, true), 0);
	cm_mm_memcg_info(mm, a, &ia);
	cm_mm_memcg_info(mm, b, &ib);
	cm_mm_memcg_info(mm, 0, &root);
	assert_true(ib.events_max > 0);
	assert_int_equal(ia.events_max, ib.events_max);
	assert_int_equal(root.events_max, 0);
	cm_mm_free(mm);
	cm_platform_free(p);
}

/* A policy whose nodes have no memory fails the fault; the OOM killer takes nobody. */
static void test_bind_to_memoryless_node_fails_without_oom_kill(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_mm *mm;
	int other, s;

	(void)state;
	assert_non_null(cm_platform_add_node(p, 1, CM_NODE_CXL));
	tp_ram(p, 0, 4 * GiB, 4 * GiB + 64 * MiB);
	p->tdx.enabled = false;
	tp_finalize(p);
	mm = engine(p, false, 0);
	other = cm_mm_space_new(mm, 1024, 0, 0, &local, 0);
	assert_int_equal(fill(mm, other, 0, 1024, false), 0);
	s = cm_mm_space_new(mm, 16, 0, 0, &bind1, 0);
	assert_int_equal(cm_mm_touch(mm, s, 0, false), -ENOMEM);
	assert_false(cm_mm_space_killed(mm, other));
	assert_int_equal(cm_mm_counter_total(mm, CM_OOM_KILL), 0);
	assert_invariants(mm);
	cm_mm_free(mm);
	cm_platform_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_is_11_bytes),
		cmocka_unit_test(test_frame_tables_at_most_16_bytes_a_frame),
		cmocka_unit_test(test_touch_batch_is_single_touches),
		cmocka_unit_test(test_untouched_virtual_pages_cost_nothing),
		cmocka_unit_test(test_big_rings_grow_and_shrink_exactly),
		cmocka_unit_test(test_watermarks_follow_min_free_kbytes),
		cmocka_unit_test(test_overflowing_dram_demotes_without_swap),
		cmocka_unit_test(test_without_demotion_anon_swaps),
		cmocka_unit_test(test_no_swap_no_demotion_is_oom),
		cmocka_unit_test(test_clean_file_pages_are_dropped),
		cmocka_unit_test(test_memcg_limit_reclaims_without_demoting),
		cmocka_unit_test(test_memcg_limit_without_swap_kills_in_the_cgroup),
		cmocka_unit_test(test_online_memory_changes_demotion_targets),
		cmocka_unit_test(test_offline_migrates_or_is_refused),
		cmocka_unit_test(test_offline_drops_freed_frames_from_the_free_stack),
		cmocka_unit_test(test_accessed_bit_is_in_the_page_table_entry),
		cmocka_unit_test(test_free_list_checks_find_a_broken_link),
		cmocka_unit_test(test_memcg_events_are_hierarchical),
		cmocka_unit_test(test_bind_to_memoryless_node_fails_without_oom_kill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
