/* The kernel benchmarks: every operation of the kernel table, in every
 * family of the family list, on the layers of the published models (with
 * real MNIST inputs) and on sizes that sit in each cache level; plus the
 * two composite steps of training, the max-activation search and the
 * weight nudge; and the mlp baseline's SGD step (update_sparse).  Names
 * are operation/shape/family.
 *
 * Families come from bdc_family_count()/bdc_family_at() and each case
 * calls the family's table, so a new family, or a new kernel in a family's
 * table, is benchmarked without a change here.  A new operation in the
 * table needs a driver below; the assertion that follows makes sure it is
 * not forgotten. */
#include "bench_kernels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/binconv.h"
#include "../harness/column.h"
#include "../harness/huge_alloc.h"
#include "../harness/model.h"
#include "../kernels/dispatch.h"
#include "../kernels/families.h"
#include "gbench.h"
#include "inputs.h"
#include "report.h"

_Static_assert(sizeof(bdc_kernels) == 5 * sizeof(void (*)(void)),
               "bdc_kernels changed: give the new operation a driver in "
               "bench/bench_kernels.c and update this count");

#define C BDC_CLASSES

/* The row width of the cache-sized activate_sparse cases. */
enum { LEVEL_COLS = 256 };

typedef enum { IN_MNIST, IN_BINCONV, IN_HIDDEN, IN_SYNTHETIC } input_kind;

static const char *const input_name[] = {"mnist", "binconv", "hidden", "synthetic"};

/* What one run did, for the counters: the FLOPs and the bytes by level
 * (docs/benchmarks.md has what each operation counts). */
typedef struct work {
    bdc_traffic t;
    double items;
    char note[48];
} work;

typedef struct case_data case_data;

/* What an operation works on, given a layer rows x cols. */
typedef enum {
    ON_MATRIX,   /* the weights and one input */
    ON_OUTPUTS,  /* a vector of cols (an activation) */
    ON_INPUTS,   /* a neuron's weights: rows toward the input, or C toward
                    the label on a second layer */
} operand;

typedef struct bench_op {
    const char *name;
    int composite;       /* a training step, run on the input layers only */
    operand on;
    unsigned vector_bytes; /* vectors: bytes of working set per element */
    int (*prepare)(case_data *d, char *err, size_t errlen);
    void (*run)(bdc_bench_state *s, const bdc_kernels *k, case_data *d, work *w);
} bench_op;

/* One operation on one shape; the families' cases share it. */
struct case_data {
    const bench_op *op;
    char shape[16];     /* "784x1500" or a level name */
    input_kind input;
    size_t rows, cols;  /* weights, input-major */
    size_t n;           /* vector length of grelu, winner, nudge */
    int level;          /* where the working set sits */
    char size[40];      /* the dimensions, for the label */

    /* Made on first use; released when another case needs the memory. */
    int ready;
    const bench_inputs *in;
    bench_inputs own;   /* synthetic inputs */
    float *w, *w0, *b, *b0, *e, *v, *v0, *a, *out, *column;
    double *row_bytes;  /* per input: the lines of the weight rows it reads */
    double touched_bytes; /* update_sparse: the lines of the rows it updates */
    /* update_sparse: per weight row, the batch's samples that touch it. */
    size_t *list_start; /* rows + 1 */
    uint32_t *list_smp;
    float *list_val;
    size_t batch;
};

static const bdc_roofline *roofline;
static bdc_config bidir;        /* the published constants */
static bdc_nudge_coef coef;     /* a nudge of the first epoch's end */
static case_data *prepared;
static case_data *datas;
static bench_case *cases; /* data: a case_data */
static size_t data_count, case_count;
static volatile size_t bench_sink; /* winners land here: the calls must happen */

/* --- preparing the data ------------------------------------------------- */

/* The level an array of `bytes` sits in. */
static int level_of(double bytes)
{
    return bdc_roofline_level_of(roofline, (uint64_t)bytes);
}

/* Bytes of the inputs' sparse form (index and value per non-zero), and
 * of their dense form: where they sit. */
