#include "binconv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SIDE = 28, TAPS = 5, MAX_KEPT = 4, POSITIONS = SIDE * SIDE - 3 * SIDE,
       GRID_Y = 11, GRID_X = 13, BINS = 32 };

typedef struct tap {
    int count;
    int offset[MAX_KEPT];
    float weight[MAX_KEPT];
} tap;

/* The five taps' offsets and normalised weights (spec, in visit order). */
static void make_taps(tap taps[TAPS])
{
    static const int at[TAPS][2] = {{0, 0}, {2, 0}, {1, 1}, {0, 2}, {2, 2}};
    for (int i = 0; i < TAPS; i++) {
        const int tx = at[i][0], ty = at[i][1];
        const double threshold = tx == 1 ? 0.49 : 0.0;
        tap *t = &taps[i];
        t->count = 0;
        for (int row = 0; row < 3; row++)
            for (int col = 0; col < 3; col++) {
                const double dx = tx - col, dy = ty - row;
                const float w = (float)(1.0 - 0.5 * sqrt(dx * dx + dy * dy));
                if (w > threshold && t->count < MAX_KEPT) {
                    t->offset[t->count] = row * SIDE + col;
                    t->weight[t->count] = w;
                    t->count++;
                }
            }
        float sum = 0.0f;
        for (int k = 0; k < t->count; k++)
            sum = sum + t->weight[k];
        for (int k = 0; k < t->count; k++)
            t->weight[k] = t->weight[k] / sum;
    }
}

/* The 32-bin code histogram of every pooling cell, one image.  Adds the
 * multiply-adds and comparisons it performs to *macs and *compares. */
static void histograms(const tap taps[TAPS], const float *x,
                       uint8_t hist[GRID_Y * GRID_X][BINS], uint64_t *macs,
                       uint64_t *compares)
{
    uint8_t code[POSITIONS];
    for (int p = 0; p < POSITIONS; p++) {
        int c = 0;
        for (int i = 0; i < TAPS; i++) {
            float s = 0.0f;
            for (int k = 0; k < taps[i].count; k++)
                s = s + taps[i].weight[k] * x[p + taps[i].offset[k]];
            *macs += (uint64_t)taps[i].count;
            c |= (s > 0.5f) << i;
        }
        *compares += TAPS;
        code[p] = (uint8_t)c;
    }
    memset(hist, 0, (size_t)GRID_Y * GRID_X * BINS);
    for (int gy = 0; gy < GRID_Y; gy++)
        for (int gx = 0; gx < GRID_X; gx++) {
            const int base = gy * 2 * SIDE + gx * 2;
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++)
                    hist[gy * GRID_X + gx][code[base + r * SIDE + c]]++;
        }
}

void bdc_binconv_cost(size_t images, bdc_cost *c)
{
    /* Every tap keeps 4 of its 9 window positions (docs/methodology.md). */
    const uint64_t macs = (uint64_t)images * POSITIONS * TAPS * MAX_KEPT;
    c->samples += images;
    c->dense_macs += macs;
    c->macs += macs;
    c->elementwise_flops += (uint64_t)images * POSITIONS * TAPS;
    c->weight_bytes_read += macs * sizeof(float);
    c->memory_bytes = sizeof(tap) * TAPS + POSITIONS + GRID_Y * GRID_X * BINS;
}

int bdc_binconv_features(const bdc_samples *images, bdc_samples *features,
                         char *err, size_t errlen)
{
    return bdc_binconv_features_counted(images, features, NULL, err, errlen);
}

int bdc_binconv_features_counted(const bdc_samples *images, bdc_samples *features,
                                 bdc_cost *executed, char *err, size_t errlen)
{
    if (images->rows != SIDE || images->cols != SIDE) {
        snprintf(err, errlen,
                 "binconv needs 28x28 images; this dataset's are %zux%zu",
                 images->rows, images->cols);
        return -1;
    }
    tap taps[TAPS];
    make_taps(taps);
    const size_t n = images->count;
    bdc_sample_buf buf;
    memset(features, 0, sizeof *features);
    if (bdc_sample_buf_init(&buf, images->dim)) {
        snprintf(err, errlen, "binconv: out of memory");
        return -1;
    }
    int rc = -1;
    size_t total = 0, capacity = 0;
    uint8_t hist[GRID_Y * GRID_X][BINS];
    uint64_t macs = 0, compares = 0;
    features->start = malloc((n + 1) * sizeof *features->start);
    features->labels = malloc(n ? n : 1);
    if (!features->start || !features->labels)
        goto done;
    for (size_t i = 0; i < n; i++) {
        bdc_sample s = bdc_samples_get(images, i, &buf);
        histograms(taps, s.dense, hist, &macs, &compares);
        features->start[i] = total;
        if (capacity - total < (size_t)GRID_Y * GRID_X * (BINS - 1)) {
            capacity = capacity ? 2 * capacity : (size_t)1 << 20;
            uint16_t *index = realloc(features->index, capacity * sizeof *index);
            if (index) features->index = index;
            uint8_t *level = realloc(features->level, capacity);
            if (level) features->level = level;
            if (!index || !level)
                goto done;
        }
        for (int cell = 0; cell < GRID_Y * GRID_X; cell++)
            for (int bin = 1; bin < BINS; bin++)
                if (hist[cell][bin]) {
                    features->index[total] = (uint16_t)(cell * (BINS - 1) + bin - 1);
                    features->level[total] = hist[cell][bin];
                    total++;
                }
    }
    features->start[n] = total;
    memcpy(features->labels, images->labels, n);
    features->count = n;
    if (executed) {
        executed->samples += n;
        executed->dense_macs += macs;
        executed->macs += macs;
        executed->elementwise_flops += compares;
        executed->weight_bytes_read += macs * sizeof(float);
        executed->memory_bytes = sizeof taps + sizeof hist + POSITIONS;
    }
    features->dim = BDC_BINCONV_DIM;
    features->rows = 1;
    features->cols = BDC_BINCONV_DIM;
    for (int k = 0; k < 256; k++)
        features->value[k] = k <= 16 ? (float)(pow(k, 0.02) / pow(16, 0.02)) : 0.0f;
    rc = 0;
done:
    bdc_sample_buf_free(&buf);
    if (rc) {
        bdc_samples_free(features);
        snprintf(err, errlen, "binconv: out of memory");
    }
    return rc;
}
