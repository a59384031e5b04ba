// SPDX-License-Identifier: MIT
/*
 * confmem nodes: per-node capability (SPEC 4).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "confmem/numa.h"
#include "table.h"

/* --nodemask WHICH: which nodes, as numactl's and the kernel's node lists. */
enum nodes_mask { NODEMASK_NONE, NODEMASK_CAPABLE, NODEMASK_TDX, NODEMASK_ALL, NODEMASK_CPU, NODEMASK_NR };
static const char *const nodemask_names[NODEMASK_NR] = {
	[NODEMASK_CAPABLE] = "capable",	/* crypto_capable: all memory inside the CMRs */
	[NODEMASK_TDX] = "tdx",		/* with TDX memory (in the TDX memory list) */
	[NODEMASK_ALL] = "all",
	[NODEMASK_CPU] = "cpu",		/* with CPUs */
};

struct nodes_cmd {
	struct cli cli;
	enum nodes_mask nodemask;
	struct cli_node_list node;	/* --node LIST */
	unsigned int kinds;		/* --kind KIND: CM_NODE_KIND_BIT of it, 0 for every kind */
	const char *output;	/* -o COLUMNS */
	bool no_headings;
	bool raw;
	bool bytes;
	const char *export_sysfs;
	bool force;
	struct cli_pictures pictures;
};
CLI_ARGS_CHECK(struct nodes_cmd);

static int option_nodemask(void *base, void *value, const char *arg)
{
	(void)base;
	for (int i = NODEMASK_NONE + 1; i < NODEMASK_NR; i++)
		if (!strcmp(arg, nodemask_names[i])) {
			*(enum nodes_mask *)value = (enum nodes_mask)i;
			return 0;
		}
	return cli_bad_input("--nodemask: expected capable, tdx, all or cpu, found \"%s\"", arg);
}

static const char *kind_word(size_t i)
{
	return i < CM_NODE_NR_KINDS ? cm_node_kind_name((enum cm_node_kind)i) : NULL;
}

static int option_kind(void *base, void *value, const char *arg)
{
	enum cm_node_kind kind;
	char kinds[128];
	size_t len = 0;

	(void)base;
	if (!cm_node_kind_from_name(arg, &kind)) {
		*(unsigned int *)value = CM_NODE_KIND_BIT(kind);
		return 0;
	}
	for (size_t i = 0; i < CM_NODE_NR_KINDS && len < sizeof(kinds); i++)
		len += (size_t)snprintf(kinds + len, sizeof(kinds) - len, "%s%s", !i ? "" :
					i + 1 == CM_NODE_NR_KINDS ? " or " : ", ", kind_word(i));
	return cli_bad_input("--kind: expected %s, found \"%s\"", kinds, arg);
}

/* The table's columns, as lsmem's: -o names them, * marks the default set. */
enum nodes_column { COL_NODE, COL_CPUS, COL_PACKAGE, COL_KIND, COL_MEMORY, COL_CRYPTO, COL_TDX, COL_PAMT, COL_TIER, COL_DEMOTION,
		    COL_ADISTANCE, COL_FALLBACK, COL_DISTANCES, NR_NODES_COLUMNS };
static const struct cli_table_column nodes_columns[NR_NODES_COLUMNS] = {
	[COL_NODE] = { "node", "the node id", true, true },
	[COL_CPUS] = { "cpus", "its CPUs (list syntax)", false, true },
	[COL_PACKAGE] = { "package", "the physical package (socket) of its CPUs", true, false },
	[COL_KIND] = { "kind", "dram, pmem, cxl, hbm", false, true },
	[COL_MEMORY] = { "memory", "boot memory", true, true },
	[COL_CRYPTO] = { "crypto_capable", "1 when all its memory is inside the CMRs", true, true },
	[COL_TDX] = { "tdx_memory", "its TDX memory", true, true },
	[COL_PAMT] = { "pamt", "the PAMT placed on it", true, true },
	[COL_TIER] = { "tier", "memory_tierN", false, true },
	[COL_DEMOTION] = { "demotion", "preferred demotion targets", false, true },
	[COL_ADISTANCE] = { "adistance", "abstract distance", true, false },
	[COL_FALLBACK] = { "fallback", "every lower-tier node reclaim may demote to", false, false },
	[COL_DISTANCES] = { "distances", "the SLIT row (numactl -H)", false, false },
};

