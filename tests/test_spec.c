/* The spec's arithmetic on hand-made cases, bit for bit: GReLU, the nudge,
 * the winner, the sparse sum (against every runnable kernel family, one
 * test case per family), the learning-rate schedule, the coefficient
 * rounding, argmax, the published constants and the binconv feature
 * levels.
 *
 * Every expected value was computed exactly (rational arithmetic) from
 * float32 inputs, each operation rounded to float32 as the spec says, and
 * written as a hex float; the comments show the steps.  Several cases are
 * chosen so that a tempting shortcut gives other bits: the GReLU threshold
 * taken as a float product, a fused multiply-add, another summation order,
 * coefficients computed in float, a -0 where the spec gives +0.
 *
 * The kernel cases and the coefficients need only kernels/, so this suite
 * also runs in `make test-aarch64` (BDC_TEST_KERNELS_ONLY), without the
 * harness parts: the schedule, argmax, the published constants, binconv. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef BDC_TEST_KERNELS_ONLY
#include "../harness/binconv.h"
#include "../harness/model.h"
#endif
#include "../kernels/dispatch.h"
#include "../kernels/kernels.h"
#include "suites.h"

static uint32_t bits(float x)
{
    uint32_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

/* Same bits (so +0 and -0 differ, and so do NaNs). */
#define assert_same_float(got, want, what, i)                                     \
    ck_assert_msg(bits(got) == bits(want), "%s[%zu]: got %a (0x%08x), want %a (0x%08x)", \
                  what, (size_t)(i), (double)(got), bits(got), (double)(want), bits(want))

static void assert_floats(const float *got, const float *want, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        assert_same_float(got[i], want[i], what, i);
}

/* The kernel table of the family this loop test runs for. */
static const bdc_kernels *family_kernels(int i)
{
    return bdc_family_at((size_t)i)->kernels;
}

/* --- GReLU ----------------------------------------------------------------- */

static void check_grelu(const bdc_kernels *k, const float *in, const float *want,
                        size_t n, const char *what)
{
    float v[16];
    ck_assert_uint_le(n, 16);
    memcpy(v, in, n * sizeof *v);
    k->grelu(v, n);
    assert_floats(v, want, n, what);
}

/* m = 1: t = (float)(0.95 * 1.0) = 0x1.e66666p-1 (which is also 0.95f), and
 * m2 = 1 - t = 0x1.9999ap-5 (exact).  0.96f: u = 0x1.eb851ep-1 - t =
 * 0x1.47aep-7 (exact), u / m2 -> 0x1.99997ap-3; 0.97f -> 0x1.9999cap-2; 0.95f is t
 * itself: u = +0, out +0; 0.5, 0 and -3 are below t: +0. */
START_TEST(grelu_single_maximum)
{
    const float in[] = {0x1p-1f, 0x1p+0f, 0x1.eb851ep-1f, 0x1.e66666p-1f,
                        0x1.f0a3d8p-1f, 0.0f, -0x1.8p+1f};
    const float want[] = {0.0f, 0x1p+0f, 0x1.99997ap-3f, 0.0f, 0x1.9999cap-2f, 0.0f, 0.0f};
    check_grelu(family_kernels(_i), in, want, 7, "grelu(m=1)");
}
END_TEST

/* The published constant is the double 0.95, the product in double:
 * m = 0.6f = 0x1.333334p-1, t = (float)(0.95 * m) = 0x1.23d70cp-1, while the
 * float product 0.95f * m would be 0x1.23d70ap-1.  m2 = m - t = 0x1.eb85p-6.
 * The element equal to the spec's t gives +0 (with the float t it would
 * give 0x1.0aaa98p-19); 0.59f = 0x1.2e147ap-1 gives 0x1.555512p-1 (with the
 * float t, 0x1.555528p-1). */
START_TEST(grelu_published_constant_in_double)
{
    const float in[] = {0x1.23d70ap-1f, 0x1.333334p-1f, 0x1.23d70cp-1f, 0x1.2e147ap-1f};
    const float want[] = {0.0f, 0x1p+0f, 0.0f, 0x1.555512p-1f};
    check_grelu(family_kernels(_i), in, want, 4, "grelu(m=0.6f)");
}
END_TEST

