/* The blocked engine's state, shared by its files: engine.c (set-up,
 * threads, the training and test schedules), engine_plan.c (a block's
 * samples and chunks), engine_forward.c (the blocked forward),
 * engine_step.c (the steps of a block, in order), engine_bound.c (the
 * bound on a nudged neuron's sum).  docs/engine.md explains the design. */
#ifndef BDC_ENGINE_INTERNAL_H
#define BDC_ENGINE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "../kernels/engine_kernels.h"
#include "engine.h"

/* The classes rounded up to whole 4-float vectors: a row of label_n. */
#define LABEL_STRIDE ((BDC_CLASSES + 3) / 4 * 4)

/* A planned block: its samples' non-zero inputs side by side, the chunks
 * that cut the input range (a chunk of a panel stays in L1 while the whole
 * block passes over it), and the forward sums once computed. */
typedef struct engine_block {
    size_t nsamples;
    uint64_t first;         /* the step (training) or index (test) of sample 0 */
    uint32_t *idx;          /* capacity block * D */
    float *val;
    uint32_t *start;        /* block + 1 */
    int *label;             /* block */
    double *norm;           /* block: the Euclidean norm of each sample */
    size_t chunks;
    uint32_t *bounds;       /* max_chunks + 1: chunk c is inputs [bounds[c], bounds[c+1]) */
    uint32_t *pos;          /* block x (max_chunks + 1): sample s's entries of
                               chunk c begin at pos[s * (max_chunks + 1) + c] */
    float *act;             /* block x Hp: the forward sums */
} engine_block;

/* The weight rows of the neurons a block nudged, as they were at its end:
 * what the panels take in before the forward of the block after next. */
typedef struct engine_rows {
    size_t count;
    uint32_t *neuron;       /* block, ascending */
    float *rows;            /* block x D, in the order of neuron */
    size_t *group_first;    /* groups + 1 offsets into neuron */
} engine_rows;

/* A bound on the new sums of a nudged neuron: for a sample x, a sum that
 * was at most B before is at most a * B + b * |x| + c after (one nudge,
 * or several composed; engine_bound.c). */
typedef struct engine_bound {
    double a, b, c;
} engine_bound;

/* The neurons nudged since the forward sums of the block being stepped
 * were taken, in one block (the previous one or the current one), with
 * the bound of every nudge each entry speaks for.  Structure of arrays: a
 * step reads all the neurons, then all the bounds, in order.  Entries
 * [0, n) are settled by the steps.  The current block's neurons that the
 * previous block also lists (whose entry there speaks for them while
 * stepping) are kept apart at the top, [cap - nshadow, cap), for the block
 * after. */
typedef struct engine_dirty {
    size_t n, nshadow, cap;
    uint32_t *neuron;       /* cap each */
    double *a, *b, *c;      /* the bound a * S + b * |x| + c (engine_bound) */
} engine_dirty;

/* The label side's GReLU of one class, kept from step to step: a step
 * changes one neuron's label weights, which leaves the maximum, and so the
 * threshold, alone nearly always; then only that neuron's place in the
 * list can change.  Otherwise the entry is recomputed when next needed. */
typedef struct engine_label_grelu {
    int valid;
    float m;                /* the row's largest number */
    int nan;                /* the row holds a NaN: GReLU gives zeros */
    float t, m2;            /* GReLU's threshold and divisor, when active */
    int active;             /* m finite and > 0, m2 > 0, no NaN */
    size_t count;
    uint32_t *cand;         /* H: the neurons above t, ascending */
    float *e;               /* H: their GReLU values */
    float *dense;           /* H: the same values by neuron, +0.0f elsewhere
                               (for the winner); follows the list as it was
                               last valid */
} engine_label_grelu;

/* Per-thread room for one sample's activations. */
typedef struct engine_scratch {
    uint32_t *cand;         /* H: neurons above the forward threshold */
    float *h;               /* H: their GReLU values */
    bdc_cost infer;         /* the predictions this thread made */
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
    size_t max_chunks;
    bdc_engine_opts opts;   /* resolved */

    /* Weights.  `neurons` (H x D, neuron-major) and `label_w` / `label_n`
     * (class-major / neuron-major, rows of LABEL_STRIDE, the rest zero) are
     * always current; `panels` (the forward layout, Hp x D in groups) lag
     * by up to two blocks. */
    float *neurons, *label_w, *label_n, *panels;

    /* Two of each, used alternately: while one block is stepped, the next
     * one's forward sums are computed. */
    engine_block block[2];
    engine_rows rows[2];
    uint8_t *touched;       /* D, for planning */
    /* The norms of the training set's samples, each computed the first
     * time a training call plans it: a sample's norm never changes.  An
     * entry is current when its stamp is the call's. */
    const bdc_samples *norm_set; /* the set of the current training call */
    double *norm_cache;     /* norm_cap */
    uint32_t *norm_stamp;   /* norm_cap */
    size_t norm_cap;
    uint32_t norm_call;     /* stamp of the current training call */

    /* The neurons nudged in the previous block and in the current one. */
    engine_dirty prev, cur;  /* capacity block each */
    uint32_t *prev_of, *cur_of; /* H: 1 + index in prev / cur, 0 when absent */

    /* Room for one step. */
    float *stale;           /* 2 x block */
    size_t *redo_offset;    /* 2 x block */
    uint32_t *redo_neuron;  /* 2 x block */
    float *redo_sum;        /* 2 x block */
    float *dense[2];        /* D zeros each: a step's sample, dense, for the
                               bound and the nudge (steps alternate) */
    /* The image-side nudge of a step is applied during the next one, once
     * the winner's row has had time to arrive in cache. */
    int pending;
    uint32_t pending_neuron;
    bdc_nudge_coef pending_coef;
    const engine_block *pending_block;
    size_t pending_t;
    engine_label_grelu label_grelu[BDC_CLASSES];

    int prune;              /* the bound holds for this configuration */
    float amax;             /* the largest input value */
    double eps;             /* relative slack of the bound */

    engine_scratch *scratch; /* one per thread */
    bdc_engine_stats stats;
    bdc_cost train_cost, infer_cost; /* as the per-sample learner counts them */
    bdc_engine_progress *progress;
    void *progress_ctx;
};

