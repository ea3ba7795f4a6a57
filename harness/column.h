/* Column k of an input-major matrix (rows x ld floats, row-major): the
 * weights of one hidden unit, one float per row, ld floats apart.  The
 * per-sample learners gather it, nudge it with the kernel table's nudge and
 * scatter it back; the copies are exact. */
#ifndef BDC_COLUMN_H
#define BDC_COLUMN_H

#include <stddef.h>

/* col[i] = a[i*ld + k] for i < rows. */
void bdc_column_gather(const float *a, size_t rows, size_t ld, size_t k, float *col);

/* a[i*ld + k] = col[i] for i < rows. */
void bdc_column_scatter(float *a, size_t rows, size_t ld, size_t k, const float *col);

#endif
