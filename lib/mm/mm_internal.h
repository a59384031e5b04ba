/* SPDX-License-Identifier: MIT */
#ifndef CONFMEM_MM_INTERNAL_H
#define CONFMEM_MM_INTERNAL_H

#include "confmem/cgroup.h"
#include "confmem/mm.h"

/*
 * One 4 KiB frame, in two halves. The page-table entry that maps it (vpt[])
 * holds its accessed bit, as the PTE does: a touch of a resident page reads
 * and writes that entry alone. One byte of flags (mm->frame_flags[idx]) says
 * which list the frame is on and what reclaim needs. The cold half is
 * this 10-byte descriptor. @owner is the global virtual page number of the
 * page it holds. @link: on an LRU list, the frame's sequence number in
 * that list's ring (struct lru_ring); on a free list, the next free frame.
 * @demoted: the page has been demoted before. The frame's node is not
 * stored: frame_node() finds it from the index.
 */
struct frame {
	uint32_t link;
	uint32_t owner;
	uint16_t memcg : 15;
	uint16_t demoted : 1;
} __attribute__((packed));

#define MM_MAX_MEMCGS 32767

/* NUMA balancing in tiering mode (SPEC 7, promotion). */
#define NUMA_SCAN_PERIOD_MS 1000		/* pages of a task are marked this often */
#define NUMA_HOT_THRESHOLD_MS 1000		/* numa_balancing_hot_threshold_ms */
#define NUMA_PROMOTE_RATE_LIMIT_MBPS 65536	/* numa_balancing_promote_rate_limit_MBps */

/* The low three bits of frame.flags: which list the frame is on. */
enum frame_list {
	FL_INACTIVE_ANON = CM_LRU_INACTIVE_ANON,
	FL_ACTIVE_ANON = CM_LRU_ACTIVE_ANON,
	FL_INACTIVE_FILE = CM_LRU_INACTIVE_FILE,
	FL_ACTIVE_FILE = CM_LRU_ACTIVE_FILE,
	FL_UNEVICTABLE = CM_LRU_UNEVICTABLE,
	FL_FREE = 5,
	FL_ISOLATED = 6,	/* taken off its list by reclaim, in transit */
	FL_OFFLINE = 7,		/* memory that is not online */
};

#define FRAME_LIST_MASK 0x07
#define FRAME_REFERENCED 0x10	/* PG_referenced */
#define FRAME_DIRTY 0x20
#define FRAME_ANON 0x40
#define FRAME_HINT 0x80		/* NUMA balancing made the page inaccessible: the next access is a hint fault */

/* Frames are grouped in chunks of 64 for frame_node(): a chunk of one node's frames says which. */
#define FRAME_CHUNK_SHIFT 6
#define FRAME_CHUNK_MIXED 0xff	/* the chunk's frames are of more than one node */

/* Where the frames of a node begin: runs in index order, for chunks of more than one node. */
struct frame_run {
	uint32_t first;
	int node;
};

/*
 * A virtual page's location: a frame index (bits 0-29) with the accessed
 * bit (VP_YOUNG), a swap slot (bit 31), or nothing.
 */
#define VP_NONE UINT32_MAX
#define VP_SWAP 0x80000000U
#define VP_FILE_READ 0x7FFFFFFFU	/* a file page that was cached before (a re-read is a major fault) */
#define VP_YOUNG 0x40000000U		/* accessed since reclaim last looked (the PTE accessed bit) */
#define VP_FRAME_MASK 0x3FFFFFFFU

#define CM_MAX_FRAMES CM_MM_FRAMES_MAX
#define CM_MAX_SWAP_SLOTS 0x7FFFFFF0U

/*
 * Is the location a frame (resident), not swap, nothing or a file page
 * read before? Frame indices are below CM_MAX_FRAMES: with the accessed
 * bit they stay below VP_FILE_READ; swap slots and VP_NONE have bit 31
 * set, above it: one comparison.
 */
