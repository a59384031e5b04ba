// SPDX-License-Identifier: MIT
/*
 * One host under every kernel profile (plan --kernel all): a row per
 * profile with the verdict, the TDMRs, the reserved areas of the TDMR
 * that needs most, and the PAMT.
 */
#include <inttypes.h>
#include <stdio.h>

#include "confmem/report.h"
#include "report/model.h"

static const char *const profile_json_order[] = {
	"kernel", "status", "result", "error", "nr_tdmrs", "worst_tdmr", "worst_reserved", "pamt_kb", "pamt_bytes", NULL,
};

/* The TDMR with the most reserved areas (the first of equals), or -1 without TDMRs. */
static long worst_tdmr(const struct cm_tdx_plan *plan)
{
	long worst = -1;

	for (size_t i = 0; i < plan->nr_tdmrs; i++)
		if (worst < 0 || plan->tdmrs[i].nr_reserved > plan->tdmrs[worst].nr_reserved)
			worst = (long)i;
	return worst;
}

static void add_profile_row(struct cm_report_item *a, const struct cm_tdx_plan *plan)
{
	struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);
	long worst = worst_tdmr(plan);

	cm_report_set_json_order(row, profile_json_order);
	cm_report_add_string(row, "kernel", "  %-13s", cm_tdx_kernel_name(plan->options.kernel));
	cm_report_add_string(row, "status", NULL, cm_report_plan_status(plan));
	cm_report_add_string(row, "result", " %-25s", cm_tdx_result_name(plan->result));
	cm_report_add_u64(row, "nr_tdmrs", " %5s", plan->nr_tdmrs);
	if (worst >= 0) {
		cm_report_add_u64(row, "worst_tdmr", NULL, (uint64_t)worst);
		cm_report_add_u64(row, "worst_reserved", "  %8s", plan->tdmrs[worst].nr_reserved);
	} else {
		cm_report_add_text(row, "         -");
	}
	cm_report_add_u64(row, "pamt_kb", " %10s", plan->pamt_bytes / 1024);
	cm_report_add_bytes(row, "pamt_bytes", NULL, plan->pamt_bytes);
	/* Without TDX the text says why; the JSON's status "disabled" is not an error. */
	if (plan->status)
		cm_report_add_string(row, plan->result != CM_TDX_DISABLED ? "error" : NULL, "  %s", plan->error);
	cm_report_add_text(row, "\n");
}

struct cm_report_item *cm_report_add_plan_profiles(struct cm_report_item *parent, const char *key,
						   struct cm_tdx_plan *const *plans, size_t nr_plans)
{
	struct cm_report_item *o = cm_report_add_object(parent, key, NULL);
	struct cm_report_item *a = cm_report_add_array(o, "profiles",
		"kernel profiles (worst: the reserved areas of the TDMR that needs most):\n"
		"  profile       result                    TDMRs  worst    PAMT KB\n");

	for (size_t i = 0; i < nr_plans; i++)
		add_profile_row(a, plans[i]);
	return o;
}
