/* The blocked engine's benchmarks: every kernel of the engine table
 * (kernels/engine_kernels.h) in every family of the family list, and the
 * two composites that mirror what the default (blocked) engine does in
 * training, the blocked max-activation search and the row nudge.  Names
 * are operation/shape/family, as in bench_kernels.c.
 *
 * The kernels are driven the way harness/engine*.c drives them: the
 * blocks and chunks are the engine's own plan (bdc_engine_plan_block on an
 * engine made for the shape), the panels its layout (groups of
 * BDC_ENGINE_GROUP neurons, input-major), the blocked forward its own
 * bdc_engine_forward_group (docs/engine.md).  A new family is benchmarked
 * with no change here; a new kernel in the table needs a driver (the
 * assertion below). */
#include "bench_engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/binconv.h"
#include "../harness/engine_internal.h"
#include "../harness/model.h"
#include "../kernels/dispatch.h"
#include "../kernels/families.h"
#include "bench_kernels.h"
#include "gbench.h"
#include "inputs.h"
#include "report.h"

_Static_assert(sizeof(bdc_engine_kernels) == 5 * sizeof(void (*)(void)),
               "bdc_engine_kernels changed: give the new operation a driver in "
               "bench/bench_engine.c and update this count");

#define C BDC_CLASSES

/* dot_rows recomputes this many neurons per call (the engine recomputes a
 * few nudged neurons per step, up to 16 per pass of its gathers). */
enum { DOT_ROWS = 16 };

/* A block of planned samples, as the engine keeps one (engine_block), with
 * what the byte counts need. */
typedef struct planned {
    engine_block b;
    size_t entries;       /* non-zero inputs of all its samples */
    double *panel_lines;  /* per group: the lines of the panel rows it uses */
} planned;

typedef struct ecase_data ecase_data;

typedef struct engine_op {
    const char *name;
    int on_levels;        /* also on the cache-level sizes (vector kernels) */
    int (*prepare)(ecase_data *d, char *err, size_t errlen);
    void (*run)(bdc_bench_state *s, const bdc_family *f, ecase_data *d, bdc_traffic *t,
                double *items, char *note, size_t notelen);
} engine_op;

struct ecase_data {
    const engine_op *op;
    char shape[16];
    const char *model;    /* the learner the layer belongs to */
    size_t D, H;          /* 0: a cache-level case */
    int level_index;      /* cache-level cases: the level */
    int ready;

    /* Layers: the engine made for the shape, its blocks, its inputs. */
    bdc_engine *e;
    const bdc_samples *set;
    planned *blocks;
    size_t nblocks, samples; /* samples: of all blocks */
    float *neurons0, *label0; /* pristine weights for the nudges */
    float *label_e[C];    /* per class: the label side's GReLU, as a list */
    uint32_t *label_cand[C];
    size_t label_count[C];
    float *label_dense[C]; /* and dense (H, zero outside the list) */
    float *h;             /* a sample's GReLU values */
    uint32_t *cand;
    size_t *offsets;      /* dot_rows: per sample, DOT_ROWS row offsets */
    double *per_sample;   /* per sample (dot_rows) bytes of lines read */

    /* Vector kernels: v, and for grelu_at the indices above threshold. */
    float *v, *out;
    uint32_t *idx;
    size_t n, count;
    float t, m2;
    double gather_bytes;  /* grelu_at: the lines of v its indices touch */
};

static const bdc_roofline *roofline;
static ecase_data *datas, *prepared;
static bench_case *cases; /* data: an ecase_data */
static size_t data_count, case_count;
static volatile size_t bench_sink;

static int level_of(double bytes)
{
    return bdc_roofline_level_of(roofline, (uint64_t)bytes);
}


/* Walks the planned samples in order, block after block, cyclically. */
typedef struct walk {
    size_t block, t;
} walk;

static void walk_next(const ecase_data *d, walk *w)
{
    if (++w->t == d->blocks[w->block].b.nsamples) {
        w->t = 0;
        if (++w->block == d->nblocks)
            w->block = 0;
    }
}

/* --- preparing ------------------------------------------------------------ */

static void free_planned(planned *p)
{
    free(p->b.idx); free(p->b.val); free(p->b.start); free(p->b.label);
    free(p->b.norm); free(p->b.bounds); free(p->b.pos); free(p->b.act);
    free(p->panel_lines);
}

