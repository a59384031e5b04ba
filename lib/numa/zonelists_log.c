// SPDX-License-Identifier: MIT
/*
 * What build_all_zonelists() prints when memory is hot-added at run time
 * (mm/page_alloc.c, 6.12): hotadd_init_pgdat() builds only the new node's
 * list while the node is not yet online; online_pages() rebuilds every
 * possible node's list when a zone becomes populated. Either way one
 * `Built %u zonelists` line with nr_online_nodes follows, then the policy
 * zone.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>

#include "confmem/tiering.h"

static const char *const via_names[CM_HOTADD_VIA_NR] = {
	[CM_HOTADD_VIA_WINDOW] = "window",
	[CM_HOTADD_VIA_ACPI] = "acpi",
	[CM_HOTADD_VIA_KMEM] = "kmem",
};

const char *cm_hotadd_via_name(enum cm_hotadd_via via)
{
	return via < CM_HOTADD_VIA_NR ? via_names[via] : "?";
}

static void log_fallback_order(const struct cm_zonelist_orders *z, int node, struct cm_log *log)
{
	char line[512];
	size_t len = (size_t)snprintf(line, sizeof(line), "Fallback order for Node %d:", node);

	for (int i = 0; i < z->nr[node] && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %d", z->order[node][i]);
	cm_log_add(log, CM_LOG_INFO, "%s", line);
}

int cm_zonelists_log(const struct cm_platform *p, const struct cm_node_states *states, int node,
		     uint64_t total_pages, const char *policy_zone, struct cm_log *log)
{
	struct cm_zonelist_orders *z = malloc(sizeof(*z));
	int nr_online = 0;

	if (!z)
		return -ENOMEM;
	cm_build_zonelist_orders(p, states, CM_CPUS_MAPPED, z);
	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		if (cm_node_isset(states->memory | states->cpu, n))
			nr_online++;
		if (cm_node_isset(states->possible, n) && (node == CM_NUMA_NO_NODE || node == n))
			log_fallback_order(z, n, log);
	}
	free(z);
	cm_log_add(log, CM_LOG_INFO, "Built %d zonelists, mobility grouping on.  Total pages: %llu", nr_online,
		   (unsigned long long)total_pages);
	cm_log_add(log, CM_LOG_INFO, "Policy zone: %s", policy_zone);
	return 0;
}
