#ifndef BDC_VERSION_H
#define BDC_VERSION_H

#define BDC_VERSION "0.1.0"

/* BDC_COMMIT: the git commit the binary was built from (build/commit.h,
 * written by the Makefile). */
#include "commit.h"

#endif
