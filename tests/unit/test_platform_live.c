// SPDX-License-Identifier: MIT
/*
 * The live-machine source (SPEC 1, "Platform sources" item 4), read from
 * the captured trees under tests/data/sysroot/ and from small trees each
 * error test writes for itself. One test per rule, named after it.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#include "confmem/platform.h"
#include "platform/live_parse.h"

#define SYSROOT CONFMEM_TEST_DATA "/sysroot/"
#define GiB (1ULL << 30)

static struct cm_platform *load(const char *tree, const struct cm_range *cmrs, unsigned int nr_cmrs)
{
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };
	char root[PATH_MAX];
	int ret;

	snprintf(root, sizeof(root), SYSROOT "%s", tree);
	ret = cm_platform_from_live(root, cmrs, nr_cmrs, &p, &err);
	if (ret)
		fail_msg("%s: %s", tree, err.msg);
	assert_non_null(p);
	return p;
}

/* Load a tree that must fail; returns the message. */
static const char *load_error(const char *root, struct cm_error *err)
{
	struct cm_platform *p = (struct cm_platform *)1;
	int ret;

	ret = cm_platform_from_live(root, NULL, 0, &p, err);
	assert_int_equal(ret, -EINVAL);
	assert_null(p);
	return err->msg;
}

static bool has_note(const struct cm_platform *p, const char *text)
{
	for (size_t i = 0; i < p->assumed.nr_lines; i++)
		if (strstr(p->assumed.lines[i].text, text))
			return true;
	return false;
}

static void assert_note(const struct cm_platform *p, const char *text)
{
	if (!has_note(p, text)) {
		for (size_t i = 0; i < p->assumed.nr_lines; i++)
			print_message("  note: %s\n", p->assumed.lines[i].text);
		fail_msg("no note containing \"%s\"", text);
	}
}

static void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("\"%s\" does not contain \"%s\"", text, part);
}

static const struct cm_e820_entry *e820_at(const struct cm_platform *p, uint64_t start)
{
	for (size_t i = 0; i < p->nr_e820; i++)
		if (p->e820[i].start == start)
			return &p->e820[i];
	return NULL;
}

static void assert_e820(const struct cm_platform *p, uint64_t start, uint64_t end, enum cm_e820_type type)
{
	const struct cm_e820_entry *e = e820_at(p, start);

	if (!e)
		fail_msg("no e820 entry at 0x%llx", (unsigned long long)start);
	assert_int_equal(e->end, end);
	assert_int_equal(e->type, type);
}

static void assert_node_memory(const struct cm_platform *p, int node, const struct cm_range *want,
			       size_t nr_want)
{
	const struct cm_node *n = cm_platform_node(p, node);

	assert_non_null(n);
	assert_int_equal(n->nr_memory, nr_want);
	for (size_t i = 0; i < nr_want; i++) {
		assert_int_equal(n->memory[i].start, want[i].start);
		assert_int_equal(n->memory[i].end, want[i].end);
	}
}

static void assert_cpus(const struct cm_platform *p, int node, const char *list)
{
	char buf[256];

	cm_bitmap_format_list(&cm_platform_node(p, node)->cpus, buf, sizeof(buf));
	assert_string_equal(buf, list);
}

/* ---- small trees written by the tests themselves ---- */

struct scratch_tree {
	char root[64];
};

