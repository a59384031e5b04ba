// SPDX-License-Identifier: MIT
#include <stdio.h>
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

size_t cm_names_join(const char *const *names, size_t nr_names, const char *separator, char *buf, size_t len)
{
	size_t need = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < nr_names; i++) {
		size_t at = need < len ? need : len;

		need += (size_t)snprintf(buf + at, len - at, "%s%s", i ? separator : "", names[i]);
	}
	return need;
}
