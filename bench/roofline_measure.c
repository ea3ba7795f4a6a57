/* Measuring the roofline: every probe this CPU can run, each the best of
 * a few runs timed on the thread's CPU clock (the clock Google Benchmark's
 * "CPU" times use), so that time lost to other processes does not count. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../kernels/cpu.h"
#include "probe.h"
#include "roofline.h"

enum { TRIALS = 5 };
static const double MIN_SECONDS = 0.01; /* per trial */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* FLOP/s: rounds are doubled until a run lasts MIN_SECONDS. */
static double compute_rate(const bdc_probe *p)
{
    uint64_t rounds = 1 << 10;
    for (;;) {
        const double t0 = now();
        p->compute(rounds);
        if (now() - t0 >= MIN_SECONDS)
            break;
        rounds *= 2;
    }
    double best = 0;
    for (int t = 0; t < TRIALS; t++) {
        const double t0 = now();
        const double flops = p->compute(rounds);
        const double rate = flops / (now() - t0);
        if (rate > best)
            best = rate;
    }
    return best;
}

/* One pass of a memory probe over the n bytes at buf. */
static void pass(const bdc_probe *p, void *buf, size_t n)
{
    if (p->kind == BDC_PROBE_READ)
        p->read(buf, n);
    else
        p->write(buf, n);
}

/* Bytes/s reading (or writing) the n bytes at buf again and again. */
static double memory_rate(const bdc_probe *p, void *buf, size_t n)
{
    uint64_t passes = 1;
    for (;;) {
        const double t0 = now();
        for (uint64_t i = 0; i < passes; i++)
            pass(p, buf, n);
        if (now() - t0 >= MIN_SECONDS)
            break;
        passes *= 2;
    }
    double best = 0;
    for (int t = 0; t < TRIALS; t++) {
        const double t0 = now();
        for (uint64_t i = 0; i < passes; i++)
            pass(p, buf, n);
        const double rate = (double)passes * (double)n / (now() - t0);
        if (rate > best)
            best = rate;
    }
    return best;
}

static int runnable(const bdc_probe *p)
{
    return (p->needs & ~bdc_cpu_features()) == 0;
}

void bdc_roofline_measure(bdc_roofline *r)
{
    for (size_t i = 0; i < bdc_probe_count; i++) {
        const bdc_probe *p = &bdc_probes[i];
        const int memory = p->kind == BDC_PROBE_READ || p->kind == BDC_PROBE_WRITE;
        if (memory || !runnable(p))
            continue;
        const double rate = compute_rate(p);
        double *best = p->kind == BDC_PROBE_FMA ? &r->fma : &r->mul_add;
        if (rate > *best)
            *best = rate;
    }
    for (int level = 0; level < BDC_LEVELS; level++) {
        const size_t n = (size_t)r->probe_bytes[level];
        void *buf = aligned_alloc(64, n);
        if (!buf)
            continue; /* the rate stays 0: no bound from this level */
        memset(buf, 1, n);
        for (size_t i = 0; i < bdc_probe_count; i++) {
            const bdc_probe *p = &bdc_probes[i];
            double *best = p->kind == BDC_PROBE_READ    ? &r->read[level]
                           : p->kind == BDC_PROBE_WRITE ? &r->write[level]
                                                        : NULL;
            if (!best || !runnable(p))
                continue;
            const double rate = memory_rate(p, buf, n);
            if (rate > *best)
                *best = rate;
        }
        free(buf);
    }
}
