/* tensor_vm.c - tensors as VM values: the TENSOR instruction's operations
 * (tensor_ops.h) over the tensor library (src/tensor/tensor.h), printing,
 * equality and release.  Every NULL (or -1) from the library becomes a
 * located runtime error with the library's message, so a shape mismatch
 * found at run time reads like the type checker's. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tensor_vm.h"
#include "../util/arena.h"

_Static_assert((int)VX_TDT_F32 == (int)VX_F32 && (int)VX_TDT_F64 == (int)VX_F64 && (int)VX_TDT_BF16 == (int)VX_BF16 &&
               (int)VX_TDT_F16 == (int)VX_F16 && (int)VX_TDT_I32 == (int)VX_I32 && (int)VX_TDT_I64 == (int)VX_I64 &&
               (int)VX_TDT_U8 == (int)VX_U8 && (int)VX_TDT_BOOL == (int)VX_BOOL && (int)VX_TDT_COUNT == (int)VX_NDTYPES,
               "VxTDtype follows VxDtype");

const int vx_tensor_op_nargs[VX_TOP_COUNT] = {
#define VX_TOP_(name, n) n,
    VX_TENSOR_OPS(VX_TOP_)
#undef VX_TOP_
};

const char *const vx_tensor_op_names[VX_TOP_COUNT] = {
#define VX_TOP_(name, n) #name,
    VX_TENSOR_OPS(VX_TOP_)
#undef VX_TOP_
};

static int outstanding_no_grad;       /* pushes not yet popped (a runtime error skips the pops) */
static VxTensorObj live_tensors = { .prev = &live_tensors, .next = &live_tensors };   /* every tensor object, for release_all */

/* ---- values ----------------------------------------------------------------------- */

int vm_put_tensor(Vm *vm, VxTensor *t, VxValue *out)
{
    if (!t) return vm_error(vm, "%s", vx_tensor_last_error());
    VxTensorObj *o = vm_new_obj(vm, sizeof *o, VX_OBJ_TENSOR);
    o->t = t;
    o->next = live_tensors.next;
    o->prev = &live_tensors;
    live_tensors.next->prev = o;
    live_tensors.next = o;
    out->tn = o;
    return 0;
}

int vm_lib_status(Vm *vm, int rc) { return rc ? vm_error(vm, "%s", vx_tensor_last_error()) : 0; }

/* A scalar of t's dtype into a register, as the static type holds it. */
static void scalar_out(VxDtype d, double f, int64_t i, VxValue *out)
{
    out->u = 0;
    if (d == VX_F64) out->f = f;
    else if (vx_dtype_is_float(d)) out->f32 = (float)f;
    else out->i = i;
}

static int read_scalar(Vm *vm, VxTensor *t, const int64_t *idx, VxValue *out)
{
    double f = 0;
    int64_t i = 0;
    int rc = vx_dtype_is_float(t->dtype) ? vx_tensor_get_f64(t, idx, &f) : vx_tensor_get_i64(t, idx, &i);
    if (rc) return vm_lib_status(vm, rc);
    scalar_out(t->dtype, f, i, out);
    return 0;
}

/* ---- shapes and dims from [i64] arrays ---------------------------------------------------- */

static int shape_of(Vm *vm, const VxArr *a, int64_t *shape, int *ndim)
{
    if (a->len > VX_MAX_DIMS) return vm_error(vm, "a tensor has at most %d dimensions, this shape has %u", VX_MAX_DIMS, a->len);
    for (uint32_t k = 0; k < a->len; k++) shape[k] = a->items[k].i;
    *ndim = (int)a->len;
    return 0;
}

int vm_tensor_dim(Vm *vm, const VxTensor *t, int64_t d, int extra, int *out)
{
    int n = t->ndim + extra;
    if (d < -n || d >= (n ? n : 1)) {
        char ty[128];
        return vm_error(vm, "dimension %lld is out of range for %s (valid: %d..%d)", (long long)d,
                        vx_tensor_type_str(t, ty, sizeof ty), -n, n ? n - 1 : 0);
    }
    *out = (int)(d < 0 ? d + n : d);
    return 0;
}

