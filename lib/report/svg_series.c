// SPDX-License-Identifier: MIT
/*
 * A simulation over time (picture "series", beside the run): free pages
 * per node against its min, low and high watermarks; the reclaim,
 * demotion, swap-out and promotion rates; each memory cgroup's usage
 * against memory.max and, with SGX, its EPC against misc.max; the
 * scenario's events and the kills as marks across every plot.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/picture.h"

#define PLOT_LEFT 96
#define PLOT_W 820
#define PANEL_H 96
#define PANEL_GAP 34
#define MAX_PANELS 8
/* Room above a plot's highest value. */
#define PLOT_HEADROOM 1.08

/* One plot's frame: where it is and what its axes hold. */
struct plot {
	const uint64_t *t;	/* sample times */
	size_t nr;
	uint64_t duration_ms;
	int y;			/* top */
	double y_max;
};

static double px_x(const struct plot *p, uint64_t t_ms)
{
	return PLOT_LEFT + (double)PLOT_W * (double)t_ms / (double)(p->duration_ms ? p->duration_ms : 1);
}

static double px_y(const struct plot *p, double v)
{
	double y = p->y + PANEL_H - (double)PANEL_H * v / (p->y_max > 0 ? p->y_max : 1);

	return y < p->y ? p->y : y;
}

/* An array item's numbers into a new array (NULL when out of memory). */
static uint64_t *column(const struct cm_report_item *array, size_t *nr)
{
	size_t n = pic_count(array), i = 0;
	uint64_t *v = calloc(n ? n : 1, sizeof(*v));

	for (const struct cm_report_item *c = array ? array->first : NULL; c && v; c = c->next)
		v[i++] = c->v.u64;
	*nr = n;
	return v;
}

static double max_of(const uint64_t *v, size_t nr, bool skip_unlimited)
{
	double m = 0;

	for (size_t i = 0; i < nr; i++)
		if ((!skip_unlimited || v[i] != UINT64_MAX) && (double)v[i] > m)
			m = (double)v[i];
	return m;
}

static double min_of(const uint64_t *v, size_t nr)
{
	double m = nr ? (double)v[0] : 0;

	for (size_t i = 1; i < nr; i++)
		if ((double)v[i] < m)
			m = (double)v[i];
	return m;
}

static void polyline(FILE *f, const struct plot *p, const uint64_t *v, const char *cls, const char *color,
		     const char *attrs, bool skip_unlimited)
{
	bool open = false;

	for (size_t i = 0; i < p->nr; i++) {
		if (skip_unlimited && v[i] == UINT64_MAX) {
			if (open)
				fputs("\"/>\n", f);
			open = false;
			continue;
		}
		if (!open)
			fprintf(f, "<polyline class=\"%s\" stroke=\"%s\"%s points=\"", cls, color, attrs);
		fprintf(f, "%s%.1f,%.1f", open ? " " : "", px_x(p, p->t[i]), px_y(p, (double)v[i]));
		open = true;
	}
	if (open)
		fputs("\"/>\n", f);
}

/* A round step for about @n ticks over @range. */
static double nice_step(double range, int n)
{
	double raw = range / n, mag = pow(10, floor(log10(raw > 0 ? raw : 1))), r = raw / mag;

	return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
}

/* The frame, the y labels in @unit ("pages" shown as sizes too), the time ticks. */
static void frame(FILE *f, const struct plot *p, const char *title, bool pages)
{
	double top_value = p->y_max / PLOT_HEADROOM;
	char top[64] = "", size[32];

	fprintf(f, "<rect class=\"lane\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n", PLOT_LEFT, p->y, PLOT_W,
		PANEL_H);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">", PLOT_LEFT, p->y - 5);
	pic_escape(f, title);
	fputs("</text>\n", f);
	if (pages) {
		pic_size(size, sizeof(size), (uint64_t)top_value * 4096);
		snprintf(top, sizeof(top), "%s", size);
	} else {
		snprintf(top, sizeof(top), "%.0f/s", top_value);
	}
	fprintf(f, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n", PLOT_LEFT - 3,
		px_y(p, top_value), PLOT_LEFT + PLOT_W, px_y(p, top_value));
	fprintf(f, "<text class=\"small\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", PLOT_LEFT - 4,
		px_y(p, top_value) + 4, top);
	fprintf(f, "<text class=\"small\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", PLOT_LEFT - 4,
		p->y + PANEL_H);
	for (double t = 0, step = nice_step((double)p->duration_ms, 8); t <= (double)p->duration_ms; t += step) {
		double x = px_x(p, (uint64_t)t);

		fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n", x, p->y, x,
			p->y + PANEL_H);
		fprintf(f, "<text class=\"small\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f ms</text>\n", x,
			p->y + PANEL_H + 11, t);
	}
}

