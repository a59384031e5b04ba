// SPDX-License-Identifier: MIT
/*
 * A TD guest (SPEC 9): at start it takes a private KeyID and one unit of
 * the misc cgroup's tdx resource, registers its memory (a device-dax or
 * hugetlbfs backing is checked then, as KVM_SET_USER_MEMORY_REGION would),
 * and is built with TDH.MEM.PAGE.ADD; then every millisecond it accepts
 * private pages (TDH.MEM.PAGE.AUG) at its access rate until all are in,
 * touches its shared pages, and converts pages at the times it was given.
 * Private pages are unevictable; shared pages are the VMM's ordinary memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "scenario_internal.h"
#include "td_internal.h"

#define TD_STRINGIFY_VALUE(x) #x
#define TD_STRINGIFY(x) TD_STRINGIFY_VALUE(x)

static const char *const td_fields[] = {
	"name", "kind", "cgroup", "node", "policy", "start_ms", "run_ms", "private", "shared", "gmem_policy",
	"backing", "devdax_node", "access", "conversions", NULL
};

static const char *const td_backing_names[CM_NR_TD_BACKINGS + 1] = {
	[CM_TD_BACKING_ANON] = "anon",
	[CM_TD_BACKING_HUGETLB] = "hugetlb",
	[CM_TD_BACKING_DEVDAX] = "devdax",
};

const char *cm_td_backing_name(enum cm_td_backing backing)
{
	return cm_name_of(td_backing_names, CM_NR_TD_BACKINGS, backing);
}

static const char *const conversion_fields[] = { "at_ms", "to", "size", NULL };
static const char *const conversion_targets[] = { "private", "shared", NULL };

static int read_conversion(struct scenario_reader *r, struct json_object *object, const char *path,
			   uint64_t previous_ms, struct cm_td_conversion *c)
{
	char child[CM_JSON_PATH_MAX];
	int to;

	if (cm_json_object(object, r->source, path, r->err) ||
	    cm_json_check_fields(object, conversion_fields, r->source, path, r->err) ||
	    cm_json_field_uint(object, "at_ms", CM_JSON_REQUIRED, r->source, path, SCENARIO_DURATION_MAX_MS,
			       &c->at_ms, r->err) < 0 ||
	    scenario_read_choice(r, object, "to", CM_JSON_REQUIRED, path, conversion_targets, &to) < 0 ||
	    scenario_read_memory_size(r, object, "size", CM_JSON_REQUIRED, path, &c->bytes))
		return -EINVAL;
	cm_json_path_key(child, sizeof(child), path, "at_ms");
	if (scenario_check_within_run(r, child, c->at_ms))
		return -EINVAL;
	if (c->at_ms < previous_ms)
		return cm_json_error(r->err, r->source, child, "conversions must be in time order: %" PRIu64 " ms comes "
				     "after %" PRIu64 " ms", c->at_ms, previous_ms);
	c->to_shared = to == 1;
	return 0;
}

static int read_conversions(struct scenario_reader *r, struct json_object *object, const char *path,
			    struct cm_scenario_actor *actor)
{
	char child[CM_JSON_PATH_MAX], item[CM_JSON_PATH_MAX];
	struct json_object *array;
	size_t nr;
	int ret = cm_json_member(object, "conversions", CM_JSON_OPTIONAL, r->source, path, &array, r->err);

	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, "conversions");
	if (cm_json_array(array, r->source, child, &nr, r->err))
		return -EINVAL;
	if (nr > CM_TD_MAX_CONVERSIONS)
		return cm_json_error(r->err, r->source, child, "at most %d conversions, found %zu",
				     CM_TD_MAX_CONVERSIONS, nr);
	for (size_t i = 0; i < nr; i++) {
		cm_json_path_index(item, sizeof(item), child, i);
		if (read_conversion(r, json_object_array_get_idx(array, i), item,
				    i ? actor->conversions[i - 1].at_ms : 0, &actor->conversions[i]))
			return -EINVAL;
	}
	actor->nr_conversions = nr;
	return 0;
}

static int read_backing(struct scenario_reader *r, struct json_object *object, const char *path,
			struct cm_scenario_actor *actor)
{
	char child[CM_JSON_PATH_MAX];
	int backing = CM_TD_BACKING_ANON, ret;
	int64_t node = -1;

	if (scenario_read_choice(r, object, "backing", CM_JSON_OPTIONAL, path, td_backing_names, &backing) < 0)
		return -EINVAL;
	actor->backing = (enum cm_td_backing)backing;
	actor->devdax_node = -1;
	cm_json_path_key(child, sizeof(child), path, "devdax_node");
	ret = cm_json_field_int(object, "devdax_node", CM_JSON_OPTIONAL, r->source, path, 0, CM_MAX_NUMNODES - 1,
				&node, r->err);
	if (ret < 0)
		return -EINVAL;
	if (ret > 0 && actor->backing != CM_TD_BACKING_DEVDAX)
		return cm_json_error(r->err, r->source, child, "only for \"backing\": \"devdax\"");
	if (actor->backing == CM_TD_BACKING_DEVDAX && ret == 0)
		return cm_json_error(r->err, r->source, path, "\"backing\": \"devdax\" needs \"devdax_node\", the "
				     "node of the device-dax region");
	if (ret > 0 && !scenario_node_exists(r->scenario->platform, node))
		return scenario_node_does_not_exist(r, child, node);
	actor->devdax_node = (int)node;
	return 0;
}

static int td_read(struct scenario_reader *r, struct json_object *object, const char *path,
		   struct cm_scenario_actor *actor)
{
	int ret;

	if (scenario_read_policy(r, object, path, &actor->policy) < 0 ||
	    scenario_read_memory_size(r, object, "private", CM_JSON_REQUIRED, path, &actor->private_bytes) ||
	    scenario_read_memory_size(r, object, "shared", CM_JSON_OPTIONAL, path, &actor->shared_bytes) ||
	    scenario_read_access(r, object, path, &actor->access) < 0 || read_backing(r, object, path, actor) ||
	    read_conversions(r, object, path, actor))
		return -EINVAL;
	ret = json_object_object_get_ex(object, "gmem_policy", NULL);
	if (ret && scenario_read_policy_member(r, object, "gmem_policy", path, &actor->gmem_policy) < 0)
		return -EINVAL;
	actor->gmem_policy_given = ret;
	if (!actor->private_bytes)
		return cm_json_error(r->err, r->source, path, "a TD guest needs private memory: give \"private\" a "
				     "size above 0");
	return 0;
}

/*
 * The PAMT blocks init allocated are not the page engine's to give out: they
 * leave it (their pages, if a process took them before, move elsewhere),
 * so that no private page lands on one.
 */
