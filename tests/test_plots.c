/* `make plots` and `make tables` on the committed fixture
 * (tests/fixtures/results, tests/fixtures/README.md): every figure drawn as
 * PNG and PDF, the Pareto front right, the tables written, bad input
 * refused.  Runs plots/plots.py (python3, gnuplot) and
 * scripts/paper-tables.sh ($BDC_BIN) from the repository's root. */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "suites.h"

#define FIXTURE "tests/fixtures/results"
#define HOST "amd-epyc-2c"
#define EMULATED_CPU "intel-core-i7-9xx-nehalem-class-core-i7-2c"

static char out[65536], err[65536];

/* Runs argv (argv[0] found on the PATH) with the environment variable
 * BDC set to $BDC_BIN; its exit status, stdout and stderr in out, err. */
static int run(const char *const *argv)
{
    char dir[512], o[600], e[600];
    bdc_test_tmpdir(dir, sizeof dir);
    snprintf(o, sizeof o, "%s/out", dir);
    snprintf(e, sizeof e, "%s/err", dir);
    fflush(NULL);
    const pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (!freopen(o, "w", stdout) || !freopen(e, "w", stderr)) _exit(126);
        setenv("BDC", bdc_test_bin(), 1);
        unsetenv("SOURCE_DATE_EPOCH"); /* PDFs then carry 1970-01-01 */
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    const int status = bdc_test_wait(pid);
    out[0] = err[0] = '\0';
    bdc_test_read(o, out, sizeof out);
    bdc_test_read(e, err, sizeof err);
    bdc_test_remove_tree(dir);
    return status;
}

static void check_signature(const char *path, const char *magic, size_t len, size_t min_size)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s was not drawn", path);
    char head[16] = "";
    const size_t got = fread(head, 1, len, f);
    fseek(f, 0, SEEK_END);
    const long size = ftell(f);
    fclose(f);
    ck_assert_msg(got == len && memcmp(head, magic, len) == 0, "%s: not the format", path);
    ck_assert_msg(size >= (long)min_size, "%s: only %ld bytes", path, size);
}

/* (x, y) pairs of a TSV in columns cx and cy (1-based), '#' comments and
 * blank lines skipped. */
static size_t read_points(const char *path, int cx, int cy, double (*p)[2], size_t max)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s missing", path);
    char line[512];
    size_t n = 0;
    while (fgets(line, sizeof line, f) && n < max) {
        if (line[0] == '#' || line[0] == '\n') continue;
        double v[4] = {0};
        int k = 0;
        for (char *save = NULL, *t = strtok_r(line, "\t\n", &save); t && k < 4;
             t = strtok_r(NULL, "\t\n", &save))
            v[k++] = strtod(t, NULL);
        ck_assert_int_ge(k, cx > cy ? cx : cy);
        p[n][0] = v[cx - 1];
        p[n][1] = v[cy - 1];
        n++;
    }
    fclose(f);
    return n;
}

