// SPDX-License-Identifier: MIT
/*
 * MRENCLAVE (SPEC 8.2, docs/sgx-measure.md). One test per rule. The
 * expected digests come from tests/data/sgx/make_vectors.py, which builds
 * the SDM's records with Python's struct and hashlib from the same files,
 * without any of confmem. Documents written inline use single quotes;
 * json_text() turns them into JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "confmem/sgx.h"

#define SOURCE "encl.json"
#define SGX_DATA CONFMEM_TEST_DATA "/sgx"

/* Printed by tests/data/sgx/make_vectors.py. */
static const struct vector {
	const char *file;
	const char *mrenclave;
	uint64_t nr_pages;
	uint64_t nr_eextend;
} vectors[] = {
	{ "contiguous.json", "3345445685c8bcb7bfd018f1bb8677d4a057a82fd4f0dae8725efd8362cec3d5", 3, 19 },
	{ "empty.json", "9e197c8837c6d65632dbdd59cd7df4f1a25b68d8e4e5eb6ca3b20b05311fecb8", 0, 0 },
	{ "one_measured.json", "788289f68d14d8efa9e3abb9c1526093c79b88e5833a89280b642c60349375ad", 1, 16 },
	{ "one_unmeasured.json", "bfe1dcc1475032cbffbeed5dfb83c66cfa72fa50b753ba38bff859384ba8c860", 1, 0 },
	{ "order.json", "d03fd656a2705f8551ab7242f2eff216e60a1619fec00a286a02f626b39549e5", 2, 32 },
	{ "order_swapped.json", "565a6bb9b807fccf2413be51d552fb2fedd3f7d5e07b54a8ee85778e673042a8", 2, 32 },
	{ "partial.json", "8a969f126d3a73cfed65c350ccb05a527e9756d9bf2eeda6f677ce3b15facaae", 1, 3 },
	{ "pattern.json", "6d7b856e778eeef7459e22a64a29b24ec117b941ae8d6c2d0c6c408fefdd515a", 2, 20 },
	{ "tcs_pages.json", "06500cb11f489cce7007301736679e4f56899884933835322d36f971c0d80311", 5, 48 },
	{ "zeros.json", "82bfa73930ad40ac9166964628f4f24492bef57a0986825212d99f83c5d7dcd0", 2, 17 },
	{ "zeros_explicit.json", "82bfa73930ad40ac9166964628f4f24492bef57a0986825212d99f83c5d7dcd0", 2, 17 },
};

static char *json_text(const char *single_quoted)
{
	char *text = strdup(single_quoted);

	assert_non_null(text);
	for (char *c = text; *c; c++)
		if (*c == '\'')
			*c = '"';
	return text;
}

static struct cm_sgx_enclave_desc *load_file(const char *name)
{
	struct cm_sgx_enclave_desc *d = NULL;
	struct cm_error err = { 0 };
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", SGX_DATA, name);
	if (cm_sgx_enclave_from_json_file(path, &d, &err))
		fail_msg("%s: unexpected error: %s", name, err.msg);
	assert_non_null(d);
	return d;
}

static struct cm_sgx_enclave_desc *load_text(const char *single_quoted)
{
	char *text = json_text(single_quoted);
	struct cm_sgx_enclave_desc *d = NULL;
	struct cm_error err = { 0 };

	if (cm_sgx_enclave_from_json_string(text, strlen(text), SOURCE, &d, &err))
		fail_msg("unexpected error: %s", err.msg);
	free(text);
	assert_non_null(d);
	return d;
}

static void measure_hex(const struct cm_sgx_enclave_desc *d, char hex[CM_SGX_MRENCLAVE_HEX_SIZE])
{
	uint8_t digest[CM_SGX_MRENCLAVE_SIZE];
	struct cm_error err = { 0 };

	if (cm_sgx_measure(d, digest, &err))
		fail_msg("unexpected error: %s", err.msg);
	cm_sgx_format_mrenclave(digest, hex);
}

