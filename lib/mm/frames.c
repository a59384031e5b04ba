// SPDX-License-Identifier: MIT
/*
 * Frames and free lists per node, the LRU lists per node and memcg,
 * watermarks, and the per-node counters.
 *
 * Watermarks follow the kernel's __setup_per_zone_wmarks() with one zone
 * per node: min_free_kbytes = sqrt(16 * total KiB) clamped to
 * [128, 262144]; a node's min is its share of that by size; low and high
 * add max(min / 4, present * 10 / 10000) once and twice
 * (watermark_scale_factor 10).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/names.h"
#include "mm_internal.h"

static const char *const counter_names[CM_NR_COUNTERS] = {
	[CM_PGALLOC] = "pgalloc",
	[CM_PGFREE] = "pgfree",
	[CM_PGFAULT] = "pgfault",
	[CM_PGMAJFAULT] = "pgmajfault",
	[CM_PGSCAN_KSWAPD] = "pgscan_kswapd",
	[CM_PGSCAN_DIRECT] = "pgscan_direct",
	[CM_PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[CM_PGSTEAL_DIRECT] = "pgsteal_direct",
	[CM_PGDEMOTE_KSWAPD] = "pgdemote_kswapd",
	[CM_PGDEMOTE_DIRECT] = "pgdemote_direct",
	[CM_PGDEMOTE_FAIL] = "pgdemote_fail",
	[CM_PGDEMOTE_AGAIN] = "pgdemote_again",
	[CM_PGMIGRATE_SUCCESS] = "pgmigrate_success",
	[CM_PGMIGRATE_FAIL] = "pgmigrate_fail",
	[CM_PSWPIN] = "pswpin",
	[CM_PSWPOUT] = "pswpout",
	[CM_PGACTIVATE] = "pgactivate",
	[CM_PGDEACTIVATE] = "pgdeactivate",
	[CM_NR_WRITTEN] = "nr_written",
	[CM_PGDROP_FILE] = "pgdrop_file",
	[CM_KSWAPD_WAKE] = "kswapd_wake",
	[CM_ALLOCSTALL] = "allocstall",
	[CM_OOM_KILL] = "oom_kill",
	[CM_NUMA_HINT_FAULTS] = "numa_hint_faults",
	[CM_PGPROMOTE_CANDIDATE] = "pgpromote_candidate",
	[CM_PGPROMOTE_SUCCESS] = "pgpromote_success",
	[CM_PGSCAN_ANON] = "pgscan_anon",
	[CM_PGSCAN_FILE] = "pgscan_file",
	[CM_PGSTEAL_ANON] = "pgsteal_anon",
	[CM_PGSTEAL_FILE] = "pgsteal_file",
};

const char *cm_counter_name(enum cm_counter c)
{
	return cm_name_of(counter_names, CM_NR_COUNTERS, c);
}

int cm_counter_from_name(const char *name)
{
	return cm_name_find(counter_names, CM_NR_COUNTERS, name);
}

size_t cm_mm_frame_size(void)
{
	return sizeof(struct frame) + sizeof(uint8_t);
}

uint64_t cm_mm_frame_table_bytes(const struct cm_mm *mm)
{
	uint64_t bytes = mm->nr_frames * cm_mm_frame_size() +
			 ((mm->nr_frames >> FRAME_CHUNK_SHIFT) + 1) * sizeof(*mm->chunk_node) +
			 mm->nr_frame_runs * sizeof(*mm->frame_runs);

	for (size_t i = 0; i < mm->nr_lruvec_memcgs * CM_MAX_NUMNODES; i++)
		for (int l = 0; l < CM_NR_LRU; l++)
			bytes += (uint64_t)mm->lruvecs[i].lists[l].capacity * sizeof(uint32_t);
	return bytes;
}

uint64_t cm_mm_nr_frames(const struct cm_mm *mm)
{
	return mm->nr_frames;
}

void mm_compute_watermarks(struct cm_mm *mm)
{
	uint64_t total = 0, min_free_kbytes;

	for (int n = 0; n < mm->nr_node_ids; n++)
		total += mm->nodes[n].present;
	min_free_kbytes = (uint64_t)sqrt((double)(total * 4) * 16.0);
	if (min_free_kbytes < 128)
		min_free_kbytes = 128;
	if (min_free_kbytes > 262144)
		min_free_kbytes = 262144;
	for (int n = 0; n < mm->nr_node_ids; n++) {
		struct mm_node *node = &mm->nodes[n];
		uint64_t min, step;

		if (!total || !node->present) {
			memset(&node->wmark, 0, sizeof(node->wmark));
			continue;
		}
		min = (min_free_kbytes / 4) * node->present / total;
		step = node->present * 10 / 10000;
		if (step < min / 4)
			step = min / 4;
		node->wmark.min = min;
		node->wmark.low = min + step;
		node->wmark.high = min + 2 * step;
		node->wmark.promo = min + 3 * step;
	}
}

int mm_frame_node_of_run(const struct cm_mm *mm, uint32_t idx)
{
	size_t lo = 0, hi = mm->nr_frame_runs;

	while (lo + 1 < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (mm->frame_runs[mid].first <= idx)
			lo = mid;
		else
			hi = mid;
	}
	return mm->frame_runs[lo].node;
}

/* Grow the frame tables by @nr_pages frames of @node, at the end. */
static int add_frames(struct cm_mm *mm, int node, uint64_t nr_pages)
{
	uint64_t nr = mm->nr_frames + nr_pages, first_chunk = mm->nr_frames >> FRAME_CHUNK_SHIFT, nr_chunks;
	struct frame_run *runs;
	struct frame *frames;
	uint8_t *flags, *chunks;

	if (!nr_pages)
		return 0;
	nr_chunks = ((nr - 1) >> FRAME_CHUNK_SHIFT) + 1;
	/* A frame's entries are touched only when it is first used. */
	frames = mm_table_resize(mm->frames, nr * sizeof(*frames));
	if (!frames)
		return -ENOMEM;
	mm->frames = frames;
	flags = mm_table_resize(mm->frame_flags, nr);
	if (!flags)
		return -ENOMEM;
	mm->frame_flags = flags;
	chunks = realloc(mm->chunk_node, nr_chunks);
	if (!chunks)
		return -ENOMEM;
	mm->chunk_node = chunks;
	runs = realloc(mm->frame_runs, (mm->nr_frame_runs + 1) * sizeof(*runs));
	if (!runs)
		return -ENOMEM;
	mm->frame_runs = runs;
	runs[mm->nr_frame_runs++] = (struct frame_run){ (uint32_t)mm->nr_frames, node };
	/* A chunk the previous frames began is of two nodes when they were another's. */
	if ((mm->nr_frames & ((1u << FRAME_CHUNK_SHIFT) - 1)) && chunks[first_chunk] != node)
		chunks[first_chunk] = FRAME_CHUNK_MIXED;
	else
		chunks[first_chunk] = (uint8_t)node;
	memset(chunks + first_chunk + 1, node, nr_chunks - first_chunk - 1);
	mm->nr_frames = nr;
	return 0;
}

