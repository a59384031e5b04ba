// SPDX-License-Identifier: MIT
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report/model.h"

static struct json_object *addr_json(uint64_t v, enum cm_json_style style)
{
	char buf[32];

	if (style != CM_JSON_HUMAN)
		return json_object_new_uint64(v);
	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_object_new_string(buf);
}

static struct json_object *size_json(uint64_t v, enum cm_json_style style)
{
	char iec[32], buf[80];

	if (style != CM_JSON_HUMAN)
		return json_object_new_uint64(v);
	cm_format_human_size(v, iec, sizeof(iec));
	if (v >= 1000)
		snprintf(buf, sizeof(buf), "%s (%.2f %s)", iec,
			 v >= 1000000000000ULL ? (double)v / 1e12 : v >= 1000000000ULL ? (double)v / 1e9 :
			 v >= 1000000ULL ? (double)v / 1e6 : (double)v / 1e3,
			 v >= 1000000000000ULL ? "TB" : v >= 1000000000ULL ? "GB" : v >= 1000000ULL ? "MB" : "kB");
	else
		snprintf(buf, sizeof(buf), "%s", iec);
	return json_object_new_string(buf);
}

void cm_json_add_addr(struct json_object *o, const char *key, uint64_t v, enum cm_json_style style)
{
	json_object_object_add(o, key, addr_json(v, style));
}

void cm_json_add_size(struct json_object *o, const char *key, uint64_t v, enum cm_json_style style)
{
	json_object_object_add(o, key, size_json(v, style));
}

static struct json_object *range_object(uint64_t start, uint64_t size, const char *start_key,
					enum cm_json_style style)
{
	struct json_object *o = json_object_new_object();

	cm_json_add_addr(o, start_key, start, style);
	cm_json_add_size(o, "size", size, style);
	return o;
}

static struct json_object *log_array(const struct cm_log *log)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < log->nr_lines; i++)
		json_object_array_add(a, json_object_new_string(log->lines[i].text));
	return a;
}

static struct json_object *tdmr_object(const struct cm_tdmr *t, enum cm_json_style style)
{
	static const char *const keys[CM_PAMT_NR_LEVELS] = { "pamt_4k", "pamt_2m", "pamt_1g" };
	struct json_object *o = json_object_new_object(), *rsvd = json_object_new_array();

	cm_json_add_addr(o, "base", t->base, style);
	cm_json_add_size(o, "size", t->size, style);
	if (t->pamt_node >= 0)
		json_object_object_add(o, "node", json_object_new_int(t->pamt_node));
	for (int l = 0; l < CM_PAMT_NR_LEVELS; l++)
		json_object_object_add(o, keys[l], range_object(t->pamt_base[l], t->pamt_size[l], "base", style));
	for (unsigned int j = 0; j < t->nr_reserved; j++)
		json_object_array_add(rsvd, range_object(t->reserved[j].offset, t->reserved[j].size, "offset", style));
	json_object_object_add(o, "reserved", rsvd);
	json_object_object_add(o, "nr_reserved", json_object_new_int((int)t->nr_reserved));
	return o;
}

static struct json_object *memblock_array(const struct cm_tdx_memblock *m, size_t nr, enum cm_json_style style)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < nr; i++) {
		struct json_object *o = range_object(m[i].start, m[i].end - m[i].start, "start", style);

		json_object_object_add(o, "node", json_object_new_int(m[i].node));
		json_object_array_add(a, o);
	}
	return a;
}

struct json_object *cm_json_plan(const struct cm_tdx_plan *plan, enum cm_json_style style)
{
	struct json_object *o = json_object_new_object(), *a;

