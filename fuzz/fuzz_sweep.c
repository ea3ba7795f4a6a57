/* Fuzz target: the sweep file parser (harness/sweep_config.c). */
#include <stdlib.h>
#include <string.h>

#include "../harness/sweep_config.h"
#include "targets.h"

static void fail(const char *what, const char *detail)
{
    bdc_fuzz_fail("sweep", what, detail);
}

/* A value of a grid: non-empty, no space, comma, '#' or control character
 * (the parser splits and trims on those). */
static void check_value(const char *v)
{
    if (!v || !*v) fail("an empty value", NULL);
    for (const char *p = v; *p; p++)
        if (*p == ' ' || *p == ',' || *p == '#' || (unsigned char)*p < 0x20)
            fail("a value with a separator in it", v);
}

int bdc_fuzz_sweep(const uint8_t *data, size_t size)
{
    static const char path[] = "dir/fuzz.sweep";
    bdc_sweep s;
    char err[512];
    memset(err, 0, sizeof err);
    const int rc = bdc_sweep_parse((const char *)data, size, path, &s, err, sizeof err);
    if (rc != 0) {
        if (rc != -1) fail("returned neither 0 nor -1", NULL);
        if (strncmp(err, path, strlen(path)) != 0 || err[strlen(path)] != ':')
            fail("the error does not start with 'FILE:'", err);
        if (strchr(err, '\n')) fail("the error is not one line", err);
        if (s.grids || s.path || s.experiment) fail("failed but left a sweep", err);
        return 0;
    }
    if (!s.experiment || !s.path || strcmp(s.path, path) != 0) fail("no experiment or path", NULL);
    if (s.count == 0) fail("no grid", NULL);
    size_t total = 0;
    for (size_t g = 0; g < s.count; g++) {
        const bdc_sweep_grid *grid = &s.grids[g];
        if (!grid->name) fail("a grid without a name", NULL);
        if (!bdc_sweep_grid_find(grid, "model")) fail("a grid without a model", grid->name);
        if (bdc_sweep_grid_find(grid, "experiment") || bdc_sweep_grid_find(grid, "results"))
            fail("a sweep key inside a grid", grid->name);
        for (size_t k = 0; k < grid->count; k++) {
            const bdc_sweep_setting *st = &grid->settings[k];
            if (st->count == 0) fail("a setting without values", st->key);
            if (bdc_sweep_grid_find(grid, st->key) != st) fail("a key twice in a grid", st->key);
            for (size_t v = 0; v < st->count; v++) {
                check_value(st->values[v]);
                for (size_t w = 0; w < v; w++)
                    if (strcmp(st->values[v], st->values[w]) == 0)
                        fail("a value twice in a list", st->values[v]);
            }
        }
        const size_t n = bdc_sweep_grid_size(grid);
        if (n == 0 || n > 1000000) fail("a grid size out of range", grid->name);
        total += n;
        /* The first and the last point: every setting, each value one of
         * its list's. */
        char **point = malloc((2 * grid->count + 1) * sizeof *point);
        if (!point) fail("out of memory", NULL);
        const size_t at[2] = {0, n - 1};
        for (int i = 0; i < 2; i++) {
            bdc_sweep_grid_point(grid, at[i], point);
            for (size_t k = 0; k < grid->count; k++) {
                if (strcmp(point[2 * k], grid->settings[k].key) != 0)
                    fail("a point's key out of order", point[2 * k]);
                check_value(point[2 * k + 1]);
            }
        }
        free(point);
    }
    (void)total;
    bdc_sweep_free(&s);
    return 0;
}

BDC_FUZZ_ENTRY(sweep)
