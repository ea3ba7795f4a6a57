/* The results folder (docs/results.md):
 *
 *   ROOT/<machine>/<experiment>/runs.csv         one row per finished run
 *   ROOT/<machine>/<experiment>/curves/<id>.csv  its learning curve
 *   ROOT/<machine>/<experiment>/meta.json        machine, build, date
 *
 * Every file is written whole to a temporary file (tmp-*) and renamed into
 * place, so a run killed at any moment leaves the folder as it was.  Rows
 * are added under an exclusive lock (flock on .lock), so concurrent runs
 * neither interleave nor lose each other's rows.  A run writes nothing
 * until it has finished. */
#ifndef BDC_RESULTS_H
#define BDC_RESULTS_H

#include <stddef.h>

#include "csv.h"
#include "run_record.h"

/* An experiment name: letters, digits, '.', '_', '-', not starting with
 * '.', at most 100 characters.  Returns 0 if valid. */
int bdc_experiment_name_check(const char *name);

/* out <- ROOT/<machine>/<experiment>.  -1 when it does not fit. */
int bdc_results_path(char *out, size_t len, const char *root, const char *machine,
                     const char *experiment);

/* Creates the folder (and curves/) and checks that an existing runs.csv
 * can take this bdc's rows: run before a run starts, so that a folder it
 * could not write to is reported before the work, not after.  Returns 0,
 * or -1 with a one-line reason. */
int bdc_results_prepare(const char *dir, char *err, size_t errlen);

/* Records a finished run: its curve file, meta.json if the folder has none
 * yet, and its row in runs.csv (replacing a row of the same run id).
 * Returns 0, or -1 with a one-line reason and nothing of the row written. */
int bdc_results_commit(const char *dir, const bdc_run_record *r, char *err,
                       size_t errlen);

/* Reads dir/runs.csv; a missing file reads as a table with this bdc's
 * header and no rows.  Returns 0, or -1 with a reason. */
int bdc_results_read(const char *dir, bdc_csv *out, char *err, size_t errlen);

/* Is run `id` a row of dir/runs.csv?  1 or 0; -1 with a reason when the
 * file cannot be read. */
int bdc_results_has(const char *dir, const char *id, char *err, size_t errlen);

/* An exclusive lock on a results folder (dir/.lock), held until unlock.
 * Returns the descriptor, or -1 with a reason. */
int bdc_results_lock(const char *dir, char *err, size_t errlen);
void bdc_results_unlock(int fd);

/* Writes data to path through a temporary file in the same folder and a
 * rename.  Returns 0, or -1 with a reason (the temporary file removed). */
int bdc_write_atomic(const char *path, const char *data, size_t len, char *err,
                     size_t errlen);

/* mkdir -p.  Returns 0, or -1 with a reason. */
int bdc_mkdirs(const char *path, char *err, size_t errlen);

/* One row of runs.csv: `width` cells, fewer than the columns for a row an
 * older bdc wrote (the rest are written empty). */
typedef struct bdc_row {
    const char *const *cells;
    size_t width;
} bdc_row;

/* Writes dir/runs.csv atomically: this bdc's header, then the rows.  The
 * caller holds the lock. */
int bdc_results_write_rows(const char *dir, const bdc_row *rows, size_t count,
                           char *err, size_t errlen);

/* Checks that a runs.csv header can be used by this bdc: it must be this
 * bdc's column list or a prefix of it (a file an older bdc wrote).
 * Returns 0, or -1 with a reason naming `name`. */
int bdc_results_check_header(const bdc_csv *table, const char *name, char *err,
                             size_t errlen);

#endif
