/* SPDX-License-Identifier: ISC */
/* Text tables: column widths from the content, in display columns (text_width.h); on a
 * terminal, long cells clipped with an ellipsis (into a pipe or with --full, never). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "text_width.h"

#define ELLIPSIS   "\xe2\x80\xa6" /* U+2026, one column wide */
#define COLUMN_GAP 2

struct ctl_cell {
	char *text; /* already clipped */
	enum ctl_color color;
};

static bool clip_cells;

void ctl_table_clip_init(bool full)
{
	clip_cells = !full && isatty(STDOUT_FILENO);
}

struct ctl_table {
	const struct ctl_column *columns;
	int n_columns;
	int *widths;
	struct ctl_cell *cells; /* n_rows * n_columns */
	size_t n_rows, cap_rows;
};

/* A copy of text no wider than max_width columns (0 = any), ending in an ellipsis when cut
 * (between characters: a wide one that would straddle the limit goes, marks stay with theirs). */
static char *clip(const char *text, int max_width)
{
	if (!clip_cells || max_width <= 0 || text_width(text) <= max_width)
		return strdup(text);
	size_t keep = text_width_cut(text, max_width - 1, NULL);
	char *clipped = malloc(keep + sizeof(ELLIPSIS));
	if (clipped != NULL) {
		memcpy(clipped, text, keep);
		memcpy(clipped + keep, ELLIPSIS, sizeof(ELLIPSIS));
	}
	return clipped;
}

struct ctl_table *ctl_table_new(const struct ctl_column *columns, int n_columns)
{
	struct ctl_table *table = calloc(1, sizeof(*table));
	if (table == NULL)
		abort();
	table->columns = columns;
	table->n_columns = n_columns;
	table->widths = calloc((size_t)n_columns, sizeof(*table->widths));
	if (table->widths == NULL)
		abort();
	for (int i = 0; i < n_columns; i++)
		table->widths[i] = text_width(columns[i].header);
	return table;
}

void ctl_table_add(struct ctl_table *table, const char *const *cells, const enum ctl_color *colors)
{
	if (table->n_rows == table->cap_rows) {
		table->cap_rows = table->cap_rows ? table->cap_rows * 2 : 64;
		table->cells = realloc(table->cells, table->cap_rows * (size_t)table->n_columns *
		                                         sizeof(*table->cells));
		if (table->cells == NULL)
			abort(); /* backupctl is short-lived: out of memory ends it */
	}
	struct ctl_cell *row = &table->cells[table->n_rows++ * (size_t)table->n_columns];
	for (int i = 0; i < table->n_columns; i++) {
		row[i].text = clip(cells[i], table->columns[i].max_width);
		if (row[i].text == NULL)
			abort();
		row[i].color = colors ? colors[i] : CTL_COLOR_NONE;
		int width = text_width(row[i].text);
		if (width > table->widths[i])
			table->widths[i] = width;
	}
}

/* Pads every column but the last, so lines carry no trailing blanks. */
static void print_cell(const struct ctl_table *table, int column, const char *text,
                       const char *color, FILE *out)
{
	bool last = column == table->n_columns - 1;
	fputs(color, out);
	fputs(text, out);
	if (color[0] != '\0')
		fputs(ctl_color(CTL_COLOR_RESET), out);
	if (!last)
		fprintf(out, "%*s", table->widths[column] - text_width(text) + COLUMN_GAP, "");
}

void ctl_table_print(const struct ctl_table *table, FILE *out, bool header)
{
	if (header) {
		for (int i = 0; i < table->n_columns; i++)
			print_cell(table, i, table->columns[i].header, ctl_color(CTL_COLOR_BOLD),
			           out);
		fputc('\n', out);
	}
	for (size_t r = 0; r < table->n_rows; r++) {
		const struct ctl_cell *row = &table->cells[r * (size_t)table->n_columns];
		for (int i = 0; i < table->n_columns; i++)
			print_cell(table, i, row[i].text, ctl_color(row[i].color), out);
		fputc('\n', out);
	}
}

void ctl_table_free(struct ctl_table *table)
{
	if (table == NULL)
		return;
	for (size_t i = 0; i < table->n_rows * (size_t)table->n_columns; i++)
		free(table->cells[i].text);
	free(table->cells);
	free(table->widths);
	free(table);
}
