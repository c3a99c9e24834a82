/* cpu_index.c - gather, scatter_add and cumsum on the CPU, and the CPU's
 * VxShapeKernels table.  gather and scatter_add walk the index tensor's
 * shape with an odometer whose third operand is the indexed tensor with
 * stride 0 along dim, so the indexed element is that offset plus
 * index * stride.  Float elements move through f64, integers through i64
 * (exact).  Memory traffic: one read of index and of the source element,
 * one write (scatter_add: a read and a write) per index element; cumsum
 * reads and writes each element once. */
#include "cpu_shape.h"

/* dst[doff] = src[soff] (add: +=), exact for integers. */
static void move(const VxTensor *dst, int64_t doff, const VxTensor *src, int64_t soff, bool add)
{
    void *d = dst->storage->data;
    const void *s = src->storage->data;
    if (vx_dtype_is_float(dst->dtype)) {
        double v = vx__load_f64(s, src->dtype, soff);
        vx__store_f64(d, dst->dtype, doff, add ? vx__load_f64(d, dst->dtype, doff) + v : v);
    } else {
        int64_t v = vx__load_i64(s, src->dtype, soff);
        vx__store_i64(d, dst->dtype, doff, add ? vx__load_i64(d, dst->dtype, doff) + v : v);
    }
}

/* t's header with stride 0 along dim: the odometer then yields the
 * offset of index 0 along dim. */
static VxTensor flat_along(const VxTensor *t, int dim)
{
    VxTensor v = *t;
    if (dim < v.ndim) v.strides[dim] = 0;
    return v;
}

int vx_cpu_gather(VxTensor *dst, const VxTensor *src, int dim, const VxTensor *index)
{
    if (vx_tensor_numel(dst) == 0) return 0;
    VxTensor s0 = flat_along(src, dim);
    const VxTensor *ops[3] = { dst, index, &s0 };
    int64_t step = src->ndim ? src->strides[dim] : 0;
    VxIter it;
    vx__iter_init(&it, index, ops, 3);
    do {
        int64_t i = vx__load_i64(index->storage->data, index->dtype, it.off[1]);
        move(dst, it.off[0], src, it.off[2] + i * step, false);
    } while (vx__iter_next(&it));
    return 0;
}

int vx_cpu_scatter_add(VxTensor *dst, int dim, const VxTensor *index, const VxTensor *src)
{
    if (vx_tensor_numel(index) == 0) return 0;
    VxTensor d0 = flat_along(dst, dim);
    const VxTensor *ops[3] = { &d0, index, src };
    int64_t step = dst->ndim ? dst->strides[dim] : 0;
    VxIter it;
    vx__iter_init(&it, index, ops, 3);
    do {
        int64_t i = vx__load_i64(index->storage->data, index->dtype, it.off[1]);
        move(dst, it.off[0] + i * step, src, it.off[2], true);
    } while (vx__iter_next(&it));
    return 0;
}

void vx__lanes_init(VxLanes *l, const VxTensor *t, int dim, const VxTensor *const *ops, int nops)
{
    VxTensor shape = *t;
    l->len = t->ndim ? t->shape[dim] : 1;
    if (t->ndim) shape.shape[dim] = 1;
    vx__iter_init(&l->it, &shape, ops, nops);
    l->done = vx_tensor_numel(t) == 0;
}

bool vx__lanes_next(VxLanes *l) { return !l->done && (l->done = !vx__iter_next(&l->it), !l->done); }

int vx_cpu_cumsum(VxTensor *dst, const VxTensor *src, int dim, bool reverse)
{
    const VxTensor *ops[2] = { dst, src };
    VxLanes l;
    vx__lanes_init(&l, dst, dim, ops, 2);
    if (l.done) return 0;
    int64_t sd = dst->ndim ? dst->strides[dim] : 0, ss = src->ndim ? src->strides[dim] : 0;
    bool fl = vx_dtype_is_float(dst->dtype);
    do {
        double acc = 0;
        int64_t iacc = 0;
        for (int64_t k = 0; k < l.len; k++) {
            int64_t j = reverse ? l.len - 1 - k : k, so = l.it.off[1] + j * ss, dof = l.it.off[0] + j * sd;
            if (fl) vx__store_f64(dst->storage->data, dst->dtype, dof, acc += vx__load_f64(src->storage->data, src->dtype, so));
            else vx__store_i64(dst->storage->data, dst->dtype, dof, iacc += vx__load_i64(src->storage->data, src->dtype, so));
        }
    } while (vx__lanes_next(&l));
    return 0;
}

const VxShapeKernels vx_cpu_shape_kernels = {
    .gather = vx_cpu_gather,
    .scatter_add = vx_cpu_scatter_add,
    .cumsum = vx_cpu_cumsum,
    .sort = vx_cpu_sort,
    .im2col = vx_cpu_im2col,
    .col2im = vx_cpu_col2im,
    .max_pool2d = vx_cpu_max_pool2d,
};
