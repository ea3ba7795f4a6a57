/* The fused multiply-add probe: 14 independent chains x = x*m + a, each
 * rounded once.  Compiled with -mavx2 -mfma on x86-64 (256-bit), plain on
 * AArch64 (NEON has FMA); SIMDe maps the intrinsic to the native one.
 * The only file of bdc allowed to fuse: it measures the hardware, not a
 * result anyone compares. */
#include "probe.h"

#if defined(__x86_64__) || defined(__i386__)
#include <simde/x86/fma.h>
typedef simde__m256 probe_v;
#define PROBE_LANES 8
#define SPLAT(x) simde_mm256_set1_ps(x)
#define FMA(x, m, a) simde_mm256_fmadd_ps(x, m, a)
#define ADD(x, y) simde_mm256_add_ps(x, y)
static float first_lane(probe_v v) { return simde_mm256_cvtss_f32(v); }
#else
#include <simde/arm/neon.h>
typedef simde_float32x4_t probe_v;
#define PROBE_LANES 4
#define SPLAT(x) simde_vdupq_n_f32(x)
#define FMA(x, m, a) simde_vfmaq_f32(a, x, m)
#define ADD(x, y) simde_vaddq_f32(x, y)
static float first_lane(probe_v v) { return simde_vgetq_lane_f32(v, 0); }
#endif

static volatile float probe_one = 1.0f, probe_zero = 0.0f;

double bdc_probe_fma(uint64_t rounds)
{
    const probe_v m = SPLAT(probe_one), a = SPLAT(probe_zero);
    probe_v x[14];
    for (int i = 0; i < 14; i++)
        x[i] = SPLAT((float)(i + 1));
    for (uint64_t r = 0; r < rounds; r++) {
        x[0] = FMA(x[0], m, a);   x[1] = FMA(x[1], m, a);
        x[2] = FMA(x[2], m, a);   x[3] = FMA(x[3], m, a);
        x[4] = FMA(x[4], m, a);   x[5] = FMA(x[5], m, a);
        x[6] = FMA(x[6], m, a);   x[7] = FMA(x[7], m, a);
        x[8] = FMA(x[8], m, a);   x[9] = FMA(x[9], m, a);
        x[10] = FMA(x[10], m, a); x[11] = FMA(x[11], m, a);
        x[12] = FMA(x[12], m, a); x[13] = FMA(x[13], m, a);
    }
    probe_v s = x[0];
    for (int i = 1; i < 14; i++)
        s = ADD(s, x[i]);
    bdc_probe_sink = first_lane(s);
    return (double)rounds * 14.0 * 2.0 * PROBE_LANES;
}
