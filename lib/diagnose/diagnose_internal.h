/* SPDX-License-Identifier: MIT */
/*
 * The diagnosis's pieces:
 *   lines.c     reading the log: prefixes, bad input, one fact per kind of TDX line
 *   decode.c    leaf, status and metadata field names
 *   rules.c     the table of known failures and their matchers
 *   plan.c      the kernel profile, the plan of the host and its comparison
 *   diagnose.c  the driver, findings, free
 */
#ifndef CONFMEM_DIAGNOSE_INTERNAL_H
#define CONFMEM_DIAGNOSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confmem/diagnose.h"

/* The kinds of line a diagnosis rests on (the first of each is kept, the last for verdicts). */
enum diag_fact {
	FACT_TDX_WANTED,	/* the command line asks for TDX (kvm_intel.tdx=1) */
	FACT_BIOS_ENABLED,	/* BIOS enabled: private KeyID range [a, b) */
	FACT_BIOS_DISABLED,	/* TDX is not enabled by BIOS, SEAMRR not enabled, too few KeyIDs */
	FACT_TME_DISABLED,	/* x86/tme: not enabled by BIOS */
	FACT_MODULE_NOT_LOADED,
	FACT_MODULE_INFO,	/* TDX module: ... major_version ... / Module version: */
	FACT_NO_RBP_MOD,
	FACT_TDMRS_EXHAUSTED,
	FACT_RESERVED_EXHAUSTED,
	FACT_TDMR_WARNING,	/* consumed TDMRs reaching limit: a used out of b */
	FACT_PAMT_NODE_FALLBACK,
	FACT_PAMT_KB,		/* a KB allocated for PAMT */
	FACT_INIT_OK,
	FACT_INIT_FAILED,	/* a: the errno printed */
	FACT_CMR,		/* the first CMR line */
	FACT_GUEST,		/* tdx: Guest detected */
	FACT_E820,		/* the first BIOS-e820 line */
	NR_FACTS
};

struct diag_fact_line {
	bool seen;
	unsigned long line_nr;
	char *text;		/* the whole line, unprintable bytes replaced */
	int64_t a, b;
};

#define DIAG_MAX_SEAMCALLS 16
#define DIAG_NR_REGS 6	/* RCX RDX R08 R09 R10 R11, as the kernel dumps them */

struct diag_seamcall {
	unsigned long line_nr;
	char *text;
	uint64_t fn, status;
	bool has_regs;
	uint64_t regs[DIAG_NR_REGS];
	unsigned long regs_line_nr;
	char *regs_text;
};

/* Everything the log's lines said. */
struct diag_facts {
	const char *source;
	struct diag_fact_line fact[NR_FACTS];
	struct diag_seamcall seamcalls[DIAG_MAX_SEAMCALLS];
	size_t nr_seamcalls;
	unsigned long nr_lines;
	unsigned long nr_tdx_lines;
	unsigned int nr_cmr_lines;
	struct cm_log *decoded;
	unsigned int module_major, module_minor, module_update;
	bool module_has_update;
	uint64_t build_date, build_num;
	bool module_has_build;
	struct cm_kernel_detector kernel;	/* the profile the virt/tdx lines show */
};

/* Read @text line by line into @f; -EINVAL with "SOURCE:LINE: reason" for bad input, -ENOMEM. */
int diag_read_lines(const char *text, size_t len, struct diag_facts *f, struct cm_error *err);
void diag_facts_free(struct diag_facts *f);

/* A finding under construction (diagnose.c). */
struct diag_builder {
	struct cm_diagnosis *d;
	int status;		/* -ENOMEM once anything failed */
};
/*
 * A finding of @id with the row's explanation and fix; NULL once out of
 * memory (b->status), which every helper below takes as "do nothing".
 */
struct cm_diag_finding *diag_add_finding(struct diag_builder *b, enum cm_diag_id id);
void diag_add_evidence(struct diag_builder *b, struct cm_diag_finding *f, unsigned long line_nr, const char *text);
/* Append to the finding's explanation or fix (printf-style), after a space. */
void diag_explain(struct diag_builder *b, struct cm_diag_finding *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_add_fix(struct diag_builder *b, struct cm_diag_finding *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The failures the kernel's own lines show (rules.c). */
void diag_match_rules(struct diag_builder *b, const struct diag_facts *f);
/* Describe a SEAMCALL line in words: "TDH.SYS.RD (leaf 0x22) failed with ...". */
void diag_describe_seamcall(const struct diag_seamcall *s, char *buf, size_t len);

/*
 * The kernel profile the log's lines show (plan.c); one place, to be
 * replaced by the kernel profiles when they come.
 */
void diag_detect_profile(const struct diag_facts *f, struct cm_diagnosis *d);
/* Plan the host from the log's memory map and compare; 0 or a negative errno with @err set. */
int diag_plan_and_compare(struct diag_builder *b, const struct diag_facts *f, const char *text, size_t len,
			  struct cm_error *err);

#endif /* CONFMEM_DIAGNOSE_INTERNAL_H */
