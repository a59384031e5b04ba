// SPDX-License-Identifier: MIT
/*
 * The JSON platform source and dump (SPEC 1 "Platform JSON", SPEC 13).
 * One test per rule. Documents are written with single quotes for
 * readability; json_text() turns them into JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#include "confmem/json_util.h"
#include "confmem/platform.h"

#define SOURCE "plat.json"

/* A small valid platform: one node, 1 GiB of RAM, e820 and distances derived. */
#define MINIMAL_NODES "'nodes': [{'id': 0, 'cpus': '0-3', 'memory': [{'start': '0x0', 'size': '1G'}]}]"

static char *json_text(const char *single_quoted)
{
	char *text = strdup(single_quoted);

	assert_non_null(text);
	for (char *c = text; *c; c++)
		if (*c == '\'')
			*c = '"';
	return text;
}

static struct cm_platform *load_ok(const char *single_quoted)
{
	char *text = json_text(single_quoted);
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };
	int ret = cm_platform_from_json_string(text, strlen(text), SOURCE, &p, &err);

	if (ret)
		fail_msg("unexpected error: %s", err.msg);
	assert_non_null(p);
	free(text);
	return p;
}

/* Loading fails with a message containing @needle; *out is NULL. */
static void expect_error(const char *single_quoted, const char *needle)
{
	char *text = json_text(single_quoted);
	struct cm_platform *p = (struct cm_platform *)&p;
	struct cm_error err = { 0 };
	int ret = cm_platform_from_json_string(text, strlen(text), SOURCE, &p, &err);

	assert_int_not_equal(ret, 0);
	assert_int_equal(ret, err.code);
	assert_null(p);
	if (!strstr(err.msg, needle))
		fail_msg("message \"%s\" does not contain \"%s\"", err.msg, needle);
	free(text);
}

/* As expect_error(), for text that is already JSON (or meant not to be). */
static void expect_raw_error(const char *text, const char *needle)
{
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };

	assert_int_equal(cm_platform_from_json_string(text, strlen(text), SOURCE, &p, &err), -EINVAL);
	assert_null(p);
	if (!strstr(err.msg, needle))
		fail_msg("message \"%s\" does not contain \"%s\"", err.msg, needle);
}

/* Loading fails with exactly @message. */
static void expect_exact_error(const char *single_quoted, const char *message)
{
	char *text = json_text(single_quoted);
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };

	assert_int_equal(cm_platform_from_json_string(text, strlen(text), SOURCE, &p, &err), -EINVAL);
	assert_null(p);
	assert_string_equal(err.msg, message);
	free(text);
}

static struct cm_platform *load_file_ok(const char *name)
{
	char path[512];
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };

	snprintf(path, sizeof(path), "%s/json/%s", CONFMEM_TEST_DATA, name);
	if (cm_platform_from_json_file(path, &p, &err))
		fail_msg("unexpected error: %s", err.msg);
	return p;
}

/* ---- the format ---- */

static void test_json_loads_every_field(void **state)
{
	struct cm_platform *p = load_file_ok("two_socket.json");
	const struct cm_node *cxl;

	(void)state;
	assert_string_equal(p->name, "two-socket-test");
	assert_int_equal(p->memory_block_size, 128ULL << 20);
	assert_int_equal(p->nr_nodes, 3);
	assert_int_equal(cm_bitmap_weight(&p->nodes[0].cpus), 32);
	assert_true(cm_bitmap_test(&p->nodes[0].cpus, 47));
	assert_false(cm_bitmap_test(&p->nodes[0].cpus, 16));
	assert_int_equal(p->nodes[0].nr_memory, 3);
	assert_int_equal(p->nodes[0].memory[2].start, CM_SZ_4G);
	assert_int_equal(p->nodes[0].memory[2].end, CM_SZ_4G + 32 * CM_SZ_1G);
	assert_int_equal(p->nodes[1].memory[0].start, 36 * CM_SZ_1G);
	cxl = cm_platform_node(p, 2);
	assert_non_null(cxl);
	assert_int_equal(cxl->kind, CM_NODE_CXL);
	assert_false(cm_node_has_cpus(cxl));
	assert_int_equal(cxl->nr_memory, 0);
	assert_true(cxl->hmat.present);
	assert_int_equal(cxl->hmat.read_latency_ns, 250);
	assert_int_equal(cxl->hmat.write_latency_ns, 300);
	assert_int_equal(cxl->hmat.read_bandwidth_mbps, 30000);
	assert_int_equal(cxl->hmat.write_bandwidth_mbps, 25000);
	assert_int_equal(cxl->adistance, 700);
	assert_int_equal(p->nodes[0].adistance, -1);
	assert_false(p->nodes[0].hmat.present);
	assert_int_equal(cm_platform_distance(p, 0, 1), 21);
	assert_int_equal(cm_platform_distance(p, 2, 0), 30);
	assert_int_equal(p->nr_e820, 7);
	assert_int_equal(p->e820[3].end, 0xf0000000ULL);
	assert_int_equal(p->e820[6].type, CM_E820_SOFT_RESERVED);
	assert_true(p->tdx.enabled);
	assert_int_equal(p->tdx.nr_cmrs, 2);
	assert_int_equal(p->tdx.cmrs[1].end, 68 * CM_SZ_1G);
	assert_int_equal(p->sgx.nr_epc, 1);
	assert_int_equal(p->sgx.epc[0].size, 0x20000000ULL);
	assert_int_equal(p->nr_hotplug, 1);
	assert_int_equal(p->hotplug[0].start, 1ULL << 40);
	assert_int_equal(p->hotplug[0].node, 2);
	assert_false(p->hotplug[0].convertible);
	cm_platform_free(p);
}

static void test_json_size_strings_and_numbers(void **state)
{
	struct cm_platform *p = load_ok("{'memory_block_size': 268435456, 'nodes': [{'id': 0, 'memory': ["
					"{'start': 0, 'size': '0x100000'}, {'start': '2M', 'size': '2MiB'}, "
					"{'start': '0X400000', 'size': 4096}, {'start': '1g', 'size': '1G'}]}]}");

	(void)state;
	assert_int_equal(p->memory_block_size, 256ULL << 20);
	assert_int_equal(p->nodes[0].memory[0].end, 0x100000);
	assert_int_equal(p->nodes[0].memory[1].start, 2 * CM_SZ_1M);
	assert_int_equal(p->nodes[0].memory[1].end, 4 * CM_SZ_1M);
	assert_int_equal(p->nodes[0].memory[2].start, 0x400000);
	assert_int_equal(p->nodes[0].memory[2].end, 0x401000);
	assert_int_equal(p->nodes[0].memory[3].start, CM_SZ_1G);
	assert_int_equal(p->nodes[0].memory[3].end, 2 * CM_SZ_1G);
	cm_platform_free(p);
}

static void test_json_size_of_wrong_type_names_path(void **state)
{
	(void)state;
	expect_exact_error("{'nodes': [{'id': 0, 'memory': [{'start': '0x0', 'size': '1G'}]}, "
			   "{'id': 1, 'memory': [{'start': true, 'size': '1G'}]}]}",
			   SOURCE ": $.nodes[1].memory[0].start: expected a size (number or string like "
			   "\"0x1000\" or \"64G\"), found true");
	expect_error("{'memory_block_size': null, " MINIMAL_NODES "}",
		     "$.memory_block_size: expected a size (number or string like \"0x1000\" or \"64G\"), found null");
	expect_error("{'memory_block_size': [1], " MINIMAL_NODES "}", "$.memory_block_size: expected a size");
}

