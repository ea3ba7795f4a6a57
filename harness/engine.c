/* The blocked engine: set-up, the threads, and the training and test
 * schedules.
 *
 * Training runs in phases.  In phase p one thread steps block p-1 (in
 * order, alone: each step depends on the one before) and then plans block
 * p+1, while every thread, that one included once it is done, takes
 * groups of neurons of block p's forward pass.  Block p's forward sums use
 * the panels as of the end of block p-2, which is why the steps settle the
 * neurons nudged in the previous block as well as earlier in their own.
 * Which thread computes which group changes no bit: each group's sums are
 * the same operations wherever they run. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "machine.h"
#include "progress.h"

/* L1 data cache assumed when the machine record does not report one. */
#define DEFAULT_L1D (32u * 1024u)

/* Cache-line aligned memory; C11's aligned_alloc wants the size rounded up
 * to a multiple of the alignment (ASan enforces it). */
static void *alloc_lines(size_t bytes)
{
    return aligned_alloc(64, (bytes + 63) / 64 * 64);
}

static void free_dirty(engine_dirty *l)
{
    free(l->neuron); free(l->a); free(l->b); free(l->c);
}

static int alloc_dirty(engine_dirty *l, size_t T)
{
    l->n = l->nshadow = 0;
    l->cap = T;
    l->neuron = malloc(T * sizeof *l->neuron);
    l->a = malloc(T * sizeof *l->a);
    l->b = malloc(T * sizeof *l->b);
    l->c = malloc(T * sizeof *l->c);
    return l->neuron && l->a && l->b && l->c;
}

static void free_block(engine_block *b)
{
    free(b->idx); free(b->val); free(b->start); free(b->label); free(b->norm);
    free(b->bounds); free(b->pos); free(b->act);
}

static void free_rows(engine_rows *r)
{
    free(r->neuron); free(r->rows); free(r->group_first);
}

void bdc_engine_destroy(bdc_engine *e)
{
    if (!e)
        return;
    free(e->neurons); free(e->label_w); free(e->label_n); free(e->panels);
    for (int i = 0; i < 2; i++) {
        free_block(&e->block[i]);
        free_rows(&e->rows[i]);
    }
    free(e->touched);
    free(e->norm_cache); free(e->norm_stamp);
    free_dirty(&e->prev); free_dirty(&e->cur);
    free(e->prev_of); free(e->cur_of);
    free(e->stale); free(e->redo_offset); free(e->redo_neuron); free(e->redo_sum);
    free(e->dense[0]); free(e->dense[1]);
    if (e->scratch)
        for (unsigned i = 0; i < e->opts.threads; i++) {
            free(e->scratch[i].cand); free(e->scratch[i].h);
        }
    free(e->scratch);
    for (int c = 0; c < BDC_CLASSES; c++) {
        free(e->label_grelu[c].cand);
        free(e->label_grelu[c].e);
        free(e->label_grelu[c].dense);
    }
    free(e);
}

/* Block and tile from the L1 data cache: a block's sums of one panel
 * (block x 256 bytes) take about a third of it, the panel rows of a chunk
 * (tile x 256 bytes) about all of it (docs/engine.md has the measurements). */
void bdc_engine_resolve_options(bdc_engine_opts *o)
{
    const bdc_machine *m = bdc_machine_get();
    size_t l1 = (size_t)bdc_machine_cache_size(m, 1);
    if (!l1)
        l1 = DEFAULT_L1D;
    const size_t row = BDC_ENGINE_GROUP * sizeof(float);
    if (!o->threads)
        o->threads = bdc_machine_cores(m);
    if (!o->block) {
        o->block = l1 / 3 / row;
        if (o->block < 16) o->block = 16;
        if (o->block > 256) o->block = 256;
    }
    if (!o->tile) {
        o->tile = l1 / row;
        if (o->tile < 32) o->tile = 32;
    }
}

