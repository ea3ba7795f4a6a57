/* The blocked engine against the per-sample learners: after training on
 * the same samples, the weights' fingerprint, the running training
 * accuracy and the test accuracy must be equal, for every model, kernel
 * family, block size, tile and thread count.  The reference is always the
 * per-sample path on the scalar family.  One test case per family, named
 * by it, so that a failure says which ISA broke; a family this CPU cannot
 * run is skipped with a message.
 *
 * The data are small and synthetic (28x28 images made of class-specific
 * strokes plus noise, so that learning happens and the winners vary), so
 * that the suite is quick under the sanitizers. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/binconv.h"
#include "../harness/dataset.h"
#include "../harness/engine.h"
#include "../harness/engine_internal.h"
#include "../harness/model.h"
#include "../kernels/dispatch.h"
#include "../kernels/families.h"
#include "run_program.h"
#include "suites.h"

#define SIDE 28
#define TRAIN 240
#define TEST 60

/* SplitMix64: small, fixed, the same everywhere. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* count images: each class draws three strokes of its own, each sample
 * shifts them by up to a pixel and adds a few stray pixels. */
static void make_images(bdc_samples *set, size_t count, uint64_t seed)
{
    uint8_t *levels = calloc(count * SIDE * SIDE, 1);
    uint8_t *labels = malloc(count);
    ck_assert_ptr_nonnull(levels);
    ck_assert_ptr_nonnull(labels);
    uint64_t s = seed;
    for (size_t n = 0; n < count; n++) {
        const int c = (int)(next(&s) % BDC_CLASSES);
        labels[n] = (uint8_t)c;
        uint8_t *img = levels + n * SIDE * SIDE;
        const int dx = (int)(next(&s) % 3) - 1, dy = (int)(next(&s) % 3) - 1;
        uint64_t cs = 1000 + (uint64_t)c; /* the class's strokes */
        for (int k = 0; k < 3; k++) {
            int x = 6 + (int)(next(&cs) % 16), y = 6 + (int)(next(&cs) % 16);
            const int sx = (int)(next(&cs) % 3) - 1, sy = (int)(next(&cs) % 3) - 1;
            for (int step = 0; step < 9; step++, x += sx, y += sy) {
                const int px = x + dx, py = y + dy;
                if (px >= 0 && px < SIDE && py >= 0 && py < SIDE)
                    img[py * SIDE + px] = (uint8_t)(128 + next(&s) % 128);
            }
        }
        for (int k = 0; k < 6; k++)
            img[next(&s) % (SIDE * SIDE)] = (uint8_t)(1 + next(&s) % 255);
    }
    ck_assert_int_eq(bdc_samples_from_levels(set, levels, labels, count, SIDE * SIDE), 0);
    set->rows = set->cols = SIDE;
    for (int k = 0; k < 256; k++) /* as the IDX loader maps pixels */
        set->value[k] = (float)k / 255.0f;
    free(levels);
    free(labels);
}

static void make_data(bdc_dataset *d, const char *model)
{
    make_images(&d->train, TRAIN, 42);
    make_images(&d->test, TEST, 4242);
    if (strcmp(model, "binconv") == 0) {
        char err[256];
        bdc_samples f;
        ck_assert_int_eq(bdc_binconv_features(&d->train, &f, err, sizeof err), 0);
        bdc_samples_free(&d->train);
        d->train = f;
        ck_assert_int_eq(bdc_binconv_features(&d->test, &f, err, sizeof err), 0);
        bdc_samples_free(&d->test);
        d->test = f;
    }
}

typedef struct outcome {
    uint64_t fingerprint, train_correct, test_correct;
    bdc_cost train, infer;
    bdc_engine_stats stats;
} outcome;

/* The reference: the per-sample learner on the scalar family. */
static outcome per_sample(const bdc_config *cfg, const bdc_dataset *d)
{
    outcome o = {0};
    const bdc_model_ops *ops = bdc_model_ops_for(cfg->model);
    bdc_model *m = ops->create(cfg, d->train.dim, bdc_family_scalar.kernels);
    bdc_sample_buf buf;
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(bdc_sample_buf_init(&buf, d->train.dim), 0);
    uint64_t n = 0;
    for (unsigned e = 0; e < cfg->epochs; e++)
        for (size_t i = 0; i < d->train.count; i++, n++) {
            const bdc_sample s = bdc_samples_get(&d->train, i, &buf);
            o.train_correct += ops->train_step(m, &s, n) == s.label;
        }
    for (size_t i = 0; i < d->test.count; i++) {
        const bdc_sample s = bdc_samples_get(&d->test, i, &buf);
        o.test_correct += ops->predict(m, &s) == s.label;
    }
    o.fingerprint = ops->fingerprint(m);
    ops->cost(m, &o.train, &o.infer);
    bdc_sample_buf_free(&buf);
    ops->destroy(m);
    return o;
}

