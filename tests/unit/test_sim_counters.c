// SPDX-License-Identifier: MIT
/*
 * The counters an expectation may name (cm_sim_counter, lib/sim/counters.c):
 * one test per family, and an unknown name is an input error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "confmem/scenario.h"
#include "confmem/sim.h"

static const char scenario_text[] =
	"{\"platform\": \"default\", \"duration_ms\": 20, \"cgroups\": [{\"path\": \"/a\"}], "
	"\"actors\": [{\"name\": \"p\", \"cgroup\": \"/a\", \"anon\": \"1M\", \"run_ms\": 5, "
	"\"access\": {\"rate\": 64}}]}";

struct run {
	struct cm_scenario *scenario;
	struct cm_sim *sim;
};

static int run_setup(void **state)
{
	struct run *run = calloc(1, sizeof(*run));
	struct cm_error err = { 0 };

	assert_non_null(run);
	assert_int_equal(cm_scenario_from_json_string(scenario_text, strlen(scenario_text), "scen.json", NULL,
						      &run->scenario, &err), 0);
	if (cm_sim_run(run->scenario, NULL, &run->sim, &err))
		fail_msg("%s", err.msg);
	*state = run;
	return 0;
}

static int run_teardown(void **state)
{
	struct run *run = *state;

	cm_sim_free(run->sim);
	cm_scenario_free(run->scenario);
	free(run);
	return 0;
}

static uint64_t counter(const struct cm_sim *sim, const char *name)
{
	struct cm_error err = { 0 };
	uint64_t value = 0;

	if (cm_sim_counter(sim, name, &value, &err))
		fail_msg("%s: %s", name, err.msg);
	return value;
}

static void test_page_engine_totals(void **state)
{
	const struct run *run = *state;

	assert_true(counter(run->sim, "pgalloc") >= 256);
	assert_true(counter(run->sim, "pgfault") == cm_mm_counter_total(run->sim->mm, CM_PGFAULT));
	assert_true(counter(run->sim, "swap_used_pages") == cm_mm_swap_used(run->sim->mm));
}

static void test_run_counters(void **state)
{
	const struct run *run = *state;

	assert_true(counter(run->sim, "actors_exited") == 1);
	assert_true(counter(run->sim, "actors_killed") == 0);
	assert_true(counter(run->sim, "page_events") == run->sim->page_events);
	assert_true(counter(run->sim, "offline_blocks") == 0);
}

static void test_node_counters(void **state)
{
	const struct run *run = *state;
	struct cm_mm_node_info info;

	cm_mm_node_info(run->sim->mm, 0, &info);
	assert_true(counter(run->sim, "node0.free_pages") == info.free_pages);
	assert_true(counter(run->sim, "node0.present_pages") == info.present_pages);
	assert_true(counter(run->sim, "node0.used_pages") == info.present_pages - info.free_pages);
	assert_true(counter(run->sim, "node0.pgalloc") == info.counters[CM_PGALLOC]);
}

static void test_cgroup_counters(void **state)
{
	const struct run *run = *state;

	/* The actor exited: its pages went back, its peak stays. */
	assert_true(counter(run->sim, "cgroup:/a.memory.current") == 0);
	assert_true(counter(run->sim, "cgroup:/a.memory.peak") == 256 * 4096);
	assert_true(counter(run->sim, "cgroup:/a.memory.events.oom_kill") == 0);
}

static void test_unknown_counters_are_refused(void **state)
{
	static const char *const unknown[] = {
		"pgnothing", "node0.nothing", "nodex.free_pages", "cgroup:/a.memory.nothing", "cgroup:/a",
		"cgroup:.memory.current", "node0.VMSTAT",
	};
	const struct run *run = *state;

	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		struct cm_error err = { 0 };
		uint64_t value;

		assert_int_equal(cm_sim_counter(run->sim, unknown[i], &value, &err), -ENOENT);
		assert_non_null(strstr(err.msg, "unknown counter"));
		assert_non_null(strstr(err.msg, unknown[i]));
	}
}

/* A name of the list whose node or cgroup the run does not have is refused with the reason. */
static void test_counters_of_absent_nodes_and_cgroups_are_refused(void **state)
{
	static const struct {
		const char *name, *reason;
	} absent[] = {
		{ "node99.free_pages", "no such node" },
		{ "node99.pgalloc", "no such node" },
		{ "cgroup:/b.memory.current", "no such cgroup" },
	};
	const struct run *run = *state;

	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		struct cm_error err = { 0 };
		uint64_t value;

		assert_int_equal(cm_sim_counter(run->sim, absent[i].name, &value, &err), -EINVAL);
		assert_non_null(strstr(err.msg, absent[i].reason));
	}
}

/* Every listed name resolves, with node 0, the cgroup /a and pgalloc in place of N, PATH and VMSTAT. */
static void test_every_listed_counter_resolves(void **state)
{
	const struct run *run = *state;
	size_t len = cm_sim_counter_names(NULL, 0), nr = 0;
	char *names = malloc(len + 1), *save = NULL, small[8];

	assert_non_null(names);
	assert_int_equal(cm_sim_counter_names(names, len + 1), len);
	assert_int_equal(cm_sim_counter_names(small, sizeof(small)), len);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	for (char *name = strtok_r(names, ", ", &save); name; name = strtok_r(NULL, ", ", &save), nr++) {
		char concrete[160];

		if (!strncmp(name, "nodeN.", 6))
			snprintf(concrete, sizeof(concrete), "node0.%s", strcmp(name + 6, "VMSTAT") ? name + 6 : "pgalloc");
		else if (!strncmp(name, "cgroup:PATH.", 12))
			snprintf(concrete, sizeof(concrete), "cgroup:/a.%s", name + 12);
		else
			snprintf(concrete, sizeof(concrete), "%s", name);
		counter(run->sim, concrete);
	}
	assert_true(nr > 100);
	free(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_engine_totals),
		cmocka_unit_test(test_run_counters),
		cmocka_unit_test(test_node_counters),
		cmocka_unit_test(test_cgroup_counters),
		cmocka_unit_test(test_unknown_counters_are_refused),
		cmocka_unit_test(test_counters_of_absent_nodes_and_cgroups_are_refused),
		cmocka_unit_test(test_every_listed_counter_resolves),
	};

	return cmocka_run_group_tests(tests, run_setup, run_teardown);
}
