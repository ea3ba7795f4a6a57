/* The body of the mul_add, read and write probes for one vector width, written
 * with GCC vector types so that one text serves every ISA: a file defines
 * PROBE_BYTES (vector width in bytes) and PROBE_NAME(x) and includes this. */
#include "probe.h"

typedef float probe_vf __attribute__((vector_size(PROBE_BYTES)));
typedef uint32_t probe_vu __attribute__((vector_size(PROBE_BYTES), may_alias));

#define PROBE_LANES (PROBE_BYTES / 4)

/* Read at run time so that the compiler cannot fold x * 1 or y + 0. */
static volatile float probe_one = 1.0f, probe_zero = 0.0f;
/* What the write probe stores, read at run time so that the loop cannot
 * become a call to memset. */
static volatile uint32_t probe_word = 0x3f800001u;

double PROBE_NAME(mul_add)(uint64_t rounds)
{
    const probe_vf m = (probe_vf){0} + probe_one;
    const probe_vf a = (probe_vf){0} + probe_zero;
    probe_vf x0 = m + 1, x1 = m + 2, x2 = m + 3, x3 = m + 4, x4 = m + 5;
    probe_vf x5 = m + 6, x6 = m + 7, y0 = m + 8, y1 = m + 9, y2 = m + 10;
    probe_vf y3 = m + 11, y4 = m + 12, y5 = m + 13, y6 = m + 14;
    for (uint64_t r = 0; r < rounds; r++) {
        x0 = x0 * m; y0 = y0 + a;
        x1 = x1 * m; y1 = y1 + a;
        x2 = x2 * m; y2 = y2 + a;
        x3 = x3 * m; y3 = y3 + a;
        x4 = x4 * m; y4 = y4 + a;
        x5 = x5 * m; y5 = y5 + a;
        x6 = x6 * m; y6 = y6 + a;
    }
    const probe_vf s = ((x0 + x1) + (x2 + x3)) + ((x4 + x5) + (x6 + y0)) +
                       ((y1 + y2) + (y3 + y4)) + (y5 + y6);
    bdc_probe_sink = s[0];
    return (double)rounds * 14.0 * PROBE_LANES;
}

void PROBE_NAME(read)(const void *p, size_t n)
{
    const probe_vu *v = p;
    const size_t count = n / sizeof(probe_vu);
    probe_vu a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    probe_vu a4 = {0}, a5 = {0}, a6 = {0}, a7 = {0};
    for (size_t i = 0; i + 8 <= count; i += 8) {
        a0 |= v[i];     a1 |= v[i + 1];
        a2 |= v[i + 2]; a3 |= v[i + 3];
        a4 |= v[i + 4]; a5 |= v[i + 5];
        a6 |= v[i + 6]; a7 |= v[i + 7];
    }
    const probe_vu s = ((a0 | a1) | (a2 | a3)) | ((a4 | a5) | (a6 | a7));
    bdc_probe_sink = (float)s[0];
}

void PROBE_NAME(write)(void *p, size_t n)
{
    probe_vu *v = p;
    const size_t count = n / sizeof(probe_vu);
    const probe_vu x = (probe_vu){0} + probe_word;
    for (size_t i = 0; i + 8 <= count; i += 8) {
        v[i] = x;     v[i + 1] = x;
        v[i + 2] = x; v[i + 3] = x;
        v[i + 4] = x; v[i + 5] = x;
        v[i + 6] = x; v[i + 7] = x;
    }
}
