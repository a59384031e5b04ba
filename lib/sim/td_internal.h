/* SPDX-License-Identifier: MIT */
/*
 * TD guests in the simulation (SPEC 9): the actor (actor_td.c) and its
 * private pages (td_pages.c).
 */
#ifndef CONFMEM_SIM_TD_INTERNAL_H
#define CONFMEM_SIM_TD_INTERNAL_H

#include "confmem/td.h"
#include "sim_internal.h"

/* The pages TDH.MEM.PAGE.ADD gives a TD at build: its firmware image (TDVF), 4 MiB, or all its private memory. */
#define TD_BUILD_PAGES 1024

static inline bool td_gfn_shared(const struct cm_sim_td *td, uint64_t gfn)
{
	return (td->gfn_shared[gfn / 64] >> (gfn % 64)) & 1;
}

static inline void td_gfn_set_shared(struct cm_sim_td *td, uint64_t gfn, bool shared)
{
	if (shared)
		td->gfn_shared[gfn / 64] |= 1ULL << (gfn % 64);
	else
		td->gfn_shared[gfn / 64] &= ~(1ULL << (gfn % 64));
}

/* The boot platform's crypto_capable nodes (what `confmem nodes --nodemask capable` prints), and @node's flag. */
cm_nodemask_t td_capable_nodes(const struct cm_sim *sim, int node, bool *node_capable);

/*
 * Give private page @gfn to the guest through @op: allocate it by the
 * guest_memfd's policy, have the module check it, and on a refusal kill
 * the guest or retry on a capable node (tdx.add_failure). Returns 0, or
 * -1 when the guest has ended.
 */
int td_add_private_page(struct cm_sim *sim, struct cm_sim_actor *a, uint64_t gfn, enum cm_td_page_op op);
/* Take private page @gfn back (conversion or exit), dropping its Dynamic PAMT reference. */
void td_remove_private_page(struct cm_sim *sim, struct cm_sim_actor *a, uint64_t gfn);
/* Apply the conversions due now. Returns 0, or -1 when the guest has ended. */
int td_apply_conversions(struct cm_sim *sim, struct cm_sim_actor *a);

#endif
