// SPDX-License-Identifier: MIT
/*
 * From the boot log's lines to the platform: node spans, nodes, their boot
 * RAM and CPUs, hotplug windows; everything the log lacks is taken from
 * defaults and said in p->assumed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "platform/dmesg_internal.h"

/* ---- from lines to the platform ---- */

static int compare_log_range(const void *a, const void *b)
{
	const struct log_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->line_nr < y->line_nr ? -1 : x->line_nr > y->line_nr;
}

static int compare_by_node(const void *a, const void *b)
{
	const struct log_range *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	return compare_log_range(a, b);
}

/* The usable part of the e820 map as sorted, disjoint ranges. */
static int usable_ranges(struct dmesg_reader *r, struct cm_range **out, size_t *nr_out)
{
	const struct cm_platform *p = r->p;
	struct cm_range *ranges = malloc((p->nr_e820 ? p->nr_e820 : 1) * sizeof(*ranges));
	size_t nr = 0;

	*out = NULL;
	*nr_out = 0;
	if (!ranges)
		return dmesg_out_of_memory(r);
	for (size_t i = 0; i < p->nr_e820; i++) {
		if (p->e820[i].type != CM_E820_USABLE)
			continue;
		ranges[nr].start = p->e820[i].start;
		ranges[nr].end = p->e820[i].end;
		nr++;
	}
	*out = ranges;
	*nr_out = cm_ranges_merge(ranges, nr);
	return 0;
}

static bool covered_by(const struct cm_range *ranges, size_t nr, uint64_t start, uint64_t end)
{
	size_t i = cm_ranges_first_ending_above(ranges, nr, start);

	return i < nr && ranges[i].start <= start && ranges[i].end >= end;
}

/*
 * Node spans used to place RAM and EPC: SRAT ranges, else NUMA lines, else
 * Initmem lines; sorted, and where spans of two nodes overlap (a firmware
 * error the kernel rejects) the one starting first keeps the overlap.
 */
static int node_spans(struct dmesg_reader *r, struct range_list *spans)
{
	const struct range_list *from = NULL;

	memset(spans, 0, sizeof(*spans));
	if (r->numa_rejected)
		return 0;
	for (int i = 0; i < NR_SPAN_SOURCES && !from; i++)
		if (r->spans[i].nr)
			from = &r->spans[i];
	if (!from)
		return 0;
	spans->items = malloc(from->nr * sizeof(*spans->items));
	if (!spans->items)
		return dmesg_out_of_memory(r);
	memcpy(spans->items, from->items, from->nr * sizeof(*spans->items));
	qsort(spans->items, from->nr, sizeof(*spans->items), compare_log_range);
	for (size_t i = 0; i < from->nr; i++) {
		struct log_range span = spans->items[i];

		if (spans->nr && span.start < spans->items[spans->nr - 1].end)
			span.start = spans->items[spans->nr - 1].end;
		if (span.start < span.end)
			spans->items[spans->nr++] = span;
	}
	spans->capacity = from->nr;
	return 0;
}

