// SPDX-License-Identifier: MIT
/*
 * The engine's big tables (frames, flags, virtual pages, swap slots). A
 * table reads as zero beyond what was written, so a zero entry can mean
 * "nothing here" and what is never written is never touched. From 2 MiB
 * a table is its own anonymous mapping, marked for transparent huge pages
 * (a random access misses the TLB as rarely as it misses the cache), and
 * grows with mremap(): nothing is copied, and pages never written stay
 * unbacked. Smaller tables are heap blocks whose new bytes are cleared.
 * A header before the entries says which kind a table is and its size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include "mm_internal.h"

#define TABLE_HUGE (2u << 20)

/* Before the entries, one cache line so that they stay aligned. */
struct table_header {
	size_t bytes;		/* the entries' bytes, as last asked for */
	size_t mapped;		/* bytes of the mapping, header included; 0 for a heap block */
	char pad[64 - 2 * sizeof(size_t)];
};

static struct table_header *header_of(void *table)
{
	return (struct table_header *)((char *)table - sizeof(struct table_header));
}

static size_t mapping_bytes(size_t bytes)
{
	return (bytes + sizeof(struct table_header) + 4095) & ~(size_t)4095;
}

static void *table_unmap_or_free(struct table_header *h)
{
	if (h->mapped)
		munmap(h, h->mapped);
	else
		free(h);
	return NULL;
}

/* A new mapping of @new_bytes, with the entries of @old (if any) moved into it. */
static void *table_map(struct table_header *old, size_t new_bytes)
{
	size_t mapped = mapping_bytes(new_bytes);
	struct table_header *h;

	if (old && old->mapped) {
		h = mremap(old, old->mapped, mapped, MREMAP_MAYMOVE);
	} else {
		h = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (h != MAP_FAILED && old) {
			memcpy(h + 1, old + 1, old->bytes < new_bytes ? old->bytes : new_bytes);
			free(old);
		}
	}
	if (h == MAP_FAILED)
		return NULL;
	madvise(h, mapped, MADV_HUGEPAGE);	/* a hint: without it the table works the same */
	h->bytes = new_bytes;
	h->mapped = mapped;
	return h + 1;
}

void *mm_table_resize(void *table, size_t new_bytes)
{
	struct table_header *old = table ? header_of(table) : NULL, *h;
	size_t old_bytes = old ? old->bytes : 0;

	if (new_bytes > SIZE_MAX - 2 * TABLE_HUGE)
		return NULL;
	if (new_bytes >= TABLE_HUGE)
		return table_map(old, new_bytes);
	if (old && old->mapped) {	/* a mapping that shrinks below 2 MiB becomes a heap block */
		h = malloc(sizeof(*h) + new_bytes);
		if (!h)
			return NULL;
		memcpy(h + 1, old + 1, new_bytes);
		table_unmap_or_free(old);
	} else {
		h = realloc(old, sizeof(*h) + new_bytes);
		if (!h)
			return NULL;
		if (new_bytes > old_bytes)
			memset((char *)(h + 1) + old_bytes, 0, new_bytes - old_bytes);
	}
	h->bytes = new_bytes;
	h->mapped = 0;
	return h + 1;
}

void mm_table_free(void *table)
{
	if (table)
		table_unmap_or_free(header_of(table));
}
