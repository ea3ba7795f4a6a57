/* The engine kernels of the avx2 family (SIMDe AVX2; native with -mavx2,
 * emulated elsewhere): kernels/engine_simd_template.h over the operations
 * of vec_avx2.h, but for three kernels of its own: forward_panel in one
 * pass of constant width (a panel is at most 8 vectors), dot_rows by
 * gathers and above by a packing permutation.  Lane q of a vector performs exactly the scalar operations
 * of output q, in the scalar order, so the bits are scalar's.
 * docs/engine.md explains the choices. */
#include "vec_avx2.h"

#define ENGINE_MAX_VECS 8 /* a panel is at most 8 vectors */
#define ENGINE_OWN_FORWARD_PANEL
#define ENGINE_OWN_DOT_ROWS
#define ENGINE_OWN_ABOVE

#include "../engine_simd_template.h"

/* One pass of constant width over a panel of `nv` vectors (8 * nv
 * neurons): the template's forward_nv with width nv * 8 and column 0,
 * constants after inlining. */
#define BDC_FORWARD(nv)                                                           \
    static __attribute__((noinline)) void forward_##nv(                         \
        const float *panel, const uint32_t *idx, const float *val,             \
        const uint32_t *pos, size_t pos_stride, size_t nsamples, int fresh,    \
        float *out, size_t ldo)                                                \
    {                                                                          \
        forward_nv(panel, (size_t)nv * W, 0, idx, val, pos, pos_stride, nsamples, \
                   fresh, out, ldo, nv);                                        \
    }
BDC_FORWARD(1) BDC_FORWARD(2) BDC_FORWARD(3) BDC_FORWARD(4)
BDC_FORWARD(5) BDC_FORWARD(6) BDC_FORWARD(7) BDC_FORWARD(8)
#undef BDC_FORWARD

static void forward_panel(const float *panel, size_t width, const uint32_t *idx,
                          const float *val, const uint32_t *pos, size_t pos_stride,
                          size_t nsamples, int fresh, float *out, size_t ldo)
{
    typedef void fn(const float *, const uint32_t *, const float *, const uint32_t *,
                    size_t, size_t, int, float *, size_t);
    static fn *const by_vectors[] = {forward_1, forward_2, forward_3, forward_4,
                                     forward_5, forward_6, forward_7, forward_8};
    by_vectors[width / W - 1](panel, idx, val, pos, pos_stride, nsamples, fresh, out, ldo);
}

/* Up to eight rows at once, each its own chain of scalar adds in input
 * order (scalar's operations): the chains are independent, so they run at
 * the latency of one, and each weight is one plain load.  (Gathers, one
 * row per lane, were slower: the calls are short, a few rows over about
 * 150 inputs, and a gather costs many times a load.)  n is a constant
 * after inlining, so the sums stay in registers. */
static inline __attribute__((always_inline)) void
dot_n(const uint32_t *idx, const float *val, size_t nnz, const float *base,
      const size_t *offset, float *out, const int n)
{
    const float *row[8];
    float sum[8];
#pragma GCC unroll 8
    for (int r = 0; r < n; r++) {
        row[r] = base + offset[r];
        sum[r] = 0.0f;
    }
    for (size_t k = 0; k < nnz; k++) {
        const uint32_t i = idx[k];
        const float x = val[k];
#pragma GCC unroll 8
        for (int r = 0; r < n; r++)
            sum[r] = sum[r] + x * row[r][i];
    }
#pragma GCC unroll 8
    for (int r = 0; r < n; r++)
        out[r] = sum[r];
}

