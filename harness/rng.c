#include "rng.h"

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t bdc_splitmix64(uint64_t *state)
{
    *state += 0x9e3779b97f4a7c15ull;
    return mix(*state);
}

void bdc_rng_seed(bdc_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t state = seed ^ mix(stream);
    for (int i = 0; i < 4; i++)
        r->s[i] = bdc_splitmix64(&state);
    /* All-zero is xoshiro's one bad state; it cannot happen: mix is a
     * bijection, so four outputs of consecutive counters are distinct. */
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t bdc_rng_next(bdc_rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double bdc_rng_unit(bdc_rng *r)
{
    return (double)(bdc_rng_next(r) >> 11) * 0x1p-53;
}

uint64_t bdc_rng_below(bdc_rng *r, uint64_t n)
{
    /* limit = the largest multiple of n that is <= 2^64, minus one. */
    const uint64_t limit = UINT64_MAX - (UINT64_MAX % n + 1) % n;
    uint64_t x;
    do
        x = bdc_rng_next(r);
    while (x > limit);
    return x % n;
}

void bdc_rng_shuffle(bdc_rng *r, size_t *v, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        const size_t j = (size_t)bdc_rng_below(r, i);
        const size_t tmp = v[i - 1];
        v[i - 1] = v[j];
        v[j] = tmp;
    }
}
