/* SPDX-License-Identifier: MIT */
/*
 * The configuration knobs of the spec (KEY=VALUE, from the command line
 * or a scenario's "config"). Each subsystem declares its own knobs (name,
 * type, values, boot-only or run-time, help) in a table beside the code
 * they control; this registry only collects those tables, parses values
 * by type and finds knobs by name.
 */
#ifndef CONFMEM_CONFIG_H
#define CONFMEM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confmem/hotplug.h"
#include "confmem/sgx.h"
#include "confmem/tdx.h"
#include "confmem/tiering.h"
#include "confmem/util.h"

struct cm_config {
	struct cm_tdx_options tdx;		/* tdx.mixed, tdx.holes, tdx.optimize */
	enum cm_tdx_add_failure tdx_add_failure;	/* tdx.add_failure */
	enum cm_hotplug_mode hotplug_mode;	/* hotplug.mode */
	enum cm_tiering_model tiering_model;	/* tiering.model */
	enum cm_memcg_demotion memcg_demotion;	/* tiering.memcg_demotion */
	bool promotion;				/* tiering.promotion */
	bool demotion_enabled;			/* demotion_enabled */
	unsigned int zone_reclaim_mode;		/* zone_reclaim_mode; RECLAIM_MIGRATE (8) enables demotion */
	uint64_t swap_bytes;			/* swap_bytes */
	enum cm_sgx_oom sgx_oom;		/* sgx.oom */
};

#define CM_RECLAIM_MIGRATE 8U

void cm_config_default(struct cm_config *c);
/* Apply "KEY=VALUE"; -EINVAL with "KEY: expected ..., found ..." in @err. */
int cm_config_set(struct cm_config *c, const char *assignment, struct cm_error *err);
/* Apply one knob given as key and value. */
int cm_config_set_value(struct cm_config *c, const char *key, const char *value, struct cm_error *err);
/* Demotion is on when demotion_enabled or zone_reclaim_mode has RECLAIM_MIGRATE. */
bool cm_config_demotion_on(const struct cm_config *c);

enum cm_knob_type {
	CM_KNOB_ENUM,	/* one of the enum's names, stored as its value */
	CM_KNOB_BOOL,	/* 0|1 (also true/false, on/off), stored as a bool or as an enum's 0/1 */
	CM_KNOB_UINT,	/* an integer 0..@max, stored as an unsigned int */
	CM_KNOB_SIZE,	/* a size ("4G"), stored as a uint64_t */
};

/* When a knob may change: boot-only knobs are read once, when the system is built. */
enum cm_knob_when { CM_KNOB_BOOT, CM_KNOB_RUNTIME };

struct cm_config_knob {
	const char *key;
	const char *meaning;
	enum cm_knob_type type;
	enum cm_knob_when when;
	size_t offset;			/* of the field in struct cm_config */
	size_t field_size;
	/* CM_KNOB_ENUM: the name of each value 0..nr_values-1 (the enum's own name function) */
	const char *(*value_name)(unsigned int value);
	unsigned int nr_values;
	uint64_t max;			/* CM_KNOB_UINT */
};

/* Offset and size of a struct cm_config member, for a knob row. */
#define CM_KNOB_FIELD(member) \
	.offset = offsetof(struct cm_config, member), .field_size = sizeof(((struct cm_config *)0)->member)

/* The knob tables of the subsystems (each beside the code the knobs control). */
extern const struct cm_config_knob cm_tdx_knobs[];
extern const size_t cm_tdx_nr_knobs;
extern const struct cm_config_knob cm_hotplug_knobs[];
extern const size_t cm_hotplug_nr_knobs;
extern const struct cm_config_knob cm_tiering_knobs[];
extern const size_t cm_tiering_nr_knobs;
extern const struct cm_config_knob cm_mm_knobs[];
extern const size_t cm_mm_nr_knobs;
extern const struct cm_config_knob cm_sgx_knobs[];
extern const size_t cm_sgx_nr_knobs;

/* Every knob, in the order of the subsystems' tables, for --help and the docs. */
size_t cm_config_knob_count(void);
const struct cm_config_knob *cm_config_knob(size_t i);
/*
 * The values @k accepts, as --help and messages show them, written into
 * @buf: an enum's names joined by '|' ("strict|exclude"), "0|1", "0..MAX"
 * or "SIZE". Returns @buf.
 */
const char *cm_config_knob_values(const struct cm_config_knob *k, char *buf, size_t len);
/* Room for any knob's values. */
#define CM_KNOB_VALUES_MAX 128
/* The knob named @key, or NULL. */
const struct cm_config_knob *cm_config_knob_find(const char *key);

#endif /* CONFMEM_CONFIG_H */
