// SPDX-License-Identifier: MIT
/*
 * Memory cgroups: the engine is the memory controller of the cgroup tree.
 * A fault charges one page through the memory page counter and, refused,
 * reclaims from the level that refused it, then OOM-kills inside it.
 */
#include <errno.h>
#include <stdlib.h>

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

	if (cgroup->id >= MM_MAX_MEMCGS)
		return -ENOSPC;
	if (nr <= mm->nr_lruvec_memcgs)
		return 0;
	l = realloc(mm->lruvecs, nr * CM_MAX_NUMNODES * sizeof(*l));
	if (!l)
		return -ENOMEM;
	mm->lruvecs = l;
	for (size_t i = mm->nr_lruvec_memcgs * CM_MAX_NUMNODES; i < nr * CM_MAX_NUMNODES; i++)
		for (int k = 0; k < CM_NR_LRU; k++)
			l[i].lists[k] = (struct list_head32){ CM_NIL, CM_NIL, 0 };
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

void cm_mm_memcg_info(const struct cm_mm *mm, int memcg, struct cm_memcg_info *info)
{
	const struct cm_cgroup *c = cm_cgroup_get(mm->cgroups, memcg);

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

/* The charge refused at @fail: reclaim from its subtree first, OOM-kill inside it last, and retry. */
int mm_try_charge_slow(struct cm_mm *mm, int space, struct cm_page_counter *counter, struct cm_page_counter *fail)
{
	do {
		int over = cm_cgroup_of_memory(fail)->id;
		int retries;

		for (retries = 0; retries < MAX_RECLAIM_RETRIES && cm_page_counter_limit_hit(counter, 1); retries++) {
			uint64_t progress = 0;

			for (int n = 0; n < mm->nr_node_ids; n++)
				if (mm->nodes[n].online)
					progress += mm_shrink_node(mm, n, over, CM_SWAP_CLUSTER_MAX, RECLAIM_MEMCG);
			if (!progress)
				break;
		}
		if (cm_page_counter_limit_hit(counter, 1)) {
			mm_memcg_event(mm, over, CM_MEMCG_EVENT_OOM);
			if (mm_oom_kill(mm, over) < 0 || mm->spaces[space].killed)
				return -ENOMEM;
		}
	} while (!cm_page_counter_try_charge(counter, 1, &fail));
	return 0;
}
