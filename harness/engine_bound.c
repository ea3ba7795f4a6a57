/* The bound that lets a nudged neuron's forward sum go unrecomputed.
 *
 * Setting: every weight w_i >= 0 and every input >= 0 (engine.c checks
 * when that holds).  A neuron's sum for sample x (values v_i at its
 * non-zero inputs) was S = fl-sum of fl(v_i w_i); then one nudge toward a
 * sample a (inputs a_i <= amax) made w'_i = fl(fl(w_i f_i) + fl(c3 a_i))
 * with f_i = fl(fl(fl(c1 a_i) - c2) + d).  With u = 2^-24, eta = 2^-150
 * (the largest rounding error of a subnormal result) and n <= D terms:
 *
 *  - every rounding of a result z >= 0 lies in [z(1-u) - eta, z(1+u) + eta];
 *  - f_i <= F := f(amax), as each operation of f is monotonic in a_i;
 *  - w'_i <= (1+u)^2 (F w_i + c3 a_i) + 4 eta;
 *  - a float sum of n products of non-negative numbers is within
 *    gamma = n u / (1 - n u) of the exact sum, up to 2 n eta;
 *  - sum v_i a_i <= |x| |a| (Cauchy-Schwarz over all inputs).
 *
 * Hence the new sum S' <= (1 + eps) (F (S + slack) + c3 |x| |a|) + slack
 * with eps = 4 (D + 4) u (at least twice what the chain of factors needs,
 * which also covers the double-precision evaluation of the bound) and
 * slack = (D (2F + 4 amax + 4) + 1) 2^-149 (at least twice the absolute
 * terms).  After several nudges, the bound of each applies to the bound
 * of the one before (composed once, as one affine map): every application
 * multiplies by (1 + eps), which covers the (1+u)^2 of one nudge and, at
 * least once, the two end factors of the sums.  docs/engine.md has the
 * derivation in full. */
#include "engine_internal.h"

double bdc_engine_bound_eps(size_t D)
{
    return 4.0 * ((double)D + 4.0) * 0x1p-24;
}

engine_bound bdc_engine_bound_of(const bdc_nudge_coef *c, float amax, double norm,
                                 size_t D, double eps)
{
    /* f(amax), in the nudge's own float operations. */
    float f = c->c1 * amax;
    f = f - c->c2;
    f = f + c->d;
    const double slack =
        ((double)D * (2.0 * (double)f + 4.0 * (double)amax + 4.0) + 1.0) * 0x1p-149;
    engine_bound r;
    r.a = (1.0 + eps) * (double)f;
    r.b = (1.0 + eps) * (double)c->c3 * norm;
    r.c = (1.0 + eps) * (double)f * slack + slack;
    return r;
}

/* n applied to r's result: n.a (r.a B + r.b |x| + r.c) + n.b |x| + n.c.
 * All terms are positive, so the double roundings of the composition stay
 * within a few 2^-53 of the real bound, far inside eps. */
void bdc_engine_bound_then(engine_bound *r, const engine_bound *n)
{
    r->a = n->a * r->a;
    r->b = n->a * r->b + n->b;
    r->c = n->a * r->c + n->c;
}

