/* SPDX-License-Identifier: MIT */
/* An address axis, to scale where it can be and broken where it cannot (svg_axis.c). */
#ifndef CONFMEM_REPORT_SVG_AXIS_H
#define CONFMEM_REPORT_SVG_AXIS_H

#include <stdint.h>
#include <stdio.h>

enum axis_kind { AXIS_SCALED, AXIS_WIDENED, AXIS_BROKEN };

struct pic_axis {
	uint64_t *bp;		/* breakpoints, sorted once axis_sort() ran */
	size_t nr_bp, cap;
	int *cover;		/* per interval: how many ranges cover it */
	double *px;		/* per breakpoint: its x from the left */
	unsigned char *kind;	/* per interval: enum axis_kind */
	int left;		/* x of the first breakpoint */
	double min_px;		/* the narrowest a covered interval is drawn */
	double gap_px;		/* the width of a break */
	double width;		/* after axis_layout() */
};

/* Build: add every range's ends, sort, cover every range, lay out. */
int axis_add(struct pic_axis *a, uint64_t addr);
int axis_sort(struct pic_axis *a);
void axis_cover(struct pic_axis *a, uint64_t start, uint64_t end);
void axis_layout(struct pic_axis *a, double width);
double axis_x(const struct pic_axis *a, uint64_t addr);
void axis_draw(const struct pic_axis *a, FILE *f, int y);
void axis_free(struct pic_axis *a);

#endif /* CONFMEM_REPORT_SVG_AXIS_H */
