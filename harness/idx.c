#include "idx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static int fail(char *err, size_t errlen, const char *path, const char *what)
{
    snprintf(err, errlen, "%s: %s", path, what);
    return -1;
}

/* Reads up to len bytes (fewer only at the end of the file).  Returns how
 * many were read, or -1 when zlib reports a problem, described in what:
 * corrupt data, or a gzip stream that the file cuts short (zlib does not
 * count that as an error by itself; it would otherwise pass unnoticed when
 * only the checksum trailer is missing). */
static long long read_fully(gzFile f, uint8_t *buf, size_t len, char *what,
                            size_t whatlen)
{
    size_t got = 0;
    while (got < len) {
        size_t chunk = len - got > (1u << 30) ? (1u << 30) : len - got;
        int r = gzread(f, buf + got, (unsigned)chunk);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    int code;
    const char *msg = gzerror(f, &code);
    if (code == Z_BUF_ERROR) {
        snprintf(what, whatlen,
                 "truncated gzip data: the file ends inside the compressed stream");
        return -1;
    }
    if (code != Z_OK) {
        snprintf(what, whatlen, "corrupt gzip data (%s)", msg);
        return -1;
    }
    return (long long)got;
}

/* The payload, read into a buffer that grows with the data actually found,
 * so that a short file whose header promises gigabytes never costs more
 * than twice its real size. */
static long long read_payload(gzFile f, size_t total, uint8_t **data, char *what,
                              size_t whatlen)
{
    size_t capacity = total < ((size_t)1 << 20) ? total : (size_t)1 << 20;
    size_t got = 0;
    *data = malloc(capacity);
    if (!*data) {
        snprintf(what, whatlen, "out of memory for %zu bytes", capacity);
        return -1;
    }
    for (;;) {
        long long r = read_fully(f, *data + got, capacity - got, what, whatlen);
        if (r < 0)
            return -1;
        got += (size_t)r;
        if (got < capacity || got == total)
            return (long long)got;
        capacity = total / 2 < capacity ? total : 2 * capacity;
        uint8_t *bigger = realloc(*data, capacity);
        if (!bigger) {
            snprintf(what, whatlen, "out of memory for %zu bytes", capacity);
            return -1;
        }
        *data = bigger;
    }
}

int bdc_idx_read(const char *path, size_t ndims, bdc_idx *out, char *err,
                 size_t errlen)
{
    char what[200];
    memset(out, 0, sizeof *out);
    gzFile f = gzopen(path, "rb");
    if (!f) {
        snprintf(what, sizeof what, "cannot open: %s",
                 errno ? strerror(errno) : "out of memory");
        return fail(err, errlen, path, what);
    }
    gzbuffer(f, 1u << 20);

    uint8_t header[4 + 4 * 3];
    size_t header_len = 4 + 4 * ndims;
    long long got = read_fully(f, header, header_len, what, sizeof what);
    if (got < 0)
        goto fail;
    if (got < 4) {
        snprintf(what, sizeof what, "truncated header: %lld of %zu bytes", got,
                 header_len);
        goto fail;
    }
    if (header[0] != 0 || header[1] != 0) {
        snprintf(what, sizeof what,
                 "not an IDX file (magic starts %02x %02x, expected 00 00)",
                 header[0], header[1]);
        goto fail;
    }
    if (header[2] != 0x08) {
        snprintf(what, sizeof what,
                 "element type 0x%02x is not unsigned byte (0x08)", header[2]);
        goto fail;
    }
    if (header[3] != ndims) {
        snprintf(what, sizeof what, "has %u dimensions, expected %zu (%s)",
                 header[3], ndims, ndims == 3 ? "an image file" : "a label file");
        goto fail;
    }
    if ((size_t)got < header_len) {
        snprintf(what, sizeof what, "truncated header: %lld of %zu bytes", got,
                 header_len);
        goto fail;
    }
    size_t total = 1;
    out->ndims = ndims;
    for (size_t d = 0; d < ndims; d++) {
        const uint8_t *p = header + 4 + 4 * d;
        uint32_t v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
                     (uint32_t)p[2] << 8 | p[3];
        if (v == 0) {
            snprintf(what, sizeof what, "dimension %zu is 0", d);
            goto fail;
        }
        out->dims[d] = v;
        if (total > BDC_IDX_MAX_BYTES / v) {
            snprintf(what, sizeof what,
                     "dimensions too large (over %zu bytes of data)",
                     (size_t)BDC_IDX_MAX_BYTES);
            goto fail;
        }
        total *= v;
    }
    out->item_size = total / out->dims[0];
    got = read_payload(f, total, &out->data, what, sizeof what);
    if (got < 0)
        goto fail;
    if ((size_t)got < total) {
        snprintf(what, sizeof what,
                 "truncated: the header promises %zu bytes of data, the file has %lld",
                 total, got);
        goto fail;
    }
    uint8_t extra;
    got = read_fully(f, &extra, 1, what, sizeof what);
    if (got < 0)
        goto fail;
    if (got > 0) {
        snprintf(what, sizeof what, "trailing bytes after the %zu bytes of data", total);
        goto fail;
    }
    gzclose(f);
    return 0;
fail:
    gzclose(f);
    bdc_idx_free(out);
    return fail(err, errlen, path, what);
}

void bdc_idx_free(bdc_idx *idx)
{
    free(idx->data);
    memset(idx, 0, sizeof *idx);
}
