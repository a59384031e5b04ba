// SPDX-License-Identifier: MIT
/*
 * A scenario's "actors": the fields every actor has, the fields of each
 * kind, and the names that events and expectations refer to.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "scenario_internal.h"

#define SCENARIO_RUN_MAX_MS SCENARIO_DURATION_MAX_MS

static int read_actor_name(struct scenario_reader *r, struct json_object *object, const char *path,
			   struct cm_scenario_actor *actor)
{
	char child[CM_JSON_PATH_MAX];
	const char *name;
	size_t len;

	if (cm_json_field_string(object, "name", CM_JSON_REQUIRED, r->source, path, &name, r->err) < 0)
		return -EINVAL;
	len = strlen(name);
	if (len == 0 || len >= CM_NAME_MAX || strspn(name, NAME_CHARACTERS) != len) {
		cm_json_path_key(child, sizeof(child), path, "name");
		return scenario_expected(r, child, "a name of 1..63 characters [A-Za-z0-9_.-]",
					 json_object_object_get(object, "name"));
	}
	memcpy(actor->name, name, len + 1);
	return 0;
}

/* "process, enclave, vepc": the kinds that are simulated. */
static void format_simulated_kinds(char *buf, size_t len)
{
	const char *names[CM_NR_ACTOR_KINDS + 1] = { NULL };
	size_t nr = 0;

	for (int kind = 0; kind < CM_NR_ACTOR_KINDS; kind++)
		if (actor_kind((enum cm_actor_kind)kind)->ops)
			names[nr++] = actor_kind((enum cm_actor_kind)kind)->name;
	scenario_format_names(names, buf, len);
}

static int read_actor_kind(struct scenario_reader *r, struct json_object *object, const char *path,
			   struct cm_scenario_actor *actor)
{
	const char *names[CM_NR_ACTOR_KINDS + 1] = { NULL };
	char child[CM_JSON_PATH_MAX], simulated[128];
	int kind = CM_ACTOR_PROCESS;

	for (int k = 0; k < CM_NR_ACTOR_KINDS; k++)
		names[k] = cm_actor_kind_name((enum cm_actor_kind)k);
	if (scenario_read_choice(r, object, "kind", CM_JSON_OPTIONAL, path, names, &kind) < 0)
		return -EINVAL;
	if (!actor_kind((enum cm_actor_kind)kind)->ops) {
		cm_json_path_key(child, sizeof(child), path, "kind");
		format_simulated_kinds(simulated, sizeof(simulated));
		return cm_json_error(r->err, r->source, child, "\"%s\" is not simulated yet (supported: %s)",
				     names[kind], simulated);
	}
	actor->kind = (enum cm_actor_kind)kind;
	return 0;
}

/* Is @key a member of some kind of actor that is simulated? */
static bool is_actor_field(const char *key)
{
	for (int kind = 0; kind < CM_NR_ACTOR_KINDS; kind++) {
		const struct cm_actor_operations *ops = actor_kind((enum cm_actor_kind)kind)->ops;

		if (ops && scenario_name_index(ops->fields, key) >= 0)
			return true;
	}
	return false;
}

/*
 * The members of an actor of a simulated kind: a field of another kind is
 * "not for" this one, anything else is an unknown field.
 */
static int check_actor_fields(struct scenario_reader *r, struct json_object *object, const char *path,
			      enum cm_actor_kind kind)
{
	const char *const *known = actor_kind(kind)->ops->fields;
	char child[CM_JSON_PATH_MAX], list[256];

	json_object_object_foreach(object, key, value) {
		(void)value;
		if (scenario_name_index(known, key) >= 0)
			continue;
		if (!is_actor_field(key))
			return cm_json_check_fields(object, known, r->source, path, r->err);
		cm_json_path_key(child, sizeof(child), path, key);
		scenario_format_names(known, list, sizeof(list));
		return cm_json_error(r->err, r->source, child, "not for %s (known fields: %s)",
				     actor_kind(kind)->article, list);
	}
	return 0;
}

static int read_actor_node(struct scenario_reader *r, struct json_object *object, const char *path,
			   struct cm_scenario_actor *actor)
{
	const struct cm_platform *p = r->scenario->platform;
	char child[CM_JSON_PATH_MAX], nodes[256];
	int64_t node = CM_NUMA_NO_NODE;

