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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/dmesg_internal.h"

/* "NMB", after "x86/mm: Memory block size: ". */
static int parse_block_size(struct dmesg_reader *r, struct text_cursor *c)
{
	const char *digits = c->pos;
	uint64_t size_mb;

	if (!take_decimal(c, &size_mb) || !take_literal(c, "MB"))
		return dmesg_line_error(r, "x86/mm", "expected 'Memory block size: NMB'");
	/* The bound every source shares; the number quoted as the log wrote it. */
	if (size_mb > (CM_MAX_BLOCK_SIZE >> 20) || cm_memory_block_size_check(size_mb << 20, NULL))
		return dmesg_line_error(r, "x86/mm", "expected a memory block size that is a power of two "
					"from 0x%llx to 0x%llx bytes, found %.*s", CM_MIN_BLOCK_SIZE,
					CM_MAX_BLOCK_SIZE, (int)(c->pos - digits), digits);
	r->p->memory_block_size = size_mb << 20;
	r->block_size_seen = true;
	return 0;
}

/* ---- one line ---- */

/* A "<6>" console level. */
static bool take_level_prefix(struct text_cursor *line)
{
	struct text_cursor t = *line;
	uint64_t level;

	skip_blanks(&t);
	if (!take_char(&t, '<') || !take_decimal(&t, &level) || !take_char(&t, '>'))
		return false;
	*line = t;
	return true;
}

/* dmesg -x's "kern  :info  : ". */
static bool take_facility_prefix(struct text_cursor *line)
{
	struct text_cursor t = *line;

	skip_blanks(&t);
	if (!take_literal(&t, "kern"))
		return false;
	skip_blanks(&t);
	if (!take_char(&t, ':'))
		return false;
	while (t.pos < t.end && is_alpha(*t.pos))
		t.pos++;
	skip_blanks(&t);
	if (!take_char(&t, ':'))
		return false;
	*line = t;
	return true;
}

/* A "[ 0.000000]" timestamp or "[  T0]" caller id, but not a "[mem " or "[gap " range. */
static bool take_stamp_prefix(struct text_cursor *line)
{
	struct text_cursor t = *line;
	const char *close;

	skip_blanks(&t);
	if (!cursor_at(&t, '[') || take_literal(&t, "[mem ") || take_literal(&t, "[gap "))
		return false;
	close = memchr(t.pos, ']', cursor_left(&t) < DMESG_MAX_STAMP_LEN ?
		       cursor_left(&t) : DMESG_MAX_STAMP_LEN);
	if (!close)
		return false;
	line->pos = close + 1;
	return true;
}

/*
 * The message without what dmesg, the kernel and journalctl put before it:
 * everything up to journalctl's "kernel: " tag, then any run of levels,
 * dmesg -x facilities, timestamps and caller ids.
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
	while (take_level_prefix(&line) || take_facility_prefix(&line) || take_stamp_prefix(&line))
		;
	skip_blanks(&line);
	return line;
}

size_t cm_dmesg_message_start(const char *line, size_t len)
{
	struct text_cursor c = { line, line + len };

	return (size_t)(message_of(c).pos - line);
}

static int parse_line(struct dmesg_reader *r, struct text_cursor line)
{
	struct text_cursor c = message_of(line);

	if (take_literal(&c, "BIOS-e820:"))
		return dmesg_parse_e820(r, &c);
	if (take_literal(&c, "ACPI: SRAT: ") || take_literal(&c, "SRAT: "))
		return dmesg_parse_srat(r, &c);
	if (take_literal(&c, "NUMA: Node "))
		return dmesg_parse_numa(r, &c);
	if (take_literal(&c, "Initmem setup node "))
		return dmesg_parse_initmem(r, &c);
	if (take_literal(&c, "node "))
		return dmesg_parse_memblock(r, &c);
	if (take_literal(&c, "virt/tdx:"))
		return dmesg_parse_tdx(r, &c);
	if (take_literal(&c, "sgx: EPC section "))
		return dmesg_parse_epc(r, &c);
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

static void set_name(struct cm_platform *p, const char *source)
{
	const char *slash = strrchr(source, '/');

	snprintf(p->name, sizeof(p->name), "%s", slash && slash[1] ? slash + 1 : source);
}

static void reader_free(struct dmesg_reader *r)
{
	dmesg_range_list_free(&r->memblock);
	for (int i = 0; i < NR_SPAN_SOURCES; i++)
		dmesg_range_list_free(&r->spans[i]);
	free(r->cpu_nodes);
}

int cm_platform_from_dmesg_string(const char *text, size_t len, const char *source,
				  struct cm_platform **out, struct cm_error *err)
{
	struct dmesg_reader r = { 0 };
	int ret;

	*out = NULL;
	r.source = source ? source : DMESG_DEFAULT_SOURCE;
	cm_kernel_detector_init(&r.kernel);
	r.err = err;
	if (text && len > CM_DMESG_MAX_INPUT)
		return cm_error_set(err, -EFBIG, "%s: input of %zu bytes is larger than the limit of %u MiB",
				    r.source, len, CM_DMESG_MAX_INPUT >> 20);
	r.p = cm_platform_new();
	if (!r.p)
		return dmesg_out_of_memory(&r);
	set_name(r.p, r.source);
	ret = read_lines(&r, text ? text : "", text ? len : 0);
	if (!ret)
		ret = dmesg_build_platform(&r);
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

int cm_platform_from_dmesg_file(const char *path, struct cm_platform **out, struct cm_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int ret;

	*out = NULL;
	ret = cm_read_file(path, CM_DMESG_MAX_INPUT, &text, &len, err);
	if (ret)
		return ret;
	ret = cm_platform_from_dmesg_string(text, len, path, out, err);
	free(text);
	return ret;
}
