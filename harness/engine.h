/* The blocked training engine: the fast, exact way to train and test the
 * winner-take-all learners (bidir, entangled, binconv).  It computes the
 * forward sums of a block of upcoming samples in one pass over the weights,
 * split across threads by groups of neurons, then runs the steps of the
 * block in order, recomputing (or proving irrelevant) the sums of neurons
 * an earlier step of the block nudged.  Its weights end bit for bit where
 * the per-sample learners (model_bidir.c, model_entangled.c) end; the
 * design and the proof are in docs/engine.md. */
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
    size_t tile;      /* input rows per chunk of a block; 0: from the L1 size */
} bdc_engine_opts;

/* What a run did, for reports and tests. */
typedef struct bdc_engine_stats {
    uint64_t forward_macs;   /* multiply-adds of the blocked forward passes */
    uint64_t recompute_macs; /* of recomputed neurons */
    uint64_t output_macs;    /* of the label side (h.B or a.L^T) */
    uint64_t recomputed;     /* neuron sums recomputed after a nudge */
    uint64_t pruned;         /* stale sums proven below the threshold */
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

/* Called after each block with the steps done so far and how many of
 * their predictions were right. */
typedef void bdc_engine_progress(void *ctx, uint64_t done, uint64_t correct);

/* Trains `steps` steps from step 0, visiting set in file order, epoch
 * after epoch (step n sees sample n mod count).  Returns the number of
 * steps whose prediction, made before learning, was right.  `progress`
 * may be NULL. */
uint64_t bdc_engine_train(bdc_engine *e, const bdc_samples *set, uint64_t steps,
                          bdc_engine_progress *progress, void *ctx);

/* The number of samples of set the trained model classifies right. */
uint64_t bdc_engine_test(bdc_engine *e, const bdc_samples *set);

/* The fingerprint and parameter count the per-sample learner of the same
 * model reports (model.h). */
uint64_t bdc_engine_fingerprint(const bdc_engine *e);
size_t bdc_engine_parameter_count(const bdc_engine *e);

/* The options in effect (defaults resolved) and the counters so far. */
bdc_engine_opts bdc_engine_options(const bdc_engine *e);
bdc_engine_stats bdc_engine_stats_of(const bdc_engine *e);

void bdc_engine_destroy(bdc_engine *e);

#endif
