/* 256-bit probes, compiled with -mavx on x86-64 (the Makefile's flags for
 * this file); elsewhere there is no 256-bit vector unit to probe. */
#if defined(__x86_64__) || defined(__i386__)
#define PROBE_BYTES 32
#define PROBE_NAME(x) bdc_probe_##x##_256
#include "probe_template.h"
#else
typedef int bdc_probe_256_unused; /* an empty file is not valid C */
#endif
