/* The mlp baseline's math: its random numbers, its exponential and softmax,
 * and a gradient check of one SGD step against finite differences of the
 * loss computed in double (a test of the calculus, apart from the
 * bit-exactness tests of mlp_kernels and mlp_train). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/curve.h"
#include "../harness/dataset.h"
#include "../harness/minibatch.h"
#include "../harness/mlp.h"
#include "../harness/rng.h"
#include "../harness/run_record.h"
#include "../kernels/dispatch.h"
#include "../kernels/softmax.h"
#include "counting_kernels.h"
#include "suites.h"

/* --- random numbers ------------------------------------------------------ */

START_TEST(splitmix64_known_answers)
{
    /* The first outputs of splitmix64 from state 0 (its authors' code). */
    uint64_t state = 0;
    ck_assert_uint_eq(bdc_splitmix64(&state), 0xe220a8397b1dcdafull);
    ck_assert_uint_eq(bdc_splitmix64(&state), 0x6e789e6aa1b965f4ull);
    ck_assert_uint_eq(bdc_splitmix64(&state), 0x06c45d188009454full);
}
END_TEST

START_TEST(xoshiro256starstar_known_answers)
{
    /* xoshiro256** from the state {1, 2, 3, 4}. */
    bdc_rng r = {{1, 2, 3, 4}};
    const uint64_t want[] = {11520ull, 0ull, 1509978240ull, 1215971899390074240ull};
    for (size_t i = 0; i < 4; i++)
        ck_assert_uint_eq(bdc_rng_next(&r), want[i]);
}
END_TEST

START_TEST(streams_and_seeds_differ)
{
    bdc_rng a, b, c;
    bdc_rng_seed(&a, 1, BDC_RNG_STREAM_INIT);
    bdc_rng_seed(&b, 1, BDC_RNG_STREAM_SHUFFLE);
    bdc_rng_seed(&c, 2, BDC_RNG_STREAM_INIT);
    const uint64_t x = bdc_rng_next(&a);
    ck_assert_uint_ne(x, bdc_rng_next(&b));
    ck_assert_uint_ne(x, bdc_rng_next(&c));
    bdc_rng_seed(&b, 1, BDC_RNG_STREAM_INIT);
    ck_assert_uint_eq(x, bdc_rng_next(&b));
}
END_TEST

START_TEST(unit_and_below_stay_in_range)
{
    bdc_rng r;
    bdc_rng_seed(&r, 3, 9);
    size_t hits[7] = {0};
    for (int i = 0; i < 70000; i++) {
        const double u = bdc_rng_unit(&r);
        ck_assert(u >= 0.0 && u < 1.0);
        const uint64_t k = bdc_rng_below(&r, 7);
        ck_assert_uint_lt(k, 7);
        hits[k]++;
    }
    /* 10000 expected per value; 5 standard deviations is about 480. */
    for (int k = 0; k < 7; k++)
        ck_assert_msg(hits[k] > 9500 && hits[k] < 10500, "value %d drawn %zu times", k,
                      hits[k]);
    ck_assert_uint_eq(bdc_rng_below(&r, 1), 0);
    /* n near 2^64: most draws are kept, and none reaches n. */
    for (int i = 0; i < 100; i++)
        ck_assert_uint_lt(bdc_rng_below(&r, UINT64_MAX - 5), UINT64_MAX - 5);
}
END_TEST

START_TEST(shuffle_is_a_seeded_permutation)
{
    enum { N = 1000 };
    size_t a[N], b[N], seen[N] = {0};
    for (size_t i = 0; i < N; i++)
        a[i] = b[i] = i;
    bdc_rng r1, r2;
    bdc_rng_seed(&r1, 5, BDC_RNG_STREAM_SHUFFLE);
    bdc_rng_seed(&r2, 5, BDC_RNG_STREAM_SHUFFLE);
    bdc_rng_shuffle(&r1, a, N);
    bdc_rng_shuffle(&r2, b, N);
    ck_assert_mem_eq(a, b, sizeof a);
    size_t fixed = 0;
    for (size_t i = 0; i < N; i++) {
        seen[a[i]]++;
        fixed += a[i] == i;
    }
    for (size_t i = 0; i < N; i++)
        ck_assert_uint_eq(seen[i], 1);
    ck_assert_uint_lt(fixed, 10); /* about 1 expected */
}
END_TEST

