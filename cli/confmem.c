// SPDX-License-Identifier: MIT
/*
 * confmem: the command table, the options every subcommand shares, and
 * platform loading. Each subcommand lives in its own cmd_*.c file with
 * its options; options.c parses them and prints their --help.
 */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef CONFMEM_VERSION
#define CONFMEM_VERSION "0"
#endif

static const struct cmd_struct commands[] = {
	{ "report", cmd_report, "the boot-time picture: memory map, nodes, EPC, TDX plan summary (the default command)",
	  "confmem report [SOURCE] [--json] [-u]", report_options,
	  "Loads one platform, plans TDX on it as the kernel would, and prints the whole boot-time picture: the "
	  "e820 map, the memory per node with its CPUs, kind, encryption capability and tier, the demotion "
	  "targets, the EPC sections and the plan's summary with the module's verdict. --dump-platform prints "
	  "the platform as JSON that --platform loads back." },
	{ "plan", cmd_plan, "the TDX plan in detail: TDMRs, PAMTs, reserved areas, the module's verdict",
	  "confmem plan [SOURCE] [--json] [-u] [--tdmr-bin FILE]", plan_options,
	  "Runs the kernel's TDX memory setup on the platform: CMRs, the TDX memory list, every TDMR with its "
	  "PAMT blocks (4K, 2M, 1G) and reserved areas, and the emulated module's TDH.SYS.CONFIG verdict, with "
	  "the kernel's own log lines (virt/tdx:). Exit status 1 when TDX cannot be initialised on a platform "
	  "that has it; a platform without TDX is reported as disabled and exits 0." },
	{ "nodes", cmd_nodes, "per-node CPUs, kind, memory, crypto_capable, TDX memory and PAMT",
	  "confmem nodes [SOURCE] [--json] [-u] [--node LIST] [--kind KIND] [--nodemask capable] "
	  "[--export-sysfs DIR]", nodes_options,
	  "One row per NUMA node, as numactl -H and lsmem show them: CPUs, kind, memory, crypto_capable, TDX "
	  "memory and PAMT, memory tier and demotion targets; --node and --kind keep the rows of the nodes they "
	  "name. --nodemask prints a node list in the kernel's "
	  "syntax (0-1,4); --export-sysfs writes the sysfs and /proc/iomem tree that --live --sysroot reads back." },
	{ "hotplug", cmd_hotplug, "the verdict and kernel messages for hot-adding a range",
	  "confmem hotplug START SIZE [SOURCE] [--node N | --new-node] [--mode check|notifier|devdax] [--json]",
	  hotplug_options,
	  "Judges hot-adding START SIZE as the kernel would with TDX on: check (the range must be in a CMR), "
	  "notifier (every memory block's online is refused) or devdax, and prints the messages the kernel "
	  "would log. Exit status 1 when the add is refused." },
	{ "sim", cmd_sim, "run a scenario: the page-level simulation with reclaim, demotion, swap and cgroups",
	  "confmem sim SCENARIO [--json] [-u] [--trace FILE] [--seed N] [--check]", sim_options,
	  "Runs a scenario file (docs/scenarios.md): the page-level simulation of reclaim, demotion, swap, "
	  "memory cgroups, hot-add, SGX EPC and its cgroup, and prints a summary, counters and, with --trace, "
	  "the event log. Exit status 1 when an expectation of the scenario fails." },
	{ "exec", cmd_exec, "run a command with a memory policy over the platform's encryption-capable nodes on this machine",
	  "confmem exec [SOURCE] [--capable-only] [--node LIST | --interleave LIST|capable | --preferred NODE] [--show] "
	  "[-- COMMAND [ARGS...]]", exec_options,
	  "Runs COMMAND with a memory policy set as numactl sets it (set_mempolicy through libnuma): bound "
	  "(MPOL_BIND) to the platform's encryption-capable nodes, or to the nodes of --node, interleaved "
	  "(MPOL_INTERLEAVE) over the nodes of --interleave, or preferring (MPOL_PREFERRED) the node of "
	  "--preferred; only the nodes that exist on this machine are used. --show prints the policy and its "
	  "nodes, then runs COMMAND when one is given. Exit status 1 when no chosen node exists here, 127 when "
	  "COMMAND is not found, 126 when it cannot be run." },
	{ "sgx", cmd_sgx,
	  "MRENCLAVE of a described enclave and which kernel interface can build it (docs/sgx-measure.md)",
	  "confmem sgx measure ENCLAVE.json [--json] [-u]", sgx_options,
	  "sgx measure computes an enclave's MRENCLAVE (SHA-256 over the ECREATE, EADD and EEXTEND records), "
	  "its EEXTEND count and peak EPC pages, and whether the eextend ioctl and the one-sub-range-per-page "
	  "alternative can build it (docs/sgx-measure.md)." },
	{ "module-config", cmd_module_config,
	  "run a TDMR_INFO array through the emulated TDX module (TDH.SYS.CONFIG) and explain its status",
	  "confmem module-config --tdmr-info FILE --cmrs LIST [--max-reserved N] [--json] [-u]",
	  module_config_options,
	  "Runs a TDMR_INFO array (the layout plan --tdmr-bin writes) through the emulated module's "
	  "TDH.SYS.CONFIG, checked in the order of Intel's TDX module source, and explains the status: which "
	  "TDMR, reserved slot or PAMT level broke which rule. Exit status 1 when rejected." },
	{ "diagnose", cmd_diagnose, "explain a TDX host's boot log: what failed, the evidence lines, the fix",
	  "confmem diagnose --dmesg FILE [--json] [-u] [-v]", diagnose_options,
	  "Reads a TDX host's boot log: every TDX line (SEAMCALL leaves and status codes decoded), each known "
	  "failure found with its evidence lines, explanation and fix, and, where the log has an e820 map, the "
	  "plan compared with what the kernel printed (docs/diagnose.md). Exit status 1 for a failure." },
	{ "presets", cmd_presets, "list the built-in platforms", "confmem presets [--json] [-u]", presets_options,
	  "Lists the platforms built into confmem, for --preset NAME." },
	{ "bench", cmd_bench, "benchmarks, printed as key: value lines", "confmem bench [--quick]", bench_options,
	  "Runs the benchmarks (plan, engine, EPC, fleet) and prints one key: value line each, the median of "
	  "several runs in CPU time of the measuring thread." },
};