static void file_mrenclave(const char *name, char hex[CM_SGX_MRENCLAVE_HEX_SIZE])
{
	struct cm_sgx_enclave_desc *d = load_file(name);

	measure_hex(d, hex);
	cm_sgx_enclave_desc_free(d);
}

/* Loading fails with the whole message "encl.json: @needle" or containing @needle; *out stays NULL. */
static void expect_error(const char *single_quoted, const char *needle)
{
	char *text = json_text(single_quoted);
	struct cm_sgx_enclave_desc *d = (struct cm_sgx_enclave_desc *)&d;
	struct cm_error err = { 0 };
	int ret = cm_sgx_enclave_from_json_string(text, strlen(text), SOURCE, &d, &err);

	assert_true(ret < 0);
	assert_int_equal(ret, err.code);
	assert_null(d);
	assert_null(strchr(err.msg, '\n'));
	if (!strstr(err.msg, needle))
		fail_msg("message \"%s\" does not contain \"%s\"", err.msg, needle);
	free(text);
}

static void expect_bytes(const uint8_t *got, const uint8_t *want, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (got[i] != want[i])
			fail_msg("byte %zu: got 0x%02x, expected 0x%02x", i, got[i], want[i]);
}

/* ---- the records ---- */

static void test_sgx_ecreate_record_layout(void **state)
{
	uint8_t record[CM_SGX_RECORD_SIZE], want[CM_SGX_RECORD_SIZE] = {
		'E', 'C', 'R', 'E', 'A', 'T', 'E', 0,
		0x04, 0x03, 0x02, 0x01,					/* u32 SSA frame size at 8 */
		0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x80,		/* u64 size at 12 */
	};

	(void)state;
	memset(record, 0xaa, sizeof(record));
	cm_sgx_ecreate_record(record, 0x01020304, 0x8000000000010000ULL);
	expect_bytes(record, want, sizeof(want));
}

static void test_sgx_eadd_record_layout(void **state)
{
	uint8_t record[CM_SGX_RECORD_SIZE], want[CM_SGX_RECORD_SIZE] = {
		'E', 'A', 'D', 'D', 0, 0, 0, 0,
		0x00, 0x30, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00,		/* u64 offset at 8 */
		0x05, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,		/* SECINFO.FLAGS at 16, then zeros */
	};

	(void)state;
	memset(record, 0xaa, sizeof(record));
	cm_sgx_eadd_record(record, 0x1023000, CM_SGX_SECINFO_REG | CM_SGX_SECINFO_R | CM_SGX_SECINFO_X);
	expect_bytes(record, want, sizeof(want));
}

static void test_sgx_eextend_record_layout(void **state)
{
	uint8_t record[CM_SGX_RECORD_SIZE], want[CM_SGX_RECORD_SIZE] = {
		'E', 'E', 'X', 'T', 'E', 'N', 'D', 0,
		0x00, 0x1f, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,		/* u64 chunk offset at 8, then zeros */
	};

	(void)state;
	memset(record, 0xaa, sizeof(record));
	cm_sgx_eextend_record(record, 0x100001f00ULL);
	expect_bytes(record, want, sizeof(want));
}

/* ---- MRENCLAVE ---- */

static void test_sgx_mrenclave_matches_independent_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		struct cm_sgx_enclave_desc *d = load_file(vectors[i].file);
		struct cm_sgx_build_report report;
		char hex[CM_SGX_MRENCLAVE_HEX_SIZE];

		measure_hex(d, hex);
		if (strcmp(hex, vectors[i].mrenclave))
			fail_msg("%s: MRENCLAVE %s, expected %s", vectors[i].file, hex, vectors[i].mrenclave);
		cm_sgx_build_report(d, &report);
		assert_int_equal(report.nr_pages, vectors[i].nr_pages);
		assert_int_equal(report.nr_eextend, vectors[i].nr_eextend);
		cm_sgx_enclave_desc_free(d);
	}
}

