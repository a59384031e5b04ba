// SPDX-License-Identifier: MIT
/*
 * /sys/devices/system/node for the live source: the nodes, their CPUs and
 * distances, the kind of a memory-only node, and their SGX EPC sizes.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/live_internal.h"

static int read_cpulist(struct live_reader *r, const char *path, struct cm_bitmap *cpus)
{
	char *text;
	size_t len;
	int ret;

	ret = live_read_text_file(path, LIVE_CPULIST_FILE_MAX, &text, &len, r->err);
	if (ret)
		return ret;
	ret = parse_sysfs_list_text(text, len, path, cpus, r->err);
	free(text);
	return ret;
}

/*
 * The physical package (socket) of the node's first CPU, from
 * cpuN/topology/physical_package_id; -1 for a memory-only node, and with a
 * note when the file is missing or says -1 (the kernel does not know).
 */
static int read_package(struct live_reader *r, struct live_node *n)
{
	char path[PATH_MAX], *text;
	unsigned int cpu = 0;
	uint64_t id;
	size_t len;
	int ret;

	n->package = -1;
	while (cpu < n->cpus.nbits && !cm_bitmap_test(&n->cpus, cpu))
		cpu++;
	if (cpu == n->cpus.nbits)
		return 0;
	ret = live_make_path(r, path, "/sys/devices/system/cpu/cpu%u/topology/physical_package_id", cpu);
	if (!ret)
		ret = live_read_text_file(path, LIVE_SYSFS_FILE_MAX, &text, &len, r->err);
	if (live_is_missing(ret)) {
		cm_error_clear(r->err);
		live_note(r, "%s missing; node %d's package not known", path, n->id);
		return 0;
	}
	if (ret)
		return ret;
	if (len >= 2 && !strncmp(text, "-1", 2))
		live_note(r, "%s says -1; node %d's package not known", path, n->id);
	else if (!(ret = parse_sysfs_u64_text(text, len, SYSFS_DECIMAL, path, &id, r->err)) && id > CM_MAX_PACKAGE)
		ret = cm_error_set(r->err, -EINVAL, "%s: expected a package id at most %d, found %" PRIu64, path,
				   CM_MAX_PACKAGE, id);
	else if (!ret)
		n->package = (int)id;
	free(text);
	return ret;
}

