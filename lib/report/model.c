// SPDX-License-Identifier: MIT
/*
 * The report model (report.h): a tree of items a command builds once, and
 * the table of renderers that turn it into text, JSON, ...
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/model.h"

/* One row per output format; a new renderer is one file and one row. */
static const struct cm_report_renderer_operations *const renderers[] = {
	&cm_report_text_ops,
	&cm_report_json_ops,
	&cm_report_json_lines_ops,
	&cm_report_svg_ops,
	&cm_report_html_ops,
};

struct cm_report *cm_report_new(void)
{
	struct cm_report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->document.type = CM_REPORT_DOCUMENT;
	r->document.report = r;
	return r;
}

static void item_free(struct cm_report_item *item)
{
	struct cm_report_item *child = item->first;

	while (child) {
		struct cm_report_item *next = child->next;

		item_free(child);
		child = next;
	}
	free(item->key);
	free(item->text);
	if (item->type == CM_REPORT_STRING)
		free(item->v.s);
	free(item->prefix);
	free(item->picture);
	free(item->yes);
	free(item->no);
	for (char **key = item->json_order; key && *key; key++)
		free(*key);
	free(item->json_order);
	cm_log_free(&item->log);
	if (item->type != CM_REPORT_DOCUMENT)
		free(item);
}

void cm_report_free(struct cm_report *r)
{
	if (!r)
		return;
	item_free(&r->document);
	free(r);
}

struct cm_report_item *cm_report_document(struct cm_report *r)
{
	return &r->document;
}

int cm_report_status(const struct cm_report *r)
{
	return r->status;
}

static char *dup_or_null(const char *s, bool *failed)
{
	char *copy;

	if (!s)
		return NULL;
	copy = strdup(s);
	if (!copy)
		*failed = true;
	return copy;
}

/* A new item at the end of @parent, or NULL (and the report marked -ENOMEM). */
static struct cm_report_item *item_add(struct cm_report_item *parent, enum cm_report_type type, const char *key,
				       const char *text)
{
	struct cm_report_item *item;
	bool failed = false;

	if (!parent)
		return NULL;
	item = calloc(1, sizeof(*item));
	if (!item) {
		parent->report->status = -ENOMEM;
		return NULL;
	}
	item->type = type;
	item->report = parent->report;
	item->parent = parent;
	item->key = dup_or_null(key, &failed);
	item->text = dup_or_null(text, &failed);
	if (parent->last)
		parent->last->next = item;
	else
		parent->first = item;
	parent->last = item;
	if (failed)
		parent->report->status = -ENOMEM;
	return item;
}

struct cm_report_item *cm_report_add_object(struct cm_report_item *parent, const char *key, const char *text)
{
	return item_add(parent, CM_REPORT_OBJECT, key, text);
}

struct cm_report_item *cm_report_add_array(struct cm_report_item *parent, const char *key, const char *text)
{
	return item_add(parent, CM_REPORT_ARRAY, key, text);
}

void cm_report_enable_pictures(struct cm_report *r)
{
	r->pictures = true;
}

struct cm_report_item *cm_report_add_picture(struct cm_report_item *parent, const char *name)
{
	struct cm_report_item *item;
	bool failed = false;

	if (!parent || !parent->report->pictures)
		return NULL;
	item = item_add(parent, CM_REPORT_OBJECT, NULL, NULL);
	if (item)
		item->picture = dup_or_null(name, &failed);
	if (failed)
		item->report->status = -ENOMEM;
	return item;
}

struct cm_report_item *cm_report_add_text(struct cm_report_item *parent, const char *text)
{
	return item_add(parent, CM_REPORT_TEXT, NULL, text);
}

static struct cm_report_item *add_u64_typed(struct cm_report_item *parent, enum cm_report_type type,
					    const char *key, const char *text, uint64_t v)
{
	struct cm_report_item *item = item_add(parent, type, key, text);

	if (item)
		item->v.u64 = v;
	return item;
}

struct cm_report_item *cm_report_add_u64(struct cm_report_item *parent, const char *key, const char *text,
					 uint64_t v)
{
	return add_u64_typed(parent, CM_REPORT_U64, key, text, v);
}

struct cm_report_item *cm_report_add_bytes(struct cm_report_item *parent, const char *key, const char *text,
					   uint64_t v)
{
	return add_u64_typed(parent, CM_REPORT_BYTES, key, text, v);
}

struct cm_report_item *cm_report_add_addr(struct cm_report_item *parent, const char *key, const char *text,
					  uint64_t v)
{
	return add_u64_typed(parent, CM_REPORT_ADDR, key, text, v);
}

struct cm_report_item *cm_report_add_int(struct cm_report_item *parent, const char *key, const char *text, int v)
{
	struct cm_report_item *item = item_add(parent, CM_REPORT_INT, key, text);

	if (item)
		item->v.i = v;
	return item;
}

struct cm_report_item *cm_report_add_string(struct cm_report_item *parent, const char *key, const char *text,
					    const char *s)
{
	struct cm_report_item *item = item_add(parent, CM_REPORT_STRING, key, text);
	bool failed = false;

	if (!item)
		return NULL;
	item->v.s = dup_or_null(s ? s : "", &failed);
	if (failed)
		item->report->status = -ENOMEM;
	return item;
}

struct cm_report_item *cm_report_add_bool(struct cm_report_item *parent, const char *key, const char *text,
					  bool v)
{
	struct cm_report_item *item = item_add(parent, CM_REPORT_BOOL, key, text);

	if (item)
		item->v.b = v;
	return item;
}