static void release(ecase_data *d)
{
    for (size_t i = 0; i < d->nblocks; i++)
        free_planned(&d->blocks[i]);
    free(d->blocks);
    d->blocks = NULL;
    d->nblocks = 0;
    bdc_engine_destroy(d->e);
    d->e = NULL;
    float **all[] = {&d->neurons0, &d->label0, &d->h, &d->v, &d->out};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        free(*all[i]);
        *all[i] = NULL;
    }
    for (size_t c = 0; c < C; c++) {
        free(d->label_e[c]);
        free(d->label_cand[c]);
        free(d->label_dense[c]);
        d->label_e[c] = NULL;
        d->label_cand[c] = NULL;
        d->label_dense[c] = NULL;
    }
    free(d->cand); free(d->offsets); free(d->per_sample); free(d->idx);
    d->cand = NULL;
    d->offsets = NULL;
    d->per_sample = NULL;
    d->idx = NULL;
    d->ready = 0;
}

/* A copy of the engine's current plan of e->block[0], kept for the run. */
static int keep_plan(const bdc_engine *e, planned *p)
{
    const engine_block *src = &e->block[0];
    const size_t n = src->nsamples, stride = e->max_chunks + 1;
    const size_t entries = src->start[n];
    engine_block *b = &p->b;
    b->nsamples = n;
    b->first = src->first;
    b->chunks = src->chunks;
    b->idx = malloc((entries ? entries : 1) * sizeof *b->idx);
    b->val = malloc((entries ? entries : 1) * sizeof *b->val);
    b->start = malloc((n + 1) * sizeof *b->start);
    b->label = malloc(n * sizeof *b->label);
    b->norm = malloc(n * sizeof *b->norm);
    b->bounds = malloc(stride * sizeof *b->bounds);
    b->pos = malloc(n * stride * sizeof *b->pos);
    b->act = aligned_alloc(64, (n * e->Hp * sizeof *b->act + 63) / 64 * 64);
    p->panel_lines = calloc(e->groups, sizeof *p->panel_lines);
    if (!b->idx || !b->val || !b->start || !b->label || !b->norm || !b->bounds || !b->pos ||
        !b->act || !p->panel_lines)
        return -1;
    memcpy(b->idx, src->idx, entries * sizeof *b->idx);
    memcpy(b->val, src->val, entries * sizeof *b->val);
    memcpy(b->start, src->start, (n + 1) * sizeof *b->start);
    memcpy(b->label, src->label, n * sizeof *b->label);
    memcpy(b->norm, src->norm, n * sizeof *b->norm);
    memcpy(b->bounds, src->bounds, stride * sizeof *b->bounds);
    memcpy(b->pos, src->pos, n * stride * sizeof *b->pos);
    memset(b->act, 0, n * e->Hp * sizeof *b->act);
    p->entries = entries;

    /* The inputs some sample uses: each one's panel row is read once per
     * group and block (its chunk stays in L1 while the block passes). */
    uint8_t *used = calloc(e->D, 1);
    uint32_t *rows = malloc(e->D * sizeof *rows);
    if (!used || !rows) {
        free(used);
        free(rows);
        return -1;
    }
    for (size_t k = 0; k < entries; k++)
        used[b->idx[k]] = 1;
    size_t nused = 0;
    for (size_t i = 0; i < e->D; i++)
        if (used[i])
            rows[nused++] = (uint32_t)i;
    const int level = level_of(4.0 * e->Hp * e->D);
    for (size_t g = 0; g < e->groups; g++) {
        const size_t first = g * BDC_ENGINE_GROUP;
        const size_t width = e->Hp - first < BDC_ENGINE_GROUP ? e->Hp - first : BDC_ENGINE_GROUP;
        p->panel_lines[g] = bench_moved(
            level, bench_rows_lines(e->panels + first * e->D, 4 * width, 4 * width, rows, nused),
            4.0 * (double)width * (double)nused);
    }
    free(used);
    free(rows);
    return 0;
}

/* The label side's GReLU of one row, kept as the engine keeps it: the
 * neurons above its threshold and their values, and the same dense
 * (engine_step.c). */
static int label_list(ecase_data *d, size_t c)
{
    const bdc_engine_kernels *ek = bdc_family_scalar.engine;
    const float *row = d->e->label_w + c * d->H;
    if (!(d->label_cand[c] = malloc(d->H * sizeof *d->label_cand[c])) ||
        !(d->label_e[c] = malloc(d->H * sizeof *d->label_e[c])) ||
        !(d->label_dense[c] = calloc(d->H, sizeof *d->label_dense[c])))
        return -1;
    int nan;
    const float m = ek->max_scan(row, d->H, &nan);
    const float t = (float)(0.95 * (double)m);
    d->label_count[c] = ek->above(row, d->H, t, d->label_cand[c]);
    ek->grelu_at(row, d->label_cand[c], d->label_count[c], t, m - t, d->label_e[c]);
    for (size_t i = 0; i < d->label_count[c]; i++)
        d->label_dense[c][d->label_cand[c][i]] = d->label_e[c][i];
    return 0;
}

