// SPDX-License-Identifier: MIT
/*
 * confmem module-config as a report: a TDMR_INFO array as the emulated
 * module read it, the CMRs it checked against, and its TDH.SYS.CONFIG
 * status in hex and in plain words.
 */
#include <inttypes.h>
#include <stdio.h>

#include "confmem/report.h"

static const char *const module_config_json_order[] = {
	"status", "accepted", "detail", "max_reserved_per_tdmr", "nr_tdmrs", "tdmrs", "cmrs", NULL,
};

/* Every slot up to the last non-null one, null ones too: their index is the module's. */
static void add_slots(struct cm_report_item *row, const struct cm_tdmr *t)
{
	struct cm_report_item *a = cm_report_add_array(row, "reserved", NULL);

	for (unsigned int j = 0; j < t->nr_reserved; j++) {
		struct cm_report_item *r = cm_report_add_object(a, NULL, NULL);
		const struct cm_tdmr_reserved *area = &t->reserved[j];

		cm_report_add_u64(r, "slot", "    reserved %s: ", j);
		if (area->size) {
			cm_report_add_addr(r, NULL, "[%s", t->base + area->offset);
			cm_report_add_addr(r, NULL, ", %s)", t->base + area->offset + area->size);
		} else {
			cm_report_add_text(r, "null");
		}
		cm_report_add_addr(r, "offset", " offset %s", area->offset);
		cm_report_set_hex(cm_report_add_bytes(r, "size", " size %s\n", area->size), 0);
	}
}

static void add_tdmr(struct cm_report_item *row, const struct cm_tdmr *t, size_t i)
{
	static const char *const keys[CM_PAMT_NR_LEVELS] = { "pamt_4k", "pamt_2m", "pamt_1g" };
	static const char *const levels[CM_PAMT_NR_LEVELS] = { " 4K ", " 2M ", " 1G " };

	cm_report_add_u64(row, NULL, "  TDMR %s: ", i);
	cm_report_add_addr(row, "base", "[%s", t->base);
	cm_report_add_addr(row, NULL, ", %s) ", t->base + t->size);
	cm_report_add_bytes(row, "size", "%s, PAMT", t->size);
	for (int l = 0; l < CM_PAMT_NR_LEVELS; l++) {
		struct cm_report_item *o = cm_report_add_object(row, keys[l], levels[l]);

		cm_report_add_addr(o, "base", "[%s", t->pamt_base[l]);
		cm_report_set_hex(cm_report_add_bytes(o, "size", ", +%s)", t->pamt_size[l]), 0);
	}
	cm_report_add_text(row, "\n");
	add_slots(row, t);
}

static void add_cmrs(struct cm_report_item *o, const struct cm_tdx_config *module)
{
	struct cm_report_item *a;
	char header[32];

	snprintf(header, sizeof(header), "CMRs (%u):\n", module->nr_cmrs);
	a = cm_report_add_array(o, "cmrs", header);
	for (unsigned int i = 0; i < module->nr_cmrs; i++) {
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

		cm_report_add_addr(row, "base", "  [%s", module->cmrs[i].start);
		cm_report_add_addr(row, NULL, ", %s)\n", module->cmrs[i].end);
		cm_report_add_bytes(row, "size", NULL, cm_range_size(&module->cmrs[i]));
	}
}

struct cm_report_item *cm_report_add_module_config(struct cm_report_item *parent, const char *key,
						   const struct cm_tdx_config *module, const struct cm_tdmr *tdmrs,
						   size_t nr_tdmrs, uint64_t status)
{
	struct cm_report_item *o = cm_report_add_object(parent, key, NULL), *a;
	char header[128], hex[32], detail[256];

	cm_report_set_json_order(o, module_config_json_order);
	snprintf(header, sizeof(header), "TDMR_INFO: %zu entries of %zu bytes (max_reserved_per_tdmr %u)\n",
		 nr_tdmrs, cm_tdmr_info_size(module->max_reserved_per_tdmr), module->max_reserved_per_tdmr);
	cm_report_add_u64(o, "max_reserved_per_tdmr", NULL, module->max_reserved_per_tdmr);
	cm_report_add_u64(o, "nr_tdmrs", NULL, nr_tdmrs);
	a = cm_report_add_array(o, "tdmrs", header);
	for (size_t i = 0; i < nr_tdmrs; i++)
		add_tdmr(cm_report_add_object(a, NULL, NULL), &tdmrs[i], i);
	add_cmrs(o, module);
	snprintf(hex, sizeof(hex), "0x%016" PRIx64, status);
	cm_tdx_describe_status(status, tdmrs, nr_tdmrs, detail, sizeof(detail));
	cm_report_add_string(o, "status", "TDH.SYS.CONFIG: %s", hex);
	cm_report_set_bool_text(cm_report_add_bool(o, "accepted", " (%s)\n", status == CM_TDX_SUCCESS), "accepted",
				"rejected");
	cm_report_add_string(o, "detail", "%s\n", detail);
	return o;
}
