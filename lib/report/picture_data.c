// SPDX-License-Identifier: MIT
/*
 * The data pictures need beyond what the text and JSON show: the e820 map,
 * each node's memory, the hot-add windows and EPC sections beside the
 * plan; the distances between nodes; a simulation's time series and its
 * marks. Each is a picture object (cm_report_add_picture), in neither the
 * text nor the JSON.
 */
#include <inttypes.h>
#include <stdio.h>

#include "confmem/names.h"
#include "report/picture.h"

static void add_range(struct cm_report_item *row, uint64_t start, uint64_t end)
{
	cm_report_add_addr(row, "start", NULL, start);
	cm_report_add_addr(row, "end", NULL, end);
}

static void add_platform_ranges(struct cm_report_item *o, const struct cm_platform *p)
{
	struct cm_report_item *a = cm_report_add_array(o, "e820", NULL);

	for (size_t i = 0; i < p->nr_e820; i++) {
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

		add_range(row, p->e820[i].start, p->e820[i].end);
		cm_report_add_string(row, "type", NULL, cm_e820_type_name(p->e820[i].type));
	}
	a = cm_report_add_array(o, "node_memory", NULL);
	for (size_t i = 0; i < p->nr_nodes; i++)
		for (size_t j = 0; j < p->nodes[i].nr_memory; j++) {
			struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

			add_range(row, p->nodes[i].memory[j].start, p->nodes[i].memory[j].end);
			cm_report_add_int(row, "node", NULL, p->nodes[i].id);
			cm_report_add_string(row, "kind", NULL, cm_node_kind_name(p->nodes[i].kind));
		}
	a = cm_report_add_array(o, "hotplug", NULL);
	for (size_t i = 0; i < p->nr_hotplug; i++) {
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

		add_range(row, p->hotplug[i].start, p->hotplug[i].start + p->hotplug[i].size);
		cm_report_add_int(row, "node", NULL, p->hotplug[i].node);
		cm_report_add_bool(row, "convertible", NULL, p->hotplug[i].convertible);
	}
	a = cm_report_add_array(o, "epc", NULL);
	for (unsigned int i = 0; i < p->sgx.nr_epc; i++) {
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

		add_range(row, p->sgx.epc[i].start, p->sgx.epc[i].start + p->sgx.epc[i].size);
		cm_report_add_int(row, "node", NULL, p->sgx.epc[i].node);
	}
}

void picture_add_address_map(struct cm_report_item *parent, const struct cm_tdx_plan *plan,
			     const struct cm_platform *p)
{
	struct cm_report_item *o = cm_report_add_picture(parent, "address_map");

	if (!o)
		return;
	cm_report_add_string(o, "platform", NULL, p->name);
	cm_report_add_bool(o, "tdx", NULL, p->tdx.enabled && plan->result != CM_TDX_DISABLED);
	cm_report_add_u64(o, "max_tdmrs", NULL, p->tdx.max_tdmrs);
	cm_report_add_u64(o, "max_reserved_per_tdmr", NULL, p->tdx.max_reserved_per_tdmr);
	add_platform_ranges(o, p);
}

void picture_add_numa(struct cm_report_item *parent, const struct cm_platform *p,
		      const struct cm_node_capability *caps, const struct cm_tiering *tiering)
{
	struct cm_report_item *o = cm_report_add_picture(parent, "numa");
	struct cm_report_item *a = cm_report_add_array(o, "nodes", NULL);

	if (!o)
		return;
	cm_report_add_string(o, "model", NULL, tiering ? cm_tiering_model_title(tiering->model) : "");
	for (size_t i = 0; i < p->nr_nodes; i++) {
		const struct cm_node *n = &p->nodes[i];
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);
		struct cm_report_item *d;
		int id = n->id;

		cm_report_add_int(row, "node", NULL, id);
		cm_report_add_string(row, "kind", NULL, cm_node_kind_name(n->kind));
		cm_report_add_u64(row, "nr_cpus", NULL, cm_bitmap_weight(&n->cpus));
		cm_report_add_bytes(row, "memory_bytes", NULL, cm_node_memory_bytes(n));
		cm_report_add_int(row, "crypto_capable", NULL, caps[i].crypto_capable);
		cm_report_add_int(row, "tier", NULL, tiering ? cm_tiering_tier_id(tiering, id) : -1);
		cm_report_add_int(row, "adistance", NULL, tiering ? tiering->adistance[id] : -1);
		cm_report_add_bool(row, "top_tier", NULL, tiering && cm_tiering_is_top_tier(tiering, id));
		cm_report_add_nodemask(row, "preferred", NULL, tiering ? tiering->preferred[id] : 0);
		cm_report_add_nodemask(row, "fallback", NULL, tiering ? tiering->lower_tier[id] : 0);
		d = cm_report_add_array(row, "distance", NULL);
		for (size_t j = 0; j < p->nr_nodes; j++)
			cm_report_add_u64(d, NULL, NULL, cm_platform_distance(p, id, p->nodes[j].id));
	}
}

/* One array of @nr numbers, every @stride-th from @v. */
static void add_column(struct cm_report_item *o, const char *key, const uint64_t *v, size_t nr, size_t stride)
{
	struct cm_report_item *a = cm_report_add_array(o, key, NULL);

	for (size_t i = 0; i < nr; i++)
		cm_report_add_u64(a, NULL, NULL, v[i * stride]);
}

