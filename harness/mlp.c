/* The mlp baseline's arithmetic (docs/mlp.md has the full order of
 * operations).  A minibatch step runs in three phases:
 *   1. forward every sample with the weights of the batch start, keeping
 *      the ReLU outputs h (dense and as a sparse list) and the gradients at
 *      the logits (g2) and at the hidden pre-activations (g1).  g1 comes
 *      from W2 . g2, computed as activate_sparse over a copy of W2
 *      transposed (C x H): the outputs (hidden neurons) are then contiguous
 *      and the kernel vectorises across them without gathers;
 *   2. list, per input, the samples of the batch where it is non-zero (and
 *      per hidden neuron, the samples where it fired);
 *   3. step every weight row that some sample touched with update_sparse:
 *      row -= (lr/B) * sum over those samples, in sample order, of
 *      input * gradient.  Untouched rows have a zero gradient and keep their
 *      bits, so they are skipped. */
#include "mlp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "../kernels/softmax.h"
#include "fingerprint.h"
#include "rng.h"

/* For each row of a weight matrix, the samples of the batch that touch it:
 * entries start[r] .. start[r+1]-1 of smp (sample numbers, ascending) and
 * val (that sample's input to the row). */
typedef struct column_lists {
    size_t rows;
    size_t *start; /* rows + 1 */
    uint32_t *smp;
    float *val;
    size_t cap;
} column_lists;

/* Buffers of one thread: a sample's forward pass and hidden gradient. */
typedef struct lane {
    float *h;    /* H: ReLU outputs */
    float *back; /* H: W2 . g2 */
    float *z2;   /* C: logits */
} lane;

struct bdc_mlp_scratch {
    lane *lanes;     /* one per thread; predictions use lanes[0] */
    uint32_t *h_idx; /* max_batch x H: each sample's firing neurons ... */
    float *h_val;    /* ... and their outputs */
    size_t *h_nnz;   /* max_batch */
    float *g1;       /* max_batch x H: gradient at the hidden pre-activations */
    float *g2;       /* max_batch x C: gradient at the logits */
    float *W2T;      /* C x H: W2 transposed at the batch start */
    uint32_t *classes; /* 0, 1, ..., C-1 */
    uint32_t *all;   /* 0, 1, ..., max_batch-1 */
    float *ones;     /* max_batch times 1.0f: the bias's input */
    /* Per sample, the (row, value) pairs that lists_build sorts: the
     * inputs' for xcol, the hidden layer's for hcol (each max_batch). */
    const uint32_t **x_idx, **hn_idx;
    const float **x_val, **hn_val;
    size_t *x_nnz;
    column_lists xcol; /* D rows */
    column_lists hcol; /* H rows */
};

static void lists_free(column_lists *l)
{
    free(l->start);
    free(l->smp);
    free(l->val);
}

static int lists_init(column_lists *l, size_t rows, size_t cap)
{
    l->rows = rows;
    l->cap = cap ? cap : 1;
    l->start = malloc((rows + 1) * sizeof *l->start);
    l->smp = malloc(l->cap * sizeof *l->smp);
    l->val = malloc(l->cap * sizeof *l->val);
    return l->start && l->smp && l->val ? 0 : -1;
}

static int lists_reserve(column_lists *l, size_t entries)
{
    if (entries <= l->cap)
        return 0;
    uint32_t *smp = malloc(entries * sizeof *smp);
    float *val = malloc(entries * sizeof *val);
    if (!smp || !val) {
        free(smp);
        free(val);
        return -1;
    }
    free(l->smp);
    free(l->val);
    l->smp = smp;
    l->val = val;
    l->cap = entries;
    return 0;
}

/* A counting sort of the batch's (row, value) pairs by row: the samples are
 * visited in order, so each row's list is in ascending sample order.
 * Sample s contributes the nnz[s] pairs (idx[s][k], val[s][k]). */
