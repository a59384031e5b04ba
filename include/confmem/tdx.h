/* SPDX-License-Identifier: MIT */
/*
 * TDX host memory setup (SPEC 3): the TDX memory list, TDMRs, PAMTs,
 * reserved areas, the emulated TDX module and the init sequence.
 */
#ifndef CONFMEM_TDX_H
#define CONFMEM_TDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confmem/platform.h"
#include "confmem/tdx_kernel.h"
#include "confmem/util.h"

/* The prefix of every line the kernel's TDX code logs (pr_fmt of arch/x86/virt/vmx/tdx). */
#define CM_TDX_LOG_PREFIX "virt/tdx: "

#define CM_TDMR_ALIGNMENT CM_SZ_1G
#define CM_TDMR_INFO_ALIGNMENT 512
#define CM_TDMR_INFO_HEADER_SIZE 64	/* eight u64 fields */
#define CM_TDMR_NR_WARN 4
#define CM_TDMR_INIT_PAMT_ENTRIES 1024	/* 4K-PAMT entries one TDH.SYS.TDMR.INIT covers */

/* SEAMCALL leaf numbers and completion codes the emulated module returns. */
#define CM_TDH_SYS_CONFIG 45ULL
#define CM_TDX_SUCCESS 0ULL
#define CM_TDX_OPERAND_INVALID 0xC000010000000000ULL
#define CM_TDX_INVALID_TDMR 0xC0000A0000000000ULL
#define CM_TDX_NON_ORDERED_TDMR 0xC0000A0100000000ULL
#define CM_TDX_TDMR_OUTSIDE_CMRS 0xC0000A0200000000ULL
#define CM_TDX_INVALID_PAMT 0xC0000A1000000000ULL
#define CM_TDX_PAMT_OUTSIDE_CMRS 0xC0000A1100000000ULL
#define CM_TDX_PAMT_OVERLAP 0xC0000A1200000000ULL
#define CM_TDX_INVALID_RESERVED_IN_TDMR 0xC0000A2000000000ULL
#define CM_TDX_NON_ORDERED_RESERVED_IN_TDMR 0xC0000A2100000000ULL
#define CM_TDX_STATUS_MASK 0xFFFFFFFF00000000ULL
#define CM_TDX_OPERAND_RDX 2	/* operand id of RDX (the number of TDMRs) */
#define CM_TDX_EMULATION_NOMEM UINT64_MAX
/* TDH.SYS.CONFIG's R8 flag asking for Dynamic PAMT (the 4K level is a bitmap). */
#define CM_TDX_CONFIG_DYNAMIC_PAMT (1U << 16)
/* Dynamic PAMT is not used past this physical address width (SPEC 3.9). */
#define CM_TDX_DPAMT_MAX_PHYS_BITS 48	/* the emulation itself ran out of memory */

/*
 * The plan's strategies (tdx.holes, tdx.optimize, PAMT placement): each
 * enum value is one row of its strategy table in lib/tdx/strategy.c, which
 * also holds its name.
 */
/* Where reserved-area holes come from (SPEC 3.6). */
enum cm_tdx_holes { CM_HOLES_MEMLIST, CM_HOLES_CMR, CM_HOLES_NR };
/* Whether touching reserved areas are merged (tdx.optimize). */
enum cm_tdx_merge { CM_TDX_MERGE_NONE, CM_TDX_MERGE_TOUCHING, CM_TDX_MERGE_NR };
/* Where each TDMR's PAMT block is placed (SPEC 3.5). */
enum cm_pamt_placement {
	CM_PAMT_KERNEL,		/* alloc_contig_pages() on an idle host (the kernel) */
	CM_PAMT_LOWEST_FIT,	/* the lowest free address, normal zone first */
	CM_PAMT_PLACEMENT_NR
};
/* What to do with boot RAM outside the CMRs (SPEC 3.3). */
enum cm_tdx_mixed { CM_TDX_MIXED_STRICT, CM_TDX_MIXED_EXCLUDE, CM_TDX_MIXED_NR };
/* A TD page add refused (tdx.add_failure). */
enum cm_tdx_add_failure { CM_TDX_ADD_FAILURE_KILL, CM_TDX_ADD_FAILURE_RETRY, CM_TDX_ADD_FAILURE_NR };