/* --- exp and softmax ----------------------------------------------------- */

START_TEST(exp_matches_libm)
{
    ck_assert(bdc_exp_nonpositive(0.0) == 1.0);
    ck_assert(bdc_exp_nonpositive(-0.0) == 1.0);
    ck_assert(bdc_exp_nonpositive(-INFINITY) == 0.0);
    ck_assert(isnan(bdc_exp_nonpositive(NAN)));
    ck_assert(bdc_exp_nonpositive(-800.0) == 0.0);
    double worst = 0.0;
    bdc_rng r;
    bdc_rng_seed(&r, 11, 0);
    for (int i = 0; i < 200000; i++) {
        /* Mostly where softmax lives (-40..0), some over the whole range. */
        const double x = -(i % 4 ? 40.0 : 708.0) * bdc_rng_unit(&r);
        const double want = exp(x), got = bdc_exp_nonpositive(x);
        const double rel = fabs(got - want) / want;
        if (rel > worst)
            worst = rel;
    }
    ck_assert_msg(worst < 4 * 2.3e-16, "worst relative error %g", worst);
    /* Subnormal results are rounded once, as libm's are: within two units
     * of the last place (2 * 2^-1074) of each other. */
    for (double x = -708.0; x > -745.0; x -= 0.037) {
        const double want = exp(x), got = bdc_exp_nonpositive(x);
        const double tol = want < 0x1p-1022 ? 0x1p-1073 : 4 * 2.3e-16 * want;
        ck_assert_msg(fabs(got - want) <= tol, "exp(%.17g): %g, libm %g", x, got, want);
    }
}
END_TEST

START_TEST(softmax_gradient_is_p_minus_onehot)
{
    const float z[5] = {1.5f, -2.0f, 0.25f, 3.0f, 3.0f};
    float g[5];
    bdc_softmax_xent_grad(z, 5, 2, g);
    double sum = 0.0;
    for (int c = 0; c < 5; c++)
        sum += exp(z[c] - 3.0);
    for (int c = 0; c < 5; c++) {
        const double want = exp(z[c] - 3.0) / sum - (c == 2);
        ck_assert_msg(fabs(g[c] - want) <= 1e-7, "class %d: %g, want %g", c, g[c], want);
    }
    /* More classes than softmax keeps exponentials for (16): the second
     * pass computes them again. */
    float zz[20], gg[20];
    double total = 0.0;
    for (int c = 0; c < 20; c++) {
        zz[c] = (float)(c % 7) - 2.5f;
        total += exp((double)zz[c] - 3.5);
    }
    bdc_softmax_xent_grad(zz, 20, 19, gg);
    for (int c = 0; c < 20; c++) {
        const double want = exp((double)zz[c] - 3.5) / total - (c == 19);
        ck_assert_msg(fabs(gg[c] - want) <= 1e-7, "class %d of 20: %g, want %g", c, gg[c], want);
    }
    /* Huge logits do not overflow: the maximum is subtracted first. */
    const float big[3] = {1e30f, -1e30f, 1e30f};
    bdc_softmax_xent_grad(big, 3, 0, g);
    ck_assert(g[0] == -0.5f && g[1] == 0.0f && g[2] == 0.5f);
}
END_TEST

/* --- a gradient check on a tiny network ---------------------------------- */

enum { GD = 7, GH = 5, GC = 3, GB = 4 };

