// SPDX-License-Identifier: MIT
/*
 * confmem report and confmem plan.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "confmem/numa.h"
#include "confmem/tdx.h"

struct report_cmd {
	struct cli cli;
	bool dump_platform;
	struct cli_pictures pictures;
};
CLI_ARGS_CHECK(struct report_cmd);

const struct cli_option report_options[] = {
	CLI_PLATFORM_OPTIONS(NULL),
	OPT_GROUP(""),
	OPT_BOOLEAN(0, "dump-platform", struct report_cmd, dump_platform,
		    "print the platform as JSON that --platform loads back"),
	OPT_STRING(0, "html", struct report_cmd, pictures.html, "FILE", CLI_HTML_HELP),
	OPT_END(),
};

struct plan_cmd {
	struct cli cli;
	const char *tdmr_bin;
	struct cli_pictures pictures;
};
CLI_ARGS_CHECK(struct plan_cmd);

const struct cli_option plan_options[] = {
	CLI_PLATFORM_OPTIONS("also the steps, in the order the kernel takes them"),
	OPT_GROUP(""),
	OPT_STRING(0, "tdmr-bin", struct plan_cmd, tdmr_bin, "FILE", "write the TDMR_INFO array as laid out for the module"),
	OPT_STRING(0, "svg", struct plan_cmd, pictures.svg, "FILE", CLI_SVG_HELP),
	OPT_STRING(0, "html", struct plan_cmd, pictures.html, "FILE", CLI_HTML_HELP),
	CLI_FLEET_OPTIONS,
	OPT_END(),
};

int cli_build_plan(const struct cli *c, const struct cm_platform *p, struct cm_tdx_plan **plan)
{
	struct cm_error err = { 0 };

	if (cm_tdx_plan_build(p, &c->config.tdx, plan, &err)) {
		fprintf(stderr, "confmem: %s\n", err.msg);
		return EXIT_REFUSED;
	}
	return 0;
}

int cli_build_tiering(const struct cli *c, const struct cm_platform *p, struct cm_tiering *t)
{
	struct cm_node_states states;

	cm_node_states_from_platform(p, &states);
	if (cm_tiering_compute(p, &states, c->config.tiering_model, t)) {
		fprintf(stderr, "confmem: tiering: out of memory\n");
		return EXIT_REFUSED;
	}
	return 0;
}

int cli_boot_load(const struct cli *c, struct cli_boot *b)
{
	int ret;

	memset(b, 0, sizeof(*b));
	ret = cli_load_platform(c, &b->platform);
	if (!ret)
		ret = cli_build_plan(c, b->platform, &b->plan);
	if (!ret)
		ret = cli_build_tiering(c, b->platform, &b->tiering);
	if (!ret && cm_node_capabilities(b->platform, b->plan, &b->caps, &b->cap_log))
		ret = cli_bad_input("out of memory");
	if (ret)
		cli_boot_free(b);
	return ret;
}

void cli_boot_free(struct cli_boot *b)
{
	cm_tiering_free(&b->tiering);
	cm_log_free(&b->cap_log);
	free(b->caps);
	cm_tdx_plan_free(b->plan);
	cm_platform_free(b->platform);
	memset(b, 0, sizeof(*b));
}

int cli_plan_exit_status(const struct cm_tdx_plan *plan)
{
	return plan->result == CM_TDX_INITIALIZED || plan->result == CM_TDX_DISABLED ? EXIT_OK : EXIT_REFUSED;
}

/* The boot-time picture; JSON: platform, nodes, tdx. */
static int show_boot(const struct cli *c, const struct cli_boot *b, const struct cli_pictures *pictures)
{
	struct cm_report_boot boot = { .platform = b->platform, .plan = b->plan, .tiering = &b->tiering,
				       .caps = b->caps, .cap_log = &b->cap_log };
	struct cm_report *r = cm_report_new();
	int ret;

	if (!r)
		return cli_bad_input("out of memory");
	cli_prepare_pictures(r, pictures);
	cm_report_add_boot(cm_report_document(r), "report", &boot);
	ret = cli_show_report(c, r);
	if (!ret)
		ret = cli_write_pictures(c, r, pictures);
	cm_report_free(r);
	return ret;
}

static int dump_platform(const struct cli *c)
{
	struct cm_platform *p = NULL;
	char *text;
	int ret = cli_load_platform(c, &p);

	if (ret)
		return ret;
	text = cm_platform_to_json_string(p);
	ret = text ? EXIT_OK : cli_bad_input("out of memory");
	if (text)
		printf("%s\n", text);
	free(text);
	cm_platform_free(p);
	return ret;
}

