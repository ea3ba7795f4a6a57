/* The backprop kernel update_sparse, written once for every vector
 * family.  A family's kernels/<family>/mlp_<family>.c defines the
 * macros below and includes this file, which then defines
 * bdc_update_sparse_<family>:
 *
 *   FAMILY           the family's name, a bare token (avx2)
 *   W                floats per vector
 *   V                the vector type
 *   V_ZERO()         all lanes +0.0f
 *   V_SET1(x)        all lanes x
 *   V_LOAD(p)        W floats from p (unaligned)
 *   V_STORE(p, v)    W floats to p (unaligned)
 *   V_ADD, V_SUB, V_MUL   lane-wise, each rounded (never fused)
 *
 * Every lane performs exactly the scalar operations in the scalar order
 * (kernels/scalar/mlp_scalar.c), so the bits are the same.  Outputs are
 * cut in tiles of up to TILE_VECS vectors; a row whose length is not a
 * multiple of W ends with a vector that overlaps its neighbour rather than
 * reading or writing past the end.  Overlapping lanes are computed by the
 * same operations from the same inputs, so they agree; update_sparse, which
 * works in place, reads every old weight of a tile before it stores any. */
#ifndef FAMILY
#error "define FAMILY, W, V and the V_* operations before including mlp_simd_template.h"
#endif

#include "mlp_kernels.h"

#define MLP_PASTE2(a, b, c) a##b##c
#define MLP_PASTE(a, b, c) MLP_PASTE2(a, b, c)
#define MLP_NAME(op) MLP_PASTE(bdc_, op, MLP_PASTE(_, FAMILY, ))
#define MLP_TILE(nv) MLP_PASTE(update_tile_, nv, )

#define TILE_VECS 8

/* --- update_sparse ------------------------------------------------------- */

/* One tile: nvec vectors of outputs (a constant after inlining, so the
 * accumulators stay in registers), vector v at v*W except the last, at
 * `last`. */
static inline __attribute__((always_inline)) void
update_tile(const uint32_t *idx, const float *val, size_t nnz, const float *g,
            size_t ldg, float c, float *w, size_t last, const int nvec)
{
    V acc[TILE_VECS], old[TILE_VECS];
#pragma GCC unroll 8
    for (int v = 0; v < nvec; v++)
        acc[v] = V_ZERO();
    for (size_t k = 0; k < nnz; k++) {
        const V x = V_SET1(val[k]);
        const float *row = g + (size_t)idx[k] * ldg;
#pragma GCC unroll 8
        for (int v = 0; v < nvec; v++) {
            const size_t at = v == nvec - 1 ? last : (size_t)v * W;
            acc[v] = V_ADD(acc[v], V_MUL(x, V_LOAD(row + at)));
        }
    }
    const V cv = V_SET1(c);
#pragma GCC unroll 8
    for (int v = 0; v < nvec; v++)
        old[v] = V_LOAD(w + (v == nvec - 1 ? last : (size_t)v * W));
#pragma GCC unroll 8
    for (int v = 0; v < nvec; v++)
        V_STORE(w + (v == nvec - 1 ? last : (size_t)v * W), V_SUB(old[v], V_MUL(cv, acc[v])));
}

/* One out-of-line function per vector count. */
#define MLP_DEFINE_TILE(nv)                                                   \
    static __attribute__((noinline)) void MLP_TILE(nv)(                      \
        const uint32_t *idx, const float *val, size_t nnz, const float *g,   \
        size_t ldg, float c, float *w, size_t last)                          \
    {                                                                        \
        update_tile(idx, val, nnz, g, ldg, c, w, last, nv);                  \
    }
MLP_DEFINE_TILE(1) MLP_DEFINE_TILE(2) MLP_DEFINE_TILE(3) MLP_DEFINE_TILE(4)
MLP_DEFINE_TILE(5) MLP_DEFINE_TILE(6) MLP_DEFINE_TILE(7) MLP_DEFINE_TILE(8)
#undef MLP_DEFINE_TILE

void MLP_NAME(update_sparse)(const uint32_t *idx, const float *val, size_t nnz,
                             const float *g, size_t ldg, size_t n, float c,
                             float *w)
{
    if (n < W) { /* too short for one vector */
        bdc_update_sparse_scalar(idx, val, nnz, g, ldg, n, c, w);
        return;
    }
    /* Full tiles, as long as what follows one is empty or at least a
     * vector: the last vector of a row may overlap only its own tile, whose
     * old weights it read before any were stored. */
    const size_t full = TILE_VECS * W;
    size_t j = 0;
    while (n - j >= full && (n - j == full || n - j - full >= W)) {
        MLP_TILE(8)(idx, val, nnz, g + j, ldg, c, w + j, full - W);
        j += full;
    }
    if (j == n)
        return;
    if (n - j > full) { /* full + 1 .. full + W - 1 left: one vector less */
        MLP_TILE(7)(idx, val, nnz, g + j, ldg, c, w + j, full - 2 * W);
        j += full - W;
    }
    /* The rest, W .. full outputs, in one tile of ceil(rest / W) vectors,
     * the last ending at n. */
    const size_t last = n - W - j;
    switch ((n - j + W - 1) / W) {
    case 1: MLP_TILE(1)(idx, val, nnz, g + j, ldg, c, w + j, last); break;
    case 2: MLP_TILE(2)(idx, val, nnz, g + j, ldg, c, w + j, last); break;
    case 3: MLP_TILE(3)(idx, val, nnz, g + j, ldg, c, w + j, last); break;
    case 4: MLP_TILE(4)(idx, val, nnz, g + j, ldg, c, w + j, last); break;
    case 5: MLP_TILE(5)(idx, val, nnz, g + j, ldg, c, w + j, last); break;
    case 6: MLP_TILE(6)(idx, val, nnz, g + j, ldg, c, w + j, last); break;
    case 7: MLP_TILE(7)(idx, val, nnz, g + j, ldg, c, w + j, last); break;
    default: MLP_TILE(8)(idx, val, nnz, g + j, ldg, c, w + j, last); break;
    }
}

#undef MLP_PASTE2
#undef MLP_PASTE
#undef MLP_NAME
#undef MLP_TILE
#undef TILE_VECS
