// SPDX-License-Identifier: MIT
/* The TDX knobs: the plan's strategies (boot-only) and the TD page-add policy. */
#include "confmem/config.h"

static const char *kernel_value(unsigned int v) { return cm_tdx_kernel_name(v); }
static const char *holes_value(unsigned int v) { return cm_tdx_holes_name(v); }
static const char *mixed_value(unsigned int v) { return cm_tdx_mixed_name(v); }
static const char *pamt_placement_value(unsigned int v) { return cm_pamt_placement_name(v); }
static const char *add_failure_value(unsigned int v) { return cm_tdx_add_failure_name(v); }

const struct cm_config_knob cm_tdx_knobs[] = {
	{ "tdx.kernel", "which kernel's TDX code to reproduce (auto: the boot log's, else mainline-6.8; all: one row each)",
	  CM_KNOB_ENUM, CM_KNOB_BOOT, CM_KNOB_FIELD(tdx.kernel), .value_name = kernel_value,
	  .nr_values = CM_KERNEL_NR },
	{ "tdx.mixed", "boot RAM outside the CMRs: refuse TDX (strict) or leave it out",
	  CM_KNOB_ENUM, CM_KNOB_BOOT, CM_KNOB_FIELD(tdx.mixed), .value_name = mixed_value,
	  .nr_values = CM_TDX_MIXED_NR },
	{ "tdx.holes", "reserved-area holes from the memory list (kernel) or from the CMRs",
	  CM_KNOB_ENUM, CM_KNOB_BOOT, CM_KNOB_FIELD(tdx.holes), .value_name = holes_value,
	  .nr_values = CM_HOLES_NR },
	{ "tdx.pamt_placement", "where PAMT blocks go: as the kernel's alloc_contig_pages() (kernel) or lowest-fit",
	  CM_KNOB_ENUM, CM_KNOB_BOOT, CM_KNOB_FIELD(tdx.pamt_placement), .value_name = pamt_placement_value,
	  .nr_values = CM_PAMT_PLACEMENT_NR },
	{ "tdx.optimize", "merge touching reserved areas",
	  CM_KNOB_BOOL, CM_KNOB_BOOT, CM_KNOB_FIELD(tdx.merge) },
	{ "tdx.add_failure", "a TD page add refused: kill the guest or retry on a capable node",
	  CM_KNOB_ENUM, CM_KNOB_BOOT, CM_KNOB_FIELD(tdx_add_failure), .value_name = add_failure_value,
	  .nr_values = CM_TDX_ADD_FAILURE_NR },
};

const size_t cm_tdx_nr_knobs = sizeof(cm_tdx_knobs) / sizeof(cm_tdx_knobs[0]);
