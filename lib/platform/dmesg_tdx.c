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
	const char *found = find_in(line, key);
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
	if (!take_number(&c, value, &overflow))
		return 0;
	if (overflow || *value > UINT32_MAX)
		return dmesg_line_error(r, "virt/tdx", "%s value is too large", key);
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

int dmesg_parse_tdx(struct dmesg_reader *r, struct text_cursor *c)
{
	r->tdx_seen = true;
	if (parse_tdx_limits(r, c))
		return -EINVAL;
	skip_blanks(c);
	if (take_cmr_lead(c))
		return parse_cmr(r, c);
	return 0;
}

void dmesg_note_tdx(struct dmesg_reader *r)
{
	struct cm_tdx_config *tdx = &r->p->tdx;
	struct cm_log *assumed = &r->p->assumed;
	char missing[256] = "";
	size_t used = 0, nr_missing = 0;

	if (!r->tdx_seen)
		return;
	if (!tdx->nr_cmrs) {
		tdx->enabled = false;
		cm_log_add(assumed, CM_LOG_INFO, "assumed: CMRs not in log; give them in a platform file (tdx.cmrs)");
		return;
	}
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
}
