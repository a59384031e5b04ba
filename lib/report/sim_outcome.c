// SPDX-License-Identifier: MIT
/*
 * What a simulation run did, in plain sentences (confmem sim's "what
 * happened:", the JSON's "summary"). Every sentence is computed from what
 * the engine recorded: the hotplug verdicts of refused hot-adds
 * (sim->hotadd_refusals), the demotion counters and the reasons reclaim
 * could not demote (cm_mm_demotion_stats), swap counters, the limit each
 * OOM kill enforced (cm_mm_space_oom_kill) and the enclaves sgx.oom took
 * (cm_epc_enclave_oom_cgroup). Nothing here guesses a cause.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/names.h"
#include "confmem/report.h"
#include "confmem/sim.h"

static const char *const summary_kind_names[CM_SUMMARY_NR_KINDS] = {
	[CM_SUMMARY_HOTADD_REFUSED] = "hotadd_refused",
	[CM_SUMMARY_DEMOTION] = "demotion",
	[CM_SUMMARY_NO_DEMOTION] = "no_demotion",
	[CM_SUMMARY_SWAP] = "swap",
	[CM_SUMMARY_NO_SWAP] = "no_swap",
	[CM_SUMMARY_OOM_KILL] = "oom_kill",
	[CM_SUMMARY_SGX_OOM_KILL] = "sgx_oom_kill",
};

const char *cm_sim_summary_kind_name(enum cm_sim_summary_kind kind)
{
	return cm_name_of(summary_kind_names, CM_SUMMARY_NR_KINDS, kind);
}

/* Why reclaim could not demote, as the end of "Nothing was demoted: ..." (node lists filled in by the caller). */
static const char *const no_demotion_text[CM_DEMOTION_NR_VERDICTS] = {
	[CM_DEMOTION_TIERS_INVALID] = "the demotion targets could not be computed",
	[CM_DEMOTION_NO_TARGET] = "no demotion target (no lower memory tier)",
	[CM_DEMOTION_DISABLED] = "demotion is off (demotion_enabled=0, and zone_reclaim_mode without RECLAIM_MIGRATE)",
	[CM_DEMOTION_MEMCG_NEVER] = "memory-cgroup reclaim may not demote (tiering.memcg_demotion=never)",
	[CM_DEMOTION_MEMCG_DISTANCE] = "memory-cgroup reclaim may not demote with tiering.model=distance "
				       "(tiering.memcg_demotion=model allows it only with tiering.model=tiers)",
};

/* A new item of @kind at the end of @s, or NULL (out of memory). */
static struct cm_sim_summary_item *add_item(struct cm_sim_summary *s, enum cm_sim_summary_kind kind)
{
	struct cm_sim_summary_item *items = realloc(s->items, (s->nr_items + 1) * sizeof(*items));

	if (!items)
		return NULL;
	s->items = items;
	items += s->nr_items++;
	memset(items, 0, sizeof(*items));
	items->kind = kind;
	return items;
}

static void say(struct cm_sim_summary_item *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct cm_sim_summary_item *it, const char *fmt, ...)
{
	size_t used = strlen(it->text);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(it->text + used, sizeof(it->text) - used, fmt, ap);
	va_end(ap);
}

struct size_text {
	char s[32];
};

static struct size_text human(uint64_t bytes)
{
	struct size_text t;

	cm_format_human_size(bytes, t.s, sizeof(t.s));
	return t;
}

static uint64_t total(const struct cm_sim *sim, enum cm_counter c)
{
	return cm_mm_counter_total(sim->mm, c);
}

static int add_hotadd_refusals(const struct cm_sim *sim, struct cm_sim_summary *s)
{
	for (size_t i = 0; i < sim->nr_hotadd_refusals; i++) {
		const struct cm_sim_hotadd_refusal *r = &sim->hotadd_refusals[i];
		struct cm_sim_summary_item *it = add_item(s, CM_SUMMARY_HOTADD_REFUSED);

		if (!it)
			return -ENOMEM;
		it->has = CM_SUMMARY_HAS_BYTES | CM_SUMMARY_HAS_AT_MS | CM_SUMMARY_HAS_ERRNO;
		it->bytes = r->size;
		it->at_ms = r->at_ms;
		it->errno_value = r->status;
		if (r->nr_blocks) {
			it->has |= CM_SUMMARY_HAS_COUNT;
			it->count = r->nr_blocks_refused;
		}
		say(it, "The hot-add of %s at [0x%" PRIx64 ", 0x%" PRIx64 ") at %" PRIu64 " ms was refused: %s.",
		    human(r->size).s, r->start, r->start + r->size, r->at_ms, r->reason);
	}
	return 0;
}

