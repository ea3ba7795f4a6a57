/* The price list of the kernel operations: what one call costs, in the
 * units of bdc_cost.  docs/methodology.md derives each line from the
 * operation's definition in kernels/kernels.h. */
#include "model.h"

void bdc_cost_activate(bdc_cost *c, size_t nnz, size_t inputs, size_t outputs)
{
    c->dense_macs += (uint64_t)inputs * outputs;
    c->macs += (uint64_t)nnz * outputs;
    c->weight_bytes_read += (uint64_t)nnz * outputs * sizeof(float);
}

/* max scan (n comparisons), t and m2 (2), then per element a subtraction,
 * a division and the clamp at 0 (3n). */
void bdc_cost_grelu(bdc_cost *c, size_t n)
{
    c->elementwise_flops += 4 * (uint64_t)n + 2;
}

/* alpha*h + beta*e per element (3n), then n - 1 comparisons. */
void bdc_cost_winner(bdc_cost *c, size_t n)
{
    c->elementwise_flops += 4 * (uint64_t)n - 1;
}

/* f = (c1*a - c2) + d; w = w*f; w = w + c3*a: six operations per element,
 * each weight read and written once. */
void bdc_cost_nudge(bdc_cost *c, size_t n)
{
    c->elementwise_flops += 6 * (uint64_t)n;
    c->weight_bytes_read += (uint64_t)n * sizeof(float);
    c->weight_bytes_written += (uint64_t)n * sizeof(float);
}

/* acc = acc + val*g per sample and output (the MACs: they read gradients,
 * not weights), then w = w - c*acc: two operations per output, each
 * weight read and written once.  Nominally every sample of the batch is an
 * input. */
void bdc_cost_update(bdc_cost *c, size_t nnz, size_t inputs, size_t n)
{
    c->dense_macs += (uint64_t)inputs * n;
    c->macs += (uint64_t)nnz * n;
    c->elementwise_flops += 2 * (uint64_t)n;
    c->weight_bytes_read += (uint64_t)n * sizeof(float);
    c->weight_bytes_written += (uint64_t)n * sizeof(float);
}

/* The max (n - 1 comparisons); per class a subtraction, an exponential, an
 * addition to the sum, a division and the subtraction of the one-hot
 * target. */
void bdc_cost_softmax(bdc_cost *c, size_t n)
{
    c->elementwise_flops += (uint64_t)n * (4 + BDC_EXP_FLOPS) + (n - 1);
}

bdc_cost bdc_cost_sub(const bdc_cost *a, const bdc_cost *b)
{
    bdc_cost d;
    d.samples = a->samples - b->samples;
    d.dense_macs = a->dense_macs - b->dense_macs;
    d.macs = a->macs - b->macs;
    d.elementwise_flops = a->elementwise_flops - b->elementwise_flops;
    d.weight_bytes_read = a->weight_bytes_read - b->weight_bytes_read;
    d.weight_bytes_written = a->weight_bytes_written - b->weight_bytes_written;
    d.memory_bytes = a->memory_bytes;
    return d;
}

uint64_t bdc_cost_flops(const bdc_cost *c)
{
    return 2 * c->macs + c->elementwise_flops;
}

uint64_t bdc_cost_dense_flops(const bdc_cost *c)
{
    return 2 * c->dense_macs + c->elementwise_flops;
}
