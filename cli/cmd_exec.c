// SPDX-License-Identifier: MIT
/*
 * confmem exec: run a real command under a memory policy (set_mempolicy
 * through libnuma, as numactl sets it): MPOL_BIND to the platform's
 * encryption-capable nodes, or to given nodes, MPOL_INTERLEAVE over them,
 * or MPOL_PREFERRED on one node; only nodes that exist on this machine are
 * used (SPEC 2). --show prints the policy instead of, or before, running.
 */
#include <errno.h>
#include <numa.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "confmem/mm.h"
#include "confmem/numa.h"
#include "confmem/tiering.h"

/* set_mempolicy(2)'s mode and the verbose line's words for each policy. */
static const struct {
	int mpol;
	const char *verb;
} exec_policies[CM_NR_MEMPOLICY_MODES] = {
	[CM_MPOL_DEFAULT] = { MPOL_DEFAULT, "left to the default policy on" },
	[CM_MPOL_BIND] = { MPOL_BIND, "bound to" },
	[CM_MPOL_PREFERRED] = { MPOL_PREFERRED, "preferred on" },
	[CM_MPOL_INTERLEAVE] = { MPOL_INTERLEAVE, "interleaved over" },
};

/* --interleave LIST|capable */
struct exec_interleave {
	cm_nodemask_t mask;	/* the nodes of LIST; every node with capable */
	bool capable;
	bool given;
};

/* --preferred NODE */
struct exec_preferred {
	int node;
	bool given;
};

struct exec_cmd {
	struct cli cli;
	bool capable_only;
	struct cli_node_list nodes;
	struct exec_interleave interleave;
	struct exec_preferred preferred;
	bool show;
};
CLI_ARGS_CHECK(struct exec_cmd);

/* What the options ask for: one policy over some of the platform's nodes. */
struct exec_request {
	enum cm_mempolicy_mode mode;
	cm_nodemask_t named;	/* the nodes the options name (every node when they name none) */
	bool capable;		/* only the platform's encryption-capable ones among them */
};

/* The nodes chosen: in the platform, with memory here, and both. */
struct exec_choice {
	cm_nodemask_t platform;
	cm_nodemask_t machine;
	cm_nodemask_t nodes;
};

static int exec_option_interleave(void *base, void *value, const char *arg)
{
	struct exec_interleave *interleave = value;
	struct cm_bitmap b = { .words = &interleave->mask, .nbits = CM_MAX_NUMNODES };

	(void)base;
	interleave->mask = 0;
	interleave->capable = !strcmp(arg, "capable");
	if (interleave->capable)
		interleave->mask = ~0ULL;
	else if (cm_bitmap_parse_list(&b, arg, NULL) || !interleave->mask || strchr(arg, '\n'))
		return cli_bad_input("--interleave: expected capable or node ids 0..%d in list syntax (e.g. 0-1,4), "
				     "found \"%s\"", CM_MAX_NUMNODES - 1, arg);
	interleave->given = true;
	return 0;
}

static int exec_option_preferred(void *base, void *value, const char *arg)
{
	struct exec_preferred *preferred = value;
	char *end;
	long node;

	(void)base;
	errno = 0;
	node = strtol(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end || errno || node >= CM_MAX_NUMNODES)
		return cli_bad_input("--preferred: expected one node id 0..%d, found \"%s\"", CM_MAX_NUMNODES - 1,
				     arg);
	preferred->node = (int)node;
	preferred->given = true;
	return 0;
}

const struct cli_option exec_options[] = {
	CLI_SOURCE_OPTIONS,
	CLI_PLAN_OPTIONS,
	OPT_GROUP("Output:"),
	CLI_VERBOSE_OPTION("print the memory policy set, on standard error"),
	OPT_BOOLEAN(0, "show", struct exec_cmd, show,
		    "print the policy and nodes exec would apply (numactl --show); run COMMAND after, if given"),
	CLI_KNOB_TABLE,
	OPT_GROUP(""),
	OPT_GROUP("Memory policy (one of: bind with --capable-only and/or --node, --interleave, --preferred):"),
	OPT_BOOLEAN(0, "capable-only", struct exec_cmd, capable_only,
		    "bind to the platform's crypto-capable nodes (with --node: those of LIST)"),
	OPT_CALLBACK(0, "node", struct exec_cmd, nodes, "LIST",
		     "bind to these nodes (list syntax); only those on this machine are used", cli_option_node_list),
	OPT_CALLBACK(0, "interleave", struct exec_cmd, interleave, "LIST|capable",
		     "interleave over these nodes, or the crypto-capable ones, that are on this machine",
		     exec_option_interleave),
	OPT_CALLBACK(0, "preferred", struct exec_cmd, preferred, "NODE",
		     "prefer this node, falling back to others when it is full", exec_option_preferred),
	OPT_ARGUMENTS("-- COMMAND [ARGS...]", "the command, run with that policy (set_mempolicy through libnuma)"),
	OPT_GROUP("Exit status 1 when no chosen node exists on this machine, 127 when COMMAND is not found, "
		  "126 when it cannot be run."),
	OPT_END(),
};

