/* SPDX-License-Identifier: MIT */
/*
 * The configuration knobs of the spec (set with --set KEY=VALUE or a
 * scenario's "config"). Each knob is parsed and range-checked here; the
 * subsystem that owns it reads it from this struct.
 */
#ifndef CONFMEM_CONFIG_H
#define CONFMEM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confmem/hotplug.h"
#include "confmem/tdx.h"
#include "confmem/util.h"

enum cm_tiering_model { CM_TIERING_TIERS, CM_TIERING_DISTANCE };
enum cm_memcg_demotion { CM_MEMCG_DEMOTION_NEVER, CM_MEMCG_DEMOTION_ALLOWED };
enum cm_sgx_oom { CM_SGX_OOM_NONE, CM_SGX_OOM_KILL_ENCLAVE };
enum cm_tdx_add_failure { CM_TDX_ADD_FAILURE_KILL, CM_TDX_ADD_FAILURE_RETRY };

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

/* Every knob with its accepted values, for --help. */
struct cm_config_knob {
	const char *key;
	const char *values;
	const char *meaning;
};
size_t cm_config_knob_count(void);
const struct cm_config_knob *cm_config_knob(size_t i);

#endif /* CONFMEM_CONFIG_H */
