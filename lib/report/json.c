// SPDX-License-Identifier: MIT
/*
 * The JSON renderer of the report model: ndctl's numbers (bytes and
 * addresses raw), -u's strings ("0x..." and "64.00 GiB (68.72 GB)"),
 * members in an object's JSON order, text-only items left out.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "report/model.h"

static struct json_object *addr_json(uint64_t v, enum cm_json_style style)
{
	char buf[32];

	if (style != CM_JSON_HUMAN)
		return json_object_new_uint64(v);
	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_object_new_string(buf);
}

static struct json_object *size_json(uint64_t v, enum cm_json_style style)
{
	char iec[32], buf[80];

	if (style != CM_JSON_HUMAN)
		return json_object_new_uint64(v);
	cm_format_human_size(v, iec, sizeof(iec));
	if (v >= 1000)
		snprintf(buf, sizeof(buf), "%s (%.2f %s)", iec,
			 v >= 1000000000000ULL ? (double)v / 1e12 : v >= 1000000000ULL ? (double)v / 1e9 :
			 v >= 1000000ULL ? (double)v / 1e6 : (double)v / 1e3,
			 v >= 1000000000000ULL ? "TB" : v >= 1000000000ULL ? "GB" : v >= 1000000ULL ? "MB" : "kB");
	else
		snprintf(buf, sizeof(buf), "%s", iec);
	return json_object_new_string(buf);
}

static struct json_object *log_array(const struct cm_log *log)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < log->nr_lines; i++)
		json_object_array_add(a, json_object_new_string(log->lines[i].text));
	return a;
}

static struct json_object *nodemask_json(cm_nodemask_t m)
{
	struct json_object *a = json_object_new_array();

	for (int n = 0; n < CM_MAX_NUMNODES; n++)
		if (cm_node_isset(m, n))
			json_object_array_add(a, json_object_new_int(n));
	return a;
}

static struct json_object *item_json(const struct cm_report_item *item, const struct cm_report_style *style);

/* In the JSON, and with the detail the reader asked for. */
static bool member(const struct cm_report_item *item, const struct cm_report_style *style)
{
	return cm_report_item_in_json(item) && cm_report_item_shown(item, style);
}

static bool in_json_order(const struct cm_report_item *object, const char *key)
{
	for (char **k = object->json_order; k && *k; k++)
		if (!strcmp(*k, key))
			return true;
	return false;
}

/* An object's members: those its JSON order names first, then the rest. */
static struct json_object *object_json(const struct cm_report_item *item, const struct cm_report_style *style)
{
	struct json_object *o = json_object_new_object();
	const struct cm_report_item *child;

	for (char **k = item->json_order; k && *k; k++)
		for (child = item->first; child; child = child->next)
			if (member(child, style) && !strcmp(child->key, *k))
				json_object_object_add(o, child->key, item_json(child, style));
	for (child = item->first; child; child = child->next)
		if (member(child, style) && !in_json_order(item, child->key))
			json_object_object_add(o, child->key, item_json(child, style));
	return o;
}

static struct json_object *array_json(const struct cm_report_item *item, const struct cm_report_style *style)
{
	struct json_object *a = json_object_new_array();

	for (const struct cm_report_item *child = item->first; child; child = child->next)
		if (member(child, style))
			json_object_array_add(a, item_json(child, style));
	return a;
}

static struct json_object *item_json(const struct cm_report_item *item, const struct cm_report_style *style)
{
	switch (item->type) {
	case CM_REPORT_OBJECT:
		return object_json(item, style);
	case CM_REPORT_ARRAY:
		return array_json(item, style);
	case CM_REPORT_U64:
		return json_object_new_uint64(item->v.u64);
	case CM_REPORT_INT:
		return json_object_new_int(item->v.i);
	case CM_REPORT_STRING:
		return json_object_new_string(item->v.s);
	case CM_REPORT_BOOL:
		return json_object_new_boolean(item->v.b);
	case CM_REPORT_NODEMASK:
		return nodemask_json(item->v.mask);
	case CM_REPORT_LOG:
		return log_array(&item->log);
	case CM_REPORT_BYTES:
		return size_json(item->v.u64, style->json);
	case CM_REPORT_ADDR:
		return addr_json(item->v.u64, style->json);
	case CM_REPORT_PERCENT:
		return json_object_new_double(cm_report_percent(item));
	default:
		return NULL;
	}
}

/* The document's last JSON item, printed with json-c's @flags and a newline. */
static int render_top(const struct cm_report *r, const struct cm_report_style *style, FILE *f, int flags)
{
	const struct cm_report_item *top = NULL;
	struct json_object *o;

	for (const struct cm_report_item *child = r->document.first; child; child = child->next)
		if (member(child, style))
			top = child;
	if (!top)
		return -EINVAL;
	o = item_json(top, style);
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, flags | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return ferror(f) ? -EIO : 0;
}

static int json_render(const struct cm_report *r, const struct cm_report_style *style, FILE *f)
{
	return render_top(r, style, f, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
}

/* JSON Lines (fleets): the same object on one line. */
static int json_lines_render(const struct cm_report *r, const struct cm_report_style *style, FILE *f)
{
	return render_top(r, style, f, JSON_C_TO_STRING_PLAIN);
}

const struct cm_report_renderer_operations cm_report_json_ops = {
	.name = "json",
	.render = json_render,
};

const struct cm_report_renderer_operations cm_report_json_lines_ops = {
	.name = "json-lines",
	.render = json_lines_render,
};