static void legend(FILE *f, int x, int y, const char *color, const char *dash, const char *label)
{
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>", x, y - 4, x + 18,
		y - 4, color, dash);
	fprintf(f, "<text class=\"small\" x=\"%d\" y=\"%d\">%s</text>\n", x + 22, y, label);
}

/*
 * When the watermarks are too low to see beside all of a node's memory:
 * the same node from 0 to twice its high watermark, free pages above it
 * drawn at the top edge. The height drawn, 0 when not needed.
 */
static int zoom_panel(FILE *f, struct plot *p, const struct cm_report_item *node)
{
	static const char *const marks[] = { "min", "low", "high" };
	static const char *const dashes[] = { "2 2", "5 3", "9 3" };
	size_t nr;
	uint64_t *high = column(pic_child(node, "high"), &nr), *free_pages;
	double y_max = p->y_max;
	char title[96], attrs[64];
	int id = pic_int(node, "node", 0);

	free_pages = column(pic_child(node, "free"), &nr);
	/* Only a node whose free pages came near the watermarks. */
	if (!high || !free_pages || max_of(high, nr, false) * 12 > y_max || max_of(high, nr, false) <= 0 ||
	    min_of(free_pages, nr) > max_of(high, nr, false) * 2) {
		free(high);
		free(free_pages);
		return 0;
	}
	p->y += PANEL_H + PANEL_GAP;
	p->y_max = max_of(high, nr, false) * 2 * PLOT_HEADROOM;
	free(high);
	snprintf(title, sizeof(title), "node %d near its watermarks (0 to twice the high watermark)", id);
	frame(f, p, title, true);
	for (int k = 0; k < 3; k++) {
		uint64_t *w = column(pic_child(node, marks[k]), &nr);

		snprintf(attrs, sizeof(attrs), " stroke-dasharray=\"%s\" data-node=\"%d\"", dashes[k], id);
		if (w)
			polyline(f, p, w, "wm", "#777", attrs, false);
		free(w);
	}
	snprintf(attrs, sizeof(attrs), " data-node=\"%d\"", id);
	if (free_pages)
		polyline(f, p, free_pages, "line free-zoom", pic_color(id), attrs, false);
	free(free_pages);
	p->y_max = y_max;
	return PANEL_H + PANEL_GAP;
}

/* One node's free pages and watermarks: the height drawn, 0 when it never had memory. */
static int node_panel(FILE *f, struct plot *p, const struct cm_report_item *node)
{
	static const char *const marks[] = { "min", "low", "high" };
	static const char *const dashes[] = { "2 2", "5 3", "9 3" };
	size_t nr;
	uint64_t *free_pages = column(pic_child(node, "free"), &nr);
	char title[96], attrs[64];
	int id = pic_int(node, "node", 0);

	if (!free_pages)
		return 0;
	p->y_max = max_of(free_pages, nr, false);
	for (int k = 0; k < 3; k++) {
		uint64_t *w = column(pic_child(node, marks[k]), &nr);

		p->y_max = w && max_of(w, nr, false) > p->y_max ? max_of(w, nr, false) : p->y_max;
		free(w);
	}
	if (p->y_max <= 0) {
		free(free_pages);
		return 0;
	}
	p->y_max *= PLOT_HEADROOM;
	snprintf(title, sizeof(title), "node %d: free memory against its watermarks", id);
	frame(f, p, title, true);
	for (int k = 0; k < 3; k++) {
		uint64_t *w = column(pic_child(node, marks[k]), &nr);

		snprintf(attrs, sizeof(attrs), " stroke-dasharray=\"%s\" data-node=\"%d\"", dashes[k], id);
		if (w)
			polyline(f, p, w, "wm", "#777", attrs, false);
		free(w);
	}
	snprintf(attrs, sizeof(attrs), " data-node=\"%d\"", id);
	polyline(f, p, free_pages, "line free", pic_color(id), attrs, false);
	legend(f, PLOT_LEFT + PLOT_W - 360, p->y - 5, pic_color(id), "", "free");
	for (int k = 0; k < 3; k++)
		legend(f, PLOT_LEFT + PLOT_W - 290 + k * 90, p->y - 5, "#777", k == 0 ? " stroke-dasharray=\"2 2\"" :
		       k == 1 ? " stroke-dasharray=\"5 3\"" : " stroke-dasharray=\"9 3\"", marks[k]);
	free(free_pages);
	return PANEL_H + PANEL_GAP + zoom_panel(f, p, node);
}