static void scratch_write(struct scratch_tree *t, const char *relative, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", t->root, relative);
	for (char *slash = strchr(path + strlen(t->root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A one-node machine with 1 GiB blocks and RAM [1 MiB, 2 GiB); tests then break one file. */
static void scratch_create(struct scratch_tree *t)
{
	snprintf(t->root, sizeof(t->root), "/tmp/confmem-live-XXXXXX");
	assert_non_null(mkdtemp(t->root));
	scratch_write(t, "proc/iomem", "00000000-000fffff : Reserved\n"
					   "00100000-7fffffff : System RAM\n");
	scratch_write(t, "sys/devices/system/memory/block_size_bytes", "40000000\n");
	scratch_write(t, "sys/devices/system/node/node0/cpulist", "0-3\n");
	scratch_write(t, "sys/devices/system/node/node0/distance", "10\n");
	scratch_write(t, "sys/devices/system/node/node0/memory0", "");
	scratch_write(t, "sys/devices/system/node/node0/memory1", "");
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void scratch_destroy(struct scratch_tree *t)
{
	nftw(t->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- /proc/iomem ---- */

/*
 *   00001000-0009ffff : System RAM      ->  usable [0x1000, 0xa0000)
 *   100000000-87fffffff : System RAM    ->  usable [4G, 34G)
 * Expect: inclusive ends become half-open usable e820 entries.
 */
static void test_live_iomem_system_ram_is_usable(void **state)
{
	struct cm_platform *p = load("two-socket", NULL, 0);

	(void)state;
	assert_e820(p, 0x1000, 0xa0000, CM_E820_USABLE);
	assert_e820(p, 0x100000, 0x6e000000, CM_E820_USABLE);
	assert_e820(p, 0x100000000, 0x880000000, CM_E820_USABLE);
	cm_platform_free(p);
}

/* Expect: Reserved, ACPI Tables, ACPI NVS, Soft Reserved and Persistent Memory keep their types. */
static void test_live_iomem_names_map_to_e820_types(void **state)
{
	struct cm_platform *p = load("two-socket", NULL, 0), *q = load("pmem-node", NULL, 0);
	enum cm_e820_type type;

	(void)state;
	assert_e820(p, 0x0, 0x1000, CM_E820_RESERVED);
	assert_e820(p, 0x6e000000, 0x6f000000, CM_E820_RESERVED);
	assert_e820(p, 0x6f000000, 0x6f800000, CM_E820_NVS);
	assert_e820(p, 0x6f800000, 0x6ffff000, CM_E820_ACPI);
	assert_e820(p, 0x1000000000, 0x1400000000, CM_E820_SOFT_RESERVED);
	assert_e820(q, 0x180000000, 0x280000000, CM_E820_PMEM);
	assert_int_equal(iomem_name_to_e820_type("Persistent Memory (legacy)", 26, &type), 0);
	assert_int_equal(type, CM_E820_PMEM);
	assert_int_equal(iomem_name_to_e820_type("reserved", 8, &type), 0);
	assert_int_equal(type, CM_E820_RESERVED);
	assert_int_equal(iomem_name_to_e820_type("System RAM (kmem)", 17, &type), -ENOENT);
	cm_platform_free(p);
	cm_platform_free(q);
}

/* Expect: PCI windows, ROMs, IOAPIC and APIC entries are not part of the e820 model. */
static void test_live_iomem_other_entries_are_skipped(void **state)
{
	struct cm_platform *p = load("two-socket", NULL, 0);

	(void)state;
	assert_null(e820_at(p, 0x80000000));		/* PCI Bus 0000:00 */
	assert_null(e820_at(p, 0xe0000000));		/* PCI MMCONFIG */
	assert_null(e820_at(p, 0xfec00000));		/* IOAPIC 0 */
	assert_null(e820_at(p, 0x38000000000));		/* PCI Bus 0000:80 */
	assert_int_equal(p->nr_e820, 14);
	cm_platform_free(p);
}

/*
 *   00100000-6dffffff : System RAM
 *     01000000-01ffffff : Kernel code
 * Expect: the kernel's own ranges inside RAM do not split it.
 */
static void test_live_iomem_nested_entries_are_ignored(void **state)
{
	static const char text[] = "00000000-00000fff : Reserved\n"
				    "00100000-6dffffff : System RAM\n"
				    "  01000000-01ffffff : Kernel code\n"
				    "    01000000-01000fff : something nested deeper\n"
				    "  02000000-0280ffff : Kernel rodata\n";
	struct iomem_map map;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(parse_iomem_text(text, strlen(text), "iomem", &map, &err), 0);
	assert_false(map.addresses_hidden);
	assert_int_equal(map.nr_lines, 5);
	assert_int_equal(map.nr_entries, 2);
	assert_int_equal(map.entries[1].start, 0x100000);
	assert_int_equal(map.entries[1].end, 0x6e000000);
	iomem_map_free(&map);
}

/*
 *   00000000-00000fff : Reserved
 *   00100000-7fffffff : System RAM
 *   70000000-8fffffff : Reserved      <- starts inside the previous entry
 * Expect: an error naming the file and line 3.
 */
static void test_live_iomem_overlap_names_line(void **state)
{
	static const char text[] = "00000000-00000fff : Reserved\n"
				   "00100000-7fffffff : System RAM\n"
				   "70000000-8fffffff : Reserved\n";
	static const char unsorted[] = "00100000-7fffffff : System RAM\n"
				       "00000000-00000fff : Reserved\n";
	struct iomem_map map;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(parse_iomem_text(text, strlen(text), "R/proc/iomem", &map, &err), -EINVAL);
	assert_string_equal(err.msg, "R/proc/iomem:3: expected top-level entries in ascending order "
			    "without overlap, found 70000000-8fffffff after 100000-7fffffff");
	assert_null(map.entries);
	assert_int_equal(parse_iomem_text(unsorted, strlen(unsorted), "R/proc/iomem", &map, &err),
			 -EINVAL);
	assert_contains(err.msg, "R/proc/iomem:2: expected top-level entries in ascending order");
}

static void test_live_iomem_malformed_line_names_line(void **state)
{
	struct cm_error err = { 0 };

	(void)state;
	assert_string_equal(load_error(SYSROOT "bad-iomem", &err),
			    SYSROOT "bad-iomem/proc/iomem:4: expected \" : \" after the end address, "
			    "found \"00100000-7fffffff System RAM\"");
}

/* Expect: each kind of malformed line is an error with its line number, never a crash. */
static void test_live_iomem_bad_lines_are_errors(void **state)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{ "zz-ff : System RAM\n", "f:1: expected \"START-END : NAME\" with hexadecimal addresses" },
		{ "00-ff : Reserved\n0100 : System RAM\n", "f:2: expected '-' after the start address" },
		{ "100-ff : System RAM\n", "f:1: expected an end address at or above the start, found 100-ff" },
		{ "0-fff : System RAM\n10000-1ffff : \n", "f:2: expected a resource name" },
		{ "  0-fff : System RAM\n", "f:1: expected a top-level entry first" },
		{ "0-11111111111111111 : Reserved\n", "f:1: expected an end address of at most 16 hex digits" },
		{ "\t0-fff : System RAM\n", "f:1: expected \"START-END : NAME\"" },
		{ "10000000000000-10000000000fff : System RAM\n",
		  "f:1: expected addresses below the 52-bit physical limit" },
		{ "0-ffffffffffffffff : Reserved\n", "f:1: expected addresses below the 52-bit" },
	};
	char long_line[LIVE_IOMEM_LINE_MAX + 40];
	struct iomem_map map;
	struct cm_error err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse_iomem_text(cases[i].text, strlen(cases[i].text), "f", &map, &err),
				 -EINVAL);
		assert_contains(err.msg, cases[i].message);
	}
	memset(long_line, 'x', sizeof(long_line));
	memcpy(long_line, "0-fff : ", 8);
	assert_int_equal(parse_iomem_text(long_line, sizeof(long_line), "f", &map, &err), -EINVAL);
	assert_contains(err.msg, "f:1: expected a line of at most 512 characters");
	/* A PCI window may end at the top of the address space: it is not kept. */
	assert_int_equal(parse_iomem_text("0-fff : System RAM\n1000-ffffffffffffffff : PCI Bus\n", 51,
					  "f", &map, &err), 0);
	assert_int_equal(map.nr_entries, 1);
	iomem_map_free(&map);
}

/* ---- nodes and their memory ---- */

/*
 *   blocks (2 GiB): node0 = 0, 2-8   node1 = 9-16   node2 = 32-39
 *   System RAM [4G, 34G) is one iomem entry
 * Expect: node 0 gets [4G, 18G), node 1 [18G, 34G); the low RAM is node 0's.
 */
static void test_live_node_memory_from_blocks(void **state)
{
	static const struct cm_range node0[] = {
		{ 0x1000, 0xa0000 }, { 0x100000, 0x6e000000 }, { 0x6ffff000, 0x70000000 },
		{ 0x100000000, 0x480000000 },
	};
	static const struct cm_range node1[] = { { 0x480000000, 0x880000000 } };
	struct cm_platform *p = load("two-socket", NULL, 0);

	(void)state;
	assert_int_equal(p->memory_block_size, 0x80000000);
	assert_node_memory(p, 0, node0, 4);
	assert_node_memory(p, 1, node1, 1);
	assert_node_memory(p, 2, NULL, 0);
	cm_platform_free(p);
}

/*
 *   00001000-0009fbff : System RAM
 * Expect: node memory is trimmed to whole pages, [0x1000, 0x9f000); the e820 entry keeps 0x9fc00.
 */
static void test_live_ram_ranges_are_page_trimmed(void **state)
{
	struct cm_platform *p = load("nonuma", NULL, 0);

	(void)state;
	assert_e820(p, 0x1000, 0x9fc00, CM_E820_USABLE);
	assert_int_equal(p->nodes[0].memory[0].start, 0x1000);
	assert_int_equal(p->nodes[0].memory[0].end, 0x9f000);
	cm_platform_free(p);
}

/*
 *   node0 blocks: 0 1 . . 4 [5]   (block 5 is System RAM no node lists)
 * Expect: block 5 goes to node 0, the node of the nearest block below, with a note.
 */
static void test_live_ram_outside_blocks_goes_to_node_below(void **state)
{
	static const struct cm_range node0[] = {
		{ 0x1000, 0xa0000 }, { 0x100000, 0x80000000 }, { 0x100000000, 0x180000000 },
	};
	struct cm_platform *p = load("pmem-node", NULL, 0);

	(void)state;
	assert_node_memory(p, 0, node0, 3);
	assert_note(p, "assumed: 1 RAM range(s) (0x40000000 bytes; first [0x140000000, 0x180000000)) "
		    "in no node's memory blocks; each given to the node of the nearest block below");
	cm_platform_free(p);
}

static void test_live_cpulist_uses_list_syntax(void **state)
{
	struct cm_platform *p = load("two-socket", NULL, 0);

	(void)state;
	assert_cpus(p, 0, "0-15,32-47");
	assert_cpus(p, 1, "16-31,48-63");
	assert_cpus(p, 2, "");
	cm_platform_free(p);
}

static void test_live_distances_from_node_files(void **state)
{
	static const unsigned int want[4][4] = {
		{ 10, 21, 28, 28 }, { 21, 10, 28, 28 }, { 28, 28, 10, 28 }, { 28, 28, 28, 10 },
	};
	struct cm_platform *p = load("two-socket", NULL, 0);

	(void)state;
	assert_int_equal(p->nr_nodes, 4);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			assert_int_equal(cm_platform_distance(p, i, j), want[i][j]);
	assert_note(p, "nodes made for Soft Reserved memory are at distance 28");
	cm_platform_free(p);
}

static void test_live_bad_distance_names_file(void **state)
{
	struct cm_error err = { 0 };

	(void)state;
	assert_string_equal(load_error(SYSROOT "bad-distance", &err),
			    SYSROOT "bad-distance/sys/devices/system/node/node1/distance: "
			    "expected 2 distances (one per online node), found 3");
}

/* Expect: the diagonal must be 10, other columns 11..255, and only numbers and spaces. */
static void test_live_distance_values_are_checked(void **state)
{
	unsigned int row[3];
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(parse_sysfs_distance_text("10 21 28\n", 9, "d", 0, 3, row, &err), 0);
	assert_int_equal(row[2], 28);
	assert_int_equal(parse_sysfs_distance_text("21 20 28\n", 9, "d", 1, 3, row, &err), -EINVAL);
	assert_string_equal(err.msg, "d: expected 10 (the node's distance to itself) in column 2, found 20");
	assert_int_equal(parse_sysfs_distance_text("10 300 28\n", 10, "d", 0, 3, row, &err), -EINVAL);
	assert_string_equal(err.msg, "d: expected a distance of 11..255 to another node in column 2, found 300");
	/* The number as written: 4294967306 is neither cut to 429496 nor wrapped to 10. */
	assert_int_equal(parse_sysfs_distance_text("10 4294967306\n", 14, "d", 0, 2, row, &err), -EINVAL);
	assert_string_equal(err.msg, "d: expected a distance of 11..255 to another node in column 2, "
			    "found 4294967306");
	assert_int_equal(parse_sysfs_distance_text("4294967306 21\n", 14, "d", 0, 2, row, &err), -EINVAL);
	assert_string_equal(err.msg, "d: expected 10 (the node's distance to itself) in column 1, "
			    "found 4294967306");
	assert_int_equal(parse_sysfs_distance_text("10 0021\n", 8, "d", 0, 2, row, &err), 0);
	assert_int_equal(row[1], 21);
	assert_int_equal(parse_sysfs_distance_text("10,21,28\n", 9, "d", 0, 3, row, &err), -EINVAL);
	assert_string_equal(err.msg, "d: expected decimal distances separated by spaces, found \"10,21,28\"");
	assert_int_equal(parse_sysfs_distance_text("\n", 1, "d", 0, 1, row, &err), -EINVAL);
	assert_string_equal(err.msg, "d: expected 1 distances (one per online node), found 0");
}

static void test_live_bad_cpulist_names_file(void **state)
{
	struct scratch_tree t;
	struct cm_error err = { 0 };
	char want[PATH_MAX];

	(void)state;
	scratch_create(&t);
	scratch_write(&t, "sys/devices/system/node/node0/cpulist", "0-3,\n");
	snprintf(want, sizeof(want), "%s/sys/devices/system/node/node0/cpulist: expected a list like "
		 "0-3,8, found \"0-3,\" (trailing ',')", t.root);
	assert_string_equal(load_error(t.root, &err), want);
	scratch_destroy(&t);
}

/* Expect: without distance files the kernel's defaults (10 local, 20 remote) apply, with a note. */
static void test_live_missing_distance_defaults(void **state)
{
	struct scratch_tree t;
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };
	char path[PATH_MAX];

	(void)state;
	scratch_create(&t);
	scratch_write(&t, "sys/devices/system/node/node1/cpulist", "4-7\n");
	scratch_write(&t, "sys/devices/system/node/node1/distance", "21 10\n");
	snprintf(path, sizeof(path), "%s/sys/devices/system/node/node0/distance", t.root);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(cm_platform_from_live(t.root, NULL, 0, &p, &err), 0);
	assert_int_equal(p->nr_nodes, 2);
	assert_int_equal(cm_platform_distance(p, 0, 1), 20);
	assert_int_equal(cm_platform_distance(p, 1, 0), 20);
	assert_note(p, "node0/distance missing; distances default (10 local, 20 remote)");
	cm_platform_free(p);
	scratch_destroy(&t);
}

/* Expect: no node directory (a kernel without NUMA) is one node 0 with every online CPU. */
static void test_live_no_node_directory_means_one_node(void **state)
{
	struct cm_platform *p = load("nonuma", NULL, 0);

	(void)state;
	assert_int_equal(p->nr_nodes, 1);
	assert_int_equal(p->nodes[0].id, 0);
	assert_int_equal(p->nodes[0].kind, CM_NODE_DRAM);
	assert_cpus(p, 0, "0-7");
	assert_int_equal(cm_platform_distance(p, 0, 0), 10);
	assert_int_equal(cm_node_memory_bytes(&p->nodes[0]), 0x9e000ULL + 0x3ff00000 + 0x4a2ff000 +
			 0x1000 + 0x36f800000);
	assert_note(p, "lists no nodes (a kernel without NUMA); all memory on node 0");
	cm_platform_free(p);
}

/* Expect: a memory-only node is cxl on Soft Reserved, pmem on Persistent Memory, dram otherwise. */
static void test_live_memory_only_node_kind_from_backing(void **state)
{
	struct cm_platform *p = load("two-socket", NULL, 0), *q = load("pmem-node", NULL, 0);
	struct cm_platform *h = load("hidden", NULL, 0);

	(void)state;
	assert_int_equal(cm_platform_node(p, 0)->kind, CM_NODE_DRAM);
	assert_int_equal(cm_platform_node(p, 2)->kind, CM_NODE_CXL);
	assert_note(p, "node 2 has no CPUs and its memory blocks are Soft Reserved: kind cxl");
	assert_int_equal(cm_platform_node(q, 1)->kind, CM_NODE_PMEM);
	assert_note(q, "node 1 has no CPUs and its memory blocks are Persistent Memory: kind pmem");
	assert_int_equal(cm_platform_node(h, 2)->kind, CM_NODE_DRAM);
	assert_note(h, "node 2 has no CPUs; kind dram");
	cm_platform_free(p);
	cm_platform_free(q);
	cm_platform_free(h);
}

/* ---- hidden addresses ---- */

/*
 *   /proc/iomem: 00000000-00000000 : System RAM  (every line)
 *   blocks (2 GiB): node0 = 0, 2-8   node1 = 9-16   node2 = 32-39
 * Expect: RAM is the blocks, merged per node; the map is derived; a note says why.
 */
static void test_live_hidden_addresses_fall_back_to_blocks(void **state)
{
	static const struct cm_range node0[] = { { 0, 2 * GiB }, { 4 * GiB, 18 * GiB } };
	static const struct cm_range node1[] = { { 18 * GiB, 34 * GiB } };
	static const struct cm_range node2[] = { { 64 * GiB, 80 * GiB } };
	struct cm_platform *p = load("hidden", NULL, 0);

	(void)state;
	assert_note(p, "assumed: " SYSROOT "hidden/proc/iomem addresses hidden (copied without CAP_SYS_ADMIN); RAM taken "
		    "from memory blocks in /sys (block granularity)");
	assert_node_memory(p, 0, node0, 2);
	assert_node_memory(p, 1, node1, 1);
	assert_node_memory(p, 2, node2, 1);
	assert_e820(p, 0, 2 * GiB, CM_E820_USABLE);
	assert_e820(p, 2 * GiB, 4 * GiB, CM_E820_RESERVED);
	assert_int_equal(p->nr_hotplug, 0);
	cm_platform_free(p);
}

static void test_live_hidden_addresses_detected(void **state)
{
	static const char text[] = "00000000-00000000 : Reserved\n"
				   "00000000-00000000 : System RAM\n"
				   "  00000000-00000000 : Kernel code\n";
	struct iomem_map map;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(parse_iomem_text(text, strlen(text), "f", &map, &err), 0);
	assert_true(map.addresses_hidden);
	assert_int_equal(map.nr_entries, 0);
	assert_int_equal(parse_iomem_text("", 0, "f", &map, &err), 0);
	assert_false(map.addresses_hidden);
	assert_int_equal(map.nr_lines, 0);
}

static void test_live_hidden_addresses_without_blocks_fail(void **state)
{
	struct cm_error err = { 0 };
	const char *msg = load_error(SYSROOT "hidden-no-blocks", &err);

	(void)state;
	assert_string_equal(msg, "no memory found: " SYSROOT "hidden-no-blocks/proc/iomem: addresses are hidden "
			    "(all zero): the kernel shows them only to a process with CAP_SYS_ADMIN, and " SYSROOT
			    "hidden-no-blocks/sys/devices/system/memory is missing; copy both from the "
			    "machine (as root, so that /proc/iomem shows its addresses), or read its boot log or a "
			    "platform file");
}

/* Expect: no /proc/iomem at all is treated like hidden addresses: the blocks decide. */
static void test_live_missing_iomem_falls_back_to_blocks(void **state)
{
	static const struct cm_range node0[] = { { 0, 2 * GiB } };
	struct scratch_tree t;
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };
	char path[PATH_MAX];

	(void)state;
	scratch_create(&t);
	snprintf(path, sizeof(path), "%s/proc/iomem", t.root);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(cm_platform_from_live(t.root, NULL, 0, &p, &err), 0);
	assert_node_memory(p, 0, node0, 1);
	assert_note(p, "/proc/iomem: cannot read: No such file or directory; RAM taken from memory "
		    "blocks in /sys (block granularity)");
	cm_platform_free(p);
	scratch_destroy(&t);
}

/* Expect: phys_index names the block of its directory; another number is an error. */
static void test_live_phys_index_must_match_block(void **state)
{
	struct scratch_tree t;
	struct cm_error err = { 0 };
	char want[PATH_MAX];

	(void)state;
	scratch_create(&t);
	scratch_write(&t, "proc/iomem", "00000000-00000000 : System RAM\n");
	scratch_write(&t, "sys/devices/system/memory/memory1/phys_index", "00000002\n");
	snprintf(want, sizeof(want), "%s/sys/devices/system/memory/memory1/phys_index: expected 1 (the "
		 "block number of memory1), found 2", t.root);
	assert_string_equal(load_error(t.root, &err), want);
	scratch_destroy(&t);
}

/* ---- Soft Reserved ---- */

/*
 *   1000000000-13ffffffff : Soft Reserved   (blocks 32-39 under node2)
 * Expect: kept as soft-reserved in the map, not node RAM, and a non-convertible
 * hot-add window of node 2.
 */
static void test_live_soft_reserved_becomes_hotplug_window(void **state)
{
	struct cm_platform *p = load("two-socket", NULL, 0);

	(void)state;
	assert_e820(p, 0x1000000000, 0x1400000000, CM_E820_SOFT_RESERVED);
	assert_int_equal(p->nr_hotplug, 2);
	assert_int_equal(p->hotplug[0].start, 0x1000000000);
	assert_int_equal(p->hotplug[0].size, 16 * GiB);
	assert_int_equal(p->hotplug[0].node, 2);
	assert_false(p->hotplug[0].convertible);
	assert_note(p, "Soft Reserved [0x1000000000, 0x1400000000) is online as node 2 memory");
	cm_platform_free(p);
}

/* Expect: a Soft Reserved range without blocks joins a new memory-only cxl node after the highest. */
static void test_live_soft_reserved_without_blocks_gets_new_node(void **state)
{
	struct cm_platform *p = load("two-socket", NULL, 0);
	const struct cm_node *n = cm_platform_node(p, 3);

	(void)state;
	assert_int_equal(p->hotplug[1].start, 0x1400000000);
	assert_int_equal(p->hotplug[1].size, 16 * GiB);
	assert_int_equal(p->hotplug[1].node, 3);
	assert_non_null(n);
	assert_int_equal(n->kind, CM_NODE_CXL);
	assert_int_equal(n->nr_memory, 0);
	assert_false(cm_node_has_cpus(n));
	assert_note(p, "has no memory blocks in /sys; modelled as a hot-add window of a new "
		    "memory-only cxl node 3");
	cm_platform_free(p);
}

/*
 *   1800000000-1800ffffff : Soft Reserved   (16 MiB; blocks are 2 GiB)
 * Expect: rounded in to blocks it is empty: no window, a note.
 */
static void test_live_soft_reserved_smaller_than_block_is_skipped(void **state)
{
	struct cm_platform *p = load("two-socket", NULL, 0);

	(void)state;
	for (size_t i = 0; i < p->nr_hotplug; i++)
		assert_true(p->hotplug[i].start != 0x1800000000);
	assert_e820(p, 0x1800000000, 0x1801000000, CM_E820_SOFT_RESERVED);
	assert_note(p, "Soft Reserved [0x1800000000, 0x1801000000) holds no whole memory block of "
		    "0x80000000 bytes; no hot-add window for it");
	cm_platform_free(p);
}

/* ---- TDX and SGX ---- */

static void test_live_no_cmrs_means_no_tdx(void **state)
{
	struct cm_platform *p = load("two-socket", NULL, 0);

	(void)state;
	assert_false(p->tdx.enabled);
	assert_int_equal(p->tdx.nr_cmrs, 0);
	assert_note(p, "assumed: no CMRs given; TDX reported as not enabled");
	cm_platform_free(p);
}

static void test_live_cmrs_enable_tdx_with_default_limits(void **state)
{
	static const struct cm_range cmrs[] = { { 0x0, 0x80000000 }, { 0x100000000, 0x880000000 } };
	struct cm_platform *p = load("two-socket", cmrs, 2);

	(void)state;
	assert_true(p->tdx.enabled);
	assert_int_equal(p->tdx.nr_cmrs, 2);
	assert_int_equal(p->tdx.cmrs[1].end, 0x880000000);
	assert_int_equal(p->tdx.max_tdmrs, CM_TDX_DEFAULT_MAX_TDMRS);
	assert_int_equal(p->tdx.max_reserved_per_tdmr, CM_TDX_DEFAULT_MAX_RESERVED);
	assert_note(p, "assumed: TDX module limits are defaults");
	assert_false(has_note(p, "no CMRs given"));
	cm_platform_free(p);
}

static void test_live_too_many_cmrs_is_error(void **state)
{
	struct cm_range cmrs[CM_MAX_CMRS + 1] = { { 0, 0 } };
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };

	(void)state;
	assert_int_equal(cm_platform_from_live(SYSROOT "two-socket", cmrs, CM_MAX_CMRS + 1, &p, &err),
			 -EINVAL);
	assert_null(p);
	assert_string_equal(err.msg, "CMRs: expected 1..32, found 33");
}