/* ---- creation ---------------------------------------------------------------------------- */

/* Nested arrays of numbers (tensor([[1.0, 2.0], [3.0, 4.0]])): the shape
 * from the first element at each level, every row checked against it. */
static int nested_shape(Vm *vm, const VxArr *a, int64_t *shape, int *ndim)
{
    *ndim = 0;
    for (const VxArr *x = a;; x = x->items[0].a) {
        if (*ndim == VX_MAX_DIMS) return vm_error(vm, "tensor(): more than %d levels of nesting", VX_MAX_DIMS);
        shape[(*ndim)++] = x->len;
        if (x->elem_kind != VX_PUT_ARR || x->len == 0) return 0;
    }
}

static int flatten(Vm *vm, const VxArr *a, const int64_t *shape, int ndim, int level, double *out, int64_t *n)
{
    if (a->len != shape[level])
        return vm_error(vm, "tensor(): the nested arrays are ragged: a row at depth %d has %u elements, the first has %lld",
                        level, a->len, (long long)shape[level]);
    for (uint32_t k = 0; k < a->len; k++) {
        if (level + 1 < ndim) {
            if (flatten(vm, a->items[k].a, shape, ndim, level + 1, out, n)) return 1;
            continue;
        }
        VxValue v = a->items[k];
        int kind = a->elem_kind;
        out[(*n)++] = kind == VX_PUT_F64 ? v.f : kind == VX_PUT_F32 ? v.f32
                    : kind == VX_PUT_BOOL ? (double)v.i : kind >= VX_PUT_INT + 6 ? (double)v.u : (double)v.i;
    }
    return 0;
}

static int from_array(Vm *vm, const VxArr *a, VxDtype dt, VxValue *out)
{
    int64_t shape[VX_MAX_DIMS], total = 1, n = 0;
    int ndim;
    if (nested_shape(vm, a, shape, &ndim)) return 1;
    for (int k = 0; k < ndim; k++) total *= shape[k];
    double *data = vx_xmalloc(sizeof(double) * (size_t)(total ? total : 1));
    int rc = flatten(vm, a, shape, ndim, 0, data, &n);
    if (!rc) rc = vm_put_tensor(vm, vx_tensor_from_f64(data, shape, ndim, dt), out);
    free(data);
    return rc;
}

static int create(Vm *vm, int op, const VxValue *a, VxValue *out)
{
    int64_t shape[VX_MAX_DIMS];
    int nd = 0;
    switch (op) {
    case VX_TOP_ZEROS: case VX_TOP_ONES:
        if (shape_of(vm, a[0].a, shape, &nd)) return 1;
        return vm_put_tensor(vm, (op == VX_TOP_ZEROS ? vx_zeros : vx_ones)(shape, nd, (VxDtype)a[1].i), out);
    case VX_TOP_FULL:
        if (shape_of(vm, a[0].a, shape, &nd)) return 1;
        return vm_put_tensor(vm, vx_full(shape, nd, (VxDtype)a[2].i, a[1].f), out);
    case VX_TOP_RANDN: case VX_TOP_RAND:
        if (shape_of(vm, a[0].a, shape, &nd)) return 1;
        return vm_put_tensor(vm, (op == VX_TOP_RANDN ? vx_randn : vx_rand)(shape, nd, (VxDtype)a[2].i, a[1].u), out);
    case VX_TOP_RANDINT:
        if (shape_of(vm, a[2].a, shape, &nd)) return 1;
        return vm_put_tensor(vm, vx_randint(a[0].i, a[1].i, shape, nd, (VxDtype)a[4].i, a[3].u), out);
    case VX_TOP_ARANGE: return vm_put_tensor(vm, vx_arange(a[0].f, a[1].f, a[2].f, (VxDtype)a[3].i), out);
    case VX_TOP_LINSPACE: return vm_put_tensor(vm, vx_linspace(a[0].f, a[1].f, a[2].i, (VxDtype)a[3].i), out);
    case VX_TOP_EYE: return vm_put_tensor(vm, vx_eye(a[0].i, a[1].i < 0 ? a[0].i : a[1].i, (VxDtype)a[2].i), out);
    case VX_TOP_FROM_ARRAY: return from_array(vm, a[0].a, (VxDtype)a[1].i, out);
    case VX_TOP_ZEROS_LIKE: return vm_put_tensor(vm, vx_zeros_like(vm_tv(a[0])), out);
    default: return vm_put_tensor(vm, vx_ones_like(vm_tv(a[0])), out);
    }
}

