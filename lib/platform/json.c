// SPDX-License-Identifier: MIT
/*
 * The JSON platform source (SPEC 1, "Platform JSON"); the dump that
 * loads back identically is json_dump.c.
 *
 * Reading is two steps: the fields are read into a cm_platform here, with
 * type errors naming the JSON path; cm_platform_finalize() then checks the
 * rules of SPEC 1 and names the same paths.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "confmem/json_util.h"
#include "confmem/platform.h"

static int out_of_memory(struct cm_error *err, const char *source)
{
	return cm_error_set(err, -ENOMEM, "%s: out of memory", source);
}

/* ---- the platform source ---- */

struct platform_reader {
	const char *source;
	struct cm_error *err;
	struct cm_platform *platform;
};

static const char *const platform_fields[] = {
	"name", "memory_block_size", "nodes", "distances", "e820", "tdx", "sgx", "hotplug", NULL
};
static const char *const node_fields[] = { "id", "cpus", "kind", "memory", "hmat", "adistance", NULL };
static const char *const range_fields[] = { "start", "size", "end", NULL };
static const char *const e820_fields[] = { "start", "size", "end", "type", NULL };
static const char *const hmat_fields[] = {
	"read_latency_ns", "write_latency_ns", "read_bandwidth_mbps", "write_bandwidth_mbps", NULL
};
static const char *const tdx_fields[] = {
	"enabled", "cmrs", "max_tdmrs", "max_reserved_per_tdmr", "pamt_entry_size", NULL
};
static const char *const sgx_fields[] = { "epc", NULL };
static const char *const epc_fields[] = { "start", "size", "node", NULL };
static const char *const hotplug_fields[] = { "start", "size", "node", "convertible", NULL };

/* An object with exactly the @known fields. */
static int read_object(struct platform_reader *r, struct json_object *value, const char *path,
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
static int read_object_member(struct platform_reader *r, struct json_object *object, const char *key,
			      const char *path, const char *const *known, struct json_object **value,
			      char *child)
{
	int ret = cm_json_member(object, key, CM_JSON_OPTIONAL, r->source, path, value, r->err);

	if (ret <= 0)
		return ret;
	cm_json_path_key(child, CM_JSON_PATH_MAX, path, key);
	return read_object(r, *value, child, known) ? -EINVAL : 1;
}

/*
 * Member @key of @object as an array: 1 and its length when present, 0
 * when absent.
 */
static int read_array_member(struct platform_reader *r, struct json_object *object, const char *key,
			     const char *path, struct json_object **array, size_t *nr_items)
{
	char child[CM_JSON_PATH_MAX];
	int ret = cm_json_member(object, key, CM_JSON_OPTIONAL, r->source, path, array, r->err);

	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, key);
	return cm_json_array(*array, r->source, child, nr_items, r->err) ?: 1;
}

/* Reads one item of an array: @index is its position, @context what read_items() was given. */
typedef int (*item_reader)(struct platform_reader *r, struct json_object *item, const char *path, size_t index,
			   void *context);

/*
 * Read every item of the optional array member @key of @object with
 * @read_item; more than @max items (0: no bound) is "expected at most MAX
 * WHAT, found N" on the array's path.
 */
