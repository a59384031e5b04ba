// SPDX-License-Identifier: MIT
/*
 * Built-in platforms (SPEC 1). Each is described in docs/platforms.md and
 * dumped under examples/ (confmem --preset NAME --dump-platform).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "confmem/platform.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)

struct builder {
	struct cm_platform *p;
	int ret;
};

/* A node; @package is the physical package (socket) of its CPUs, -1 for a memory-only node. */
static struct cm_node *node(struct builder *b, int id, enum cm_node_kind kind, const char *cpus, int package)
{
	struct cm_node *n = cm_platform_add_node(b->p, id, kind);

	if (!n) {
		b->ret = -ENOMEM;
		return NULL;
	}
	if (cpus && cm_bitmap_parse_list(&n->cpus, cpus, NULL))
		b->ret = -EINVAL;
	n->package = package;
	return n;
}

/* Nodes move when more are added: look them up after creating them all. */
static struct cm_node *node_at(struct builder *b, size_t i)
{
	return b->ret || i >= b->p->nr_nodes ? NULL : &b->p->nodes[i];
}

static void ram(struct builder *b, struct cm_node *n, uint64_t start, uint64_t end)
{
	if (!b->ret && n && cm_node_add_memory(n, start, end))
		b->ret = -ENOMEM;
}

static void e820(struct builder *b, uint64_t start, uint64_t end, enum cm_e820_type type)
{
	if (!b->ret && cm_platform_add_e820(b->p, start, end, type))
		b->ret = -ENOMEM;
}

/* Usable RAM that is also the node's boot RAM. */
static void usable(struct builder *b, struct cm_node *n, uint64_t start, uint64_t end)
{
	e820(b, start, end, CM_E820_USABLE);
	ram(b, n, start, end);
}

static void cmr(struct builder *b, uint64_t start, uint64_t end)
{
	if (cm_platform_add_cmr(b->p, start, end))
		b->ret = -ENOSPC;
}

static void epc(struct builder *b, uint64_t start, uint64_t size, int nid)
{
	struct cm_epc_section section = { .start = start, .size = size, .node = nid };

	if (cm_platform_add_epc(b->p, &section))
		b->ret = -ENOSPC;
}

static void window(struct builder *b, uint64_t start, uint64_t size, int nid)
{
	struct cm_hotplug_window w = { .start = start, .size = size, .node = nid, .convertible = false };

	if (!b->ret && cm_platform_add_hotplug(b->p, &w))
		b->ret = -ENOMEM;
}

static void distances(struct builder *b, const unsigned int *d, size_t n)
{
	if (b->ret || cm_platform_default_distances(b->p)) {
		b->ret = b->ret ? b->ret : -ENOMEM;
		return;
	}
	memcpy(b->p->distance, d, n * n * sizeof(*d));
}

static void hmat(struct cm_node *n, uint32_t latency_ns, uint32_t bandwidth_mbps)
{
	if (!n)
		return;
	n->hmat.present = true;
	n->hmat.read_latency_ns = n->hmat.write_latency_ns = latency_ns;
	n->hmat.read_bandwidth_mbps = n->hmat.write_bandwidth_mbps = bandwidth_mbps;
}

/* The legacy holes every PC keeps below 1 MiB. */
static void low_megabyte(struct builder *b, struct cm_node *n)
{
	usable(b, n, 0, 0x9f000);
	e820(b, 0x9f000, 0x100000, CM_E820_RESERVED);
}

/*
 * default: two sockets, each one DRAM node with 32 CPUs inside the CMRs,
 * and one CXL memory-only node per socket whose memory firmware reports
 * soft-reserved (hot-add windows, outside the CMRs). EPC on both sockets.
 */
