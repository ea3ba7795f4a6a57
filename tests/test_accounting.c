/* The accounting: every model's analytic cost (bdc_cost, docs/methodology.md)
 * must equal what the counting kernels saw it execute, exactly, on a small
 * run of real MNIST, for training and inference separately; and binconv's
 * feature extraction must cost what bdc_binconv_cost says. */
#include <stdio.h>
#include <string.h>

#include "../harness/binconv.h"
#include "../harness/curve.h"
#include "../harness/dataset.h"
#include "../harness/model.h"
#include "../kernels/families.h"
#include "counting_kernels.h"
#include "suites.h"

enum { TRAIN = 300, TEST = 100, HIDDEN = 48, EPOCHS = 2 };

static bdc_dataset mnist;

static void load_mnist(void)
{
    char err[512];
    const char *dir = bdc_dataset_default_dir("mnist");
    if (bdc_dataset_load(dir, &mnist, err, sizeof err)) {
        fprintf(stderr, "test_accounting: %s\n", err);
        return;
    }
    bdc_samples_truncate(&mnist.train, TRAIN);
    bdc_samples_truncate(&mnist.test, TEST);
}

static void free_mnist(void) { bdc_dataset_free(&mnist); }

/* What one small run did: the model's own account and the counts. */
typedef struct run {
    bdc_cost train, infer;
    bdc_op_count counted_train, counted_infer;
    uint64_t fingerprint, correct;
} run;

static void train_and_test(const char *model, const bdc_samples *train,
                           const bdc_samples *test, const bdc_kernels *k, run *out)
{
    bdc_config cfg;
    ck_assert_int_eq(bdc_config_defaults(model, &cfg), 0);
    cfg.hidden = HIDDEN;
    cfg.epochs = EPOCHS;
    const bdc_model_ops *ops = bdc_model_ops_for(model);
    bdc_model *m = ops->create(&cfg, train->dim, k);
    ck_assert_ptr_nonnull(m);
    bdc_sample_buf buf;
    ck_assert_int_eq(bdc_sample_buf_init(&buf, train->dim), 0);

    memset(&bdc_counted, 0, sizeof bdc_counted);
    uint64_t n = 0;
    for (unsigned e = 0; e < cfg.epochs; e++)
        for (size_t i = 0; i < train->count; i++, n++) {
            const bdc_sample s = bdc_samples_get(train, i, &buf);
            ops->train_step(m, &s, n);
        }
    out->counted_train = bdc_counted;
    memset(&bdc_counted, 0, sizeof bdc_counted);
    out->correct = bdc_evaluate(ops, m, test, &buf);
    out->counted_infer = bdc_counted;
    ops->cost(m, &out->train, &out->infer);
    out->fingerprint = ops->fingerprint(m);
    bdc_sample_buf_free(&buf);
    ops->destroy(m);
}

static void assert_equal(const char *what, const bdc_cost *c, const bdc_op_count *k,
                         uint64_t samples)
{
    ck_assert_msg(c->samples == samples, "%s: %llu samples counted, %llu run", what,
                  (unsigned long long)c->samples, (unsigned long long)samples);
    ck_assert_msg(c->macs == k->macs, "%s: %llu MACs counted analytically, %llu executed",
                  what, (unsigned long long)c->macs, (unsigned long long)k->macs);
    ck_assert_msg(c->elementwise_flops == k->flops,
                  "%s: %llu element-wise FLOPs analytically, %llu executed", what,
                  (unsigned long long)c->elementwise_flops, (unsigned long long)k->flops);
    ck_assert_msg(c->weight_bytes_read == k->weight_bytes_read,
                  "%s: %llu weight bytes read analytically, %llu executed", what,
                  (unsigned long long)c->weight_bytes_read,
                  (unsigned long long)k->weight_bytes_read);
    ck_assert_msg(c->weight_bytes_written == k->weight_bytes_written,
                  "%s: %llu weight bytes written analytically, %llu executed", what,
                  (unsigned long long)c->weight_bytes_written,
                  (unsigned long long)k->weight_bytes_written);
    /* The spec's GReLU shortcut did not happen here, so nominal = executed. */
    ck_assert_uint_eq(k->degenerate_grelus, 0);
    /* Skipping zero inputs only ever saves work. */
    ck_assert_uint_ge(c->dense_macs, c->macs);
}

/* Trains `model` on the counting kernels and on scalar: same weights (the
 * counted loops are the real ones), and the account equals the count. */
