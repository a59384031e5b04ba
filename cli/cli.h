/* SPDX-License-Identifier: MIT */
#ifndef CONFMEM_CLI_H
#define CONFMEM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "confmem/config.h"
#include "confmem/numa.h"
#include "confmem/platform.h"
#include "confmem/report.h"
#include "confmem/sim.h"
#include "confmem/tdx.h"
#include "confmem/tiering.h"
#include "options.h"

enum cli_exit { EXIT_OK = 0, EXIT_REFUSED = 1, EXIT_BAD_INPUT = 2 };

/*
 * The options every command shares; a command's own options live in its
 * argument struct, which starts with this one (CLI_ARGS_CHECK).
 */
/* --dmesg given at most this often; a directory or "-" (paths on stdin) for more. */
#define CLI_MAX_DMESG_ARGS 256
/* Hosts in one fleet run, and threads working on them. */
#define CLI_FLEET_MAX_HOSTS 1000000
#define CLI_FLEET_MAX_PATH 4096
#define CLI_FLEET_MAX_JOBS 256

struct cli {
	const char *command;

	/* Platform source: CLI_SOURCE_OPTIONS */
	const char *platform_file;
	const char *preset;
	const char *dmesg_file;		/* the first --dmesg */
	const char *dmesg_files[CLI_MAX_DMESG_ARGS];	/* every --dmesg (a fleet when several) */
	size_t nr_dmesg_files;
	int jobs;			/* -j: hosts of a fleet worked on at once */
	bool live;
	const char *sysroot;
	struct cm_range cmrs[CM_MAX_CMRS];
	unsigned int nr_cmrs;
	int nr_sources;

	/* Plan options (and every --set knob): CLI_PLAN_OPTIONS */
	struct cm_config config;

	/* Output: CLI_OUTPUT_OPTIONS */
	bool json;
	bool human;
	int verbose;

	char **args;		/* positional arguments */
	int nr_args;
};

/* A command's argument struct starts with its struct cli. */
#define CLI_ARGS_CHECK(type) _Static_assert(offsetof(type, cli) == 0, #type " must start with struct cli")

int cli_option_source(void *base, void *value, const char *arg);
int cli_option_dmesg(void *base, void *value, const char *arg);
int cli_option_live(void *base, void *value, const char *arg);
int cli_option_cmrs(void *base, void *value, const char *arg);
int cli_option_holes(void *base, void *value, const char *arg);
int cli_option_kernel(void *base, void *value, const char *arg);
int cli_option_optimize(void *base, void *value, const char *arg);
int cli_option_set(void *base, void *value, const char *arg);
void cli_print_knobs(FILE *f);

#define CLI_JSON_HELP "machine-readable output on stdout"
#define CLI_HUMAN_HELP "with --json: addresses as hex strings, sizes as \"64.00 GiB (68.72 GB)\""

#define CLI_SOURCE_OPTIONS \
	OPT_GROUP("Platform source (one of; default --preset default):"), \
	OPT_CALLBACK(0, "preset", struct cli, preset, "NAME", "built-in platform (confmem presets)", \
		     cli_option_source), \
	OPT_CALLBACK(0, "platform", struct cli, platform_file, "FILE", "platform JSON (see README and examples/)", \
		     cli_option_source), \
	OPT_CALLBACK(0, "dmesg", struct cli, dmesg_file, "FILE", \
		     "a boot log (BIOS-e820, SRAT, memblock, virt/tdx lines)", cli_option_dmesg), \
	/* --sysroot is listed on --live's line */ \
	OPT_CALLBACK_NOARG(0, "live", struct cli, live, "[--sysroot DIR]", \
			   "this machine's /proc/iomem and /sys (DIR replaces /; --sysroot alone implies --live)", \
			   cli_option_live), \
	OPT_STRING(0, "sysroot", struct cli, sysroot, "DIR", NULL), \
	OPT_CALLBACK(0, "cmrs", struct cli, cmrs, "LIST", \
		     "CMRs as START-END[,START-END...] (sizes like 4G allowed), in place of the source's", cli_option_cmrs)

#define CLI_PLAN_OPTIONS \
	OPT_GROUP("Plan options:"), \
	OPT_CALLBACK(0, "kernel", struct cli, config, "PROFILE", \
		     "kernel to reproduce: auto|mainline-6.8|cmr-print|cmr-series|mainline-7.1|dpamt|all", \
		     cli_option_kernel), \
	OPT_CALLBACK(0, "holes", struct cli, config, "memlist|cmr", \
		     "reserved-area holes from the memory list (kernel) or the CMRs", cli_option_holes), \
	OPT_CALLBACK_NOARG(0, "optimize", struct cli, config, NULL, "merge touching reserved areas", \
			   cli_option_optimize), \
	OPT_CALLBACK(0, "set", struct cli, config, "KEY=VALUE", "set a configuration knob (below)", cli_option_set)

