/* The list of roofline probes built for this architecture. */
#include "probe.h"

#include "../kernels/cpu.h"

volatile float bdc_probe_sink;

const bdc_probe bdc_probes[] = {
#if defined(__x86_64__) || defined(__i386__)
    {"mul_add_128", "sse2", BDC_PROBE_MUL_ADD, BDC_CPU_SSE2, bdc_probe_mul_add_128, NULL},
    {"mul_add_256", "avx", BDC_PROBE_MUL_ADD, BDC_CPU_AVX, bdc_probe_mul_add_256, NULL},
    {"fma_256", "avx2+fma", BDC_PROBE_FMA, BDC_CPU_AVX2 | BDC_CPU_FMA, bdc_probe_fma, NULL},
    {"read_128", "sse2", BDC_PROBE_READ, BDC_CPU_SSE2, NULL, bdc_probe_read_128},
    {"read_256", "avx", BDC_PROBE_READ, BDC_CPU_AVX, NULL, bdc_probe_read_256},
#elif defined(__aarch64__)
    {"mul_add_128", "neon", BDC_PROBE_MUL_ADD, 0, bdc_probe_mul_add_128, NULL},
    {"fma_128", "neon", BDC_PROBE_FMA, 0, bdc_probe_fma, NULL},
    {"read_128", "neon", BDC_PROBE_READ, 0, NULL, bdc_probe_read_128},
#else
    {"mul_add_128", "generic", BDC_PROBE_MUL_ADD, 0, bdc_probe_mul_add_128, NULL},
    {"fma_128", "generic", BDC_PROBE_FMA, 0, bdc_probe_fma, NULL},
    {"read_128", "generic", BDC_PROBE_READ, 0, NULL, bdc_probe_read_128},
#endif
};
const size_t bdc_probe_count = sizeof bdc_probes / sizeof bdc_probes[0];
