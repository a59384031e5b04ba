/* SPDX-License-Identifier: MIT */
/*
 * Reports: a model of what a command shows, with text and JSON renderers
 * (JSON in ndctl's style: numbers in bytes; with -u, addresses as "0x..."
 * strings and sizes as "64.00 GiB (68.72 GB)"), the builders of each
 * command's report, and a sysfs-like export of a model platform.
 */
#ifndef CONFMEM_REPORT_H
#define CONFMEM_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "confmem/hotplug.h"
#include "confmem/numa.h"
#include "confmem/platform.h"
#include "confmem/tdx.h"
#include "confmem/tiering.h"

/*
 * The report model: one description of what a command shows, and
 * renderers that turn it into text or JSON (or, later, anything else: one
 * renderer file and one row in the renderer table of model.c).
 *
 * A report is a tree. Its root, the document, holds items in order; the
 * one document item with a key is the JSON output, and items without a
 * key are text only. In an object an item's key is its JSON name (NULL:
 * text only); in an array every item is in the JSON and keys are unused.
 *
 * @text is the item's text layout: for a value, a printf format with one
 * %s for the value's text (sizes as "64.00 GiB", addresses as "0x...",
 * empty strings and node masks as "-"); for an object or array, a header
 * written before its items. A NULL @text leaves a value out of the text.
 *
 * The library never prints: renderers write to the FILE * the caller
 * passes (its stdout, a file, or open_memstream() for a buffer).
 */
struct cm_report;
struct cm_report_item;

/* The prefix of every log line the TDX code writes, as the kernel's. */
#define CM_REPORT_TDX_PREFIX CM_TDX_LOG_PREFIX

struct cm_report *cm_report_new(void);
void cm_report_free(struct cm_report *r);
/* The document: where a command adds its first items. */
struct cm_report_item *cm_report_document(struct cm_report *r);
/* -ENOMEM when an item could not be added (adders return NULL then). */
int cm_report_status(const struct cm_report *r);

struct cm_report_item *cm_report_add_object(struct cm_report_item *parent, const char *key, const char *text);
struct cm_report_item *cm_report_add_array(struct cm_report_item *parent, const char *key, const char *text);
/*
 * A picture's data: an object in neither the text nor the JSON (no key,
 * no text; give its members keys and no text), which the SVG and HTML
 * renderers draw by @name ("address_map", "numa", "series"), with the
 * keyed items beside it (docs/pictures.md). NULL unless the report's
 * pictures were enabled, so that a report only for text or JSON costs
 * nothing more.
 */
void cm_report_enable_pictures(struct cm_report *r);
struct cm_report_item *cm_report_add_picture(struct cm_report_item *parent, const char *name);
/* A line of text only. */
struct cm_report_item *cm_report_add_text(struct cm_report_item *parent, const char *text);
struct cm_report_item *cm_report_add_u64(struct cm_report_item *parent, const char *key, const char *text,
					 uint64_t v);
struct cm_report_item *cm_report_add_int(struct cm_report_item *parent, const char *key, const char *text, int v);
struct cm_report_item *cm_report_add_bytes(struct cm_report_item *parent, const char *key, const char *text,
					   uint64_t v);
struct cm_report_item *cm_report_add_addr(struct cm_report_item *parent, const char *key, const char *text,
					  uint64_t v);
struct cm_report_item *cm_report_add_string(struct cm_report_item *parent, const char *key, const char *text,
					    const char *s);
struct cm_report_item *cm_report_add_bool(struct cm_report_item *parent, const char *key, const char *text,
					  bool v);
struct cm_report_item *cm_report_add_nodemask(struct cm_report_item *parent, const char *key, const char *text,
					      cm_nodemask_t m);
/* A percentage of @part in @whole (0 when @whole is 0): text "12.345", JSON a number. */
struct cm_report_item *cm_report_add_percent(struct cm_report_item *parent, const char *key, const char *text,
					     uint64_t part, uint64_t whole);
/* Text: a number (bytes, an address, a count) as "0x" and at least @digits hex digits. */
void cm_report_set_hex(struct cm_report_item *item, int digits);
/* Text: a boolean as @yes or @no (default "yes" and "no"). */
void cm_report_set_bool_text(struct cm_report_item *item, const char *yes, const char *no);
/*
 * JSON: an object's members in the order of @keys (NULL-terminated), then
 * any others in the order they were added; the text keeps the order they
 * were added (a report reads in one order and documents its JSON in another).
 */
