/* The strided column copies of column.h. */
#include "column.h"

/* Rows ahead that the gather prefetches.  Each row is its own cache line,
 * ld floats from the last: with small pages every row is in a new page,
 * where the hardware prefetchers stop, and even on huge pages the loads
 * overlap only as far as the out-of-order window reaches.  From a matrix
 * that L3 does not quite hold (4433 x 1000, 17.7 MB) a long look-ahead
 * made the gather ~1.3x faster; where L3 holds the matrix (784 x 1500)
 * it changed nothing.  docs/kernels.md. */
#define GATHER_PREFETCH_ROWS 256

void bdc_column_gather(const float *a, size_t rows, size_t ld, size_t k, float *col)
{
    const float *p = a + k;
    size_t i = 0;
    if (rows > GATHER_PREFETCH_ROWS)
        for (; i < rows - GATHER_PREFETCH_ROWS; i++) {
            /* For writing: the scatter stores to the same lines. */
            __builtin_prefetch(p + (i + GATHER_PREFETCH_ROWS) * ld, 1, 3);
            col[i] = p[i * ld];
        }
    for (; i < rows; i++)
        col[i] = p[i * ld];
}

void bdc_column_scatter(float *a, size_t rows, size_t ld, size_t k, const float *col)
{
    float *p = a + k;
    for (size_t i = 0; i < rows; i++)
        p[i * ld] = col[i];
}
