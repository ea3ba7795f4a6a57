#include "comparison.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_record.h"
#include "sigfig.h"

/* Every input file, for columns that compare a run with others. */
typedef struct inputs {
    const bdc_csv *runs;
    size_t nruns;
} inputs;

/* One row of a runs.csv being turned into cells. */
typedef struct row {
    const bdc_csv *runs;
    size_t index;
    const inputs *all;
} row;

/* A cell of the row by column name; "" when the file has no such column
 * (an older bdc wrote it). */
static const char *cell(const row *r, const char *name)
{
    const int c = bdc_csv_column(r->runs, name);
    return c < 0 ? "" : bdc_csv_cell(r->runs, r->index, (size_t)c);
}

/* A whole cell as a number; NAN when empty or not a number. */
static double parse_number(const char *s)
{
    if (!*s) return NAN;
    char *end;
    const double v = strtod(s, &end);
    return *end ? NAN : v;
}

static double number(const row *r, const char *name)
{
    return parse_number(cell(r, name));
}

/* --- the computed columns ------------------------------------------------ */

static double v_accuracy(const row *r) { return 100.0 * number(r, "test_accuracy"); }
static double v_train_gflop(const row *r) { return number(r, "train_flops") / 1e9; }
static double v_train_mb(const row *r) { return number(r, "train_memory_bytes") / 1e6; }
static double v_train_s(const row *r) { return number(r, "train_seconds"); }
static double v_time_to_target(const row *r) { return number(r, "seconds_to_target"); }
static double v_gflop_to_target(const row *r) { return number(r, "flops_to_target") / 1e9; }

static double v_infer_kflop(const row *r)
{
    /* binconv must extract its features before it can classify. */
    double prep = number(r, "prep_flops_per_sample");
    if (isnan(prep)) prep = 0;
    return (number(r, "infer_flops_per_sample") + prep) / 1e3;
}

static double v_acc_per_gflop(const row *r)
{
    const double gflop = number(r, "train_flops") / 1e9;
    return gflop > 0 ? number(r, "test_accuracy") / gflop : NAN;
}

static int same_configuration(const row *a, const row *b);

/* The training speed-up over the same configuration on the scalar family
 * (the fewest threads, the per-sample engine when there are several). */
static double v_speedup(const row *r)
{
    const double t = number(r, "train_seconds");
    double base = NAN, base_threads = INFINITY;
    int base_sample = 0;
    for (size_t f = 0; f < r->all->nruns; f++)
        for (size_t i = 0; i < r->all->runs[f].rows; i++) {
            const row o = {&r->all->runs[f], i, r->all};
            if (strcmp(cell(&o, "kernel"), "scalar") != 0 || !same_configuration(r, &o))
                continue;
            const double threads = number(&o, "threads"), seconds = number(&o, "train_seconds");
            const char *engine = cell(&o, "engine");
            const int sample = !*engine || strcmp(engine, "sample") == 0;
            const double th = isnan(threads) ? 1 : threads;
            if (isnan(seconds) || seconds <= 0) continue;
            if (th < base_threads || (th == base_threads && sample && !base_sample)) {
                base = seconds;
                base_threads = th;
                base_sample = sample;
            }
        }
    return t > 0 ? base / t : NAN;
}

/* How a column shows: its source cell as written, its value with the
 * significant digits asked for, a percentage with two decimals (the
 * resolution of a 10 000-image test), or the kernel marked when emulated. */
enum show { SHOW_CELL, SHOW_SIG, SHOW_PERCENT, SHOW_KERNEL };