int mm_add_segment(struct cm_mm *mm, int node, uint64_t phys, uint64_t nr_pages, struct cm_error *err)
{
	struct mm_node *n = &mm->nodes[node];
	struct segment *s;

	if (nr_pages > CM_MAX_FRAMES - mm->nr_frames)
		return cm_error_set(err, -E2BIG, "%" PRIu64 " frames to simulate, more than the engine's %u (4 TiB)",
				    mm->nr_frames + nr_pages, CM_MAX_FRAMES);
	s = realloc(n->segments, (n->nr_segments + 1) * sizeof(*s));
	if (s)
		n->segments = s;
	if (!s || add_frames(mm, node, nr_pages))
		return cm_error_set(err, -ENOMEM, "out of memory for %" PRIu64 " frames", nr_pages);
	s = &n->segments[n->nr_segments++];
	s->first = (uint32_t)(mm->nr_frames - nr_pages);
	s->nr = (uint32_t)nr_pages;
	s->fresh = 0;
	s->phys = phys;
	n->exists = true;
	n->online = true;
	n->present += nr_pages;
	n->free += nr_pages;
	if (node + 1 > mm->nr_node_ids)
		mm->nr_node_ids = node + 1;
	return 0;
}

/* Take a frame from @node if its free pages stay above @watermark. */
uint32_t mm_alloc_on_node(struct cm_mm *mm, int node, uint64_t watermark)
{
	struct mm_node *n = &mm->nodes[node];
	uint32_t idx = CM_NIL;

	if (!n->online || n->free <= watermark)
		return CM_NIL;
	if (n->nr_free_cached) {
		n->nr_free_cached--;
		idx = n->free_cache[free_cache_slot(n, n->nr_free_cached)];
		if (n->nr_free_cached >= MM_FREE_AHEAD) {
			uint32_t next = n->free_cache[free_cache_slot(n, n->nr_free_cached - MM_FREE_AHEAD)];

			mm_prefetch_frame(mm, next);
		}
	} else if (n->free_head != CM_NIL) {
		idx = n->free_head;
		n->free_head = mm->frames[idx].link;
		if (n->free_head != CM_NIL)
			__builtin_prefetch(&mm->frames[n->free_head], 1);
	} else {
		for (size_t i = 0; i < n->nr_segments; i++) {
			struct segment *s = &n->segments[i];

			if (s->fresh < s->nr) {
				idx = s->first + s->fresh++;
				break;
			}
		}
	}
	if (idx == CM_NIL)
		return CM_NIL;
	n->free--;
	n->counters[CM_PGALLOC]++;
	memset(&mm->frames[idx], 0, sizeof(struct frame));
	mm->frames[idx].link = CM_NIL;
	mm->frame_flags[idx] = FL_ISOLATED;
	if (n->free < n->wmark.low)
		mm_wake_kswapd(mm, node);
	return idx;
}

