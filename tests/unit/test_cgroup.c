// SPDX-License-Identifier: MIT
/*
 * The cgroup tree and its page counter: a charge walks to the root and
 * rolls back on the level that refuses it; peaks; limit changes; failure
 * events at the right levels; the tree's paths, parents and children.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "confmem/cgroup.h"

/*
 * root (no limit) - a (max 10) - b (max 5)
 */
struct chain {
	struct cm_page_counter root, a, b;
};

static void chain_init(struct chain *c)
{
	cm_page_counter_init(&c->root, NULL, CM_CGROUP_MAX);
	cm_page_counter_init(&c->a, &c->root, 10);
	cm_page_counter_init(&c->b, &c->a, 5);
}

/* Expect: every level from b to the root holds the pages. */
static void test_charge_raises_every_level_to_the_root(void **state)
{
	struct cm_page_counter *fail = &(struct cm_page_counter){ 0 };
	struct chain c;

	(void)state;
	chain_init(&c);
	assert_true(cm_page_counter_try_charge(&c.b, 3, &fail));
	assert_null(fail);
	assert_int_equal(c.b.usage, 3);
	assert_int_equal(c.a.usage, 3);
	assert_int_equal(c.root.usage, 3);
}

/*
 * a holds 8 of its 10 through a sibling; b asks for 4 (within its own 5).
 * Expect: a refuses, b is rolled back, the root was never charged.
 */
static void test_refused_charge_rolls_back_and_names_the_level(void **state)
{
	struct cm_page_counter *fail = NULL;
	struct chain c;

	(void)state;
	chain_init(&c);
	cm_page_counter_charge(&c.a, 8);
	assert_false(cm_page_counter_try_charge(&c.b, 4, &fail));
	assert_ptr_equal(fail, &c.a);
	assert_int_equal(c.b.usage, 0);
	assert_int_equal(c.a.usage, 8);
	assert_int_equal(c.root.usage, 8);
}

/* Expect: the lowest level over its max is the one named, even when a higher one is over too. */
static void test_lowest_refusing_level_is_named(void **state)
{
	struct cm_page_counter *fail = NULL;
	struct chain c;

	(void)state;
	chain_init(&c);
	cm_page_counter_charge(&c.b, 5);
	cm_page_counter_charge(&c.a, 5);
	assert_false(cm_page_counter_try_charge(&c.b, 1, &fail));
	assert_ptr_equal(fail, &c.b);
	assert_ptr_equal(cm_page_counter_limit_hit(&c.b, 1), &c.b);
}

/* Expect: uncharge lowers every level; the watermark keeps the highest usage. */
static void test_peak_keeps_the_highest_usage(void **state)
{
	struct cm_page_counter *fail;
	struct chain c;

	(void)state;
	chain_init(&c);
	assert_true(cm_page_counter_try_charge(&c.b, 4, &fail));
	cm_page_counter_uncharge(&c.b, 3);
	assert_true(cm_page_counter_try_charge(&c.b, 1, &fail));
	assert_int_equal(c.b.usage, 2);
	assert_int_equal(c.b.watermark, 4);
	assert_int_equal(c.root.usage, 2);
	assert_int_equal(c.root.watermark, 4);
}

/* Expect: a charge refused higher up leaves no peak behind in the levels rolled back. */
static void test_refused_charge_leaves_no_peak(void **state)
{
	struct cm_page_counter *fail;
	struct chain c;

	(void)state;
	chain_init(&c);
	cm_page_counter_charge(&c.a, 10);
	assert_false(cm_page_counter_try_charge(&c.b, 2, &fail));
	assert_int_equal(c.b.watermark, 0);
}

/* Expect: failcnt (events.local) only at the refusing level; events_max there and above, not on the root. */
static void test_failure_events_count_up_to_below_the_root(void **state)
{
	struct cm_page_counter *fail;
	struct chain c;

	(void)state;
	chain_init(&c);
	c.root.max = 3;
	cm_page_counter_charge(&c.b, 3);
	assert_false(cm_page_counter_try_charge(&c.b, 1, &fail));
	assert_ptr_equal(fail, &c.root);
	assert_int_equal(c.root.failcnt, 1);
	assert_int_equal(c.root.events_max, 0);
	assert_int_equal(c.b.failcnt + c.a.failcnt, 0);
	assert_int_equal(c.b.events_max + c.a.events_max, 0);
	c.root.max = CM_CGROUP_MAX;
	cm_page_counter_charge(&c.b, 2);
	assert_false(cm_page_counter_try_charge(&c.b, 1, &fail));
	assert_ptr_equal(fail, &c.b);
	assert_int_equal(c.b.failcnt, 1);
	assert_int_equal(c.a.failcnt, 0);
	assert_int_equal(c.b.events_max, 1);
	assert_int_equal(c.a.events_max, 1);
	assert_int_equal(c.root.events_max, 0);
}

