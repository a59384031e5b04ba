/* SPDX-License-Identifier: MIT */
/*
 * Table output with lsmem's options (cli/table.c): -o/--output COLUMNS,
 * -n/--noheadings, -r/--raw. A command names its columns; cells are text.
 */
#ifndef CONFMEM_CLI_TABLE_H
#define CONFMEM_CLI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CLI_TABLE_MAX_COLUMNS 16

struct cli_table_column {
	const char *name;	/* the header and the -o name */
	const char *help;
	bool align_right;	/* numbers and sizes */
	bool shown_by_default;
};

struct cli_table {
	const struct cli_table_column *columns;
	size_t nr_columns;
	size_t selected[CLI_TABLE_MAX_COLUMNS];	/* indices into @columns, in output order */
	size_t nr_selected;
	bool no_headings;
	bool raw;
};

/* The columns of -o LIST (names, any case, separated by commas), or the default ones for NULL. */
int cli_table_select(struct cli_table *t, const char *list);
/* The columns for --help. */
void cli_table_help(FILE *f, const struct cli_table_column *columns, size_t nr_columns);
/* Print the header (unless -n) and the rows; @cells holds nr_rows x nr_columns strings. */
int cli_table_print(FILE *f, const struct cli_table *t, char *const *cells, size_t nr_rows);

#endif /* CONFMEM_CLI_TABLE_H */
