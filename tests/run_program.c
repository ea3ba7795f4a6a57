#define _GNU_SOURCE
#include "run_program.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* Everything written to fd, from its start. */
static char *slurp(int fd)
{
    off_t size = lseek(fd, 0, SEEK_END);
    ck_assert_int_ge(size, 0);
    char *buf = malloc((size_t)size + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(pread(fd, buf, (size_t)size, 0), size);
    buf[size] = '\0';
    close(fd);
    return buf;
}

void bdc_run_program(bdc_run *r, const char *const *args)
{
    const char *bin = getenv("BDC_BIN");
    ck_assert_msg(bin && *bin, "BDC_BIN is not set (run the tests with make test)");
    size_t n = 0;
    while (args[n])
        n++;
    char **argv = calloc(n + 2, sizeof *argv);
    ck_assert_ptr_nonnull(argv);
    argv[0] = (char *)bin;
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = (char *)args[i];

    /* Memory files, not pipes: nothing can block, however much it writes. */
    int out = memfd_create("bdc-stdout", 0), err = memfd_create("bdc-stderr", 0);
    ck_assert_int_ge(out, 0);
    ck_assert_int_ge(err, 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(out, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        execv(bin, argv);
        dprintf(STDERR_FILENO, "cannot run %s\n", bin);
        _exit(127);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    free(argv);
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r->out = slurp(out);
    r->err = slurp(err);
}

void bdc_run_free(bdc_run *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

size_t bdc_count_lines(const char *s)
{
    size_t lines = 0;
    for (const char *p = s; *p; p++)
        lines += *p == '\n';
    if (*s && s[strlen(s) - 1] != '\n')
        lines++;
    return lines;
}

const char *bdc_json_field(const char *json, const char *key)
{
    static char value[256];
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\": ", key);
    const char *at = strstr(json, pattern);
    if (!at)
        return NULL;
    at += strlen(pattern);
    size_t len = strcspn(at, ",}");
    if (len >= sizeof value)
        len = sizeof value - 1;
    memcpy(value, at, len);
    value[len] = '\0';
    return value;
}
