/* The engine kernels of the neon family (SIMDe NEON; native on aarch64,
 * emulated on x86-64 as a correctness check).  Lane q of a vector performs
 * exactly the scalar operations of output q, in the scalar order, so the
 * bits are scalar's.  docs/engine.md explains the choices. */
#include <math.h>
#include <simde/arm/neon.h>

#include "../engine_kernels.h"
#include "div_neon.h"

#define W 4         /* floats per vector */
#define MAX_VECS 16 /* accumulators per pass: aarch64 has 32 registers */

/* `nv` vectors of a panel row of `width` floats, from column `col`, for a
 * block of samples; a 64-wide panel is one pass of 16 accumulators. */
static inline __attribute__((always_inline)) void
forward_nv(const float *panel, size_t width, size_t col, const uint32_t *idx,
           const float *val, const uint32_t *pos, size_t pos_stride,
           size_t nsamples, int fresh, float *out, size_t ldo, const int nv)
{
    for (size_t s = 0; s < nsamples; s++) {
        float *sum = out + s * ldo + col;
        simde_float32x4_t acc[MAX_VECS];
#pragma GCC unroll 16
        for (int v = 0; v < nv; v++)
            acc[v] = fresh ? simde_vdupq_n_f32(0.0f) : simde_vld1q_f32(sum + v * W);
        const uint32_t end = pos[s * pos_stride + 1];
        for (uint32_t k = pos[s * pos_stride]; k < end; k++) {
            const simde_float32x4_t x = simde_vdupq_n_f32(val[k]);
            const float *row = panel + (size_t)idx[k] * width + col;
#pragma GCC unroll 16
            for (int v = 0; v < nv; v++)
                acc[v] = simde_vaddq_f32(acc[v], simde_vmulq_f32(x, simde_vld1q_f32(row + v * W)));
        }
#pragma GCC unroll 16
        for (int v = 0; v < nv; v++)
            simde_vst1q_f32(sum + v * W, acc[v]);
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
BDC_FORWARD(10) BDC_FORWARD(12) BDC_FORWARD(14) BDC_FORWARD(16)
#undef BDC_FORWARD

/* Panel widths are multiples of 8 floats (2 vectors). */
static void forward_panel(const float *panel, size_t width, const uint32_t *idx,
                          const float *val, const uint32_t *pos, size_t pos_stride,
                          size_t nsamples, int fresh, float *out, size_t ldo)
{
    typedef void fn(const float *, size_t, size_t, const uint32_t *, const float *,
                    const uint32_t *, size_t, size_t, int, float *, size_t);
    static fn *const by_pairs[] = {forward_2, forward_4, forward_6, forward_8,
                                   forward_10, forward_12, forward_14, forward_16};
    size_t col = 0;
    for (; col + MAX_VECS * W <= width; col += MAX_VECS * W)
        forward_16(panel, width, col, idx, val, pos, pos_stride, nsamples, fresh, out, ldo);
    if (col < width)
        by_pairs[(width - col) / (2 * W) - 1](panel, width, col, idx, val, pos, pos_stride,
                                              nsamples, fresh, out, ldo);
}

/* Four rows at once, one per lane, from four scalar loads. */
static void dot_rows(const uint32_t *idx, const float *val, size_t nnz,
                     const float *base, const size_t *offset, size_t nrows,
                     float *out)
{
    size_t r = 0;
    for (; r + W <= nrows; r += W) {
        const float *r0 = base + offset[r], *r1 = base + offset[r + 1];
        const float *r2 = base + offset[r + 2], *r3 = base + offset[r + 3];
        simde_float32x4_t acc = simde_vdupq_n_f32(0.0f);
        for (size_t k = 0; k < nnz; k++) {
            const uint32_t i = idx[k];
            const float lanes[W] = {r0[i], r1[i], r2[i], r3[i]};
            acc = simde_vaddq_f32(acc, simde_vmulq_f32(simde_vdupq_n_f32(val[k]),
                                                       simde_vld1q_f32(lanes)));
        }
        simde_vst1q_f32(out + r, acc);
    }
    for (; r < nrows; r++) {
        const float *row = base + offset[r];
        float sum = 0.0f;
        for (size_t k = 0; k < nnz; k++)
            sum = sum + val[k] * row[idx[k]];
        out[r] = sum;
    }
}

/* NEON's vmaxq gives NaN when either operand is NaN, so NaN lanes are
 * first replaced by -INFINITY (and flagged).  (Which zero comes back when
 * the maximum is a zero is not specified: callers only compare it.) */
static float max_scan(const float *v, size_t n, int *nan)
{
    float m = -INFINITY;
    size_t i = 0;
    if (n >= W) {
        const simde_float32x4_t low = simde_vdupq_n_f32(-INFINITY);
        simde_float32x4_t m0 = low;
        simde_uint32x4_t number = simde_vdupq_n_u32(0xffffffffu);
        for (; i < n; i += W) { /* the last vector ends at n */
            const simde_float32x4_t a = simde_vld1q_f32(v + (i + W <= n ? i : n - W));
            const simde_uint32x4_t ok = simde_vceqq_f32(a, a);
            number = simde_vandq_u32(number, ok);
            m0 = simde_vmaxq_f32(m0, simde_vbslq_f32(ok, a, low));
        }
        float lane[W];
        uint32_t flag[W];
        simde_vst1q_f32(lane, m0);
        simde_vst1q_u32(flag, number);
        int any = 0;
        for (int l = 0; l < W; l++) {
            if (lane[l] > m)
                m = lane[l];
            any |= flag[l] == 0;
        }
        *nan = any;
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
    const simde_float32x4_t tv = simde_vdupq_n_f32(t);
    size_t count = 0, i = 0;
    for (; i + W <= n; i += W) {
        uint32_t mask[W];
        simde_vst1q_u32(mask, simde_vcgtq_f32(simde_vld1q_f32(v + i), tv));
        for (unsigned l = 0; l < W; l++) {
            idx[count] = (uint32_t)(i + l);
            count += mask[l] & 1u;
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
    const simde_float32x4_t tv = simde_vdupq_n_f32(t), mv = simde_vdupq_n_f32(m2);
    const simde_float32x4_t zero = simde_vdupq_n_f32(0.0f);
    size_t i = 0;
    for (; i + W <= n; i += W) {
        const float lanes[W] = {v[idx[i]], v[idx[i + 1]], v[idx[i + 2]], v[idx[i + 3]]};
        const simde_float32x4_t q = div_f32x4(simde_vsubq_f32(simde_vld1q_f32(lanes), tv), mv);
        /* q > 0 ? q : +0.0f: a lane select, never a max (which keeps -0.0f) */
        simde_vst1q_f32(out + i, simde_vbslq_f32(simde_vcgtq_f32(q, zero), q, zero));
    }
    for (; i < n; i++) {
        const float q = (v[idx[i]] - t) / m2;
        out[i] = q > 0.0f ? q : 0.0f;
    }
}

const bdc_engine_kernels bdc_engine_kernels_neon = {
    .forward_panel = forward_panel,
    .dot_rows = dot_rows,
    .max_scan = max_scan,
    .above = above,
    .grelu_at = grelu_at,
};
