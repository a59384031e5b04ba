// SPDX-License-Identifier: MIT
/*
 * The per-node rows of a report (nodes, report): CPUs, kind, memory,
 * crypto_capable, TDX memory, PAMT, tier and demotion targets.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "report/picture.h"

static void add_tier(struct cm_report_item *row, const struct cm_tiering *tiering, int node,
		     const struct cm_report_nodes_layout *layout)
{
	char tier[16] = "";

	if (tiering && cm_tiering_tier_id(tiering, node) >= 0)
		snprintf(tier, sizeof(tier), "%d", cm_tiering_tier_id(tiering, node));
	if (layout->tier)
		cm_report_add_string(row, NULL, layout->tier, tier);
}

static void add_node(struct cm_report_item *row, const struct cm_node *n, const struct cm_node_capability *cap,
		     const struct cm_tiering *tiering, const struct cm_report_nodes_layout *layout)
{
	size_t len = cm_bitmap_format_list(&n->cpus, NULL, 0) + 1;
	char *cpus = malloc(len);

	/* A list of thousands of CPUs is shown whole. */
	if (cpus)
		cm_bitmap_format_list(&n->cpus, cpus, len);
	else
		row->report->status = -ENOMEM;
	cm_report_add_int(row, "node", layout->node, n->id);
	cm_report_add_string(row, "cpus", layout->cpus, cpus);
	free(cpus);
	if (n->package >= 0)
		cm_report_add_int(row, "package", NULL, n->package);
	cm_report_add_string(row, "kind", layout->kind, cm_node_kind_name(n->kind));
	cm_report_add_bytes(row, "memory_bytes", layout->memory, cm_node_memory_bytes(n));
	/* A boolean in JSON; the text shows 0/1 as the kernel's sysfs attribute does. */
	cm_report_set_bool_text(cm_report_add_bool(row, "crypto_capable", layout->crypto_capable, cap->crypto_capable),
				"1", "0");
	cm_report_add_bool(row, "tdx_memory", layout->tdx_memory, cap->tdx_memory);
	cm_report_add_bytes(row, "tdx_memory_bytes", layout->tdx_memory_bytes, cap->tdx_memory_bytes);
	cm_report_add_bytes(row, "pamt_bytes", layout->pamt, cap->pamt_bytes);
	add_tier(row, tiering, n->id, layout);
	cm_report_add_nodemask(row, "demotion_targets", layout->demotion, tiering ? tiering->preferred[n->id] : 0);
	cm_report_add_nodemask(row, "fallback_targets", NULL, tiering ? tiering->lower_tier[n->id] : 0);
	if (tiering && cm_tiering_tier_id(tiering, n->id) >= 0) {
		cm_report_add_int(row, "tier", NULL, cm_tiering_tier_id(tiering, n->id));
		cm_report_add_int(row, "adistance", NULL, tiering->adistance[n->id]);
		cm_report_add_bool(row, "top_tier", NULL, cm_tiering_is_top_tier(tiering, n->id));
	}
}

struct cm_report_item *cm_report_add_nodes_in(struct cm_report_item *parent, const char *key,
					      const struct cm_platform *p, const struct cm_node_capability *caps,
					      const struct cm_tiering *tiering,
					      const struct cm_report_nodes_layout *layout, cm_nodemask_t selected)
{
	struct cm_report_item *a = cm_report_add_array(parent, key, NULL);

	for (size_t i = 0; i < p->nr_nodes; i++)
		if (cm_node_isset(selected, p->nodes[i].id))
			add_node(cm_report_add_object(a, NULL, NULL), &p->nodes[i], &caps[i], tiering, layout);
	/* The picture is the platform's topology: every node, with its demotion targets. */
	picture_add_numa(parent, p, caps, tiering);
	return a;
}

static cm_nodemask_t platform_nodes(const struct cm_platform *p)
{
	cm_nodemask_t present = 0;

	for (size_t i = 0; i < p->nr_nodes; i++)
		cm_node_set(&present, p->nodes[i].id);
	return present;
}

struct cm_report_item *cm_report_add_nodes(struct cm_report_item *parent, const char *key,
					   const struct cm_platform *p, const struct cm_node_capability *caps,
					   const struct cm_tiering *tiering,
					   const struct cm_report_nodes_layout *layout)
{
	return cm_report_add_nodes_in(parent, key, p, caps, tiering, layout, platform_nodes(p));
}

static bool node_passes(const struct cm_node *n, const struct cm_report_node_filter *filter)
{
	if (filter->nodes && !cm_node_isset(filter->nodes, n->id))
		return false;
	return !filter->kinds || (filter->kinds & CM_NODE_KIND_BIT(n->kind));
}

int cm_report_select_nodes(const struct cm_platform *p, const struct cm_report_node_filter *filter,
			   cm_nodemask_t *selected, struct cm_error *err)
{
	cm_nodemask_t present = platform_nodes(p), missing = filter->nodes & ~present;
	char missing_list[256], present_list[256];

	*selected = 0;
	if (missing) {
		bool one = __builtin_popcountll(missing) == 1;

		cm_nodemask_format(missing, missing_list, sizeof(missing_list));
		cm_nodemask_format(present, present_list, sizeof(present_list));
		return cm_error_set(err, -ENOENT, "node%s %s %s not in the platform, which has %s%s",
				    one ? "" : "s", missing_list, one ? "is" : "are",
				    !present ? "no node" : __builtin_popcountll(present) == 1 ? "node " : "nodes ",
				    present ? present_list : "");
	}
	for (size_t i = 0; i < p->nr_nodes; i++)
		if (node_passes(&p->nodes[i], filter))
			cm_node_set(selected, p->nodes[i].id);
	return 0;
}