static void take_out_pamt_blocks(struct cm_sim *sim)
{
	for (size_t i = 0; i < sim->plan->nr_tdmrs; i++) {
		const struct cm_tdmr *t = &sim->plan->tdmrs[i];
		uint64_t size = cm_tdmr_pamt_block_size(t);
		struct cm_error err = { 0 };

		if (!size || !cm_mm_range_online(sim->mm, t->pamt_base[CM_PAMT_4K], size))
			continue;
		if (cm_mm_offline(sim->mm, t->pamt_node, t->pamt_base[CM_PAMT_4K], size / CM_PAGE_SIZE, &err))
			sim_trace(sim, "TDX: the PAMT block of TDMR %zu stays in the page engine: %s", i, err.msg);
	}
}

/* Made when the first TD starts: the module's run-time side and the Dynamic PAMT's pages. */
static int td_module_get(struct cm_sim *sim, struct cm_error *err)
{
	struct cm_mempolicy local = { CM_MPOL_DEFAULT, 0 };
	struct cm_cgroup_tree *tree;
	int ret;

	if (sim->td_module)
		return 0;
	ret = cm_td_module_new(sim->scenario->platform, sim->plan, &sim->td_module, err);
	if (ret)
		return ret;
	take_out_pamt_blocks(sim);
	ret = cm_mm_space_new_flags(sim->mm, cm_td_dpamt_enabled(sim->td_module) ?
				    cm_td_dpamt_nr_ranges(sim->td_module) * cm_td_dpamt_pages_per_range(sim->td_module) : 0,
				    0, &local, 0, CM_SPACE_UNEVICTABLE | CM_SPACE_KERNEL);
	if (ret < 0) {
		cm_td_module_free(sim->td_module);
		sim->td_module = NULL;
		return cm_error_set(err, ret, "the Dynamic PAMT's pages: cannot map them");
	}
	sim->dpamt_space = ret;
	/* misc.capacity tdx is the guests' KeyIDs (the kernel's misc_cg_set_capacity() in __tdx_bringup()). */
	tree = cm_mm_cgroups(sim->mm);
	cm_misc_set_capacity(tree, CM_MISC_TDX, cm_td_nr_guest_keyids(sim->td_module));
	for (size_t i = 0; i < sim->scenario->nr_cgroups; i++) {
		const struct cm_scenario_cgroup *cg = &sim->scenario->cgroups[i];
		int id = cm_mm_memcg_find(sim->mm, cg->path);

		if (id > 0)
			cm_cgroup_get(tree, id)->misc.res[CM_MISC_TDX].max = cg->misc_tdx_max;
	}
	return 0;
}

