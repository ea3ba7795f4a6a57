/* The per-sample learners' weight storage: the strided column copies
 * (harness/column.c), whose gather prefetches rows ahead and so has a
 * loop split at that distance, and the huge-page allocation
 * (harness/huge_alloc.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/column.h"
#include "../harness/huge_alloc.h"
#include "suites.h"

/* Gathers and scatters column k of a rows x ld matrix whose every element
 * is distinct: the column is read exactly, and the scatter changes that
 * column and nothing else. */
static void check_column(size_t rows, size_t ld, size_t k)
{
    const size_t count = rows * ld;
    float *a = malloc((count ? count : 1) * sizeof *a);
    float *col = malloc((rows ? rows : 1) * sizeof *col);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(col);
    for (size_t i = 0; i < rows * ld; i++)
        a[i] = (float)i;
    bdc_column_gather(a, rows, ld, k, col);
    for (size_t i = 0; i < rows; i++)
        ck_assert_msg(col[i] == (float)(i * ld + k), "gather %zux%zu column %zu: row %zu",
                      rows, ld, k, i);
    for (size_t i = 0; i < rows; i++)
        col[i] = -1.0f - (float)i;
    bdc_column_scatter(a, rows, ld, k, col);
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < ld; j++) {
            const float want = j == k ? -1.0f - (float)i : (float)(i * ld + j);
            ck_assert_msg(a[i * ld + j] == want, "scatter %zux%zu column %zu: [%zu][%zu]",
                          rows, ld, k, i, j);
        }
    free(a);
    free(col);
}

START_TEST(column_round_trip)
{
    /* Row counts on both sides of the prefetch distance (a few hundred),
     * a one-column matrix, the first and the last column. */
    const size_t rows[] = {0, 1, 2, 255, 256, 257, 511, 512, 513, 784, 1100};
    const size_t shapes[][2] = {{1, 0}, {7, 0}, {7, 6}, {33, 17}};
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
            check_column(rows[r], shapes[s][0], shapes[s][1]);
}
END_TEST

/* Small requests are plain memory; large ones start on a huge-page
 * boundary; every byte of both can be written and read back. */
START_TEST(huge_alloc_sizes)
{
    const size_t sizes[] = {0, 1, 4096, BDC_HUGE_PAGE_BYTES - 1, BDC_HUGE_PAGE_BYTES,
                            BDC_HUGE_PAGE_BYTES + 4, 3 * BDC_HUGE_PAGE_BYTES + 100};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const size_t n = sizes[i];
        unsigned char *p = bdc_huge_alloc(n);
        ck_assert_msg(p != NULL, "bdc_huge_alloc(%zu) failed", n);
        if (n >= BDC_HUGE_PAGE_BYTES)
            ck_assert_msg((uintptr_t)p % BDC_HUGE_PAGE_BYTES == 0,
                          "bdc_huge_alloc(%zu) is not on a huge-page boundary", n);
        memset(p, 0xa5, n);
        for (size_t b = 0; b < n; b += 4093)
            ck_assert_uint_eq(p[b], 0xa5);
        if (n)
            ck_assert_uint_eq(p[n - 1], 0xa5);
        free(p);
    }
}
END_TEST

START_TEST(huge_alloc_refuses_the_impossible)
{
    /* A size that wraps when rounded up to whole huge pages. */
    ck_assert_ptr_null(bdc_huge_alloc(SIZE_MAX - 1));
}
END_TEST

Suite *bdc_suite_column(void)
{
    Suite *s = suite_create("column");
    TCase *tc = tcase_create("copies");
    tcase_add_test(tc, column_round_trip);
    suite_add_tcase(s, tc);
    tc = tcase_create("huge_alloc");
    tcase_add_test(tc, huge_alloc_sizes);
    tcase_add_test(tc, huge_alloc_refuses_the_impossible);
    suite_add_tcase(s, tc);
    return s;
}
