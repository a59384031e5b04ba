// SPDX-License-Identifier: MIT
/*
 * The scenario reader (SPEC 10, docs/scenarios.md). One test per rule.
 * Documents are written with single quotes for readability; json_text()
 * turns them into JSON. Every refusal is checked for the JSON path it
 * names and for leaving nothing behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "confmem/json_util.h"
#include "confmem/scenario.h"

#define SOURCE "scen.json"
#define SCENARIO_DATA CONFMEM_TEST_DATA "/scenarios"
#define KiB (1ULL << 10)

/* The smallest valid scenario on the default preset (nodes 0-3, CPUs on 0-1), then more fields. */
#define BASE "'platform': 'default', 'duration_ms': 1000"
#define ONE_ACTOR "'actors': [{'name': 'a', 'anon': '1M'}]"

static char *json_text(const char *single_quoted)
{
	char *text = strdup(single_quoted);

	assert_non_null(text);
	for (char *c = text; *c; c++)
		if (*c == '\'')
			*c = '"';
	return text;
}

static struct cm_scenario *load_ok(const char *single_quoted)
{
	char *text = json_text(single_quoted);
	struct cm_scenario *s = NULL;
	struct cm_error err = { 0 };

	if (cm_scenario_from_json_string(text, strlen(text), SOURCE, SCENARIO_DATA, &s, &err))
		fail_msg("unexpected error: %s", err.msg);
	assert_non_null(s);
	assert_non_null(s->platform);
	free(text);
	return s;
}

static void check_refusal(int ret, const struct cm_scenario *s, const struct cm_error *err, const char *needle)
{
	assert_true(ret < 0);
	assert_int_equal(ret, err->code);
	assert_null(s);
	assert_null(strchr(err->msg, '\n'));
	if (!strstr(err->msg, needle))
		fail_msg("message \"%s\" does not contain \"%s\"", err->msg, needle);
}

/* Loading fails with a message containing @needle; *out is NULL. */
static void expect_error(const char *single_quoted, const char *needle)
{
	char *text = json_text(single_quoted);
	struct cm_scenario *s = (struct cm_scenario *)&s;
	struct cm_error err = { 0 };
	int ret = cm_scenario_from_json_string(text, strlen(text), SOURCE, SCENARIO_DATA, &s, &err);

	check_refusal(ret, s, &err, needle);
	free(text);
}

static void expect_file_error(const char *name, const char *needle)
{
	char path[512];
	struct cm_scenario *s = (struct cm_scenario *)&s;
	struct cm_error err = { 0 };
	int ret;

	snprintf(path, sizeof(path), "%s/%s", SCENARIO_DATA, name);
	ret = cm_scenario_from_json_file(path, &s, &err);
	check_refusal(ret, s, &err, needle);
}

/* ---- the platform ---- */

static void test_scenario_platform_preset_file_or_inline(void **state)
{
	struct cm_scenario *s;
	struct cm_error err = { 0 };

	(void)state;
	s = load_ok("{'platform': 'single', 'duration_ms': 5}");
	assert_string_equal(s->platform->name, "single");
	cm_scenario_free(s);

	s = load_ok("{'platform': 'platform-small.json', 'duration_ms': 5}");
	assert_string_equal(s->platform->name, "scenario-small");
	cm_scenario_free(s);

	s = load_ok("{'duration_ms': 5, 'platform': {'name': 'inline', 'nodes': [{'id': 0, 'cpus': '0', "
		    "'memory': [{'start': '0', 'size': '1G'}]}]}}");
	assert_string_equal(s->platform->name, "inline");
	assert_int_equal(s->platform->nr_nodes, 1);
	cm_scenario_free(s);

	/* A file given on the command line resolves its platform beside itself. */
	assert_int_equal(cm_scenario_from_json_file(SCENARIO_DATA "/tiering.json", &s, &err), 0);
	assert_string_equal(s->platform->name, "scenario-small");
	assert_string_equal(s->source, SCENARIO_DATA "/tiering.json");
	cm_scenario_free(s);
}

static void test_scenario_platform_errors_name_their_source(void **state)
{
	(void)state;
	expect_error("{'platform': 'nope.json', 'duration_ms': 5}",
		     SOURCE ": $.platform: \"nope.json\" is neither a preset (default, single, big, mixed) "
		     "nor a platform file: " SCENARIO_DATA "/nope.json: No such file or directory");
	expect_error("{'platform': '.', 'duration_ms': 5}", "$.platform: \".\" is neither a preset");
	expect_error("{'platform': '.', 'duration_ms': 5}", "not a regular file");
	/* What the input holds is escaped: a message is one line. */
	expect_error("{'platform': 'a\\nb', 'duration_ms': 5}",
		     "$.platform: \"a\\nb\" is neither a preset (default, single, big, mixed) nor a platform file: \""
		     SCENARIO_DATA "/a\\nb\": No such file or directory");
	expect_error("{'platform': '', 'duration_ms': 5}",
		     "$.platform: expected a preset name, a platform file name or a platform object, found \"\"");
	expect_error("{'platform': 3, 'duration_ms': 5}", "$.platform: expected a preset name");
	expect_error("{'duration_ms': 5, 'platform': {'nodes': [{'id': 0, 'memroy': []}]}}",
		     SOURCE ": $.platform.nodes[0]: unknown field \"memroy\"");
	expect_file_error("missing-platform.json", "$.platform: \"no-such-platform.json\" is neither a preset");
	/* An error inside a platform file names that file. */
	expect_file_error("bad-platform-file.json", "platform-broken.json: $.nodes[0]: unknown field \"memroy\"");
}

static void test_scenario_platform_file_relative_to_base_dir(void **state)
{
	const char *text = "{\"platform\": \"platform-small.json\", \"duration_ms\": 5}";
	struct cm_scenario *s = NULL;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(cm_scenario_from_json_string(text, strlen(text), SOURCE, SCENARIO_DATA "/", &s, &err), 0);
	cm_scenario_free(s);
	/* NULL: the current directory, where the fixture is not. */
	assert_int_not_equal(cm_scenario_from_json_string(text, strlen(text), SOURCE, NULL, &s, &err), 0);
	assert_null(s);
	assert_non_null(strstr(err.msg, "nor a platform file: platform-small.json: No such file"));
	/* An absolute name ignores the base directory. */
	text = "{\"platform\": \"" SCENARIO_DATA "/platform-small.json\", \"duration_ms\": 5}";
	assert_int_equal(cm_scenario_from_json_string(text, strlen(text), SOURCE, "/nonexistent", &s, &err), 0);
	cm_scenario_free(s);
}

/* ---- top level ---- */

static void test_scenario_unknown_field_is_error(void **state)
{
	(void)state;
	expect_error("{" BASE ", 'actros': []}", SOURCE ": $: unknown field \"actros\" (known fields: platform, seed");
	expect_error("{" BASE ", 'cgroups': [{'path': '/a', 'memory.maxx': 1}]}",
		     "$.cgroups[0]: unknown field \"memory.maxx\"");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'annon': 1}]}",
		     "$.actors[0]: unknown field \"annon\"");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': {'mode': 'bind', 'node': '0'}}]}",
		     "$.actors[0].policy: unknown field \"node\"");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'access': {'patern': 'zipf'}}]}",
		     "$.actors[0].access: unknown field \"patern\"");
	/* Fields belong to an event kind: a hot-add has no actor. */
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'hotadd', 'start': '1T', 'size': '1G', "
		     "'actor': 'a'}]}", "$.events[0]: unknown field \"actor\" (known fields: at_ms, kind, start, size");
	expect_error("{" BASE ", " ONE_ACTOR ", 'expect': [{'actor': 'a', 'outcome': 'exited', 'op': '=='}]}",
		     "$.expect[0]: unknown field \"op\" (known fields: actor, outcome)");
	expect_error("{" BASE ", 'expect': [{'counter': 'x', 'op': '==', 'value': 1, 'outcome': 'exited'}]}",
		     "$.expect[0]: unknown field \"outcome\" (known fields: counter, op, value)");
}

static void test_scenario_required_fields(void **state)
{
	(void)state;
	expect_error("{'duration_ms': 5}", SOURCE ": $: missing field \"platform\"");
	expect_error("{'platform': 'default'}", SOURCE ": $: missing field \"duration_ms\"");
	expect_error("[]", SOURCE ": $: expected an object, found an array");
	expect_error("null", SOURCE ": $: expected an object, found null");
	expect_error("{" BASE ", 'actors': [{'anon': 1}]}", "$.actors[0]: missing field \"name\"");
	expect_error("{" BASE ", 'events': [{'at_ms': 1}]}", "$.events[0]: missing field \"kind\"");
	expect_error("{" BASE ", " ONE_ACTOR ", 'events': [{'kind': 'kill', 'actor': 'a'}]}",
		     "$.events[0]: missing field \"at_ms\"");
}