static double sparse_bytes(const bench_inputs *in)
{
    return 8.0 * (double)in->start[in->count];
}

static double dense_bytes(const bench_inputs *in)
{
    return 4.0 * (double)in->count * (double)in->dim;
}

/* Per input, the bytes of the weight rows x . W reads (their cache lines
 * beyond L1). */
static int weight_row_lines(case_data *d)
{
    const bench_inputs *in = d->in;
    if (!(d->row_bytes = malloc((in->count ? in->count : 1) * sizeof *d->row_bytes)))
        return -1;
    for (size_t i = 0; i < in->count; i++) {
        const size_t nnz = in->start[i + 1] - in->start[i];
        d->row_bytes[i] = bench_moved(d->level,
                                      bench_rows_lines(d->w, 4 * d->cols, 4 * d->cols,
                                                       in->idx + in->start[i], nnz),
                                      4.0 * (double)d->cols * (double)nnz);
    }
    return 0;
}

static float *floats(size_t n) { return malloc((n ? n : 1) * sizeof(float)); }

static void release(case_data *d)
{
    float **all[] = {&d->w, &d->w0, &d->b, &d->b0, &d->e, &d->v, &d->v0,
                     &d->a, &d->out, &d->column};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        free(*all[i]);
        *all[i] = NULL;
    }
    free(d->row_bytes);
    d->row_bytes = NULL;
    free(d->list_start);
    free(d->list_smp);
    free(d->list_val);
    d->list_start = NULL;
    d->list_smp = NULL;
    d->list_val = NULL;
    bench_inputs_free(&d->own);
    d->in = NULL;
    d->ready = 0;
}


static int get_inputs(case_data *d, char *err, size_t errlen)
{
    switch (d->input) {
    case IN_MNIST: d->in = bench_inputs_mnist(err, errlen); break;
    case IN_BINCONV: d->in = bench_inputs_binconv(err, errlen); break;
    case IN_HIDDEN: d->in = bench_inputs_hidden(d->rows, err, errlen); break;
    case IN_SYNTHETIC:
        if (bench_inputs_synthetic(&d->own, 1, d->rows))
            return bench_out_of_memory(err, errlen);
        d->in = &d->own;
        break;
    }
    if (!d->in)
        return -1;
    if (d->in->dim != d->rows) {
        snprintf(err, errlen, "%s inputs have %zu values, the layer %zu rows",
                 input_name[d->input], d->in->dim, d->rows);
        return -1;
    }
    return 0;
}

/* The layer's weights: the same matrix for every case of this shape,
 * allocated as the learners allocate theirs (on huge pages when large). */
static int get_weights(case_data *d, char *err, size_t errlen)
{
    if (!(d->w = bdc_huge_alloc(d->rows * d->cols * sizeof *d->w)))
        return bench_out_of_memory(err, errlen);
    bench_random(d->w, d->rows * d->cols, bench_weight_seed(d->rows, d->cols));
    return 0;
}

/* GReLU(v) of random values: the shape of a label-side activation. */
static void random_activation(float *v, size_t n, uint64_t seed)
{
    bench_random(v, n, seed);
    bdc_family_scalar.kernels->grelu(v, n);
}

/* The first input's activation x0 . W, as a GReLU would receive it. */
static int first_activation(case_data *d, float *v, char *err, size_t errlen)
{
    if (d->input == IN_SYNTHETIC) {
        bench_random(v, d->n, 0xacce55 ^ d->n);
        return 0;
    }
    if (get_inputs(d, err, errlen) || get_weights(d, err, errlen))
        return -1;
    const bench_inputs *in = d->in;
    bdc_family_scalar.kernels->activate_sparse(in->idx, in->val, in->start[1], d->w,
                                               d->cols, d->cols, v);
    free(d->w);
    d->w = NULL;
    return 0;
}

static int prepare_activate(case_data *d, char *err, size_t errlen)
{
    if (get_inputs(d, err, errlen) || get_weights(d, err, errlen))
        return -1;
    if (weight_row_lines(d))
        return bench_out_of_memory(err, errlen);
    return (d->out = floats(d->cols)) ? 0 : bench_out_of_memory(err, errlen);
}

