/* SPDX-License-Identifier: MIT */
#ifndef CONFMEM_CLI_H
#define CONFMEM_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "confmem/config.h"
#include "confmem/numa.h"
#include "confmem/platform.h"
#include "confmem/report.h"
#include "confmem/tdx.h"
#include "confmem/tiering.h"

enum cli_exit { EXIT_OK = 0, EXIT_REFUSED = 1, EXIT_BAD_INPUT = 2 };

/* Options a subcommand may accept (a mask; others are a usage error). */
enum cli_option {
	OPT_SOURCE = 1 << 0,	/* --platform/--preset/--dmesg/--live/--sysroot/--cmrs, --set, --holes, --optimize */
	OPT_JSON = 1 << 1,	/* --json, -u/--human */
	OPT_DUMP = 1 << 2,	/* --dump-platform */
	OPT_TDMR_BIN = 1 << 3,
	OPT_NODEMASK = 1 << 4,
	OPT_EXPORT = 1 << 5,
	OPT_HOTPLUG = 1 << 6,	/* --node, --new-node, --mode */
	OPT_QUICK = 1 << 7,
	OPT_SIM = 1 << 8,	/* --trace, --seed, --check */
	OPT_ARGS = 1 << 9,	/* takes positional arguments (sgx ACTION FILE) */
	OPT_EXEC = 1 << 10,	/* --capable-only */
	OPT_NODE = 1 << 11,	/* --node LIST */
};

struct cli {
	const char *command;
	unsigned int allowed;

	const char *platform_file;
	const char *preset;
	const char *dmesg_file;
	bool live;
	const char *sysroot;
	struct cm_range cmrs[CM_MAX_CMRS];
	unsigned int nr_cmrs;

	bool json;
	bool human;
	int verbose;
	bool dump_platform;
	const char *tdmr_bin;
	const char *nodemask;
	const char *export_sysfs;
	int node;		/* --node with exactly one node, else -1 */
	cm_nodemask_t node_list;	/* --node LIST */
	bool node_list_given;
	bool capable_only;
	bool new_node;
	bool quick;
	const char *trace;
	uint64_t seed;
	bool seed_given;
	bool check;

	struct cm_config config;
	char **args;		/* positional arguments */
	int nr_args;
};

/* Report bad input or usage on stderr; returns EXIT_BAD_INPUT. */
int cli_bad_input(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Load the platform the options name (the default preset when none). */
int cli_load_platform(const struct cli *c, struct cm_platform **out);
void cli_print_json(struct json_object *o);
enum cm_json_style cli_json_style(const struct cli *c);
/* Print a log with a prefix per line ("virt/tdx: "); debug lines only with -v. */
void cli_print_log(const struct cli *c, const struct cm_log *log, const char *prefix);
/* The boot-time picture every reporting subcommand starts from. */
struct cli_boot {
	struct cm_platform *platform;
	struct cm_tdx_plan *plan;
	struct cm_tiering tiering;
	struct cm_node_capability *caps;
	struct cm_log cap_log;
};

/* Load the platform, plan TDX, compute tiers and node capability; an exit status on failure. */
int cli_boot_load(const struct cli *c, struct cli_boot *b);
void cli_boot_free(struct cli_boot *b);

/* The boot-time tiers and demotion targets of @p under the configured model. */
int cli_build_tiering(const struct cli *c, const struct cm_platform *p, struct cm_tiering *t);
/* Run the TDX plan with the options of @c; EXIT_REFUSED on out-of-memory. */
int cli_build_plan(const struct cli *c, const struct cm_platform *p, struct cm_tdx_plan **plan);

int cmd_report(struct cli *c);
int cmd_plan(struct cli *c);
int cmd_nodes(struct cli *c);
int cmd_hotplug(struct cli *c);
int cmd_presets(struct cli *c);
int cmd_bench(struct cli *c);
int cmd_sim(struct cli *c);
int cmd_exec(struct cli *c);
int cmd_sgx(struct cli *c);

#endif
