// SPDX-License-Identifier: MIT
/*
 * confmem sim SCENARIO: run a scenario and report (SPEC 6, 10).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "confmem/scenario.h"
#include "confmem/sim.h"

/* The run's summary; JSON: the run; the pictures asked for. */
static int show_sim(const struct cli *c, const struct cm_sim *sim, bool checked, const struct cli_pictures *pictures)
{
	struct cm_report *r = cm_report_new();
	char line[160];
	int ret;

	if (!r)
		return cli_bad_input("out of memory");
	cli_prepare_pictures(r, pictures);
	cm_report_add_sim(cm_report_document(r), "sim", sim);
	/* --check: a broken invariant stops the run (exit 1), so a run shown held every one. */
	if (checked) {
		snprintf(line, sizeof(line), "\ninvariants (--check): checked after each of the %" PRIu64 " simulated ms "
			 "and after each event; all held\n", sim->scenario->duration_ms);
		cm_report_add_text(cm_report_document(r), line);
	}
	ret = cli_show_report(c, r);
	if (!ret)
		ret = cli_write_pictures(c, r, pictures);
	cm_report_free(r);
	return ret;
}

static int write_trace(const char *path, const struct cm_sim *sim)
{
	struct cli_output_file out;
	int ret = cli_output_open(&out, "--trace", path);

	if (ret)
		return ret;
	for (size_t i = 0; i < sim->trace.nr_lines; i++)
		fprintf(out.f, "%s\n", sim->trace.lines[i].text);
	return cli_output_commit(&out);
}

