// SPDX-License-Identifier: MIT
/*
 * The TDX module initialisation sequence (SPEC 3): CMRs, memory list,
 * TDMRs, PAMTs, reserved areas, TDH.SYS.CONFIG, key configuration and
 * TDMR initialisation, with the kernel's messages. When it fails with
 * the kernel's own strategy, the other strategies are tried and their
 * outcome is given as advice.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_internal.h"

void cm_tdx_options_default(struct cm_tdx_options *o)
{
	memset(o, 0, sizeof(*o));
	o->kernel = CM_KERNEL_AUTO;
	o->holes = CM_HOLES_MEMLIST;
	o->mixed = CM_TDX_MIXED_STRICT;
	o->merge = CM_TDX_MERGE_NONE;
	o->pamt_placement = CM_PAMT_KERNEL;
}

static void release_pamts(struct cm_tdx_plan *plan)
{
	for (size_t i = 0; i < plan->nr_tdmrs; i++) {
		memset(plan->tdmrs[i].pamt_base, 0, sizeof(plan->tdmrs[i].pamt_base));
		memset(plan->tdmrs[i].pamt_size, 0, sizeof(plan->tdmrs[i].pamt_size));
		plan->tdmrs[i].pamt_node = -1;
	}
	plan->pamt_bytes = 0;
}

static int fail(struct cm_tdx_plan *plan, enum cm_tdx_result result, int status)
{
	plan->result = result;
	plan->status = status;
	/* Freed either way; a rejected config keeps the layout the module was given. */
	if (result == CM_TDX_FAILED_CONFIG)
		plan->pamt_bytes = 0;
	else
		release_pamts(plan);
	cm_log_add(&plan->log, CM_LOG_ERR, cm_tdx_kernel_profile(plan->options.kernel)->failed, status);
	return 0;
}

/* The profile the plan runs, and what it decides: holes, CMR and version lines. */
static void apply_profile(const struct cm_platform *p, struct cm_tdx_plan *plan)
{
	const struct cm_tdx_kernel_profile *k;

	plan->options.kernel = cm_tdx_kernel_resolve(plan->options.kernel, p, &plan->kernel_source);
	k = cm_tdx_kernel_profile(plan->options.kernel);
	if (k->holes == CM_HOLES_CMR)
		plan->options.holes = CM_HOLES_CMR;
	plan->dynamic_pamt = k->dynamic_pamt && p->tdx.phys_addr_bits <= CM_TDX_DPAMT_MAX_PHYS_BITS;
	if (k->prints_version && p->tdx.module_version[0])
		cm_log_add(&plan->log, CM_LOG_INFO, "Module version: %s", p->tdx.module_version);
}

static void log_cmrs(struct cm_tdx_plan *plan)
{
	if (!cm_tdx_kernel_profile(plan->options.kernel)->prints_cmrs)
		return;
	for (unsigned int i = 0; i < plan->nr_cmrs; i++)
		cm_log_add(&plan->log, CM_LOG_INFO, "CMR: [0x%" PRIx64 ", 0x%" PRIx64 ")",
			   plan->cmrs[i].start, plan->cmrs[i].end);
}

static int configure_module(const struct cm_platform *p, struct cm_tdx_plan *plan)
{
	unsigned int flags = plan->dynamic_pamt ? CM_TDX_CONFIG_DYNAMIC_PAMT : 0;
	uint64_t status;

	if (plan->dynamic_pamt)
		cm_log_add(&plan->log, CM_LOG_INFO, "Enable Dynamic PAMT");
	status = cm_tdx_module_config_flags(&p->tdx, plan->cmrs, plan->nr_cmrs, plan->tdmrs, plan->nr_tdmrs, flags);

	if (status == CM_TDX_EMULATION_NOMEM)
		return -ENOMEM;
	plan->config_status = status;
	cm_tdx_describe_status(status, plan->tdmrs, plan->nr_tdmrs, plan->config_detail,
			       sizeof(plan->config_detail));
	if (status == CM_TDX_SUCCESS)
		return 0;
	cm_log_add(&plan->log, CM_LOG_ERR, "SEAMCALL (0x%016llx) failed: 0x%016" PRIx64,
		   (unsigned long long)CM_TDH_SYS_CONFIG, status);
	snprintf(plan->error, sizeof(plan->error), "SEAMCALL (0x%016llx) failed: 0x%016" PRIx64,
		 (unsigned long long)CM_TDH_SYS_CONFIG, status);
	return -EIO;
}

