/* The list of roofline probes built for this architecture. */
#include "probe.h"

#include "../kernels/cpu.h"

volatile float bdc_probe_sink;

const bdc_probe bdc_probes[] = {
#define COMPUTE(n, isa, kind, needs, fn) {n, isa, kind, needs, .compute = fn}
#define READ(n, isa, needs, fn) {n, isa, BDC_PROBE_READ, needs, .read = fn}
#define WRITE(n, isa, needs, fn) {n, isa, BDC_PROBE_WRITE, needs, .write = fn}
#if defined(__x86_64__) || defined(__i386__)
    COMPUTE("mul_add_128", "sse2", BDC_PROBE_MUL_ADD, BDC_CPU_SSE2, bdc_probe_mul_add_128),
    COMPUTE("mul_add_256", "avx", BDC_PROBE_MUL_ADD, BDC_CPU_AVX, bdc_probe_mul_add_256),
    COMPUTE("fma_256", "avx2+fma", BDC_PROBE_FMA, BDC_CPU_AVX2 | BDC_CPU_FMA, bdc_probe_fma),
    READ("read_128", "sse2", BDC_CPU_SSE2, bdc_probe_read_128),
    READ("read_256", "avx", BDC_CPU_AVX, bdc_probe_read_256),
    WRITE("write_128", "sse2", BDC_CPU_SSE2, bdc_probe_write_128),
    WRITE("write_256", "avx", BDC_CPU_AVX, bdc_probe_write_256),
#elif defined(__aarch64__)
    COMPUTE("mul_add_128", "neon", BDC_PROBE_MUL_ADD, 0, bdc_probe_mul_add_128),
    COMPUTE("fma_128", "neon", BDC_PROBE_FMA, 0, bdc_probe_fma),
    READ("read_128", "neon", 0, bdc_probe_read_128),
    WRITE("write_128", "neon", 0, bdc_probe_write_128),
#else
    COMPUTE("mul_add_128", "generic", BDC_PROBE_MUL_ADD, 0, bdc_probe_mul_add_128),
    COMPUTE("fma_128", "generic", BDC_PROBE_FMA, 0, bdc_probe_fma),
    READ("read_128", "generic", 0, bdc_probe_read_128),
    WRITE("write_128", "generic", 0, bdc_probe_write_128),
#endif
#undef COMPUTE
#undef READ
#undef WRITE
};
const size_t bdc_probe_count = sizeof bdc_probes / sizeof bdc_probes[0];