static void build_default(struct builder *b)
{
	static const unsigned int d[16] = {
		10, 21, 14, 24,
		21, 10, 24, 14,
		14, 24, 10, 26,
		24, 14, 26, 10,
	};
	struct cm_node *n0, *n1, *n2, *n3;

	node(b, 0, CM_NODE_DRAM, "0-31", 0);
	node(b, 1, CM_NODE_DRAM, "32-63", 1);
	node(b, 2, CM_NODE_CXL, "", -1);
	node(b, 3, CM_NODE_CXL, "", -1);
	n0 = node_at(b, 0);
	n1 = node_at(b, 1);
	n2 = node_at(b, 2);
	n3 = node_at(b, 3);

	low_megabyte(b, n0);
	usable(b, n0, 0x100000, 0x6a000000);
	e820(b, 0x6a000000, 0x6a800000, CM_E820_ACPI);
	e820(b, 0x6a800000, 0x6c000000, CM_E820_NVS);
	usable(b, n0, 0x6c000000, 0x6f800000);
	e820(b, 0x6f800000, 0x80000000, CM_E820_RESERVED);
	e820(b, 0xfe000000, 0x100000000, CM_E820_RESERVED);
	usable(b, n0, 4 * GiB, 258 * GiB);
	e820(b, 258 * GiB, 260 * GiB, CM_E820_RESERVED);	/* socket 0 PRM: EPC */
	usable(b, n1, 260 * GiB, 516 * GiB);
	e820(b, 516 * GiB, 518 * GiB, CM_E820_RESERVED);	/* socket 1 PRM: EPC */
	e820(b, 1024 * GiB, 1152 * GiB, CM_E820_SOFT_RESERVED);
	e820(b, 1152 * GiB, 1280 * GiB, CM_E820_SOFT_RESERVED);

	hmat(n0, 80, 150000);
	hmat(n1, 80, 150000);
	hmat(n2, 250, 30000);
	hmat(n3, 250, 30000);
	distances(b, d, 4);

	b->p->tdx.enabled = true;
	cmr(b, 0x100000, 0x6f800000);
	cmr(b, 4 * GiB, 258 * GiB);
	cmr(b, 260 * GiB, 516 * GiB);
	epc(b, 258 * GiB, 2 * GiB, 0);
	epc(b, 516 * GiB, 2 * GiB, 1);
	window(b, 1024 * GiB, 128 * GiB, 2);
	window(b, 1152 * GiB, 128 * GiB, 3);
}

/* single: one socket, DRAM only, the classic holes of a small machine. */
static void build_single(struct builder *b)
{
	struct cm_node *n0 = node(b, 0, CM_NODE_DRAM, "0-7", 0);	/* the only node: stays put */

	low_megabyte(b, n0);
	usable(b, n0, 0x100000, 0x9d7c6000);
	e820(b, 0x9d7c6000, 0x9d7f6000, CM_E820_RESERVED);
	usable(b, n0, 0x9d7f6000, 0xa9c38000);
	e820(b, 0xa9c38000, 0xaa34f000, CM_E820_NVS);
	e820(b, 0xaa34f000, 0xaa4b1000, CM_E820_ACPI);
	usable(b, n0, 0xaa4b1000, 0xb8000000);
	e820(b, 0xb8000000, 0xc0000000, CM_E820_RESERVED);	/* PRM: EPC */
	e820(b, 0xfed00000, 0xfee01000, CM_E820_RESERVED);
	usable(b, n0, 4 * GiB, 0x440000000);

	b->p->tdx.enabled = true;
	cmr(b, 0x100000, 0xb8000000);
	cmr(b, 4 * GiB, 0x440000000);
	epc(b, 0xb8000000, 64 * MiB, 0);
}

/*
 * big: eight sockets, two SNC nodes each (16 nodes, 448 CPUs). Every node
 * has several RAM ranges separated by 2 GiB MMIO windows, so TDMRs come
 * close to the module's 64, and memory below 4 GiB is fragmented so its
 * TDMR comes close to 16 reserved areas.
 */
static void build_big(struct builder *b)
{
	static const uint64_t low[][2] = {
		{ 0x100000, 0x08000000 }, { 0x08200000, 0x10000000 }, { 0x10400000, 0x18000000 },
		{ 0x18600000, 0x20000000 }, { 0x20800000, 0x28000000 }, { 0x28a00000, 0x30000000 },
		{ 0x30c00000, 0x38000000 }, { 0x38e00000, 0x40000000 }, { 0x41000000, 0x48000000 },
		{ 0x49200000, 0x50000000 }, { 0x51400000, 0x58000000 }, { 0x59600000, 0x60000000 },
	};
	unsigned int d[16 * 16];
	struct cm_node *nodes[16];
	uint64_t addr = 4 * GiB;
	char cpus[32];

	for (int i = 0; i < 16; i++) {
		snprintf(cpus, sizeof(cpus), "%d-%d", 28 * i, 28 * i + 27);
		node(b, i, CM_NODE_DRAM, cpus, i / 2);	/* two SNC nodes per package */
	}
	for (int i = 0; i < 16; i++)
		nodes[i] = node_at(b, (size_t)i);
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 16; j++)
			d[i * 16 + j] = i == j ? 10 : i / 2 == j / 2 ? 12 : i / 8 == j / 8 ? 21 : 32;
	distances(b, d, 16);

	b->p->tdx.enabled = true;
	low_megabyte(b, nodes[0]);
	for (size_t k = 0; k < sizeof(low) / sizeof(low[0]); k++) {
		if (k > 0)
			e820(b, low[k - 1][1], low[k][0], k % 3 ? CM_E820_RESERVED : CM_E820_ACPI);
		usable(b, nodes[0], low[k][0], low[k][1]);
	}
	e820(b, 0x60000000, 0x100000000, CM_E820_RESERVED);
	cmr(b, 0x100000, 0x60000000);

	for (int socket = 0; socket < 8; socket++) {
		uint64_t socket_start = addr;

		for (int half = 0; half < 2; half++) {
			int nid = 2 * socket + half;
			int nr_ranges = nid < 12 ? 4 : 3;

			for (int r = 0; r < nr_ranges; r++) {
				usable(b, nodes[nid], addr, addr + 30 * GiB);
				e820(b, addr + 30 * GiB, addr + 32 * GiB, CM_E820_RESERVED);
				addr += 32 * GiB;
			}
		}
		cmr(b, socket_start, addr - 2 * GiB);
		/* The socket's last MMIO window holds its EPC. */
		epc(b, addr - 2 * GiB, 1 * GiB, 2 * socket);
	}
}

