// SPDX-License-Identifier: MIT
/*
 * The OOM killer.
 */
#include "mm_internal.h"

/* The OOM killer: the live space with the most pages in @memcg's subtree (0: everywhere). */
int mm_oom_kill(struct cm_mm *mm, int memcg)
{
	int victim = -1;
	uint64_t worst = 0;

	for (size_t i = 0; i < mm->nr_spaces; i++) {
		const struct space *s = &mm->spaces[i];
		uint64_t badness = s->resident + s->swapped;

		if (s->released || s->unkillable || !mm_is_ancestor(mm, memcg, s->memcg))
			continue;
		if (victim < 0 || badness > worst) {
			victim = (int)i;
			worst = badness;
		}
	}
	if (victim < 0)
		return -1;
	mm->spaces[victim].killed = true;
	mm->spaces[victim].oom = (struct cm_mm_oom_kill){
		.memcg = memcg, .limit_pages = memcg ? mm_memcg(mm, memcg)->memory.max : 0,
		.resident_pages = mm->spaces[victim].resident, .swapped_pages = mm->spaces[victim].swapped,
	};
	mm->nr_killed++;
	mm->nodes[0].counters[CM_OOM_KILL]++;
	mm_memcg_event(mm, mm->spaces[victim].memcg, CM_MEMCG_EVENT_OOM_KILL);
	cm_mm_space_release(mm, victim);
	return victim;
}

bool cm_mm_space_oom_kill(const struct cm_mm *mm, int space, struct cm_mm_oom_kill *kill)
{
	if (space < 0 || (size_t)space >= mm->nr_spaces || !mm->spaces[space].killed)
		return false;
	*kill = mm->spaces[space].oom;
	return true;
}
