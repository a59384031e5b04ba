// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

struct cm_platform *tp_new(int nr_nodes)
{
	struct cm_platform *p = cm_platform_new();

	assert_non_null(p);
	for (int i = 0; i < nr_nodes; i++) {
		struct cm_node *n = cm_platform_add_node(p, i, CM_NODE_DRAM);

		assert_non_null(n);
		cm_bitmap_set(&n->cpus, (unsigned int)i);
	}
	p->tdx.enabled = true;
	snprintf(p->name, sizeof(p->name), "test");
	return p;
}

void tp_ram(struct cm_platform *p, int id, uint64_t start, uint64_t end)
{
	int i = cm_platform_node_index(p, id);

	assert_true(i >= 0);
	assert_int_equal(cm_node_add_memory(&p->nodes[i], start, end), 0);
}

void tp_cmr(struct cm_platform *p, uint64_t start, uint64_t end)
{
	assert_true(p->tdx.nr_cmrs < CM_MAX_CMRS);
	p->tdx.cmrs[p->tdx.nr_cmrs].start = start;
	p->tdx.cmrs[p->tdx.nr_cmrs].end = end;
	p->tdx.nr_cmrs++;
}

void tp_finalize(struct cm_platform *p)
{
	struct cm_error err = { 0 };

	if (cm_platform_finalize(p, "test", &err))
		fail_msg("platform rejected: %s", err.msg);
}

struct cm_tdx_plan *tp_plan(const struct cm_platform *p, enum cm_tdx_holes holes)
{
	struct cm_tdx_options o;
	struct cm_tdx_plan *plan = NULL;
	struct cm_error err = { 0 };

	cm_tdx_options_default(&o);
	o.holes = holes;
	assert_int_equal(cm_tdx_plan_build(p, &o, &plan, &err), 0);
	return plan;
}

int tp_log_has(const struct cm_log *log, const char *line)
{
	for (size_t i = 0; i < log->nr_lines; i++)
		if (!strcmp(log->lines[i].text, line))
			return 1;
	return 0;
}

int tp_log_contains(const struct cm_log *log, const char *text)
{
	for (size_t i = 0; i < log->nr_lines; i++)
		if (strstr(log->lines[i].text, text))
			return 1;
	return 0;
}

void tp_check_generated_doc(const char *path, const char *begin, const char *end, const char *table, size_t len)
{
	static char doc[1 << 17];
	char *at_begin, *at_end;
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(doc, 1, sizeof(doc) - 1, f);
	assert_true(feof(f));	/* the whole doc was read */
	fclose(f);
	doc[n] = '\0';
	at_begin = strstr(doc, begin);
	assert_non_null(at_begin);
	at_begin += strlen(begin);
	at_end = strstr(at_begin, end);
	assert_non_null(at_end);
	if (getenv("CONFMEM_UPDATE_DOCS")) {
		f = fopen(path, "w");
		assert_non_null(f);
		fprintf(f, "%.*s%s%s", (int)(at_begin - doc), doc, table, at_end);
		fclose(f);
		return;
	}
	assert_int_equal((size_t)(at_end - at_begin), len);
	assert_memory_equal(at_begin, table, len);
}
