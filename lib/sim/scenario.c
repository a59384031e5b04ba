// SPDX-License-Identifier: MIT
/*
 * Reading a scenario (SPEC 10) from JSON. The format is documented in
 * docs/scenarios.md; every rule there is checked here, at load time, so
 * that a typo fails before the engine runs. Messages name the JSON path:
 * "SOURCE: $.actors[2].policy.nodes: node 7 does not exist (...)".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "confmem/json_util.h"
#include "confmem/scenario.h"

#define SCENARIO_DURATION_MAX_MS 1000000000ULL
#define SCENARIO_RUN_MAX_MS SCENARIO_DURATION_MAX_MS
#define SCENARIO_RATE_MAX 1000000000ULL		/* rate * duration fits in 64 bits */
#define SCENARIO_DEFAULT_SEED 1
#define SCENARIO_ZIPF_SKEW_MAX 10.0
#define SCENARIO_NEVER UINT64_MAX		/* "start_ms": "never" */
#define SCENARIO_SSA_FRAME_PAGES_MAX 16
#define SCENARIO_ENCLAVE_SIZE_MIN (2 * CM_PAGE_SIZE)	/* ECREATE: a power of two of at least two pages */
/* The characters of actor names and cgroup path components; counters may also use ":/". */
#define NAME_CHARACTERS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
#define COUNTER_CHARACTERS NAME_CHARACTERS ":/"
#define SCENARIO_COUNTER_NAME_MAX (sizeof(((struct cm_scenario_expect *)0)->counter) - 1)

struct actor_name {
	const char *name;
	size_t index;
};

struct scenario_reader {
	const char *source;
	const char *base_dir;		/* NULL: the current directory */
	struct cm_error *err;
	struct cm_scenario *scenario;
	struct actor_name *actors_by_name;	/* sorted by name, for lookups */
};

/* ---- names ---- */

static const char *const outcome_names[] = { "pending", "running", "exited", "failed", "killed", NULL };
static const char *const actor_kind_names[] = { "process", "enclave", "vepc", "td", NULL };
static const char *const policy_mode_names[] = { "default", "bind", "preferred", "interleave", NULL };
static const char *const access_pattern_names[] = { "sequential", "uniform", "zipf", NULL };
static const char *const event_kind_names[] = {
	"start", "kill", "cgroup_write", "hotadd", "offline", "set", NULL
};
static const char *const hotplug_mode_names[] = { "check", "notifier", "devdax", NULL };
static const char *const cgroup_file_names[] = { "memory.max", "memory.swap.max", "misc.max", NULL };
/* Indexed by enum cm_expect_op. */
static const char *const expect_op_names[] = { "==", "!=", ">", ">=", "<", "<=", NULL };

const char *cm_outcome_name(enum cm_outcome o)
{
	if ((unsigned int)o < sizeof(outcome_names) / sizeof(outcome_names[0]) - 1)
		return outcome_names[o];
	return "unknown";
}

/* ---- the fields of every object ---- */

static const char *const scenario_fields[] = {
	"platform", "seed", "duration_ms", "config", "cgroups", "actors", "events", "expect", NULL
};
static const char *const cgroup_fields[] = { "path", "memory.max", "memory.swap.max", "misc.max", NULL };
/* Indexed by enum cm_actor_kind; a td is refused before its fields are looked at. */
static const char *const *const actor_fields[] = {
	(const char *const[]){ "name", "kind", "cgroup", "node", "policy", "start_ms", "run_ms", "anon", "file",
			       "access", NULL },
	(const char *const[]){ "name", "kind", "cgroup", "node", "start_ms", "run_ms", "size", "heap",
			       "ssa_frame_pages", "access", NULL },
	(const char *const[]){ "name", "kind", "cgroup", "node", "start_ms", "run_ms", "size", NULL },
	(const char *const[]){ "name", "kind", NULL },
};
/* Every field of some actor kind: one of another kind is "not for" this one rather than unknown. */
static const char *const actor_fields_any[] = {
	"name", "kind", "cgroup", "node", "policy", "start_ms", "run_ms", "anon", "file", "access", "size", "heap",
	"ssa_frame_pages", NULL
};
/* Indexed by enum cm_actor_kind, for "not for ..." messages. */
static const char *const actor_kind_articles[] = { "a process", "an enclave", "a vEPC user", "a TD guest" };
static const char *const policy_fields[] = { "mode", "nodes", NULL };
static const char *const access_fields[] = { "pattern", "skew", "rate", "write", NULL };
/* Indexed by enum cm_event_kind. */
static const char *const *const event_fields[] = {
	(const char *const[]){ "at_ms", "kind", "actor", NULL },
	(const char *const[]){ "at_ms", "kind", "actor", NULL },
	(const char *const[]){ "at_ms", "kind", "cgroup", "file", "value", NULL },
	(const char *const[]){ "at_ms", "kind", "start", "size", "node", "new_node", "mode", NULL },
	(const char *const[]){ "at_ms", "kind", "start", "size", NULL },
	(const char *const[]){ "at_ms", "kind", "key", "value", NULL },
};
static const char *const expect_outcome_fields[] = { "actor", "outcome", NULL };
static const char *const expect_counter_fields[] = { "counter", "op", "value", NULL };

/* ---- small helpers ---- */

