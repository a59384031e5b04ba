// SPDX-License-Identifier: MIT
/*
 * Fuzz target for the scenario reader (SPEC 13). Any input either loads
 * or fails with a one-line message and no scenario. Relative platform
 * files resolve against a directory that does not exist, so only presets
 * and inline platforms load.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_refusal(int ret, const struct cm_scenario *s, const struct cm_error *err)
{
	if (ret >= 0 || s || err->code != ret || !err->msg[0] || strchr(err->msg, '\n'))
		abort();
}

/* What the engine relies on: sorted events, parents before children, rounded sizes. */
static void check_loaded(const struct cm_scenario *s)
{
	if (!s->platform || s->duration_ms == 0)
		abort();
	for (size_t i = 1; i < s->nr_events; i++)
		if (s->events[i - 1].at_ms > s->events[i].at_ms)
			abort();
	for (size_t i = 0; i < s->nr_events; i++)
		if (s->events[i].at_ms > s->duration_ms)
			abort();
	for (size_t i = 0; i < s->nr_actors; i++) {
		const struct cm_scenario_actor *a = &s->actors[i];

		if (a->anon_bytes % 4096 || a->file_bytes % 4096 || a->heap_bytes % 4096 || a->epc_bytes % 4096)
			abort();
		switch (a->kind) {
		case CM_ACTOR_PROCESS:
			if (!a->anon_bytes && !a->file_bytes)
				abort();
			break;
		case CM_ACTOR_ENCLAVE:
			if (!a->heap_bytes || a->ssa_frame_pages < 1 || a->ssa_frame_pages > 16 ||
			    a->enclave_size < 8192 || (a->enclave_size & (a->enclave_size - 1)) ||
			    a->heap_bytes + (1 + a->ssa_frame_pages) * 4096ULL > a->enclave_size)
				abort();
			break;
		case CM_ACTOR_VEPC:
			if (!a->epc_bytes)
				abort();
			break;
		case CM_ACTOR_TD:
			if (!a->private_bytes || a->private_bytes % 4096 || a->shared_bytes % 4096 ||
			    a->nr_conversions > CM_TD_MAX_CONVERSIONS ||
			    (a->backing == CM_TD_BACKING_DEVDAX) != (a->devdax_node >= 0))
				abort();
			for (size_t c = 0; c < a->nr_conversions; c++)
				if (a->conversions[c].bytes % 4096 || a->conversions[c].at_ms > s->duration_ms ||
				    (c && a->conversions[c].at_ms < a->conversions[c - 1].at_ms))
					abort();
			break;
		}
		if (a->start_ms != UINT64_MAX && a->start_ms > s->duration_ms)
			abort();
	}
	for (size_t i = 0; i < s->nr_cgroups; i++) {
		const char *path = s->cgroups[i].path, *slash = strrchr(path, '/');
		size_t parent_len = (size_t)(slash - path);
		bool found = parent_len == 0;

		for (size_t j = 0; j < i && !found; j++)
			found = strlen(s->cgroups[j].path) == parent_len &&
				!strncmp(s->cgroups[j].path, path, parent_len);
		if (!found)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_scenario *s = NULL;
	struct cm_error err = { 0 };
	int ret = cm_scenario_from_json_string((const char *)data, size, "fuzz", "/nonexistent", &s, &err);

	if (ret) {
		check_refusal(ret, s, &err);
		return 0;
	}
	check_loaded(s);
	cm_scenario_free(s);
	return 0;
}
