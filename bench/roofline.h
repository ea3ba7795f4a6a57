/* The roofline of one core: how fast it can compute and how fast it can
 * read from each level of the memory hierarchy, and what that allows a
 * kernel that does a given work on a given working set (docs/benchmarks.md
 * explains the model).
 *
 * A kernel doing F FLOPs and moving B bytes, with a working set that sits
 * in level L, cannot take less than
 *     max(F / peak_mul_add, B / read_bandwidth[L])
 * seconds; its fraction of that bound is that time over the time it took.
 * The compute peak is the separate multiply-and-add one: bdc's bit-exact
 * kernels may not fuse. */
#ifndef BDC_ROOFLINE_H
#define BDC_ROOFLINE_H

#include <stdint.h>

enum { BDC_LEVEL_L1, BDC_LEVEL_L2, BDC_LEVEL_L3, BDC_LEVEL_DRAM, BDC_LEVELS };

typedef struct bdc_roofline {
    uint64_t cache[3];            /* bytes of L1d, L2, L3 as one core sees them */
    int cache_assumed;            /* 1: some size is a default, not the machine's */
    uint64_t probe_bytes[BDC_LEVELS]; /* the buffer that sits in each level */
    double mul_add;               /* FLOP/s, separate multiply and add */
    double fma;                   /* FLOP/s with FMA; 0 when not measured */
    double read[BDC_LEVELS];      /* bytes/s */
} bdc_roofline;

/* Defaults for cache sizes the machine does not report (0). */
#define BDC_ROOFLINE_DEFAULT_L1 (32u << 10)
#define BDC_ROOFLINE_DEFAULT_L2 (1u << 20)
#define BDC_ROOFLINE_DEFAULT_L3 (8u << 20)

/* Sets the cache sizes (0: unknown, a default is used) and from them the
 * buffer size of each level: half of L1d, half of L2, half of L3 (each
 * above the level below), and DRAM four times L3 but at least 64 MiB.
 * All are multiples of 4096.  Rates are left at 0. */
void bdc_roofline_init(bdc_roofline *r, uint64_t l1, uint64_t l2, uint64_t l3);

/* The level a working set of `bytes` sits in: the first cache that holds
 * it, else DRAM. */
int bdc_roofline_level_of(const bdc_roofline *r, uint64_t bytes);

/* "L1", "L2", "L3", "DRAM". */
const char *bdc_roofline_level_name(int level);

/* The least time the roofline allows for `flops` FLOPs and `bytes` bytes
 * read at `level`; *compute_bound (if not NULL) says which term is the
 * larger.  0 when neither rate is known. */
double bdc_roofline_seconds(const bdc_roofline *r, double flops, double bytes,
                            int level, int *compute_bound);

/* Measures the rates with the probes of bench/probe.h (those this CPU can
 * run; the best of a few runs of each).  Takes about a second. */
void bdc_roofline_measure(bdc_roofline *r);

#endif
