/* tensor_create.c - making CPU tensors: constants, ranges, identity,
 * random tensors (rng.c) and tensors from host arrays.  Values are staged
 * in a host buffer of the target dtype and written through the backend,
 * so the same code will serve other devices. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tensor_internal.h"

VxTensor *vx_empty(const int64_t *shape, int ndim, VxDtype dtype)
{
    return vx__new(shape, ndim, dtype, VX_DEV_CPU);
}

VxTensor *vx_full(const int64_t *shape, int ndim, VxDtype dtype, double value)
{
    VxTensor *t = vx_empty(shape, ndim, dtype);
    if (t && vx_tensor_fill_(t, value) < 0) { vx_tensor_release(t); return NULL; }
    return t;
}

VxTensor *vx_zeros(const int64_t *shape, int ndim, VxDtype dtype) { return vx_full(shape, ndim, dtype, 0); }
VxTensor *vx_ones(const int64_t *shape, int ndim, VxDtype dtype) { return vx_full(shape, ndim, dtype, 1); }
VxTensor *vx_scalar(double value, VxDtype dtype) { return vx_full(NULL, 0, dtype, value); }
VxTensor *vx_zeros_like(const VxTensor *t) { return vx_full(t->shape, t->ndim, t->dtype, 0); }
VxTensor *vx_ones_like(const VxTensor *t) { return vx_full(t->shape, t->ndim, t->dtype, 1); }
VxTensor *vx_full_like(const VxTensor *t, double value) { return vx_full(t->shape, t->ndim, t->dtype, value); }

/* Element i of the new tensor is gen(i, ctx); one pass into a host buffer. */
typedef double (*GenFn)(int64_t i, void *ctx);

static VxTensor *generate(const int64_t *shape, int ndim, VxDtype dtype, GenFn gen, void *ctx)
{
    VxTensor *t = vx_empty(shape, ndim, dtype);
    if (!t) return NULL;
    int64_t n = vx_tensor_numel(t);
    size_t bytes = (size_t)n * vx_dtype_size(dtype);
    void *host = vx__alloc(bytes ? bytes : 1, "a host staging buffer");
    if (!host) { vx_tensor_release(t); return NULL; }
    for (int64_t i = 0; i < n; i++) vx__store_f64(host, dtype, i, gen(i, ctx));
    t->storage->backend->write(t->storage, 0, host, bytes);
    vx__free(host, bytes);
    return t;
}

static double gen_affine(int64_t i, void *ctx) { double *p = ctx; return p[0] + (double)i * p[1]; }

VxTensor *vx_arange(double start, double end, double step, VxDtype dtype)
{
    if (step == 0 || (end - start) * step < 0 || !isfinite(start) || !isfinite(end)) {
        vx_tensor_set_error("cannot make arange(%g, %g, %g): the step must move from start towards end", start, end, step);
        return NULL;
    }
    int64_t n[1] = { (int64_t)ceil((end - start) / step) };
    double p[2] = { start, step };
    return generate(n, 1, dtype, gen_affine, p);
}

/* The last point is end exactly, as in torch, rather than start + (n-1) step. */
static double gen_linspace(int64_t i, void *ctx)
{
    double *p = ctx;
    return i > 0 && i == (int64_t)p[2] - 1 ? p[3] : p[0] + (double)i * p[1];
}

VxTensor *vx_linspace(double start, double end, int64_t steps, VxDtype dtype)
{
    if (steps < 0) { vx_tensor_set_error("cannot make linspace with %lld steps", (long long)steps); return NULL; }
    int64_t n[1] = { steps };
    double p[4] = { start, steps > 1 ? (end - start) / (double)(steps - 1) : 0, (double)steps, end };
    return generate(n, 1, dtype, gen_linspace, p);
}

static double gen_eye(int64_t i, void *ctx) { int64_t m = *(int64_t *)ctx; return i / m == i % m; }

VxTensor *vx_eye(int64_t n, int64_t m, VxDtype dtype)
{
    int64_t shape[2] = { n, m };
    if (m <= 0 || n <= 0) return vx_zeros(shape, 2, dtype);
    return generate(shape, 2, dtype, gen_eye, &m);
}

static double gen_uniform(int64_t i, void *ctx) { (void)i; return vx_rng_uniform(ctx); }
static double gen_normal(int64_t i, void *ctx) { (void)i; return vx_rng_normal(ctx); }

VxTensor *vx_rand(const int64_t *shape, int ndim, VxDtype dtype, uint64_t seed)
{
    VxRng r;
    vx_rng_seed(&r, seed);
    return generate(shape, ndim, dtype, gen_uniform, &r);
}

VxTensor *vx_randn(const int64_t *shape, int ndim, VxDtype dtype, uint64_t seed)
{
    VxRng r;
    vx_rng_seed(&r, seed);
    return generate(shape, ndim, dtype, gen_normal, &r);
}

VxTensor *vx_randn_like(const VxTensor *t, uint64_t seed) { return vx_randn(t->shape, t->ndim, t->dtype, seed); }

typedef struct { VxRng r; int64_t low; uint64_t span; } IntCtx;

/* Modulo bias is below span / 2^64: negligible for any tensor-sized span. */
static double gen_int(int64_t i, void *ctx)
{
    (void)i;
    IntCtx *c = ctx;
    return (double)(c->low + (int64_t)(vx_rng_next(&c->r) % c->span));
}

VxTensor *vx_randint(int64_t low, int64_t high, const int64_t *shape, int ndim, VxDtype dtype, uint64_t seed)
{
    if (high <= low) {
        vx_tensor_set_error("cannot make randint(%lld, %lld): high must exceed low", (long long)low, (long long)high);
        return NULL;
    }
    IntCtx c = { .low = low, .span = (uint64_t)(high - low) };
    vx_rng_seed(&c.r, seed);
    return generate(shape, ndim, dtype, gen_int, &c);
}

static double gen_array(int64_t i, void *ctx) { return ((const double *)ctx)[i]; }

VxTensor *vx_tensor_from_f64(const double *data, const int64_t *shape, int ndim, VxDtype dtype)
{
    return generate(shape, ndim, dtype, gen_array, (void *)data);
}

VxTensor *vx_tensor_from_data(const void *data, const int64_t *shape, int ndim, VxDtype dtype)
{
    VxTensor *t = vx_empty(shape, ndim, dtype);
    if (t) t->storage->backend->write(t->storage, 0, data, t->storage->nbytes);
    return t;
}
