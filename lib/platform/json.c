// SPDX-License-Identifier: MIT
/*
 * The JSON platform source (SPEC 1, "Platform JSON"): the driver and the
 * readers every section uses (json_internal.h lists the other pieces).
 *
 * Reading is two steps: the fields are read into a cm_platform here, with
 * type errors naming the JSON path; cm_platform_finalize() then checks the
 * rules of SPEC 1 and names the same paths.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/json_internal.h"

int pj_out_of_memory(struct cm_error *err, const char *source)
{
	return cm_error_set(err, -ENOMEM, "%s: out of memory", source);
}

static const char *const platform_fields[] = {
	"name", "memory_block_size", "nodes", "distances", "e820", "tdx", "sgx", "hotplug", NULL
};

const char *const pj_range_fields[] = { "start", "size", "end", NULL };

int pj_read_object(struct platform_reader *r, struct json_object *value, const char *path,
		   const char *const *known)
{
	if (cm_json_object(value, r->source, path, r->err))
		return -EINVAL;
	return cm_json_check_fields(value, known, r->source, path, r->err);
}

/*
 * The optional member @key of @object as an object with exactly the
 * @known fields: 1 with it in @value and its path in @child (of
 * CM_JSON_PATH_MAX bytes), 0 when absent, or -EINVAL.
 */
int pj_read_object_member(struct platform_reader *r, struct json_object *object, const char *key,
			  const char *path, const char *const *known, struct json_object **value,
			  char *child)
{
	int ret = cm_json_member(object, key, CM_JSON_OPTIONAL, r->source, path, value, r->err);

	if (ret <= 0)
		return ret;
	cm_json_path_key(child, CM_JSON_PATH_MAX, path, key);
	return pj_read_object(r, *value, child, known) ? -EINVAL : 1;
}

/*
 * Member @key of @object as an array: 1 and its length when present, 0
 * when absent.
 */
int pj_read_array_member(struct platform_reader *r, struct json_object *object, const char *key,
			 const char *path, struct json_object **array, size_t *nr_items)
{
	char child[CM_JSON_PATH_MAX];
	int ret = cm_json_member(object, key, CM_JSON_OPTIONAL, r->source, path, array, r->err);

	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, key);
	return cm_json_array(*array, r->source, child, nr_items, r->err) ?: 1;
}

/*
 * Read every item of the optional array member @key of @object with
 * @read_item; more than @max items (0: no bound) is "expected at most MAX
 * WHAT, found N" on the array's path.
 */
int pj_read_items(struct platform_reader *r, struct json_object *object, const char *key, const char *path,
		  size_t max, const char *what, item_reader read_item, void *context)
{
	char array_path[CM_JSON_PATH_MAX], item_path[CM_JSON_PATH_MAX];
	struct json_object *array;
	size_t nr_items;
	int ret = pj_read_array_member(r, object, key, path, &array, &nr_items);

	if (ret <= 0)
		return ret;
	cm_json_path_key(array_path, sizeof(array_path), path, key);
	if (max && nr_items > max)
		return cm_json_error(r->err, r->source, array_path, "expected at most %zu %s, found %zu", max, what,
				     nr_items);
	for (size_t i = 0; i < nr_items; i++) {
		cm_json_path_index(item_path, sizeof(item_path), array_path, i);
		if (read_item(r, json_object_array_get_idx(array, i), item_path, i, context))
			return -EINVAL;
	}
	return 0;
}

/* An int field in [@min, @max]. */
int pj_read_int(struct platform_reader *r, struct json_object *object, const char *key,
		enum cm_json_presence presence, const char *path, int min, int max, int *out)
{
	int64_t value;
	int ret = cm_json_field_int(object, key, presence, r->source, path, min, max, &value, r->err);

	if (ret == 1)
		*out = (int)value;
	return ret < 0 ? ret : 0;
}

/* An unsigned int field; the model's checks give the meaningful range. */
int pj_read_unsigned(struct platform_reader *r, struct json_object *object, const char *key,
		     const char *path, unsigned int max, unsigned int *out)
{
	uint64_t value;
	int ret = cm_json_field_uint(object, key, CM_JSON_OPTIONAL, r->source, path, max, &value, r->err);

	if (ret == 1)
		*out = (unsigned int)value;
	return ret < 0 ? ret : 0;
}

