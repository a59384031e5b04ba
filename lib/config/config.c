// SPDX-License-Identifier: MIT
/*
 * The knob registry: the subsystems' knob tables in one list, values
 * parsed by the knob's type and stored in its struct cm_config field.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/config.h"

/* One row per subsystem that owns knobs; --help lists them in this order. */
static const struct {
	const struct cm_config_knob *knobs;
	const size_t *nr_knobs;
} owners[] = {
	{ cm_tdx_knobs, &cm_tdx_nr_knobs },
	{ cm_hotplug_knobs, &cm_hotplug_nr_knobs },
	{ cm_tiering_knobs, &cm_tiering_nr_knobs },
	{ cm_mm_knobs, &cm_mm_nr_knobs },
	{ cm_sgx_knobs, &cm_sgx_nr_knobs },
};

size_t cm_config_knob_count(void)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++)
		n += *owners[i].nr_knobs;
	return n;
}

const struct cm_config_knob *cm_config_knob(size_t i)
{
	for (size_t o = 0; o < sizeof(owners) / sizeof(owners[0]); o++) {
		if (i < *owners[o].nr_knobs)
			return &owners[o].knobs[i];
		i -= *owners[o].nr_knobs;
	}
	return NULL;
}

const struct cm_config_knob *cm_config_knob_find(const char *key)
{
	const struct cm_config_knob *k;

	for (size_t i = 0; (k = cm_config_knob(i)); i++)
		if (!strcmp(k->key, key))
			return k;
	return NULL;
}

void cm_config_default(struct cm_config *c)
{
	memset(c, 0, sizeof(*c));
	cm_tdx_options_default(&c->tdx);
	c->tdx_add_failure = CM_TDX_ADD_FAILURE_KILL;
	c->hotplug_mode = CM_HOTPLUG_CHECK;
	c->tiering_model = CM_TIERING_TIERS;
	c->memcg_demotion = CM_MEMCG_DEMOTION_MODEL;
	c->demotion_enabled = false;
}

bool cm_config_demotion_on(const struct cm_config *c)
{
	return c->demotion_enabled || (c->zone_reclaim_mode & CM_RECLAIM_MIGRATE);
}

const char *cm_config_knob_values(const struct cm_config_knob *k, char *buf, size_t len)
{
	size_t used = 0;

	switch (k->type) {
	case CM_KNOB_ENUM:
		if (len)
			buf[0] = '\0';
		for (unsigned int v = 0; v < k->nr_values && used < len; v++)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", v ? "|" : "", k->value_name(v));
		return buf;
	case CM_KNOB_BOOL:
		snprintf(buf, len, "0|1");
		return buf;
	case CM_KNOB_UINT:
		snprintf(buf, len, "0..%" PRIu64, k->max);
		return buf;
	case CM_KNOB_SIZE:
		snprintf(buf, len, "SIZE");
		return buf;
	}
	snprintf(buf, len, "?");
	return buf;
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

static int parse_enum(const struct cm_config_knob *k, const char *value, unsigned int *out)
{
	for (unsigned int i = 0; i < k->nr_values; i++) {
		if (!strcmp(k->value_name(i), value)) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Enum fields are stored as int: every knob enum has int's size. */
_Static_assert(sizeof(enum cm_tdx_holes) == sizeof(int), "knob enums are int-sized");

/* Parse @value by @k's type into @field (k->field_size bytes of struct cm_config). */
static int knob_store(const struct cm_config_knob *k, void *field, const char *value, struct cm_error *err)
{
	char values[CM_KNOB_VALUES_MAX];
	struct cm_error reason = { 0 };
	unsigned int choice;
	uint64_t v;
	bool b;

	switch (k->type) {
	case CM_KNOB_ENUM:
		if (parse_enum(k, value, &choice))
			return cm_error_set(err, -EINVAL, "%s: expected %s, found \"%s\"", k->key,
					    cm_config_knob_values(k, values, sizeof(values)), value);
		*(int *)field = (int)choice;
		return 0;
	case CM_KNOB_BOOL:
		if (parse_bool(value, &b))
			return cm_error_set(err, -EINVAL, "%s: expected 0 or 1, found \"%s\"", k->key, value);
		if (k->field_size == sizeof(bool))
			*(bool *)field = b;
		else
			*(int *)field = b;
		return 0;
	case CM_KNOB_UINT:
		if (cm_parse_size(value, &v, NULL) || v > k->max)
			return cm_error_set(err, -EINVAL, "%s: expected %s, found \"%s\"", k->key,
					    cm_config_knob_values(k, values, sizeof(values)), value);
		*(unsigned int *)field = (unsigned int)v;
		return 0;
	case CM_KNOB_SIZE:
		if (cm_parse_size(value, &v, &reason))
			return cm_error_set(err, -EINVAL, "%s: %s, found \"%s\"", k->key, reason.msg, value);
		*(uint64_t *)field = v;
		return 0;
	}
	return cm_error_set(err, -EINVAL, "%s: knob of unknown type", k->key);
}

int cm_config_set_value(struct cm_config *c, const char *key, const char *value, struct cm_error *err)
{
	const struct cm_config_knob *k = cm_config_knob_find(key);

	if (!k)
		return cm_error_set(err, -EINVAL, "%s: unknown configuration knob", key);
	return knob_store(k, (char *)c + k->offset, value, err);
}

int cm_config_set(struct cm_config *c, const char *assignment, struct cm_error *err)
{
	const char *eq = strchr(assignment, '=');
	char key[64];
	size_t n;

	if (!eq || eq == assignment)
		return cm_error_set(err, -EINVAL, "expected KEY=VALUE, found \"%s\"", assignment);
	n = (size_t)(eq - assignment);
	if (n >= sizeof(key))
		return cm_error_set(err, -EINVAL, "key too long in \"%s\"", assignment);
	memcpy(key, assignment, n);
	key[n] = '\0';
	return cm_config_set_value(c, key, eq + 1, err);
}
