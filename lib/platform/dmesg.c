// SPDX-License-Identifier: MIT
/*
 * Boot log platform source (SPEC 1, "Platform sources" item 3): build a
 * platform from the lines the kernel prints while it boots, captured with
 * dmesg (with or without timestamps) or journalctl ("... kernel: " lines).
 *
 * Lines read (anything else is ignored, and so are tokens after the part
 * of a known line that is read, since newer kernels add columns):
 *   BIOS-e820: [mem 0xA-0xB] TYPE           firmware memory map, inclusive end
 *   ACPI: SRAT: Node N PXM P [mem 0xA-0xB]  node memory affinity ("hotplug")
 *   SRAT: PXM P -> APIC 0xID -> Node N      one CPU of node N
 *   NUMA: Node N [mem 0xA-0xB] ...          node span after merging
 *   Initmem setup node N [mem 0xA-0xB]      node span
 *     node   N: [mem 0xA-0xB]               memblock ranges ("Early memory
 *                                           node ranges"): the boot RAM
 *   virt/tdx: CMR: [0xA, 0xB)               TDX convertible memory
 *   virt/tdx: ... max_tdmrs N ...           TDX module limits, where printed
 *   sgx: EPC section 0xA-0xB                SGX EPC, inclusive end
 *   x86/mm: Memory block size: NMB          memory block size
 * Everything the log lacks is taken from defaults and said in p->assumed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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
	bool tdx_limit_seen[NR_TDX_LIMITS];
	bool numa_rejected;		/* "No NUMA configuration found" */
	bool block_size_seen;
};

