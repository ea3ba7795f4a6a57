/* Numerical edge cases (docs/robustness.md): every setting `bdc train`
 * accepts, at the ends of its range, gives finite weights, activations and
 * scores, and the same bits in every kernel family.  The learners run here
 * in-process on a kernel table that checks each operation's output (every
 * weight a nudge writes finite, every GReLU output in [0, 1], every winner
 * in range), on a tiny set with a blank image, an all-white image (every
 * activation equal) and a one-pixel image among others.  One test case per
 * kernel family, named after it.  Then a few of the settings through
 * ./bdc itself.  The mlp baseline is run the same way (its SGD steps
 * checked finite too), though for it finiteness is measured, not proved
 * (docs/robustness.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../harness/binconv.h"
#include "../harness/curve.h"
#include "../harness/minibatch.h"
#include "../harness/model.h"
#include "../harness/progress.h"
#include "../harness/stability.h"
#include "../kernels/dispatch.h"
#include "helpers.h"
#include "run_program.h"
#include "suites.h"
#include "tiny_data.h"

/* --- a kernel table that checks every output ------------------------------ */

static const bdc_kernels *inner;
static float largest_weight; /* the largest |w| any nudge wrote */

static void checked_activate(const uint32_t *idx, const float *val, size_t nnz,
                             const float *w, size_t ldw, size_t n, float *out)
{
    inner->activate_sparse(idx, val, nnz, w, ldw, n, out);
    for (size_t j = 0; j < n; j++)
        if (!isfinite(out[j])) ck_abort_msg("activation %zu is %g", j, (double)out[j]);
}

static void checked_grelu(float *v, size_t n)
{
    inner->grelu(v, n);
    int one = 0;
    for (size_t j = 0; j < n; j++) {
        if (!(v[j] >= 0.0f && v[j] <= 1.0f))
            ck_abort_msg("GReLU output %zu is %g", j, (double)v[j]);
        one |= v[j] == 1.0f;
    }
    /* The largest becomes 1, unless all are zero (a blank input). */
    for (size_t j = 0; j < n && !one; j++)
        if (v[j] != 0.0f) ck_abort_msg("GReLU without a 1 but with %g", (double)v[j]);
    /* (Plain tests: Check's assertions cost a system call each.) */
}

static size_t checked_winner(const float *h, const float *e, size_t n, float alpha, float beta)
{
    const size_t k = inner->winner(h, e, n, alpha, beta);
    if (k >= n) ck_abort_msg("winner %zu of %zu", k, n);
    return k;
}

static void checked_nudge(float *w, const float *a, size_t n, const bdc_nudge_coef *c)
{
    inner->nudge(w, a, n, c);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(w[i])) ck_abort_msg("a nudge wrote %g", (double)w[i]);
        if (fabsf(w[i]) > largest_weight) largest_weight = fabsf(w[i]);
    }
}

static void checked_update(const uint32_t *idx, const float *val, size_t nnz, const float *g,
                           size_t ldg, size_t n, float c, float *w)
{
    inner->update_sparse(idx, val, nnz, g, ldg, n, c, w);
    for (size_t j = 0; j < n; j++) {
        if (!isfinite(w[j])) ck_abort_msg("an SGD step wrote %g", (double)w[j]);
        if (fabsf(w[j]) > largest_weight) largest_weight = fabsf(w[j]);
    }
}

static bdc_kernels checked;

static const bdc_kernels *checking(const bdc_kernels *k)
{
    inner = k;
    checked = *k; /* operations not listed here run unchecked */
    checked.activate_sparse = checked_activate;
    checked.grelu = checked_grelu;
    checked.winner = checked_winner;
    checked.nudge = checked_nudge;
    checked.update_sparse = checked_update;
    return &checked;
}

/* --- the settings ------------------------------------------------------------ */

/* A setting: the published one of `model`, with the fields given changed
 * (NAN / 0: unchanged). */
