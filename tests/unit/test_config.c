// SPDX-License-Identifier: MIT
/*
 * The knob registry and the enum name tables: every knob is found by its
 * name, parses what its type accepts, refuses the rest with a message
 * naming the knob, and stores into its own field only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "confmem/config.h"
#include "confmem/names.h"

/* Every registered knob: a unique key, help, and for an enum the values text is its names joined. */
static void test_every_knob_is_complete(void **state)
{
	size_t n = cm_config_knob_count();

	(void)state;
	assert_true(n >= 12);
	assert_null(cm_config_knob(n));
	for (size_t i = 0; i < n; i++) {
		const struct cm_config_knob *k = cm_config_knob(i);
		char joined[128] = "", values[CM_KNOB_VALUES_MAX];

		assert_non_null(k->key);
		assert_non_null(k->meaning);
		assert_ptr_equal(cm_config_knob_find(k->key), k);
		assert_true(k->offset + k->field_size <= sizeof(struct cm_config));
		if (k->type != CM_KNOB_ENUM)
			continue;
		for (unsigned int v = 0; v < k->nr_values; v++) {
			assert_string_not_equal(k->value_name(v), "unknown");
			if (v)
				strcat(joined, "|");
			strcat(joined, k->value_name(v));
		}
		assert_string_equal(cm_config_knob_values(k, values, sizeof(values)), joined);
	}
	assert_null(cm_config_knob_find("tdx.nosuch"));
}

/* The values text comes from the knob's type: names, 0|1, the range, SIZE. */
static void test_knob_values_text(void **state)
{
	char buf[CM_KNOB_VALUES_MAX];

	(void)state;
	assert_string_equal(cm_config_knob_values(cm_config_knob_find("hotplug.mode"), buf, sizeof(buf)),
			    "check|notifier|devdax");
	assert_string_equal(cm_config_knob_values(cm_config_knob_find("tdx.optimize"), buf, sizeof(buf)), "0|1");
	assert_string_equal(cm_config_knob_values(cm_config_knob_find("zone_reclaim_mode"), buf, sizeof(buf)),
			    "0..15");
	assert_string_equal(cm_config_knob_values(cm_config_knob_find("swap_bytes"), buf, sizeof(buf)), "SIZE");
	/* Too small a buffer is cut, never overrun. */
	assert_string_equal(cm_config_knob_values(cm_config_knob_find("hotplug.mode"), buf, 8), "check|n");
}

/* Each knob writes its own field and nothing else. */
static void test_knob_sets_only_its_field(void **state)
{
	static const struct {
		const char *assignment;
		size_t offset;
	} cases[] = {
		{ "tdx.mixed=exclude", offsetof(struct cm_config, tdx.mixed) },
		{ "tdx.holes=cmr", offsetof(struct cm_config, tdx.holes) },
		{ "tdx.optimize=1", offsetof(struct cm_config, tdx.merge) },
		{ "tdx.add_failure=retry", offsetof(struct cm_config, tdx_add_failure) },
		{ "hotplug.mode=devdax", offsetof(struct cm_config, hotplug_mode) },
		{ "tiering.model=distance", offsetof(struct cm_config, tiering_model) },
		{ "tiering.memcg_demotion=allowed", offsetof(struct cm_config, memcg_demotion) },
		{ "tiering.promotion=on", offsetof(struct cm_config, promotion) },
		{ "demotion_enabled=true", offsetof(struct cm_config, demotion_enabled) },
		{ "zone_reclaim_mode=8", offsetof(struct cm_config, zone_reclaim_mode) },
		{ "swap_bytes=4G", offsetof(struct cm_config, swap_bytes) },
		{ "sgx.oom=kill-enclave", offsetof(struct cm_config, sgx_oom) },
	};
	struct cm_error err = { 0 };

	(void)state;
	for (size_t i = 0; i < CM_ARRAY_SIZE(cases); i++) {
		struct cm_config before, after;
		const unsigned char *a = (const unsigned char *)&before, *b = (const unsigned char *)&after;
		const struct cm_config_knob *k;
		char key[64];

		cm_config_default(&before);
		cm_config_default(&after);
		assert_int_equal(cm_config_set(&after, cases[i].assignment, &err), 0);
		snprintf(key, sizeof(key), "%.*s", (int)strcspn(cases[i].assignment, "="), cases[i].assignment);
		k = cm_config_knob_find(key);
		assert_non_null(k);
		assert_int_equal(k->offset, cases[i].offset);
		for (size_t byte = 0; byte < sizeof(before); byte++)
			if (byte < k->offset || byte >= k->offset + k->field_size)
				assert_int_equal(a[byte], b[byte]);
		assert_memory_not_equal(a + k->offset, b + k->offset, k->field_size);
	}
}

