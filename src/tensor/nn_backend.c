/* nn_backend.c - the per-device VxNNBackend registry and the view helpers
 * the NN ops share (nn_internal.h). */
#include "nn_internal.h"

static const VxNNBackend *nn_backends[VX_NDEVICES] = { [VX_DEV_CPU] = &vx_cpu_nn_backend };

const VxNNBackend *vx_nn_backend_get(VxDevice dev) { return dev < VX_NDEVICES ? nn_backends[dev] : NULL; }

void vx_nn_backend_register(VxDevice dev, const VxNNBackend *b)
{
    if (dev < VX_NDEVICES) nn_backends[dev] = b;
}

const VxNNBackend *vx__nn_check(const VxNNBackend *b, bool has, const char *kernel,
                                const VxTensor *t)
{
    if (has) return b;
    vx_tensor_set_error("the %s kernel is not supported for %s on device %s", kernel, VX_TNAME(t),
                        b ? b->name : t->device == VX_DEV_CPU ? "cpu" : "cuda");
    return NULL;
}

int vx__nn_float(const VxTensor *t, const char *op)
{
    if (vx_dtype_is_float(t->dtype)) return 0;
    vx_tensor_set_error("%s expects a floating-point tensor, got %s", op, VX_TNAME(t));
    return -1;
}

VxTensor *vx__nn_movedim_last(const VxTensor *t, int d)
{
    VxTensor *v = vx__header(t);
    if (!v) return NULL;
    v->ndim = t->ndim;
    for (int i = 0, j = 0; i < t->ndim; i++) {
        if (i == d) continue;
        v->shape[j] = t->shape[i];
        v->strides[j++] = t->strides[i];
    }
    if (t->ndim) {
        v->shape[t->ndim - 1] = t->shape[d];
        v->strides[t->ndim - 1] = t->strides[d];
    }
    return v;
}

VxTensor *vx__nn_alias(const VxTensor *t) { return vx__nn_movedim_last(t, t->ndim - 1); }

/* Can dims [from, ndim) be walked with the single stride of the last? */
static bool tail_mergeable(const VxTensor *t, int from)
{
    int64_t want = t->strides[t->ndim - 1];
    for (int i = t->ndim - 1; i >= from; i--) {
        if (t->shape[i] != 1 && t->strides[i] != want) return false;
        want *= t->shape[i];
    }
    return true;
}

VxTensor *vx__nn_flatten_tail(VxTensor *t, int k)
{
    int from = t->ndim - k;
    VxTensor *src;
    if (tail_mergeable(t, from)) {
        src = vx__nn_alias(t);
    } else {
        vx_no_grad_push();
        src = vx_contiguous(t);
        vx_no_grad_pop();
        VxTensor *a = src ? vx__nn_alias(src) : NULL;
        vx_tensor_release(src);
        src = a;
    }
    if (!src) return NULL;
    int64_t n = 1;
    for (int i = from; i < t->ndim; i++) n *= t->shape[i];
    src->strides[from] = src->strides[t->ndim - 1];
    src->shape[from] = n;
    src->ndim = from + 1;
    return src;
}

VxTensor *vx__nn_zeros(const int64_t *shape, int ndim, VxDtype dtype, VxDevice dev)
{
    VxTensor *z = vx__new(shape, ndim, dtype, dev);
    const VxBackend *b = z ? vx__backend(z, "fill", (const void *)z->storage->backend->fill) : NULL;
    if (z && (!b || b->fill(z, 0.0) != 0)) { vx_tensor_release(z); return NULL; }
    return z;
}

VxTensor *vx__nn_new_like(const VxTensor *t) { return vx__new(t->shape, t->ndim, t->dtype, t->device); }

void vx__nn_release_all(VxTensor **ts, int n)
{
    for (int i = 0; i < n; i++) { vx_tensor_release(ts[i]); ts[i] = NULL; }
}