typedef struct edge {
    const char *name, *model;
    size_t hidden, train; /* train: training samples (0: all 12) */
    unsigned epochs;
    double lr, lr_horizon, decay, init, q_input, q_label, alpha, beta;
    size_t batch; /* mlp (0: unchanged) */
} edge;

#define KEEP NAN
/* name, model, hidden, train, epochs, lr, horizon, decay, init, q_in, q_lab, alpha, beta */
static const edge edges[] = {
    {"published_h1", "bidir", 1, 0, 3, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, 0},
    {"lr1_decay1", "bidir", 8, 0, 3, 1, 1e15, 1, KEEP, KEEP, KEEP, KEEP, KEEP, 0},
    {"lr_half_decay_min", "bidir", 8, 0, 3, 0.5000005, 1e15, 1e-6, KEEP, KEEP, KEEP, KEEP, KEEP, 0},
    {"lr_min_decay_min", "bidir", 8, 0, 3, 1e-12, KEEP, 1e-6, KEEP, KEEP, KEEP, KEEP, KEEP, 0},
    {"horizon_min", "bidir", 8, 0, 3, 1, 1e-6, 1, KEEP, KEEP, KEEP, KEEP, KEEP, 0},
    {"q0", "bidir", 8, 0, 3, 1, 1e15, 1, KEEP, 0, 0, KEEP, KEEP, 0},
    {"q2", "bidir", 8, 0, 3, 1, 1e15, 1, KEEP, 2, 2, KEEP, KEEP, 0},
    {"alpha_beta_0", "bidir", 8, 0, 3, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, 0, 0, 0},
    {"alpha_beta_max", "bidir", 8, 0, 3, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, 1e6, 1e6, 0},
    {"init0", "bidir", 8, 0, 3, KEEP, KEEP, KEEP, 0, KEEP, KEEP, KEEP, KEEP, 0},
    {"init_negative", "bidir", 8, 0, 3, 1, 1e15, 1, -1e6, KEEP, KEEP, KEEP, KEEP, 0},
    {"init_max", "bidir", 8, 0, 3, 0.5000005, 1e15, 1e-6, 1e6, 2, 0, KEEP, KEEP, 0},
    {"init_minus_zero", "bidir", 8, 0, 3, KEEP, KEEP, KEEP, -0.0, KEEP, KEEP, KEEP, KEEP, 0},
    {"one_sample", "bidir", 8, 1, 50, 1, 1e15, 1, KEEP, KEEP, KEEP, KEEP, KEEP, 0},
    {"published_h1", "entangled", 1, 0, 3, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, 0},
    {"lr1_decay1", "entangled", 8, 0, 3, 1, 1e15, 1, KEEP, KEEP, KEEP, KEEP, KEEP, 0},
    {"lr_half_decay_min", "entangled", 8, 0, 3, 0.5000005, 1e15, 1e-6, KEEP, 0, 2, KEEP, KEEP, 0},
    {"q2_q0", "entangled", 8, 0, 3, 1, 1e15, 1, KEEP, 2, 0, KEEP, KEEP, 0},
    {"alpha_beta_0", "entangled", 8, 0, 3, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, 0, 0, 0},
    {"init_negative", "entangled", 8, 0, 3, 1, 1e15, 1, -1e6, 0, 0, KEEP, KEEP, 0},
    {"init0", "entangled", 8, 0, 3, KEEP, KEEP, KEEP, 0, KEEP, KEEP, KEEP, KEEP, 0},
    {"one_sample", "entangled", 1, 1, 50, 1, 1e15, 1, KEEP, KEEP, KEEP, KEEP, KEEP, 0},
    {"published_h1", "binconv", 1, 0, 2, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, 0},
    {"lr1_decay1", "binconv", 8, 0, 2, 1, 1e15, 1, KEEP, 0, 2, KEEP, KEEP, 0},
    {"init_negative", "binconv", 8, 0, 2, 0.5000005, 1e15, 1e-6, -1e6, KEEP, KEEP, 0, 1e6, 0},
    /* mlp: its lr is the SGD step (1e-12 .. 1), and batch 1 .. 65536. */
    {"published_h1", "mlp", 1, 0, 3, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, 0},
    {"lr1_batch1", "mlp", 16, 0, 30, 1, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, 1},
    {"lr1_batch_max", "mlp", 16, 0, 30, 1, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, 65536},
    {"lr_min", "mlp", 16, 0, 3, 1e-12, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, 1},
    {"one_sample", "mlp", 8, 1, 200, 1, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, 1},
};
enum { N_EDGES = sizeof edges / sizeof edges[0], N_SAMPLES = 12 };