static void lists_build(column_lists *l, size_t count, const uint32_t *const *idx,
                        const float *const *val, const size_t *nnz)
{
    size_t *start = l->start;
    memset(start, 0, (l->rows + 1) * sizeof *start);
    for (size_t s = 0; s < count; s++)
        for (size_t k = 0; k < nnz[s]; k++)
            start[idx[s][k] + 1]++;
    for (size_t r = 0; r < l->rows; r++)
        start[r + 1] += start[r];
    /* start[r] now moves forward as row r fills, then is restored. */
    for (size_t s = 0; s < count; s++)
        for (size_t k = 0; k < nnz[s]; k++) {
            const size_t at = start[idx[s][k]]++;
            l->smp[at] = (uint32_t)s;
            l->val[at] = val[s][k];
        }
    for (size_t r = l->rows; r > 0; r--)
        start[r] = start[r - 1];
    start[0] = 0;
}

static void scratch_free(bdc_mlp_scratch *t, size_t threads)
{
    if (!t) return;
    for (size_t i = 0; t->lanes && i < threads; i++) {
        free(t->lanes[i].h);
        free(t->lanes[i].back);
        free(t->lanes[i].z2);
    }
    free(t->lanes);
    free(t->h_idx); free(t->h_val); free(t->h_nnz);
    free(t->g1); free(t->g2); free(t->W2T); free(t->classes);
    free(t->all); free(t->ones);
    free(t->x_idx); free(t->hn_idx); free(t->x_val); free(t->hn_val); free(t->x_nnz);
    lists_free(&t->xcol);
    lists_free(&t->hcol);
    free(t);
}

static bdc_mlp_scratch *scratch_new(size_t D, size_t H, size_t C, size_t B,
                                    size_t threads)
{
    bdc_mlp_scratch *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    int ok = (t->lanes = calloc(threads, sizeof *t->lanes)) != NULL;
    for (size_t i = 0; ok && i < threads; i++) {
        lane *l = &t->lanes[i];
        l->h = malloc(H * sizeof *l->h);
        l->back = malloc(H * sizeof *l->back);
        l->z2 = malloc(C * sizeof *l->z2);
        ok = l->h && l->back && l->z2;
    }
    t->h_idx = malloc(B * H * sizeof *t->h_idx);
    t->h_val = malloc(B * H * sizeof *t->h_val);
    t->h_nnz = malloc(B * sizeof *t->h_nnz);
    t->g1 = malloc(B * H * sizeof *t->g1);
    t->g2 = malloc(B * C * sizeof *t->g2);
    t->W2T = malloc(C * H * sizeof *t->W2T);
    t->classes = malloc(C * sizeof *t->classes);
    t->all = malloc(B * sizeof *t->all);
    t->ones = malloc(B * sizeof *t->ones);
    t->x_idx = malloc(B * sizeof *t->x_idx);
    t->hn_idx = malloc(B * sizeof *t->hn_idx);
    t->x_val = malloc(B * sizeof *t->x_val);
    t->hn_val = malloc(B * sizeof *t->hn_val);
    t->x_nnz = malloc(B * sizeof *t->x_nnz);
    /* Room for 256 non-zero inputs per sample to start with; more is
     * allocated when a batch needs it. */
    ok = ok && lists_init(&t->xcol, D, B * (D < 256 ? D : 256)) == 0 &&
         lists_init(&t->hcol, H, B * H) == 0;
    if (!ok || !t->h_idx || !t->h_val || !t->h_nnz || !t->g1 || !t->g2 || !t->W2T ||
        !t->classes || !t->all || !t->ones || !t->x_idx || !t->hn_idx || !t->x_val ||
        !t->hn_val || !t->x_nnz) {
        scratch_free(t, threads);
        return NULL;
    }
    for (size_t c = 0; c < C; c++)
        t->classes[c] = (uint32_t)c;
    for (size_t s = 0; s < B; s++) {
        t->all[s] = (uint32_t)s;
        t->ones[s] = 1.0f;
        t->hn_idx[s] = t->h_idx + s * H;
        t->hn_val[s] = t->h_val + s * H;
    }
    return t;
}

