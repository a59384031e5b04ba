// SPDX-License-Identifier: MIT
/*
 * virt/tdx lines of the boot log: the CMRs ("CMR: [0xA, 0xB)", half-open)
 * and the TDX module limits where a kernel prints them; and the notes on
 * the limits the log lacks.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "confmem/names.h"
#include "platform/dmesg_internal.h"

/*
 * The names of each limit: the TDX module's metadata name, as a virt/tdx
 * line prints it, and how p->assumed names the default taken for it.
 */
static const struct tdx_limit_name {
	const char *key;
	const char *note;
} tdx_limit_names[NR_TDX_LIMITS] = {
	[TDX_LIMIT_MAX_TDMRS] = { "max_tdmrs", "max_tdmrs %u" },
	[TDX_LIMIT_MAX_RESERVED] = { "max_reserved_per_tdmr", "max_reserved_per_tdmr %u" },
	[TDX_LIMIT_PAMT_4K] = { "pamt_4k_entry_size", "PAMT 4K entry %u bytes" },
	[TDX_LIMIT_PAMT_2M] = { "pamt_2m_entry_size", "PAMT 2M entry %u bytes" },
	[TDX_LIMIT_PAMT_1G] = { "pamt_1g_entry_size", "PAMT 1G entry %u bytes" },
};

/* The key some modules print once for every PAMT level. */
#define TDX_PAMT_ALL_LEVELS_KEY "pamt_entry_size"

static unsigned int *tdx_limit_field(struct cm_tdx_config *tdx, enum tdx_limit limit)
{
	switch (limit) {
	case TDX_LIMIT_MAX_TDMRS:
		return &tdx->max_tdmrs;
	case TDX_LIMIT_MAX_RESERVED:
		return &tdx->max_reserved_per_tdmr;
	case TDX_LIMIT_PAMT_4K:
		return &tdx->pamt_entry_size[CM_PAMT_4K];
	case TDX_LIMIT_PAMT_2M:
		return &tdx->pamt_entry_size[CM_PAMT_2M];
	default:
		return &tdx->pamt_entry_size[CM_PAMT_1G];
	}
}

/*
 * "KEY N", "KEY: N" or "KEY=N" anywhere in a virt/tdx line: 1 with the
 * value, 0 when the line has none, or -EINVAL when it is too large.
 */
static int find_limit(struct dmesg_reader *r, const struct text_cursor *line, const char *key,
		      uint64_t *value)
{
	const char *found = find_in(line, key), *written;
	struct text_cursor c;
	bool overflow;

	if (!found || (found > line->pos && (is_alpha(found[-1]) || found[-1] == '_')))
		return 0;
	c.pos = found + strlen(key);
	c.end = line->end;
	skip_blanks(&c);
	if (!take_char(&c, ':'))
		take_char(&c, '=');
	skip_blanks(&c);
	written = c.pos;
	if (!take_number(&c, value, &overflow))
		return 0;
	if (overflow || *value > UINT32_MAX)
		return dmesg_line_error(r, "virt/tdx", "%s: expected at most %u, found %.*s", key, UINT32_MAX,
					(int)(c.pos - written > 40 ? 40 : c.pos - written), written);
	return 1;
}

static void set_limit(struct dmesg_reader *r, enum tdx_limit limit, uint64_t value)
{
	*tdx_limit_field(&r->p->tdx, limit) = (unsigned int)value;
	r->tdx_limit_seen[limit] = true;
}

/* Every limit a virt/tdx line prints. */
static int parse_tdx_limits(struct dmesg_reader *r, const struct text_cursor *line)
{
	uint64_t value;
	int ret;

	for (int limit = 0; limit < NR_TDX_LIMITS; limit++) {
		ret = find_limit(r, line, tdx_limit_names[limit].key, &value);
		if (ret < 0)
			return ret;
		if (ret)
			set_limit(r, (enum tdx_limit)limit, value);
	}
	ret = find_limit(r, line, TDX_PAMT_ALL_LEVELS_KEY, &value);
	if (ret <= 0)
		return ret;
	for (int limit = TDX_LIMIT_PAMT_4K; limit <= TDX_LIMIT_PAMT_1G; limit++)
		set_limit(r, (enum tdx_limit)limit, value);
	return 0;
}

