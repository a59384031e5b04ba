// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/config.h"

static const struct cm_config_knob knobs[] = {
	{ "tdx.mixed", "strict|exclude", "boot RAM outside the CMRs: refuse TDX (strict) or leave it out" },
	{ "tdx.holes", "memlist|cmr", "reserved-area holes from the memory list (kernel) or from the CMRs" },
	{ "tdx.optimize", "0|1", "merge touching reserved areas" },
	{ "tdx.add_failure", "kill|retry", "a TD page add refused: kill the guest or retry on a capable node" },
	{ "hotplug.mode", "check|notifier|devdax", "how a hot-add is judged" },
	{ "tiering.model", "tiers|distance", "memory tiers (6.1+) or the 5.15 distance-based demotion order" },
	{ "tiering.memcg_demotion", "never|allowed", "whether memory-cgroup reclaim may demote" },
	{ "tiering.promotion", "0|1", "NUMA-balancing promotion of hot lower-tier pages" },
	{ "demotion_enabled", "0|1", "reclaim demotes before it discards" },
	{ "zone_reclaim_mode", "0..15", "bit value 8 (RECLAIM_MIGRATE) also enables demotion" },
	{ "swap_bytes", "SIZE", "size of the swap device" },
	{ "sgx.oom", "none|kill-enclave", "EPC cgroup at its limit with nothing reclaimable" },
};

size_t cm_config_knob_count(void)
{
	return sizeof(knobs) / sizeof(knobs[0]);
}

const struct cm_config_knob *cm_config_knob(size_t i)
{
	return i < cm_config_knob_count() ? &knobs[i] : NULL;
}

void cm_config_default(struct cm_config *c)
{
	memset(c, 0, sizeof(*c));
	cm_tdx_options_default(&c->tdx);
	c->tdx_add_failure = CM_TDX_ADD_FAILURE_KILL;
	c->hotplug_mode = CM_HOTPLUG_CHECK;
	c->tiering_model = CM_TIERING_TIERS;
	c->memcg_demotion = CM_MEMCG_DEMOTION_NEVER;
	c->demotion_enabled = false;
}

bool cm_config_demotion_on(const struct cm_config *c)
{
	return c->demotion_enabled || (c->zone_reclaim_mode & CM_RECLAIM_MIGRATE);
}

/* Match @value against "a|b|c"; returns the index or -1. */
static int choice(const char *value, const char *choices)
{
	const char *p = choices;
	size_t len = strlen(value);

	for (int i = 0; *p; i++) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);

		if (n == len && !strncmp(p, value, n))
			return i;
		if (!bar)
			break;
		p = bar + 1;
	}
	return -1;
}

static int parse_bool(const char *value, bool *out)
{
	if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "on")) {
		*out = true;
		return 0;
	}
	if (!strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "off")) {
		*out = false;
		return 0;
	}
	return -EINVAL;
}

int cm_config_set_value(struct cm_config *c, const char *key, const char *value, struct cm_error *err)
{
	const struct cm_config_knob *k = NULL;
	const char *why = NULL;
	uint64_t v;
	int i = 0;

	for (size_t j = 0; j < cm_config_knob_count(); j++)
		if (!strcmp(knobs[j].key, key))
			k = &knobs[j];
	if (!k)
		return cm_error_set(err, -EINVAL, "%s: unknown configuration knob (see confmem --help for the list)", key);
	if (strchr(k->values, '|') && strcmp(k->values, "0|1")) {
		i = choice(value, k->values);
		if (i < 0)
			return cm_error_set(err, -EINVAL, "%s: expected %s, found \"%s\"", key, k->values, value);
	}
	if (!strcmp(key, "tdx.mixed")) {
		c->tdx.mixed = i ? CM_TDX_MIXED_EXCLUDE : CM_TDX_MIXED_STRICT;
	} else if (!strcmp(key, "tdx.holes")) {
		c->tdx.holes = i ? CM_HOLES_CMR : CM_HOLES_MEMLIST;
	} else if (!strcmp(key, "tdx.add_failure")) {
		c->tdx_add_failure = i ? CM_TDX_ADD_FAILURE_RETRY : CM_TDX_ADD_FAILURE_KILL;
	} else if (!strcmp(key, "hotplug.mode")) {
		c->hotplug_mode = (enum cm_hotplug_mode)i;
	} else if (!strcmp(key, "tiering.model")) {
		c->tiering_model = i ? CM_TIERING_DISTANCE : CM_TIERING_TIERS;
	} else if (!strcmp(key, "tiering.memcg_demotion")) {
		c->memcg_demotion = i ? CM_MEMCG_DEMOTION_ALLOWED : CM_MEMCG_DEMOTION_NEVER;
	} else if (!strcmp(key, "sgx.oom")) {
		c->sgx_oom = i ? CM_SGX_OOM_KILL_ENCLAVE : CM_SGX_OOM_NONE;
	} else if (!strcmp(key, "swap_bytes")) {
		if (cm_parse_size(value, &v, &why))
			return cm_error_set(err, -EINVAL, "%s: %s, found \"%s\"", key, why, value);
		c->swap_bytes = v;
	} else if (!strcmp(key, "zone_reclaim_mode")) {
		if (cm_parse_size(value, &v, &why) || v > 15)
			return cm_error_set(err, -EINVAL, "%s: expected 0..15, found \"%s\"", key, value);
		c->zone_reclaim_mode = (unsigned int)v;
	} else {
		bool b;

		if (parse_bool(value, &b))
			return cm_error_set(err, -EINVAL, "%s: expected 0 or 1, found \"%s\"", key, value);
		if (!strcmp(key, "tdx.optimize"))
			c->tdx.merge_reserved = b;
		else if (!strcmp(key, "tiering.promotion"))
			c->promotion = b;
		else
			c->demotion_enabled = b;
	}
	return 0;
}

int cm_config_set(struct cm_config *c, const char *assignment, struct cm_error *err)
{
	const char *eq = strchr(assignment, '=');
	char key[64];
	size_t n;

	if (!eq || eq == assignment)
		return cm_error_set(err, -EINVAL, "--set: expected KEY=VALUE, found \"%s\"", assignment);
	n = (size_t)(eq - assignment);
	if (n >= sizeof(key))
		return cm_error_set(err, -EINVAL, "--set: key too long in \"%s\"", assignment);
	memcpy(key, assignment, n);
	key[n] = '\0';
	return cm_config_set_value(c, key, eq + 1, err);
}
