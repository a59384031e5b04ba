// SPDX-License-Identifier: MIT
/*
 * PAMT placement "kernel" (SPEC 3.5): where alloc_contig_pages(nr_pages,
 * GFP_KERNEL, nid, &node_online_map) puts each block on an idle host.
 *
 * The nodes come in the order of @nid's boot zonelist (lib/numa/tiers.c,
 * no CPU penalty at boot), each node's zones highest first. A zone spans
 * its node's lowest to highest RAM page, clamped to the zone. Candidates
 * are ALIGN(zone_start_pfn, nr_pages), with the kernel's mask arithmetic
 * even when nr_pages is not a power of two, then every nr_pages after it
 * while the block's last page is inside the zone; the first candidate
 * whose every page is free TDX memory of the node wins.
 *
 * Free memory of a node: its TDX memory regions in address order, each
 * with the blocks taken from it, and a max-tree over every region's
 * largest free gap, so a search skips regions that cannot hold the block.
 * A candidate that failed fails for good (free memory only shrinks), so
 * each grid (node, zone, nr_pages) resumes where its last search ended.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/tiering.h"
#include "tdx_internal.h"

#define PAGE_SHIFT 12

/* The zones GFP_KERNEL may use, in their kernel order; the zonelist takes them highest first. */
enum contig_zone { CONTIG_ZONE_DMA, CONTIG_ZONE_DMA32, CONTIG_ZONE_NORMAL, CONTIG_NR_ZONES };

static const uint64_t zone_low_pfn[CONTIG_NR_ZONES] = {
	[CONTIG_ZONE_DMA] = 0,
	[CONTIG_ZONE_DMA32] = (16 * CM_SZ_1M) >> PAGE_SHIFT,	/* MAX_DMA_PFN */
	[CONTIG_ZONE_NORMAL] = CM_SZ_4G >> PAGE_SHIFT,		/* MAX_DMA32_PFN */
};

/* One TDX memory region of a node, in pages, and the blocks taken from it (sorted). */
struct contig_region {
	uint64_t start_pfn, end_pfn;
	struct cm_range *taken;
	size_t nr_taken, cap_taken;
};

struct contig_node {
	struct contig_region *regions;
	size_t nr_regions, cap_regions;
	struct tdx_max_tree largest_gap;	/* per region, in pages */
	uint64_t zone_start_pfn[CONTIG_NR_ZONES];
	uint64_t zone_end_pfn[CONTIG_NR_ZONES];	/* == start: the node has no such zone */
};

/* Where the next search of one candidate grid starts. */
struct contig_grid {
	int node;
	enum contig_zone zone;
	uint64_t nr_pages;
	uint64_t next_pfn;
};

#define CONTIG_MAX_GRIDS 256

struct contig {
	const struct cm_platform *platform;
	struct cm_node_states states;
	struct contig_node nodes[CM_MAX_NUMNODES];
	struct cm_zonelist_orders zonelists;
	struct contig_grid grids[CONTIG_MAX_GRIDS];
	size_t nr_grids;
};

/* The kernel's ALIGN(): (x + a - 1) & ~(a - 1), also for an @a that is not a power of two. */
static uint64_t kernel_align(uint64_t x, uint64_t a)
{
	return (x + (a - 1)) & ~(a - 1);
}

static uint64_t largest_gap(const struct contig_region *r)
{
	uint64_t prev = r->start_pfn, best = 0;

	for (size_t i = 0; i < r->nr_taken; i++) {
		if (r->taken[i].start - prev > best)
			best = r->taken[i].start - prev;
		prev = r->taken[i].end;
	}
	return r->end_pfn - prev > best ? r->end_pfn - prev : best;
}

