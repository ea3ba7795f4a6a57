/* Every family's engine kernels (kernels/engine_kernels.h) against the
 * scalar family's, bit for bit, on random and adversarial inputs: one test
 * case per family, named by it; a family this CPU cannot run is skipped
 * with a message.  Outputs carry guard values around them, so a write out
 * of bounds shows as a difference. */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/dispatch.h"
#include "../kernels/engine_kernels.h"
#include "../kernels/families.h"
#include "suites.h"

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static float uniform(uint64_t *s) { return (float)(next(s) >> 40) * 0x1p-24f; }

/* Ordinary values of both signs, zeros of both signs, subnormals, tiny
 * and large magnitudes. */
static float mixed(uint64_t *s)
{
    const float u = uniform(s);
    switch (next(s) % 10) {
    case 0: return 0.0f;
    case 1: return -0.0f;
    case 2: return u * 0x1p-127f;
    case 3: return -u * 0x1p-130f;
    case 4: return -u;
    case 5: return u * 1e15f;
    case 6: return u * 1e-20f;
    default: return u;
    }
}

static uint32_t bits(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}

static const uint32_t GUARD = 0x7fc0beefu; /* a NaN no kernel writes */

static float guard(void)
{
    float f;
    memcpy(&f, &GUARD, sizeof f);
    return f;
}

static void same_floats(const char *family, const char *what, const float *ref,
                        const float *got, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (bits(ref[i]) != bits(got[i]))
            ck_abort_msg("%s %s: element %zu of %zu: scalar %a (0x%08" PRIx32 "), %s %a (0x%08" PRIx32 ")",
                         family, what, i, n, (double)ref[i], bits(ref[i]), family,
                         (double)got[i], bits(got[i]));
}

static const bdc_family *family_or_skip(int i)
{
    const bdc_family *f = bdc_family_at((size_t)i);
    ck_assert_ptr_nonnull(f);
    if (bdc_family_status_of(f) == BDC_UNAVAILABLE) {
        printf("engine_kernels: %s test skipped: this CPU cannot run it\n", f->name);
        fflush(stdout);
        return NULL;
    }
    ck_assert_msg(f->engine != NULL, "%s has no engine kernels", f->name);
    return f;
}

static const bdc_engine_kernels *reference(void) { return bdc_family_scalar.engine; }

/* Every panel width, 1 to 5 samples cut into 1 to 4 chunks, fresh and
 * continued, sums in rows longer than the panel (ldo > width) whose rest
 * must stay untouched.  Inputs kept 1 in 3, 12 or 40, so that a sample's
 * run in a chunk is also empty, a single entry or two (the kernels take
 * each entry's row one entry ahead). */
START_TEST(forward_panel_matches)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f)
        return;
    uint64_t rng = 11;
    const size_t D = 97;
    for (size_t width = BDC_ENGINE_LANES; width <= BDC_ENGINE_GROUP; width += BDC_ENGINE_LANES)
        for (int trial = 0; trial < 6; trial++) {
            static const unsigned one_in[] = {3, 3, 12, 12, 40, 40};
            const size_t ns = 1 + next(&rng) % 5, chunks = 1 + next(&rng) % 4;
            const size_t ldo = width + 3;
            float *panel = malloc(D * width * sizeof *panel);
            uint32_t *idx = malloc(ns * D * sizeof *idx);
            float *val = malloc(ns * D * sizeof *val);
            uint32_t *pos = malloc(ns * (chunks + 1) * sizeof *pos);
            float *ref = malloc(ns * ldo * sizeof *ref), *got = malloc(ns * ldo * sizeof *got);
            ck_assert(panel && idx && val && pos && ref && got);
            for (size_t i = 0; i < D * width; i++)
                panel[i] = mixed(&rng);
            /* chunk c holds inputs [c*D/chunks, (c+1)*D/chunks) */
            uint32_t at = 0;
            for (size_t s = 0; s < ns; s++) {
                size_t c = 0;
                pos[s * (chunks + 1)] = at;
                for (size_t i = 0; i < D; i++) {
                    while (c + 1 < chunks && i >= (c + 1) * D / chunks)
                        pos[s * (chunks + 1) + ++c] = at;
                    if (next(&rng) % one_in[trial] == 0) {
                        idx[at] = (uint32_t)i;
                        val[at++] = mixed(&rng);
                    }
                }
                while (c + 1 <= chunks)
                    pos[s * (chunks + 1) + ++c] = at;
            }
            for (size_t i = 0; i < ns * ldo; i++)
                ref[i] = got[i] = i % ldo < width && trial % 2 ? mixed(&rng) : guard();
            for (size_t c = 0; c < chunks; c++) {
                const int fresh = c == 0 && trial % 2 == 0;
                reference()->forward_panel(panel, width, idx, val, pos + c, chunks + 1, ns,
                                           fresh, ref, ldo);
                f->engine->forward_panel(panel, width, idx, val, pos + c, chunks + 1, ns,
                                         fresh, got, ldo);
            }
            same_floats(f->name, "forward_panel", ref, got, ns * ldo);
            free(panel); free(idx); free(val); free(pos); free(ref); free(got);
        }
}
END_TEST

