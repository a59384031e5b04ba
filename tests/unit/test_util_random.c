// SPDX-License-Identifier: MIT
/*
 * random.h: splitmix64 against its reference outputs, and the Zipf
 * sampler against the exact distribution it draws from.
 */
#include <math.h>

#include "helpers.h"

#include "confmem/random.h"

static void test_rand_is_splitmix64(void **state)
{
	uint64_t s = 0;

	(void)state;
	/* The reference implementation's first outputs from a zero seed. */
	assert_true(cm_rand(&s) == 0xe220a8397b1dcdafULL);
	assert_true(cm_rand(&s) == 0x6e789e6aa1b965f4ULL);
	assert_true(cm_rand(&s) == 0x06c45d188009454fULL);
}

static void test_rand_unit_is_in_zero_one(void **state)
{
	uint64_t s = 42;
	double lo = 1, hi = 0;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		double u = cm_rand_unit(&s);

		assert_true(u >= 0 && u < 1);
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
	}
	assert_true(lo < 0.001 && hi > 0.999);
}

static void test_zipf_ranks_stay_in_range(void **state)
{
	static const double skews[] = { 0.01, 0.5, 0.99, 1.0, 1.01, 2.0, 10.0 };
	struct cm_zipf z;
	uint64_t s = 7;

	(void)state;
	cm_zipf_init(&z, 1, 0.99);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(cm_zipf_next(&z, &s), 1);
	for (size_t k = 0; k < sizeof(skews) / sizeof(skews[0]); k++) {
		uint64_t seen_last = 0;

		cm_zipf_init(&z, 3, skews[k]);
		for (int i = 0; i < 20000; i++) {
			uint64_t r = cm_zipf_next(&z, &s);

			assert_true(r >= 1 && r <= 3);
			seen_last += r == 3;
		}
		/* P(3) is 3^-s over 1 + 2^-s + 3^-s: about 1/3 at s near 0, 1e-5 at s = 10. */
		if (skews[k] < 2)
			assert_true(seen_last > 0);
	}
}

/* Observed frequencies of the first ranks against k^-s / sum(j^-s). */
static void check_distribution(uint64_t n, double skew)
{
	enum { SAMPLES = 1000000, RANKS = 8 };
	uint64_t counts[RANKS + 1] = { 0 }, s = 99;
	double norm = 0;
	struct cm_zipf z;

	for (uint64_t k = 1; k <= n; k++)
		norm += pow((double)k, -skew);
	cm_zipf_init(&z, n, skew);
	for (int i = 0; i < SAMPLES; i++) {
		uint64_t r = cm_zipf_next(&z, &s);

		assert_true(r >= 1 && r <= n);
		if (r <= RANKS)
			counts[r]++;
	}
	for (int k = 1; k <= RANKS; k++) {
		double expected = SAMPLES * pow((double)k, -skew) / norm;
		double sigma = sqrt(expected);

		if (fabs((double)counts[k] - expected) > 5 * sigma + 1)
			fail_msg("n %lu skew %.2f rank %d: %lu drawn, %.0f expected", (unsigned long)n, skew, k,
				 (unsigned long)counts[k], expected);
	}
}

static void test_zipf_follows_the_distribution(void **state)
{
	(void)state;
	check_distribution(1000, 0.99);
	check_distribution(1000, 1.0);
	check_distribution(100000, 0.5);
	check_distribution(50, 2.0);
}

static void test_zipf_is_deterministic_for_a_seed(void **state)
{
	struct cm_zipf a, b;
	uint64_t sa = 5, sb = 5;

	(void)state;
	cm_zipf_init(&a, 1 << 20, 0.99);
	cm_zipf_init(&b, 1 << 20, 0.99);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(cm_zipf_next(&a, &sa), cm_zipf_next(&b, &sb));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rand_is_splitmix64),
		cmocka_unit_test(test_rand_unit_is_in_zero_one),
		cmocka_unit_test(test_zipf_ranks_stay_in_range),
		cmocka_unit_test(test_zipf_follows_the_distribution),
		cmocka_unit_test(test_zipf_is_deterministic_for_a_seed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
