/* The avx2 family: 8 floats per vector, written with SIMDe's AVX2
 * intrinsics.  Native on x86-64 (this file gets -mavx2, never -mfma);
 * emulated by SIMDe on other CPUs.  The winner-take-all kernels are
 * kernels/wta_simd_template.h over the operations of vec_avx2.h. */

#include "../cpu.h"
#include "../engine_kernels.h"
#include "../mlp_kernels.h"
#include "vec_avx2.h"

#include "../wta_simd_template.h"

static const bdc_kernels table = {
    .activate_sparse = activate_sparse,
    .grelu = grelu,
    .winner = winner,
    .nudge = nudge,
    .update_sparse = bdc_update_sparse_avx2,
};

/* SIMDe defines SIMDE_X86_AVX2_NATIVE when this file is compiled for AVX2
 * (the Makefile's -mavx2 on x86-64); anywhere else it emulates AVX2. */
const bdc_family bdc_family_avx2 = {
    .name = "avx2",
#if defined(SIMDE_X86_AVX2_NATIVE)
    .description = "SIMDe AVX2, 8 floats per vector, 64-output tiles",
    .needs = BDC_CPU_AVX2, /* cpu.c reports AVX2 only with the YMM state */
    .emulated = 0,
#else
    .description = "SIMDe AVX2 emulated on this CPU (a correctness check)",
    .needs = 0,
    .emulated = 1,
#endif
    .kernels = &table,
    .engine = &bdc_engine_kernels_avx2,
};
