// SPDX-License-Identifier: MIT
/*
 * The boot log platform source (SPEC 1, "Platform sources" item 3): one
 * test per rule of lib/platform/dmesg.c, on small inline logs and on the
 * reconstructed captures in tests/data/dmesg/.
 */
#include "helpers.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confmem/names.h"
#include "confmem/platform.h"

#define DMESG_DATA CONFMEM_TEST_DATA "/dmesg/"

/* A log every inline test can extend: one node's worth of e820 map. */
#define SMALL_E820 \
	"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] usable\n" \
	"[    0.000000] BIOS-e820: [mem 0x000000000009f000-0x00000000000fffff] reserved\n" \
	"[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n" \
	"[    0.000000] BIOS-e820: [mem 0x0000000080000000-0x00000000ffffffff] reserved\n"

static struct cm_platform *load_string(const char *text, struct cm_error *err)
{
	struct cm_platform *p = NULL;
	int ret;

	cm_error_clear(err);
	ret = cm_platform_from_dmesg_string(text, strlen(text), "test.log", &p, err);
	if (ret) {
		print_error("unexpected error: %s\n", err->msg);
		fail();
	}
	return p;
}

static struct cm_platform *load_file(const char *name)
{
	struct cm_platform *p = NULL;
	struct cm_error err;
	char path[512];

	snprintf(path, sizeof(path), "%s%s", DMESG_DATA, name);
	cm_error_clear(&err);
	if (cm_platform_from_dmesg_file(path, &p, &err)) {
		print_error("%s: unexpected error: %s\n", name, err.msg);
		fail();
	}
	return p;
}

/* Load @text expecting failure; returns the message. */
static const char *load_error(const char *text, size_t len, struct cm_error *err)
{
	struct cm_platform *p = (struct cm_platform *)1;

	cm_error_clear(err);
	assert_int_equal(cm_platform_from_dmesg_string(text, len, "test.log", &p, err), -22);
	assert_null(p);
	return err->msg;
}

static bool has_assumed(const struct cm_platform *p, const char *text)
{
	for (size_t i = 0; i < p->assumed.nr_lines; i++)
		if (strstr(p->assumed.lines[i].text, text))
			return true;
	return false;
}

static void assert_range(const struct cm_range *r, uint64_t start, uint64_t end)
{
	assert_int_equal(r->start, start);
	assert_int_equal(r->end, end);
}

static void assert_e820(const struct cm_e820_entry *e, uint64_t start, uint64_t end,
			enum cm_e820_type type)
{
	assert_int_equal(e->start, start);
	assert_int_equal(e->end, end);
	assert_int_equal(e->type, type);
}

/*
 * BIOS-e820: [mem 0x0-0x9efff] usable
 *   |0 ............ 0x9efff]        printed inclusive
 *   [0 ............ 0x9f000)        expect: half-open
 */
static void test_dmesg_e820_inclusive_end(void **state)
{
	struct cm_error err;
	struct cm_platform *p = load_string(SMALL_E820, &err);

	(void)state;
	assert_int_equal(p->nr_e820, 4);
	assert_e820(&p->e820[0], 0x0, 0x9f000, CM_E820_USABLE);
	assert_e820(&p->e820[1], 0x9f000, 0x100000, CM_E820_RESERVED);
	assert_e820(&p->e820[2], 0x100000, 0x80000000, CM_E820_USABLE);
	assert_e820(&p->e820[3], 0x80000000, 0x100000000, CM_E820_RESERVED);
	cm_platform_free(p);
}

/* Every spelling the kernel has used maps to the model's type. */
static void test_dmesg_e820_type_names(void **state)
{
	static const char log[] =
		"BIOS-e820: [mem 0x0000000000000000-0x0000000000000fff] usable\n"
		"BIOS-e820: [mem 0x0000000000001000-0x0000000000001fff] System RAM\n"
		"BIOS-e820: [mem 0x0000000000002000-0x0000000000002fff] kernel usable RAM\n"
		"BIOS-e820: [mem 0x0000000000003000-0x0000000000003fff] reserved\n"
		"BIOS-e820: [mem 0x0000000000004000-0x0000000000004fff] device reserved\n"
		"BIOS-e820: [mem 0x0000000000005000-0x0000000000005fff] ACPI data\n"
		"BIOS-e820: [mem 0x0000000000006000-0x0000000000006fff] ACPI NVS\n"
		"BIOS-e820: [mem 0x0000000000007000-0x0000000000007fff] unusable\n"
		"BIOS-e820: [mem 0x0000000000008000-0x0000000000008fff] persistent (type 7)\n"
		"BIOS-e820: [mem 0x0000000000009000-0x0000000000009fff] persistent (type 12)\n"
		"BIOS-e820: [mem 0x000000000000a000-0x000000000000afff] persistent RAM (type 7)\n"
		"BIOS-e820: [mem 0x000000000000b000-0x000000000000bfff] soft reserved\n"
		"BIOS-e820: [mem 0x000000000000c000-0x000000000000cfff] ACPI tables\n"
		"BIOS-e820: [mem 0x000000000000d000-0x000000000000dfff] ACPI non-volatile storage\n"
		"BIOS-e820: [mem 0x000000000000e000-0x000000000000efff] Unusable memory\n";
	static const enum cm_e820_type expect[] = {
		CM_E820_USABLE, CM_E820_USABLE, CM_E820_USABLE, CM_E820_RESERVED, CM_E820_RESERVED,
		CM_E820_ACPI, CM_E820_NVS, CM_E820_UNUSABLE, CM_E820_PMEM, CM_E820_PMEM,
		CM_E820_PMEM, CM_E820_SOFT_RESERVED, CM_E820_ACPI, CM_E820_NVS, CM_E820_UNUSABLE,
	};
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_int_equal(p->nr_e820, sizeof(expect) / sizeof(expect[0]));
	for (size_t i = 0; i < p->nr_e820; i++)
		assert_int_equal(p->e820[i].type, expect[i]);
	assert_false(has_assumed(p, "treated as reserved"));
	cm_platform_free(p);
}

/* BIOS-e820: [...] type 13 -> reserved, and p->assumed says so. */
static void test_dmesg_unknown_e820_type_is_reserved_and_assumed(void **state)
{
	static const char log[] =
		SMALL_E820
		"[    0.000000] BIOS-e820: [mem 0x0000000100000000-0x00000001ffffffff] type 13\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_int_equal(p->nr_e820, 5);
	assert_e820(&p->e820[4], 0x100000000, 0x200000000, CM_E820_RESERVED);
	assert_true(has_assumed(p, "assumed: e820 type 'type 13' (line 5) treated as reserved"));
	cm_platform_free(p);
}

/*
 * [0x100000 usable 0x40000000)[0x40000000 usable 0x80000000)
 * expect: two entries, as printed (node RAM merges them, the map does not)
 */
static void test_dmesg_adjacent_e820_entries_stay_separate(void **state)
{
	static const char log[] =
		"BIOS-e820: [mem 0x0000000000100000-0x000000003fffffff] usable\n"
		"BIOS-e820: [mem 0x0000000040000000-0x000000007fffffff] usable\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_int_equal(p->nr_e820, 2);
	assert_e820(&p->e820[0], 0x100000, 0x40000000, CM_E820_USABLE);
	assert_e820(&p->e820[1], 0x40000000, 0x80000000, CM_E820_USABLE);
	assert_int_equal(p->nodes[0].nr_memory, 1);
	assert_range(&p->nodes[0].memory[0], 0x100000, 0x80000000);
	cm_platform_free(p);
}

