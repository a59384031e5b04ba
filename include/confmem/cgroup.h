/* SPDX-License-Identifier: MIT */
/*
 * One cgroup tree for every controller (SPEC 6, 8.3): each cgroup has a
 * path, a parent and children, and the state of each controller: memory
 * (memory.max, memory.current, memory.peak, memory.swap.*, memory.events)
 * and misc (one page counter per resource: sgx_epc today). A controller
 * that keeps more per cgroup (the engine's LRUs, the EPC's LRU) registers
 * an online callback and indexes its own arrays by cgroup id.
 *
 * Every controller charges through one page counter, modelled on the
 * kernel's mm/page_counter.c: a charge walks from the cgroup up to the
 * root, and a level that would go over its max undoes the levels already
 * charged and is reported, like page_counter_try_charge().
 */
#ifndef CONFMEM_CGROUP_H
#define CONFMEM_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CM_CGROUP_PATH_MAX 128
#define CM_CGROUP_MAX UINT64_MAX	/* a limit of "max" */

/* ---- page counter ---- */

struct cm_page_counter {
	uint64_t usage;			/* pages, hierarchical: this level and its subtree */
	uint64_t max;
	uint64_t watermark;		/* the highest usage after a successful charge (*.peak) */
	uint64_t failcnt;		/* charges that failed at this level (events.local: max) */
	uint64_t events_max;		/* charges that failed here or below (events: max); never on the root */
	struct cm_page_counter *parent;	/* NULL on the root */
};

void cm_page_counter_init(struct cm_page_counter *counter, struct cm_page_counter *parent, uint64_t max);
/*
 * Charge @nr pages to @counter and every ancestor. A level that would go
 * over its max stops the walk: the levels below it are uncharged, its
 * failcnt and the events_max of it and its ancestors below the root are
 * counted, *@fail names it and false is returned. On success every
 * level's watermark is raised and *@fail is NULL.
 */
bool cm_page_counter_try_charge(struct cm_page_counter *counter, uint64_t nr, struct cm_page_counter **fail);
/* Charge without looking at the limits (the caller checked them). */
void cm_page_counter_charge(struct cm_page_counter *counter, uint64_t nr);
void cm_page_counter_uncharge(struct cm_page_counter *counter, uint64_t nr);
/* The lowest level that @nr more pages would push over its max, or NULL; counts nothing. */
struct cm_page_counter *cm_page_counter_limit_hit(const struct cm_page_counter *counter, uint64_t nr);
/* The lowest max on the path from @counter to the root. */
uint64_t cm_page_counter_lowest_max(const struct cm_page_counter *counter);

/* ---- controllers and their state ---- */

enum cm_cgroup_controller {
	CM_CGROUP_MEMORY,
	CM_CGROUP_MISC,
	CM_NR_CGROUP_CONTROLLERS
};

const char *cm_cgroup_controller_name(enum cm_cgroup_controller controller);

/* memory.events other than max (which is the memory page counter's events_max). */
enum cm_memcg_event {
	CM_MEMCG_EVENT_OOM,
	CM_MEMCG_EVENT_OOM_KILL,
	CM_NR_MEMCG_EVENTS
};

const char *cm_memcg_event_name(enum cm_memcg_event event);

struct cm_memcg_state {
	struct cm_page_counter memory;	/* memory.max, memory.current, memory.peak */
	struct cm_page_counter swap;	/* memory.swap.max, memory.swap.current */
	uint64_t events[CM_NR_MEMCG_EVENTS];
	uint32_t reclaim_cursor;	/* round-robin position for reclaim of this subtree */
};

/*
 * Resources of the misc controller, as in the kernel's misc_res_type: a
 * new one is one row here and in the name table in lib/cgroup/cgroup.c.
 */
enum cm_misc_res {
	CM_MISC_SGX_EPC,	/* EPC pages */
	CM_MISC_TDX,		/* TDX private KeyIDs (HKIDs), one per running TD */
	CM_NR_MISC_RES
};

const char *cm_misc_res_name(enum cm_misc_res res);

