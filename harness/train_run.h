/* One training run and its test, by either engine: `sample` (the model's
 * per-sample learner, the reference) or `blocked` (harness/engine.h, the
 * default).  Both end with the same weights, bit for bit. */
#ifndef BDC_TRAIN_RUN_H
#define BDC_TRAIN_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "../kernels/kernels.h"
#include "dataset.h"
#include "engine.h"
#include "model.h"

typedef struct bdc_train_outcome {
    uint64_t steps, train_correct, test_correct;
    double train_seconds, test_seconds;
    uint64_t fingerprint;
    size_t parameters;
    bdc_engine_opts opts;   /* the blocked engine's, resolved; threads 1 for sample */
    bdc_engine_stats stats; /* the blocked engine's training counters */
} bdc_train_outcome;

/* Train cfg->epochs passes over data->train, then test on data->test.
 * `progress` draws on stderr when it is a terminal.  Return 0, or -1 with
 * a one-line reason in err (out of memory). */
int bdc_train_per_sample(const bdc_config *cfg, const bdc_family *family,
                         const bdc_dataset *data, int progress,
                         bdc_train_outcome *out, char *err, size_t errlen);
int bdc_train_blocked(const bdc_config *cfg, const bdc_family *family,
                      const bdc_engine_opts *opts, const bdc_dataset *data,
                      int progress, bdc_train_outcome *out, char *err,
                      size_t errlen);

#endif
