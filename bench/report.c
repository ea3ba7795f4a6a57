/* Counting and reporting for the kernel benchmarks (report.h). */
#include "report.h"

#include <stdio.h>

#include "../kernels/cpu.h"
#include "lines.h"

/* "avx2 needs avx2 fma, which this CPU lacks" */
static void lacking(const bdc_family *f, char *out, size_t len)
{
    size_t used = (size_t)snprintf(out, len, "%s needs", f->name);
    for (unsigned i = 0; i < bdc_cpu_feature_count && used < len; i++) {
        const unsigned bit = bdc_cpu_all_features[i];
        if ((f->needs & bit) && !(bdc_cpu_features() & bit))
            used += (size_t)snprintf(out + used, len - used, " %s",
                                     bdc_cpu_feature_name(bit));
    }
    if (used < len)
        snprintf(out + used, len - used, ", which this CPU lacks");
}

bdc_family_status bench_family_check(bdc_bench_state *s, const bdc_family *f)
{
    const bdc_family_status status = bdc_family_status_of(f);
    if (status == BDC_UNAVAILABLE) {
        char msg[256];
        lacking(f, msg, sizeof msg);
        bdc_bench_skip(s, msg);
    }
    return status;
}

void bench_register_families(const char *op, const char *shape, void *data,
                             bdc_bench_fn fn, bench_case *cases, size_t *count)
{
    for (size_t f = 0; f < bdc_family_count(); f++) {
        bench_case *c = &cases[(*count)++];
        c->family = bdc_family_at(f);
        c->data = data;
        char name[128];
        snprintf(name, sizeof name, "%s/%s/%s", op, shape, c->family->name);
        bdc_bench_register(name, fn, c);
    }
}

void bench_report(bdc_bench_state *s, const bdc_roofline *r, const bdc_traffic *t,
                  double items, int level, bdc_family_status status, const char *what)
{
    bdc_limit limit;
    const double ideal = bdc_roofline_seconds(r, t, &limit);
    const double read = bdc_traffic_read(t), written = bdc_traffic_written(t);
    bdc_bench_flops(s, t->flops);
    bdc_bench_bytes(s, read + written);
    bdc_bench_rate(s, "read_bytes_per_second", read);
    bdc_bench_rate(s, "written_bytes_per_second", written);
    bdc_bench_items(s, items);
    bdc_bench_rate(s, "bound_pct", 100 * ideal);

    char bound[32];
    const char *kind = limit.kind == BDC_LIMIT_COMPUTE ? "compute"
                       : limit.kind == BDC_LIMIT_READ  ? "read"
                       : limit.kind == BDC_LIMIT_WRITE ? "write"
                                                       : "no";
    if ((limit.kind == BDC_LIMIT_READ || limit.kind == BDC_LIMIT_WRITE) &&
        limit.level != level)
        snprintf(bound, sizeof bound, "%s-bound at %s", kind, bdc_roofline_level_name(limit.level));
    else
        snprintf(bound, sizeof bound, "%s-bound", kind);
    char msg[512];
    snprintf(msg, sizeof msg, "%s%s %s, %s", status == BDC_EMULATED ? "emulated, " : "",
             bdc_roofline_level_name(level), bound, what);
    bdc_bench_label(s, msg);
}
