/* CPU feature detection: CPUID plus the OS's saved vector state on x86,
 * hwcaps on aarch64.  Detected once; the result is cached. */
#define _GNU_SOURCE
#include "cpu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1 << 1)
#endif
#endif

const unsigned bdc_cpu_all_features[] = {
    BDC_CPU_SSE2, BDC_CPU_SSE41, BDC_CPU_AVX, BDC_CPU_AVX2,
    BDC_CPU_FMA,  BDC_CPU_AVX512F, BDC_CPU_NEON,
};
const unsigned bdc_cpu_feature_count =
    sizeof bdc_cpu_all_features / sizeof bdc_cpu_all_features[0];

const char *bdc_cpu_feature_name(unsigned bit)
{
    switch (bit) {
    case BDC_CPU_SSE2: return "sse2";
    case BDC_CPU_SSE41: return "sse4.1";
    case BDC_CPU_AVX: return "avx";
    case BDC_CPU_AVX2: return "avx2";
    case BDC_CPU_FMA: return "fma";
    case BDC_CPU_AVX512F: return "avx512f";
    case BDC_CPU_NEON: return "neon";
    default: return "?";
    }
}

#if defined(__x86_64__) || defined(__i386__)
static unsigned long long xgetbv0(void)
{
    unsigned eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

static unsigned detect(void)
{
    unsigned a, b, c, d, f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    if (d & (1u << 26)) f |= BDC_CPU_SSE2;
    if (c & (1u << 19)) f |= BDC_CPU_SSE41;
    /* AVX state is usable only if the OS saves XMM and YMM (XCR0 bits 1,2). */
    int osxsave = (c & (1u << 27)) != 0;
    unsigned long long xcr0 = osxsave ? xgetbv0() : 0;
    int ymm_ok = (xcr0 & 0x6) == 0x6;
    int zmm_ok = (xcr0 & 0xe6) == 0xe6;
    if ((c & (1u << 28)) && ymm_ok) f |= BDC_CPU_AVX;
    if ((c & (1u << 12)) && ymm_ok) f |= BDC_CPU_FMA;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        if ((b & (1u << 5)) && (f & BDC_CPU_AVX)) f |= BDC_CPU_AVX2;
        if ((b & (1u << 16)) && zmm_ok) f |= BDC_CPU_AVX512F;
    }
    return f;
}

static void model_name(char *out, size_t len)
{
    unsigned r[12];
    unsigned a, b, c, d;
    if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000004u) {
        snprintf(out, len, "x86_64");
        return;
    }
    for (unsigned i = 0; i < 3; i++)
        __get_cpuid(0x80000002u + i, &r[4 * i], &r[4 * i + 1], &r[4 * i + 2],
                    &r[4 * i + 3]);
    char raw[49];
    memcpy(raw, r, 48);
    raw[48] = 0;
    const char *s = raw;
    while (*s == ' ') s++;
    snprintf(out, len, "%s", s);
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == ' ') out[--n] = 0;
}
#elif defined(__aarch64__)
static unsigned detect(void)
{
#if defined(__linux__)
    return (getauxval(AT_HWCAP) & HWCAP_ASIMD) ? BDC_CPU_NEON : 0;
#else
    return BDC_CPU_NEON; /* Advanced SIMD is mandatory on AArch64 */
#endif
}

static void model_name(char *out, size_t len)
{
    snprintf(out, len, "aarch64");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "CPU part", 8) == 0) {
            char *v = strchr(line, ':');
            if (v) {
                v[strcspn(v, "\n")] = 0;
                snprintf(out, len, "aarch64 (part%s)", v + 1);
            }
            break;
        }
    }
    fclose(f);
}
#else
static unsigned detect(void) { return 0; }
static void model_name(char *out, size_t len) { snprintf(out, len, "unknown"); }
#endif

static unsigned disabled_by_env(void)
{
    const char *env = getenv("BDC_CPU_DISABLE");
    if (!env || !*env)
        return 0;
    unsigned mask = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", env);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save))
        for (unsigned i = 0; i < bdc_cpu_feature_count; i++)
            if (strcmp(tok, bdc_cpu_feature_name(bdc_cpu_all_features[i])) == 0)
                mask |= bdc_cpu_all_features[i];
    return mask;
}

/* The hardware is asked once; BDC_CPU_DISABLE is read on every call (the
 * callers are few: choosing a family, listing them), so a test can change
 * it between checks. */
unsigned bdc_cpu_features(void)
{
    static int done;
    static unsigned detected;
    if (!done) {
        detected = detect();
        done = 1;
    }
    unsigned features = detected & ~disabled_by_env();
    if (!(features & BDC_CPU_AVX)) /* AVX2, FMA, AVX-512 need the YMM state */
        features &= ~(unsigned)(BDC_CPU_AVX2 | BDC_CPU_FMA | BDC_CPU_AVX512F);
    return features;
}

const char *bdc_cpu_model(void)
{
    static char name[80];
    if (!name[0])
        model_name(name, sizeof name);
    return name;
}