/* An engine for the layer, its weights those of bench_kernels.c's layer of
 * the same shape (pseudo-random, so that sums, GReLU and winners have
 * values to sort), its label side random too, and the BENCH_SAMPLES inputs
 * planned into blocks by the engine itself. */
static int prepare_layer(ecase_data *d, char *err, size_t errlen)
{
    d->set = strcmp(d->model, "binconv") == 0 ? bench_samples_binconv(err, errlen)
                                              : bench_samples_mnist(err, errlen);
    if (!d->set)
        return -1;
    bdc_config cfg;
    bdc_config_defaults(d->model, &cfg);
    cfg.hidden = d->H;
    const bdc_engine_opts opts = {.threads = 1};
    if (!(d->e = bdc_engine_create(&cfg, d->D, &bdc_family_scalar, &opts, err, errlen)))
        return -1;
    bdc_engine *e = d->e;
    const size_t D = d->D, H = d->H;

    float *w = malloc(D * H * sizeof *w); /* input-major, as bench_kernels.c */
    if (!w)
        return bench_out_of_memory(err, errlen);
    bench_random(w, D * H, bench_weight_seed(D, H));
    for (size_t k = 0; k < H; k++)
        for (size_t i = 0; i < D; i++)
            e->neurons[k * D + i] = w[i * H + k];
    for (size_t g = 0; g < e->groups; g++) {
        const size_t first = g * BDC_ENGINE_GROUP;
        const size_t width = e->Hp - first < BDC_ENGINE_GROUP ? e->Hp - first : BDC_ENGINE_GROUP;
        float *panel = e->panels + first * D;
        for (size_t i = 0; i < D; i++)
            for (size_t q = 0; q < width; q++)
                panel[i * width + q] = first + q < H ? w[i * H + first + q] : 0.0f;
    }
    free(w);
    bench_random(e->label_w, C * H, bench_weight_seed(H, C));
    for (size_t j = 0; j < H; j++)
        for (size_t c = 0; c < C; c++)
            e->label_n[j * LABEL_STRIDE + c] = e->label_w[c * H + j];

    const size_t T = e->opts.block;
    d->nblocks = d->set->count / T ? d->set->count / T : 1;
    d->samples = 0;
    if (!(d->blocks = calloc(d->nblocks, sizeof *d->blocks)))
        return bench_out_of_memory(err, errlen);
    for (size_t i = 0; i < d->nblocks; i++) {
        const size_t n = d->set->count < T ? d->set->count : T;
        bdc_engine_plan_block(e, &e->block[0], d->set, i * T, n);
        if (keep_plan(e, &d->blocks[i]))
            return bench_out_of_memory(err, errlen);
        d->samples += n;
    }
    for (size_t c = 0; c < C; c++)
        if (label_list(d, c))
            return bench_out_of_memory(err, errlen);
    if (!(d->h = malloc(H * sizeof *d->h)) || !(d->cand = malloc(H * sizeof *d->cand)))
        return bench_out_of_memory(err, errlen);
    return 0;
}

/* The nudges also need pristine weights to restore. */
static int prepare_row_nudge(ecase_data *d, char *err, size_t errlen)
{
    if (prepare_layer(d, err, errlen))
        return -1;
    const size_t D = d->D, H = d->H;
    if (!(d->neurons0 = malloc(H * D * sizeof *d->neurons0)) ||
        !(d->label0 = malloc(C * H * sizeof *d->label0)))
        return bench_out_of_memory(err, errlen);
    memcpy(d->neurons0, d->e->neurons, H * D * sizeof *d->neurons0);
    memcpy(d->label0, d->e->label_w, C * H * sizeof *d->label0);
    return 0;
}

/* Per sample, DOT_ROWS distinct pseudo-random neurons to recompute, and
 * the lines of their weights that the sample's inputs touch. */