static const char *column_word(size_t i)
{
	return i < NR_NODES_COLUMNS ? nodes_columns[i].name : NULL;
}

static void print_columns(FILE *f)
{
	cli_table_help(f, nodes_columns, NR_NODES_COLUMNS);
}

const struct cli_option nodes_options[] = {
	CLI_PLATFORM_OPTIONS("also the fallback order and demotion targets, as the kernel prints them at boot"),
	OPT_GROUP(""),
	OPT_CALLBACK(0, "nodemask", struct nodes_cmd, nodemask, "capable|tdx|all|cpu",
		     "print the crypto-capable nodes, those with TDX memory, all, or those with CPUs, in list syntax "
		     "(0-1,4)", option_nodemask),
	OPT_STRING(0, "export-sysfs", struct nodes_cmd, export_sysfs, "DIR",
		   "write DIR/sys/devices/system/{node,memory} and DIR/proc/iomem in the kernel's formats, "
		   "which --live --sysroot DIR reads back (DIR empty or new)"),
	OPT_BOOLEAN(0, "force", struct nodes_cmd, force, "with --export-sysfs: write into a non-empty DIR"),
	OPT_GROUP("Which nodes (rows of the table and of --json, nodes of --nodemask; both: the nodes of both):"),
	OPT_CALLBACK(0, "node", struct nodes_cmd, node, "LIST",
		     "only these nodes (list syntax, 0-1,4), each one a node of the platform", cli_option_node_list),
	OPT_CALLBACK_WORD(0, "kind", struct nodes_cmd, kinds, "KIND", "only the nodes of this kind", option_kind,
			  kind_word),
	OPT_GROUP("Table (as lsmem):"),
	OPT_STRING_LIST('o', "output", struct nodes_cmd, output, "COLUMNS", "the columns to print, by name (below)",
			column_word),
	OPT_BOOLEAN('n', "noheadings", struct nodes_cmd, no_headings, "no header line"),
	OPT_BOOLEAN('r', "raw", struct nodes_cmd, raw, "one space between cells (a blank inside one as \\x20), - for an empty one"),
	OPT_BOOLEAN('b', "bytes", struct nodes_cmd, bytes, "sizes in bytes"),
	OPT_HELP_FN(print_columns),
	CLI_FLEET_OPTIONS,
	OPT_STRING(0, "svg", struct nodes_cmd, pictures.svg, "FILE", CLI_SVG_HELP),
	OPT_END(),
};

/* The JSON's rows: every field, no text (the text is the table). */
static const struct cm_report_nodes_layout nodes_json_layout;

static char *size_cell(uint64_t bytes, bool in_bytes)
{
	char buf[64];

	if (in_bytes)
		snprintf(buf, sizeof(buf), "%" PRIu64, bytes);
	else
		cm_format_human_size(bytes, buf, sizeof(buf));
	return strdup(buf);
}

static char *mask_cell(cm_nodemask_t mask)
{
	char buf[256];

	cm_nodemask_format(mask, buf, sizeof(buf));
	return strdup(mask ? buf : "-");
}

static char *int_cell(int v)
{
	char buf[16];

	if (v < 0)
		return strdup("-");
	snprintf(buf, sizeof(buf), "%d", v);
	return strdup(buf);
}

/* The SLIT row of node @i, "10 21 14 24". */
static char *distances_cell(const struct cm_platform *p, size_t i)
{
	size_t len = 0, size = 4 * p->nr_nodes + 1;
	char *text = malloc(size);

	if (!text)
		return NULL;
	text[0] = '\0';
	for (size_t j = 0; j < p->nr_nodes && len < size; j++)
		len += (size_t)snprintf(text + len, size - len, "%s%u", j ? " " : "", p->distance[i * p->nr_nodes + j]);
	return text;
}

