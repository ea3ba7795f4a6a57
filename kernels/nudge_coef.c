#include "kernels.h"

bdc_nudge_coef bdc_nudge_coef_make(double lr, double q, double decay)
{
    bdc_nudge_coef c;
    c.c1 = (float)(lr * q);
    c.c2 = (float)(2.0 * lr);
    c.c3 = (float)(lr * (2.0 - q));
    c.d = (float)decay;
    return c;
}