static void test_scenario_syntax_error_names_line(void **state)
{
	(void)state;
	expect_error("{'platform': 'default',\n 'duration_ms': 5,\n}", SOURCE ":3: JSON syntax error");
	expect_error("", SOURCE ": empty input");
	expect_file_error("syntax-error.json", "syntax-error.json:5: JSON syntax error");
}

static void test_scenario_seed_default_and_duration_range(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE "}");
	assert_int_equal(s->seed, 1);
	assert_int_equal(s->duration_ms, 1000);
	assert_int_equal(s->nr_actors, 0);
	assert_int_equal(s->nr_cgroups, 0);
	assert_int_equal(s->nr_events, 0);
	assert_int_equal(s->nr_expects, 0);
	cm_scenario_free(s);
	s = load_ok("{'platform': 'default', 'duration_ms': 1000000000, 'seed': 18446744073709551614}");
	assert_true(s->seed == 18446744073709551614ULL);
	cm_scenario_free(s);
	expect_error("{'platform': 'default', 'duration_ms': 0}",
		     "$.duration_ms: expected an integer 1..1000000000, found 0");
	expect_error("{'platform': 'default', 'duration_ms': 1000000001}", "$.duration_ms: expected an integer");
	expect_error("{'platform': 'default', 'duration_ms': '10'}", "$.duration_ms: expected an integer");
	expect_error("{" BASE ", 'seed': -1}", "$.seed: expected a non-negative integer, found -1");
}

/* ---- configuration ---- */

static void test_scenario_config_knobs_applied(void **state)
{
	struct cm_scenario *s;
	struct cm_config defaults;

	(void)state;
	s = load_ok("{" BASE ", 'config': {'demotion_enabled': true, 'tiering.model': 'distance', "
		    "'swap_bytes': '8G', 'zone_reclaim_mode': 8, 'tiering.promotion': 1, 'sgx.oom': 'kill-enclave'}}");
	assert_true(s->config.demotion_enabled);
	assert_int_equal(s->config.tiering_model, CM_TIERING_DISTANCE);
	assert_true(s->config.swap_bytes == 8 * GiB);
	assert_int_equal(s->config.zone_reclaim_mode, 8);
	assert_true(s->config.promotion);
	assert_int_equal(s->config.sgx_oom, CM_SGX_OOM_KILL_ENCLAVE);
	cm_scenario_free(s);

	s = load_ok("{" BASE ", 'config': {'demotion_enabled': false}}");
	cm_config_default(&defaults);
	assert_memory_equal(&s->config, &defaults, sizeof(defaults));
	cm_scenario_free(s);
	s = load_ok("{" BASE "}");
	assert_memory_equal(&s->config, &defaults, sizeof(defaults));
	cm_scenario_free(s);
}

static void test_scenario_bad_knob_names_path(void **state)
{
	(void)state;
	expect_error("{" BASE ", 'config': {'tiering.modle': 'tiers'}}",
		     SOURCE ": $.config.tiering.modle: unknown configuration knob");
	expect_error("{" BASE ", 'config': {'tiering.model': 'tier'}}",
		     SOURCE ": $.config.tiering.model: expected tiers|distance, found \"tier\"");
	expect_error("{" BASE ", 'config': {'zone_reclaim_mode': 16}}",
		     "$.config.zone_reclaim_mode: expected 0..15, found \"16\"");
	expect_error("{" BASE ", 'config': {'zone_reclaim_mode': -1}}",
		     "$.config.zone_reclaim_mode: expected 0..15, found \"-1\"");
	expect_error("{" BASE ", 'config': {'demotion_enabled': 0.5}}",
		     "$.config.demotion_enabled: expected a string, an integer or true/false, found 0.5");
	expect_error("{" BASE ", 'config': {'swap_bytes': null}}", "$.config.swap_bytes: expected a string");
	expect_error("{" BASE ", 'config': []}", "$.config: expected an object, found an array");
	/* Keys and values are escaped: a message is one line. */
	expect_error("{" BASE ", 'config': {'a\\nb': 1}}", "$.config[\"a\\nb\"]: unknown configuration knob");
	expect_error("{" BASE ", 'config': {'tiering.model': 'tiers\\n'}}",
		     "$.config.tiering.model: expected tiers|distance, found \"tiers\\n\"");
	expect_error("{" BASE ", 'events': [{'at_ms': 0, 'kind': 'set', 'key': 'swap_bytes', 'value': '1\\n'}]}",
		     "$.events[0].value: expected SIZE, found \"1\\n\"");
}

/* ---- cgroups ---- */