/* "e820: update", "modified:" and "reserve setup_data:" lines change nothing. */
static void test_dmesg_only_bios_e820_map_read(void **state)
{
	static const char log[] =
		SMALL_E820
		"[    0.000000] e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n"
		"[    0.000000] e820: remove [mem 0x000a0000-0x000fffff] usable\n"
		"[    0.000000] modified: [mem 0x0000000000000000-0x0000000000000fff] reserved\n"
		"[    0.000000] reserve setup_data: [mem 0x0000000000000000-0x000000000009efff] usable\n"
		"[    0.000000] user: [mem 0x0000000000000000-0x000000000009efff] usable\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_int_equal(p->nr_e820, 4);
	assert_e820(&p->e820[0], 0x0, 0x9f000, CM_E820_USABLE);
	cm_platform_free(p);
}

/* Plain, dmesg, dmesg with caller ids, raw levels, dmesg -x and journalctl lines. */
static void test_dmesg_timestamps_and_journal_prefixes(void **state)
{
	static const char log[] =
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] usable\n"
		"[    0.000000] BIOS-e820: [mem 0x000000000009f000-0x00000000000fffff] reserved\n"
		"[    0.000000][    T0] BIOS-e820: [mem 0x0000000000100000-0x000000003fffffff] usable\n"
		"<6>[    0.000000] BIOS-e820: [mem 0x0000000040000000-0x000000004fffffff] reserved\n"
		"kern  :info  : [    0.000000] BIOS-e820: [mem 0x0000000050000000-0x000000005fffffff] usable\n"
		"Mar 14 08:02:11 host kernel: BIOS-e820: [mem 0x0000000060000000-0x000000006fffffff] ACPI data\n"
		"2025-03-14T08:02:11.123456+00:00 host kernel: BIOS-e820: [mem 0x0000000070000000-0x000000007fffffff] usable\n"
		"[Fri Mar 14 08:02:11 2025] BIOS-e820: [mem 0x0000000080000000-0x000000008fffffff] reserved\n"
		"Mar 14 08:02:11 host kernel:   node   0: [mem 0x0000000000001000-0x000000000009efff]\n"
		"Mar 14 08:02:11 host kernel:   node   0: [mem 0x0000000000100000-0x000000003fffffff]\n"
		"[    0.000000]   node   0: [mem 0x0000000050000000-0x000000005fffffff]\n"
		"[    0.000000]   node   0: [mem 0x0000000070000000-0x000000007fffffff]\r\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_int_equal(p->nr_e820, 8 + 1);	/* + the first page, reserved */
	assert_e820(&p->e820[0], 0x0, 0x1000, CM_E820_RESERVED);
	assert_e820(&p->e820[5], 0x50000000, 0x60000000, CM_E820_USABLE);
	assert_e820(&p->e820[6], 0x60000000, 0x70000000, CM_E820_ACPI);
	assert_e820(&p->e820[8], 0x80000000, 0x90000000, CM_E820_RESERVED);
	assert_int_equal(p->nodes[0].nr_memory, 4);
	assert_range(&p->nodes[0].memory[3], 0x70000000, 0x80000000);
	cm_platform_free(p);
}

/*
 * tdx135: memblock lines are the node RAM.
 *   node 0: [0x1000 .. 0x9efff] [0x100000 .. ] ... [0x1080000000 .. 0x207bffffff]
 *   node 1: [0x2080000000 .. 0x307bffffff] [0x3080000000 .. 0x407bffffff]
 * expect: node 0 from 0x100000 up = the usable e820 entries there
 */
static void test_dmesg_memblock_lines_define_node_memory(void **state)
{
	struct cm_platform *p = load_file("tdx135.log");
	const struct cm_node *n0 = cm_platform_node(p, 0), *n1 = cm_platform_node(p, 1);
	size_t k = 0;

	(void)state;
	assert_non_null(n0);
	assert_non_null(n1);
	assert_int_equal(n0->nr_memory, 19);
	assert_range(&n0->memory[k++], 0x1000, 0x9f000);
	for (size_t i = 0; i < p->nr_e820; i++) {
		const struct cm_e820_entry *e = &p->e820[i];

		if (e->type != CM_E820_USABLE || e->start < 0x100000 || e->start >= 0x2080000000ULL)
			continue;
		assert_true(k < n0->nr_memory);
		assert_range(&n0->memory[k++], e->start, e->end);
	}
	assert_int_equal(k, n0->nr_memory);
	assert_range(&n0->memory[1], 0x100000, 0x5d169000);
	assert_range(&n0->memory[16], 0x6f7ff000, 0x6f800000);
	assert_int_equal(n1->nr_memory, 2);
	assert_range(&n1->memory[0], 0x2080000000ULL, 0x307c000000ULL);
	assert_range(&n1->memory[1], 0x3080000000ULL, 0x407c000000ULL);
	cm_platform_free(p);
}

/*
 * node 0: [0x100000 .. 0x3fffffff] [0x40000000 .. 0x7fffffff]   touching
 * expect: one range [0x100000, 0x80000000), as memblock merges them
 */
static void test_dmesg_memblock_touching_ranges_merged(void **state)
{
	static const char log[] =
		SMALL_E820
		"[    0.000000] Early memory node ranges\n"
		"[    0.000000]   node   0: [mem 0x0000000000001000-0x000000000009efff]\n"
		"[    0.000000]   node   0: [mem 0x0000000000100000-0x000000003fffffff]\n"
		"[    0.000000]   node   0: [mem 0x0000000040000000-0x000000007fffffff]\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_int_equal(p->nr_nodes, 1);
	assert_int_equal(p->nodes[0].nr_memory, 2);
	assert_range(&p->nodes[0].memory[0], 0x1000, 0x9f000);
	assert_range(&p->nodes[0].memory[1], 0x100000, 0x80000000);
	cm_platform_free(p);
}

/* A memblock range the BIOS-e820 map does not call usable names its line. */
static void test_dmesg_memblock_outside_usable_is_error(void **state)
{
	static const char log[] =
		SMALL_E820
		"[    0.000000]   node   0: [mem 0x0000000000100000-0x000000007fffffff]\n"
		"[    0.000000]   node   0: [mem 0x0000000080000000-0x00000000bfffffff]\n";
	struct cm_error err;
	const char *msg = load_error(log, strlen(log), &err);

	(void)state;
	assert_non_null(strstr(msg, "test.log:6: memblock line: node 0 memory [0x80000000, 0xc0000000)"
				    " is not usable RAM"));
}

/*
 * tdx385 has no memblock lines: node RAM = usable e820 (whole pages) cut
 * at the SRAT node ranges.
 *   SRAT node 0: [0 .. 0x7fffffff] [0x100000000 .. 0x1007fffffff]
 *   SRAT node 1: [0x10080000000 .. 0x2007fffffff]
 */
