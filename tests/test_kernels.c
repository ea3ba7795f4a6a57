/* Every kernel family against scalar, bit for bit (memcmp, never a
 * tolerance), on random and adversarial inputs.  One test case per family,
 * named by the family, so a failure says which ISA broke; a family this CPU
 * cannot run is skipped with a message.  Scalar is the reference itself and
 * gets no case of its own here.
 *
 * Buffers: inputs are allocated to their exact size (ASan, under
 * SANITIZE=1, catches a read past the end); outputs get one guard float
 * after the end and, when offset, one before the start, all filled with the
 * same pattern for scalar and the family, and the whole allocation is
 * compared, so a stray write shows as a difference. */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/cpu.h"
#include "../kernels/dispatch.h"
#include "../kernels/families.h"
#include "suites.h"

/* The widest vector is 8 floats and the widest tile of activate_sparse 64
 * outputs: lengths run from 1 past twice both. */
#define MAX_LEN 160

/* ---- random numbers (SplitMix64: small, fixed, the same everywhere) ---- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t below(rng *r, size_t n) { return (size_t)(next(r) % n); }

/* Uniform in [0, 1). */
static float uniform(rng *r) { return (float)(next(r) >> 40) * 0x1p-24f; }

/* A value from a mixed bag: ordinary ones of both signs, zeros of both
 * signs, subnormals, tiny and large magnitudes. */
static float mixed(rng *r)
{
    const float u = uniform(r);
    switch (below(r, 10)) {
    case 0: return 0.0f;
    case 1: return -0.0f;
    case 2: return u * 0x1p-127f;  /* subnormal (or zero) */
    case 3: return -u * 0x1p-130f; /* negative subnormal */
    case 4: return -u;
    case 5: return u * 1e15f; /* products stay finite */
    case 6: return u * 1e-20f;
    default: return u;
    }
}

/* ---- buffers ---------------------------------------------------------- */

/* n floats at `off` floats into an allocation of exactly off + n. */
static float *input_floats(size_t n, size_t off)
{
    float *p = malloc((off + n) * sizeof *p);
    ck_assert_ptr_nonnull(p);
    return p + off;
}

/* n floats at `off` into an allocation of off + n + 1, every float set to
 * a guard pattern (a NaN no kernel produces). */
static float *output_floats(size_t n, size_t off)
{
    const uint32_t guard = 0x7fc0beefu;
    float *p = malloc((off + n + 1) * sizeof *p);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < off + n + 1; i++)
        memcpy(p + i, &guard, sizeof guard);
    return p + off;
}

static void free_floats(float *p, size_t off) { free(p - off); }

