// SPDX-License-Identifier: MIT
/*
 * The counters an expectation names (docs/scenarios.md): the page
 * engine's totals ("pgdemote_kswapd"), the EPC's, the run's own
 * ("actors_killed"), a node's ("node1.free_pages") and a cgroup's
 * ("cgroup:/a.memory.current"). Each resolver knows one family; the
 * first that knows a name gives its value. Every name is in a table here
 * or beside its subsystem's enum (vmstat, memory.stat, the EPC's), and
 * cm_sim_counter_names() lists them all from those tables.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

#define NODE_PREFIX "node"
#define CGROUP_PREFIX "cgroup:"
/* The placeholders of listed names: a node's number, a cgroup's path, a vmstat name. */
#define NODE_PATTERN NODE_PREFIX "N."
#define CGROUP_PATTERN CGROUP_PREFIX "PATH."
#define VMSTAT_PATTERN "VMSTAT"

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

#define SWAP_COUNTER "swap_used_pages"

static bool swap_counter(const struct cm_sim *sim, const char *name, uint64_t *value)
{
	if (strcmp(name, SWAP_COUNTER))
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

enum td_counter {
	TD_PAGES_ADDED, TD_PAGES_AUGMENTED, TD_REFUSALS, TD_RETRIES, TD_SPLITS, TD_CONVERTED_TO_SHARED,
	TD_CONVERTED_TO_PRIVATE, TD_KEYID_REFUSALS, TD_MISC_REFUSALS, DPAMT_PAGES, PAMT_INIT_BYTES, PAMT_BYTES,
	DPAMT_PAGES_PEAK, DPAMT_RANGES_POPULATED, DPAMT_RANGES_RELEASED, NR_TD_COUNTERS
};

static const char *const td_counter_names[NR_TD_COUNTERS] = {
	[TD_PAGES_ADDED] = "td_pages_added",
	[TD_PAGES_AUGMENTED] = "td_pages_augmented",
	[TD_REFUSALS] = "td_refusals",
	[TD_RETRIES] = "td_retries",
	[TD_SPLITS] = "td_splits",
	[TD_CONVERTED_TO_SHARED] = "td_converted_to_shared",
	[TD_CONVERTED_TO_PRIVATE] = "td_converted_to_private",
	[TD_KEYID_REFUSALS] = "td_keyid_refusals",
	[TD_MISC_REFUSALS] = "td_misc_refusals",
	[DPAMT_PAGES] = "dpamt_pages",
	[PAMT_INIT_BYTES] = "pamt_init_bytes",
	[PAMT_BYTES] = "pamt_bytes",
	[DPAMT_PAGES_PEAK] = "dpamt_pages_peak",
	[DPAMT_RANGES_POPULATED] = "dpamt_ranges_populated",
	[DPAMT_RANGES_RELEASED] = "dpamt_ranges_released",
};

static uint64_t td_counter_value(const struct cm_sim *sim, enum td_counter c)
{
	uint64_t pamt_init_bytes = sim->plan ? sim->plan->pamt_bytes : 0;

	switch (c) {
	case TD_PAGES_ADDED: return sum_td(sim, offsetof(struct cm_sim_td, pages_added));
	case TD_PAGES_AUGMENTED: return sum_td(sim, offsetof(struct cm_sim_td, pages_augmented));
	case TD_REFUSALS: return sum_td(sim, offsetof(struct cm_sim_td, refusals));
	case TD_RETRIES: return sum_td(sim, offsetof(struct cm_sim_td, retries));
	case TD_SPLITS: return sum_td(sim, offsetof(struct cm_sim_td, splits));
	case TD_CONVERTED_TO_SHARED: return sum_td(sim, offsetof(struct cm_sim_td, converted_to_shared));
	case TD_CONVERTED_TO_PRIVATE: return sum_td(sim, offsetof(struct cm_sim_td, converted_to_private));
	case TD_KEYID_REFUSALS: return sim->td_keyid_refusals;
	case TD_MISC_REFUSALS: return sim->td_misc_refusals;
	case DPAMT_PAGES: return sim->dpamt_pages;
	case PAMT_INIT_BYTES: return pamt_init_bytes;
	case PAMT_BYTES: return pamt_init_bytes + sim->dpamt_pages * CM_PAGE_SIZE;
	case DPAMT_PAGES_PEAK: return sim->dpamt_pages_peak;
	case DPAMT_RANGES_POPULATED: return sim->dpamt_ranges_populated;
	case DPAMT_RANGES_RELEASED: return sim->dpamt_ranges_released;
	case NR_TD_COUNTERS: break;
	}
	return 0;
}

static bool td_counter(const struct cm_sim *sim, const char *name, uint64_t *value)
{
	int c = cm_name_find(td_counter_names, NR_TD_COUNTERS, name);

	if (c < 0)
		return false;
	*value = td_counter_value(sim, (enum td_counter)c);
	return true;
}

enum run_counter {
	HOTADD_ONLINE_BLOCKS, HOTADD_REJECTED, HOTADD_REFUSED_BLOCKS, HOTADD_DEVDAX_BLOCKS, PAGE_EVENTS,
	OFFLINE_BLOCKS, ACTORS_EXITED, ACTORS_FAILED, ACTORS_KILLED, OFFLINE_REFUSED, NR_RUN_COUNTERS
};

static const char *const run_counter_names[NR_RUN_COUNTERS] = {
	[HOTADD_ONLINE_BLOCKS] = "hotadd_online_blocks",
	[HOTADD_REJECTED] = "hotadd_rejected",
	[HOTADD_REFUSED_BLOCKS] = "hotadd_refused_blocks",
	[HOTADD_DEVDAX_BLOCKS] = "hotadd_devdax_blocks",
	[PAGE_EVENTS] = "page_events",
	[OFFLINE_BLOCKS] = "offline_blocks",
	[ACTORS_EXITED] = "actors_exited",
	[ACTORS_FAILED] = "actors_failed",
	[ACTORS_KILLED] = "actors_killed",
	[OFFLINE_REFUSED] = "offline_refused",
};

static uint64_t run_counter_value(const struct cm_sim *sim, enum run_counter c)
{
	switch (c) {
	case HOTADD_ONLINE_BLOCKS: return sim->hotadd_online_blocks;
	case HOTADD_REJECTED: return sim->hotadd_rejected;
	case HOTADD_REFUSED_BLOCKS: return sim->hotadd_refused_blocks;
	case HOTADD_DEVDAX_BLOCKS: return sim->hotadd_devdax_blocks;
	case PAGE_EVENTS: return sim->page_events;
	case OFFLINE_BLOCKS: return sim->offline_blocks;
	case ACTORS_EXITED: return count_outcome(sim, CM_OUTCOME_EXITED);
	case ACTORS_FAILED: return count_outcome(sim, CM_OUTCOME_FAILED);
	case ACTORS_KILLED: return count_outcome(sim, CM_OUTCOME_KILLED);
	case OFFLINE_REFUSED: return sim->offline_refused;
	case NR_RUN_COUNTERS: break;
	}
	return 0;
}

static bool run_counter(const struct cm_sim *sim, const char *name, uint64_t *value)
{
	int c = cm_name_find(run_counter_names, NR_RUN_COUNTERS, name);

	if (c < 0)
		return false;
	*value = run_counter_value(sim, (enum run_counter)c);
	return true;
}

static uint64_t zero_if_negative(int v)
{
	return v < 0 ? 0 : (uint64_t)v;
}

/* A node's own figures besides its vmstat counters. */
enum node_field {
	NODE_FREE_PAGES, NODE_PRESENT_PAGES, NODE_USED_PAGES, NODE_NR_DEMOTION_TARGETS, NODE_ADISTANCE,
	NODE_MEMORY_TIER, NR_NODE_FIELDS
};

static const char *const node_field_names[NR_NODE_FIELDS] = {
	[NODE_FREE_PAGES] = "free_pages",
	[NODE_PRESENT_PAGES] = "present_pages",
	[NODE_USED_PAGES] = "used_pages",
	[NODE_NR_DEMOTION_TARGETS] = "nr_demotion_targets",
	[NODE_ADISTANCE] = "adistance",
	[NODE_MEMORY_TIER] = "memory_tier",
};

static uint64_t node_field_value(const struct cm_sim *sim, int node, const struct cm_mm_node_info *info,
				 enum node_field f)
{
	switch (f) {
	case NODE_FREE_PAGES: return info->free_pages;
	case NODE_PRESENT_PAGES: return info->present_pages;
	case NODE_USED_PAGES: return info->present_pages - info->free_pages;
	case NODE_NR_DEMOTION_TARGETS: return (uint64_t)__builtin_popcountll(cm_mm_tiering(sim->mm)->preferred[node]);
	/* 0 while the node has no memory */
	case NODE_ADISTANCE: return zero_if_negative(cm_mm_tiering(sim->mm)->adistance[node]);
	/* memory_tierN; 0 while the node has no memory */
	case NODE_MEMORY_TIER: return zero_if_negative(cm_tiering_tier_id(cm_mm_tiering(sim->mm), node));
	case NR_NODE_FIELDS: break;
	}
	return 0;
}

/* "nodeN.COUNTER", "nodeN.free_pages", ... of a node the run has seen. */
static bool node_counter(const struct cm_sim *sim, const char *name, uint64_t *value)
{
	const char *dot = strchr(name, '.');
	struct cm_mm_node_info info;
	char *end;
	long node;
	int c, f;

	if (strncmp(name, NODE_PREFIX, strlen(NODE_PREFIX)) || !dot)
		return false;
	node = strtol(name + strlen(NODE_PREFIX), &end, 10);
	if (end != dot || node < 0 || node >= cm_mm_nr_nodes(sim->mm))
		return false;
	cm_mm_node_info(sim->mm, (int)node, &info);
	c = cm_counter_from_name(dot + 1);
	f = cm_name_find(node_field_names, NR_NODE_FIELDS, dot + 1);
	if (c >= 0)
		*value = info.counters[c];
	else if (f >= 0)
		*value = node_field_value(sim, (int)node, &info, (enum node_field)f);
	else
		return false;
	return true;
}

/* A memory cgroup's files besides memory.stat. */
enum memory_file {
	MEMORY_CURRENT, MEMORY_PEAK, MEMORY_SWAP_CURRENT, MEMORY_EVENTS_MAX, MEMORY_EVENTS_OOM,
	MEMORY_EVENTS_OOM_KILL, NR_MEMORY_FILES
};

static const char *const memory_file_names[NR_MEMORY_FILES] = {
	[MEMORY_CURRENT] = "memory.current",
	[MEMORY_PEAK] = "memory.peak",
	[MEMORY_SWAP_CURRENT] = "memory.swap.current",
	[MEMORY_EVENTS_MAX] = "memory.events.max",
	[MEMORY_EVENTS_OOM] = "memory.events.oom",
	[MEMORY_EVENTS_OOM_KILL] = "memory.events.oom_kill",
};

#define MEMORY_STAT_PREFIX "memory.stat."

/* memory.{current,peak,swap.current,events.max,events.oom,events.oom_kill,stat.NAME} of @memcg. */
static bool memory_value(const struct cm_sim *sim, int memcg, const char *file, uint64_t *value)
{
	struct cm_memcg_info info;
	int stat = -1, f = cm_name_find(memory_file_names, NR_MEMORY_FILES, file);

	if (!strncmp(file, MEMORY_STAT_PREFIX, strlen(MEMORY_STAT_PREFIX)))
		stat = cm_memcg_stat_from_name(file + strlen(MEMORY_STAT_PREFIX));
	if (stat < 0 && f < 0)
		return false;
	cm_mm_memcg_info(sim->mm, memcg, &info);
	if (stat >= 0) {
		*value = info.stat[stat];
		return true;
	}
	switch ((enum memory_file)f) {
	case MEMORY_CURRENT: *value = info.usage_pages * CM_PAGE_SIZE; break;
	case MEMORY_PEAK: *value = info.peak_pages * CM_PAGE_SIZE; break;
	case MEMORY_SWAP_CURRENT: *value = info.swap_pages * CM_PAGE_SIZE; break;
	case MEMORY_EVENTS_MAX: *value = info.events_max; break;
	case MEMORY_EVENTS_OOM: *value = info.events_oom; break;
	case MEMORY_EVENTS_OOM_KILL: *value = info.events_oom_kill; break;
	case NR_MEMORY_FILES: return false;
	}
	return true;
}

/* The files of a misc cgroup resource: misc.capacity, misc.current, ... for one resource. */
enum misc_file { MISC_CAPACITY, MISC_CURRENT, MISC_PEAK, MISC_MAX, MISC_EVENTS_MAX, MISC_EVENTS_LOCAL_MAX,
		 NR_MISC_FILES };

static const char *const misc_file_names[NR_MISC_FILES] = {
	[MISC_CAPACITY] = "capacity",
	[MISC_CURRENT] = "current",
	[MISC_PEAK] = "peak",
	[MISC_MAX] = "max",
	[MISC_EVENTS_MAX] = "events.max",
	[MISC_EVENTS_LOCAL_MAX] = "events.local.max",
};

#define MISC_SGX_EPC_PREFIX "misc.sgx_epc."
#define MISC_TDX_PREFIX "misc.tdx."

/* misc.sgx_epc.FILE of @cgroup, in bytes except the events. */
static bool misc_value(const struct cm_sim *sim, int cgroup, const char *what, uint64_t *value)
{
	struct cm_epc_cgroup_info info;
	int f = cm_name_find(misc_file_names, NR_MISC_FILES, what);

	if (f < 0)
		return false;
	cm_epc_cgroup_info(sim->epc, cgroup, &info);
	switch ((enum misc_file)f) {
	case MISC_CAPACITY: *value = info.capacity_pages * CM_PAGE_SIZE; break;
	case MISC_CURRENT: *value = info.current_pages * CM_PAGE_SIZE; break;
	case MISC_PEAK: *value = info.peak_pages * CM_PAGE_SIZE; break;
	case MISC_MAX: *value = info.max_pages == UINT64_MAX ? UINT64_MAX : info.max_pages * CM_PAGE_SIZE; break;
	case MISC_EVENTS_MAX: *value = info.events_max; break;
	case MISC_EVENTS_LOCAL_MAX: *value = info.events_local_max; break;
	case NR_MISC_FILES: return false;
	}
	return true;
}

/* misc.tdx.FILE of @cgroup, in KeyIDs. */
static bool misc_tdx_value(const struct cm_sim *sim, int cgroup, const char *what, uint64_t *value)
{
	const struct cm_cgroup_tree *tree = cm_mm_cgroups(sim->mm);
	const struct cm_page_counter *c = &cm_cgroup_get(tree, cgroup)->misc.res[CM_MISC_TDX];
	int f = cm_name_find(misc_file_names, NR_MISC_FILES, what);

	if (f < 0)
		return false;
	switch ((enum misc_file)f) {
	case MISC_CAPACITY: *value = cm_cgroup_get(tree, 0)->misc.res[CM_MISC_TDX].max; break;
	case MISC_CURRENT: *value = c->usage; break;
	case MISC_PEAK: *value = c->watermark; break;
	case MISC_MAX: *value = cgroup ? c->max : UINT64_MAX; break;
	case MISC_EVENTS_MAX: *value = c->events_max; break;
	case MISC_EVENTS_LOCAL_MAX: *value = c->failcnt; break;
	case NR_MISC_FILES: return false;
	}
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
		file = strstr(path_start, "." MISC_SGX_EPC_PREFIX);
	if (!file)
		file = strstr(path_start, "." MISC_TDX_PREFIX);
	if (!file || (size_t)(file - path_start) >= sizeof(path))
		return false;
	memcpy(path, path_start, (size_t)(file - path_start));
	path[file - path_start] = '\0';
	memcg = cm_mm_memcg_find(sim->mm, path);
	if (memcg < 0)
		return false;
	file++;
	if (!strncmp(file, MISC_SGX_EPC_PREFIX, strlen(MISC_SGX_EPC_PREFIX)))
		return sim->epc && misc_value(sim, memcg, file + strlen(MISC_SGX_EPC_PREFIX), value);
	if (!strncmp(file, MISC_TDX_PREFIX, strlen(MISC_TDX_PREFIX)))
		return misc_tdx_value(sim, memcg, file + strlen(MISC_TDX_PREFIX), value);
	return memory_value(sim, memcg, file, value);
}

/* In the order they are asked. */
static counter_resolver *const counter_resolvers[] = {
	mm_counter, epc_counter, swap_counter, run_counter, td_counter, node_counter, cgroup_counter,
};

static const char *vmstat_name(size_t i)
{
	return cm_counter_name((enum cm_counter)i);
}

static const char *epc_name(size_t i)
{
	return cm_epc_counter_name((enum cm_epc_counter)i);
}

static const char *memcg_stat_name(size_t i)
{
	return cm_memcg_stat_name((enum cm_memcg_stat)i);
}

static const char *const swap_counter_names[] = { SWAP_COUNTER };
static const char *const vmstat_pattern_names[] = { VMSTAT_PATTERN };

/* Names listed together: @prefix and each of a table of this file or of a subsystem's (through @name_of). */
struct counter_name_group {
	const char *prefix;
	const char *const *names;
	const char *(*name_of)(size_t i);
	size_t nr;
};

#define GROUP_OF_TABLE(prefix, table) { prefix, table, NULL, ARRAY_SIZE(table) }
#define GROUP_OF_ACCESSOR(prefix, name_of, nr) { prefix, NULL, name_of, nr }

/* Every counter name, in the order of docs/scenarios.md. */
static const struct counter_name_group counter_name_groups[] = {
	GROUP_OF_ACCESSOR("", vmstat_name, CM_NR_COUNTERS),
	GROUP_OF_TABLE("", swap_counter_names),
	GROUP_OF_TABLE("", run_counter_names),
	GROUP_OF_TABLE("", td_counter_names),
	GROUP_OF_ACCESSOR("", epc_name, CM_EPC_NR_COUNTERS),
	GROUP_OF_TABLE(NODE_PATTERN, vmstat_pattern_names),
	GROUP_OF_TABLE(NODE_PATTERN, node_field_names),
	GROUP_OF_TABLE(CGROUP_PATTERN, memory_file_names),
	GROUP_OF_ACCESSOR(CGROUP_PATTERN MEMORY_STAT_PREFIX, memcg_stat_name, CM_NR_MEMCG_STATS),
	GROUP_OF_TABLE(CGROUP_PATTERN MISC_SGX_EPC_PREFIX, misc_file_names),
	GROUP_OF_TABLE(CGROUP_PATTERN MISC_TDX_PREFIX, misc_file_names),
};

/* Called with each listed name; true stops the walk. */
typedef bool counter_name_fn(const char *name, void *ctx);

static bool each_counter_name(counter_name_fn *fn, void *ctx)
{
	char name[128];

	for (size_t g = 0; g < ARRAY_SIZE(counter_name_groups); g++) {
		const struct counter_name_group *group = &counter_name_groups[g];

		for (size_t i = 0; i < group->nr; i++) {
			snprintf(name, sizeof(name), "%s%s", group->prefix,
				 group->names ? group->names[i] : group->name_of(i));
			if (fn(name, ctx))
				return true;
		}
	}
	return false;
}

struct name_list {
	char *buf;
	size_t len, used;
};

static bool append_name(const char *name, void *ctx)
{
	struct name_list *l = ctx;
	size_t room = l->used < l->len ? l->len - l->used : 0;
	int n = snprintf(room ? l->buf + l->used : NULL, room, "%s%s", l->used ? ", " : "", name);

	l->used += n > 0 ? (size_t)n : 0;
	return false;
}

size_t cm_sim_counter_names(char *buf, size_t len)
{
	struct name_list l = { buf, len, 0 };

	if (len)
		buf[0] = '\0';
	each_counter_name(append_name, &l);
	return l.used;
}

/* Does @name fit the listed @pattern ("pgalloc", "nodeN.VMSTAT", "cgroup:PATH.memory.current")? */
static bool fits_pattern(const char *name, void *ctx)
{
	const char *pattern = name, *given = ctx, *file;
	size_t len = strlen(given), file_len;

	if (!strncmp(pattern, NODE_PATTERN, strlen(NODE_PATTERN))) {
		if (strncmp(given, NODE_PREFIX, strlen(NODE_PREFIX)))
			return false;
		given += strlen(NODE_PREFIX);
		if (!isdigit((unsigned char)*given))
			return false;
		while (isdigit((unsigned char)*given))
			given++;
		if (*given++ != '.')
			return false;
		pattern += strlen(NODE_PATTERN);
		return strcmp(pattern, VMSTAT_PATTERN) ? !strcmp(given, pattern) : cm_counter_from_name(given) >= 0;
	}
	if (!strncmp(pattern, CGROUP_PATTERN, strlen(CGROUP_PATTERN))) {
		file = pattern + strlen(CGROUP_PATTERN) - 1;	/* ".memory.current" */
		file_len = strlen(file);
		return !strncmp(given, CGROUP_PREFIX "/", strlen(CGROUP_PREFIX) + 1) &&
		       len > strlen(CGROUP_PREFIX) + file_len && !strcmp(given + len - file_len, file);
	}
	return !strcmp(given, pattern);
}

int cm_sim_counter(const struct cm_sim *sim, const char *name, uint64_t *value, struct cm_error *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(counter_resolvers); i++)
		if (counter_resolvers[i](sim, name, value))
			return 0;
	if (!each_counter_name(fits_pattern, (void *)name))
		return cm_error_set(err, -ENOENT, "unknown counter \"%s\"", name);
	/* A listed name that does not resolve: its node, cgroup or EPC is not in this run. */
	if (!strncmp(name, NODE_PREFIX, strlen(NODE_PREFIX)))
		return cm_error_set(err, -EINVAL, "counter \"%s\": no such node in this run (nodes 0-%d)", name,
				    cm_mm_nr_nodes(sim->mm) - 1);
	if (!strncmp(name, CGROUP_PREFIX, strlen(CGROUP_PREFIX)) && (sim->epc || !strstr(name, "." MISC_SGX_EPC_PREFIX)))
		return cm_error_set(err, -EINVAL, "counter \"%s\": no such cgroup in this run (the root \"/\" and "
				    "those of $.cgroups)", name);
	return cm_error_set(err, -EINVAL, "counter \"%s\": the platform has no EPC", name);
}
