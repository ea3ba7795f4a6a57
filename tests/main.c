/* The test runner: all suites of tests/suites.h under Check.  Check's own
 * environment variables pick a subset: CK_RUN_SUITE=idx, CK_RUN_CASE=... */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *runner = srunner_create(NULL);
#define BDC_ADD_SUITE(name) srunner_add_suite(runner, bdc_suite_##name());
    BDC_TEST_SUITES(BDC_ADD_SUITE)
#undef BDC_ADD_SUITE
    srunner_run_all(runner, CK_NORMAL);
    const int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
