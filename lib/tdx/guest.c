// SPDX-License-Identifier: MIT
/*
 * The emulated TDX module at run time (SPEC 9): guest KeyIDs, the TDX
 * memory check of TDH.MEM.PAGE.ADD/AUG, and Dynamic PAMT's reference
 * count per 2 MiB range (the tdx_pamt_get()/tdx_pamt_put() of the series).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/names.h"
#include "confmem/td.h"

struct cm_td_module {
	const struct cm_tdx_plan *plan;
	/* KeyIDs: guests get [keyid_first, keyid_first + nr_keyids); the one before is the module's. */
	unsigned int keyid_first;
	unsigned int nr_keyids;
	unsigned int nr_keyids_used;
	uint8_t *keyid_used;
	/* Dynamic PAMT: a reference count per 2 MiB range, the ranges of each TDMR in a row. */
	bool dynamic_pamt;
	unsigned int pamt_pages_per_range;
	uint64_t *tdmr_first_range;	/* index of each TDMR's first range */
	uint64_t nr_ranges;
	uint16_t *refcount;		/* private pages in each range: at most 512 */
};

static const char *const page_op_names[CM_NR_TD_PAGE_OPS] = {
	[CM_TDH_MEM_PAGE_ADD] = "TDH.MEM.PAGE.ADD",
	[CM_TDH_MEM_PAGE_AUG] = "TDH.MEM.PAGE.AUG",
};

const char *cm_td_page_op_name(enum cm_td_page_op op)
{
	return cm_name_of(page_op_names, CM_NR_TD_PAGE_OPS, op);
}

static int dpamt_setup(struct cm_td_module *m, const struct cm_platform *p, struct cm_error *err)
{
	const struct cm_tdx_plan *plan = m->plan;

	m->dynamic_pamt = plan->dynamic_pamt;
	m->pamt_pages_per_range = (unsigned int)(p->tdx.pamt_entry_size[CM_PAMT_4K] * CM_TD_PAGES_PER_2M /
						 CM_PAGE_SIZE);
	m->tdmr_first_range = calloc(plan->nr_tdmrs ? plan->nr_tdmrs : 1, sizeof(*m->tdmr_first_range));
	if (!m->tdmr_first_range)
		return cm_error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < plan->nr_tdmrs; i++) {
		m->tdmr_first_range[i] = m->nr_ranges;
		m->nr_ranges += plan->tdmrs[i].size / CM_TD_DPAMT_RANGE;
		if (m->nr_ranges > CM_TD_DPAMT_MAX_RANGES)
			return cm_error_set(err, -E2BIG, "TDX: the TDMRs hold more than %llu 2 MiB ranges",
					    (unsigned long long)CM_TD_DPAMT_MAX_RANGES);
	}
	if (!m->dynamic_pamt)
		return 0;
	m->refcount = calloc(m->nr_ranges ? m->nr_ranges : 1, sizeof(*m->refcount));
	return m->refcount ? 0 : cm_error_set(err, -ENOMEM, "out of memory");
}

int cm_td_module_new(const struct cm_platform *p, const struct cm_tdx_plan *plan, struct cm_td_module **out,
		     struct cm_error *err)
{
	struct cm_td_module *m;
	int ret;

	*out = NULL;
	if (!plan || plan->result != CM_TDX_INITIALIZED)
		return cm_error_set(err, -EINVAL, "TDX is not initialised on this platform (%s)",
				    plan ? cm_tdx_result_name(plan->result) : "no plan");
	m = calloc(1, sizeof(*m));
	if (!m)
		return cm_error_set(err, -ENOMEM, "out of memory");
	m->plan = plan;
	/* The first KeyID of the range is the module's global KeyID (the kernel's tdx_init()). */
	m->keyid_first = p->tdx.keyid_start + 1;
	m->nr_keyids = p->tdx.nr_keyids > 1 ? p->tdx.nr_keyids - 1 : 0;
	m->keyid_used = calloc(m->nr_keyids ? m->nr_keyids : 1, 1);
	ret = m->keyid_used ? dpamt_setup(m, p, err) : cm_error_set(err, -ENOMEM, "out of memory");
	if (ret) {
		cm_td_module_free(m);
		return ret;
	}
	*out = m;
	return 0;
}

