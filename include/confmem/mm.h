/* SPDX-License-Identifier: MIT */
/*
 * The page-level memory engine (SPEC 6, 7): every 4 KiB frame of every
 * online node, free lists, per-node per-memcg LRUs, watermarks, kswapd,
 * direct reclaim, demotion, swap and memory cgroups. Deterministic.
 *
 * Owners of memory are "spaces": a range of virtual pages (anon first,
 * then file) with one entry per page saying where the page is.
 */
#ifndef CONFMEM_MM_H
#define CONFMEM_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confmem/cgroup.h"
#include "confmem/config.h"
#include "confmem/platform.h"
#include "confmem/tiering.h"

/* What spaces are created with: a memory policy (cgroups come from cgroup.h's tree). */
enum cm_mempolicy_mode { CM_MPOL_DEFAULT, CM_MPOL_BIND, CM_MPOL_PREFERRED, CM_MPOL_INTERLEAVE };
/* A count, not an enum value, so that switches over the modes stay exhaustive. */
#define CM_NR_MEMPOLICY_MODES (CM_MPOL_INTERLEAVE + 1)
/* "default", "bind", "preferred", "interleave", as set_mempolicy(2) names them. */
const char *cm_mempolicy_mode_name(enum cm_mempolicy_mode mode);

struct cm_mempolicy {
	enum cm_mempolicy_mode mode;
	cm_nodemask_t nodes;		/* bind / interleave; preferred: exactly one node */
};

#define CM_NIL UINT32_MAX
#define CM_SWAP_CLUSTER_MAX 32	/* the kernel's reclaim batch */

/* Counters, named as in /proc/vmstat; kept per node and summed for totals. */
enum cm_counter {
	CM_PGALLOC,
	CM_PGFREE,
	CM_PGFAULT,
	CM_PGMAJFAULT,
	CM_PGSCAN_KSWAPD,
	CM_PGSCAN_DIRECT,
	CM_PGSTEAL_KSWAPD,
	CM_PGSTEAL_DIRECT,
	CM_PGDEMOTE_KSWAPD,
	CM_PGDEMOTE_DIRECT,
	CM_PGDEMOTE_FAIL,	/* chosen for demotion, no room on the target: normal reclaim instead */
	CM_PGDEMOTE_AGAIN,	/* demoted pages demoted once more */
	CM_PGMIGRATE_SUCCESS,
	CM_PGMIGRATE_FAIL,
	CM_PSWPIN,
	CM_PSWPOUT,
	CM_PGACTIVATE,
	CM_PGDEACTIVATE,
	CM_NR_WRITTEN,		/* dirty file pages written back by reclaim */
	CM_PGDROP_FILE,		/* clean file pages dropped by reclaim */
	CM_KSWAPD_WAKE,
	CM_ALLOCSTALL,		/* direct reclaim entered */
	CM_OOM_KILL,
	CM_NUMA_HINT_FAULTS,
	CM_PGPROMOTE_CANDIDATE,
	CM_PGPROMOTE_SUCCESS,
	CM_PGSCAN_ANON,		/* every reclaimer, cgroup reclaim included */
	CM_PGSCAN_FILE,
	CM_PGSTEAL_ANON,
	CM_PGSTEAL_FILE,
	CM_NR_COUNTERS
};

const char *cm_counter_name(enum cm_counter c);
int cm_counter_from_name(const char *name);

/* Page lists of a node: the kernel's LRU lists plus free. */
enum cm_lru {
	CM_LRU_INACTIVE_ANON,
	CM_LRU_ACTIVE_ANON,
	CM_LRU_INACTIVE_FILE,
	CM_LRU_ACTIVE_FILE,
	CM_LRU_UNEVICTABLE,
	CM_NR_LRU,
};

struct cm_watermarks {
	uint64_t min, low, high;	/* in pages */
	uint64_t promo;			/* high + step: kswapd's target while promotion is on */
};

/*
 * A memory cgroup's memory.stat events, with 6.12's names and in its
 * order, counted in the lruvec's cgroup whoever reclaims (kswapd, a fault's direct reclaim, the
 * charge path's cgroup reclaim: "direct") and shown hierarchically.
 * `pgscan`/`pgsteal` are the sums of their kswapd and direct parts.
 */
