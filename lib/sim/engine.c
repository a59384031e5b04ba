// SPDX-License-Identifier: MIT
/*
 * The simulation loop (SPEC 6, 10). Every simulated millisecond:
 *   0. NUMA balancing marks pages for promotion when its period is due;
 *   1. the scenario's events due now, in file order;
 *   2. actors due to start start (in scenario order);
 *   3. every running actor makes its touches for this millisecond;
 *   4. kswapd runs on every woken node (CM_KSWAPD_SCAN_PER_MS pages each);
 *   5. actors whose run time is over exit;
 *   6. with --check, every invariant is verified.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

void sim_trace(struct cm_sim *sim, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cm_log_add(&sim->trace, CM_LOG_INFO, "[%8" PRIu64 " ms] %s", sim->now_ms, buf);
}

static int first_cpu_node(const struct cm_platform *p)
{
	for (size_t i = 0; i < p->nr_nodes; i++)
		if (cm_node_has_cpus(&p->nodes[i]))
			return p->nodes[i].id;
	return p->nodes[0].id;
}

static int setup_cgroups(struct cm_sim *sim, struct cm_error *err)
{
	const struct cm_scenario *sc = sim->scenario;

	for (size_t i = 0; i < sc->nr_cgroups; i++) {
		const struct cm_scenario_cgroup *cg = &sc->cgroups[i];
		char parent[CM_CGROUP_PATH_MAX];
		char *slash;
		int parent_id, id;

		snprintf(parent, sizeof(parent), "%s", cg->path);
		slash = strrchr(parent, '/');
		if (slash == parent)
			parent[1] = '\0';
		else if (slash)
			*slash = '\0';
		parent_id = cm_mm_memcg_find(sim->mm, parent);
		if (parent_id < 0)
			return cm_error_set(err, -EINVAL, "%s: cgroup %s: its parent %s is not defined before it",
					    sc->source, cg->path, parent);
		id = cm_mm_memcg_create(sim->mm, cg->path, parent_id);
		if (id < 0)
			return cm_error_set(err, id, "%s: cgroup %s: cannot create", sc->source, cg->path);
		cm_mm_memcg_set_max(sim->mm, id, sim_limit_pages(cg->memory_max));
		cm_mm_memcg_set_swap_max(sim->mm, id, sim_limit_pages(cg->memory_swap_max));
		/* One tree: the misc controller already has its state for this cgroup. */
		if (cg->misc_sgx_epc_max != CM_LIMIT_MAX) {
			if (!sim->epc)
				return cm_error_set(err, -EINVAL, "%s: cgroup %s: misc.max: the platform has no EPC",
						    sc->source, cg->path);
			cm_epc_cgroup_set_max(sim->epc, id, sim_limit_pages(cg->misc_sgx_epc_max));
		}
	}
	return 0;
}

int sim_actor_node(const struct cm_sim *sim, const struct cm_sim_actor *actor)
{
	return actor->def->cpu_node >= 0 ? actor->def->cpu_node : first_cpu_node(sim->scenario->platform);
}

void sim_actor_end(struct cm_sim *sim, struct cm_sim_actor *actor, enum cm_outcome outcome, const char *reason)
{
	if (actor->outcome != CM_OUTCOME_RUNNING && actor->outcome != CM_OUTCOME_PENDING)
		return;
	actor->ops->release(sim, actor);
	actor->outcome = outcome;
	actor->ended_ms = sim->now_ms;
	snprintf(actor->reason, sizeof(actor->reason), "%s", reason);
	sim_trace(sim, "%s: %s (%s)", actor->def->name, cm_outcome_name(outcome), reason);
}

int sim_actor_start(struct cm_sim *sim, struct cm_sim_actor *actor, struct cm_error *err)
{
	const struct cm_scenario_actor *d = actor->def;
	int memcg = cm_mm_memcg_find(sim->mm, d->cgroup);

	if (actor->outcome != CM_OUTCOME_PENDING)
		return 0;
	if (memcg < 0)
		return cm_error_set(err, -EINVAL, "%s: actor %s: cgroup %s is not defined", sim->scenario->source,
				    d->name, d->cgroup);
	return actor->ops->start(sim, actor, memcg, sim_actor_node(sim, actor), err);
}

struct cm_sim_actor *sim_find_actor(struct cm_sim *sim, const char *name)
{
	for (size_t i = 0; i < sim->nr_actors; i++)
		if (!strcmp(sim->actors[i].def->name, name))
			return &sim->actors[i];
	return NULL;
}

/* Only when something died since the last call: a step that killed nothing costs nothing here. */
void sim_reap_actors(struct cm_sim *sim)
{
	uint64_t deaths = cm_mm_nr_killed(sim->mm) + (sim->epc ? cm_epc_nr_dead(sim->epc) : 0);

	if (deaths == sim->deaths_reaped)
		return;
	sim->deaths_reaped = deaths;
	for (size_t i = 0; i < sim->nr_actors; i++)
		if (sim->actors[i].outcome == CM_OUTCOME_RUNNING)
			sim->actors[i].ops->reap(sim, &sim->actors[i]);
}

