/* Tables of text for people: a title, a header, rows of cells (in groups,
 * optionally) and notes, built once and printed by a renderer: plain text
 * here, Markdown and LaTeX for papers in table_paper.h. */
#ifndef BDC_TABLE_H
#define BDC_TABLE_H

#include <stddef.h>
#include <stdio.h>

typedef struct bdc_table {
    char *title;
    size_t columns, rows, notes, groups;
    char **header;      /* columns */
    int *right;         /* per column: 1 to right-align (numbers) */
    char **cells;       /* rows x columns */
    char **note;        /* lines printed under the table */
    size_t *group_row;  /* groups: the first row of each group */
    char **group_label; /* groups: its heading */
} bdc_table;

/* An empty table of `columns` columns.  Returns 0, or -1 out of memory. */
int bdc_table_init(bdc_table *t, const char *title, size_t columns);
int bdc_table_set_column(bdc_table *t, size_t i, const char *header, int right);
/* Appends a row of `columns` cells (copied). */
int bdc_table_add_row(bdc_table *t, const char *const *cells);
/* Starts a group headed `label`: the rows added next belong to it. */
int bdc_table_add_group(bdc_table *t, const char *label);
int bdc_table_add_note(bdc_table *t, const char *text);
void bdc_table_free(bdc_table *t);

/* The label of the group that starts at row r, or NULL. */
const char *bdc_table_group_at(const bdc_table *t, size_t r);

/* Columns padded with spaces, a rule under the header, a group's label on
 * a line of its own (groups apart by a blank line), notes below. */
void bdc_table_print_plain(const bdc_table *t, FILE *f);

#endif