static const struct cli_command_table command_table = {
	.commands = commands,
	.nr_commands = sizeof(commands) / sizeof(commands[0]),
};

/* What 'confmem --help' lists after the commands. */
static const struct cli_option platform_options[] = {
	CLI_PLATFORM_OPTIONS("more detail: each command's --help says what it adds"),
	OPT_END(),
};

#define KNOB_KEY_WIDTH 24
#define KNOB_VALUES_WIDTH 22

void cli_print_knobs(FILE *f)
{
	fprintf(f, "Configuration knobs (--set KEY=VALUE):\n");
	for (size_t i = 0; i < cm_config_knob_count(); i++) {
		const struct cm_config_knob *k = cm_config_knob(i);
		char values[CM_KNOB_VALUES_MAX];

		cm_config_knob_values(k, values, sizeof(values));
		/* Values too long for their column put the meaning on the next line, in its column. */
		if (strlen(values) > KNOB_VALUES_WIDTH)
			fprintf(f, "  %-*s %s\n  %*s %*s %s\n", KNOB_KEY_WIDTH, k->key, values, KNOB_KEY_WIDTH, "",
				KNOB_VALUES_WIDTH, "", k->meaning);
		else
			fprintf(f, "  %-*s %-*s %s\n", KNOB_KEY_WIDTH, k->key, KNOB_VALUES_WIDTH, values, k->meaning);
	}
}

