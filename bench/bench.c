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

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_fleet.h"
#include "cli.h"
#include "confmem/epc.h"
#include "confmem/mm.h"
#include "confmem/tdx.h"

struct bench_cmd {
	struct cli cli;
	bool quick;
	bool quiet;
};
CLI_ARGS_CHECK(struct bench_cmd);

const struct cli_option bench_options[] = {
	CLI_VERBOSE_OPTION_UNLISTED,
	OPT_GROUP(""),
	OPT_BOOLEAN(0, "quick", struct bench_cmd, quick, "smaller sizes, under 30 seconds"),
	OPT_BOOLEAN(0, "quiet", struct bench_cmd, quiet, CLI_QUIET_HELP),
	OPT_END(),
};

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

	*nr_tdmrs = 0;
	*ok = false;
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

/* A platform of one DRAM node with CPUs and one CXL node, sizes in MiB. */
static struct cm_platform *two_tier_platform(uint64_t dram_mib, uint64_t cxl_mib)
{
	struct cm_platform *p = cm_platform_new();
	struct cm_node *n;
	struct cm_error err;

	if (!p || !cm_platform_add_node(p, 0, CM_NODE_DRAM) || !cm_platform_add_node(p, 1, CM_NODE_CXL))
		goto fail;
	cm_bitmap_set(&p->nodes[0].cpus, 0);
	n = &p->nodes[0];
	if (cm_node_add_memory(n, CM_SZ_4G, CM_SZ_4G + dram_mib * CM_SZ_1M))
		goto fail;
	n = &p->nodes[1];
	if (cxl_mib && cm_node_add_memory(n, 2 * CM_SZ_4G + dram_mib * CM_SZ_1M,
					  2 * CM_SZ_4G + (dram_mib + cxl_mib) * CM_SZ_1M))
		goto fail;
	if (cm_platform_finalize(p, "bench", &err))
		goto fail;
	return p;
fail:
	cm_platform_free(p);
	return NULL;
}

/*
 * Page events per second, one core, LRU-heavy: a workload twice the size
 * of DRAM bound to it, touched uniformly at random, with demotion to a
 * CXL node half the size of DRAM and swap: a quarter of the touches
 * fault, and every fault reclaims (aging, demotion or swap) to make room.
 * kswapd runs every 2048 touches.
 */
static int bench_events(uint64_t dram_mib, uint64_t nr_touches, double *per_sec, uint64_t *demoted,
			uint64_t *swapped)
{
	struct cm_platform *p = two_tier_platform(dram_mib, dram_mib / 2);
	struct cm_mempolicy bind0 = { CM_MPOL_BIND, 1 };
	struct cm_config config;
	struct cm_mm *mm;
	struct cm_error err;
	uint64_t rng = 12345, nr_pages = 2 * dram_mib * (CM_SZ_1M / CM_PAGE_SIZE);
	double t0;
	int space;

	if (!p)
		return -1;
	cm_config_default(&config);
	config.demotion_enabled = true;
	config.swap_bytes = 2 * dram_mib * CM_SZ_1M;
	if (cm_mm_new(p, &config, &mm, &err)) {
		cm_platform_free(p);
		return -1;
	}
	space = cm_mm_space_new(mm, nr_pages, 0, 0, &bind0, 0);
	t0 = now_ms();
	for (uint64_t i = 0; i < nr_touches; i++) {
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		cm_mm_touch(mm, space, (rng >> 33) % nr_pages, false);
		if ((i & 2047) == 2047)
			cm_mm_run_kswapd(mm, CM_SWAP_CLUSTER_MAX * 64);
	}
	*per_sec = (double)nr_touches / ((now_ms() - t0) / 1e3);
	*demoted = cm_mm_counter_total(mm, CM_PGDEMOTE_KSWAPD) + cm_mm_counter_total(mm, CM_PGDEMOTE_DIRECT);
	*swapped = cm_mm_counter_total(mm, CM_PSWPOUT);
	cm_mm_free(mm);
	cm_platform_free(p);
	return 0;
}

/*
 * Peak RSS of a child that simulates a 1 TiB DRAM node and faults in
 * @touched_gib of it sequentially (every frame descriptor and page entry
 * of that memory becomes resident).
 */
