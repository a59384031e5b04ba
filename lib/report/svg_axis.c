// SPDX-License-Identifier: MIT
/*
 * An address axis for the address map: to scale where it can be, with a
 * broken axis where it cannot. Every range's ends are breakpoints; a
 * stretch no range covers is drawn as a fixed-width break (a zigzag), a
 * covered stretch too small to see (a 4 KiB hole beside 1 TiB of RAM) is
 * widened to a few pixels, and the rest shares the width in proportion
 * to its size.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report/svg_axis.h"

int axis_add(struct pic_axis *a, uint64_t addr)
{
	if (a->nr_bp == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		uint64_t *bp = realloc(a->bp, cap * sizeof(*bp));

		if (!bp)
			return -ENOMEM;
		a->bp = bp;
		a->cap = cap;
	}
	a->bp[a->nr_bp++] = addr;
	return 0;
}

static int compare_u64(const void *l, const void *r)
{
	uint64_t a = *(const uint64_t *)l, b = *(const uint64_t *)r;

	return a < b ? -1 : a > b;
}

/* Sort and deduplicate the breakpoints, and make room for the intervals between them. */
int axis_sort(struct pic_axis *a)
{
	size_t n = 0;

	qsort(a->bp, a->nr_bp, sizeof(*a->bp), compare_u64);
	for (size_t i = 0; i < a->nr_bp; i++)
		if (!n || a->bp[n - 1] != a->bp[i])
			a->bp[n++] = a->bp[i];
	a->nr_bp = n;
	a->cover = calloc(n + 1, sizeof(*a->cover));
	a->px = calloc(n + 1, sizeof(*a->px));
	a->kind = calloc(n + 1, sizeof(*a->kind));
	return a->cover && a->px && a->kind ? 0 : -ENOMEM;
}

/* The index of the last breakpoint at or below @addr. */
static size_t axis_index(const struct pic_axis *a, uint64_t addr)
{
	size_t lo = 0, hi = a->nr_bp;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (a->bp[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void axis_cover(struct pic_axis *a, uint64_t start, uint64_t end)
{
	if (!a->nr_bp || end <= start)
		return;
	a->cover[axis_index(a, start)]++;
	a->cover[axis_index(a, end)]--;
}

static double interval_width(const struct pic_axis *a, size_t i, double scale, enum axis_kind *kind)
{
	double size = (double)(a->bp[i + 1] - a->bp[i]), w = size * scale;

	if (!a->cover[i] && w > a->gap_px) {
		*kind = AXIS_BROKEN;
		return a->gap_px;
	}
	if (w < a->min_px) {
		*kind = AXIS_WIDENED;
		return a->min_px;
	}
	*kind = AXIS_SCALED;
	return w;
}

/* Find the scale that makes the intervals @width wide, then place every breakpoint. */
void axis_layout(struct pic_axis *a, double width)
{
	double scale, total = 0;
	enum axis_kind kind;

	for (size_t i = 0; i + 1 < a->nr_bp; i++)
		a->cover[i + 1] += a->cover[i];
	if (a->nr_bp < 2)
		return;
	scale = width / (double)(a->bp[a->nr_bp - 1] - a->bp[0]);
	for (int round = 0; round < 32; round++) {
		double fixed = 0, scaled = 0;

		for (size_t i = 0; i + 1 < a->nr_bp; i++) {
			double w = interval_width(a, i, scale, &kind);

			if (kind == AXIS_SCALED)
				scaled += (double)(a->bp[i + 1] - a->bp[i]);
			else
				fixed += w;
		}
		if (scaled <= 0 || fixed >= width)
			break;
		scale = (width - fixed) / scaled;
	}
	for (size_t i = 0; i + 1 < a->nr_bp; i++) {
		a->px[i] = total;
		total += interval_width(a, i, scale, &kind);
		a->kind[i] = (unsigned char)kind;
	}
	a->px[a->nr_bp - 1] = total;
	a->width = total;
}

double axis_x(const struct pic_axis *a, uint64_t addr)
{
	size_t i;

	if (!a->nr_bp)
		return a->left;
	if (addr <= a->bp[0])
		return a->left;
	if (addr >= a->bp[a->nr_bp - 1])
		return a->left + a->px[a->nr_bp - 1];
	i = axis_index(a, addr);
	return a->left + a->px[i] + (a->px[i + 1] - a->px[i]) * (double)(addr - a->bp[i]) /
				    (double)(a->bp[i + 1] - a->bp[i]);
}

/* "0x80000000", or "4G" style when it is a whole number of MiB, GiB or TiB. */
static void short_address(char *buf, size_t len, uint64_t addr)
{
	if (addr && !(addr & ((1ULL << 40) - 1)))
		snprintf(buf, len, "%" PRIu64 "T", addr >> 40);
	else if (addr && !(addr & ((1ULL << 30) - 1)))
		snprintf(buf, len, "%" PRIu64 "G", addr >> 30);
	else if (addr && addr < (1ULL << 30) && !(addr & ((1ULL << 20) - 1)))
		snprintf(buf, len, "%" PRIu64 "M", addr >> 20);
	else
		snprintf(buf, len, "0x%" PRIx64, addr);
}

/* The axis line at @y: ticks at every breakpoint, labels where they fit, zigzags at breaks. */
void axis_draw(const struct pic_axis *a, FILE *f, int y)
{
	double next_label = -1e9;
	char label[32];

	fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n", a->left, y,
		a->left + a->width, y);
	for (size_t i = 0; i < a->nr_bp; i++) {
		double x = a->left + a->px[i];

		fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n", x, y, x, y + 4);
		short_address(label, sizeof(label), a->bp[i]);
		if (x >= next_label) {
			double w = (double)strlen(label) * 6.2;
			bool last = x + w > a->left + a->width && i;

			/* A label at the right end ends at its tick, so that it stays inside the picture. */
			if (last && x - w < next_label)
				continue;
			fprintf(f, "<text class=\"mono\" x=\"%.1f\" y=\"%d\"%s>%s<title>0x%" PRIx64 "</title></text>\n",
				x, y + 15, last ? " text-anchor=\"end\"" : "", label, a->bp[i]);
			next_label = x + w + 8;
		}
		if (i + 1 < a->nr_bp && a->kind[i] == AXIS_BROKEN) {
			double mid = a->left + (a->px[i] + a->px[i + 1]) / 2;

			fprintf(f, "<path class=\"brk\" d=\"M%.1f %d l4 -5 M%.1f %d l4 -5\"><title>axis broken: "
				"0x%" PRIx64 " bytes with nothing in them, not to scale</title></path>\n",
				mid - 4, y + 3, mid, y + 3, a->bp[i + 1] - a->bp[i]);
		}
	}
}

void axis_free(struct pic_axis *a)
{
	free(a->bp);
	free(a->cover);
	free(a->px);
	free(a->kind);
	memset(a, 0, sizeof(*a));
}