static void dot_rows(const uint32_t *idx, const float *val, size_t nnz,
                     const float *base, const size_t *offset, size_t nrows,
                     float *out)
{
    size_t r = 0;
    for (; r + 8 <= nrows; r += 8)
        dot_n(idx, val, nnz, base, offset + r, out + r, 8);
    switch (nrows - r) {
    case 7: dot_n(idx, val, nnz, base, offset + r, out + r, 7); break;
    case 6: dot_n(idx, val, nnz, base, offset + r, out + r, 6); break;
    case 5: dot_n(idx, val, nnz, base, offset + r, out + r, 5); break;
    case 4: dot_n(idx, val, nnz, base, offset + r, out + r, 4); break;
    case 3: dot_n(idx, val, nnz, base, offset + r, out + r, 3); break;
    case 2: dot_n(idx, val, nnz, base, offset + r, out + r, 2); break;
    case 1: dot_n(idx, val, nnz, base, offset + r, out + r, 1); break;
    default: break;
    }
}

/* For each 8-bit mask, the lanes whose bit is set, in order, one byte each
 * (the rest 0): the permutation that packs those lanes to the front. */
static const uint64_t packed_lanes[256] = {
    0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000001ull, 0x0000000000000100ull,
    0x0000000000000002ull, 0x0000000000000200ull, 0x0000000000000201ull, 0x0000000000020100ull,
    0x0000000000000003ull, 0x0000000000000300ull, 0x0000000000000301ull, 0x0000000000030100ull,
    0x0000000000000302ull, 0x0000000000030200ull, 0x0000000000030201ull, 0x0000000003020100ull,
    0x0000000000000004ull, 0x0000000000000400ull, 0x0000000000000401ull, 0x0000000000040100ull,
    0x0000000000000402ull, 0x0000000000040200ull, 0x0000000000040201ull, 0x0000000004020100ull,
    0x0000000000000403ull, 0x0000000000040300ull, 0x0000000000040301ull, 0x0000000004030100ull,
    0x0000000000040302ull, 0x0000000004030200ull, 0x0000000004030201ull, 0x0000000403020100ull,
    0x0000000000000005ull, 0x0000000000000500ull, 0x0000000000000501ull, 0x0000000000050100ull,
    0x0000000000000502ull, 0x0000000000050200ull, 0x0000000000050201ull, 0x0000000005020100ull,
    0x0000000000000503ull, 0x0000000000050300ull, 0x0000000000050301ull, 0x0000000005030100ull,
    0x0000000000050302ull, 0x0000000005030200ull, 0x0000000005030201ull, 0x0000000503020100ull,
    0x0000000000000504ull, 0x0000000000050400ull, 0x0000000000050401ull, 0x0000000005040100ull,
    0x0000000000050402ull, 0x0000000005040200ull, 0x0000000005040201ull, 0x0000000504020100ull,
    0x0000000000050403ull, 0x0000000005040300ull, 0x0000000005040301ull, 0x0000000504030100ull,
    0x0000000005040302ull, 0x0000000504030200ull, 0x0000000504030201ull, 0x0000050403020100ull,
    0x0000000000000006ull, 0x0000000000000600ull, 0x0000000000000601ull, 0x0000000000060100ull,
    0x0000000000000602ull, 0x0000000000060200ull, 0x0000000000060201ull, 0x0000000006020100ull,
    0x0000000000000603ull, 0x0000000000060300ull, 0x0000000000060301ull, 0x0000000006030100ull,
    0x0000000000060302ull, 0x0000000006030200ull, 0x0000000006030201ull, 0x0000000603020100ull,
    0x0000000000000604ull, 0x0000000000060400ull, 0x0000000000060401ull, 0x0000000006040100ull,
    0x0000000000060402ull, 0x0000000006040200ull, 0x0000000006040201ull, 0x0000000604020100ull,
    0x0000000000060403ull, 0x0000000006040300ull, 0x0000000006040301ull, 0x0000000604030100ull,
    0x0000000006040302ull, 0x0000000604030200ull, 0x0000000604030201ull, 0x0000060403020100ull,
    0x0000000000000605ull, 0x0000000000060500ull, 0x0000000000060501ull, 0x0000000006050100ull,
    0x0000000000060502ull, 0x0000000006050200ull, 0x0000000006050201ull, 0x0000000605020100ull,
    0x0000000000060503ull, 0x0000000006050300ull, 0x0000000006050301ull, 0x0000000605030100ull,
    0x0000000006050302ull, 0x0000000605030200ull, 0x0000000605030201ull, 0x0000060503020100ull,
    0x0000000000060504ull, 0x0000000006050400ull, 0x0000000006050401ull, 0x0000000605040100ull,
    0x0000000006050402ull, 0x0000000605040200ull, 0x0000000605040201ull, 0x0000060504020100ull,
    0x0000000006050403ull, 0x0000000605040300ull, 0x0000000605040301ull, 0x0000060504030100ull,
    0x0000000605040302ull, 0x0000060504030200ull, 0x0000060504030201ull, 0x0006050403020100ull,
    0x0000000000000007ull, 0x0000000000000700ull, 0x0000000000000701ull, 0x0000000000070100ull,
    0x0000000000000702ull, 0x0000000000070200ull, 0x0000000000070201ull, 0x0000000007020100ull,
    0x0000000000000703ull, 0x0000000000070300ull, 0x0000000000070301ull, 0x0000000007030100ull,
    0x0000000000070302ull, 0x0000000007030200ull, 0x0000000007030201ull, 0x0000000703020100ull,
    0x0000000000000704ull, 0x0000000000070400ull, 0x0000000000070401ull, 0x0000000007040100ull,
    0x0000000000070402ull, 0x0000000007040200ull, 0x0000000007040201ull, 0x0000000704020100ull,
    0x0000000000070403ull, 0x0000000007040300ull, 0x0000000007040301ull, 0x0000000704030100ull,
    0x0000000007040302ull, 0x0000000704030200ull, 0x0000000704030201ull, 0x0000070403020100ull,
    0x0000000000000705ull, 0x0000000000070500ull, 0x0000000000070501ull, 0x0000000007050100ull,
    0x0000000000070502ull, 0x0000000007050200ull, 0x0000000007050201ull, 0x0000000705020100ull,
    0x0000000000070503ull, 0x0000000007050300ull, 0x0000000007050301ull, 0x0000000705030100ull,
    0x0000000007050302ull, 0x0000000705030200ull, 0x0000000705030201ull, 0x0000070503020100ull,
    0x0000000000070504ull, 0x0000000007050400ull, 0x0000000007050401ull, 0x0000000705040100ull,
    0x0000000007050402ull, 0x0000000705040200ull, 0x0000000705040201ull, 0x0000070504020100ull,
    0x0000000007050403ull, 0x0000000705040300ull, 0x0000000705040301ull, 0x0000070504030100ull,
    0x0000000705040302ull, 0x0000070504030200ull, 0x0000070504030201ull, 0x0007050403020100ull,
    0x0000000000000706ull, 0x0000000000070600ull, 0x0000000000070601ull, 0x0000000007060100ull,
    0x0000000000070602ull, 0x0000000007060200ull, 0x0000000007060201ull, 0x0000000706020100ull,
    0x0000000000070603ull, 0x0000000007060300ull, 0x0000000007060301ull, 0x0000000706030100ull,
    0x0000000007060302ull, 0x0000000706030200ull, 0x0000000706030201ull, 0x0000070603020100ull,
    0x0000000000070604ull, 0x0000000007060400ull, 0x0000000007060401ull, 0x0000000706040100ull,
    0x0000000007060402ull, 0x0000000706040200ull, 0x0000000706040201ull, 0x0000070604020100ull,
    0x0000000007060403ull, 0x0000000706040300ull, 0x0000000706040301ull, 0x0000070604030100ull,
    0x0000000706040302ull, 0x0000070604030200ull, 0x0000070604030201ull, 0x0007060403020100ull,
    0x0000000000070605ull, 0x0000000007060500ull, 0x0000000007060501ull, 0x0000000706050100ull,
    0x0000000007060502ull, 0x0000000706050200ull, 0x0000000706050201ull, 0x0000070605020100ull,
    0x0000000007060503ull, 0x0000000706050300ull, 0x0000000706050301ull, 0x0000070605030100ull,
    0x0000000706050302ull, 0x0000070605030200ull, 0x0000070605030201ull, 0x0007060503020100ull,
    0x0000000007060504ull, 0x0000000706050400ull, 0x0000000706050401ull, 0x0000070605040100ull,
    0x0000000706050402ull, 0x0000070605040200ull, 0x0000070605040201ull, 0x0007060504020100ull,
    0x0000000706050403ull, 0x0000070605040300ull, 0x0000070605040301ull, 0x0007060504030100ull,
    0x0000070605040302ull, 0x0007060504030200ull, 0x0007060504030201ull, 0x0706050403020100ull,
};

