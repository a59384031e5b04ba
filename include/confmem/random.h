/* SPDX-License-Identifier: MIT */
/*
 * The simulator's random numbers: a seeded generator (splitmix64) and
 * Zipf sampling by rejection inversion (Hörmann and Derflinger), O(1) per
 * sample for any skew > 0. A sampler's constants for its (n, skew) are
 * computed once, by cm_zipf_init(), not at every sample.
 */
#ifndef CONFMEM_RANDOM_H
#define CONFMEM_RANDOM_H

#include <stdint.h>

uint64_t cm_rand(uint64_t *state);
/* A double in [0, 1), from the top 53 bits of cm_rand(). */
double cm_rand_unit(uint64_t *state);

struct cm_zipf {
	uint64_t n;
	double skew;
	double x1, xn, cut;	/* H(1.5) - 1, H(n + 0.5), and the acceptance cut */
};

/* A sampler of ranks in [1, @n] with P(k) proportional to k^-@skew; @n >= 1, @skew > 0. */
void cm_zipf_init(struct cm_zipf *z, uint64_t n, double skew);
uint64_t cm_zipf_next(const struct cm_zipf *z, uint64_t *state);

#endif /* CONFMEM_RANDOM_H */
