// SPDX-License-Identifier: MIT
/*
 * Memory cgroups: the engine is the memory controller of the cgroup tree.
 * A fault charges one page through the memory page counter and, refused,
 * reclaims from the level that refused it, then OOM-kills inside it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/names.h"

#include "mm_internal.h"

bool mm_is_ancestor(const struct cm_mm *mm, int ancestor, int memcg)
{
	return cm_cgroup_is_descendant(mm->cgroups, memcg, ancestor);
}

/* The memory controller's online callback: room on the LRUs for one more memcg. */
static int memcg_online(void *owner, struct cm_cgroup *cgroup)
{
	struct cm_mm *mm = owner;
	size_t nr = (size_t)cgroup->id + 1;
	struct lruvec *l;
	uint64_t *stats;

	if (cgroup->id >= MM_MAX_MEMCGS)
		return -ENOSPC;
	if (nr <= mm->nr_lruvec_memcgs)
		return 0;
	stats = realloc(mm->memcg_stats, nr * CM_NR_MEMCG_STATS * sizeof(*stats));
	if (!stats)
		return -ENOMEM;
	mm->memcg_stats = stats;
	memset(stats + mm->nr_lruvec_memcgs * CM_NR_MEMCG_STATS, 0,
	       (nr - mm->nr_lruvec_memcgs) * CM_NR_MEMCG_STATS * sizeof(*stats));
	l = realloc(mm->lruvecs, nr * CM_MAX_NUMNODES * sizeof(*l));
	if (!l)
		return -ENOMEM;
	mm->lruvecs = l;
	for (size_t i = mm->nr_lruvec_memcgs * CM_MAX_NUMNODES; i < nr * CM_MAX_NUMNODES; i++)
		for (int k = 0; k < CM_NR_LRU; k++)
			l[i].lists[k] = (struct lru_ring){ 0 };
	mm->nr_lruvec_memcgs = nr;
	return 0;
}

static const struct cm_cgroup_controller_ops memcg_ops = { .online = memcg_online };

int mm_memcg_register(struct cm_mm *mm)
{
	return cm_cgroup_controller_register(mm->cgroups, CM_CGROUP_MEMORY, &memcg_ops, mm);
}

struct cm_cgroup_tree *cm_mm_cgroups(struct cm_mm *mm)
{
	return mm->cgroups;
}

int cm_mm_memcg_create(struct cm_mm *mm, const char *path, int parent)
{
	return cm_cgroup_create(mm->cgroups, path, parent);
}

int cm_mm_memcg_find(const struct cm_mm *mm, const char *path)
{
	return cm_cgroup_find(mm->cgroups, path);
}

/* memory.events counts in the cgroup and every ancestor below the root. */
void mm_memcg_event(struct cm_mm *mm, int memcg, enum cm_memcg_event ev)
{
	for (struct cm_cgroup *c = cm_cgroup_get(mm->cgroups, memcg); c->parent; c = c->parent)
		c->memory.events[ev]++;
}

/* The root has no memory.max, as in the kernel: writes to it change nothing. */
void cm_mm_memcg_set_max(struct cm_mm *mm, int memcg, uint64_t max_pages)
{
	struct cm_page_counter *m = &mm_memcg(mm, memcg)->memory;
	int retries = MAX_RECLAIM_RETRIES;

	if (!memcg)
		return;
	m->max = max_pages;
	while (m->usage > m->max) {
		uint64_t progress = 0;

		for (int n = 0; n < mm->nr_node_ids; n++)
			if (mm->nodes[n].online)
				progress += mm_shrink_node(mm, n, memcg, m->usage - m->max, RECLAIM_MEMCG);
		if (progress)
			continue;
		if (retries-- > 0)
			continue;
		mm_memcg_event(mm, memcg, CM_MEMCG_EVENT_OOM);
		if (mm_oom_kill(mm, memcg) < 0)
			break;
	}
}

void cm_mm_memcg_set_swap_max(struct cm_mm *mm, int memcg, uint64_t max_pages)
{
	if (memcg)
		mm_memcg(mm, memcg)->swap.max = max_pages;
}

size_t cm_mm_nr_memcgs(const struct cm_mm *mm)
{
	return mm_nr_memcgs(mm);
}

