// SPDX-License-Identifier: MIT
/* Medians of runs timed as thread CPU time (bench/bench_stats.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_stats.h"

double bench_thread_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bench_runs_add(struct bench_runs *r, double value)
{
	if (r->n < BENCH_MAX_RUNS)
		r->v[r->n++] = value;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bench_median(const struct bench_runs *r)
{
	double sorted[BENCH_MAX_RUNS];

	if (!r->n)
		return 0;
	memcpy(sorted, r->v, (size_t)r->n * sizeof(sorted[0]));
	qsort(sorted, (size_t)r->n, sizeof(sorted[0]), compare);
	return r->n % 2 ? sorted[r->n / 2] : (sorted[r->n / 2 - 1] + sorted[r->n / 2]) / 2;
}

double bench_min(const struct bench_runs *r)
{
	double m = r->n ? r->v[0] : 0;

	for (int i = 1; i < r->n; i++)
		m = r->v[i] < m ? r->v[i] : m;
	return m;
}

double bench_max(const struct bench_runs *r)
{
	double m = r->n ? r->v[0] : 0;

	for (int i = 1; i < r->n; i++)
		m = r->v[i] > m ? r->v[i] : m;
	return m;
}

void bench_print(const char *key, const char *format, const struct bench_runs *r, const char *note)
{
	char median[64], lo[64], hi[64];

	snprintf(median, sizeof(median), format, bench_median(r));
	snprintf(lo, sizeof(lo), format, bench_min(r));
	snprintf(hi, sizeof(hi), format, bench_max(r));
	printf("%s: %s (min %s, max %s%s%s)\n", key, median, lo, hi, note ? ", " : "", note ? note : "");
	fflush(stdout);
}
