// SPDX-License-Identifier: MIT
/*
 * The report model and its renderers: one description, rendered as text
 * (layouts, "-" for empty values, log prefixes, debug lines with -v) and
 * as JSON (raw numbers; with -u addresses "0x..." and sizes "64.00 GiB
 * (68.72 GB)"; text-only items left out).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "helpers.h"
#include "confmem/report.h"

static const struct cm_report_style raw = { .json = CM_JSON_RAW };
static const struct cm_report_style human = { .json = CM_JSON_HUMAN };
static const struct cm_report_style verbose = { .json = CM_JSON_RAW, .verbose = 1 };

/* Render @r with @renderer into a string the caller frees. */
static char *render(const struct cm_report *r, const char *renderer, const struct cm_report_style *style)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(cm_report_render(r, renderer, style, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void expect_render(const struct cm_report *r, const char *renderer, const struct cm_report_style *style,
			  const char *want)
{
	char *got = render(r, renderer, style);

	assert_string_equal(got, want);
	free(got);
}

/*
 * A table of two rows:  text "0     64.00 GiB\n1     -\n"; JSON an array
 * of {"node", "memory_bytes"} with the second row's size absent.
 */
static struct cm_report *two_rows(void)
{
	struct cm_report *r = cm_report_new();
	struct cm_report_item *a, *row;

	assert_non_null(r);
	a = cm_report_add_array(cm_report_document(r), "nodes", NULL);
	row = cm_report_add_object(a, NULL, NULL);
	cm_report_add_int(row, "node", "%-5s ", 0);
	cm_report_add_bytes(row, "memory_bytes", "%s\n", 64 * GiB);
	row = cm_report_add_object(a, NULL, NULL);
	cm_report_add_int(row, "node", "%-5s ", 1);
	cm_report_add_string(row, NULL, "%s\n", "");
	return r;
}

static void test_text_lays_out_each_value_with_its_format(void **state)
{
	struct cm_report *r = two_rows();

	(void)state;
	expect_render(r, "text", &raw, "0     64.00 GiB\n1     -\n");
	cm_report_free(r);
}

static void test_json_numbers_are_raw_by_default(void **state)
{
	struct cm_report *r = two_rows();

	(void)state;
	expect_render(r, "json", &raw,
		      "[\n  {\n    \"node\": 0,\n    \"memory_bytes\": 68719476736\n  },\n  {\n    \"node\": 1\n  }\n]\n");
	cm_report_free(r);
}

static void test_json_human_sizes_and_addresses(void **state)
{
	struct cm_report *r = cm_report_new();
	struct cm_report_item *o = cm_report_add_object(cm_report_document(r), "range", NULL);

	(void)state;
	cm_report_add_addr(o, "start", "[%s, ", 0x100000000ULL);
	cm_report_add_bytes(o, "size", "%s)\n", 64 * GiB);
	expect_render(r, "json", &human,
		      "{\n  \"start\": \"0x100000000\",\n  \"size\": \"64.00 GiB (68.72 GB)\"\n}\n");
	expect_render(r, "json", &raw, "{\n  \"start\": 4294967296,\n  \"size\": 68719476736\n}\n");
	expect_render(r, "text", &raw, "[0x100000000, 64.00 GiB)\n");
	cm_report_free(r);
}

static void test_text_only_and_json_only_items(void **state)
{
	struct cm_report *r = cm_report_new();
	struct cm_report_item *doc = cm_report_document(r), *o;

	(void)state;
	cm_report_add_text(doc, "header\n");
	o = cm_report_add_object(doc, "verdict", NULL);
	cm_report_add_bool(o, "accepted", NULL, true);
	cm_report_add_string(o, NULL, "only in text: %s\n", "x");
	cm_report_add_nodemask(o, "targets", "targets %s\n", 0x5);
	cm_report_add_nodemask(o, "none", "none %s\n", 0);
	expect_render(r, "text", &raw, "header\nonly in text: x\ntargets 0,2\nnone -\n");
	expect_render(r, "json", &raw,
		      "{\n  \"accepted\": true,\n  \"targets\": [\n    0,\n    2\n  ],\n  \"none\": [\n  ]\n}\n");
	cm_report_free(r);
}

static struct cm_report *tdx_log(struct cm_log *log)
{
	struct cm_report *r = cm_report_new();
	struct cm_report_item *o = cm_report_add_object(cm_report_document(r), "tdx", NULL);

	memset(log, 0, sizeof(*log));
	cm_log_add(log, CM_LOG_INFO, "%s", "1 KB allocated for PAMT");
	cm_log_add(log, CM_LOG_DEBUG, "%s", "TDMR 0: detail");
	cm_report_add_log(o, "log", log, CM_REPORT_TDX_PREFIX);
	return r;
}

static void test_log_lines_take_the_prefix_and_debug_needs_verbose(void **state)
{
	struct cm_log log;
	struct cm_report *r = tdx_log(&log);

	(void)state;
	expect_render(r, "text", &raw, "virt/tdx: 1 KB allocated for PAMT\n");
	expect_render(r, "text", &verbose, "virt/tdx: 1 KB allocated for PAMT\nvirt/tdx: TDMR 0: detail\n");
	cm_log_free(&log);
	cm_report_free(r);
}

static void test_json_log_holds_every_line_without_prefix(void **state)
{
	struct cm_log log;
	struct cm_report *r = tdx_log(&log);

	(void)state;
	expect_render(r, "json", &raw, "{\n  \"log\": [\n    \"1 KB allocated for PAMT\",\n    \"TDMR 0: detail\"\n  ]\n}\n");
	cm_log_free(&log);
	cm_report_free(r);
}

static void test_log_without_prefix_is_json_only(void **state)
{
	struct cm_report *r = cm_report_new();
	struct cm_report_item *o = cm_report_add_object(cm_report_document(r), "verdict", NULL);
	struct cm_log log = { 0 };

	(void)state;
	cm_log_add(&log, CM_LOG_INFO, "%s", "added");
	cm_report_add_log(o, "log", &log, NULL);
	expect_render(r, "text", &raw, "");
	expect_render(r, "json", &raw, "{\n  \"log\": [\n    \"added\"\n  ]\n}\n");
	cm_log_free(&log);
	cm_report_free(r);
}

static void test_renderers_are_found_by_name(void **state)
{
	struct cm_report *r = cm_report_new();

	(void)state;
	assert_ptr_equal(cm_report_renderer("text"), &cm_report_text_ops);
	assert_ptr_equal(cm_report_renderer("json"), &cm_report_json_ops);
	assert_ptr_equal(cm_report_renderer("svg"), &cm_report_svg_ops);
	assert_ptr_equal(cm_report_renderer("html"), &cm_report_html_ops);
	assert_null(cm_report_renderer("pdf"));
	assert_int_equal(cm_report_render(r, "pdf", &raw, stdout), -EINVAL);
	assert_int_equal(cm_report_status(r), 0);
	cm_report_free(r);
}

static void test_json_without_a_keyed_item_is_an_error(void **state)
{
	struct cm_report *r = cm_report_new();
	FILE *f = fopen("/dev/null", "w");

	(void)state;
	cm_report_add_text(cm_report_document(r), "text only\n");
	assert_int_equal(cm_report_render(r, "json", &raw, f), -EINVAL);
	fclose(f);
	cm_report_free(r);
}

/* An adder given no parent (a failed earlier add) adds nothing and does not crash. */
static void test_adders_accept_a_missing_parent(void **state)
{
	(void)state;
	assert_null(cm_report_add_object(NULL, "x", NULL));
	assert_null(cm_report_add_u64(NULL, "x", "%s", 1));
	assert_null(cm_report_add_log(NULL, "x", &(struct cm_log){ 0 }, ""));
}

/*
 * Text reads "b a", the JSON documents {"a", "b"}: an object's JSON order
 * is apart from the order items were added, and members it does not name
 * follow in theirs.
 */
static void test_json_order_is_apart_from_the_reading_order(void **state)
{
	static const char *const order[] = { "a", "b", NULL };
	struct cm_report *r = cm_report_new();
	struct cm_report_item *o = cm_report_add_object(cm_report_document(r), "o", NULL);

	(void)state;
	cm_report_set_json_order(o, order);
	cm_report_add_int(o, "c", NULL, 3);
	cm_report_add_int(o, "b", "%s ", 2);
	cm_report_add_int(o, "a", "%s\n", 1);
	expect_render(r, "text", &raw, "2 1\n");
	expect_render(r, "json", &raw, "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}\n");
	cm_report_free(r);
}

/* [mem 0x0000000000001000-0x0000000000001fff] +0x40: hex digits in text, raw numbers in JSON. */
static void test_hex_is_a_text_form_of_any_number(void **state)
{
	struct cm_report *r = cm_report_new();
	struct cm_report_item *o = cm_report_add_object(cm_report_document(r), "o", NULL);

	(void)state;
	cm_report_set_hex(cm_report_add_addr(o, "start", "[mem %s-", 0x1000), 16);
	cm_report_set_hex(cm_report_add_addr(o, NULL, "%s] ", 0x1fff), 16);
	cm_report_set_hex(cm_report_add_bytes(o, "size", "+%s\n", 0x40), 0);
	expect_render(r, "text", &raw, "[mem 0x0000000000001000-0x0000000000001fff] +0x40\n");
	expect_render(r, "json", &raw, "{\n  \"start\": 4096,\n  \"size\": 64\n}\n");
	expect_render(r, "json", &human, "{\n  \"start\": \"0x1000\",\n  \"size\": \"64 B\"\n}\n");
	cm_report_free(r);
}

/* 1 of 8 is 12.500%; of nothing, 0.000%. */
static void test_percent_of_a_whole(void **state)
{
	struct cm_report *r = cm_report_new();
	struct cm_report_item *o = cm_report_add_object(cm_report_document(r), "o", NULL);

	(void)state;
	cm_report_add_percent(o, "share", "%s%% ", 1, 8);
	cm_report_add_percent(o, "none", "%s%%\n", 1, 0);
	expect_render(r, "text", &raw, "12.500% 0.000%\n");
	expect_render(r, "json", &raw, "{\n  \"share\": 12.5,\n  \"none\": 0.0\n}\n");
	cm_report_free(r);
}

static void test_boolean_names_its_text_and_stays_a_boolean_in_json(void **state)
{
	struct cm_report *r = cm_report_new();
	struct cm_report_item *o = cm_report_add_object(cm_report_document(r), "o", NULL);

	(void)state;
	cm_report_set_bool_text(cm_report_add_bool(o, "can_build", "%s, ", true), "can build", "cannot build");
	cm_report_set_bool_text(cm_report_add_bool(o, "passed", "%s\n", false), "pass", "FAIL");
	expect_render(r, "text", &raw, "can build, FAIL\n");
	expect_render(r, "json", &raw, "{\n  \"can_build\": true,\n  \"passed\": false\n}\n");
	cm_report_free(r);
}

/*
 * The default preset: nodes 0-1 DRAM, 2-3 CXL. A filter of node ids and
 * kinds selects the nodes in both; no filter selects every node.
 */
static void test_node_filter_selects_ids_and_kinds(void **state)
{
	struct cm_report_node_filter every = { 0 }, cxl = { .kinds = CM_NODE_KIND_BIT(CM_NODE_CXL) },
				     some = { .nodes = 0x7, .kinds = CM_NODE_KIND_BIT(CM_NODE_CXL) },
				     hbm = { .kinds = CM_NODE_KIND_BIT(CM_NODE_HBM) };
	struct cm_error err = { 0 };
	struct cm_platform *p = NULL;
	cm_nodemask_t selected;

	(void)state;
	assert_int_equal(cm_platform_from_preset("default", &p, &err), 0);
	assert_int_equal(cm_report_select_nodes(p, &every, &selected, &err), 0);
	assert_int_equal(selected, 0xf);
	assert_int_equal(cm_report_select_nodes(p, &cxl, &selected, &err), 0);
	assert_int_equal(selected, 0xc);
	assert_int_equal(cm_report_select_nodes(p, &some, &selected, &err), 0);
	assert_int_equal(selected, 0x4);
	/* No node of the kind: an empty selection, not an error. */
	assert_int_equal(cm_report_select_nodes(p, &hbm, &selected, &err), 0);
	assert_int_equal(selected, 0);
	cm_platform_free(p);
}

/* Expect: a node the platform does not have is an error naming it and the nodes there are. */
static void test_node_filter_names_a_missing_node(void **state)
{
	struct cm_report_node_filter one = { .nodes = 1ULL << 7 }, two = { .nodes = (1ULL << 5) | (1ULL << 9) | 1 };
	struct cm_error err = { 0 };
	struct cm_platform *p = NULL;
	cm_nodemask_t selected = 1;

	(void)state;
	assert_int_equal(cm_platform_from_preset("default", &p, &err), 0);
	assert_int_equal(cm_report_select_nodes(p, &one, &selected, &err), -ENOENT);
	assert_string_equal(err.msg, "node 7 is not in the platform, which has nodes 0-3");
	assert_int_equal(selected, 0);
	assert_int_equal(cm_report_select_nodes(p, &two, &selected, &err), -ENOENT);
	assert_string_equal(err.msg, "nodes 5,9 are not in the platform, which has nodes 0-3");
	cm_platform_free(p);
}

/* The rows of the selected nodes only, in the platform's order; none selected: an empty array. */
static void test_nodes_in_a_mask_are_the_only_rows(void **state)
{
	static const struct cm_report_nodes_layout json_only;
	struct cm_node_capability caps[4] = { { .node = 0 }, { .node = 1 }, { .node = 2 }, { .node = 3 } };
	struct cm_error err = { 0 };
	struct cm_platform *p = NULL;
	struct cm_report *r = cm_report_new();
	char *json;

	(void)state;
	assert_int_equal(cm_platform_from_preset("default", &p, &err), 0);
	assert_int_equal(p->nr_nodes, 4);
	cm_report_add_nodes_in(cm_report_document(r), "nodes", p, caps, NULL, &json_only, 0xa);
	json = render(r, "json", &raw);
	assert_non_null(strstr(json, "\"node\": 1,"));
	assert_non_null(strstr(json, "\"node\": 3,"));
	assert_null(strstr(json, "\"node\": 0,"));
	assert_null(strstr(json, "\"node\": 2,"));
	free(json);
	cm_report_free(r);
	r = cm_report_new();
	cm_report_add_nodes_in(cm_report_document(r), "nodes", p, caps, NULL, &json_only, 0);
	expect_render(r, "json", &raw, "[\n]\n");
	cm_report_free(r);
	cm_platform_free(p);
}

/*
 * The JSON is written as the model is walked, laid out as json-c prints
 * a tree: json-c reading it back and printing it with the same flags must
 * give the same bytes, for every kind of value, nesting, empty containers
 * and each character json-c escapes or leaves alone.
 */
static void expect_json_c_layout(const struct cm_report *r, const struct cm_report_style *style,
				 const char *renderer, int flags)
{
	char *got = render(r, renderer, style);
	struct json_object *tree = json_tokener_parse(got);
	size_t len = strlen(got);
	const char *again;

	assert_non_null(tree);
	assert_true(len > 0 && got[len - 1] == '\n');
	got[len - 1] = '\0';
	again = json_object_to_json_string_ext(tree, flags | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (strcmp(got, again))
		fail_msg("%s: written\n%s\njson-c prints\n%s", renderer, got, again);
	json_object_put(tree);
	free(got);
}

static void test_json_is_laid_out_as_json_c_prints_it(void **state)
{
	struct cm_report *r = cm_report_new();
	struct cm_report_item *o, *a, *inner;
	struct cm_log log = { 0 };
	char every_byte[256];

	(void)state;
	for (int i = 1; i < 256; i++)
		every_byte[i - 1] = (char)i;
	every_byte[255] = '\0';
	cm_log_add(&log, CM_LOG_INFO, "a \"quoted\" line\twith a tab");
	cm_log_add(&log, CM_LOG_INFO, "%s", "");
	o = cm_report_add_object(cm_report_document(r), "top", NULL);
	cm_report_add_string(o, "every byte", NULL, every_byte);
	cm_report_add_string(o, "path/with\\slash", NULL, "a/b \\ c \xc3\xa9 \x7f");
	cm_report_add_int(o, "negative", NULL, -2147483647 - 1);
	cm_report_add_u64(o, "largest", NULL, UINT64_MAX);
	cm_report_add_bytes(o, "size", NULL, 64 * GiB);
	cm_report_add_addr(o, "addr", NULL, 0xfee00000);
	cm_report_add_bool(o, "yes", NULL, true);
	cm_report_add_bool(o, "no", NULL, false);
	cm_report_add_percent(o, "share", NULL, 1, 3);
	cm_report_add_nodemask(o, "nodes", NULL, 0x8000000000000005ULL);
	cm_report_add_nodemask(o, "no_nodes", NULL, 0);
	cm_report_add_object(o, "empty_object", NULL);
	cm_report_add_array(o, "empty_array", NULL);
	a = cm_report_add_array(o, "nested", NULL);
	inner = cm_report_add_object(a, NULL, NULL);
	cm_report_add_array(cm_report_add_array(inner, "deep", NULL), NULL, NULL);
	cm_report_add_int(a, NULL, NULL, 7);
	cm_report_add_log(o, "log", &log, NULL);
	expect_json_c_layout(r, &raw, "json", JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
	expect_json_c_layout(r, &human, "json", JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
	expect_json_c_layout(r, &raw, "json-lines", JSON_C_TO_STRING_PLAIN);
	expect_json_c_layout(r, &human, "json-lines", JSON_C_TO_STRING_PLAIN);
	cm_log_free(&log);
	cm_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_lays_out_each_value_with_its_format),
		cmocka_unit_test(test_json_numbers_are_raw_by_default),
		cmocka_unit_test(test_json_human_sizes_and_addresses),
		cmocka_unit_test(test_text_only_and_json_only_items),
		cmocka_unit_test(test_log_lines_take_the_prefix_and_debug_needs_verbose),
		cmocka_unit_test(test_json_log_holds_every_line_without_prefix),
		cmocka_unit_test(test_log_without_prefix_is_json_only),
		cmocka_unit_test(test_renderers_are_found_by_name),
		cmocka_unit_test(test_json_without_a_keyed_item_is_an_error),
		cmocka_unit_test(test_adders_accept_a_missing_parent),
		cmocka_unit_test(test_json_order_is_apart_from_the_reading_order),
		cmocka_unit_test(test_hex_is_a_text_form_of_any_number),
		cmocka_unit_test(test_percent_of_a_whole),
		cmocka_unit_test(test_boolean_names_its_text_and_stays_a_boolean_in_json),
		cmocka_unit_test(test_node_filter_selects_ids_and_kinds),
		cmocka_unit_test(test_node_filter_names_a_missing_node),
		cmocka_unit_test(test_nodes_in_a_mask_are_the_only_rows),
		cmocka_unit_test(test_json_is_laid_out_as_json_c_prints_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