/* The rates of the cumulative totals (pages per second): the height drawn, 0 when all are zero. */
static int rates_panel(FILE *f, struct plot *p, const struct cm_report_item *totals)
{
	uint64_t *rates[CM_SERIES_NR_TOTALS] = { 0 };
	const char *names[CM_SERIES_NR_TOTALS];
	int nr_rates = 0;

	p->y_max = 0;
	for (const struct cm_report_item *c = totals ? totals->first : NULL; c && nr_rates < CM_SERIES_NR_TOTALS;
	     c = c->next) {
		size_t nr;
		uint64_t *v = column(c, &nr);

		if (!v || !nr || !v[nr - 1]) {
			free(v);
			continue;
		}
		for (size_t i = nr - 1; i > 0; i--) {
			uint64_t dt = p->t[i] - p->t[i - 1];

			v[i] = dt ? (v[i] - v[i - 1]) * 1000 / dt : 0;
		}
		v[0] = 0;
		p->y_max = max_of(v, nr, false) > p->y_max ? max_of(v, nr, false) : p->y_max;
		names[nr_rates] = c->key;
		rates[nr_rates++] = v;
	}
	if (!nr_rates)
		return 0;
	p->y_max *= PLOT_HEADROOM;
	frame(f, p, "reclaim, demotion, swap-out and promotion rates (pages per second)", false);
	for (int k = 0; k < nr_rates; k++) {
		char attrs[64];

		snprintf(attrs, sizeof(attrs), " data-rate=\"%s\"", names[k]);
		polyline(f, p, rates[k], "line rate", pic_color(k + 3), attrs, false);
		legend(f, PLOT_LEFT + PLOT_W - (nr_rates - k) * 90, p->y - 5, pic_color(k + 3), "", names[k]);
		free(rates[k]);
	}
	return PANEL_H + PANEL_GAP;
}

/* A cgroup's usage against its limit (@use, @limit keys): the height drawn, 0 when there is nothing to show. */
static int cgroup_panel(FILE *f, struct plot *p, const struct cm_report_item *cg, const char *use, const char *limit,
			const char *what, bool root)
{
	size_t nr, nr_limit;
	uint64_t *usage = column(pic_child(cg, use), &nr), *max = column(pic_child(cg, limit), &nr_limit);
	bool limited = max && max_of(max, nr_limit, true) > 0;
	char title[160];
	int h = 0;

	if (usage && max && max_of(usage, nr, false) > 0 && (limited || root)) {
		p->y_max = max_of(usage, nr, false);
		if (limited && max_of(max, nr_limit, true) > p->y_max)
			p->y_max = max_of(max, nr_limit, true);
		p->y_max *= PLOT_HEADROOM;
		snprintf(title, sizeof(title), "cgroup %s: %s", pic_string(cg, "path"), what);
		frame(f, p, title, true);
		polyline(f, p, max, "limit", "#c00", " data-limit=\"1\"", true);
		polyline(f, p, usage, "line usage", "#1f77b4", "", false);
		legend(f, PLOT_LEFT + PLOT_W - 220, p->y - 5, "#1f77b4", "", "usage");
		legend(f, PLOT_LEFT + PLOT_W - 130, p->y - 5, "#c00", " stroke-dasharray=\"6 3\"",
		       strcmp(pic_string(cg, "path"), "/") ? "limit" : "capacity");
		h = PANEL_H + PANEL_GAP;
	}
	free(usage);
	free(max);
	return h;
}

/* Vertical marks for the scenario's events and the kills, labels staggered at the top. */
static void draw_marks(FILE *f, const struct plot *p, const struct cm_report_item *marks, int y_top, int y_bottom)
{
	int row = 0;
	double last_x[3] = { -1e9, -1e9, -1e9 };

	for (const struct cm_report_item *m = marks ? marks->first : NULL; m; m = m->next) {
		double x = px_x(p, pic_u64(m, "t_ms", 0));
		const char *kind = pic_string(m, "kind");
		bool kill = !strcmp(kind, "killed") || !strcmp(kind, "failed");

		for (row = 0; row < 2 && x - last_x[row] < 150; row++)
			;
		last_x[row] = x;
		fprintf(f, "<g class=\"mark\" data-kind=\"%s\"><line class=\"mark\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
			"y2=\"%d\"%s/>", kind, x, y_top + row * 13 + 2, x, y_bottom, kill ? " style=\"stroke:#c00\"" : "");
		fprintf(f, "<text class=\"small halo\" x=\"%.1f\" y=\"%d\"%s>%s: ", x + 3, y_top + row * 13 + 10,
			kill ? " style=\"fill:#c00\"" : "", kind);
		pic_escape(f, pic_string(m, "label"));
		fprintf(f, "<title>%" PRIu64 " ms: %s ", pic_u64(m, "t_ms", 0), kind);
		pic_escape(f, pic_string(m, "label"));
		fputs("</title></text></g>\n", f);
	}
}

