// SPDX-License-Identifier: MIT
/*
 * Every name of the platform's enums (platform.h): the one confmem reads
 * and prints (JSON, text, messages) and, for e820 types, the spellings
 * kernels print (names.h).
 */
#include <errno.h>
#include <string.h>

#include "confmem/names.h"
#include "confmem/platform.h"
#include "platform/names.h"

static const char *const e820_names[CM_E820_NR_TYPES] = {
	[CM_E820_USABLE] = "usable",
	[CM_E820_RESERVED] = "reserved",
	[CM_E820_ACPI] = "acpi",
	[CM_E820_NVS] = "nvs",
	[CM_E820_PMEM] = "pmem",
	[CM_E820_SOFT_RESERVED] = "soft-reserved",
	[CM_E820_UNUSABLE] = "unusable",
};

static const char *const kind_names[CM_NODE_NR_KINDS] = {
	[CM_NODE_DRAM] = "dram",
	[CM_NODE_PMEM] = "pmem",
	[CM_NODE_CXL] = "cxl",
	[CM_NODE_HBM] = "hbm",
};

/* Indexed by enum cm_pamt_level; also the keys of the JSON "pamt_entry_size" object. */
static const char *const pamt_level_names[CM_PAMT_NR_LEVELS] = {
	[CM_PAMT_4K] = "4k",
	[CM_PAMT_2M] = "2m",
	[CM_PAMT_1G] = "1g",
};

const char *cm_e820_type_name(enum cm_e820_type t)
{
	return cm_name_of(e820_names, CM_E820_NR_TYPES, t);
}

int cm_e820_type_from_name(const char *name, enum cm_e820_type *t)
{
	int i = cm_name_find(e820_names, CM_E820_NR_TYPES, name);

	if (i < 0)
		return -EINVAL;
	*t = (enum cm_e820_type)i;
	return 0;
}

const char *cm_node_kind_name(enum cm_node_kind k)
{
	return cm_name_of(kind_names, CM_NODE_NR_KINDS, k);
}

int cm_node_kind_from_name(const char *name, enum cm_node_kind *k)
{
	int i = cm_name_find(kind_names, CM_NODE_NR_KINDS, name);

	if (i < 0)
		return -EINVAL;
	*k = (enum cm_node_kind)i;
	return 0;
}

const char *cm_pamt_level_name(enum cm_pamt_level level)
{
	return cm_name_of(pamt_level_names, CM_PAMT_NR_LEVELS, level);
}

/* Every spelling the kernel has used; v6.16 renamed several types. */
const struct e820_spelling e820_boot_log_spellings[] = {
	{ "usable", CM_E820_USABLE },
	{ "System RAM", CM_E820_USABLE },
	{ "kernel usable RAM", CM_E820_USABLE },
	{ "reserved", CM_E820_RESERVED },
	{ "device reserved", CM_E820_RESERVED },
	{ "soft reserved", CM_E820_SOFT_RESERVED },
	{ "ACPI data", CM_E820_ACPI },
	{ "ACPI tables", CM_E820_ACPI },
	{ "ACPI NVS", CM_E820_NVS },
	{ "ACPI non-volatile storage", CM_E820_NVS },
	{ "unusable", CM_E820_UNUSABLE },
	{ "persistent", CM_E820_PMEM },	/* "persistent (type 7)", "(type 12)" */
};
const size_t nr_e820_boot_log_spellings =
	sizeof(e820_boot_log_spellings) / sizeof(e820_boot_log_spellings[0]);

const struct e820_spelling e820_iomem_spellings[] = {
	{ "System RAM", CM_E820_USABLE },
	{ "Soft Reserved", CM_E820_SOFT_RESERVED },
	{ "Persistent Memory", CM_E820_PMEM },
	{ "Persistent Memory (legacy)", CM_E820_PMEM },
	{ "Reserved", CM_E820_RESERVED },
	{ "reserved", CM_E820_RESERVED },
	{ "ACPI Tables", CM_E820_ACPI },
	{ "ACPI Non-volatile Storage", CM_E820_NVS },
	{ "Unusable memory", CM_E820_UNUSABLE },
};
const size_t nr_e820_iomem_spellings = sizeof(e820_iomem_spellings) / sizeof(e820_iomem_spellings[0]);
