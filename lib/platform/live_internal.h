/* SPDX-License-Identifier: MIT */
/*
 * The live-machine reader's pieces (live*.c), by what they read:
 *   live.c         the driver, file access below the sysroot, --cmrs
 *   live_iomem.c   /proc/iomem: the e820 map, Soft Reserved windows
 *   live_nodes.c   /sys/devices/system/node: nodes, CPUs, distances, SGX
 *   live_blocks.c  /sys/devices/system/memory: blocks, and RAM to nodes
 *   live_parse.c   the parsers on bytes (live_parse.h)
 */
#ifndef CONFMEM_LIVE_INTERNAL_H
#define CONFMEM_LIVE_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confmem/platform.h"
#include "platform/live_parse.h"

/* Largest /proc/iomem accepted (a big server's is a few hundred KiB). */
#define LIVE_IOMEM_FILE_MAX (8U << 20)
/* The kernel's REMOTE_DISTANCE. */
#define LIVE_REMOTE_DISTANCE 20

/* A memory block listed in sysfs and the node directory that lists it. */
struct live_block {
	uint64_t id;
	int node;		/* -1: listed in no node directory */
};

/* A run of consecutive blocks of one node, as an address range. */
struct block_run {
	uint64_t start;
	uint64_t end;
	int node;
};

struct live_node {
	int id;
	struct cm_bitmap cpus;
	int package;		/* of its first CPU; -1 when not known or memory-only */
	unsigned int *distance;	/* one entry per sysfs node; NULL when the file is missing */
};

struct live_reader {
	char root[PATH_MAX];		/* sysroot without trailing '/'; "" for "/" */
	char iomem_path[PATH_MAX];
	struct cm_platform *p;
	struct cm_error *err;

	uint64_t block_size;
	struct iomem_map iomem;
	bool iomem_visible;		/* addresses readable: the map is the truth */
	char iomem_problem[CM_ERR_MSG_MAX];	/* why not, when it is not */

	bool numa;			/* the node directory exists and lists nodes */
	struct live_node *nodes;	/* sorted by id */
	size_t nr_nodes;

	struct live_block *blocks;	/* sorted by id, one per block */
	size_t nr_blocks;
	size_t blocks_capacity;
	struct block_run *runs;		/* blocks with a node, merged */
	size_t nr_runs;
};

/* live.c: notes and files below the sysroot. */
void live_note(struct live_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int live_make_path(const struct live_reader *r, char *buf, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int live_join_path(const struct live_reader *r, char *buf, const char *dir, const char *name);
int live_read_text_file(const char *path, size_t max_bytes, char **text, size_t *len,
			struct cm_error *err);
bool live_is_missing(int ret);
/*
 * The one-number sysfs file @path: 1 with the number in @value, 0 when the
 * file is missing (nothing left in r->err), or a negative errno.
 */
int live_read_sysfs_u64(struct live_reader *r, const char *path, enum sysfs_number_base base,
			uint64_t *value);

/* live_iomem.c */
int live_read_iomem(struct live_reader *r);
int live_add_soft_reserved_windows(struct live_reader *r);
int live_add_e820(struct live_reader *r);

/* live_nodes.c */
int live_read_numa_nodes(struct live_reader *r);
int live_read_single_node(struct live_reader *r);
int live_create_nodes(struct live_reader *r);
void live_set_node_kind(struct live_reader *r, struct cm_node *n);
int live_build_distances(struct live_reader *r);
int live_note_sgx(struct live_reader *r);

/* live_blocks.c */
int live_read_block_size(struct live_reader *r);
int live_read_block_entries(struct live_reader *r, const char *dir_path, int node);
int live_read_memory_blocks(struct live_reader *r);
int live_build_block_runs(struct live_reader *r);
int live_collect_ram(struct live_reader *r, struct cm_range **out, size_t *nr_out);
int live_assign_ram(struct live_reader *r, const struct cm_range *ram, size_t nr_ram);

#endif /* CONFMEM_LIVE_INTERNAL_H */
