// SPDX-License-Identifier: MIT
/*
 * Duplicate keys (json_util.h): json-c keeps the last of two members of
 * one name and says nothing, so {"id": 0, "id": 1} would read as node 1.
 * After json-c has accepted the text as strict JSON, this scanner walks
 * the same text once and compares the keys of each object as json-c
 * stores them: decoded (escapes resolved by json-c itself) and cut at the
 * first NUL (json-c keeps keys as C strings). A key is looked up among the
 * object's earlier keys in a hash table, so the walk is linear.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "confmem/json_util.h"
#include "util/json_internal.h"

/* json-c refuses deeper documents (JSON_TOKENER_DEFAULT_DEPTH); checked, not assumed. */
#define SCAN_MAX_DEPTH 64

/* Where a value sits: a member of an object or an element of an array. */
struct scan_frame {
	const struct scan_frame *parent;
	const char *key;	/* raw key text between the quotes; NULL for an element */
	size_t key_len;
	size_t index;
};

struct key_scanner {
	const char *text;
	size_t len;
	size_t pos;
	const char *source;
	struct json_tokener *tokener;	/* decodes keys with escapes; made on first use */
	struct cm_error *err;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_space(struct key_scanner *s)
{
	while (s->pos < s->len && is_space(s->text[s->pos]))
		s->pos++;
}

/* At a '"': move past the closing quote. */
static void skip_string(struct key_scanner *s)
{
	for (s->pos++; s->pos < s->len && s->text[s->pos] != '"'; s->pos++)
		if (s->text[s->pos] == '\\')
			s->pos++;
	if (s->pos < s->len)
		s->pos++;
}

/* A number or literal runs to the next structural character or space. */
static void skip_scalar(struct key_scanner *s)
{
	while (s->pos < s->len && !is_space(s->text[s->pos]) && !strchr(",]}", s->text[s->pos]))
		s->pos++;
}

/* "$" and the frames from the root down, as the readers spell paths. */
static void frame_path(const struct scan_frame *frame, char *buf, size_t len)
{
	const struct scan_frame *chain[SCAN_MAX_DEPTH + 1];
	char parent[CM_JSON_PATH_MAX], key[CM_JSON_PATH_MAX];
	size_t depth = 0;

	for (; frame && depth < SCAN_MAX_DEPTH + 1; frame = frame->parent)
		chain[depth++] = frame;
	snprintf(buf, len, "$");
	while (depth--) {
		snprintf(parent, sizeof(parent), "%s", buf);
		if (chain[depth]->key) {
			snprintf(key, sizeof(key), "%.*s", (int)chain[depth]->key_len, chain[depth]->key);
			cm_json_path_key(buf, len, parent, key);
		} else {
			cm_json_path_index(buf, len, parent, chain[depth]->index);
		}
	}
}

/* The key at [start, end) (quotes included) as json-c stores it, malloc'd. */
static char *decode_key(struct key_scanner *s, size_t start, size_t end)
{
	const char *raw = s->text + start + 1;
	size_t raw_len = end - start - 2;
	struct json_object *decoded;
	char *key;

	if (!memchr(raw, '\\', raw_len))
		return strndup(raw, raw_len);
	if (!s->tokener)
		s->tokener = json_tokener_new();
	if (!s->tokener)
		return NULL;
	json_tokener_reset(s->tokener);
	decoded = json_tokener_parse_ex(s->tokener, s->text + start, (int)(end - start));
	if (!decoded && json_tokener_get_error(s->tokener) == json_tokener_continue)
		decoded = json_tokener_parse_ex(s->tokener, "", 1);
	key = decoded ? strdup(json_object_get_string(decoded)) : NULL;
	json_object_put(decoded);
	return key;
}

static int scan_value(struct key_scanner *s, const struct scan_frame *frame, unsigned int depth);

static int report_duplicate(struct key_scanner *s, const struct scan_frame *frame, const char *key,
			    size_t first, size_t again)
{
	unsigned int first_line = cm_json_line_of(s->text, s->len, first);
	unsigned int again_line = cm_json_line_of(s->text, s->len, again);
	char path[CM_JSON_PATH_MAX], name[96], lines[48];

	frame_path(frame, path, sizeof(path));
	json_describe_key(key, name, sizeof(name));
	if (first_line == again_line)
		snprintf(lines, sizeof(lines), "line %u", first_line);
	else
		snprintf(lines, sizeof(lines), "lines %u and %u", first_line, again_line);
	return cm_json_error(s->err, s->source, path, "field %s given twice (%s); a field may appear "
			     "once in an object", name, lines);
}

/* One member at s->pos (a key): checked against @seen, then its value scanned. */
static int scan_member(struct key_scanner *s, const struct scan_frame *frame, unsigned int depth,
		       struct json_object *seen)
{
	struct scan_frame member = { .parent = frame };
	size_t start = s->pos;
	struct json_object *first;
	char *key;
	int ret = 0;

