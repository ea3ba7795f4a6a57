#include "table.h"

#include <stdlib.h>
#include <string.h>

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) free(v[i]);
    free(v);
}

int bdc_table_init(bdc_table *t, const char *title, size_t columns)
{
    memset(t, 0, sizeof *t);
    t->columns = columns;
    t->title = strdup(title ? title : "");
    t->header = calloc(columns + 1, sizeof *t->header);
    t->right = calloc(columns + 1, sizeof *t->right);
    if (!t->title || !t->header || !t->right) {
        bdc_table_free(t);
        return -1;
    }
    return 0;
}

int bdc_table_set_column(bdc_table *t, size_t i, const char *header, int right)
{
    free(t->header[i]);
    t->header[i] = strdup(header);
    t->right[i] = right;
    return t->header[i] ? 0 : -1;
}

int bdc_table_add_row(bdc_table *t, const char *const *cells)
{
    char **grown = realloc(t->cells, (t->rows + 1) * t->columns * sizeof *grown + 1);
    if (!grown) return -1;
    t->cells = grown;
    char **row = grown + t->rows * t->columns;
    for (size_t c = 0; c < t->columns; c++)
        if (!(row[c] = strdup(cells[c]))) {
            free_strings(row, c);
            return -1;
        }
    t->rows++;
    return 0;
}

int bdc_table_add_group(bdc_table *t, const char *label)
{
    size_t *rows = realloc(t->group_row, (t->groups + 1) * sizeof *rows);
    if (!rows) return -1;
    t->group_row = rows;
    char **labels = realloc(t->group_label, (t->groups + 1) * sizeof *labels);
    if (!labels) return -1;
    t->group_label = labels;
    if (!(labels[t->groups] = strdup(label))) return -1;
    rows[t->groups++] = t->rows;
    return 0;
}

const char *bdc_table_group_at(const bdc_table *t, size_t r)
{
    /* A group without rows is skipped: the last group starting at r wins. */
    const char *label = NULL;
    for (size_t g = 0; g < t->groups; g++)
        if (t->group_row[g] == r) label = t->group_label[g];
    return label;
}

int bdc_table_add_note(bdc_table *t, const char *text)
{
    char **grown = realloc(t->note, (t->notes + 1) * sizeof *grown);
    if (!grown) return -1;
    t->note = grown;
    if (!(t->note[t->notes] = strdup(text))) return -1;
    t->notes++;
    return 0;
}

void bdc_table_free(bdc_table *t)
{
    free(t->title);
    free_strings(t->header, t->columns);
    free(t->right);
    if (t->cells) free_strings(t->cells, t->rows * t->columns);
    free_strings(t->note, t->notes);
    free(t->group_row);
    free_strings(t->group_label, t->groups);
    memset(t, 0, sizeof *t);
}

void bdc_table_print_plain(const bdc_table *t, FILE *f)
{
    size_t *width = calloc(t->columns + 1, sizeof *width);
    if (!width) return;
    for (size_t c = 0; c < t->columns; c++) {
        width[c] = strlen(t->header[c] ? t->header[c] : "");
        for (size_t r = 0; r < t->rows; r++) {
            const size_t w = strlen(t->cells[r * t->columns + c]);
            if (w > width[c]) width[c] = w;
        }
    }
    if (t->title[0]) fprintf(f, "%s\n\n", t->title);
    size_t total = 0;
    for (size_t c = 0; c < t->columns; c++) {
        const char *h = t->header[c] ? t->header[c] : "";
        fprintf(f, "%s%*s", c ? "  " : "", t->right[c] ? (int)width[c] : -(int)width[c], h);
        total += width[c] + (c ? 2 : 0);
    }
    fputc('\n', f);
    for (size_t i = 0; i < total; i++) fputc('-', f);
    fputc('\n', f);
    for (size_t r = 0; r < t->rows; r++) {
        const char *group = bdc_table_group_at(t, r);
        if (group) fprintf(f, "%s%s\n", r ? "\n" : "", group);
        for (size_t c = 0; c < t->columns; c++) {
            const char *cell = t->cells[r * t->columns + c];
            /* No trailing blanks after the last column. */
            if (c + 1 == t->columns && !t->right[c])
                fprintf(f, "%s%s", c ? "  " : "", cell);
            else
                fprintf(f, "%s%*s", c ? "  " : "",
                        t->right[c] ? (int)width[c] : -(int)width[c], cell);
        }
        fputc('\n', f);
    }
    for (size_t i = 0; i < t->notes; i++)
        fprintf(f, "%s%s\n", i ? "" : "\n", t->note[i]);
    free(width);
}
