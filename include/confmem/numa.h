/* SPDX-License-Identifier: MIT */
/*
 * Per-node encryption capability (SPEC 4).
 */
#ifndef CONFMEM_NUMA_H
#define CONFMEM_NUMA_H

#include <stdbool.h>
#include <stdint.h>

#include "confmem/platform.h"
#include "confmem/tdx.h"

struct cm_node_capability {
	int node;
	bool crypto_capable;		/* has memory, all of its boot RAM inside the CMRs */
	unsigned int nr_regions_encryptable;
	unsigned int nr_regions_not_encryptable;
	bool tdx_memory;		/* its memory is TDX memory after init */
	uint64_t tdx_memory_bytes;
	uint64_t pamt_bytes;		/* PAMT blocks allocated on this node */
};

/*
 * One entry per platform node, in node order. @plan may be NULL (no plan).
 * Mixed nodes log "Node N has A regions that are encryptable and B regions
 * that aren't" into @log.
 */
int cm_node_capabilities(const struct cm_platform *p, const struct cm_tdx_plan *plan,
			 struct cm_node_capability **out, struct cm_log *log);

/* The capable nodes as a bitmap of node ids (caller frees with cm_bitmap_free). */
int cm_capable_nodemask(const struct cm_node_capability *caps, size_t nr, struct cm_bitmap *mask);

#endif /* CONFMEM_NUMA_H */
