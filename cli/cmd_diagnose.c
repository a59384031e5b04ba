// SPDX-License-Identifier: MIT
/*
 * confmem diagnose --dmesg FILE: a TDX host's boot log explained (SPEC
 * 3.10, docs/diagnose.md): each known failure with its evidence lines,
 * explanation and fix, and the plan of the host compared with what the
 * kernel printed. Exit 0 when TDX initialised or nothing failed, 1 when a
 * finding of severity error is present, 2 for bad input.
 */
#include "confmem/diagnose.h"

#include "cli.h"

struct diagnose_args {
	struct cli cli;
};
CLI_ARGS_CHECK(struct diagnose_args);

const struct cli_option diagnose_options[] = {
	OPT_CALLBACK(0, "dmesg", struct cli, dmesg_file, "FILE", "the boot log (dmesg, dmesg -x, journalctl -k)",
		     cli_option_dmesg),
	CLI_OUTPUT_OPTIONS("also how each line of the boot log was read"),
	CLI_FLEET_OPTIONS,
	OPT_END(),
};

int cmd_diagnose(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct diagnose_args args = { 0 };
	struct cm_diagnosis *d = NULL;
	struct cm_error err = { 0 };
	struct cm_report *r;
	int ret = cli_parse(cmd, argc, argv, &args.cli);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (!args.cli.dmesg_file)
		return cli_bad_input("diagnose: give --dmesg FILE (confmem diagnose --help)");
	if (cli_fleet_requested(&args.cli))
		return cli_fleet_run(&args.cli, cli_fleet_diagnose_host);
	if (cm_diagnose_file(args.cli.dmesg_file, &d, &err))
		return cli_bad_input("%s", err.msg);
	r = cm_report_new();
	if (!r) {
		cm_diagnosis_free(d);
		return cli_bad_input("out of memory");
	}
	cm_report_add_diagnosis(cm_report_document(r), "diagnosis", d);
	ret = cli_show_report(&args.cli, r);
	cm_report_free(r);
	if (!ret)
		ret = cm_diagnosis_has_error(d) ? EXIT_REFUSED : EXIT_OK;
	cm_diagnosis_free(d);
	return ret;
}
