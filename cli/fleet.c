// SPDX-License-Identifier: MIT
/*
 * Fleets (SPEC 14): plan, nodes or diagnose over many boot logs in one
 * process. The logs are the --dmesg arguments, each a file, a directory
 * (its regular files, by name) or "-" (paths on stdin, one per line). Each
 * host is one JSON line, {"path", "exit_status", the command's object or
 * "error"}, in the order of the inputs; -j N hosts are worked on at once.
 * A bad log is its own line and does not stop the rest; the exit status is
 * the worst of the hosts', and stderr ends with the counts.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* Hosts worked on between two writes of their lines: bounds the memory the lines hold. */
#define FLEET_BATCH 4096

struct fleet_inputs {
	char **paths;
	size_t nr;
	size_t capacity;
};

static int add_path(struct fleet_inputs *in, const char *path, size_t len)
{
	if (in->nr == in->capacity) {
		size_t capacity = in->capacity ? 2 * in->capacity : 256;
		char **paths;

		if (capacity > CLI_FLEET_MAX_HOSTS)
			capacity = CLI_FLEET_MAX_HOSTS;
		if (in->nr >= capacity)
			return cli_bad_input("--dmesg: more than %d hosts in one run; split the fleet",
					     CLI_FLEET_MAX_HOSTS);
		paths = realloc(in->paths, capacity * sizeof(*paths));
		if (!paths)
			return cli_bad_input("out of memory");
		in->paths = paths;
		in->capacity = capacity;
	}
	in->paths[in->nr] = strndup(path, len);
	if (!in->paths[in->nr])
		return cli_bad_input("out of memory");
	in->nr++;
	return 0;
}

