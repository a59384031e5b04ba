/* SPDX-License-Identifier: MIT */
/*
 * Memory tiers and demotion targets (SPEC 7): the kernel's fallback
 * order (find_next_best_node, node_load), abstract distances and tiers
 * (mm/memory-tiers.c, 6.1+), and the 5.15 distance-based order.
 */
#ifndef CONFMEM_TIERING_H
#define CONFMEM_TIERING_H

#include <stdbool.h>
#include <stdint.h>

#include "confmem/platform.h"

/* How demotion targets are chosen (tiering.model). */
enum cm_tiering_model {
	CM_TIERING_TIERS,	/* memory tiers by abstract distance (6.1+) */
	CM_TIERING_DISTANCE,	/* the 5.15 distance-based order */
	CM_TIERING_NR
};
const char *cm_tiering_model_name(enum cm_tiering_model m);
/* The model in words, for reports: "memory-tiers", "distance". */
const char *cm_tiering_model_title(enum cm_tiering_model m);

/*
 * Whether memory-cgroup reclaim may demote (tiering.memcg_demotion): `model`
 * (the default) follows tiering.model, allowed with `tiers` (the kernel
 * since 6.1), never with `distance` (5.15).
 */
enum cm_memcg_demotion {
	CM_MEMCG_DEMOTION_NEVER,
	CM_MEMCG_DEMOTION_ALLOWED,
	CM_MEMCG_DEMOTION_MODEL,
	CM_MEMCG_DEMOTION_NR
};
const char *cm_memcg_demotion_name(enum cm_memcg_demotion d);

#define CM_MEMTIER_CHUNK_BITS 7
#define CM_MEMTIER_CHUNK_SIZE (1 << CM_MEMTIER_CHUNK_BITS)
#define CM_MEMTIER_ADISTANCE_DRAM 576	/* (4 * CM_MEMTIER_CHUNK_SIZE) + half a chunk */
#define CM_MEMTIER_DEFAULT_DAX_ADISTANCE (CM_MEMTIER_ADISTANCE_DRAM * 5)
#define CM_PENALTY_FOR_NODE_WITH_CPUS 1
#define CM_NUMA_NO_NODE (-1)

/* A set of node ids; CM_MAX_NUMNODES is 64. */
typedef uint64_t cm_nodemask_t;

static inline bool cm_node_isset(cm_nodemask_t m, int n) { return (m >> n) & 1; }
static inline void cm_node_set(cm_nodemask_t *m, int n) { *m |= 1ULL << n; }

/* What the kernel's node states say: N_MEMORY, N_CPU, and the node ids that exist. */
struct cm_node_states {
	cm_nodemask_t possible;
	cm_nodemask_t memory;
	cm_nodemask_t cpu;
	/*
	 * How a node without boot RAM got its memory, when a hot-add said so
	 * (its first says): ACPI memory hot-add (default abstract distance 576)
	 * or device-dax/kmem (2880). A node in neither goes by its hot-add
	 * windows: kmem when one lies in a soft-reserved or pmem e820 range.
	 */
	cm_nodemask_t via_acpi;
	cm_nodemask_t via_kmem;
};

/* How hot-added memory arrives (the hotadd event's `via`). */
enum cm_hotadd_via {
	CM_HOTADD_VIA_WINDOW,	/* by the window's e820 type: kmem for soft-reserved or pmem, else acpi */
	CM_HOTADD_VIA_ACPI,
	CM_HOTADD_VIA_KMEM,
	CM_HOTADD_VIA_NR
};
/* "window", "acpi", "kmem". */
const char *cm_hotadd_via_name(enum cm_hotadd_via via);

/* The boot-time states of @p: nodes with boot RAM have memory. */
void cm_node_states_from_platform(const struct cm_platform *p, struct cm_node_states *s);

/*
 * Whether find_next_best_node() sees which nodes have CPUs. x86 builds the
 * boot zonelists (mm_core_init) before any CPU is added to its node's mask
 * (numa_add_cpu() runs from identify_cpu(), later), so the boot order has
 * no CPU penalty; demotion targets, computed with CPUs online, have it.
 */
enum cm_cpu_mapping {
	CM_CPUS_UNMAPPED,	/* boot: every node looks headless */
	CM_CPUS_MAPPED,
};

struct cm_tiering {
	enum cm_tiering_model model;
	struct cm_node_states states;
	enum cm_cpu_mapping zonelist_cpus;	/* how the fallback lists were built */

	/* Fallback lists, as built for every possible node in ascending order. */
	int fallback_order[CM_MAX_NUMNODES][CM_MAX_NUMNODES];
	int nr_fallback[CM_MAX_NUMNODES];
	unsigned int node_load[CM_MAX_NUMNODES];