static uint32_t bits(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* Both output allocations (guards included) hold the same bits. */
static void assert_same_floats(const float *ref, const float *got, size_t n,
                               size_t off, const char *family, const char *what)
{
    if (memcmp(ref - off, got - off, (off + n + 1) * sizeof *ref) == 0)
        return;
    for (size_t i = 0; i < off + n + 1; i++) {
        const float a = ref[(ptrdiff_t)i - (ptrdiff_t)off];
        const float b = got[(ptrdiff_t)i - (ptrdiff_t)off];
        if (bits(a) != bits(b))
            ck_abort_msg("%s %s (n=%zu, offset %zu): element %td: scalar %a (0x%08" PRIx32
                         "), %s %a (0x%08" PRIx32 ")%s",
                         family, what, n, off, (ptrdiff_t)i - (ptrdiff_t)off, (double)a,
                         bits(a), family, (double)b, bits(b),
                         i < off || i == off + n ? " (a guard: written out of bounds)" : "");
    }
}

/* The family of test-case index i, or NULL (with a message) when this CPU
 * cannot run it. */
static const bdc_family *family_or_skip(int i)
{
    const bdc_family *f = bdc_family_at((size_t)i);
    ck_assert_ptr_nonnull(f);
    if (bdc_family_status_of(f) == BDC_UNAVAILABLE) {
        char err[256] = "";
        bdc_family_select(f->name, err, sizeof err);
        const char *why = strstr(err, "needs");
        printf("kernels: %s test skipped: %s\n", f->name, why ? why : err);
        fflush(stdout); /* a forked test may not flush on its way out */
        return NULL;
    }
    return f;
}

static const bdc_kernels *reference(void) { return bdc_family_scalar.kernels; }

/* ---- activate_sparse -------------------------------------------------- */

typedef struct sparse_input {
    uint32_t *idx;
    float *val;
    size_t nnz;
} sparse_input;

/* Each of `rows` inputs is non-zero with probability `density`; values
 * come from value(r). */
static sparse_input make_input(size_t rows, double density, size_t off,
                               float (*value)(rng *), rng *r)
{
    sparse_input in;
    in.idx = malloc((rows + 1) * sizeof *in.idx);
    ck_assert_ptr_nonnull(in.idx);
    in.val = input_floats(rows ? rows : 1, off);
    in.nnz = 0;
    for (size_t i = 0; i < rows; i++)
        if ((double)uniform(r) < density) {
            in.idx[in.nnz] = (uint32_t)i;
            in.val[in.nnz++] = value(r);
        }
    return in;
}

static void free_input(sparse_input *in, size_t off)
{
    free(in->idx);
    free_floats(in->val, off);
}

/* MNIST-like: a level/255 with about one in three pixels saturated. */
static float pixel(rng *r)
{
    const unsigned level = below(r, 3) == 0 ? 255u : 1u + (unsigned)below(r, 255);
    return (float)level / 255.0f;
}

/* A trained-looking weight: mostly (0, 1), some decayed to subnormals. */
static float weight(rng *r)
{
    return below(r, 50) == 0 ? uniform(r) * 0x1p-130f : uniform(r);
}

static float zero_value(rng *r)
{
    (void)r;
    return 0.0f;
}

/* Runs scalar and family f on one layer and compares. */
static void check_activate(const bdc_family *f, size_t rows, size_t n, size_t ldw,
                           size_t off, const sparse_input *in, float (*w_value)(rng *),
                           rng *r)
{
    float *w = input_floats(rows * ldw, off);
    for (size_t i = 0; i < rows * ldw; i++)
        w[i] = w_value(r);
    float *ref = output_floats(n, off), *got = output_floats(n, off);
    reference()->activate_sparse(in->idx, in->val, in->nnz, w, ldw, n, ref);
    f->kernels->activate_sparse(in->idx, in->val, in->nnz, w, ldw, n, got);
    char what[96];
    snprintf(what, sizeof what, "activate_sparse %zux%zu (ldw %zu, %zu non-zero)", rows, n,
             ldw, in->nnz);
    assert_same_floats(ref, got, n, off, f->name, what);
    free_floats(w, off);
    free_floats(ref, off);
    free_floats(got, off);
}

START_TEST(activate_lengths)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f) return;
    rng r = {1};
    for (size_t n = 1; n <= MAX_LEN; n++)
        for (size_t off = 0; off <= 1; off++)
            for (size_t pad = 0; pad <= 5; pad += 5) {
                sparse_input in = make_input(40, 0.5, off, mixed, &r);
                check_activate(f, 40, n, n + pad, off, &in, mixed, &r);
                free_input(&in, off);
            }
}
END_TEST

START_TEST(activate_edges)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f) return;
    rng r = {2};
    const size_t lengths[] = {1, 7, 8, 9, 33, 64, 70, 100};
    for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++)
        for (size_t off = 0; off <= 1; off++) {
            const size_t n = lengths[li];
            /* A blank input: nothing listed, every output +0. */
            sparse_input blank = make_input(30, 0.0, off, pixel, &r);
            check_activate(f, 30, n, n, off, &blank, mixed, &r);
            free_input(&blank, off);
            /* Zeros listed explicitly (0 * -w is -0, and 0 + -0 is +0). */
            sparse_input zeros = make_input(30, 1.0, off, zero_value, &r);
            check_activate(f, 30, n, n, off, &zeros, mixed, &r);
            free_input(&zeros, off);
            /* Every input listed, negative and subnormal ones too. */
            sparse_input dense = make_input(30, 1.0, off, mixed, &r);
            check_activate(f, 30, n, n, off, &dense, mixed, &r);
            free_input(&dense, off);
            /* One input: a one-hot label selecting a row. */
            sparse_input one = make_input(10, 0.1, off, pixel, &r);
            check_activate(f, 10, n, n, off, &one, weight, &r);
            free_input(&one, off);
        }
}
END_TEST

