// SPDX-License-Identifier: MIT
/*
 * The engine's core: frames and free lists per node, watermarks, LRU
 * lists per node and memcg, memcg charging, spaces and their page
 * locations, page faults with the allocator's fallback and OOM kill.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm_internal.h"

#define MAX_RECLAIM_RETRIES 16

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
};

const char *cm_counter_name(enum cm_counter c)
{
	return (unsigned int)c < CM_NR_COUNTERS ? counter_names[c] : "?";
}

int cm_counter_from_name(const char *name)
{
	for (int i = 0; i < CM_NR_COUNTERS; i++)
		if (!strcmp(counter_names[i], name))
			return i;
	return -1;
}

size_t cm_mm_frame_size(void)
{
	return sizeof(struct frame);
}

uint64_t mm_rand(struct cm_mm *mm)
{
	/* splitmix64: small, fast, and the same sequence for the same seed */
	uint64_t z = (mm->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* ---- lists ---- */

struct lruvec *mm_lruvec(struct cm_mm *mm, int memcg, int node)
{
	return &mm->lruvecs[(size_t)memcg * CM_MAX_NUMNODES + (size_t)node];
}

/* Add at the head (newest end) of a list. */
void mm_list_add(struct cm_mm *mm, uint32_t idx, enum frame_list l)
{
	struct frame *f = &mm->frames[idx];
	struct list_head32 *h = &mm_lruvec(mm, f->memcg, f->node)->lists[l];

	f->prev = CM_NIL;
	f->next = h->head;
	if (h->head != CM_NIL)
		mm->frames[h->head].prev = idx;
	else
		h->tail = idx;
	h->head = idx;
	h->nr++;
	frame_set_list(f, l);
}

void mm_list_del(struct cm_mm *mm, uint32_t idx)
{
	struct frame *f = &mm->frames[idx];
	struct list_head32 *h = &mm_lruvec(mm, f->memcg, f->node)->lists[frame_list_of(f)];

	if (f->prev != CM_NIL)
		mm->frames[f->prev].next = f->next;
	else
		h->head = f->next;
	if (f->next != CM_NIL)
		mm->frames[f->next].prev = f->prev;
	else
		h->tail = f->prev;
	h->nr--;
	f->prev = f->next = CM_NIL;
	frame_set_list(f, FL_ISOLATED);
}

/* ---- frames and nodes ---- */

static void compute_watermarks(struct cm_mm *mm)
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

static int add_segment(struct cm_mm *mm, int node, uint64_t phys, uint64_t nr_pages, struct cm_error *err)
{
	struct mm_node *n = &mm->nodes[node];
	struct segment *s;
	struct frame *frames;

	if (mm->nr_frames + nr_pages > CM_MAX_FRAMES)
		return cm_error_set(err, -E2BIG, "more than %u frames to simulate", CM_MAX_FRAMES);
	/* calloc'd memory is touched only when a frame is first used. */
	frames = realloc(mm->frames, (mm->nr_frames + nr_pages) * sizeof(*frames));
	s = realloc(n->segments, (n->nr_segments + 1) * sizeof(*s));
	if (frames)
		mm->frames = frames;
	if (s)
		n->segments = s;
	if (!frames || !s)
		return cm_error_set(err, -ENOMEM, "out of memory for %" PRIu64 " frames", nr_pages);
	s = &n->segments[n->nr_segments++];
	s->first = (uint32_t)mm->nr_frames;
	s->nr = (uint32_t)nr_pages;
	s->fresh = 0;
	s->phys = phys;
	mm->nr_frames += nr_pages;
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
	if (n->free_head != CM_NIL) {
		idx = n->free_head;
		n->free_head = mm->frames[idx].next;
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
	mm->frames[idx].node = (uint8_t)node;
	mm->frames[idx].prev = mm->frames[idx].next = CM_NIL;
	frame_set_list(&mm->frames[idx], FL_ISOLATED);
	if (n->free < n->wmark.low)
		mm_wake_kswapd(mm, node);
	return idx;
}

void mm_free_frame(struct cm_mm *mm, uint32_t idx)
{
	struct frame *f = &mm->frames[idx];
	struct mm_node *n = &mm->nodes[f->node];

	f->flags = FL_FREE;
	f->owner = CM_NIL;
	f->prev = CM_NIL;
	f->next = n->free_head;
	n->free_head = idx;
	n->free++;
	n->counters[CM_PGFREE]++;
}

void mm_wake_kswapd(struct cm_mm *mm, int node)
{
	struct mm_node *n = &mm->nodes[node];

	if (!n->kswapd_woken) {
		n->kswapd_woken = true;
		n->counters[CM_KSWAPD_WAKE]++;
	}
}

/* ---- swap ---- */

bool mm_swap_room(const struct cm_mm *mm, int memcg)
{
	if (mm->swap_used >= mm->swap_total)
		return false;
	return !cm_page_counter_limit_hit(&mm_memcg(mm, memcg)->swap, 1);
}

bool mm_swap_slot_get(struct cm_mm *mm, int memcg, uint32_t *slot)
{
	if (!mm_swap_room(mm, memcg))
		return false;
	if (mm->nr_swap_free)
		*slot = mm->swap_free[--mm->nr_swap_free];
	else
		*slot = (uint32_t)mm->swap_fresh++;
	mm->swap_used++;
	mm->swap_memcg[*slot] = (uint16_t)memcg;
	cm_page_counter_charge(&mm_memcg(mm, memcg)->swap, 1);
	return true;
}

void mm_swap_slot_put(struct cm_mm *mm, uint32_t slot)
{
	int memcg = mm->swap_memcg[slot];

	mm->swap_free[mm->nr_swap_free++] = slot;
	mm->swap_used--;
	cm_page_counter_uncharge(&mm_memcg(mm, memcg)->swap, 1);
}

uint64_t cm_mm_swap_total(const struct cm_mm *mm)
{
	return mm->swap_total;
}

uint64_t cm_mm_swap_used(const struct cm_mm *mm)
{
	return mm->swap_used;
}

/* ---- memcgs ---- */

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
static void memcg_event(struct cm_mm *mm, int memcg, enum cm_memcg_event ev)
{
	for (struct cm_cgroup *c = cm_cgroup_get(mm->cgroups, memcg); c->parent; c = c->parent)
		c->memory.events[ev]++;
}

static int oom_kill(struct cm_mm *mm, int memcg);

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
		memcg_event(mm, memcg, CM_MEMCG_EVENT_OOM);
		if (oom_kill(mm, memcg) < 0)
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

/* ---- engine ---- */

int cm_mm_new(const struct cm_platform *p, const struct cm_config *config, struct cm_mm **out,
	      struct cm_error *err)
{
	struct cm_mm *mm = calloc(1, sizeof(*mm));
	int ret = 0;

	*out = NULL;
	if (!mm)
		return cm_error_set(err, -ENOMEM, "out of memory");
	mm->platform = p;
	mm->config = *config;
	for (int n = 0; n < CM_MAX_NUMNODES; n++)
		mm->nodes[n].free_head = CM_NIL;
	for (size_t i = 0; i < p->nr_nodes && !ret; i++) {
		const struct cm_node *node = &p->nodes[i];

		mm->nodes[node->id].exists = true;
		if (node->id + 1 > mm->nr_node_ids)
			mm->nr_node_ids = node->id + 1;
		for (size_t j = 0; j < node->nr_memory && !ret; j++) {
			uint64_t start = cm_align_up(node->memory[j].start, CM_PAGE_SIZE);
			uint64_t end = cm_align_down(node->memory[j].end, CM_PAGE_SIZE);

			if (end > start)
				ret = add_segment(mm, node->id, start, (end - start) / CM_PAGE_SIZE, err);
		}
	}
	if (!ret && (cm_cgroup_tree_new(&mm->cgroups) ||
		     cm_cgroup_controller_register(mm->cgroups, CM_CGROUP_MEMORY, &memcg_ops, mm)))
		ret = cm_error_set(err, -ENOMEM, "out of memory");
	mm->swap_total = config->swap_bytes / CM_PAGE_SIZE;
	if (!ret && mm->swap_total > CM_MAX_FRAMES)
		ret = cm_error_set(err, -E2BIG, "swap_bytes: at most %u pages of swap", CM_MAX_FRAMES);
	if (!ret && mm->swap_total) {
		mm->swap_free = malloc(mm->swap_total * sizeof(*mm->swap_free));
		mm->swap_memcg = malloc(mm->swap_total * sizeof(*mm->swap_memcg));
		if (!mm->swap_free || !mm->swap_memcg)
			ret = cm_error_set(err, -ENOMEM, "out of memory for %" PRIu64 " swap slots", mm->swap_total);
	}
	if (!ret) {
		compute_watermarks(mm);
		ret = cm_mm_recompute_tiers(mm);
		if (ret)
			cm_error_set(err, ret, "tiering: out of memory");
	}
	if (ret) {
		cm_mm_free(mm);
		return ret;
	}
	*out = mm;
	return 0;
}

void cm_mm_free(struct cm_mm *mm)
{
	if (!mm)
		return;
	for (int n = 0; n < CM_MAX_NUMNODES; n++)
		free(mm->nodes[n].segments);
	cm_tiering_free(&mm->tiering);
	free(mm->frames);
	cm_cgroup_tree_free(mm->cgroups);
	free(mm->lruvecs);
	free(mm->spaces);
	free(mm->vpt);
	free(mm->swap_free);
	free(mm->swap_memcg);
	free(mm);
}

struct cm_config *cm_mm_config(struct cm_mm *mm)
{
	return &mm->config;
}

int cm_mm_recompute_tiers(struct cm_mm *mm)
{
	struct cm_node_states states;
	int ret;

	/* Readers never see a mix of old and new targets: demotion is off meanwhile. */
	mm->tiering_valid = false;
	memset(&states, 0, sizeof(states));
	for (int n = 0; n < mm->nr_node_ids; n++) {
		const struct cm_node *pn = cm_platform_node(mm->platform, n);

		if (!mm->nodes[n].exists)
			continue;
		cm_node_set(&states.possible, n);
		if (mm->nodes[n].online && mm->nodes[n].present)
			cm_node_set(&states.memory, n);
		if (pn && cm_node_has_cpus(pn))
			cm_node_set(&states.cpu, n);
	}
	cm_tiering_free(&mm->tiering);
	ret = cm_tiering_compute(mm->platform, &states, mm->config.tiering_model, &mm->tiering);
	mm->tiering_valid = ret == 0;
	return ret;
}

const struct cm_tiering *cm_mm_tiering(const struct cm_mm *mm)
{
	return &mm->tiering;
}

bool cm_mm_range_online(const struct cm_mm *mm, uint64_t start, uint64_t size)
{
	for (int n = 0; n < mm->nr_node_ids; n++) {
		for (size_t i = 0; i < mm->nodes[n].nr_segments; i++) {
			const struct segment *s = &mm->nodes[n].segments[i];

			if (start < s->phys + (uint64_t)s->nr * CM_PAGE_SIZE && s->phys < start + size)
				return true;
		}
	}
	return false;
}

int cm_mm_online(struct cm_mm *mm, int node, uint64_t start, uint64_t nr_pages, struct cm_error *err)
{
	int ret;

	if (node < 0 || node >= CM_MAX_NUMNODES)
		return cm_error_set(err, -EINVAL, "node %d out of range", node);
	ret = add_segment(mm, node, start, nr_pages, err);
	if (ret)
		return ret;
	compute_watermarks(mm);
	ret = cm_mm_recompute_tiers(mm);
	return ret ? cm_error_set(err, ret, "tiering: out of memory") : 0;
}

/* ---- spaces ---- */

int cm_mm_space_new(struct cm_mm *mm, uint64_t nr_anon, uint64_t nr_file, int memcg,
		    const struct cm_mempolicy *policy, int cpu_node)
{
	uint64_t nr = nr_anon + nr_file;
	struct space *s;
	uint32_t *vpt;

	if (mm->nr_vpages + nr > (1ULL << 32) - 1)
		return -E2BIG;
	s = realloc(mm->spaces, (mm->nr_spaces + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	mm->spaces = s;
	vpt = realloc(mm->vpt, (mm->nr_vpages + nr + 1) * sizeof(*vpt));
	if (!vpt)
		return -ENOMEM;
	mm->vpt = vpt;
	memset(vpt + mm->nr_vpages, 0xff, nr * sizeof(*vpt));
	s = &mm->spaces[mm->nr_spaces];
	memset(s, 0, sizeof(*s));
	s->base = mm->nr_vpages;
	s->nr_anon = nr_anon;
	s->nr_file = nr_file;
	s->memcg = memcg;
	s->policy = *policy;
	s->cpu_node = cpu_node;
	mm->nr_vpages += nr;
	return (int)mm->nr_spaces++;
}

int mm_space_of(const struct cm_mm *mm, uint64_t gvpn)
{
	size_t lo = 0, hi = mm->nr_spaces;

	while (lo + 1 < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (mm->spaces[mid].base <= gvpn)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo;
}

void cm_mm_space_release(struct cm_mm *mm, int space)
{
	struct space *s = &mm->spaces[space];
	uint64_t freed = 0;

	if (s->released)
		return;
	for (uint64_t i = 0; i < s->nr_anon + s->nr_file; i++) {
		uint32_t *loc = &mm->vpt[s->base + i];

		if (*loc == VP_NONE || *loc == VP_FILE_READ)
			continue;
		if (*loc & VP_SWAP) {
			mm_swap_slot_put(mm, *loc & ~VP_SWAP);
		} else {
			struct frame *f = &mm->frames[*loc];

			if (frame_list_of(f) != FL_ISOLATED)
				mm_list_del(mm, *loc);
			mm_free_frame(mm, *loc);
			freed++;
		}
		*loc = VP_NONE;
	}
	mm_uncharge(mm, s->memcg, freed);
	s->resident = 0;
	s->swapped = 0;
	s->released = true;
}

void cm_mm_discard(struct cm_mm *mm, int space, uint64_t page)
{
	struct space *s = &mm->spaces[space];
	uint32_t *loc = &mm->vpt[s->base + page];

	if (s->released || *loc == VP_NONE || *loc == VP_FILE_READ)
		return;
	if (*loc & VP_SWAP) {
		mm_swap_slot_put(mm, *loc & ~VP_SWAP);
		s->swapped--;
	} else {
		if (frame_list_of(&mm->frames[*loc]) != FL_ISOLATED)
			mm_list_del(mm, *loc);
		mm_free_frame(mm, *loc);
		mm_uncharge(mm, s->memcg, 1);
		s->resident--;
	}
	*loc = VP_NONE;
}

uint64_t cm_mm_space_resident(const struct cm_mm *mm, int space)
{
	return mm->spaces[space].resident;
}

uint64_t cm_mm_space_swapped(const struct cm_mm *mm, int space)
{
	return mm->spaces[space].swapped;
}

uint64_t cm_mm_space_resident_on(const struct cm_mm *mm, int space, int node)
{
	const struct space *s = &mm->spaces[space];
	uint64_t n = 0;

	for (uint64_t i = 0; i < s->nr_anon + s->nr_file; i++) {
		uint32_t loc = mm->vpt[s->base + i];

		if (loc != VP_NONE && loc != VP_FILE_READ && !(loc & VP_SWAP) && mm->frames[loc].node == node)
			n++;
	}
	return n;
}

bool cm_mm_space_killed(const struct cm_mm *mm, int space)
{
	return mm->spaces[space].killed;
}

/* The OOM killer: the live space with the most pages in @memcg's subtree (0: everywhere). */
static int oom_kill(struct cm_mm *mm, int memcg)
{
	int victim = -1;
	uint64_t worst = 0;

	for (size_t i = 0; i < mm->nr_spaces; i++) {
		const struct space *s = &mm->spaces[i];
		uint64_t badness = s->resident + s->swapped;

		if (s->released || !mm_is_ancestor(mm, memcg, s->memcg))
			continue;
		if (victim < 0 || badness > worst) {
			victim = (int)i;
			worst = badness;
		}
	}
	if (victim < 0)
		return -1;
	mm->spaces[victim].killed = true;
	mm->nodes[0].counters[CM_OOM_KILL]++;
	memcg_event(mm, mm->spaces[victim].memcg, CM_MEMCG_EVENT_OOM_KILL);
	cm_mm_space_release(mm, victim);
	return victim;
}

/* The nodes an allocation may use, in the order it tries them. */
static int alloc_nodes(const struct cm_mm *mm, struct space *s, uint64_t page, int *order)
{
	const struct cm_tiering *t = &mm->tiering;
	int start = s->cpu_node, nr = 0;
	cm_nodemask_t allowed = ~0ULL;

	switch (s->policy.mode) {
	case CM_MPOL_BIND:
		allowed = s->policy.nodes;
		break;
	case CM_MPOL_PREFERRED:
		start = __builtin_ctzll(s->policy.nodes);
		break;
	case CM_MPOL_INTERLEAVE: {
		int weight = __builtin_popcountll(s->policy.nodes);
		int k = (int)(s->interleave_next++ % (uint64_t)weight);
		cm_nodemask_t m = s->policy.nodes;

		while (k--)
			m &= m - 1;
		start = __builtin_ctzll(m);
		break;
	}
	case CM_MPOL_DEFAULT:
		break;
	}
	(void)page;
	for (int i = 0; i < t->nr_fallback[start]; i++) {
		int n = t->fallback_order[start][i];

		if (cm_node_isset(allowed, n) && mm->nodes[n].online && mm->nodes[n].present)
			order[nr++] = n;
	}
	return nr;
}

static uint32_t try_nodes(struct cm_mm *mm, const int *order, int nr, bool use_min)
{
	for (int i = 0; i < nr; i++) {
		const struct mm_node *n = &mm->nodes[order[i]];
		uint32_t idx = mm_alloc_on_node(mm, order[i], use_min ? n->wmark.min : n->wmark.low);

		if (idx != CM_NIL)
			return idx;
	}
	return CM_NIL;
}

/* Allocate a frame for @s: fast path, kswapd, min watermark, direct reclaim, OOM. */
static int alloc_frame(struct cm_mm *mm, int space, uint64_t page, uint32_t *out)
{
	int order[CM_MAX_NUMNODES], nr;
	uint32_t idx;

	for (int attempt = 0;; attempt++) {
		struct space *s = &mm->spaces[space];

		nr = alloc_nodes(mm, s, page, order);
		/* No allowed node has memory: the policy cannot be satisfied, and killing others won't help. */
		if (!nr)
			return -ENOMEM;
		idx = try_nodes(mm, order, nr, false);
		if (idx == CM_NIL) {
			for (int i = 0; i < nr; i++)
				if (mm->nodes[order[i]].free < mm->nodes[order[i]].wmark.low)
					mm_wake_kswapd(mm, order[i]);
			idx = try_nodes(mm, order, nr, true);
		}
		for (int retry = 0; idx == CM_NIL && retry < MAX_RECLAIM_RETRIES; retry++) {
			uint64_t progress = 0;

			if (nr)
				mm->nodes[order[0]].counters[CM_ALLOCSTALL]++;
			for (int i = 0; i < nr && progress < CM_SWAP_CLUSTER_MAX; i++)
				progress += mm_shrink_node(mm, order[i], 0, CM_SWAP_CLUSTER_MAX, RECLAIM_DIRECT);
			idx = try_nodes(mm, order, nr, true);
			if (!progress)
				break;
		}
		if (idx != CM_NIL) {
			*out = idx;
			return 0;
		}
		/* Out of memory: kill the biggest and try again, unless that was us. */
		if (oom_kill(mm, 0) < 0 || mm->spaces[space].killed || attempt > (int)mm->nr_spaces)
			return -ENOMEM;
	}
}

/* Charge one page to @memcg, reclaiming from its subtree first; OOM-kill inside it last. */
static int try_charge(struct cm_mm *mm, int space)
{
	struct cm_page_counter *counter = &mm_memcg(mm, mm->spaces[space].memcg)->memory, *fail;

	while (!cm_page_counter_try_charge(counter, 1, &fail)) {
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
			memcg_event(mm, over, CM_MEMCG_EVENT_OOM);
			if (oom_kill(mm, over) < 0 || mm->spaces[space].killed)
				return -ENOMEM;
		}
	}
	return 0;
}

int cm_mm_touch(struct cm_mm *mm, int space, uint64_t page, bool write)
{
	struct space *s = &mm->spaces[space];
	uint64_t gvpn = s->base + page;
	uint32_t loc = mm->vpt[gvpn], idx;
	bool anon = page < s->nr_anon;
	struct frame *f;
	int ret;

	if (s->released)
		return -ENOMEM;
	if (loc != VP_NONE && loc != VP_FILE_READ && !(loc & VP_SWAP)) {
		f = &mm->frames[loc];
		f->flags |= FRAME_YOUNG | (write && !anon ? FRAME_DIRTY : 0);
		if (f->hint)
			mm_numa_hint_fault(mm, space, loc);
		return 0;
	}
	/* A fault. */
	ret = try_charge(mm, space);
	if (ret)
		return ret;
	ret = alloc_frame(mm, space, page, &idx);
	s = &mm->spaces[space];
	if (ret) {
		mm_uncharge(mm, s->memcg, 1);
		return ret;
	}
	f = &mm->frames[idx];
	f->owner = (uint32_t)gvpn;
	f->memcg = (uint16_t)s->memcg;
	f->flags |= FRAME_YOUNG | (anon ? FRAME_ANON : 0) | (write && !anon ? FRAME_DIRTY : 0);
	mm->nodes[f->node].counters[CM_PGFAULT]++;
	loc = mm->vpt[gvpn];
	if (loc != VP_NONE && loc != VP_FILE_READ && (loc & VP_SWAP)) {
		mm_swap_slot_put(mm, loc & ~VP_SWAP);
		s->swapped--;
		mm->nodes[f->node].counters[CM_PSWPIN]++;
		mm->nodes[f->node].counters[CM_PGMAJFAULT]++;
	} else if (!anon) {
		/* Page cache miss: read from the file. */
		mm->nodes[f->node].counters[CM_PGMAJFAULT]++;
	}
	mm->vpt[gvpn] = idx;
	s->resident++;
	mm_list_add(mm, idx, anon ? FL_INACTIVE_ANON : FL_INACTIVE_FILE);
	return 0;
}

/* ---- info ---- */

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

/* ---- offline ---- */

/* The segment of @node holding [phys, phys + nr pages), or -1. */
static int find_segment(const struct mm_node *n, uint64_t phys, uint64_t nr)
{
	for (size_t i = 0; i < n->nr_segments; i++) {
		const struct segment *s = &n->segments[i];

		if (phys >= s->phys && phys + nr * CM_PAGE_SIZE <= s->phys + (uint64_t)s->nr * CM_PAGE_SIZE)
			return (int)i;
	}
	return -1;
}

static bool in_range(uint32_t idx, uint32_t first, uint32_t end)
{
	return idx >= first && idx < end;
}

/* Split segment @si of @n around frames [first, end): the middle leaves the node. */
static int cut_segment(struct mm_node *n, size_t si, uint32_t first, uint32_t end)
{
	struct segment old = n->segments[si], parts[2];
	size_t nr_parts = 0;
	struct segment *s;

	if (first > old.first) {
		parts[nr_parts].first = old.first;
		parts[nr_parts].nr = first - old.first;
		parts[nr_parts].fresh = old.fresh < parts[nr_parts].nr ? old.fresh : parts[nr_parts].nr;
		parts[nr_parts].phys = old.phys;
		nr_parts++;
	}
	if (end < old.first + old.nr) {
		uint32_t skipped = end - old.first;

		parts[nr_parts].first = end;
		parts[nr_parts].nr = old.first + old.nr - end;
		parts[nr_parts].fresh = old.fresh > skipped ? old.fresh - skipped : 0;
		parts[nr_parts].phys = old.phys + (uint64_t)skipped * CM_PAGE_SIZE;
		nr_parts++;
	}
	s = realloc(n->segments, (n->nr_segments + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	n->segments = s;
	memmove(&s[si], &s[si + 1], (n->nr_segments - si - 1) * sizeof(*s));
	n->nr_segments--;
	for (size_t k = 0; k < nr_parts; k++)
		s[n->nr_segments++] = parts[k];
	return 0;
}

/* Move the page in frame @idx to a frame outside the range being offlined. */
static bool migrate_out(struct cm_mm *mm, uint32_t idx, int node)
{
	const struct cm_tiering *t = &mm->tiering;
	struct frame *old = &mm->frames[idx];
	enum frame_list l = frame_list_of(old);
	uint32_t nidx = mm_alloc_on_node(mm, node, mm->nodes[node].wmark.min);

	for (int i = 0; nidx == CM_NIL && i < t->nr_fallback[node]; i++) {
		int n = t->fallback_order[node][i];

		if (n != node)
			nidx = mm_alloc_on_node(mm, n, mm->nodes[n].wmark.min);
	}
	if (nidx == CM_NIL)
		return false;
	old = &mm->frames[idx];
	mm_list_del(mm, idx);
	mm->frames[nidx].owner = old->owner;
	mm->frames[nidx].memcg = old->memcg;
	mm->frames[nidx].flags = (uint8_t)(old->flags & ~FRAME_LIST_MASK);
	mm->vpt[old->owner] = nidx;
	mm_list_add(mm, nidx, l);
	mm->nodes[node].counters[CM_PGMIGRATE_SUCCESS]++;
	old->flags = FL_OFFLINE;
	old->owner = CM_NIL;
	return true;
}

int cm_mm_offline(struct cm_mm *mm, int node, uint64_t start, uint64_t nr_pages, struct cm_error *err)
{
	struct mm_node *n;
	uint64_t used = 0, free_in = 0, room = 0;
	uint32_t first, end, fresh_end, prev = CM_NIL;
	int si, ret;

	for (int k = 0; node < 0 && k < mm->nr_node_ids; k++)
		if (mm->nodes[k].online && find_segment(&mm->nodes[k], start, nr_pages) >= 0)
			node = k;
	if (node < 0 || node >= CM_MAX_NUMNODES || !mm->nodes[node].online)
		return cm_error_set(err, -EINVAL, "node %d has no online memory", node);
	n = &mm->nodes[node];
	si = find_segment(n, start, nr_pages);
	if (si < 0)
		return cm_error_set(err, -EINVAL, "[0x%" PRIx64 ", 0x%" PRIx64 ") is not online memory of node %d",
				    start, (uint64_t)(start + nr_pages * CM_PAGE_SIZE), node);
	first = n->segments[si].first + (uint32_t)((start - n->segments[si].phys) / CM_PAGE_SIZE);
	end = first + (uint32_t)nr_pages;
	fresh_end = n->segments[si].first + n->segments[si].fresh;
	for (uint32_t i = first; i < end && i < fresh_end; i++)
		frame_list_of(&mm->frames[i]) == FL_FREE ? free_in++ : used++;
	free_in += nr_pages - (fresh_end > first ? (fresh_end < end ? fresh_end : end) - first : 0);
	/* Room elsewhere first, so a refused offline changes nothing (the kernel would say -EBUSY). */
	for (int k = 0; k < mm->nr_node_ids; k++) {
		uint64_t f = mm->nodes[k].free - (k == node ? free_in : 0);

		if (mm->nodes[k].online && f > mm->nodes[k].wmark.min)
			room += f - mm->nodes[k].wmark.min;
	}
	if (used > room)
		return cm_error_set(err, -EBUSY, "offline [0x%" PRIx64 ", 0x%" PRIx64 "): %" PRIu64 " pages in use, "
				    "room for %" PRIu64 " elsewhere", start, (uint64_t)(start + nr_pages * CM_PAGE_SIZE), used, room);
	ret = cut_segment(n, (size_t)si, first, end);
	if (ret)
		return cm_error_set(err, ret, "out of memory");
	/* Drop the range's frames from the free stack. */
	for (uint32_t idx = n->free_head; idx != CM_NIL; idx = mm->frames[idx].next) {
		if (!in_range(idx, first, end)) {
			prev = idx;
			continue;
		}
		if (prev == CM_NIL)
			n->free_head = mm->frames[idx].next;
		else
			mm->frames[prev].next = mm->frames[idx].next;
		mm->frames[idx].flags = FL_OFFLINE;
	}
	n->free -= free_in;
	n->present -= nr_pages;
	for (uint32_t i = first; i < end && i < fresh_end; i++)
		if (frame_list_of(&mm->frames[i]) != FL_OFFLINE && !migrate_out(mm, i, node))
			return cm_error_set(err, -EBUSY, "offline: migration failed after the room check");
	for (uint32_t i = fresh_end > first ? fresh_end : first; i < end; i++)
		mm->frames[i].flags = FL_OFFLINE;
	if (!n->present)
		n->online = false;
	compute_watermarks(mm);
	ret = cm_mm_recompute_tiers(mm);
	return ret ? cm_error_set(err, ret, "tiering: out of memory") : 0;
}
