/* The blocked engine: set-up, the threads, and the training and test
 * drivers.  Per block: one thread plans it, all threads compute its
 * forward sums (groups of neurons handed out one at a time), one thread
 * runs its steps in order.  Which thread computes which group changes no
 * bit: each group's sums are the same operations wherever they run. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "fingerprint.h"
#include "machine.h"
#include "progress.h"

/* L1 data cache assumed when hwloc does not report one. */
#define DEFAULT_L1D (32u * 1024u)

static void free_scratch(bdc_engine *e)
{
    if (!e->scratch)
        return;
    for (unsigned i = 0; i < e->opts.threads; i++) {
        free(e->scratch[i].cand);
        free(e->scratch[i].h);
        free(e->scratch[i].ecand);
        free(e->scratch[i].e);
    }
    free(e->scratch);
}

void bdc_engine_destroy(bdc_engine *e)
{
    if (!e)
        return;
    free(e->neurons); free(e->label_w); free(e->label_n); free(e->panels);
    free(e->pending); free(e->group_pending);
    free(e->idx); free(e->val); free(e->start); free(e->label); free(e->norm);
    free(e->bounds); free(e->pos); free(e->touched); free(e->act);
    free(e->dirty); free(e->dirty_of); free(e->stale);
    free(e->redo_offset); free(e->redo_neuron); free(e->redo_sum);
    free(e->dense); free(e->h_dense); free(e->e_dense);
    free_scratch(e);
    free(e);
}

/* Block and tile from the L1 data cache: a block's sums of one panel
 * (block x 256 bytes) take about a third of it, the panel rows of a chunk
 * (tile x 256 bytes) the rest and some; docs/engine.md has the measurements. */
static void resolve_options(bdc_engine_opts *o)
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
    resolve_options(&e->opts);
    const size_t D = e->D, H = e->H, Hp = e->Hp, T = e->opts.block;
    e->max_chunks = D / e->opts.tile + 2;

    e->neurons = malloc(H * D * sizeof *e->neurons);
    e->label_w = malloc(e->C * H * sizeof *e->label_w);
    e->label_n = malloc(e->C * H * sizeof *e->label_n);
    e->panels = aligned_alloc(64, Hp * D * sizeof *e->panels);
    e->pending = malloc(T * sizeof *e->pending);
    e->group_pending = calloc(e->groups + 1, sizeof *e->group_pending);
    e->idx = malloc(T * D * sizeof *e->idx);
    e->val = malloc(T * D * sizeof *e->val);
    e->start = malloc((T + 1) * sizeof *e->start);
    e->label = malloc(T * sizeof *e->label);
    e->norm = malloc(T * sizeof *e->norm);
    e->bounds = malloc((e->max_chunks + 1) * sizeof *e->bounds);
    e->pos = malloc(T * (e->max_chunks + 1) * sizeof *e->pos);
    e->touched = malloc(D);
    e->act = aligned_alloc(64, T * Hp * sizeof *e->act);
    e->dirty = malloc(T * sizeof *e->dirty);
    e->dirty_of = calloc(H, sizeof *e->dirty_of);
    e->stale = malloc(T * sizeof *e->stale);
    e->redo_offset = malloc(T * sizeof *e->redo_offset);
    e->redo_neuron = malloc(T * sizeof *e->redo_neuron);
    e->redo_sum = malloc(T * sizeof *e->redo_sum);
    e->dense = calloc(D, sizeof *e->dense);
    e->h_dense = calloc(H, sizeof *e->h_dense);
    e->e_dense = calloc(H, sizeof *e->e_dense);
    e->scratch = calloc(e->opts.threads, sizeof *e->scratch);
    int ok = e->neurons && e->label_w && e->label_n && e->h_dense && e->e_dense && e->panels && e->pending && e->group_pending &&
             e->idx && e->val && e->start && e->label && e->norm && e->bounds &&
             e->pos && e->touched && e->act && e->dirty && e->dirty_of && e->stale &&
             e->redo_offset && e->redo_neuron && e->redo_sum && e->dense && e->scratch;
    for (unsigned i = 0; ok && i < e->opts.threads; i++) {
        engine_scratch *sc = &e->scratch[i];
        sc->cand = malloc(H * sizeof *sc->cand);
        sc->h = malloc(H * sizeof *sc->h);
        sc->ecand = malloc(H * sizeof *sc->ecand);
        sc->e = malloc(H * sizeof *sc->e);
        ok = sc->cand && sc->h && sc->ecand && sc->e;
    }
    if (!ok) {
        snprintf(err, errlen, "out of memory for a %s engine with %zu hidden neurons",
                 cfg->model, H);
        bdc_engine_destroy(e);
        return NULL;
    }

    const float init = (float)cfg->init;
    for (size_t i = 0; i < H * D; i++) e->neurons[i] = init;
    for (size_t i = 0; i < e->C * H; i++) e->label_w[i] = e->label_n[i] = init;
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

/* The bound of engine_step.c holds when no weight and no input is ever
 * negative: initial weights >= 0, inputs >= 0, and every nudge factor
 * f(a) = ((c1*a) - c2) + d >= 0, which f(0) = d - c2 at step 0 (the
 * largest learning rate) decides.  Its relative slack covers the rounding
 * of two sums of at most D products and of the nudge: 4 (D + 4) 2^-24. */
