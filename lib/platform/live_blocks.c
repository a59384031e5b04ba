// SPDX-License-Identifier: MIT
/*
 * /sys/devices/system/memory for the live source: the block size, the
 * blocks each node lists, and the RAM given to nodes by block.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/live_internal.h"

int live_read_block_size(struct live_reader *r)
{
	struct cm_error reason = { 0 };
	char path[PATH_MAX];
	uint64_t size;
	int ret;

	ret = live_make_path(r, path, "/sys/devices/system/memory/block_size_bytes");
	if (ret)
		return ret;
	ret = live_read_sysfs_u64(r, path, SYSFS_HEX, &size);
	if (ret < 0)
		return ret;
	if (ret == 0) {
		r->block_size = CM_DEFAULT_BLOCK_SIZE;
		live_note(r, "%s missing; memory block size 0x%llx (the x86_64 default)", path,
			  CM_DEFAULT_BLOCK_SIZE);
		return 0;
	}
	if (cm_memory_block_size_check(size, &reason))
		return cm_error_set(r->err, -EINVAL, "%s: %s", path, reason.msg);
	r->block_size = size;
	return 0;
}

static int add_block(struct live_reader *r, const char *path, uint64_t id, int node)
{
	if (id >= CM_PHYS_LIMIT / r->block_size)
		return cm_error_set(r->err, -EINVAL, "%s: expected a memory block below the 52-bit "
				    "physical limit, found block %" PRIu64 " of 0x%" PRIx64 " bytes",
				    path, id, r->block_size);
	if (r->nr_blocks == r->blocks_capacity) {
		size_t capacity = r->blocks_capacity ? r->blocks_capacity * 2 : 64;
		struct live_block *blocks = realloc(r->blocks, capacity * sizeof(*blocks));

		if (!blocks)
			return cm_error_set(r->err, -ENOMEM, "%s: out of memory", path);
		r->blocks = blocks;
		r->blocks_capacity = capacity;
	}
	r->blocks[r->nr_blocks].id = id;
	r->blocks[r->nr_blocks].node = node;
	r->nr_blocks++;
	return 0;
}

/* phys_index of memory/memoryN, when the directory has one, must name block N. */
static int check_phys_index(struct live_reader *r, const char *name, uint64_t id)
{
	char path[PATH_MAX];
	uint64_t phys_index;
	int ret;

	ret = live_make_path(r, path, "/sys/devices/system/memory/%s/phys_index", name);
	if (ret)
		return ret;
	ret = live_read_sysfs_u64(r, path, SYSFS_HEX, &phys_index);
	if (ret == 1 && phys_index != id)
		return cm_error_set(r->err, -EINVAL, "%s: expected %" PRIx64 " (the block number of "
				    "%s), found %" PRIx64, path, id, name, phys_index);
	return ret < 0 ? ret : 0;
}

/*
 * The memoryN entries (symlinks in sysfs; files or directories in a
 * captured tree) of a node's directory, or with @node -1 of
 * /sys/devices/system/memory itself: that one may be missing, and its
 * entries' phys_index must match their names.
 */
int live_read_block_entries(struct live_reader *r, const char *dir_path, int node)
{
	char entry_path[PATH_MAX];
	struct dirent *entry;
	DIR *dir;
	int ret = 0;

	dir = opendir(dir_path);
	if (!dir) {
		if (node < 0 && errno == ENOENT)
			return 0;
		return cm_error_set(r->err, -errno, "%s: cannot list: %s", dir_path, strerror(errno));
	}
	while ((entry = readdir(dir))) {
		uint64_t id;

		ret = parse_sysfs_entry_number(entry->d_name, "memory", &id);
		if (ret == 0)
			continue;
		if (ret < 0) {
			ret = cm_error_set(r->err, -EINVAL, "%s/%s: expected memoryN with N a block number "
					   "below 2^64 without leading zeros, found %s", dir_path,
					   entry->d_name, entry->d_name + strlen("memory"));
			break;
		}
		ret = live_join_path(r, entry_path, dir_path, entry->d_name);
		if (!ret && node < 0)
			ret = check_phys_index(r, entry->d_name, id);
		if (!ret)
			ret = add_block(r, entry_path, id, node);
		if (ret)
			break;
	}
	closedir(dir);
	return ret;
}

/*
 * Without /proc/iomem addresses, every block in /sys/devices/system/memory
 * is RAM, including blocks no node directory lists.
 */
int live_read_memory_blocks(struct live_reader *r)
{
	char dir_path[PATH_MAX];
	int ret = live_make_path(r, dir_path, "/sys/devices/system/memory");

	return ret ? ret : live_read_block_entries(r, dir_path, -1);
}

/* By id; for one id, blocks with a node first, lowest node first. */
static int compare_blocks(const void *a, const void *b)
{
	const struct live_block *x = a, *y = b;
	unsigned int xn = (unsigned int)x->node, yn = (unsigned int)y->node;	/* -1 sorts last */

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (xn > yn) - (xn < yn);
}