static void test_dmesg_node_ram_from_e820_and_srat(void **state)
{
	struct cm_platform *p = load_file("tdx385.log");
	const struct cm_node *n0 = cm_platform_node(p, 0), *n1 = cm_platform_node(p, 1);

	(void)state;
	assert_int_equal(p->nr_nodes, 2);
	assert_int_equal(n0->nr_memory, 3);
	assert_range(&n0->memory[0], 0x0, 0x9f000);
	assert_range(&n0->memory[1], 0x100000, 0x77800000);
	assert_range(&n0->memory[2], 0x100000000ULL, 0x1003e000000ULL);
	assert_int_equal(n1->nr_memory, 1);
	assert_range(&n1->memory[0], 0x10080000000ULL, 0x20040000000ULL);
	assert_int_equal(p->nr_e820, 8);
	assert_int_equal(p->tdx.nr_cmrs, 3);
	assert_true(p->tdx.enabled);
	assert_range(&p->tdx.cmrs[2], 0x10080000000ULL, 0x20040000000ULL);
	assert_int_equal(p->memory_block_size, 2048ULL << 20);
	cm_platform_free(p);
}

/* usable [0x1000, 0x1800) + [0x1800, 0x3000): partial pages are trimmed. */
static void test_dmesg_node_ram_is_whole_pages(void **state)
{
	static const char log[] =
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
		"BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"
		"BIOS-e820: [mem 0x0000000000100000-0x000000007ffdbfff] usable\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_int_equal(p->nodes[0].nr_memory, 2);
	assert_range(&p->nodes[0].memory[0], 0x0, 0x9f000);
	assert_range(&p->nodes[0].memory[1], 0x100000, 0x7ffdc000);
	cm_platform_free(p);
}

/* No SRAT, NUMA, Initmem or memblock lines: one node 0 with all RAM. */
static void test_dmesg_no_numa_information_one_node(void **state)
{
	struct cm_error err;
	struct cm_platform *p = load_string(SMALL_E820, &err);

	(void)state;
	assert_int_equal(p->nr_nodes, 1);
	assert_int_equal(p->nodes[0].id, 0);
	assert_int_equal(p->nodes[0].nr_memory, 2);
	assert_true(has_assumed(p, "assumed: no NUMA information, one node 0"));
	assert_false(p->tdx.enabled);
	cm_platform_free(p);
}

/* laptop.log: "No NUMA configuration found", no memblock, no TDX. */
static void test_dmesg_laptop_single_node(void **state)
{
	struct cm_platform *p = load_file("laptop.log");
	const struct cm_node *n0 = &p->nodes[0];

	(void)state;
	assert_int_equal(p->nr_nodes, 1);
	assert_int_equal(p->nr_e820, 16);
	assert_int_equal(n0->nr_memory, 5);
	assert_range(&n0->memory[0], 0x0, 0x9f000);
	assert_range(&n0->memory[4], 0x100000000ULL, 0x46f800000ULL);
	assert_true(has_assumed(p, "assumed: no NUMA information"));
	assert_false(p->tdx.enabled);
	assert_int_equal(p->tdx.nr_cmrs, 0);
	assert_int_equal(p->sgx.nr_epc, 0);
	assert_int_equal(p->nr_hotplug, 0);
	cm_platform_free(p);
}

/*
 * e820 usable [0x0 .. 0x9efff], memblock node 0 starts at 0x1000
 *   [0x0, 0x1000)  in no node  -> reserved entry, said in p->assumed
 */
static void test_dmesg_usable_without_node_becomes_reserved(void **state)
{
	struct cm_platform *p = load_file("tdx135.log");

	(void)state;
	assert_e820(&p->e820[0], 0x0, 0x1000, CM_E820_RESERVED);
	assert_e820(&p->e820[1], 0x1000, 0x9f000, CM_E820_USABLE);
	assert_e820(&p->e820[2], 0x9f000, 0x100000, CM_E820_RESERVED);
	assert_true(has_assumed(p, "assumed: usable [0x0, 0x1000) not in memblock, treated as reserved"));
	cm_platform_free(p);
}

/*
 * Only SRAT node 0 covers [0, 0x40000000); usable [0x40000000, 0x80000000)
 * lies in no node -> reserved.
 */
static void test_dmesg_usable_outside_srat_becomes_reserved(void **state)
{
	static const char log[] =
		SMALL_E820
		"ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x3fffffff]\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_int_equal(p->nodes[0].nr_memory, 2);
	assert_range(&p->nodes[0].memory[1], 0x100000, 0x40000000);
	assert_int_equal(p->nr_e820, 5);
	assert_e820(&p->e820[2], 0x100000, 0x40000000, CM_E820_USABLE);
	assert_e820(&p->e820[3], 0x40000000, 0x80000000, CM_E820_RESERVED);
	assert_true(has_assumed(p, "assumed: usable [0x40000000, 0x80000000) not in any node's "
				   "range, treated as reserved"));
	cm_platform_free(p);
}

/*
 * journal.log: SRAT node 2 [0x1080000000 .. 0x187fffffff] hotplug, no boot RAM
 * expect: window [0x1080000000, +32 GiB) on node 2, not convertible; node 2
 * exists with no memory and no CPUs.
 */
static void test_dmesg_srat_hotplug_beyond_boot_ram_is_window(void **state)
{
	struct cm_platform *p = load_file("journal.log");
	const struct cm_node *n2 = cm_platform_node(p, 2);

	(void)state;
	assert_int_equal(p->nr_hotplug, 1);
	assert_int_equal(p->hotplug[0].start, 0x1080000000ULL);
	assert_int_equal(p->hotplug[0].size, 32ULL << 30);
	assert_int_equal(p->hotplug[0].node, 2);
	assert_false(p->hotplug[0].convertible);
	assert_non_null(n2);
	assert_int_equal(n2->nr_memory, 0);
	assert_false(cm_node_has_cpus(n2));
	cm_platform_free(p);
}

/*
 * SRAT node 0 [0x100000000 .. 0x2ffffffff] hotplug, boot RAM ends 0x180000000
 * expect: window from the boot RAM's end rounded up to a block, to the span end.
 */
static void test_dmesg_srat_hotplug_window_rounded_to_blocks(void **state)
{
	static const char log[] =
		SMALL_E820
		"BIOS-e820: [mem 0x0000000100000000-0x000000017fffefff] usable\n"
		"ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x7fffffff]\n"
		"ACPI: SRAT: Node 0 PXM 0 [mem 0x100000000-0x2fbffffff] hotplug\n"
		"ACPI: SRAT: Node 0 PXM 0 [mem 0x300000000-0x307ffffff] hotplug\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_int_equal(p->memory_block_size, 128ULL << 20);
	assert_int_equal(p->nr_hotplug, 2);
	assert_int_equal(p->hotplug[0].start, 0x180000000ULL);
	assert_int_equal(p->hotplug[0].start + p->hotplug[0].size, 0x2f8000000ULL);
	assert_int_equal(p->hotplug[1].start, 0x300000000ULL);
	assert_int_equal(p->hotplug[1].size, 0x8000000ULL);
	assert_int_equal(p->nodes[0].nr_memory, 3);
	cm_platform_free(p);
}

