/* The comparison table of an experiment: one row per run of runs.csv,
 * columns computed from its cells (docs/results.md).  Columns are named by
 * keys, so a caller chooses them (`bdc table --columns`), and the result
 * is a bdc_table any renderer prints. */
#ifndef BDC_COMPARISON_H
#define BDC_COMPARISON_H

#include <stddef.h>

#include "csv.h"
#include "table.h"

/* Every column key, and a one-line description of each. */
size_t bdc_comparison_column_count(void);
const char *bdc_comparison_column_key(size_t i);
const char *bdc_comparison_column_about(size_t i);

/* The keys of the default comparison, NULL-terminated. */
extern const char *const bdc_comparison_default[];

/* t <- the runs as rows (sorted by model in order of first appearance,
 * then hidden size, then epochs), the keys as columns, and notes on what
 * the numbers mean.  Returns 0, or -1 with a reason (an unknown key). */
int bdc_comparison_table(const bdc_csv *runs, const char *title,
                         const char *const *keys, size_t nkeys, bdc_table *t,
                         char *err, size_t errlen);

#endif
