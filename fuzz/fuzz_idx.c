/* Fuzz target: the IDX reader (harness/idx.c) on any file, raw or gzip.
 * bdc_idx_read takes a path, so the bytes go to a memory file (memfd) and
 * the reader opens it as /proc/self/fd/N: the code under test is exactly
 * what `bdc train` runs, file opening included. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "../harness/idx.h"
#include "targets.h"

static void fail(const char *what, const char *detail)
{
    bdc_fuzz_fail("idx", what, detail);
}

static void write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        const ssize_t w = write(fd, p, n);
        if (w <= 0) fail("cannot write the memory file", NULL);
        p += w;
        n -= (size_t)w;
    }
}

/* The bytes as one gzip member (level 1: the point is the format). */
static void write_gzip(int fd, const uint8_t *p, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        fail("deflateInit2", NULL);
    const size_t cap = deflateBound(&z, (uLong)n);
    uint8_t *out = malloc(cap);
    if (!out) fail("out of memory", NULL);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) fail("deflate", NULL);
    write_all(fd, out, cap - z.avail_out);
    deflateEnd(&z);
    free(out);
}

int bdc_fuzz_idx(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 20))
        return 0;
    const size_t ndims = data[0] & 1 ? 3 : 1;
    const int gzip = data[0] & 2;
    const int fd = memfd_create("bdc-fuzz-idx", MFD_CLOEXEC);
    if (fd < 0) fail("memfd_create", NULL);
    if (gzip) write_gzip(fd, data + 1, size - 1);
    else write_all(fd, data + 1, size - 1);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);

    bdc_idx idx;
    char err[512];
    memset(err, 0, sizeof err);
    const int rc = bdc_idx_read(path, ndims, &idx, err, sizeof err);
    close(fd);
    if (rc != 0) {
        /* One line that names the file and says something after it. */
        if (rc != -1) fail("returned neither 0 nor -1", NULL);
        if (idx.data) fail("failed but left data", err);
        const size_t n = strlen(path);
        if (strncmp(err, path, n) != 0 || strncmp(err + n, ": ", 2) != 0 || !err[n + 2])
            fail("the error does not start with 'PATH: '", err);
        if (strchr(err, '\n')) fail("the error is not one line", err);
        return 0;
    }
    /* What it read must be what the header says, exactly. */
    if (idx.ndims != ndims) fail("wrong ndims", NULL);
    size_t total = 1;
    for (size_t d = 0; d < ndims; d++) {
        if (idx.dims[d] == 0 || idx.dims[d] > 0xffffffffu) fail("a bad dimension", NULL);
        total *= idx.dims[d];
    }
    if (total > BDC_IDX_MAX_BYTES) fail("more data than the limit", NULL);
    if (idx.item_size * idx.dims[0] != total) fail("item_size disagrees with dims", NULL);
    /* Touch every byte, so that the sanitizers see a short buffer. */
    unsigned sum = 0;
    for (size_t i = 0; i < total; i++) sum += idx.data[i];
    bdc_fuzz_sink = sum;
    /* What the reader decompressed (the bytes themselves in gzip mode; a
     * raw file starting 00, which zlib cannot take for gzip) is exactly
     * header + data, and the data are its bytes. */
    if (gzip || data[1] == 0) {
        const size_t header = 4 + 4 * ndims;
        if (header + total != size - 1)
            fail("accepted a raw file whose length is not header + data", NULL);
        if (memcmp(idx.data, data + 1 + header, total) != 0)
            fail("the data differs from the file's", NULL);
    }
    bdc_idx_free(&idx);
    if (idx.data) fail("bdc_idx_free left data", NULL);
    return 0;
}

BDC_FUZZ_ENTRY(idx)
