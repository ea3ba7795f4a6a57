#include "args.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *bdc_argv0 = "bdc";

void bdc_error(const char *cmd, const char *fmt, ...)
{
    /* One line, whatever the message quotes (a path or a value may hold a
     * line break): control characters are written escaped. */
    char msg[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "bdc %s: ", cmd);
    for (const char *p = msg; *p; p++) {
        const unsigned char c = (unsigned char)*p;
        if (c == '\n') fputs("\\n", stderr);
        else if (c == '\r') fputs("\\r", stderr);
        else if (c < 0x20 && c != '\t') fprintf(stderr, "\\x%02x", c);
        else fputc(c, stderr);
    }
    fputc('\n', stderr);
}

int bdc_parse_size(const char *cmd, const char *flag, const char *text,
                   size_t min, size_t max, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    /* Digits only: strtoull alone would take " 5", "+5" and "-5" (as a huge
     * number). */
    if (!*text || *end || errno || strspn(text, "0123456789") != strlen(text) || v < min ||
        v > max) {
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
    if (!*text || *end || errno || isspace((unsigned char)text[0]) || !isfinite(v) ||
        v < min || v > max) {
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
