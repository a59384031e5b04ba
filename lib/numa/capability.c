// SPDX-License-Identifier: MIT
/*
 * Node encryption capability (SPEC 4): a node is crypto_capable when it
 * has memory and every boot-time RAM region of it lies inside the CMRs.
 * Regions are clamped to start at 1 MiB, as the TDX memory list is: the
 * legacy first megabyte never counts against a node.
 * This is a property of the platform, whatever TDX initialisation did;
 * tdx_memory says whether the node's memory became TDX memory.
 */
#include <errno.h>
#include <stdlib.h>

#include "confmem/numa.h"

int cm_node_capabilities(const struct cm_platform *p, const struct cm_tdx_plan *plan,
			 struct cm_node_capability **out, struct cm_log *log)
{
	struct cm_node_capability *caps = calloc(p->nr_nodes ? p->nr_nodes : 1, sizeof(*caps));
	struct cm_range cmrs[CM_MAX_CMRS];
	unsigned int nr_cmrs = 0;
	struct cm_error cmr_err;

	if (!caps)
		return -ENOMEM;
	/* A broken CMR list makes nothing convertible. */
	if (p->tdx.enabled && cm_tdx_check_cmrs(p->tdx.cmrs, p->tdx.nr_cmrs, cmrs, &nr_cmrs, &cmr_err))
		nr_cmrs = 0;
	for (size_t i = 0; i < p->nr_nodes; i++) {
		const struct cm_node *n = &p->nodes[i];
		struct cm_node_capability *c = &caps[i];

		c->node = n->id;
		for (size_t j = 0; j < n->nr_memory; j++) {
			/* The first 1 MiB is never TDX memory, as in the memory list. */
			uint64_t start = n->memory[j].start < CM_SZ_1M ? CM_SZ_1M : n->memory[j].start;

			if (start >= n->memory[j].end)
				continue;
			if (cm_tdx_cmrs_contain(cmrs, nr_cmrs, start, n->memory[j].end))
				c->nr_regions_encryptable++;
			else
				c->nr_regions_not_encryptable++;
		}
		c->crypto_capable = c->nr_regions_encryptable > 0 && c->nr_regions_not_encryptable == 0;
		if (c->nr_regions_encryptable && c->nr_regions_not_encryptable && log)
			cm_log_add(log, CM_LOG_WARN, "Node %d has %u regions that are encryptable and %u regions "
				   "that aren't", n->id, c->nr_regions_encryptable, c->nr_regions_not_encryptable);
		if (plan) {
			c->tdx_memory_bytes = cm_tdx_plan_node_memory(plan, n->id);
			c->tdx_memory = c->tdx_memory_bytes > 0;
			c->pamt_bytes = plan->result == CM_TDX_INITIALIZED ? cm_tdx_plan_node_pamt(plan, n->id) : 0;
		}
	}
	*out = caps;
	return 0;
}

int cm_capable_nodemask(const struct cm_node_capability *caps, size_t nr, struct cm_bitmap *mask)
{
	if (cm_bitmap_init(mask, CM_MAX_NUMNODES))
		return -ENOMEM;
	for (size_t i = 0; i < nr; i++)
		if (caps[i].crypto_capable)
			cm_bitmap_set(mask, (unsigned int)caps[i].node);
	return 0;
}
