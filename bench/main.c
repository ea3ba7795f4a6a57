/* bdc-bench: Google Benchmark over every kernel of every family, against
 * this core's roofline.  Its flags are Google Benchmark's own
 * (--benchmark_filter, --benchmark_format=json, --benchmark_out=, ...);
 * docs/benchmarks.md describes the benchmarks and the model.
 *
 * The thread is bound to one core ($BDC_BENCH_CORE, default 0, "none" to
 * leave it free), the roofline is measured once, and the report's context
 * carries the machine record, the roofline and the bdc version. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/json.h"
#include "../harness/machine.h"
#include "../harness/version.h"
#include "../kernels/dispatch.h"
#include "bench_engine.h"
#include "bench_kernels.h"
#include "bench_probes.h"
#include "gbench.h"
#include "roofline.h"

/* A rate, to four significant digits. */
static const char usage[] =
    "usage: bdc-bench [Google Benchmark flags]\n"
    "\n"
    "Times every kernel of every kernel family on the shapes of bdc's learners\n"
    "and reports the fraction of this core's roofline each reaches\n"
    "(docs/benchmarks.md).  Names are operation/shape/family and\n"
    "roofline/<probe>[/<level>].\n"
    "\n"
    "environment:\n"
    "  BDC_BENCH_CORE=N|none  the core to run on (default 0)\n"
    "  BDC_DATA_DIR=DIR       MNIST in DIR/mnist (default: the repository's data/)\n"
    "  BDC_CPU_DISABLE=avx2,...  act as a CPU without those features\n"
    "\n"
    "Exit status: 0 success, 2 bad usage or no benchmark selected.\n"
    "\n";

static void context_rate(const char *key, double value)
{
    char text[64];
    snprintf(text, sizeof text, "%.4g", value);
    bdc_bench_context(key, text);
}

static void context_bytes(const char *key, uint64_t value)
{
    char text[32];
    snprintf(text, sizeof text, "%llu", (unsigned long long)value);
    bdc_bench_context(key, text);
}

/* The machine record as one line of JSON. */
static void context_machine(const bdc_machine *m)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    bdc_json j = {f, 0};
    bdc_machine_json(&j, NULL, m);
    fclose(f);
    bdc_bench_context("machine", text);
    free(text);
}

/* "scalar:native avx2:unavailable neon:emulated" */
static void context_families(void)
{
    char text[512];
    size_t used = 0;
    text[0] = 0;
    for (size_t i = 0; i < bdc_family_count() && used < sizeof text; i++) {
        const bdc_family *f = bdc_family_at(i);
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%s:%s",
                                 i ? " " : "", f->name,
                                 bdc_family_status_name(bdc_family_status_of(f)));
    }
    bdc_bench_context("bdc_families", text);
}

static void context_roofline(const bdc_roofline *r)
{
    context_rate("roofline_mul_add_gflops", r->mul_add * 1e-9);
    context_rate("roofline_fma_gflops", r->fma * 1e-9);
    char key[64];
    for (int level = 0; level < BDC_LEVELS; level++) {
        const char *name = bdc_roofline_level_name(level);
        snprintf(key, sizeof key, "roofline_read_gbps_%s", name);
        context_rate(key, r->read[level] * 1e-9);
        snprintf(key, sizeof key, "roofline_write_gbps_%s", name);
        context_rate(key, r->write[level] * 1e-9);
        snprintf(key, sizeof key, "roofline_bytes_%s", name);
        context_bytes(key, r->probe_bytes[level]);
    }
    for (int level = 0; level < 3; level++) {
        snprintf(key, sizeof key, "roofline_cache_%s", bdc_roofline_level_name(level));
        context_bytes(key, r->cache[level]);
    }
    bdc_bench_context("roofline_cache_sizes",
                      r->cache_assumed ? "assumed (the machine did not report them)"
                                       : "from the machine record");
}

/* Binds this thread as $BDC_BENCH_CORE says; returns what was done. */
static const char *bind_core(char *text, size_t len)
{
    const char *env = getenv("BDC_BENCH_CORE");
    if (env && strcmp(env, "none") == 0)
        return "none (BDC_BENCH_CORE=none)";
    char *end = NULL;
    const unsigned long core = env && *env ? strtoul(env, &end, 10) : 0;
    if (env && *env && (*end || core > 4096)) {
        fprintf(stderr, "bdc-bench: BDC_BENCH_CORE='%s' is not a core number or 'none'\n",
                env);
        exit(2);
    }
    if (bdc_machine_bind_thread((unsigned)core) != 0) {
        const char *why = strerror(errno);
        fprintf(stderr, "bdc-bench: warning: binding to core %lu failed (%s); running unbound\n",
                core, why);
        snprintf(text, len, "none (binding to core %lu failed: %s)", core, why);
        return text;
    }
    snprintf(text, len, "%lu", core);
    return text;
}

/* --benchmark_list_tests only lists names: no need to measure anything. */
static int only_listing(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--benchmark_list_tests") == 0 ||
            strcmp(argv[i], "--benchmark_list_tests=true") == 0 ||
            strcmp(argv[i], "--benchmark_list_tests=1") == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    const int listing = only_listing(argc, argv);
    if (bdc_bench_init(&argc, argv, usage) != 0)
        return 2;

    const bdc_machine *m = bdc_machine_get();
    static bdc_roofline roofline;
    bdc_roofline_init(&roofline, bdc_machine_cache_size(m, 1),
                      bdc_machine_cache_size(m, 2), bdc_machine_cache_size(m, 3));
    const bdc_machine_cache *l1 = bdc_machine_data_cache(m, 1);

    char bound[160];
    bdc_bench_context("bdc_version", BDC_VERSION);
    bdc_bench_context("bdc_commit", BDC_COMMIT);
    bdc_bench_context("machine_id", m->id);
    bdc_bench_context("bound_to_core", listing ? "-" : bind_core(bound, sizeof bound));
    if (m->sanitized)
        bdc_bench_context("warning", "built with sanitizers: the times mean nothing");
    context_machine(m);
    context_families();
    if (!listing)
        bdc_roofline_measure(&roofline);
    context_roofline(&roofline);

    bench_probes_register(&roofline);
    bench_kernels_register(&roofline, l1 ? l1->line_size : 0);
    bench_engine_register(&roofline);
    const size_t selected = bdc_bench_run();
    bench_engine_release();
    bench_kernels_release();
    bench_probes_release();
    /* Google Benchmark has said so; a run that measured nothing fails. */
    return selected == 0 ? 2 : 0;
}
