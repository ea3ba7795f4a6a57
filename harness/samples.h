/* A labelled set of samples stored sparse: each sample is the ascending list
 * of its non-zero inputs, as (index, level) pairs, and a level is turned
 * into its float value through a 256-entry table.  MNIST pixels are levels
 * 0..255 with value level/255.0f; binconv features are counts 0..16.
 * Zero inputs are not stored: the spec allows skipping them exactly. */
#ifndef BDC_SAMPLES_H
#define BDC_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

#define BDC_CLASSES 10
#define BDC_MAX_DIM 65536 /* input indices are stored as uint16 */

typedef struct bdc_samples {
    size_t count;
    size_t dim;          /* inputs per sample */
    size_t rows, cols;   /* image shape when the inputs are pixels */
    uint8_t *labels;     /* count labels, each < BDC_CLASSES */
    size_t *start;       /* count + 1 offsets into index[] and level[] */
    uint16_t *index;     /* non-zero input positions, ascending per sample */
    uint8_t *level;      /* their levels, never 0 */
    float value[256];    /* level -> input value; value[0] is 0 */
} bdc_samples;

/* One sample unpacked for a learner: the non-zero inputs as the kernels take
 * them, and the dense vector the nudge moves weights toward. */
typedef struct bdc_sample {
    const uint32_t *idx;
    const float *val;
    size_t nnz;
    const float *dense; /* dim floats */
    int label;
} bdc_sample;

/* Scratch space that bdc_samples_get() fills; one per thread. */
typedef struct bdc_sample_buf {
    uint32_t *idx;
    float *val;
    float *dense;
    size_t nnz; /* non-zeros currently set in dense, cleared on reuse */
    size_t dim;
} bdc_sample_buf;

int bdc_sample_buf_init(bdc_sample_buf *b, size_t dim);
void bdc_sample_buf_free(bdc_sample_buf *b);

/* Unpacks sample i into b and returns the view. */
bdc_sample bdc_samples_get(const bdc_samples *s, size_t i, bdc_sample_buf *b);

/* Builds a sample set from dense rows of levels (count x dim bytes).
 * Returns 0, or -1 when out of memory. */
int bdc_samples_from_levels(bdc_samples *s, const uint8_t *levels,
                            const uint8_t *labels, size_t count, size_t dim);

/* Keeps the first n samples (n <= count). */
void bdc_samples_truncate(bdc_samples *s, size_t n);

/* Average number of non-zero inputs per sample. */
double bdc_samples_mean_nnz(const bdc_samples *s);

void bdc_samples_free(bdc_samples *s);

#endif
