/* SPDX-License-Identifier: MIT */
/*
 * Pictures (docs/pictures.md): the data the builders add for them
 * (picture_data.c, in neither text nor JSON) and what the SVG drawers
 * share (svg.c): reading the model by key, escaping, formatting.
 */
#ifndef CONFMEM_REPORT_PICTURE_H
#define CONFMEM_REPORT_PICTURE_H

#include <stdio.h>

#include "confmem/sim.h"
#include "report/model.h"

/* The builders' side: one adder per picture. */
void picture_add_address_map(struct cm_report_item *parent, const struct cm_tdx_plan *plan,
			     const struct cm_platform *p);
void picture_add_numa(struct cm_report_item *parent, const struct cm_platform *p,
		      const struct cm_node_capability *caps, const struct cm_tiering *tiering);
void picture_add_series(struct cm_report_item *parent, const struct cm_sim *sim);

/* Reading the model: the first child of @item keyed @key, or NULL (@item may be NULL). */
const struct cm_report_item *pic_child(const struct cm_report_item *item, const char *key);
/* A keyed child's number (u64, int, bytes, address, bool), or @fallback. */
uint64_t pic_u64(const struct cm_report_item *item, const char *key, uint64_t fallback);
int pic_int(const struct cm_report_item *item, const char *key, int fallback);
/* A keyed child's string, or "". */
const char *pic_string(const struct cm_report_item *item, const char *key);
/* The number of children. */
size_t pic_count(const struct cm_report_item *item);

/* Writing SVG: text with &, <, >, " escaped. */
void pic_escape(FILE *f, const char *s);
/* "2.00 GiB", "0x80000000". */
void pic_size(char *buf, size_t len, uint64_t bytes);

/*
 * One picture: what it is called in the model, its heading, and how it
 * draws into @f at the origin, returning its width and height in pixels.
 */
struct pic_drawer {
	const char *name;
	const char *title;
	int (*draw)(const struct cm_report_item *picture, FILE *f, int *width, int *height);
};
int pic_draw_address_map(const struct cm_report_item *picture, FILE *f, int *width, int *height);
int pic_draw_numa(const struct cm_report_item *picture, FILE *f, int *width, int *height);
int pic_draw_series(const struct cm_report_item *picture, FILE *f, int *width, int *height);

/* Each picture of @r in order: @fn gets its drawer and its SVG element (a whole <svg>). */
typedef int (*pic_visit_fn)(const struct pic_drawer *drawer, const char *svg, size_t len, int width, int height,
			    void *ctx);
int pic_for_each(const struct cm_report *r, pic_visit_fn fn, void *ctx);

/* The <style> element of every picture. */
const char *pic_svg_style(void);
/* A palette by index (nodes, series), the same in every picture. */
const char *pic_color(int i);

#endif /* CONFMEM_REPORT_PICTURE_H */
