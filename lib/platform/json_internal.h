/* SPDX-License-Identifier: MIT */
/*
 * The platform JSON reader's pieces (json*.c; functions shared between the
 * files are pj_):
 *   json.c           the driver and the readers every section uses
 *   json_nodes.c     "nodes" and "distances"
 *   json_firmware.c  "e820", "tdx", "sgx" and "hotplug"
 *   json_dump.c      the dump that loads back identically
 */
#ifndef CONFMEM_PLATFORM_JSON_INTERNAL_H
#define CONFMEM_PLATFORM_JSON_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "confmem/json_util.h"
#include "confmem/platform.h"

struct platform_reader {
	const char *source;
	struct cm_error *err;
	struct cm_platform *platform;
};

/* The fields of a range: {start, size} or {start, end}. */
extern const char *const pj_range_fields[];

int pj_out_of_memory(struct cm_error *err, const char *source);
/* An object with exactly the @known fields. */
int pj_read_object(struct platform_reader *r, struct json_object *value, const char *path,
		   const char *const *known);
int pj_read_object_member(struct platform_reader *r, struct json_object *object, const char *key,
			  const char *path, const char *const *known, struct json_object **value,
			  char *child);
int pj_read_array_member(struct platform_reader *r, struct json_object *object, const char *key,
			 const char *path, struct json_object **array, size_t *nr_items);

/* Reads one item of an array: @index is its position, @context what pj_read_items() was given. */
typedef int (*item_reader)(struct platform_reader *r, struct json_object *item, const char *path, size_t index,
			   void *context);

int pj_read_items(struct platform_reader *r, struct json_object *object, const char *key, const char *path,
		  size_t max, const char *what, item_reader read_item, void *context);
int pj_read_int(struct platform_reader *r, struct json_object *object, const char *key,
		enum cm_json_presence presence, const char *path, int min, int max, int *out);
int pj_read_unsigned(struct platform_reader *r, struct json_object *object, const char *key,
		     const char *path, unsigned int max, unsigned int *out);
int pj_read_range(struct platform_reader *r, struct json_object *object, const char *path,
		  uint64_t *start, uint64_t *end);
/* "one of a, b, c" for the names of an enum. */
void pj_list_names(char *buf, size_t len, const char *(*name_of)(int), int nr_names);

/* json_nodes.c */
int pj_read_nodes(struct platform_reader *r, struct json_object *root, const char *root_path);
int pj_read_distances(struct platform_reader *r, struct json_object *root, const char *root_path);

/* json_firmware.c */
int pj_read_e820(struct platform_reader *r, struct json_object *root, const char *root_path);
int pj_read_tdx(struct platform_reader *r, struct json_object *root, const char *root_path);
int pj_read_sgx(struct platform_reader *r, struct json_object *root, const char *root_path);
int pj_read_hotplug(struct platform_reader *r, struct json_object *root, const char *root_path);

#endif /* CONFMEM_PLATFORM_JSON_INTERNAL_H */
