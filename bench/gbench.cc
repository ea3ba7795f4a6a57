// The C wrapper of Google Benchmark (bench/gbench.h documents it).  The
// only C++ in bdc: each function forwards to one call of the library.
#include "gbench.h"

#include <cstdio>

#include <benchmark/benchmark.h>

namespace {

benchmark::State &state(bdc_bench_state *s)
{
    return *reinterpret_cast<benchmark::State *>(s);
}

const benchmark::State &state(const bdc_bench_state *s)
{
    return *reinterpret_cast<const benchmark::State *>(s);
}

const char *usage_text;

void print_help()
{
    if (usage_text)
        std::fputs(usage_text, stdout);
    benchmark::PrintDefaultHelp();
}

}  // namespace

extern "C" {

int bdc_bench_init(int *argc, char **argv, const char *usage)
{
    usage_text = usage;
    benchmark::Initialize(argc, argv, print_help);
    return benchmark::ReportUnrecognizedArguments(*argc, argv) ? 2 : 0;
}

void bdc_bench_register(const char *name, bdc_bench_fn fn, void *arg)
{
    benchmark::RegisterBenchmark(name, [fn, arg](benchmark::State &st) {
        fn(reinterpret_cast<bdc_bench_state *>(&st), arg);
    });
}

void bdc_bench_context(const char *key, const char *value)
{
    benchmark::AddCustomContext(key, value);
}

size_t bdc_bench_run(void)
{
    const size_t selected = benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return selected;
}

// One batch of every iteration the library asked for: KeepRunningBatch
// hands them all out at once, and the next call ends the run.
uint64_t bdc_bench_batch(bdc_bench_state *s)
{
    benchmark::State &st = state(s);
    const benchmark::IterationCount n = st.max_iterations;
    return st.KeepRunningBatch(n) ? static_cast<uint64_t>(n) : 0;
}

uint64_t bdc_bench_iterations(const bdc_bench_state *s)
{
    return static_cast<uint64_t>(state(s).iterations());
}

void bdc_bench_pause(bdc_bench_state *s) { state(s).PauseTiming(); }

void bdc_bench_resume(bdc_bench_state *s) { state(s).ResumeTiming(); }

void bdc_bench_bytes(bdc_bench_state *s, double total)
{
    state(s).SetBytesProcessed(static_cast<int64_t>(total));
}

void bdc_bench_items(bdc_bench_state *s, double total)
{
    state(s).SetItemsProcessed(static_cast<int64_t>(total));
}

void bdc_bench_flops(bdc_bench_state *s, double total)
{
    bdc_bench_rate(s, "FLOPS", total);
}

void bdc_bench_rate(bdc_bench_state *s, const char *name, double total)
{
    state(s).counters[name] = benchmark::Counter(total, benchmark::Counter::kIsRate);
}

void bdc_bench_value(bdc_bench_state *s, const char *name, double value)
{
    state(s).counters[name] = benchmark::Counter(value);
}

void bdc_bench_label(bdc_bench_state *s, const char *label) { state(s).SetLabel(label); }

void bdc_bench_skip(bdc_bench_state *s, const char *message)
{
    state(s).SkipWithError(message);
}

}  // extern "C"
