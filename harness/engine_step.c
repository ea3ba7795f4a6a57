/* The steps of a block, in order, as the spec defines a training step:
 * GReLU of the forward sums, the prediction, GReLU of the label side, the
 * winner, the two nudges.  The forward sums were taken before the block's
 * first step; a neuron nudged since then has a stale sum, which is either
 * recomputed exactly or proven, by a bound, to lie below the GReLU
 * threshold, where its exact value changes nothing (docs/engine.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

/* GReLU of v[0..n) (spec), kept sparse: the indices whose output is not
 * +0.0f... or may be, as `above` gives every v > t, with their outputs.
 * `m` is max(v) and `nan` says whether some v is NaN. */
static size_t grelu_sparse(const bdc_engine_kernels *ek, const float *v, size_t n,
                           float m, int nan, uint32_t *idx, float *out)
{
    if (nan || !(m > 0.0f) || !isfinite(m))
        return 0;
    const float t = (float)(0.95 * (double)m);
    const float m2 = m - t;
    if (!(m2 > 0.0f))
        return 0;
    const size_t count = ek->above(v, n, t, idx);
    ek->grelu_at(v, idx, count, t, m2, out);
    return count;
}

/* The prediction from the sparse hidden activations (ascending neurons):
 * the label-side sums, then (bidir) their GReLU, then the first maximum. */
static int classify(const bdc_engine *e, const uint32_t *cand, const float *h,
                    size_t count, uint64_t *macs)
{
    float o[BDC_CLASSES] = {0};
    const size_t C = e->C;
    for (size_t i = 0; i < count; i++) {
        if (h[i] == 0.0f)
            continue; /* GReLU zeros are not terms of the sum */
        const float *w = e->label_n + (size_t)cand[i] * C;
        for (size_t c = 0; c < C; c++)
            o[c] = o[c] + h[i] * w[c];
        *macs += C;
    }
    if (e->output_grelu)
        e->k->grelu(o, C);
    return (int)bdc_argmax_first(o, C);
}

/* The sums of the neurons nudged since the forward: each either proven
 * below the GReLU threshold (and set to -INFINITY, which no GReLU output
 * or maximum can see) or recomputed exactly.  Returns max(s) over all
 * neurons and sets *nan as max_scan does. */
static float resolve_dirty(bdc_engine *e, size_t t, float *s, int *nan)
{
    const size_t nd = e->ndirty;
    for (size_t d = 0; d < nd; d++) {
        const uint32_t j = e->dirty[d].neuron;
        e->stale[d] = s[j];
        s[j] = -INFINITY;
    }
    float m = e->ek->max_scan(s, e->H, nan);
    if (!nd)
        return m;

    /* The largest exact sum seen so far bounds the threshold from below;
     * a neuron whose new sum provably stays under it cannot be the maximum
     * nor have a GReLU output other than +0.0f. */
    const int bound = e->prune && !*nan && m > 0.0f && isfinite(m);
    const double threshold = bound ? (double)(float)(0.95 * (double)m) : 0.0;
    const double norm = e->norm[t];
    size_t nredo = 0;
    for (size_t d = 0; d < nd; d++) {
        const engine_dirty *r = &e->dirty[d];
        if (bound && r->nudges == 1) {
            const double ub = (1.0 + e->eps) *
                                  ((double)r->fmax * ((double)e->stale[d] + r->slack) +
                                   (double)r->c3 * norm * r->norm) +
                              r->slack;
            if (ub < threshold) {
                e->stats.pruned++;
                continue;
            }
        }
        e->redo_neuron[nredo] = r->neuron;
        e->redo_offset[nredo++] = (size_t)r->neuron * e->D;
    }
    if (!nredo)
        return m;
    const uint32_t first = e->start[t];
    const size_t nnz = e->start[t + 1] - first;
    e->ek->dot_rows(e->idx + first, e->val + first, nnz, e->neurons, e->redo_offset,
                    nredo, e->redo_sum);
    for (size_t r = 0; r < nredo; r++) {
        const float v = e->redo_sum[r];
        s[e->redo_neuron[r]] = v;
        if (v != v)
            *nan = 1;
        else if (v > m)
            m = v;
    }
    e->stats.recomputed += nredo;
    e->stats.recompute_macs += (uint64_t)nredo * nnz;
    return m;
}

