// SPDX-License-Identifier: MIT
/* tdx.holes=cmr: holes are the gaps between CMRs (the series that bases holes on convertible memory). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_internal.h"

static int cmr_regions(const struct cm_tdx_plan *plan, struct cm_range **out, size_t *nr)
{
	struct cm_range *r = malloc((plan->nr_cmrs ? plan->nr_cmrs : 1) * sizeof(*r));

	if (!r)
		return -ENOMEM;
	memcpy(r, plan->cmrs, plan->nr_cmrs * sizeof(*r));
	*out = r;
	*nr = plan->nr_cmrs;
	return 0;
}

const struct tdx_holes_operations tdx_holes_cmr = {
	.name = "cmr",
	.source = "CMRs",
	.regions = cmr_regions,
};