static void test_sgx_unmeasured_page_is_eadd_only(void **state)
{
	char measured[CM_SGX_MRENCLAVE_HEX_SIZE], unmeasured[CM_SGX_MRENCLAVE_HEX_SIZE];
	char other[CM_SGX_MRENCLAVE_HEX_SIZE];
	struct cm_sgx_enclave_desc *d;

	(void)state;
	file_mrenclave("one_measured.json", measured);
	file_mrenclave("one_unmeasured.json", unmeasured);
	assert_string_not_equal(measured, unmeasured);

	/* Without EEXTEND the data does not count: any data gives the same MRENCLAVE. */
	d = load_text("{'size': '0x2000', 'pages': [{'offset': 0, 'secinfo_flags': '0x207', 'measure': false, "
		      "'data': 'ff'}]}");
	measure_hex(d, other);
	assert_string_equal(other, unmeasured);
	cm_sgx_enclave_desc_free(d);
}

static void test_sgx_page_order_is_measured(void **state)
{
	char order[CM_SGX_MRENCLAVE_HEX_SIZE], swapped[CM_SGX_MRENCLAVE_HEX_SIZE];

	(void)state;
	file_mrenclave("order.json", order);
	file_mrenclave("order_swapped.json", swapped);
	assert_string_not_equal(order, swapped);
}

/*
 * A page measured at chunks 0x0, 0x100 and 0x400:
 *   chunk  0 1 2 3 4 5 ... f
 *          X X _ _ X _ ... _
 * expect: a byte changed in chunk 2 leaves MRENCLAVE alone, one in chunk 4 changes it.
 */
static void test_sgx_partial_page_measures_only_listed_chunks(void **state)
{
	static uint8_t data[CM_PAGE_SIZE];
	struct cm_sgx_page_desc page = {
		.offset = 0x1000, .secinfo_flags = CM_SGX_SECINFO_REG | CM_SGX_SECINFO_R | CM_SGX_SECINFO_W,
		.measured_chunks = 1U << 0 | 1U << 1 | 1U << 4, .data = data, .data_len = sizeof(data),
	};
	struct cm_sgx_enclave_desc d = { .size = 0x4000, .ssa_frame_size = 1, .pages = &page, .nr_pages = 1 };
	char base[CM_SGX_MRENCLAVE_HEX_SIZE], other[CM_SGX_MRENCLAVE_HEX_SIZE];

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	measure_hex(&d, base);
	data[2 * CM_SGX_EEXTEND_CHUNK + 7] ^= 0xff;
	measure_hex(&d, other);
	assert_string_equal(base, other);
	data[4 * CM_SGX_EEXTEND_CHUNK + 7] ^= 0xff;
	measure_hex(&d, other);
	assert_string_not_equal(base, other);
}

static void test_sgx_data_repeats_to_fill_the_page(void **state)
{
	static uint8_t full[CM_PAGE_SIZE];
	uint8_t pattern[] = { 0xa1, 0xb2, 0xc3 };
	struct cm_sgx_page_desc page = {
		.offset = 0, .secinfo_flags = CM_SGX_SECINFO_REG | CM_SGX_SECINFO_R,
		.measured_chunks = CM_SGX_ALL_CHUNKS, .data = pattern, .data_len = sizeof(pattern),
	};
	struct cm_sgx_enclave_desc d = { .size = 0x2000, .ssa_frame_size = 1, .pages = &page, .nr_pages = 1 };
	char repeated[CM_SGX_MRENCLAVE_HEX_SIZE], explicit[CM_SGX_MRENCLAVE_HEX_SIZE];

	(void)state;
	measure_hex(&d, repeated);
	for (size_t i = 0; i < sizeof(full); i++)
		full[i] = pattern[i % sizeof(pattern)];
	page.data = full;
	page.data_len = sizeof(full);
	measure_hex(&d, explicit);
	assert_string_equal(repeated, explicit);
}

