// SPDX-License-Identifier: MIT
/*
 * Fuzz target for the JSON platform source (SPEC 13). Any input either
 * loads or fails with a one-line message and no platform; a platform that
 * loads dumps to text that loads back and dumps to the same text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_refusal(int ret, const struct cm_platform *p, const struct cm_error *err)
{
	if (ret >= 0 || p || err->code != ret || !err->msg[0] || strchr(err->msg, '\n'))
		abort();
}

static void check_dump_round_trip(const struct cm_platform *p)
{
	struct cm_platform *again = NULL;
	struct cm_error err = { 0 };
	char *first = cm_platform_to_json_string(p), *second;

	if (!first)
		abort();
	if (cm_platform_from_json_string(first, strlen(first), "dump", &again, &err))
		abort();
	second = cm_platform_to_json_string(again);
	if (!second || strcmp(first, second))
		abort();
	free(first);
	free(second);
	cm_platform_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_platform *p = NULL;
	struct cm_error err = { 0 };
	int ret = cm_platform_from_json_string((const char *)data, size, "fuzz.json", &p, &err);

	if (ret) {
		check_refusal(ret, p, &err);
		return 0;
	}
	check_dump_round_trip(p);
	cm_platform_free(p);
	return 0;
}