static void test_knob_values_stored(void **state)
{
	struct cm_config c;
	struct cm_error err = { 0 };

	(void)state;
	cm_config_default(&c);
	assert_int_equal(cm_config_set(&c, "tdx.holes=cmr", &err), 0);
	assert_int_equal(c.tdx.holes, CM_HOLES_CMR);
	assert_int_equal(cm_config_set(&c, "tdx.optimize=on", &err), 0);
	assert_int_equal(c.tdx.merge, CM_TDX_MERGE_TOUCHING);
	assert_int_equal(cm_config_set(&c, "tdx.optimize=off", &err), 0);
	assert_int_equal(c.tdx.merge, CM_TDX_MERGE_NONE);
	assert_int_equal(cm_config_set(&c, "hotplug.mode=notifier", &err), 0);
	assert_int_equal(c.hotplug_mode, CM_HOTPLUG_NOTIFIER);
	assert_int_equal(cm_config_set(&c, "zone_reclaim_mode=15", &err), 0);
	assert_int_equal(c.zone_reclaim_mode, 15);
	assert_int_equal(cm_config_set(&c, "swap_bytes=0x1000", &err), 0);
	assert_int_equal(c.swap_bytes, 4096);
	assert_int_equal(cm_config_set(&c, "demotion_enabled=0", &err), 0);
	assert_int_equal(cm_config_set(&c, "zone_reclaim_mode=0", &err), 0);
	assert_false(cm_config_demotion_on(&c));
	assert_int_equal(cm_config_set(&c, "zone_reclaim_mode=8", &err), 0);
	assert_true(cm_config_demotion_on(&c));
}

static void expect_refused(const char *assignment, const char *message)
{
	struct cm_config c;
	struct cm_error err = { 0 };

	cm_config_default(&c);
	assert_int_equal(cm_config_set(&c, assignment, &err), -EINVAL);
	assert_string_equal(err.msg, message);
}

static void test_bad_values_name_the_knob(void **state)
{
	(void)state;
	expect_refused("tdx.mixed=sometimes", "tdx.mixed: expected strict|exclude, found \"sometimes\"");
	expect_refused("tdx.optimize=2", "tdx.optimize: expected 0 or 1, found \"2\"");
	expect_refused("zone_reclaim_mode=16", "zone_reclaim_mode: expected 0..15, found \"16\"");
	expect_refused("zone_reclaim_mode=x", "zone_reclaim_mode: expected 0..15, found \"x\"");
	expect_refused("swap_bytes=banana", "swap_bytes: expected a number (decimal or 0x-hex) with an optional K/M/G/T/P suffix, "
		       "found \"banana\"");
	expect_refused("nosuch=1", "nosuch: unknown configuration knob");
	expect_refused("=1", "expected KEY=VALUE, found \"=1\"");
	expect_refused("novalue", "expected KEY=VALUE, found \"novalue\"");
}

/* Boot-only knobs are the ones the system reads once, when it is built. */
static void test_boot_only_knobs(void **state)
{
	static const char *const boot[] = { "tdx.kernel", "tdx.mixed", "tdx.holes", "tdx.pamt_placement", "tdx.optimize",
					    "tdx.add_failure", "swap_bytes" };
	const struct cm_config_knob *k;

	(void)state;
	for (size_t i = 0; (k = cm_config_knob(i)); i++) {
		bool expect_boot = false;

		for (size_t j = 0; j < CM_ARRAY_SIZE(boot); j++)
			expect_boot |= !strcmp(boot[j], k->key);
		assert_int_equal(k->when, expect_boot ? CM_KNOB_BOOT : CM_KNOB_RUNTIME);
	}
}