/* The blocked engine; with `split`, training stops after that many steps
 * for a test (as a learning curve's point does) and then goes on. */
static outcome blocked(const bdc_config *cfg, const bdc_dataset *d, const bdc_family *f,
                       bdc_engine_opts opts, uint64_t split)
{
    outcome o = {0};
    char err[256] = "";
    bdc_engine *e = bdc_engine_create(cfg, d->train.dim, f, &opts, err, sizeof err);
    ck_assert_msg(e != NULL, "%s", err);
    const uint64_t steps = (uint64_t)cfg->epochs * d->train.count;
    if (split) {
        o.train_correct = bdc_engine_train(e, &d->train, 0, split);
        bdc_engine_test(e, &d->test);
    }
    o.train_correct += bdc_engine_train(e, &d->train, split, steps - split);
    o.stats = bdc_engine_stats_of(e);
    const bdc_model_ops *ops = &bdc_engine_ops;
    bdc_model *m = bdc_engine_model(e);
    bdc_cost train_before, infer_before;
    ops->cost(m, &train_before, &infer_before);
    o.test_correct = ops->evaluate(m, &d->test);
    o.fingerprint = ops->fingerprint(m);
    ops->cost(m, &o.train, &o.infer);
    o.infer = bdc_cost_sub(&o.infer, &infer_before);
    ops->destroy(m);
    return o;
}

/* The engine's costs are the per-sample learner's plus `extra` executed
 * multiply-adds (each reading one weight); the memory each holds differs
 * by design. */
static int same_cost(const bdc_cost *a, const bdc_cost *b, uint64_t extra)
{
    return a->samples == b->samples && a->dense_macs == b->dense_macs &&
           a->macs == b->macs + extra && a->elementwise_flops == b->elementwise_flops &&
           a->weight_bytes_read == b->weight_bytes_read + extra * sizeof(float) &&
           a->weight_bytes_written == b->weight_bytes_written;
}

/* The multiply-adds of the panels' padding lanes over `passes` passes
 * over set. */
static uint64_t padding_macs(const bdc_config *cfg, const bdc_samples *set, uint64_t passes)
{
    const uint64_t H = cfg->hidden, Hp = (H + BDC_ENGINE_LANES - 1) / BDC_ENGINE_LANES * BDC_ENGINE_LANES;
    return passes * (uint64_t)set->start[set->count] * (Hp - H);
}

static const bdc_family *family_or_skip(int i)
{
    const bdc_family *f = bdc_family_at((size_t)i);
    ck_assert_ptr_nonnull(f);
    if (bdc_family_status_of(f) == BDC_UNAVAILABLE) {
        printf("engine: %s test skipped: this CPU cannot run it\n", f->name);
        fflush(stdout);
        return NULL;
    }
    ck_assert_msg(f->engine != NULL, "%s has no engine kernels", f->name);
    return f;
}

/* Every block size, tile and thread count against the reference; returns
 * the counters summed over the runs. */
