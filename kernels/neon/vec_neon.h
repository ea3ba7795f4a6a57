/* The neon family's vector operations, for kernels/mlp_simd_template.h,
 * kernels/wta_simd_template.h and kernels/engine_simd_template.h:
 * SIMDe NEON, 4 floats per vector.  vmulq then
 * vaddq, never vmlaq or vfmaq; GCC does not fuse them under
 * -ffp-contract=off. */
#ifndef BDC_VEC_NEON_H
#define BDC_VEC_NEON_H

#include <stdint.h>
#include <simde/arm/neon.h>

#include "div_neon.h"

#define FAMILY neon
#define W 4
#define V simde_float32x4_t
#define V_ZERO() simde_vdupq_n_f32(0.0f)
#define V_SET1(x) simde_vdupq_n_f32(x)
#define V_LOAD(p) simde_vld1q_f32(p)
#define V_STORE(p, v) simde_vst1q_f32((p), (v))
#define V_ADD(a, b) simde_vaddq_f32((a), (b))
#define V_SUB(a, b) simde_vsubq_f32((a), (b))
#define V_MUL(a, b) simde_vmulq_f32((a), (b))
#define V_DIV(a, b) div_f32x4((a), (b))
#define V_MAX(a, b) simde_vmaxq_f32((a), (b))
#define V_HMAX(v) simde_vmaxvq_f32(v)
/* Lanes from scalar loads, through memory: p[at[l]], rows[l][i]. */
static inline simde_float32x4_t load_at(const float *p, const uint32_t *at)
{
    const float lanes[4] = {p[at[0]], p[at[1]], p[at[2]], p[at[3]]};
    return simde_vld1q_f32(lanes);
}
static inline simde_float32x4_t load_rows(const float *const *rows, uint32_t i)
{
    const float lanes[4] = {rows[0][i], rows[1][i], rows[2][i], rows[3][i]};
    return simde_vld1q_f32(lanes);
}
#define V_LOAD_AT(p, at) load_at((p), (at))
#define V_LOAD_ROWS(rows, i) load_rows((rows), (i))

/* Masks are uint32 vectors with all bits set in the true lanes. */
#define VM simde_uint32x4_t
#define V_GT(a, b) simde_vcgtq_f32((a), (b))
#define V_AND_MASK(m, v)                                                      \
    simde_vreinterpretq_f32_u32(simde_vandq_u32((m), simde_vreinterpretq_u32_f32(v)))
#define V_SELECT(m, a, b) simde_vbslq_f32((m), (a), (b))
/* Bit l set when lane l is true (NEON has no movemask). */
static inline unsigned mask_bits(simde_uint32x4_t m)
{
    uint32_t lanes[4];
    simde_vst1q_u32(lanes, m);
    return (lanes[0] & 1u) | (lanes[1] & 1u) << 1 | (lanes[2] & 1u) << 2 | (lanes[3] & 1u) << 3;
}
#define V_MASK_BITS(m) mask_bits(m)
/* The NaN record, kept the other way round: the lanes that were all
 * numbers (a lane equal to itself is a number). */
#define V_NAN_NONE() simde_vdupq_n_u32(UINT32_MAX)
#define V_NAN_SEEN2(r, a, b)                                                  \
    simde_vandq_u32((r), simde_vandq_u32(simde_vceqq_f32((a), (a)), simde_vceqq_f32((b), (b))))
#define V_NAN_SEEN(r, a) simde_vandq_u32((r), simde_vceqq_f32((a), (a)))
#define V_ANY_NAN(r) (simde_vminvq_u32(r) == 0)

/* 0, 1, 2, 3: NEON has no lane-number constructor, so load them. */
static inline simde_uint32x4_t lane_numbers(void)
{
    static const uint32_t lanes[W] = {0, 1, 2, 3};
    return simde_vld1q_u32(lanes);
}

#define VI simde_uint32x4_t
#define VI_IOTA() lane_numbers()
#define VI_ADDN(i, n) simde_vaddq_u32((i), simde_vdupq_n_u32((uint32_t)(n)))
#define VI_SELECT(m, a, b) simde_vbslq_u32((m), (a), (b))
#define VI_STORE(p, i) simde_vst1q_u32((p), (i))

#endif
