/* SPDX-License-Identifier: MIT */
/*
 * How kernels print the e820 types of platform.h (names.c, beside
 * confmem's own names of every platform enum). The sources that read
 * kernel text match these; everything confmem prints uses
 * cm_e820_type_name().
 */
#ifndef CONFMEM_PLATFORM_NAMES_H
#define CONFMEM_PLATFORM_NAMES_H

#include <stddef.h>

#include "confmem/platform.h"

struct e820_spelling {
	const char *text;
	enum cm_e820_type type;
};

/*
 * The type words of "BIOS-e820:" boot log lines, matched case-insensitively
 * as whole words, in this order.
 */
extern const struct e820_spelling e820_boot_log_spellings[];
extern const size_t nr_e820_boot_log_spellings;

/* The names of top-level /proc/iomem entries, matched exactly. */
extern const struct e820_spelling e820_iomem_spellings[];
extern const size_t nr_e820_iomem_spellings;

#endif /* CONFMEM_PLATFORM_NAMES_H */