/* The summed cross-entropy of the batch, in double, for weights in double. */
static double batch_loss(const double *W1, const double *b1, const double *W2,
                         const double *b2, const float x[GB][GD], const int *y,
                         double *min_margin)
{
    double loss = 0.0;
    for (int s = 0; s < GB; s++) {
        double h[GH], z[GC];
        for (int j = 0; j < GH; j++) {
            double a = b1[j];
            for (int i = 0; i < GD; i++)
                a += x[s][i] * W1[i * GH + j];
            if (min_margin && fabs(a) < *min_margin)
                *min_margin = fabs(a);
            h[j] = a > 0 ? a : 0;
        }
        double m = -INFINITY;
        for (int c = 0; c < GC; c++) {
            z[c] = b2[c];
            for (int j = 0; j < GH; j++)
                z[c] += h[j] * W2[j * GC + c];
            if (z[c] > m)
                m = z[c];
        }
        double sum = 0.0;
        for (int c = 0; c < GC; c++)
            sum += exp(z[c] - m);
        loss += -(z[y[s]] - m - log(sum));
    }
    return loss;
}

START_TEST(one_step_follows_the_gradient)
{
    const bdc_kernels *k = bdc_family_by_name("scalar")->kernels;
    bdc_mlp *net = bdc_mlp_create(GD, GH, GC, GB, 1, k);
    ck_assert_ptr_nonnull(net);
    /* Weights large enough that gradients are well above float rounding. */
    bdc_rng r;
    bdc_rng_seed(&r, 2024, 0);
    for (size_t i = 0; i < GD * GH; i++) net->W1[i] = (float)(2 * bdc_rng_unit(&r) - 1);
    for (size_t i = 0; i < GH; i++) net->b1[i] = (float)(bdc_rng_unit(&r) - 0.3);
    for (size_t i = 0; i < GH * GC; i++) net->W2[i] = (float)(2 * bdc_rng_unit(&r) - 1);
    for (size_t i = 0; i < GC; i++) net->b2[i] = (float)(bdc_rng_unit(&r) - 0.5);

    /* Sparse inputs: about half the entries zero, as in images. */
    float x[GB][GD];
    uint32_t idx[GB][GD];
    float val[GB][GD];
    bdc_sample batch[GB];
    const int y[GB] = {0, 2, 1, 2};
    for (int s = 0; s < GB; s++) {
        size_t nnz = 0;
        for (int i = 0; i < GD; i++) {
            x[s][i] = bdc_rng_below(&r, 2) ? (float)bdc_rng_unit(&r) : 0.0f;
            if (x[s][i] != 0.0f) {
                idx[s][nnz] = (uint32_t)i;
                val[s][nnz++] = x[s][i];
            }
        }
        batch[s] = (bdc_sample){idx[s], val[s], nnz, NULL, y[s]};
    }

    /* The weights in double, for the reference. */
    double W1[GD * GH], b1[GH], W2[GH * GC], b2[GC];
    double *const params[4] = {W1, b1, W2, b2};
    const float *const before[4] = {net->W1, net->b1, net->W2, net->b2};
    const size_t sizes[4] = {GD * GH, GH, GH * GC, GC};
    float saved[4][GD * GH];
    for (int p = 0; p < 4; p++)
        for (size_t i = 0; i < sizes[p]; i++) {
            params[p][i] = before[p][i];
            saved[p][i] = before[p][i];
        }
    double margin = INFINITY;
    batch_loss(W1, b1, W2, b2, x, y, &margin);
    /* Finite differences need every hidden unit clear of the ReLU kink. */
    ck_assert_msg(margin > 1e-3, "a hidden pre-activation is %g from 0", margin);

    /* lr = B makes the step size (float)(lr/B) exactly 1: the step is minus
     * the summed gradient. */
    size_t correct;
    ck_assert_int_eq(bdc_mlp_train_batch(net, batch, GB, (double)GB, &correct), 0);
    ck_assert_uint_le(correct, GB);

    const float *const after[4] = {net->W1, net->b1, net->W2, net->b2};
    const double eps = 1e-6;
    for (int p = 0; p < 4; p++)
        for (size_t i = 0; i < sizes[p]; i++) {
            const double keep = params[p][i];
            params[p][i] = keep + eps;
            const double up = batch_loss(W1, b1, W2, b2, x, y, NULL);
            params[p][i] = keep - eps;
            const double down = batch_loss(W1, b1, W2, b2, x, y, NULL);
            params[p][i] = keep;
            const double numeric = (up - down) / (2 * eps);
            const double step = (double)saved[p][i] - (double)after[p][i];
            ck_assert_msg(fabs(step - numeric) <= 2e-5 * (1 + fabs(numeric)),
                          "parameter %d[%zu]: step %.9g, gradient %.9g", p, i, step,
                          numeric);
        }
    bdc_mlp_destroy(net);
}
END_TEST