static void test_scenario_cgroup_parents_implicit(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'cgroups': [{'path': '/a/b/c', 'memory.max': '1G'}, {'path': '/a', 'misc.max': "
		    "'4M'}]}");
	assert_int_equal(s->nr_cgroups, 3);
	assert_string_equal(s->cgroups[0].path, "/a");
	assert_true(s->cgroups[0].misc_sgx_epc_max == 4 * MiB);
	assert_true(s->cgroups[0].memory_max == CM_LIMIT_MAX);
	assert_string_equal(s->cgroups[1].path, "/a/b");
	assert_true(s->cgroups[1].memory_max == CM_LIMIT_MAX);
	assert_true(s->cgroups[1].memory_swap_max == CM_LIMIT_MAX);
	assert_true(s->cgroups[1].misc_sgx_epc_max == CM_LIMIT_MAX);
	assert_string_equal(s->cgroups[2].path, "/a/b/c");
	assert_true(s->cgroups[2].memory_max == GiB);
	cm_scenario_free(s);

	/* An implicit parent may hold actors and be written to. */
	s = load_ok("{" BASE ", 'cgroups': [{'path': '/x/y'}], 'actors': [{'name': 'a', 'anon': 1, 'cgroup': '/x'}], "
		    "'events': [{'at_ms': 1, 'kind': 'cgroup_write', 'cgroup': '/x', 'file': 'memory.max', "
		    "'value': 0}]}");
	assert_string_equal(s->actors[0].cgroup, "/x");
	cm_scenario_free(s);
}

static void test_scenario_cgroups_sorted_parents_first(void **state)
{
	static const char *const order[] = { "/a", "/a/b", "/a/b/c", "/a-b", "/a.b", "/b", "/b/a" };
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'cgroups': [{'path': '/b/a'}, {'path': '/a.b'}, {'path': '/a-b'}, "
		    "{'path': '/a/b/c'}, {'path': '/a'}]}");
	assert_int_equal(s->nr_cgroups, 7);
	for (size_t i = 0; i < s->nr_cgroups; i++)
		assert_string_equal(s->cgroups[i].path, order[i]);
	cm_scenario_free(s);
}

static void test_scenario_cgroup_path_rules(void **state)
{
	char text[512];

	(void)state;
	expect_error("{" BASE ", 'cgroups': [{'path': '/'}]}",
		     "$.cgroups[0].path: the root cgroup \"/\" is implicit and has no limits");
	expect_error("{" BASE ", 'cgroups': [{'path': 'a'}]}",
		     "$.cgroups[0].path: expected a cgroup path such as \"/batch/low\"");
	expect_error("{" BASE ", 'cgroups': [{'path': '/a//b'}]}", "$.cgroups[0].path: expected a cgroup path");
	expect_error("{" BASE ", 'cgroups': [{'path': '/a/'}]}", "$.cgroups[0].path: expected a cgroup path");
	expect_error("{" BASE ", 'cgroups': [{'path': '/a/..'}]}", "$.cgroups[0].path: expected a cgroup path");
	expect_error("{" BASE ", 'cgroups': [{'path': '/./a'}]}", "$.cgroups[0].path: expected a cgroup path");
	expect_error("{" BASE ", 'cgroups': [{'path': '/a b'}]}", "$.cgroups[0].path: expected a cgroup path");
	expect_error("{" BASE ", 'cgroups': [{}]}", "$.cgroups[0]: missing field \"path\"");
	expect_error("{" BASE ", 'cgroups': [{'path': '/a'}, {'path': '/b'}, {'path': '/a'}]}",
		     "$.cgroups[2]: cgroup \"/a\" is listed twice (also $.cgroups[0])");
	/* 127 characters fit, 128 do not. */
	snprintf(text, sizeof(text), "{" BASE ", 'cgroups': [{'path': '/%0126d'}]}", 0);
	cm_scenario_free(load_ok(text));
	snprintf(text, sizeof(text), "{" BASE ", 'cgroups': [{'path': '/%0127d'}]}", 0);
	expect_error(text, "at most 127 characters");
}

static void test_scenario_cgroup_limits_max_or_size(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'cgroups': [{'path': '/a', 'memory.max': 'max', 'memory.swap.max': 0, "
		    "'misc.max': '0x1000'}]}");
	assert_true(s->cgroups[0].memory_max == CM_LIMIT_MAX);
	assert_true(s->cgroups[0].memory_swap_max == 0);
	assert_true(s->cgroups[0].misc_sgx_epc_max == 4096);
	cm_scenario_free(s);
	expect_error("{" BASE ", 'cgroups': [{'path': '/a', 'memory.max': 'maxx'}]}",
		     "$.cgroups[0].memory.max: expected \"max\" or a size (number or string like \"0x1000\" or "
		     "\"64G\"), "
		     "found \"maxx\": ");
	expect_error("{" BASE ", 'cgroups': [{'path': '/a', 'misc.max': -1}]}",
		     "$.cgroups[0].misc.max: expected \"max\" or a size");
}

/* A size followed by a NUL is refused with no reason: the text before the NUL is a valid size. */
static void test_scenario_cgroup_limit_with_nul(void **state)
{
	static const char tail[] = "found \"256M\\u0000x\"";
	char *text = json_text("{" BASE ", 'cgroups': [{'path': '/a', 'memory.max': '256M\\u0000x'}]}");
	struct cm_scenario *s = NULL;
	struct cm_error err = { 0 };
	int ret = cm_scenario_from_json_string(text, strlen(text), SOURCE, SCENARIO_DATA, &s, &err);
	size_t len = strlen(err.msg);

	(void)state;
	check_refusal(ret, s, &err, "$.cgroups[0].memory.max: expected \"max\" or a size");
	assert_true(len >= strlen(tail));
	assert_string_equal(err.msg + len - strlen(tail), tail);
	free(text);
}

/* ---- actors ---- */

static void test_scenario_actor_defaults(void **state)
{
	const struct cm_scenario_actor *a;
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", " ONE_ACTOR "}");
	assert_int_equal(s->nr_actors, 1);
	a = &s->actors[0];
	assert_string_equal(a->name, "a");
	assert_int_equal(a->kind, CM_ACTOR_PROCESS);
	assert_string_equal(a->cgroup, "/");
	assert_int_equal(a->cpu_node, -1);
	assert_int_equal(a->policy.mode, CM_MPOL_DEFAULT);
	assert_true(a->policy.nodes == 0);
	assert_true(a->start_ms == 0);
	assert_true(a->run_ms == 0);
	assert_true(a->anon_bytes == MiB);
	assert_true(a->file_bytes == 0);
	assert_int_equal(a->access.pattern, CM_ACCESS_SEQUENTIAL);
	assert_true(a->access.pages_per_ms == 0);
	assert_true(a->access.write_fraction == 0);
	assert_true(a->access.zipf_skew == 0);
	cm_scenario_free(s);
}

/* No access rate: accepted, with a warning naming the actor; a vEPC has no rate and gets none. */
static void test_scenario_actor_without_access_rate_warns(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'actors': [{'name': 'a', 'anon': '1M', 'access': {'rate': 1}}, "
		    "{'name': 'b', 'anon': '1M'}, {'name': 'c', 'anon': '1M', 'access': {'rate': 0}}, "
		    "{'name': 'v', 'kind': 'vepc', 'size': '4K'}]}");
	assert_int_equal(s->warnings.nr_lines, 2);
	assert_int_equal(s->warnings.lines[0].level, CM_LOG_WARN);
	assert_non_null(strstr(s->warnings.lines[0].text, "$.actors[1]: no access rate"));
	assert_non_null(strstr(s->warnings.lines[0].text, "holds no memory"));
	assert_non_null(strstr(s->warnings.lines[1].text, "$.actors[2]: no access rate"));
	cm_scenario_free(s);
}

static void test_scenario_actor_names_unique_and_valid(void **state)
{
	char text[512];

	(void)state;
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1}, {'name': 'b', 'anon': 1}, {'name': 'a', "
		     "'anon': 1}]}",
		     "$.actors[2].name: actor name \"a\" is used twice (also $.actors[0])");
	expect_error("{" BASE ", 'actors': [{'name': '', 'anon': 1}]}",
		     "$.actors[0].name: expected a name of 1..63 characters [A-Za-z0-9_.-], found \"\"");
	expect_error("{" BASE ", 'actors': [{'name': 'a b', 'anon': 1}]}", "$.actors[0].name: expected a name");
	expect_error("{" BASE ", 'actors': [{'name': 7, 'anon': 1}]}", "$.actors[0].name: expected a string, found 7");
	snprintf(text, sizeof(text), "{" BASE ", 'actors': [{'name': '%063d', 'anon': 1}]}", 0);
	cm_scenario_free(load_ok(text));
	snprintf(text, sizeof(text), "{" BASE ", 'actors': [{'name': '%064d', 'anon': 1}]}", 0);
	expect_error(text, "$.actors[0].name: expected a name of 1..63 characters");
	expect_error("{" BASE ", 'actors': {}}", "$.actors: expected an array, found an object");
}

static void test_scenario_actor_kinds(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'actors': [{'name': 'p', 'kind': 'process', 'anon': 1}, "
		    "{'name': 'e', 'kind': 'enclave', 'heap': 1}, {'name': 'v', 'kind': 'vepc', 'size': 1}]}");
	assert_int_equal(s->actors[0].kind, CM_ACTOR_PROCESS);
	assert_int_equal(s->actors[1].kind, CM_ACTOR_ENCLAVE);
	assert_int_equal(s->actors[2].kind, CM_ACTOR_VEPC);
	cm_scenario_free(s);
	/* A TD guest needs its private memory; a field of another kind is not for it. */
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'kind': 'td'}]}",
		     SOURCE ": $.actors[0]: missing field \"private\"");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'kind': 'td', 'private': '4M', 'heap': 1}]}",
		     "$.actors[0].heap: not for a TD guest");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'kind': 'vm'}]}",
		     "$.actors[0].kind: expected one of process, enclave, vepc, td, found \"vm\"");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'kind': 1}]}",
		     "$.actors[0].kind: expected one of process, enclave, vepc, td, found 1");
}

static void test_scenario_enclave_fields(void **state)
{
	const struct cm_scenario_actor *a;
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'cgroups': [{'path': '/sgx', 'misc.max': '1M'}], 'actors': [{'name': 'e', "
		    "'kind': 'enclave', 'cgroup': '/sgx', 'node': 1, 'start_ms': 'never', 'run_ms': 50, "
		    "'size': '64K', 'heap': 5000, 'ssa_frame_pages': 2, "
		    "'access': {'pattern': 'zipf', 'skew': 1.1, 'rate': 10, 'write': 0.5}}], "
		    "'events': [{'at_ms': 5, 'kind': 'start', 'actor': 'e'}, {'at_ms': 9, 'kind': 'kill', "
		    "'actor': 'e'}], 'expect': [{'actor': 'e', 'outcome': 'failed'}]}");
	a = &s->actors[0];
	assert_int_equal(a->kind, CM_ACTOR_ENCLAVE);
	assert_string_equal(a->cgroup, "/sgx");
	assert_int_equal(a->cpu_node, 1);
	assert_true(a->start_ms == UINT64_MAX);
	assert_true(a->run_ms == 50);
	assert_true(a->enclave_size == 64 * KiB);
	assert_true(a->heap_bytes == 8192);		/* rounded up to pages */
	assert_int_equal(a->ssa_frame_pages, 2);
	assert_int_equal(a->access.pattern, CM_ACCESS_ZIPF);
	assert_true(a->access.zipf_skew == 1.1);
	assert_true(a->access.pages_per_ms == 10);
	assert_true(a->access.write_fraction == 0.5);	/* accepted, meaningless for EPC */
	assert_true(a->anon_bytes == 0 && a->file_bytes == 0 && a->epc_bytes == 0);
	assert_int_equal(a->policy.mode, CM_MPOL_DEFAULT);
	assert_int_equal(s->expects[0].outcome, CM_OUTCOME_FAILED);
	cm_scenario_free(s);

	/* Defaults: one SSA page, the access of a process. */
	s = load_ok("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': '1M'}]}");
	a = &s->actors[0];
	assert_int_equal(a->ssa_frame_pages, 1);
	assert_true(a->heap_bytes == MiB);
	assert_string_equal(a->cgroup, "/");
	assert_int_equal(a->cpu_node, -1);
	assert_int_equal(a->access.pattern, CM_ACCESS_SEQUENTIAL);
	assert_true(a->access.pages_per_ms == 0);
	cm_scenario_free(s);

	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'size': '64K'}]}",
		     SOURCE ": $.actors[0]: missing field \"heap\"");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': 0}]}",
		     SOURCE ": $.actors[0].heap: expected a size above 0, found 0");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': '0K'}]}",
		     "$.actors[0].heap: expected a size above 0, found \"0K\"");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': '0x10000000000001'}]}",
		     "$.actors[0].heap: 4503599627370497 bytes is more than a 52-bit physical address space");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': -1}]}",
		     "$.actors[0].heap: expected a size");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': 1, 'ssa_frame_pages': 0}]}",
		     "$.actors[0].ssa_frame_pages: expected an integer 1..16, found 0");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': 1, 'ssa_frame_pages': 17}]}",
		     "$.actors[0].ssa_frame_pages: expected an integer 1..16, found 17");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': 1, 'ssa_frame_pages': '2'}]}",
		     "$.actors[0].ssa_frame_pages: expected an integer 1..16, found \"2\"");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': 1, 'access': {'rate': -1}}]}",
		     "$.actors[0].access.rate: expected an integer");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': 1, 'node': 2}]}",
		     "$.actors[0].node: node 2 has no CPUs to run on");
}

