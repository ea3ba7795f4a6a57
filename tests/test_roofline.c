/* The roofline model of bench/ (levels and bounds; the probes themselves
 * are exercised by `make bench-smoke`). */
#include "../bench/roofline.h"
#include "suites.h"

START_TEST(levels_follow_the_caches)
{
    bdc_roofline r;
    bdc_roofline_init(&r, 48 << 10, 1 << 20, 32 << 20);
    ck_assert_int_eq(r.cache_assumed, 0);
    ck_assert_uint_eq(r.probe_bytes[BDC_LEVEL_L1], 24 << 10);
    ck_assert_uint_eq(r.probe_bytes[BDC_LEVEL_L2], 512 << 10);
    ck_assert_uint_eq(r.probe_bytes[BDC_LEVEL_L3], 16 << 20);
    ck_assert_uint_eq(r.probe_bytes[BDC_LEVEL_DRAM], 128u << 20);
    /* each level's buffer sits in that level */
    for (int level = 0; level < BDC_LEVELS; level++) {
        ck_assert_uint_eq(r.probe_bytes[level] % 4096, 0);
        ck_assert_int_eq(bdc_roofline_level_of(&r, r.probe_bytes[level]), level);
    }
    ck_assert_int_eq(bdc_roofline_level_of(&r, 48 << 10), BDC_LEVEL_L1);
    ck_assert_int_eq(bdc_roofline_level_of(&r, (48 << 10) + 1), BDC_LEVEL_L2);
    ck_assert_int_eq(bdc_roofline_level_of(&r, (32u << 20) + 1), BDC_LEVEL_DRAM);
    ck_assert_str_eq(bdc_roofline_level_name(BDC_LEVEL_DRAM), "DRAM");
}
END_TEST

START_TEST(small_caches_still_give_distinct_levels)
{
    bdc_roofline r;
    /* an L3 barely larger than L2; a small L3 makes DRAM at least 64 MiB */
    bdc_roofline_init(&r, 32 << 10, 2 << 20, 3 << 20);
    ck_assert_uint_gt(r.probe_bytes[BDC_LEVEL_L3], 2u << 20);
    ck_assert_int_eq(bdc_roofline_level_of(&r, r.probe_bytes[BDC_LEVEL_L3]), BDC_LEVEL_L3);
    ck_assert_uint_eq(r.probe_bytes[BDC_LEVEL_DRAM], 64u << 20);
}
END_TEST

START_TEST(unknown_caches_are_assumed)
{
    bdc_roofline r;
    bdc_roofline_init(&r, 0, 0, 0);
    ck_assert_int_eq(r.cache_assumed, 1);
    ck_assert_uint_eq(r.cache[0], BDC_ROOFLINE_DEFAULT_L1);
    ck_assert_uint_eq(r.cache[2], BDC_ROOFLINE_DEFAULT_L3);
}
END_TEST

START_TEST(the_bound_is_the_slower_roof)
{
    bdc_roofline r;
    bdc_roofline_init(&r, 48 << 10, 1 << 20, 32 << 20);
    r.mul_add = 100e9;
    r.read[BDC_LEVEL_L1] = 200e9;
    r.read[BDC_LEVEL_DRAM] = 20e9;
    int compute = -1;
    /* 1 GFLOP and 1 GB from L1: 10 ms of compute, 5 ms of reading */
    ck_assert_double_eq_tol(bdc_roofline_seconds(&r, 1e9, 1e9, BDC_LEVEL_L1, &compute),
                            0.01, 1e-12);
    ck_assert_int_eq(compute, 1);
    /* the same from DRAM: 50 ms of reading */
    ck_assert_double_eq_tol(bdc_roofline_seconds(&r, 1e9, 1e9, BDC_LEVEL_DRAM, &compute),
                            0.05, 1e-12);
    ck_assert_int_eq(compute, 0);
    /* no measured rate: no bound */
    ck_assert_double_eq(bdc_roofline_seconds(&r, 0, 1e9, BDC_LEVEL_L2, NULL), 0);
}
END_TEST

Suite *bdc_suite_roofline(void)
{
    Suite *s = suite_create("roofline");
    TCase *t = tcase_create("model");
    tcase_add_test(t, levels_follow_the_caches);
    tcase_add_test(t, small_caches_still_give_distinct_levels);
    tcase_add_test(t, unknown_caches_are_assumed);
    tcase_add_test(t, the_bound_is_the_slower_roof);
    suite_add_tcase(s, t);
    return s;
}
