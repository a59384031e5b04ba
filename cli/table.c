// SPDX-License-Identifier: MIT
/*
 * Tables as lsmem prints them (cli/table.h): columns chosen with
 * -o/--output, each as wide as its widest cell so a long CPU list does not
 * push the others out of line, no header with -n/--noheadings, and with
 * -r/--raw one space between cells, a blank inside a cell as \x20 and "-"
 * for an empty cell.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "table.h"

int cli_table_select(struct cli_table *t, const char *list)
{
	char *copy, *save, *tok;
	int ret = 0;

	t->nr_selected = 0;
	if (!list) {
		for (size_t i = 0; i < t->nr_columns && i < CLI_TABLE_MAX_COLUMNS; i++)
			if (t->columns[i].shown_by_default)
				t->selected[t->nr_selected++] = i;
		return 0;
	}
	copy = strdup(list);
	if (!copy)
		return cli_bad_input("out of memory");
	save = copy;
	while (!ret && (tok = strsep(&save, ","))) {
		size_t i;

		for (i = 0; i < t->nr_columns; i++)
			if (!strcasecmp(tok, t->columns[i].name))
				break;
		if (i == t->nr_columns)
			ret = cli_bad_input("--output: unknown column \"%s\" (the columns are listed by --help)", tok);
		else if (t->nr_selected == CLI_TABLE_MAX_COLUMNS)
			ret = cli_bad_input("--output: more than %d columns", CLI_TABLE_MAX_COLUMNS);
		else
			t->selected[t->nr_selected++] = i;
	}
	free(copy);
	return ret;
}

void cli_table_help(FILE *f, const struct cli_table_column *columns, size_t nr_columns)
{
	fprintf(f, "Columns (-o/--output NAME,...; * by default):\n");
	for (size_t i = 0; i < nr_columns; i++)
		fprintf(f, "  %-15s %s %s\n", columns[i].name, columns[i].shown_by_default ? "*" : " ", columns[i].help);
}

static void print_cell(FILE *f, const struct cli_table *t, const struct cli_table_column *col, const char *text,
		       size_t width, bool last)
{
	if (t->raw) {
		/* As lsmem -r: a blank inside a cell is written \x20, so cells split on blanks. */
		if (!*text)
			fputc('-', f);
		for (const char *s = text; *s; s++)
			*s == ' ' ? fputs("\\x20", f) : fputc(*s, f);
		fputc(last ? '\n' : ' ', f);
	} else if (col->align_right) {
		fprintf(f, "%*s%c", (int)width, text, last ? '\n' : ' ');
	} else if (last) {
		fprintf(f, "%s\n", text);	/* no trailing blanks */
	} else {
		fprintf(f, "%-*s ", (int)width, text);
	}
}

/* @cells: nr_rows x nr_columns strings (every column, not only the selected ones). */
int cli_table_print(FILE *f, const struct cli_table *t, char *const *cells, size_t nr_rows)
{
	size_t width[CLI_TABLE_MAX_COLUMNS] = { 0 };

	for (size_t c = 0; c < t->nr_selected; c++) {
		const struct cli_table_column *col = &t->columns[t->selected[c]];

		width[c] = t->no_headings ? 0 : strlen(col->name);
		for (size_t r = 0; r < nr_rows; r++) {
			size_t len = strlen(cells[r * t->nr_columns + t->selected[c]]);

			if (len > width[c])
				width[c] = len;
		}
	}
	if (!t->no_headings)
		for (size_t c = 0; c < t->nr_selected; c++)
			print_cell(f, t, &t->columns[t->selected[c]], t->columns[t->selected[c]].name, width[c],
				   c + 1 == t->nr_selected);
	for (size_t r = 0; r < nr_rows; r++)
		for (size_t c = 0; c < t->nr_selected; c++)
			print_cell(f, t, &t->columns[t->selected[c]], cells[r * t->nr_columns + t->selected[c]],
				   width[c], c + 1 == t->nr_selected);
	return ferror(f) ? -1 : 0;
}