/* -v, with what it adds for this command; NULL: accepted, adds nothing, not listed. */
#define CLI_VERBOSE_OPTION(help) OPT_COUNT('v', NULL, struct cli, verbose, help)

#define CLI_OUTPUT_OPTIONS(verbose_help) \
	OPT_GROUP("Output:"), \
	OPT_BOOLEAN(0, "json", struct cli, json, CLI_JSON_HELP), \
	OPT_BOOLEAN('u', "human", struct cli, human, CLI_HUMAN_HELP), \
	CLI_VERBOSE_OPTION(verbose_help)

/* The same options, accepted but not listed in --help. */
#define CLI_OUTPUT_OPTIONS_UNLISTED \
	OPT_BOOLEAN(0, "json", struct cli, json, NULL), \
	OPT_BOOLEAN('u', "human", struct cli, human, NULL), \
	CLI_VERBOSE_OPTION(NULL)

/* A blank line and the table of --set knobs. */
#define CLI_KNOB_TABLE OPT_GROUP(""), OPT_HELP_FN(cli_print_knobs)

/* Every option of the commands that load a platform, as listed in --help. */
#define CLI_PLATFORM_OPTIONS(verbose_help) \
	CLI_SOURCE_OPTIONS, CLI_PLAN_OPTIONS, CLI_OUTPUT_OPTIONS(verbose_help), CLI_KNOB_TABLE

/* --node LIST: the nodes, and whether the option was given. */
struct cli_node_list {
	cm_nodemask_t mask;
	bool given;
};
int cli_option_node_list(void *base, void *value, const char *arg);

/*
 * Parse a command's arguments into @c, the start of its argument struct.
 * CLI_PARSE_CONTINUE, or the exit status to return (after --help or an error).
 */
int cli_parse(const struct cmd_struct *cmd, int argc, char **argv, struct cli *c);

