/* The backprop kernel update_sparse of every kernel family, bit for bit
 * against a plain loop written from its contract in kernels/kernels.h.  One test case per family, named after it, so a
 * failure says which ISA broke; a family this CPU cannot run is skipped
 * with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/dispatch.h"
#include "../kernels/softmax.h"
#include "suites.h"

#define SOFTMAX_BITS 0x23a005e1ed4fe4aaull /* recorded on x86-64, see softmax_bits_are_portable */

/* A kernel-level suite (it runs under qemu on aarch64 too), so it brings
 * its own random numbers instead of harness/rng.h: splitmix64. */
typedef struct rng {
    uint64_t s;
} rng;

static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
    r->s = seed * 1000003u + stream;
}

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double rng_unit(rng *r) { return (double)(rng_next(r) >> 11) * 0x1p-53; }

static uint64_t rng_below(rng *r, uint64_t n) { return rng_next(r) % n; }

/* Past the end of every output, so that a kernel writing too far is caught. */
#define GUARD 16
#define SENTINEL 12345.678f

static const bdc_kernels *family_kernels(const char *name)
{
    return bdc_family_by_name(name)->kernels;
}

/* Floats of many magnitudes and both signs, with zeros and subnormals among
 * them: sums of such terms depend on their order, so a kernel that adds in
 * another order shows. */
static void fill_awkward(rng *r, float *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const uint64_t x = rng_next(r);
        const double mag = (double)(1u << (x & 15)) / 1024.0;
        double u = (2.0 * rng_unit(r) - 1.0) * mag;
        switch ((x >> 8) % 16) {
        case 0: u = 0.0; break;
        case 1: u = (x & 1 ? -1.0 : 1.0) * 1e-40; break; /* subnormal float */
        case 2: u = 1.0 + 1e-7 * (double)(x >> 40 & 7); break;
        default: break;
        }
        v[i] = (float)u;
    }
}

