/* SPDX-License-Identifier: MIT */
/*
 * Scenarios (SPEC 10): a platform, configuration knobs, cgroups, actors
 * with memory and an access pattern, timed events, and expectations.
 * This header is the parsed form; lib/sim/scenario.c reads it from JSON.
 */
#ifndef CONFMEM_SCENARIO_H
#define CONFMEM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confmem/config.h"
#include "confmem/hotplug.h"
#include "confmem/mm.h"
#include "confmem/platform.h"
#include "confmem/tiering.h"

#define CM_NAME_MAX 64
#define CM_LIMIT_MAX UINT64_MAX		/* "max" in a cgroup file */

enum cm_actor_kind {
	CM_ACTOR_PROCESS,	/* anonymous and file memory */
	CM_ACTOR_ENCLAVE,	/* SGX enclave (issue: SGX) */
	CM_ACTOR_VEPC,		/* SGX virtual EPC user (issue: SGX) */
	CM_ACTOR_TD,		/* TD guest (issue: TD guests) */
};
#define CM_NR_ACTOR_KINDS (CM_ACTOR_TD + 1)

/* "process", "enclave", ...; "unknown" for a value that is none of them. */
const char *cm_actor_kind_name(enum cm_actor_kind kind);
/* The kind named @name, or -EINVAL. */
int cm_actor_kind_from_name(const char *name);

enum cm_access_pattern { CM_ACCESS_SEQUENTIAL, CM_ACCESS_UNIFORM, CM_ACCESS_ZIPF };
#define CM_NR_ACCESS_PATTERNS (CM_ACCESS_ZIPF + 1)

const char *cm_access_pattern_name(enum cm_access_pattern pattern);
/* The names of the modes of enum cm_mempolicy_mode (confmem/mm.h) in scenarios. */

struct cm_access {
	enum cm_access_pattern pattern;
	double zipf_skew;		/* zipf: s > 0 (e.g. 0.99) */
	uint64_t pages_per_ms;		/* touches per simulated millisecond, 0 = none after the first fill */
	double write_fraction;		/* share of touches that write (dirty file pages), 0..1 */
};

/* What backs a TD guest's private memory (SPEC 9). */
enum cm_td_backing {
	CM_TD_BACKING_ANON,	/* guest_memfd pages from the page allocator */
	CM_TD_BACKING_HUGETLB,	/* hugetlbfs: 2 MiB host pages that cannot be split */
	CM_TD_BACKING_DEVDAX,	/* a device-dax region on one node (file-backed) */
};
#define CM_NR_TD_BACKINGS (CM_TD_BACKING_DEVDAX + 1)
/* "anon", "hugetlb", "devdax". */
const char *cm_td_backing_name(enum cm_td_backing backing);

/* A MapGPA conversion of a TD guest at a time of the run. */
struct cm_td_conversion {
	uint64_t at_ms;
	bool to_shared;		/* private -> shared; else shared -> private */
	uint64_t bytes;
};
#define CM_TD_MAX_CONVERSIONS 16

struct cm_scenario_actor {
	char name[CM_NAME_MAX];
	enum cm_actor_kind kind;
	char cgroup[CM_CGROUP_PATH_MAX];	/* "/" is the root */
	int cpu_node;				/* node it runs on; -1: the first node with CPUs */
	struct cm_mempolicy policy;
	uint64_t start_ms;
	uint64_t run_ms;			/* exits after this long; 0: runs to the end */
	uint64_t anon_bytes;
	uint64_t file_bytes;
	struct cm_access access;
	/* enclave: ECREATE size (power of two), pages added as heap, SSA frame size in pages */
	uint64_t enclave_size;
	uint64_t heap_bytes;
	uint32_t ssa_frame_pages;
	/* vepc: EPC given to a virtual machine */
	uint64_t epc_bytes;
	/* td: private memory (guest_memfd, its own policy) and shared memory (the VMM's, "policy") */
	uint64_t private_bytes;
	uint64_t shared_bytes;
	bool gmem_policy_given;
	struct cm_mempolicy gmem_policy;
	enum cm_td_backing backing;
	int devdax_node;			/* devdax: the region's node */
	struct cm_td_conversion conversions[CM_TD_MAX_CONVERSIONS];	/* by at_ms */
	size_t nr_conversions;
};

struct cm_scenario_cgroup {
	char path[CM_CGROUP_PATH_MAX];		/* "/a/b"; parents are created implicitly */
	uint64_t memory_max;			/* CM_LIMIT_MAX when "max" */
	uint64_t memory_swap_max;
	uint64_t misc_sgx_epc_max;
	uint64_t misc_tdx_max;			/* KeyIDs; CM_LIMIT_MAX when "max" */
};

