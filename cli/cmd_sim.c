// SPDX-License-Identifier: MIT
/*
 * confmem sim SCENARIO: run a scenario and report (SPEC 6, 10).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "confmem/scenario.h"
#include "confmem/sim.h"

static void print_summary(const struct cm_sim *sim)
{
	static const enum cm_counter shown[] = {
		CM_PGFAULT, CM_PGMAJFAULT, CM_PGSCAN_KSWAPD, CM_PGSCAN_DIRECT, CM_PGSTEAL_KSWAPD, CM_PGSTEAL_DIRECT,
		CM_PGDEMOTE_KSWAPD, CM_PGDEMOTE_DIRECT, CM_PGDEMOTE_FAIL, CM_PGMIGRATE_SUCCESS, CM_PSWPOUT, CM_PSWPIN,
		CM_NR_WRITTEN, CM_PGDROP_FILE, CM_ALLOCSTALL, CM_OOM_KILL, CM_NUMA_HINT_FAULTS, CM_PGPROMOTE_CANDIDATE,
		CM_PGPROMOTE_SUCCESS,
	};

	printf("scenario %s: %" PRIu64 " ms, seed %" PRIu64 ", %" PRIu64 " page events\n", sim->scenario->source,
	       sim->scenario->duration_ms, sim->seed, sim->page_events);
	printf("\nactors:\n");
	for (size_t i = 0; i < sim->nr_actors; i++) {
		const struct cm_sim_actor *a = &sim->actors[i];

		printf("  %-16s %-8s %s%s%s\n", a->def->name, cm_outcome_name(a->outcome), a->reason[0] ? "(" : "",
		       a->reason, a->reason[0] ? ")" : "");
	}
	printf("\nnodes:\n");
	for (int n = 0; n < cm_mm_nr_nodes(sim->mm); n++) {
		struct cm_mm_node_info info;
		char targets[64];

		cm_mm_node_info(sim->mm, n, &info);
		if (!info.present_pages)
			continue;
		cm_nodemask_format(cm_mm_tiering(sim->mm)->preferred[n], targets, sizeof(targets));
		printf("  node %d: %" PRIu64 " of %" PRIu64 " pages free (watermarks min %" PRIu64 " low %" PRIu64
		       " high %" PRIu64 "), demotes to %s\n", n, info.free_pages, info.present_pages, info.wmark.min,
		       info.wmark.low, info.wmark.high, targets[0] ? targets : "-");
	}
	printf("\ncounters:\n");
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		printf("  %-18s %" PRIu64 "\n", cm_counter_name(shown[i]), cm_mm_counter_total(sim->mm, shown[i]));
	if (sim->nr_expects) {
		printf("\nexpect:\n");
		for (size_t i = 0; i < sim->nr_expects; i++)
			printf("  %s: %s (%s)\n", sim->expects[i].passed ? "pass" : "FAIL", sim->expects[i].def->text,
			       sim->expects[i].detail);
	}
}

static int write_trace(const char *path, const struct cm_sim *sim)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return cli_bad_input("--trace: %s: %s", path, strerror(errno));
	for (size_t i = 0; i < sim->trace.nr_lines; i++)
		fprintf(f, "%s\n", sim->trace.lines[i].text);
	if (fclose(f))
		return cli_bad_input("--trace: %s: write failed", path);
	return 0;
}

struct sim_cmd {
	struct cli cli;
	const char *trace;
	struct cli_size seed;
	bool check;
};
CLI_ARGS_CHECK(struct sim_cmd);

const struct cli_option sim_options[] = {
	CLI_OUTPUT_OPTIONS_UNLISTED,
	OPT_GROUP(""),
	OPT_ARGUMENTS("SCENARIO", "a scenario JSON file (docs/scenarios.md, examples/)"),
	OPT_STRING(0, "trace", struct sim_cmd, trace, "FILE",
		   "write the event log (kernel messages, actor starts and ends)"),
	OPT_SIZE(0, "seed", struct sim_cmd, seed, "N", "replace the scenario's seed"),
	OPT_BOOLEAN(0, "check", struct sim_cmd, check, "verify every invariant after every simulated millisecond"),
	OPT_GROUP("Exit status 1 when an expectation fails or an invariant breaks."),
	OPT_END(),
};

int cmd_sim(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct sim_cmd args = { 0 };
	struct cli *c = &args.cli;
	struct cm_sim_options o;
	struct cm_scenario *sc = NULL;
	struct cm_sim *sim = NULL;
	struct cm_error err = { 0 };
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	o = (struct cm_sim_options){ .check = args.check, .seed = args.seed.value, .seed_given = args.seed.given };
	if (c->nr_args != 1)
		return cli_bad_input("sim: expected one SCENARIO file, found %d arguments (confmem sim --help)", c->nr_args);
	if (cm_scenario_from_json_file(c->args[0], &sc, &err))
		return cli_bad_input("%s", err.msg);
	ret = cm_sim_run(sc, &o, &sim, &err);
	if (ret) {
		cm_scenario_free(sc);
		if (ret == -EUCLEAN)
			fprintf(stderr, "confmem: %s\n", err.msg);
		return ret == -EUCLEAN ? EXIT_REFUSED : cli_bad_input("%s", err.msg);
	}
	if (c->json) {
		struct json_object *j = cm_json_sim(sim, cli_json_style(c));

		cli_print_json(j);
		json_object_put(j);
	} else {
		print_summary(sim);
	}
	ret = sim->expects_passed ? EXIT_OK : EXIT_REFUSED;
	if (args.trace) {
		int tret = write_trace(args.trace, sim);

		ret = tret ? tret : ret;
	}
	cm_sim_free(sim);
	cm_scenario_free(sc);
	return ret;
}