/* Every column's text for node @i, in @row (NR_NODES_COLUMNS strings). */
static void node_cells(const struct cli_boot *b, size_t i, bool in_bytes, char **row)
{
	const struct cm_node *n = &b->platform->nodes[i];
	const struct cm_node_capability *cap = &b->caps[i];
	size_t len = cm_bitmap_format_list(&n->cpus, NULL, 0) + 1;
	int tier = cm_tiering_tier_id(&b->tiering, n->id);

	row[COL_NODE] = int_cell(n->id);
	row[COL_CPUS] = malloc(len < 2 ? 2 : len);	/* room for "-" */
	if (row[COL_CPUS]) {
		cm_bitmap_format_list(&n->cpus, row[COL_CPUS], len);
		if (!row[COL_CPUS][0])
			strcpy(row[COL_CPUS], "-");
	}
	row[COL_PACKAGE] = int_cell(n->package);
	row[COL_KIND] = strdup(cm_node_kind_name(n->kind));
	row[COL_MEMORY] = size_cell(cm_node_memory_bytes(n), in_bytes);
	row[COL_CRYPTO] = int_cell(cap->crypto_capable);
	row[COL_TDX] = size_cell(cap->tdx_memory_bytes, in_bytes);
	row[COL_PAMT] = size_cell(cap->pamt_bytes, in_bytes);
	row[COL_TIER] = int_cell(tier);
	row[COL_DEMOTION] = mask_cell(b->tiering.preferred[n->id]);
	row[COL_ADISTANCE] = int_cell(tier >= 0 ? b->tiering.adistance[n->id] : -1);
	row[COL_FALLBACK] = mask_cell(b->tiering.lower_tier[n->id]);
	row[COL_DISTANCES] = distances_cell(b->platform, i);
}

/* The table of the nodes of @selected as text (NULL when out of memory). */
static char *nodes_table(const struct nodes_cmd *args, const struct cli_boot *b, cm_nodemask_t selected)
{
	struct cli_table t = { .columns = nodes_columns, .nr_columns = NR_NODES_COLUMNS,
			       .no_headings = args->no_headings, .raw = args->raw };
	size_t nr_rows = 0, nr, len = 0;
	char **cells, *text = NULL;
	bool complete;
	FILE *f;

	for (size_t i = 0; i < b->platform->nr_nodes; i++)
		nr_rows += cm_node_isset(selected, b->platform->nodes[i].id);
	nr = nr_rows * NR_NODES_COLUMNS;
	cells = calloc(nr ? nr : 1, sizeof(*cells));
	complete = cells != NULL;
	cli_table_select(&t, args->output);	/* checked when the options were read */
	for (size_t i = 0, row = 0; complete && i < b->platform->nr_nodes; i++)
		if (cm_node_isset(selected, b->platform->nodes[i].id))
			node_cells(b, i, args->bytes, cells + row++ * NR_NODES_COLUMNS);
	for (size_t i = 0; complete && i < nr; i++)
		complete = cells[i] != NULL;
	f = complete ? open_memstream(&text, &len) : NULL;
	if (f && (cli_table_print(f, &t, cells, nr_rows) | fclose(f))) {
		free(text);
		text = NULL;
	}
	for (size_t i = 0; cells && i < nr; i++)
		free(cells[i]);
	free(cells);
	return text;
}

/* The table of the nodes of @selected (the JSON array), the capability log, and -v's tiering log. */
static int show_nodes(const struct cli *c, const struct nodes_cmd *args, const struct cli_boot *b,
		      cm_nodemask_t selected)
{
	const struct cli_pictures *pictures = &args->pictures;
	struct cm_report *r = cm_report_new();
	struct cm_report_item *doc;
	char line[4200], *table = NULL;
	int ret;

	if (!r || (!c->json && !(table = nodes_table(args, b, selected)))) {
		cm_report_free(r);
		return cli_bad_input("out of memory");
	}
	cli_prepare_pictures(r, pictures);
	doc = cm_report_document(r);
	if (table)
		cm_report_add_text(doc, table);
	free(table);
	cm_report_add_nodes_in(doc, "nodes", b->platform, b->caps, &b->tiering, &nodes_json_layout, selected);
	cm_report_add_log(doc, NULL, &b->cap_log, "");
	if (c->verbose)
		cm_report_add_log(doc, NULL, &b->tiering.log, "");
	if (args->export_sysfs) {
		snprintf(line, sizeof(line), "sysfs tree written under %s\n", args->export_sysfs);
		cm_report_add_text(doc, line);
	}
	ret = cli_show_report(c, r);
	if (!ret)
		ret = cli_write_pictures(c, r, pictures);
	cm_report_free(r);
	return ret;
}

/* -o, -n, -r and -b shape the table: not with --json or --nodemask; -o's names are checked here. */
static int check_table_options(const struct nodes_cmd *args)
{
	struct cli_table t = { .columns = nodes_columns, .nr_columns = NR_NODES_COLUMNS };
	bool table = args->output || args->no_headings || args->raw || args->bytes;

	if (table && args->cli.json)
		return cli_bad_input("-o, -n, -r and -b shape the table; --json prints every field (docs/json.md)");
	if (table && args->nodemask)
		return cli_bad_input("-o, -n, -r and -b shape the table; --nodemask prints a node list");
	return cli_table_select(&t, args->output);
}

