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

static const char tdx_prefix[] = "virt/tdx: ";

struct report_cmd {
	struct cli cli;
	bool dump_platform;
};
CLI_ARGS_CHECK(struct report_cmd);

const struct cli_option report_options[] = {
	CLI_PLATFORM_OPTIONS,
	OPT_GROUP(""),
	OPT_BOOLEAN(0, "dump-platform", struct report_cmd, dump_platform,
		    "print the platform as JSON that --platform loads back"),
	OPT_END(),
};

struct plan_cmd {
	struct cli cli;
	const char *tdmr_bin;
};
CLI_ARGS_CHECK(struct plan_cmd);

const struct cli_option plan_options[] = {
	CLI_PLATFORM_OPTIONS,
	OPT_GROUP(""),
	OPT_STRING(0, "tdmr-bin", struct plan_cmd, tdmr_bin, "FILE", "write the TDMR_INFO array as laid out for the module"),
	OPT_END(),
};

static const char *human(uint64_t bytes, char *buf, size_t len)
{
	cm_format_human_size(bytes, buf, len);
	return buf;
}

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

/* Refused when the platform has TDX and it does not initialise. */
static int plan_exit_status(const struct cm_tdx_plan *plan)
{
	return plan->result == CM_TDX_INITIALIZED ? EXIT_OK : EXIT_REFUSED;
}

static void print_assumed(const struct cm_platform *p)
{
	for (size_t i = 0; i < p->assumed.nr_lines; i++)
		printf("  %s\n", p->assumed.lines[i].text);
}

static void print_memory_map(const struct cm_platform *p)
{
	printf("\nBIOS-e820 memory map:\n");
	for (size_t i = 0; i < p->nr_e820; i++)
		printf("  [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] %s\n", p->e820[i].start, p->e820[i].end - 1,
		       cm_e820_type_name(p->e820[i].type));
}

static void print_nodes(const struct cli *c, const struct cm_platform *p, const struct cm_node_capability *caps,
			const struct cm_log *cap_log, const struct cm_tiering *tiering)
{
	char cpus[256], mem[32], pamt[32];

	printf("\nNUMA nodes:\n");
	for (size_t i = 0; i < p->nr_nodes; i++) {
		const struct cm_node *n = &p->nodes[i];

		cm_bitmap_format_list(&n->cpus, cpus, sizeof(cpus));
		printf("  node %d: cpus %-10s %-4s %11s  crypto_capable=%d  tdx_memory=%s  PAMT %s\n", n->id,
		       cpus[0] ? cpus : "-", cm_node_kind_name(n->kind), human(cm_node_memory_bytes(n), mem, sizeof(mem)),
		       caps[i].crypto_capable, caps[i].tdx_memory ? "yes" : "no",
		       human(caps[i].pamt_bytes, pamt, sizeof(pamt)));
	}
	cli_print_log(c, cap_log, "  ");
	printf("\nMemory tiers and demotion (%s model):\n", cm_tiering_model_title(tiering->model));
	for (size_t i = 0; i < p->nr_nodes; i++) {
		int id = cm_tiering_tier_id(tiering, p->nodes[i].id);

		if (id >= 0)
			printf("  node %d: memory_tier%d (adistance %d)%s\n", p->nodes[i].id, id,
			       tiering->adistance[p->nodes[i].id],
			       cm_tiering_is_top_tier(tiering, p->nodes[i].id) ? ", top tier" : "");
	}
	cli_print_log(c, &tiering->log, "  ");
	if (p->nr_hotplug) {
		printf("\nHot-add windows:\n");
		for (size_t i = 0; i < p->nr_hotplug; i++)
			printf("  [0x%" PRIx64 ", 0x%" PRIx64 ") %s for node %d, %s\n", p->hotplug[i].start,
			       p->hotplug[i].start + p->hotplug[i].size, human(p->hotplug[i].size, mem, sizeof(mem)),
			       p->hotplug[i].node, p->hotplug[i].convertible ? "convertible" : "not convertible");
	}
	if (p->sgx.nr_epc) {
		printf("\nSGX EPC:\n");
		for (unsigned int i = 0; i < p->sgx.nr_epc; i++)
			printf("  EPC section 0x%" PRIx64 "-0x%" PRIx64 " node %d (%s)\n", p->sgx.epc[i].start,
			       p->sgx.epc[i].start + p->sgx.epc[i].size - 1, p->sgx.epc[i].node,
			       human(p->sgx.epc[i].size, mem, sizeof(mem)));
	}
}

