// SPDX-License-Identifier: MIT
/*
 * confmem: the command table, the options every subcommand shares, and
 * platform loading. Each subcommand lives in its own cmd_*.c file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef CONFMEM_VERSION
#define CONFMEM_VERSION "0"
#endif

struct cmd_struct {
	const char *name;
	int (*fn)(struct cli *c);
	unsigned int allowed;
	const char *usage;
	const char *summary;
};

static const struct cmd_struct commands[] = {
	{ "report", cmd_report, OPT_SOURCE | OPT_JSON | OPT_DUMP, "confmem report [SOURCE] [--json] [-u]",
	  "the boot-time picture: memory map, nodes, EPC, TDX plan summary (the default command)" },
	{ "plan", cmd_plan, OPT_SOURCE | OPT_JSON | OPT_TDMR_BIN, "confmem plan [SOURCE] [--json] [-u] [--tdmr-bin FILE]",
	  "the TDX plan in detail: TDMRs, PAMTs, reserved areas, the module's verdict" },
	{ "nodes", cmd_nodes, OPT_SOURCE | OPT_JSON | OPT_NODEMASK | OPT_EXPORT,
	  "confmem nodes [SOURCE] [--json] [-u] [--nodemask capable] [--export-sysfs DIR]",
	  "per-node CPUs, kind, memory, crypto_capable, TDX memory and PAMT" },
	{ "hotplug", cmd_hotplug, OPT_SOURCE | OPT_JSON | OPT_HOTPLUG | OPT_NODE,
	  "confmem hotplug START SIZE [SOURCE] [--node N | --new-node] [--mode check|notifier|devdax] [--json]",
	  "the verdict and kernel messages for hot-adding a range" },
	{ "sim", cmd_sim, OPT_JSON | OPT_SIM,
	  "confmem sim SCENARIO [--json] [-u] [--trace FILE] [--seed N] [--check]",
	  "run a scenario: the page-level simulation with reclaim, demotion, swap and cgroups" },
	{ "exec", cmd_exec, OPT_SOURCE | OPT_EXEC | OPT_NODE,
	  "confmem exec [SOURCE] [--capable-only] [--node LIST] -- COMMAND [ARGS...]",
	  "run a command with its memory bound to the platform's encryption-capable nodes on this machine" },
	{ "sgx", cmd_sgx, OPT_JSON | OPT_ARGS, "confmem sgx measure ENCLAVE.json [--json]",
	  "MRENCLAVE of a described enclave and which kernel interface can build it (docs/sgx-measure.md)" },
	{ "presets", cmd_presets, OPT_JSON, "confmem presets [--json]", "list the built-in platforms" },
	{ "bench", cmd_bench, OPT_QUICK, "confmem bench [--quick]", "benchmarks, printed as key: value lines" },
};

static const char source_help[] =
	"Platform source (one of; default --preset default):\n"
	"  --preset NAME         built-in platform (confmem presets)\n"
	"  --platform FILE       platform JSON (see README and examples/)\n"
	"  --dmesg FILE          a boot log (BIOS-e820, SRAT, memblock, virt/tdx CMR lines)\n"
	"  --live [--sysroot DIR] this machine's /proc/iomem and /sys (DIR replaces /)\n"
	"  --cmrs LIST           with --live: CMRs as START-END[,START-END...] (sizes like 4G allowed)\n"
	"Plan options:\n"
	"  --holes memlist|cmr   reserved-area holes from the memory list (kernel) or the CMRs\n"
	"  --optimize            merge touching reserved areas\n"
	"  --set KEY=VALUE       set a configuration knob (below)\n"
	"Output:\n"
	"  --json                machine-readable output on stdout\n"
	"  -u, --human           with --json: addresses as hex strings, sizes as \"64.00 GiB (68.72 GB)\"\n"
	"  -v                    more detail (debug lines)\n";

static void print_knobs(FILE *f)
{
	fprintf(f, "Configuration knobs (--set KEY=VALUE):\n");
	for (size_t i = 0; i < cm_config_knob_count(); i++) {
		const struct cm_config_knob *k = cm_config_knob(i);

		fprintf(f, "  %-24s %-22s %s\n", k->key, k->values, k->meaning);
	}
}

static void usage_main(FILE *f)
{
	fprintf(f, "usage: confmem [SUBCOMMAND] [OPTIONS]\n\nSubcommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nWith no subcommand, confmem runs 'report' on the default preset.\n"
		"'confmem SUBCOMMAND --help' describes one subcommand.\n"
		"Exit status: 0 success, 1 the system refused (TDX cannot be initialised, a hot-add is "
		"rejected), 2 bad input or usage.\n\n%s\n", source_help);
	print_knobs(f);
}

static void usage_command(const struct cmd_struct *cmd)
{
	printf("usage: %s\n\n%s.\n\n", cmd->usage, cmd->summary);
	if (cmd->allowed & OPT_SOURCE) {
		printf("%s\n", source_help);
		print_knobs(stdout);
	}
	if (cmd->allowed & OPT_HOTPLUG)
		printf("\nHot-add options:\n"
		       "  START SIZE            the range (numbers or sizes like 1T, 64G), whole memory blocks\n"
		       "  --node N              the node it joins (default: the platform's hot-plug window)\n"
		       "  --new-node            put it on a new memory-only node\n"
		       "  --mode check|notifier|devdax   default: hotplug.mode (check)\n");
	if (cmd->allowed & OPT_TDMR_BIN)
		printf("\n  --tdmr-bin FILE       write the TDMR_INFO array as laid out for the module\n");
	if (cmd->allowed & OPT_NODEMASK)
		printf("\n  --nodemask capable    print the crypto-capable nodes in list syntax\n"
		       "  --export-sysfs DIR    write DIR/devices/system/{node,memory} in the kernel's formats\n");
	if (cmd->allowed & OPT_DUMP)
		printf("\n  --dump-platform       print the platform as JSON that --platform loads back\n");
	if (cmd->allowed & OPT_QUICK)
		printf("\n  --quick               smaller sizes, under 30 seconds\n");
	if (cmd->allowed & OPT_EXEC)
		printf("\n  --capable-only        bind to the platform's crypto-capable nodes (with --node: those of LIST)\n"
		       "  --node LIST           bind to these nodes (list syntax); only those on this machine are used\n"
		       "  -- COMMAND [ARGS...]  the command, run with MPOL_BIND through libnuma\n"
		       "Exit status 1 when no chosen node exists on this machine.\n");
	if (cmd->allowed & OPT_SIM)
		printf("\n  SCENARIO              a scenario JSON file (docs/scenarios.md, examples/)\n"
		       "  --trace FILE          write the event log (kernel messages, actor starts and ends)\n"
		       "  --seed N              replace the scenario's seed\n"
		       "  --check               verify every invariant after every simulated millisecond\n"
		       "Exit status 1 when an expectation fails or an invariant breaks.\n");
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

static int parse_cmrs(struct cli *c, const char *arg)
{
	char *copy = strdup(arg), *save = NULL;
	int ret = 0;

	if (!copy)
		return cli_bad_input("out of memory");
	for (char *tok = strtok_r(copy, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		const char *why;
		uint64_t start, end;

		if (c->nr_cmrs >= CM_MAX_CMRS) {
			ret = cli_bad_input("--cmrs: more than %d CMRs", CM_MAX_CMRS);
			break;
		}
		if (!dash) {
			ret = cli_bad_input("--cmrs: expected START-END, found \"%s\"", tok);
			break;
		}
		*dash = '\0';
		if (cm_parse_size(tok, &start, &why) || cm_parse_size(dash + 1, &end, &why)) {
			ret = cli_bad_input("--cmrs: %s in \"%s-%s\"", why, tok, dash + 1);
			break;
		}
		c->cmrs[c->nr_cmrs].start = start;
		c->cmrs[c->nr_cmrs].end = end;
		c->nr_cmrs++;
	}
	free(copy);
	return ret;
}

enum {
	LOPT_PLATFORM = 256, LOPT_PRESET, LOPT_DMESG, LOPT_LIVE, LOPT_SYSROOT, LOPT_CMRS, LOPT_JSON,
	LOPT_DUMP, LOPT_TDMR_BIN, LOPT_NODEMASK, LOPT_EXPORT, LOPT_NODE, LOPT_NEW_NODE, LOPT_MODE,
	LOPT_QUICK, LOPT_SET, LOPT_HOLES, LOPT_OPTIMIZE, LOPT_HELP, LOPT_TRACE, LOPT_SEED, LOPT_CHECK,
	LOPT_CAPABLE_ONLY,
};

static const struct option long_options[] = {
	{ "platform", required_argument, NULL, LOPT_PLATFORM },
	{ "preset", required_argument, NULL, LOPT_PRESET },
	{ "dmesg", required_argument, NULL, LOPT_DMESG },
	{ "live", no_argument, NULL, LOPT_LIVE },
	{ "sysroot", required_argument, NULL, LOPT_SYSROOT },
	{ "cmrs", required_argument, NULL, LOPT_CMRS },
	{ "json", no_argument, NULL, LOPT_JSON },
	{ "human", no_argument, NULL, 'u' },
	{ "dump-platform", no_argument, NULL, LOPT_DUMP },
	{ "tdmr-bin", required_argument, NULL, LOPT_TDMR_BIN },
	{ "nodemask", required_argument, NULL, LOPT_NODEMASK },
	{ "export-sysfs", required_argument, NULL, LOPT_EXPORT },
	{ "node", required_argument, NULL, LOPT_NODE },
	{ "new-node", no_argument, NULL, LOPT_NEW_NODE },
	{ "mode", required_argument, NULL, LOPT_MODE },
	{ "quick", no_argument, NULL, LOPT_QUICK },
	{ "set", required_argument, NULL, LOPT_SET },
	{ "holes", required_argument, NULL, LOPT_HOLES },
	{ "optimize", no_argument, NULL, LOPT_OPTIMIZE },
	{ "help", no_argument, NULL, LOPT_HELP },
	{ "trace", required_argument, NULL, LOPT_TRACE },
	{ "seed", required_argument, NULL, LOPT_SEED },
	{ "check", no_argument, NULL, LOPT_CHECK },
	{ "capable-only", no_argument, NULL, LOPT_CAPABLE_ONLY },
	{ NULL, 0, NULL, 0 },
};

static unsigned int option_class(int opt)
{
	switch (opt) {
	case LOPT_PLATFORM: case LOPT_PRESET: case LOPT_DMESG: case LOPT_LIVE: case LOPT_SYSROOT:
	case LOPT_CMRS: case LOPT_SET: case LOPT_HOLES: case LOPT_OPTIMIZE:
		return OPT_SOURCE;
	case LOPT_JSON: case 'u':
		return OPT_JSON;
	case LOPT_DUMP: return OPT_DUMP;
	case LOPT_TDMR_BIN: return OPT_TDMR_BIN;
	case LOPT_NODEMASK: return OPT_NODEMASK;
	case LOPT_EXPORT: return OPT_EXPORT;
	case LOPT_NODE: return OPT_NODE;
	case LOPT_CAPABLE_ONLY: return OPT_EXEC;
	case LOPT_NEW_NODE: case LOPT_MODE: return OPT_HOTPLUG;
	case LOPT_QUICK: return OPT_QUICK;
	case LOPT_TRACE: case LOPT_SEED: case LOPT_CHECK: return OPT_SIM;
	}
	return 0;
}

static int set_knob(struct cli *c, const char *key, const char *value)
{
	struct cm_error err = { 0 };

	if (cm_config_set_value(&c->config, key, value, &err))
		return cli_bad_input("%s", err.msg);
	return 0;
}

/* Returns -1 to go on, or an exit status. */
static int parse_options(struct cli *c, const struct cmd_struct *cmd, int argc, char **argv)
{
	struct cm_error err = { 0 };
	int opt, nr_sources = 0, ret = 0;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "uvh", long_options, NULL)) != -1) {
		unsigned int cls = option_class(opt);

		if (opt == LOPT_HELP || opt == 'h') {
			usage_command(cmd);
			return EXIT_OK;
		}
		if (opt == '?')
			return cli_bad_input("%s: unknown option '%s' (confmem %s --help)", cmd->name,
					     argv[optind - 1], cmd->name);
		if (cls && !(cmd->allowed & cls))
			return cli_bad_input("%s: option '%s' does not apply to this subcommand", cmd->name,
					     argv[optind - 1]);
		switch (opt) {
		case LOPT_PLATFORM: c->platform_file = optarg; nr_sources++; break;
		case LOPT_PRESET: c->preset = optarg; nr_sources++; break;
		case LOPT_DMESG: c->dmesg_file = optarg; nr_sources++; break;
		case LOPT_LIVE: c->live = true; nr_sources++; break;
		case LOPT_SYSROOT: c->sysroot = optarg; break;
		case LOPT_CMRS: ret = parse_cmrs(c, optarg); break;
		case LOPT_JSON: c->json = true; break;
		case 'u': c->human = true; break;
		case 'v': c->verbose++; break;
		case LOPT_DUMP: c->dump_platform = true; break;
		case LOPT_TDMR_BIN: c->tdmr_bin = optarg; break;
		case LOPT_NODEMASK:
			if (strcmp(optarg, "capable"))
				return cli_bad_input("--nodemask: expected \"capable\", found \"%s\"", optarg);
			c->nodemask = optarg;
			break;
		case LOPT_EXPORT: c->export_sysfs = optarg; break;
		case LOPT_NODE: {
			struct cm_bitmap b = { .words = &c->node_list, .nbits = CM_MAX_NUMNODES };
			const char *why;

			c->node_list = 0;
			if (cm_bitmap_parse_list(&b, optarg, &why) || !c->node_list || strchr(optarg, '\n'))
				return cli_bad_input("--node: expected node ids 0..%d in list syntax (e.g. 0-1,4), found "
						     "\"%s\"", CM_MAX_NUMNODES - 1, optarg);
			c->node_list_given = true;
			c->node = __builtin_popcountll(c->node_list) == 1 ? __builtin_ctzll(c->node_list) : -1;
			if (!(cmd->allowed & OPT_EXEC) && c->node < 0)
				return cli_bad_input("--node: expected one node id, found \"%s\"", optarg);
			break;
		}
		case LOPT_CAPABLE_ONLY: c->capable_only = true; break;
		case LOPT_NEW_NODE: c->new_node = true; break;
		case LOPT_MODE: ret = set_knob(c, "hotplug.mode", optarg); break;
		case LOPT_QUICK: c->quick = true; break;
		case LOPT_TRACE: c->trace = optarg; break;
		case LOPT_CHECK: c->check = true; break;
		case LOPT_SEED: {
			const char *why;

			if (cm_parse_size(optarg, &c->seed, &why))
				return cli_bad_input("--seed: %s, found \"%s\"", why, optarg);
			c->seed_given = true;
			break;
		}
		case LOPT_SET:
			if (cm_config_set(&c->config, optarg, &err))
				return cli_bad_input("%s", err.msg);
			break;
		case LOPT_HOLES: ret = set_knob(c, "tdx.holes", optarg); break;
		case LOPT_OPTIMIZE: c->config.tdx.merge = CM_TDX_MERGE_TOUCHING; break;
		}
		if (ret)
			return ret;
	}
	if (nr_sources > 1)
		return cli_bad_input("give one platform source (--preset, --platform, --dmesg or --live)");
	if ((c->sysroot || c->nr_cmrs) && !c->live)
		return cli_bad_input("--sysroot and --cmrs go with --live");
	if (c->human && !c->json)
		return cli_bad_input("-u/--human goes with --json");
	if (c->new_node && c->node_list_given)
		return cli_bad_input("give --node or --new-node, not both");
	c->args = argv + optind;
	c->nr_args = argc - optind;
	return -1;
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
	else
		ret = cm_platform_from_preset(c->preset ? c->preset : "default", out, &err);
	if (ret)
		return cli_bad_input("%s", err.msg);
	return 0;
}

