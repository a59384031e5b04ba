// SPDX-License-Identifier: MIT
/*
 * The SVG renderer of the report model: every picture object of the
 * report (cm_report_add_picture) drawn by its drawer (the address map,
 * the NUMA and tier graph, a simulation's time series), stacked in one
 * SVG document. Hover details are <title> elements, so nothing needs a
 * script. Deterministic: the same report gives the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/names.h"
#include "report/picture.h"

/* One row per picture; a new picture is one drawer and one row. */
static const struct pic_drawer drawers[] = {
	{ "address_map", "Physical address map", pic_draw_address_map },
	{ "numa", "NUMA nodes, tiers and demotion", pic_draw_numa },
	{ "series", "Simulation over time", pic_draw_series },
};

/* The style every picture uses, inside the SVG so that a lone .svg file looks the same. */
static const char svg_style[] =
	"<style>\n"
	"text{font-family:DejaVu Sans,Liberation Sans,Arial,sans-serif;font-size:11px;fill:#222}\n"
	".mono{font-family:DejaVu Sans Mono,Liberation Mono,monospace;font-size:10px}\n"
	".h{font-size:14px;font-weight:bold}\n"
	".small{font-size:9px;fill:#555}\n"
	".halo{paint-order:stroke;stroke:#fff;stroke-width:3px}\n"
	".lane{fill:#f6f6f6;stroke:#ddd}\n"
	".axis{stroke:#444;stroke-width:1;fill:none}\n"
	".grid{stroke:#ddd;stroke-width:1}\n"
	".brk{stroke:#c00;stroke-width:1.2;fill:none}\n"
	".rsvd,.rsvdmap{fill:#e8a33d;stroke:#8a5a10;stroke-width:0.5}\n"
	".rsvd.over,.rsvdmap.over{fill:#d62728;stroke:#600}\n"
	".pamt{fill:#8c564b;stroke:#4a2a20;stroke-width:0.5}\n"
	".tdmr{fill:#cfe3f7;stroke:#1f5f9f;stroke-width:1}\n"
	".tdmr.fail{fill:#fbd3d3;stroke:#c00;stroke-width:2}\n"
	".cmr{fill:#9edae5;stroke:#17becf}\n"
	".tdxmem{stroke:#333;stroke-width:0.3}\n"
	".epc{fill:#bcbd22;stroke:#6b6b10}\n"
	".hotadd{fill:#fff;stroke:#7f7f7f;stroke-dasharray:4 2}\n"
	".hotadd.conv{fill:#e5f5e0}\n"
	".verdict.ok{fill:#2ca02c;font-weight:bold}\n"
	".verdict.fail{fill:#c00;font-weight:bold}\n"
	".node{fill:#fff;stroke:#333;stroke-width:1.2;rx:6}\n"
	".node.crypto{stroke:#2ca02c;stroke-width:2.5}\n"
	".pref{stroke:#d62728;stroke-width:2;fill:none}\n"
	".fallback{stroke:#999;stroke-width:1.2;stroke-dasharray:5 3;fill:none}\n"
	".wm{stroke-width:1;stroke-dasharray:3 3;fill:none}\n"
	".line{stroke-width:1.6;fill:none}\n"
	".limit{stroke:#c00;stroke-width:1.2;stroke-dasharray:6 3;fill:none}\n"
	".mark{stroke:#9467bd;stroke-width:1;stroke-dasharray:2 2}\n"
	"</style>\n";

const char *pic_color(int i)
{
	static const char *const palette[] = {
		"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22",
		"#d62728",
	};

	return palette[(unsigned int)i % CM_ARRAY_SIZE(palette)];
}

const struct cm_report_item *pic_child(const struct cm_report_item *item, const char *key)
{
	for (const struct cm_report_item *c = item ? item->first : NULL; c; c = c->next)
		if (c->key && !strcmp(c->key, key))
			return c;
	return NULL;
}

uint64_t pic_u64(const struct cm_report_item *item, const char *key, uint64_t fallback)
{
	const struct cm_report_item *c = key ? pic_child(item, key) : item;

	if (!c)
		return fallback;
	switch (c->type) {
	case CM_REPORT_U64:
	case CM_REPORT_BYTES:
	case CM_REPORT_ADDR:
		return c->v.u64;
	case CM_REPORT_INT:
		return (uint64_t)(int64_t)c->v.i;
	case CM_REPORT_BOOL:
		return c->v.b;
	default:
		return fallback;
	}
}

