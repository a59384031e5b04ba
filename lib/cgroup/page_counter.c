// SPDX-License-Identifier: MIT
/*
 * The page counter every cgroup controller charges through, after the
 * kernel's mm/page_counter.c: usage, max and watermark per level, a charge
 * that walks up to the root and rolls back on the level that refuses it.
 *
 * Two differences from the kernel, both the engine's rules: the watermark
 * is raised only when the whole charge succeeds (a charge refused higher
 * up leaves no peak behind), and the failure events are counted here,
 * like misc_cg_event(): failcnt at the refusing level (events.local), and
 * events_max there and at every ancestor below the root (events).
 */
#include "confmem/cgroup.h"

void cm_page_counter_init(struct cm_page_counter *counter, struct cm_page_counter *parent, uint64_t max)
{
	*counter = (struct cm_page_counter){ .max = max, .parent = parent };
}

static void count_failure(struct cm_page_counter *level)
{
	level->failcnt++;
	for (struct cm_page_counter *c = level; c->parent; c = c->parent)
		c->events_max++;
}

bool cm_page_counter_try_charge(struct cm_page_counter *counter, uint64_t nr, struct cm_page_counter **fail)
{
	struct cm_page_counter *c;

	for (c = counter; c; c = c->parent) {
		if (c->usage + nr > c->max)
			goto out_uncharge;
		c->usage += nr;
	}
	for (c = counter; c; c = c->parent)
		if (c->usage > c->watermark)
			c->watermark = c->usage;
	*fail = NULL;
	return true;

out_uncharge:
	*fail = c;
	for (c = counter; c != *fail; c = c->parent)
		c->usage -= nr;
	count_failure(*fail);
	return false;
}

void cm_page_counter_charge(struct cm_page_counter *counter, uint64_t nr)
{
	for (struct cm_page_counter *c = counter; c; c = c->parent) {
		c->usage += nr;
		if (c->usage > c->watermark)
			c->watermark = c->usage;
	}
}

void cm_page_counter_uncharge(struct cm_page_counter *counter, uint64_t nr)
{
	for (struct cm_page_counter *c = counter; c; c = c->parent)
		c->usage -= nr;
}

struct cm_page_counter *cm_page_counter_limit_hit(const struct cm_page_counter *counter, uint64_t nr)
{
	for (const struct cm_page_counter *c = counter; c; c = c->parent)
		if (c->usage + nr > c->max)
			return (struct cm_page_counter *)c;
	return NULL;
}

uint64_t cm_page_counter_lowest_max(const struct cm_page_counter *counter)
{
	uint64_t max = UINT64_MAX;

	for (const struct cm_page_counter *c = counter; c; c = c->parent)
		if (c->max < max)
			max = c->max;
	return max;
}
