/* The backprop kernel of each family (contract in kernels.h:
 * update_sparse).  They live in kernels/<family>/mlp_<family>.c, apart from
 * the winner-take-all kernels (the vector families share one body,
 * kernels/mlp_simd_template.h), and each family's table points at them. */
#ifndef BDC_MLP_KERNELS_H
#define BDC_MLP_KERNELS_H

#include "kernels.h"

#define BDC_DECLARE_MLP_KERNELS(family)                                        \
    void bdc_update_sparse_##family(const uint32_t *idx, const float *val,     \
                                    size_t nnz, const float *g, size_t ldg,    \
                                    size_t n, float c, float *w);

BDC_DECLARE_MLP_KERNELS(scalar)
BDC_DECLARE_MLP_KERNELS(sse)
BDC_DECLARE_MLP_KERNELS(avx2)
BDC_DECLARE_MLP_KERNELS(neon)

#endif
