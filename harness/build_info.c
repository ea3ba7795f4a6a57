#include "build_info.h"

#ifdef BDC_BUILD_FLAGS_H
#include BDC_BUILD_FLAGS_H
#else
/* Built without the Makefile: say so rather than guess. */
#define BDC_BUILD_CC "unknown"
#define BDC_BUILD_CFLAGS "unknown"
#define BDC_BUILD_FAMILY_FLAGS "unknown"
#define BDC_BUILD_LDFLAGS "unknown"
#define BDC_BUILD_BENCHMARK ""
#endif

void bdc_build_info_json(bdc_json *j, const char *key)
{
    bdc_json_open(j, key, '{');
    bdc_json_str(j, "cc", BDC_BUILD_CC);
    bdc_json_str(j, "cflags", BDC_BUILD_CFLAGS);
    bdc_json_str(j, "family_flags", BDC_BUILD_FAMILY_FLAGS);
    bdc_json_str(j, "ldflags", BDC_BUILD_LDFLAGS);
    /* Empty: not installed when bdc was built. */
    bdc_json_str(j, "google_benchmark", BDC_BUILD_BENCHMARK);
    bdc_json_close(j, '}');
}
