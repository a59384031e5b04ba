// SPDX-License-Identifier: MIT
/*
 * confmem hotplug START SIZE: the hot-add verdict (SPEC 5).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"
#include "confmem/hotplug.h"

int cmd_hotplug(struct cli *c)
{
	struct cm_hotplug_request req = { 0 };
	struct cm_hotplug_verdict v;
	struct cm_platform *p = NULL;
	struct cm_tdx_plan *plan = NULL;
	struct cm_error err = { 0 };
	const char *why;
	int ret;

	if (c->nr_args != 2)
		return cli_bad_input("hotplug: expected START SIZE, found %d argument%s (confmem hotplug --help)",
				     c->nr_args, c->nr_args == 1 ? "" : "s");
	if (cm_parse_size(c->args[0], &req.start, &why))
		return cli_bad_input("hotplug: START: %s, found \"%s\"", why, c->args[0]);
	if (cm_parse_size(c->args[1], &req.size, &why))
		return cli_bad_input("hotplug: SIZE: %s, found \"%s\"", why, c->args[1]);
	req.node = c->node;
	req.new_node = c->new_node;
	req.mode = c->config.hotplug_mode;
	req.mixed = c->config.tdx.mixed;

	ret = cli_load_platform(c, &p);
	if (ret)
		return ret;
	ret = cli_build_plan(c, p, &plan);
	if (ret)
		goto out;
	if (cm_hotplug_evaluate(p, plan, &req, &v, &err)) {
		ret = cli_bad_input("hotplug: %s", err.msg);
		goto out;
	}
	if (c->json) {
		struct json_object *o = cm_json_hotplug(&v, &req, cli_json_style(c));

		cli_print_json(o);
		json_object_put(o);
	} else {
		if (v.outcome == CM_HOTPLUG_REJECTED)
			cli_print_log(c, &v.log, "virt/tdx: ");
		else
			cli_print_log(c, &v.log, "");
		printf("%s\n", v.summary);
		if (v.node_was_capable != v.node_capable_after)
			printf("node %d: crypto_capable %d -> %d\n", v.node, v.node_was_capable, v.node_capable_after);
	}
	ret = v.status ? EXIT_REFUSED : EXIT_OK;
	cm_hotplug_verdict_free(&v);
out:
	cm_tdx_plan_free(plan);
	cm_platform_free(p);
	return ret;
}
