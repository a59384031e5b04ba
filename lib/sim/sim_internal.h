/* SPDX-License-Identifier: MIT */
#ifndef CONFMEM_SIM_INTERNAL_H
#define CONFMEM_SIM_INTERNAL_H

#include <stdint.h>

#include "confmem/sim.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* A row of the table of actor kinds (actor_kinds.c). */
struct actor_kind {
	const char *name;		/* as scenarios spell it: "enclave" */
	const char *article;		/* "an enclave", for "not for an enclave" */
};

/* The row of @kind; NULL when @kind is none of enum cm_actor_kind. */
const struct actor_kind *actor_kind(enum cm_actor_kind kind);

uint64_t sim_rand(uint64_t *state);
double sim_rand_unit(uint64_t *state);
uint64_t sim_zipf(uint64_t *state, uint64_t n, double s);

#endif
