// SPDX-License-Identifier: MIT
/*
 * The EPC's invariants (SPEC 8), checked by walking everything.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "epc_internal.h"

#define fail(...) cm_error_set(err, -EUCLEAN, __VA_ARGS__)

static bool is_va_page_of(const struct enclave *e, uint64_t idx)
{
	for (size_t k = 0; !e->released && k < e->nr_va; k++)
		if (e->va[k] == idx)
			return true;
	return false;
}

/* An owned page points back to its owner: the enclave page, SECS or VA page, or the vEPC page. */
static int check_owned_page(const struct cm_epc *epc, uint64_t i, struct cm_error *err)
{
	const struct epc_page *pg = &epc->pages[i];
	const struct enclave *e = pg->kind == EPC_VEPC ? NULL : &epc->enclaves[pg->owner];
	const struct vepc *v = pg->kind == EPC_VEPC ? &epc->vepcs[pg->owner] : NULL;

	switch (pg->kind) {
	case EPC_REG:
		if (e->released || pg->index >= e->nr_added || e->pages[pg->index].epc != i ||
		    e->pages[pg->index].state != PAGE_RESIDENT)
			return fail("EPC page %" PRIu64 ": enclave %u page %u does not point back", i, pg->owner,
				    pg->index);
		if (!pg->on_lru)
			return fail("EPC page %" PRIu64 ": a resident enclave page off its cgroup's LRU", i);
		return 0;
	case EPC_SECS:
		if (e->released || e->secs != i)
			return fail("EPC page %" PRIu64 ": SECS of enclave %u does not point back", i, pg->owner);
		return 0;
	case EPC_VA:
		if (!is_va_page_of(e, i))
			return fail("EPC page %" PRIu64 ": VA page of enclave %u is not one of its VA pages", i,
				    pg->owner);
		return 0;
	case EPC_VEPC:
		if (v->released || pg->index >= v->nr || v->pages[pg->index] != i)
			return fail("EPC page %" PRIu64 ": vEPC %u page %u does not point back", i, pg->owner,
				    pg->index);
		return 0;
	}
	return 0;
}

/* Every page free or owned (none left in reclaim); @charged gets each cgroup's own pages. */
static int check_pages(const struct cm_epc *epc, uint64_t *charged, struct cm_error *err)
{
	uint64_t nr_free = 0;
	int ret = 0;

	for (uint64_t i = 0; i < epc->nr_pages && !ret; i++) {
		const struct epc_page *pg = &epc->pages[i];

		if (pg->kind == EPC_FREE) {
			nr_free++;
			continue;
		}
		if (pg->kind == EPC_ISOLATED)
			return fail("EPC page %" PRIu64 ": left in reclaim between events", i);
		ret = check_owned_page(epc, i, err);
		charged[pg->cgroup]++;
	}
	if (!ret && nr_free != epc->nr_free)
		ret = fail("EPC: %" PRIu64 " free pages found, %" PRIu64 " counted", nr_free, epc->nr_free);
	return ret;
}

/* Each cgroup's sgx_epc usage is what is charged in its subtree; its LRU count is what is linked. */
static int check_cgroups(const struct cm_epc *epc, const uint64_t *charged, struct cm_error *err)
{
	for (size_t c = 0; c < epc_nr_cgroups(epc); c++) {
		const char *path = cm_cgroup_get(epc->tree, (int)c)->path;
		uint64_t current = epc_counter(epc, (int)c)->usage;
		uint64_t usage = 0, lru = 0, subtree_lru = 0;

		for (size_t k = 0; k < epc_nr_cgroups(epc); k++) {
			if (!epc_is_ancestor(epc, (int)c, (int)k))
				continue;
			usage += charged[k];
			subtree_lru += epc->cgroups[k].lru.nr;
		}
		if (subtree_lru != epc->cgroups[c].subtree_lru_nr)
			return fail("misc cgroup %s: %" PRIu64 " pages on the LRUs of its subtree, %" PRIu64 " counted",
				    path, subtree_lru, epc->cgroups[c].subtree_lru_nr);
		for (uint32_t idx = epc->cgroups[c].lru.head; idx != EPC_NIL && lru <= epc->nr_pages; idx = epc->pages[idx].next)
			lru++;
		if (usage != current)
			return fail("misc cgroup %s: sgx_epc current %" PRIu64 " but %" PRIu64 " pages charged in its subtree",
				    path, current, usage);
		if (lru != epc->cgroups[c].lru.nr)
			return fail("misc cgroup %s: %" PRIu64 " pages on its LRU, %" PRIu64 " counted", path, lru,
				    epc->cgroups[c].lru.nr);
		if (c == 0 && usage > epc->nr_pages)
			return fail("misc: usage above the EPC capacity");
	}
	return 0;
}

/* Each live enclave's resident count and VA slots agree with its pages. */
static int check_enclaves(const struct cm_epc *epc, struct cm_error *err)
{
	for (size_t i = 0; i < epc->nr_enclaves; i++) {
		const struct enclave *e = &epc->enclaves[i];
		uint64_t resident = 0, evicted = 0;

		if (e->released)
			continue;
		for (uint64_t p = 0; p < e->nr_added; p++) {
			resident += e->pages[p].state == PAGE_RESIDENT;
			evicted += e->pages[p].state == PAGE_EVICTED;
		}
		if (resident != e->resident_children)
			return fail("enclave %zu: %" PRIu64 " resident pages found, %" PRIu64 " counted", i, resident,
				    e->resident_children);
		if (evicted + (e->secs == EPC_NIL) != e->va_slots_used || e->va_slots_used > e->nr_va * CM_SGX_VA_SLOT_COUNT)
			return fail("enclave %zu: %" PRIu64 " VA slots used for %" PRIu64 " evicted pages, %zu VA pages", i,
				    e->va_slots_used, evicted, e->nr_va);
	}
	return 0;
}

int cm_epc_check(const struct cm_epc *epc, struct cm_error *err)
{
	uint64_t *charged = calloc(epc_nr_cgroups(epc), sizeof(*charged));
	int ret;

	if (!charged)
		return cm_error_set(err, -ENOMEM, "check: out of memory");
	ret = check_pages(epc, charged, err);
	if (!ret)
		ret = check_cgroups(epc, charged, err);
	if (!ret)
		ret = check_enclaves(epc, err);
	free(charged);
	return ret;
}
