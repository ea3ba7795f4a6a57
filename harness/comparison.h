/* The comparison table of runs: one row per run of one or more runs.csv
 * files, columns computed from their cells (docs/results.md, docs/tables.md).
 * Columns, the rows kept, their order and grouping are named by keys, so a
 * caller chooses them (`bdc table`), and the result is a bdc_table any
 * renderer prints. */
#ifndef BDC_COMPARISON_H
#define BDC_COMPARISON_H

#include <stddef.h>

#include "csv.h"
#include "table.h"

/* The computed columns, and a one-line description of each.  Any column of
 * runs.csv is a key as well (shown as written; results and measurements
 * with the significant digits asked for). */
size_t bdc_comparison_column_count(void);
const char *bdc_comparison_column_key(size_t i);
const char *bdc_comparison_column_about(size_t i);

/* The keys of the default comparison, NULL-terminated. */
extern const char *const bdc_comparison_default[];

typedef struct bdc_comparison_options {
    const char *const *columns; /* keys of the columns; NULL: the default */
    size_t ncolumns;
    const char *const *sort;    /* keys, "-KEY" descending; none: by model in
                                 * order of first appearance, hidden, epochs */
    size_t nsort;
    const char *group;          /* a key whose values head groups of rows, or NULL;
                                 * its column is then not repeated in the rows */
    const char *const *where;   /* "COLUMN=V1,V2" (the cell is one of them) or
                                 * "COLUMN!=V1,V2", over runs.csv columns, several
                                 * joined by '|' (any may hold); all must hold */
    size_t nwhere;
    int compared;               /* keep only configurations run in more than one
                                 * way (kernel, threads, engine) */
    int fastest;                /* of runs that differ only in how they were computed
                                 * (kernel, threads, engine), keep the fastest,
                                 * native before emulated */
    int digits;                 /* significant digits of computed numbers (1..9) */
} bdc_comparison_options;

/* Errors: a usage error (an unknown key, a bad --where) or a failure. */
enum { BDC_COMPARISON_USAGE = -2, BDC_COMPARISON_FAILURE = -1 };

/* t <- the runs of runs[0..nruns) chosen, ordered and grouped by o, with
 * notes on what the numbers mean.  `about` receives a line saying which
 * runs the table shows ("12 runs on amd-epyc-2c, recorded by bdc commit
 * c175cafcf9ae").  Returns 0, or an error code above with a reason in err
 * that names the flag at fault. */
int bdc_comparison_table(const bdc_csv *runs, size_t nruns, const char *title,
                         const bdc_comparison_options *o, bdc_table *t, char *about,
                         size_t aboutlen, char *err, size_t errlen);

#endif
