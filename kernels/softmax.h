/* Softmax with cross-entropy, shared by every kernel family.
 *
 * The element-wise exponential is not a family kernel: one portable double
 * implementation (bdc_exp_nonpositive) serves all of them, built from IEEE
 * additions, multiplications and exact scalings only, so it gives the same
 * bits on every CPU and with every C library.  See docs/mlp.md. */
#ifndef BDC_SOFTMAX_H
#define BDC_SOFTMAX_H

#include <stddef.h>

/* e^x for x <= 0 (and NaN for NaN), within a few units in the last place of
 * the exact value; +0.0 below about -745.  Uses no libm function. */
double bdc_exp_nonpositive(double x);

/* The gradient of the cross-entropy of softmax(z) at the class `label`, with
 * respect to the logits z[0..n):
 *   m = max(z);  e_c = exp((double)z_c - (double)m);  S = sum e_c (c ascending);
 *   g[c] = (float)(e_c / S - (c == label))
 * all in double, each g rounded once to float32.  n >= 1. */
void bdc_softmax_xent_grad(const float *z, size_t n, size_t label, float *g);

#endif