START_TEST(activate_layers)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f) return;
    rng r = {3};
    /* bidir's first layer: an MNIST image (19% of 784 pixels lit). */
    sparse_input image = make_input(784, 0.19, 1, pixel, &r);
    check_activate(f, 784, 1500, 1500, 1, &image, weight, &r);
    free_input(&image, 1);
    /* bidir's second layer: about 5% of 1500 hidden neurons active. */
    sparse_input hidden = make_input(1500, 0.05, 0, uniform, &r);
    check_activate(f, 1500, 10, 10, 0, &hidden, weight, &r);
    free_input(&hidden, 0);
    /* binconv: 4433 features into 1000 neurons. */
    sparse_input features = make_input(4433, 0.3, 0, uniform, &r);
    check_activate(f, 4433, 1000, 1000, 0, &features, weight, &r);
    free_input(&features, 0);
}
END_TEST

/* Every count of non-zero inputs from 0 to 40: the tile passes prefetch
 * rows a few inputs ahead and run the last few without, so short inputs
 * take only the second loop and longer ones both, split at each count. */
START_TEST(activate_input_counts)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f) return;
    rng r = {4};
    const size_t lengths[] = {7, 64, 70, 130};
    for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++)
        for (size_t nnz = 0; nnz <= 40; nnz++) {
            const size_t n = lengths[li];
            /* All 60 rows listed, then cut to the first nnz. */
            sparse_input in = make_input(60, 1.0, 0, mixed, &r);
            in.nnz = nnz;
            check_activate(f, 60, n, n + 3, 0, &in, mixed, &r);
            free_input(&in, 0);
        }
}
END_TEST

/* ---- grelu ------------------------------------------------------------ */

enum { GRELU_KINDS = 14 };

/* Fills v for one adversarial case of GReLU. */
static void grelu_case(float *v, size_t n, int kind, rng *r)
{
    for (size_t i = 0; i < n; i++)
        v[i] = uniform(r) * 2.0f - 0.5f;
    const size_t pos[3] = {0, n / 2, n - 1};
    switch (kind) {
    case 0: break;                                   /* mixed signs */
    case 1: for (size_t i = 0; i < n; i++) v[i] = 0.0f; break; /* blank */
    case 2: for (size_t i = 0; i < n; i++) v[i] = -uniform(r) - 0x1p-140f; break;
    case 3: case 4: case 5:                          /* a NaN first/middle/last */
        v[pos[kind - 3]] = NAN;
        break;
    case 6: v[below(r, n)] = INFINITY; break;
    case 7: v[below(r, n)] = -INFINITY; break;
    case 8:                                          /* zeros of both signs */
        for (size_t i = 0; i < n; i++)
            v[i] = below(r, 3) == 0 ? uniform(r) : below(r, 2) ? -0.0f : 0.0f;
        break;
    case 9:                                          /* subnormals only: m - t is 0 */
        for (size_t i = 0; i < n; i++) v[i] = (float)below(r, 3) * 0x1p-149f;
        break;
    case 10: {                                       /* the maximum tied 3 times */
        const float m = 1.0f + uniform(r);
        for (int k = 0; k < 3; k++) v[pos[k]] = m;
        break;
    }
    case 11:                                         /* one positive among non-positives */
        for (size_t i = 0; i < n; i++) v[i] = below(r, 2) ? -uniform(r) : -0.0f;
        v[below(r, n)] = uniform(r) + 0x1p-20f;
        break;
    case 12:                                         /* wide dynamic range */
        for (size_t i = 0; i < n; i++) v[i] = mixed(r);
        break;
    case 13:                                         /* at the top of the float range */
        for (size_t i = 0; i < n; i++) v[i] = FLT_MAX * uniform(r);
        v[below(r, n)] = FLT_MAX;
        break;
    }
}

