// SPDX-License-Identifier: MIT
/*
 * Promotion (SPEC 7, optional): NUMA balancing in its memory-tiering mode.
 *
 * Every NUMA_SCAN_PERIOD_MS the pages of each space that sit on a node
 * outside the top tier are marked; the next access to a marked page is a
 * hint fault. The page is promoted to the node the space runs on when that
 * node is top tier and:
 *   - it has plenty of free memory (free above the promo watermark plus
 *     max(1 GiB, present / 16): the kernel's pgdat_free_space_enough()),
 *     or else
 *   - the access came within NUMA_HOT_THRESHOLD_MS of the scan (a
 *     candidate) and this millisecond's promotions stay under the rate
 *     limit (NUMA_PROMOTE_RATE_LIMIT_MBPS),
 * and the migration itself finds the target above its high watermark
 * (migrate_balanced_pgdat()); otherwise the target's kswapd is woken to
 * make room, and with promotion on kswapd balances a node to its promo
 * watermark (high + the watermark step), as pgdat_balanced() does in
 * tiering mode, so there is room above high to promote into. Only spaces
 * with the default policy are scanned. Model choice: the scan marks all such pages at once and the
 * fault latency is measured from that scan.
 */
#include "mm_internal.h"

void cm_mm_tick(struct cm_mm *mm, uint64_t now_ms)
{
	mm->now_ms = now_ms;
	for (int n = 0; n < mm->nr_node_ids; n++)
		mm->nodes[n].promoted_this_ms = 0;
	if (!mm->config.promotion || mm->config.tiering_model != CM_TIERING_TIERS || !mm->tiering_valid)
		return;
	for (size_t i = 0; i < mm->nr_spaces; i++) {
		struct space *s = &mm->spaces[i];

		/* Only tasks with the default policy are scanned: bind and interleave lack MPOL_F_MOF. */
		if (s->released || s->unevictable || s->policy.mode != CM_MPOL_DEFAULT ||
		    (s->last_numa_scan_ms && now_ms - s->last_numa_scan_ms < NUMA_SCAN_PERIOD_MS))
			continue;
		s->last_numa_scan_ms = now_ms ? now_ms : 1;
		for (uint64_t p = 0; p < s->nr_anon + s->nr_file; p++) {
			uint32_t loc = vpt_get(mm, s->base + p);

			if (!vp_is_frame(loc))
				continue;
			if (!cm_tiering_is_top_tier(&mm->tiering, frame_node(mm, loc))) {
				mm->frame_flags[loc] |= FRAME_HINT;
				s->numa_hinted = true;
			}
		}
	}
}

static bool free_space_enough(const struct mm_node *n)
{
	uint64_t enough = n->present >> 4;

	if (enough < (CM_SZ_1G / CM_PAGE_SIZE))
		enough = CM_SZ_1G / CM_PAGE_SIZE;
	return n->free > n->wmark.promo + enough;
}

void mm_numa_hint_fault(struct cm_mm *mm, int space, uint32_t idx)
{
	struct space *s = &mm->spaces[space];
	struct frame *f = &mm->frames[idx];
	int target = s->cpu_node;
	struct mm_node *t = &mm->nodes[target];
	uint64_t rate_limit = (uint64_t)NUMA_PROMOTE_RATE_LIMIT_MBPS * 256 / 1000;
	enum frame_list l;
	uint32_t nidx;

	mm->frame_flags[idx] &= (uint8_t)~FRAME_HINT;
	mm->nodes[frame_node(mm, idx)].counters[CM_NUMA_HINT_FAULTS]++;
	if (!t->online || target == frame_node(mm, idx) || !cm_tiering_is_top_tier(&mm->tiering, target))
		return;
	if (!free_space_enough(t)) {
		if (mm->now_ms - s->last_numa_scan_ms >= NUMA_HOT_THRESHOLD_MS)
			return;
		t->counters[CM_PGPROMOTE_CANDIDATE]++;
		if (t->promoted_this_ms >= rate_limit)
			return;
	}
	if (t->free <= t->wmark.high + 1) {
		mm_wake_kswapd(mm, target);
		return;
	}
	nidx = mm_alloc_on_node(mm, target, t->wmark.high);
	if (nidx == CM_NIL)
		return;
	f = &mm->frames[idx];
	l = frame_list_of(mm, idx);
	mm_list_del(mm, idx);
	mm->frames[nidx].owner = f->owner;
	mm->frames[nidx].memcg = f->memcg;
	mm->frame_flags[nidx] = (uint8_t)((mm->frame_flags[idx] & ~(FRAME_LIST_MASK | FRAME_HINT)) | FL_ISOLATED);
	vpt_move(mm, f->owner, nidx);
	/* A promoted page is hot: it goes to the active list. */
	mm_list_add(mm, nidx, l == FL_INACTIVE_ANON ? FL_ACTIVE_ANON : l == FL_INACTIVE_FILE ? FL_ACTIVE_FILE : l);
	mm_free_frame(mm, idx);
	t->promoted_this_ms++;
	t->counters[CM_PGPROMOTE_SUCCESS]++;
	t->counters[CM_PGMIGRATE_SUCCESS]++;
	mm_memcg_count(mm, mm->frames[nidx].memcg, CM_MEMCG_PGPROMOTE_SUCCESS, 1);
}
