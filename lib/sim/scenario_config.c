// SPDX-License-Identifier: MIT
/* A scenario's "config" object and the knob values of its "set" events. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "scenario_internal.h"

/* A knob's value as the text cm_config_set_value() reads: a string, an integer, or true/false as 1/0. */
int scenario_knob_value_text(struct scenario_reader *r, struct json_object *value, const char *path, char *buf,
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
			return scenario_expected(r, path, what, value);
		snprintf(buf, len, "%" PRIu64, json_object_get_uint64(value));
		return 0;
	default:
		return scenario_expected(r, path, what, value);
	}
}

/*
 * Apply one knob; the message of cm_config_set_value() moves under @path
 * without its "KEY: ". A value with control characters is described from
 * its JSON @json_value instead, so that the message stays on one line.
 */
int scenario_apply_knob(struct scenario_reader *r, struct cm_config *config, const char *key, const char *value,
			struct json_object *json_value, const char *path)
{
	const struct cm_config_knob *knob = cm_config_knob_find(key);
	struct cm_error knob_err = { 0 };
	const char *message;
	size_t key_len = strlen(key);

	if (!cm_config_set_value(config, key, value, &knob_err))
		return 0;
	if (knob && scenario_has_control_characters(value))
		{
		char values[CM_KNOB_VALUES_MAX];

		return scenario_expected(r, path, cm_config_knob_values(knob, values, sizeof(values)), json_value);
	}
	message = knob_err.msg;
	if (!strncmp(message, key, key_len) && !strncmp(message + key_len, ": ", 2))
		message += key_len + 2;
	return cm_json_error(r->err, r->source, path, "%s", message);
}

int scenario_read_config(struct scenario_reader *r, struct json_object *root)
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
		cm_json_path_key(path, sizeof(path), "$.config", key);
		if (!cm_config_knob_find(key))
			return scenario_apply_knob(r, &r->scenario->config, key, "", value, path);
		if (scenario_knob_value_text(r, value, path, text, sizeof(text)) ||
		    scenario_apply_knob(r, &r->scenario->config, key, text, value, path))
			return -EINVAL;
	}
	return 0;
}
