/* The engine kernels of the sse family (SIMDe SSE4.1; native with
 * -msse4.1, emulated elsewhere): kernels/engine_simd_template.h over the
 * operations of vec_sse.h.  docs/engine.md explains the choices. */
#include "vec_sse.h"

#define ENGINE_MAX_VECS 8 /* accumulators per pass: 16 registers hold 8 and the rest */

#include "../engine_simd_template.h"

const bdc_engine_kernels bdc_engine_kernels_sse = {
    .forward_panel = forward_panel,
    .dot_rows = dot_rows,
    .max_scan = max_scan,
    .above = above,
    .grelu_at = grelu_at,
};
