// SPDX-License-Identifier: MIT
/*
 * The physical address map (picture "address_map", beside a plan): lanes
 * for the e820 map, each node's memory, hot-add windows, EPC sections,
 * CMRs, TDX memory, TDMRs with their reserved areas, and PAMT blocks, on
 * one broken axis (svg_axis.c); the plan's verdict, log and advice above;
 * below, each TDMR with reserved areas on its own axis, the areas counted
 * against the module's limit and those over it in red.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/names.h"
#include "report/picture.h"
#include "report/svg_axis.h"

enum range_kind { R_E820, R_NODE, R_HOTADD, R_EPC, R_CMR, R_TDXMEM, R_TDMR, R_RSVD, R_PAMT };

struct map_range {
	uint64_t start, end;
	enum range_kind kind;
	int lane;
	int index;		/* the entry's number (CMR i, TDMR i, reserved area i) */
	int node;		/* -1 when none */
	int tdmr;		/* reserved areas and PAMT: the TDMR's number */
	bool detail;		/* drawn in a TDMR's own panel */
	uint64_t nr_reserved;	/* a TDMR's reserved areas, as the plan counts them */
	unsigned int nr_merged;	/* more than one: a dense stretch of that many ranges drawn as one */
	bool over;		/* a TDMR over its limit of reserved areas, or an area past it */
	const char *what;	/* e820 type, node kind, PAMT level */
};

#define MAP_MAX_LANES (CM_MAX_NUMNODES + 8)

struct map {
	struct map_range *r;
	size_t nr, cap;
	const char *lanes[MAP_MAX_LANES];
	char node_lanes[CM_MAX_NUMNODES][32];
	int nr_lanes;
	struct pic_axis axis;
	unsigned int max_reserved;
	bool detail;		/* one TDMR: reserved areas full height, numbered */
};

#define MAP_LEFT 112
#define LANE_PX 22
#define LANE_GAP 5
#define MAP_MAX_DETAILS 6
/* More ranges of a kind in a lane than this are drawn in groups (40 000 /proc/iomem lines). */
#define MAP_MAX_PER_LANE 400
#define MAP_NR_KINDS (R_PAMT + 1)
/* In such a lane, a gap under this fraction of the lane's span is too small to see. */
#define MAP_DENSE_FRACTION 4096

