/* Choosing a kernel family at run time. */
#ifndef BDC_DISPATCH_H
#define BDC_DISPATCH_H

#include <stddef.h>
#include "kernels.h"

typedef enum {
    BDC_NATIVE,      /* the CPU runs the family's ISA itself */
    BDC_EMULATED,    /* SIMDe translates it; correct, not a speed contender */
    BDC_UNAVAILABLE, /* the CPU lacks instructions the compiled code needs */
} bdc_family_status;

size_t bdc_family_count(void);
const bdc_family *bdc_family_at(size_t i);             /* best first */
const bdc_family *bdc_family_by_name(const char *name); /* NULL if unknown */
bdc_family_status bdc_family_status_of(const bdc_family *f);
const char *bdc_family_status_name(bdc_family_status s);

/* The best native family. */
const bdc_family *bdc_family_auto(void);

/* The family to run: `name` if given, else $BDC_KERNEL, else "auto".
 * NULL for an unknown name or one this CPU cannot run, with a one-line
 * reason in err. */
const bdc_family *bdc_family_select(const char *name, char *err, size_t errlen);

#endif
