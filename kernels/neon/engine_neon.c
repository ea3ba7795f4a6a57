/* The engine kernels of the neon family (SIMDe NEON; native on aarch64,
 * emulated on x86-64 as a correctness check): kernels/engine_simd_template.h
 * over the operations of vec_neon.h, but for max_scan, whose algorithm
 * differs (NEON's max propagates NaN).  docs/engine.md explains the
 * choices. */
#include "vec_neon.h"

#define ENGINE_MAX_VECS 16 /* accumulators per pass: aarch64 has 32 registers */
#define ENGINE_OWN_MAX_SCAN

#include "../engine_simd_template.h"

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
    return max_scan_short(v, n, nan);
}

const bdc_engine_kernels bdc_engine_kernels_neon = {
    .forward_panel = forward_panel,
    .dot_rows = dot_rows,
    .max_scan = max_scan,
    .above = above,
    .grelu_at = grelu_at,
};
