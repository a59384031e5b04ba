// SPDX-License-Identifier: MIT
/*
 * The platform as JSON (--dump-platform): the document json.c reads back
 * into the same platform. Sizes and addresses are hex strings; small leaf
 * objects print on one line.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <json-c/printbuf.h>

#include "confmem/platform.h"

/* Building the dump; any failed allocation marks it failed. */
struct json_dump {
	bool failed;
};

static struct json_object *checked(struct json_dump *d, struct json_object *value)
{
	if (!value)
		d->failed = true;
	return value;
}

static void add_member(struct json_dump *d, struct json_object *object, const char *key,
		       struct json_object *value)
{
	if (!object || !value || json_object_object_add(object, key, value)) {
		json_object_put(value);
		d->failed = true;
	}
}

static void append_item(struct json_dump *d, struct json_object *array, struct json_object *value)
{
	if (!array || !value || json_object_array_add(array, value)) {
		json_object_put(value);
		d->failed = true;
	}
}

static struct json_object *new_hex(struct json_dump *d, uint64_t value)
{
	char text[24];

	snprintf(text, sizeof(text), "0x%" PRIx64, value);
	return checked(d, json_object_new_string(text));
}

/*
 * Small leaf objects and arrays (a range, a row of distances) print on one
 * line inside the pretty-printed document: { "start": "0x0", "size": "0x1000" }.
 */
static int print_one_line(struct json_object *jso, struct printbuf *pb, int level, int flags)
{
	bool is_array = json_object_is_type(jso, json_type_array);
	struct json_object_iterator it, end;
	size_t i = 0;

	(void)level;
	flags &= ~JSON_C_TO_STRING_PRETTY;
	if (is_array && json_object_array_length(jso) == 0)
		return printbuf_memappend(pb, "[ ]", 3) < 0 ? -1 : 0;
	if (printbuf_memappend(pb, is_array ? "[ " : "{ ", 2) < 0)
		return -1;
	if (is_array) {
		for (i = 0; i < json_object_array_length(jso); i++) {
			const char *item = json_object_to_json_string_ext(json_object_array_get_idx(jso, i), flags);

			if (!item || sprintbuf(pb, "%s%s", i ? ", " : "", item) < 0)
				return -1;
		}
		return printbuf_memappend(pb, " ]", 2) < 0 ? -1 : 0;
	}
	it = json_object_iter_begin(jso);
	end = json_object_iter_end(jso);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it), i++) {
		const char *item = json_object_to_json_string_ext(json_object_iter_peek_value(&it), flags);

		if (!item || sprintbuf(pb, "%s\"%s\": %s", i ? ", " : "", json_object_iter_peek_name(&it), item) < 0)
			return -1;
	}
	return printbuf_memappend(pb, " }", 2) < 0 ? -1 : 0;
}

static struct json_object *new_one_line(struct json_dump *d, struct json_object *value)
{
	if (checked(d, value))
		json_object_set_serializer(value, print_one_line, NULL, NULL);
	return value;
}

/* An empty list prints as "[ ]" rather than across two lines. */
static struct json_object *finish_list(struct json_object *array)
{
	if (array && json_object_array_length(array) == 0)
		json_object_set_serializer(array, print_one_line, NULL, NULL);
	return array;
}

/* {start, size} or {start, end}. */
enum range_form { RANGE_START_SIZE, RANGE_START_END };

static struct json_object *range_to_json(struct json_dump *d, uint64_t start, uint64_t end,
					 enum range_form form)
{
	struct json_object *range = new_one_line(d, json_object_new_object());

	add_member(d, range, "start", new_hex(d, start));
	if (form == RANGE_START_SIZE)
		add_member(d, range, "size", new_hex(d, end - start));
	else
		add_member(d, range, "end", new_hex(d, end));
	return range;
}

static struct json_object *cpus_to_json(struct json_dump *d, const struct cm_bitmap *cpus)
{
	size_t len = cm_bitmap_format_list(cpus, NULL, 0);
	struct json_object *value;
	char *text = malloc(len + 1);