_Static_assert((CM_MAX_FRAMES | VP_YOUNG) < VP_FILE_READ, "a frame index reads as a frame location");
_Static_assert(CM_MAX_FRAMES <= VP_FRAME_MASK, "a frame index fits below the accessed bit");
_Static_assert(CM_MAX_SWAP_SLOTS < (VP_NONE & ~VP_SWAP), "a swap slot is not VP_NONE");
static inline bool vp_is_frame(uint32_t loc)
{
	return loc < VP_FILE_READ;
}

/*
 * An LRU list as a ring of frame indices, oldest at @tail, newest at
 * offset @used - 1. A frame taken off from the middle leaves its slot
 * behind (lazy deletion): the slot at offset k is live only while its
 * frame says it is on this list of this lruvec with link == tail_seq + k.
 * Order is exactly that of a linked list, and a scan from the tail knows
 * the frames it will look at next, so it fetches them early instead of
 * chasing pointers. Dead slots are dropped when they reach the tail, and
 * squeezed out when the ring would otherwise grow.
 */
struct lru_ring {
	uint32_t *slots;
	uint32_t capacity;
	uint32_t tail;		/* slot of the oldest entry */
	uint32_t used;		/* slots from the tail, live or dead */
	uint32_t tail_seq;	/* sequence number of the entry at the tail */
	uint64_t nr;		/* live entries: the pages on the list */
};

struct lruvec {
	struct lru_ring lists[CM_NR_LRU];
};

struct segment {
	uint32_t first;		/* first frame index */
	uint32_t nr;
	uint32_t fresh;		/* frames [first + fresh, first + nr) were never handed out */
	uint64_t phys;		/* physical address of the first frame */
};

#define MM_FREE_CACHE 512	/* a power of two */
#define MM_FREE_AHEAD 8		/* how many frames ahead of an allocation are fetched */

struct mm_node {
	bool exists;
	bool online;
	bool kswapd_woken;
	uint64_t present;
	uint64_t free;
	/*
	 * Freed frames, one stack (the last freed is taken first): the newest
	 * MM_FREE_CACHE in a ring of indices, so that taking one can fetch the
	 * frames to be taken next, and older ones linked through frame.link.
	 */
	uint32_t free_head;
	uint32_t free_cache[MM_FREE_CACHE];
	uint32_t free_cache_bottom;	/* slot of the oldest cached frame */
	uint32_t nr_free_cached;
	struct segment *segments;
	size_t nr_segments;
	struct cm_watermarks wmark;
	uint64_t counters[CM_NR_COUNTERS];
	uint32_t memcg_cursor;	/* kswapd's round-robin position */
	uint64_t promoted_this_ms;	/* promotion rate limit */
};

struct space {
	uint64_t base;		/* first global virtual page */
	uint64_t nr_anon;
	uint64_t nr_file;
	uint64_t resident;
	uint64_t swapped;
	int memcg;
	int cpu_node;
	struct cm_mempolicy policy;
	uint64_t interleave_next;
	uint64_t last_numa_scan_ms;
	bool released;
	bool killed;
	bool unevictable;	/* CM_SPACE_UNEVICTABLE: its pages live on the unevictable LRU */
	uint64_t pinned;	/* unevictable: pages its owner put in and has not taken out */
	bool unkillable;	/* CM_SPACE_KERNEL: the OOM killer never picks it */
	bool numa_hinted;	/* NUMA balancing has marked some of its pages (FRAME_HINT): a touch reads the flags */
	struct cm_mm_oom_kill oom;	/* why the OOM killer took it (when killed) */
};

struct cm_mm {
	const struct cm_platform *platform;
	struct cm_config config;
	struct cm_tiering tiering;
	bool tiering_valid;	/* false while targets are recomputed: demotion off */
	cm_nodemask_t via_acpi, via_kmem;	/* how hot-added memory arrived, by node (cm_node_states) */

