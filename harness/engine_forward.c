/* The blocked forward pass of one group of neurons: chunk after chunk of
 * the input range, every sample of the block passes over the group's
 * panel rows of that chunk while they are in L1.  The columns of neurons
 * nudged in the previous block are copied into the panel chunk by chunk,
 * just before the chunk is used, from the always-current neuron-major
 * weights. */
#include "engine_internal.h"

void bdc_engine_forward_group(bdc_engine *e, size_t g)
{
    const size_t D = e->D, first = g * BDC_ENGINE_GROUP;
    const size_t width = e->Hp - first < BDC_ENGINE_GROUP ? e->Hp - first
                                                          : BDC_ENGINE_GROUP;
    float *panel = e->panels + first * D;
    const uint32_t *stale = e->pending + e->group_pending[g];
    const size_t nstale = e->group_pending[g + 1] - e->group_pending[g];
    for (size_t c = 0; c < e->chunks; c++) {
        const size_t lo = e->bounds[c], hi = e->bounds[c + 1];
        /* Row by row: each panel row is visited once for all its stale lanes. */
        if (nstale)
            for (size_t i = lo; i < hi; i++) {
                float *row = panel + i * width;
                for (size_t s = 0; s < nstale; s++)
                    row[stale[s] - first] = e->neurons[(size_t)stale[s] * D + i];
            }
        e->ek->forward_panel(panel, width, e->idx, e->val, e->pos + c,
                             e->max_chunks + 1, e->nsamples, c == 0,
                             e->act + first, e->Hp);
    }
}
