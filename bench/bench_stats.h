/* SPDX-License-Identifier: MIT */
/*
 * What every benchmark figure is made of: several runs timed as CPU time
 * of the measuring thread (the machine is shared), printed as the median
 * with the minimum and maximum.
 */
#ifndef CONFMEM_BENCH_STATS_H
#define CONFMEM_BENCH_STATS_H

#include <stddef.h>

#define BENCH_MAX_RUNS 9

struct bench_runs {
	double v[BENCH_MAX_RUNS];
	int n;
};

/* CPU seconds this thread has used. */
double bench_thread_seconds(void);
void bench_runs_add(struct bench_runs *r, double value);
double bench_median(const struct bench_runs *r);
double bench_min(const struct bench_runs *r);
double bench_max(const struct bench_runs *r);
/* "KEY: MEDIAN (min MIN, max MAX[, NOTE])" with @format for the three numbers. */
void bench_print(const char *key, const char *format, const struct bench_runs *r, const char *note);

#endif /* CONFMEM_BENCH_STATS_H */