	struct frame *frames;
	uint8_t *frame_flags;	/* the hot half of every frame */
	uint8_t *chunk_node;	/* [idx >> FRAME_CHUNK_SHIFT]: the node, or FRAME_CHUNK_MIXED */
	struct frame_run *frame_runs;
	size_t nr_frame_runs;
	uint64_t nr_frames;
	struct mm_node nodes[CM_MAX_NUMNODES];
	int nr_node_ids;

	struct cm_cgroup_tree *cgroups;	/* the memory controller's state is in every cgroup */
	struct lruvec *lruvecs;	/* [memcg * CM_MAX_NUMNODES + node] */
	size_t nr_lruvec_memcgs;	/* memcgs the lruvecs have room for */
	uint64_t *memcg_stats;	/* [memcg * CM_NR_MEMCG_STATS + stat], local to each memcg */

	struct space *spaces;
	size_t nr_spaces;
	size_t spaces_capacity;
	uint64_t vpt_capacity;	/* entries mm->vpt has room for */
	uint64_t nr_killed;	/* spaces the OOM killer killed */
	struct cm_mm_demotion_stats demotion;	/* when reclaim could not demote, and why */
	uint32_t *vpt;		/* location of every virtual page */
	uint64_t nr_vpages;

	uint64_t swap_total;
	uint64_t swap_used;
	uint32_t *swap_free;	/* stack of released slots */
	uint64_t nr_swap_free;
	uint64_t swap_fresh;	/* slots [swap_fresh, swap_total) never used */

	cm_nodemask_t kswapd_woken_mask;	/* nodes whose kswapd is awake */
	uint64_t kswapd_credit;	/* faults since kswapd last kept pace, times KSWAPD_PACE_PAGES */

	bool lru_enomem;	/* an LRU ring could not grow: the invariant check fails from then on */
	uint64_t rng;		/* demotion target choice */
	uint64_t now_ms;	/* simulated time, for NUMA balancing */
};

/*
 * A virtual page's location is stored inverted, so that a table that reads
 * as zero says VP_NONE: pages never touched cost nothing (mm_table_resize).
 * vpt_get() gives a frame's index without its accessed bit.
 */
static inline uint32_t vpt_get(const struct cm_mm *mm, uint64_t gvpn)
{
	uint32_t loc = ~mm->vpt[gvpn];

	return vp_is_frame(loc) ? loc & VP_FRAME_MASK : loc;
}

/* The page at @gvpn is now at @loc; a frame mapped here is accessed when @young. */
static inline void vpt_set(struct cm_mm *mm, uint64_t gvpn, uint32_t loc, bool young)
{
	mm->vpt[gvpn] = ~(young ? loc | VP_YOUNG : loc);
}

/* The page moved to frame @idx (migration): its accessed bit goes with it, as remove_migration_pte() keeps it. */
static inline void vpt_move(struct cm_mm *mm, uint64_t gvpn, uint32_t idx)
{
	mm->vpt[gvpn] = ~(idx | (~mm->vpt[gvpn] & VP_YOUNG));
}

/* ptep_test_and_clear_young() on the entry that maps a resident page: was it accessed? */
static inline bool vpt_test_clear_young(struct cm_mm *mm, uint64_t gvpn)
{
	uint32_t young = ~mm->vpt[gvpn] & VP_YOUNG;

	mm->vpt[gvpn] |= young;
	return young;
}

/* The index into @n->free_cache of the slot @k places above its oldest frame. */
static inline uint32_t free_cache_slot(const struct mm_node *n, uint32_t k)
{
	return (n->free_cache_bottom + k) & (MM_FREE_CACHE - 1);
}

static inline enum frame_list frame_list_of(const struct cm_mm *mm, uint32_t idx)
{
	return (enum frame_list)(mm->frame_flags[idx] & FRAME_LIST_MASK);
}