static void check_grelu(const bdc_family *f, const float *input, size_t n, size_t off,
                        const char *what)
{
    float *ref = output_floats(n, off), *got = output_floats(n, off);
    memcpy(ref, input, n * sizeof *ref);
    memcpy(got, input, n * sizeof *got);
    reference()->grelu(ref, n);
    f->kernels->grelu(got, n);
    assert_same_floats(ref, got, n, off, f->name, what);
    free_floats(ref, off);
    free_floats(got, off);
}

START_TEST(grelu_lengths)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f) return;
    rng r = {4};
    float v[MAX_LEN];
    for (size_t n = 1; n <= MAX_LEN; n++)
        for (int kind = 0; kind < GRELU_KINDS; kind++)
            for (size_t off = 0; off <= 1; off++) {
                grelu_case(v, n, kind, &r);
                char what[48];
                snprintf(what, sizeof what, "grelu case %d", kind);
                check_grelu(f, v, n, off, what);
            }
}
END_TEST

START_TEST(grelu_layers)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f) return;
    rng r = {5};
    const size_t lengths[] = {784, 1000, 1500, 4433};
    for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
        const size_t n = lengths[li];
        float *v = malloc(n * sizeof *v);
        ck_assert_ptr_nonnull(v);
        /* Sums of ~150 products near 0.9: values around 100, a few above
         * 95% of the maximum. */
        for (size_t i = 0; i < n; i++)
            v[i] = 80.0f + 30.0f * uniform(&r);
        check_grelu(f, v, n, 1, "grelu (a layer's activations)");
        for (int kind = 0; kind < GRELU_KINDS; kind++) {
            grelu_case(v, n, kind, &r);
            char what[48];
            snprintf(what, sizeof what, "grelu case %d", kind);
            check_grelu(f, v, n, 0, what);
        }
        free(v);
    }
}
END_TEST

/* ---- winner ----------------------------------------------------------- */

enum { WINNER_KINDS = 11 };

/* Fills h and e for one adversarial case of the winner search. */
static void winner_case(float *h, float *e, size_t n, int kind, rng *r)
{
    /* GReLU outputs: mostly zero, a few in (0, 1], one 1 each. */
    for (size_t i = 0; i < n; i++) {
        h[i] = below(r, 10) == 0 ? uniform(r) : 0.0f;
        e[i] = below(r, 10) == 0 ? uniform(r) : 0.0f;
    }
    h[below(r, n)] = 1.0f;
    e[below(r, n)] = 1.0f;
    const size_t pos[3] = {0, n / 2, n - 1};
    switch (kind) {
    case 0: break;
    case 1:                                     /* all zero: the first index */
        for (size_t i = 0; i < n; i++) h[i] = e[i] = 0.0f;
        break;
    case 2: case 3: case 4:                     /* one clear maximum first/middle/last */
        h[pos[kind - 2]] = 2.0f;
        e[pos[kind - 2]] = 2.0f;
        break;
    case 5:                                     /* the maximum tied at first, middle, last */
        for (int k = 0; k < 3; k++) h[pos[k]] = e[pos[k]] = 2.0f;
        break;
    case 6:                                     /* tied at middle and last only */
        h[pos[1]] = e[pos[1]] = h[pos[2]] = e[pos[2]] = 2.0f;
        break;
    case 7:                                     /* many equal maxima */
        for (size_t i = 0; i < n; i++)
            if (below(r, 3) == 0) h[i] = e[i] = 2.0f;
        break;
    case 8:                                     /* negatives only */
        for (size_t i = 0; i < n; i++) {
            h[i] = -uniform(r) - 0x1p-10f;
            e[i] = -uniform(r);
        }
        break;
    case 9:                                     /* zeros of both signs tie */
        for (size_t i = 0; i < n; i++) {
            h[i] = below(r, 2) ? -0.0f : 0.0f;
            e[i] = below(r, 2) ? -0.0f : 0.0f;
        }
        break;
    case 10:                                    /* everything from the mixed bag */
        for (size_t i = 0; i < n; i++) {
            h[i] = mixed(r);
            e[i] = mixed(r);
        }
        break;
    }
}

