/* Tables of text for people: a title, a header, rows of cells and notes,
 * built once and printed by a renderer.  Only the plain-text renderer
 * exists so far; Markdown and LaTeX renderers for papers are further
 * functions over the same bdc_table. */
#ifndef BDC_TABLE_H
#define BDC_TABLE_H

#include <stddef.h>
#include <stdio.h>

typedef struct bdc_table {
    char *title;
    size_t columns, rows, notes;
    char **header;      /* columns */
    int *right;         /* per column: 1 to right-align (numbers) */
    char **cells;       /* rows x columns */
    char **note;        /* lines printed under the table */
} bdc_table;

/* An empty table of `columns` columns.  Returns 0, or -1 out of memory. */
int bdc_table_init(bdc_table *t, const char *title, size_t columns);
int bdc_table_set_column(bdc_table *t, size_t i, const char *header, int right);
/* Appends a row of `columns` cells (copied). */
int bdc_table_add_row(bdc_table *t, const char *const *cells);
int bdc_table_add_note(bdc_table *t, const char *text);
void bdc_table_free(bdc_table *t);

/* Columns padded with spaces, a rule under the header, notes below. */
void bdc_table_print_plain(const bdc_table *t, FILE *f);

#endif