/* Key configuration and TDMR initialisation after an accepted config, and the success lines. */
static void finish_init(const struct cm_platform *p, struct cm_tdx_plan *plan)
{
	bool all_known;

	plan->nr_key_config_calls = cm_platform_nr_packages(p, &all_known);
	for (size_t i = 0; i < plan->nr_tdmrs; i++) {
		uint64_t entries = plan->tdmrs[i].size / CM_PAGE_SIZE;

		plan->nr_tdmr_init_calls += (entries + CM_TDMR_INIT_PAMT_ENTRIES - 1) / CM_TDMR_INIT_PAMT_ENTRIES;
	}
	cm_log_add(&plan->log, CM_LOG_INFO, "%" PRIu64 " KB allocated for PAMT", plan->pamt_bytes / 1024);
	cm_log_add(&plan->log, CM_LOG_INFO, "%s", cm_tdx_kernel_profile(plan->options.kernel)->initialized);
	tdx_step_key_config(plan);
	tdx_step_tdmr_init(plan);
	plan->result = CM_TDX_INITIALIZED;
	plan->status = 0;
}

/* The TDMRs, their PAMTs and their reserved areas (the kernel's construct_tdmrs()). */
static int construct_tdmrs(const struct cm_platform *p, struct cm_tdx_plan *plan)
{
	size_t failed_tdmr = 0;
	int ret;

	ret = tdx_fill_out_tdmrs(plan, p->tdx.max_tdmrs);
	if (ret == -ENOSPC) {
		snprintf(plan->error, sizeof(plan->error), "initialization failed: TDMRs exhausted.");
		cm_log_add(&plan->log, CM_LOG_WARN, "%s", plan->error);
		tdx_step_tdmrs(plan, p->tdx.max_tdmrs, CM_TDX_STEP_FAILED);
		return fail(plan, CM_TDX_FAILED_TDMRS, ret);
	}
	if (ret)
		return ret;
	tdx_step_tdmrs(plan, p->tdx.max_tdmrs, CM_TDX_STEP_DONE);
	if (p->tdx.max_tdmrs - plan->nr_tdmrs < CM_TDMR_NR_WARN)
		cm_log_add(&plan->log, CM_LOG_WARN, "consumed TDMRs reaching limit: %zu used out of %u",
			   plan->nr_tdmrs, p->tdx.max_tdmrs);

	ret = tdx_set_up_pamt_all(p, plan);
	if (ret == -ENOMEM && plan->error[0]) {
		tdx_step_pamt(plan, CM_TDX_STEP_FAILED);
		return fail(plan, CM_TDX_FAILED_PAMT, ret);
	}
	if (ret)
		return ret;
	tdx_step_pamt(plan, CM_TDX_STEP_DONE);

	ret = tdx_populate_rsvd_all(plan, p->tdx.max_reserved_per_tdmr, &failed_tdmr);
	if (ret == -ENOSPC) {
		const struct cm_tdmr *t = &plan->tdmrs[failed_tdmr];

		snprintf(plan->error, sizeof(plan->error), "initialization failed: TDMR [0x%" PRIx64 ", 0x%" PRIx64
			 "): reserved areas exhausted.", t->base, cm_tdmr_end(t));
		cm_log_add(&plan->log, CM_LOG_WARN, "%s", plan->error);
		tdx_step_reserved(plan, p->tdx.max_reserved_per_tdmr, failed_tdmr, CM_TDX_STEP_FAILED);
		return fail(plan, CM_TDX_FAILED_RESERVED, ret);
	}
	if (!ret)
		tdx_step_reserved(plan, p->tdx.max_reserved_per_tdmr, failed_tdmr, CM_TDX_STEP_DONE);
	return ret;
}

/* The TDX memory list, checked against the CMRs where the plan's strategy asks for it. */
static int build_memlist(const struct cm_platform *p, struct cm_tdx_plan *plan)
{
	int ret = tdx_build_memlist(p, plan);

	if (ret)
		return ret;
	tdx_step_memlist(plan);
	if (plan->options.mixed == CM_TDX_MIXED_EXCLUDE) {
		ret = tdx_exclude_nonconvertible(plan);
		if (!ret)
			tdx_step_convertible(plan, CM_TDX_STEP_DONE);
	} else if (plan->options.holes == CM_HOLES_CMR) {
		/* Holes from the CMRs hide non-convertible RAM: that kernel checks first. */
		int outside = tdx_check_convertible(plan);

		tdx_step_convertible(plan, tdx_step_outcome(outside));
		if (outside)
			return fail(plan, CM_TDX_FAILED_CONVERTIBLE, -EINVAL);
	}
	return ret;
}