/* Sort the blocks, keep one per id, and merge the blocks with a node into runs. */
int live_build_block_runs(struct live_reader *r)
{
	size_t kept = 0, nr_shared = 0;
	uint64_t first_shared = 0;
	int shared_nodes[2] = { 0, 0 };

	if (r->nr_blocks)
		qsort(r->blocks, r->nr_blocks, sizeof(*r->blocks), compare_blocks);
	for (size_t i = 0; i < r->nr_blocks; i++) {
		if (kept > 0 && r->blocks[kept - 1].id == r->blocks[i].id) {
			if (r->blocks[i].node >= 0 && r->blocks[i].node != r->blocks[kept - 1].node) {
				if (nr_shared++ == 0) {
					first_shared = r->blocks[i].id;
					shared_nodes[0] = r->blocks[kept - 1].node;
					shared_nodes[1] = r->blocks[i].node;
				}
			}
			continue;
		}
		r->blocks[kept++] = r->blocks[i];
	}
	r->nr_blocks = kept;
	if (nr_shared)
		live_note(r, "%zu memory block(s) listed under more than one node (first: memory%" PRIu64
			  " under nodes %d and %d); each given to its lowest node", nr_shared, first_shared,
			  shared_nodes[0], shared_nodes[1]);

	r->runs = malloc((r->nr_blocks ? r->nr_blocks : 1) * sizeof(*r->runs));
	if (!r->runs)
		return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	for (size_t i = 0; i < r->nr_blocks; i++) {
		const struct live_block *b = &r->blocks[i];
		struct block_run *last = r->nr_runs ? &r->runs[r->nr_runs - 1] : NULL;
		uint64_t start = b->id * r->block_size;

		if (b->node < 0)
			continue;
		if (last && last->node == b->node && last->end == start) {
			last->end += r->block_size;
			continue;
		}
		r->runs[r->nr_runs].start = start;
		r->runs[r->nr_runs].end = start + r->block_size;
		r->runs[r->nr_runs].node = b->node;
		r->nr_runs++;
	}
	return 0;
}

/* The RAM to give to nodes: System RAM page-trimmed, or every memory block. */
int live_collect_ram(struct live_reader *r, struct cm_range **out, size_t *nr_out)
{
	struct cm_range *ram;
	size_t n = 0, capacity = r->iomem_visible ? r->iomem.nr_entries : r->nr_blocks;

	ram = malloc((capacity ? capacity : 1) * sizeof(*ram));
	if (!ram)
		return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	if (r->iomem_visible) {
		for (size_t i = 0; i < r->iomem.nr_entries; i++) {
			const struct cm_e820_entry *e = &r->iomem.entries[i];
			uint64_t start = cm_align_up(e->start, CM_PAGE_SIZE);
			uint64_t end = cm_align_down(e->end, CM_PAGE_SIZE);

			if (e->type == CM_E820_USABLE && start < end) {
				ram[n].start = start;
				ram[n].end = end;
				n++;
			}
		}
	} else {
		for (size_t i = 0; i < r->nr_blocks; i++) {
			uint64_t start = r->blocks[i].id * r->block_size;

			if (n > 0 && ram[n - 1].end == start) {
				ram[n - 1].end += r->block_size;
				continue;
			}
			ram[n].start = start;
			ram[n].end = start + r->block_size;
			n++;
		}
	}
	*out = ram;
	*nr_out = n;
	return 0;
}

/* Append [start, end) to a node's memory, merging with its last range. */
static int give_to_node(struct live_reader *r, int node_id, uint64_t start, uint64_t end)
{
	int index = cm_platform_node_index(r->p, node_id);
	struct cm_node *n;

	if (index < 0)
		return cm_error_set(r->err, -EINVAL, "live: memory for node %d, which is not listed",
				    node_id);
	n = &r->p->nodes[index];
	if (n->nr_memory && n->memory[n->nr_memory - 1].end == start) {
		n->memory[n->nr_memory - 1].end = end;
		return 0;
	}
	if (cm_node_add_memory(n, start, end))
		return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	return 0;
}

/* RAM no node lists goes to the node of the nearest block below, else above, else the first node. */
static int fallback_node(const struct live_reader *r, size_t next_run)
{
	if (next_run > 0)
		return r->runs[next_run - 1].node;
	if (next_run < r->nr_runs)
		return r->runs[next_run].node;
	return r->p->nodes[0].id;
}

/* Split each RAM range over the node runs; both lists are sorted. */
int live_assign_ram(struct live_reader *r, const struct cm_range *ram, size_t nr_ram)
{
	size_t k = 0, nr_orphans = 0;
	uint64_t orphan_bytes = 0;
	struct cm_range first_orphan = { 0, 0 };
	int ret;

	for (size_t i = 0; i < nr_ram; i++) {
		uint64_t pos = ram[i].start;

		while (pos < ram[i].end) {
			uint64_t end;
			int node;

			while (k < r->nr_runs && r->runs[k].end <= pos)
				k++;
			if (k < r->nr_runs && r->runs[k].start <= pos) {
				end = r->runs[k].end < ram[i].end ? r->runs[k].end : ram[i].end;
				node = r->runs[k].node;
			} else {
				end = k < r->nr_runs && r->runs[k].start < ram[i].end ? r->runs[k].start :
											 ram[i].end;
				node = fallback_node(r, k);
				if (nr_orphans++ == 0) {
					first_orphan.start = pos;
					first_orphan.end = end;
				}
				orphan_bytes += end - pos;
			}
			ret = give_to_node(r, node, pos, end);
			if (ret)
				return ret;
			pos = end;
		}
	}
	if (nr_orphans && r->numa)
		live_note(r, "%zu RAM range(s) (0x%" PRIx64 " bytes; first [0x%" PRIx64 ", 0x%" PRIx64
			  ")) in no node's memory blocks; each given to the node of the nearest block below "
			  "(above when none is below; the lowest node when no node lists blocks)", nr_orphans, orphan_bytes, first_orphan.start,
			  first_orphan.end);
	return 0;
}