bdc_mlp *bdc_mlp_create(size_t D, size_t H, size_t C, size_t max_batch,
                        unsigned threads, const bdc_kernels *k)
{
    bdc_mlp *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->D = D;
    m->H = H;
    m->C = C;
    m->k = k;
    m->max_batch = max_batch;
    m->threads = threads ? threads : 1;
    m->W1 = calloc(D * H, sizeof *m->W1);
    m->b1 = calloc(H, sizeof *m->b1);
    m->W2 = calloc(H * C, sizeof *m->W2);
    m->b2 = calloc(C, sizeof *m->b2);
    m->scratch = scratch_new(D, H, C, max_batch, m->threads);
    if (!m->W1 || !m->b1 || !m->W2 || !m->b2 || !m->scratch) {
        bdc_mlp_destroy(m);
        return NULL;
    }
    return m;
}

void bdc_mlp_destroy(bdc_mlp *m)
{
    if (!m) return;
    free(m->W1); free(m->b1); free(m->W2); free(m->b2);
    scratch_free(m->scratch, m->threads);
    free(m);
}

static void fill_uniform(bdc_rng *r, float *w, size_t n, double bound)
{
    for (size_t i = 0; i < n; i++)
        w[i] = (float)((2.0 * bdc_rng_unit(r) - 1.0) * bound);
}

void bdc_mlp_init(bdc_mlp *m, uint64_t seed)
{
    bdc_rng r;
    bdc_rng_seed(&r, seed, BDC_RNG_STREAM_INIT);
    /* sqrt is correctly rounded by IEEE 754: the same bound everywhere. */
    fill_uniform(&r, m->W1, m->D * m->H, sqrt(6.0 / (double)m->D));
    fill_uniform(&r, m->W2, m->H * m->C, sqrt(6.0 / (double)(m->H + m->C)));
    memset(m->b1, 0, m->H * sizeof *m->b1);
    memset(m->b2, 0, m->C * sizeof *m->b2);
}

/* h = ReLU(x.W1 + b1) into h (H floats) and its non-zeros into idx/val;
 * then the logits z2 = h.W2 + b2.  Returns the number of non-zeros of h. */
static size_t forward(const bdc_mlp *m, const bdc_sample *x, float *h,
                      uint32_t *idx, float *val, float *z2)
{
    const size_t H = m->H, C = m->C;
    m->k->activate_sparse(x->idx, x->val, x->nnz, m->W1, H, H, h);
    size_t nnz = 0;
    for (size_t j = 0; j < H; j++) {
        const float z = h[j] + m->b1[j];
        /* ReLU; its derivative at 0 is taken as 0.  A z of -0.0f or NaN
         * gives +0.0f.  The non-zeros are listed without a branch (half of
         * them fire, unpredictably): every j is written at the end of the
         * list, which only grows past it when z > 0. */
        const int on = z > 0.0f;
        h[j] = on ? z : 0.0f;
        idx[nnz] = (uint32_t)j;
        val[nnz] = z;
        nnz += (size_t)on;
    }
    m->k->activate_sparse(idx, val, nnz, m->W2, C, C, z2);
    for (size_t c = 0; c < C; c++)
        z2[c] = z2[c] + m->b2[c];
    return nnz;
}

static int argmax_first(const float *v, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (v[i] > v[best])
            best = i;
    return (int)best;
}

/* The price of one forward pass (docs/methodology.md). */
static void account_forward(const bdc_mlp *m, size_t x_nnz, size_t h_nnz, bdc_cost *c)
{
    bdc_cost_activate(c, x_nnz, m->D, m->H);
    bdc_cost_activate(c, h_nnz, m->H, m->C);
    c->elementwise_flops += 2 * (uint64_t)m->H + m->C; /* biases and ReLU */
}

