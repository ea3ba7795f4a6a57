/* The engine kernels of the scalar family: plain C, one element at a time,
 * compiled without auto-vectorisation.  The reference the other families'
 * engine kernels are tested against. */
#include <math.h>

#include "../engine_kernels.h"

static void forward_panel(const float *panel, size_t width, const uint32_t *idx,
                          const float *val, const uint32_t *pos, size_t pos_stride,
                          size_t nsamples, int fresh, float *out, size_t ldo)
{
    for (size_t s = 0; s < nsamples; s++) {
        float *sum = out + s * ldo;
        if (fresh)
            for (size_t q = 0; q < width; q++)
                sum[q] = 0.0f;
        for (uint32_t k = pos[s * pos_stride]; k < pos[s * pos_stride + 1]; k++) {
            const float x = val[k];
            const float *row = panel + (size_t)idx[k] * width;
            for (size_t q = 0; q < width; q++)
                sum[q] = sum[q] + x * row[q];
        }
    }
}

static void dot_rows(const uint32_t *idx, const float *val, size_t nnz,
                     const float *base, const size_t *offset, size_t nrows,
                     float *out)
{
    for (size_t r = 0; r < nrows; r++) {
        const float *row = base + offset[r];
        float sum = 0.0f;
        for (size_t k = 0; k < nnz; k++)
            sum = sum + val[k] * row[idx[k]];
        out[r] = sum;
    }
}

static float max_scan(const float *v, size_t n, int *nan)
{
    float m = -INFINITY;
    int any_nan = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] != v[i])
            any_nan = 1;
        else if (v[i] > m)
            m = v[i];
    }
    *nan = any_nan;
    return m;
}

static size_t above(const float *v, size_t n, float t, uint32_t *idx)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] > t)
            idx[count++] = (uint32_t)i;
    return count;
}

static void grelu_at(const float *v, const uint32_t *idx, size_t n, float t,
                     float m2, float *out)
{
    for (size_t i = 0; i < n; i++) {
        const float q = (v[idx[i]] - t) / m2;
        out[i] = q > 0.0f ? q : 0.0f;
    }
}

const bdc_engine_kernels bdc_engine_kernels_scalar = {
    .forward_panel = forward_panel,
    .dot_rows = dot_rows,
    .max_scan = max_scan,
    .above = above,
    .grelu_at = grelu_at,
};