struct cm_report_item *cm_report_add_nodemask(struct cm_report_item *parent, const char *key, const char *text,
					      cm_nodemask_t m)
{
	struct cm_report_item *item = item_add(parent, CM_REPORT_NODEMASK, key, text);

	if (item)
		item->v.mask = m;
	return item;
}

struct cm_report_item *cm_report_add_percent(struct cm_report_item *parent, const char *key, const char *text,
					     uint64_t part, uint64_t whole)
{
	struct cm_report_item *item = item_add(parent, CM_REPORT_PERCENT, key, text);

	if (item) {
		item->v.ratio.part = part;
		item->v.ratio.whole = whole;
	}
	return item;
}

void cm_report_set_hex(struct cm_report_item *item, int digits)
{
	if (!item)
		return;
	item->hex = true;
	item->hex_digits = digits;
}

void cm_report_set_detail(struct cm_report_item *item, int verbose)
{
	if (item)
		item->detail = verbose;
}

void cm_report_set_log_debug_detail(struct cm_report_item *item, int verbose)
{
	if (item)
		item->debug_detail = verbose;
}

bool cm_report_item_shown(const struct cm_report_item *item, const struct cm_report_style *style)
{
	return item->detail <= style->verbose;
}

void cm_report_set_bool_text(struct cm_report_item *item, const char *yes, const char *no)
{
	bool failed = false;

	if (!item)
		return;
	item->yes = dup_or_null(yes, &failed);
	item->no = dup_or_null(no, &failed);
	if (failed)
		item->report->status = -ENOMEM;
}

void cm_report_set_json_order(struct cm_report_item *item, const char *const *keys)
{
	size_t nr = 0;
	bool failed = false;

	if (!item)
		return;
	while (keys[nr])
		nr++;
	item->json_order = calloc(nr + 1, sizeof(*item->json_order));
	if (!item->json_order) {
		item->report->status = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < nr; i++)
		item->json_order[i] = dup_or_null(keys[i], &failed);
	if (failed)
		item->report->status = -ENOMEM;
}

struct cm_report_item *cm_report_add_log(struct cm_report_item *parent, const char *key,
					 const struct cm_log *log, const char *prefix)
{
	struct cm_report_item *item = item_add(parent, CM_REPORT_LOG, key, NULL);
	bool failed = false;

	if (!item)
		return NULL;
	item->prefix = dup_or_null(prefix, &failed);
	for (size_t i = 0; i < log->nr_lines; i++)
		cm_log_add(&item->log, log->lines[i].level, "%s", log->lines[i].text);
	if (failed || item->log.nr_lines != log->nr_lines)
		item->report->status = -ENOMEM;
	return item;
}

bool cm_report_item_in_json(const struct cm_report_item *item)
{
	if (item->type == CM_REPORT_TEXT)
		return false;
	return item->parent->type == CM_REPORT_ARRAY || item->key;
}

double cm_report_percent(const struct cm_report_item *item)
{
	if (!item->v.ratio.whole)
		return 0.0;
	return 100.0 * (double)item->v.ratio.part / (double)item->v.ratio.whole;
}

const char *cm_report_value_text(const struct cm_report_item *item, char *buf, size_t len)
{
	if (item->hex) {
		snprintf(buf, len, "0x%0*" PRIx64, item->hex_digits, item->v.u64);
		return buf;
	}
	/* A string of any length (a CPU list of thousands of CPUs) is shown whole. */
	if (item->type == CM_REPORT_STRING && item->v.s[0])
		return item->v.s;
	switch (item->type) {
	case CM_REPORT_U64:
		snprintf(buf, len, "%" PRIu64, item->v.u64);
		break;
	case CM_REPORT_INT:
		snprintf(buf, len, "%d", item->v.i);
		break;
	case CM_REPORT_BYTES:
		cm_format_human_size(item->v.u64, buf, len);
		break;
	case CM_REPORT_ADDR:
		snprintf(buf, len, "0x%" PRIx64, item->v.u64);
		break;
	case CM_REPORT_STRING:
		snprintf(buf, len, "%s", item->v.s[0] ? item->v.s : "-");
		break;
	case CM_REPORT_BOOL:
		if (item->yes)
			snprintf(buf, len, "%s", item->v.b ? item->yes : item->no);
		else
			snprintf(buf, len, "%s", item->v.b ? "yes" : "no");
		break;
	case CM_REPORT_PERCENT:
		snprintf(buf, len, "%.3f", cm_report_percent(item));
		break;
	case CM_REPORT_NODEMASK:
		cm_nodemask_format(item->v.mask, buf, len);
		if (!buf[0])
			snprintf(buf, len, "-");
		break;
	default:
		buf[0] = '\0';
		break;
	}
	return buf;
}

const struct cm_report_renderer_operations *cm_report_renderer(const char *name)
{
	for (size_t i = 0; i < sizeof(renderers) / sizeof(renderers[0]); i++)
		if (!strcmp(renderers[i]->name, name))
			return renderers[i];
	return NULL;
}

int cm_report_render(const struct cm_report *r, const char *name, const struct cm_report_style *style, FILE *f)
{
	const struct cm_report_renderer_operations *ops = cm_report_renderer(name);

	if (!ops)
		return -EINVAL;
	return ops->render(r, style, f);
}
