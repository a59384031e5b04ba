// SPDX-License-Identifier: MIT
/*
 * What every part of the scenario reader shares: its messages ("SOURCE:
 * $.PATH: expected WHAT, found ..."), choices among names, numbers,
 * times within the run, node numbers of the platform, memory sizes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "scenario_internal.h"

int scenario_out_of_memory(struct scenario_reader *r)
{
	return cm_error_set(r->err, -ENOMEM, "%s: out of memory", r->source);
}

/* "expected WHAT, found DESCRIPTION" at @path. */
int scenario_expected(struct scenario_reader *r, const char *path, const char *what, struct json_object *value)
{
	char found[96];

	cm_json_describe(value, found, sizeof(found));
	return cm_json_error(r->err, r->source, path, "expected %s, found %s", what, found);
}

/* "a, b, c" from a NULL-terminated list. */
void scenario_format_names(const char *const *names, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; names[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", names[i]);
}

int scenario_name_index(const char *const *names, const char *name)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

/*
 * Member @key of @object as one of @names: 1 and its index in *out when
 * present, 0 when absent and optional.
 */
int scenario_read_choice(struct scenario_reader *r, struct json_object *object, const char *key,
			 enum cm_json_presence presence, const char *path, const char *const *names, int *out)
{
	char child[CM_JSON_PATH_MAX], list[128], what[140];
	struct json_object *value;
	const char *text;
	int ret, i;

	ret = cm_json_member(object, key, presence, r->source, path, &value, r->err);
	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, key);
	scenario_format_names(names, list, sizeof(list));
	snprintf(what, sizeof(what), "one of %s", list);
	if (!json_object_is_type(value, json_type_string))
		return scenario_expected(r, child, what, value);
	if (cm_json_string(value, r->source, child, &text, r->err))
		return -EINVAL;
	i = scenario_name_index(names, text);
	if (i < 0)
		return scenario_expected(r, child, what, value);
	*out = i;
	return 1;
}

/* A JSON number (integer or fractional). */
int scenario_read_number(struct scenario_reader *r, struct json_object *value, const char *path,
			 const char *what, double *out)
{
	if (!json_object_is_type(value, json_type_double) && !json_object_is_type(value, json_type_int))
		return scenario_expected(r, path, what, value);
	*out = json_object_get_double(value);
	return 0;
}

/* A time that must not be after the end of the run. */
int scenario_check_within_run(struct scenario_reader *r, const char *path, uint64_t at_ms)
{
	if (at_ms > r->scenario->duration_ms)
		return cm_json_error(r->err, r->source, path, "%" PRIu64 " is after the end of the run (duration_ms %"
				     PRIu64 ")", at_ms, r->scenario->duration_ms);
	return 0;
}

bool scenario_has_control_characters(const char *text)
{
	for (; *text; text++)
		if ((unsigned char)*text < 0x20 || *text == 0x7f)
			return true;
	return false;
}

/* @text for a one-line message: as it is, or quoted and escaped as a JSON string when it holds control characters. */
void scenario_printable_text(const char *text, char *buf, size_t len)
{
	struct json_object *string;
	const char *quoted = NULL;

	if (!scenario_has_control_characters(text)) {
		snprintf(buf, len, "%s", text);
		return;
	}
	string = json_object_new_string(text);
	if (string)
		quoted = json_object_to_json_string_ext(string, JSON_C_TO_STRING_PLAIN |
							JSON_C_TO_STRING_NOSLASHESCAPE);
	snprintf(buf, len, "%s", quoted ? quoted : "(unprintable)");
	json_object_put(string);
}

bool scenario_node_exists(const struct cm_platform *p, int64_t id)
{
	return id >= 0 && id < CM_MAX_NUMNODES && cm_platform_node(p, (int)id) != NULL;
}

cm_nodemask_t scenario_platform_nodes(const struct cm_platform *p)
{
	cm_nodemask_t mask = 0;

	for (size_t i = 0; i < p->nr_nodes; i++)
		cm_node_set(&mask, p->nodes[i].id);
	return mask;
}

cm_nodemask_t scenario_platform_cpu_nodes(const struct cm_platform *p)
{
	cm_nodemask_t mask = 0;

	for (size_t i = 0; i < p->nr_nodes; i++)
		if (cm_node_has_cpus(&p->nodes[i]))
			cm_node_set(&mask, p->nodes[i].id);
	return mask;
}

int scenario_node_does_not_exist(struct scenario_reader *r, const char *path, int64_t id)
{
	char nodes[256];

	cm_nodemask_format(scenario_platform_nodes(r->scenario->platform), nodes, sizeof(nodes));
	return cm_json_error(r->err, r->source, path, "node %" PRId64 " does not exist (platform nodes: %s)", id,
			     nodes);
}

/*
 * A memory size rounded up to whole 4 KiB pages; more than CM_PHYS_LIMIT
 * is refused, and so is 0 when the field is required.
 */
int scenario_read_memory_size(struct scenario_reader *r, struct json_object *object, const char *key,
			      enum cm_json_presence presence, const char *path, uint64_t *out)
{
	char child[CM_JSON_PATH_MAX];
	uint64_t bytes = 0;

	if (cm_json_field_size(object, key, presence, r->source, path, &bytes, r->err) < 0)
		return -EINVAL;
	cm_json_path_key(child, sizeof(child), path, key);
	if (bytes > CM_PHYS_LIMIT)
		return cm_json_error(r->err, r->source, child,
				     "%" PRIu64 " bytes is more than a 52-bit physical address space (4P)", bytes);
	if (presence == CM_JSON_REQUIRED && bytes == 0)
		return scenario_expected(r, child, "a size above 0", json_object_object_get(object, key));
	*out = cm_align_up(bytes, CM_PAGE_SIZE);
	return 0;
}
