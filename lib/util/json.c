// SPDX-License-Identifier: MIT
/*
 * Reading JSON input with messages that name the field (json_util.h): the
 * parser, the file reader, paths, and the value and field readers every
 * JSON source (platform, scenario, enclave) shares.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "confmem/json_util.h"
#include "util/json_internal.h"

/* ---- messages ---- */

int cm_json_error(struct cm_error *err, const char *source, const char *path, const char *fmt, ...)
{
	char message[CM_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	return cm_error_set(err, -EINVAL, "%s: %s: %s", source, path, message);
}

int json_out_of_memory(struct cm_error *err, const char *source)
{
	return cm_error_set(err, -ENOMEM, "%s: out of memory", source);
}

unsigned int cm_json_line_of(const char *text, size_t len, size_t offset)
{
	unsigned int line = 1;

	if (offset > len)
		offset = len;
	for (size_t i = 0; i < offset; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

int cm_json_syntax_error(struct cm_error *err, const char *source, const char *text, size_t len,
			 size_t offset, enum json_tokener_error error)
{
	const char *description = json_tokener_error_desc(error);

	if (offset < len && text[offset] == '\0')
		description = "NUL byte in the input";
	return cm_error_set(err, -EINVAL, "%s:%u: JSON syntax error: %s", source,
			    cm_json_line_of(text, len, offset), description ? description : "invalid JSON");
}

static bool is_json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Length of @text without its trailing whitespace. */
static size_t trimmed_length(const char *text, size_t len)
{
	while (len > 0 && is_json_space(text[len - 1]))
		len--;
	return len;
}

/*
 * What json-c (0.16, 64-bit) allocates for a document, bounded from above
 * by counting its text: measured per value, an object with its 16-entry
 * hash table takes 792 bytes, an array 152, a number 72 and a short string
 * 88 (with its slot in the array), a member's key and hash entry 96 or
 * more as the table grows. Every value but the first of a container is
 * after a comma and every member has a colon; a string's characters are
 * copied, so the text's length counts once more.
 */
#define TREE_OBJECT 800
#define TREE_ARRAY 160
#define TREE_VALUE 96
#define TREE_MEMBER 96

struct json_census {
	uint64_t objects, arrays, commas, colons;
};

static void json_census(const char *text, size_t len, struct json_census *c)
{
	bool in_string = false;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < len; i++) {
		if (in_string) {
			if (text[i] == '\\')
				i++;
			else if (text[i] == '"')
				in_string = false;
			continue;
		}
		switch (text[i]) {
		case '"':
			in_string = true;
			break;
		case '{':
			c->objects++;
			break;
		case '[':
			c->arrays++;
			break;
		case ',':
			c->commas++;
			break;
		case ':':
			c->colons++;
			break;
		}
	}
}

/* Refuse a document whose tree would outgrow CM_JSON_MAX_TREE, before json-c builds it. */
static int check_tree_size(const char *text, size_t len, const char *source, struct cm_error *err)
{
	struct json_census c;
	uint64_t bytes;

	json_census(text, len, &c);
	bytes = c.objects * TREE_OBJECT + c.arrays * TREE_ARRAY + (c.commas + 1) * TREE_VALUE +
		c.colons * TREE_MEMBER + len;
	if (bytes <= CM_JSON_MAX_TREE)
		return 0;
	return cm_error_set(err, -EFBIG, "%s: %" PRIu64 " objects, %" PRIu64 " arrays and %" PRIu64 " members "
			    "would take about %.1f GiB of memory to read, more than the limit of %llu GiB", source,
			    c.objects, c.arrays, c.colons, (double)bytes / (1ULL << 30), CM_JSON_MAX_TREE >> 30);
}

int cm_json_parse(const char *text, size_t len, const char *source, struct json_object **out,
		  struct cm_error *err)
{
	struct json_tokener *tokener;
	struct json_object *root;
	enum json_tokener_error error;
	size_t offset;
	int ret;

	*out = NULL;
	if (len > CM_JSON_MAX_INPUT)
		return cm_error_set(err, -EFBIG, "%s: input of %zu bytes is larger than the limit of %u MiB",
				    source, len, CM_JSON_MAX_INPUT >> 20);
	if (trimmed_length(text, len) == 0)
		return cm_error_set(err, -EINVAL, "%s: empty input (expected a JSON document)", source);
	ret = check_tree_size(text, len, source, err);
	if (ret)
		return ret;
	tokener = json_tokener_new();
	if (!tokener)
		return json_out_of_memory(err, source);
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tokener, text, (int)len);
	error = json_tokener_get_error(tokener);
	offset = json_tokener_get_parse_end(tokener);
	if (!root && error == json_tokener_continue) {
		/* The input ended inside a value: a NUL tells json-c there is no more. */
		root = json_tokener_parse_ex(tokener, "", 1);
		error = json_tokener_get_error(tokener);
		offset = trimmed_length(text, len);
	}
	json_tokener_free(tokener);
	/* A document that is just "null" parses to NULL: the caller's type check reports it. */
	if (error != json_tokener_success)
		return cm_json_syntax_error(err, source, text, len, offset, error);
	if (offset < len && trimmed_length(text + offset, len - offset) > 0) {
		json_object_put(root);
		return cm_error_set(err, -EINVAL, "%s:%u: JSON syntax error: text after the end of the document",
				    source, cm_json_line_of(text, len, offset));
	}
	ret = json_check_duplicate_keys(text, len, source, err);
	if (ret) {
		json_object_put(root);
		return ret;
	}
	*out = root;
	return 0;
}

int cm_json_read_file(const char *path, char **text, size_t *len, struct cm_error *err)
{
	return cm_read_file(path, CM_JSON_MAX_INPUT, text, len, err);
}

/* A path cut short ends in "..." so that the message does not mislead. */
static void mark_truncated(char *buf, size_t len, int needed)
{
	if (needed >= 0 && (size_t)needed >= len && len > 3)
		memcpy(buf + len - 4, "...", 4);
}

/* Characters of a key written as ".key"; any other key is written ["..."], escaped as JSON. */
#define PATH_NAME_CHARACTERS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"

/*
 * Paths are built for every value read (an error names one), so the
 * common cases are put together with memcpy, exactly as snprintf() would
 * write them (cut at @len, then marked).
 */
static void path_append(char *buf, size_t len, size_t *used, const char *s, size_t n)
{
	if (*used + 1 < len) {
		size_t room = len - 1 - *used;

		memcpy(buf + *used, s, n < room ? n : room);
	}
	*used += n;
}

static void path_finish(char *buf, size_t len, size_t used)
{
	buf[used < len ? used : len - 1] = '\0';
	mark_truncated(buf, len, used > INT_MAX ? INT_MAX : (int)used);
}

void cm_json_path_key(char *buf, size_t len, const char *parent, const char *key)
{
	struct json_object *string;
	const char *quoted = NULL;
	size_t key_len = strlen(key), used = 0;

	if (key_len && strspn(key, PATH_NAME_CHARACTERS) == key_len) {
		path_append(buf, len, &used, parent, strlen(parent));
		path_append(buf, len, &used, ".", 1);
		path_append(buf, len, &used, key, key_len);
		path_finish(buf, len, used);
		return;
	}
	/* A path is one line: a key with a newline or a quote in it is escaped. */
	string = json_object_new_string(key);
	if (string)
		quoted = json_object_to_json_string_ext(string, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	mark_truncated(buf, len, snprintf(buf, len, "%s[%s]", parent, quoted ? quoted : "\"(unprintable)\""));
	json_object_put(string);
}

void cm_json_path_index(char *buf, size_t len, const char *parent, size_t index)
{
	char digits[24], *end = digits + sizeof(digits) - 1, *first;
	size_t used = 0;

	*end = ']';
	first = cm_u64_digits(index, end);
	*--first = '[';
	path_append(buf, len, &used, parent, strlen(parent));
	path_append(buf, len, &used, first, (size_t)(end + 1 - first));
	path_finish(buf, len, used);
}

/* ---- describing values ---- */

/* Strings are shown up to this many bytes, then "...". */
#define DESCRIBE_STRING_MAX 40

struct text_buffer {
	char *buf;
	size_t len;
	size_t used;
};

static void text_append(struct text_buffer *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (t->used + 1 < t->len)
			t->buf[t->used] = s[i];
		t->used++;
	}
	if (t->len)
		t->buf[t->used < t->len ? t->used : t->len - 1] = '\0';
}

static void text_append_escaped(struct text_buffer *t, unsigned char c)
{
	char escape[8];

	switch (c) {
	case '"':
		text_append(t, "\\\"", 2);
		break;
	case '\\':
		text_append(t, "\\\\", 2);
		break;
	case '\n':
		text_append(t, "\\n", 2);
		break;
	case '\t':
		text_append(t, "\\t", 2);
		break;
	default:
		if (c < 0x20 || c == 0x7f) {
			snprintf(escape, sizeof(escape), "\\u%04x", c);
			text_append(t, escape, strlen(escape));
		} else {
			text_append(t, (const char *)&c, 1);
		}
	}
}

/* @s quoted and escaped on one line, cut after DESCRIBE_STRING_MAX bytes. */
static void describe_string(const char *s, size_t slen, char *buf, size_t len)
{
	struct text_buffer t = { buf, len, 0 };
	size_t shown = slen;

	if (shown > DESCRIBE_STRING_MAX) {
		shown = DESCRIBE_STRING_MAX;
		/* Do not cut a UTF-8 sequence in half. */
		while (shown > 0 && ((unsigned char)s[shown] & 0xc0) == 0x80)
			shown--;
	}
	if (len)
		buf[0] = '\0';
	text_append(&t, "\"", 1);
	for (size_t i = 0; i < shown; i++)
		text_append_escaped(&t, (unsigned char)s[i]);
	text_append(&t, "\"", 1);
	if (shown < slen)
		text_append(&t, "...", 3);
}

/*
 * json-c keeps integers from 2^63 up as unsigned and turns anything larger
 * than 2^64 - 1 into 2^64 - 1, so that value cannot be trusted.
 */
struct json_integer {
	bool negative;
	bool too_large;
	int64_t signed_value;		/* when negative */
	uint64_t unsigned_value;	/* when not */
};

static struct json_integer json_integer_of(struct json_object *value)
{
	struct json_integer i = { 0 };

	i.signed_value = json_object_get_int64(value);
	if (i.signed_value < 0) {
		i.negative = true;
		return i;
	}
	i.unsigned_value = json_object_get_uint64(value);
	i.too_large = i.unsigned_value == UINT64_MAX;
	return i;
}

void cm_json_describe(struct json_object *value, char *buf, size_t len)
{
	struct json_integer integer;
	const char *text;

	switch (json_object_get_type(value)) {
	case json_type_null:
		snprintf(buf, len, "null");
		break;
	case json_type_boolean:
		snprintf(buf, len, "%s", json_object_get_boolean(value) ? "true" : "false");
		break;
	case json_type_int:
		integer = json_integer_of(value);
		if (integer.negative)
			snprintf(buf, len, "%" PRId64, integer.signed_value);
		else if (integer.too_large)
			snprintf(buf, len, "a number too large for 64 bits");
		else
			snprintf(buf, len, "%" PRIu64, integer.unsigned_value);
		break;
	case json_type_double:
		/* json-c keeps the number as written ("1e3", "NaN"). */
		text = json_object_to_json_string_ext(value, JSON_C_TO_STRING_PLAIN);
		if (!text)
			text = "a fractional number";
		if (strlen(text) > DESCRIBE_STRING_MAX)
			snprintf(buf, len, "%.*s...", DESCRIBE_STRING_MAX, text);
		else
			snprintf(buf, len, "%s", text);
		break;
	case json_type_string:
		describe_string(json_object_get_string(value), (size_t)json_object_get_string_len(value),
				buf, len);
		break;
	case json_type_object:
		snprintf(buf, len, "an object");
		break;
	case json_type_array:
		snprintf(buf, len, "an array");
		break;
	default:
		snprintf(buf, len, "an unknown value");
		break;
	}
}

void json_describe_key(const char *key, char *buf, size_t len)
{
	describe_string(key, strlen(key), buf, len);
}

int cm_json_expected(struct cm_error *err, const char *source, const char *path, const char *what,
		     struct json_object *value)
{
	char found[96];

	cm_json_describe(value, found, sizeof(found));
	return cm_json_error(err, source, path, "expected %s, found %s", what, found);
}

/* ---- value readers ---- */

int cm_json_object(struct json_object *value, const char *source, const char *path, struct cm_error *err)
{
	if (!json_object_is_type(value, json_type_object))
		return cm_json_expected(err, source, path, "an object", value);
	return 0;
}

int cm_json_array(struct json_object *value, const char *source, const char *path, size_t *nr_items,
		  struct cm_error *err)
{
	*nr_items = 0;
	if (!json_object_is_type(value, json_type_array))
		return cm_json_expected(err, source, path, "an array", value);
	*nr_items = json_object_array_length(value);
	return 0;
}

bool cm_json_has_nul(struct json_object *string)
{
	return strlen(json_object_get_string(string)) != (size_t)json_object_get_string_len(string);
}

int cm_json_string(struct json_object *value, const char *source, const char *path, const char **out,
		   struct cm_error *err)
{
	if (!json_object_is_type(value, json_type_string))
		return cm_json_expected(err, source, path, "a string", value);
	if (cm_json_has_nul(value))
		return cm_json_error(err, source, path, "the string contains a NUL character (\\u0000)");
	*out = json_object_get_string(value);
	return 0;
}

int cm_json_bool(struct json_object *value, const char *source, const char *path, bool *out,
		 struct cm_error *err)
{
	if (!json_object_is_type(value, json_type_boolean))
		return cm_json_expected(err, source, path, "true or false", value);
	*out = json_object_get_boolean(value);
	return 0;
}

int cm_json_int(struct json_object *value, const char *source, const char *path, int64_t min, int64_t max,
		int64_t *out, struct cm_error *err)
{
	struct json_integer integer;
	char what[80];
	int64_t v;

	snprintf(what, sizeof(what), "an integer %" PRId64 "..%" PRId64, min, max);
	if (!json_object_is_type(value, json_type_int))
		return cm_json_expected(err, source, path, what, value);
	integer = json_integer_of(value);
	if (integer.too_large || (!integer.negative && integer.unsigned_value > INT64_MAX))
		return cm_json_expected(err, source, path, what, value);
	v = integer.negative ? integer.signed_value : (int64_t)integer.unsigned_value;
	if (v < min || v > max)
		return cm_json_expected(err, source, path, what, value);
	*out = v;
	return 0;
}

int cm_json_uint(struct json_object *value, const char *source, const char *path, uint64_t max,
		 uint64_t *out, struct cm_error *err)
{
	struct json_integer integer;
	char what[80];

	if (max == UINT64_MAX)
		snprintf(what, sizeof(what), "a non-negative integer");
	else
		snprintf(what, sizeof(what), "an integer 0..%" PRIu64, max);
	if (!json_object_is_type(value, json_type_int))
		return cm_json_expected(err, source, path, what, value);
	integer = json_integer_of(value);
	if (integer.negative || integer.too_large || integer.unsigned_value > max)
		return cm_json_expected(err, source, path, what, value);
	*out = integer.unsigned_value;
	return 0;
}

int cm_json_size(struct json_object *value, const char *source, const char *path, uint64_t *out,
		 struct cm_error *err)
{
	struct cm_error reason = { 0 };
	char found[96];

	if (json_object_is_type(value, json_type_string)) {
		bool has_nul = cm_json_has_nul(value);

		if (!has_nul && !cm_parse_size(json_object_get_string(value), out, &reason))
			return 0;
		cm_json_describe(value, found, sizeof(found));
		if (has_nul)
			return cm_json_error(err, source, path, "expected %s, found %s: contains a NUL character",
					     CM_JSON_SIZE_EXPECTED, found);
		return cm_json_error(err, source, path, "expected %s, found %s: %s", CM_JSON_SIZE_EXPECTED, found,
				     reason.msg);
	}
	return cm_json_uint(value, source, path, UINT64_MAX - 1, out, NULL) ?
	       cm_json_expected(err, source, path, CM_JSON_SIZE_EXPECTED, value) : 0;
}

/* ---- objects and their members ---- */

static bool is_known(const char *key, const char *const *known)
{
	for (size_t i = 0; known[i]; i++)
		if (!strcmp(key, known[i]))
			return true;
	return false;
}

int cm_json_check_fields(struct json_object *object, const char *const *known, const char *source,
			 const char *path, struct cm_error *err)
{
	struct json_object_iterator it = json_object_iter_begin(object);
	struct json_object_iterator end = json_object_iter_end(object);
	char list[256], name[96];
	struct text_buffer t = { list, sizeof(list), 0 };
	const char *key;

	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		key = json_object_iter_peek_name(&it);
		if (is_known(key, known))
			continue;
		list[0] = '\0';
		for (size_t i = 0; known[i]; i++) {
			if (i)
				text_append(&t, ", ", 2);
			text_append(&t, known[i], strlen(known[i]));
		}
		describe_string(key, strlen(key), name, sizeof(name));
		return cm_json_error(err, source, path, "unknown field %s (known fields: %s)", name, list);
	}
	return 0;
}