/* --- initialisation ------------------------------------------------------ */

START_TEST(init_is_seeded_and_bounded)
{
    const bdc_kernels *k = bdc_family_by_name("scalar")->kernels;
    bdc_mlp *a = bdc_mlp_create(784, 100, 10, 1, 1, k), *b = bdc_mlp_create(784, 100, 10, 1, 1, k);
    ck_assert(a && b);
    bdc_mlp_init(a, 1);
    bdc_mlp_init(b, 1);
    ck_assert_uint_eq(bdc_mlp_fingerprint(a), bdc_mlp_fingerprint(b));
    bdc_mlp_init(b, 2);
    ck_assert_uint_ne(bdc_mlp_fingerprint(a), bdc_mlp_fingerprint(b));
    const double bound1 = sqrt(6.0 / 784), bound2 = sqrt(6.0 / 110);
    double lo = 0, hi = 0;
    for (size_t i = 0; i < 784 * 100; i++) {
        ck_assert(fabs(a->W1[i]) <= bound1);
        lo = a->W1[i] < lo ? a->W1[i] : lo;
        hi = a->W1[i] > hi ? a->W1[i] : hi;
    }
    ck_assert(lo < -0.99 * bound1 && hi > 0.99 * bound1); /* fills the range */
    for (size_t i = 0; i < 100 * 10; i++)
        ck_assert(fabs(a->W2[i]) <= bound2);
    for (size_t j = 0; j < 100; j++)
        ck_assert(a->b1[j] == 0.0f);
    ck_assert_uint_eq(bdc_mlp_parameter_count(a), 784 * 100 + 100 + 100 * 10 + 10);
    bdc_mlp_destroy(a);
    bdc_mlp_destroy(b);
}
END_TEST

/* --- accounting ---------------------------------------------------------- */

enum { ACC_TRAIN = 300, ACC_TEST = 100, ACC_HIDDEN = 48, ACC_EPOCHS = 2 };

typedef struct counted_run {
    bdc_cost train, infer;
    bdc_op_count counted_train, counted_infer;
    uint64_t fingerprint, correct;
} counted_run;

/* The harness's minibatch loop (shuffle included) on a slice of MNIST, then
 * the test, with the given kernels. */
static void run_mlp(const bdc_dataset *data, const bdc_kernels *k, counted_run *out)
{
    bdc_config cfg;
    ck_assert_int_eq(bdc_config_defaults("mlp", &cfg), 0);
    cfg.hidden = ACC_HIDDEN;
    cfg.epochs = ACC_EPOCHS;
    const bdc_model_ops *ops = bdc_model_ops_for("mlp");
    bdc_model *m = ops->create(&cfg, data->train.dim, k);
    ck_assert_ptr_nonnull(m);
    bdc_sample_buf buf;
    ck_assert_int_eq(bdc_sample_buf_init(&buf, data->train.dim), 0);
    bdc_progress bar;
    bdc_progress_begin(&bar, 1);
    bar.enabled = 0;
    bdc_curve curve;
    bdc_curve_begin(&curve, 0, ops, m, &data->test, &buf);
    uint64_t right;
    memset(&bdc_counted, 0, sizeof bdc_counted);
    ck_assert_int_eq(bdc_train_minibatches(ops, m, &cfg, &data->train, &bar, &curve, &right), 0);
    out->counted_train = bdc_counted;
    memset(&bdc_counted, 0, sizeof bdc_counted);
    out->correct = bdc_evaluate(ops, m, &data->test, &buf);
    out->counted_infer = bdc_counted;
    ops->cost(m, &out->train, &out->infer);
    out->fingerprint = ops->fingerprint(m);
    bdc_curve_free(&curve);
    bdc_sample_buf_free(&buf);
    ops->destroy(m);
}

