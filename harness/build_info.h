/* How this bdc was built: compiler, flags, and the versions of libraries
 * known only at build time (Google Benchmark).  The machine record
 * (machine.h) has the compiler version and the other libraries. */
#ifndef BDC_BUILD_INFO_H
#define BDC_BUILD_INFO_H

#include "json.h"

/* Writes {"cc", "cflags", "family_flags", "ldflags", "google_benchmark"}
 * under key. */
void bdc_build_info_json(bdc_json *j, const char *key);

#endif
