// SPDX-License-Identifier: MIT
/*
 * confmem exec: run a real command bound (MPOL_BIND, through libnuma) to
 * the platform's encryption-capable nodes, or to given nodes, that exist
 * on this machine (SPEC 2).
 */
#include <errno.h>
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "confmem/numa.h"
#include "confmem/tiering.h"

/* The nodes with memory that this process may use on this machine. */
static cm_nodemask_t machine_nodes(void)
{
	cm_nodemask_t m = 0;

	if (numa_available() < 0)
		return 1;	/* no NUMA: everything is node 0 */
	for (int n = 0; n <= numa_max_node() && n < CM_MAX_NUMNODES; n++)
		if (numa_bitmask_isbitset(numa_all_nodes_ptr, (unsigned int)n))
			cm_node_set(&m, n);
	return m;
}

/*
 * As the shell and env(1): 127 when the command is not found, 126 when it
 * is there but cannot be run (not executable, not a program).
 */
enum { EXIT_EXEC_NOT_RUNNABLE = 126, EXIT_EXEC_NOT_FOUND = 127 };

static int exec_failed(const char *command, int error)
{
	fprintf(stderr, "confmem: exec: %s: %s\n", command, strerror(error));
	return error == ENOENT || error == ENOTDIR ? EXIT_EXEC_NOT_FOUND : EXIT_EXEC_NOT_RUNNABLE;
}

static int bind_and_exec(cm_nodemask_t nodes, char **argv, int verbose)
{
	struct bitmask *mask;
	char list[256];

	cm_nodemask_format(nodes, list, sizeof(list));
	if (numa_available() >= 0) {
		mask = numa_allocate_nodemask();
		for (int n = 0; n < CM_MAX_NUMNODES; n++)
			if (cm_node_isset(nodes, n))
				numa_bitmask_setbit(mask, (unsigned int)n);
		numa_set_bind_policy(1);
		numa_set_membind(mask);
		numa_free_nodemask(mask);
		if (errno && verbose)
			fprintf(stderr, "confmem: exec: set_mempolicy: %s\n", strerror(errno));
	}
	if (verbose)
		fprintf(stderr, "confmem: exec: memory bound to node%s %s\n", strchr(list, ',') || strchr(list, '-') ?
			"s" : "", list);
	execvp(argv[0], argv);
	return exec_failed(argv[0], errno);
}

struct exec_cmd {
	struct cli cli;
	bool capable_only;
	struct cli_node_list nodes;
};
CLI_ARGS_CHECK(struct exec_cmd);

const struct cli_option exec_options[] = {
	CLI_SOURCE_OPTIONS,
	CLI_PLAN_OPTIONS,
	OPT_GROUP("Output:"),
	CLI_VERBOSE_OPTION,
	CLI_KNOB_TABLE,
	OPT_GROUP(""),
	OPT_BOOLEAN(0, "capable-only", struct exec_cmd, capable_only,
		    "bind to the platform's crypto-capable nodes (with --node: those of LIST)"),
	OPT_CALLBACK(0, "node", struct exec_cmd, nodes, "LIST",
		     "bind to these nodes (list syntax); only those on this machine are used", cli_option_node_list),
	OPT_ARGUMENTS("-- COMMAND [ARGS...]", "the command, run with MPOL_BIND through libnuma"),
	OPT_GROUP("Exit status 1 when no chosen node exists on this machine, 127 when COMMAND is not found, "
		  "126 when it cannot be run."),
	OPT_END(),
};

int cmd_exec(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct exec_cmd args = { 0 };
	struct cli *c = &args.cli;
	struct cli_boot b;
	cm_nodemask_t wanted, capable = 0, machine = machine_nodes(), nodes;
	char wanted_list[256], machine_list[256];
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (c->nr_args < 1)
		return cli_bad_input("exec: expected -- COMMAND [ARGS...] (confmem exec --help)");
	if (!args.capable_only && !args.nodes.given)
		return cli_bad_input("exec: give --capable-only, --node LIST, or both");
	ret = cli_boot_load(c, &b);
	if (ret)
		return ret;
	for (size_t i = 0; i < b.platform->nr_nodes; i++)
		if (b.caps[i].crypto_capable)
			cm_node_set(&capable, b.caps[i].node);
	wanted = args.nodes.given ? args.nodes.mask : ~0ULL;
	if (args.capable_only)
		wanted &= capable;
	for (int n = 0; n < CM_MAX_NUMNODES; n++)
		if (cm_node_isset(wanted, n) && !cm_platform_node(b.platform, n))
			wanted &= ~(1ULL << n);
	cli_boot_free(&b);
	nodes = wanted & machine;
	cm_nodemask_format(wanted, wanted_list, sizeof(wanted_list));
	cm_nodemask_format(machine, machine_list, sizeof(machine_list));
	if (!wanted) {
		fprintf(stderr, "confmem: exec: refused: no node of the platform qualifies (%s)\n",
			args.capable_only ? "no encryption-capable node in the selection" : "the nodes given are not in the platform");
		return EXIT_REFUSED;
	}
	if (!nodes) {
		fprintf(stderr, "confmem: exec: refused: node%s %s of the platform do%s not exist on this machine "
			"(it has memory on node%s %s)\n", strchr(wanted_list, ',') || strchr(wanted_list, '-') ? "s" : "",
			wanted_list, strchr(wanted_list, ',') || strchr(wanted_list, '-') ? "" : "es",
			strchr(machine_list, ',') || strchr(machine_list, '-') ? "s" : "", machine_list);
		return EXIT_REFUSED;
	}
	return bind_and_exec(nodes, c->args, c->verbose);
}