START_TEST(every_figure_from_the_fixture)
{
    char dir[512];
    bdc_test_tmpdir(dir, sizeof dir);
    const char *argv[] = {"python3", "plots/plots.py", "--results", FIXTURE, "--experiment",
                          "paper", "--out", dir, NULL};
    ck_assert_msg(run(argv) == 0, "plots.py failed: %s", err);
    ck_assert_msg(err[0] == '\0', "plots.py said: %s", err);
    static const char *const figures[] = {
        "accuracy-flops-mnist", "accuracy-flops-fashion", "curves-samples-mnist",
        "curves-samples-fashion", "curves-time-mnist-" HOST, "curves-time-fashion-" HOST,
        "curves-time-mnist-" EMULATED_CPU, "speedup-" HOST, "speedup-" EMULATED_CPU,
        "machines-mnist", "kernels-" HOST,
    };
    char path[1024];
    for (size_t i = 0; i < sizeof figures / sizeof *figures; i++) {
        snprintf(path, sizeof path, "%s/%s.png", dir, figures[i]);
        check_signature(path, "\x89PNG\r\n\x1a\n", 8, 20000);
        ck_assert_ptr_nonnull(strstr(out, path));
        snprintf(path, sizeof path, "%s/%s.pdf", dir, figures[i]);
        check_signature(path, "%PDF-", 5, 5000);
        /* Not the time it was drawn: redrawn figures are the same bytes. */
        static char pdf[1 << 20];
        const long len = bdc_test_read(path, pdf, sizeof pdf);
        ck_assert_msg(len > 0 && memmem(pdf, (size_t)len, "/CreationDate (D:19700101000000Z)", 33) != NULL,
                      "%s: creation date not pinned", path);
    }
    /* Fashion-MNIST runs on one machine only: no machines figure for it. */
    snprintf(path, sizeof path, "%s/machines-fashion.png", dir);
    ck_assert_int_ne(access(path, F_OK), 0);

    /* The Pareto front: increasing in both, made of runs, beaten by none,
     * and every other run is beaten by a point of it. */
    double runs[64][2], front[64][2];
    snprintf(path, sizeof path, "%s/data/accuracy-flops-mnist.tsv", dir);
    const size_t n = read_points(path, 2, 3, runs, 64);
    snprintf(path, sizeof path, "%s/data/accuracy-flops-mnist-front.tsv", dir);
    const size_t m = read_points(path, 1, 2, front, 64);
    ck_assert_uint_ge(n, 10);
    ck_assert_uint_ge(m, 2);
    for (size_t i = 0; i < m; i++) {
        if (i) ck_assert(front[i][0] > front[i - 1][0] && front[i][1] > front[i - 1][1]);
        int is_run = 0;
        for (size_t j = 0; j < n; j++) {
            is_run |= runs[j][0] == front[i][0] && runs[j][1] == front[i][1];
            ck_assert_msg(!(runs[j][0] <= front[i][0] && runs[j][1] > front[i][1]),
                          "a run beats front point %zu", i);
        }
        ck_assert(is_run);
    }
    for (size_t j = 0; j < n; j++) {
        int beaten = 0;
        for (size_t i = 0; i < m && !beaten; i++)
            beaten = front[i][0] <= runs[j][0] && front[i][1] >= runs[j][1];
        ck_assert_msg(beaten, "run %zu is neither on the front nor beaten by it", j);
    }
    bdc_test_remove_tree(dir);
}
END_TEST

START_TEST(every_table_from_the_fixture)
{
    char dir[512], path[1024], text[65536];
    bdc_test_tmpdir(dir, sizeof dir);
    const char *argv[] = {"sh", "scripts/paper-tables.sh", FIXTURE, "paper", dir, NULL};
    ck_assert_msg(run(argv) == 0, "paper-tables.sh failed: %s", err);
    static const char *const tables[] = {
        HOST "/comparison", HOST "/ablation", HOST "/speedup", EMULATED_CPU "/comparison",
        EMULATED_CPU "/ablation", EMULATED_CPU "/speedup", "machines",
    };
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        snprintf(path, sizeof path, "%s/%s.md", dir, tables[i]);
        ck_assert_msg(bdc_test_read(path, text, sizeof text) > 0, "%s missing", path);
        ck_assert_ptr_nonnull(strstr(text, "<!--\nGenerated by: "));
        ck_assert_ptr_nonnull(strstr(text, "\n|---"));
        snprintf(path, sizeof path, "%s/%s.tex", dir, tables[i]);
        ck_assert_msg(bdc_test_read(path, text, sizeof text) > 0, "%s missing", path);
        ck_assert_ptr_nonnull(strstr(text, "\\toprule\n"));
        ck_assert_ptr_nonnull(strstr(text, "\\bottomrule\n"));
    }
    /* The ablation: the three mixings of bidir; the speed-up: the
     * emulated family marked, the scalar family at 1. */
    snprintf(path, sizeof path, "%s/" HOST "/ablation.md", dir);
    bdc_test_read(path, text, sizeof text);
    ck_assert_ptr_nonnull(strstr(text, "| 300 | 3 | 1.75 | 1 |"));
    ck_assert_ptr_nonnull(strstr(text, "| 300 | 3 | 1 | 0 |"));
    ck_assert_ptr_nonnull(strstr(text, "| 300 | 3 | 0 | 1 |"));
    snprintf(path, sizeof path, "%s/" HOST "/speedup.md", dir);
    bdc_test_read(path, text, sizeof text);
    ck_assert_ptr_nonnull(strstr(text, "| neon (emulated) |"));
    ck_assert_ptr_nonnull(strstr(text, "| scalar | 1 |"));
    ck_assert_ptr_nonnull(strstr(text, " | 1.00 |\n"));
    bdc_test_remove_tree(dir);
}
END_TEST

