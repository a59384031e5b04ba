// SPDX-License-Identifier: MIT
/* tdx.holes=memlist: holes are the gaps between TDX memory regions (the kernel's rule). */
#include <errno.h>
#include <stdlib.h>

#include "tdx_internal.h"

static int memlist_regions(const struct cm_tdx_plan *plan, struct cm_range **out, size_t *nr)
{
	struct cm_range *r = malloc((plan->nr_memlist ? plan->nr_memlist : 1) * sizeof(*r));

	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < plan->nr_memlist; i++) {
		r[i].start = plan->memlist[i].start;
		r[i].end = plan->memlist[i].end;
	}
	*out = r;
	*nr = plan->nr_memlist;
	return 0;
}

const struct tdx_holes_operations tdx_holes_memlist = {
	.name = "memlist",
	.source = "memory list",
	.regions = memlist_regions,
};
