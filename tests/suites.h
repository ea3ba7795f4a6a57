/* Every test suite, one line each.  A file tests/test_NAME.c defines
 * `Suite *bdc_suite_NAME(void)`. */
#ifndef BDC_TEST_SUITES_H
#define BDC_TEST_SUITES_H

#include <check.h>

#define BDC_TEST_SUITES(X) \
    X(dispatch) \
    X(mlp) \
    X(mlp_kernels) \
    X(mlp_train)

#define BDC_DECLARE_SUITE(name) Suite *bdc_suite_##name(void);
BDC_TEST_SUITES(BDC_DECLARE_SUITE)
#undef BDC_DECLARE_SUITE

#endif
