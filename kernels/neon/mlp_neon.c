/* The backprop kernel of the neon family (kernels/mlp_simd_template.h):
 * SIMDe NEON, 4 floats per vector.  vmulq then vaddq, never vmlaq or vfmaq;
 * GCC does not fuse them under -ffp-contract=off. */
#include <simde/arm/neon.h>

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

#include "../mlp_simd_template.h"