static void test_json_rejects_negative_size(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': -4096, 'size': '1G'}]}]}",
		     "$.nodes[0].memory[0].start: expected a size (number or string like \"0x1000\" or \"64G\"), "
		     "found -4096");
}

static void test_json_rejects_size_that_does_not_fit_64_bits(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': 0, 'size': 99999999999999999999999}]}]}",
		     "$.nodes[0].memory[0].size: expected a size (number or string like \"0x1000\" or \"64G\"), "
		     "found a number too large for 64 bits");
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': 0, 'size': '0x10000000000000000'}]}]}",
		     "$.nodes[0].memory[0].size: expected a size (number or string like \"0x1000\" or \"64G\"), "
		     "found \"0x10000000000000000\": value does not fit in 64 bits");
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': 0, 'size': '16777216T'}]}]}",
		     "found \"16777216T\": value does not fit in 64 bits");
}

static void test_json_rejects_fractional_number(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': 0, 'size': 1.5}]}]}",
		     "$.nodes[0].memory[0].size: expected a size (number or string like \"0x1000\" or \"64G\"), "
		     "found 1.5");
	expect_error("{'nodes': [{'id': 0.0, 'memory': []}]}",
		     "$.nodes[0].id: expected an integer 0..63, found 0.0");
}

static void test_json_rejects_bad_size_string(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': 0, 'size': '12Q'}]}]}",
		     "$.nodes[0].memory[0].size: expected a size (number or string like \"0x1000\" or \"64G\"), "
		     "found \"12Q\": unknown size suffix");
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': ' 1G', 'size': '1G'}]}]}",
		     "$.nodes[0].memory[0].start: expected a size");
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': '', 'size': '1G'}]}]}",
		     "found \"\": empty value");
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': '4\\u0000G', 'size': '1G'}]}]}",
		     "found \"4\\u0000G\": contains a NUL character");
}

static void test_json_rejects_unknown_field(void **state)
{
	(void)state;
	expect_exact_error("{'nodes': [{'id': 0, 'memroy': []}]}",
			   SOURCE ": $.nodes[0]: unknown field \"memroy\" (known fields: id, cpus, package, kind, memory, "
			   "hmat, adistance)");
	expect_error("{'node': [], " MINIMAL_NODES "}", "$: unknown field \"node\"");
	expect_error("{" MINIMAL_NODES ", 'tdx': {'cmr': []}}", "$.tdx: unknown field \"cmr\"");
	expect_error("{" MINIMAL_NODES ", 'tdx': {'pamt_entry_size': {'4K': 16}}}",
		     "$.tdx.pamt_entry_size: unknown field \"4K\" (known fields: 4k, 2m, 1g)");
	expect_error("{" MINIMAL_NODES ", 'sgx': {'epc': [{'start': 0, 'size': 4096, 'nid': 0}]}}",
		     "$.sgx.epc[0]: unknown field \"nid\"");
	expect_error("{" MINIMAL_NODES ", 'hotplug': [{'start': '1T', 'size': '1G', 'node': 0, 'online': true}]}",
		     "$.hotplug[0]: unknown field \"online\"");
	expect_error("{" MINIMAL_NODES ", 'e820': [{'start': 0, 'end': '1G', 'typ': 'usable'}]}",
		     "$.e820[0]: unknown field \"typ\"");
}

static void test_json_unknown_field_name_is_escaped(void **state)
{
	(void)state;
	expect_error("{'nodes\\n': []}", "$: unknown field \"nodes\\n\"");
}

static void test_json_rejects_missing_required_field(void **state)
{
	(void)state;
	expect_exact_error("{'nodes': [{'cpus': '0'}]}", SOURCE ": $.nodes[0]: missing field \"id\"");
	expect_error("{'nodes': [{'id': 0, 'memory': [{'size': '1G'}]}]}",
		     "$.nodes[0].memory[0]: missing field \"start\"");
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': 0}]}]}",
		     "$.nodes[0].memory[0]: missing field \"size\" (or \"end\")");
	expect_error("{" MINIMAL_NODES ", 'e820': [{'start': 0, 'end': '1G'}]}", "$.e820[0]: missing field \"type\"");
	expect_error("{" MINIMAL_NODES ", 'sgx': {'epc': [{'start': '2G', 'size': 4096}]}}",
		     "$.sgx.epc[0]: missing field \"node\"");
	expect_error("{" MINIMAL_NODES ", 'hotplug': [{'start': '2G', 'size': '1G'}]}",
		     "$.hotplug[0]: missing field \"node\"");
}

static void test_json_rejects_wrong_types(void **state)
{
	(void)state;
	expect_exact_error("{'nodes': {}}", SOURCE ": $.nodes: expected an array, found an object");
	expect_error("{'nodes': [[]]}", "$.nodes[0]: expected an object, found an array");
	expect_error("{'nodes': [{'id': '0'}]}", "$.nodes[0].id: expected an integer 0..63, found \"0\"");
	expect_error("{'nodes': [{'id': 0, 'cpus': 5}]}", "$.nodes[0].cpus: expected a string, found 5");
	expect_error("{'name': 7, " MINIMAL_NODES "}", "$.name: expected a string, found 7");
	expect_error("{" MINIMAL_NODES ", 'tdx': {'enabled': 'yes'}}",
		     "$.tdx.enabled: expected true or false, found \"yes\"");
	expect_error("{" MINIMAL_NODES ", 'tdx': {'max_tdmrs': -1}}",
		     "$.tdx.max_tdmrs: expected an integer 0..4294967295, found -1");
	expect_error("{" MINIMAL_NODES ", 'tdx': {'max_tdmrs': 4294967296}}",
		     "$.tdx.max_tdmrs: expected an integer 0..4294967295, found 4294967296");
	expect_error("{" MINIMAL_NODES ", 'tdx': []}", "$.tdx: expected an object, found an array");
	expect_error("{" MINIMAL_NODES ", 'sgx': {'epc': {}}}", "$.sgx.epc: expected an array, found an object");
	expect_error("{" MINIMAL_NODES ", 'hotplug': [{'start': '2G', 'size': '1G', 'node': 0, "
		     "'convertible': 1}]}", "$.hotplug[0].convertible: expected true or false, found 1");
	/*
	 *   RAM [0, 1G)  window 0 [2G, 4G)  window 1 [3G, 4G) inside it, given second:
	 *   expect the later one named, with the earlier.
	 */
	expect_error("{" MINIMAL_NODES ", 'hotplug': [{'start': '2G', 'size': '2G', 'node': 0}, "
		     "{'start': '3G', 'size': '1G', 'node': 0}]}", "$.hotplug[1]: overlaps $.hotplug[0]");
	/* The same windows in the other order, and a window given first that starts after a later one. */
	expect_error("{" MINIMAL_NODES ", 'hotplug': [{'start': '3G', 'size': '1G', 'node': 0}, "
		     "{'start': '2G', 'size': '2G', 'node': 0}]}", "$.hotplug[1]: overlaps $.hotplug[0]");
	expect_error("{" MINIMAL_NODES ", 'hotplug': [{'start': '8G', 'size': '1G', 'node': 0}, "
		     "{'start': '2G', 'size': '1G', 'node': 0}, {'start': '2G', 'size': '8G', 'node': 0}]}",
		     "$.hotplug[2]: overlaps $.hotplug[1]");
	/*   RAM [0, 1G) reaches into the window [512M, 2G): found by the sorted map, not a scan. */
	expect_error("{" MINIMAL_NODES ", 'hotplug': [{'start': '512M', 'size': '1536M', 'node': 0}]}",
		     "$.hotplug[0]: window overlaps boot RAM $.e820[0]");
	/* EPC is bounded like real processors' (its page descriptors are allocated up front). */
	expect_error("{" MINIMAL_NODES ", 'sgx': {'epc': [{'start': '8G', 'size': '768G', 'node': 0}, "
		     "{'start': '1T', 'size': '512G', 'node': 0}]}}",
		     "$.sgx.epc[1]: the EPC sections total more than 1 TiB (0x10000000000 bytes), the most any processor has");
	expect_error("{'nodes': [{'id': 0, 'adistance': 70000}]}",
		     "$.nodes[0].adistance: expected an integer 0..65535, found 70000");
	expect_error("{'nodes': [{'id': 0, 'hmat': {'read_latency_ns': 1, 'write_latency_ns': 1, "
		     "'read_bandwidth_mbps': 1, 'write_bandwidth_mbps': 4294967296}}]}",
		     "$.nodes[0].hmat.write_bandwidth_mbps: expected an integer 0..4294967295");
}

