/* tensor_view.c - views: new headers over the same storage (no copies),
 * each recorded by autodiff.  Backward functions map the gradient back to
 * the input's layout; the autograd engine reshapes a gradient with the
 * input's element count and sums over broadcast dims otherwise, so
 * reshape-like views need only pass the gradient through. */
#include <string.h>

#include "tensor_internal.h"

static VxTensor *bw_identity(VxNode *n, VxTensor *g, int i) { (void)n; (void)i; return vx_tensor_retain(g); }
static VxTensor *bw_transpose(VxNode *n, VxTensor *g, int i) { (void)i; return vx_transpose(g, n->ip[0], n->ip[1]); }

static VxTensor *bw_permute(VxNode *n, VxTensor *g, int i)
{
    (void)i;
    int inv[VX_MAX_DIMS];
    for (int d = 0; d < g->ndim; d++) inv[n->ip[d]] = d;
    return vx_permute(g, inv, g->ndim);
}

/* Scatter g into zeros of the input's shape through the same view. */
static VxTensor *bw_scatter(VxNode *n, VxTensor *g, int i)
{
    VxTensor *in = n->inputs[i], *z = vx_zeros(in->shape, in->ndim, g->dtype);
    VxTensor *v = !z ? NULL : n->ip[3] ? vx_slice(z, n->ip[0], n->ip[1], n->ip[2], n->ip[3])
                                       : vx_select(z, n->ip[0], n->ip[1]);
    int rc = v ? vx_tensor_copy_(v, g) : -1;
    vx_tensor_release(v);
    if (rc < 0) { vx_tensor_release(z); return NULL; }
    return z;
}

/* Finish a view: record it (or clean up on failure). */
static VxTensor *finish(VxTensor *v, VxTensor *src, const char *name, VxBackwardFn fn, const int *ip, int nip)
{
    VxNode *n = vx__record(&v, name, fn, src, NULL, NULL);
    if (n && nip) memcpy(n->ip, ip, (size_t)nip * sizeof *ip);
    return v;
}

VxTensor *vx_transpose(VxTensor *t, int d0, int d1)
{
    if (!t) return NULL;
    if ((d0 = vx__norm_dim(t, d0, "transpose")) < 0 || (d1 = vx__norm_dim(t, d1, "transpose")) < 0) return NULL;
    if (t->ndim == 0) return vx_tensor_retain(t);
    VxTensor *v = vx__header(t);
    if (!v) return NULL;
    v->ndim = t->ndim;
    memcpy(v->shape, t->shape, sizeof v->shape);
    memcpy(v->strides, t->strides, sizeof v->strides);
    v->shape[d0] = t->shape[d1]; v->shape[d1] = t->shape[d0];
    v->strides[d0] = t->strides[d1]; v->strides[d1] = t->strides[d0];
    int ip[2] = { d0, d1 };
    return finish(v, t, "TransposeBackward0", bw_transpose, ip, 2);
}

VxTensor *vx_permute(VxTensor *t, const int *dims, int ndims)
{
    if (!t) return NULL;
    int p[VX_MAX_DIMS], seen = 0;
    if (ndims != t->ndim) {
        vx_tensor_set_error("cannot permute %s with %d dims: it has %d", VX_TNAME(t), ndims, t->ndim);
        return NULL;
    }
    for (int i = 0; i < ndims; i++) {
        if ((p[i] = vx__norm_dim(t, dims[i], "permute")) < 0) return NULL;
        if (seen & (1 << p[i])) { vx_tensor_set_error("cannot permute %s: dimension %d repeats", VX_TNAME(t), dims[i]); return NULL; }
        seen |= 1 << p[i];
    }
    VxTensor *v = vx__header(t);
    if (!v) return NULL;
    v->ndim = t->ndim;
    for (int i = 0; i < ndims; i++) { v->shape[i] = t->shape[p[i]]; v->strides[i] = t->strides[p[i]]; }
    return finish(v, t, "PermuteBackward0", bw_permute, p, ndims);
}

/* A copy of t's header with dim d changed to (size, stride) at offset. */
static VxTensor *restride(VxTensor *t, int d, int64_t size, int64_t stride, int64_t offset)
{
    VxTensor *v = vx__header(t);
    if (!v) return NULL;
    v->ndim = t->ndim;
    memcpy(v->shape, t->shape, sizeof v->shape);
    memcpy(v->strides, t->strides, sizeof v->strides);
    v->shape[d] = size; v->strides[d] = stride; v->offset = offset;
    return v;
}

