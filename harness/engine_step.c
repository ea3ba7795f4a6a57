/* The steps of a block, in order, as the spec defines a training step:
 * GReLU of the forward sums, the prediction, GReLU of the label side, the
 * winner, the two nudges.  The block's forward sums were taken with the
 * weights as they were two blocks back: a neuron nudged since (in the
 * previous block or earlier in this one) has a stale sum, which is either
 * recomputed exactly or proven, by a bound, to lie below the GReLU
 * threshold, where its exact value changes nothing (docs/engine.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

/* GReLU kept sparse (engine_internal.h). */
size_t bdc_engine_grelu_sparse(const bdc_engine_kernels *ek, const float *v, size_t n,
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
                    size_t count, size_t *nonzero)
{
    /* One vector lane per class (GCC's generic vectors: SSE or NEON), each
     * lane its own sum, in candidate order; the padding lanes sum zeros. */
    typedef float lanes __attribute__((vector_size(16)));
    lanes sum[LABEL_STRIDE / 4];
    for (size_t v = 0; v < LABEL_STRIDE / 4; v++)
        sum[v] = (lanes){0.0f, 0.0f, 0.0f, 0.0f};
    *nonzero = 0;
    for (size_t i = 0; i < count; i++) {
        if (h[i] == 0.0f)
            continue; /* GReLU zeros are not terms of the sum */
        const float *w = e->label_n + (size_t)cand[i] * LABEL_STRIDE;
        const lanes x = {h[i], h[i], h[i], h[i]};
#pragma GCC unroll 4
        for (size_t v = 0; v < LABEL_STRIDE / 4; v++) {
            lanes row;
            memcpy(&row, w + 4 * v, sizeof row);
            sum[v] = sum[v] + x * row;
        }
        (*nonzero)++;
    }
    float o[LABEL_STRIDE];
    memcpy(o, sum, sizeof o);
    const size_t C = e->C;
    if (e->output_grelu)
        e->k->grelu(o, C);
    return (int)bdc_argmax_first(o, C);
}

/* The dense sample, the pending nudge and the nudges of a step:
 * engine_internal.h. */
void bdc_engine_dense_sample(bdc_engine *e, const engine_block *b, size_t t)
{
    float *x = e->dense[t & 1];
    for (uint32_t k = b->start[t]; k < b->start[t + 1]; k++)
        x[b->idx[k]] = b->val[k];
}

void bdc_engine_apply_pending(bdc_engine *e)
{
    const engine_block *b = e->pending_block;
    const size_t t = e->pending_t;
    float *x = e->dense[t & 1];
    e->k->nudge(e->neurons + (size_t)e->pending_neuron * e->D, x, e->D, &e->pending_coef);
    for (uint32_t k = b->start[t]; k < b->start[t + 1]; k++)
        x[b->idx[k]] = 0.0f;
    e->pending = 0;
}

/* Settles the entries of one list of nudged neurons for sample t, whose
 * stale sums were set aside in `stale` (and replaced in s by -INFINITY,
 * which no maximum and no GReLU output can see): those whose bound is
 * below `threshold` (0: no pruning) stay so, the others are queued for
 * recomputation.  Without branches: nearly every entry is pruned, but
 * which ones is not predictable. */
static void settle(bdc_engine *e, const engine_dirty *l, const float *stale,
                   double threshold, double norm, size_t *nredo)
{
    const size_t n = l->n;
    const uint32_t *restrict neuron = l->neuron;
    uint32_t *restrict redo = e->redo_neuron;
    size_t r = *nredo;
    if (threshold > 0.0) {
        const double *restrict a = l->a, *restrict b = l->b, *restrict c = l->c;
        for (size_t d = 0; d < n; d++) {
            redo[r] = neuron[d];
            r += !(bdc_engine_bound_abc(a[d], b[d], c[d], stale[d], norm) < threshold);
        }
    } else {
        for (size_t d = 0; d < n; d++)
            redo[r++] = neuron[d];
    }
    e->stats.pruned += n - (r - *nredo);
    *nredo = r;
}

