/* The backprop baseline: a D-H-C multilayer perceptron, ReLU hidden layer,
 * softmax with cross-entropy, plain minibatch SGD (docs/mlp.md).  Its hot
 * work goes through the kernel table; it knows nothing of files or flags
 * (harness/model_mlp.c plugs it into `bdc train`). */
#ifndef BDC_MLP_H
#define BDC_MLP_H

#include <stddef.h>
#include <stdint.h>

#include "../kernels/kernels.h"
#include "model.h"
#include "samples.h"

typedef struct bdc_mlp_scratch bdc_mlp_scratch;

typedef struct bdc_mlp {
    size_t D, H, C;
    float *W1; /* D x H, input-major: W1[i*H + j] links input i to hidden j */
    float *b1; /* H */
    float *W2; /* H x C: W2[j*C + c] links hidden j to class c */
    float *b2; /* C */
    const bdc_kernels *k;
    size_t max_batch;
    unsigned threads;
    bdc_mlp_scratch *scratch;
    /* What training and prediction have cost so far (docs/methodology.md);
     * read them with bdc_mlp_cost, which adds the memory. */
    bdc_cost train, infer;
} bdc_mlp;

/* A network with every weight and bias +0.0f, for minibatches of up to
 * max_batch samples, trained on `threads` threads (0 or 1: one; more need
 * OpenMP; the weights do not depend on the count).  NULL when out of
 * memory. */
bdc_mlp *bdc_mlp_create(size_t D, size_t H, size_t C, size_t max_batch,
                        unsigned threads, const bdc_kernels *k);
void bdc_mlp_destroy(bdc_mlp *m);

/* Seeded initialisation (stream BDC_RNG_STREAM_INIT of harness/rng.h):
 * W1 He-uniform, U(-sqrt(6/D), sqrt(6/D)), drawn row by row; then W2
 * Glorot-uniform, U(-sqrt(6/(H+C)), sqrt(6/(H+C))), row by row; biases 0.
 * Each weight is (float)((2u - 1) * bound), u = bdc_rng_unit(), in double. */
void bdc_mlp_init(bdc_mlp *m, uint64_t seed);

/* One SGD step on a minibatch of count <= max_batch samples, all evaluated
 * with the weights as they were before the step.  correct is set to how
 * many of them the network classified right before the step.  Returns 0, or
 * -1 when out of memory (the weights are then unchanged). */
int bdc_mlp_train_batch(bdc_mlp *m, const bdc_sample *batch, size_t count,
                        double lr, size_t *correct);

/* The class with the largest logit (first index on ties). */
int bdc_mlp_predict(bdc_mlp *m, const bdc_sample *s);

/* FNV-1a 64 over W1 (D x H row by row), b1, W2 (H x C row by row), b2. */
uint64_t bdc_mlp_fingerprint(const bdc_mlp *m);

size_t bdc_mlp_parameter_count(const bdc_mlp *m);

/* The costs so far, with the bytes each phase holds: training the weights,
 * the transposed copy and every scratch buffer; prediction the weights and
 * one sample's forward buffers. */
void bdc_mlp_cost(const bdc_mlp *m, bdc_cost *train, bdc_cost *infer);

#endif