int cm_json_member(struct json_object *object, const char *key, enum cm_json_presence presence,
		   const char *source, const char *path, struct json_object **out, struct cm_error *err)
{
	if (json_object_object_get_ex(object, key, out))
		return 1;
	*out = NULL;
	if (presence == CM_JSON_REQUIRED)
		return cm_json_error(err, source, path, "missing field \"%s\"", key);
	return 0;
}

/*
 * The field readers: the member, then its value read once without a path
 * (no error kept); only a value that fails is read again with its path
 * formatted, for the message. A valid document formats no paths.
 */
#define READ_FIELD(reader, ...)									\
	do {											\
		struct json_object *value;							\
		char child[CM_JSON_PATH_MAX];							\
		int ret = cm_json_member(object, key, presence, source, path, &value, err);	\
												\
		if (ret <= 0 || !reader(value, source, "", __VA_ARGS__, NULL))			\
			return ret;								\
		cm_json_path_key(child, sizeof(child), path, key);				\
		return reader(value, source, child, __VA_ARGS__, err);				\
	} while (0)

int cm_json_field_string(struct json_object *object, const char *key, enum cm_json_presence presence,
			 const char *source, const char *path, const char **out, struct cm_error *err)
{
	READ_FIELD(cm_json_string, out);
}

int cm_json_field_bool(struct json_object *object, const char *key, enum cm_json_presence presence,
		       const char *source, const char *path, bool *out, struct cm_error *err)
{
	READ_FIELD(cm_json_bool, out);
}

int cm_json_field_int(struct json_object *object, const char *key, enum cm_json_presence presence,
		      const char *source, const char *path, int64_t min, int64_t max, int64_t *out,
		      struct cm_error *err)
{
	READ_FIELD(cm_json_int, min, max, out);
}

int cm_json_field_uint(struct json_object *object, const char *key, enum cm_json_presence presence,
		       const char *source, const char *path, uint64_t max, uint64_t *out,
		       struct cm_error *err)
{
	READ_FIELD(cm_json_uint, max, out);
}

int cm_json_field_size(struct json_object *object, const char *key, enum cm_json_presence presence,
		       const char *source, const char *path, uint64_t *out, struct cm_error *err)
{
	READ_FIELD(cm_json_size, out);
}