static void free_inputs(struct fleet_inputs *in)
{
	for (size_t i = 0; i < in->nr; i++)
		free(in->paths[i]);
	free(in->paths);
	memset(in, 0, sizeof(*in));
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's entries other than hidden ones, by name (a later read of each says whether it is a log). */
static int add_directory(struct fleet_inputs *in, const char *dir)
{
	size_t first = in->nr, dir_len = strlen(dir);
	DIR *d = opendir(dir);
	struct dirent *e;
	int ret = 0;

	if (!d)
		return cli_bad_input("--dmesg: %s: %s", dir, strerror(errno));
	while (!ret && (e = readdir(d))) {
		char path[CLI_FLEET_MAX_PATH + 1];
		int n;

		if (e->d_name[0] == '.' || e->d_type == DT_DIR)
			continue;	/* hidden files and subdirectories are not hosts */
		n = snprintf(path, sizeof(path), "%s%s%s", dir, dir_len && dir[dir_len - 1] == '/' ? "" : "/",
			     e->d_name);
		if (n < 0 || (size_t)n >= sizeof(path))
			ret = cli_bad_input("--dmesg: %s/%s: path too long", dir, e->d_name);
		else
			ret = add_path(in, path, (size_t)n);
	}
	closedir(d);
	if (!ret && in->nr == first)
		ret = cli_bad_input("--dmesg: no boot logs in %s", dir);
	if (!ret)
		qsort(in->paths + first, in->nr - first, sizeof(*in->paths), compare_names);
	return ret;
}

/* "-": one path per line on stdin; blank lines are skipped, a line longer than a path is refused. */
static int add_stdin(struct fleet_inputs *in)
{
	char line[CLI_FLEET_MAX_PATH + 2];
	unsigned long line_nr = 0;
	int ret = 0;

	while (!ret && fgets(line, sizeof(line), stdin)) {
		size_t len = strlen(line);

		line_nr++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n')
			return cli_bad_input("--dmesg -: stdin line %lu: a path longer than %d bytes", line_nr,
					     CLI_FLEET_MAX_PATH);
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (len)
			ret = add_path(in, line, len);
	}
	if (!ret && !in->nr)
		ret = cli_bad_input("--dmesg -: no paths on stdin");
	return ret;
}

static int collect(const struct cli *c, struct fleet_inputs *in)
{
	int ret = 0;

	for (size_t i = 0; i < c->nr_dmesg_files && !ret; i++) {
		const char *arg = c->dmesg_files[i];
		struct stat st;

		if (!strcmp(arg, "-"))
			ret = add_stdin(in);
		else if (!stat(arg, &st) && S_ISDIR(st.st_mode))
			ret = add_directory(in, arg);
		else
			ret = add_path(in, arg, strlen(arg));
	}
	return ret;
}

bool cli_fleet_requested(const struct cli *c)
{
	struct stat st;

	if (c->nr_dmesg_files > 1)
		return true;
	if (c->nr_dmesg_files == 1)
		return !strcmp(c->dmesg_files[0], "-") || (!stat(c->dmesg_files[0], &st) && S_ISDIR(st.st_mode));
	return false;
}

struct fleet_run {
	const struct cli *c;
	cli_fleet_host_fn host;
	const struct fleet_inputs *in;
	size_t first, last;		/* the batch [first, last) */
	atomic_size_t next;
	char **lines;			/* [i - first]: host i's line, or NULL when out of memory */
	int *status;			/* [i - first]: its exit status */
};

static const char *const host_json_order[] = { "path", "exit_status", "error", "plan", "nodes", "diagnosis", NULL };

/* One host's line: the command's object, or the reason its log was refused. */
static char *host_line(const struct fleet_run *run, const char *path, int *status)
{
	struct cm_report_style style = { .json = cli_json_style(run->c) };
	struct cm_error err = { 0 };
	struct cm_report *r = cm_report_new();
	struct cm_report_item *host;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	*status = EXIT_BAD_INPUT;
	if (!r)
		return NULL;
	host = cm_report_add_object(cm_report_document(r), "host", NULL);
	cm_report_set_json_order(host, host_json_order);
	cm_report_add_string(host, "path", NULL, path);
	*status = run->host(run->c, path, host, &err);
	if (*status < 0) {
		cm_report_free(r);
		r = cm_report_new();
		if (!r)
			return NULL;
		host = cm_report_add_object(cm_report_document(r), "host", NULL);
		cm_report_set_json_order(host, host_json_order);
		cm_report_add_string(host, "path", NULL, path);
		cm_report_add_string(host, "error", NULL, err.msg);
		*status = EXIT_BAD_INPUT;
	}
	cm_report_add_int(host, "exit_status", NULL, *status);
	f = open_memstream(&text, &len);
	if (f && (cm_report_status(r) || cm_report_render(r, "json-lines", &style, f))) {
		fclose(f);
		free(text);
		text = NULL;
		f = NULL;
	}
	if (f)
		fclose(f);
	cm_report_free(r);
	return text;
}

static void *worker(void *arg)
{
	struct fleet_run *run = arg;
	size_t i;

	while ((i = atomic_fetch_add(&run->next, 1)) < run->last) {
		size_t slot = i - run->first;

		run->lines[slot] = host_line(run, run->in->paths[i], &run->status[slot]);
	}
	return NULL;
}

/* Work on hosts [first, last) with @jobs threads (the caller's is one of them). */
static void run_batch(struct fleet_run *run, unsigned int jobs)
{
	pthread_t threads[CLI_FLEET_MAX_JOBS];
	unsigned int started = 0;

	atomic_store(&run->next, run->first);
	for (unsigned int t = 1; t < jobs; t++)
		if (!pthread_create(&threads[started], NULL, worker, run))
			started++;
	worker(run);
	for (unsigned int t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
}

struct fleet_counts {
	size_t ok, refused, bad;
};

/* Print the batch's lines in input order: the worst exit status, or -ENOMEM (reported) for a lost line. */
static int write_batch(const struct fleet_run *run, struct fleet_counts *counts)
{
	int worst = EXIT_OK;

	for (size_t i = run->first; i < run->last; i++) {
		size_t slot = i - run->first;
		const char *line = run->lines[slot];

		if (!line) {
			cli_bad_input("%s: out of memory", run->in->paths[i]);
			return -ENOMEM;
		}
		fputs(line, stdout);
		if (run->status[slot] == EXIT_OK)
			counts->ok++;
		else if (run->status[slot] == EXIT_REFUSED)
			counts->refused++;
		else
			counts->bad++;
		if (run->status[slot] > worst)
			worst = run->status[slot];
	}
	return worst;
}

int cli_fleet_run(const struct cli *c, cli_fleet_host_fn host)
{
	struct fleet_inputs in = { 0 };
	struct fleet_counts counts = { 0 };
	struct fleet_run run = { .c = c, .host = host, .in = &in };
	unsigned int jobs = (unsigned int)c->jobs;
	int ret = collect(c, &in), worst = EXIT_OK;

	run.lines = calloc(FLEET_BATCH, sizeof(*run.lines));
	run.status = calloc(FLEET_BATCH, sizeof(*run.status));
	if (!ret && (!run.lines || !run.status))
		ret = cli_bad_input("out of memory");
	for (run.first = 0; !ret && run.first < in.nr; run.first = run.last) {
		run.last = in.nr - run.first > FLEET_BATCH ? run.first + FLEET_BATCH : in.nr;
		int batch_worst;

		run_batch(&run, jobs);
		batch_worst = write_batch(&run, &counts);
		for (size_t i = 0; i < run.last - run.first; i++) {
			free(run.lines[i]);
			run.lines[i] = NULL;
		}
		if (batch_worst < 0)
			ret = EXIT_BAD_INPUT;
		else if (batch_worst > worst)
			worst = batch_worst;
	}
	if (!ret) {
		fprintf(stderr, "confmem %s: %zu hosts: %zu ok, %zu refused, %zu bad input\n", c->command,
			counts.ok + counts.refused + counts.bad, counts.ok, counts.refused, counts.bad);
		ret = worst;
	}
	free(run.lines);
	free(run.status);
	free_inputs(&in);
	return ret;
}