/* KVM_SET_USER_MEMORY_REGION: what the host can refuse before the guest runs. Returns a reason or NULL. */
static const char *registration_refused(struct cm_sim *sim, const struct cm_sim_actor *a, char *buf, size_t len)
{
	const struct cm_scenario_actor *d = a->def;

	if (d->backing == CM_TD_BACKING_HUGETLB) {
		for (size_t i = 0; i < d->nr_conversions; i++) {
			if (!d->conversions[i].to_shared)
				continue;
			snprintf(buf, len, "%s: KVM_SET_USER_MEMORY_REGION refused: hugetlbfs-backed private memory "
				 "cannot be split to 4 KiB and the guest shares a page at %" PRIu64 " ms; use \"backing\": "
				 "\"anon\"", d->name, d->conversions[i].at_ms);
			return buf;
		}
	}
	if (d->backing == CM_TD_BACKING_DEVDAX && !cm_tdx_plan_node_memory(sim->plan, d->devdax_node)) {
		char nodes[128];
		bool node_capable;
		cm_nodemask_t capable = td_capable_nodes(sim, d->devdax_node, &node_capable);

		cm_nodemask_format(capable, nodes, sizeof(nodes));
		snprintf(buf, len, "%s: KVM_SET_USER_MEMORY_REGION refused: the device-dax region on node %d is not "
			 "TDX memory (crypto_capable=%d); give the guest a region on nodes %s", d->name, d->devdax_node,
			 node_capable, capable ? nodes : "(none: this host has no capable node)");
		return buf;
	}
	return NULL;
}

/* A KeyID and the misc cgroup's tdx charge, in the order KVM's __tdx_td_init() takes them. */
static const char *take_keyid(struct cm_sim *sim, struct cm_sim_actor *a, int memcg, char *buf, size_t len)
{
	struct cm_cgroup_tree *tree = cm_mm_cgroups(sim->mm);
	int level;

	a->td->keyid = cm_td_keyid_alloc(sim->td_module);
	if (a->td->keyid < 0) {
		sim->td_keyid_refusals++;
		snprintf(buf, len, "%s: cannot start: no free private KeyID (all %u guest KeyIDs in use; KVM_TDX_INIT_VM "
			 "fails with -ENOSPC)", a->def->name, cm_td_nr_guest_keyids(sim->td_module));
		return buf;
	}
	if (cm_misc_try_charge(tree, CM_MISC_TDX, memcg, 1, &level)) {
		const struct cm_cgroup *c = cm_cgroup_get(tree, level);

		sim->td_misc_refusals++;
		snprintf(buf, len, "%s: cannot start: misc cgroup %s is at its tdx limit (misc.max tdx %" PRIu64 ", "
			 "misc.events tdx.max %" PRIu64 "; KVM_TDX_INIT_VM fails with -EBUSY)", a->def->name, c->path,
			 c->misc.res[CM_MISC_TDX].max, c->misc.res[CM_MISC_TDX].events_max);
		return buf;
	}
	a->td->misc_charged = true;
	return NULL;
}