static inline void frame_set_list(struct cm_mm *mm, uint32_t idx, enum frame_list l)
{
	mm->frame_flags[idx] = (uint8_t)((mm->frame_flags[idx] & ~FRAME_LIST_MASK) | l);
}

int mm_frame_node_of_run(const struct cm_mm *mm, uint32_t idx);

/* Fetch frame @idx's descriptor and flags for a write soon: a hint, never a fault. */
static inline void mm_prefetch_frame(const struct cm_mm *mm, uint32_t idx)
{
	__builtin_prefetch(&mm->frames[idx], 1);
	__builtin_prefetch(&mm->frame_flags[idx], 1);
}

static inline int frame_node(const struct cm_mm *mm, uint32_t idx)
{
	uint8_t node = mm->chunk_node[idx >> FRAME_CHUNK_SHIFT];

	return node != FRAME_CHUNK_MIXED ? node : mm_frame_node_of_run(mm, idx);
}

static inline struct cm_memcg_state *mm_memcg(const struct cm_mm *mm, int memcg)
{
	return &cm_cgroup_get(mm->cgroups, memcg)->memory;
}

static inline size_t mm_nr_memcgs(const struct cm_mm *mm)
{
	return mm->cgroups->nr_cgroups;
}

#define MAX_RECLAIM_RETRIES 16

/* Count a memory.stat event in @memcg (memcg_info sums the subtree, as rstat does). */
static inline void mm_memcg_count(struct cm_mm *mm, int memcg, enum cm_memcg_stat stat, uint64_t nr)
{
	mm->memcg_stats[(size_t)memcg * CM_NR_MEMCG_STATS + stat] += nr;
}

/*
 * table.c: a big table (frames, flags, virtual pages, swap) of @new_bytes,
 * with @table's entries (NULL: a new one); bytes never written read as
 * zero. NULL when out of memory, @table left as it was.
 */
void *mm_table_resize(void *table, size_t new_bytes);
void mm_table_free(void *table);

/* mm.c */
uint64_t mm_rand(struct cm_mm *mm);

/* frames.c */
void mm_compute_watermarks(struct cm_mm *mm);
int mm_add_segment(struct cm_mm *mm, int node, uint64_t phys, uint64_t nr_pages, struct cm_error *err);
uint32_t mm_alloc_on_node(struct cm_mm *mm, int node, uint64_t watermark);
void mm_free_frame(struct cm_mm *mm, uint32_t idx);
void mm_wake_kswapd(struct cm_mm *mm, int node);

/* lru.c */
/* The index into @r->slots of the slot @offset (< capacity) places from the tail. */
static inline uint32_t mm_ring_slot(const struct lru_ring *r, uint32_t offset)
{
	uint32_t slot = r->tail + offset;

	return slot >= r->capacity ? slot - r->capacity : slot;
}

/* Ring @r's slots, out of line: shrink to fit; make room for one more (false: no memory). */
void mm_ring_shrink(struct lru_ring *r);
bool mm_ring_make_room(struct cm_mm *mm, struct lru_ring *r, int memcg, int node, enum frame_list l);

/* A ring that holds less than seven eighths of its slots shrinks (lru.c: ring_capacity_for). */
static inline void mm_ring_maybe_shrink(struct lru_ring *r)
{
	if (r->capacity > 1024 && r->used < r->capacity - r->capacity / 8)
		mm_ring_shrink(r);
}

/* The slot at the tail goes: the next one is the oldest. */
static inline void mm_ring_drop_tail(struct lru_ring *r)
{
	r->tail = mm_ring_slot(r, 1);
	r->tail_seq++;
	r->used--;
}

/* One page fewer on the list: with none left every slot is dead, and the ring starts over. */
static inline void mm_ring_one_less(struct lru_ring *r)
{
	if (!--r->nr) {
		r->tail_seq += r->used;
		r->tail = 0;
		r->used = 0;
	}
	mm_ring_maybe_shrink(r);
}

