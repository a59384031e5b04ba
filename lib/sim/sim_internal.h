/* SPDX-License-Identifier: MIT */
/*
 * The simulation's parts (lib/sim): the kinds of actor and what the
 * engine gives them.
 */
#ifndef CONFMEM_SIM_INTERNAL_H
#define CONFMEM_SIM_INTERNAL_H

#include <stdint.h>

#include "confmem/names.h"
#include "confmem/sim.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) CM_ARRAY_SIZE(a)
#endif

struct json_object;
struct scenario_reader;

/*
 * What one kind of actor does, in lib/sim/actor_KIND.c. The scenario
 * reader and the engine call these and never ask an actor its kind.
 */
struct cm_actor_operations {
	/* Every member an actor of this kind may have, NULL-terminated, in the order messages list them. */
	const char *const *fields;
	/* Read the members of this kind into @actor; the reader has read the common ones. */
	int (*read)(struct scenario_reader *r, struct json_object *object, const char *path,
		    struct cm_scenario_actor *actor);
	/*
	 * Take what it needs in @memcg, from CPU node @node, and run. An actor
	 * that fails to start ends itself (sim_actor_end); only errors that
	 * make the scenario unusable are returned.
	 */
	int (*start)(struct cm_sim *sim, struct cm_sim_actor *actor, int memcg, int node, struct cm_error *err);
	/* Its touches of one simulated millisecond. */
	void (*step)(struct cm_sim *sim, struct cm_sim_actor *actor);
	/* End it when the engine killed what it runs on (the OOM killer, a dead enclave). */
	void (*reap)(struct cm_sim *sim, struct cm_sim_actor *actor);
	/* Record what it holds now: resident_pages, swapped_pages. */
	void (*measure)(struct cm_sim *sim, struct cm_sim_actor *actor);
	/* Give back everything it holds as it ends, recording what it held. */
	void (*release)(struct cm_sim *sim, struct cm_sim_actor *actor);
	/*
	 * The virtual pages the engine keeps a table entry for (the page
	 * table is sized by them), and the member that sizes them.
	 */
	uint64_t (*mapped_pages)(const struct cm_scenario_actor *actor, const char **member);
	/* At most how many page events (touches, EADDs, faults) it makes in @active_ms of @sc. */
	uint64_t (*page_events)(const struct cm_scenario *sc, const struct cm_scenario_actor *actor,
				uint64_t active_ms);
	/*
	 * What an actor of this kind does when its access rate is 0, for the
	 * reader's warning; NULL when the kind has no access rate.
	 */
	const char *without_access;
};

/* A row of the table of actor kinds (actor_kinds.c). */
struct actor_kind {
	const char *name;		/* as scenarios spell it: "enclave" */
	const char *article;		/* "an enclave", for "not for an enclave" */
	const struct cm_actor_operations *ops;	/* NULL: not simulated yet */
};

/* The row of @kind; NULL when @kind is none of enum cm_actor_kind. */
const struct actor_kind *actor_kind(enum cm_actor_kind kind);

/* a + b and a * b, stopping at UINT64_MAX: estimates of work never wrap. */
static inline uint64_t sim_add_saturating(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static inline uint64_t sim_mul_saturating(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static inline uint64_t sim_pages_of(uint64_t bytes)
{
	return bytes / CM_PAGE_SIZE;
}

/* A cgroup limit in pages; CM_LIMIT_MAX ("max") is UINT64_MAX. */
static inline uint64_t sim_limit_pages(uint64_t bytes)
{
	return bytes == CM_LIMIT_MAX ? UINT64_MAX : bytes / CM_PAGE_SIZE;
}

/* engine.c */
void sim_trace(struct cm_sim *sim, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The node @actor runs on: its "node", or the first node with CPUs. */
int sim_actor_node(const struct cm_sim *sim, const struct cm_sim_actor *actor);
struct cm_sim_actor *sim_find_actor(struct cm_sim *sim, const char *name);
/* Start a pending actor in its cgroup; a running or ended one stays as it is. */
int sim_actor_start(struct cm_sim *sim, struct cm_sim_actor *actor, struct cm_error *err);
void sim_actor_end(struct cm_sim *sim, struct cm_sim_actor *actor, enum cm_outcome outcome, const char *reason);
/* End every running actor that the engine killed under it. */
void sim_reap_actors(struct cm_sim *sim);

/* actor_td.c: the TD guests' state and the module's run-time side, at the end of a run. */
void sim_td_free(struct cm_sim *sim);

/* events.c */
int sim_apply_event(struct cm_sim *sim, const struct cm_scenario_event *e, struct cm_error *err);
/* hotadd.c: a hotadd event, its kernel lines traced; @result gets its summary. */
int sim_apply_hotadd(struct cm_sim *sim, const struct cm_scenario_event *e, char *result, size_t len,
		     struct cm_error *err);

/* access.c */
/* The next of @nr_pages pages @actor touches, by its access pattern. */
uint64_t sim_next_page(struct cm_sim_actor *actor, uint64_t nr_pages);
/*
 * Touch @nr pages of @space for @a through the engine's batched path and
 * count them in the actor and the run; a failed touch counts, as it did
 * one at a time. 0, or the error with *done the touches before it.
 */
int sim_touch_pages(struct cm_sim *sim, struct cm_sim_actor *a, int space, const uint64_t *pages,
		    const bool *writes, size_t nr, size_t *done);

/* The time series (series.c): set up after the cgroups, sampled after every millisecond. */
enum sim_series_when { SIM_SERIES_ON_INTERVAL, SIM_SERIES_AT_END };
int sim_series_init(struct cm_sim *sim);
void sim_series_sample(struct cm_sim *sim, uint64_t t_ms, enum sim_series_when when);
void sim_series_free(struct cm_sim_series *s);

#endif
