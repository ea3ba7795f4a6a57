/* Parsing and checking flag values.  Each parser prints a one-line error
 * naming the flag and returns -1 when the value is bad. */
#ifndef BDC_ARGS_H
#define BDC_ARGS_H

#include <stddef.h>
#include <stdio.h>

/* The program as it was invoked (main sets it from argv[0]), for commands
 * that print runnable command lines. */
extern const char *bdc_argv0;

/* Exit statuses of every bdc command. */
enum { BDC_EXIT_OK = 0, BDC_EXIT_FAILURE = 1, BDC_EXIT_USAGE = 2 };

int bdc_parse_size(const char *cmd, const char *flag, const char *text,
                   size_t min, size_t max, size_t *out);
int bdc_parse_double(const char *cmd, const char *flag, const char *text,
                     double min, double max, double *out);

/* Writes s as one word a POSIX shell reads back as s: as it is when it
 * holds only safe characters, else in single quotes. */
void bdc_print_shell_word(FILE *f, const char *s);

/* Prints "bdc CMD: message" to stderr. */
void bdc_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
