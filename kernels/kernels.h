/* The kernel table: the hot operations of every bdc learner.
 *
 * Every family (scalar, sse, avx2, neon) fills one `bdc_kernels` table.
 * The arithmetic of each operation is fixed by docs/spec.md (a copy of the
 * contract in ../shared/docs/algorithms.md): float32, each operation rounded
 * on its own, no fused multiply-add, sums in ascending input order.  So every
 * family must return the same bits as `scalar`, and the tests check exactly
 * that.  Families vectorise across outputs, never across the inputs of one
 * output.
 *
 * Matrices are input-major: the weight of input i for output j is
 * w[i * ldw + j], so the outputs of one input are contiguous.
 */
#ifndef BDC_KERNELS_H
#define BDC_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* Nudge coefficients, computed once per step by bdc_nudge_coef_make(). */
typedef struct bdc_nudge_coef {
    float c1; /* (float)(lr * q)       */
    float c2; /* (float)(2 * lr)       */
    float c3; /* (float)(lr * (2 - q)) */
    float d;  /* (float)decay          */
} bdc_nudge_coef;

typedef struct bdc_kernels {
    /* out[j] = sum_k val[k] * w[idx[k] * ldw + j] for j < n: one float32
     * accumulator per output, starting at +0.0f, terms added in the order
     * given (callers pass idx ascending).  The sparse form of x.W: inputs
     * that are zero are simply not listed. */
    void (*activate_sparse)(const uint32_t *idx, const float *val, size_t nnz,
                            const float *w, size_t ldw, size_t n, float *out);

    /* GReLU in place (spec "GReLU"): the largest element becomes 1, every
     * element below 95% of the maximum becomes +0.0f.  All zeros when the
     * maximum is not a finite number > 0, when m - t is not > 0, or when any
     * element is NaN. */
    void (*grelu)(float *v, size_t n);

    /* The winner: the first index of the maximum of alpha*h[j] + beta*e[j]
     * (each product and the sum rounded to float32).  h and e are GReLU
     * outputs, so finite.  n >= 1. */
    size_t (*winner)(const float *h, const float *e, size_t n,
                     float alpha, float beta);

    /* The nudge of w toward a (spec "The nudge"), element-wise:
     *   f = (c1*a - c2) + d;  w = w*f;  w = w + c3*a. */
    void (*nudge)(float *w, const float *a, size_t n, const bdc_nudge_coef *c);

    /* --- backprop (model mlp, docs/mlp.md) ---
     * Its forward products and the transposed product of its backward pass
     * are activate_sparse (the latter over a transposed copy of the output
     * weights); the weight update is its own kernel. */

    /* The minibatch SGD step of one weight row w (n floats), for j < n:
     *   acc  = sum_k val[k] * g[idx[k] * ldg + j]   (+0.0f first, k ascending)
     *   w[j] = w[j] - c * acc
     * every product, addition, the scaling by c and the subtraction rounded
     * on its own.  idx lists the samples of the batch whose input to this
     * row is non-zero, in ascending sample order, val those inputs, and g
     * the batch's gradients at the row's outputs, one row of ldg per sample.
     * It is activate_sparse over the gradients followed by the step, fused
     * so the sum never leaves registers. */
    void (*update_sparse)(const uint32_t *idx, const float *val, size_t nnz,
                          const float *g, size_t ldg, size_t n, float c,
                          float *w);
} bdc_kernels;

struct bdc_engine_kernels; /* engine_kernels.h */

/* One kernel family: its tables and what it needs of the CPU. */
typedef struct bdc_family {
    const char *name;        /* "scalar", "sse", "avx2", "neon" */
    const char *description; /* one line for `bdc info` */
    const bdc_kernels *kernels;
    const struct bdc_engine_kernels *engine; /* the blocked engine's kernels */
    unsigned needs;          /* BDC_CPU_* bits the compiled code requires */
    int emulated;            /* 1: SIMDe translates this ISA to another one */
} bdc_family;

/* The coefficients of one nudge (spec): the products in double, each rounded
 * once to float32. */
bdc_nudge_coef bdc_nudge_coef_make(double lr, double q, double decay);

#endif
