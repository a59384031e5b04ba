// SPDX-License-Identifier: MIT
/*
 * The JSON readers of json_util.h: every message names the source and the
 * field's path, and says what was expected and what was found. One test
 * per rule.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#include "confmem/json_util.h"

#define SOURCE "in.json"

static struct json_object *parse_ok(const char *text)
{
	struct json_object *root = NULL;
	struct cm_error err = { 0 };

	if (cm_json_parse(text, strlen(text), SOURCE, &root, &err))
		fail_msg("unexpected error: %s", err.msg);
	return root;
}

static void expect_message(const struct cm_error *err, const char *message)
{
	assert_int_equal(err->code, -EINVAL);
	assert_string_equal(err->msg, message);
}

static void parse_refused(const char *text, size_t len, const char *message)
{
	struct json_object *root = (struct json_object *)&root;
	struct cm_error err = { 0 };

	assert_int_equal(cm_json_parse(text, len, SOURCE, &root, &err), -EINVAL);
	assert_null(root);
	expect_message(&err, message);
}

static void test_parse_empty_input_is_named(void **state)
{
	(void)state;
	parse_refused("", 0, SOURCE ": empty input (expected a JSON document)");
	parse_refused(" \n\t", 3, SOURCE ": empty input (expected a JSON document)");
}

static void test_parse_syntax_error_names_the_line(void **state)
{
	struct json_object *root;
	struct cm_error err = { 0 };
	const char *text = "{\n  \"a\": 1,\n  \"b\": }\n";

	(void)state;
	assert_int_equal(cm_json_parse(text, strlen(text), SOURCE, &root, &err), -EINVAL);
	if (strncmp(err.msg, SOURCE ":3: JSON syntax error: ", strlen(SOURCE ":3: JSON syntax error: ")))
		fail_msg("unexpected message: %s", err.msg);
}

static void test_parse_text_after_the_document_is_refused(void **state)
{
	struct json_object *root;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(cm_json_parse("{}\n{}", 5, SOURCE, &root, &err), -EINVAL);
	if (strncmp(err.msg, SOURCE ":2: JSON syntax error: ", strlen(SOURCE ":2: JSON syntax error: ")))
		fail_msg("unexpected message: %s", err.msg);
}

static void test_parse_truncated_document_is_refused(void **state)
{
	struct json_object *root;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(cm_json_parse("{\"a\": [1,", 9, SOURCE, &root, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "JSON syntax error"));
}

static void test_parse_null_document_gives_null(void **state)
{
	struct json_object *root = (struct json_object *)&root;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(cm_json_parse("null", 4, SOURCE, &root, &err), 0);
	assert_null(root);
}

/* A text of @nr copies of @unit inside "[...]" (the last comma dropped). */
static char *repeated_array(const char *unit, size_t nr, size_t *len)
{
	size_t unit_len = strlen(unit);
	char *text = malloc(nr * unit_len + 2);

	assert_non_null(text);
	text[0] = '[';
	for (size_t i = 0; i < nr; i++)
		memcpy(text + 1 + i * unit_len, unit, unit_len);
	text[nr * unit_len] = ']';
	text[nr * unit_len + 1] = '\0';
	*len = nr * unit_len + 1;
	return text;
}

/* 18 MB of "{}," would be about 5 GiB of json-c tree: refused before json-c reads it. */
static void test_parse_refuses_a_tree_too_big_for_memory(void **state)
{
	struct json_object *root = NULL;
	struct cm_error err = { 0 };
	size_t len;
	char *text = repeated_array("{},", 6000000, &len);

	(void)state;
	assert_int_equal(cm_json_parse(text, len, SOURCE, &root, &err), -EFBIG);
	assert_null(root);
	if (!strstr(err.msg, SOURCE ": 6000000 objects, 1 arrays and 0 members would take about 5.") ||
	    !strstr(err.msg, "GiB of memory to read, more than the limit of 4 GiB"))
		fail_msg("unexpected message: %s", err.msg);
	free(text);
	/* Braces inside a string (after an escaped quote) are text: counted, they would be refused. */
	len = 6000010;
	text = malloc(len + 1);
	assert_non_null(text);
	memset(text, '{', len);
	memcpy(text, "[\"\\\"", 4);
	memcpy(text + len - 2, "\"]", 3);
	assert_int_equal(cm_json_parse(text, len, SOURCE, &root, &err), 0);
	assert_int_equal(json_object_array_length(root), 1);
	assert_int_equal(json_object_get_string_len(json_object_array_get_idx(root, 0)), (int)len - 5);
	json_object_put(root);
	free(text);
}

