/* The neon family: 4 floats per vector, written with SIMDe's NEON
 * intrinsics.  Native on aarch64 (Advanced SIMD is part of the base ISA;
 * GCC never fuses vmulq and vaddq into fmla under -ffp-contract=off);
 * emulated by SIMDe on x86-64, where it is a correctness check, not a speed
 * contender.  Same bits as scalar: every lane performs exactly the scalar
 * operations in the scalar order.  See docs/kernels.md. */
#include <math.h>
#include <simde/arm/neon.h>

#include "../cpu.h"
#include "../engine_kernels.h"
#include "../families.h"
#include "../kernels.h"
#include "../mlp_kernels.h"

#define W 4          /* floats per vector */
#define TILE_VECS 8  /* accumulators per tile: 32 outputs in flight */

/* Lane-wise IEEE division.  SIMDe gained vdivq_f32 after 0.7.4 (Debian 12's
 * version); without it, the GCC vector operator on SIMDe's type compiles to
 * the same instruction where that type is a native vector (fdiv v.4s on
 * aarch64, divps on x86), and to four scalar divisions anywhere else. */
static inline simde_float32x4_t div_f32x4(simde_float32x4_t a, simde_float32x4_t b)
{
#if defined(__has_include) && __has_include(<simde/arm/neon/div.h>)
    return simde_vdivq_f32(a, b);
#elif defined(SIMDE_ARM_NEON_A64V8_NATIVE) || defined(SIMDE_X86_SSE_NATIVE)
    return a / b;
#else
    float x[W], y[W];
    simde_vst1q_f32(x, a);
    simde_vst1q_f32(y, b);
    for (int i = 0; i < W; i++)
        x[i] = x[i] / y[i];
    return simde_vld1q_f32(x);
#endif
}

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
    simde_float32x4_t acc[TILE_VECS];
#pragma GCC unroll 8
    for (int v = 0; v < nvec; v++)
        acc[v] = simde_vdupq_n_f32(0.0f);
    for (size_t k = 0; k < nnz; k++) {
        const simde_float32x4_t x = simde_vdupq_n_f32(val[k]);
        const float *row = w + (size_t)idx[k] * ldw;
#pragma GCC unroll 8
        for (int v = 0; v < nvec; v++) {
            const size_t at = v == nvec - 1 ? last : (size_t)v * W;
            const simde_float32x4_t term = simde_vmulq_f32(x, simde_vld1q_f32(row + at));
            acc[v] = simde_vaddq_f32(acc[v], term);
        }
    }
#pragma GCC unroll 8
    for (int v = 0; v < nvec; v++)
        simde_vst1q_f32(out + (v == nvec - 1 ? last : (size_t)v * W), acc[v]);
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

/* out = q > 0 ? q : +0.0f with q = (v - t) / m2.  A compare mask ANDed
 * with q gives +0.0f for every q that is not > 0 (including -0.0f), as the
 * scalar select does. */
static simde_float32x4_t grelu_vec(simde_float32x4_t v, simde_float32x4_t t,
                                   simde_float32x4_t m2)
{
    const simde_float32x4_t q = div_f32x4(simde_vsubq_f32(v, t), m2);
    const simde_uint32x4_t positive = simde_vcgtq_f32(q, simde_vdupq_n_f32(0.0f));
    return simde_vreinterpretq_f32_u32(simde_vandq_u32(positive, simde_vreinterpretq_u32_f32(q)));
}

static void grelu(float *v, size_t n)
{
    if (n < W) {
        bdc_family_scalar.kernels->grelu(v, n);
        return;
    }
    /* The maximum and the NaN check (a lane equal to itself is a number).
     * vmaxq lets a NaN through, but any NaN zeroes the whole output anyway.
     * The last vector overlaps the one before it; max and "all numbers" do
     * not mind seeing a value twice. */
    simde_float32x4_t mx0 = simde_vdupq_n_f32(-INFINITY), mx1 = mx0;
    simde_uint32x4_t numbers = simde_vdupq_n_u32(UINT32_MAX);
    size_t i = 0;
    for (; i + 2 * W <= n; i += 2 * W) {
        const simde_float32x4_t a = simde_vld1q_f32(v + i);
        const simde_float32x4_t b = simde_vld1q_f32(v + i + W);
        numbers = simde_vandq_u32(numbers, simde_vandq_u32(simde_vceqq_f32(a, a),
                                                           simde_vceqq_f32(b, b)));
        mx0 = simde_vmaxq_f32(mx0, a);
        mx1 = simde_vmaxq_f32(mx1, b);
    }
    for (; i < n; i += W) {
        const simde_float32x4_t a = simde_vld1q_f32(v + (i + W <= n ? i : n - W));
        numbers = simde_vandq_u32(numbers, simde_vceqq_f32(a, a));
        mx0 = simde_vmaxq_f32(mx0, a);
    }
    const int nan = simde_vminvq_u32(numbers) == 0;
    const float m = simde_vmaxvq_f32(simde_vmaxq_f32(mx0, mx1));
    const float t = (float)(0.95 * (double)m);
    const float m2 = m - t; /* max(v - t): rounding is monotonic */
    if (nan || !(m > 0.0f) || !isfinite(m) || !(m2 > 0.0f)) {
        const simde_float32x4_t zero = simde_vdupq_n_f32(0.0f);
        for (i = 0; i + W <= n; i += W)
            simde_vst1q_f32(v + i, zero);
        simde_vst1q_f32(v + n - W, zero);
        return;
    }
    const simde_float32x4_t tv = simde_vdupq_n_f32(t), m2v = simde_vdupq_n_f32(m2);
    /* In place: the overlapping last vector is computed from the original
     * values before the loop overwrites them, and stored after it. */
    const simde_float32x4_t tail = grelu_vec(simde_vld1q_f32(v + n - W), tv, m2v);
    for (i = 0; i + W <= n; i += W)
        simde_vst1q_f32(v + i, grelu_vec(simde_vld1q_f32(v + i), tv, m2v));
    simde_vst1q_f32(v + n - W, tail);
}