static int alloc_block(engine_block *b, size_t T, size_t D, size_t Hp, size_t chunks)
{
    b->idx = malloc(T * D * sizeof *b->idx);
    b->val = malloc(T * D * sizeof *b->val);
    b->start = malloc((T + 1) * sizeof *b->start);
    b->label = malloc(T * sizeof *b->label);
    b->norm = malloc(T * sizeof *b->norm);
    b->bounds = malloc((chunks + 1) * sizeof *b->bounds);
    b->pos = malloc(T * (chunks + 1) * sizeof *b->pos);
    b->act = alloc_lines(T * Hp * sizeof *b->act);
    return b->idx && b->val && b->start && b->label && b->norm && b->bounds && b->pos &&
           b->act;
}

static int alloc_rows(engine_rows *r, size_t T, size_t D, size_t groups)
{
    r->count = 0;
    r->neuron = malloc(T * sizeof *r->neuron);
    r->rows = malloc(T * D * sizeof *r->rows);
    r->group_first = calloc(groups + 1, sizeof *r->group_first);
    return r->neuron && r->rows && r->group_first;
}

bdc_engine *bdc_engine_create(const bdc_config *cfg, size_t dim,
                              const bdc_family *family,
                              const bdc_engine_opts *opts, char *err,
                              size_t errlen)
{
    if (!family->engine) {
        snprintf(err, errlen, "kernel family '%s' has no engine kernels", family->name);
        return NULL;
    }
    if (!(cfg->alpha >= 0.0) || !(cfg->beta >= 0.0)) {
        snprintf(err, errlen, "the blocked engine needs alpha, beta >= 0");
        return NULL;
    }
    bdc_engine *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    e->cfg = *cfg;
    e->output_grelu = strcmp(cfg->model, "bidir") == 0;
    e->k = family->kernels;
    e->ek = family->engine;
    e->D = dim;
    e->H = cfg->hidden;
    e->C = BDC_CLASSES;
    e->Hp = (e->H + BDC_ENGINE_LANES - 1) / BDC_ENGINE_LANES * BDC_ENGINE_LANES;
    e->groups = (e->Hp + BDC_ENGINE_GROUP - 1) / BDC_ENGINE_GROUP;
    e->opts = *opts;
    bdc_engine_resolve_options(&e->opts);
    const size_t D = e->D, H = e->H, Hp = e->Hp, T = e->opts.block;
    e->max_chunks = D / e->opts.tile + 2;

    e->neurons = malloc(H * D * sizeof *e->neurons);
    e->label_w = malloc(e->C * H * sizeof *e->label_w);
    e->label_n = calloc(LABEL_STRIDE * H, sizeof *e->label_n);
    e->panels = alloc_lines(Hp * D * sizeof *e->panels);
    int ok = e->neurons && e->label_w && e->label_n && e->panels;
    for (int i = 0; i < 2; i++)
        ok = ok && alloc_block(&e->block[i], T, D, Hp, e->max_chunks) &&
             alloc_rows(&e->rows[i], T, D, e->groups);
    e->touched = malloc(D);
    ok = ok && alloc_dirty(&e->prev, T) && alloc_dirty(&e->cur, T);
    e->prev_of = calloc(H, sizeof *e->prev_of);
    e->cur_of = calloc(H, sizeof *e->cur_of);
    e->stale = malloc(2 * T * sizeof *e->stale);
    e->redo_offset = malloc(2 * T * sizeof *e->redo_offset);
    e->redo_neuron = malloc(2 * T * sizeof *e->redo_neuron);
    e->redo_sum = malloc(2 * T * sizeof *e->redo_sum);
    e->dense[0] = calloc(D, sizeof *e->dense[0]);
    e->dense[1] = calloc(D, sizeof *e->dense[1]);
    e->scratch = calloc(e->opts.threads, sizeof *e->scratch);
    ok = ok && e->touched && e->prev_of && e->cur_of && e->stale &&
         e->redo_offset && e->redo_neuron && e->redo_sum && e->dense[0] && e->dense[1] &&
         e->scratch;
    for (unsigned i = 0; ok && i < e->opts.threads; i++) {
        engine_scratch *sc = &e->scratch[i];
        sc->cand = malloc(H * sizeof *sc->cand);
        sc->h = malloc(H * sizeof *sc->h);
        ok = sc->cand && sc->h;
    }
    for (int c = 0; ok && c < BDC_CLASSES; c++) {
        e->label_grelu[c].cand = malloc(H * sizeof *e->label_grelu[c].cand);
        e->label_grelu[c].e = malloc(H * sizeof *e->label_grelu[c].e);
        e->label_grelu[c].dense = calloc(H, sizeof *e->label_grelu[c].dense);
        ok = e->label_grelu[c].cand && e->label_grelu[c].e && e->label_grelu[c].dense;
    }
    if (!ok) {
        snprintf(err, errlen, "out of memory for a %s engine with %zu hidden neurons",
                 cfg->model, H);
        bdc_engine_destroy(e);
        return NULL;
    }

    /* The bytes it holds: weights, their mirrors, two blocks, two sets of
     * rows, per-thread and per-step scratch. */
    const size_t C = e->C, chunks = e->max_chunks + 1;
    const size_t block_bytes = T * D * 8 + (T + 1) * 4 + T * 12 + chunks * 4 +
                               T * chunks * 4 + T * Hp * 4;
    const size_t bytes = (H * D + Hp * D + C * H + LABEL_STRIDE * H) * 4 + 2 * block_bytes +
                         2 * (T * 4 + T * D * 4 + (e->groups + 1) * 8) + D +
                         2 * T * (4 + 3 * 8) + 2 * H * 4 + 2 * T * 24 +
                         2 * D * 4 + e->opts.threads * 2 * H * 4 +
                         BDC_CLASSES * 3 * H * 4;
    e->train_cost.memory_bytes = e->infer_cost.memory_bytes = bytes;

    const float init = (float)cfg->init;
    for (size_t i = 0; i < H * D; i++) e->neurons[i] = init;
    for (size_t i = 0; i < e->C * H; i++) e->label_w[i] = init;
    for (size_t j = 0; j < H; j++)
        for (size_t c = 0; c < e->C; c++) e->label_n[j * LABEL_STRIDE + c] = init;
    /* Padding neurons (H..Hp) get zero weights; their sums are never read. */
    for (size_t g = 0; g < e->groups; g++) {
        const size_t first = g * BDC_ENGINE_GROUP;
        const size_t width = Hp - first < BDC_ENGINE_GROUP ? Hp - first : BDC_ENGINE_GROUP;
        float *panel = e->panels + first * D;
        for (size_t i = 0; i < D; i++)
            for (size_t q = 0; q < width; q++)
                panel[i * width + q] = first + q < H ? init : 0.0f;
    }
    return e;
}

