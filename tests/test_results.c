/* The results folder: CSV reading and writing, run ids, atomic and locked
 * rows, learning curves, `bdc train --results`, `bdc merge`, `bdc table`. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../harness/csv.h"
#include "../harness/curve.h"
#include "../harness/machine.h"
#include "../harness/model.h"
#include "../harness/results.h"
#include "../harness/run_record.h"
#include "helpers.h"
#include "suites.h"

/* --- CSV ------------------------------------------------------------------ */

START_TEST(csv_round_trip)
{
    const char *fields[] = {"plain", "a,b", "say \"hi\"", "two\nlines", ""};
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    const char *header[] = {"a", "b", "c", "d", "e"};
    bdc_csv_write_row(f, header, 5);
    bdc_csv_write_row(f, fields, 5);
    fclose(f);
    bdc_csv c;
    char err[256];
    ck_assert_int_eq(bdc_csv_parse(text, len, "t.csv", &c, err, sizeof err), 0);
    ck_assert_uint_eq(c.columns, 5);
    ck_assert_uint_eq(c.rows, 1);
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(bdc_csv_cell(&c, 0, i), fields[i]);
    ck_assert_int_eq(bdc_csv_column(&c, "d"), 3);
    ck_assert_int_eq(bdc_csv_column(&c, "z"), -1);
    bdc_csv_free(&c);
    free(text);
}
END_TEST