/* Expect: EPC sizes per node are notes only: sysfs shows no EPC addresses. */
static void test_live_sgx_sizes_are_notes(void **state)
{
	struct cm_platform *p = load("two-socket", NULL, 0);
	unsigned int nr_sgx_notes = 0;

	(void)state;
	assert_int_equal(p->sgx.nr_epc, 0);
	assert_note(p, "node 0 has 535822336 bytes of SGX EPC");
	assert_note(p, "node 1 has 535822336 bytes of SGX EPC");
	for (size_t i = 0; i < p->assumed.nr_lines; i++)
		nr_sgx_notes += strstr(p->assumed.lines[i].text, "bytes of SGX EPC") != NULL;
	assert_int_equal(nr_sgx_notes, 2);	/* node 2 has no sgx_total_bytes */
	cm_platform_free(p);
}

/* ---- one-value files ---- */

static void test_live_block_size_from_sysfs(void **state)
{
	struct scratch_tree t;
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };
	char want[PATH_MAX];

	(void)state;
	scratch_create(&t);
	assert_int_equal(cm_platform_from_live(t.root, NULL, 0, &p, &err), 0);
	assert_int_equal(p->memory_block_size, 0x40000000);
	cm_platform_free(p);

	scratch_write(&t, "sys/devices/system/memory/block_size_bytes", "0x40000000\n");
	snprintf(want, sizeof(want), "%s/sys/devices/system/memory/block_size_bytes: expected a "
		 "hexadecimal number (no 0x prefix), found \"0x40000000\"", t.root);
	assert_string_equal(load_error(t.root, &err), want);

	scratch_write(&t, "sys/devices/system/memory/block_size_bytes", "3000\n");
	snprintf(want, sizeof(want), "%s/sys/devices/system/memory/block_size_bytes: expected a power "
		 "of two from 0x1000 to 0x8000000000000, found 0x3000", t.root);
	assert_string_equal(load_error(t.root, &err), want);
	scratch_destroy(&t);
}