/* The sequence itself; returns -ENOMEM only for the emulation's own failures. */
static int run(const struct cm_platform *p, struct cm_tdx_plan *plan)
{
	struct cm_error cmr_err;
	int ret;

	if (!p->tdx.enabled) {
		plan->result = CM_TDX_DISABLED;
		plan->status = -ENODEV;
		snprintf(plan->error, sizeof(plan->error), "TDX is not enabled on this platform");
		return 0;
	}
	apply_profile(p, plan);
	if (cm_tdx_check_cmrs(p->tdx.cmrs, p->tdx.nr_cmrs, plan->cmrs, &plan->nr_cmrs, &cmr_err)) {
		snprintf(plan->error, sizeof(plan->error), "%s", cmr_err.msg);
		cm_log_add(&plan->log, CM_LOG_ERR, "%s", plan->error);
		tdx_step_cmrs(plan, CM_TDX_STEP_FAILED);
		return fail(plan, CM_TDX_FAILED_CMRS, -EINVAL);
	}
	tdx_step_cmrs(plan, CM_TDX_STEP_DONE);
	log_cmrs(plan);
	/* A refusal is a result (plan->status), not an error. */
	ret = build_memlist(p, plan);
	if (!ret && !plan->status)
		ret = construct_tdmrs(p, plan);
	if (ret || plan->status)
		return ret;

	ret = configure_module(p, plan);
	if (ret == -EIO) {
		cm_log_add(&plan->diagnosis, CM_LOG_ERR, "%s", plan->config_detail);
		tdx_step_config(plan, CM_TDX_STEP_FAILED);
		return fail(plan, CM_TDX_FAILED_CONFIG, ret);
	}
	if (ret)
		return ret;
	tdx_step_config(plan, CM_TDX_STEP_DONE);
	finish_init(p, plan);
	return 0;
}

static int plan_new(const struct cm_tdx_options *o, struct cm_tdx_plan **out)
{
	struct cm_tdx_plan *plan = calloc(1, sizeof(*plan));

	*out = NULL;	/* run_alternative() frees it on failure */
	if (!plan)
		return -ENOMEM;
	plan->options = *o;
	*out = plan;
	return 0;
}

void cm_tdx_plan_free(struct cm_tdx_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->nr_tdmrs; i++)
		free(plan->tdmrs[i].reserved);
	free(plan->tdmrs);
	free(plan->memlist);
	free(plan->excluded);
	cm_log_free(&plan->log);
	cm_log_free(&plan->diagnosis);
	cm_log_free(&plan->advice);
	free(plan);
}

static int run_alternative(const struct cm_platform *p, const struct cm_tdx_options *o,
			   struct cm_tdx_plan **out)
{
	int ret = plan_new(o, out);

	if (!ret)
		ret = run(p, *out);
	if (ret) {
		cm_tdx_plan_free(*out);
		*out = NULL;
	}
	return ret;
}

/* Reserved areas exhausted: what would CMR-based holes or merged areas need? */
static int advise_reserved(const struct cm_platform *p, struct cm_tdx_plan *plan)
{
	static const struct {
		enum cm_tdx_holes holes;
		enum cm_tdx_merge merge;
		const char *what;
	} alternatives[] = {
		{ CM_HOLES_CMR, CM_TDX_MERGE_NONE, "with CMR-based holes (kernels carrying that series)" },
		{ CM_HOLES_MEMLIST, CM_TDX_MERGE_TOUCHING, "with touching reserved areas merged (tdx.optimize=1)" },
		{ CM_HOLES_CMR, CM_TDX_MERGE_TOUCHING, "with CMR-based holes and merged areas (tdx.holes=cmr tdx.optimize=1)" },
	};
	const struct cm_tdmr *failed = NULL;

	for (size_t i = 0; i < plan->nr_tdmrs; i++)
		if (plan->tdmrs[i].nr_reserved > p->tdx.max_reserved_per_tdmr)
			failed = &plan->tdmrs[i];
	for (size_t a = 0; a < sizeof(alternatives) / sizeof(alternatives[0]); a++) {
		struct cm_tdx_options o = plan->options;
		struct cm_tdx_plan *alt;
		int ret;

		if (o.holes == alternatives[a].holes && o.merge == alternatives[a].merge)
			continue;
		if (cm_tdx_kernel_profile(o.kernel)->holes != alternatives[a].holes &&
		    alternatives[a].holes == CM_HOLES_MEMLIST)
			continue;	/* this kernel takes holes from the CMRs whatever tdx.holes says */
		o.holes = alternatives[a].holes;
		o.merge = alternatives[a].merge;
		ret = run_alternative(p, &o, &alt);
		if (ret)
			return ret;
		for (size_t i = 0; failed && i < alt->nr_tdmrs; i++) {
			if (alt->tdmrs[i].base != failed->base)
				continue;
			if (alt->status == 0)
				cm_log_add(&plan->advice, CM_LOG_INFO, "%s TDMR [0x%" PRIx64 ", 0x%" PRIx64
					   ") needs %u reserved areas: TDX would initialise (%" PRIu64
					   " KB allocated for PAMT)", alternatives[a].what, failed->base,
					   cm_tdmr_end(failed), alt->tdmrs[i].nr_reserved, alt->pamt_bytes / 1024);
			else
				cm_log_add(&plan->advice, CM_LOG_INFO, "%s TDMR [0x%" PRIx64 ", 0x%" PRIx64
					   ") needs %u reserved areas: TDX would still fail: %s",
					   alternatives[a].what, failed->base, cm_tdmr_end(failed),
					   alt->tdmrs[i].nr_reserved, alt->error);
		}
		cm_tdx_plan_free(alt);
	}
	return 0;
}