/* The bound of engine_bound.c holds when no weight and no input is ever
 * negative: initial weights >= 0, inputs >= 0 (`negative` says whether
 * some input is not), and every nudge factor f(a) = ((c1*a) - c2) + d >= 0,
 * which f(0) = d - c2 at step 0 (the largest learning rate) decides.
 * amax is the largest input value. */
static void prepare_bound(bdc_engine *e, float amax, int negative)
{
    const bdc_nudge_coef c0 = bdc_nudge_coef_make(bdc_learning_rate(&e->cfg, 0),
                                                  e->cfg.q_input, e->cfg.decay);
    float f0 = c0.c1 * 0.0f;
    f0 = f0 - c0.c2;
    f0 = f0 + c0.d;
    const float init = (float)e->cfg.init;
    e->amax = amax;
    e->prune = !negative && isfinite(amax) && init >= 0.0f && isfinite(init) &&
               f0 >= 0.0f && c0.c1 >= 0.0f && c0.c3 >= 0.0f && isfinite(c0.c3);
    e->eps = bdc_engine_bound_eps(e->D);
}

/* The largest input value of a set (its value table) and whether any is
 * negative or not a number. */
static float set_amax(const bdc_samples *set, int *negative)
{
    float amax = 0.0f;
    *negative = 0;
    for (int v = 0; v < 256; v++) {
        if (!(set->value[v] >= 0.0f) || !isfinite(set->value[v]))
            *negative = 1;
        else if (set->value[v] > amax)
            amax = set->value[v];
    }
    return amax;
}

