// SPDX-License-Identifier: MIT
/*
 * The small syntaxes of util.h and range.h: sizes, CPU/node lists, name
 * tables, hex digits and sorted ranges. One test per rule.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/names.h"
#include "helpers.h"

#include "confmem/range.h"
#include "confmem/util.h"

static uint64_t size_ok(const char *text)
{
	struct cm_error err = { 0 };
	uint64_t value = 0;

	if (cm_parse_size(text, &value, &err))
		fail_msg("\"%s\" refused: %s", text, err.msg);
	assert_int_equal(err.code, 0);
	return value;
}

static void size_refused(const char *text, int code, const char *reason)
{
	struct cm_error err = { 0 };
	uint64_t value = 0;

	assert_int_equal(cm_parse_size(text, &value, &err), code);
	assert_int_equal(err.code, code);
	if (!strstr(err.msg, reason))
		fail_msg("\"%s\": reason \"%s\" does not contain \"%s\"", text, err.msg, reason);
	/* Without a record the code alone comes back. */
	assert_int_equal(cm_parse_size(text, &value, NULL), code);
}

static void test_size_decimal_and_hex(void **state)
{
	(void)state;
	assert_int_equal(size_ok("0"), 0);
	assert_int_equal(size_ok("4096"), 4096);
	assert_int_equal(size_ok("0x1000"), 0x1000);
	assert_int_equal(size_ok("0XfFfF"), 0xffff);
}

static void test_size_binary_suffixes_in_any_case(void **state)
{
	(void)state;
	assert_int_equal(size_ok("4K"), 4096);
	assert_int_equal(size_ok("4k"), 4096);
	assert_int_equal(size_ok("64G"), 64 * GiB);
	assert_int_equal(size_ok("64GiB"), 64 * GiB);
	assert_int_equal(size_ok("64gb"), 64 * GiB);
	assert_int_equal(size_ok("1T"), 1ULL << 40);
	assert_int_equal(size_ok("1P"), 1ULL << 50);
	assert_int_equal(size_ok("0x10M"), 16 * MiB);
	assert_int_equal(size_ok("512B"), 512);
}

static void test_size_largest_value_fits(void **state)
{
	(void)state;
	assert_true(size_ok("18446744073709551615") == UINT64_MAX);
	assert_true(size_ok("0xffffffffffffffff") == UINT64_MAX);
	assert_true(size_ok("16383P") == 16383ULL << 50);
}

static void test_size_overflow_is_refused(void **state)
{
	(void)state;
	size_refused("18446744073709551616", -ERANGE, "does not fit in 64 bits");
	size_refused("0x10000000000000000", -ERANGE, "does not fit in 64 bits");
	size_refused("16384P", -ERANGE, "does not fit in 64 bits");
}

static void test_size_malformed_is_refused(void **state)
{
	(void)state;
	size_refused("", -EINVAL, "empty value");
	size_refused("G", -EINVAL, "expected a number");
	size_refused("0x", -EINVAL, "expected a number");
	size_refused("4X", -EINVAL, "unknown size suffix");
	size_refused("4KB5", -EINVAL, "unknown size suffix");
	size_refused(" 4K", -EINVAL, "expected a number");
	size_refused("4K ", -EINVAL, "unknown size suffix");
	size_refused("-1", -EINVAL, "expected a number");
}

/* Parse @text into a fresh bitmap of @nbits and format it back. */
static void list_round_trip(const char *text, unsigned int nbits, const char *canonical)
{
	struct cm_error err = { 0 };
	struct cm_bitmap b;
	char out[128];

	assert_int_equal(cm_bitmap_init(&b, nbits), 0);
	if (cm_bitmap_parse_list(&b, text, &err))
		fail_msg("\"%s\" refused: %s", text, err.msg);
	assert_int_equal(err.code, 0);
	assert_int_equal(cm_bitmap_format_list(&b, out, sizeof(out)), strlen(canonical));
	assert_string_equal(out, canonical);
	cm_bitmap_free(&b);
}

static void list_refused(const char *text, unsigned int nbits, const char *reason)
{
	struct cm_error err = { 0 };
	struct cm_bitmap b;
	int ret;

	assert_int_equal(cm_bitmap_init(&b, nbits), 0);
	ret = cm_bitmap_parse_list(&b, text, &err);
	assert_int_not_equal(ret, 0);
	assert_int_equal(err.code, ret);
	if (!strstr(err.msg, reason))
		fail_msg("\"%s\": reason \"%s\" does not contain \"%s\"", text, err.msg, reason);
	cm_bitmap_free(&b);
}

static void test_list_canonical_form(void **state)
{
	(void)state;
	list_round_trip("", 64, "");
	list_round_trip("0", 64, "0");
	list_round_trip("0-3,8,10-11", 64, "0-3,8,10-11");
	list_round_trip("3,2,1,0", 64, "0-3");
	list_round_trip("0-1,1-2", 64, "0-2");
	list_round_trip("63", 64, "63");
}

static void test_list_accepts_one_trailing_newline(void **state)
{
	(void)state;
	list_round_trip("0-3\n", 64, "0-3");
	list_round_trip("\n", 64, "");
	list_refused("0-3\n\n", 64, "text after the end of line");
}

static void test_list_bits_past_capacity_are_refused(void **state)
{
	(void)state;
	list_refused("64", 64, "too large");
	list_refused("0-64", 64, "too large");
}

