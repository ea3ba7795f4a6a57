/* Google Benchmark from C: the only interface the C benchmarks see.
 *
 * Google Benchmark is C++; bench/gbench.cc, the only C++ file of bdc, turns
 * these calls into its API and nothing else.  Its command-line flags, its
 * console and JSON output (and so its tools/compare.py) are unchanged.
 *
 * A benchmark is a C function that receives an opaque state and the
 * argument it was registered with:
 *
 *     static void bm_copy(bdc_bench_state *s, void *arg)
 *     {
 *         buffer *b = arg;                       set-up: not timed
 *         uint64_t n;
 *         while ((n = bdc_bench_batch(s)) != 0)  timed from the first call
 *             for (uint64_t i = 0; i < n; i++)
 *                 memcpy(b->dst, b->src, b->bytes);
 *         bdc_bench_bytes(s, (double)b->bytes * (double)bdc_bench_iterations(s));
 *     }
 *     ...
 *     bdc_bench_register("copy/4KiB", bm_copy, &buffer_4k);
 *
 * Google Benchmark calls the function several times with growing iteration
 * counts until a run lasts --benchmark_min_time; set-up before the loop runs
 * each time and is not timed.
 */
#ifndef BDC_GBENCH_H
#define BDC_GBENCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One run of one benchmark (a benchmark::State). */
typedef struct bdc_bench_state bdc_bench_state;

typedef void (*bdc_bench_fn)(bdc_bench_state *s, void *arg);

/* --- the program ------------------------------------------------------- */

/* Parses and removes Google Benchmark's flags (--benchmark_filter,
 * --benchmark_repetitions, --benchmark_format, --benchmark_out, ...) from
 * argv; --help prints `usage` (may be NULL), then those flags, and exits.
 * Returns 0, or 2 after naming the arguments it does not know. */
int bdc_bench_init(int *argc, char **argv, const char *usage);

/* Registers fn under name, to be called with arg (which must outlive the
 * run).  Benchmarks run in registration order. */
void bdc_bench_register(const char *name, bdc_bench_fn fn, void *arg);

/* Adds key: value to the "context" of the report (console header, JSON). */
void bdc_bench_context(const char *key, const char *value);

/* Runs the benchmarks that --benchmark_filter selects and reports them.
 * Returns how many were selected. */
size_t bdc_bench_run(void);

/* --- inside a benchmark ----------------------------------------------- */

/* The batched keep-running loop: the number of iterations to run now, 0
 * when the run is over.  Timing starts at the first call.  Loop until it
 * returns 0 (one call per batch, not per iteration):
 *     while ((n = bdc_bench_batch(s)) != 0) for (i = 0; i < n; i++) ...   */
uint64_t bdc_bench_batch(bdc_bench_state *s);

/* Iterations run so far (after the loop: all of them). */
uint64_t bdc_bench_iterations(const bdc_bench_state *s);

/* Stop and restart the timer inside the loop.  Each pair costs about a
 * microsecond of clock reads: use them per batch, not per iteration. */
void bdc_bench_pause(bdc_bench_state *s);
void bdc_bench_resume(bdc_bench_state *s);

/* Rates: pass the total over the whole run (all iterations); the report
 * shows it per second of measured time.  bytes -> "bytes_per_second",
 * items -> "items_per_second" (Google Benchmark's own fields), flops ->
 * the counter "FLOPS". */
void bdc_bench_bytes(bdc_bench_state *s, double total);
void bdc_bench_items(bdc_bench_state *s, double total);
void bdc_bench_flops(bdc_bench_state *s, double total);

/* Any other counter: bdc_bench_rate reports total / seconds (a rate),
 * bdc_bench_value reports value as given. */
void bdc_bench_rate(bdc_bench_state *s, const char *name, double total);
void bdc_bench_value(bdc_bench_state *s, const char *name, double value);

/* A free-text label shown beside the result. */
void bdc_bench_label(bdc_bench_state *s, const char *label);

/* Skips the benchmark with a message (reported as an error: this is
 * Google Benchmark 1.7's only skip).  Call it before the loop, then
 * return: the loop, if entered, runs no iteration. */
void bdc_bench_skip(bdc_bench_state *s, const char *message);

#ifdef __cplusplus
}
#endif

#endif
