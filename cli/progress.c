// SPDX-License-Identifier: MIT
/*
 * Progress on long runs: one line on stderr, rewritten in place, only when
 * stderr is a terminal and --quiet was not given. The library reports
 * where it is through a callback; this file decides what a person sees
 * (simulated time, events per second, the time left), at most a few
 * times a second, and clears the line when the run is over.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Redraw at most this often (wall-clock milliseconds). */
#define CLI_PROGRESS_INTERVAL_MS 200

static double wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void cli_progress_init(struct cli_progress *p, const char *what, enum cli_progress_mode mode)
{
	memset(p, 0, sizeof(*p));
	p->what = what;
	p->enabled = mode == CLI_PROGRESS_SHOW && isatty(STDERR_FILENO);
	p->start_ms = wall_ms();
	p->last_ms = p->start_ms;	/* the first line after an interval, once a rate means something */
}

static bool progress_due(struct cli_progress *p, double now)
{
	if (!p->enabled || now - p->last_ms < CLI_PROGRESS_INTERVAL_MS)
		return false;
	p->last_ms = now;
	return true;
}

void cli_progress_sim(const struct cm_sim_progress *s, void *ctx)
{
	struct cli_progress *p = ctx;
	double now = wall_ms(), elapsed = now - p->start_ms;
	double rate = elapsed > 0 ? (double)s->page_events * 1e3 / elapsed : 0;
	double left = s->now_ms ? elapsed * (double)(s->duration_ms - s->now_ms) / (double)s->now_ms / 1e3 : 0;

	if (!progress_due(p, now))
		return;
	fprintf(stderr, "\r%s: %" PRIu64 " of %" PRIu64 " ms simulated (%.0f%%), %.2fM events/s, about %.0f s left\033[K",
		p->what, s->now_ms, s->duration_ms, s->duration_ms ? 100.0 * (double)s->now_ms / (double)s->duration_ms : 100,
		rate / 1e6, left);
	p->shown = true;
}

void cli_progress_step(struct cli_progress *p, const char *step, unsigned int done, unsigned int total)
{
	if (!p->enabled)
		return;
	p->last_ms = wall_ms();
	fprintf(stderr, "\r%s: %s (%u of %u), %.0f s so far\033[K", p->what, step, done + 1, total,
		(p->last_ms - p->start_ms) / 1e3);
	p->shown = true;
}

void cli_progress_done(struct cli_progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}