	skip_string(s);
	key = decode_key(s, start, s->pos);
	if (!key)
		return cm_error_set(s->err, -ENOMEM, "%s: out of memory", s->source);
	if (json_object_object_get_ex(seen, key, &first))
		ret = report_duplicate(s, frame, key, (size_t)json_object_get_int64(first), start);
	else if (json_object_object_add(seen, key, json_object_new_int64((int64_t)start)))
		ret = cm_error_set(s->err, -ENOMEM, "%s: out of memory", s->source);
	free(key);
	if (ret)
		return ret;
	member.key = s->text + start + 1;
	member.key_len = s->pos - start - 2;
	skip_space(s);
	s->pos++;	/* ':' */
	return scan_value(s, &member, depth + 1);
}

static int scan_object(struct key_scanner *s, const struct scan_frame *frame, unsigned int depth)
{
	struct json_object *seen = json_object_new_object();
	int ret = 0;

	if (!seen)
		return cm_error_set(s->err, -ENOMEM, "%s: out of memory", s->source);
	s->pos++;	/* '{' */
	for (;;) {
		skip_space(s);
		if (s->pos >= s->len || s->text[s->pos] == '}')
			break;
		if (s->text[s->pos] == ',') {
			s->pos++;
			continue;
		}
		ret = scan_member(s, frame, depth, seen);
		if (ret)
			break;
	}
	s->pos++;	/* '}' */
	json_object_put(seen);
	return ret;
}

static int scan_array(struct key_scanner *s, const struct scan_frame *frame, unsigned int depth)
{
	struct scan_frame element = { .parent = frame };
	int ret;

	s->pos++;	/* '[' */
	for (;;) {
		skip_space(s);
		if (s->pos >= s->len || s->text[s->pos] == ']')
			break;
		if (s->text[s->pos] == ',') {
			s->pos++;
			element.index++;
			continue;
		}
		ret = scan_value(s, &element, depth + 1);
		if (ret)
			return ret;
	}
	s->pos++;	/* ']' */
	return 0;
}

static int scan_value(struct key_scanner *s, const struct scan_frame *frame, unsigned int depth)
{
	if (depth > SCAN_MAX_DEPTH)
		return cm_error_set(s->err, -EINVAL, "%s: JSON nested deeper than %d levels", s->source,
				    SCAN_MAX_DEPTH);
	skip_space(s);
	if (s->pos >= s->len)
		return 0;
	switch (s->text[s->pos]) {
	case '{':
		return scan_object(s, frame, depth);
	case '[':
		return scan_array(s, frame, depth);
	case '"':
		skip_string(s);
		return 0;
	default:
		skip_scalar(s);
		return 0;
	}
}

int json_check_duplicate_keys(const char *text, size_t len, const char *source, struct cm_error *err)
{
	struct key_scanner s = { .text = text, .len = len, .source = source, .err = err };
	int ret = scan_value(&s, NULL, 0);

	if (s.tokener)
		json_tokener_free(s.tokener);
	return ret;
}
