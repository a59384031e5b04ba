// SPDX-License-Identifier: MIT
/*
 * Fallback orders, memory tiers and demotion targets (SPEC 7), as a 6.12
 * kernel builds them (checked under QEMU: tests/qemu, docs/qemu-tiers.md).
 *
 * Fallback lists: the boot zonelists are built before any CPU is mapped to
 * its node (no CPU penalty); demotion targets are found later, with it.
 * Abstract distance per memory node: an explicit "adistance" wins; then
 * HMAT (CPU nodes too) against the first node with CPUs and boot RAM when
 * every such node is within 10% of it; then how the memory arrived: boot
 * RAM 576, device-dax/kmem 2880. The node's kind never decides.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/config.h"
#include "confmem/names.h"
#include "confmem/tiering.h"

void cm_node_states_from_platform(const struct cm_platform *p, struct cm_node_states *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < p->nr_nodes; i++) {
		const struct cm_node *n = &p->nodes[i];

		cm_node_set(&s->possible, n->id);
		if (n->nr_memory)
			cm_node_set(&s->memory, n->id);
		if (cm_node_has_cpus(n))
			cm_node_set(&s->cpu, n->id);
	}
}

static int nr_nodes_in(cm_nodemask_t m)
{
	int nr = 0;

	for (; m; m &= m - 1)
		nr++;
	return nr;
}

/* Online nodes: those with memory or CPUs (x86 onlines memoryless CPU nodes too). */
static cm_nodemask_t online_nodes(const struct cm_node_states *states)
{
	return (states->memory | states->cpu) & states->possible;
}

int cm_find_next_best_node_as(const struct cm_platform *p, const struct cm_node_states *states,
			      const unsigned int *node_load, enum cm_zonelist_kernel kernel, int node,
			      cm_nodemask_t *used)
{
	long scale = CM_MAX_NUMNODES, min_val = LONG_MAX;
	int best = CM_NUMA_NO_NODE;

	/*
	 * The local node first, if not yet used; since v6.8 only if it has
	 * memory: a memoryless node starts with its nearest memory node.
	 */
	if (!cm_node_isset(*used, node) &&
	    (kernel == CM_ZONELIST_V5_15 || cm_node_isset(states->memory, node))) {
		cm_node_set(used, node);
		return node;
	}
	/* 5.15: val *= MAX_NODE_LOAD * MAX_NUMNODES, MAX_NODE_LOAD = nr_online_nodes. */
	if (kernel == CM_ZONELIST_V5_15)
		scale *= nr_nodes_in(online_nodes(states)) ?: 1;
	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		long val;

		if (!cm_node_isset(states->memory, n) || cm_node_isset(*used, n))
			continue;
		val = (long)cm_platform_distance(p, node, n);	/* SLIT 255 (unreachable) as given */
		val += n < node;				/* prefer the next node up */
		if (cm_node_isset(states->cpu, n))
			val += CM_PENALTY_FOR_NODE_WITH_CPUS;	/* prefer headless nodes */
		val *= scale;
		val += node_load[n];				/* then the less loaded */
		if (val < min_val) {
			min_val = val;
			best = n;
		}
	}
	if (best >= 0)
		cm_node_set(used, best);
	return best;
}

int cm_find_next_best_node(const struct cm_platform *p, const struct cm_node_states *states,
			   const unsigned int *node_load, int node, cm_nodemask_t *used)
{
	return cm_find_next_best_node_as(p, states, node_load, CM_ZONELIST_V6_8, node, used);
}

void cm_nodemask_format(cm_nodemask_t m, char *buf, size_t len)
{
	struct cm_bitmap b = { .words = &m, .nbits = CM_MAX_NUMNODES };

	cm_bitmap_format_list(&b, buf, len);
}