static void configure(const edge *e, bdc_config *cfg)
{
    ck_assert_int_eq(bdc_config_defaults(e->model, cfg), 0);
    cfg->hidden = e->hidden;
    cfg->epochs = e->epochs;
#define SET(field) if (!isnan(e->field)) cfg->field = e->field
    SET(lr); SET(lr_horizon); SET(decay); SET(init); SET(q_input); SET(q_label);
    SET(alpha); SET(beta);
#undef SET
    if (e->batch) cfg->batch = e->batch;
}

/* The tiny set as the learners see it: 28x28 pixels, or binconv features. */
static void tiny_set(size_t first, size_t count, int binconv, bdc_samples *out)
{
    uint8_t *levels = malloc(count * BDC_TINY_PIXELS), *labels = malloc(count);
    ck_assert_ptr_nonnull(levels);
    ck_assert_ptr_nonnull(labels);
    for (size_t i = 0; i < count; i++)
        bdc_tiny_image(first + i, levels + i * BDC_TINY_PIXELS, &labels[i]);
    bdc_samples images;
    ck_assert_int_eq(bdc_samples_from_levels(&images, levels, labels, count, BDC_TINY_PIXELS), 0);
    images.rows = images.cols = BDC_TINY_SIDE;
    for (int k = 0; k < 256; k++) images.value[k] = (float)k / 255.0f;
    free(levels);
    free(labels);
    if (!binconv) {
        *out = images;
        return;
    }
    char err[256];
    ck_assert_msg(bdc_binconv_features(&images, out, err, sizeof err) == 0, "%s", err);
    bdc_samples_free(&images);
}

/* Trains and tests one setting with one family's kernels (checked);
 * returns the weights' fingerprint. */
static uint64_t run_edge(const edge *e, const bdc_kernels *k)
{
    bdc_config cfg;
    configure(e, &cfg);
    char err[512];
    ck_assert_msg(bdc_check_stability(&cfg, err, sizeof err) == 0,
                  "%s/%s is refused by bdc train: %s", e->model, e->name, err);
    const int binconv = strcmp(e->model, "binconv") == 0;
    bdc_samples train, test;
    tiny_set(0, e->train ? e->train : N_SAMPLES, binconv, &train);
    tiny_set(1000, N_SAMPLES, binconv, &test);
    const bdc_model_ops *ops = bdc_model_ops_for(cfg.model);
    bdc_model *m = ops->create(&cfg, train.dim, checking(k));
    ck_assert_ptr_nonnull(m);
    bdc_sample_buf buf;
    ck_assert_int_eq(bdc_sample_buf_init(&buf, train.dim), 0);
    if (ops->train_batch) { /* mlp: the harness's own minibatch loop */
        bdc_progress progress;
        bdc_progress_begin(&progress, 0);
        progress.enabled = 0;
        bdc_curve curve;
        bdc_curve_begin(&curve, 0, ops, m, &test, &buf);
        uint64_t correct = 0;
        ck_assert_int_eq(bdc_train_minibatches(ops, m, &cfg, &train, &progress, &curve,
                                               &correct), 0);
        bdc_curve_free(&curve);
    }
    uint64_t n = 0;
    for (unsigned epoch = 0; epoch < cfg.epochs && !ops->train_batch; epoch++)
        for (size_t i = 0; i < train.count; i++, n++) {
            const bdc_sample s = bdc_samples_get(&train, i, &buf);
            const int p = ops->train_step(m, &s, n);
            if (p < 0 || p >= BDC_CLASSES) ck_abort_msg("predicted class %d", p);
        }
    for (size_t i = 0; i < test.count; i++) {
        const bdc_sample s = bdc_samples_get(&test, i, &buf);
        const int p = ops->predict(m, &s);
        ck_assert_int_ge(p, 0);
        ck_assert_int_lt(p, BDC_CLASSES);
    }
    const uint64_t fp = ops->fingerprint(m);
    ops->destroy(m);
    bdc_sample_buf_free(&buf);
    bdc_samples_free(&train);
    bdc_samples_free(&test);
    return fp;
}