int pic_int(const struct cm_report_item *item, const char *key, int fallback)
{
	const struct cm_report_item *c = pic_child(item, key);

	return c && c->type == CM_REPORT_INT ? c->v.i : (int)pic_u64(item, key, (uint64_t)(int64_t)fallback);
}

const char *pic_string(const struct cm_report_item *item, const char *key)
{
	const struct cm_report_item *c = pic_child(item, key);

	return c && c->type == CM_REPORT_STRING ? c->v.s : "";
}

size_t pic_count(const struct cm_report_item *item)
{
	size_t n = 0;

	for (const struct cm_report_item *c = item ? item->first : NULL; c; c = c->next)
		n++;
	return n;
}

void pic_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

void pic_size(char *buf, size_t len, uint64_t bytes)
{
	cm_format_human_size(bytes, buf, len);
}

static const struct pic_drawer *find_drawer(const char *name)
{
	for (size_t i = 0; i < CM_ARRAY_SIZE(drawers); i++)
		if (!strcmp(drawers[i].name, name))
			return &drawers[i];
	return NULL;
}

static int draw_one(const struct pic_drawer *d, const struct cm_report_item *item, pic_visit_fn fn, void *ctx)
{
	char *buf = NULL;
	size_t len = 0;
	int width = 0, height = 0, ret;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
	ret = d->draw(item, f, &width, &height);
	if (fclose(f) && !ret)
		ret = -ENOMEM;
	if (!ret)
		ret = fn(d, buf, len, width, height, ctx);
	free(buf);
	return ret;
}

static int visit(const struct cm_report_item *item, pic_visit_fn fn, void *ctx)
{
	const struct pic_drawer *d = item->picture ? find_drawer(item->picture) : NULL;
	int ret = d ? draw_one(d, item, fn, ctx) : 0;

	for (const struct cm_report_item *c = item->first; c && !ret; c = c->next)
		ret = visit(c, fn, ctx);
	return ret;
}

int pic_for_each(const struct cm_report *r, pic_visit_fn fn, void *ctx)
{
	return visit(&r->document, fn, ctx);
}

/* The SVG document: every picture below the last, each under its heading. */
struct svg_stack {
	FILE *body;
	int width, height;
};

#define SVG_HEADING_PX 28

static int stack_picture(const struct pic_drawer *d, const char *svg, size_t len, int width, int height, void *ctx)
{
	struct svg_stack *s = ctx;

	fprintf(s->body, "<text class=\"h\" x=\"8\" y=\"%d\">%s</text>\n", s->height + 20, d->title);
	fprintf(s->body, "<g transform=\"translate(0,%d)\">\n", s->height + SVG_HEADING_PX);
	fwrite(svg, 1, len, s->body);
	fputs("</g>\n", s->body);
	s->height += height + SVG_HEADING_PX + 12;
	if (width > s->width)
		s->width = width;
	return 0;
}

static int svg_render(const struct cm_report *r, const struct cm_report_style *style, FILE *f)
{
	struct svg_stack s = { .width = 400 };
	char *buf = NULL;
	size_t len = 0;
	int ret;

	(void)style;
	s.body = open_memstream(&buf, &len);
	if (!s.body)
		return -ENOMEM;
	ret = pic_for_each(r, stack_picture, &s);
	if (fclose(s.body) && !ret)
		ret = -ENOMEM;
	if (!ret) {
		if (!s.height)
			s.height = 30;
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
			s.width, s.height, s.width, s.height);
		fputs(svg_style, f);
		fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", s.width, s.height);
		if (!len)
			fputs("<text x=\"8\" y=\"20\">This report has no pictures.</text>\n", f);
		fwrite(buf, 1, len, f);
		fputs("</svg>\n", f);
	}
	free(buf);
	if (ret)
		return ret;
	return ferror(f) ? -EIO : 0;
}

const char *pic_svg_style(void)
{
	return svg_style;
}

const struct cm_report_renderer_operations cm_report_svg_ops = {
	.name = "svg",
	.render = svg_render,
};