void cm_build_zonelist_orders_as(const struct cm_platform *p, const struct cm_node_states *states,
				 enum cm_cpu_mapping cpus, enum cm_zonelist_kernel kernel,
				 struct cm_zonelist_orders *z)
{
	struct cm_node_states seen = *states;
	cm_nodemask_t lists = states->possible;
	int nr_online = nr_nodes_in(online_nodes(states));

	if (cpus == CM_CPUS_UNMAPPED)
		seen.cpu = 0;
	if (kernel == CM_ZONELIST_V5_15)
		lists = online_nodes(states);	/* for_each_online_node() */
	memset(z, 0, sizeof(*z));
	for (int local = 0; local < CM_MAX_NUMNODES; local++) {
		cm_nodemask_t used = 0;
		int node, prev = local, nr = 0, load = nr_online;

		if (!cm_node_isset(lists, local))
			continue;
		while ((node = cm_find_next_best_node_as(p, &seen, z->node_load, kernel, local, &used)) >= 0) {
			/* Spread the load: the first node of each new distance group gets a penalty. */
			if (cm_platform_distance(p, local, node) != cm_platform_distance(p, local, prev)) {
				if (kernel == CM_ZONELIST_V5_15)
					z->node_load[node] = (unsigned int)(load > 0 ? load : 0);
				else
					z->node_load[node] += 1;
			}
			z->order[local][nr++] = node;
			prev = node;
			load--;
		}
		z->nr[local] = nr;
	}
}

void cm_build_zonelist_orders(const struct cm_platform *p, const struct cm_node_states *states,
			      enum cm_cpu_mapping cpus, struct cm_zonelist_orders *z)
{
	cm_build_zonelist_orders_as(p, states, cpus, CM_ZONELIST_V6_8, z);
}

static int build_fallback_lists(const struct cm_platform *p, enum cm_cpu_mapping cpus,
				enum cm_zonelist_kernel kernel, struct cm_tiering *t)
{
	struct cm_zonelist_orders *z = malloc(sizeof(*z));
	char line[512];

	if (!z)
		return -ENOMEM;
	cm_build_zonelist_orders_as(p, &t->states, cpus, kernel, z);
	memcpy(t->node_load, z->node_load, sizeof(t->node_load));
	for (int local = 0; local < CM_MAX_NUMNODES; local++) {
		int nr = z->nr[local];
		size_t len;

		if (!cm_node_isset(t->states.possible, local))
			continue;
		if (kernel == CM_ZONELIST_V5_15 && !nr)
			continue;	/* not online: no list */
		memcpy(t->fallback_order[local], z->order[local], sizeof(t->fallback_order[local]));
		t->nr_fallback[local] = nr;
		len = (size_t)snprintf(line, sizeof(line), "Fallback order for Node %d:", local);
		for (int i = 0; i < nr && len < sizeof(line); i++)
			len += (size_t)snprintf(line + len, sizeof(line) - len, " %d", t->fallback_order[local][i]);
		cm_log_add(&t->log, CM_LOG_INFO, "%s", line);
	}
	free(z);
	return 0;
}

/*
 * The kernel's mt_perf_to_adistance(): MEMTIER_ADISTANCE_DRAM is a long
 * (since the overflow fix of 6.16, in 6.12.y stable), so the products are
 * 64-bit, left to right; the sums are the u32 fields added in 32 bits and
 * the result is stored in an int (past INT_MAX, which needs a ratio of
 * millions, confmem saturates). -1 when a sum is zero (-EINVAL).
 */
static int perf_to_adistance(const struct cm_hmat *perf, const struct cm_hmat *ref)
{
	uint32_t lat = perf->read_latency_ns + perf->write_latency_ns;
	uint32_t bw = perf->read_bandwidth_mbps + perf->write_bandwidth_mbps;
	uint32_t ref_lat = ref->read_latency_ns + ref->write_latency_ns;
	uint32_t ref_bw = ref->read_bandwidth_mbps + ref->write_bandwidth_mbps;
	unsigned __int128 adist;

	if (!perf->present || !lat || !bw || !ref_lat || !ref_bw)
		return -1;
	adist = (unsigned __int128)((uint64_t)CM_MEMTIER_ADISTANCE_DRAM * lat / ref_lat) * ref_bw / bw;
	return adist > INT_MAX ? INT_MAX : (int)adist;	/* the kernel's int would wrap; confmem saturates */
}

