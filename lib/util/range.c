// SPDX-License-Identifier: MIT
/* Sorted arrays of half-open address ranges (range.h). */
#include <stdlib.h>

#include "confmem/range.h"

bool cm_ranges_contain(const struct cm_range *ranges, unsigned int nr, uint64_t start, uint64_t end)
{
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t region_start = ranges[i].start, region_end = ranges[i].end;

		while (i + 1 < nr && ranges[i + 1].start == region_end)
			region_end = ranges[++i].end;
		if (start >= region_start && end <= region_end)
			return true;
		if (region_start > start)
			break;
	}
	return false;
}

static int compare_range_start(const void *a, const void *b)
{
	const struct cm_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

size_t cm_ranges_merge(struct cm_range *ranges, size_t nr)
{
	size_t out = 0;

	if (nr)
		qsort(ranges, nr, sizeof(*ranges), compare_range_start);
	for (size_t i = 0; i < nr; i++) {
		if (out && ranges[i].start <= ranges[out - 1].end) {
			if (ranges[i].end > ranges[out - 1].end)
				ranges[out - 1].end = ranges[i].end;
			continue;
		}
		ranges[out++] = ranges[i];
	}
	return out;
}

size_t cm_ranges_first_ending_above(const struct cm_range *ranges, size_t nr, uint64_t addr)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ranges[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
