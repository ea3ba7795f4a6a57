/* The training loop of learners that take minibatches (bdc_model_ops'
 * train_batch, the mlp baseline). */
#ifndef BDC_MINIBATCH_H
#define BDC_MINIBATCH_H

#include <stdint.h>

#include "curve.h"
#include "model.h"
#include "progress.h"
#include "samples.h"

/* cfg->epochs passes over train.  Before each epoch the visiting order (the
 * sample numbers 0..N-1, in file order before the first epoch) is shuffled
 * in place by Fisher-Yates with the stream BDC_RNG_STREAM_SHUFFLE of
 * cfg->seed, one generator for the whole run; the epoch is then cut into
 * consecutive minibatches of cfg->batch samples, the last one smaller when
 * cfg->batch does not divide N.  After each batch the curve may take a
 * point (bdc_curve_tick: at the first batch boundary at or past each
 * multiple of its interval).  *correct gets the number of samples predicted
 * right before their batch's update.  Returns 0, or -1 when out of
 * memory. */
int bdc_train_minibatches(const bdc_model_ops *ops, bdc_model *m,
                          const bdc_config *cfg, const bdc_samples *train,
                          bdc_progress *progress, bdc_curve *curve,
                          uint64_t *correct);

#endif
