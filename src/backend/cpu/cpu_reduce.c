/* cpu_reduce.c - reductions on the CPU.  The op layer permutes the reduced
 * dims to the end of x (a view, no copy), so each output element reduces
 * one "slice": x's trailing nreduce dims at a base offset.  Float results
 * accumulate in f64; integer sum/prod/max/min in i64.  Memory traffic: one
 * read of every input element (two for var and logsumexp, which need the
 * mean or maximum first) and one write per output element. */
#include <math.h>

#include "cpu.h"

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

int vx_cpu_reduce(VxReduceOp op, VxTensor *dst, const VxTensor *x, int nreduce, double param)
{
    if (vx_tensor_numel(dst) == 0) return 0;
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
