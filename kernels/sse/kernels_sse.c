/* The sse family: 4 floats per vector, written with SIMDe's SSE4.1
 * intrinsics.  Native on x86-64 (this file gets -msse4.1);
 * emulated by SIMDe on other CPUs.  Same bits as scalar: every vector lane
 * performs exactly the scalar operations in the scalar order.  The layout,
 * blocking and tail choices are explained in docs/kernels.md. */
#include <math.h>
#include <simde/x86/sse4.1.h>

#include "../cpu.h"
#include "../engine_kernels.h"
#include "../families.h"
#include "../kernels.h"
#include "../mlp_kernels.h"

#define W 4          /* floats per vector */
#define TILE_VECS 8  /* accumulators per tile: 32 outputs in flight */

/* One pass over the non-zero inputs for `nvec` vectors of outputs, starting
 * at w and out (already offset to the tile): vector v is at v*W, except the
 * last, which is at `last` (in the rest of a row it overlaps its neighbour
 * instead of reading past n; the outputs it shares are computed by the same
 * operations, so they get the same bits).  `nvec` is a constant after
 * inlining, so the accumulators live in registers. */
static inline __attribute__((always_inline)) void
activate_tile(const uint32_t *idx, const float *val, size_t nnz, const float *w,
              size_t ldw, float *out, size_t last, const int nvec)
{
    simde__m128 acc[TILE_VECS];
#pragma GCC unroll 8
    for (int v = 0; v < nvec; v++)
        acc[v] = simde_mm_setzero_ps();
    for (size_t k = 0; k < nnz; k++) {
        const simde__m128 x = simde_mm_set1_ps(val[k]);
        const float *row = w + (size_t)idx[k] * ldw;
#pragma GCC unroll 8
        for (int v = 0; v < nvec; v++) {
            const size_t at = v == nvec - 1 ? last : (size_t)v * W;
            const simde__m128 term = simde_mm_mul_ps(x, simde_mm_loadu_ps(row + at));
            acc[v] = simde_mm_add_ps(acc[v], term);
        }
    }
#pragma GCC unroll 8
    for (int v = 0; v < nvec; v++)
        simde_mm_storeu_ps(out + (v == nvec - 1 ? last : (size_t)v * W), acc[v]);
}

/* One function per accumulator count, kept out of line so that the compiler
 * addresses the row with constant displacements from one pointer. */
#define BDC_TILE(nv)                                                              \
    static __attribute__((noinline)) void activate_tile_##nv(                   \
        const uint32_t *idx, const float *val, size_t nnz, const float *w,     \
        size_t ldw, float *out, size_t last)                                   \
    {                                                                          \
        activate_tile(idx, val, nnz, w, ldw, out, last, nv);                   \
    }
BDC_TILE(1) BDC_TILE(2) BDC_TILE(3) BDC_TILE(4)
BDC_TILE(5) BDC_TILE(6) BDC_TILE(7) BDC_TILE(8)
#undef BDC_TILE

static void activate_sparse(const uint32_t *idx, const float *val, size_t nnz,
                            const float *w, size_t ldw, size_t n, float *out)
{
    if (n < W) { /* too short for one vector */
        bdc_family_scalar.kernels->activate_sparse(idx, val, nnz, w, ldw, n, out);
        return;
    }
    size_t j = 0;
    for (; j + TILE_VECS * W <= n; j += TILE_VECS * W)
        activate_tile_8(idx, val, nnz, w + j, ldw, out + j, (TILE_VECS - 1) * W);
    if (j == n)
        return;
    /* The rest (< 32 outputs) in one pass: ceil(rest/W) <= 8 accumulators, the
     * last one ending at n. */
    const size_t last = n - W - j;
    switch ((n - j + W - 1) / W) {
    case 1: activate_tile_1(idx, val, nnz, w + j, ldw, out + j, last); break;
    case 2: activate_tile_2(idx, val, nnz, w + j, ldw, out + j, last); break;
    case 3: activate_tile_3(idx, val, nnz, w + j, ldw, out + j, last); break;
    case 4: activate_tile_4(idx, val, nnz, w + j, ldw, out + j, last); break;
    case 5: activate_tile_5(idx, val, nnz, w + j, ldw, out + j, last); break;
    case 6: activate_tile_6(idx, val, nnz, w + j, ldw, out + j, last); break;
    case 7: activate_tile_7(idx, val, nnz, w + j, ldw, out + j, last); break;
    case 8: activate_tile_8(idx, val, nnz, w + j, ldw, out + j, last); break;
    }
}

/* The largest lane of x that is a number (NaN lanes are flagged apart). */
static float lanes_max(simde__m128 x)
{
    float lane[W];
    simde_mm_storeu_ps(lane, x);
    float m = -INFINITY;
    for (int i = 0; i < W; i++)
        if (lane[i] > m)
            m = lane[i];
    return m;
}

