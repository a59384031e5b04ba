// SPDX-License-Identifier: MIT
/*
 * Reclaim (SPEC 7): LRU aging, demotion before discard, swap, write-back.
 *
 * One pass over an lruvec: if the inactive list of a type is low against
 * its active list (the kernel's inactive_is_low() with inactive_ratio =
 * sqrt(10 * GiB)), a batch moves from the active tail to the inactive
 * list; then a batch is isolated from the inactive tail. A page accessed
 * since it was last looked at (young) is activated when it was referenced
 * before, else marked referenced and kept for another trip (anon and file
 * alike, as folio_check_references() does). The rest is reclaimed: first, on a node with a demotion target,
 * migrated there (allocation on the target only, above its min watermark,
 * waking its kswapd; the first failure stops demotion for the batch);
 * what was not demoted is reclaimed normally in a second pass: clean file
 * pages dropped, dirty ones written back and dropped, anon pages swapped
 * while swap (and the memcg's swap.max) has room, else kept active.
 *
 * Anon lists are scanned and aged only while anon is reclaimable (swap
 * room or a demotion target). File and anon are scanned in proportion to
 * their inactive sizes (the kernel with swappiness 100).
 */
#include <math.h>
#include <string.h>

#include "confmem/names.h"
#include "mm_internal.h"

/* tiering.memcg_demotion: `model` allows it with the tiers (6.1+), not with 5.15's distance order. */
static bool memcg_may_demote(const struct cm_config *c)
{
	if (c->memcg_demotion == CM_MEMCG_DEMOTION_MODEL)
		return c->tiering_model == CM_TIERING_TIERS;
	return c->memcg_demotion == CM_MEMCG_DEMOTION_ALLOWED;
}

static const char *const demotion_verdict_names[CM_DEMOTION_NR_VERDICTS] = {
	[CM_DEMOTION_ALLOWED] = "allowed",
	[CM_DEMOTION_TIERS_INVALID] = "tiers_invalid",
	[CM_DEMOTION_NO_TARGET] = "no_target",
	[CM_DEMOTION_DISABLED] = "disabled",
	[CM_DEMOTION_MEMCG_NEVER] = "memcg_never",
	[CM_DEMOTION_MEMCG_DISTANCE] = "memcg_distance",
};

const char *cm_demotion_verdict_name(enum cm_demotion_verdict v)
{
	return cm_name_of(demotion_verdict_names, CM_DEMOTION_NR_VERDICTS, v);
}

enum cm_demotion_verdict mm_demotion_verdict(const struct cm_mm *mm, int node, enum reclaimer who)
{
	if (!mm->tiering_valid)
		return CM_DEMOTION_TIERS_INVALID;
	if (!mm->tiering.preferred[node])
		return CM_DEMOTION_NO_TARGET;
	if (!cm_config_demotion_on(&mm->config))
		return CM_DEMOTION_DISABLED;
	if (who == RECLAIM_MEMCG && !memcg_may_demote(&mm->config))
		return mm->config.memcg_demotion == CM_MEMCG_DEMOTION_NEVER ? CM_DEMOTION_MEMCG_NEVER :
									       CM_DEMOTION_MEMCG_DISTANCE;
	return CM_DEMOTION_ALLOWED;
}

static bool can_demote(const struct cm_mm *mm, int node, enum reclaimer who)
{
	return mm_demotion_verdict(mm, node, who) == CM_DEMOTION_ALLOWED;
}

void cm_mm_demotion_stats(const struct cm_mm *mm, struct cm_mm_demotion_stats *stats)
{
	*stats = mm->demotion;
}

static bool can_reclaim_anon(const struct cm_mm *mm, int node, int memcg, enum reclaimer who)
{
	return mm_swap_room(mm, memcg) || can_demote(mm, node, who);
}

static bool inactive_is_low(const struct lru_ring *inactive, const struct lru_ring *active)
{
	uint64_t gb = (inactive->nr + active->nr) >> (30 - 12);
	uint64_t ratio = gb ? (uint64_t)sqrt(10.0 * (double)gb) : 1;

	return inactive->nr * ratio < active->nr;
}

