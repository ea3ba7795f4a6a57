/* The backprop kernel of the avx2 family: kernels/mlp_simd_template.h over
 * the operations of vec_avx2.h (SIMDe AVX2, 8 floats per vector).  Never
 * -mfma: every product and sum is rounded on its own. */
#include "vec_avx2.h"

#include "../mlp_simd_template.h"
