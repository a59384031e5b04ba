/* SPDX-License-Identifier: MIT */
/*
 * Running a scenario (SPEC 6, 10): actors touch memory at their rate, in
 * simulated milliseconds; scenario events apply at their time; kswapd
 * runs after the actors every millisecond; expectations are checked at
 * the end. The run is deterministic for a scenario and seed.
 */
#ifndef CONFMEM_SIM_H
#define CONFMEM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "confmem/epc.h"
#include "confmem/mm.h"
#include "confmem/random.h"
#include "confmem/scenario.h"
#include "confmem/tdx.h"

/* Pages kswapd may scan per node per simulated millisecond. */
#define CM_KSWAPD_SCAN_PER_MS 8192

/* The work a run may do unless told otherwise: about 10 to 20 minutes of one core. */
#define CM_SIM_MAX_EVENTS_DEFAULT 10000000000ULL

/* Where a run is, for a progress line (the library reports, the caller shows). */
struct cm_sim_progress {
	uint64_t now_ms;		/* simulated milliseconds done */
	uint64_t duration_ms;
	uint64_t page_events;		/* so far */
};
typedef void (*cm_sim_progress_fn)(const struct cm_sim_progress *progress, void *ctx);

struct cm_sim_options {
	bool check;		/* check every invariant after every event and every millisecond */
	uint64_t seed;		/* replaces the scenario's seed when seed_given */
	bool seed_given;
	/*
	 * Refuse (-E2BIG) a scenario whose cm_sim_estimate_events() is above
	 * this; 0: CM_SIM_MAX_EVENTS_DEFAULT.
	 */
	uint64_t max_events;
	/* Called after every simulated millisecond (NULL: never); must not touch the run. */
	cm_sim_progress_fn progress;
	void *progress_ctx;
};

/*
 * A run's time series for pictures (lib/sim/series.c): sampled at 0 ms and
 * every interval_ms of simulated time (and at the end), the interval
 * chosen so that a run has at most CM_SIM_SERIES_MAX_SAMPLES samples.
 * Deterministic, as the run.
 */
#define CM_SIM_SERIES_MAX_SAMPLES 400

enum cm_sim_series_node { CM_SERIES_FREE, CM_SERIES_MIN, CM_SERIES_LOW, CM_SERIES_HIGH, CM_SERIES_NR_NODE };
/* Cumulative counters whose differences are the rates: reclaim, demotion, swap-out, promotion. */
enum cm_sim_series_total {
	CM_SERIES_RECLAIM, CM_SERIES_DEMOTION, CM_SERIES_SWAP, CM_SERIES_PROMOTION, CM_SERIES_NR_TOTALS
};
/* Per cgroup: memory.current, memory.max, misc.current sgx_epc, misc.max sgx_epc (pages, UINT64_MAX: max). */
enum cm_sim_series_cgroup {
	CM_SERIES_MEMORY, CM_SERIES_MEMORY_MAX, CM_SERIES_EPC, CM_SERIES_EPC_MAX, CM_SERIES_NR_CGROUP
};

/* TD guests, summed over them: private pages now, pages refused so far, Dynamic PAMT pages now. */
enum cm_sim_series_td { CM_SERIES_TD_PRIVATE, CM_SERIES_TD_REFUSALS, CM_SERIES_TD_DPAMT, CM_SERIES_NR_TD };

struct cm_sim_series {
	uint64_t interval_ms;
	size_t nr_samples, max_samples;
	int nr_nodes;			/* node ids 0..nr_nodes-1 */
	size_t nr_cgroups;
	uint64_t *t_ms;			/* [sample] */
	uint64_t *nodes;		/* [sample][node][CM_SERIES_NR_NODE] pages */
	uint64_t *totals;		/* [sample][CM_SERIES_NR_TOTALS] pages */
	uint64_t *cgroups;		/* [sample][cgroup][CM_SERIES_NR_CGROUP] pages */
	uint64_t *td;			/* [sample][CM_SERIES_NR_TD] */
	bool has_td;			/* the scenario has TD guests */
};

