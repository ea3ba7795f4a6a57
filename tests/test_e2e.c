/* End to end: ./bdc (the path in $BDC_BIN) on small MNIST slices must give
 * the test results and weight fingerprints the spec oracle derived
 * (tests/e2e_cases.h), the same twice in a row, and every bad command line
 * must end with the documented exit status and one line on stderr naming
 * the flag or file at fault. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kernels/dispatch.h"
#include "e2e_cases.h"
#include "helpers.h"
#include "run_program.h"
#include "suites.h"

typedef struct e2e_case {
    const char *name, *args;
    unsigned correct, samples;
    const char *fingerprint;
} e2e_case;

#define BDC_E2E_ROW(name, args, correct, samples, fp) {#name, args, correct, samples, fp},
static const e2e_case cases[] = {BDC_E2E_CASES(BDC_E2E_ROW)};
#undef BDC_E2E_ROW
enum { N_CASES = sizeof cases / sizeof cases[0] };

enum { MAX_ARGS = 48 };

/* `train ARGS [--kernel K] --json` as an argument vector; words points into
 * the caller's copy of the string. */
static void train_args(char *words, const char *kernel, const char *argv[MAX_ARGS])
{
    size_t n = 0;
    argv[n++] = "train";
    for (char *w = strtok(words, " "); w; w = strtok(NULL, " ")) {
        ck_assert_uint_lt(n, MAX_ARGS - 4);
        argv[n++] = w;
    }
    if (kernel) {
        argv[n++] = "--kernel";
        argv[n++] = kernel;
    }
    argv[n++] = "--json";
    argv[n] = NULL;
}

/* Runs one case and checks it against the oracle's values. */
static void check_case(const e2e_case *c, const char *kernel, bdc_run *r)
{
    char words[512];
    snprintf(words, sizeof words, "%s", c->args);
    const char *argv[MAX_ARGS];
    train_args(words, kernel, argv);
    bdc_run_program(r, argv);
    ck_assert_msg(r->status == 0, "%s: exit %d: %s", c->name, r->status, r->err);
    ck_assert_msg(r->err[0] == '\0', "%s: stderr: %s", c->name, r->err);

    const char *field = bdc_json_field(r->out, "test_samples");
    ck_assert_msg(field && strtoul(field, NULL, 10) == c->samples,
                  "%s: test_samples %s, expected %u", c->name, field, c->samples);
    field = bdc_json_field(r->out, "test_correct");
    ck_assert_msg(field && strtoul(field, NULL, 10) == c->correct,
                  "%s: test_correct %s, the oracle says %u", c->name, field, c->correct);
    /* Accuracy is correct / total, printed so that it reads back exactly. */
    field = bdc_json_field(r->out, "test_accuracy");
    ck_assert_msg(field && strtod(field, NULL) == (double)c->correct / c->samples,
                  "%s: test_accuracy %s", c->name, field);
    char quoted[32];
    snprintf(quoted, sizeof quoted, "\"%s\"", c->fingerprint);
    field = bdc_json_field(r->out, "weights_fnv1a64");
    ck_assert_msg(field && strcmp(field, quoted) == 0,
                  "%s: weights_fnv1a64 %s, the oracle says %s", c->name, field, quoted);
    if (kernel) {
        snprintf(quoted, sizeof quoted, "\"%s\"", kernel);
        ck_assert_str_eq(bdc_json_field(r->out, "kernel"), quoted);
    }
}

START_TEST(matches_the_oracle)
{
    bdc_run r;
    check_case(&cases[_i], NULL, &r);
    bdc_run_free(&r);
}
END_TEST

/* The first three cases (one per model) once per runnable kernel family:
 * every family must end with the oracle's bits. */
START_TEST(every_family_matches_the_oracle)
{
    const bdc_family *f = bdc_family_at((size_t)_i);
    if (bdc_family_status_of(f) == BDC_UNAVAILABLE)
        return; /* this CPU cannot run it; `bdc info` says so */
    for (size_t c = 0; c < 3; c++) {
        bdc_run r;
        check_case(&cases[c], f->name, &r);
        bdc_run_free(&r);
    }
}
END_TEST

START_TEST(same_command_same_bits)
{
    bdc_run first, second;
    check_case(&cases[0], NULL, &first);
    check_case(&cases[0], NULL, &second);
    ck_assert_str_eq(bdc_json_field(first.out, "weights_fnv1a64"),
                     bdc_json_field(second.out, "weights_fnv1a64"));
    /* All but the timings and the memory peak are the same, field for
     * field: cut each output at "prep_seconds" and compare the heads. */
    char *a = strstr(first.out, "\"prep_seconds\""), *b = strstr(second.out, "\"prep_seconds\"");
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    *a = *b = '\0';
    ck_assert_str_eq(first.out, second.out);
    bdc_run_free(&first);
    bdc_run_free(&second);
}
END_TEST

