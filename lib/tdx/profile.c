// SPDX-License-Identifier: MIT
/*
 * Kernel profiles (SPEC 3.9): one row per kernel whose TDX host code a
 * plan reproduces, with the lines that kernel prints and how it builds
 * the TDMRs. A new kernel is one row here and one enum value in
 * tdx_kernel.h.
 */
#include <stdio.h>
#include <string.h>

#include "confmem/names.h"
#include "tdx_internal.h"

static const struct cm_tdx_kernel_profile profiles[CM_KERNEL_NR] = {
	[CM_KERNEL_MAINLINE_6_8] = {
		.kernel = CM_KERNEL_MAINLINE_6_8,
		.summary = "v6.8 to v7.0: holes from the memory list, CMRs neither read nor printed",
		.holes = CM_HOLES_MEMLIST,
		.initialized = "module initialized",
		.failed = "module initialization failed (%d)",
	},
	[CM_KERNEL_CMR_PRINT] = {
		.kernel = CM_KERNEL_CMR_PRINT,
		.summary = "prints the module's CMRs but still takes holes from the memory list (canonical/tdx#135)",
		.prints_cmrs = true,
		.holes = CM_HOLES_MEMLIST,
		.initialized = "module initialized",
		.failed = "module initialization failed (%d)",
	},
	[CM_KERNEL_CMR_SERIES] = {
		.kernel = CM_KERNEL_CMR_SERIES,
		.summary = "the 2024 CMR series (distribution 6.8 kernels): CMRs read, printed and used for holes",
		.prints_cmrs = true,
		.holes = CM_HOLES_CMR,
		.initialized = "module initialized",
		.failed = "module initialization failed (%d)",
	},
	[CM_KERNEL_MAINLINE_7_1] = {
		.kernel = CM_KERNEL_MAINLINE_7_1,
		.summary = "v7.1 and later: module initialised at boot, Module version and TDX-Module lines",
		.holes = CM_HOLES_MEMLIST,
		.prints_version = true,
		.initialized = "TDX-Module initialized",
		.failed = "TDX-Module initialization failed (%d)",
	},
	[CM_KERNEL_DPAMT] = {
		.kernel = CM_KERNEL_DPAMT,
		.summary = "the Dynamic PAMT series: the 4K PAMT level becomes a bitmap at init",
		.holes = CM_HOLES_MEMLIST,
		.prints_version = true,
		.dynamic_pamt = true,
		.initialized = "TDX-Module initialized",
		.failed = "TDX-Module initialization failed (%d)",
	},
};

static const char *const kernel_names[CM_KERNEL_NR] = {
	[CM_KERNEL_AUTO] = "auto",
	[CM_KERNEL_MAINLINE_6_8] = "mainline-6.8",
	[CM_KERNEL_CMR_PRINT] = "cmr-print",
	[CM_KERNEL_CMR_SERIES] = "cmr-series",
	[CM_KERNEL_MAINLINE_7_1] = "mainline-7.1",
	[CM_KERNEL_DPAMT] = "dpamt",
	[CM_KERNEL_ALL] = "all",
};

const char *cm_tdx_kernel_name(enum cm_tdx_kernel k)
{
	return cm_name_of(kernel_names, CM_KERNEL_NR, k);
}

enum cm_tdx_kernel cm_tdx_kernel_resolve(enum cm_tdx_kernel chosen, const struct cm_platform *p,
					 enum cm_tdx_kernel_source *source)
{
	enum cm_tdx_kernel_source from = CM_KERNEL_DEFAULT;
	enum cm_tdx_kernel k = CM_KERNEL_MAINLINE_6_8;

	if (cm_tdx_kernel_is_profile(chosen)) {
		from = CM_KERNEL_CHOSEN;
		k = chosen;
	} else if (p && cm_tdx_kernel_is_profile(p->tdx.kernel)) {
		from = CM_KERNEL_DETECTED;
		k = p->tdx.kernel;
	}
	if (source)
		*source = from;
	return k;
}