/* The name of a total's rate ("reclaim", "demotion", "swap-out", "promotion"). */
const char *cm_sim_series_total_name(enum cm_sim_series_total t);

struct cm_actor_operations;
struct cm_td_module;

/* A TD guest's state and what it did (lib/sim/actor_td.c); per-node figures are taken when it ends or the run does. */
struct cm_sim_td {
	int keyid;			/* its private KeyID (HKID); -1: none */
	int private_space;		/* guest_memfd: unevictable pages; -1 */
	int shared_space;		/* the VMM's memory for shared pages; -1 */
	bool misc_charged;		/* holds one unit of misc tdx in its cgroup */
	uint64_t private_pages_on[CM_MAX_NUMNODES];
	uint64_t shared_pages_on[CM_MAX_NUMNODES];
	uint64_t pages_added;		/* TDH.MEM.PAGE.ADD at build */
	uint64_t pages_augmented;	/* TDH.MEM.PAGE.AUG at run time */
	uint64_t converted_to_shared;	/* pages, MapGPA private -> shared */
	uint64_t converted_to_private;	/* pages, MapGPA shared -> private (then accepted) */
	uint64_t splits;		/* host 2 MiB mappings split to 4 KiB */
	uint64_t refusals;		/* ADD/AUG the module refused: not TDX memory */
	uint64_t retries;		/* refused pages placed again on a capable node (tdx.add_failure=retry) */
	/* The guest's physical pages: private or shared, and which 2 MiB mappings were split. */
	uint64_t nr_gfns;		/* private + shared pages */
	uint64_t nr_private_gfns;	/* the first ones, private at start */
	uint64_t *gfn_shared;		/* bitmap of nr_gfns */
	uint64_t *chunk_split;		/* bitmap of 2 MiB chunks */
	uint64_t next_accept;		/* the next private page the guest accepts (AUG) */
	uint64_t next_to_shared;	/* conversions to shared take private pages from the top */
	uint64_t next_to_private;	/* conversions to private take shared pages from the bottom */
	size_t next_conversion;
};

struct cm_sim_actor {
	const struct cm_scenario_actor *def;
	const struct cm_actor_operations *ops;	/* what its kind does (lib/sim/actor_KIND.c) */
	enum cm_outcome outcome;
	char reason[192];
	int space;		/* -1 before it starts; an enclave's backing memory */
	int enclave;		/* enclave or vEPC id, -1 */
	uint64_t started_ms;
	uint64_t ended_ms;
	uint64_t cursor;	/* sequential pattern position */
	uint64_t rng;
	struct cm_zipf zipf;	/* the zipf pattern's sampler, set up at its first page */
	uint64_t touches;
	uint64_t resident_pages;	/* at the end (or when it ended) */
	uint64_t swapped_pages;
	struct cm_sim_td *td;		/* a TD guest's state; NULL for other kinds */
};

struct cm_sim_expect_result {
	const struct cm_scenario_expect *def;
	bool passed;
	uint64_t actual;
	char detail[160];
};

/* A hot-add the kernel refused, whole or block by block (lib/sim/hotadd.c). */
struct cm_sim_hotadd_refusal {
	uint64_t at_ms;
	uint64_t start, size;		/* the range */
	int status;			/* -EINVAL (hotplug.mode=check), -EPERM (notifier), -EEXIST, -ENOSPC */
	uint64_t nr_blocks;		/* memory blocks in the range */
	uint64_t nr_blocks_refused;	/* of them refused: all of them unless blocks were onlined */
	char reason[320];		/* the hotplug verdict's summary */
};

