// SPDX-License-Identifier: MIT
/*
 * confmem diagnose as a report: the kernel profile, the module, each
 * finding (id, severity, evidence lines with their numbers, explanation,
 * fix), the plan of the host where the log has a memory map, and what the
 * log lacks. JSON leaves "module" and "plan" out when the log has none
 * (ndctl's convention: a field is omitted when not valid; jq reads null).
 */
#include <inttypes.h>
#include <stdio.h>

#include "confmem/diagnose.h"
#include "confmem/report.h"

static const char *const diagnosis_json_order[] = {
	"kernel_profile", "kernel_profile_reason", "initialized", "module", "findings", "plan", "missing",
	"decoded", NULL,
};

static const char *const finding_json_order[] = { "id", "severity", "evidence", "explanation", "fix", NULL };

static void add_module(struct cm_report_item *o, const struct cm_diag_module *m)
{
	struct cm_report_item *mo;
	char version[48];

	if (!m->present)
		return;
	if (m->has_update)
		snprintf(version, sizeof(version), "%u.%u.%02u", m->major, m->minor, m->update);
	else
		snprintf(version, sizeof(version), "%u.%u", m->major, m->minor);
	mo = cm_report_add_object(o, "module", NULL);
	cm_report_add_string(mo, "version", "TDX module: %s", version);
	cm_report_add_u64(mo, "major", NULL, m->major);
	cm_report_add_u64(mo, "minor", NULL, m->minor);
	if (m->has_update)
		cm_report_add_u64(mo, "update", NULL, m->update);
	if (m->has_build) {
		cm_report_add_u64(mo, "build_date", ", build date %s", m->build_date);
		cm_report_add_u64(mo, "build_num", ", build %s", m->build_num);
	}
	cm_report_add_u64(mo, "line", " (line %s)\n", m->line_nr);
}

static void add_evidence(struct cm_report_item *a, const struct cm_diag_evidence *e)
{
	struct cm_report_item *row = cm_report_add_object(a, NULL, NULL);

	if (e->line_nr)
		cm_report_add_u64(row, "line", "    line %s: ", e->line_nr);
	else
		cm_report_add_text(row, "    ");
	cm_report_add_string(row, "text", "%s\n", e->text);
}

static void add_finding(struct cm_report_item *a, const struct cm_diag_finding *f)
{
	struct cm_report_item *o = cm_report_add_object(a, NULL, NULL), *ev;

	cm_report_set_json_order(o, finding_json_order);
	cm_report_add_string(o, "severity", "\n%s", cm_diag_severity_name(f->severity));
	cm_report_add_string(o, "id", ": %s\n", cm_diag_rule(f->id)->id);
	ev = cm_report_add_array(o, "evidence", f->nr_evidence ? "  evidence:\n" : NULL);
	for (size_t i = 0; i < f->nr_evidence; i++)
		add_evidence(ev, &f->evidence[i]);
	cm_report_add_string(o, "explanation", "  explanation: %s\n", f->explanation);
	cm_report_add_string(o, "fix", "  fix: %s\n", f->fix);
}

struct cm_report_item *cm_report_add_diagnosis(struct cm_report_item *parent, const char *key,
					       const struct cm_diagnosis *d)
{
	struct cm_report_item *o = cm_report_add_object(parent, key, NULL), *a;
	char header[64];

	cm_report_set_json_order(o, diagnosis_json_order);
	cm_report_add_string(o, "kernel_profile", "kernel profile: %s", d->kernel_profile);
	cm_report_add_string(o, "kernel_profile_reason", " (detected from: %s)\n", d->kernel_profile_reason);
	add_module(o, d->module.present ? &d->module : &(struct cm_diag_module){ 0 });
	cm_report_add_bool(o, "initialized", NULL, d->initialized);
	snprintf(header, sizeof(header), "findings: %zu\n", d->nr_findings);
	a = cm_report_add_array(o, "findings", header);
	for (size_t i = 0; i < d->nr_findings; i++)
		add_finding(a, &d->findings[i]);
	if (d->plan) {
		cm_report_add_text(o, "\nconfmem's plan of this host:\n");
		cm_report_add_plan(o, "plan", d->plan, d->platform, CM_REPORT_PLAN_SUMMARY);
	}
	a = cm_report_add_array(o, "missing", d->missing.nr_lines ? "\nwhat the log lacks:\n" : NULL);
	for (size_t i = 0; i < d->missing.nr_lines; i++)
		cm_report_add_string(a, NULL, "  %s\n", d->missing.lines[i].text);
	/* Debug lines: in the text with -v only. */
	cm_report_add_log(o, "decoded", &d->decoded, "read: ");
	return o;
}