enum cm_memcg_stat {
	CM_MEMCG_PGDEMOTE_KSWAPD,	/* memory_stats[]: on the folio's lruvec (its memcg, the source node) */
	CM_MEMCG_PGDEMOTE_DIRECT,
	CM_MEMCG_PGPROMOTE_SUCCESS,
	CM_MEMCG_PGSCAN,		/* memcg_stat_format(): the sums */
	CM_MEMCG_PGSTEAL,
	CM_MEMCG_PGSCAN_KSWAPD,		/* memcg_vm_event_stat[] */
	CM_MEMCG_PGSCAN_DIRECT,
	CM_MEMCG_PGSTEAL_KSWAPD,
	CM_MEMCG_PGSTEAL_DIRECT,
	CM_MEMCG_PGFAULT,
	CM_MEMCG_PGMAJFAULT,
	CM_MEMCG_PGREFILL,		/* active pages scanned for deactivation */
	CM_MEMCG_PGACTIVATE,
	CM_MEMCG_PGDEACTIVATE,
	CM_NR_MEMCG_STATS
};

const char *cm_memcg_stat_name(enum cm_memcg_stat s);
int cm_memcg_stat_from_name(const char *name);

struct cm_mm;

struct cm_mm_node_info {
	int node;
	bool online;
	uint64_t present_pages;		/* online frames */
	uint64_t free_pages;
	uint64_t lru_pages[CM_NR_LRU];
	struct cm_watermarks wmark;
	uint64_t counters[CM_NR_COUNTERS];
};

struct cm_memcg_info {
	const char *path;
	uint64_t usage_pages;		/* hierarchical, like memory.current */
	uint64_t peak_pages;
	uint64_t max_pages;		/* UINT64_MAX: max */
	uint64_t swap_pages;		/* hierarchical */
	uint64_t swap_max_pages;
	uint64_t events_max;		/* memory.events: max (charge over the limit) */
	uint64_t events_oom;
	uint64_t events_oom_kill;
	uint64_t stat[CM_NR_MEMCG_STATS];	/* memory.stat, hierarchical */
};

/* Create the engine for the online boot RAM of @p. @plan may be NULL. */
int cm_mm_new(const struct cm_platform *p, const struct cm_config *config, struct cm_mm **out,
	      struct cm_error *err);
void cm_mm_free(struct cm_mm *mm);
/* The configuration the engine reads (knobs may change at run time). */
struct cm_config *cm_mm_config(struct cm_mm *mm);

/*
 * Memory cgroups: the engine owns the cgroup tree (cgroup.h) and is its
 * memory controller; other controllers (the EPC's misc) join the same
 * tree. Id 0 is the root. Returns the new id or a negative errno.
 */
struct cm_cgroup_tree *cm_mm_cgroups(struct cm_mm *mm);
int cm_mm_memcg_create(struct cm_mm *mm, const char *path, int parent);
int cm_mm_memcg_find(const struct cm_mm *mm, const char *path);
/*
 * Write memory.max: like the kernel, reclaim the subtree down to the new
 * limit and OOM-kill in it when that is not enough. The root has no
 * memory.max or memory.swap.max: writes to it change nothing.
 */
void cm_mm_memcg_set_max(struct cm_mm *mm, int memcg, uint64_t max_pages);
void cm_mm_memcg_set_swap_max(struct cm_mm *mm, int memcg, uint64_t max_pages);
size_t cm_mm_nr_memcgs(const struct cm_mm *mm);
void cm_mm_memcg_info(const struct cm_mm *mm, int memcg, struct cm_memcg_info *info);

/*
 * The frames an engine simulates at most: 4 TiB of 4 KiB pages (a page's
 * accessed bit sits above the frame's index in its 4-byte page-table entry).
 */
#define CM_MM_FRAMES_MAX 0x3FFFFFF0U

/* The frames cm_mm_new() makes of @p's boot memory: page-aligned, the first 1 MiB left out. */
uint64_t cm_mm_boot_frames(const struct cm_platform *p);

/* The virtual pages of all spaces of an engine together (4 bytes of page table each). */
#define CM_MM_VIRTUAL_PAGES_MAX ((1ULL << 32) - 1)

/*
 * Spaces: @nr_anon then @nr_file virtual pages, charged to @memcg. Returns
 * the id or -errno (-E2BIG beyond CM_MM_VIRTUAL_PAGES_MAX in all).
 */
int cm_mm_space_new(struct cm_mm *mm, uint64_t nr_anon, uint64_t nr_file, int memcg,
		    const struct cm_mempolicy *policy, int cpu_node);