static void test_live_missing_block_size_defaults(void **state)
{
	struct scratch_tree t;
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };
	char path[PATH_MAX];

	(void)state;
	scratch_create(&t);
	snprintf(path, sizeof(path), "%s/sys/devices/system/memory/block_size_bytes", t.root);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(cm_platform_from_live(t.root, NULL, 0, &p, &err), 0);
	assert_int_equal(p->memory_block_size, CM_DEFAULT_BLOCK_SIZE);
	assert_note(p, "block_size_bytes missing; memory block size 0x8000000");
	cm_platform_free(p);
	scratch_destroy(&t);
}

static void test_live_sysfs_numbers_are_checked(void **state)
{
	struct cm_error err = { 0 };
	uint64_t value = 0;

	(void)state;
	assert_int_equal(parse_sysfs_u64_text("8000000\n", 8, SYSFS_HEX, "f", &value, &err), 0);
	assert_int_equal(value, 0x8000000);
	assert_int_equal(parse_sysfs_u64_text("4096", 4, SYSFS_DECIMAL, "f", &value, &err), 0);
	assert_int_equal(value, 4096);
	assert_int_equal(parse_sysfs_u64_text("\n", 1, SYSFS_HEX, "f", &value, &err), -EINVAL);
	assert_string_equal(err.msg, "f: expected a hexadecimal number (no 0x prefix), found an empty file");
	assert_int_equal(parse_sysfs_u64_text("12a\n", 4, SYSFS_DECIMAL, "f", &value, &err), -EINVAL);
	assert_string_equal(err.msg, "f: expected a decimal number, found \"12a\"");
	assert_int_equal(parse_sysfs_u64_text("10000000000000000", 17, SYSFS_HEX, "f", &value, &err),
			 -ERANGE);
	assert_contains(err.msg, "below 2^64");
	assert_int_equal(parse_sysfs_u64_text("1\n\n", 3, SYSFS_DECIMAL, "f", &value, &err), -EINVAL);
}

