/* ops_sort.c - cumsum, sort and topk.  cumsum's backward is the reverse
 * running sum of the gradient; sort and topk save their indices and
 * scatter the gradient of the values back to where they came from. */
#include "shape_internal.h"

static VxTensor *cumsum_raw(VxTensor *t, int dim, bool reverse, VxDtype dt)
{
    const VxShapeKernels *sk = VX_SHAPE_KERNELS(t, cumsum);
    VxTensor *out = sk ? vx__new(t->shape, t->ndim, dt, t->device) : NULL;
    if (out && sk->cumsum(out, t, dim, reverse) < 0) { vx_tensor_release(out); return NULL; }
    return out;
}

static VxTensor *bw_cumsum(VxNode *n, VxTensor *g, int i) { (void)i; return cumsum_raw(g, n->ip[0], true, g->dtype); }

VxTensor *vx_cumsum(VxTensor *t, int dim)
{
    if (!t || (dim = vx__norm_dim(t, dim, "cumsum")) < 0) return NULL;
    VxTensor *out = cumsum_raw(t, dim, false, vx_dtype_is_float(t->dtype) ? t->dtype : VX_I64);
    VxNode *node = vx__record(&out, "CumsumBackward0", bw_cumsum, t, NULL, NULL);
    if (node) node->ip[0] = dim;
    return out;
}

static VxTensor *bw_sorted(VxNode *n, VxTensor *g, int i)
{
    (void)i;
    return vx__scatter_zeros(n->inputs[0], n->ip[0], n->saved, g);
}

/* Sorted values and indices of t along dim (not recorded); 0 or -1. */
static int sort_raw(VxTensor *t, int dim, bool desc, VxTensor **values, VxTensor **indices)
{
    const VxShapeKernels *sk = VX_SHAPE_KERNELS(t, sort);
    VxTensor *v = sk ? vx__new(t->shape, t->ndim, t->dtype, t->device) : NULL;
    VxTensor *ix = v ? vx__new(t->shape, t->ndim, VX_I64, t->device) : NULL;
    if (!ix || sk->sort(v, ix, t, dim, desc) < 0) { vx_tensor_release(v); vx_tensor_release(ix); return -1; }
    *values = v;
    *indices = ix;
    return 0;
}

/* Hand out values (recorded as name) and indices. */
static int finish(VxTensor *t, int dim, const char *name, VxTensor *v, VxTensor *ix, VxTensor **values, VxTensor **indices)
{
    VxNode *node = vx__record(&v, name, bw_sorted, t, NULL, NULL);
    if (node) { node->ip[0] = dim; node->saved = vx_tensor_retain(ix); }
    if (!v) { vx_tensor_release(ix); return -1; }
    *values = v;
    if (indices) *indices = ix;
    else vx_tensor_release(ix);
    return 0;
}

int vx_sort(VxTensor *t, int dim, bool descending, VxTensor **values, VxTensor **indices)
{
    VxTensor *v, *ix;
    if (!t || (dim = vx__norm_dim(t, dim, "sort")) < 0 || sort_raw(t, dim, descending, &v, &ix) < 0) return -1;
    return finish(t, dim, "SortBackward0", v, ix, values, indices);
}

/* The first k along dim of a sorted tensor, as a fresh tensor. */
static VxTensor *head(VxTensor *s, int dim, int64_t k)
{
    VxScope sc = {0};
    if (s->ndim == 0) return vx_tensor_retain(s);
    return vx__done(&sc, vx_clone(vx__keep(&sc, vx_slice(s, dim, 0, k, 1))));
}

int vx_topk(VxTensor *t, int64_t k, int dim, bool largest, bool sorted, VxTensor **values, VxTensor **indices)
{
    (void)sorted;                           /* always sorted: a valid order for sorted=False too */
    if (!t || (dim = vx__norm_dim(t, dim, "topk")) < 0) return -1;
    int64_t len = t->ndim ? t->shape[dim] : 1;
    if (k < (t->ndim ? 0 : 1) || k > len) {
        vx_tensor_set_error("cannot take topk of %s: k %lld is out of range for dimension %d of size %lld",
                            VX_TNAME(t), (long long)k, dim, (long long)len);
        return -1;
    }
    VxTensor *v, *ix;
    if (sort_raw(t, dim, largest, &v, &ix) < 0) return -1;
    VxTensor *hv = head(v, dim, k), *hi = head(ix, dim, k);
    vx_tensor_release(v);
    vx_tensor_release(ix);
    if (!hv || !hi) { vx_tensor_release(hv); vx_tensor_release(hi); return -1; }
    return finish(t, dim, "TopkBackward0", hv, hi, values, indices);
}