static void usage_main(FILE *f)
{
	int width = 0;

	/* The summaries start in one column, after the longest name. */
	for (size_t i = 0; i < command_table.nr_commands; i++)
		if ((int)strlen(commands[i].name) > width)
			width = (int)strlen(commands[i].name);
	fprintf(f, "usage: confmem [SUBCOMMAND] [OPTIONS]\n\nSubcommands:\n");
	for (size_t i = 0; i < command_table.nr_commands; i++)
		fprintf(f, "  %-*s %s\n", width, commands[i].name, commands[i].summary);
	fprintf(f, "\nWith no subcommand, confmem runs 'report' on the default preset.\n"
		"'confmem help SUBCOMMAND' (or 'confmem SUBCOMMAND --help') describes one subcommand; "
		"'confmem -V' prints the version.\n"
		"Exit status: 0 success, 1 the system refused (TDX cannot be initialised, a hot-add is "
		"rejected), 2 bad input or usage, or output that could not be written.\n\n");
	cli_options_help(f, platform_options);
}

int cli_bad_input(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "confmem: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_BAD_INPUT;
}

int cli_option_cmrs(void *base, void *value, const char *arg)
{
	struct cli *c = base;
	char *copy = strdup(arg), *save = copy;
	int ret = 0;

	(void)value;
	if (!copy)
		return cli_bad_input("out of memory");
	/* strsep(), not strtok(): an empty item (",,,", "a-b,") is an error, not skipped. */
	for (char *tok; !ret && (tok = strsep(&save, ",")); ) {
		char *dash = strchr(tok, '-');
		struct cm_error reason = { 0 };
		uint64_t start, end;

		if (!*tok) {
			ret = cli_bad_input("--cmrs: expected START-END items separated by commas, found an "
					    "empty item in \"%s\"", arg);
			break;
		}
		if (c->nr_cmrs >= CM_MAX_CMRS) {
			ret = cli_bad_input("--cmrs: more than %d CMRs", CM_MAX_CMRS);
			break;
		}
		if (!dash) {
			ret = cli_bad_input("--cmrs: expected START-END, found \"%s\"", tok);
			break;
		}
		*dash = '\0';
		if (cm_parse_size(tok, &start, &reason) || cm_parse_size(dash + 1, &end, &reason)) {
			ret = cli_bad_input("--cmrs: %s in \"%s-%s\"", reason.msg, tok, dash + 1);
			break;
		}
		c->cmrs[c->nr_cmrs].start = start;
		c->cmrs[c->nr_cmrs].end = end;
		c->nr_cmrs++;
	}
	free(copy);
	return ret;
}

/* --dmesg FILE: the platform's boot log; given again, one more host of a fleet. */
int cli_option_dmesg(void *base, void *value, const char *arg)
{
	struct cli *c = base;

	(void)value;
	if (c->nr_dmesg_files == CLI_MAX_DMESG_ARGS)
		return cli_bad_input("--dmesg: more than %d given; give a directory, or - and the paths on stdin",
				     CLI_MAX_DMESG_ARGS);
	if (!c->nr_dmesg_files) {
		c->dmesg_file = arg;
		c->nr_sources++;
	}
	c->dmesg_files[c->nr_dmesg_files++] = arg;
	return 0;
}

/* --preset, --platform, --dmesg: one of them (or --live) names the platform. */
int cli_option_source(void *base, void *value, const char *arg)
{
	struct cli *c = base;

	*(const char **)value = arg;
	c->nr_sources++;
	return 0;
}

int cli_option_live(void *base, void *value, const char *arg)
{
	struct cli *c = base;

	(void)arg;
	*(bool *)value = true;
	c->nr_sources++;
	return 0;
}

static int set_knob(struct cm_config *config, const char *key, const char *value)
{
	struct cm_error err = { 0 };

	if (cm_config_set_value(config, key, value, &err))
		return cli_bad_input("%s", err.msg);
	return 0;
}

int cli_option_holes(void *base, void *value, const char *arg)
{
	(void)base;
	return set_knob(value, "tdx.holes", arg);
}

int cli_option_kernel(void *base, void *value, const char *arg)
{
	(void)base;
	return set_knob(value, "tdx.kernel", arg);
}