/* tdx135: five "virt/tdx: CMR: [...)" lines -> TDX enabled with those CMRs. */
static void test_dmesg_cmr_lines_enable_tdx(void **state)
{
	struct cm_platform *p = load_file("tdx135.log");

	(void)state;
	assert_true(p->tdx.enabled);
	assert_int_equal(p->tdx.nr_cmrs, 5);
	assert_range(&p->tdx.cmrs[0], 0x100000, 0x6f800000);
	assert_range(&p->tdx.cmrs[1], 0x100000000ULL, 0x107a000000ULL);
	assert_range(&p->tdx.cmrs[2], 0x1080000000ULL, 0x207c000000ULL);
	assert_range(&p->tdx.cmrs[3], 0x2080000000ULL, 0x307c000000ULL);
	assert_range(&p->tdx.cmrs[4], 0x3080000000ULL, 0x407c000000ULL);
	cm_platform_free(p);
}

/* "virt/tdx: CMR[1]: [0x..., 0x...)", the format of later kernels. */
static void test_dmesg_cmr_index_format(void **state)
{
	struct cm_platform *p = load_file("journal.log");

	(void)state;
	assert_true(p->tdx.enabled);
	assert_int_equal(p->tdx.nr_cmrs, 2);
	assert_range(&p->tdx.cmrs[0], 0x100000, 0x70000000);
	assert_range(&p->tdx.cmrs[1], 0x100000000ULL, 0x1070000000ULL);
	cm_platform_free(p);
}

/*
 * A mainline kernel prints no CMR: a KeyID or init line shows TDX enabled,
 * so the boot RAM at or above 1 MiB is taken as convertible, and said so.
 */
static void test_dmesg_tdx_without_cmrs_assumes_ram(void **state)
{
	static const char log[] =
		SMALL_E820
		"[    6.030000] virt/tdx: BIOS enabled: private KeyID range [32, 64)\n"
		"[   28.510000] virt/tdx: module initialized\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_true(p->tdx.enabled);
	assert_true(p->tdx.cmrs_assumed);
	assert_int_equal(p->tdx.nr_cmrs, 1);
	assert_range(&p->tdx.cmrs[0], 0x100000, 0x80000000);
	assert_true(has_assumed(p, "assumed: CMRs not in log (this kernel does not print them); the boot RAM at "
			       "or above 1 MiB is taken as convertible (1 CMRs); give the real ones with --cmrs or "
			       "tdx.cmrs in a platform file"));
	assert_int_equal(p->tdx.kernel, CM_KERNEL_MAINLINE_6_8);
	assert_string_equal(p->tdx.kernel_evidence, "line 5: virt/tdx: BIOS enabled: private KeyID range [32, 64)");
	cm_platform_free(p);
}

/* More RAM ranges than the module has CMRs: the narrowest gaps are bridged, the list fits. */
static void test_dmesg_assumed_cmrs_fit_the_module(void **state)
{
	char log[8192];
	size_t used = 0;
	uint64_t start = 0x100000000ULL;
	struct cm_error err;
	struct cm_platform *p;

	(void)state;
	used += (size_t)snprintf(log + used, sizeof(log) - used, "%s", SMALL_E820);
	for (int i = 0; i < 40; i++) {
		uint64_t end = start + 0x8000000;	/* 128 MiB of RAM, then a gap */
		uint64_t gap = i < 8 ? 0x1000 : 0x8000000;

		used += (size_t)snprintf(log + used, sizeof(log) - used,
					 "BIOS-e820: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] usable\n", start, end - 1);
		start = end + gap;
	}
	snprintf(log + used, sizeof(log) - used, "virt/tdx: module initialized\n");
	p = load_string(log, &err);
	assert_non_null(p);
	assert_int_equal(p->tdx.nr_cmrs, CM_MAX_CMRS);
	assert_range(&p->tdx.cmrs[0], 0x100000, 0x80000000);
	/* The eight 4 KiB gaps and one more (the first of the equal ones) are bridged. */
	assert_range(&p->tdx.cmrs[1], 0x100000000ULL, 0x100000000ULL + 9 * 0x8000000 + 8 * 0x1000 + 0x8000000 + 0x8000000);
	cm_platform_free(p);
}

/* TDX shown enabled, no CMR line, and no RAM at or above 1 MiB: nothing to assume, TDX stays off. */
static void test_dmesg_tdx_active_without_ram_above_1m(void **state)
{
	static const char log[] =
		"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] usable\n"
		"[    6.030000] virt/tdx: module initialized\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_non_null(p);
	assert_false(p->tdx.enabled);
	assert_int_equal(p->tdx.nr_cmrs, 0);
	assert_true(has_assumed(p, "assumed: TDX not enabled (the log shows it enabled but has no CMR line and no "
			       "boot RAM at or above 1 MiB to take as convertible); give CMRs with --cmrs"));
	cm_platform_free(p);
}

/* A virt/tdx line that does not show TDX enabled: TDX left off, and the fix is named. */
static void test_dmesg_tdx_not_enabled(void **state)
{
	static const char log[] =
		SMALL_E820
		"[    6.030000] virt/tdx: module not loaded\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_false(p->tdx.enabled);
	assert_int_equal(p->tdx.nr_cmrs, 0);
	assert_true(has_assumed(p, "assumed: TDX not enabled (no CMR, KeyID, module, PAMT or init line in log); "
			       "give CMRs with --cmrs or in a platform file (tdx.cmrs)"));
	cm_platform_free(p);
}

/* Each profile's own line decides it; a stronger line outranks a weaker one. */
static void test_dmesg_kernel_profiles(void **state)
{
	static const struct {
		const char *lines;
		enum cm_tdx_kernel kernel;
		const char *evidence;
	} cases[] = {
		{ "[ 1.0] virt/tdx: CMR: [0x100000, 0x80000000)\n"
		  "[ 2.0] virt/tdx: 2101260 KB allocated for PAMT\n", CM_KERNEL_CMR_SERIES,
		  "line 5: virt/tdx: CMR: [0x100000, 0x80000000)" },
		{ "[ 1.0] virt/tdx: CMR: [0x100000, 0x80000000)\n"
		  "[ 2.0] virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.\n",
		  CM_KERNEL_CMR_PRINT,
		  "line 6: virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted." },
		{ "[ 1.0] virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.\n",
		  CM_KERNEL_MAINLINE_6_8,
		  "line 5: virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted." },
		{ "[ 1.0] virt/tdx: Module version: 1.5.06\n"
		  "[ 2.0] virt/tdx: TDX-Module initialized\n", CM_KERNEL_MAINLINE_7_1,
		  "line 5: virt/tdx: Module version: 1.5.06" },
		{ "[ 1.0] virt/tdx: Module version: 2.0.02\n"
		  "[ 2.0] virt/tdx: Enable Dynamic PAMT\n", CM_KERNEL_DPAMT,
		  "line 6: virt/tdx: Enable Dynamic PAMT" },
	};

	(void)state;
	for (size_t i = 0; i < CM_ARRAY_SIZE(cases); i++) {
		char log[1024];
		struct cm_error err;
		struct cm_platform *p;

		snprintf(log, sizeof(log), "%s%s", SMALL_E820, cases[i].lines);
		p = load_string(log, &err);
		assert_non_null(p);
		assert_int_equal(p->tdx.kernel, cases[i].kernel);
		assert_string_equal(p->tdx.kernel_evidence, cases[i].evidence);
		cm_platform_free(p);
	}
}

