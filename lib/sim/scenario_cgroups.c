// SPDX-License-Identifier: MIT
/*
 * A scenario's "cgroups": paths, limits, implicit parents, and the
 * members of actors and events that name a cgroup.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "scenario_internal.h"

static const char *const cgroup_fields[] = { "path", "memory.max", "memory.swap.max", "misc.max", NULL };

/*
 * Order cgroup paths depth-first: '/' sorts before every other character,
 * so "/a" < "/a/b" < "/a-b" and a parent always comes before its children.
 */
static int cgroup_path_rank(char c)
{
	return c == '\0' ? 0 : c == '/' ? 1 : (unsigned char)c + 2;
}

static int compare_cgroup_paths(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ra = cgroup_path_rank(*a), rb = cgroup_path_rank(*b);

		if (ra != rb || !ra)
			return ra - rb;
	}
}

static void set_unlimited(struct cm_scenario_cgroup *cgroup)
{
	cgroup->memory_max = CM_LIMIT_MAX;
	cgroup->memory_swap_max = CM_LIMIT_MAX;
	cgroup->misc_sgx_epc_max = CM_LIMIT_MAX;
	cgroup->misc_tdx_max = CM_LIMIT_MAX;
}

/* A path "/a/b": components of name characters, not "." or "..", fitting CM_CGROUP_PATH_MAX. */
static bool is_valid_cgroup_path(const char *path)
{
	const char *component;
	size_t len;

	if (path[0] != '/' || strlen(path) >= CM_CGROUP_PATH_MAX)
		return false;
	for (component = path + 1;; component += len + 1) {
		len = strspn(component, NAME_CHARACTERS);
		if (len == 0 || (component[len] != '/' && component[len] != '\0'))
			return false;
		if ((len == 1 && component[0] == '.') || (len == 2 && !strncmp(component, "..", 2)))
			return false;
		if (component[len] == '\0')
			return true;
	}
}

/* A cgroup limit: "max" or a size. */
int scenario_read_limit(struct scenario_reader *r, struct json_object *object, const char *key,
			enum cm_json_presence presence, const char *path, uint64_t *out)
{
	char child[CM_JSON_PATH_MAX], found[96];
	struct cm_error reason = { 0 };
	struct json_object *value;
	int ret;

	ret = cm_json_member(object, key, presence, r->source, path, &value, r->err);
	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, key);
	if (json_object_is_type(value, json_type_string) && !strcmp(json_object_get_string(value), "max")) {
		*out = CM_LIMIT_MAX;
		return 1;
	}
	if (!cm_json_size(value, r->source, child, out, NULL))
		return 1;
	cm_json_describe(value, found, sizeof(found));
	/*
	 * A string cm_json_size() refused: cm_parse_size() gives the reason,
	 * unless it accepts the text before an embedded NUL ("256M\u0000x"),
	 * which gets the message without one.
	 */
	if (json_object_is_type(value, json_type_string) &&
	    cm_parse_size(json_object_get_string(value), out, &reason) && reason.msg[0])
		return cm_json_error(r->err, r->source, child, "expected \"max\" or %s, found %s: %s",
				     CM_JSON_SIZE_EXPECTED, found, reason.msg);
	return cm_json_error(r->err, r->source, child, "expected \"max\" or %s, found %s", CM_JSON_SIZE_EXPECTED,
			     found);
}

static const char *const misc_max_fields[] = { "sgx_epc", "tdx", NULL };

/*
 * "misc.max": a size (sgx_epc, as before) or an object with a line of the
 * kernel's file each: {"sgx_epc": SIZE or "max", "tdx": KEYIDS or "max"}.
 */
static int read_misc_max(struct scenario_reader *r, struct json_object *object, const char *path,
			 struct cm_scenario_cgroup *cgroup)
{
	char child[CM_JSON_PATH_MAX], tdx_path[CM_JSON_PATH_MAX];
	struct json_object *value, *tdx;

