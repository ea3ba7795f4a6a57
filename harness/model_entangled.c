/* Model `entangled` (spec: the published "bidirect"; also the learner of
 * `binconv`): H twin neurons, A is D x H (image side), L is C x H (label
 * side), both input-major.  Per step:
 *   a = GReLU(x.A), b = GReLU(y.L), prediction argmax(a.L^T),
 *   k = argmax(alpha*a + beta*b), nudge column k of A toward x (q_input) and
 *   column k of L toward y (q_label).
 * Lt is a copy of L laid out H x C, so that the scores a.L^T are a kernel
 * product too (every multiply-add goes through the kernel table and can be
 * counted). */
#include <stdlib.h>
#include <string.h>

#include "column.h"
#include "fingerprint.h"
#include "huge_alloc.h"
#include "model.h"

typedef struct entangled {
    bdc_config cfg;
    const bdc_kernels *k;
    size_t D, H, C;
    float *A, *L, *Lt;
    float *a, *b, *column;
    uint32_t *a_idx;
    float *a_val;
    float onehot[BDC_CLASSES];
    bdc_cost train, infer;
} entangled;

static void destroy(bdc_model *m)
{
    entangled *t = (entangled *)m;
    if (!t) return;
    free(t->A); free(t->L); free(t->Lt); free(t->a); free(t->b); free(t->column);
    free(t->a_idx); free(t->a_val);
    free(t);
}

static bdc_model *create(const bdc_config *cfg, size_t dim, const bdc_kernels *k)
{
    entangled *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->cfg = *cfg;
    t->k = k;
    t->D = dim;
    t->H = cfg->hidden;
    t->C = BDC_CLASSES;
    /* Huge pages: the column nudge touches a line in every row of A. */
    t->A = bdc_huge_alloc(t->D * t->H * sizeof *t->A);
    t->L = malloc(t->C * t->H * sizeof *t->L);
    t->Lt = malloc(t->C * t->H * sizeof *t->Lt);
    t->a = malloc(t->H * sizeof *t->a);
    t->b = malloc(t->H * sizeof *t->b);
    t->column = malloc(t->D * sizeof *t->column);
    t->a_idx = malloc(t->H * sizeof *t->a_idx);
    t->a_val = malloc(t->H * sizeof *t->a_val);
    if (!t->A || !t->L || !t->Lt || !t->a || !t->b || !t->column || !t->a_idx || !t->a_val) {
        destroy((bdc_model *)t);
        return NULL;
    }
    const float init = (float)cfg->init;
    for (size_t i = 0; i < t->D * t->H; i++) t->A[i] = init;
    for (size_t i = 0; i < t->C * t->H; i++) t->L[i] = t->Lt[i] = init;
    const size_t D = t->D, H = t->H, C = t->C, f = sizeof(float);
    /* Training touches everything; a prediction A, Lt and its buffers. */
    t->train.memory_bytes = f * (D * H + 2 * H * C + 4 * H + D + 3 * C);
    t->infer.memory_bytes = f * (D * H + H * C + 3 * H + C);
    return (bdc_model *)t;
}

/* a = GReLU(x.A); returns argmax over classes c of sum_j a_j * L[c][j].
 * Its cost goes to c. */
static int forward(entangled *t, const bdc_sample *s, bdc_cost *c)
{
    const size_t H = t->H;
    t->k->activate_sparse(s->idx, s->val, s->nnz, t->A, H, H, t->a);
    t->k->grelu(t->a, H);
    size_t nnz = 0;
    for (size_t j = 0; j < H; j++)
        if (t->a[j] != 0.0f) {
            t->a_idx[nnz] = (uint32_t)j;
            t->a_val[nnz++] = t->a[j];
        }
    float score[BDC_CLASSES];
    t->k->activate_sparse(t->a_idx, t->a_val, nnz, t->Lt, t->C, t->C, score);
    c->samples++;
    bdc_cost_activate(c, s->nnz, t->D, H);
    bdc_cost_grelu(c, H);
    bdc_cost_activate(c, nnz, H, t->C);
    return (int)bdc_argmax_first(score, t->C);
}

static int train_step(bdc_model *m, const bdc_sample *s, uint64_t n)
{
    entangled *t = (entangled *)m;
    const bdc_kernels *k = t->k;
    const size_t D = t->D, H = t->H, C = t->C;
    const int predicted = forward(t, s, &t->train);

    /* b = GReLU(y.L): y one-hot is the sparse input {label: 1}. */
    const uint32_t label = (uint32_t)s->label;
    const float one = 1.0f;
    k->activate_sparse(&label, &one, 1, t->L, H, H, t->b);
    k->grelu(t->b, H);

    const size_t win = k->winner(t->a, t->b, H, (float)t->cfg.alpha,
                                 (float)t->cfg.beta);
    const double lr = bdc_learning_rate(&t->cfg, n);

    const bdc_nudge_coef cx = bdc_nudge_coef_make(lr, t->cfg.q_input, t->cfg.decay);
    bdc_column_gather(t->A, D, H, win, t->column);
    k->nudge(t->column, s->dense, D, &cx);
    bdc_column_scatter(t->A, D, H, win, t->column);

    memset(t->onehot, 0, sizeof t->onehot);
    t->onehot[s->label] = 1.0f;
    float lcol[BDC_CLASSES];
    const bdc_nudge_coef cy = bdc_nudge_coef_make(lr, t->cfg.q_label, t->cfg.decay);
    for (size_t c = 0; c < C; c++) lcol[c] = t->L[c * H + win];
    k->nudge(lcol, t->onehot, C, &cy);
    for (size_t c = 0; c < C; c++) t->L[c * H + win] = t->Lt[win * C + c] = lcol[c];

    bdc_cost *cost = &t->train;
    bdc_cost_activate(cost, 1, C, H);
    bdc_cost_grelu(cost, H);
    bdc_cost_winner(cost, H);
    bdc_cost_nudge(cost, D);
    bdc_cost_nudge(cost, C);
    return predicted;
}

static int predict(bdc_model *m, const bdc_sample *s)
{
    entangled *t = (entangled *)m;
    return forward(t, s, &t->infer);
}

/* A (D x H, row-major) then L (C x H, row-major). */
static uint64_t fingerprint(const bdc_model *m)
{
    const entangled *t = (const entangled *)m;
    uint64_t h = bdc_fnv1a64_floats(BDC_FNV1A64_INIT, t->A, t->D * t->H);
    return bdc_fnv1a64_floats(h, t->L, t->C * t->H);
}

static size_t parameter_count(const bdc_model *m)
{
    const entangled *t = (const entangled *)m;
    return t->D * t->H + t->C * t->H;
}

static void cost(const bdc_model *m, bdc_cost *train, bdc_cost *inference)
{
    const entangled *t = (const entangled *)m;
    *train = t->train;
    *inference = t->infer;
}

const bdc_model_ops bdc_model_entangled = {
    .name = "entangled",
    .create = create,
    .train_step = train_step,
    .predict = predict,
    .fingerprint = fingerprint,
    .parameter_count = parameter_count,
    .cost = cost,
    .destroy = destroy,
};