START_TEST(bad_input_is_refused)
{
    char dir[512], path[1024], copy[1200];
    bdc_test_tmpdir(dir, sizeof dir);
    /* Usage errors: exit 2, one line. */
    static const char *const usage[][3] = {
        {"--formats", "gif", "--formats: unknown format 'gif'"},
        {"--color", "red", "unknown argument '--color'"},
        {"--out", NULL, "--out needs a value"},
    };
    for (size_t i = 0; i < sizeof usage / sizeof *usage; i++) {
        const char *argv[] = {"python3", "plots/plots.py", usage[i][0], usage[i][1], NULL};
        ck_assert_int_eq(run(argv), 2);
        ck_assert_msg(strstr(err, usage[i][2]) != NULL, "case %zu: %s", i, err);
        ck_assert_uint_eq(bdc_test_lines(err), 1);
    }
    /* An experiment nobody ran: exit 1, naming the folder. */
    const char *none[] = {"python3", "plots/plots.py", "--results", dir, "--out", dir, NULL};
    ck_assert_int_eq(run(none), 1);
    ck_assert_ptr_nonnull(strstr(err, "no <machine>/paper/runs.csv"));
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    /* A curve file gone: exit 1, naming it. */
    snprintf(copy, sizeof copy, "cp -r " FIXTURE "/" HOST " %s/", dir);
    ck_assert_int_eq(system(copy), 0);
    snprintf(path, sizeof path, "%s/" HOST "/paper/curves", dir);
    snprintf(copy, sizeof copy, "rm %s/bidir-h300-e3-*.csv", path);
    ck_assert_int_eq(system(copy), 0);
    char figures[600];
    snprintf(figures, sizeof figures, "%s/figures", dir);
    const char *gone[] = {"python3", "plots/plots.py", "--results", dir, "--out", figures,
                          "--formats", "png", NULL};
    ck_assert_int_eq(run(gone), 1);
    ck_assert_msg(strstr(err, "/curves/bidir-h300-e3-") && strstr(err, "No such file"),
                  "%s", err);
    /* A runs.csv row cut short, a report that is not one: exit 1, one line
     * naming the file (and the line). */
    snprintf(copy, sizeof copy, "printf 'x,y\\n' >> %s/" HOST "/paper/runs.csv", dir);
    ck_assert_int_eq(system(copy), 0);
    ck_assert_int_eq(run(gone), 1);
    ck_assert_msg(strstr(err, "/paper/runs.csv:") && strstr(err, ": 2 fields, but the header"),
                  "%s", err);
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    snprintf(copy, sizeof copy, "rm -r %s/" HOST "/paper && echo '[1]' > %s/" HOST
             "/bench.json", dir, dir);
    ck_assert_int_eq(system(copy), 0);
    ck_assert_int_eq(run(gone), 1);
    ck_assert_msg(strstr(err, "bench.json: not a Google Benchmark report"), "%s", err);
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    bdc_test_remove_tree(dir);
}
END_TEST

Suite *bdc_suite_plots(void)
{
    Suite *s = suite_create("plots");
    TCase *tc = tcase_create("fixture");
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, every_figure_from_the_fixture);
    tcase_add_test(tc, every_table_from_the_fixture);
    tcase_add_test(tc, bad_input_is_refused);
    suite_add_tcase(s, tc);
    return s;
}