/* Report bad input or usage on stderr; returns EXIT_BAD_INPUT. */
int cli_bad_input(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Load the platform the options name (the default preset when none). */
int cli_load_platform(const struct cli *c, struct cm_platform **out);
/* Render @r on stdout as text, or as JSON with --json (-u, -v as asked), and flush it. */
int cli_show_report(const struct cli *c, const struct cm_report *r);

/*
 * stdout (cli/output.c): a write error is reported as "write error:
 * STRERROR" and is bad input's status (the result did not reach the
 * caller; 1 would read as the system's verdict).
 */
/* Flush stdout: 0, or EXIT_BAD_INPUT after reporting the error. */
int cli_flush_stdout(void);
/* Report a failed write to stdout (@error: errno, 0 when unknown); returns EXIT_BAD_INPUT. */
int cli_stdout_failed(int error);
/* At exit: flush and close stdout; @status, or EXIT_BAD_INPUT after a write error. */
int cli_close_stdout(int status);

/*
 * A file named by an option, written through a temporary file in the
 * same directory (created with O_EXCL, mode 0644) and renamed into place:
 * a failure leaves no partial file, and a symbolic link at the name is
 * replaced, not followed. A device or FIFO named directly (/dev/null) is
 * written in place. Write to @f between open and commit.
 */
struct cli_output_file {
	const char *option;	/* "--trace", for messages */
	const char *path;
	char tmp_path[4096 + 32];	/* "" when written in place */
	FILE *f;
};

/* 0, or EXIT_BAD_INPUT after reporting "OPTION: PATH: STRERROR". */
int cli_output_open(struct cli_output_file *o, const char *option, const char *path);
/* Flush, sync, close and rename into place; on any failure the temporary file is removed. */
int cli_output_commit(struct cli_output_file *o);

enum cm_json_style cli_json_style(const struct cli *c);

/*
 * Progress on long runs (cli/progress.c): a line on stderr rewritten in
 * place, only when stderr is a terminal; nothing with --quiet.
 */
enum cli_progress_mode { CLI_PROGRESS_SHOW, CLI_PROGRESS_QUIET };
struct cli_progress {
	const char *what;	/* "sim", "bench" */
	bool enabled;
	bool shown;		/* a line is on the terminal */
	double start_ms, last_ms;
};
#define CLI_QUIET_HELP "no progress line on the terminal"
void cli_progress_init(struct cli_progress *p, const char *what, enum cli_progress_mode mode);
/* The library's callback for cm_sim_options (ctx: the struct cli_progress). */
void cli_progress_sim(const struct cm_sim_progress *s, void *ctx);
/* A step of a run of @total steps, @done done ("plan_ranges_100000"). */
void cli_progress_step(struct cli_progress *p, const char *step, unsigned int done, unsigned int total);
/* Clear the line before the results are printed. */
void cli_progress_done(struct cli_progress *p);

/* Pictures a command writes (cli/picture.c): --svg FILE and --html FILE, NULL when not asked. */
struct cli_pictures {
	const char *svg;
	const char *html;
};
#define CLI_HTML_HELP "write the pictures and the report as one self-contained HTML page"
#define CLI_SVG_HELP "write the pictures as one SVG file"
/* Before the report is built: ask its builders for the pictures' data when a picture is wanted. */
void cli_prepare_pictures(struct cm_report *r, const struct cli_pictures *pictures);
/* Render @r into each file asked for; 0 or an exit status. */
int cli_write_pictures(const struct cli *c, const struct cm_report *r, const struct cli_pictures *pictures);
/* The boot-time picture every reporting subcommand starts from. */
struct cli_boot {
	struct cm_platform *platform;
	struct cm_tdx_plan *plan;
	struct cm_tiering tiering;
	struct cm_node_capability *caps;
	struct cm_log cap_log;
};

/*
 * Fleets (cli/fleet.c): the work on one host of a fleet, its object added
 * to @host; EXIT_OK or EXIT_REFUSED, or a negative errno with the reason
 * in @err for a log that cannot be read. Called from several threads.
 */
typedef int (*cli_fleet_host_fn)(const struct cli *c, const char *path, struct cm_report_item *host,
				 struct cm_error *err);
/* Several --dmesg, a directory or "-": the command runs over a fleet. */
bool cli_fleet_requested(const struct cli *c);
/* One JSON line per host in input order, counts on stderr; the worst host's exit status. */
int cli_fleet_run(const struct cli *c, cli_fleet_host_fn host);

/* plan's exit status: refused when the platform has TDX and it does not initialise; without TDX nothing was. */
int cli_plan_exit_status(const struct cm_tdx_plan *plan);
/* plan --kernel all's: refused only when no profile would exit 0. */
int cli_profiles_exit_status(struct cm_tdx_plan *const plans[CM_KERNEL_NR_PROFILES]);

/* cli/fleet_hosts.c: one host of plan, nodes and diagnose. */
int cli_fleet_plan_host(const struct cli *c, const char *path, struct cm_report_item *host, struct cm_error *err);
int cli_fleet_nodes_host(const struct cli *c, const char *path, struct cm_report_item *host, struct cm_error *err);
int cli_fleet_diagnose_host(const struct cli *c, const char *path, struct cm_report_item *host,
			    struct cm_error *err);

#define CLI_FLEET_OPTIONS \
	OPT_GROUP("Fleets (several --dmesg, a directory, or - for paths on stdin; JSON Lines out):"), \
	OPT_INTEGER('j', "jobs", struct cli, jobs, "N", "hosts worked on at once (default 1)")

/* Load the platform, plan TDX, compute tiers and node capability; an exit status on failure. */
int cli_boot_load(const struct cli *c, struct cli_boot *b);
void cli_boot_free(struct cli_boot *b);

/* The boot-time tiers and demotion targets of @p under the configured model. */
int cli_build_tiering(const struct cli *c, const struct cm_platform *p, struct cm_tiering *t);
/* Run the TDX plan with the options of @c; EXIT_REFUSED on out-of-memory. */
int cli_build_plan(const struct cli *c, const struct cm_platform *p, struct cm_tdx_plan **plan);

/* Each command's options, in its cmd_*.c file; the command table in confmem.c names them. */
extern const struct cli_option report_options[];
extern const struct cli_option plan_options[];
extern const struct cli_option nodes_options[];
extern const struct cli_option hotplug_options[];
extern const struct cli_option sim_options[];
extern const struct cli_option exec_options[];
extern const struct cli_option sgx_options[];
extern const struct cli_option presets_options[];
extern const struct cli_option bench_options[];
extern const struct cli_option module_config_options[];
extern const struct cli_option diagnose_options[];

/* cli/man.c: the manual page of confmem (@name NULL) or of a subcommand, in roff. */
int cli_man_page(FILE *f, const struct cli_command_table *t, const struct cli_option *common, const char *name);
/* cli/completion.c: the bash completion script. */
void cli_bash_completion(FILE *f, const struct cli_command_table *t);

int cmd_report(int argc, char **argv, const struct cmd_struct *cmd);
int cmd_plan(int argc, char **argv, const struct cmd_struct *cmd);
int cmd_nodes(int argc, char **argv, const struct cmd_struct *cmd);
int cmd_hotplug(int argc, char **argv, const struct cmd_struct *cmd);
int cmd_presets(int argc, char **argv, const struct cmd_struct *cmd);
int cmd_bench(int argc, char **argv, const struct cmd_struct *cmd);
int cmd_sim(int argc, char **argv, const struct cmd_struct *cmd);
int cmd_exec(int argc, char **argv, const struct cmd_struct *cmd);
int cmd_sgx(int argc, char **argv, const struct cmd_struct *cmd);
int cmd_module_config(int argc, char **argv, const struct cmd_struct *cmd);
int cmd_diagnose(int argc, char **argv, const struct cmd_struct *cmd);

#endif
