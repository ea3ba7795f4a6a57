/* The blocked engine's state, shared by its files: engine.c (set-up,
 * threads, training and test drivers), engine_plan.c (a block's samples
 * and chunks), engine_forward.c (the blocked forward), engine_step.c (the
 * steps of a block, in order).  docs/engine.md explains the design. */
#ifndef BDC_ENGINE_INTERNAL_H
#define BDC_ENGINE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "../kernels/engine_kernels.h"
#include "engine.h"

/* A neuron nudged since the forward sums of the current block were taken. */
typedef struct engine_dirty {
    uint32_t neuron;
    uint32_t nudges; /* how many times */
    /* The first nudge, for the bound on the neuron's new sums: its largest
     * input factor f(amax), its c3, the norm of the sample it moved toward,
     * and the bound's absolute slack. */
    float fmax, c3;
    double norm, slack;
} engine_dirty;

/* Per-thread room for one sample's activations. */
typedef struct engine_scratch {
    uint32_t *cand; /* H: neurons above the forward threshold */
    float *h;       /* H: their GReLU values */
    uint32_t *ecand;/* H: neurons above the label-side threshold */
    float *e;       /* H: their GReLU values */
} engine_scratch;

struct bdc_engine {
    bdc_config cfg;
    int output_grelu;       /* bidir: the prediction is argmax GReLU(h.B) */
    const bdc_kernels *k;
    const bdc_engine_kernels *ek;
    size_t D, H, C;
    size_t Hp;              /* H rounded up to BDC_ENGINE_LANES */
    size_t groups;          /* panels of BDC_ENGINE_GROUP neurons, the last
                               one possibly narrower */
    bdc_engine_opts opts;   /* resolved */

    /* Weights.  `neurons` (H x D, neuron-major) and `label_w` (C x H,
     * class-major) are always current; `panels` (the forward layout, Hp x
     * D in groups) lags for the neurons listed in `pending`. */
    float *neurons, *label_w, *panels;
    float *label_n;         /* H x C: label_w neuron-major, for the prediction */
    uint32_t *pending;      /* sorted */
    size_t npending;
    size_t *group_pending;  /* groups + 1 offsets into pending */

    /* The current block: nsamples samples, their non-zero inputs, and the
     * chunks that cut the input range so that a chunk of a panel stays in
     * L1 while the whole block passes over it. */
    size_t nsamples;
    uint32_t *idx;          /* block * D */
    float *val;
    uint32_t *start;        /* block + 1 */
    int *label;             /* block */
    double *norm;           /* block: Euclidean norm of each sample */
    size_t max_chunks, chunks;
    uint32_t *bounds;       /* max_chunks + 1: chunk c is inputs
                               [bounds[c], bounds[c + 1]) */
    uint32_t *pos;          /* block x (max_chunks + 1): sample s's entries
                               of chunk c start at pos[s * (max_chunks + 1) + c] */
    uint8_t *touched;       /* D */
    float *act;             /* block x Hp: the forward sums */

    /* Neurons nudged since the block's forward sums were taken. */
    engine_dirty *dirty;    /* block */
    size_t ndirty;
    uint32_t *dirty_of;     /* H: 1 + index in dirty, 0 when clean */
    float *stale;           /* block */
    size_t *redo_offset;    /* block */
    uint32_t *redo_neuron;  /* block */
    float *redo_sum;        /* block */
    float *dense;           /* D zeros: one sample, dense, for the nudge */
    float *h_dense, *e_dense; /* H zeros: one step's h and e, for the winner */

    /* The bound that lets a nudged neuron's sum go unrecomputed (engine_step.c). */
    int prune;
    float amax;             /* the largest input value */
    double eps;             /* relative slack of the bound */

    engine_scratch *scratch; /* one per thread */
    bdc_engine_stats stats;
};

/* engine_plan.c: loads samples first, first+1, ... (mod set->count), n of
 * them, into the block and cuts their inputs into chunks. */
void bdc_engine_plan_block(bdc_engine *e, const bdc_samples *set, uint64_t first,
                           size_t n);

/* engine_forward.c: the forward sums of the block for group g, bringing the
 * group's pending panel columns up to date on the way. */
void bdc_engine_forward_group(bdc_engine *e, size_t g);

/* engine_step.c: training step n on block sample t; returns 1 when the
 * prediction made before learning was right. */
int bdc_engine_step(bdc_engine *e, size_t t, uint64_t n);

/* engine_step.c: after the last step of a block, the neurons it nudged
 * become the panels' pending columns. */
void bdc_engine_end_block(bdc_engine *e);

/* engine_step.c: the class predicted for block sample t, from its forward
 * sums alone (no neuron is nudged during a test). */
int bdc_engine_predict(const bdc_engine *e, size_t t, engine_scratch *sc);

#endif