static int line_error(struct dmesg_reader *r, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int line_error(struct dmesg_reader *r, const char *what, const char *fmt, ...)
{
	char reason[CM_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	cm_error_set(r->err, -EINVAL, "%s:%lu: %s line: %s", r->source, r->line_nr, what, reason);
	return -EINVAL;
}

static int out_of_memory(struct dmesg_reader *r)
{
	cm_error_set(r->err, -ENOMEM, "%s: out of memory", r->source);
	return -ENOMEM;
}

/* ---- scanning a line ---- */

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static char lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static int hex_digit_value(char ch)
{
	if (is_digit(ch))
		return ch - '0';
	ch = lower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

static size_t cursor_left(const struct text_cursor *c)
{
	return (size_t)(c->end - c->pos);
}

static bool cursor_at(const struct text_cursor *c, char ch)
{
	return c->pos < c->end && *c->pos == ch;
}

static void skip_blanks(struct text_cursor *c)
{
	while (c->pos < c->end && is_blank(*c->pos))
		c->pos++;
}

static bool take_char(struct text_cursor *c, char ch)
{
	if (!cursor_at(c, ch))
		return false;
	c->pos++;
	return true;
}

static bool take_literal(struct text_cursor *c, const char *literal)
{
	size_t len = strlen(literal);

	if (cursor_left(c) < len || memcmp(c->pos, literal, len))
		return false;
	c->pos += len;
	return true;
}

/* Case-insensitive, and only as a whole word ("reserved", not "reservedX"). */
static bool take_word_nocase(struct text_cursor *c, const char *words)
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
static bool take_decimal(struct text_cursor *c, uint64_t *value)
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
static int take_hex(struct text_cursor *c, uint64_t *value)
{
	uint64_t v = 0;
	bool overflow = false;
	int d;

	if (cursor_left(c) < 3 || c->pos[0] != '0' || lower(c->pos[1]) != 'x' ||
	    hex_digit_value(c->pos[2]) < 0)
		return -EINVAL;
	c->pos += 2;
	for (; c->pos < c->end && (d = hex_digit_value(*c->pos)) >= 0; c->pos++) {
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
static bool take_number(struct text_cursor *c, uint64_t *value, bool *overflow)
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

static const char *find_in(const struct text_cursor *c, const char *needle)
{
	return memmem(c->pos, cursor_left(c), needle, strlen(needle));
}

/* ---- numbers and ranges with their error messages ---- */

static int take_address(struct dmesg_reader *r, const char *what, struct text_cursor *c,
			const char *name, uint64_t *value)
{
	int ret = take_hex(c, value);

	if (ret == -ERANGE)
		return line_error(r, what, "%s does not fit in 64 bits", name);
	if (ret)
		return line_error(r, what, "expected a 0x-hexadecimal %s", name);
	return 0;
}

/* [start, last] as printed becomes the half-open [start, last + 1). */
static int check_inclusive_range(struct dmesg_reader *r, const char *what, uint64_t start,
				 uint64_t last, struct cm_range *out)
{
	if (last < start)
		return line_error(r, what, "range end 0x%" PRIx64 " is below its start 0x%" PRIx64,
				  last, start);
	if (last >= CM_PHYS_LIMIT)
		return line_error(r, what, "range [0x%" PRIx64 "-0x%" PRIx64 "] reaches past the "
				  "52-bit physical address limit", start, last);
	out->start = start;
	out->end = last + 1;
	return 0;
}

/* "0xSTART-0xEND" as printed, both ends included. */
static int take_address_pair(struct dmesg_reader *r, const char *what, struct text_cursor *c,
			     uint64_t *start, uint64_t *last)
{
	if (take_address(r, what, c, "start address", start))
		return -EINVAL;
	if (!take_char(c, '-'))
		return line_error(r, what, "expected '-' after the start address");
	return take_address(r, what, c, "end address", last);
}

/* "0xSTART-0xEND]": the rest of a "[mem " range. */
static int take_mem_range(struct dmesg_reader *r, const char *what, struct text_cursor *c,
			  struct cm_range *out)
{
	uint64_t start, last;

	if (take_address_pair(r, what, c, &start, &last))
		return -EINVAL;
	if (!take_char(c, ']'))
		return line_error(r, what, "expected ']' after the end address");
	return check_inclusive_range(r, what, start, last, out);
}

static int check_node(struct dmesg_reader *r, const char *what, uint64_t value, int *node)
{
	if (value >= CM_MAX_NUMNODES)
		return line_error(r, what, "node %" PRIu64 " is out of range (0..%d)", value,
				  CM_MAX_NUMNODES - 1);
	*node = (int)value;
	r->named_nodes |= 1ULL << value;
	return 0;
}

static int range_list_add(struct dmesg_reader *r, struct range_list *list,
			  const struct cm_range *range, int node, bool hotplug)
{
	struct log_range *item;

	if (list->nr == list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 16;
		struct log_range *items = realloc(list->items, capacity * sizeof(*items));

		if (!items)
			return out_of_memory(r);
		list->items = items;
		list->capacity = capacity;
	}
	item = &list->items[list->nr++];
	item->start = range->start;
	item->end = range->end;
	item->node = node;
	item->hotplug = hotplug;
	item->line_nr = r->line_nr;
	return 0;
}

static void range_list_free(struct range_list *list)
{
	free(list->items);
	list->items = NULL;
	list->nr = list->capacity = 0;
}

/* ---- BIOS-e820 ---- */

struct e820_type_name {
	const char *words;
	enum cm_e820_type type;
};

/* Every spelling the kernel has used; v6.16 renamed several types. */
static const struct e820_type_name e820_type_names[] = {
	{ "usable", CM_E820_USABLE },
	{ "System RAM", CM_E820_USABLE },
	{ "kernel usable RAM", CM_E820_USABLE },
	{ "reserved", CM_E820_RESERVED },
	{ "device reserved", CM_E820_RESERVED },
	{ "soft reserved", CM_E820_SOFT_RESERVED },
	{ "ACPI data", CM_E820_ACPI },
	{ "ACPI tables", CM_E820_ACPI },
	{ "ACPI NVS", CM_E820_NVS },
	{ "ACPI non-volatile storage", CM_E820_NVS },
	{ "unusable", CM_E820_UNUSABLE },
	{ "persistent", CM_E820_PMEM },	/* "persistent (type 7)", "(type 12)" */
};

/* Some kernel revisions print the size before the type: "639   KB", "1.9 GB". */
static void skip_size_column(struct text_cursor *c)
{
	struct text_cursor t = *c;
	uint64_t ignored;

	if (!take_decimal(&t, &ignored))
		return;
	if (take_char(&t, '.') && !take_decimal(&t, &ignored))
		return;
	skip_blanks(&t);
	if (t.pos < t.end && *t.pos && strchr("KMGTPE", *t.pos))
		t.pos++;
	take_char(&t, 'i');
	if (!take_char(&t, 'B') || (t.pos < t.end && !is_blank(*t.pos)))
		return;
	skip_blanks(&t);
	*c = t;
}

/* A printable quote of the unknown type for p->assumed. */
static void quote_type(const struct text_cursor *c, char *buf, size_t size)
{
	size_t n = 0;

	for (const char *s = c->pos; s < c->end && n + 1 < size && n < DMESG_MAX_QUOTE_LEN; s++)
		buf[n++] = *s >= ' ' && *s <= '~' && *s != '\'' ? *s : '?';
	buf[n] = '\0';
}

static int take_e820_type(struct dmesg_reader *r, struct text_cursor *c, enum cm_e820_type *type)
{
	char quoted[DMESG_MAX_QUOTE_LEN + 1];

	skip_blanks(c);
	skip_size_column(c);
	if (c->pos >= c->end)
		return line_error(r, "BIOS-e820", "expected a type after the range (e.g. 'usable')");
	for (size_t i = 0; i < sizeof(e820_type_names) / sizeof(e820_type_names[0]); i++) {
		if (take_word_nocase(c, e820_type_names[i].words)) {
			*type = e820_type_names[i].type;
			return 0;
		}
	}
	quote_type(c, quoted, sizeof(quoted));
	cm_log_add(&r->p->assumed, CM_LOG_INFO, "assumed: e820 type '%s' (line %lu) treated as reserved",
		   quoted, r->line_nr);
	*type = CM_E820_RESERVED;
	return 0;
}

static int parse_e820(struct dmesg_reader *r, struct text_cursor *c)
{
	struct cm_platform *p = r->p;
	enum cm_e820_type type = CM_E820_RESERVED;
	struct cm_range range = { 0 };

	skip_blanks(c);
	if (take_literal(c, "[gap "))	/* newer kernels also print the holes */
		return 0;
	if (!take_literal(c, "[mem "))
		return line_error(r, "BIOS-e820", "expected '[mem 0xSTART-0xEND] TYPE' (the format "
				  "of kernels before 3.x is not supported)");
	if (take_mem_range(r, "BIOS-e820", c, &range) || take_e820_type(r, c, &type))
		return -EINVAL;
	if (p->nr_e820 && range.start < p->e820[p->nr_e820 - 1].end)
		return line_error(r, "BIOS-e820", "entry [0x%" PRIx64 "-0x%" PRIx64 "] is below or "
				  "overlaps the entry on line %lu (the kernel prints the map sorted; "
				  "is this two boots in one log?)", range.start, range.end - 1,
				  r->last_e820_line_nr);
	if (cm_platform_add_e820(p, range.start, range.end, type))
		return out_of_memory(r);
	r->last_e820_line_nr = r->line_nr;
	return 0;
}

/* ---- NUMA: SRAT, NUMA, Initmem and memblock lines ---- */

/* "N PXM P [mem 0xA-0xB] [hotplug]", after "SRAT: Node ". */
static int parse_srat_memory(struct dmesg_reader *r, struct text_cursor *c)
{
	struct text_cursor lead = *c;
	uint64_t node_value, pxm;
	struct cm_range range = { 0 };
	int node = 0;

	if (!take_decimal(&lead, &node_value) || !take_literal(&lead, " PXM ") ||
	    !take_decimal(&lead, &pxm))
		return 0;
	skip_blanks(&lead);
	if (!take_literal(&lead, "[mem "))
		return 0;
	*c = lead;
	if (check_node(r, "SRAT", node_value, &node) || take_mem_range(r, "SRAT", c, &range))
		return -EINVAL;
	return range_list_add(r, &r->spans[SPAN_SRAT], &range, node, find_in(c, "hotplug") != NULL);
}

/* "P -> APIC 0xID -> Node N", after "SRAT: PXM ": one CPU of node N. */
static int parse_srat_cpu(struct dmesg_reader *r, struct text_cursor *c)
{
	uint64_t pxm, apic_id, node_value;
	int node = 0;

	if (!take_decimal(c, &pxm) || !take_literal(c, " -> APIC "))
		return 0;
	if (take_address(r, "SRAT", c, "APIC id", &apic_id))
		return -EINVAL;
	if (!take_literal(c, " -> Node ") || !take_decimal(c, &node_value))
		return line_error(r, "SRAT", "expected ' -> Node N' after the APIC id");
	if (check_node(r, "SRAT", node_value, &node))
		return -EINVAL;
	if (r->nr_cpus >= CM_MAX_CPUS)
		return line_error(r, "SRAT", "more than %d CPUs", CM_MAX_CPUS);
	if (r->nr_cpus == r->cpu_capacity) {
		size_t capacity = r->cpu_capacity ? r->cpu_capacity * 2 : 64;
		int *cpu_nodes = realloc(r->cpu_nodes, capacity * sizeof(*cpu_nodes));

		if (!cpu_nodes)
			return out_of_memory(r);
		r->cpu_nodes = cpu_nodes;
		r->cpu_capacity = capacity;
	}
	r->cpu_nodes[r->nr_cpus++] = node;
	return 0;
}

static int parse_srat(struct dmesg_reader *r, struct text_cursor *c)
{
	if (take_literal(c, "Node "))
		return parse_srat_memory(r, c);
	if (take_literal(c, "PXM "))
		return parse_srat_cpu(r, c);
	return 0;
}

/*
 * "N [mem 0xA-0xB]": the lead of NUMA, Initmem and memblock lines. Returns
 * 1 when the line has this shape (then errors are the line's), else 0.
 */
static int take_node_range_lead(struct text_cursor *c, uint64_t *node_value, bool colon)
{
	struct text_cursor lead = *c;

	skip_blanks(&lead);
	if (!take_decimal(&lead, node_value))
		return 0;
	if (colon && !take_char(&lead, ':'))
		return 0;
	skip_blanks(&lead);
	if (!take_literal(&lead, "[mem "))
		return 0;
	*c = lead;
	return 1;
}

/* "N [mem 0xA-0xB] + [mem 0xC-0xD] -> [mem 0xE-0xF]", after "NUMA: Node ". */
static int parse_numa(struct dmesg_reader *r, struct text_cursor *c)
{
	struct cm_range range = { 0 };
	uint64_t node_value;
	const char *merged;
	int node = 0;

	if (!take_node_range_lead(c, &node_value, false))
		return 0;
	if (check_node(r, "NUMA", node_value, &node) || take_mem_range(r, "NUMA", c, &range))
		return -EINVAL;
	merged = find_in(c, "-> [mem ");
	if (merged) {
		c->pos = merged + strlen("-> [mem ");
		if (take_mem_range(r, "NUMA", c, &range))
			return -EINVAL;
	}
	return range_list_add(r, &r->spans[SPAN_NUMA], &range, node, false);
}

/* "N [mem 0xA-0xB]", after "Initmem setup node ". */
static int parse_initmem(struct dmesg_reader *r, struct text_cursor *c)
{
	struct cm_range range = { 0 };
	uint64_t node_value;
	int node = 0;

	if (!take_node_range_lead(c, &node_value, false))
		return 0;
	if (check_node(r, "Initmem", node_value, &node) || take_mem_range(r, "Initmem", c, &range))
		return -EINVAL;
	return range_list_add(r, &r->spans[SPAN_INITMEM], &range, node, false);
}

/* "  node   N: [mem 0xA-0xB]", after "node ": one memblock range. */
static int parse_memblock(struct dmesg_reader *r, struct text_cursor *c)
{
	struct cm_range range = { 0 };
	uint64_t node_value;
	int node = 0;

	if (!take_node_range_lead(c, &node_value, true))
		return 0;
	if (check_node(r, "memblock", node_value, &node) || take_mem_range(r, "memblock", c, &range))
		return -EINVAL;
	r->memblock_nodes |= 1ULL << node;
	return range_list_add(r, &r->memblock, &range, node, false);
}

/* ---- TDX, SGX, memory blocks ---- */

struct tdx_limit_key {
	const char *key;
	enum tdx_limit first;
	enum tdx_limit last;
};

/* The TDX module's metadata names; "pamt_entry_size" sets all three levels. */
static const struct tdx_limit_key tdx_limit_keys[] = {
	{ "max_tdmrs", TDX_LIMIT_MAX_TDMRS, TDX_LIMIT_MAX_TDMRS },
	{ "max_reserved_per_tdmr", TDX_LIMIT_MAX_RESERVED, TDX_LIMIT_MAX_RESERVED },
	{ "pamt_4k_entry_size", TDX_LIMIT_PAMT_4K, TDX_LIMIT_PAMT_4K },
	{ "pamt_2m_entry_size", TDX_LIMIT_PAMT_2M, TDX_LIMIT_PAMT_2M },
	{ "pamt_1g_entry_size", TDX_LIMIT_PAMT_1G, TDX_LIMIT_PAMT_1G },
	{ "pamt_entry_size", TDX_LIMIT_PAMT_4K, TDX_LIMIT_PAMT_1G },
};

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

/* "KEY N", "KEY: N" or "KEY=N" anywhere in a virt/tdx line. */
static int parse_tdx_limits(struct dmesg_reader *r, const struct text_cursor *line)
{
	for (size_t i = 0; i < sizeof(tdx_limit_keys) / sizeof(tdx_limit_keys[0]); i++) {
		const struct tdx_limit_key *k = &tdx_limit_keys[i];
		const char *found = find_in(line, k->key);
		struct text_cursor c;
		uint64_t value;
		bool overflow;

		if (!found || (found > line->pos && (is_alpha(found[-1]) || found[-1] == '_')))
			continue;
		c.pos = found + strlen(k->key);
		c.end = line->end;
		skip_blanks(&c);
		if (!take_char(&c, ':'))
			take_char(&c, '=');
		skip_blanks(&c);
		if (!take_number(&c, &value, &overflow))
			continue;
		if (overflow || value > UINT32_MAX)
			return line_error(r, "virt/tdx", "%s value is too large", k->key);
		for (int limit = (int)k->first; limit <= (int)k->last; limit++) {
			*tdx_limit_field(&r->p->tdx, (enum tdx_limit)limit) = (unsigned int)value;
			r->tdx_limit_seen[limit] = true;
		}
	}
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
	struct cm_tdx_config *tdx = &r->p->tdx;
	uint64_t start, end;

	if (take_address(r, "virt/tdx", c, "CMR base", &start))
		return -EINVAL;
	skip_blanks(c);
	if (!take_char(c, ','))
		return line_error(r, "virt/tdx", "expected ',' after the CMR base");
	skip_blanks(c);
	if (take_address(r, "virt/tdx", c, "CMR end", &end))
		return -EINVAL;
	if (!take_char(c, ')'))
		return line_error(r, "virt/tdx", "expected ')' after the CMR end (CMRs are printed "
				  "half-open: [0xBASE, 0xEND))");
	if (end < start)
		return line_error(r, "virt/tdx", "CMR end 0x%" PRIx64 " is below its base 0x%" PRIx64,
				  end, start);
	if (end > CM_PHYS_LIMIT)
		return line_error(r, "virt/tdx", "CMR [0x%" PRIx64 ", 0x%" PRIx64 ") reaches past the "
				  "52-bit physical address limit", start, end);
	if (tdx->nr_cmrs >= CM_MAX_CMRS)
		return line_error(r, "virt/tdx", "more than %d CMRs", CM_MAX_CMRS);
	tdx->cmrs[tdx->nr_cmrs].start = start;
	tdx->cmrs[tdx->nr_cmrs].end = end;
	tdx->nr_cmrs++;
	return 0;
}

static int parse_tdx(struct dmesg_reader *r, struct text_cursor *c)
{
	r->tdx_seen = true;
	if (parse_tdx_limits(r, c))
		return -EINVAL;
	skip_blanks(c);
	if (take_cmr_lead(c))
		return parse_cmr(r, c);
	return 0;
}

/* "0xA-0xB" (inclusive end), after "sgx: EPC section ". */
static int parse_epc(struct dmesg_reader *r, struct text_cursor *c)
{
	struct cm_sgx_config *sgx = &r->p->sgx;
	struct cm_range range = { 0 };
	uint64_t start, last;

	if (take_address_pair(r, "sgx", c, &start, &last) ||
	    check_inclusive_range(r, "sgx", start, last, &range))
		return -EINVAL;
	if (sgx->nr_epc >= CM_MAX_EPC_SECTIONS)
		return line_error(r, "sgx", "more than %d EPC sections", CM_MAX_EPC_SECTIONS);
	sgx->epc[sgx->nr_epc].start = range.start;
	sgx->epc[sgx->nr_epc].size = range.end - range.start;
	sgx->epc[sgx->nr_epc].node = -1;	/* found from the node spans later */
	sgx->nr_epc++;
	return 0;
}

/* "NMB", after "x86/mm: Memory block size: ". */
static int parse_block_size(struct dmesg_reader *r, struct text_cursor *c)
{
	uint64_t size_mb;

	if (!take_decimal(c, &size_mb) || !take_literal(c, "MB"))
		return line_error(r, "x86/mm", "expected 'Memory block size: NMB'");
	if (size_mb > (CM_PHYS_LIMIT >> 20))
		return line_error(r, "x86/mm", "memory block size %" PRIu64 "MB is too large", size_mb);
	r->p->memory_block_size = size_mb << 20;
	r->block_size_seen = true;
	return 0;
}

/* ---- one line ---- */

/*
 * The message without what dmesg, the kernel and journalctl put before it:
 * everything up to journalctl's "kernel: " tag, a "<6>" level, "[ 0.000000]"
 * timestamps and "[  T0]" caller ids, dmesg -x's "kern  :info  : ".
 */
static struct text_cursor message_of(struct text_cursor line)
{
	size_t window = cursor_left(&line);
	const char *tag;

	if (window > DMESG_MAX_TAG_OFFSET)
		window = DMESG_MAX_TAG_OFFSET;
	tag = memmem(line.pos, window, "kernel: ", strlen("kernel: "));
	if (tag)
		line.pos = tag + strlen("kernel: ");
	for (;;) {
		struct text_cursor t = line;
		const char *close;
		uint64_t level;

		skip_blanks(&t);
		if (take_char(&t, '<') && take_decimal(&t, &level) && take_char(&t, '>')) {
			line = t;
			continue;
		}
		t = line;
		skip_blanks(&t);
		if (take_literal(&t, "kern")) {
			skip_blanks(&t);
			if (take_char(&t, ':')) {
				while (t.pos < t.end && is_alpha(*t.pos))
					t.pos++;
				skip_blanks(&t);
				if (take_char(&t, ':')) {
					line = t;
					continue;
				}
			}
		}
		t = line;
		skip_blanks(&t);
		if (!cursor_at(&t, '[') || take_literal(&t, "[mem ") || take_literal(&t, "[gap "))
			break;
		close = memchr(t.pos, ']', cursor_left(&t) < DMESG_MAX_STAMP_LEN ?
			       cursor_left(&t) : DMESG_MAX_STAMP_LEN);
		if (!close)
			break;
		line.pos = close + 1;
	}
	skip_blanks(&line);
	return line;
}

static int parse_line(struct dmesg_reader *r, struct text_cursor line)
{
	struct text_cursor c = message_of(line);

	if (take_literal(&c, "BIOS-e820:"))
		return parse_e820(r, &c);
	if (take_literal(&c, "ACPI: SRAT: ") || take_literal(&c, "SRAT: "))
		return parse_srat(r, &c);
	if (take_literal(&c, "NUMA: Node "))
		return parse_numa(r, &c);
	if (take_literal(&c, "Initmem setup node "))
		return parse_initmem(r, &c);
	if (take_literal(&c, "node "))
		return parse_memblock(r, &c);
	if (take_literal(&c, "virt/tdx:"))
		return parse_tdx(r, &c);
	if (take_literal(&c, "sgx: EPC section "))
		return parse_epc(r, &c);
	if (take_literal(&c, "x86/mm: Memory block size: "))
		return parse_block_size(r, &c);
	if (take_literal(&c, "No NUMA configuration found") || take_literal(&c, "Faking a node at"))
		r->numa_rejected = true;
	return 0;
}

static int read_lines(struct dmesg_reader *r, const char *text, size_t len)
{
	const char *pos = text, *end = text + len;

	while (pos < end) {
		const char *newline = memchr(pos, '\n', (size_t)(end - pos));
		struct text_cursor line = { pos, newline ? newline : end };
		int ret;

		r->line_nr++;
		if (line.end > line.pos && line.end[-1] == '\r')
			line.end--;
		ret = parse_line(r, line);
		if (ret)
			return ret;
		pos = newline ? newline + 1 : end;
	}
	return 0;
}

/* ---- from lines to the platform ---- */

static int compare_log_range(const void *a, const void *b)
{
	const struct log_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->line_nr < y->line_nr ? -1 : x->line_nr > y->line_nr;
}

static int compare_by_node(const void *a, const void *b)
{
	const struct log_range *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	return compare_log_range(a, b);
}

/* The usable part of the e820 map as sorted, disjoint ranges. */
static int usable_ranges(struct dmesg_reader *r, struct cm_range **out, size_t *nr_out)
{
	const struct cm_platform *p = r->p;
	struct cm_range *ranges = malloc((p->nr_e820 ? p->nr_e820 : 1) * sizeof(*ranges));
	size_t nr = 0;

	if (!ranges)
		return out_of_memory(r);
	for (size_t i = 0; i < p->nr_e820; i++) {
		if (p->e820[i].type != CM_E820_USABLE)
			continue;
		ranges[nr].start = p->e820[i].start;
		ranges[nr].end = p->e820[i].end;
		nr++;
	}
	*out = ranges;
	*nr_out = cm_ranges_merge(ranges, nr);
	return 0;
}

static bool covered_by(const struct cm_range *ranges, size_t nr, uint64_t start, uint64_t end)
{
	size_t i = cm_ranges_first_ending_above(ranges, nr, start);

	return i < nr && ranges[i].start <= start && ranges[i].end >= end;
}

/*
 * Node spans used to place RAM and EPC: SRAT ranges, else NUMA lines, else
 * Initmem lines; sorted, and where spans of two nodes overlap (a firmware
 * error the kernel rejects) the one starting first keeps the overlap.
 */
static int node_spans(struct dmesg_reader *r, struct range_list *spans)
{
	const struct range_list *from = NULL;

	memset(spans, 0, sizeof(*spans));
	if (r->numa_rejected)
		return 0;
	for (int i = 0; i < NR_SPAN_SOURCES && !from; i++)
		if (r->spans[i].nr)
			from = &r->spans[i];
	if (!from)
		return 0;
	spans->items = malloc(from->nr * sizeof(*spans->items));
	if (!spans->items)
		return out_of_memory(r);
	memcpy(spans->items, from->items, from->nr * sizeof(*spans->items));
	qsort(spans->items, from->nr, sizeof(*spans->items), compare_log_range);
	for (size_t i = 0; i < from->nr; i++) {
		struct log_range span = spans->items[i];

		if (spans->nr && span.start < spans->items[spans->nr - 1].end)
			span.start = spans->items[spans->nr - 1].end;
		if (span.start < span.end)
			spans->items[spans->nr++] = span;
	}
	spans->capacity = from->nr;
	return 0;
}

static const struct log_range *span_containing(const struct range_list *spans, uint64_t addr)
{
	size_t lo = 0, hi = spans->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (spans->items[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < spans->nr && spans->items[lo].start <= addr)
		return &spans->items[lo];
	return NULL;
}

static int create_nodes(struct dmesg_reader *r)
{
	uint64_t ids = r->numa_rejected ? (r->memblock_nodes | 1) : r->named_nodes;

	if (r->numa_rejected)
		cm_log_add(&r->p->assumed, CM_LOG_INFO, "assumed: no NUMA information (the kernel "
			   "says 'No NUMA configuration found'), one node 0");
	if (!ids) {
		ids = 1;
		cm_log_add(&r->p->assumed, CM_LOG_INFO, "assumed: no NUMA information, one node 0");
	}
	for (int id = 0; id < CM_MAX_NUMNODES; id++)
		if ((ids >> id) & 1 && !cm_platform_add_node(r->p, id, CM_NODE_DRAM))
			return out_of_memory(r);
	return 0;
}

static struct cm_node *node_by_id(struct cm_platform *p, int id)
{
	int i = cm_platform_node_index(p, id);

	return i < 0 ? NULL : &p->nodes[i];
}

/* Append to a node's sorted memory, merging a range that touches the last. */
static int append_node_memory(struct dmesg_reader *r, struct cm_node *n, uint64_t start,
			      uint64_t end)
{
	struct cm_range *last = n->nr_memory ? &n->memory[n->nr_memory - 1] : NULL;

	if (last && start <= last->end) {
		if (end > last->end)
			last->end = end;
		return 0;
	}
	if (cm_node_add_memory(n, start, end))
		return out_of_memory(r);
	return 0;
}

/* The memblock lines are the node's boot RAM, as the kernel sees it. */
static int memory_from_memblock(struct dmesg_reader *r, const struct cm_range *usable,
				size_t nr_usable)
{
	struct range_list *memblock = &r->memblock;

	qsort(memblock->items, memblock->nr, sizeof(*memblock->items), compare_by_node);
	for (size_t i = 0; i < memblock->nr; i++) {
		const struct log_range *m = &memblock->items[i];
		uint64_t start = cm_align_up(m->start, CM_PAGE_SIZE);
		uint64_t end = cm_align_down(m->end, CM_PAGE_SIZE);
		struct cm_node *n = node_by_id(r->p, m->node);

		if (start >= end || !n)	/* every memblock node was created */
			continue;
		if (!covered_by(usable, nr_usable, start, end))
			return cm_error_set(r->err, -EINVAL, "%s:%lu: memblock line: node %d memory "
					    "[0x%" PRIx64 ", 0x%" PRIx64 ") is not usable RAM in the "
					    "BIOS-e820 map", r->source, m->line_nr, m->node, start, end);
		if (append_node_memory(r, n, start, end))
			return -ENOMEM;
	}
	return 0;
}

/* No memblock lines: usable e820 RAM (whole pages) split by the node spans. */
static int memory_from_e820(struct dmesg_reader *r, const struct range_list *spans)
{
	struct cm_platform *p = r->p;
	struct cm_node *fallback = &p->nodes[0];
	size_t k = 0;

	if (!spans->nr && p->nr_nodes > 1)
		cm_log_add(&p->assumed, CM_LOG_INFO, "assumed: no node memory ranges in log, "
			   "all RAM on node %d", fallback->id);
	for (size_t i = 0; i < p->nr_e820; i++) {
		const struct cm_e820_entry *e = &p->e820[i];
		uint64_t pos = cm_align_up(e->start, CM_PAGE_SIZE);
		uint64_t end = cm_align_down(e->end, CM_PAGE_SIZE);

		if (e->type != CM_E820_USABLE || pos >= end)
			continue;
		if (!spans->nr) {
			if (append_node_memory(r, fallback, pos, end))
				return -ENOMEM;
			continue;
		}
		for (; k < spans->nr && pos < end; k++) {
			const struct log_range *s = &spans->items[k];
			uint64_t piece_start = s->start > pos ? s->start : pos;
			uint64_t piece_end = s->end < end ? s->end : end;
			struct cm_node *n = node_by_id(p, s->node);

			if (s->end <= pos)
				continue;
			if (s->start >= end)
				break;
			if (n && append_node_memory(r, n, piece_start, piece_end))
				return -ENOMEM;
			pos = piece_end;
			if (s->end > end)
				break;	/* the span goes on into the next entry */
		}
	}
	return 0;
}

static void note_reserved_piece(struct dmesg_reader *r, uint64_t start, uint64_t end,
				size_t *nr_notes)
{
	const char *why = r->memblock.nr ? "not in memblock" : "not in any node's range";

	if (*nr_notes < DMESG_MAX_RESERVED_NOTES)
		cm_log_add(&r->p->assumed, CM_LOG_INFO, "assumed: usable [0x%" PRIx64 ", 0x%" PRIx64
			   ") %s, treated as reserved", start, end, why);
	(*nr_notes)++;
}

/* The e820 map being rebuilt; @capacity is checked, not trusted. */
struct e820_builder {
	struct cm_e820_entry *map;
	size_t nr;
	size_t capacity;
	bool overflow;
};

static void add_entry(struct e820_builder *b, uint64_t start, uint64_t end, enum cm_e820_type type)
{
	if (start >= end)
		return;
	if (b->nr == b->capacity) {
		b->overflow = true;
		return;
	}
	b->map[b->nr].start = start;
	b->map[b->nr].end = end;
	b->map[b->nr].type = type;
	b->nr++;
}

/*
 * Split one usable entry at the whole pages no node owns, which become
 * reserved; a partial page at either end goes with its neighbour.
 */
static void split_usable_entry(struct dmesg_reader *r, const struct cm_e820_entry *e,
			       const struct cm_range *ram, size_t nr_ram, struct e820_builder *b,
			       size_t *nr_notes)
{
	uint64_t first = cm_align_up(e->start, CM_PAGE_SIZE);
	uint64_t last = cm_align_down(e->end, CM_PAGE_SIZE);
	uint64_t pos = first, copied = e->start;

	for (size_t k = cm_ranges_first_ending_above(ram, nr_ram, first); pos < last; k++) {
		uint64_t hole_end = k < nr_ram && ram[k].start < last ? ram[k].start : last;

		if (hole_end > pos) {
			uint64_t reserved_start = pos == first ? copied : pos;
			uint64_t reserved_end = hole_end == last ? e->end : hole_end;

			note_reserved_piece(r, pos, hole_end, nr_notes);
			add_entry(b, copied, reserved_start, CM_E820_USABLE);
			add_entry(b, reserved_start, reserved_end, CM_E820_RESERVED);
			copied = reserved_end;
		}
		if (k >= nr_ram)
			break;
		pos = ram[k].end;
	}
	add_entry(b, copied, e->end, CM_E820_USABLE);
}

/* Usable RAM in no node's memory becomes reserved, so the model is honest. */
static int reserve_ram_without_node(struct dmesg_reader *r)
{
	struct cm_platform *p = r->p;
	struct e820_builder b = { 0 };
	struct cm_node_range *node_ram;
	struct cm_range *ram;
	size_t nr_node_ram, nr_ram, nr_notes = 0;

	if (cm_platform_ram_ranges(p, &node_ram, &nr_node_ram))
		return out_of_memory(r);
	ram = malloc((nr_node_ram ? nr_node_ram : 1) * sizeof(*ram));
	/* An entry holding R node ranges splits into at most 2 * (R + 1) + 1. */
	b.capacity = 5 * p->nr_e820 + 2 * nr_node_ram + 2;
	b.map = malloc(b.capacity * sizeof(*b.map));
	if (!ram || !b.map) {
		free(node_ram);
		free(ram);
		free(b.map);
		return out_of_memory(r);
	}
	for (size_t i = 0; i < nr_node_ram; i++) {
		ram[i].start = node_ram[i].start;
		ram[i].end = node_ram[i].end;
	}
	free(node_ram);
	nr_ram = cm_ranges_merge(ram, nr_node_ram);
	for (size_t i = 0; i < p->nr_e820; i++) {
		const struct cm_e820_entry *e = &p->e820[i];

		if (e->type == CM_E820_USABLE)
			split_usable_entry(r, e, ram, nr_ram, &b, &nr_notes);
		else
			add_entry(&b, e->start, e->end, e->type);
	}
	free(ram);
	if (b.overflow) {
		free(b.map);
		return cm_error_set(r->err, -EOVERFLOW, "%s: internal error: e820 map grew past its "
				    "bound while reserving RAM without a node", r->source);
	}
	if (nr_notes > DMESG_MAX_RESERVED_NOTES)
		cm_log_add(&p->assumed, CM_LOG_INFO, "assumed: %zu more usable ranges in no node's "
			   "memory, treated as reserved", nr_notes - DMESG_MAX_RESERVED_NOTES);
	free(p->e820);
	p->e820 = b.map;
	p->nr_e820 = b.nr;
	return 0;
}

/* The kernel that printed the log ran in some RAM: a log giving none is wrong. */
static int check_some_ram(struct dmesg_reader *r)
{
	for (size_t i = 0; i < r->p->nr_nodes; i++)
		if (r->p->nodes[i].nr_memory)
			return 0;
	return cm_error_set(r->err, -EINVAL, "%s: no boot RAM in this log (no whole page of usable "
			    "BIOS-e820 memory %s)", r->source, r->memblock.nr ?
			    "in the memblock lines" : "in any node's range");
}

static void assign_cpus(struct dmesg_reader *r)
{
	struct cm_platform *p = r->p;
	unsigned int cpu = 0;

	if (r->nr_cpus) {
		for (size_t i = 0; i < r->nr_cpus; i++) {
			struct cm_node *n = node_by_id(p, r->numa_rejected ? 0 : r->cpu_nodes[i]);

			if (n)
				cm_bitmap_set(&n->cpus, (unsigned int)i);
		}
		return;
	}
	for (size_t i = 0; i < p->nr_nodes; i++)
		if (p->nodes[i].nr_memory)
			cm_bitmap_set(&p->nodes[i].cpus, cpu++);
	cm_log_add(&p->assumed, CM_LOG_INFO, "assumed: CPU lists not in log; each node with memory "
		   "has CPUs (one placeholder CPU each)");
}

/*
 * A hotplug SRAT range reaching beyond the boot RAM inside it: the part
 * above that RAM, in whole memory blocks, may be hot-added later.
 */
static int add_hotplug_windows(struct dmesg_reader *r, const struct cm_range *usable,
			       size_t nr_usable)
{
	const struct range_list *srat = &r->spans[SPAN_SRAT];
	uint64_t block = r->p->memory_block_size;

	if (r->numa_rejected || !block || (block & (block - 1)))
		return 0;	/* no nodes to join; a bad block size fails validation */
	for (size_t i = 0; i < srat->nr; i++) {
		const struct log_range *s = &srat->items[i];
		size_t k = cm_ranges_first_ending_above(usable, nr_usable, s->end);
		uint64_t start = s->start, end = cm_align_down(s->end, block);
		struct cm_hotplug_window w;

		if (!s->hotplug)
			continue;
		/* The last usable range starting below the span's end. */
		if (k == nr_usable || usable[k].start >= s->end)
			k = k ? k - 1 : nr_usable;
		if (k < nr_usable && usable[k].end > start && usable[k].start < s->end)
			start = usable[k].end;
		start = cm_align_up(start, block);
		if (start >= end)
			continue;
		w.start = start;
		w.size = end - start;
		w.node = s->node;
		w.convertible = false;
		if (cm_platform_add_hotplug(r->p, &w))
			return out_of_memory(r);
	}
	return 0;
}

static void assign_epc_nodes(struct dmesg_reader *r, const struct range_list *spans)
{
	struct cm_platform *p = r->p;
	int fallback = cm_platform_node(p, 0) ? 0 : p->nodes[0].id;

	for (unsigned int i = 0; i < p->sgx.nr_epc; i++) {
		const struct log_range *s = span_containing(spans, p->sgx.epc[i].start);

		p->sgx.epc[i].node = s ? s->node : fallback;
	}
}

/* How p->assumed names each limit: "max_tdmrs 64", "PAMT 4K entry 16 bytes". */
static const char *const tdx_limit_formats[NR_TDX_LIMITS] = {
	[TDX_LIMIT_MAX_TDMRS] = "max_tdmrs %u",
	[TDX_LIMIT_MAX_RESERVED] = "max_reserved_per_tdmr %u",
	[TDX_LIMIT_PAMT_4K] = "PAMT 4K entry %u bytes",
	[TDX_LIMIT_PAMT_2M] = "PAMT 2M entry %u bytes",
	[TDX_LIMIT_PAMT_1G] = "PAMT 1G entry %u bytes",
};

static void note_tdx(struct dmesg_reader *r)
{
	struct cm_tdx_config *tdx = &r->p->tdx;
	struct cm_log *assumed = &r->p->assumed;
	char missing[256] = "";
	size_t used = 0, nr_missing = 0;

	if (!r->tdx_seen)
		return;
	if (!tdx->nr_cmrs) {
		tdx->enabled = false;
		cm_log_add(assumed, CM_LOG_INFO, "assumed: CMRs not in log; use --platform with tdx.cmrs");
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
						 tdx_limit_formats[i],
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

static void note_defaults(struct dmesg_reader *r)
{
	struct cm_platform *p = r->p;

	cm_log_add(&p->assumed, CM_LOG_INFO, "assumed: memory kind not in log; every node is dram");
	if (p->nr_nodes > 1)
		cm_log_add(&p->assumed, CM_LOG_INFO, "assumed: node distances not in log (the kernel does "
			   "not print the SLIT); 10 local, 20 remote");
	if (!r->block_size_seen)
		cm_log_add(&p->assumed, CM_LOG_INFO, "assumed: memory block size not in log; %llu MiB",
			   CM_DEFAULT_BLOCK_SIZE >> 20);
}

static int build_platform(struct dmesg_reader *r)
{
	struct range_list spans = { 0 };
	struct cm_range *usable = NULL;
	size_t nr_usable;
	int ret;

	if (!r->p->nr_e820)
		return cm_error_set(r->err, -EINVAL, "%s: no BIOS-e820 memory map in this log (expected "
				    "lines like 'BIOS-e820: [mem 0x...-0x...] usable')", r->source);
	ret = node_spans(r, &spans);
	if (!ret)
		ret = create_nodes(r);
	if (!ret)
		ret = usable_ranges(r, &usable, &nr_usable);
	if (ret)
		goto out;
	if (r->memblock.nr)
		ret = memory_from_memblock(r, usable, nr_usable);
	else
		ret = memory_from_e820(r, &spans);
	if (!ret)
		ret = check_some_ram(r);
	if (!ret)
		ret = reserve_ram_without_node(r);
	free(usable);
	usable = NULL;
	if (!ret)
		ret = usable_ranges(r, &usable, &nr_usable);
	if (ret)
		goto out;
	assign_cpus(r);
	ret = add_hotplug_windows(r, usable, nr_usable);
	if (ret)
		goto out;
	assign_epc_nodes(r, &spans);
	note_tdx(r);
	note_defaults(r);
out:
	free(usable);
	range_list_free(&spans);
	return ret;
}

static void set_name(struct cm_platform *p, const char *source)
{
	const char *slash = strrchr(source, '/');

	snprintf(p->name, sizeof(p->name), "%s", slash && slash[1] ? slash + 1 : source);
}

static void reader_free(struct dmesg_reader *r)
{
	range_list_free(&r->memblock);
	for (int i = 0; i < NR_SPAN_SOURCES; i++)
		range_list_free(&r->spans[i]);
	free(r->cpu_nodes);
}

int cm_platform_from_dmesg_string(const char *text, size_t len, const char *source,
				  struct cm_platform **out, struct cm_error *err)
{
	struct dmesg_reader r = { 0 };
	int ret;

	*out = NULL;
	r.source = source ? source : DMESG_DEFAULT_SOURCE;
	r.err = err;
	r.p = cm_platform_new();
	if (!r.p)
		return out_of_memory(&r);
	set_name(r.p, r.source);
	ret = read_lines(&r, text ? text : "", text ? len : 0);
	if (!ret)
		ret = build_platform(&r);
	if (!ret)
		ret = cm_platform_finalize(r.p, r.source, err);
	reader_free(&r);
	if (ret) {
		cm_platform_free(r.p);
		return ret;
	}
	*out = r.p;
	return 0;
}

/* Grow @buf to hold more of a file; the old buffer is freed on failure. */
static char *grow_buffer(char *buf, size_t *capacity)
{
	char *bigger = *capacity > SIZE_MAX / 2 ? NULL : realloc(buf, *capacity * 2);

	if (!bigger) {
		free(buf);
		return NULL;
	}
	*capacity *= 2;
	return bigger;
}

static int read_whole_file(const char *path, char **text, size_t *len, struct cm_error *err)
{
	size_t capacity = 1 << 16, used = 0;
	char *buf;
	FILE *f;
	int ret = 0;

	f = fopen(path, "rb");
	if (!f)
		return cm_error_set(err, -errno, "%s: cannot open: %s", path, strerror(errno));
	buf = malloc(capacity);
	while (buf) {
		used += fread(buf + used, 1, capacity - used, f);
		if (used < capacity)
			break;
		buf = grow_buffer(buf, &capacity);
	}
	if (!buf)
		ret = cm_error_set(err, -ENOMEM, "%s: out of memory reading the file", path);
	else if (ferror(f))
		ret = cm_error_set(err, -EIO, "%s: read error", path);
	fclose(f);
	if (ret) {
		free(buf);
		return ret;
	}
	*text = buf;
	*len = used;
	return 0;
}

int cm_platform_from_dmesg_file(const char *path, struct cm_platform **out, struct cm_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int ret;

	*out = NULL;
	ret = read_whole_file(path, &text, &len, err);
	if (ret)
		return ret;
	ret = cm_platform_from_dmesg_string(text, len, path, out, err);
	free(text);
	return ret;
}