/* out = q > 0 ? q : +0.0f with q = (v - t) / m2.  A compare mask ANDed
 * with q gives +0.0f for every q that is not > 0 (including -0.0f), as the
 * scalar select does; max_ps would keep a -0.0f. */
static simde__m128 grelu_vec(simde__m128 v, simde__m128 t, simde__m128 m2)
{
    const simde__m128 q = simde_mm_div_ps(simde_mm_sub_ps(v, t), m2);
    const simde__m128 positive = simde_mm_cmpgt_ps(q, simde_mm_setzero_ps());
    return simde_mm_and_ps(positive, q);
}

static void grelu(float *v, size_t n)
{
    if (n < W) {
        bdc_family_scalar.kernels->grelu(v, n);
        return;
    }
    /* The maximum and the NaN check.  Which lane a NaN lands in does not
     * matter: any NaN zeroes the whole output.  The last vector overlaps
     * the one before it; max and "any NaN" do not mind seeing a value
     * twice. */
    simde__m128 mx0 = simde_mm_set1_ps(-INFINITY), mx1 = mx0;
    simde__m128 nan = simde_mm_setzero_ps();
    size_t i = 0;
    for (; i + 2 * W <= n; i += 2 * W) {
        const simde__m128 a = simde_mm_loadu_ps(v + i);
        const simde__m128 b = simde_mm_loadu_ps(v + i + W);
        nan = simde_mm_or_ps(nan, simde_mm_cmpunord_ps(a, b));
        mx0 = simde_mm_max_ps(mx0, a);
        mx1 = simde_mm_max_ps(mx1, b);
    }
    for (; i < n; i += W) {
        const simde__m128 a = simde_mm_loadu_ps(v + (i + W <= n ? i : n - W));
        nan = simde_mm_or_ps(nan, simde_mm_cmpunord_ps(a, a));
        mx0 = simde_mm_max_ps(mx0, a);
    }
    const float m = lanes_max(simde_mm_max_ps(mx0, mx1));
    const float t = (float)(0.95 * (double)m);
    const float m2 = m - t; /* max(v - t): rounding is monotonic */
    if (simde_mm_movemask_ps(nan) || !(m > 0.0f) || !isfinite(m) || !(m2 > 0.0f)) {
        const simde__m128 zero = simde_mm_setzero_ps();
        for (i = 0; i + W <= n; i += W)
            simde_mm_storeu_ps(v + i, zero);
        simde_mm_storeu_ps(v + n - W, zero);
        return;
    }
    const simde__m128 tv = simde_mm_set1_ps(t), m2v = simde_mm_set1_ps(m2);
    /* In place: the overlapping last vector is computed from the original
     * values before the loop overwrites them, and stored after it. */
    const simde__m128 tail = grelu_vec(simde_mm_loadu_ps(v + n - W), tv, m2v);
    for (i = 0; i + W <= n; i += W)
        simde_mm_storeu_ps(v + i, grelu_vec(simde_mm_loadu_ps(v + i), tv, m2v));
    simde_mm_storeu_ps(v + n - W, tail);
}

/* Per lane: the largest score so far and the index where it first
 * appeared.  A lane's indices only grow, and it moves on a strictly greater
 * score, so it keeps the first index of its maximum, like scalar. */
typedef struct lane_best {
    simde__m128 value;
    simde__m128i index;
} lane_best;

static inline __attribute__((always_inline)) void
winner_step(lane_best *b, const float *h, const float *e, size_t at,
            simde__m128 alpha, simde__m128 beta, simde__m128i iota)
{
    const simde__m128 s = simde_mm_add_ps(simde_mm_mul_ps(alpha, simde_mm_loadu_ps(h + at)),
                                             simde_mm_mul_ps(beta, simde_mm_loadu_ps(e + at)));
    const simde__m128 greater = simde_mm_cmpgt_ps(s, b->value);
    const simde__m128i index = simde_mm_add_epi32(iota, simde_mm_set1_epi32((int32_t)at));
    b->value = simde_mm_blendv_ps(b->value, s, greater);
    b->index = simde_mm_castps_si128(simde_mm_blendv_ps(
        simde_mm_castsi128_ps(b->index), simde_mm_castsi128_ps(index), greater));
}

/* Adds the lanes of b to the candidates: the larger score wins, and among
 * equal scores the smaller index. */
static void winner_merge(const lane_best *b, size_t base, float *best_value, size_t *best)
{
    float value[W];
    int32_t index[W];
    simde_mm_storeu_ps(value, b->value);
    simde_mm_storeu_si128(index, b->index);
    for (int l = 0; l < W; l++) {
        const size_t at = base + (size_t)index[l];
        if (value[l] > *best_value || (value[l] == *best_value && at < *best)) {
            *best_value = value[l];
            *best = at;
        }
    }
}