static int add_demotion(const struct cm_sim *sim, struct cm_sim_summary *s)
{
	uint64_t kswapd = total(sim, CM_PGDEMOTE_KSWAPD), direct = total(sim, CM_PGDEMOTE_DIRECT);
	uint64_t failed = total(sim, CM_PGDEMOTE_FAIL);
	struct cm_sim_summary_item *it;

	if (!kswapd && !direct)
		return 0;
	it = add_item(s, CM_SUMMARY_DEMOTION);
	if (!it)
		return -ENOMEM;
	it->has = CM_SUMMARY_HAS_BYTES | CM_SUMMARY_HAS_COUNT;
	it->bytes = (kswapd + direct) * CM_PAGE_SIZE;
	it->count = kswapd + direct;
	say(it, "Reclaim demoted %s (%" PRIu64 " pages) to lower-tier nodes", human(it->bytes).s, it->count);
	if (kswapd && direct)
		say(it, ": %s by kswapd, %s by direct and memory-cgroup reclaim.", human(kswapd * CM_PAGE_SIZE).s,
		    human(direct * CM_PAGE_SIZE).s);
	else
		say(it, ", all by %s.", kswapd ? "kswapd" : "direct and memory-cgroup reclaim");
	if (failed)
		say(it, " %s found no free page on the target and was reclaimed otherwise (pgdemote_fail).",
		    human(failed * CM_PAGE_SIZE).s);
	return 0;
}

/* One item per reason reclaim could not demote, in the verdicts' order. */
static int add_no_demotion(const struct cm_sim *sim, struct cm_sim_summary *s)
{
	bool demoted = total(sim, CM_PGDEMOTE_KSWAPD) || total(sim, CM_PGDEMOTE_DIRECT);
	struct cm_mm_demotion_stats st;

	cm_mm_demotion_stats(sim->mm, &st);
	for (int v = CM_DEMOTION_ALLOWED + 1; v < CM_DEMOTION_NR_VERDICTS; v++) {
		struct cm_sim_summary_item *it;
		char nodes[64];

		if (!st.passes[v])
			continue;
		it = add_item(s, CM_SUMMARY_NO_DEMOTION);
		if (!it)
			return -ENOMEM;
		it->has = CM_SUMMARY_HAS_BYTES | CM_SUMMARY_HAS_COUNT;
		it->bytes = st.scanned_pages[v] * CM_PAGE_SIZE;
		it->count = st.passes[v];
		it->reason = cm_demotion_verdict_name((enum cm_demotion_verdict)v);
		say(it, "%s: ", demoted ? "Some reclaim could not demote" : "Nothing was demoted");
		if (v == CM_DEMOTION_NO_TARGET) {
			cm_nodemask_format(st.no_target_nodes, nodes, sizeof(nodes));
			say(it, "node%s %s had ", strpbrk(nodes, ",-") ? "s" : "", nodes);
		}
		if (it->bytes)
			say(it, "%s; %" PRIu64 " reclaim scans of a node's LRU lists looked at %s without demoting.",
			    no_demotion_text[v], it->count, human(it->bytes).s);
		else	/* nothing it could take: anonymous pages are not scanned when they can go nowhere */
			say(it, "%s; %" PRIu64 " reclaim scans of a node's LRU lists found no page they could take.",
			    no_demotion_text[v], it->count);
	}
	return 0;
}

static int add_swap(const struct cm_sim *sim, struct cm_sim_summary *s)
{
	uint64_t out = total(sim, CM_PSWPOUT), in = total(sim, CM_PSWPIN);
	uint64_t swap_total = cm_mm_swap_total(sim->mm), used = cm_mm_swap_used(sim->mm);
	struct cm_sim_summary_item *it;

	if (out) {
		it = add_item(s, CM_SUMMARY_SWAP);
		if (!it)
			return -ENOMEM;
		it->has = CM_SUMMARY_HAS_BYTES | CM_SUMMARY_HAS_COUNT;
		it->bytes = out * CM_PAGE_SIZE;
		it->count = out;
		say(it, "Reclaim swapped out %s (%" PRIu64 " pages, pswpout) and %s came back in (pswpin); %s of "
		    "the %s swap device was in use at the end.", human(it->bytes).s, out, human(in * CM_PAGE_SIZE).s,
		    human(used * CM_PAGE_SIZE).s, human(swap_total * CM_PAGE_SIZE).s);
	} else if (!swap_total && total(sim, CM_OOM_KILL)) {
		it = add_item(s, CM_SUMMARY_NO_SWAP);
		if (!it)
			return -ENOMEM;
		say(it, "There is no swap (swap_bytes=0): reclaim could take anonymous pages only by demoting them.");
	}
	return 0;
}

