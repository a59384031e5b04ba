// SPDX-License-Identifier: MIT
/*
 * confmem nodes: per-node capability (SPEC 4).
 */
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
		   "write DIR/devices/system/{node,memory} in the kernel's formats"),
	OPT_END(),
};

int cmd_nodes(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct nodes_cmd args = { 0 };
	struct cli *c = &args.cli;
	struct cli_boot b;
	const struct cm_platform *p;
	struct cm_error err = { 0 };
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	ret = cli_boot_load(c, &b);
	if (ret)
		return ret;
	p = b.platform;
	if (args.export_sysfs && cm_export_sysfs(p, b.caps, args.export_sysfs, &err)) {
		ret = cli_bad_input("--export-sysfs: %s", err.msg);
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
	} else if (c->json) {
		struct json_object *a = cm_json_nodes(p, b.caps, &b.tiering, cli_json_style(c));

		cli_print_json(a);
		json_object_put(a);
	} else {
		char cpus[256], mem[32], tdx[32], pamt[32], targets[256], tier[16];

		printf("%-5s %-12s %-5s %12s %15s %11s %11s %-6s %s\n", "node", "cpus", "kind", "memory",
		       "crypto_capable", "tdx_memory", "pamt", "tier", "demotion");
		for (size_t i = 0; i < p->nr_nodes; i++) {
			const struct cm_node *n = &p->nodes[i];

			cm_bitmap_format_list(&n->cpus, cpus, sizeof(cpus));
			cm_format_human_size(cm_node_memory_bytes(n), mem, sizeof(mem));
			cm_format_human_size(b.caps[i].tdx_memory_bytes, tdx, sizeof(tdx));
			cm_format_human_size(b.caps[i].pamt_bytes, pamt, sizeof(pamt));
			cm_nodemask_format(b.tiering.preferred[n->id], targets, sizeof(targets));
			if (cm_tiering_tier_id(&b.tiering, n->id) >= 0)
				snprintf(tier, sizeof(tier), "%d", cm_tiering_tier_id(&b.tiering, n->id));
			else
				snprintf(tier, sizeof(tier), "-");
			printf("%-5d %-12s %-5s %12s %15d %11s %11s %-6s %s\n", n->id, cpus[0] ? cpus : "-",
			       cm_node_kind_name(n->kind), mem, b.caps[i].crypto_capable, tdx, pamt, tier,
			       targets[0] ? targets : "-");
		}
		cli_print_log(c, &b.cap_log, "");
		if (c->verbose)
			cli_print_log(c, &b.tiering.log, "");
	}
	if (args.export_sysfs && !c->json && !args.nodemask)
		printf("sysfs tree written under %s\n", args.export_sysfs);
out:
	cli_boot_free(&b);
	return ret;
}