static inline struct lruvec *mm_lruvec(struct cm_mm *mm, int memcg, int node)
{
	return &mm->lruvecs[(size_t)memcg * CM_MAX_NUMNODES + (size_t)node];
}

/*
 * Add frame @idx at the head (newest end) of ring @r, list @l of (@memcg,
 * @node): the caller knows where the frame goes. The ring is a table: a
 * full one is compacted or grown out of line; with no memory for that the
 * frame stays isolated and the invariant check fails (lru_enomem).
 */
static inline void mm_list_add_to(struct cm_mm *mm, struct lru_ring *r, uint32_t idx, int memcg, int node,
				  enum frame_list l)
{
	if (r->used == r->capacity && !mm_ring_make_room(mm, r, memcg, node, l)) {
		frame_set_list(mm, idx, FL_ISOLATED);
		return;
	}
	r->slots[mm_ring_slot(r, r->used)] = idx;
	mm->frames[idx].link = r->tail_seq + r->used;	/* a store: the descriptor is not read */
	r->used++;
	r->nr++;
	frame_set_list(mm, idx, l);
}

/* Add at the head (newest end) of the list @l of the frame's own memcg and node. */
static inline void mm_list_add(struct cm_mm *mm, uint32_t idx, enum frame_list l)
{
	int memcg = mm->frames[idx].memcg, node = frame_node(mm, idx);

	mm_list_add_to(mm, &mm_lruvec(mm, memcg, node)->lists[l], idx, memcg, node, l);
}

void mm_list_del(struct cm_mm *mm, uint32_t idx);
/* The oldest page on list @l of (@memcg, @node), or CM_NIL; dead slots before it are dropped. */
uint32_t mm_list_tail(struct cm_mm *mm, int memcg, int node, enum frame_list l);

/* Take the oldest page off ring @r (list @l of (@memcg, @node)) and isolate it; CM_NIL when empty. */
static inline uint32_t mm_list_pop_tail(struct cm_mm *mm, struct lru_ring *r, int memcg, int node,
					enum frame_list l)
{
	uint32_t idx;

	/* With no dead slot, the tail is live: the frame's descriptor need not be read to know it. */
	if (r->used != r->nr && mm_list_tail(mm, memcg, node, l) == CM_NIL)
		return CM_NIL;
	if (!r->nr)
		return CM_NIL;
	idx = r->slots[r->tail];
	mm_ring_drop_tail(r);
	mm_ring_one_less(r);
	frame_set_list(mm, idx, FL_ISOLATED);
	return idx;
}

/* Fetch the descriptor of the frame @offset slots from the tail, for a scan that will read it. */
static inline void mm_list_prefetch(const struct cm_mm *mm, const struct lru_ring *r, uint32_t offset)
{
	uint32_t idx;

	if (offset >= r->used)
		return;
	idx = r->slots[mm_ring_slot(r, offset)];
	mm_prefetch_frame(mm, idx);
	__asm__ volatile("" ::: "memory");	/* issued here, before the caller's loads that may miss */
}

/*
 * Fetch the page-table entry of the frame @offset slots from the tail of
 * @r, whose descriptor was fetched earlier: a scan will test its accessed
 * bit. A dead slot's frame may be free (no owner): nothing is fetched.
 */
static inline void mm_list_prefetch_pte(const struct cm_mm *mm, const struct lru_ring *r, uint32_t offset)
{
	uint32_t owner;

	if (offset >= r->used)
		return;
	owner = mm->frames[r->slots[mm_ring_slot(r, offset)]].owner;
	if (owner < mm->nr_vpages)
		__builtin_prefetch(&mm->vpt[owner], 1);
	/* Without it the compiler finds this function pure, returning nothing, and drops its calls. */
	__asm__ volatile("" ::: "memory");
}
/* How far ahead of a scan the frames at the tail are fetched: descriptors, then page-table entries. */
#define LRU_PREFETCH_AHEAD 32
#define LRU_PREFETCH_PTE_AHEAD 16

