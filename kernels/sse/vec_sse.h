/* The sse family's vector operations, for kernels/mlp_simd_template.h,
 * kernels/wta_simd_template.h and kernels/engine_simd_template.h:
 * SIMDe SSE4.1, 4 floats per vector. */
#ifndef BDC_VEC_SSE_H
#define BDC_VEC_SSE_H

#include <simde/x86/sse4.1.h>

#define FAMILY sse
#define W 4
#define V simde__m128
#define V_ZERO() simde_mm_setzero_ps()
#define V_SET1(x) simde_mm_set1_ps(x)
#define V_LOAD(p) simde_mm_loadu_ps(p)
#define V_STORE(p, v) simde_mm_storeu_ps((p), (v))
#define V_ADD(a, b) simde_mm_add_ps((a), (b))
#define V_SUB(a, b) simde_mm_sub_ps((a), (b))
#define V_MUL(a, b) simde_mm_mul_ps((a), (b))
#define V_DIV(a, b) simde_mm_div_ps((a), (b))
#define V_MAX(a, b) simde_mm_max_ps((a), (b))
/* Lanes from scalar loads (SSE has no gather): p[at[l]], rows[l][i]. */
#define V_LOAD_AT(p, at)                                                      \
    simde_mm_setr_ps((p)[(at)[0]], (p)[(at)[1]], (p)[(at)[2]], (p)[(at)[3]])
#define V_LOAD_ROWS(rows, i)                                                  \
    simde_mm_setr_ps((rows)[0][i], (rows)[1][i], (rows)[2][i], (rows)[3][i])

/* Masks are float vectors with all bits set in the true lanes. */
#define VM simde__m128
#define V_GT(a, b) simde_mm_cmpgt_ps((a), (b))
#define V_AND_MASK(m, v) simde_mm_and_ps((m), (v))
#define V_SELECT(m, a, b) simde_mm_blendv_ps((b), (a), (m))
#define V_MASK_BITS(m) ((unsigned)simde_mm_movemask_ps(m))
/* The NaN record: the lanes that were unordered. */
#define V_NAN_NONE() simde_mm_setzero_ps()
#define V_NAN_SEEN2(r, a, b) simde_mm_or_ps((r), simde_mm_cmpunord_ps((a), (b)))
#define V_NAN_SEEN(r, a) simde_mm_or_ps((r), simde_mm_cmpunord_ps((a), (a)))
#define V_ANY_NAN(r) simde_mm_movemask_ps(r)

#define VI simde__m128i
#define VI_IOTA() simde_mm_setr_epi32(0, 1, 2, 3)
#define VI_ADDN(i, n) simde_mm_add_epi32((i), simde_mm_set1_epi32((int32_t)(n)))
#define VI_SELECT(m, a, b)                                                    \
    simde_mm_castps_si128(simde_mm_blendv_ps(simde_mm_castsi128_ps(b),      \
                                             simde_mm_castsi128_ps(a), (m)))
#define VI_STORE(p, i) simde_mm_storeu_si128((p), (i))

#endif