static int prepare_grelu(case_data *d, char *err, size_t errlen)
{
    if (!(d->v = floats(d->n)) || !(d->v0 = floats(d->n)))
        return bench_out_of_memory(err, errlen);
    return first_activation(d, d->v0, err, errlen);
}

static int prepare_winner(case_data *d, char *err, size_t errlen)
{
    if (!(d->v = floats(d->n)) || !(d->a = floats(d->n)))
        return bench_out_of_memory(err, errlen);
    if (first_activation(d, d->v, err, errlen))
        return -1;
    bdc_family_scalar.kernels->grelu(d->v, d->n);
    random_activation(d->a, d->n, 0xe ^ d->n);
    return 0;
}

/* The weight vector of one neuron and what it moves toward: the first
 * image for an input layer, random values for the cache-sized cases; on
 * the label side, the whole matrix B (rows x C) and the one-hot labels. */
static int prepare_nudge(case_data *d, char *err, size_t errlen)
{
    if (d->input == IN_HIDDEN) { /* the rows x C matrix B, one-hot labels */
        if (get_inputs(d, err, errlen))
            return -1;
        const size_t bn = d->rows * C;
        if (!(d->v = floats(bn)) || !(d->v0 = floats(bn)) || !(d->a = floats(C * C)))
            return bench_out_of_memory(err, errlen);
        bench_random(d->v0, bn, bench_weight_seed(d->rows, C));
        memset(d->a, 0, C * C * sizeof *d->a);
        for (size_t c = 0; c < C; c++)
            d->a[c * C + c] = 1.0f;
        return 0;
    }
    if (!(d->v = floats(d->n)) || !(d->v0 = floats(d->n)) || !(d->a = floats(d->n)))
        return bench_out_of_memory(err, errlen);
    bench_random(d->v0, d->n, 0x0d6e ^ d->n);
    if (d->input == IN_SYNTHETIC) {
        bench_random(d->a, d->n, 0xa ^ d->n);
        return 0;
    }
    if (get_inputs(d, err, errlen))
        return -1;
    memcpy(d->a, d->in->dense, d->n * sizeof *d->a);
    return 0;
}

/* Weights, a hidden activation and, per class, the label-side activation
 * e = GReLU(B . y). */
static int prepare_search(case_data *d, char *err, size_t errlen)
{
    if (get_inputs(d, err, errlen) || get_weights(d, err, errlen))
        return -1;
    if (weight_row_lines(d) || !(d->out = floats(d->cols)) || !(d->e = floats(C * d->cols)))
        return bench_out_of_memory(err, errlen);
    for (size_t c = 0; c < C; c++)
        random_activation(d->e + c * d->cols, d->cols, 0xe0 + c);
    return 0;
}

/* The input layer A (rows x cols) and the label side B (cols x C), each
 * with a pristine copy, a column buffer and the one-hot labels. */
static int prepare_weight_nudge(case_data *d, char *err, size_t errlen)
{
    if (get_inputs(d, err, errlen) || get_weights(d, err, errlen))
        return -1;
    const size_t wn = d->rows * d->cols, bn = d->cols * C;
    if (!(d->w0 = floats(wn)) || !(d->b = floats(bn)) || !(d->b0 = floats(bn)) ||
        !(d->column = floats(d->rows)) || !(d->a = floats(C * C)))
        return bench_out_of_memory(err, errlen);
    memcpy(d->w0, d->w, wn * sizeof *d->w);
    bench_random(d->b0, bn, bench_weight_seed(d->cols, C));
    memset(d->a, 0, C * C * sizeof *d->a);
    for (size_t c = 0; c < C; c++)
        d->a[c * C + c] = 1.0f;
    return 0;
}

/* The mlp's step on a layer (docs/mlp.md): the weights, a minibatch's
 * gradients at the layer's outputs (MLP_BATCH rows of cols, small random
 * values) and, per weight row, the batch's samples whose input to it is
 * non-zero: the first MLP_BATCH inputs (16 dense synthetic ones for the
 * cache-sized cases). */