static bdc_engine_stats check_all(const bdc_family *f, const bdc_config *cfg)
{
    static const size_t blocks[] = {1, 5, 32, 64};
    static const size_t tiles[] = {0, 9};
    bdc_dataset d;
    make_data(&d, cfg->model);
    const outcome ref = per_sample(cfg, &d);
    bdc_engine_stats sum = {0};
    const uint64_t split = (uint64_t)cfg->epochs * d.train.count / 3 + 1;
    for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++)
        for (size_t t = 0; t < sizeof tiles / sizeof tiles[0]; t++)
            for (unsigned threads = 1; threads <= 2; threads++) {
                const bdc_engine_opts opts = {threads, blocks[b], tiles[t]};
                /* one run in two calls, with a test between them */
                const uint64_t at = b == 2 && t == 0 ? split : 0;
                const outcome got = blocked(cfg, &d, f, opts, at);
                ck_assert_msg(got.fingerprint == ref.fingerprint &&
                                  got.train_correct == ref.train_correct &&
                                  got.test_correct == ref.test_correct,
                              "%s %s H=%zu, block %zu, tile %zu, %u threads, split at %llu: "
                              "weights %016llx, %llu train / %llu test right; per-sample "
                              "scalar: %016llx, %llu / %llu",
                              f->name, cfg->model, cfg->hidden, blocks[b], tiles[t], threads,
                              (unsigned long long)at,
                              (unsigned long long)got.fingerprint,
                              (unsigned long long)got.train_correct,
                              (unsigned long long)got.test_correct,
                              (unsigned long long)ref.fingerprint,
                              (unsigned long long)ref.train_correct,
                              (unsigned long long)ref.test_correct);
                const uint64_t extra = got.stats.recompute_macs +
                                       padding_macs(cfg, &d.train, cfg->epochs);
                ck_assert_msg(same_cost(&got.train, &ref.train, extra) &&
                                  same_cost(&got.infer, &ref.infer, padding_macs(cfg, &d.test, 1)),
                              "%s %s: the blocked engine counts other costs than the per-sample "
                              "learner (training %llu MACs, %llu FLOPs; per-sample %llu, %llu)",
                              f->name, cfg->model, (unsigned long long)got.train.macs,
                              (unsigned long long)got.train.elementwise_flops,
                              (unsigned long long)ref.train.macs,
                              (unsigned long long)ref.train.elementwise_flops);
                sum.recomputed += got.stats.recomputed;
                sum.pruned += got.stats.pruned;
            }
    bdc_dataset_free(&d);
    return sum;
}

static bdc_config config(const char *model, size_t hidden, unsigned epochs)
{
    bdc_config c;
    ck_assert_int_eq(bdc_config_defaults(model, &c), 0);
    c.hidden = hidden;
    c.epochs = epochs;
    return c;
}

/* H = 109: two panels (64 and 48 wide, the last lanes padding); every H
 * here leaves 9 to 15 neurons after the last whole pair of vectors. */
START_TEST(bidir_matches)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f)
        return;
    const bdc_config c = config("bidir", 109, 2);
    const bdc_engine_stats s = check_all(f, &c);
    /* Both ways of settling a nudged neuron's sum were exercised. */
    ck_assert_uint_gt(s.pruned, 0);
    ck_assert_uint_gt(s.recomputed, 0);
}
END_TEST

START_TEST(entangled_matches)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f)
        return;
    const bdc_config c = config("entangled", 43, 2);
    check_all(f, &c);
}
END_TEST

START_TEST(binconv_matches)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f)
        return;
    const bdc_config c = config("binconv", 93, 1);
    check_all(f, &c);
}
END_TEST

/* Negative weights void the bound: every nudged neuron is recomputed. */
START_TEST(negative_weights_match)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f)
        return;
    bdc_config c = config("bidir", 45, 2);
    c.init = -0.25;
    const bdc_engine_stats s = check_all(f, &c);
    ck_assert_uint_eq(s.pruned, 0);
    ck_assert_uint_gt(s.recomputed, 0);
}
END_TEST

/* The ablations: input only and label only. */
START_TEST(ablations_match)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f)
        return;
    bdc_config c = config("bidir", 75, 1);
    c.beta = 0.0;
    check_all(f, &c);
    c = config("entangled", 57, 1);
    c.alpha = 0.0;
    check_all(f, &c);
}
END_TEST

/* The engine through the per-sample calls of the model interface (each a
 * block of one), as a generic caller would drive it. */
START_TEST(one_at_a_time_matches)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f)
        return;
    const bdc_config c = config("bidir", 29, 1);
    bdc_dataset d;
    make_data(&d, c.model);
    const outcome ref = per_sample(&c, &d);
    const bdc_model_ops *ops = &bdc_engine_ops;
    bdc_model *m = ops->create(&c, d.train.dim, f->kernels);
    bdc_sample_buf buf;
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(bdc_sample_buf_init(&buf, d.train.dim), 0);
    uint64_t train_correct = 0, test_correct = 0;
    for (size_t i = 0; i < d.train.count; i++) {
        const bdc_sample s = bdc_samples_get(&d.train, i, &buf);
        train_correct += ops->train_step(m, &s, i) == s.label;
    }
    for (size_t i = 0; i < d.test.count; i++) {
        const bdc_sample s = bdc_samples_get(&d.test, i, &buf);
        test_correct += ops->predict(m, &s) == s.label;
    }
    bdc_cost train, infer;
    ops->cost(m, &train, &infer);
    ck_assert_msg(ops->fingerprint(m) == ref.fingerprint && train_correct == ref.train_correct &&
                      test_correct == ref.test_correct,
                  "%s: one sample at a time through the model interface: weights %016llx, "
                  "%llu / %llu right; per-sample scalar %016llx, %llu / %llu",
                  f->name, (unsigned long long)ops->fingerprint(m),
                  (unsigned long long)train_correct, (unsigned long long)test_correct,
                  (unsigned long long)ref.fingerprint, (unsigned long long)ref.train_correct,
                  (unsigned long long)ref.test_correct);
    const bdc_engine_stats st = bdc_engine_stats_of((bdc_engine *)m);
    ck_assert(same_cost(&train, &ref.train, st.recompute_macs + padding_macs(&c, &d.train, 1)) &&
              same_cost(&infer, &ref.infer, padding_macs(&c, &d.test, 1)));
    bdc_sample_buf_free(&buf);
    ops->destroy(m);
    bdc_dataset_free(&d);
}
END_TEST