/*
 * mixed: node 1 has one RAM range inside the CMRs and one outside (DIMMs
 * that cannot do TDX), so strict TDX refuses and exclude drops that range.
 */
static void build_mixed(struct builder *b)
{
	static const unsigned int d[4] = { 10, 21, 21, 10 };
	struct cm_node *n0, *n1;

	node(b, 0, CM_NODE_DRAM, "0-15", 0);
	node(b, 1, CM_NODE_DRAM, "16-31", 1);
	n0 = node_at(b, 0);
	n1 = node_at(b, 1);

	low_megabyte(b, n0);
	usable(b, n0, 0x100000, 0x70000000);
	e820(b, 0x70000000, 0x100000000, CM_E820_RESERVED);
	usable(b, n0, 4 * GiB, 64 * GiB);
	usable(b, n1, 64 * GiB, 96 * GiB);
	e820(b, 96 * GiB, 100 * GiB, CM_E820_RESERVED);
	usable(b, n1, 100 * GiB, 128 * GiB);
	distances(b, d, 2);

	b->p->tdx.enabled = true;
	cmr(b, 0x100000, 0x70000000);
	cmr(b, 4 * GiB, 96 * GiB);
	epc(b, 96 * GiB, 1 * GiB, 1);
}

static const struct {
	struct cm_preset_info info;
	void (*build)(struct builder *b);
} presets[] = {
	{ { "default", "two sockets: DRAM nodes 0-1 inside the CMRs, CXL nodes 2-3 as soft-reserved hot-add windows, EPC on both" },
	  build_default },
	{ { "single", "one socket, DRAM only, the classic low-memory holes, a small EPC" }, build_single },
	{ { "big", "eight sockets, 16 SNC nodes, fragmented memory close to the module's TDMR and reserved-area limits" },
	  build_big },
	{ { "mixed", "node 1 has RAM inside and outside the CMRs: strict TDX refuses, tdx.mixed=exclude boots" },
	  build_mixed },
};

size_t cm_preset_count(void)
{
	return sizeof(presets) / sizeof(presets[0]);
}

const struct cm_preset_info *cm_preset_info(size_t i)
{
	return i < cm_preset_count() ? &presets[i].info : NULL;
}

int cm_platform_from_preset(const char *name, struct cm_platform **out, struct cm_error *err)
{
	struct builder b = { 0 };
	char source[80];

	*out = NULL;
	for (size_t i = 0; i < cm_preset_count(); i++) {
		if (strcmp(presets[i].info.name, name))
			continue;
		b.p = cm_platform_new();
		if (!b.p)
			return cm_error_set(err, -ENOMEM, "out of memory");
		snprintf(b.p->name, sizeof(b.p->name), "%s", name);
		presets[i].build(&b);
		snprintf(source, sizeof(source), "preset %s", name);
		if (b.ret)
			cm_error_set(err, b.ret, "%s: cannot build (error %d)", source, b.ret);
		else
			b.ret = cm_platform_finalize(b.p, source, err);
		if (b.ret) {
			cm_platform_free(b.p);
			return b.ret;
		}
		*out = b.p;
		return 0;
	}
	return cm_error_set(err, -EINVAL, "unknown preset \"%s\"", name);
}