/* Every setting with one family: finite throughout, the same weights as
 * scalar. */
START_TEST(edges_are_finite_and_exact)
{
    const bdc_family *f = bdc_family_at((size_t)_i);
    if (bdc_family_status_of(f) == BDC_UNAVAILABLE)
        return; /* this CPU cannot run it; `bdc info` says so */
    const bdc_family *scalar = bdc_family_by_name("scalar");
    ck_assert_ptr_nonnull(scalar);
    for (size_t i = 0; i < N_EDGES; i++) {
        largest_weight = 0;
        const uint64_t want = run_edge(&edges[i], scalar->kernels);
        const uint64_t got = run_edge(&edges[i], f->kernels);
        ck_assert_msg(got == want, "%s/%s: %s weights %016llx, scalar %016llx",
                      edges[i].model, edges[i].name, f->name, (unsigned long long)got,
                      (unsigned long long)want);
        /* The bound of docs/robustness.md: |w| <= max(|init|, 2^26), and
         * |init| <= 1e6 < 2^26. */
        ck_assert_msg(largest_weight <= 67108864.0f,
                      "%s/%s: a weight reached %g", edges[i].model, edges[i].name,
                      (double)largest_weight);
    }
}
END_TEST

/* --- the bound itself ---------------------------------------------------------- */

/* For (lr, decay) pairs at and around the edge of what bdc train accepts:
 * accepted ones keep a weight bounded under the most hostile inputs (an
 * input that stays 0, one that alternates 0 and 1, one at 1), refused
 * ones are exactly those whose factor for a 0 input is below -1. */
START_TEST(stability_rule_is_the_bound)
{
    const bdc_kernels *k = bdc_family_by_name("scalar")->kernels;
    const double lrs[] = {1e-12, 0.01, 0.49, 0.5, 0.5000005, 0.5000006, 0.75, 0.99, 1};
    const double decays[] = {1e-6, 0.5, 0.98, 1};
    const double qs[] = {0, 1, 2};
    for (size_t a = 0; a < sizeof lrs / sizeof *lrs; a++)
        for (size_t b = 0; b < sizeof decays / sizeof *decays; b++) {
            bdc_config cfg;
            ck_assert_int_eq(bdc_config_defaults("bidir", &cfg), 0);
            cfg.lr = lrs[a];
            cfg.decay = decays[b];
            cfg.lr_horizon = 1e15; /* lr stays at its start */
            char err[512];
            const int accepted = bdc_check_stability(&cfg, err, sizeof err) == 0;
            const bdc_nudge_coef c = bdc_nudge_coef_make(cfg.lr, 1, cfg.decay);
            ck_assert_int_eq(accepted, c.d - c.c2 >= -1.0f);
            if (!accepted) {
                ck_assert_ptr_nonnull(strstr(err, "--lr: "));
                ck_assert_ptr_nonnull(strstr(err, "--decay "));
                continue;
            }
            for (size_t q = 0; q < sizeof qs / sizeof *qs; q++) {
                const bdc_nudge_coef cq = bdc_nudge_coef_make(cfg.lr, qs[q], cfg.decay);
                float w[3] = {-1e6f, 1e6f, 0.9f}, in[3];
                for (int step = 0; step < 20000; step++) {
                    in[0] = 0.0f;
                    in[1] = (float)(step & 1);
                    in[2] = 1.0f;
                    k->nudge(w, in, 3, &cq);
                    for (int i = 0; i < 3; i++)
                        if (!(isfinite(w[i]) && fabsf(w[i]) <= 67108864.0f))
                            ck_abort_msg("lr %g decay %g q %g: w %g", cfg.lr, cfg.decay,
                                         qs[q], (double)w[i]);
                }
            }
        }
}
END_TEST

