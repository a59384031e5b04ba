/* SPDX-License-Identifier: MIT */
#ifndef CONFMEM_TEST_HELPERS_H
#define CONFMEM_TEST_HELPERS_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "confmem/platform.h"
#include "confmem/tdx.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)

/* A platform built in code: nodes with CPUs "0", TDX enabled, default limits. */
struct cm_platform *tp_new(int nr_nodes);
/* Boot RAM [start, end) on node @id (usable in the e820 map that finalize derives). */
void tp_ram(struct cm_platform *p, int id, uint64_t start, uint64_t end);
void tp_cmr(struct cm_platform *p, uint64_t start, uint64_t end);
/* Finalize; the test fails with the validation message if it does not pass. */
void tp_finalize(struct cm_platform *p);
/* Build the plan with default options except @holes. */
struct cm_tdx_plan *tp_plan(const struct cm_platform *p, enum cm_tdx_holes holes);
/* Does the log hold exactly this line? */
int tp_log_has(const struct cm_log *log, const char *line);
/* Does a line of the log contain @text? */
int tp_log_contains(const struct cm_log *log, const char *text);
/*
 * A generated part of a doc: the text between the lines @begin and @end of
 * @path must be @table (@len bytes); with CONFMEM_UPDATE_DOCS set in the
 * environment it is rewritten to be.
 */
void tp_check_generated_doc(const char *path, const char *begin, const char *end, const char *table, size_t len);

#endif
