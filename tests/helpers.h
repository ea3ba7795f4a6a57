/* Helpers for tests that run ./bdc and look at the files it writes. */
#ifndef BDC_TEST_HELPERS_H
#define BDC_TEST_HELPERS_H

#include <stddef.h>
#include <sys/types.h>

/* A fresh empty folder under $TMPDIR (or /tmp); the path is static per
 * call site only until the next call, so copy it. */
void bdc_test_tmpdir(char *out, size_t len);

/* rm -rf path. */
void bdc_test_remove_tree(const char *path);

/* The ./bdc under test ($BDC_BIN, set by the Makefile). */
const char *bdc_test_bin(void);

/* Starts $BDC_BIN with args (NULL-terminated, without the program), its
 * stdout and stderr into the files out and err (NULL: /dev/null).  Returns
 * the pid. */
pid_t bdc_test_spawn(const char *const *args, const char *out, const char *err);

/* Waits for pid: its exit status, or 128 + the signal that killed it. */
int bdc_test_wait(pid_t pid);

/* Runs $BDC_BIN to the end; stdout and stderr are returned in out and err
 * (each up to len bytes, NUL-terminated; NULL to discard). */
int bdc_test_run(const char *const *args, char *out, char *err, size_t len);

/* Writes text to path; returns 0. */
int bdc_test_write(const char *path, const char *text);

/* Reads a whole file into buf (NUL-terminated); its length, or -1. */
long bdc_test_read(const char *path, char *buf, size_t len);

/* Lines in a string. */
size_t bdc_test_lines(const char *s);

#endif
