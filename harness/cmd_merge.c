/* `bdc merge`: combine results folders (from several machines, or from a
 * sweep spread over many jobs) into one, one row per run id. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"
#include "results.h"

static const char usage[] =
    "usage: bdc merge [--into OUT] DIR...\n"
    "\n"
    "Add the runs of the results folders DIR... to OUT (default: results):\n"
    "for every DIR/<machine>/<experiment>/runs.csv, the rows whose run id OUT\n"
    "does not have yet, with their curve files, and meta.json when OUT has\n"
    "none.  A run id already present is kept as it is (OUT first, then the\n"
    "folders in the order given).  Every runs.csv must have this bdc's\n"
    "columns, or an older bdc's (a prefix of them); otherwise nothing is\n"
    "written.  Files are replaced atomically, under the folder's lock.\n"
    "\n"
    "Exit status: 0 merged, 1 a folder could not be read or written, 2 bad usage.\n";

/* One experiment folder found in an input. */
typedef struct source {
    char machine[256], experiment[256];
    char dir[4200];
    bdc_csv table;
} source;

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Appends the experiment folders of a results folder to *out. */
static int scan(const char *root, source **out, size_t *count, char *err, size_t errlen)
{
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/runs.csv", root);
    if (access(probe, F_OK) == 0) {
        snprintf(err, errlen, "%s: an experiment folder; give the results folder that "
                              "holds <machine>/<experiment>/ (two levels up)", root);
        return -1;
    }
    DIR *top = opendir(root);
    if (!top) {
        snprintf(err, errlen, "%s: %s", root, strerror(errno));
        return -1;
    }
    size_t found = 0;
    struct dirent *m;
    while ((m = readdir(top))) {
        char mdir[4200];
        if (m->d_name[0] == '.' || snprintf(mdir, sizeof mdir, "%s/%s", root, m->d_name) >= (int)sizeof mdir ||
            !is_dir(mdir))
            continue;
        DIR *inner = opendir(mdir);
        if (!inner) continue;
        struct dirent *e;
        while ((e = readdir(inner))) {
            char edir[4200], csv[4300];
            if (bdc_experiment_name_check(e->d_name) ||
                snprintf(edir, sizeof edir, "%s/%s", mdir, e->d_name) >= (int)sizeof edir)
                continue;
            snprintf(csv, sizeof csv, "%s/runs.csv", edir);
            if (access(csv, F_OK))
                continue;
            source *grown = realloc(*out, (*count + 1) * sizeof *grown);
            if (!grown) {
                closedir(inner);
                closedir(top);
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            *out = grown;
            source *s = &grown[(*count)++];
            memset(s, 0, sizeof *s);
            snprintf(s->machine, sizeof s->machine, "%s", m->d_name);
            snprintf(s->experiment, sizeof s->experiment, "%s", e->d_name);
            snprintf(s->dir, sizeof s->dir, "%s", edir);
            found++;
        }
        closedir(inner);
    }
    closedir(top);
    if (!found) {
        snprintf(err, errlen, "%s: no <machine>/<experiment>/runs.csv in it", root);
        return -1;
    }
    return 0;
}

/* Copies a file atomically, unless the destination exists. */
static int copy_new(const char *from, const char *to, char *err, size_t errlen)
{
    if (access(to, F_OK) == 0 || access(from, F_OK) != 0)
        return 0;
    FILE *f = fopen(from, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", from, strerror(errno));
        return -1;
    }
    char *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? 2 * cap : 1 << 14;
            char *grown = realloc(data, cap);
            if (!grown) break;
            data = grown;
        }
        const size_t n = fread(data + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    const int bad = ferror(f) || !data;
    fclose(f);
    int rc = -1;
    if (bad)
        snprintf(err, errlen, "%s: cannot read", from);
    else
        rc = bdc_write_atomic(to, data, len, err, errlen);
    free(data);
    return rc;
}

/* Merges every source of one (machine, experiment) into OUT. */
static int merge_one(const char *into, source *src, size_t n, char *err, size_t errlen)
{
    char dir[4200];
    if (bdc_results_path(dir, sizeof dir, into, src[0].machine, src[0].experiment)) {
        snprintf(err, errlen, "%s: path too long", into);
        return -1;
    }
    if (bdc_results_prepare(dir, err, errlen))
        return -1;
    const int lock = bdc_results_lock(dir, err, errlen);
    if (lock < 0)
        return -1;
    char real_dir[PATH_MAX];
    if (!realpath(dir, real_dir)) real_dir[0] = '\0';
    bdc_csv have;
    int rc = -1;
    bdc_row *rows = NULL;
    if (bdc_results_read(dir, &have, err, errlen))
        goto unlock;
    size_t total = have.rows;
    for (size_t i = 0; i < n; i++) total += src[i].table.rows;
    rows = malloc((total + 1) * sizeof *rows);
    if (!rows) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    size_t count = 0, added = 0, duplicates = 0;
    for (size_t r = 0; r < have.rows; r++)
        rows[count++] = (bdc_row){(const char *const *)have.cells + r * have.columns,
                                  have.columns};
    for (size_t i = 0; i < n; i++) {
        char real_src[PATH_MAX];
        if (real_dir[0] && realpath(src[i].dir, real_src) && strcmp(real_src, real_dir) == 0)
            continue; /* OUT itself given as an input */
        const bdc_csv *t = &src[i].table;
        const int curve = bdc_csv_column(t, "curve_file");
        for (size_t r = 0; r < t->rows; r++) {
            const char *id = bdc_csv_cell(t, r, 0);
            int seen = 0;
            for (size_t k = 0; k < count && !seen; k++)
                seen = strcmp(rows[k].cells[0], id) == 0;
            if (seen) {
                duplicates++;
                continue;
            }
            if (curve >= 0 && *bdc_csv_cell(t, r, (size_t)curve)) {
                const char *rel = bdc_csv_cell(t, r, (size_t)curve);
                char from[4400], to[4400];
                snprintf(from, sizeof from, "%s/%s", src[i].dir, rel);
                snprintf(to, sizeof to, "%s/%s", dir, rel);
                if (strstr(rel, "..") || copy_new(from, to, err, errlen)) {
                    if (strstr(rel, ".."))
                        snprintf(err, errlen, "%s/runs.csv: curve_file '%s' leaves the folder",
                                 src[i].dir, rel);
                    goto done;
                }
            }
            rows[count++] = (bdc_row){(const char *const *)t->cells + r * t->columns,
                                      t->columns};
            added++;
        }
        char from[4400], to[4400];
        snprintf(from, sizeof from, "%s/meta.json", src[i].dir);
        snprintf(to, sizeof to, "%s/meta.json", dir);
        if (copy_new(from, to, err, errlen))
            goto done;
    }
    if (bdc_results_write_rows(dir, rows, count, err, errlen))
        goto done;
    printf("bdc merge: %s/runs.csv: %zu runs (%zu added, %zu already there)\n", dir, count,
           added, duplicates);
    rc = 0;
done:
    free(rows);
    bdc_csv_free(&have);
unlock:
    bdc_results_unlock(lock);
    return rc;
}

int bdc_cmd_merge(int argc, char **argv)
{
    const char *into = "results";
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    size_t ninputs = 0;
    if (!inputs) {
        bdc_error("merge", "out of memory");
        return BDC_EXIT_FAILURE;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            free(inputs);
            return BDC_EXIT_OK;
        } else if (strcmp(argv[i], "--into") == 0) {
            if (++i == argc) {
                bdc_error("merge", "--into needs a value");
                free(inputs);
                return BDC_EXIT_USAGE;
            }
            into = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            bdc_error("merge", "unknown option '%s' (see bdc merge --help)", argv[i]);
            free(inputs);
            return BDC_EXIT_USAGE;
        } else {
            inputs[ninputs++] = argv[i];
        }
    }
    if (!ninputs) {
        bdc_error("merge", "which folders? (see bdc merge --help)");
        free(inputs);
        return BDC_EXIT_USAGE;
    }

    /* Read and check everything before writing anything. */
    char err[4600];
    source *src = NULL;
    size_t nsrc = 0;
    int status = BDC_EXIT_FAILURE;
    for (size_t i = 0; i < ninputs; i++)
        if (scan(inputs[i], &src, &nsrc, err, sizeof err)) {
            bdc_error("merge", "%s", err);
            goto done;
        }
    for (size_t i = 0; i < nsrc; i++) {
        char csv[4300];
        snprintf(csv, sizeof csv, "%s/runs.csv", src[i].dir);
        if (bdc_csv_read(csv, &src[i].table, err, sizeof err) ||
            bdc_results_check_header(&src[i].table, csv, err, sizeof err)) {
            bdc_error("merge", "%s", err);
            goto done;
        }
        if (src[i].table.columns == 0 || strcmp(src[i].table.header[0], "run_id") != 0) {
            bdc_error("merge", "%s: the first column is not run_id", csv);
            goto done;
        }
    }

    /* One merge per (machine, experiment), the inputs in the order given. */
    int *merged = calloc(nsrc + 1, sizeof *merged);
    source *group = calloc(nsrc + 1, sizeof *group);
    if (!merged || !group) {
        free(merged);
        free(group);
        bdc_error("merge", "out of memory");
        goto done;
    }
    status = BDC_EXIT_OK;
    for (size_t i = 0; i < nsrc && status == BDC_EXIT_OK; i++) {
        if (merged[i]) continue;
        size_t n = 0;
        for (size_t k = i; k < nsrc; k++)
            if (!merged[k] && strcmp(src[k].machine, src[i].machine) == 0 &&
                strcmp(src[k].experiment, src[i].experiment) == 0) {
                group[n++] = src[k]; /* shallow: the tables stay owned by src */
                merged[k] = 1;
            }
        if (merge_one(into, group, n, err, sizeof err)) {
            bdc_error("merge", "%s", err);
            status = BDC_EXIT_FAILURE;
        }
    }
    free(merged);
    free(group);
done:
    for (size_t i = 0; i < nsrc; i++) bdc_csv_free(&src[i].table);
    free(src);
    free(inputs);
    return status;
}
