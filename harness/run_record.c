#include "run_record.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "fingerprint.h"
#include "machine.h"
#include "version.h"

/* The columns of runs.csv, in file order: name, kind, type and value.
 * Types: s text, u whole number, d number; an empty cell (OPT) is "not
 * reached" or "not applicable".  docs/results.md explains each one.
 * Append new columns at the end: scripts and older files rely on the
 * order and the names. */
#define IDENTITY BDC_COLUMN_IDENTITY
#define CONFIG BDC_COLUMN_CONFIG
#define RESULT BDC_COLUMN_RESULT
#define MEASURED BDC_COLUMN_MEASURED
#define BDC_RUN_COLUMNS(X)                                                              \
    X(run_id, IDENTITY, 's', S(r->run_id))                                              \
    X(date, MEASURED, 's', S(r->date))                                                  \
    X(machine, IDENTITY, 's', S(r->machine))                                            \
    X(bdc_version, IDENTITY, 's', S(BDC_VERSION))                                       \
    X(commit, IDENTITY, 's', S(r->commit))                                              \
    X(sanitized, IDENTITY, 'u', U(r->sanitized))                                        \
    X(model, CONFIG, 's', S(d->cfg.model))                                              \
    X(dataset, CONFIG, 's', S(d->dataset))                                              \
    X(hidden, CONFIG, 'u', U(d->cfg.hidden))                                            \
    X(epochs, CONFIG, 'u', U(d->cfg.epochs))                                            \
    X(kernel, CONFIG, 's', S(d->kernel))                                                \
    X(threads, CONFIG, 'u', U(d->threads))                                              \
    X(alpha, CONFIG, 'd', D(d->cfg.alpha))                                              \
    X(beta, CONFIG, 'd', D(d->cfg.beta))                                                \
    X(lr, CONFIG, 'd', D(d->cfg.lr))                                                    \
    X(lr_horizon, CONFIG, 'd', D(d->cfg.lr_horizon))                                    \
    X(decay, CONFIG, 'd', D(d->cfg.decay))                                              \
    X(init, CONFIG, 'd', D(d->cfg.init))                                                \
    X(q_input, CONFIG, 'd', D(d->cfg.q_input))                                          \
    X(q_label, CONFIG, 'd', D(d->cfg.q_label))                                          \
    X(train_limit, CONFIG, 'u', U(d->train_limit))                                      \
    X(test_limit, CONFIG, 'u', U(d->test_limit))                                        \
    X(eval_every, CONFIG, 'u', U(d->eval_every))                                        \
    X(target, CONFIG, 'd', D(d->target))                                                \
    X(kernel_status, RESULT, 's', S(r->kernel_status))                                  \
    X(train_samples, RESULT, 'u', U(r->train_samples))                                  \
    X(train_steps, RESULT, 'u', U(r->train_steps))                                      \
    X(test_samples, RESULT, 'u', U(r->test_samples))                                    \
    X(test_correct, RESULT, 'u', U(r->test_correct))                                    \
    X(test_accuracy, RESULT, 'd', D(r->test_accuracy))                                  \
    X(train_running_accuracy, RESULT, 'd', D(r->train_running_accuracy))                \
    X(parameters, RESULT, 'u', U(r->parameters))                                        \
    X(train_dense_macs, RESULT, 'u', U(r->train.dense_macs))                            \
    X(train_macs, RESULT, 'u', U(r->train.macs))                                        \
    X(train_elementwise_flops, RESULT, 'u', U(r->train.elementwise_flops))              \
    X(train_flops, RESULT, 'u', U(bdc_cost_flops(&r->train)))                           \
    X(train_weight_bytes_read, RESULT, 'u', U(r->train.weight_bytes_read))              \
    X(train_weight_bytes_written, RESULT, 'u', U(r->train.weight_bytes_written))        \
    X(train_memory_bytes, RESULT, 'u', U(r->train.memory_bytes))                        \
    X(infer_dense_macs, RESULT, 'u', U(r->infer.dense_macs))                            \
    X(infer_macs, RESULT, 'u', U(r->infer.macs))                                        \
    X(infer_elementwise_flops, RESULT, 'u', U(r->infer.elementwise_flops))              \
    X(infer_flops, RESULT, 'u', U(bdc_cost_flops(&r->infer)))                           \
    X(infer_flops_per_sample, RESULT, 'd', D(per(bdc_cost_flops(&r->infer), r->infer.samples))) \
    X(infer_weight_bytes_read, RESULT, 'u', U(r->infer.weight_bytes_read))              \
    X(infer_weight_bytes_written, RESULT, 'u', U(r->infer.weight_bytes_written))        \
    X(infer_memory_bytes, RESULT, 'u', U(r->infer.memory_bytes))                        \
    X(prep_macs, RESULT, 'u', U(r->prep.macs))                                          \
    X(prep_elementwise_flops, RESULT, 'u', U(r->prep.elementwise_flops))                \
    X(prep_flops, RESULT, 'u', U(bdc_cost_flops(&r->prep)))                             \
    X(prep_flops_per_sample, RESULT, 'd', D(per(bdc_cost_flops(&r->prep), r->prep.samples))) \
    X(prep_seconds, MEASURED, 'd', T(r->prep_seconds))                                  \
    X(train_seconds, MEASURED, 'd', T(r->train_seconds))                                \
    X(train_cpu_seconds, MEASURED, 'd', T(r->train_cpu_seconds))                        \
    X(test_seconds, MEASURED, 'd', T(r->test_seconds))                                  \
    X(test_cpu_seconds, MEASURED, 'd', T(r->test_cpu_seconds))                          \
    X(eval_seconds, MEASURED, 'd', T(r->eval_seconds))                                  \
    X(peak_rss_bytes, MEASURED, 'u', U(r->peak_rss_bytes))                              \
    X(samples_to_target, RESULT, 'u', OPT(hit, U(hit->samples)))                        \
    X(flops_to_target, RESULT, 'u', OPT(hit, U(hit->train_flops)))                      \
    X(seconds_to_target, MEASURED, 'd', OPT(hit, T(hit->train_seconds)))                \
    X(curve_points, RESULT, 'u', U(r->curve ? r->curve->count : 0))                     \
    X(curve_file, IDENTITY, 's', CURVE_FILE)                                            \
    X(weights_fnv1a64, RESULT, 's', S(r->fingerprint))                                \
    X(batch, CONFIG, 'u', OPT(d->cfg.batch, U(d->cfg.batch)))                          \
    X(seed, CONFIG, 'u', OPT(d->cfg.batch, U(d->cfg.seed)))                            \
    X(engine, CONFIG, 's', S(d->engine))                                                \
    X(block, CONFIG, 'u', OPT(d->block, U(d->block)))                                   \
    X(tile, CONFIG, 'u', OPT(d->tile, U(d->tile)))