/* --- bad usage --------------------------------------------------------------- */

typedef struct bad_usage {
    const char *args[10];
    int status;         /* 2 usage, 1 runtime */
    const char *blame;  /* the flag or file the one line must name */
    const char *value;  /* and the bad value, when there is one */
} bad_usage;

static const bad_usage bad[] = {
    {{"train", "--model", "perceptron"}, 2, "--model", "'perceptron'"},
    {{"train", "--model", "bidir", "--dataset", "cifar"}, 2, "--dataset", "'cifar'"},
    {{"train", "--model", "bidir", "--kernel", "avx9000"}, 2, "--kernel", "'avx9000'"},
    {{"train"}, 2, "--model", NULL},
    {{"train", "--hidden", "8", "--epochs", "1"}, 2, "--model", NULL},
    {{"train", "--model", "bidir", "--hidden", "0"}, 2, "--hidden", "'0'"},
    {{"train", "--model", "bidir", "--hidden", "-8"}, 2, "--hidden", "'-8'"},
    {{"train", "--model", "bidir", "--hidden", "1000000000"}, 2, "--hidden", "'1000000000'"},
    {{"train", "--model", "bidir", "--hidden", "99999999999999999999999"}, 2, "--hidden", NULL},
    {{"train", "--model", "bidir", "--hidden", "64k"}, 2, "--hidden", "'64k'"},
    {{"train", "--model", "bidir", "--hidden", ""}, 2, "--hidden", "''"},
    {{"train", "--model", "bidir", "--hidden"}, 2, "--hidden", NULL},
    {{"train", "--model", "bidir", "--epochs", "two"}, 2, "--epochs", "'two'"},
    {{"train", "--model", "bidir", "--train-limit", "lots"}, 2, "--train-limit", "'lots'"},
    {{"train", "--model", "bidir", "--test-limit", "-1"}, 2, "--test-limit", "'-1'"},
    {{"train", "--model", "bidir", "--alpha", "x"}, 2, "--alpha", "'x'"},
    {{"train", "--model", "bidir", "--beta", "1,5"}, 2, "--beta", "'1,5'"},
    {{"train", "--model", "bidir", "--lr", "fast"}, 2, "--lr", "'fast'"},
    {{"train", "--model", "bidir", "--lr-horizon", "0x"}, 2, "--lr-horizon", "'0x'"},
    {{"train", "--model", "bidir", "--decay", "nan"}, 2, "--decay", "'nan'"},
    {{"train", "--model", "bidir", "--init", "inf"}, 2, "--init", "'inf'"},
    {{"train", "--model", "bidir", "--q-input", "3"}, 2, "--q-input", "'3'"},
    {{"train", "--model", "bidir", "--q-label", "1e400"}, 2, "--q-label", "'1e400'"},
    {{"train", "--model", "bidir", "--frobnicate"}, 2, "--frobnicate", NULL},
    {{"train", "--model", "bidir", "stray"}, 2, "'stray'", NULL},
    {{"frobnicate"}, 2, "'frobnicate'", NULL},
    {{"train", "--model", "bidir", "--epochs", "0"}, 2, "--epochs", "'0'"},
    {{"train", "--model", "bidir", "--epochs", "+2"}, 2, "--epochs", "'+2'"},
    {{"train", "--model", "bidir", "--epochs", " 2"}, 2, "--epochs", "' 2'"},
    {{"train", "--model", "bidir", "--lr", " 0.1"}, 2, "--lr", "' 0.1'"},
    {{"train", "--model", "mlp", "--batch", "0"}, 2, "--batch", "'0'"},
    {{"train", "--model", "mlp", "--batch", "65537"}, 2, "--batch", "'65537'"},
    {{"train", "--model", "mlp", "--seed", "-1"}, 2, "--seed", "'-1'"},
    {{"train", "--model", "mlp", "--seed", "18446744073709551616"}, 2, "--seed", NULL},
    {{"train", "--model", "bidir", "--epochs", "100001"}, 2, "--epochs", "'100001'"},
    {{"train", "--model", "bidir", "--train-limit", "0"}, 2, "--train-limit", "'0'"},
    {{"train", "--model", "bidir", "--eval-every", "0"}, 2, "--eval-every", "'0'"},
    {{"train", "--model", "bidir", "--alpha", "-1"}, 2, "--alpha", "'-1'"},
    {{"train", "--model", "bidir", "--lr", "0"}, 2, "--lr", "'0'"},
    {{"train", "--model", "bidir", "--lr", "1.5"}, 2, "--lr", "'1.5'"},
    {{"train", "--model", "bidir", "--decay", "0"}, 2, "--decay", "'0'"},
    {{"train", "--model", "bidir", "--decay", "1e-310"}, 2, "--decay", "'1e-310'"},
    {{"train", "--model", "bidir", "--init", "-1e7"}, 2, "--init", "'-1e7'"},
    {{"train", "--model", "bidir", "--lr-horizon", "-5"}, 2, "--lr-horizon", "'-5'"},
    {{"train", "--model", "bidir", "--target", "1.01"}, 2, "--target", "'1.01'"},
    /* Each flag in range, together unstable: weights would grow without
     * bound (docs/robustness.md). */
    {{"train", "--model", "bidir", "--lr", "1", "--decay", "0.5"}, 2, "--lr", "--decay 0.5"},
    {{"train", "--model", "entangled", "--lr", "0.6", "--decay", "0.1"}, 2, "--lr", "--decay 0.1"},
    {{"train", "--model", "bidir", "--results", ""}, 2, "--results", "''"},
    {{"train", "--model", "bidir", "--data-dir", ""}, 2, "--data-dir", "''"},
    {{"train", "--model", "bidir", "--kernel", ""}, 2, "--kernel", "''"},
    {{"train", "--model", "bidir", "--experiment", "../up"}, 2, "--experiment", "'../up'"},
    {{"train", "--model", "bidir", "--experiment", "a/b"}, 2, "--experiment", "'a/b'"},
    {{"train", "--model", "bidir", "--data-dir", "/nonexistent"}, 1, "/nonexistent", NULL},
    {{"train", "--model", "bidir", "--data-dir", "/dev/null"}, 1, "/dev/null", "not a folder"},
    {{"train", "--model", "binconv", "--data-dir", "/nonexistent/mnist", "--json"}, 1,
     "/nonexistent/mnist", NULL},
    {{"sweep"}, 2, "sweep file", NULL},
    {{"sweep", "a.sweep", "b.sweep"}, 2, "'b.sweep'", NULL},
    {{"sweep", "--frobnicate"}, 2, "--frobnicate", NULL},
    {{"sweep", "sweeps/main.sweep", "--results"}, 2, "--results", NULL},
    {{"sweep", "sweeps/main.sweep", "--results", ""}, 2, "--results", "''"},
    {{"sweep", "/nonexistent.sweep"}, 2, "/nonexistent.sweep", NULL},
    {{"sweep", "/"}, 2, "/", NULL},
    {{"merge"}, 2, "which folders", NULL},
    {{"merge", "--into"}, 2, "--into", NULL},
    {{"merge", "--into", "", "x"}, 2, "--into", "''"},
    {{"merge", "--frobnicate"}, 2, "--frobnicate", NULL},
    {{"merge", "/nonexistent"}, 1, "/nonexistent", NULL},
    {{"table", "--frobnicate"}, 2, "--frobnicate", NULL},
    {{"table", "--columns"}, 2, "--columns", NULL},
    {{"table", "--results", ""}, 2, "--results", "''"},
    {{"table", "/nonexistent"}, 1, "/nonexistent", NULL},
    {{"info", "--json", "--id"}, 2, "--json and --id", NULL},
    {{"info", "--frobnicate"}, 2, "--frobnicate", NULL},
};
enum { N_BAD = sizeof bad / sizeof bad[0] };

