// SPDX-License-Identifier: MIT
/* The "nodes" and "distances" of the platform JSON. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "platform/json_internal.h"

static const char *const node_fields[] = { "id", "cpus", "package", "kind", "memory", "hmat", "adistance", NULL };

static const char *const hmat_fields[] = {
	"read_latency_ns", "write_latency_ns", "read_bandwidth_mbps", "write_bandwidth_mbps", NULL
};

static const char *kind_name_of(int i)
{
	return cm_node_kind_name((enum cm_node_kind)i);
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
	pj_list_names(what, sizeof(what), kind_name_of, CM_NODE_NR_KINDS);
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
	struct cm_error reason = { 0 };
	const char *text = "";
	struct json_object *value;
	int ret = cm_json_field_string(object, "cpus", CM_JSON_OPTIONAL, r->source, path, &text, r->err);

	if (ret <= 0)
		return ret;
	if (!cm_bitmap_parse_list(&node->cpus, text, &reason))
		return 0;
	json_object_object_get_ex(object, "cpus", &value);
	cm_json_describe(value, found, sizeof(found));
	cm_json_path_key(child, sizeof(child), path, "cpus");
	return cm_json_error(r->err, r->source, child, "expected a CPU list like \"0-15,32\" (\"\" for none), "
			     "found %s: %s", found, reason.msg);
}

static int read_memory_item(struct platform_reader *r, struct json_object *item, const char *path, size_t index,
			    void *context)
{
	struct cm_node *node = context;
	uint64_t start, end;

	(void)index;
	if (pj_read_object(r, item, path, pj_range_fields) || pj_read_range(r, item, path, &start, &end))
		return -EINVAL;
	if (cm_node_add_memory(node, start, end))
		return pj_out_of_memory(r->err, r->source);
	return 0;
}

static int read_node_memory(struct platform_reader *r, struct json_object *object, const char *path,
			    struct cm_node *node)
{
	return pj_read_items(r, object, "memory", path, 0, NULL, read_memory_item, node);
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
	int ret = pj_read_object_member(r, object, "hmat", path, hmat_fields, &value, child);

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

/* "package": the physical package (socket) of the node's CPUs; a memory-only node has none. */
static int read_package(struct platform_reader *r, struct json_object *object, const char *path,
			struct cm_node *node)
{
	char child[CM_JSON_PATH_MAX];

	if (pj_read_int(r, object, "package", CM_JSON_OPTIONAL, path, 0, CM_MAX_PACKAGE, &node->package))
		return -EINVAL;
	if (node->package < 0 || cm_node_has_cpus(node))
		return 0;
	cm_json_path_key(child, sizeof(child), path, "package");
	return cm_json_error(r->err, r->source, child, "a package is the socket of a node's CPUs, "
			     "found package %d on a node without CPUs (leave it out)", node->package);
}

static int read_node(struct platform_reader *r, struct json_object *object, const char *path,
		     size_t index __attribute__((unused)), void *context __attribute__((unused)))
{
	enum cm_node_kind kind = CM_NODE_DRAM;
	struct cm_node *node;
	int id = 0, adistance = -1;

	if (pj_read_object(r, object, path, node_fields) ||
	    pj_read_int(r, object, "id", CM_JSON_REQUIRED, path, 0, CM_MAX_NUMNODES - 1, &id) ||
	    read_kind(r, object, path, &kind) ||
	    pj_read_int(r, object, "adistance", CM_JSON_OPTIONAL, path, 0, 65535, &adistance))
		return -EINVAL;
	node = cm_platform_add_node(r->platform, id, kind);
	if (!node)
		return pj_out_of_memory(r->err, r->source);
	node->adistance = adistance;
	if (read_cpus(r, object, path, node) || read_package(r, object, path, node) ||
	    read_node_memory(r, object, path, node) ||
	    read_hmat(r, object, path, &node->hmat))
		return -EINVAL;
	return 0;
}

int pj_read_nodes(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	return pj_read_items(r, root, "nodes", root_path, CM_MAX_NUMNODES, "nodes", read_node, NULL);
}

/* The SLIT matrix: one row per node, one entry per node, in node order. */
int pj_read_distances(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	char array_path[CM_JSON_PATH_MAX], row_path[CM_JSON_PATH_MAX], item_path[CM_JSON_PATH_MAX];
	size_t nr_nodes = r->platform->nr_nodes, nr_rows;
	struct json_object *array;
	int ret = pj_read_array_member(r, root, "distances", root_path, &array, &nr_rows);

	if (ret <= 0)
		return ret;
	cm_json_path_key(array_path, sizeof(array_path), root_path, "distances");
	if (nr_rows != nr_nodes)
		return cm_json_error(r->err, r->source, array_path, "expected %zu rows (one per node), found %zu",
				     nr_nodes, nr_rows);
	r->platform->distance = malloc((nr_nodes ? nr_nodes * nr_nodes : 1) * sizeof(unsigned int));
	if (!r->platform->distance)
		return pj_out_of_memory(r->err, r->source);
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
