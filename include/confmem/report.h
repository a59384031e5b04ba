/* SPDX-License-Identifier: MIT */
/*
 * Reports: JSON objects in ndctl's style (numbers in bytes; with @human,
 * addresses as "0x..." strings and sizes as "64.00 GiB (68.72 GB)"), and
 * a sysfs-like export of a model platform.
 */
#ifndef CONFMEM_REPORT_H
#define CONFMEM_REPORT_H

#include <json-c/json.h>
#include <stdbool.h>

#include "confmem/hotplug.h"
#include "confmem/numa.h"
#include "confmem/platform.h"
#include "confmem/tdx.h"
#include "confmem/tiering.h"

enum cm_json_style { CM_JSON_RAW, CM_JSON_HUMAN };

void cm_json_add_addr(struct json_object *o, const char *key, uint64_t v, enum cm_json_style style);
void cm_json_add_size(struct json_object *o, const char *key, uint64_t v, enum cm_json_style style);
/* A node mask as a JSON array of node ids. */
struct json_object *cm_json_nodemask(cm_nodemask_t m);

/* plan --json: status, error, nr_tdmrs, pamt_kb, tdmrs, cmrs, tdx_memory, ... */
struct json_object *cm_json_plan(const struct cm_tdx_plan *plan, enum cm_json_style style);
/*
 * nodes --json: an array of {node, cpus, kind, memory_bytes, crypto_capable, tdx_memory,
 * demotion_targets, fallback_targets, tier, adistance, ...}; @tiering may be NULL.
 */
struct json_object *cm_json_nodes(const struct cm_platform *p, const struct cm_node_capability *caps,
				  const struct cm_tiering *tiering, enum cm_json_style style);
struct json_object *cm_json_hotplug(const struct cm_hotplug_verdict *v, const struct cm_hotplug_request *req,
				    enum cm_json_style style);

struct cm_sim;
/* sim --json: status, seed, counters, swap, nodes, cgroups, actors, events, expect. */
struct json_object *cm_json_sim(const struct cm_sim *sim, enum cm_json_style style);

/* Write DIR/devices/system/{node,memory}/... in the kernel's formats. */
int cm_export_sysfs(const struct cm_platform *p, const struct cm_node_capability *caps, const char *dir,
		    struct cm_error *err);

#endif /* CONFMEM_REPORT_H */