/* Lane indices are int32, so the scores are searched in blocks of at most
 * 2^30; blocks come in order and a later one must be strictly greater. */
#define WINNER_BLOCK ((size_t)1 << 30)

static size_t winner(const float *h, const float *e, size_t n, float alpha,
                     float beta)
{
    if (n < W)
        return bdc_family_scalar.kernels->winner(h, e, n, alpha, beta);
    /* Scalar starts from the first score and never leaves index 0 when it
     * is NaN; NaN scores elsewhere are never greater, here as there. */
    const float first = alpha * h[0] + beta * e[0];
    if (first != first)
        return 0;
    const simde__m128 av = simde_mm_set1_ps(alpha), bv = simde_mm_set1_ps(beta);
    const simde__m128i iota = simde_mm_setr_epi32(0, 1, 2, 3);
    size_t best = 0;
    float best_value = -INFINITY;
    for (size_t base = 0; base < n; base += WINNER_BLOCK) {
        const size_t len = n - base < WINNER_BLOCK ? n - base : WINNER_BLOCK;
        if (len < W) { /* the short end of a huge input */
            for (size_t j = base; j < n; j++) {
                const float s = alpha * h[j] + beta * e[j];
                if (s > best_value) {
                    best_value = s;
                    best = j;
                }
            }
            break;
        }
        const float *hb = h + base, *eb = e + base;
        /* Two independent chains: even and odd vectors. */
        lane_best even = {simde_mm_set1_ps(-INFINITY), iota};
        lane_best odd = {even.value, simde_mm_add_epi32(iota, simde_mm_set1_epi32(W))};
        size_t i = 0;
        for (; i + 2 * W <= len; i += 2 * W) {
            winner_step(&even, hb, eb, i, av, bv, iota);
            winner_step(&odd, hb, eb, i + W, av, bv, iota);
        }
        if (i < len) /* one more full vector or the overlapping last one */
            winner_step(&even, hb, eb, i + W <= len ? i : len - W, av, bv, iota);
        if (i + W < len)
            winner_step(&odd, hb, eb, len - W, av, bv, iota);
        float block_value = -INFINITY;
        size_t block_best = SIZE_MAX;
        winner_merge(&even, base, &block_value, &block_best);
        winner_merge(&odd, base, &block_value, &block_best);
        if (block_value > best_value || base == 0) {
            best_value = block_value;
            best = block_best;
        }
    }
    return best;
}

/* f = (c1*a - c2) + d;  w = w*f + c3*a, each operation rounded. */
static simde__m128 nudge_vec(simde__m128 w, simde__m128 a, simde__m128 c1,
                             simde__m128 c2, simde__m128 c3, simde__m128 d)
{
    const simde__m128 f = simde_mm_add_ps(simde_mm_sub_ps(simde_mm_mul_ps(c1, a), c2), d);
    return simde_mm_add_ps(simde_mm_mul_ps(w, f), simde_mm_mul_ps(c3, a));
}

static void nudge(float *w, const float *a, size_t n, const bdc_nudge_coef *c)
{
    if (n < W) {
        bdc_family_scalar.kernels->nudge(w, a, n, c);
        return;
    }
    const simde__m128 c1 = simde_mm_set1_ps(c->c1), c2 = simde_mm_set1_ps(c->c2);
    const simde__m128 c3 = simde_mm_set1_ps(c->c3), d = simde_mm_set1_ps(c->d);
    /* The overlapping last vector is read before the loop changes w. */
    const simde__m128 tail = nudge_vec(simde_mm_loadu_ps(w + n - W),
                                       simde_mm_loadu_ps(a + n - W), c1, c2, c3, d);
    for (size_t i = 0; i + W <= n; i += W)
        simde_mm_storeu_ps(w + i, nudge_vec(simde_mm_loadu_ps(w + i),
                                               simde_mm_loadu_ps(a + i), c1, c2, c3, d));
    simde_mm_storeu_ps(w + n - W, tail);
}

static const bdc_kernels table = {
    .activate_sparse = activate_sparse,
    .grelu = grelu,
    .winner = winner,
    .nudge = nudge,
    .update_sparse = bdc_update_sparse_sse,
};

/* SIMDe defines SIMDE_X86_SSE4_1_NATIVE when this file is compiled for
 * SSE4.1 (the Makefile's -msse4.1 on x86-64); anywhere else it emulates it. */
const bdc_family bdc_family_sse = {
    .name = "sse",
#if defined(SIMDE_X86_SSE4_1_NATIVE)
    .description = "SIMDe SSE4.1, 4 floats per vector, 32-output tiles",
    .needs = BDC_CPU_SSE41,
    .emulated = 0,
#else
    .description = "SIMDe SSE4.1 emulated on this CPU (a correctness check)",
    .needs = 0,
    .emulated = 1,
#endif
    .kernels = &table,
    .engine = &bdc_engine_kernels_sse,
};