enum { MLP_BATCH = 16 };

static int prepare_update(case_data *d, char *err, size_t errlen)
{
    if (d->input == IN_SYNTHETIC) {
        if (bench_inputs_synthetic(&d->own, MLP_BATCH, d->rows))
            return bench_out_of_memory(err, errlen);
        d->in = &d->own;
    } else if (get_inputs(d, err, errlen)) {
        return -1;
    }
    if (get_weights(d, err, errlen))
        return -1;
    const bench_inputs *in = d->in;
    const size_t B = in->count < MLP_BATCH ? in->count : MLP_BATCH;
    const size_t pairs = in->start[B];
    d->batch = B;
    if (!(d->w0 = floats(d->rows * d->cols)) || !(d->b = floats(B * d->cols)) ||
        !(d->list_start = calloc(d->rows + 1, sizeof *d->list_start)) ||
        !(d->list_smp = malloc((pairs ? pairs : 1) * sizeof *d->list_smp)) ||
        !(d->list_val = floats(pairs)))
        return bench_out_of_memory(err, errlen);
    memcpy(d->w0, d->w, d->rows * d->cols * sizeof *d->w);
    bench_random(d->b, B * d->cols, 0x96ad ^ d->cols);
    for (size_t i = 0; i < B * d->cols; i++)
        d->b[i] = 1e-3f * (d->b[i] - 0.5f);
    /* A counting sort of the (row, sample) pairs by row, samples in order. */
    for (size_t q = 0; q < pairs; q++)
        d->list_start[in->idx[q] + 1]++;
    for (size_t r = 0; r < d->rows; r++)
        d->list_start[r + 1] += d->list_start[r];
    size_t *fill = malloc((d->rows ? d->rows : 1) * sizeof *fill);
    if (!fill)
        return bench_out_of_memory(err, errlen);
    memcpy(fill, d->list_start, d->rows * sizeof *fill);
    for (size_t s = 0; s < B; s++)
        for (size_t q = in->start[s]; q < in->start[s + 1]; q++) {
            const size_t at = fill[in->idx[q]]++;
            d->list_smp[at] = (uint32_t)s;
            d->list_val[at] = in->val[q];
        }
    free(fill);
    /* The rows the batch touches, as a list, for their cache lines. */
    uint32_t *rows = malloc((d->rows ? d->rows : 1) * sizeof *rows);
    if (!rows)
        return bench_out_of_memory(err, errlen);
    size_t touched = 0;
    for (size_t r = 0; r < d->rows; r++)
        if (d->list_start[r + 1] > d->list_start[r])
            rows[touched++] = (uint32_t)r;
    d->touched_bytes =
        bench_moved(d->level, bench_rows_lines(d->w, 4 * d->cols, 4 * d->cols, rows, touched),
                    4.0 * (double)d->cols * (double)touched);
    free(rows);
    return 0;
}

/* --- the timed loops ------------------------------------------------------ */

static void run_activate(bdc_bench_state *s, const bdc_kernels *k, case_data *d, work *w)
{
    const bench_inputs *in = d->in;
    uint64_t nnz = 0;
    size_t i = 0;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++) {
            const size_t first = in->start[i], count = in->start[i + 1] - first;
            k->activate_sparse(in->idx + first, in->val + first, count, d->w,
                               d->cols, d->cols, d->out);
            nnz += count;
            if (++i == in->count)
                i = 0;
        }
    const double iters = (double)bdc_bench_iterations(s);
    const double macs = (double)nnz * (double)d->cols;
    w->t.flops = 2 * macs;
    /* the weight rows, the input, the output */
    w->t.read[d->level] += bench_cycled(d->row_bytes, in->count, bdc_bench_iterations(s));
    w->t.read[level_of(sparse_bytes(in))] += 8 * (double)nnz;
    w->t.written[level_of(4.0 * d->cols)] += 4 * (double)d->cols * iters;
    w->items = macs;
    if (d->input != IN_SYNTHETIC && iters > 0)
        snprintf(w->note, sizeof w->note, ", nnz %.1f", (double)nnz / iters);
}