static void test_sgx_absent_data_is_zeros(void **state)
{
	char absent[CM_SGX_MRENCLAVE_HEX_SIZE], zeros[CM_SGX_MRENCLAVE_HEX_SIZE];

	(void)state;
	file_mrenclave("zeros.json", absent);
	file_mrenclave("zeros_explicit.json", zeros);
	assert_string_equal(absent, zeros);
}

/* The step-by-step API and a description of the same steps agree. */
static void test_sgx_steps_match_description(void **state)
{
	static const uint8_t deadbeef[] = { 0xde, 0xad, 0xbe, 0xef };
	uint8_t digest[CM_SGX_MRENCLAVE_SIZE], chunk[CM_SGX_EEXTEND_CHUNK];
	char hex[CM_SGX_MRENCLAVE_HEX_SIZE];
	struct cm_sgx_measurement *m;
	struct cm_error err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(chunk); i++)
		chunk[i] = deadbeef[i % sizeof(deadbeef)];
	assert_int_equal(cm_sgx_measurement_start(0x4000, 1, &m, &err), 0);
	assert_int_equal(cm_sgx_measurement_eadd(m, 0x1000, 0x203, &err), 0);
	assert_int_equal(cm_sgx_measurement_eextend(m, 0x1000, chunk, &err), 0);
	assert_int_equal(cm_sgx_measurement_eextend(m, 0x1100, chunk, &err), 0);
	assert_int_equal(cm_sgx_measurement_eextend(m, 0x1400, chunk, &err), 0);
	assert_int_equal(cm_sgx_measurement_finish(m, digest, &err), 0);
	cm_sgx_format_mrenclave(digest, hex);
	/* partial.json */
	assert_string_equal(hex, "8a969f126d3a73cfed65c350ccb05a527e9756d9bf2eeda6f677ce3b15facaae");

	/* EINIT ends the measurement. */
	assert_int_equal(cm_sgx_measurement_eadd(m, 0x2000, 0x203, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "after EINIT"));
	assert_int_equal(cm_sgx_measurement_finish(m, digest, &err), -EINVAL);
	cm_sgx_measurement_free(m);
}

static void test_sgx_steps_check_their_operands(void **state)
{
	uint8_t chunk[CM_SGX_EEXTEND_CHUNK] = { 0 };
	struct cm_sgx_measurement *m = (struct cm_sgx_measurement *)&m;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(cm_sgx_measurement_start(0x3000, 1, &m, &err), -EINVAL);
	assert_null(m);
	assert_non_null(strstr(err.msg, "power of two"));
	assert_int_equal(cm_sgx_measurement_start(0x1000, 1, &m, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "at least 2 pages"));
	assert_int_equal(cm_sgx_measurement_start(0x2000, 0, &m, &err), -EINVAL);

	assert_int_equal(cm_sgx_measurement_start(0x2000, 1, &m, &err), 0);
	assert_int_equal(cm_sgx_measurement_eadd(m, 0x800, 0x203, &err), -EINVAL);
	assert_int_equal(cm_sgx_measurement_eadd(m, 0x2000, 0x203, &err), -EINVAL);
	assert_int_equal(cm_sgx_measurement_eadd(m, 0x1000, 0x103, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "TCS"));
	assert_int_equal(cm_sgx_measurement_eextend(m, 0x1080, chunk, &err), -EINVAL);
	assert_int_equal(cm_sgx_measurement_eextend(m, 0x2000, chunk, &err), -EINVAL);
	cm_sgx_measurement_free(m);
}

