// SPDX-License-Identifier: MIT
/*
 * The cgroup tree: cgroups by id (0 is the root), each with its parent and
 * children and the state of every controller, and the controllers that
 * keep more per cgroup registered for a callback when one is created.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/cgroup.h"
#include "confmem/names.h"

static const char *const controller_names[CM_NR_CGROUP_CONTROLLERS] = {
	[CM_CGROUP_MEMORY] = "memory",
	[CM_CGROUP_MISC] = "misc",
};

static const char *const memcg_event_names[CM_NR_MEMCG_EVENTS] = {
	[CM_MEMCG_EVENT_OOM] = "oom",
	[CM_MEMCG_EVENT_OOM_KILL] = "oom_kill",
};

static const char *const misc_res_names[CM_NR_MISC_RES] = {
	[CM_MISC_SGX_EPC] = "sgx_epc",
	[CM_MISC_TDX] = "tdx",
};

const char *cm_cgroup_controller_name(enum cm_cgroup_controller controller)
{
	return cm_name_of(controller_names, CM_NR_CGROUP_CONTROLLERS, controller);
}

const char *cm_memcg_event_name(enum cm_memcg_event event)
{
	return cm_name_of(memcg_event_names, CM_NR_MEMCG_EVENTS, event);
}

const char *cm_misc_res_name(enum cm_misc_res res)
{
	return cm_name_of(misc_res_names, CM_NR_MISC_RES, res);
}

/* Every counter of a new cgroup: no limits; on the root the misc capacities start at 0. */
static void init_state(struct cm_cgroup *cg, struct cm_cgroup *parent)
{
	cm_page_counter_init(&cg->memory.memory, parent ? &parent->memory.memory : NULL, CM_CGROUP_MAX);
	cm_page_counter_init(&cg->memory.swap, parent ? &parent->memory.swap : NULL, CM_CGROUP_MAX);
	for (int r = 0; r < CM_NR_MISC_RES; r++)
		cm_page_counter_init(&cg->misc.res[r], parent ? &parent->misc.res[r] : NULL, parent ? CM_CGROUP_MAX : 0);
}

static int online(struct cm_cgroup_tree *tree, struct cm_cgroup *cg)
{
	for (int k = 0; k < CM_NR_CGROUP_CONTROLLERS; k++) {
		const struct cm_cgroup_registration *reg = &tree->controllers[k];
		int ret = reg->ops ? reg->ops->online(reg->owner, cg) : 0;

		if (ret)
			return ret;
	}
	return 0;
}

static int add_cgroup(struct cm_cgroup_tree *tree, const char *path, struct cm_cgroup *parent)
{
	struct cm_cgroup **cgroups = realloc(tree->cgroups, (tree->nr_cgroups + 1) * sizeof(*cgroups));
	struct cm_cgroup *cg, **link;
	int ret;

	if (!cgroups)
		return -ENOMEM;
	tree->cgroups = cgroups;
	cg = calloc(1, sizeof(*cg));
	if (!cg)
		return -ENOMEM;
	snprintf(cg->path, sizeof(cg->path), "%s", path);
	cg->id = (int)tree->nr_cgroups;
	cg->parent = parent;
	init_state(cg, parent);
	ret = online(tree, cg);
	if (ret)
		goto out_free_cgroup;
	tree->cgroups[tree->nr_cgroups++] = cg;
	for (link = parent ? &parent->first_child : NULL; link && *link; link = &(*link)->next_sibling)
		;
	if (link)
		*link = cg;
	return cg->id;

out_free_cgroup:
	free(cg);
	return ret;
}

int cm_cgroup_tree_new(struct cm_cgroup_tree **out)
{
	struct cm_cgroup_tree *tree = calloc(1, sizeof(*tree));
	int ret;

	*out = NULL;
	if (!tree)
		return -ENOMEM;
	ret = add_cgroup(tree, "/", NULL);
	if (ret < 0) {
		cm_cgroup_tree_free(tree);
		return ret;
	}
	*out = tree;
	return 0;
}

void cm_cgroup_tree_free(struct cm_cgroup_tree *tree)
{
	if (!tree)
		return;
	for (size_t i = 0; i < tree->nr_cgroups; i++)
		free(tree->cgroups[i]);
	free(tree->cgroups);
	free(tree);
}

int cm_cgroup_controller_register(struct cm_cgroup_tree *tree, enum cm_cgroup_controller controller,
				  const struct cm_cgroup_controller_ops *ops, void *owner)
{
	if ((unsigned int)controller >= CM_NR_CGROUP_CONTROLLERS || tree->controllers[controller].ops)
		return -EINVAL;
	for (size_t i = 0; i < tree->nr_cgroups; i++) {
		int ret = ops->online(owner, tree->cgroups[i]);

		if (ret)
			return ret;
	}
	tree->controllers[controller] = (struct cm_cgroup_registration){ ops, owner };
	return 0;
}

void cm_cgroup_controller_unregister(struct cm_cgroup_tree *tree, enum cm_cgroup_controller controller)
{
	tree->controllers[controller] = (struct cm_cgroup_registration){ NULL, NULL };
}

int cm_cgroup_create(struct cm_cgroup_tree *tree, const char *path, int parent)
{
	if (parent < 0 || (size_t)parent >= tree->nr_cgroups)
		return -EINVAL;
	if (cm_cgroup_find(tree, path) >= 0)
		return -EEXIST;
	return add_cgroup(tree, path, tree->cgroups[parent]);
}

int cm_cgroup_find(const struct cm_cgroup_tree *tree, const char *path)
{
	for (size_t i = 0; i < tree->nr_cgroups; i++)
		if (!strcmp(tree->cgroups[i]->path, path))
			return (int)i;
	return -1;
}

bool cm_cgroup_is_descendant(const struct cm_cgroup_tree *tree, int cgroup, int ancestor)
{
	for (const struct cm_cgroup *c = tree->cgroups[cgroup]; c; c = c->parent)
		if (c->id == ancestor)
			return true;
	return false;
}

void cm_misc_set_capacity(struct cm_cgroup_tree *tree, enum cm_misc_res res, uint64_t nr_pages)
{
	tree->cgroups[0]->misc.res[res].max = nr_pages;
}

int cm_misc_try_charge(struct cm_cgroup_tree *tree, enum cm_misc_res res, int cgroup, uint64_t amount,
		       int *fail_cgroup)
{
	struct cm_page_counter *fail;

	if (cm_page_counter_try_charge(&tree->cgroups[cgroup]->misc.res[res], amount, &fail))
		return 0;
	if (fail_cgroup)
		*fail_cgroup = cm_cgroup_of_misc(fail, res)->id;
	return -EBUSY;
}

void cm_misc_uncharge(struct cm_cgroup_tree *tree, enum cm_misc_res res, int cgroup, uint64_t amount)
{
	cm_page_counter_uncharge(&tree->cgroups[cgroup]->misc.res[res], amount);
}
