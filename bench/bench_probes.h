/* The roofline probes as benchmarks (bench/bench_probes.c). */
#ifndef BDC_BENCH_PROBES_H
#define BDC_BENCH_PROBES_H

#include "roofline.h"

/* Registers roofline/<probe> for each compute probe and
 * roofline/<probe>/<level> for each read and write probe and level of r. */
void bench_probes_register(const bdc_roofline *r);

/* Frees the probes' buffer. */
void bench_probes_release(void);

#endif