enum cm_event_kind {
	CM_EVENT_START,		/* start an actor whose start_ms is "never" (on event) */
	CM_EVENT_KILL,		/* kill an actor */
	CM_EVENT_CGROUP_WRITE,	/* write a cgroup file: memory.max, memory.swap.max, misc.max */
	CM_EVENT_HOTADD,	/* hot-add a range (SPEC 5) */
	CM_EVENT_OFFLINE,	/* offline a range of memory blocks */
	CM_EVENT_SET,		/* set a configuration knob */
};
#define CM_NR_EVENT_KINDS (CM_EVENT_SET + 1)

const char *cm_event_kind_name(enum cm_event_kind kind);

struct cm_scenario_event {
	uint64_t at_ms;
	enum cm_event_kind kind;
	char actor[CM_NAME_MAX];		/* start, kill */
	char cgroup[CM_CGROUP_PATH_MAX];	/* cgroup_write */
	char file[32];				/* cgroup_write: "memory.max", ... */
	uint64_t value;				/* cgroup_write: bytes or CM_LIMIT_MAX */
	struct cm_hotplug_request hotplug;	/* hotadd (mode, node, new_node) and offline (start, size) */
	char key[64];				/* set */
	char knob_value[64];			/* set */
};

enum cm_expect_kind { CM_EXPECT_OUTCOME, CM_EXPECT_COUNTER };
enum cm_expect_op { CM_EXPECT_EQ, CM_EXPECT_NE, CM_EXPECT_GT, CM_EXPECT_GE, CM_EXPECT_LT, CM_EXPECT_LE };
#define CM_NR_EXPECT_OPS (CM_EXPECT_LE + 1)

/* "==", "!=", ">", ">=", "<", "<=". */
const char *cm_expect_op_name(enum cm_expect_op op);

/* Actor outcomes as sim --json reports them. */
enum cm_outcome { CM_OUTCOME_PENDING, CM_OUTCOME_RUNNING, CM_OUTCOME_EXITED, CM_OUTCOME_FAILED, CM_OUTCOME_KILLED };
#define CM_NR_OUTCOMES (CM_OUTCOME_KILLED + 1)

const char *cm_outcome_name(enum cm_outcome outcome);

struct cm_scenario_expect {
	enum cm_expect_kind kind;
	char actor[CM_NAME_MAX];	/* outcome */
	enum cm_outcome outcome;
	/*
	 * counter: "pgdemote_kswapd" (total), "node1.pgdemote_kswapd",
	 * "cgroup:/a.memory.current", ...; see docs/scenarios.md.
	 */
	char counter[128];
	enum cm_expect_op op;
	uint64_t value;
	char text[160];			/* the expectation as written, for messages */
};

struct cm_scenario {
	char source[256];
	struct cm_platform *platform;
	uint64_t seed;
	uint64_t duration_ms;
	struct cm_config config;

	struct cm_scenario_cgroup *cgroups;
	size_t nr_cgroups;
	struct cm_scenario_actor *actors;
	size_t nr_actors;
	struct cm_scenario_event *events;	/* sorted by at_ms, stable */
	size_t nr_events;
	struct cm_scenario_expect *expects;
	size_t nr_expects;
	/*
	 * What the reader accepted but finds suspect, one line each naming
	 * the JSON path ("$.actors[1]: no access rate ..."); the caller
	 * decides whether to show them.
	 */
	struct cm_log warnings;
};

/*
 * Read a scenario. "platform" is a preset name, a file path (relative to
 * the scenario's directory) or an inline platform object. Errors read
 * "FILE:LINE: ..." (syntax) or "FILE: $.actors[2].access.pattern: ...".
 */
int cm_scenario_from_json_file(const char *path, struct cm_scenario **out, struct cm_error *err);
int cm_scenario_from_json_string(const char *text, size_t len, const char *source, const char *base_dir,
				 struct cm_scenario **out, struct cm_error *err);
void cm_scenario_free(struct cm_scenario *s);

/*
 * The memory the actors of a scenario may map together (processes' anon
 * and file, enclaves' size with their PCMD pages), in bytes: the engine
 * keeps 4 bytes of page table per mapped page, allocated when an actor
 * starts. CM_SCENARIO_MAPPED_PER_MEMORY times the platform's boot RAM,
 * hot-plug windows and swap_bytes, at least CM_SCENARIO_MAPPED_MIN_BYTES,
 * at most the engine's 2^32 - 1 pages. The reader refuses more.
 */
#define CM_SCENARIO_MAPPED_PER_MEMORY 4
#define CM_SCENARIO_MAPPED_MIN_BYTES (64ULL << 30)
uint64_t cm_scenario_mapped_limit(const struct cm_scenario *s);

#endif /* CONFMEM_SCENARIO_H */