static bool hmat_has_data(const struct cm_hmat *h)
{
	return h->present && h->read_latency_ns + h->write_latency_ns &&
	       h->read_bandwidth_mbps + h->write_bandwidth_mbps;
}

/* The kernel's test: |value - reference| * 10 > reference is a mismatch. */
static bool within_10_percent(uint32_t v, uint32_t ref)
{
	uint32_t diff = v > ref ? v - ref : ref - v;

	return (uint64_t)diff * 10 <= ref;
}

static bool hmat_within_10_percent(const struct cm_hmat *h, const struct cm_hmat *ref)
{
	return within_10_percent(h->read_latency_ns, ref->read_latency_ns) &&
	       within_10_percent(h->write_latency_ns, ref->write_latency_ns) &&
	       within_10_percent(h->read_bandwidth_mbps, ref->read_bandwidth_mbps) &&
	       within_10_percent(h->write_bandwidth_mbps, ref->write_bandwidth_mbps);
}

static void log_hmat(struct cm_tiering *t, const struct cm_hmat *h)
{
	cm_log_add(&t->log, CM_LOG_INFO, "    read_latency: %u, write_latency: %u, read_bandwidth: %u, "
		   "write_bandwidth: %u", h->read_latency_ns, h->write_latency_ns, h->read_bandwidth_mbps,
		   h->write_bandwidth_mbps);
}

/* mt_set_default_dram_perf()'s lines when a node disagrees with the reference. */
static void log_mismatch(struct cm_tiering *t, const struct cm_node *n, const struct cm_node *ref)
{
	cm_log_add(&t->log, CM_LOG_INFO, "memory-tiers: the performance of DRAM node %d mismatches that "
		   "of the reference", n->id);
	cm_log_add(&t->log, CM_LOG_INFO, "DRAM node %d.", ref->id);
	cm_log_add(&t->log, CM_LOG_INFO, "  performance of reference DRAM node %d from ACPI HMAT:", ref->id);
	log_hmat(t, &ref->hmat);
	cm_log_add(&t->log, CM_LOG_INFO, "  performance of DRAM node %d from ACPI HMAT:", n->id);
	log_hmat(t, &n->hmat);
	cm_log_add(&t->log, CM_LOG_INFO, "  disable default DRAM node performance based abstract distance "
		   "algorithm.");
}

/*
 * The reference performance (hmat_set_default_dram_perf() at boot): the
 * nodes with CPUs and boot RAM, in ascending order; the first one's HMAT
 * data is the reference and each other one must be within 10% of it on
 * all four values. A node without data (-EINVAL) or a mismatch (logged)
 * and HMAT is used for no node; NULL then, or when there is no such node.
 */
static const struct cm_hmat *hmat_reference(const struct cm_platform *p, struct cm_tiering *t)
{
	const struct cm_node *ref = NULL;

	for (size_t i = 0; i < p->nr_nodes; i++) {
		const struct cm_node *n = &p->nodes[i];

		if (!n->nr_memory || !cm_node_has_cpus(n))
			continue;
		if (!hmat_has_data(&n->hmat))
			return NULL;
		if (!ref) {
			ref = n;
		} else if (!hmat_within_10_percent(&n->hmat, &ref->hmat)) {
			log_mismatch(t, n, ref);
			return NULL;
		}
	}
	return ref ? &ref->hmat : NULL;
}

