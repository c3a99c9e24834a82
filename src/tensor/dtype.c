/* dtype.c - element types: names, sizes, PyTorch's promotion rules, and
 * the load/store helpers that convert any element to f64 / i64 and back.
 * bf16 and f16 go through f32 with round-to-nearest-even (src/vm/num.c). */
#include <math.h>
#include <string.h>

#include "tensor_internal.h"
#include "../vm/num.h"

#define VX_DTYPES(X) X(F32, "f32", "torch.float32", 4, float)  X(F64, "f64", "torch.float64", 8, double) \
    X(BF16, "bf16", "torch.bfloat16", 2, uint16_t) X(F16, "f16", "torch.float16", 2, uint16_t) \
    X(I32, "i32", "torch.int32", 4, int32_t) X(I64, "i64", "torch.int64", 8, int64_t) \
    X(U8, "u8", "torch.uint8", 1, uint8_t) X(BOOL, "bool", "torch.bool", 1, uint8_t)

static const struct { const char *name, *torch; size_t size; } info[] = {
#define X(D, n, tn, sz, ct) [VX_##D] = { n, tn, sz },
    VX_DTYPES(X)
#undef X
};
_Static_assert(sizeof info / sizeof info[0] == VX_NDTYPES, "one entry per dtype");

const char *vx_dtype_name(VxDtype d) { return d < VX_NDTYPES ? info[d].name : "?"; }
const char *vx_dtype_torch_name(VxDtype d) { return d < VX_NDTYPES ? info[d].torch : "?"; }
size_t vx_dtype_size(VxDtype d) { return d < VX_NDTYPES ? info[d].size : 0; }
bool vx_dtype_is_float(VxDtype d) { return d <= VX_F16; }

/* Rank within a kind: bool 0; integers 1; floats 2. */
static int kind(VxDtype d) { return d == VX_BOOL ? 0 : vx_dtype_is_float(d) ? 2 : 1; }

VxDtype vx_dtype_promote(VxDtype a, VxDtype b)
{
    if (a == b) return a;
    if (kind(a) != kind(b)) return kind(a) > kind(b) ? a : b;
    if (kind(a) == 2) {
        if (a == VX_F64 || b == VX_F64) return VX_F64;
        return VX_F32;                      /* f32 with a 16-bit float, or bf16 with f16 */
    }
    /* integers: i64 > i32 > u8 (u8 with a signed type is the signed one) */
    if (a == VX_I64 || b == VX_I64) return VX_I64;
    return VX_I32;
}

double vx__load_f64(const void *base, VxDtype d, int64_t i)
{
    switch (d) {
    case VX_F32: return ((const float *)base)[i];
    case VX_F64: return ((const double *)base)[i];
    case VX_BF16: return vx_bf16_to_f32(((const uint16_t *)base)[i]);
    case VX_F16: return vx_f16_to_f32(((const uint16_t *)base)[i]);
    case VX_I32: return ((const int32_t *)base)[i];
    case VX_I64: return (double)((const int64_t *)base)[i];
    case VX_U8: case VX_BOOL: return ((const uint8_t *)base)[i];
    default: return NAN;
    }
}

int64_t vx__load_i64(const void *base, VxDtype d, int64_t i)
{
    switch (d) {
    case VX_I32: return ((const int32_t *)base)[i];
    case VX_I64: return ((const int64_t *)base)[i];
    case VX_U8: case VX_BOOL: return ((const uint8_t *)base)[i];
    default: {
        double v = vx__load_f64(base, d, i);  /* truncation, like a C cast; NaN gives 0 */
        return v != v ? 0 : v >= 9.2e18 ? INT64_MAX : v <= -9.2e18 ? INT64_MIN : (int64_t)v;
    }
    }
}

void vx__store_f64(void *base, VxDtype d, int64_t i, double v)
{
    switch (d) {
    case VX_F32: ((float *)base)[i] = (float)v; break;
    case VX_F64: ((double *)base)[i] = v; break;
    case VX_BF16: ((uint16_t *)base)[i] = vx_f32_to_bf16((float)v); break;
    case VX_F16: ((uint16_t *)base)[i] = vx_f32_to_f16((float)v); break;
    case VX_BOOL: ((uint8_t *)base)[i] = v != 0; break;
    default: vx__store_i64(base, d, i, v != v ? 0 : v >= 9.2e18 ? INT64_MAX : v <= -9.2e18 ? INT64_MIN : (int64_t)v);
    }
}

void vx__store_i64(void *base, VxDtype d, int64_t i, int64_t v)
{
    switch (d) {
    case VX_I32: ((int32_t *)base)[i] = (int32_t)v; break;
    case VX_I64: ((int64_t *)base)[i] = v; break;
    case VX_U8: ((uint8_t *)base)[i] = (uint8_t)v; break;
    case VX_BOOL: ((uint8_t *)base)[i] = v != 0; break;
    default: vx__store_f64(base, d, i, (double)v);
    }
}

/* ---- the strided odometer ----------------------------------------------- */
void vx__iter_init(VxIter *it, const VxTensor *shape_of, const VxTensor *const *ops, int nops)
{
    memset(it, 0, sizeof *it);
    it->ndim = shape_of->ndim;
    it->nops = nops;
    memcpy(it->shape, shape_of->shape, sizeof it->shape);
    for (int k = 0; k < nops; k++) {
        it->off[k] = ops[k]->offset;
        for (int d = 0; d < it->ndim; d++) it->strides[k][d] = ops[k]->strides[d];
    }
}

bool vx__iter_next(VxIter *it)
{
    for (int d = it->ndim - 1; d >= 0; d--) {
        if (++it->idx[d] < it->shape[d]) {
            for (int k = 0; k < it->nops; k++) it->off[k] += it->strides[k][d];
            return true;
        }
        for (int k = 0; k < it->nops; k++) it->off[k] -= it->strides[k][d] * (it->shape[d] - 1);
        it->idx[d] = 0;
    }
    return false;
}
