#include "dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idx.h"

#ifndef BDC_DEFAULT_DATA_DIR
#define BDC_DEFAULT_DATA_DIR "data"
#endif

const char *bdc_dataset_default_dir(const char *name)
{
    static char path[4096];
    if (strcmp(name, "mnist") == 0) {
        const char *root = getenv("BDC_DATA_DIR");
        snprintf(path, sizeof path, "%s/mnist",
                 root && *root ? root : BDC_DEFAULT_DATA_DIR);
        return path;
    }
    if (strcmp(name, "fashion") == 0)
        return "/usr/share/datasets/fashion-mnist";
    return NULL;
}

/* dir/stem, or dir/stem.gz if only that exists. */
static int find_file(const char *dir, const char *stem, char *path, size_t len,
                     char *err, size_t errlen)
{
    snprintf(path, len, "%s/%s", dir, stem);
    if (access(path, F_OK) == 0)
        return 0;
    snprintf(path, len, "%s/%s.gz", dir, stem);
    if (access(path, F_OK) == 0)
        return 0;
    snprintf(err, errlen,
             "%s: no %s or %s.gz there (run `make data`, or point --data-dir "
             "at a folder holding the four IDX files)",
             dir, stem, stem);
    return -1;
}

static int load_split(const char *dir, const char *prefix, bdc_samples *out,
                      char *err, size_t errlen)
{
    char img_path[4200], lab_path[4200], stem[64];
    snprintf(stem, sizeof stem, "%s-images-idx3-ubyte", prefix);
    if (find_file(dir, stem, img_path, sizeof img_path, err, errlen))
        return -1;
    snprintf(stem, sizeof stem, "%s-labels-idx1-ubyte", prefix);
    if (find_file(dir, stem, lab_path, sizeof lab_path, err, errlen))
        return -1;

    bdc_idx img, lab;
    if (bdc_idx_read(img_path, 3, &img, err, errlen))
        return -1;
    if (bdc_idx_read(lab_path, 1, &lab, err, errlen)) {
        bdc_idx_free(&img);
        return -1;
    }
    int rc = -1;
    if (img.item_size > BDC_MAX_DIM) {
        snprintf(err, errlen, "%s: images of %zux%zu pixels exceed %d inputs",
                 img_path, img.dims[1], img.dims[2], BDC_MAX_DIM);
        goto done;
    }
    if (img.dims[0] != lab.dims[0]) {
        snprintf(err, errlen, "%s: %zu labels, but %s has %zu images", lab_path,
                 lab.dims[0], img_path, img.dims[0]);
        goto done;
    }
    for (size_t i = 0; i < lab.dims[0]; i++)
        if (lab.data[i] >= BDC_CLASSES) {
            snprintf(err, errlen, "%s: label %u of item %zu is not in 0..%d",
                     lab_path, lab.data[i], i, BDC_CLASSES - 1);
            goto done;
        }
    if (bdc_samples_from_levels(out, img.data, lab.data, img.dims[0],
                                img.item_size)) {
        snprintf(err, errlen, "%s: out of memory", img_path);
        goto done;
    }
    out->rows = img.dims[1];
    out->cols = img.dims[2];
    for (int k = 0; k < 256; k++)
        out->value[k] = (float)k / 255.0f;
    rc = 0;
done:
    bdc_idx_free(&img);
    bdc_idx_free(&lab);
    return rc;
}

int bdc_dataset_load(const char *dir, bdc_dataset *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    /* Say so when the folder itself is missing, rather than its files. */
    struct stat st;
    if (stat(dir, &st) != 0) {
        snprintf(err, errlen, "%s: cannot open the data folder: %s", dir,
                 strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: the data folder is not a folder", dir);
        return -1;
    }
    if (load_split(dir, "train", &out->train, err, errlen))
        return -1;
    if (load_split(dir, "t10k", &out->test, err, errlen)) {
        bdc_dataset_free(out);
        return -1;
    }
    if (out->train.dim != out->test.dim) {
        snprintf(err, errlen, "%s: training images have %zu pixels, test images %zu",
                 dir, out->train.dim, out->test.dim);
        bdc_dataset_free(out);
        return -1;
    }
    return 0;
}

void bdc_dataset_free(bdc_dataset *d)
{
    bdc_samples_free(&d->train);
    bdc_samples_free(&d->test);
}