static int prepare_dot_rows(ecase_data *d, char *err, size_t errlen)
{
    if (prepare_layer(d, err, errlen))
        return -1;
    const size_t count = d->samples, D = d->D, H = d->H;
    const size_t rows = H < DOT_ROWS ? H : DOT_ROWS;
    if (!(d->offsets = malloc(count * DOT_ROWS * sizeof *d->offsets)) ||
        !(d->per_sample = malloc(count * sizeof *d->per_sample)))
        return bench_out_of_memory(err, errlen);
    uint64_t x = 0x6a09e667f3bcc909u;
    walk w = {0, 0};
    const int level = level_of(4.0 * H * D);
    for (size_t i = 0; i < count; i++, walk_next(d, &w)) {
        const engine_block *b = &d->blocks[w.block].b;
        const uint32_t *idx = b->idx + b->start[w.t];
        const size_t nnz = b->start[w.t + 1] - b->start[w.t];
        size_t *off = d->offsets + i * DOT_ROWS;
        d->per_sample[i] = 0;
        for (size_t r = 0; r < rows; r++) {
            size_t k;
            int again;
            do { /* a neuron not chosen yet for this sample */
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                k = (size_t)(((x >> 32) * (uint64_t)H) >> 32);
                again = 0;
                for (size_t q = 0; q < r; q++)
                    again |= off[q] == k * D;
            } while (again);
            off[r] = k * D;
            d->per_sample[i] += bench_moved(level, bench_rows_lines(d->e->neurons + off[r], 4, 4,
                                                                    idx, nnz),
                                            4.0 * (double)nnz);
        }
    }
    return 0;
}

/* A vector kernel's input: the forward sums of the first sample (a layer)
 * or random values (a cache level), the GReLU threshold of them, the
 * indices above it, and the lines of v those indices touch. */
static int prepare_vector(ecase_data *d, char *err, size_t errlen)
{
    if (d->H) {
        if (prepare_layer(d, err, errlen))
            return -1;
        d->n = d->H;
    } else {
        d->n = (size_t)(roofline->probe_bytes[d->level_index] / 4);
    }
    if (!(d->v = malloc(d->n * sizeof *d->v)) || !(d->out = malloc(d->n * sizeof *d->out)) ||
        !(d->idx = malloc(d->n * sizeof *d->idx)))
        return bench_out_of_memory(err, errlen);
    if (d->H) {
        bdc_engine *e = d->e;
        e->ek = bdc_family_scalar.engine;
        for (size_t g = 0; g < e->groups; g++)
            bdc_engine_forward_group(e, &d->blocks[0].b, NULL, g);
        memcpy(d->v, d->blocks[0].b.act, d->n * sizeof *d->v);
    } else {
        bench_random(d->v, d->n, 0x5ca7 ^ d->n);
    }
    const bdc_engine_kernels *ek = bdc_family_scalar.engine;
    int nan;
    const float m = ek->max_scan(d->v, d->n, &nan);
    d->t = (float)(0.95 * (double)m);
    d->m2 = m - d->t;
    d->count = ek->above(d->v, d->n, d->t, d->idx);
    d->gather_bytes = bench_moved(level_of(4.0 * d->n), bench_rows_lines(d->v, 4, 4, d->idx, d->count),
                                  4.0 * (double)d->count);
    return 0;
}

/* --- the timed loops -------------------------------------------------------- */

static size_t group_width(const bdc_engine *e, size_t g)
{
    const size_t first = g * BDC_ENGINE_GROUP;
    return e->Hp - first < BDC_ENGINE_GROUP ? e->Hp - first : BDC_ENGINE_GROUP;
}

/* One panel (a group of neurons) over one block of samples, chunk by
 * chunk, as bdc_engine_forward_group calls the kernel; iterations take the
 * groups in turn, then the next block. */
