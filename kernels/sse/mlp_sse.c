/* The backprop kernel of the sse family: kernels/mlp_simd_template.h over
 * the operations of vec_sse.h (SIMDe SSE4.1, 4 floats per vector). */
#include "vec_sse.h"

#include "../mlp_simd_template.h"