/*
 * A scan of up to @nr pages from the tail of @r begins: fetch the
 * descriptors its first pages will read. Their page-table entries are not
 * fetched here: that would wait for the descriptors just asked for.
 */
static inline void mm_list_prefetch_start(const struct cm_mm *mm, const struct lru_ring *r, uint64_t nr)
{
	for (uint32_t k = 0; k < LRU_PREFETCH_AHEAD && k < nr; k++)
		mm_list_prefetch(mm, r, k);
}

/* The scan took the page at the tail of @r: fetch for the pages it will take next. */
static inline void mm_list_prefetch_ahead(const struct cm_mm *mm, const struct lru_ring *r)
{
	mm_list_prefetch(mm, r, LRU_PREFETCH_AHEAD);
	mm_list_prefetch_pte(mm, r, LRU_PREFETCH_PTE_AHEAD);
}
/* Is the slot at @offset from the tail of @r live on list @l of (@memcg, @node)? Its frame in *idx. */
bool mm_ring_live(const struct cm_mm *mm, const struct lru_ring *r, uint32_t offset, int memcg, int node,
		  enum frame_list l, uint32_t *idx);
void mm_ring_free(struct lru_ring *r);

/* space.c */
int mm_space_of(const struct cm_mm *mm, uint64_t gvpn);

/* memcg.c */
int mm_memcg_register(struct cm_mm *mm);
bool mm_is_ancestor(const struct cm_mm *mm, int ancestor, int memcg);
int mm_try_charge_slow(struct cm_mm *mm, int space, struct cm_page_counter *counter, struct cm_page_counter *fail);
void mm_uncharge(struct cm_mm *mm, int memcg, uint64_t nr);
void mm_memcg_event(struct cm_mm *mm, int memcg, enum cm_memcg_event ev);

/* oom.c */
/* Kill the live space with the most pages in @memcg's subtree (0: everywhere); its id or -1. */
int mm_oom_kill(struct cm_mm *mm, int memcg);

/* swap.c */
bool mm_swap_slot_get(struct cm_mm *mm, int memcg, uint32_t *slot);
void mm_swap_slot_put(struct cm_mm *mm, uint32_t slot, int memcg);
bool mm_swap_room(const struct cm_mm *mm, int memcg);

/* promote.c */
void mm_numa_hint_fault(struct cm_mm *mm, int space, uint32_t idx);

/* reclaim.c */
enum reclaimer { RECLAIM_KSWAPD, RECLAIM_DIRECT, RECLAIM_MEMCG };
/*
 * Reclaim up to @nr pages from @node's LRUs of @memcg's subtree (0: all).
 * Returns the pages freed (demoted pages count).
 */
uint64_t mm_shrink_node(struct cm_mm *mm, int node, int memcg, uint64_t nr, enum reclaimer who);
enum cm_demotion_verdict mm_demotion_verdict(const struct cm_mm *mm, int node, enum reclaimer who);
/* After a fault while some kswapd is awake: kswapd reclaims its share between faults. */
void mm_kswapd_keep_pace(struct cm_mm *mm);
/* Memory came online or went offline: zonelists rebuilt with CPUs mapped, then the tiers (SPEC 7). */
int mm_rebuild_zonelists_and_tiers(struct cm_mm *mm);

/*
 * Charge one page to @space's memcg: 0, or -ENOMEM when the OOM killer
 * took @space or found nothing. The charge that fits is the hot path of
 * every fault, so it is inline; a refused one goes to reclaim.
 */
static inline int mm_try_charge(struct cm_mm *mm, int space)
{
	struct cm_page_counter *counter = &mm_memcg(mm, mm->spaces[space].memcg)->memory, *fail;

	if (cm_page_counter_try_charge(counter, 1, &fail))
		return 0;
	return mm_try_charge_slow(mm, space, counter, fail);
}

#endif