/* --- through the program ------------------------------------------------------- */

/* The extreme flags on the command line: accepted, and the same weights in
 * every family. */
START_TEST(extreme_flags_through_bdc)
{
    static const char *const flags[][16] = {
        {"--model", "bidir", "--lr", "1", "--decay", "1", "--lr-horizon", "1e15", "--hidden",
         "1", "--train-limit", "1", "--epochs", "20", NULL},
        {"--model", "entangled", "--lr", "0.5000005", "--decay", "1e-6", "--q-input", "0",
         "--q-label", "2", "--alpha", "0", "--beta", "0", NULL},
        {"--model", "binconv", "--init", "-1e6", "--lr", "1e-12", "--lr-horizon", "1e-6",
         "--alpha", "1e6", "--hidden", "3", NULL},
        {"--model", "mlp", "--lr", "1", "--batch", "1", "--seed", "18446744073709551615",
         "--hidden", "1", "--epochs", "20", NULL},
    };
    char root[512];
    bdc_test_tmpdir(root, sizeof root);
    bdc_tiny_dataset(root, 12, 12);
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        char want[64] = "";
        for (size_t fam = 0; fam < bdc_family_count(); fam++) {
            const bdc_family *f = bdc_family_at(fam);
            if (bdc_family_status_of(f) == BDC_UNAVAILABLE)
                continue;
            const char *args[32] = {"train"};
            size_t n = 1;
            for (size_t k = 0; flags[i][k]; k++) args[n++] = flags[i][k];
            const char *tail[] = {"--data-dir", root, "--kernel", f->name, "--json", NULL};
            for (size_t k = 0; k < 6; k++) args[n++] = tail[k];
            bdc_run r;
            bdc_run_program(&r, args);
            ck_assert_msg(r.status == 0, "%s %s: %s", flags[i][1], f->name, r.err);
            const char *fp = bdc_json_field(r.out, "weights_fnv1a64");
            ck_assert_ptr_nonnull(fp);
            if (!want[0])
                snprintf(want, sizeof want, "%s", fp);
            ck_assert_msg(strcmp(fp, want) == 0, "%s: %s gives %s, %s", flags[i][1], f->name,
                          fp, want);
            bdc_run_free(&r);
        }
    }
    bdc_test_remove_tree(root);
}
END_TEST

Suite *bdc_suite_edges(void)
{
    Suite *s = suite_create("edges");
    static char names[16][32]; /* Check keeps the pointer to a name */
    for (size_t i = 0; i < bdc_family_count() && i < 16; i++) {
        snprintf(names[i], sizeof names[i], "edges_%s", bdc_family_at(i)->name);
        TCase *tc = tcase_create(names[i]);
        tcase_set_timeout(tc, 120);
        tcase_add_loop_test(tc, edges_are_finite_and_exact, (int)i, (int)i + 1);
        suite_add_tcase(s, tc);
    }
    TCase *rule = tcase_create("stability");
    tcase_set_timeout(rule, 60);
    tcase_add_test(rule, stability_rule_is_the_bound);
    tcase_add_test(rule, extreme_flags_through_bdc);
    suite_add_tcase(s, rule);
    return s;
}