const struct cm_tdx_kernel_profile *cm_tdx_kernel_profile(enum cm_tdx_kernel k)
{
	return &profiles[cm_tdx_kernel_is_profile(k) ? k : CM_KERNEL_MAINLINE_6_8];
}

int cm_tdx_plan_every_profile(const struct cm_platform *p, const struct cm_tdx_options *o,
			      struct cm_tdx_plan *plans[CM_KERNEL_NR_PROFILES], struct cm_error *err)
{
	struct cm_tdx_options one = *o;
	int ret = 0;

	for (int i = 0; i < CM_KERNEL_NR_PROFILES; i++)
		plans[i] = NULL;
	for (int i = 0; i < CM_KERNEL_NR_PROFILES && !ret; i++) {
		one.kernel = (enum cm_tdx_kernel)(CM_KERNEL_FIRST_PROFILE + i);
		ret = cm_tdx_plan_build(p, &one, &plans[i], err);
	}
	for (int i = 0; ret && i < CM_KERNEL_NR_PROFILES; i++) {
		cm_tdx_plan_free(plans[i]);
		plans[i] = NULL;
	}
	return ret;
}

/*
 * The lines that tell which kernel printed a log, weakest first: a later
 * row outranks an earlier one; the first line of the winning profile
 * decides. "CMR" is a CMR line ("CMR: [" or "CMR[N]: [").
 */
static const struct kernel_evidence {
	const char *text;		/* found anywhere in the message */
	bool after_cmrs;		/* counts only after a CMR line */
	enum cm_tdx_kernel kernel;
} kernel_evidence[] = {
	{ "", false, CM_KERNEL_MAINLINE_6_8 },
	{ NULL, false, CM_KERNEL_CMR_SERIES },
	{ "reserved areas exhausted.", true, CM_KERNEL_CMR_PRINT },
	{ "Module version:", false, CM_KERNEL_MAINLINE_7_1 },
	{ "TDX-Module initializ", false, CM_KERNEL_MAINLINE_7_1 },
	{ "Enable Dynamic PAMT", false, CM_KERNEL_DPAMT },
};

void cm_kernel_detector_init(struct cm_kernel_detector *d)
{
	memset(d, 0, sizeof(*d));
	d->rank = -1;
	d->kernel = CM_KERNEL_AUTO;
}

static bool contains(const char *message, size_t len, const char *text)
{
	size_t n = strlen(text);

	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(message + i, text, n))
			return true;
	return false;
}

/* "virt/tdx: CMR: [" or "virt/tdx: CMR[N]: [". */
static bool is_cmr_line(const char *message, size_t len)
{
	size_t i = strlen("virt/tdx:");

	if (len < i || memcmp(message, "virt/tdx:", i))
		return false;
	while (i < len && message[i] == ' ')
		i++;
	if (len - i < 4 || memcmp(message + i, "CMR", 3))
		return false;
	i += 3;
	if (message[i] == '[') {
		while (++i < len && message[i] >= '0' && message[i] <= '9')
			;
		if (i >= len || message[i++] != ']')
			return false;
	}
	return i < len && message[i] == ':';
}

void cm_kernel_detector_feed(struct cm_kernel_detector *d, unsigned long line_nr, const char *message, size_t len)
{
	bool cmr = is_cmr_line(message, len);

	for (int rank = (int)CM_ARRAY_SIZE(kernel_evidence) - 1; rank > d->rank; rank--) {
		const struct kernel_evidence *e = &kernel_evidence[rank];

		if (e->text ? !contains(message, len, e->text) : !cmr)
			continue;
		if (e->after_cmrs && !d->cmrs_seen)
			continue;
		if (d->rank >= 0 && e->kernel == d->kernel)
			break;		/* the first line of a profile decides it */
		d->rank = rank;
		d->kernel = e->kernel;
		snprintf(d->evidence, sizeof(d->evidence), "line %lu: %.*s", line_nr,
			 (int)(len < sizeof(d->evidence) ? len : sizeof(d->evidence)), message);
		break;
	}
	d->cmrs_seen |= cmr;
}