/* Per lane: the largest score so far and the index where it first
 * appeared.  A lane's indices only grow, and it moves on a strictly greater
 * score, so it keeps the first index of its maximum, like scalar. */
typedef struct lane_best {
    simde_float32x4_t value;
    simde_uint32x4_t index;
} lane_best;

static inline __attribute__((always_inline)) void
winner_step(lane_best *b, const float *h, const float *e, size_t at,
            simde_float32x4_t alpha, simde_float32x4_t beta, simde_uint32x4_t iota)
{
    const simde_float32x4_t s = simde_vaddq_f32(simde_vmulq_f32(alpha, simde_vld1q_f32(h + at)),
                                                simde_vmulq_f32(beta, simde_vld1q_f32(e + at)));
    const simde_uint32x4_t greater = simde_vcgtq_f32(s, b->value);
    const simde_uint32x4_t index = simde_vaddq_u32(iota, simde_vdupq_n_u32((uint32_t)at));
    b->value = simde_vbslq_f32(greater, s, b->value);
    b->index = simde_vbslq_u32(greater, index, b->index);
}

/* Adds the lanes of b to the candidates: the larger score wins, and among
 * equal scores the smaller index. */
static void winner_merge(const lane_best *b, size_t base, float *best_value, size_t *best)
{
    float value[W];
    uint32_t index[W];
    simde_vst1q_f32(value, b->value);
    simde_vst1q_u32(index, b->index);
    for (int l = 0; l < W; l++) {
        const size_t at = base + index[l];
        if (value[l] > *best_value || (value[l] == *best_value && at < *best)) {
            *best_value = value[l];
            *best = at;
        }
    }
}

/* Lane indices are 32 bits, so the scores are searched in blocks of at most
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
    const simde_float32x4_t av = simde_vdupq_n_f32(alpha), bv = simde_vdupq_n_f32(beta);
    static const uint32_t lanes[W] = {0, 1, 2, 3};
    const simde_uint32x4_t iota = simde_vld1q_u32(lanes);
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
        lane_best even = {simde_vdupq_n_f32(-INFINITY), iota};
        lane_best odd = {even.value, simde_vaddq_u32(iota, simde_vdupq_n_u32(W))};
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
static simde_float32x4_t nudge_vec(simde_float32x4_t w, simde_float32x4_t a,
                                   simde_float32x4_t c1, simde_float32x4_t c2,
                                   simde_float32x4_t c3, simde_float32x4_t d)
{
    const simde_float32x4_t f = simde_vaddq_f32(simde_vsubq_f32(simde_vmulq_f32(c1, a), c2), d);
    return simde_vaddq_f32(simde_vmulq_f32(w, f), simde_vmulq_f32(c3, a));
}

static void nudge(float *w, const float *a, size_t n, const bdc_nudge_coef *c)
{
    if (n < W) {
        bdc_family_scalar.kernels->nudge(w, a, n, c);
        return;
    }
    const simde_float32x4_t c1 = simde_vdupq_n_f32(c->c1), c2 = simde_vdupq_n_f32(c->c2);
    const simde_float32x4_t c3 = simde_vdupq_n_f32(c->c3), d = simde_vdupq_n_f32(c->d);
    /* The overlapping last vector is read before the loop changes w. */
    const simde_float32x4_t tail = nudge_vec(simde_vld1q_f32(w + n - W),
                                             simde_vld1q_f32(a + n - W), c1, c2, c3, d);
    for (size_t i = 0; i + W <= n; i += W)
        simde_vst1q_f32(w + i, nudge_vec(simde_vld1q_f32(w + i), simde_vld1q_f32(a + i),
                                         c1, c2, c3, d));
    simde_vst1q_f32(w + n - W, tail);
}

static const bdc_kernels table = {
    .activate_sparse = activate_sparse,
    .grelu = grelu,
    .winner = winner,
    .nudge = nudge,
    .update_sparse = bdc_update_sparse_neon,
};

/* SIMDe defines SIMDE_ARM_NEON_A64V8_NATIVE when compiling for aarch64;
 * anywhere else it emulates NEON with what the target has. */
const bdc_family bdc_family_neon = {
    .name = "neon",
#if defined(SIMDE_ARM_NEON_A64V8_NATIVE)
    .description = "SIMDe NEON, 4 floats per vector, 32-output tiles",
    .needs = BDC_CPU_NEON,
    .emulated = 0,
#else
    .description = "SIMDe NEON emulated on this CPU (a correctness check)",
    .needs = 0,
    .emulated = 1,
#endif
    .kernels = &table,
    .engine = &bdc_engine_kernels_neon,
};