/* Every copy of the maximum becomes exactly 1.  m = 2: t = 0x1.e66666p+0,
 * m2 = 0x1.9999ap-4; 1.95f = 0x1.f33334p+0 -> u = 0x1.9999cp-5 ->
 * 0x1.000014p-1. */
START_TEST(grelu_ties)
{
    const float in[] = {0x1p-2f, 0x1p+1f, 0x1p+1f, 0x1.f33334p+0f, 0x1p+1f};
    const float want[] = {0.0f, 0x1p+0f, 0x1p+0f, 0x1.000014p-1f, 0x1p+0f};
    check_grelu(family_kernels(_i), in, want, 5, "grelu(ties)");
    const float one[] = {0x1.8p-3f};
    const float one_want[] = {0x1p+0f};
    check_grelu(family_kernels(_i), one, one_want, 1, "grelu(n=1)");
}
END_TEST

/* No flush to zero: a subnormal maximum m = 512 * 2^-149 still works.
 * t = (float)(0.95 * m) = 486 * 2^-149 (486.4 rounded), m2 = 26 * 2^-149;
 * 500 * 2^-149 -> 14/26 = 0x1.13b13cp-1; 486 * 2^-149 -> +0. */
START_TEST(grelu_subnormal_maximum)
{
    const float in[] = {0x1p-140f, 0x1.f4p-141f, 0x1.e6p-141f, 0x1p-149f};
    const float want[] = {0x1p+0f, 0x1.13b13cp-1f, 0.0f, 0.0f};
    check_grelu(family_kernels(_i), in, want, 4, "grelu(subnormal m)");
}
END_TEST

/* A blank image: all zeros in, all +0 out (the published code made NaN). */
START_TEST(grelu_blank_is_all_zeros)
{
    const float in[9] = {0};
    const float want[9] = {0};
    check_grelu(family_kernels(_i), in, want, 9, "grelu(blank)");
}
END_TEST

/* m <= 0 (or -0): all +0, never the input's sign. */
START_TEST(grelu_max_not_positive)
{
    const float zeros[4] = {0};
    const float negative[] = {-1.0f, -2.0f, -0.5f};
    check_grelu(family_kernels(_i), negative, zeros, 3, "grelu(m<0)");
    const float minus_zero[] = {-0.0f, -0.0f, -0x1p-149f};
    check_grelu(family_kernels(_i), minus_zero, zeros, 3, "grelu(m=-0)");
    const float zero_and_less[] = {-1.0f, 0.0f, -0.0f, -3.0f};
    check_grelu(family_kernels(_i), zero_and_less, zeros, 4, "grelu(m=0)");
}
END_TEST

/* Not a finite maximum: a NaN anywhere, or +inf, gives all +0.  A -inf
 * element beside a finite maximum is simply below the threshold. */
START_TEST(grelu_nan_and_infinities)
{
    const float zeros[4] = {0};
    const float nan_first[] = {NAN, 1.0f, 0.5f};
    check_grelu(family_kernels(_i), nan_first, zeros, 3, "grelu(NaN first)");
    const float nan_mid[] = {1.0f, NAN, 0x1.f0a3d8p-1f};
    check_grelu(family_kernels(_i), nan_mid, zeros, 3, "grelu(NaN middle)");
    const float nan_last[] = {1.0f, 0x1.f0a3d8p-1f, -NAN};
    check_grelu(family_kernels(_i), nan_last, zeros, 3, "grelu(NaN last)");
    const float inf[] = {1.0f, INFINITY, 0.5f};
    check_grelu(family_kernels(_i), inf, zeros, 3, "grelu(+inf)");
    const float minus_inf[] = {-INFINITY, 0x1p+0f, 0x1.f0a3d8p-1f};
    const float minus_inf_want[] = {0.0f, 0x1p+0f, 0x1.9999cap-2f};
    check_grelu(family_kernels(_i), minus_inf, minus_inf_want, 3, "grelu(-inf)");
}
END_TEST

/* The -0 rule: every zero GReLU returns is +0 (bits 0x00000000), whether
 * the element was below the threshold (a negative quotient; multiplying it
 * by a 0/1 mask would give -0), exactly at it, or -0 itself. */
