/* What every kernel benchmark does around its timed loop: skip a family
 * this CPU cannot run, and report the counters and the label against the
 * roofline (docs/benchmarks.md, "Counters"). */
#ifndef BDC_BENCH_REPORT_H
#define BDC_BENCH_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "../kernels/dispatch.h"
#include "gbench.h"
#include "lines.h"
#include "roofline.h"

/* The family's status; when this CPU cannot run it, the benchmark is
 * skipped with "avx2 needs avx2, which this CPU lacks" and the result is
 * BDC_UNAVAILABLE (return without running). */
bdc_family_status bench_family_check(bdc_bench_state *s, const bdc_family *f);

/* One benchmark: a kernel family and the prepared operation and shape it
 * runs on (the caller's own data). */
typedef struct bench_case {
    const bdc_family *family;
    void *data;
} bench_case;

/* Registers "op/shape/<family>" for every kernel family, each timed by fn
 * with the next free entry of cases (*count of them used) as its arg. */
void bench_register_families(const char *op, const char *shape, void *data,
                             bdc_bench_fn fn, bench_case *cases, size_t *count);

/* The bytes an access moves at `level`: beyond L1, memory moves whole
 * lines (`lines`, from lines.h); within L1, loads and stores move what
 * they access (`accessed`). */
static inline double bench_moved(int level, double lines, double accessed)
{
    return level == BDC_LEVEL_L1 ? accessed : lines;
}

/* Reports a run: FLOPS, bytes_per_second (all bytes),
 * read_bytes_per_second, written_bytes_per_second, items_per_second and
 * bound_pct, and the label
 *   [emulated, ]<level> <limit>-bound, <what>
 * with `level` the level of the working set and <limit> compute, read or
 * write, followed by " at <level>" when the roof is another level's. */
void bench_report(bdc_bench_state *s, const bdc_roofline *r, const bdc_traffic *t,
                  double items, int level, bdc_family_status status, const char *what);

#endif
