// SPDX-License-Identifier: MIT
/*
 * Random numbers (random.h): splitmix64, and Zipf sampling by rejection
 * inversion (W. Hörmann, G. Derflinger, "Rejection-inversion to generate
 * variates from monotone discrete distributions", 1996).
 */
#include <math.h>

#include "confmem/random.h"

uint64_t cm_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double cm_rand_unit(uint64_t *state)
{
	return (double)(cm_rand(state) >> 11) * (1.0 / 9007199254740992.0);
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

void cm_zipf_init(struct cm_zipf *z, uint64_t n, double skew)
{
	z->n = n;
	z->skew = skew;
	z->x1 = h_integral(1.5, skew) - 1.0;
	z->xn = h_integral((double)n + 0.5, skew);
	z->cut = 2.0 - h_integral_inverse(h_integral(2.5, skew) - h(2.0, skew), skew);
}

uint64_t cm_zipf_next(const struct cm_zipf *z, uint64_t *state)
{
	for (;;) {
		double u = z->xn + cm_rand_unit(state) * (z->x1 - z->xn);
		double x = h_integral_inverse(u, z->skew);
		double kd = floor(x + 0.5);

		if (kd < 1.0)
			kd = 1.0;
		else if (kd > (double)z->n)
			kd = (double)z->n;
		if (kd - x <= z->cut || u >= h_integral(kd + 0.5, z->skew) - h(kd, z->skew))
			return (uint64_t)kd;
	}
}
