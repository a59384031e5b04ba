// SPDX-License-Identifier: MIT
/*
 * confmem diagnose's library part (SPEC 3.10): read the log's TDX lines,
 * match the table of known failures, plan the host where the log has a
 * memory map and compare, and say what the log lacks.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/names.h"
#include "diagnose/diagnose_internal.h"

static const char *const severity_names[CM_DIAG_NR_SEVERITIES] = {
	[CM_DIAG_INFO] = "info",
	[CM_DIAG_WARNING] = "warning",
	[CM_DIAG_ERROR] = "error",
};

const char *cm_diag_severity_name(enum cm_diag_severity s)
{
	return cm_name_of(severity_names, CM_ARRAY_SIZE(severity_names), s);
}

struct cm_diag_finding *diag_add_finding(struct diag_builder *b, enum cm_diag_id id)
{
	struct cm_diagnosis *d = b->d;
	const struct cm_diag_rule_info *rule = cm_diag_rule(id);
	struct cm_diag_finding *grown, *fd;

	if (b->status)
		return NULL;
	grown = realloc(d->findings, (d->nr_findings + 1) * sizeof(*grown));
	if (!grown) {
		b->status = -ENOMEM;
		return NULL;
	}
	d->findings = grown;
	fd = &d->findings[d->nr_findings++];
	memset(fd, 0, sizeof(*fd));
	fd->id = id;
	fd->severity = rule->severity;
	fd->explanation = strdup(rule->explanation);
	fd->fix = strdup(rule->fix);
	if (!fd->explanation || !fd->fix)
		b->status = -ENOMEM;
	return fd;
}

void diag_add_evidence(struct diag_builder *b, struct cm_diag_finding *f, unsigned long line_nr, const char *text)
{
	struct cm_diag_evidence *grown;

	if (b->status || !f)
		return;
	for (size_t i = 0; line_nr && i < f->nr_evidence; i++)
		if (f->evidence[i].line_nr == line_nr)
			return;
	grown = realloc(f->evidence, (f->nr_evidence + 1) * sizeof(*grown));
	if (!grown) {
		b->status = -ENOMEM;
		return;
	}
	f->evidence = grown;
	grown[f->nr_evidence].line_nr = line_nr;
	grown[f->nr_evidence].text = strdup(text);
	if (!grown[f->nr_evidence].text) {
		b->status = -ENOMEM;
		return;
	}
	f->nr_evidence++;
}

static void append(struct diag_builder *b, char **s, const char *fmt, va_list ap)
{
	char *more = NULL, *joined = NULL;

	if (b->status)
		return;
	if (vasprintf(&more, fmt, ap) < 0 || asprintf(&joined, "%s %s", *s, more) < 0) {
		free(more);
		b->status = -ENOMEM;
		return;
	}
	free(more);
	free(*s);
	*s = joined;
}

void diag_explain(struct diag_builder *b, struct cm_diag_finding *f, const char *fmt, ...)
{
	va_list ap;

	if (b->status || !f)
		return;
	va_start(ap, fmt);
	append(b, &f->explanation, fmt, ap);
	va_end(ap);
}

void diag_add_fix(struct diag_builder *b, struct cm_diag_finding *f, const char *fmt, ...)
{
	va_list ap;

	if (b->status || !f)
		return;
	va_start(ap, fmt);
	append(b, &f->fix, fmt, ap);
	va_end(ap);
}

static void set_module(struct cm_diagnosis *d, const struct diag_facts *f)
{
	if (!f->fact[FACT_MODULE_INFO].seen)
		return;
	d->module.present = true;
	d->module.major = f->module_major;
	d->module.minor = f->module_minor;
	d->module.update = f->module_update;
	d->module.has_update = f->module_has_update;
	d->module.build_date = f->build_date;
	d->module.build_num = f->build_num;
	d->module.has_build = f->module_has_build;
	d->module.line_nr = f->fact[FACT_MODULE_INFO].line_nr;
}

/* What the log lacks for a whole diagnosis, one line each. */
static void say_missing(struct cm_diagnosis *d, const struct diag_facts *f)
{
	struct cm_log *m = &d->missing;

	if (f->fact[FACT_GUEST].seen)
		cm_log_add(m, CM_LOG_INFO, "this is a TD guest's log (line %lu: tdx: Guest detected): the host's "
			   "TDX lines are in the host's log", f->fact[FACT_GUEST].line_nr);
	if (!f->nr_tdx_lines)
		cm_log_add(m, CM_LOG_INFO, "no virt/tdx lines: this kernel has no TDX host support, was not asked "
			   "for it (kvm_intel.tdx=1), or the BIOS did not enable TDX");
	if (!f->fact[FACT_E820].seen)
		cm_log_add(m, CM_LOG_INFO, "no BIOS-e820 memory map: the host cannot be planned and compared");
	if (f->nr_tdx_lines && !f->nr_cmr_lines)
		cm_log_add(m, CM_LOG_INFO, "no CMR lines: this kernel does not print them%s",
			   d->plan ? "; the plan assumes the CMRs cover the boot RAM" : "");
	if (f->nr_tdx_lines && !f->fact[FACT_MODULE_INFO].seen)
		cm_log_add(m, CM_LOG_INFO, "no module version line");
	if (f->nr_tdx_lines && !f->fact[FACT_INIT_OK].seen && !f->fact[FACT_INIT_FAILED].seen)
		cm_log_add(m, CM_LOG_INFO, "no verdict line (module initialized / module initialization failed): "
			   "the log stops before TDX was initialised, or nothing initialised it");
	if (f->fact[FACT_INIT_FAILED].seen && !cm_diagnosis_has_error(d))
		cm_log_add(m, CM_LOG_INFO, "a known cause for line %lu: %s", f->fact[FACT_INIT_FAILED].line_nr,
			   f->fact[FACT_INIT_FAILED].text);
}

