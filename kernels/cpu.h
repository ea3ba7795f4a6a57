/* What this CPU can run, detected once. */
#ifndef BDC_CPU_H
#define BDC_CPU_H

enum {
    BDC_CPU_SSE2    = 1u << 0,
    BDC_CPU_SSE41   = 1u << 1,
    BDC_CPU_AVX     = 1u << 2, /* CPUID bit and the OS saves YMM state */
    BDC_CPU_AVX2    = 1u << 3,
    BDC_CPU_FMA     = 1u << 4,
    BDC_CPU_AVX512F = 1u << 5, /* reported only; no family uses it */
    BDC_CPU_NEON    = 1u << 6, /* aarch64 Advanced SIMD */
};

/* The features detected (once), less any named in BDC_CPU_DISABLE at the
 * time of the call (a comma list of feature names, e.g. "avx2,sse4.1": a
 * testing aid that lets a machine act as an older one). */
unsigned bdc_cpu_features(void);

/* Name of one BDC_CPU_* bit ("sse4.1", "avx2", ...). */
const char *bdc_cpu_feature_name(unsigned bit);

/* Every bit, for listings. */
extern const unsigned bdc_cpu_all_features[];
extern const unsigned bdc_cpu_feature_count;

/* The CPU's marketing name ("AMD EPYC 7B13"), or the architecture. */
const char *bdc_cpu_model(void);

#endif
