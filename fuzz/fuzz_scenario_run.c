// SPDX-License-Identifier: MIT
/*
 * Fuzz target for the scenario reader and the simulation (SPEC 6, 10,
 * 13): any input either fails to load with a one-line message, or loads
 * and, when it is tiny, runs with --check. A run either finishes or fails
 * with a one-line message; -EUCLEAN (a broken invariant) is a finding.
 *
 * Tiny: a work budget of FUZZ_MAX_EVENTS page events, platforms of at
 * most FUZZ_MEMORY_MAX bytes (boot RAM and hot-plug windows: the engine's
 * frame array is 16 bytes per page of them) and actors that map at most
 * FUZZ_MAPPED_MAX bytes together, so that every input runs in
 * milliseconds. Relative platform files resolve against a directory that
 * does not exist.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/scenario.h"
#include "confmem/sim.h"

#define FUZZ_MAX_EVENTS 20000
#define FUZZ_MEMORY_MAX (64ULL << 30)
#define FUZZ_MAPPED_MAX (1ULL << 30)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(int ret, const struct cm_error *err)
{
	if (ret >= 0 || err->code != ret || !err->msg[0] || strchr(err->msg, '\n'))
		abort();
}

/* Adds @bytes to @*total; false once it is over @limit. */
static bool add_within(uint64_t *total, uint64_t bytes, uint64_t limit)
{
	if (bytes > limit || *total > limit - bytes)
		return false;
	*total += bytes;
	return true;
}

static bool is_tiny(const struct cm_scenario *s)
{
	const struct cm_platform *p = s->platform;
	uint64_t memory = 0, mapped = 0;

	if (s->config.swap_bytes > FUZZ_MEMORY_MAX)
		return false;
	for (size_t i = 0; i < p->nr_nodes; i++)
		for (size_t j = 0; j < p->nodes[i].nr_memory; j++)
			if (!add_within(&memory, cm_range_size(&p->nodes[i].memory[j]), FUZZ_MEMORY_MAX))
				return false;
	for (size_t i = 0; i < p->nr_hotplug; i++)
		if (!add_within(&memory, p->hotplug[i].size, FUZZ_MEMORY_MAX))
			return false;
	for (unsigned int i = 0; i < p->sgx.nr_epc; i++)
		if (!add_within(&memory, p->sgx.epc[i].size, FUZZ_MEMORY_MAX))
			return false;
	for (size_t i = 0; i < s->nr_events; i++)
		if (s->events[i].kind == CM_EVENT_HOTADD &&
		    !add_within(&memory, s->events[i].hotplug.size, FUZZ_MEMORY_MAX))
			return false;
	for (size_t i = 0; i < s->nr_actors; i++) {
		const struct cm_scenario_actor *a = &s->actors[i];

		if (!add_within(&mapped, a->anon_bytes, FUZZ_MAPPED_MAX) ||
		    !add_within(&mapped, a->file_bytes, FUZZ_MAPPED_MAX) ||
		    !add_within(&mapped, a->enclave_size, FUZZ_MAPPED_MAX) ||
		    !add_within(&mapped, a->private_bytes, FUZZ_MAPPED_MAX) ||
		    !add_within(&mapped, a->shared_bytes, FUZZ_MAPPED_MAX))
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_sim_options o = { .check = true, .max_events = FUZZ_MAX_EVENTS };
	struct cm_scenario *s = NULL;
	struct cm_sim *sim = NULL;
	struct cm_error err = { 0 };
	int ret = cm_scenario_from_json_string((const char *)data, size, "fuzz", "/nonexistent", &s, &err);

	if (ret) {
		check_error(ret, &err);
		return 0;
	}
	if (is_tiny(s)) {
		ret = cm_sim_run(s, &o, &sim, &err);
		if (ret == -EUCLEAN || (ret && sim))
			abort();
		if (ret)
			check_error(ret, &err);
		else if (cm_sim_estimate_events(s) > FUZZ_MAX_EVENTS)
			abort();
		cm_sim_free(sim);
	}
	cm_scenario_free(s);
	return 0;
}