static int bench_rss_1tib(uint64_t touched_gib, uint64_t *rss_kib, double *seconds)
{
	double t0 = now_ms();
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct cm_platform *p = two_tier_platform(1024 * 1024, 0);
		struct cm_mempolicy local = { CM_MPOL_DEFAULT, 0 };
		struct cm_config config;
		struct cm_mm *mm;
		struct cm_error err;
		uint64_t nr = touched_gib * (CM_SZ_1G / CM_PAGE_SIZE);
		int space;

		cm_config_default(&config);
		if (!p || cm_mm_new(p, &config, &mm, &err))
			_exit(1);
		space = cm_mm_space_new(mm, nr, 0, 0, &local, 0);
		if (space < 0)
			_exit(1);
		for (uint64_t i = 0; i < nr; i++)
			if (cm_mm_touch(mm, space, i, false))
				_exit(1);
		_exit(0);
	}
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	*rss_kib = (uint64_t)ru.ru_maxrss;
	*seconds = (now_ms() - t0) / 1e3;
	return 0;
}

/*
 * EPC reclaim from one cgroup among @nr_cgroups, each holding @per_cgroup
 * pages: with one LRU per cgroup (the engine's design) a batch of 16 is
 * taken from the cgroup's own list; the baseline keeps one global LRU in
 * allocation order (concurrent enclaves interleave) and walks it from the
 * head past other cgroups' pages until it has 16 of the limited cgroup.
 * Reclaimed pages go back to the tail in both, so every round costs the
 * same; the baseline also rotates the pages it skips to the tail (the
 * cheapest way to keep its walks short), so a batch costs it about 16
 * pages per cgroup. Returns baseline time / per-cgroup time.
 */
struct bench_epc_page {
	uint32_t next;
	uint32_t prev;
	uint16_t cgroup;
};

struct bench_lru {
	uint32_t head;
	uint32_t tail;
};

static void bench_lru_push(struct bench_epc_page *pg, struct bench_lru *l, uint32_t i)
{
	pg[i].next = UINT32_MAX;
	pg[i].prev = l->tail;
	if (l->tail != UINT32_MAX)
		pg[l->tail].next = i;
	else
		l->head = i;
	l->tail = i;
}

static void bench_lru_unlink(struct bench_epc_page *pg, struct bench_lru *l, uint32_t i)
{
	if (pg[i].prev != UINT32_MAX)
		pg[pg[i].prev].next = pg[i].next;
	else
		l->head = pg[i].next;
	if (pg[i].next != UINT32_MAX)
		pg[pg[i].next].prev = pg[i].prev;
	else
		l->tail = pg[i].prev;
}

static double bench_epc_reclaim_speedup(unsigned int nr_cgroups, unsigned int per_cgroup, unsigned int rounds)
{
	uint32_t nr = nr_cgroups * per_cgroup;
	struct bench_epc_page *global = malloc(nr * sizeof(*global)), *own = malloc(nr * sizeof(*own));
	struct bench_lru g = { UINT32_MAX, UINT32_MAX }, *per = malloc(nr_cgroups * sizeof(*per));
	volatile uint64_t sink = 0;
	double t0, t_baseline, t_percg;

	if (!global || !own || !per) {
		free(global);
		free(own);
		free(per);
		return -1;
	}
	for (unsigned int c = 0; c < nr_cgroups; c++)
		per[c] = (struct bench_lru){ UINT32_MAX, UINT32_MAX };
	for (uint32_t i = 0; i < nr; i++) {
		global[i].cgroup = own[i].cgroup = (uint16_t)(i % nr_cgroups);
		bench_lru_push(global, &g, i);
		bench_lru_push(own, &per[i % nr_cgroups], i);
	}
	t0 = now_ms();
	for (unsigned int r = 0; r < rounds; r++) {
		uint32_t batch[CM_SGX_NR_TO_SCAN], n = 0;

		while (g.head != UINT32_MAX && n < CM_SGX_NR_TO_SCAN) {
			uint32_t i = g.head;

			bench_lru_unlink(global, &g, i);
			if (global[i].cgroup == 0)
				batch[n++] = i;
			else
				bench_lru_push(global, &g, i);
		}
		for (uint32_t k = 0; k < n; k++)
			bench_lru_push(global, &g, batch[k]);
		sink += n;
	}
	t_baseline = now_ms() - t0;
	/* The per-cgroup side is cheap: run it longer so the clock can see it. */
	t0 = now_ms();
	for (unsigned int r = 0; r < rounds * 20; r++) {
		uint32_t batch[CM_SGX_NR_TO_SCAN], n = 0;

		for (uint32_t i = per[0].head; i != UINT32_MAX && n < CM_SGX_NR_TO_SCAN; i = own[i].next)
			batch[n++] = i;
		for (uint32_t k = 0; k < n; k++) {
			bench_lru_unlink(own, &per[0], batch[k]);
			bench_lru_push(own, &per[0], batch[k]);
		}
		sink += n;
	}
	t_percg = (now_ms() - t0) / 20;
	free(global);
	free(own);
	free(per);
	(void)sink;
	return t_baseline / (t_percg > 1e-6 ? t_percg : 1e-6);
}

