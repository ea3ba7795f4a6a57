/* The blocked training engine: the fast, exact way to train and test the
 * winner-take-all learners (bidir, entangled, binconv).  It computes the
 * forward sums of a block of upcoming samples in one pass over the weights,
 * split across threads by groups of neurons, while one thread runs the
 * steps of the block before, in order, settling the sums of neurons nudged
 * since those sums were taken (recomputed exactly, or proven below the
 * GReLU threshold).  Its weights end bit for bit where the per-sample
 * learners (model_bidir.c, model_entangled.c) end; the design and the
 * proof are in docs/engine.md. */
#ifndef BDC_ENGINE_H
#define BDC_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "../kernels/kernels.h"
#include "model.h"
#include "samples.h"

typedef struct bdc_engine_opts {
    unsigned threads; /* 0: one per core this process may use */
    size_t block;     /* samples per block; 0: chosen from the L1 size */
    size_t tile;      /* used input rows per chunk of a block; 0: from the L1 size */
} bdc_engine_opts;

/* What the engine did, beyond the model's analytic costs (bdc_cost). */
typedef struct bdc_engine_stats {
    uint64_t forward_macs;   /* multiply-adds of the blocked forward passes
                                (padding lanes included), training only */
    uint64_t recompute_macs; /* of recomputed neurons */
    uint64_t output_macs;    /* of the label side (h.B or a.L^T) */
    uint64_t recomputed;     /* nudged neurons' sums recomputed */
    uint64_t pruned;         /* nudged neurons' sums proven below threshold */
    double phase_seconds;    /* wall time of the training phases */
    double step_seconds;     /* of it, what one thread spent stepping blocks
                                and planning the next ones (the others
                                computed forward sums meanwhile) */
} bdc_engine_stats;

typedef struct bdc_engine bdc_engine;

/* An engine for cfg->model ("bidir"; "entangled" or "binconv") with inputs
 * of `dim` values, running `family`'s kernels.  NULL with a one-line reason
 * in err when out of memory or when the family has no engine kernels. */
bdc_engine *bdc_engine_create(const bdc_config *cfg, size_t dim,
                              const bdc_family *family,
                              const bdc_engine_opts *opts, char *err,
                              size_t errlen);

/* Called after each block of training with the steps done (counted from
 * step 0) and how many of their predictions were right (in this call). */
typedef void bdc_engine_progress(void *ctx, uint64_t done, uint64_t correct);
void bdc_engine_set_progress(bdc_engine *e, bdc_engine_progress *fn, void *ctx);

/* `count` training steps from global step n, on samples n, n+1, ... of
 * set (mod set->count).  Returns how many predictions, made before
 * learning, were right. */
uint64_t bdc_engine_train(bdc_engine *e, const bdc_samples *set, uint64_t n,
                          uint64_t count);

/* How many samples of set the model classifies right. */
uint64_t bdc_engine_test(bdc_engine *e, const bdc_samples *set);

/* One sample at a time (model.h's train_step and predict): a block of
 * one, on the calling thread.  Exact, and slow. */
int bdc_engine_train_one(bdc_engine *e, const bdc_sample *s, uint64_t n);
int bdc_engine_predict_one(bdc_engine *e, const bdc_sample *s);

/* o with its defaults (zeros) resolved as an engine would resolve them:
 * threads from the cores, block and tile from the L1 data cache size. */
void bdc_engine_resolve_options(bdc_engine_opts *o);

/* The options in effect (defaults resolved) and the counters so far. */
bdc_engine_opts bdc_engine_options(const bdc_engine *e);
bdc_engine_stats bdc_engine_stats_of(const bdc_engine *e);

void bdc_engine_destroy(bdc_engine *e);

/* The engine behind the model interface (engine_model.c): a bdc_model *
 * that is a bdc_engine *.  Its create() takes the default options; its
 * fingerprint and parameter count are the per-sample learner's, and so are
 * its costs, plus the multiply-adds only it executes (recomputed neurons,
 * padding lanes; docs/engine.md). */
extern const bdc_model_ops bdc_engine_ops;

static inline bdc_model *bdc_engine_model(bdc_engine *e) { return (bdc_model *)e; }

#endif
