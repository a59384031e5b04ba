/* SPDX-License-Identifier: MIT */
/*
 * Name tables of enums. Every enum the tool prints has one table of
 * names beside its definition, indexed by value; text, JSON, knob parsing
 * and the docs all read that table through these helpers.
 */
#ifndef CONFMEM_NAMES_H
#define CONFMEM_NAMES_H

#include <stddef.h>

#define CM_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A table is declared with the enum's count as its size
 * (`static const char *const holes_names[CM_HOLES_NR]`), so a value added
 * without a name is a NULL slot, which the subsystem's unit test finds.
 */

/* The name of @value, or "unknown" for a value outside the table or without a name. */
const char *cm_name_of(const char *const *names, size_t nr_names, unsigned int value);
/* The value named @name, or -1. */
int cm_name_find(const char *const *names, size_t nr_names, const char *name);

#endif /* CONFMEM_NAMES_H */
