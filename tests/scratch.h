/* A temporary folder for a test case and the files it writes there. */
#ifndef BDC_TEST_SCRATCH_H
#define BDC_TEST_SCRATCH_H

#include <stddef.h>

/* A new empty folder (mkdtemp under $TMPDIR or /tmp); the caller frees the
 * returned path with bdc_scratch_remove(). */
char *bdc_scratch_make(void);

/* Removes the folder and everything in it, and frees the path. */
void bdc_scratch_remove(char *dir);

/* dir/name in a static buffer (valid until the next call). */
const char *bdc_scratch_path(const char *dir, const char *name);

/* Writes len bytes to path, raw or as one gzip member; a failure fails the
 * test. */
void bdc_scratch_write(const char *path, const void *data, size_t len);
void bdc_scratch_write_gz(const char *path, const void *data, size_t len);

/* The whole file at path, malloc'd; its length in *len. */
unsigned char *bdc_scratch_read(const char *path, size_t *len);

#endif
