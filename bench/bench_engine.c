// SPDX-License-Identifier: MIT
/*
 * Engine benchmark (SPEC 12): page events per CPU second for an LRU-heavy
 * workload at three sizes of simulated DRAM, each beside two loops over a
 * table of the same bytes as the engine's tables, timed in the same run:
 * a dependent pointer chase (the latency limit) and independent random
 * 16-byte read-modify-writes (the memory-parallelism limit). Ratios to the
 * read-modify-write limit and the growth of the cost per event from 4 GiB
 * to 64 GiB are what the goals judge, for a Zipf working set; the same
 * figures for uniform touches, the LRU's worst case, stand beside them.
 * Also the faults and reclaim scans per event (the work an event does at
 * each size), the bytes per frame and per virtual page, and the peak RSS
 * of a 1 TiB platform.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_engine.h"
#include "bench_stats.h"
#include "confmem/mm.h"
#include "confmem/random.h"

#define ENGINE_RUNS 5	/* the LRU lists age in waves: a median of five holds still where one of three did not */
#define VPT_ENTRY_BYTES 4	/* a virtual page's location (lib/mm: uint32_t vpt[]) */

/*
 * A platform of one DRAM node with CPUs and one CXL node, sizes in MiB.
 * HMAT figures of the two put the CXL node on a lower tier, so DRAM's
 * reclaim demotes to it.
 */
static struct cm_platform *two_tier_platform(uint64_t dram_mib, uint64_t cxl_mib)
{
	const struct cm_hmat dram = { true, 80, 80, 100000, 100000 }, cxl = { true, 250, 250, 30000, 30000 };
	struct cm_platform *p = cm_platform_new();
	struct cm_error err;

