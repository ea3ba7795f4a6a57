/* Model `mlp`: the backprop baseline (harness/mlp.c) behind bdc_model_ops.
 * This file only unpacks the harness's samples for it. */
#include <stdlib.h>

#include "mlp.h"
#include "model.h"

typedef struct mlp_model {
    bdc_mlp *net;
    double lr;
    bdc_sample *views; /* cfg.batch unpacked samples ... */
    uint32_t *idx;     /* ... whose non-zeros live here */
    float *val;
    size_t cap;        /* room in idx and val */
} mlp_model;

static void destroy(bdc_model *m)
{
    mlp_model *t = (mlp_model *)m;
    if (!t) return;
    bdc_mlp_destroy(t->net);
    free(t->views);
    free(t->idx);
    free(t->val);
    free(t);
}

static bdc_model *create(const bdc_config *cfg, size_t dim, const bdc_kernels *k)
{
    mlp_model *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->lr = cfg->lr;
    t->net = bdc_mlp_create(dim, cfg->hidden, BDC_CLASSES, cfg->batch, 1, k);
    t->views = malloc(cfg->batch * sizeof *t->views);
    if (!t->net || !t->views) {
        destroy((bdc_model *)t);
        return NULL;
    }
    bdc_mlp_init(t->net, cfg->seed);
    return (bdc_model *)t;
}

static int reserve(mlp_model *t, size_t n)
{
    if (n <= t->cap)
        return 0;
    uint32_t *idx = realloc(t->idx, n * sizeof *idx);
    if (idx) t->idx = idx;
    float *val = realloc(t->val, n * sizeof *val);
    if (val) t->val = val;
    if (!idx || !val)
        return -1;
    t->cap = n;
    return 0;
}

static int train_batch(bdc_model *m, const bdc_samples *set, const size_t *which,
                       size_t count, uint64_t n, size_t *correct)
{
    (void)n; /* plain SGD: the step size does not depend on the step */
    mlp_model *t = (mlp_model *)m;
    /* The batch's samples lie anywhere in the set: ask for the start of
     * each one's data now, so the loads below find it in cache. */
    size_t total = 0;
    for (size_t s = 0; s < count; s++) {
        const size_t first = set->start[which[s]], nnz = set->start[which[s] + 1] - first;
        for (size_t b = 0; b < nnz * sizeof *set->index && b < 512; b += 64)
            __builtin_prefetch((const char *)(set->index + first) + b);
        for (size_t b = 0; b < nnz && b < 256; b += 64)
            __builtin_prefetch(set->level + first + b);
        total += nnz;
    }
    if (count > t->net->max_batch || reserve(t, total))
        return -1;
    size_t at = 0;
    for (size_t s = 0; s < count; s++) {
        const size_t first = set->start[which[s]];
        const size_t nnz = set->start[which[s] + 1] - first;
        t->views[s] = (bdc_sample){t->idx + at, t->val + at, nnz, NULL,
                                   set->labels[which[s]]};
        for (size_t q = 0; q < nnz; q++, at++) {
            t->idx[at] = set->index[first + q];
            t->val[at] = set->value[set->level[first + q]];
        }
    }
    return bdc_mlp_train_batch(t->net, t->views, count, t->lr, correct);
}

static int predict(bdc_model *m, const bdc_sample *s)
{
    return bdc_mlp_predict(((mlp_model *)m)->net, s);
}

static uint64_t fingerprint(const bdc_model *m)
{
    return bdc_mlp_fingerprint(((const mlp_model *)m)->net);
}

/* The network's costs; training memory includes this file's unpacked
 * batch. */
static void cost(const bdc_model *m, bdc_cost *train, bdc_cost *inference)
{
    const mlp_model *t = (const mlp_model *)m;
    bdc_mlp_cost(t->net, train, inference);
    train->memory_bytes += t->net->max_batch * sizeof *t->views +
                           t->cap * (sizeof *t->idx + sizeof *t->val);
}

static size_t parameter_count(const bdc_model *m)
{
    return bdc_mlp_parameter_count(((const mlp_model *)m)->net);
}

const bdc_model_ops bdc_model_mlp = {
    .name = "mlp",
    .create = create,
    .train_step = NULL,
    .predict = predict,
    .fingerprint = fingerprint,
    .parameter_count = parameter_count,
    .destroy = destroy,
    .cost = cost,
    .train_batch = train_batch,
};
