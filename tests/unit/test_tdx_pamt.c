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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_zonelist_has_no_cpu_penalty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