static int td_state_new(const struct cm_scenario_actor *d, struct cm_sim_td **out)
{
	struct cm_sim_td *td = calloc(1, sizeof(*td));
	uint64_t nr_private = sim_pages_of(d->private_bytes);

	*out = td;
	if (!td)
		return -ENOMEM;
	td->keyid = -1;
	td->private_space = td->shared_space = -1;
	td->nr_private_gfns = nr_private;
	td->nr_gfns = nr_private + sim_pages_of(d->shared_bytes);
	td->gfn_shared = calloc(td->nr_gfns / 64 + 1, sizeof(uint64_t));
	td->chunk_split = calloc(td->nr_gfns / CM_TD_PAGES_PER_2M / 64 + 1, sizeof(uint64_t));
	if (!td->gfn_shared || !td->chunk_split)
		return -ENOMEM;
	for (uint64_t gfn = nr_private; gfn < td->nr_gfns; gfn++)
		td_gfn_set_shared(td, gfn, true);
	td->next_to_shared = nr_private;
	td->next_to_private = nr_private;
	return 0;
}

static int make_spaces(struct cm_sim *sim, struct cm_sim_actor *a, int memcg, int node)
{
	const struct cm_scenario_actor *d = a->def;
	struct cm_mempolicy gmem = { CM_MPOL_DEFAULT, 0 };

	if (d->backing == CM_TD_BACKING_DEVDAX) {
		gmem.mode = CM_MPOL_BIND;
		cm_node_set(&gmem.nodes, d->devdax_node);
	} else if (d->gmem_policy_given) {
		gmem = d->gmem_policy;
	}
	/*
	 * The OOM killer picks the VMM by its own memory (the shared space);
	 * the guest then ends and gives its private pages back one by one.
	 */
	a->td->private_space = cm_mm_space_new_flags(sim->mm, a->td->nr_gfns, memcg, &gmem, node,
						     CM_SPACE_UNEVICTABLE | CM_SPACE_KERNEL);
	if (a->td->private_space < 0)
		return a->td->private_space;
	a->td->shared_space = cm_mm_space_new(sim->mm, a->td->nr_gfns, 0, memcg, &d->policy, node);
	a->space = a->td->shared_space;
	return a->td->shared_space < 0 ? a->td->shared_space : 0;
}

static int td_start(struct cm_sim *sim, struct cm_sim_actor *a, int memcg, int node, struct cm_error *err)
{
	const struct cm_scenario_actor *d = a->def;
	const char *refused;
	char buf[sizeof(a->reason)];
	uint64_t nr_build;
	int ret;

	a->outcome = CM_OUTCOME_RUNNING;
	a->started_ms = sim->now_ms;
	if (td_state_new(d, &a->td))
		return cm_error_set(err, -ENOMEM, "out of memory");
	if (td_module_get(sim, err)) {
		sim_actor_end(sim, a, CM_OUTCOME_FAILED, err->msg);
		err->msg[0] = '\0';
		return 0;
	}
	refused = take_keyid(sim, a, memcg, buf, sizeof(buf));
	if (!refused)
		refused = registration_refused(sim, a, buf, sizeof(buf));
	if (refused) {
		/* A TD that never ran held no KeyID: give it back now, so that reports show none. */
		cm_td_keyid_free(sim->td_module, a->td->keyid);
		a->td->keyid = -1;
		sim_actor_end(sim, a, CM_OUTCOME_FAILED, refused);
		return 0;
	}
	ret = make_spaces(sim, a, memcg, node);
	if (ret)
		return cm_error_set(err, ret, "%s: actor %s: cannot create its address spaces", sim->scenario->source,
				    d->name);
	sim_trace(sim, "%s: TD started on node %d in %s with KeyID %d (%" PRIu64 " private + %" PRIu64 " shared pages, "
		  "%s backing)", d->name, node, d->cgroup, a->td->keyid, a->td->nr_private_gfns,
		  a->td->nr_gfns - a->td->nr_private_gfns, cm_td_backing_name(d->backing));
	nr_build = a->td->nr_private_gfns < TD_BUILD_PAGES ? a->td->nr_private_gfns : TD_BUILD_PAGES;
	for (a->td->next_accept = 0; a->td->next_accept < nr_build; a->td->next_accept++)
		if (td_add_private_page(sim, a, a->td->next_accept, CM_TDH_MEM_PAGE_ADD))
			return 0;
	return 0;
}