	if (cm_json_field_int(object, "node", CM_JSON_OPTIONAL, r->source, path, CM_NUMA_NO_NODE,
			      CM_MAX_NUMNODES - 1, &node, r->err) < 0)
		return -EINVAL;
	cm_json_path_key(child, sizeof(child), path, "node");
	if (node != CM_NUMA_NO_NODE && !scenario_node_exists(p, node))
		return scenario_node_does_not_exist(r, child, node);
	if (node != CM_NUMA_NO_NODE && !cm_node_has_cpus(cm_platform_node(p, (int)node))) {
		cm_nodemask_format(scenario_platform_cpu_nodes(p), nodes, sizeof(nodes));
		return cm_json_error(r->err, r->source, child,
				     "node %" PRId64 " has no CPUs to run on (nodes with CPUs: %s)", node, nodes);
	}
	actor->cpu_node = (int)node;
	return 0;
}

static int read_start(struct scenario_reader *r, struct json_object *object, const char *path,
		      struct cm_scenario_actor *actor)
{
	char child[CM_JSON_PATH_MAX];
	struct json_object *value;
	int ret;

	actor->start_ms = 0;
	ret = cm_json_member(object, "start_ms", CM_JSON_OPTIONAL, r->source, path, &value, r->err);
	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, "start_ms");
	if (json_object_is_type(value, json_type_string) && !strcmp(json_object_get_string(value), "never")) {
		actor->start_ms = SCENARIO_NEVER;
		return 0;
	}
	if (cm_json_uint(value, r->source, child, UINT64_MAX, &actor->start_ms, NULL))
		return scenario_expected(r, child, "a time in ms (a non-negative integer) or \"never\"", value);
	return scenario_check_within_run(r, child, actor->start_ms);
}

/* An actor of a kind that touches its memory, with no access rate: not an error, but say what follows. */
static int warn_without_access(struct scenario_reader *r, const char *path, const struct cm_scenario_actor *actor)
{
	const char *consequence = actor_kind(actor->kind)->ops->without_access;

	if (consequence && !actor->access.pages_per_ms)
		cm_log_add(&r->scenario->warnings, CM_LOG_WARN, "%s: no access rate (\"access\": {\"rate\": N} is "
			   "absent or 0): %s", path, consequence);
	return 0;
}

static int read_actor(struct scenario_reader *r, struct json_object *object, const char *path,
		      struct cm_scenario_actor *actor)
{
	if (cm_json_object(object, r->source, path, r->err) || read_actor_kind(r, object, path, actor) ||
	    check_actor_fields(r, object, path, actor->kind) || read_actor_name(r, object, path, actor) ||
	    scenario_read_cgroup_name(r, object, path, SCENARIO_ROOT_ALLOWED, actor->cgroup, sizeof(actor->cgroup)) ||
	    read_actor_node(r, object, path, actor) || read_start(r, object, path, actor) < 0 ||
	    cm_json_field_uint(object, "run_ms", CM_JSON_OPTIONAL, r->source, path, SCENARIO_RUN_MAX_MS,
			       &actor->run_ms, r->err) < 0)
		return -EINVAL;
	return actor_kind(actor->kind)->ops->read(r, object, path, actor) ?: warn_without_access(r, path, actor);
}