static void run_grelu(bdc_bench_state *s, const bdc_kernels *k, case_data *d, work *w)
{
    memcpy(d->v, d->v0, d->n * sizeof *d->v);
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++)
            k->grelu(d->v, d->n);
    const double elements = (double)bdc_bench_iterations(s) * (double)d->n;
    w->t.flops = 4 * elements;              /* max, subtract, divide, clamp */
    w->t.read[d->level] = 8 * elements;     /* two passes read */
    w->t.written[d->level] = 4 * elements;  /* the second writes */
    w->items = elements;
}

static void run_winner(bdc_bench_state *s, const bdc_kernels *k, case_data *d, work *w)
{
    const float alpha = (float)bidir.alpha, beta = (float)bidir.beta;
    size_t sum = 0;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++)
            sum += k->winner(d->v, d->a, d->n, alpha, beta);
    bench_sink = sum;
    const double elements = (double)bdc_bench_iterations(s) * (double)d->n;
    w->t.flops = 4 * elements; /* two products, a sum, a comparison */
    w->t.read[d->level] = 8 * elements;
    w->items = elements;
}

/* The label side's nudge, as bidir makes it: row k of B (rows x C) toward
 * the one-hot label, the winners k pseudo-random.  (Nudging one row over
 * and over would time a stall training never has: each call's loads wait
 * for the previous call's two overlapping stores.) */
static void run_label_nudge(bdc_bench_state *s, const bdc_kernels *k, case_data *d,
                            work *w)
{
    const bench_inputs *in = d->in;
    const size_t H = d->rows;
    memcpy(d->v, d->v0, H * C * sizeof *d->v);
    uint64_t x = BENCH_WINNER_SEED;
    size_t i = 0, since = 0;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++) {
            k->nudge(d->v + bench_next_winner(&x, H) * C,
                     d->a + (size_t)in->label[i] * C, C, &coef);
            if (++i == in->count)
                i = 0;
            if (++since == (size_t)BENCH_RESTORE * H) {
                memcpy(d->v, d->v0, H * C * sizeof *d->v);
                since = 0;
            }
        }
    const uint64_t steps = bdc_bench_iterations(s);
    const double elements = (double)steps * C;
    w->t.flops = 6 * elements;
    /* The winners' rows, read and written in their lines (replayed here);
     * the one-hot rows (C x C floats) stay in L1. */
    double lines = 0;
    x = BENCH_WINNER_SEED;
    for (uint64_t it = 0; it < steps; it++)
        lines += bench_moved(d->level, bench_lines(d->v + bench_next_winner(&x, H) * C, 4 * C),
                             4.0 * C);
    w->t.read[d->level] += lines;
    w->t.written[d->level] += lines;
    w->t.read[BDC_LEVEL_L1] += 4 * elements;
    w->items = elements;
}

static void run_nudge(bdc_bench_state *s, const bdc_kernels *k, case_data *d, work *w)
{
    if (d->input == IN_HIDDEN) {
        run_label_nudge(s, k, d, w);
        return;
    }
    memcpy(d->v, d->v0, d->n * sizeof *d->v);
    unsigned since = 0;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++) {
            k->nudge(d->v, d->a, d->n, &coef);
            if (++since == BENCH_RESTORE) {
                memcpy(d->v, d->v0, d->n * sizeof *d->v);
                since = 0;
            }
        }
    const double elements = (double)bdc_bench_iterations(s) * (double)d->n;
    w->t.flops = 6 * elements;             /* spec "The nudge": 3 products, 3 sums */
    w->t.read[d->level] = 8 * elements;    /* w and a */
    w->t.written[d->level] = 4 * elements; /* w */
    w->items = elements;
}

/* The max-activation search of one input: h = GReLU(x . A), then the
 * winner of alpha*h + beta*e for its label. */
