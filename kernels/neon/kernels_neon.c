/* The neon family: 4 floats per vector, written with SIMDe's NEON
 * intrinsics.  Native on aarch64 (Advanced SIMD is part of the base ISA);
 * emulated by SIMDe on x86-64, where it is a correctness check, not a speed
 * contender.  The winner-take-all kernels are kernels/wta_simd_template.h
 * over the operations of vec_neon.h. */

#include "../cpu.h"
#include "../engine_kernels.h"
#include "../mlp_kernels.h"
#include "vec_neon.h"

#include "../wta_simd_template.h"

static const bdc_kernels table = {
    .activate_sparse = activate_sparse,
    .grelu = grelu,
    .winner = winner,
    .nudge = nudge,
    .update_sparse = bdc_update_sparse_neon,
};

/* SIMDe defines SIMDE_ARM_NEON_A64V8_NATIVE when compiling for aarch64;
 * anywhere else it emulates NEON with what the target has. */
const bdc_family bdc_family_neon = {
    .name = "neon",
#if defined(SIMDE_ARM_NEON_A64V8_NATIVE)
    .description = "SIMDe NEON, 4 floats per vector, 32-output tiles",
    .needs = BDC_CPU_NEON,
    .emulated = 0,
#else
    .description = "SIMDe NEON emulated on this CPU (a correctness check)",
    .needs = 0,
    .emulated = 1,
#endif
    .kernels = &table,
    .engine = &bdc_engine_kernels_neon,
};