START_TEST(csv_is_strict)
{
    static const struct { const char *text, *error; } bad[] = {
        {"a,b\n1,2\n3\n", "t.csv:3: 1 fields, but the header has 2"},
        {"a,b\n1,2", "t.csv:2: the last line is incomplete"},
        {"a,b\n\"1,2\n", "t.csv:2: badly quoted field"},
        {"a,b\n1\"x,2\n", "t.csv:2: badly quoted field"},
        {"a,a\n", "t.csv:1: column 'a' appears twice"},
        {"a,,b\n", "t.csv:1: column 2 has no name"},
        {"", "t.csv: empty file"},
        /* A column name quoted in an error stays on one line. */
        {"\"x\ny\",\"x\ny\"\n", "t.csv:1: column 'x\\ny' appears twice"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        bdc_csv c;
        char err[256] = "";
        ck_assert_int_eq(bdc_csv_parse(bad[i].text, strlen(bad[i].text), "t.csv", &c,
                                       err, sizeof err), -1);
        ck_assert_msg(strncmp(err, bad[i].error, strlen(bad[i].error)) == 0,
                      "case %zu: '%s'", i, err);
    }
    /* What a file may hold after a crash: the rest of a block, zeros. */
    static const char zeros[] = "a,b\n1,2\n\0\0\0";
    bdc_csv c;
    char err[256] = "";
    ck_assert_int_eq(bdc_csv_parse(zeros, sizeof zeros - 1, "t.csv", &c, err, sizeof err), -1);
    ck_assert_str_eq(err, "t.csv:3: NUL byte (a damaged file?)");
}
END_TEST

START_TEST(shortest_numbers)
{
    static const struct { double v; const char *text; } cases[] = {
        {0.03, "0.03"}, {8000, "8000"}, {0.95, "0.95"}, {1.75, "1.75"},
        {0.9614, "0.9614"}, {0, "0"}, {1e20, "1e+20"}, {2.5e-7, "2.5e-07"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bdc_format_double(buf, sizeof buf, cases[i].v);
        ck_assert_str_eq(buf, cases[i].text);
    }
    bdc_format_double(buf, sizeof buf, 1.0 / 3.0);
    ck_assert(strtod(buf, NULL) == 1.0 / 3.0);
}
END_TEST

/* --- run ids and records --------------------------------------------------- */

static bdc_run_desc sample_desc(void)
{
    bdc_run_desc d;
    memset(&d, 0, sizeof d);
    ck_assert_int_eq(bdc_config_defaults("bidir", &d.cfg), 0);
    d.dataset = "mnist";
    d.kernel = "scalar";
    d.threads = 1;
    d.target = 0.95;
    return d;
}

START_TEST(run_id_follows_the_configuration)
{
    bdc_run_desc a = sample_desc(), b = sample_desc();
    char ida[96], idb[96];
    bdc_run_id(&a, ida, sizeof ida);
    bdc_run_id(&b, idb, sizeof idb);
    ck_assert_str_eq(ida, idb);
    ck_assert_int_eq(strncmp(ida, "bidir-h1500-e8-", 15), 0);
    ck_assert_uint_eq(strlen(ida), 15 + 12);
    /* Every config column changes the id. */
    bdc_run_desc c = sample_desc();
    c.cfg.decay = 0.98;
    bdc_run_id(&c, idb, sizeof idb);
    ck_assert_str_ne(ida, idb);
    c = sample_desc();
    c.kernel = "avx2";
    bdc_run_id(&c, idb, sizeof idb);
    ck_assert_str_ne(ida, idb);
    c = sample_desc();
    c.train_limit = 10;
    bdc_run_id(&c, idb, sizeof idb);
    ck_assert_str_ne(ida, idb);
    c = sample_desc();
    c.cfg.beta = 0;
    bdc_run_id(&c, idb, sizeof idb);
    ck_assert_str_ne(ida, idb);
    /* The columns: run_id first, each name once, kinds as documented. */
    ck_assert_str_eq(bdc_run_column_name(0), "run_id");
    ck_assert_int_eq(bdc_run_column_kind((size_t)bdc_run_column_find("hidden")),
                     BDC_COLUMN_CONFIG);
    ck_assert_int_eq(bdc_run_column_kind((size_t)bdc_run_column_find("train_seconds")),
                     BDC_COLUMN_MEASURED);
    for (size_t i = 0; i < bdc_run_column_count(); i++)
        ck_assert_int_eq(bdc_run_column_find(bdc_run_column_name(i)), (int)i);
}
END_TEST

/* How a run trains is recorded, and tells runs apart, but a run at the
 * defaults keeps the id it had before the engine columns existed. */
START_TEST(run_id_follows_the_engine_settings)
{
    bdc_run_desc plain = sample_desc(), d = sample_desc();
    char id0[96], id[96];
    bdc_run_id(&plain, id0, sizeof id0);
    d.engine = "blocked";
    d.block = 64;
    d.tile = 192;
    bdc_run_id(&d, id, sizeof id);
    ck_assert_str_eq(id, id0);
    d.engine = "minibatch";
    bdc_run_id(&d, id, sizeof id);
    ck_assert_str_eq(id, id0);

    d.engine = "sample";
    d.block = d.tile = 0;
    bdc_run_id(&d, id, sizeof id);
    ck_assert_str_ne(id, id0);

    char tile64[96], block32[96];
    d = sample_desc();
    d.engine = "blocked";
    d.block = 64;
    d.tile = 64;
    d.tile_given = 1;
    bdc_run_id(&d, tile64, sizeof tile64);
    ck_assert_str_ne(tile64, id0);
    d.tile = 192;
    d.tile_given = 0;
    d.block = 32;
    d.block_given = 1;
    bdc_run_id(&d, block32, sizeof block32);
    ck_assert_str_ne(block32, id0);
    ck_assert_str_ne(block32, tile64);

    /* The cells: the sizes in use, empty where there is no blocked engine. */
    bdc_run_record r;
    memset(&r, 0, sizeof r);
    r.desc = d;
    char cell[64];
    bdc_run_column_format(&r, (size_t)bdc_run_column_find("engine"), cell, sizeof cell);
    ck_assert_str_eq(cell, "blocked");
    bdc_run_column_format(&r, (size_t)bdc_run_column_find("block"), cell, sizeof cell);
    ck_assert_str_eq(cell, "32");
    bdc_run_column_format(&r, (size_t)bdc_run_column_find("tile"), cell, sizeof cell);
    ck_assert_str_eq(cell, "192");
    r.desc = sample_desc();
    r.desc.engine = "sample";
    bdc_run_column_format(&r, (size_t)bdc_run_column_find("tile"), cell, sizeof cell);
    ck_assert_str_eq(cell, "");
    ck_assert_int_eq(bdc_run_column_kind((size_t)bdc_run_column_find("engine")),
                     BDC_COLUMN_CONFIG);
}
END_TEST

/* A record with made-up but consistent numbers (no model run). */
static void sample_record(bdc_run_record *r, bdc_curve *curve, size_t hidden)
{
    memset(r, 0, sizeof *r);
    r->desc = sample_desc();
    r->desc.cfg.hidden = hidden;
    bdc_run_id(&r->desc, r->run_id, sizeof r->run_id);
    bdc_run_identify(r);
    r->kernel_status = "native";
    r->test_samples = 100;
    r->test_correct = 90;
    r->test_accuracy = 0.9;
    memset(curve, 0, sizeof *curve);
    r->curve = curve;
    snprintf(r->fingerprint, sizeof r->fingerprint, "0123456789abcdef");
}

static void folder(char *dir, size_t len, const char *root, const char *experiment)
{
    ck_assert_int_eq(bdc_results_path(dir, len, root, bdc_machine_get()->id, experiment), 0);
}

START_TEST(commit_writes_row_curve_and_meta)
{
    char root[512], dir[1024], err[4600], path[1200];
    bdc_test_tmpdir(root, sizeof root);
    folder(dir, sizeof dir, root, "exp");
    bdc_run_record r;
    bdc_curve curve;
    sample_record(&r, &curve, 10);
    ck_assert_msg(bdc_results_commit(dir, &r, err, sizeof err) == 0, "%s", err);
    sample_record(&r, &curve, 20);
    ck_assert_int_eq(bdc_results_commit(dir, &r, err, sizeof err), 0);
    /* The same run again replaces its row. */
    r.test_correct = 91;
    ck_assert_int_eq(bdc_results_commit(dir, &r, err, sizeof err), 0);
    bdc_csv t;
    ck_assert_int_eq(bdc_results_read(dir, &t, err, sizeof err), 0);
    ck_assert_uint_eq(t.rows, 2);
    ck_assert_uint_eq(t.columns, bdc_run_column_count());
    ck_assert_str_eq(bdc_csv_cell(&t, 1, 0), r.run_id);
    ck_assert_str_eq(bdc_csv_cell(&t, 1, (size_t)bdc_csv_column(&t, "test_correct")), "91");
    char expected[200];
    snprintf(expected, sizeof expected, "curves/%s.csv", r.run_id);
    ck_assert_str_eq(bdc_csv_cell(&t, 1, (size_t)bdc_csv_column(&t, "curve_file")), expected);
    bdc_csv_free(&t);
    snprintf(path, sizeof path, "%s/curves/%s.csv", dir, r.run_id);
    ck_assert_int_eq(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/meta.json", dir);
    char meta[8192];
    ck_assert_int_gt(bdc_test_read(path, meta, sizeof meta), 0);
    ck_assert_ptr_nonnull(strstr(meta, "\"machine\": {"));
    ck_assert_ptr_nonnull(strstr(meta, "\"cflags\": "));
    ck_assert_ptr_nonnull(strstr(meta, "\"commit\": "));
    ck_assert_ptr_nonnull(strstr(meta, "\"simde\": "));
    /* No temporary file is left behind. */
    char listing[2048] = "";
    snprintf(path, sizeof path, "ls -A %s", dir);
    FILE *ls = popen(path, "r");
    size_t n = fread(listing, 1, sizeof listing - 1, ls);
    listing[n] = '\0';
    pclose(ls);
    ck_assert_ptr_null(strstr(listing, "tmp-"));
    bdc_test_remove_tree(root);
}
END_TEST

START_TEST(older_header_is_extended_newer_refused)
{
    char root[512], dir[1024], err[4600], path[1200];
    bdc_test_tmpdir(root, sizeof root);
    folder(dir, sizeof dir, root, "exp");
    ck_assert_int_eq(bdc_results_prepare(dir, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    /* A file an older bdc wrote: the first three columns only. */
    bdc_test_write(path, "run_id,date,machine\nold-run,2020-01-01T00:00:00Z,m\n");
    bdc_run_record r;
    bdc_curve curve;
    sample_record(&r, &curve, 10);
    ck_assert_msg(bdc_results_commit(dir, &r, err, sizeof err) == 0, "%s", err);
    bdc_csv t;
    ck_assert_int_eq(bdc_results_read(dir, &t, err, sizeof err), 0);
    ck_assert_uint_eq(t.rows, 2);
    ck_assert_uint_eq(t.columns, bdc_run_column_count());
    ck_assert_str_eq(bdc_csv_cell(&t, 0, 0), "old-run");
    ck_assert_str_eq(bdc_csv_cell(&t, 0, 3), "");
    bdc_csv_free(&t);

    /* A renamed column, or one this bdc does not know: refused, and the
     * file is left alone. */
    const char *wrong = "run_id,when\nx,y\n";
    bdc_test_write(path, wrong);
    ck_assert_int_eq(bdc_results_commit(dir, &r, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "column 2 is 'when' where bdc writes 'date'"));
    char text[256];
    bdc_test_read(path, text, sizeof text);
    ck_assert_str_eq(text, wrong);
    bdc_test_remove_tree(root);
}
END_TEST

/* Several processes add rows at once: none is lost or torn. */
START_TEST(concurrent_commits_keep_every_row)
{
    enum { WRITERS = 4, EACH = 15 };
    char root[512], dir[1024], err[4600];
    bdc_test_tmpdir(root, sizeof root);
    folder(dir, sizeof dir, root, "exp");
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        ck_assert_int_ge(pids[w], 0);
        if (pids[w] == 0) {
            for (int i = 0; i < EACH; i++) {
                bdc_run_record r;
                bdc_curve curve;
                sample_record(&r, &curve, (size_t)(1000 * (w + 1) + i));
                if (bdc_results_commit(dir, &r, err, sizeof err)) _exit(1);
            }
            _exit(0);
        }
    }
    for (int w = 0; w < WRITERS; w++) {
        int status;
        waitpid(pids[w], &status, 0);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    bdc_csv t;
    ck_assert_int_eq(bdc_results_read(dir, &t, err, sizeof err), 0);
    ck_assert_uint_eq(t.rows, WRITERS * EACH);
    bdc_csv_free(&t);
    bdc_test_remove_tree(root);
}
END_TEST

START_TEST(curve_and_target)
{
    bdc_curve c;
    memset(&c, 0, sizeof c);
    const double acc[] = {0.5, 0.94, 0.95, 0.93};
    for (int i = 0; i < 4; i++) {
        bdc_curve_point p = {.samples = 100u * (unsigned)(i + 1), .train_flops = 1000u * (unsigned)(i + 1),
                             .train_seconds = i + 1.0, .test_accuracy = acc[i]};
        c.points = realloc(c.points, (c.count + 1) * sizeof p);
        c.points[c.count++] = p;
    }
    const bdc_curve_point *p = bdc_curve_reach(&c, 0.95);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(p->samples, 300);
    ck_assert_uint_eq(p->train_flops, 3000);
    ck_assert_ptr_null(bdc_curve_reach(&c, 0.96));
    ck_assert_ptr_eq(bdc_curve_reach(&c, 0.0), &c.points[0]);
    bdc_curve_free(&c);
}
END_TEST

/* --- bdc train --results, end to end ------------------------------------- */

START_TEST(train_records_a_run)
{
    char root[512], dir[1024], err[4600], out[8192], path[1400];
    bdc_test_tmpdir(root, sizeof root);
    const char *args[] = {"train", "--model", "bidir", "--hidden", "16", "--epochs", "2",
                          "--train-limit", "500", "--test-limit", "200",
                          "--eval-every", "300", "--target", "0.5", "--results", root,
                          "--experiment", "e2e", NULL};
    ck_assert_int_eq(bdc_test_run(args, out, NULL, sizeof out), 0);
    folder(dir, sizeof dir, root, "e2e");
    bdc_csv t;
    ck_assert_int_eq(bdc_results_read(dir, &t, err, sizeof err), 0);
    ck_assert_uint_eq(t.rows, 1);
#define CELL(name) bdc_csv_cell(&t, 0, (size_t)bdc_csv_column(&t, name))
    ck_assert_str_eq(CELL("model"), "bidir");
    ck_assert_str_eq(CELL("train_steps"), "1000");
    ck_assert_str_eq(CELL("eval_every"), "300");
    /* Points at 300, 600, 900 and the final one at 1000. */
    ck_assert_str_eq(CELL("curve_points"), "4");
    ck_assert_ptr_nonnull(strstr(out, CELL("run_id")));
    snprintf(path, sizeof path, "%s/%s", dir, CELL("curve_file"));
    char curve[4096];
    ck_assert_int_gt(bdc_test_read(path, curve, sizeof curve), 0);
    ck_assert_uint_eq(bdc_test_lines(curve), 5);
    ck_assert_ptr_nonnull(strstr(curve, "\n300,"));
    ck_assert_ptr_nonnull(strstr(curve, "\n1000,"));
    /* The last point is the final test; FLOPs grow along the curve. */
    char *last = strstr(curve, "\n1000,") + 1;
    ck_assert_ptr_nonnull(strstr(last, CELL("train_flops")));
    /* 50% is reached early: the first point at or above it gives the
     * samples, FLOPs and seconds to target. */
    ck_assert_str_ne(CELL("samples_to_target"), "");
    char line[64];
    snprintf(line, sizeof line, "\n%s,", CELL("samples_to_target"));
    ck_assert_ptr_nonnull(strstr(curve, line));
    ck_assert_uint_le(strtoull(CELL("flops_to_target"), NULL, 10),
                      strtoull(CELL("train_flops"), NULL, 10));
    bdc_csv_free(&t);

    /* Same run again: replaced, not added; with --skip-recorded, not run.
     * A run that fails writes nothing. */
    ck_assert_int_eq(bdc_test_run(args, NULL, NULL, 0), 0);
    const char *skip[] = {"train", "--model", "bidir", "--hidden", "16", "--epochs", "2",
                          "--train-limit", "500", "--test-limit", "200",
                          "--eval-every", "300", "--target", "0.5", "--results", root,
                          "--experiment", "e2e", "--skip-recorded", NULL};
    char errs[4096];
    ck_assert_int_eq(bdc_test_run(skip, out, errs, sizeof out), 0);
    ck_assert_str_eq(out, "");
    ck_assert_ptr_nonnull(strstr(errs, "is already recorded"));
    const char *unskippable[] = {"train", "--model", "bidir", "--skip-recorded", NULL};
    ck_assert_int_eq(bdc_test_run(unskippable, NULL, errs, sizeof errs), 2);
    ck_assert_ptr_nonnull(strstr(errs, "--skip-recorded: needs --results"));
    const char *failing[] = {"train", "--model", "bidir", "--hidden", "16", "--data-dir",
                             "/nonexistent", "--results", root, "--experiment", "e2e", NULL};
    ck_assert_int_eq(bdc_test_run(failing, NULL, NULL, 0), 1);
    ck_assert_int_eq(bdc_results_read(dir, &t, err, sizeof err), 0);
    ck_assert_uint_eq(t.rows, 1);
    bdc_csv_free(&t);
#undef CELL
    bdc_test_remove_tree(root);
}
END_TEST

/* A run interrupted while training (SIGINT as from Ctrl-C, or SIGTERM)
 * dies of the signal and leaves the folder as it was: no row, no curve, no
 * temporary file. */
START_TEST(killed_run_writes_nothing)
{
    const int sig = _i ? SIGTERM : SIGINT;
    char root[512], dir[1024], err[4600];
    bdc_test_tmpdir(root, sizeof root);
    const char *args[] = {"train", "--model", "bidir", "--hidden", "400", "--epochs", "50",
                          "--eval-every", "1000", "--results", root, "--experiment", "killed",
                          NULL};
    const pid_t pid = bdc_test_spawn(args, NULL, NULL);
    /* The folder is prepared before training starts. */
    folder(dir, sizeof dir, root, "killed");
    char curves[1100];
    snprintf(curves, sizeof curves, "%s/curves", dir);
    for (int i = 0; i < 3000 && access(curves, F_OK); i++)
        usleep(10000);
    ck_assert_int_eq(access(curves, F_OK), 0);
    usleep(200000);
    kill(pid, sig);
    ck_assert_int_eq(bdc_test_wait(pid), 128 + sig);
    bdc_csv t;
    ck_assert_int_eq(bdc_results_read(dir, &t, err, sizeof err), 0);
    ck_assert_uint_eq(t.rows, 0);
    bdc_csv_free(&t);
    const char *folders[] = {dir, curves};
    for (int f = 0; f < 2; f++) {
        DIR *d = opendir(folders[f]);
        ck_assert_ptr_nonnull(d);
        struct dirent *e;
        while ((e = readdir(d)))
            ck_assert_msg(e->d_name[0] == '.' || strcmp(e->d_name, "curves") == 0,
                          "%s/%s written by an interrupted run", folders[f], e->d_name);
        closedir(d);
    }
    bdc_test_remove_tree(root);
}
END_TEST

/* --- bdc merge and bdc table ------------------------------------------- */

START_TEST(merge_deduplicates_by_run_id)
{
    char a[512], b[512], into[512], err[4600], dir[1024];
    bdc_test_tmpdir(a, sizeof a);
    bdc_test_tmpdir(b, sizeof b);
    bdc_test_tmpdir(into, sizeof into);
    bdc_run_record r;
    bdc_curve curve;
    /* a: runs 1 and 2; b: runs 2 and 3. */
    const size_t in_a[] = {1, 2}, in_b[] = {2, 3};
    folder(dir, sizeof dir, a, "m");
    for (int i = 0; i < 2; i++) {
        sample_record(&r, &curve, in_a[i]);
        ck_assert_int_eq(bdc_results_commit(dir, &r, err, sizeof err), 0);
    }
    folder(dir, sizeof dir, b, "m");
    for (int i = 0; i < 2; i++) {
        sample_record(&r, &curve, in_b[i]);
        ck_assert_int_eq(bdc_results_commit(dir, &r, err, sizeof err), 0);
    }
    const char *args[] = {"merge", "--into", into, a, b, NULL};
    char out[4096], errs[4096];
    ck_assert_int_eq(bdc_test_run(args, out, errs, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "3 runs (3 added, 1 already there)"));
    folder(dir, sizeof dir, into, "m");
    bdc_csv t;
    ck_assert_int_eq(bdc_results_read(dir, &t, err, sizeof err), 0);
    ck_assert_uint_eq(t.rows, 3);
    bdc_csv_free(&t);
    char path[1200];
    sample_record(&r, &curve, 3);
    snprintf(path, sizeof path, "%s/curves/%s.csv", dir, r.run_id);
    ck_assert_int_eq(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/meta.json", dir);
    ck_assert_int_eq(access(path, F_OK), 0);
    /* Merging again adds nothing. */
    ck_assert_int_eq(bdc_test_run(args, out, NULL, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "3 runs (0 added, 4 already there)"));

    /* A folder whose header disagrees: nothing is written. */
    folder(dir, sizeof dir, b, "m");
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    bdc_test_write(path, "run_id,when\nz,1\n");
    ck_assert_int_eq(bdc_test_run(args, out, errs, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(errs, "where bdc writes 'date'"));
    ck_assert_uint_eq(bdc_test_lines(errs), 1);
    folder(dir, sizeof dir, into, "m");
    ck_assert_int_eq(bdc_results_read(dir, &t, err, sizeof err), 0);
    ck_assert_uint_eq(t.rows, 3);
    bdc_csv_free(&t);
    /* An experiment folder given instead of a results folder. */
    const char *wrong[] = {"merge", "--into", into, dir, NULL};
    ck_assert_int_eq(bdc_test_run(wrong, NULL, errs, sizeof errs), 1);
    ck_assert_ptr_nonnull(strstr(errs, "an experiment folder"));
    bdc_test_remove_tree(a);
    bdc_test_remove_tree(b);
    bdc_test_remove_tree(into);
}
END_TEST

START_TEST(table_prints_the_comparison)
{
    char root[512], dir[1024], err[4600];
    bdc_test_tmpdir(root, sizeof root);
    folder(dir, sizeof dir, root, "cmp");
    bdc_run_record r;
    bdc_curve curve;
    sample_record(&r, &curve, 300);
    r.train.macs = 500000000; /* 1 GFLOP */
    ck_assert_int_eq(bdc_results_commit(dir, &r, err, sizeof err), 0);
    sample_record(&r, &curve, 100);
    ck_assert_int_eq(bdc_results_commit(dir, &r, err, sizeof err), 0);
    const char *args[] = {"table", dir, NULL};
    char out[8192];
    ck_assert_int_eq(bdc_test_run(args, out, NULL, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "test acc %"));
    ck_assert_ptr_nonnull(strstr(out, "s to 95%"));
    /* Sorted by hidden size: 100 before 300; 0.900 accuracy per 1 GFLOP. */
    const char *h100 = strstr(out, "bidir  100"), *h300 = strstr(out, "bidir  300");
    ck_assert_ptr_nonnull(h100);
    ck_assert_ptr_nonnull(h300);
    ck_assert(h100 < h300);
    ck_assert_ptr_nonnull(strstr(h300, " 0.900 "));
    const char *cols[] = {"table", dir, "--columns", "model,run_id", NULL};
    ck_assert_int_eq(bdc_test_run(cols, out, NULL, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, r.run_id));
    const char *bad[] = {"table", dir, "--columns", "model,nope", NULL};
    ck_assert_int_eq(bdc_test_run(bad, NULL, out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "unknown column 'nope'"));
    bdc_test_remove_tree(root);
}
END_TEST

/* docs/results.md lists exactly bdc's columns, in order. */
START_TEST(columns_are_documented)
{
    FILE *f = fopen("docs/results.md", "r");
    ck_assert_msg(f != NULL, "run the tests from the repository (make test)");
    char line[1024];
    size_t next = 0;
    int in_table = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "| column | kind | meaning |", 27) == 0) {
            in_table = 1;
            continue;
        }
        if (!in_table || strncmp(line, "| `", 3) != 0) {
            if (in_table && next) break;
            continue;
        }
        char *end = strchr(line + 3, '`');
        ck_assert_ptr_nonnull(end);
        *end = '\0';
        ck_assert_msg(next < bdc_run_column_count(), "docs list an extra column '%s'", line + 3);
        ck_assert_msg(strcmp(line + 3, bdc_run_column_name(next)) == 0,
                      "docs/results.md has '%s' where bdc writes column %zu '%s'", line + 3,
                      next + 1, bdc_run_column_name(next));
        const char *kind = end + 4;
        static const char *const kinds[] = {"identity", "config", "result", "measured"};
        ck_assert_msg(strncmp(kind, kinds[bdc_run_column_kind(next)],
                              strlen(kinds[bdc_run_column_kind(next)])) == 0,
                      "docs/results.md: '%s' is %s", line + 3, kinds[bdc_run_column_kind(next)]);
        next++;
    }
    fclose(f);
    ck_assert_uint_eq(next, bdc_run_column_count());
}
END_TEST

Suite *bdc_suite_results(void)
{
    Suite *s = suite_create("results");
    TCase *files = tcase_create("files");
    tcase_add_test(files, csv_round_trip);
    tcase_add_test(files, csv_is_strict);
    tcase_add_test(files, shortest_numbers);
    tcase_add_test(files, run_id_follows_the_configuration);
    tcase_add_test(files, run_id_follows_the_engine_settings);
    tcase_add_test(files, commit_writes_row_curve_and_meta);
    tcase_add_test(files, older_header_is_extended_newer_refused);
    tcase_add_test(files, concurrent_commits_keep_every_row);
    tcase_add_test(files, curve_and_target);
    tcase_add_test(files, columns_are_documented);
    suite_add_tcase(s, files);
    TCase *runs = tcase_create("commands");
    tcase_set_timeout(runs, 120);
    tcase_add_test(runs, train_records_a_run);
    tcase_add_loop_test(runs, killed_run_writes_nothing, 0, 2); /* SIGINT, SIGTERM */
    tcase_add_test(runs, merge_deduplicates_by_run_id);
    tcase_add_test(runs, table_prints_the_comparison);
    suite_add_tcase(s, runs);
    return s;
}