/* The stale sums of one list's neurons set aside, -INFINITY in their
 * place. */
static void set_aside(const engine_dirty *l, float *restrict s, float *restrict stale)
{
    const uint32_t *restrict neuron = l->neuron;
    for (size_t d = 0; d < l->n; d++) {
        stale[d] = s[neuron[d]];
        s[neuron[d]] = -INFINITY;
    }
}

/* The forward sums of sample t made exact where the GReLU can see them.
 * The maximum of the sums not nudged since bounds the threshold from
 * below, so a neuron whose new sum provably stays under that bound can
 * neither be the maximum nor have a GReLU output other than +0.0f.
 * Returns max(s) over all neurons and sets *nan as max_scan does. */
static float resolve(bdc_engine *e, const engine_block *b, size_t t, float *s, int *nan)
{
    const size_t np = e->prev.n, nc = e->cur.n;
    set_aside(&e->prev, s, e->stale);
    set_aside(&e->cur, s, e->stale + np);
    float m = e->ek->max_scan(s, e->H, nan);
    if (!np && !nc)
        return m;

    const int bound = e->prune && !*nan && m > 0.0f && isfinite(m);
    const double threshold = bound ? (double)(float)(0.95 * (double)m) : 0.0;
    size_t nredo = 0;
    settle(e, &e->prev, e->stale, threshold, b->norm[t], &nredo);
    settle(e, &e->cur, e->stale + np, threshold, b->norm[t], &nredo);
    if (!nredo)
        return m;
    for (size_t r = 0; r < nredo; r++)
        e->redo_offset[r] = (size_t)e->redo_neuron[r] * e->D;
    if (e->pending)
        for (size_t r = 0; r < nredo; r++)
            if (e->redo_neuron[r] == e->pending_neuron) {
                bdc_engine_apply_pending(e);
                break;
            }
    const uint32_t first = b->start[t];
    const size_t nnz = b->start[t + 1] - first;
    e->ek->dot_rows(b->idx + first, b->val + first, nnz, e->neurons, e->redo_offset,
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
    /* Executed means executed (docs/methodology.md). */
    e->train_cost.macs += (uint64_t)nredo * nnz;
    e->train_cost.weight_bytes_read += (uint64_t)nredo * nnz * sizeof(float);
    return m;
}

/* Entry d of list l followed by one more nudge bounded by n. */
static void dirty_then(engine_dirty *l, size_t d, const engine_bound *n)
{
    engine_bound r = {l->a[d], l->b[d], l->c[d]};
    bdc_engine_bound_then(&r, n);
    l->a[d] = r.a;
    l->b[d] = r.b;
    l->c[d] = r.c;
}

/* Records a nudge of neuron k, for the later steps of this block and the
 * steps of the next. */
static void remember(bdc_engine *e, uint32_t k, const bdc_nudge_coef *cx, double norm)
{
    const engine_bound n = bdc_engine_bound_of(cx, e->amax, norm, e->D, e->eps);
    if (e->prev_of[k]) /* its entry of the previous block follows on */
        dirty_then(&e->prev, e->prev_of[k] - 1, &n);
    engine_dirty *l = &e->cur;
    if (e->cur_of[k]) {
        dirty_then(l, e->cur_of[k] - 1, &n);
        return;
    }
    /* Listed for the previous block: kept apart, for the next block only. */
    const size_t d = e->prev_of[k] ? l->cap - ++l->nshadow : l->n++;
    l->neuron[d] = k;
    l->a[d] = n.a;
    l->b[d] = n.b;
    l->c[d] = n.c;
    e->cur_of[k] = (uint32_t)(d + 1);
}

/* The label side's GReLU of class c, recomputed when not kept. */
static const engine_label_grelu *label_grelu(bdc_engine *e, int c)
{
    engine_label_grelu *g = &e->label_grelu[c];
    if (g->valid)
        return g;
    const float *row = e->label_w + (size_t)c * e->H;
    for (size_t i = 0; i < g->count; i++)
        g->dense[g->cand[i]] = 0.0f;
    g->m = e->ek->max_scan(row, e->H, &g->nan);
    g->count = bdc_engine_grelu_sparse(e->ek, row, e->H, g->m, g->nan, g->cand, g->e);
    for (size_t i = 0; i < g->count; i++)
        g->dense[g->cand[i]] = g->e[i];
    g->active = !g->nan && g->m > 0.0f && isfinite(g->m);
    if (g->active) {
        g->t = (float)(0.95 * (double)g->m);
        g->m2 = g->m - g->t;
        g->active = g->m2 > 0.0f;
    }
    g->valid = 1;
    return g;
}

/* Class c's label weight of neuron k moved from `before` to `after`.  When
 * the row's maximum cannot have changed (after <= m, and k did not hold
 * the maximum or did not go down), neither did the threshold: only k's
 * place in the list changes, with its value computed as GReLU computes it.
 * Otherwise the entry is dropped. */
static void label_moved(bdc_engine *e, size_t c, uint32_t k, float before, float after)
{
    engine_label_grelu *g = &e->label_grelu[c];
    if (!g->valid)
        return;
    if (g->nan || before != before || after != after || after > g->m ||
        (before == g->m && after < before)) {
        g->valid = 0;
        return;
    }
    if (!g->active)
        return; /* still all zeros: the maximum, and so the verdict, stand */
    /* The list holds exactly the neurons whose weight is above t, so k is
     * listed when `before` is: below t before and after, nothing moves (the
     * common case for the classes other than the label's). */
    if (!(before > g->t) && !(after > g->t))
        return;
    /* The first entry >= k, by a search whose steps are selects, not
     * branches (coin flips, mispredicted half the time): the answer lies
     * in [lo, lo + n] throughout. */
    size_t lo = 0, n = g->count;
    while (n > 1) {
        const size_t half = n / 2;
        lo += (size_t)(g->cand[lo + half - 1] < k) * half;
        n -= half;
    }
    if (n == 1)
        lo += g->cand[lo] < k;
    const int present = lo < g->count && g->cand[lo] == k;
    const float *row = e->label_w + c * e->H;
    if (after > g->t) {
        if (!present) {
            memmove(g->cand + lo + 1, g->cand + lo, (g->count - lo) * sizeof *g->cand);
            memmove(g->e + lo + 1, g->e + lo, (g->count - lo) * sizeof *g->e);
            g->cand[lo] = k;
            g->count++;
        }
        e->ek->grelu_at(row, &k, 1, g->t, g->m2, &g->e[lo]);
        g->dense[k] = g->e[lo];
    } else if (present) {
        g->dense[k] = 0.0f;
        memmove(g->cand + lo, g->cand + lo + 1, (g->count - lo - 1) * sizeof *g->cand);
        memmove(g->e + lo, g->e + lo + 1, (g->count - lo - 1) * sizeof *g->e);
        g->count--;
    }
}

/* The winner: the first index of the maximum of alpha*h + beta*e over all
 * H neurons, h and e zero outside their candidate lists (e also given
 * dense).  Outside both lists the score is alpha*0 + beta*0 = +0.0f
 * (alpha, beta >= 0), which never beats neuron 0's, so the lists are all
 * that need visiting; among equal scores the smallest index wins, as in
 * the spec's scan from neuron 0 upward.
 *
 * The h list is scanned first, with its scores complete.  Both lists are
 * ascending, so there a tie never wins (best is neuron 0 or an earlier
 * candidate).  The e list is then scored with h = +0: a neuron listed only
 * there has h = +0; one listed in both already had its true score, which
 * is not below this one (alpha*h >= +0 and adding is monotonic), so it
 * cannot win now where it did not then, nor displace a tie of a smaller
 * index. */
size_t bdc_engine_winner(const bdc_engine *e, const uint32_t *hc, const float *hv, size_t nh,
                         const uint32_t *ec, const float *evl, size_t ne, const float *ev)
{
    const float alpha = (float)e->cfg.alpha, beta = (float)e->cfg.beta;
    size_t best = 0;
    const float h0 = nh && hc[0] == 0 ? hv[0] : 0.0f;
    float best_score = alpha * h0 + beta * ev[0];
    for (size_t i = 0; i < nh; i++) {
        const float score = alpha * hv[i] + beta * ev[hc[i]];
        if (score > best_score) {
            best_score = score;
            best = hc[i];
        }
    }
    const float none = alpha * 0.0f;
    for (size_t i = 0; i < ne; i++) {
        const uint32_t j = ec[i];
        const float score = none + beta * evl[i];
        if (score > best_score || (score == best_score && j < best)) {
            best_score = score;
            best = j;
        }
    }
    return best;
}

bdc_nudge_coef bdc_engine_nudge(bdc_engine *e, const engine_block *b, size_t t, size_t win)
{
    const size_t H = e->H, C = e->C;
    const double lr = bdc_learning_rate(&e->cfg, b->first + t);
    const bdc_nudge_coef cx = bdc_nudge_coef_make(lr, e->cfg.q_input, e->cfg.decay);
    const bdc_nudge_coef cy = bdc_nudge_coef_make(lr, e->cfg.q_label, e->cfg.decay);
    float column[BDC_CLASSES], onehot[BDC_CLASSES] = {0};
    onehot[b->label[t]] = 1.0f;
    float before[BDC_CLASSES];
    for (size_t c = 0; c < C; c++)
        column[c] = before[c] = e->label_w[c * H + win];
    e->k->nudge(column, onehot, C, &cy);
    for (size_t c = 0; c < C; c++) {
        e->label_w[c * H + win] = e->label_n[win * LABEL_STRIDE + c] = column[c];
        label_moved(e, c, (uint32_t)win, before[c], column[c]);
    }

    /* The image side waits for the next step, while the row arrives. */
    const float *row = e->neurons + win * e->D;
    for (size_t i = 0; i < e->D; i += 16)
        __builtin_prefetch(row + i, 1);
    e->pending = 1;
    e->pending_neuron = (uint32_t)win;
    e->pending_coef = cx;
    e->pending_block = b;
    e->pending_t = t;
    return cx;
}

int bdc_engine_step(bdc_engine *e, const engine_block *b, size_t t)
{
    engine_scratch *sc = &e->scratch[0];
    const size_t H = e->H, C = e->C;
    float *s = b->act + t * e->Hp;
    bdc_engine_dense_sample(e, b, t);

    int nan;
    const float m = resolve(e, b, t, s, &nan);
    const size_t nh = bdc_engine_grelu_sparse(e->ek, s, H, m, nan, sc->cand, sc->h);
    size_t nnz_h;
    const int predicted = classify(e, sc->cand, sc->h, nh, &nnz_h);
    e->stats.output_macs += (uint64_t)nnz_h * C;

    /* The label side: GReLU(0 + 1 * w) of the label's weights; the zero
     * and the one change no value that GReLU lets through. */
    const int label = b->label[t];
    const engine_label_grelu *lg = label_grelu(e, label);
    const uint32_t *ecand = lg->cand;
    const size_t ne = lg->count;

    if (e->pending)
        bdc_engine_apply_pending(e);
    const size_t win = bdc_engine_winner(e, sc->cand, sc->h, nh, ecand, lg->e, ne, lg->dense);

    const bdc_nudge_coef cx = bdc_engine_nudge(e, b, t, win);

    /* The next step scans its sums at once (and, with several threads,
     * half of them were written on another core): fetch them meanwhile. */
    if (t + 1 < b->nsamples)
        for (size_t i = 0; i < H; i += 16)
            __builtin_prefetch(s + e->Hp + i);
    remember(e, (uint32_t)win, &cx, b->norm[t]);

    /* What a per-sample step counts. */
    bdc_cost *cost = &e->train_cost;
    bdc_engine_forward_cost(e, cost, b->start[t + 1] - b->start[t], nnz_h);
    bdc_cost_activate(cost, 1, C, H);
    bdc_cost_grelu(cost, H);
    bdc_cost_winner(cost, H);
    bdc_cost_nudge(cost, e->D);
    bdc_cost_nudge(cost, C);
    return predicted;
}

static int compare_u32(const void *a, const void *b)
{
    const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

void bdc_engine_end_block(bdc_engine *e, engine_rows *out)
{
    const size_t D = e->D;
    if (e->pending)
        bdc_engine_apply_pending(e);
    engine_dirty *cur = &e->cur;
    const size_t shadows = cur->cap - cur->nshadow;
    out->count = cur->n + cur->nshadow;
    memcpy(out->neuron, cur->neuron, cur->n * sizeof *out->neuron);
    memcpy(out->neuron + cur->n, cur->neuron + shadows, cur->nshadow * sizeof *out->neuron);
    qsort(out->neuron, out->count, sizeof *out->neuron, compare_u32);
    for (size_t d = 0; d < out->count; d++)
        memcpy(out->rows + d * D, e->neurons + (size_t)out->neuron[d] * D, D * sizeof(float));
    size_t p = 0;
    for (size_t g = 0; g <= e->groups; g++) {
        while (p < out->count && out->neuron[p] < g * BDC_ENGINE_GROUP)
            p++;
        out->group_first[g] = p;
    }
    out->group_first[e->groups] = out->count;

    /* This block's nudges, those kept apart included (the order of a list
     * changes no result), become the previous block's. */
    memmove(cur->neuron + cur->n, cur->neuron + shadows, cur->nshadow * sizeof *cur->neuron);
    memmove(cur->a + cur->n, cur->a + shadows, cur->nshadow * sizeof *cur->a);
    memmove(cur->b + cur->n, cur->b + shadows, cur->nshadow * sizeof *cur->b);
    memmove(cur->c + cur->n, cur->c + shadows, cur->nshadow * sizeof *cur->c);
    cur->n += cur->nshadow;
    cur->nshadow = 0;
    for (size_t d = 0; d < e->prev.n; d++)
        e->prev_of[e->prev.neuron[d]] = 0;
    const engine_dirty old = e->prev;
    e->prev = *cur;
    e->cur = old;
    e->cur.n = 0;
    for (size_t d = 0; d < e->prev.n; d++) {
        e->cur_of[e->prev.neuron[d]] = 0;
        e->prev_of[e->prev.neuron[d]] = (uint32_t)(d + 1);
    }
}

int bdc_engine_predict(const bdc_engine *e, const engine_block *b, size_t t,
                       engine_scratch *sc)
{
    const float *s = b->act + t * e->Hp;
    int nan;
    const float m = e->ek->max_scan(s, e->H, &nan);
    const size_t nh = bdc_engine_grelu_sparse(e->ek, s, e->H, m, nan, sc->cand, sc->h);
    size_t nnz_h;
    const int predicted = classify(e, sc->cand, sc->h, nh, &nnz_h);
    bdc_engine_forward_cost(e, &sc->infer, b->start[t + 1] - b->start[t], nnz_h);
    return predicted;
}

void bdc_engine_forward_cost(const bdc_engine *e, bdc_cost *c, size_t nnz, size_t nnz_h)
{
    c->samples++;
    bdc_cost_activate(c, nnz, e->D, e->H);
    /* The panels' padding lanes are multiplied too. */
    c->macs += (uint64_t)nnz * (e->Hp - e->H);
    c->weight_bytes_read += (uint64_t)nnz * (e->Hp - e->H) * sizeof(float);
    bdc_cost_grelu(c, e->H);
    bdc_cost_activate(c, nnz_h, e->H, e->C);
    if (e->output_grelu)
        bdc_cost_grelu(c, e->C);
}
