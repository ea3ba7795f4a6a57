/* The binconv front end (spec "Model binconv"): each 28x28 image becomes
 * 11*13*31 = 4433 pooled binary-code features.  Computed once per image
 * set, before training. */
#ifndef BDC_BINCONV_H
#define BDC_BINCONV_H

#include <stddef.h>

#include "samples.h"

#define BDC_BINCONV_DIM (11 * 13 * 31)

/* features <- the binconv features of images (28x28 only).  The feature
 * levels are the pooled counts 0..16.  Returns 0, or -1 with a reason. */
int bdc_binconv_features(const bdc_samples *images, bdc_samples *features,
                         char *err, size_t errlen);

#endif
