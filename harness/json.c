#include "json.h"

#include <math.h>

void bdc_json_write_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void key(bdc_json *j, const char *k)
{
    if (j->fields++)
        fputs(", ", j->f);
    if (k) {
        bdc_json_write_string(j->f, k);
        fputs(": ", j->f);
    }
}

void bdc_json_begin(bdc_json *j, FILE *f)
{
    j->f = f;
    j->fields = 0;
    fputc('{', f);
}

void bdc_json_str(bdc_json *j, const char *k, const char *value)
{
    key(j, k);
    bdc_json_write_string(j->f, value);
}

void bdc_json_u64(bdc_json *j, const char *k, uint64_t value)
{
    key(j, k);
    fprintf(j->f, "%llu", (unsigned long long)value);
}

void bdc_json_num(bdc_json *j, const char *k, double value)
{
    key(j, k);
    if (isfinite(value))
        fprintf(j->f, "%.17g", value);
    else
        fputs("null", j->f);
}

void bdc_json_bool(bdc_json *j, const char *k, int value)
{
    key(j, k);
    fputs(value ? "true" : "false", j->f);
}

void bdc_json_open(bdc_json *j, const char *k, char bracket)
{
    key(j, k);
    fputc(bracket, j->f);
    j->fields = 0;
}

void bdc_json_close(bdc_json *j, char bracket)
{
    fputc(bracket, j->f);
    j->fields = 1;
}

void bdc_json_end(bdc_json *j)
{
    fputs("}\n", j->f);
    fflush(j->f);
}
