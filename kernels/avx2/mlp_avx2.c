/* The backprop kernel of the avx2 family (kernels/mlp_simd_template.h):
 * SIMDe AVX2, 8 floats per vector.  Never -mfma: every product and sum is
 * rounded on its own. */
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

#include "../mlp_simd_template.h"
