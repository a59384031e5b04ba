// SPDX-License-Identifier: MIT
/*
 * Reading a boot log for diagnosis: each line without what dmesg,
 * journalctl and the kernel put before the message (a "<6>" level, dmesg
 * -x's "kern  :info  : ", "[ 0.000000]" timestamps and "[  T1]" caller
 * ids, everything up to journalctl's "kernel: "), then one fact per kind
 * of TDX line, in the kernel's own words (arch/x86/virt/vmx/tdx/tdx.c and
 * its history; arch/x86/coco/tdx for a guest).
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/diagnose_internal.h"

struct cursor {
	const char *pos;
	const char *end;
};

static bool starts(const struct cursor *c, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(c->end - c->pos) >= n && !memcmp(c->pos, s, n);
}

static bool take(struct cursor *c, const char *s)
{
	if (!starts(c, s))
		return false;
	c->pos += strlen(s);
	return true;
}

static const char *find(const struct cursor *c, const char *s)
{
	return memmem(c->pos, (size_t)(c->end - c->pos), s, strlen(s));
}

static void skip_blanks(struct cursor *c)
{
	while (c->pos < c->end && (*c->pos == ' ' || *c->pos == '\t'))
		c->pos++;
}

static bool take_number(struct cursor *c, int base, uint64_t *out)
{
	uint64_t v = 0;
	const char *start;

	if (base == 16 && !take(c, "0x"))
		return false;
	start = c->pos;
	for (; c->pos < c->end; c->pos++) {
		int d = base == 16 ? cm_hex_digit_value(*c->pos) : (*c->pos >= '0' && *c->pos <= '9' ?
									 *c->pos - '0' : -1);

		if (d < 0)
			break;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return c->pos > start;
}

/* A signed decimal, as "(-28)" prints it. */
static bool take_errno(struct cursor *c, int64_t *out)
{
	bool negative = take(c, "-");
	uint64_t v;

	if (!take_number(c, 10, &v) || v > INT32_MAX)
		return false;
	*out = negative ? -(int64_t)v : (int64_t)v;
	return true;
}

/* The message of a line, as the platform reader takes it. */
static struct cursor message_of(struct cursor line)
{
	line.pos += cm_dmesg_message_start(line.pos, (size_t)(line.end - line.pos));
	return line;
}

/* The line as evidence: unprintable bytes (and any byte past ASCII) become '?'. */
static char *printable_copy(struct cursor line)
{
	size_t n = (size_t)(line.end - line.pos);
	char *s = malloc(n + 1);

	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)line.pos[i];

		s[i] = (ch < 0x20 && ch != '\t') || ch >= 0x7f ? '?' : (char)ch;
	}
	s[n] = '\0';
	return s;
}

struct line_ctx {
	struct diag_facts *f;
	struct cursor whole;
	unsigned long nr;
	int status;
};

static void note(struct line_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct line_ctx *x, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!x->f->decoded)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cm_log_add(x->f->decoded, CM_LOG_DEBUG, "line %lu: %s", x->nr, buf);
}

/* Which line of a kind is kept: the first, or the last (verdicts and totals). */
enum keep_which { KEEP_FIRST, KEEP_LAST };

static struct diag_fact_line *keep(struct line_ctx *x, enum diag_fact kind, enum keep_which which)
{
	struct diag_fact_line *fl = &x->f->fact[kind];
	char *text;

	if (fl->seen && which == KEEP_FIRST)
		return NULL;
	text = printable_copy(x->whole);
	if (!text) {
		x->status = -ENOMEM;
		return NULL;
	}
	free(fl->text);
	fl->text = text;
	fl->seen = true;
	fl->line_nr = x->nr;
	return fl;
}

static void keep_value(struct line_ctx *x, enum diag_fact kind, enum keep_which which, int64_t a, int64_t b)
{
	struct diag_fact_line *fl = keep(x, kind, which);

	if (fl) {
		fl->a = a;
		fl->b = b;
	}
}