	if (!text) {
		d->failed = true;
		return NULL;
	}
	cm_bitmap_format_list(cpus, text, len + 1);
	value = checked(d, json_object_new_string(text));
	free(text);
	return value;
}

static struct json_object *hmat_to_json(struct json_dump *d, const struct cm_hmat *hmat)
{
	struct json_object *object = new_one_line(d, json_object_new_object());

	add_member(d, object, "read_latency_ns", checked(d, json_object_new_int64(hmat->read_latency_ns)));
	add_member(d, object, "write_latency_ns", checked(d, json_object_new_int64(hmat->write_latency_ns)));
	add_member(d, object, "read_bandwidth_mbps",
		   checked(d, json_object_new_int64(hmat->read_bandwidth_mbps)));
	add_member(d, object, "write_bandwidth_mbps",
		   checked(d, json_object_new_int64(hmat->write_bandwidth_mbps)));
	return object;
}

static struct json_object *node_to_json(struct json_dump *d, const struct cm_node *node)
{
	struct json_object *object = checked(d, json_object_new_object());
	struct json_object *memory = checked(d, json_object_new_array());

	add_member(d, object, "id", checked(d, json_object_new_int(node->id)));
	add_member(d, object, "cpus", cpus_to_json(d, &node->cpus));
	if (node->package >= 0)
		add_member(d, object, "package", checked(d, json_object_new_int(node->package)));
	add_member(d, object, "kind", checked(d, json_object_new_string(cm_node_kind_name(node->kind))));
	for (size_t i = 0; i < node->nr_memory; i++)
		append_item(d, memory, range_to_json(d, node->memory[i].start, node->memory[i].end,
						     RANGE_START_SIZE));
	add_member(d, object, "memory", finish_list(memory));
	if (node->hmat.present)
		add_member(d, object, "hmat", hmat_to_json(d, &node->hmat));
	if (node->adistance >= 0)
		add_member(d, object, "adistance", checked(d, json_object_new_int(node->adistance)));
	return object;
}

static struct json_object *distances_to_json(struct json_dump *d, const struct cm_platform *p)
{
	struct json_object *rows = checked(d, json_object_new_array());

	for (size_t i = 0; i < p->nr_nodes; i++) {
		struct json_object *row = new_one_line(d, json_object_new_array());

		for (size_t j = 0; j < p->nr_nodes; j++)
			append_item(d, row, checked(d, json_object_new_int64(p->distance[i * p->nr_nodes + j])));
		append_item(d, rows, row);
	}
	return rows;
}

static struct json_object *e820_entry_to_json(struct json_dump *d, const struct cm_e820_entry *e)
{
	struct json_object *object = range_to_json(d, e->start, e->end, RANGE_START_END);

	add_member(d, object, "type", checked(d, json_object_new_string(cm_e820_type_name(e->type))));
	return object;
}

static struct json_object *tdx_to_json(struct json_dump *d, const struct cm_tdx_config *tdx)
{
	struct json_object *object = checked(d, json_object_new_object());
	struct json_object *cmrs = checked(d, json_object_new_array());
	struct json_object *pamt = new_one_line(d, json_object_new_object());