START_TEST(dot_rows_matches)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f)
        return;
    uint64_t rng = 12;
    const size_t D = 61, H = 40;
    float *w = malloc(H * D * sizeof *w);
    ck_assert_ptr_nonnull(w);
    for (size_t i = 0; i < H * D; i++)
        w[i] = mixed(&rng);
    for (size_t nrows = 0; nrows <= 21; nrows++) {
        size_t offset[21];
        uint32_t idx[61];
        float val[61], ref[22], got[22];
        for (size_t r = 0; r < nrows; r++)
            offset[r] = (size_t)(next(&rng) % H) * D;
        size_t nnz = 0;
        for (size_t i = 0; i < D; i++)
            if (next(&rng) % 2) {
                idx[nnz] = (uint32_t)i;
                val[nnz++] = mixed(&rng);
            }
        for (size_t r = 0; r < 22; r++)
            ref[r] = got[r] = guard();
        reference()->dot_rows(idx, val, nnz, w, offset, nrows, ref);
        f->engine->dot_rows(idx, val, nnz, w, offset, nrows, got);
        same_floats(f->name, "dot_rows", ref, got, 22);
    }
    free(w);
}
END_TEST

/* The maximum is compared by value (which zero comes back when it is a
 * zero is left open), the NaN flag exactly. */
START_TEST(max_scan_matches)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f)
        return;
    uint64_t rng = 13;
    for (size_t n = 1; n <= 70; n++)
        for (int trial = 0; trial < 8; trial++) {
            float v[70];
            for (size_t i = 0; i < n; i++) {
                v[i] = mixed(&rng);
                if (trial == 1 && next(&rng) % 9 == 0)
                    v[i] = NAN;
                if (trial == 2)
                    v[i] = -INFINITY;
                if (trial == 3 && next(&rng) % 5 == 0)
                    v[i] = INFINITY;
            }
            int ref_nan = -1, got_nan = -1;
            const float ref = reference()->max_scan(v, n, &ref_nan);
            const float got = f->engine->max_scan(v, n, &got_nan);
            ck_assert_msg(ref == got && ref_nan == got_nan,
                          "%s max_scan (n=%zu, trial %d): scalar %a nan %d, %s %a nan %d", f->name,
                          n, trial, (double)ref, ref_nan, f->name, (double)got, got_nan);
        }
}
END_TEST

/* Short and long inputs, thresholds that take none, some and all, and
 * output buffers ending just past a page boundary (where a vector store
 * would straddle it). */
START_TEST(above_matches)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f)
        return;
    uint64_t rng = 14;
    uint32_t *page = aligned_alloc(4096, 3 * 4096);
    uint32_t ref[300];
    ck_assert_ptr_nonnull(page);
    for (size_t n = 1; n <= 300; n += 1 + n / 8)
        for (int trial = 0; trial < 6; trial++) {
            float v[300];
            for (size_t i = 0; i < n; i++)
                v[i] = trial == 5 && next(&rng) % 7 == 0 ? NAN : mixed(&rng);
            const float t = trial == 0 ? -INFINITY : trial == 1 ? 2e15f : uniform(&rng) - 0.5f;
            /* the buffer starts 1..8 entries before the second page */
            uint32_t *got = page + 1024 - 1 - (size_t)trial;
            for (size_t i = 0; i < n; i++)
                got[i] = ref[i] = 0xdeadbeefu;
            const size_t rc = reference()->above(v, n, t, ref);
            const size_t gc = f->engine->above(v, n, t, got);
            ck_assert_msg(rc == gc, "%s above (n=%zu): scalar %zu indices, %s %zu", f->name, n,
                          rc, f->name, gc);
            ck_assert_msg(memcmp(ref, got, rc * sizeof *ref) == 0,
                          "%s above (n=%zu): the indices differ", f->name, n);
        }
    free(page);
}
END_TEST

START_TEST(grelu_at_matches)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f)
        return;
    uint64_t rng = 15;
    for (size_t n = 0; n <= 40; n++) {
        float v[64], ref[41], got[41];
        uint32_t idx[40];
        for (size_t i = 0; i < 64; i++)
            v[i] = mixed(&rng);
        for (size_t i = 0; i < n; i++)
            idx[i] = (uint32_t)(next(&rng) % 64);
        const float t = mixed(&rng), m2 = uniform(&rng) + (n % 3 ? 1e-30f : 1.0f);
        for (size_t i = 0; i < 41; i++)
            ref[i] = got[i] = guard();
        reference()->grelu_at(v, idx, n, t, m2, ref);
        f->engine->grelu_at(v, idx, n, t, m2, got);
        same_floats(f->name, "grelu_at", ref, got, 41);
    }
}
END_TEST

Suite *bdc_suite_engine_kernels(void)
{
    Suite *s = suite_create("engine_kernels");
    for (size_t i = 0; i < bdc_family_count(); i++) {
        const bdc_family *f = bdc_family_at(i);
        if (f == &bdc_family_scalar)
            continue; /* the reference */
        TCase *tc = tcase_create(f->name);
        tcase_set_timeout(tc, 120); /* emulated families under qemu are slow */
        const int at = (int)i;
        tcase_add_loop_test(tc, forward_panel_matches, at, at + 1);
        tcase_add_loop_test(tc, dot_rows_matches, at, at + 1);
        tcase_add_loop_test(tc, max_scan_matches, at, at + 1);
        tcase_add_loop_test(tc, above_matches, at, at + 1);
        tcase_add_loop_test(tc, grelu_at_matches, at, at + 1);
        suite_add_tcase(s, tc);
    }
    return s;
}
