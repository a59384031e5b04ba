/* SPDX-License-Identifier: MIT */
/*
 * Kernel profiles (SPEC 3.9): which kernel's TDX host code a plan
 * reproduces. The platform records the profile a boot log shows; the
 * plan's option chooses one. The profiles themselves (what each kernel
 * prints and how it builds the TDMRs) are the rows of lib/tdx/profile.c.
 */
#ifndef CONFMEM_TDX_KERNEL_H
#define CONFMEM_TDX_KERNEL_H

enum cm_tdx_kernel {
	CM_KERNEL_AUTO,		/* the profile the boot log shows, else mainline-6.8 */
	CM_KERNEL_MAINLINE_6_8,	/* v6.8 to v7.0 */
	CM_KERNEL_CMR_PRINT,	/* prints the CMRs, holes still from the memory list */
	CM_KERNEL_CMR_SERIES,	/* the 2024 CMR series: CMRs read, printed and used for holes */
	CM_KERNEL_MAINLINE_7_1,	/* v7.1 and later: TDX-Module lines, module version */
	CM_KERNEL_DPAMT,	/* the Dynamic PAMT series on v7.1 */
	CM_KERNEL_ALL,		/* plan: one row per profile */
	CM_KERNEL_NR
};

/* The first and last real profile (neither auto nor all). */
#define CM_KERNEL_FIRST_PROFILE CM_KERNEL_MAINLINE_6_8
#define CM_KERNEL_LAST_PROFILE CM_KERNEL_DPAMT

/* "auto", "mainline-6.8", ... (the tdx.kernel knob's values). */
const char *cm_tdx_kernel_name(enum cm_tdx_kernel k);

#endif /* CONFMEM_TDX_KERNEL_H */
