/* ops_unary.c - elementwise unary ops and clamp.  Every one has the same
 * backward: g * op'(x), fused by the backend's unary_grad kernel (or
 * op' from its unary kernel in derivative mode, then a multiply), so adding an op means one X-macro line here and two
 * scalar functions in the backend. */
#include "tensor_internal.h"

static VxTensor *map(VxUnaryOp op, int deriv, VxTensor *x, const double *p, VxDtype dt)
{
    const VxBackend *be = vx__backend(x, "unary", vx_backend_get(x->device)->unary);
    VxTensor *out = be ? vx__new(x->shape, x->ndim, dt, x->device) : NULL;
    if (out && be->unary(op, deriv, out, x, p) < 0) { vx_tensor_release(out); return NULL; }
    return out;
}

static VxTensor *bw_unary(VxNode *n, VxTensor *g, int i)
{
    (void)i;
    VxTensor *x = n->inputs[0];
    const VxBackend *b = vx_backend_get(x->device);
    if (b && b->unary_grad && g->device == x->device) {       /* fused: one pass, no temporary */
        VxTensor *dx = vx__new(x->shape, x->ndim, g->dtype, x->device);
        if (dx && b->unary_grad((VxUnaryOp)n->ip[0], dx, x, g, n->p) < 0) { vx_tensor_release(dx); return NULL; }
        return dx;
    }
    VxScope s = {0};
    VxTensor *d = vx__keep(&s, map((VxUnaryOp)n->ip[0], 1, n->inputs[0], n->p, g->dtype));
    return vx__done(&s, d ? vx_mul(g, d) : NULL);
}

static VxTensor *unary(VxUnaryOp op, VxTensor *x, bool to_float, const double *p, const char *grad)
{
    if (!x) return NULL;
    VxDtype dt = to_float && !vx_dtype_is_float(x->dtype) ? VX_F32 : x->dtype;
    VxTensor *out = map(op, 0, x, p, dt);
    VxNode *n = vx__record(&out, grad, bw_unary, x, NULL, NULL);
    if (n) { n->ip[0] = (int)op; if (p) { n->p[0] = p[0]; n->p[1] = p[1]; } }
    return out;
}

#define X(name, NAME, grad, to_float) \
    VxTensor *vx_##name(VxTensor *t) { return unary(VX_OP_##NAME, t, to_float, NULL, grad); }
VX_UNARY_OPS(X)
#undef X

VxTensor *vx_clamp(VxTensor *t, double lo, double hi)
{
    double p[2] = { lo, hi };
    return unary(VX_OP_CLAMP, t, false, p, "ClampBackward1");
}