/* With Dynamic PAMT, the PAMT memory now: init's blocks and the 4K pages of the ranges in use. */
static void trace_pamt(struct cm_sim *sim, const struct cm_sim_actor *a, const char *what)
{
	uint64_t dynamic_kb = sim->dpamt_pages * (CM_PAGE_SIZE / 1024), init_kb = sim->plan->pamt_bytes / 1024;

	if (sim->td_module && cm_td_dpamt_enabled(sim->td_module))
		sim_trace(sim, "%s: private memory %s; PAMT now %" PRIu64 " KB (init %" PRIu64 " KB + Dynamic PAMT %"
			  PRIu64 " KB)", a->def->name, what, init_kb + dynamic_kb, init_kb, dynamic_kb);
}

/*
 * The guest's shared pages are drawn and touched TD_TOUCH_CHUNK at a time
 * through the engine's batched path: the same touches in the same order
 * as one cm_mm_touch() each. A failed touch ends the millisecond's
 * touches; the random state and the cursor go back to where they were
 * right after that page was drawn, so the next millisecond draws what it
 * would have one at a time.
 */
#define TD_TOUCH_CHUNK 256

static void td_touch_shared(struct cm_sim *sim, struct cm_sim_actor *a, uint64_t nr_shared)
{
	struct cm_sim_td *td = a->td;
	uint64_t rate = a->def->access.pages_per_ms;
	uint64_t pages[TD_TOUCH_CHUNK], rng_after[TD_TOUCH_CHUNK], cursor_after[TD_TOUCH_CHUNK];
	bool writes[TD_TOUCH_CHUNK];
	size_t done;

	memset(writes, true, sizeof(writes));
	for (uint64_t i = 0; i < rate;) {
		size_t nr = 0;

		for (; i < rate && nr < TD_TOUCH_CHUNK; i++) {
			uint64_t gfn = td->nr_private_gfns + sim_next_page(a, nr_shared);

			if (!td_gfn_shared(td, gfn))
				continue;
			pages[nr] = gfn;
			rng_after[nr] = a->rng;
			cursor_after[nr++] = a->cursor;
		}
		if (nr && sim_touch_pages(sim, a, td->shared_space, pages, writes, nr, &done)) {
			a->rng = rng_after[done];
			a->cursor = cursor_after[done];
			return;
		}
	}
}

static void td_step(struct cm_sim *sim, struct cm_sim_actor *a)
{
	const struct cm_scenario_actor *d = a->def;
	struct cm_sim_td *td = a->td;
	uint64_t nr_shared = td->nr_gfns - td->nr_private_gfns;

	if (td_apply_conversions(sim, a))
		return;
	for (uint64_t i = 0; i < d->access.pages_per_ms && td->next_accept < td->nr_private_gfns; td->next_accept++) {
		if (td_gfn_shared(td, td->next_accept))
			continue;
		if (td_add_private_page(sim, a, td->next_accept, CM_TDH_MEM_PAGE_AUG))
			return;
		i++;
		if (td->next_accept + 1 == td->nr_private_gfns)
			trace_pamt(sim, a, "all accepted");
	}
	if (nr_shared)
		td_touch_shared(sim, a, nr_shared);
	sim_reap_actors(sim);
}