static void check_model(const char *model, const bdc_samples *train,
                        const bdc_samples *test, size_t dim)
{
    run counted, plain;
    train_and_test(model, train, test, bdc_counting_kernels(), &counted);
    train_and_test(model, train, test, bdc_family_scalar.kernels, &plain);
    ck_assert_msg(counted.fingerprint == plain.fingerprint,
                  "%s: the counting kernels changed the weights", model);
    ck_assert_uint_eq(counted.correct, plain.correct);

    assert_equal("training", &counted.train, &counted.counted_train,
                 (uint64_t)EPOCHS * train->count);
    assert_equal("inference", &counted.infer, &counted.counted_infer, test->count);
    ck_assert_uint_eq(counted.infer.weight_bytes_written, 0);

    /* Dense MACs: the nominal products, whatever the data.  Both models
     * multiply the input by a D x H matrix and touch C x H label weights
     * once or twice per step (docs/methodology.md). */
    const uint64_t D = dim, H = HIDDEN, C = BDC_CLASSES;
    ck_assert_uint_eq(counted.infer.dense_macs, test->count * (D * H + H * C));
    ck_assert_uint_eq(counted.train.dense_macs,
                      (uint64_t)EPOCHS * train->count * (D * H + 2 * H * C));
    /* The memory a phase needs holds at least its weights. */
    ck_assert_uint_ge(counted.train.memory_bytes, 4 * (D * H + H * C));
    ck_assert_uint_ge(counted.infer.memory_bytes, 4 * (D * H + H * C));
    ck_assert_uint_ge(counted.train.memory_bytes, counted.infer.memory_bytes);
}

START_TEST(bidir)
{
    ck_assert_uint_eq(mnist.train.count, TRAIN);
    check_model("bidir", &mnist.train, &mnist.test, mnist.train.dim);
}
END_TEST

START_TEST(entangled)
{
    ck_assert_uint_eq(mnist.train.count, TRAIN);
    check_model("entangled", &mnist.train, &mnist.test, mnist.train.dim);
}
END_TEST

/* binconv: the feature extraction (preprocessing), then the entangled
 * learner on the features. */
START_TEST(binconv)
{
    ck_assert_uint_eq(mnist.train.count, TRAIN);
    char err[256];
    bdc_samples train, test;
    bdc_cost executed, analytic;
    memset(&executed, 0, sizeof executed);
    memset(&analytic, 0, sizeof analytic);
    ck_assert_int_eq(bdc_binconv_features_counted(&mnist.train, &train, &executed, err, sizeof err), 0);
    ck_assert_int_eq(bdc_binconv_features_counted(&mnist.test, &test, &executed, err, sizeof err), 0);
    bdc_binconv_cost(TRAIN, &analytic);
    bdc_binconv_cost(TEST, &analytic);
    ck_assert_uint_eq(executed.samples, TRAIN + TEST);
    ck_assert_uint_eq(analytic.samples, executed.samples);
    ck_assert_uint_eq(analytic.macs, executed.macs);
    ck_assert_uint_eq(analytic.dense_macs, executed.dense_macs);
    ck_assert_uint_eq(analytic.elementwise_flops, executed.elementwise_flops);
    ck_assert_uint_eq(analytic.weight_bytes_read, executed.weight_bytes_read);
    ck_assert_uint_eq(analytic.memory_bytes, executed.memory_bytes);
    ck_assert_uint_eq(analytic.macs, (uint64_t)(TRAIN + TEST) * 700 * 5 * 4);

    check_model("binconv", &train, &test, BDC_BINCONV_DIM);
    bdc_samples_free(&train);
    bdc_samples_free(&test);
}
END_TEST

/* The price list in units: a MAC is two FLOPs; phases are differences. */
START_TEST(units)
{
    bdc_cost a, b;
    memset(&a, 0, sizeof a);
    bdc_cost_activate(&a, 3, 10, 7);
    ck_assert_uint_eq(a.dense_macs, 70);
    ck_assert_uint_eq(a.macs, 21);
    ck_assert_uint_eq(a.weight_bytes_read, 84);
    bdc_cost_grelu(&a, 5);
    bdc_cost_winner(&a, 5);
    bdc_cost_nudge(&a, 2);
    ck_assert_uint_eq(a.elementwise_flops, 22 + 19 + 12);
    ck_assert_uint_eq(bdc_cost_flops(&a), 42 + 53);
    ck_assert_uint_eq(bdc_cost_dense_flops(&a), 140 + 53);
    b = a;
    bdc_cost_nudge(&b, 1);
    b.memory_bytes = 99;
    const bdc_cost d = bdc_cost_sub(&b, &a);
    ck_assert_uint_eq(d.elementwise_flops, 6);
    ck_assert_uint_eq(d.weight_bytes_written, 4);
    ck_assert_uint_eq(d.macs, 0);
    ck_assert_uint_eq(d.memory_bytes, 99);
}
END_TEST

Suite *bdc_suite_accounting(void)
{
    Suite *s = suite_create("accounting");
    TCase *tc = tcase_create("models");
    tcase_add_unchecked_fixture(tc, load_mnist, free_mnist);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, bidir);
    tcase_add_test(tc, entangled);
    tcase_add_test(tc, binconv);
    suite_add_tcase(s, tc);
    TCase *units_tc = tcase_create("price_list");
    tcase_add_test(units_tc, units);
    suite_add_tcase(s, units_tc);
    return s;
}
