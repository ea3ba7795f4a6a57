/* The roofline model of bench/ (levels and bounds) and its byte counts in
 * cache lines; the probes themselves are exercised by `make bench-smoke`. */
#include "../bench/lines.h"
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

START_TEST(the_bound_is_the_slowest_roof)
{
    bdc_roofline r;
    bdc_roofline_init(&r, 48 << 10, 1 << 20, 32 << 20);
    r.mul_add = 100e9;
    for (int l = 0; l < BDC_LEVELS; l++) {
        r.read[l] = 200e9 / (l + 1);
        r.write[l] = 100e9 / (l + 1);
    }
    bdc_limit at;
    /* 1 GFLOP and 1 GB read from L1: 10 ms of compute, 5 ms of reading */
    bdc_traffic t = {.flops = 1e9, .read = {1e9}};
    ck_assert_double_eq_tol(bdc_roofline_seconds(&r, &t, &at), 0.01, 1e-12);
    ck_assert_int_eq(at.kind, BDC_LIMIT_COMPUTE);
    /* the same from DRAM (50 GB/s): 20 ms of reading */
    t = (bdc_traffic){.flops = 1e9, .read = {[BDC_LEVEL_DRAM] = 1e9}};
    ck_assert_double_eq_tol(bdc_roofline_seconds(&r, &t, &at), 0.02, 1e-12);
    ck_assert_int_eq(at.kind, BDC_LIMIT_READ);
    ck_assert_int_eq(at.level, BDC_LEVEL_DRAM);
    /* reads and writes are separate roofs: the larger one counts, not the
     * sum (1 GB each at L2: 10 ms reading, 20 ms writing) */
    t = (bdc_traffic){.read = {[BDC_LEVEL_L2] = 1e9}, .written = {[BDC_LEVEL_L2] = 1e9}};
    ck_assert_double_eq_tol(bdc_roofline_seconds(&r, &t, &at), 0.02, 1e-12);
    ck_assert_int_eq(at.kind, BDC_LIMIT_WRITE);
    ck_assert_int_eq(at.level, BDC_LEVEL_L2);
    ck_assert_double_eq(bdc_traffic_read(&t), 1e9);
    ck_assert_double_eq(bdc_traffic_written(&t), 1e9);
}
END_TEST

START_TEST(lines_from_beyond_pass_through_l2_not_l1)
{
    bdc_roofline r;
    bdc_roofline_init(&r, 48 << 10, 1 << 20, 32 << 20);
    for (int l = 0; l < BDC_LEVELS; l++)
        r.read[l] = 100e9;
    /* 1 GB from L2 and 1 GB from L3: L2 carries both, 20 ms */
    bdc_traffic t = {.read = {[BDC_LEVEL_L2] = 1e9, [BDC_LEVEL_L3] = 1e9}};
    bdc_limit at;
    ck_assert_double_eq_tol(bdc_roofline_seconds(&r, &t, &at), 0.02, 1e-12);
    ck_assert_int_eq(at.level, BDC_LEVEL_L2);
    /* a slower L3 (25 GB/s) binds at L3: 40 ms */
    r.read[BDC_LEVEL_L3] = 25e9;
    ck_assert_double_eq_tol(bdc_roofline_seconds(&r, &t, &at), 0.04, 1e-12);
    ck_assert_int_eq(at.level, BDC_LEVEL_L3);
    /* L1 carries only its own bytes: 1.5 GB at L1 is 15 ms, under the
     * 40 ms of L3 even though all 3.5 GB would take 35 ms at L1 */
    r.read[BDC_LEVEL_L1] = 100e9;
    t.read[BDC_LEVEL_L1] = 1.5e9;
    ck_assert_double_eq_tol(bdc_roofline_seconds(&r, &t, &at), 0.04, 1e-12);
    ck_assert_int_eq(at.level, BDC_LEVEL_L3);
    r.read[BDC_LEVEL_L1] = 30e9; /* 50 ms */
    ck_assert_double_eq_tol(bdc_roofline_seconds(&r, &t, &at), 0.05, 1e-12);
    ck_assert_int_eq(at.level, BDC_LEVEL_L1);
}
END_TEST

