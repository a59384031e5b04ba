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

/* --nodemask WHICH: which nodes, as numactl's and the kernel's node lists. */
enum nodes_mask { NODEMASK_NONE, NODEMASK_CAPABLE, NODEMASK_TDX, NODEMASK_ALL, NODEMASK_CPU, NODEMASK_NR };
static const char *const nodemask_names[NODEMASK_NR] = {
	[NODEMASK_CAPABLE] = "capable",	/* crypto_capable: all memory inside the CMRs */
	[NODEMASK_TDX] = "tdx",		/* with TDX memory (in the TDX memory list) */
	[NODEMASK_ALL] = "all",
	[NODEMASK_CPU] = "cpu",		/* with CPUs */
};

struct nodes_cmd {
	struct cli cli;
	enum nodes_mask nodemask;
	const char *export_sysfs;
	bool force;
	struct cli_pictures pictures;
};
CLI_ARGS_CHECK(struct nodes_cmd);

static int option_nodemask(void *base, void *value, const char *arg)
{
	(void)base;
	for (int i = NODEMASK_NONE + 1; i < NODEMASK_NR; i++)
		if (!strcmp(arg, nodemask_names[i])) {
			*(enum nodes_mask *)value = (enum nodes_mask)i;
			return 0;
		}
	return cli_bad_input("--nodemask: expected capable, tdx, all or cpu, found \"%s\"", arg);
}

const struct cli_option nodes_options[] = {
	CLI_PLATFORM_OPTIONS,
	OPT_GROUP(""),
	OPT_CALLBACK(0, "nodemask", struct nodes_cmd, nodemask, "capable|tdx|all|cpu",
		     "print the crypto-capable nodes, those with TDX memory, all, or those with CPUs, in list syntax "
		     "(0-1,4)", option_nodemask),
	OPT_STRING(0, "export-sysfs", struct nodes_cmd, export_sysfs, "DIR",
		   "write DIR/sys/devices/system/{node,memory} and DIR/proc/iomem in the kernel's formats, "
		   "which --live --sysroot DIR reads back (DIR empty or new)"),
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

static bool node_in_mask(const struct cm_node *n, const struct cm_node_capability *cap, enum nodes_mask which)
{
	switch (which) {
	case NODEMASK_CAPABLE:
		return cap->crypto_capable;
	case NODEMASK_TDX:
		return cap->tdx_memory;
	case NODEMASK_CPU:
		return cm_bitmap_weight(&n->cpus) > 0;
	default:
		return true;
	}
}

/* The list line (numactl's syntax); JSON: {nodemask, list, nodes}. */
static int show_nodemask(const struct cli *c, const struct cli_boot *b, enum nodes_mask which)
{
	struct cm_report *r = cm_report_new();
	struct cm_report_item *o;
	cm_nodemask_t mask = 0;
	char list[256], line[258];
	int ret;

	if (!r)
		return cli_bad_input("out of memory");
	for (size_t i = 0; i < b->platform->nr_nodes; i++)
		if (node_in_mask(&b->platform->nodes[i], &b->caps[i], which))
			cm_node_set(&mask, b->platform->nodes[i].id);
	cm_nodemask_format(mask, list, sizeof(list));
	snprintf(line, sizeof(line), "%s\n", list);
	o = cm_report_add_object(cm_report_document(r), "nodemask", NULL);
	cm_report_add_string(o, "nodemask", NULL, nodemask_names[which]);
	cm_report_add_string(o, "list", NULL, list);
	cm_report_add_nodemask(o, "nodes", NULL, mask);
	cm_report_add_text(o, line);
	ret = cli_show_report(c, r);
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
	if (args.export_sysfs) {
		ret = export_sysfs(&args, &b);
		if (ret)
			goto out;
	}
	if (args.nodemask)
		ret = show_nodemask(c, &b, args.nodemask);
	else
		ret = show_nodes(c, &b, args.export_sysfs, &args.pictures);
out:
	cli_boot_free(&b);
	return ret;
}
