/* The avx2 family's vector operations, for kernels/mlp_simd_template.h,
 * kernels/wta_simd_template.h and kernels/engine_simd_template.h:
 * SIMDe AVX2, 8 floats per vector. */
#ifndef BDC_VEC_AVX2_H
#define BDC_VEC_AVX2_H

#include <simde/x86/avx2.h>

#define FAMILY avx2
#define W 8
#define V simde__m256
#define V_ZERO() simde_mm256_setzero_ps()
#define V_SET1(x) simde_mm256_set1_ps(x)
#define V_LOAD(p) simde_mm256_loadu_ps(p)
#define V_STORE(p, v) simde_mm256_storeu_ps((p), (v))
#define V_ADD(a, b) simde_mm256_add_ps((a), (b))
#define V_SUB(a, b) simde_mm256_sub_ps((a), (b))
#define V_MUL(a, b) simde_mm256_mul_ps((a), (b))
#define V_DIV(a, b) simde_mm256_div_ps((a), (b))
#define V_MAX(a, b) simde_mm256_max_ps((a), (b))
/* Lanes from scalar loads: p[at[l]], rows[l][i]. */
#define V_LOAD_AT(p, at)                                                      \
    simde_mm256_setr_ps((p)[(at)[0]], (p)[(at)[1]], (p)[(at)[2]], (p)[(at)[3]], \
                        (p)[(at)[4]], (p)[(at)[5]], (p)[(at)[6]], (p)[(at)[7]])
#define V_LOAD_ROWS(rows, i)                                                  \
    simde_mm256_setr_ps((rows)[0][i], (rows)[1][i], (rows)[2][i], (rows)[3][i], \
                        (rows)[4][i], (rows)[5][i], (rows)[6][i], (rows)[7][i])

/* Masks are float vectors with all bits set in the true lanes. */
#define VM simde__m256
#define V_GT(a, b) simde_mm256_cmp_ps((a), (b), SIMDE_CMP_GT_OQ)
#define V_AND_MASK(m, v) simde_mm256_and_ps((m), (v))
#define V_SELECT(m, a, b) simde_mm256_blendv_ps((b), (a), (m))
#define V_MASK_BITS(m) ((unsigned)simde_mm256_movemask_ps(m))
/* The NaN record: the lanes that were unordered. */
#define V_NAN_NONE() simde_mm256_setzero_ps()
#define V_NAN_SEEN2(r, a, b) simde_mm256_or_ps((r), simde_mm256_cmp_ps((a), (b), SIMDE_CMP_UNORD_Q))
#define V_NAN_SEEN(r, a) simde_mm256_or_ps((r), simde_mm256_cmp_ps((a), (a), SIMDE_CMP_UNORD_Q))
#define V_ANY_NAN(r) simde_mm256_movemask_ps(r)

#define VI simde__m256i
#define VI_IOTA() simde_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)
#define VI_ADDN(i, n) simde_mm256_add_epi32((i), simde_mm256_set1_epi32((int32_t)(n)))
#define VI_SELECT(m, a, b)                                                    \
    simde_mm256_castps_si256(simde_mm256_blendv_ps(simde_mm256_castsi256_ps(b), \
                                                   simde_mm256_castsi256_ps(a), (m)))
#define VI_STORE(p, i) simde_mm256_storeu_si256((p), (i))

#endif