const char *cm_tdx_holes_name(enum cm_tdx_holes h);
/* What the holes are taken from, in words: "memory list", "CMRs". */
const char *cm_tdx_holes_source(enum cm_tdx_holes h);
const char *cm_tdx_merge_name(enum cm_tdx_merge m);
/* What a plan's headline adds for it: ", touching areas merged" or "". */
const char *cm_tdx_merge_summary(enum cm_tdx_merge m);
const char *cm_pamt_placement_name(enum cm_pamt_placement p);
const char *cm_tdx_mixed_name(enum cm_tdx_mixed m);
const char *cm_tdx_add_failure_name(enum cm_tdx_add_failure f);

struct cm_tdx_options {
	enum cm_tdx_kernel kernel;	/* tdx.kernel; a plan holds the profile it ran */
	enum cm_tdx_holes holes;	/* a profile whose kernel takes holes from the CMRs sets cmr */
	enum cm_tdx_mixed mixed;
	enum cm_tdx_merge merge;
	enum cm_pamt_placement pamt_placement;
};

/* What one kernel prints and how it builds the TDMRs (lib/tdx/profile.c). */
struct cm_tdx_kernel_profile {
	enum cm_tdx_kernel kernel;
	const char *summary;
	bool prints_cmrs;		/* "CMR: [0x..., 0x...)" lines */
	enum cm_tdx_holes holes;	/* where this kernel takes reserved-area holes from */
	bool prints_version;		/* "Module version: MAJOR.MINOR.UPDATE" */
	bool dynamic_pamt;		/* the 4K PAMT level is a bitmap at init */
	const char *initialized;	/* the success line */
	const char *failed;		/* the failure line, with the errno */
};

/* Where a plan's profile came from. */
enum cm_tdx_kernel_source { CM_KERNEL_DEFAULT, CM_KERNEL_CHOSEN, CM_KERNEL_DETECTED };

/*
 * @chosen if it names a profile, else the one @p's boot log shows, else
 * mainline-6.8; @source (may be NULL) says which.
 */
enum cm_tdx_kernel cm_tdx_kernel_resolve(enum cm_tdx_kernel chosen, const struct cm_platform *p,
					 enum cm_tdx_kernel_source *source);
/* The row of a real profile (auto and all give mainline-6.8's). */
const struct cm_tdx_kernel_profile *cm_tdx_kernel_profile(enum cm_tdx_kernel k);

void cm_tdx_options_default(struct cm_tdx_options *o);

/* One region of the TDX memory list (the kernel's struct tdx_memblock). */
struct cm_tdx_memblock {
	uint64_t start;
	uint64_t end;
	int node;
};

struct cm_tdmr_reserved {
	uint64_t offset;
	uint64_t size;
};

struct cm_tdmr {
	uint64_t base;
	uint64_t size;
	int pamt_node;				/* node the PAMT block was allocated on */
	uint64_t pamt_base[CM_PAMT_NR_LEVELS];
	uint64_t pamt_size[CM_PAMT_NR_LEVELS];
	struct cm_tdmr_reserved *reserved;	/* sorted by offset */
	unsigned int nr_reserved;
};

static inline uint64_t cm_tdmr_end(const struct cm_tdmr *t) { return t->base + t->size; }
/* The PAMT block of a TDMR: the three levels are one contiguous allocation. */
uint64_t cm_tdmr_pamt_block_size(const struct cm_tdmr *t);

/* How far initialisation got. */
enum cm_tdx_result {
	CM_TDX_INITIALIZED,
	CM_TDX_DISABLED,		/* no TDX on this platform */
	CM_TDX_FAILED_CMRS,		/* firmware CMR list is bad */
	CM_TDX_FAILED_CONVERTIBLE,	/* holes from the CMRs: RAM outside them */
	CM_TDX_FAILED_TDMRS,		/* TDMRs exhausted */
	CM_TDX_FAILED_PAMT,		/* no room for a PAMT block */
	CM_TDX_FAILED_RESERVED,		/* reserved areas exhausted */
	CM_TDX_FAILED_CONFIG,		/* TDH.SYS.CONFIG rejected the TDMRs */
	CM_TDX_NR_RESULTS
};
/* "initialized", "reserved_areas_exhausted", ... (the JSON "result"). */
const char *cm_tdx_result_name(enum cm_tdx_result r);

/*
 * The steps of the initialisation, in the order the kernel runs them
 * (init_tdx_module()); a plan records each step it reached, the one that
 * failed last (plan -v; lib/tdx/steps.c).
 */
