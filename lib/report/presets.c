// SPDX-License-Identifier: MIT
/* The built-in platforms as a report: one row each, name and description. */
#include "confmem/report.h"

struct cm_report_item *cm_report_add_presets(struct cm_report_item *parent, const char *key)
{
	struct cm_report_item *a = cm_report_add_array(parent, key, NULL);

	for (size_t i = 0; i < cm_preset_count(); i++) {
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

		cm_report_add_string(row, "name", "%-8s ", cm_preset_info(i)->name);
		cm_report_add_string(row, "description", "%s\n", cm_preset_info(i)->description);
	}
	return a;
}
