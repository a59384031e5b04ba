// SPDX-License-Identifier: MIT
/*
 * A run's time series for pictures: free pages and watermarks per node,
 * the cumulative counters behind the reclaim, demotion, swap and
 * promotion rates, and each cgroup's memory and EPC against its limit,
 * sampled at a fixed interval of simulated time so that a long run keeps
 * at most CM_SIM_SERIES_MAX_SAMPLES samples.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

static const char *const total_names[CM_SERIES_NR_TOTALS] = {
	[CM_SERIES_RECLAIM] = "reclaim",
	[CM_SERIES_DEMOTION] = "demotion",
	[CM_SERIES_SWAP] = "swap-out",
	[CM_SERIES_PROMOTION] = "promotion",
};

const char *cm_sim_series_total_name(enum cm_sim_series_total t)
{
	return (unsigned int)t < CM_SERIES_NR_TOTALS ? total_names[t] : "unknown";
}

/* Node ids the run may use: the platform's and its hot-add windows'. */
static int series_nr_nodes(const struct cm_platform *p)
{
	int nr = 0;

	for (size_t i = 0; i < p->nr_nodes; i++)
		if (p->nodes[i].id + 1 > nr)
			nr = p->nodes[i].id + 1;
	for (size_t i = 0; i < p->nr_hotplug; i++)
		if (p->hotplug[i].node + 1 > nr && p->hotplug[i].node < CM_MAX_NUMNODES)
			nr = p->hotplug[i].node + 1;
	return nr;
}

int sim_series_init(struct cm_sim *sim)
{
	struct cm_sim_series *s = &sim->series;
	uint64_t duration = sim->scenario->duration_ms;

	s->interval_ms = duration / CM_SIM_SERIES_MAX_SAMPLES + (duration % CM_SIM_SERIES_MAX_SAMPLES != 0);
	if (!s->interval_ms)
		s->interval_ms = 1;
	/* 0 ms, every interval, and the end. */
	s->max_samples = duration / s->interval_ms + 2;
	s->nr_nodes = series_nr_nodes(sim->scenario->platform);
	s->nr_cgroups = cm_mm_nr_memcgs(sim->mm);
	s->t_ms = calloc(s->max_samples, sizeof(*s->t_ms));
	s->nodes = calloc(s->max_samples * (size_t)s->nr_nodes * CM_SERIES_NR_NODE + 1, sizeof(*s->nodes));
	s->totals = calloc(s->max_samples * CM_SERIES_NR_TOTALS, sizeof(*s->totals));
	s->cgroups = calloc(s->max_samples * s->nr_cgroups * CM_SERIES_NR_CGROUP + 1, sizeof(*s->cgroups));
	s->td = calloc(s->max_samples * CM_SERIES_NR_TD, sizeof(*s->td));
	if (!s->t_ms || !s->nodes || !s->totals || !s->cgroups || !s->td)
		return -ENOMEM;
	for (size_t i = 0; i < sim->scenario->nr_actors; i++)
		s->has_td |= sim->scenario->actors[i].kind == CM_ACTOR_TD;
	return 0;
}

static void sample_nodes(struct cm_sim *sim, uint64_t *row)
{
	int nr_mm_nodes = cm_mm_nr_nodes(sim->mm);

	for (int n = 0; n < sim->series.nr_nodes && n < nr_mm_nodes; n++) {
		struct cm_mm_node_info info;
		uint64_t *v = row + (size_t)n * CM_SERIES_NR_NODE;

		cm_mm_node_info(sim->mm, n, &info);
		v[CM_SERIES_FREE] = info.free_pages;
		v[CM_SERIES_MIN] = info.wmark.min;
		v[CM_SERIES_LOW] = info.wmark.low;
		v[CM_SERIES_HIGH] = info.wmark.high;
	}
}

static void sample_totals(struct cm_sim *sim, uint64_t *v)
{
	const struct cm_mm *mm = sim->mm;

	v[CM_SERIES_RECLAIM] = cm_mm_counter_total(mm, CM_PGSTEAL_KSWAPD) + cm_mm_counter_total(mm, CM_PGSTEAL_DIRECT);
	v[CM_SERIES_DEMOTION] = cm_mm_counter_total(mm, CM_PGDEMOTE_KSWAPD) +
				cm_mm_counter_total(mm, CM_PGDEMOTE_DIRECT);
	v[CM_SERIES_SWAP] = cm_mm_counter_total(mm, CM_PSWPOUT);
	v[CM_SERIES_PROMOTION] = cm_mm_counter_total(mm, CM_PGPROMOTE_SUCCESS);
}

static void sample_cgroups(struct cm_sim *sim, uint64_t *row)
{
	for (size_t i = 0; i < sim->series.nr_cgroups && i < cm_mm_nr_memcgs(sim->mm); i++) {
		uint64_t *v = row + i * CM_SERIES_NR_CGROUP;
		struct cm_memcg_info info;

		cm_mm_memcg_info(sim->mm, (int)i, &info);
		v[CM_SERIES_MEMORY] = info.usage_pages;
		v[CM_SERIES_MEMORY_MAX] = info.max_pages;
		v[CM_SERIES_EPC] = 0;
		v[CM_SERIES_EPC_MAX] = UINT64_MAX;
		if (sim->epc) {
			struct cm_epc_cgroup_info mi;

			cm_epc_cgroup_info(sim->epc, (int)i, &mi);
			v[CM_SERIES_EPC] = mi.current_pages;
			v[CM_SERIES_EPC_MAX] = mi.max_pages;
		}
	}
}

static void sample_td(struct cm_sim *sim, uint64_t *v)
{
	if (!sim->series.has_td)
		return;
	for (size_t i = 0; i < sim->nr_actors; i++) {
		const struct cm_sim_td *td = sim->actors[i].td;

		if (!td)
			continue;
		if (td->private_space >= 0)
			v[CM_SERIES_TD_PRIVATE] += cm_mm_space_resident(sim->mm, td->private_space);
		v[CM_SERIES_TD_REFUSALS] += td->refusals;
	}
	v[CM_SERIES_TD_DPAMT] = sim->dpamt_pages;
}

/* Take a sample at @t_ms when one is due (every interval, and @at_end). */
void sim_series_sample(struct cm_sim *sim, uint64_t t_ms, enum sim_series_when when)
{
	struct cm_sim_series *s = &sim->series;
	size_t i = s->nr_samples;

	if (!s->t_ms || i >= s->max_samples)
		return;
	if (when != SIM_SERIES_AT_END && t_ms % s->interval_ms)
		return;
	if (i && s->t_ms[i - 1] == t_ms)
		return;
	s->t_ms[i] = t_ms;
	sample_nodes(sim, s->nodes + i * (size_t)s->nr_nodes * CM_SERIES_NR_NODE);
	sample_totals(sim, s->totals + i * CM_SERIES_NR_TOTALS);
	sample_cgroups(sim, s->cgroups + i * s->nr_cgroups * CM_SERIES_NR_CGROUP);
	sample_td(sim, s->td + i * CM_SERIES_NR_TD);
	s->nr_samples++;
}

void sim_series_free(struct cm_sim_series *s)
{
	free(s->t_ms);
	free(s->nodes);
	free(s->totals);
	free(s->cgroups);
	free(s->td);
	memset(s, 0, sizeof(*s));
}