/* Move up to @nr pages from the active tail to the inactive list. */
static void shrink_active_list(struct cm_mm *mm, int memcg, int node, enum frame_list active, uint64_t nr)
{
	enum frame_list inactive = active == FL_ACTIVE_ANON ? FL_INACTIVE_ANON : FL_INACTIVE_FILE;
	struct lruvec *lv = mm_lruvec(mm, memcg, node);
	struct lru_ring *r = &lv->lists[active];
	uint32_t idx;

	mm_list_prefetch_start(mm, r, nr);
	while (nr-- && (idx = mm_list_pop_tail(mm, r, memcg, node, active)) != CM_NIL) {
		mm_list_prefetch_ahead(mm, r);
		/* folio_referenced() clears the accessed bit; PG_referenced stays, for a quick recovery. */
		vpt_test_clear_young(mm, mm->frames[idx].owner);
		mm_list_add_to(mm, &lv->lists[inactive], idx, memcg, node, inactive);
		mm->nodes[node].counters[CM_PGDEACTIVATE]++;
		mm_memcg_count(mm, memcg, CM_MEMCG_PGREFILL, 1);	/* every page scanned here is deactivated */
		mm_memcg_count(mm, memcg, CM_MEMCG_PGDEACTIVATE, 1);
	}
}

/* As the kernel's node_random(): one target is taken without drawing a random number. */
static int pick_demotion_target(struct cm_mm *mm, int node)
{
	cm_nodemask_t preferred = mm->tiering.preferred[node];
	int k;

	if (!(preferred & (preferred - 1)))
		return __builtin_ctzll(preferred);
	k = (int)(mm_rand(mm) % (uint64_t)__builtin_popcountll(preferred));
	while (k--)
		preferred &= preferred - 1;
	return __builtin_ctzll(preferred);
}

/* A frame on a lower tier for a demoted page, or CM_NIL. */
static uint32_t alloc_demotion_frame(struct cm_mm *mm, int node)
{
	int target = pick_demotion_target(mm, node);
	uint32_t idx = mm_alloc_on_node(mm, target, mm->nodes[target].wmark.min);
	const struct cm_tiering *t = &mm->tiering;

	if (idx != CM_NIL || mm->config.tiering_model == CM_TIERING_DISTANCE)
		return idx;
	/* Any node of the lower tiers, in the target's fallback order. */
	for (int i = 0; i < t->nr_fallback[target]; i++) {
		int n = t->fallback_order[target][i];

		if (n == target || !cm_node_isset(t->lower_tier[node], n))
			continue;
		idx = mm_alloc_on_node(mm, n, mm->nodes[n].wmark.min);
		if (idx != CM_NIL)
			return idx;
	}
	return CM_NIL;
}

/* Migrate isolated frame @idx to a lower tier. Returns false when no room. */
static bool demote_frame(struct cm_mm *mm, uint32_t idx, enum reclaimer who)
{
	struct frame *old;
	int node = frame_node(mm, idx), new_node;
	uint32_t nidx = alloc_demotion_frame(mm, node);
	uint8_t flags = mm->frame_flags[idx];
	struct frame *nf;

	if (nidx == CM_NIL) {
		mm->nodes[node].counters[CM_PGDEMOTE_FAIL]++;
		mm->nodes[node].counters[CM_PGMIGRATE_FAIL]++;
		return false;
	}
	old = &mm->frames[idx];
	nf = &mm->frames[nidx];
	nf->owner = old->owner;
	nf->memcg = old->memcg;
	nf->demoted = 1;
	mm->frame_flags[nidx] = (uint8_t)((flags & (FRAME_ANON | FRAME_DIRTY | FRAME_REFERENCED)) | FL_ISOLATED);
	new_node = frame_node(mm, nidx);
	if (old->demoted)
		mm->nodes[new_node].counters[CM_PGDEMOTE_AGAIN]++;
	vpt_move(mm, old->owner, nidx);
	mm_list_add(mm, nidx, (flags & FRAME_ANON) ? FL_INACTIVE_ANON : FL_INACTIVE_FILE);
	mm_free_frame(mm, idx);
	/* demote_folio_list(): pgdemote_* on the node being reclaimed (the source) and in the memcg. */
	mm->nodes[node].counters[who == RECLAIM_KSWAPD ? CM_PGDEMOTE_KSWAPD : CM_PGDEMOTE_DIRECT]++;
	mm_memcg_count(mm, nf->memcg, who == RECLAIM_KSWAPD ? CM_MEMCG_PGDEMOTE_KSWAPD : CM_MEMCG_PGDEMOTE_DIRECT, 1);
	mm->nodes[new_node].counters[CM_PGMIGRATE_SUCCESS]++;
	return true;
}