static bool node_in_mask(const struct cm_node *n, const struct cm_node_capability *cap, enum nodes_mask which)
{
	switch (which) {
	case NODEMASK_CAPABLE:
		return cap->crypto_capable;
	case NODEMASK_TDX:
		return cap->tdx_memory;
	case NODEMASK_CPU:
		return cm_bitmap_weight(&n->cpus) > 0;
	default:
		return true;
	}
}

/* The list line of the nodes of @selected that are @which (numactl's syntax); JSON: {nodemask, list, nodes}. */
static int show_nodemask(const struct cli *c, const struct cli_boot *b, enum nodes_mask which,
			 cm_nodemask_t selected)
{
	struct cm_report *r = cm_report_new();
	struct cm_report_item *o;
	cm_nodemask_t mask = 0;
	char list[256], line[258];
	int ret;

	if (!r)
		return cli_bad_input("out of memory");
	for (size_t i = 0; i < b->platform->nr_nodes; i++)
		if (node_in_mask(&b->platform->nodes[i], &b->caps[i], which))
			cm_node_set(&mask, b->platform->nodes[i].id);
	mask &= selected;
	cm_nodemask_format(mask, list, sizeof(list));
	snprintf(line, sizeof(line), "%s\n", list);
	o = cm_report_add_object(cm_report_document(r), "nodemask", NULL);
	cm_report_add_string(o, "nodemask", NULL, nodemask_names[which]);
	cm_report_add_string(o, "list", NULL, list);
	cm_report_add_nodemask(o, "nodes", NULL, mask);
	cm_report_add_text(o, line);
	ret = cli_show_report(c, r);
	cm_report_free(r);
	return ret;
}

static int export_sysfs(const struct nodes_cmd *args, const struct cli_boot *b)
{
	struct cm_sysfs_export_options opts = {
		.existing = args->force ? CM_SYSFS_EXPORT_REPLACE : CM_SYSFS_EXPORT_REFUSE_NONEMPTY,
	};
	struct cm_error err = { 0 };
	int ret = cm_export_sysfs(b->platform, b->caps, args->export_sysfs, &opts, &err);

	if (ret == -ENOTEMPTY)
		return cli_bad_input("--export-sysfs: %s (--force writes into it)", err.msg);
	if (ret)
		return cli_bad_input("--export-sysfs: %s", err.msg);
	return 0;
}

/* The nodes --node and --kind select (every node without them). */
static int select_nodes(const struct nodes_cmd *args, const struct cli_boot *b, cm_nodemask_t *selected)
{
	struct cm_report_node_filter filter = { .nodes = args->node.given ? args->node.mask : 0,
						.kinds = args->kinds };
	struct cm_error err = { 0 };

	if (cm_report_select_nodes(b->platform, &filter, selected, &err))
		return cli_bad_input("--node: %s", err.msg);
	return 0;
}

int cmd_nodes(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct nodes_cmd args = { 0 };
	struct cli *c = &args.cli;
	struct cli_boot b;
	cm_nodemask_t selected;
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (args.force && !args.export_sysfs)
		return cli_bad_input("--force goes with --export-sysfs");
	if (cli_fleet_requested(c)) {
		if (args.export_sysfs || args.nodemask || args.pictures.svg || args.node.given || args.kinds)
			return cli_bad_input("--export-sysfs, --nodemask, --svg, --node and --kind take one platform, "
					     "not a fleet");
		return cli_fleet_run(c, cli_fleet_nodes_host);
	}
	if (args.nodemask && args.pictures.svg)
		return cli_bad_input("--svg draws the table of nodes: give it without --nodemask");
	ret = check_table_options(&args);
	if (ret)
		return ret;
	ret = cli_boot_load(c, &b);
	if (ret)
		return ret;
	ret = select_nodes(&args, &b, &selected);
	if (!ret && args.export_sysfs)
		ret = export_sysfs(&args, &b);
	if (ret)
		goto out;
	if (args.nodemask)
		ret = show_nodemask(c, &b, args.nodemask, selected);
	else
		ret = show_nodes(c, &args, &b, selected);
out:
	cli_boot_free(&b);
	return ret;
}
