// SPDX-License-Identifier: MIT
#include <string.h>

#include "confmem/names.h"

const char *cm_name_of(const char *const *names, size_t nr_names, unsigned int value)
{
	if (value >= nr_names || !names[value])
		return "unknown";
	return names[value];
}

int cm_name_find(const char *const *names, size_t nr_names, const char *name)
{
	for (size_t i = 0; i < nr_names; i++)
		if (names[i] && !strcmp(names[i], name))
			return (int)i;
	return -1;
}
