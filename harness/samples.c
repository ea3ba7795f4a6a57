#include "samples.h"

#include <stdlib.h>
#include <string.h>

int bdc_sample_buf_init(bdc_sample_buf *b, size_t dim)
{
    b->idx = malloc(dim * sizeof *b->idx);
    b->val = malloc(dim * sizeof *b->val);
    b->dense = calloc(dim, sizeof *b->dense);
    b->nnz = 0;
    b->dim = dim;
    if (!b->idx || !b->val || !b->dense) {
        bdc_sample_buf_free(b);
        return -1;
    }
    return 0;
}

void bdc_sample_buf_free(bdc_sample_buf *b)
{
    free(b->idx);
    free(b->val);
    free(b->dense);
    memset(b, 0, sizeof *b);
}

bdc_sample bdc_samples_get(const bdc_samples *s, size_t i, bdc_sample_buf *b)
{
    for (size_t k = 0; k < b->nnz; k++)
        b->dense[b->idx[k]] = 0.0f;
    const size_t first = s->start[i], nnz = s->start[i + 1] - first;
    for (size_t k = 0; k < nnz; k++) {
        const uint32_t at = s->index[first + k];
        const float v = s->value[s->level[first + k]];
        b->idx[k] = at;
        b->val[k] = v;
        b->dense[at] = v;
    }
    b->nnz = nnz;
    bdc_sample view = {b->idx, b->val, nnz, b->dense, s->labels[i]};
    return view;
}

int bdc_samples_from_levels(bdc_samples *s, const uint8_t *levels,
                            const uint8_t *labels, size_t count, size_t dim)
{
    memset(s, 0, sizeof *s);
    size_t nnz = 0;
    for (size_t i = 0; i < count * dim; i++)
        nnz += levels[i] != 0;
    s->count = count;
    s->dim = dim;
    s->labels = malloc(count ? count : 1);
    s->start = malloc((count + 1) * sizeof *s->start);
    s->index = malloc((nnz ? nnz : 1) * sizeof *s->index);
    s->level = malloc(nnz ? nnz : 1);
    if (!s->labels || !s->start || !s->index || !s->level) {
        bdc_samples_free(s);
        return -1;
    }
    memcpy(s->labels, labels, count);
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
        s->start[i] = at;
        const uint8_t *row = levels + i * dim;
        for (size_t j = 0; j < dim; j++)
            if (row[j]) {
                s->index[at] = (uint16_t)j;
                s->level[at] = row[j];
                at++;
            }
    }
    s->start[count] = at;
    return 0;
}

void bdc_samples_truncate(bdc_samples *s, size_t n)
{
    if (n < s->count)
        s->count = n;
}

double bdc_samples_mean_nnz(const bdc_samples *s)
{
    return s->count ? (double)s->start[s->count] / (double)s->count : 0.0;
}

void bdc_samples_free(bdc_samples *s)
{
    free(s->labels);
    free(s->start);
    free(s->index);
    free(s->level);
    memset(s, 0, sizeof *s);
}
