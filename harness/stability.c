#include "stability.h"

#include <stdio.h>

#include "../kernels/kernels.h"
#include "csv.h"

float bdc_nudge_lowest_factor(const bdc_config *cfg)
{
    /* q changes c1 and c3 only; the factor of a 0 input does not see it. */
    const bdc_nudge_coef c = bdc_nudge_coef_make(bdc_learning_rate(cfg, 0), 1.0, cfg->decay);
    const float zero = 0.0f;
    return (c.c1 * zero - c.c2) + c.d;
}

int bdc_check_stability(const bdc_config *cfg, char *err, size_t errlen)
{
    /* Only the winner-take-all learners nudge. */
    const bdc_model_ops *ops = bdc_model_ops_for(cfg->model);
    if (ops != &bdc_model_bidir && ops != &bdc_model_entangled)
        return 0;
    const float f = bdc_nudge_lowest_factor(cfg);
    if (f >= -1.0f)
        return 0;
    char lr[40], decay[40];
    bdc_format_double(lr, sizeof lr, cfg->lr);
    bdc_format_double(decay, sizeof decay, cfg->decay);
    snprintf(err, errlen,
             "--lr: %s with --decay %s lets a nudge multiply a weight by %.9g (decay - 2*lr "
             "< -1), so weights would grow without bound; keep 2*lr <= 1 + decay",
             lr, decay, (double)f);
    return -1;
}
