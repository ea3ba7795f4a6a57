/* The sse family: 4 floats per vector, written with SIMDe's SSE4.1
 * intrinsics.  Native on x86-64 (this file gets -msse4.1); emulated by
 * SIMDe on other CPUs.  The winner-take-all kernels are
 * kernels/wta_simd_template.h over the operations of vec_sse.h. */

#include "../cpu.h"
#include "../engine_kernels.h"
#include "../mlp_kernels.h"
#include "vec_sse.h"

#include "../wta_simd_template.h"

static const bdc_kernels table = {
    .activate_sparse = activate_sparse,
    .grelu = grelu,
    .winner = winner,
    .nudge = nudge,
    .update_sparse = bdc_update_sparse_sse,
};

/* SIMDe defines SIMDE_X86_SSE4_1_NATIVE when this file is compiled for
 * SSE4.1 (the Makefile's -msse4.1 on x86-64); anywhere else it emulates it. */
const bdc_family bdc_family_sse = {
    .name = "sse",
#if defined(SIMDE_X86_SSE4_1_NATIVE)
    .description = "SIMDe SSE4.1, 4 floats per vector, 32-output tiles",
    .needs = BDC_CPU_SSE41,
    .emulated = 0,
#else
    .description = "SIMDe SSE4.1 emulated on this CPU (a correctness check)",
    .needs = 0,
    .emulated = 1,
#endif
    .kernels = &table,
    .engine = &bdc_engine_kernels_sse,
};
