// SPDX-License-Identifier: MIT
/*
 * The engine's life: creation from the platform's online boot RAM, the
 * configuration, hot-added memory going online, demotion targets, and
 * the demotion target choice's random numbers.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/random.h"
#include "mm_internal.h"

uint64_t mm_rand(struct cm_mm *mm)
{
	return cm_rand(&mm->rng);	/* the same sequence for the same seed */
}

/* The pages of boot memory range @r the page allocator gets: x86 keeps the first 1 MiB (reserved at boot since v5.13). */
static uint64_t boot_range_pages(const struct cm_range *r, uint64_t *start)
{
	uint64_t end = cm_align_down(r->end, CM_PAGE_SIZE);

	*start = cm_align_up(r->start < CM_SZ_1M ? CM_SZ_1M : r->start, CM_PAGE_SIZE);
	return end > *start ? (end - *start) / CM_PAGE_SIZE : 0;
}

uint64_t cm_mm_boot_frames(const struct cm_platform *p)
{
	uint64_t nr = 0, start;

	for (size_t i = 0; i < p->nr_nodes; i++)
		for (size_t j = 0; j < p->nodes[i].nr_memory; j++)
			nr += boot_range_pages(&p->nodes[i].memory[j], &start);
	return nr;
}

int cm_mm_new(const struct cm_platform *p, const struct cm_config *config, struct cm_mm **out,
	      struct cm_error *err)
{
	struct cm_mm *mm = calloc(1, sizeof(*mm));
	int ret = 0;

	*out = NULL;
	if (!mm)
		return cm_error_set(err, -ENOMEM, "out of memory");
	mm->platform = p;
	mm->config = *config;
	for (int n = 0; n < CM_MAX_NUMNODES; n++)
		mm->nodes[n].free_head = CM_NIL;
	for (size_t i = 0; i < p->nr_nodes && !ret; i++) {
		const struct cm_node *node = &p->nodes[i];

		mm->nodes[node->id].exists = true;
		if (node->id + 1 > mm->nr_node_ids)
			mm->nr_node_ids = node->id + 1;
		for (size_t j = 0; j < node->nr_memory && !ret; j++) {
			uint64_t start, nr = boot_range_pages(&node->memory[j], &start);

			if (nr)
				ret = mm_add_segment(mm, node->id, start, nr, err);
		}
	}
	if (!ret && (cm_cgroup_tree_new(&mm->cgroups) || mm_memcg_register(mm)))
		ret = cm_error_set(err, -ENOMEM, "out of memory");
	mm->swap_total = config->swap_bytes / CM_PAGE_SIZE;
	if (!ret && mm->swap_total > CM_MAX_SWAP_SLOTS)
		ret = cm_error_set(err, -E2BIG, "swap_bytes: at most %u pages of swap", CM_MAX_SWAP_SLOTS);
	if (!ret && mm->swap_total) {
		mm->swap_free = mm_table_resize(NULL, mm->swap_total * sizeof(*mm->swap_free));
		if (!mm->swap_free)
			ret = cm_error_set(err, -ENOMEM, "out of memory for %" PRIu64 " swap slots", mm->swap_total);
	}
	if (!ret) {
		mm_compute_watermarks(mm);
		ret = cm_mm_recompute_tiers(mm);
		if (ret)
			cm_error_set(err, ret, "tiering: out of memory");
	}
	if (ret) {
		cm_mm_free(mm);
		return ret;
	}
	*out = mm;
	return 0;
}

void cm_mm_free(struct cm_mm *mm)
{
	if (!mm)
		return;
	for (int n = 0; n < CM_MAX_NUMNODES; n++)
		free(mm->nodes[n].segments);
	cm_tiering_free(&mm->tiering);
	mm_table_free(mm->frames);
	mm_table_free(mm->frame_flags);
	free(mm->chunk_node);
	free(mm->frame_runs);
	cm_cgroup_tree_free(mm->cgroups);
	for (size_t i = 0; i < mm->nr_lruvec_memcgs * CM_MAX_NUMNODES; i++)
		for (int l = 0; l < CM_NR_LRU; l++)
			mm_ring_free(&mm->lruvecs[i].lists[l]);
	free(mm->lruvecs);
	free(mm->memcg_stats);
	free(mm->spaces);
	mm_table_free(mm->vpt);
	mm_table_free(mm->swap_free);
	free(mm);
}