enum {
#define ENUM(name, kind, type, value) COL_##name,
    BDC_RUN_COLUMNS(ENUM)
#undef ENUM
    COLUMN_COUNT
};

static const struct column {
    const char *name;
    bdc_column_kind kind;
    char type;
} columns[] = {
#define ROW(name, kind, type, value) {#name, kind, type},
    BDC_RUN_COLUMNS(ROW)
#undef ROW
};

size_t bdc_run_column_count(void) { return COLUMN_COUNT; }
const char *bdc_run_column_name(size_t i) { return columns[i].name; }
bdc_column_kind bdc_run_column_kind(size_t i) { return columns[i].kind; }

int bdc_run_column_find(const char *name)
{
    for (size_t i = 0; i < COLUMN_COUNT; i++)
        if (strcmp(columns[i].name, name) == 0)
            return (int)i;
    return -1;
}

static double per(uint64_t total, uint64_t n)
{
    return n ? (double)total / (double)n : 0.0;
}

void bdc_run_column_format(const bdc_run_record *r, size_t i, char *buf, size_t len)
{
    const bdc_run_desc *d = &r->desc;
    const bdc_curve_point *hit = r->curve ? bdc_curve_reach(r->curve, d->target) : NULL;
    (void)hit;
#define S(v) snprintf(buf, len, "%s", (v) ? (v) : "")
#define U(v) snprintf(buf, len, "%llu", (unsigned long long)(v))
#define D(v) bdc_format_double(buf, len, (v))
#define T(v) snprintf(buf, len, "%.6f", (v))
#define OPT(cond, fmt) ((cond) ? (void)(fmt) : (void)snprintf(buf, len, "%s", ""))
#define CURVE_FILE snprintf(buf, len, "curves/%s.csv", r->run_id)
    switch (i) {
#define CASE(name, kind, type, value) case COL_##name: value; break;
        BDC_RUN_COLUMNS(CASE)
#undef CASE
    default: snprintf(buf, len, "%s", ""); break;
    }
#undef S
#undef U
#undef D
#undef T
#undef OPT
#undef CURVE_FILE
}

