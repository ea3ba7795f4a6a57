/* Every test suite, one line each.  A file tests/test_NAME.c defines
 * `Suite *bdc_suite_NAME(void)`.
 *
 * Suites that need nothing but kernels/ (no harness, no hwloc or zlib, no
 * ./bdc) go in BDC_KERNEL_SUITES: `make test-aarch64` builds the runner with
 * -DBDC_TEST_KERNELS_ONLY and runs only those, under qemu-aarch64.  The
 * Makefile reads the names from the list below (up to its blank line). */
#ifndef BDC_TEST_SUITES_H
#define BDC_TEST_SUITES_H

#include <check.h>

#define BDC_KERNEL_SUITES(X) \
    X(dispatch)              \
    X(kernels)               \
    X(engine_kernels)        \
    X(spec)                  \
    X(mlp_kernels)

#define BDC_PROGRAM_SUITES(X) \
    X(machine)                \
    X(families)               \
    X(idx)                    \
    X(e2e)                    \
    X(roofline)               \
    X(accounting)             \
    X(results)                \
    X(sweep)                  \
    X(table)                  \
    X(plots)                  \
    X(mlp)                    \
    X(mlp_train)              \
    X(fuzz_corpus)            \
    X(robustness)             \
    X(edges)                  \
    X(engine)                 \
    X(column)

#ifdef BDC_TEST_KERNELS_ONLY
#define BDC_TEST_SUITES(X) BDC_KERNEL_SUITES(X)
#else
#define BDC_TEST_SUITES(X) BDC_KERNEL_SUITES(X) BDC_PROGRAM_SUITES(X)
#endif

#define BDC_DECLARE_SUITE(name) Suite *bdc_suite_##name(void);
BDC_TEST_SUITES(BDC_DECLARE_SUITE)
#undef BDC_DECLARE_SUITE

#endif