static void test_scenario_enclave_size_power_of_two(void **state)
{
	static const char *const bad[] = { "0", "4096", "'12K'", "'0x3000'", "'96K'", "'0x8000000000000001'" };
	struct cm_scenario *s;
	char text[256];

	(void)state;
	s = load_ok("{" BASE ", 'actors': [{'name': 'a', 'kind': 'enclave', 'size': 16384, 'heap': 1}, "
		    "{'name': 'b', 'kind': 'enclave', 'size': '0x40000000', 'heap': '0x3ffef000', 'ssa_frame_pages': 16}]}");
	assert_true(s->actors[0].enclave_size == 16 * KiB);
	assert_true(s->actors[1].enclave_size == GiB);	/* exactly full: 1G - 17 pages of heap */
	cm_scenario_free(s);
	/* A power of two as large as 2^63 is a size, but more than the actors may map. */
	expect_error("{" BASE ", 'actors': [{'name': 'c', 'kind': 'enclave', 'size': '8192P', 'heap': '4P'}]}",
		     SOURCE ": $.actors[0].size: the actors' memory reaches 8.25 EiB here, over the limit of ");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'size': %s, "
			 "'heap': 1}]}", bad[i]);
		expect_error(text, SOURCE ": $.actors[0].size: expected a power of two of at least 8192 bytes "
			     "(2 pages), found ");
	}
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'size': '12K', 'heap': 1}]}",
		     "$.actors[0].size: expected a power of two of at least 8192 bytes (2 pages), found \"12K\"");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'size': 'big', 'heap': 1}]}",
		     "$.actors[0].size: expected a size");
	/* 8192 is a valid ECREATE size, but one heap page, a TCS and an SSA frame take three pages. */
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'size': 8192, 'heap': 1}]}",
		     "$.actors[0].heap: 4096 bytes plus a TCS page and a 1-page SSA frame is 12288 bytes, more "
		     "than the enclave size 8192");
}

static void test_scenario_enclave_heap_must_fit(void **state)
{
	struct cm_scenario *s;

	(void)state;
	/* Exactly full: 2 heap pages + TCS + SSA in 16K, 12 heap pages + TCS + 3 SSA pages in 64K. */
	s = load_ok("{" BASE ", 'actors': [{'name': 'a', 'kind': 'enclave', 'size': '16K', 'heap': '8K'}, "
		    "{'name': 'b', 'kind': 'enclave', 'size': '64K', 'heap': '48K', 'ssa_frame_pages': 3}]}");
	assert_true(s->actors[0].heap_bytes == 8 * KiB);
	assert_true(s->actors[1].heap_bytes == 48 * KiB);
	cm_scenario_free(s);
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'size': '16K', 'heap': 8193}]}",
		     SOURCE ": $.actors[0].heap: 12288 bytes plus a TCS page and a 1-page SSA frame is 20480 bytes, "
		     "more than the enclave size 16384");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'size': '16K', 'heap': '8K', "
		     "'ssa_frame_pages': 2}]}",
		     "$.actors[0].heap: 8192 bytes plus a TCS page and a 2-page SSA frame is 20480 bytes, more than "
		     "the enclave size 16384");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'size': '1G', 'heap': '1G'}]}",
		     "$.actors[0].heap: 1073741824 bytes plus a TCS page");
	expect_error("{" BASE ", 'cgroups': [{'path': '/a'}], 'actors': [{'name': 'e', 'kind': 'enclave', "
		     "'cgroup': '/a', 'size': '1M', 'heap': '2M'}]}",
		     "$.actors[0].heap: 2097152 bytes plus a TCS page");
}

static void test_scenario_enclave_size_default(void **state)
{
	static const struct {
		const char *heap;
		int ssa_frame_pages;
		uint64_t size;
	} cases[] = {
		{ "1", 1, 16 * KiB },			/* 3 pages */
		{ "'8K'", 1, 16 * KiB },		/* exactly 4 pages */
		{ "8193", 1, 32 * KiB },		/* 5 pages */
		{ "'1016K'", 1, MiB },			/* exactly 256 pages */
		{ "'1M'", 1, 2 * MiB },
		{ "'4K'", 16, 128 * KiB },		/* 18 pages */
		{ "'1G'", 2, 2 * GiB },
		{ "'1T'", 16, 2048 * GiB },
	};
	struct cm_scenario *s;
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': %s, "
			 "'ssa_frame_pages': %d}]}", cases[i].heap, cases[i].ssa_frame_pages);
		s = load_ok(text);
		if (s->actors[0].enclave_size != cases[i].size)
			fail_msg("heap %s, ssa_frame_pages %d: size %llu, expected %llu", cases[i].heap,
				 cases[i].ssa_frame_pages, (unsigned long long)s->actors[0].enclave_size,
				 (unsigned long long)cases[i].size);
		assert_int_equal(s->actors[0].ssa_frame_pages, cases[i].ssa_frame_pages);
		cm_scenario_free(s);
	}
}

