/* tensor_access.c - single elements (get/set/item, through the backend's
 * host transfers), whole-tensor copy and fill, contiguous, clone and dtype
 * conversion. */
#include <string.h>

#include "tensor_internal.h"

/* Element offset of idx (ndim entries, negative from the end). */
static int elem_offset(const VxTensor *t, const int64_t *idx, int64_t *off)
{
    *off = t->offset;
    for (int d = 0; d < t->ndim; d++) {
        int64_t i = idx[d] < 0 ? idx[d] + t->shape[d] : idx[d];
        if (i < 0 || i >= t->shape[d]) {
            vx_tensor_set_error("cannot index %s: index %lld is out of range for dimension %d of size %lld",
                                VX_TNAME(t), (long long)idx[d], d, (long long)t->shape[d]);
            return -1;
        }
        *off += i * t->strides[d];
    }
    return 0;
}

/* Move one element between t and an 8-byte host cell. */
static int elem_io(const VxTensor *t, const int64_t *idx, void *cell, bool write)
{
    int64_t off;
    if (elem_offset(t, idx, &off) < 0) return -1;
    size_t es = vx_dtype_size(t->dtype);
    const VxBackend *b = t->storage->backend;
    return write ? b->write(t->storage, (size_t)off * es, cell, es) : b->read(t->storage, (size_t)off * es, cell, es);
}

int vx_tensor_get_f64(const VxTensor *t, const int64_t *idx, double *out)
{
    uint64_t cell = 0;
    if (elem_io(t, idx, &cell, false) < 0) return -1;
    *out = vx__load_f64(&cell, t->dtype, 0);
    return 0;
}

int vx_tensor_get_i64(const VxTensor *t, const int64_t *idx, int64_t *out)
{
    uint64_t cell = 0;
    if (elem_io(t, idx, &cell, false) < 0) return -1;
    *out = vx__load_i64(&cell, t->dtype, 0);
    return 0;
}

int vx_tensor_set_f64(VxTensor *t, const int64_t *idx, double value)
{
    uint64_t cell = 0;
    vx__store_f64(&cell, t->dtype, 0, value);
    return elem_io(t, idx, &cell, true);
}

int vx_tensor_set_i64(VxTensor *t, const int64_t *idx, int64_t value)
{
    uint64_t cell = 0;
    vx__store_i64(&cell, t->dtype, 0, value);
    return elem_io(t, idx, &cell, true);
}

int vx_tensor_item_f64(const VxTensor *t, double *out)
{
    if (vx_tensor_numel(t) != 1) {
        vx_tensor_set_error("cannot take the item of %s: it has %lld elements, not 1", VX_TNAME(t), (long long)vx_tensor_numel(t));
        return -1;
    }
    int64_t zero[VX_MAX_DIMS] = {0};
    return vx_tensor_get_f64(t, zero, out);
}

int vx_tensor_copy_(VxTensor *dst, const VxTensor *src)
{
    if (!dst || !src) return -1;
    const VxBackend *b = vx__backend(dst, "copy", vx_backend_get(dst->device)->copy);
    if (!b) return -1;
    vx_no_grad_push();
    VxTensor *e = vx_expand((VxTensor *)src, dst->shape, dst->ndim);   /* views only: src is not changed */
    vx_no_grad_pop();
    if (!e) return -1;
    int rc = b->copy(dst, e);
    vx_tensor_release(e);
    return rc;
}

int vx_tensor_fill_(VxTensor *dst, double value)
{
    const VxBackend *b = vx__backend(dst, "fill", vx_backend_get(dst->device)->fill);
    return b ? b->fill(dst, value) : -1;
}

static VxTensor *bw_copy(VxNode *n, VxTensor *g, int i) { (void)n; (void)i; return vx_tensor_retain(g); }

/* A contiguous copy of t in dtype, recorded as name. */
static VxNode *copy_as(VxTensor **out, VxTensor *t, VxDtype dtype, const char *name)
{
    vx_no_grad_push();                      /* the copy itself is not a view op */
    *out = vx__new(t->shape, t->ndim, dtype, t->device);
    if (*out && vx_tensor_copy_(*out, t) < 0) { vx_tensor_release(*out); *out = NULL; }
    vx_no_grad_pop();
    return *out ? vx__record(out, name, bw_copy, t, NULL, NULL) : NULL;
}

VxTensor *vx_clone(VxTensor *t)
{
    if (!t) return NULL;
    VxTensor *out;
    copy_as(&out, t, t->dtype, "CloneBackward0");
    return out;
}

VxTensor *vx_contiguous(VxTensor *t)
{
    if (!t) return NULL;
    return vx_tensor_is_contiguous(t) ? vx_tensor_retain(t) : vx_clone(t);
}

VxTensor *vx_to(VxTensor *t, VxDtype dtype)
{
    if (!t) return NULL;
    if (dtype == t->dtype) return vx_tensor_retain(t);
    if (dtype >= VX_NDTYPES) { vx_tensor_set_error("cannot convert %s: unknown dtype %d", VX_TNAME(t), (int)dtype); return NULL; }
    VxTensor *out;
    copy_as(&out, t, dtype, "ToCopyBackward0");
    if (out && !vx_dtype_is_float(dtype) && out->grad_fn) {   /* integers do not carry gradients */
        vx__node_release(out->grad_fn);
        out->grad_fn = NULL; out->requires_grad = false; out->is_leaf = true;
    }
    return out;
}