/* Expect: a max lowered below the usage refuses the next charge and takes nothing away. */
static void test_limit_below_usage_refuses_new_charges(void **state)
{
	struct cm_page_counter *fail;
	struct chain c;

	(void)state;
	chain_init(&c);
	cm_page_counter_charge(&c.b, 4);
	c.b.max = 2;
	assert_int_equal(c.b.usage, 4);
	assert_false(cm_page_counter_try_charge(&c.b, 1, &fail));
	assert_ptr_equal(fail, &c.b);
	assert_int_equal(cm_page_counter_lowest_max(&c.b), 2);
	c.b.max = CM_CGROUP_MAX;
	assert_true(cm_page_counter_try_charge(&c.b, 1, &fail));
	assert_int_equal(cm_page_counter_lowest_max(&c.b), 10);
}

/* Expect: "max" admits any charge. */
static void test_unlimited_counter_never_refuses(void **state)
{
	struct cm_page_counter root, *fail;

	(void)state;
	cm_page_counter_init(&root, NULL, CM_CGROUP_MAX);
	assert_true(cm_page_counter_try_charge(&root, UINT64_MAX / 2, &fail));
	assert_null(cm_page_counter_limit_hit(&root, 1));
}

/* ---- the tree ---- */

struct seen {
	int ids[8];
	int nr;
	int refuse_from;
};

static int record_online(void *owner, struct cm_cgroup *cgroup)
{
	struct seen *s = owner;

	if (cgroup->id >= s->refuse_from)
		return -ENOSPC;
	s->ids[s->nr++] = cgroup->id;
	return 0;
}

static const struct cm_cgroup_controller_ops record_ops = { .online = record_online };

/*
 *   /  -  /a  -  /a/b
 *      \- /c
 * Expect: ids in creation order, parents and children linked, counters chained.
 */
static void test_tree_links_parents_children_and_counters(void **state)
{
	struct cm_cgroup_tree *tree;
	int a, b, c;

	(void)state;
	assert_int_equal(cm_cgroup_tree_new(&tree), 0);
	a = cm_cgroup_create(tree, "/a", 0);
	b = cm_cgroup_create(tree, "/a/b", a);
	c = cm_cgroup_create(tree, "/c", 0);
	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	assert_int_equal(c, 3);
	assert_int_equal(cm_cgroup_find(tree, "/a/b"), b);
	assert_int_equal(cm_cgroup_find(tree, "/"), 0);
	assert_int_equal(cm_cgroup_find(tree, "/x"), -1);
	assert_ptr_equal(cm_cgroup_get(tree, b)->parent, cm_cgroup_get(tree, a));
	assert_ptr_equal(cm_cgroup_get(tree, 0)->first_child, cm_cgroup_get(tree, a));
	assert_ptr_equal(cm_cgroup_get(tree, a)->next_sibling, cm_cgroup_get(tree, c));
	assert_ptr_equal(cm_cgroup_get(tree, b)->memory.memory.parent, &cm_cgroup_get(tree, a)->memory.memory);
	assert_ptr_equal(cm_cgroup_get(tree, b)->misc.res[CM_MISC_SGX_EPC].parent,
			 &cm_cgroup_get(tree, a)->misc.res[CM_MISC_SGX_EPC]);
	assert_ptr_equal(cm_cgroup_of_memory(&cm_cgroup_get(tree, b)->memory.memory), cm_cgroup_get(tree, b));
	assert_ptr_equal(cm_cgroup_of_misc(&cm_cgroup_get(tree, c)->misc.res[CM_MISC_SGX_EPC], CM_MISC_SGX_EPC),
			 cm_cgroup_get(tree, c));
	assert_true(cm_cgroup_is_descendant(tree, b, a));
	assert_true(cm_cgroup_is_descendant(tree, b, 0));
	assert_false(cm_cgroup_is_descendant(tree, c, a));
	cm_cgroup_tree_free(tree);
}

/* Expect: a path twice or an unknown parent is refused, and nothing is added. */
static void test_tree_refuses_duplicate_path_and_unknown_parent(void **state)
{
	struct cm_cgroup_tree *tree;

	(void)state;
	assert_int_equal(cm_cgroup_tree_new(&tree), 0);
	assert_int_equal(cm_cgroup_create(tree, "/a", 0), 1);
	assert_int_equal(cm_cgroup_create(tree, "/a", 0), -EEXIST);
	assert_int_equal(cm_cgroup_create(tree, "/b", 7), -EINVAL);
	assert_int_equal(tree->nr_cgroups, 2);
	cm_cgroup_tree_free(tree);
}

