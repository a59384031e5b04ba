// SPDX-License-Identifier: MIT
/*
 * sim --json: counters (kernel names, totals), nodes, cgroups, actors,
 * events, expectations. Deterministic: nothing depends on wall time.
 */
#include <inttypes.h>
#include <stdio.h>

#include "confmem/report.h"
#include "confmem/sim.h"

static const char *const lru_names[CM_NR_LRU] = {
	"inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable",
};

static struct json_object *counters_object(const uint64_t *counters)
{
	struct json_object *o = json_object_new_object();

	for (int c = 0; c < CM_NR_COUNTERS; c++)
		json_object_object_add(o, cm_counter_name((enum cm_counter)c), json_object_new_uint64(counters[c]));
	return o;
}

static struct json_object *nodes_array(const struct cm_sim *sim, enum cm_json_style style)
{
	const struct cm_tiering *t = cm_mm_tiering(sim->mm);
	struct json_object *a = json_object_new_array();

	for (int n = 0; n < cm_mm_nr_nodes(sim->mm); n++) {
		struct cm_mm_node_info info;
		struct json_object *o, *w, *lru;

		cm_mm_node_info(sim->mm, n, &info);
		if (!info.present_pages && !cm_platform_node(sim->scenario->platform, n))
			continue;
		o = json_object_new_object();
		w = json_object_new_object();
		lru = json_object_new_object();
		json_object_object_add(o, "node", json_object_new_int(n));
		json_object_object_add(o, "online", json_object_new_boolean(info.online));
		cm_json_add_size(o, "memory_bytes", info.present_pages * CM_PAGE_SIZE, style);
		json_object_object_add(o, "present_pages", json_object_new_uint64(info.present_pages));
		json_object_object_add(o, "free_pages", json_object_new_uint64(info.free_pages));
		json_object_object_add(o, "used_pages", json_object_new_uint64(info.present_pages - info.free_pages));
		json_object_object_add(w, "min", json_object_new_uint64(info.wmark.min));
		json_object_object_add(w, "low", json_object_new_uint64(info.wmark.low));
		json_object_object_add(w, "high", json_object_new_uint64(info.wmark.high));
		json_object_object_add(o, "watermarks", w);
		for (int l = 0; l < CM_NR_LRU; l++)
			json_object_object_add(lru, lru_names[l], json_object_new_uint64(info.lru_pages[l]));
		json_object_object_add(o, "lru_pages", lru);
		json_object_object_add(o, "demotion_targets", cm_json_nodemask(t->preferred[n]));
		json_object_object_add(o, "fallback_targets", cm_json_nodemask(t->lower_tier[n]));
		json_object_object_add(o, "counters", counters_object(info.counters));
		json_object_array_add(a, o);
	}
	return a;
}

static void add_limit(struct json_object *o, const char *key, uint64_t pages, enum cm_json_style style)
{
	if (pages == UINT64_MAX)
		json_object_object_add(o, key, json_object_new_string("max"));
	else
		cm_json_add_size(o, key, pages * CM_PAGE_SIZE, style);
}

static struct json_object *cgroups_array(const struct cm_sim *sim, enum cm_json_style style)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < cm_mm_nr_memcgs(sim->mm); i++) {
		struct cm_memcg_info info;
		struct json_object *o = json_object_new_object(), *mem = json_object_new_object();
		struct json_object *events = json_object_new_object();

		cm_mm_memcg_info(sim->mm, (int)i, &info);
		json_object_object_add(o, "path", json_object_new_string(info.path));
		cm_json_add_size(mem, "current", info.usage_pages * CM_PAGE_SIZE, style);
		cm_json_add_size(mem, "peak", info.peak_pages * CM_PAGE_SIZE, style);
		add_limit(mem, "max", info.max_pages, style);
		cm_json_add_size(mem, "swap_current", info.swap_pages * CM_PAGE_SIZE, style);
		add_limit(mem, "swap_max", info.swap_max_pages, style);
		json_object_object_add(events, "max", json_object_new_uint64(info.events_max));
		json_object_object_add(events, "oom", json_object_new_uint64(info.events_oom));
		json_object_object_add(events, "oom_kill", json_object_new_uint64(info.events_oom_kill));
		json_object_object_add(mem, "events", events);
		json_object_object_add(o, "memory", mem);
		if (sim->epc) {
			struct cm_epc_cgroup_info mi;
			struct json_object *misc = json_object_new_object(), *epc = json_object_new_object();
			struct json_object *ev = json_object_new_object(), *evl = json_object_new_object();

			cm_epc_cgroup_info(sim->epc, (int)i, &mi);
			if (i == 0)
				cm_json_add_size(epc, "capacity", mi.capacity_pages * CM_PAGE_SIZE, style);
			add_limit(epc, "max", mi.max_pages, style);
			cm_json_add_size(epc, "current", mi.current_pages * CM_PAGE_SIZE, style);
			cm_json_add_size(epc, "peak", mi.peak_pages * CM_PAGE_SIZE, style);
			json_object_object_add(ev, "max", json_object_new_uint64(mi.events_max));
			json_object_object_add(evl, "max", json_object_new_uint64(mi.events_local_max));
			json_object_object_add(epc, "events", ev);
			json_object_object_add(epc, "events_local", evl);
			json_object_object_add(misc, "sgx_epc", epc);
			json_object_object_add(o, "misc", misc);
		}
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *actors_array(const struct cm_sim *sim, enum cm_json_style style)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < sim->nr_actors; i++) {
		const struct cm_sim_actor *act = &sim->actors[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(act->def->name));
		json_object_object_add(o, "kind", json_object_new_string(cm_actor_kind_name(act->def->kind)));
		json_object_object_add(o, "outcome", json_object_new_string(cm_outcome_name(act->outcome)));
		if (act->reason[0])
			json_object_object_add(o, "reason", json_object_new_string(act->reason));
		json_object_object_add(o, "cgroup", json_object_new_string(act->def->cgroup));
		json_object_object_add(o, "touches", json_object_new_uint64(act->touches));
		cm_json_add_size(o, "resident_bytes", act->resident_pages * CM_PAGE_SIZE, style);
		cm_json_add_size(o, "swapped_bytes", act->swapped_pages * CM_PAGE_SIZE, style);
		json_object_array_add(a, o);
	}
	return a;
}

