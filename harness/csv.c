#include "csv.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A growing array of strings. */
typedef struct strings {
    char **v;
    size_t n, cap;
} strings;

static int push(strings *s, char *item)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v) return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = item;
    return 0;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Parses one field at *p; leaves *p on the separator after it. */
static char *field(const char **p, const char *end, size_t *line, int *bad_quote)
{
    const char *s = *p;
    size_t cap = 16, n = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    const int quoted = s < end && *s == '"';
    if (quoted) s++;
    for (;;) {
        if (s == end) {
            if (quoted) *bad_quote = 1;
            break;
        }
        char ch = *s;
        if (quoted && ch == '"') {
            if (s + 1 < end && s[1] == '"') {
                s += 2; /* "" inside quotes is one quote */
            } else {
                s++;
                if (s < end && *s != ',' && *s != '\n' && *s != '\r')
                    *bad_quote = 1; /* text after a closing quote */
                break;
            }
        } else if (!quoted && (ch == ',' || ch == '\n' || ch == '\r')) {
            break;
        } else {
            if (!quoted && ch == '"')
                *bad_quote = 1; /* a quote inside an unquoted field */
            if (ch == '\n') (*line)++;
            s++;
        }
        if (n + 2 > cap) {
            cap *= 2;
            char *grown = realloc(out, cap);
            if (!grown) { free(out); return NULL; }
            out = grown;
        }
        out[n++] = ch;
    }
    out[n] = '\0';
    *p = s;
    return out;
}

int bdc_csv_parse(const char *text, size_t len, const char *name, bdc_csv *out,
                  char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    strings header = {0}, cells = {0};
    const char *p = text, *end = text + len;
    size_t line = 1, record = 0;
    if (len == 0) {
        snprintf(err, errlen, "%s: empty file (no header line)", name);
        return -1;
    }
    while (p < end) {
        const size_t first_line = line;
        strings *into = record == 0 ? &header : &cells;
        size_t width = 0;
        for (;;) {
            int bad_quote = 0;
            char *f = field(&p, end, &line, &bad_quote);
            if (!f || push(into, f)) {
                free(f);
                snprintf(err, errlen, "%s: out of memory", name);
                goto fail;
            }
            width++;
            if (bad_quote) {
                snprintf(err, errlen, "%s:%zu: badly quoted field", name, first_line);
                goto fail;
            }
            if (p < end && *p == ',') { p++; continue; }
            break;
        }
        if (p < end && *p == '\r') p++;
        if (p == end || *p != '\n') {
            snprintf(err, errlen, "%s:%zu: the last line is incomplete (no line break)",
                     name, first_line);
            goto fail;
        }
        p++;
        line++;
        if (record == 0) {
            for (size_t i = 0; i < header.n; i++) {
                if (!header.v[i][0]) {
                    snprintf(err, errlen, "%s:1: column %zu has no name", name, i + 1);
                    goto fail;
                }
                for (size_t k = 0; k < i; k++)
                    if (strcmp(header.v[i], header.v[k]) == 0) {
                        snprintf(err, errlen, "%s:1: column '%s' appears twice", name,
                                 header.v[i]);
                        goto fail;
                    }
            }
        } else if (width != header.n) {
            snprintf(err, errlen, "%s:%zu: %zu fields, but the header has %zu", name,
                     first_line, width, header.n);
            goto fail;
        }
        record++;
    }
    out->columns = header.n;
    out->header = header.v;
    out->rows = record - 1;
    out->cells = cells.v;
    return 0;
fail:
    free_strings(header.v, header.n);
    free_strings(cells.v, cells.n);
    return -1;
}

int bdc_csv_read(const char *path, bdc_csv *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        errno = e;
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    char *text = malloc(cap);
    while (text) {
        n += fread(text + n, 1, cap - n, f);
        if (n < cap) break;
        cap *= 2;
        char *grown = realloc(text, cap);
        if (!grown) { free(text); text = NULL; }
        else text = grown;
    }
    const int failed = ferror(f);
    fclose(f);
    if (!text || failed) {
        free(text);
        snprintf(err, errlen, "%s: %s", path, failed ? "read error" : "out of memory");
        errno = EIO;
        return -1;
    }
    int rc = bdc_csv_parse(text, n, path, out, err, errlen);
    free(text);
    if (rc) errno = EINVAL;
    return rc;
}

void bdc_csv_free(bdc_csv *c)
{
    if (c->header) free_strings(c->header, c->columns);
    if (c->cells) free_strings(c->cells, c->rows * c->columns);
    memset(c, 0, sizeof *c);
}

int bdc_csv_column(const bdc_csv *c, const char *name)
{
    for (size_t i = 0; i < c->columns; i++)
        if (strcmp(c->header[i], name) == 0)
            return (int)i;
    return -1;
}

const char *bdc_csv_cell(const bdc_csv *c, size_t row, size_t column)
{
    return c->cells[row * c->columns + column];
}

void bdc_csv_write_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void bdc_csv_write_row(FILE *f, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) fputc(',', f);
        bdc_csv_write_field(f, fields[i]);
    }
    fputc('\n', f);
}

void bdc_format_double(char *buf, size_t len, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, len, "%s", "");
        return;
    }
    /* Plain decimals for the ordinary range ("8000", not "8e+03"). */
    const double a = fabs(v);
    if (a == 0 || (a >= 1e-5 && a < 1e15)) {
        for (int decimals = 0; decimals <= 20; decimals++) {
            snprintf(buf, len, "%.*f", decimals, v);
            if (strtod(buf, NULL) == v)
                return;
        }
    }
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, len, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}