START_TEST(bad_usage_is_one_line_and_a_status)
{
    const bad_usage *b = &bad[_i];
    char line[256] = "";
    for (size_t k = 0; b->args[k]; k++)
        snprintf(line + strlen(line), sizeof line - strlen(line), " %s", b->args[k]);
    bdc_run r;
    bdc_run_program(&r, b->args);
    ck_assert_msg(r.status == b->status, "bdc%s: exit %d, expected %d (stderr: %s)", line,
                  r.status, b->status, r.err);
    ck_assert_msg(r.out[0] == '\0', "bdc%s: printed on stdout: %s", line, r.out);
    ck_assert_msg(bdc_count_lines(r.err) == 1, "bdc%s: %zu lines on stderr: %s", line,
                  bdc_count_lines(r.err), r.err);
    ck_assert_msg(strstr(r.err, b->blame) != NULL, "bdc%s: stderr does not name %s: %s",
                  line, b->blame, r.err);
    ck_assert_msg(!b->value || strstr(r.err, b->value) != NULL,
                  "bdc%s: stderr does not quote %s: %s", line, b->value, r.err);
    bdc_run_free(&r);
}
END_TEST

START_TEST(help_goes_to_stdout)
{
    const char *args[] = {"train", "--help", NULL};
    bdc_run r;
    bdc_run_program(&r, args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_ptr_nonnull(strstr(r.out, "usage: bdc train"));
    ck_assert_ptr_nonnull(strstr(r.out, "Exit status: 0 success, 1 runtime failure"));
    bdc_run_free(&r);
}
END_TEST

/* A scratch folder for a script's output CSV and its stderr. */
typedef struct {
    char dir[512], csv[600], errf[600];
} script_scratch;

static void script_scratch_make(script_scratch *t)
{
    bdc_test_tmpdir(t->dir, sizeof t->dir);
    snprintf(t->csv, sizeof t->csv, "%s/out.csv", t->dir);
    snprintf(t->errf, sizeof t->errf, "%s/err", t->dir);
}

/* Runs a script's command line (its stderr to t->errf) and checks that it
 * refused: exit 2, one line of error naming `named`, and no t->csv. */
static void script_refuses(const char *cmd, const char *named, const script_scratch *t)
{
    char err[4096];
    const int status = system(cmd);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 2, "%s: status %d", cmd, status);
    bdc_test_read(t->errf, err, sizeof err);
    ck_assert_msg(strstr(err, named) != NULL && bdc_test_lines(err) == 1, "%s: %s", cmd, err);
    ck_assert_int_ne(access(t->csv, F_OK), 0);
}

