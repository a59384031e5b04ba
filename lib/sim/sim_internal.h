/* SPDX-License-Identifier: MIT */
#ifndef CONFMEM_SIM_INTERNAL_H
#define CONFMEM_SIM_INTERNAL_H

#include <stdint.h>

#include "confmem/sim.h"

uint64_t sim_rand(uint64_t *state);
double sim_rand_unit(uint64_t *state);
uint64_t sim_zipf(uint64_t *state, uint64_t n, double s);

#endif