static void test_line_of_counts_newlines(void **state)
{
	(void)state;
	assert_int_equal(cm_json_line_of("a\nb\nc", 5, 0), 1);
	assert_int_equal(cm_json_line_of("a\nb\nc", 5, 2), 2);
	assert_int_equal(cm_json_line_of("a\nb\nc", 5, 4), 3);
	assert_int_equal(cm_json_line_of("a\nb\nc", 5, 99), 3);
}

static void test_paths_are_built_and_marked_when_cut(void **state)
{
	char path[CM_JSON_PATH_MAX], small[10];

	(void)state;
	cm_json_path_key(path, sizeof(path), "$", "nodes");
	assert_string_equal(path, "$.nodes");
	cm_json_path_index(path, sizeof(path), "$.nodes", 12);
	assert_string_equal(path, "$.nodes[12]");
	cm_json_path_key(small, sizeof(small), "$.nodes[1]", "memory");
	assert_string_equal(small, "$.node...");
	/* A key that is not a plain name is quoted and escaped: a path is one line. */
	cm_json_path_key(path, sizeof(path), "$", "a\nb");
	assert_string_equal(path, "$[\"a\\nb\"]");
	cm_json_path_key(path, sizeof(path), "$.config", "say \"hi\"");
	assert_string_equal(path, "$.config[\"say \\\"hi\\\"\"]");
	cm_json_path_key(path, sizeof(path), "$", "");
	assert_string_equal(path, "$[\"\"]");
	cm_json_path_key(path, sizeof(path), "$.config", "tiering.model");
	assert_string_equal(path, "$.config.tiering.model");
}

static void describe(const char *text, const char *expected)
{
	struct json_object *value = parse_ok(text);
	char found[96];

	cm_json_describe(value, found, sizeof(found));
	assert_string_equal(found, expected);
	json_object_put(value);
}

static void test_describe_shows_each_kind_of_value(void **state)
{
	(void)state;
	describe("null", "null");
	describe("true", "true");
	describe("-12", "-12");
	describe("18446744073709551614", "18446744073709551614");
	describe("1.5", "1.5");
	describe("\"text\"", "\"text\"");
	describe("\"a\\\"b\\n\"", "\"a\\\"b\\n\"");
	describe("{}", "an object");
	describe("[1]", "an array");
	describe("\"0123456789012345678901234567890123456789xyz\"",
		 "\"0123456789012345678901234567890123456789\"...");
}

static void test_value_readers_say_expected_and_found(void **state)
{
	struct json_object *doc = parse_ok("{\"s\": 5, \"b\": \"yes\", \"o\": [], \"a\": {}}");
	struct json_object *value;
	struct cm_error err = { 0 };
	const char *text;
	size_t nr;
	bool flag;

	(void)state;
	json_object_object_get_ex(doc, "s", &value);
	assert_int_equal(cm_json_string(value, SOURCE, "$.s", &text, &err), -EINVAL);
	expect_message(&err, SOURCE ": $.s: expected a string, found 5");
	json_object_object_get_ex(doc, "b", &value);
	assert_int_equal(cm_json_bool(value, SOURCE, "$.b", &flag, &err), -EINVAL);
	expect_message(&err, SOURCE ": $.b: expected true or false, found \"yes\"");
	json_object_object_get_ex(doc, "o", &value);
	assert_int_equal(cm_json_object(value, SOURCE, "$.o", &err), -EINVAL);
	expect_message(&err, SOURCE ": $.o: expected an object, found an array");
	json_object_object_get_ex(doc, "a", &value);
	assert_int_equal(cm_json_array(value, SOURCE, "$.a", &nr, &err), -EINVAL);
	expect_message(&err, SOURCE ": $.a: expected an array, found an object");
	assert_int_equal(cm_json_object(NULL, SOURCE, "$.n", &err), -EINVAL);
	expect_message(&err, SOURCE ": $.n: expected an object, found null");
	json_object_put(doc);
}

