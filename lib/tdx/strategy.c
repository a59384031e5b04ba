// SPDX-License-Identifier: MIT
/*
 * The plan's strategy tables and the names of the TDX enums. A new
 * strategy is one file (or one function beside its step) plus one row
 * here and one enum value in tdx.h.
 */
#include "confmem/names.h"
#include "tdx_internal.h"

static const struct tdx_holes_operations *const holes_strategies[CM_HOLES_NR] = {
	[CM_HOLES_MEMLIST] = &tdx_holes_memlist,
	[CM_HOLES_CMR] = &tdx_holes_cmr,
};

static const struct tdx_merge_operations *const merge_strategies[CM_TDX_MERGE_NR] = {
	[CM_TDX_MERGE_NONE] = &tdx_merge_none,
	[CM_TDX_MERGE_TOUCHING] = &tdx_merge_touching,
};

static const struct tdx_pamt_placement_operations *const pamt_placements[CM_PAMT_PLACEMENT_NR] = {
	[CM_PAMT_KERNEL] = &tdx_pamt_contig,
	[CM_PAMT_LOWEST_FIT] = &tdx_pamt_lowest_fit,
};

const struct tdx_holes_operations *tdx_holes_ops(enum cm_tdx_holes h)
{
	return (unsigned int)h < CM_HOLES_NR ? holes_strategies[h] : NULL;
}

const struct tdx_merge_operations *tdx_merge_ops(enum cm_tdx_merge m)
{
	return (unsigned int)m < CM_TDX_MERGE_NR ? merge_strategies[m] : NULL;
}

const struct tdx_pamt_placement_operations *tdx_pamt_placement_ops(enum cm_pamt_placement p)
{
	return (unsigned int)p < CM_PAMT_PLACEMENT_NR ? pamt_placements[p] : NULL;
}

const char *cm_tdx_holes_name(enum cm_tdx_holes h)
{
	return tdx_holes_ops(h) ? tdx_holes_ops(h)->name : "unknown";
}

const char *cm_tdx_holes_source(enum cm_tdx_holes h)
{
	return tdx_holes_ops(h) ? tdx_holes_ops(h)->source : "unknown";
}

const char *cm_tdx_merge_name(enum cm_tdx_merge m)
{
	return tdx_merge_ops(m) ? tdx_merge_ops(m)->name : "unknown";
}

const char *cm_tdx_merge_summary(enum cm_tdx_merge m)
{
	return tdx_merge_ops(m) ? tdx_merge_ops(m)->summary : "";
}

const char *cm_pamt_placement_name(enum cm_pamt_placement p)
{
	return tdx_pamt_placement_ops(p) ? tdx_pamt_placement_ops(p)->name : "unknown";
}

static const char *const mixed_names[CM_TDX_MIXED_NR] = {
	[CM_TDX_MIXED_STRICT] = "strict",
	[CM_TDX_MIXED_EXCLUDE] = "exclude",
};

const char *cm_tdx_mixed_name(enum cm_tdx_mixed m)
{
	return cm_name_of(mixed_names, CM_TDX_MIXED_NR, m);
}

static const char *const add_failure_names[CM_TDX_ADD_FAILURE_NR] = {
	[CM_TDX_ADD_FAILURE_KILL] = "kill",
	[CM_TDX_ADD_FAILURE_RETRY] = "retry",
};

const char *cm_tdx_add_failure_name(enum cm_tdx_add_failure f)
{
	return cm_name_of(add_failure_names, CM_TDX_ADD_FAILURE_NR, f);
}

static const char *const result_names[CM_TDX_NR_RESULTS] = {
	[CM_TDX_INITIALIZED] = "initialized",
	[CM_TDX_DISABLED] = "disabled",
	[CM_TDX_FAILED_CMRS] = "bad_cmrs",
	[CM_TDX_FAILED_CONVERTIBLE] = "not_convertible",
	[CM_TDX_FAILED_TDMRS] = "tdmrs_exhausted",
	[CM_TDX_FAILED_PAMT] = "pamt_no_memory",
	[CM_TDX_FAILED_RESERVED] = "reserved_areas_exhausted",
	[CM_TDX_FAILED_CONFIG] = "config_rejected",
};

const char *cm_tdx_result_name(enum cm_tdx_result r)
{
	return cm_name_of(result_names, CM_TDX_NR_RESULTS, r);
}