enum cm_tdx_step_kind {
	CM_TDX_STEP_CMRS,		/* the module's CMR list checked */
	CM_TDX_STEP_MEMLIST,		/* the TDX memory list built from memblock */
	CM_TDX_STEP_CONVERTIBLE,	/* the list checked against the CMRs (holes from the CMRs, tdx.mixed=exclude) */
	CM_TDX_STEP_TDMRS,		/* TDMRs filled out to cover the list */
	CM_TDX_STEP_PAMT,		/* each TDMR's PAMT sized and allocated */
	CM_TDX_STEP_RESERVED,		/* each TDMR's reserved areas set */
	CM_TDX_STEP_CONFIG,		/* TDH.SYS.CONFIG: the module's verdict on the TDMRs */
	CM_TDX_STEP_KEY_CONFIG,		/* TDH.SYS.KEY.CONFIG on every package */
	CM_TDX_STEP_TDMR_INIT,		/* TDH.SYS.TDMR.INIT over every TDMR */
	CM_TDX_NR_STEP_KINDS
};
enum cm_tdx_step_outcome { CM_TDX_STEP_DONE, CM_TDX_STEP_FAILED, CM_TDX_NR_STEP_OUTCOMES };
/* "cmrs", "memlist", ... (the JSON "step"); "done", "failed" (the JSON "outcome"). */
const char *cm_tdx_step_kind_name(enum cm_tdx_step_kind k);
const char *cm_tdx_step_outcome_name(enum cm_tdx_step_outcome o);

/* A step's numbers: what each one is, per kind (cm_tdx_step_values()). */
#define CM_TDX_STEP_NR_VALUES 4
enum cm_tdx_step_unit { CM_TDX_STEP_COUNT, CM_TDX_STEP_BYTES };
struct cm_tdx_step_value {
	const char *name;		/* the JSON member ("nr_regions"); NULL: unused */
	enum cm_tdx_step_unit unit;
};
/* The CM_TDX_STEP_NR_VALUES numbers of a step of kind @k, or NULL for an unknown kind. */
const struct cm_tdx_step_value *cm_tdx_step_values(enum cm_tdx_step_kind k);

struct cm_tdx_step {
	enum cm_tdx_step_kind kind;
	enum cm_tdx_step_outcome outcome;
	uint64_t values[CM_TDX_STEP_NR_VALUES];	/* as cm_tdx_step_values(kind) names them */
	char text[240];				/* what the step did, in one line */
};

struct cm_tdx_plan {
	struct cm_tdx_options options;
	enum cm_tdx_result result;
	int status;			/* 0 or the kernel's negative errno */
	char error[400];		/* one line, when status != 0 */

	struct cm_range cmrs[CM_MAX_CMRS];	/* valid CMRs (trailing empty ones dropped) */
	unsigned int nr_cmrs;

	struct cm_tdx_memblock *memlist;	/* the TDX memory list */
	size_t nr_memlist;
	struct cm_tdx_memblock *excluded;	/* tdx.mixed=exclude: RAM left out */
	size_t nr_excluded;

	struct cm_tdmr *tdmrs;
	size_t nr_tdmrs;
	uint64_t pamt_bytes;		/* total of all PAMT blocks */
	bool dynamic_pamt;		/* the 4K level is the Dynamic PAMT bitmap */
	enum cm_tdx_kernel_source kernel_source;

	uint64_t config_status;		/* TDH.SYS.CONFIG completion code */
	char config_detail[256];	/* config_status in plain words */
	unsigned int nr_key_config_calls;
	uint64_t nr_tdmr_init_calls;

	struct cm_tdx_step steps[CM_TDX_NR_STEP_KINDS];	/* in the order they ran */
	unsigned int nr_steps;

	struct cm_log log;		/* kernel-style lines, without the prefix */
	struct cm_log diagnosis;	/* confmem's own findings, after the kernel's lines */
	struct cm_log advice;		/* what other strategies would do */
};

/*
 * Run the whole TDX initialisation of SPEC 3 on @p. A refused plan is a
 * result (plan->status < 0), not an error: the call fails only for
 * out-of-memory or bad options.
 */
int cm_tdx_plan_build(const struct cm_platform *p, const struct cm_tdx_options *o,
		      struct cm_tdx_plan **out, struct cm_error *err);
void cm_tdx_plan_free(struct cm_tdx_plan *plan);
/*
 * @p planned with @o under every kernel profile (plan --kernel all):
 * @plans[i] ran profile CM_KERNEL_FIRST_PROFILE + i. 0, or the first
 * plan's error with nothing left allocated.
 */
