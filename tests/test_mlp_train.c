/* `bdc train --model mlp` end to end, on slices of MNIST: the fingerprint
 * is the same in every kernel family, fixed by the seed and changed by
 * another seed; a small slice learns; flags that do not apply are refused.
 * Runs the program named by $BDC_BIN. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "../kernels/dispatch.h"
#include "suites.h"

/* Runs `$BDC_BIN args` with stderr folded into out; returns the exit status. */
static int run_bdc(const char *args, char *out, size_t outlen)
{
    const char *bin = getenv("BDC_BIN");
    ck_assert_msg(bin && *bin, "BDC_BIN is not set (run the tests with make test)");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "BDC_KERNEL= '%s' %s 2>&1", bin, args);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    const size_t n = fread(out, 1, outlen - 1, p);
    out[n] = '\0';
    const int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The value of a "key": field of the one-line JSON summary, as text. */
static void json_field(const char *json, const char *key, char *value, size_t len)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *at = strstr(json, pat);
    ck_assert_msg(at != NULL, "no %s in: %s", key, json);
    at += strlen(pat);
    if (*at == '"')
        at++;
    size_t n = strcspn(at, "\",}");
    if (n >= len)
        n = len - 1;
    memcpy(value, at, n);
    value[n] = '\0';
}

/* A short run: 2000 training samples, 2 epochs in the default batches,
 * 500 test samples. */
static void train_fingerprint(const char *extra, char *fp, size_t len)
{
    char args[512], out[8192];
    snprintf(args, sizeof args,
             "train --model mlp --train-limit 2000 --test-limit 500 --epochs 2 "
             "--hidden 64 --json %s", extra);
    ck_assert_msg(run_bdc(args, out, sizeof out) == 0, "bdc %s failed: %s", args, out);
    json_field(out, "weights_fnv1a64", fp, len);
}

START_TEST(same_fingerprint_in_every_family)
{
    char want[32], got[32], flag[64];
    train_fingerprint("--kernel scalar", want, sizeof want);
    for (size_t i = 0; i < bdc_family_count(); i++) {
        const bdc_family *f = bdc_family_at(i);
        if (bdc_family_status_of(f) == BDC_UNAVAILABLE) {
            fprintf(stderr, "mlp_train: skipping family %s: this CPU cannot run it\n",
                    f->name);
            continue;
        }
        snprintf(flag, sizeof flag, "--kernel %s", f->name);
        train_fingerprint(flag, got, sizeof got);
        ck_assert_msg(strcmp(want, got) == 0, "family %s: fingerprint %s, scalar %s",
                      f->name, got, want);
    }
}
END_TEST

START_TEST(seed_fixes_the_fingerprint)
{
    char a[32], b[32], c[32];
    train_fingerprint("--seed 7", a, sizeof a);
    train_fingerprint("--seed 7", b, sizeof b);
    train_fingerprint("--seed 8", c, sizeof c);
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
}
END_TEST

START_TEST(a_small_slice_learns)
{
    char out[8192], v[64];
    ck_assert_int_eq(run_bdc("train --model mlp --train-limit 5000 --test-limit 1000 "
                             "--epochs 2 --json", out, sizeof out), 0);
    json_field(out, "test_accuracy", v, sizeof v);
    /* Chance is 10%; this slice reaches about 90%. */
    ck_assert_msg(atof(v) >= 0.85, "test accuracy %s", v);
    json_field(out, "parameters", v, sizeof v);
    ck_assert_str_eq(v, "79510");
    json_field(out, "batch", v, sizeof v);
    ck_assert_str_eq(v, "16");
    json_field(out, "train_steps", v, sizeof v);
    ck_assert_str_eq(v, "10000");
}
END_TEST

START_TEST(a_last_partial_batch_is_trained)
{
    /* 1000 samples in batches of 300: 300, 300, 300, 100.  The run differs
     * from one that stops after 900 samples. */
    char out[8192], all[32], part[32];
    ck_assert_int_eq(run_bdc("train --model mlp --train-limit 1000 --test-limit 10 "
                             "--epochs 1 --batch 300 --json", out, sizeof out), 0);
    json_field(out, "weights_fnv1a64", all, sizeof all);
    json_field(out, "train_steps", part, sizeof part);
    ck_assert_str_eq(part, "1000");
    ck_assert_int_eq(run_bdc("train --model mlp --train-limit 900 --test-limit 10 "
                             "--epochs 1 --batch 300 --json", out, sizeof out), 0);
    json_field(out, "weights_fnv1a64", part, sizeof part);
    ck_assert_str_ne(all, part);
}
END_TEST

START_TEST(flags_that_do_not_apply_are_refused)
{
    char out[4096];
    ck_assert_int_eq(run_bdc("train --model mlp --decay 0.9", out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "--decay does not apply to --model mlp"));
    ck_assert_int_eq(run_bdc("train --model bidir --batch 8", out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "--batch does not apply to --model bidir"));
    ck_assert_int_eq(run_bdc("train --model mlp --batch 0", out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "--batch"));
    ck_assert_int_eq(run_bdc("train --model mlp --seed -1", out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "--seed"));
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
