#include "comparison.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One row of runs.csv being turned into cells. */
typedef struct row {
    const bdc_csv *runs;
    size_t index;
} row;

/* A cell of the row by column name; "" when the file has no such column
 * (an older bdc wrote it). */
static const char *cell(const row *r, const char *name)
{
    const int c = bdc_csv_column(r->runs, name);
    return c < 0 ? "" : bdc_csv_cell(r->runs, r->index, (size_t)c);
}

/* A number cell; NAN when empty. */
static double number(const row *r, const char *name)
{
    const char *s = cell(r, name);
    if (!*s) return NAN;
    char *end;
    const double v = strtod(s, &end);
    return *end ? NAN : v;
}

/* About three significant digits, never an exponent in the usual range;
 * "-" for a missing value. */
static void human(char *buf, size_t len, double v)
{
    const double a = fabs(v);
    if (isnan(v)) snprintf(buf, len, "-");
    else if (a >= 100 || a == 0) snprintf(buf, len, "%.0f", v);
    else if (a >= 10) snprintf(buf, len, "%.1f", v);
    else if (a >= 1) snprintf(buf, len, "%.2f", v);
    else if (a >= 1e-4) snprintf(buf, len, "%.3g", v);
    else snprintf(buf, len, "%.2e", v);
}

static void text(char *buf, size_t len, const char *s)
{
    snprintf(buf, len, "%s", *s ? s : "-");
}

typedef void (*column_fn)(const row *r, char *buf, size_t len);

static void c_model(const row *r, char *b, size_t n) { text(b, n, cell(r, "model")); }
static void c_dataset(const row *r, char *b, size_t n) { text(b, n, cell(r, "dataset")); }
static void c_hidden(const row *r, char *b, size_t n) { text(b, n, cell(r, "hidden")); }
static void c_epochs(const row *r, char *b, size_t n) { text(b, n, cell(r, "epochs")); }
static void c_threads(const row *r, char *b, size_t n) { text(b, n, cell(r, "threads")); }
static void c_params(const row *r, char *b, size_t n) { text(b, n, cell(r, "parameters")); }
static void c_run_id(const row *r, char *b, size_t n) { text(b, n, cell(r, "run_id")); }

static void c_kernel(const row *r, char *b, size_t n)
{
    /* Emulated families are never speed contenders: say so everywhere. */
    const int emulated = strcmp(cell(r, "kernel_status"), "emulated") == 0;
    snprintf(b, n, "%s%s", *cell(r, "kernel") ? cell(r, "kernel") : "-",
             emulated ? " (emulated)" : "");
}

static void c_accuracy(const row *r, char *b, size_t n)
{
    const double a = number(r, "test_accuracy");
    if (isnan(a)) snprintf(b, n, "-");
    else snprintf(b, n, "%.2f", 100.0 * a);
}

static void c_train_gflop(const row *r, char *b, size_t n)
{
    human(b, n, number(r, "train_flops") / 1e9);
}

static void c_infer_kflop(const row *r, char *b, size_t n)
{
    double prep = number(r, "prep_flops_per_sample");
    if (isnan(prep)) prep = 0;
    human(b, n, (number(r, "infer_flops_per_sample") + prep) / 1e3);
}

static void c_train_mb(const row *r, char *b, size_t n)
{
    human(b, n, number(r, "train_memory_bytes") / 1e6);
}

static void c_train_s(const row *r, char *b, size_t n)
{
    human(b, n, number(r, "train_seconds"));
}

static void c_acc_per_gflop(const row *r, char *b, size_t n)
{
    const double gflop = number(r, "train_flops") / 1e9;
    human(b, n, gflop > 0 ? number(r, "test_accuracy") / gflop : NAN);
}

static void c_time_to_target(const row *r, char *b, size_t n)
{
    human(b, n, number(r, "seconds_to_target"));
}

static void c_gflop_to_target(const row *r, char *b, size_t n)
{
    human(b, n, number(r, "flops_to_target") / 1e9);
}

static void c_samples_to_target(const row *r, char *b, size_t n)
{
    text(b, n, cell(r, "samples_to_target"));
}

/* "%" in a header is the run's target accuracy. */
static const struct column {
    const char *key, *header, *about;
    int right;
    column_fn fn;
} columns[] = {
    {"model", "model", "the learner", 0, c_model},
    {"dataset", "dataset", "the dataset", 0, c_dataset},
    {"hidden", "H", "hidden neurons", 1, c_hidden},
    {"epochs", "epochs", "passes over the training set", 1, c_epochs},
    {"kernel", "kernel", "the kernel family, marked when emulated", 0, c_kernel},
    {"threads", "threads", "training threads", 1, c_threads},
    {"accuracy", "test acc %", "test accuracy at the end, percent", 1, c_accuracy},
    {"train_gflop", "train GFLOP", "executed training FLOPs, 1e9", 1, c_train_gflop},
    {"infer_kflop", "infer kFLOP/img",
     "executed inference FLOPs per test image, feature extraction included, 1e3", 1,
     c_infer_kflop},
    {"params", "params", "parameters (weights)", 1, c_params},
    {"train_mb", "train MB", "memory the model holds while training, 1e6 bytes", 1,
     c_train_mb},
    {"train_s", "train s", "wall seconds of training, tests excluded", 1, c_train_s},
    {"acc_per_gflop", "acc/GFLOP", "test accuracy (0..1) per executed training GFLOP", 1,
     c_acc_per_gflop},
    {"time_to_target", "s to %", "training seconds until the target accuracy", 1,
     c_time_to_target},
    {"gflop_to_target", "GFLOP to %", "training GFLOPs until the target accuracy", 1,
     c_gflop_to_target},
    {"samples_to_target", "samples to %", "training samples until the target accuracy", 1,
     c_samples_to_target},
    {"run_id", "run id", "the run id", 0, c_run_id},
};

