// SPDX-License-Identifier: MIT
/*
 * Plan benchmark (SPEC 12): the largest preset and generated maps of n
 * ranges, each end to end (parse the platform JSON, plan, render the plan
 * as JSON, as `confmem plan --platform F --json` does) and plan alone,
 * medians of thread CPU time. The growth between sizes shows an O(n^2)
 * regression as a ratio near 100 instead of ~10-13.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_plan.h"
#include "bench_stats.h"
#include "confmem/report.h"
#include "confmem/tdx.h"

#define BENCH_NODES 8
#define RANGE_SIZE (64ULL << 20)
#define RANGE_STRIDE (128ULL << 20)

/*
 * n RAM ranges of 64 MiB every 128 MiB from 4 GiB, spread over 8 nodes,
 * all inside one CMR. The module limits are raised so the whole plan runs
 * (about n/8 TDMRs with 8 holes each, plus the PAMT blocks they hold).
 */
static struct cm_platform *generated_platform(size_t n)
{
	struct cm_platform *p = cm_platform_new();
	struct cm_error err;

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
	p->tdx.cmrs[0].end = CM_SZ_4G + (uint64_t)n * RANGE_STRIDE;
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

/* The plan rendered as `plan --json` renders it, into memory. */
static int render_plan(const struct cm_tdx_plan *plan, const struct cm_platform *p)
{
	struct cm_report_style style = { .json = CM_JSON_RAW };
	struct cm_report *r = cm_report_new();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret = -1;

	if (r && f) {
		cm_report_add_plan(cm_report_document(r), "plan", plan, p, CM_REPORT_PLAN_DETAIL);
		ret = cm_report_status(r) || cm_report_render(r, "json", &style, f) ? -1 : 0;
	}
	if (f)
		fclose(f);
	free(text);
	cm_report_free(r);
	return ret;
}

struct plan_figure {
	struct bench_runs end_to_end_ms, plan_ms;
	size_t nr_tdmrs;
	bool initialized;
};

/* @runs times: parse @json, plan, render (end to end), and the plan alone. */
static int measure(const char *json, int runs, struct plan_figure *fig)
{
	struct cm_tdx_options o;

	cm_tdx_options_default(&o);
	for (int i = 0; i < runs; i++) {
		struct cm_platform *p = NULL;
		struct cm_tdx_plan *plan = NULL;
		struct cm_error err;
		double t0 = bench_thread_seconds(), t1, t2;
		int ret = cm_platform_from_json_string(json, strlen(json), "bench", &p, &err);

		t1 = bench_thread_seconds();
		ret = ret ? ret : cm_tdx_plan_build(p, &o, &plan, &err);
		t2 = bench_thread_seconds();
		ret = ret ? ret : render_plan(plan, p);
		bench_runs_add(&fig->end_to_end_ms, (bench_thread_seconds() - t0) * 1e3);
		bench_runs_add(&fig->plan_ms, (t2 - t1) * 1e3);
		if (!ret) {
			fig->nr_tdmrs = plan->nr_tdmrs;
			fig->initialized = plan->result == CM_TDX_INITIALIZED;
		}
		cm_tdx_plan_free(plan);
		cm_platform_free(p);
		if (ret)
			return -1;
	}
	return 0;
}

static int measure_platform(struct cm_platform *p, int runs, struct plan_figure *fig)
{
	char *json = p ? cm_platform_to_json_string(p) : NULL;
	int ret = json ? measure(json, runs, fig) : -1;

	free(json);
	cm_platform_free(p);
	return ret;
}

static void print_figure(const char *name, const struct plan_figure *fig)
{
	char key[96];

	snprintf(key, sizeof(key), "plan_%s_end_to_end_ms", name);
	bench_print(key, "%.3f", &fig->end_to_end_ms, "parse + plan + JSON");
	snprintf(key, sizeof(key), "plan_%s_ms", name);
	bench_print(key, "%.3f", &fig->plan_ms, "plan alone");
	printf("plan_%s_nr_tdmrs: %zu\nplan_%s_initialized: %d\n", name, fig->nr_tdmrs, name, fig->initialized);
}

int bench_plans(bool quick, struct cli_progress *progress, char *error, size_t error_len)
{
	static const size_t sizes[] = { 1000, 10000, 100000, 1000000 };
	size_t nr_sizes = quick ? 3 : 4;
	struct plan_figure fig = { 0 }, prev = { 0 };
	struct cm_platform *p;
	struct cm_error err;

	cli_progress_step(progress, "plan_big", 0, (unsigned int)nr_sizes + 1);
	if (cm_platform_from_preset("big", &p, &err) || measure_platform(p, quick ? 9 : 9, &fig)) {
		snprintf(error, error_len, "plan: the big preset could not be planned");
		return -1;
	}
	cli_progress_done(progress);
	print_figure("big", &fig);
	for (size_t i = 0; i < nr_sizes; i++) {
		char name[32];

		snprintf(name, sizeof(name), "ranges_%zu", sizes[i]);
		cli_progress_step(progress, name, (unsigned int)i + 1, (unsigned int)nr_sizes + 1);
		memset(&fig, 0, sizeof(fig));
		if (measure_platform(generated_platform(sizes[i]), sizes[i] >= 100000 ? 3 : 5, &fig)) {
			snprintf(error, error_len, "plan: the generated map of %zu ranges could not be planned",
				 sizes[i]);
			return -1;
		}
		cli_progress_done(progress);
		print_figure(name, &fig);
		if (i > 0)
			printf("plan_growth_%zu_to_%zu: %.2f (n log n predicts %.1f, n^2 %.0f)\n", sizes[i - 1],
			       sizes[i], bench_median(&fig.plan_ms) / bench_median(&prev.plan_ms),
			       (double)sizes[i] * log((double)sizes[i]) /
				       ((double)sizes[i - 1] * log((double)sizes[i - 1])),
			       (double)sizes[i] * (double)sizes[i] / ((double)sizes[i - 1] * (double)sizes[i - 1]));
		prev = fig;
		fflush(stdout);
	}
	return 0;
}