static void test_json_hmat_needs_all_four_fields(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0, 'hmat': {'read_latency_ns': 100}}]}",
		     "$.nodes[0].hmat: missing field \"write_latency_ns\"");
}

static void test_json_rejects_bad_cpu_list(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0, 'cpus': '3-1'}]}",
		     "$.nodes[0].cpus: expected a CPU list like \"0-15,32\" (\"\" for none), found \"3-1\": "
		     "range end below its start");
	expect_error("{'nodes': [{'id': 0, 'cpus': '0-99999'}]}", "$.nodes[0].cpus: expected a CPU list");
}

static void test_json_rejects_unknown_kind_and_e820_type(void **state)
{
	(void)state;
	expect_exact_error("{'nodes': [{'id': 0, 'kind': 'DRAM'}]}",
			   SOURCE ": $.nodes[0].kind: expected one of dram, pmem, cxl, hbm, found \"DRAM\"");
	expect_error("{" MINIMAL_NODES ", 'e820': [{'start': 0, 'end': '1G', 'type': 'ram'}]}",
		     "$.e820[0].type: expected one of usable, reserved, acpi, nvs, pmem, soft-reserved, unusable, "
		     "found \"ram\"");
}

static void test_json_e820_accepts_end_or_size_not_both(void **state)
{
	struct cm_platform *p = load_ok("{" MINIMAL_NODES ", 'e820': [{'start': 0, 'end': '1G', 'type': 'usable'}, "
					"{'start': '1G', 'size': '1G', 'type': 'reserved'}]}");

	(void)state;
	assert_int_equal(p->nr_e820, 2);
	assert_int_equal(p->e820[0].end, CM_SZ_1G);
	assert_int_equal(p->e820[1].start, CM_SZ_1G);
	assert_int_equal(p->e820[1].end, 2 * CM_SZ_1G);
	assert_int_equal(p->e820[1].type, CM_E820_RESERVED);
	cm_platform_free(p);
	expect_error("{" MINIMAL_NODES ", 'e820': [{'start': 0, 'end': '1G', 'size': '1G', 'type': 'usable'}]}",
		     "$.e820[0]: give \"size\" or \"end\", not both");
}

static void test_json_rejects_start_plus_size_past_2_64(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': '0xfffffffffffff000', 'size': '8K'}]}]}",
		     "$.nodes[0].memory[0]: start 0xfffffffffffff000 + size 0x2000 overflows 64 bits");
	expect_error("{" MINIMAL_NODES ", 'sgx': {'epc': [{'start': '0xfffffffffffff000', 'size': '8K', "
		     "'node': 0}]}}", "$.sgx.epc[0]: start + size overflows 64 bits");
	expect_error("{" MINIMAL_NODES ", 'hotplug': [{'start': '0xfffffffffffff000', 'size': '8K', "
		     "'node': 0}]}", "$.hotplug[0]: start + size overflows 64 bits");
}

static void test_json_distance_matrix_one_row_per_node(void **state)
{
	(void)state;
	expect_exact_error("{'nodes': [{'id': 0}, {'id': 1}, {'id': 2}, {'id': 3}], "
			   "'distances': [[10, 20, 20, 20], [20, 10, 20, 20], [20, 20, 10, 20]]}",
			   SOURCE ": $.distances: expected 4 rows (one per node), found 3");
}

static void test_json_distance_row_one_entry_per_node(void **state)
{
	(void)state;
	expect_exact_error("{'nodes': [{'id': 0}, {'id': 1}], 'distances': [[10, 20], [20, 10, 20]]}",
			   SOURCE ": $.distances[1]: expected 2 distances (one per node), found 3");
	expect_error("{'nodes': [{'id': 0}, {'id': 1}], 'distances': [[10, 20], 20]}",
		     "$.distances[1]: expected an array, found 20");
	expect_error("{'nodes': [{'id': 0}, {'id': 1}], 'distances': [[10, 20], [-20, 10]]}",
		     "$.distances[1][0]: expected an integer 0..4294967295, found -20");
}

static void test_json_distance_values_checked(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0}, {'id': 1}], 'distances': [[10, 20], [20, 11]]}",
		     "$.distances[1][1]: a node's distance to itself must be 10, found 11");
	expect_error("{'nodes': [{'id': 0}, {'id': 1}], 'distances': [[10, 256], [20, 10]]}",
		     "$.distances[0][1]: expected 11..255 between different nodes, found 256");
}

static void test_json_distances_absent_take_defaults(void **state)
{
	struct cm_platform *p = load_ok("{'nodes': [{'id': 0}, {'id': 3}]}");

	(void)state;
	assert_int_equal(cm_platform_distance(p, 0, 0), 10);
	assert_int_equal(cm_platform_distance(p, 0, 3), 20);
	cm_platform_free(p);
}

static void test_json_rejects_more_than_32_cmrs(void **state)
{
	char doc[8192];
	size_t used = (size_t)snprintf(doc, sizeof(doc), "{" MINIMAL_NODES ", 'tdx': {'cmrs': [");

	(void)state;
	for (int i = 0; i < 33; i++)
		used += (size_t)snprintf(doc + used, sizeof(doc) - used, "%s{'start': '%dG', 'size': '4K'}",
					 i ? ", " : "", i);
	snprintf(doc + used, sizeof(doc) - used, "]}}");
	expect_exact_error(doc, SOURCE ": $.tdx.cmrs: expected at most 32 CMRs, found 33");
}

static void test_json_accepts_32_cmrs(void **state)
{
	char doc[8192];
	size_t used = (size_t)snprintf(doc, sizeof(doc), "{" MINIMAL_NODES ", 'tdx': {'cmrs': [");
	struct cm_platform *p;

	(void)state;
	for (int i = 0; i < 32; i++)
		used += (size_t)snprintf(doc + used, sizeof(doc) - used, "%s{'start': '%dG', 'size': '4K'}",
					 i ? ", " : "", i);
	snprintf(doc + used, sizeof(doc) - used, "]}}");
	p = load_ok(doc);
	assert_int_equal(p->tdx.nr_cmrs, 32);
	assert_int_equal(p->tdx.cmrs[31].start, 31 * CM_SZ_1G);
	cm_platform_free(p);
}