/* Evidence in the order of the log, the plan's own lines (line 0) last. */
static int evidence_compare(const void *a, const void *b)
{
	const struct cm_diag_evidence *x = a, *y = b;
	unsigned long kx = x->line_nr ? x->line_nr : ULONG_MAX, ky = y->line_nr ? y->line_nr : ULONG_MAX;

	return kx < ky ? -1 : kx > ky;
}

static void sort_evidence(struct cm_diagnosis *d)
{
	for (size_t i = 0; i < d->nr_findings; i++)
		if (d->findings[i].nr_evidence > 1)
			qsort(d->findings[i].evidence, d->findings[i].nr_evidence, sizeof(struct cm_diag_evidence),
			      evidence_compare);
}

static int diagnose(const char *text, size_t len, const char *source, struct cm_diagnosis *d, struct cm_error *err)
{
	struct diag_facts f;
	struct diag_builder b = { .d = d };
	int ret;

	memset(&f, 0, sizeof(f));
	f.source = source;
	f.decoded = &d->decoded;
	ret = diag_read_lines(text, len, &f, err);
	if (!ret) {
		diag_detect_profile(&f, d);
		set_module(d, &f);
		diag_match_rules(&b, &f);
		ret = b.status ? b.status : diag_plan_and_compare(&b, &f, text, len, err);
	}
	if (!ret && b.status)
		ret = b.status;
	if (!ret) {
		sort_evidence(d);
		say_missing(d, &f);
	}
	diag_facts_free(&f);
	if (ret == -ENOMEM && !err->msg[0])
		cm_error_set(err, ret, "%s: out of memory", source);
	return ret;
}

int cm_diagnose_string(const char *text, size_t len, const char *source, struct cm_diagnosis **out,
		       struct cm_error *err)
{
	struct cm_diagnosis *d;
	int ret;

	*out = NULL;
	cm_error_clear(err);
	source = source ? source : "dmesg";
	if (len > CM_DMESG_MAX_INPUT)
		return cm_error_set(err, -EFBIG, "%s: input of %zu bytes is larger than the limit of %u MiB", source,
				    len, CM_DMESG_MAX_INPUT >> 20);
	d = calloc(1, sizeof(*d));
	if (!d)
		return cm_error_set(err, -ENOMEM, "%s: out of memory", source);
	ret = diagnose(text ? text : "", text ? len : 0, source, d, err);
	if (ret) {
		cm_diagnosis_free(d);
		return ret;
	}
	*out = d;
	return 0;
}

int cm_diagnose_file(const char *path, struct cm_diagnosis **out, struct cm_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int ret;

	*out = NULL;
	ret = cm_read_file(path, CM_DMESG_MAX_INPUT, &text, &len, err);
	if (ret)
		return ret;
	ret = cm_diagnose_string(text, len, path, out, err);
	free(text);
	return ret;
}

bool cm_diagnosis_has_error(const struct cm_diagnosis *d)
{
	for (size_t i = 0; i < d->nr_findings; i++)
		if (d->findings[i].severity == CM_DIAG_ERROR)
			return true;
	return false;
}

void cm_diagnosis_free(struct cm_diagnosis *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nr_findings; i++) {
		struct cm_diag_finding *f = &d->findings[i];

		for (size_t j = 0; j < f->nr_evidence; j++)
			free(f->evidence[j].text);
		free(f->evidence);
		free(f->explanation);
		free(f->fix);
	}
	free(d->findings);
	cm_tdx_plan_free(d->plan);
	cm_platform_free(d->platform);
	cm_log_free(&d->missing);
	cm_log_free(&d->decoded);
	free(d);
}
