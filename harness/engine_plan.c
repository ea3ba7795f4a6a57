/* A block's plan: its samples' non-zero inputs side by side, and the
 * chunks that cut the input range.  A chunk holds at most `tile` inputs
 * that some sample of the block uses, so that the rows of a panel it
 * covers stay in L1 while every sample of the block passes over them. */
#include <math.h>
#include <string.h>

#include "engine_internal.h"

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

    /* Where each sample's entries of each chunk begin. */
    for (size_t t = 0; t < n; t++) {
        uint32_t *pos = b->pos + t * stride;
        uint32_t p = b->start[t];
        const uint32_t end = b->start[t + 1];
        for (size_t ch = 0; ch < b->chunks; ch++) {
            while (p < end && b->idx[p] < b->bounds[ch])
                p++;
            pos[ch] = p;
        }
        pos[b->chunks] = end;
    }
}

void bdc_engine_plan_block(bdc_engine *e, engine_block *b, const bdc_samples *set,
                           uint64_t first, size_t n)
{
    memset(e->touched, 0, e->D);
    uint32_t at = 0;
    for (size_t t = 0; t < n; t++) {
        const size_t i = (size_t)((first + t) % set->count);
        const size_t from = set->start[i], nnz = set->start[i + 1] - from;
        double sum_sq = 0.0;
        b->start[t] = at;
        for (size_t k = 0; k < nnz; k++, at++) {
            const uint32_t input = set->index[from + k];
            const float v = set->value[set->level[from + k]];
            b->idx[at] = input;
            b->val[at] = v;
            e->touched[input] = 1;
            sum_sq += (double)v * (double)v;
        }
        b->norm[t] = sqrt(sum_sq);
        b->label[t] = set->labels[i];
    }
    b->start[n] = at;
    b->nsamples = n;
    b->first = first;

    cut(e, b);
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
