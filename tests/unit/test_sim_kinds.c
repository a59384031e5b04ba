// SPDX-License-Identifier: MIT
/*
 * The table of actor kinds (lib/sim/actor_kinds.c) and the name tables
 * of the simulation's enums (lib/sim/names.c). One test per rule.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "confmem/scenario.h"
#include "confmem/sim.h"
#include "sim/sim_internal.h"

/* Every kind has a name and a row; the name reads back as the kind. */
static void test_every_actor_kind_has_a_name_and_a_row(void **state)
{
	(void)state;
	for (int kind = 0; kind < CM_NR_ACTOR_KINDS; kind++) {
		const struct actor_kind *row = actor_kind((enum cm_actor_kind)kind);

		assert_non_null(row);
		assert_non_null(row->name);
		assert_non_null(row->article);
		assert_string_equal(cm_actor_kind_name((enum cm_actor_kind)kind), row->name);
		assert_int_equal(cm_actor_kind_from_name(row->name), kind);
	}
	assert_string_equal(cm_actor_kind_name(CM_ACTOR_PROCESS), "process");
	assert_string_equal(cm_actor_kind_name(CM_ACTOR_ENCLAVE), "enclave");
	assert_string_equal(cm_actor_kind_name(CM_ACTOR_VEPC), "vepc");
	assert_string_equal(cm_actor_kind_name(CM_ACTOR_TD), "td");
}

static void test_unknown_actor_kind_is_refused(void **state)
{
	(void)state;
	assert_int_equal(cm_actor_kind_from_name("vm"), -EINVAL);
	assert_int_equal(cm_actor_kind_from_name(""), -EINVAL);
	assert_int_equal(cm_actor_kind_from_name("Process"), -EINVAL);
	assert_null(actor_kind((enum cm_actor_kind)CM_NR_ACTOR_KINDS));
	assert_null(actor_kind((enum cm_actor_kind)-1));
	assert_string_equal(cm_actor_kind_name((enum cm_actor_kind)CM_NR_ACTOR_KINDS), "unknown");
}

/* A simulated kind has every operation and lists the members every actor has. */
static void test_simulated_kinds_have_every_operation(void **state)
{
	static const enum cm_actor_kind simulated[] = { CM_ACTOR_PROCESS, CM_ACTOR_ENCLAVE, CM_ACTOR_VEPC };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(simulated); i++) {
		const struct cm_actor_operations *ops = actor_kind(simulated[i])->ops;
		bool has_name = false, has_kind = false;

		assert_non_null(ops);
		assert_non_null(ops->fields);
		assert_non_null(ops->read);
		assert_non_null(ops->start);
		assert_non_null(ops->step);
		assert_non_null(ops->mapped_pages);
		assert_non_null(ops->page_events);
		assert_non_null(ops->reap);
		assert_non_null(ops->measure);
		assert_non_null(ops->release);
		for (const char *const *field = ops->fields; *field; field++) {
			has_name |= !strcmp(*field, "name");
			has_kind |= !strcmp(*field, "kind");
		}
		assert_true(has_name && has_kind);
	}
}

/* The TD guest has a row, a name and its operations (lib/sim/actor_td.c). */
static void test_td_guest_is_simulated(void **state)
{
	(void)state;
	assert_non_null(actor_kind(CM_ACTOR_TD)->ops);
	assert_string_equal(actor_kind(CM_ACTOR_TD)->name, "td");
}

/* An actor of a kind without operations (every kind has them now: a value outside the enum), given to the engine directly, is an input error. */
static void test_engine_refuses_a_kind_without_operations(void **state)
{
	static const char text[] = "{\"platform\": \"default\", \"duration_ms\": 10, "
				   "\"actors\": [{\"name\": \"g\", \"anon\": \"1M\"}]}";
	struct cm_scenario *s = NULL;
	struct cm_sim *sim = (struct cm_sim *)&sim;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(cm_scenario_from_json_string(text, strlen(text), "scen.json", NULL, &s, &err), 0);
	s->actors[0].kind = (enum cm_actor_kind)CM_NR_ACTOR_KINDS;
	assert_int_equal(cm_sim_run(s, NULL, &sim, &err), -EINVAL);
	assert_null(sim);
	assert_string_equal(err.msg, "scen.json: actor g: kind \"unknown\" is not simulated yet");
	cm_scenario_free(s);
}

static void test_enum_name_tables(void **state)
{
	(void)state;
	assert_string_equal(cm_event_kind_name(CM_EVENT_START), "start");
	assert_string_equal(cm_event_kind_name(CM_EVENT_KILL), "kill");
	assert_string_equal(cm_event_kind_name(CM_EVENT_CGROUP_WRITE), "cgroup_write");
	assert_string_equal(cm_event_kind_name(CM_EVENT_HOTADD), "hotadd");
	assert_string_equal(cm_event_kind_name(CM_EVENT_OFFLINE), "offline");
	assert_string_equal(cm_event_kind_name(CM_EVENT_SET), "set");
	assert_string_equal(cm_event_kind_name((enum cm_event_kind)CM_NR_EVENT_KINDS), "unknown");
	assert_string_equal(cm_access_pattern_name(CM_ACCESS_SEQUENTIAL), "sequential");
	assert_string_equal(cm_access_pattern_name(CM_ACCESS_UNIFORM), "uniform");
	assert_string_equal(cm_access_pattern_name(CM_ACCESS_ZIPF), "zipf");
	assert_string_equal(cm_access_pattern_name((enum cm_access_pattern)CM_NR_ACCESS_PATTERNS), "unknown");
	assert_string_equal(cm_mempolicy_mode_name(CM_MPOL_DEFAULT), "default");
	assert_string_equal(cm_mempolicy_mode_name(CM_MPOL_BIND), "bind");
	assert_string_equal(cm_mempolicy_mode_name(CM_MPOL_PREFERRED), "preferred");
	assert_string_equal(cm_mempolicy_mode_name(CM_MPOL_INTERLEAVE), "interleave");
	assert_string_equal(cm_mempolicy_mode_name((enum cm_mempolicy_mode)99), "unknown");
	assert_string_equal(cm_expect_op_name(CM_EXPECT_EQ), "==");
	assert_string_equal(cm_expect_op_name(CM_EXPECT_NE), "!=");
	assert_string_equal(cm_expect_op_name(CM_EXPECT_GT), ">");
	assert_string_equal(cm_expect_op_name(CM_EXPECT_GE), ">=");
	assert_string_equal(cm_expect_op_name(CM_EXPECT_LT), "<");
	assert_string_equal(cm_expect_op_name(CM_EXPECT_LE), "<=");
	assert_string_equal(cm_expect_op_name((enum cm_expect_op)CM_NR_EXPECT_OPS), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_actor_kind_has_a_name_and_a_row),
		cmocka_unit_test(test_unknown_actor_kind_is_refused),
		cmocka_unit_test(test_simulated_kinds_have_every_operation),
		cmocka_unit_test(test_td_guest_is_simulated),
		cmocka_unit_test(test_engine_refuses_a_kind_without_operations),
		cmocka_unit_test(test_enum_name_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
