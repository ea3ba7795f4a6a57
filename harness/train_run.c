#include "train_run.h"

#include <stdio.h>
#include <string.h>

#include "progress.h"

int bdc_train_per_sample(const bdc_config *cfg, const bdc_family *family,
                         const bdc_dataset *data, int progress,
                         bdc_train_outcome *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const size_t D = data->train.dim;
    const bdc_model_ops *ops = bdc_model_ops_for(cfg->model);
    bdc_model *model = ops->create(cfg, D, family->kernels);
    bdc_sample_buf buf;
    if (!model || bdc_sample_buf_init(&buf, D)) {
        snprintf(err, errlen, "out of memory for a %s model with %zu hidden neurons",
                 cfg->model, cfg->hidden);
        if (model)
            ops->destroy(model);
        return -1;
    }
    const uint64_t steps = (uint64_t)cfg->epochs * data->train.count;
    bdc_progress bar;
    bdc_progress_begin(&bar, steps);
    bar.enabled &= progress;
    uint64_t n = 0;
    double t0 = bdc_now();
    for (unsigned epoch = 0; epoch < cfg->epochs; epoch++)
        for (size_t i = 0; i < data->train.count; i++, n++) {
            const bdc_sample s = bdc_samples_get(&data->train, i, &buf);
            out->train_correct += ops->train_step(model, &s, n) == s.label;
            bdc_progress_update(&bar, n + 1, epoch + 1, cfg->epochs, out->train_correct);
        }
    out->train_seconds = bdc_now() - t0;
    bdc_progress_end(&bar);

    t0 = bdc_now();
    for (size_t i = 0; i < data->test.count; i++) {
        const bdc_sample s = bdc_samples_get(&data->test, i, &buf);
        out->test_correct += ops->predict(model, &s) == s.label;
    }
    out->test_seconds = bdc_now() - t0;
    out->steps = steps;
    out->fingerprint = ops->fingerprint(model);
    out->parameters = ops->parameter_count(model);
    out->opts.threads = 1;
    bdc_sample_buf_free(&buf);
    ops->destroy(model);
    return 0;
}

typedef struct blocked_progress {
    bdc_progress bar;
    uint64_t per_epoch;
    unsigned epochs;
} blocked_progress;

static void show(void *ctx, uint64_t done, uint64_t correct)
{
    blocked_progress *p = ctx;
    /* The bar looks at the clock on multiples of 256 steps only. */
    const uint64_t shown = done & ~(uint64_t)255;
    if (shown)
        bdc_progress_update(&p->bar, shown, (unsigned)((shown - 1) / p->per_epoch) + 1,
                            p->epochs, correct);
}

int bdc_train_blocked(const bdc_config *cfg, const bdc_family *family,
                      const bdc_engine_opts *opts, const bdc_dataset *data,
                      int progress, bdc_train_outcome *out, char *err,
                      size_t errlen)
{
    memset(out, 0, sizeof *out);
    bdc_engine *e = bdc_engine_create(cfg, data->train.dim, family, opts, err, errlen);
    if (!e)
        return -1;
    const uint64_t steps = (uint64_t)cfg->epochs * data->train.count;
    blocked_progress p = {.per_epoch = data->train.count, .epochs = cfg->epochs};
    bdc_progress_begin(&p.bar, steps);
    p.bar.enabled &= progress;
    double t0 = bdc_now();
    out->train_correct = bdc_engine_train(e, &data->train, steps, show, &p);
    out->train_seconds = bdc_now() - t0;
    bdc_progress_end(&p.bar);
    out->stats = bdc_engine_stats_of(e);

    t0 = bdc_now();
    out->test_correct = bdc_engine_test(e, &data->test);
    out->test_seconds = bdc_now() - t0;
    out->steps = steps;
    out->fingerprint = bdc_engine_fingerprint(e);
    out->parameters = bdc_engine_parameter_count(e);
    out->opts = bdc_engine_options(e);
    bdc_engine_destroy(e);
    return 0;
}
