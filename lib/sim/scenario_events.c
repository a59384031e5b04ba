// SPDX-License-Identifier: MIT
/* A scenario's "events", sorted by time. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "scenario_internal.h"

static const char *const cgroup_file_names[] = { "memory.max", "memory.swap.max", "misc.max", NULL };

static const char *const *const event_fields[] = {
	[CM_EVENT_START] = (const char *const[]){ "at_ms", "kind", "actor", NULL },
	[CM_EVENT_KILL] = (const char *const[]){ "at_ms", "kind", "actor", NULL },
	[CM_EVENT_CGROUP_WRITE] = (const char *const[]){ "at_ms", "kind", "cgroup", "file", "value", NULL },
	[CM_EVENT_HOTADD] = (const char *const[]){ "at_ms", "kind", "start", "size", "node", "new_node", "mode", "via",
				      "online", NULL },
	[CM_EVENT_OFFLINE] = (const char *const[]){ "at_ms", "kind", "start", "size", NULL },
	[CM_EVENT_SET] = (const char *const[]){ "at_ms", "kind", "key", "value", NULL },
};
_Static_assert(ARRAY_SIZE(event_fields) == CM_NR_EVENT_KINDS, "the fields of every event kind");

static int read_actor_event(struct scenario_reader *r, struct json_object *object, const char *path,
			    struct cm_scenario_event *event)
{
	const struct cm_scenario_actor *actor;
	char child[CM_JSON_PATH_MAX];

	if (scenario_read_actor_reference(r, object, path, event->actor, &actor))
		return -EINVAL;
	if (event->kind == CM_EVENT_START && actor->start_ms != SCENARIO_NEVER) {
		cm_json_path_key(child, sizeof(child), path, "actor");
		return cm_json_error(r->err, r->source, child,
				     "actor \"%s\" starts at start_ms %" PRIu64 "; a start event needs its "
				     "\"start_ms\": \"never\"", actor->name, actor->start_ms);
	}
	return 0;
}

static int read_cgroup_write(struct scenario_reader *r, struct json_object *object, const char *path,
			     struct cm_scenario_event *event)
{
	int file;

	if (scenario_read_cgroup_name(r, object, path, SCENARIO_ROOT_REFUSED, event->cgroup, sizeof(event->cgroup)) ||
	    scenario_read_choice(r, object, "file", CM_JSON_REQUIRED, path, cgroup_file_names, &file) < 0 ||
	    scenario_read_limit(r, object, "value", CM_JSON_REQUIRED, path, &event->value) < 0)
		return -EINVAL;
	snprintf(event->file, sizeof(event->file), "%s", cgroup_file_names[file]);
	return 0;
}

/* "start" and "size" of a range of whole memory blocks below CM_PHYS_LIMIT. */
static int read_block_range(struct scenario_reader *r, struct json_object *object, const char *path,
			    struct cm_hotplug_request *range)
{
	uint64_t block_size = r->scenario->platform->memory_block_size;
	char child[CM_JSON_PATH_MAX], block[32];

	if (cm_json_field_size(object, "start", CM_JSON_REQUIRED, r->source, path, &range->start, r->err) < 0 ||
	    cm_json_field_size(object, "size", CM_JSON_REQUIRED, r->source, path, &range->size, r->err) < 0)
		return -EINVAL;
	cm_format_human_size(block_size, block, sizeof(block));
	cm_json_path_key(child, sizeof(child), path, "start");
	if (!cm_is_aligned(range->start, block_size))
		return cm_json_error(r->err, r->source, child, "0x%" PRIx64 " is not aligned to the memory block "
				     "size (%s)", range->start, block);
	cm_json_path_key(child, sizeof(child), path, "size");
	if (range->size == 0 || !cm_is_aligned(range->size, block_size))
		return cm_json_error(r->err, r->source, child, "0x%" PRIx64 " is not a whole number of memory "
				     "blocks above 0 (block size %s)", range->size, block);
	if (range->start > CM_PHYS_LIMIT || range->size > CM_PHYS_LIMIT - range->start)
		return cm_json_error(r->err, r->source, path, "range 0x%" PRIx64 "+0x%" PRIx64 " ends beyond the "
				     "52-bit physical address space", range->start, range->size);
	return 0;
}

static int read_hotadd(struct scenario_reader *r, struct json_object *object, const char *path,
		       struct cm_scenario_event *event)
{
	struct cm_hotplug_request *request = &event->hotplug;
	int64_t node = CM_NUMA_NO_NODE;
	int mode = (int)r->scenario->config.hotplug_mode;
	const char *mode_names[CM_HOTPLUG_NR_MODES + 1] = { NULL };
	const char *online_names[CM_HOTADD_NR_ONLINE + 1] = { NULL };
	/* `via` is acpi or kmem; absent, the window's e820 type decides (CM_HOTADD_VIA_WINDOW). */
	const char *via_names[] = { cm_hotadd_via_name(CM_HOTADD_VIA_ACPI), cm_hotadd_via_name(CM_HOTADD_VIA_KMEM), NULL };
	int via = -1, online = CM_HOTADD_ONLINE;

	for (unsigned int m = 0; m < CM_HOTPLUG_NR_MODES; m++)
		mode_names[m] = cm_hotplug_mode_name(m);
	for (unsigned int o = 0; o < CM_HOTADD_NR_ONLINE; o++)
		online_names[o] = cm_hotadd_online_name(o);

