/* An instrumented kernel family for the accounting tests: the scalar
 * reference loops with a counter on every operation they execute, so a
 * model run on it reports what it actually did.  The tests check that the
 * results are bit-identical to `scalar` (so the counted loops are the real
 * ones) and that each model's analytic bdc_cost equals the count. */
#ifndef BDC_COUNTING_KERNELS_H
#define BDC_COUNTING_KERNELS_H

#include <stdint.h>

#include "../kernels/kernels.h"

typedef struct bdc_op_count {
    uint64_t macs;               /* multiply-adds of the products */
    uint64_t flops;              /* every other float operation */
    uint64_t weight_bytes_read, weight_bytes_written;
    uint64_t degenerate_grelus;  /* GReLUs that returned all zeros early */
} bdc_op_count;

/* What the counting kernels have executed since the last reset. */
extern bdc_op_count bdc_counted;

/* The scalar table with activate_sparse, grelu, winner, nudge and
 * update_sparse replaced by their counting versions (other operations are
 * scalar's, uncounted). */
const bdc_kernels *bdc_counting_kernels(void);

#endif