static int out_of_memory(struct scenario_reader *r)
{
	return cm_error_set(r->err, -ENOMEM, "%s: out of memory", r->source);
}

/* "expected WHAT, found DESCRIPTION" at @path. */
static int expected(struct scenario_reader *r, const char *path, const char *what, struct json_object *value)
{
	char found[96];

	cm_json_describe(value, found, sizeof(found));
	return cm_json_error(r->err, r->source, path, "expected %s, found %s", what, found);
}

/* "a, b, c" from a NULL-terminated list. */
static void format_names(const char *const *names, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; names[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", names[i]);
}

static int name_index(const char *const *names, const char *name)
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
static int read_choice(struct scenario_reader *r, struct json_object *object, const char *key,
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
	format_names(names, list, sizeof(list));
	snprintf(what, sizeof(what), "one of %s", list);
	if (!json_object_is_type(value, json_type_string))
		return expected(r, child, what, value);
	if (cm_json_string(value, r->source, child, &text, r->err))
		return -EINVAL;
	i = name_index(names, text);
	if (i < 0)
		return expected(r, child, what, value);
	*out = i;
	return 1;
}

/* A JSON number (integer or fractional). */
static int read_number(struct scenario_reader *r, struct json_object *value, const char *path,
		       const char *what, double *out)
{
	if (!json_object_is_type(value, json_type_double) && !json_object_is_type(value, json_type_int))
		return expected(r, path, what, value);
	*out = json_object_get_double(value);
	return 0;
}

/* A time that must not be after the end of the run. */
static int check_within_run(struct scenario_reader *r, const char *path, uint64_t at_ms)
{
	if (at_ms > r->scenario->duration_ms)
		return cm_json_error(r->err, r->source, path, "%" PRIu64 " is after the end of the run (duration_ms %"
				     PRIu64 ")", at_ms, r->scenario->duration_ms);
	return 0;
}

static bool has_control_characters(const char *text)
{
	for (; *text; text++)
		if ((unsigned char)*text < 0x20 || *text == 0x7f)
			return true;
	return false;
}

/* @text for a one-line message: as it is, or quoted and escaped as a JSON string when it holds control characters. */
static void printable_text(const char *text, char *buf, size_t len)
{
	struct json_object *string;
	const char *quoted = NULL;

	if (!has_control_characters(text)) {
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

/* ---- the platform ---- */

static bool is_preset(const char *name)
{
	for (size_t i = 0; i < cm_preset_count(); i++)
		if (!strcmp(cm_preset_info(i)->name, name))
			return true;
	return false;
}

static void format_preset_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < cm_preset_count() && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", cm_preset_info(i)->name);
}

/* @name relative to @base_dir unless it is absolute; malloc'd. */
static char *resolve_path(const char *base_dir, const char *name)
{
	size_t dir_len;
	char *path;

	if (!base_dir || !*base_dir || name[0] == '/')
		return strdup(name);
	dir_len = strlen(base_dir);
	if (base_dir[dir_len - 1] == '/')
		dir_len--;
	if (asprintf(&path, "%.*s/%s", (int)dir_len, base_dir, name) < 0)
		return NULL;
	return path;
}

/*
 * A platform file. Only regular files are read, so that a name such as
 * "/dev/stdin" cannot block or stream forever.
 */
static int platform_from_file(struct scenario_reader *r, struct json_object *value, const char *path)
{
	char presets[128], found[96], shown[CM_ERR_MSG_MAX];
	const char *why;
	struct stat st;
	char *file;
	int ret;

	file = resolve_path(r->base_dir, json_object_get_string(value));
	if (!file)
		return out_of_memory(r);
	why = stat(file, &st) ? strerror(errno) : !S_ISREG(st.st_mode) ? "not a regular file" : NULL;
	if (why) {
		format_preset_names(presets, sizeof(presets));
		cm_json_describe(value, found, sizeof(found));
		printable_text(file, shown, sizeof(shown));
		ret = cm_json_error(r->err, r->source, path, "%s is neither a preset (%s) nor a platform file: %s: %s",
				    found, presets, shown, why);
	} else {
		ret = cm_platform_from_json_file(file, &r->scenario->platform, r->err);
	}
	free(file);
	return ret;
}

static int read_platform(struct scenario_reader *r, struct json_object *root)
{
	struct json_object *value;
	const char *name;
	int ret;

	ret = cm_json_member(root, "platform", CM_JSON_REQUIRED, r->source, "$", &value, r->err);
	if (ret < 0)
		return ret;
	if (json_object_is_type(value, json_type_object))
		return cm_platform_from_json_object(value, r->source, "$.platform", &r->scenario->platform, r->err);
	if (!json_object_is_type(value, json_type_string) || json_object_get_string_len(value) == 0)
		return expected(r, "$.platform", "a preset name, a platform file name or a platform object", value);
	if (cm_json_string(value, r->source, "$.platform", &name, r->err))
		return -EINVAL;
	if (is_preset(name))
		return cm_platform_from_preset(name, &r->scenario->platform, r->err);
	return platform_from_file(r, value, "$.platform");
}

static bool node_exists(const struct cm_platform *p, int64_t id)
{
	return id >= 0 && id < CM_MAX_NUMNODES && cm_platform_node(p, (int)id) != NULL;
}

static cm_nodemask_t platform_nodes(const struct cm_platform *p, bool with_cpus_only)
{
	cm_nodemask_t mask = 0;

	for (size_t i = 0; i < p->nr_nodes; i++)
		if (!with_cpus_only || cm_node_has_cpus(&p->nodes[i]))
			cm_node_set(&mask, p->nodes[i].id);
	return mask;
}

static int node_does_not_exist(struct scenario_reader *r, const char *path, int64_t id)
{
	char nodes[256];

	cm_nodemask_format(platform_nodes(r->scenario->platform, false), nodes, sizeof(nodes));
	return cm_json_error(r->err, r->source, path, "node %" PRId64 " does not exist (platform nodes: %s)", id,
			     nodes);
}

/* ---- configuration knobs ---- */

/* A knob's value as the text cm_config_set_value() reads: a string, an integer, or true/false as 1/0. */
static int knob_value_text(struct scenario_reader *r, struct json_object *value, const char *path, char *buf,
			   size_t len)
{
	static const char what[] = "a string, an integer or true/false";
	const char *text;
	int64_t number;

	switch (json_object_get_type(value)) {
	case json_type_string:
		if (cm_json_string(value, r->source, path, &text, r->err))
			return -EINVAL;
		if (strlen(text) >= len)
			return cm_json_error(r->err, r->source, path, "expected at most %zu characters, found %zu",
					     len - 1, strlen(text));
		snprintf(buf, len, "%s", text);
		return 0;
	case json_type_boolean:
		snprintf(buf, len, "%d", json_object_get_boolean(value) ? 1 : 0);
		return 0;
	case json_type_int:
		number = json_object_get_int64(value);
		if (number < 0) {
			snprintf(buf, len, "%" PRId64, number);
			return 0;
		}
		if (json_object_get_uint64(value) == UINT64_MAX)
			return expected(r, path, what, value);
		snprintf(buf, len, "%" PRIu64, json_object_get_uint64(value));
		return 0;
	default:
		return expected(r, path, what, value);
	}
}

static const struct cm_config_knob *find_knob(const char *key)
{
	for (size_t i = 0; i < cm_config_knob_count(); i++)
		if (!strcmp(cm_config_knob(i)->key, key))
			return cm_config_knob(i);
	return NULL;
}

/*
 * Apply one knob; the message of cm_config_set_value() moves under @path
 * without its "KEY: ". A value with control characters is described from
 * its JSON @json_value instead, so that the message stays on one line.
 */
static int apply_knob(struct scenario_reader *r, struct cm_config *config, const char *key, const char *value,
		      struct json_object *json_value, const char *path)
{
	const struct cm_config_knob *knob = find_knob(key);
	struct cm_error knob_err = { 0 };
	const char *message;
	size_t key_len = strlen(key);

	if (!cm_config_set_value(config, key, value, &knob_err))
		return 0;
	if (knob && has_control_characters(value))
		return expected(r, path, knob->values, json_value);
	message = knob_err.msg;
	if (!strncmp(message, key, key_len) && !strncmp(message + key_len, ": ", 2))
		message += key_len + 2;
	return cm_json_error(r->err, r->source, path, "%s", message);
}

/* "$.config.KEY", or "$.config["KEY"]" (escaped) for a key that is not a plain name. */
static void config_key_path(const char *key, char *buf, size_t len)
{
	char quoted[CM_JSON_PATH_MAX];

	if (*key && strspn(key, NAME_CHARACTERS) == strlen(key)) {
		cm_json_path_key(buf, len, "$.config", key);
		return;
	}
	printable_text(key, quoted, sizeof(quoted));
	if (quoted[0] == '"')
		snprintf(buf, len, "$.config[%s]", quoted);
	else
		snprintf(buf, len, "$.config[\"%s\"]", quoted);
}

static int read_config(struct scenario_reader *r, struct json_object *root)
{
	struct json_object *config;
	char path[CM_JSON_PATH_MAX], text[64];
	int ret;

	cm_config_default(&r->scenario->config);
	ret = cm_json_member(root, "config", CM_JSON_OPTIONAL, r->source, "$", &config, r->err);
	if (ret <= 0)
		return ret;
	if (cm_json_object(config, r->source, "$.config", r->err))
		return -EINVAL;
	json_object_object_foreach(config, key, value) {
		config_key_path(key, path, sizeof(path));
		if (!find_knob(key))
			return apply_knob(r, &r->scenario->config, key, "", value, path);
		if (knob_value_text(r, value, path, text, sizeof(text)) ||
		    apply_knob(r, &r->scenario->config, key, text, value, path))
			return -EINVAL;
	}
	return 0;
}

/* ---- cgroups ---- */

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
static int read_limit(struct scenario_reader *r, struct json_object *object, const char *key,
		      enum cm_json_presence presence, const char *path, uint64_t *out)
{
	char child[CM_JSON_PATH_MAX], found[96];
	struct json_object *value;
	const char *why = NULL;
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
	if (json_object_is_type(value, json_type_string) &&
	    cm_parse_size(json_object_get_string(value), out, &why) && why)
		return cm_json_error(r->err, r->source, child, "expected \"max\" or %s, found %s: %s",
				     CM_JSON_SIZE_EXPECTED, found, why);
	return cm_json_error(r->err, r->source, child, "expected \"max\" or %s, found %s", CM_JSON_SIZE_EXPECTED,
			     found);
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
		return expected(r, child, "a cgroup path such as \"/batch/low\" (components of [A-Za-z0-9_.-], "
				"not \".\" or \"..\", at most 127 characters)", value);
	snprintf(entry->cgroup.path, sizeof(entry->cgroup.path), "%s", text);
	set_unlimited(&entry->cgroup);
	if (read_limit(r, object, "memory.max", CM_JSON_OPTIONAL, path, &entry->cgroup.memory_max) < 0 ||
	    read_limit(r, object, "memory.swap.max", CM_JSON_OPTIONAL, path, &entry->cgroup.memory_swap_max) < 0 ||
	    read_limit(r, object, "misc.max", CM_JSON_OPTIONAL, path, &entry->cgroup.misc_sgx_epc_max) < 0)
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
		return out_of_memory(r);
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

static int read_cgroups(struct scenario_reader *r, struct json_object *root)
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
		return out_of_memory(r);
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
			ret = out_of_memory(r);
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

/* A cgroup member naming an existing cgroup; the root "/" only when @root_allowed. */
static int read_cgroup_name(struct scenario_reader *r, struct json_object *object, const char *path,
			    bool root_allowed, char *out, size_t len)
{
	char child[CM_JSON_PATH_MAX];
	const char *text = "/";

	if (cm_json_field_string(object, "cgroup", root_allowed ? CM_JSON_OPTIONAL : CM_JSON_REQUIRED, r->source,
				 path, &text, r->err) < 0)
		return -EINVAL;
	cm_json_path_key(child, sizeof(child), path, "cgroup");
	if (!strcmp(text, "/")) {
		if (!root_allowed)
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

/* ---- actors ---- */

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
		return expected(r, child, "a name of 1..63 characters [A-Za-z0-9_.-]",
				json_object_object_get(object, "name"));
	}
	memcpy(actor->name, name, len + 1);
	return 0;
}

static int read_actor_kind(struct scenario_reader *r, struct json_object *object, const char *path,
			   struct cm_scenario_actor *actor)
{
	char child[CM_JSON_PATH_MAX];
	int kind = CM_ACTOR_PROCESS;

	if (read_choice(r, object, "kind", CM_JSON_OPTIONAL, path, actor_kind_names, &kind) < 0)
		return -EINVAL;
	if (kind == CM_ACTOR_TD) {
		cm_json_path_key(child, sizeof(child), path, "kind");
		return cm_json_error(r->err, r->source, child,
				     "\"%s\" is not simulated yet (supported: process, enclave, vepc)",
				     actor_kind_names[kind]);
	}
	actor->kind = (enum cm_actor_kind)kind;
	return 0;
}

/*
 * The members of an actor of a known kind: a field of another kind is
 * "not for" this one, anything else is an unknown field.
 */
static int check_actor_fields(struct scenario_reader *r, struct json_object *object, const char *path,
			      enum cm_actor_kind kind)
{
	const char *const *known = actor_fields[kind];
	char child[CM_JSON_PATH_MAX], list[256];

	json_object_object_foreach(object, key, value) {
		(void)value;
		if (name_index(known, key) >= 0)
			continue;
		if (name_index(actor_fields_any, key) < 0)
			return cm_json_check_fields(object, known, r->source, path, r->err);
		cm_json_path_key(child, sizeof(child), path, key);
		format_names(known, list, sizeof(list));
		return cm_json_error(r->err, r->source, child, "not for %s (known fields: %s)",
				     actor_kind_articles[kind], list);
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
	if (node != CM_NUMA_NO_NODE && !node_exists(p, node))
		return node_does_not_exist(r, child, node);
	if (node != CM_NUMA_NO_NODE && !cm_node_has_cpus(cm_platform_node(p, (int)node))) {
		cm_nodemask_format(platform_nodes(p, true), nodes, sizeof(nodes));
		return cm_json_error(r->err, r->source, child,
				     "node %" PRId64 " has no CPUs to run on (nodes with CPUs: %s)", node, nodes);
	}
	actor->cpu_node = (int)node;
	return 0;
}

/* A node list in the kernel's list syntax whose nodes all exist. */
static int read_policy_nodes(struct scenario_reader *r, struct json_object *policy, const char *path,
			     cm_nodemask_t *out)
{
	char child[CM_JSON_PATH_MAX], found[96];
	struct cm_bitmap bitmap;
	const char *text, *why = NULL;
	cm_nodemask_t unknown;
	int ret;

	*out = 0;
	ret = cm_json_field_string(policy, "nodes", CM_JSON_OPTIONAL, r->source, path, &text, r->err);
	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, "nodes");
	if (cm_bitmap_init(&bitmap, CM_MAX_NUMNODES))
		return out_of_memory(r);
	ret = cm_bitmap_parse_list(&bitmap, text, &why);
	*out = bitmap.words[0];
	cm_bitmap_free(&bitmap);
	if (!ret && strchr(text, '\n')) {
		ret = -EINVAL;
		why = "a newline in the list";
	}
	if (ret) {
		cm_json_describe(json_object_object_get(policy, "nodes"), found, sizeof(found));
		return cm_json_error(r->err, r->source, child, "expected a node list such as \"0-1,3\", found %s%s%s",
				     found, why ? ": " : "", why ? why : "");
	}
	unknown = *out & ~platform_nodes(r->scenario->platform, false);
	if (unknown)
		return node_does_not_exist(r, child, __builtin_ctzll(unknown));
	return 0;
}

static int check_policy_nodes(struct scenario_reader *r, const char *path, const struct cm_mempolicy *policy)
{
	char child[CM_JSON_PATH_MAX];
	int weight = __builtin_popcountll(policy->nodes);
	const char *mode = policy_mode_names[policy->mode];

	cm_json_path_key(child, sizeof(child), path, "nodes");
	switch (policy->mode) {
	case CM_MPOL_DEFAULT:
		if (weight)
			return cm_json_error(r->err, r->source, child, "policy default takes no nodes");
		break;
	case CM_MPOL_PREFERRED:
		if (weight != 1)
			return cm_json_error(r->err, r->source, child,
					     "policy preferred takes exactly one node, found %d", weight);
		break;
	case CM_MPOL_BIND:
	case CM_MPOL_INTERLEAVE:
		if (!weight)
			return cm_json_error(r->err, r->source, child, "policy %s needs at least one node", mode);
		break;
	}
	return 0;
}

static int read_policy(struct scenario_reader *r, struct json_object *object, const char *path,
		       struct cm_mempolicy *policy)
{
	char child[CM_JSON_PATH_MAX];
	struct json_object *value;
	int mode, ret;

	policy->mode = CM_MPOL_DEFAULT;
	policy->nodes = 0;
	ret = cm_json_member(object, "policy", CM_JSON_OPTIONAL, r->source, path, &value, r->err);
	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, "policy");
	if (json_object_is_type(value, json_type_string) && !strcmp(json_object_get_string(value), "default"))
		return 0;
	if (!json_object_is_type(value, json_type_object))
		return expected(r, child, "\"default\" or an object {\"mode\": ..., \"nodes\": ...}", value);
	if (cm_json_check_fields(value, policy_fields, r->source, child, r->err) ||
	    read_choice(r, value, "mode", CM_JSON_REQUIRED, child, policy_mode_names, &mode) < 0)
		return -EINVAL;
	policy->mode = (enum cm_mempolicy_mode)mode;
	if (read_policy_nodes(r, value, child, &policy->nodes) < 0)
		return -EINVAL;
	return check_policy_nodes(r, child, policy);
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
		return expected(r, child, "a time in ms (a non-negative integer) or \"never\"", value);
	return check_within_run(r, child, actor->start_ms);
}

/*
 * A memory size rounded up to whole 4 KiB pages; more than CM_PHYS_LIMIT
 * is refused, and so is 0 when the field is required.
 */
static int read_memory_size(struct scenario_reader *r, struct json_object *object, const char *key,
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
		return expected(r, child, "a size above 0", json_object_object_get(object, key));
	*out = cm_align_up(bytes, CM_PAGE_SIZE);
	return 0;
}

static int read_skew(struct scenario_reader *r, struct json_object *access, const char *path,
		     struct cm_access *out)
{
	static const char what[] = "a number greater than 0 and at most 10";
	char child[CM_JSON_PATH_MAX];
	struct json_object *value;
	enum cm_json_presence presence = out->pattern == CM_ACCESS_ZIPF ? CM_JSON_REQUIRED : CM_JSON_OPTIONAL;
	int ret;

	ret = cm_json_member(access, "skew", presence, r->source, path, &value, r->err);
	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, "skew");
	if (out->pattern != CM_ACCESS_ZIPF)
		return cm_json_error(r->err, r->source, child, "only the zipf pattern takes a skew");
	if (read_number(r, value, child, what, &out->zipf_skew))
		return -EINVAL;
	if (!(out->zipf_skew > 0 && out->zipf_skew <= SCENARIO_ZIPF_SKEW_MAX))
		return expected(r, child, what, value);
	return 0;
}

static int read_write_fraction(struct scenario_reader *r, struct json_object *access, const char *path,
			       struct cm_access *out)
{
	static const char what[] = "a number 0..1";
	char child[CM_JSON_PATH_MAX];
	struct json_object *value;
	int ret;

	ret = cm_json_member(access, "write", CM_JSON_OPTIONAL, r->source, path, &value, r->err);
	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, "write");
	if (read_number(r, value, child, what, &out->write_fraction))
		return -EINVAL;
	if (!(out->write_fraction >= 0 && out->write_fraction <= 1))
		return expected(r, child, what, value);
	return 0;
}

