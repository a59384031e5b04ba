// SPDX-License-Identifier: MIT
/*
 * A vEPC user: a virtual machine given "size" of EPC, which it touches
 * whole. vEPC pages are never reclaimed; a fault with no EPC left and
 * nothing reclaimable is a SIGBUS.
 */
#include <errno.h>
#include <inttypes.h>

#include "scenario_internal.h"

static const char *const vepc_fields[] = {
	"name", "kind", "cgroup", "node", "start_ms", "run_ms", "size", NULL
};

static int vepc_read(struct scenario_reader *r, struct json_object *object, const char *path,
		     struct cm_scenario_actor *actor)
{
	return scenario_read_memory_size(r, object, "size", CM_JSON_REQUIRED, path, &actor->epc_bytes);
}

static int vepc_start(struct cm_sim *sim, struct cm_sim_actor *a, int memcg, int node, struct cm_error *err)
{
	const struct cm_scenario_actor *d = a->def;

	(void)node;
	if (!sim->epc)
		return cm_error_set(err, -EINVAL, "%s: actor %s: the platform has no EPC", sim->scenario->source,
				    d->name);
	a->outcome = CM_OUTCOME_RUNNING;
	a->started_ms = sim->now_ms;
	if (cm_epc_vepc_create(sim->epc, memcg, sim_pages_of(d->epc_bytes), &a->enclave))
		return cm_error_set(err, -ENOMEM, "out of memory");
	sim_trace(sim, "%s: vEPC of %" PRIu64 " pages in %s", d->name, sim_pages_of(d->epc_bytes), d->cgroup);
	return 0;
}

/* The VM touches all its EPC; -EBUSY faults are retried the next millisecond. */
static void vepc_step(struct cm_sim *sim, struct cm_sim_actor *a)
{
	if (cm_epc_vepc_fault(sim->epc, a->enclave, sim_actor_node(sim, a)) == -EFAULT)
		sim_actor_end(sim, a, CM_OUTCOME_FAILED, "SIGBUS: no EPC for the virtual machine and nothing "
			      "reclaimable (vEPC is never reclaimed)");
}

/* Nothing kills a vEPC under its user: it has no address space and is never reclaimed. */
static void vepc_reap(struct cm_sim *sim, struct cm_sim_actor *a)
{
	(void)sim;
	(void)a;
}

static void vepc_measure(struct cm_sim *sim, struct cm_sim_actor *a)
{
	a->resident_pages = cm_epc_vepc_pages(sim->epc, a->enclave);
}

/* What a vEPC held is not recorded when it ends: its resident_pages stay 0. */
static void vepc_release(struct cm_sim *sim, struct cm_sim_actor *a)
{
	if (a->enclave >= 0)
		cm_epc_vepc_release(sim->epc, a->enclave);
}

/* A vEPC has no address space of the page engine. */
static uint64_t vepc_mapped_pages(const struct cm_scenario_actor *d, const char **member)
{
	(void)d;
	*member = "size";
	return 0;
}

/* Its faults: at most the platform's EPC, whatever its size (vEPC is never reclaimed). */
static uint64_t vepc_page_events(const struct cm_scenario *sc, const struct cm_scenario_actor *d,
				 uint64_t active_ms)
{
	uint64_t epc_bytes = 0;

	(void)active_ms;
	for (unsigned int i = 0; i < sc->platform->sgx.nr_epc; i++)
		epc_bytes += sc->platform->sgx.epc[i].size;
	return sim_pages_of(d->epc_bytes < epc_bytes ? d->epc_bytes : epc_bytes);
}

const struct cm_actor_operations actor_vepc_operations = {
	.fields = vepc_fields,
	.read = vepc_read,
	.start = vepc_start,
	.step = vepc_step,
	.reap = vepc_reap,
	.measure = vepc_measure,
	.release = vepc_release,
	.mapped_pages = vepc_mapped_pages,
	.page_events = vepc_page_events,
};