static int64_t clamp_index(int64_t i, int64_t n)
{
    if (i < 0) i += n;
    return i < 0 ? 0 : i > n ? n : i;
}

VxTensor *vx_slice(VxTensor *t, int dim, int64_t start, int64_t end, int64_t step)
{
    if (!t) return NULL;
    if ((dim = vx__norm_dim(t, dim, "slice")) < 0 || t->ndim == 0) {
        if (t->ndim == 0) vx_tensor_set_error("cannot slice %s: it has no dimensions", VX_TNAME(t));
        return NULL;
    }
    if (step < 1) { vx_tensor_set_error("cannot slice %s with step %lld: steps must be positive", VX_TNAME(t), (long long)step); return NULL; }
    int64_t n = t->shape[dim], s = clamp_index(start, n), e = clamp_index(end, n);
    int64_t len = e > s ? (e - s + step - 1) / step : 0;
    VxTensor *v = restride(t, dim, len, t->strides[dim] * step, t->offset + s * t->strides[dim]);
    if (!v) return NULL;
    int ip[4] = { dim, (int)s, (int)e, (int)step };
    return finish(v, t, "SliceBackward0", bw_scatter, ip, 4);
}

VxTensor *vx_select(VxTensor *t, int dim, int64_t index)
{
    if (!t) return NULL;
    if (t->ndim == 0) { vx_tensor_set_error("cannot index %s: it has no dimensions", VX_TNAME(t)); return NULL; }
    if ((dim = vx__norm_dim(t, dim, "index")) < 0) return NULL;
    int64_t n = t->shape[dim], i = index < 0 ? index + n : index;
    if (i < 0 || i >= n) {
        vx_tensor_set_error("cannot index %s: index %lld is out of range for dimension %d of size %lld",
                            VX_TNAME(t), (long long)index, dim, (long long)n);
        return NULL;
    }
    VxTensor *v = restride(t, dim, 1, 0, t->offset + i * t->strides[dim]);
    if (!v) return NULL;
    memmove(v->shape + dim, v->shape + dim + 1, (size_t)(t->ndim - dim - 1) * sizeof v->shape[0]);
    memmove(v->strides + dim, v->strides + dim + 1, (size_t)(t->ndim - dim - 1) * sizeof v->strides[0]);
    v->ndim--;
    int ip[4] = { dim, (int)i, 0, 0 };
    return finish(v, t, "SelectBackward0", bw_scatter, ip, 4);
}

/* Resolve one -1 and check the element count. */
static int infer_shape(const VxTensor *t, const int64_t *shape, int ndim, int64_t *out)
{
    int64_t known = 1, n = vx_tensor_numel(t);
    int hole = -1;
    if (ndim < 0 || ndim > VX_MAX_DIMS) { vx_tensor_set_error("cannot reshape %s into %d dimensions", VX_TNAME(t), ndim); return -1; }
    for (int i = 0; i < ndim; i++) {
        out[i] = shape[i];
        if (shape[i] == -1 && hole < 0) hole = i;
        else if (shape[i] < 0) { vx_tensor_set_error("cannot reshape %s: invalid size %lld", VX_TNAME(t), (long long)shape[i]); return -1; }
        else known *= shape[i];
    }
    if (hole >= 0 && known != 0 && n % known == 0) out[hole] = n / known;
    if ((hole >= 0 && (known == 0 || n % known)) || (hole < 0 && known != n)) {
        char s[200];
        vx_tensor_set_error("cannot reshape %s into %s: %lld elements into %lld", VX_TNAME(t),
                            vx__shape_str(shape, ndim, s, sizeof s), (long long)n, (long long)known);
        return -1;
    }
    return 0;
}

/* Strides for viewing t as shape without copying, if they exist.  t's
 * dims fall into chunks whose strides are contiguous among themselves; a
 * new shape is a view iff it splits into the same chunks. */
static bool view_strides(const VxTensor *t, const int64_t *shape, int ndim, int64_t *strides)
{
    if (t->ndim == 0) { for (int i = 0; i < ndim; i++) strides[i] = 1; return true; }
    int vd = ndim - 1;
    int64_t base = t->strides[t->ndim - 1], tnum = 1, vnum = 1;
    for (int td = t->ndim - 1; td >= 0; td--) {
        tnum *= t->shape[td];
        if (td > 0 && (t->shape[td - 1] == 1 || t->strides[td - 1] == tnum * base)) continue;
        while (vd >= 0 && (vnum < tnum || shape[vd] == 1)) {
            strides[vd] = vnum * base;
            vnum *= shape[vd--];
        }
        if (vnum != tnum) return false;
        if (td > 0) { base = t->strides[td - 1]; tnum = vnum = 1; }
    }
    return vd == -1;
}