int bdc_mlp_predict(bdc_mlp *m, const bdc_sample *s)
{
    bdc_mlp_scratch *t = m->scratch;
    const lane *l = &t->lanes[0];
    const size_t h_nnz = forward(m, s, l->h, t->h_idx, t->h_val, l->z2);
    account_forward(m, s->nnz, h_nnz, &m->infer);
    m->infer.samples++;
    return argmax_first(l->z2, m->C);
}

/* Phase 1 for sample s, on one thread's lane: forward, softmax, the
 * gradients g2 and g1.  Returns 1 when the prediction was right. */
static int sample_gradients(bdc_mlp *m, const bdc_sample *x, size_t s, const lane *l)
{
    bdc_mlp_scratch *t = m->scratch;
    const size_t H = m->H, C = m->C;
    float *g1 = t->g1 + s * H, *g2 = t->g2 + s * C;
    uint32_t *on = t->h_idx + s * H;
    t->h_nnz[s] = forward(m, x, l->h, on, t->h_val + s * H, l->z2);
    const int right = argmax_first(l->z2, C) == x->label;
    bdc_softmax_xent_grad(l->z2, C, (size_t)x->label, g2);
    m->k->activate_sparse(t->classes, g2, C, t->W2T, H, H, l->back);
    /* Through the ReLU: the firing neurons pass the gradient on. */
    memset(g1, 0, H * sizeof *g1);
    for (size_t q = 0; q < t->h_nnz[s]; q++)
        g1[on[q]] = l->back[on[q]];
    return right;
}

/* The price of one batch's training (docs/methodology.md), from the
 * non-zeros it saw and the rows its step touched. */
static void account_batch(bdc_mlp *m, const bdc_sample *batch, size_t count)
{
    const bdc_mlp_scratch *t = m->scratch;
    const size_t D = m->D, H = m->H, C = m->C;
    bdc_cost *cost = &m->train;
    for (size_t s = 0; s < count; s++) {
        account_forward(m, batch[s].nnz, t->h_nnz[s], cost);
        bdc_cost_softmax(cost, C);
        bdc_cost_activate(cost, C, C, H);
    }
    for (size_t i = 0; i < D; i++) {
        const size_t n = t->xcol.start[i + 1] - t->xcol.start[i];
        if (n)
            bdc_cost_update(cost, n, count, H);
        else /* skipped: nominally still a product over the batch */
            cost->dense_macs += (uint64_t)count * H;
    }
    bdc_cost_update(cost, count, count, H);
    for (size_t j = 0; j < H; j++) {
        const size_t n = t->hcol.start[j + 1] - t->hcol.start[j];
        if (n)
            bdc_cost_update(cost, n, count, C);
        else
            cost->dense_macs += (uint64_t)count * C;
    }
    bdc_cost_update(cost, count, count, C);
    cost->samples += count;
}

