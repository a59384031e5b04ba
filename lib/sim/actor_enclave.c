// SPDX-License-Identifier: MIT
/*
 * An SGX enclave: ECREATE of its size, EADD of its heap, a TCS page and
 * its SSA frame (each allocation may reclaim EPC), EINIT, then touches of
 * the added pages at its access rate. Its backing memory (one page per
 * enclave page plus PCMD pages) is an address space of the page engine.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <json-c/json.h>

#include "scenario_internal.h"

#define SCENARIO_SSA_FRAME_PAGES_MAX 16
#define SCENARIO_ENCLAVE_SIZE_MIN (2 * CM_PAGE_SIZE)	/* ECREATE: a power of two of at least two pages */

static const char *const enclave_fields[] = {
	"name", "kind", "cgroup", "node", "start_ms", "run_ms", "size", "heap", "ssa_frame_pages", "access", NULL
};

/* The smallest power of two >= @x (@x <= 2^63). */
static uint64_t power_of_two_above(uint64_t x)
{
	return x <= 1 ? 1 : 1ULL << (64 - __builtin_clzll(x - 1));
}

/*
 * "heap" pages added to an enclave of ECREATE "size"; the engine adds a
 * TCS page and an SSA frame of "ssa_frame_pages", so those must fit in
 * the size too. Without "size", the smallest power of two that holds them.
 */
static int read_enclave_size(struct scenario_reader *r, struct json_object *object, const char *path,
			     struct cm_scenario_actor *actor)
{
	char child[CM_JSON_PATH_MAX];
	int64_t ssa_frame_pages = 1;
	uint64_t needed;
	int ret;