/* "CMR: [" or "CMR[N]: [": the lead of a CMR line. */
static bool take_cmr_lead(struct text_cursor *c)
{
	struct text_cursor lead = *c;
	uint64_t index;

	if (!take_literal(&lead, "CMR"))
		return false;
	if (take_char(&lead, '[')) {
		skip_blanks(&lead);
		if (!take_decimal(&lead, &index) || !take_char(&lead, ']'))
			return false;
	}
	if (!take_char(&lead, ':'))
		return false;
	skip_blanks(&lead);
	if (!take_char(&lead, '['))
		return false;
	*c = lead;
	return true;
}

/* "0xBASE, 0xEND)": a half-open CMR, as the kernel prints it. */
static int parse_cmr(struct dmesg_reader *r, struct text_cursor *c)
{
	uint64_t start, end;

	if (dmesg_take_address(r, "virt/tdx", c, "CMR base", &start))
		return -EINVAL;
	skip_blanks(c);
	if (!take_char(c, ','))
		return dmesg_line_error(r, "virt/tdx", "expected ',' after the CMR base");
	skip_blanks(c);
	if (dmesg_take_address(r, "virt/tdx", c, "CMR end", &end))
		return -EINVAL;
	if (!take_char(c, ')'))
		return dmesg_line_error(r, "virt/tdx", "expected ')' after the CMR end (CMRs are printed "
					"half-open: [0xBASE, 0xEND))");
	if (end < start)
		return dmesg_line_error(r, "virt/tdx", "CMR end 0x%" PRIx64 " is below its base 0x%" PRIx64,
					end, start);
	if (end > CM_PHYS_LIMIT)
		return dmesg_line_error(r, "virt/tdx", "CMR [0x%" PRIx64 ", 0x%" PRIx64 ") reaches past the "
					"52-bit physical address limit", start, end);
	if (cm_platform_add_cmr(r->p, start, end))
		return dmesg_line_error(r, "virt/tdx", "more than %d CMRs", CM_MAX_CMRS);
	return 0;
}

/* Lines that show TDX enabled even when no CMR is printed (SPEC 3.9, logs of mainline kernels). */
static const char *const tdx_active_lines[] = {
	"BIOS enabled: private KeyID range", "KB allocated for PAMT", "module initialized",
	"TDX-Module initialized", "initialization failed", "Module version:", "TDX module",
};

/* "Module version: 1.5.06" (v7.1): the version as printed. */
static void note_module_version(struct dmesg_reader *r, const struct text_cursor *message)
{
	const char *found = find_in(message, "Module version:");
	struct text_cursor c;
	size_t n = 0;

	if (!found)
		return;
	c.pos = found + strlen("Module version:");
	c.end = message->end;
	skip_blanks(&c);
	while (n < cursor_left(&c) && (is_digit(c.pos[n]) || c.pos[n] == '.'))
		n++;
	if (n && n < sizeof(r->p->tdx.module_version))
		snprintf(r->p->tdx.module_version, sizeof(r->p->tdx.module_version), "%.*s", (int)n, c.pos);
}

/* "BIOS enabled: private KeyID range [16, 64)": the KeyIDs guests may get, after the first. */
static void note_keyids(struct dmesg_reader *r, const struct text_cursor *message)
{
	const char *found = find_in(message, "private KeyID range [");
	char text[48];
	unsigned int start, end;
	size_t n;

	if (!found)
		return;
	found += strlen("private KeyID range [");
	n = (size_t)(message->end - found);
	snprintf(text, sizeof(text), "%.*s", (int)(n < sizeof(text) - 1 ? n : sizeof(text) - 1), found);
	if (sscanf(text, "%u, %u)", &start, &end) != 2 || start < 1 || end > CM_TDX_MAX_KEYIDS + 1 || end < start + 2)
		return;
	r->p->tdx.keyid_start = start;
	r->p->tdx.nr_keyids = end - start;
}

int dmesg_parse_tdx(struct dmesg_reader *r, struct text_cursor *c)
{
	struct text_cursor message = { c->pos - strlen("virt/tdx:"), c->end };
	int ret = 0;

	r->tdx_seen = true;
	for (size_t i = 0; i < CM_ARRAY_SIZE(tdx_active_lines); i++)
		if (find_in(&message, tdx_active_lines[i]))
			r->tdx_active = true;
	note_module_version(r, &message);
	note_keyids(r, &message);
	if (parse_tdx_limits(r, c))
		return -EINVAL;
	skip_blanks(c);
	cm_kernel_detector_feed(&r->kernel, r->line_nr, message.pos, cursor_left(&message));
	if (take_cmr_lead(c))
		ret = parse_cmr(r, c);
	return ret;
}