	json_object_object_add(o, "status", json_object_new_string(plan->status ? "error" : "ok"));
	if (plan->status) {
		json_object_object_add(o, "error", json_object_new_string(plan->error));
		json_object_object_add(o, "errno", json_object_new_int(plan->status));
	}
	json_object_object_add(o, "result", json_object_new_string(cm_tdx_result_name(plan->result)));
	json_object_object_add(o, "holes", json_object_new_string(cm_tdx_holes_name(plan->options.holes)));
	json_object_object_add(o, "mixed", json_object_new_string(cm_tdx_mixed_name(plan->options.mixed)));
	json_object_object_add(o, "nr_tdmrs", json_object_new_int64((int64_t)plan->nr_tdmrs));
	json_object_object_add(o, "pamt_kb", json_object_new_uint64(plan->pamt_bytes / 1024));
	a = json_object_new_array();
	for (size_t i = 0; i < plan->nr_tdmrs; i++)
		json_object_array_add(a, tdmr_object(&plan->tdmrs[i], style));
	json_object_object_add(o, "tdmrs", a);
	a = json_object_new_array();
	for (unsigned int i = 0; i < plan->nr_cmrs; i++)
		json_object_array_add(a, range_object(plan->cmrs[i].start, cm_range_size(&plan->cmrs[i]), "base", style));
	json_object_object_add(o, "cmrs", a);
	json_object_object_add(o, "tdx_memory", memblock_array(plan->memlist, plan->nr_memlist, style));
	if (plan->nr_excluded)
		json_object_object_add(o, "excluded", memblock_array(plan->excluded, plan->nr_excluded, style));
	if (plan->config_detail[0]) {
		char buf[32];

		snprintf(buf, sizeof(buf), "0x%016" PRIx64, plan->config_status);
		json_object_object_add(o, "config_status", json_object_new_string(buf));
		json_object_object_add(o, "config_detail", json_object_new_string(plan->config_detail));
	}
	if (plan->result == CM_TDX_INITIALIZED) {
		json_object_object_add(o, "nr_key_config_calls", json_object_new_int((int)plan->nr_key_config_calls));
		json_object_object_add(o, "nr_tdmr_init_calls", json_object_new_uint64(plan->nr_tdmr_init_calls));
	}
	json_object_object_add(o, "log", log_array(&plan->log));
	if (plan->advice.nr_lines)
		json_object_object_add(o, "advice", log_array(&plan->advice));
	return o;
}

struct json_object *cm_json_nodemask(cm_nodemask_t m)
{
	struct json_object *a = json_object_new_array();

	for (int n = 0; n < CM_MAX_NUMNODES; n++)
		if (cm_node_isset(m, n))
			json_object_array_add(a, json_object_new_int(n));
	return a;
}

struct json_object *cm_json_nodes(const struct cm_platform *p, const struct cm_node_capability *caps,
				  const struct cm_tiering *tiering, enum cm_json_style style)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < p->nr_nodes; i++) {
		const struct cm_node *n = &p->nodes[i];
		struct json_object *o = json_object_new_object();
		char cpus[4096];

		cm_bitmap_format_list(&n->cpus, cpus, sizeof(cpus));
		json_object_object_add(o, "node", json_object_new_int(n->id));
		json_object_object_add(o, "cpus", json_object_new_string(cpus));
		json_object_object_add(o, "kind", json_object_new_string(cm_node_kind_name(n->kind)));
		cm_json_add_size(o, "memory_bytes", cm_node_memory_bytes(n), style);
		json_object_object_add(o, "crypto_capable", json_object_new_int(caps[i].crypto_capable));
		json_object_object_add(o, "tdx_memory", json_object_new_boolean(caps[i].tdx_memory));
		cm_json_add_size(o, "tdx_memory_bytes", caps[i].tdx_memory_bytes, style);
		cm_json_add_size(o, "pamt_bytes", caps[i].pamt_bytes, style);
		json_object_object_add(o, "demotion_targets", cm_json_nodemask(tiering ? tiering->preferred[n->id] : 0));
		json_object_object_add(o, "fallback_targets", cm_json_nodemask(tiering ? tiering->lower_tier[n->id] : 0));
		if (tiering && cm_tiering_tier_id(tiering, n->id) >= 0) {
			json_object_object_add(o, "tier", json_object_new_int(cm_tiering_tier_id(tiering, n->id)));
			json_object_object_add(o, "adistance", json_object_new_int(tiering->adistance[n->id]));
			json_object_object_add(o, "top_tier", json_object_new_boolean(cm_tiering_is_top_tier(tiering,
													     n->id)));
		}
		json_object_array_add(a, o);
	}
	return a;
}

