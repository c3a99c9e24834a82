/* ops_index.c - gather, scatter_add and index_select, the shape-kernel
 * registry, and the index checks the other shape ops share.  index_select
 * is a gather with the 1-D index expanded (stride 0) to the result's
 * shape, so both need only the gather and scatter_add kernels; every
 * backward of an op that picks elements is a scatter_add into zeros. */
#include <string.h>

#include "shape_internal.h"

static const VxShapeKernels *registry[VX_NDEVICES] = { [VX_DEV_CPU] = &vx_cpu_shape_kernels };

const VxShapeKernels *vx_shape_kernels_get(VxDevice dev) { return dev < VX_NDEVICES ? registry[dev] : NULL; }
void vx_shape_kernels_register(VxDevice dev, const VxShapeKernels *k) { if (dev < VX_NDEVICES) registry[dev] = k; }

const VxShapeKernels *vx__shape_kernels(const VxTensor *t, const char *kernel, bool present)
{
    if (present) return vx_shape_kernels_get(t->device);
    const VxBackend *b = vx_backend_get(t->device);
    vx_tensor_set_error("%s is not supported on device %s", kernel, b ? b->name : "(none)");
    return NULL;
}

int vx__check_index_dtype(const VxTensor *index, const char *what, const VxTensor *t)
{
    if (index->dtype == VX_I64 || index->dtype == VX_I32) return 0;
    vx_tensor_set_error("cannot %s %s with index %s: indices must be i64 or i32", what, VX_TNAME(t), VX_TNAME(index));
    return -1;
}

/* The smallest (max: largest) index. */
static int64_t extreme(VxTensor *index, bool max)
{
    VxTensor *r = max ? vx_max(index, NULL, 0, false) : vx_min(index, NULL, 0, false);
    int64_t v = 0;
    if (r) vx_tensor_get_i64(r, NULL, &v);
    vx_tensor_release(r);
    return v;
}

int vx__check_index(VxTensor *index, int64_t size, const char *what, const VxTensor *t, int dim)
{
    if (vx__check_index_dtype(index, what, t) < 0) return -1;
    if (vx_tensor_numel(index) == 0) return 0;
    vx_no_grad_push();
    int64_t lo = extreme(index, false), hi = extreme(index, true), bad = lo < 0 ? lo : hi;
    vx_no_grad_pop();
    if (lo >= 0 && hi < size) return 0;
    if (dim < 0)
        vx_tensor_set_error("cannot %s %s: index %lld is out of range for %lld classes", what, VX_TNAME(t),
                            (long long)bad, (long long)size);
    else
        vx_tensor_set_error("cannot %s %s: index %lld is out of range for dimension %d of size %lld", what,
                            VX_TNAME(t), (long long)bad, dim, (long long)size);
    return -1;
}

VxTensor *vx__scatter_zeros(const VxTensor *like, int dim, VxTensor *index, VxTensor *g)
{
    const VxShapeKernels *sk = VX_SHAPE_KERNELS(like, scatter_add);
    VxTensor *z = sk ? vx__new(like->shape, like->ndim, g->dtype, like->device) : NULL;
    if (z && (vx_tensor_fill_(z, 0) < 0 || sk->scatter_add(z, dim, index, g) < 0)) { vx_tensor_release(z); return NULL; }
    return z;
}

/* out (index's shape, t's dtype) = t gathered along dim; not recorded. */
static VxTensor *gather_raw(VxTensor *t, int dim, VxTensor *index)
{
    const VxShapeKernels *sk = VX_SHAPE_KERNELS(t, gather);
    VxTensor *out = sk ? vx__new(index->shape, index->ndim, t->dtype, t->device) : NULL;
    if (out && sk->gather(out, t, dim, index) < 0) { vx_tensor_release(out); return NULL; }
    return out;
}

static VxTensor *bw_pick(VxNode *n, VxTensor *g, int i)
{
    (void)i;
    return vx__scatter_zeros(n->inputs[0], n->ip[0], n->saved, g);
}

/* Record op on out with t as input and index saved. */
static VxTensor *record_pick(VxTensor *out, const char *name, VxTensor *t, VxTensor *src, int dim, VxTensor *index,
                             VxBackwardFn fn)
{
    VxNode *node = vx__record(&out, name, fn, t, src, NULL);
    if (node) { node->ip[0] = dim; node->saved = vx_tensor_retain(index); }
    return out;
}