/* Second pass: reclaim without demotion. Returns true when the frame was freed. */
static bool reclaim_frame(struct cm_mm *mm, uint32_t idx)
{
	struct frame *f = &mm->frames[idx];
	int space = mm_space_of(mm, f->owner);
	struct space *s = &mm->spaces[space];
	uint64_t *counters = mm->nodes[frame_node(mm, idx)].counters;
	uint32_t slot;

	if (mm->frame_flags[idx] & FRAME_ANON) {
		if (!mm_swap_slot_get(mm, f->memcg, &slot)) {
			mm_list_add(mm, idx, FL_ACTIVE_ANON);	/* no swap: keep it */
			counters[CM_PGACTIVATE]++;
			mm_memcg_count(mm, f->memcg, CM_MEMCG_PGACTIVATE, 1);
			return false;
		}
		vpt_set(mm, f->owner, VP_SWAP | slot, false);
		s->swapped++;
		counters[CM_PSWPOUT]++;
	} else {
		if (mm->frame_flags[idx] & FRAME_DIRTY)
			counters[CM_NR_WRITTEN]++;
		else
			counters[CM_PGDROP_FILE]++;
		vpt_set(mm, f->owner, VP_FILE_READ, false);
	}
	s->resident--;
	mm_uncharge(mm, f->memcg, 1);
	mm_free_frame(mm, idx);
	return true;
}

/*
 * shrink_inactive_list()'s accounting: pgscan/pgsteal_{kswapd,direct} in
 * the memcg always (cgroup reclaim counts as direct), globally only when
 * this is not cgroup reclaim (cgroup_reclaim()); pgscan/pgsteal_{anon,file}
 * globally always. The engine keeps global events per node, on the node
 * reclaimed.
 */
static void count_reclaim(struct cm_mm *mm, int node, int memcg, bool anon, enum reclaimer who,
			  uint64_t scanned, uint64_t freed)
{
	uint64_t *c = mm->nodes[node].counters;
	bool kswapd = who == RECLAIM_KSWAPD;

	mm_memcg_count(mm, memcg, kswapd ? CM_MEMCG_PGSCAN_KSWAPD : CM_MEMCG_PGSCAN_DIRECT, scanned);
	mm_memcg_count(mm, memcg, kswapd ? CM_MEMCG_PGSTEAL_KSWAPD : CM_MEMCG_PGSTEAL_DIRECT, freed);
	if (who != RECLAIM_MEMCG) {
		c[kswapd ? CM_PGSCAN_KSWAPD : CM_PGSCAN_DIRECT] += scanned;
		c[kswapd ? CM_PGSTEAL_KSWAPD : CM_PGSTEAL_DIRECT] += freed;
	}
	c[anon ? CM_PGSCAN_ANON : CM_PGSCAN_FILE] += scanned;
	c[anon ? CM_PGSTEAL_ANON : CM_PGSTEAL_FILE] += freed;
}

/* Scan up to @nr pages from the inactive tail of one list; returns pages freed, adds to *nr_scanned. */
static uint64_t shrink_inactive_list(struct cm_mm *mm, int memcg, int lru_node, enum frame_list inactive,
				     uint64_t nr, enum reclaimer who, uint64_t *nr_scanned)
{
	enum frame_list active = inactive == FL_INACTIVE_ANON ? FL_ACTIVE_ANON : FL_ACTIVE_FILE;
	struct lruvec *lv = mm_lruvec(mm, memcg, lru_node);
	struct lru_ring *r = &lv->lists[inactive];
	uint32_t batch[CM_SWAP_CLUSTER_MAX], idx;
	int nr_batch = 0, node = -1;
	uint64_t freed = 0, scanned = 0;
	bool demote;

	mm_list_prefetch_start(mm, r, nr);
	while (scanned < nr && nr_batch < CM_SWAP_CLUSTER_MAX &&
	       (idx = mm_list_pop_tail(mm, r, memcg, lru_node, inactive)) != CM_NIL) {
		uint8_t *flags = &mm->frame_flags[idx];

		node = lru_node;
		mm_list_prefetch_ahead(mm, r);
		scanned++;
		/* folio_check_references(): the accessed bit and PG_referenced are both tested and cleared. */
		if (vpt_test_clear_young(mm, mm->frames[idx].owner)) {
			bool referenced = *flags & FRAME_REFERENCED;

			*flags |= FRAME_REFERENCED;
			if (referenced) {
				mm_list_add_to(mm, &lv->lists[active], idx, memcg, node, active);
				mm->nodes[node].counters[CM_PGACTIVATE]++;
				mm_memcg_count(mm, memcg, CM_MEMCG_PGACTIVATE, 1);
			} else {
				mm_list_add_to(mm, r, idx, memcg, node, inactive);	/* used once: another trip around */
			}
			continue;
		}
		*flags &= (uint8_t)~FRAME_REFERENCED;
		batch[nr_batch++] = idx;
	}
	if (node < 0)
		return 0;
	*nr_scanned += scanned;
	demote = can_demote(mm, node, who);
	for (int i = 0; i < nr_batch; i++) {
		if (demote && demote_frame(mm, batch[i], who)) {
			freed++;
			continue;
		}
		demote = false;		/* a failed allocation stops demotion for the batch */
		freed += reclaim_frame(mm, batch[i]);
	}
	count_reclaim(mm, node, memcg, inactive == FL_INACTIVE_ANON, who, scanned, freed);
	return freed;
}