static void run_forward_panel(bdc_bench_state *s, const bdc_family *f, ecase_data *d,
                              bdc_traffic *t, double *items, char *note, size_t len)
{
    const bdc_engine *e = d->e;
    const bdc_engine_kernels *ek = f->engine;
    const size_t D = d->D, stride = e->max_chunks + 1;
    size_t g = 0, blk = 0;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++) {
            engine_block *b = &d->blocks[blk].b;
            const size_t first = g * BDC_ENGINE_GROUP, width = group_width(e, g);
            const float *panel = e->panels + first * D;
            for (size_t c = 0; c < b->chunks; c++)
                ek->forward_panel(panel, width, b->idx, b->val, b->pos + c, stride,
                                  b->nsamples, c == 0, b->act + first, e->Hp);
            if (++g == e->groups) {
                g = 0;
                if (++blk == d->nblocks)
                    blk = 0;
            }
        }
    /* Per call: every multiply-add of the panel's lanes; the panel rows the
     * block uses, once (from the panels' level); the block's entries; the
     * block's sums of the group, written. */
    const uint64_t iters = bdc_bench_iterations(s);
    const int panels = level_of(4.0 * e->Hp * D);
    double macs = 0, chunks = 0;
    g = blk = 0;
    for (uint64_t it = 0; it < iters; it++) {
        const planned *p = &d->blocks[blk];
        const double width = (double)group_width(e, g), entries = (double)p->entries;
        macs += entries * width;
        chunks += (double)p->b.chunks;
        t->read[panels] += p->panel_lines[g];
        t->read[level_of(8 * entries)] += 8 * entries;
        t->written[level_of(4.0 * p->b.nsamples * e->Hp)] += 4 * (double)p->b.nsamples * width;
        if (++g == e->groups) {
            g = 0;
            if (++blk == d->nblocks)
                blk = 0;
        }
    }
    t->flops = 2 * macs;
    *items = macs;
    if (iters)
        snprintf(note, len, ", block %zu, %.1f chunks", e->opts.block, chunks / (double)iters);
}

/* DOT_ROWS neurons recomputed for one sample from their neuron-major rows
 * (the engine's recompute of nudged neurons), samples in turn. */
static void run_dot_rows(bdc_bench_state *s, const bdc_family *f, ecase_data *d,
                         bdc_traffic *t, double *items, char *note, size_t len)
{
    const bdc_engine *e = d->e;
    const bdc_engine_kernels *ek = f->engine;
    const size_t rows = d->H < DOT_ROWS ? d->H : DOT_ROWS;
    walk w = {0, 0};
    size_t i = 0;
    uint64_t nnz = 0;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++) {
            const engine_block *b = &d->blocks[w.block].b;
            const uint32_t from = b->start[w.t];
            const size_t count = b->start[w.t + 1] - from;
            ek->dot_rows(b->idx + from, b->val + from, count, e->neurons,
                         d->offsets + i * DOT_ROWS, rows, d->h);
            nnz += count;
            walk_next(d, &w);
            if (++i == d->samples)
                i = 0;
        }
    const uint64_t iters = bdc_bench_iterations(s);
    const double macs = (double)nnz * (double)rows;
    double entries = 0;
    for (size_t b = 0; b < d->nblocks; b++)
        entries += (double)d->blocks[b].entries;
    t->flops = 2 * macs;
    /* the lines of the rows the sample's inputs touch, the sample, the sums */
    t->read[level_of(4.0 * d->H * d->D)] += bench_cycled(d->per_sample, d->samples, iters);
    t->read[level_of(8 * entries)] += 8 * (double)nnz;
    t->written[BDC_LEVEL_L1] += 4 * (double)rows * (double)iters;
    *items = macs;
    if (iters)
        snprintf(note, len, ", %zu rows, nnz %.1f", rows, (double)nnz / (double)iters);
}

static void run_max_scan(bdc_bench_state *s, const bdc_family *f, ecase_data *d,
                         bdc_traffic *t, double *items, char *note, size_t len)
{
    (void)note;
    (void)len;
    const bdc_engine_kernels *ek = f->engine;
    float sum = 0;
    int nan = 0;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++)
            sum += ek->max_scan(d->v, d->n, &nan);
    bench_sink = (size_t)sum + (size_t)nan;
    const double elements = (double)bdc_bench_iterations(s) * (double)d->n;
    t->flops = elements; /* a comparison each */
    t->read[level_of(4.0 * d->n)] += 4 * elements;
    *items = elements;
}

static void run_above(bdc_bench_state *s, const bdc_family *f, ecase_data *d,
                      bdc_traffic *t, double *items, char *note, size_t len)
{
    const bdc_engine_kernels *ek = f->engine;
    size_t sum = 0;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++)
            sum += ek->above(d->v, d->n, d->t, d->idx);
    bench_sink = sum;
    const double iters = (double)bdc_bench_iterations(s);
    const double elements = iters * (double)d->n;
    t->flops = elements; /* a comparison each */
    t->read[level_of(4.0 * d->n)] += 4 * elements;
    t->written[level_of(4.0 * d->n)] += 4 * (double)d->count * iters; /* the indices */
    *items = elements;
    snprintf(note, len, ", %zu above", d->count);
}

