/* Counting bytes in cache lines (lines.h). */
#include "lines.h"

static unsigned line = 64;

void bench_set_line_bytes(unsigned bytes)
{
    if (bytes)
        line = bytes;
}

unsigned bench_line_bytes(void) { return line; }

double bench_lines(const void *p, size_t bytes)
{
    if (!bytes)
        return 0;
    const uintptr_t a = (uintptr_t)p;
    return (double)((a + bytes - 1) / line - a / line + 1) * line;
}

double bench_rows_lines(const void *base, size_t stride, size_t row_bytes,
                        const uint32_t *idx, size_t n)
{
    const uintptr_t a = (uintptr_t)base;
    uintptr_t next = 0; /* the first line not yet counted */
    size_t lines = 0;
    for (size_t k = 0; k < n; k++) {
        const uintptr_t lo = (a + (uintptr_t)idx[k] * stride) / line;
        const uintptr_t hi = (a + (uintptr_t)idx[k] * stride + row_bytes - 1) / line;
        const uintptr_t from = lo > next || k == 0 ? lo : next;
        if (hi >= from)
            lines += hi - from + 1;
        next = hi + 1;
    }
    return (double)lines * line;
}

double bench_cycled(const double *per_input, size_t count, uint64_t iterations)
{
    if (!count)
        return 0;
    double cycle = 0, part = 0;
    const uint64_t rest = iterations % count;
    for (size_t i = 0; i < count; i++) {
        cycle += per_input[i];
        if (i < rest)
            part += per_input[i];
    }
    return (double)(iterations / count) * cycle + part;
}