static int read_access(struct scenario_reader *r, struct json_object *object, const char *path,
		       struct cm_access *out)
{
	char child[CM_JSON_PATH_MAX];
	struct json_object *access;
	int pattern = CM_ACCESS_SEQUENTIAL, ret;

	memset(out, 0, sizeof(*out));
	ret = cm_json_member(object, "access", CM_JSON_OPTIONAL, r->source, path, &access, r->err);
	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, "access");
	if (cm_json_object(access, r->source, child, r->err) ||
	    cm_json_check_fields(access, access_fields, r->source, child, r->err) ||
	    read_choice(r, access, "pattern", CM_JSON_OPTIONAL, child, access_pattern_names, &pattern) < 0)
		return -EINVAL;
	out->pattern = (enum cm_access_pattern)pattern;
	if (read_skew(r, access, child, out) < 0 ||
	    cm_json_field_uint(access, "rate", CM_JSON_OPTIONAL, r->source, child, SCENARIO_RATE_MAX,
			       &out->pages_per_ms, r->err) < 0 ||
	    read_write_fraction(r, access, child, out) < 0)
		return -EINVAL;
	return 0;
}

static int read_process(struct scenario_reader *r, struct json_object *object, const char *path,
			struct cm_scenario_actor *actor)
{
	if (read_policy(r, object, path, &actor->policy) < 0 ||
	    read_memory_size(r, object, "anon", CM_JSON_OPTIONAL, path, &actor->anon_bytes) ||
	    read_memory_size(r, object, "file", CM_JSON_OPTIONAL, path, &actor->file_bytes) ||
	    read_access(r, object, path, &actor->access) < 0)
		return -EINVAL;
	if (!actor->anon_bytes && !actor->file_bytes)
		return cm_json_error(r->err, r->source, path,
				     "a process needs memory: give \"anon\" or \"file\" a size above 0");
	return 0;
}

