// SPDX-License-Identifier: MIT
/* Sizes and addresses: the parser of util.h and the -u/--human format. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "confmem/util.h"

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

int cm_parse_size(const char *s, uint64_t *out, struct cm_error *err)
{
	uint64_t v = 0;
	unsigned int base = 10, shift, ndigits = 0;
	const char *p = s;

	if (!s || !*s)
		return cm_error_set(err, -EINVAL, "empty value");
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
		if (v > (UINT64_MAX - d) / base)
			return cm_error_set(err, -ERANGE, "value does not fit in 64 bits");
		v = v * base + d;
	}
	if (ndigits == 0)
		return cm_error_set(err, -EINVAL,
				    "expected a number (decimal or 0x-hex) with an optional K/M/G/T/P suffix");
	if (suffix_shift(p, &shift))
		return cm_error_set(err, -EINVAL, "unknown size suffix (expected K, M, G, T or P)");
	if (shift && v > (UINT64_MAX >> shift))
		return cm_error_set(err, -ERANGE, "value does not fit in 64 bits");
	*out = v << shift;
	return 0;
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
