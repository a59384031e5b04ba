// SPDX-License-Identifier: MIT
/*
 * The counters an expectation names (docs/scenarios.md): the page
 * engine's totals ("pgdemote_kswapd"), the EPC's, the run's own
 * ("actors_killed"), a node's ("node1.free_pages") and a cgroup's
 * ("cgroup:/a.memory.current"). Each resolver knows one family; the
 * first that knows a name gives its value.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

#define NODE_PREFIX "node"
#define CGROUP_PREFIX "cgroup:"

/* @name's value in *value when @name is a counter of this family. */
typedef bool counter_resolver(const struct cm_sim *sim, const char *name, uint64_t *value);

static bool mm_counter(const struct cm_sim *sim, const char *name, uint64_t *value)
{
	int c = cm_counter_from_name(name);

	if (c < 0)
		return false;
	*value = cm_mm_counter_total(sim->mm, (enum cm_counter)c);
	return true;
}

static bool epc_counter(const struct cm_sim *sim, const char *name, uint64_t *value)
{
	int c = cm_epc_counter_from_name(name);

	if (c < 0 || !sim->epc)
		return false;
	*value = cm_epc_counter_total(sim->epc, (enum cm_epc_counter)c);
	return true;
}

static bool swap_counter(const struct cm_sim *sim, const char *name, uint64_t *value)
{
	if (strcmp(name, "swap_used_pages"))
		return false;
	*value = cm_mm_swap_used(sim->mm);
	return true;
}

static uint64_t count_outcome(const struct cm_sim *sim, enum cm_outcome o)
{
	uint64_t n = 0;

	for (size_t i = 0; i < sim->nr_actors; i++)
		n += sim->actors[i].outcome == o;
	return n;
}

/* A TD guests' figure summed over the TDs: the member of struct cm_sim_td at @offset. */
static uint64_t sum_td(const struct cm_sim *sim, size_t offset)
{
	uint64_t n = 0;

	for (size_t i = 0; i < sim->nr_actors; i++)
		if (sim->actors[i].td)
			n += *(const uint64_t *)((const char *)sim->actors[i].td + offset);
	return n;
}

static bool td_counter(const struct cm_sim *sim, const char *name, uint64_t *value)
{
	const struct {
		const char *name;
		uint64_t value;
	} td_counters[] = {
		{ "td_pages_added", sum_td(sim, offsetof(struct cm_sim_td, pages_added)) },
		{ "td_pages_augmented", sum_td(sim, offsetof(struct cm_sim_td, pages_augmented)) },
		{ "td_refusals", sum_td(sim, offsetof(struct cm_sim_td, refusals)) },
		{ "td_retries", sum_td(sim, offsetof(struct cm_sim_td, retries)) },
		{ "td_splits", sum_td(sim, offsetof(struct cm_sim_td, splits)) },
		{ "td_converted_to_shared", sum_td(sim, offsetof(struct cm_sim_td, converted_to_shared)) },
		{ "td_converted_to_private", sum_td(sim, offsetof(struct cm_sim_td, converted_to_private)) },
		{ "td_keyid_refusals", sim->td_keyid_refusals },
		{ "td_misc_refusals", sim->td_misc_refusals },
		{ "dpamt_pages", sim->dpamt_pages },
		{ "pamt_init_bytes", sim->plan ? sim->plan->pamt_bytes : 0 },
		{ "pamt_bytes", (sim->plan ? sim->plan->pamt_bytes : 0) + sim->dpamt_pages * CM_PAGE_SIZE },
		{ "dpamt_pages_peak", sim->dpamt_pages_peak },
		{ "dpamt_ranges_populated", sim->dpamt_ranges_populated },
		{ "dpamt_ranges_released", sim->dpamt_ranges_released },
	};

	for (size_t i = 0; i < ARRAY_SIZE(td_counters); i++) {
		if (!strcmp(name, td_counters[i].name)) {
			*value = td_counters[i].value;
			return true;
		}
	}
	return false;
}

