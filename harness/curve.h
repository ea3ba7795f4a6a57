/* Learning curves: test accuracy as training goes on, against the samples
 * seen, the executed training FLOPs and the wall time spent training.
 *
 * A training loop calls bdc_curve_tick() after every step (or block of
 * steps); every `every` samples it pauses the clock, tests the model on the
 * test set and records a point.  The time spent testing is kept apart, so a
 * point's train_seconds is training alone.  The final test of the run is
 * the last point (bdc_curve_finish), so a curve always ends at the run's
 * result, and a run without --eval-every has a one-point curve. */
#ifndef BDC_CURVE_H
#define BDC_CURVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"
#include "samples.h"

typedef struct bdc_curve_point {
    uint64_t samples;       /* training samples seen */
    uint64_t train_macs;    /* executed training multiply-adds so far */
    uint64_t train_flops;   /* executed training FLOPs so far */
    double train_seconds;   /* wall seconds of training so far, tests excluded */
    double train_cpu_seconds;
    uint64_t test_correct, test_samples;
    double test_accuracy;
} bdc_curve_point;

typedef struct bdc_curve {
    uint64_t every;         /* samples between points; 0: the final one only */
    uint64_t next;          /* the sample count of the next point */
    /* What a test needs. */
    const bdc_model_ops *ops;
    bdc_model *model;
    const bdc_samples *test;
    bdc_sample_buf *buf;
    /* The clocks: training started at start (wall) / cpu_start (process
     * CPU); testing has taken eval_seconds / eval_cpu_seconds since. */
    double start, cpu_start, eval_seconds, eval_cpu_seconds;
    bdc_curve_point *points;
    size_t count, capacity;
    int failed;             /* out of memory while recording */
} bdc_curve;

/* Prepares a curve and starts its clocks (call right before training). */
void bdc_curve_begin(bdc_curve *c, uint64_t every, const bdc_model_ops *ops,
                     bdc_model *model, const bdc_samples *test, bdc_sample_buf *buf);

/* After training on `samples` samples in all, of `total`: records a point
 * when one is due (never at `total`: that one is the final test). */
static inline void bdc_curve_tick(bdc_curve *c, uint64_t samples, uint64_t total);

/* Records a point now (the body of bdc_curve_tick). */
void bdc_curve_record(bdc_curve *c, uint64_t samples);

/* Training seconds (wall, CPU) so far, tests excluded. */
double bdc_curve_train_seconds(const bdc_curve *c);
double bdc_curve_train_cpu_seconds(const bdc_curve *c);

/* Adds the final point: the run's own test result after `samples` samples,
 * trained in train_seconds / train_cpu_seconds. */
void bdc_curve_finish(bdc_curve *c, uint64_t samples, double train_seconds,
                      double train_cpu_seconds, uint64_t test_correct,
                      uint64_t test_samples);

/* The first point whose accuracy is at least target, or NULL. */
const bdc_curve_point *bdc_curve_reach(const bdc_curve *c, double target);

/* The curve as CSV: a header line, then one line per point. */
void bdc_curve_write_csv(const bdc_curve *c, FILE *f);

void bdc_curve_free(bdc_curve *c);

/* Tests model on set: the number it classifies right. */
uint64_t bdc_evaluate(const bdc_model_ops *ops, bdc_model *model,
                      const bdc_samples *set, bdc_sample_buf *buf);

/* Seconds of CPU time this process has used, all threads. */
double bdc_cpu_now(void);

static inline void bdc_curve_tick(bdc_curve *c, uint64_t samples, uint64_t total)
{
    if (c->every && samples >= c->next && samples < total)
        bdc_curve_record(c, samples);
}

#endif
