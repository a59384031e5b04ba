// SPDX-License-Identifier: MIT
/*
 * The JSON renderer of the report model: ndctl's numbers (bytes and
 * addresses raw), -u's strings ("0x..." and "64.00 GiB (68.72 GB)"),
 * members in an object's JSON order, text-only items left out.
 *
 * The text is written as the model is walked, through a buffer, byte for
 * byte as json-c's printer lays it out (JSON_C_TO_STRING_PRETTY with
 * SPACED, or PLAIN for JSON Lines; '/' not escaped) but without building
 * json-c's tree first: a plan of a million ranges took 2 GiB of tree and
 * 8 s to print that way. Doubles alone go through json-c, for its format.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "report/model.h"

struct json_writer {
	FILE *f;
	const struct cm_report_style *style;
	int flags;		/* json-c's, for doubles */
	bool pretty;		/* newlines and two-space indents, "key": value; else no space at all */
	size_t used;
	char buf[1 << 16];
};

static void put_bytes(struct json_writer *w, const char *s, size_t len)
{
	if (len > sizeof(w->buf) - w->used) {
		fwrite(w->buf, 1, w->used, w->f);
		w->used = 0;
		if (len > sizeof(w->buf)) {
			fwrite(s, 1, len, w->f);
			return;
		}
	}
	memcpy(w->buf + w->used, s, len);
	w->used += len;
}

static void put_text(struct json_writer *w, const char *s)
{
	put_bytes(w, s, strlen(s));
}

static void put_char(struct json_writer *w, char c)
{
	put_bytes(w, &c, 1);
}

static void put_u64(struct json_writer *w, uint64_t v)
{
	char digits[20], *first = cm_u64_digits(v, digits + sizeof(digits));

	put_bytes(w, first, (size_t)(digits + sizeof(digits) - first));
}

static void put_int(struct json_writer *w, int v)
{
	if (v < 0) {
		put_char(w, '-');
		put_u64(w, -(uint64_t)(int64_t)v);
	} else {
		put_u64(w, (uint64_t)v);
	}
}

/* A string as json-c escapes it: the two-letter escapes, \u00XX below space, '/' and bytes >= 0x7f as they are. */
static void put_string(struct json_writer *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	put_char(w, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7] = { '\\', 0 };

		switch (c) {
		case '\b': esc[1] = 'b'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\f': esc[1] = 'f'; break;
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		default:
			if (c >= ' ')
				continue;
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
		}
		put_bytes(w, run, (size_t)(s - run));
		put_text(w, esc);
		run = s + 1;
	}
	put_bytes(w, run, (size_t)(s - run));
	put_char(w, '"');
}

static void put_indent(struct json_writer *w, int level)
{
	if (w->pretty)
		for (int i = 0; i < level; i++)
			put_bytes(w, "  ", 2);
}

/* Containers: the opening, what goes before each member or element, the closing. */
static void open_container(struct json_writer *w, char c)
{
	put_char(w, c);
	if (w->pretty)
		put_char(w, '\n');
}

static void next_entry(struct json_writer *w, bool *had_entries, int level)
{
	if (*had_entries) {
		put_char(w, ',');
		if (w->pretty)
			put_char(w, '\n');
	}
	*had_entries = true;
	put_indent(w, level + 1);
}

static void close_container(struct json_writer *w, char c, bool had_entries, int level)
{
	if (w->pretty) {
		if (had_entries)
			put_char(w, '\n');
		put_indent(w, level);
	}
	put_char(w, c);
}

static void put_key(struct json_writer *w, const char *key)
{
	put_string(w, key);
	put_text(w, w->pretty ? ": " : ":");
}

static void put_addr(struct json_writer *w, uint64_t v)
{
	char buf[32];

	if (w->style->json != CM_JSON_HUMAN) {
		put_u64(w, v);
		return;
	}
	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	put_string(w, buf);
}

static void put_size(struct json_writer *w, uint64_t v)
{
	char iec[32], buf[80];

	if (w->style->json != CM_JSON_HUMAN) {
		put_u64(w, v);
		return;
	}
	cm_format_human_size(v, iec, sizeof(iec));
	if (v >= 1000)
		snprintf(buf, sizeof(buf), "%s (%.2f %s)", iec,
			 v >= 1000000000000ULL ? (double)v / 1e12 : v >= 1000000000ULL ? (double)v / 1e9 :
			 v >= 1000000ULL ? (double)v / 1e6 : (double)v / 1e3,
			 v >= 1000000000000ULL ? "TB" : v >= 1000000000ULL ? "GB" : v >= 1000000ULL ? "MB" : "kB");
	else
		snprintf(buf, sizeof(buf), "%s", iec);
	put_string(w, buf);
}

