/* 128-bit probes, compiled with the baseline flags: SSE2 on x86-64, NEON
 * on AArch64 (both part of the architecture, so always runnable). */
#define PROBE_BYTES 16
#define PROBE_NAME(x) bdc_probe_##x##_128
#include "probe_template.h"