/*
 * A log that shows TDX enabled but prints no CMR (every mainline kernel):
 * the boot RAM at or above 1 MiB is taken as convertible, as on every
 * published host so far. Touching ranges are one CMR; past the module's
 * CM_MAX_CMRS the smallest gaps are bridged.
 */
static int assume_cmrs(struct dmesg_reader *r, const struct cm_range *usable, size_t nr_usable)
{
	struct cm_range cmrs[CM_MAX_CMRS + 1];
	size_t nr = 0;

	for (size_t i = 0; i < nr_usable; i++) {
		uint64_t start = usable[i].start < CM_SZ_1M ? CM_SZ_1M : usable[i].start;
		size_t narrowest = 0;

		if (usable[i].end <= start)
			continue;
		cmrs[nr++] = (struct cm_range){ start, usable[i].end };
		if (nr <= CM_MAX_CMRS)
			continue;
		for (size_t k = 1; k + 1 < nr; k++)
			if (cmrs[k + 1].start - cmrs[k].end < cmrs[narrowest + 1].start - cmrs[narrowest].end)
				narrowest = k;
		cmrs[narrowest].end = cmrs[narrowest + 1].end;
		memmove(&cmrs[narrowest + 1], &cmrs[narrowest + 2], (nr - narrowest - 2) * sizeof(cmrs[0]));
		nr--;
	}
	if (!nr) {
		cm_log_add(&r->p->assumed, CM_LOG_INFO, CM_ASSUMED_NO_TDX_NOTE " (the log shows it enabled but has no "
			   "CMR line and no boot RAM at or above 1 MiB to take as convertible); give CMRs with --cmrs");
		return 0;
	}
	for (size_t i = 0; i < nr; i++)
		if (cm_platform_add_cmr(r->p, cmrs[i].start, cmrs[i].end))
			return dmesg_out_of_memory(r);
	r->p->tdx.cmrs_assumed = true;
	cm_log_add(&r->p->assumed, CM_LOG_INFO, CM_ASSUMED_CMRS_NOTE " not in log (this kernel does not print them); "
		   "the boot RAM at or above 1 MiB is taken as convertible (%zu CMRs); give the real ones with "
		   "--cmrs or tdx.cmrs in a platform file", nr);
	return 0;
}

int dmesg_note_tdx(struct dmesg_reader *r, const struct cm_range *usable, size_t nr_usable)
{
	struct cm_tdx_config *tdx = &r->p->tdx;
	struct cm_log *assumed = &r->p->assumed;
	char missing[256] = "";
	size_t used = 0, nr_missing = 0;

	if (!r->tdx_seen)
		return 0;
	tdx->kernel = r->kernel.kernel;
	snprintf(tdx->kernel_evidence, sizeof(tdx->kernel_evidence), "%s", r->kernel.evidence);
	if (!tdx->nr_cmrs && !r->tdx_active) {
		tdx->enabled = false;
		cm_log_add(assumed, CM_LOG_INFO, CM_ASSUMED_NO_TDX_NOTE " (no CMR, KeyID, module, PAMT or init "
			   "line in log); give CMRs with --cmrs or in a platform file (tdx.cmrs)");
		return 0;
	}
	if (!tdx->nr_cmrs && assume_cmrs(r, usable, nr_usable))
		return -ENOMEM;
	if (!tdx->nr_cmrs)
		return 0;	/* nothing to take as convertible: TDX stays off */
	tdx->enabled = true;
	for (int i = 0; i < NR_TDX_LIMITS; i++) {
		if (r->tdx_limit_seen[i])
			continue;
		if (nr_missing++ && used < sizeof(missing))
			used += (size_t)snprintf(missing + used, sizeof(missing) - used, ", ");
		if (used < sizeof(missing))
			used += (size_t)snprintf(missing + used, sizeof(missing) - used,
						 tdx_limit_names[i].note,
						 *tdx_limit_field(tdx, (enum tdx_limit)i));
	}
	if (nr_missing == NR_TDX_LIMITS)
		cm_log_add(assumed, CM_LOG_INFO, "assumed: TDX module limits are defaults (max_tdmrs %u, "
			   "max_reserved_per_tdmr %u, PAMT entry %u bytes)", tdx->max_tdmrs,
			   tdx->max_reserved_per_tdmr, tdx->pamt_entry_size[CM_PAMT_4K]);
	else if (nr_missing)
		cm_log_add(assumed, CM_LOG_INFO, "assumed: TDX module limits not in log are defaults (%s)",
			   missing);
	return 0;
}