static void run_grelu_at(bdc_bench_state *s, const bdc_family *f, ecase_data *d,
                         bdc_traffic *t, double *items, char *note, size_t len)
{
    const bdc_engine_kernels *ek = f->engine;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++)
            ek->grelu_at(d->v, d->idx, d->count, d->t, d->m2, d->out);
    const double iters = (double)bdc_bench_iterations(s);
    const double count = iters * (double)d->count;
    const int level = level_of(4.0 * d->n);
    t->flops = 3 * count; /* subtract, divide, clamp */
    t->read[level] += 4 * count + d->gather_bytes * iters; /* indices; v's lines */
    t->written[level] += 4 * count;
    *items = count;
    snprintf(note, len, ", %zu above", d->count);
}

/* The blocked max-activation search of one block: the engine's forward
 * of every group (bdc_engine_forward_group, every chunk), then per sample
 * the maximum, the sparse GReLU and the engine's winner against its
 * label's GReLU list.  No nudge happens, so no neuron needs settling. */
static void run_blocked_search(bdc_bench_state *s, const bdc_family *f, ecase_data *d,
                               bdc_traffic *t, double *items, char *note, size_t len)
{
    bdc_engine *e = d->e;
    const bdc_engine_kernels *ek = f->engine;
    e->ek = ek; /* the engine made for the shape runs this family's kernels */
    const size_t H = d->H;
    size_t blk = 0, sum = 0;
    uint64_t lists = 0, nh_all = 0;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++) {
            engine_block *b = &d->blocks[blk].b;
            for (size_t g = 0; g < e->groups; g++)
                bdc_engine_forward_group(e, b, NULL, g);
            for (size_t k = 0; k < b->nsamples; k++) {
                const float *sums = b->act + k * e->Hp;
                int nan;
                const float m = ek->max_scan(sums, H, &nan);
                const size_t nh = bdc_engine_grelu_sparse(ek, sums, H, m, nan, d->cand, d->h);
                const int label = b->label[k];
                const uint32_t *ec = d->label_cand[label];
                const float *ev = d->label_e[label];
                const size_t ne = d->label_count[label];
                sum += bdc_engine_winner(e, d->cand, d->h, nh, ec, ev, ne,
                                         d->label_dense[label]);
                nh_all += nh;
                lists += nh + ne;
            }
            if (++blk == d->nblocks)
                blk = 0;
        }
    bench_sink = sum;

    const uint64_t iters = bdc_bench_iterations(s);
    const int panels = level_of(4.0 * e->Hp * d->D);
    double samples = 0, entries_all = 0;
    blk = 0;
    for (uint64_t it = 0; it < iters; it++) {
        const planned *p = &d->blocks[blk];
        const double T = (double)p->b.nsamples, entries = (double)p->entries;
        const int sums = level_of(4.0 * T * e->Hp);
        samples += T;
        entries_all += entries;
        /* the forward: the used panel rows once per group, the block's
         * entries once per group, the sums written; the maximum and the
         * threshold pass read them */
        for (size_t g = 0; g < e->groups; g++)
            t->read[panels] += p->panel_lines[g];
        t->read[level_of(8 * entries)] += 8 * entries * (double)e->groups;
        t->written[sums] += 4 * T * (double)e->Hp;
        t->read[sums] += 2 * 4 * T * (double)H;
        if (++blk == d->nblocks)
            blk = 0;
    }
    /* the useful multiply-adds (not the panels' padding lanes); per sample
     * a comparison per neuron for the maximum and for the threshold,
     * subtract, divide and clamp per GReLU value, and two products, a sum
     * and a comparison per winner candidate */
    t->flops = 2 * entries_all * (double)H + 2 * samples * (double)H +
               3 * (double)nh_all + 4 * (double)lists;
    /* small, in L1: the forward candidate list written (indices and
     * values); the winner reads both lists and, for each forward
     * candidate, the label side's dense value */
    t->written[BDC_LEVEL_L1] += 8 * (double)nh_all;
    t->read[BDC_LEVEL_L1] += 8 * (double)lists + 4 * (double)nh_all;
    *items = samples;
    if (samples > 0)
        snprintf(note, len, ", block %zu, nnz %.1f, %.1f above", e->opts.block,
                 entries_all / samples, (double)nh_all / samples);
}


static void restore_weights(ecase_data *d)
{
    bdc_engine *e = d->e;
    const size_t H = d->H;
    memcpy(e->neurons, d->neurons0, H * d->D * sizeof *e->neurons);
    memcpy(e->label_w, d->label0, C * H * sizeof *e->label_w);
    for (size_t j = 0; j < H; j++)
        for (size_t c = 0; c < C; c++)
            e->label_n[j * LABEL_STRIDE + c] = e->label_w[c * H + j];
}

