/* Reading IDX files (the MNIST format), raw or gzip-compressed. */
#ifndef BDC_IDX_H
#define BDC_IDX_H

#include <stddef.h>
#include <stdint.h>

/* An IDX file of unsigned bytes: dims[0] items of dims[1] x dims[2] bytes
 * (images, 3 dimensions) or of one byte (labels, 1 dimension). */
typedef struct bdc_idx {
    uint8_t *data;
    size_t ndims;
    size_t dims[3];
    size_t item_size; /* bytes per item: dims[1]*dims[2], or 1 */
} bdc_idx;

/* Largest payload accepted, so that a corrupt header cannot ask for an
 * absurd allocation. */
#define BDC_IDX_MAX_BYTES ((size_t)1 << 32)

/* Reads `path` (gzip is recognised by its content, not its name) and checks
 * magic, element type, number of dimensions, each dimension and the exact
 * length.  Returns 0, or -1 with "PATH: what is wrong" in err. */
int bdc_idx_read(const char *path, size_t ndims, bdc_idx *out, char *err,
                 size_t errlen);

void bdc_idx_free(bdc_idx *idx);

#endif