void cm_report_set_json_order(struct cm_report_item *item, const char *const *keys);
/*
 * Detail the reader asks for with -v (@verbose 1) or -vv (2): an item
 * with a detail, and everything in it, is left out of the text and the
 * JSON of a reader who asked for less.
 */
void cm_report_set_detail(struct cm_report_item *item, int verbose);
/*
 * A log's debug lines show in the text from -v; this raises that for one
 * log (per-block lines at -vv, a summary of them at -v). Its JSON lists
 * every line whatever the detail.
 */
void cm_report_set_log_debug_detail(struct cm_report_item *log, int verbose);

/*
 * Log lines: in JSON an array of every line; in text one line each with
 * @prefix (CM_REPORT_TDX_PREFIX for the TDX code's), debug lines only
 * when the reader asked for detail. A NULL @prefix leaves the log out of
 * the text.
 */
struct cm_report_item *cm_report_add_log(struct cm_report_item *parent, const char *key,
					 const struct cm_log *log, const char *prefix);

/* JSON numbers raw (bytes, addresses), or for people (-u). */
enum cm_json_style { CM_JSON_RAW, CM_JSON_HUMAN };

/* How a report is rendered: the JSON style (-u) and the detail (-v). */
struct cm_report_style {
	enum cm_json_style json;
	int verbose;
};

struct cm_report_renderer_operations {
	const char *name;
	int (*render)(const struct cm_report *r, const struct cm_report_style *style, FILE *f);
};

extern const struct cm_report_renderer_operations cm_report_text_ops;
extern const struct cm_report_renderer_operations cm_report_json_ops;
extern const struct cm_report_renderer_operations cm_report_json_lines_ops;	/* one line per document */
/* Pictures: one SVG document, or one self-contained HTML page (the text too). */
extern const struct cm_report_renderer_operations cm_report_svg_ops;
extern const struct cm_report_renderer_operations cm_report_html_ops;

/* The renderer called @name ("text", "json"), or NULL. */
const struct cm_report_renderer_operations *cm_report_renderer(const char *name);
/* Render @r with the renderer called @name; -EINVAL for an unknown one, -EIO when @f fails. */
int cm_report_render(const struct cm_report *r, const char *name, const struct cm_report_style *style, FILE *f);

/*
 * One row per node (JSON: node, cpus, kind, memory_bytes, crypto_capable,
 * tdx_memory, tdx_memory_bytes, pamt_bytes, demotion_targets,
 * fallback_targets, and tier, adistance, top_tier when the node has a
 * tier); @layout gives each field's text layout (NULL: not in the text).
 * @tiering may be NULL.
 */
struct cm_report_nodes_layout {
	const char *node;
	const char *cpus;
	const char *kind;
	const char *memory;
	const char *crypto_capable;
	const char *tdx_memory;
	const char *tdx_memory_bytes;
	const char *pamt;
	const char *tier;	/* the tier id, or "-" */
	const char *demotion;
};
struct cm_report_item *cm_report_add_nodes(struct cm_report_item *parent, const char *key,
					   const struct cm_platform *p, const struct cm_node_capability *caps,
					   const struct cm_tiering *tiering,
					   const struct cm_report_nodes_layout *layout);
/* The same rows for the nodes of @selected only (an empty array when it holds none of @p's). */
struct cm_report_item *cm_report_add_nodes_in(struct cm_report_item *parent, const char *key,
					      const struct cm_platform *p, const struct cm_node_capability *caps,
					      const struct cm_tiering *tiering,
					      const struct cm_report_nodes_layout *layout, cm_nodemask_t selected);

/*
 * Which nodes a listing shows (nodes --node, --kind): those of @nodes
 * (0: every node) whose kind is in @kinds (CM_NODE_KIND_BIT of each
 * enum cm_node_kind; 0: every kind).
 */
#define CM_NODE_KIND_BIT(kind) (1U << (kind))
struct cm_report_node_filter {
	cm_nodemask_t nodes;
	unsigned int kinds;
};
/*
 * The nodes of @p that pass @filter, in *@selected (0 when none does).
 * -ENOENT when @filter names a node @p does not have; @err names those
 * nodes and the ones @p has.
 */
int cm_report_select_nodes(const struct cm_platform *p, const struct cm_report_node_filter *filter,
			   cm_nodemask_t *selected, struct cm_error *err);