START_TEST(grelu_zeros_are_positive)
{
    const float in[] = {-0.0f, 0x1p+2f, -0x1p+0f, 0x1.e66666p+1f, -0x1p-149f, 0x1p-3f};
    float v[6];
    memcpy(v, in, sizeof v);
    family_kernels(_i)->grelu(v, 6);
    ck_assert_float_eq(v[1], 1.0f);
    for (size_t i = 0; i < 6; i++)
        if (i != 1)
            ck_assert_msg(bits(v[i]) == 0, "grelu zero [%zu] has bits 0x%08x", i, bits(v[i]));
}
END_TEST

/* --- the nudge --------------------------------------------------------------- */

/* The elements of every nudge case: a = 0 (pure decay), a = 1 (toward the
 * fixed point), pixel levels k/255 (float32 divisions) for k = 128, 37, 3,
 * 155, 120, 212, 105, and a subnormal weight 2^-140 that must decay
 * without being flushed.  The last five levels are where fusing one of
 * the three multiply-adds changes the result: at step 0, fusing c1*a - c2
 * changes element 8 (bidir) or 9 (entangled); fusing w*f + (c3*a), element
 * 7 and 10 or 11; fusing (w*f) + c3*a, element 10 or 11. */
enum { NUDGE_N = 12 };
static const float nudge_w[NUDGE_N] = {
    0x1.ccccccp-1f, 0x1.ccccccp-1f, 0x1.ccccccp-1f, 0x1p-140f, 0x1p-1f, 0x1p+0f,
    0x1.8p-1f, 0x1.ccccccp-1f, 0x1.ccccccp-1f, 0x1.ccccccp-1f, 0x1.ccccccp-1f,
    0x1.ccccccp-1f};
static const float nudge_a[NUDGE_N] = {
    0.0f, 0x1p+0f, 0x1.010102p-1f, 0.0f, 0x1p+0f, 0.0f, 0x1.29292ap-3f,
    0x1.818182p-7f, 0x1.373738p-1f, 0x1.e1e1e2p-2f, 0x1.a9a9aap-1f, 0x1.a5a5a6p-2f};

static void check_nudge(const bdc_kernels *k, const bdc_nudge_coef *c, const float *want,
                        const char *what)
{
    float w[NUDGE_N];
    memcpy(w, nudge_w, sizeof w);
    k->nudge(w, nudge_a, NUDGE_N, c);
    assert_floats(w, want, NUDGE_N, what);
}

/* bidir, step 0: lr = 0.03 * 8000 / 8000 = 0x1.eb851eb851eb8p-6 (double),
 * q = 1, decay 0.99: c1 = c3 = 0x1.eb851ep-6, c2 = 0x1.eb851ep-5,
 * d = 0x1.fae148p-1.  a = 0: f = (0 - c2) + d = 0x1.dc28f6p-1 (0.93f),
 * w = 0.9f * f = 0x1.ac8b44p-1.  a = 1: f = (c1 - c2) + d = 0x1.eb852p-1,
 * w*f = 0x1.ba5e36p-1, + c3 = 0x1.c9ba5ep-1.  The other elements likewise,
 * one rounding per operation. */
START_TEST(nudge_bidir_first_step)
{
    const bdc_nudge_coef c = {0x1.eb851ep-6f, 0x1.eb851ep-5f, 0x1.eb851ep-6f, 0x1.fae148p-1f};
    const float want[NUDGE_N] = {
        0x1.ac8b44p-1f, 0x1.c9ba5ep-1f, 0x1.bb3176p-1f, 0x1.dcp-141f, 0x1.051eb8p-1f,
        0x1.dc28f6p-1f, 0x1.69052ep-1f, 0x1.ace326p-1f, 0x1.be4884p-1f, 0x1.ba4714p-1f,
        0x1.c4ce88p-1f, 0x1.b88f9ap-1f};
    check_nudge(family_kernels(_i), &c, want, "nudge(bidir, n=0)");
}
END_TEST

