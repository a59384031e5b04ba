// SPDX-License-Identifier: MIT
/*
 * BIOS-e820 lines of the boot log, "BIOS-e820: [mem 0xA-0xB] TYPE" (the
 * end inclusive), and the rewrite that makes usable RAM no node owns
 * reserved, so that the model is honest.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform/dmesg_internal.h"
#include "platform/names.h"

/* ---- BIOS-e820 ---- */

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
		return dmesg_line_error(r, "BIOS-e820", "expected a type after the range (e.g. 'usable')");
	for (size_t i = 0; i < nr_e820_boot_log_spellings; i++) {
		if (take_word_nocase(c, e820_boot_log_spellings[i].text)) {
			*type = e820_boot_log_spellings[i].type;
			return 0;
		}
	}
	quote_type(c, quoted, sizeof(quoted));
	cm_log_add(&r->p->assumed, CM_LOG_INFO, "assumed: e820 type '%s' (line %lu) treated as reserved",
		   quoted, r->line_nr);
	*type = CM_E820_RESERVED;
	return 0;
}

int dmesg_parse_e820(struct dmesg_reader *r, struct text_cursor *c)
{
	struct cm_platform *p = r->p;
	enum cm_e820_type type = CM_E820_RESERVED;
	struct cm_range range = { 0 };

	skip_blanks(c);
	if (take_literal(c, "[gap "))	/* newer kernels also print the holes */
		return 0;
	if (!take_literal(c, "[mem "))
		return dmesg_line_error(r, "BIOS-e820", "expected '[mem 0xSTART-0xEND] TYPE' (the format "
					"of kernels before 3.x is not supported)");
	if (dmesg_take_mem_range(r, "BIOS-e820", c, &range) || take_e820_type(r, c, &type))
		return -EINVAL;
	if (p->nr_e820 && range.start < p->e820[p->nr_e820 - 1].end)
		return dmesg_line_error(r, "BIOS-e820", "entry [0x%" PRIx64 "-0x%" PRIx64 "] is below or "
					"overlaps the entry on line %lu (the kernel prints the map sorted; "
					"is this two boots in one log?)", range.start, range.end - 1,
					r->last_e820_line_nr);
	if (cm_platform_add_e820(p, range.start, range.end, type))
		return dmesg_out_of_memory(r);
	r->last_e820_line_nr = r->line_nr;
	return 0;
}

/* ---- usable RAM in no node ---- */

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
int dmesg_reserve_ram_without_node(struct dmesg_reader *r)
{
	struct cm_platform *p = r->p;
	struct e820_builder b = { 0 };
	struct cm_node_range *node_ram;
	struct cm_range *ram;
	size_t nr_node_ram, nr_ram, nr_notes = 0;

	if (cm_platform_ram_ranges(p, &node_ram, &nr_node_ram))
		return dmesg_out_of_memory(r);
	ram = malloc((nr_node_ram ? nr_node_ram : 1) * sizeof(*ram));
	/* An entry holding R node ranges splits into at most 2 * (R + 1) + 1. */
	b.capacity = 5 * p->nr_e820 + 2 * nr_node_ram + 2;
	b.map = malloc(b.capacity * sizeof(*b.map));
	if (!ram || !b.map) {
		free(node_ram);
		free(ram);
		free(b.map);
		return dmesg_out_of_memory(r);
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
	/* Re-added through cm_platform_add_e820(), which owns the array's growth. */
	free(p->e820);
	p->e820 = NULL;
	p->nr_e820 = 0;
	for (size_t i = 0; i < b.nr; i++) {
		if (cm_platform_add_e820(p, b.map[i].start, b.map[i].end, b.map[i].type)) {
			free(b.map);
			return dmesg_out_of_memory(r);
		}
	}
	free(b.map);
	return 0;
}