static void test_scenario_vepc_fields(void **state)
{
	const struct cm_scenario_actor *a;
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'cgroups': [{'path': '/vm'}], 'actors': [{'name': 'v', 'kind': 'vepc', 'cgroup': "
		    "'/vm', 'node': 0, 'start_ms': 10, 'run_ms': 20, 'size': '64M'}, "
		    "{'name': 'w', 'kind': 'vepc', 'size': 4097}], "
		    "'expect': [{'actor': 'v', 'outcome': 'failed'}, "
		    "{'counter': 'cgroup:/vm.misc.sgx_epc.current', 'op': '<=', 'value': '64M'}, "
		    "{'counter': 'cgroup:/vm.misc.sgx_epc.peak', 'op': '>', 'value': 0}, "
		    "{'counter': 'cgroup:/vm.misc.sgx_epc.max', 'op': '==', 'value': 0}, "
		    "{'counter': 'cgroup:/vm.misc.sgx_epc.events.max', 'op': '>=', 'value': 1}, "
		    "{'counter': 'cgroup:/vm.misc.sgx_epc.events.local.max', 'op': '>=', 'value': 1}]}");
	a = &s->actors[0];
	assert_int_equal(a->kind, CM_ACTOR_VEPC);
	assert_string_equal(a->cgroup, "/vm");
	assert_int_equal(a->cpu_node, 0);
	assert_true(a->start_ms == 10);
	assert_true(a->run_ms == 20);
	assert_true(a->epc_bytes == 64 * MiB);
	assert_true(a->anon_bytes == 0 && a->file_bytes == 0 && a->heap_bytes == 0 && a->enclave_size == 0);
	assert_int_equal(a->ssa_frame_pages, 0);
	assert_true(a->access.pages_per_ms == 0);
	assert_true(s->actors[1].epc_bytes == 8192);	/* rounded up to pages */
	assert_string_equal(s->expects[5].counter, "cgroup:/vm.misc.sgx_epc.events.local.max");
	cm_scenario_free(s);
	expect_error("{" BASE ", 'actors': [{'name': 'v', 'kind': 'vepc'}]}", SOURCE ": $.actors[0]: missing field "
		     "\"size\"");
	expect_error("{" BASE ", 'actors': [{'name': 'v', 'kind': 'vepc', 'size': 0}]}",
		     SOURCE ": $.actors[0].size: expected a size above 0, found 0");
	expect_error("{" BASE ", 'actors': [{'name': 'v', 'kind': 'vepc', 'size': '0x10000000000001'}]}",
		     "$.actors[0].size: 4503599627370497 bytes is more than a 52-bit physical address space");
	expect_error("{" BASE ", 'actors': [{'name': 'v', 'kind': 'vepc', 'size': '1Q'}]}",
		     "$.actors[0].size: expected a size");
	expect_error("{" BASE ", 'actors': [{'name': 'v', 'kind': 'vepc', 'size': 1, 'cgroup': '/x'}]}",
		     "$.actors[0].cgroup: cgroup \"/x\" is not listed in $.cgroups");
	expect_error("{" BASE ", 'actors': [{'name': 'v', 'kind': 'vepc', 'size': 1, 'start_ms': 1001}]}",
		     "$.actors[0].start_ms: 1001 is after the end of the run");
}

static void test_scenario_kind_specific_fields_refused(void **state)
{
	static const char enclave_fields[] = "(known fields: name, kind, cgroup, node, start_ms, run_ms, size, heap, "
					     "ssa_frame_pages, access)";
	static const char vepc_fields[] = "(known fields: name, kind, cgroup, node, start_ms, run_ms, size)";
	static const char process_fields[] = "(known fields: name, kind, cgroup, node, policy, start_ms, run_ms, "
					     "anon, file, access)";

	(void)state;
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': 1, 'anon': 1}]}",
		     SOURCE ": $.actors[0].anon: not for an enclave (known fields: name, kind, cgroup, node, "
		     "start_ms, run_ms, size, heap, ssa_frame_pages, access)");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': 1, 'file': 1}]}",
		     "$.actors[0].file: not for an enclave");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': 1, 'policy': 'default'}]}",
		     "$.actors[0].policy: not for an enclave");
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'hep': 1}]}",
		     "$.actors[0]: unknown field \"hep\" (known fields: name, kind, cgroup, node, start_ms, run_ms, "
		     "size, heap, ssa_frame_pages, access)");
	expect_error("{" BASE ", 'actors': [{'name': 'v', 'kind': 'vepc', 'size': 1, 'access': {}}]}",
		     SOURCE ": $.actors[0].access: not for a vEPC user (known fields: name, kind, cgroup, node, "
		     "start_ms, run_ms, size)");
	expect_error("{" BASE ", 'actors': [{'name': 'v', 'kind': 'vepc', 'size': 1, 'heap': 1}]}",
		     "$.actors[0].heap: not for a vEPC user");
	expect_error("{" BASE ", 'actors': [{'name': 'v', 'kind': 'vepc', 'size': 1, 'ssa_frame_pages': 1}]}",
		     "$.actors[0].ssa_frame_pages: not for a vEPC user");
	expect_error("{" BASE ", 'actors': [{'name': 'v', 'kind': 'vepc', 'size': 1, 'anon': 1}]}",
		     "$.actors[0].anon: not for a vEPC user");
	expect_error("{" BASE ", 'actors': [{'name': 'v', 'kind': 'vepc', 'size': 1, 'file': 1}]}",
		     "$.actors[0].file: not for a vEPC user");
	expect_error("{" BASE ", 'actors': [{'name': 'v', 'kind': 'vepc', 'size': 1, 'policy': 'default'}]}",
		     "$.actors[0].policy: not for a vEPC user");
	expect_error("{" BASE ", 'actors': [{'name': 'v', 'kind': 'vepc', 'size': 1, 'epc': 1}]}",
		     vepc_fields);
	expect_error("{" BASE ", 'actors': [{'name': 'p', 'anon': 1, 'heap': 1}]}",
		     SOURCE ": $.actors[0].heap: not for a process (known fields: name, kind, cgroup, node, policy, "
		     "start_ms, run_ms, anon, file, access)");
	expect_error("{" BASE ", 'actors': [{'name': 'p', 'kind': 'process', 'anon': 1, 'size': 1}]}",
		     "$.actors[0].size: not for a process");
	expect_error("{" BASE ", 'actors': [{'name': 'p', 'anon': 1, 'ssa_frame_pages': 1}]}",
		     "$.actors[0].ssa_frame_pages: not for a process");
	expect_error("{" BASE ", 'actors': [{'name': 'p', 'anon': 1, 'heap': 1}]}", process_fields);
	expect_error("{" BASE ", 'actors': [{'name': 'e', 'kind': 'enclave', 'heap': 1, 'anon': 1}]}",
		     enclave_fields);
}

static void test_scenario_actor_cgroup_must_exist(void **state)
{
	(void)state;
	expect_error("{" BASE ", 'cgroups': [{'path': '/a/b'}], 'actors': [{'name': 'a', 'anon': 1, 'cgroup': "
		     "'/a/c'}]}",
		     "$.actors[0].cgroup: cgroup \"/a/c\" is not listed in $.cgroups");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'cgroup': 'a'}]}",
		     "$.actors[0].cgroup: cgroup \"a\" is not listed");
	/* Only "/" separates components: no other character compares equal to it. */
	expect_error("{" BASE ", 'cgroups': [{'path': '/a'}], 'actors': [{'name': 'a', 'anon': 1, 'cgroup': "
		     "'\\u0001a'}]}",
		     "$.actors[0].cgroup: cgroup \"\\u0001a\" is not listed in $.cgroups");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'cgroup': 1}]}",
		     "$.actors[0].cgroup: expected a string, found 1");
}

static void test_scenario_actor_node_must_exist_with_cpus(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'node': 1}]}");
	assert_int_equal(s->actors[0].cpu_node, 1);
	cm_scenario_free(s);
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'node': 4}]}",
		     "$.actors[0].node: node 4 does not exist (platform nodes: 0-3)");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'node': 2}]}",
		     "$.actors[0].node: node 2 has no CPUs to run on (nodes with CPUs: 0-1)");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'node': 64}]}",
		     "$.actors[0].node: expected an integer -1..63, found 64");
}

static void test_scenario_policy_nodes_must_exist(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': {'mode': 'interleave', 'nodes': "
		    "'0-1,3'}}]}");
	assert_int_equal(s->actors[0].policy.mode, CM_MPOL_INTERLEAVE);
	assert_true(s->actors[0].policy.nodes == 0xb);
	cm_scenario_free(s);
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': {'mode': 'bind', 'nodes': '0-4'}}]}",
		     "$.actors[0].policy.nodes: node 4 does not exist (platform nodes: 0-3)");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': {'mode': 'bind', 'nodes': '64'}}]}",
		     "$.actors[0].policy.nodes: expected a node list such as \"0-1,3\", found \"64\": number "
		     "too large");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': {'mode': 'bind', 'nodes': '1-0'}}]}",
		     "$.actors[0].policy.nodes: expected a node list");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': {'mode': 'bind', 'nodes': '0\\n'}}]}",
		     "$.actors[0].policy.nodes: expected a node list");
}

static void test_scenario_policy_node_counts_per_mode(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': {'mode': 'preferred', 'nodes': '2'}}, "
		    "{'name': 'b', 'anon': 1, 'policy': 'default'}, {'name': 'c', 'anon': 1, 'policy': "
		    "{'mode': 'default'}}]}");
	assert_int_equal(s->actors[0].policy.mode, CM_MPOL_PREFERRED);
	assert_true(s->actors[0].policy.nodes == 4);
	assert_int_equal(s->actors[1].policy.mode, CM_MPOL_DEFAULT);
	assert_int_equal(s->actors[2].policy.mode, CM_MPOL_DEFAULT);
	cm_scenario_free(s);
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': {'mode': 'bind'}}]}",
		     "$.actors[0].policy.nodes: policy bind needs at least one node");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': {'mode': 'interleave', 'nodes': ''}}]}",
		     "$.actors[0].policy.nodes: policy interleave needs at least one node");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': {'mode': 'preferred', 'nodes': "
		     "'0-1'}}]}",
		     "$.actors[0].policy.nodes: policy preferred takes exactly one node, found 2");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': {'mode': 'default', 'nodes': '0'}}]}",
		     "$.actors[0].policy.nodes: policy default takes no nodes");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': 'bind'}]}",
		     "$.actors[0].policy: expected \"default\" or an object");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': {'nodes': '0'}}]}",
		     "$.actors[0].policy: missing field \"mode\"");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'policy': {'mode': 'local'}}]}",
		     "$.actors[0].policy.mode: expected one of default, bind, preferred, interleave, found \"local\"");
}