/* No virt/tdx line at all: no TDX, and nothing assumed about it. */
static void test_dmesg_no_tdx_lines_no_tdx(void **state)
{
	struct cm_error err;
	struct cm_platform *p = load_string(SMALL_E820, &err);

	(void)state;
	assert_false(p->tdx.enabled);
	assert_false(has_assumed(p, "CMRs"));
	assert_false(has_assumed(p, "TDX module limits"));
	cm_platform_free(p);
}

/* Module limits, where a virt/tdx line prints them, in any of a few spellings. */
static void test_dmesg_tdx_module_limits_read(void **state)
{
	static const char log[] =
		SMALL_E820
		"virt/tdx: CMR: [0x100000, 0x80000000)\n"
		"virt/tdx: TDMR info: max_tdmrs 32, max_reserved_per_tdmr: 64\n"
		"virt/tdx: pamt_4k_entry_size=8 pamt_2m_entry_size 0x10 pamt_1g_entry_size: 32\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_true(p->tdx.enabled);
	assert_int_equal(p->tdx.max_tdmrs, 32);
	assert_int_equal(p->tdx.max_reserved_per_tdmr, 64);
	assert_int_equal(p->tdx.pamt_entry_size[CM_PAMT_4K], 8);
	assert_int_equal(p->tdx.pamt_entry_size[CM_PAMT_2M], 16);
	assert_int_equal(p->tdx.pamt_entry_size[CM_PAMT_1G], 32);
	assert_false(has_assumed(p, "TDX module limits"));
	cm_platform_free(p);
}

/* Some limits printed: the others are defaults, each named. */
static void test_dmesg_tdx_partial_limits_assumed(void **state)
{
	static const char log[] =
		SMALL_E820
		"virt/tdx: CMR: [0x100000, 0x80000000)\n"
		"virt/tdx: max_reserved_per_tdmr 32\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_int_equal(p->tdx.max_reserved_per_tdmr, 32);
	assert_int_equal(p->tdx.max_tdmrs, 64);
	assert_true(has_assumed(p, "assumed: TDX module limits not in log are defaults "
				   "(max_tdmrs 64, PAMT 4K entry 16 bytes"));
	cm_platform_free(p);
}

/* sgx: EPC section lines (inclusive end), on the node whose SRAT range holds them. */
static void test_dmesg_epc_sections_on_their_node(void **state)
{
	struct cm_platform *p = load_file("journal.log");

	(void)state;
	assert_int_equal(p->sgx.nr_epc, 2);
	assert_int_equal(p->sgx.epc[0].start, 0x78000000);
	assert_int_equal(p->sgx.epc[0].size, 0x8000000);
	assert_int_equal(p->sgx.epc[0].node, 0);
	assert_int_equal(p->sgx.epc[1].start, 0x1078000000ULL);
	assert_int_equal(p->sgx.epc[1].size, 0x8000000);
	assert_int_equal(p->sgx.epc[1].node, 1);
	cm_platform_free(p);
}

/* "SRAT: PXM P -> APIC 0x.. -> Node N": CPUs numbered in order of appearance. */
static void test_dmesg_srat_apic_lines_give_cpus(void **state)
{
	struct cm_platform *p = load_file("journal.log");
	char list[64];

	(void)state;
	cm_bitmap_format_list(&cm_platform_node(p, 0)->cpus, list, sizeof(list));
	assert_string_equal(list, "0-3");
	cm_bitmap_format_list(&cm_platform_node(p, 1)->cpus, list, sizeof(list));
	assert_string_equal(list, "4-7");
	assert_false(has_assumed(p, "CPU lists not in log"));
	cm_platform_free(p);
}

/* No CPU lines: one placeholder CPU per node with memory, and said so. */
static void test_dmesg_cpus_placeholder_assumed(void **state)
{
	struct cm_platform *p = load_file("tdx135.log");
	char list[64];

	(void)state;
	cm_bitmap_format_list(&p->nodes[0].cpus, list, sizeof(list));
	assert_string_equal(list, "0");
	cm_bitmap_format_list(&p->nodes[1].cpus, list, sizeof(list));
	assert_string_equal(list, "1");
	assert_true(has_assumed(p, "assumed: CPU lists not in log; each node with memory has CPUs"));
	cm_platform_free(p);
}

/* The kernel does not print the SLIT: 10 local, 20 remote, assumed. */
static void test_dmesg_distances_default_assumed(void **state)
{
	struct cm_platform *p = load_file("tdx135.log");

	(void)state;
	assert_int_equal(cm_platform_distance(p, 0, 0), 10);
	assert_int_equal(cm_platform_distance(p, 0, 1), 20);
	assert_int_equal(cm_platform_distance(p, 1, 0), 20);
	assert_true(has_assumed(p, "assumed: node distances not in log"));
	cm_platform_free(p);
}

/* "x86/mm: Memory block size: 2048MB"; absent: 128 MiB, assumed. */
static void test_dmesg_memory_block_size_read(void **state)
{
	struct cm_error err;
	struct cm_platform *p = load_file("tdx135.log");

	(void)state;
	assert_int_equal(p->memory_block_size, 2048ULL << 20);
	assert_false(has_assumed(p, "memory block size"));
	cm_platform_free(p);
	p = load_string(SMALL_E820, &err);
	assert_int_equal(p->memory_block_size, 128ULL << 20);
	assert_true(has_assumed(p, "assumed: memory block size not in log; 128 MiB"));
	cm_platform_free(p);
}

static void test_dmesg_missing_e820_is_error(void **state)
{
	struct cm_platform *p = (struct cm_platform *)1;
	struct cm_error err;
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s%s", DMESG_DATA, "no_e820.log");
	assert_int_equal(cm_platform_from_dmesg_file(path, &p, &err), -22);
	assert_null(p);
	assert_non_null(strstr(err.msg, "no_e820.log: no BIOS-e820 memory map in this log (expected "
				       "lines like 'BIOS-e820: [mem 0x...-0x...] usable')"));
	assert_string_equal(load_error("", 0, &err), "test.log: no BIOS-e820 memory map in this log "
			    "(expected lines like 'BIOS-e820: [mem 0x...-0x...] usable')");
}

static void test_dmesg_bad_line_names_file_and_line(void **state)
{
	struct cm_platform *p = (struct cm_platform *)1;
	struct cm_error err;
	char path[512], expect[600];

	(void)state;
	snprintf(path, sizeof(path), "%s%s", DMESG_DATA, "bad_e820.log");
	assert_int_equal(cm_platform_from_dmesg_file(path, &p, &err), -22);
	assert_null(p);
	snprintf(expect, sizeof(expect), "%s:7: BIOS-e820 line: expected ']' after the end address",
		 path);
	assert_string_equal(err.msg, expect);
}