struct cm_config *cm_mm_config(struct cm_mm *mm)
{
	return &mm->config;
}

static int recompute_tiers(struct cm_mm *mm, enum cm_cpu_mapping cpus)
{
	struct cm_node_states states;
	int ret;

	/* Readers never see a mix of old and new targets: demotion is off meanwhile. */
	mm->tiering_valid = false;
	memset(&states, 0, sizeof(states));
	for (int n = 0; n < mm->nr_node_ids; n++) {
		const struct cm_node *pn = cm_platform_node(mm->platform, n);

		if (!mm->nodes[n].exists)
			continue;
		cm_node_set(&states.possible, n);
		if (mm->nodes[n].online && mm->nodes[n].present)
			cm_node_set(&states.memory, n);
		if (pn && cm_node_has_cpus(pn))
			cm_node_set(&states.cpu, n);
	}
	states.via_acpi = mm->via_acpi;
	states.via_kmem = mm->via_kmem;
	cm_tiering_free(&mm->tiering);
	ret = cm_tiering_compute_as(mm->platform, &states, mm->config.tiering_model, cpus, &mm->tiering);
	mm->tiering_valid = ret == 0;
	return ret;
}

/* At boot, and when tiering.model changes: the zonelists stay as last built (at boot: no CPU mapped). */
int cm_mm_recompute_tiers(struct cm_mm *mm)
{
	return recompute_tiers(mm, mm->tiering.zonelist_cpus);
}

/* Memory online or offline at run time: the kernel rebuilds the zonelists with every CPU mapped. */
int mm_rebuild_zonelists_and_tiers(struct cm_mm *mm)
{
	return recompute_tiers(mm, CM_CPUS_MAPPED);
}

const struct cm_tiering *cm_mm_tiering(const struct cm_mm *mm)
{
	return &mm->tiering;
}

bool cm_mm_range_online(const struct cm_mm *mm, uint64_t start, uint64_t size)
{
	for (int n = 0; n < mm->nr_node_ids; n++) {
		for (size_t i = 0; i < mm->nodes[n].nr_segments; i++) {
			const struct segment *s = &mm->nodes[n].segments[i];

			if (start < s->phys + (uint64_t)s->nr * CM_PAGE_SIZE && s->phys < start + size)
				return true;
		}
	}
	return false;
}

/* The first hot-add that says how a node's memory arrives decides its default abstract distance. */
void cm_mm_set_hotadd_via(struct cm_mm *mm, int node, enum cm_hotadd_via via)
{
	cm_nodemask_t bit = (cm_nodemask_t)1 << node;

	if (node < 0 || node >= CM_MAX_NUMNODES || ((mm->via_acpi | mm->via_kmem) & bit))
		return;
	if (via == CM_HOTADD_VIA_ACPI)
		mm->via_acpi |= bit;
	else if (via == CM_HOTADD_VIA_KMEM)
		mm->via_kmem |= bit;
}

int cm_mm_online(struct cm_mm *mm, int node, uint64_t start, uint64_t nr_pages, struct cm_error *err)
{
	int ret;

	if (node < 0 || node >= CM_MAX_NUMNODES)
		return cm_error_set(err, -EINVAL, "node %d out of range", node);
	ret = mm_add_segment(mm, node, start, nr_pages, err);
	if (ret)
		return ret;
	mm_compute_watermarks(mm);
	ret = mm_rebuild_zonelists_and_tiers(mm);
	return ret ? cm_error_set(err, ret, "tiering: out of memory") : 0;
}