struct cm_sim {
	const struct cm_scenario *scenario;
	uint64_t seed;
	struct cm_mm *mm;
	struct cm_epc *epc;	/* NULL when the platform has no EPC */
	struct cm_tdx_plan *plan;
	struct cm_sim_actor *actors;
	size_t nr_actors;
	uint64_t now_ms;
	uint64_t page_events;		/* touches made by all actors */
	uint64_t deaths_reaped;		/* spaces killed and enclaves dead when actors were last reaped */
	uint64_t hotadd_online_blocks;	/* memory blocks hot-added and onlined */
	uint64_t hotadd_rejected;	/* hot-adds refused whole (check mode) */
	uint64_t hotadd_refused_blocks;	/* blocks whose online was refused (notifier mode) */
	uint64_t hotadd_devdax_blocks;	/* blocks given to device-dax */
	uint64_t offline_blocks;	/* memory blocks taken offline */
	uint64_t offline_refused;	/* offline events refused (-EBUSY or nothing there) */
	struct cm_sim_hotadd_refusal *hotadd_refusals;	/* in the order they happened */
	size_t nr_hotadd_refusals;
	struct cm_log trace;		/* "[   12 ms] ..." lines */
	struct cm_log events;		/* the scenario events applied, with their result */
	struct cm_sim_expect_result *expects;
	size_t nr_expects;
	bool expects_passed;
	struct cm_sim_series series;
	/* TD guests: the module at run time (made when the first TD starts) and its Dynamic PAMT pages. */
	struct cm_td_module *td_module;
	int dpamt_space;		/* the Dynamic PAMT's 4K pages in the page engine; -1 */
	uint64_t dpamt_pages;		/* now */
	uint64_t dpamt_pages_peak;
	uint64_t dpamt_ranges_populated;	/* 2 MiB ranges that got their 4K PAMT pages */
	uint64_t dpamt_ranges_released;
	uint64_t td_keyid_refusals;	/* TDs that could not start: no free KeyID */
	uint64_t td_misc_refusals;	/* TDs that could not start: misc tdx at its max */
};

/*
 * Run @sc. Errors that make the scenario unusable (an unknown counter in
 * an expectation, a failed invariant with --check) return -EINVAL or
 * -EUCLEAN with a message; failed expectations are results. A counter
 * name that does not exist is -ENOENT, its message naming the
 * expectation's JSON path ("scen.json: $.expect[1].counter: unknown
 * counter ...").
 */
int cm_sim_run(const struct cm_scenario *sc, const struct cm_sim_options *o, struct cm_sim **out,
	       struct cm_error *err);
void cm_sim_free(struct cm_sim *sim);

/*
 * An upper estimate of the work of running @sc: every actor's page events
 * (rate times the milliseconds it can run, from its start_ms, 0 for
 * "never", to its run_ms or the end; an enclave's EADDs; a vEPC's faults,
 * at most the platform's EPC) plus one step per actor and millisecond.
 * Saturates at UINT64_MAX.
 */
uint64_t cm_sim_estimate_events(const struct cm_scenario *sc);
/*
 * -E2BIG with the estimate when it is over @o's max_events (@o NULL or 0:
 * CM_SIM_MAX_EVENTS_DEFAULT). cm_sim_run() checks it first.
 */
int cm_sim_check_work(const struct cm_scenario *sc, const struct cm_sim_options *o, struct cm_error *err);

/*
 * Resolve a counter name of an expectation ("pgdemote_kswapd",
 * "node1.free_pages", ...). -ENOENT: no such name (cm_sim_counter_names()
 * lists them); -EINVAL: a listed name whose node, cgroup or EPC this run
 * does not have.
 */
int cm_sim_counter(const struct cm_sim *sim, const char *name, uint64_t *value, struct cm_error *err);
/*
 * Every counter name an expectation may use, ", "-separated, in the
 * order of docs/scenarios.md; "N" stands for a node's number, "PATH" for
 * a cgroup's path and "VMSTAT" for any of the vmstat names (the first
 * names listed). As snprintf: writes at most @len bytes with the NUL
 * (@buf may be NULL when @len is 0) and returns the length of the whole list.
 */
size_t cm_sim_counter_names(char *buf, size_t len);

#endif /* CONFMEM_SIM_H */
