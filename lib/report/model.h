/* SPDX-License-Identifier: MIT */
/* The report model's items, for its renderers (text.c, json.c, svg.c, html.c). */
#ifndef CONFMEM_REPORT_MODEL_H
#define CONFMEM_REPORT_MODEL_H

#include "confmem/report.h"

enum cm_report_type {
	CM_REPORT_DOCUMENT,
	CM_REPORT_OBJECT,
	CM_REPORT_ARRAY,
	CM_REPORT_TEXT,
	CM_REPORT_U64,
	CM_REPORT_INT,
	CM_REPORT_BYTES,
	CM_REPORT_ADDR,
	CM_REPORT_STRING,
	CM_REPORT_BOOL,
	CM_REPORT_NODEMASK,
	CM_REPORT_PERCENT,
	CM_REPORT_LOG,
};

struct cm_report_item {
	enum cm_report_type type;
	char *key;
	char *text;
	union {
		uint64_t u64;
		int i;
		bool b;
		char *s;
		cm_nodemask_t mask;
		struct {
			uint64_t part, whole;
		} ratio;
	} v;
	/* Text: a number in hex ("0x" and at least @hex_digits digits). */
	bool hex;
	int hex_digits;
	/* Text: a boolean's words (NULL: "yes" and "no"). */
	char *yes, *no;
	/* JSON: an object's members in this order (NULL-terminated), then the rest. */
	char **json_order;
	struct cm_log log;
	char *prefix;
	/* The -v count the item needs (0: always shown), and a log's debug lines in the text (0: 1). */
	int detail;
	int debug_detail;
	/* A picture's data (cm_report_add_picture): what it shows, for the SVG and HTML renderers. */
	char *picture;
	struct cm_report_item *parent;
	struct cm_report_item *first, *last, *next;
	struct cm_report *report;
};

struct cm_report {
	struct cm_report_item document;
	int status;
	bool pictures;		/* cm_report_enable_pictures(): builders add picture objects */
};

/* Whether @item is in the JSON: text lines never, items of objects and the document with a key. */
bool cm_report_item_in_json(const struct cm_report_item *item);
/* Whether the reader asked for the detail @item needs (cm_report_set_detail()). */
bool cm_report_item_shown(const struct cm_report_item *item, const struct cm_report_style *style);
/*
 * The text of a value item ("-" for an empty string or node mask): a
 * string item's own text, or @buf with the value formatted into it.
 */
const char *cm_report_value_text(const struct cm_report_item *item, char *buf, size_t len);
/* A percentage of a part in a whole (0 when the whole is 0). */
double cm_report_percent(const struct cm_report_item *item);
/* A plan's JSON status: "ok", "error", or "disabled" on a platform without TDX (not an error). */
const char *cm_report_plan_status(const struct cm_tdx_plan *plan);

#endif /* CONFMEM_REPORT_MODEL_H */
