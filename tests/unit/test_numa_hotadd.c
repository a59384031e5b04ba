// SPDX-License-Identifier: MIT
/*
 * Run-time hot-add as 6.12 prints and tiers it (SPEC 5, 7): the zonelist
 * lines of hotadd_init_pgdat() and of the first online_pages(), and a
 * hot-added node's default abstract distance by how its memory arrived.
 */
#include <string.h>

#include "helpers.h"
#include "confmem/tiering.h"

/*
 *   node 0: CPUs, DRAM [4G, 5G)        node 1: no CPUs, no boot RAM,
 *   distance 20                         hot-plug window [64G, +2G) @window_type
 */
static struct cm_platform *dram_and_empty_node(enum cm_e820_type window_type)
{
	struct cm_platform *p = tp_new(1);
	struct cm_hotplug_window w = { .start = 64 * GiB, .size = 2 * GiB, .node = 1 };

	assert_non_null(cm_platform_add_node(p, 1, CM_NODE_CXL));
	tp_ram(p, 0, 4 * GiB, 5 * GiB);
	assert_int_equal(cm_platform_add_e820(p, 4 * GiB, 5 * GiB, CM_E820_USABLE), 0);
	assert_int_equal(cm_platform_add_e820(p, 64 * GiB, 66 * GiB, window_type), 0);
	assert_int_equal(cm_platform_add_hotplug(p, &w), 0);
	p->tdx.enabled = false;
	tp_finalize(p);
	return p;
}

static struct cm_node_states states_with_memory(cm_nodemask_t memory)
{
	struct cm_node_states s = { .possible = 0x3, .memory = memory, .cpu = 0x1 };

	return s;
}

/* At add_memory() node 1 is not online: only its own list, and one online node. */
static void test_add_builds_the_new_nodes_zonelist_alone(void **state)
{
	struct cm_platform *p = dram_and_empty_node(CM_E820_SOFT_RESERVED);
	struct cm_node_states s = states_with_memory(0x1);
	struct cm_log log = { 0 };

	(void)state;
	assert_int_equal(cm_zonelists_log(p, &s, 1, 1000, "DMA32", &log), 0);
	assert_int_equal(log.nr_lines, 3);
	assert_string_equal(log.lines[0].text, "Fallback order for Node 1: 0");
	assert_string_equal(log.lines[1].text, "Built 1 zonelists, mobility grouping on.  Total pages: 1000");
	assert_string_equal(log.lines[2].text, "Policy zone: DMA32");
	cm_log_free(&log);
	cm_platform_free(p);
}

/* The first block online: every possible node's list, node 1 now first in its own. */
static void test_first_online_rebuilds_every_zonelist(void **state)
{
	struct cm_platform *p = dram_and_empty_node(CM_E820_SOFT_RESERVED);
	struct cm_node_states s = states_with_memory(0x3);
	struct cm_log log = { 0 };

	(void)state;
	assert_int_equal(cm_zonelists_log(p, &s, CM_NUMA_NO_NODE, 2000, "Normal", &log), 0);
	assert_int_equal(log.nr_lines, 4);
	assert_string_equal(log.lines[0].text, "Fallback order for Node 0: 0 1");
	assert_string_equal(log.lines[1].text, "Fallback order for Node 1: 1 0");
	assert_string_equal(log.lines[2].text, "Built 2 zonelists, mobility grouping on.  Total pages: 2000");
	assert_string_equal(log.lines[3].text, "Policy zone: Normal");
	cm_log_free(&log);
	cm_platform_free(p);
}

static int adistance_of_node1(const struct cm_platform *p, cm_nodemask_t via_acpi, cm_nodemask_t via_kmem)
{
	struct cm_node_states s = states_with_memory(0x3);
	struct cm_tiering t;
	int adist;

	s.via_acpi = via_acpi;
	s.via_kmem = via_kmem;
	assert_int_equal(cm_tiering_compute_as(p, &s, CM_TIERING_TIERS, CM_CPUS_MAPPED, &t), 0);
	adist = t.adistance[1];
	cm_tiering_free(&t);
	return adist;
}

/* Without HMAT: how the memory arrived, else the window's e820 type. */
static void test_hotadded_node_adistance_follows_how_memory_arrived(void **state)
{
	struct cm_platform *soft = dram_and_empty_node(CM_E820_SOFT_RESERVED);
	struct cm_platform *usable = dram_and_empty_node(CM_E820_RESERVED);

	(void)state;
	assert_int_equal(adistance_of_node1(soft, 0, 0), CM_MEMTIER_DEFAULT_DAX_ADISTANCE);
	assert_int_equal(adistance_of_node1(soft, 0x2, 0), CM_MEMTIER_ADISTANCE_DRAM);
	assert_int_equal(adistance_of_node1(usable, 0, 0), CM_MEMTIER_ADISTANCE_DRAM);
	assert_int_equal(adistance_of_node1(usable, 0, 0x2), CM_MEMTIER_DEFAULT_DAX_ADISTANCE);
	cm_platform_free(soft);
	cm_platform_free(usable);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_builds_the_new_nodes_zonelist_alone),
		cmocka_unit_test(test_first_online_rebuilds_every_zonelist),
		cmocka_unit_test(test_hotadded_node_adistance_follows_how_memory_arrived),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
