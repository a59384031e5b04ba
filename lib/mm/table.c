// SPDX-License-Identifier: MIT
/*
 * The engine's big tables (frames, flags, virtual pages, swap slots): a
 * table of 2 MiB or more sits on 2 MiB boundaries and is marked for
 * transparent huge pages, so a random access misses the TLB as rarely as
 * it misses the cache. Smaller tables are plain heap blocks. Either kind
 * is released with free().
 */
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include "mm_internal.h"

#define TABLE_HUGE (2u << 20)

void *mm_table_resize(void *old, size_t old_bytes, size_t new_bytes)
{
	size_t rounded = (new_bytes + TABLE_HUGE - 1) & ~(size_t)(TABLE_HUGE - 1);
	void *t;

	if (new_bytes < TABLE_HUGE)
		return realloc(old, new_bytes ? new_bytes : 1);
	if (rounded < new_bytes)
		return NULL;
	t = aligned_alloc(TABLE_HUGE, rounded);
	if (!t)
		return NULL;
	madvise(t, rounded, MADV_HUGEPAGE);	/* a hint: without it the table works the same */
	if (old)
		memcpy(t, old, old_bytes < new_bytes ? old_bytes : new_bytes);
	free(old);
	return t;
}