	if (!p || !cm_platform_add_node(p, 0, CM_NODE_DRAM) || !cm_platform_add_node(p, 1, CM_NODE_CXL))
		goto fail;
	cm_bitmap_set(&p->nodes[0].cpus, 0);
	p->nodes[0].hmat = dram;
	p->nodes[1].hmat = cxl;
	if (cm_node_add_memory(&p->nodes[0], CM_SZ_4G, CM_SZ_4G + dram_mib * CM_SZ_1M))
		goto fail;
	if (cxl_mib && cm_node_add_memory(&p->nodes[1], 2 * CM_SZ_4G + dram_mib * CM_SZ_1M,
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
 * The workloads: pages twice DRAM's size drawn by Zipf(0.99), YCSB's
 * default request distribution (rank k is page k - 1), whose figures the
 * goals judge; and uniformly, every page alike (the LRU order helps
 * nothing: the worst case), under keys ending in _uniform.
 */
struct workload {
	const char *suffix;
	double zipf_skew;	/* 0: uniform */
};

static const struct workload workloads[] = {
	{ "", 0.99 },
	{ "_uniform", 0 },
};
#define NR_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

struct engine_run {
	const struct workload *w;
	struct cm_platform *p;
	struct cm_mm *mm;
	int space;
	uint64_t nr_pages;
	uint64_t rng;
	struct cm_zipf zipf;
	uint64_t table_bytes;	/* frame tables (with LRU rings) and virtual-page entries, after warm-up */
};

#define TOUCH_BATCH 2048
#define TOUCH_BLOCK (16 * TOUCH_BATCH)

static uint64_t block[TOUCH_BLOCK];

/* @nr pages of @pages, TOUCH_BATCH at a time with kswapd after each; -1 when a touch failed. */
static int touch_pages(struct engine_run *e, const uint64_t *pages, size_t nr)
{
	size_t done;

	for (size_t k = 0; k < nr; k += TOUCH_BATCH) {
		if (cm_mm_touch_batch(e->mm, e->space, pages + k, NULL, nr - k < TOUCH_BATCH ? nr - k : TOUCH_BATCH,
				      &done))
			return -1;
		cm_mm_run_kswapd(e->mm, CM_SWAP_CLUSTER_MAX * 64);
	}
	return 0;
}

/*
 * Touch pages through the batched path a workload generator uses (it
 * knows its next pages), kswapd every TOUCH_BATCH touches. The pages are
 * drawn a block at a time outside the timed part: the figure is the
 * engine's, not the sampler's. Returns the CPU seconds of the engine, or
 * -1 when a touch failed (the workload would not be the one measured).
 */
static double touch(struct engine_run *e, uint64_t nr_touches)
{
	double seconds = 0;

	for (uint64_t i = 0; i < nr_touches; i += TOUCH_BLOCK) {
		size_t nr = nr_touches - i < TOUCH_BLOCK ? (size_t)(nr_touches - i) : TOUCH_BLOCK;
		double t0;

		for (size_t k = 0; k < nr; k++)
			block[k] = e->w->zipf_skew > 0 ? cm_zipf_next(&e->zipf, &e->rng) - 1 : cm_rand(&e->rng) % e->nr_pages;
		t0 = bench_thread_seconds();
		if (touch_pages(e, block, nr))
			return -1;
		seconds += bench_thread_seconds() - t0;
	}
	return seconds;
}

/* Every page once, from the last to the first: under Zipf the hottest pages end up the newest. */
static int fill(struct engine_run *e)
{
	for (uint64_t i = 0; i < e->nr_pages; i += TOUCH_BLOCK) {
		size_t nr = e->nr_pages - i < TOUCH_BLOCK ? (size_t)(e->nr_pages - i) : TOUCH_BLOCK;

		for (size_t k = 0; k < nr; k++)
			block[k] = e->nr_pages - 1 - (i + k);
		if (touch_pages(e, block, nr))
			return -1;
	}
	return 0;
}

/*
 * A workload twice the size of DRAM bound to it, with demotion to a CXL
 * node half the size of DRAM and swap: every fault reclaims (aging,
 * demotion or swap) to make room. Warmed up with every page touched once
 * and then WARM_PASSES touches per page of the workload, so the LRU lists
 * hold what the workload keeps there and the first wave of aging that
 * follows the fill has passed (at 64 GiB, Zipf's faults and scans settle
 * after about six passes) before anything is timed.
 */
#define WARM_PASSES 8
/* Touches per page of a timed run at least: the lists age in waves a few passes apart. */
#define RUN_PASSES 4

static int engine_open(uint64_t dram_mib, const struct workload *w, struct engine_run *e)
{
	struct cm_mempolicy bind0 = { CM_MPOL_BIND, 1 };
	struct cm_config config;
	struct cm_error err;
	uint64_t cxl_mib = dram_mib / 2;

	memset(e, 0, sizeof(*e));
	e->w = w;
	e->rng = 12345;
	e->nr_pages = 2 * dram_mib * (CM_SZ_1M / CM_PAGE_SIZE);
	if (w->zipf_skew > 0)
		cm_zipf_init(&e->zipf, e->nr_pages, w->zipf_skew);
	e->p = two_tier_platform(dram_mib, cxl_mib);
	if (!e->p)
		return -1;
	cm_config_default(&config);
	config.demotion_enabled = true;
	config.swap_bytes = 2 * dram_mib * CM_SZ_1M;
	if (cm_mm_new(e->p, &config, &e->mm, &err))
		return -1;
	e->space = cm_mm_space_new(e->mm, e->nr_pages, 0, 0, &bind0, 0);
	if (e->space < 0)
		return -1;
	if (fill(e) || touch(e, WARM_PASSES * e->nr_pages) < 0)
		return -1;
	e->table_bytes = cm_mm_frame_table_bytes(e->mm) + e->nr_pages * VPT_ENTRY_BYTES;
	return 0;
}

static void engine_close(struct engine_run *e)
{
	cm_mm_free(e->mm);
	cm_platform_free(e->p);
}

/* The limits' generator: one multiply and add, so the loops measure the memory, not the generator. */
static uint64_t next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 17;
}

/* A table of @bytes, on huge pages where the kernel gives them. */
static void *table_new(uint64_t bytes)
{
	void *t = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (t == MAP_FAILED)
		return NULL;
	madvise(t, bytes, MADV_HUGEPAGE);
	memset(t, 1, bytes);
	return t;
}

/* Operations per CPU second of a dependent pointer chase over @bytes (a random cycle of 64-byte slots). */
static double pointer_chase(uint64_t bytes, uint64_t nr_hops)
{
	uint64_t nr = bytes / 64, *t = table_new(nr * 64), pos = 0, rng = 99;
	double t0;

	if (!t)
		return -1;
	for (uint64_t i = 0; i < nr; i++)
		t[i * 8] = i;
	for (uint64_t i = nr - 1; i > 0; i--) {		/* Sattolo: one cycle through every slot */
		uint64_t j = next_random(&rng) % i, tmp = t[i * 8];

		t[i * 8] = t[j * 8];
		t[j * 8] = tmp;
	}
	t0 = bench_thread_seconds();
	for (uint64_t i = 0; i < nr_hops; i++)
		pos = t[pos * 8];
	t0 = bench_thread_seconds() - t0;
	munmap(t, nr * 64);
	return pos == UINT64_MAX ? -1 : (double)nr_hops / t0;
}

/* Operations per CPU second of independent random 16-byte read-modify-writes over @bytes. */
static double random_rmw(uint64_t bytes, uint64_t nr_ops)
{
	uint64_t nr = bytes / 16, *t = table_new(nr * 16), rng = 7;
	double t0;

	if (!t)
		return -1;
	t0 = bench_thread_seconds();
	for (uint64_t i = 0; i < nr_ops; i++) {
		uint64_t k = next_random(&rng) % nr;

		t[2 * k] += i;
		t[2 * k + 1] ^= i;
	}
	t0 = bench_thread_seconds() - t0;
	munmap(t, nr * 16);
	return (double)nr_ops / t0;
}

struct workload_figure {
	struct bench_runs events, faults, scanned;	/* per CPU second; per event */
};

struct size_figure {
	struct workload_figure w[NR_WORKLOADS];
	struct bench_runs chase, rmw;
	uint64_t table_bytes;
	double bytes_per_frame;	/* after the timed runs */
};

static uint64_t scanned_total(const struct cm_mm *mm)
{
	return cm_mm_counter_total(mm, CM_PGSCAN_KSWAPD) + cm_mm_counter_total(mm, CM_PGSCAN_DIRECT);
}

/* One timed run of @nr touches: events per CPU second, and the faults and pages scanned per event. */
static int run_workload(struct engine_run *e, uint64_t nr, struct workload_figure *fig)
{
	uint64_t faults = cm_mm_counter_total(e->mm, CM_PGFAULT), scanned = scanned_total(e->mm);
	double seconds = touch(e, nr);

	if (seconds < 0)
		return -1;
	bench_runs_add(&fig->events, (double)nr / seconds);
	bench_runs_add(&fig->faults, (double)(cm_mm_counter_total(e->mm, CM_PGFAULT) - faults) / (double)nr);
	bench_runs_add(&fig->scanned, (double)(scanned_total(e->mm) - scanned) / (double)nr);
	return 0;
}

/*
 * Each run times every workload for at least @nr_touches touches and at
 * least RUN_PASSES per page, then the two limits over a table of the
 * engine's bytes.
 */
static int measure_size(uint64_t dram_mib, uint64_t nr_touches, struct size_figure *fig)
{
	struct engine_run e[NR_WORKLOADS];
	size_t opened = 0;
	int ret = 0;

	for (; opened < NR_WORKLOADS && !ret; opened++)
		ret = engine_open(dram_mib, &workloads[opened], &e[opened]);
	for (int run = 0; run < ENGINE_RUNS && !ret; run++) {
		double chase, rmw;

		for (size_t w = 0; w < NR_WORKLOADS && !ret; w++)
			ret = run_workload(&e[w], nr_touches > RUN_PASSES * e[w].nr_pages ? nr_touches :
						  RUN_PASSES * e[w].nr_pages, &fig->w[w]);
		if (ret)
			break;
		chase = pointer_chase(e[0].table_bytes, nr_touches / 4);
		rmw = random_rmw(e[0].table_bytes, nr_touches * 4);
		if (chase < 0 || rmw < 0)
			ret = -1;
		bench_runs_add(&fig->chase, chase);
		bench_runs_add(&fig->rmw, rmw);
	}
	if (!ret) {
		fig->table_bytes = e[0].table_bytes;
		fig->bytes_per_frame = (double)cm_mm_frame_table_bytes(e[0].mm) / (double)cm_mm_nr_frames(e[0].mm);
	}
	while (opened--)
		engine_close(&e[opened]);
	return ret;
}

static void print_size(const char *name, uint64_t dram_mib, const struct size_figure *fig)
{
	char key[96], note[128], pattern[32];

	for (size_t w = 0; w < NR_WORKLOADS; w++) {
		const struct workload *wl = &workloads[w];

		if (wl->zipf_skew > 0)
			snprintf(pattern, sizeof(pattern), "zipf %.2f", wl->zipf_skew);
		else
			snprintf(pattern, sizeof(pattern), "uniform");
		snprintf(note, sizeof(note), "%" PRIu64 " MiB DRAM, tables %.0f MiB, %s", dram_mib,
			 (double)fig->table_bytes / (1 << 20), pattern);
		snprintf(key, sizeof(key), "events_per_sec_%s%s", name, wl->suffix);
		bench_print(key, "%.0f", &fig->w[w].events, note);
		snprintf(key, sizeof(key), "faults_per_event_%s%s", name, wl->suffix);
		bench_print(key, "%.4f", &fig->w[w].faults, NULL);
		snprintf(key, sizeof(key), "scanned_per_event_%s%s", name, wl->suffix);
		bench_print(key, "%.4f", &fig->w[w].scanned, "pages reclaim looked at");
	}
	snprintf(key, sizeof(key), "pointer_chase_hops_per_sec_%s", name);
	bench_print(key, "%.0f", &fig->chase, "latency limit");
	snprintf(key, sizeof(key), "random_rmw_per_sec_%s", name);
	bench_print(key, "%.0f", &fig->rmw, "memory-parallelism limit");
	for (size_t w = 0; w < NR_WORKLOADS; w++) {
		double events = bench_median(&fig->w[w].events);

		printf("events_vs_rmw_limit_%s%s: %.3f%s\n", name, workloads[w].suffix, events / bench_median(&fig->rmw),
		       workloads[w].suffix[0] ? "" : " (goal: at least 0.5)");
		printf("events_vs_chase_limit_%s%s: %.3f\n", name, workloads[w].suffix, events / bench_median(&fig->chase));
	}
	fflush(stdout);
}

int bench_rss_1tib_child(uint64_t touched_gib)
{
	struct cm_platform *p = two_tier_platform(1024 * 1024, 0);
	struct cm_mempolicy local = { CM_MPOL_DEFAULT, 0 };
	struct cm_config config;
	struct cm_mm *mm;
	struct cm_error err;
	uint64_t nr = touched_gib * (CM_SZ_1G / CM_PAGE_SIZE);
	int space;

	cm_config_default(&config);
	if (!p || cm_mm_new(p, &config, &mm, &err))
		return 1;
	space = cm_mm_space_new(mm, nr, 0, 0, &local, 0);
	if (space < 0)
		return 1;
	for (uint64_t i = 0; i < nr; i++)
		if (cm_mm_touch(mm, space, i, false))
			return 1;
	return 0;
}

/*
 * Peak RSS of a fresh process (this binary, `bench --rss-1tib-child N`)
 * that simulates a 1 TiB DRAM node and faults in @touched_gib of it
 * sequentially: every frame descriptor and page entry of that memory
 * becomes resident. A new process, not a fork, so nothing this one holds
 * counts.
 */
static int rss_1tib(uint64_t touched_gib, uint64_t *rss_kib)
{
	char gib[24];
	char *argv[] = { "confmem", "bench", "--rss-1tib-child", gib, NULL };
	struct rusage ru;
	int status;
	pid_t pid;

	snprintf(gib, sizeof(gib), "%" PRIu64, touched_gib);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	*rss_kib = (uint64_t)ru.ru_maxrss;
	return 0;
}

int bench_engine(bool quick, char *error, size_t error_len)
{
	/* --quick: smaller sizes under the same keys, said in each line's note. */
	const uint64_t small = 256, mid = quick ? 1024 : 4096, big = quick ? 4096 : 65536;
	struct size_figure f_small = { 0 }, f_mid = { 0 }, f_big = { 0 };
	uint64_t touches = quick ? 4000000 : 20000000, rss_kib, touched = quick ? 256 : 1000;

	printf("bytes_per_virtual_page: %d (goal: at most 4)\n", VPT_ENTRY_BYTES);
	if (measure_size(small, touches, &f_small) || (print_size("256mib", small, &f_small), 0) ||
	    measure_size(mid, touches, &f_mid)) {
		snprintf(error, error_len, "engine: a simulation could not run");
		return -1;
	}
	print_size("4gib", mid, &f_mid);
	printf("bytes_per_frame: %.2f (measured after the %" PRIu64 " MiB runs: %zu of descriptor and flags, the rest LRU "
	       "ring slots and the node map; goal: at most 16)\n", f_mid.bytes_per_frame, mid, cm_mm_frame_size());
	if (measure_size(big, touches, &f_big)) {
		snprintf(error, error_len, "engine: a simulation could not run");
		return -1;
	}
	print_size("64gib", big, &f_big);
	for (size_t w = 0; w < NR_WORKLOADS; w++)
		printf("cost_growth_4g_to_64g%s: %.2f (cost per event at %" PRIu64 " MiB over %" PRIu64 " MiB%s)\n",
		       workloads[w].suffix, bench_median(&f_mid.w[w].events) / bench_median(&f_big.w[w].events), big, mid,
		       workloads[w].suffix[0] ? "" : "; goal: below 1.5");
	fflush(stdout);
	if (rss_1tib(touched, &rss_kib)) {
		snprintf(error, error_len, "engine: the 1 TiB simulation could not run");
		return -1;
	}
	printf("rss_1tib_platform_mib: %" PRIu64 " (with %" PRIu64 " GiB of it in use; goal: under 6144)\n",
	       rss_kib / 1024, touched);
	fflush(stdout);
	return 0;
}
