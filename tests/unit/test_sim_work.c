// SPDX-License-Identifier: MIT
/*
 * What a run costs before it starts (lib/sim/work.c): the estimate of its
 * page events and the budget that refuses it. One test per rule.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "confmem/scenario.h"
#include "confmem/sim.h"

#define PLATFORM "\"platform\": {\"name\": \"p\", \"nodes\": [{\"id\": 0, \"cpus\": \"0-7\", \"kind\": \"dram\", " \
	"\"memory\": [{\"start\": \"4G\", \"size\": \"4G\"}]}], \"sgx\": {\"epc\": [{\"start\": \"8G\", " \
	"\"size\": \"16M\", \"node\": 0}]}}"

static struct cm_scenario *load(const char *body)
{
	char text[4096];
	struct cm_scenario *s = NULL;
	struct cm_error err = { 0 };

	snprintf(text, sizeof(text), "{" PLATFORM ", %s}", body);
	if (cm_scenario_from_json_string(text, strlen(text), "scen.json", NULL, &s, &err))
		fail_msg("%s", err.msg);
	return s;
}

static uint64_t estimate(const char *body)
{
	struct cm_scenario *s = load(body);
	uint64_t events = cm_sim_estimate_events(s);

	cm_scenario_free(s);
	return events;
}

/* Every millisecond visits every actor: duration * (actors + 1) with nothing touched. */
static void test_estimate_counts_a_step_per_actor_and_millisecond(void **state)
{
	(void)state;
	assert_int_equal(estimate("\"duration_ms\": 1000"), 1000);
	assert_int_equal(estimate("\"duration_ms\": 1000, \"actors\": [{\"name\": \"a\", \"anon\": \"1M\"}, "
				  "{\"name\": \"b\", \"anon\": \"1M\"}]"), 3000);
}

/* A process: rate times the milliseconds from its start to its run_ms or the end. */
static void test_estimate_process_rate_times_active_time(void **state)
{
	(void)state;
	assert_int_equal(estimate("\"duration_ms\": 1000, \"actors\": [{\"name\": \"a\", \"anon\": \"1M\", "
				  "\"start_ms\": 400, \"access\": {\"rate\": 10}}]"), 2000 + 600 * 10);
	assert_int_equal(estimate("\"duration_ms\": 1000, \"actors\": [{\"name\": \"a\", \"anon\": \"1M\", "
				  "\"start_ms\": 400, \"run_ms\": 100, \"access\": {\"rate\": 10}}]"), 2000 + 100 * 10);
	/* "never": an event may start it at 0, so the whole run counts. */
	assert_int_equal(estimate("\"duration_ms\": 1000, \"actors\": [{\"name\": \"a\", \"anon\": \"1M\", "
				  "\"start_ms\": \"never\", \"access\": {\"rate\": 10}}]"), 2000 + 1000 * 10);
}

/* An enclave adds its heap, a TCS and its SSA frame first (EADD), then touches. */
static void test_estimate_enclave_adds_its_pages(void **state)
{
	(void)state;
	assert_int_equal(estimate("\"duration_ms\": 10, \"actors\": [{\"name\": \"e\", \"kind\": \"enclave\", "
				  "\"heap\": \"40K\", \"access\": {\"rate\": 3}}]"), 20 + 10 + 1 + 1 + 30);
}

/* A vEPC faults in at most the platform's EPC (16M: 4096 pages), whatever its size. */
static void test_estimate_vepc_at_most_the_epc(void **state)
{
	(void)state;
	assert_int_equal(estimate("\"duration_ms\": 10, \"actors\": [{\"name\": \"v\", \"kind\": \"vepc\", "
				  "\"size\": \"4P\"}]"), 20 + 4096);
	assert_int_equal(estimate("\"duration_ms\": 10, \"actors\": [{\"name\": \"v\", \"kind\": \"vepc\", "
				  "\"size\": \"4M\"}]"), 20 + 1024);
}

/* Rates of 1e9 for 1e9 ms over many actors saturate instead of wrapping. */
static void test_estimate_saturates(void **state)
{
	char body[3072];
	size_t len;

	(void)state;
	len = (size_t)snprintf(body, sizeof(body), "\"duration_ms\": 1000000000, \"actors\": [");
	for (int i = 0; i < 20; i++)
		len += (size_t)snprintf(body + len, sizeof(body) - len, "%s{\"name\": \"a%d\", \"anon\": \"1M\", "
					"\"access\": {\"rate\": 1000000000}}", i ? ", " : "", i);
	snprintf(body + len, sizeof(body) - len, "]");
	assert_true(estimate(body) == UINT64_MAX);
}

/* Over the budget: -E2BIG with the estimate, before anything is allocated; 0 is the default budget. */
static void test_budget_refuses_with_the_estimate(void **state)
{
	struct cm_scenario *s = load("\"duration_ms\": 1000, \"actors\": [{\"name\": \"a\", \"anon\": \"1M\", "
				     "\"access\": {\"rate\": 100}}]");
	struct cm_sim_options o = { .max_events = 102000 - 1 };
	struct cm_error err = { 0 };
	struct cm_sim *sim = NULL;

	(void)state;
	assert_int_equal(cm_sim_run(s, &o, &sim, &err), -E2BIG);
	assert_null(sim);
	assert_string_equal(err.msg, "scen.json: the run would make about 1.0e5 page events, over the budget of 1e5");
	o.max_events = 102000;
	assert_int_equal(cm_sim_run(s, &o, &sim, &err), 0);
	cm_sim_free(sim);
	o.max_events = 0;
	assert_int_equal(cm_sim_run(s, &o, &sim, &err), 0);
	cm_sim_free(sim);
	cm_scenario_free(s);
	s = load("\"duration_ms\": 1000000000, \"actors\": [{\"name\": \"a\", \"anon\": \"1M\", "
		 "\"access\": {\"rate\": 100}}]");
	assert_int_equal(cm_sim_run(s, NULL, &sim, &err), -E2BIG);
	assert_string_equal(err.msg, "scen.json: the run would make about 1.0e11 page events, over the budget of 1e10");
	cm_scenario_free(s);
}

/* The actors' mapped memory: 4 times memory and swap, at least 64 GiB, at most 16 TiB. */
static void test_mapped_limit(void **state)
{
	struct cm_scenario *s = load("\"duration_ms\": 1, \"config\": {\"swap_bytes\": \"20G\"}");

	(void)state;
	assert_true(cm_scenario_mapped_limit(s) == 4 * 24 * GiB);
	cm_scenario_free(s);
	s = load("\"duration_ms\": 1");
	assert_true(cm_scenario_mapped_limit(s) == CM_SCENARIO_MAPPED_MIN_BYTES);
	cm_scenario_free(s);
	s = load("\"duration_ms\": 1, \"config\": {\"swap_bytes\": \"8T\"}");
	assert_true(cm_scenario_mapped_limit(s) == CM_MM_VIRTUAL_PAGES_MAX * 4096);
	cm_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_estimate_counts_a_step_per_actor_and_millisecond),
		cmocka_unit_test(test_estimate_process_rate_times_active_time),
		cmocka_unit_test(test_estimate_enclave_adds_its_pages),
		cmocka_unit_test(test_estimate_vepc_at_most_the_epc),
		cmocka_unit_test(test_estimate_saturates),
		cmocka_unit_test(test_budget_refuses_with_the_estimate),
		cmocka_unit_test(test_mapped_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