/*
 * Spaces whose pages must stay where they are: a guest_memfd's private
 * pages and the TDX module's Dynamic PAMT pages. Their pages go on the
 * unevictable LRU: never reclaimed, swapped, demoted, promoted or migrated
 * by an offline (which then fails with -EBUSY); cm_mm_check() proves it.
 */
enum cm_space_flags {
	CM_SPACE_UNEVICTABLE = 1U << 0,
	CM_SPACE_KERNEL = 1U << 1,	/* memory the kernel holds for itself: never an OOM victim */
};

/* A space of @nr_pages anonymous pages with @flags (enum cm_space_flags). */
int cm_mm_space_new_flags(struct cm_mm *mm, uint64_t nr_pages, int memcg, const struct cm_mempolicy *policy,
			  int cpu_node, unsigned int flags);
/*
 * Fault in page @page of @space on @node only (the host retrying on one
 * node), or by the space's policy when @node is negative. Returns 0 with
 * the page's node and physical address, or -ENOMEM (nothing free there
 * after reclaim, or the OOM killer took @space; on one node the OOM killer
 * is not called, as with __GFP_THISNODE), -EEXIST when the page is already
 * present.
 */
int cm_mm_fault_on(struct cm_mm *mm, int space, uint64_t page, int node, int *node_out, uint64_t *phys);
/* Where page @page of @space is: 0 with its node and physical address, or -ENOENT. */
int cm_mm_page_location(const struct cm_mm *mm, int space, uint64_t page, int *node, uint64_t *phys);

/* Release every page and swap slot of a space. */
void cm_mm_space_release(struct cm_mm *mm, int space);
/* Drop one page of a space (a truncated shmem page): frame or swap slot freed, charge removed. */
void cm_mm_discard(struct cm_mm *mm, int space, uint64_t page);
uint64_t cm_mm_space_resident(const struct cm_mm *mm, int space);
uint64_t cm_mm_space_swapped(const struct cm_mm *mm, int space);
uint64_t cm_mm_space_resident_on(const struct cm_mm *mm, int space, int node);
bool cm_mm_space_killed(const struct cm_mm *mm, int space);
/* How many spaces the OOM killer has killed so far: a change means some cm_mm_space_killed() became true. */
uint64_t cm_mm_nr_killed(const struct cm_mm *mm);

/* Why the OOM killer took a space: the limit that could not be met, and what the space held then. */
struct cm_mm_oom_kill {
	int memcg;			/* the memory cgroup at its memory.max; 0: out of memory (global OOM) */
	uint64_t limit_pages;		/* that cgroup's memory.max then; 0 for a global OOM */
	uint64_t resident_pages;	/* what the victim held when it was chosen */
	uint64_t swapped_pages;
};
/* Whether the OOM killer took @space; if so, *@kill says why. */
bool cm_mm_space_oom_kill(const struct cm_mm *mm, int space, struct cm_mm_oom_kill *kill);

/*
 * Touch page @page of @space: a fault allocates (reclaiming, demoting,
 * swapping as the kernel would). Returns 0, or -ENOMEM when the OOM killer
 * killed this space (its memory is released). Other spaces killed on the
 * way are marked (cm_mm_space_killed).
 */
int cm_mm_touch(struct cm_mm *mm, int space, uint64_t page, bool write);

/*
 * Touch @nr pages of @space in order, exactly as @nr calls of
 * cm_mm_touch() would, reading ahead: the page-table entries and frame
 * descriptors of the next pages are fetched while this one is handled.
 * @writes is NULL (all reads) or one flag per page; every page must be
 * inside the space. Returns 0, or the first error with *nr_done set to the
 * touches that completed before it.
 */
int cm_mm_touch_batch(struct cm_mm *mm, int space, const uint64_t *pages, const bool *writes, size_t nr,
		      size_t *nr_done);

/*
 * Advance simulated time to @now_ms; with tiering.promotion, NUMA
 * balancing marks the lower-tier pages of every space each
 * NUMA_SCAN_PERIOD_MS, so their next access is a hint fault.
 */
void cm_mm_tick(struct cm_mm *mm, uint64_t now_ms);

/* Run kswapd on every node that was woken, up to @budget pages scanned per node. */
void cm_mm_run_kswapd(struct cm_mm *mm, uint64_t budget);

/* Does [start, start + size) overlap memory that is online? */
bool cm_mm_range_online(const struct cm_mm *mm, uint64_t start, uint64_t size);
/*
 * Say how hot-added memory arrives on @node (before cm_mm_online): ACPI
 * hot-add or device-dax/kmem, for its default abstract distance (576 or
 * 2880) when HMAT gives none. The first hot-add that says decides;
 * CM_HOTADD_VIA_WINDOW says nothing (the window's e820 type decides).
 */
