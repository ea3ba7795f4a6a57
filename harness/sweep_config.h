/* Sweep files (docs/sweeps.md): a grid of `bdc train` runs.
 *
 *   # comment
 *   experiment = main            # the results folder's name (default: file stem)
 *   model  = bidir, entangled    # every value of every key is combined
 *   hidden = 100, 300
 *   [published]                  # a section: a grid of its own
 *   model  = bidir
 *   hidden = 1500
 *
 * Keys are `bdc train` flags without the dashes.  Keys above the first
 * section are shared by every section (a section's own value list replaces
 * a shared one); without sections the shared keys are the one grid.  The
 * parser is strict: any mistake is a one-line "FILE:LINE: what" error. */
#ifndef BDC_SWEEP_CONFIG_H
#define BDC_SWEEP_CONFIG_H

#include <stddef.h>

typedef struct bdc_sweep_setting {
    char *key;       /* a train flag without "--" */
    char **values;
    size_t count;
    unsigned line;
} bdc_sweep_setting;

typedef struct bdc_sweep_grid {
    char *name;      /* the section, or "" for the file's one grid */
    unsigned line;   /* of its [section] line; 0 for the file's one grid */
    bdc_sweep_setting *settings; /* shared ones first, in file order */
    size_t count;
} bdc_sweep_grid;

typedef struct bdc_sweep {
    char *path;
    char *experiment; /* never NULL after parsing */
    char *results;    /* NULL: not set in the file */
    unsigned experiment_line, results_line;
    bdc_sweep_grid *grids;
    size_t count;
} bdc_sweep;

/* Parses text; `path` names it in errors and gives the default experiment
 * name (its file name without folder and extension).  Returns 0, or -1
 * with "PATH:LINE: what is wrong" in err. */
int bdc_sweep_parse(const char *text, size_t len, const char *path, bdc_sweep *out,
                    char *err, size_t errlen);

/* Reads and parses a file. */
int bdc_sweep_load(const char *path, bdc_sweep *out, char *err, size_t errlen);

void bdc_sweep_free(bdc_sweep *s);

/* The number of runs of a grid: the product of its value counts. */
size_t bdc_sweep_grid_size(const bdc_sweep_grid *g);

/* The settings of run i of a grid (0 <= i < size), the first setting
 * varying slowest: out[2k] = key (a train flag without "--"),
 * out[2k+1] = its value; 2*g->count entries pointing into the grid. */
void bdc_sweep_grid_point(const bdc_sweep_grid *g, size_t i, char **out);

/* The setting of a key in a grid, or NULL. */
const bdc_sweep_setting *bdc_sweep_grid_find(const bdc_sweep_grid *g, const char *key);

#endif
