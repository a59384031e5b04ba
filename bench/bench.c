// SPDX-License-Identifier: MIT
/*
 * confmem bench: figures for this machine, as "key: value" lines, each a
 * median of several runs (with min and max) measured as CPU time, beside
 * the limit or goal it is judged against (docs/benchmarks.md). The plan
 * (bench_plan.c), fleets (bench_fleet.c), the engine (bench_engine.c) and
 * the EPC (bench_epc.c) each have their own file.
 */
#include <stdio.h>

#include <string.h>

#include "bench_engine.h"
#include "bench_epc.h"
#include "bench_fleet.h"
#include "bench_plan.h"
#include "cli.h"
#include "confmem/epc.h"
#include "confmem/mm.h"
#include "confmem/tdx.h"

struct bench_cmd {
	struct cli cli;
	bool quick;
	bool quiet;
	const char *only;	/* one group of figures, or NULL for all */
	int rss_child;		/* --rss-1tib-child GIB: the 1 TiB RSS figure's fresh process */
};
CLI_ARGS_CHECK(struct bench_cmd);

const struct cli_option bench_options[] = {
	CLI_VERBOSE_OPTION(NULL),
	OPT_GROUP(""),
	OPT_BOOLEAN(0, "quick", struct bench_cmd, quick, "smaller sizes, under a minute"),
	OPT_BOOLEAN(0, "quiet", struct bench_cmd, quiet, CLI_QUIET_HELP),
	OPT_STRING(0, "only", struct bench_cmd, only, "GROUP", "one group of figures: plan|fleet|engine|epc"),
	OPT_INTEGER(0, "rss-1tib-child", struct bench_cmd, rss_child, "GIB", NULL),
	OPT_END(),
};

static bool bench_wanted(const struct bench_cmd *b, const char *group)
{
	return !b->only || !strcmp(b->only, group);
}

int cmd_bench(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct bench_cmd args = { 0 };
	const struct bench_cmd *b = &args;
	struct cli_progress progress;
	char error[160];
	int ret = cli_parse(cmd, argc, argv, &args.cli);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (b->rss_child > 0)
		return bench_rss_1tib_child((uint64_t)b->rss_child);
	if (b->only && strcmp(b->only, "plan") && strcmp(b->only, "fleet") && strcmp(b->only, "engine") &&
	    strcmp(b->only, "epc"))
		return cli_bad_input("bench: --only: expected plan, fleet, engine or epc, found '%s'", b->only);
	cli_progress_init(&progress, "bench", b->quiet ? CLI_PROGRESS_QUIET : CLI_PROGRESS_SHOW);
	if (bench_wanted(b, "plan") && bench_plans(b->quick, &progress, error, sizeof(error)))
		return cli_bad_input("bench: %s", error);
	if (bench_wanted(b, "fleet")) {
		cli_progress_step(&progress, "fleet", 0, 3);
		ret = bench_fleet(b->quick ? 1000 : 10000, b->quick ? 100 : 300, error, sizeof(error));
		cli_progress_done(&progress);
		if (ret)
			return cli_bad_input("bench: %s", error);
	}
	/* The engine's and EPC's figures print as they come; the line only says where the run is. */
	if (bench_wanted(b, "engine")) {
		cli_progress_step(&progress, "engine", 1, 3);
		cli_progress_done(&progress);
		if (bench_engine(b->quick, error, sizeof(error)))
			return cli_bad_input("bench: %s", error);
	}
	if (bench_wanted(b, "epc")) {
		cli_progress_step(&progress, "epc", 2, 3);
		cli_progress_done(&progress);
		if (bench_epc(b->quick, error, sizeof(error)))
			return cli_bad_input("bench: %s", error);
	}
	return EXIT_OK;
}