static void test_json_rejects_more_than_8_epc_sections(void **state)
{
	char doc[8192];
	size_t used = (size_t)snprintf(doc, sizeof(doc), "{" MINIMAL_NODES ", 'sgx': {'epc': [");

	(void)state;
	for (int i = 0; i < 9; i++)
		used += (size_t)snprintf(doc + used, sizeof(doc) - used,
					 "%s{'start': '%dG', 'size': '4K', 'node': 0}", i ? ", " : "", 2 + i);
	snprintf(doc + used, sizeof(doc) - used, "]}}");
	expect_exact_error(doc, SOURCE ": $.sgx.epc: expected at most 8 EPC sections, found 9");
}

static void test_json_rejects_more_than_64_nodes(void **state)
{
	char doc[8192];
	size_t used = (size_t)snprintf(doc, sizeof(doc), "{'nodes': [");

	(void)state;
	for (int i = 0; i < 65; i++)
		used += (size_t)snprintf(doc + used, sizeof(doc) - used, "%s{'id': %d}", i ? ", " : "", i);
	snprintf(doc + used, sizeof(doc) - used, "]}");
	expect_exact_error(doc, SOURCE ": $.nodes: expected at most 64 nodes, found 65");
}

static void test_json_rejects_non_object_top_level(void **state)
{
	(void)state;
	expect_exact_error("[]", SOURCE ": $: expected an object, found an array");
	expect_exact_error("42", SOURCE ": $: expected an object, found 42");
	expect_exact_error("'text'", SOURCE ": $: expected an object, found \"text\"");
	expect_exact_error("null", SOURCE ": $: expected an object, found null");
}

static void test_json_rejects_empty_file(void **state)
{
	char path[512];
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };

	(void)state;
	expect_exact_error("", SOURCE ": empty input (expected a JSON document)");
	expect_exact_error(" \n\t\n", SOURCE ": empty input (expected a JSON document)");
	snprintf(path, sizeof(path), "%s/json/empty.json", CONFMEM_TEST_DATA);
	assert_int_equal(cm_platform_from_json_file(path, &p, &err), -EINVAL);
	assert_null(p);
	assert_non_null(strstr(err.msg, "empty.json: empty input"));
}

static void test_json_rejects_missing_nodes(void **state)
{
	(void)state;
	expect_exact_error("{}", SOURCE ": $.nodes: expected at least one NUMA node");
}

static void test_json_syntax_error_has_line(void **state)
{
	char path[512], expect[600];
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };

	(void)state;
	snprintf(path, sizeof(path), "%s/json/syntax_error.json", CONFMEM_TEST_DATA);
	assert_int_equal(cm_platform_from_json_file(path, &p, &err), -EINVAL);
	assert_null(p);
	snprintf(expect, sizeof(expect), "%s:4: JSON syntax error: ", path);
	if (strncmp(err.msg, expect, strlen(expect)))
		fail_msg("message \"%s\" does not start with \"%s\"", err.msg, expect);
	expect_error("{\n'nodes': [\n", SOURCE ":2: JSON syntax error: unexpected end of data");
	expect_error("{\n'nodes': []\n}\n}", SOURCE ":4: JSON syntax error: ");
	expect_error("{'a': 1,\n'a'\n: 'x}", SOURCE ":3: JSON syntax error: ");
	expect_error("{\n\n 'nodes': [1,]}", SOURCE ":3: JSON syntax error: ");
	/* Strict JSON: single-quoted values, leading zeros and comments are refused. */
	expect_raw_error("{\"name\": 'x'}", SOURCE ":1: JSON syntax error: ");
	expect_raw_error("{\"nodes\": [{\"id\": 007}]}", SOURCE ":1: JSON syntax error: ");
	expect_raw_error("{\"nodes\": [] /* comment */}", SOURCE ":1: JSON syntax error: ");
}

static void test_json_syntax_error_for_nul_byte(void **state)
{
	static const char text[] = "{\"nodes\": \n[\0]}";
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(cm_platform_from_json_string(text, sizeof(text) - 1, SOURCE, &p, &err), -EINVAL);
	assert_null(p);
	assert_string_equal(err.msg, SOURCE ":2: JSON syntax error: NUL byte in the input");
}

static void test_json_syntax_error_for_invalid_utf8(void **state)
{
	(void)state;
	expect_error("{'name': '\xff\xfe', " MINIMAL_NODES "}", SOURCE ":1: JSON syntax error: ");
}

static void test_json_file_that_cannot_be_read(void **state)
{
	char path[512];
	struct cm_platform *p = (struct cm_platform *)&p;
	struct cm_error err = { 0 };

	(void)state;
	snprintf(path, sizeof(path), "%s/json/does-not-exist.json", CONFMEM_TEST_DATA);
	assert_int_equal(cm_platform_from_json_file(path, &p, &err), -ENOENT);
	assert_null(p);
	assert_non_null(strstr(err.msg, "does-not-exist.json: cannot open: "));
	snprintf(path, sizeof(path), "%s/json", CONFMEM_TEST_DATA);
	assert_int_equal(cm_platform_from_json_file(path, &p, &err), -EISDIR);
	assert_null(p);
}

/* A file is read whole, however large (up to CM_JSON_MAX_INPUT). */
static void test_json_file_larger_than_read_buffer(void **state)
{
	char path[] = "/tmp/confmem-json-test-XXXXXX", expect[64];
	const char *doc = "{\"nodes\": [{\"id\": 0, \"memory\": [{\"start\": 0, \"size\": \"1G\"}]}]}";
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };
	int fd = mkstemp(path);
	FILE *file;

	(void)state;
	assert_true(fd >= 0);
	file = fdopen(fd, "w");
	assert_non_null(file);
	fputs(doc, file);
	for (int i = 0; i < 300000; i++)
		fputc(i % 100 ? ' ' : '\n', file);
	fclose(file);
	assert_int_equal(cm_platform_from_json_file(path, &p, &err), 0);
	assert_int_equal(p->nodes[0].memory[0].end, CM_SZ_1G);
	cm_platform_free(p);

	/* The same document followed by 3000 lines and a stray "}". */
	file = fopen(path, "a");
	assert_non_null(file);
	fputc('}', file);
	fclose(file);
	assert_int_equal(cm_platform_from_json_file(path, &p, &err), -EINVAL);
	snprintf(expect, sizeof(expect), ":3001: JSON syntax error: ");
	if (!strstr(err.msg, expect))
		fail_msg("message \"%s\" does not contain \"%s\"", err.msg, expect);
	unlink(path);
}

static void test_json_unknown_field_in_file_names_file(void **state)
{
	char path[512], expect[700];
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };

	(void)state;
	snprintf(path, sizeof(path), "%s/json/unknown_field.json", CONFMEM_TEST_DATA);
	assert_int_equal(cm_platform_from_json_file(path, &p, &err), -EINVAL);
	snprintf(expect, sizeof(expect), "%s: $.nodes[0]: unknown field \"memroy\"", path);
	if (strncmp(err.msg, expect, strlen(expect)))
		fail_msg("message \"%s\" does not start with \"%s\"", err.msg, expect);
}

