// SPDX-License-Identifier: MIT
/*
 * A process: anonymous then file pages in an address space of the page
 * engine, charged to its memory cgroup, allocated by its memory policy,
 * touched at its access rate. The OOM killer may kill it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "scenario_internal.h"

static const char *const process_fields[] = {
	"name", "kind", "cgroup", "node", "policy", "start_ms", "run_ms", "anon", "file", "access", NULL
};

static int process_read(struct scenario_reader *r, struct json_object *object, const char *path,
			struct cm_scenario_actor *actor)
{
	if (scenario_read_policy(r, object, path, &actor->policy) < 0 ||
	    scenario_read_memory_size(r, object, "anon", CM_JSON_OPTIONAL, path, &actor->anon_bytes) ||
	    scenario_read_memory_size(r, object, "file", CM_JSON_OPTIONAL, path, &actor->file_bytes) ||
	    scenario_read_access(r, object, path, &actor->access) < 0)
		return -EINVAL;
	if (!actor->anon_bytes && !actor->file_bytes)
		return cm_json_error(r->err, r->source, path,
				     "a process needs memory: give \"anon\" or \"file\" a size above 0");
	return 0;
}

static int process_start(struct cm_sim *sim, struct cm_sim_actor *a, int memcg, int node, struct cm_error *err)
{
	const struct cm_scenario_actor *d = a->def;

	a->space = cm_mm_space_new(sim->mm, sim_pages_of(d->anon_bytes), sim_pages_of(d->file_bytes), memcg,
				   &d->policy, node);
	if (a->space < 0)
		return cm_error_set(err, a->space, "%s: actor %s: cannot create its address space",
				    sim->scenario->source, d->name);
	a->outcome = CM_OUTCOME_RUNNING;
	a->started_ms = sim->now_ms;
	sim_trace(sim, "%s: started on node %d in %s (%" PRIu64 " anon + %" PRIu64 " file pages)", d->name, node,
		  d->cgroup, sim_pages_of(d->anon_bytes), sim_pages_of(d->file_bytes));
	return 0;
}

/*
 * The pages of one millisecond are drawn and touched TOUCH_CHUNK at a time
 * through the engine's batched path, which reads the next pages' entries
 * ahead: the same touches in the same order as one cm_mm_touch() each.
 * Nothing but the touches uses the actor's random numbers in between, and
 * after a failed touch the actor ends, so drawing a chunk ahead changes
 * nothing.
 */
#define TOUCH_CHUNK 256

static void process_step(struct cm_sim *sim, struct cm_sim_actor *a)
{
	const struct cm_scenario_actor *d = a->def;
	uint64_t nr_pages = sim_pages_of(d->anon_bytes) + sim_pages_of(d->file_bytes);
	uint64_t rate = d->access.pages_per_ms;
	uint64_t pages[TOUCH_CHUNK];
	bool writes[TOUCH_CHUNK];

	if (!nr_pages)
		return;
	for (uint64_t i = 0; i < rate; i += TOUCH_CHUNK) {
		size_t nr = rate - i < TOUCH_CHUNK ? (size_t)(rate - i) : TOUCH_CHUNK, done;

		for (size_t k = 0; k < nr; k++) {
			pages[k] = sim_next_page(a, nr_pages);
			writes[k] = d->access.write_fraction > 0 && cm_rand_unit(&a->rng) < d->access.write_fraction;
		}
		if (sim_touch_pages(sim, a, a->space, pages, writes, nr, &done)) {
			sim_reap_actors(sim);
			if (a->outcome == CM_OUTCOME_RUNNING)
				sim_actor_end(sim, a, CM_OUTCOME_FAILED, "no memory on the nodes its policy allows");
			return;
		}
	}
	sim_reap_actors(sim);
}

/* Killed by the OOM killer: why, from the limit the killer enforced (a cgroup's, maybe a parent's) or none. */
static void process_reap(struct cm_sim *sim, struct cm_sim_actor *a)
{
	struct cm_mm_oom_kill kill;
	struct cm_memcg_info info;
	char reason[256];

	if (a->space < 0 || !cm_mm_space_killed(sim->mm, a->space))
		return;
	if (!cm_mm_space_oom_kill(sim->mm, a->space, &kill) || !kill.memcg) {
		sim_actor_end(sim, a, CM_OUTCOME_KILLED, "killed by the OOM killer: out of memory");
		return;
	}
	cm_mm_memcg_info(sim->mm, kill.memcg, &info);
	snprintf(reason, sizeof(reason), "killed by the OOM killer: memory cgroup %s could not reclaim below "
		 "memory.max", info.path);
	sim_actor_end(sim, a, CM_OUTCOME_KILLED, reason);
}

static void process_measure(struct cm_sim *sim, struct cm_sim_actor *a)
{
	a->resident_pages = cm_mm_space_resident(sim->mm, a->space);
	a->swapped_pages = cm_mm_space_swapped(sim->mm, a->space);
}

static void process_release(struct cm_sim *sim, struct cm_sim_actor *a)
{
	if (a->space < 0)
		return;
	process_measure(sim, a);
	cm_mm_space_release(sim->mm, a->space);
}

static uint64_t process_mapped_pages(const struct cm_scenario_actor *d, const char **member)
{
	*member = d->anon_bytes >= d->file_bytes ? "anon" : "file";
	return sim_pages_of(d->anon_bytes) + sim_pages_of(d->file_bytes);
}

static uint64_t process_page_events(const struct cm_scenario *sc, const struct cm_scenario_actor *d,
				    uint64_t active_ms)
{
	(void)sc;
	return sim_mul_saturating(d->access.pages_per_ms, active_ms);
}

const struct cm_actor_operations actor_process_operations = {
	.fields = process_fields,
	.read = process_read,
	.start = process_start,
	.step = process_step,
	.reap = process_reap,
	.measure = process_measure,
	.release = process_release,
	.mapped_pages = process_mapped_pages,
	.page_events = process_page_events,
	/* process_step() makes the only touches, and a page is allocated at its first. */
	.without_access = "a process's pages are allocated when it first touches them, so it never allocates "
			  "any: it holds no memory and reclaim never sees it",
};
