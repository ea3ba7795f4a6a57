/* The kernel benchmarks (bench/bench_kernels.c). */
#ifndef BDC_BENCH_KERNELS_H
#define BDC_BENCH_KERNELS_H

#include "roofline.h"

/* Registers operation/shape/family for every operation, shape and family;
 * each reports its fraction of the bound r sets (r must outlive the run).
 * cache_line_bytes: for the strided column of the weight nudge (0: 64). */
void bench_kernels_register(const bdc_roofline *r, unsigned cache_line_bytes);

/* Frees the data of the case prepared last (another part of the program
 * needs the memory). */
void bench_kernels_drop_prepared(void);

/* Frees what the benchmarks allocated. */
void bench_kernels_release(void);

#endif