static bool run_counter(const struct cm_sim *sim, const char *name, uint64_t *value)
{
	const struct {
		const char *name;
		uint64_t value;
	} run_counters[] = {
		{ "hotadd_online_blocks", sim->hotadd_online_blocks },
		{ "hotadd_rejected", sim->hotadd_rejected },
		{ "hotadd_refused_blocks", sim->hotadd_refused_blocks },
		{ "hotadd_devdax_blocks", sim->hotadd_devdax_blocks },
		{ "page_events", sim->page_events },
		{ "offline_blocks", sim->offline_blocks },
		{ "actors_exited", count_outcome(sim, CM_OUTCOME_EXITED) },
		{ "actors_failed", count_outcome(sim, CM_OUTCOME_FAILED) },
		{ "actors_killed", count_outcome(sim, CM_OUTCOME_KILLED) },
		{ "offline_refused", sim->offline_refused },
	};

	for (size_t i = 0; i < ARRAY_SIZE(run_counters); i++) {
		if (!strcmp(name, run_counters[i].name)) {
			*value = run_counters[i].value;
			return true;
		}
	}
	return false;
}

static uint64_t zero_if_negative(int v)
{
	return v < 0 ? 0 : (uint64_t)v;
}

/* "nodeN.COUNTER", "nodeN.free_pages", ... of a node the run has seen. */
static bool node_counter(const struct cm_sim *sim, const char *name, uint64_t *value)
{
	const char *dot = strchr(name, '.'), *what;
	struct cm_mm_node_info info;
	char *end;
	long node;
	int c;

	if (strncmp(name, NODE_PREFIX, strlen(NODE_PREFIX)) || !dot)
		return false;
	node = strtol(name + strlen(NODE_PREFIX), &end, 10);
	if (end != dot || node < 0 || node >= cm_mm_nr_nodes(sim->mm))
		return false;
	cm_mm_node_info(sim->mm, (int)node, &info);
	what = dot + 1;
	c = cm_counter_from_name(what);
	if (c >= 0)
		*value = info.counters[c];
	else if (!strcmp(what, "free_pages"))
		*value = info.free_pages;
	else if (!strcmp(what, "present_pages"))
		*value = info.present_pages;
	else if (!strcmp(what, "used_pages"))
		*value = info.present_pages - info.free_pages;
	else if (!strcmp(what, "nr_demotion_targets"))
		*value = (uint64_t)__builtin_popcountll(cm_mm_tiering(sim->mm)->preferred[node]);
	else if (!strcmp(what, "adistance"))	/* 0 while the node has no memory */
		*value = zero_if_negative(cm_mm_tiering(sim->mm)->adistance[node]);
	else if (!strcmp(what, "memory_tier"))	/* memory_tierN; 0 while the node has no memory */
		*value = zero_if_negative(cm_tiering_tier_id(cm_mm_tiering(sim->mm), node));
	else
		return false;
	return true;
}

/* memory.{current,peak,swap.current,events.max,events.oom,events.oom_kill,stat.NAME} of @memcg. */
static bool memory_value(const struct cm_sim *sim, int memcg, const char *file, uint64_t *value)
{
	struct cm_memcg_info info;
	int stat;

	cm_mm_memcg_info(sim->mm, memcg, &info);
	if (!strncmp(file, "memory.stat.", strlen("memory.stat."))) {
		stat = cm_memcg_stat_from_name(file + strlen("memory.stat."));
		if (stat < 0)
			return false;
		*value = info.stat[stat];
	} else if (!strcmp(file, "memory.current"))
		*value = info.usage_pages * CM_PAGE_SIZE;
	else if (!strcmp(file, "memory.peak"))
		*value = info.peak_pages * CM_PAGE_SIZE;
	else if (!strcmp(file, "memory.swap.current"))
		*value = info.swap_pages * CM_PAGE_SIZE;
	else if (!strcmp(file, "memory.events.max"))
		*value = info.events_max;
	else if (!strcmp(file, "memory.events.oom"))
		*value = info.events_oom;
	else if (!strcmp(file, "memory.events.oom_kill"))
		*value = info.events_oom_kill;
	else
		return false;
	return true;
}