static void test_scenario_start_never_and_within_run(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'start_ms': 'never'}, "
		    "{'name': 'b', 'anon': 1, 'start_ms': 1000, 'run_ms': 5}]}");
	assert_true(s->actors[0].start_ms == UINT64_MAX);
	assert_true(s->actors[1].start_ms == 1000);
	assert_true(s->actors[1].run_ms == 5);
	cm_scenario_free(s);
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'start_ms': 1001}]}",
		     "$.actors[0].start_ms: 1001 is after the end of the run (duration_ms 1000)");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'start_ms': 'later'}]}",
		     "$.actors[0].start_ms: expected a time in ms (a non-negative integer) or \"never\", found "
		     "\"later\"");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'run_ms': -1}]}",
		     "$.actors[0].run_ms: expected an integer 0..1000000000, found -1");
}

static void test_scenario_sizes_rounded_to_pages(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'file': 4096}, {'name': 'b', 'anon': '4097', "
		    "'file': '0x10000000001'}, {'name': 'c', 'file': '1M'}]}");
	assert_true(s->actors[0].anon_bytes == 4096);
	assert_true(s->actors[0].file_bytes == 4096);
	assert_true(s->actors[1].anon_bytes == 8192);
	assert_true(s->actors[1].file_bytes == 1024 * GiB + 4096);
	assert_true(s->actors[2].anon_bytes == 0);
	assert_true(s->actors[2].file_bytes == MiB);
	cm_scenario_free(s);
	/* 2^52 is a size, but more than the actors of BASE may map. */
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'file': '0x10000000000000'}]}",
		     "$.actors[0].file: the actors' memory reaches 4.00 PiB here, over the limit of 3.00 TiB");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': '0x10000000000001'}]}",
		     "$.actors[0].anon: 4503599627370497 bytes is more than a 52-bit physical address space");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'file': '0xffffffffffffffff'}]}",
		     "$.actors[0].file: 18446744073709551615 bytes is more than");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 18446744073709551615}]}",
		     "$.actors[0].anon: expected a size");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': '16E'}]}", "$.actors[0].anon: expected a size");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1.5}]}", "$.actors[0].anon: expected a size");
}

static void test_scenario_process_needs_memory(void **state)
{
	(void)state;
	expect_error("{" BASE ", 'actors': [{'name': 'a'}]}",
		     SOURCE ": $.actors[0]: a process needs memory: give \"anon\" or \"file\" a size above 0");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 0, 'file': '0K'}]}", "$.actors[0]: a process "
		     "needs memory");
}

static void test_scenario_access_pattern_rules(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'access': {'pattern': 'zipf', 'skew': 0.99, "
		    "'rate': 1000, 'write': 0.3}}, {'name': 'b', 'anon': 1, 'access': {'pattern': 'uniform', "
		    "'write': 1}}, "
		    "{'name': 'c', 'anon': 1, 'access': {'pattern': 'zipf', 'skew': 10}}]}");
	assert_int_equal(s->actors[0].access.pattern, CM_ACCESS_ZIPF);
	assert_true(s->actors[0].access.zipf_skew == 0.99);
	assert_true(s->actors[0].access.pages_per_ms == 1000);
	assert_true(s->actors[0].access.write_fraction == 0.3);
	assert_int_equal(s->actors[1].access.pattern, CM_ACCESS_UNIFORM);
	assert_true(s->actors[1].access.write_fraction == 1);
	assert_true(s->actors[2].access.zipf_skew == 10);
	cm_scenario_free(s);
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'access': {'pattern': 'zipf'}}]}",
		     "$.actors[0].access: missing field \"skew\"");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'access': {'skew': 1}}]}",
		     "$.actors[0].access.skew: only the zipf pattern takes a skew");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'access': {'pattern': 'zipf', 'skew': 0}}]}",
		     "$.actors[0].access.skew: expected a number greater than 0 and at most 10, found 0");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'access': {'pattern': 'zipf', 'skew': 10.5}}]}",
		     "$.actors[0].access.skew: expected a number greater than 0 and at most 10, found 10.5");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'access': {'pattern': 'zipf', 'skew': '1'}}]}",
		     "$.actors[0].access.skew: expected a number greater than 0");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'access': {'write': 1.01}}]}",
		     "$.actors[0].access.write: expected a number 0..1, found 1.01");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'access': {'write': -0.1}}]}",
		     "$.actors[0].access.write: expected a number 0..1");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'access': {'rate': 1000000001}}]}",
		     "$.actors[0].access.rate: expected an integer 0..1000000000, found 1000000001");
	expect_error("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'access': {'pattern': 'random'}}]}",
		     "$.actors[0].access.pattern: expected one of sequential, uniform, zipf, found \"random\"");
}

/* ---- events ---- */

static void test_scenario_events_sorted_stably(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'actors': [{'name': 'a', 'anon': 1}, {'name': 'b', 'anon': 1}, {'name': 'c', "
		    "'anon': 1}], "
		    "'events': [{'at_ms': 30, 'kind': 'kill', 'actor': 'a'}, {'at_ms': 10, 'kind': 'kill', "
		    "'actor': 'b'}, "
		    "{'at_ms': 30, 'kind': 'kill', 'actor': 'c'}, {'at_ms': 10, 'kind': 'kill', 'actor': 'a'}, "
		    "{'at_ms': 0, 'kind': 'set', 'key': 'demotion_enabled', 'value': true}, "
		    "{'at_ms': 30, 'kind': 'kill', 'actor': 'b'}]}");
	assert_int_equal(s->nr_events, 6);
	assert_int_equal(s->events[0].kind, CM_EVENT_SET);
	assert_true(s->events[1].at_ms == 10);
	assert_string_equal(s->events[1].actor, "b");
	assert_true(s->events[2].at_ms == 10);
	assert_string_equal(s->events[2].actor, "a");
	assert_string_equal(s->events[3].actor, "a");
	assert_string_equal(s->events[4].actor, "c");
	assert_string_equal(s->events[5].actor, "b");
	assert_true(s->events[5].at_ms == 30);
	cm_scenario_free(s);
}

static void test_scenario_event_at_ms_within_run(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", " ONE_ACTOR ", 'events': [{'at_ms': 1000, 'kind': 'kill', 'actor': 'a'}]}");
	cm_scenario_free(s);
	expect_error("{" BASE ", " ONE_ACTOR ", 'events': [{'at_ms': 1001, 'kind': 'kill', 'actor': 'a'}]}",
		     "$.events[0].at_ms: 1001 is after the end of the run (duration_ms 1000)");
	expect_error("{" BASE ", " ONE_ACTOR ", 'events': [{'at_ms': '1', 'kind': 'kill', 'actor': 'a'}]}",
		     "$.events[0].at_ms: expected a non-negative integer, found \"1\"");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'pause'}]}",
		     "$.events[0].kind: expected one of start, kill, cgroup_write, hotadd, offline, set, found "
		     "\"pause\"");
}

static void test_scenario_start_and_kill_name_an_actor(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'actors': [{'name': 'a', 'anon': 1, 'start_ms': 'never'}], "
		    "'events': [{'at_ms': 5, 'kind': 'start', 'actor': 'a'}, {'at_ms': 9, 'kind': 'kill', "
		    "'actor': 'a'}]}");
	assert_int_equal(s->events[0].kind, CM_EVENT_START);
	assert_string_equal(s->events[0].actor, "a");
	assert_int_equal(s->events[1].kind, CM_EVENT_KILL);
	cm_scenario_free(s);
	expect_error("{" BASE ", " ONE_ACTOR ", 'events': [{'at_ms': 1, 'kind': 'kill', 'actor': 'b'}]}",
		     "$.events[0].actor: no actor named \"b\" in $.actors");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'kill', 'actor': 'b'}]}",
		     "$.events[0].actor: no actor named \"b\" in $.actors");
	expect_error("{" BASE ", " ONE_ACTOR ", 'events': [{'at_ms': 1, 'kind': 'start', 'actor': 'a'}]}",
		     "$.events[0].actor: actor \"a\" starts at start_ms 0; a start event needs its "
		     "\"start_ms\": \"never\"");
	expect_error("{" BASE ", " ONE_ACTOR ", 'events': [{'at_ms': 1, 'kind': 'kill'}]}",
		     "$.events[0]: missing field \"actor\"");
}