/* Thread i runs on core i (modulo the cores there are); a refusal leaves
 * it unbound, which changes speed, never results. */
static void bind_thread(void)
{
    const unsigned cores = bdc_machine_cores(bdc_machine_get());
    bdc_machine_bind_thread((unsigned)omp_get_thread_num() % cores);
}

/* Forgets the nudges of the last blocks once the panels are current. */
static void settle_all(bdc_engine *e)
{
    bdc_engine_sync_panels(e);
    for (size_t d = 0; d < e->prev.n; d++) e->prev_of[e->prev.neuron[d]] = 0;
    for (size_t d = 0; d < e->cur.n; d++) e->cur_of[e->cur.neuron[d]] = 0;
    for (size_t d = e->cur.cap - e->cur.nshadow; d < e->cur.cap; d++)
        e->cur_of[e->cur.neuron[d]] = 0;
    e->prev.n = e->cur.n = e->cur.nshadow = 0;
}

void bdc_engine_set_progress(bdc_engine *e, bdc_engine_progress *fn, void *ctx)
{
    e->progress = fn;
    e->progress_ctx = ctx;
}

/* Arms the norm cache for a training call on `set` (a new stamp makes
 * every entry stale: the set may differ from the last call's).  Without
 * room for it, norms are computed each time (the same numbers). */
static void arm_norms(bdc_engine *e, const bdc_samples *set)
{
    e->norm_set = NULL;
    if (e->norm_cap < set->count) {
        free(e->norm_cache);
        free(e->norm_stamp);
        e->norm_cache = malloc(set->count * sizeof *e->norm_cache);
        e->norm_stamp = calloc(set->count, sizeof *e->norm_stamp);
        const size_t old = e->norm_cap;
        e->norm_cap = e->norm_cache && e->norm_stamp ? set->count : 0;
        e->norm_call = 0;
        e->train_cost.memory_bytes += (e->norm_cap - old) *
                                      (sizeof *e->norm_cache + sizeof *e->norm_stamp);
        if (!e->norm_cap)
            return;
    }
    if (++e->norm_call == 0) { /* the stamps wrapped: forget them all */
        memset(e->norm_stamp, 0, e->norm_cap * sizeof *e->norm_stamp);
        e->norm_call = 1;
    }
    e->norm_set = set;
}

uint64_t bdc_engine_train(bdc_engine *e, const bdc_samples *set, uint64_t n,
                          uint64_t count)
{
    if (!count || !set->count)
        return 0;
    int negative;
    const float amax = set_amax(set, &negative);
    prepare_bound(e, amax, negative);
    settle_all(e);
    arm_norms(e, set);
    const size_t T = e->opts.block;
    const uint64_t blocks = (count + T - 1) / T;
    uint64_t correct = 0;
    /* Shared clocks, read and written in single sections only. */
    double step_seconds = 0.0, t0 = bdc_now();
    bdc_engine_plan_block(e, &e->block[0], set, n, count < T ? (size_t)count : T);
    e->stats.forward_macs += (uint64_t)e->block[0].start[e->block[0].nsamples] * e->Hp;
#pragma omp parallel num_threads(e->opts.threads)
    {
        bind_thread();
        for (uint64_t p = 0; p <= blocks; p++) {
#pragma omp single nowait
            {
                const double s0 = bdc_now();
                if (p >= 1) {
                    engine_block *b = &e->block[(p - 1) % 2];
                    for (size_t t = 0; t < b->nsamples; t++)
                        correct += bdc_engine_step(e, b, t) == b->label[t];
                    bdc_engine_end_block(e, &e->rows[(p - 1) % 2]);
                    if (e->progress)
                        e->progress(e->progress_ctx, b->first + b->nsamples, correct);
                }
                if (p + 1 < blocks) {
                    const uint64_t first = (p + 1) * T, left = count - first;
                    engine_block *next = &e->block[(p + 1) % 2];
                    bdc_engine_plan_block(e, next, set, n + first, left < T ? (size_t)left : T);
                    e->stats.forward_macs += (uint64_t)next->start[next->nsamples] * e->Hp;
                }
                step_seconds += bdc_now() - s0;
            }
            if (p < blocks) {
                engine_block *b = &e->block[p % 2];
                const engine_rows *sync = p >= 2 ? &e->rows[p % 2] : NULL;
#pragma omp for schedule(dynamic, 1)
                for (size_t g = 0; g < e->groups; g++)
                    bdc_engine_forward_group(e, b, sync, g);
            }
        }
    }
    e->stats.phase_seconds += bdc_now() - t0;
    e->stats.step_seconds += step_seconds;
    e->norm_set = NULL;
    settle_all(e);
    return correct;
}