#define NCOLUMNS (sizeof columns / sizeof *columns)

const char *const bdc_comparison_default[] = {
    "model", "hidden", "epochs", "kernel", "accuracy", "train_gflop", "infer_kflop",
    "params", "train_s", "acc_per_gflop", "time_to_target", NULL,
};

size_t bdc_comparison_column_count(void) { return NCOLUMNS; }
const char *bdc_comparison_column_key(size_t i) { return columns[i].key; }
const char *bdc_comparison_column_about(size_t i) { return columns[i].about; }

static const struct column *find(const char *key)
{
    for (size_t i = 0; i < NCOLUMNS; i++)
        if (strcmp(columns[i].key, key) == 0)
            return &columns[i];
    return NULL;
}

/* Sorting: model in order of first appearance, then hidden, then epochs,
 * then file order. */
typedef struct sort_key {
    size_t model_rank, index;
    double hidden, epochs;
} sort_key;

static int compare(const void *pa, const void *pb)
{
    const sort_key *a = pa, *b = pb;
    if (a->model_rank != b->model_rank) return a->model_rank < b->model_rank ? -1 : 1;
    if (a->hidden != b->hidden) return a->hidden < b->hidden ? -1 : 1;
    if (a->epochs != b->epochs) return a->epochs < b->epochs ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* The header with "%" replaced by the target ("95%"), or by "target" when
 * the runs have different targets. */
static void header_text(const char *h, const bdc_csv *runs, char *out, size_t len)
{
    const char *pct = strchr(h, '%');
    if (!pct || strcmp(h, "test acc %") == 0) {
        snprintf(out, len, "%s", h);
        return;
    }
    const int c = bdc_csv_column(runs, "target");
    char target[32] = "target";
    if (c >= 0 && runs->rows) {
        const char *first = bdc_csv_cell(runs, 0, (size_t)c);
        int same = 1;
        for (size_t r = 1; r < runs->rows; r++)
            same &= strcmp(bdc_csv_cell(runs, r, (size_t)c), first) == 0;
        if (same && *first)
            snprintf(target, sizeof target, "%g%%", 100.0 * strtod(first, NULL));
    }
    snprintf(out, len, "%.*s%s%s", (int)(pct - h), h, target, pct + 1);
}

int bdc_comparison_table(const bdc_csv *runs, const char *title,
                         const char *const *keys, size_t nkeys, bdc_table *t,
                         char *err, size_t errlen)
{
    const struct column **chosen = calloc(nkeys + 1, sizeof *chosen);
    sort_key *order = calloc(runs->rows + 1, sizeof *order);
    char **cells = calloc(nkeys + 1, sizeof *cells);
    int rc = -1;
    memset(t, 0, sizeof *t);
    if (!chosen || !order || !cells) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < nkeys; k++)
        if (!(chosen[k] = find(keys[k]))) {
            snprintf(err, errlen, "--columns: unknown column '%s' (bdc table --help lists them)",
                     keys[k]);
            goto done;
        }
    if (bdc_table_init(t, title, nkeys)) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < nkeys; k++) {
        char h[64];
        header_text(chosen[k]->header, runs, h, sizeof h);
        if (bdc_table_set_column(t, k, h, chosen[k]->right)) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
    }
    const int model_col = bdc_csv_column(runs, "model");
    for (size_t r = 0; r < runs->rows; r++) {
        row one = {runs, r};
        order[r].index = r;
        order[r].hidden = number(&one, "hidden");
        order[r].epochs = number(&one, "epochs");
        order[r].model_rank = r;
        for (size_t q = 0; model_col >= 0 && q < r; q++)
            if (strcmp(bdc_csv_cell(runs, q, (size_t)model_col),
                       bdc_csv_cell(runs, r, (size_t)model_col)) == 0) {
                order[r].model_rank = order[q].model_rank;
                break;
            }
    }
    qsort(order, runs->rows, sizeof *order, compare);
    int binconv = 0, sanitized = 0;
    for (size_t i = 0; i < runs->rows; i++) {
        row one = {runs, order[i].index};
        binconv |= strcmp(cell(&one, "model"), "binconv") == 0;
        sanitized |= strcmp(cell(&one, "sanitized"), "1") == 0;
        for (size_t k = 0; k < nkeys; k++) {
            char buf[256];
            chosen[k]->fn(&one, buf, sizeof buf);
            if (!(cells[k] = strdup(buf))) {
                snprintf(err, errlen, "out of memory");
                goto done;
            }
        }
        const int added = bdc_table_add_row(t, (const char *const *)cells);
        for (size_t k = 0; k < nkeys; k++) {
            free(cells[k]);
            cells[k] = NULL;
        }
        if (added) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
    }
    if (bdc_table_add_note(t, "FLOPs are executed operations (a multiply-add is 2, zero inputs "
                              "skipped), docs/methodology.md; '-': not reached.") ||
        (binconv && bdc_table_add_note(t, "binconv: inference FLOPs include its feature "
                                          "extraction; training FLOPs do not (prep_flops).")) ||
        (sanitized && bdc_table_add_note(t, "Some runs were built with sanitizers: their "
                                            "times mean nothing."))) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    rc = 0;
done:
    if (rc) bdc_table_free(t);
    free(chosen);
    free(order);
    free(cells);
    return rc;
}
