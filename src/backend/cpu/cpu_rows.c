/* cpu_rows.c - row walking and row load/store for the CPU NN kernels
 * (contracts in cpu_nn.h).  The f32 and f64 cases are tight loops; other
 * float dtypes go through the core's element converters. */
#include "cpu_nn.h"

bool vx__rows_init(VxIter *it, const VxTensor *const *ops, int nops)
{
    VxTensor lead = *ops[0];
    if (lead.ndim > 0) lead.ndim--;
    vx__iter_init(it, &lead, ops, nops);
    return vx_tensor_numel(&lead) > 0;
}

int64_t vx__row_len(const VxTensor *t) { return t->ndim ? t->shape[t->ndim - 1] : 1; }

static int64_t row_stride(const VxTensor *t) { return t->ndim ? t->strides[t->ndim - 1] : 1; }

void vx__row_load(double *dst, const VxTensor *t, int64_t off, int64_t n)
{
    int64_t st = row_stride(t);
    const void *base = t->storage->data;
    if (t->dtype == VX_F32) {
        const float *p = (const float *)base + off;
        if (st == 1) for (int64_t i = 0; i < n; i++) dst[i] = p[i];
        else for (int64_t i = 0; i < n; i++) dst[i] = p[i * st];
    } else if (t->dtype == VX_F64) {
        const double *p = (const double *)base + off;
        for (int64_t i = 0; i < n; i++) dst[i] = p[i * st];
    } else {
        for (int64_t i = 0; i < n; i++) dst[i] = vx__load_f64(base, t->dtype, off + i * st);
    }
}

void vx__row_store(VxTensor *t, int64_t off, const double *src, int64_t n)
{
    int64_t st = row_stride(t);
    void *base = t->storage->data;
    if (t->dtype == VX_F32) {
        float *p = (float *)base + off;
        if (st == 1) for (int64_t i = 0; i < n; i++) p[i] = (float)src[i];
        else for (int64_t i = 0; i < n; i++) p[i * st] = (float)src[i];
    } else if (t->dtype == VX_F64) {
        double *p = (double *)base + off;
        for (int64_t i = 0; i < n; i++) p[i * st] = src[i];
    } else {
        for (int64_t i = 0; i < n; i++) vx__store_f64(base, t->dtype, off + i * st, src[i]);
    }
}

double *vx__scratch(int64_t n)
{
    return vx__alloc((size_t)(n > 0 ? n : 1) * sizeof(double), "a row scratch buffer");
}

void vx__scratch_free(double *p, int64_t n) { vx__free(p, (size_t)(n > 0 ? n : 1) * sizeof(double)); }

bool vx__f32_rows(const VxTensor *const *ops, int nops, int64_t n)
{
    for (int k = 0; k < nops; k++)
        if (ops[k] && (ops[k]->dtype != VX_F32 || (n > 1 && row_stride(ops[k]) != 1))) return false;
    return true;
}

float *vx__f32_at(const VxTensor *t, int64_t off) { return (float *)t->storage->data + off; }
