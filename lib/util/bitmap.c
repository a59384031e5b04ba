// SPDX-License-Identifier: MIT
/* Bitmaps of CPUs or nodes, read from and written in the kernel's list syntax. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/util.h"

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

int cm_bitmap_parse_list(struct cm_bitmap *b, const char *s, struct cm_error *err)
{
	const char *p = s;

	/* sysfs files end in a newline; accept exactly one. */
	while (*p && *p != '\n') {
		unsigned long lo, hi;

		if (parse_uint(&p, &lo))
			return cm_error_set(err, -EINVAL, "expected a number in list syntax (e.g. 0-3,8)");
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_uint(&p, &hi))
				return cm_error_set(err, -EINVAL, "expected a number after '-'");
			if (hi < lo)
				return cm_error_set(err, -EINVAL, "range end below its start");
		}
		if (hi >= b->nbits)
			return cm_error_set(err, -ERANGE, "number too large for this list");
		for (unsigned long i = lo; i <= hi; i++)
			cm_bitmap_set(b, (unsigned int)i);
		if (*p == ',') {
			p++;
			if (*p == '\0' || *p == '\n')
				return cm_error_set(err, -EINVAL, "trailing ','");
		} else if (*p && *p != '\n') {
			return cm_error_set(err, -EINVAL, "unexpected character (expected ',' or '-')");
		}
	}
	if (*p == '\n' && p[1] != '\0')
		return cm_error_set(err, -EINVAL, "text after the end of line");
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