static void test_json_rejects_long_name(void **state)
{
	(void)state;
	expect_error("{'name': '0123456789012345678901234567890123456789012345678901234567890123', "
		     MINIMAL_NODES "}", "$.name: expected at most 63 bytes, found 64");
}

/* ---- defaults ---- */

static void test_json_optional_keys_take_defaults(void **state)
{
	struct cm_platform *p = load_ok("{'nodes': [{'id': 0, 'memory': [{'start': '0x100000', 'size': '1G'}]}]}");

	(void)state;
	assert_string_equal(p->name, "");
	assert_int_equal(p->memory_block_size, CM_DEFAULT_BLOCK_SIZE);
	assert_int_equal(p->nodes[0].kind, CM_NODE_DRAM);
	assert_false(cm_node_has_cpus(&p->nodes[0]));
	assert_int_equal(p->nodes[0].adistance, -1);
	/* The derived map: reserved below the RAM, then the RAM. */
	assert_int_equal(p->nr_e820, 2);
	assert_int_equal(p->e820[0].type, CM_E820_RESERVED);
	assert_int_equal(p->e820[1].start, 0x100000);
	assert_int_equal(p->e820[1].type, CM_E820_USABLE);
	assert_int_equal(p->sgx.nr_epc, 0);
	assert_int_equal(p->nr_hotplug, 0);
	cm_platform_free(p);
}

static void test_json_tdx_absent_or_disabled_means_no_tdx(void **state)
{
	struct cm_platform *p = load_ok("{" MINIMAL_NODES "}");

	(void)state;
	assert_false(p->tdx.enabled);
	assert_int_equal(p->tdx.nr_cmrs, 0);
	cm_platform_free(p);
	p = load_ok("{" MINIMAL_NODES ", 'tdx': {'enabled': false, 'cmrs': [{'start': 0, 'size': '1G'}]}}");
	assert_false(p->tdx.enabled);
	assert_int_equal(p->tdx.nr_cmrs, 1);
	cm_platform_free(p);
}

static void test_json_tdx_limits_default_to_current_module(void **state)
{
	struct cm_platform *p = load_ok("{" MINIMAL_NODES ", 'tdx': {'cmrs': [{'start': 0, 'size': '1G'}], "
					"'pamt_entry_size': {'2m': 32}}}");

	(void)state;
	assert_true(p->tdx.enabled);
	assert_int_equal(p->tdx.max_tdmrs, CM_TDX_DEFAULT_MAX_TDMRS);
	assert_int_equal(p->tdx.max_reserved_per_tdmr, CM_TDX_DEFAULT_MAX_RESERVED);
	assert_int_equal(p->tdx.pamt_entry_size[CM_PAMT_4K], CM_TDX_DEFAULT_PAMT_ENTRY_SIZE);
	assert_int_equal(p->tdx.pamt_entry_size[CM_PAMT_2M], 32);
	assert_int_equal(p->tdx.pamt_entry_size[CM_PAMT_1G], CM_TDX_DEFAULT_PAMT_ENTRY_SIZE);
	cm_platform_free(p);
}

static void test_json_tdx_limits_checked(void **state)
{
	(void)state;
	expect_error("{" MINIMAL_NODES ", 'tdx': {'max_tdmrs': 0}}", "$.tdx.max_tdmrs: expected 1..");
	expect_error("{" MINIMAL_NODES ", 'tdx': {'pamt_entry_size': {'1g': 0}}}",
		     "$.tdx.pamt_entry_size.1g: expected 1..4096, found 0");
}

/* ---- the rules of SPEC 1, checked by cm_platform_finalize(), named by path ---- */

/*
 * node 0: |-- 0..2G --|
 * node 1:       |-- 1G..3G --|
 * expect: node 1's range overlaps node 0's.
 */
static void test_json_error_names_path_for_overlapping_node_memory(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': 0, 'size': '2G'}]}, "
		     "{'id': 1, 'memory': [{'start': '1G', 'size': '2G'}]}]}",
		     "$.nodes[1].memory[0]: overlaps node 0's memory");
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': 0, 'size': '2G'}]}, "
		     "{'id': 1, 'memory': [{'start': '1G', 'size': '2G'}]}], "
		     "'e820': [{'start': 0, 'end': '4G', 'type': 'usable'}]}",
		     "$.nodes[1].memory[0]: range [0x40000000, 0xc0000000) overlaps node 0's range");
}

/*
 * node 0: [2G..3G) then [0..1G)
 * expect: the second range is below the first.
 */
static void test_json_error_names_path_for_unsorted_node_memory(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': '2G', 'size': '1G'}, {'start': 0, 'size': '1G'}]}]}",
		     "$.nodes[0].memory[1]: range [0x0, 0x40000000) is below or overlaps the previous one");
}

static void test_json_error_names_path_for_unsorted_e820(void **state)
{
	(void)state;
	expect_error("{" MINIMAL_NODES ", 'e820': [{'start': '1G', 'end': '2G', 'type': 'reserved'}, "
		     "{'start': 0, 'end': '1G', 'type': 'usable'}]}",
		     "$.e820[1]: range [0x0, 0x40000000) is below or overlaps the previous entry");
}

static void test_json_error_names_path_for_unsorted_nodes(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 1}, {'id': 0}]}", "$.nodes[1].id: node 0 listed after node 1");
	expect_error("{'nodes': [{'id': 64}]}", "$.nodes[0].id: expected an integer 0..63, found 64");
	expect_error("{" MINIMAL_NODES ", 'hotplug': [{'start': '2G', 'size': '1G', 'node': -1}]}",
		     "$.hotplug[0].node: expected an integer 0..63, found -1");
}

/*
 * e820:   |usable 0..1G| reserved 1G..2G |
 * node 0: |------- 0..2G ---------------|
 * expect: node 0's range is not RAM.
 */
static void test_json_error_names_path_for_node_range_not_ram(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': 0, 'size': '2G'}]}], "
		     "'e820': [{'start': 0, 'end': '1G', 'type': 'usable'}, {'start': '1G', 'end': '2G', "
		     "'type': 'reserved'}]}",
		     "$.nodes[0].memory[0]: range [0x0, 0x80000000) is not RAM");
}

static void test_json_error_names_path_for_usable_ram_outside_nodes(void **state)
{
	(void)state;
	expect_error("{" MINIMAL_NODES ", 'e820': [{'start': 0, 'end': '2G', 'type': 'usable'}]}",
		     "$.e820[0]: usable RAM [0x40000000, 0x80000000) is not in any node's memory");
}

static void test_json_error_names_path_for_unaligned_cmr(void **state)
{
	(void)state;
	expect_error("{" MINIMAL_NODES ", 'tdx': {'cmrs': [{'start': 0, 'size': '1G'}, "
		     "{'start': '0x40000800', 'size': '1M'}]}}",
		     "$.tdx.cmrs[1]: range [0x40000800, 0x40100800) is not 4 KiB aligned");
}

static void test_json_error_names_path_for_unaligned_node_memory(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': '0x800', 'size': '1G'}]}]}",
		     "$.nodes[0].memory[0]: range [0x800, 0x40000800) is not 4 KiB aligned");
}