/* A range given as {start, size} or {start, end} (end exclusive). */
int pj_read_range(struct platform_reader *r, struct json_object *object, const char *path,
		  uint64_t *start, uint64_t *end)
{
	struct json_object *size_value, *end_value;
	bool has_size, has_end;
	uint64_t size;

	if (cm_json_field_size(object, "start", CM_JSON_REQUIRED, r->source, path, start, r->err) < 0)
		return -EINVAL;
	has_size = json_object_object_get_ex(object, "size", &size_value);
	has_end = json_object_object_get_ex(object, "end", &end_value);
	if (has_size && has_end)
		return cm_json_error(r->err, r->source, path, "give \"size\" or \"end\", not both");
	if (has_end)
		return cm_json_field_size(object, "end", CM_JSON_REQUIRED, r->source, path, end, r->err) < 0 ?
		       -EINVAL : 0;
	if (!has_size)
		return cm_json_error(r->err, r->source, path, "missing field \"size\" (or \"end\")");
	if (cm_json_field_size(object, "size", CM_JSON_REQUIRED, r->source, path, &size, r->err) < 0)
		return -EINVAL;
	if (size > UINT64_MAX - *start)
		return cm_json_error(r->err, r->source, path, "start 0x%" PRIx64 " + size 0x%" PRIx64
				     " overflows 64 bits", *start, size);
	*end = *start + size;
	return 0;
}

void pj_list_names(char *buf, size_t len, const char *(*name_of)(int), int nr_names)
{
	size_t used = (size_t)snprintf(buf, len, "one of ");

	for (int i = 0; i < nr_names && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", name_of(i));
}

static int read_name(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	char *name = r->platform->name;
	char path[CM_JSON_PATH_MAX];
	const char *text;
	int ret = cm_json_field_string(root, "name", CM_JSON_OPTIONAL, r->source, root_path, &text, r->err);

	if (ret <= 0)
		return ret;
	if (strlen(text) >= sizeof(r->platform->name)) {
		cm_json_path_key(path, sizeof(path), root_path, "name");
		return cm_json_error(r->err, r->source, path, "expected at most %zu bytes, found %zu",
				     sizeof(r->platform->name) - 1, strlen(text));
	}
	memcpy(name, text, strlen(text) + 1);
	return 0;
}

static int read_platform(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	if (pj_read_object(r, root, root_path, platform_fields) || read_name(r, root, root_path) ||
	    cm_json_field_size(root, "memory_block_size", CM_JSON_OPTIONAL, r->source, root_path,
			       &r->platform->memory_block_size, r->err) < 0 ||
	    pj_read_nodes(r, root, root_path) || pj_read_distances(r, root, root_path) ||
	    pj_read_e820(r, root, root_path) || pj_read_tdx(r, root, root_path) ||
	    pj_read_sgx(r, root, root_path) || pj_read_hotplug(r, root, root_path))
		return -EINVAL;
	return 0;
}

/*
 * cm_platform_finalize() names fields from "$"; put @root_path in its place
 * when the platform is part of a larger document.
 */
static void prefix_finalize_path(struct cm_error *err, const char *source, const char *root_path)
{
	size_t source_len = strlen(source);
	char message[CM_ERR_MSG_MAX];

	if (!err || !strcmp(root_path, "$") || strncmp(err->msg, source, source_len) ||
	    strncmp(err->msg + source_len, ": $", 3))
		return;
	snprintf(message, sizeof(message), "%s: %s%s", source, root_path, err->msg + source_len + 3);
	memcpy(err->msg, message, sizeof(message));
}

int cm_platform_from_json_object(struct json_object *object, const char *source, const char *root_path,
				 struct cm_platform **out, struct cm_error *err)
{
	struct platform_reader reader = { .source = source, .err = err };
	int ret;

	*out = NULL;
	reader.platform = cm_platform_new();
	if (!reader.platform)
		return pj_out_of_memory(err, source);
	ret = read_platform(&reader, object, root_path);
	if (ret)
		goto out_free_platform;
	ret = cm_platform_finalize(reader.platform, source, err);
	if (ret) {
		prefix_finalize_path(err, source, root_path);
		goto out_free_platform;
	}
	*out = reader.platform;
	return 0;

out_free_platform:
	cm_platform_free(reader.platform);
	return ret;
}

int cm_platform_from_json_string(const char *text, size_t len, const char *source,
				 struct cm_platform **out, struct cm_error *err)
{
	struct json_object *root;
	int ret;

	*out = NULL;
	ret = cm_json_parse(text, len, source, &root, err);
	if (ret)
		return ret;
	ret = cm_platform_from_json_object(root, source, "$", out, err);
	json_object_put(root);
	return ret;
}

int cm_platform_from_json_file(const char *path, struct cm_platform **out, struct cm_error *err)
{
	size_t len;
	char *text;
	int ret;

	*out = NULL;
	ret = cm_json_read_file(path, &text, &len, err);
	if (ret)
		return ret;
	ret = cm_platform_from_json_string(text, len, path, out, err);
	free(text);
	return ret;
}