static void test_sgx_secinfo_rules_follow_the_kernel(void **state)
{
	(void)state;
	assert_null(cm_sgx_secinfo_problem(CM_SGX_SECINFO_TCS));
	assert_null(cm_sgx_secinfo_problem(CM_SGX_SECINFO_REG));
	assert_null(cm_sgx_secinfo_problem(CM_SGX_SECINFO_REG | CM_SGX_SECINFO_PERMISSIONS));
	assert_non_null(cm_sgx_secinfo_problem(CM_SGX_SECINFO_REG | CM_SGX_SECINFO_W));	/* W without R */
	assert_non_null(cm_sgx_secinfo_problem(CM_SGX_SECINFO_TCS | CM_SGX_SECINFO_R));		/* TCS with R */
	assert_non_null(cm_sgx_secinfo_problem(0x300));						/* VA page */
	assert_non_null(cm_sgx_secinfo_problem(0x000));						/* SECS page */
	assert_non_null(cm_sgx_secinfo_problem(CM_SGX_SECINFO_REG | CM_SGX_SECINFO_R | 1ULL << 3));	/* PENDING */
	assert_non_null(cm_sgx_secinfo_problem(CM_SGX_SECINFO_REG | 1ULL << 16));		/* reserved */
}

/* ---- the JSON description ---- */

#define PAGE0 "{'offset': 0, 'secinfo_flags': '0x203', 'measure': true}"

static void test_sgx_json_reads_every_field(void **state)
{
	struct cm_sgx_enclave_desc *d;

	(void)state;
	d = load_text("{'size': '64K', 'ssa_frame_size': 3, 'pages': [" PAGE0 ", {'offset': '0x3000', "
		      "'secinfo_flags': 256, 'measure': ['0x0', 512], 'data': 'A0b1'}]}");
	assert_int_equal(d->size, 0x10000);
	assert_int_equal(d->ssa_frame_size, 3);
	assert_int_equal(d->nr_pages, 2);
	assert_int_equal(d->pages[0].measured_chunks, CM_SGX_ALL_CHUNKS);
	assert_null(d->pages[0].data);
	assert_int_equal(d->pages[1].offset, 0x3000);
	assert_int_equal(d->pages[1].secinfo_flags, CM_SGX_SECINFO_TCS);
	assert_int_equal(d->pages[1].measured_chunks, 0x5);
	assert_int_equal(d->pages[1].data_len, 2);
	assert_int_equal(d->pages[1].data[0], 0xa0);
	assert_int_equal(d->pages[1].data[1], 0xb1);
	cm_sgx_enclave_desc_free(d);

	/* ssa_frame_size defaults to 1; an empty list measures nothing. */
	d = load_text("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': 515, 'measure': []}]}");
	assert_int_equal(d->ssa_frame_size, 1);
	assert_int_equal(d->pages[0].measured_chunks, 0);
	cm_sgx_enclave_desc_free(d);
}

static void test_sgx_json_size_power_of_two_of_two_pages(void **state)
{
	(void)state;
	expect_error("{'size': '0x3000', 'pages': []}",
		     SOURCE ": $.size: 0x3000: the enclave size must be a power of two (ECREATE)");
	expect_error("{'size': 4096, 'pages': []}", "$.size: 0x1000: an enclave spans at least 2 pages");
	expect_error("{'size': 0, 'pages': []}", "$.size: 0x0: an enclave spans at least 2 pages");
	expect_error("{'size': '8Q', 'pages': []}", "$.size: expected a size");
	expect_error("{'pages': []}", "$: missing field \"size\"");
	expect_error("{'size': 8192, 'ssa_frame_size': 0, 'pages': []}", "$.ssa_frame_size: the SSA frame size");
	expect_error("{'size': 8192, 'ssa_frame_size': 4294967296, 'pages': []}",
		     "$.ssa_frame_size: expected an integer 0..4294967295");
}

static void test_sgx_json_offset_page_aligned(void **state)
{
	(void)state;
	expect_error("{'size': 8192, 'pages': [" PAGE0 ", {'offset': '0x1800', 'secinfo_flags': '0x203', "
		     "'measure': true}]}",
		     SOURCE ": $.pages[1].offset: 0x1800 is not page aligned (4096 bytes) (size 0x2000)");
}

