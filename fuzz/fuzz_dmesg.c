// SPDX-License-Identifier: MIT
/*
 * Fuzz target for the boot log platform source (lib/platform/dmesg*.c):
 * any bytes either load into a platform that passed validation or fail
 * with a one-line message; nothing else may happen.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What a successful load promises: validated, sorted, and self-consistent. */
static void check_platform(const struct cm_platform *p)
{
	struct cm_node_range *ram;
	size_t nr_ram;

	if (p->nr_nodes == 0 || p->nr_e820 == 0 || p->tdx.nr_cmrs > CM_MAX_CMRS ||
	    p->sgx.nr_epc > CM_MAX_EPC_SECTIONS || (p->tdx.enabled && p->tdx.nr_cmrs == 0))
		abort();
	for (size_t i = 1; i < p->nr_e820; i++)
		if (p->e820[i].start < p->e820[i - 1].end)
			abort();
	for (size_t i = 0; i < p->assumed.nr_lines; i++)
		if (strncmp(p->assumed.lines[i].text, "assumed: ", 9))
			abort();
	if (cm_platform_ram_ranges(p, &ram, &nr_ram))
		return;
	for (size_t i = 1; i < nr_ram; i++)
		if (ram[i].start < ram[i - 1].end)
			abort();
	free(ram);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_platform *p = NULL;
	struct cm_error err;

	cm_error_clear(&err);
	if (cm_platform_from_dmesg_string((const char *)data, size, "fuzz.log", &p, &err) == 0) {
		check_platform(p);
		cm_platform_free(p);
		return 0;
	}
	if (p || err.code >= 0 || strlen(err.msg) == 0 || strchr(err.msg, '\n'))
		abort();
	return 0;
}