static bool in_e820_type(const struct cm_platform *p, uint64_t start, uint64_t end, enum cm_e820_type type)
{
	for (size_t i = 0; i < p->nr_e820; i++)
		if (p->e820[i].type == type && p->e820[i].start < end && start < p->e820[i].end)
			return true;
	return false;
}

/*
 * How a node's memory arrived, when it has no boot RAM: as the hot-add
 * said (@states), else through
 * device-dax/kmem when one of its hot-add windows is soft-reserved or
 * persistent memory in the e820 map (the kernel hands those ranges to
 * device-dax, and only kmem onlines them), else by ACPI memory hot-add.
 */
static int default_adistance(const struct cm_platform *p, const struct cm_node_states *states,
			     const struct cm_node *n)
{
	if (!n || n->nr_memory)
		return CM_MEMTIER_ADISTANCE_DRAM;	/* boot RAM, or a node the platform does not describe */
	if (cm_node_isset(states->via_kmem, n->id))
		return CM_MEMTIER_DEFAULT_DAX_ADISTANCE;
	if (cm_node_isset(states->via_acpi, n->id))
		return CM_MEMTIER_ADISTANCE_DRAM;
	for (size_t i = 0; i < p->nr_hotplug; i++) {
		const struct cm_hotplug_window *w = &p->hotplug[i];

		if (w->node == n->id && (in_e820_type(p, w->start, w->start + w->size, CM_E820_SOFT_RESERVED) ||
					 in_e820_type(p, w->start, w->start + w->size, CM_E820_PMEM)))
			return CM_MEMTIER_DEFAULT_DAX_ADISTANCE;
	}
	return CM_MEMTIER_ADISTANCE_DRAM;
}

/*
 * Each memory node's abstract distance: the explicit one; else the HMAT
 * algorithm's when the reference is usable and the node has data (CPU
 * nodes too); else the default of how its memory arrived. The kind
 * never decides.
 */
static void compute_adistances(const struct cm_platform *p, struct cm_tiering *t)
{
	const struct cm_hmat *ref = hmat_reference(p, t);

	t->hmat_used = ref != NULL;
	for (int id = 0; id < CM_MAX_NUMNODES; id++) {
		const struct cm_node *n = cm_platform_node(p, id);
		int adist = -1;

		t->adistance[id] = -1;
		if (!cm_node_isset(t->states.memory, id))
			continue;
		if (n && n->adistance >= 0)
			adist = n->adistance;
		else if (n && ref)
			adist = perf_to_adistance(&n->hmat, ref);
		if (adist < 0)
			adist = default_adistance(p, &t->states, n);
		t->adistance[id] = adist;
	}
}

int cm_tiering_tier_id(const struct cm_tiering *t, int node)
{
	return t->adistance[node] < 0 ? -1 : t->adistance[node] >> CM_MEMTIER_CHUNK_BITS;
}

/* Tier ids present, ascending (faster first); returns the count. */
static int tier_list(const struct cm_tiering *t, int *ids)
{
	int nr = 0;

	for (int id = 0; id <= (INT_MAX >> CM_MEMTIER_CHUNK_BITS) && nr < CM_MAX_NUMNODES; ) {
		int next = INT_MAX;

		for (int n = 0; n < CM_MAX_NUMNODES; n++) {
			int tid = cm_tiering_tier_id(t, n);

			if (tid >= id && tid < next)
				next = tid;
		}
		if (next == INT_MAX)
			break;
		ids[nr++] = next;
		id = next + 1;
	}
	return nr;
}

static cm_nodemask_t tier_nodes(const struct cm_tiering *t, int id)
{
	cm_nodemask_t m = 0;

	for (int n = 0; n < CM_MAX_NUMNODES; n++)
		if (cm_tiering_tier_id(t, n) == id)
			cm_node_set(&m, n);
	return m;
}

bool cm_tiering_is_top_tier(const struct cm_tiering *t, int node)
{
	int id = cm_tiering_tier_id(t, node);

	return id >= 0 && (id << CM_MEMTIER_CHUNK_BITS) <= t->top_tier_adistance;
}

