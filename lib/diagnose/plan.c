// SPDX-License-Identifier: MIT
/*
 * The diagnosis's plan: which kernel the log's lines show (the profile),
 * the plan of the host from the log's memory map under that profile, and
 * every difference between the plan and what the kernel printed (the
 * verdict, the failing TDMR, the PAMT total, the TDMR-limit warning).
 * Where the log stops before the kernel's verdict, the plan's verdict is
 * the prediction, said to be one.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/diagnose_internal.h"

#define TDMR_WARNING_TEXT "consumed TDMRs reaching limit"

/*
 * The kernel profile (SPEC 3.9) from the log's virt/tdx lines, by the same
 * detector the platform reader runs (so a log without an e820 map gets the
 * profile the full log would).
 */
void diag_detect_profile(const struct diag_facts *f, struct cm_diagnosis *d)
{
	enum cm_tdx_kernel k = f->kernel.kernel == CM_KERNEL_AUTO ? CM_KERNEL_MAINLINE_6_8 : f->kernel.kernel;

	snprintf(d->kernel_profile, sizeof(d->kernel_profile), "%s", cm_tdx_kernel_name(k));
	snprintf(d->kernel_profile_reason, sizeof(d->kernel_profile_reason), "%s",
		 f->kernel.evidence[0] ? f->kernel.evidence : "the default: no virt/tdx line");
}

/* Plan @p with @o: the one place the diagnosis plans a host. */
static int diagnose_plan(const struct cm_platform *p, const struct cm_tdx_options *o, struct cm_tdx_plan **plan,
			 struct cm_error *err)
{
	return cm_tdx_plan_build(p, o, plan, err);
}

/* The finding a plan's result corresponds to; CM_DIAG_NR_IDS for none. */
static enum cm_diag_id plan_id(const struct cm_tdx_plan *plan)
{
	uint64_t code = plan->config_status & CM_TDX_STATUS_MASK;

	switch (plan->result) {
	case CM_TDX_INITIALIZED:
		return CM_DIAG_INITIALIZED;
	case CM_TDX_FAILED_TDMRS:
		return CM_DIAG_TDMRS_EXHAUSTED;
	case CM_TDX_FAILED_RESERVED:
		return CM_DIAG_RESERVED_AREAS_EXHAUSTED;
	case CM_TDX_FAILED_PAMT:
		return CM_DIAG_PAMT_NO_MEMORY;
	case CM_TDX_FAILED_CONVERTIBLE:
		return CM_DIAG_MEMORY_OUTSIDE_CMRS;
	case CM_TDX_FAILED_CONFIG:
		return code == CM_TDX_TDMR_OUTSIDE_CMRS || code == CM_TDX_PAMT_OUTSIDE_CMRS ?
		       CM_DIAG_MEMORY_OUTSIDE_CMRS : CM_DIAG_CONFIG_REJECTED;
	default:
		return CM_DIAG_NR_IDS;
	}
}

static bool is_layout_id(enum cm_diag_id id)
{
	return id == CM_DIAG_INITIALIZED || id == CM_DIAG_TDMRS_EXHAUSTED || id == CM_DIAG_RESERVED_AREAS_EXHAUSTED ||
	       id == CM_DIAG_PAMT_NO_MEMORY || id == CM_DIAG_MEMORY_OUTSIDE_CMRS || id == CM_DIAG_CONFIG_REJECTED;
}

/*
 * The kernel's verdict on the layout: the index of the finding of a
 * layout id, or @d->nr_findings when the log has none; *@early when it
 * failed before the layout (BIOS, module).
 */
static size_t kernel_verdict(const struct cm_diagnosis *d, bool *early)
{
	size_t verdict = d->nr_findings;

	*early = false;
	for (size_t i = 0; i < d->nr_findings; i++) {
		if (!is_layout_id(d->findings[i].id))
			*early = true;
		else if (verdict == d->nr_findings)
			verdict = i;
	}
	return verdict;
}

static const char *plan_verdict(const struct cm_tdx_plan *plan)
{
	return plan->status ? plan->error : "module initialized";
}

static const char *planned_tdmr_warning(const struct cm_tdx_plan *plan)
{
	for (size_t i = 0; i < plan->log.nr_lines; i++)
		if (strstr(plan->log.lines[i].text, TDMR_WARNING_TEXT))
			return plan->log.lines[i].text;
	return NULL;
}

static struct cm_diag_finding *mismatch(struct diag_builder *b, struct cm_diag_finding **fd)
{
	if (!*fd)
		*fd = diag_add_finding(b, CM_DIAG_PLAN_MISMATCH);
	return *fd;
}

/* The TDMR-limit warning and the PAMT total: printed, planned, or both and different. */
static void compare_totals(struct diag_builder *b, const struct diag_facts *f, const struct cm_tdx_plan *plan,
			   struct cm_diag_finding **fd)
{
	const struct diag_fact_line *kb = &f->fact[FACT_PAMT_KB], *warn = &f->fact[FACT_TDMR_WARNING];
	const char *planned = planned_tdmr_warning(plan);

	if (kb->seen && plan->status == 0 && (uint64_t)kb->a != plan->pamt_bytes / 1024) {
		diag_add_evidence(b, mismatch(b, fd), kb->line_nr, kb->text);
		diag_explain(b, *fd, "PAMT: the kernel printed %" PRId64 " KB allocated for PAMT, the plan has %" PRIu64
			     " KB.", kb->a, plan->pamt_bytes / 1024);
	}
	if (warn->seen && (!planned || !strstr(warn->text, planned))) {
		diag_add_evidence(b, mismatch(b, fd), warn->line_nr, warn->text);
		diag_explain(b, *fd, "TDMR warning: the kernel printed \"%s: %" PRId64 " used out of %" PRId64 "\", "
			     "the plan %s%s%s.", TDMR_WARNING_TEXT, warn->a, warn->b, planned ? "prints \"" : "has none",
			     planned ? planned : "", planned ? "\"" : "");
	} else if (!warn->seen && planned && plan->nr_tdmrs) {
		mismatch(b, fd);
		diag_explain(b, *fd, "TDMR warning: the plan prints \"%s\", the kernel printed none.", planned);
	}
}