static void test_list_malformed_is_refused(void **state)
{
	(void)state;
	list_refused("a", 64, "expected a number");
	list_refused("1-", 64, "expected a number after '-'");
	list_refused("3-1", 64, "range end below its start");
	list_refused("1,", 64, "trailing ','");
	list_refused("1;2", 64, "unexpected character");
	list_refused(" 1", 64, "expected a number");
}

static void test_list_format_reports_length_needed(void **state)
{
	struct cm_bitmap b;
	char small[4];

	(void)state;
	assert_int_equal(cm_bitmap_init(&b, 64), 0);
	cm_bitmap_set(&b, 1);
	cm_bitmap_set(&b, 3);
	cm_bitmap_set(&b, 10);
	assert_int_equal(cm_bitmap_format_list(&b, NULL, 0), strlen("1,3,10"));
	cm_bitmap_format_list(&b, small, sizeof(small));
	assert_true(strlen(small) < sizeof(small));
	cm_bitmap_free(&b);
}

static const char *const colours[] = { "red", "green", "blue" };

static void test_name_index_finds_exact_names_only(void **state)
{
	(void)state;
	assert_int_equal(cm_name_find(colours, 3, "red"), 0);
	assert_int_equal(cm_name_find(colours, 3, "blue"), 2);
	assert_int_equal(cm_name_find(colours, 3, "Blue"), -1);
	assert_int_equal(cm_name_find(colours, 3, "blu"), -1);
	assert_int_equal(cm_name_find(colours, 2, "blue"), -1);
}

static void test_hex_digit_value(void **state)
{
	(void)state;
	assert_int_equal(cm_hex_digit_value('0'), 0);
	assert_int_equal(cm_hex_digit_value('9'), 9);
	assert_int_equal(cm_hex_digit_value('a'), 10);
	assert_int_equal(cm_hex_digit_value('F'), 15);
	assert_int_equal(cm_hex_digit_value('g'), -1);
	assert_int_equal(cm_hex_digit_value('x'), -1);
	assert_int_equal(cm_hex_digit_value(' '), -1);
}

/*
 *   [0 ---- 4G)[4G ---- 8G)      [16G -- 20G)
 * expect: ranges that touch form one region; a gap splits regions.
 */
static void test_ranges_contain_across_touching_ranges(void **state)
{
	const struct cm_range ranges[] = { { 0, 4 * GiB }, { 4 * GiB, 8 * GiB }, { 16 * GiB, 20 * GiB } };

	(void)state;
	assert_true(cm_ranges_contain(ranges, 3, 0, 8 * GiB));
	assert_true(cm_ranges_contain(ranges, 3, 3 * GiB, 5 * GiB));
	assert_true(cm_ranges_contain(ranges, 3, 16 * GiB, 20 * GiB));
	assert_false(cm_ranges_contain(ranges, 3, 7 * GiB, 17 * GiB));
	assert_false(cm_ranges_contain(ranges, 3, 8 * GiB, 9 * GiB));
	assert_false(cm_ranges_contain(ranges, 0, 0, 1));
}

/*
 *   [5 - 7) [0 - 2) [1 - 3) [3 - 4) [9 - 10)
 * expect: sorted; overlapping and touching ranges merged: [0-4) [5-7) [9-10).
 */
static void test_ranges_merge_sorts_and_merges(void **state)
{
	struct cm_range ranges[] = { { 5, 7 }, { 0, 2 }, { 1, 3 }, { 3, 4 }, { 9, 10 } };
	size_t nr = cm_ranges_merge(ranges, 5);

	(void)state;
	assert_int_equal(nr, 3);
	assert_int_equal(ranges[0].start, 0);
	assert_int_equal(ranges[0].end, 4);
	assert_int_equal(ranges[1].start, 5);
	assert_int_equal(ranges[1].end, 7);
	assert_int_equal(ranges[2].start, 9);
	assert_int_equal(ranges[2].end, 10);
	assert_int_equal(cm_ranges_merge(ranges, 0), 0);
}

static void test_ranges_first_ending_above(void **state)
{
	const struct cm_range ranges[] = { { 0, 10 }, { 20, 30 }, { 40, 50 } };

	(void)state;
	assert_int_equal(cm_ranges_first_ending_above(ranges, 3, 0), 0);
	assert_int_equal(cm_ranges_first_ending_above(ranges, 3, 10), 1);
	assert_int_equal(cm_ranges_first_ending_above(ranges, 3, 15), 1);
	assert_int_equal(cm_ranges_first_ending_above(ranges, 3, 29), 1);
	assert_int_equal(cm_ranges_first_ending_above(ranges, 3, 50), 3);
	assert_int_equal(cm_ranges_first_ending_above(ranges, 0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_decimal_and_hex),
		cmocka_unit_test(test_size_binary_suffixes_in_any_case),
		cmocka_unit_test(test_size_largest_value_fits),
		cmocka_unit_test(test_size_overflow_is_refused),
		cmocka_unit_test(test_size_malformed_is_refused),
		cmocka_unit_test(test_list_canonical_form),
		cmocka_unit_test(test_list_accepts_one_trailing_newline),
		cmocka_unit_test(test_list_bits_past_capacity_are_refused),
		cmocka_unit_test(test_list_malformed_is_refused),
		cmocka_unit_test(test_list_format_reports_length_needed),
		cmocka_unit_test(test_name_index_finds_exact_names_only),
		cmocka_unit_test(test_hex_digit_value),
		cmocka_unit_test(test_ranges_contain_across_touching_ranges),
		cmocka_unit_test(test_ranges_merge_sorts_and_merges),
		cmocka_unit_test(test_ranges_first_ending_above),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
