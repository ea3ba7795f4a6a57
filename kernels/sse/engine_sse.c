/* The engine kernels of the sse family (SIMDe SSE4.1; native with
 * -msse4.1, emulated elsewhere).  Lane q of a vector performs exactly the
 * scalar operations of output q, in the scalar order, so the bits are
 * scalar's.  docs/engine.md explains the choices. */
#include <math.h>
#include <simde/x86/sse4.1.h>

#include "../engine_kernels.h"

#define W 4        /* floats per vector */
#define MAX_VECS 8 /* accumulators per pass: 16 registers hold 8 and the rest */

/* `nv` vectors of a panel row of `width` floats, from column `col`, for a
 * block of samples.  A 64-wide panel takes two passes of 32. */
static inline __attribute__((always_inline)) void
forward_nv(const float *panel, size_t width, size_t col, const uint32_t *idx,
           const float *val, const uint32_t *pos, size_t pos_stride,
           size_t nsamples, int fresh, float *out, size_t ldo, const int nv)
{
    for (size_t s = 0; s < nsamples; s++) {
        float *sum = out + s * ldo + col;
        simde__m128 acc[MAX_VECS];
#pragma GCC unroll 8
        for (int v = 0; v < nv; v++)
            acc[v] = fresh ? simde_mm_setzero_ps() : simde_mm_loadu_ps(sum + v * W);
        const uint32_t end = pos[s * pos_stride + 1];
        for (uint32_t k = pos[s * pos_stride]; k < end; k++) {
            const simde__m128 x = simde_mm_set1_ps(val[k]);
            const float *row = panel + (size_t)idx[k] * width + col;
#pragma GCC unroll 8
            for (int v = 0; v < nv; v++)
                acc[v] = simde_mm_add_ps(acc[v], simde_mm_mul_ps(x, simde_mm_loadu_ps(row + v * W)));
        }
#pragma GCC unroll 8
        for (int v = 0; v < nv; v++)
            simde_mm_storeu_ps(sum + v * W, acc[v]);
    }
}

#define BDC_FORWARD(nv)                                                          \
    static __attribute__((noinline)) void forward_##nv(                        \
        const float *panel, size_t width, size_t col, const uint32_t *idx,    \
        const float *val, const uint32_t *pos, size_t pos_stride,             \
        size_t nsamples, int fresh, float *out, size_t ldo)                   \
    {                                                                         \
        forward_nv(panel, width, col, idx, val, pos, pos_stride, nsamples,    \
                   fresh, out, ldo, nv);                                      \
    }
BDC_FORWARD(2) BDC_FORWARD(4) BDC_FORWARD(6) BDC_FORWARD(8)
#undef BDC_FORWARD

/* Panel widths are multiples of 8 floats: passes of 8 vectors, then one
 * of 2, 4 or 6. */
static void forward_panel(const float *panel, size_t width, const uint32_t *idx,
                          const float *val, const uint32_t *pos, size_t pos_stride,
                          size_t nsamples, int fresh, float *out, size_t ldo)
{
    size_t col = 0;
    for (; col + MAX_VECS * W <= width; col += MAX_VECS * W)
        forward_8(panel, width, col, idx, val, pos, pos_stride, nsamples, fresh, out, ldo);
    switch ((width - col) / W) {
    case 2: forward_2(panel, width, col, idx, val, pos, pos_stride, nsamples, fresh, out, ldo); break;
    case 4: forward_4(panel, width, col, idx, val, pos, pos_stride, nsamples, fresh, out, ldo); break;
    case 6: forward_6(panel, width, col, idx, val, pos, pos_stride, nsamples, fresh, out, ldo); break;
    default: break;
    }
}