/* ---- elementwise ---------------------------------------------------------------------------- */

typedef VxTensor *(*BinFn)(VxTensor *, VxTensor *);
typedef VxTensor *(*BinSFn)(VxTensor *, double);
static const BinFn bin_fns[VX_TB_COUNT] = { vx_add, vx_sub, vx_mul, vx_div, vx_pow, vx_maximum, vx_minimum,
                                            vx_eq, vx_ne, vx_lt, vx_le, vx_gt, vx_ge };
static const BinSFn bin_s_fns[VX_TB_COUNT] = { vx_add_s, vx_sub_s, vx_mul_s, vx_div_s, vx_pow_s, vx_maximum_s,
                                               vx_minimum_s, vx_eq_s, vx_ne_s, vx_lt_s, vx_le_s, vx_gt_s, vx_ge_s };
static VxTensor *(*const unary_fns[VX_TU_COUNT])(VxTensor *) = {
    vx_neg, vx_exp, vx_log, vx_sqrt, vx_rsqrt, vx_tanh, vx_sigmoid, vx_relu, vx_gelu, vx_silu, vx_softplus, vx_abs,
    vx_gelu_tanh };

/* s op t with the scalar on the left: s as a 0-dim tensor of t's dtype
 * (which, like a Python number in torch, does not widen t). */
static VxTensor *scalar_left(int op, double s, VxTensor *t)
{
    VxTensor *k = vx_scalar(s, t->dtype);
    if (!k) return NULL;
    VxTensor *r = bin_fns[op](k, t);
    vx_tensor_release(k);
    return r;
}

/* A value that is a tensor, or a scalar made into one of dtype dt. */
static VxTensor *operand(VxValue v, bool scalar, VxDtype dt)
{
    return scalar ? vx_scalar(v.f, dt) : vx_tensor_retain(vm_tv(v));
}

/* where(cond, a, b); mode bit 0: a is a scalar, bit 1: b is. */
static VxTensor *where3(const VxValue *a)
{
    int mode = (int)a[3].i;
    VxDtype dt = (VxDtype)a[4].i;
    if (!(mode & 1)) dt = vm_tv(a[1])->dtype;
    else if (!(mode & 2)) dt = vm_tv(a[2])->dtype;
    VxTensor *x = operand(a[1], mode & 1, dt), *y = x ? operand(a[2], mode & 2, dt) : NULL;
    VxTensor *r = y ? vx_where(vm_tv(a[0]), x, y) : NULL;
    vx_tensor_release(x);
    vx_tensor_release(y);
    return r;
}

/* t op= x in place (PyTorch's `t -= x`): the result must have t's shape;
 * not allowed while autodiff could record t. */