static void check_winner(const bdc_family *f, const float *h, const float *e, size_t n,
                         const char *what)
{
    static const float mixing[][2] = {{1.75f, 1.0f}, {1.0f, 0.0f}, {0.0f, 1.0f}};
    for (size_t m = 0; m < sizeof mixing / sizeof mixing[0]; m++) {
        const size_t want = reference()->winner(h, e, n, mixing[m][0], mixing[m][1]);
        const size_t got = f->kernels->winner(h, e, n, mixing[m][0], mixing[m][1]);
        ck_assert_msg(got == want, "%s winner %s (n=%zu, alpha %g, beta %g): scalar %zu, %s %zu",
                      f->name, what, n, (double)mixing[m][0], (double)mixing[m][1], want,
                      f->name, got);
    }
}

START_TEST(winner_lengths)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f) return;
    rng r = {6};
    for (size_t n = 1; n <= MAX_LEN; n++)
        for (int kind = 0; kind < WINNER_KINDS; kind++)
            for (size_t off = 0; off <= 1; off++) {
                float *h = input_floats(n, off), *e = input_floats(n, off);
                winner_case(h, e, n, kind, &r);
                char what[48];
                snprintf(what, sizeof what, "case %d, offset %zu", kind, off);
                check_winner(f, h, e, n, what);
                free_floats(h, off);
                free_floats(e, off);
            }
}
END_TEST

START_TEST(winner_nan)
{
    /* Not produced by GReLU, but defined by scalar's loop: a NaN first
     * score keeps index 0, a NaN elsewhere never wins. */
    const bdc_family *f = family_or_skip(_i);
    if (!f) return;
    rng r = {7};
    for (size_t n = 1; n <= MAX_LEN; n++) {
        float *h = input_floats(n, 0), *e = input_floats(n, 0);
        winner_case(h, e, n, 0, &r);
        h[0] = NAN;
        check_winner(f, h, e, n, "NaN first");
        winner_case(h, e, n, 5, &r);
        e[below(&r, n)] = NAN;
        e[n - 1] = NAN;
        check_winner(f, h, e, n, "NaN elsewhere");
        free_floats(h, 0);
        free_floats(e, 0);
    }
}
END_TEST

START_TEST(winner_layers)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f) return;
    rng r = {8};
    const size_t lengths[] = {784, 1000, 1500, 4433};
    for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++)
        for (int kind = 0; kind < WINNER_KINDS; kind++) {
            const size_t n = lengths[li];
            float *h = input_floats(n, 1), *e = input_floats(n, 1);
            winner_case(h, e, n, kind, &r);
            char what[48];
            snprintf(what, sizeof what, "case %d", kind);
            check_winner(f, h, e, n, what);
            free_floats(h, 1);
            free_floats(e, 1);
        }
}
END_TEST

/* ---- nudge ------------------------------------------------------------ */

/* The coefficients of real steps: bidir's first and last step, entangled's
 * q = 1.2, a label-only ablation's q = 0, and a large rate. */
static bdc_nudge_coef coef_case(int i)
{
    switch (i) {
    case 0: return bdc_nudge_coef_make(0.03, 1.0, 0.99);
    case 1: return bdc_nudge_coef_make(0.03 * 8000.0 / (8000.0 + 479999.0), 1.0, 0.99);
    case 2: return bdc_nudge_coef_make(0.04, 1.2, 0.986);
    case 3: return bdc_nudge_coef_make(0.04 * 4000.0 / (4000.0 + 119999.0), 0.0, 0.986);
    default: return bdc_nudge_coef_make(0.5, 1.7, 0.5);
    }
}
enum { COEF_CASES = 5, TARGET_KINDS = 4 };

