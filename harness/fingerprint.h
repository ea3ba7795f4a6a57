/* FNV-1a 64-bit over float arrays, each float as its 4 little-endian bytes:
 * the fingerprint that proves two runs ended with the same weights. */
#ifndef BDC_FINGERPRINT_H
#define BDC_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#define BDC_FNV1A64_INIT 0xcbf29ce484222325ull

uint64_t bdc_fnv1a64_bytes(uint64_t h, const void *data, size_t len);
uint64_t bdc_fnv1a64_floats(uint64_t h, const float *v, size_t n);

#endif
