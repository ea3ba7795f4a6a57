/* The kernels of the blocked training engine (harness/engine.c, described
 * in docs/engine.md).  Every family fills one `bdc_engine_kernels` table
 * and points to it from its `bdc_family`.  As for the per-sample kernels
 * (kernels.h), the arithmetic is fixed: float32, each product and each sum
 * rounded on its own, no fused multiply-add, every sum in ascending input
 * order starting from +0.0f.  Every family returns the bits of `scalar`.
 *
 * The forward weights of a group of neurons (a "panel") are input-major:
 * the weight of input i for lane q of the group is panel[i * width + q],
 * width a multiple of BDC_ENGINE_LANES, at most BDC_ENGINE_GROUP. */
#ifndef BDC_ENGINE_KERNELS_H
#define BDC_ENGINE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#define BDC_ENGINE_LANES 8  /* panel widths are multiples of this */
#define BDC_ENGINE_GROUP 64 /* and at most this */

typedef struct bdc_engine_kernels {
    /* The sums of one panel for a block of samples, over one chunk of their
     * inputs.  Sample s < nsamples owns the entries pos[s * pos_stride] up
     * to (excluding) pos[s * pos_stride + 1] of idx/val (idx ascending); its
     * `width` sums live at out + s * ldo.  When `fresh`, each sum starts at
     * +0.0f; otherwise it continues from the value out holds (the sum over
     * an earlier chunk of lower inputs).  Then, for each entry k in order,
     *   out[q] = out[q] + val[k] * panel[idx[k] * width + q]. */
    void (*forward_panel)(const float *panel, size_t width, const uint32_t *idx,
                          const float *val, const uint32_t *pos, size_t pos_stride,
                          size_t nsamples, int fresh, float *out, size_t ldo);

    /* The sums of single neurons for one sample, from their neuron-major
     * weights: for r < nrows, with row = base + offset[r],
     *   out[r] = (...((0 + val[0] * row[idx[0]]) + val[1] * row[idx[1]]) ...)
     * over the nnz entries in order (idx ascending). */
    void (*dot_rows)(const uint32_t *idx, const float *val, size_t nnz,
                     const float *base, const size_t *offset, size_t nrows,
                     float *out);

    /* The largest element of v[0..n) that is a number (-INFINITY when there
     * is none); *nan is set to 1 when some element is NaN, else 0.  n >= 1. */
    float (*max_scan)(const float *v, size_t n, int *nan);

    /* Writes the indices j < n with v[j] > t, ascending, to idx (room for n)
     * and returns how many there are. */
    size_t (*above)(const float *v, size_t n, float t, uint32_t *idx);

    /* GReLU's output at the given indices (spec "GReLU", t and m2 given):
     * for i < n, q = (v[idx[i]] - t) / m2 and out[i] = q > 0 ? q : +0.0f. */
    void (*grelu_at)(const float *v, const uint32_t *idx, size_t n, float t,
                     float m2, float *out);
} bdc_engine_kernels;

/* Each family's table, defined in kernels/<family>/engine_<family>.c. */
extern const bdc_engine_kernels bdc_engine_kernels_scalar;
extern const bdc_engine_kernels bdc_engine_kernels_sse;
extern const bdc_engine_kernels bdc_engine_kernels_avx2;
extern const bdc_engine_kernels bdc_engine_kernels_neon;

#endif
