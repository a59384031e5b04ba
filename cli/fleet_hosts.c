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
	struct cm_tdx_plan *plans[CM_KERNEL_LAST_PROFILE - CM_KERNEL_FIRST_PROFILE + 1] = { 0 };
	struct cm_tdx_options o = c->config.tdx;
	size_t nr = 0;
	int ret = 0, initialised = 0;

	for (int k = CM_KERNEL_FIRST_PROFILE; k <= CM_KERNEL_LAST_PROFILE && !ret; k++) {
		o.kernel = (enum cm_tdx_kernel)k;
		ret = cm_tdx_plan_build(p, &o, &plans[nr], err);
		if (!ret)
			initialised += plans[nr++]->result == CM_TDX_INITIALIZED;
	}
	if (!ret)
		cm_report_add_plan_profiles(host, "plan", plans, nr);
	for (size_t i = 0; i < nr; i++)
		cm_tdx_plan_free(plans[i]);
	return ret ? ret : initialised ? EXIT_OK : EXIT_REFUSED;
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
			ret = plan->result == CM_TDX_INITIALIZED ? EXIT_OK : EXIT_REFUSED;	/* as plan does */
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
