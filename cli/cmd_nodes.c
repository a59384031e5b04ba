// SPDX-License-Identifier: MIT
/*
 * confmem nodes: per-node capability (SPEC 4).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "confmem/numa.h"

struct nodes_cmd {
	struct cli cli;
	const char *nodemask;
	const char *export_sysfs;
	bool force;
	struct cli_pictures pictures;
};
CLI_ARGS_CHECK(struct nodes_cmd);

static int option_nodemask(void *base, void *value, const char *arg)
{
	(void)base;
	if (strcmp(arg, "capable"))
		return cli_bad_input("--nodemask: expected \"capable\", found \"%s\"", arg);
	*(const char **)value = arg;
	return 0;
}

const struct cli_option nodes_options[] = {
	CLI_PLATFORM_OPTIONS,
	OPT_GROUP(""),
	OPT_CALLBACK(0, "nodemask", struct nodes_cmd, nodemask, "capable",
		     "print the crypto-capable nodes in list syntax", option_nodemask),
	OPT_STRING(0, "export-sysfs", struct nodes_cmd, export_sysfs, "DIR",
		   "write DIR/devices/system/{node,memory} in the kernel's formats (DIR empty or new)"),
	OPT_BOOLEAN(0, "force", struct nodes_cmd, force, "with --export-sysfs: write into a non-empty DIR"),
	CLI_FLEET_OPTIONS,
	OPT_STRING(0, "svg", struct nodes_cmd, pictures.svg, "FILE", CLI_SVG_HELP),
	OPT_END(),
};

static const struct cm_report_nodes_layout nodes_layout = {
	.node = "%-5s ",
	.cpus = "%-12s ",
	.kind = "%-5s ",
	.memory = "%12s ",
	.crypto_capable = "%15s ",
	.tdx_memory_bytes = "%11s ",
	.pamt = "%11s ",
	.tier = "%-6s ",
	.demotion = "%s\n",
};

/* The table of nodes (the JSON array), the capability log, and -v's tiering log. */
static int show_nodes(const struct cli *c, const struct cli_boot *b, const char *export_sysfs,
		      const struct cli_pictures *pictures)
{
	struct cm_report *r = cm_report_new();
	struct cm_report_item *doc;
	char line[4200];
	int ret;

	if (!r)
		return cli_bad_input("out of memory");
	cli_prepare_pictures(r, pictures);
	doc = cm_report_document(r);
	snprintf(line, sizeof(line), "%-5s %-12s %-5s %12s %15s %11s %11s %-6s %s\n", "node", "cpus", "kind",
		 "memory", "crypto_capable", "tdx_memory", "pamt", "tier", "demotion");
	cm_report_add_text(doc, line);
	cm_report_add_nodes(doc, "nodes", b->platform, b->caps, &b->tiering, &nodes_layout);
	cm_report_add_log(doc, NULL, &b->cap_log, "");
	if (c->verbose)
		cm_report_add_log(doc, NULL, &b->tiering.log, "");
	if (export_sysfs) {
		snprintf(line, sizeof(line), "sysfs tree written under %s\n", export_sysfs);
		cm_report_add_text(doc, line);
	}
	ret = cli_show_report(c, r);
	if (!ret)
		ret = cli_write_pictures(c, r, pictures);
	cm_report_free(r);
	return ret;
}

static int export_sysfs(const struct nodes_cmd *args, const struct cli_boot *b)
{
	struct cm_sysfs_export_options opts = {
		.existing = args->force ? CM_SYSFS_EXPORT_REPLACE : CM_SYSFS_EXPORT_REFUSE_NONEMPTY,
	};
	struct cm_error err = { 0 };
	int ret = cm_export_sysfs(b->platform, b->caps, args->export_sysfs, &opts, &err);

	if (ret == -ENOTEMPTY)
		return cli_bad_input("--export-sysfs: %s (--force writes into it)", err.msg);
	if (ret)
		return cli_bad_input("--export-sysfs: %s", err.msg);
	return 0;
}

int cmd_nodes(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct nodes_cmd args = { 0 };
	struct cli *c = &args.cli;
	struct cli_boot b;
	const struct cm_platform *p;
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (args.force && !args.export_sysfs)
		return cli_bad_input("--force goes with --export-sysfs");
	if (cli_fleet_requested(c)) {
		if (args.export_sysfs || args.nodemask || args.pictures.svg)
			return cli_bad_input("--export-sysfs, --nodemask and --svg take one platform, not a fleet");
		return cli_fleet_run(c, cli_fleet_nodes_host);
	}
	if (args.nodemask && args.pictures.svg)
		return cli_bad_input("--svg draws the table of nodes: give it without --nodemask");
	ret = cli_boot_load(c, &b);
	if (ret)
		return ret;
	p = b.platform;
	if (args.export_sysfs) {
		ret = export_sysfs(&args, &b);
		if (ret)
			goto out;
	}
	if (args.nodemask) {
		struct cm_bitmap mask;
		char list[256];

		if (cm_capable_nodemask(b.caps, p->nr_nodes, &mask)) {
			ret = cli_bad_input("out of memory");
			goto out;
		}
		cm_bitmap_format_list(&mask, list, sizeof(list));
		printf("%s\n", list);
		cm_bitmap_free(&mask);
	} else {
		ret = show_nodes(c, &b, args.export_sysfs, &args.pictures);
	}
out:
	cli_boot_free(&b);
	return ret;
}
