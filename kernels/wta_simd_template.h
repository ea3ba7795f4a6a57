/* The winner-take-all kernels activate_sparse, grelu, winner and nudge,
 * written once for every vector family.  A family's
 * kernels/<family>/kernels_<family>.c includes its vec_<family>.h, which
 * defines the macros of kernels/mlp_simd_template.h (FAMILY, W, V, V_ZERO,
 * V_SET1, V_LOAD, V_STORE, V_ADD, V_SUB, V_MUL) and these:
 *
 *   V_DIV, V_MAX        lane-wise, V_DIV rounded like scalar division
 *   VM                  a lane mask (all ones or all zeros per lane)
 *   V_GT(a, b)          the mask of a > b (false where either is NaN)
 *   V_AND_MASK(m, v)    v where m, +0.0f elsewhere
 *   V_SELECT(m, a, b)   a where m, b elsewhere
 *   V_NAN_NONE()        a NaN record that has seen no NaN
 *   V_NAN_SEEN2(r, a, b), V_NAN_SEEN(r, a)   r with any NaN of a (and b)
 *   V_ANY_NAN(r)        nonzero if r has seen a NaN
 *   V_HMAX(v)           optional: the largest lane of v that is a number;
 *                       without it the lanes are stored and compared
 *   VI                  a vector of W 32-bit lane indices
 *   VI_IOTA()           0, 1, ..., W-1
 *   VI_ADDN(i, n)       every lane plus n (n < 2^31)
 *   VI_SELECT(m, a, b)  a where m, b elsewhere
 *   VI_STORE(p, i)      W indices to the uint32_t array p
 *
 * The file then defines the static functions activate_sparse, grelu, winner
 * and nudge, which the family puts in its bdc_kernels table.  Every lane
 * performs exactly the scalar operations in the scalar order
 * (kernels/scalar/kernels_scalar.c), so the bits are the same.  The layout,
 * blocking and tail choices are explained in docs/kernels.md. */
#ifndef FAMILY
#error "include the family's vec_<family>.h before wta_simd_template.h"
#endif

#include <math.h>
#include <stdint.h>

#include "families.h"
#include "kernels.h"

#define TILE_VECS 8 /* accumulators per tile: 8 * W outputs in flight */

/* --- activate_sparse ----------------------------------------------------- */

/* How many non-zero inputs ahead a tile pass prefetches its part of the
 * row.  A pass reads a few lines from each of ~150-350 scattered rows,
 * too many short streams for the hardware prefetchers, so without it
 * every row's first touch waits for L3 (docs/kernels.md). */
#define PREFETCH_ROWS_AHEAD 8

/* Adds row * x to the accumulators: vector v of the row is at v*W, except
 * the last, which is at `last`. */
static inline __attribute__((always_inline)) void
tile_add_row(V *acc, V x, const float *row, size_t last, const int nvec)
{
#pragma GCC unroll 8
    for (int v = 0; v < nvec; v++) {
        const size_t at = v == nvec - 1 ? last : (size_t)v * W;
        acc[v] = V_ADD(acc[v], V_MUL(x, V_LOAD(row + at)));
    }
}

/* A hint to load the cache lines of row[0 .. nvec*W) (which may reach a
 * little past the tile, or past the matrix: a prefetch never faults, and
 * the address is formed as an integer so no pointer leaves its array). */
static inline __attribute__((always_inline)) void
tile_prefetch_row(const float *row, const int nvec)
{
    const uintptr_t at = (uintptr_t)row;
#pragma GCC unroll 8
    for (int b = 0; b < nvec * W * (int)sizeof(float); b += 64)
        __builtin_prefetch((const void *)(at + (uintptr_t)b), 0, 3);
}

/* One pass over the non-zero inputs for `nvec` vectors of outputs, starting
 * at w and out (already offset to the tile): vector v is at v*W, except the
 * last, which is at `last` (in the rest of a row it overlaps its neighbour
 * instead of reading past n; the outputs it shares are computed by the same
 * operations, so they get the same bits).  `nvec` is a constant after
 * inlining, so the accumulators live in registers.  The inputs come in
 * order; only the prefetches look ahead. */
