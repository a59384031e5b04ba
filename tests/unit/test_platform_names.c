// SPDX-License-Identifier: MIT
/*
 * The name tables of the platform enums (names.c): every value has one
 * name, the reverse lookup finds it, and the kernel's spellings of e820
 * types map to the types confmem prints.
 */
#include <errno.h>
#include <string.h>

#include "helpers.h"

#include "confmem/platform.h"
#include "platform/live_parse.h"
#include "platform/names.h"

static void test_every_e820_type_name_reads_back(void **state)
{
	(void)state;
	for (int i = 0; i < CM_E820_NR_TYPES; i++) {
		enum cm_e820_type type = CM_E820_NR_TYPES;

		assert_int_equal(cm_e820_type_from_name(cm_e820_type_name((enum cm_e820_type)i), &type), 0);
		assert_int_equal(type, i);
	}
	assert_string_equal(cm_e820_type_name(CM_E820_SOFT_RESERVED), "soft-reserved");
	assert_string_equal(cm_e820_type_name(CM_E820_NR_TYPES), "unknown");
}

static void test_every_node_kind_name_reads_back(void **state)
{
	(void)state;
	for (int i = 0; i < CM_NODE_NR_KINDS; i++) {
		enum cm_node_kind kind = CM_NODE_NR_KINDS;

		assert_int_equal(cm_node_kind_from_name(cm_node_kind_name((enum cm_node_kind)i), &kind), 0);
		assert_int_equal(kind, i);
	}
	assert_string_equal(cm_node_kind_name(CM_NODE_CXL), "cxl");
	assert_string_equal(cm_node_kind_name(CM_NODE_NR_KINDS), "unknown");
}

static void test_unknown_names_are_refused(void **state)
{
	enum cm_e820_type type = CM_E820_USABLE;
	enum cm_node_kind kind = CM_NODE_DRAM;

	(void)state;
	assert_int_equal(cm_e820_type_from_name("Usable", &type), -EINVAL);
	assert_int_equal(cm_e820_type_from_name("", &type), -EINVAL);
	assert_int_equal(type, CM_E820_USABLE);
	assert_int_equal(cm_node_kind_from_name("DRAM", &kind), -EINVAL);
	assert_int_equal(kind, CM_NODE_DRAM);
}

static void test_pamt_level_names_are_the_json_keys(void **state)
{
	(void)state;
	assert_string_equal(cm_pamt_level_name(CM_PAMT_4K), "4k");
	assert_string_equal(cm_pamt_level_name(CM_PAMT_2M), "2m");
	assert_string_equal(cm_pamt_level_name(CM_PAMT_1G), "1g");
	assert_string_equal(cm_pamt_level_name(CM_PAMT_NR_LEVELS), "unknown");
}

/* Every e820 type has at least one spelling in the boot log and in /proc/iomem. */
static void test_every_e820_type_has_kernel_spellings(void **state)
{
	(void)state;
	for (int i = 0; i < CM_E820_NR_TYPES; i++) {
		bool in_boot_log = false, in_iomem = false;

		for (size_t k = 0; k < nr_e820_boot_log_spellings; k++)
			in_boot_log |= e820_boot_log_spellings[k].type == (enum cm_e820_type)i;
		for (size_t k = 0; k < nr_e820_iomem_spellings; k++)
			in_iomem |= e820_iomem_spellings[k].type == (enum cm_e820_type)i;
		if (!in_boot_log || !in_iomem)
			fail_msg("e820 type %s lacks a kernel spelling", cm_e820_type_name((enum cm_e820_type)i));
	}
}

static void test_iomem_names_match_exactly(void **state)
{
	enum cm_e820_type type = CM_E820_NR_TYPES;

	(void)state;
	assert_int_equal(iomem_name_to_e820_type("System RAM", strlen("System RAM"), &type), 0);
	assert_int_equal(type, CM_E820_USABLE);
	assert_int_equal(iomem_name_to_e820_type("Soft Reserved", strlen("Soft Reserved"), &type), 0);
	assert_int_equal(type, CM_E820_SOFT_RESERVED);
	assert_int_equal(iomem_name_to_e820_type("System RAM", strlen("System"), &type), -ENOENT);
	assert_int_equal(iomem_name_to_e820_type("system ram", strlen("system ram"), &type), -ENOENT);
	assert_int_equal(iomem_name_to_e820_type("PCI Bus 0000:00", strlen("PCI Bus 0000:00"), &type), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_e820_type_name_reads_back),
		cmocka_unit_test(test_every_node_kind_name_reads_back),
		cmocka_unit_test(test_unknown_names_are_refused),
		cmocka_unit_test(test_pamt_level_names_are_the_json_keys),
		cmocka_unit_test(test_every_e820_type_has_kernel_spellings),
		cmocka_unit_test(test_iomem_names_match_exactly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
