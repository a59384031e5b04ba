// SPDX-License-Identifier: MIT
/* Small shared helpers: the stable keyed-index order and name-table lookup. */
#include <string.h>

#include "confmem/util.h"

int cm_keyed_index_compare(const void *a, const void *b)
{
	const struct cm_keyed_index *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int cm_name_index(const char *const *names, size_t nr, const char *name)
{
	for (size_t i = 0; i < nr; i++)
		if (names[i] && !strcmp(name, names[i]))
			return (int)i;
	return -1;
}
