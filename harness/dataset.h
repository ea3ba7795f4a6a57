/* The standard four-file IDX datasets (MNIST, Fashion-MNIST). */
#ifndef BDC_DATASET_H
#define BDC_DATASET_H

#include "samples.h"

typedef struct bdc_dataset {
    bdc_samples train, test;
} bdc_dataset;

/* Where a named dataset lives unless --data-dir says otherwise: "mnist" in
 * $BDC_DATA_DIR/mnist (default: the repository's data/mnist, filled by
 * `make data`), "fashion" in the Debian package's folder.  NULL for an
 * unknown name. */
const char *bdc_dataset_default_dir(const char *name);

/* Loads train-{images,labels} and t10k-{images,labels} from dir, each either
 * raw ("...-ubyte") or gzipped ("...-ubyte.gz").  Pixels p become p/255.0f.
 * Returns 0, or -1 with a one-line reason naming the file in err. */
int bdc_dataset_load(const char *dir, bdc_dataset *out, char *err, size_t errlen);

void bdc_dataset_free(bdc_dataset *d);

#endif