/* The vector a weight is nudged toward. */
static void target_case(float *a, size_t n, int kind, rng *r)
{
    for (size_t i = 0; i < n; i++)
        switch (kind) {
        case 0: a[i] = below(r, 5) == 0 ? pixel(r) : 0.0f; break; /* an image */
        case 1: a[i] = 0.0f; break;                              /* blank */
        case 2: a[i] = i == n / 3 ? 1.0f : 0.0f; break;          /* one-hot label */
        default: a[i] = mixed(r); break;
        }
}

static void check_nudge(const bdc_family *f, const float *w0, const float *a, size_t n,
                        size_t off, const bdc_nudge_coef *c, const char *what)
{
    float *ref = output_floats(n, off), *got = output_floats(n, off);
    memcpy(ref, w0, n * sizeof *ref);
    memcpy(got, w0, n * sizeof *got);
    reference()->nudge(ref, a, n, c);
    f->kernels->nudge(got, a, n, c);
    assert_same_floats(ref, got, n, off, f->name, what);
    free_floats(ref, off);
    free_floats(got, off);
}

static void nudge_all_cases(const bdc_family *f, size_t n, size_t off, rng *r)
{
    float *w0 = malloc(n * sizeof *w0);
    float *a = input_floats(n, off);
    ck_assert_ptr_nonnull(w0);
    for (int kind = 0; kind < TARGET_KINDS; kind++)
        for (int ci = 0; ci < COEF_CASES; ci++) {
            for (size_t i = 0; i < n; i++)
                w0[i] = below(r, 4) == 0 ? mixed(r) : weight(r);
            target_case(a, n, kind, r);
            const bdc_nudge_coef c = coef_case(ci);
            char what[48];
            snprintf(what, sizeof what, "nudge target %d, coefficients %d", kind, ci);
            check_nudge(f, w0, a, n, off, &c, what);
        }
    free(w0);
    free_floats(a, off);
}

START_TEST(nudge_lengths)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f) return;
    rng r = {9};
    for (size_t n = 1; n <= MAX_LEN; n++)
        for (size_t off = 0; off <= 1; off++)
            nudge_all_cases(f, n, off, &r);
}
END_TEST

START_TEST(nudge_layers)
{
    const bdc_family *f = family_or_skip(_i);
    if (!f) return;
    rng r = {10};
    const size_t lengths[] = {784, 1000, 1500, 4433};
    for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++)
        nudge_all_cases(f, lengths[li], 1, &r);
}
END_TEST

/* ---- a family the CPU cannot run --------------------------------------- */

/* BDC_CPU_DISABLE set to the features family f needs; returns 0 if f needs
 * none. */
static int disable_needs_of(const bdc_family *f)
{
    char list[128] = "";
    size_t used = 0;
    for (unsigned i = 0; i < bdc_cpu_feature_count; i++)
        if (f->needs & bdc_cpu_all_features[i])
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                     used ? "," : "", bdc_cpu_feature_name(bdc_cpu_all_features[i]));
    if (!used)
        return 0;
    setenv("BDC_CPU_DISABLE", list, 1);
    return 1;
}

