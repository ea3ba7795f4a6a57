/* Choosing a kernel family: by name, by environment, and refusals. */
#include <stdlib.h>
#include <string.h>

#include "../kernels/dispatch.h"
#include "suites.h"

START_TEST(auto_is_native)
{
    const bdc_family *f = bdc_family_auto();
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(bdc_family_status_of(f), BDC_NATIVE);
    char err[256];
    unsetenv("BDC_KERNEL");
    ck_assert_ptr_eq(bdc_family_select(NULL, err, sizeof err), f);
    ck_assert_ptr_eq(bdc_family_select("auto", err, sizeof err), f);
}
END_TEST

START_TEST(every_runnable_family_can_be_forced)
{
    char err[256];
    for (size_t i = 0; i < bdc_family_count(); i++) {
        const bdc_family *f = bdc_family_at(i);
        if (bdc_family_status_of(f) == BDC_UNAVAILABLE)
            continue;
        ck_assert_ptr_eq(bdc_family_select(f->name, err, sizeof err), f);
    }
}
END_TEST

START_TEST(unknown_name_is_refused)
{
    char err[256] = "";
    ck_assert_ptr_null(bdc_family_select("avx9000", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "unknown kernel family 'avx9000'"));
    ck_assert_ptr_nonnull(strstr(err, "scalar"));
}
END_TEST

START_TEST(environment_forces_a_family)
{
    char err[256] = "";
    setenv("BDC_KERNEL", "scalar", 1);
    ck_assert_str_eq(bdc_family_select(NULL, err, sizeof err)->name, "scalar");
    setenv("BDC_KERNEL", "bogus", 1);
    ck_assert_ptr_null(bdc_family_select(NULL, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "BDC_KERNEL"));
    /* The flag wins over the environment. */
    ck_assert_str_eq(bdc_family_select("scalar", err, sizeof err)->name, "scalar");
    unsetenv("BDC_KERNEL");
}
END_TEST

Suite *bdc_suite_dispatch(void)
{
    Suite *s = suite_create("dispatch");
    TCase *tc = tcase_create("select");
    tcase_add_test(tc, auto_is_native);
    tcase_add_test(tc, every_runnable_family_can_be_forced);
    tcase_add_test(tc, unknown_name_is_refused);
    tcase_add_test(tc, environment_forces_a_family);
    suite_add_tcase(s, tc);
    return s;
}