/* Four rows at once, one per lane (SSE has no gather: four scalar loads). */
static void dot_rows(const uint32_t *idx, const float *val, size_t nnz,
                     const float *base, const size_t *offset, size_t nrows,
                     float *out)
{
    size_t r = 0;
    for (; r + W <= nrows; r += W) {
        const float *r0 = base + offset[r], *r1 = base + offset[r + 1];
        const float *r2 = base + offset[r + 2], *r3 = base + offset[r + 3];
        simde__m128 acc = simde_mm_setzero_ps();
        for (size_t k = 0; k < nnz; k++) {
            const uint32_t i = idx[k];
            const simde__m128 w = simde_mm_setr_ps(r0[i], r1[i], r2[i], r3[i]);
            acc = simde_mm_add_ps(acc, simde_mm_mul_ps(simde_mm_set1_ps(val[k]), w));
        }
        simde_mm_storeu_ps(out + r, acc);
    }
    for (; r < nrows; r++) {
        const float *row = base + offset[r];
        float sum = 0.0f;
        for (size_t k = 0; k < nnz; k++)
            sum = sum + val[k] * row[idx[k]];
        out[r] = sum;
    }
}

/* max_ps(v, m) returns m when v is NaN: NaN lanes never enter the maximum
 * and are flagged apart.  (Which zero comes back when the maximum is a
 * zero is not specified: callers only compare it.) */
static float max_scan(const float *v, size_t n, int *nan)
{
    float m = -INFINITY;
    size_t i = 0;
    if (n >= W) {
        simde__m128 m0 = simde_mm_set1_ps(-INFINITY), m1 = m0;
        simde__m128 bad = simde_mm_setzero_ps();
        for (; i + 2 * W <= n; i += 2 * W) {
            const simde__m128 a = simde_mm_loadu_ps(v + i);
            const simde__m128 b = simde_mm_loadu_ps(v + i + W);
            bad = simde_mm_or_ps(bad, simde_mm_cmpunord_ps(a, b));
            m0 = simde_mm_max_ps(a, m0);
            m1 = simde_mm_max_ps(b, m1);
        }
        for (; i < n; i += W) { /* the rest, the last vector ending at n */
            const simde__m128 a = simde_mm_loadu_ps(v + (i + W <= n ? i : n - W));
            bad = simde_mm_or_ps(bad, simde_mm_cmpunord_ps(a, a));
            m0 = simde_mm_max_ps(a, m0);
        }
        float lane[W];
        simde_mm_storeu_ps(lane, simde_mm_max_ps(m0, m1));
        for (int l = 0; l < W; l++)
            if (lane[l] > m)
                m = lane[l];
        *nan = simde_mm_movemask_ps(bad) != 0;
        return m;
    }
    int any = 0;
    for (; i < n; i++) {
        if (v[i] != v[i])
            any = 1;
        else if (v[i] > m)
            m = v[i];
    }
    *nan = any;
    return m;
}

/* Branch-free: every index is written at the current count, which advances
 * only past the lanes above t (count <= i, so no write passes the end). */
static size_t above(const float *v, size_t n, float t, uint32_t *idx)
{
    const simde__m128 tv = simde_mm_set1_ps(t);
    size_t count = 0, i = 0;
    for (; i + W <= n; i += W) {
        const unsigned mask = (unsigned)simde_mm_movemask_ps(
            simde_mm_cmpgt_ps(simde_mm_loadu_ps(v + i), tv));
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

static void grelu_at(const float *v, const uint32_t *idx, size_t n, float t,
                     float m2, float *out)
{
    const simde__m128 tv = simde_mm_set1_ps(t), mv = simde_mm_set1_ps(m2);
    const simde__m128 zero = simde_mm_setzero_ps();
    size_t i = 0;
    for (; i + W <= n; i += W) {
        const simde__m128 x = simde_mm_setr_ps(v[idx[i]], v[idx[i + 1]], v[idx[i + 2]], v[idx[i + 3]]);
        const simde__m128 q = simde_mm_div_ps(simde_mm_sub_ps(x, tv), mv);
        /* q > 0 ? q : +0.0f: the compare mask ANDed with q */
        simde_mm_storeu_ps(out + i, simde_mm_and_ps(simde_mm_cmpgt_ps(q, zero), q));
    }
    for (; i < n; i++) {
        const float q = (v[idx[i]] - t) / m2;
        out[i] = q > 0.0f ? q : 0.0f;
    }
}

const bdc_engine_kernels bdc_engine_kernels_sse = {
    .forward_panel = forward_panel,
    .dot_rows = dot_rows,
    .max_scan = max_scan,
    .above = above,
    .grelu_at = grelu_at,
};
