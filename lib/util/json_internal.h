/* SPDX-License-Identifier: MIT */
/* The JSON reader's pieces (json.c, json_keys.c). */
#ifndef CONFMEM_UTIL_JSON_INTERNAL_H
#define CONFMEM_UTIL_JSON_INTERNAL_H

#include <stddef.h>

#include "confmem/util.h"

/* json.c: a key quoted and escaped on one line, shortened, for messages. */
void json_describe_key(const char *key, char *buf, size_t len);

/*
 * json_keys.c: text json-c accepted as strict JSON has no object with two
 * members of one name; else "SOURCE: PATH: field \"KEY\" given twice
 * (lines A and B); ..." ("line A" when both are on one)" with the object's path, and -EINVAL.
 */
int json_check_duplicate_keys(const char *text, size_t len, const char *source, struct cm_error *err);

#endif /* CONFMEM_UTIL_JSON_INTERNAL_H */