/* entangled image side, step 0: lr = 0.04 (0x1.47ae147ae147bp-5), q = 1.2,
 * decay 0.986: c1 = (float)(lr*1.2) = 0x1.89374cp-5, c2 = 0x1.47ae14p-4,
 * c3 = (float)(lr*0.8) = 0x1.0624dep-5, d = 0x1.f8d4fep-1. */
START_TEST(nudge_entangled_first_step)
{
    const bdc_nudge_coef c = {0x1.89374cp-5f, 0x1.47ae14p-4f, 0x1.0624dep-5f, 0x1.f8d4fep-1f};
    const float want[NUDGE_N] = {
        0x1.a17c1cp-1f, 0x1.c7fcb8p-1f, 0x1.b4cfbep-1f, 0x1.dp-141f, 0x1.049ba6p-1f,
        0x1.cfdf3cp-1f, 0x1.60f4aap-1f, 0x1.a1f01p-1f, 0x1.b8e362p-1f, 0x1.b39a84p-1f,
        0x1.c17eap-1f, 0x1.b156b4p-1f};
    check_nudge(family_kernels(_i), &c, want, "nudge(entangled, n=0)");
}
END_TEST

/* The last steps of the published runs: bidir n = 479999 (lr =
 * 0x1.01d8da9ca2b6bp-11) and entangled n = 179999 (lr =
 * 0x1.c7e7b3beb6cdfp-11, q = 1.2). */
START_TEST(nudge_last_published_steps)
{
    const bdc_nudge_coef cb = {0x1.01d8dap-11f, 0x1.01d8dap-10f, 0x1.01d8dap-11f,
                               0x1.fae148p-1f};
    const float want_b[NUDGE_N] = {
        0x1.c7bd1ep-1f, 0x1.c83798p-1f, 0x1.c7fa9ap-1f, 0x1.fap-141f, 0x1.fb21bep-2f,
        0x1.fa605cp-1f, 0x1.7bd8a2p-1f, 0x1.c7be9p-1f, 0x1.c8079p-1f, 0x1.c7f6c2p-1f,
        0x1.c822f2p-1f, 0x1.c7ef8ep-1f};
    check_nudge(family_kernels(_i), &cb, want_b, "nudge(bidir, n=479999)");
    const bdc_nudge_coef ce = {0x1.118b06p-10f, 0x1.c7e7b4p-10f, 0x1.6cb95cp-11f,
                               0x1.f8d4fep-1f};
    const float want_e[NUDGE_N] = {
        0x1.c58c22p-1f, 0x1.c66268p-1f, 0x1.c5f7bp-1f, 0x1.f8p-141f, 0x1.f9302cp-2f,
        0x1.f7f10ap-1f, 0x1.7a10e4p-1f, 0x1.c58ea6p-1f, 0x1.c60e6p-1f, 0x1.c5f0f8p-1f,
        0x1.c63e46p-1f, 0x1.c5e45ep-1f};
    check_nudge(family_kernels(_i), &ce, want_e, "nudge(entangled, n=179999)");
}
END_TEST

/* --- the winner -------------------------------------------------------------- */

START_TEST(winner_first_of_ties)
{
    const bdc_kernels *k = family_kernels(_i);
    const float h[] = {0.0f, 1.0f, 0.5f, 1.0f}, e[] = {0.0f, 0.0f, 0.75f, 0.0f};
    ck_assert_uint_eq(k->winner(h, e, 4, 1.75f, 1.0f), 1);
    const float zeros[5] = {0};
    ck_assert_uint_eq(k->winner(zeros, zeros, 5, 1.75f, 1.0f), 0);
    /* beta = 0 ignores e; alpha = 0 ignores h. */
    const float h2[] = {0.5f, 1.0f, 0.0f}, e2[] = {1.0f, 0.0f, 1.0f};
    ck_assert_uint_eq(k->winner(h2, e2, 3, 1.0f, 0.0f), 1);
    ck_assert_uint_eq(k->winner(h2, e2, 3, 0.0f, 1.0f), 0);
    ck_assert_uint_eq(k->winner(h2, e2, 1, 1.75f, 1.0f), 0);
}
END_TEST

