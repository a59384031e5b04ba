// SPDX-License-Identifier: MIT
/*
 * The misc controller's sgx_epc resource (the EPC cgroup series): the
 * EPC joins the engine's cgroup tree, keeps an LRU per cgroup, and
 * charges through the sgx_epc page counter, reclaiming from the level
 * that refuses a page.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epc_internal.h"

/* The misc controller's online callback: an empty LRU for the new cgroup, its cursor on itself. */
static int sgx_cgroup_online(void *owner, struct cm_cgroup *cgroup)
{
	struct cm_epc *epc = owner;
	size_t nr = (size_t)cgroup->id + 1;
	struct sgx_cgroup *c;

	if (nr > epc->nr_cgroups) {
		size_t capacity = nr + nr / 8 + 4;	/* geometric: many cgroups cost amortised constant time */

		c = realloc(epc->cgroups, capacity * sizeof(*c));
		if (!c)
			return -ENOMEM;
		epc->cgroups = c;
		epc->nr_cgroups = capacity;
	}
	c = &epc->cgroups[cgroup->id];
	memset(c, 0, sizeof(*c));
	c->lru = (struct lru){ EPC_NIL, EPC_NIL, 0 };
	c->cursor = (uint32_t)cgroup->id;
	c->async_next = -1;
	return 0;
}

static const struct cm_cgroup_controller_ops sgx_cgroup_ops = { .online = sgx_cgroup_online };

/* Join @tree as its misc controller; the root's sgx_epc max becomes the EPC's capacity. */
int epc_cgroup_register(struct cm_epc *epc, struct cm_cgroup_tree *tree)
{
	int ret = cm_cgroup_controller_register(tree, CM_CGROUP_MISC, &sgx_cgroup_ops, epc);

	if (ret)
		return ret;
	epc->tree = tree;
	cm_misc_set_capacity(tree, CM_MISC_SGX_EPC, epc->nr_pages);
	return 0;
}

void epc_cgroup_unregister(struct cm_epc *epc)
{
	if (!epc->tree)
		return;
	cm_misc_set_capacity(epc->tree, CM_MISC_SGX_EPC, 0);
	cm_cgroup_controller_unregister(epc->tree, CM_CGROUP_MISC);
	epc->tree = NULL;
}

/* misc.max: non-preemptive, lowering it below the usage reclaims nothing now. */
void cm_epc_cgroup_set_max(struct cm_epc *epc, int cgroup, uint64_t max_pages)
{
	if (cgroup > 0)
		epc_counter(epc, cgroup)->max = max_pages;
}

void cm_epc_cgroup_info(const struct cm_epc *epc, int cgroup, struct cm_epc_cgroup_info *info)
{
	const struct cm_page_counter *c = epc_counter(epc, cgroup);

	info->capacity_pages = cgroup ? 0 : epc->nr_pages;
	info->max_pages = cgroup ? c->max : epc->nr_pages;
	info->current_pages = c->usage;
	info->peak_pages = c->watermark;
	info->events_max = c->events_max;
	info->events_local_max = c->failcnt;
	info->lru_pages = epc->cgroups[cgroup].lru.nr;
}

/* sgx.oom=kill-enclave: kill the enclave with the most EPC pages in @root's subtree. */
static bool oom_kill_enclave(struct cm_epc *epc, int root)
{
	int victim = -1;

	for (size_t i = 0; i < epc->nr_enclaves; i++) {
		const struct enclave *e = &epc->enclaves[i];

		if (e->released || e->dead || !epc_is_ancestor(epc, root, e->cgroup))
			continue;
		if (victim < 0 || e->epc_pages > epc->enclaves[victim].epc_pages)
			victim = (int)i;
	}
	if (victim < 0)
		return false;
	epc->enclaves[victim].dead = true;
	epc->enclaves[victim].oom_cgroup = root;
	epc->nr_dead++;
	snprintf(epc->enclaves[victim].reason, sizeof(epc->enclaves[victim].reason), "killed by sgx.oom=kill-enclave: "
		 "it held the most EPC in %s, which was at misc.max with nothing reclaimable",
		 cm_cgroup_get(epc->tree, root)->path);
	epc->counters[CM_SGX_OOM_KILL]++;
	cm_epc_enclave_release(epc, victim);
	return true;
}

/*
 * Charge one page; a level at its misc.max (counted in misc.events there)
 * makes the caller reclaim from that level's subtree, queue asynchronous
 * reclaim (-EBUSY) or, with nothing reclaimable, fail (or OOM-kill).
 */
int epc_try_charge(struct cm_epc *epc, int cgroup, enum cm_epc_reclaim reclaim)
{
	int level;

	while (cm_misc_try_charge(epc->tree, CM_MISC_SGX_EPC, cgroup, 1, &level)) {
		if (epc_subtree_lru_pages(epc, level) && reclaim == CM_EPC_NO_RECLAIM) {
			epc_queue_async(epc, cgroup);
			return -EBUSY;
		}
		if (epc_subtree_lru_pages(epc, level) && epc_reclaim_bounded(epc, level))
			continue;
		if (epc->config->sgx_oom == CM_SGX_OOM_KILL_ENCLAVE && oom_kill_enclave(epc, level))
			continue;
		return -ENOMEM;
	}
	return 0;
}