static void add_series_nodes(struct cm_report_item *o, const struct cm_sim *sim)
{
	static const char *const keys[CM_SERIES_NR_NODE] = { "free", "min", "low", "high" };
	const struct cm_sim_series *s = &sim->series;
	struct cm_report_item *a = cm_report_add_array(o, "nodes", NULL);
	size_t stride = (size_t)s->nr_nodes * CM_SERIES_NR_NODE;

	for (int n = 0; n < s->nr_nodes; n++) {
		struct cm_mm_node_info info;
		struct cm_report_item *row;

		if (n >= cm_mm_nr_nodes(sim->mm))
			break;
		cm_mm_node_info(sim->mm, n, &info);
		if (!info.present_pages && !cm_platform_node(sim->scenario->platform, n))
			continue;
		row = cm_report_add_object(a, NULL, NULL);
		cm_report_add_int(row, "node", NULL, n);
		cm_report_add_u64(row, "present_pages", NULL, info.present_pages);
		for (int k = 0; k < CM_SERIES_NR_NODE; k++)
			add_column(row, keys[k], s->nodes + (size_t)n * CM_SERIES_NR_NODE + k, s->nr_samples, stride);
	}
}

static void add_series_cgroups(struct cm_report_item *o, const struct cm_sim *sim)
{
	static const char *const keys[CM_SERIES_NR_CGROUP] = { "memory", "memory_max", "epc", "epc_max" };
	const struct cm_sim_series *s = &sim->series;
	struct cm_report_item *a = cm_report_add_array(o, "cgroups", NULL);
	size_t stride = s->nr_cgroups * CM_SERIES_NR_CGROUP;

	cm_report_add_bool(o, "epc", NULL, sim->epc);
	for (size_t i = 0; i < s->nr_cgroups; i++) {
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);
		struct cm_memcg_info info;

		cm_mm_memcg_info(sim->mm, (int)i, &info);
		cm_report_add_string(row, "path", NULL, info.path);
		for (int k = 0; k < CM_SERIES_NR_CGROUP; k++)
			add_column(row, keys[k], s->cgroups + i * CM_SERIES_NR_CGROUP + k, s->nr_samples, stride);
	}
}

/* Marks: the scenario's events at their time, and actors killed or failed when they ended. */
static void add_marks(struct cm_report_item *o, const struct cm_sim *sim)
{
	const struct cm_scenario *sc = sim->scenario;
	struct cm_report_item *a = cm_report_add_array(o, "marks", NULL);
	char label[160];

	for (size_t i = 0; i < sc->nr_events; i++) {
		const struct cm_scenario_event *e = &sc->events[i];
		struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

		if (e->kind == CM_EVENT_CGROUP_WRITE)
			snprintf(label, sizeof(label), "%s %s", e->cgroup, e->file);
		else if (e->kind == CM_EVENT_SET)
			snprintf(label, sizeof(label), "%s=%s", e->key, e->knob_value);
		else if (e->kind == CM_EVENT_HOTADD || e->kind == CM_EVENT_OFFLINE)
			snprintf(label, sizeof(label), "[0x%" PRIx64 ", 0x%" PRIx64 ")", e->hotplug.start,
				 e->hotplug.start + e->hotplug.size);
		else
			snprintf(label, sizeof(label), "%s", e->actor);
		cm_report_add_u64(row, "t_ms", NULL, e->at_ms);
		cm_report_add_string(row, "kind", NULL, cm_event_kind_name(e->kind));
		cm_report_add_string(row, "label", NULL, label);
	}
	for (size_t i = 0; i < sim->nr_actors; i++) {
		const struct cm_sim_actor *act = &sim->actors[i];
		struct cm_report_item *row;

		if (act->outcome != CM_OUTCOME_KILLED && act->outcome != CM_OUTCOME_FAILED)
			continue;
		row = cm_report_add_object(a, NULL, NULL);
		cm_report_add_u64(row, "t_ms", NULL, act->ended_ms);
		cm_report_add_string(row, "kind", NULL, cm_outcome_name(act->outcome));
		snprintf(label, sizeof(label), "%s: %s", act->def->name, act->reason);
		cm_report_add_string(row, "label", NULL, label);
	}
}

void picture_add_series(struct cm_report_item *parent, const struct cm_sim *sim)
{
	const struct cm_sim_series *s = &sim->series;
	struct cm_report_item *o = cm_report_add_picture(parent, "series");
	struct cm_report_item *totals;

	if (!o)
		return;
	cm_report_add_u64(o, "interval_ms", NULL, s->interval_ms);
	cm_report_add_u64(o, "duration_ms", NULL, sim->scenario->duration_ms);
	cm_report_add_string(o, "scenario", NULL, sim->scenario->source);
	add_column(o, "t_ms", s->t_ms, s->nr_samples, 1);
	add_series_nodes(o, sim);
	totals = cm_report_add_object(o, "totals", NULL);
	for (int k = 0; k < CM_SERIES_NR_TOTALS; k++)
		add_column(totals, cm_sim_series_total_name((enum cm_sim_series_total)k), s->totals + k, s->nr_samples,
			   CM_SERIES_NR_TOTALS);
	add_series_cgroups(o, sim);
	if (s->has_td) {
		static const char *const keys[CM_SERIES_NR_TD] = { "private", "refusals", "dpamt" };
		struct cm_report_item *td = cm_report_add_object(o, "td", NULL);

		for (int k = 0; k < CM_SERIES_NR_TD; k++)
			add_column(td, keys[k], s->td + k, s->nr_samples, CM_SERIES_NR_TD);
	}
	add_marks(o, sim);
}
