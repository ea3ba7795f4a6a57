/* Lane-wise float32 division for the neon family, shared by its kernels
 * and its engine kernels. */
#ifndef BDC_DIV_NEON_H
#define BDC_DIV_NEON_H

#include <simde/arm/neon.h>

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
    float x[4], y[4];
    simde_vst1q_f32(x, a);
    simde_vst1q_f32(y, b);
    for (int i = 0; i < 4; i++)
        x[i] = x[i] / y[i];
    return simde_vld1q_f32(x);
#endif
}

#endif
