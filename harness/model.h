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
    /* Optional.  A learner trained on shuffled minibatches (mlp) sets this
     * and leaves train_step NULL; the harness then visits each epoch in a
     * seeded random order (docs/mlp.md) and hands over cfg.batch samples at
     * a time: set's samples which[0..count), at global step n (the number of
     * samples trained on before).  *correct counts those predicted right
     * before the update.  Returns 0, or -1 when out of memory. */
    int (*train_batch)(bdc_model *m, const bdc_samples *set, const size_t *which,
                       size_t count, uint64_t n, size_t *correct);
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

/* First index of the maximum of v[0..n). */
size_t bdc_argmax_first(const float *v, size_t n);

#endif