/* "SEAMCALL (0xFN) failed: 0xSTATUS" */
static void parse_seamcall(struct line_ctx *x, struct cursor c)
{
	struct diag_facts *f = x->f;
	struct diag_seamcall *s;
	uint64_t fn, status;
	char words[256];

	if (!take_number(&c, 16, &fn) || !take(&c, ") failed: ") || !take_number(&c, 16, &status)) {
		note(x, "a SEAMCALL failure line the diagnosis cannot read");
		return;
	}
	if (f->nr_seamcalls == DIAG_MAX_SEAMCALLS)
		return;
	s = &f->seamcalls[f->nr_seamcalls];
	memset(s, 0, sizeof(*s));
	s->text = printable_copy(x->whole);
	if (!s->text) {
		x->status = -ENOMEM;
		return;
	}
	f->nr_seamcalls++;
	s->line_nr = x->nr;
	s->fn = fn;
	s->status = status;
	diag_describe_seamcall(s, words, sizeof(words));
	note(x, "%s", words);
}

/* "RCX 0x.. RDX 0x.. R08 0x.." and "R09 0x.. R10 0x.. R11 0x..": the dump after a SEAMCALL line. */
static void parse_registers(struct line_ctx *x, struct cursor c, int first)
{
	static const char *const names[DIAG_NR_REGS] = { "RCX ", "RDX ", "R08 ", "R09 ", "R10 ", "R11 " };
	struct diag_seamcall *s;

	if (!x->f->nr_seamcalls)
		return;
	s = &x->f->seamcalls[x->f->nr_seamcalls - 1];
	if (x->nr > s->line_nr + 2)
		return;
	for (int i = first; i < first + 3; i++) {
		skip_blanks(&c);
		if (!take(&c, names[i]) || !take_number(&c, 16, &s->regs[i]))
			return;
	}
	s->has_regs = true;
	if (first == 0) {
		free(s->regs_text);
		s->regs_text = printable_copy(x->whole);
		s->regs_line_nr = x->nr;
		if (!s->regs_text)
			x->status = -ENOMEM;
		if (cm_tdx_metadata_field_name(s->regs[1]))
			note(x, "RDX 0x%016" PRIx64 " is the metadata field %s", s->regs[1],
			     cm_tdx_metadata_field_name(s->regs[1]));
	}
}

/* "TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, minor_version 5, build_date D, build_num N" */
static void parse_module_info(struct line_ctx *x, struct cursor c)
{
	struct diag_facts *f = x->f;
	const char *major = find(&c, "major_version "), *minor = find(&c, "minor_version ");
	const char *date = find(&c, "build_date "), *num = find(&c, "build_num ");
	struct cursor v;
	uint64_t a, b;

	if (!major || !minor)
		return;
	v = (struct cursor){ major + strlen("major_version "), c.end };
	if (!take_number(&v, 10, &a) || a > UINT32_MAX)
		return;
	v = (struct cursor){ minor + strlen("minor_version "), c.end };
	if (!take_number(&v, 10, &b) || b > UINT32_MAX)
		return;
	if (!keep(x, FACT_MODULE_INFO, KEEP_FIRST))
		return;
	f->module_major = (unsigned int)a;
	f->module_minor = (unsigned int)b;
	if (date && num) {
		v = (struct cursor){ date + strlen("build_date "), c.end };
		f->module_has_build = take_number(&v, 10, &f->build_date);
		v = (struct cursor){ num + strlen("build_num "), c.end };
		f->module_has_build = f->module_has_build && take_number(&v, 10, &f->build_num);
	}
	note(x, "TDX module %u.%u", f->module_major, f->module_minor);
}

/* "Module version: 1.5.06" (v7.1 and later). */
static void parse_module_version(struct line_ctx *x, struct cursor c)
{
	struct diag_facts *f = x->f;
	uint64_t v[3];

	for (int i = 0; i < 3; i++) {
		if ((i && !take(&c, ".")) || !take_number(&c, 10, &v[i]) || v[i] > UINT32_MAX)
			return;
	}
	if (!keep(x, FACT_MODULE_INFO, KEEP_FIRST))
		return;
	f->module_major = (unsigned int)v[0];
	f->module_minor = (unsigned int)v[1];
	f->module_update = (unsigned int)v[2];
	f->module_has_update = true;
	note(x, "TDX module %u.%u.%02u", f->module_major, f->module_minor, f->module_update);
}