/* The OOM killer took the VMM: its guest_memfd goes with it. */
static void td_reap(struct cm_sim *sim, struct cm_sim_actor *a)
{
	if (!a->td || a->td->shared_space < 0)
		return;
	if (cm_mm_space_killed(sim->mm, a->td->shared_space))
		sim_actor_end(sim, a, CM_OUTCOME_KILLED, "killed by the OOM killer: the VMM process and its guest_memfd");
}

static void td_measure(struct cm_sim *sim, struct cm_sim_actor *a)
{
	struct cm_sim_td *td = a->td;

	if (!td || td->private_space < 0 || td->shared_space < 0)
		return;
	a->resident_pages = cm_mm_space_resident(sim->mm, td->private_space) +
			    cm_mm_space_resident(sim->mm, td->shared_space);
	a->swapped_pages = cm_mm_space_swapped(sim->mm, td->shared_space);
	for (int n = 0; n < cm_mm_nr_nodes(sim->mm) && n < CM_MAX_NUMNODES; n++) {
		td->private_pages_on[n] = cm_mm_space_resident_on(sim->mm, td->private_space, n);
		td->shared_pages_on[n] = cm_mm_space_resident_on(sim->mm, td->shared_space, n);
	}
}

/* Everything back: private pages one by one (their Dynamic PAMT references), the KeyID, the misc charge. */
static void td_release(struct cm_sim *sim, struct cm_sim_actor *a)
{
	struct cm_sim_td *td = a->td;

	if (!td)
		return;
	td_measure(sim, a);
	if (td->private_space >= 0) {
		for (uint64_t gfn = 0; gfn < td->nr_gfns; gfn++)
			td_remove_private_page(sim, a, gfn);
		cm_mm_space_release(sim->mm, td->private_space);
	}
	if (td->shared_space >= 0)
		cm_mm_space_release(sim->mm, td->shared_space);
	if (td->misc_charged)
		cm_misc_uncharge(cm_mm_cgroups(sim->mm), CM_MISC_TDX,
				 cm_mm_memcg_find(sim->mm, a->def->cgroup), 1);
	td->misc_charged = false;
	if (td->keyid >= 0)
		cm_td_keyid_free(sim->td_module, td->keyid);
	trace_pamt(sim, a, "gone");
}

static uint64_t td_mapped_pages(const struct cm_scenario_actor *d, const char **member)
{
	*member = "private";
	return sim_mul_saturating(2, sim_pages_of(d->private_bytes) + sim_pages_of(d->shared_bytes));
}

/* Its accepts (every private page, and every converted one) and its touches of shared pages. */
static uint64_t td_page_events(const struct cm_scenario *sc, const struct cm_scenario_actor *d, uint64_t active_ms)
{
	uint64_t converted = 0;

	(void)sc;
	for (size_t i = 0; i < d->nr_conversions; i++)
		converted = sim_add_saturating(converted, sim_pages_of(d->conversions[i].bytes));
	return sim_add_saturating(sim_add_saturating(sim_pages_of(d->private_bytes), converted),
				  sim_mul_saturating(d->access.pages_per_ms, active_ms));
}

const struct cm_actor_operations actor_td_operations = {
	.fields = td_fields,
	.read = td_read,
	.start = td_start,
	.step = td_step,
	.reap = td_reap,
	.measure = td_measure,
	.release = td_release,
	.mapped_pages = td_mapped_pages,
	.page_events = td_page_events,
	/* td_start() adds up to TD_BUILD_PAGES; td_step() accepts and touches at the rate. */
	.without_access = "at most its first " TD_STRINGIFY(TD_BUILD_PAGES) " private pages are added at build "
			  "(TDH.MEM.PAGE.ADD): the guest accepts no others (TDH.MEM.PAGE.AUG) and never touches its "
			  "shared pages, so they are never allocated",
};

void sim_td_free(struct cm_sim *sim)
{
	for (size_t i = 0; sim->actors && i < sim->nr_actors; i++) {
		struct cm_sim_td *td = sim->actors[i].td;

		if (!td)
			continue;
		free(td->gfn_shared);
		free(td->chunk_split);
		free(td);
	}
	cm_td_module_free(sim->td_module);
	sim->td_module = NULL;
}