static void test_scenario_cgroup_write_event(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'cgroups': [{'path': '/a'}], 'events': [{'at_ms': 1, 'kind': 'cgroup_write', "
		    "'cgroup': '/a', 'file': 'misc.max', 'value': '2M'}, {'at_ms': 2, 'kind': 'cgroup_write', "
		    "'cgroup': '/a', 'file': 'memory.swap.max', 'value': 'max'}]}");
	assert_int_equal(s->events[0].kind, CM_EVENT_CGROUP_WRITE);
	assert_string_equal(s->events[0].cgroup, "/a");
	assert_string_equal(s->events[0].file, "misc.max");
	assert_true(s->events[0].value == 2 * MiB);
	assert_string_equal(s->events[1].file, "memory.swap.max");
	assert_true(s->events[1].value == CM_LIMIT_MAX);
	cm_scenario_free(s);
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'cgroup_write', 'cgroup': '/', 'file': 'memory.max', "
		     "'value': 1}]}", "$.events[0].cgroup: the root cgroup \"/\" has no memory.max");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'cgroup_write', 'cgroup': '/b', 'file': 'memory.max', "
		     "'value': 1}]}", "$.events[0].cgroup: cgroup \"/b\" is not listed in $.cgroups");
	expect_error("{" BASE ", 'cgroups': [{'path': '/a'}], 'events': [{'at_ms': 1, 'kind': 'cgroup_write', "
		     "'cgroup': '/a', 'file': 'memory.high', 'value': 1}]}",
		     "$.events[0].file: expected one of memory.max, memory.swap.max, misc.max, found \"memory.high\"");
	expect_error("{" BASE ", 'cgroups': [{'path': '/a'}], 'events': [{'at_ms': 1, 'kind': 'cgroup_write', "
		     "'cgroup': '/a', 'file': 'memory.max'}]}", "$.events[0]: missing field \"value\"");
	expect_error("{" BASE ", 'cgroups': [{'path': '/a'}], 'events': [{'at_ms': 1, 'kind': 'cgroup_write', "
		     "'file': 'memory.max', 'value': 1}]}", "$.events[0]: missing field \"cgroup\"");
}

static void test_scenario_hotadd_and_offline_whole_blocks(void **state)
{
	const struct cm_hotplug_request *h;
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'config': {'hotplug.mode': 'notifier'}, 'events': ["
		    "{'at_ms': 1, 'kind': 'hotadd', 'start': '1T', 'size': '64G'}, "
		    "{'at_ms': 2, 'kind': 'hotadd', 'start': '1T', 'size': '128M', 'node': 2, 'new_node': true, "
		    "'mode': 'devdax'}, {'at_ms': 3, 'kind': 'offline', 'start': '4G', 'size': '256M'}]}");
	h = &s->events[0].hotplug;
	assert_true(h->start == 1024 * GiB);
	assert_true(h->size == 64 * GiB);
	assert_int_equal(h->node, -1);
	assert_false(h->new_node);
	assert_int_equal(h->mode, CM_HOTPLUG_NOTIFIER);	/* the configuration's hotplug.mode */
	assert_int_equal(h->mixed, 0);
	h = &s->events[1].hotplug;
	assert_int_equal(h->node, 2);
	assert_true(h->new_node);
	assert_int_equal(h->mode, CM_HOTPLUG_DEVDAX);
	assert_int_equal(s->events[2].kind, CM_EVENT_OFFLINE);
	assert_true(s->events[2].hotplug.start == 4 * GiB);
	assert_true(s->events[2].hotplug.size == 256 * MiB);
	cm_scenario_free(s);
	s = load_ok("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'hotadd', 'start': '1T', 'size': '64G'}]}");
	assert_int_equal(s->events[0].hotplug.mode, CM_HOTPLUG_CHECK);
	cm_scenario_free(s);
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'hotadd', 'start': '0x1000', 'size': '128M'}]}",
		     "$.events[0].start: 0x1000 is not aligned to the memory block size (128.00 MiB)");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'offline', 'start': '4G', 'size': 0}]}",
		     "$.events[0].size: 0x0 is not a whole number of memory blocks above 0");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'offline', 'start': '4G', 'size': '1M'}]}",
		     "$.events[0].size: 0x100000 is not a whole number of memory blocks");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'hotadd', 'start': '0xfffffffff8000000', "
		     "'size': '0x8000000'}]}", "$.events[0]: range 0xfffffffff8000000+0x8000000 ends beyond the "
		     "52-bit physical address space");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'hotadd', 'start': '4P', 'size': '128M'}]}",
		     "ends beyond the 52-bit physical address space");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'hotadd', 'start': '1T', 'size': '1G', 'mode': 'x'}]}",
		     "$.events[0].mode: expected one of check, notifier, devdax, found \"x\"");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'hotadd', 'start': '1T', 'size': '1G', "
		     "'new_node': 1}]}",
		     "$.events[0].new_node: expected true or false, found 1");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'hotadd', 'size': '1G'}]}",
		     "$.events[0]: missing field \"start\"");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'offline', 'start': '4G', 'size': '1G', 'node': 0}]}",
		     "$.events[0]: unknown field \"node\" (known fields: at_ms, kind, start, size)");
}

static void test_scenario_set_event_knob_checked_at_load(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'set', 'key': 'demotion_enabled', 'value': true}, "
		    "{'at_ms': 2, 'kind': 'set', 'key': 'swap_bytes', 'value': '2G'}, "
		    "{'at_ms': 3, 'kind': 'set', 'key': 'zone_reclaim_mode', 'value': 8}]}");
	assert_string_equal(s->events[0].key, "demotion_enabled");
	assert_string_equal(s->events[0].knob_value, "1");
	assert_string_equal(s->events[1].knob_value, "2G");
	assert_string_equal(s->events[2].knob_value, "8");
	/* Set events change nothing at load time. */
	assert_false(s->config.demotion_enabled);
	cm_scenario_free(s);
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'set', 'key': 'demotion', 'value': true}]}",
		     SOURCE ": $.events[0].key: unknown configuration knob");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'set', 'key': 'sgx.oom', 'value': 'kill'}]}",
		     SOURCE ": $.events[0].value: expected none|kill-enclave, found \"kill\"");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'set', 'key': 'swap_bytes', "
		     "'value': '0000000000000000000000000000000000000000000000000000000000000001G'}]}",
		     "$.events[0].value: expected at most 63 characters, found 65");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'set', 'key': 'swap_bytes'}]}",
		     "$.events[0]: missing field \"value\"");
	expect_error("{" BASE ", 'events': [{'at_ms': 1, 'kind': 'set', 'key': 'swap_bytes', 'value': []}]}",
		     "$.events[0].value: expected a string, an integer or true/false, found an array");
}

/* ---- expectations ---- */

static void test_scenario_expect_counter_and_outcome(void **state)
{
	struct cm_scenario *s;

	(void)state;
	s = load_ok("{" BASE ", " ONE_ACTOR ", 'expect': [{'actor': 'a', 'outcome': 'exited'}, "
		    "{'counter': 'pgdemote_kswapd', 'op': '>', 'value': 0}, "
		    "{'counter': 'cgroup:/batch.memory.current', 'op': '<=', 'value': '1G'}, "
		    "{'counter': 'node1.pswpout', 'op': '!=', 'value': 3}]}");
	assert_int_equal(s->nr_expects, 4);
	assert_int_equal(s->expects[0].kind, CM_EXPECT_OUTCOME);
	assert_string_equal(s->expects[0].actor, "a");
	assert_int_equal(s->expects[0].outcome, CM_OUTCOME_EXITED);
	assert_string_equal(s->expects[0].text, "a exited");
	assert_int_equal(s->expects[1].kind, CM_EXPECT_COUNTER);
	assert_string_equal(s->expects[1].counter, "pgdemote_kswapd");
	assert_int_equal(s->expects[1].op, CM_EXPECT_GT);
	assert_true(s->expects[1].value == 0);
	assert_string_equal(s->expects[1].text, "pgdemote_kswapd > 0");
	assert_int_equal(s->expects[2].op, CM_EXPECT_LE);
	assert_true(s->expects[2].value == GiB);
	assert_string_equal(s->expects[2].text, "cgroup:/batch.memory.current <= 1073741824");
	assert_int_equal(s->expects[3].op, CM_EXPECT_NE);
	cm_scenario_free(s);
	expect_error("{" BASE ", 'expect': [{'counter': 'x', 'value': 1}]}", "$.expect[0]: missing field \"op\"");
	expect_error("{" BASE ", 'expect': [{'counter': 'x', 'op': '>'}]}", "$.expect[0]: missing field \"value\"");
	expect_error("{" BASE ", 'expect': [{'counter': 'x', 'op': '=>', 'value': 1}]}",
		     "$.expect[0].op: expected one of ==, !=, >, >=, <, <=, found \"=>\"");
	expect_error("{" BASE ", 'expect': [{'counter': 'x', 'op': '>', 'value': -1}]}", "$.expect[0].value: "
		     "expected a size");
	expect_error("{" BASE ", " ONE_ACTOR ", 'expect': [{'actor': 'a', 'outcome': 'finished'}]}",
		     "$.expect[0].outcome: expected one of pending, running, exited, failed, killed, found "
		     "\"finished\"");
	expect_error("{" BASE ", " ONE_ACTOR ", 'expect': [{'actor': 'a'}]}", "$.expect[0]: missing field \"outcome\"");
	expect_error("{" BASE ", " ONE_ACTOR ", 'expect': [{'actor': 'b', 'outcome': 'exited'}]}",
		     "$.expect[0].actor: no actor named \"b\" in $.actors");
}

