// SPDX-License-Identifier: MIT
/* sgx lines of the boot log: "sgx: EPC section 0xA-0xB" (the end inclusive), and each section's node. */
#include <errno.h>

#include "platform/dmesg_internal.h"

/* "0xA-0xB" (inclusive end), after "sgx: EPC section ". */
int dmesg_parse_epc(struct dmesg_reader *r, struct text_cursor *c)
{
	struct cm_range range = { 0 };
	struct cm_epc_section section;
	uint64_t start, last;

	if (dmesg_take_address_pair(r, "sgx", c, &start, &last) ||
	    dmesg_check_inclusive_range(r, "sgx", start, last, &range))
		return -EINVAL;
	section.start = range.start;
	section.size = range.end - range.start;
	section.node = -1;	/* found from the node spans later */
	if (cm_platform_add_epc(r->p, &section))
		return dmesg_line_error(r, "sgx", "more than %d EPC sections", CM_MAX_EPC_SECTIONS);
	return 0;
}

void dmesg_assign_epc_nodes(struct dmesg_reader *r, const struct range_list *spans)
{
	struct cm_platform *p = r->p;
	int fallback = cm_platform_node(p, 0) ? 0 : p->nodes[0].id;

	for (unsigned int i = 0; i < p->sgx.nr_epc; i++) {
		const struct log_range *s = dmesg_span_containing(spans, p->sgx.epc[i].start);

		p->sgx.epc[i].node = s ? s->node : fallback;
	}
}
