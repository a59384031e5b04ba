// SPDX-License-Identifier: MIT
/* A scenario's "expect": actor outcomes and counter comparisons. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "scenario_internal.h"

/* Counters may also use ":/". */
#define COUNTER_CHARACTERS NAME_CHARACTERS ":/"
#define SCENARIO_COUNTER_NAME_MAX (sizeof(((struct cm_scenario_expect *)0)->counter) - 1)


static const char *const expect_outcome_fields[] = { "actor", "outcome", NULL };
static const char *const expect_counter_fields[] = { "counter", "op", "value", NULL };

static int read_outcome_expect(struct scenario_reader *r, struct json_object *object, const char *path,
			       struct cm_scenario_expect *expect)
{
	const struct cm_scenario_actor *actor;
	int outcome;

	if (scenario_read_actor_reference(r, object, path, expect->actor, &actor) ||
	    scenario_read_choice(r, object, "outcome", CM_JSON_REQUIRED, path, scenario_outcome_names, &outcome) < 0)
		return -EINVAL;
	expect->kind = CM_EXPECT_OUTCOME;
	expect->outcome = (enum cm_outcome)outcome;
	snprintf(expect->text, sizeof(expect->text), "%s %s", expect->actor, scenario_outcome_names[outcome]);
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
		return scenario_expected(r, child, "a counter name of 1..127 characters [A-Za-z0-9_.:/-]",
					 json_object_object_get(object, "counter"));
	}
	if (scenario_read_choice(r, object, "op", CM_JSON_REQUIRED, path, scenario_expect_op_names, &op) < 0 ||
	    cm_json_field_size(object, "value", CM_JSON_REQUIRED, r->source, path, &expect->value, r->err) < 0)
		return -EINVAL;
	expect->kind = CM_EXPECT_COUNTER;
	snprintf(expect->counter, sizeof(expect->counter), "%s", name);
	expect->op = (enum cm_expect_op)op;
	snprintf(expect->text, sizeof(expect->text), "%s %s %" PRIu64, expect->counter, scenario_expect_op_names[op],
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

int scenario_read_expects(struct scenario_reader *r, struct json_object *root)
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
		return scenario_out_of_memory(r);
	for (size_t i = 0; i < nr; i++) {
		cm_json_path_index(path, sizeof(path), "$.expect", i);
		if (read_expect(r, json_object_array_get_idx(array, i), path, &s->expects[i]))
			return -EINVAL;
		s->nr_expects++;
	}
	return 0;
}
