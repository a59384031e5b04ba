/* SPDX-License-Identifier: MIT */
/*
 * The boot log reader's pieces (dmesg*.c): the state the lines fill in,
 * the cursor that scans a line, and one parser per kind of line.
 *   dmesg.c        the driver: prefixes, line dispatch, x86/mm, files
 *   dmesg_scan.c   numbers and ranges with their error messages
 *   dmesg_e820.c   BIOS-e820 lines; RAM in no node becomes reserved
 *   dmesg_numa.c   SRAT, NUMA, Initmem and memblock lines
 *   dmesg_tdx.c    virt/tdx CMR and module limit lines; TDX notes
 *   dmesg_sgx.c    sgx EPC section lines; EPC nodes
 *   dmesg_build.c  from the lines to the platform, with the defaults
 */
#ifndef CONFMEM_DMESG_INTERNAL_H
#define CONFMEM_DMESG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "confmem/platform.h"

#define DMESG_DEFAULT_SOURCE "dmesg"
/* journalctl's "kernel: " tag is looked for only this far into a line. */
#define DMESG_MAX_TAG_OFFSET 256
/* A bracketed line prefix longer than this is message text, not a timestamp. */
#define DMESG_MAX_STAMP_LEN 64
/* Unknown e820 type words are quoted up to this length in p->assumed. */
#define DMESG_MAX_QUOTE_LEN 40
/* "usable ... treated as reserved" notes listed one by one before a summary. */
#define DMESG_MAX_RESERVED_NOTES 16

struct text_cursor {
	const char *pos;
	const char *end;
};

/* Whether the firmware marks a range as one that may be hot-added. */
enum log_range_kind { LOG_RANGE_FIXED, LOG_RANGE_HOTPLUG };

/* An address range a log line gave, with its node and the line it is on. */
struct log_range {
	uint64_t start;
	uint64_t end;
	int node;
	bool hotplug;
	unsigned long line_nr;
};

struct range_list {
	struct log_range *items;
	size_t nr;
	size_t capacity;
};

/* Where node spans come from, most trusted first. */
enum span_source { SPAN_SRAT, SPAN_NUMA, SPAN_INITMEM, NR_SPAN_SOURCES };

enum tdx_limit {
	TDX_LIMIT_MAX_TDMRS,
	TDX_LIMIT_MAX_RESERVED,
	TDX_LIMIT_PAMT_4K,
	TDX_LIMIT_PAMT_2M,
	TDX_LIMIT_PAMT_1G,
	NR_TDX_LIMITS
};

/* What the lines said so far; turned into the platform once all are read. */
struct dmesg_reader {
	const char *source;
	struct cm_platform *p;
	struct cm_error *err;
	unsigned long line_nr;
	unsigned long last_e820_line_nr;
	struct range_list memblock;
	struct range_list spans[NR_SPAN_SOURCES];
	int *cpu_nodes;			/* node of CPU i, in order of appearance */
	size_t nr_cpus;
	size_t cpu_capacity;
	uint64_t named_nodes;		/* bit N: some line names node N */
	uint64_t memblock_nodes;	/* bit N: a memblock line names node N */
	bool tdx_seen;
	bool tdx_active;		/* a line shows TDX enabled: KeyIDs, module, PAMT or init */
	bool tdx_limit_seen[NR_TDX_LIMITS];
	struct cm_kernel_detector kernel;	/* the profile the virt/tdx lines show */
	bool numa_rejected;		/* "No NUMA configuration found" */
	bool block_size_seen;
};

/* ---- scanning a line ---- */

static inline bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static inline bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static inline bool is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static inline char lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static inline size_t cursor_left(const struct text_cursor *c)
{
	return (size_t)(c->end - c->pos);
}

static inline bool cursor_at(const struct text_cursor *c, char ch)
{
	return c->pos < c->end && *c->pos == ch;
}

static inline void skip_blanks(struct text_cursor *c)
{
	while (c->pos < c->end && is_blank(*c->pos))
		c->pos++;
}

static inline bool take_char(struct text_cursor *c, char ch)
{
	if (!cursor_at(c, ch))
		return false;
	c->pos++;
	return true;
}

static inline bool take_literal(struct text_cursor *c, const char *literal)
{
	size_t len = strlen(literal);

	if (cursor_left(c) < len || memcmp(c->pos, literal, len))
		return false;
	c->pos += len;
	return true;
}

