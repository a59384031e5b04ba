// SPDX-License-Identifier: MIT
/* The boot log reader's numbers and ranges, with the messages that name the line. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform/dmesg_internal.h"

int dmesg_line_error(struct dmesg_reader *r, const char *what, const char *fmt, ...)
{
	char reason[CM_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	cm_error_set(r->err, -EINVAL, "%s:%lu: %s line: %s", r->source, r->line_nr, what, reason);
	return -EINVAL;
}

int dmesg_out_of_memory(struct dmesg_reader *r)
{
	cm_error_set(r->err, -ENOMEM, "%s: out of memory", r->source);
	return -ENOMEM;
}

/* ---- numbers and ranges with their error messages ---- */

int dmesg_take_address(struct dmesg_reader *r, const char *what, struct text_cursor *c,
		       const char *name, uint64_t *value)
{
	int ret = take_hex(c, value);

	if (ret == -ERANGE)
		return dmesg_line_error(r, what, "%s does not fit in 64 bits", name);
	if (ret)
		return dmesg_line_error(r, what, "expected a 0x-hexadecimal %s", name);
	return 0;
}

/* [start, last] as printed becomes the half-open [start, last + 1). */
int dmesg_check_inclusive_range(struct dmesg_reader *r, const char *what, uint64_t start,
				uint64_t last, struct cm_range *out)
{
	if (last < start)
		return dmesg_line_error(r, what, "range end 0x%" PRIx64 " is below its start 0x%" PRIx64,
					last, start);
	if (last >= CM_PHYS_LIMIT)
		return dmesg_line_error(r, what, "range [0x%" PRIx64 "-0x%" PRIx64 "] reaches past the "
					"52-bit physical address limit", start, last);
	out->start = start;
	out->end = last + 1;
	return 0;
}

/* "0xSTART-0xEND" as printed, both ends included. */
int dmesg_take_address_pair(struct dmesg_reader *r, const char *what, struct text_cursor *c,
			    uint64_t *start, uint64_t *last)
{
	if (dmesg_take_address(r, what, c, "start address", start))
		return -EINVAL;
	if (!take_char(c, '-'))
		return dmesg_line_error(r, what, "expected '-' after the start address");
	return dmesg_take_address(r, what, c, "end address", last);
}

/* "0xSTART-0xEND]": the rest of a "[mem " range. */
int dmesg_take_mem_range(struct dmesg_reader *r, const char *what, struct text_cursor *c,
			 struct cm_range *out)
{
	uint64_t start, last;

	if (dmesg_take_address_pair(r, what, c, &start, &last))
		return -EINVAL;
	if (!take_char(c, ']'))
		return dmesg_line_error(r, what, "expected ']' after the end address");
	return dmesg_check_inclusive_range(r, what, start, last, out);
}

int dmesg_check_node(struct dmesg_reader *r, const char *what, uint64_t value, int *node)
{
	if (value >= CM_MAX_NUMNODES)
		return dmesg_line_error(r, what, "node %" PRIu64 " is out of range (0..%d)", value,
					CM_MAX_NUMNODES - 1);
	*node = (int)value;
	r->named_nodes |= 1ULL << value;
	return 0;
}

int dmesg_range_list_add(struct dmesg_reader *r, struct range_list *list,
			 const struct cm_range *range, int node, enum log_range_kind kind)
{
	struct log_range *item;

	if (list->nr == list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 16;
		struct log_range *items = realloc(list->items, capacity * sizeof(*items));

		if (!items)
			return dmesg_out_of_memory(r);
		list->items = items;
		list->capacity = capacity;
	}
	item = &list->items[list->nr++];
	item->start = range->start;
	item->end = range->end;
	item->node = node;
	item->hotplug = kind == LOG_RANGE_HOTPLUG;
	item->line_nr = r->line_nr;
	return 0;
}

void dmesg_range_list_free(struct range_list *list)
{
	free(list->items);
	list->items = NULL;
	list->nr = list->capacity = 0;
}
