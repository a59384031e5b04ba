/* SPDX-License-Identifier: MIT */
/*
 * Address ranges: half-open [start, end) in bytes, and the helpers that
 * work on sorted arrays of them.
 */
#ifndef CONFMEM_RANGE_H
#define CONFMEM_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cm_range {
	uint64_t start;
	uint64_t end;
};

static inline uint64_t cm_range_size(const struct cm_range *r) { return r->end - r->start; }

/*
 * Is [start, end) inside one region of @ranges (sorted by start), where
 * ranges whose start equals the previous end form one region?
 */
bool cm_ranges_contain(const struct cm_range *ranges, unsigned int nr, uint64_t start, uint64_t end);

/* Sort @ranges by start and merge those that overlap or touch, in place; returns the new count. */
size_t cm_ranges_merge(struct cm_range *ranges, size_t nr);

/* The first of @nr sorted, disjoint ranges that ends above @addr (@nr if none). */
size_t cm_ranges_first_ending_above(const struct cm_range *ranges, size_t nr, uint64_t addr);

#endif /* CONFMEM_RANGE_H */