static inline __attribute__((always_inline)) void
activate_tile(const uint32_t *idx, const float *val, size_t nnz, const float *w,
              size_t ldw, float *out, size_t last, const int nvec)
{
    V acc[TILE_VECS];
#pragma GCC unroll 8
    for (int v = 0; v < nvec; v++)
        acc[v] = V_ZERO();
    size_t k = 0;
    /* Two loops rather than a test per input: the second has nothing left
     * to prefetch. */
    if (nnz > PREFETCH_ROWS_AHEAD)
        for (; k < nnz - PREFETCH_ROWS_AHEAD; k++) {
            tile_prefetch_row(w + (size_t)idx[k + PREFETCH_ROWS_AHEAD] * ldw, nvec);
            tile_add_row(acc, V_SET1(val[k]), w + (size_t)idx[k] * ldw, last, nvec);
        }
    for (; k < nnz; k++)
        tile_add_row(acc, V_SET1(val[k]), w + (size_t)idx[k] * ldw, last, nvec);
#pragma GCC unroll 8
    for (int v = 0; v < nvec; v++)
        V_STORE(out + (v == nvec - 1 ? last : (size_t)v * W), acc[v]);
}

/* One function per accumulator count, kept out of line so that the compiler
 * addresses the row with constant displacements from one pointer. */
#define WTA_DEFINE_TILE(nv)                                                   \
    static __attribute__((noinline)) void activate_tile_##nv(               \
        const uint32_t *idx, const float *val, size_t nnz, const float *w, \
        size_t ldw, float *out, size_t last)                               \
    {                                                                      \
        activate_tile(idx, val, nnz, w, ldw, out, last, nv);               \
    }
WTA_DEFINE_TILE(1) WTA_DEFINE_TILE(2) WTA_DEFINE_TILE(3) WTA_DEFINE_TILE(4)
WTA_DEFINE_TILE(5) WTA_DEFINE_TILE(6) WTA_DEFINE_TILE(7) WTA_DEFINE_TILE(8)
#undef WTA_DEFINE_TILE

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
    /* The rest (< 8 * W outputs) in one pass: ceil(rest/W) <= 8
     * accumulators, the last one ending at n. */
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

/* --- grelu --------------------------------------------------------------- */

#ifndef V_HMAX
/* The largest lane of x that is a number (NaN lanes are flagged apart). */
static float lanes_max(V x)
{
    float lane[W];
    V_STORE(lane, x);
    float m = -INFINITY;
    for (int i = 0; i < W; i++)
        if (lane[i] > m)
            m = lane[i];
    return m;
}
#define V_HMAX(x) lanes_max(x)
#endif

/* out = q > 0 ? q : +0.0f with q = (v - t) / m2.  A compare mask ANDed
 * with q gives +0.0f for every q that is not > 0 (including -0.0f), as the
 * scalar select does; a lane-wise max would keep a -0.0f. */
static V grelu_vec(V v, V t, V m2)
{
    const V q = V_DIV(V_SUB(v, t), m2);
    const VM positive = V_GT(q, V_ZERO());
    return V_AND_MASK(positive, q);
}