static int same_bits(const float *a, const float *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

static void ref_update_sparse(const uint32_t *idx, const float *val, size_t nnz,
                              const float *g, size_t ldg, size_t n, float c, float *w)
{
    for (size_t j = 0; j < n; j++) {
        float acc = 0.0f;
        for (size_t k = 0; k < nnz; k++) {
            const float p = val[k] * g[idx[k] * ldg + j];
            acc = acc + p;
        }
        const float step = c * acc;
        w[j] = w[j] - step;
    }
}

/* Output counts: every one up to 80 (past a 64-output tile plus a vector
 * of 8), then around the next tile boundaries and a large one. */
static size_t sizes[80 + 12];
#define NSIZES (sizeof sizes / sizeof sizes[0])

static void init_sizes(void)
{
    static const size_t more[12] = {100, 127, 128, 129, 130, 135, 136, 137, 192, 193, 199, 250};
    for (size_t i = 0; i < 80; i++)
        sizes[i] = i + 1;
    memcpy(sizes + 80, more, sizeof more);
}

static void check_update_sparse(const char *family)
{
    const bdc_kernels *k = family_kernels(family);
    init_sizes();
    rng r;
    rng_seed(&r, 8, 100);
    static const size_t nnzs[] = {0, 1, 2, 3, 8, 13, 32};
    static const float cs[] = {1.0f, 0.003125f, -0.5f, 3.0e-5f};
    enum { SAMPLES = 80 }; /* more than the largest sample number drawn */
    for (size_t a = 0; a < NSIZES; a++)
        for (size_t b = 0; b < sizeof nnzs / sizeof nnzs[0]; b++) {
            const size_t n = sizes[a], nnz = nnzs[b];
            /* The row may be a slice of a wider gradient matrix. */
            const size_t ldg = n + (b % 3) * 5, off = (a % 2) * 3;
            float *g = malloc((SAMPLES * ldg + off) * sizeof *g);
            float want[250 + GUARD], got[250 + GUARD], val[32];
            uint32_t idx[32];
            fill_awkward(&r, g, SAMPLES * ldg + off);
            fill_awkward(&r, val, nnz);
            /* Ascending sample numbers, some gaps. */
            uint32_t s = (uint32_t)rng_below(&r, 3);
            for (size_t q = 0; q < nnz; q++, s += 1 + (uint32_t)(q % 2))
                idx[q] = s;
            fill_awkward(&r, want, n);
            for (size_t j = n; j < n + GUARD; j++)
                want[j] = SENTINEL;
            memcpy(got, want, sizeof got);
            const float c = cs[(a + b) % 4];
            ref_update_sparse(idx, val, nnz, g + off, ldg, n, c, want);
            k->update_sparse(idx, val, nnz, g + off, ldg, n, c, got);
            ck_assert_msg(same_bits(want, got, n + GUARD),
                          "%s update_sparse differs from the contract at n=%zu nnz=%zu ldg=%zu",
                          family, n, nnz, ldg);
            free(g);
        }
}

/* --- the shared exponential ---------------------------------------------- */

/* FNV-1a 64 over the bits of bdc_exp_nonpositive at 100000 points of
 * [-750, 0] and of bdc_softmax_xent_grad on 1000 logit vectors.  The
 * expected value was recorded on x86-64; the same on aarch64 (make
 * test-aarch64) shows that softmax, which is not a family kernel, gives the
 * same bits on both. */
static uint64_t fnv_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

START_TEST(softmax_bits_are_portable)
{
    rng r;
    rng_seed(&r, 42, 1);
    uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; i < 100000; i++) {
        const double x = i % 2 ? -750.0 * rng_unit(&r) : -30.0 * rng_unit(&r);
        const double e = bdc_exp_nonpositive(x);
        uint64_t bits;
        memcpy(&bits, &e, sizeof bits);
        for (int k = 0; k < 8; k++) { /* little-endian, whatever the host */
            const unsigned char byte = (unsigned char)(bits >> (8 * k));
            h = fnv_bytes(h, &byte, 1);
        }
    }
    for (int i = 0; i < 1000; i++) {
        float z[10], g[10];
        for (int c = 0; c < 10; c++)
            z[c] = (float)(40.0 * rng_unit(&r) - 20.0);
        bdc_softmax_xent_grad(z, 10, (size_t)(i % 10), g);
        for (int c = 0; c < 10; c++) {
            uint32_t bits;
            memcpy(&bits, &g[c], sizeof bits);
            for (int k = 0; k < 4; k++) {
                const unsigned char byte = (unsigned char)(bits >> (8 * k));
                h = fnv_bytes(h, &byte, 1);
            }
        }
    }
    ck_assert_msg(h == SOFTMAX_BITS, "softmax bits hash %016llx, recorded %016llx",
                  (unsigned long long)h, (unsigned long long)SOFTMAX_BITS);
}
END_TEST

/* One Check test function per family, generated from the family
 * list so that Check's report names the family. */
#define BDC_MLP_KERNEL_TESTS(family)                                     \
    START_TEST(update_sparse_##family) { check_update_sparse(#family); } \
    END_TEST
#include "../kernels/families.h"
BDC_FAMILY_LIST(BDC_MLP_KERNEL_TESTS)
#undef BDC_MLP_KERNEL_TESTS

Suite *bdc_suite_mlp_kernels(void)
{
    Suite *s = suite_create("mlp_kernels");
#define BDC_ADD_FAMILY(family)                                                   \
    if (bdc_family_status_of(&bdc_family_##family) == BDC_UNAVAILABLE) {         \
        fprintf(stderr, "mlp_kernels: skipping family %s: this CPU cannot run it\n", \
                #family);                                                        \
    } else {                                                                     \
        TCase *tc = tcase_create(#family);                                       \
        tcase_add_test(tc, update_sparse_##family);                              \
        suite_add_tcase(s, tc);                                                  \
    }
    BDC_FAMILY_LIST(BDC_ADD_FAMILY)
#undef BDC_ADD_FAMILY
    TCase *shared = tcase_create("shared");
    tcase_add_test(shared, softmax_bits_are_portable);
    suite_add_tcase(s, shared);
    return s;
}