static void compare_verdict(struct diag_builder *b, const struct diag_facts *f, const struct cm_tdx_plan *plan,
			    size_t verdict, struct cm_diag_finding **fd)
{
	const struct diag_fact_line *rsvd = &f->fact[FACT_RESERVED_EXHAUSTED];
	enum cm_diag_id planned = plan_id(plan), printed = b->d->findings[verdict].id;
	const struct cm_diag_evidence *last;

	if (printed != planned) {
		mismatch(b, fd);
		/* Adding the mismatch may have moved the findings: index them again. */
		last = b->d->findings[verdict].nr_evidence ?
		       &b->d->findings[verdict].evidence[b->d->findings[verdict].nr_evidence - 1] : NULL;
		if (last && !b->status)
			diag_add_evidence(b, *fd, last->line_nr, last->text);
		diag_explain(b, *fd, "Verdict: the kernel's log shows %s, the plan ends with \"%s\" (%s).",
			     cm_diag_rule(printed)->id, plan_verdict(plan),
			     planned < CM_DIAG_NR_IDS ? cm_diag_rule(planned)->id : "no finding");
	} else if (planned == CM_DIAG_RESERVED_AREAS_EXHAUSTED && rsvd->seen && !strstr(rsvd->text, plan->error)) {
		diag_add_evidence(b, mismatch(b, fd), rsvd->line_nr, rsvd->text);
		diag_explain(b, *fd, "Failing TDMR: the kernel printed the line above, the plan \"%s\".", plan->error);
	}
}

/* The plan's advice (the strategies that would succeed) as the fix of a layout failure. */
/* The first strategy of the plan's advice that would initialise TDX (else its first line) as the fix. */
static void add_advice(struct diag_builder *b, struct cm_diag_finding *verdict, const struct cm_tdx_plan *plan)
{
	const char *text = NULL;
	size_t len;

	if (!verdict || verdict->id == CM_DIAG_INITIALIZED || !plan->advice.nr_lines)
		return;
	for (size_t i = 0; i < plan->advice.nr_lines && !text; i++)
		if (strstr(plan->advice.lines[i].text, "would initialise"))
			text = plan->advice.lines[i].text;
	if (!text)
		text = plan->advice.lines[0].text;
	len = strlen(text);
	diag_add_fix(b, verdict, "confmem's plan of this host: %s%s", text, len && text[len - 1] == '.' ? "" : ".");
}

/* The log stops before the kernel's verdict: the plan's, said to be a prediction. */
static void predict(struct diag_builder *b, const struct diag_facts *f, const struct cm_tdx_plan *plan)
{
	enum cm_diag_id id = plan_id(plan);
	struct cm_diag_finding *fd;
	char line[480];

	if (id == CM_DIAG_NR_IDS || f->fact[FACT_INIT_FAILED].seen || f->nr_seamcalls)
		return;
	fd = diag_add_finding(b, id);
	if (f->fact[FACT_MODULE_INFO].seen)
		diag_add_evidence(b, fd, f->fact[FACT_MODULE_INFO].line_nr, f->fact[FACT_MODULE_INFO].text);
	snprintf(line, sizeof(line), "(plan, profile %s) %s%s%" PRIu64 " KB allocated for PAMT, %zu TDMRs",
		 b->d->kernel_profile, plan->status ? plan->error : "", plan->status ? "; " : "",
		 plan->pamt_bytes / 1024, plan->nr_tdmrs);
	diag_add_evidence(b, fd, 0, line);
	diag_explain(b, fd, "Predicted: the log stops before the kernel's verdict; confmem's plan of this memory map "
		     "ends with \"%s\".", plan_verdict(plan));
	add_advice(b, fd, plan);
	if (id == CM_DIAG_INITIALIZED)
		b->d->initialized = true;
}

static void compare(struct diag_builder *b, const struct diag_facts *f, const struct cm_tdx_plan *plan)
{
	struct cm_diag_finding *fd = NULL;
	size_t verdict;
	bool early;

	if (!f->nr_tdx_lines)
		return;
	verdict = kernel_verdict(b->d, &early);
	if (early)
		return;
	if (verdict == b->d->nr_findings) {
		predict(b, f, plan);
		return;
	}
	compare_verdict(b, f, plan, verdict, &fd);
	compare_totals(b, f, plan, &fd);
	if (!b->status)
		add_advice(b, &b->d->findings[verdict], plan);
}

int diag_plan_and_compare(struct diag_builder *b, const struct diag_facts *f, const char *text, size_t len,
			  struct cm_error *err)
{
	struct cm_diagnosis *d = b->d;
	struct cm_tdx_options o;
	int ret;

	if (!f->fact[FACT_E820].seen)
		return 0;
	ret = cm_platform_from_dmesg_string(text, len, f->source, &d->platform, err);
	if (ret)
		return ret;
	cm_tdx_options_default(&o);	/* tdx.kernel=auto: the profile the log shows */
	ret = diagnose_plan(d->platform, &o, &d->plan, err);
	if (ret)
		return ret;
	compare(b, f, d->plan);
	return b->status;
}
