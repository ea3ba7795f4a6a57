/* Roofline probes: the fastest this core can compute and read, measured
 * with loops that do nothing else.  Each ISA's probes live in their own
 * file, compiled with that ISA's flags (like the kernel families).
 *
 * Compute probes: mul_add issues independent vector multiplies and adds
 * (the only arithmetic bdc's bit-exact kernels use), so only the pipes
 * limit it; fma keeps 14 chains of fused multiply-adds (what the hardware
 * can do beyond that; no bdc kernel may use it).  Read probes OR a buffer into
 * 8 vector accumulators, so loads are the only limit; write probes store
 * one vector over a buffer, 8 stores per round and nothing else (ordinary
 * stores, as the kernels make: no streaming stores). */
#ifndef BDC_PROBE_H
#define BDC_PROBE_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    BDC_PROBE_MUL_ADD, /* separate multiply and add */
    BDC_PROBE_FMA,     /* fused multiply-add */
    BDC_PROBE_READ,    /* read bandwidth */
    BDC_PROBE_WRITE,   /* write bandwidth */
} bdc_probe_kind;

typedef struct bdc_probe {
    const char *name;  /* "mul_add_256": kind and vector width in bits */
    const char *isa;   /* what it is compiled for: "avx", "avx2+fma", ... */
    bdc_probe_kind kind;
    unsigned needs;    /* BDC_CPU_* bits */
    /* compute probes: runs `rounds` rounds, returns the FLOPs done */
    double (*compute)(uint64_t rounds);
    /* read probes: reads the n bytes at p (64-byte aligned, n a multiple
     * of BDC_PROBE_READ_GRAIN) */
    void (*read)(const void *p, size_t n);
    /* write probes: overwrites the n bytes at p (the same alignment) */
    void (*write)(void *p, size_t n);
} bdc_probe;

#define BDC_PROBE_READ_GRAIN 4096

/* Every probe compiled for this architecture. */
extern const bdc_probe bdc_probes[];
extern const size_t bdc_probe_count;

/* Results land here, so that no probe loop is optimised away. */
extern volatile float bdc_probe_sink;

/* The probe functions, one set per ISA file. */
double bdc_probe_mul_add_128(uint64_t rounds);
void bdc_probe_read_128(const void *p, size_t n);
void bdc_probe_write_128(void *p, size_t n);
double bdc_probe_mul_add_256(uint64_t rounds);
void bdc_probe_read_256(const void *p, size_t n);
void bdc_probe_write_256(void *p, size_t n);
double bdc_probe_fma(uint64_t rounds);

#endif
