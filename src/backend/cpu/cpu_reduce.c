/* cpu_reduce.c - reductions on the CPU.  The op layer permutes the reduced
 * dims to the end of x (a view, no copy), so each output element reduces
 * one "slice": x's trailing nreduce dims at a base offset.  Float results
 * accumulate in f64; integer sum/prod/max/min in i64.  Memory traffic: one
 * read of every input element (two for var and logsumexp, which need the
 * mean or maximum first) and one write per output element. */
#include <math.h>

#include "cpu.h"
#include "cpu_nn.h"

typedef struct Slice {
    const VxTensor *x;
    VxIter it;                              /* template over the reduced dims */
    int64_t n;                              /* elements in a slice */
} Slice;

static void slice_init(Slice *s, const VxTensor *x, int nreduce)
{
    s->x = x;
    s->it = (VxIter){ .ndim = nreduce, .nops = 1 };
    s->n = 1;
    for (int d = 0; d < nreduce; d++) {
        s->it.shape[d] = x->shape[x->ndim - nreduce + d];
        s->it.strides[0][d] = x->strides[x->ndim - nreduce + d];
        s->n *= s->it.shape[d];
    }
}

/* Start iterating the slice at element offset base. */
static VxIter slice_at(const Slice *s, int64_t base)
{
    VxIter it = s->it;
    it.off[0] = base;
    return it;
}

static double slice_sum(const Slice *s, int64_t base, double shift, int squares)
{
    double acc = 0;
    if (!s->n) return 0;
    VxIter it = slice_at(s, base);
    do {
        double v = vx__load_f64(s->x->storage->data, s->x->dtype, it.off[0]) - shift;
        acc += squares == 2 ? v * v : squares == 1 ? exp(v) : v;
    } while (vx__iter_next(&it));
    return acc;
}

/* The extreme element and its index within the slice (first one wins;
 * NaN beats everything, as in torch). */
static double slice_extreme(const Slice *s, int64_t base, bool want_max, int64_t *where)
{
    double best = want_max ? -INFINITY : INFINITY;
    *where = 0;
    if (!s->n) return NAN;
    VxIter it = slice_at(s, base);
    int64_t i = 0;
    do {
        double v = vx__load_f64(s->x->storage->data, s->x->dtype, it.off[0]);
        if (best == best && (v != v || (want_max ? v > best : v < best))) { best = v; *where = i; }
        i++;
    } while (vx__iter_next(&it));
    return best;
}

static double slice_prod(const Slice *s, int64_t base)
{
    double acc = 1;
    if (!s->n) return 1;
    VxIter it = slice_at(s, base);
    do acc *= vx__load_f64(s->x->storage->data, s->x->dtype, it.off[0]);
    while (vx__iter_next(&it));
    return acc;
}

static double reduce_float(VxReduceOp op, const Slice *s, int64_t base, double param)
{
    int64_t at;
    switch (op) {
    case VX_RED_SUM: return slice_sum(s, base, 0, 0);
    case VX_RED_MEAN: return slice_sum(s, base, 0, 0) / (double)s->n;
    case VX_RED_PROD: return slice_prod(s, base);
    case VX_RED_MAX: return slice_extreme(s, base, true, &at);
    case VX_RED_MIN: return slice_extreme(s, base, false, &at);
    case VX_RED_ARGMAX: slice_extreme(s, base, true, &at); return (double)at;
    case VX_RED_ARGMIN: slice_extreme(s, base, false, &at); return (double)at;
    case VX_RED_VAR: {
        double mean = slice_sum(s, base, 0, 0) / (double)s->n;
        return slice_sum(s, base, mean, 2) / ((double)s->n - param);
    }
    default: {                              /* logsumexp, shifted by the max for range */
        double m = slice_extreme(s, base, true, &at);
        if (isinf(m) || m != m) return m;
        return m + log(slice_sum(s, base, m, 1));
    }
    }
}

/* Exact integer sum / prod / max / min. */
static int64_t reduce_int(VxReduceOp op, const Slice *s, int64_t base)
{
    int64_t acc = op == VX_RED_PROD ? 1 : op == VX_RED_MAX ? INT64_MIN : op == VX_RED_MIN ? INT64_MAX : 0;
    if (!s->n) return acc;
    VxIter it = slice_at(s, base);
    do {
        int64_t v = vx__load_i64(s->x->storage->data, s->x->dtype, it.off[0]);
        if (op == VX_RED_SUM) acc = (int64_t)((uint64_t)acc + (uint64_t)v);
        else if (op == VX_RED_PROD) acc = (int64_t)((uint64_t)acc * (uint64_t)v);
        else if (op == VX_RED_MAX) acc = v > acc ? v : acc;
        else acc = v < acc ? v : acc;
    } while (vx__iter_next(&it));
    return acc;
}