	/* Tiers (both models compute them; only 'tiers' uses them). */
	int adistance[CM_MAX_NUMNODES];		/* -1: no memory */
	int top_tier_adistance;
	bool hmat_used;				/* the HMAT reference was usable */

	/* Demotion: preferred targets and the fallback (lower tier) mask per node. */
	cm_nodemask_t preferred[CM_MAX_NUMNODES];
	cm_nodemask_t lower_tier[CM_MAX_NUMNODES];

	struct cm_log log;	/* "Fallback order for Node N: ..." and "Demotion targets for Node N: ..." */
};

/*
 * Compute fallback orders, tiers and demotion targets for @states on @p
 * (distances, CPUs, HMAT, how memory arrived, adistance overrides) as at
 * boot: the fallback lists and node_load without the CPU penalty, the
 * demotion targets with it. @t is overwritten; release its log with
 * cm_tiering_free().
 */
int cm_tiering_compute(const struct cm_platform *p, const struct cm_node_states *states,
		       enum cm_tiering_model model, struct cm_tiering *t);
/*
 * The same with the fallback lists built as @cpus says: CM_CPUS_MAPPED for
 * the zonelists the kernel rebuilds when memory comes online or goes
 * offline at run time.
 */
int cm_tiering_compute_as(const struct cm_platform *p, const struct cm_node_states *states,
			  enum cm_tiering_model model, enum cm_cpu_mapping cpus, struct cm_tiering *t);
void cm_tiering_free(struct cm_tiering *t);


/*
 * Which kernel's zonelist rules build_zonelists()/find_next_best_node() follow.
 * V6_8 (the 'tiers' model): every node placed at a new distance from the
 * list's owner gets node_load += 1 (since 5.16), and a memoryless node is not
 * its own first choice (the N_MEMORY check of v6.8). V5_15 (the 'distance'
 * model): node_load[node] = load, load counting down from nr_online_nodes
 * in each list, lists built for online nodes only, the scale of
 * find_next_best_node MAX_NODE_LOAD * MAX_NUMNODES, and a memoryless node
 * lists itself first.
 */
enum cm_zonelist_kernel {
	CM_ZONELIST_V6_8,
	CM_ZONELIST_V5_15,
};

/* The node order of every possible node's zonelist and the node_load it leaves. */
struct cm_zonelist_orders {
	int order[CM_MAX_NUMNODES][CM_MAX_NUMNODES];
	int nr[CM_MAX_NUMNODES];
	unsigned int node_load[CM_MAX_NUMNODES];
};

/*
 * build_all_zonelists(): each possible node's list in ascending node order,
 * node_load carried from list to list (the first node at each new distance
 * from the list's owner gets +1); the rules of CM_ZONELIST_V6_8.
 */
void cm_build_zonelist_orders(const struct cm_platform *p, const struct cm_node_states *states,
			      enum cm_cpu_mapping cpus, struct cm_zonelist_orders *z);
/* The same under @kernel's rules (V5_15: online nodes only, node_load counting down). */
void cm_build_zonelist_orders_as(const struct cm_platform *p, const struct cm_node_states *states,
				 enum cm_cpu_mapping cpus, enum cm_zonelist_kernel kernel,
				 struct cm_zonelist_orders *z);

/* The kernel's find_next_best_node(): updates @used; CM_NUMA_NO_NODE when none is left. */
int cm_find_next_best_node(const struct cm_platform *p, const struct cm_node_states *states,
			   const unsigned int *node_load, int node, cm_nodemask_t *used);
/* The same under @kernel's rules; cm_find_next_best_node() is CM_ZONELIST_V6_8. */
int cm_find_next_best_node_as(const struct cm_platform *p, const struct cm_node_states *states,
			      const unsigned int *node_load, enum cm_zonelist_kernel kernel, int node,
			      cm_nodemask_t *used);

/* memory_tierN id of a node (adistance >> 7), or -1. */
int cm_tiering_tier_id(const struct cm_tiering *t, int node);
bool cm_tiering_is_top_tier(const struct cm_tiering *t, int node);

/*
 * The lines build_all_zonelists() prints when memory is hot-added at run
 * time (CPUs mapped): `Fallback order for Node N: ...` for @node only, or
 * for every possible node when @node is CM_NUMA_NO_NODE, then `Built K
 * zonelists, mobility grouping on.  Total pages: @total_pages` (K: the
 * nodes with memory or CPUs) and `Policy zone: @policy_zone` (the highest
 * zone with memory: Normal, DMA32 or DMA).
 */
int cm_zonelists_log(const struct cm_platform *p, const struct cm_node_states *states, int node,
		     uint64_t total_pages, const char *policy_zone, struct cm_log *log);

/* Format a mask in list syntax into @buf. */
void cm_nodemask_format(cm_nodemask_t m, char *buf, size_t len);

#endif /* CONFMEM_TIERING_H */
