// SPDX-License-Identifier: MIT
/*
 * A hot-add verdict as a report (confmem hotplug): the request, the
 * outcome, the node's capability before and after, the summary and the
 * kernel's messages.
 */
#include "confmem/report.h"

struct cm_report_item *cm_report_add_hotplug(struct cm_report_item *parent, const char *key,
					     const struct cm_hotplug_verdict *v, const struct cm_hotplug_request *req)
{
	struct cm_report_item *o = cm_report_add_object(parent, key, NULL);

	cm_report_add_addr(o, "base", NULL, req->start);
	cm_report_add_bytes(o, "size", NULL, req->size);
	cm_report_add_string(o, "mode", NULL, cm_hotplug_mode_name(req->mode));
	cm_report_add_string(o, "outcome", NULL, cm_hotplug_outcome_name(v->outcome));
	cm_report_add_bool(o, "accepted", NULL, v->status == 0);
	if (v->status)
		cm_report_add_int(o, "errno", NULL, v->status);
	cm_report_add_int(o, "node", NULL, v->node);
	cm_report_add_bool(o, "new_node", NULL, v->node_is_new);
	cm_report_add_u64(o, "nr_blocks", NULL, v->nr_blocks);
	cm_report_add_u64(o, "nr_blocks_failed", NULL, v->nr_blocks_failed);
	cm_report_add_bool(o, "tdx_memory", NULL, v->tdx_memory);
	cm_report_add_bool(o, "crypto_capable_before", NULL, v->node_was_capable);
	cm_report_add_bool(o, "crypto_capable_after", NULL, v->node_capable_after);
	cm_report_add_string(o, "summary", "%s\n", v->summary);
	cm_report_add_log(o, "log", &v->log, NULL);
	return o;
}