/* The engine's nudges of one step, by its own functions (engine_step.c):
 * the step's image made dense; the image-side nudge of the previous step's
 * winner (a contiguous neuron-major row) toward the previous image, which
 * is then cleared; the winner's label weights (a column of the class-major
 * label_w, mirrored in the neuron-major label_n) toward the one-hot label;
 * the winner's row prefetched for its nudge in the next step.  Winners are
 * pseudo-random.  The engine's own label-side GReLU lists are never made
 * here (blocked_search keeps its own), so telling them of a moved weight
 * costs a check, where training may also move a list entry. */
static void run_row_nudge(bdc_bench_state *s, const bdc_family *f, ecase_data *d,
                          bdc_traffic *t, double *items, char *note, size_t len)
{
    (void)note;
    (void)len;
    bdc_engine *e = d->e;
    e->k = f->kernels; /* the engine made for the shape runs this family's nudge */
    const size_t D = d->D, H = d->H;
    restore_weights(d);
    uint64_t x = BENCH_WINNER_SEED;
    walk w = {0, 0};
    size_t since = 0;
    for (uint64_t n; (n = bdc_bench_batch(s)) != 0;)
        for (uint64_t it = 0; it < n; it++) {
            const engine_block *b = &d->blocks[w.block].b;
            /* A block's last pending nudge is applied before the next
             * block begins, as at the engine's block ends. */
            if (w.t == 0 && e->pending)
                bdc_engine_apply_pending(e);
            bdc_engine_dense_sample(e, b, w.t);
            if (e->pending)
                bdc_engine_apply_pending(e);
            bdc_engine_nudge(e, b, w.t, bench_next_winner(&x, H));
            walk_next(d, &w);
            if (++since == (size_t)BENCH_RESTORE * H) {
                restore_weights(d);
                since = 0;
            }
        }
    if (e->pending)
        bdc_engine_apply_pending(e);

    /* Replayed: the lines of each nudged row and label row. */
    const uint64_t steps = bdc_bench_iterations(s);
    const int rows = level_of(4.0 * H * D), image = level_of(8.0 * D);
    const int label_w = level_of(4.0 * C * H), label_n = level_of(4.0 * LABEL_STRIDE * H);
    double entries_all = 0;
    for (size_t b = 0; b < d->nblocks; b++)
        entries_all += (double)d->blocks[b].entries;
    const int entries = level_of(8 * entries_all);
    x = BENCH_WINNER_SEED;
    w = (walk){0, 0};
    size_t prev_win = 0;
    for (uint64_t it = 0; it < steps; it++) {
        const engine_block *b = &d->blocks[w.block].b;
        const double nnz = (double)(b->start[w.t + 1] - b->start[w.t]);
        if (it > 0) { /* the previous winner's row, toward the image */
            const double lines =
                bench_moved(rows, bench_lines(e->neurons + prev_win * D, 4 * D), 4.0 * D);
            t->flops += 6 * (double)D;
            t->read[rows] += lines;
            t->written[rows] += lines;
            t->read[image] += 4 * (double)D;
        }
        t->read[entries] += 2 * 8 * nnz;   /* scattered, and cleared later */
        t->written[image] += 2 * 4 * nnz;
        prev_win = bench_next_winner(&x, H);
        t->flops += 6 * (double)C;
        /* the label_w column: one line per class (rows 4 H >= 64 bytes
         * apart for H >= 16), read and written; label_n's row written */
        const double column = bench_moved(label_w,
                                          H >= 16 ? (double)C * bench_line_bytes()
                                                  : bench_lines(e->label_w, 4 * C * H),
                                          4.0 * C);
        t->read[label_w] += column;
        t->written[label_w] += column;
        t->written[label_n] +=
            bench_moved(label_n, bench_lines(e->label_n + prev_win * LABEL_STRIDE, 4 * C), 4.0 * C);
        walk_next(d, &w);
    }
    *items = (double)steps;
}

static const engine_op ops[] = {
    {"forward_panel", 0, prepare_layer, run_forward_panel},
    {"dot_rows", 0, prepare_dot_rows, run_dot_rows},
    {"max_scan", 1, prepare_vector, run_max_scan},
    {"above", 1, prepare_vector, run_above},
    {"grelu_at", 1, prepare_vector, run_grelu_at},
    {"blocked_search", 0, prepare_layer, run_blocked_search},
    {"row_nudge", 0, prepare_row_nudge, run_row_nudge},
};
enum { OP_COUNT = sizeof ops / sizeof ops[0] };