/* index's sizes against t's (dims other than skip: at most t's). */
static int check_sizes(const VxTensor *index, const VxTensor *t, int skip, const char *what, const VxTensor *named)
{
    if (index->ndim != t->ndim) {
        vx_tensor_set_error("cannot %s %s with index %s: the index needs %d dimensions", what, VX_TNAME(named),
                            VX_TNAME(index), t->ndim);
        return -1;
    }
    for (int d = 0; d < t->ndim; d++)
        if (d != skip && index->shape[d] > t->shape[d]) {
            vx_tensor_set_error("cannot %s %s with index %s: index size %lld exceeds %lld in dimension %d", what,
                                VX_TNAME(named), VX_TNAME(index), (long long)index->shape[d],
                                (long long)t->shape[d], d);
            return -1;
        }
    return 0;
}

VxTensor *vx_gather(VxTensor *t, int dim, VxTensor *index)
{
    if (!t || !index) return NULL;
    if ((dim = vx__norm_dim(t, dim, "gather from")) < 0 || vx__check_index_dtype(index, "gather from", t) < 0 ||
        check_sizes(index, t, dim, "gather from", t) < 0 ||
        vx__check_index(index, t->ndim ? t->shape[dim] : 1, "gather from", t, dim) < 0)
        return NULL;
    return record_pick(gather_raw(t, dim, index), "GatherBackward0", t, NULL, dim, index, bw_pick);
}

/* src's gradient: g gathered, zero-padded where src is larger than index. */
static VxTensor *bw_scatter_add(VxNode *n, VxTensor *g, int i)
{
    if (i == 0) return vx_tensor_retain(g);
    VxTensor *src = n->inputs[1], *idx = n->saved, *r = gather_raw(g, n->ip[0], idx);
    if (!r || !memcmp(idx->shape, src->shape, (size_t)src->ndim * sizeof *src->shape)) return r;
    VxScope s = {0};
    VxTensor *z = vx__new(src->shape, src->ndim, g->dtype, g->device), *v = z;
    vx__keep(&s, r);
    for (int d = 0; v && d < src->ndim; d++) v = vx__keep(&s, vx_slice(v, d, 0, idx->shape[d], 1));
    if (!v || vx_tensor_fill_(z, 0) < 0 || vx_tensor_copy_(v, r) < 0) { vx_tensor_release(z); z = NULL; }
    return vx__done(&s, z);
}

VxTensor *vx_scatter_add(VxTensor *t, int dim, VxTensor *index, VxTensor *src)
{
    if (!t || !index || !src) return NULL;
    const char *w = "scatter_add into";
    if ((dim = vx__norm_dim(t, dim, w)) < 0 || vx__check_index_dtype(index, w, t) < 0) return NULL;
    if (src->dtype != t->dtype) {
        vx_tensor_set_error("cannot scatter_add %s into %s: dtypes differ", VX_TNAME(src), VX_TNAME(t));
        return NULL;
    }
    if (check_sizes(index, t, dim, w, t) < 0 || check_sizes(index, src, -1, w, t) < 0 ||
        vx__check_index(index, t->ndim ? t->shape[dim] : 1, w, t, dim) < 0)
        return NULL;
    const VxShapeKernels *sk = VX_SHAPE_KERNELS(t, scatter_add);
    vx_no_grad_push();
    VxTensor *out = sk ? vx_clone(t) : NULL;
    vx_no_grad_pop();
    if (out && sk->scatter_add(out, dim, index, src) < 0) { vx_tensor_release(out); return NULL; }
    return record_pick(out, "ScatterAddBackward0", t, src, dim, index, bw_scatter_add);
}

VxTensor *vx_index_select(VxTensor *t, int dim, VxTensor *index)
{
    if (!t || !index) return NULL;
    const char *w = "index_select from";
    if (t->ndim == 0) { vx_tensor_set_error("cannot index_select from %s: it has no dimensions", VX_TNAME(t)); return NULL; }
    if ((dim = vx__norm_dim(t, dim, w)) < 0 || vx__check_index_dtype(index, w, t) < 0) return NULL;
    if (index->ndim > 1) {
        vx_tensor_set_error("cannot index_select from %s with index %s: the index must be 1-D", VX_TNAME(t), VX_TNAME(index));
        return NULL;
    }
    if (vx__check_index(index, t->shape[dim], w, t, dim) < 0) return NULL;
    int64_t line[VX_MAX_DIMS], shape[VX_MAX_DIMS];
    for (int d = 0; d < t->ndim; d++) {
        line[d] = d == dim ? vx_tensor_numel(index) : 1;
        shape[d] = d == dim ? line[d] : t->shape[d];
    }
    VxScope s = {0};
    VxTensor *ex = vx__keep(&s, vx_expand(vx__keep(&s, vx_reshape(index, line, t->ndim)), shape, t->ndim));
    VxTensor *out = ex ? gather_raw(t, dim, ex) : NULL;
    out = record_pick(out, "IndexSelectBackward0", t, NULL, dim, ex, bw_pick);
    return vx__done(&s, out);
}