/* Branch-free: every vector's indices are packed and stored whole (the
 * store at count <= i never passes the last element); count advances by
 * the number of lanes above t.  A store that would straddle a page
 * boundary (very slow, and with few candidates it would recur for many
 * vectors in a row) goes through a small buffer instead: the loop runs in
 * stretches that provably stay clear of the next boundary (count grows by
 * at most 8 per vector), checking only between them. */
static size_t above(const float *v, size_t n, float t, uint32_t *idx)
{
    const simde__m256 tv = simde_mm256_set1_ps(t);
    const simde__m256i eight = simde_mm256_set1_epi32(W);
    simde__m256i at = simde_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    size_t count = 0, i = 0;
    while (i + W <= n) {
        const size_t room = 4096 - ((uintptr_t)(idx + count) & 4095); /* bytes */
        size_t stretch = room >= 2 * sizeof(simde__m256i) ? (room - sizeof(simde__m256i)) / sizeof(simde__m256i) : 0;
        if (stretch > (n - i) / W)
            stretch = (n - i) / W;
        for (size_t s = 0; s < stretch; s++, i += W) {
            const unsigned mask = (unsigned)simde_mm256_movemask_ps(
                simde_mm256_cmp_ps(simde_mm256_loadu_ps(v + i), tv, SIMDE_CMP_GT_OQ));
            const simde__m256i perm = simde_mm256_cvtepu8_epi32(
                simde_mm_cvtsi64_si128((int64_t)packed_lanes[mask]));
            simde_mm256_storeu_si256(idx + count, simde_mm256_permutevar8x32_epi32(at, perm));
            at = simde_mm256_add_epi32(at, eight);
            count += (size_t)__builtin_popcount(mask);
        }
        if (stretch == 0 && i + W <= n) { /* near a boundary: one vector, buffered */
            const unsigned mask = (unsigned)simde_mm256_movemask_ps(
                simde_mm256_cmp_ps(simde_mm256_loadu_ps(v + i), tv, SIMDE_CMP_GT_OQ));
            const simde__m256i perm = simde_mm256_cvtepu8_epi32(
                simde_mm_cvtsi64_si128((int64_t)packed_lanes[mask]));
            uint32_t lane[W];
            simde_mm256_storeu_si256(lane, simde_mm256_permutevar8x32_epi32(at, perm));
            const unsigned found = (unsigned)__builtin_popcount(mask);
            for (unsigned l = 0; l < found; l++)
                idx[count + l] = lane[l];
            at = simde_mm256_add_epi32(at, eight);
            count += found;
            i += W;
        }
    }
    for (; i < n; i++) {
        idx[count] = (uint32_t)i;
        count += v[i] > t;
    }
    return count;
}

const bdc_engine_kernels bdc_engine_kernels_avx2 = {
    .forward_panel = forward_panel,
    .dot_rows = dot_rows,
    .max_scan = max_scan,
    .above = above,
    .grelu_at = grelu_at,
};
