// SPDX-License-Identifier: MIT
/*
 * confmem: the command table, the options every subcommand shares, and
 * platform loading. Each subcommand lives in its own cmd_*.c file with
 * its options; options.c parses them and prints their --help.
 */
#include <errno.h>
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
	  "confmem report [SOURCE] [--json] [-u]", report_options },
	{ "plan", cmd_plan, "the TDX plan in detail: TDMRs, PAMTs, reserved areas, the module's verdict",
	  "confmem plan [SOURCE] [--json] [-u] [--tdmr-bin FILE]", plan_options },
	{ "nodes", cmd_nodes, "per-node CPUs, kind, memory, crypto_capable, TDX memory and PAMT",
	  "confmem nodes [SOURCE] [--json] [-u] [--nodemask capable] [--export-sysfs DIR]", nodes_options },
	{ "hotplug", cmd_hotplug, "the verdict and kernel messages for hot-adding a range",
	  "confmem hotplug START SIZE [SOURCE] [--node N | --new-node] [--mode check|notifier|devdax] [--json]",
	  hotplug_options },
	{ "sim", cmd_sim, "run a scenario: the page-level simulation with reclaim, demotion, swap and cgroups",
	  "confmem sim SCENARIO [--json] [-u] [--trace FILE] [--seed N] [--check]", sim_options },
	{ "exec", cmd_exec, "run a command with its memory bound to the platform's encryption-capable nodes on this machine",
	  "confmem exec [SOURCE] [--capable-only] [--node LIST] -- COMMAND [ARGS...]", exec_options },
	{ "sgx", cmd_sgx,
	  "MRENCLAVE of a described enclave and which kernel interface can build it (docs/sgx-measure.md)",
	  "confmem sgx measure ENCLAVE.json [--json]", sgx_options },
	{ "module-config", cmd_module_config,
	  "run a TDMR_INFO array through the emulated TDX module (TDH.SYS.CONFIG) and explain its status",
	  "confmem module-config --tdmr-info FILE --cmrs LIST [--max-reserved N] [--json] [-u]",
	  module_config_options },
	{ "diagnose", cmd_diagnose, "explain a TDX host's boot log: what failed, the evidence lines, the fix",
	  "confmem diagnose --dmesg FILE [--json] [-u] [-v]", diagnose_options },
	{ "presets", cmd_presets, "list the built-in platforms", "confmem presets [--json]", presets_options },
	{ "bench", cmd_bench, "benchmarks, printed as key: value lines", "confmem bench [--quick]", bench_options },
};

static const struct cli_command_table command_table = {
	.commands = commands,
	.nr_commands = sizeof(commands) / sizeof(commands[0]),
};

/* What 'confmem --help' lists after the commands. */
static const struct cli_option platform_options[] = {
	CLI_PLATFORM_OPTIONS,
	OPT_END(),
};

void cli_print_knobs(FILE *f)
{
	fprintf(f, "Configuration knobs (--set KEY=VALUE):\n");
	for (size_t i = 0; i < cm_config_knob_count(); i++) {
		const struct cm_config_knob *k = cm_config_knob(i);
		char values[CM_KNOB_VALUES_MAX];

		fprintf(f, "  %-24s %-22s %s\n", k->key, cm_config_knob_values(k, values, sizeof(values)), k->meaning);
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
		"'confmem SUBCOMMAND --help' describes one subcommand.\n"
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

int cli_parse(const struct cmd_struct *cmd, int argc, char **argv, struct cli *c)
{
	int ret;

	c->command = cmd->name;
	cm_config_default(&c->config);
	c->jobs = -1;		/* not given */
	ret = cli_options_parse(&command_table, cmd, argc, argv, c, &c->args, &c->nr_args);
	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (c->nr_sources > 1)
		return cli_bad_input("give one platform source (--preset, --platform, --dmesg or --live)");
	if (c->sysroot && !c->live)
		return cli_bad_input("--sysroot goes with --live");
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

int main(int argc, char **argv)
{
	const struct cmd_struct *cmd = &commands[0];

	if (argc > 1 && argv[1][0] != '-') {
		cmd = NULL;
		for (size_t i = 0; i < command_table.nr_commands; i++)
			if (!strcmp(argv[1], commands[i].name))
				cmd = &commands[i];
		if (!cmd) {
			fprintf(stderr, "confmem: unknown subcommand '%s'\n\n", argv[1]);
			usage_main(stderr);
			return EXIT_BAD_INPUT;
		}
		argc--;
		argv++;
	} else if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage_main(stdout);
		return cli_close_stdout(EXIT_OK);
	} else if (argc > 1 && !strcmp(argv[1], "--version")) {
		printf("confmem %s\n", CONFMEM_VERSION);
		return cli_close_stdout(EXIT_OK);
	}
	return cli_close_stdout(cmd->fn(argc, argv, cmd));
}