static void run_search(bdc_bench_state *s, const bdc_kernels *k, case_data *d, work *w)
{
    const bench_inputs *in = d->in;
    const float alpha = (float)bidir.alpha, beta = (float)bidir.beta;
    const size_t H = d->cols;
    uint64_t nnz = 0;
    size_t i = 0, sum = 0;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++) {
            const size_t first = in->start[i], count = in->start[i + 1] - first;
            k->activate_sparse(in->idx + first, in->val + first, count, d->w, H, H,
                               d->out);
            k->grelu(d->out, H);
            sum += k->winner(d->out, d->e + (size_t)in->label[i] * H, H, alpha, beta);
            nnz += count;
            if (++i == in->count)
                i = 0;
        }
    bench_sink = sum;
    const double iters = (double)bdc_bench_iterations(s);
    const double macs = (double)nnz * (double)H;
    w->t.flops = 2 * macs + 8 * (double)H * iters;
    /* x . A as activate_sparse counts it; GReLU's two passes over h and
     * its writes; the winner reads h and the label's e */
    const int h_level = level_of(4.0 * H);
    w->t.read[d->level] += bench_cycled(d->row_bytes, in->count, bdc_bench_iterations(s));
    w->t.read[level_of(sparse_bytes(in))] += 8 * (double)nnz;
    w->t.written[h_level] += (4 + 4) * (double)H * iters;
    w->t.read[h_level] += (8 + 4) * (double)H * iters;
    w->t.read[level_of(4.0 * C * H)] += 4 * (double)H * iters;
    w->items = iters;
    if (iters > 0)
        snprintf(w->note, sizeof w->note, ", nnz %.1f", (double)nnz / iters);
}


/* The weight nudge of one step, as the bidir learner does it: column k of
 * A (strided) gathered, nudged toward the image and scattered back, then
 * row k of B nudged toward the one-hot label.  Winners are pseudo-random. */
static void run_weight_nudge(bdc_bench_state *s, const bdc_kernels *k, case_data *d,
                             work *w)
{
    const bench_inputs *in = d->in;
    const size_t D = d->rows, H = d->cols;
    memcpy(d->w, d->w0, D * H * sizeof *d->w);
    memcpy(d->b, d->b0, H * C * sizeof *d->b);
    uint64_t x = BENCH_WINNER_SEED;
    size_t i = 0, since = 0;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++) {
            const size_t win = bench_next_winner(&x, H);
            float *col = d->column;
            bdc_column_gather(d->w, D, H, win, col);
            k->nudge(col, in->dense + i * D, D, &coef);
            bdc_column_scatter(d->w, D, H, win, col);
            k->nudge(d->b + win * C, d->a + (size_t)in->label[i] * C, C, &coef);
            if (++i == in->count)
                i = 0;
            if (++since == (size_t)BENCH_RESTORE * H) {
                memcpy(d->w, d->w0, D * H * sizeof *d->w);
                memcpy(d->b, d->b0, H * C * sizeof *d->b);
                since = 0;
            }
        }
    const uint64_t steps = bdc_bench_iterations(s);
    const double iters = (double)steps;
    w->t.flops = 6 * (double)(D + C) * iters;
    /* The column touches one cache line per row (rows are 4 H >= 64 bytes
     * apart), read and written back; the image is read; the row of B is
     * read and written, in the lines of the winners (replayed here). */
    const double column = bench_moved(d->level, (double)bench_line_bytes() * (double)D,
                                      4.0 * (double)D);
    w->t.read[d->level] += column * iters;
    w->t.written[d->level] += column * iters;
    w->t.read[level_of(dense_bytes(in))] += 4 * (double)D * iters;
    const int b_level = level_of(4.0 * H * C);
    double b_lines = 0;
    x = BENCH_WINNER_SEED;
    for (uint64_t it = 0; it < steps; it++) {
        const float *row = d->b + bench_next_winner(&x, H) * C;
        b_lines += bench_moved(b_level, bench_lines(row, 4 * C), 4.0 * C);
    }
    w->t.read[b_level] += b_lines;
    w->t.written[b_level] += b_lines;
    w->items = iters;
}