static void test_int_and_uint_bounds(void **state)
{
	struct json_object *doc = parse_ok("[5, -1, 70000, 2.0]");
	struct cm_error err = { 0 };
	uint64_t u = 0;
	int64_t i = 0;

	(void)state;
	assert_int_equal(cm_json_int(json_object_array_get_idx(doc, 0), SOURCE, "$[0]", 0, 10, &i, &err), 0);
	assert_int_equal(i, 5);
	assert_int_equal(cm_json_int(json_object_array_get_idx(doc, 1), SOURCE, "$[1]", 0, 10, &i, &err), -EINVAL);
	expect_message(&err, SOURCE ": $[1]: expected an integer 0..10, found -1");
	assert_int_equal(cm_json_uint(json_object_array_get_idx(doc, 2), SOURCE, "$[2]", 65535, &u, &err), -EINVAL);
	expect_message(&err, SOURCE ": $[2]: expected an integer 0..65535, found 70000");
	assert_int_equal(cm_json_uint(json_object_array_get_idx(doc, 1), SOURCE, "$[1]", UINT64_MAX, &u, &err),
			 -EINVAL);
	expect_message(&err, SOURCE ": $[1]: expected a non-negative integer, found -1");
	assert_int_equal(cm_json_uint(json_object_array_get_idx(doc, 3), SOURCE, "$[3]", 10, &u, &err), -EINVAL);
	expect_message(&err, SOURCE ": $[3]: expected an integer 0..10, found 2.0");
	json_object_put(doc);
}

static void test_size_takes_numbers_and_size_strings(void **state)
{
	struct json_object *doc = parse_ok("[4096, \"0x1000\", \"64G\", \"64Q\", -1]");
	struct cm_error err = { 0 };
	uint64_t size = 0;

	(void)state;
	assert_int_equal(cm_json_size(json_object_array_get_idx(doc, 0), SOURCE, "$[0]", &size, &err), 0);
	assert_int_equal(size, 4096);
	assert_int_equal(cm_json_size(json_object_array_get_idx(doc, 1), SOURCE, "$[1]", &size, &err), 0);
	assert_int_equal(size, 4096);
	assert_int_equal(cm_json_size(json_object_array_get_idx(doc, 2), SOURCE, "$[2]", &size, &err), 0);
	assert_int_equal(size, 64 * GiB);
	assert_int_equal(cm_json_size(json_object_array_get_idx(doc, 3), SOURCE, "$[3]", &size, &err), -EINVAL);
	expect_message(&err, SOURCE ": $[3]: expected " CM_JSON_SIZE_EXPECTED
		       ", found \"64Q\": unknown size suffix (expected K, M, G, T or P)");
	assert_int_equal(cm_json_size(json_object_array_get_idx(doc, 4), SOURCE, "$[4]", &size, &err), -EINVAL);
	expect_message(&err, SOURCE ": $[4]: expected " CM_JSON_SIZE_EXPECTED ", found -1");
	json_object_put(doc);
}

static void test_string_with_nul_is_refused(void **state)
{
	struct json_object *doc = parse_ok("[\"a\\u0000b\"]");
	struct cm_error err = { 0 };
	const char *text;

	(void)state;
	assert_true(cm_json_has_nul(json_object_array_get_idx(doc, 0)));
	assert_int_equal(cm_json_string(json_object_array_get_idx(doc, 0), SOURCE, "$[0]", &text, &err), -EINVAL);
	expect_message(&err, SOURCE ": $[0]: the string contains a NUL character (\\u0000)");
	json_object_put(doc);
}

static void test_check_fields_names_the_unknown_field(void **state)
{
	static const char *const known[] = { "id", "cpus", NULL };
	struct json_object *doc = parse_ok("{\"id\": 1, \"cpu\": \"0\"}");
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(cm_json_check_fields(doc, known, SOURCE, "$.nodes[0]", &err), -EINVAL);
	expect_message(&err, SOURCE ": $.nodes[0]: unknown field \"cpu\" (known fields: id, cpus)");
	json_object_put(doc);
}