/* Each product and the sum rounded to float32: h1 = 1 - 2^-24 gives
 * 1.75*h1 = 0x1.bffffep+0 (rounded), + e1 = 0x1.8p-23 is an exact tie
 * between 1.75 and 0x1.c00002p+0 and rounds to even, 1.75: the same as
 * candidate 0 (1.75*1 + 0), so the first index wins.  A fused
 * multiply-add, or a wider accumulator, would make candidate 1 larger. */
START_TEST(winner_rounds_each_operation)
{
    const bdc_kernels *k = family_kernels(_i);
    const float h[] = {1.0f, 0x1.fffffep-1f}, e[] = {0.0f, 0x1.8p-23f};
    ck_assert_uint_eq(k->winner(h, e, 2, 1.75f, 1.0f), 0);
    /* One unit more in e1 and candidate 1 is strictly larger. */
    const float e_more[] = {0.0f, 0x1p-22f};
    ck_assert_uint_eq(k->winner(h, e_more, 2, 1.75f, 1.0f), 1);
}
END_TEST

/* --- the sparse sum ---------------------------------------------------------- */

/* Terms added in the given (ascending) order from +0: output 0 sums
 * 2^24 + 1 - 2^24 = 0 (the 1 is lost), output 1 sums -2^24 + 1 + 2^24 = 1;
 * any other order swaps at least one of them. */
START_TEST(sum_in_ascending_order)
{
    const uint32_t idx[] = {0, 1, 2};
    const float val[] = {1.0f, 1.0f, 1.0f};
    /* 3 inputs x ldw 4 (3 outputs used, the 4th column must stay untouched). */
    const float w[] = {0x1p+24f, -0x1p+24f, 2.0f, 99.0f,
                       1.0f, 1.0f, 3.0f, 99.0f,
                       -0x1p+24f, 0x1p+24f, 4.0f, 99.0f};
    float out[4] = {7, 7, 7, 7};
    family_kernels(_i)->activate_sparse(idx, val, 3, w, 4, 3, out);
    const float want[] = {0.0f, 1.0f, 9.0f, 7.0f};
    assert_floats(out, want, 4, "activate_sparse(order)");
}
END_TEST

/* Products rounded on their own: (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 rounds
 * (tie to even) to 1 + 2^-11, which cancels the first term exactly: +0.
 * Fused, the sum would be 2^-24. */
START_TEST(sum_without_fused_multiply_add)
{
    const uint32_t idx[] = {0, 1};
    const float val[] = {1.0f, 0x1.001p+0f};  /* 1 + 2^-12 */
    const float w[] = {-0x1.002p+0f, 0x1.001p+0f}; /* -(1 + 2^-11), 1 + 2^-12 */
    float out[1] = {7};
    family_kernels(_i)->activate_sparse(idx, val, 2, w, 1, 1, out);
    assert_same_float(out[0], 0.0f, "activate_sparse(no fma)", 0);
}
END_TEST

/* The accumulator starts at +0: no input gives +0, and a single -0
 * product gives +0 too (0 + -0 = +0).  Subnormal products are kept and
 * rounded: 2^-100 * 2^-40 = 2^-140, 1.5*2^-100 * 2^-49 = 1.5*2^-149 rounds
 * (tie to even) to 2^-148. */
START_TEST(sum_starts_at_plus_zero_and_keeps_subnormals)
{
    const bdc_kernels *k = family_kernels(_i);
    float out[3] = {7, 7, 7};
    k->activate_sparse(NULL, NULL, 0, NULL, 3, 3, out);
    const float zeros[3] = {0};
    assert_floats(out, zeros, 3, "activate_sparse(no inputs)");

    const uint32_t idx[] = {1};
    const float val[] = {1.0f};
    const float w[] = {5.0f, 5.0f, 5.0f, -0.0f, -0.0f, 2.0f};
    k->activate_sparse(idx, val, 1, w, 3, 3, out);
    const float want[] = {0.0f, 0.0f, 2.0f};
    assert_floats(out, want, 3, "activate_sparse(-0 product)");

    const float tiny_val[] = {0x1p-100f};
    const float tiny_w[] = {0, 0, 0, 0x1p-40f, 0x1p-49f, 0x1.8p-49f};
    const float tiny_val2[] = {0x1.8p-100f};
    k->activate_sparse(idx, tiny_val, 1, tiny_w, 3, 3, out);
    const float want_tiny[] = {0x1p-140f, 0x1p-149f, 0x1p-148f};
    assert_floats(out, want_tiny, 3, "activate_sparse(subnormal)");
    k->activate_sparse(idx, tiny_val2, 1, tiny_w, 3, 3, out);
    const float want_tiny2[] = {0x1.8p-140f, 0x1p-148f, 0x1p-148f};
    assert_floats(out, want_tiny2, 3, "activate_sparse(subnormal rounding)");
}
END_TEST

