/* SPDX-License-Identifier: MIT */
#ifndef CONFMEM_TDX_INTERNAL_H
#define CONFMEM_TDX_INTERNAL_H

#include "confmem/tdx.h"

/*
 * Strategies (lib/tdx/strategy.c holds the tables, indexed by the enums
 * of tdx.h; each strategy lives in its own file or beside its step).
 */

/* Where holes come from: the regions whose gaps inside a TDMR are reserved areas. */
struct tdx_holes_operations {
	const char *name;	/* the tdx.holes value */
	const char *source;	/* in words, for reports */
	/* A malloc'd array of the regions, sorted by start; *nr may be 0. */
	int (*regions)(const struct cm_tdx_plan *plan, struct cm_range **out, size_t *nr);
};

/* What happens to a TDMR's reserved areas, sorted by offset, before they are counted. */
struct tdx_merge_operations {
	const char *name;
	const char *summary;	/* appended to a plan's headline: ", touching areas merged" or "" */
	void (*merge)(struct cm_tdmr_reserved *areas, size_t *nr);	/* NULL: kept as they are */
};

/* Where PAMT blocks are allocated. */
struct tdx_pamt_placement_operations {
	const char *name;
	/* Prepare the free TDX memory of @plan; *state is the allocator's own. */
	int (*open)(const struct cm_platform *p, const struct cm_tdx_plan *plan, void **state);
	/* @size bytes for a TDMR whose local node is @nid: 0, or -ENOMEM when nothing fits. */
	int (*alloc)(void *state, int nid, uint64_t size, uint64_t *base, int *got_node);
	void (*close)(void *state);
};

const struct tdx_holes_operations *tdx_holes_ops(enum cm_tdx_holes h);
const struct tdx_merge_operations *tdx_merge_ops(enum cm_tdx_merge m);
const struct tdx_pamt_placement_operations *tdx_pamt_placement_ops(enum cm_pamt_placement p);

extern const struct tdx_holes_operations tdx_holes_memlist;	/* holes_memlist.c */
extern const struct tdx_holes_operations tdx_holes_cmr;		/* holes_cmr.c */
extern const struct tdx_merge_operations tdx_merge_none;		/* rsvd.c */
extern const struct tdx_merge_operations tdx_merge_touching;	/* rsvd.c */
extern const struct tdx_pamt_placement_operations tdx_pamt_contig;	/* pamt_contig.c */
extern const struct tdx_pamt_placement_operations tdx_pamt_lowest_fit;	/* pamt_lowest_fit.c */

/* max_tree.c: the leftmost index in [lo, hi) whose value is at least @need, or SIZE_MAX. */
struct tdx_max_tree {
	uint64_t *node;		/* node[1] is the root; the leaves start at 'leaves' */
	size_t leaves;
};
int tdx_max_tree_init(struct tdx_max_tree *t, size_t nr);	/* every value 0 */
void tdx_max_tree_free(struct tdx_max_tree *t);
/* Set leaf @i without updating its ancestors; tdx_max_tree_build() then fixes them all. */
void tdx_max_tree_load(struct tdx_max_tree *t, size_t i, uint64_t value);
void tdx_max_tree_build(struct tdx_max_tree *t);
void tdx_max_tree_set(struct tdx_max_tree *t, size_t i, uint64_t value);
size_t tdx_max_tree_find(const struct tdx_max_tree *t, size_t lo, size_t hi, uint64_t need);

/* memlist.c */
int tdx_build_memlist(const struct cm_platform *p, struct cm_tdx_plan *plan);
int tdx_exclude_nonconvertible(struct cm_tdx_plan *plan);
int tdx_check_convertible(struct cm_tdx_plan *plan);
/* Strict without an early check: each piece of RAM outside the CMRs into plan->diagnosis; 1 if any. */
int tdx_diagnose_convertible(struct cm_tdx_plan *plan);

/* tdmr.c */
int tdx_fill_out_tdmrs(struct cm_tdx_plan *plan, unsigned int max_tdmrs);

/* pamt.c */
uint64_t tdx_pamt_level_size(uint64_t tdmr_size, enum cm_pamt_level level, unsigned int entry_size);
int tdx_set_up_pamt_all(const struct cm_platform *p, struct cm_tdx_plan *plan);

/* rsvd.c */
int tdx_populate_rsvd_all(struct cm_tdx_plan *plan, unsigned int max_reserved, size_t *failed_tdmr);
/* Count the reserved areas TDMR @i would need (no limit); for advice. */
int tdx_count_rsvd(const struct cm_tdx_plan *plan, size_t i, unsigned int *count);

/*
 * steps.c: record a step the plan reached, right after it ran, from what
 * it left in the plan (a failed step after plan->error is set, before
 * the PAMT blocks are released).
 */
static inline enum cm_tdx_step_outcome tdx_step_outcome(int ret)
{
	return ret ? CM_TDX_STEP_FAILED : CM_TDX_STEP_DONE;
}
void tdx_step_cmrs(struct cm_tdx_plan *plan, enum cm_tdx_step_outcome outcome);
void tdx_step_memlist(struct cm_tdx_plan *plan);
void tdx_step_convertible(struct cm_tdx_plan *plan, enum cm_tdx_step_outcome outcome);
void tdx_step_tdmrs(struct cm_tdx_plan *plan, unsigned int max_tdmrs, enum cm_tdx_step_outcome outcome);
void tdx_step_pamt(struct cm_tdx_plan *plan, enum cm_tdx_step_outcome outcome);
/* @failed_tdmr: the TDMR that ran out of reserved areas (read only when the step failed). */
void tdx_step_reserved(struct cm_tdx_plan *plan, unsigned int max_reserved, size_t failed_tdmr,
		       enum cm_tdx_step_outcome outcome);
void tdx_step_config(struct cm_tdx_plan *plan, enum cm_tdx_step_outcome outcome);
void tdx_step_key_config(struct cm_tdx_plan *plan);
void tdx_step_tdmr_init(struct cm_tdx_plan *plan);

#endif