	if (!json_object_object_get_ex(object, "misc.max", &value) || !json_object_is_type(value, json_type_object))
		return scenario_read_limit(r, object, "misc.max", CM_JSON_OPTIONAL, path, &cgroup->misc_sgx_epc_max) < 0;
	cm_json_path_key(child, sizeof(child), path, "misc.max");
	if (cm_json_check_fields(value, misc_max_fields, r->source, child, r->err) ||
	    scenario_read_limit(r, value, "sgx_epc", CM_JSON_OPTIONAL, child, &cgroup->misc_sgx_epc_max) < 0)
		return -EINVAL;
	if (!json_object_object_get_ex(value, "tdx", &tdx))
		return 0;
	cm_json_path_key(tdx_path, sizeof(tdx_path), child, "tdx");
	if (json_object_is_type(tdx, json_type_string) && !strcmp(json_object_get_string(tdx), "max"))
		return 0;
	if (cm_json_uint(tdx, r->source, tdx_path, CM_TDX_MAX_KEYIDS, &cgroup->misc_tdx_max, NULL))
		return scenario_expected(r, tdx_path, "\"max\" or a number of KeyIDs (0 to 65535)", tdx);
	return 0;
}

/* A cgroup while the list is built: listed ones keep their index for messages. */
struct cgroup_entry {
	struct cm_scenario_cgroup cgroup;
	bool implicit;
	size_t index;
};

