/* The learners behind one interface.  A model sees samples and kernels,
 * never files or CPUs. */
#ifndef BDC_MODEL_H
#define BDC_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "../kernels/kernels.h"
#include "samples.h"

/* Every constant of the spec, as set on the command line. */
typedef struct bdc_config {
    const char *model;   /* "bidir", "entangled", "binconv", "mlp" */
    size_t hidden;       /* H */
    unsigned epochs;
    double alpha, beta;  /* winner mixing: alpha*forward + beta*backward */
    double init;         /* initial value of every weight */
    double lr, lr_horizon; /* lr(n) = lr * horizon / (horizon + n) */
    double decay;
    double q_input, q_label; /* nudge bias toward the input / the label */
    /* mlp only (0 for the others): samples per minibatch, and the seed of
     * the initial weights and of the per-epoch shuffle.  mlp's lr is the
     * constant SGD step size. */
    size_t batch;
    uint64_t seed;
} bdc_config;

typedef struct bdc_model bdc_model;

/* What a model has spent, counted analytically (docs/methodology.md): each
 * step adds a formula in the sizes and the non-zeros it observed.  Training
 * (train_step, its forward pass included) and inference (predict) are kept
 * apart.  The counters are cumulative since create(); a caller measures a
 * phase as the difference of two snapshots (bdc_cost_sub). */
typedef struct bdc_cost {
    uint64_t samples;      /* training steps, or predictions */
    uint64_t dense_macs;   /* multiply-adds the model nominally needs: every
                              input of every product, zero or not */
    uint64_t macs;         /* multiply-adds executed: zero inputs skipped */
    uint64_t elementwise_flops; /* GReLU, winner, nudge, softmax ...: every
                              float operation that is not a product's MAC */
    uint64_t weight_bytes_read, weight_bytes_written;
    /* Not cumulative: the bytes the model holds while in this phase
     * (weights, their mirrors, scratch buffers), the same at every call. */
    uint64_t memory_bytes;
} bdc_cost;

typedef struct bdc_model_ops {
    const char *name;
    /* A model for inputs of `dim` values and BDC_CLASSES classes; NULL when
     * out of memory. */
    bdc_model *(*create)(const bdc_config *cfg, size_t dim, const bdc_kernels *k);
    /* One training step at global step n; returns the class the model
     * predicted for the sample before it learned from it. */
    int (*train_step)(bdc_model *m, const bdc_sample *s, uint64_t n);
    int (*predict)(bdc_model *m, const bdc_sample *s);
    /* FNV-1a 64 of the weights in the order docs/learners.md gives. */
    uint64_t (*fingerprint)(const bdc_model *m);
    size_t (*parameter_count)(const bdc_model *m);
    void (*destroy)(bdc_model *m);
    /* The costs counted so far (see bdc_cost).  After the fields above, so
     * that positional initializers of those stay right; prefer designated
     * ones. */
    void (*cost)(const bdc_model *m, bdc_cost *train, bdc_cost *inference);
    /* Optional.  A learner trained on shuffled minibatches (mlp) sets this
     * and leaves train_step NULL; the harness then visits each epoch in a
     * seeded random order (docs/mlp.md) and hands over cfg.batch samples at
     * a time: set's samples which[0..count), at global step n (the number of
     * samples trained on before).  *correct counts those predicted right
     * before the update.  Returns 0, or -1 when out of memory. */
    int (*train_batch)(bdc_model *m, const bdc_samples *set, const size_t *which,
                       size_t count, uint64_t n, size_t *correct);
    /* Optional, for learners that work many samples at once (the blocked
     * engine, harness/engine.h); NULL for the others, which callers drive
     * one sample at a time.  train_steps: `count` training steps from
     * global step n, on samples n, n+1, ... of set (mod set->count),
     * exactly as that many train_step calls; returns how many of their
     * predictions were right.  evaluate: how many samples of set the
     * model classifies right, as predict would. */
    uint64_t (*train_steps)(bdc_model *m, const bdc_samples *set, uint64_t n,
                            uint64_t count);
    uint64_t (*evaluate)(bdc_model *m, const bdc_samples *set);
} bdc_model_ops;

extern const bdc_model_ops bdc_model_bidir;
extern const bdc_model_ops bdc_model_entangled;
extern const bdc_model_ops bdc_model_mlp;

/* The published configuration of a model name ("binconv" runs the entangled
 * learner on binconv features); -1 for an unknown name. */
int bdc_config_defaults(const char *model, bdc_config *cfg);

/* The learner that runs a model name, NULL if unknown. */
const bdc_model_ops *bdc_model_ops_for(const char *model);

/* lr(n) of the spec, in double. */
double bdc_learning_rate(const bdc_config *cfg, uint64_t n);

/* The price list of the kernel operations (docs/methodology.md): each adds
 * one call's cost to c.  `inputs` is the number of inputs the product
 * nominally has, `nnz` the number it was given (the non-zeros). */
void bdc_cost_activate(bdc_cost *c, size_t nnz, size_t inputs, size_t outputs);
void bdc_cost_grelu(bdc_cost *c, size_t n);
void bdc_cost_winner(bdc_cost *c, size_t n);
void bdc_cost_nudge(bdc_cost *c, size_t n);
/* mlp (docs/mlp.md): update_sparse of one row of n weights from nnz of
 * `inputs` samples; softmax with cross-entropy's gradient over n classes. */
void bdc_cost_update(bdc_cost *c, size_t nnz, size_t inputs, size_t n);
void bdc_cost_softmax(bdc_cost *c, size_t n);

/* The float operations of one bdc_exp_nonpositive (kernels/softmax.c) on
 * its usual path: two comparisons, the reduction (a multiplication, a
 * subtraction, two multiplications and two subtractions), 13 steps of
 * Horner's rule (26) and the scaling by 2^k (1).  Results below 2^-1022
 * take one multiplication more, not counted. */
#define BDC_EXP_FLOPS 35

/* a - b for the cumulative counters; memory_bytes is a's. */
bdc_cost bdc_cost_sub(const bdc_cost *a, const bdc_cost *b);

/* FLOPs: a MAC is two. */
uint64_t bdc_cost_flops(const bdc_cost *c);
uint64_t bdc_cost_dense_flops(const bdc_cost *c);

/* First index of the maximum of v[0..n). */
size_t bdc_argmax_first(const float *v, size_t n);

#endif
