// SPDX-License-Identifier: MIT
/*
 * The EPC, the misc cgroup's sgx_epc resource, EPC reclaim and enclaves
 * (SPEC 8.1, 8.3, 8.4), following the mainline driver and the EPC cgroup
 * series (v17):
 *
 * Allocation (sgx_alloc_epc_page): charge the cgroup first. A level that
 * would go over its max makes the caller reclaim from that level's
 * subtree, 16 pages a turn, round-robin over its cgroups in pre-order
 * from a cursor kept in that level; a caller that may not reclaim queues
 * asynchronous reclaim for the cgroup and gets -EBUSY; a subtree with
 * nothing reclaimable gives -ENOMEM (or, with sgx.oom=kill-enclave, the
 * enclave with the most EPC pages there is killed and the charge
 * retried). Then take a free page from the caller's node, then the other
 * EPC nodes round-robin; none free: -EBUSY without reclaim, -ENOMEM when
 * nothing is reclaimable anywhere, else reclaim one batch from the whole
 * tree (every cgroup pays) and retry. Afterwards, fewer than 32 free pages
 * with something reclaimable wakes ksgxd, which reclaims while fewer than
 * 64 are free.
 *
 * Reclaim of one batch from an LRU: up to 16 pages from its head; a page
 * accessed since it was last looked at goes back to the tail; the others
 * get backing memory (the page and its PCMD slot, charged to the memory
 * cgroup of the enclave's backing space), are blocked, tracked and
 * written back (EWB) into a VA slot and freed. A page whose backing cannot
 * be had stays. When an initialised enclave has no resident child pages
 * left, its SECS is written back too. A bound on the passes (twice the
 * subtree's LRU size in pages, in batches) turns a subtree whose pages
 * cannot be written back into -ENOMEM instead of a loop.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/epc.h"

#define EPC_NIL UINT32_MAX

enum epc_kind { EPC_FREE, EPC_SECS, EPC_VA, EPC_REG, EPC_VEPC, EPC_ISOLATED };

struct epc_page {
	uint32_t prev;
	uint32_t next;
	uint32_t owner;		/* enclave or vEPC id */
	uint32_t index;		/* enclave page index */
	uint16_t cgroup;
	uint8_t node;
	uint8_t kind : 3;
	uint8_t young : 1;
	uint8_t on_lru : 1;
};

enum encl_page_state { PAGE_NOT_ADDED, PAGE_RESIDENT, PAGE_EVICTED };

struct encl_page {
	uint32_t epc;
	uint8_t state;
};

struct enclave {
	int cgroup;
	int node;
	int backing_space;
	uint64_t nr_pages;	/* pages the enclave may hold (its size) */
	uint64_t nr_added;
	struct encl_page *pages;
	uint32_t secs;		/* EPC_NIL when written back */
	uint32_t *va;
	size_t nr_va;
	uint64_t va_slots_used;
	uint64_t resident_children;
	uint64_t epc_pages;	/* SECS + VA + resident pages */
	uint32_t *pcmd_count;	/* evicted pages per PCMD backing page */
	bool initialized;
	bool dead;
	bool released;
	char reason[160];
};

struct vepc {
	int cgroup;
	uint32_t *pages;
	uint64_t nr;		/* pages faulted in */
	uint64_t target;	/* pages of the VM's EPC */
	bool released;
};

struct lru {
	uint32_t head;		/* oldest */
	uint32_t tail;		/* newest */
	uint64_t nr;
};

/* What the EPC keeps per cgroup besides the misc counter (the series' struct sgx_cgroup). */
struct sgx_cgroup {
	struct lru lru;
	uint32_t cursor;	/* the next cgroup of the subtree to reclaim from */
	bool async_queued;
};

struct cm_epc {
	struct cm_mm *mm;
	const struct cm_config *config;
	struct epc_page *pages;
	uint64_t nr_pages;
	uint32_t free_head[CM_MAX_NUMNODES];
	uint64_t free_on[CM_MAX_NUMNODES];
	uint64_t nr_free;
	int nr_node_ids;
	int rr_node;
	bool ksgxd_woken;

	struct cm_cgroup_tree *tree;	/* the engine's: sgx_epc is a misc resource of its cgroups */
	struct sgx_cgroup *cgroups;	/* by cgroup id */
	size_t nr_cgroups;		/* how many the array has room for (online callback) */
	struct enclave *enclaves;
	size_t nr_enclaves;
	struct vepc *vepcs;
	size_t nr_vepcs;
	uint64_t counters[CM_EPC_NR_COUNTERS];
};

