// SPDX-License-Identifier: MIT
/*
 * The NUMA and tier graph (picture "numa", beside the nodes): a column per
 * memory tier, top tier first, and one for nodes without memory; a box per
 * node with its kind, capacity, CPUs, crypto_capable and tier; arrows to
 * the preferred demotion targets (solid) and the other lower-tier
 * fallback targets (dashed); the distance matrix beside.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/picture.h"

#define BOX_W 180
#define BOX_H 76
#define COL_W 270
#define ROW_H 100
#define TOP 46
#define MAX_COLUMNS 16
#define MAX_ROWS 6

struct numa_box {
	const struct cm_report_item *row;
	int node, tier, column, x, y;
};

/* Columns: distinct tiers in ascending id (top tier first), then nodes without a tier; the number of columns. */
static int place_boxes(struct numa_box *b, size_t nr, int *nr_rows)
{
	int tiers[MAX_COLUMNS], nr_tiers = 0, per_column[MAX_COLUMNS + 1] = { 0 }, first_x[MAX_COLUMNS + 2] = { 0 };

	for (size_t i = 0; i < nr; i++) {
		int t = b[i].tier, k = 0;

		if (t < 0)
			continue;
		while (k < nr_tiers && tiers[k] < t)
			k++;
		if ((k < nr_tiers && tiers[k] == t) || nr_tiers == MAX_COLUMNS)
			continue;
		memmove(&tiers[k + 1], &tiers[k], (size_t)(nr_tiers - k) * sizeof(*tiers));
		tiers[k] = t;
		nr_tiers++;
	}
	/* A tier of many nodes wraps into several columns of at most MAX_ROWS. */
	for (size_t i = 0; i < nr; i++) {
		b[i].column = nr_tiers;
		for (int k = 0; k < nr_tiers; k++)
			if (tiers[k] == b[i].tier)
				b[i].column = k;
		per_column[b[i].column]++;
	}
	for (int k = 0; k <= nr_tiers; k++) {
		first_x[k + 1] = first_x[k] + (per_column[k] + MAX_ROWS - 1) / MAX_ROWS;
		per_column[k] = 0;
	}
	*nr_rows = 0;
	for (size_t i = 0; i < nr; i++) {
		int col = b[i].column, k = per_column[col]++;

		b[i].x = 16 + (first_x[col] + k / MAX_ROWS) * COL_W;
		b[i].y = TOP + (k % MAX_ROWS) * ROW_H;
		if (k % MAX_ROWS + 1 > *nr_rows)
			*nr_rows = k % MAX_ROWS + 1;
	}
	return first_x[nr_tiers + 1];
}

static void draw_box(FILE *f, const struct numa_box *b)
{
	const struct cm_report_item *r = b->row;
	bool crypto = pic_u64(r, "crypto_capable", 0);
	char size[32], tier[64];

	pic_size(size, sizeof(size), pic_u64(r, "memory_bytes", 0));
	if (b->tier >= 0)
		snprintf(tier, sizeof(tier), "memory_tier%d, adistance %d%s", b->tier, pic_int(r, "adistance", -1),
			 pic_u64(r, "top_tier", 0) ? ", top" : "");
	else
		snprintf(tier, sizeof(tier), "no tier (no memory)");
	fprintf(f, "<g class=\"numa-node\" data-node=\"%d\"><rect class=\"node%s\" x=\"%d\" y=\"%d\" width=\"%d\" "
		"height=\"%d\" rx=\"6\"><title>node %d: %s, %s, %" PRIu64 " CPUs, crypto_capable=%d, %s</title></rect>\n",
		b->node, crypto ? " crypto" : "", b->x, b->y, BOX_W, BOX_H, b->node, pic_string(r, "kind"), size,
		pic_u64(r, "nr_cpus", 0), crypto, tier);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"8\" height=\"%d\" fill=\"%s\"/>\n", b->x, b->y, BOX_H,
		pic_color(b->node));
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">node %d &#183; %s</text>\n", b->x + 14, b->y + 17,
		b->node, pic_string(r, "kind"));
	fprintf(f, "<text x=\"%d\" y=\"%d\">%s &#183; %" PRIu64 " CPUs</text>\n", b->x + 14, b->y + 33, size,
		pic_u64(r, "nr_cpus", 0));
	fprintf(f, "<text x=\"%d\" y=\"%d\"%s>crypto_capable=%d</text>\n", b->x + 14, b->y + 49,
		crypto ? " fill=\"#2ca02c\"" : "", crypto);
	fprintf(f, "<text class=\"small\" x=\"%d\" y=\"%d\">%s</text></g>\n", b->x + 14, b->y + 65, tier);
}

static const struct numa_box *find_box(const struct numa_box *b, size_t nr, int node)
{
	for (size_t i = 0; i < nr; i++)
		if (b[i].node == node)
			return &b[i];
	return NULL;
}