/* The smallest power of two >= @x (@x <= 2^63). */
static uint64_t power_of_two_above(uint64_t x)
{
	return x <= 1 ? 1 : 1ULL << (64 - __builtin_clzll(x - 1));
}

/*
 * An enclave: "heap" pages added to an enclave of ECREATE "size"; the
 * engine adds a TCS page and an SSA frame of "ssa_frame_pages", so those
 * must fit in the size too. Without "size", the smallest power of two
 * that holds them.
 */
static int read_enclave(struct scenario_reader *r, struct json_object *object, const char *path,
			struct cm_scenario_actor *actor)
{
	char child[CM_JSON_PATH_MAX];
	int64_t ssa_frame_pages = 1;
	uint64_t needed;
	int ret;

	if (cm_json_field_int(object, "ssa_frame_pages", CM_JSON_OPTIONAL, r->source, path, 1,
			      SCENARIO_SSA_FRAME_PAGES_MAX, &ssa_frame_pages, r->err) < 0 ||
	    read_memory_size(r, object, "heap", CM_JSON_REQUIRED, path, &actor->heap_bytes))
		return -EINVAL;
	actor->ssa_frame_pages = (uint32_t)ssa_frame_pages;
	/* At most 2^52 + 17 pages: no overflow. */
	needed = actor->heap_bytes + (1 + actor->ssa_frame_pages) * CM_PAGE_SIZE;