/* Each way a recognised line can be malformed is an error naming its line. */
static void test_dmesg_malformed_ranges_are_errors(void **state)
{
	static const struct {
		const char *line;
		const char *message;
	} cases[] = {
		{ "BIOS-e820: [mem 0x2000-0x1fff] usable",
		  "test.log:5: BIOS-e820 line: range end 0x1fff is below its start 0x2000" },
		{ "BIOS-e820: [mem 0x0010000000000000-0x0010000000000fff] usable",
		  "test.log:5: BIOS-e820 line: range [0x10000000000000-0x10000000000fff] reaches past "
		  "the 52-bit physical address limit" },
		{ "BIOS-e820: [mem 0x100000000-0xffffffffffffffffff] usable",
		  "test.log:5: BIOS-e820 line: end address does not fit in 64 bits" },
		{ "BIOS-e820: [mem 0x100000000-0x1ffffffff usable",
		  "test.log:5: BIOS-e820 line: expected ']' after the end address" },
		{ "BIOS-e820: [mem 100000000-0x1ffffffff] usable",
		  "test.log:5: BIOS-e820 line: expected a 0x-hexadecimal start address" },
		{ "BIOS-e820: [mem 0x100000000-0x1ffffffff]",
		  "test.log:5: BIOS-e820 line: expected a type after the range (e.g. 'usable')" },
		{ "BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)",
		  "test.log:5: BIOS-e820 line: expected '[mem 0xSTART-0xEND] TYPE'" },
		{ "BIOS-e820: [mem 0x0000000000080000-0x00000000000fffff] usable",
		  "test.log:5: BIOS-e820 line: entry [0x80000-0xfffff] is below or overlaps the entry "
		  "on line 4" },
		{ "ACPI: SRAT: Node 64 PXM 64 [mem 0x00000000-0x7fffffff]",
		  "test.log:5: SRAT line: node 64 is out of range (0..63)" },
		{ "  node   0: [mem 0x0000000000100000-0x0010000000000000]",
		  "test.log:5: memblock line: range [0x100000-0x10000000000000] reaches past" },
		{ "NUMA: Node 0 [mem 0x00000000-0x7fffffff] + [mem 0x100000000-0x1ffffffff] -> [mem 0x0-]",
		  "test.log:5: NUMA line: expected a 0x-hexadecimal end address" },
		{ "virt/tdx: CMR: [0x100000, 0x80000000]",
		  "test.log:5: virt/tdx line: expected ')' after the CMR end" },
		{ "virt/tdx: CMR[3]: [0x80000000, 0x100000)",
		  "test.log:5: virt/tdx line: CMR end 0x100000 is below its base 0x80000000" },
		{ "virt/tdx: max_tdmrs 4294967296",
		  "test.log:5: virt/tdx line: max_tdmrs: expected at most 4294967295, found 4294967296" },
		{ "virt/tdx: pamt_entry_size=99999999999999999999999",
		  "test.log:5: virt/tdx line: pamt_entry_size: expected at most 4294967295, found 99999999999999999999999" },
		{ "sgx: EPC section 0x80000000",
		  "test.log:5: sgx line: expected '-' after the start address" },
		{ "x86/mm: Memory block size: lots",
		  "test.log:5: x86/mm line: expected 'Memory block size: NMB'" },
		/* The block size bound of every source (cm_memory_block_size_check()), the number as written. */
		{ "x86/mm: Memory block size: 96MB",
		  "test.log:5: x86/mm line: expected a memory block size that is a power of two from "
		  "0x1000 to 0x8000000000000 bytes, found 96MB" },
		{ "x86/mm: Memory block size: 4294967296MB",
		  "test.log:5: x86/mm line: expected a memory block size that is a power of two from "
		  "0x1000 to 0x8000000000000 bytes, found 4294967296MB" },
		{ "x86/mm: Memory block size: 99999999999999999999999MB",
		  "test.log:5: x86/mm line: expected a memory block size that is a power of two from "
		  "0x1000 to 0x8000000000000 bytes, found 99999999999999999999999MB" },
		{ "SRAT: PXM 0 -> APIC 0x00 -> Node x",
		  "test.log:5: SRAT line: expected ' -> Node N' after the APIC id" },
	};
	struct cm_error err;
	char log[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(log, sizeof(log), "%s%s\n", SMALL_E820, cases[i].line);
		if (!strstr(load_error(log, strlen(log), &err), cases[i].message)) {
			print_error("case %zu: got '%s'\nexpected '%s'\n", i, err.msg, cases[i].message);
			fail();
		}
	}
}

/* Lines that only look like ours are not recognised and so never fail. */
static void test_dmesg_lookalike_lines_ignored(void **state)
{
	static const char log[] =
		SMALL_E820
		"[    0.004000] node 0 deferred pages initialised in 12ms\n"
		"[    0.004000] Initmem setup node 2 as memoryless\n"
		"[    0.004000] NUMA: Node 3 uses memory-less fallback\n"
		"[    0.004000] ACPI: SRAT: Node x PXM y\n"
		"[    0.004000] NODE_DATA(0) allocated [mem 0x7ffd5000-0x7fffffff]\n"
		"[    0.004000]   DMA      [mem 0x0000000000001000-0x0000000000ffffff]\n"
		"[    0.004000] BIOS-e820: [gap 0x0000000100000000-0x00000001ffffffff]\n"
		"[    0.004000] tdx: Guest detected\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_int_equal(p->nr_e820, 4);
	assert_int_equal(p->nr_nodes, 1);
	assert_false(p->tdx.enabled);
	cm_platform_free(p);
}

/* Newer kernels add columns: sizes, "[gap]" lines, words after ranges. */
static void test_dmesg_extra_tokens_ignored(void **state)
{
	static const char log[] =
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009efff]  636   KB kernel usable RAM\n"
		"BIOS-e820: [mem 0x000000000009f000-0x00000000000fffff]  388   KB device reserved\n"
		"BIOS-e820: [gap 0x00000000000a0000-0x00000000000effff]  320   KB ...\n"
		"BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff]    1.9 GB usable extra words\n"
		"ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x7fffffff] 2 GB non-volatile later\n"
		"Early memory node ranges\n"
		"  node   0: [mem 0x0000000000001000-0x000000000009efff] 632 KB\n"
		"  node   0: [mem 0x0000000000100000-0x000000007fffffff] (mirror) 2 GB\n"
		"virt/tdx: CMR: [0x100000, 0x80000000) size 0x7ff00000\n"
		"sgx: EPC section 0x80000000-0x87ffffff sz=128M\n"
		"x86/mm: Memory block size: 128MB (probed)\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_int_equal(p->nr_e820, 3 + 1);	/* + the first page, reserved */
	assert_e820(&p->e820[1], 0x1000, 0x9f000, CM_E820_USABLE);
	assert_e820(&p->e820[2], 0x9f000, 0x100000, CM_E820_RESERVED);
	assert_e820(&p->e820[3], 0x100000, 0x80000000, CM_E820_USABLE);
	assert_int_equal(p->nodes[0].nr_memory, 2);
	assert_int_equal(p->tdx.nr_cmrs, 1);
	assert_int_equal(p->sgx.nr_epc, 1);
	assert_int_equal(p->nr_hotplug, 0);
	cm_platform_free(p);

	p = load_file("journal.log");
	assert_int_equal(p->nr_e820, 8 + 1);
	assert_e820(&p->e820[7], 0x1070000000ULL, 0x1080000000ULL, CM_E820_RESERVED);
	assert_e820(&p->e820[8], 0x1080000000ULL, 0x1880000000ULL, CM_E820_SOFT_RESERVED);
	assert_int_equal(p->nr_nodes, 3);
	assert_int_equal(cm_platform_node(p, 0)->nr_memory, 3);
	assert_int_equal(cm_platform_node(p, 1)->nr_memory, 1);
	cm_platform_free(p);
}