static int in_place(Vm *vm, const VxValue *a)
{
    VxTensor *t = vm_tv(a[0]);
    if (vx_grad_enabled() && t->requires_grad) {
        char ty[128];
        return vm_error(vm, "cannot update %s in place: it requires grad and autodiff is recording "
                        "(put the update inside `no_grad { ... }`)", vx_tensor_type_str(t, ty, sizeof ty));
    }
    int op = (int)a[2].i;
    VxTensor *r = a[3].i ? bin_s_fns[op](t, a[1].f) : bin_fns[op](t, vm_tv(a[1]));
    if (!r) return vm_lib_status(vm, -1);
    int rc = 0;
    bool same = r->ndim == t->ndim && memcmp(r->shape, t->shape, sizeof(int64_t) * (size_t)t->ndim) == 0;
    if (!same) {
        char x[128], y[128];
        rc = vm_error(vm, "cannot update %s in place with a result of type %s", vx_tensor_type_str(t, x, sizeof x),
                      vx_tensor_type_str(r, y, sizeof y));
    } else {
        rc = vm_lib_status(vm, vx_tensor_copy_(t, r));
    }
    vx_tensor_release(r);
    return rc;
}

/* ---- reductions --------------------------------------------------------------------------------- */

static int reduce(Vm *vm, const VxValue *a, VxValue *out)
{
    VxTensor *t = vm_tv(a[0]);
    int op = (int)a[1].i, d = 0, nd = a[3].i ? 1 : 0;
    bool keep = a[4].i != 0;
    if (nd && vm_tensor_dim(vm, t, a[2].i, 0, &d)) return 1;
    const int *dims = nd ? &d : NULL;
    VxTensor *r;
    switch (op) {
    case VX_TR_SUM: r = vx_sum(t, dims, nd, keep); break;
    case VX_TR_MEAN: r = vx_mean(t, dims, nd, keep); break;
    case VX_TR_PROD: r = vx_prod(t, dims, nd, keep); break;
    case VX_TR_MAX: r = vx_max(t, dims, nd, keep); break;
    case VX_TR_MIN: r = vx_min(t, dims, nd, keep); break;
    case VX_TR_ARGMAX: r = vx_argmax(t, dims, nd, keep); break;
    case VX_TR_ARGMIN: r = vx_argmin(t, dims, nd, keep); break;
    case VX_TR_VAR: r = vx_var(t, dims, nd, a[5].f, keep); break;
    case VX_TR_STD: r = vx_std(t, dims, nd, a[5].f, keep); break;
    default: r = vx_logsumexp(t, dims, nd, keep); break;
    }
    return vm_put_tensor(vm, r, out);
}

/* ---- views ---------------------------------------------------------------------------------------- */

static int permute(Vm *vm, VxTensor *t, const VxArr *order, VxValue *out)
{
    int dims[VX_MAX_DIMS];
    if (order->len > VX_MAX_DIMS) return vm_error(vm, "permute: %u dimensions given, at most %d", order->len, VX_MAX_DIMS);
    for (uint32_t k = 0; k < order->len; k++) dims[k] = (int)order->items[k].i;
    return vm_put_tensor(vm, vx_permute(t, dims, (int)order->len), out);
}

static int reshaped(Vm *vm, int op, VxTensor *t, const VxArr *s, VxValue *out)
{
    int64_t shape[VX_MAX_DIMS];
    int nd = 0;
    if (shape_of(vm, s, shape, &nd)) return 1;
    VxTensor *(*fn)(VxTensor *, const int64_t *, int) = op == VX_TOP_RESHAPE ? vx_reshape : op == VX_TOP_VIEW ? vx_view : vx_expand;
    return vm_put_tensor(vm, fn(t, shape, nd), out);
}

/* t[spec]: integers select (drop the dim), ranges slice, `:` keeps. */
static int slice(Vm *vm, VxTensor *t, const VxArr *spec, VxValue *out)
{
    VxTensor *cur = vx_tensor_retain(t);
    int dim = 0;
    for (uint32_t k = 0; k + 2 < spec->len; k += 3) {
        int64_t kind = spec->items[k].i, lo = spec->items[k + 1].i, hi = spec->items[k + 2].i;
        if (dim >= cur->ndim) {
            char ty[128];
            vx_tensor_release(cur);
            return vm_error(vm, "too many indices for %s", vx_tensor_type_str(t, ty, sizeof ty));
        }
        VxTensor *next = cur;
        if (kind == VX_TIX_INT) {
            int64_t n = cur->shape[dim];
            if (lo < -n || lo >= n) {
                char ty[128];
                vx_tensor_release(cur);
                return vm_error(vm, "index %lld is out of range for dimension %d of %s (size %lld)", (long long)lo,
                                (int)(k / 3), vx_tensor_type_str(t, ty, sizeof ty), (long long)n);
            }
            next = vx_select(cur, dim, lo);
        } else if (kind == VX_TIX_RANGE) {
            next = vx_slice(cur, dim++, lo, hi, 1);
        } else {
            dim++;
            continue;
        }
        vx_tensor_release(cur);
        if (!next) return vm_lib_status(vm, -1);
        cur = next;
    }
    return vm_put_tensor(vm, cur, out);
}

