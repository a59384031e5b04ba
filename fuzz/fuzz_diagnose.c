// SPDX-License-Identifier: MIT
/*
 * Fuzz target for the boot log diagnosis (lib/diagnose): any bytes either
 * give a diagnosis whose findings are whole (a known id, a severity, an
 * explanation and a fix, evidence with text) or fail with a one-line
 * message; nothing else may happen.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/diagnose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_diagnosis(const struct cm_diagnosis *d)
{
	bool has_error = false;

	for (size_t i = 0; i < d->nr_findings; i++) {
		const struct cm_diag_finding *f = &d->findings[i];

		if (!cm_diag_rule(f->id) || f->severity >= CM_DIAG_NR_SEVERITIES || !f->explanation || !f->fix)
			abort();
		if (f->severity == CM_DIAG_ERROR)
			has_error = true;
		for (size_t j = 0; j < f->nr_evidence; j++)
			if (!f->evidence[j].text || strchr(f->evidence[j].text, '\n'))
				abort();
	}
	if (has_error != cm_diagnosis_has_error(d) || !d->kernel_profile[0] || (d->plan && !d->platform))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_diagnosis *d = NULL;
	struct cm_error err;

	cm_error_clear(&err);
	if (cm_diagnose_string((const char *)data, size, "fuzz.log", &d, &err) == 0) {
		check_diagnosis(d);
		cm_diagnosis_free(d);
		return 0;
	}
	if (d || err.code >= 0 || strlen(err.msg) == 0 || strchr(err.msg, '\n'))
		abort();
	return 0;
}
