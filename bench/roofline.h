/* The roofline of one core: how fast it can compute, and how fast it can
 * read from and write to each level of the memory hierarchy, and what that
 * allows a kernel that does a given work (docs/benchmarks.md explains the
 * model).
 *
 * Each of these is a resource of its own with its own roof: the multiply
 * and add pipes, and the reads and the writes at each level.  A line that
 * comes from level m >= L2 passes through every level from L2 to m, so
 * such a level l carries the bytes of every level m >= l; L1 carries the
 * bytes counted at L1 (data that sits there, counted as the bytes the
 * loads and stores access).  A kernel doing F FLOPs that reads R[m] and
 * writes W[m] bytes at level m cannot take less than
 *     max(F / peak_mul_add,
 *         max over l of carried_R[l] / read_bandwidth[l],
 *         max over l of carried_W[l] / write_bandwidth[l])
 * seconds, which assumes the resources work fully overlapped (the least a
 * kernel can take); its fraction of that bound is that time over the time
 * it took.  The compute peak is the separate multiply-and-add one: bdc's
 * bit-exact kernels may not fuse. */
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
    double write[BDC_LEVELS];     /* bytes/s */
} bdc_roofline;

/* The work of a kernel run: FLOPs, and bytes read from and written to each
 * level (a byte counts at the level it comes from or goes to). */
typedef struct bdc_traffic {
    double flops;
    double read[BDC_LEVELS];
    double written[BDC_LEVELS];
} bdc_traffic;

/* Which roof a bound comes from. */
typedef enum {
    BDC_LIMIT_NONE,    /* no rate known */
    BDC_LIMIT_COMPUTE,
    BDC_LIMIT_READ,
    BDC_LIMIT_WRITE,
} bdc_limit_kind;

typedef struct bdc_limit {
    bdc_limit_kind kind;
    int level;         /* READ, WRITE: the level whose roof it is */
} bdc_limit;

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

/* The least time the roofline allows for the work t (the model above);
 * *limit (if not NULL) says which roof gives it (the compute roof on a
 * tie).  A roof whose rate is unknown (0) bounds nothing; 0 when none is
 * known. */
double bdc_roofline_seconds(const bdc_roofline *r, const bdc_traffic *t,
                            bdc_limit *limit);

/* Total bytes read, and written, over all levels. */
double bdc_traffic_read(const bdc_traffic *t);
double bdc_traffic_written(const bdc_traffic *t);

/* Measures the rates with the probes of bench/probe.h (those this CPU can
 * run; the best of a few runs of each).  Takes about a second. */
void bdc_roofline_measure(bdc_roofline *r);

#endif