/* "%" in a header is the runs' target accuracy. */
static const struct column {
    const char *key, *header, *about;
    enum show show;
    const char *source;           /* SHOW_CELL, SHOW_KERNEL: the runs.csv column */
    double (*value)(const row *); /* the others: the number shown */
} columns[] = {
    {"model", "model", "the learner", SHOW_CELL, "model", NULL},
    {"dataset", "dataset", "the dataset", SHOW_CELL, "dataset", NULL},
    {"hidden", "H", "hidden neurons", SHOW_CELL, "hidden", NULL},
    {"epochs", "epochs", "passes over the training set", SHOW_CELL, "epochs", NULL},
    {"kernel", "kernel", "the kernel family, marked when emulated", SHOW_KERNEL, "kernel",
     NULL},
    {"threads", "threads", "training threads", SHOW_CELL, "threads", NULL},
    {"accuracy", "test acc %", "test accuracy at the end, percent (two decimals)",
     SHOW_PERCENT, NULL, v_accuracy},
    {"train_gflop", "train GFLOP", "executed training FLOPs, 1e9", SHOW_SIG, NULL,
     v_train_gflop},
    {"infer_kflop", "infer kFLOP/img",
     "executed inference FLOPs per test image, feature extraction included, 1e3", SHOW_SIG,
     NULL, v_infer_kflop},
    {"params", "params", "parameters (weights)", SHOW_CELL, "parameters", NULL},
    {"train_mb", "train MB", "memory the model holds while training, 1e6 bytes", SHOW_SIG,
     NULL, v_train_mb},
    {"train_s", "train s", "wall seconds of training, tests excluded", SHOW_SIG, NULL,
     v_train_s},
    {"acc_per_gflop", "acc/GFLOP", "test accuracy (0..1) per executed training GFLOP",
     SHOW_SIG, NULL, v_acc_per_gflop},
    {"time_to_target", "s to %", "training seconds until the target accuracy", SHOW_SIG,
     NULL, v_time_to_target},
    {"gflop_to_target", "GFLOP to %", "training GFLOPs until the target accuracy", SHOW_SIG,
     NULL, v_gflop_to_target},
    {"samples_to_target", "samples to %", "training samples until the target accuracy",
     SHOW_CELL, "samples_to_target", NULL},
    {"speedup", "speed-up", "training speed-up over the same run on the scalar family "
     "(fewest threads)", SHOW_SIG, NULL, v_speedup},
    {"run_id", "run id", "the run id", SHOW_CELL, "run_id", NULL},
};

#define NCOLUMNS (sizeof columns / sizeof *columns)

const char *const bdc_comparison_default[] = {
    "model", "hidden", "epochs", "kernel", "accuracy", "train_gflop", "infer_kflop",
    "params", "train_s", "acc_per_gflop", "time_to_target", NULL,
};

size_t bdc_comparison_column_count(void) { return NCOLUMNS; }
const char *bdc_comparison_column_key(size_t i) { return columns[i].key; }
const char *bdc_comparison_column_about(size_t i) { return columns[i].about; }

/* A key resolved: a computed column, or a runs.csv column shown raw. */
typedef struct key {
    const struct column *computed;
    const char *raw;  /* runs.csv column (computed == NULL) */
    int rounded;      /* raw: a result or a measurement, shown to `digits` */
} key;

static int known_column(const bdc_csv *runs, size_t nruns, const char *name)
{
    if (bdc_run_column_find(name) >= 0) return 1;
    for (size_t i = 0; i < nruns; i++)
        if (bdc_csv_column(&runs[i], name) >= 0) return 1;
    return 0;
}

static int resolve(const char *name, const bdc_csv *runs, size_t nruns, key *k)
{
    memset(k, 0, sizeof *k);
    for (size_t i = 0; i < NCOLUMNS; i++)
        if (strcmp(columns[i].key, name) == 0) {
            k->computed = &columns[i];
            return 0;
        }
    if (!known_column(runs, nruns, name)) return -1;
    k->raw = name;
    const int c = bdc_run_column_find(name);
    k->rounded = c >= 0 && (bdc_run_column_kind((size_t)c) == BDC_COLUMN_RESULT ||
                            bdc_run_column_kind((size_t)c) == BDC_COLUMN_MEASURED);
    return 0;
}

