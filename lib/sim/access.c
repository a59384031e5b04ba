// SPDX-License-Identifier: MIT
/* Access patterns: the next page an actor touches (random.h draws them), and the touches. */
#include "sim_internal.h"

uint64_t sim_next_page(struct cm_sim_actor *actor, uint64_t nr_pages)
{
	const struct cm_access *access = &actor->def->access;

	switch (access->pattern) {
	case CM_ACCESS_UNIFORM:
		return cm_rand(&actor->rng) % nr_pages;
	case CM_ACCESS_ZIPF:
		if (actor->zipf.n != nr_pages || actor->zipf.skew != access->zipf_skew)
			cm_zipf_init(&actor->zipf, nr_pages, access->zipf_skew);
		return cm_zipf_next(&actor->zipf, &actor->rng) - 1;
	case CM_ACCESS_SEQUENTIAL:
		break;
	}
	return actor->cursor++ % nr_pages;
}

int sim_touch_pages(struct cm_sim *sim, struct cm_sim_actor *a, int space, const uint64_t *pages,
		    const bool *writes, size_t nr, size_t *done)
{
	int ret = cm_mm_touch_batch(sim->mm, space, pages, writes, nr, done);
	size_t counted = ret ? *done + 1 : nr;	/* a failed touch counts, as it did one at a time */

	a->touches += counted;
	sim->page_events += counted;
	return ret;
}