static void test_json_error_names_path_for_zero_size_range(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': '1G', 'size': 0}]}]}",
		     "$.nodes[0].memory[0]: zero-size or inverted range [0x40000000, 0x40000000)");
	expect_error("{" MINIMAL_NODES ", 'e820': [{'start': 0, 'end': '1G', 'type': 'usable'}, "
		     "{'start': '2G', 'end': '2G', 'type': 'reserved'}]}",
		     "$.e820[1]: zero-size or inverted range");
	expect_error("{" MINIMAL_NODES ", 'e820': [{'start': 0, 'end': '1G', 'type': 'usable'}, "
		     "{'start': '3G', 'end': '2G', 'type': 'reserved'}]}",
		     "$.e820[1]: zero-size or inverted range [0xc0000000, 0x80000000)");
	expect_error("{" MINIMAL_NODES ", 'sgx': {'epc': [{'start': '2G', 'size': 0, 'node': 0}]}}",
		     "$.sgx.epc[0]: zero-size or inverted range");
	expect_error("{" MINIMAL_NODES ", 'hotplug': [{'start': '2G', 'size': 0, 'node': 0}]}",
		     "$.hotplug[0]: zero-size or inverted range");
}

static void test_json_error_names_path_for_address_past_2_52(void **state)
{
	(void)state;
	expect_error("{'nodes': [{'id': 0, 'memory': [{'start': '4P', 'size': '1G'}]}]}",
		     "$.nodes[0].memory[0]: range [0x10000000000000, 0x10000040000000) ends past the 52-bit "
		     "physical address limit");
	expect_error("{" MINIMAL_NODES ", 'tdx': {'cmrs': [{'start': '0xfffffffff000', 'size': '0x10000000000000'}]}}",
		     "$.tdx.cmrs[0]: range [0xfffffffff000, 0x10fffffffff000) ends past the 52-bit");
	expect_error("{" MINIMAL_NODES ", 'hotplug': [{'start': '0xffffffff8000000', 'size': '128M', "
		     "'node': 1}]}", "$.hotplug[0]: range");
}

static void test_json_error_names_path_for_epc_on_usable_ram(void **state)
{
	(void)state;
	expect_error("{" MINIMAL_NODES ", 'sgx': {'epc': [{'start': '512M', 'size': '64M', 'node': 0}]}}",
		     "$.sgx.epc[0]: EPC [0x20000000, 0x24000000) overlaps usable RAM $.e820[");
	expect_error("{" MINIMAL_NODES ", 'sgx': {'epc': [{'start': '2G', 'size': '64M', 'node': 5}]}}",
		     "$.sgx.epc[0].node: node 5 does not exist");
}

static void test_json_error_names_path_for_hotplug_not_whole_blocks(void **state)
{
	(void)state;
	expect_error("{" MINIMAL_NODES ", 'hotplug': [{'start': '2G', 'size': '64M', 'node': 1}]}",
		     "$.hotplug[0]: [0x80000000, 0x84000000) is not whole memory blocks of 0x8000000 bytes");
}

static void test_json_error_names_path_for_bad_block_size(void **state)
{
	(void)state;
	expect_error("{'memory_block_size': '96M', " MINIMAL_NODES "}",
		     "$.memory_block_size: expected a power of two from 0x1000 to 0x8000000000000, found 0x6000000");
	/* The same bound as sysfs and the boot log: no block of half the address space or more. */
	expect_error("{'memory_block_size': '0x10000000000000', " MINIMAL_NODES "}",
		     "$.memory_block_size: expected a power of two from 0x1000 to 0x8000000000000, "
		     "found 0x10000000000000");
}

/* ---- the dump ---- */

static void assert_same_platform(const struct cm_platform *a, const struct cm_platform *b)
{
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->memory_block_size, b->memory_block_size);
	assert_int_equal(a->nr_nodes, b->nr_nodes);
	for (size_t i = 0; i < a->nr_nodes; i++) {
		const struct cm_node *x = &a->nodes[i], *y = &b->nodes[i];

		assert_int_equal(x->id, y->id);
		assert_int_equal(x->kind, y->kind);
		assert_true(cm_bitmap_equal(&x->cpus, &y->cpus));
		assert_int_equal(x->nr_memory, y->nr_memory);
		for (size_t j = 0; j < x->nr_memory; j++) {
			assert_int_equal(x->memory[j].start, y->memory[j].start);
			assert_int_equal(x->memory[j].end, y->memory[j].end);
		}
		assert_int_equal(x->hmat.present, y->hmat.present);
		assert_int_equal(x->hmat.read_latency_ns, y->hmat.read_latency_ns);
		assert_int_equal(x->hmat.write_latency_ns, y->hmat.write_latency_ns);
		assert_int_equal(x->hmat.read_bandwidth_mbps, y->hmat.read_bandwidth_mbps);
		assert_int_equal(x->hmat.write_bandwidth_mbps, y->hmat.write_bandwidth_mbps);
		assert_int_equal(x->adistance, y->adistance);
	}
	assert_memory_equal(a->distance, b->distance, a->nr_nodes * a->nr_nodes * sizeof(*a->distance));
	assert_int_equal(a->nr_e820, b->nr_e820);
	for (size_t i = 0; i < a->nr_e820; i++) {
		assert_int_equal(a->e820[i].start, b->e820[i].start);
		assert_int_equal(a->e820[i].end, b->e820[i].end);
		assert_int_equal(a->e820[i].type, b->e820[i].type);
	}
	assert_int_equal(a->tdx.enabled, b->tdx.enabled);
	assert_int_equal(a->tdx.nr_cmrs, b->tdx.nr_cmrs);
	assert_memory_equal(a->tdx.cmrs, b->tdx.cmrs, a->tdx.nr_cmrs * sizeof(a->tdx.cmrs[0]));
	assert_int_equal(a->tdx.max_tdmrs, b->tdx.max_tdmrs);
	assert_int_equal(a->tdx.max_reserved_per_tdmr, b->tdx.max_reserved_per_tdmr);
	assert_memory_equal(a->tdx.pamt_entry_size, b->tdx.pamt_entry_size, sizeof(a->tdx.pamt_entry_size));
	assert_int_equal(a->sgx.nr_epc, b->sgx.nr_epc);
	for (unsigned int i = 0; i < a->sgx.nr_epc; i++) {
		assert_int_equal(a->sgx.epc[i].start, b->sgx.epc[i].start);
		assert_int_equal(a->sgx.epc[i].size, b->sgx.epc[i].size);
		assert_int_equal(a->sgx.epc[i].node, b->sgx.epc[i].node);
	}
	assert_int_equal(a->nr_hotplug, b->nr_hotplug);
	for (size_t i = 0; i < a->nr_hotplug; i++) {
		assert_int_equal(a->hotplug[i].start, b->hotplug[i].start);
		assert_int_equal(a->hotplug[i].size, b->hotplug[i].size);
		assert_int_equal(a->hotplug[i].node, b->hotplug[i].node);
		assert_int_equal(a->hotplug[i].convertible, b->hotplug[i].convertible);
	}
}

/* dump(p) loads back as p, and dumping that gives the same text. */
static void assert_round_trip(const struct cm_platform *p)
{
	struct cm_platform *again = NULL;
	struct cm_error err = { 0 };
	char *first = cm_platform_to_json_string(p), *second;

	assert_non_null(first);
	if (cm_platform_from_json_string(first, strlen(first), "dump", &again, &err))
		fail_msg("the dump does not load: %s\n%s", err.msg, first);
	assert_same_platform(p, again);
	second = cm_platform_to_json_string(again);
	assert_non_null(second);
	assert_string_equal(first, second);
	free(first);
	free(second);
	cm_platform_free(again);
}