/* t[i, j] with every index an integer: bounds-checked like an array. */
static int element_index(Vm *vm, VxTensor *t, const VxArr *ix, int64_t *idx)
{
    char ty[128];
    if ((int)ix->len != t->ndim)
        return vm_error(vm, "%u indices for %s, which has %d dimension%s", ix->len, vx_tensor_type_str(t, ty, sizeof ty),
                        t->ndim, t->ndim == 1 ? "" : "s");
    for (int d = 0; d < t->ndim; d++) {
        int64_t i = ix->items[d].i, n = t->shape[d];
        if (i < -n || i >= n)
            return vm_error(vm, "index %lld is out of range for dimension %d of %s (size %lld)", (long long)i, d,
                            vx_tensor_type_str(t, ty, sizeof ty), (long long)n);
        idx[d] = i < 0 ? i + n : i;
    }
    return 0;
}

/* ---- properties -------------------------------------------------------------------------------------- */

static int shape_array(Vm *vm, VxTensor *t, VxValue *out)
{
    VxArr *a = vm_new_arr(vm, (uint32_t)t->ndim, VX_TPUT_I64);
    for (int k = 0; k < t->ndim; k++) a->items[k].i = t->shape[k];
    a->len = (uint32_t)t->ndim;
    out->a = a;
    return 0;
}

static int dtype_name(Vm *vm, VxTensor *t, VxValue *out)
{
    const char *n = vx_dtype_name(t->dtype);
    out->s = vm_str_append(vm, vm_new_str(vm, (uint32_t)strlen(n)), n, strlen(n));
    return 0;
}

static int item(Vm *vm, VxTensor *t, VxValue *out)
{
    if (vx_tensor_numel(t) != 1) {
        char ty[128];
        return vm_error(vm, "item() needs a tensor of one element, found %s (%lld elements)", vx_tensor_type_str(t, ty, sizeof ty),
                        (long long)vx_tensor_numel(t));
    }
    int64_t idx[VX_MAX_DIMS] = {0};
    return read_scalar(vm, t, idx, out);
}

static int requires_grad(Vm *vm, VxTensor *t, const VxValue *a, VxValue *out)
{
    if (vx_tensor_set_requires_grad(t, true)) return vm_lib_status(vm, -1);
    vx_tensor_retain(t);
    (void)a;
    return vm_put_tensor(vm, t, out);
}

/* ---- dispatch ------------------------------------------------------------------------------------------- */