/* One step of every weight row the batch touched, as the mlp does it. */
static void run_update(bdc_bench_state *s, const bdc_kernels *k, case_data *d, work *w)
{
    const size_t H = d->cols;
    const float eta = 0.1f / MLP_BATCH;
    memcpy(d->w, d->w0, d->rows * H * sizeof *d->w);
    size_t touched = 0;
    for (size_t r = 0; r < d->rows; r++)
        touched += d->list_start[r + 1] > d->list_start[r];
    const double pairs = (double)d->list_start[d->rows];
    unsigned since = 0;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++) {
            for (size_t r = 0; r < d->rows; r++) {
                const size_t a = d->list_start[r], nnz = d->list_start[r + 1] - a;
                if (nnz)
                    k->update_sparse(d->list_smp + a, d->list_val + a, nnz, d->b, H, H,
                                     eta, d->w + r * H);
            }
            if (++since == BENCH_RESTORE) {
                memcpy(d->w, d->w0, d->rows * H * sizeof *d->w);
                since = 0;
            }
        }
    const double iters = (double)bdc_bench_iterations(s);
    const double macs = pairs * (double)H * iters;
    w->t.flops = 2 * macs + 2 * (double)touched * (double)H * iters;
    /* Each touched weight row read and written (its cache lines), the
     * lists and the batch's gradients (B x H) read once: the gradients stay
     * in cache while the rows pass, so their reads per MAC are not memory
     * traffic. */
    w->t.read[d->level] += d->touched_bytes * iters;
    w->t.written[d->level] += d->touched_bytes * iters;
    w->t.read[level_of(8 * pairs)] += 8 * pairs * iters;
    const double grads = 4 * (double)d->batch * (double)H;
    w->t.read[level_of(grads)] += grads * iters;
    w->items = macs;
    snprintf(w->note, sizeof w->note, ", batch %zu, %zu rows", d->batch, touched);
}

static const bench_op ops[] = {
    {"activate_sparse", 0, ON_MATRIX, 0, prepare_activate, run_activate},
    {"grelu", 0, ON_OUTPUTS, 4, prepare_grelu, run_grelu},                /* v */
    {"winner", 0, ON_OUTPUTS, 8, prepare_winner, run_winner},             /* h, e */
    {"nudge", 0, ON_INPUTS, 8, prepare_nudge, run_nudge},                 /* w, a */
    {"max_activation_search", 1, ON_MATRIX, 0, prepare_search, run_search},
    {"weight_nudge", 1, ON_MATRIX, 0, prepare_weight_nudge, run_weight_nudge},
    {"update_sparse", 0, ON_MATRIX, 0, prepare_update, run_update},
};
enum { OP_COUNT = sizeof ops / sizeof ops[0] };

/* --- one benchmark ------------------------------------------------------ */

static void run_case(bdc_bench_state *s, void *arg)
{
    const bench_case *c = arg;
    case_data *d = c->data;
    const bdc_family_status status = bench_family_check(s, c->family);
    if (status == BDC_UNAVAILABLE)
        return;
    char msg[512];
    if (!d->ready) {
        if (prepared && prepared != d)
            release(prepared);
        prepared = d;
        char err[400];
        if (d->op->prepare(d, err, sizeof err)) {
            release(d);
            snprintf(msg, sizeof msg, "%s inputs: %s", input_name[d->input], err);
            bdc_bench_skip(s, msg);
            return;
        }
        d->ready = 1;
    }
    work w = {0};
    d->op->run(s, c->family->kernels, d, &w);
    snprintf(msg, sizeof msg, "%s %s%s", input_name[d->input], d->size, w.note);
    bench_report(s, roofline, &w.t, w.items, d->level, status, msg);
}

/* --- registration ------------------------------------------------------- */

/* The layers of the published models: bidir (H = 1500 and a small H =
 * 100), entangled (H = 784) and binconv (H = 1000 on 4433 features).
 * Second layers take the first layer's GReLU output. */
static const struct layer {
    const char *name;
    size_t rows, cols;
    input_kind input;
} layers[] = {
    {"784x1500", 784, 1500, IN_MNIST},
    {"1500x10", 1500, C, IN_HIDDEN},
    {"784x784", 784, 784, IN_MNIST},
    {"4433x1000", BDC_BINCONV_DIM, 1000, IN_BINCONV},
    {"784x100", 784, 100, IN_MNIST},
    {"100x10", 100, C, IN_HIDDEN},
};
enum { LAYER_COUNT = sizeof layers / sizeof layers[0] };