static void establish_tiers_targets(const struct cm_platform *p, struct cm_tiering *t)
{
	int ids[CM_MAX_NUMNODES], nr = tier_list(t, ids);
	cm_nodemask_t lower = t->states.memory;

	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		int k, best_distance = -1;
		cm_nodemask_t used;

		if (!cm_node_isset(t->states.memory, n))
			continue;
		for (k = 0; k < nr && ids[k] != cm_tiering_tier_id(t, n); k++)
			;
		if (k + 1 >= nr)
			continue;	/* the last tier demotes nowhere */
		/* Skip every memory node but those of the next lower tier. */
		used = t->states.memory & ~tier_nodes(t, ids[k + 1]);
		for (;;) {
			int target = cm_find_next_best_node(p, &t->states, t->node_load, n, &used);
			int distance;

			if (target == CM_NUMA_NO_NODE)
				break;
			distance = (int)cm_platform_distance(p, n, target);
			if (best_distance != -1 && distance != best_distance)
				break;
			best_distance = distance;
			cm_node_set(&t->preferred[n], target);
		}
	}
	/* Top tier: the fastest... walking from the slowest, the first tier holding a CPU node. */
	t->top_tier_adistance = -1;
	for (int k = nr - 1; k >= 0; k--) {
		if (tier_nodes(t, ids[k]) & t->states.cpu) {
			t->top_tier_adistance = (ids[k] << CM_MEMTIER_CHUNK_BITS) + CM_MEMTIER_CHUNK_SIZE - 1;
			break;
		}
	}
	/* lower_tier of a tier: every memory node of the tiers below it. */
	for (int k = 0; k < nr; k++) {
		cm_nodemask_t nodes = tier_nodes(t, ids[k]);

		lower &= ~nodes;
		for (int n = 0; n < CM_MAX_NUMNODES; n++)
			if (cm_node_isset(nodes, n))
				t->lower_tier[n] = lower;
	}
}

/* 5.15: passes from the CPU nodes; one target per node; sources never become targets. */
static void establish_distance_targets(const struct cm_platform *p, struct cm_tiering *t)
{
	cm_nodemask_t next_pass = t->states.cpu, used = 0;

	while (next_pass) {
		cm_nodemask_t this_pass = next_pass;

		next_pass = 0;
		used |= this_pass;
		for (int n = 0; n < CM_MAX_NUMNODES; n++) {
			int target;

			if (!cm_node_isset(this_pass, n))
				continue;
			target = cm_find_next_best_node_as(p, &t->states, t->node_load, CM_ZONELIST_V5_15, n,
							   &used);
			if (target == CM_NUMA_NO_NODE)
				continue;
			cm_node_set(&t->preferred[n], target);
			cm_node_set(&next_pass, target);
		}
	}
}

int cm_tiering_compute_as(const struct cm_platform *p, const struct cm_node_states *states,
			  enum cm_tiering_model model, enum cm_cpu_mapping cpus, struct cm_tiering *t)
{
	enum cm_zonelist_kernel kernel = model == CM_TIERING_DISTANCE ? CM_ZONELIST_V5_15 : CM_ZONELIST_V6_8;
	char preferred[256], fallback[256];

	memset(t, 0, sizeof(*t));
	t->model = model;
	t->states = *states;
	t->zonelist_cpus = cpus;
	if (build_fallback_lists(p, cpus, kernel, t))
		return -ENOMEM;
	compute_adistances(p, t);
	if (model == CM_TIERING_DISTANCE)
		establish_distance_targets(p, t);
	else
		establish_tiers_targets(p, t);
	for (int n = 0; n < CM_MAX_NUMNODES; n++) {
		if (!cm_node_isset(t->states.memory, n))
			continue;
		if (!t->preferred[n]) {
			cm_log_add(&t->log, CM_LOG_INFO, "Demotion targets for Node %d: null", n);
			continue;
		}
		cm_nodemask_format(t->preferred[n], preferred, sizeof(preferred));
		cm_nodemask_format(t->lower_tier[n], fallback, sizeof(fallback));
		cm_log_add(&t->log, CM_LOG_INFO, "Demotion targets for Node %d: preferred: %s, fallback: %s", n,
			   preferred, fallback);
	}
	return 0;
}

