/* One run of `bdc train`: what it was asked to do (bdc_run_desc), what it
 * measured (bdc_run_record), its id, and the columns of runs.csv.
 *
 * The columns are a stable contract (docs/results.md): new ones are added
 * at the end, none is ever renamed or removed. */
#ifndef BDC_RUN_RECORD_H
#define BDC_RUN_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "curve.h"
#include "json.h"
#include "model.h"

/* Everything that decides a run's result, resolved: defaults applied,
 * `auto` replaced by the family it picks. */
typedef struct bdc_run_desc {
    bdc_config cfg;
    const char *dataset;      /* "mnist", "fashion", or the --data-dir path */
    const char *kernel;       /* the family's name */
    unsigned threads;         /* training threads */
    size_t train_limit, test_limit; /* 0: the whole set */
    uint64_t eval_every;      /* 0: no intermediate tests */
    double target;            /* the accuracy of time-to-accuracy */
    /* How it trains: "blocked", "sample" or "minibatch" (mlp); NULL when
     * not known (left empty).  block and tile are the blocked engine's
     * (0 otherwise); *_given when a flag set them to other sizes than the
     * ones bdc chooses from the cache.  The run id counts the sample
     * engine and given sizes only, so a run at the defaults keeps the id
     * it had before these columns. */
    const char *engine;
    size_t block, tile;
    int block_given, tile_given;
} bdc_run_desc;

typedef struct bdc_run_record {
    bdc_run_desc desc;
    char run_id[96];
    char date[32];            /* UTC, ISO 8601, when the run ended */
    char machine[80];         /* the machine id (results/<machine>/) */
    const char *commit;
    int sanitized;
    const char *kernel_status; /* "native" or "emulated" */
    uint64_t train_samples, train_steps, test_samples, test_correct;
    double test_accuracy, train_running_accuracy;
    uint64_t parameters;
    bdc_cost train;           /* the whole training */
    bdc_cost infer;           /* the final test, the whole test set */
    bdc_cost prep;            /* feature extraction, train and test sets */
    double prep_seconds, train_seconds, train_cpu_seconds;
    double test_seconds, test_cpu_seconds, eval_seconds;
    uint64_t peak_rss_bytes;
    const bdc_curve *curve;   /* its last point is the final test */
    char fingerprint[17];
} bdc_run_record;

/* What a column holds. */
typedef enum {
    BDC_COLUMN_IDENTITY, /* which run, where, built from what */
    BDC_COLUMN_CONFIG,   /* the configuration: the run id is made of these */
    BDC_COLUMN_RESULT,   /* deterministic outcome: the same for the same run */
    BDC_COLUMN_MEASURED, /* time and memory: differs between repetitions */
} bdc_column_kind;

size_t bdc_run_column_count(void);
const char *bdc_run_column_name(size_t i);
bdc_column_kind bdc_run_column_kind(size_t i);
/* The column index of a name, or -1. */
int bdc_run_column_find(const char *name);

/* Column i of r as CSV text (numbers shortest-exact, "" for an empty
 * cell). */
void bdc_run_column_format(const bdc_run_record *r, size_t i, char *buf, size_t len);

/* The run id: "<model>-h<H>-e<E>-" and 12 hex digits of FNV-1a 64 over
 * the config columns as "name=value\n" lines.  Equal configurations, equal
 * ids; any config column that differs gives another id. */
void bdc_run_id(const bdc_run_desc *d, char *id, size_t len);

/* The record's columns that the --json summary did not print before
 * (accounting, curve, target, identity), as keys of j. */
void bdc_run_json(bdc_json *j, const bdc_run_record *r);

/* Fills the identity columns: machine, commit, date (now), sanitized. */
void bdc_run_identify(bdc_run_record *r);

#endif