/* The case of op on a published layer. */
static void layer_case(case_data *d, const bench_op *op, const struct layer *l)
{
    snprintf(d->shape, sizeof d->shape, "%s", l->name);
    d->input = l->input;
    d->rows = l->rows;
    d->cols = l->cols;
    uint64_t bytes = 4 * (uint64_t)l->rows * l->cols; /* the weights */
    if (op->on != ON_MATRIX) {
        if (op->on == ON_OUTPUTS)
            d->n = l->cols;
        else /* label side: a row of B */
            d->n = l->input == IN_HIDDEN ? C : l->rows;
        bytes = op->vector_bytes * (uint64_t)d->n;
        snprintf(d->size, sizeof d->size, "n %zu", d->n);
        if (op->on == ON_INPUTS && l->input == IN_HIDDEN) { /* the winners' rows of B */
            bytes = 4 * (uint64_t)l->rows * C;
            snprintf(d->size, sizeof d->size, "n %zu toward the label, rows of %zu", d->n,
                     l->rows);
        }
    } else {
        snprintf(d->size, sizeof d->size, "%zux%zu", d->rows, d->cols);
    }
    d->level = bdc_roofline_level_of(roofline, bytes);
}

/* The case of op whose working set is the buffer of cache level `level`. */
static void level_case(case_data *d, const bench_op *op, int level)
{
    const uint64_t bytes = roofline->probe_bytes[level];
    snprintf(d->shape, sizeof d->shape, "%s", bdc_roofline_level_name(level));
    d->input = IN_SYNTHETIC;
    if (op->on == ON_MATRIX) {
        d->cols = LEVEL_COLS;
        d->rows = (size_t)(bytes / (4 * LEVEL_COLS));
        snprintf(d->size, sizeof d->size, "%zux%zu dense", d->rows, d->cols);
    } else {
        d->n = (size_t)(bytes / op->vector_bytes);
        snprintf(d->size, sizeof d->size, "n %zu", d->n);
    }
    d->level = bdc_roofline_level_of(roofline, bytes);
}

void bench_kernels_register(const bdc_roofline *r, unsigned cache_line_bytes)
{
    roofline = r;
    bench_set_line_bytes(cache_line_bytes);
    bdc_config_defaults("bidir", &bidir);
    coef = bdc_nudge_coef_make(bdc_learning_rate(&bidir, 60000), bidir.q_input,
                               bidir.decay);

    const size_t families = bdc_family_count();
    datas = calloc(OP_COUNT * (LAYER_COUNT + BDC_LEVELS), sizeof *datas);
    cases = calloc(OP_COUNT * (LAYER_COUNT + BDC_LEVELS) * families, sizeof *cases);
    if (!datas || !cases) {
        fprintf(stderr, "bdc-bench: out of memory\n");
        exit(1);
    }
    for (size_t o = 0; o < OP_COUNT; o++) {
        const bench_op *op = &ops[o];
        for (size_t s = 0; s < LAYER_COUNT + BDC_LEVELS; s++) {
            const int is_layer = s < LAYER_COUNT;
            if (op->composite &&
                (!is_layer || layers[s].input == IN_HIDDEN))
                continue;
            case_data *d = &datas[data_count++];
            d->op = op;
            if (is_layer)
                layer_case(d, op, &layers[s]);
            else
                level_case(d, op, (int)(s - LAYER_COUNT));
            bench_register_families(op->name, d->shape, d, run_case, cases, &case_count);
        }
    }
}

void bench_kernels_drop_prepared(void)
{
    if (prepared)
        release(prepared);
    prepared = NULL;
}

void bench_kernels_release(void)
{
    for (size_t i = 0; i < data_count; i++)
        release(&datas[i]);
    free(datas);
    free(cases);
    datas = NULL;
    cases = NULL;
    data_count = case_count = 0;
    prepared = NULL;
    bench_inputs_release_all();
}