static int views(Vm *vm, int op, const VxValue *a, VxValue *out)
{
    VxTensor *t = vm_tv(a[0]);
    int x, y;
    switch (op) {
    case VX_TOP_TRANSPOSE:
        if (vm_tensor_dim(vm, t, a[1].i, 0, &x) || vm_tensor_dim(vm, t, a[2].i, 0, &y)) return 1;
        return vm_put_tensor(vm, vx_transpose(t, x, y), out);
    case VX_TOP_MT:
        if (t->ndim < 2) return vm_put_tensor(vm, vx_tensor_retain(t), out);
        return vm_put_tensor(vm, vx_transpose(t, t->ndim - 2, t->ndim - 1), out);
    case VX_TOP_PERMUTE: return permute(vm, t, a[1].a, out);
    case VX_TOP_RESHAPE: case VX_TOP_VIEW: case VX_TOP_EXPAND: return reshaped(vm, op, t, a[1].a, out);
    case VX_TOP_SQUEEZE:
        if (!a[2].i) return vm_put_tensor(vm, vx_squeeze_all(t), out);
        if (vm_tensor_dim(vm, t, a[1].i, 0, &x)) return 1;
        return vm_put_tensor(vm, vx_squeeze(t, x), out);
    case VX_TOP_UNSQUEEZE:
        if (vm_tensor_dim(vm, t, a[1].i, 1, &x)) return 1;
        return vm_put_tensor(vm, vx_unsqueeze(t, x), out);
    case VX_TOP_CONTIGUOUS: return vm_put_tensor(vm, vx_contiguous(t), out);
    case VX_TOP_DETACH: return vm_put_tensor(vm, vx_detach(t), out);
    case VX_TOP_CLONE: return vm_put_tensor(vm, vx_clone(t), out);
    case VX_TOP_TO: return vm_put_tensor(vm, vx_to(t, (VxDtype)a[1].i), out);
    default: return slice(vm, t, a[1].a, out);
    }
}

static int autodiff(Vm *vm, int op, const VxValue *a, VxValue *out)
{
    switch (op) {
    case VX_TOP_REQUIRES_GRAD: return requires_grad(vm, vm_tv(a[0]), a, out);
    case VX_TOP_BACKWARD: {                           /* held: a checkpoint's closure may fail inside */
        VxTensor *root = vx_tensor_retain(vm_tv(a[0]));
        int rc = vx_backward(root, NULL);
        vx_tensor_release(root);
        return vm_lib_status(vm, rc);
    }
    case VX_TOP_GRAD: return vm_put_tensor(vm, vx_tensor_grad(vm_tv(a[0])), out);
    case VX_TOP_ZERO_GRAD: return vm_lib_status(vm, vx_zero_grad(vm_tv(a[0])));
    case VX_TOP_NO_GRAD_PUSH: vx_no_grad_push(); outstanding_no_grad++; return 0;
    default: vx_no_grad_pop(); outstanding_no_grad--; return 0;
    }
}

int vm_tensor_op(Vm *vm, int op, const VxValue *a, int nargs, VxValue *out)
{
    (void)nargs;
    int64_t idx[VX_MAX_DIMS];
    vx_tensor_clear_error();
    if (op <= VX_TOP_ONES_LIKE) return create(vm, op, a, out);
    if (op >= VX_TOP_TRANSPOSE && op <= VX_TOP_MT) return views(vm, op, a, out);
    if (op >= VX_TOP_REQUIRES_GRAD && op <= VX_TOP_NO_GRAD_POP) return autodiff(vm, op, a, out);
    if (op >= VX_TOP_CAT && op <= VX_TOP_UNBIND) return vm_tensor_shape_op(vm, op, a, out);
    switch (op) {
    case VX_TOP_BIN_TT: return vm_put_tensor(vm, bin_fns[a[2].i](vm_tv(a[0]), vm_tv(a[1])), out);
    case VX_TOP_BIN_TS: return vm_put_tensor(vm, bin_s_fns[a[2].i](vm_tv(a[0]), a[1].f), out);
    case VX_TOP_BIN_ST: return vm_put_tensor(vm, scalar_left((int)a[2].i, a[0].f, vm_tv(a[1])), out);
    case VX_TOP_UNARY: return vm_put_tensor(vm, unary_fns[a[1].i](vm_tv(a[0])), out);
    case VX_TOP_CLAMP: return vm_put_tensor(vm, vx_clamp(vm_tv(a[0]), a[1].f, a[2].f), out);
    case VX_TOP_WHERE: return vm_put_tensor(vm, where3(a), out);
    case VX_TOP_REDUCE: return reduce(vm, a, out);
    case VX_TOP_MATMUL: return vm_put_tensor(vm, vx_matmul(vm_tv(a[0]), vm_tv(a[1])), out);
    case VX_TOP_ITEM: return item(vm, vm_tv(a[0]), out);
    case VX_TOP_NUMEL: out->i = vx_tensor_numel(vm_tv(a[0])); return 0;
    case VX_TOP_SHAPE: return shape_array(vm, vm_tv(a[0]), out);
    case VX_TOP_DTYPE: return dtype_name(vm, vm_tv(a[0]), out);
    case VX_TOP_GET:
        if (element_index(vm, vm_tv(a[0]), a[1].a, idx)) return 1;
        return read_scalar(vm, vm_tv(a[0]), idx, out);
    case VX_TOP_SET:
        if (element_index(vm, vm_tv(a[0]), a[1].a, idx)) return 1;
        return vm_lib_status(vm, vx_tensor_set_f64(vm_tv(a[0]), idx, a[2].f));
    case VX_TOP_SLICE: return views(vm, op, a, out);
    case VX_TOP_IOP: return in_place(vm, a);
    case VX_TOP_PARAMS: return vm_tensor_params(vm, a, out);
    case VX_TOP_CHECKPOINT: case VX_TOP_MEM_PEAK: return vm_tensor_ckpt_op(vm, op, a, out);
    case VX_TOP_OPTIM_NEW: case VX_TOP_OPTIM: case VX_TOP_CLIP_GRAD: case VX_TOP_LR_SCHED: case VX_TOP_SAVE_ST:
    case VX_TOP_LOAD_ST: return vm_tensor_optim_op(vm, op, a, out);
    default: return vm_tensor_nn_op(vm, op, a, out);
    }
}

