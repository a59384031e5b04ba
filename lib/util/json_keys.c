// SPDX-License-Identifier: MIT
/*
 * Duplicate keys (json_util.h): json-c keeps the last of two members of
 * one name and says nothing, so {"id": 0, "id": 1} would read as node 1.
 * After json-c has accepted the text as strict JSON, this scanner walks
 * the same text once and compares the keys of each object as json-c
 * stores them: decoded (escapes resolved by json-c itself) and cut at the
 * first NUL (json-c keeps keys as C strings). The first keys of an object
 * are compared in a small array, without allocating (most objects have a
 * handful); from the seventeenth on, a key is looked up in a hash table,
 * so the walk stays linear.
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

/* The keys of one object seen so far: the first SMALL_KEYS in an array, all of them in @table after that. */
#define SMALL_KEYS 16

struct seen_key {
	const char *key;	/* json-c's form: the raw text, or @owned when it has escapes */
	size_t len;
	size_t start;		/* where it begins in the text */
	char *owned;
};

struct seen_keys {
	struct seen_key small[SMALL_KEYS];
	size_t nr_small;
	struct json_object *table;	/* key -> start, once the array is full */
};

static int out_of_memory(struct key_scanner *s)
{
	return json_out_of_memory(s->err, s->source);
}

/* Where @key was first seen, from @table, or SIZE_MAX; then it is recorded there. */
static int table_check_add(struct key_scanner *s, struct json_object *table, const char *key, size_t len,
			   size_t start, size_t *first)
{
	char *copy = strndup(key, len);
	struct json_object *found;
	int ret = 0;

	*first = SIZE_MAX;
	if (!copy)
		return out_of_memory(s);
	if (json_object_object_get_ex(table, copy, &found))
		*first = (size_t)json_object_get_int64(found);
	else if (json_object_object_add(table, copy, json_object_new_int64((int64_t)start)))
		ret = out_of_memory(s);
	free(copy);
	return ret;
}

/* Where @key was first seen in the object, or SIZE_MAX; then it is recorded. */
static int seen_check_add(struct key_scanner *s, struct seen_keys *seen, const char *key, size_t len,
			  size_t start, char **owned, size_t *first)
{
	*first = SIZE_MAX;
	if (!seen->table) {
		for (size_t i = 0; i < seen->nr_small; i++)
			if (seen->small[i].len == len && !memcmp(seen->small[i].key, key, len))
				*first = seen->small[i].start;
		if (*first != SIZE_MAX)
			return 0;
		if (seen->nr_small < SMALL_KEYS) {
			seen->small[seen->nr_small++] = (struct seen_key){ key, len, start, *owned };
			*owned = NULL;
			return 0;
		}
		/* The array is full: its keys (all different) move to a table. */
		seen->table = json_object_new_object();
		if (!seen->table)
			return out_of_memory(s);
		for (size_t i = 0; i < seen->nr_small; i++)
			if (table_check_add(s, seen->table, seen->small[i].key, seen->small[i].len,
					    seen->small[i].start, first))
				return -ENOMEM;
	}
	return table_check_add(s, seen->table, key, len, start, first);
}

static void seen_free(struct seen_keys *seen)
{
	for (size_t i = 0; i < seen->nr_small; i++)
		free(seen->small[i].owned);
	json_object_put(seen->table);
}

/* One member at s->pos (a key): checked against the object's earlier keys, then its value scanned. */
static int scan_member(struct key_scanner *s, const struct scan_frame *frame, unsigned int depth,
		       struct seen_keys *seen)
{
	struct scan_frame member = { .parent = frame };
	size_t start = s->pos, first, len;
	const char *raw, *key;
	char *owned = NULL;
	int ret;

	skip_string(s);
	raw = s->text + start + 1;
	len = s->pos - start - 2;
	if (memchr(raw, '\\', len)) {
		owned = decode_key(s, start, s->pos);
		if (!owned)
			return out_of_memory(s);
		key = owned;
		len = strlen(owned);
	} else {
		key = raw;
		len = strnlen(raw, len);
	}
	ret = seen_check_add(s, seen, key, len, start, &owned, &first);
	if (!ret && first != SIZE_MAX) {
		char *name = strndup(key, len);

		ret = name ? report_duplicate(s, frame, name, first, start) : out_of_memory(s);
		free(name);
	}
	free(owned);
	if (ret)
		return ret;
	member.key = raw;
	member.key_len = s->pos - start - 2;
	skip_space(s);
	s->pos++;	/* ':' */
	return scan_value(s, &member, depth + 1);
}

static int scan_object(struct key_scanner *s, const struct scan_frame *frame, unsigned int depth)
{
	struct seen_keys seen;
	int ret = 0;

	seen.nr_small = 0;
	seen.table = NULL;
	s->pos++;	/* '{' */
	for (;;) {
		skip_space(s);
		if (s->pos >= s->len || s->text[s->pos] == '}')
			break;
		if (s->text[s->pos] == ',') {
			s->pos++;
			continue;
		}
		ret = scan_member(s, frame, depth, &seen);
		if (ret)
			break;
	}
	s->pos++;	/* '}' */
	seen_free(&seen);
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