/* misc.sgx_epc.{capacity,current,peak,max,events.max,events.local.max} of @cgroup. */
static bool misc_value(const struct cm_sim *sim, int cgroup, const char *what, uint64_t *value)
{
	struct cm_epc_cgroup_info info;

	cm_epc_cgroup_info(sim->epc, cgroup, &info);
	if (!strcmp(what, "capacity"))
		*value = info.capacity_pages * CM_PAGE_SIZE;
	else if (!strcmp(what, "current"))
		*value = info.current_pages * CM_PAGE_SIZE;
	else if (!strcmp(what, "peak"))
		*value = info.peak_pages * CM_PAGE_SIZE;
	else if (!strcmp(what, "max"))
		*value = info.max_pages == UINT64_MAX ? UINT64_MAX : info.max_pages * CM_PAGE_SIZE;
	else if (!strcmp(what, "events.max"))
		*value = info.events_max;
	else if (!strcmp(what, "events.local.max"))
		*value = info.events_local_max;
	else
		return false;
	return true;
}

/* misc.tdx.{capacity,current,peak,max,events.max,events.local.max} of @cgroup, in KeyIDs. */
static bool misc_tdx_value(const struct cm_sim *sim, int cgroup, const char *what, uint64_t *value)
{
	const struct cm_cgroup_tree *tree = cm_mm_cgroups(sim->mm);
	const struct cm_page_counter *c = &cm_cgroup_get(tree, cgroup)->misc.res[CM_MISC_TDX];

	if (!strcmp(what, "capacity"))
		*value = cm_cgroup_get(tree, 0)->misc.res[CM_MISC_TDX].max;
	else if (!strcmp(what, "current"))
		*value = c->usage;
	else if (!strcmp(what, "peak"))
		*value = c->watermark;
	else if (!strcmp(what, "max"))
		*value = cgroup ? c->max : UINT64_MAX;
	else if (!strcmp(what, "events.max"))
		*value = c->events_max;
	else if (!strcmp(what, "events.local.max"))
		*value = c->failcnt;
	else
		return false;
	return true;
}

/* "cgroup:/a/b.memory.current": the path ends where the file name starts. */
static bool cgroup_counter(const struct cm_sim *sim, const char *name, uint64_t *value)
{
	const char *path_start = name + strlen(CGROUP_PREFIX), *dot = strrchr(name, '.'), *file;
	char path[CM_CGROUP_PATH_MAX];
	int memcg;

	if (strncmp(name, CGROUP_PREFIX, strlen(CGROUP_PREFIX)) || !dot || dot <= path_start)
		return false;
	file = strstr(path_start, ".memory.");
	if (!file)
		file = strstr(path_start, ".misc.sgx_epc.");
	if (!file)
		file = strstr(path_start, ".misc.tdx.");
	if (!file || (size_t)(file - path_start) >= sizeof(path))
		return false;
	memcpy(path, path_start, (size_t)(file - path_start));
	path[file - path_start] = '\0';
	memcg = cm_mm_memcg_find(sim->mm, path);
	if (memcg < 0)
		return false;
	file++;
	if (!strncmp(file, "misc.sgx_epc.", strlen("misc.sgx_epc.")))
		return sim->epc && misc_value(sim, memcg, file + strlen("misc.sgx_epc."), value);
	if (!strncmp(file, "misc.tdx.", strlen("misc.tdx.")))
		return misc_tdx_value(sim, memcg, file + strlen("misc.tdx."), value);
	return memory_value(sim, memcg, file, value);
}

/* In the order they are asked. */
static counter_resolver *const counter_resolvers[] = {
	mm_counter, epc_counter, swap_counter, run_counter, td_counter, node_counter, cgroup_counter,
};

int cm_sim_counter(const struct cm_sim *sim, const char *name, uint64_t *value, struct cm_error *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(counter_resolvers); i++)
		if (counter_resolvers[i](sim, name, value))
			return 0;
	return cm_error_set(err, -EINVAL, "%s: expect: unknown counter \"%s\" (see docs/scenarios.md for the names)",
			    sim->scenario->source, name);
}