static void test_sgx_json_offset_inside_enclave(void **state)
{
	(void)state;
	expect_error("{'size': 8192, 'pages': [{'offset': '0x2000', 'secinfo_flags': '0x203', 'measure': true}]}",
		     "$.pages[0].offset: 0x2000 is outside the enclave (size 0x2000)");
	expect_error("{'size': 8192, 'pages': [{'offset': -4096, 'secinfo_flags': '0x203', 'measure': true}]}",
		     "$.pages[0].offset: expected a size");
}

static void test_sgx_json_offset_added_once(void **state)
{
	(void)state;
	expect_error("{'size': '0x8000', 'pages': [" PAGE0 ", {'offset': '0x1000', 'secinfo_flags': '0x203', "
		     "'measure': true}, {'offset': '0x1000', 'secinfo_flags': '0x100', 'measure': false}, "
		     "{'offset': '0x0', 'secinfo_flags': '0x203', 'measure': false}]}",
		     SOURCE ": $.pages[2].offset: 0x1000 is already added by $.pages[1]");
}

static void test_sgx_json_chunk_offsets(void **state)
{
	(void)state;
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x203', 'measure': [0, 300]}]}",
		     "$.pages[0].measure[1]: chunk offset 0x12c is not a multiple of 256");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x203', 'measure': ['0x1000']}]}",
		     "$.pages[0].measure[0]: chunk offset 0x1000 is outside the page");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x203', 'measure': [512, 256]}]}",
		     "$.pages[0].measure[1]: chunk offset 0x100 follows 0x200");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x203', 'measure': [256, 256]}]}",
		     "$.pages[0].measure[1]: chunk offset 0x100 follows 0x100");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x203', 'measure': 'yes'}]}",
		     "$.pages[0].measure: expected true, false or an array of chunk offsets");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x203'}]}",
		     "$.pages[0]: missing field \"measure\"");
}

static void test_sgx_json_data_hex(void **state)
{
	(void)state;
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x203', 'measure': true, "
		     "'data': '00g1'}]}",
		     SOURCE ": $.pages[0].data: expected hex digits, found 'g' at character 2");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x203', 'measure': true, "
		     "'data': 'abc'}]}",
		     "$.pages[0].data: expected 2 hex digits per byte, found 3 digits");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x203', 'measure': true, "
		     "'data': ''}]}",
		     "$.pages[0].data: expected at least one byte");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x203', 'measure': true, "
		     "'data': 7}]}",
		     "$.pages[0].data: expected a string, found 7");
}

static void test_sgx_json_data_at_most_one_page(void **state)
{
	static const char head[] = "{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x203', "
				   "'measure': true, 'data': '";
	static const char tail[] = "'}]}";
	size_t nr_digits = 2 * CM_PAGE_SIZE + 2;
	char *text = malloc(sizeof(head) + nr_digits + sizeof(tail));
	struct cm_sgx_enclave_desc *d;

	(void)state;
	assert_non_null(text);
	strcpy(text, head);
	memset(text + strlen(head), 'e', nr_digits);
	strcpy(text + strlen(head) + nr_digits, tail);
	expect_error(text, "$.pages[0].data: 4097 bytes, at most 4096");

	/* Exactly one page is fine. */
	strcpy(text + strlen(head) + nr_digits - 2, tail);
	d = load_text(text);
	assert_int_equal(d->pages[0].data_len, CM_PAGE_SIZE);
	cm_sgx_enclave_desc_free(d);
	free(text);
}

