// SPDX-License-Identifier: MIT
/*
 * A TD guest's private pages (SPEC 9): guest_memfd allocates a page by its
 * own policy, the host gives it to the emulated module (TDH.MEM.PAGE.ADD at
 * build, TDH.MEM.PAGE.AUG when the guest accepts it), which refuses a page
 * that is not TDX memory; with Dynamic PAMT the first private page of a
 * 2 MiB range brings that range's 4K PAMT pages, the last one takes them.
 * MapGPA conversions move pages between private and shared.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "confmem/numa.h"
#include "td_internal.h"

cm_nodemask_t td_capable_nodes(const struct cm_sim *sim, int node, bool *node_capable)
{
	const struct cm_platform *p = sim->scenario->platform;
	struct cm_node_capability *caps;
	cm_nodemask_t mask = 0;

	*node_capable = false;
	if (cm_node_capabilities(p, sim->plan, &caps, NULL))
		return 0;
	for (size_t i = 0; i < p->nr_nodes; i++) {
		if (!caps[i].crypto_capable)
			continue;
		cm_node_set(&mask, caps[i].node);
		*node_capable |= caps[i].node == node;
	}
	free(caps);
	return mask;
}

/* The Dynamic PAMT's 4K pages of @range, on @node: 0, or -ENOMEM (none are kept). */
static int dpamt_populate(struct cm_sim *sim, uint64_t range, int node)
{
	unsigned int nr = cm_td_dpamt_pages_per_range(sim->td_module);
	uint64_t phys;
	int got;

	for (unsigned int k = 0; k < nr; k++) {
		if (cm_mm_fault_on(sim->mm, sim->dpamt_space, range * nr + k, node, &got, &phys)) {
			while (k--)
				cm_mm_discard(sim->mm, sim->dpamt_space, range * nr + k);
			return -ENOMEM;
		}
	}
	sim->dpamt_pages += nr;
	if (sim->dpamt_pages > sim->dpamt_pages_peak)
		sim->dpamt_pages_peak = sim->dpamt_pages;
	sim->dpamt_ranges_populated++;
	return 0;
}

static void dpamt_depopulate(struct cm_sim *sim, uint64_t range)
{
	unsigned int nr = cm_td_dpamt_pages_per_range(sim->td_module);

	for (unsigned int k = 0; k < nr; k++)
		cm_mm_discard(sim->mm, sim->dpamt_space, range * nr + k);
	sim->dpamt_pages -= nr;
	sim->dpamt_ranges_released++;
}

/* The nodes a retry may use: the policy's, capable, nearest to the guest's CPUs first. */
static int retry_nodes(const struct cm_sim *sim, const struct cm_sim_actor *a, cm_nodemask_t capable, int *order)
{
	const struct cm_tiering *t = cm_mm_tiering(sim->mm);
	const struct cm_mempolicy *pol = &a->def->gmem_policy;
	cm_nodemask_t allowed = pol->mode == CM_MPOL_DEFAULT || !a->def->gmem_policy_given ? capable
									       : capable & pol->nodes;
	int cpu = sim_actor_node(sim, a), nr = 0;

	for (int i = 0; i < t->nr_fallback[cpu]; i++)
		if (cm_node_isset(allowed, t->fallback_order[cpu][i]))
			order[nr++] = t->fallback_order[cpu][i];
	return nr;
}

/* The refusal message of SPEC 9, naming the guest, the address, the node and the fix. */
static void refusal_message(const struct cm_sim *sim, const struct cm_sim_actor *a, enum cm_td_page_op op,
			    uint64_t phys, int node, char *buf, size_t len)
{
	char nodes[128];
	bool node_capable;
	cm_nodemask_t capable = td_capable_nodes(sim, node, &node_capable);

	cm_nodemask_format(capable, nodes, sizeof(nodes));
	snprintf(buf, len, "%s: %s refused 0x%" PRIx64 ": node %d is not TDX memory (crypto_capable=%d); "
		 "bind the guest to nodes %s", a->def->name, cm_td_page_op_name(op), phys, node, node_capable,
		 capable ? nodes : "(none: this host has no capable node)");
}

/* Place @gfn on @node and have the module take it: 0, -EPERM (refused), -ENOMEM. */
static int place(struct cm_sim *sim, struct cm_sim_actor *a, uint64_t gfn, int node, int *got, uint64_t *phys)
{
	int ret = cm_mm_fault_on(sim->mm, a->td->private_space, gfn, node, got, phys);

	if (ret)
		return ret;
	if (cm_td_page_check(sim->td_module, *phys) == CM_TDX_SUCCESS)
		return 0;
	a->td->refusals++;
	cm_mm_discard(sim->mm, a->td->private_space, gfn);
	return -EPERM;
}

/* tdx.add_failure=retry: the host tries the capable nodes of the policy. */
static int retry_on_capable(struct cm_sim *sim, struct cm_sim_actor *a, uint64_t gfn, int refused_node,
			    int *got, uint64_t *phys)
{
	int order[CM_MAX_NUMNODES], nr;
	bool unused;

	nr = retry_nodes(sim, a, td_capable_nodes(sim, refused_node, &unused), order);
	for (int i = 0; i < nr; i++) {
		if (order[i] == refused_node)
			continue;
		if (!place(sim, a, gfn, order[i], got, phys)) {
			a->td->retries++;
			return 0;
		}
	}
	return -ENOMEM;
}