/* The one policy the options ask for; EXIT_BAD_INPUT for none or two. */
static int exec_request_parse(const struct exec_cmd *args, struct exec_request *req)
{
	const char *given[3];
	int nr_given = 0;

	if (args->capable_only || args->nodes.given)
		given[nr_given++] = args->capable_only ? "--capable-only" : "--node";
	if (args->interleave.given)
		given[nr_given++] = "--interleave";
	if (args->preferred.given)
		given[nr_given++] = "--preferred";
	if (!nr_given)
		return cli_bad_input("exec: expected a memory policy: --capable-only and/or --node LIST (bind), "
				     "--interleave LIST|capable or --preferred NODE, found none");
	if (nr_given > 1)
		return cli_bad_input("exec: %s and %s are mutually exclusive: give one memory policy (bind with "
				     "--capable-only and/or --node, --interleave or --preferred)", given[0], given[1]);
	if (args->interleave.given) {
		*req = (struct exec_request){ CM_MPOL_INTERLEAVE, args->interleave.mask, args->interleave.capable };
	} else if (args->preferred.given) {
		*req = (struct exec_request){ CM_MPOL_PREFERRED, 1ULL << args->preferred.node, false };
	} else {
		*req = (struct exec_request){ CM_MPOL_BIND, args->nodes.given ? args->nodes.mask : ~0ULL,
					      args->capable_only };
	}
	return 0;
}

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

/* "node 0" or "nodes 0-1": a node list with its noun. */
static void format_nodes(cm_nodemask_t m, char *buf, size_t size)
{
	char list[256];

	cm_nodemask_format(m, list, sizeof(list));
	snprintf(buf, size, "node%s %s", strpbrk(list, ",-") ? "s" : "", list);
}

/*
 * Every policy's nodes are chosen here: those @req names that the platform
 * has (its encryption-capable ones when asked), then those of them with
 * memory on this machine. EXIT_REFUSED, said on stderr, when none is left.
 */
static int exec_choose_nodes(const struct exec_request *req, const struct cli_boot *b, struct exec_choice *choice)
{
	cm_nodemask_t capable = 0;
	char wanted[300], machine[300];

	for (size_t i = 0; i < b->platform->nr_nodes; i++)
		if (b->caps[i].crypto_capable)
			cm_node_set(&capable, b->caps[i].node);
	choice->platform = req->named & (req->capable ? capable : ~0ULL);
	for (int n = 0; n < CM_MAX_NUMNODES; n++)
		if (cm_node_isset(choice->platform, n) && !cm_platform_node(b->platform, n))
			choice->platform &= ~(1ULL << n);
	choice->machine = machine_nodes();
	choice->nodes = choice->platform & choice->machine;
	if (!choice->platform) {
		fprintf(stderr, "confmem: exec: refused: no node of the platform qualifies (%s)\n",
			req->capable ? "no encryption-capable node in the selection" : "the nodes given are not in the platform");
		return EXIT_REFUSED;
	}
	if (!choice->nodes) {
		format_nodes(choice->platform, wanted, sizeof(wanted));
		format_nodes(choice->machine, machine, sizeof(machine));
		fprintf(stderr, "confmem: exec: refused: %s of the platform do%s not exist on this machine "
			"(it has memory on %s)\n", wanted, strpbrk(wanted, ",-") ? "" : "es", machine);
		return EXIT_REFUSED;
	}
	return 0;
}

/* --show: the policy and the nodes, as numactl --show prints its own. */
static int exec_show(const struct exec_request *req, const struct exec_choice *choice)
{
	char list[256];

	printf("policy: %s\n", cm_mempolicy_mode_name(req->mode));
	cm_nodemask_format(choice->nodes, list, sizeof(list));
	printf("nodes: %s\n", list);
	cm_nodemask_format(choice->platform, list, sizeof(list));
	printf("platform selection: %s\n", list);
	cm_nodemask_format(choice->machine, list, sizeof(list));
	printf("machine nodes: %s\n", list);
	return cli_flush_stdout();
}

/* set_mempolicy(2) for this process, inherited by the command; EXIT_REFUSED when the kernel says no. */
static int exec_set_policy(enum cm_mempolicy_mode mode, cm_nodemask_t nodes, int verbose)
{
	struct bitmask *mask;
	char list[300];
	int ret, error;

	format_nodes(nodes, list, sizeof(list));
	if (numa_available() < 0) {
		if (verbose)
			fprintf(stderr, "confmem: exec: this kernel has no NUMA support: no memory policy set\n");
		return 0;
	}
	mask = numa_allocate_nodemask();
	for (int n = 0; n < CM_MAX_NUMNODES; n++)
		if (cm_node_isset(nodes, n))
			numa_bitmask_setbit(mask, (unsigned int)n);
	ret = set_mempolicy(exec_policies[mode].mpol, mask->maskp, mask->size + 1);
	error = errno;
	numa_free_nodemask(mask);
	if (ret) {
		fprintf(stderr, "confmem: exec: refused: set_mempolicy(%s, %s): %s\n", cm_mempolicy_mode_name(mode),
			list, strerror(error));
		return EXIT_REFUSED;
	}
	if (verbose)
		fprintf(stderr, "confmem: exec: memory %s %s\n", exec_policies[mode].verb, list);
	return 0;
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

int cmd_exec(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct exec_cmd args = { 0 };
	struct cli *c = &args.cli;
	struct exec_request req = { 0 };
	struct exec_choice choice = { 0 };
	struct cli_boot b;
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (c->nr_args < 1 && !args.show)
		return cli_bad_input("exec: expected -- COMMAND [ARGS...] or --show (confmem exec --help)");
	ret = exec_request_parse(&args, &req);
	if (ret)
		return ret;
	ret = cli_boot_load(c, &b);
	if (ret)
		return ret;
	ret = exec_choose_nodes(&req, &b, &choice);
	cli_boot_free(&b);
	if (!ret && args.show)
		ret = exec_show(&req, &choice);
	if (ret || c->nr_args < 1)
		return ret;
	ret = exec_set_policy(req.mode, choice.nodes, c->verbose);
	if (ret)
		return ret;
	execvp(c->args[0], c->args);
	return exec_failed(c->args[0], errno);
}
