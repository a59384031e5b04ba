// SPDX-License-Identifier: MIT
/*
 * The parsers behind the live-machine source (live_parse.h): /proc/iomem
 * and the small sysfs files, on bytes in memory so that the fuzz targets
 * and unit tests need no filesystem.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/platform.h"
#include "platform/live_parse.h"
#include "platform/names.h"

/* Characters of offending input quoted in an error message. */
#define EXCERPT_MAX 48

/* Quote at most EXCERPT_MAX bytes of input, non-printable bytes as '?'. */
static void quote_excerpt(const char *s, size_t len, char *buf, size_t size)
{
	size_t n = 0, i;

	for (i = 0; i < len && i < EXCERPT_MAX && n + 1 < size; i++)
		buf[n++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (i < len && n + 3 < size) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
}

struct text_cursor {
	const char *text;
	size_t len;
	size_t pos;
	unsigned int line_no;
};

/* The next line without its newline; false at the end of the text. */
static bool next_line(struct text_cursor *c, const char **line, size_t *line_len)
{
	const char *newline;

	if (c->pos >= c->len)
		return false;
	*line = c->text + c->pos;
	newline = memchr(*line, '\n', c->len - c->pos);
	*line_len = newline ? (size_t)(newline - *line) : c->len - c->pos;
	c->pos += *line_len + (newline ? 1 : 0);
	c->line_no++;
	return true;
}

/* One line of /proc/iomem: "%*s%08llx-%08llx : NAME", the end inclusive. */
struct iomem_line {
	unsigned int depth;	/* leading spaces: 0 for a top-level entry */
	uint64_t start;
	uint64_t last;
	const char *name;
	size_t name_len;
};

static int parse_hex_address(const char **cursor, const char *end, uint64_t *out)
{
	const char *s = *cursor;
	uint64_t value = 0;
	unsigned int nr_digits = 0;

	for (; s < end && cm_hex_digit_value(*s) >= 0; s++, nr_digits++) {
		if (nr_digits == 16)
			return -ERANGE;
		value = value << 4 | (uint64_t)cm_hex_digit_value(*s);
	}
	if (nr_digits == 0)
		return -EINVAL;
	*cursor = s;
	*out = value;
	return 0;
}

/* Returns 0, or -EINVAL with what was expected in @expected. */
static int parse_iomem_line(const char *line, size_t len, struct iomem_line *out, const char **expected)
{
	const char *s = line, *end = line + len;
	int ret;

	while (s < end && *s == ' ')
		s++;
	out->depth = (unsigned int)(s - line);
	ret = parse_hex_address(&s, end, &out->start);
	if (ret) {
		*expected = ret == -ERANGE ? "a start address of at most 16 hex digits" :
					     "\"START-END : NAME\" with hexadecimal addresses";
		return -EINVAL;
	}
	if (s == end || *s != '-') {
		*expected = "'-' after the start address";
		return -EINVAL;
	}
	s++;
	ret = parse_hex_address(&s, end, &out->last);
	if (ret) {
		*expected = ret == -ERANGE ? "an end address of at most 16 hex digits" :
					     "a hexadecimal end address after '-'";
		return -EINVAL;
	}
	if ((size_t)(end - s) < 3 || memcmp(s, " : ", 3)) {
		*expected = "\" : \" after the end address";
		return -EINVAL;
	}
	s += 3;
	if (s == end) {
		*expected = "a resource name after \" : \"";
		return -EINVAL;
	}
	out->name = s;
	out->name_len = (size_t)(end - s);
	return 0;
}

int iomem_name_to_e820_type(const char *name, size_t len, enum cm_e820_type *type)
{
	for (size_t i = 0; i < nr_e820_iomem_spellings; i++) {
		const struct e820_spelling *spelling = &e820_iomem_spellings[i];

		if (strlen(spelling->text) == len && !memcmp(spelling->text, name, len)) {
			*type = spelling->type;
			return 0;
		}
	}
	return -ENOENT;
}

void iomem_map_free(struct iomem_map *map)
{
	free(map->entries);
	map->entries = NULL;
	map->nr_entries = 0;
	map->capacity = 0;
}

static int iomem_add_entry(struct iomem_map *map, uint64_t start, uint64_t end, enum cm_e820_type type)
{
	struct cm_e820_entry *entries = map->entries;

	if (map->nr_entries == map->capacity) {
		size_t capacity = map->capacity ? 2 * map->capacity : 64;

		entries = realloc(map->entries, capacity * sizeof(*entries));
		if (!entries)
			return -ENOMEM;
		map->entries = entries;
		map->capacity = capacity;
	}
	entries[map->nr_entries].start = start;
	entries[map->nr_entries].end = end;
	entries[map->nr_entries].type = type;
	map->nr_entries++;
	return 0;
}

/* First pass: the syntax of every line, and whether all addresses read zero. */
static int iomem_check_syntax(const char *text, size_t len, const char *path, struct iomem_map *map,
			      struct cm_error *err)
{
	struct text_cursor c = { .text = text, .len = len };
	bool seen_top_level = false, all_zero = true;
	char excerpt[EXCERPT_MAX + 4];
	const char *line, *expected;
	size_t line_len;

	while (next_line(&c, &line, &line_len)) {
		struct iomem_line entry;

		if (line_len == 0)
			continue;
		if (line_len > LIVE_IOMEM_LINE_MAX)
			return cm_error_set(err, -EINVAL, "%s:%u: expected a line of at most %d characters, "
					    "found %zu", path, c.line_no, LIVE_IOMEM_LINE_MAX, line_len);
		if (parse_iomem_line(line, line_len, &entry, &expected)) {
			quote_excerpt(line, line_len, excerpt, sizeof(excerpt));
			return cm_error_set(err, -EINVAL, "%s:%u: expected %s, found \"%s\"", path,
					    c.line_no, expected, excerpt);
		}
		if (entry.last < entry.start)
			return cm_error_set(err, -EINVAL, "%s:%u: expected an end address at or above the "
					    "start, found %" PRIx64 "-%" PRIx64, path, c.line_no,
					    entry.start, entry.last);
		if (entry.depth > 0 && !seen_top_level)
			return cm_error_set(err, -EINVAL, "%s:%u: expected a top-level entry first, found "
					    "a nested one (leading spaces)", path, c.line_no);
		seen_top_level |= entry.depth == 0;
		all_zero &= entry.start == 0 && entry.last == 0;
		map->nr_lines++;
	}
	map->addresses_hidden = map->nr_lines > 0 && all_zero;
	return 0;
}

/* Second pass: top-level order, and the entries the e820 model keeps. */
static int iomem_collect(const char *text, size_t len, const char *path, struct iomem_map *map,
			 struct cm_error *err)
{
	struct text_cursor c = { .text = text, .len = len };
	struct iomem_line previous = { 0 };
	bool have_previous = false;
	const char *line, *expected;
	size_t line_len;

	while (next_line(&c, &line, &line_len)) {
		struct iomem_line entry;
		enum cm_e820_type type;

		if (line_len == 0 || parse_iomem_line(line, line_len, &entry, &expected) || entry.depth)
			continue;
		if (have_previous && entry.start <= previous.last)
			return cm_error_set(err, -EINVAL, "%s:%u: expected top-level entries in ascending "
					    "order without overlap, found %" PRIx64 "-%" PRIx64
					    " after %" PRIx64 "-%" PRIx64, path, c.line_no, entry.start,
					    entry.last, previous.start, previous.last);
		previous = entry;
		have_previous = true;
		if (iomem_name_to_e820_type(entry.name, entry.name_len, &type))
			continue;
		if (entry.last >= CM_PHYS_LIMIT)
			return cm_error_set(err, -EINVAL, "%s:%u: expected addresses below the 52-bit "
					    "physical limit 0x%llx, found %" PRIx64 "-%" PRIx64, path,
					    c.line_no, CM_PHYS_LIMIT, entry.start, entry.last);
		if (iomem_add_entry(map, entry.start, entry.last + 1, type))
			return cm_error_set(err, -ENOMEM, "%s: out of memory", path);
	}
	return 0;
}

int parse_iomem_text(const char *text, size_t len, const char *path, struct iomem_map *map,
		     struct cm_error *err)
{
	int ret;

	memset(map, 0, sizeof(*map));
	ret = iomem_check_syntax(text, len, path, map, err);
	if (ret || map->addresses_hidden)
		return ret;
	ret = iomem_collect(text, len, path, map, err);
	if (ret)
		iomem_map_free(map);
	return ret;
}

/* Drop the one trailing newline a sysfs attribute ends with. */
static size_t strip_newline(const char *text, size_t len)
{
	return len > 0 && text[len - 1] == '\n' ? len - 1 : len;
}

int parse_sysfs_u64_text(const char *text, size_t len, enum sysfs_number_base base,
			 const char *path, uint64_t *out, struct cm_error *err)
{
	const char *what = base == SYSFS_HEX ? "a hexadecimal number (no 0x prefix)" : "a decimal number";
	char excerpt[EXCERPT_MAX + 4];
	uint64_t value = 0;
	size_t n = strip_newline(text, len);

	if (n == 0)
		return cm_error_set(err, -EINVAL, "%s: expected %s, found an empty file", path, what);
	for (size_t i = 0; i < n; i++) {
		int digit = cm_hex_digit_value(text[i]);

		if (digit < 0 || digit >= (int)base) {
			quote_excerpt(text, n, excerpt, sizeof(excerpt));
			return cm_error_set(err, -EINVAL, "%s: expected %s, found \"%s\"", path, what,
					    excerpt);
		}
		if (value > (UINT64_MAX - (uint64_t)digit) / base) {
			quote_excerpt(text, n, excerpt, sizeof(excerpt));
			return cm_error_set(err, -ERANGE, "%s: expected %s below 2^64, found \"%s\"",
					    path, what, excerpt);
		}
		value = value * base + (uint64_t)digit;
	}
	*out = value;
	return 0;
}

int parse_sysfs_list_text(const char *text, size_t len, const char *path, struct cm_bitmap *set,
			  struct cm_error *err)
{
	char excerpt[EXCERPT_MAX + 4];
	struct cm_error reason = { 0 };
	char *copy;
	int ret;

	quote_excerpt(text, strip_newline(text, len), excerpt, sizeof(excerpt));
	if (len > LIVE_CPULIST_FILE_MAX)
		return cm_error_set(err, -EINVAL, "%s: expected a list of at most %zu characters, found %zu",
				    path, LIVE_CPULIST_FILE_MAX, len);
	if (memchr(text, '\0', len))
		return cm_error_set(err, -EINVAL, "%s: expected a list like 0-3,8, found \"%s\" "
				    "(a NUL byte)", path, excerpt);
	copy = malloc(len + 1);
	if (!copy)
		return cm_error_set(err, -ENOMEM, "%s: out of memory", path);
	memcpy(copy, text, len);
	copy[len] = '\0';
	ret = cm_bitmap_parse_list(set, copy, &reason);
	free(copy);
	if (ret)
		return cm_error_set(err, -EINVAL, "%s: expected a list like 0-3,8, found \"%s\" (%s)",
				    path, excerpt, reason.msg[0] ? reason.msg : "malformed");
	return 0;
}

/* Column @column (0-based) of a distance row holds @token: 10 for the node itself, else 11..255. */
static int check_distance(const char *token, size_t len, const char *path, size_t column,
			  size_t self_index, struct cm_error *err)
{
	char excerpt[EXCERPT_MAX + 4];
	unsigned int value = 0;

	for (size_t i = 0; i < len && value <= 255; i++)
		value = value * 10 + (unsigned int)(token[i] - '0');
	/* The number as written, never a shortened or wrapped value. */
	quote_excerpt(token, len, excerpt, sizeof(excerpt));
	if (column == self_index && value != 10)
		return cm_error_set(err, -EINVAL, "%s: expected 10 (the node's distance to itself) "
				    "in column %zu, found %s", path, column + 1, excerpt);
	if (column != self_index && (value <= 10 || value > 255))
		return cm_error_set(err, -EINVAL, "%s: expected a distance of 11..255 to another "
				    "node in column %zu, found %s", path, column + 1, excerpt);
	return 0;
}

int parse_sysfs_distance_text(const char *text, size_t len, const char *path, size_t self_index,
			      size_t nr_nodes, unsigned int *row, struct cm_error *err)
{
	char excerpt[EXCERPT_MAX + 4];
	size_t n = strip_newline(text, len), i = 0, nr_found = 0;
	size_t bad_start = 0, bad_len = 0, bad_column = SIZE_MAX;

	quote_excerpt(text, n, excerpt, sizeof(excerpt));
	while (i < n) {
		unsigned int value = 0;
		size_t start;

		while (i < n && text[i] == ' ')
			i++;
		if (i == n)
			break;
		for (start = i; i < n && text[i] >= '0' && text[i] <= '9'; i++)
			if (value <= 255)
				value = value * 10 + (unsigned int)(text[i] - '0');
		if (i == start || (i < n && text[i] != ' '))
			return cm_error_set(err, -EINVAL, "%s: expected decimal distances separated by "
					    "spaces, found \"%s\"", path, excerpt);
		if (nr_found < nr_nodes)
			row[nr_found] = value;
		if (nr_found < nr_nodes && bad_column == SIZE_MAX &&
		    check_distance(text + start, i - start, path, nr_found, self_index, NULL)) {
			bad_column = nr_found;
			bad_start = start;
			bad_len = i - start;
		}
		nr_found++;
	}
	if (nr_found != nr_nodes)
		return cm_error_set(err, -EINVAL, "%s: expected %zu distances (one per online node), "
				    "found %zu", path, nr_nodes, nr_found);
	if (bad_column != SIZE_MAX)
		return check_distance(text + bad_start, bad_len, path, bad_column, self_index, err);
	return 0;
}

int parse_sysfs_entry_number(const char *name, const char *prefix, uint64_t *out)
{
	size_t prefix_len = strlen(prefix);
	const char *digits = name + prefix_len, *s;
	uint64_t value = 0;
	bool overflow = false;

	if (strncmp(name, prefix, prefix_len) || *digits == '\0')
		return 0;
	for (s = digits; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		uint64_t digit = (uint64_t)(*s - '0');

		if (value > (UINT64_MAX - digit) / 10)
			overflow = true;
		value = value * 10 + digit;
	}
	if (overflow)
		return -ERANGE;
	if (digits[0] == '0' && digits[1] != '\0')
		return -EINVAL;
	*out = value;
	return 1;
}
