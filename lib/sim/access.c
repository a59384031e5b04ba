// SPDX-License-Identifier: MIT
/* Access patterns: the next page an actor touches (random.h draws them). */
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
