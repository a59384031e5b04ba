/* SPDX-License-Identifier: MIT */
/*
 * Kernel profiles (SPEC 3.9): which kernel's TDX host code a plan
 * reproduces. The platform records the profile a boot log shows; the
 * plan's option chooses one. The profiles themselves (what each kernel
 * prints and how it builds the TDMRs) are the rows of lib/tdx/profile.c.
 */
#ifndef CONFMEM_TDX_KERNEL_H
#define CONFMEM_TDX_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

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
#define CM_KERNEL_NR_PROFILES (CM_KERNEL_LAST_PROFILE - CM_KERNEL_FIRST_PROFILE + 1)

/* Does @k name a real profile (not auto, not all)? */
static inline bool cm_tdx_kernel_is_profile(enum cm_tdx_kernel k)
{
	return k >= CM_KERNEL_FIRST_PROFILE && k <= CM_KERNEL_LAST_PROFILE;
}

/* "auto", "mainline-6.8", ... (the tdx.kernel knob's values). */
const char *cm_tdx_kernel_name(enum cm_tdx_kernel k);

/*
 * The profile a boot log's lines show (SPEC 3.9), for every reader of
 * logs: fed each virt/tdx message in order, it keeps the strongest kind of
 * evidence seen and the first line of that kind.
 */
struct cm_kernel_detector {
	int rank;			/* of the evidence so far; -1 before any */
	bool cmrs_seen;
	enum cm_tdx_kernel kernel;	/* CM_KERNEL_AUTO before any evidence */
	char evidence[200];		/* "line N: virt/tdx: ..." */
};

void cm_kernel_detector_init(struct cm_kernel_detector *d);
/* @message starts at "virt/tdx:" (@len bytes, no newline); @line_nr names it in the evidence. */
void cm_kernel_detector_feed(struct cm_kernel_detector *d, unsigned long line_nr, const char *message, size_t len);

#endif /* CONFMEM_TDX_KERNEL_H */