	ret = cm_json_field_size(object, "size", CM_JSON_OPTIONAL, r->source, path, &actor->enclave_size, r->err);
	if (ret < 0)
		return -EINVAL;
	if (ret == 0) {
		actor->enclave_size = power_of_two_above(needed);
		return 0;
	}
	if (actor->enclave_size < SCENARIO_ENCLAVE_SIZE_MIN || (actor->enclave_size & (actor->enclave_size - 1))) {
		cm_json_path_key(child, sizeof(child), path, "size");
		return expected(r, child, "a power of two of at least 8192 bytes (2 pages)",
				json_object_object_get(object, "size"));
	}
	if (needed > actor->enclave_size) {
		cm_json_path_key(child, sizeof(child), path, "heap");
		return cm_json_error(r->err, r->source, child,
				     "%" PRIu64 " bytes plus a TCS page and a %" PRIu32 "-page SSA frame is %" PRIu64
				     " bytes, more than the enclave size %" PRIu64, actor->heap_bytes,
				     actor->ssa_frame_pages, needed, actor->enclave_size);
	}
	return 0;
}

static int read_actor(struct scenario_reader *r, struct json_object *object, const char *path,
		      struct cm_scenario_actor *actor)
{
	if (cm_json_object(object, r->source, path, r->err) || read_actor_kind(r, object, path, actor) ||
	    check_actor_fields(r, object, path, actor->kind) || read_actor_name(r, object, path, actor) ||
	    read_cgroup_name(r, object, path, true, actor->cgroup, sizeof(actor->cgroup)) ||
	    read_actor_node(r, object, path, actor) || read_start(r, object, path, actor) < 0 ||
	    cm_json_field_uint(object, "run_ms", CM_JSON_OPTIONAL, r->source, path, SCENARIO_RUN_MAX_MS,
			       &actor->run_ms, r->err) < 0)
		return -EINVAL;
	switch (actor->kind) {
	case CM_ACTOR_PROCESS:
		return read_process(r, object, path, actor);
	case CM_ACTOR_ENCLAVE:
		return read_enclave(r, object, path, actor) || read_access(r, object, path, &actor->access) < 0 ?
		       -EINVAL : 0;
	case CM_ACTOR_VEPC:
		return read_memory_size(r, object, "size", CM_JSON_REQUIRED, path, &actor->epc_bytes);
	case CM_ACTOR_TD:	/* refused by read_actor_kind() */
		break;
	}
	return cm_json_error(r->err, r->source, path, "actor kind %d is not simulated", (int)actor->kind);
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
		return out_of_memory(r);
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

static int read_actors(struct scenario_reader *r, struct json_object *root)
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
		return out_of_memory(r);
	for (size_t i = 0; i < nr; i++) {
		cm_json_path_index(path, sizeof(path), "$.actors", i);
		if (read_actor(r, json_object_array_get_idx(array, i), path, &s->actors[i]))
			return -EINVAL;
		s->nr_actors++;
	}
	return index_actors(r);
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
static int read_actor_reference(struct scenario_reader *r, struct json_object *object, const char *path,
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

/* ---- events ---- */

static int read_actor_event(struct scenario_reader *r, struct json_object *object, const char *path,
			    struct cm_scenario_event *event)
{
	const struct cm_scenario_actor *actor;
	char child[CM_JSON_PATH_MAX];

	if (read_actor_reference(r, object, path, event->actor, &actor))
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

	if (read_cgroup_name(r, object, path, false, event->cgroup, sizeof(event->cgroup)) ||
	    read_choice(r, object, "file", CM_JSON_REQUIRED, path, cgroup_file_names, &file) < 0 ||
	    read_limit(r, object, "value", CM_JSON_REQUIRED, path, &event->value) < 0)
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

	if (read_block_range(r, object, path, request) ||
	    cm_json_field_int(object, "node", CM_JSON_OPTIONAL, r->source, path, CM_NUMA_NO_NODE,
			      CM_MAX_NUMNODES - 1, &node, r->err) < 0 ||
	    cm_json_field_bool(object, "new_node", CM_JSON_OPTIONAL, r->source, path, &request->new_node,
			       r->err) < 0 ||
	    read_choice(r, object, "mode", CM_JSON_OPTIONAL, path, hotplug_mode_names, &mode) < 0)
		return -EINVAL;
	request->node = (int)node;
	request->mode = (enum cm_hotplug_mode)mode;
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
	if (!find_knob(key))
		return apply_knob(r, &scratch, key, "", value, key_path);
	snprintf(event->key, sizeof(event->key), "%s", key);
	if (knob_value_text(r, value, value_path, event->knob_value, sizeof(event->knob_value)))
		return -EINVAL;
	return apply_knob(r, &scratch, key, event->knob_value, value, value_path);
}

static int read_event(struct scenario_reader *r, struct json_object *object, const char *path,
		      struct cm_scenario_event *event)
{
	char child[CM_JSON_PATH_MAX];
	int kind;

	if (cm_json_object(object, r->source, path, r->err) ||
	    read_choice(r, object, "kind", CM_JSON_REQUIRED, path, event_kind_names, &kind) < 0 ||
	    cm_json_check_fields(object, event_fields[kind], r->source, path, r->err) ||
	    cm_json_field_uint(object, "at_ms", CM_JSON_REQUIRED, r->source, path, UINT64_MAX, &event->at_ms,
			       r->err) < 0)
		return -EINVAL;
	cm_json_path_key(child, sizeof(child), path, "at_ms");
	if (check_within_run(r, child, event->at_ms))
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
		return out_of_memory(r);
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

static int read_events(struct scenario_reader *r, struct json_object *root)
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
		return out_of_memory(r);
	for (size_t i = 0; i < nr; i++) {
		cm_json_path_index(path, sizeof(path), "$.events", i);
		if (read_event(r, json_object_array_get_idx(array, i), path, &s->events[i]))
			return -EINVAL;
		s->nr_events++;
	}
	return sort_events(r);
}

/* ---- expectations ---- */

static int read_outcome_expect(struct scenario_reader *r, struct json_object *object, const char *path,
			       struct cm_scenario_expect *expect)
{
	const struct cm_scenario_actor *actor;
	int outcome;

	if (read_actor_reference(r, object, path, expect->actor, &actor) ||
	    read_choice(r, object, "outcome", CM_JSON_REQUIRED, path, outcome_names, &outcome) < 0)
		return -EINVAL;
	expect->kind = CM_EXPECT_OUTCOME;
	expect->outcome = (enum cm_outcome)outcome;
	snprintf(expect->text, sizeof(expect->text), "%s %s", expect->actor, outcome_names[outcome]);
	return 0;
}

static bool is_counter_name(const char *name)
{
	size_t len = strlen(name);

	return len > 0 && len <= SCENARIO_COUNTER_NAME_MAX &&
	       strspn(name, COUNTER_CHARACTERS) == len;
}

static int read_counter_expect(struct scenario_reader *r, struct json_object *object, const char *path,
			       struct cm_scenario_expect *expect)
{
	char child[CM_JSON_PATH_MAX];
	const char *name;
	int op;

	if (cm_json_field_string(object, "counter", CM_JSON_REQUIRED, r->source, path, &name, r->err) < 0)
		return -EINVAL;
	if (!is_counter_name(name)) {
		cm_json_path_key(child, sizeof(child), path, "counter");
		return expected(r, child, "a counter name of 1..127 characters [A-Za-z0-9_.:/-]",
				json_object_object_get(object, "counter"));
	}
	if (read_choice(r, object, "op", CM_JSON_REQUIRED, path, expect_op_names, &op) < 0 ||
	    cm_json_field_size(object, "value", CM_JSON_REQUIRED, r->source, path, &expect->value, r->err) < 0)
		return -EINVAL;
	expect->kind = CM_EXPECT_COUNTER;
	snprintf(expect->counter, sizeof(expect->counter), "%s", name);
	expect->op = (enum cm_expect_op)op;
	snprintf(expect->text, sizeof(expect->text), "%s %s %" PRIu64, expect->counter, expect_op_names[op],
		 expect->value);
	return 0;
}

static int read_expect(struct scenario_reader *r, struct json_object *object, const char *path,
		       struct cm_scenario_expect *expect)
{
	bool has_actor, has_counter;

	if (cm_json_object(object, r->source, path, r->err))
		return -EINVAL;
	has_actor = json_object_object_get_ex(object, "actor", NULL);
	has_counter = json_object_object_get_ex(object, "counter", NULL);
	if (has_actor == has_counter)
		return cm_json_error(r->err, r->source, path, "expected exactly one of \"actor\" (with \"outcome\") "
				     "or \"counter\" (with \"op\" and \"value\")");
	if (has_actor)
		return cm_json_check_fields(object, expect_outcome_fields, r->source, path, r->err) ?:
		       read_outcome_expect(r, object, path, expect);
	return cm_json_check_fields(object, expect_counter_fields, r->source, path, r->err) ?:
	       read_counter_expect(r, object, path, expect);
}

static int read_expects(struct scenario_reader *r, struct json_object *root)
{
	struct cm_scenario *s = r->scenario;
	struct json_object *array;
	char path[CM_JSON_PATH_MAX];
	size_t nr;
	int ret;

	ret = cm_json_member(root, "expect", CM_JSON_OPTIONAL, r->source, "$", &array, r->err);
	if (ret <= 0)
		return ret;
	if (cm_json_array(array, r->source, "$.expect", &nr, r->err))
		return -EINVAL;
	s->expects = calloc(nr ? nr : 1, sizeof(*s->expects));
	if (!s->expects)
		return out_of_memory(r);
	for (size_t i = 0; i < nr; i++) {
		cm_json_path_index(path, sizeof(path), "$.expect", i);
		if (read_expect(r, json_object_array_get_idx(array, i), path, &s->expects[i]))
			return -EINVAL;
		s->nr_expects++;
	}
	return 0;
}

/* ---- the whole scenario ---- */

static int read_scenario(struct scenario_reader *r, struct json_object *root)
{
	struct cm_scenario *s = r->scenario;
	int64_t duration_ms = 0;

	if (cm_json_object(root, r->source, "$", r->err) ||
	    cm_json_check_fields(root, scenario_fields, r->source, "$", r->err) || read_platform(r, root))
		return r->err->code ? r->err->code : -EINVAL;
	s->seed = SCENARIO_DEFAULT_SEED;
	if (cm_json_field_uint(root, "seed", CM_JSON_OPTIONAL, r->source, "$", UINT64_MAX, &s->seed, r->err) < 0 ||
	    cm_json_field_int(root, "duration_ms", CM_JSON_REQUIRED, r->source, "$", 1,
			      (int64_t)SCENARIO_DURATION_MAX_MS, &duration_ms, r->err) < 0)
		return -EINVAL;
	s->duration_ms = (uint64_t)duration_ms;
	if (read_config(r, root) || read_cgroups(r, root) || read_actors(r, root) || read_events(r, root) ||
	    read_expects(r, root))
		return r->err->code ? r->err->code : -EINVAL;
	return 0;
}

int cm_scenario_from_json_string(const char *text, size_t len, const char *source, const char *base_dir,
				 struct cm_scenario **out, struct cm_error *err)
{
	struct scenario_reader reader = { .source = source, .base_dir = base_dir, .err = err };
	struct json_object *root;
	int ret;

	*out = NULL;
	cm_error_clear(err);
	ret = cm_json_parse(text, len, source, &root, err);
	if (ret)
		return ret;
	reader.scenario = calloc(1, sizeof(*reader.scenario));
	if (!reader.scenario) {
		json_object_put(root);
		return out_of_memory(&reader);
	}
	snprintf(reader.scenario->source, sizeof(reader.scenario->source), "%s", source);
	ret = read_scenario(&reader, root);
	free(reader.actors_by_name);
	json_object_put(root);
	if (ret) {
		cm_scenario_free(reader.scenario);
		return ret;
	}
	*out = reader.scenario;
	return 0;
}

/* The directory of @path, where its relative names are resolved; NULL for the current directory. */
static int directory_of(const char *path, char **dir)
{
	const char *slash = strrchr(path, '/');

	*dir = NULL;
	if (!slash)
		return 0;
	*dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
	return *dir ? 0 : -ENOMEM;
}

int cm_scenario_from_json_file(const char *path, struct cm_scenario **out, struct cm_error *err)
{
	char *text, *base_dir;
	size_t len;
	int ret;

	*out = NULL;
	ret = cm_json_read_file(path, &text, &len, err);
	if (ret)
		return ret;
	if (directory_of(path, &base_dir))
		ret = cm_error_set(err, -ENOMEM, "%s: out of memory", path);
	else
		ret = cm_scenario_from_json_string(text, len, path, base_dir, out, err);
	free(base_dir);
	free(text);
	return ret;
}

void cm_scenario_free(struct cm_scenario *s)
{
	if (!s)
		return;
	cm_platform_free(s->platform);
	free(s->cgroups);
	free(s->actors);
	free(s->events);
	free(s->expects);
	free(s);
}
