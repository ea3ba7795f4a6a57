/* The list of kernel families, best first.  Tests, benchmarks and dispatch
 * all iterate this one list: a new family is one line here plus its folder. */
#ifndef BDC_FAMILIES_H
#define BDC_FAMILIES_H

#include "kernels.h"

#define BDC_FAMILY_LIST(X) X(avx2) X(sse) X(neon) X(scalar)

#define BDC_DECLARE_FAMILY(name) extern const bdc_family bdc_family_##name;
BDC_FAMILY_LIST(BDC_DECLARE_FAMILY)
#undef BDC_DECLARE_FAMILY

#endif
