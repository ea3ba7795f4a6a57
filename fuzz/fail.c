#include <stdio.h>
#include <stdlib.h>

#include "targets.h"

volatile unsigned bdc_fuzz_sink;
const char *bdc_fuzz_input;

void bdc_fuzz_fail(const char *target, const char *what, const char *detail)
{
    fprintf(stderr, "fuzz %s%s%s: %s%s%s\n", target, bdc_fuzz_input ? " " : "",
            bdc_fuzz_input ? bdc_fuzz_input : "", what, detail ? ": " : "",
            detail ? detail : "");
    abort();
}