struct cm_misc_state {
	/* misc.max, misc.current, misc.peak, misc.events, misc.events.local; the root's max is the capacity */
	struct cm_page_counter res[CM_NR_MISC_RES];
};

struct cm_cgroup {
	char path[CM_CGROUP_PATH_MAX];
	int id;				/* 0 is the root; ids are dense, in creation order */
	struct cm_cgroup *parent;	/* NULL on the root */
	struct cm_cgroup *first_child;
	struct cm_cgroup *next_sibling;
	struct cm_memcg_state memory;
	struct cm_misc_state misc;
};

/*
 * A controller that keeps its own per-cgroup state: @online is called for
 * every cgroup created while it is registered (and, at registration, for
 * every cgroup that exists), in id order. It returns 0 or a negative errno
 * that refuses the new cgroup.
 */
struct cm_cgroup_controller_ops {
	int (*online)(void *owner, struct cm_cgroup *cgroup);
};

struct cm_cgroup_registration {
	const struct cm_cgroup_controller_ops *ops;	/* NULL: not registered */
	void *owner;
};

struct cm_cgroup_tree {
	struct cm_cgroup **cgroups;	/* by id */
	size_t nr_cgroups;
	struct cm_cgroup_registration controllers[CM_NR_CGROUP_CONTROLLERS];
};

/* A tree holding only the root "/" (its misc capacities 0 until set). */
int cm_cgroup_tree_new(struct cm_cgroup_tree **out);
void cm_cgroup_tree_free(struct cm_cgroup_tree *tree);

int cm_cgroup_controller_register(struct cm_cgroup_tree *tree, enum cm_cgroup_controller controller,
				  const struct cm_cgroup_controller_ops *ops, void *owner);
void cm_cgroup_controller_unregister(struct cm_cgroup_tree *tree, enum cm_cgroup_controller controller);

/* Create @path below @parent. Returns the new id or -EINVAL, -EEXIST, -ENOMEM, or an online callback's error. */
int cm_cgroup_create(struct cm_cgroup_tree *tree, const char *path, int parent);
/* The id of @path, or -1. */
int cm_cgroup_find(const struct cm_cgroup_tree *tree, const char *path);
/* Is @cgroup @ancestor or below it? */
bool cm_cgroup_is_descendant(const struct cm_cgroup_tree *tree, int cgroup, int ancestor);

static inline struct cm_cgroup *cm_cgroup_get(const struct cm_cgroup_tree *tree, int id)
{
	return tree->cgroups[id];
}

/* The cgroup whose memory counter, or misc counter of @res, is @counter (the kernel's container_of). */
static inline struct cm_cgroup *cm_cgroup_of_memory(const struct cm_page_counter *counter)
{
	return (struct cm_cgroup *)((uintptr_t)counter - offsetof(struct cm_cgroup, memory.memory));
}

static inline struct cm_cgroup *cm_cgroup_of_misc(const struct cm_page_counter *counter, enum cm_misc_res res)
{
	return (struct cm_cgroup *)((uintptr_t)(counter - res) - offsetof(struct cm_cgroup, misc.res));
}

/*
 * The misc controller's one charge path (the kernel's misc_cg_try_charge):
 * charge @amount of @res to @cgroup and every ancestor; a level at its
 * misc.max or the capacity refuses it, counts misc.events max there and
 * above (events.local there), undoes the levels below, names itself in
 * *@fail_cgroup (may be NULL) and -EBUSY is returned.
 */
int cm_misc_try_charge(struct cm_cgroup_tree *tree, enum cm_misc_res res, int cgroup, uint64_t amount,
		       int *fail_cgroup);
void cm_misc_uncharge(struct cm_cgroup_tree *tree, enum cm_misc_res res, int cgroup, uint64_t amount);

/* misc.capacity of @res: the root's max. */
void cm_misc_set_capacity(struct cm_cgroup_tree *tree, enum cm_misc_res res, uint64_t nr_pages);

#endif /* CONFMEM_CGROUP_H */