/* Whether config column i holds a default the run id leaves out: the
 * blocked engine (or the mlp's minibatches) and sizes chosen from the
 * cache, which ids did not count before these columns existed. */
static int id_default(const bdc_run_desc *d, size_t i)
{
    switch (i) {
    case COL_engine: return !d->engine || strcmp(d->engine, "sample") != 0;
    case COL_block: return !d->block_given;
    case COL_tile: return !d->tile_given;
    default: return 0;
    }
}

void bdc_run_id(const bdc_run_desc *d, char *id, size_t len)
{
    bdc_run_record r;
    memset(&r, 0, sizeof r);
    r.desc = *d;
    uint64_t h = BDC_FNV1A64_INIT;
    char value[256];
    for (size_t i = 0; i < COLUMN_COUNT; i++) {
        if (columns[i].kind != BDC_COLUMN_CONFIG || id_default(d, i))
            continue;
        bdc_run_column_format(&r, i, value, sizeof value);
        /* An empty cell (a setting the model does not have) is left out:
         * config columns added later keep the ids of earlier runs. */
        if (!value[0])
            continue;
        h = bdc_fnv1a64_bytes(h, columns[i].name, strlen(columns[i].name));
        h = bdc_fnv1a64_bytes(h, "=", 1);
        h = bdc_fnv1a64_bytes(h, value, strlen(value));
        h = bdc_fnv1a64_bytes(h, "\n", 1);
    }
    snprintf(id, len, "%s-h%zu-e%u-%012llx", d->cfg.model, d->cfg.hidden,
             d->cfg.epochs, (unsigned long long)(h >> 16));
}

void bdc_run_json(bdc_json *j, const bdc_run_record *r)
{
    /* Printed by `bdc train --json` before the record existed. */
    static const char *const printed[] = {
        "bdc_version", "model", "dataset", "hidden", "epochs", "alpha", "beta", "lr",
        "lr_horizon", "decay", "init", "q_input", "q_label", "kernel",
        "train_samples", "train_steps", "train_running_accuracy", "test_samples",
        "test_correct", "test_accuracy", "prep_seconds", "train_seconds",
        "test_seconds", "parameters", "peak_rss_bytes", "weights_fnv1a64",
        "curve_file",
    };
    char value[256];
    for (size_t i = 0; i < COLUMN_COUNT; i++) {
        int skip = 0;
        for (size_t k = 0; k < sizeof printed / sizeof *printed; k++)
            skip |= strcmp(printed[k], columns[i].name) == 0;
        if (skip)
            continue;
        bdc_run_column_format(r, i, value, sizeof value);
        if (columns[i].type == 's')
            bdc_json_str(j, columns[i].name, value);
        else if (!value[0])
            bdc_json_num(j, columns[i].name, NAN); /* null */
        else if (columns[i].type == 'u')
            bdc_json_u64(j, columns[i].name, strtoull(value, NULL, 10));
        else
            bdc_json_num(j, columns[i].name, strtod(value, NULL));
    }
    bdc_json_open(j, "curve", '[');
    for (size_t i = 0; r->curve && i < r->curve->count; i++) {
        const bdc_curve_point *p = &r->curve->points[i];
        bdc_json_open(j, NULL, '{');
        bdc_json_u64(j, "samples", p->samples);
        bdc_json_u64(j, "train_flops", p->train_flops);
        bdc_json_num(j, "train_seconds", p->train_seconds);
        bdc_json_num(j, "test_accuracy", p->test_accuracy);
        bdc_json_close(j, '}');
    }
    bdc_json_close(j, ']');
}

void bdc_run_identify(bdc_run_record *r)
{
    const bdc_machine *m = bdc_machine_get();
    snprintf(r->machine, sizeof r->machine, "%s", m->id);
    r->commit = BDC_COMMIT;
    r->sanitized = m->sanitized;
    const time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(r->date, sizeof r->date, "%Y-%m-%dT%H:%M:%SZ", &utc);
}