enum expects_pass {
	EXPECTS_RESOLVE,	/* before the run: unknown actors and counters are input errors */
	EXPECTS_CHECK,		/* after the run */
};

static bool compare(uint64_t actual, enum cm_expect_op op, uint64_t value)
{
	switch (op) {
	case CM_EXPECT_EQ: return actual == value;
	case CM_EXPECT_NE: return actual != value;
	case CM_EXPECT_GT: return actual > value;
	case CM_EXPECT_GE: return actual >= value;
	case CM_EXPECT_LT: return actual < value;
	case CM_EXPECT_LE: return actual <= value;
	}
	return false;
}

/* Resolve every expectation's actor and counter; in the EXPECTS_CHECK pass, also judge it. */
static int check_expects(struct cm_sim *sim, enum expects_pass pass, struct cm_error *err)
{
	sim->expects_passed = true;
	for (size_t i = 0; i < sim->nr_expects; i++) {
		struct cm_sim_expect_result *r = &sim->expects[i];
		const struct cm_scenario_expect *e = r->def;

		if (e->kind == CM_EXPECT_OUTCOME) {
			struct cm_sim_actor *a = sim_find_actor(sim, e->actor);

			if (!a)
				return cm_error_set(err, -EINVAL, "%s: $.expect[%zu].actor: no actor \"%s\"",
						    sim->scenario->source, i, e->actor);
			if (pass == EXPECTS_RESOLVE)
				continue;
			r->passed = a->outcome == e->outcome;
			snprintf(r->detail, sizeof(r->detail), "%s is %s", a->def->name, cm_outcome_name(a->outcome));
		} else {
			struct cm_error counter_err = { 0 };
			int ret = cm_sim_counter(sim, e->counter, &r->actual, &counter_err);

			if (ret)
				return cm_error_set(err, ret, "%s: $.expect[%zu].counter: %s", sim->scenario->source, i,
						    counter_err.msg);
			if (pass == EXPECTS_RESOLVE)
				continue;
			r->passed = compare(r->actual, e->op, e->value);
			snprintf(r->detail, sizeof(r->detail), "%s is %" PRIu64, e->counter, r->actual);
		}
		sim->expects_passed &= r->passed;
	}
	return 0;
}

/* Every invariant; @walk: the free lists walked too (cm_mm_check), else by their links' shape. */
static int check_invariants(struct cm_sim *sim, bool walk, struct cm_error *err)
{
	struct cm_error e = { 0 };

	if (!(walk ? cm_mm_check : cm_mm_check_linear)(sim->mm, &e) && (!sim->epc || !cm_epc_check(sim->epc, &e)))
		return 0;
	return cm_error_set(err, -EUCLEAN, "%s: invariant broken at %" PRIu64 " ms: %s", sim->scenario->source,
			    sim->now_ms, e.msg);
}

static int sim_init(struct cm_sim *sim, const struct cm_scenario *sc, const struct cm_sim_options *o,
		    struct cm_error *err)
{
	int ret;

	sim->scenario = sc;
	sim->seed = o && o->seed_given ? o->seed : sc->seed;
	ret = cm_sim_check_work(sc, o, err);
	if (ret)
		return ret;
	ret = cm_tdx_plan_build(sc->platform, &sc->config.tdx, &sim->plan, err);
	if (!ret)
		ret = cm_mm_new(sc->platform, &sc->config, &sim->mm, err);
	if (!ret && sc->platform->sgx.nr_epc)
		ret = cm_epc_new(sc->platform, sim->mm, cm_mm_config(sim->mm), &sim->epc, err);
	if (ret)
		return ret;
	ret = setup_cgroups(sim, err);
	if (ret)
		return ret;
	if (sim_series_init(sim))
		return cm_error_set(err, -ENOMEM, "out of memory");
	sim_series_sample(sim, 0, SIM_SERIES_ON_INTERVAL);
	sim->actors = calloc(sc->nr_actors ? sc->nr_actors : 1, sizeof(*sim->actors));
	sim->expects = calloc(sc->nr_expects ? sc->nr_expects : 1, sizeof(*sim->expects));
	if (!sim->actors || !sim->expects)
		return cm_error_set(err, -ENOMEM, "out of memory");
	sim->nr_actors = sc->nr_actors;
	for (size_t i = 0; i < sc->nr_actors; i++) {
		struct cm_sim_actor *a = &sim->actors[i];

		a->def = &sc->actors[i];
		a->space = -1;
		a->enclave = -1;
		a->outcome = CM_OUTCOME_PENDING;
		a->rng = sim->seed * 0x100000001b3ULL + i + 1;
		a->ops = actor_kind(a->def->kind) ? actor_kind(a->def->kind)->ops : NULL;
		if (!a->ops)
			return cm_error_set(err, -EINVAL, "%s: actor %s: kind \"%s\" is not simulated yet", sc->source,
					    a->def->name, cm_actor_kind_name(a->def->kind));
	}
	sim->nr_expects = sc->nr_expects;
	for (size_t i = 0; i < sc->nr_expects; i++)
		sim->expects[i].def = &sc->expects[i];
	/* Knobs the engine reads once, at boot, cannot change during the run. */
	for (size_t i = 0; i < sc->nr_events; i++) {
		const struct cm_scenario_event *e = &sc->events[i];
		const struct cm_config_knob *knob = e->kind == CM_EVENT_SET ? cm_config_knob_find(e->key) : NULL;

		/* An unknown knob is refused when the event applies. */
		if (knob && knob->when == CM_KNOB_BOOT)
			return cm_error_set(err, -EINVAL, "%s: event at %" PRIu64 " ms: %s is fixed at boot; set it in "
					    "\"config\"", sc->source, e->at_ms, e->key);
	}
	/* Unknown counter names are input errors: find them before running. */
	return check_expects(sim, EXPECTS_RESOLVE, err);
}