/* --seed: an unsigned 64-bit integer, decimal or 0x-hex; not a size ("1K" is refused). */
static int parse_seed(void *base, void *value, const char *arg)
{
	struct cli_size *seed = value;
	bool hex = (arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X'));
	const char *digits = hex ? arg + 2 : arg;
	char *end;

	(void)base;
	errno = 0;
	seed->value = strtoull(digits, &end, hex ? 16 : 10);	/* "010" is ten, as in scenario files */
	if (!isxdigit((unsigned char)digits[0]) || *end || errno)
		return cli_bad_input("--seed: expected an unsigned 64-bit integer (decimal or 0x-hex), "
				     "found \"%s\"", arg);
	seed->given = true;
	return 0;
}

/* --set KEY=VALUE given to sim: applied over the scenario's "config", in order. */
#define SIM_MAX_SETS 64

struct sim_cmd {
	struct cli cli;
	const char *sets[SIM_MAX_SETS];
	size_t nr_sets;
	const char *trace;
	struct cli_size seed;
	struct cli_size max_events;
	bool check;
	bool quiet;
	struct cli_pictures pictures;
};
CLI_ARGS_CHECK(struct sim_cmd);

/* Checked now against the registry (a bad knob is exit 2 before the scenario is read), kept for later. */
static int option_sim_set(void *base, void *value, const char *arg)
{
	struct sim_cmd *args = base;
	int ret = cli_option_set(base, &args->cli.config, arg);

	(void)value;
	if (ret)
		return ret;
	if (args->nr_sets == SIM_MAX_SETS)
		return cli_bad_input("--set: more than %d given", SIM_MAX_SETS);
	args->sets[args->nr_sets++] = arg;
	return 0;
}

/* The scenario's knobs, then each --set over them (the scenario file is not changed). */
static int apply_sets(const struct sim_cmd *args, struct cm_scenario *sc)
{
	struct cm_error err = { 0 };

	for (size_t i = 0; i < args->nr_sets; i++)
		if (cm_config_set(&sc->config, args->sets[i], &err))
			return cli_bad_input("--set: %s", err.msg);
	return 0;
}

/* A platform file given as the scenario: say so, and how a scenario names its platform. */
static int scenario_error(const char *path, const struct cm_error *err)
{
	struct cm_platform *p = NULL;
	struct cm_error platform_err = { 0 };

	if (cm_platform_from_json_file(path, &p, &platform_err))
		return cli_bad_input("%s", err->msg);
	cm_platform_free(p);
	return cli_bad_input("%s is a platform file, not a scenario: a scenario names its platform in "
			     "\"platform\" (a preset, a file or an object; docs/scenarios.md)", path);
}

/* A run that could not start or broke an invariant (-EUCLEAN: exit 1); an unknown counter gets the valid names. */
static int run_error(int ret, const struct cm_error *err)
{
	size_t len;
	char *names;

	if (ret == -EUCLEAN) {
		fprintf(stderr, "confmem: %s\n", err->msg);
		return EXIT_REFUSED;
	}
	if (ret != -ENOENT)
		return cli_bad_input("%s", err->msg);
	len = cm_sim_counter_names(NULL, 0) + 1;
	names = malloc(len);
	if (!names)
		return cli_bad_input("%s", err->msg);
	cm_sim_counter_names(names, len);
	ret = cli_bad_input("%s (valid names, docs/scenarios.md: %s)", err->msg, names);
	free(names);
	return ret;
}

const struct cli_option sim_options[] = {
	CLI_OUTPUT_OPTIONS(NULL),
	OPT_GROUP(""),
	OPT_ARGUMENTS("SCENARIO", "a scenario JSON file (docs/scenarios.md, examples/)"),
	OPT_STRING(0, "trace", struct sim_cmd, trace, "FILE",
		   "write the event log (kernel messages, actor starts and ends)"),
	OPT_CALLBACK(0, "seed", struct sim_cmd, seed, "N", "replace the scenario's seed", parse_seed),
	OPT_SIZE(0, "max-events", struct sim_cmd, max_events, "N",
		 "refuse a run estimated to make more than N page events (default 1e10: 10000000000)"),
	OPT_BOOLEAN(0, "check", struct sim_cmd, check, "verify every invariant after every simulated millisecond"),
	OPT_STRING(0, "html", struct sim_cmd, pictures.html, "FILE",
		   "write the run over time (free pages, rates, cgroups, events) and its report as one HTML page"),
	OPT_BOOLEAN(0, "quiet", struct sim_cmd, quiet, CLI_QUIET_HELP),
	OPT_CALLBACK(0, "set", struct sim_cmd, sets, "KEY=VALUE",
		     "override a knob of the scenario's \"config\" (may be given again; knobs below)", option_sim_set),
	CLI_KNOB_TABLE,
	OPT_GROUP(""),
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
	struct cli_progress progress;
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	cli_progress_init(&progress, "sim", args.quiet ? CLI_PROGRESS_QUIET : CLI_PROGRESS_SHOW);
	o = (struct cm_sim_options){ .check = args.check, .seed = args.seed.value, .seed_given = args.seed.given,
				     .max_events = args.max_events.value, .progress = cli_progress_sim,
				     .progress_ctx = &progress };
	if (args.max_events.given && !args.max_events.value)
		return cli_bad_input("sim: --max-events: expected at least 1, found 0");
	if (c->nr_args != 1)
		return cli_bad_input("sim: expected one SCENARIO file, found %d arguments (confmem sim --help)", c->nr_args);
	if (cm_scenario_from_json_file(c->args[0], &sc, &err))
		return scenario_error(c->args[0], &err);
	for (size_t i = 0; i < sc->warnings.nr_lines; i++)
		fprintf(stderr, "confmem: warning: %s\n", sc->warnings.lines[i].text);
	if (apply_sets(&args, sc)) {
		cm_scenario_free(sc);
		return EXIT_BAD_INPUT;
	}
	if (cm_sim_check_work(sc, &o, &err)) {
		cm_scenario_free(sc);
		return cli_bad_input("%s (sim --max-events N)", err.msg);
	}
	ret = cm_sim_run(sc, &o, &sim, &err);
	cli_progress_done(&progress);
	if (ret) {
		cm_scenario_free(sc);
		return run_error(ret, &err);
	}
	ret = show_sim(c, sim, args.check, &args.pictures);
	if (!ret)
		ret = sim->expects_passed ? EXIT_OK : EXIT_REFUSED;
	if (args.trace) {
		int tret = write_trace(args.trace, sim);

		ret = tret ? tret : ret;
	}
	cm_sim_free(sim);
	cm_scenario_free(sc);
	return ret;
}