int cm_tiering_compute(const struct cm_platform *p, const struct cm_node_states *states,
		       enum cm_tiering_model model, struct cm_tiering *t)
{
	return cm_tiering_compute_as(p, states, model, CM_CPUS_UNMAPPED, t);
}

void cm_tiering_free(struct cm_tiering *t)
{
	cm_log_free(&t->log);
}

static const char *const model_names[CM_TIERING_NR] = {
	[CM_TIERING_TIERS] = "tiers",
	[CM_TIERING_DISTANCE] = "distance",
};

const char *cm_tiering_model_name(enum cm_tiering_model m)
{
	return cm_name_of(model_names, CM_TIERING_NR, m);
}

static const char *const model_titles[CM_TIERING_NR] = {
	[CM_TIERING_TIERS] = "memory-tiers",
	[CM_TIERING_DISTANCE] = "distance",
};

const char *cm_tiering_model_title(enum cm_tiering_model m)
{
	return cm_name_of(model_titles, CM_TIERING_NR, m);
}

static const char *const memcg_demotion_names[CM_MEMCG_DEMOTION_NR] = {
	[CM_MEMCG_DEMOTION_NEVER] = "never",
	[CM_MEMCG_DEMOTION_ALLOWED] = "allowed",
	[CM_MEMCG_DEMOTION_MODEL] = "model",
};

const char *cm_memcg_demotion_name(enum cm_memcg_demotion d)
{
	return cm_name_of(memcg_demotion_names, CM_MEMCG_DEMOTION_NR, d);
}

static const char *model_value(unsigned int v) { return cm_tiering_model_name(v); }
static const char *memcg_demotion_value(unsigned int v) { return cm_memcg_demotion_name(v); }

/*
 * tiering.model is read when the tiers are built (at boot, and again when
 * memory is hot-added); the others are read by reclaim and promotion.
 */
const struct cm_config_knob cm_tiering_knobs[] = {
	{ "tiering.model", "memory tiers (6.1+) or the 5.15 distance-based demotion order",
	  CM_KNOB_ENUM, CM_KNOB_RUNTIME, CM_KNOB_FIELD(tiering_model), .value_name = model_value,
	  .nr_values = CM_TIERING_NR },
	{ "tiering.memcg_demotion", "whether memory-cgroup reclaim may demote (model: allowed with tiers, never with distance)",
	  CM_KNOB_ENUM, CM_KNOB_RUNTIME, CM_KNOB_FIELD(memcg_demotion), .value_name = memcg_demotion_value,
	  .nr_values = CM_MEMCG_DEMOTION_NR },
	{ "tiering.promotion", "NUMA-balancing promotion of hot lower-tier pages",
	  CM_KNOB_BOOL, CM_KNOB_RUNTIME, CM_KNOB_FIELD(promotion) },
	{ "demotion_enabled", "reclaim demotes before it discards",
	  CM_KNOB_BOOL, CM_KNOB_RUNTIME, CM_KNOB_FIELD(demotion_enabled) },
	{ "zone_reclaim_mode", "bit value 8 (RECLAIM_MIGRATE) also enables demotion",
	  CM_KNOB_UINT, CM_KNOB_RUNTIME, CM_KNOB_FIELD(zone_reclaim_mode), .max = 15 },
};

const size_t cm_tiering_nr_knobs = sizeof(cm_tiering_knobs) / sizeof(cm_tiering_knobs[0]);
