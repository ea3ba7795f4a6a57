/* The inputs the kernel benchmarks feed: real MNIST images, their binconv
 * features, the hidden activations they produce, and synthetic data for
 * the cache-sized cases.  Real inputs are loaded on first use and kept. */
#ifndef BDC_BENCH_INPUTS_H
#define BDC_BENCH_INPUTS_H

#include <stddef.h>
#include <stdint.h>

#include "../harness/samples.h"

/* How many training images (the first ones, in file order) the
 * benchmarks cycle through, one per iteration. */
#define BENCH_SAMPLES 256

/* A set of input vectors, each stored sparse (as the kernels take them)
 * and dense (as the nudge takes them). */
typedef struct bench_inputs {
    size_t count, dim;
    size_t *start;   /* count + 1 offsets into idx and val */
    uint32_t *idx;   /* non-zero positions, ascending per vector */
    float *val;
    float *dense;    /* count x dim */
    uint8_t *label;  /* count labels */
    double mean_nnz;
} bench_inputs;

/* The first BENCH_SAMPLES MNIST training images (D = 784), from the folder
 * harness/dataset.h names.  NULL with a one-line reason when unreadable. */
const bench_inputs *bench_inputs_mnist(char *err, size_t errlen);

/* Their binconv features (D = 4433, harness/binconv.h). */
const bench_inputs *bench_inputs_binconv(char *err, size_t errlen);

/* The same images and features as the sample sets the learners and the
 * engine read (harness/samples.h): BENCH_SAMPLES of each. */
const bdc_samples *bench_samples_mnist(char *err, size_t errlen);
const bdc_samples *bench_samples_binconv(char *err, size_t errlen);

/* Their hidden activations GReLU(x . A) for the D x `hidden` matrix
 * bench_weights() makes, computed with the scalar kernels: the input of
 * the second layer of a bidir network of that width. */
const bench_inputs *bench_inputs_hidden(size_t hidden, char *err, size_t errlen);

/* Every vector dense with synthetic values in (0, 1]: count x dim. */
int bench_inputs_synthetic(bench_inputs *in, size_t count, size_t dim);

void bench_inputs_free(bench_inputs *in);

/* Releases the cached real inputs. */
void bench_inputs_release_all(void);

/* Fills w[0..n) with the same pseudo-random values in [0, 1) for the same
 * seed: the weights of the benchmark layers (untrained, but not all equal,
 * so that activations, GReLU and the winner have something to sort). */
void bench_random(float *w, size_t n, uint64_t seed);

/* The seed of a rows x cols weight matrix. */
uint64_t bench_weight_seed(size_t rows, size_t cols);

/* The nudge benchmarks restore the weights they move every BENCH_RESTORE
 * nudges of the same vector (on average, for pseudo-random winners), so
 * that a long run never decays them into subnormal numbers: the benchmark
 * then times the same arithmetic at every run length. */
#define BENCH_RESTORE 512

/* The pseudo-random winners of the nudge benchmarks: the next one in
 * [0, H), from state *x, which starts at BENCH_WINNER_SEED (the same
 * sequence replayed gives the same winners). */
#define BENCH_WINNER_SEED 0x2545f4914f6cdd1du
size_t bench_next_winner(uint64_t *x, size_t H);

/* Writes "out of memory" to err; returns -1 (a prepare step's failure). */
int bench_out_of_memory(char *err, size_t errlen);

#endif
