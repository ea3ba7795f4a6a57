/* The scalar family: plain C, one element at a time.  It is the reference
 * the other families are tested against, and it is compiled without
 * auto-vectorisation so that it is an honest scalar baseline. */
#include <math.h>

#include "../engine_kernels.h"
#include "../kernels.h"
#include "../mlp_kernels.h"

static void activate_sparse(const uint32_t *idx, const float *val, size_t nnz,
                            const float *w, size_t ldw, size_t n, float *out)
{
    for (size_t j = 0; j < n; j++)
        out[j] = 0.0f;
    for (size_t k = 0; k < nnz; k++) {
        const float x = val[k];
        const float *row = w + (size_t)idx[k] * ldw;
        for (size_t j = 0; j < n; j++)
            out[j] = out[j] + x * row[j];
    }
}

static void grelu(float *v, size_t n)
{
    float m = -INFINITY;
    int nan = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] != v[i])
            nan = 1;
        else if (v[i] > m)
            m = v[i];
    }
    const float t = (float)(0.95 * (double)m);
    /* max(v - t) is m - t: rounding is monotonic. */
    const float m2 = m - t;
    if (nan || !(m > 0.0f) || !isfinite(m) || !(m2 > 0.0f)) {
        for (size_t i = 0; i < n; i++)
            v[i] = 0.0f;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const float q = (v[i] - t) / m2;
        v[i] = q > 0.0f ? q : 0.0f;
    }
}

static size_t winner(const float *h, const float *e, size_t n, float alpha,
                     float beta)
{
    size_t best = 0;
    float best_value = alpha * h[0] + beta * e[0];
    for (size_t j = 1; j < n; j++) {
        const float s = alpha * h[j] + beta * e[j];
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
    }
}

static const bdc_kernels table = {
    .activate_sparse = activate_sparse,
    .grelu = grelu,
    .winner = winner,
    .nudge = nudge,
    .update_sparse = bdc_update_sparse_scalar,
};

const bdc_family bdc_family_scalar = {
    .name = "scalar",
    .description = "plain C, one element at a time (the reference)",
    .kernels = &table,
    .engine = &bdc_engine_kernels_scalar,
    .needs = 0,
    .emulated = 0,
};
