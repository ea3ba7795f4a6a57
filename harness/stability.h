/* Which learning-rate and decay settings keep the winner-take-all learners'
 * weights finite (docs/robustness.md has the argument).
 *
 * The nudge multiplies a weight by f = (c1*a - c2) + d, a in [0, 1].  That
 * factor is never above d <= 1, and at its lowest, for an input of 0, it is
 * d - c2 = decay - 2*lr(n) (each rounded to float32 as the kernels round
 * them); lr(n) is largest at n = 0.  While |f| <= 1 a weight can only grow
 * by the nudge's additive term, which rounding stops near 2^26, so every
 * weight, activation and score stays finite.  Below -1 a weight of a pixel
 * that stays dark flips sign and grows at every nudge, to infinity. */
#ifndef BDC_STABILITY_H
#define BDC_STABILITY_H

#include <stddef.h>

#include "model.h"

/* The lowest factor a nudge of a run with cfg can apply: d - c2 at step 0,
 * in float32, as the kernels compute it. */
float bdc_nudge_lowest_factor(const bdc_config *cfg);

/* 0 when that factor is >= -1 (or the model does not nudge); otherwise -1
 * with a one-line reason naming --lr and --decay in err. */
int bdc_check_stability(const bdc_config *cfg, char *err, size_t errlen);

#endif