	add_member(d, object, "enabled", checked(d, json_object_new_boolean(tdx->enabled)));
	for (unsigned int i = 0; i < tdx->nr_cmrs; i++)
		append_item(d, cmrs, range_to_json(d, tdx->cmrs[i].start, tdx->cmrs[i].end, RANGE_START_SIZE));
	add_member(d, object, "cmrs", finish_list(cmrs));
	add_member(d, object, "max_tdmrs", checked(d, json_object_new_int64(tdx->max_tdmrs)));
	add_member(d, object, "max_reserved_per_tdmr",
		   checked(d, json_object_new_int64(tdx->max_reserved_per_tdmr)));
	for (int level = 0; level < CM_PAMT_NR_LEVELS; level++)
		add_member(d, pamt, cm_pamt_level_name((enum cm_pamt_level)level),
			   checked(d, json_object_new_int64(tdx->pamt_entry_size[level])));
	add_member(d, object, "pamt_entry_size", pamt);
	add_member(d, object, "pamt_bitmap_entry_bits", checked(d, json_object_new_int64(tdx->pamt_bitmap_entry_bits)));
	add_member(d, object, "phys_addr_bits", checked(d, json_object_new_int64(tdx->phys_addr_bits)));
	if (tdx->module_version[0])
		add_member(d, object, "module_version", checked(d, json_object_new_string(tdx->module_version)));
	if (tdx->keyid_start != CM_TDX_DEFAULT_KEYID_START || tdx->nr_keyids != CM_TDX_DEFAULT_NR_KEYIDS) {
		struct json_object *keyids = new_one_line(d, json_object_new_object());

		add_member(d, keyids, "start", checked(d, json_object_new_int64(tdx->keyid_start)));
		add_member(d, keyids, "end", checked(d, json_object_new_int64(tdx->keyid_start + tdx->nr_keyids)));
		add_member(d, object, "keyids", keyids);
	}
	if (tdx->kernel != CM_KERNEL_AUTO)
		add_member(d, object, "kernel", checked(d, json_object_new_string(cm_tdx_kernel_name(tdx->kernel))));
	return object;
}

static struct json_object *sgx_to_json(struct json_dump *d, const struct cm_sgx_config *sgx)
{
	struct json_object *object = checked(d, json_object_new_object());
	struct json_object *epc = checked(d, json_object_new_array());

	for (unsigned int i = 0; i < sgx->nr_epc; i++) {
		struct json_object *section = range_to_json(d, sgx->epc[i].start,
							    sgx->epc[i].start + sgx->epc[i].size, RANGE_START_SIZE);

		add_member(d, section, "node", checked(d, json_object_new_int(sgx->epc[i].node)));
		append_item(d, epc, section);
	}
	add_member(d, object, "epc", finish_list(epc));
	return object;
}

static struct json_object *hotplug_window_to_json(struct json_dump *d, const struct cm_hotplug_window *w)
{
	struct json_object *object = range_to_json(d, w->start, w->start + w->size, RANGE_START_SIZE);

	add_member(d, object, "node", checked(d, json_object_new_int(w->node)));
	add_member(d, object, "convertible", checked(d, json_object_new_boolean(w->convertible)));
	return object;
}

static struct json_object *platform_to_json(struct json_dump *d, const struct cm_platform *p)
{
	struct json_object *root = checked(d, json_object_new_object());
	struct json_object *nodes = checked(d, json_object_new_array());
	struct json_object *e820 = checked(d, json_object_new_array());
	struct json_object *hotplug = checked(d, json_object_new_array());

	add_member(d, root, "name", checked(d, json_object_new_string(p->name)));
	add_member(d, root, "memory_block_size", new_hex(d, p->memory_block_size));
	for (size_t i = 0; i < p->nr_nodes; i++)
		append_item(d, nodes, node_to_json(d, &p->nodes[i]));
	add_member(d, root, "nodes", finish_list(nodes));
	if (p->distance)
		add_member(d, root, "distances", distances_to_json(d, p));
	for (size_t i = 0; i < p->nr_e820; i++)
		append_item(d, e820, e820_entry_to_json(d, &p->e820[i]));
	add_member(d, root, "e820", finish_list(e820));
	add_member(d, root, "tdx", tdx_to_json(d, &p->tdx));
	add_member(d, root, "sgx", sgx_to_json(d, &p->sgx));
	for (size_t i = 0; i < p->nr_hotplug; i++)
		append_item(d, hotplug, hotplug_window_to_json(d, &p->hotplug[i]));
	add_member(d, root, "hotplug", finish_list(hotplug));
	return root;
}

char *cm_platform_to_json_string(const struct cm_platform *p)
{
	struct json_dump dump = { .failed = false };
	struct json_object *root = platform_to_json(&dump, p);
	const char *text = NULL;
	char *copy = NULL;

	if (!dump.failed)
		text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text)
		copy = strdup(text);
	json_object_put(root);
	return copy;
}