/* ---- sum / mean of f32 and f64 in memory order ------------------------------
 * x is walked in runs (cpu_loop.c) with its dims ordered by stride, so
 * that a reduction over leading dims (a bias gradient: [B, T, n] -> [n])
 * reads memory sequentially and adds whole rows into an f64 accumulator
 * row, and one over the last dim is a contiguous dot-free sum. */

/* acc[i * sa] += x[i * sx] for one run; sa == 0 sums the run into acc[0]. */
#define SUM_RUN(T, NAME)                                                                   \
    static void NAME(double *acc, const T *x, int64_t n, int64_t sa, int64_t sx)           \
    {                                                                                      \
        if (sa == 0) {                                                                     \
            double t = 0;                                                                  \
            if (sx == 1) for (int64_t i = 0; i < n; i++) t += x[i];                        \
            else for (int64_t i = 0; i < n; i++) t += x[i * sx];                           \
            acc[0] += t;                                                                   \
        } else if (sa == 1 && sx == 1) {                                                   \
            for (int64_t i = 0; i < n; i++) acc[i] += x[i];                                \
        } else {                                                                           \
            for (int64_t i = 0; i < n; i++) acc[i * sa] += x[i * sx];                      \
        }                                                                                  \
    }
SUM_RUN(float, sum_run_f32)
SUM_RUN(double, sum_run_f64)

/* Headers over x and over the accumulator (contiguous over the kept dims,
 * stride 0 over the reduced ones) with dims sorted by x's stride, largest
 * first. */
static void memory_order(const VxTensor *x, int nkeep, VxTensor *xs, VxTensor *as)
{
    int order[VX_MAX_DIMS];
    int64_t ast[VX_MAX_DIMS], step = 1;
    for (int d = x->ndim - 1; d >= 0; d--) {
        ast[d] = d < nkeep ? step : 0;
        if (d < nkeep) step *= x->shape[d];
    }
    for (int d = 0; d < x->ndim; d++) {
        int j = d;
        for (; j > 0 && x->strides[order[j - 1]] < x->strides[d]; j--) order[j] = order[j - 1];
        order[j] = d;
    }
    *xs = *x;
    *as = *x;
    as->offset = 0;
    for (int d = 0; d < x->ndim; d++) {
        xs->shape[d] = as->shape[d] = x->shape[order[d]];
        xs->strides[d] = x->strides[order[d]];
        as->strides[d] = ast[order[d]];
    }
}

static bool sum_fast(VxReduceOp op, VxTensor *dst, const VxTensor *x, int nreduce, int *rc)
{
    if ((op != VX_RED_SUM && op != VX_RED_MEAN) || !vx_dtype_is_float(dst->dtype) ||
        (x->dtype != VX_F32 && x->dtype != VX_F64))
        return false;
    int64_t m = vx_tensor_numel(dst), n = m ? vx_tensor_numel(x) / m : 0;
    double *acc = vx__scratch(m);           /* zeroed (counted calloc) */
    if (!acc) { *rc = -1; return true; }
    VxTensor xs, as;
    memory_order(x, x->ndim - nreduce, &xs, &as);
    const VxTensor *ops[2] = { &as, &xs };
    VxLoop l;
    vx__loop_init(&l, &xs, ops, 2);
    do {
        if (n == 0) break;
        if (x->dtype == VX_F32)
            sum_run_f32(acc + l.outer.off[0], (const float *)x->storage->data + l.outer.off[1], l.n, l.st[0], l.st[1]);
        else
            sum_run_f64(acc + l.outer.off[0], (const double *)x->storage->data + l.outer.off[1], l.n, l.st[0], l.st[1]);
    } while (vx__iter_next(&l.outer));
    const VxTensor *dops[1] = { dst };
    VxIter it;
    vx__iter_init(&it, dst, dops, 1);
    int64_t j = 0;
    do vx__store_f64(dst->storage->data, dst->dtype, it.off[0], op == VX_RED_MEAN ? acc[j] / (double)n : acc[j]);
    while (++j, vx__iter_next(&it));
    vx__scratch_free(acc, m);
    *rc = 0;
    return true;
}

int vx_cpu_reduce(VxReduceOp op, VxTensor *dst, const VxTensor *x, int nreduce, double param)
{
    if (vx_tensor_numel(dst) == 0) return 0;
    int rc;
    if (sum_fast(op, dst, x, nreduce, &rc)) return rc;
    Slice s;
    slice_init(&s, x, nreduce);
    const VxTensor *ops[2] = { dst, x };
    VxIter it;
    vx__iter_init(&it, dst, ops, 2);        /* x's leading dims are dst's */
    bool exact = !vx_dtype_is_float(dst->dtype) && op != VX_RED_ARGMAX && op != VX_RED_ARGMIN;
    do {
        if (exact) vx__store_i64(dst->storage->data, dst->dtype, it.off[0], reduce_int(op, &s, it.off[1]));
        else vx__store_f64(dst->storage->data, dst->dtype, it.off[0], reduce_float(op, &s, it.off[1], param));
    } while (vx__iter_next(&it));
    return 0;
}