static void test_live_entry_names_are_prefix_and_number(void **state)
{
	uint64_t n = 0;

	(void)state;
	assert_int_equal(parse_sysfs_entry_number("memory42", "memory", &n), 1);
	assert_int_equal(n, 42);
	assert_int_equal(parse_sysfs_entry_number("node0", "node", &n), 1);
	assert_int_equal(n, 0);
	assert_int_equal(parse_sysfs_entry_number("memory18446744073709551615", "memory", &n), 1);
	assert_int_equal(n, UINT64_MAX);
	/* Other entries of the directory. */
	assert_int_equal(parse_sysfs_entry_number("node", "node", &n), 0);
	assert_int_equal(parse_sysfs_entry_number("memory_tier4", "memory", &n), 0);
	assert_int_equal(parse_sysfs_entry_number("memory_side_cache", "memory", &n), 0);
	assert_int_equal(parse_sysfs_entry_number("node1x", "node", &n), 0);
	/* Numbered entries the kernel never makes are errors, not entries to skip. */
	assert_int_equal(parse_sysfs_entry_number("node01", "node", &n), -EINVAL);
	assert_int_equal(parse_sysfs_entry_number("memory18446744073709551616", "memory", &n), -ERANGE);
	assert_int_equal(parse_sysfs_entry_number("memory99999999999999999999", "memory", &n), -ERANGE);
}

