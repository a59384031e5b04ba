// SPDX-License-Identifier: MIT
/*
 * Scenario events as the engine applies them: start and kill an actor,
 * write a cgroup file, hot-add and offline memory, set a knob. Each one
 * applied is logged with its result ("120 ms hotadd: ...").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sim_internal.h"

/* An offline the kernel refuses (-EBUSY, nothing online there) is a result, not an input error. */
static int apply_offline(struct cm_sim *sim, const struct cm_scenario_event *e, char *result, size_t len)
{
	struct cm_error oerr = { 0 };
	const struct cm_tiering *t;

	if (cm_mm_offline(sim->mm, -1, e->hotplug.start, e->hotplug.size / CM_PAGE_SIZE, &oerr)) {
		sim->offline_refused++;
		snprintf(result, len, "offline refused: %s", oerr.msg);
		return 0;
	}
	sim->offline_blocks += e->hotplug.size / sim->scenario->platform->memory_block_size;
	snprintf(result, len, "[0x%" PRIx64 ", 0x%" PRIx64 ") offline", e->hotplug.start,
		 e->hotplug.start + e->hotplug.size);
	t = cm_mm_tiering(sim->mm);
	for (size_t i = 0; i < t->log.nr_lines; i++)
		if (!strncmp(t->log.lines[i].text, "Demotion", 8))
			sim_trace(sim, "%s", t->log.lines[i].text);
	return 0;
}

static int apply_cgroup_write(struct cm_sim *sim, const struct cm_scenario_event *e, char *result, size_t len,
			      struct cm_error *err)
{
	int memcg = cm_mm_memcg_find(sim->mm, e->cgroup);

	if (memcg < 0)
		return cm_error_set(err, -EINVAL, "%s: event at %" PRIu64 " ms: no cgroup %s", sim->scenario->source,
				    e->at_ms, e->cgroup);
	if (e->value == CM_LIMIT_MAX)
		snprintf(result, len, "%s/%s = max", e->cgroup, e->file);
	else
		snprintf(result, len, "%s/%s = %" PRIu64, e->cgroup, e->file, e->value);
	if (!strcmp(e->file, "memory.max")) {
		cm_mm_memcg_set_max(sim->mm, memcg, sim_limit_pages(e->value));
		sim_reap_actors(sim);
	} else if (!strcmp(e->file, "memory.swap.max")) {
		cm_mm_memcg_set_swap_max(sim->mm, memcg, sim_limit_pages(e->value));
	} else if (!strcmp(e->file, "misc.max") && sim->epc) {
		cm_epc_cgroup_set_max(sim->epc, memcg, sim_limit_pages(e->value));
	} else {
		return cm_error_set(err, -EINVAL, "%s: event at %" PRIu64 " ms: %s: the platform has no EPC",
				    sim->scenario->source, e->at_ms, e->file);
	}
	return 0;
}

int sim_apply_event(struct cm_sim *sim, const struct cm_scenario_event *e, struct cm_error *err)
{
	char result[400] = "done";
	struct cm_sim_actor *a;
	int ret = 0;

	switch (e->kind) {
	case CM_EVENT_START:
		a = sim_find_actor(sim, e->actor);
		snprintf(result, sizeof(result), "start %s", e->actor);
		if (a && a->outcome == CM_OUTCOME_PENDING)
			ret = sim_actor_start(sim, a, err);
		else
			snprintf(result, sizeof(result), "%s is not waiting to start", e->actor);
		break;
	case CM_EVENT_KILL:
		a = sim_find_actor(sim, e->actor);
		snprintf(result, sizeof(result), "kill %s", e->actor);
		if (a && a->outcome == CM_OUTCOME_RUNNING)
			sim_actor_end(sim, a, CM_OUTCOME_KILLED, "killed by a scenario event");
		else
			snprintf(result, sizeof(result), "%s is not running", e->actor);
		break;
	case CM_EVENT_CGROUP_WRITE:
		ret = apply_cgroup_write(sim, e, result, sizeof(result), err);
		break;
	case CM_EVENT_HOTADD:
		ret = sim_apply_hotadd(sim, e, result, sizeof(result), err);
		break;
	case CM_EVENT_OFFLINE:
		ret = apply_offline(sim, e, result, sizeof(result));
		break;
	case CM_EVENT_SET:
		ret = cm_config_set_value(cm_mm_config(sim->mm), e->key, e->knob_value, err);
		if (!ret && !strcmp(e->key, "tiering.model"))
			ret = cm_mm_recompute_tiers(sim->mm);
		snprintf(result, sizeof(result), "%s=%s", e->key, e->knob_value);
		break;
	}
	if (!ret) {
		cm_log_add(&sim->events, CM_LOG_INFO, "%" PRIu64 " ms %s: %s", e->at_ms, cm_event_kind_name(e->kind),
			   result);
		sim_trace(sim, "event: %s", result);
	}
	return ret;
}