START_TEST(disabled_family_is_refused)
{
    /* Each native SIMD family, with what it needs switched off: refused by
     * name, with a message naming the missing features; auto moves on to
     * another native family. */
    unsetenv("BDC_KERNEL");
    int tried = 0;
    for (size_t i = 0; i < bdc_family_count(); i++) {
        const bdc_family *f = bdc_family_at(i);
        if (bdc_family_status_of(f) != BDC_NATIVE || !disable_needs_of(f))
            continue;
        tried++;
        char err[256] = "";
        ck_assert_int_eq(bdc_family_status_of(f), BDC_UNAVAILABLE);
        ck_assert_ptr_null(bdc_family_select(f->name, err, sizeof err));
        for (unsigned b = 0; b < bdc_cpu_feature_count; b++)
            if (f->needs & bdc_cpu_all_features[b])
                ck_assert_msg(strstr(err, bdc_cpu_feature_name(bdc_cpu_all_features[b])),
                              "message does not name %s: %s",
                              bdc_cpu_feature_name(bdc_cpu_all_features[b]), err);
        ck_assert_ptr_nonnull(strstr(err, f->name));
        const bdc_family *fallback = bdc_family_select("auto", err, sizeof err);
        ck_assert_ptr_nonnull(fallback);
        ck_assert_ptr_ne(fallback, f);
        ck_assert_int_eq(bdc_family_status_of(fallback), BDC_NATIVE);
        unsetenv("BDC_CPU_DISABLE");
        ck_assert_int_ne(bdc_family_status_of(f), BDC_UNAVAILABLE);
    }
    if (!tried) {
        printf("kernels: no native SIMD family on this CPU to disable\n");
        fflush(stdout);
    }
}
END_TEST

START_TEST(avx2_disabled_falls_back_to_sse)
{
    const bdc_family *avx2 = bdc_family_by_name("avx2");
    const bdc_family *sse = bdc_family_by_name("sse");
    ck_assert_ptr_nonnull(avx2);
    ck_assert_ptr_nonnull(sse);
    if (bdc_family_status_of(avx2) != BDC_NATIVE || bdc_family_status_of(sse) != BDC_NATIVE) {
        printf("kernels: skipping the avx2 -> sse fallback: avx2 or sse is not native here\n");
        fflush(stdout);
        return;
    }
    unsetenv("BDC_KERNEL");
    setenv("BDC_CPU_DISABLE", "avx2", 1);
    char err[256] = "";
    ck_assert_ptr_null(bdc_family_select("avx2", err, sizeof err));
    ck_assert_msg(strstr(err, "'avx2' needs avx2"), "unexpected message: %s", err);
    ck_assert_str_eq(bdc_family_select(NULL, err, sizeof err)->name, "sse");
    ck_assert_str_eq(bdc_family_auto()->name, "sse");
    unsetenv("BDC_CPU_DISABLE");
    ck_assert_str_eq(bdc_family_auto()->name, "avx2");
}
END_TEST

Suite *bdc_suite_kernels(void)
{
    Suite *s = suite_create("kernels");
    for (size_t i = 0; i < bdc_family_count(); i++) {
        const bdc_family *f = bdc_family_at(i);
        if (f == &bdc_family_scalar)
            continue; /* the reference */
        TCase *tc = tcase_create(f->name);
        tcase_set_timeout(tc, 120); /* emulated families under qemu are slow */
        const int at = (int)i;
        tcase_add_loop_test(tc, activate_lengths, at, at + 1);
        tcase_add_loop_test(tc, activate_edges, at, at + 1);
        tcase_add_loop_test(tc, activate_layers, at, at + 1);
        tcase_add_loop_test(tc, activate_input_counts, at, at + 1);
        tcase_add_loop_test(tc, grelu_lengths, at, at + 1);
        tcase_add_loop_test(tc, grelu_layers, at, at + 1);
        tcase_add_loop_test(tc, winner_lengths, at, at + 1);
        tcase_add_loop_test(tc, winner_nan, at, at + 1);
        tcase_add_loop_test(tc, winner_layers, at, at + 1);
        tcase_add_loop_test(tc, nudge_lengths, at, at + 1);
        tcase_add_loop_test(tc, nudge_layers, at, at + 1);
        suite_add_tcase(s, tc);
    }
    TCase *tc = tcase_create("disabled");
    tcase_add_test(tc, disabled_family_is_refused);
    tcase_add_test(tc, avx2_disabled_falls_back_to_sse);
    suite_add_tcase(s, tc);
    return s;
}
