// SPDX-License-Identifier: MIT
/*
 * The kinds of actor: one row per enum cm_actor_kind, with the name
 * scenarios give it ("kind": "enclave") and what it does (its
 * operations, in lib/sim/actor_KIND.c). A kind without operations is
 * refused as "not simulated yet".
 */
#include <errno.h>
#include <string.h>

#include "scenario_internal.h"

extern const struct cm_actor_operations actor_process_operations;
extern const struct cm_actor_operations actor_enclave_operations;
extern const struct cm_actor_operations actor_vepc_operations;
extern const struct cm_actor_operations actor_td_operations;

static const struct actor_kind actor_kinds[] = {
	[CM_ACTOR_PROCESS] = { "process", "a process", &actor_process_operations },
	[CM_ACTOR_ENCLAVE] = { "enclave", "an enclave", &actor_enclave_operations },
	[CM_ACTOR_VEPC] = { "vepc", "a vEPC user", &actor_vepc_operations },
	[CM_ACTOR_TD] = { "td", "a TD guest", &actor_td_operations },
};
_Static_assert(ARRAY_SIZE(actor_kinds) == CM_NR_ACTOR_KINDS, "a row for every actor kind");

const struct actor_kind *actor_kind(enum cm_actor_kind kind)
{
	return (unsigned int)kind < CM_NR_ACTOR_KINDS ? &actor_kinds[kind] : NULL;
}

const char *cm_actor_kind_name(enum cm_actor_kind kind)
{
	return (unsigned int)kind < CM_NR_ACTOR_KINDS ? actor_kinds[kind].name : "unknown";
}

int cm_actor_kind_from_name(const char *name)
{
	for (int kind = 0; kind < CM_NR_ACTOR_KINDS; kind++)
		if (!strcmp(actor_kinds[kind].name, name))
			return kind;
	return -EINVAL;
}
