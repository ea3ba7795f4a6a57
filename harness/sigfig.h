/* Numbers for people: a fixed count of significant digits, as a table in a
 * paper shows them. */
#ifndef BDC_SIGFIG_H
#define BDC_SIGFIG_H

#include <stddef.h>

/* v with `digits` significant digits (1..17), trailing zeros kept
 * ("0.900", "1.50"), never in exponent form between 1e-4 and the integers;
 * digits left of the point are never rounded away (1234.4 with 3 digits is
 * "1234").  Below 1e-4 in magnitude: "2.50e-05".  NaN: "-"; infinities:
 * "inf", "-inf". */
void bdc_format_sig(char *buf, size_t len, double v, int digits);

#endif
