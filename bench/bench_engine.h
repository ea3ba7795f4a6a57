/* The blocked engine's benchmarks (bench/bench_engine.c). */
#ifndef BDC_BENCH_ENGINE_H
#define BDC_BENCH_ENGINE_H

#include "roofline.h"

/* Registers operation/shape/family for every engine kernel (and the two
 * blocked composites), shape and family; each reports its fraction of the
 * bound r sets (r must outlive the run). */
void bench_engine_register(const bdc_roofline *r);

/* Frees what the benchmarks allocated. */
void bench_engine_release(void);

#endif
