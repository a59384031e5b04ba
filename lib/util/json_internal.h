/* SPDX-License-Identifier: MIT */
/* The JSON reader's pieces (json.c, json_keys.c). */
#ifndef CONFMEM_UTIL_JSON_INTERNAL_H
#define CONFMEM_UTIL_JSON_INTERNAL_H

#include <stddef.h>

#include "confmem/util.h"

/* json.c: a key quoted and escaped on one line, shortened, for messages. */
void json_describe_key(const char *key, char *buf, size_t len);
/* json.c: "SOURCE: out of memory" in @err; returns -ENOMEM. */
int json_out_of_memory(struct cm_error *err, const char *source);

/*
 * json_keys.c: does text json-c accepted as strict JSON have an object
 * with two members of one name? 0 when not; else -EINVAL with
 * "SOURCE: PATH: field \"KEY\" given twice (lines A and B); ..." where
 * PATH is the object's ("line A" when both are on one line).
 */
int json_check_duplicate_keys(const char *text, size_t len, const char *source, struct cm_error *err);

#endif /* CONFMEM_UTIL_JSON_INTERNAL_H */
