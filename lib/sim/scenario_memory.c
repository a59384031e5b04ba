// SPDX-License-Identifier: MIT
/* How an actor uses memory: its memory policy and its access pattern. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "scenario_internal.h"

#define SCENARIO_RATE_MAX 1000000000ULL		/* rate * duration fits in 64 bits */
#define SCENARIO_ZIPF_SKEW_MAX 10.0

static const char *const policy_fields[] = { "mode", "nodes", NULL };
static const char *const access_fields[] = { "pattern", "skew", "rate", "write", NULL };

/* A node list in the kernel's list syntax whose nodes all exist. */
static int read_policy_nodes(struct scenario_reader *r, struct json_object *policy, const char *path,
			     cm_nodemask_t *out)
{
	char child[CM_JSON_PATH_MAX], found[96];
	struct cm_error reason = { 0 };
	struct cm_bitmap bitmap;
	const char *text;
	cm_nodemask_t unknown;
	int ret;

	*out = 0;
	ret = cm_json_field_string(policy, "nodes", CM_JSON_OPTIONAL, r->source, path, &text, r->err);
	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, "nodes");
	if (cm_bitmap_init(&bitmap, CM_MAX_NUMNODES))
		return scenario_out_of_memory(r);
	ret = cm_bitmap_parse_list(&bitmap, text, &reason);
	*out = bitmap.words[0];
	cm_bitmap_free(&bitmap);
	if (!ret && strchr(text, '\n'))
		ret = cm_error_set(&reason, -EINVAL, "a newline in the list");
	if (ret) {
		cm_json_describe(json_object_object_get(policy, "nodes"), found, sizeof(found));
		return cm_json_error(r->err, r->source, child, "expected a node list such as \"0-1,3\", found %s%s%s",
				     found, reason.msg[0] ? ": " : "", reason.msg);
	}
	unknown = *out & ~scenario_platform_nodes(r->scenario->platform);
	if (unknown)
		return scenario_node_does_not_exist(r, child, __builtin_ctzll(unknown));
	return 0;
}

static int check_policy_nodes(struct scenario_reader *r, const char *path, const struct cm_mempolicy *policy)
{
	char child[CM_JSON_PATH_MAX];
	int weight = __builtin_popcountll(policy->nodes);
	const char *mode = cm_mempolicy_mode_name(policy->mode);

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

int scenario_read_policy(struct scenario_reader *r, struct json_object *object, const char *path,
			 struct cm_mempolicy *policy)
{
	return scenario_read_policy_member(r, object, "policy", path, policy);
}

int scenario_read_policy_member(struct scenario_reader *r, struct json_object *object, const char *key,
				const char *path, struct cm_mempolicy *policy)
{
	char child[CM_JSON_PATH_MAX];
	struct json_object *value;
	const char *mode_names[CM_NR_MEMPOLICY_MODES + 1] = { NULL };
	int mode, ret;

	for (unsigned int m = 0; m < CM_NR_MEMPOLICY_MODES; m++)
		mode_names[m] = cm_mempolicy_mode_name(m);
	policy->mode = CM_MPOL_DEFAULT;
	policy->nodes = 0;
	ret = cm_json_member(object, key, CM_JSON_OPTIONAL, r->source, path, &value, r->err);
	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, key);
	if (json_object_is_type(value, json_type_string) && !strcmp(json_object_get_string(value), "default"))
		return 0;
	if (!json_object_is_type(value, json_type_object))
		return scenario_expected(r, child, "\"default\" or an object {\"mode\": ..., \"nodes\": ...}", value);
	if (cm_json_check_fields(value, policy_fields, r->source, child, r->err) ||
	    scenario_read_choice(r, value, "mode", CM_JSON_REQUIRED, child, mode_names, &mode) < 0)
		return -EINVAL;
	policy->mode = (enum cm_mempolicy_mode)mode;
	if (read_policy_nodes(r, value, child, &policy->nodes) < 0)
		return -EINVAL;
	return check_policy_nodes(r, child, policy);
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
	if (scenario_read_number(r, value, child, what, &out->zipf_skew))
		return -EINVAL;
	if (!(out->zipf_skew > 0 && out->zipf_skew <= SCENARIO_ZIPF_SKEW_MAX))
		return scenario_expected(r, child, what, value);
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
	if (scenario_read_number(r, value, child, what, &out->write_fraction))
		return -EINVAL;
	if (!(out->write_fraction >= 0 && out->write_fraction <= 1))
		return scenario_expected(r, child, what, value);
	return 0;
}

int scenario_read_access(struct scenario_reader *r, struct json_object *object, const char *path,
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
	    scenario_read_choice(r, access, "pattern", CM_JSON_OPTIONAL, child, scenario_access_pattern_names, &pattern) < 0)
		return -EINVAL;
	out->pattern = (enum cm_access_pattern)pattern;
	if (read_skew(r, access, child, out) < 0 ||
	    cm_json_field_uint(access, "rate", CM_JSON_OPTIONAL, r->source, child, SCENARIO_RATE_MAX,
			       &out->pages_per_ms, r->err) < 0 ||
	    read_write_fraction(r, access, child, out) < 0)
		return -EINVAL;
	return 0;
}