int cli_option_optimize(void *base, void *value, const char *arg)
{
	struct cm_config *config = value;

	(void)base;
	(void)arg;
	config->tdx.merge = CM_TDX_MERGE_TOUCHING;
	return 0;
}

/* Does KEY=VALUE name a knob the registry does not know? */
static bool knob_unknown(const char *assignment)
{
	const char *eq = strchr(assignment, '=');
	char key[64];

	if (!eq || eq == assignment || (size_t)(eq - assignment) >= sizeof(key))
		return false;
	snprintf(key, sizeof(key), "%.*s", (int)(eq - assignment), assignment);
	return !cm_config_knob_find(key);
}

/* The library names the knob; the front end says it came from --set, and where the list is. */
int cli_option_set(void *base, void *value, const char *arg)
{
	struct cm_error err = { 0 };

	(void)base;
	if (!cm_config_set(value, arg, &err))
		return 0;
	if (knob_unknown(arg))
		return cli_bad_input("--set: %s (see confmem --help for the list)", err.msg);
	return cli_bad_input("--set: %s", err.msg);
}

int cli_option_node_list(void *base, void *value, const char *arg)
{
	struct cli_node_list *nodes = value;
	struct cm_bitmap b = { .words = &nodes->mask, .nbits = CM_MAX_NUMNODES };

	(void)base;
	nodes->mask = 0;
	if (cm_bitmap_parse_list(&b, arg, NULL) || !nodes->mask || strchr(arg, '\n'))
		return cli_bad_input("--node: expected node ids 0..%d in list syntax (e.g. 0-1,4), found \"%s\"",
				     CM_MAX_NUMNODES - 1, arg);
	nodes->given = true;
	return 0;
}

static const struct cmd_struct *find_command(const char *name);

int cli_parse(const struct cmd_struct *cmd, int argc, char **argv, struct cli *c)
{
	int ret;

	c->command = cmd->name;
	cm_config_default(&c->config);
	c->jobs = -1;		/* not given */
	ret = cli_options_parse(&command_table, cmd, argc, argv, c, &c->args, &c->nr_args);
	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	/* --sysroot DIR alone reads DIR as --live would (lsmem's --sysroot). */
	if (c->sysroot && !c->live) {
		c->live = true;
		c->nr_sources++;
	}
	if (c->nr_sources > 1)
		return cli_bad_input("give one platform source (--preset, --platform, --dmesg, or --live and/or "
				     "--sysroot DIR)");
	if (c->human && !c->json)
		return cli_bad_input("-u/--human goes with --json");
	if (c->jobs != -1 && (c->jobs < 1 || c->jobs > CLI_FLEET_MAX_JOBS))
		return cli_bad_input("--jobs: expected 1..%d, found %d", CLI_FLEET_MAX_JOBS, c->jobs);
	if (cli_fleet_requested(c) && !cli_options_find(cmd, "jobs"))
		return cli_bad_input("%s: one --dmesg FILE (several logs go with plan, nodes or diagnose)", cmd->name);
	if (c->jobs != -1 && !cli_fleet_requested(c))
		return cli_bad_input("--jobs goes with several logs (--dmesg given again, a directory, or -)");
	if (c->jobs == -1)
		c->jobs = 1;
	/* "confmem --preset big plan": report ran by default and found the subcommand after its options. */
	if (c->nr_args > 0 && !cli_options_take_arguments(cmd) && strcmp(argv[0], cmd->name) && find_command(c->args[0]))
		return cli_bad_input("options go after the subcommand: confmem %s [OPTIONS] (found '%s' after "
				     "options)", c->args[0], c->args[0]);
	if (c->nr_args > 0 && !cli_options_take_arguments(cmd))
		return cli_bad_input("%s: unexpected argument '%s'", cmd->name, c->args[0]);
	return CLI_PARSE_CONTINUE;
}

