/* `bdc train --model mlp` end to end, on slices of MNIST: the fingerprint
 * is the same in every kernel family, fixed by the seed and changed by
 * another seed; a small slice learns; a last partial batch is trained;
 * flags that do not apply are refused.  Runs the program named by
 * $BDC_BIN. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/dispatch.h"
#include "run_program.h"
#include "suites.h"

#define MAX_ARGS 32

/* Runs `bdc train --model mlp --json` plus extra (space-separated words);
 * the run must succeed.  Returns its stdout in r. */
static void train(bdc_run *r, const char *extra)
{
    char words[512];
    snprintf(words, sizeof words, "train --model mlp --json %s", extra);
    const char *args[MAX_ARGS];
    size_t n = 0;
    for (char *w = strtok(words, " "); w && n < MAX_ARGS - 1; w = strtok(NULL, " "))
        args[n++] = w;
    args[n] = NULL;
    bdc_run_program(r, args);
    ck_assert_msg(r->status == 0, "bdc train --model mlp %s: status %d: %s", extra,
                  r->status, r->err);
}

/* The value of a field, without quotes, copied out. */
static void field(const bdc_run *r, const char *key, char *value, size_t len)
{
    const char *v = bdc_json_field(r->out, key);
    ck_assert_msg(v != NULL, "no %s in: %s", key, r->out);
    if (*v == '"')
        v++;
    snprintf(value, len, "%.*s", (int)strcspn(v, "\""), v);
}

/* A short run: 2000 training samples, 2 epochs in the default batches,
 * 500 test samples; its fingerprint. */
static void fingerprint(const char *extra, char *fp, size_t len)
{
    char words[256];
    snprintf(words, sizeof words,
             "--train-limit 2000 --test-limit 500 --epochs 2 --hidden 64 %s", extra);
    bdc_run r;
    train(&r, words);
    field(&r, "weights_fnv1a64", fp, len);
    bdc_run_free(&r);
}

START_TEST(same_fingerprint_in_every_family)
{
    char want[32], got[32], flag[64];
    fingerprint("--kernel scalar", want, sizeof want);
    for (size_t i = 0; i < bdc_family_count(); i++) {
        const bdc_family *f = bdc_family_at(i);
        if (bdc_family_status_of(f) == BDC_UNAVAILABLE) {
            fprintf(stderr, "mlp_train: skipping family %s: this CPU cannot run it\n",
                    f->name);
            continue;
        }
        snprintf(flag, sizeof flag, "--kernel %s", f->name);
        fingerprint(flag, got, sizeof got);
        ck_assert_msg(strcmp(want, got) == 0, "family %s: fingerprint %s, scalar %s",
                      f->name, got, want);
    }
}
END_TEST

START_TEST(seed_fixes_the_fingerprint)
{
    char a[32], b[32], c[32];
    fingerprint("--seed 7", a, sizeof a);
    fingerprint("--seed 7", b, sizeof b);
    fingerprint("--seed 8", c, sizeof c);
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
}
END_TEST

START_TEST(a_small_slice_learns)
{
    bdc_run r;
    char v[64];
    train(&r, "--train-limit 5000 --test-limit 1000 --epochs 2");
    field(&r, "test_accuracy", v, sizeof v);
    /* Chance is 10%; this slice reaches about 89%. */
    ck_assert_msg(atof(v) >= 0.85, "test accuracy %s", v);
    field(&r, "parameters", v, sizeof v);
    ck_assert_str_eq(v, "79510");
    field(&r, "batch", v, sizeof v);
    ck_assert_str_eq(v, "16");
    field(&r, "train_steps", v, sizeof v);
    ck_assert_str_eq(v, "10000");
    bdc_run_free(&r);
}
END_TEST

START_TEST(a_last_partial_batch_is_trained)
{
    /* 1000 samples in batches of 300: 300, 300, 300, 100.  The run differs
     * from one that stops after 900 samples. */
    bdc_run r;
    char all[32], part[32];
    train(&r, "--train-limit 1000 --test-limit 10 --epochs 1 --batch 300");
    field(&r, "weights_fnv1a64", all, sizeof all);
    field(&r, "train_steps", part, sizeof part);
    ck_assert_str_eq(part, "1000");
    bdc_run_free(&r);
    train(&r, "--train-limit 900 --test-limit 10 --epochs 1 --batch 300");
    field(&r, "weights_fnv1a64", part, sizeof part);
    ck_assert_str_ne(all, part);
    bdc_run_free(&r);
}
END_TEST

/* The run exits with status 2 and names the flag. */
static void refused(const char *const *args, const char *message)
{
    bdc_run r;
    bdc_run_program(&r, args);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, message) != NULL, "want '%s' in: %s", message, r.err);
    bdc_run_free(&r);
}

START_TEST(flags_that_do_not_apply_are_refused)
{
    refused((const char *const[]){"train", "--model", "mlp", "--decay", "0.9", NULL},
            "--decay does not apply to --model mlp");
    refused((const char *const[]){"train", "--model", "bidir", "--batch", "8", NULL},
            "--batch does not apply to --model bidir");
    refused((const char *const[]){"train", "--model", "mlp", "--batch", "0", NULL},
            "--batch");
    refused((const char *const[]){"train", "--model", "mlp", "--seed", "-1", NULL},
            "--seed");
}
END_TEST

Suite *bdc_suite_mlp_train(void)
{
    Suite *s = suite_create("mlp_train");
    TCase *tc = tcase_create("mnist_slice");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, same_fingerprint_in_every_family);
    tcase_add_test(tc, seed_fixes_the_fingerprint);
    tcase_add_test(tc, a_small_slice_learns);
    tcase_add_test(tc, a_last_partial_batch_is_trained);
    tcase_add_test(tc, flags_that_do_not_apply_are_refused);
    suite_add_tcase(s, tc);
    return s;
}
