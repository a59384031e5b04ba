/* SPDX-License-Identifier: MIT */
/*
 * Reading JSON input with messages that name the field (SPEC 13):
 * "SOURCE:LINE: JSON syntax error: ..." for text that is not JSON and
 * "SOURCE: $.json.path: expected ..., found ..." for a value of the wrong
 * kind. Used by every JSON source (platform, scenario, enclave).
 *
 * Every reader returns 0 (or 1, see the field readers) on success and a
 * negative errno with the message in @err on failure. A JSON null is a
 * NULL json_object pointer and is "found null" like any other wrong type.
 */
#ifndef CONFMEM_JSON_UTIL_H
#define CONFMEM_JSON_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "confmem/util.h"

/* Room for a path such as "$.nodes[12].memory[345].start". */
#define CM_JSON_PATH_MAX 256

/* Inputs larger than this are refused before parsing. */
#define CM_JSON_MAX_INPUT (256U << 20)

/*
 * Documents whose parsed tree would take more memory than this are
 * refused before parsing: json-c's tree of a small text can be hundreds of
 * times its size (about 800 bytes for each "{}"). A platform of a million
 * ranges (217 MB of text) takes about 3.3 GiB.
 */
#define CM_JSON_MAX_TREE (4ULL << 30)

/* The text of a size field's expectation, shared by every message about one. */
#define CM_JSON_SIZE_EXPECTED "a size (number or string like \"0x1000\" or \"64G\")"

/* Record "SOURCE: PATH: message" (printf-style) and return -EINVAL. */
int cm_json_error(struct cm_error *err, const char *source, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* 1-based line number of byte @offset of @text (offsets past @len count to the end). */
unsigned int cm_json_line_of(const char *text, size_t len, size_t offset);

/*
 * Record a json-c tokener failure at byte @offset of @text as
 * "SOURCE:LINE: JSON syntax error: <json-c's description>"; returns -EINVAL.
 */
int cm_json_syntax_error(struct cm_error *err, const char *source, const char *text, size_t len,
			 size_t offset, enum json_tokener_error error);

/*
 * Parse a whole document (strict JSON, valid UTF-8, nothing after the
 * value). Empty or blank input is "SOURCE: empty input (expected a JSON
 * document)"; a document whose tree would outgrow CM_JSON_MAX_TREE is
 * refused (-EFBIG) before json-c reads it. A document that is just null
 * gives *out == NULL, which the value readers report as "found null". The
 * caller releases *out with json_object_put().
 */
int cm_json_parse(const char *text, size_t len, const char *source, struct json_object **out,
		  struct cm_error *err);

/* cm_read_file() with the limit CM_JSON_MAX_INPUT. */
int cm_json_read_file(const char *path, char **text, size_t *len, struct cm_error *err);

/*
 * Build "PARENT.KEY" (or "PARENT[\"K\\n\"]", escaped as JSON, for a key
 * that is not a plain name: a path stays on one line) and "PARENT[INDEX]";
 * a path too long for @len is truncated.
 */
void cm_json_path_key(char *buf, size_t len, const char *parent, const char *key);
void cm_json_path_index(char *buf, size_t len, const char *parent, size_t index);

/*
 * Describe a value for "found ...": null, true, 12, 1.5, "text" (quoted,
 * escaped, shortened), "an object", "an array".
 */
void cm_json_describe(struct json_object *value, char *buf, size_t len);

/* Record "SOURCE: PATH: expected WHAT, found <description of @value>"; returns -EINVAL. */
int cm_json_expected(struct cm_error *err, const char *source, const char *path, const char *what,
		     struct json_object *value);

/* Does JSON string @string hold a NUL character (which C strings cannot)? */
bool cm_json_has_nul(struct json_object *string);

/* Value readers: @path names @value in messages. */
int cm_json_object(struct json_object *value, const char *source, const char *path, struct cm_error *err);
int cm_json_array(struct json_object *value, const char *source, const char *path, size_t *nr_items,
		  struct cm_error *err);
int cm_json_string(struct json_object *value, const char *source, const char *path, const char **out,
		   struct cm_error *err);
int cm_json_bool(struct json_object *value, const char *source, const char *path, bool *out,
		 struct cm_error *err);
/* An integer in [@min, @max]: "expected an integer MIN..MAX, found X". */
int cm_json_int(struct json_object *value, const char *source, const char *path, int64_t min, int64_t max,
		int64_t *out, struct cm_error *err);
/* An integer in [0, @max]; @max UINT64_MAX means any that fits in 64 bits. */
int cm_json_uint(struct json_object *value, const char *source, const char *path, uint64_t max,
		 uint64_t *out, struct cm_error *err);
/*
 * A size or address: a JSON integer >= 0 or a string accepted by
 * cm_parse_size() ("0x100000000", "64G"). Errors read
 * "expected CM_JSON_SIZE_EXPECTED, found X" (with cm_parse_size()'s reason
 * for a string). JSON numbers of 2^64 - 1 and above are refused because
 * json-c cannot tell them apart.
 */
int cm_json_size(struct json_object *value, const char *source, const char *path, uint64_t *out,
		 struct cm_error *err);

/*
 * Refuse members of object @object not named in @known (NULL-terminated):
 * "unknown field \"memroy\" (known fields: id, cpus, ...)". A typo is an
 * error, never silently ignored.
 */
int cm_json_check_fields(struct json_object *object, const char *const *known, const char *source,
			 const char *path, struct cm_error *err);

enum cm_json_presence { CM_JSON_OPTIONAL, CM_JSON_REQUIRED };

/*
 * Look up member @key of object @object (whose path is @path). Returns 1
 * and the value in *out when present, 0 when absent and optional, or
 * -EINVAL with "PATH: missing field \"KEY\"" when absent and required.
 */
int cm_json_member(struct json_object *object, const char *key, enum cm_json_presence presence,
		   const char *source, const char *path, struct json_object **out, struct cm_error *err);

/*
 * Field readers: look up @key in @object and read it with the value reader
 * of the same name. Return 1 when read, 0 when absent and optional (*out
 * untouched, so set the default first), negative errno on error.
 */
int cm_json_field_string(struct json_object *object, const char *key, enum cm_json_presence presence,
			 const char *source, const char *path, const char **out, struct cm_error *err);
int cm_json_field_bool(struct json_object *object, const char *key, enum cm_json_presence presence,
		       const char *source, const char *path, bool *out, struct cm_error *err);
int cm_json_field_int(struct json_object *object, const char *key, enum cm_json_presence presence,
		      const char *source, const char *path, int64_t min, int64_t max, int64_t *out,
		      struct cm_error *err);
int cm_json_field_uint(struct json_object *object, const char *key, enum cm_json_presence presence,
		       const char *source, const char *path, uint64_t max, uint64_t *out,
		       struct cm_error *err);
int cm_json_field_size(struct json_object *object, const char *key, enum cm_json_presence presence,
		       const char *source, const char *path, uint64_t *out, struct cm_error *err);

#endif /* CONFMEM_JSON_UTIL_H */
