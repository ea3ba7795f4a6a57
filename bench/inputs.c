#include "inputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/binconv.h"
#include "../harness/dataset.h"
#include "../kernels/families.h"

void bench_random(float *w, size_t n, uint64_t seed)
{
    uint64_t x = seed | 1; /* xorshift64 never leaves a non-zero state */
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        w[i] = (float)(x >> 40) * (1.0f / 16777216.0f); /* 24 bits: exact */
    }
}

uint64_t bench_weight_seed(size_t rows, size_t cols)
{
    return 0x9e3779b97f4a7c15u ^ ((uint64_t)rows << 32) ^ (uint64_t)cols;
}

size_t bench_next_winner(uint64_t *x, size_t H)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return (size_t)(((*x >> 32) * (uint64_t)H) >> 32);
}

int bench_out_of_memory(char *err, size_t errlen)
{
    snprintf(err, errlen, "out of memory");
    return -1;
}

void bench_inputs_free(bench_inputs *in)
{
    free(in->start);
    free(in->idx);
    free(in->val);
    free(in->dense);
    free(in->label);
    memset(in, 0, sizeof *in);
}

/* Room for count vectors of dim with at most nnz non-zeros in all. */
static int alloc_inputs(bench_inputs *in, size_t count, size_t dim, size_t nnz)
{
    memset(in, 0, sizeof *in);
    in->count = count;
    in->dim = dim;
    in->start = calloc(count + 1, sizeof *in->start);
    in->idx = malloc((nnz ? nnz : 1) * sizeof *in->idx);
    in->val = malloc((nnz ? nnz : 1) * sizeof *in->val);
    in->dense = calloc(count * dim, sizeof *in->dense);
    in->label = calloc(count, 1);
    if (!in->start || !in->idx || !in->val || !in->dense || !in->label) {
        bench_inputs_free(in);
        return -1;
    }
    return 0;
}

/* Fills the sparse form from the dense one. */
static void sparsify(bench_inputs *in)
{
    size_t k = 0;
    for (size_t s = 0; s < in->count; s++) {
        in->start[s] = k;
        const float *v = in->dense + s * in->dim;
        for (size_t i = 0; i < in->dim; i++)
            if (v[i] != 0.0f) {
                in->idx[k] = (uint32_t)i;
                in->val[k++] = v[i];
            }
    }
    in->start[in->count] = k;
    in->mean_nnz = in->count ? (double)k / (double)in->count : 0;
}

static int from_samples(bench_inputs *in, const bdc_samples *s)
{
    if (alloc_inputs(in, s->count, s->dim, s->start[s->count]))
        return -1;
    for (size_t i = 0; i < s->count; i++) {
        for (size_t k = s->start[i]; k < s->start[i + 1]; k++)
            in->dense[i * s->dim + s->index[k]] = s->value[s->level[k]];
        in->label[i] = s->labels[i];
    }
    sparsify(in);
    return 0;
}

int bench_inputs_synthetic(bench_inputs *in, size_t count, size_t dim)
{
    if (alloc_inputs(in, count, dim, count * dim))
        return -1;
    bench_random(in->dense, count * dim, 0x5eed ^ dim);
    for (size_t i = 0; i < count * dim; i++)
        in->dense[i] = 1.0f - in->dense[i]; /* (0, 1]: no zero to skip */
    sparsify(in);
    return 0;
}

/* --- the real inputs, loaded once ---------------------------------------- */

static bench_inputs mnist, binconv;
static bdc_dataset mnist_set;     /* kept: its train set is the images */
static bdc_samples binconv_set;
static int mnist_state, binconv_state; /* 0 not tried, 1 ready, -1 failed */
static char mnist_err[512], binconv_err[512];

#define MAX_HIDDEN 8
static struct {
    size_t hidden;
    bench_inputs in;
} hidden_sets[MAX_HIDDEN];
static size_t hidden_count;

