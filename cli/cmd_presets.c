// SPDX-License-Identifier: MIT
/*
 * confmem presets: the built-in platforms.
 */
#include <stdio.h>

#include "cli.h"

const struct cli_option presets_options[] = {
	CLI_OUTPUT_OPTIONS(NULL),
	OPT_END(),
};

int cmd_presets(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct cli args = { 0 };
	struct cli *c = &args;
	struct cm_report *r;
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	r = cm_report_new();
	if (!r)
		return cli_bad_input("out of memory");
	cm_report_add_presets(cm_report_document(r), "presets");
	ret = cli_show_report(c, r);
	cm_report_free(r);
	return ret;
}
