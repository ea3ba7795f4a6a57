/* Sweeps: the file format (strict, line-numbered errors), --list, and the
 * promise that a sweep killed mid-run and restarted ends with the same
 * runs.csv as one run straight through. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness/csv.h"
#include "../harness/machine.h"
#include "../harness/results.h"
#include "../harness/run_record.h"
#include "../harness/sweep_config.h"
#include "helpers.h"
#include "suites.h"

static int parse(const char *text, bdc_sweep *s, char *err, size_t len)
{
    return bdc_sweep_parse(text, strlen(text), "dir/x.sweep", s, err, len);
}

START_TEST(grids_and_points)
{
    const char *text =
        "# shared\n"
        "train-limit = 100   # trailing comment\n"
        "hidden = 10, 20\n"
        "\n"
        "[small]\n"
        "model = bidir, entangled\n"
        "[big]\n"
        "model = bidir\n"
        "hidden = 500\n"
        "epochs = 1,2,3\n";
    bdc_sweep s;
    char err[256];
    ck_assert_msg(parse(text, &s, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(s.experiment, "x"); /* the file's stem */
    ck_assert_ptr_null(s.results);
    ck_assert_uint_eq(s.count, 2);
    const bdc_sweep_grid *small = &s.grids[0], *big = &s.grids[1];
    ck_assert_str_eq(small->name, "small");
    ck_assert_uint_eq(small->line, 5);
    ck_assert_uint_eq(bdc_sweep_grid_size(small), 4);
    ck_assert_uint_eq(bdc_sweep_grid_size(big), 3);
    /* Shared keys first, the first key varying slowest. */
    char *p[8];
    bdc_sweep_grid_point(small, 1, p);
    ck_assert_str_eq(p[0], "train-limit");
    ck_assert_str_eq(p[2], "hidden");
    ck_assert_str_eq(p[3], "10");
    ck_assert_str_eq(p[4], "model");
    ck_assert_str_eq(p[5], "entangled");
    bdc_sweep_grid_point(small, 2, p);
    ck_assert_str_eq(p[3], "20");
    ck_assert_str_eq(p[5], "bidir");
    /* A section's list replaces the shared one in place. */
    bdc_sweep_grid_point(big, 2, p);
    ck_assert_str_eq(p[2], "hidden");
    ck_assert_str_eq(p[3], "500");
    ck_assert_str_eq(p[7], "3");
    ck_assert_uint_eq(bdc_sweep_grid_find(big, "hidden")->line, 9);
    bdc_sweep_free(&s);

    ck_assert_int_eq(parse("experiment = e1\nresults = /tmp/r\nmodel = bidir\r\n", &s, err,
                           sizeof err), 0);
    ck_assert_str_eq(s.experiment, "e1");
    ck_assert_str_eq(s.results, "/tmp/r");
    ck_assert_uint_eq(s.count, 1);
    ck_assert_str_eq(s.grids[0].name, "");
    bdc_sweep_free(&s);
}
END_TEST