static void put_double(struct json_writer *w, double v)
{
	struct json_object *d = json_object_new_double(v);

	put_text(w, d ? json_object_to_json_string_ext(d, w->flags) : "null");
	json_object_put(d);
}

static void put_log(struct json_writer *w, const struct cm_log *log, int level)
{
	bool had = false;

	open_container(w, '[');
	for (size_t i = 0; i < log->nr_lines; i++) {
		next_entry(w, &had, level);
		put_string(w, log->lines[i].text);
	}
	close_container(w, ']', had, level);
}

static void put_nodemask(struct json_writer *w, cm_nodemask_t m, int level)
{
	bool had = false;

	open_container(w, '[');
	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		if (cm_node_isset(m, n)) {
			next_entry(w, &had, level);
			put_int(w, n);
		}
	}
	close_container(w, ']', had, level);
}

static void put_item(struct json_writer *w, const struct cm_report_item *item, int level);

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

static void put_member(struct json_writer *w, const struct cm_report_item *child, bool *had, int level)
{
	next_entry(w, had, level);
	put_key(w, child->key);
	put_item(w, child, level + 1);
}

/* An object's members: those its JSON order names first, then the rest. */
static void put_object(struct json_writer *w, const struct cm_report_item *item, int level)
{
	const struct cm_report_item *child;
	bool had = false;

	open_container(w, '{');
	for (char **k = item->json_order; k && *k; k++)
		for (child = item->first; child; child = child->next)
			if (member(child, w->style) && !strcmp(child->key, *k))
				put_member(w, child, &had, level);
	for (child = item->first; child; child = child->next)
		if (member(child, w->style) && !in_json_order(item, child->key))
			put_member(w, child, &had, level);
	close_container(w, '}', had, level);
}

static void put_array(struct json_writer *w, const struct cm_report_item *item, int level)
{
	bool had = false;

	open_container(w, '[');
	for (const struct cm_report_item *child = item->first; child; child = child->next) {
		if (member(child, w->style)) {
			next_entry(w, &had, level);
			put_item(w, child, level + 1);
		}
	}
	close_container(w, ']', had, level);
}

static void put_item(struct json_writer *w, const struct cm_report_item *item, int level)
{
	switch (item->type) {
	case CM_REPORT_OBJECT:
		put_object(w, item, level);
		break;
	case CM_REPORT_ARRAY:
		put_array(w, item, level);
		break;
	case CM_REPORT_U64:
		put_u64(w, item->v.u64);
		break;
	case CM_REPORT_INT:
		put_int(w, item->v.i);
		break;
	case CM_REPORT_STRING:
		put_string(w, item->v.s);
		break;
	case CM_REPORT_BOOL:
		put_text(w, item->v.b ? "true" : "false");
		break;
	case CM_REPORT_NODEMASK:
		put_nodemask(w, item->v.mask, level);
		break;
	case CM_REPORT_LOG:
		put_log(w, &item->log, level);
		break;
	case CM_REPORT_BYTES:
		put_size(w, item->v.u64);
		break;
	case CM_REPORT_ADDR:
		put_addr(w, item->v.u64);
		break;
	case CM_REPORT_PERCENT:
		put_double(w, cm_report_percent(item));
		break;
	default:
		put_text(w, "null");
		break;
	}
}

/* The document's last JSON item and a newline. */
static int render_top(const struct cm_report *r, const struct cm_report_style *style, FILE *f, bool pretty)
{
	const struct cm_report_item *top = NULL;
	struct json_writer *w;

	for (const struct cm_report_item *child = r->document.first; child; child = child->next)
		if (member(child, style))
			top = child;
	if (!top)
		return -EINVAL;
	w = malloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->f = f;
	w->style = style;
	w->pretty = pretty;
	w->flags = (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN) |
		   JSON_C_TO_STRING_NOSLASHESCAPE;
	w->used = 0;
	put_item(w, top, 0);
	put_char(w, '\n');
	fwrite(w->buf, 1, w->used, f);
	free(w);
	return ferror(f) ? -EIO : 0;
}

static int json_render(const struct cm_report *r, const struct cm_report_style *style, FILE *f)
{
	return render_top(r, style, f, true);
}

/* JSON Lines (fleets): the same object on one line. */
static int json_lines_render(const struct cm_report *r, const struct cm_report_style *style, FILE *f)
{
	return render_top(r, style, f, false);
}

const struct cm_report_renderer_operations cm_report_json_ops = {
	.name = "json",
	.render = json_render,
};

const struct cm_report_renderer_operations cm_report_json_lines_ops = {
	.name = "json-lines",
	.render = json_lines_render,
};