/* The account of docs/methodology.md against what the counting kernels saw.
 * The kernels do the products and the steps; the biases, ReLU and softmax
 * are the network's own code, priced per sample by formula. */
START_TEST(cost_equals_the_count)
{
    bdc_dataset data;
    char err[512];
    ck_assert_msg(bdc_dataset_load(bdc_dataset_default_dir("mnist"), &data, err, sizeof err) == 0,
                  "%s", err);
    bdc_samples_truncate(&data.train, ACC_TRAIN);
    bdc_samples_truncate(&data.test, ACC_TEST);
    counted_run counted, plain;
    run_mlp(&data, bdc_counting_kernels(), &counted);
    run_mlp(&data, bdc_family_by_name("scalar")->kernels, &plain);
    ck_assert_msg(counted.fingerprint == plain.fingerprint,
                  "the counting kernels changed the weights");
    ck_assert_uint_eq(counted.correct, plain.correct);

    const uint64_t D = data.train.dim, H = ACC_HIDDEN, C = BDC_CLASSES;
    const uint64_t trained = (uint64_t)ACC_EPOCHS * ACC_TRAIN;
    const bdc_cost *t = &counted.train, *i = &counted.infer;
    const bdc_op_count *kt = &counted.counted_train, *ki = &counted.counted_infer;
    ck_assert_uint_eq(t->samples, trained);
    ck_assert_uint_eq(i->samples, ACC_TEST);
    ck_assert_uint_eq(t->macs, kt->macs);
    ck_assert_uint_eq(i->macs, ki->macs);
    ck_assert_uint_eq(t->weight_bytes_read, kt->weight_bytes_read);
    ck_assert_uint_eq(t->weight_bytes_written, kt->weight_bytes_written);
    ck_assert_uint_eq(i->weight_bytes_read, ki->weight_bytes_read);
    ck_assert_uint_eq(i->weight_bytes_written, 0);
    ck_assert_uint_eq(ki->weight_bytes_written, 0);
    /* Element-wise: the kernels' count plus the per-sample formula. */
    const uint64_t forward = 2 * H + C, softmax = C * (4 + BDC_EXP_FLOPS) + C - 1;
    ck_assert_uint_eq(t->elementwise_flops, kt->flops + trained * (forward + softmax));
    ck_assert_uint_eq(i->elementwise_flops, ki->flops + ACC_TEST * forward);
    /* Dense: per training sample the three products (x.W1, h.W2, W2.g2)
     * and a step of every weight over the batch; per prediction two. */
    ck_assert_uint_eq(t->dense_macs, trained * (2 * D * H + 3 * H * C + H + C));
    ck_assert_uint_eq(i->dense_macs, ACC_TEST * (D * H + H * C));
    ck_assert_uint_ge(t->dense_macs, t->macs);
    const uint64_t weights = 4 * (D * H + H + H * C + C);
    ck_assert_uint_ge(i->memory_bytes, weights);
    ck_assert_uint_gt(t->memory_bytes, i->memory_bytes);
    bdc_dataset_free(&data);
}
END_TEST

/* The network trained on `threads` threads: the same weights for every
 * count (with OpenMP; without it every count runs on one thread). */
static uint64_t train_on_threads(const bdc_dataset *data, unsigned threads,
                                 const bdc_kernels *k)
{
    enum { B = 13 }; /* batches that do not divide the slice */
    bdc_mlp *net = bdc_mlp_create(data->train.dim, 40, BDC_CLASSES, B, threads, k);
    ck_assert_ptr_nonnull(net);
    bdc_mlp_init(net, 9);
    bdc_sample_buf bufs[B];
    bdc_sample batch[B];
    for (size_t s = 0; s < B; s++)
        ck_assert_int_eq(bdc_sample_buf_init(&bufs[s], data->train.dim), 0);
    for (size_t first = 0; first < data->train.count; first += B) {
        const size_t count = data->train.count - first < B ? data->train.count - first : B;
        for (size_t s = 0; s < count; s++)
            batch[s] = bdc_samples_get(&data->train, first + s, &bufs[s]);
        size_t right;
        ck_assert_int_eq(bdc_mlp_train_batch(net, batch, count, 0.1, &right), 0);
    }
    const uint64_t fp = bdc_mlp_fingerprint(net);
    for (size_t s = 0; s < B; s++)
        bdc_sample_buf_free(&bufs[s]);
    bdc_mlp_destroy(net);
    return fp;
}