int cmd_report(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct report_cmd r = { 0 };
	struct cli *c = &r.cli;
	struct cli_boot b;
	const struct cm_platform *p;
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (r.dump_platform)
		return dump_platform(c);
	ret = cli_boot_load(c, &b);
	if (ret)
		return ret;
	p = b.platform;
	ret = show_boot(c, &b, &r.pictures);
	if (!ret)
		ret = p->tdx.enabled ? cli_plan_exit_status(b.plan) : EXIT_OK;
	cli_boot_free(&b);
	return ret;
}
static int write_tdmr_bin(const char *path, const struct cm_platform *p, const struct cm_tdx_plan *plan)
{
	struct cli_output_file out;
	size_t len;
	uint8_t *buf;
	int ret;

	if (plan->result != CM_TDX_INITIALIZED && plan->result != CM_TDX_FAILED_CONFIG) {
		fprintf(stderr, "confmem: --tdmr-bin: nothing written: initialisation failed before the TDMRs "
			"were complete\n");
		return EXIT_REFUSED;
	}
	buf = cm_tdmr_info_array(plan->tdmrs, plan->nr_tdmrs, p->tdx.max_reserved_per_tdmr, &len);
	if (!buf)
		return cli_bad_input("out of memory");
	ret = cli_output_open(&out, "--tdmr-bin", path);
	if (!ret) {
		fwrite(buf, 1, len, out.f);
		ret = cli_output_commit(&out);
	}
	free(buf);
	return ret;
}

/* The plan in detail; JSON: the plan. */
static int show_plan(const struct cli *c, const struct cm_platform *p, const struct cm_tdx_plan *plan,
		     const struct cli_pictures *pictures)
{
	struct cm_report *r = cm_report_new();
	int ret;

	if (!r)
		return cli_bad_input("out of memory");
	cli_prepare_pictures(r, pictures);
	cm_report_add_plan(cm_report_document(r), "plan", plan, p, CM_REPORT_PLAN_DETAIL);
	ret = cli_show_report(c, r);
	if (!ret)
		ret = cli_write_pictures(c, r, pictures);
	cm_report_free(r);
	return ret;
}

/* plan --kernel all: one row per profile; refused only when no profile initialises (nor is disabled). */
static int show_profiles(const struct cli *c, const struct cm_platform *p)
{
	struct cm_tdx_plan *plans[CM_KERNEL_NR_PROFILES];
	struct cm_error err = { 0 };
	struct cm_report *r;
	int ret;

	if (cm_tdx_plan_every_profile(p, &c->config.tdx, plans, &err)) {
		fprintf(stderr, "confmem: %s\n", err.msg);
		return EXIT_REFUSED;
	}
	r = cm_report_new();
	if (!r) {
		ret = cli_bad_input("out of memory");
	} else {
		cm_report_add_plan_profiles(cm_report_document(r), "plan", plans, CM_KERNEL_NR_PROFILES);
		ret = cli_show_report(c, r);
	}
	if (!ret)
		ret = cli_profiles_exit_status(plans);
	cm_report_free(r);
	for (int i = 0; i < CM_KERNEL_NR_PROFILES; i++)
		cm_tdx_plan_free(plans[i]);
	return ret;
}

int cli_profiles_exit_status(struct cm_tdx_plan *const plans[CM_KERNEL_NR_PROFILES])
{
	for (int i = 0; i < CM_KERNEL_NR_PROFILES; i++)
		if (cli_plan_exit_status(plans[i]) == EXIT_OK)
			return EXIT_OK;
	return EXIT_REFUSED;
}

int cmd_plan(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct plan_cmd args = { 0 };
	struct cli *c = &args.cli;
	struct cm_platform *p = NULL;
	struct cm_tdx_plan *plan = NULL;
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (cli_fleet_requested(c)) {
		if (args.tdmr_bin || args.pictures.svg || args.pictures.html)
			return cli_bad_input("--tdmr-bin, --svg and --html take one log, not a fleet");
		return cli_fleet_run(c, cli_fleet_plan_host);
	}
	ret = cli_load_platform(c, &p);
	if (ret)
		return ret;
	if (c->config.tdx.kernel == CM_KERNEL_ALL) {
		ret = args.tdmr_bin ? cli_bad_input("--tdmr-bin needs one kernel profile, not all") :
				      show_profiles(c, p);
		goto out;
	}
	ret = cli_build_plan(c, p, &plan);
	if (ret)
		goto out;
	ret = show_plan(c, p, plan, &args.pictures);
	if (ret)
		goto out;
	if (plan->result == CM_TDX_DISABLED)
		fprintf(stderr, "confmem: plan: TDX is not enabled on this platform, nothing to plan (status "
			"disabled)%s\n", c->live && !c->nr_cmrs ? "; give the machine's CMRs with --cmrs LIST" : "");
	ret = cli_plan_exit_status(plan);
	if (args.tdmr_bin) {
		int wret = write_tdmr_bin(args.tdmr_bin, p, plan);

		ret = wret ? wret : ret;
	}
out:
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
	return ret;
}
