/* Model `bidir` (spec: the published "bidirect2"): image -> H hidden -> C
 * outputs, A is D x H, B is H x C, both input-major.  Per step:
 *   h = GReLU(x.A), o = GReLU(h.B), e = GReLU(B.y),
 *   k = argmax(alpha*h + beta*e), nudge column k of A toward x and row k of
 *   B toward y.
 * Bt is a copy of B laid out C x H, so that B.y is a kernel product too
 * (every multiply-add goes through the kernel table and can be counted). */
#include <stdlib.h>
#include <string.h>

#include "column.h"
#include "fingerprint.h"
#include "huge_alloc.h"
#include "model.h"

typedef struct bidir {
    bdc_config cfg;
    const bdc_kernels *k;
    size_t D, H, C;
    float *A, *B, *Bt;
    float *h, *e, *o, *column;
    uint32_t *h_idx; /* non-zeros of h, the sparse input of h.B */
    float *h_val;
    float onehot[BDC_CLASSES];
    bdc_cost train, infer;
} bidir;

static void destroy(bdc_model *m)
{
    bidir *b = (bidir *)m;
    if (!b) return;
    free(b->A); free(b->B); free(b->Bt); free(b->h); free(b->e); free(b->o);
    free(b->column); free(b->h_idx); free(b->h_val);
    free(b);
}

static bdc_model *create(const bdc_config *cfg, size_t dim, const bdc_kernels *k)
{
    bidir *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->cfg = *cfg;
    b->k = k;
    b->D = dim;
    b->H = cfg->hidden;
    b->C = BDC_CLASSES;
    /* Huge pages: the column nudge touches a line in every row of A. */
    b->A = bdc_huge_alloc(b->D * b->H * sizeof *b->A);
    b->B = malloc(b->H * b->C * sizeof *b->B);
    b->Bt = malloc(b->H * b->C * sizeof *b->Bt);
    b->h = malloc(b->H * sizeof *b->h);
    b->e = malloc(b->H * sizeof *b->e);
    b->o = malloc(b->C * sizeof *b->o);
    b->column = malloc(b->D * sizeof *b->column);
    b->h_idx = malloc(b->H * sizeof *b->h_idx);
    b->h_val = malloc(b->H * sizeof *b->h_val);
    if (!b->A || !b->B || !b->Bt || !b->h || !b->e || !b->o || !b->column || !b->h_idx ||
        !b->h_val) {
        destroy((bdc_model *)b);
        return NULL;
    }
    const float init = (float)cfg->init;
    for (size_t i = 0; i < b->D * b->H; i++) b->A[i] = init;
    for (size_t i = 0; i < b->H * b->C; i++) b->B[i] = b->Bt[i] = init;
    const size_t D = b->D, H = b->H, C = b->C, f = sizeof(float);
    /* Training touches everything; a prediction A, B and its buffers. */
    b->train.memory_bytes = f * (D * H + 2 * H * C + 4 * H + 2 * C + D);
    b->infer.memory_bytes = f * (D * H + H * C + 3 * H + C);
    return (bdc_model *)b;
}

/* h = GReLU(x.A); o = GReLU(h.B); returns argmax(o).  Its cost goes to c. */
static int forward(bidir *b, const bdc_sample *s, bdc_cost *c)
{
    const bdc_kernels *k = b->k;
    k->activate_sparse(s->idx, s->val, s->nnz, b->A, b->H, b->H, b->h);
    k->grelu(b->h, b->H);
    size_t nnz = 0;
    for (size_t j = 0; j < b->H; j++)
        if (b->h[j] != 0.0f) {
            b->h_idx[nnz] = (uint32_t)j;
            b->h_val[nnz++] = b->h[j];
        }
    k->activate_sparse(b->h_idx, b->h_val, nnz, b->B, b->C, b->C, b->o);
    k->grelu(b->o, b->C);
    c->samples++;
    bdc_cost_activate(c, s->nnz, b->D, b->H);
    bdc_cost_grelu(c, b->H);
    bdc_cost_activate(c, nnz, b->H, b->C);
    bdc_cost_grelu(c, b->C);
    return (int)bdc_argmax_first(b->o, b->C);
}

static int train_step(bdc_model *m, const bdc_sample *s, uint64_t n)
{
    bidir *b = (bidir *)m;
    const bdc_kernels *k = b->k;
    const size_t D = b->D, H = b->H, C = b->C;
    const int predicted = forward(b, s, &b->train);

    /* e = GReLU(B.y): y is the sparse input {label: 1}, so e_j is
     * 0 + 1*B[j][label], the zero terms skipped. */
    const uint32_t label = (uint32_t)s->label;
    const float one = 1.0f;
    k->activate_sparse(&label, &one, 1, b->Bt, H, H, b->e);
    k->grelu(b->e, H);

    const size_t win = k->winner(b->h, b->e, H, (float)b->cfg.alpha,
                                 (float)b->cfg.beta);
    const double lr = bdc_learning_rate(&b->cfg, n);

    /* Column `win` of A is strided: gather, nudge, scatter (exact copies). */
    const bdc_nudge_coef cx = bdc_nudge_coef_make(lr, b->cfg.q_input, b->cfg.decay);
    bdc_column_gather(b->A, D, H, win, b->column);
    k->nudge(b->column, s->dense, D, &cx);
    bdc_column_scatter(b->A, D, H, win, b->column);

    memset(b->onehot, 0, sizeof b->onehot);
    b->onehot[s->label] = 1.0f;
    const bdc_nudge_coef cy = bdc_nudge_coef_make(lr, b->cfg.q_label, b->cfg.decay);
    k->nudge(b->B + win * C, b->onehot, C, &cy);
    for (size_t c = 0; c < C; c++) b->Bt[c * H + win] = b->B[win * C + c];

    bdc_cost *cost = &b->train;
    bdc_cost_activate(cost, 1, C, H);
    bdc_cost_grelu(cost, H);
    bdc_cost_winner(cost, H);
    bdc_cost_nudge(cost, D);
    bdc_cost_nudge(cost, C);
    return predicted;
}

static int predict(bdc_model *m, const bdc_sample *s)
{
    bidir *b = (bidir *)m;
    return forward(b, s, &b->infer);
}

/* A (D x H, row-major) then B (H x C, row-major). */
static uint64_t fingerprint(const bdc_model *m)
{
    const bidir *b = (const bidir *)m;
    uint64_t h = bdc_fnv1a64_floats(BDC_FNV1A64_INIT, b->A, b->D * b->H);
    return bdc_fnv1a64_floats(h, b->B, b->H * b->C);
}

static size_t parameter_count(const bdc_model *m)
{
    const bidir *b = (const bidir *)m;
    return b->D * b->H + b->H * b->C;
}

static void cost(const bdc_model *m, bdc_cost *train, bdc_cost *inference)
{
    const bidir *b = (const bidir *)m;
    *train = b->train;
    *inference = b->infer;
}

const bdc_model_ops bdc_model_bidir = {
    .name = "bidir",
    .create = create,
    .train_step = train_step,
    .predict = predict,
    .fingerprint = fingerprint,
    .parameter_count = parameter_count,
    .cost = cost,
    .destroy = destroy,
};