/* The cumulative counters of from added to to. */
static void add_cost(bdc_cost *to, const bdc_cost *from)
{
    to->samples += from->samples;
    to->dense_macs += from->dense_macs;
    to->macs += from->macs;
    to->elementwise_flops += from->elementwise_flops;
    to->weight_bytes_read += from->weight_bytes_read;
    to->weight_bytes_written += from->weight_bytes_written;
}

uint64_t bdc_engine_test(bdc_engine *e, const bdc_samples *set)
{
    settle_all(e);
    uint64_t correct = 0;
    const size_t T = e->opts.block;
    engine_block *b = &e->block[0];
#pragma omp parallel num_threads(e->opts.threads) reduction(+ : correct)
    {
        bind_thread();
        engine_scratch *sc = &e->scratch[omp_get_thread_num()];
        memset(&sc->infer, 0, sizeof sc->infer);
        for (size_t first = 0; first < set->count; first += T) {
            const size_t n = set->count - first < T ? set->count - first : T;
#pragma omp single
            bdc_engine_plan_test_block(e, b, set, first, n);
#pragma omp for schedule(dynamic, 1)
            for (size_t g = 0; g < e->groups; g++)
                bdc_engine_forward_group(e, b, NULL, g);
#pragma omp for schedule(static)
            for (size_t t = 0; t < n; t++)
                correct += bdc_engine_predict(e, b, t, sc) == b->label[t];
        }
    }
    for (unsigned i = 0; i < e->opts.threads; i++)
        add_cost(&e->infer_cost, &e->scratch[i].infer);
    return correct;
}

int bdc_engine_train_one(bdc_engine *e, const bdc_sample *s, uint64_t n)
{
    float amax = 0.0f;
    int negative = 0;
    for (size_t k = 0; k < s->nnz; k++) {
        if (!(s->val[k] >= 0.0f) || !isfinite(s->val[k]))
            negative = 1;
        else if (s->val[k] > amax)
            amax = s->val[k];
    }
    prepare_bound(e, amax, negative);
    settle_all(e);
    engine_block *b = &e->block[0];
    bdc_engine_plan_sample(e, b, s, n);
    e->stats.forward_macs += (uint64_t)s->nnz * e->Hp;
    for (size_t g = 0; g < e->groups; g++)
        bdc_engine_forward_group(e, b, NULL, g);
    const int predicted = bdc_engine_step(e, b, 0);
    bdc_engine_end_block(e, &e->rows[0]);
    settle_all(e);
    return predicted;
}

int bdc_engine_predict_one(bdc_engine *e, const bdc_sample *s)
{
    settle_all(e);
    engine_block *b = &e->block[0];
    bdc_engine_plan_sample(e, b, s, 0);
    for (size_t g = 0; g < e->groups; g++)
        bdc_engine_forward_group(e, b, NULL, g);
    memset(&e->scratch[0].infer, 0, sizeof e->scratch[0].infer);
    const int predicted = bdc_engine_predict(e, b, 0, &e->scratch[0]);
    add_cost(&e->infer_cost, &e->scratch[0].infer);
    return predicted;
}

bdc_engine_opts bdc_engine_options(const bdc_engine *e) { return e->opts; }

bdc_engine_stats bdc_engine_stats_of(const bdc_engine *e) { return e->stats; }
