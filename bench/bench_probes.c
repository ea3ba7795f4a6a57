/* The roofline probes, benchmarked like the kernels so that their numbers
 * sit in the same report.  (The bounds the kernels are measured against
 * come from bdc_roofline_measure(), run once before any benchmark; these
 * show the same probes with Google Benchmark's statistics.) */
#include "bench_probes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/cpu.h"
#include "gbench.h"
#include "probe.h"

/* Rounds per iteration of a compute probe: 14 vector operations each, a
 * few µs in all. */
enum { ROUNDS = 1 << 12 };

typedef struct probe_case {
    const bdc_probe *probe;
    int level; /* memory probes */
} probe_case;

static const bdc_roofline *roofline;
static probe_case cases[32 * BDC_LEVELS];
static size_t case_count;

/* One buffer, kept across the calls of one level's benchmarks. */
static void *buffer;
static size_t buffer_bytes;

static void *memory_buffer(size_t n)
{
    if (buffer_bytes != n) {
        free(buffer);
        buffer = aligned_alloc(64, n);
        buffer_bytes = buffer ? n : 0;
        if (buffer)
            memset(buffer, 1, n);
    }
    return buffer;
}

static void bench_probe(bdc_bench_state *s, void *arg)
{
    const probe_case *c = arg;
    const bdc_probe *p = c->probe;
    char msg[160];
    const unsigned missing = p->needs & ~bdc_cpu_features();
    if (missing) {
        size_t used = (size_t)snprintf(msg, sizeof msg, "%s needs", p->name);
        for (unsigned i = 0; i < bdc_cpu_feature_count && used < sizeof msg; i++)
            if (missing & bdc_cpu_all_features[i])
                used += (size_t)snprintf(msg + used, sizeof msg - used, " %s",
                                         bdc_cpu_feature_name(bdc_cpu_all_features[i]));
        if (used < sizeof msg)
            snprintf(msg + used, sizeof msg - used, ", which this CPU lacks");
        bdc_bench_skip(s, msg);
        return;
    }
    if (p->kind == BDC_PROBE_READ || p->kind == BDC_PROBE_WRITE) {
        const size_t n = (size_t)roofline->probe_bytes[c->level];
        void *buf = memory_buffer(n);
        if (!buf) {
            bdc_bench_skip(s, "out of memory");
            return;
        }
        if (p->kind == BDC_PROBE_READ)
            for (uint64_t k; (k = bdc_bench_batch(s)) != 0;)
                for (uint64_t i = 0; i < k; i++)
                    p->read(buf, n);
        else
            for (uint64_t k; (k = bdc_bench_batch(s)) != 0;)
                for (uint64_t i = 0; i < k; i++)
                    p->write(buf, n);
        bdc_bench_bytes(s, (double)n * (double)bdc_bench_iterations(s));
        snprintf(msg, sizeof msg, "%s, %zu KiB", p->isa, n >> 10);
    } else {
        double flops = 0;
        for (uint64_t k; (k = bdc_bench_batch(s)) != 0;)
            for (uint64_t i = 0; i < k; i++)
                flops += p->compute(ROUNDS);
        bdc_bench_flops(s, flops);
        snprintf(msg, sizeof msg, "%s", p->isa);
    }
    bdc_bench_label(s, msg);
}

void bench_probes_register(const bdc_roofline *r)
{
    roofline = r;
    char name[96];
    for (size_t i = 0; i < bdc_probe_count; i++) {
        const bdc_probe *p = &bdc_probes[i];
        const int memory = p->kind == BDC_PROBE_READ || p->kind == BDC_PROBE_WRITE;
        const int levels = memory ? BDC_LEVELS : 1;
        for (int level = 0; level < levels; level++) {
            if (case_count == sizeof cases / sizeof cases[0])
                return;
            probe_case *c = &cases[case_count++];
            c->probe = p;
            c->level = level;
            if (memory)
                snprintf(name, sizeof name, "roofline/%s/%s", p->name,
                         bdc_roofline_level_name(level));
            else
                snprintf(name, sizeof name, "roofline/%s", p->name);
            bdc_bench_register(name, bench_probe, c);
        }
    }
}

void bench_probes_release(void)
{
    free(buffer);
    buffer = NULL;
    buffer_bytes = 0;
}
