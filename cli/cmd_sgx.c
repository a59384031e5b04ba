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

static const char subrange_ok[] = "every page measures at most one contiguous range";

static void print_json(const char *mrenclave, const struct cm_sgx_build_report *r)
{
	struct json_object *o = json_object_new_object(), *design;

	json_object_object_add(o, "mrenclave", json_object_new_string(mrenclave));
	json_object_object_add(o, "nr_pages", json_object_new_uint64(r->nr_pages));
	json_object_object_add(o, "nr_eextend", json_object_new_uint64(r->nr_eextend));
	json_object_object_add(o, "epc_pages_peak", json_object_new_uint64(r->epc_pages_peak));
	design = json_object_new_object();
	json_object_object_add(design, "can_build", json_object_new_boolean(r->eextend_ioctl));
	json_object_object_add(o, "eextend_ioctl", design);
	design = json_object_new_object();
	json_object_object_add(design, "can_build", json_object_new_boolean(r->subrange_per_page));
	json_object_object_add(design, "reason",
			       json_object_new_string(r->subrange_per_page ? subrange_ok : r->reason));
	json_object_object_add(o, "subrange_per_page", design);
	cli_print_json(o);
	json_object_put(o);
}

static void print_text(const char *mrenclave, const struct cm_sgx_build_report *r)
{
	printf("mrenclave: %s\n", mrenclave);
	printf("nr_pages: %" PRIu64 "\n", r->nr_pages);
	printf("nr_eextend: %" PRIu64 "\n", r->nr_eextend);
	printf("epc_pages_peak: %" PRIu64 "\n", r->epc_pages_peak);
	printf("eextend_ioctl: %s\n", r->eextend_ioctl ? "can build" : "cannot build");
	printf("subrange_per_page: %s (%s)\n", r->subrange_per_page ? "can build" : "cannot build",
	       r->subrange_per_page ? subrange_ok : r->reason);
}

static int sgx_measure(struct cli *c, const char *path)
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
	if (c->json)
		print_json(hex, &report);
	else
		print_text(hex, &report);
	return EXIT_OK;
}

const struct cli_option sgx_options[] = {
	CLI_OUTPUT_OPTIONS_UNLISTED,
	OPT_ARGUMENTS("measure ENCLAVE.json", NULL),
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