/* Every value of every printed enum has a name, and names are found back. */
static void test_enum_names(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < CM_HOLES_NR; i++)
		assert_string_not_equal(cm_tdx_holes_name(i), "unknown");
	for (unsigned int i = 0; i < CM_TDX_MERGE_NR; i++)
		assert_string_not_equal(cm_tdx_merge_name(i), "unknown");
	for (unsigned int i = 0; i < CM_PAMT_PLACEMENT_NR; i++)
		assert_string_not_equal(cm_pamt_placement_name(i), "unknown");
	for (unsigned int i = 0; i < CM_TDX_NR_RESULTS; i++)
		assert_string_not_equal(cm_tdx_result_name(i), "unknown");
	for (unsigned int i = 0; i < CM_TDX_NR_STEP_KINDS; i++) {
		assert_string_not_equal(cm_tdx_step_kind_name(i), "unknown");
		assert_non_null(cm_tdx_step_values(i)[0].name);
	}
	for (unsigned int i = 0; i < CM_TDX_NR_STEP_OUTCOMES; i++)
		assert_string_not_equal(cm_tdx_step_outcome_name(i), "unknown");
	for (unsigned int i = 0; i < CM_HOTPLUG_NR_OUTCOMES; i++)
		assert_string_not_equal(cm_hotplug_outcome_name(i), "unknown");
	assert_string_equal(cm_tdx_holes_name(CM_HOLES_CMR), "cmr");
	assert_string_equal(cm_tdx_holes_source(CM_HOLES_MEMLIST), "memory list");
	assert_string_equal(cm_tdx_result_name(CM_TDX_FAILED_RESERVED), "reserved_areas_exhausted");
	assert_string_equal(cm_tdx_holes_name(CM_HOLES_NR), "unknown");
	assert_string_equal(cm_pamt_placement_name(CM_PAMT_LOWEST_FIT), "lowest-fit");
}

static void test_name_helpers(void **state)
{
	static const char *const names[] = { "check", "notifier", "devdax" };

	(void)state;
	assert_string_equal(cm_name_of(names, 3, 1), "notifier");
	assert_string_equal(cm_name_of(names, 3, 3), "unknown");
	assert_int_equal(cm_name_find(names, 3, "devdax"), 2);
	assert_int_equal(cm_name_find(names, 3, "dax"), -1);
}

/* docs/knobs.md's table is the registry's (CONFMEM_UPDATE_DOCS=1 rewrites it). */
static void test_docs_list_every_knob(void **state)
{
	static const char begin[] = "<!-- knobs: generated, do not edit -->\n";
	static const char end[] = "<!-- end of knobs -->\n";
	const char *path = CONFMEM_SOURCE_DIR "/docs/knobs.md";
	char table[8192];
	const struct cm_config_knob *k;
	size_t len;

	(void)state;
	len = (size_t)snprintf(table, sizeof(table), "| knob | values | when | meaning |\n|---|---|---|---|\n");
	for (size_t i = 0; (k = cm_config_knob(i)); i++) {
		char values[128], raw[CM_KNOB_VALUES_MAX];
		size_t v = 0;

		/* A '|' inside a table cell is written "\\|". */
		for (const char *c = cm_config_knob_values(k, raw, sizeof(raw)); *c && v + 2 < sizeof(values); c++) {
			if (*c == '|')
				values[v++] = '\\';
			values[v++] = *c;
		}
		values[v] = '\0';
		len += (size_t)snprintf(table + len, sizeof(table) - len, "| `%s` | `%s` | %s | %s |\n", k->key,
					values, k->when == CM_KNOB_BOOT ? "boot" : "run time", k->meaning);
	}
	assert_true(len < sizeof(table));
	tp_check_generated_doc(path, begin, end, table, len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_knob_is_complete),
		cmocka_unit_test(test_knob_values_text),
		cmocka_unit_test(test_knob_sets_only_its_field),
		cmocka_unit_test(test_knob_values_stored),
		cmocka_unit_test(test_bad_values_name_the_knob),
		cmocka_unit_test(test_boot_only_knobs),
		cmocka_unit_test(test_enum_names),
		cmocka_unit_test(test_name_helpers),
		cmocka_unit_test(test_docs_list_every_knob),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