static bool parse_keyids(struct line_ctx *x, struct cursor c)
{
	uint64_t a, b;

	if (!take(&c, "BIOS enabled: private KeyID range ["))
		return false;
	if (!take_number(&c, 10, &a) || !take(&c, ", ") || !take_number(&c, 10, &b) || a > INT32_MAX || b > INT32_MAX)
		return true;
	keep_value(x, FACT_BIOS_ENABLED, KEEP_FIRST, (int64_t)a, (int64_t)b);
	note(x, "the BIOS partitioned %" PRIu64 " TDX private KeyIDs", b > a ? b - a : 0);
	return true;
}

/* "consumed TDMRs reaching limit: N used out of M" and "N KB allocated for PAMT". */
static bool parse_totals(struct line_ctx *x, struct cursor c)
{
	struct cursor t = c;
	uint64_t a, b;

	if (take(&t, "consumed TDMRs reaching limit: ")) {
		if (take_number(&t, 10, &a) && take(&t, " used out of ") && take_number(&t, 10, &b) &&
		    a <= INT32_MAX && b <= INT32_MAX) {
			keep_value(x, FACT_TDMR_WARNING, KEEP_LAST, (int64_t)a, (int64_t)b);
			note(x, "%" PRIu64 " of %" PRIu64 " TDMRs used", a, b);
		}
		return true;
	}
	if (take_number(&t, 10, &a) && (take(&t, " KB allocated for PAMT") || take(&t, " KBs allocated for PAMT"))) {
		if (a <= INT64_MAX) {
			keep_value(x, FACT_PAMT_KB, KEEP_LAST, (int64_t)a, 0);
			note(x, "PAMT total %" PRIu64 " KB", a);
		}
		return true;
	}
	return false;
}

static bool parse_verdict(struct line_ctx *x, struct cursor c)
{
	struct cursor t = c;
	int64_t e;

	if (!take(&t, "TDX-Module ") && !take(&t, "TDX module "))
		take(&t, "module ");
	if (take(&t, "initialized")) {
		keep(x, FACT_INIT_OK, KEEP_LAST);
		note(x, "the TDX module initialised");
		return true;
	}
	if (take(&t, "initialization failed (")) {
		if (take_errno(&t, &e)) {
			keep_value(x, FACT_INIT_FAILED, KEEP_LAST, e, 0);
			note(x, "the TDX module failed to initialise (%s)", strerror((int)-e));
		}
		return true;
	}
	return false;
}

static bool parse_failure(struct line_ctx *x, struct cursor c)
{
	if (find(&c, "not enabled by BIOS") || find(&c, "SEAMRR not enabled") || find(&c, "too few private KeyIDs")) {
		keep(x, FACT_BIOS_DISABLED, KEEP_FIRST);
		note(x, "the BIOS did not enable TDX");
	} else if (find(&c, "module not loaded") || find(&c, "module is not loaded")) {
		keep(x, FACT_MODULE_NOT_LOADED, KEEP_FIRST);
		note(x, "no TDX module is loaded");
	} else if (find(&c, "frame pointer (RBP) clobber bug present") || find(&c, "NO_RBP_MOD")) {
		keep(x, FACT_NO_RBP_MOD, KEEP_FIRST);
		note(x, "the module lacks the NO_RBP_MOD feature");
	} else if (find(&c, "TDMRs exhausted")) {
		keep(x, FACT_TDMRS_EXHAUSTED, KEEP_FIRST);
		note(x, "TDMRs exhausted");
	} else if (find(&c, "reserved areas exhausted")) {
		keep(x, FACT_RESERVED_EXHAUSTED, KEEP_FIRST);
		note(x, "reserved areas exhausted");
	} else if (find(&c, "unable to find local NUMA node for PAMT allocation")) {
		keep(x, FACT_PAMT_NODE_FALLBACK, KEEP_FIRST);
		note(x, "a PAMT fell back to node 0");
	} else {
		return false;
	}
	return true;
}

