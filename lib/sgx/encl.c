// SPDX-License-Identifier: MIT
/*
 * Enclaves: ECREATE (a VA page and the SECS), EADD, VA pages every 512
 * pages, faults that load evicted pages back (ELDU) without reclaim, and
 * release.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epc_internal.h"

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
	ret = epc_alloc_page(epc, e->cgroup, e->node, reclaim, EPC_VA, (uint32_t)id, 0, &idx);
	e = &epc->enclaves[id];
	if (ret)
		return ret;
	/* The EPC OOM choice may have killed this very enclave to make room. */
	if (e->released || e->dead) {
		epc_free_page(epc, idx);
		return -ENOMEM;
	}
	e->va[e->nr_va++] = idx;
	e->epc_pages++;
	return 0;
}

int cm_epc_enclave_create(struct cm_epc *epc, int cgroup, int node, uint64_t nr_pages, int backing_space)
{
	int id = (int)epc->nr_enclaves, ret;
	struct enclave *e;
	uint32_t secs;

	if (epc_reserve_one((void **)&epc->enclaves, &epc->enclaves_capacity, epc->nr_enclaves, sizeof(*e)))
		return -ENOMEM;
	e = &epc->enclaves[id];
	memset(e, 0, sizeof(*e));
	e->cgroup = cgroup;
	e->node = node;
	e->backing_space = backing_space;
	e->oom_cgroup = -1;
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
		ret = epc_alloc_page(epc, cgroup, node, CM_EPC_DO_RECLAIM, EPC_SECS, (uint32_t)id, 0, &secs);
	e = &epc->enclaves[id];
	if (!ret && (e->released || e->dead)) {
		epc_free_page(epc, secs);
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
	ret = epc_alloc_page(epc, e->cgroup, e->node, CM_EPC_DO_RECLAIM, EPC_REG, (uint32_t)id, (uint32_t)page, &idx);
	e = &epc->enclaves[id];
	if (ret)
		return ret;
	if (e->dead || e->released) {	/* reclaim for this page cost the enclave its life */
		epc_free_page(epc, idx);
		return -ENOMEM;
	}
	e->pages[page].epc = idx;
	e->pages[page].state = PAGE_RESIDENT;
	e->nr_added++;
	e->resident_children++;
	e->epc_pages++;
	epc->pages[idx].young = 1;
	epc_lru_add_tail(epc, idx);
	epc->counters[CM_SGX_EADD]++;
	return 0;
}

void cm_epc_enclave_init(struct cm_epc *epc, int id)
{
	epc->enclaves[id].initialized = true;
}

/* ELDU of an evicted page (@kind EPC_REG) or of the SECS (EPC_SECS): allocation without reclaim. */
static int load_page(struct cm_epc *epc, int id, uint64_t page, enum epc_kind kind)
{
	struct enclave *e = &epc->enclaves[id];
	uint32_t idx;
	int ret = epc_alloc_page(epc, e->cgroup, e->node, CM_EPC_NO_RECLAIM, kind, (uint32_t)id, (uint32_t)page, &idx);

	e = &epc->enclaves[id];
	if (ret)
		return ret;
	e->va_slots_used--;
	e->epc_pages++;
	epc->counters[CM_SGX_ELDU]++;
	if (kind == EPC_SECS) {
		e->secs = idx;
		return 0;
	}
	e->pages[page].epc = idx;
	e->pages[page].state = PAGE_RESIDENT;
	e->resident_children++;
	epc->pages[idx].young = 1;
	epc_lru_add_tail(epc, idx);
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
	ret = e->secs == EPC_NIL ? load_page(epc, id, 0, EPC_SECS) : 0;
	if (!ret)
		ret = load_page(epc, id, page, EPC_REG);
	if (ret == -EBUSY) {
		epc->counters[CM_SGX_FAULT_RETRIES]++;
		return -EBUSY;
	}
	if (ret) {
		e = &epc->enclaves[id];
		e->dead = true;
		epc->nr_dead++;
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
			epc_free_page(epc, e->pages[i].epc);
		e->pages[i].state = PAGE_NOT_ADDED;
		e->pages[i].epc = EPC_NIL;
	}
	if (e->secs != EPC_NIL)
		epc_free_page(epc, e->secs);
	for (size_t i = 0; i < e->nr_va; i++)
		epc_free_page(epc, e->va[i]);
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

int cm_epc_enclave_oom_cgroup(const struct cm_epc *epc, int id)
{
	return epc->enclaves[id].oom_cgroup;
}

uint64_t cm_epc_nr_dead(const struct cm_epc *epc)
{
	return epc->nr_dead;
}

const char *cm_epc_enclave_reason(const struct cm_epc *epc, int id)
{
	return epc->enclaves[id].reason;
}

uint64_t cm_epc_enclave_resident(const struct cm_epc *epc, int id)
{
	return epc->enclaves[id].epc_pages;
}