static int cgroup_panels(FILE *f, struct plot *p, const struct cm_report_item *pic, int y)
{
	const struct cm_report_item *cgroups = pic_child(pic, "cgroups");
	bool epc = pic_u64(pic, "epc", 0);
	int nr_panels = 0, h;

	for (const struct cm_report_item *cg = cgroups ? cgroups->first : NULL; cg && nr_panels < MAX_PANELS;
	     cg = cg->next) {
		bool root = cg == cgroups->first && !cg->next;

		p->y = y;
		h = cgroup_panel(f, p, cg, "memory", "memory_max", "memory.current against memory.max", root);
		nr_panels += h > 0;
		y += h;
		if (!epc)
			continue;
		p->y = y;
		h = cgroup_panel(f, p, cg, "epc", "epc_max", "misc.current sgx_epc against misc.max", root);
		nr_panels += h > 0;
		y += h;
	}
	return y;
}

/* TD guests: their private memory and the Dynamic PAMT now, and the pages refused so far. */
static int td_panel(FILE *f, struct plot *p, const struct cm_report_item *td)
{
	size_t nr;
	uint64_t *priv = column(pic_child(td, "private"), &nr), *refused = column(pic_child(td, "refusals"), &nr),
		 *dpamt = column(pic_child(td, "dpamt"), &nr);
	int h = 0;

	if (priv && refused && dpamt) {
		p->y_max = max_of(priv, nr, false);
		if (max_of(refused, nr, false) > p->y_max)
			p->y_max = max_of(refused, nr, false);
		if (max_of(dpamt, nr, false) > p->y_max)
			p->y_max = max_of(dpamt, nr, false);
		p->y_max = (p->y_max > 0 ? p->y_max : 1) * PLOT_HEADROOM;
		frame(f, p, "TD guests: private memory, pages refused (so far), Dynamic PAMT", true);
		polyline(f, p, priv, "line td-private", "#2ca02c", "", false);
		polyline(f, p, refused, "line td-refusals", "#c00", "", false);
		polyline(f, p, dpamt, "line td-dpamt", "#9467bd", "", false);
		legend(f, PLOT_LEFT + PLOT_W - 330, p->y - 5, "#2ca02c", "", "private");
		legend(f, PLOT_LEFT + PLOT_W - 240, p->y - 5, "#c00", "", "refused");
		legend(f, PLOT_LEFT + PLOT_W - 150, p->y - 5, "#9467bd", "", "Dynamic PAMT");
		h = PANEL_H + PANEL_GAP;
	}
	free(priv);
	free(refused);
	free(dpamt);
	return h;
}

int pic_draw_series(const struct cm_report_item *pic, FILE *f, int *width, int *height)
{
	const struct cm_report_item *nodes = pic_child(pic, "nodes");
	struct plot p = { .duration_ms = pic_u64(pic, "duration_ms", 1) };
	uint64_t *t = column(pic_child(pic, "t_ms"), &p.nr);
	int y = 62, y_top = 14;

	if (!t)
		return -ENOMEM;
	p.t = t;
	fprintf(f, "<text x=\"6\" y=\"%d\" class=\"small\">sampled every %" PRIu64 " ms of simulated time (%zu "
		"samples); marks: the scenario's events and the actors killed</text>\n", y_top - 4,
		pic_u64(pic, "interval_ms", 1), p.nr);
	for (const struct cm_report_item *n = nodes ? nodes->first : NULL; n; n = n->next) {
		p.y = y;
		y += node_panel(f, &p, n);
	}
	p.y = y;
	y += rates_panel(f, &p, pic_child(pic, "totals"));
	y = cgroup_panels(f, &p, pic, y);
	if (pic_child(pic, "td")) {
		p.y = y;
		y += td_panel(f, &p, pic_child(pic, "td"));
	}
	draw_marks(f, &p, pic_child(pic, "marks"), y_top, y - PANEL_GAP + 4);
	free(t);
	*width = PLOT_LEFT + PLOT_W + 30;
	*height = y;
	return 0;
}