/*
 * The TDX plan (JSON: status, error, errno, result, holes, mixed, nr_tdmrs,
 * pamt_kb, tdmrs, cmrs, tdx_memory, excluded, config_status, config_detail,
 * nr_key_config_calls, nr_tdmr_init_calls, log, advice). The text is plan's
 * detail (TDX memory list, CMRs, TDMRs with PAMTs and reserved areas,
 * totals, the module's calls) or report's summary (CMRs, one line); both
 * with the log ("virt/tdx: ") and the advice.
 */
enum cm_report_plan_view { CM_REPORT_PLAN_DETAIL, CM_REPORT_PLAN_SUMMARY };
struct cm_report_item *cm_report_add_plan(struct cm_report_item *parent, const char *key,
					  const struct cm_tdx_plan *plan, const struct cm_platform *p,
					  enum cm_report_plan_view view);

/*
 * One host under every kernel profile (plan --kernel all): JSON {"profiles":
 * [{kernel, status, result, error, nr_tdmrs, worst_tdmr, worst_reserved,
 * pamt_kb}]}; text one row per profile, so an operator sees what an upgrade
 * changes. @plans[i] ran profile CM_KERNEL_FIRST_PROFILE + i.
 */
struct cm_report_item *cm_report_add_plan_profiles(struct cm_report_item *parent, const char *key,
						   struct cm_tdx_plan *const *plans, size_t nr_plans);

/*
 * The boot-time picture (confmem report). JSON: platform, nodes (as
 * cm_report_add_nodes), tdx (as cm_report_add_plan). Text: the platform's
 * headline and assumptions, the e820 map, the nodes and their capability
 * log, the tiers, the hot-add windows, the EPC sections, the plan's summary.
 */
struct cm_report_boot {
	const struct cm_platform *platform;
	const struct cm_tdx_plan *plan;
	const struct cm_tiering *tiering;
	const struct cm_node_capability *caps;
	const struct cm_log *cap_log;
};
struct cm_report_item *cm_report_add_boot(struct cm_report_item *parent, const char *key,
					  const struct cm_report_boot *b);

/*
 * hotplug: the verdict (JSON: start, size, mode, outcome, accepted, errno,
 * node, new_node, nr_blocks, ..., summary, log); in text the summary line.
 */
struct cm_report_item *cm_report_add_hotplug(struct cm_report_item *parent, const char *key,
					     const struct cm_hotplug_verdict *v,
					     const struct cm_hotplug_request *req);

struct cm_sim;
/*
 * A simulation run. JSON: status, seed, duration_ms, page_events, summary,
 * counters, swap, hotplug, sgx, nodes, cgroups, actors, events, expect.
 * Text: the headline, actors, nodes with memory, the chosen counters,
 * expectations, and what happened (the summary below).
 */
struct cm_report_item *cm_report_add_sim(struct cm_report_item *parent, const char *key, const struct cm_sim *sim);

/*
 * What a simulation run did, in plain sentences computed from what the
 * engine recorded (lib/report/sim_outcome.c): refused hot-adds and the
 * verdict's reason, demotion and, where reclaim could not demote, why,
 * swap, who the OOM killer took and which limit it enforced, enclaves
 * killed by sgx.oom. Each item appears only when it happened; the report
 * shows them as "what happened:" and the JSON as "summary".
 */
enum cm_sim_summary_kind {
	CM_SUMMARY_HOTADD_REFUSED,
	CM_SUMMARY_DEMOTION,
	CM_SUMMARY_NO_DEMOTION,		/* one per reason reclaim could not demote */
	CM_SUMMARY_SWAP,
	CM_SUMMARY_NO_SWAP,		/* an OOM kill on a run without swap */
	CM_SUMMARY_OOM_KILL,
	CM_SUMMARY_SGX_OOM_KILL,
	CM_SUMMARY_NR_KINDS
};
/* "hotadd_refused", "demotion", "no_demotion", "swap", "no_swap", "oom_kill", "sgx_oom_kill". */
const char *cm_sim_summary_kind_name(enum cm_sim_summary_kind kind);

/* Which numbers of an item are given. */
#define CM_SUMMARY_HAS_BYTES	(1U << 0)
#define CM_SUMMARY_HAS_COUNT	(1U << 1)
#define CM_SUMMARY_HAS_AT_MS	(1U << 2)
#define CM_SUMMARY_HAS_ERRNO	(1U << 3)