/* Expect: a node or block directory name past the range is an error naming it as written. */
static void test_live_entry_names_past_the_range_are_errors(void **state)
{
	struct scratch_tree t;
	struct cm_error err = { 0 };
	char want[PATH_MAX];

	(void)state;
	scratch_create(&t);
	scratch_write(&t, "sys/devices/system/node/node99999/cpulist", "\n");
	snprintf(want, sizeof(want), "%s/sys/devices/system/node/node99999: expected node ids 0..63, "
		 "found 99999", t.root);
	assert_string_equal(load_error(t.root, &err), want);
	scratch_destroy(&t);

	scratch_create(&t);
	scratch_write(&t, "sys/devices/system/node/node99999999999999999999/cpulist", "\n");
	snprintf(want, sizeof(want), "%s/sys/devices/system/node/node99999999999999999999: expected node "
		 "ids 0..63, found 99999999999999999999", t.root);
	assert_string_equal(load_error(t.root, &err), want);
	scratch_destroy(&t);

	scratch_create(&t);
	scratch_write(&t, "sys/devices/system/node/node0/memory99999999999999999999", "");
	snprintf(want, sizeof(want), "%s/sys/devices/system/node/node0/memory99999999999999999999: "
		 "expected memoryN with N a block number below 2^64 without leading zeros, found "
		 "99999999999999999999", t.root);
	assert_string_equal(load_error(t.root, &err), want);
	scratch_destroy(&t);
}

