/* The backprop kernel of the neon family: kernels/mlp_simd_template.h over
 * the operations of vec_neon.h (SIMDe NEON, 4 floats per vector). */
#include "vec_neon.h"

#include "../mlp_simd_template.h"