/* --- coefficients -------------------------------------------------------------- */

static void check_coef(double lr, double q, double decay, bdc_nudge_coef want,
                       const char *what)
{
    const bdc_nudge_coef c = bdc_nudge_coef_make(lr, q, decay);
    assert_same_float(c.c1, want.c1, what, 1);
    assert_same_float(c.c2, want.c2, what, 2);
    assert_same_float(c.c3, want.c3, what, 3);
    assert_same_float(c.d, want.d, what, 4);
}

/* Each coefficient is its product in double, rounded once.  For entangled
 * at step 0, c3 computed in float ((float)lr * (2 - 1.2f)) would be one
 * unit off: 0x1.0624dep-5 is the right one. */
START_TEST(coefficient_rounding)
{
    const bdc_nudge_coef bidir0 = {0x1.eb851ep-6f, 0x1.eb851ep-5f, 0x1.eb851ep-6f,
                                   0x1.fae148p-1f};
    check_coef(0x1.eb851eb851eb8p-6, 1.0, 0.99, bidir0, "coef(bidir, n=0)");
    const bdc_nudge_coef ent0 = {0x1.89374cp-5f, 0x1.47ae14p-4f, 0x1.0624dep-5f,
                                 0x1.f8d4fep-1f};
    check_coef(0x1.47ae147ae147bp-5, 1.2, 0.986, ent0, "coef(entangled, n=0)");
    const bdc_nudge_coef bidir_last = {0x1.01d8dap-11f, 0x1.01d8dap-10f, 0x1.01d8dap-11f,
                                       0x1.fae148p-1f};
    check_coef(0x1.01d8da9ca2b6bp-11, 1.0, 0.99, bidir_last, "coef(bidir, n=479999)");
    const bdc_nudge_coef ent_last = {0x1.118b06p-10f, 0x1.c7e7b4p-10f, 0x1.6cb95cp-11f,
                                     0x1.f8d4fep-1f};
    check_coef(0x1.c7e7b3beb6cdfp-11, 1.2, 0.986, ent_last, "coef(entangled, n=179999)");
}
END_TEST

#ifndef BDC_TEST_KERNELS_ONLY

/* --- schedule, argmax, published constants ------------------------------------- */

START_TEST(learning_rate_schedule)
{
    bdc_config cfg;
    /* lr(n) = 0.03 * 8000 / (8000 + n) in double, in that order. */
    ck_assert_int_eq(bdc_config_defaults("bidir", &cfg), 0);
    ck_assert(bdc_learning_rate(&cfg, 0) == 0x1.eb851eb851eb8p-6);     /* 0.03 */
    ck_assert(bdc_learning_rate(&cfg, 1) == 0x1.eb7564b1007aep-6);
    ck_assert(bdc_learning_rate(&cfg, 8000) == 0x1.eb851eb851eb8p-7);  /* 0.015 */
    ck_assert(bdc_learning_rate(&cfg, 479999) == 0x1.01d8da9ca2b6bp-11);
    /* lr(n) = 0.04 * 4000 / (4000 + n). */
    ck_assert_int_eq(bdc_config_defaults("entangled", &cfg), 0);
    ck_assert(bdc_learning_rate(&cfg, 0) == 0x1.47ae147ae147bp-5);     /* 0.04 */
    ck_assert(bdc_learning_rate(&cfg, 4000) == 0x1.47ae147ae147bp-6);  /* 0.02 */
    ck_assert(bdc_learning_rate(&cfg, 179999) == 0x1.c7e7b3beb6cdfp-11);
}
END_TEST