int bdc_engine_step(bdc_engine *e, size_t t, uint64_t n)
{
    engine_scratch *sc = &e->scratch[0];
    const size_t D = e->D, H = e->H, C = e->C;
    float *s = e->act + t * e->Hp;

    int nan;
    const float m = resolve_dirty(e, t, s, &nan);
    const size_t nh = grelu_sparse(e->ek, s, H, m, nan, sc->cand, sc->h);
    const int predicted = classify(e, sc->cand, sc->h, nh, &e->stats.output_macs);

    /* The label side: GReLU(0 + 1 * w) of the label's weights; the zero
     * and the one change no value that GReLU lets through. */
    const int label = e->label[t];
    const float *lw = e->label_w + (size_t)label * H;
    int enan;
    const float em = e->ek->max_scan(lw, H, &enan);
    const size_t ne = grelu_sparse(e->ek, lw, H, em, enan, sc->ecand, sc->e);

    /* The winner, by the per-sample kernel itself over h and e laid out
     * dense: exactly the arrays a per-sample step builds. */
    for (size_t i = 0; i < nh; i++) e->h_dense[sc->cand[i]] = sc->h[i];
    for (size_t i = 0; i < ne; i++) e->e_dense[sc->ecand[i]] = sc->e[i];
    const size_t win = e->k->winner(e->h_dense, e->e_dense, H, (float)e->cfg.alpha,
                                    (float)e->cfg.beta);
    for (size_t i = 0; i < nh; i++) e->h_dense[sc->cand[i]] = 0.0f;
    for (size_t i = 0; i < ne; i++) e->e_dense[sc->ecand[i]] = 0.0f;
    const float *row = e->neurons + win * D;
    for (size_t i = 0; i < D; i += 16)
        __builtin_prefetch(row + i, 1);

    /* The nudges: the winner's image weights toward the sample, its label
     * weights toward the one-hot label. */
    const double lr = bdc_learning_rate(&e->cfg, n);
    const bdc_nudge_coef cx = bdc_nudge_coef_make(lr, e->cfg.q_input, e->cfg.decay);
    const bdc_nudge_coef cy = bdc_nudge_coef_make(lr, e->cfg.q_label, e->cfg.decay);
    const uint32_t first = e->start[t], nnz = e->start[t + 1] - first;
    for (uint32_t k = 0; k < nnz; k++)
        e->dense[e->idx[first + k]] = e->val[first + k];
    e->k->nudge(e->neurons + win * D, e->dense, D, &cx);
    for (uint32_t k = 0; k < nnz; k++)
        e->dense[e->idx[first + k]] = 0.0f;

    float column[BDC_CLASSES], onehot[BDC_CLASSES] = {0};
    onehot[label] = 1.0f;
    for (size_t c = 0; c < C; c++)
        column[c] = e->label_w[c * H + win];
    e->k->nudge(column, onehot, C, &cy);
    for (size_t c = 0; c < C; c++)
        e->label_w[c * H + win] = e->label_n[win * C + c] = column[c];

    /* Remember the nudge for the block's later steps. */
    if (e->dirty_of[win]) {
        e->dirty[e->dirty_of[win] - 1].nudges++;
    } else {
        engine_dirty *r = &e->dirty[e->ndirty++];
        r->neuron = (uint32_t)win;
        r->nudges = 1;
        /* f(a) = ((c1*a) - c2) + d grows with a: f(amax) bounds every
         * factor of this nudge. */
        float f = cx.c1 * e->amax;
        f = f - cx.c2;
        f = f + cx.d;
        r->fmax = f;
        r->c3 = cx.c3;
        r->norm = e->norm[t];
        /* Subnormal rounding errors, 2^-150 each, generously counted. */
        r->slack = ((double)D * (2.0 * (double)f + 4.0 * (double)e->amax + 4.0) + 1.0) *
                   0x1p-149;
        e->dirty_of[win] = (uint32_t)e->ndirty;
    }
    return predicted == label;
}

static int compare_u32(const void *a, const void *b)
{
    const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

void bdc_engine_end_block(bdc_engine *e)
{
    for (size_t d = 0; d < e->ndirty; d++) {
        e->pending[d] = e->dirty[d].neuron;
        e->dirty_of[e->dirty[d].neuron] = 0;
    }
    e->npending = e->ndirty;
    e->ndirty = 0;
    qsort(e->pending, e->npending, sizeof *e->pending, compare_u32);
    size_t p = 0;
    for (size_t g = 0; g <= e->groups; g++) {
        while (p < e->npending && e->pending[p] < g * BDC_ENGINE_GROUP)
            p++;
        e->group_pending[g] = p;
    }
    e->group_pending[e->groups] = e->npending;
}

int bdc_engine_predict(const bdc_engine *e, size_t t, engine_scratch *sc)
{
    const float *s = e->act + t * e->Hp;
    int nan;
    const float m = e->ek->max_scan(s, e->H, &nan);
    const size_t nh = grelu_sparse(e->ek, s, e->H, m, nan, sc->cand, sc->h);
    uint64_t macs = 0;
    return classify(e, sc->cand, sc->h, nh, &macs);
}