/* ---- printing, equality, release ------------------------------------------------------------------------- */

char *vm_tensor_text(const VxObj *o, size_t *len)
{
    const VxTensor *t = ((const VxTensorObj *)o)->t;
    char small[256];
    int64_t n = vx_tensor_format(t, small, sizeof small);
    if (n < 0) n = snprintf(small, sizeof small, "<tensor: %s>", vx_tensor_last_error());
    char *buf = vx_xmalloc((size_t)n + 1);
    if ((size_t)n < sizeof small) memcpy(buf, small, (size_t)n + 1);
    else vx_tensor_format(t, buf, (size_t)n + 1);
    *len = (size_t)n;
    return buf;
}

bool vm_tensor_equal(const VxObj *a, const VxObj *b)
{
    VxTensor *x = ((const VxTensorObj *)a)->t, *y = ((const VxTensorObj *)b)->t;
    if (x == y) return true;
    if (x->ndim != y->ndim || memcmp(x->shape, y->shape, sizeof(int64_t) * (size_t)x->ndim) != 0) return false;
    vx_no_grad_push();
    VxTensor *ne = vx_ne(x, y), *any = ne ? vx_sum(ne, NULL, 0, false) : NULL;
    double count = 1;
    bool eq = any && vx_tensor_item_f64(any, &count) == 0 && count == 0;
    vx_tensor_release(any);
    vx_tensor_release(ne);
    vx_no_grad_pop();
    return eq;
}

void vm_tensor_free_parts(VxObj *o)
{
    VxTensorObj *x = (VxTensorObj *)o;
    x->prev->next = x->next;
    x->next->prev = x->prev;
    vx_tensor_release(x->t);
}

void vm_tensor_release_all(void)
{
    vm_handle_release_all();                          /* optimizers hold tensors */
    while (live_tensors.next != &live_tensors) vm_tensor_free_parts(&live_tensors.next->h);
}

int vm_tensor_finish(int status)
{
    for (; outstanding_no_grad > 0; outstanding_no_grad--) vx_no_grad_pop();
    vm_tensor_rng_reset();
    int64_t live = vx_tensor_live_tensors();
    if (live && status != 70) {
        fprintf(stderr, "internal error: %lld tensors were never released\n", (long long)live);
        return 70;
    }
    return status;
}
