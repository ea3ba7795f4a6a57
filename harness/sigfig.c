#include "sigfig.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void bdc_format_sig(char *buf, size_t len, double v, int digits)
{
    if (digits < 1) digits = 1;
    if (digits > 17) digits = 17;
    if (isnan(v)) {
        snprintf(buf, len, "-");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, len, "%s", v < 0 ? "-inf" : "inf");
        return;
    }
    if (v == 0) {
        snprintf(buf, len, "%.*f", digits - 1, 0.0);
        return;
    }
    /* The decimal exponent after rounding to `digits` digits: 9.996 with
     * three digits is 10.0, exponent 1, not 0. */
    char probe[64];
    snprintf(probe, sizeof probe, "%.*e", digits - 1, v);
    const char *e = probe;
    while (*e && *e != 'e') e++;
    const int exponent = *e ? atoi(e + 1) : 0;
    if (exponent < -4)
        snprintf(buf, len, "%s", probe);
    else if (exponent >= digits - 1)
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%.*f", digits - 1 - exponent, v);
}
