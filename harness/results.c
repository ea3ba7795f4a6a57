#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_info.h"
#include "machine.h"
#include "version.h"

int bdc_experiment_name_check(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 100 || name[0] == '.')
        return -1;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
            return -1;
    return 0;
}

int bdc_results_path(char *out, size_t len, const char *root, const char *machine,
                     const char *experiment)
{
    int n = snprintf(out, len, "%s/%s/%s", root, machine, experiment);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

int bdc_mkdirs(const char *path, char *err, size_t errlen)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    for (char *p = buf + 1;; p++) {
        const int end = *p == '\0';
        if (*p == '/' || end) {
            *p = '\0';
            if (mkdir(buf, 0777) && errno != EEXIST) {
                snprintf(err, errlen, "%s: cannot create folder: %s", buf, strerror(errno));
                return -1;
            }
            if (end) break;
            *p = '/';
        }
    }
    struct stat st;
    if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: not a folder", path);
        return -1;
    }
    return 0;
}

int bdc_write_atomic(const char *path, const char *data, size_t len, char *err,
                     size_t errlen)
{
    char tmp[4200];
    const char *slash = strrchr(path, '/');
    const int dirlen = slash ? (int)(slash - path + 1) : 0;
    snprintf(tmp, sizeof tmp, "%.*stmp-%ld-%s", dirlen, path, (long)getpid(),
             slash ? slash + 1 : path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot write: %s", tmp, strerror(errno));
        return -1;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        done += (size_t)w;
    }
    const int ok = done == len && fsync(fd) == 0;
    const int saved = errno;
    if (close(fd) || !ok || rename(tmp, path)) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(ok ? errno : saved));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int bdc_results_lock(const char *dir, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/.lock", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    while (flock(fd, LOCK_EX)) {
        if (errno == EINTR) continue;
        snprintf(err, errlen, "%s: cannot lock: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

void bdc_results_unlock(int fd)
{
    if (fd >= 0) close(fd); /* closing releases the flock */
}

int bdc_results_check_header(const bdc_csv *table, const char *name, char *err,
                             size_t errlen)
{
    const size_t ours = bdc_run_column_count();
    for (size_t i = 0; i < table->columns; i++) {
        if (i >= ours) {
            snprintf(err, errlen,
                     "%s: column %zu '%s' is unknown to this bdc (written by a newer "
                     "one?); use that bdc, or another results folder",
                     name, i + 1, table->header[i]);
            return -1;
        }
        if (strcmp(table->header[i], bdc_run_column_name(i)) != 0) {
            snprintf(err, errlen,
                     "%s: column %zu is '%s' where bdc writes '%s'; the header does "
                     "not match (see docs/results.md)",
                     name, i + 1, table->header[i], bdc_run_column_name(i));
            return -1;
        }
    }
    return 0;
}

/* A table with this bdc's header and no rows. */
static int empty_table(bdc_csv *out)
{
    memset(out, 0, sizeof *out);
    const size_t n = bdc_run_column_count();
    out->header = calloc(n, sizeof *out->header);
    if (!out->header) return -1;
    out->columns = n;
    for (size_t i = 0; i < n; i++)
        if (!(out->header[i] = strdup(bdc_run_column_name(i)))) {
            bdc_csv_free(out);
            return -1;
        }
    return 0;
}

int bdc_results_read(const char *dir, bdc_csv *out, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    if (bdc_csv_read(path, out, err, errlen) == 0)
        return 0;
    if (errno != ENOENT)
        return -1;
    if (empty_table(out)) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    return 0;
}

int bdc_results_has(const char *dir, const char *id, char *err, size_t errlen)
{
    bdc_csv table;
    if (bdc_results_read(dir, &table, err, errlen))
        return -1;
    int found = 0;
    for (size_t r = 0; r < table.rows && !found; r++)
        found = table.columns && strcmp(bdc_csv_cell(&table, r, 0), id) == 0;
    bdc_csv_free(&table);
    return found;
}

int bdc_results_prepare(const char *dir, char *err, size_t errlen)
{
    char curves[4200];
    snprintf(curves, sizeof curves, "%s/curves", dir);
    if (bdc_mkdirs(curves, err, errlen))
        return -1;
    bdc_csv table;
    if (bdc_results_read(dir, &table, err, errlen))
        return -1;
    char name[4200];
    snprintf(name, sizeof name, "%s/runs.csv", dir);
    int rc = bdc_results_check_header(&table, name, err, errlen);
    bdc_csv_free(&table);
    if (rc == 0 && access(dir, W_OK)) {
        snprintf(err, errlen, "%s: not writable: %s", dir, strerror(errno));
        rc = -1;
    }
    return rc;
}

int bdc_results_write_rows(const char *dir, const bdc_row *rows, size_t count,
                           char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    const size_t n = bdc_run_column_count();
    const char **line = malloc(n * sizeof *line);
    if (!f || !line) {
        if (f) fclose(f);
        free(text);
        free(line);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    for (size_t c = 0; c < n; c++)
        line[c] = bdc_run_column_name(c);
    bdc_csv_write_row(f, line, n);
    for (size_t r = 0; r < count; r++) {
        /* Cells an older bdc did not write are left empty. */
        for (size_t c = 0; c < n; c++)
            line[c] = c < rows[r].width ? rows[r].cells[c] : "";
        bdc_csv_write_row(f, line, n);
    }
    const int failed = ferror(f);
    fclose(f);
    free(line);
    int rc = -1;
    if (failed)
        snprintf(err, errlen, "%s: out of memory", path);
    else
        rc = bdc_write_atomic(path, text, len, err, errlen);
    free(text);
    return rc;
}

/* meta.json: the machine, the build and when the folder was started. */
static int write_meta(const char *dir, const bdc_run_record *r, char *err,
                      size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/meta.json", dir);
    if (access(path, F_OK) == 0)
        return 0;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    const char *slash = strrchr(dir, '/');
    bdc_json j;
    bdc_json_begin(&j, f);
    bdc_json_str(&j, "experiment", slash ? slash + 1 : dir);
    bdc_json_str(&j, "created", r->date);
    bdc_json_str(&j, "bdc_version", BDC_VERSION);
    bdc_json_str(&j, "commit", r->commit);
    bdc_build_info_json(&j, "build");
    bdc_machine_json(&j, "machine", bdc_machine_get());
    bdc_json_end(&j);
    fclose(f);
    int rc = bdc_write_atomic(path, text, len, err, errlen);
    free(text);
    return rc;
}

static int write_curve(const char *dir, const bdc_run_record *r, char *err,
                       size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        snprintf(err, errlen, "%s: out of memory", dir);
        return -1;
    }
    if (r->curve)
        bdc_curve_write_csv(r->curve, f);
    fclose(f);
    char path[4200];
    snprintf(path, sizeof path, "%s/curves/%s.csv", dir, r->run_id);
    int rc = bdc_write_atomic(path, text, len, err, errlen);
    free(text);
    return rc;
}

int bdc_results_commit(const char *dir, const bdc_run_record *r, char *err,
                       size_t errlen)
{
    if (bdc_results_prepare(dir, err, errlen))
        return -1;
    int lock = bdc_results_lock(dir, err, errlen);
    if (lock < 0)
        return -1;
    bdc_csv table;
    int rc = -1;
    if (bdc_results_read(dir, &table, err, errlen))
        goto unlock;
    char name[4200];
    snprintf(name, sizeof name, "%s/runs.csv", dir);
    if (bdc_results_check_header(&table, name, err, errlen))
        goto done;
    if (write_curve(dir, r, err, errlen) || write_meta(dir, r, err, errlen))
        goto done;
    /* The rows so far, less an earlier one of the same run id, then r's. */
    const size_t n = bdc_run_column_count();
    bdc_row *rows = malloc((table.rows + 1) * sizeof *rows);
    char **cells = calloc(n, sizeof *cells);
    size_t count = 0;
    int oom = !rows || !cells;
    if (!oom) {
        for (size_t i = 0; i < table.rows; i++)
            if (strcmp(bdc_csv_cell(&table, i, 0), r->run_id) != 0)
                rows[count++] = (bdc_row){(const char *const *)table.cells + i * table.columns,
                                          table.columns};
        char value[4200];
        size_t c = 0;
        for (; c < n; c++) {
            bdc_run_column_format(r, c, value, sizeof value);
            if (!(cells[c] = strdup(value))) break;
        }
        oom = c < n;
        if (!oom) {
            rows[count++] = (bdc_row){(const char *const *)cells, n};
            rc = bdc_results_write_rows(dir, rows, count, err, errlen);
        }
    }
    if (oom)
        snprintf(err, errlen, "%s: out of memory", name);
    for (size_t c = 0; cells && c < n; c++) free(cells[c]);
    free(cells);
    free(rows);
done:
    bdc_csv_free(&table);
unlock:
    bdc_results_unlock(lock);
    return rc;
}