static int bench_epc(const struct bench_cmd *b)
{
	static const unsigned int cgroups[] = { 1, 10, 100 };
	unsigned int rounds = b->quick ? 20000 : 200000;

	for (size_t i = 0; i < sizeof(cgroups) / sizeof(cgroups[0]); i++) {
		double ratio = bench_epc_reclaim_speedup(cgroups[i], 4096, rounds);

		if (ratio < 0)
			return cli_bad_input("bench: out of memory");
		printf("epc_reclaim_speedup_%ucg: %.1f\n", cgroups[i], ratio);
	}
	return EXIT_OK;
}

static int bench_engine(const struct bench_cmd *b)
{
	uint64_t demoted, swapped, rss_kib, touched = b->quick ? 256 : 1000;
	double per_sec, seconds;

	printf("bytes_per_frame: %zu\n", cm_mm_frame_size());
	/* 256 MiB of DRAM: the engine's own cost; 4 GiB: the same with its tables far out of cache. */
	if (bench_events(256, b->quick ? 20000000 : 50000000, &per_sec, &demoted, &swapped))
		return cli_bad_input("bench: the engine benchmark could not run");
	printf("events_per_sec: %.0f (256 MiB DRAM, demoted %" PRIu64 ", swapped %" PRIu64 ")\n", per_sec,
	       demoted, swapped);
	fflush(stdout);
	if (bench_events(4096, b->quick ? 10000000 : 50000000, &per_sec, &demoted, &swapped))
		return cli_bad_input("bench: the engine benchmark could not run");
	printf("events_per_sec_4gib_dram: %.0f (demoted %" PRIu64 ", swapped %" PRIu64 ")\n", per_sec, demoted,
	       swapped);
	fflush(stdout);
	if (bench_rss_1tib(touched, &rss_kib, &seconds))
		return cli_bad_input("bench: the 1 TiB simulation could not run");
	printf("rss_1tib_platform_mib: %" PRIu64 " (with %" PRIu64 " GiB of it in use, %.1f s)\n", rss_kib / 1024,
	       touched, seconds);
	fflush(stdout);
	return bench_epc(b);
}

int cmd_bench(int argc, char **argv, const struct cmd_struct *cmd)
{
	static const size_t sizes[] = { 1000, 10000, 100000, 1000000 };
	struct bench_cmd args = { 0 };
	const struct bench_cmd *b = &args;
	size_t nr_sizes;
	double prev_ms = 0;
	struct cm_platform *p;
	struct cm_error err;
	size_t nr_tdmrs;
	bool ok;
	double ms;
	struct cli_progress progress;
	char step[64];
	int ret = cli_parse(cmd, argc, argv, &args.cli);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	nr_sizes = b->quick ? 3 : 4;
	cli_progress_init(&progress, "bench", b->quiet ? CLI_PROGRESS_QUIET : CLI_PROGRESS_SHOW);
	cli_progress_step(&progress, "plan_big", 0, (unsigned int)nr_sizes + 2);

	if (cm_platform_from_preset("big", &p, &err))
		return cli_bad_input("%s", err.msg);
	ms = time_plan(p, b->quick ? 20 : 200, &nr_tdmrs, &ok);
	cm_platform_free(p);
	cli_progress_done(&progress);
	printf("plan_big_ms: %.3f\n", ms);
	printf("plan_big_nr_tdmrs: %zu\n", nr_tdmrs);
	for (size_t i = 0; i < nr_sizes; i++) {
		size_t n = sizes[i];

		snprintf(step, sizeof(step), "plan_ranges_%zu", n);
		cli_progress_step(&progress, step, (unsigned int)i + 1, (unsigned int)nr_sizes + 2);
		p = generated_platform(n);
		if (!p)
			return cli_bad_input("bench: cannot build the generated platform of %zu ranges", n);
		ms = time_plan(p, n >= 100000 ? 3 : 10, &nr_tdmrs, &ok);
		cm_platform_free(p);
		cli_progress_done(&progress);
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
	cli_progress_step(&progress, "fleet", (unsigned int)nr_sizes + 1, (unsigned int)nr_sizes + 2);
	if (bench_fleet(b->quick ? 1000 : 10000, b->quick ? 100 : 300, step, sizeof(step))) {
		cli_progress_done(&progress);
		return cli_bad_input("bench: %s", step);
	}
	cli_progress_done(&progress);
	/* The engine's figures print as they come; the line only says where the run is before them. */
	cli_progress_step(&progress, "engine and EPC", (unsigned int)nr_sizes + 1, (unsigned int)nr_sizes + 2);
	cli_progress_done(&progress);
	return bench_engine(&args);
}