/* The cell of key k for row r, as shown. */
static void show(const key *k, const row *r, int digits, char *buf, size_t len)
{
    if (k->raw) {
        const char *s = cell(r, k->raw);
        const double v = parse_number(s);
        if (!*s) snprintf(buf, len, "-");
        else if (k->rounded && !isnan(v)) bdc_format_sig(buf, len, v, digits);
        else snprintf(buf, len, "%s", s);
        return;
    }
    const struct column *c = k->computed;
    switch (c->show) {
    case SHOW_CELL:
        snprintf(buf, len, "%s", *cell(r, c->source) ? cell(r, c->source) : "-");
        break;
    case SHOW_KERNEL: {
        /* Emulated families are never speed contenders: say so everywhere. */
        const int emulated = strcmp(cell(r, "kernel_status"), "emulated") == 0;
        snprintf(buf, len, "%s%s", *cell(r, c->source) ? cell(r, c->source) : "-",
                 emulated ? " (emulated)" : "");
        break;
    }
    case SHOW_PERCENT: {
        const double v = c->value(r);
        if (isnan(v)) snprintf(buf, len, "-");
        else snprintf(buf, len, "%.2f", v);
        break;
    }
    case SHOW_SIG:
        bdc_format_sig(buf, len, c->value(r), digits);
        break;
    }
}

/* What a key sorts by: a number, or text when the cell is not one. */
typedef struct sort_value {
    double number; /* NAN: missing or text */
    const char *text;
} sort_value;

static sort_value sort_value_of(const key *k, const row *r)
{
    sort_value v = {NAN, ""};
    if (k->computed && k->computed->value) {
        v.number = k->computed->value(r);
        return v;
    }
    v.text = cell(r, k->raw ? k->raw : k->computed->source);
    v.number = parse_number(v.text);
    return v;
}

/* Numbers before text, text before missing values. */
static int compare_values(const sort_value *a, const sort_value *b)
{
    const int ca = !isnan(a->number) ? 0 : *a->text ? 1 : 2;
    const int cb = !isnan(b->number) ? 0 : *b->text ? 1 : 2;
    if (ca != cb) return ca < cb ? -1 : 1;
    if (ca == 0) return a->number < b->number ? -1 : a->number > b->number;
    if (ca == 1) return strcmp(a->text, b->text);
    return 0;
}

/* One sort criterion: a key ascending or descending, or the rank of a
 * key's value in order of first appearance. */
typedef struct criterion {
    key k;
    int descending, by_first_appearance;
} criterion;

/* A row being sorted: its place in the input (the last criterion), its
 * values per criterion. */
typedef struct item {
    row r;
    size_t order;
    sort_value *values;
    const criterion *criteria;
    size_t ncriteria;
} item;

static int compare_items(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    for (size_t i = 0; i < a->ncriteria; i++) {
        int c = compare_values(&a->values[i], &b->values[i]);
        if (a->criteria[i].descending) c = -c;
        if (c) return c;
    }
    return a->order < b->order ? -1 : a->order > b->order;
}

/* --- choosing rows ----------------------------------------------------- */

static int value_matches(const char *cellv, const char *want)
{
    if (strcmp(cellv, want) == 0) return 1;
    const double a = parse_number(cellv), b = parse_number(want);
    return !isnan(a) && !isnan(b) && a == b;
}

/* A parsed --where: conditions joined by '|' (any may hold), each a
 * column, a negation and its values; all point into one buffer. */
typedef struct condition {
    const char *column;
    int negate;
    const char *values[64];
    size_t nvalues;
} condition;

typedef struct filter {
    char *buffer;
    condition any[8];
    size_t n;
} filter;