static int compare_actor_names(const void *a, const void *b)
{
	const struct actor_name *x = a, *y = b;
	int order = strcmp(x->name, y->name);

	if (order)
		return order;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Index the actors by name and refuse a name used twice. */
static int index_actors(struct scenario_reader *r)
{
	struct cm_scenario *s = r->scenario;
	char path[CM_JSON_PATH_MAX], other[CM_JSON_PATH_MAX];

	r->actors_by_name = calloc(s->nr_actors ? s->nr_actors : 1, sizeof(*r->actors_by_name));
	if (!r->actors_by_name)
		return scenario_out_of_memory(r);
	for (size_t i = 0; i < s->nr_actors; i++)
		r->actors_by_name[i] = (struct actor_name){ s->actors[i].name, i };
	qsort(r->actors_by_name, s->nr_actors, sizeof(*r->actors_by_name), compare_actor_names);
	for (size_t i = 1; i < s->nr_actors; i++) {
		const struct actor_name *first = &r->actors_by_name[i - 1], *second = &r->actors_by_name[i];

		if (strcmp(first->name, second->name))
			continue;
		snprintf(path, sizeof(path), "$.actors[%zu].name", second->index);
		snprintf(other, sizeof(other), "$.actors[%zu]", first->index);
		return cm_json_error(r->err, r->source, path, "actor name \"%s\" is used twice (also %s)",
				     second->name, other);
	}
	return 0;
}

/* Boot RAM, hot-plug windows and swap: the memory a scenario's actors may map SCENARIO_MAPPED_PER_MEMORY times. */
static uint64_t platform_memory_and_swap(const struct cm_scenario *s)
{
	const struct cm_platform *p = s->platform;
	uint64_t bytes = s->config.swap_bytes;

	for (size_t i = 0; i < p->nr_nodes; i++)
		for (size_t j = 0; j < p->nodes[i].nr_memory; j++)
			bytes = sim_add_saturating(bytes, cm_range_size(&p->nodes[i].memory[j]));
	for (size_t i = 0; i < p->nr_hotplug; i++)
		bytes = sim_add_saturating(bytes, p->hotplug[i].size);
	return bytes;
}

uint64_t cm_scenario_mapped_limit(const struct cm_scenario *s)
{
	uint64_t limit = sim_mul_saturating(platform_memory_and_swap(s), CM_SCENARIO_MAPPED_PER_MEMORY);

	if (limit < CM_SCENARIO_MAPPED_MIN_BYTES)
		limit = CM_SCENARIO_MAPPED_MIN_BYTES;
	if (limit > CM_MM_VIRTUAL_PAGES_MAX * CM_PAGE_SIZE)
		limit = CM_MM_VIRTUAL_PAGES_MAX * CM_PAGE_SIZE;
	return limit;
}

/*
 * The engine keeps a page-table entry for every page the actors map, from
 * the start: their memory together is bounded by cm_scenario_mapped_limit().
 */
static int check_mapped_memory(struct scenario_reader *r)
{
	const struct cm_scenario *s = r->scenario;
	uint64_t limit = cm_scenario_mapped_limit(s), mapped = 0;
	char path[CM_JSON_PATH_MAX], total[32], allowed[32], memory[32];

	for (size_t i = 0; i < s->nr_actors; i++) {
		const char *member;
		uint64_t pages = actor_kind(s->actors[i].kind)->ops->mapped_pages(&s->actors[i], &member);

		mapped = sim_add_saturating(mapped, sim_mul_saturating(pages, CM_PAGE_SIZE));
		if (mapped <= limit)
			continue;
		snprintf(path, sizeof(path), "$.actors[%zu].%s", i, member);
		cm_format_human_size(mapped, total, sizeof(total));
		cm_format_human_size(limit, allowed, sizeof(allowed));
		cm_format_human_size(platform_memory_and_swap(s), memory, sizeof(memory));
		return cm_json_error(r->err, r->source, path,
				     "the actors' memory reaches %s here, over the limit of %s (%d times the "
				     "platform's memory and swap, %s; at least %d GiB, at most 16 TiB)", total, allowed,
				     CM_SCENARIO_MAPPED_PER_MEMORY, memory, (int)(CM_SCENARIO_MAPPED_MIN_BYTES >> 30));
	}
	return 0;
}

int scenario_read_actors(struct scenario_reader *r, struct json_object *root)
{
	struct cm_scenario *s = r->scenario;
	struct json_object *array;
	char path[CM_JSON_PATH_MAX];
	size_t nr;
	int ret;

	ret = cm_json_member(root, "actors", CM_JSON_OPTIONAL, r->source, "$", &array, r->err);
	if (ret < 0)
		return ret;
	if (ret == 0)
		return index_actors(r);
	if (cm_json_array(array, r->source, "$.actors", &nr, r->err))
		return -EINVAL;
	s->actors = calloc(nr ? nr : 1, sizeof(*s->actors));
	if (!s->actors)
		return scenario_out_of_memory(r);
	for (size_t i = 0; i < nr; i++) {
		cm_json_path_index(path, sizeof(path), "$.actors", i);
		if (read_actor(r, json_object_array_get_idx(array, i), path, &s->actors[i]))
			return -EINVAL;
		s->nr_actors++;
	}
	return check_mapped_memory(r) ? -EINVAL : index_actors(r);
}

static int compare_actor_key(const void *key, const void *element)
{
	return strcmp(key, ((const struct actor_name *)element)->name);
}

static const struct cm_scenario_actor *find_actor(const struct scenario_reader *r, const char *name)
{
	const struct actor_name *found;

	if (!r->scenario->nr_actors)
		return NULL;
	found = bsearch(name, r->actors_by_name, r->scenario->nr_actors, sizeof(*r->actors_by_name),
			compare_actor_key);
	return found ? &r->scenario->actors[found->index] : NULL;
}

/* An "actor" member naming an actor of $.actors. */
int scenario_read_actor_reference(struct scenario_reader *r, struct json_object *object, const char *path,
				  char *out, const struct cm_scenario_actor **actor)
{
	char child[CM_JSON_PATH_MAX], found[96];
	const char *name;

	if (cm_json_field_string(object, "actor", CM_JSON_REQUIRED, r->source, path, &name, r->err) < 0)
		return -EINVAL;
	*actor = find_actor(r, name);
	if (!*actor) {
		cm_json_path_key(child, sizeof(child), path, "actor");
		cm_json_describe(json_object_object_get(object, "actor"), found, sizeof(found));
		return cm_json_error(r->err, r->source, child, "no actor named %s in $.actors", found);
	}
	memcpy(out, (*actor)->name, CM_NAME_MAX);
	return 0;
}
