// SPDX-License-Identifier: MIT
/*
 * confmem hotplug START SIZE: the hot-add verdict (SPEC 5).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "confmem/hotplug.h"

struct hotplug_cmd {
	struct cli cli;
	struct cli_node_list node;
	bool new_node;
};
CLI_ARGS_CHECK(struct hotplug_cmd);

static int option_node(void *base, void *value, const char *arg)
{
	const struct cli_node_list *nodes = value;
	int ret = cli_option_node_list(base, value, arg);

	if (!ret && __builtin_popcountll(nodes->mask) != 1)
		return cli_bad_input("--node: expected one node id, found \"%s\"", arg);
	return ret;
}

static int option_mode(void *base, void *value, const char *arg)
{
	struct cm_error err = { 0 };

	(void)base;
	if (cm_config_set_value(value, "hotplug.mode", arg, &err))
		return cli_bad_input("%s", err.msg);
	return 0;
}

const struct cli_option hotplug_options[] = {
	CLI_PLATFORM_OPTIONS("also one line counting the memory blocks and how each fared; -vv: every block's own line"),
	OPT_GROUP(""),
	OPT_GROUP("Hot-add options:"),
	OPT_ARGUMENTS("START SIZE", "the range (numbers or sizes like 1T, 64G), whole memory blocks"),
	OPT_CALLBACK(0, "node", struct hotplug_cmd, node, "N",
		     "the node it joins (default: the platform's hot-plug window)", option_node),
	OPT_BOOLEAN(0, "new-node", struct hotplug_cmd, new_node, "put it on a new memory-only node"),
	/* The help's two leading spaces keep its column as it always was. */
	OPT_CALLBACK(0, "mode", struct hotplug_cmd, cli.config, "check|notifier|devdax",
		     "how the hot-add is judged (default: the knob hotplug.mode, check)", option_mode),
	OPT_END(),
};

/* The kernel's messages, the summary, and a change of crypto_capable; JSON: the verdict. */
static int show_verdict(const struct cli *c, const struct cm_hotplug_verdict *v,
			const struct cm_hotplug_request *req)
{
	struct cm_report *r = cm_report_new();
	char change[128], blocks[sizeof(v->blocks_summary) + 1];
	int ret;

	if (!r)
		return cli_bad_input("out of memory");
	/* The per-block lines at -vv; at -v one line for all the blocks. */
	cm_report_set_log_debug_detail(cm_report_add_log(cm_report_document(r), NULL, &v->log,
							 cm_hotplug_log_prefix(v)), 2);
	if (v->blocks_summary[0]) {
		snprintf(blocks, sizeof(blocks), "%s\n", v->blocks_summary);
		cm_report_set_detail(cm_report_add_text(cm_report_document(r), blocks), 1);
	}
	cm_report_add_hotplug(cm_report_document(r), "verdict", v, req);
	if (v->node_was_capable != v->node_capable_after) {
		snprintf(change, sizeof(change), "node %d: crypto_capable %d -> %d\n", v->node, v->node_was_capable,
			 v->node_capable_after);
		cm_report_add_text(cm_report_document(r), change);
	}
	ret = cli_show_report(c, r);
	cm_report_free(r);
	return ret;
}

/*
 * The flags that answer the library's "name the node it joins, or ask for
 * a new node", when the user gave neither.
 */
static const char *node_hint(const struct hotplug_cmd *args, int ret)
{
	if (args->node.given || args->new_node || ret != -ENOENT)
		return "";
	return " (--node N or --new-node)";
}

/* --node N: a node of the platform, or one a hot-add window names (a memory-only node to come). */
static int check_node(const struct cm_platform *p, int node)
{
	char nodes[256];
	cm_nodemask_t mask = 0;

	if (node < 0 || cm_platform_node(p, node))
		return 0;
	for (size_t i = 0; i < p->nr_hotplug; i++)
		if (p->hotplug[i].node == node)
			return 0;
	for (size_t i = 0; i < p->nr_nodes; i++)
		cm_node_set(&mask, p->nodes[i].id);
	cm_nodemask_format(mask, nodes, sizeof(nodes));
	return cli_bad_input("hotplug: --node %d: the platform has no node %d and no hot-add window names it "
			     "(its nodes: %s); --new-node adds the range on a new node", node, node, nodes);
}

int cmd_hotplug(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct hotplug_cmd args = { 0 };
	struct cli *c = &args.cli;
	struct cm_hotplug_request req = { 0 };
	struct cm_hotplug_verdict v;
	struct cm_platform *p = NULL;
	struct cm_tdx_plan *plan = NULL;
	struct cm_error err = { 0 };
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (args.new_node && args.node.given)
		return cli_bad_input("give --node or --new-node, not both");
	if (c->nr_args != 2)
		return cli_bad_input("hotplug: expected START SIZE, found %d argument%s (confmem hotplug --help)",
				     c->nr_args, c->nr_args == 1 ? "" : "s");
	if (cm_parse_size(c->args[0], &req.start, &err))
		return cli_bad_input("hotplug: START: %s, found \"%s\"", err.msg, c->args[0]);
	if (cm_parse_size(c->args[1], &req.size, &err))
		return cli_bad_input("hotplug: SIZE: %s, found \"%s\"", err.msg, c->args[1]);
	req.node = args.node.given ? __builtin_ctzll(args.node.mask) : -1;
	req.new_node = args.new_node;
	req.mode = c->config.hotplug_mode;
	req.mixed = c->config.tdx.mixed;

	ret = cli_load_platform(c, &p);
	if (ret)
		return ret;
	ret = check_node(p, req.node);
	if (!ret)
		ret = cli_build_plan(c, p, &plan);
	if (ret)
		goto out;
	ret = cm_hotplug_evaluate(p, plan, &req, &v, &err);
	if (ret) {
		ret = cli_bad_input("hotplug: %s%s", err.msg, node_hint(&args, ret));
		goto out;
	}
	ret = show_verdict(c, &v, &req);
	if (!ret)
		ret = v.status ? EXIT_REFUSED : EXIT_OK;
	cm_hotplug_verdict_free(&v);
out:
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
	return ret;
}
