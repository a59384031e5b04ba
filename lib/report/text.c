// SPDX-License-Identifier: MIT
/*
 * The text renderer of the report model: every item with a text layout,
 * in order; log lines with their prefix, debug lines and items that need
 * detail only when the reader asked for it (-v, -vv).
 */
#include <errno.h>

#include "report/model.h"

static void render_log(const struct cm_report_item *item, const struct cm_report_style *style, FILE *f)
{
	int debug_detail = item->debug_detail > 1 ? item->debug_detail : 1;

	if (!item->prefix)
		return;
	for (size_t i = 0; i < item->log.nr_lines; i++)
		if (item->log.lines[i].level != CM_LOG_DEBUG || style->verbose >= debug_detail)
			fprintf(f, "%s%s\n", item->prefix, item->log.lines[i].text);
}

static void render_item(const struct cm_report_item *item, const struct cm_report_style *style, FILE *f)
{
	char value[256];	/* any number, size or node mask; strings are not copied */

	if (!cm_report_item_shown(item, style))
		return;
	switch (item->type) {
	case CM_REPORT_DOCUMENT:
	case CM_REPORT_OBJECT:
	case CM_REPORT_ARRAY:
		if (item->text)
			fputs(item->text, f);
		for (const struct cm_report_item *child = item->first; child; child = child->next)
			render_item(child, style, f);
		break;
	case CM_REPORT_TEXT:
		fputs(item->text, f);
		break;
	case CM_REPORT_LOG:
		render_log(item, style, f);
		break;
	default:
		if (!item->text)
			break;
		fprintf(f, item->text, cm_report_value_text(item, value, sizeof(value)));
		break;
	}
}

static int text_render(const struct cm_report *r, const struct cm_report_style *style, FILE *f)
{
	render_item(&r->document, style, f);
	return ferror(f) ? -EIO : 0;
}

const struct cm_report_renderer_operations cm_report_text_ops = {
	.name = "text",
	.render = text_render,
};
