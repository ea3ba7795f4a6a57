/* `bdc table`: the comparison table of an experiment's runs.csv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "commands.h"
#include "comparison.h"
#include "machine.h"
#include "results.h"

static void usage(FILE *f)
{
    fputs("usage: bdc table [PATH] [--experiment NAME] [--results DIR] [--machine ID]\n"
          "                 [--columns KEY,...]\n"
          "\n"
          "Print the comparison table of an experiment: one row per run of its\n"
          "runs.csv (docs/results.md), sorted by model, hidden size and epochs.\n"
          "PATH is an experiment folder or a runs.csv; without it the folder is\n"
          "DIR/ID/NAME (defaults: results, this machine, main).\n"
          "\n"
          "columns (default: model hidden epochs kernel accuracy train_gflop\n"
          "infer_kflop params train_s acc_per_gflop time_to_target):\n", f);
    for (size_t i = 0; i < bdc_comparison_column_count(); i++)
        fprintf(f, "  %-18s %s\n", bdc_comparison_column_key(i),
                bdc_comparison_column_about(i));
}

int bdc_cmd_table(int argc, char **argv)
{
    const char *path = NULL, *experiment = "main", *root = "results", *machine = NULL;
    char *columns = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return BDC_EXIT_OK;
        }
        const char **value = strcmp(a, "--experiment") == 0 ? &experiment
                             : strcmp(a, "--results") == 0  ? &root
                             : strcmp(a, "--machine") == 0  ? &machine
                             : strcmp(a, "--columns") == 0  ? (const char **)&columns
                                                            : NULL;
        if (value) {
            if (++i == argc) {
                bdc_error("table", "%s needs a value", a);
                return BDC_EXIT_USAGE;
            }
            *value = argv[i];
        } else if (a[0] == '-' && a[1]) {
            bdc_error("table", "unknown option '%s' (see bdc table --help)", a);
            return BDC_EXIT_USAGE;
        } else if (path) {
            bdc_error("table", "one experiment at a time ('%s' and '%s')", path, a);
            return BDC_EXIT_USAGE;
        } else {
            path = a;
        }
    }

    /* The keys of the columns. */
    const char *keys[64];
    size_t nkeys = 0;
    char *list = columns ? strdup(columns) : NULL;
    if (columns && !list) {
        bdc_error("table", "out of memory");
        return BDC_EXIT_FAILURE;
    }
    if (list) {
        for (char *save = NULL, *k = strtok_r(list, ",", &save); k;
             k = strtok_r(NULL, ",", &save)) {
            if (nkeys == sizeof keys / sizeof *keys) {
                bdc_error("table", "--columns: more than %zu columns", nkeys);
                free(list);
                return BDC_EXIT_USAGE;
            }
            keys[nkeys++] = k;
        }
        if (!nkeys) {
            bdc_error("table", "--columns: no column named");
            free(list);
            return BDC_EXIT_USAGE;
        }
    } else {
        while (bdc_comparison_default[nkeys]) {
            keys[nkeys] = bdc_comparison_default[nkeys];
            nkeys++;
        }
    }

    /* Where runs.csv is. */
    char file[4300], err[4600], title[4500];
    struct stat st;
    if (path && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(file, sizeof file, "%s/runs.csv", path);
    else if (path)
        snprintf(file, sizeof file, "%s", path);
    else {
        char dir[4200];
        if (bdc_results_path(dir, sizeof dir, root,
                             machine ? machine : bdc_machine_get()->id, experiment)) {
            bdc_error("table", "--results: path too long");
            free(list);
            return BDC_EXIT_USAGE;
        }
        snprintf(file, sizeof file, "%s/runs.csv", dir);
    }
    bdc_csv runs;
    if (bdc_csv_read(file, &runs, err, sizeof err)) {
        bdc_error("table", "%s", err);
        free(list);
        return BDC_EXIT_FAILURE;
    }
    const int m = bdc_csv_column(&runs, "machine");
    snprintf(title, sizeof title, "%s: %zu run%s%s%s", file, runs.rows,
             runs.rows == 1 ? "" : "s", m >= 0 && runs.rows ? " on " : "",
             m >= 0 && runs.rows ? bdc_csv_cell(&runs, 0, (size_t)m) : "");
    bdc_table t;
    int rc = BDC_EXIT_OK;
    if (bdc_comparison_table(&runs, title, keys, nkeys, &t, err, sizeof err)) {
        bdc_error("table", "%s", err);
        rc = strncmp(err, "--columns", 9) == 0 ? BDC_EXIT_USAGE : BDC_EXIT_FAILURE;
    } else {
        bdc_table_print_plain(&t, stdout);
        bdc_table_free(&t);
    }
    bdc_csv_free(&runs);
    free(list);
    return rc;
}
