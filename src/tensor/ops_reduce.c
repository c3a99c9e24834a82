/* ops_reduce.c - reductions over any set of dims.  The op layer permutes
 * the reduced dims to the end (a view) so the backend reduces trailing
 * slices; keepdim is a reshape of the fresh result.  Backward functions
 * re-run the forward reduction (keepdim) when they need its value rather
 * than saving the output, which would make a reference cycle. */
#include <math.h>
#include <string.h>

#include "tensor_internal.h"

/* Dims as a bit mask; all dims when ndims == 0. */
static int dim_mask(const VxTensor *t, const int *dims, int ndims, unsigned *mask)
{
    *mask = 0;
    if (ndims == 0) { *mask = (1u << t->ndim) - 1; return 0; }
    for (int i = 0; i < ndims; i++) {
        int d = vx__norm_dim(t, dims[i], "reduce");
        if (d < 0) return -1;
        if (t->ndim == 0) continue;
        if (*mask & (1u << d)) { vx_tensor_set_error("cannot reduce %s: dimension %d repeats", VX_TNAME(t), dims[i]); return -1; }
        *mask |= 1u << d;
    }
    return 0;
}

static VxDtype result_dtype(VxReduceOp op, VxDtype in)
{
    if (op == VX_RED_ARGMAX || op == VX_RED_ARGMIN) return VX_I64;
    if (op == VX_RED_SUM || op == VX_RED_PROD) return vx_dtype_is_float(in) ? in : VX_I64;
    if (op == VX_RED_MAX || op == VX_RED_MIN) return in;
    return vx_dtype_is_float(in) ? in : VX_F32;
}

/* The reduction itself, not recorded: mask of dims, keepdim. */
static VxTensor *reduce_raw(VxReduceOp op, VxTensor *t, unsigned mask, bool keepdim, double param)
{
    int perm[VX_MAX_DIMS], np = 0, nred = 0;
    int64_t kept[VX_MAX_DIMS], keep_shape[VX_MAX_DIMS], nslice = 1;
    for (int d = 0; d < t->ndim; d++) {
        keep_shape[d] = mask & (1u << d) ? 1 : t->shape[d];
        if (!(mask & (1u << d))) { kept[np] = t->shape[d]; perm[np++] = d; }
    }
    for (int d = 0; d < t->ndim; d++) if (mask & (1u << d)) { perm[np + nred++] = d; nslice *= t->shape[d]; }
    if (nslice == 0 && op >= VX_RED_MAX && op <= VX_RED_ARGMIN) {
        vx_tensor_set_error("cannot reduce %s with max, min, argmax or argmin: it has no elements to reduce", VX_TNAME(t));
        return NULL;
    }
    const VxBackend *be = vx__backend(t, "reduce", vx_backend_get(t->device)->reduce);
    vx_no_grad_push();
    VxTensor *x = be ? vx_permute(t, perm, t->ndim) : NULL;
    VxTensor *out = x ? vx__new(kept, np, result_dtype(op, t->dtype), t->device) : NULL;
    if (out && be->reduce(op, out, x, nred, param) < 0) { vx_tensor_release(out); out = NULL; }
    if (out && keepdim) { VxTensor *k = vx_reshape(out, keep_shape, t->ndim); vx_tensor_release(out); out = k; }
    vx_no_grad_pop();
    vx_tensor_release(x);
    return out;
}

static const char *const grad_names[VX_NREDUCE][2] = {
    [VX_RED_SUM] = { "SumBackward0", "SumBackward1" }, [VX_RED_MEAN] = { "MeanBackward0", "MeanBackward1" },
    [VX_RED_PROD] = { "ProdBackward0", "ProdBackward1" }, [VX_RED_MAX] = { "MaxBackward1", "AmaxBackward0" },
    [VX_RED_MIN] = { "MinBackward1", "AminBackward0" }, [VX_RED_VAR] = { "VarBackward0", "VarBackward0" },
    [VX_RED_LOGSUMEXP] = { "LogsumexpBackward0", "LogsumexpBackward0" },
};

static VxTensor *bw_reduce(VxNode *n, VxTensor *g, int i);

/* ip[0] op, ip[1] mask, ip[2] is std (var then sqrt) */
static VxTensor *reduce(VxReduceOp op, VxTensor *t, const int *dims, int ndims, bool keepdim, double param)
{
    unsigned mask;
    if (!t || dim_mask(t, dims, ndims, &mask) < 0) return NULL;
    if ((op == VX_RED_ARGMAX || op == VX_RED_ARGMIN) && ndims > 1) {
        vx_tensor_set_error("cannot take argmax or argmin of %s over %d dimensions: at most one", VX_TNAME(t), ndims);
        return NULL;
    }
    VxTensor *out = reduce_raw(op, t, mask, keepdim, param);
    if (op == VX_RED_ARGMAX || op == VX_RED_ARGMIN) return out;
    VxNode *node = vx__record(&out, grad_names[op][ndims > 0], bw_reduce, t, NULL, NULL);
    if (node) { node->ip[0] = (int)op; node->ip[1] = (int)mask; node->p[0] = param; }
    return out;
}

static int64_t reduced_count(const VxTensor *t, unsigned mask)
{
    int64_t n = 1;
    for (int d = 0; d < t->ndim; d++) if (mask & (1u << d)) n *= t->shape[d];
    return n;
}

/* Gradient of a reduction, g given in keepdim form gk, broadcast against
 * x.  prod uses out / x, exact only when x has no zeros. */
