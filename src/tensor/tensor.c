/* tensor.c - the tensor header: errors, counted allocation, reference
 * counting (iterative release), properties and the backend registry.
 * Ownership rules are in tensor.h. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tensor_internal.h"

static _Thread_local char last_error[512];
static VxMemStats stats;
static int64_t fail_countdown;              /* 0 = off */

const char *vx_tensor_last_error(void) { return last_error; }
void vx_tensor_clear_error(void) { last_error[0] = 0; }

void vx_tensor_set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
}

void vx_tensor_mem_stats(VxMemStats *out) { *out = stats; }
void vx__count_node(int delta) { stats.live_nodes += delta; }
int64_t vx_tensor_live_tensors(void) { return stats.live_tensors; }

static void note_peaks(void)
{
    if (stats.live_bytes > stats.peak_bytes) stats.peak_bytes = stats.live_bytes;
    if (stats.live_bytes + stats.cached_bytes > stats.peak_held_bytes)
        stats.peak_held_bytes = stats.live_bytes + stats.cached_bytes;
}

void vx__count_cached(int64_t delta) { stats.cached_bytes += delta; note_peaks(); }

void vx_tensor_reset_peak(void)
{
    stats.peak_bytes = stats.live_bytes;
    stats.peak_held_bytes = stats.live_bytes + stats.cached_bytes;
}
void vx_tensor_fail_alloc_after(int64_t n) { fail_countdown = n; }

bool vx__alloc_should_fail(void)
{
    stats.allocations++;
    return fail_countdown > 0 && --fail_countdown == 0;
}

void *vx__alloc(size_t n, const char *what)
{
    void *p = vx__alloc_should_fail() ? NULL : calloc(1, n);
    if (!p) vx_tensor_set_error("out of memory allocating %zu bytes for %s", n, what);
    return p;
}

void vx__free(void *p, size_t n) { (void)n; free(p); }

/* ---- backends ----------------------------------------------------------- */
static const VxBackend *backends[VX_NDEVICES] = { [VX_DEV_CPU] = &vx_cpu_backend };

const VxBackend *vx_backend_get(VxDevice dev) { return dev < VX_NDEVICES ? backends[dev] : NULL; }
void vx_backend_register(VxDevice dev, const VxBackend *b) { if (dev < VX_NDEVICES) backends[dev] = b; }

void vx_tensor_trim_cache(void)
{
    for (int d = 0; d < VX_NDEVICES; d++)
        if (backends[d] && backends[d]->trim) backends[d]->trim();
}

/* The backend of t if it has the kernel fn, else NULL with an error. */
const VxBackend *vx__backend(const VxTensor *t, const char *kernel, const void *fn)
{
    const VxBackend *b = t->storage ? t->storage->backend : vx_backend_get(t->device);
    if (b && fn) return b;
    vx_tensor_set_error("%s is not supported on device %s", kernel, b ? b->name : "(none)");
    return NULL;
}

/* ---- headers and storage ------------------------------------------------ */
static VxTensor *alloc_header(VxDtype dtype, VxDevice dev)
{
    VxTensor *t = vx__alloc(sizeof *t, "a tensor header");
    if (!t) return NULL;
    t->refcount = 1;
    t->dtype = dtype;
    t->device = dev;
    t->is_leaf = true;
    stats.live_tensors++;
    return t;
}

VxTensor *vx__header(const VxTensor *src)
{
    VxTensor *t = alloc_header(src->dtype, src->device);
    if (!t) return NULL;
    t->storage = src->storage;
    t->storage->refcount++;
    t->offset = src->offset;
    return t;
}

void vx__set_contiguous_strides(VxTensor *t)
{
    int64_t s = 1;
    for (int i = t->ndim - 1; i >= 0; i--) { t->strides[i] = s; s *= t->shape[i]; }
}

static VxStorage *new_storage(const VxTensor *t, size_t nbytes)
{
    const VxBackend *b = vx_backend_get(t->device);
    if (!b) { vx_tensor_set_error("no backend for this device"); return NULL; }
    VxStorage *s = vx__alloc(sizeof *s, "a tensor storage");
    if (!s) return NULL;
    s->data = vx__alloc_should_fail() ? NULL : b->alloc(nbytes ? nbytes : 1);
    if (!s->data) {
        vx_tensor_set_error("out of memory allocating %zu bytes for %s", nbytes, VX_TNAME(t));
        vx__free(s, sizeof *s);
        return NULL;
    }
    s->refcount = 1; s->device = t->device; s->backend = b; s->nbytes = nbytes;
    stats.live_storages++;
    stats.live_bytes += (int64_t)nbytes;
    note_peaks();
    return s;
}