static void test_sgx_json_secinfo_flags(void **state)
{
	(void)state;
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x101', 'measure': true}]}",
		     "$.pages[0].secinfo_flags: 0x101: a TCS page has no R, W or X permissions");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x202', 'measure': true}]}",
		     "$.pages[0].secinfo_flags: 0x202: a writable page must be readable");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': 3, 'measure': true}]}",
		     "$.pages[0].secinfo_flags: 0x3: the page type (bits 8-15) must be REG (0x200) or TCS (0x100)");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x10203', 'measure': true}]}",
		     "$.pages[0].secinfo_flags: 0x10203: reserved bits are set");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '515', 'measure': true}]}",
		     "$.pages[0].secinfo_flags: expected an integer or a hex string like \"0x203\", found \"515\"");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x', 'measure': true}]}",
		     "$.pages[0].secinfo_flags: expected an integer or a hex string of at most 64 bits");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x1ffffffffffffffff', "
		     "'measure': true}]}",
		     "$.pages[0].secinfo_flags: expected an integer or a hex string of at most 64 bits");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': '0x-203', 'measure': true}]}",
		     "$.pages[0].secinfo_flags: expected an integer or a hex string like");
}

static void test_sgx_json_unknown_fields_and_syntax(void **state)
{
	(void)state;
	expect_error("{'size': 8192, 'pages': [], 'name': 'x'}", "$: unknown field \"name\"");
	expect_error("{'size': 8192, 'pages': [{'offset': 0, 'secinfo_flags': 515, 'measure': true, "
		     "'measured': true}]}",
		     "$.pages[0]: unknown field \"measured\"");
	expect_error("{'size': 8192,\n 'pages': [}", SOURCE ":2: JSON syntax error");
	expect_error("[]", "$: expected an object");
	expect_error("{'size': 8192, 'pages': {}}", "$.pages: expected an array");
}