static int parse_condition(char *text, const char *whole, const bdc_csv *runs, size_t nruns,
                           condition *c, char *err, size_t errlen)
{
    char *eq = strchr(text, '=');
    if (!eq || eq == text || (eq == text + 1 && text[0] == '!')) {
        snprintf(err, errlen, "--where: '%s' is not COLUMN=VALUE[,VALUE...] or "
                              "COLUMN!=VALUE[,VALUE...] (conditions joined by '|')", whole);
        return BDC_COMPARISON_USAGE;
    }
    if (eq[-1] == '!') {
        c->negate = 1;
        eq[-1] = '\0';
    }
    *eq = '\0';
    c->column = text;
    if (!known_column(runs, nruns, c->column)) {
        snprintf(err, errlen, "--where: unknown column '%s' (a column of runs.csv, "
                              "docs/results.md)", c->column);
        return BDC_COMPARISON_USAGE;
    }
    char *v = eq + 1;
    for (;;) {
        char *comma = strchr(v, ',');
        if (comma) *comma = '\0';
        if (c->nvalues == sizeof c->values / sizeof *c->values) {
            snprintf(err, errlen, "--where: more than %zu values in '%s'", c->nvalues, whole);
            return BDC_COMPARISON_USAGE;
        }
        c->values[c->nvalues++] = v;
        if (!comma) break;
        v = comma + 1;
    }
    return 0;
}

static int parse_where(const char *text, const bdc_csv *runs, size_t nruns, filter *f,
                       char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    if (!(f->buffer = strdup(text))) {
        snprintf(err, errlen, "out of memory");
        return BDC_COMPARISON_FAILURE;
    }
    char *part = f->buffer;
    for (;;) {
        char *bar = strchr(part, '|');
        if (bar) *bar = '\0';
        if (f->n == sizeof f->any / sizeof *f->any) {
            snprintf(err, errlen, "--where: more than %zu conditions in '%s'", f->n, text);
            return BDC_COMPARISON_USAGE;
        }
        const int rc = parse_condition(part, text, runs, nruns, &f->any[f->n++], err, errlen);
        if (rc) return rc;
        if (!bar) break;
        part = bar + 1;
    }
    return 0;
}

static int condition_holds(const condition *c, const row *r)
{
    const char *v = cell(r, c->column);
    int any = 0;
    for (size_t i = 0; i < c->nvalues && !any; i++) any = value_matches(v, c->values[i]);
    return c->negate ? !any : any;
}

static int passes(const filter *f, const row *r)
{
    for (size_t i = 0; i < f->n; i++)
        if (condition_holds(&f->any[i], r)) return 1;
    return 0;
}

/* Columns that say how a run was computed, not what: runs differing only
 * in these give the same result (docs/results.md). */
static int how_computed(const char *name)
{
    static const char *const names[] = {"kernel", "threads", "engine", "block", "tile"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0) return 1;
    return 0;
}

/* Do a and b have the same configuration but for how_computed columns,
 * on the same machine?  (Config columns are those this bdc knows: a column
 * only a newer bdc writes is not compared.) */
static int same_configuration(const row *a, const row *b)
{
    if (strcmp(cell(a, "machine"), cell(b, "machine")) != 0) return 0;
    for (size_t i = 0; i < bdc_run_column_count(); i++) {
        const char *name = bdc_run_column_name(i);
        if (bdc_run_column_kind(i) != BDC_COLUMN_CONFIG || how_computed(name)) continue;
        if (strcmp(cell(a, name), cell(b, name)) != 0) return 0;
    }
    return 1;
}

/* Is a a better way to compute the same run than b? Native first, then
 * the shorter training. */
static int faster(const row *a, const row *b)
{
    const int na = strcmp(cell(a, "kernel_status"), "emulated") != 0;
    const int nb = strcmp(cell(b, "kernel_status"), "emulated") != 0;
    if (na != nb) return na;
    const double ta = number(a, "train_seconds"), tb = number(b, "train_seconds");
    if (isnan(tb)) return !isnan(ta);
    return !isnan(ta) && ta < tb;
}

/* --- headers, notes and the about line ------------------------------------ */

/* The header with "%" replaced by the target ("95%"), or by "target" when
 * the runs have different targets. */
static void header_text(const char *h, const item *items, size_t n, char *out, size_t len)
{
    const char *pct = strchr(h, '%');
    if (!pct || strcmp(h, "test acc %") == 0) {
        snprintf(out, len, "%s", h);
        return;
    }
    char target[32] = "target";
    if (n) {
        const char *first = cell(&items[0].r, "target");
        int same = 1;
        for (size_t i = 1; i < n; i++) same &= strcmp(cell(&items[i].r, "target"), first) == 0;
        if (same && *first)
            snprintf(target, sizeof target, "%g%%", 100.0 * strtod(first, NULL));
    }
    snprintf(out, len, "%.*s%s%s", (int)(pct - h), h, target, pct + 1);
}

