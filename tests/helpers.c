#define _XOPEN_SOURCE 700
#include "helpers.h"

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void bdc_test_tmpdir(char *out, size_t len)
{
    const char *base = getenv("TMPDIR");
    snprintf(out, len, "%s/bdc-test-XXXXXX", base && *base ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(out));
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

void bdc_test_remove_tree(const char *path)
{
    nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *bdc_test_bin(void)
{
    const char *bin = getenv("BDC_BIN");
    ck_assert_msg(bin && *bin, "BDC_BIN is not set (run the tests with make test)");
    return bin;
}

pid_t bdc_test_spawn(const char *const *args, const char *out, const char *err)
{
    const char *bin = bdc_test_bin();
    size_t n = 0;
    while (args[n]) n++;
    const char **argv = calloc(n + 2, sizeof *argv);
    ck_assert_ptr_nonnull(argv);
    argv[0] = bin;
    memcpy(argv + 1, args, n * sizeof *argv);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int o = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err ? err : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0) _exit(126);
        dup2(o, 1);
        dup2(e, 2);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    free(argv);
    return pid;
}

int bdc_test_wait(pid_t pid)
{
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int bdc_test_run(const char *const *args, char *out, char *err, size_t len)
{
    char dir[512], out_path[600], err_path[600];
    bdc_test_tmpdir(dir, sizeof dir);
    snprintf(out_path, sizeof out_path, "%s/out", dir);
    snprintf(err_path, sizeof err_path, "%s/err", dir);
    const int rc = bdc_test_wait(bdc_test_spawn(args, out_path, err_path));
    if (out) bdc_test_read(out_path, out, len);
    if (err) bdc_test_read(err_path, err, len);
    bdc_test_remove_tree(dir);
    return rc;
}

int bdc_test_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
    return 0;
}

long bdc_test_read(const char *path, char *buf, size_t len)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
    return (long)n;
}

size_t bdc_test_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}
