/* The fuzz targets: each takes any bytes, feeds them to one of bdc's input
 * parsers, and checks what the parser promises (one-line errors naming the
 * input, invariants of what it returns, no leak).  A broken promise calls
 * abort(), so libFuzzer, the sanitizers and the corpus replay in the test
 * suite (tests/test_fuzz_corpus.c) all see it.
 *
 * Built two ways: with clang's -fsanitize=fuzzer for `make fuzz`
 * (BDC_LIBFUZZER defines LLVMFuzzerTestOneInput), and into the test runner,
 * which replays the committed corpus fuzz/corpus/<target>/. */
#ifndef BDC_FUZZ_TARGETS_H
#define BDC_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/* The IDX reader, raw or gzip (harness/idx.h).  The first byte chooses the
 * number of dimensions (bit 0: images or labels) and whether the rest is
 * gzip-compressed before reading (bit 1); the rest is the file. */
int bdc_fuzz_idx(const uint8_t *data, size_t size);

/* The sweep file parser (harness/sweep_config.h). */
int bdc_fuzz_sweep(const uint8_t *data, size_t size);

/* The CSV reader of runs.csv and curve files (harness/csv.h): what it
 * accepts must survive a write and a second read unchanged. */
int bdc_fuzz_csv(const uint8_t *data, size_t size);

/* Every target, for the corpus replay. */
#define BDC_FUZZ_TARGETS(X) X(idx) X(sweep) X(csv)

/* Where a target stores what it read, so that no read is optimised away. */
extern volatile unsigned bdc_fuzz_sink;

/* The input being replayed (a corpus file's path), named by
 * bdc_fuzz_fail; NULL under libFuzzer, which saves the input itself. */
extern const char *bdc_fuzz_input;

/* What a target calls when a promise is broken: says which, then aborts. */
void bdc_fuzz_fail(const char *target, const char *what, const char *detail)
    __attribute__((noreturn));

#ifdef BDC_LIBFUZZER
#define BDC_FUZZ_ENTRY(name)                                               \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);          \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)           \
    {                                                                      \
        return bdc_fuzz_##name(data, size);                                \
    }
#else
#define BDC_FUZZ_ENTRY(name)
#endif

#endif
