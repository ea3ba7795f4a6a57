/* The backprop kernel update_sparse, plain C: the reference for the other
 * families. */
#include "../mlp_kernels.h"

void bdc_update_sparse_scalar(const uint32_t *idx, const float *val, size_t nnz,
                              const float *g, size_t ldg, size_t n, float c,
                              float *w)
{
    /* Outputs in blocks, samples in the inner loop over a block: each
     * output's sum still adds its terms in ascending k. */
    enum { BLOCK = 64 };
    float acc[BLOCK];
    for (size_t j0 = 0; j0 < n; j0 += BLOCK) {
        const size_t len = n - j0 < BLOCK ? n - j0 : BLOCK;
        for (size_t j = 0; j < len; j++)
            acc[j] = 0.0f;
        for (size_t k = 0; k < nnz; k++) {
            const float x = val[k];
            const float *row = g + (size_t)idx[k] * ldg + j0;
            for (size_t j = 0; j < len; j++)
                acc[j] = acc[j] + x * row[j];
        }
        for (size_t j = 0; j < len; j++)
            w[j0 + j] = w[j0 + j] - c * acc[j];
    }
}