/* A scan of a node's LRUs that could not demote: why, and how many pages it looked at. */
static void count_demotion_verdict(struct cm_mm *mm, int node, enum reclaimer who, uint64_t scanned)
{
	enum cm_demotion_verdict v = mm_demotion_verdict(mm, node, who);

	if (v == CM_DEMOTION_ALLOWED)
		return;
	mm->demotion.passes[v]++;
	mm->demotion.scanned_pages[v] += scanned;
	if (v == CM_DEMOTION_NO_TARGET)
		cm_node_set(&mm->demotion.no_target_nodes, node);
}

static uint64_t shrink_lruvec(struct cm_mm *mm, int memcg, int node, uint64_t nr, enum reclaimer who,
			      uint64_t *nr_scanned)
{
	struct lruvec *lv = mm_lruvec(mm, memcg, node);
	bool anon = can_reclaim_anon(mm, node, memcg, who);
	uint64_t file_inactive = lv->lists[FL_INACTIVE_FILE].nr, anon_inactive = anon ? lv->lists[FL_INACTIVE_ANON].nr : 0;
	uint64_t freed = 0, nr_file, nr_anon, scanned_before;

	/* Age in batches, as the kernel isolates them: a big request does not deactivate everything at once. */
	if (inactive_is_low(&lv->lists[FL_INACTIVE_FILE], &lv->lists[FL_ACTIVE_FILE]))
		shrink_active_list(mm, memcg, node, FL_ACTIVE_FILE, nr < CM_SWAP_CLUSTER_MAX ? nr : CM_SWAP_CLUSTER_MAX);
	if (anon && inactive_is_low(&lv->lists[FL_INACTIVE_ANON], &lv->lists[FL_ACTIVE_ANON]))
		shrink_active_list(mm, memcg, node, FL_ACTIVE_ANON, nr < CM_SWAP_CLUSTER_MAX ? nr : CM_SWAP_CLUSTER_MAX);
	file_inactive = lv->lists[FL_INACTIVE_FILE].nr;
	anon_inactive = anon ? lv->lists[FL_INACTIVE_ANON].nr : 0;
	if (!file_inactive && !anon_inactive) {
		/* Anon pages it may neither swap nor demote: the scan found nothing it could take. */
		if (lv->lists[FL_INACTIVE_ANON].nr || lv->lists[FL_ACTIVE_ANON].nr)
			count_demotion_verdict(mm, node, who, 0);
		return 0;
	}
	scanned_before = *nr_scanned;
	/* Split the scan in proportion to the inactive sizes; at least one page of each kind present. */
	nr_file = file_inactive ? (nr * file_inactive + file_inactive + anon_inactive - 1) / (file_inactive + anon_inactive) : 0;
	nr_anon = anon_inactive ? nr - (nr_file < nr ? nr_file : nr) : 0;
	if (anon_inactive && !nr_anon)
		nr_anon = 1;
	if (nr_file)
		freed += shrink_inactive_list(mm, memcg, node, FL_INACTIVE_FILE, nr_file, who, nr_scanned);
	if (nr_anon)
		freed += shrink_inactive_list(mm, memcg, node, FL_INACTIVE_ANON, nr_anon, who, nr_scanned);
	count_demotion_verdict(mm, node, who, *nr_scanned - scanned_before);
	return freed;
}

/* Pages on the evictable lists of @node in @memcg's subtree. */
static uint64_t lru_size(struct cm_mm *mm, int node, int memcg)
{
	uint64_t nr = 0;

	for (size_t m = 0; m < mm_nr_memcgs(mm); m++) {
		const struct lruvec *lv;

		if (!mm_is_ancestor(mm, memcg, (int)m))
			continue;
		lv = mm_lruvec(mm, (int)m, node);
		for (int l = 0; l < CM_LRU_UNEVICTABLE; l++)
			nr += lv->lists[l].nr;
	}
	return nr;
}

