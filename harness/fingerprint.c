#include "fingerprint.h"

#include <string.h>

uint64_t bdc_fnv1a64_bytes(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t bdc_fnv1a64_floats(uint64_t h, const float *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, &v[i], sizeof bits);
        const unsigned char le[4] = {(unsigned char)bits, (unsigned char)(bits >> 8),
                                     (unsigned char)(bits >> 16),
                                     (unsigned char)(bits >> 24)};
        h = bdc_fnv1a64_bytes(h, le, sizeof le);
    }
    return h;
}