/* Everything tdx135 lacks is listed in p->assumed. */
static void test_dmesg_assumptions_reported(void **state)
{
	struct cm_platform *p = load_file("tdx135.log");

	(void)state;
	assert_true(has_assumed(p, "assumed: usable [0x0, 0x1000) not in memblock, treated as reserved"));
	assert_true(has_assumed(p, "assumed: CPU lists not in log; each node with memory has CPUs"));
	assert_true(has_assumed(p, "assumed: node distances not in log"));
	assert_true(has_assumed(p, "assumed: memory kind not in log; every node is dram"));
	assert_true(has_assumed(p, "assumed: TDX module limits are defaults (max_tdmrs 64, "
				   "max_reserved_per_tdmr 16, PAMT entry 16 bytes)"));
	assert_false(has_assumed(p, "no NUMA information"));
	assert_false(has_assumed(p, "CMRs not in log"));
	for (size_t i = 0; i < p->assumed.nr_lines; i++)
		assert_int_equal(strncmp(p->assumed.lines[i].text, "assumed: ", 9), 0);
	assert_int_equal(p->nodes[0].kind, CM_NODE_DRAM);
	assert_int_equal(p->nodes[1].kind, CM_NODE_DRAM);
	cm_platform_free(p);
}

/* The whole of tdx135 (canonical/tdx#135), as the plan will see it. */
static void test_dmesg_tdx135_platform(void **state)
{
	struct cm_platform *p = load_file("tdx135.log");
	size_t nr_usable = 0;

	(void)state;
	assert_int_equal(p->nr_nodes, 2);
	assert_int_equal(p->nodes[0].id, 0);
	assert_int_equal(p->nodes[1].id, 1);
	/* 47 printed entries, the first split at the first page. */
	assert_int_equal(p->nr_e820, 48);
	for (size_t i = 0; i < p->nr_e820; i++)
		nr_usable += p->e820[i].type == CM_E820_USABLE;
	assert_int_equal(nr_usable, 17 + 4);
	assert_e820(&p->e820[36], 0x6f800000, 0x90000000, CM_E820_RESERVED);
	assert_e820(&p->e820[47], 0x407c000000ULL, 0x4080000000ULL, CM_E820_RESERVED);
	assert_true(p->tdx.enabled);
	assert_int_equal(p->tdx.nr_cmrs, 5);
	assert_int_equal(p->tdx.max_tdmrs, 64);
	assert_int_equal(p->tdx.max_reserved_per_tdmr, 16);
	assert_int_equal(p->nr_hotplug, 0);
	assert_int_equal(p->sgx.nr_epc, 0);
	assert_string_equal(p->name, "tdx135.log");
	cm_platform_free(p);
}

/* "No NUMA configuration found": SRAT lines were rejected, one node 0. */
static void test_dmesg_no_numa_configuration_found(void **state)
{
	static const char log[] =
		SMALL_E820
		"ACPI: SRAT: Node 1 PXM 1 [mem 0x00000000-0x7fffffff]\n"
		"NUMA: nodes only cover 0MB of your 2047MB e820 RAM. Not used.\n"
		"No NUMA configuration found\n"
		"Faking a node at [mem 0x0000000000000000-0x000000007fffffff]\n";
	struct cm_error err;
	struct cm_platform *p = load_string(log, &err);

	(void)state;
	assert_int_equal(p->nr_nodes, 1);
	assert_int_equal(p->nodes[0].id, 0);
	assert_int_equal(p->nodes[0].nr_memory, 2);
	assert_true(has_assumed(p, "assumed: no NUMA information"));
	cm_platform_free(p);
}

/* NUL bytes, a missing final newline, CRLF and a very long line are fine. */
static void test_dmesg_nul_bytes_and_no_final_newline(void **state)
{
	static const char head[] = "BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] usable\n"
				   "garbage \0 with a NUL\n"
				   "BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\r\n";
	static const char tail[] = "BIOS-e820: [mem 0x0000000080000000-0x00000000ffffffff] reserved";
	static const char nul_in_line[] = "BIOS-e820: [mem 0x0000000000000000-0x00000000\0009efff] usable\n";
	size_t long_len = 1 << 20, len = sizeof(head) - 1 + long_len + 1 + sizeof(tail) - 1;
	char *text = malloc(len);
	struct cm_platform *p = NULL;
	struct cm_error err;

	(void)state;
	assert_non_null(text);
	memcpy(text, head, sizeof(head) - 1);
	memset(text + sizeof(head) - 1, '[', long_len);
	text[sizeof(head) - 1 + long_len] = '\n';
	memcpy(text + sizeof(head) + long_len, tail, sizeof(tail) - 1);
	assert_int_equal(cm_platform_from_dmesg_string(text, len, "nul.log", &p, &err), 0);
	assert_int_equal(p->nr_e820, 3);
	assert_e820(&p->e820[2], 0x80000000, 0x100000000, CM_E820_RESERVED);
	cm_platform_free(p);

	/* A NUL inside a recognised line is a malformed line. */
	assert_int_equal(cm_platform_from_dmesg_string(nul_in_line, sizeof(nul_in_line) - 1,
						       "nul.log", &p, &err), -22);
	assert_non_null(strstr(err.msg, "nul.log:1: BIOS-e820 line: expected ']'"));
	free(text);
}

/* A map with no usable whole page: the kernel that wrote the log had RAM. */
static void test_dmesg_no_boot_ram_is_error(void **state)
{
	static const char log[] =
		"BIOS-e820: [mem 0x0000000000000000-0x00000000000003ff] usable\n"
		"BIOS-e820: [mem 0x0000000000000400-0x00000000ffffffff] reserved\n";
	struct cm_error err;

	(void)state;
	assert_string_equal(load_error(log, strlen(log), &err), "test.log: no boot RAM in this log "
			    "(no whole page of usable BIOS-e820 memory in any node's range)");
}

/* More CMRs, EPC sections or CPUs than the model holds: an error at that line. */
static void test_dmesg_table_limits_are_errors(void **state)
{
	size_t size = 64 * 1024 + 8300 * 48, len;
	char *log = malloc(size);
	struct cm_error err;

	(void)state;
	assert_non_null(log);
	len = (size_t)snprintf(log, size, "%s", SMALL_E820);
	for (int i = 0; i < CM_MAX_CMRS + 1; i++)
		len += (size_t)snprintf(log + len, size - len, "virt/tdx: CMR[%d]: [0x%x, 0x%x)\n",
					i, i << 12, (i + 1) << 12);
	assert_non_null(strstr(load_error(log, len, &err), "test.log:37: virt/tdx line: more than 32 CMRs"));

	len = (size_t)snprintf(log, size, "%s", SMALL_E820);
	for (int i = 0; i < CM_MAX_EPC_SECTIONS + 1; i++)
		len += (size_t)snprintf(log + len, size - len, "sgx: EPC section 0x%x-0x%x\n",
					0x80000000 + (i << 20), 0x80000000 + ((i + 1) << 20) - 1);
	assert_non_null(strstr(load_error(log, len, &err), "test.log:13: sgx line: more than 8 EPC sections"));

	len = (size_t)snprintf(log, size, "%s", SMALL_E820);
	for (int i = 0; i < CM_MAX_CPUS + 1; i++)
		len += (size_t)snprintf(log + len, size - len, "SRAT: PXM 0 -> APIC 0x%x -> Node 0\n", i);
	assert_non_null(strstr(load_error(log, len, &err), "test.log:8197: SRAT line: more than 8192 CPUs"));
	free(log);
}