static void test_json_roundtrip_identical(void **state)
{
	struct cm_platform *p = load_file_ok("two_socket.json");

	(void)state;
	assert_round_trip(p);
	cm_platform_free(p);
	p = load_ok("{" MINIMAL_NODES "}");
	assert_round_trip(p);
	cm_platform_free(p);
	p = load_ok("{'name': 'quote\\\" slash/ tab\\t', " MINIMAL_NODES ", 'tdx': {'enabled': false, "
		    "'max_tdmrs': 3, 'pamt_entry_size': {'4k': 8, '2m': 24, '1g': 4096}}}");
	assert_round_trip(p);
	cm_platform_free(p);
}

static void test_json_roundtrip_of_generated_platform(void **state)
{
	struct cm_platform *p = cm_platform_new();
	struct cm_hotplug_window window = { .start = 1ULL << 44, .size = 1ULL << 36, .node = 63, .convertible = true };
	struct cm_error err = { 0 };

	(void)state;
	assert_non_null(p);
	snprintf(p->name, sizeof(p->name), "generated");
	p->memory_block_size = 1ULL << 31;
	for (int id = 0; id < 4; id++) {
		struct cm_node *n = cm_platform_add_node(p, id * 3, id & 1 ? CM_NODE_HBM : CM_NODE_PMEM);

		assert_non_null(n);
		cm_bitmap_set(&n->cpus, (unsigned int)id * 100);
		cm_bitmap_set(&n->cpus, CM_MAX_CPUS - 1 - (unsigned int)id);
		for (uint64_t k = 0; k < 50; k++) {
			uint64_t base = ((uint64_t)id * 50 + k) * 2 * CM_SZ_1G;

			assert_int_equal(cm_node_add_memory(n, base, base + CM_SZ_1G), 0);
		}
		n->adistance = id == 2 ? 0 : -1;
	}
	p->tdx.enabled = true;
	p->tdx.nr_cmrs = CM_MAX_CMRS;
	for (unsigned int i = 0; i < CM_MAX_CMRS; i++) {
		p->tdx.cmrs[i].start = (uint64_t)i * CM_SZ_4G;
		p->tdx.cmrs[i].end = i == 5 ? p->tdx.cmrs[i].start : p->tdx.cmrs[i].start + CM_SZ_1G;
	}
	/* A convertible window lies inside the CMRs. */
	p->tdx.cmrs[CM_MAX_CMRS - 1].start = window.start;
	p->tdx.cmrs[CM_MAX_CMRS - 1].end = window.start + window.size;
	assert_int_equal(cm_platform_add_hotplug(p, &window), 0);
	if (cm_platform_finalize(p, "generated", &err))
		fail_msg("%s", err.msg);
	assert_round_trip(p);
	cm_platform_free(p);
}

static void test_json_roundtrip_of_every_preset(void **state)
{
	(void)state;
	assert_true(cm_preset_count() > 0);
	for (size_t i = 0; i < cm_preset_count(); i++) {
		struct cm_platform *p = NULL;
		struct cm_error err = { 0 };

		if (cm_platform_from_preset(cm_preset_info(i)->name, &p, &err))
			fail_msg("preset %s: %s", cm_preset_info(i)->name, err.msg);
		assert_round_trip(p);
		cm_platform_free(p);
	}
}

static void test_json_dump_writes_hex_and_only_valid_fields(void **state)
{
	struct cm_platform *p = load_file_ok("two_socket.json");
	char *text = cm_platform_to_json_string(p);

	(void)state;
	assert_non_null(text);
	assert_non_null(strstr(text, "\"memory_block_size\": \"0x8000000\""));
	assert_non_null(strstr(text, "{ \"start\": \"0x100000000\", \"size\": \"0x800000000\" }"));
	assert_non_null(strstr(text, "{ \"start\": \"0x0\", \"end\": \"0x9f000\", \"type\": \"usable\" }"));
	assert_non_null(strstr(text, "[ 10, 21, 30 ]"));
	assert_non_null(strstr(text, "\"cpus\": \"0-15,32-47\""));
	assert_non_null(strstr(text, "\"max_reserved_per_tdmr\": 16"));
	assert_non_null(strstr(text, "\"pamt_entry_size\": { \"4k\": 16, \"2m\": 16, \"1g\": 16 }"));
	assert_non_null(strstr(text, "{ \"start\": \"0x80000000\", \"size\": \"0x20000000\", \"node\": 0 }"));
	assert_non_null(strstr(text, "\"convertible\": false"));
	/* hmat and adistance only for the node that has them. */
	assert_non_null(strstr(text, "\"read_latency_ns\": 250"));
	assert_null(strstr(strstr(text, "\"hmat\"") + 1, "\"hmat\""));
	assert_null(strstr(strstr(text, "\"adistance\"") + 1, "\"adistance\""));
	free(text);
	cm_platform_free(p);
}

/* ---- the shared helpers ---- */

static void test_json_util_line_of_offset(void **state)
{
	static const char text[] = "a\nbb\n\nc";

	(void)state;
	assert_int_equal(cm_json_line_of(text, 7, 0), 1);
	assert_int_equal(cm_json_line_of(text, 7, 1), 1);
	assert_int_equal(cm_json_line_of(text, 7, 2), 2);
	assert_int_equal(cm_json_line_of(text, 7, 6), 4);
	assert_int_equal(cm_json_line_of(text, 7, 1000), 4);
}