static void test_sgx_check_refuses_bad_descriptions_built_in_code(void **state)
{
	struct cm_sgx_page_desc pages[2] = {
		{ .offset = 0x1000, .secinfo_flags = 0x203, .measured_chunks = CM_SGX_ALL_CHUNKS },
		{ .offset = 0x1000, .secinfo_flags = 0x203 },
	};
	struct cm_sgx_enclave_desc d = { .size = 0x4000, .ssa_frame_size = 1, .pages = pages, .nr_pages = 2 };
	uint8_t digest[CM_SGX_MRENCLAVE_SIZE];
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(cm_sgx_measure(&d, digest, &err), -EINVAL);
	assert_string_equal(err.msg, "sgx: page 1: offset 0x1000 is already added by page 0");
	pages[1].offset = 0x1200;
	assert_int_equal(cm_sgx_enclave_check(&d, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not page aligned"));
	pages[1].offset = 0x2000;
	assert_int_equal(cm_sgx_enclave_check(&d, &err), 0);
	d.size = 0x6000;
	assert_int_equal(cm_sgx_enclave_check(&d, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "power of two"));
}

/* ---- the two interfaces of seed 003 ---- */

static void test_sgx_eextend_ioctl_builds_every_enclave(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		struct cm_sgx_enclave_desc *d = load_file(vectors[i].file);
		struct cm_sgx_build_report report;

		cm_sgx_build_report(d, &report);
		assert_true(report.eextend_ioctl);
		cm_sgx_enclave_desc_free(d);
	}
}

/*
 * One measured sub-range per page:
 *   XXXXXXXXXXXXXXXX  ________________  ____XXX_________   can build
 *   XX__X___________                                       cannot (two ranges)
 */
static void test_sgx_subrange_per_page_needs_one_run_per_page(void **state)
{
	struct cm_sgx_enclave_desc *d;
	struct cm_sgx_build_report report;

	(void)state;
	d = load_file("contiguous.json");
	cm_sgx_build_report(d, &report);
	assert_true(report.subrange_per_page);
	assert_string_equal(report.reason, "");
	cm_sgx_enclave_desc_free(d);

	d = load_file("partial.json");
	cm_sgx_build_report(d, &report);
	assert_false(report.subrange_per_page);
	assert_string_equal(report.reason, "page 0 (offset 0x1000) measures 2 separate ranges [0x0, 0x200), "
			    "[0x400, 0x500); one measured sub-range per page covers only one");
	cm_sgx_enclave_desc_free(d);

	/* The first page that cannot be built is named. */
	d = load_text("{'size': '0x8000', 'pages': [" PAGE0 ", "
		      "{'offset': '0x3000', 'secinfo_flags': 515, 'measure': [0, 3840]}, "
		      "{'offset': '0x1000', 'secinfo_flags': 515, 'measure': [256, 768, 1280]}]}");
	cm_sgx_build_report(d, &report);
	assert_false(report.subrange_per_page);
	assert_non_null(strstr(report.reason, "page 1 (offset 0x3000) measures 2 separate ranges [0x0, 0x100), "
			       "[0xf00, 0x1000)"));
	assert_int_equal(report.nr_eextend, 16 + 2 + 3);
	cm_sgx_enclave_desc_free(d);
}

/* ---- EPC ---- */

static void test_sgx_epc_pages_peak_is_secs_pages_and_va_pages(void **state)
{
	struct cm_sgx_enclave_desc *d;
	struct cm_sgx_build_report report;

	(void)state;
	/* 1 + N + ceil((N + 1) / 512): the SECS takes a VA slot too. */
	assert_int_equal(cm_sgx_epc_pages_peak(0), 2);
	assert_int_equal(cm_sgx_epc_pages_peak(1), 3);
	assert_int_equal(cm_sgx_epc_pages_peak(510), 512);
	assert_int_equal(cm_sgx_epc_pages_peak(511), 513);
	assert_int_equal(cm_sgx_epc_pages_peak(512), 515);
	assert_int_equal(cm_sgx_epc_pages_peak(1023), 1026);
	assert_int_equal(cm_sgx_epc_pages_peak(1024), 1028);
	assert_int_equal(cm_sgx_epc_pages_peak(1ULL << 52), 1 + (1ULL << 52) + (1ULL << 43) + 1);

	d = load_file("tcs_pages.json");
	cm_sgx_build_report(d, &report);
	assert_int_equal(report.epc_pages_peak, 1 + 5 + 1);
	cm_sgx_enclave_desc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sgx_ecreate_record_layout),
		cmocka_unit_test(test_sgx_eadd_record_layout),
		cmocka_unit_test(test_sgx_eextend_record_layout),
		cmocka_unit_test(test_sgx_mrenclave_matches_independent_vectors),
		cmocka_unit_test(test_sgx_unmeasured_page_is_eadd_only),
		cmocka_unit_test(test_sgx_page_order_is_measured),
		cmocka_unit_test(test_sgx_partial_page_measures_only_listed_chunks),
		cmocka_unit_test(test_sgx_data_repeats_to_fill_the_page),
		cmocka_unit_test(test_sgx_absent_data_is_zeros),
		cmocka_unit_test(test_sgx_steps_match_description),
		cmocka_unit_test(test_sgx_steps_check_their_operands),
		cmocka_unit_test(test_sgx_secinfo_rules_follow_the_kernel),
		cmocka_unit_test(test_sgx_json_reads_every_field),
		cmocka_unit_test(test_sgx_json_size_power_of_two_of_two_pages),
		cmocka_unit_test(test_sgx_json_offset_page_aligned),
		cmocka_unit_test(test_sgx_json_offset_inside_enclave),
		cmocka_unit_test(test_sgx_json_offset_added_once),
		cmocka_unit_test(test_sgx_json_chunk_offsets),
		cmocka_unit_test(test_sgx_json_data_hex),
		cmocka_unit_test(test_sgx_json_data_at_most_one_page),
		cmocka_unit_test(test_sgx_json_secinfo_flags),
		cmocka_unit_test(test_sgx_json_unknown_fields_and_syntax),
		cmocka_unit_test(test_sgx_check_refuses_bad_descriptions_built_in_code),
		cmocka_unit_test(test_sgx_eextend_ioctl_builds_every_enclave),
		cmocka_unit_test(test_sgx_subrange_per_page_needs_one_run_per_page),
		cmocka_unit_test(test_sgx_epc_pages_peak_is_secs_pages_and_va_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