static VxTensor *bw_reduce(VxNode *n, VxTensor *g, int i)
{
    (void)i;
    VxTensor *x = n->inputs[0];
    VxReduceOp op = (VxReduceOp)n->ip[0];
    unsigned mask = (unsigned)n->ip[1];
    bool is_std = n->ip[2];
    int64_t ks[VX_MAX_DIMS], cnt = reduced_count(x, mask);
    for (int d = 0; d < x->ndim; d++) ks[d] = mask & (1u << d) ? 1 : x->shape[d];
    VxScope s = {0};
    VxTensor *gk = vx__keep(&s, vx_reshape(g, ks, x->ndim)), *r = NULL, *out = NULL;
    if (op != VX_RED_SUM && op != VX_RED_MEAN)
        out = vx__keep(&s, reduce_raw(op == VX_RED_VAR ? VX_RED_MEAN : op, x, mask, true, n->p[0]));
    switch (op) {
    case VX_RED_SUM: r = vx_expand(gk, x->shape, x->ndim); break;
    case VX_RED_MEAN: r = vx_expand(vx__keep(&s, vx_div_s(gk, (double)cnt)), x->shape, x->ndim); break;
    case VX_RED_PROD: r = vx_div(vx__keep(&s, vx_mul(gk, out)), x); break;
    case VX_RED_LOGSUMEXP: r = vx_mul(gk, vx__keep(&s, vx_exp(vx__keep(&s, vx_sub(x, out))))); break;
    case VX_RED_VAR: {      /* 2 (x - mean) / (N - c); std divides by 2 std as well */
        VxTensor *dev = vx__keep(&s, vx_sub(x, out));
        VxTensor *scale = vx__keep(&s, vx_mul_s(gk, 2.0 / ((double)cnt - n->p[0])));
        if (is_std) {
            VxTensor *sd = vx__keep(&s, vx_sqrt(vx__keep(&s, reduce_raw(VX_RED_VAR, x, mask, true, n->p[0]))));
            scale = vx__keep(&s, vx_div(scale, vx__keep(&s, vx_mul_s(sd, 2.0))));
        }
        r = vx_mul(scale, dev);
        break;
    }
    default: {              /* max / min: split among the positions equal to the result */
        VxTensor *hit = vx__keep(&s, vx_to(vx__keep(&s, vx_eq(x, out)), g->dtype));
        VxTensor *per = vx__keep(&s, reduce_raw(VX_RED_SUM, hit, mask, true, 0));
        r = vx_mul(hit, vx__keep(&s, vx_div(gk, per)));
    }
    }
    return vx__done(&s, r);
}

VxTensor *vx_sum(VxTensor *t, const int *d, int n, bool k) { return reduce(VX_RED_SUM, t, d, n, k, 0); }
VxTensor *vx_mean(VxTensor *t, const int *d, int n, bool k) { return reduce(VX_RED_MEAN, t, d, n, k, 0); }
VxTensor *vx_prod(VxTensor *t, const int *d, int n, bool k) { return reduce(VX_RED_PROD, t, d, n, k, 0); }
VxTensor *vx_max(VxTensor *t, const int *d, int n, bool k) { return reduce(VX_RED_MAX, t, d, n, k, 0); }
VxTensor *vx_min(VxTensor *t, const int *d, int n, bool k) { return reduce(VX_RED_MIN, t, d, n, k, 0); }
VxTensor *vx_logsumexp(VxTensor *t, const int *d, int n, bool k) { return reduce(VX_RED_LOGSUMEXP, t, d, n, k, 0); }
VxTensor *vx_argmax(VxTensor *t, const int *d, int n, bool k) { return reduce(VX_RED_ARGMAX, t, d, n, k, 0); }
VxTensor *vx_argmin(VxTensor *t, const int *d, int n, bool k) { return reduce(VX_RED_ARGMIN, t, d, n, k, 0); }
VxTensor *vx_var(VxTensor *t, const int *d, int n, double c, bool k) { return reduce(VX_RED_VAR, t, d, n, k, c); }

/* std = sqrt(var), one node (StdBackward0) so the graph matches torch's. */
VxTensor *vx_std(VxTensor *t, const int *dims, int ndims, double correction, bool keepdim)
{
    unsigned mask;
    if (!t || dim_mask(t, dims, ndims, &mask) < 0) return NULL;
    VxTensor *v = reduce_raw(VX_RED_VAR, t, mask, keepdim, correction), *out = NULL;
    if (v) { vx_no_grad_push(); out = vx_sqrt(v); vx_no_grad_pop(); }
    vx_tensor_release(v);
    VxNode *node = vx__record(&out, "StdBackward0", bw_reduce, t, NULL, NULL);
    if (node) { node->ip[0] = VX_RED_VAR; node->ip[1] = (int)mask; node->ip[2] = 1; node->p[0] = correction; }
    return out;
}

VxTensor *vx_sum_to_shape(VxTensor *t, const int64_t *shape, int ndim)
{
    if (!t) return NULL;
    int lead = t->ndim - ndim;
    unsigned mask = 0;
    bool ok = lead >= 0;
    for (int d = 0; ok && d < t->ndim; d++) {
        if (d < lead) { mask |= 1u << d; continue; }
        int64_t want = shape[d - lead], have = t->shape[d];
        if (want == 1 && have != 1) mask |= 1u << d;
        else ok = want == have;
    }
    if (!ok) {
        char s[200];
        vx_tensor_set_error("cannot sum %s to %s: it is not a broadcast of that shape", VX_TNAME(t), vx__shape_str(shape, ndim, s, sizeof s));
        return NULL;
    }
    VxScope s = {0};
    int dims[VX_MAX_DIMS], nd = 0;
    for (int d = 0; d < t->ndim; d++) if (mask & (1u << d)) dims[nd++] = d;
    VxTensor *r = nd ? vx__keep(&s, vx_sum(t, dims, nd, true)) : t;
    return vx__done(&s, vx_reshape(r, shape, ndim));
}