struct cm_report_item *cm_report_add_hotplug(struct cm_report_item *parent, const char *key,
					     const struct cm_hotplug_verdict *v, const struct cm_hotplug_request *req)
{
	struct cm_report_item *o = cm_report_add_object(parent, key, NULL);

	cm_report_add_addr(o, "start", NULL, req->start);
	cm_report_add_bytes(o, "size", NULL, req->size);
	cm_report_add_string(o, "mode", NULL, cm_hotplug_mode_name(req->mode));
	cm_report_add_string(o, "outcome", NULL, cm_hotplug_outcome_name(v->outcome));
	cm_report_add_bool(o, "accepted", NULL, v->status == 0);
	cm_report_add_int(o, "errno", NULL, v->status);
	cm_report_add_int(o, "node", NULL, v->node);
	cm_report_add_bool(o, "new_node", NULL, v->node_is_new);
	cm_report_add_u64(o, "nr_blocks", NULL, v->nr_blocks);
	cm_report_add_u64(o, "nr_blocks_failed", NULL, v->nr_blocks_failed);
	cm_report_add_bool(o, "tdx_memory", NULL, v->tdx_memory);
	cm_report_add_int(o, "crypto_capable_before", NULL, v->node_was_capable);
	cm_report_add_int(o, "crypto_capable_after", NULL, v->node_capable_after);
	cm_report_add_string(o, "summary", "%s\n", v->summary);
	cm_report_add_log(o, "log", &v->log, NULL);
	return o;
}

/* The JSON renderer of the report model: ndctl's numbers, -u's strings. */
static struct json_object *item_json(const struct cm_report_item *item, enum cm_json_style style);

static bool in_json_order(const struct cm_report_item *object, const char *key)
{
	for (char **k = object->json_order; k && *k; k++)
		if (!strcmp(*k, key))
			return true;
	return false;
}

/* An object's members: those its JSON order names first, then the rest. */
static struct json_object *object_json(const struct cm_report_item *item, enum cm_json_style style)
{
	struct json_object *o = json_object_new_object();
	const struct cm_report_item *child;

	for (char **k = item->json_order; k && *k; k++)
		for (child = item->first; child; child = child->next)
			if (cm_report_item_in_json(child) && !strcmp(child->key, *k))
				json_object_object_add(o, child->key, item_json(child, style));
	for (child = item->first; child; child = child->next)
		if (cm_report_item_in_json(child) && !in_json_order(item, child->key))
			json_object_object_add(o, child->key, item_json(child, style));
	return o;
}

static struct json_object *array_json(const struct cm_report_item *item, enum cm_json_style style)
{
	struct json_object *a = json_object_new_array();

	for (const struct cm_report_item *child = item->first; child; child = child->next)
		if (cm_report_item_in_json(child))
			json_object_array_add(a, item_json(child, style));
	return a;
}

static struct json_object *item_json(const struct cm_report_item *item, enum cm_json_style style)
{
	switch (item->type) {
	case CM_REPORT_OBJECT:
		return object_json(item, style);
	case CM_REPORT_ARRAY:
		return array_json(item, style);
	case CM_REPORT_U64:
		return json_object_new_uint64(item->v.u64);
	case CM_REPORT_INT:
		return json_object_new_int(item->v.i);
	case CM_REPORT_STRING:
		return json_object_new_string(item->v.s);
	case CM_REPORT_BOOL:
		return json_object_new_boolean(item->v.b);
	case CM_REPORT_NODEMASK:
		return cm_json_nodemask(item->v.mask);
	case CM_REPORT_LOG:
		return log_array(&item->log);
	case CM_REPORT_BYTES:
		return size_json(item->v.u64, style);
	case CM_REPORT_ADDR:
		return addr_json(item->v.u64, style);
	case CM_REPORT_PERCENT:
		return json_object_new_double(cm_report_percent(item));
	default:
		return NULL;
	}
}

static int json_render(const struct cm_report *r, const struct cm_report_style *style, FILE *f)
{
	const struct cm_report_item *top = NULL;
	struct json_object *o;

	for (const struct cm_report_item *child = r->document.first; child; child = child->next)
		if (cm_report_item_in_json(child))
			top = child;
	if (!top)
		return -EINVAL;
	o = item_json(top, style->json);
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return ferror(f) ? -EIO : 0;
}

const struct cm_report_renderer_operations cm_report_json_ops = {
	.name = "json",
	.render = json_render,
};