/* A "virt/tdx: " (or an older kernel's "tdx: ") message. */
static void parse_tdx(struct line_ctx *x, struct cursor c)
{
	x->f->nr_tdx_lines++;
	if (take(&c, "SEAMCALL (")) {
		parse_seamcall(x, c);
	} else if (starts(&c, "RCX ")) {
		parse_registers(x, c, 0);
	} else if (starts(&c, "R09 ")) {
		parse_registers(x, c, 3);
	} else if (take(&c, "Module version: ")) {
		parse_module_version(x, c);
	} else if (take(&c, "TDX module: ")) {
		parse_module_info(x, c);
	} else if (take(&c, "TDX module ") && c.pos < c.end && *c.pos >= '0' && *c.pos <= '9') {
		parse_module_version(x, c);
	} else if (starts(&c, "CMR")) {
		x->f->nr_cmr_lines++;
		keep(x, FACT_CMR, KEEP_FIRST);
	} else if (take(&c, "Guest detected")) {
		x->f->nr_tdx_lines--;
		keep(x, FACT_GUEST, KEEP_FIRST);
		note(x, "this is a TD guest's log");
	} else if (!parse_keyids(x, c) && !parse_totals(x, c) && !parse_verdict(x, c) && !parse_failure(x, c)) {
		note(x, "a TDX line with nothing to diagnose");
	}
}

static void parse_message(struct line_ctx *x, struct cursor c)
{
	if (starts(&c, "virt/tdx:"))
		cm_kernel_detector_feed(&x->f->kernel, x->nr, c.pos, (size_t)(c.end - c.pos));
	if (take(&c, "virt/tdx: ")) {
		parse_tdx(x, c);
	} else if (take(&c, "tdx: ")) {
		/* An older host kernel's prefix, or a guest's (arch/x86/coco/tdx) after "Guest detected". */
		if (!x->f->fact[FACT_GUEST].seen)
			parse_tdx(x, c);
	} else if (take(&c, "x86/tme: not enabled by BIOS")) {
		keep(x, FACT_TME_DISABLED, KEEP_FIRST);
	} else if (take(&c, "Command line: ")) {
		if (find(&c, "kvm_intel.tdx=1") || find(&c, "kvm_intel.tdx=Y") || find(&c, "kvm_intel.tdx=y"))
			keep(x, FACT_TDX_WANTED, KEEP_FIRST);
	} else if (take(&c, "BIOS-e820:")) {
		keep(x, FACT_E820, KEEP_FIRST);
	}
}

static int line_error(const struct diag_facts *f, unsigned long nr, struct cm_error *err, const char *reason)
{
	return cm_error_set(err, -EINVAL, "%s:%lu: %s, not a boot log", f->source, nr, reason);
}

int diag_read_lines(const char *text, size_t len, struct diag_facts *f, struct cm_error *err)
{
	const char *pos = text, *end = text + len;
	struct line_ctx x = { .f = f };

	cm_kernel_detector_init(&f->kernel);
	while (pos < end) {
		const char *newline = memchr(pos, '\n', (size_t)(end - pos));
		struct cursor line = { pos, newline ? newline : end };

		x.nr = ++f->nr_lines;
		if (line.end > line.pos && line.end[-1] == '\r')
			line.end--;
		if ((size_t)(line.end - line.pos) > CM_DIAG_MAX_LINE)
			return cm_error_set(err, -EINVAL, "%s:%lu: a line longer than %d bytes, not a boot log",
					    f->source, x.nr, CM_DIAG_MAX_LINE);
		if (memchr(line.pos, '\0', (size_t)(line.end - line.pos)))
			return line_error(f, x.nr, err, "a NUL byte (binary data)");
		x.whole = line;
		parse_message(&x, message_of(line));
		if (x.status)
			return cm_error_set(err, x.status, "%s: out of memory", f->source);
		pos = newline ? newline + 1 : end;
	}
	return 0;
}

void diag_facts_free(struct diag_facts *f)
{
	for (int i = 0; i < NR_FACTS; i++)
		free(f->fact[i].text);
	for (size_t i = 0; i < f->nr_seamcalls; i++) {
		free(f->seamcalls[i].text);
		free(f->seamcalls[i].regs_text);
	}
	memset(f, 0, sizeof(*f));
}