/* "a, b and 3 more": the distinct values of a column over the items. */
static void distinct(const item *items, size_t n, const char *column, char *out, size_t len)
{
    size_t used = 0, shown = 0, more = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *v = cell(&items[i].r, column);
        if (!*v) continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) seen = strcmp(cell(&items[j].r, column), v) == 0;
        if (seen) continue;
        if (shown == 4) {
            more++;
            continue;
        }
        const int w = snprintf(out + used, len - used, "%s%s", shown ? ", " : "", v);
        if (w < 0 || (size_t)w >= len - used) break;
        used += (size_t)w;
        shown++;
    }
    if (more) snprintf(out + used, len - used, " and %zu more", more);
    if (!shown) snprintf(out, len, "?");
}

/* --- the table ------------------------------------------------------------- */

static int right_aligned(const key *k, const bdc_table *t, size_t c)
{
    if (k->computed && k->computed->show != SHOW_CELL) return k->computed->show != SHOW_KERNEL;
    /* A column of cells shown as written is a number column when every
     * value it shows is a number. */
    int numbers = 0;
    for (size_t r = 0; r < t->rows; r++) {
        const char *s = t->cells[r * t->columns + c];
        if (strcmp(s, "-") == 0) continue;
        if (isnan(parse_number(s))) return 0;
        numbers = 1;
    }
    return numbers;
}