int cm_tdx_plan_every_profile(const struct cm_platform *p, const struct cm_tdx_options *o,
			      struct cm_tdx_plan *plans[CM_KERNEL_NR_PROFILES], struct cm_error *err);

/* Per-node totals of a plan. */
uint64_t cm_tdx_plan_node_memory(const struct cm_tdx_plan *plan, int node);
uint64_t cm_tdx_plan_node_pamt(const struct cm_tdx_plan *plan, int node);
/* Is [start, end) entirely inside one TDX memory region (the hot-add rule)? */
bool cm_tdx_plan_is_tdx_memory(const struct cm_tdx_plan *plan, uint64_t start, uint64_t end);

/* CMR list checks (SPEC 3.2): 0 or -EINVAL with the kernel's firmware-bug message in @err. */
int cm_tdx_check_cmrs(const struct cm_range *in, unsigned int nr_in, struct cm_range *out,
		      unsigned int *nr_out, struct cm_error *err);
/* Is [start, end) inside one CMR region (CMRs whose base equals the previous end merge)? */
bool cm_tdx_cmrs_contain(const struct cm_range *cmrs, unsigned int nr_cmrs, uint64_t start, uint64_t end);

/* TDMR_INFO layout (SPEC 3.7). */
size_t cm_tdmr_info_size(unsigned int max_reserved_per_tdmr);
/* Serialise @nr TDMRs; returns a malloc'd buffer of *len bytes or NULL. */
uint8_t *cm_tdmr_info_array(const struct cm_tdmr *tdmrs, size_t nr, unsigned int max_reserved_per_tdmr,
			    size_t *len);

/*
 * TDMR_INFO arrays read back (confmem module-config). An array holds 1 to
 * CM_TDMR_INFO_MAX_ENTRIES entries of cm_tdmr_info_size(max_reserved_per_tdmr)
 * bytes; max_reserved_per_tdmr is 1 to CM_TDMR_INFO_MAX_RESERVED (the
 * platform's own limits). Each TDMR keeps its reserved slots up to the last
 * non-null one (nr_reserved), null slots before it included, so slot
 * indexes are the module's; the padding after the slots is ignored, as the
 * module ignores it; pamt_node is -1. The TDMRs and their reserved areas
 * are one allocation, released with cm_tdmr_info_free(). -EINVAL with the
 * reason in @err for an empty array, a size that is not a whole number of
 * entries, too many entries, or a bad max_reserved_per_tdmr.
 */
#define CM_TDMR_INFO_MAX_ENTRIES 1024
#define CM_TDMR_INFO_MAX_RESERVED (1U << 16)
int cm_tdmr_info_parse(const uint8_t *buf, size_t len, unsigned int max_reserved_per_tdmr,
		       struct cm_tdmr **tdmrs, size_t *nr, struct cm_error *err);
/* The same for a file (its name leads the message); -errno when it cannot be read. */
int cm_tdmr_info_read_file(const char *path, unsigned int max_reserved_per_tdmr, struct cm_tdmr **tdmrs,
			   size_t *nr, struct cm_error *err);
void cm_tdmr_info_free(struct cm_tdmr *tdmrs);

/*
 * The emulated module's TDH.SYS.CONFIG validation (SPEC 3.8): returns
 * CM_TDX_SUCCESS or a completion code with detail bytes. Reserved entries
 * beyond tdmrs[i].nr_reserved (up to max_reserved_per_tdmr) are null.
 */
uint64_t cm_tdx_module_config(const struct cm_tdx_config *limits, const struct cm_range *cmrs,
			      unsigned int nr_cmrs, const struct cm_tdmr *tdmrs, size_t nr_tdmrs);
/*
 * The same with TDH.SYS.CONFIG's R8 flags: CM_TDX_CONFIG_DYNAMIC_PAMT makes
 * the 4K level a bitmap of limits->pamt_bitmap_entry_bits per 4 KiB page.
 */
uint64_t cm_tdx_module_config_flags(const struct cm_tdx_config *limits, const struct cm_range *cmrs,
				    unsigned int nr_cmrs, const struct cm_tdmr *tdmrs, size_t nr_tdmrs,
				    unsigned int flags);
/* Say in plain words what a completion code means for these TDMRs. */
void cm_tdx_describe_status(uint64_t status, const struct cm_tdmr *tdmrs, size_t nr_tdmrs,
			    char *buf, size_t len);

#endif /* CONFMEM_TDX_H */
