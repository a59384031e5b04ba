// SPDX-License-Identifier: MIT
/*
 * confmem module-config --tdmr-info FILE --cmrs LIST: run a TDMR_INFO
 * array (plan --tdmr-bin's layout) through the emulated module's
 * TDH.SYS.CONFIG (SPEC 3.8) and show its status and what it means.
 * Exit 0 when the module accepts the array, 1 when it rejects it, 2 for
 * bad input.
 */
#include <string.h>

#include "cli.h"

struct module_config_args {
	struct cli cli;
	const char *tdmr_info;
	struct cm_range cmrs[CM_MAX_CMRS];
	unsigned int nr_cmrs;
	int max_reserved;
};
CLI_ARGS_CHECK(struct module_config_args);

/* --cmrs as the other commands read it, into this command's own list (it needs no --live). */
static int option_cmrs(void *base, void *value, const char *arg)
{
	struct module_config_args *a = base;
	struct cli list = { 0 };
	int ret = cli_option_cmrs(&list, NULL, arg);

	(void)value;
	if (ret)
		return ret;
	if (a->nr_cmrs + list.nr_cmrs > CM_MAX_CMRS)
		return cli_bad_input("--cmrs: more than %d CMRs", CM_MAX_CMRS);
	memcpy(&a->cmrs[a->nr_cmrs], list.cmrs, list.nr_cmrs * sizeof(list.cmrs[0]));
	a->nr_cmrs += list.nr_cmrs;
	return 0;
}

const struct cli_option module_config_options[] = {
	OPT_STRING(0, "tdmr-info", struct module_config_args, tdmr_info, "FILE",
		   "a TDMR_INFO array (as plan --tdmr-bin writes it)"),
	OPT_CALLBACK(0, "cmrs", struct module_config_args, cmrs, "LIST",
		     "the module's CMRs as START-END[,START-END...] (sizes like 4G allowed)", option_cmrs),
	OPT_INTEGER(0, "max-reserved", struct module_config_args, max_reserved, "N",
		    "the module's max_reserved_per_tdmr (default 16: 1024-byte entries)"),
	OPT_GROUP("Output:"),
	OPT_BOOLEAN(0, "json", struct cli, json, CLI_JSON_HELP),
	OPT_BOOLEAN('u', "human", struct cli, human, CLI_HUMAN_HELP),
	OPT_END(),
};

static int show(const struct cli *c, const struct cm_tdx_config *module, const struct cm_tdmr *tdmrs,
		size_t nr_tdmrs, uint64_t status)
{
	struct cm_report *r = cm_report_new();
	int ret;

	if (!r)
		return cli_bad_input("out of memory");
	cm_report_add_module_config(cm_report_document(r), "module_config", module, tdmrs, nr_tdmrs, status);
	ret = cli_show_report(c, r);
	cm_report_free(r);
	return ret;
}

/* The module's limits and its CMRs, checked as the kernel checks what firmware reports. */
static int module_from_args(const struct module_config_args *a, struct cm_tdx_config *module)
{
	struct cm_error err = { 0 };

	cm_tdx_config_set_defaults(module);
	if (a->max_reserved < 1 || (unsigned int)a->max_reserved > CM_TDMR_INFO_MAX_RESERVED)
		return cli_bad_input("--max-reserved: expected 1..%u, found %d", CM_TDMR_INFO_MAX_RESERVED,
				     a->max_reserved);
	module->max_reserved_per_tdmr = (unsigned int)a->max_reserved;
	if (cm_tdx_check_cmrs(a->cmrs, a->nr_cmrs, module->cmrs, &module->nr_cmrs, &err))
		return cli_bad_input("--cmrs: %s", err.msg);
	return 0;
}

int cmd_module_config(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct module_config_args args = { .max_reserved = CM_TDX_DEFAULT_MAX_RESERVED };
	struct cm_tdx_config module;
	struct cm_error err = { 0 };
	struct cm_tdmr *tdmrs;
	uint64_t status;
	size_t nr_tdmrs;
	int ret = cli_parse(cmd, argc, argv, &args.cli);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (!args.tdmr_info || !args.nr_cmrs)
		return cli_bad_input("module-config: give --tdmr-info FILE and --cmrs LIST (confmem module-config "
				     "--help)");
	ret = module_from_args(&args, &module);
	if (ret)
		return ret;
	if (cm_tdmr_info_read_file(args.tdmr_info, module.max_reserved_per_tdmr, &tdmrs, &nr_tdmrs, &err))
		return cli_bad_input("--tdmr-info: %s", err.msg);
	status = cm_tdx_module_config(&module, module.cmrs, module.nr_cmrs, tdmrs, nr_tdmrs);
	if (status == CM_TDX_EMULATION_NOMEM)
		ret = cli_bad_input("out of memory");
	else
		ret = show(&args.cli, &module, tdmrs, nr_tdmrs, status);
	cm_tdmr_info_free(tdmrs);
	if (ret)
		return ret;
	return status == CM_TDX_SUCCESS ? EXIT_OK : EXIT_REFUSED;
}