int bdc_mlp_train_batch(bdc_mlp *m, const bdc_sample *batch, size_t count,
                        double lr, size_t *correct)
{
    const bdc_kernels *k = m->k;
    bdc_mlp_scratch *t = m->scratch;
    const size_t D = m->D, H = m->H, C = m->C;
    *correct = 0;
    if (count == 0)
        return 0;
    if (count > m->max_batch)
        return -1;
    size_t total_nnz = 0;
    for (size_t s = 0; s < count; s++) {
        total_nnz += batch[s].nnz;
        t->x_idx[s] = batch[s].idx;
        t->x_val[s] = batch[s].val;
        t->x_nnz[s] = batch[s].nnz;
    }
    if (lists_reserve(&t->xcol, total_nnz))
        return -1;
    for (size_t j = 0; j < H; j++)
        for (size_t c = 0; c < C; c++)
            t->W2T[c * H + j] = m->W2[j * C + c];
    /* The step: the mean gradient is the sum over the batch times 1/B. */
    const float eta = (float)(lr / (double)count);
    const column_lists *xc = &t->xcol, *hc = &t->hcol;
    size_t right = 0;

    /* Threads share out samples (phase 1), the two lists (phase 2) and rows
     * (phase 3); every sample's and every row's arithmetic is the same
     * whichever thread does it, so the bits do not depend on the count. */
#ifdef _OPENMP
#pragma omp parallel num_threads(m->threads) if (m->threads > 1)
#endif
    {
#ifdef _OPENMP
        const lane *l = &t->lanes[omp_get_thread_num()];
#pragma omp for schedule(static) reduction(+ : right)
#else
        const lane *l = &t->lanes[0];
#endif
        for (size_t s = 0; s < count; s++)
            right += (size_t)sample_gradients(m, &batch[s], s, l);

#ifdef _OPENMP
#pragma omp sections
#endif
        {
#ifdef _OPENMP
#pragma omp section
#endif
            lists_build(&t->xcol, count, t->x_idx, t->x_val, t->x_nnz);
#ifdef _OPENMP
#pragma omp section
#endif
            lists_build(&t->hcol, count, t->hn_idx, t->hn_val, t->h_nnz);
        }

#ifdef _OPENMP
#pragma omp for schedule(dynamic, 32) nowait
#endif
        for (size_t i = 0; i < D; i++) {
            const size_t a = xc->start[i], n = xc->start[i + 1] - a;
            if (n)
                k->update_sparse(xc->smp + a, xc->val + a, n, t->g1, H, H, eta, m->W1 + i * H);
        }
#ifdef _OPENMP
#pragma omp for schedule(static) nowait
#endif
        for (size_t j = 0; j < H; j++) {
            const size_t a = hc->start[j], n = hc->start[j + 1] - a;
            if (n)
                k->update_sparse(hc->smp + a, hc->val + a, n, t->g2, C, C, eta, m->W2 + j * C);
        }
#ifdef _OPENMP
#pragma omp single nowait
#endif
        {
            k->update_sparse(t->all, t->ones, count, t->g1, H, H, eta, m->b1);
            k->update_sparse(t->all, t->ones, count, t->g2, C, C, eta, m->b2);
        }
    }
    *correct = right;
    account_batch(m, batch, count);
    return 0;
}

uint64_t bdc_mlp_fingerprint(const bdc_mlp *m)
{
    uint64_t h = bdc_fnv1a64_floats(BDC_FNV1A64_INIT, m->W1, m->D * m->H);
    h = bdc_fnv1a64_floats(h, m->b1, m->H);
    h = bdc_fnv1a64_floats(h, m->W2, m->H * m->C);
    return bdc_fnv1a64_floats(h, m->b2, m->C);
}

size_t bdc_mlp_parameter_count(const bdc_mlp *m)
{
    return m->D * m->H + m->H + m->H * m->C + m->C;
}

void bdc_mlp_cost(const bdc_mlp *m, bdc_cost *train, bdc_cost *infer)
{
    const uint64_t D = m->D, H = m->H, C = m->C, B = m->max_batch;
    const bdc_mlp_scratch *t = m->scratch;
    const uint64_t f = sizeof(float), z = sizeof(size_t), p = sizeof(void *);
    const uint64_t weights = f * (D * H + H + H * C + C);
    /* A prediction's buffers: h, its non-zeros (index and value), logits. */
    const uint64_t forward_buffers = f * (3 * H + C);
    *train = m->train;
    *infer = m->infer;
    infer->memory_bytes = weights + forward_buffers;
    const uint64_t T = m->threads;
    train->memory_bytes =
        weights
        + f * T * (2 * H + C)         /* per thread: h, back, the logits */
        + f * (C * H + C)             /* W2 transposed, classes */
        + f * (3 * B * H + B * C)     /* per sample: h's non-zeros (2), g1, g2 */
        + f * 2 * B + z * 2 * B + p * 4 * B /* all, ones, h_nnz, x_nnz, the pair pointers */
        + z * (D + 1) + f * 2 * t->xcol.cap /* per-input lists */
        + z * (H + 1) + f * 2 * t->hcol.cap; /* per-hidden lists */
}