static int sim_tick(struct cm_sim *sim, size_t *next_event, const struct cm_sim_options *o, struct cm_error *err)
{
	const struct cm_scenario *sc = sim->scenario;
	int ret;

	cm_mm_tick(sim->mm, sim->now_ms);
	while (*next_event < sc->nr_events && sc->events[*next_event].at_ms == sim->now_ms) {
		ret = sim_apply_event(sim, &sc->events[(*next_event)++], err);
		if (ret)
			return ret;
	}
	for (size_t i = 0; i < sim->nr_actors; i++) {
		struct cm_sim_actor *a = &sim->actors[i];

		if (a->outcome == CM_OUTCOME_PENDING && a->def->start_ms == sim->now_ms) {
			ret = sim_actor_start(sim, a, err);
			if (ret)
				return ret;
		}
	}
	for (size_t i = 0; i < sim->nr_actors; i++)
		if (sim->actors[i].outcome == CM_OUTCOME_RUNNING)
			sim->actors[i].ops->step(sim, &sim->actors[i]);
	cm_mm_run_kswapd(sim->mm, CM_KSWAPD_SCAN_PER_MS);
	if (sim->epc) {
		cm_epc_run_background(sim->epc);
		sim_reap_actors(sim);
	}
	for (size_t i = 0; i < sim->nr_actors; i++) {
		struct cm_sim_actor *a = &sim->actors[i];

		if (a->outcome == CM_OUTCOME_RUNNING && a->def->run_ms && sim->now_ms + 1 >= a->started_ms + a->def->run_ms)
			sim_actor_end(sim, a, CM_OUTCOME_EXITED, "ran its time");
	}
	if (o && o->check)
		return check_invariants(sim, true, err);
	return 0;
}

static void report_progress(const struct cm_sim *sim, const struct cm_sim_options *o)
{
	struct cm_sim_progress progress = {
		.now_ms = sim->now_ms + 1,
		.duration_ms = sim->scenario->duration_ms,
		.page_events = sim->page_events,
	};

	o->progress(&progress, o->progress_ctx);
}

int cm_sim_run(const struct cm_scenario *sc, const struct cm_sim_options *o, struct cm_sim **out,
	       struct cm_error *err)
{
	struct cm_sim *sim = calloc(1, sizeof(*sim));
	size_t next_event = 0;
	int ret;

	*out = NULL;
	if (!sim)
		return cm_error_set(err, -ENOMEM, "out of memory");
	ret = sim_init(sim, sc, o, err);
	for (sim->now_ms = 0; !ret && sim->now_ms < sc->duration_ms; sim->now_ms++) {
		ret = sim_tick(sim, &next_event, o, err);
		sim_series_sample(sim, sim->now_ms + 1, SIM_SERIES_ON_INTERVAL);
		if (o && o->progress)
			report_progress(sim, o);
	}
	if (!ret) {
		/* Events at the very end apply too. */
		while (!ret && next_event < sc->nr_events)
			ret = sim_apply_event(sim, &sc->events[next_event++], err);
		sim_series_sample(sim, sc->duration_ms, SIM_SERIES_AT_END);
	}
	if (!ret) {
		for (size_t i = 0; i < sim->nr_actors; i++)
			if (sim->actors[i].outcome == CM_OUTCOME_RUNNING)
				sim->actors[i].ops->measure(sim, &sim->actors[i]);
		ret = check_expects(sim, EXPECTS_CHECK, err);
	}
	/* After every run, --check or not; with --check the shape check too, which must agree with the walk. */
	if (!ret)
		ret = check_invariants(sim, o && o->check, err);
	if (!ret && o && o->check)
		ret = check_invariants(sim, false, err);
	if (ret) {
		cm_sim_free(sim);
		return ret;
	}
	*out = sim;
	return 0;
}

void cm_sim_free(struct cm_sim *sim)
{
	if (!sim)
		return;
	sim_td_free(sim);
	cm_epc_free(sim->epc);
	cm_mm_free(sim->mm);
	cm_tdx_plan_free(sim->plan);
	free(sim->actors);
	free(sim->expects);
	free(sim->hotadd_refusals);
	cm_log_free(&sim->trace);
	cm_log_free(&sim->events);
	sim_series_free(&sim->series);
	free(sim);
}