	if (cm_json_field_int(object, "ssa_frame_pages", CM_JSON_OPTIONAL, r->source, path, 1,
			      SCENARIO_SSA_FRAME_PAGES_MAX, &ssa_frame_pages, r->err) < 0 ||
	    scenario_read_memory_size(r, object, "heap", CM_JSON_REQUIRED, path, &actor->heap_bytes))
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
		return scenario_expected(r, child, "a power of two of at least 8192 bytes (2 pages)",
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

static int enclave_read(struct scenario_reader *r, struct json_object *object, const char *path,
			struct cm_scenario_actor *actor)
{
	if (read_enclave_size(r, object, path, actor) || scenario_read_access(r, object, path, &actor->access) < 0)
		return -EINVAL;
	return 0;
}

/* An enclave's backing: one page per enclave page plus its PCMD pages. */
static uint64_t enclave_backing_pages(const struct cm_scenario_actor *d)
{
	uint64_t nr = d->enclave_size / CM_PAGE_SIZE;

	return nr + nr / CM_SGX_PCMD_PER_PAGE + 1;
}

/* The pages an enclave adds: its heap, one TCS and the SSA frames. */
static uint64_t enclave_added_pages(const struct cm_scenario_actor *d)
{
	return sim_pages_of(d->heap_bytes) + 1 + d->ssa_frame_pages;
}

/* ECREATE, EADD of every page (allocations may reclaim), EINIT. */
static int enclave_build(struct cm_sim *sim, struct cm_sim_actor *a, int cgroup, int node)
{
	const struct cm_scenario_actor *d = a->def;
	uint64_t nr = enclave_added_pages(d);
	char reason[192];
	int ret;

	a->enclave = cm_epc_enclave_create(sim->epc, cgroup, node, d->enclave_size / CM_PAGE_SIZE, a->space);
	if (a->enclave < 0) {
		snprintf(reason, sizeof(reason), "ECREATE failed (%d): no EPC for its SECS and VA page", a->enclave);
		a->enclave = -1;
		sim_actor_end(sim, a, CM_OUTCOME_FAILED, reason);
		return 0;
	}
	for (uint64_t i = 0; i < nr; i++) {
		ret = cm_epc_enclave_add_page(sim->epc, a->enclave);
		if (ret) {
			snprintf(reason, sizeof(reason), "EADD of page %" PRIu64 " of %" PRIu64 " failed (%d): %s", i, nr,
				 ret, cm_epc_enclave_dead(sim->epc, a->enclave) ? cm_epc_enclave_reason(sim->epc, a->enclave) :
				 "no EPC and nothing reclaimable within its misc cgroup's limit");
			sim_actor_end(sim, a, CM_OUTCOME_FAILED, reason);
			return 0;
		}
	}
	cm_epc_enclave_init(sim->epc, a->enclave);
	sim_trace(sim, "%s: enclave built: %" PRIu64 " pages added, %" PRIu64 " EPC pages resident", d->name, nr,
		  cm_epc_enclave_resident(sim->epc, a->enclave));
	return 0;
}

static int enclave_start(struct cm_sim *sim, struct cm_sim_actor *a, int memcg, int node, struct cm_error *err)
{
	const struct cm_scenario_actor *d = a->def;

	if (!sim->epc)
		return cm_error_set(err, -EINVAL, "%s: actor %s: the platform has no EPC", sim->scenario->source,
				    d->name);
	a->space = cm_mm_space_new(sim->mm, enclave_backing_pages(d), 0, memcg, &d->policy, node);
	if (a->space < 0)
		return cm_error_set(err, a->space, "%s: actor %s: cannot create its address space",
				    sim->scenario->source, d->name);
	a->outcome = CM_OUTCOME_RUNNING;
	a->started_ms = sim->now_ms;
	return enclave_build(sim, a, memcg, node);
}

static void enclave_step(struct cm_sim *sim, struct cm_sim_actor *a)
{
	uint64_t nr_pages = enclave_added_pages(a->def);

	for (uint64_t i = 0; i < a->def->access.pages_per_ms; i++) {
		int ret = cm_epc_enclave_touch(sim->epc, a->enclave, sim_next_page(a, nr_pages));

		a->touches++;
		sim->page_events++;
		if (ret == -EBUSY)
			break;		/* the fault is retried in the next millisecond */
		if (ret)
			break;
	}
	sim_reap_actors(sim);
}

/* Dead: the EPC killed the enclave, or the OOM killer its process (backing memory). */
static void enclave_reap(struct cm_sim *sim, struct cm_sim_actor *a)
{
	const char *why;

	if (a->enclave < 0 ||
	    (!cm_epc_enclave_dead(sim->epc, a->enclave) && !cm_mm_space_killed(sim->mm, a->space)))
		return;
	why = cm_epc_enclave_reason(sim->epc, a->enclave);
	sim_actor_end(sim, a, CM_OUTCOME_FAILED, why[0] ? why : "its process was killed by the OOM killer "
		      "(backing memory)");
}

static void enclave_measure(struct cm_sim *sim, struct cm_sim_actor *a)
{
	a->resident_pages = cm_epc_enclave_resident(sim->epc, a->enclave);
}

static void enclave_release(struct cm_sim *sim, struct cm_sim_actor *a)
{
	if (a->enclave >= 0) {
		enclave_measure(sim, a);
		cm_epc_enclave_release(sim->epc, a->enclave);
	}
	if (a->space >= 0)
		cm_mm_space_release(sim->mm, a->space);
}

/* Its backing space; the EPC keeps one entry per enclave page too. */
static uint64_t enclave_mapped_pages(const struct cm_scenario_actor *d, const char **member)
{
	uint64_t needed = d->heap_bytes + (1 + d->ssa_frame_pages) * CM_PAGE_SIZE;

	/* Without "size", the heap decided it. */
	*member = d->enclave_size == power_of_two_above(needed) ? "heap" : "size";
	return enclave_backing_pages(d);
}

/* EADD of every added page, then its touches. */
static uint64_t enclave_page_events(const struct cm_scenario *sc, const struct cm_scenario_actor *d,
				    uint64_t active_ms)
{
	(void)sc;
	return sim_add_saturating(enclave_added_pages(d), sim_mul_saturating(d->access.pages_per_ms, active_ms));
}

const struct cm_actor_operations actor_enclave_operations = {
	.fields = enclave_fields,
	.read = enclave_read,
	.start = enclave_start,
	.step = enclave_step,
	.reap = enclave_reap,
	.measure = enclave_measure,
	.release = enclave_release,
	.mapped_pages = enclave_mapped_pages,
	.page_events = enclave_page_events,
	/* EADD makes a page young; the reclaimer clears that on its first pass, and only a touch sets it again. */
	.without_access = "its heap pages are added (EADD) when it starts and never touched again, so the EPC "
			  "reclaimer sees them as cold and writes them back once it has passed over them",
};
