// SPDX-License-Identifier: MIT
/*
 * Pictures on the command line (--svg FILE, --html FILE): the command's
 * report rendered by the svg or html renderer into a file written as
 * --trace and --tdmr-bin are (a temporary file renamed into place).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int write_one(const struct cli *c, const struct cm_report *r, const char *option, const char *path,
		     const char *renderer)
{
	struct cm_report_style style = { .json = cli_json_style(c), .verbose = c->verbose };
	struct cli_output_file out;
	int ret = cli_output_open(&out, option, path);

	if (ret)
		return ret;
	ret = cm_report_render(r, renderer, &style, out.f);
	if (ret) {
		fclose(out.f);
		if (out.tmp_path[0])
			unlink(out.tmp_path);
		return cli_bad_input("%s: %s: cannot draw the pictures: %s", option, path, strerror(-ret));
	}
	return cli_output_commit(&out);
}

void cli_prepare_pictures(struct cm_report *r, const struct cli_pictures *pictures)
{
	if (pictures->svg || pictures->html)
		cm_report_enable_pictures(r);
}

int cli_write_pictures(const struct cli *c, const struct cm_report *r, const struct cli_pictures *pictures)
{
	int ret = 0;

	if (cm_report_status(r))
		return cli_bad_input("out of memory");
	if (pictures->svg)
		ret = write_one(c, r, "--svg", pictures->svg, "svg");
	if (!ret && pictures->html)
		ret = write_one(c, r, "--html", pictures->html, "html");
	return ret;
}
