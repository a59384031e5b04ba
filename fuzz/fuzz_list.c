// SPDX-License-Identifier: MIT
/*
 * Fuzz target for the kernel list syntax (cm_bitmap_parse_list() and
 * cm_bitmap_format_list(), SPEC 13): parse(format(parse(x))) == parse(x),
 * the formatted text is canonical (formatting it again gives the same
 * text), and formatting into a short buffer stays inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *format_list(const struct cm_bitmap *b)
{
	size_t len = cm_bitmap_format_list(b, NULL, 0);
	char *text = malloc(len + 1);

	if (!text)
		abort();
	if (cm_bitmap_format_list(b, text, len + 1) != len || strlen(text) != len)
		abort();
	return text;
}

/* A buffer too short for the list holds a NUL-terminated prefix of it. */
static void check_short_buffer(const struct cm_bitmap *b, const char *full)
{
	size_t len = strlen(full), short_len = len / 2 + 1;
	char *buf = malloc(short_len);

	if (!buf)
		abort();
	cm_bitmap_format_list(b, buf, short_len);
	if (strlen(buf) >= short_len || strncmp(buf, full, strlen(buf)))
		abort();
	free(buf);
}

static void check_round_trip(const struct cm_bitmap *parsed)
{
	struct cm_bitmap again;
	char *text = format_list(parsed), *text_again;

	if (cm_bitmap_init(&again, parsed->nbits))
		abort();
	if (cm_bitmap_parse_list(&again, text, NULL) || !cm_bitmap_equal(parsed, &again))
		abort();
	text_again = format_list(&again);
	if (strcmp(text, text_again))
		abort();
	check_short_buffer(parsed, text);
	free(text);
	free(text_again);
	cm_bitmap_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int capacities[] = { CM_MAX_CPUS, CM_MAX_NUMNODES, 1 };
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; i < sizeof(capacities) / sizeof(capacities[0]); i++) {
		struct cm_error err = { 0 };
		struct cm_bitmap parsed;
		int ret;

		if (cm_bitmap_init(&parsed, capacities[i]))
			abort();
		ret = cm_bitmap_parse_list(&parsed, text, &err);
		if (ret == 0)
			check_round_trip(&parsed);
		else if (err.code != ret || !err.msg[0])
			abort();
		cm_bitmap_free(&parsed);
	}
	free(text);
	return 0;
}