int cli_load_platform(const struct cli *c, struct cm_platform **out)
{
	struct cm_error err = { 0 };
	int ret;

	if (c->platform_file)
		ret = cm_platform_from_json_file(c->platform_file, out, &err);
	else if (c->dmesg_file)
		ret = cm_platform_from_dmesg_file(c->dmesg_file, out, &err);
	else if (c->live)
		ret = cm_platform_from_live(c->sysroot, c->cmrs, c->nr_cmrs, out, &err);
	else if ((ret = cm_platform_from_preset(c->preset ? c->preset : "default", out, &err)) == -EINVAL)
		return cli_bad_input("--preset: %s (confmem presets lists them)", err.msg);
	if (ret)
		return cli_bad_input("%s", err.msg);
	if (c->nr_cmrs && !c->live)
		cm_platform_set_cmrs(*out, c->cmrs, c->nr_cmrs);
	return 0;
}

int cli_show_report(const struct cli *c, const struct cm_report *r)
{
	struct cm_report_style style = { .json = cli_json_style(c), .verbose = c->verbose };
	int ret;

	if (cm_report_status(r))
		return cli_bad_input("out of memory");
	errno = 0;
	ret = cm_report_render(r, c->json ? "json" : "text", &style, stdout);
	if (ret == -EIO)
		return cli_stdout_failed(errno);
	if (ret)
		return cli_bad_input("cannot render the report: %s", strerror(-ret));
	return cli_flush_stdout();
}

enum cm_json_style cli_json_style(const struct cli *c)
{
	return c->human ? CM_JSON_HUMAN : CM_JSON_RAW;
}

static const struct cmd_struct *find_command(const char *name)
{
	for (size_t i = 0; i < command_table.nr_commands; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	fprintf(stderr, "confmem: unknown subcommand '%s'\n\n", name);
	usage_main(stderr);
	return EXIT_BAD_INPUT;
}

/* confmem help [SUBCOMMAND]: as git's, the same text as --help. */
static int help_command(int argc, char **argv)
{
	const struct cmd_struct *cmd;

	if (argc < 3) {
		usage_main(stdout);
		return EXIT_OK;
	}
	if (argc > 3)
		return cli_bad_input("help: expected one subcommand, found '%s' too", argv[3]);
	cmd = find_command(argv[2]);
	if (!cmd)
		return unknown_command(argv[2]);
	cli_options_usage(stdout, cmd);
	return EXIT_OK;
}

/*
 * The program's own options, before any subcommand: --help, --version,
 * and the generators the build runs (--commands, --man [SUBCOMMAND],
 * --bash-completion). CLI_PARSE_CONTINUE when argv[1] is none of them.
 */
static int program_option(int argc, char **argv)
{
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage_main(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("confmem %s\n", CONFMEM_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--man")) {
		if (argc > 3)
			return cli_bad_input("--man: expected at most one subcommand");
		return cli_man_page(stdout, &command_table, platform_options, argc == 3 ? argv[2] : NULL);
	}
	if (!strcmp(argv[1], "--commands")) {
		for (size_t i = 0; i < command_table.nr_commands; i++)
			printf("%s\n", commands[i].name);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--bash-completion")) {
		cli_bash_completion(stdout, &command_table);
		return EXIT_OK;
	}
	return CLI_PARSE_CONTINUE;
}

int main(int argc, char **argv)
{
	const struct cmd_struct *cmd = &commands[0];
	int ret;

	/*
	 * No fastbins: JSON trees are millions of small objects freed at once,
	 * and with fastbins glibc consolidates them again at every large
	 * request in between (a fifth of `plan --json` on 100,000 ranges).
	 * Small blocks still come from the per-thread cache.
	 */
	mallopt(M_MXFAST, 0);
	if (argc > 1 && !strcmp(argv[1], "help"))
		return cli_close_stdout(help_command(argc, argv));
	if (argc > 1 && argv[1][0] != '-') {
		cmd = find_command(argv[1]);
		if (!cmd)
			return unknown_command(argv[1]);
		argc--;
		argv++;
	} else if (argc > 1 && (ret = program_option(argc, argv)) != CLI_PARSE_CONTINUE) {
		return cli_close_stdout(ret);
	}
	return cli_close_stdout(cmd->fn(argc, argv, cmd));
}