static int compare_node_ids(const void *a, const void *b)
{
	const struct live_node *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* The nodeN directories; none at all means a kernel without NUMA. */
static int list_nodes(struct live_reader *r, const char *node_dir)
{
	struct dirent *entry;
	DIR *dir;
	int ret = 0;

	dir = opendir(node_dir);
	if (!dir) {
		if (errno == ENOENT)
			return 0;
		return cm_error_set(r->err, -errno, "%s: cannot list: %s", node_dir, strerror(errno));
	}
	while ((entry = readdir(dir))) {
		struct live_node *nodes;
		uint64_t id;

		ret = parse_sysfs_entry_number(entry->d_name, "node", &id);
		if (ret == 0)
			continue;
		if (ret < 0 || id >= CM_MAX_NUMNODES) {
			/* The id as the directory name writes it. */
			ret = cm_error_set(r->err, -EINVAL, "%s/%s: expected node ids 0..%d, found %s",
					   node_dir, entry->d_name, CM_MAX_NUMNODES - 1,
					   entry->d_name + strlen("node"));
			break;
		}
		ret = 0;
		/* A directory names each id once: room for every id at the first. */
		if (!r->nodes)
			r->nodes = calloc(CM_MAX_NUMNODES, sizeof(*r->nodes));
		if (!r->nodes) {
			ret = cm_error_set(r->err, -ENOMEM, "%s: out of memory", node_dir);
			break;
		}
		nodes = r->nodes;
		nodes[r->nr_nodes].id = (int)id;
		r->nr_nodes++;
		if (cm_bitmap_init(&nodes[r->nr_nodes - 1].cpus, CM_MAX_CPUS)) {
			ret = cm_error_set(r->err, -ENOMEM, "%s: out of memory", node_dir);
			break;
		}
	}
	closedir(dir);
	if (ret)
		return ret;
	if (r->nr_nodes)
		qsort(r->nodes, r->nr_nodes, sizeof(*r->nodes), compare_node_ids);
	return 0;
}

/* Every distance file, or none: a partial matrix is not usable. */
static int read_distances(struct live_reader *r)
{
	char path[PATH_MAX], *text;
	size_t len;
	int ret;

	for (size_t i = 0; i < r->nr_nodes; i++) {
		struct live_node *n = &r->nodes[i];

		ret = live_make_path(r, path, "/sys/devices/system/node/node%d/distance", n->id);
		if (ret)
			return ret;
		ret = live_read_text_file(path, LIVE_SYSFS_FILE_MAX, &text, &len, r->err);
		if (live_is_missing(ret)) {
			cm_error_clear(r->err);
			live_note(r, "%s missing; distances default (10 local, %d remote)", path,
				  LIVE_REMOTE_DISTANCE);
			for (size_t j = 0; j < i; j++) {
				free(r->nodes[j].distance);
				r->nodes[j].distance = NULL;
			}
			return 0;
		}
		if (ret)
			return ret;
		n->distance = calloc(r->nr_nodes, sizeof(*n->distance));
		if (!n->distance) {
			free(text);
			return cm_error_set(r->err, -ENOMEM, "%s: out of memory", path);
		}
		ret = parse_sysfs_distance_text(text, len, path, i, r->nr_nodes, n->distance, r->err);
		free(text);
		if (ret)
			return ret;
	}
	return 0;
}

int live_read_numa_nodes(struct live_reader *r)
{
	char node_dir[PATH_MAX], path[PATH_MAX];
	int ret;

	ret = live_make_path(r, node_dir, "/sys/devices/system/node");
	if (ret)
		return ret;
	ret = list_nodes(r, node_dir);
	if (ret || r->nr_nodes == 0)
		return ret;
	r->numa = true;
	for (size_t i = 0; i < r->nr_nodes; i++) {
		struct live_node *n = &r->nodes[i];

		ret = live_make_path(r, path, "/sys/devices/system/node/node%d/cpulist", n->id);
		if (!ret)
			ret = read_cpulist(r, path, &n->cpus);
		if (!ret)
			ret = read_package(r, n);
		if (!ret)
			ret = live_make_path(r, path, "/sys/devices/system/node/node%d", n->id);
		if (!ret)
			ret = live_read_block_entries(r, path, n->id);
		if (ret)
			return ret;
	}
	return read_distances(r);
}

/* A kernel without NUMA: one node 0 with every online CPU. */
int live_read_single_node(struct live_reader *r)
{
	char path[PATH_MAX];
	int ret;

	r->nodes = calloc(1, sizeof(*r->nodes));
	if (!r->nodes || cm_bitmap_init(&r->nodes[0].cpus, CM_MAX_CPUS))
		return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	r->nr_nodes = 1;
	ret = live_make_path(r, path, "/sys/devices/system/node");
	if (ret)
		return ret;
	live_note(r, "%s lists no nodes (a kernel without NUMA); all memory on node 0", path);
	ret = live_make_path(r, path, "/sys/devices/system/cpu/online");
	if (ret)
		return ret;
	ret = read_cpulist(r, path, &r->nodes[0].cpus);
	if (live_is_missing(ret)) {
		cm_error_clear(r->err);
		cm_bitmap_set(&r->nodes[0].cpus, 0);
		live_note(r, "%s missing; node 0 given CPU 0", path);
		ret = 0;
	}
	return ret ? ret : read_package(r, &r->nodes[0]);
}

/* Does any block run of @node overlap an iomem entry of @type? */
static bool node_blocks_have_type(const struct live_reader *r, int node, enum cm_e820_type type)
{
	for (size_t k = 0; k < r->nr_runs; k++) {
		if (r->runs[k].node != node)
			continue;
		for (size_t i = 0; i < r->iomem.nr_entries; i++) {
			const struct cm_e820_entry *e = &r->iomem.entries[i];

			if (e->type == type && e->start < r->runs[k].end && r->runs[k].start < e->end)
				return true;
		}
	}
	return false;
}

/* dram with CPUs; a memory-only node is cxl or pmem by what backs its blocks. */
void live_set_node_kind(struct live_reader *r, struct cm_node *n)
{
	if (cm_node_has_cpus(n)) {
		n->kind = CM_NODE_DRAM;
	} else if (r->iomem_visible && node_blocks_have_type(r, n->id, CM_E820_SOFT_RESERVED)) {
		n->kind = CM_NODE_CXL;
		live_note(r, "node %d has no CPUs and its memory blocks are Soft Reserved: kind cxl", n->id);
	} else if (r->iomem_visible && node_blocks_have_type(r, n->id, CM_E820_PMEM)) {
		n->kind = CM_NODE_PMEM;
		live_note(r, "node %d has no CPUs and its memory blocks are Persistent Memory: kind pmem",
			  n->id);
	} else if (r->iomem_visible) {
		n->kind = CM_NODE_DRAM;
		live_note(r, "node %d has no CPUs and no Soft Reserved or Persistent Memory blocks: kind dram",
			  n->id);
	} else {
		n->kind = CM_NODE_DRAM;
		live_note(r, "node %d has no CPUs; kind dram (what backs its memory is hidden with the "
			  "/proc/iomem addresses)", n->id);
	}
}

int live_create_nodes(struct live_reader *r)
{
	for (size_t i = 0; i < r->nr_nodes; i++) {
		struct cm_node *n = cm_platform_add_node(r->p, r->nodes[i].id, CM_NODE_DRAM);

		if (!n)
			return cm_error_set(r->err, -ENOMEM, "live: out of memory");
		cm_bitmap_free(&n->cpus);
		n->cpus = r->nodes[i].cpus;	/* moved */
		n->package = r->nodes[i].package;
		r->nodes[i].cpus.words = NULL;
		r->nodes[i].cpus.nbits = 0;
	}
	return 0;
}

/*
 * The sysfs matrix, extended for nodes made for Soft Reserved windows:
 * those are as far from every node as the farthest pair sysfs shows.
 */
int live_build_distances(struct live_reader *r)
{
	struct cm_platform *p = r->p;
	size_t n = p->nr_nodes;
	unsigned int farthest = LIVE_REMOTE_DISTANCE;

	if (!r->numa || !r->nodes[0].distance)
		return cm_platform_default_distances(p) ?
			cm_error_set(r->err, -ENOMEM, "live: out of memory") : 0;
	p->distance = malloc(n * n * sizeof(*p->distance));
	if (!p->distance)
		return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	for (size_t i = 0; i < r->nr_nodes; i++)
		for (size_t j = 0; j < r->nr_nodes; j++)
			if (r->nodes[i].distance[j] > farthest)
				farthest = r->nodes[i].distance[j];
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			unsigned int d = farthest;

			if (i == j)
				d = 10;
			else if (i < r->nr_nodes && j < r->nr_nodes)
				d = r->nodes[i].distance[j];
			p->distance[i * n + j] = d;
		}
	}
	if (n > r->nr_nodes)
		live_note(r, "nodes made for Soft Reserved memory are at distance %u (the farthest in /sys) "
			  "from every other node", farthest);
	return 0;
}

/* The kernel shows EPC sizes per node, not addresses: record them as notes. */
int live_note_sgx(struct live_reader *r)
{
	char path[PATH_MAX];
	uint64_t bytes;
	int ret;

	for (size_t i = 0; r->numa && i < r->nr_nodes; i++) {
		ret = live_make_path(r, path, "/sys/devices/system/node/node%d/x86/sgx_total_bytes",
				     r->nodes[i].id);
		if (!ret)
			ret = live_read_sysfs_u64(r, path, SYSFS_DECIMAL, &bytes);
		if (ret < 0)
			return ret;
		if (ret == 0)
			continue;
		live_note(r, "node %d has %" PRIu64 " bytes of SGX EPC (%s); the kernel does not show EPC "
			  "addresses, so no EPC sections are modelled", r->nodes[i].id, bytes, path);
	}
	return 0;
}
