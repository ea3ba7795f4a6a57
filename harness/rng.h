/* bdc's portable pseudo-random numbers: xoshiro256** (Blackman and Vigna,
 * 2018), its state filled from splitmix64 (Steele, Lea and Flood, 2014).
 * Integer arithmetic only, so a seed gives the same numbers on every CPU,
 * compiler and C library.  Used where the mlp baseline needs randomness:
 * weight initialisation and the per-epoch shuffle (docs/mlp.md). */
#ifndef BDC_RNG_H
#define BDC_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct bdc_rng {
    uint64_t s[4];
} bdc_rng;

/* Independent streams of one seed. */
enum { BDC_RNG_STREAM_INIT = 1, BDC_RNG_STREAM_SHUFFLE = 2 };

/* splitmix64: advances *state by 0x9e3779b97f4a7c15 and returns the mixed
 * value. */
uint64_t bdc_splitmix64(uint64_t *state);

/* The generator for (seed, stream): its four state words are the first four
 * outputs of splitmix64 started at seed ^ mix(stream), where mix is
 * splitmix64's output function.  Different streams of one seed start far
 * apart and do not depend on how much the others were used. */
void bdc_rng_seed(bdc_rng *r, uint64_t seed, uint64_t stream);

/* The next 64 bits of xoshiro256**. */
uint64_t bdc_rng_next(bdc_rng *r);

/* A uniform double in [0, 1): the top 53 bits of the next output times
 * 2^-53 (exact). */
double bdc_rng_unit(bdc_rng *r);

/* A uniform integer in [0, n), n >= 1, without bias: outputs at or above the
 * largest multiple of n that fits in 64 bits are drawn again. */
uint64_t bdc_rng_below(bdc_rng *r, uint64_t n);

/* Fisher-Yates: for i = n-1 down to 1, swap v[i] with v[bdc_rng_below(i+1)]. */
void bdc_rng_shuffle(bdc_rng *r, size_t *v, size_t n);

#endif
