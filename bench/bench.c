// SPDX-License-Identifier: MIT
/*
 * confmem bench: figures for this machine, as "key: value" lines.
 * The plan benchmark times the whole TDX plan (memory list, TDMRs, PAMT
 * placement, reserved areas, module checks) on the largest preset and on
 * generated maps of n ranges, and prints the growth between sizes so an
 * O(n^2) regression shows as a ratio near 100 instead of ~10-13.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"
#include "confmem/tdx.h"

#define BENCH_NODES 8
#define RANGE_SIZE (64ULL << 20)
#define RANGE_STRIDE (128ULL << 20)

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * n RAM ranges of 64 MiB every 128 MiB from 4 GiB, spread over 8 nodes,
 * all inside one CMR. The module limits are raised so the whole plan runs
 * (about n/8 TDMRs with 8 holes each, plus the PAMT blocks they hold).
 */
static struct cm_platform *generated_platform(size_t n)
{
	struct cm_platform *p = cm_platform_new();
	struct cm_error err;
	uint64_t end = CM_SZ_4G + (uint64_t)n * RANGE_STRIDE;

	if (!p)
		return NULL;
	snprintf(p->name, sizeof(p->name), "generated-%zu", n);
	for (int i = 0; i < BENCH_NODES; i++) {
		struct cm_node *node = cm_platform_add_node(p, i, CM_NODE_DRAM);

		if (!node)
			goto fail;
		cm_bitmap_set(&node->cpus, (unsigned int)i);
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t start = CM_SZ_4G + (uint64_t)i * RANGE_STRIDE;

		if (cm_node_add_memory(&p->nodes[i * BENCH_NODES / n], start, start + RANGE_SIZE))
			goto fail;
	}
	p->tdx.enabled = true;
	p->tdx.cmrs[0].start = CM_SZ_4G;
	p->tdx.cmrs[0].end = end;
	p->tdx.nr_cmrs = 1;
	p->tdx.max_tdmrs = 1U << 20;
	p->tdx.max_reserved_per_tdmr = 1024;
	if (cm_platform_finalize(p, "bench", &err))
		goto fail;
	return p;
fail:
	cm_platform_free(p);
	return NULL;
}

/* Best of @reps runs of the whole plan, in ms; the last plan's TDMR count and outcome go to nr_tdmrs and ok. */
static double time_plan(const struct cm_platform *p, int reps, size_t *nr_tdmrs, bool *ok)
{
	struct cm_tdx_options o;
	double best = 1e300;

	cm_tdx_options_default(&o);
	for (int r = 0; r < reps; r++) {
		struct cm_tdx_plan *plan;
		struct cm_error err;
		double t0 = now_ms(), dt;

		if (cm_tdx_plan_build(p, &o, &plan, &err))
			return -1;
		dt = now_ms() - t0;
		best = dt < best ? dt : best;
		*nr_tdmrs = plan->nr_tdmrs;
		*ok = plan->result == CM_TDX_INITIALIZED;
		cm_tdx_plan_free(plan);
	}
	return best;
}

int cmd_bench(struct cli *c)
{
	static const size_t sizes[] = { 1000, 10000, 100000, 1000000 };
	size_t nr_sizes = c->quick ? 3 : 4;
	double prev_ms = 0;
	struct cm_platform *p;
	struct cm_error err;
	size_t nr_tdmrs;
	bool ok;
	double ms;

	if (cm_platform_from_preset("big", &p, &err))
		return cli_bad_input("%s", err.msg);
	ms = time_plan(p, c->quick ? 20 : 200, &nr_tdmrs, &ok);
	cm_platform_free(p);
	printf("plan_big_ms: %.3f\n", ms);
	printf("plan_big_nr_tdmrs: %zu\n", nr_tdmrs);
	for (size_t i = 0; i < nr_sizes; i++) {
		size_t n = sizes[i];

		p = generated_platform(n);
		if (!p)
			return cli_bad_input("bench: cannot build the generated platform of %zu ranges", n);
		ms = time_plan(p, n >= 100000 ? 3 : 10, &nr_tdmrs, &ok);
		cm_platform_free(p);
		if (ms < 0)
			return cli_bad_input("bench: out of memory");
		printf("plan_ranges_%zu_ms: %.3f\n", n, ms);
		printf("plan_ranges_%zu_nr_tdmrs: %zu\n", n, nr_tdmrs);
		printf("plan_ranges_%zu_initialized: %d\n", n, ok);
		if (i > 0)
			printf("plan_growth_%zu_to_%zu: %.2f (n log n predicts %.1f, n^2 %.0f)\n", sizes[i - 1], n,
			       ms / prev_ms, (double)n * log((double)n) / ((double)sizes[i - 1] * log((double)sizes[i - 1])),
			       (double)n * (double)n / ((double)sizes[i - 1] * (double)sizes[i - 1]));
		prev_ms = ms;
		fflush(stdout);
	}
	return EXIT_OK;
}
