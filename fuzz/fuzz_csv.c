/* Fuzz target: the CSV reader (harness/csv.c) that reads runs.csv and the
 * curve files.  What it accepts must come back unchanged through bdc's CSV
 * writer and a second read: a table is never half-read or altered. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/csv.h"
#include "targets.h"

static void fail(const char *what, const char *detail)
{
    bdc_fuzz_fail("csv", what, detail);
}

int bdc_fuzz_csv(const uint8_t *data, size_t size)
{
    static const char name[] = "dir/runs.csv";
    bdc_csv t;
    char err[512];
    memset(err, 0, sizeof err);
    const int rc = bdc_csv_parse((const char *)data, size, name, &t, err, sizeof err);
    if (rc != 0) {
        if (rc != -1) fail("returned neither 0 nor -1", NULL);
        if (strncmp(err, name, strlen(name)) != 0 || err[strlen(name)] != ':')
            fail("the error does not start with 'NAME:'", err);
        if (strchr(err, '\n')) fail("the error is not one line", err);
        if (t.header || t.cells) fail("failed but left a table", err);
        return 0;
    }
    if (memchr(data, 0, size)) fail("accepted a NUL byte", NULL);
    if (t.columns == 0 || !t.header) fail("a table without columns", NULL);
    for (size_t c = 0; c < t.columns; c++) {
        if (!t.header[c] || !t.header[c][0]) fail("an empty column name", NULL);
        if (bdc_csv_column(&t, t.header[c]) != (int)c) fail("a column name twice", t.header[c]);
    }
    for (size_t i = 0; i < t.rows * t.columns; i++)
        if (!t.cells[i]) fail("a NULL cell", NULL);

    /* Written back and read again: the same table. */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) fail("out of memory", NULL);
    bdc_csv_write_row(f, (const char *const *)t.header, t.columns);
    for (size_t r = 0; r < t.rows; r++)
        bdc_csv_write_row(f, (const char *const *)t.cells + r * t.columns, t.columns);
    if (fclose(f)) fail("out of memory", NULL);
    bdc_csv u;
    if (bdc_csv_parse(text, len, name, &u, err, sizeof err))
        fail("bdc cannot read back what it wrote", err);
    if (u.columns != t.columns || u.rows != t.rows) fail("the shape changed", NULL);
    for (size_t c = 0; c < t.columns; c++)
        if (strcmp(u.header[c], t.header[c]) != 0) fail("a column name changed", t.header[c]);
    for (size_t i = 0; i < t.rows * t.columns; i++)
        if (strcmp(u.cells[i], t.cells[i]) != 0) fail("a cell changed", t.cells[i]);
    bdc_csv_free(&u);
    free(text);
    bdc_csv_free(&t);
    return 0;
}

BDC_FUZZ_ENTRY(csv)