/* A file bigger than the reader's first buffer is read whole. */
static void test_dmesg_large_file_read(void **state)
{
	char path[] = "/tmp/confmem-dmesg-XXXXXX";
	struct cm_platform *p = NULL;
	struct cm_error err;
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	for (int i = 0; i < 20000; i++)
		fprintf(f, "[%5d.000000] usb 3-2: new high-speed USB device number %d using xhci_hcd\n", i, i);
	fputs(SMALL_E820, f);
	fclose(f);
	assert_int_equal(cm_platform_from_dmesg_file(path, &p, &err), 0);
	unlink(path);
	assert_int_equal(p->nr_e820, 4);
	assert_e820(&p->e820[3], 0x80000000, 0x100000000, CM_E820_RESERVED);
	cm_platform_free(p);
}

static void test_dmesg_file_not_found_is_error(void **state)
{
	struct cm_platform *p = (struct cm_platform *)1;
	struct cm_error err;

	(void)state;
	assert_int_equal(cm_platform_from_dmesg_file(DMESG_DATA "does-not-exist.log", &p, &err), -2);
	assert_null(p);
	assert_non_null(strstr(err.msg, "does-not-exist.log: cannot open: "));
}

/* A log past CM_DMESG_MAX_INPUT is refused before it is read (a sparse file costs no disk). */
static void test_dmesg_file_over_the_limit_is_refused(void **state)
{
	char path[] = "/tmp/confmem-dmesg-XXXXXX", expected[128];
	struct cm_platform *p = (struct cm_platform *)1;
	struct cm_error err;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)CM_DMESG_MAX_INPUT + 1), 0);
	close(fd);
	assert_int_equal(cm_platform_from_dmesg_file(path, &p, &err), -EFBIG);
	unlink(path);
	assert_null(p);
	snprintf(expected, sizeof(expected), "%s: file is larger than the limit of 64 MiB", path);
	assert_string_equal(err.msg, expected);
	assert_int_equal(cm_platform_from_dmesg_string("x", CM_DMESG_MAX_INPUT + 1, "big.log", &p, &err),
			 -EFBIG);
	assert_string_equal(err.msg, "big.log: input of 67108865 bytes is larger than the limit of 64 MiB");
}

/* /dev/zero never ends: it is refused as what it is, not read until memory runs out. */
static void test_dmesg_device_is_refused(void **state)
{
	struct cm_platform *p = (struct cm_platform *)1;
	struct cm_error err;

	(void)state;
	assert_int_equal(cm_platform_from_dmesg_file("/dev/zero", &p, &err), -EINVAL);
	assert_null(p);
	assert_string_equal(err.msg, "/dev/zero: not a regular file");
}

/* The model a log gives passes the platform's own validation and is stable. */
static void test_dmesg_every_capture_loads(void **state)
{
	static const char *const names[] = { "tdx135.log", "tdx385.log", "laptop.log", "journal.log" };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct cm_platform *p = load_file(names[i]);
		struct cm_error err;

		assert_int_equal(cm_platform_finalize(p, names[i], &err), 0);
		cm_platform_free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dmesg_e820_inclusive_end),
		cmocka_unit_test(test_dmesg_e820_type_names),
		cmocka_unit_test(test_dmesg_unknown_e820_type_is_reserved_and_assumed),
		cmocka_unit_test(test_dmesg_adjacent_e820_entries_stay_separate),
		cmocka_unit_test(test_dmesg_only_bios_e820_map_read),
		cmocka_unit_test(test_dmesg_timestamps_and_journal_prefixes),
		cmocka_unit_test(test_dmesg_memblock_lines_define_node_memory),
		cmocka_unit_test(test_dmesg_memblock_touching_ranges_merged),
		cmocka_unit_test(test_dmesg_memblock_outside_usable_is_error),
		cmocka_unit_test(test_dmesg_node_ram_from_e820_and_srat),
		cmocka_unit_test(test_dmesg_node_ram_is_whole_pages),
		cmocka_unit_test(test_dmesg_no_numa_information_one_node),
		cmocka_unit_test(test_dmesg_laptop_single_node),
		cmocka_unit_test(test_dmesg_usable_without_node_becomes_reserved),
		cmocka_unit_test(test_dmesg_usable_outside_srat_becomes_reserved),
		cmocka_unit_test(test_dmesg_srat_hotplug_beyond_boot_ram_is_window),
		cmocka_unit_test(test_dmesg_srat_hotplug_window_rounded_to_blocks),
		cmocka_unit_test(test_dmesg_cmr_lines_enable_tdx),
		cmocka_unit_test(test_dmesg_cmr_index_format),
		cmocka_unit_test(test_dmesg_tdx_without_cmrs_assumes_ram),
		cmocka_unit_test(test_dmesg_tdx_not_enabled),
		cmocka_unit_test(test_dmesg_tdx_active_without_ram_above_1m),
		cmocka_unit_test(test_dmesg_assumed_cmrs_fit_the_module),
		cmocka_unit_test(test_dmesg_kernel_profiles),
		cmocka_unit_test(test_dmesg_no_tdx_lines_no_tdx),
		cmocka_unit_test(test_dmesg_tdx_module_limits_read),
		cmocka_unit_test(test_dmesg_tdx_partial_limits_assumed),
		cmocka_unit_test(test_dmesg_epc_sections_on_their_node),
		cmocka_unit_test(test_dmesg_srat_apic_lines_give_cpus),
		cmocka_unit_test(test_dmesg_cpus_placeholder_assumed),
		cmocka_unit_test(test_dmesg_distances_default_assumed),
		cmocka_unit_test(test_dmesg_memory_block_size_read),
		cmocka_unit_test(test_dmesg_missing_e820_is_error),
		cmocka_unit_test(test_dmesg_bad_line_names_file_and_line),
		cmocka_unit_test(test_dmesg_malformed_ranges_are_errors),
		cmocka_unit_test(test_dmesg_lookalike_lines_ignored),
		cmocka_unit_test(test_dmesg_extra_tokens_ignored),
		cmocka_unit_test(test_dmesg_assumptions_reported),
		cmocka_unit_test(test_dmesg_tdx135_platform),
		cmocka_unit_test(test_dmesg_no_numa_configuration_found),
		cmocka_unit_test(test_dmesg_nul_bytes_and_no_final_newline),
		cmocka_unit_test(test_dmesg_no_boot_ram_is_error),
		cmocka_unit_test(test_dmesg_table_limits_are_errors),
		cmocka_unit_test(test_dmesg_large_file_read),
		cmocka_unit_test(test_dmesg_file_not_found_is_error),
		cmocka_unit_test(test_dmesg_file_over_the_limit_is_refused),
		cmocka_unit_test(test_dmesg_device_is_refused),
		cmocka_unit_test(test_dmesg_every_capture_loads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
