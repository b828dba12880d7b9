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

/* A cell's text lives in the table's one text buffer: 15 000 cells at 1000 phones cost no
 * allocation each, and each cell's width is measured once. */
struct ctl_cell {
	size_t offset; /* in text: already clipped, NUL-terminated */
	int width;
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
	char *text;
	size_t text_length, text_cap;
};

static void *grown(void *data, size_t size)
{
	data = realloc(data, size);
	if (data == NULL)
		abort(); /* backupctl is short-lived: out of memory ends it */
	return data;
}

static size_t add_text(struct ctl_table *table, const char *text, size_t length, const char *tail)
{
	size_t tail_length = strlen(tail), offset = table->text_length;
	size_t need = offset + length + tail_length + 1;
	if (need > table->text_cap) {
		table->text_cap = need > 2 * table->text_cap ? need : 2 * table->text_cap;
		table->text = grown(table->text, table->text_cap);
	}
	memcpy(table->text + offset, text, length);
	memcpy(table->text + offset + length, tail, tail_length + 1);
	table->text_length = need;
	return offset;
}

/* Stores text no wider than max_width columns (0 = any), ending in an ellipsis when cut
 * (between characters: a wide one that would straddle the limit goes, marks stay with theirs). */
static void set_cell(struct ctl_table *table, struct ctl_cell *cell, const char *text,
                     int max_width)
{
	cell->width = text_width(text);
	if (!clip_cells || max_width <= 0 || cell->width <= max_width) {
		cell->offset = add_text(table, text, strlen(text), "");
		return;
	}
	size_t keep = text_width_cut(text, max_width - 1, NULL);
	cell->offset = add_text(table, text, keep, ELLIPSIS);
	cell->width = text_width(table->text + cell->offset);
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
		table->cells = grown(table->cells, table->cap_rows * (size_t)table->n_columns *
		                                       sizeof(*table->cells));
	}
	struct ctl_cell *row = &table->cells[table->n_rows++ * (size_t)table->n_columns];
	for (int i = 0; i < table->n_columns; i++) {
		set_cell(table, &row[i], cells[i], table->columns[i].max_width);
		row[i].color = colors ? colors[i] : CTL_COLOR_NONE;
		if (row[i].width > table->widths[i])
			table->widths[i] = row[i].width;
	}
}

static void pad(int n, FILE *out)
{
	static const char blanks[] = "                                ";
	for (; n > 0; n -= (int)sizeof(blanks) - 1)
		fwrite(blanks, 1, n < (int)sizeof(blanks) - 1 ? (size_t)n : sizeof(blanks) - 1,
		       out);
}

/* Pads every column but the last, so lines carry no trailing blanks. */
static void print_cell(const struct ctl_table *table, int column, const char *text, int width,
                       const char *color, FILE *out)
{
	bool last = column == table->n_columns - 1;
	fputs(color, out);
	fputs(text, out);
	if (color[0] != '\0')
		fputs(ctl_color(CTL_COLOR_RESET), out);
	if (!last)
		pad(table->widths[column] - width + COLUMN_GAP, out);
}

void ctl_table_print(const struct ctl_table *table, FILE *out, bool header)
{
	if (header) {
		for (int i = 0; i < table->n_columns; i++)
			print_cell(table, i, table->columns[i].header,
			           text_width(table->columns[i].header), ctl_color(CTL_COLOR_BOLD),
			           out);
		fputc('\n', out);
	}
	for (size_t r = 0; r < table->n_rows; r++) {
		const struct ctl_cell *row = &table->cells[r * (size_t)table->n_columns];
		for (int i = 0; i < table->n_columns; i++)
			print_cell(table, i, table->text + row[i].offset, row[i].width,
			           ctl_color(row[i].color), out);
		fputc('\n', out);
	}
}

void ctl_table_free(struct ctl_table *table)
{
	if (table == NULL)
		return;
	free(table->text);
	free(table->cells);
	free(table->widths);
	free(table);
}
