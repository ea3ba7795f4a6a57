/* The blocked engine behind the model interface (model.h), so that every
 * caller of a model (the training loop, the learning curve, the results)
 * can run it.  Its fingerprint and parameter count are those of the
 * per-sample learner of the same model; its costs too, plus what only the
 * engine executes (engine.h). */
#include <stdio.h>
#include <string.h>

#include "../kernels/dispatch.h"
#include "engine_internal.h"
#include "fingerprint.h"

/* The family whose per-sample table is k. */
static const bdc_family *family_of(const bdc_kernels *k)
{
    for (size_t i = 0; i < bdc_family_count(); i++)
        if (bdc_family_at(i)->kernels == k)
            return bdc_family_at(i);
    return NULL;
}

static bdc_model *create(const bdc_config *cfg, size_t dim, const bdc_kernels *k)
{
    const bdc_family *f = family_of(k);
    const bdc_engine_opts defaults = {0, 0, 0};
    char err[256];
    return f ? bdc_engine_model(bdc_engine_create(cfg, dim, f, &defaults, err, sizeof err))
             : NULL;
}

/* One sample at a time, for callers that drive any model so: exact, but
 * each call is a block of one (train_steps and evaluate are the fast way). */
static int train_step(bdc_model *m, const bdc_sample *s, uint64_t n)
{
    return bdc_engine_train_one((bdc_engine *)m, s, n);
}

static int predict(bdc_model *m, const bdc_sample *s)
{
    return bdc_engine_predict_one((bdc_engine *)m, s);
}

/* As the per-sample learners hash them: A (D x H, input-major), then
 * bidir's B (H x C, its neuron-major label weights) or entangled's L
 * (C x H, class-major). */
static uint64_t fingerprint(const bdc_model *m)
{
    const bdc_engine *e = (const bdc_engine *)m;
    const size_t D = e->D, H = e->H, C = e->C;
    float buf[256];
    size_t used = 0;
    uint64_t h = BDC_FNV1A64_INIT;
    for (size_t i = 0; i < D; i++)
        for (size_t j = 0; j < H; j++) {
            buf[used++] = e->neurons[j * D + i];
            if (used == 256) {
                h = bdc_fnv1a64_floats(h, buf, used);
                used = 0;
            }
        }
    h = bdc_fnv1a64_floats(h, buf, used);
    if (!e->output_grelu)
        return bdc_fnv1a64_floats(h, e->label_w, C * H);
    for (size_t j = 0; j < H; j++)
        h = bdc_fnv1a64_floats(h, e->label_n + j * LABEL_STRIDE, C);
    return h;
}

static size_t parameter_count(const bdc_model *m)
{
    const bdc_engine *e = (const bdc_engine *)m;
    return e->D * e->H + e->H * e->C;
}

static void cost(const bdc_model *m, bdc_cost *train, bdc_cost *inference)
{
    const bdc_engine *e = (const bdc_engine *)m;
    *train = e->train_cost;
    *inference = e->infer_cost;
}

static void destroy(bdc_model *m) { bdc_engine_destroy((bdc_engine *)m); }

static uint64_t train_steps(bdc_model *m, const bdc_samples *set, uint64_t n, uint64_t count)
{
    return bdc_engine_train((bdc_engine *)m, set, n, count);
}

static uint64_t evaluate(bdc_model *m, const bdc_samples *set)
{
    return bdc_engine_test((bdc_engine *)m, set);
}

const bdc_model_ops bdc_engine_ops = {
    .name = "blocked",
    .create = create,
    .train_step = train_step,
    .predict = predict,
    .fingerprint = fingerprint,
    .parameter_count = parameter_count,
    .destroy = destroy,
    .cost = cost,
    .train_steps = train_steps,
    .evaluate = evaluate,
};
