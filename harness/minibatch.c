#include "minibatch.h"

#include <stdlib.h>

#include "rng.h"

int bdc_train_minibatches(const bdc_model_ops *ops, bdc_model *m,
                          const bdc_config *cfg, const bdc_samples *train,
                          bdc_progress *progress, bdc_curve *curve,
                          uint64_t *correct)
{
    const uint64_t steps = (uint64_t)cfg->epochs * train->count;
    const size_t N = train->count;
    size_t *order = malloc((N ? N : 1) * sizeof *order);
    if (!order)
        return -1;
    for (size_t i = 0; i < N; i++)
        order[i] = i;
    bdc_rng rng;
    bdc_rng_seed(&rng, cfg->seed, BDC_RNG_STREAM_SHUFFLE);
    uint64_t n = 0;
    *correct = 0;
    for (unsigned epoch = 0; epoch < cfg->epochs; epoch++) {
        bdc_rng_shuffle(&rng, order, N);
        for (size_t first = 0; first < N; first += cfg->batch) {
            const size_t count = N - first < cfg->batch ? N - first : cfg->batch;
            size_t right;
            if (ops->train_batch(m, train, order + first, count, n, &right)) {
                free(order);
                return -1;
            }
            *correct += right;
            /* The display wakes up on multiples of 256 steps. */
            const uint64_t done = n + count;
            if (done / 256 != n / 256)
                bdc_progress_update(progress, done - done % 256, epoch + 1,
                                    cfg->epochs, *correct);
            n = done;
            bdc_curve_tick(curve, done, steps);
        }
    }
    free(order);
    return 0;
}