START_TEST(argmax_first_index)
{
    const float ties[] = {0.5f, 3.0f, 1.0f, 3.0f};
    ck_assert_uint_eq(bdc_argmax_first(ties, 4), 1);
    const float zeros[] = {0.0f, 0.0f, 0.0f};
    ck_assert_uint_eq(bdc_argmax_first(zeros, 3), 0);
    const float signed_zeros[] = {-0.0f, 0.0f};
    ck_assert_uint_eq(bdc_argmax_first(signed_zeros, 2), 0);
    const float last[] = {-2.0f, -1.0f, 0x1p-149f};
    ck_assert_uint_eq(bdc_argmax_first(last, 3), 2);
    const float one[] = {-5.0f};
    ck_assert_uint_eq(bdc_argmax_first(one, 1), 0);
}
END_TEST

/* The published configurations, constant by constant. */
START_TEST(published_constants)
{
    bdc_config c;
    ck_assert_int_eq(bdc_config_defaults("bidir", &c), 0);
    ck_assert_uint_eq(c.hidden, 1500);
    ck_assert_uint_eq(c.epochs, 8);
    ck_assert(c.alpha == 1.75 && c.beta == 1.0 && c.init == 0.9);
    ck_assert(c.lr == 0.03 && c.lr_horizon == 8000 && c.decay == 0.99);
    ck_assert(c.q_input == 1.0 && c.q_label == 1.0);
    ck_assert_int_eq(bdc_config_defaults("entangled", &c), 0);
    ck_assert_uint_eq(c.hidden, 784);
    ck_assert_uint_eq(c.epochs, 3);
    ck_assert(c.alpha == 1.75 && c.beta == 1.0 && c.init == 0.75);
    ck_assert(c.lr == 0.04 && c.lr_horizon == 4000 && c.decay == 0.986);
    ck_assert(c.q_input == 1.2 && c.q_label == 1.0);
    ck_assert_int_eq(bdc_config_defaults("binconv", &c), 0);
    ck_assert_uint_eq(c.hidden, 1000);
    ck_assert_uint_eq(c.epochs, 2);
    ck_assert(c.alpha == 1.75 && c.beta == 1.0 && c.init == 0.75);
    ck_assert(c.lr == 0.04 && c.lr_horizon == 4000 && c.decay == 0.986);
    ck_assert(c.q_input == 1.0 && c.q_label == 1.0);
    ck_assert_int_eq(bdc_config_defaults("mlp-or-anything-else", &c), -1);
}
END_TEST

/* --- binconv ------------------------------------------------------------------- */

/* Two 28x28 images as a sample set: blank, and every pixel 255. */
static void binconv_of_blank_and_full(bdc_samples *features)
{
    static uint8_t levels[2 * 784];
    memset(levels, 0, 784);
    memset(levels + 784, 255, 784);
    const uint8_t labels[2] = {3, 4};
    bdc_samples images;
    ck_assert_int_eq(bdc_samples_from_levels(&images, levels, labels, 2, 784), 0);
    images.rows = images.cols = 28;
    for (int k = 0; k < 256; k++)
        images.value[k] = (float)k / 255.0f;
    char err[256];
    ck_assert_int_eq(bdc_binconv_features(&images, features, err, sizeof err), 0);
    bdc_samples_free(&images);
}

/* A count k of a code in a pooling cell becomes
 * (float)(pow(k, 0.02) / pow(16, 0.02)); these were computed with 80-digit
 * decimals from the double 0.02 (each pow rounded to double, the quotient
 * in double, then to float) and agree with glibc's pow. */
START_TEST(binconv_levels)
{
    static const float want[17] = {
        0.0f, 0x1.e461aap-1f, 0x1.eb24aap-1f, 0x1.ef246ap-1f, 0x1.f1ffd4p-1f,
        0x1.f43a1p-1f, 0x1.f60ddep-1f, 0x1.f79abap-1f, 0x1.f8f37ep-1f, 0x1.fa245cp-1f,
        0x1.fb35bp-1f, 0x1.fc2d7p-1f, 0x1.fd1006p-1f, 0x1.fde0dp-1f, 0x1.fea26cp-1f,
        0x1.ff56ecp-1f, 0x1p+0f};
    bdc_samples f;
    binconv_of_blank_and_full(&f);
    assert_floats(f.value, want, 17, "binconv level");
    bdc_samples_free(&f);
}
END_TEST

