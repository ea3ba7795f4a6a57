/* The blocked forward pass of one group of neurons: chunk after chunk of
 * the input range, every sample of the block passes over the group's
 * panel rows of that chunk while they are in L1.  Columns of neurons
 * nudged two blocks ago are copied into the panel chunk by chunk, just
 * before the chunk is used, from the rows saved at the end of that block
 * (the current weights may be moving meanwhile: the steps of the previous
 * block run at the same time). */
#include "engine_internal.h"

static size_t group_width(const bdc_engine *e, size_t g)
{
    const size_t first = g * BDC_ENGINE_GROUP;
    return e->Hp - first < BDC_ENGINE_GROUP ? e->Hp - first : BDC_ENGINE_GROUP;
}

/* Rows lo..hi of up to four saved rows into their lanes of a panel, row
 * by row (each panel row visited once); one loop per count, so that the
 * inner work is straight copies. */
static void copy_lanes(float *panel, size_t width, size_t lo, size_t hi,
                       const uint32_t *neuron, size_t first, const float *rows,
                       size_t D, size_t n)
{
    const size_t l0 = neuron[0] - first;
    const float *r0 = rows;
    if (n == 1) {
        for (size_t i = lo; i < hi; i++)
            panel[i * width + l0] = r0[i];
        return;
    }
    const size_t l1 = neuron[1] - first;
    const float *r1 = rows + D;
    if (n == 2) {
        for (size_t i = lo; i < hi; i++) {
            float *row = panel + i * width;
            row[l0] = r0[i];
            row[l1] = r1[i];
        }
        return;
    }
    const size_t l2 = neuron[2] - first;
    const float *r2 = rows + 2 * D;
    if (n == 3) {
        for (size_t i = lo; i < hi; i++) {
            float *row = panel + i * width;
            row[l0] = r0[i];
            row[l1] = r1[i];
            row[l2] = r2[i];
        }
        return;
    }
    const size_t l3 = neuron[3] - first;
    const float *r3 = rows + 3 * D;
    for (size_t i = lo; i < hi; i++) {
        float *row = panel + i * width;
        row[l0] = r0[i];
        row[l1] = r1[i];
        row[l2] = r2[i];
        row[l3] = r3[i];
    }
}

void bdc_engine_forward_group(bdc_engine *e, engine_block *b, const engine_rows *sync,
                              size_t g)
{
    const size_t D = e->D, first = g * BDC_ENGINE_GROUP, width = group_width(e, g);
    float *panel = e->panels + first * D;
    const size_t from = sync ? sync->group_first[g] : 0;
    const size_t nsync = sync ? sync->group_first[g + 1] - from : 0;
    for (size_t c = 0; c < b->chunks; c++) {
        const size_t lo = b->bounds[c], hi = b->bounds[c + 1];
        for (size_t s = 0; s < nsync; s += 4) {
            const size_t n = nsync - s < 4 ? nsync - s : 4;
            copy_lanes(panel, width, lo, hi, sync->neuron + from + s, first,
                       sync->rows + (from + s) * D, D, n);
        }
        e->ek->forward_panel(panel, width, b->idx, b->val, b->pos + c,
                             e->max_chunks + 1, b->nsamples, c == 0,
                             b->act + first, e->Hp);
    }
}

void bdc_engine_sync_panels(bdc_engine *e)
{
    const size_t D = e->D;
    for (int r = 0; r < 2; r++) {
        engine_rows *rows = &e->rows[r];
        for (size_t s = 0; s < rows->count; s++) {
            const size_t k = rows->neuron[s], g = k / BDC_ENGINE_GROUP;
            const size_t width = group_width(e, g);
            float *column = e->panels + g * BDC_ENGINE_GROUP * D + (k - g * BDC_ENGINE_GROUP);
            const float *w = e->neurons + k * D;
            for (size_t i = 0; i < D; i++)
                column[i * width] = w[i];
        }
        rows->count = 0;
        for (size_t g = 0; g <= e->groups; g++)
            rows->group_first[g] = 0;
    }
}