struct cm_sim_summary_item {
	enum cm_sim_summary_kind kind;
	char text[768];			/* one or two sentences, sizes as "1.50 GiB" */
	unsigned int has;		/* CM_SUMMARY_HAS_* */
	uint64_t bytes;			/* the amount the sentence is about */
	uint64_t count;			/* how many (pages swapped, blocks refused, reclaim scans) */
	uint64_t at_ms;			/* when */
	int errno_value;		/* a refused hot-add's negative errno */
	/* NULL when none; they point into the run or static tables and live as long as the run. */
	const char *actor;		/* the actor killed */
	const char *cgroup;		/* the cgroup whose limit was enforced */
	const char *reason;		/* a name: cm_demotion_verdict_name(), "global_oom", "memory_max", ... */
};

struct cm_sim_summary {
	struct cm_sim_summary_item *items;
	size_t nr_items;
};

/* Build @sim's summary into @out (freed with cm_sim_summary_free); 0 or -ENOMEM. */
int cm_sim_summary_build(const struct cm_sim *sim, struct cm_sim_summary *out);
void cm_sim_summary_free(struct cm_sim_summary *summary);

/* The built-in platforms (JSON: an array of {name, description}; text: a line each). */
struct cm_report_item *cm_report_add_presets(struct cm_report_item *parent, const char *key);

struct cm_sgx_build_report;
/*
 * sgx measure (JSON: mrenclave, nr_pages, nr_eextend, epc_pages_peak,
 * eextend_ioctl {can_build}, subrange_per_page {can_build, reason}; text:
 * one "key: value" line each). @mrenclave in hex.
 */
struct cm_report_item *cm_report_add_sgx_measure(struct cm_report_item *parent, const char *key,
						 const char *mrenclave, const struct cm_sgx_build_report *r);

/*
 * module-config: a TDMR_INFO array run through the emulated module (JSON:
 * status as "0x" and 16 hex digits, accepted, detail, max_reserved_per_tdmr,
 * nr_tdmrs, tdmrs with their reserved slots, cmrs); @module gives the CMRs
 * and max_reserved_per_tdmr. Text: the TDMRs, the CMRs, the status.
 */
struct cm_report_item *cm_report_add_module_config(struct cm_report_item *parent, const char *key,
						   const struct cm_tdx_config *module, const struct cm_tdmr *tdmrs,
						   size_t nr_tdmrs, uint64_t status);

/* confmem diagnose: a boot log's diagnosis (docs/diagnose.md has the JSON). */
struct cm_diagnosis;
struct cm_report_item *cm_report_add_diagnosis(struct cm_report_item *parent, const char *key,
					       const struct cm_diagnosis *d);

/*
 * The most entries (directories, files and links) an exported tree may
 * hold: 2^18 is 3.6 times the "big" preset's 72 000 and allows 65 536
 * memory blocks, 8 TiB in the kernel's 128 MiB blocks, while bounding the
 * disk it takes (about 1 GiB in 4 KiB blocks) and the time. A 4 KiB block
 * size on a large platform would otherwise make millions of files.
 */
#define CM_SYSFS_EXPORT_MAX_ENTRIES (1ULL << 18)

/* What to do when the directory already holds something. */
enum cm_sysfs_export_existing {
	CM_SYSFS_EXPORT_REFUSE_NONEMPTY,	/* -ENOTEMPTY, nothing written */
	CM_SYSFS_EXPORT_REPLACE,		/* write into it, replacing the tree's own entries */
};

struct cm_sysfs_export_options {
	enum cm_sysfs_export_existing existing;
	uint64_t max_entries;	/* 0: CM_SYSFS_EXPORT_MAX_ENTRIES */
};

/*
 * Write DIR/devices/system/{node,memory}/... in the kernel's formats
 * (@opts NULL: refuse a non-empty DIR, the default limit). DIR is created
 * when missing (its parent must exist) and opened once; everything is
 * created under it with openat()/mkdirat(), never following a symbolic
 * link, so nothing outside DIR is touched. Refused before anything is
 * written: an empty name or the root directory (-EINVAL), a non-empty DIR
 * (-ENOTEMPTY), a tree of more than the limit's entries (-EFBIG).
 */
int cm_export_sysfs(const struct cm_platform *p, const struct cm_node_capability *caps, const char *dir,
		    const struct cm_sysfs_export_options *opts, struct cm_error *err);

#endif /* CONFMEM_REPORT_H */