void cm_td_module_free(struct cm_td_module *m)
{
	if (!m)
		return;
	free(m->keyid_used);
	free(m->tdmr_first_range);
	free(m->refcount);
	free(m);
}

int cm_td_keyid_alloc(struct cm_td_module *m)
{
	for (unsigned int i = 0; i < m->nr_keyids; i++) {
		if (!m->keyid_used[i]) {
			m->keyid_used[i] = 1;
			m->nr_keyids_used++;
			return (int)(m->keyid_first + i);
		}
	}
	return -ENOSPC;
}

void cm_td_keyid_free(struct cm_td_module *m, int keyid)
{
	unsigned int i = (unsigned int)keyid - m->keyid_first;

	if (keyid < 0 || i >= m->nr_keyids || !m->keyid_used[i])
		return;
	m->keyid_used[i] = 0;
	m->nr_keyids_used--;
}

unsigned int cm_td_nr_guest_keyids(const struct cm_td_module *m)
{
	return m->nr_keyids;
}

unsigned int cm_td_keyids_in_use(const struct cm_td_module *m)
{
	return m->nr_keyids_used;
}

/* The TDMR holding @phys, or -1: TDMRs are sorted and never overlap. */
static long tdmr_of(const struct cm_tdx_plan *plan, uint64_t phys)
{
	size_t lo = 0, hi = plan->nr_tdmrs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (phys < plan->tdmrs[mid].base)
			hi = mid;
		else if (phys >= cm_tdmr_end(&plan->tdmrs[mid]))
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

uint64_t cm_td_page_check(const struct cm_td_module *m, uint64_t phys)
{
	long t = tdmr_of(m->plan, phys);
	const struct cm_tdmr *tdmr;

	if (t < 0)
		return CM_TDX_PAGE_NOT_TDX_MEMORY;
	tdmr = &m->plan->tdmrs[t];
	for (unsigned int i = 0; i < tdmr->nr_reserved; i++) {
		uint64_t start = tdmr->base + tdmr->reserved[i].offset;

		if (phys >= start && phys - start < tdmr->reserved[i].size)
			return CM_TDX_PAGE_NOT_TDX_MEMORY;
	}
	/* PAMT blocks are reserved areas of the TDMR they lie in; one in another TDMR is checked here. */
	for (size_t i = 0; i < m->plan->nr_tdmrs; i++) {
		const struct cm_tdmr *owner = &m->plan->tdmrs[i];
		uint64_t size = cm_tdmr_pamt_block_size(owner);

		if (size && phys >= owner->pamt_base[CM_PAMT_4K] && phys - owner->pamt_base[CM_PAMT_4K] < size)
			return CM_TDX_PAGE_NOT_TDX_MEMORY;
	}
	return CM_TDX_SUCCESS;
}

bool cm_td_dpamt_enabled(const struct cm_td_module *m)
{
	return m->dynamic_pamt;
}

unsigned int cm_td_dpamt_pages_per_range(const struct cm_td_module *m)
{
	return m->pamt_pages_per_range;
}

uint64_t cm_td_dpamt_nr_ranges(const struct cm_td_module *m)
{
	return m->nr_ranges;
}

static int range_of(const struct cm_td_module *m, uint64_t phys, uint64_t *range)
{
	long t = tdmr_of(m->plan, phys);

	if (t < 0 || !m->refcount)
		return -ENOENT;
	*range = m->tdmr_first_range[t] + (phys - m->plan->tdmrs[t].base) / CM_TD_DPAMT_RANGE;
	return 0;
}

int cm_td_dpamt_get(struct cm_td_module *m, uint64_t phys, uint64_t *range)
{
	if (range_of(m, phys, range))
		return -ENOENT;
	return m->refcount[*range]++ == 0;
}

int cm_td_dpamt_put(struct cm_td_module *m, uint64_t phys, uint64_t *range)
{
	if (range_of(m, phys, range) || !m->refcount[*range])
		return -ENOENT;
	return --m->refcount[*range] == 0;
}