/* scripts/family-speedup.sh refuses a REPEATS that is not a positive
 * number before it trains anything: exit 2, one line naming it, no CSV. */
START_TEST(family_speedup_refuses_bad_repeats)
{
    static const char *const repeats[] = {"0", "x", "-1", "2a"};
    script_scratch t;
    char cmd[2048];
    script_scratch_make(&t);
    for (size_t i = 0; i < sizeof repeats / sizeof repeats[0]; i++) {
        snprintf(cmd, sizeof cmd, "REPEATS='%s' BDC_BIN='%s' sh scripts/family-speedup.sh %s 2>%s",
                 repeats[i], bdc_test_bin(), t.csv, t.errf);
        script_refuses(cmd, "REPEATS", &t);
    }
    bdc_test_remove_tree(t.dir);
}
END_TEST

/* scripts/bench-ab.sh refuses a PAIRS that is not a positive number, a
 * revision that is not a commit and an OUT.csv it could not write, before
 * it builds anything: exit 2, one line naming what is wrong, no CSV. */
START_TEST(bench_ab_refuses_bad_arguments)
{
    static const struct {
        const char *old_rev, *pairs, *out, *named;
    } refused[] = {{"HEAD", "0", "", "PAIRS"},
                   {"HEAD", "x", "", "PAIRS"},
                   {"HEAD", "-3", "", "PAIRS"},
                   {"no-such-revision", "1", "", "no-such-revision"},
                   {"HEAD", "1", "/no-such-folder/ab.csv", "/no-such-folder"}};
    script_scratch t;
    char cmd[2048];
    script_scratch_make(&t);
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        const char *out = *refused[i].out ? refused[i].out : t.csv;
        snprintf(cmd, sizeof cmd, "sh scripts/bench-ab.sh '%s' HEAD forward_panel %s '%s' 2>%s",
                 refused[i].old_rev, out, refused[i].pairs, t.errf);
        script_refuses(cmd, refused[i].named, &t);
    }
    bdc_test_remove_tree(t.dir);
}
END_TEST

Suite *bdc_suite_e2e(void)
{
    Suite *s = suite_create("e2e");
    TCase *oracle = tcase_create("oracle");
    tcase_set_timeout(oracle, 60); /* the sanitizer build is slower */
    tcase_add_loop_test(oracle, matches_the_oracle, 0, N_CASES);
    tcase_add_test(oracle, same_command_same_bits);
    suite_add_tcase(s, oracle);

    /* One test case per kernel family, named after it, so that a failure
     * says which ISA broke; the auto family is already covered above. */
    static char names[16][32]; /* Check keeps the pointer to a name */
    for (size_t i = 0; i < bdc_family_count() && i < 16; i++) {
        const bdc_family *f = bdc_family_at(i);
        if (f == bdc_family_auto())
            continue;
        snprintf(names[i], sizeof names[i], "oracle_%s", f->name);
        TCase *tc = tcase_create(names[i]);
        tcase_set_timeout(tc, 60);
        tcase_add_loop_test(tc, every_family_matches_the_oracle, (int)i, (int)i + 1);
        suite_add_tcase(s, tc);
    }

    TCase *usage = tcase_create("usage");
    tcase_add_loop_test(usage, bad_usage_is_one_line_and_a_status, 0, N_BAD);
    tcase_add_test(usage, help_goes_to_stdout);
    tcase_add_test(usage, family_speedup_refuses_bad_repeats);
    tcase_add_test(usage, bench_ab_refuses_bad_arguments);
    suite_add_tcase(s, usage);
    return s;
}
