// SPDX-License-Identifier: MIT
/* The stable keyed-index order. */
#include <string.h>

#include "confmem/util.h"

int cm_keyed_index_compare(const void *a, const void *b)
{
	const struct cm_keyed_index *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}
