/* SPDX-License-Identifier: MIT */
/* The fleet benchmark (bench/bench_fleet.c). */
#ifndef CONFMEM_BENCH_FLEET_H
#define CONFMEM_BENCH_FLEET_H

#include <stddef.h>

/*
 * Plan @nr_logs generated boot logs in one process (-j 1, -j 2) and the
 * first @nr_per_log of them one process each; prints the figures. 0, or
 * -1 with the reason in @error.
 */
int bench_fleet(unsigned int nr_logs, unsigned int nr_per_log, char *error, size_t error_len);

#endif /* CONFMEM_BENCH_FLEET_H */
