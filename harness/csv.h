/* CSV files as bdc writes and reads them (RFC 4180): one header line, then
 * rows of exactly as many fields; a field holding a comma, a quote or a
 * line break is quoted, its quotes doubled.  Reading is strict, so that a
 * damaged results file is reported, not half-read. */
#ifndef BDC_CSV_H
#define BDC_CSV_H

#include <stddef.h>
#include <stdio.h>

typedef struct bdc_csv {
    size_t columns, rows;
    char **header; /* columns names */
    char **cells;  /* rows x columns, row-major; never NULL entries */
} bdc_csv;

/* Parses text (len bytes).  `name` names the source in errors.  Returns 0,
 * or -1 with "NAME:LINE: what is wrong" in err: an unterminated quote,
 * a row of another width than the header, a last line without its line
 * break, an empty or duplicate column name. */
int bdc_csv_parse(const char *text, size_t len, const char *name, bdc_csv *out,
                  char *err, size_t errlen);

/* Reads and parses a file.  A missing file is an error (errno ENOENT is
 * left for the caller to test). */
int bdc_csv_read(const char *path, bdc_csv *out, char *err, size_t errlen);

void bdc_csv_free(bdc_csv *c);

/* The index of a column, or -1. */
int bdc_csv_column(const bdc_csv *c, const char *name);

/* Cell (row, column). */
const char *bdc_csv_cell(const bdc_csv *c, size_t row, size_t column);

/* The shortest decimal that reads back as exactly v ("0.03", not
 * "0.029999999999999999"); "" for NaN or infinity. */
void bdc_format_double(char *buf, size_t len, double v);

/* Writes one field, quoted when it has to be. */
void bdc_csv_write_field(FILE *f, const char *s);

/* Writes n fields as one line. */
void bdc_csv_write_row(FILE *f, const char *const *fields, size_t n);

#endif