static void grelu(float *v, size_t n)
{
    if (n < W) {
        bdc_family_scalar.kernels->grelu(v, n);
        return;
    }
    /* The maximum and the NaN check.  Which lane a NaN lands in does not
     * matter, nor whether the lane-wise max lets it through: any NaN zeroes
     * the whole output.  The last vector overlaps the one before it; max
     * and "any NaN" do not mind seeing a value twice. */
    V mx0 = V_SET1(-INFINITY), mx1 = mx0;
    VM nan = V_NAN_NONE();
    size_t i = 0;
    for (; i + 2 * W <= n; i += 2 * W) {
        const V a = V_LOAD(v + i);
        const V b = V_LOAD(v + i + W);
        nan = V_NAN_SEEN2(nan, a, b);
        mx0 = V_MAX(mx0, a);
        mx1 = V_MAX(mx1, b);
    }
    for (; i < n; i += W) {
        const V a = V_LOAD(v + (i + W <= n ? i : n - W));
        nan = V_NAN_SEEN(nan, a);
        mx0 = V_MAX(mx0, a);
    }
    const float m = V_HMAX(V_MAX(mx0, mx1));
    const float t = (float)(0.95 * (double)m);
    const float m2 = m - t; /* max(v - t): rounding is monotonic */
    if (V_ANY_NAN(nan) || !(m > 0.0f) || !isfinite(m) || !(m2 > 0.0f)) {
        const V zero = V_ZERO();
        for (i = 0; i + W <= n; i += W)
            V_STORE(v + i, zero);
        V_STORE(v + n - W, zero);
        return;
    }
    const V tv = V_SET1(t), m2v = V_SET1(m2);
    /* In place: the overlapping last vector is computed from the original
     * values before the loop overwrites them, and stored after it. */
    const V tail = grelu_vec(V_LOAD(v + n - W), tv, m2v);
    for (i = 0; i + W <= n; i += W)
        V_STORE(v + i, grelu_vec(V_LOAD(v + i), tv, m2v));
    V_STORE(v + n - W, tail);
}

/* --- winner -------------------------------------------------------------- */

/* Per lane: the largest score so far and the index where it first
 * appeared.  A lane's indices only grow, and it moves on a strictly greater
 * score, so it keeps the first index of its maximum, like scalar. */
typedef struct lane_best {
    V value;
    VI index;
} lane_best;

static inline __attribute__((always_inline)) void
winner_step(lane_best *b, const float *h, const float *e, size_t at, V alpha,
            V beta, VI iota)
{
    const V s = V_ADD(V_MUL(alpha, V_LOAD(h + at)), V_MUL(beta, V_LOAD(e + at)));
    const VM greater = V_GT(s, b->value);
    const VI index = VI_ADDN(iota, at);
    b->value = V_SELECT(greater, s, b->value);
    b->index = VI_SELECT(greater, index, b->index);
}

/* Adds the lanes of b to the candidates: the larger score wins, and among
 * equal scores the smaller index. */
static void winner_merge(const lane_best *b, size_t base, float *best_value, size_t *best)
{
    float value[W];
    uint32_t index[W];
    V_STORE(value, b->value);
    VI_STORE(index, b->index);
    for (int l = 0; l < W; l++) {
        const size_t at = base + (size_t)index[l];
        if (value[l] > *best_value || (value[l] == *best_value && at < *best)) {
            *best_value = value[l];
            *best = at;
        }
    }
}

/* Lane indices are 32 bits (signed on x86), so the scores are searched in
 * blocks of at most 2^30; blocks come in order and a later one must be
 * strictly greater. */
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
    const V av = V_SET1(alpha), bv = V_SET1(beta);
    const VI iota = VI_IOTA();
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
        lane_best even = {V_SET1(-INFINITY), iota};
        lane_best odd = {even.value, VI_ADDN(iota, W)};
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

#undef WINNER_BLOCK

/* --- nudge --------------------------------------------------------------- */

/* f = (c1*a - c2) + d;  w = w*f + c3*a, each operation rounded. */
static V nudge_vec(V w, V a, V c1, V c2, V c3, V d)
{
    const V f = V_ADD(V_SUB(V_MUL(c1, a), c2), d);
    return V_ADD(V_MUL(w, f), V_MUL(c3, a));
}

static void nudge(float *w, const float *a, size_t n, const bdc_nudge_coef *c)
{
    if (n < W) {
        bdc_family_scalar.kernels->nudge(w, a, n, c);
        return;
    }
    const V c1 = V_SET1(c->c1), c2 = V_SET1(c->c2);
    const V c3 = V_SET1(c->c3), d = V_SET1(c->d);
    /* The overlapping last vector is read before the loop changes w. */
    const V tail = nudge_vec(V_LOAD(w + n - W), V_LOAD(a + n - W), c1, c2, c3, d);
    for (size_t i = 0; i + W <= n; i += W)
        V_STORE(w + i, nudge_vec(V_LOAD(w + i), V_LOAD(a + i), c1, c2, c3, d));
    V_STORE(w + n - W, tail);
}

#undef TILE_VECS
