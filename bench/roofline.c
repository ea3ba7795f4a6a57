/* The roofline model: levels and bounds (measuring is roofline_measure.c). */
#include "roofline.h"

static uint64_t round_page(uint64_t bytes)
{
    const uint64_t page = 4096;
    return bytes < page ? page : bytes / page * page;
}

void bdc_roofline_init(bdc_roofline *r, uint64_t l1, uint64_t l2, uint64_t l3)
{
    *r = (bdc_roofline){0};
    r->cache_assumed = !l1 || !l2 || !l3;
    r->cache[0] = l1 ? l1 : BDC_ROOFLINE_DEFAULT_L1;
    r->cache[1] = l2 ? l2 : BDC_ROOFLINE_DEFAULT_L2;
    r->cache[2] = l3 ? l3 : BDC_ROOFLINE_DEFAULT_L3;
    /* A level's buffer: half of it, but more than all of the level below
     * (small last-level caches on some CPUs are barely larger than L2). */
    uint64_t below = 0;
    for (int i = 0; i < 3; i++) {
        uint64_t half = r->cache[i] / 2;
        if (half <= below)
            half = (below + r->cache[i]) / 2;
        r->probe_bytes[i] = round_page(half);
        below = r->cache[i];
    }
    const uint64_t dram = 4 * r->cache[2];
    r->probe_bytes[BDC_LEVEL_DRAM] = round_page(dram > (64u << 20) ? dram : (64u << 20));
}

int bdc_roofline_level_of(const bdc_roofline *r, uint64_t bytes)
{
    for (int i = 0; i < 3; i++)
        if (bytes <= r->cache[i])
            return i;
    return BDC_LEVEL_DRAM;
}

const char *bdc_roofline_level_name(int level)
{
    static const char *const names[BDC_LEVELS] = {"L1", "L2", "L3", "DRAM"};
    return level >= 0 && level < BDC_LEVELS ? names[level] : "?";
}

double bdc_roofline_seconds(const bdc_roofline *r, double flops, double bytes,
                            int level, int *compute_bound)
{
    const double compute = r->mul_add > 0 ? flops / r->mul_add : 0;
    const double read = level >= 0 && level < BDC_LEVELS && r->read[level] > 0
                            ? bytes / r->read[level]
                            : 0;
    if (compute_bound)
        *compute_bound = compute >= read;
    return compute >= read ? compute : read;
}
