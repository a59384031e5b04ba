// SPDX-License-Identifier: MIT
/*
 * vEPC: a virtual machine's EPC, faulted in without reclaim and never
 * reclaimed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "epc_internal.h"

int cm_epc_vepc_create(struct cm_epc *epc, int cgroup, uint64_t nr_pages, int *id)
{
	struct vepc *v;

	if (epc_reserve_one((void **)&epc->vepcs, &epc->vepcs_capacity, epc->nr_vepcs, sizeof(*v)))
		return -ENOMEM;
	*id = (int)epc->nr_vepcs++;
	v = &epc->vepcs[*id];
	memset(v, 0, sizeof(*v));
	v->cgroup = cgroup;
	v->target = nr_pages;
	/* It can never hold more than the whole EPC: its size alone allocates nothing. */
	v->pages = calloc(nr_pages < epc->nr_pages ? nr_pages + 1 : epc->nr_pages + 1, sizeof(*v->pages));
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
		int ret = epc_alloc_page(epc, v->cgroup, node, CM_EPC_NO_RECLAIM, EPC_VEPC, (uint32_t)id,
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
		epc_free_page(epc, v->pages[i]);
	v->nr = 0;
	v->released = true;
}