/* RAM outside the CMRs stopped TDX: what tdx.mixed=exclude gives. */
static int advise_convertible(const struct cm_platform *p, struct cm_tdx_plan *plan)
{
	struct cm_tdx_options o;
	struct cm_tdx_plan *alt;
	int ret;

	o = plan->options;
	o.mixed = CM_TDX_MIXED_EXCLUDE;
	ret = run_alternative(p, &o, &alt);
	if (ret)
		return ret;
	if (alt->status == 0) {
		uint64_t bytes = 0;

		for (size_t i = 0; i < alt->nr_excluded; i++)
			bytes += alt->excluded[i].end - alt->excluded[i].start;
		cm_log_add(&plan->advice, CM_LOG_INFO, "with tdx.mixed=exclude TDX would initialise without %zu "
			   "non-convertible regions (%" PRIu64 " MiB); guests must be bound to capable nodes",
			   alt->nr_excluded, bytes >> 20);
	} else {
		cm_log_add(&plan->advice, CM_LOG_INFO, "with tdx.mixed=exclude TDX would still fail: %s", alt->error);
	}
	cm_tdx_plan_free(alt);
	return 0;
}

int cm_tdx_plan_build(const struct cm_platform *p, const struct cm_tdx_options *o,
		      struct cm_tdx_plan **out, struct cm_error *err)
{
	struct cm_tdx_plan *plan = NULL;
	int ret, outside = 0;	/* pieces of boot RAM outside the CMRs found, or a negative errno */

	*out = NULL;
	ret = plan_new(o, &plan);
	if (!ret)
		ret = run(p, plan);
	if (!ret && plan->result == CM_TDX_FAILED_RESERVED)
		ret = advise_reserved(p, plan);
	if (!ret && plan->result != CM_TDX_DISABLED && plan->result != CM_TDX_FAILED_CMRS &&
	    plan->options.mixed == CM_TDX_MIXED_STRICT && plan->options.holes == CM_HOLES_MEMLIST) {
		outside = tdx_diagnose_convertible(plan);
		ret = outside < 0 ? outside : 0;
	}
	if (!ret && plan->status && (plan->result == CM_TDX_FAILED_CONVERTIBLE || outside > 0))
		ret = advise_convertible(p, plan);
	if (ret) {
		cm_tdx_plan_free(plan);
		return cm_error_set(err, ret, "TDX plan: out of memory");
	}
	*out = plan;
	return 0;
}

uint64_t cm_tdx_plan_node_memory(const struct cm_tdx_plan *plan, int node)
{
	uint64_t sum = 0;

	if (plan->result != CM_TDX_INITIALIZED)
		return 0;
	for (size_t i = 0; i < plan->nr_memlist; i++)
		if (plan->memlist[i].node == node)
			sum += plan->memlist[i].end - plan->memlist[i].start;
	return sum;
}

uint64_t cm_tdx_plan_node_pamt(const struct cm_tdx_plan *plan, int node)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < plan->nr_tdmrs; i++)
		if (plan->tdmrs[i].pamt_node == node)
			sum += cm_tdmr_pamt_block_size(&plan->tdmrs[i]);
	return sum;
}

bool cm_tdx_plan_is_tdx_memory(const struct cm_tdx_plan *plan, uint64_t start, uint64_t end)
{
	size_t lo = 0, hi = plan->nr_memlist;

	if (plan->result != CM_TDX_INITIALIZED)
		return false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (plan->memlist[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < plan->nr_memlist && start >= plan->memlist[lo].start && end <= plan->memlist[lo].end;
}