VxTensor *vx__new(const int64_t *shape, int ndim, VxDtype dtype, VxDevice dev)
{
    if (ndim < 0 || ndim > VX_MAX_DIMS || dtype >= VX_NDTYPES) {
        vx_tensor_set_error("invalid tensor: %d dims (at most %d), dtype %d", ndim, VX_MAX_DIMS, (int)dtype);
        return NULL;
    }
    VxTensor *t = alloc_header(dtype, dev);
    if (!t) return NULL;
    t->ndim = ndim;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0) {
            vx_tensor_set_error("invalid tensor shape: dimension %d is %lld", i, (long long)shape[i]);
            vx_tensor_release(t);
            return NULL;
        }
        t->shape[i] = shape[i];
    }
    vx__set_contiguous_strides(t);
    t->storage = new_storage(t, (size_t)vx_tensor_numel(t) * vx_dtype_size(dtype));
    if (!t->storage) { vx_tensor_release(t); return NULL; }
    return t;
}

/* ---- reference counting --------------------------------------------------- */
VxTensor *vx_tensor_retain(VxTensor *t)
{
    if (t) t->refcount++;
    return t;
}

static void storage_release(VxStorage *s)
{
    if (!s || --s->refcount > 0) return;
    stats.live_storages--;
    stats.live_bytes -= (int64_t)s->nbytes;
    s->backend->free(s->data, s->nbytes ? s->nbytes : 1);
    vx__free(s, sizeof *s);
}

/* Dying tensors are chained through free_next, so that a long graph
 * (tensor -> node -> input tensor -> node ...) is freed in a loop rather
 * than by recursion. */
static _Thread_local VxTensor *dying;
static _Thread_local bool releasing;

static void destroy(VxTensor *t)
{
    storage_release(t->storage);
    VxTensor *g = t->grad;
    VxNode *n = t->grad_fn;
    stats.live_tensors--;
    vx__free(t, sizeof *t);
    vx_tensor_release(g);
    vx__node_release(n);
}

void vx_tensor_release(VxTensor *t)
{
    if (!t || --t->refcount > 0) return;
    t->free_next = dying;
    dying = t;
    if (releasing) return;
    releasing = true;
    while (dying) {
        VxTensor *d = dying;
        dying = d->free_next;
        destroy(d);
    }
    releasing = false;
}

/* ---- properties ------------------------------------------------------------- */
int vx_tensor_ndim(const VxTensor *t) { return t->ndim; }
VxDtype vx_tensor_dtype(const VxTensor *t) { return t->dtype; }

int vx__norm_dim(const VxTensor *t, int d, const char *what)
{
    int n = t->ndim ? t->ndim : 1;
    if (d < -n || d >= n) {
        vx_tensor_set_error("cannot %s %s: dimension %d is out of range for %d dimensions",
                            what, VX_TNAME(t), d, t->ndim);
        return -1;
    }
    return d < 0 ? d + n : d;
}

int64_t vx_tensor_dim(const VxTensor *t, int i)
{
    if (i < 0) i += t->ndim;
    return i >= 0 && i < t->ndim ? t->shape[i] : -1;
}

int64_t vx_tensor_stride(const VxTensor *t, int i)
{
    if (i < 0) i += t->ndim;
    return i >= 0 && i < t->ndim ? t->strides[i] : 0;
}

int64_t vx_tensor_numel(const VxTensor *t)
{
    int64_t n = 1;
    for (int i = 0; i < t->ndim; i++) n *= t->shape[i];
    return n;
}

bool vx_tensor_is_contiguous(const VxTensor *t)
{
    int64_t s = 1;
    for (int i = t->ndim - 1; i >= 0; i--) {
        if (t->shape[i] != 1 && t->strides[i] != s) return false;
        s *= t->shape[i];
    }
    return true;
}

void *vx_tensor_data(const VxTensor *t)
{
    return (char *)t->storage->data + t->offset * (int64_t)vx_dtype_size(t->dtype);
}

char *vx__shape_str(const int64_t *shape, int ndim, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "[");
    for (int i = 0; i < ndim && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%lld", i ? ", " : "", (long long)shape[i]);
    if (n < cap) snprintf(buf + n, cap - n, "]");
    return buf;
}

char *vx_tensor_type_str(const VxTensor *t, char *buf, size_t cap)
{
    char s[200];
    snprintf(buf, cap, "Tensor<%s, %s>", vx_dtype_name(t->dtype), vx__shape_str(t->shape, t->ndim, s, sizeof s));
    return buf;
}