static void test_field_readers_report_presence(void **state)
{
	struct json_object *doc = parse_ok("{\"n\": 3, \"t\": \"x\"}");
	struct cm_error err = { 0 };
	const char *text = "default";
	uint64_t n = 7;

	(void)state;
	assert_int_equal(cm_json_field_uint(doc, "n", CM_JSON_REQUIRED, SOURCE, "$", 10, &n, &err), 1);
	assert_int_equal(n, 3);
	assert_int_equal(cm_json_field_string(doc, "missing", CM_JSON_OPTIONAL, SOURCE, "$", &text, &err), 0);
	assert_string_equal(text, "default");
	assert_int_equal(cm_json_field_string(doc, "missing", CM_JSON_REQUIRED, SOURCE, "$", &text, &err),
			 -EINVAL);
	expect_message(&err, SOURCE ": $: missing field \"missing\"");
	assert_int_equal(cm_json_field_uint(doc, "t", CM_JSON_OPTIONAL, SOURCE, "$.x", 10, &n, &err), -EINVAL);
	expect_message(&err, SOURCE ": $.x.t: expected an integer 0..10, found \"x\"");
	json_object_put(doc);
}

static void test_read_file_reads_whole_file_and_names_missing_one(void **state)
{
	char path[] = "/tmp/confmem-test-util-json-XXXXXX";
	struct cm_error err = { 0 };
	char *text = NULL;
	size_t len = 0;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"a\": 1}\n", 9), 9);
	close(fd);
	assert_int_equal(cm_json_read_file(path, &text, &len, &err), 0);
	assert_int_equal(len, 9);
	assert_string_equal(text, "{\"a\": 1}\n");
	free(text);
	unlink(path);
	assert_int_equal(cm_json_read_file(path, &text, &len, &err), -ENOENT);
	assert_null(text);
	assert_non_null(strstr(err.msg, ": cannot open: "));
}

/* ---- duplicate keys: json-c would keep the last one and say nothing ---- */

#define TWICE "; a field may appear once in an object"

static void parse_refused_text(const char *text, const char *message)
{
	parse_refused(text, strlen(text), message);
}

static void test_duplicate_key_at_the_root_is_refused(void **state)
{
	(void)state;
	parse_refused_text("{\"id\": 0,\n \"id\": 1}",
			   SOURCE ": $: field \"id\" given twice (lines 1 and 2)" TWICE);
}

/* The path is the object's, through arrays and objects. */
static void test_duplicate_key_in_a_nested_object_names_its_path(void **state)
{
	(void)state;
	parse_refused_text("{\"nodes\": [{\"id\": 0}, {\"memory\": [1, {\"start\": 1, \"size\": 2, \"start\": 3}]}]}",
			   SOURCE ": $.nodes[1].memory[1]: field \"start\" given twice (line 1)" TWICE);
	parse_refused_text("[[], [[{}, {\"a\": {\"b\": {}, \"b\": []}}]]]",
			   SOURCE ": $[1][0][1].a: field \"b\" given twice (line 1)" TWICE);
}

/* Keys compare as json-c stores them: escapes decoded, so "i\u0064" is "id". */
static void test_duplicate_key_spelled_with_escapes_is_refused(void **state)
{
	(void)state;
	parse_refused_text("{\"id\": 0, \"i\\u0064\": 1}",
			   SOURCE ": $: field \"id\" given twice (line 1)" TWICE);
	parse_refused_text("{\"\\\"q\\\"\": 0, \"\\u0022q\\u0022\": 1}",
			   SOURCE ": $: field \"\\\"q\\\"\" given twice (line 1)" TWICE);
	parse_refused_text("{\"\\u00e9\": 0, \"\xc3\xa9\": 1}",
			   SOURCE ": $: field \"\xc3\xa9\" given twice (line 1)" TWICE);
	/* json-c keeps keys as C strings: "id\u0000x" is stored as "id" and would replace it. */
	parse_refused_text("{\"id\": 0, \"id\\u0000x\": 1}",
			   SOURCE ": $: field \"id\" given twice (line 1)" TWICE);
}