/* A blank image has code 0 everywhere: no feature at all.  A full image
 * has every tap's normalised sum near 1 > 0.5, code 31 everywhere: each
 * of the 11 x 13 cells counts 16 of bin 31, feature cell*31 + 30, level 16
 * (value 1). */
START_TEST(binconv_blank_and_full_images)
{
    bdc_samples f;
    binconv_of_blank_and_full(&f);
    ck_assert_uint_eq(f.count, 2);
    ck_assert_uint_eq(f.dim, BDC_BINCONV_DIM);
    ck_assert_uint_eq(f.dim, 4433);
    ck_assert_uint_eq(f.labels[0], 3);
    ck_assert_uint_eq(f.labels[1], 4);
    ck_assert_uint_eq(f.start[1] - f.start[0], 0);
    ck_assert_uint_eq(f.start[2] - f.start[1], 11 * 13);
    for (size_t cell = 0; cell < 11 * 13; cell++) {
        ck_assert_uint_eq(f.index[f.start[1] + cell], cell * 31 + 30);
        ck_assert_uint_eq(f.level[f.start[1] + cell], 16);
    }
    bdc_samples_free(&f);
}
END_TEST

#endif /* BDC_TEST_KERNELS_ONLY */

Suite *bdc_suite_spec(void)
{
    Suite *s = suite_create("spec");
    /* The kernel cases once per runnable family, in a test case named after
     * the family so that a failure says which ISA broke. */
    static char names[16][32];
    for (size_t i = 0; i < bdc_family_count() && i < 16; i++) {
        const bdc_family *f = bdc_family_at(i);
        if (bdc_family_status_of(f) == BDC_UNAVAILABLE)
            continue;
        snprintf(names[i], sizeof names[i], "kernels_%s", f->name);
        TCase *tc = tcase_create(names[i]);
        const int a = (int)i, b = (int)i + 1;
        tcase_add_loop_test(tc, grelu_single_maximum, a, b);
        tcase_add_loop_test(tc, grelu_published_constant_in_double, a, b);
        tcase_add_loop_test(tc, grelu_ties, a, b);
        tcase_add_loop_test(tc, grelu_subnormal_maximum, a, b);
        tcase_add_loop_test(tc, grelu_blank_is_all_zeros, a, b);
        tcase_add_loop_test(tc, grelu_max_not_positive, a, b);
        tcase_add_loop_test(tc, grelu_nan_and_infinities, a, b);
        tcase_add_loop_test(tc, grelu_zeros_are_positive, a, b);
        tcase_add_loop_test(tc, nudge_bidir_first_step, a, b);
        tcase_add_loop_test(tc, nudge_entangled_first_step, a, b);
        tcase_add_loop_test(tc, nudge_last_published_steps, a, b);
        tcase_add_loop_test(tc, winner_first_of_ties, a, b);
        tcase_add_loop_test(tc, winner_rounds_each_operation, a, b);
        tcase_add_loop_test(tc, sum_in_ascending_order, a, b);
        tcase_add_loop_test(tc, sum_without_fused_multiply_add, a, b);
        tcase_add_loop_test(tc, sum_starts_at_plus_zero_and_keeps_subnormals, a, b);
        suite_add_tcase(s, tc);
    }

    TCase *coefficients = tcase_create("coefficients");
    tcase_add_test(coefficients, coefficient_rounding);
    suite_add_tcase(s, coefficients);

#ifndef BDC_TEST_KERNELS_ONLY
    TCase *schedule = tcase_create("schedule");
    tcase_add_test(schedule, learning_rate_schedule);
    tcase_add_test(schedule, argmax_first_index);
    tcase_add_test(schedule, published_constants);
    suite_add_tcase(s, schedule);

    TCase *binconv = tcase_create("binconv");
    tcase_add_test(binconv, binconv_levels);
    tcase_add_test(binconv, binconv_blank_and_full_images);
    suite_add_tcase(s, binconv);
#endif
    return s;
}