/* Case-insensitive, and only as a whole word ("reserved", not "reservedX"). */
static inline bool take_word_nocase(struct text_cursor *c, const char *words)
{
	size_t len = strlen(words);

	if (cursor_left(c) < len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (lower(c->pos[i]) != lower(words[i]))
			return false;
	if (cursor_left(c) > len && (is_alpha(c->pos[len]) || is_digit(c->pos[len])))
		return false;
	c->pos += len;
	return true;
}

/* A decimal number; saturates at UINT64_MAX so range checks reject it. */
static inline bool take_decimal(struct text_cursor *c, uint64_t *value)
{
	uint64_t v = 0;

	if (!(c->pos < c->end && is_digit(*c->pos)))
		return false;
	for (; c->pos < c->end && is_digit(*c->pos); c->pos++) {
		unsigned int d = (unsigned int)(*c->pos - '0');

		v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
	}
	*value = v;
	return true;
}

/* "0x" and hex digits: 0, -EINVAL without digits, -ERANGE past 64 bits. */
static inline int take_hex(struct text_cursor *c, uint64_t *value)
{
	uint64_t v = 0;
	bool overflow = false;
	int d;

	if (cursor_left(c) < 3 || c->pos[0] != '0' || lower(c->pos[1]) != 'x' ||
	    cm_hex_digit_value(c->pos[2]) < 0)
		return -EINVAL;
	c->pos += 2;
	for (; c->pos < c->end && (d = cm_hex_digit_value(*c->pos)) >= 0; c->pos++) {
		if (v >> 60)
			overflow = true;
		v = (v << 4) | (uint64_t)d;
	}
	if (overflow)
		return -ERANGE;
	*value = v;
	return 0;
}

/* A decimal or 0x-hex number, as module limits may be printed either way. */
static inline bool take_number(struct text_cursor *c, uint64_t *value, bool *overflow)
{
	int ret;

	*overflow = false;
	ret = take_hex(c, value);
	if (ret == 0)
		return true;
	if (ret == -ERANGE) {
		*overflow = true;
		return true;
	}
	return take_decimal(c, value);
}

static inline const char *find_in(const struct text_cursor *c, const char *needle)
{
	return memmem(c->pos, cursor_left(c), needle, strlen(needle));
}
/* ---- numbers and ranges with their error messages (dmesg_scan.c) ---- */

int dmesg_line_error(struct dmesg_reader *r, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int dmesg_out_of_memory(struct dmesg_reader *r);
int dmesg_take_address(struct dmesg_reader *r, const char *what, struct text_cursor *c,
		       const char *name, uint64_t *value);
int dmesg_check_inclusive_range(struct dmesg_reader *r, const char *what, uint64_t start,
				uint64_t last, struct cm_range *out);
int dmesg_take_address_pair(struct dmesg_reader *r, const char *what, struct text_cursor *c,
			    uint64_t *start, uint64_t *last);
int dmesg_take_mem_range(struct dmesg_reader *r, const char *what, struct text_cursor *c,
			 struct cm_range *out);
int dmesg_check_node(struct dmesg_reader *r, const char *what, uint64_t value, int *node);
int dmesg_range_list_add(struct dmesg_reader *r, struct range_list *list,
			 const struct cm_range *range, int node, enum log_range_kind kind);
void dmesg_range_list_free(struct range_list *list);

/* ---- one parser per kind of line: @c is just after the line's tag ---- */

int dmesg_parse_e820(struct dmesg_reader *r, struct text_cursor *c);
int dmesg_parse_srat(struct dmesg_reader *r, struct text_cursor *c);
int dmesg_parse_numa(struct dmesg_reader *r, struct text_cursor *c);
int dmesg_parse_initmem(struct dmesg_reader *r, struct text_cursor *c);
int dmesg_parse_memblock(struct dmesg_reader *r, struct text_cursor *c);
int dmesg_parse_tdx(struct dmesg_reader *r, struct text_cursor *c);
int dmesg_parse_epc(struct dmesg_reader *r, struct text_cursor *c);

/* ---- from the lines to the platform ---- */

/* dmesg_build.c: everything the lines said, completed with defaults. */
int dmesg_build_platform(struct dmesg_reader *r);
/* The node span holding @addr, or NULL. */
const struct log_range *dmesg_span_containing(const struct range_list *spans, uint64_t addr);
/* dmesg_e820.c: usable RAM in no node's memory becomes reserved. */
int dmesg_reserve_ram_without_node(struct dmesg_reader *r);
/*
 * dmesg_tdx.c: TDX on when CMRs were read or a line shows it enabled (then
 * the boot RAM in @usable is taken as convertible); the limits taken from
 * defaults; the kernel profile the lines show.
 */
int dmesg_note_tdx(struct dmesg_reader *r, const struct cm_range *usable, size_t nr_usable);
/* dmesg_sgx.c: each EPC section's node, from the node spans. */
void dmesg_assign_epc_nodes(struct dmesg_reader *r, const struct range_list *spans);

#endif /* CONFMEM_DMESG_INTERNAL_H */