START_TEST(same_weights_on_any_thread_count)
{
    bdc_dataset data;
    char err[512];
    ck_assert_msg(bdc_dataset_load(bdc_dataset_default_dir("mnist"), &data, err, sizeof err) == 0,
                  "%s", err);
    bdc_samples_truncate(&data.train, 600);
    for (size_t i = 0; i < bdc_family_count(); i++) {
        const bdc_family *f = bdc_family_at(i);
        if (bdc_family_status_of(f) == BDC_UNAVAILABLE)
            continue;
        const uint64_t one = train_on_threads(&data, 1, f->kernels);
        for (unsigned threads = 2; threads <= 4; threads++)
            ck_assert_msg(train_on_threads(&data, threads, f->kernels) == one,
                          "%s: %u threads changed the weights", f->name, threads);
    }
    bdc_dataset_free(&data);
}
END_TEST

/* batch and seed are config columns of runs.csv, empty for the
 * winner-take-all learners and then left out of the run id. */
START_TEST(run_id_follows_batch_and_seed)
{
    bdc_run_desc d;
    memset(&d, 0, sizeof d);
    d.dataset = "mnist";
    d.kernel = "scalar";
    d.threads = 1;
    ck_assert_int_eq(bdc_config_defaults("mlp", &d.cfg), 0);
    char a[96], b[96];
    bdc_run_id(&d, a, sizeof a);
    d.cfg.seed = 2;
    bdc_run_id(&d, b, sizeof b);
    ck_assert_str_ne(a, b);
    d.cfg.seed = 1;
    d.cfg.batch = 32;
    bdc_run_id(&d, b, sizeof b);
    ck_assert_str_ne(a, b);
    ck_assert_int_eq(bdc_config_defaults("bidir", &d.cfg), 0);
    bdc_run_id(&d, a, sizeof a);
    d.cfg.seed = 5; /* no batch: not an mlp setting, not in the id */
    bdc_run_id(&d, b, sizeof b);
    ck_assert_str_eq(a, b);
}
END_TEST

Suite *bdc_suite_mlp(void)
{
    Suite *s = suite_create("mlp");
    TCase *rng = tcase_create("rng");
    tcase_add_test(rng, splitmix64_known_answers);
    tcase_add_test(rng, xoshiro256starstar_known_answers);
    tcase_add_test(rng, streams_and_seeds_differ);
    tcase_add_test(rng, unit_and_below_stay_in_range);
    tcase_add_test(rng, shuffle_is_a_seeded_permutation);
    suite_add_tcase(s, rng);
    TCase *sm = tcase_create("softmax");
    tcase_add_test(sm, exp_matches_libm);
    tcase_add_test(sm, softmax_gradient_is_p_minus_onehot);
    suite_add_tcase(s, sm);
    TCase *grad = tcase_create("gradient");
    tcase_add_test(grad, one_step_follows_the_gradient);
    tcase_add_test(grad, init_is_seeded_and_bounded);
    suite_add_tcase(s, grad);
    TCase *acc = tcase_create("accounting");
    tcase_set_timeout(acc, 120);
    tcase_add_test(acc, cost_equals_the_count);
    tcase_add_test(acc, run_id_follows_batch_and_seed);
    suite_add_tcase(s, acc);
    TCase *threads = tcase_create("threads");
    tcase_set_timeout(threads, 120);
    tcase_add_test(threads, same_weights_on_any_thread_count);
    suite_add_tcase(s, threads);
    return s;
}
