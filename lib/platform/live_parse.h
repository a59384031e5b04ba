/* SPDX-License-Identifier: MIT */
/*
 * Parsers behind the live-machine source (live_parse.c): /proc/iomem and the
 * small sysfs files. They work on bytes in memory, not on files, so the
 * fuzz targets and unit tests call them without a filesystem. @path only
 * names the input in error messages ("PATH:LINE: expected ..., found ...").
 */
#ifndef CONFMEM_LIVE_PARSE_H
#define CONFMEM_LIVE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confmem/platform.h"
#include "confmem/util.h"

/* Longest /proc/iomem line accepted; the kernel's are far shorter. */
#define LIVE_IOMEM_LINE_MAX 512
/* A sysfs attribute is at most one page. */
#define LIVE_SYSFS_FILE_MAX 4096
/*
 * Except a CPU list, a bin attribute since Linux 5.15 so that a long list
 * is not cut at a page: room for every CPU of CM_MAX_CPUS listed alone.
 */
#define LIVE_CPULIST_FILE_MAX (CM_MAX_CPUS * sizeof("8191,"))

/*
 * The top-level entries of /proc/iomem that belong to the e820 model,
 * converted to half-open ranges. Entries of other names (PCI windows,
 * ROMs, APICs) and nested entries are checked for syntax and order but not
 * kept. When every entry reads 00000000-00000000 the kernel has hidden the
 * addresses from an unprivileged reader: @addresses_hidden is set and
 * @entries is empty.
 */
struct iomem_map {
	struct cm_e820_entry *entries;
	size_t nr_entries;
	size_t capacity;		/* of @entries, doubled as it fills */
	size_t nr_lines;		/* entries of any depth */
	bool addresses_hidden;
};

/* Parse the text of /proc/iomem into @map (zeroed first); free with iomem_map_free(). */
int parse_iomem_text(const char *text, size_t len, const char *path, struct iomem_map *map,
		     struct cm_error *err);
void iomem_map_free(struct iomem_map *map);

/* The e820 type of a top-level /proc/iomem name; -ENOENT for names outside the model. */
int iomem_name_to_e820_type(const char *name, size_t len, enum cm_e820_type *type);

enum sysfs_number_base {
	SYSFS_DECIMAL = 10,
	SYSFS_HEX = 16,		/* no 0x prefix, as block_size_bytes and phys_index */
};

/* A one-value file: one number and at most one trailing newline. */
int parse_sysfs_u64_text(const char *text, size_t len, enum sysfs_number_base base,
			 const char *path, uint64_t *out, struct cm_error *err);

/* A list file (cpulist, cpu/online) in the kernel's list syntax into @set (initialised by the caller). */
int parse_sysfs_list_text(const char *text, size_t len, const char *path, struct cm_bitmap *set,
			  struct cm_error *err);

/*
 * A node's distance file: exactly @nr_nodes numbers separated by spaces,
 * one per online node in id order; the node's own column (@self_index)
 * must be 10 and the others 11..255 (255: unreachable).
 */
int parse_sysfs_distance_text(const char *text, size_t len, const char *path, size_t self_index,
			      size_t nr_nodes, unsigned int *row, struct cm_error *err);

/*
 * A directory entry named PREFIX followed by decimal digits ("node3",
 * "memory42"): 1 with the number in @out; 0 for any other name
 * ("memory_tier4", "node"); -ERANGE for a number past 64 bits and -EINVAL
 * for leading zeros ("node01"), which the kernel never writes: such a
 * name is an error, not an entry to skip.
 */
int parse_sysfs_entry_number(const char *name, const char *prefix, uint64_t *out);

#endif /* CONFMEM_LIVE_PARSE_H */