const struct log_range *dmesg_span_containing(const struct range_list *spans, uint64_t addr)
{
	size_t lo = 0, hi = spans->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (spans->items[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < spans->nr && spans->items[lo].start <= addr)
		return &spans->items[lo];
	return NULL;
}

static int create_nodes(struct dmesg_reader *r)
{
	uint64_t ids = r->numa_rejected ? (r->memblock_nodes | 1) : r->named_nodes;

	if (r->numa_rejected)
		cm_log_add(&r->p->assumed, CM_LOG_INFO, "assumed: no NUMA information (the kernel "
			   "says 'No NUMA configuration found'), one node 0");
	if (!ids) {
		ids = 1;
		cm_log_add(&r->p->assumed, CM_LOG_INFO, "assumed: no NUMA information, one node 0");
	}
	for (int id = 0; id < CM_MAX_NUMNODES; id++)
		if ((ids >> id) & 1 && !cm_platform_add_node(r->p, id, CM_NODE_DRAM))
			return dmesg_out_of_memory(r);
	return 0;
}

static struct cm_node *node_by_id(struct cm_platform *p, int id)
{
	int i = cm_platform_node_index(p, id);

	return i < 0 ? NULL : &p->nodes[i];
}

/* Append to a node's sorted memory, merging a range that touches the last. */
static int append_node_memory(struct dmesg_reader *r, struct cm_node *n, uint64_t start,
			      uint64_t end)
{
	struct cm_range *last = n->nr_memory ? &n->memory[n->nr_memory - 1] : NULL;

	if (last && start <= last->end) {
		if (end > last->end)
			last->end = end;
		return 0;
	}
	if (cm_node_add_memory(n, start, end))
		return dmesg_out_of_memory(r);
	return 0;
}

/* The memblock lines are the node's boot RAM, as the kernel sees it. */
static int memory_from_memblock(struct dmesg_reader *r, const struct cm_range *usable,
				size_t nr_usable)
{
	struct range_list *memblock = &r->memblock;

	qsort(memblock->items, memblock->nr, sizeof(*memblock->items), compare_by_node);
	for (size_t i = 0; i < memblock->nr; i++) {
		const struct log_range *m = &memblock->items[i];
		uint64_t start = cm_align_up(m->start, CM_PAGE_SIZE);
		uint64_t end = cm_align_down(m->end, CM_PAGE_SIZE);
		struct cm_node *n = node_by_id(r->p, m->node);

		if (start >= end || !n)	/* every memblock node was created */
			continue;
		if (!covered_by(usable, nr_usable, start, end))
			return cm_error_set(r->err, -EINVAL, "%s:%lu: memblock line: node %d memory "
					    "[0x%" PRIx64 ", 0x%" PRIx64 ") is not usable RAM in the "
					    "BIOS-e820 map", r->source, m->line_nr, m->node, start, end);
		if (append_node_memory(r, n, start, end))
			return -ENOMEM;
	}
	return 0;
}

/* No memblock lines: usable e820 RAM (whole pages) split by the node spans. */
static int memory_from_e820(struct dmesg_reader *r, const struct range_list *spans)
{
	struct cm_platform *p = r->p;
	struct cm_node *fallback = &p->nodes[0];
	size_t k = 0;

	if (!spans->nr && p->nr_nodes > 1)
		cm_log_add(&p->assumed, CM_LOG_INFO, "assumed: no node memory ranges in log, "
			   "all RAM on node %d", fallback->id);
	for (size_t i = 0; i < p->nr_e820; i++) {
		const struct cm_e820_entry *e = &p->e820[i];
		uint64_t pos = cm_align_up(e->start, CM_PAGE_SIZE);
		uint64_t end = cm_align_down(e->end, CM_PAGE_SIZE);

		if (e->type != CM_E820_USABLE || pos >= end)
			continue;
		if (!spans->nr) {
			if (append_node_memory(r, fallback, pos, end))
				return -ENOMEM;
			continue;
		}
		for (; k < spans->nr && pos < end; k++) {
			const struct log_range *s = &spans->items[k];
			uint64_t piece_start = s->start > pos ? s->start : pos;
			uint64_t piece_end = s->end < end ? s->end : end;
			struct cm_node *n = node_by_id(p, s->node);

			if (s->end <= pos)
				continue;
			if (s->start >= end)
				break;
			if (n && append_node_memory(r, n, piece_start, piece_end))
				return -ENOMEM;
			pos = piece_end;
			if (s->end > end)
				break;	/* the span goes on into the next entry */
		}
	}
	return 0;
}

/* The kernel that printed the log ran in some RAM: a log giving none is wrong. */
static int check_some_ram(struct dmesg_reader *r)
{
	for (size_t i = 0; i < r->p->nr_nodes; i++)
		if (r->p->nodes[i].nr_memory)
			return 0;
	return cm_error_set(r->err, -EINVAL, "%s: no boot RAM in this log (no whole page of usable "
			    "BIOS-e820 memory %s)", r->source, r->memblock.nr ?
			    "in the memblock lines" : "in any node's range");
}

static void assign_cpus(struct dmesg_reader *r)
{
	struct cm_platform *p = r->p;
	unsigned int cpu = 0;

	if (r->nr_cpus) {
		for (size_t i = 0; i < r->nr_cpus; i++) {
			struct cm_node *n = node_by_id(p, r->numa_rejected ? 0 : r->cpu_nodes[i]);

			if (n)
				cm_bitmap_set(&n->cpus, (unsigned int)i);
		}
		return;
	}
	for (size_t i = 0; i < p->nr_nodes; i++)
		if (p->nodes[i].nr_memory)
			cm_bitmap_set(&p->nodes[i].cpus, cpu++);
	cm_log_add(&p->assumed, CM_LOG_INFO, "assumed: CPU lists not in log; each node with memory "
		   "has CPUs (one placeholder CPU each)");
}

/*
 * A hotplug SRAT range reaching beyond the boot RAM inside it: the part
 * above that RAM, in whole memory blocks, may be hot-added later.
 */
static int add_hotplug_windows(struct dmesg_reader *r, const struct cm_range *usable,
			       size_t nr_usable)
{
	const struct range_list *srat = &r->spans[SPAN_SRAT];
	uint64_t block = r->p->memory_block_size;

	if (r->numa_rejected || !block || (block & (block - 1)))
		return 0;	/* no nodes to join; a bad block size fails validation */
	for (size_t i = 0; i < srat->nr; i++) {
		const struct log_range *s = &srat->items[i];
		size_t k = cm_ranges_first_ending_above(usable, nr_usable, s->end);
		uint64_t start = s->start, end = cm_align_down(s->end, block);
		struct cm_hotplug_window w;

		if (!s->hotplug)
			continue;
		/* The last usable range starting below the span's end. */
		if (k == nr_usable || usable[k].start >= s->end)
			k = k ? k - 1 : nr_usable;
		if (k < nr_usable && usable[k].end > start && usable[k].start < s->end)
			start = usable[k].end;
		start = cm_align_up(start, block);
		if (start >= end)
			continue;
		w.start = start;
		w.size = end - start;
		w.node = s->node;
		w.convertible = false;
		if (cm_platform_add_hotplug(r->p, &w))
			return dmesg_out_of_memory(r);
	}
	return 0;
}

static void note_defaults(struct dmesg_reader *r)
{
	struct cm_platform *p = r->p;

	cm_log_add(&p->assumed, CM_LOG_INFO, "assumed: memory kind not in log; every node is dram");
	if (p->nr_nodes > 1)
		cm_log_add(&p->assumed, CM_LOG_INFO, "assumed: node distances not in log (the kernel does "
			   "not print the SLIT); 10 local, 20 remote");
	if (!r->block_size_seen)
		cm_log_add(&p->assumed, CM_LOG_INFO, "assumed: memory block size not in log; %llu MiB",
			   CM_DEFAULT_BLOCK_SIZE >> 20);
}

int dmesg_build_platform(struct dmesg_reader *r)
{
	struct range_list spans = { 0 };
	struct cm_range *usable = NULL;
	size_t nr_usable;
	int ret;

	if (!r->p->nr_e820)
		return cm_error_set(r->err, -EINVAL, "%s: no BIOS-e820 memory map in this log (expected "
				    "lines like 'BIOS-e820: [mem 0x...-0x...] usable')", r->source);
	ret = node_spans(r, &spans);
	if (!ret)
		ret = create_nodes(r);
	if (!ret)
		ret = usable_ranges(r, &usable, &nr_usable);
	if (ret)
		goto out;
	if (r->memblock.nr)
		ret = memory_from_memblock(r, usable, nr_usable);
	else
		ret = memory_from_e820(r, &spans);
	if (!ret)
		ret = check_some_ram(r);
	if (!ret)
		ret = dmesg_reserve_ram_without_node(r);
	free(usable);
	usable = NULL;
	if (!ret)
		ret = usable_ranges(r, &usable, &nr_usable);
	if (ret)
		goto out;
	assign_cpus(r);
	ret = add_hotplug_windows(r, usable, nr_usable);
	if (ret)
		goto out;
	dmesg_assign_epc_nodes(r, &spans);
	ret = dmesg_note_tdx(r, usable, nr_usable);
	if (ret)
		goto out;
	note_defaults(r);
out:
	free(usable);
	dmesg_range_list_free(&spans);
	return ret;
}