static void prepare_bound(bdc_engine *e, const bdc_samples *set)
{
    float amax = 0.0f;
    int negative = 0;
    for (int v = 0; v < 256; v++) {
        if (!(set->value[v] >= 0.0f) || !isfinite(set->value[v]))
            negative = 1;
        else if (set->value[v] > amax)
            amax = set->value[v];
    }
    const bdc_nudge_coef c0 = bdc_nudge_coef_make(bdc_learning_rate(&e->cfg, 0),
                                                  e->cfg.q_input, e->cfg.decay);
    float f0 = c0.c1 * 0.0f;
    f0 = f0 - c0.c2;
    f0 = f0 + c0.d;
    e->amax = amax;
    e->prune = !negative && (float)e->cfg.init >= 0.0f && f0 >= 0.0f &&
               c0.c1 >= 0.0f && c0.c3 >= 0.0f && isfinite((float)e->cfg.init);
    e->eps = 4.0 * ((double)e->D + 4.0) * 0x1p-24;
}

/* Thread i runs on core i (modulo the cores there are); a refusal leaves
 * it unbound, which changes speed, never results. */
static void bind_thread(void)
{
    const unsigned cores = bdc_machine_cores(bdc_machine_get());
    bdc_machine_bind_thread((unsigned)omp_get_thread_num() % cores);
}

uint64_t bdc_engine_train(bdc_engine *e, const bdc_samples *set, uint64_t steps,
                          bdc_engine_progress *progress, void *ctx)
{
    if (!steps || !set->count)
        return 0;
    prepare_bound(e, set);
    uint64_t done = 0, correct = 0;
    const size_t T = e->opts.block;
    double mark = bdc_now(); /* shared: read and written in single sections */
#pragma omp parallel num_threads(e->opts.threads)
    {
        bind_thread();
#pragma omp single
        bdc_engine_plan_block(e, set, 0, steps < T ? (size_t)steps : T);
        while (e->nsamples) {
#pragma omp for schedule(dynamic, 1)
            for (size_t g = 0; g < e->groups; g++)
                bdc_engine_forward_group(e, g);
#pragma omp single
            {
                const double forward_end = bdc_now();
                e->stats.forward_seconds += forward_end - mark;
                for (size_t t = 0; t < e->nsamples; t++)
                    correct += (uint64_t)bdc_engine_step(e, t, done + t);
                done += e->nsamples;
                bdc_engine_end_block(e);
                if (progress)
                    progress(ctx, done, correct);
                const double step_end = bdc_now();
                e->stats.step_seconds += step_end - forward_end;
                const uint64_t left = steps - done;
                if (left)
                    bdc_engine_plan_block(e, set, done, left < T ? (size_t)left : T);
                else
                    e->nsamples = 0;
                mark = bdc_now();
                e->stats.plan_seconds += mark - step_end;
            }
        }
    }
    return correct;
}

uint64_t bdc_engine_test(bdc_engine *e, const bdc_samples *set)
{
    uint64_t correct = 0;
    const size_t T = e->opts.block;
#pragma omp parallel num_threads(e->opts.threads) reduction(+ : correct)
    {
        bind_thread();
        engine_scratch *sc = &e->scratch[omp_get_thread_num()];
        for (size_t first = 0; first < set->count; first += T) {
            const size_t n = set->count - first < T ? set->count - first : T;
#pragma omp single
            bdc_engine_plan_block(e, set, first, n);
#pragma omp for schedule(dynamic, 1)
            for (size_t g = 0; g < e->groups; g++)
                bdc_engine_forward_group(e, g);
#pragma omp single
            {
                /* The panels are current now. */
                e->npending = 0;
                for (size_t g = 0; g <= e->groups; g++)
                    e->group_pending[g] = 0;
            }
#pragma omp for schedule(static)
            for (size_t t = 0; t < n; t++)
                correct += bdc_engine_predict(e, t, sc) == e->label[t];
        }
    }
    return correct;
}

uint64_t bdc_engine_fingerprint(const bdc_engine *e)
{
    /* As the per-sample learners hash them: A (D x H, input-major), then
     * bidir's B (H x C) or entangled's L (C x H). */
    const size_t D = e->D, H = e->H, C = e->C;
    float *row = malloc((H > C ? H : C) * sizeof *row);
    if (!row)
        return 0;
    uint64_t h = BDC_FNV1A64_INIT;
    for (size_t i = 0; i < D; i++) {
        for (size_t j = 0; j < H; j++)
            row[j] = e->neurons[j * D + i];
        h = bdc_fnv1a64_floats(h, row, H);
    }
    if (e->output_grelu) {
        for (size_t j = 0; j < H; j++) {
            for (size_t c = 0; c < C; c++)
                row[c] = e->label_w[c * H + j];
            h = bdc_fnv1a64_floats(h, row, C);
        }
    } else {
        h = bdc_fnv1a64_floats(h, e->label_w, C * H);
    }
    free(row);
    return h;
}

size_t bdc_engine_parameter_count(const bdc_engine *e)
{
    return e->D * e->H + e->H * e->C;
}

bdc_engine_opts bdc_engine_options(const bdc_engine *e) { return e->opts; }

bdc_engine_stats bdc_engine_stats_of(const bdc_engine *e) { return e->stats; }
