// SPDX-License-Identifier: MIT
/*
 * The names of the simulation's enums as scenarios spell them and sim
 * reports print them: one table per enum, indexed by it. The tables end
 * with NULL so that the scenario reader offers them as its choices.
 */
#include "confmem/names.h"
#include "scenario_internal.h"

const char *const scenario_outcome_names[] = {
	[CM_OUTCOME_PENDING] = "pending",
	[CM_OUTCOME_RUNNING] = "running",
	[CM_OUTCOME_EXITED] = "exited",
	[CM_OUTCOME_FAILED] = "failed",
	[CM_OUTCOME_KILLED] = "killed",
	[CM_NR_OUTCOMES] = NULL,
};
_Static_assert(ARRAY_SIZE(scenario_outcome_names) == CM_NR_OUTCOMES + 1, "a name for every outcome");

const char *const scenario_access_pattern_names[] = {
	[CM_ACCESS_SEQUENTIAL] = "sequential",
	[CM_ACCESS_UNIFORM] = "uniform",
	[CM_ACCESS_ZIPF] = "zipf",
	[CM_NR_ACCESS_PATTERNS] = NULL,
};
_Static_assert(ARRAY_SIZE(scenario_access_pattern_names) == CM_NR_ACCESS_PATTERNS + 1,
	       "a name for every access pattern");

const char *const scenario_event_kind_names[] = {
	[CM_EVENT_START] = "start",
	[CM_EVENT_KILL] = "kill",
	[CM_EVENT_CGROUP_WRITE] = "cgroup_write",
	[CM_EVENT_HOTADD] = "hotadd",
	[CM_EVENT_OFFLINE] = "offline",
	[CM_EVENT_SET] = "set",
	[CM_NR_EVENT_KINDS] = NULL,
};
_Static_assert(ARRAY_SIZE(scenario_event_kind_names) == CM_NR_EVENT_KINDS + 1, "a name for every event kind");

const char *const scenario_expect_op_names[] = {
	[CM_EXPECT_EQ] = "==",
	[CM_EXPECT_NE] = "!=",
	[CM_EXPECT_GT] = ">",
	[CM_EXPECT_GE] = ">=",
	[CM_EXPECT_LT] = "<",
	[CM_EXPECT_LE] = "<=",
	[CM_NR_EXPECT_OPS] = NULL,
};
_Static_assert(ARRAY_SIZE(scenario_expect_op_names) == CM_NR_EXPECT_OPS + 1, "a name for every comparison");

const char *cm_outcome_name(enum cm_outcome outcome)
{
	return cm_name_of(scenario_outcome_names, CM_NR_OUTCOMES, outcome);
}

const char *cm_access_pattern_name(enum cm_access_pattern pattern)
{
	return cm_name_of(scenario_access_pattern_names, CM_NR_ACCESS_PATTERNS, pattern);
}

const char *cm_event_kind_name(enum cm_event_kind kind)
{
	return cm_name_of(scenario_event_kind_names, CM_NR_EVENT_KINDS, kind);
}

const char *cm_expect_op_name(enum cm_expect_op op)
{
	return cm_name_of(scenario_expect_op_names, CM_NR_EXPECT_OPS, op);
}
