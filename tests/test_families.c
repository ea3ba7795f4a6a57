/* Kernel families through the program ($BDC_BIN): `bdc train` refuses a
 * family the CPU cannot run, and every family the CPU can run trains each
 * model to the same weights (weights_fnv1a64) and the same test accuracy as
 * scalar. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "../kernels/dispatch.h"
#include "../kernels/families.h"
#include "suites.h"

extern char **environ;

typedef struct run_result {
    int status; /* exit status */
    char out[8192], err[4096];
} run_result;

static void read_back(FILE *f, char *buf, size_t len)
{
    rewind(f);
    const size_t n = fread(buf, 1, len - 1, f);
    buf[n] = 0;
    fclose(f);
}

/* Runs $BDC_BIN with args (NULL-terminated) in this process's environment. */
static void run_bdc(const char *const *args, run_result *r)
{
    const char *bin = getenv("BDC_BIN");
    ck_assert_msg(bin && *bin, "BDC_BIN is not set (make test sets it)");
    char *argv[40];
    size_t argc = 0;
    argv[argc++] = (char *)bin;
    for (; args[argc - 1] && argc < 39; argc++)
        argv[argc] = (char *)args[argc - 1];
    argv[argc] = NULL;
    FILE *out = tmpfile(), *err = tmpfile();
    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(err);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fileno(out), 1);
    posix_spawn_file_actions_adddup2(&actions, fileno(err), 2);
    pid_t pid;
    const int rc = posix_spawn(&pid, bin, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ck_assert_msg(rc == 0, "cannot run %s", bin);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status), "%s did not exit normally", bin);
    r->status = WEXITSTATUS(status);
    read_back(out, r->out, sizeof r->out);
    read_back(err, r->err, sizeof r->err);
}

/* The value of "key" in the one-line JSON object of `bdc train --json`,
 * without quotes. */
static void json_field(const char *json, const char *key, char *value, size_t len)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\": ", key);
    const char *p = strstr(json, pattern);
    ck_assert_msg(p != NULL, "no \"%s\" in: %s", key, json);
    p += strlen(pattern);
    if (*p == '"')
        p++;
    const size_t n = strcspn(p, "\",}");
    ck_assert_uint_lt(n, len);
    memcpy(value, p, n);
    value[n] = 0;
}

START_TEST(disabled_family_exits_2)
{
    setenv("BDC_CPU_DISABLE", "avx2", 1);
    const char *args[] = {"train", "--model", "bidir", "--kernel", "avx2", "--epochs", "1",
                          "--train-limit", "10", "--test-limit", "10", NULL};
    run_result r;
    run_bdc(args, &r);
    unsetenv("BDC_CPU_DISABLE");
    const bdc_family *avx2 = bdc_family_by_name("avx2");
    ck_assert_ptr_nonnull(avx2);
    if (avx2->emulated) {
        /* Emulated avx2 needs nothing of the CPU, so nothing to refuse. */
        ck_assert_int_eq(r.status, 0);
        return;
    }
    ck_assert_msg(r.status == 2, "exit status %d, stderr: %s", r.status, r.err);
    ck_assert_str_eq(r.out, "");
    const char *newline = strchr(r.err, '\n');
    ck_assert_msg(newline && newline[1] == 0, "not one line: %s", r.err);
    ck_assert_msg(strstr(r.err, "needs avx2"), "does not name the feature: %s", r.err);
}
END_TEST

/* The command line of one small run. */
static void train_args(const char *model, const char *kernel, const char **args)
{
    const char *fixed[] = {"train", "--model", model, "--kernel", kernel, "--json",
                           "--train-limit", "300", "--test-limit", "200",
                           "--hidden", "64", "--epochs", "1", NULL};
    memcpy(args, fixed, sizeof fixed);
}

static const char *const models[] = {"bidir", "entangled", "binconv"};

START_TEST(every_family_trains_the_same_weights)
{
    const char *model = models[_i];
    const char *args[16];
    run_result r;
    train_args(model, "scalar", args);
    run_bdc(args, &r);
    ck_assert_msg(r.status == 0, "scalar %s: exit status %d: %s", model, r.status, r.err);
    char want_fp[32], want_acc[64];
    json_field(r.out, "weights_fnv1a64", want_fp, sizeof want_fp);
    json_field(r.out, "test_accuracy", want_acc, sizeof want_acc);
    for (size_t i = 0; i < bdc_family_count(); i++) {
        const bdc_family *f = bdc_family_at(i);
        if (f == &bdc_family_scalar)
            continue;
        if (bdc_family_status_of(f) == BDC_UNAVAILABLE) {
            printf("families: skipping %s on %s: this CPU cannot run it\n", f->name, model);
            fflush(stdout);
            continue;
        }
        train_args(model, f->name, args);
        run_bdc(args, &r);
        ck_assert_msg(r.status == 0, "%s %s: exit status %d: %s", f->name, model, r.status,
                      r.err);
        char kernel[32], fp[32], acc[64];
        json_field(r.out, "kernel", kernel, sizeof kernel);
        json_field(r.out, "weights_fnv1a64", fp, sizeof fp);
        json_field(r.out, "test_accuracy", acc, sizeof acc);
        ck_assert_str_eq(kernel, f->name);
        ck_assert_msg(strcmp(fp, want_fp) == 0, "%s %s: weights %s, scalar %s", f->name,
                      model, fp, want_fp);
        ck_assert_msg(strcmp(acc, want_acc) == 0, "%s %s: test accuracy %s, scalar %s",
                      f->name, model, acc, want_acc);
    }
}
END_TEST

Suite *bdc_suite_families(void)
{
    Suite *s = suite_create("families");
    TCase *refused = tcase_create("refused");
    tcase_add_test(refused, disabled_family_exits_2);
    suite_add_tcase(s, refused);
    for (int m = 0; m < (int)(sizeof models / sizeof models[0]); m++) {
        TCase *tc = tcase_create(models[m]);
        tcase_set_timeout(tc, 300); /* several runs; slow under ASan */
        tcase_add_loop_test(tc, every_family_trains_the_same_weights, m, m + 1);
        suite_add_tcase(s, tc);
    }
    return s;
}
