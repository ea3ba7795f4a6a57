#include "args.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *bdc_argv0 = "bdc";

void bdc_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "bdc %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int bdc_parse_size(const char *cmd, const char *flag, const char *text,
                   size_t min, size_t max, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (!*text || *end || errno || text[0] == '-' || v < min || v > max) {
        bdc_error(cmd, "%s: '%s' is not a whole number in %zu..%zu", flag, text,
                  min, max);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

int bdc_parse_double(const char *cmd, const char *flag, const char *text,
                     double min, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (!*text || *end || errno || !isfinite(v) || v < min || v > max) {
        bdc_error(cmd, "%s: '%s' is not a number in [%g, %g]", flag, text, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

void bdc_print_shell_word(FILE *f, const char *s)
{
    if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789._-+/=:,@%") == strlen(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'') fputs("'\\''", f);
        else fputc(*s, f);
    }
    fputc('\'', f);
}
