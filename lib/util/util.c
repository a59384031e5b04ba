// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "confmem/util.h"

int cm_error_set(struct cm_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void cm_error_clear(struct cm_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}

int cm_hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int suffix_shift(const char *s, unsigned int *shift)
{
	static const char units[] = "KMGTP";
	const char *u;

	if (*s == '\0') {
		*shift = 0;
		return 0;
	}
	if (!strcasecmp(s, "B")) {
		*shift = 0;
		return 0;
	}
	u = strchr(units, toupper((unsigned char)*s));
	if (!u)
		return -EINVAL;
	*shift = 10 * (unsigned int)(u - units + 1);
	s++;
	if (*s == '\0' || !strcasecmp(s, "B") || !strcasecmp(s, "iB"))
		return 0;
	return -EINVAL;
}

int cm_parse_size(const char *s, uint64_t *out, const char **why)
{
	uint64_t v = 0;
	unsigned int base = 10, shift, ndigits = 0;
	const char *p = s;

	if (!s || !*s) {
		*why = "empty value";
		return -EINVAL;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p; p++, ndigits++) {
		unsigned int d;

		if (isdigit((unsigned char)*p))
			d = (unsigned int)(*p - '0');
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = (unsigned int)(tolower((unsigned char)*p) - 'a' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / base) {
			*why = "value does not fit in 64 bits";
			return -ERANGE;
		}
		v = v * base + d;
	}
	if (ndigits == 0) {
		*why = "expected a number (decimal or 0x-hex) with an optional K/M/G/T/P suffix";
		return -EINVAL;
	}
	if (suffix_shift(p, &shift)) {
		*why = "unknown size suffix (expected K, M, G, T or P)";
		return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift)) {
		*why = "value does not fit in 64 bits";
		return -ERANGE;
	}
	*out = v << shift;
	return 0;
}

int cm_bitmap_init(struct cm_bitmap *b, unsigned int nbits)
{
	size_t nwords = (nbits + 63) / 64;

	b->nbits = nbits;
	b->words = calloc(nwords ? nwords : 1, sizeof(uint64_t));
	return b->words ? 0 : -ENOMEM;
}

void cm_bitmap_free(struct cm_bitmap *b)
{
	free(b->words);
	b->words = NULL;
	b->nbits = 0;
}

int cm_bitmap_copy(struct cm_bitmap *dst, const struct cm_bitmap *src)
{
	if (cm_bitmap_init(dst, src->nbits))
		return -ENOMEM;
	memcpy(dst->words, src->words, ((src->nbits + 63) / 64) * sizeof(uint64_t));
	return 0;
}

void cm_bitmap_set(struct cm_bitmap *b, unsigned int bit)
{
	if (bit < b->nbits)
		b->words[bit / 64] |= 1ULL << (bit % 64);
}

bool cm_bitmap_test(const struct cm_bitmap *b, unsigned int bit)
{
	return bit < b->nbits && (b->words[bit / 64] >> (bit % 64)) & 1;
}

unsigned int cm_bitmap_weight(const struct cm_bitmap *b)
{
	unsigned int w = 0;

	for (size_t i = 0; i < (b->nbits + 63) / 64; i++)
		w += (unsigned int)__builtin_popcountll(b->words[i]);
	return w;
}

bool cm_bitmap_equal(const struct cm_bitmap *a, const struct cm_bitmap *b)
{
	unsigned int n = a->nbits > b->nbits ? a->nbits : b->nbits;

	for (unsigned int i = 0; i < n; i++)
		if (cm_bitmap_test(a, i) != cm_bitmap_test(b, i))
			return false;
	return true;
}

static int parse_uint(const char **pp, unsigned long *out)
{
	const char *p = *pp;
	unsigned long v = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > (1UL << 30))
			return -ERANGE;
	}
	*pp = p;
	*out = v;
	return 0;
}

int cm_bitmap_parse_list(struct cm_bitmap *b, const char *s, const char **why)
{
	const char *p = s;

	/* sysfs files end in a newline; accept exactly one. */
	while (*p && *p != '\n') {
		unsigned long lo, hi;

		if (parse_uint(&p, &lo)) {
			*why = "expected a number in list syntax (e.g. 0-3,8)";
			return -EINVAL;
		}
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_uint(&p, &hi)) {
				*why = "expected a number after '-'";
				return -EINVAL;
			}
			if (hi < lo) {
				*why = "range end below its start";
				return -EINVAL;
			}
		}
		if (hi >= b->nbits) {
			*why = "number too large for this list";
			return -ERANGE;
		}
		for (unsigned long i = lo; i <= hi; i++)
			cm_bitmap_set(b, (unsigned int)i);
		if (*p == ',') {
			p++;
			if (*p == '\0' || *p == '\n') {
				*why = "trailing ','";
				return -EINVAL;
			}
		} else if (*p && *p != '\n') {
			*why = "unexpected character (expected ',' or '-')";
			return -EINVAL;
		}
	}
	if (*p == '\n' && p[1] != '\0') {
		*why = "text after the end of line";
		return -EINVAL;
	}
	return 0;
}

size_t cm_bitmap_format_list(const struct cm_bitmap *b, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i = 0;
	bool first = true;

	if (len)
		buf[0] = '\0';
	while (i < b->nbits) {
		unsigned int j;
		char tmp[32];
		int n;

		if (!cm_bitmap_test(b, i)) {
			i++;
			continue;
		}
		for (j = i; j + 1 < b->nbits && cm_bitmap_test(b, j + 1); j++)
			;
		if (j == i)
			n = snprintf(tmp, sizeof(tmp), "%s%u", first ? "" : ",", i);
		else
			n = snprintf(tmp, sizeof(tmp), "%s%u-%u", first ? "" : ",", i, j);
		if (used + (size_t)n < len)
			memcpy(buf + used, tmp, (size_t)n + 1);
		used += (size_t)n;
		first = false;
		i = j + 1;
	}
	return used;
}

int cm_keyed_index_compare(const void *a, const void *b)
{
	const struct cm_keyed_index *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

void cm_format_human_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	unsigned int u = 0;

	while (v >= 1024.0 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%" PRIu64 " B", bytes);
	else
		snprintf(buf, len, "%.2f %s", v, units[u]);
}

void cm_log_add(struct cm_log *log, enum cm_log_level level, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (!text)
		return;
	if (log->nr_lines == log->capacity) {
		size_t cap = log->capacity ? log->capacity * 2 : 16;
		struct cm_log_line *n = realloc(log->lines, cap * sizeof(*n));

		if (!n) {
			free(text);
			return;
		}
		log->lines = n;
		log->capacity = cap;
	}
	log->lines[log->nr_lines].level = level;
	log->lines[log->nr_lines].text = text;
	log->nr_lines++;
}

void cm_log_free(struct cm_log *log)
{
	for (size_t i = 0; i < log->nr_lines; i++)
		free(log->lines[i].text);
	free(log->lines);
	log->lines = NULL;
	log->nr_lines = log->capacity = 0;
}

int cm_name_index(const char *const *names, size_t nr, const char *name)
{
	for (size_t i = 0; i < nr; i++)
		if (names[i] && !strcmp(name, names[i]))
			return (int)i;
	return -1;
}