START_TEST(bad_files_name_the_line)
{
    static const struct { const char *text, *error; } bad[] = {
        {"model = bidir\nhiden = 3\n", "dir/x.sweep:2: unknown key 'hiden'"},
        {"model = bidir\nlr_horizon = 3\n", "dir/x.sweep:2: unknown key 'lr_horizon' (did you mean 'lr-horizon'?)"},
        {"model = bidir\nhidden = x\n", "dir/x.sweep:2: hidden: 'x' is not a whole number"},
        {"model = bidir\nalpha = 1.5.2\n", "dir/x.sweep:2: alpha: '1.5.2' is not a number"},
        {"model = bidir,,entangled\n", "dir/x.sweep:1: model: empty value"},
        {"model = bidir,\n", "dir/x.sweep:1: model: empty value"},
        {"model =\n", "dir/x.sweep:1: model: empty value"},
        {"model bidir\n", "dir/x.sweep:1: expected 'key = value"},
        {"model = bidir\nhidden = 1 2\n", "dir/x.sweep:2: hidden: '1 2' has a space"},
        {"model = bidir\nhidden = 1, 1\n", "dir/x.sweep:2: hidden: '1' is listed twice"},
        {"model = bidir\n\nmodel = entangled\n", "dir/x.sweep:3: model is set twice (first at line 1)"},
        {"model = bidir\n[a]\nexperiment = e\n", "dir/x.sweep:3: experiment belongs above the first section"},
        {"experiment = a, b\nmodel = bidir\n", "dir/x.sweep:1: experiment takes one value"},
        {"model = bidir\n[a\n", "dir/x.sweep:2: a section line is '[name]'"},
        {"model = bidir\n[]\n", "dir/x.sweep:2: a section needs a name"},
        {"model = bidir\n[a]\nhidden = 1\n[a]\n", "dir/x.sweep:4: section [a] appears twice (first at line 2)"},
        {"model = bidir\n[a]\n[b]\nhidden = 2\n", "dir/x.sweep:2: section [a] sets nothing"},
        {"hidden = 2\n[a]\nepochs = 1\n", "dir/x.sweep:2: section [a] has no model"},
        {"hidden = 2\n", "dir/x.sweep: no 'model = ...' line"},
        {"model = bi\x01" "dir\n", "dir/x.sweep:1: control character 0x01"},
        {"model = bidir\nhidden = 1,2,3,4,5,6,7,8,9,10\nepochs = 1,2,3,4,5,6,7,8,9,10\n"
         "alpha = 1,2,3,4,5,6,7,8,9,10\nbeta = 1,2,3,4,5,6,7,8,9,10\n"
         "lr = 1,2,3,4,5,6,7,8,9,10\ndecay = 1,2,3,4,5,6,7,8,9,10\n"
         "init = 1,2,3,4,5,6,7,8,9,10\n",
         "dir/x.sweep: the grid has 10000000 runs, more than 1000000"},
        /* Each section within the limit, together over it. */
        {"hidden = 1,2,3,4,5,6,7,8,9,10\nepochs = 1,2,3,4,5,6,7,8,9,10\n"
         "alpha = 1,2,3,4,5,6,7,8,9,10\nbeta = 1,2,3,4,5,6,7,8,9,10\n"
         "lr = 1,2,3,4,5,6,7,8,9,10\ndecay = 1,2,3,4,5,6,7,8,9,10\n"
         "[a]\nmodel = bidir\n[b]\nmodel = entangled\n",
         "dir/x.sweep: the sections have 2000000 runs in all, more than 1000000"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        bdc_sweep s;
        char err[512] = "";
        const int rc = parse(bad[i].text, &s, err, sizeof err);
        ck_assert_msg(rc == -1, "case %zu parsed", i);
        ck_assert_msg(strncmp(err, bad[i].error, strlen(bad[i].error)) == 0,
                      "case %zu: got '%s'", i, err);
        ck_assert_ptr_null(strchr(err, '\n'));
    }
    /* A NUL byte is refused, not taken for the end of the text. */
    static const char nul[] = "model = bidir\nhidden = 1\0\n";
    bdc_sweep s;
    char err[512] = "";
    ck_assert_int_eq(bdc_sweep_parse(nul, sizeof nul - 1, "dir/x.sweep", &s, err, sizeof err), -1);
    ck_assert_str_eq(err, "dir/x.sweep:2: NUL byte in the line");
}
END_TEST

/* The command: every mistake is one line naming FILE:LINE, exit 2, before
 * any run starts; including values only `bdc train` can judge. */
START_TEST(bad_files_exit_2)
{
    char dir[512], path[600], err[4096];
    bdc_test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/bad.sweep", dir);
    static const struct { const char *text, *error; } bad[] = {
        {"model = bidir\nhidden = 10\nepochs = 0\n", "bad.sweep:3: --epochs: '0' is not a whole number"},
        {"model = bidir, nosuch\n", "bad.sweep:1: --model: unknown model 'nosuch'"},
        {"model = bidir\nkernel = avx9000\n", "bad.sweep:2: --kernel: unknown kernel family 'avx9000'"},
        {"model = bidir\ntarget = 1.5\n", "bad.sweep:2: --target: '1.5' is not a number in [0, 1]"},
        {"model = bidir\nhidden = ten\n", "bad.sweep:2: hidden: 'ten' is not a whole number"},
        {"experiment = a+b/c\nmodel = bidir\n", "bad.sweep:1: experiment: 'a+b/c' is not a name"},
        {"model = bidir\ndataset = cifar\n", "bad.sweep:2: --dataset: unknown dataset 'cifar'"},
        {"model = bidir\nlr = 0.1, 1\ndecay = 0.5\n", "bad.sweep:2: --lr: 1 with --decay 0.5 lets"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        bdc_test_write(path, bad[i].text);
        for (int list = 0; list < 2; list++) {
            const char *args[] = {"sweep", path, "--results", dir, list ? "--list" : NULL, NULL};
            ck_assert_int_eq(bdc_test_run(args, NULL, err, sizeof err), 2);
            ck_assert_msg(strstr(err, bad[i].error) != NULL, "case %zu: got '%s'", i, err);
            ck_assert_uint_eq(bdc_test_lines(err), 1);
        }
    }
    const char *missing[] = {"sweep", "/nonexistent.sweep", NULL};
    ck_assert_int_eq(bdc_test_run(missing, NULL, err, sizeof err), 2);
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    /* Nothing was run. */
    char probe[700];
    snprintf(probe, sizeof probe, "%s/%s", dir, bdc_machine_get()->id);
    ck_assert_int_ne(access(probe, F_OK), 0);
    bdc_test_remove_tree(dir);
}
END_TEST

START_TEST(list_prints_one_command_per_run)
{
    char dir[512], path[600], out[8192];
    bdc_test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/l.sweep", dir);
    bdc_test_write(path, "model = bidir, entangled\nhidden = 8, 9, 8x\n");
    const char *bad[] = {"sweep", path, "--list", NULL};
    ck_assert_int_eq(bdc_test_run(bad, NULL, NULL, 0), 2);
    bdc_test_write(path, "experiment = lists\n[all]\nmodel = bidir, entangled\n"
                         "hidden = 8, 9, 10\n[again]\nmodel = bidir\nhidden = 8\n");
    const char *args[] = {"sweep", path, "--list", "--results", "/r d", NULL};
    ck_assert_int_eq(bdc_test_run(args, out, NULL, sizeof out), 0);
    /* Six runs; [again] repeats one of them and is listed once. */
    ck_assert_uint_eq(bdc_test_lines(out), 6);
    ck_assert_ptr_nonnull(strstr(out, " train --model entangled --hidden 10 "
                                      "--results '/r d' --experiment lists --skip-recorded\n"));
    ck_assert_int_eq(strncmp(out, bdc_test_bin(), strlen(bdc_test_bin())), 0);
    bdc_test_remove_tree(dir);
}
END_TEST

/* Every example in sweeps/ is a valid sweep file. */
START_TEST(examples_parse)
{
    DIR *d = opendir("sweeps");
    ck_assert_msg(d != NULL, "run the tests from the repository (make test)");
    struct dirent *e;
    int seen = 0;
    while ((e = readdir(d))) {
        const size_t n = strlen(e->d_name);
        if (n < 7 || strcmp(e->d_name + n - 6, ".sweep") != 0)
            continue;
        char path[600], out[65536], err[4096];
        snprintf(path, sizeof path, "sweeps/%s", e->d_name);
        const char *args[] = {"sweep", path, "--list", NULL};
        ck_assert_msg(bdc_test_run(args, out, err, sizeof out) == 0, "%s: %s", path, err);
        ck_assert_msg(bdc_test_lines(out) > 0, "%s lists no runs", path);
        seen++;
    }
    closedir(d);
    ck_assert_int_gt(seen, 0);
}
END_TEST

/* --- kill and resume ----------------------------------------------------- */

static const char resumable[] =
    "experiment = resume\n"
    "model = bidir\n"
    "train-limit = 3000\n"
    "test-limit = 500\n"
    "eval-every = 1000\n"
    "[first]\n"
    "hidden = 16\n"
    "epochs = 1\n"
    "[longer]\n" /* long enough that the kill lands inside them */
    "hidden = 200, 210\n"
    "epochs = 20\n";

static size_t rows_of(const char *dir)
{
    bdc_csv t;
    char err[4600];
    if (bdc_results_read(dir, &t, err, sizeof err)) return (size_t)-1;
    const size_t n = t.rows;
    bdc_csv_free(&t);
    return n;
}

/* The number of entries in folder dir, . and .. apart. */
static size_t files_in(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

/* runs.csv of a and b agree in every column that is not a measurement,
 * row by row, and so do their curves apart from their time columns. */
static void assert_same_results(const char *a, const char *b)
{
    bdc_csv ta, tb;
    char err[4600];
    ck_assert_int_eq(bdc_results_read(a, &ta, err, sizeof err), 0);
    ck_assert_int_eq(bdc_results_read(b, &tb, err, sizeof err), 0);
    ck_assert_uint_eq(ta.rows, tb.rows);
    ck_assert_uint_eq(ta.columns, tb.columns);
    for (size_t c = 0; c < ta.columns; c++) {
        ck_assert_str_eq(ta.header[c], tb.header[c]);
        if (bdc_run_column_kind(c) == BDC_COLUMN_MEASURED)
            continue;
        for (size_t r = 0; r < ta.rows; r++)
            ck_assert_msg(strcmp(bdc_csv_cell(&ta, r, c), bdc_csv_cell(&tb, r, c)) == 0,
                          "row %zu, %s: '%s' straight through, '%s' resumed", r,
                          ta.header[c], bdc_csv_cell(&ta, r, c), bdc_csv_cell(&tb, r, c));
    }
    const int curve = bdc_csv_column(&ta, "curve_file");
    for (size_t r = 0; r < ta.rows; r++) {
        char pa[1500], pb[1500];
        snprintf(pa, sizeof pa, "%s/%s", a, bdc_csv_cell(&ta, r, (size_t)curve));
        snprintf(pb, sizeof pb, "%s/%s", b, bdc_csv_cell(&tb, r, (size_t)curve));
        bdc_csv ca, cb;
        ck_assert_int_eq(bdc_csv_read(pa, &ca, err, sizeof err), 0);
        ck_assert_int_eq(bdc_csv_read(pb, &cb, err, sizeof err), 0);
        ck_assert_uint_eq(ca.rows, cb.rows);
        for (size_t c = 0; c < ca.columns; c++) {
            if (strstr(ca.header[c], "seconds")) continue;
            for (size_t k = 0; k < ca.rows; k++)
                ck_assert_str_eq(bdc_csv_cell(&ca, k, c), bdc_csv_cell(&cb, k, c));
        }
        bdc_csv_free(&ca);
        bdc_csv_free(&cb);
    }
    bdc_csv_free(&ta);
    bdc_csv_free(&tb);
}

START_TEST(killed_and_resumed_equals_straight_through)
{
    char root[512], file[600], straight[600], resumed[600], a[1200], b[1200];
    bdc_test_tmpdir(root, sizeof root);
    snprintf(file, sizeof file, "%s/resume.sweep", root);
    snprintf(straight, sizeof straight, "%s/straight", root);
    snprintf(resumed, sizeof resumed, "%s/resumed", root);
    bdc_test_write(file, resumable);
    ck_assert_int_eq(bdc_results_path(a, sizeof a, straight, bdc_machine_get()->id, "resume"), 0);
    ck_assert_int_eq(bdc_results_path(b, sizeof b, resumed, bdc_machine_get()->id, "resume"), 0);

    const char *once[] = {"sweep", file, "--results", straight, NULL};
    ck_assert_int_eq(bdc_test_run(once, NULL, NULL, 0), 0);
    ck_assert_uint_eq(rows_of(a), 3);

    /* Start it again elsewhere; SIGTERM once the first run is recorded.
     * The kill usually lands inside the second run, but a stalled test may
     * send it later, so the counts below follow what was recorded. */
    const char *args[] = {"sweep", file, "--results", resumed, NULL};
    const pid_t pid = bdc_test_spawn(args, NULL, NULL);
    for (int i = 0; i < 12000 && (rows_of(b) == (size_t)-1 || rows_of(b) < 1); i++)
        usleep(5000);
    kill(pid, SIGTERM);
    ck_assert_int_eq(bdc_test_wait(pid), 128 + SIGTERM);
    /* The run it interrupted left no row: the file reads, whole rows only. */
    const size_t kept = rows_of(b);
    ck_assert_msg(kept == 1 || kept == 2, "%zu runs recorded before the kill", kept);
    char curves[1300];
    snprintf(curves, sizeof curves, "%s/curves", b);
    ck_assert_uint_eq(files_in(curves), kept); /* and no curve */

    char out[4096], expected[100];
    ck_assert_int_eq(bdc_test_run(args, out, NULL, sizeof out), 0);
    snprintf(expected, sizeof expected, "3 runs: %zu ran, %zu already recorded, 0 failed",
             3 - kept, kept);
    ck_assert_msg(strstr(out, expected), "'%s' not in: %s", expected, out);
    assert_same_results(a, b);

    /* Once more: nothing left to do. */
    ck_assert_int_eq(bdc_test_run(args, out, NULL, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "3 runs: 0 ran, 3 already recorded"));
    bdc_test_remove_tree(root);
}
END_TEST

/* One failing run does not stop the others nor damage the folder. */
START_TEST(a_failed_run_is_reported_and_skipped)
{
    char root[512], file[600], dir[1200], out[4096], err[4096];
    bdc_test_tmpdir(root, sizeof root);
    snprintf(file, sizeof file, "%s/f.sweep", root);
    /* binconv needs 28x28 images; a data folder that does not exist fails
     * at load time, after planning. */
    char text[1024];
    snprintf(text, sizeof text,
             "model = bidir\nhidden = 8\ntrain-limit = 200\ntest-limit = 100\n"
             "[broken]\ndata-dir = %s/none\n[fine]\nepochs = 1, 2\n", root);
    bdc_test_write(file, text);
    const char *args[] = {"sweep", file, "--results", root, NULL};
    ck_assert_int_eq(bdc_test_run(args, out, err, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "3 runs: 2 ran, 0 already recorded, 1 failed"));
    ck_assert_ptr_nonnull(strstr(err, "failed (exit status 1)"));
    ck_assert_int_eq(bdc_results_path(dir, sizeof dir, root, bdc_machine_get()->id, "f"), 0);
    ck_assert_uint_eq(rows_of(dir), 2);
    bdc_test_remove_tree(root);
}
END_TEST

Suite *bdc_suite_sweep(void)
{
    Suite *s = suite_create("sweep");
    TCase *format = tcase_create("format");
    tcase_add_test(format, grids_and_points);
    tcase_add_test(format, bad_files_name_the_line);
    suite_add_tcase(s, format);
    TCase *cmd = tcase_create("command");
    tcase_set_timeout(cmd, 300);
    tcase_add_test(cmd, bad_files_exit_2);
    tcase_add_test(cmd, list_prints_one_command_per_run);
    tcase_add_test(cmd, examples_parse);
    tcase_add_test(cmd, killed_and_resumed_equals_straight_through);
    tcase_add_test(cmd, a_failed_run_is_reported_and_skipped);
    suite_add_tcase(s, cmd);
    return s;
}
