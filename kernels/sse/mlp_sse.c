/* The backprop kernel of the sse family (kernels/mlp_simd_template.h):
 * SIMDe SSE4.1, 4 floats per vector. */
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

#include "../mlp_simd_template.h"
