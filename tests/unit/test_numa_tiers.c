// SPDX-License-Identifier: MIT
/*
 * Fallback orders, tiers and demotion targets (SPEC 7).
 */
#include <string.h>

#include "helpers.h"
#include "confmem/tiering.h"

/*
 * Memory of node @id that firmware reports as @type (soft-reserved or
 * pmem) and that is hot-added later: device-dax/kmem onlines it.
 */
static void kmem_window(struct cm_platform *p, int id, uint64_t start, uint64_t end, enum cm_e820_type type)
{
	struct cm_hotplug_window w = { start, end - start, id, false };

	assert_int_equal(cm_platform_add_e820(p, start, end, type), 0);
	assert_int_equal(cm_platform_add_hotplug(p, &w), 0);
}

/*
 * The example of mm/memory-tiers.c: nodes 0, 1 with CPUs and DRAM, 2, 3
 * memory-only PMEM onlined through device-dax/kmem.
 *
 *   0 --20-- 1        distances [[10,20,30,40],[20,10,40,30],
 *   |        |                   [30,40,10,40],[40,30,40,10]]
 *   30       30
 *   2        3        expect: 0 -> 2, 1 -> 3, none for 2 and 3
 */
static struct cm_platform *kernel_example(void)
{
	static const unsigned int d[16] = { 10, 20, 30, 40, 20, 10, 40, 30, 30, 40, 10, 40, 40, 30, 40, 10 };
	struct cm_platform *p = tp_new(2);

	assert_non_null(cm_platform_add_node(p, 2, CM_NODE_PMEM));
	assert_non_null(cm_platform_add_node(p, 3, CM_NODE_PMEM));
	tp_ram(p, 0, 4 * GiB, 8 * GiB);
	tp_ram(p, 1, 8 * GiB, 12 * GiB);
	assert_int_equal(cm_platform_add_e820(p, 0, 4 * GiB, CM_E820_RESERVED), 0);
	assert_int_equal(cm_platform_add_e820(p, 4 * GiB, 12 * GiB, CM_E820_USABLE), 0);
	kmem_window(p, 2, 12 * GiB, 16 * GiB, CM_E820_PMEM);
	kmem_window(p, 3, 16 * GiB, 20 * GiB, CM_E820_PMEM);
	assert_int_equal(cm_platform_default_distances(p), 0);
	memcpy(p->distance, d, sizeof(d));
	p->tdx.enabled = false;
	tp_finalize(p);
	return p;
}

/* The boot states with every hot-add window online. */
static void online_states(const struct cm_platform *p, struct cm_node_states *s)
{
	cm_node_states_from_platform(p, s);
	for (size_t i = 0; i < p->nr_hotplug; i++)
		cm_node_set(&s->memory, p->hotplug[i].node);
}

static void compute(const struct cm_platform *p, enum cm_tiering_model model, struct cm_tiering *t)
{
	struct cm_node_states s;

	online_states(p, &s);
	assert_int_equal(cm_tiering_compute(p, &s, model, t), 0);
}

static void test_tiers_model_kernel_example(void **state)
{
	struct cm_platform *p = kernel_example();
	struct cm_tiering t;

	(void)state;
	compute(p, CM_TIERING_TIERS, &t);
	assert_int_equal(t.adistance[0], 576);
	assert_int_equal(t.adistance[2], 2880);
	assert_int_equal(cm_tiering_tier_id(&t, 0), 4);
	assert_int_equal(cm_tiering_tier_id(&t, 1), 4);
	assert_int_equal(cm_tiering_tier_id(&t, 2), 22);
	assert_int_equal(cm_tiering_tier_id(&t, 3), 22);
	assert_int_equal(t.preferred[0], 1ULL << 2);
	assert_int_equal(t.preferred[1], 1ULL << 3);
	assert_int_equal(t.preferred[2], 0);
	assert_int_equal(t.preferred[3], 0);
	assert_int_equal(t.lower_tier[0], (1ULL << 2) | (1ULL << 3));
	assert_true(cm_tiering_is_top_tier(&t, 0));
	assert_false(cm_tiering_is_top_tier(&t, 2));
	assert_true(tp_log_has(&t.log, "Demotion targets for Node 0: preferred: 2, fallback: 2-3"));
	assert_true(tp_log_has(&t.log, "Demotion targets for Node 1: preferred: 3, fallback: 2-3"));
	assert_true(tp_log_has(&t.log, "Demotion targets for Node 2: null"));
	cm_tiering_free(&t);
	cm_platform_free(p);
}