static const char *const memcg_stat_names[CM_NR_MEMCG_STATS] = {
	[CM_MEMCG_PGDEMOTE_KSWAPD] = "pgdemote_kswapd",
	[CM_MEMCG_PGDEMOTE_DIRECT] = "pgdemote_direct",
	[CM_MEMCG_PGPROMOTE_SUCCESS] = "pgpromote_success",
	[CM_MEMCG_PGSCAN] = "pgscan",
	[CM_MEMCG_PGSTEAL] = "pgsteal",
	[CM_MEMCG_PGSCAN_KSWAPD] = "pgscan_kswapd",
	[CM_MEMCG_PGSCAN_DIRECT] = "pgscan_direct",
	[CM_MEMCG_PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[CM_MEMCG_PGSTEAL_DIRECT] = "pgsteal_direct",
	[CM_MEMCG_PGFAULT] = "pgfault",
	[CM_MEMCG_PGMAJFAULT] = "pgmajfault",
	[CM_MEMCG_PGREFILL] = "pgrefill",
	[CM_MEMCG_PGACTIVATE] = "pgactivate",
	[CM_MEMCG_PGDEACTIVATE] = "pgdeactivate",
};

const char *cm_memcg_stat_name(enum cm_memcg_stat s)
{
	return cm_name_of(memcg_stat_names, CM_NR_MEMCG_STATS, s);
}

int cm_memcg_stat_from_name(const char *name)
{
	return cm_name_find(memcg_stat_names, CM_NR_MEMCG_STATS, name);
}

/* memory.stat is hierarchical: the events of the cgroup and of every descendant. */
static void memcg_stat_sum(const struct cm_mm *mm, int memcg, uint64_t *stat)
{
	memset(stat, 0, CM_NR_MEMCG_STATS * sizeof(*stat));
	for (size_t m = 0; m < mm_nr_memcgs(mm); m++) {
		const uint64_t *local = mm->memcg_stats + m * CM_NR_MEMCG_STATS;

		if (!mm_is_ancestor(mm, memcg, (int)m))
			continue;
		for (int s = 0; s < CM_NR_MEMCG_STATS; s++)
			stat[s] += local[s];
	}
	stat[CM_MEMCG_PGSCAN] = stat[CM_MEMCG_PGSCAN_KSWAPD] + stat[CM_MEMCG_PGSCAN_DIRECT];
	stat[CM_MEMCG_PGSTEAL] = stat[CM_MEMCG_PGSTEAL_KSWAPD] + stat[CM_MEMCG_PGSTEAL_DIRECT];
}

void cm_mm_memcg_info(const struct cm_mm *mm, int memcg, struct cm_memcg_info *info)
{
	const struct cm_cgroup *c = cm_cgroup_get(mm->cgroups, memcg);

	memcg_stat_sum(mm, memcg, info->stat);

	info->path = c->path;
	info->usage_pages = c->memory.memory.usage;
	info->peak_pages = c->memory.memory.watermark;
	info->max_pages = c->memory.memory.max;
	info->swap_pages = c->memory.swap.usage;
	info->swap_max_pages = c->memory.swap.max;
	info->events_max = c->memory.memory.events_max;
	info->events_oom = c->memory.events[CM_MEMCG_EVENT_OOM];
	info->events_oom_kill = c->memory.events[CM_MEMCG_EVENT_OOM_KILL];
}

void mm_uncharge(struct cm_mm *mm, int memcg, uint64_t nr)
{
	cm_page_counter_uncharge(&mm_memcg(mm, memcg)->memory, nr);
}

/*
 * Pages one reclaim attempt of the charge path asks for. try_to_free_mem_cgroup_pages()
 * asks for max(nr_pages, SWAP_CLUSTER_MAX), but Debian's 6.12 runs the multi-gen LRU
 * (CONFIG_LRU_GEN_ENABLED=y), whose eviction isolates MIN_LRU_BATCH (BITS_PER_LONG, 64)
 * pages before it looks at the target again, and all of them are demoted or reclaimed.
 */
#define MEMCG_RECLAIM_PAGES 64

/* try_to_free_mem_cgroup_pages(): reclaim @memcg's subtree node by node until enough is freed. */
static uint64_t memcg_reclaim(struct cm_mm *mm, int memcg)
{
	uint64_t progress = 0;

	for (int n = 0; n < mm->nr_node_ids && progress < MEMCG_RECLAIM_PAGES; n++)
		if (mm->nodes[n].online)
			progress += mm_shrink_node(mm, n, memcg, MEMCG_RECLAIM_PAGES - progress, RECLAIM_MEMCG);
	return progress;
}

/*
 * The charge refused at @fail, as 6.12's try_charge_memcg() goes on: every
 * refusal is a `max` event (the page counter counts it) and one reclaim of
 * the refusing level's subtree; retry at once when that left room, once more
 * after draining the per-CPU stocks (none here), and without counting while
 * reclaim makes progress (a one-page charge); else count down
 * MAX_RECLAIM_RETRIES, then OOM-kill inside that level and start counting
 * again. Demoted pages stay charged, so demotion is progress that leaves no
 * room.
 */
int mm_try_charge_slow(struct cm_mm *mm, int space, struct cm_page_counter *counter, struct cm_page_counter *fail)
{
	int nr_retries = MAX_RECLAIM_RETRIES;
	bool drained = false;

	do {
		struct cm_page_counter *over = fail;
		int over_id = cm_cgroup_of_memory(over)->id;
		uint64_t reclaimed = memcg_reclaim(mm, over_id);

		if (over->usage < over->max)
			continue;
		if (!drained) {
			drained = true;
			continue;
		}
		if (reclaimed || nr_retries-- > 0)
			continue;
		mm_memcg_event(mm, over_id, CM_MEMCG_EVENT_OOM);
		if (mm_oom_kill(mm, over_id) < 0 || mm->spaces[space].killed)
			return -ENOMEM;
		nr_retries = MAX_RECLAIM_RETRIES;
	} while (!cm_page_counter_try_charge(counter, 1, &fail));
	return 0;
}