/* Expect: a cpulist longer than a page (a bin attribute since Linux 5.15) is read whole. */
static void test_live_cpulist_longer_than_a_page_is_read_whole(void **state)
{
	struct scratch_tree t;
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };
	char list[32768];
	size_t len = 0;

	(void)state;
	for (unsigned int cpu = 0; cpu < CM_MAX_CPUS; cpu += 2)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%u", cpu ? "," : "", cpu);
	snprintf(list + len, sizeof(list) - len, "\n");
	assert_true(len > 4096);
	scratch_create(&t);
	scratch_write(&t, "sys/devices/system/node/node0/cpulist", list);
	assert_int_equal(cm_platform_from_live(t.root, NULL, 0, &p, &err), 0);
	assert_int_equal(cm_bitmap_weight(&p->nodes[0].cpus), CM_MAX_CPUS / 2);
	assert_true(cm_bitmap_test(&p->nodes[0].cpus, CM_MAX_CPUS - 2));
	cm_platform_free(p);
	scratch_destroy(&t);
}

/* Expect: the sysroot may end in '/'; messages name files below it. */
static void test_live_sysroot_trailing_slash(void **state)
{
	struct cm_error err = { 0 };

	(void)state;
	assert_string_equal(load_error(SYSROOT "bad-iomem//", &err),
			    SYSROOT "bad-iomem/proc/iomem:4: expected \" : \" after the end address, "
			    "found \"00100000-7fffffff System RAM\"");
}