static void test_distance_model_kernel_example(void **state)
{
	struct cm_platform *p = kernel_example();
	struct cm_tiering t;

	(void)state;
	compute(p, CM_TIERING_DISTANCE, &t);
	assert_int_equal(t.preferred[0], 1ULL << 2);
	assert_int_equal(t.preferred[1], 1ULL << 3);
	assert_int_equal(t.preferred[2], 0);
	assert_int_equal(t.preferred[3], 0);
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/*
 * node_load: within a list, each node at a new distance from the owner gets
 * +1. At boot no CPU is mapped to its node yet, so find_next_best_node()
 * adds no CPU penalty (what a 6.12 kernel prints under QEMU).
 */
static void test_boot_fallback_order_has_no_cpu_penalty(void **state)
{
	struct cm_platform *p = kernel_example();
	struct cm_tiering t;

	(void)state;
	compute(p, CM_TIERING_TIERS, &t);
	assert_true(tp_log_has(&t.log, "Fallback order for Node 0: 0 1 2 3"));
	assert_true(tp_log_has(&t.log, "Fallback order for Node 1: 1 0 3 2"));
	/* Node 2: 0 scores 30 + 1 (below 2), 3 scores 40, 1 scores 40 + 1. */
	assert_true(tp_log_has(&t.log, "Fallback order for Node 2: 2 0 3 1"));
	/* Node 3: 1 (30 + 1), then 0 and 2 tie at 40 + 1 with load 2: the lower id. */
	assert_true(tp_log_has(&t.log, "Fallback order for Node 3: 3 1 0 2"));
	assert_int_equal(t.nr_fallback[3], 4);
	/* Lists 0..3 bump 1 2 3 | 0 3 2 | 0 3 | 1 0. */
	assert_int_equal(t.node_load[0], 3);
	assert_int_equal(t.node_load[1], 2);
	assert_int_equal(t.node_load[2], 2);
	assert_int_equal(t.node_load[3], 3);
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/* Zonelists rebuilt at run time (memory online) see the CPUs: 0 gets +1 from node 3. */
static void test_runtime_fallback_order_has_cpu_penalty(void **state)
{
	struct cm_platform *p = kernel_example();
	struct cm_node_states s;
	struct cm_tiering t;

	(void)state;
	online_states(p, &s);
	assert_int_equal(cm_tiering_compute_as(p, &s, CM_TIERING_TIERS, CM_CPUS_MAPPED, &t), 0);
	assert_true(tp_log_has(&t.log, "Fallback order for Node 3: 3 1 2 0"));
	assert_int_equal(t.node_load[0], 2);
	assert_int_equal(t.node_load[3], 3);
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/* Two targets at the same distance are both preferred. */
static void test_preferred_keeps_equal_distance_targets(void **state)
{
	static const unsigned int d[9] = { 10, 30, 30, 30, 10, 40, 30, 40, 10 };
	struct cm_platform *p = tp_new(1);
	struct cm_tiering t;

	(void)state;
	assert_non_null(cm_platform_add_node(p, 1, CM_NODE_CXL));
	assert_non_null(cm_platform_add_node(p, 2, CM_NODE_CXL));
	tp_ram(p, 0, 4 * GiB, 8 * GiB);
	assert_int_equal(cm_platform_add_e820(p, 0, 4 * GiB, CM_E820_RESERVED), 0);
	assert_int_equal(cm_platform_add_e820(p, 4 * GiB, 8 * GiB, CM_E820_USABLE), 0);
	kmem_window(p, 1, 8 * GiB, 12 * GiB, CM_E820_SOFT_RESERVED);
	kmem_window(p, 2, 12 * GiB, 16 * GiB, CM_E820_SOFT_RESERVED);
	assert_int_equal(cm_platform_default_distances(p), 0);
	memcpy(p->distance, d, sizeof(d));
	tp_finalize(p);
	compute(p, CM_TIERING_TIERS, &t);
	assert_int_equal(t.preferred[0], (1ULL << 1) | (1ULL << 2));
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/* HMAT: adist = 576 * (rl + wl) / (ref_rl + ref_wl) * (ref_rb + ref_wb) / (rb + wb). */
static void test_adistance_from_hmat(void **state)
{
	struct cm_platform *p = kernel_example();
	struct cm_tiering t;

	(void)state;
	for (int i = 0; i < 2; i++)
		p->nodes[i].hmat = (struct cm_hmat){ true, 80, 80, 100000, 100000 };
	p->nodes[2].hmat = (struct cm_hmat){ true, 250, 250, 30000, 30000 };
	p->nodes[3].adistance = 700;
	compute(p, CM_TIERING_TIERS, &t);
	assert_true(t.hmat_used);
	assert_int_equal(t.adistance[0], 576);
	/* 576 * 500 / 160 = 1800; 1800 * 200000 / 60000 = 6000. */
	assert_int_equal(t.adistance[2], 6000);
	assert_int_equal(t.adistance[3], 700);
	/* Tiers 4 (0,1), 5 (3), 46 (2): 0 and 1 demote to 3, 3 to 2. */
	assert_int_equal(t.preferred[0], 1ULL << 3);
	assert_int_equal(t.preferred[3], 1ULL << 2);
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/*
 * HMAT applies to CPU nodes too: node 1, 6% slower than the reference on
 * latency and bandwidth (within 10% on each value), is 576 * 170 / 160 =
 * 612, * 200000 / 188000 = 651: memory_tier5, so node 0 demotes to it.
 */
static void test_hmat_applies_to_cpu_nodes(void **state)
{
	struct cm_platform *p = kernel_example();
	struct cm_tiering t;

	(void)state;
	p->nodes[0].hmat = (struct cm_hmat){ true, 80, 80, 100000, 100000 };
	p->nodes[1].hmat = (struct cm_hmat){ true, 85, 85, 94000, 94000 };
	compute(p, CM_TIERING_TIERS, &t);
	assert_true(t.hmat_used);
	assert_int_equal(t.adistance[1], 651);
	assert_int_equal(cm_tiering_tier_id(&t, 1), 5);
	assert_int_equal(t.adistance[2], 2880);	/* no data: how it arrived */
	assert_int_equal(t.preferred[0], 1ULL << 1);
	/* The slowest tier with a CPU node is 5: both CPU nodes are top tier. */
	assert_true(cm_tiering_is_top_tier(&t, 0));
	assert_true(cm_tiering_is_top_tier(&t, 1));
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/*
 * A node with CPUs and memory more than 10% off the first one: the kernel
 * prints its mismatch lines and uses HMAT for no node.
 */
static void test_hmat_mismatch_disables_it_for_all(void **state)
{
	struct cm_platform *p = kernel_example();
	struct cm_tiering t;

	(void)state;
	p->nodes[0].hmat = (struct cm_hmat){ true, 80, 80, 100000, 100000 };
	p->nodes[1].hmat = (struct cm_hmat){ true, 100, 80, 100000, 100000 };
	p->nodes[2].hmat = (struct cm_hmat){ true, 250, 250, 30000, 30000 };
	compute(p, CM_TIERING_TIERS, &t);
	assert_false(t.hmat_used);
	assert_int_equal(t.adistance[1], 576);
	assert_int_equal(t.adistance[2], 2880);
	assert_true(tp_log_has(&t.log, "memory-tiers: the performance of DRAM node 1 mismatches that of the "
			       "reference"));
	assert_true(tp_log_has(&t.log, "DRAM node 0."));
	assert_true(tp_log_has(&t.log, "  performance of reference DRAM node 0 from ACPI HMAT:"));
	assert_true(tp_log_has(&t.log, "    read_latency: 100, write_latency: 80, read_bandwidth: 100000, "
			       "write_bandwidth: 100000"));
	assert_true(tp_log_has(&t.log, "  disable default DRAM node performance based abstract distance "
			       "algorithm."));
	cm_tiering_free(&t);
	/* A node with CPUs and memory but no data: no reference either, and no message. */
	p->nodes[1].hmat.present = false;
	compute(p, CM_TIERING_TIERS, &t);
	assert_false(t.hmat_used);
	assert_false(tp_log_contains(&t.log, "mismatches"));
	assert_int_equal(t.adistance[2], 2880);
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/*
 * The reference is the nodes with CPUs and memory, not the dram kind: a
 * memoryless CPU node 0 does not count, node 1 (CPUs, DRAM) is the
 * reference, and the memory-only dram node 2, twice as slow, is 1152.
 */
static void test_hmat_reference_is_cpu_and_memory_nodes(void **state)
{
	static const unsigned int d[9] = { 10, 20, 20, 20, 10, 20, 20, 20, 10 };
	struct cm_platform *p = tp_new(2);
	struct cm_tiering t;

	(void)state;
	assert_non_null(cm_platform_add_node(p, 2, CM_NODE_DRAM));
	tp_ram(p, 1, 4 * GiB, 5 * GiB);
	tp_ram(p, 2, 5 * GiB, 6 * GiB);
	p->nodes[0].hmat = (struct cm_hmat){ true, 10, 10, 900000, 900000 };
	p->nodes[1].hmat = (struct cm_hmat){ true, 80, 80, 100000, 100000 };
	p->nodes[2].hmat = (struct cm_hmat){ true, 160, 160, 100000, 100000 };
	assert_int_equal(cm_platform_default_distances(p), 0);
	memcpy(p->distance, d, sizeof(d));
	p->tdx.enabled = false;
	tp_finalize(p);
	compute(p, CM_TIERING_TIERS, &t);
	assert_true(t.hmat_used);
	assert_int_equal(t.adistance[0], -1);
	assert_int_equal(t.adistance[1], 576);
	assert_int_equal(t.adistance[2], 1152);
	assert_int_equal(t.preferred[1], 1ULL << 2);
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/*
 * 64-bit arithmetic: with fast DRAM (2,000,000 MB/s each way) 1800 *
 * 4,000,000 does not fit 32 bits; the kernel's long gives 9000 (tier 70),
 * the 32-bit form 3631.
 */
static void test_hmat_arithmetic_is_64_bit(void **state)
{
	struct cm_platform *p = kernel_example();
	struct cm_tiering t;

	(void)state;
	for (int i = 0; i < 2; i++)
		p->nodes[i].hmat = (struct cm_hmat){ true, 80, 80, 2000000, 2000000 };
	p->nodes[2].hmat = (struct cm_hmat){ true, 250, 250, 400000, 400000 };
	compute(p, CM_TIERING_TIERS, &t);
	assert_int_equal(t.adistance[2], 9000);
	assert_int_equal(cm_tiering_tier_id(&t, 2), 70);
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/*
 * The default abstract distance comes from how the memory arrived, never
 * from the kind: boot RAM is 576 even on a memory-only cxl node; memory
 * in a soft-reserved (or pmem) window is onlined by kmem: 2880; a window
 * the e820 map does not mark is ACPI memory hot-add: 576.
 */
static void test_default_adistance_from_how_memory_arrived(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_hotplug_window acpi = { 24 * GiB, 4 * GiB, 3, false };
	struct cm_tiering t;

	(void)state;
	assert_non_null(cm_platform_add_node(p, 1, CM_NODE_CXL));
	assert_non_null(cm_platform_add_node(p, 2, CM_NODE_CXL));
	assert_non_null(cm_platform_add_node(p, 3, CM_NODE_DRAM));
	tp_ram(p, 0, 4 * GiB, 8 * GiB);
	tp_ram(p, 1, 8 * GiB, 12 * GiB);
	assert_int_equal(cm_platform_add_e820(p, 0, 4 * GiB, CM_E820_RESERVED), 0);
	assert_int_equal(cm_platform_add_e820(p, 4 * GiB, 12 * GiB, CM_E820_USABLE), 0);
	kmem_window(p, 2, 16 * GiB, 20 * GiB, CM_E820_SOFT_RESERVED);
	assert_int_equal(cm_platform_add_hotplug(p, &acpi), 0);
	assert_int_equal(cm_platform_default_distances(p), 0);
	p->tdx.enabled = false;
	tp_finalize(p);
	compute(p, CM_TIERING_TIERS, &t);
	assert_int_equal(t.adistance[0], 576);
	assert_int_equal(t.adistance[1], 576);	/* boot RAM, whatever its kind */
	assert_int_equal(t.adistance[2], 2880);	/* device-dax/kmem */
	assert_int_equal(t.adistance[3], 576);	/* ACPI hot-add */
	assert_int_equal(t.preferred[0], 1ULL << 2);
	assert_int_equal(t.preferred[1], 1ULL << 2);
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/*
 * tests/qemu topologies 16 and 17: CPU nodes 0 and 1 and memory-only node 3
 * with boot RAM, node 2 soft-reserved and onlined by kmem after boot, with
 * distances @d; the states after the online.
 */
static struct cm_platform *kmem_topology(const unsigned int *d, struct cm_node_states *s)
{
	struct cm_platform *p = tp_new(2);

	assert_non_null(cm_platform_add_node(p, 2, CM_NODE_CXL));
	assert_non_null(cm_platform_add_node(p, 3, CM_NODE_CXL));
	tp_ram(p, 0, 1 * MiB, 256 * MiB);
	tp_ram(p, 1, 256 * MiB, 384 * MiB);
	tp_ram(p, 3, 512 * MiB, 576 * MiB);
	assert_int_equal(cm_platform_add_e820(p, 0, 1 * MiB, CM_E820_RESERVED), 0);
	assert_int_equal(cm_platform_add_e820(p, 1 * MiB, 384 * MiB, CM_E820_USABLE), 0);
	kmem_window(p, 2, 384 * MiB, 512 * MiB, CM_E820_SOFT_RESERVED);
	assert_int_equal(cm_platform_add_e820(p, 512 * MiB, 576 * MiB, CM_E820_USABLE), 0);
	assert_int_equal(cm_platform_default_distances(p), 0);
	memcpy(p->distance, d, 16 * sizeof(*d));
	p->tdx.enabled = false;
	tp_finalize(p);
	online_states(p, s);
	return p;
}

/*
 * Topology 16 as the 6.12 kernel printed it after kmem onlined node 2: the
 * zonelists rebuilt, node 2 at 2880 (memory_tier22), every other node
 * demoting to it, node 3's boot RAM at 576.
 *
 *   [0] -14- 2      distances 0-1 20, 0-2 14, 0-3 24, 1-2 24, 1-3 14, 2-3 26
 *    |20
 *   [1] -14- 3
 */
static void test_kmem_online_as_the_kernel_printed_it(void **state)
{
	static const unsigned int d[16] = { 10, 20, 14, 24, 20, 10, 24, 14, 14, 24, 10, 26, 24, 14, 26, 10 };
	struct cm_node_states s;
	struct cm_platform *p = kmem_topology(d, &s);
	struct cm_tiering t;

	(void)state;
	assert_int_equal(cm_tiering_compute_as(p, &s, CM_TIERING_TIERS, CM_CPUS_MAPPED, &t), 0);
	assert_true(tp_log_has(&t.log, "Fallback order for Node 0: 0 2 1 3"));
	assert_true(tp_log_has(&t.log, "Fallback order for Node 1: 1 3 0 2"));
	assert_true(tp_log_has(&t.log, "Fallback order for Node 2: 2 0 1 3"));
	assert_true(tp_log_has(&t.log, "Fallback order for Node 3: 3 1 0 2"));
	assert_int_equal(cm_tiering_tier_id(&t, 2), 22);
	assert_int_equal(cm_tiering_tier_id(&t, 3), 4);
	assert_true(tp_log_has(&t.log, "Demotion targets for Node 0: preferred: 2, fallback: 2"));
	assert_true(tp_log_has(&t.log, "Demotion targets for Node 3: preferred: 2, fallback: 2"));
	assert_true(tp_log_has(&t.log, "Demotion targets for Node 2: null"));
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/*
 * Topology 17: nodes 1 (CPUs) and 2 (kmem) both at 20 from node 0. The
 * kernel's rebuilt list is "0 2 1 3": the CPU penalty applies at run time
 * (without it the tie would go to the lower id, "0 1 2 3").
 */
static void test_kmem_online_rebuild_has_cpu_penalty(void **state)
{
	static const unsigned int d[16] = { 10, 20, 20, 30, 20, 10, 30, 20, 20, 30, 10, 20, 30, 20, 20, 10 };
	struct cm_node_states s;
	struct cm_platform *p = kmem_topology(d, &s);
	struct cm_tiering t;

	(void)state;
	assert_int_equal(cm_tiering_compute_as(p, &s, CM_TIERING_TIERS, CM_CPUS_MAPPED, &t), 0);
	assert_true(tp_log_has(&t.log, "Fallback order for Node 0: 0 2 1 3"));
	assert_true(tp_log_has(&t.log, "Fallback order for Node 1: 1 3 0 2"));
	assert_true(tp_log_has(&t.log, "Fallback order for Node 2: 2 3 0 1"));
	assert_true(tp_log_has(&t.log, "Fallback order for Node 3: 3 2 1 0"));
	cm_tiering_free(&t);
	assert_int_equal(cm_tiering_compute_as(p, &s, CM_TIERING_TIERS, CM_CPUS_UNMAPPED, &t), 0);
	assert_true(tp_log_has(&t.log, "Fallback order for Node 0: 0 1 2 3"));
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/* A memory-only node without memory (its window not yet onlined) is no target. */
static void test_node_without_memory_is_no_target(void **state)
{
	struct cm_platform *p = kernel_example();
	struct cm_node_states s;
	struct cm_tiering t;

	(void)state;
	online_states(p, &s);
	s.memory &= ~(1ULL << 2);
	assert_int_equal(cm_tiering_compute(p, &s, CM_TIERING_TIERS, &t), 0);
	assert_int_equal(t.preferred[0], 1ULL << 3);	/* the next best in the lower tier */
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/* Nodes 0..nr-1, each with 1 GiB of boot DRAM; CPUs on @cpu_node only (-1: none). */
static struct cm_platform *dram_nodes(int nr, int cpu_node, const unsigned int *d)
{
	struct cm_platform *p = tp_new(0);

	for (int i = 0; i < nr; i++) {
		struct cm_node *n = cm_platform_add_node(p, i, CM_NODE_DRAM);

		assert_non_null(n);
		if (i == cpu_node)
			cm_bitmap_set(&n->cpus, 0);
		tp_ram(p, i, (4 + (uint64_t)i) * GiB, (5 + (uint64_t)i) * GiB);
	}
	assert_int_equal(cm_platform_default_distances(p), 0);
	memcpy(p->distance, d, (size_t)nr * (size_t)nr * sizeof(*d));
	p->tdx.enabled = false;
	tp_finalize(p);
	return p;
}

/*
 * 5.15's distance model (issue 8): four 1 GiB DRAM nodes, CPUs on node 1.
 *
 *        0               distances [[10,20,20,20],
 *      / | \                        [20,10,30,20],
 *    20  20  20                     [20,30,10,20],
 *    /   |    \                     [20,20,20,10]]
 *  [1]---20---3          (1 -- 2 is 30; [1] has the CPUs)
 *    \        /
 *     30    20           expect: 1 -> 3, 3 -> 2, 2 -> 0
 *       \  /
 *        2
 *
 * build_zonelists() leaves node_load[node] = load, load counting down from
 * nr_online_nodes (4) in each list: lists 0..3 end with loads 0:3 1:1 2:1
 * 3:3. From 3, nodes 0 and 2 score alike (20 + 1 for being below 3); node
 * 2's lower load picks it. (6.x's += 1 would leave 0:1 2:2 and pick 0.)
 */
static void test_distance_model_5_15_node_load(void **state)
{
	static const unsigned int d[16] = { 10, 20, 20, 20, 20, 10, 30, 20, 20, 30, 10, 20, 20, 20, 20, 10 };
	struct cm_platform *p = dram_nodes(4, 1, d);
	struct cm_tiering t;

	(void)state;
	compute(p, CM_TIERING_DISTANCE, &t);
	assert_int_equal(t.node_load[0], 3);
	assert_int_equal(t.node_load[1], 1);
	assert_int_equal(t.node_load[2], 1);
	assert_int_equal(t.node_load[3], 3);
	assert_int_equal(t.preferred[1], 1ULL << 3);
	assert_int_equal(t.preferred[3], 1ULL << 2);
	assert_int_equal(t.preferred[2], 1ULL << 0);
	assert_int_equal(t.preferred[0], 0);
	assert_true(tp_log_has(&t.log, "Demotion targets for Node 1: preferred: 3, fallback: "));
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/*
 * v6.8's N_MEMORY check: a memoryless node is not its own first choice.
 *
 *   [0] --20-- 1         [0]: CPUs, no memory; 1: 1 GiB, no CPUs
 *
 *   expect (tiers):    "Fallback order for Node 0: 1"
 *   expect (distance): "Fallback order for Node 0: 0 1" (5.15 lists it)
 */
static void test_memoryless_node_skips_itself(void **state)
{
	struct cm_platform *p = tp_new(1);
	struct cm_tiering t;

	(void)state;
	assert_non_null(cm_platform_add_node(p, 1, CM_NODE_DRAM));
	tp_ram(p, 1, 4 * GiB, 5 * GiB);
	assert_int_equal(cm_platform_default_distances(p), 0);
	p->tdx.enabled = false;
	tp_finalize(p);
	compute(p, CM_TIERING_TIERS, &t);
	assert_true(tp_log_has(&t.log, "Fallback order for Node 0: 1"));
	assert_true(tp_log_has(&t.log, "Fallback order for Node 1: 1"));
	assert_int_equal(t.node_load[1], 1);
	cm_tiering_free(&t);
	compute(p, CM_TIERING_DISTANCE, &t);
	assert_true(tp_log_has(&t.log, "Fallback order for Node 0: 0 1"));
	cm_tiering_free(&t);
	cm_platform_free(p);
}

/*
 * SLIT 255 means unreachable; the kernel uses the value as given, so the
 * node comes last in the fallback order and is still listed.
 *
 *   [0] --20-- 1 --20-- 2      0 -- 2 is 255
 *
 *   expect: "Fallback order for Node 0: 0 1 2"
 */
static void test_slit_255_comes_last(void **state)
{
	static const unsigned int d[9] = { 10, 20, 255, 20, 10, 20, 255, 20, 10 };
	struct cm_platform *p = dram_nodes(3, 0, d);
	struct cm_tiering t;

	(void)state;
	compute(p, CM_TIERING_TIERS, &t);
	assert_true(tp_log_has(&t.log, "Fallback order for Node 0: 0 1 2"));
	assert_true(tp_log_has(&t.log, "Fallback order for Node 2: 2 1 0"));
	cm_tiering_free(&t);
	compute(p, CM_TIERING_DISTANCE, &t);
	assert_int_equal(t.preferred[0], 1ULL << 1);
	assert_int_equal(t.preferred[1], 1ULL << 2);
	cm_tiering_free(&t);
	cm_platform_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tiers_model_kernel_example),
		cmocka_unit_test(test_distance_model_kernel_example),
		cmocka_unit_test(test_boot_fallback_order_has_no_cpu_penalty),
		cmocka_unit_test(test_runtime_fallback_order_has_cpu_penalty),
		cmocka_unit_test(test_preferred_keeps_equal_distance_targets),
		cmocka_unit_test(test_adistance_from_hmat),
		cmocka_unit_test(test_hmat_applies_to_cpu_nodes),
		cmocka_unit_test(test_hmat_mismatch_disables_it_for_all),
		cmocka_unit_test(test_hmat_reference_is_cpu_and_memory_nodes),
		cmocka_unit_test(test_hmat_arithmetic_is_64_bit),
		cmocka_unit_test(test_default_adistance_from_how_memory_arrived),
		cmocka_unit_test(test_kmem_online_as_the_kernel_printed_it),
		cmocka_unit_test(test_kmem_online_rebuild_has_cpu_penalty),
		cmocka_unit_test(test_node_without_memory_is_no_target),
		cmocka_unit_test(test_distance_model_5_15_node_load),
		cmocka_unit_test(test_memoryless_node_skips_itself),
		cmocka_unit_test(test_slit_255_comes_last),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