/* ---- the bound (engine_bound.c) -------------------------------------- */

static float uniform(uint64_t *s) { return (float)(next(s) >> 40) * 0x1p-24f; }

/* A non-negative weight from a mixed bag: ordinary, tiny, subnormal, zero,
 * large. */
static float weight(uint64_t *s)
{
    const float u = uniform(s);
    switch (next(s) % 8) {
    case 0: return 0.0f;
    case 1: return u * 0x1p-130f; /* subnormal */
    case 2: return u * 1e-20f;
    case 3: return u * 1e4f;
    default: return u;
    }
}

/* The float sum of the products over x's non-zero inputs, ascending. */
static float sum_of(const float *x, const float *w, size_t D)
{
    float s = 0.0f;
    for (size_t i = 0; i < D; i++)
        if (x[i] != 0.0f)
            s = s + x[i] * w[i];
    return s;
}

static double norm_of(const float *x, size_t D)
{
    double s = 0.0;
    for (size_t i = 0; i < D; i++)
        s += (double)x[i] * (double)x[i];
    return sqrt(s);
}

/* For random weights, samples and 1 to 3 nudges (coefficients anywhere
 * the engine allows the bound), the sum after the nudges never exceeds
 * the bound computed from the sum before them. */
START_TEST(bound_is_sound)
{
    static const size_t dims[] = {1, 7, 64, 784, 4433};
    uint64_t rng = 7;
    for (int trial = 0; trial < 400; trial++) {
        const size_t D = dims[trial % 5];
        const double eps = bdc_engine_bound_eps(D);
        float *w = malloc(D * sizeof *w), *x = calloc(D, sizeof *x);
        float *a = calloc(D, sizeof *a);
        ck_assert_ptr_nonnull(w);
        ck_assert_ptr_nonnull(x);
        ck_assert_ptr_nonnull(a);
        const float amax = trial % 3 ? 1.0f : 0.75f;
        const double density = (double)(next(&rng) % 100 + 1) / 100.0;
        /* Every third trial is as tight as the bound gets: the nudges move
         * toward x itself, all of whose inputs are amax (Cauchy-Schwarz
         * and f(amax) are then exact), so only rounding separates the sum
         * from the bound. */
        const int tight = trial % 3 == 0;
        for (size_t i = 0; i < D; i++) {
            w[i] = weight(&rng);
            if (uniform(&rng) < density)
                x[i] = tight ? amax : amax * (float)(next(&rng) % 255 + 1) / 255.0f;
        }
        const float before = sum_of(x, w, D);
        const double norm = norm_of(x, D);
        engine_bound bound = {1.0, 0.0, 0.0};
        const int nudges = 1 + (int)(next(&rng) % 3);
        for (int k = 0; k < nudges; k++) {
            for (size_t i = 0; i < D; i++)
                a[i] = tight ? x[i]
                             : uniform(&rng) < density ? amax * (float)(next(&rng) % 256) / 255.0f
                                                       : 0.0f;
            /* lr up to 0.5, q in [0, 2], decay at least 2 lr (so that f >= 0) */
            const double lr = 0.5 * (double)uniform(&rng) + 1e-6;
            const double q = 2.0 * (double)uniform(&rng);
            const double decay = 2.0 * lr + (1.0 - 2.0 * lr) * (double)uniform(&rng);
            const bdc_nudge_coef c = bdc_nudge_coef_make(lr, q, decay > 1.0 ? 1.0 : decay);
            if (!((c.d - c.c2) >= 0.0f))
                continue;
            bdc_family_scalar.kernels->nudge(w, a, D, &c);
            const engine_bound n = bdc_engine_bound_of(&c, amax, norm_of(a, D), D, eps);
            bdc_engine_bound_then(&bound, &n);
        }
        const float after = sum_of(x, w, D);
        const double limit = bdc_engine_bound(&bound, (double)before, norm);
        ck_assert_msg(isfinite(limit) && (double)after <= limit,
                      "trial %d (D=%zu, %d nudges): sum %a after, bound %a (before %a)", trial,
                      D, nudges, (double)after, limit, (double)before);
        free(w);
        free(x);
        free(a);
    }
}
END_TEST