/* @a's space the OOM killer took, if any: its own, or a TD guest's private memory. */
static bool actor_oom_kill(const struct cm_sim *sim, const struct cm_sim_actor *a, struct cm_mm_oom_kill *kill)
{
	if (cm_mm_space_oom_kill(sim->mm, a->space, kill))
		return true;
	return a->td && cm_mm_space_oom_kill(sim->mm, a->td->private_space, kill);
}

static void say_oom_kill(const struct cm_sim *sim, struct cm_sim_summary_item *it, const struct cm_sim_actor *a,
			 const struct cm_mm_oom_kill *kill)
{
	struct cm_memcg_info info;

	say(it, "The OOM killer killed %s (%s in %s", a->def->name, cm_actor_kind_name(a->def->kind), a->def->cgroup);
	if (it->has & CM_SUMMARY_HAS_AT_MS)
		say(it, ", at %" PRIu64 " ms", it->at_ms);
	if (kill->memcg) {
		cm_mm_memcg_info(sim->mm, kill->memcg, &info);
		it->cgroup = info.path;
		it->reason = "memory_max";
		say(it, "): %s was at its memory.max of %s and reclaim could not bring it below; %s held the most "
		    "memory in %s", info.path, human(kill->limit_pages * CM_PAGE_SIZE).s, a->def->name, info.path);
	} else {
		it->reason = "global_oom";
		say(it, "): out of memory (a global OOM): an allocation found no free page on the nodes it may "
		    "use, even after reclaim; %s held the most memory", a->def->name);
	}
	say(it, ", %s resident and %s swapped.", human(kill->resident_pages * CM_PAGE_SIZE).s,
	    human(kill->swapped_pages * CM_PAGE_SIZE).s);
}

static int add_oom_kills(const struct cm_sim *sim, struct cm_sim_summary *s)
{
	for (size_t i = 0; i < sim->nr_actors; i++) {
		const struct cm_sim_actor *a = &sim->actors[i];
		struct cm_sim_summary_item *it;
		struct cm_mm_oom_kill kill;

		if (a->space < 0 || !actor_oom_kill(sim, a, &kill))
			continue;
		it = add_item(s, CM_SUMMARY_OOM_KILL);
		if (!it)
			return -ENOMEM;
		it->has = CM_SUMMARY_HAS_BYTES;
		it->bytes = (kill.resident_pages + kill.swapped_pages) * CM_PAGE_SIZE;
		it->actor = a->def->name;
		if (a->outcome != CM_OUTCOME_RUNNING && a->outcome != CM_OUTCOME_PENDING) {
			it->has |= CM_SUMMARY_HAS_AT_MS;
			it->at_ms = a->ended_ms;
		}
		say_oom_kill(sim, it, a, &kill);
	}
	return 0;
}

static int add_sgx_oom_kills(const struct cm_sim *sim, struct cm_sim_summary *s)
{
	if (!sim->epc)
		return 0;
	for (size_t i = 0; i < sim->nr_actors; i++) {
		const struct cm_sim_actor *a = &sim->actors[i];
		struct cm_sim_summary_item *it;
		struct cm_memcg_info info;
		int cgroup;

		if (a->def->kind != CM_ACTOR_ENCLAVE || a->enclave < 0)
			continue;
		cgroup = cm_epc_enclave_oom_cgroup(sim->epc, a->enclave);
		if (cgroup < 0)
			continue;
		it = add_item(s, CM_SUMMARY_SGX_OOM_KILL);
		if (!it)
			return -ENOMEM;
		cm_mm_memcg_info(sim->mm, cgroup, &info);
		it->actor = a->def->name;
		it->cgroup = info.path;
		it->reason = "misc_max";
		say(it, "sgx.oom=kill-enclave killed %s", a->def->name);
		if (a->outcome != CM_OUTCOME_RUNNING) {
			it->has = CM_SUMMARY_HAS_AT_MS;
			it->at_ms = a->ended_ms;
			say(it, " at %" PRIu64 " ms", a->ended_ms);
		}
		say(it, ": %s was at its misc.max of EPC with nothing reclaimable, and %s held the most EPC there.",
		    info.path, a->def->name);
	}
	return 0;
}

int cm_sim_summary_build(const struct cm_sim *sim, struct cm_sim_summary *out)
{
	int (*const parts[])(const struct cm_sim *, struct cm_sim_summary *) = {
		add_hotadd_refusals, add_demotion, add_no_demotion, add_swap, add_oom_kills, add_sgx_oom_kills,
	};

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < CM_ARRAY_SIZE(parts); i++) {
		if (parts[i](sim, out)) {
			cm_sim_summary_free(out);
			return -ENOMEM;
		}
	}
	return 0;
}

void cm_sim_summary_free(struct cm_sim_summary *summary)
{
	free(summary->items);
	summary->items = NULL;
	summary->nr_items = 0;
}
