// SPDX-License-Identifier: MIT
/*
 * The diagnosis of a boot log (SPEC 3.10): the table of known failures,
 * the decoders of leaves, statuses and metadata fields, line prefixes,
 * register dumps, bad input, and docs/diagnose.md generated from the table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/diagnose.h"
#include "helpers.h"

static struct cm_diagnosis *diagnose_text(const char *text)
{
	struct cm_diagnosis *d = NULL;
	struct cm_error err;

	if (cm_diagnose_string(text, strlen(text), "t.log", &d, &err))
		fail_msg("diagnosis failed: %s", err.msg);
	return d;
}

/* The ids of the findings, joined by ','. */
static void ids_of(const struct cm_diagnosis *d, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < d->nr_findings && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "", cm_diag_rule(d->findings[i].id)->id);
}

static void expect_ids(const char *text, const char *ids)
{
	struct cm_diagnosis *d = diagnose_text(text);
	char got[256];

	ids_of(d, got, sizeof(got));
	assert_string_equal(got, ids);
	cm_diagnosis_free(d);
}

static void test_every_row_is_complete(void **state)
{
	(void)state;
	for (int i = 0; i < CM_DIAG_NR_IDS; i++) {
		const struct cm_diag_rule_info *r = cm_diag_rule(i);

		assert_non_null(r);
		assert_non_null(r->id);
		assert_non_null(r->recognised_by);
		assert_non_null(r->explanation);
		assert_non_null(r->fix);
		assert_string_not_equal(cm_diag_severity_name(r->severity), "unknown");
		assert_int_equal(cm_diag_id_from_name(r->id), i);
	}
	assert_null(cm_diag_rule(CM_DIAG_NR_IDS));
	assert_int_equal(cm_diag_id_from_name("no-such-failure"), -1);
	assert_string_equal(cm_diag_rule(CM_DIAG_RESERVED_AREAS_EXHAUSTED)->id, "reserved-areas-exhausted");
	assert_string_equal(cm_diag_severity_name(CM_DIAG_NR_SEVERITIES), "unknown");
}

static void test_leaf_names(void **state)
{
	(void)state;
	assert_string_equal(cm_tdx_leaf_name(0x21), "TDH.SYS.INIT");
	assert_string_equal(cm_tdx_leaf_name(0x22), "TDH.SYS.RD");
	assert_string_equal(cm_tdx_leaf_name(0x2d), "TDH.SYS.CONFIG");
	assert_string_equal(cm_tdx_leaf_name(0x1f), "TDH.SYS.KEY.CONFIG");
	/* Bits 23:16 are the leaf's version. */
	assert_string_equal(cm_tdx_leaf_name(0x10016), "TDH.VP.INIT");
	assert_null(cm_tdx_leaf_name(0x2c));
}

static void test_status_names_and_classes(void **state)
{
	(void)state;
	/* Bits 31:0 are detail: the name is that of bits 63:32. */
	assert_string_equal(cm_tdx_status_name(0xC0000C0000000000ULL), "TDX_METADATA_FIELD_ID_INCORRECT");
	assert_string_equal(cm_tdx_status_name(0xC000010000000002ULL), "TDX_OPERAND_INVALID");
	assert_string_equal(cm_tdx_status_name(0x8000020000000000ULL), "TDX_OPERAND_BUSY");
	assert_string_equal(cm_tdx_status_name(0xC000050500000000ULL), "TDX_SYS_NOT_READY");
	assert_string_equal(cm_tdx_status_name(0xC0000A0200000003ULL), "TDX_TDMR_OUTSIDE_CMRS");
	assert_string_equal(cm_tdx_status_name(0x8000FF00FFFF0000ULL), "TDX_SEAMCALL_VMFAILINVALID");
	assert_null(cm_tdx_status_name(0xC0000D7700000000ULL));
	assert_string_equal(cm_tdx_status_class(0xC0000C0000000000ULL), "metadata access");
	assert_string_equal(cm_tdx_status_class(0xC0000A1200000000ULL), "TDMR and PAMT configuration");
	assert_string_equal(cm_tdx_status_class(0x8000FF00FFFF0000ULL),
			    "kernel (the SEAMCALL did not reach the module)");
	assert_null(cm_tdx_status_class(0xC0007E0000000000ULL));
}