/* engine_plan.c: loads samples first, first+1, ... (mod set->count), n of
 * them, into b and cuts their inputs into chunks. */
void bdc_engine_plan_block(bdc_engine *e, engine_block *b, const bdc_samples *set,
                           uint64_t first, size_t n);

/* engine_plan.c: the same for a test, without the norms (a test never
 * nudges). */
void bdc_engine_plan_test_block(bdc_engine *e, engine_block *b, const bdc_samples *set,
                                uint64_t first, size_t n);

/* engine_plan.c: the block of the one sample s, step (or index) n. */
void bdc_engine_plan_sample(bdc_engine *e, engine_block *b, const bdc_sample *s, uint64_t n);

/* engine_forward.c: b's forward sums for group g.  When `sync` is given,
 * its rows first replace the panel columns of its neurons in the group,
 * chunk by chunk, just before each chunk is used. */
void bdc_engine_forward_group(bdc_engine *e, engine_block *b, const engine_rows *sync,
                              size_t g);

/* engine_forward.c: the panel columns of every neuron listed in rows[0]
 * and rows[1] from the current weights; both lists end empty. */
void bdc_engine_sync_panels(bdc_engine *e);

/* engine_step.c: block sample t's non-zero inputs into e->dense[t & 1]
 * (zeros elsewhere), for its bound and its image-side nudge. */
void bdc_engine_dense_sample(bdc_engine *e, const engine_block *b, size_t t);

/* engine_step.c: the image-side nudge left pending by the last step,
 * toward its dense sample, which is then cleared back to zeros. */
void bdc_engine_apply_pending(bdc_engine *e);

/* engine_step.c: the nudges of step t (block sample t) whose winner is
 * win: the winner's label weights toward the one-hot label now (kept in
 * label_w and label_n, the label side's GReLU lists told), its image
 * weights left pending for the next step while its row is fetched.
 * Returns the image side's coefficients. */
bdc_nudge_coef bdc_engine_nudge(bdc_engine *e, const engine_block *b, size_t t, size_t win);

/* engine_step.c: the training step of block sample t (step b->first + t);
 * returns the class it predicted before learning. */
int bdc_engine_step(bdc_engine *e, const engine_block *b, size_t t);

/* engine_step.c: GReLU of v[0..n) (spec), kept sparse: the indices j with
 * v[j] > t, the only ones whose output can differ from +0.0f, and their
 * outputs; m is max(v), nan whether some v is NaN.  Returns how many. */
size_t bdc_engine_grelu_sparse(const bdc_engine_kernels *ek, const float *v, size_t n,
                               float m, int nan, uint32_t *idx, float *out);

/* engine_step.c: the spec's winner over the two candidate lists: the
 * forward GReLU's (hc, hv: nh neurons ascending, their values) and the
 * label side's (ec, evl: ne, the same), with ev the label side dense (H
 * floats, zero outside its list). */
size_t bdc_engine_winner(const bdc_engine *e, const uint32_t *hc, const float *hv, size_t nh,
                         const uint32_t *ec, const float *evl, size_t ne, const float *ev);

/* engine_step.c: after the last step of a block: its nudged neurons' rows
 * go to `out`, and they become the previous block's. */
void bdc_engine_end_block(bdc_engine *e, engine_rows *out);

/* engine_step.c: the class predicted for block sample t from its forward
 * sums alone (nothing is nudged during a test); its cost goes to sc. */
int bdc_engine_predict(const bdc_engine *e, const engine_block *b, size_t t,
                       engine_scratch *sc);

/* engine_step.c: the cost of one forward pass with nnz non-zero inputs
 * and nnz_h non-zero hidden activations: bdc_cost's formulas, as the
 * per-sample learners add them, plus the multiply-adds of the padding
 * lanes of the panels (the engine executes those too). */
void bdc_engine_forward_cost(const bdc_engine *e, bdc_cost *c, size_t nnz, size_t nnz_h);

/* engine_bound.c: the bound of one nudge with coefficients c toward a
 * sample of Euclidean norm `norm`, inputs <= amax, at most D of them. */
engine_bound bdc_engine_bound_of(const bdc_nudge_coef *c, float amax, double norm,
                                 size_t D, double eps);

/* engine_bound.c: bound r, then one more nudge bounded by n. */
void bdc_engine_bound_then(engine_bound *r, const engine_bound *n);


/* engine_bound.c: the relative slack for sums of at most D products. */
double bdc_engine_bound_eps(size_t D);

/* The bound r on a sum that was at most `before`, for a sample of norm
 * `norm`. */
static inline double bdc_engine_bound_abc(double a, double b, double c, double before,
                                          double norm)
{
    return a * before + b * norm + c;
}

static inline double bdc_engine_bound(const engine_bound *r, double before, double norm)
{
    return bdc_engine_bound_abc(r->a, r->b, r->c, before, norm);
}

#endif
