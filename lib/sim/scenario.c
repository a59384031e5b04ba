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

#include "scenario_internal.h"

#define SCENARIO_DEFAULT_SEED 1

static const char *const scenario_fields[] = {
	"platform", "seed", "duration_ms", "config", "cgroups", "actors", "events", "expect", NULL
};

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
		return scenario_out_of_memory(r);
	why = stat(file, &st) ? strerror(errno) : !S_ISREG(st.st_mode) ? "not a regular file" : NULL;
	if (why) {
		format_preset_names(presets, sizeof(presets));
		cm_json_describe(value, found, sizeof(found));
		scenario_printable_text(file, shown, sizeof(shown));
		ret = cm_json_error(r->err, r->source, path, "%s is neither a preset (%s) nor a platform file: %s: %s",
				    found, presets, shown, why);
	} else {
		ret = cm_platform_from_json_file(file, &r->scenario->platform, r->err);
	}
	free(file);
	return ret;
}

static int load_platform(struct scenario_reader *r, struct json_object *root)
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
		return scenario_expected(r, "$.platform", "a preset name, a platform file name or a platform object", value);
	if (cm_json_string(value, r->source, "$.platform", &name, r->err))
		return -EINVAL;
	if (is_preset(name))
		return cm_platform_from_preset(name, &r->scenario->platform, r->err);
	return platform_from_file(r, value, "$.platform");
}

/* The platform, whose boot memory the engine must be able to hold. */
static int read_platform(struct scenario_reader *r, struct json_object *root)
{
	char have[32], most[32];
	uint64_t nr;
	int ret = load_platform(r, root);

	if (ret)
		return ret;
	nr = cm_mm_boot_frames(r->scenario->platform);
	if (nr <= CM_MM_FRAMES_MAX)
		return 0;
	cm_format_human_size(nr * CM_PAGE_SIZE, have, sizeof(have));
	cm_format_human_size((uint64_t)CM_MM_FRAMES_MAX * CM_PAGE_SIZE, most, sizeof(most));
	return cm_json_error(r->err, r->source, "$.platform", "%s of boot memory (%" PRIu64 " frames), more than the "
			     "engine simulates: %s (%u frames)", have, nr, most, CM_MM_FRAMES_MAX);
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
	if (scenario_read_config(r, root) || scenario_read_cgroups(r, root) || scenario_read_actors(r, root) || scenario_read_events(r, root) ||
	    scenario_read_expects(r, root))
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
		return scenario_out_of_memory(&reader);
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
	cm_log_free(&s->warnings);
	free(s);
}
