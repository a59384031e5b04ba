// SPDX-License-Identifier: MIT
/*
 * sgx measure as a report: MRENCLAVE, the enclave's page counts, and which
 * kernel interface can build it (text: one "key: value" line each).
 */
#include "confmem/report.h"
#include "confmem/sgx.h"

static const char subrange_ok[] = "every page measures at most one contiguous range";

/* An interface: can it build the enclave ("can build" / "cannot build" in text). */
static struct cm_report_item *add_design(struct cm_report_item *o, const char *key, const char *header, bool can,
					 const char *layout)
{
	struct cm_report_item *design = cm_report_add_object(o, key, header);

	cm_report_set_bool_text(cm_report_add_bool(design, "can_build", layout, can), "can build", "cannot build");
	return design;
}

struct cm_report_item *cm_report_add_sgx_measure(struct cm_report_item *parent, const char *key,
						 const char *mrenclave, const struct cm_sgx_build_report *r)
{
	struct cm_report_item *o = cm_report_add_object(parent, key, NULL), *design;

	cm_report_add_string(o, "mrenclave", "mrenclave: %s\n", mrenclave);
	cm_report_add_u64(o, "nr_pages", "nr_pages: %s\n", r->nr_pages);
	cm_report_add_u64(o, "nr_eextend", "nr_eextend: %s\n", r->nr_eextend);
	cm_report_add_u64(o, "epc_pages_peak", "epc_pages_peak: %s\n", r->epc_pages_peak);
	cm_report_add_bytes(o, "epc_peak_bytes", NULL, r->epc_pages_peak * CM_PAGE_SIZE);
	add_design(o, "eextend_ioctl", "eextend_ioctl: ", r->eextend_ioctl, "%s\n");
	design = add_design(o, "subrange_per_page", "subrange_per_page: ", r->subrange_per_page, "%s ");
	cm_report_add_string(design, "reason", "(%s)\n", r->subrange_per_page ? subrange_ok : r->reason);
	return o;
}