int bdc_comparison_table(const bdc_csv *runs, size_t nruns, const char *title,
                         const bdc_comparison_options *o, bdc_table *t, char *about,
                         size_t aboutlen, char *err, size_t errlen)
{
    const int digits = o->digits ? o->digits : 3;
    const inputs all = {runs, nruns};
    size_t total = 0;
    for (size_t i = 0; i < nruns; i++) total += runs[i].rows;

    /* The columns: the keys asked for (or the default), minus the group's. */
    const char *const *names = o->columns ? o->columns : bdc_comparison_default;
    size_t nnames = o->columns ? o->ncolumns : 0;
    if (!o->columns)
        while (names[nnames]) nnames++;

    key *cols = calloc(nnames + 1, sizeof *cols);
    criterion *crit = calloc(o->nsort + 4, sizeof *crit);
    filter *filters = calloc(o->nwhere + 1, sizeof *filters);
    item *items = calloc(total + 1, sizeof *items);
    sort_value *values = calloc((total + 1) * (o->nsort + 4), sizeof *values);
    char **cells = calloc(nnames + 1, sizeof *cells);
    int rc = BDC_COMPARISON_FAILURE;
    memset(t, 0, sizeof *t);
    if (!cols || !crit || !filters || !items || !values || !cells) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    rc = BDC_COMPARISON_USAGE;
    key group = {0};
    if (o->group && resolve(o->group, runs, nruns, &group)) {
        snprintf(err, errlen, "--group: unknown column '%s' (bdc table --help lists them)",
                 o->group);
        goto done;
    }
    size_t ncols = 0;
    for (size_t i = 0; i < nnames; i++) {
        if (resolve(names[i], runs, nruns, &cols[ncols])) {
            snprintf(err, errlen, "--columns: unknown column '%s' (bdc table --help lists "
                                  "them)", names[i]);
            goto done;
        }
        if (o->group && strcmp(names[i], o->group) == 0) continue;
        ncols++;
    }
    if (!ncols) {
        snprintf(err, errlen, "--columns: no column left beside the --group column");
        goto done;
    }
    for (size_t i = 0; i < o->nwhere; i++)
        if ((rc = parse_where(o->where[i], runs, nruns, &filters[i], err, errlen)))
            goto done;
    rc = BDC_COMPARISON_USAGE;

    /* The order: the group (in order of first appearance, unless --sort
     * names it), then --sort or the default. */
    size_t ncrit = 0;
    int group_sorted = 0;
    for (size_t i = 0; i < o->nsort; i++) {
        const char *name = o->sort[i];
        const int descending = name[0] == '-';
        if (descending || name[0] == '+') name++;
        if (resolve(name, runs, nruns, &crit[ncrit + 1].k)) {
            snprintf(err, errlen, "--sort: unknown column '%s' (bdc table --help lists them)",
                     name);
            goto done;
        }
        crit[ncrit + 1].descending = descending;
        if (o->group && strcmp(name, o->group) == 0) {
            crit[0] = crit[ncrit + 1];
            group_sorted = 1;
        } else {
            ncrit++;
        }
    }
    if (!o->nsort) {
        static const char *const by[] = {"model", "hidden", "epochs"};
        for (size_t i = 0; i < 3; i++) {
            resolve(by[i], runs, nruns, &crit[i + 1].k);
            crit[i + 1].by_first_appearance = i == 0;
        }
        ncrit = 3;
    }
    criterion *first = crit + 1;
    if (o->group) {
        if (!group_sorted) {
            crit[0].k = group;
            crit[0].by_first_appearance = 1;
        }
        first = crit;
        ncrit++;
    }

    /* The rows that pass every filter, in input order. */
    size_t n = 0;
    for (size_t f = 0; f < nruns; f++)
        for (size_t r = 0; r < runs[f].rows; r++) {
            const row one = {&runs[f], r, &all};
            int keep = 1;
            for (size_t w = 0; w < o->nwhere && keep; w++) keep = passes(&filters[w], &one);
            if (keep) items[n++].r = one;
        }
    /* --compared: only configurations run in more than one way. */
    if (o->compared) {
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            int other = 0;
            for (size_t j = 0; j < n && !other; j++)
                other = j != i && same_configuration(&items[i].r, &items[j].r);
            if (other) items[kept++] = items[i];
        }
        n = kept;
    }
    /* --fastest: one row per configuration, the fastest in the place of
     * the configuration's first row. */
    if (o->fastest) {
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            size_t same = kept;
            for (size_t j = 0; j < kept && same == kept; j++)
                if (same_configuration(&items[j].r, &items[i].r)) same = j;
            if (same == kept) items[kept++] = items[i];
            else if (faster(&items[i].r, &items[same].r)) items[same].r = items[i].r;
        }
        n = kept;
    }
    for (size_t i = 0; i < n; i++) items[i].order = i;

    /* Sort values; first appearances become ranks. */
    for (size_t i = 0; i < n; i++) {
        items[i].values = values + i * (o->nsort + 4);
        items[i].criteria = first;
        items[i].ncriteria = ncrit;
        for (size_t c = 0; c < ncrit; c++) {
            sort_value v = sort_value_of(&first[c].k, &items[i].r);
            if (first[c].by_first_appearance) {
                char a[256], b[256];
                show(&first[c].k, &items[i].r, digits, a, sizeof a);
                size_t rank = i;
                for (size_t j = 0; j < i; j++) {
                    show(&first[c].k, &items[j].r, digits, b, sizeof b);
                    if (strcmp(a, b) == 0) {
                        rank = (size_t)items[j].values[c].number;
                        break;
                    }
                }
                v.number = (double)rank;
            }
            items[i].values[c] = v;
        }
    }
    qsort(items, n, sizeof *items, compare_items);

    rc = BDC_COMPARISON_FAILURE;
    if (bdc_table_init(t, title, ncols)) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    size_t shown_cols = 0;
    for (size_t i = 0; i < nnames; i++) {
        if (o->group && strcmp(names[i], o->group) == 0) continue;
        char h[96];
        if (cols[shown_cols].computed)
            header_text(cols[shown_cols].computed->header, items, n, h, sizeof h);
        else snprintf(h, sizeof h, "%s", cols[shown_cols].raw);
        if (bdc_table_set_column(t, shown_cols, h, 0)) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
        shown_cols++;
    }
    int binconv = 0, sanitized = 0, emulated = 0;
    char last_group[256] = "";
    for (size_t i = 0; i < n; i++) {
        const row *one = &items[i].r;
        binconv |= strcmp(cell(one, "model"), "binconv") == 0;
        sanitized |= strcmp(cell(one, "sanitized"), "1") == 0;
        emulated |= strcmp(cell(one, "kernel_status"), "emulated") == 0;
        if (o->group) {
            char value[256], label[400];
            show(&group, one, digits, value, sizeof value);
            if (i == 0 || strcmp(value, last_group) != 0) {
                char h[96];
                if (group.computed) header_text(group.computed->header, items, n, h, sizeof h);
                else snprintf(h, sizeof h, "%s", group.raw);
                snprintf(label, sizeof label, "%s: %s", h, value);
                snprintf(last_group, sizeof last_group, "%s", value);
                if (bdc_table_add_group(t, label)) {
                    snprintf(err, errlen, "out of memory");
                    goto done;
                }
            }
        }
        for (size_t k = 0; k < ncols; k++) {
            char buf[256];
            show(&cols[k], one, digits, buf, sizeof buf);
            if (!(cells[k] = strdup(buf))) {
                snprintf(err, errlen, "out of memory");
                goto done;
            }
        }
        const int added = bdc_table_add_row(t, (const char *const *)cells);
        for (size_t k = 0; k < ncols; k++) {
            free(cells[k]);
            cells[k] = NULL;
        }
        if (added) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
    }
    for (size_t k = 0; k < ncols; k++) t->right[k] = right_aligned(&cols[k], t, k);
    /* A "to target" column whose runs have different targets says which. */
    int to_target = 0;
    for (size_t k = 0; k < ncols; k++)
        to_target |= cols[k].computed && strchr(cols[k].computed->header, '%') &&
                     cols[k].computed->show != SHOW_PERCENT;
    char targets[512] = "";
    if (to_target) {
        size_t used = 0, pairs = 0;
        for (size_t i = 0; i < n; i++) {
            const char *tg = cell(&items[i].r, "target"), *ds = cell(&items[i].r, "dataset");
            int seen = 0;
            for (size_t j = 0; j < i && !seen; j++)
                seen = strcmp(cell(&items[j].r, "target"), tg) == 0 &&
                       strcmp(cell(&items[j].r, "dataset"), ds) == 0;
            if (seen || !*tg) continue;
            const int w = snprintf(targets + used, sizeof targets - used, "%s%g%% (%s)",
                                   pairs ? ", " : "The target accuracies: ",
                                   100.0 * strtod(tg, NULL), *ds ? ds : "?");
            if (w < 0 || (size_t)w >= sizeof targets - used) break;
            used += (size_t)w;
            pairs++;
        }
        char h[96];
        header_text("%", items, n, h, sizeof h);
        if (strcmp(h, "target") != 0) targets[0] = '\0'; /* one target: the header says it */
    }
    if ((targets[0] && bdc_table_add_note(t, targets)) ||
        bdc_table_add_note(t, "FLOPs are executed operations (a multiply-add is 2, zero inputs "
                              "skipped), docs/methodology.md; '-': not reached.") ||
        (binconv && bdc_table_add_note(t, "binconv: inference FLOPs include its feature "
                                          "extraction; training FLOPs do not (prep_flops).")) ||
        (emulated && bdc_table_add_note(t, "emulated: SIMDe translating another ISA, a "
                                           "correctness check, not a speed contender.")) ||
        (sanitized && bdc_table_add_note(t, "Some runs were built with sanitizers: their "
                                            "times mean nothing."))) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    if (about) {
        char machines[512], commits[512];
        distinct(items, n, "machine", machines, sizeof machines);
        distinct(items, n, "commit", commits, sizeof commits);
        snprintf(about, aboutlen, "%zu run%s on %s, recorded by bdc commit %s", n,
                 n == 1 ? "" : "s", machines, commits);
    }
    rc = 0;
done:
    if (rc) bdc_table_free(t);
    for (size_t i = 0; filters && i < o->nwhere; i++) free(filters[i].buffer);
    free(cols);
    free(crit);
    free(filters);
    free(items);
    free(values);
    free(cells);
    return rc;
}
