/* A block's plan: its samples' non-zero inputs side by side, and the
 * chunks that cut the input range.  A chunk holds at most `tile` inputs
 * that some sample of the block uses, so that the rows of a panel it
 * covers stay in L1 while every sample of the block passes over them. */
#include <math.h>
#include <string.h>

#include "engine_internal.h"

/* The first of the ascending entries idx[lo..lo+n) that is >= key (lo + n
 * when none is), by a search whose steps are selects, not branches: the
 * answer lies in [lo, lo + n] throughout. */
static uint32_t first_at_least(const uint32_t *idx, uint32_t lo, uint32_t n, uint32_t key)
{
    while (n > 1) {
        const uint32_t half = n / 2;
        lo += (uint32_t)(idx[lo + half - 1] < key) * half;
        n -= half;
    }
    if (n == 1)
        lo += idx[lo] < key;
    return lo;
}

/* The chunks of b's inputs and where each sample's entries of each begin
 * (e->touched marks the inputs some sample uses). */
static void cut(bdc_engine *e, engine_block *b)
{
    const size_t D = e->D, stride = e->max_chunks + 1, n = b->nsamples;
    /* Chunk boundaries: a new chunk starts at the (tile+1)-th used input. */
    size_t c = 0, used = 0;
    b->bounds[0] = 0;
    for (size_t i = 0; i < D; i++) {
        if (!e->touched[i])
            continue;
        if (used == e->opts.tile && c + 1 < e->max_chunks) {
            b->bounds[++c] = (uint32_t)i;
            used = 0;
        }
        used++;
    }
    b->bounds[++c] = (uint32_t)D;
    b->chunks = c;

    /* Where each sample's entries of each chunk begin: chunk 0 at its
     * first entry, the others found by a search from the previous one. */
    for (size_t t = 0; t < n; t++) {
        uint32_t *pos = b->pos + t * stride;
        uint32_t p = b->start[t];
        const uint32_t end = b->start[t + 1];
        pos[0] = p;
        for (size_t ch = 1; ch < b->chunks; ch++) {
            p = first_at_least(b->idx, p, end - p, b->bounds[ch]);
            pos[ch] = p;
        }
        pos[b->chunks] = end;
    }
}

/* The Euclidean norm of set sample i, in double, its squares added in
 * ascending input order (the bound's |x|). */
static double sample_norm(const bdc_samples *set, size_t i)
{
    double sum_sq = 0.0;
    for (size_t k = set->start[i]; k < set->start[i + 1]; k++) {
        const double v = set->value[set->level[k]];
        sum_sq += v * v;
    }
    return sqrt(sum_sq);
}

/* Set sample i's norm, from the cache of this training call when it is
 * there (a sample's norm never changes; the cache computes it once). */
static double norm_of(bdc_engine *e, const bdc_samples *set, size_t i)
{
    if (e->norm_set != set)
        return sample_norm(set, i);
    if (e->norm_stamp[i] != e->norm_call) {
        e->norm_cache[i] = sample_norm(set, i);
        e->norm_stamp[i] = e->norm_call;
    }
    return e->norm_cache[i];
}

/* Unpacks the samples and cuts the chunks; with `norms`, also each
 * sample's norm (training steps need them, a test does not). */
static void plan(bdc_engine *e, engine_block *b, const bdc_samples *set, uint64_t first,
                 size_t n, int norms)
{
    uint8_t *restrict touched = e->touched;
    const float *restrict value = set->value;
    memset(touched, 0, e->D);
    uint32_t at = 0;
    for (size_t t = 0; t < n; t++) {
        const size_t i = (size_t)((first + t) % set->count);
        const size_t from = set->start[i], nnz = set->start[i + 1] - from;
        const uint16_t *restrict index = set->index + from;
        const uint8_t *restrict level = set->level + from;
        uint32_t *restrict idx = b->idx + at;
        float *restrict val = b->val + at;
        b->start[t] = at;
        for (size_t k = 0; k < nnz; k++) {
            idx[k] = index[k];
            val[k] = value[level[k]];
            touched[index[k]] = 1;
        }
        at += (uint32_t)nnz;
        if (norms)
            b->norm[t] = norm_of(e, set, i);
        b->label[t] = set->labels[i];
    }
    b->start[n] = at;
    b->nsamples = n;
    b->first = first;

    cut(e, b);
}

void bdc_engine_plan_block(bdc_engine *e, engine_block *b, const bdc_samples *set,
                           uint64_t first, size_t n)
{
    plan(e, b, set, first, n, 1);
}

void bdc_engine_plan_test_block(bdc_engine *e, engine_block *b, const bdc_samples *set,
                                uint64_t first, size_t n)
{
    plan(e, b, set, first, n, 0);
}

void bdc_engine_plan_sample(bdc_engine *e, engine_block *b, const bdc_sample *s, uint64_t n)
{
    memset(e->touched, 0, e->D);
    double sum_sq = 0.0;
    for (size_t k = 0; k < s->nnz; k++) {
        b->idx[k] = s->idx[k];
        b->val[k] = s->val[k];
        e->touched[s->idx[k]] = 1;
        sum_sq += (double)s->val[k] * (double)s->val[k];
    }
    b->start[0] = 0;
    b->start[1] = (uint32_t)s->nnz;
    b->norm[0] = sqrt(sum_sq);
    b->label[0] = s->label;
    b->nsamples = 1;
    b->first = n;
    cut(e, b);
}
