// SPDX-License-Identifier: MIT
/*
 * The EPC (SPEC 8.1, 8.3, 8.4): sections, free pages per node and the
 * allocation of a page, following the mainline driver and the EPC cgroup
 * series (v17). The misc cgroup side is in misc_cgroup.c, reclaim in
 * epc_reclaim.c, enclaves in encl.c, vEPC in vepc.c.
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
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/names.h"
#include "epc_internal.h"

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
	return cm_name_of(counter_names, CM_EPC_NR_COUNTERS, c);
}

int cm_epc_counter_from_name(const char *name)
{
	return cm_name_find(counter_names, CM_EPC_NR_COUNTERS, name);
}

uint64_t cm_epc_counter_total(const struct cm_epc *epc, enum cm_epc_counter c)
{
	return epc->counters[c];
}

int cm_epc_new(const struct cm_platform *p, struct cm_mm *mm, const struct cm_config *config, struct cm_epc **out,
	       struct cm_error *err)
{
	struct cm_epc *epc = calloc(1, sizeof(*epc));
	uint64_t total = 0, k = 0;
	int ret;

	*out = NULL;
	if (!epc)
		return cm_error_set(err, -ENOMEM, "out of memory");
	epc->mm = mm;
	epc->config = config;
	for (unsigned int i = 0; i < p->sgx.nr_epc; i++)
		total += p->sgx.epc[i].size / CM_PAGE_SIZE;
	epc->pages = calloc(total ? total : 1, sizeof(*epc->pages));
	if (!epc->pages) {
		cm_epc_free(epc);
		return cm_error_set(err, -ENOMEM, "out of memory for %" PRIu64 " EPC pages", total);
	}
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
	epc->async_head = epc->async_tail = -1;
	ret = epc_cgroup_register(epc, cm_mm_cgroups(mm));
	if (ret) {
		cm_epc_free(epc);
		return cm_error_set(err, ret, "misc cgroup controller: %s", ret == -EINVAL ?
				    "the engine's cgroup tree has one already" : "out of memory");
	}
	*out = epc;
	return 0;
}

void cm_epc_free(struct cm_epc *epc)
{
	if (!epc)
		return;
	epc_cgroup_unregister(epc);
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

void epc_uncharge(struct cm_epc *epc, int cgroup)
{
	cm_page_counter_uncharge(epc_counter(epc, cgroup), 1);
}

void epc_free_page(struct cm_epc *epc, uint32_t idx)
{
	struct epc_page *pg = &epc->pages[idx];

	if (pg->on_lru)
		epc_lru_del(epc, idx);
	epc_uncharge(epc, pg->cgroup);
	pg->kind = EPC_FREE;
	pg->young = 0;
	pg->next = epc->free_head[pg->node];
	epc->free_head[pg->node] = idx;
	epc->free_on[pg->node]++;
	epc->nr_free++;
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

int epc_reserve_one(void **array, size_t *capacity, size_t nr, size_t size)
{
	size_t grown = *capacity + *capacity / 8 + 4;
	void *bigger;

	if (nr < *capacity)
		return 0;
	bigger = realloc(*array, grown * size);
	if (!bigger)
		return -ENOMEM;
	*array = bigger;
	*capacity = grown;
	return 0;
}

int epc_alloc_page(struct cm_epc *epc, int cgroup, int node, enum cm_epc_reclaim reclaim, enum epc_kind kind,
		     uint32_t owner, uint32_t index, uint32_t *out)
{
	uint32_t idx;
	int ret = epc_try_charge(epc, cgroup, reclaim);

	if (ret)
		return ret;
	while ((idx = take_free(epc, node)) == EPC_NIL) {
		if (reclaim == CM_EPC_NO_RECLAIM || !epc_subtree_lru_pages(epc, 0) || !epc_reclaim_bounded(epc, 0)) {
			epc_uncharge(epc, cgroup);
			ret = reclaim == CM_EPC_NO_RECLAIM && epc_subtree_lru_pages(epc, 0) ? -EBUSY : -ENOMEM;
			epc_wake_ksgxd(epc);
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
	epc_wake_ksgxd(epc);
	*out = idx;
	return 0;
}
