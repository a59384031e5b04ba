// SPDX-License-Identifier: MIT
/*
 * Fuzz target for the /proc/iomem parser of the live-machine source. Beside
 * "no crash", it checks what the parser promises: kept entries are
 * non-empty, below 2^52, sorted and disjoint; a hidden map keeps none.
 */
#include <stdint.h>
#include <stdlib.h>

#include "platform/live_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_error err = { 0 };
	struct iomem_map map;

	if (parse_iomem_text((const char *)data, size, "fuzz", &map, &err)) {
		if (err.msg[0] == '\0' || map.entries)
			abort();
		return 0;
	}
	if (map.addresses_hidden && map.nr_entries)
		abort();
	for (size_t i = 0; i < map.nr_entries; i++) {
		const struct cm_e820_entry *e = &map.entries[i];

		if (e->start >= e->end || e->end > CM_PHYS_LIMIT || e->type >= CM_E820_NR_TYPES)
			abort();
		if (i > 0 && e->start < map.entries[i - 1].end)
			abort();
	}
	iomem_map_free(&map);
	return 0;
}
