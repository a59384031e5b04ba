/* SPDX-License-Identifier: MIT */
/* The plan benchmark (bench/bench_plan.c). */
#ifndef CONFMEM_BENCH_PLAN_H
#define CONFMEM_BENCH_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

/* The big preset and generated maps, end to end and plan alone; 0, or -1 with the reason in @error. */
int bench_plans(bool quick, struct cli_progress *progress, char *error, size_t error_len);

#endif /* CONFMEM_BENCH_PLAN_H */
