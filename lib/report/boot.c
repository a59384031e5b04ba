// SPDX-License-Identifier: MIT
/*
 * The boot-time picture as a report (confmem report): the platform, the
 * memory map, the nodes with their capability, the tiers, the hot-add
 * windows, the EPC and the TDX plan's summary. The JSON carries all of it
 * (docs/json.md): platform, e820, nodes, tiers, hotplug_windows, epc, tdx.
 */
#include <stdio.h>

#include "confmem/report.h"

static const struct cm_report_nodes_layout boot_nodes_layout = {
	.node = "  node %s: ",
	.cpus = "cpus %-10s ",
	.kind = "%-4s ",
	.memory = "%11s  ",
	.crypto_capable = "crypto_capable=%s  ",
	.tdx_memory = "tdx_memory=%-3s  ",
	.pamt = "PAMT %s\n",
};

static void add_headline(struct cm_report_item *o, const struct cm_platform *p)
{
	bool all_known;
	uint64_t nr_packages = cm_platform_nr_packages(p, &all_known);
	uint64_t ram = 0, nr_cpus = 0;

	for (size_t i = 0; i < p->nr_nodes; i++) {
		ram += cm_node_memory_bytes(&p->nodes[i]);
		nr_cpus += cm_bitmap_weight(&p->nodes[i].cpus);
	}
	cm_report_add_string(o, "platform", "confmem report: platform \"%s\": ", p->name);
	if (all_known)
		cm_report_add_u64(o, "nr_packages", nr_packages == 1 ? "%s package, " : "%s packages, ", nr_packages);
	cm_report_add_u64(o, "nr_nodes", p->nr_nodes == 1 ? "%s node, " : "%s nodes, ", p->nr_nodes);
	cm_report_add_u64(o, "nr_cpus", nr_cpus == 1 ? "%s CPU, " : "%s CPUs, ", nr_cpus);
	cm_report_add_bytes(o, "memory_bytes", "%s boot RAM, ", ram);
	cm_report_add_u64(o, NULL, "memory block %s MiB\n", p->memory_block_size >> 20);
	cm_report_add_bytes(o, "memory_block_bytes", NULL, p->memory_block_size);
	cm_report_add_log(o, "assumed", &p->assumed, "  ");
}

static void add_memory_map(struct cm_report_item *o, const struct cm_platform *p)
{
	struct cm_report_item *a = cm_report_add_array(o, "e820", "\nBIOS-e820 memory map:\n");

	for (size_t i = 0; i < p->nr_e820; i++) {
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

		cm_report_set_hex(cm_report_add_addr(row, "base", "  [mem %s", p->e820[i].start), 16);
		cm_report_set_hex(cm_report_add_addr(row, NULL, "-%s] ", p->e820[i].end - 1), 16);
		cm_report_add_bytes(row, "size", NULL, p->e820[i].end - p->e820[i].start);
		cm_report_add_string(row, "type", "%s\n", cm_e820_type_name(p->e820[i].type));
	}
}

/* numactl -H's "node distances:" matrix; JSON: distances[i][j] by the nodes' order. */
static void add_distances(struct cm_report_item *o, const struct cm_platform *p)
{
	struct cm_report_item *header = cm_report_add_object(o, NULL, "\nnode distances:\nnode ");
	struct cm_report_item *a;

	for (size_t j = 0; j < p->nr_nodes; j++)
		cm_report_add_int(header, NULL, j + 1 < p->nr_nodes ? "%3s " : "%3s\n", p->nodes[j].id);
	a = cm_report_add_array(o, "distances", NULL);
	for (size_t i = 0; i < p->nr_nodes; i++) {
		char row_header[16];
		struct cm_report_item *row;

		snprintf(row_header, sizeof(row_header), "%3d: ", p->nodes[i].id);
		row = cm_report_add_array(a, NULL, row_header);
		for (size_t j = 0; j < p->nr_nodes; j++)
			cm_report_add_u64(row, NULL, j + 1 < p->nr_nodes ? "%3s " : "%3s\n",
					  p->distance[i * p->nr_nodes + j]);
	}
}

