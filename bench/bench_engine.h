/* SPDX-License-Identifier: MIT */
/* The engine benchmark (bench/bench_engine.c). */
#ifndef CONFMEM_BENCH_ENGINE_H
#define CONFMEM_BENCH_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Print the figures (--quick: smaller sizes); 0, or -1 with the reason in @error. */
int bench_engine(bool quick, char *error, size_t error_len);
/* The child of the 1 TiB RSS figure: simulate and touch @touched_gib; the exit status. */
int bench_rss_1tib_child(uint64_t touched_gib);

#endif /* CONFMEM_BENCH_ENGINE_H */