static int end_for_memory(struct cm_sim *sim, struct cm_sim_actor *a, const char *what)
{
	char reason[160];

	snprintf(reason, sizeof(reason), "no memory for %s on the nodes its policy allows", what);
	sim_reap_actors(sim);
	sim_actor_end(sim, a, CM_OUTCOME_FAILED, reason);
	return -1;
}

int td_add_private_page(struct cm_sim *sim, struct cm_sim_actor *a, uint64_t gfn, enum cm_td_page_op op)
{
	char message[sizeof(a->reason)];
	uint64_t phys, range;
	int node, ret;

	ret = place(sim, a, gfn, -1, &node, &phys);
	if (ret == -ENOMEM)
		return end_for_memory(sim, a, "a private page");
	if (ret == -EPERM) {
		refusal_message(sim, a, op, phys, node, message, sizeof(message));
		if (cm_mm_config(sim->mm)->tdx_add_failure == CM_TDX_ADD_FAILURE_KILL) {
			sim_actor_end(sim, a, CM_OUTCOME_KILLED, message);
			return -1;
		}
		if (a->td->refusals == 1)
			sim_trace(sim, "%s (tdx.add_failure=retry: retrying on a capable node)", message);
		if (retry_on_capable(sim, a, gfn, node, &node, &phys)) {
			sim_actor_end(sim, a, CM_OUTCOME_KILLED, message);
			return -1;
		}
	}
	if (op == CM_TDH_MEM_PAGE_ADD)
		a->td->pages_added++;
	else
		a->td->pages_augmented++;
	sim->page_events++;
	if (cm_td_dpamt_get(sim->td_module, phys, &range) == 1 && dpamt_populate(sim, range, node)) {
		cm_td_dpamt_put(sim->td_module, phys, &range);
		cm_mm_discard(sim->mm, a->td->private_space, gfn);
		return end_for_memory(sim, a, "the Dynamic PAMT pages of a private page");
	}
	return 0;
}

void td_remove_private_page(struct cm_sim *sim, struct cm_sim_actor *a, uint64_t gfn)
{
	uint64_t phys, range;
	int node;

	if (cm_mm_page_location(sim->mm, a->td->private_space, gfn, &node, &phys))
		return;
	cm_mm_discard(sim->mm, a->td->private_space, gfn);
	if (cm_td_dpamt_put(sim->td_module, phys, &range) == 1)
		dpamt_depopulate(sim, range);
}

/* Private -> shared: the guest's highest private pages; a 2 MiB host mapping around one is split. */
static void convert_to_shared(struct cm_sim *sim, struct cm_sim_actor *a, uint64_t nr_pages)
{
	struct cm_sim_td *td = a->td;

	while (nr_pages && td->next_to_shared > 0) {
		uint64_t gfn = --td->next_to_shared, chunk = gfn / CM_TD_PAGES_PER_2M;

		if (td_gfn_shared(td, gfn))
			continue;
		td_remove_private_page(sim, a, gfn);
		td_gfn_set_shared(td, gfn, true);
		if (!((td->chunk_split[chunk / 64] >> (chunk % 64)) & 1)) {
			td->chunk_split[chunk / 64] |= 1ULL << (chunk % 64);
			td->splits++;
		}
		td->converted_to_shared++;
		nr_pages--;
		/* The guest writes the shared page (a DMA buffer): ordinary host memory on any node. */
		if (cm_mm_touch(sim->mm, td->shared_space, gfn, true))
			return;
	}
}

/* Shared -> private: the lowest shared pages after the private ones; each is accepted at once (AUG). */
static int convert_to_private(struct cm_sim *sim, struct cm_sim_actor *a, uint64_t nr_pages)
{
	struct cm_sim_td *td = a->td;

	while (nr_pages && td->next_to_private < td->nr_gfns) {
		uint64_t gfn = td->next_to_private++;

		if (!td_gfn_shared(td, gfn))
			continue;
		cm_mm_discard(sim->mm, td->shared_space, gfn);
		td_gfn_set_shared(td, gfn, false);
		td->converted_to_private++;
		nr_pages--;
		if (td_add_private_page(sim, a, gfn, CM_TDH_MEM_PAGE_AUG))
			return -1;
	}
	return 0;
}

int td_apply_conversions(struct cm_sim *sim, struct cm_sim_actor *a)
{
	const struct cm_scenario_actor *d = a->def;
	struct cm_sim_td *td = a->td;

	while (td->next_conversion < d->nr_conversions && d->conversions[td->next_conversion].at_ms <= sim->now_ms) {
		const struct cm_td_conversion *c = &d->conversions[td->next_conversion++];

		sim_trace(sim, "%s: MapGPA %" PRIu64 " pages to %s", d->name, sim_pages_of(c->bytes),
			  c->to_shared ? "shared" : "private");
		if (c->to_shared)
			convert_to_shared(sim, a, sim_pages_of(c->bytes));
		else if (convert_to_private(sim, a, sim_pages_of(c->bytes)))
			return -1;
	}
	return 0;
}