	if (read_block_range(r, object, path, request) ||
	    cm_json_field_int(object, "node", CM_JSON_OPTIONAL, r->source, path, CM_NUMA_NO_NODE,
			      CM_MAX_NUMNODES - 1, &node, r->err) < 0 ||
	    cm_json_field_bool(object, "new_node", CM_JSON_OPTIONAL, r->source, path, &request->new_node,
			       r->err) < 0 ||
	    scenario_read_choice(r, object, "mode", CM_JSON_OPTIONAL, path, mode_names, &mode) < 0 ||
	    scenario_read_choice(r, object, "via", CM_JSON_OPTIONAL, path, via_names, &via) < 0 ||
	    scenario_read_choice(r, object, "online", CM_JSON_OPTIONAL, path, online_names, &online) < 0)
		return -EINVAL;
	request->node = (int)node;
	request->mode = (enum cm_hotplug_mode)mode;
	request->via = via < 0 ? CM_HOTADD_VIA_WINDOW : (enum cm_hotadd_via)(CM_HOTADD_VIA_ACPI + via);
	request->online = (enum cm_hotadd_online)online;
	return 0;
}

/* A knob set at run time, checked now against a scratch copy of the configuration. */
static int read_set(struct scenario_reader *r, struct json_object *object, const char *path,
		    struct cm_scenario_event *event)
{
	struct cm_config scratch = r->scenario->config;
	char key_path[CM_JSON_PATH_MAX], value_path[CM_JSON_PATH_MAX];
	struct json_object *value;
	const char *key;

	if (cm_json_field_string(object, "key", CM_JSON_REQUIRED, r->source, path, &key, r->err) < 0 ||
	    cm_json_member(object, "value", CM_JSON_REQUIRED, r->source, path, &value, r->err) < 0)
		return -EINVAL;
	cm_json_path_key(key_path, sizeof(key_path), path, "key");
	cm_json_path_key(value_path, sizeof(value_path), path, "value");
	if (!cm_config_knob_find(key))
		return scenario_apply_knob(r, &scratch, key, "", value, key_path);
	snprintf(event->key, sizeof(event->key), "%s", key);
	if (scenario_knob_value_text(r, value, value_path, event->knob_value, sizeof(event->knob_value)))
		return -EINVAL;
	return scenario_apply_knob(r, &scratch, key, event->knob_value, value, value_path);
}

static int read_event(struct scenario_reader *r, struct json_object *object, const char *path,
		      struct cm_scenario_event *event)
{
	char child[CM_JSON_PATH_MAX];
	int kind;

	if (cm_json_object(object, r->source, path, r->err) ||
	    scenario_read_choice(r, object, "kind", CM_JSON_REQUIRED, path, scenario_event_kind_names, &kind) < 0 ||
	    cm_json_check_fields(object, event_fields[kind], r->source, path, r->err) ||
	    cm_json_field_uint(object, "at_ms", CM_JSON_REQUIRED, r->source, path, UINT64_MAX, &event->at_ms,
			       r->err) < 0)
		return -EINVAL;
	cm_json_path_key(child, sizeof(child), path, "at_ms");
	if (scenario_check_within_run(r, child, event->at_ms))
		return -EINVAL;
	event->kind = (enum cm_event_kind)kind;
	event->hotplug.node = CM_NUMA_NO_NODE;
	switch (event->kind) {
	case CM_EVENT_START:
	case CM_EVENT_KILL:
		return read_actor_event(r, object, path, event);
	case CM_EVENT_CGROUP_WRITE:
		return read_cgroup_write(r, object, path, event);
	case CM_EVENT_HOTADD:
		return read_hotadd(r, object, path, event);
	case CM_EVENT_OFFLINE:
		return read_block_range(r, object, path, &event->hotplug);
	case CM_EVENT_SET:
		return read_set(r, object, path, event);
	}
	return 0;
}

/* Sort the events by time; events at the same time keep their order in the file. */
static int sort_events(struct scenario_reader *r)
{
	struct cm_scenario *s = r->scenario;
	struct cm_scenario_event *sorted;
	struct cm_keyed_index *order;

	if (s->nr_events < 2)
		return 0;
	order = calloc(s->nr_events, sizeof(*order));
	sorted = calloc(s->nr_events, sizeof(*sorted));
	if (!order || !sorted) {
		free(order);
		free(sorted);
		return scenario_out_of_memory(r);
	}
	for (size_t i = 0; i < s->nr_events; i++)
		order[i] = (struct cm_keyed_index){ s->events[i].at_ms, i };
	qsort(order, s->nr_events, sizeof(*order), cm_keyed_index_compare);
	for (size_t i = 0; i < s->nr_events; i++)
		sorted[i] = s->events[order[i].index];
	free(order);
	free(s->events);
	s->events = sorted;
	return 0;
}

int scenario_read_events(struct scenario_reader *r, struct json_object *root)
{
	struct cm_scenario *s = r->scenario;
	struct json_object *array;
	char path[CM_JSON_PATH_MAX];
	size_t nr;
	int ret;

	ret = cm_json_member(root, "events", CM_JSON_OPTIONAL, r->source, "$", &array, r->err);
	if (ret <= 0)
		return ret;
	if (cm_json_array(array, r->source, "$.events", &nr, r->err))
		return -EINVAL;
	s->events = calloc(nr ? nr : 1, sizeof(*s->events));
	if (!s->events)
		return scenario_out_of_memory(r);
	for (size_t i = 0; i < nr; i++) {
		cm_json_path_index(path, sizeof(path), "$.events", i);
		if (read_event(r, json_object_array_get_idx(array, i), path, &s->events[i]))
			return -EINVAL;
		s->nr_events++;
	}
	return sort_events(r);
}