START_TEST(an_unknown_rate_bounds_nothing)
{
    bdc_roofline r;
    bdc_roofline_init(&r, 48 << 10, 1 << 20, 32 << 20);
    bdc_traffic t = {.flops = 1e9, .read = {1e9}, .written = {1e9}};
    bdc_limit at;
    ck_assert_double_eq(bdc_roofline_seconds(&r, &t, &at), 0);
    ck_assert_int_eq(at.kind, BDC_LIMIT_NONE);
    r.write[BDC_LEVEL_L1] = 10e9; /* only the write roof is known */
    ck_assert_double_eq_tol(bdc_roofline_seconds(&r, &t, &at), 0.1, 1e-12);
    ck_assert_int_eq(at.kind, BDC_LIMIT_WRITE);
}
END_TEST

START_TEST(bytes_count_in_whole_lines)
{
    bench_set_line_bytes(64);
    _Alignas(128) static char m[64 * 64];
    ck_assert_double_eq(bench_lines(m, 0), 0);
    ck_assert_double_eq(bench_lines(m, 1), 64);
    ck_assert_double_eq(bench_lines(m, 64), 64);
    ck_assert_double_eq(bench_lines(m + 60, 8), 128);  /* straddles a line */
    ck_assert_double_eq(bench_lines(m + 8, 3136), 3200); /* 49 lines + 8 bytes */
    /* rows of 40 bytes, 40 apart: row 0 [0,40) is in line 0, row 1
     * [40,80) in lines 0 and 1, row 3 [120,160) in lines 1 and 2, row 8
     * [320,360) in line 5: lines 0, 1, 2 and 5 */
    const uint32_t rows[] = {0, 1, 3, 8};
    ck_assert_double_eq(bench_rows_lines(m, 40, 40, rows, 4), 4 * 64);
    /* rows 256 bytes apart, 16 bytes each: one line per row */
    ck_assert_double_eq(bench_rows_lines(m, 256, 16, rows, 4), 4 * 64);
    /* a 128-byte line size */
    bench_set_line_bytes(128);
    ck_assert_double_eq(bench_lines(m + 60, 8), 128);
    bench_set_line_bytes(0); /* 0 keeps the size */
    ck_assert_uint_eq(bench_line_bytes(), 128);
    bench_set_line_bytes(64);
}
END_TEST

START_TEST(cycled_inputs_sum_what_was_used)
{
    const double per[] = {1, 2, 4};
    ck_assert_double_eq(bench_cycled(per, 3, 0), 0);
    ck_assert_double_eq(bench_cycled(per, 3, 2), 3);
    ck_assert_double_eq(bench_cycled(per, 3, 7), 2 * 7 + 1);
    ck_assert_double_eq(bench_cycled(per, 0, 7), 0);
}
END_TEST

Suite *bdc_suite_roofline(void)
{
    Suite *s = suite_create("roofline");
    TCase *t = tcase_create("model");
    tcase_add_test(t, levels_follow_the_caches);
    tcase_add_test(t, small_caches_still_give_distinct_levels);
    tcase_add_test(t, unknown_caches_are_assumed);
    tcase_add_test(t, the_bound_is_the_slowest_roof);
    tcase_add_test(t, lines_from_beyond_pass_through_l2_not_l1);
    tcase_add_test(t, an_unknown_rate_bounds_nothing);
    suite_add_tcase(s, t);
    t = tcase_create("lines");
    tcase_add_test(t, bytes_count_in_whole_lines);
    tcase_add_test(t, cycled_inputs_sum_what_was_used);
    suite_add_tcase(s, t);
    return s;
}
