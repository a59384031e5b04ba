/* SPDX-License-Identifier: MIT */
/*
 * Diagnosis of a TDX host's boot log (SPEC 3.10): every TDX-related line
 * read and decoded (SEAMCALL leaves, status codes, register dumps, module
 * versions), matched against one table of known failures, each with its
 * evidence lines, explanation and fix; where the log has a memory map, the
 * host is planned and what the kernel printed is compared with the plan.
 */
#ifndef CONFMEM_DIAGNOSE_H
#define CONFMEM_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confmem/platform.h"
#include "confmem/tdx.h"
#include "confmem/util.h"

/* The most a diagnosed line may hold: the kernel's own lines are at most 1 KiB, journal prefixes included. */
#define CM_DIAG_MAX_LINE 8192

enum cm_diag_severity { CM_DIAG_INFO, CM_DIAG_WARNING, CM_DIAG_ERROR, CM_DIAG_NR_SEVERITIES };
const char *cm_diag_severity_name(enum cm_diag_severity s);

/* The known failures; each value is one row of the table in lib/diagnose/rules.c, which holds its id. */
enum cm_diag_id {
	CM_DIAG_TDX_DISABLED_BY_BIOS,
	CM_DIAG_MODULE_NOT_LOADED,
	CM_DIAG_MODULE_TOO_OLD,
	CM_DIAG_SYS_INIT_FAILED,
	CM_DIAG_NO_RBP_MOD,
	CM_DIAG_TDMRS_EXHAUSTED,
	CM_DIAG_RESERVED_AREAS_EXHAUSTED,
	CM_DIAG_PAMT_NO_MEMORY,
	CM_DIAG_MEMORY_OUTSIDE_CMRS,
	CM_DIAG_CONFIG_REJECTED,
	CM_DIAG_PLAN_MISMATCH,
	CM_DIAG_INITIALIZED,
	CM_DIAG_NR_IDS
};

/* One row of the table, as the docs list it. */
struct cm_diag_rule_info {
	const char *id;			/* "reserved-areas-exhausted" */
	enum cm_diag_severity severity;
	const char *recognised_by;	/* the log lines, in words */
	const char *explanation;
	const char *fix;
};
const struct cm_diag_rule_info *cm_diag_rule(enum cm_diag_id id);
/* The id of "reserved-areas-exhausted" and so on, or -1. */
int cm_diag_id_from_name(const char *name);

/* A line of the log a finding rests on; line_nr 0 for a line of confmem's own plan. */
struct cm_diag_evidence {
	unsigned long line_nr;
	char *text;
};

struct cm_diag_finding {
	enum cm_diag_id id;
	enum cm_diag_severity severity;
	struct cm_diag_evidence *evidence;
	size_t nr_evidence;
	char *explanation;	/* the row's explanation and what the lines say in particular */
	char *fix;
};

/* The TDX module as the log describes it. */
struct cm_diag_module {
	bool present;
	unsigned int major, minor, update;
	bool has_update;	/* "Module version: 1.5.06" prints it; "TDX module: ..." does not */
	uint64_t build_date, build_num;
	bool has_build;
	unsigned long line_nr;
};

struct cm_diagnosis {
	char kernel_profile[32];
	char kernel_profile_reason[160];	/* the line it was detected from, or why the default */
	struct cm_diag_module module;
	struct cm_diag_finding *findings;
	size_t nr_findings;
	struct cm_platform *platform;	/* NULL when the log has no memory map */
	struct cm_tdx_plan *plan;	/* NULL likewise */
	struct cm_log missing;		/* what the log lacks, one line each */
	struct cm_log decoded;		/* every TDX line read: "LINE: what it says" */
	bool initialized;		/* TDX initialised (printed, or predicted where the log stops) */
};

/*
 * Diagnose a boot log. Bad input (a NUL byte, a line longer than
 * CM_DIAG_MAX_LINE, a malformed memory-map line) is -EINVAL with
 * "SOURCE:LINE: reason" in @err; a log larger than CM_DMESG_MAX_INPUT is
 * -EFBIG; out of memory -ENOMEM. What the log shows, however bad for
 * TDX, is a diagnosis, not an error.
 */
int cm_diagnose_string(const char *text, size_t len, const char *source, struct cm_diagnosis **out,
		       struct cm_error *err);
/* The same for a regular file (cm_read_file()). */
int cm_diagnose_file(const char *path, struct cm_diagnosis **out, struct cm_error *err);
void cm_diagnosis_free(struct cm_diagnosis *d);
/* Is there a finding of severity error? */
bool cm_diagnosis_has_error(const struct cm_diagnosis *d);

/* Decoders of what the kernel prints. NULL when unknown. */
/* A SEAMCALL leaf (bits 15:0 of the function number): "TDH.SYS.RD" for 0x22. */
const char *cm_tdx_leaf_name(uint64_t fn);
/* A status code's name by bits 63:32: "TDX_METADATA_FIELD_ID_INCORRECT". */
const char *cm_tdx_status_name(uint64_t status);
/* The class (bits 47:40) in words: "metadata access". */
const char *cm_tdx_status_class(uint64_t status);
/* A global metadata field id: "MAX_TDMRS" for 0x9100000100000008. */
const char *cm_tdx_metadata_field_name(uint64_t field_id);

#endif /* CONFMEM_DIAGNOSE_H */
