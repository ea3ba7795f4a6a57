/* The bytes an operation moves, counted the way memory moves them: in
 * whole cache lines.  Plain C, no Google Benchmark (tests/test_roofline.c
 * checks it). */
#ifndef BDC_BENCH_LINES_H
#define BDC_BENCH_LINES_H

#include <stddef.h>
#include <stdint.h>

/* The cache line size the byte counts use (set once; 64 until then). */
void bench_set_line_bytes(unsigned bytes);
unsigned bench_line_bytes(void);

/* Bytes of the whole cache lines that [p, p + bytes) touches. */
double bench_lines(const void *p, size_t bytes);

/* Bytes of the whole cache lines that rows idx[0..n) (ascending) of a
 * matrix touch, each row `row_bytes` long, row i at base + i * stride
 * bytes; a line shared by two rows counts once. */
double bench_rows_lines(const void *base, size_t stride, size_t row_bytes,
                        const uint32_t *idx, size_t n);

/* Over `iterations` calls that cycle through `count` inputs from input 0,
 * the sum of per_input[i] over the inputs used. */
double bench_cycled(const double *per_input, size_t count, uint64_t iterations);

#endif