static void add_tiers(struct cm_report_item *o, const struct cm_platform *p, const struct cm_tiering *tiering)
{
	struct cm_report_item *a;
	char header[96];

	snprintf(header, sizeof(header), "\nMemory tiers and demotion (%s model):\n",
		 cm_tiering_model_title(tiering->model));
	cm_report_add_string(o, "tiering_model", NULL, cm_tiering_model_name(tiering->model));
	a = cm_report_add_array(o, "tiers", header);
	for (size_t i = 0; i < p->nr_nodes; i++) {
		int node = p->nodes[i].id, id = cm_tiering_tier_id(tiering, node);
		struct cm_report_item *row;

		if (id < 0)
			continue;
		row = cm_report_add_object(a, NULL, NULL);
		cm_report_add_int(row, "node", "  node %s: ", node);
		cm_report_add_int(row, "tier", "memory_tier%s ", id);
		cm_report_add_int(row, "adistance", "(adistance %s)", tiering->adistance[node]);
		cm_report_set_bool_text(cm_report_add_bool(row, "top_tier", "%s\n",
							   cm_tiering_is_top_tier(tiering, node)), ", top tier", "");
	}
	cm_report_add_log(o, "tiering_log", &tiering->log, "  ");
}

static void add_hotplug_windows(struct cm_report_item *o, const struct cm_platform *p)
{
	struct cm_report_item *a;

	if (!p->nr_hotplug)
		return;
	a = cm_report_add_array(o, "hotplug_windows", "\nHot-add windows:\n");
	for (size_t i = 0; i < p->nr_hotplug; i++) {
		const struct cm_hotplug_window *w = &p->hotplug[i];
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

		cm_report_add_addr(row, "base", "  [%s", w->start);
		cm_report_add_addr(row, NULL, ", %s) ", w->start + w->size);
		cm_report_add_bytes(row, "size", "%s ", w->size);
		cm_report_add_int(row, "node", "for node %s, ", w->node);
		cm_report_set_bool_text(cm_report_add_bool(row, "convertible", "%s\n", w->convertible), "convertible",
					"not convertible");
	}
}

static void add_epc(struct cm_report_item *o, const struct cm_platform *p)
{
	struct cm_report_item *a;

	if (!p->sgx.nr_epc)
		return;
	a = cm_report_add_array(o, "epc", "\nSGX EPC:\n");
	for (unsigned int i = 0; i < p->sgx.nr_epc; i++) {
		const struct cm_epc_section *s = &p->sgx.epc[i];
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

		cm_report_add_addr(row, "base", "  EPC section %s", s->start);
		cm_report_add_addr(row, NULL, "-%s", s->start + s->size - 1);
		cm_report_add_int(row, "node", " node %s ", s->node);
		cm_report_add_bytes(row, "size", "(%s)\n", s->size);
	}
}

/* The node rows, their ids and CPU lists padded to the widest, so long lists keep the columns. */
static void add_nodes(struct cm_report_item *o, const struct cm_report_boot *b)
{
	struct cm_report_nodes_layout layout = boot_nodes_layout;
	char node_text[32], cpus_text[32];
	int id_width = 1, cpus_width = 10;

	for (size_t i = 0; i < b->platform->nr_nodes; i++) {
		const struct cm_node *n = &b->platform->nodes[i];
		int cpus = (int)cm_bitmap_format_list(&n->cpus, NULL, 0);

		id_width = n->id >= 10 && id_width < 2 ? 2 : id_width;
		cpus_width = cpus > cpus_width ? cpus : cpus_width;
	}
	snprintf(node_text, sizeof(node_text), "  node %%%ds: ", id_width);
	snprintf(cpus_text, sizeof(cpus_text), "cpus %%-%ds ", cpus_width);
	layout.node = node_text;
	layout.cpus = cpus_text;
	cm_report_add_nodes(o, "nodes", b->platform, b->caps, b->tiering, &layout);
}

struct cm_report_item *cm_report_add_boot(struct cm_report_item *parent, const char *key, const struct cm_report_boot *b)
{
	struct cm_report_item *o = cm_report_add_object(parent, key, NULL);

	add_headline(o, b->platform);
	add_memory_map(o, b->platform);
	cm_report_add_text(o, "\nNUMA nodes:\n");
	add_nodes(o, b);
	cm_report_add_log(o, "capability_log", b->cap_log, "  ");
	add_distances(o, b->platform);
	add_tiers(o, b->platform, b->tiering);
	add_hotplug_windows(o, b->platform);
	add_epc(o, b->platform);
	cm_report_add_text(o, "\nTDX:\n");
	cm_report_add_plan(o, "tdx", b->plan, b->platform, CM_REPORT_PLAN_SUMMARY);
	return o;
}