static void print_plan_summary(const struct cli *c, const struct cm_tdx_plan *plan, const struct cm_platform *p)
{
	uint64_t tdx_bytes = 0;
	char buf[32];

	printf("\nTDX:\n");
	if (plan->result == CM_TDX_DISABLED) {
		printf("  not enabled on this platform\n");
		return;
	}
	for (unsigned int i = 0; i < plan->nr_cmrs; i++)
		printf("  CMR: [0x%" PRIx64 ", 0x%" PRIx64 ")\n", plan->cmrs[i].start, plan->cmrs[i].end);
	for (size_t i = 0; i < plan->nr_memlist; i++)
		tdx_bytes += plan->memlist[i].end - plan->memlist[i].start;
	printf("  TDX memory: %zu regions, %s; %zu TDMRs of %u; holes from the %s\n", plan->nr_memlist,
	       human(tdx_bytes, buf, sizeof(buf)), plan->nr_tdmrs, p->tdx.max_tdmrs,
	       cm_tdx_holes_source(plan->options.holes));
	cli_print_log(c, &plan->log, tdx_prefix);
	cli_print_log(c, &plan->advice, "");
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
	uint64_t ram = 0;
	unsigned int nr_cpus = 0;
	char buf[32];
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (r.dump_platform)
		return dump_platform(c);
	ret = cli_boot_load(c, &b);
	if (ret)
		return ret;
	p = b.platform;
	if (c->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "platform", json_object_new_string(p->name));
		json_object_object_add(o, "nodes", cm_json_nodes(p, b.caps, &b.tiering, cli_json_style(c)));
		json_object_object_add(o, "tdx", cm_json_plan(b.plan, cli_json_style(c)));
		cli_print_json(o);
		json_object_put(o);
	} else {
		for (size_t i = 0; i < p->nr_nodes; i++) {
			ram += cm_node_memory_bytes(&p->nodes[i]);
			nr_cpus += cm_bitmap_weight(&p->nodes[i].cpus);
		}
		printf("confmem report: platform \"%s\": %zu nodes, %u CPUs, %s boot RAM, memory block %" PRIu64 " MiB\n",
		       p->name, p->nr_nodes, nr_cpus, human(ram, buf, sizeof(buf)), p->memory_block_size >> 20);
		print_assumed(p);
		print_memory_map(p);
		print_nodes(c, p, b.caps, &b.cap_log, &b.tiering);
		print_plan_summary(c, b.plan, p);
	}
	ret = p->tdx.enabled ? plan_exit_status(b.plan) : EXIT_OK;
	cli_boot_free(&b);
	return ret;
}

static int write_tdmr_bin(const char *path, const struct cm_platform *p, const struct cm_tdx_plan *plan)
{
	size_t len;
	uint8_t *buf;
	FILE *f;

	if (plan->result != CM_TDX_INITIALIZED && plan->result != CM_TDX_FAILED_CONFIG) {
		fprintf(stderr, "confmem: --tdmr-bin: nothing written: initialisation failed before the TDMRs "
			"were complete\n");
		return EXIT_REFUSED;
	}
	buf = cm_tdmr_info_array(plan->tdmrs, plan->nr_tdmrs, p->tdx.max_reserved_per_tdmr, &len);
	if (!buf)
		return cli_bad_input("out of memory");
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		free(buf);
		return cli_bad_input("%s: cannot write: %s", path, strerror(errno));
	}
	free(buf);
	return 0;
}

/* The plan in detail; JSON: the plan. */
static int show_plan(const struct cli *c, const struct cm_platform *p, const struct cm_tdx_plan *plan)
{
	struct cm_report *r = cm_report_new();
	int ret;

	if (!r)
		return cli_bad_input("out of memory");
	cm_report_add_plan(cm_report_document(r), "plan", plan, p, CM_REPORT_PLAN_DETAIL);
	ret = cli_show_report(c, r);
	cm_report_free(r);
	return ret;
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
	ret = cli_load_platform(c, &p);
	if (ret)
		return ret;
	ret = cli_build_plan(c, p, &plan);
	if (ret)
		goto out;
	ret = show_plan(c, p, plan);
	if (ret)
		goto out;
	ret = plan_exit_status(plan);
	if (args.tdmr_bin) {
		int wret = write_tdmr_bin(args.tdmr_bin, p, plan);

		ret = wret ? wret : ret;
	}
out:
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
	return ret;
}
