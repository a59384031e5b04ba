// SPDX-License-Identifier: MIT
/*
 * confmem sgx measure ENCLAVE.json: MRENCLAVE of a described enclave and
 * which kernel interface can build it (SPEC 8.2, docs/sgx-measure.md).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "confmem/sgx.h"

/* MRENCLAVE and the build report; JSON: the same. */
static int show_measure(const struct cli *c, const char *mrenclave, const struct cm_sgx_build_report *report)
{
	struct cm_report *r = cm_report_new();
	int ret;

	if (!r)
		return cli_bad_input("out of memory");
	cm_report_add_sgx_measure(cm_report_document(r), "measure", mrenclave, report);
	ret = cli_show_report(c, r);
	cm_report_free(r);
	return ret;
}

static int sgx_measure(const struct cli *c, const char *path)
{
	uint8_t mrenclave[CM_SGX_MRENCLAVE_SIZE];
	char hex[CM_SGX_MRENCLAVE_HEX_SIZE];
	struct cm_sgx_enclave_desc *d;
	struct cm_sgx_build_report report;
	struct cm_error err = { 0 };

	if (cm_sgx_enclave_from_json_file(path, &d, &err))
		return cli_bad_input("%s", err.msg);
	if (cm_sgx_measure(d, mrenclave, &err)) {
		cm_sgx_enclave_desc_free(d);
		return cli_bad_input("%s: %s", path, err.msg);
	}
	cm_sgx_build_report(d, &report);
	cm_sgx_enclave_desc_free(d);
	cm_sgx_format_mrenclave(mrenclave, hex);
	return show_measure(c, hex, &report);
}

const struct cli_option sgx_options[] = {
	OPT_ARGUMENTS("measure ENCLAVE.json", "the enclave's description (docs/sgx-measure.md)"),
	CLI_OUTPUT_OPTIONS(NULL),
	OPT_END(),
};

int cmd_sgx(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct cli args = { 0 };
	struct cli *c = &args;
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (c->nr_args < 1)
		return cli_bad_input("sgx: expected an action: confmem sgx measure ENCLAVE.json [--json]");
	if (strcmp(c->args[0], "measure"))
		return cli_bad_input("sgx: unknown action '%s' (known: measure)", c->args[0]);
	if (c->nr_args != 2)
		return cli_bad_input("sgx measure: expected one ENCLAVE.json file (confmem sgx measure ENCLAVE.json "
				     "[--json])");
	return sgx_measure(c, c->args[1]);
}