static int region_add(struct contig_node *cn, uint64_t start_pfn, uint64_t end_pfn)
{
	if (cn->nr_regions == cn->cap_regions) {
		size_t ncap = cn->cap_regions ? cn->cap_regions * 2 : 8;
		struct contig_region *n = realloc(cn->regions, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		cn->regions = n;
		cn->cap_regions = ncap;
	}
	cn->regions[cn->nr_regions++] = (struct contig_region){ .start_pfn = start_pfn, .end_pfn = end_pfn };
	return 0;
}

/* Each zone spans the node's lowest to highest RAM page, clamped to the zone. */
static int zones_build(const struct cm_platform *p, struct contig *c)
{
	uint64_t first[CM_MAX_NUMNODES], last[CM_MAX_NUMNODES];
	struct cm_node_range *ram;
	size_t nr_ram;
	int ret;

	ret = cm_platform_ram_ranges(p, &ram, &nr_ram);
	if (ret)
		return ret;
	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		first[n] = UINT64_MAX;
		last[n] = 0;
	}
	for (size_t i = 0; i < nr_ram; i++) {
		uint64_t start = cm_align_up(ram[i].start, CM_PAGE_SIZE) >> PAGE_SHIFT;
		uint64_t end = cm_align_down(ram[i].end, CM_PAGE_SIZE) >> PAGE_SHIFT;

		if (start >= end)
			continue;
		if (start < first[ram[i].node])
			first[ram[i].node] = start;
		if (end > last[ram[i].node])
			last[ram[i].node] = end;
	}
	free(ram);
	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		for (int z = 0; z < CONTIG_NR_ZONES; z++) {
			uint64_t lo = zone_low_pfn[z];
			uint64_t hi = z + 1 < CONTIG_NR_ZONES ? zone_low_pfn[z + 1] : UINT64_MAX;
			uint64_t start = first[n] < lo ? lo : first[n] > hi ? hi : first[n];
			uint64_t end = last[n] < lo ? lo : last[n] > hi ? hi : last[n];

			c->nodes[n].zone_start_pfn[z] = start;
			c->nodes[n].zone_end_pfn[z] = end > start ? end : start;
		}
	}
	return 0;
}

static int regions_build(const struct cm_tdx_plan *plan, struct contig *c)
{
	for (size_t i = 0; i < plan->nr_memlist; i++) {
		const struct cm_tdx_memblock *m = &plan->memlist[i];

		if (region_add(&c->nodes[m->node], m->start >> PAGE_SHIFT, m->end >> PAGE_SHIFT))
			return -ENOMEM;
	}
	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		struct contig_node *cn = &c->nodes[n];

		if (!cn->nr_regions)
			continue;
		if (tdx_max_tree_init(&cn->largest_gap, cn->nr_regions))
			return -ENOMEM;
		for (size_t i = 0; i < cn->nr_regions; i++)
			tdx_max_tree_load(&cn->largest_gap, i, cn->regions[i].end_pfn - cn->regions[i].start_pfn);
		tdx_max_tree_build(&cn->largest_gap);
	}
	return 0;
}

static void contig_close(void *state)
{
	struct contig *c = state;

	if (!c)
		return;
	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		for (size_t i = 0; i < c->nodes[n].nr_regions; i++)
			free(c->nodes[n].regions[i].taken);
		free(c->nodes[n].regions);
		tdx_max_tree_free(&c->nodes[n].largest_gap);
	}
	free(c);
}

static int contig_open(const struct cm_platform *p, const struct cm_tdx_plan *plan, void **state)
{
	struct contig *c = calloc(1, sizeof(*c));
	int ret;

	*state = NULL;
	if (!c)
		return -ENOMEM;
	c->platform = p;
	cm_node_states_from_platform(p, &c->states);
	cm_build_zonelist_orders(p, &c->states, CM_CPUS_UNMAPPED, &c->zonelists);
	ret = zones_build(p, c);
	if (!ret)
		ret = regions_build(plan, c);
	if (ret) {
		contig_close(c);
		return ret;
	}
	*state = c;
	return 0;
}

/* The grid's saved start, or a new grid starting at @first_pfn; NULL when the table is full. */
static struct contig_grid *grid_of(struct contig *c, int node, enum contig_zone zone, uint64_t nr_pages,
				   uint64_t first_pfn)
{
	struct contig_grid *g;

	for (size_t i = 0; i < c->nr_grids; i++) {
		g = &c->grids[i];
		if (g->node == node && g->zone == zone && g->nr_pages == nr_pages)
			return g;
	}
	if (c->nr_grids == CONTIG_MAX_GRIDS)
		return NULL;
	g = &c->grids[c->nr_grids++];
	*g = (struct contig_grid){ .node = node, .zone = zone, .nr_pages = nr_pages, .next_pfn = first_pfn };
	return g;
}

/* The first grid point (@base + k * @step) at or above @pfn. */
static uint64_t grid_at_or_above(uint64_t base, uint64_t step, uint64_t pfn)
{
	if (pfn <= base)
		return base;
	return base + (pfn - base + step - 1) / step * step;
}

/* The lowest grid point from @from whose block lies in a free gap of @r and ends by @limit. */
static uint64_t region_fit(const struct contig_region *r, uint64_t base, uint64_t nr_pages, uint64_t from,
			   uint64_t limit)
{
	uint64_t gap_start = r->start_pfn;

	for (size_t i = 0; i <= r->nr_taken; i++) {
		uint64_t gap_end = i < r->nr_taken ? r->taken[i].start : r->end_pfn;
		uint64_t pfn = grid_at_or_above(base, nr_pages, gap_start > from ? gap_start : from);

		if (gap_end > limit)
			gap_end = limit;
		if (pfn < gap_end && gap_end - pfn >= nr_pages)
			return pfn;
		if (i < r->nr_taken)
			gap_start = r->taken[i].end;
	}
	return UINT64_MAX;
}

