/* The body of the mul_add, read and write probes for one vector width, written
 * with GCC vector types so that one text serves every ISA: a file defines
 * PROBE_BYTES (vector width in bytes) and PROBE_NAME(x) and includes this. */
#include "probe.h"

typedef float probe_vf __attribute__((vector_size(PROBE_BYTES)));
typedef uint32_t probe_vu __attribute__((vector_size(PROBE_BYTES), may_alias));

#define PROBE_LANES (PROBE_BYTES / 4)

/* Read at run time so that the compiler cannot fold x * 1 or y + 0. */
static volatile float probe_one = 1.0f, probe_zero = 0.0f;
/* What the write probe stores, read at run time so that the loop cannot
 * become a call to memset. */
static volatile uint32_t probe_word = 0x3f800001u;

/* The vector register constraint of inline asm on this architecture. */
#if defined(__x86_64__) || defined(__i386__)
#define PROBE_VREG "x"
#elif defined(__aarch64__)
#define PROBE_VREG "w"
#else
#error "the probes know the vector registers of x86-64 and AArch64 only"
#endif
/* Empty asm statements, no instructions: OPAQUE makes the compiler forget
 * what v holds (so a product of it is computed anew, never hoisted or
 * merged with another), USED makes it keep a result it would discard. */
#define PROBE_OPAQUE(v) __asm__("" : "+" PROBE_VREG(v))
#define PROBE_USED(v) __asm__ volatile("" ::PROBE_VREG(v))

/* Independent multiplies and adds, as many of each, none waiting for
 * another: only the pipes limit them.  (Loop-carried chains, one per
 * register, fall short of the pipes on some cores: 7 + 7 chains reached
 * 0.8 of this rate on a Zen 5, where an element-wise kernel beat them.) */
#define PROBE_PAIR                                                      \
    PROBE_OPAQUE(x);                                                    \
    {                                                                   \
        const probe_vf p = x * m;                                       \
        PROBE_USED(p);                                                  \
    }                                                                   \
    PROBE_OPAQUE(y);                                                    \
    {                                                                   \
        const probe_vf q = y + a;                                       \
        PROBE_USED(q);                                                  \
    }

double PROBE_NAME(mul_add)(uint64_t rounds)
{
    const probe_vf m = (probe_vf){0} + probe_one;
    const probe_vf a = (probe_vf){0} + probe_zero;
    probe_vf x = m + 1, y = m + 2;
    for (uint64_t r = 0; r < rounds; r++) {
        PROBE_PAIR PROBE_PAIR PROBE_PAIR PROBE_PAIR
        PROBE_PAIR PROBE_PAIR PROBE_PAIR PROBE_PAIR
    }
    bdc_probe_sink = x[0] + y[0];
    return (double)rounds * 16.0 * PROBE_LANES;
}

#undef PROBE_PAIR

void PROBE_NAME(read)(const void *p, size_t n)
{
    const probe_vu *v = p;
    const size_t count = n / sizeof(probe_vu);
    probe_vu a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    probe_vu a4 = {0}, a5 = {0}, a6 = {0}, a7 = {0};
    for (size_t i = 0; i + 8 <= count; i += 8) {
        a0 |= v[i];     a1 |= v[i + 1];
        a2 |= v[i + 2]; a3 |= v[i + 3];
        a4 |= v[i + 4]; a5 |= v[i + 5];
        a6 |= v[i + 6]; a7 |= v[i + 7];
    }
    const probe_vu s = ((a0 | a1) | (a2 | a3)) | ((a4 | a5) | (a6 | a7));
    bdc_probe_sink = (float)s[0];
}

void PROBE_NAME(write)(void *p, size_t n)
{
    probe_vu *v = p;
    const size_t count = n / sizeof(probe_vu);
    const probe_vu x = (probe_vu){0} + probe_word;
    for (size_t i = 0; i + 8 <= count; i += 8) {
        v[i] = x;     v[i + 1] = x;
        v[i + 2] = x; v[i + 3] = x;
        v[i + 4] = x; v[i + 5] = x;
        v[i + 6] = x; v[i + 7] = x;
    }
}