static void test_json_util_field_readers(void **state)
{
	static const char text[] = "{\"a\": \"64G\", \"b\": -3, \"c\": true}";
	struct json_object *object = NULL;
	struct cm_error err = { 0 };
	uint64_t size = 7;
	int64_t number = 0;
	bool flag = false;

	(void)state;
	assert_int_equal(cm_json_parse(text, strlen(text), "s.json", &object, &err), 0);
	assert_int_equal(cm_json_field_size(object, "a", CM_JSON_REQUIRED, "s.json", "$.x", &size, &err), 1);
	assert_int_equal(size, 64 * CM_SZ_1G);
	assert_int_equal(cm_json_field_size(object, "z", CM_JSON_OPTIONAL, "s.json", "$.x", &size, &err), 0);
	assert_int_equal(size, 64 * CM_SZ_1G);
	assert_int_equal(cm_json_field_size(object, "z", CM_JSON_REQUIRED, "s.json", "$.x", &size, &err), -EINVAL);
	assert_string_equal(err.msg, "s.json: $.x: missing field \"z\"");
	assert_int_equal(cm_json_field_int(object, "b", CM_JSON_REQUIRED, "s.json", "$", -5, 5, &number, &err), 1);
	assert_int_equal(number, -3);
	assert_int_equal(cm_json_field_int(object, "b", CM_JSON_REQUIRED, "s.json", "$", 0, 5, &number, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "s.json: $.b: expected an integer 0..5, found -3");
	assert_int_equal(cm_json_field_bool(object, "c", CM_JSON_REQUIRED, "s.json", "$", &flag, &err), 1);
	assert_true(flag);
	assert_int_equal(cm_json_field_size(object, "c", CM_JSON_REQUIRED, "s.json", "$", &size, &err), -EINVAL);
	assert_string_equal(err.msg, "s.json: $.c: expected a size (number or string like \"0x1000\" or \"64G\"), "
			    "found true");
	json_object_put(object);
}

static void test_json_util_describe_shortens_long_strings(void **state)
{
	struct json_object *value = json_object_new_string("0123456789012345678901234567890123456789ABCDEF\n");
	char buf[128];

	(void)state;
	cm_json_describe(value, buf, sizeof(buf));
	assert_string_equal(buf, "\"0123456789012345678901234567890123456789\"...");
	json_object_put(value);
	value = json_object_new_string("a\"b\\c\n\x01");
	cm_json_describe(value, buf, sizeof(buf));
	assert_string_equal(buf, "\"a\\\"b\\\\c\\n\\u0001\"");
	cm_json_describe(value, buf, 4);
	assert_string_equal(buf, "\"a\\");
	json_object_put(value);
	/* A cut never splits a UTF-8 sequence: the cut at byte 40 falls inside the "é". */
	value = json_object_new_string("012345678901234567890123456789012345678\xc3\xa9z");
	cm_json_describe(value, buf, sizeof(buf));
	assert_string_equal(buf, "\"012345678901234567890123456789012345678\"...");
	json_object_put(value);
	value = json_object_new_string("tab\there");
	cm_json_describe(value, buf, sizeof(buf));
	assert_string_equal(buf, "\"tab\\there\"");
	json_object_put(value);
	assert_int_equal(cm_json_parse("[1.000000000000000000000000000000000000000000000000001]", 55, "d", &value,
				       NULL), 0);
	cm_json_describe(json_object_array_get_idx(value, 0), buf, sizeof(buf));
	assert_string_equal(buf, "1.00000000000000000000000000000000000000...");
	json_object_put(value);
}

static void test_json_from_object_prefixes_root_path(void **state)
{
	struct json_object *root = NULL, *platform;
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };
	char *text = json_text("{'platform': {'nodes': [{'id': 0, 'memory': [{'start': '2G', 'size': '1G'}, "
			       "{'start': 0, 'size': '1G'}]}]}, 'other': {'nodes': [{'id': 0, 'kind': 'x'}]}}");

	(void)state;
	assert_int_equal(cm_json_parse(text, strlen(text), "scenario.json", &root, &err), 0);
	assert_true(json_object_object_get_ex(root, "platform", &platform));
	assert_int_equal(cm_platform_from_json_object(platform, "scenario.json", "$.platform", &p, &err), -EINVAL);
	assert_null(p);
	assert_non_null(strstr(err.msg, "scenario.json: $.platform.nodes[0].memory[1]: range [0x0"));
	assert_true(json_object_object_get_ex(root, "other", &platform));
	assert_int_equal(cm_platform_from_json_object(platform, "scenario.json", "$.other", &p, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "scenario.json: $.other.nodes[0].kind: expected one of"));
	json_object_put(root);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_loads_every_field),
		cmocka_unit_test(test_json_size_strings_and_numbers),
		cmocka_unit_test(test_json_size_of_wrong_type_names_path),
		cmocka_unit_test(test_json_rejects_negative_size),
		cmocka_unit_test(test_json_rejects_size_that_does_not_fit_64_bits),
		cmocka_unit_test(test_json_rejects_fractional_number),
		cmocka_unit_test(test_json_rejects_bad_size_string),
		cmocka_unit_test(test_json_rejects_unknown_field),
		cmocka_unit_test(test_json_unknown_field_name_is_escaped),
		cmocka_unit_test(test_json_rejects_missing_required_field),
		cmocka_unit_test(test_json_rejects_wrong_types),
		cmocka_unit_test(test_json_hmat_needs_all_four_fields),
		cmocka_unit_test(test_json_rejects_bad_cpu_list),
		cmocka_unit_test(test_json_rejects_unknown_kind_and_e820_type),
		cmocka_unit_test(test_json_e820_accepts_end_or_size_not_both),
		cmocka_unit_test(test_json_rejects_start_plus_size_past_2_64),
		cmocka_unit_test(test_json_distance_matrix_one_row_per_node),
		cmocka_unit_test(test_json_distance_row_one_entry_per_node),
		cmocka_unit_test(test_json_distance_values_checked),
		cmocka_unit_test(test_json_distances_absent_take_defaults),
		cmocka_unit_test(test_json_rejects_more_than_32_cmrs),
		cmocka_unit_test(test_json_accepts_32_cmrs),
		cmocka_unit_test(test_json_rejects_more_than_8_epc_sections),
		cmocka_unit_test(test_json_rejects_more_than_64_nodes),
		cmocka_unit_test(test_json_rejects_non_object_top_level),
		cmocka_unit_test(test_json_rejects_empty_file),
		cmocka_unit_test(test_json_rejects_missing_nodes),
		cmocka_unit_test(test_json_syntax_error_has_line),
		cmocka_unit_test(test_json_syntax_error_for_nul_byte),
		cmocka_unit_test(test_json_syntax_error_for_invalid_utf8),
		cmocka_unit_test(test_json_file_that_cannot_be_read),
		cmocka_unit_test(test_json_file_larger_than_read_buffer),
		cmocka_unit_test(test_json_unknown_field_in_file_names_file),
		cmocka_unit_test(test_json_rejects_long_name),
		cmocka_unit_test(test_json_optional_keys_take_defaults),
		cmocka_unit_test(test_json_tdx_absent_or_disabled_means_no_tdx),
		cmocka_unit_test(test_json_tdx_limits_default_to_current_module),
		cmocka_unit_test(test_json_tdx_limits_checked),
		cmocka_unit_test(test_json_error_names_path_for_overlapping_node_memory),
		cmocka_unit_test(test_json_error_names_path_for_unsorted_node_memory),
		cmocka_unit_test(test_json_error_names_path_for_unsorted_e820),
		cmocka_unit_test(test_json_error_names_path_for_unsorted_nodes),
		cmocka_unit_test(test_json_error_names_path_for_node_range_not_ram),
		cmocka_unit_test(test_json_error_names_path_for_usable_ram_outside_nodes),
		cmocka_unit_test(test_json_error_names_path_for_unaligned_cmr),
		cmocka_unit_test(test_json_error_names_path_for_unaligned_node_memory),
		cmocka_unit_test(test_json_error_names_path_for_zero_size_range),
		cmocka_unit_test(test_json_error_names_path_for_address_past_2_52),
		cmocka_unit_test(test_json_error_names_path_for_epc_on_usable_ram),
		cmocka_unit_test(test_json_error_names_path_for_hotplug_not_whole_blocks),
		cmocka_unit_test(test_json_error_names_path_for_bad_block_size),
		cmocka_unit_test(test_json_roundtrip_identical),
		cmocka_unit_test(test_json_roundtrip_of_generated_platform),
		cmocka_unit_test(test_json_roundtrip_of_every_preset),
		cmocka_unit_test(test_json_dump_writes_hex_and_only_valid_fields),
		cmocka_unit_test(test_json_util_line_of_offset),
		cmocka_unit_test(test_json_util_field_readers),
		cmocka_unit_test(test_json_util_describe_shortens_long_strings),
		cmocka_unit_test(test_json_from_object_prefixes_root_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
