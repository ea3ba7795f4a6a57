/* Running ./bdc (the path in $BDC_BIN) and capturing what it says. */
#ifndef BDC_TEST_RUN_PROGRAM_H
#define BDC_TEST_RUN_PROGRAM_H

#include <stddef.h>

typedef struct bdc_run {
    int status;  /* the exit status, or 128 + the signal that killed it */
    char *out;   /* all of stdout, NUL-terminated */
    char *err;   /* all of stderr, NUL-terminated */
} bdc_run;

/* Runs $BDC_BIN with args (NULL-terminated, without the program name);
 * the test fails if BDC_BIN is unset or the program cannot be started. */
void bdc_run_program(bdc_run *r, const char *const *args);
void bdc_run_free(bdc_run *r);

/* Number of '\n'-terminated lines in s, plus one for an unterminated tail. */
size_t bdc_count_lines(const char *s);

/* The text after "key": in one flat JSON object, up to the next ',' or '}'
 * (quotes kept), in a static buffer; NULL if the key is absent. */
const char *bdc_json_field(const char *json, const char *key);

#endif
