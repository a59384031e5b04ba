// SPDX-License-Identifier: MIT
/*
 * NUMA lines of the boot log: SRAT memory affinity and CPUs, the NUMA and
 * Initmem node spans, and the memblock ranges that are each node's boot RAM.
 */
#include <errno.h>
#include <stdlib.h>

#include "platform/dmesg_internal.h"

/* ---- NUMA: SRAT, NUMA, Initmem and memblock lines ---- */

/* "N PXM P [mem 0xA-0xB] [hotplug]", after "SRAT: Node ". */
static int parse_srat_memory(struct dmesg_reader *r, struct text_cursor *c)
{
	struct text_cursor lead = *c;
	uint64_t node_value, pxm;
	struct cm_range range = { 0 };
	int node = 0;

	if (!take_decimal(&lead, &node_value) || !take_literal(&lead, " PXM ") ||
	    !take_decimal(&lead, &pxm))
		return 0;
	skip_blanks(&lead);
	if (!take_literal(&lead, "[mem "))
		return 0;
	*c = lead;
	if (dmesg_check_node(r, "SRAT", node_value, &node) || dmesg_take_mem_range(r, "SRAT", c, &range))
		return -EINVAL;
	return dmesg_range_list_add(r, &r->spans[SPAN_SRAT], &range, node,
				    find_in(c, "hotplug") ? LOG_RANGE_HOTPLUG : LOG_RANGE_FIXED);
}

/* "P -> APIC 0xID -> Node N", after "SRAT: PXM ": one CPU of node N. */
static int parse_srat_cpu(struct dmesg_reader *r, struct text_cursor *c)
{
	uint64_t pxm, apic_id, node_value;
	int node = 0;

	if (!take_decimal(c, &pxm) || !take_literal(c, " -> APIC "))
		return 0;
	if (dmesg_take_address(r, "SRAT", c, "APIC id", &apic_id))
		return -EINVAL;
	if (!take_literal(c, " -> Node ") || !take_decimal(c, &node_value))
		return dmesg_line_error(r, "SRAT", "expected ' -> Node N' after the APIC id");
	if (dmesg_check_node(r, "SRAT", node_value, &node))
		return -EINVAL;
	if (r->nr_cpus >= CM_MAX_CPUS)
		return dmesg_line_error(r, "SRAT", "more than %d CPUs", CM_MAX_CPUS);
	if (r->nr_cpus == r->cpu_capacity) {
		size_t capacity = r->cpu_capacity ? r->cpu_capacity * 2 : 64;
		int *cpu_nodes = realloc(r->cpu_nodes, capacity * sizeof(*cpu_nodes));

		if (!cpu_nodes)
			return dmesg_out_of_memory(r);
		r->cpu_nodes = cpu_nodes;
		r->cpu_capacity = capacity;
	}
	r->cpu_nodes[r->nr_cpus++] = node;
	return 0;
}

int dmesg_parse_srat(struct dmesg_reader *r, struct text_cursor *c)
{
	if (take_literal(c, "Node "))
		return parse_srat_memory(r, c);
	if (take_literal(c, "PXM "))
		return parse_srat_cpu(r, c);
	return 0;
}

/* What follows the node number in the lead of a line. */
enum node_lead { NODE_THEN_RANGE, NODE_COLON_THEN_RANGE };

/*
 * "N [mem 0xA-0xB]" or "N: [mem 0xA-0xB]": the lead of NUMA, Initmem and
 * memblock lines. Returns 0 when the line does not have this shape, 1 with
 * the node and range when it does, or -EINVAL when its node or range is
 * wrong (then the error is the line's).
 */
static int take_node_range(struct dmesg_reader *r, const char *what, struct text_cursor *c,
			   enum node_lead form, int *node, struct cm_range *range)
{
	struct text_cursor lead = *c;
	uint64_t node_value;

	skip_blanks(&lead);
	if (!take_decimal(&lead, &node_value))
		return 0;
	if (form == NODE_COLON_THEN_RANGE && !take_char(&lead, ':'))
		return 0;
	skip_blanks(&lead);
	if (!take_literal(&lead, "[mem "))
		return 0;
	*c = lead;
	if (dmesg_check_node(r, what, node_value, node) || dmesg_take_mem_range(r, what, c, range))
		return -EINVAL;
	return 1;
}

/* "N [mem 0xA-0xB] + [mem 0xC-0xD] -> [mem 0xE-0xF]", after "NUMA: Node ". */
int dmesg_parse_numa(struct dmesg_reader *r, struct text_cursor *c)
{
	struct cm_range range = { 0 };
	const char *merged;
	int node = 0;
	int ret = take_node_range(r, "NUMA", c, NODE_THEN_RANGE, &node, &range);

	if (ret <= 0)
		return ret;
	merged = find_in(c, "-> [mem ");
	if (merged) {
		c->pos = merged + strlen("-> [mem ");
		if (dmesg_take_mem_range(r, "NUMA", c, &range))
			return -EINVAL;
	}
	return dmesg_range_list_add(r, &r->spans[SPAN_NUMA], &range, node, LOG_RANGE_FIXED);
}

/* "N [mem 0xA-0xB]", after "Initmem setup node ". */
int dmesg_parse_initmem(struct dmesg_reader *r, struct text_cursor *c)
{
	struct cm_range range = { 0 };
	int node = 0;
	int ret = take_node_range(r, "Initmem", c, NODE_THEN_RANGE, &node, &range);

	if (ret <= 0)
		return ret;
	return dmesg_range_list_add(r, &r->spans[SPAN_INITMEM], &range, node, LOG_RANGE_FIXED);
}

/* "  node   N: [mem 0xA-0xB]", after "node ": one memblock range. */
int dmesg_parse_memblock(struct dmesg_reader *r, struct text_cursor *c)
{
	struct cm_range range = { 0 };
	int node = 0;
	int ret = take_node_range(r, "memblock", c, NODE_COLON_THEN_RANGE, &node, &range);

	if (ret <= 0)
		return ret;
	r->memblock_nodes |= 1ULL << node;
	return dmesg_range_list_add(r, &r->memblock, &range, node, LOG_RANGE_FIXED);
}