static const char *const counter_names[CM_EPC_NR_COUNTERS] = {
	[CM_SGX_EADD] = "sgx_eadd",
	[CM_SGX_EWB] = "sgx_ewb",
	[CM_SGX_ELDU] = "sgx_eldu",
	[CM_SGX_EWB_SECS] = "sgx_ewb_secs",
	[CM_SGX_FAULTS] = "sgx_faults",
	[CM_SGX_FAULT_RETRIES] = "sgx_fault_retries",
	[CM_SGX_SIGBUS] = "sgx_sigbus",
	[CM_SGX_RECLAIM_BATCHES] = "sgx_reclaim_batches",
	[CM_SGX_KSGXD_WAKE] = "sgx_ksgxd_wake",
	[CM_SGX_BACKING_FAIL] = "sgx_backing_fail",
	[CM_SGX_ETRACK_IPI] = "sgx_etrack_ipi",
	[CM_SGX_OOM_KILL] = "sgx_oom_kill",
};

const char *cm_epc_counter_name(enum cm_epc_counter c)
{
	return (unsigned int)c < CM_EPC_NR_COUNTERS ? counter_names[c] : "?";
}

int cm_epc_counter_from_name(const char *name)
{
	for (int i = 0; i < CM_EPC_NR_COUNTERS; i++)
		if (!strcmp(counter_names[i], name))
			return i;
	return -1;
}

static struct cm_page_counter *epc_counter(const struct cm_epc *epc, int cgroup)
{
	return &cm_cgroup_get(epc->tree, cgroup)->misc.res[CM_MISC_SGX_EPC];
}

static size_t nr_cgroups(const struct cm_epc *epc)
{
	return epc->tree->nr_cgroups;
}

uint64_t cm_epc_counter_total(const struct cm_epc *epc, enum cm_epc_counter c)
{
	return epc->counters[c];
}

/* ---- creation ---- */

/* The misc controller's online callback: an empty LRU for the new cgroup, its cursor on itself. */
static int sgx_cgroup_online(void *owner, struct cm_cgroup *cgroup)
{
	struct cm_epc *epc = owner;
	size_t nr = (size_t)cgroup->id + 1;
	struct sgx_cgroup *c;

	if (nr > epc->nr_cgroups) {
		c = realloc(epc->cgroups, nr * sizeof(*c));
		if (!c)
			return -ENOMEM;
		epc->cgroups = c;
		epc->nr_cgroups = nr;
	}
	c = &epc->cgroups[cgroup->id];
	memset(c, 0, sizeof(*c));
	c->lru = (struct lru){ EPC_NIL, EPC_NIL, 0 };
	c->cursor = (uint32_t)cgroup->id;
	return 0;
}

static const struct cm_cgroup_controller_ops sgx_cgroup_ops = { .online = sgx_cgroup_online };

int cm_epc_new(const struct cm_platform *p, struct cm_mm *mm, const struct cm_config *config, struct cm_epc **out,
	       struct cm_error *err)
{
	struct cm_epc *epc = calloc(1, sizeof(*epc));
	uint64_t total = 0, k = 0;

	*out = NULL;
	if (!epc)
		return cm_error_set(err, -ENOMEM, "out of memory");
	epc->mm = mm;
	epc->config = config;
	for (unsigned int i = 0; i < p->sgx.nr_epc; i++)
		total += p->sgx.epc[i].size / CM_PAGE_SIZE;
	epc->pages = calloc(total ? total : 1, sizeof(*epc->pages));
	if (!epc->pages || cm_cgroup_controller_register(cm_mm_cgroups(mm), CM_CGROUP_MISC, &sgx_cgroup_ops, epc)) {
		cm_epc_free(epc);
		return cm_error_set(err, -ENOMEM, "out of memory for %" PRIu64 " EPC pages", total);
	}
	epc->tree = cm_mm_cgroups(mm);
	for (int n = 0; n < CM_MAX_NUMNODES; n++)
		epc->free_head[n] = EPC_NIL;
	for (unsigned int i = 0; i < p->sgx.nr_epc; i++) {
		int node = p->sgx.epc[i].node;

		for (uint64_t j = 0; j < p->sgx.epc[i].size / CM_PAGE_SIZE; j++, k++) {
			epc->pages[k].node = (uint8_t)node;
			epc->pages[k].kind = EPC_FREE;
			epc->pages[k].next = epc->free_head[node];
			epc->free_head[node] = (uint32_t)k;
			epc->free_on[node]++;
		}
		if (node + 1 > epc->nr_node_ids)
			epc->nr_node_ids = node + 1;
	}
	epc->nr_pages = total;
	epc->nr_free = total;
	cm_misc_set_capacity(epc->tree, CM_MISC_SGX_EPC, total);
	*out = epc;
	return 0;
}

