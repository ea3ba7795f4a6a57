/* The scalar loops of kernels/scalar/kernels_scalar.c, with each executed
 * operation counted where it happens. */
#include "counting_kernels.h"

#include <math.h>

#include "../kernels/families.h"

bdc_op_count bdc_counted;

static void activate_sparse(const uint32_t *idx, const float *val, size_t nnz,
                            const float *w, size_t ldw, size_t n, float *out)
{
    for (size_t j = 0; j < n; j++)
        out[j] = 0.0f;
    for (size_t k = 0; k < nnz; k++) {
        const float x = val[k];
        const float *row = w + (size_t)idx[k] * ldw;
        for (size_t j = 0; j < n; j++) {
            out[j] = out[j] + x * row[j];
            bdc_counted.macs++;
            bdc_counted.weight_bytes_read += sizeof row[j];
        }
    }
}

static void grelu(float *v, size_t n)
{
    float m = -INFINITY;
    int nan = 0;
    for (size_t i = 0; i < n; i++) {
        bdc_counted.flops++; /* one comparison per element */
        if (v[i] != v[i])
            nan = 1;
        else if (v[i] > m)
            m = v[i];
    }
    const float t = (float)(0.95 * (double)m);
    const float m2 = m - t;
    bdc_counted.flops += 2;
    if (nan || !(m > 0.0f) || !isfinite(m) || !(m2 > 0.0f)) {
        bdc_counted.degenerate_grelus++;
        for (size_t i = 0; i < n; i++)
            v[i] = 0.0f;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const float q = (v[i] - t) / m2;
        v[i] = q > 0.0f ? q : 0.0f;
        bdc_counted.flops += 3; /* subtraction, division, clamp */
    }
}

static size_t winner(const float *h, const float *e, size_t n, float alpha,
                     float beta)
{
    size_t best = 0;
    float best_value = alpha * h[0] + beta * e[0];
    bdc_counted.flops += 3;
    for (size_t j = 1; j < n; j++) {
        const float s = alpha * h[j] + beta * e[j];
        bdc_counted.flops += 4; /* two products, the sum, the comparison */
        if (s > best_value) {
            best_value = s;
            best = j;
        }
    }
    return best;
}

static void nudge(float *w, const float *a, size_t n, const bdc_nudge_coef *c)
{
    const float c1 = c->c1, c2 = c->c2, c3 = c->c3, d = c->d;
    for (size_t i = 0; i < n; i++) {
        const float f = (c1 * a[i] - c2) + d;
        const float scaled = w[i] * f;
        w[i] = scaled + c3 * a[i];
        bdc_counted.flops += 6;
        bdc_counted.weight_bytes_read += sizeof w[i];
        bdc_counted.weight_bytes_written += sizeof w[i];
    }
}

/* kernels/scalar/mlp_scalar.c, output by output (the same sums). */
static void update_sparse(const uint32_t *idx, const float *val, size_t nnz,
                          const float *g, size_t ldg, size_t n, float c, float *w)
{
    for (size_t j = 0; j < n; j++) {
        float acc = 0.0f;
        for (size_t k = 0; k < nnz; k++) {
            acc = acc + val[k] * g[(size_t)idx[k] * ldg + j];
            bdc_counted.macs++;
        }
        w[j] = w[j] - c * acc;
        bdc_counted.flops += 2; /* the scaling, the subtraction */
        bdc_counted.weight_bytes_read += sizeof w[j];
        bdc_counted.weight_bytes_written += sizeof w[j];
    }
}

const bdc_kernels *bdc_counting_kernels(void)
{
    static bdc_kernels table;
    table = *bdc_family_scalar.kernels;
    table.activate_sparse = activate_sparse;
    table.grelu = grelu;
    table.winner = winner;
    table.nudge = nudge;
    table.update_sparse = update_sparse;
    return &table;
}
