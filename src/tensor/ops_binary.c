/* ops_binary.c - broadcasting binary ops, comparisons, their scalar forms
 * and where.  The op layer computes the broadcast shape, expands both
 * inputs to it (stride-0 views) and hands them to the backend's binary
 * kernel; the autograd engine sums gradients back over broadcast dims. */
#include <string.h>

#include "tensor_internal.h"

static const char *const symbol[VX_NBINARY] = {
    [VX_OP_ADD] = "+", [VX_OP_SUB] = "-", [VX_OP_MUL] = "*", [VX_OP_DIV] = "/", [VX_OP_POW] = "**",
    [VX_OP_MAXIMUM] = "max", [VX_OP_MINIMUM] = "min", [VX_OP_EQ] = "==", [VX_OP_NE] = "!=",
    [VX_OP_LT] = "<", [VX_OP_LE] = "<=", [VX_OP_GT] = ">", [VX_OP_GE] = ">=",
};

/* NumPy broadcasting of a and b into out; -1 with the type checker's
 * message if they do not fit. */
static int broadcast(const VxTensor *a, const VxTensor *b, const char *op, int64_t *out, int *ndim)
{
    int n = a->ndim > b->ndim ? a->ndim : b->ndim;
    for (int i = 0; i < n; i++) {
        int ia = a->ndim - n + i, ib = b->ndim - n + i;
        int64_t x = ia >= 0 ? a->shape[ia] : 1, y = ib >= 0 ? b->shape[ib] : 1;
        if (x != y && x != 1 && y != 1) {
            vx_tensor_set_error("cannot broadcast %s %s %s: dimensions %lld and %lld differ",
                                VX_TNAME(a), op, VX_TNAME(b), (long long)x, (long long)y);
            return -1;
        }
        out[i] = x == 1 ? y : x;
    }
    *ndim = n;
    return 0;
}

/* Expand the k inputs to shape and run the kernel (binary or where). */
static int run_kernel(VxBinaryOp op, VxTensor *dst, VxTensor *const *in, int k)
{
    VxTensor *e[3] = {0};
    int rc = 0;
    vx_no_grad_push();
    for (int i = 0; i < k && rc == 0; i++) rc = (e[i] = vx_expand(in[i], dst->shape, dst->ndim)) ? 0 : -1;
    vx_no_grad_pop();
    const VxBackend *be = rc ? NULL : vx__backend(dst, k == 2 ? "binary" : "where",
                                                   k == 2 ? (const void *)vx_backend_get(dst->device)->binary
                                                          : (const void *)vx_backend_get(dst->device)->where);
    rc = !be ? -1 : k == 2 ? be->binary(op, dst, e[0], e[1]) : be->where(dst, e[0], e[1], e[2]);
    for (int i = 0; i < k; i++) vx_tensor_release(e[i]);
    return rc;
}

static VxTensor *bw_binary(VxNode *n, VxTensor *g, int i);

static VxTensor *binary(VxBinaryOp op, VxTensor *a, VxTensor *b, const char *grad_name)
{
    if (!a || !b) return NULL;
    int64_t shape[VX_MAX_DIMS];
    int nd;
    if (broadcast(a, b, symbol[op], shape, &nd) < 0) return NULL;
    VxDtype dt = vx_dtype_promote(a->dtype, b->dtype);
    if (op >= VX_OP_EQ) dt = VX_BOOL;
    else if (op == VX_OP_DIV && !vx_dtype_is_float(dt)) dt = VX_F32;     /* true division */
    VxTensor *out = vx__new(shape, nd, dt, a->device), *in[2] = { a, b };
    if (out && run_kernel(op, out, in, 2) < 0) { vx_tensor_release(out); return NULL; }
    if (op >= VX_OP_EQ) return out;
    VxNode *node = vx__record(&out, grad_name, bw_binary, a, b, NULL);
    if (node) node->ip[0] = (int)op;
    return out;
}

/* A Python-number-like scalar: it takes the tensor's dtype unless the
 * tensor is integral (or bool) and the number is not. */
static VxTensor *weak_scalar(const VxTensor *a, double s)
{
    VxDtype d = a->dtype;
    if (!vx_dtype_is_float(d) && (s != (double)(int64_t)s || d == VX_BOOL)) d = s == (double)(int64_t)s ? VX_I64 : VX_F32;
    return vx_scalar(s, d);
}

