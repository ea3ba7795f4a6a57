/* The committed fuzz corpus (fuzz/corpus/<target>/), replayed through the
 * fuzz targets on every `make test`: the seeds and every input a fuzzer
 * once crashed on stay regression tests, under the sanitizers too with
 * SANITIZE=1.  A broken promise aborts the target, naming the file. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/targets.h"
#include "scratch.h"
#include "suites.h"

typedef struct target {
    const char *name;
    int (*run)(const uint8_t *data, size_t size);
} target;

#define BDC_FUZZ_ROW(name) {#name, bdc_fuzz_##name},
static const target targets[] = {BDC_FUZZ_TARGETS(BDC_FUZZ_ROW)};
#undef BDC_FUZZ_ROW
enum { N_TARGETS = sizeof targets / sizeof targets[0] };

START_TEST(corpus_replays_clean)
{
    const target *t = &targets[_i];
    char dir[256];
    snprintf(dir, sizeof dir, "fuzz/corpus/%s", t->name);
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "%s: missing (run the tests from the repository: make test)", dir);
    size_t files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        unsigned char *data = bdc_scratch_read(path, &len);
        bdc_fuzz_input = path;
        ck_assert_int_eq(t->run(data, len), 0);
        bdc_fuzz_input = NULL;
        free(data);
        files++;
    }
    closedir(d);
    ck_assert_msg(files >= 5, "%s: only %zu seeds", dir, files);
}
END_TEST

Suite *bdc_suite_fuzz_corpus(void)
{
    Suite *s = suite_create("fuzz_corpus");
    for (int i = 0; i < N_TARGETS; i++) {
        TCase *tc = tcase_create(targets[i].name);
        tcase_set_timeout(tc, 60);
        tcase_add_loop_test(tc, corpus_replays_clean, i, i + 1);
        suite_add_tcase(s, tc);
    }
    return s;
}
