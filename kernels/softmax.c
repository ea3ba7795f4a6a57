#include "softmax.h"

#include <stdint.h>
#include <string.h>

/* 2^e for -1022 <= e <= 1023, built from its bits: exact. */
static double pow2(int e)
{
    const uint64_t bits = (uint64_t)(e + 1023) << 52;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

double bdc_exp_nonpositive(double x)
{
    if (x != x)
        return x;
    if (x < -746.0)
        return 0.0;
    /* x = k*ln2 + r with k = round(x/ln2), |r| <= ln2/2 (plus a hair).  ln2
     * is split in two so that k*LN2_HI is exact (LN2_HI has 32 significant
     * bits, |k| < 1100): r is x's distance to k*ln2 to about 2^-60. */
    static const double INV_LN2 = 1.44269504088896338700e+00;
    static const double LN2_HI = 6.93147180369123816490e-01;
    static const double LN2_LO = 1.90821492927058770002e-10;
    const double t = x * INV_LN2;         /* <= 0 */
    const int k = -(int)(0.5 - t);        /* nearest integer, ties down */
    const double r = (x - k * LN2_HI) - k * LN2_LO;
    /* e^r by its Taylor series to r^13 (the rest is < 1e-17 for |r| < 0.35),
     * in Horner form: the coefficients are 1/n!. */
    static const double inv_fact[14] = {
        1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040,
        1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800,
        1.0 / 479001600, 1.0 / 6227020800.0,
    };
    double p = inv_fact[13];
    for (int i = 12; i >= 0; i--)
        p = p * r + inv_fact[i];
    /* p * 2^k, rounded once even when the result is subnormal. */
    if (k >= -1022)
        return p * pow2(k);
    return (p * pow2(k + 600)) * pow2(-600);
}

void bdc_softmax_xent_grad(const float *z, size_t n, size_t label, float *g)
{
    float m = z[0];
    for (size_t c = 1; c < n; c++)
        if (z[c] > m)
            m = z[c];
    /* Up to 16 classes the exponentials are kept; beyond, they are computed
     * again in the second pass (the same bits either way). */
    enum { KEEP = 16 };
    double e[KEEP];
    double sum = 0.0;
    for (size_t c = 0; c < n; c++) {
        const double x = bdc_exp_nonpositive((double)z[c] - (double)m);
        if (c < KEEP)
            e[c] = x;
        sum = sum + x;
    }
    for (size_t c = 0; c < n; c++) {
        const double x = c < KEEP ? e[c] : bdc_exp_nonpositive((double)z[c] - (double)m);
        g[c] = (float)(x / sum - (c == label ? 1.0 : 0.0));
    }
}
