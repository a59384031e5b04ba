// SPDX-License-Identifier: MIT
/*
 * The work on one host of a fleet for each command that takes fleets:
 * plan, nodes and diagnose (cli/fleet.c runs them, several at once). They
 * call the library only: nothing here prints.
 */
#include <errno.h>
#include <stdlib.h>

#include "cli.h"
#include "confmem/diagnose.h"
#include "confmem/numa.h"

static int load(const struct cli *c, const char *path, struct cm_platform **p, struct cm_error *err)
{
	int ret = cm_platform_from_dmesg_file(path, p, err);

	if (!ret && c->nr_cmrs)
		cm_platform_set_cmrs(*p, c->cmrs, c->nr_cmrs);
	return ret;
}

/* plan --kernel all: one row per profile. */
static int plan_profiles(const struct cli *c, const struct cm_platform *p, struct cm_report_item *host,
			 struct cm_error *err)
{
	struct cm_tdx_plan *plans[CM_KERNEL_NR_PROFILES];
	int ret = cm_tdx_plan_every_profile(p, &c->config.tdx, plans, err);

	if (ret)
		return ret;
	cm_report_add_plan_profiles(host, "plan", plans, CM_KERNEL_NR_PROFILES);
	ret = cli_profiles_exit_status(plans);
	for (int i = 0; i < CM_KERNEL_NR_PROFILES; i++)
		cm_tdx_plan_free(plans[i]);
	return ret;
}

int cli_fleet_plan_host(const struct cli *c, const char *path, struct cm_report_item *host, struct cm_error *err)
{
	struct cm_platform *p = NULL;
	struct cm_tdx_plan *plan = NULL;
	int ret = load(c, path, &p, err);

	if (!ret && c->config.tdx.kernel == CM_KERNEL_ALL) {
		ret = plan_profiles(c, p, host, err);
	} else if (!ret) {
		ret = cm_tdx_plan_build(p, &c->config.tdx, &plan, err);
		if (!ret) {
			cm_report_add_plan(host, "plan", plan, p, CM_REPORT_PLAN_DETAIL);
			ret = cli_plan_exit_status(plan);
		}
	}
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
	return ret;
}

int cli_fleet_nodes_host(const struct cli *c, const char *path, struct cm_report_item *host, struct cm_error *err)
{
	static const struct cm_report_nodes_layout json_only = { 0 };
	struct cm_node_states states;
	struct cm_tiering tiering = { 0 };
	struct cm_node_capability *caps = NULL;
	struct cm_log cap_log = { 0 };
	struct cm_platform *p = NULL;
	struct cm_tdx_plan *plan = NULL;
	int ret = load(c, path, &p, err);

	if (!ret)
		ret = cm_tdx_plan_build(p, &c->config.tdx, &plan, err);
	if (!ret) {
		cm_node_states_from_platform(p, &states);
		if (cm_tiering_compute(p, &states, c->config.tiering_model, &tiering) ||
		    cm_node_capabilities(p, plan, &caps, &cap_log))
			ret = cm_error_set(err, -ENOMEM, "%s: out of memory", path);
	}
	if (!ret)
		cm_report_add_nodes(host, "nodes", p, caps, &tiering, &json_only);
	cm_tiering_free(&tiering);
	cm_log_free(&cap_log);
	free(caps);
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
	return ret;
}

int cli_fleet_diagnose_host(const struct cli *c, const char *path, struct cm_report_item *host,
			    struct cm_error *err)
{
	struct cm_diagnosis *d = NULL;
	int ret;

	(void)c;
	ret = cm_diagnose_file(path, &d, err);
	if (ret)
		return ret;
	cm_report_add_diagnosis(host, "diagnosis", d);
	ret = cm_diagnosis_has_error(d) ? EXIT_REFUSED : EXIT_OK;
	cm_diagnosis_free(d);
	return ret;
}