static int read_items(struct platform_reader *r, struct json_object *object, const char *key, const char *path,
		      size_t max, const char *what, item_reader read_item, void *context)
{
	char array_path[CM_JSON_PATH_MAX], item_path[CM_JSON_PATH_MAX];
	struct json_object *array;
	size_t nr_items;
	int ret = read_array_member(r, object, key, path, &array, &nr_items);

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
static int read_int(struct platform_reader *r, struct json_object *object, const char *key,
		    enum cm_json_presence presence, const char *path, int min, int max, int *out)
{
	int64_t value;
	int ret = cm_json_field_int(object, key, presence, r->source, path, min, max, &value, r->err);

	if (ret == 1)
		*out = (int)value;
	return ret < 0 ? ret : 0;
}

/* An unsigned int field; the model's checks give the meaningful range. */
static int read_unsigned(struct platform_reader *r, struct json_object *object, const char *key,
			 const char *path, unsigned int max, unsigned int *out)
{
	uint64_t value;
	int ret = cm_json_field_uint(object, key, CM_JSON_OPTIONAL, r->source, path, max, &value, r->err);

	if (ret == 1)
		*out = (unsigned int)value;
	return ret < 0 ? ret : 0;
}

/* A range given as {start, size} or {start, end} (end exclusive). */
static int read_range(struct platform_reader *r, struct json_object *object, const char *path,
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

/* "one of a, b, c" for the names of an enum. */
static void list_names(char *buf, size_t len, const char *(*name_of)(int), int nr_names)
{
	size_t used = (size_t)snprintf(buf, len, "one of ");

	for (int i = 0; i < nr_names && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", name_of(i));
}

static const char *kind_name_of(int i)
{
	return cm_node_kind_name((enum cm_node_kind)i);
}

static const char *e820_name_of(int i)
{
	return cm_e820_type_name((enum cm_e820_type)i);
}

static int read_kind(struct platform_reader *r, struct json_object *object, const char *path,
		     enum cm_node_kind *kind)
{
	char child[CM_JSON_PATH_MAX], what[96];
	struct json_object *value;
	const char *name;
	int ret = cm_json_member(object, "kind", CM_JSON_OPTIONAL, r->source, path, &value, r->err);

	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, "kind");
	list_names(what, sizeof(what), kind_name_of, CM_NODE_NR_KINDS);
	if (!json_object_is_type(value, json_type_string))
		return cm_json_expected(r->err, r->source, child, what, value);
	if (cm_json_string(value, r->source, child, &name, r->err))
		return -EINVAL;
	if (cm_node_kind_from_name(name, kind))
		return cm_json_expected(r->err, r->source, child, what, value);
	return 0;
}

static int read_cpus(struct platform_reader *r, struct json_object *object, const char *path,
		     struct cm_node *node)
{
	char child[CM_JSON_PATH_MAX], found[96];
	const char *text = "", *why = NULL;
	struct json_object *value;
	int ret = cm_json_field_string(object, "cpus", CM_JSON_OPTIONAL, r->source, path, &text, r->err);

	if (ret <= 0)
		return ret;
	if (!cm_bitmap_parse_list(&node->cpus, text, &why))
		return 0;
	json_object_object_get_ex(object, "cpus", &value);
	cm_json_describe(value, found, sizeof(found));
	cm_json_path_key(child, sizeof(child), path, "cpus");
	return cm_json_error(r->err, r->source, child, "expected a CPU list like \"0-15,32\" (\"\" for none), "
			     "found %s: %s", found, why);
}

static int read_memory_item(struct platform_reader *r, struct json_object *item, const char *path, size_t index,
			    void *context)
{
	struct cm_node *node = context;
	uint64_t start, end;

	(void)index;
	if (read_object(r, item, path, range_fields) || read_range(r, item, path, &start, &end))
		return -EINVAL;
	if (cm_node_add_memory(node, start, end))
		return out_of_memory(r->err, r->source);
	return 0;
}

static int read_node_memory(struct platform_reader *r, struct json_object *object, const char *path,
			    struct cm_node *node)
{
	return read_items(r, object, "memory", path, 0, NULL, read_memory_item, node);
}

static int read_hmat(struct platform_reader *r, struct json_object *object, const char *path,
		     struct cm_hmat *hmat)
{
	uint32_t *const fields[] = {
		&hmat->read_latency_ns, &hmat->write_latency_ns,
		&hmat->read_bandwidth_mbps, &hmat->write_bandwidth_mbps,
	};
	char child[CM_JSON_PATH_MAX];
	struct json_object *value;
	int ret = read_object_member(r, object, "hmat", path, hmat_fields, &value, child);

	if (ret <= 0)
		return ret;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		uint64_t v;

		if (cm_json_field_uint(value, hmat_fields[i], CM_JSON_REQUIRED, r->source, child, UINT32_MAX,
				       &v, r->err) < 0)
			return -EINVAL;
		*fields[i] = (uint32_t)v;
	}
	hmat->present = true;
	return 0;
}

static int read_node(struct platform_reader *r, struct json_object *object, const char *path,
			size_t index __attribute__((unused)), void *context __attribute__((unused)))
{
	enum cm_node_kind kind = CM_NODE_DRAM;
	struct cm_node *node;
	int id = 0, adistance = -1;

	if (read_object(r, object, path, node_fields) ||
	    read_int(r, object, "id", CM_JSON_REQUIRED, path, 0, CM_MAX_NUMNODES - 1, &id) ||
	    read_kind(r, object, path, &kind) ||
	    read_int(r, object, "adistance", CM_JSON_OPTIONAL, path, 0, 65535, &adistance))
		return -EINVAL;
	node = cm_platform_add_node(r->platform, id, kind);
	if (!node)
		return out_of_memory(r->err, r->source);
	node->adistance = adistance;
	if (read_cpus(r, object, path, node) || read_node_memory(r, object, path, node) ||
	    read_hmat(r, object, path, &node->hmat))
		return -EINVAL;
	return 0;
}

static int read_nodes(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	return read_items(r, root, "nodes", root_path, CM_MAX_NUMNODES, "nodes", read_node, NULL);
}

/* The SLIT matrix: one row per node, one entry per node, in node order. */
static int read_distances(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	char array_path[CM_JSON_PATH_MAX], row_path[CM_JSON_PATH_MAX], item_path[CM_JSON_PATH_MAX];
	size_t nr_nodes = r->platform->nr_nodes, nr_rows;
	struct json_object *array;
	int ret = read_array_member(r, root, "distances", root_path, &array, &nr_rows);

	if (ret <= 0)
		return ret;
	cm_json_path_key(array_path, sizeof(array_path), root_path, "distances");
	if (nr_rows != nr_nodes)
		return cm_json_error(r->err, r->source, array_path, "expected %zu rows (one per node), found %zu",
				     nr_nodes, nr_rows);
	r->platform->distance = malloc((nr_nodes ? nr_nodes * nr_nodes : 1) * sizeof(unsigned int));
	if (!r->platform->distance)
		return out_of_memory(r->err, r->source);
	for (size_t i = 0; i < nr_rows; i++) {
		struct json_object *row = json_object_array_get_idx(array, i);
		size_t nr_columns;

		cm_json_path_index(row_path, sizeof(row_path), array_path, i);
		if (cm_json_array(row, r->source, row_path, &nr_columns, r->err))
			return -EINVAL;
		if (nr_columns != nr_nodes)
			return cm_json_error(r->err, r->source, row_path,
					     "expected %zu distances (one per node), found %zu", nr_nodes, nr_columns);
		for (size_t j = 0; j < nr_columns; j++) {
			uint64_t distance;

			cm_json_path_index(item_path, sizeof(item_path), row_path, j);
			if (cm_json_uint(json_object_array_get_idx(row, j), r->source, item_path, UINT_MAX,
					 &distance, r->err))
				return -EINVAL;
			r->platform->distance[i * nr_nodes + j] = (unsigned int)distance;
		}
	}
	return 0;
}

static int read_e820_entry(struct platform_reader *r, struct json_object *object, const char *path,
			size_t index __attribute__((unused)), void *context __attribute__((unused)))
{
	char child[CM_JSON_PATH_MAX], what[96];
	enum cm_e820_type type;
	struct json_object *value;
	uint64_t start, end;

	if (read_object(r, object, path, e820_fields) || read_range(r, object, path, &start, &end) ||
	    cm_json_member(object, "type", CM_JSON_REQUIRED, r->source, path, &value, r->err) < 0)
		return -EINVAL;
	cm_json_path_key(child, sizeof(child), path, "type");
	list_names(what, sizeof(what), e820_name_of, CM_E820_NR_TYPES);
	if (!json_object_is_type(value, json_type_string) || cm_json_has_nul(value) ||
	    cm_e820_type_from_name(json_object_get_string(value), &type))
		return cm_json_expected(r->err, r->source, child, what, value);
	if (cm_platform_add_e820(r->platform, start, end, type))
		return out_of_memory(r->err, r->source);
	return 0;
}

static int read_e820(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	return read_items(r, root, "e820", root_path, 0, NULL, read_e820_entry, NULL);
}

static int read_cmr_item(struct platform_reader *r, struct json_object *item, const char *path,
			 size_t index __attribute__((unused)), void *context __attribute__((unused)))
{
	uint64_t start, end;

	if (read_object(r, item, path, range_fields) || read_range(r, item, path, &start, &end))
		return -EINVAL;
	return cm_platform_add_cmr(r->platform, start, end);
}

static int read_cmrs(struct platform_reader *r, struct json_object *tdx, const char *tdx_path)
{
	return read_items(r, tdx, "cmrs", tdx_path, CM_MAX_CMRS, "CMRs", read_cmr_item, NULL);
}

static int read_pamt_entry_sizes(struct platform_reader *r, struct json_object *tdx, const char *tdx_path)
{
	const char *levels[CM_PAMT_NR_LEVELS + 1] = { NULL };
	char child[CM_JSON_PATH_MAX];
	struct json_object *value;
	int ret;

	for (int level = 0; level < CM_PAMT_NR_LEVELS; level++)
		levels[level] = cm_pamt_level_name((enum cm_pamt_level)level);
	ret = read_object_member(r, tdx, "pamt_entry_size", tdx_path, levels, &value, child);
	if (ret <= 0)
		return ret;
	for (int level = 0; level < CM_PAMT_NR_LEVELS; level++)
		if (read_unsigned(r, value, levels[level], child, UINT_MAX,
				  &r->platform->tdx.pamt_entry_size[level]))
			return -EINVAL;
	return 0;
}

/* A "tdx" object means TDX is enabled unless it says "enabled": false. */
static int read_tdx(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	struct cm_tdx_config *config = &r->platform->tdx;
	char path[CM_JSON_PATH_MAX];
	struct json_object *tdx;
	int ret = read_object_member(r, root, "tdx", root_path, tdx_fields, &tdx, path);

	if (ret <= 0)
		return ret;
	config->enabled = true;
	if (cm_json_field_bool(tdx, "enabled", CM_JSON_OPTIONAL, r->source, path, &config->enabled, r->err) < 0 ||
	    read_cmrs(r, tdx, path) ||
	    read_unsigned(r, tdx, "max_tdmrs", path, UINT_MAX, &config->max_tdmrs) ||
	    read_unsigned(r, tdx, "max_reserved_per_tdmr", path, UINT_MAX, &config->max_reserved_per_tdmr) ||
	    read_pamt_entry_sizes(r, tdx, path))
		return -EINVAL;
	return 0;
}

static int read_epc_item(struct platform_reader *r, struct json_object *item, const char *path,
			 size_t index __attribute__((unused)), void *context __attribute__((unused)))
{
	struct cm_epc_section section = { 0 };

	if (read_object(r, item, path, epc_fields) ||
	    cm_json_field_size(item, "start", CM_JSON_REQUIRED, r->source, path, &section.start, r->err) < 0 ||
	    cm_json_field_size(item, "size", CM_JSON_REQUIRED, r->source, path, &section.size, r->err) < 0 ||
	    read_int(r, item, "node", CM_JSON_REQUIRED, path, 0, CM_MAX_NUMNODES - 1, &section.node))
		return -EINVAL;
	return cm_platform_add_epc(r->platform, &section);
}

static int read_epc(struct platform_reader *r, struct json_object *sgx, const char *sgx_path)
{
	return read_items(r, sgx, "epc", sgx_path, CM_MAX_EPC_SECTIONS, "EPC sections", read_epc_item, NULL);
}

static int read_sgx(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	char path[CM_JSON_PATH_MAX];
	struct json_object *sgx;
	int ret = read_object_member(r, root, "sgx", root_path, sgx_fields, &sgx, path);

	if (ret <= 0)
		return ret;
	return read_epc(r, sgx, path);
}

static int read_hotplug_window(struct platform_reader *r, struct json_object *object, const char *path,
			size_t index __attribute__((unused)), void *context __attribute__((unused)))
{
	struct cm_hotplug_window window = { .convertible = false };

	if (read_object(r, object, path, hotplug_fields) ||
	    cm_json_field_size(object, "start", CM_JSON_REQUIRED, r->source, path, &window.start, r->err) < 0 ||
	    cm_json_field_size(object, "size", CM_JSON_REQUIRED, r->source, path, &window.size, r->err) < 0 ||
	    read_int(r, object, "node", CM_JSON_REQUIRED, path, 0, CM_MAX_NUMNODES - 1, &window.node) ||
	    cm_json_field_bool(object, "convertible", CM_JSON_OPTIONAL, r->source, path, &window.convertible,
			       r->err) < 0)
		return -EINVAL;
	if (cm_platform_add_hotplug(r->platform, &window))
		return out_of_memory(r->err, r->source);
	return 0;
}

static int read_hotplug(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	return read_items(r, root, "hotplug", root_path, 0, NULL, read_hotplug_window, NULL);
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
	if (read_object(r, root, root_path, platform_fields) || read_name(r, root, root_path) ||
	    cm_json_field_size(root, "memory_block_size", CM_JSON_OPTIONAL, r->source, root_path,
			       &r->platform->memory_block_size, r->err) < 0 ||
	    read_nodes(r, root, root_path) || read_distances(r, root, root_path) ||
	    read_e820(r, root, root_path) || read_tdx(r, root, root_path) ||
	    read_sgx(r, root, root_path) || read_hotplug(r, root, root_path))
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
		return out_of_memory(err, source);
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
