/* SPDX-License-Identifier: MIT */
/* The epc benchmark (bench/bench_epc.c). */
#ifndef CONFMEM_BENCH_EPC_H
#define CONFMEM_BENCH_EPC_H

#include <stdbool.h>
#include <stddef.h>

/* Print the figures (--quick: smaller sizes); 0, or -1 with the reason in @error. */
int bench_epc(bool quick, char *error, size_t error_len);

#endif /* CONFMEM_BENCH_EPC_H */