void cm_mm_set_hotadd_via(struct cm_mm *mm, int node, enum cm_hotadd_via via);
/* Bring a hot-added range online on @node (a new node id is created as a memory-only node). */
int cm_mm_online(struct cm_mm *mm, int node, uint64_t start, uint64_t nr_pages, struct cm_error *err);
/*
 * Take [start, start + nr_pages) of @node (-1: the node that has it)
 * offline: its pages migrate to
 * the node's other memory or its fallback nodes; -EBUSY (and nothing
 * changes) when there is no room for them.
 */
int cm_mm_offline(struct cm_mm *mm, int node, uint64_t start, uint64_t nr_pages, struct cm_error *err);
/*
 * Whether reclaim of a node may demote (SPEC 7), and if not why: checked
 * each time reclaim scans a node's LRUs that hold pages, in this order.
 */
enum cm_demotion_verdict {
	CM_DEMOTION_ALLOWED,
	CM_DEMOTION_TIERS_INVALID,	/* the demotion targets could not be computed */
	CM_DEMOTION_NO_TARGET,		/* the node has no demotion target (no lower tier) */
	CM_DEMOTION_DISABLED,		/* demotion_enabled=0 and zone_reclaim_mode without RECLAIM_MIGRATE */
	CM_DEMOTION_MEMCG_NEVER,	/* cgroup reclaim, tiering.memcg_demotion=never */
	CM_DEMOTION_MEMCG_DISTANCE,	/* cgroup reclaim, tiering.memcg_demotion=model with tiering.model=distance */
	CM_DEMOTION_NR_VERDICTS
};
/* "allowed", "tiers_invalid", "no_target", "disabled", "memcg_never", "memcg_distance". */
const char *cm_demotion_verdict_name(enum cm_demotion_verdict v);

/* How often reclaim could not demote, by reason (never counts CM_DEMOTION_ALLOWED). */
struct cm_mm_demotion_stats {
	uint64_t passes[CM_DEMOTION_NR_VERDICTS];	/* scans of a node's LRUs (one cgroup's) */
	uint64_t scanned_pages[CM_DEMOTION_NR_VERDICTS];	/* pages those scans looked at */
	cm_nodemask_t no_target_nodes;	/* nodes reclaimed while they had no demotion target */
};
void cm_mm_demotion_stats(const struct cm_mm *mm, struct cm_mm_demotion_stats *stats);

/* Recompute demotion targets (after a node's memory changes or a model change). */
int cm_mm_recompute_tiers(struct cm_mm *mm);
const struct cm_tiering *cm_mm_tiering(const struct cm_mm *mm);

/* Counters and state. */
int cm_mm_nr_nodes(const struct cm_mm *mm);	/* node ids 0..n-1 that ever existed */
void cm_mm_node_info(const struct cm_mm *mm, int node, struct cm_mm_node_info *info);
uint64_t cm_mm_counter_total(const struct cm_mm *mm, enum cm_counter c);
uint64_t cm_mm_swap_total(const struct cm_mm *mm);
uint64_t cm_mm_swap_used(const struct cm_mm *mm);
size_t cm_mm_frame_size(void);
/* The engine's per-frame memory: descriptors plus the LRU rings' slots (live, dead and spare), in bytes. */
uint64_t cm_mm_frame_table_bytes(const struct cm_mm *mm);
uint64_t cm_mm_nr_frames(const struct cm_mm *mm);

/*
 * Check every invariant of SPEC 6: each frame in exactly one state, list
 * and node counts add up, every page's location points back, memcg usage
 * equals its charged pages up the tree and stays within limits, swap slots
 * are accounted. Returns 0 or -EUCLEAN with the first violation in @err.
 */
int cm_mm_check(const struct cm_mm *mm, struct cm_error *err);
/*
 * The same, except that each node's free list is checked by the shape of
 * its links (one chain from the head, every frame linked to once) instead
 * of walked, so no part waits on memory one frame at a time: a 768 GiB run
 * is checked in a fraction of a second instead of ten. It cannot see a loop
 * of free frames cut off from the list, which cm_mm_check() finds.
 */
int cm_mm_check_linear(const struct cm_mm *mm, struct cm_error *err);

#endif /* CONFMEM_MM_H */