void cm_epc_free(struct cm_epc *epc)
{
	if (!epc)
		return;
	if (epc->tree) {
		cm_misc_set_capacity(epc->tree, CM_MISC_SGX_EPC, 0);
		cm_cgroup_controller_unregister(epc->tree, CM_CGROUP_MISC);
	}
	for (size_t i = 0; i < epc->nr_enclaves; i++) {
		free(epc->enclaves[i].pages);
		free(epc->enclaves[i].va);
		free(epc->enclaves[i].pcmd_count);
	}
	for (size_t i = 0; i < epc->nr_vepcs; i++)
		free(epc->vepcs[i].pages);
	free(epc->enclaves);
	free(epc->vepcs);
	free(epc->cgroups);
	free(epc->pages);
	free(epc);
}

uint64_t cm_epc_total_pages(const struct cm_epc *epc)
{
	return epc->nr_pages;
}

uint64_t cm_epc_free_pages(const struct cm_epc *epc)
{
	return epc->nr_free;
}

/* The misc side of a cgroup of the engine's tree: @path is created there unless it exists under @parent. */
int cm_epc_cgroup_create(struct cm_epc *epc, const char *path, int parent)
{
	int id = cm_cgroup_find(epc->tree, path);

	if (id < 0)
		return cm_cgroup_create(epc->tree, path, parent);
	if (!id || cm_cgroup_get(epc->tree, id)->parent != cm_cgroup_get(epc->tree, parent))
		return -EEXIST;
	return id;
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

static bool is_ancestor(const struct cm_epc *epc, int ancestor, int cgroup)
{
	return cm_cgroup_is_descendant(epc->tree, cgroup, ancestor);
}

/* ---- LRU ---- */

static void lru_add_tail(struct cm_epc *epc, uint32_t idx)
{
	struct epc_page *pg = &epc->pages[idx];
	struct lru *l = &epc->cgroups[pg->cgroup].lru;

	pg->next = EPC_NIL;
	pg->prev = l->tail;
	if (l->tail != EPC_NIL)
		epc->pages[l->tail].next = idx;
	else
		l->head = idx;
	l->tail = idx;
	l->nr++;
	pg->on_lru = 1;
}

static void lru_del(struct cm_epc *epc, uint32_t idx)
{
	struct epc_page *pg = &epc->pages[idx];
	struct lru *l = &epc->cgroups[pg->cgroup].lru;

	if (pg->prev != EPC_NIL)
		epc->pages[pg->prev].next = pg->next;
	else
		l->head = pg->next;
	if (pg->next != EPC_NIL)
		epc->pages[pg->next].prev = pg->prev;
	else
		l->tail = pg->prev;
	l->nr--;
	pg->prev = pg->next = EPC_NIL;
	pg->on_lru = 0;
}

static uint64_t subtree_lru_pages(const struct cm_epc *epc, int root)
{
	uint64_t nr = 0;

	for (size_t c = 0; c < nr_cgroups(epc); c++)
		if (is_ancestor(epc, root, (int)c))
			nr += epc->cgroups[c].lru.nr;
	return nr;
}

/* ---- pages ---- */

static void uncharge(struct cm_epc *epc, int cgroup)
{
	cm_page_counter_uncharge(epc_counter(epc, cgroup), 1);
}

static void free_epc_page(struct cm_epc *epc, uint32_t idx)
{
	struct epc_page *pg = &epc->pages[idx];

	if (pg->on_lru)
		lru_del(epc, idx);
	uncharge(epc, pg->cgroup);
	pg->kind = EPC_FREE;
	pg->young = 0;
	pg->next = epc->free_head[pg->node];
	epc->free_head[pg->node] = idx;
	epc->free_on[pg->node]++;
	epc->nr_free++;
}

static int enclave_of_page(const struct cm_epc *epc, uint32_t idx)
{
	return (int)epc->pages[idx].owner;
}

/* Write a page back: backing page and PCMD slot, then EWB into a VA slot. */
static bool write_back(struct cm_epc *epc, uint32_t idx)
{
	struct epc_page *pg = &epc->pages[idx];
	struct enclave *e = &epc->enclaves[enclave_of_page(epc, idx)];
	uint64_t page = pg->index, pcmd = page / CM_SGX_PCMD_PER_PAGE;

	if (e->dead || cm_mm_touch(epc->mm, e->backing_space, page, true) ||
	    (!e->pcmd_count[pcmd] && cm_mm_touch(epc->mm, e->backing_space, e->nr_pages + pcmd, true))) {
		epc->counters[CM_SGX_BACKING_FAIL]++;
		if (cm_mm_space_killed(epc->mm, e->backing_space) && !e->dead) {
			e->dead = true;
			snprintf(e->reason, sizeof(e->reason), "its memory cgroup ran out of memory for EPC backing "
				 "(the OOM killer took its process)");
		}
		return false;
	}
	e->pcmd_count[pcmd]++;
	/* EBLOCK, ETRACK (an IPI to the enclave's CPUs), EWB. */
	epc->counters[CM_SGX_ETRACK_IPI]++;
	e->pages[page].state = PAGE_EVICTED;
	e->pages[page].epc = EPC_NIL;
	e->va_slots_used++;
	e->resident_children--;
	e->epc_pages--;
	free_epc_page(epc, idx);
	epc->counters[CM_SGX_EWB]++;
	/* An initialised enclave without resident children gives up its SECS too. */
	if (!e->resident_children && e->initialized && e->secs != EPC_NIL) {
		free_epc_page(epc, e->secs);
		e->secs = EPC_NIL;
		e->epc_pages--;
		e->va_slots_used++;
		epc->counters[CM_SGX_EWB_SECS]++;
	}
	return true;
}

/* One batch from one LRU: returns the pages reclaimed. */
static unsigned int reclaim_batch(struct cm_epc *epc, struct lru *l)
{
	uint32_t batch[CM_SGX_NR_TO_SCAN];
	unsigned int nr = 0, reclaimed = 0;

	epc->counters[CM_SGX_RECLAIM_BATCHES]++;
	/* Exactly 16 pages from the head; the young ones count and go back to the tail. */
	for (unsigned int scanned = 0; scanned < CM_SGX_NR_TO_SCAN && l->head != EPC_NIL; scanned++) {
		uint32_t idx = l->head;
		struct epc_page *pg = &epc->pages[idx];

		lru_del(epc, idx);
		if (pg->young) {
			pg->young = 0;
			lru_add_tail(epc, idx);
			continue;
		}
		pg->kind = EPC_ISOLATED;
		batch[nr++] = idx;
	}
	for (unsigned int i = 0; i < nr; i++) {
		struct epc_page *pg = &epc->pages[batch[i]];

		pg->kind = EPC_REG;
		if (write_back(epc, batch[i]))
			reclaimed++;
		else
			lru_add_tail(epc, batch[i]);
	}
	return reclaimed;
}

/* One turn of round-robin reclaim over @root's subtree, from its cursor. */
static unsigned int reclaim_subtree(struct cm_epc *epc, int root)
{
	struct sgx_cgroup *r = &epc->cgroups[root];
	size_t nr = nr_cgroups(epc);

	for (size_t visited = 0; visited < nr; visited++) {
		int c = (int)(r->cursor % nr);

		r->cursor = (uint32_t)((c + 1) % (int)nr);
		if (!is_ancestor(epc, root, c) || !epc->cgroups[c].lru.nr)
			continue;
		return reclaim_batch(epc, &epc->cgroups[c].lru);
	}
	return 0;
}

/* Reclaim until @done says so, @root's subtree empties or the pass bound is hit. */
static bool reclaim_bounded(struct cm_epc *epc, int root)
{
	uint64_t passes = 2 * (subtree_lru_pages(epc, root) / CM_SGX_NR_TO_SCAN + 2);

	while (passes--) {
		if (!subtree_lru_pages(epc, root))
			return false;
		if (reclaim_subtree(epc, root))
			return true;
	}
	return false;
}

/* sgx.oom=kill-enclave: kill the enclave with the most EPC pages in @root's subtree. */
static bool oom_kill_enclave(struct cm_epc *epc, int root)
{
	int victim = -1;

	for (size_t i = 0; i < epc->nr_enclaves; i++) {
		const struct enclave *e = &epc->enclaves[i];

		if (e->released || e->dead || !is_ancestor(epc, root, e->cgroup))
			continue;
		if (victim < 0 || e->epc_pages > epc->enclaves[victim].epc_pages)
			victim = (int)i;
	}
	if (victim < 0)
		return false;
	epc->enclaves[victim].dead = true;
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
static int try_charge(struct cm_epc *epc, int cgroup, enum cm_epc_reclaim reclaim)
{
	struct cm_page_counter *counter = epc_counter(epc, cgroup), *fail;

	while (!cm_page_counter_try_charge(counter, 1, &fail)) {
		int level = cm_cgroup_of_misc(fail, CM_MISC_SGX_EPC)->id;

		if (subtree_lru_pages(epc, level) && reclaim == CM_EPC_NO_RECLAIM) {
			epc->cgroups[cgroup].async_queued = true;
			return -EBUSY;
		}
		if (subtree_lru_pages(epc, level) && reclaim_bounded(epc, level))
			continue;
		if (epc->config->sgx_oom == CM_SGX_OOM_KILL_ENCLAVE && oom_kill_enclave(epc, level))
			continue;
		return -ENOMEM;
	}
	return 0;
}

static uint32_t take_free(struct cm_epc *epc, int node)
{
	int start = node >= 0 && node < epc->nr_node_ids && epc->free_on[node] ? node : epc->rr_node;

	for (int k = 0; k < epc->nr_node_ids; k++) {
		int n = (start + k) % epc->nr_node_ids;
		uint32_t idx = epc->free_head[n];

		if (idx == EPC_NIL)
			continue;
		epc->free_head[n] = epc->pages[idx].next;
		epc->free_on[n]--;
		epc->nr_free--;
		if (n != node)
			epc->rr_node = (n + 1) % epc->nr_node_ids;
		return idx;
	}
	return EPC_NIL;
}

/* Fewer than 32 free pages and something reclaimable: ksgxd gets to work. */
static void wake_ksgxd(struct cm_epc *epc)
{
	if (epc->nr_free < CM_SGX_NR_LOW_PAGES && subtree_lru_pages(epc, 0) && !epc->ksgxd_woken) {
		epc->ksgxd_woken = true;
		epc->counters[CM_SGX_KSGXD_WAKE]++;
	}
}

static int alloc_epc(struct cm_epc *epc, int cgroup, int node, enum cm_epc_reclaim reclaim, enum epc_kind kind,
		     uint32_t owner, uint32_t index, uint32_t *out)
{
	uint32_t idx;
	int ret = try_charge(epc, cgroup, reclaim);

	if (ret)
		return ret;
	while ((idx = take_free(epc, node)) == EPC_NIL) {
		if (reclaim == CM_EPC_NO_RECLAIM || !subtree_lru_pages(epc, 0) || !reclaim_bounded(epc, 0)) {
			uncharge(epc, cgroup);
			ret = reclaim == CM_EPC_NO_RECLAIM && subtree_lru_pages(epc, 0) ? -EBUSY : -ENOMEM;
			wake_ksgxd(epc);
			return ret;
		}
	}
	node = epc->pages[idx].node;
	memset(&epc->pages[idx], 0, sizeof(epc->pages[idx]));
	epc->pages[idx].node = (uint8_t)node;
	epc->pages[idx].prev = epc->pages[idx].next = EPC_NIL;
	epc->pages[idx].kind = kind;
	epc->pages[idx].owner = owner;
	epc->pages[idx].index = index;
	epc->pages[idx].cgroup = (uint16_t)cgroup;
	wake_ksgxd(epc);
	*out = idx;
	return 0;
}

/* ---- enclaves ---- */

/* A VA page holds 512 slots; one more is needed when the page count reaches a multiple of 512. */
static int grow_va(struct cm_epc *epc, int id, enum cm_epc_reclaim reclaim)
{
	struct enclave *e = &epc->enclaves[id];
	uint32_t *va = realloc(e->va, (e->nr_va + 1) * sizeof(*va));
	uint32_t idx;
	int ret;

	if (!va)
		return -ENOMEM;
	e->va = va;
	ret = alloc_epc(epc, e->cgroup, e->node, reclaim, EPC_VA, (uint32_t)id, 0, &idx);
	e = &epc->enclaves[id];
	if (ret)
		return ret;
	/* The EPC OOM choice may have killed this very enclave to make room. */
	if (e->released || e->dead) {
		free_epc_page(epc, idx);
		return -ENOMEM;
	}
	e->va[e->nr_va++] = idx;
	e->epc_pages++;
	return 0;
}

int cm_epc_enclave_create(struct cm_epc *epc, int cgroup, int node, uint64_t nr_pages, int backing_space)
{
	struct enclave *e = realloc(epc->enclaves, (epc->nr_enclaves + 1) * sizeof(*e));
	int id = (int)epc->nr_enclaves, ret;
	uint32_t secs;

	if (!e)
		return -ENOMEM;
	epc->enclaves = e;
	e = &epc->enclaves[id];
	memset(e, 0, sizeof(*e));
	e->cgroup = cgroup;
	e->node = node;
	e->backing_space = backing_space;
	e->nr_pages = nr_pages;
	e->secs = EPC_NIL;
	e->pages = calloc(nr_pages ? nr_pages : 1, sizeof(*e->pages));
	e->pcmd_count = calloc(nr_pages / CM_SGX_PCMD_PER_PAGE + 1, sizeof(*e->pcmd_count));
	epc->nr_enclaves++;
	if (!e->pages || !e->pcmd_count) {
		e->released = true;
		return -ENOMEM;
	}
	for (uint64_t i = 0; i < nr_pages; i++)
		e->pages[i].epc = EPC_NIL;
	/* ECREATE: the first VA page, then the SECS. */
	ret = grow_va(epc, id, CM_EPC_DO_RECLAIM);
	if (!ret)
		ret = alloc_epc(epc, cgroup, node, CM_EPC_DO_RECLAIM, EPC_SECS, (uint32_t)id, 0, &secs);
	e = &epc->enclaves[id];
	if (!ret && (e->released || e->dead)) {
		free_epc_page(epc, secs);
		ret = -ENOMEM;
	}
	if (ret) {
		cm_epc_enclave_release(epc, id);
		return ret;
	}
	e->secs = secs;
	e->epc_pages++;
	return id;
}

int cm_epc_enclave_add_page(struct cm_epc *epc, int id)
{
	struct enclave *e = &epc->enclaves[id];
	uint64_t page = e->nr_added;
	uint32_t idx;
	int ret;

	if (e->dead || page >= e->nr_pages)
		return -EINVAL;
	/* The SECS took the first slot: a new VA page when the count with it reaches a multiple of 512. */
	if ((page + 1) % CM_SGX_VA_SLOT_COUNT == 0) {
		ret = grow_va(epc, id, CM_EPC_DO_RECLAIM);
		if (ret)
			return ret;
	}
	ret = alloc_epc(epc, e->cgroup, e->node, CM_EPC_DO_RECLAIM, EPC_REG, (uint32_t)id, (uint32_t)page, &idx);
	e = &epc->enclaves[id];
	if (ret)
		return ret;
	if (e->dead || e->released) {	/* reclaim for this page cost the enclave its life */
		free_epc_page(epc, idx);
		return -ENOMEM;
	}
	e->pages[page].epc = idx;
	e->pages[page].state = PAGE_RESIDENT;
	e->nr_added++;
	e->resident_children++;
	e->epc_pages++;
	epc->pages[idx].young = 1;
	lru_add_tail(epc, idx);
	epc->counters[CM_SGX_EADD]++;
	return 0;
}

void cm_epc_enclave_init(struct cm_epc *epc, int id)
{
	epc->enclaves[id].initialized = true;
}

/* ELDU of an evicted page (or of the SECS): allocation without reclaim. */
static int load_page(struct cm_epc *epc, int id, uint64_t page, bool secs)
{
	struct enclave *e = &epc->enclaves[id];
	uint32_t idx;
	int ret = alloc_epc(epc, e->cgroup, e->node, CM_EPC_NO_RECLAIM, secs ? EPC_SECS : EPC_REG, (uint32_t)id,
			    (uint32_t)page, &idx);

	e = &epc->enclaves[id];
	if (ret)
		return ret;
	e->va_slots_used--;
	e->epc_pages++;
	epc->counters[CM_SGX_ELDU]++;
	if (secs) {
		e->secs = idx;
		return 0;
	}
	e->pages[page].epc = idx;
	e->pages[page].state = PAGE_RESIDENT;
	e->resident_children++;
	epc->pages[idx].young = 1;
	lru_add_tail(epc, idx);
	/* The backing page and, once unused, its PCMD page are truncated. */
	cm_mm_discard(epc->mm, e->backing_space, page);
	if (!--e->pcmd_count[page / CM_SGX_PCMD_PER_PAGE])
		cm_mm_discard(epc->mm, e->backing_space, e->nr_pages + page / CM_SGX_PCMD_PER_PAGE);
	return 0;
}

int cm_epc_enclave_touch(struct cm_epc *epc, int id, uint64_t page)
{
	struct enclave *e = &epc->enclaves[id];
	int ret;

	if (e->dead || e->released)
		return -EFAULT;
	if (page >= e->nr_added)
		return -EINVAL;
	if (e->pages[page].state == PAGE_RESIDENT) {
		epc->pages[e->pages[page].epc].young = 1;
		return 0;
	}
	epc->counters[CM_SGX_FAULTS]++;
	ret = e->secs == EPC_NIL ? load_page(epc, id, 0, true) : 0;
	if (!ret)
		ret = load_page(epc, id, page, false);
	if (ret == -EBUSY) {
		epc->counters[CM_SGX_FAULT_RETRIES]++;
		return -EBUSY;
	}
	if (ret) {
		e = &epc->enclaves[id];
		e->dead = true;
		snprintf(e->reason, sizeof(e->reason), "SIGBUS: no EPC for a fault (%s)", ret == -ENOMEM ?
			 "-ENOMEM: nothing reclaimable" : "error");
		epc->counters[CM_SGX_SIGBUS]++;
		return -EFAULT;
	}
	return 0;
}

void cm_epc_enclave_release(struct cm_epc *epc, int id)
{
	struct enclave *e = &epc->enclaves[id];

	if (e->released)
		return;
	for (uint64_t i = 0; i < e->nr_added; i++) {
		if (e->pages[i].state == PAGE_RESIDENT)
			free_epc_page(epc, e->pages[i].epc);
		e->pages[i].state = PAGE_NOT_ADDED;
		e->pages[i].epc = EPC_NIL;
	}
	if (e->secs != EPC_NIL)
		free_epc_page(epc, e->secs);
	for (size_t i = 0; i < e->nr_va; i++)
		free_epc_page(epc, e->va[i]);
	e->secs = EPC_NIL;
	e->nr_va = 0;
	e->resident_children = 0;
	e->epc_pages = 0;
	e->va_slots_used = 0;
	e->released = true;
}

bool cm_epc_enclave_dead(const struct cm_epc *epc, int id)
{
	return epc->enclaves[id].dead;
}

const char *cm_epc_enclave_reason(const struct cm_epc *epc, int id)
{
	return epc->enclaves[id].reason;
}

uint64_t cm_epc_enclave_resident(const struct cm_epc *epc, int id)
{
	return epc->enclaves[id].epc_pages;
}

/* ---- vEPC ---- */

int cm_epc_vepc_create(struct cm_epc *epc, int cgroup, uint64_t nr_pages, int *id)
{
	struct vepc *v = realloc(epc->vepcs, (epc->nr_vepcs + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	epc->vepcs = v;
	*id = (int)epc->nr_vepcs++;
	v = &epc->vepcs[*id];
	memset(v, 0, sizeof(*v));
	v->cgroup = cgroup;
	v->target = nr_pages;
	v->pages = calloc(nr_pages ? nr_pages : 1, sizeof(*v->pages));
	if (!v->pages) {
		v->released = true;
		return -ENOMEM;
	}
	return 0;
}

int cm_epc_vepc_fault(struct cm_epc *epc, int id, int node)
{
	struct vepc *v = &epc->vepcs[id];

	while (!v->released && v->nr < v->target) {
		uint32_t idx;
		int ret = alloc_epc(epc, v->cgroup, node, CM_EPC_NO_RECLAIM, EPC_VEPC, (uint32_t)id,
				    (uint32_t)v->nr, &idx);

		v = &epc->vepcs[id];
		if (ret == -EBUSY) {
			epc->counters[CM_SGX_FAULT_RETRIES]++;
			return -EBUSY;	/* VM_FAULT_RETRY: the next millisecond */
		}
		if (ret) {
			epc->counters[CM_SGX_SIGBUS]++;
			return -EFAULT;
		}
		v->pages[v->nr++] = idx;
	}
	return 0;
}

uint64_t cm_epc_vepc_pages(const struct cm_epc *epc, int id)
{
	return id < 0 ? 0 : epc->vepcs[id].nr;
}

void cm_epc_vepc_release(struct cm_epc *epc, int id)
{
	struct vepc *v = &epc->vepcs[id];

	if (v->released)
		return;
	for (uint64_t i = 0; i < v->nr; i++)
		free_epc_page(epc, v->pages[i]);
	v->nr = 0;
	v->released = true;
}

/* ---- background ---- */

void cm_epc_run_background(struct cm_epc *epc)
{
	/* ksgxd: batches from the whole tree while fewer than 64 pages are free. */
	if (epc->ksgxd_woken) {
		while (epc->nr_free < CM_SGX_NR_HIGH_PAGES && subtree_lru_pages(epc, 0))
			if (!reclaim_bounded(epc, 0))
				break;
		epc->ksgxd_woken = false;
	}
	/* Queued cgroup work: keep usage below max, less 32 pages when max is above 128. */
	for (size_t c = 1; c < nr_cgroups(epc); c++) {
		struct sgx_cgroup *cg = &epc->cgroups[c];
		const struct cm_page_counter *counter = epc_counter(epc, (int)c);
		uint64_t max;

		if (!cg->async_queued)
			continue;
		cg->async_queued = false;
		max = cm_page_counter_lowest_max(counter);
		if (max > CM_SGX_NR_TO_SCAN * 8)
			max -= CM_SGX_NR_LOW_PAGES;
		while (counter->usage >= max && subtree_lru_pages(epc, (int)c))
			if (!reclaim_bounded(epc, (int)c))
				break;
	}
}

/* ---- invariants ---- */

#define fail(...) cm_error_set(err, -EUCLEAN, __VA_ARGS__)

int cm_epc_check(const struct cm_epc *epc, struct cm_error *err)
{
	uint64_t *charged = calloc(nr_cgroups(epc), sizeof(*charged));
	uint64_t nr_free = 0;
	int ret = 0;

	if (!charged)
		return cm_error_set(err, -ENOMEM, "check: out of memory");
	for (uint64_t i = 0; i < epc->nr_pages && !ret; i++) {
		const struct epc_page *pg = &epc->pages[i];
		const struct enclave *e;

		switch (pg->kind) {
		case EPC_FREE:
			nr_free++;
			continue;
		case EPC_ISOLATED:
			ret = fail("EPC page %" PRIu64 ": left in reclaim between events", i);
			continue;
		case EPC_REG:
			e = &epc->enclaves[pg->owner];
			if (e->released || pg->index >= e->nr_added || e->pages[pg->index].epc != i ||
			    e->pages[pg->index].state != PAGE_RESIDENT)
				ret = fail("EPC page %" PRIu64 ": enclave %u page %u does not point back", i, pg->owner,
					   pg->index);
			else if (!pg->on_lru)
				ret = fail("EPC page %" PRIu64 ": a resident enclave page off its cgroup's LRU", i);
			break;
		case EPC_SECS:
			e = &epc->enclaves[pg->owner];
			if (e->released || e->secs != i)
				ret = fail("EPC page %" PRIu64 ": SECS of enclave %u does not point back", i, pg->owner);
			break;
		case EPC_VA: {
			bool found = false;

			e = &epc->enclaves[pg->owner];
			for (size_t k = 0; !e->released && k < e->nr_va && !found; k++)
				found = e->va[k] == i;
			if (!found)
				ret = fail("EPC page %" PRIu64 ": VA page of enclave %u is not one of its VA pages", i,
					   pg->owner);
			break;
		}
		case EPC_VEPC:
			if (epc->vepcs[pg->owner].released || pg->index >= epc->vepcs[pg->owner].nr ||
			    epc->vepcs[pg->owner].pages[pg->index] != i)
				ret = fail("EPC page %" PRIu64 ": vEPC %u page %u does not point back", i, pg->owner,
					   pg->index);
			break;
		}
		charged[pg->cgroup]++;
	}
	if (!ret && nr_free != epc->nr_free)
		ret = fail("EPC: %" PRIu64 " free pages found, %" PRIu64 " counted", nr_free, epc->nr_free);
	for (size_t c = 0; c < nr_cgroups(epc) && !ret; c++) {
		const char *path = cm_cgroup_get(epc->tree, (int)c)->path;
		uint64_t current = epc_counter(epc, (int)c)->usage;
		uint64_t usage = 0, lru = 0;

		for (size_t k = 0; k < nr_cgroups(epc); k++)
			if (is_ancestor(epc, (int)c, (int)k))
				usage += charged[k];
		for (uint32_t idx = epc->cgroups[c].lru.head; idx != EPC_NIL && lru <= epc->nr_pages; idx = epc->pages[idx].next)
			lru++;
		if (usage != current)
			ret = fail("misc cgroup %s: sgx_epc current %" PRIu64 " but %" PRIu64 " pages charged in its subtree",
				   path, current, usage);
		else if (lru != epc->cgroups[c].lru.nr)
			ret = fail("misc cgroup %s: %" PRIu64 " pages on its LRU, %" PRIu64 " counted", path,
				   lru, epc->cgroups[c].lru.nr);
		else if (c == 0 && usage > epc->nr_pages)
			ret = fail("misc: usage above the EPC capacity");
	}
	for (size_t i = 0; i < epc->nr_enclaves && !ret; i++) {
		const struct enclave *e = &epc->enclaves[i];
		uint64_t resident = 0, evicted = 0;

		if (e->released)
			continue;
		for (uint64_t p = 0; p < e->nr_added; p++) {
			resident += e->pages[p].state == PAGE_RESIDENT;
			evicted += e->pages[p].state == PAGE_EVICTED;
		}
		if (resident != e->resident_children)
			ret = fail("enclave %zu: %" PRIu64 " resident pages found, %" PRIu64 " counted", i, resident,
				   e->resident_children);
		else if (evicted + (e->secs == EPC_NIL) != e->va_slots_used || e->va_slots_used > e->nr_va * CM_SGX_VA_SLOT_COUNT)
			ret = fail("enclave %zu: %" PRIu64 " VA slots used for %" PRIu64 " evicted pages, %zu VA pages", i,
				   e->va_slots_used, evicted, e->nr_va);
	}
	free(charged);
	return ret;
}