void cli_print_json(struct json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
}

enum cm_json_style cli_json_style(const struct cli *c)
{
	return c->human ? CM_JSON_HUMAN : CM_JSON_RAW;
}

void cli_print_log(const struct cli *c, const struct cm_log *log, const char *prefix)
{
	for (size_t i = 0; i < log->nr_lines; i++)
		if (log->lines[i].level != CM_LOG_DEBUG || c->verbose)
			printf("%s%s\n", prefix, log->lines[i].text);
}

int main(int argc, char **argv)
{
	const struct cmd_struct *cmd = &commands[0];
	struct cli c;
	int ret;

	memset(&c, 0, sizeof(c));
	c.node = -1;
	cm_config_default(&c.config);
	if (argc > 1 && argv[1][0] != '-') {
		cmd = NULL;
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
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
		return EXIT_OK;
	} else if (argc > 1 && !strcmp(argv[1], "--version")) {
		printf("confmem %s\n", CONFMEM_VERSION);
		return EXIT_OK;
	}
	c.command = cmd->name;
	c.allowed = cmd->allowed;
	ret = parse_options(&c, cmd, argc, argv);
	if (ret >= 0)
		return ret;
	if (c.nr_args > 0 && !(cmd->allowed & (OPT_HOTPLUG | OPT_SIM | OPT_EXEC | OPT_ARGS)))
		return cli_bad_input("%s: unexpected argument '%s'", cmd->name, c.args[0]);
	return cmd->fn(&c);
}