struct json_object *cm_json_sim(const struct cm_sim *sim, enum cm_json_style style)
{
	struct json_object *o = json_object_new_object(), *counters = json_object_new_object();
	struct json_object *events = json_object_new_array(), *expects = json_object_new_array();
	struct json_object *swap = json_object_new_object();

	json_object_object_add(o, "status", json_object_new_string(sim->expects_passed ? "ok" : "failed"));
	json_object_object_add(o, "seed", json_object_new_uint64(sim->seed));
	json_object_object_add(o, "duration_ms", json_object_new_uint64(sim->scenario->duration_ms));
	json_object_object_add(o, "page_events", json_object_new_uint64(sim->page_events));
	for (int c = 0; c < CM_NR_COUNTERS; c++)
		json_object_object_add(counters, cm_counter_name((enum cm_counter)c),
				       json_object_new_uint64(cm_mm_counter_total(sim->mm, (enum cm_counter)c)));
	json_object_object_add(o, "counters", counters);
	cm_json_add_size(swap, "total_bytes", cm_mm_swap_total(sim->mm) * CM_PAGE_SIZE, style);
	cm_json_add_size(swap, "used_bytes", cm_mm_swap_used(sim->mm) * CM_PAGE_SIZE, style);
	json_object_object_add(o, "swap", swap);
	{
		struct json_object *h = json_object_new_object();

		json_object_object_add(h, "online_blocks", json_object_new_uint64(sim->hotadd_online_blocks));
		json_object_object_add(h, "rejected", json_object_new_uint64(sim->hotadd_rejected));
		json_object_object_add(h, "refused_blocks", json_object_new_uint64(sim->hotadd_refused_blocks));
		json_object_object_add(h, "devdax_blocks", json_object_new_uint64(sim->hotadd_devdax_blocks));
		json_object_object_add(h, "offline_blocks", json_object_new_uint64(sim->offline_blocks));
		json_object_object_add(h, "offline_refused", json_object_new_uint64(sim->offline_refused));
		json_object_object_add(o, "hotplug", h);
	}
	if (sim->epc) {
		struct json_object *sgx = json_object_new_object(), *c = json_object_new_object();

		cm_json_add_size(sgx, "epc_bytes", cm_epc_total_pages(sim->epc) * CM_PAGE_SIZE, style);
		cm_json_add_size(sgx, "epc_free_bytes", cm_epc_free_pages(sim->epc) * CM_PAGE_SIZE, style);
		for (int k = 0; k < CM_EPC_NR_COUNTERS; k++)
			json_object_object_add(c, cm_epc_counter_name((enum cm_epc_counter)k),
					       json_object_new_uint64(cm_epc_counter_total(sim->epc, (enum cm_epc_counter)k)));
		json_object_object_add(sgx, "counters", c);
		json_object_object_add(o, "sgx", sgx);
	}
	json_object_object_add(o, "nodes", nodes_array(sim, style));
	json_object_object_add(o, "cgroups", cgroups_array(sim, style));
	json_object_object_add(o, "actors", actors_array(sim, style));
	for (size_t i = 0; i < sim->events.nr_lines; i++)
		json_object_array_add(events, json_object_new_string(sim->events.lines[i].text));
	json_object_object_add(o, "events", events);
	for (size_t i = 0; i < sim->nr_expects; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "expect", json_object_new_string(sim->expects[i].def->text));
		json_object_object_add(e, "passed", json_object_new_boolean(sim->expects[i].passed));
		json_object_object_add(e, "actual", json_object_new_string(sim->expects[i].detail));
		json_object_array_add(expects, e);
	}
	json_object_object_add(o, "expect", expects);
	return o;
}