/* Index of the first region of @cn ending above @pfn. */
static size_t region_index(const struct contig_node *cn, uint64_t pfn)
{
	size_t lo = 0, hi = cn->nr_regions;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cn->regions[mid].end_pfn <= pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The kernel's candidate walk over one zone: the first fitting pfn, or UINT64_MAX. */
static uint64_t zone_search(struct contig *c, int node, enum contig_zone zone, uint64_t nr_pages, size_t *at)
{
	const struct contig_node *cn = &c->nodes[node];
	uint64_t zone_end = cn->zone_end_pfn[zone];
	uint64_t base = kernel_align(cn->zone_start_pfn[zone], nr_pages);
	struct contig_grid *g = grid_of(c, node, zone, nr_pages, base);
	uint64_t from = g ? g->next_pfn : base;
	size_t i = region_index(cn, from);

	for (;;) {
		uint64_t pfn;

		i = tdx_max_tree_find(&cn->largest_gap, i, cn->nr_regions, nr_pages);
		if (i == SIZE_MAX || cn->regions[i].start_pfn >= zone_end)
			break;
		pfn = region_fit(&cn->regions[i], base, nr_pages, from, zone_end);
		if (pfn != UINT64_MAX) {
			if (g)
				g->next_pfn = pfn + nr_pages;
			*at = i;
			return pfn;
		}
		i++;
	}
	if (g)
		g->next_pfn = UINT64_MAX;
	return UINT64_MAX;
}

static int region_take(struct contig_node *cn, size_t i, uint64_t pfn, uint64_t nr_pages)
{
	struct contig_region *r = &cn->regions[i];
	size_t k = 0;

	if (r->nr_taken == r->cap_taken) {
		size_t ncap = r->cap_taken ? r->cap_taken * 2 : 4;
		struct cm_range *n = realloc(r->taken, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		r->taken = n;
		r->cap_taken = ncap;
	}
	while (k < r->nr_taken && r->taken[k].start < pfn)
		k++;
	memmove(&r->taken[k + 1], &r->taken[k], (r->nr_taken - k) * sizeof(r->taken[0]));
	r->taken[k] = (struct cm_range){ pfn, pfn + nr_pages };
	r->nr_taken++;
	tdx_max_tree_set(&cn->largest_gap, i, largest_gap(r));
	return 0;
}

/*
 * The node order of @nid's zonelist. A node the platform does not describe
 * (the kernel's fallback to node 0 when node 0 has no memory list entry)
 * has none at boot: its order is found now, with the boot node_load.
 */
static int zonelist_of(const struct contig *c, int nid, int *order)
{
	struct cm_node_states seen = c->states;
	cm_nodemask_t used = 0;
	int node, nr = 0;

	if (c->zonelists.nr[nid]) {
		memcpy(order, c->zonelists.order[nid], sizeof(c->zonelists.order[nid]));
		return c->zonelists.nr[nid];
	}
	seen.cpu = 0;
	while ((node = cm_find_next_best_node(c->platform, &seen, c->zonelists.node_load, nid, &used)) >= 0)
		order[nr++] = node;
	return nr;
}

static int contig_alloc(void *state, int nid, uint64_t size, uint64_t *base, int *got_node)
{
	struct contig *c = state;
	uint64_t nr_pages = size >> PAGE_SHIFT;
	int order[CM_MAX_NUMNODES], nr_order = zonelist_of(c, nid, order);

	if (!nr_pages)
		return -EINVAL;
	for (int k = 0; k < nr_order; k++) {
		int node = order[k];

		for (int z = CONTIG_NR_ZONES - 1; z >= 0; z--) {
			size_t i;
			uint64_t pfn;

			if (c->nodes[node].zone_start_pfn[z] == c->nodes[node].zone_end_pfn[z])
				continue;
			pfn = zone_search(c, node, (enum contig_zone)z, nr_pages, &i);
			if (pfn == UINT64_MAX)
				continue;
			if (region_take(&c->nodes[node], i, pfn, nr_pages))
				return -ENOMEM;
			*base = pfn << PAGE_SHIFT;
			*got_node = node;
			return 0;
		}
	}
	return -ENOMEM;
}

const struct tdx_pamt_placement_operations tdx_pamt_contig = {
	.name = "kernel",
	.open = contig_open,
	.alloc = contig_alloc,
	.close = contig_close,
};
