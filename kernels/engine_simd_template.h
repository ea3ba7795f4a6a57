/* The engine kernels (kernels/engine_kernels.h, docs/engine.md), written
 * once for every vector family.  A family's kernels/<family>/engine_<family>.c
 * includes its vec_<family>.h (FAMILY, W, V and the V_* operations, as for
 * kernels/mlp_simd_template.h and kernels/wta_simd_template.h), defines
 *
 *   ENGINE_MAX_VECS  accumulators per forward pass (register count bound;
 *                    an even number, 8 or 16)
 *
 * and includes this file, which then defines the static kernels
 * forward_panel, dot_rows, max_scan, above and grelu_at for the family's
 * table.  A family whose kernel is a different algorithm defines
 * ENGINE_OWN_FORWARD_PANEL, ENGINE_OWN_DOT_ROWS, ENGINE_OWN_MAX_SCAN or
 * ENGINE_OWN_ABOVE and writes that kernel itself.  Besides the operations of the other templates this
 * file uses
 *
 *   V_LOAD_AT(p, at)      lane l is p[at[l]]
 *   V_LOAD_ROWS(rows, i)  lane l is rows[l][i] (unless ENGINE_OWN_DOT_ROWS)
 *   V_MASK_BITS(m)        bit l set when lane l of mask m is true
 *                         (unless ENGINE_OWN_ABOVE)
 *
 * Lane q of a vector performs exactly the scalar operations of output q
 * (kernels/scalar/engine_scalar.c), in the scalar order, so the bits are
 * scalar's. */
#ifndef FAMILY
#error "include the family's vec_<family>.h before engine_simd_template.h"
#endif
#ifndef ENGINE_MAX_VECS
#error "define ENGINE_MAX_VECS before including engine_simd_template.h"
#endif

#include <math.h>

#include "engine_kernels.h"

/* --- forward_panel ------------------------------------------------------- */

/* #pragma GCC unroll ENGINE_MAX_VECS (the pragma does not expand macros). */
#define ENGINE_PRAGMA2(x) _Pragma(#x)
#define ENGINE_PRAGMA(x) ENGINE_PRAGMA2(x)
#define ENGINE_UNROLL ENGINE_PRAGMA(GCC unroll ENGINE_MAX_VECS)

/* acc[v] += x * row[v], for the nv vectors of one panel row. */
static inline __attribute__((always_inline)) void
add_row(V *acc, V x, const float *row, const int nv)
{
    ENGINE_UNROLL
    for (int v = 0; v < nv; v++)
        acc[v] = V_ADD(acc[v], V_MUL(x, V_LOAD(row + v * W)));
}

/* `nv` vectors of a panel row of `width` floats, from column `col`, for a
 * block of samples: the accumulators of a sample stay in registers over
 * its entries of the chunk and are stored once.  nv (and, where a caller
 * passes constants, width and col) are constants after inlining, so the
 * row is addressed with constant displacements.  Each entry's row address
 * and broadcast are taken one entry ahead (the last entry's row added
 * after the loop), so the row loads need not wait for their index to
 * load (docs/engine.md has what that measured).  A family with a
 * forward_panel of its own may call this too. */
static inline __attribute__((always_inline)) void
forward_nv(const float *panel, size_t width, size_t col, const uint32_t *idx,
           const float *val, const uint32_t *pos, size_t pos_stride,
           size_t nsamples, int fresh, float *out, size_t ldo, const int nv)
{
    for (size_t s = 0; s < nsamples; s++) {
        float *sum = out + s * ldo + col;
        V acc[ENGINE_MAX_VECS];
        ENGINE_UNROLL
        for (int v = 0; v < nv; v++)
            acc[v] = fresh ? V_ZERO() : V_LOAD(sum + v * W);
        uint32_t k = pos[s * pos_stride];
        const uint32_t end = pos[s * pos_stride + 1];
        if (k < end) {
            V x = V_SET1(val[k]);
            const float *row = panel + (size_t)idx[k] * width + col;
            for (; k + 1 < end; k++) {
                const V next_x = V_SET1(val[k + 1]);
                const float *next_row = panel + (size_t)idx[k + 1] * width + col;
                add_row(acc, x, row, nv);
                x = next_x;
                row = next_row;
            }
            add_row(acc, x, row, nv);
        }
        ENGINE_UNROLL
        for (int v = 0; v < nv; v++)
            V_STORE(sum + v * W, acc[v]);
    }
}

#ifndef ENGINE_OWN_FORWARD_PANEL
#define ENGINE_FORWARD(nv)                                                    \
    static __attribute__((noinline)) void forward_##nv(                     \
        const float *panel, size_t width, size_t col, const uint32_t *idx, \
        const float *val, const uint32_t *pos, size_t pos_stride,          \
        size_t nsamples, int fresh, float *out, size_t ldo)                \
    {                                                                      \
        forward_nv(panel, width, col, idx, val, pos, pos_stride, nsamples, \
                   fresh, out, ldo, nv);                                   \
    }
ENGINE_FORWARD(2) ENGINE_FORWARD(4) ENGINE_FORWARD(6) ENGINE_FORWARD(8)
#if ENGINE_MAX_VECS == 16
ENGINE_FORWARD(10) ENGINE_FORWARD(12) ENGINE_FORWARD(14) ENGINE_FORWARD(16)
#elif ENGINE_MAX_VECS != 8
#error "ENGINE_MAX_VECS is 8 or 16"
#endif
#undef ENGINE_FORWARD

#define ENGINE_PASTE2(a, b) a##b
#define ENGINE_PASTE(a, b) ENGINE_PASTE2(a, b)

