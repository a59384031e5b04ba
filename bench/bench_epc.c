// SPDX-License-Identifier: MIT
/*
 * EPC benchmark (SPEC 12) through the engine's own EPC and misc-cgroup
 * code: N misc cgroups each hold an enclave of 1024 resident pages; the
 * first cgroup's limit is half its enclave, so cycling through its pages
 * reclaims (EWB) and reloads (ELDU) within that cgroup on every fault.
 * The figure is the CPU time per page written back, at 1, 10 and 100
 * cgroups, beside the same enclave alone in the root cgroup with the EPC
 * itself half its size short (one global LRU, no other pages): the cost of
 * a cgroup's reclaim must not grow with the other cgroups' pages.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_epc.h"
#include "bench_stats.h"
#include "confmem/epc.h"
#include "confmem/mm.h"

#define ENCLAVE_PAGES 1024
#define EPC_RUNS 5

/* One node of 1 GiB RAM (the enclaves' backing) and an EPC section of @epc_pages. */
static struct cm_platform *epc_platform(uint64_t epc_pages)
{
	struct cm_platform *p = cm_platform_new();
	struct cm_epc_section s = { .start = 2 * CM_SZ_4G, .size = epc_pages * CM_PAGE_SIZE, .node = 0 };
	struct cm_error err;

	if (!p || !cm_platform_add_node(p, 0, CM_NODE_DRAM))
		goto fail;
	cm_bitmap_set(&p->nodes[0].cpus, 0);
	if (cm_node_add_memory(&p->nodes[0], CM_SZ_4G, CM_SZ_4G + CM_SZ_1G) || cm_platform_add_epc(p, &s) ||
	    cm_platform_finalize(p, "bench", &err))
		goto fail;
	return p;
fail:
	cm_platform_free(p);
	return NULL;
}

struct epc_run {
	struct cm_platform *p;
	struct cm_mm *mm;
	struct cm_epc *epc;
	int enclave0;
};

/* An enclave of ENCLAVE_PAGES in @cgroup, built and initialised. */
static int build_enclave(struct epc_run *e, int cgroup)
{
	struct cm_mempolicy local = { CM_MPOL_DEFAULT, 0 };
	int space = cm_mm_space_new(e->mm, ENCLAVE_PAGES + 64, 0, cgroup, &local, 0);
	int enclave = space < 0 ? space : cm_epc_enclave_create(e->epc, cgroup, 0, ENCLAVE_PAGES, space);

	for (int i = 0; enclave >= 0 && i < ENCLAVE_PAGES; i++)
		if (cm_epc_enclave_add_page(e->epc, enclave))
			return -1;
	if (enclave >= 0)
		cm_epc_enclave_init(e->epc, enclave);
	return enclave;
}

/*
 * @nr_cgroups cgroups with an enclave each, the first limited to half of
 * it; or (@global) the first enclave alone in the root, on an EPC half its
 * size short.
 */
static int epc_open(unsigned int nr_cgroups, bool global, struct epc_run *e)
{
	uint64_t epc_pages = global ? ENCLAVE_PAGES / 2 + 64 : (uint64_t)nr_cgroups * (ENCLAVE_PAGES + 64) + 1024;
	struct cm_config config;
	struct cm_error err;

	e->p = epc_platform(epc_pages);
	cm_config_default(&config);
	if (!e->p || cm_mm_new(e->p, &config, &e->mm, &err) || cm_epc_new(e->p, e->mm, &config, &e->epc, &err))
		return -1;
	for (unsigned int c = 0; c < nr_cgroups; c++) {
		char path[32];
		int cgroup = 0, enclave;

		if (!global) {
			snprintf(path, sizeof(path), "/bench%u", c);
			cgroup = cm_mm_memcg_create(e->mm, path, 0);
			if (cgroup < 0)
				return -1;
			if (c == 0)
				cm_epc_cgroup_set_max(e->epc, cgroup, ENCLAVE_PAGES / 2);
		}
		enclave = build_enclave(e, cgroup);
		if (enclave < 0)
			return -1;
		if (c == 0)
			e->enclave0 = enclave;
	}
	return 0;
}

static void epc_close(struct epc_run *e)
{
	cm_epc_free(e->epc);
	cm_mm_free(e->mm);
	cm_platform_free(e->p);
}

/* CPU seconds per page written back while cycling @rounds times through enclave 0. */
static double cycle(struct epc_run *e, unsigned int rounds)
{
	uint64_t ewb = cm_epc_counter_total(e->epc, CM_SGX_EWB);
	double t0 = bench_thread_seconds();

	for (unsigned int r = 0; r < rounds; r++) {
		for (uint64_t page = 0; page < ENCLAVE_PAGES; page++) {
			int ret;

			while ((ret = cm_epc_enclave_touch(e->epc, e->enclave0, page)) == -EBUSY)
				cm_epc_run_background(e->epc);
			if (ret)
				return -1;
		}
	}
	ewb = cm_epc_counter_total(e->epc, CM_SGX_EWB) - ewb;
	return ewb ? (bench_thread_seconds() - t0) / (double)ewb : -1;
}

static int measure(unsigned int nr_cgroups, bool global, unsigned int rounds, struct bench_runs *ns_per_page)
{
	struct epc_run e = { 0 };
	int ret = epc_open(nr_cgroups, global, &e);

	for (int run = 0; run < EPC_RUNS && !ret; run++) {
		double s = cycle(&e, rounds);

		if (s < 0 || cm_epc_check(e.epc, &(struct cm_error){ 0 }))
			ret = -1;
		bench_runs_add(ns_per_page, s * 1e9);
	}
	epc_close(&e);
	return ret;
}

int bench_epc(bool quick, char *error, size_t error_len)
{
	static const unsigned int cgroups[] = { 1, 10, 100 };
	unsigned int rounds = quick ? 4 : 20;
	struct bench_runs global = { 0 };

	if (measure(1, true, rounds, &global)) {
		snprintf(error, error_len, "epc: the global-LRU run failed");
		return -1;
	}
	bench_print("epc_reclaim_ns_per_page_global_lru", "%.0f", &global, "one enclave, EPC half its size short");
	for (size_t i = 0; i < sizeof(cgroups) / sizeof(cgroups[0]); i++) {
		struct bench_runs per = { 0 };
		char key[64], note[96];

		if (measure(cgroups[i], false, rounds, &per)) {
			snprintf(error, error_len, "epc: the run with %u cgroups failed", cgroups[i]);
			return -1;
		}
		snprintf(key, sizeof(key), "epc_reclaim_ns_per_page_%ucg", cgroups[i]);
		snprintf(note, sizeof(note), "%u other cgroups' %u pages resident", cgroups[i] - 1,
			 (cgroups[i] - 1) * ENCLAVE_PAGES);
		bench_print(key, "%.0f", &per, note);
		printf("epc_reclaim_speedup_%ucg: %.2f (global LRU cost over this one's; 1 or more: no growth with "
		       "other cgroups)\n", cgroups[i], bench_median(&global) / bench_median(&per));
		fflush(stdout);
	}
	return 0;
}