/*
 * An object's first sixteen keys are compared in a small array, the rest
 * in a hash table: a duplicate is found on either side of that line, and
 * between the two, with its first line.
 */
static void test_duplicate_key_among_many_is_refused(void **state)
{
	static const struct {
		int again;	/* the key given again after k0..k19, or -1 */
		const char *spelled;
	} cases[] = {
		{ 3, "\"k3\"" },		/* first in the array, found in the table */
		{ 18, "\"k18\"" },		/* first in the table */
		{ 15, "\"k\\u00315\"" },	/* the array's last, spelled with an escape */
		{ -1, "\"k20\"" },		/* new: accepted */
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char text[1024], want[160];
		size_t len = 0;
		struct json_object *root = NULL;
		struct cm_error err = { 0 };
		int ret;

		len += (size_t)snprintf(text + len, sizeof(text) - len, "{");
		for (int k = 0; k < 20; k++)
			len += (size_t)snprintf(text + len, sizeof(text) - len, "\"k%d\": %d,\n", k, k);
		snprintf(text + len, sizeof(text) - len, "%s: 1}", cases[c].spelled);
		ret = cm_json_parse(text, strlen(text), SOURCE, &root, &err);
		if (cases[c].again < 0) {
			assert_int_equal(ret, 0);
			assert_int_equal(json_object_object_length(root), 21);
			json_object_put(root);
			continue;
		}
		assert_int_equal(ret, -EINVAL);
		snprintf(want, sizeof(want), SOURCE ": $: field \"k%d\" given twice (lines %d and 21)", cases[c].again,
			 cases[c].again + 1);
		if (strncmp(err.msg, want, strlen(want)))
			fail_msg("case %zu: got \"%s\", want \"%s...\"", c, err.msg, want);
	}
}

/* The same name in different objects, a differently cased one, or one inside a string value are fine. */
static void test_same_key_in_different_objects_is_accepted(void **state)
{
	struct json_object *root;

	(void)state;
	root = parse_ok("{\"id\": 0, \"ID\": 1, \"a\": {\"id\": 2}, \"b\": [{\"id\": 3}, {\"id\": 4}],"
			" \"s\": \"{\\\"id\\\": 5}\", \"t\": [\"id\", \"id\"]}");
	assert_non_null(root);
	json_object_put(root);
	/* Only a key ends a member: a value equal to a key is not one. */
	root = parse_ok("{\"a\": \"b\", \"b\": \"a\", \"c\": {}}");
	json_object_put(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_empty_input_is_named),
		cmocka_unit_test(test_parse_syntax_error_names_the_line),
		cmocka_unit_test(test_parse_text_after_the_document_is_refused),
		cmocka_unit_test(test_parse_truncated_document_is_refused),
		cmocka_unit_test(test_parse_null_document_gives_null),
		cmocka_unit_test(test_parse_refuses_a_tree_too_big_for_memory),
		cmocka_unit_test(test_line_of_counts_newlines),
		cmocka_unit_test(test_paths_are_built_and_marked_when_cut),
		cmocka_unit_test(test_describe_shows_each_kind_of_value),
		cmocka_unit_test(test_value_readers_say_expected_and_found),
		cmocka_unit_test(test_int_and_uint_bounds),
		cmocka_unit_test(test_size_takes_numbers_and_size_strings),
		cmocka_unit_test(test_string_with_nul_is_refused),
		cmocka_unit_test(test_check_fields_names_the_unknown_field),
		cmocka_unit_test(test_field_readers_report_presence),
		cmocka_unit_test(test_read_file_reads_whole_file_and_names_missing_one),
		cmocka_unit_test(test_duplicate_key_at_the_root_is_refused),
		cmocka_unit_test(test_duplicate_key_in_a_nested_object_names_its_path),
		cmocka_unit_test(test_duplicate_key_spelled_with_escapes_is_refused),
		cmocka_unit_test(test_duplicate_key_among_many_is_refused),
		cmocka_unit_test(test_same_key_in_different_objects_is_accepted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