/* An arrow from @from to @to, bowed by @bend so that arrows between the same columns do not overlap. */
static void draw_arrow(FILE *f, const struct numa_box *from, const struct numa_box *to, bool preferred, int bend)
{
	int x1 = from->x + BOX_W, y1 = from->y + BOX_H / 2, x2 = to->x, y2 = to->y + BOX_H / 2;

	if (to->column <= from->column) {
		x1 = from->x + BOX_W / 2;
		y1 = from->y + (to->y > from->y ? BOX_H : 0);
		x2 = to->x + BOX_W / 2;
		y2 = to->y + (to->y > from->y ? 0 : BOX_H);
	}
	fprintf(f, "<path class=\"%s\" data-from=\"%d\" data-to=\"%d\" d=\"M%d %d Q%d %d %d %d\" "
		"marker-end=\"url(#numa-%s)\"><title>node %d demotes to node %d (%s)</title></path>\n",
		preferred ? "pref" : "fallback", from->node, to->node, x1, y1, (x1 + x2) / 2 + bend,
		(y1 + y2) / 2 + bend, x2, y2, preferred ? "pref" : "fallback", from->node, to->node,
		preferred ? "preferred target" : "fallback, lower tier");
}

static void draw_arrows(FILE *f, const struct numa_box *b, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		cm_nodemask_t pref = pic_child(b[i].row, "preferred")->v.mask;
		cm_nodemask_t fallback = pic_child(b[i].row, "fallback")->v.mask;

		for (int n = 0; n < CM_MAX_NUMNODES; n++) {
			const struct numa_box *to = find_box(b, nr, n);
			int bend = ((int)i - n) * 6;

			if (!to)
				continue;
			if (cm_node_isset(pref, n))
				draw_arrow(f, &b[i], to, true, bend);
			else if (cm_node_isset(fallback, n))
				draw_arrow(f, &b[i], to, false, bend + 10);
		}
	}
}

/* The distance matrix at (@x, @y): the height drawn. */
static int draw_distances(FILE *f, const struct numa_box *b, size_t nr, int x, int y)
{
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">distances (SLIT)</text>\n", x, y);
	for (size_t j = 0; j < nr; j++)
		fprintf(f, "<text class=\"mono\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>\n", x + 80 + (int)j * 30,
			y + 18, b[j].node);
	for (size_t i = 0; i < nr; i++) {
		const struct cm_report_item *d = pic_child(b[i].row, "distance");
		size_t j = 0;

		fprintf(f, "<text class=\"mono\" x=\"%d\" y=\"%d\">node %d</text>\n", x, y + 34 + (int)i * 16,
			b[i].node);
		for (const struct cm_report_item *c = d ? d->first : NULL; c && j < nr; c = c->next, j++)
			fprintf(f, "<text class=\"mono\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%" PRIu64 "</text>\n",
				x + 80 + (int)j * 30, y + 34 + (int)i * 16, c->v.u64);
	}
	return 34 + (int)nr * 16;
}

static void draw_legend(FILE *f, int y)
{
	fprintf(f, "<path class=\"pref\" d=\"M16 %d h40\" marker-end=\"url(#numa-pref)\"/><text x=\"64\" y=\"%d\">"
		"preferred demotion target</text>\n", y, y + 4);
	fprintf(f, "<path class=\"fallback\" d=\"M236 %d h40\" marker-end=\"url(#numa-fallback)\"/><text x=\"284\" "
		"y=\"%d\">fallback (lower tier) target</text>\n", y, y + 4);
	fprintf(f, "<rect class=\"node crypto\" x=\"470\" y=\"%d\" width=\"24\" height=\"14\" rx=\"3\"/><text x=\"500\" "
		"y=\"%d\">crypto capable (TDX memory possible)</text>\n", y - 8, y + 4);
}

int pic_draw_numa(const struct cm_report_item *pic, FILE *f, int *width, int *height)
{
	const struct cm_report_item *nodes = pic_child(pic, "nodes");
	size_t nr = pic_count(nodes), i = 0;
	struct numa_box *b = calloc(nr ? nr : 1, sizeof(*b));
	int nr_rows, nr_columns, x_matrix, h_matrix;

	if (!b)
		return -ENOMEM;
	for (const struct cm_report_item *r = nodes ? nodes->first : NULL; r; r = r->next, i++)
		b[i] = (struct numa_box){ .row = r, .node = pic_int(r, "node", 0), .tier = pic_int(r, "tier", -1) };
	nr_columns = place_boxes(b, nr, &nr_rows);
	fputs("<defs><marker id=\"numa-pref\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
	      "markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"#d62728\"/></marker>"
	      "<marker id=\"numa-fallback\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" "
	      "markerHeight=\"6\" orient=\"auto\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"#999\"/></marker></defs>\n", f);
	fprintf(f, "<text x=\"16\" y=\"16\">Demotion model: ");
	pic_escape(f, pic_string(pic, "model"));
	fputs("; columns are memory tiers, top tier first</text>\n", f);
	for (i = 0; i < nr; i++) {
		/* The first box of a column names it. */
		if (b[i].y == TOP && b[i].tier >= 0)
			fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\" fill=\"#555\">memory_tier%d</text>\n",
				b[i].x, TOP - 8, b[i].tier);
		else if (b[i].y == TOP)
			fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\" fill=\"#555\">no memory tier</text>\n",
				b[i].x, TOP - 8);
		draw_box(f, &b[i]);
	}
	draw_arrows(f, b, nr);
	x_matrix = 16 + (nr_columns ? nr_columns : 1) * COL_W;
	h_matrix = draw_distances(f, b, nr, x_matrix, TOP + 12);
	*height = TOP + (nr_rows * ROW_H > h_matrix ? nr_rows * ROW_H : h_matrix) + 24;
	draw_legend(f, *height - 8);
	*width = x_matrix + 80 + (int)nr * 30 + 20;
	if (*width < 760)
		*width = 760;
	free(b);
	return 0;
}