static void test_metadata_field_names(void **state)
{
	(void)state;
	assert_string_equal(cm_tdx_metadata_field_name(0x9100000100000008ULL), "MAX_TDMRS");
	assert_string_equal(cm_tdx_metadata_field_name(0x9100000100000009ULL), "MAX_RESERVED_PER_TDMR");
	assert_string_equal(cm_tdx_metadata_field_name(0x9100000100000011ULL), "PAMT_2M_ENTRY_SIZE");
	assert_string_equal(cm_tdx_metadata_field_name(0x0800000100000004ULL), "MAJOR_VERSION");
	assert_string_equal(cm_tdx_metadata_field_name(0x0A00000300000008ULL), "TDX_FEATURES0");
	/* Array fields: CMR i is BASE + i. */
	assert_string_equal(cm_tdx_metadata_field_name(0x9000000300000085ULL), "CMR_BASE");
	assert_null(cm_tdx_metadata_field_name(0x9100000100000007ULL));
}

/* One failure line behind each prefix dmesg, dmesg -x, the console and journalctl put. */
static void test_prefixes(void **state)
{
	static const char *const lines[] = {
		"virt/tdx: initialization failed: TDMRs exhausted.\n",
		"[   29.100000] virt/tdx: initialization failed: TDMRs exhausted.\n",
		"[   29.100000] [    T1] virt/tdx: initialization failed: TDMRs exhausted.\n",
		"<4>[   29.100000] virt/tdx: initialization failed: TDMRs exhausted.\n",
		"kern  :warn  : [Tue Mar 14 08:02:11 2025] virt/tdx: initialization failed: TDMRs exhausted.\n",
		"Mar 14 08:02:11 host kernel: virt/tdx: initialization failed: TDMRs exhausted.\r\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		expect_ids(lines[i], "tdmrs-exhausted");
	/* The message must start the line: quoted text is not the kernel's. */
	expect_ids("sshd[1]: user typed virt/tdx: initialization failed: TDMRs exhausted.\n", "");
}

/* The register dump belongs to the SEAMCALL line right before it. */
static void test_register_dump_follows_its_call(void **state)
{
	struct cm_diagnosis *d;

	(void)state;
	d = diagnose_text("virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc0000c0000000000\n"
			  "virt/tdx: RCX 0x0 RDX 0x9100000100000008 R08 0x0\n");
	assert_int_equal(d->nr_findings, 1);
	assert_int_equal(d->findings[0].id, CM_DIAG_MODULE_TOO_OLD);
	assert_int_equal(d->findings[0].nr_evidence, 2);
	assert_non_null(strstr(d->findings[0].explanation, "reading the metadata field 0x9100000100000008 (MAX_TDMRS)"));
	cm_diagnosis_free(d);
	d = diagnose_text("virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc0000c0000000000\n"
			  "a\nb\nc\n"
			  "virt/tdx: RCX 0x0 RDX 0x9100000100000008 R08 0x0\n");
	assert_int_equal(d->findings[0].nr_evidence, 1);
	assert_null(strstr(d->findings[0].explanation, "MAX_TDMRS"));
	cm_diagnosis_free(d);
}

static void test_module_versions(void **state)
{
	struct cm_diagnosis *d;

	(void)state;
	d = diagnose_text("virt/tdx: Module version: 1.5.06\nvirt/tdx: TDX-Module initialized\n");
	assert_true(d->module.present);
	assert_int_equal(d->module.major, 1);
	assert_int_equal(d->module.minor, 5);
	assert_int_equal(d->module.update, 6);
	assert_string_equal(d->kernel_profile, "mainline-7.1");
	assert_true(d->initialized);
	cm_diagnosis_free(d);
	/* A 1.0 module that did not initialise is too old, even with no failed SEAMCALL. */
	expect_ids("virt/tdx: TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, minor_version 0, "
		   "build_date 20220101, build_num 100\nvirt/tdx: module initialization failed (-5)\n",
		   "module-too-old");
}

static void test_bad_input(void **state)
{
	static const char binary[] = "virt/tdx: module initialized\nab\0c\n";
	struct cm_diagnosis *d = NULL;
	struct cm_error err;
	char *long_line;

	(void)state;
	assert_int_equal(cm_diagnose_string(binary, sizeof(binary) - 1, "b.log", &d, &err), -EINVAL);
	assert_null(d);
	assert_string_equal(err.msg, "b.log:2: a NUL byte (binary data), not a boot log");
	long_line = malloc(CM_DIAG_MAX_LINE + 2);
	assert_non_null(long_line);
	memset(long_line, 'x', CM_DIAG_MAX_LINE + 1);
	long_line[CM_DIAG_MAX_LINE + 1] = '\0';
	assert_int_equal(cm_diagnose_string(long_line, CM_DIAG_MAX_LINE + 1, "l.log", &d, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "l.log:1: a line longer than 8192 bytes"));
	/* Exactly the limit is a line. */
	assert_int_equal(cm_diagnose_string(long_line, CM_DIAG_MAX_LINE, "l.log", &d, &err), 0);
	cm_diagnosis_free(d);
	free(long_line);
}

/* An empty log says what it lacks and finds nothing. */
static void test_empty_log(void **state)
{
	struct cm_diagnosis *d = diagnose_text("");

	(void)state;
	assert_int_equal(d->nr_findings, 0);
	assert_true(d->missing.nr_lines > 0);
	assert_null(d->plan);
	assert_false(cm_diagnosis_has_error(d));
	cm_diagnosis_free(d);
}

/* A '|' inside a table cell is written "\|"; newlines never occur. */
static size_t cell(char *buf, size_t len, const char *text)
{
	size_t n = 0;

	for (const char *c = text; *c && n + 2 < len; c++) {
		if (*c == '|')
			buf[n++] = '\\';
		buf[n++] = *c;
	}
	buf[n] = '\0';
	return n;
}

/* docs/diagnose.md's table is the table of rules.c (CONFMEM_UPDATE_DOCS=1 rewrites it). */
static void test_docs_list_the_table(void **state)
{
	static const char begin[] = "<!-- diagnose table: generated, do not edit -->\n";
	static const char end[] = "<!-- end of diagnose table -->\n";
	const char *path = CONFMEM_SOURCE_DIR "/docs/diagnose.md";
	static char table[32768];
	size_t len;

	(void)state;
	len = (size_t)snprintf(table, sizeof(table), "| id | severity | recognised by | explanation | fix |\n"
			       "|---|---|---|---|---|\n");
	for (int i = 0; i < CM_DIAG_NR_IDS; i++) {
		const struct cm_diag_rule_info *r = cm_diag_rule(i);
		char by[1024], why[1024], fix[1024];

		cell(by, sizeof(by), r->recognised_by);
		cell(why, sizeof(why), r->explanation);
		cell(fix, sizeof(fix), r->fix);
		len += (size_t)snprintf(table + len, sizeof(table) - len, "| `%s` | %s | %s | %s | %s |\n", r->id,
					cm_diag_severity_name(r->severity), by, why, fix);
	}
	assert_true(len < sizeof(table));
	tp_check_generated_doc(path, begin, end, table, len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_is_complete),
		cmocka_unit_test(test_leaf_names),
		cmocka_unit_test(test_status_names_and_classes),
		cmocka_unit_test(test_metadata_field_names),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_register_dump_follows_its_call),
		cmocka_unit_test(test_module_versions),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_empty_log),
		cmocka_unit_test(test_docs_list_the_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