void mm_free_frame(struct cm_mm *mm, uint32_t idx)
{
	struct frame *f = &mm->frames[idx];
	struct mm_node *n = &mm->nodes[frame_node(mm, idx)];

	mm->frame_flags[idx] = FL_FREE;
	f->owner = CM_NIL;
	f->link = CM_NIL;
	if (n->nr_free_cached == MM_FREE_CACHE) {	/* the oldest cached frame goes on the list */
		uint32_t oldest = n->free_cache[free_cache_slot(n, 0)];

		mm->frames[oldest].link = n->free_head;
		n->free_head = oldest;
		n->free_cache_bottom = (n->free_cache_bottom + 1) & (MM_FREE_CACHE - 1);
		n->nr_free_cached--;
	}
	n->free_cache[free_cache_slot(n, n->nr_free_cached)] = idx;
	n->nr_free_cached++;
	n->free++;
	n->counters[CM_PGFREE]++;
}

void mm_wake_kswapd(struct cm_mm *mm, int node)
{
	struct mm_node *n = &mm->nodes[node];

	if (!n->kswapd_woken) {
		n->kswapd_woken = true;
		mm->kswapd_woken_mask |= ((cm_nodemask_t)1 << node);
		n->counters[CM_KSWAPD_WAKE]++;
	}
}

int cm_mm_nr_nodes(const struct cm_mm *mm)
{
	return mm->nr_node_ids;
}

void cm_mm_node_info(const struct cm_mm *mm, int node, struct cm_mm_node_info *info)
{
	const struct mm_node *n = &mm->nodes[node];

	memset(info, 0, sizeof(*info));
	info->node = node;
	info->online = n->online;
	info->present_pages = n->present;
	info->free_pages = n->free;
	info->wmark = n->wmark;
	memcpy(info->counters, n->counters, sizeof(info->counters));
	for (size_t m = 0; m < mm_nr_memcgs(mm); m++)
		for (int l = 0; l < CM_NR_LRU; l++)
			info->lru_pages[l] += mm->lruvecs[m * CM_MAX_NUMNODES + (size_t)node].lists[l].nr;
}

uint64_t cm_mm_counter_total(const struct cm_mm *mm, enum cm_counter c)
{
	uint64_t sum = 0;

	for (int n = 0; n < mm->nr_node_ids; n++)
		sum += mm->nodes[n].counters[c];
	return sum;
}
