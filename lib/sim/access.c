// SPDX-License-Identifier: MIT
/*
 * Access patterns: a seeded generator and Zipf sampling by rejection
 * inversion (Hörmann and Derflinger), O(1) per sample for any skew > 0.
 */
#include <math.h>

#include "sim_internal.h"

uint64_t sim_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double sim_rand_unit(uint64_t *state)
{
	return (double)(sim_rand(state) >> 11) * (1.0 / 9007199254740992.0);
}

/* log1p(x) / x and expm1(x) / x, stable near 0. */
static double helper1(double x)
{
	return fabs(x) > 1e-8 ? log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
}

static double helper2(double x)
{
	return fabs(x) > 1e-8 ? expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x));
}

static double h_integral(double x, double s)
{
	double log_x = log(x);

	return helper2((1.0 - s) * log_x) * log_x;
}

static double h(double x, double s)
{
	return exp(-s * log(x));
}

static double h_integral_inverse(double x, double s)
{
	double t = x * (1.0 - s);

	if (t < -1.0)
		t = -1.0;
	return exp(helper1(t) * x);
}

/* A rank in [1, n] with P(k) proportional to k^-s. */
uint64_t sim_zipf(uint64_t *state, uint64_t n, double s)
{
	double x1 = h_integral(1.5, s) - 1.0, xn = h_integral((double)n + 0.5, s);
	double cut = 2.0 - h_integral_inverse(h_integral(2.5, s) - h(2.0, s), s);

	for (;;) {
		double u = xn + sim_rand_unit(state) * (x1 - xn);
		double x = h_integral_inverse(u, s);
		double kd = floor(x + 0.5);

		if (kd < 1.0)
			kd = 1.0;
		else if (kd > (double)n)
			kd = (double)n;
		if (kd - x <= cut || u >= h_integral(kd + 0.5, s) - h(kd, s))
			return (uint64_t)kd;
	}
}

uint64_t sim_next_page(struct cm_sim_actor *actor, uint64_t nr_pages)
{
	const struct cm_access *access = &actor->def->access;

	switch (access->pattern) {
	case CM_ACCESS_UNIFORM:
		return sim_rand(&actor->rng) % nr_pages;
	case CM_ACCESS_ZIPF:
		return sim_zipf(&actor->rng, nr_pages, access->zipf_skew) - 1;
	case CM_ACCESS_SEQUENTIAL:
		break;
	}
	return actor->cursor++ % nr_pages;
}