static VxTensor *view_impl(VxTensor *t, const int64_t *shape, int ndim, bool may_copy, const char *name)
{
    if (!t) return NULL;
    int64_t s[VX_MAX_DIMS], st[VX_MAX_DIMS];
    if (infer_shape(t, shape, ndim, s) < 0) return NULL;
    bool ok = vx_tensor_numel(t) == 0 ? (memset(st, 0, sizeof st), true) : view_strides(t, s, ndim, st);
    if (!ok && !may_copy) {
        vx_tensor_set_error("cannot view %s with a new shape: its strides do not allow it (use reshape)", VX_TNAME(t));
        return NULL;
    }
    VxTensor *src = ok ? vx_tensor_retain(t) : vx_clone(t), *v = NULL;
    if (src && (v = vx__header(src))) {
        v->ndim = ndim;
        memcpy(v->shape, s, (size_t)ndim * sizeof *s);
        if (ok) memcpy(v->strides, st, (size_t)ndim * sizeof *st);
        else vx__set_contiguous_strides(v);
    }
    vx_tensor_release(src);
    if (!v) return NULL;
    return finish(v, t, ok ? name : "UnsafeViewBackward0", bw_identity, NULL, 0);
}

VxTensor *vx_reshape(VxTensor *t, const int64_t *shape, int ndim) { return view_impl(t, shape, ndim, true, "ReshapeAliasBackward0"); }
VxTensor *vx_view(VxTensor *t, const int64_t *shape, int ndim) { return view_impl(t, shape, ndim, false, "ViewBackward0"); }

VxTensor *vx_squeeze(VxTensor *t, int dim)
{
    if (!t) return NULL;
    if ((dim = vx__norm_dim(t, dim, "squeeze")) < 0) return NULL;
    int64_t s[VX_MAX_DIMS];
    int n = 0;
    for (int i = 0; i < t->ndim; i++) if (i != dim || t->shape[i] != 1) s[n++] = t->shape[i];
    VxTensor *v = view_impl(t, s, n, false, "SqueezeBackward1");
    if (v && v->grad_fn) v->grad_fn->name = "SqueezeBackward1";
    return v;
}

VxTensor *vx_squeeze_all(VxTensor *t)
{
    if (!t) return NULL;
    int64_t s[VX_MAX_DIMS];
    int n = 0;
    for (int i = 0; i < t->ndim; i++) if (t->shape[i] != 1) s[n++] = t->shape[i];
    return view_impl(t, s, n, false, "SqueezeBackward0");
}

VxTensor *vx_unsqueeze(VxTensor *t, int dim)
{
    if (!t) return NULL;
    if (t->ndim == VX_MAX_DIMS) { vx_tensor_set_error("cannot unsqueeze %s: at most %d dimensions", VX_TNAME(t), VX_MAX_DIMS); return NULL; }
    if (dim < 0) dim += t->ndim + 1;
    if (dim < 0 || dim > t->ndim) { vx_tensor_set_error("cannot unsqueeze %s at dimension %d", VX_TNAME(t), dim); return NULL; }
    int64_t s[VX_MAX_DIMS];
    for (int i = 0, j = 0; i <= t->ndim; i++) s[i] = i == dim ? 1 : t->shape[j++];
    return view_impl(t, s, t->ndim + 1, false, "UnsqueezeBackward0");
}

VxTensor *vx_expand(VxTensor *t, const int64_t *shape, int ndim)
{
    if (!t) return NULL;
    char s[200];
    if (ndim < t->ndim || ndim > VX_MAX_DIMS) goto bad;
    VxTensor *v = vx__header(t);
    if (!v) return NULL;
    v->ndim = ndim;
    for (int i = ndim - 1, j = t->ndim - 1; i >= 0; i--, j--) {
        int64_t have = j >= 0 ? t->shape[j] : 1, want = shape[i] == -1 && j >= 0 ? have : shape[i];
        if (want < 0 || (have != want && have != 1)) { vx_tensor_release(v); goto bad; }
        v->shape[i] = want;
        v->strides[i] = j >= 0 && have == want ? t->strides[j] : 0;
    }
    return finish(v, t, "ExpandBackward0", bw_identity, NULL, 0);
bad:
    vx_tensor_set_error("cannot expand %s to %s", VX_TNAME(t), vx__shape_str(shape, ndim, s, sizeof s));
    return NULL;
}