static void test_scenario_expect_exactly_one_of_actor_or_counter(void **state)
{
	(void)state;
	expect_error("{" BASE ", " ONE_ACTOR ", 'expect': [{'actor': 'a', 'counter': 'x', 'outcome': 'exited'}]}",
		     "$.expect[0]: expected exactly one of \"actor\" (with \"outcome\") or \"counter\" (with "
		     "\"op\" and \"value\")");
	expect_error("{" BASE ", 'expect': [{'op': '>', 'value': 1}]}", "$.expect[0]: expected exactly one of");
	expect_error("{" BASE ", 'expect': [3]}", "$.expect[0]: expected an object, found 3");
}

static void test_scenario_counter_name_rules(void **state)
{
	char text[512];

	(void)state;
	expect_error("{" BASE ", 'expect': [{'counter': '', 'op': '>', 'value': 1}]}",
		     "$.expect[0].counter: expected a counter name of 1..127 characters [A-Za-z0-9_.:/-], found \"\"");
	expect_error("{" BASE ", 'expect': [{'counter': 'pg demote', 'op': '>', 'value': 1}]}",
		     "$.expect[0].counter: expected a counter name");
	snprintf(text, sizeof(text), "{" BASE ", 'expect': [{'counter': '%0127d', 'op': '>', 'value': 1}]}", 0);
	cm_scenario_free(load_ok(text));
	snprintf(text, sizeof(text), "{" BASE ", 'expect': [{'counter': '%0128d', 'op': '>', 'value': 1}]}", 0);
	expect_error(text, "$.expect[0].counter: expected a counter name of 1..127 characters");
}

static void test_scenario_outcome_names(void **state)
{
	(void)state;
	assert_string_equal(cm_outcome_name(CM_OUTCOME_PENDING), "pending");
	assert_string_equal(cm_outcome_name(CM_OUTCOME_RUNNING), "running");
	assert_string_equal(cm_outcome_name(CM_OUTCOME_EXITED), "exited");
	assert_string_equal(cm_outcome_name(CM_OUTCOME_FAILED), "failed");
	assert_string_equal(cm_outcome_name(CM_OUTCOME_KILLED), "killed");
	assert_string_equal(cm_outcome_name((enum cm_outcome)99), "unknown");
}

/* ---- whole files ---- */

static void test_scenario_fixture_file_loads_completely(void **state)
{
	struct cm_scenario *s = NULL;
	struct cm_error err = { 0 };

	(void)state;
	if (cm_scenario_from_json_file(SCENARIO_DATA "/tiering.json", &s, &err))
		fail_msg("%s", err.msg);
	assert_true(s->seed == 7);
	assert_true(s->duration_ms == 2000);
	assert_true(s->config.demotion_enabled);
	assert_true(s->config.swap_bytes == GiB);
	assert_int_equal(s->nr_cgroups, 2);
	assert_string_equal(s->cgroups[0].path, "/batch");
	assert_string_equal(s->cgroups[1].path, "/batch/low");
	assert_int_equal(s->nr_actors, 2);
	assert_true(s->actors[0].policy.nodes == 3);
	assert_true(s->actors[1].anon_bytes == 4096);
	assert_int_equal(s->nr_events, 5);
	assert_int_equal(s->events[0].kind, CM_EVENT_START);
	assert_int_equal(s->events[1].kind, CM_EVENT_CGROUP_WRITE);
	assert_int_equal(s->events[2].kind, CM_EVENT_HOTADD);
	assert_int_equal(s->events[3].kind, CM_EVENT_SET);
	assert_int_equal(s->events[4].kind, CM_EVENT_KILL);
	assert_int_equal(s->nr_expects, 2);
	cm_scenario_free(s);
	cm_scenario_free(NULL);
	expect_file_error("no-such-scenario.json", "no-such-scenario.json: cannot open");
}

/* Every ```json block of docs/scenarios.md is a scenario that loads; the first is the complete example. */
static void test_scenario_docs_example_loads(void **state)
{
	const char *path = CONFMEM_SOURCE_DIR "/docs/scenarios.md";
	struct cm_scenario *s = NULL;
	struct cm_error err = { 0 };
	char *doc, *start, *end;
	size_t len, nr_blocks = 0;

	(void)state;
	if (cm_json_read_file(path, &doc, &len, &err))
		fail_msg("%s", err.msg);
	for (start = strstr(doc, "```json\n"); start; start = strstr(end + 3, "```json\n")) {
		start += strlen("```json\n");
		end = strstr(start, "```");
		assert_non_null(end);
		if (cm_scenario_from_json_string(start, (size_t)(end - start), "docs/scenarios.md", NULL, &s, &err))
			fail_msg("block %zu: %s", nr_blocks, err.msg);
		if (nr_blocks == 0) {
			assert_true(s->nr_actors > 0);
			assert_true(s->nr_events > 0);
			assert_true(s->nr_expects > 0);
		}
		cm_scenario_free(s);
		nr_blocks++;
	}
	assert_true(nr_blocks >= 2);	/* the complete example and the enclave example */
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario_platform_preset_file_or_inline),
		cmocka_unit_test(test_scenario_platform_errors_name_their_source),
		cmocka_unit_test(test_scenario_platform_file_relative_to_base_dir),
		cmocka_unit_test(test_scenario_unknown_field_is_error),
		cmocka_unit_test(test_scenario_required_fields),
		cmocka_unit_test(test_scenario_syntax_error_names_line),
		cmocka_unit_test(test_scenario_seed_default_and_duration_range),
		cmocka_unit_test(test_scenario_config_knobs_applied),
		cmocka_unit_test(test_scenario_bad_knob_names_path),
		cmocka_unit_test(test_scenario_cgroup_parents_implicit),
		cmocka_unit_test(test_scenario_cgroups_sorted_parents_first),
		cmocka_unit_test(test_scenario_cgroup_path_rules),
		cmocka_unit_test(test_scenario_cgroup_limits_max_or_size),
		cmocka_unit_test(test_scenario_cgroup_limit_with_nul),
		cmocka_unit_test(test_scenario_actor_defaults),
		cmocka_unit_test(test_scenario_actor_without_access_rate_warns),
		cmocka_unit_test(test_scenario_actor_names_unique_and_valid),
		cmocka_unit_test(test_scenario_actor_kinds),
		cmocka_unit_test(test_scenario_enclave_fields),
		cmocka_unit_test(test_scenario_enclave_size_power_of_two),
		cmocka_unit_test(test_scenario_enclave_heap_must_fit),
		cmocka_unit_test(test_scenario_enclave_size_default),
		cmocka_unit_test(test_scenario_vepc_fields),
		cmocka_unit_test(test_scenario_kind_specific_fields_refused),
		cmocka_unit_test(test_scenario_actor_cgroup_must_exist),
		cmocka_unit_test(test_scenario_actor_node_must_exist_with_cpus),
		cmocka_unit_test(test_scenario_policy_nodes_must_exist),
		cmocka_unit_test(test_scenario_policy_node_counts_per_mode),
		cmocka_unit_test(test_scenario_start_never_and_within_run),
		cmocka_unit_test(test_scenario_sizes_rounded_to_pages),
		cmocka_unit_test(test_scenario_process_needs_memory),
		cmocka_unit_test(test_scenario_access_pattern_rules),
		cmocka_unit_test(test_scenario_events_sorted_stably),
		cmocka_unit_test(test_scenario_event_at_ms_within_run),
		cmocka_unit_test(test_scenario_start_and_kill_name_an_actor),
		cmocka_unit_test(test_scenario_cgroup_write_event),
		cmocka_unit_test(test_scenario_hotadd_and_offline_whole_blocks),
		cmocka_unit_test(test_scenario_set_event_knob_checked_at_load),
		cmocka_unit_test(test_scenario_expect_counter_and_outcome),
		cmocka_unit_test(test_scenario_expect_exactly_one_of_actor_or_counter),
		cmocka_unit_test(test_scenario_counter_name_rules),
		cmocka_unit_test(test_scenario_outcome_names),
		cmocka_unit_test(test_scenario_fixture_file_loads_completely),
		cmocka_unit_test(test_scenario_docs_example_loads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