static int compare_cgroup_entries(const void *a, const void *b)
{
	const struct cgroup_entry *x = a, *y = b;
	int order = compare_cgroup_paths(x->cgroup.path, y->cgroup.path);

	if (order)
		return order;
	if (x->implicit != y->implicit)
		return x->implicit ? 1 : -1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int read_cgroup(struct scenario_reader *r, struct json_object *object, const char *path,
		       struct cgroup_entry *entry)
{
	char child[CM_JSON_PATH_MAX];
	struct json_object *value;
	const char *text;

	if (cm_json_object(object, r->source, path, r->err) ||
	    cm_json_check_fields(object, cgroup_fields, r->source, path, r->err))
		return -EINVAL;
	if (cm_json_field_string(object, "path", CM_JSON_REQUIRED, r->source, path, &text, r->err) < 0)
		return -EINVAL;
	cm_json_path_key(child, sizeof(child), path, "path");
	json_object_object_get_ex(object, "path", &value);
	if (!strcmp(text, "/"))
		return cm_json_error(r->err, r->source, child,
				     "the root cgroup \"/\" is implicit and has no limits; list only its descendants");
	if (!is_valid_cgroup_path(text))
		return scenario_expected(r, child, "a cgroup path such as \"/batch/low\" (components of [A-Za-z0-9_.-], "
					 "not \".\" or \"..\", at most 127 characters)", value);
	snprintf(entry->cgroup.path, sizeof(entry->cgroup.path), "%s", text);
	set_unlimited(&entry->cgroup);
	if (scenario_read_limit(r, object, "memory.max", CM_JSON_OPTIONAL, path, &entry->cgroup.memory_max) < 0 ||
	    scenario_read_limit(r, object, "memory.swap.max", CM_JSON_OPTIONAL, path, &entry->cgroup.memory_swap_max) < 0 ||
	    read_misc_max(r, object, path, &entry->cgroup))
		return -EINVAL;
	return 0;
}

static size_t count_parents(const char *path)
{
	size_t nr = 0;

	for (const char *c = path + 1; *c; c++)
		nr += *c == '/';
	return nr;
}

/* Append an implicit entry for every proper ancestor of @listed except the root. */
static void add_parents(const struct cgroup_entry *listed, struct cgroup_entry *entries, size_t *nr)
{
	for (const char *c = listed->cgroup.path + 1; *c; c++) {
		struct cgroup_entry *parent;

		if (*c != '/')
			continue;
		parent = &entries[(*nr)++];
		memset(parent, 0, sizeof(*parent));
		snprintf(parent->cgroup.path, sizeof(parent->cgroup.path), "%.*s",
			 (int)(c - listed->cgroup.path), listed->cgroup.path);
		set_unlimited(&parent->cgroup);
		parent->implicit = true;
		parent->index = listed->index;
	}
}

/*
 * Sort listed and implicit cgroups depth-first, refuse a path listed twice
 * and drop implicit duplicates; the result goes to the scenario.
 */
static int finish_cgroups(struct scenario_reader *r, struct cgroup_entry *entries, size_t nr)
{
	struct cm_scenario *s = r->scenario;
	char path[CM_JSON_PATH_MAX], other[CM_JSON_PATH_MAX];
	size_t kept = 0;

	qsort(entries, nr, sizeof(*entries), compare_cgroup_entries);
	s->cgroups = calloc(nr ? nr : 1, sizeof(*s->cgroups));
	if (!s->cgroups)
		return scenario_out_of_memory(r);
	for (size_t i = 0; i < nr; i++) {
		if (kept && !strcmp(s->cgroups[kept - 1].path, entries[i].cgroup.path)) {
			if (entries[i].implicit)
				continue;
			cm_json_path_index(path, sizeof(path), "$.cgroups", entries[i].index);
			cm_json_path_index(other, sizeof(other), "$.cgroups", entries[i - 1].index);
			return cm_json_error(r->err, r->source, path, "cgroup \"%s\" is listed twice (also %s)",
					     entries[i].cgroup.path, other);
		}
		s->cgroups[kept++] = entries[i].cgroup;
	}
	s->nr_cgroups = kept;
	return 0;
}

int scenario_read_cgroups(struct scenario_reader *r, struct json_object *root)
{
	struct json_object *array;
	struct cgroup_entry *entries;
	char path[CM_JSON_PATH_MAX];
	size_t nr_listed, nr, capacity = 0;
	int ret;

	ret = cm_json_member(root, "cgroups", CM_JSON_OPTIONAL, r->source, "$", &array, r->err);
	if (ret <= 0)
		return ret;
	if (cm_json_array(array, r->source, "$.cgroups", &nr_listed, r->err))
		return -EINVAL;
	entries = calloc(nr_listed ? nr_listed : 1, sizeof(*entries));
	if (!entries)
		return scenario_out_of_memory(r);
	for (size_t i = 0; i < nr_listed; i++) {
		cm_json_path_index(path, sizeof(path), "$.cgroups", i);
		entries[i].index = i;
		ret = read_cgroup(r, json_object_array_get_idx(array, i), path, &entries[i]);
		if (ret)
			goto out_free_entries;
		capacity += count_parents(entries[i].cgroup.path);
	}
	nr = nr_listed;
	if (capacity) {
		struct cgroup_entry *bigger = realloc(entries, (nr_listed + capacity) * sizeof(*entries));

		if (!bigger) {
			ret = scenario_out_of_memory(r);
			goto out_free_entries;
		}
		entries = bigger;
		for (size_t i = 0; i < nr_listed; i++)
			add_parents(&entries[i], entries, &nr);
	}
	ret = finish_cgroups(r, entries, nr);
out_free_entries:
	free(entries);
	return ret;
}

static int compare_cgroup_key(const void *key, const void *element)
{
	return compare_cgroup_paths(key, ((const struct cm_scenario_cgroup *)element)->path);
}

static const struct cm_scenario_cgroup *find_cgroup(const struct cm_scenario *s, const char *path)
{
	if (!s->nr_cgroups)
		return NULL;
	return bsearch(path, s->cgroups, s->nr_cgroups, sizeof(*s->cgroups), compare_cgroup_key);
}

/*
 * A "cgroup" member naming a listed cgroup. Where the root is allowed the
 * member is optional and "/" is its default.
 */
int scenario_read_cgroup_name(struct scenario_reader *r, struct json_object *object, const char *path,
			      enum scenario_root_cgroup root, char *out, size_t len)
{
	enum cm_json_presence presence = root == SCENARIO_ROOT_ALLOWED ? CM_JSON_OPTIONAL : CM_JSON_REQUIRED;
	char child[CM_JSON_PATH_MAX];
	const char *text = "/";

	if (cm_json_field_string(object, "cgroup", presence, r->source, path, &text, r->err) < 0)
		return -EINVAL;
	cm_json_path_key(child, sizeof(child), path, "cgroup");
	if (!strcmp(text, "/")) {
		if (root == SCENARIO_ROOT_REFUSED)
			return cm_json_error(r->err, r->source, child,
					     "the root cgroup \"/\" has no memory.max, memory.swap.max or misc.max");
	} else if (!find_cgroup(r->scenario, text)) {
		char found[96];

		cm_json_describe(json_object_object_get(object, "cgroup"), found, sizeof(found));
		return cm_json_error(r->err, r->source, child, "cgroup %s is not listed in $.cgroups", found);
	}
	snprintf(out, len, "%s", text);
	return 0;
}