/* ---- bdc train's engine flags -------------------------------------- */

/* The flags bad values name: a one-line error, exit 2. */
START_TEST(bad_engine_flags_are_refused)
{
    static const struct {
        const char *args[8];
        const char *says;
    } cases[] = {
        {{"train", "--model", "bidir", "--engine", "fast", NULL}, "--engine: unknown engine 'fast'"},
        {{"train", "--model", "bidir", "--threads", "0", NULL}, "--threads"},
        {{"train", "--model", "bidir", "--block", "0", NULL}, "--block"},
        {{"train", "--model", "bidir", "--tile", "x", NULL}, "--tile"},
        {{"train", "--model", "bidir", "--engine", "sample", "--threads", "2", NULL},
         "--threads: the sample engine runs one sample at a time"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bdc_run r;
        bdc_run_program(&r, cases[i].args);
        ck_assert_msg(r.status == 2 && strstr(r.err, cases[i].says) &&
                          bdc_count_lines(r.err) == 1,
                      "case %zu: status %d, stderr: %s", i, r.status, r.err);
        bdc_run_free(&r);
    }
}
END_TEST

/* Both engines on a slice of MNIST through ./bdc: the same weights, and
 * the JSON says which engine ran on how many threads. */
START_TEST(engines_agree_through_bdc)
{
    static const char *const sample[] = {"train", "--model", "bidir", "--hidden", "77",
                                         "--train-limit", "300", "--test-limit", "100",
                                         "--engine", "sample", "--json", NULL};
    static const char *const blocked[] = {"train", "--model", "bidir", "--hidden", "77",
                                          "--train-limit", "300", "--test-limit", "100",
                                          "--threads", "2", "--block", "16", "--json", NULL};
    bdc_run a, b;
    bdc_run_program(&a, sample);
    bdc_run_program(&b, blocked);
    ck_assert_msg(a.status == 0 && b.status == 0, "%s%s", a.err, b.err);
    char fa[64], fb[64];
    snprintf(fa, sizeof fa, "%s", bdc_json_field(a.out, "weights_fnv1a64"));
    snprintf(fb, sizeof fb, "%s", bdc_json_field(b.out, "weights_fnv1a64"));
    ck_assert_str_eq(fa, fb);
    ck_assert_str_eq(bdc_json_field(a.out, "engine"), "\"sample\"");
    ck_assert_str_eq(bdc_json_field(a.out, "threads"), "1");
    ck_assert_str_eq(bdc_json_field(b.out, "engine"), "\"blocked\"");
    ck_assert_str_eq(bdc_json_field(b.out, "threads"), "2");
    ck_assert_str_eq(bdc_json_field(b.out, "block"), "16");
    bdc_run_free(&a);
    bdc_run_free(&b);
}
END_TEST

Suite *bdc_suite_engine(void)
{
    Suite *s = suite_create("engine");
    for (size_t i = 0; i < bdc_family_count(); i++) {
        TCase *tc = tcase_create(bdc_family_at(i)->name);
        tcase_set_timeout(tc, 300);
        const int at = (int)i;
        tcase_add_loop_test(tc, bidir_matches, at, at + 1);
        tcase_add_loop_test(tc, entangled_matches, at, at + 1);
        tcase_add_loop_test(tc, binconv_matches, at, at + 1);
        tcase_add_loop_test(tc, negative_weights_match, at, at + 1);
        tcase_add_loop_test(tc, ablations_match, at, at + 1);
        tcase_add_loop_test(tc, one_at_a_time_matches, at, at + 1);
        suite_add_tcase(s, tc);
    }
    TCase *tc = tcase_create("bound");
    tcase_add_test(tc, bound_is_sound);
    suite_add_tcase(s, tc);
    tc = tcase_create("bdc");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, bad_engine_flags_are_refused);
    tcase_add_test(tc, engines_agree_through_bdc);
    suite_add_tcase(s, tc);
    return s;
}
