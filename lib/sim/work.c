// SPDX-License-Identifier: MIT
/*
 * What a run will cost, known before it starts: the page events its
 * actors can make (touches, EADDs, vEPC faults) and the steps of the
 * simulation loop, so that a scenario over the budget is refused instead
 * of running for days.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim_internal.h"

/* The milliseconds @d can run: from its start (0 for "never": an event may start it) to its end. */
static uint64_t actor_active_ms(const struct cm_scenario *sc, const struct cm_scenario_actor *d)
{
	uint64_t start = d->start_ms == UINT64_MAX ? 0 : d->start_ms;
	uint64_t active = sc->duration_ms > start ? sc->duration_ms - start : 0;

	return d->run_ms && d->run_ms < active ? d->run_ms : active;
}

uint64_t cm_sim_estimate_events(const struct cm_scenario *sc)
{
	/* Every simulated millisecond visits every actor. */
	uint64_t events = sim_mul_saturating(sc->duration_ms, sim_add_saturating(sc->nr_actors, 1));

	for (size_t i = 0; i < sc->nr_actors; i++) {
		const struct cm_scenario_actor *d = &sc->actors[i];
		const struct actor_kind *kind = actor_kind(d->kind);

		if (kind && kind->ops)
			events = sim_add_saturating(events, kind->ops->page_events(sc, d, actor_active_ms(sc, d)));
	}
	return events;
}

/* "1.0e18": printf's %e without its "+" and leading zeros of the exponent. */
static void format_estimate(double value, const char *format, char *buf, size_t len)
{
	char text[32], *e, *digits;

	snprintf(text, sizeof(text), format, value);
	e = strchr(text, 'e');
	if (!e) {
		snprintf(buf, len, "%s", text);
		return;
	}
	digits = e + 1;
	if (*digits == '+')
		digits++;
	while (digits[0] == '0' && digits[1])
		digits++;
	snprintf(buf, len, "%.*s%s", (int)(e + 1 - text), text, digits);
}

int cm_sim_check_work(const struct cm_scenario *sc, const struct cm_sim_options *o, struct cm_error *err)
{
	uint64_t max_events = o ? o->max_events : 0;
	uint64_t events = cm_sim_estimate_events(sc);
	char estimate[32], budget[32];

	if (!max_events)
		max_events = CM_SIM_MAX_EVENTS_DEFAULT;
	if (events <= max_events)
		return 0;
	format_estimate((double)events, "%.1e", estimate, sizeof(estimate));
	format_estimate((double)max_events, "%.0e", budget, sizeof(budget));
	return cm_error_set(err, -E2BIG, "%s: the run would make about %s page events, over the budget of %s",
			    sc->source, estimate, budget);
}