static VxTensor *binary_s(VxBinaryOp op, VxTensor *a, double s, const char *grad_name)
{
    if (!a) return NULL;
    VxTensor *b = weak_scalar(a, s), *out = b ? binary(op, a, b, grad_name) : NULL;
    vx_tensor_release(b);
    return out;
}

#define X(name, NAME, grad)                                                                     \
    VxTensor *vx_##name(VxTensor *a, VxTensor *b) { return binary(VX_OP_##NAME, a, b, grad); } \
    VxTensor *vx_##name##_s(VxTensor *a, double s)                                             \
    { return binary_s(VX_OP_##NAME, a, s, VX_OP_##NAME == VX_OP_POW ? "PowBackward0" : grad); }
VX_BINARY_OPS(X)
VX_COMPARE_OPS(X)
#undef X

/* d(a op b)/d(input i) times g.  Ties of maximum/minimum split the
 * gradient evenly, as torch does. */
static VxTensor *bw_binary(VxNode *n, VxTensor *g, int i)
{
    VxTensor *a = n->inputs[0], *b = n->inputs[1];
    VxScope s = {0};
    switch ((VxBinaryOp)n->ip[0]) {
    case VX_OP_ADD: return vx_tensor_retain(g);
    case VX_OP_SUB: return i == 0 ? vx_tensor_retain(g) : vx_neg(g);
    case VX_OP_MUL: return vx_mul(g, i == 0 ? b : a);
    case VX_OP_DIV:
        if (i == 0) return vx_div(g, b);
        return vx__done(&s, vx_neg(vx__keep(&s, vx_div(vx__keep(&s, vx_mul(g, a)), vx__keep(&s, vx_mul(b, b))))));
    case VX_OP_POW:
        if (i == 0) {   /* b * a^(b-1) */
            VxTensor *p = vx__keep(&s, vx_pow(a, vx__keep(&s, vx_sub_s(b, 1))));
            return vx__done(&s, vx_mul(g, vx__keep(&s, vx_mul(b, p))));
        }
        return vx__done(&s, vx_mul(g, vx__keep(&s, vx_mul(vx__keep(&s, vx_pow(a, b)), vx__keep(&s, vx_log(a))))));
    default: {          /* maximum / minimum: (wins + ties / 2) */
        bool mx = n->ip[0] == VX_OP_MAXIMUM;
        VxTensor *x = i == 0 ? a : b, *y = i == 0 ? b : a;
        VxTensor *win = vx__keep(&s, mx ? vx_gt(x, y) : vx_lt(x, y)), *tie = vx__keep(&s, vx_eq(x, y));
        VxTensor *w = vx__keep(&s, vx_add(vx__keep(&s, vx_to(win, g->dtype)), vx__keep(&s, vx_mul_s(vx__keep(&s, vx_to(tie, g->dtype)), 0.5))));
        return vx__done(&s, vx_mul(g, w));
    }
    }
}

/* ---- where ----------------------------------------------------------------- */
static VxTensor *bw_where(VxNode *n, VxTensor *g, int i)
{
    VxScope s = {0};
    VxTensor *z = vx__keep(&s, vx_scalar(0, g->dtype));
    return vx__done(&s, i == 0 ? vx_where(n->saved, g, z) : vx_where(n->saved, z, g));
}

VxTensor *vx_where(VxTensor *cond, VxTensor *a, VxTensor *b)
{
    if (!cond || !a || !b) return NULL;
    int64_t s1[VX_MAX_DIMS], shape[VX_MAX_DIMS];
    int n1, nd;
    VxTensor pseudo = *a;                   /* a header with the a/b broadcast shape, for messages */
    if (broadcast(a, b, "and", s1, &n1) < 0) return NULL;
    pseudo.ndim = n1;
    memcpy(pseudo.shape, s1, sizeof s1);
    if (broadcast(cond, &pseudo, "and", shape, &nd) < 0) return NULL;
    VxTensor *out = vx__new(shape, nd, vx_dtype_promote(a->dtype, b->dtype), a->device), *in[3] = { cond, a, b };
    if (out && run_kernel(VX_OP_EQ, out, in, 3) < 0) { vx_tensor_release(out); return NULL; }
    VxNode *node = vx__record(&out, "WhereBackward0", bw_where, a, b, NULL);
    if (node) node->saved = vx_tensor_retain(cond);
    return out;
}
