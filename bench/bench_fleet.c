// SPDX-License-Identifier: MIT
/*
 * Fleet benchmark (SPEC 12, 14): generated boot logs planned by one
 * `confmem plan --dmesg DIR` process, with -j 1 and -j 2, beside the same
 * logs planned by one process each (the limit a fleet run is judged
 * against). Each figure is the median of three runs; the children's CPU
 * time comes from wait4(), wall time from CLOCK_MONOTONIC.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#include "bench_fleet.h"

#define FLEET_RUNS 3

/*
 * Host @i's boot log: one or two nodes, the low-memory holes of a real
 * map, RAM above 4 GiB split by a few reserved gaps, CMR lines on every
 * other host (those plan as cmr-series, the rest as mainline-6.8).
 */
static int write_log(const char *dir, unsigned int i)
{
	char path[512];
	uint64_t top = 0x100000000ULL + ((uint64_t)(16 + i % 48) << 30);
	unsigned int gaps = 1 + i % 5;
	uint64_t step = (top - 0x100000000ULL) / gaps & ~0x1fffffULL;	/* 2 MiB multiples */
	FILE *f;

	snprintf(path, sizeof(path), "%s/host-%05u.log", dir, i);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "[    0.000000] Linux version 6.8.0-1014-intel #14-Ubuntu SMP\n"
		   "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		   "[    0.000000] BIOS-e820: [mem 0x00000000000a0000-0x00000000000fffff] reserved\n"
		   "[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x%016" PRIx64 "] usable\n"
		   "[    0.000000] BIOS-e820: [mem 0x%016" PRIx64 "-0x00000000ffffffff] reserved\n",
		(uint64_t)(0x6f7fffffULL - (i % 7) * 0x100000ULL), (uint64_t)(0x6f800000ULL - (i % 7) * 0x100000ULL));
	for (unsigned int g = 0; g < gaps; g++) {
		uint64_t start = 0x100000000ULL + g * step;
		uint64_t end = g + 1 < gaps ? start + step - 0x4000000 : top;

		fprintf(f, "[    0.000000] BIOS-e820: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] usable\n", start, end - 1);
		if (g + 1 < gaps)
			fprintf(f, "[    0.000000] BIOS-e820: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] reserved\n", end,
				end + 0x3ffffff);
	}
	fprintf(f, "[    6.030000] virt/tdx: BIOS enabled: private KeyID range [32, 64)\n");
	if (i % 2)
		fprintf(f, "[   28.510002] virt/tdx: CMR: [0x100000, 0x%" PRIx64 ")\n"
			   "[   28.510004] virt/tdx: CMR: [0x100000000, 0x%" PRIx64 ")\n",
			(uint64_t)(0x6f800000ULL - (i % 7) * 0x100000ULL), top);
	return fclose(f) ? -errno : 0;
}

static void remove_logs(const char *dir, unsigned int nr)
{
	char path[512];

	for (unsigned int i = 0; i < nr; i++) {
		snprintf(path, sizeof(path), "%s/host-%05u.log", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

static double seconds_of(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

/*
 * Run this binary with @argv, output discarded; its CPU seconds, or -1.
 * posix_spawn() (vfork-like in glibc), not fork(): a forked copy of this
 * large process would charge the child for tearing the copy down at exec.
 */
static double child_cpu(char *const argv[])
{
	posix_spawn_file_actions_t actions;
	struct rusage usage;
	int status, ret;
	pid_t pid;

	if (posix_spawn_file_actions_init(&actions))
		return -1;
	posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	ret = posix_spawn(&pid, "/proc/self/exe", &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (ret)
		return -1;
	if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
		return -1;
	return seconds_of(&usage.ru_utime) + seconds_of(&usage.ru_stime);
}

static double wall_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct fleet_figure {
	double cpu[FLEET_RUNS], wall[FLEET_RUNS];
};

static double median(double v[FLEET_RUNS])
{
	qsort(v, FLEET_RUNS, sizeof(v[0]), compare_double);
	return v[FLEET_RUNS / 2];
}

/* One fleet process over @dir with @jobs. */
static int run_fleet(const char *dir, const char *jobs, struct fleet_figure *fig, int run)
{
	char *argv[] = { "confmem", "plan", "--dmesg", (char *)dir, "-j", (char *)jobs, NULL };
	double start = wall_seconds();

	fig->cpu[run] = child_cpu(argv);
	fig->wall[run] = wall_seconds() - start;
	return fig->cpu[run] < 0 ? -1 : 0;
}

/* One process per log over the first @nr logs. */
static int run_per_log(const char *dir, unsigned int nr, struct fleet_figure *fig, int run)
{
	char path[512];
	char *argv[] = { "confmem", "plan", "--dmesg", path, "--json", NULL };
	double start = wall_seconds();

	fig->cpu[run] = 0;
	for (unsigned int i = 0; i < nr; i++) {
		double cpu;

		snprintf(path, sizeof(path), "%s/host-%05u.log", dir, i);
		cpu = child_cpu(argv);
		if (cpu < 0)
			return -1;
		fig->cpu[run] += cpu;
	}
	fig->wall[run] = wall_seconds() - start;
	return 0;
}

int bench_fleet(unsigned int nr_logs, unsigned int nr_per_log, char *error, size_t error_len)
{
	char dir[] = "/tmp/confmem-fleet-XXXXXX";
	struct fleet_figure one = { 0 }, two = { 0 }, per_log = { 0 };
	int ret = 0;

	if (!mkdtemp(dir)) {
		snprintf(error, error_len, "fleet: mkdtemp: %s", strerror(errno));
		return -1;
	}
	for (unsigned int i = 0; i < nr_logs && !ret; i++)
		ret = write_log(dir, i);
	for (int run = 0; run < FLEET_RUNS && !ret; run++)
		ret = run_fleet(dir, "1", &one, run) || run_fleet(dir, "2", &two, run) ||
		      run_per_log(dir, nr_per_log, &per_log, run);
	remove_logs(dir, nr_logs);
	if (ret) {
		snprintf(error, error_len, "fleet: a confmem child failed");
		return -1;
	}
	printf("fleet_logs: %u\n", nr_logs);
	printf("fleet_logs_per_cpu_sec: %.0f\n", nr_logs / median(one.cpu));
	printf("fleet_logs_per_wall_sec_j1: %.0f\n", nr_logs / median(one.wall));
	printf("fleet_logs_per_wall_sec_j2: %.0f\n", nr_logs / median(two.wall));
	printf("fleet_j2_cpu_sec: %.3f\n", median(two.cpu));
	printf("cli_per_log_logs_per_cpu_sec: %.0f (limit: one process per log, %u logs)\n",
	       nr_per_log / median(per_log.cpu), nr_per_log);
	printf("fleet_vs_cli_per_log: %.1f\n", (nr_logs / median(one.cpu)) / (nr_per_log / median(per_log.cpu)));
	fflush(stdout);
	return 0;
}