/*
 * Round-robin over the subtree's memcgs, from where the last pass stopped,
 * until @nr pages are freed or twice the LRU size has been scanned (every
 * page gets aged once and looked at again, as the kernel's rising scan
 * priority does).
 */
uint64_t mm_shrink_node(struct cm_mm *mm, int node, int memcg, uint64_t nr, enum reclaimer who)
{
	struct mm_node *n = &mm->nodes[node];
	uint32_t *cursor = memcg > 0 ? &mm_memcg(mm, memcg)->reclaim_cursor : &n->memcg_cursor;
	uint64_t freed = 0, scanned = 0, limit = 2 * lru_size(mm, node, memcg) + CM_SWAP_CLUSTER_MAX;

	while (freed < nr && scanned < limit) {
		uint64_t round_scanned = scanned;

		for (size_t visited = 0; visited < mm_nr_memcgs(mm) && freed < nr; visited++) {
			int m = (int)(*cursor % mm_nr_memcgs(mm));

			*cursor = (uint32_t)((m + 1) % (int)mm_nr_memcgs(mm));
			if (!mm_is_ancestor(mm, memcg, m))
				continue;
			freed += shrink_lruvec(mm, m, node, nr - freed, who, &scanned);
		}
		if (scanned == round_scanned)
			break;		/* nothing left to scan */
	}
	return freed;
}

/*
 * kswapd's pace beside the faulting tasks: while a node's kswapd is awake
 * it reclaims KSWAPD_PACE_PAGES pages for every KSWAPD_PACE_FAULTS faults,
 * a batch at a time, between faults. The two run on different CPUs in the
 * kernel; a fault zeroes a page where a demotion unmaps, copies it to the
 * slower node and remaps it, so kswapd falls behind a task that faults
 * without pause, and the task's direct reclaim does the rest. 2/3 is
 * calibrated on Debian's 6.12 under QEMU (DRAM 256M + CXL 512M, 320M bound
 * to DRAM: 45-86% of the demotions by kswapd from run to run;
 * docs/engine.md, tests/qemu/reclaim.sh).
 */
#define KSWAPD_PACE_PAGES 2
#define KSWAPD_PACE_FAULTS 3

static uint64_t kswapd_target(const struct cm_mm *mm, const struct mm_node *n)
{
	bool tiering = mm->config.promotion && mm->config.tiering_model == CM_TIERING_TIERS;

	return tiering ? n->wmark.promo : n->wmark.high;
}

static void kswapd_sleep(struct cm_mm *mm, int node)
{
	mm->nodes[node].kswapd_woken = false;
	mm->kswapd_woken_mask &= ~((cm_nodemask_t)1 << node);
}

/* One batch of kswapd on @node; false when the node is balanced or nothing could be freed. */
static bool kswapd_batch(struct cm_mm *mm, int node, uint64_t *scanned)
{
	struct mm_node *n = &mm->nodes[node];
	uint64_t before = n->counters[CM_PGSCAN_KSWAPD], freed;

	if (n->free >= kswapd_target(mm, n))
		return false;
	freed = mm_shrink_node(mm, node, 0, CM_SWAP_CLUSTER_MAX, RECLAIM_KSWAPD);
	*scanned += n->counters[CM_PGSCAN_KSWAPD] - before;
	return freed && n->free < kswapd_target(mm, n);	/* nothing reclaimable: it sleeps until woken again */
}

void mm_kswapd_keep_pace(struct cm_mm *mm)
{
	cm_nodemask_t woken = mm->kswapd_woken_mask;

	mm->kswapd_credit += KSWAPD_PACE_PAGES;
	if (mm->kswapd_credit < KSWAPD_PACE_FAULTS * CM_SWAP_CLUSTER_MAX)
		return;
	mm->kswapd_credit -= KSWAPD_PACE_FAULTS * CM_SWAP_CLUSTER_MAX;
	for (int node = 0; woken; node++, woken >>= 1) {
		uint64_t scanned = 0;

		if ((woken & 1) && !kswapd_batch(mm, node, &scanned))
			kswapd_sleep(mm, node);
	}
	if (!mm->kswapd_woken_mask)
		mm->kswapd_credit = 0;
}

void cm_mm_run_kswapd(struct cm_mm *mm, uint64_t budget)
{
	for (int node = 0; node < mm->nr_node_ids; node++) {
		uint64_t scanned = 0;
		bool busy = true;

		if (!mm->nodes[node].kswapd_woken)
			continue;
		while (busy && scanned < budget)
			busy = kswapd_batch(mm, node, &scanned);
		if (!busy)
			kswapd_sleep(mm, node);
	}
}
