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

/* The time of one memory roof: the most any level takes for the bytes it
 * carries, with that level.  L2 and beyond carry their own lines and
 * those of the levels beyond them (filled through them); L1 carries the
 * bytes counted at L1 only (loads and stores move what they access, not
 * whole lines, and the lines filled from beyond are the fill's cost, which
 * the level they come from bounds). */
static double memory_seconds(const double *bytes, const double *rate, int *level)
{
    double worst = 0, carried = 0;
    *level = BDC_LEVEL_L1;
    for (int l = BDC_LEVELS - 1; l >= 0; l--) {
        carried = l == BDC_LEVEL_L1 ? bytes[l] : carried + bytes[l];
        const double t = rate[l] > 0 ? carried / rate[l] : 0;
        if (t > worst) {
            worst = t;
            *level = l;
        }
    }
    return worst;
}

double bdc_roofline_seconds(const bdc_roofline *r, const bdc_traffic *t,
                            bdc_limit *limit)
{
    bdc_limit at = {BDC_LIMIT_NONE, BDC_LEVEL_L1};
    double best = 0;
    if (r->mul_add > 0 && t->flops > 0) {
        best = t->flops / r->mul_add;
        at.kind = BDC_LIMIT_COMPUTE;
    }
    int level;
    const double read = memory_seconds(t->read, r->read, &level);
    if (read > best) {
        best = read;
        at = (bdc_limit){BDC_LIMIT_READ, level};
    }
    const double write = memory_seconds(t->written, r->write, &level);
    if (write > best) {
        best = write;
        at = (bdc_limit){BDC_LIMIT_WRITE, level};
    }
    if (limit)
        *limit = at;
    return best;
}

double bdc_traffic_read(const bdc_traffic *t)
{
    double sum = 0;
    for (int l = 0; l < BDC_LEVELS; l++)
        sum += t->read[l];
    return sum;
}

double bdc_traffic_written(const bdc_traffic *t)
{
    double sum = 0;
    for (int l = 0; l < BDC_LEVELS; l++)
        sum += t->written[l];
    return sum;
}