/* --- one benchmark ---------------------------------------------------------- */

/* Where the operation's working set sits: the panels (forward), the
 * neuron-major rows (recompute, nudge), or the vector. */
static int working_level(const ecase_data *d)
{
    if (!d->H)
        return d->level_index;
    const engine_op *op = d->op;
    if (op->run == run_forward_panel || op->run == run_blocked_search)
        return level_of(4.0 * d->e->Hp * d->D);
    if (op->run == run_dot_rows || op->run == run_row_nudge)
        return level_of(4.0 * d->H * d->D);
    return level_of(4.0 * d->n);
}

static void run_case(bdc_bench_state *s, void *arg)
{
    const bench_case *c = arg;
    ecase_data *d = c->data;
    const bdc_family_status status = bench_family_check(s, c->family);
    if (status == BDC_UNAVAILABLE)
        return;
    char msg[512];
    if (!c->family->engine) {
        snprintf(msg, sizeof msg, "%s has no engine kernels", c->family->name);
        bdc_bench_skip(s, msg);
        return;
    }
    const char *input = !d->H ? "synthetic"
                        : strcmp(d->model, "binconv") == 0 ? "binconv" : "mnist";
    if (!d->ready) {
        if (prepared && prepared != d)
            release(prepared);
        bench_kernels_drop_prepared();
        prepared = d;
        char err[400];
        if (d->op->prepare(d, err, sizeof err)) {
            release(d);
            snprintf(msg, sizeof msg, "%s inputs: %s", input, err);
            bdc_bench_skip(s, msg);
            return;
        }
        d->ready = 1;
    }
    bdc_traffic t = {0};
    double items = 0;
    char note[96] = "";
    d->op->run(s, c->family, d, &t, &items, note, sizeof note);
    if (d->op->on_levels)
        snprintf(msg, sizeof msg, "%s n %zu%s", input, d->n, note);
    else
        snprintf(msg, sizeof msg, "%s %zux%zu%s", input, d->D, d->H, note);
    bench_report(s, roofline, &t, items, working_level(d), status, msg);
}

/* --- registration ----------------------------------------------------------- */

/* The first layers of the published models (and bench_kernels.c's small
 * bidir), with the learner each belongs to. */
static const struct layer {
    const char *name, *model;
    size_t D, H;
} layers[] = {
    {"784x1500", "bidir", 784, 1500},
    {"784x784", "entangled", 784, 784},
    {"4433x1000", "binconv", BDC_BINCONV_DIM, 1000},
    {"784x100", "bidir", 784, 100},
};
enum { LAYER_COUNT = sizeof layers / sizeof layers[0] };

void bench_engine_register(const bdc_roofline *r)
{
    roofline = r;
    const size_t families = bdc_family_count();
    datas = calloc(OP_COUNT * (LAYER_COUNT + BDC_LEVELS), sizeof *datas);
    cases = calloc(OP_COUNT * (LAYER_COUNT + BDC_LEVELS) * families, sizeof *cases);
    if (!datas || !cases) {
        fprintf(stderr, "bdc-bench: out of memory\n");
        exit(1);
    }
    for (size_t o = 0; o < OP_COUNT; o++) {
        const engine_op *op = &ops[o];
        for (size_t sh = 0; sh < LAYER_COUNT + BDC_LEVELS; sh++) {
            const int is_layer = sh < LAYER_COUNT;
            if (!is_layer && !op->on_levels)
                continue;
            ecase_data *d = &datas[data_count++];
            d->op = op;
            if (is_layer) {
                snprintf(d->shape, sizeof d->shape, "%s", layers[sh].name);
                d->model = layers[sh].model;
                d->D = layers[sh].D;
                d->H = layers[sh].H;
            } else {
                d->level_index = (int)(sh - LAYER_COUNT);
                snprintf(d->shape, sizeof d->shape, "%s",
                         bdc_roofline_level_name(d->level_index));
                d->n = (size_t)(r->probe_bytes[d->level_index] / 4);
            }
            bench_register_families(op->name, d->shape, d, run_case, cases, &case_count);
        }
    }
}

void bench_engine_release(void)
{
    for (size_t i = 0; i < data_count; i++)
        release(&datas[i]);
    free(datas);
    free(cases);
    datas = NULL;
    cases = NULL;
    data_count = case_count = 0;
    prepared = NULL;
}