static int map_add(struct map *m, const struct map_range *r)
{
	if (r->end <= r->start)
		return 0;
	if (m->nr == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct map_range *n = realloc(m->r, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		m->r = n;
		m->cap = cap;
	}
	m->r[m->nr++] = *r;
	return 0;
}

static int map_lane(struct map *m, const char *name)
{
	for (int i = 0; i < m->nr_lanes; i++)
		if (!strcmp(m->lanes[i], name))
			return i;
	if (m->nr_lanes == MAP_MAX_LANES)
		return m->nr_lanes - 1;
	m->lanes[m->nr_lanes] = name;
	return m->nr_lanes++;
}

static int add_rows(struct map *m, const struct cm_report_item *array, enum range_kind kind, const char *lane)
{
	int index = 0, ret = 0;

	for (const struct cm_report_item *row = array ? array->first : NULL; row && !ret; row = row->next) {
		struct map_range r = { .kind = kind, .index = index++, .node = pic_int(row, "node", -1), .tdmr = -1 };
		uint64_t start = pic_u64(row, pic_child(row, "start") ? "start" : "base", 0);

		r.start = start;
		r.end = pic_child(row, "end") ? pic_u64(row, "end", 0) : start + pic_u64(row, "size", 0);
		r.what = kind == R_E820 ? pic_string(row, "type") : pic_string(row, "kind");
		if (kind == R_NODE && r.node >= 0 && r.node < CM_MAX_NUMNODES) {
			snprintf(m->node_lanes[r.node], sizeof(m->node_lanes[r.node]), "node %d (%s)", r.node, r.what);
			r.lane = map_lane(m, m->node_lanes[r.node]);
		} else {
			r.lane = map_lane(m, lane);
		}
		if (kind == R_HOTADD)
			r.over = pic_u64(row, "convertible", 0);
		ret = map_add(m, &r);
	}
	return ret;
}

static bool tdmr_failed(const struct cm_report_item *plan, const struct cm_report_item *tdmr, unsigned int max)
{
	char needle[40];

	if (pic_u64(tdmr, "nr_reserved", 0) > max)
		return true;
	snprintf(needle, sizeof(needle), "TDMR [0x%" PRIx64 ",", pic_u64(tdmr, "base", 0));
	return strstr(pic_string(plan, "error"), needle) != NULL;
}

static int add_tdmr(struct map *m, const struct cm_report_item *plan, const struct cm_report_item *t, int i,
		    const char *const lanes[3])
{
	static const char *const levels[] = { "pamt_4k", "pamt_2m", "pamt_1g" };
	uint64_t base = pic_u64(t, "base", 0);
	struct map_range r = { .start = base, .end = base + pic_u64(t, "size", 0), .kind = R_TDMR, .index = i,
			       .node = pic_int(t, "node", -1), .tdmr = i, .lane = map_lane(m, lanes[0]) };
	int j = 0, ret;

	r.over = tdmr_failed(plan, t, m->max_reserved);
	r.nr_reserved = pic_u64(t, "nr_reserved", 0);
	ret = map_add(m, &r);
	for (const struct cm_report_item *a = pic_child(t, "reserved") ? pic_child(t, "reserved")->first : NULL;
	     a && !ret; a = a->next, j++) {
		struct map_range rs = { .kind = R_RSVD, .index = j, .node = -1, .tdmr = i, .lane = map_lane(m, lanes[1]) };

		rs.start = base + pic_u64(a, "offset", 0);
		rs.end = rs.start + pic_u64(a, "size", 0);
		rs.over = (unsigned int)j >= m->max_reserved;
		rs.nr_reserved = r.nr_reserved;
		ret = map_add(m, &rs);
	}
	for (int l = 0; l < 3 && !ret; l++) {
		const struct cm_report_item *p = pic_child(t, levels[l]);
		struct map_range rp = { .kind = R_PAMT, .index = l, .node = r.node, .tdmr = i, .what = levels[l] + 5 };

		rp.start = pic_u64(p, "base", 0);
		rp.end = rp.start + pic_u64(p, "size", 0);
		if (rp.end > rp.start)
			rp.lane = map_lane(m, lanes[2]);
		ret = map_add(m, &rp);
	}
	return ret;
}

static int collect_overview(struct map *m, const struct cm_report_item *pic)
{
	static const char *const tdmr_lanes[3] = { "TDMRs", "TDMRs", "PAMT" };
	const struct cm_report_item *plan = pic->parent;
	int ret = add_rows(m, pic_child(pic, "e820"), R_E820, "e820");
	int i = 0;

	if (!ret)
		ret = add_rows(m, pic_child(pic, "node_memory"), R_NODE, NULL);
	if (!ret)
		ret = add_rows(m, pic_child(pic, "hotplug"), R_HOTADD, "hot-add");
	if (!ret)
		ret = add_rows(m, pic_child(pic, "epc"), R_EPC, "SGX EPC");
	if (!ret && pic_u64(pic, "tdx", 0)) {
		ret = add_rows(m, pic_child(plan, "cmrs"), R_CMR, "CMRs");
		if (!ret)
			ret = add_rows(m, pic_child(plan, "tdx_memory"), R_TDXMEM, "TDX memory");
		for (const struct cm_report_item *t = pic_child(plan, "tdmrs") ? pic_child(plan, "tdmrs")->first : NULL;
		     t && !ret; t = t->next)
			ret = add_tdmr(m, plan, t, i++, tdmr_lanes);
	}
	return ret;
}

/*
 * A lane with more ranges of a kind than can be told apart (40 000 lines
 * of /proc/iomem): each run of ranges whose gaps are too small to see at
 * the lane's scale becomes one range, so that the file stays small and
 * the gaps that matter stay visible. Never across TDMRs.
 */
static void coalesce_lanes(struct map *m)
{
	size_t count[MAP_MAX_LANES][MAP_NR_KINDS] = { { 0 } }, head[MAP_MAX_LANES][MAP_NR_KINDS] = { { 0 } };
	uint64_t low[MAP_MAX_LANES][MAP_NR_KINDS], high[MAP_MAX_LANES][MAP_NR_KINDS] = { { 0 } };
	bool started[MAP_MAX_LANES][MAP_NR_KINDS] = { { false } };
	size_t w = 0;

	memset(low, 0xff, sizeof(low));
	for (size_t i = 0; i < m->nr; i++) {
		struct map_range *r = &m->r[i];

		count[r->lane][r->kind]++;
		low[r->lane][r->kind] = r->start < low[r->lane][r->kind] ? r->start : low[r->lane][r->kind];
		high[r->lane][r->kind] = r->end > high[r->lane][r->kind] ? r->end : high[r->lane][r->kind];
	}
	for (size_t i = 0; i < m->nr; i++) {
		struct map_range r = m->r[i];
		uint64_t close = (high[r.lane][r.kind] - low[r.lane][r.kind]) / MAP_DENSE_FRACTION;
		struct map_range *h = &m->r[head[r.lane][r.kind]];

		/* A TDMR's reserved areas merge only when it has too many of its own. */
		size_t n = r.kind == R_RSVD ? r.nr_reserved : count[r.lane][r.kind];

		if (n > MAP_MAX_PER_LANE && started[r.lane][r.kind] && h->tdmr == r.tdmr &&
		    r.start >= h->start && r.start <= h->end + close) {
			h->end = r.end > h->end ? r.end : h->end;
			h->nr_merged++;
			h->over |= r.over;
			continue;
		}
		r.nr_merged = 1;
		head[r.lane][r.kind] = w;
		started[r.lane][r.kind] = true;
		m->r[w++] = r;
	}
	m->nr = w;
}

/* Lay the ranges out on an axis of about @width pixels. */
static int map_layout(struct map *m, double width)
{
	int ret = 0;
	size_t nr_widened;

	m->axis.left = MAP_LEFT;
	for (size_t i = 0; i < m->nr && !ret; i++) {
		ret = axis_add(&m->axis, m->r[i].start);
		if (!ret)
			ret = axis_add(&m->axis, m->r[i].end);
	}
	if (!ret)
		ret = axis_sort(&m->axis);
	if (ret)
		return ret;
	for (size_t i = 0; i < m->nr; i++)
		axis_cover(&m->axis, m->r[i].start, m->r[i].end);
	nr_widened = m->axis.nr_bp;
	if (width < (double)nr_widened * (m->axis.min_px + 1))
		width = (double)nr_widened * (m->axis.min_px + 1);
	axis_layout(&m->axis, width);
	return 0;
}

static const char *e820_fill(const char *type)
{
	static const struct {
		const char *type, *fill;
	} fills[] = {
		{ "usable", "#c7e9c0" }, { "reserved", "#d0d0d0" }, { "acpi", "#fdd0a2" }, { "nvs", "#fdae6b" },
		{ "pmem", "#dadaeb" }, { "soft-reserved", "#c6dbef" }, { "unusable", "#969696" },
	};

	for (size_t i = 0; i < CM_ARRAY_SIZE(fills); i++)
		if (!strcmp(fills[i].type, type))
			return fills[i].fill;
	return "#eee";
}

/* The class, fill and label of a range, and its hover title. */
static void range_style(const struct map_range *r, char *cls, size_t cls_len, char *fill, size_t fill_len,
			char *label, size_t label_len)
{
	static const char *const classes[] = { "e820", "mem", "hotadd", "epc", "cmr", "tdxmem", "tdmr", "rsvd", "pamt" };

	snprintf(cls, cls_len, "%s%s%s", classes[r->kind], r->kind == R_RSVD && !r->detail ? "map" : "",
		 r->over ? (r->kind == R_TDMR ? " fail" : r->kind == R_HOTADD ? " conv" : " over") : "");
	fill[0] = label[0] = '\0';
	if (r->kind == R_E820)
		snprintf(fill, fill_len, " fill=\"%s\"", e820_fill(r->what));
	if (r->kind == R_NODE || r->kind == R_TDXMEM)
		snprintf(fill, fill_len, " fill=\"%s\" fill-opacity=\"%s\"", pic_color(r->node),
			 r->kind == R_NODE ? "0.55" : "0.8");
	if (r->nr_merged > 1)
		snprintf(label, label_len, "%u ranges", r->nr_merged);
	else if (r->kind == R_E820)
		snprintf(label, label_len, "%s", r->what);
	else if (r->kind == R_NODE || r->kind == R_TDXMEM || r->kind == R_HOTADD || r->kind == R_EPC)
		snprintf(label, label_len, "node %d", r->node);
	else if (r->kind == R_TDMR)
		snprintf(label, label_len, "TDMR %d%s", r->index, r->over ? " FAILED" : "");
	else if (r->kind == R_CMR)
		snprintf(label, label_len, "CMR %d", r->index);
	else if (r->kind == R_RSVD)
		snprintf(label, label_len, "%d", r->index + 1);
}

static void range_title(FILE *f, const struct map_range *r, unsigned int max_reserved)
{
	char size[32];

	pic_size(size, sizeof(size), r->end - r->start);
	fputs("<title>", f);
	if (r->nr_merged > 1)
		fprintf(f, "%u ranges, too many to draw one by one, in ", r->nr_merged);
	fprintf(f, "[0x%" PRIx64 ", 0x%" PRIx64 ") %s", r->start, r->end, size);
	switch (r->kind) {
	case R_E820:
		fprintf(f, ", e820 %s", r->what);
		break;
	case R_NODE:
		fprintf(f, ", node %d %s memory", r->node, r->what);
		break;
	case R_HOTADD:
		fprintf(f, ", hot-add window for node %d, %s", r->node, r->over ? "convertible" : "not convertible");
		break;
	case R_EPC:
		fprintf(f, ", SGX EPC section on node %d", r->node);
		break;
	case R_CMR:
		fprintf(f, ", CMR %d", r->index);
		break;
	case R_TDXMEM:
		fprintf(f, ", TDX memory on node %d", r->node);
		break;
	case R_TDMR:
		fprintf(f, ", TDMR %d%s", r->index, r->over ? ": failed" : "");
		break;
	case R_RSVD:
		fprintf(f, ", TDMR %d reserved area %d (%u allowed)%s", r->tdmr, r->index + 1, max_reserved,
			r->over ? ": over the limit" : "");
		break;
	case R_PAMT:
		fprintf(f, ", PAMT %s of TDMR %d on node %d", r->what, r->tdmr, r->node);
		break;
	}
	fputs("</title>", f);
}

static void draw_range(const struct map *m, FILE *f, const struct map_range *r, int y0)
{
	double x0 = axis_x(&m->axis, r->start), x1 = axis_x(&m->axis, r->end);
	int y = y0 + r->lane * (LANE_PX + LANE_GAP), h = LANE_PX;
	char cls[32], fill[64], label[48];

	range_style(r, cls, sizeof(cls), fill, sizeof(fill), label, sizeof(label));
	if (r->kind == R_RSVD && !r->detail) {
		y += LANE_PX / 2;
		h = LANE_PX / 2;
	}
	if (x1 - x0 < 1)
		x1 = x0 + 1;
	fprintf(f, "<rect class=\"%s\"%s x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"", cls, fill, x0, y, x1 - x0, h);
	if (r->detail && r->kind == R_RSVD)
		fprintf(f, " data-tdmr=\"%d\" data-area=\"%d\"", r->tdmr, r->index + 1);
	fputc('>', f);
	range_title(f, r, m->max_reserved);
	fputs("</rect>\n", f);
	if (r->kind != R_RSVD && label[0] && x1 - x0 > (double)strlen(label) * 6.5 + 6)
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" pointer-events=\"none\">%s</text>\n", x0 + 3, y + 15, label);
}

static int map_draw_height(const struct map *m)
{
	return m->nr_lanes * (LANE_PX + LANE_GAP) + 24;
}

/* The lanes, their ranges and the axis below; returns the height drawn. */
static int map_draw(const struct map *m, FILE *f, int y0)
{
	int y_axis = y0 + m->nr_lanes * (LANE_PX + LANE_GAP) + 2;

	for (int l = 0; l < m->nr_lanes; l++) {
		int y = y0 + l * (LANE_PX + LANE_GAP);

		fprintf(f, "<rect class=\"lane\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>\n", MAP_LEFT, y,
			m->axis.width, LANE_PX);
		fprintf(f, "<text x=\"6\" y=\"%d\">", y + 15);
		pic_escape(f, m->lanes[l]);
		fputs("</text>\n", f);
	}
	for (size_t i = 0; i < m->nr; i++)
		draw_range(m, f, &m->r[i], y0);
	axis_draw(&m->axis, f, y_axis);
	return map_draw_height(m);
}

static void map_free(struct map *m)
{
	axis_free(&m->axis);
	free(m->r);
	memset(m, 0, sizeof(*m));
}

/* Lines of a log item, wrapped at @columns. */
static int draw_lines(FILE *f, const struct cm_report_item *log, const char *cls, int y, int columns)
{
	for (size_t i = 0; log && i < log->log.nr_lines; i++) {
		const char *s = log->log.lines[i].text;

		if (log->log.lines[i].level == CM_LOG_DEBUG)
			continue;
		while (*s) {
			int len = (int)strlen(s) > columns ? columns : (int)strlen(s);
			char chunk[512];

			snprintf(chunk, sizeof(chunk), "%.*s", len, s);
			fprintf(f, "<text class=\"%s\" x=\"12\" y=\"%d\">", cls, y);
			pic_escape(f, chunk);
			fputs("</text>\n", f);
			y += 15;
			s += len;
		}
	}
	return y;
}

/* The plan's verdict, its log, diagnosis and advice: the height drawn. */
static int draw_verdict(FILE *f, const struct cm_report_item *pic, int width)
{
	const struct cm_report_item *plan = pic->parent;
	bool ok = !strcmp(pic_string(plan, "status"), "ok");
	int columns = (width - 24) / 6, y = 14;

	fprintf(f, "<text x=\"6\" y=\"%d\">Platform \"", y);
	pic_escape(f, pic_string(pic, "platform"));
	fprintf(f, "\": TDX <tspan class=\"verdict %s\">", ok ? "ok" : "fail");
	pic_escape(f, pic_u64(pic, "tdx", 0) ? pic_string(plan, "result") : "not enabled on this platform");
	fputs("</tspan></text>\n", f);
	y = draw_lines(f, pic_child(plan, "log"), "mono", y + 18, columns);
	if (pic_child(plan, "diagnosis")) {
		fprintf(f, "<text x=\"6\" y=\"%d\" font-weight=\"bold\">Diagnosis (confmem's findings):</text>\n", y + 2);
		y = draw_lines(f, pic_child(plan, "diagnosis"), "mono", y + 18, columns);
	}
	if (pic_child(plan, "advice")) {
		fprintf(f, "<text x=\"6\" y=\"%d\" font-weight=\"bold\">Advice:</text>\n", y + 2);
		y = draw_lines(f, pic_child(plan, "advice"), "mono", y + 18, columns);
	}
	return y;
}

/* Copy the ranges of @from that fall in [start, end) into @to, clipped, on @to's lanes. */
static int clip_ranges(struct map *to, const struct map *from, enum range_kind kind, int tdmr, uint64_t start,
		       uint64_t end, const char *lane)
{
	int ret = 0;

	for (size_t i = 0; i < from->nr && !ret; i++) {
		struct map_range r = from->r[i];

		if (r.kind != kind || (tdmr >= 0 && r.tdmr != tdmr) || r.end <= start || r.start >= end)
			continue;
		r.start = r.start < start ? start : r.start;
		r.end = r.end > end ? end : r.end;
		r.lane = map_lane(to, lane);
		r.detail = true;
		ret = map_add(to, &r);
	}
	return ret;
}

/* The numbers of the reserved areas above their lane, where they fit. */
static void number_areas(const struct map *d, FILE *f, int y0)
{
	double last = -1e9;

	for (size_t i = 0; i < d->nr; i++) {
		const struct map_range *r = &d->r[i];
		double x = (axis_x(&d->axis, r->start) + axis_x(&d->axis, r->end)) / 2;

		if (r->kind != R_RSVD || x - last < 13)
			continue;
		/* In the lane below the areas' own. */
		fprintf(f, "<text class=\"small\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\"%s>%d</text>\n", x,
			y0 + (r->lane + 1) * (LANE_PX + LANE_GAP) + 14, r->over ? " style=\"fill:#c00\"" : "", r->index + 1);
		last = x;
	}
}

/* One TDMR on its own axis: the height drawn. */
static int draw_tdmr_detail(FILE *f, const struct map *m, const struct map_range *t, int y, int width)
{
	struct map d = { .max_reserved = m->max_reserved, .detail = true };
	uint64_t nr_reserved = t->nr_reserved;
	char size[32];
	int ret;

	pic_size(size, sizeof(size), t->end - t->start);
	fprintf(f, "<text x=\"6\" y=\"%d\"%s>TDMR %d [0x%" PRIx64 ", 0x%" PRIx64 ") %s: %" PRIu64 " reserved areas, "
		"%u allowed%s</text>\n", y + 12, t->over ? " class=\"verdict fail\"" : " font-weight=\"bold\"",
		t->index, t->start, t->end, size, nr_reserved, m->max_reserved,
		t->over ? nr_reserved > m->max_reserved ? ": too many, the module refuses this TDMR" : ": failed" : "");
	d.axis.min_px = 12;
	d.axis.gap_px = 18;
	ret = clip_ranges(&d, m, R_TDMR, t->index, t->start, t->end, "TDMR");
	if (!ret)
		ret = clip_ranges(&d, m, R_TDXMEM, -1, t->start, t->end, "TDX memory");
	if (!ret)
		ret = clip_ranges(&d, m, R_RSVD, t->index, t->start, t->end, "reserved areas");
	if (!ret && nr_reserved)
		map_lane(&d, "area number");
	if (!ret)
		ret = clip_ranges(&d, m, R_PAMT, -1, t->start, t->end, "PAMT");
	if (!ret)
		ret = map_layout(&d, width - MAP_LEFT - 20);
	if (!ret) {
		y += 30 + map_draw(&d, f, y + 30);
		number_areas(&d, f, y - map_draw_height(&d));
	}
	map_free(&d);
	return y;
}

/* The TDMRs with reserved areas or a failure, each on its own axis. */
static int draw_tdmr_details(FILE *f, const struct map *m, int y, int width)
{
	int shown = 0, skipped = 0;

	for (size_t i = 0; i < m->nr; i++) {
		const struct map_range *t = &m->r[i];
		bool has_reserved = false;

		if (t->kind != R_TDMR)
			continue;
		for (size_t j = 0; j < m->nr && !has_reserved; j++)
			has_reserved = m->r[j].kind == R_RSVD && m->r[j].tdmr == t->index;
		if (!has_reserved && !t->over)
			continue;
		if (shown == MAP_MAX_DETAILS) {
			skipped++;
			continue;
		}
		y = draw_tdmr_detail(f, m, t, y + 8, width);
		shown++;
	}
	if (skipped)
		fprintf(f, "<text x=\"6\" y=\"%d\">%d more TDMRs with reserved areas (confmem plan lists them)</text>\n",
			y += 16, skipped);
	return y;
}

int pic_draw_address_map(const struct cm_report_item *pic, FILE *f, int *width, int *height)
{
	struct map m = { .max_reserved = (unsigned int)pic_u64(pic, "max_reserved_per_tdmr", 0) };
	int ret = collect_overview(&m, pic), y;

	coalesce_lanes(&m);
	m.axis.min_px = 3;
	m.axis.gap_px = 18;
	if (!ret)
		ret = map_layout(&m, 1080);
	if (ret) {
		map_free(&m);
		return ret;
	}
	*width = MAP_LEFT + (int)m.axis.width + 20;
	if (*width < 900)
		*width = 900;
	y = draw_verdict(f, pic, *width);
	y += map_draw(&m, f, y + 6);
	y = draw_tdmr_details(f, &m, y + 10, *width);
	*height = y + 6;
	map_free(&m);
	return 0;
}