static const bench_inputs *failed(char *err, size_t errlen, const char *why)
{
    snprintf(err, errlen, "%s", why);
    return NULL;
}

/* The training set's first BENCH_SAMPLES images, as samples. */
static int load_images(bdc_dataset *d, char *err, size_t errlen)
{
    if (bdc_dataset_load(bdc_dataset_default_dir("mnist"), d, err, errlen))
        return -1;
    bdc_samples_truncate(&d->train, BENCH_SAMPLES);
    return 0;
}

const bench_inputs *bench_inputs_mnist(char *err, size_t errlen)
{
    if (mnist_state == 0) {
        mnist_state = -1;
        if (load_images(&mnist_set, mnist_err, sizeof mnist_err) == 0) {
            if (from_samples(&mnist, &mnist_set.train) == 0)
                mnist_state = 1;
            else
                snprintf(mnist_err, sizeof mnist_err, "out of memory");
            if (mnist_state != 1)
                bdc_dataset_free(&mnist_set);
        }
    }
    return mnist_state == 1 ? &mnist : failed(err, errlen, mnist_err);
}

const bdc_samples *bench_samples_mnist(char *err, size_t errlen)
{
    return bench_inputs_mnist(err, errlen) ? &mnist_set.train : NULL;
}

const bench_inputs *bench_inputs_binconv(char *err, size_t errlen)
{
    if (binconv_state == 0) {
        binconv_state = -1;
        const bdc_samples *images = bench_samples_mnist(binconv_err, sizeof binconv_err);
        if (images && bdc_binconv_features(images, &binconv_set, binconv_err,
                                           sizeof binconv_err) == 0) {
            if (from_samples(&binconv, &binconv_set) == 0)
                binconv_state = 1;
            else
                snprintf(binconv_err, sizeof binconv_err, "out of memory");
            if (binconv_state != 1)
                bdc_samples_free(&binconv_set);
        }
    }
    return binconv_state == 1 ? &binconv : failed(err, errlen, binconv_err);
}

const bdc_samples *bench_samples_binconv(char *err, size_t errlen)
{
    return bench_inputs_binconv(err, errlen) ? &binconv_set : NULL;
}

const bench_inputs *bench_inputs_hidden(size_t hidden, char *err, size_t errlen)
{
    for (size_t i = 0; i < hidden_count; i++)
        if (hidden_sets[i].hidden == hidden)
            return &hidden_sets[i].in;
    const bench_inputs *x = bench_inputs_mnist(err, errlen);
    if (!x)
        return NULL;
    if (hidden_count == MAX_HIDDEN)
        return failed(err, errlen, "too many hidden widths");
    const size_t D = x->dim;
    bench_inputs *h = &hidden_sets[hidden_count].in;
    float *A = malloc(D * hidden * sizeof *A);
    if (!A || alloc_inputs(h, x->count, hidden, x->count * hidden)) {
        free(A);
        return failed(err, errlen, "out of memory");
    }
    bench_random(A, D * hidden, bench_weight_seed(D, hidden));
    const bdc_kernels *k = bdc_family_scalar.kernels;
    for (size_t s = 0; s < x->count; s++) {
        float *v = h->dense + s * hidden;
        k->activate_sparse(x->idx + x->start[s], x->val + x->start[s],
                           x->start[s + 1] - x->start[s], A, hidden, hidden, v);
        k->grelu(v, hidden);
        h->label[s] = x->label[s];
    }
    free(A);
    sparsify(h);
    hidden_sets[hidden_count++].hidden = hidden;
    return h;
}

void bench_inputs_release_all(void)
{
    bench_inputs_free(&mnist);
    bench_inputs_free(&binconv);
    if (mnist_state == 1)
        bdc_dataset_free(&mnist_set);
    if (binconv_state == 1)
        bdc_samples_free(&binconv_set);
    mnist_state = binconv_state = 0;
    for (size_t i = 0; i < hidden_count; i++)
        bench_inputs_free(&hidden_sets[i].in);
    hidden_count = 0;
}