/* Panel widths are multiples of 8 floats (BDC_ENGINE_LANES): passes of
 * ENGINE_MAX_VECS vectors, then one of the remaining pairs of vectors. */
static void forward_panel(const float *panel, size_t width, const uint32_t *idx,
                          const float *val, const uint32_t *pos, size_t pos_stride,
                          size_t nsamples, int fresh, float *out, size_t ldo)
{
    typedef void fn(const float *, size_t, size_t, const uint32_t *, const float *,
                    const uint32_t *, size_t, size_t, int, float *, size_t);
    static fn *const by_pairs[] = {forward_2, forward_4, forward_6, forward_8,
#if ENGINE_MAX_VECS == 16
                                   forward_10, forward_12, forward_14, forward_16,
#endif
    };
    size_t col = 0;
    for (; col + ENGINE_MAX_VECS * W <= width; col += ENGINE_MAX_VECS * W)
        ENGINE_PASTE(forward_, ENGINE_MAX_VECS)(panel, width, col, idx, val, pos,
                                                pos_stride, nsamples, fresh, out, ldo);
    if (col < width)
        by_pairs[(width - col) / (2 * W) - 1](panel, width, col, idx, val, pos, pos_stride,
                                              nsamples, fresh, out, ldo);
}
#endif

/* --- dot_rows ------------------------------------------------------------ */

#ifndef ENGINE_OWN_DOT_ROWS
/* W rows at once, one per lane, each lane's weight a scalar load. */
static void dot_rows(const uint32_t *idx, const float *val, size_t nnz,
                     const float *base, const size_t *offset, size_t nrows,
                     float *out)
{
    size_t r = 0;
    for (; r + W <= nrows; r += W) {
        const float *rows[W];
        for (int l = 0; l < W; l++)
            rows[l] = base + offset[r + l];
        V acc = V_ZERO();
        for (size_t k = 0; k < nnz; k++)
            acc = V_ADD(acc, V_MUL(V_SET1(val[k]), V_LOAD_ROWS(rows, idx[k])));
        V_STORE(out + r, acc);
    }
    for (; r < nrows; r++) {
        const float *row = base + offset[r];
        float sum = 0.0f;
        for (size_t k = 0; k < nnz; k++)
            sum = sum + val[k] * row[idx[k]];
        out[r] = sum;
    }
}
#endif

/* --- max_scan ------------------------------------------------------------ */

/* max_scan of fewer than W values, one at a time (a family's own max_scan
 * uses it too). */
static inline float max_scan_short(const float *v, size_t n, int *nan)
{
    float m = -INFINITY;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] != v[i])
            any = 1;
        else if (v[i] > m)
            m = v[i];
    }
    *nan = any;
    return m;
}

#ifndef ENGINE_OWN_MAX_SCAN
/* V_MAX(v, m) returns m when v is NaN (x86's max), so NaN lanes never
 * enter the maximum; they are flagged apart.  (When the maximum is a zero,
 * which zero comes back is not specified: callers only compare it.) */
static float max_scan(const float *v, size_t n, int *nan)
{
    float m = -INFINITY;
    size_t i = 0;
    if (n >= W) {
        V m0 = V_SET1(-INFINITY), m1 = m0;
        VM bad = V_NAN_NONE();
        for (; i + 2 * W <= n; i += 2 * W) {
            const V a = V_LOAD(v + i);
            const V b = V_LOAD(v + i + W);
            bad = V_NAN_SEEN2(bad, a, b);
            m0 = V_MAX(a, m0);
            m1 = V_MAX(b, m1);
        }
        for (; i < n; i += W) { /* the rest, the last vector ending at n */
            const V a = V_LOAD(v + (i + W <= n ? i : n - W));
            bad = V_NAN_SEEN(bad, a);
            m0 = V_MAX(a, m0);
        }
        float lane[W];
        V_STORE(lane, V_MAX(m0, m1));
        for (int l = 0; l < W; l++)
            if (lane[l] > m)
                m = lane[l];
        *nan = V_ANY_NAN(bad) != 0;
        return m;
    }
    return max_scan_short(v, n, nan);
}
#endif

/* --- above --------------------------------------------------------------- */

#ifndef ENGINE_OWN_ABOVE
/* Branch-free: every index is written at the current count, which advances
 * only past the lanes above t (count <= i, so no write passes the end). */
static size_t above(const float *v, size_t n, float t, uint32_t *idx)
{
    const V tv = V_SET1(t);
    size_t count = 0, i = 0;
    for (; i + W <= n; i += W) {
        const unsigned mask = V_MASK_BITS(V_GT(V_LOAD(v + i), tv));
        for (unsigned l = 0; l < W; l++) {
            idx[count] = (uint32_t)(i + l);
            count += (mask >> l) & 1u;
        }
    }
    for (; i < n; i++) {
        idx[count] = (uint32_t)i;
        count += v[i] > t;
    }
    return count;
}
#endif

/* --- grelu_at ------------------------------------------------------------ */

static void grelu_at(const float *v, const uint32_t *idx, size_t n, float t,
                     float m2, float *out)
{
    const V tv = V_SET1(t), mv = V_SET1(m2);
    const V zero = V_ZERO();
    size_t i = 0;
    for (; i + W <= n; i += W) {
        const V q = V_DIV(V_SUB(V_LOAD_AT(v, idx + i), tv), mv);
        /* q > 0 ? q : +0.0f: the compare mask ANDed with q (a max would
         * keep -0.0f) */
        V_STORE(out + i, V_AND_MASK(V_GT(q, zero), q));
    }
    for (; i < n; i++) {
        const float q = (v[idx[i]] - t) / m2;
        out[i] = q > 0.0f ? q : 0.0f;
    }
}
