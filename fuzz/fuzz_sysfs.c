// SPDX-License-Identifier: MIT
/*
 * Fuzz target for the sysfs file parsers of the live-machine source. The
 * first byte picks the parser (and, for distance rows, the node count and
 * the node's own column); the rest is the file's content.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "platform/live_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum sysfs_parser {
	PARSE_HEX,		/* block_size_bytes, phys_index */
	PARSE_DECIMAL,		/* sgx_total_bytes */
	PARSE_LIST,		/* cpulist, cpu/online */
	PARSE_DISTANCE,		/* nodeN/distance */
	PARSE_ENTRY_NAME,	/* nodeN, memoryN directory entries */
	NR_PARSERS
};

static void fuzz_distance(const char *text, size_t len, uint8_t selector)
{
	size_t nr_nodes = (size_t)(selector >> 3) % 8 + 1, self = (size_t)(selector >> 6) % nr_nodes;
	struct cm_error err = { 0 };
	unsigned int row[8];

	if (!parse_sysfs_distance_text(text, len, "distance", self, nr_nodes, row, &err)) {
		for (size_t i = 0; i < nr_nodes; i++)
			if ((i == self) != (row[i] == 10) || row[i] > 254)
				abort();
	}
}

static void fuzz_entry_name(const char *text, size_t len)
{
	char name[300];
	uint64_t number;

	if (len >= sizeof(name))
		len = sizeof(name) - 1;
	memcpy(name, text, len);
	name[len] = '\0';
	parse_sysfs_entry_number(name, "memory", &number);
	parse_sysfs_entry_number(name, "node", &number);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_error err = { 0 };
	struct cm_bitmap set;
	const char *text;
	uint64_t value;
	size_t len;

	if (size == 0)
		return 0;
	text = (const char *)data + 1;
	len = size - 1;
	switch (data[0] % NR_PARSERS) {
	case PARSE_HEX:
		parse_sysfs_u64_text(text, len, SYSFS_HEX, "hex", &value, &err);
		break;
	case PARSE_DECIMAL:
		parse_sysfs_u64_text(text, len, SYSFS_DECIMAL, "decimal", &value, &err);
		break;
	case PARSE_LIST:
		if (cm_bitmap_init(&set, CM_MAX_CPUS))
			return 0;
		parse_sysfs_list_text(text, len, "cpulist", &set, &err);
		cm_bitmap_free(&set);
		break;
	case PARSE_DISTANCE:
		fuzz_distance(text, len, data[0]);
		break;
	case PARSE_ENTRY_NAME:
		fuzz_entry_name(text, len);
		break;
	}
	return 0;
}