/* Expect: a block whose range would end past 2^52 is an error naming its entry. */
static void test_live_memory_block_past_52_bits_is_error(void **state)
{
	struct scratch_tree t;
	struct cm_error err = { 0 };
	char want[PATH_MAX];

	(void)state;
	scratch_create(&t);
	scratch_write(&t, "sys/devices/system/node/node0/memory4194304", "");
	snprintf(want, sizeof(want), "%s/sys/devices/system/node/node0/memory4194304: expected a memory "
		 "block below the 52-bit physical limit, found block 4194304 of 0x40000000 bytes", t.root);
	assert_string_equal(load_error(t.root, &err), want);
	scratch_destroy(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_iomem_system_ram_is_usable),
		cmocka_unit_test(test_live_iomem_names_map_to_e820_types),
		cmocka_unit_test(test_live_iomem_other_entries_are_skipped),
		cmocka_unit_test(test_live_iomem_nested_entries_are_ignored),
		cmocka_unit_test(test_live_iomem_overlap_names_line),
		cmocka_unit_test(test_live_iomem_malformed_line_names_line),
		cmocka_unit_test(test_live_iomem_bad_lines_are_errors),
		cmocka_unit_test(test_live_node_memory_from_blocks),
		cmocka_unit_test(test_live_ram_ranges_are_page_trimmed),
		cmocka_unit_test(test_live_ram_outside_blocks_goes_to_node_below),
		cmocka_unit_test(test_live_cpulist_uses_list_syntax),
		cmocka_unit_test(test_live_distances_from_node_files),
		cmocka_unit_test(test_live_bad_distance_names_file),
		cmocka_unit_test(test_live_distance_values_are_checked),
		cmocka_unit_test(test_live_bad_cpulist_names_file),
		cmocka_unit_test(test_live_missing_distance_defaults),
		cmocka_unit_test(test_live_no_node_directory_means_one_node),
		cmocka_unit_test(test_live_memory_only_node_kind_from_backing),
		cmocka_unit_test(test_live_hidden_addresses_fall_back_to_blocks),
		cmocka_unit_test(test_live_hidden_addresses_detected),
		cmocka_unit_test(test_live_hidden_addresses_without_blocks_fail),
		cmocka_unit_test(test_live_missing_iomem_falls_back_to_blocks),
		cmocka_unit_test(test_live_phys_index_must_match_block),
		cmocka_unit_test(test_live_soft_reserved_becomes_hotplug_window),
		cmocka_unit_test(test_live_soft_reserved_without_blocks_gets_new_node),
		cmocka_unit_test(test_live_soft_reserved_smaller_than_block_is_skipped),
		cmocka_unit_test(test_live_no_cmrs_means_no_tdx),
		cmocka_unit_test(test_live_cmrs_enable_tdx_with_default_limits),
		cmocka_unit_test(test_live_too_many_cmrs_is_error),
		cmocka_unit_test(test_live_sgx_sizes_are_notes),
		cmocka_unit_test(test_live_block_size_from_sysfs),
		cmocka_unit_test(test_live_missing_block_size_defaults),
		cmocka_unit_test(test_live_sysfs_numbers_are_checked),
		cmocka_unit_test(test_live_entry_names_are_prefix_and_number),
		cmocka_unit_test(test_live_entry_names_past_the_range_are_errors),
		cmocka_unit_test(test_live_cpulist_longer_than_a_page_is_read_whole),
		cmocka_unit_test(test_live_sysroot_trailing_slash),
		cmocka_unit_test(test_live_memory_block_past_52_bits_is_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
