// SPDX-License-Identifier: MIT
/*
 * Fuzz target for cm_parse_size() (SPEC 13). A size that parses prints
 * back (as hex and as decimal) to text that parses to the same value; a
 * refusal always gives a reason.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_reparse(const char *format, uint64_t value)
{
	uint64_t again = 0;
	char text[32];

	snprintf(text, sizeof(text), format, value);
	if (cm_parse_size(text, &again, NULL) || again != value)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct cm_error err = { 0 };
	uint64_t value = 0;
	int ret;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ret = cm_parse_size(text, &value, &err);
	if (ret == 0) {
		check_reparse("0x%" PRIx64, value);
		check_reparse("%" PRIu64, value);
	} else if (err.code != ret || !err.msg[0]) {
		abort();
	}
	free(text);
	return 0;
}