/* Expect: a controller sees the cgroups that exist when it registers and every one created later. */
static void test_controller_is_told_of_every_cgroup(void **state)
{
	struct seen seen = { .refuse_from = 100 };
	struct cm_cgroup_tree *tree;

	(void)state;
	assert_int_equal(cm_cgroup_tree_new(&tree), 0);
	assert_int_equal(cm_cgroup_create(tree, "/a", 0), 1);
	assert_int_equal(cm_cgroup_controller_register(tree, CM_CGROUP_MISC, &record_ops, &seen), 0);
	assert_int_equal(cm_cgroup_create(tree, "/a/b", 1), 2);
	assert_int_equal(seen.nr, 3);
	assert_int_equal(seen.ids[0], 0);
	assert_int_equal(seen.ids[2], 2);
	cm_cgroup_controller_unregister(tree, CM_CGROUP_MISC);
	assert_int_equal(cm_cgroup_create(tree, "/c", 0), 3);
	assert_int_equal(seen.nr, 3);
	cm_cgroup_tree_free(tree);
}

/* Expect: a controller's refusal is the creation's error and the tree is unchanged. */
static void test_controller_refusal_refuses_the_cgroup(void **state)
{
	struct seen seen = { .refuse_from = 2 };
	struct cm_cgroup_tree *tree;

	(void)state;
	assert_int_equal(cm_cgroup_tree_new(&tree), 0);
	assert_int_equal(cm_cgroup_controller_register(tree, CM_CGROUP_MEMORY, &record_ops, &seen), 0);
	assert_int_equal(cm_cgroup_create(tree, "/a", 0), 1);
	assert_int_equal(cm_cgroup_create(tree, "/b", 0), -ENOSPC);
	assert_int_equal(tree->nr_cgroups, 2);
	assert_null(cm_cgroup_get(tree, 1)->next_sibling);
	cm_cgroup_tree_free(tree);
}

/* Expect: the root's misc max is the capacity (0 until set); other cgroups start at "max". */
static void test_misc_capacity_is_the_root_max(void **state)
{
	struct cm_cgroup_tree *tree;
	int a;

	(void)state;
	assert_int_equal(cm_cgroup_tree_new(&tree), 0);
	a = cm_cgroup_create(tree, "/a", 0);
	assert_int_equal(cm_cgroup_get(tree, 0)->misc.res[CM_MISC_SGX_EPC].max, 0);
	cm_misc_set_capacity(tree, CM_MISC_SGX_EPC, 2048);
	assert_int_equal(cm_cgroup_get(tree, 0)->misc.res[CM_MISC_SGX_EPC].max, 2048);
	assert_int_equal(cm_cgroup_get(tree, a)->misc.res[CM_MISC_SGX_EPC].max, CM_CGROUP_MAX);
	assert_int_equal(cm_page_counter_lowest_max(&cm_cgroup_get(tree, a)->misc.res[CM_MISC_SGX_EPC]), 2048);
	cm_cgroup_tree_free(tree);
}

/* Expect: every enum has its name. */
static void test_names_come_from_tables(void **state)
{
	(void)state;
	assert_string_equal(cm_cgroup_controller_name(CM_CGROUP_MEMORY), "memory");
	assert_string_equal(cm_cgroup_controller_name(CM_CGROUP_MISC), "misc");
	assert_string_equal(cm_misc_res_name(CM_MISC_SGX_EPC), "sgx_epc");
	assert_string_equal(cm_memcg_event_name(CM_MEMCG_EVENT_OOM_KILL), "oom_kill");
	assert_string_equal(cm_misc_res_name(CM_NR_MISC_RES), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_charge_raises_every_level_to_the_root),
		cmocka_unit_test(test_refused_charge_rolls_back_and_names_the_level),
		cmocka_unit_test(test_lowest_refusing_level_is_named),
		cmocka_unit_test(test_peak_keeps_the_highest_usage),
		cmocka_unit_test(test_refused_charge_leaves_no_peak),
		cmocka_unit_test(test_failure_events_count_up_to_below_the_root),
		cmocka_unit_test(test_limit_below_usage_refuses_new_charges),
		cmocka_unit_test(test_unlimited_counter_never_refuses),
		cmocka_unit_test(test_tree_links_parents_children_and_counters),
		cmocka_unit_test(test_tree_refuses_duplicate_path_and_unknown_parent),
		cmocka_unit_test(test_controller_is_told_of_every_cgroup),
		cmocka_unit_test(test_controller_refusal_refuses_the_cgroup),
		cmocka_unit_test(test_misc_capacity_is_the_root_max),
		cmocka_unit_test(test_names_come_from_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
