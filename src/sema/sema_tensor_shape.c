/* sema_tensor_shape.c - result shapes of tensor_shape.h's ops (prelude
 * @shape rules), computed where the arguments make them known and `?`
 * elsewhere (the run time checks those with the library's messages):
 *   split      t.split(n, dim) / chunk: [Tensor] of t's shape, `dim` unknown
 *   gather     gather(t, dim, index): index's shape, t's element type
 *   index_select  t's shape with `dim` the index's length
 *   one_hot    [..indices, num_classes] (num_classes a literal, else `?`)
 *   sort       (values, indices) of t's shape
 *   topk       (values, indices) of t's shape with `dim` of size k
 *   conv       conv1d/conv2d: [N, O, out...], out = (in + 2p - d(k-1) - 1) / s + 1
 *   pool       max_pool2d/avg_pool2d: [N, C, out, out'], out = (in + 2p - k) / s + 1 */
#include "sema_internal.h"

#include <string.h>

enum { MAX_RANK = 64 };

static const VxDim UNKNOWN = { VX_DIM_UNKNOWN, 0, NULL, NULL };

static VxDim known(int64_t v) { return (VxDim){ VX_DIM_CONST, v, NULL, NULL }; }

/* The type of argument `name` as far as it is known, NULL if not a tensor. */
static VxType *tensor_of(Sema *s, VxNode *e)
{
    if (!e || !e->type) return NULL;
    VxType *t = vx_zonk(s->types, e->type, false);
    return t->kind == VX_T_TENSOR ? t : NULL;
}

/* An integer argument written as a literal, or left to its literal default. */
static bool int_param(Sema *s, VxDecl *fn, VxNodeList args, bool method, const char *name, int64_t *v)
{
    VxNode *a = tensor_arg(s, fn, args, method, name);
    for (int p = 0; !a && p < fn->nparams; p++)
        if (strcmp(fn->param_names[p], name) == 0) a = fn->defaults[p];
    return tensor_int_literal(a, v);
}

/* A dim parameter: its index in t, or -1 when not a literal (or out of
 * range, which reports). */
static int dim_param(Sema *s, VxType *t, VxDecl *fn, VxNodeList args, bool method, int extra)
{
    VxNode *a = tensor_arg(s, fn, args, method, "dim");
    for (int p = 0; !a && p < fn->nparams; p++)
        if (strcmp(fn->param_names[p], "dim") == 0) a = fn->defaults[p];
    int d;
    return a && tensor_axis(s, a, t->u.tensor.rank + extra, &d) ? d : -1;
}

static VxType *resized(Sema *s, VxType *t, VxType *dtype, int d, VxDim size)
{
    VxDim out[MAX_RANK];
    int rank = t->u.tensor.rank < MAX_RANK ? t->u.tensor.rank : MAX_RANK;
    memcpy(out, t->u.tensor.dims, sizeof(VxDim) * (size_t)rank);
    if (d >= 0 && d < rank) out[d] = size;
    return vx_t_tensor(s->types, dtype, out, rank, true);
}

static VxType *i64(Sema *s) { return vx_t_int(s->types, VX_I64); }

static VxType *pair(Sema *s, VxType *values)
{
    VxType *both[2] = { values, vx_t_tensor(s->types, i64(s), values->u.tensor.dims, values->u.tensor.rank, true) };
    return vx_t_tuple(s->types, both, 2);
}

/* The size of one spatial output dim, or `?`. */
static VxDim window_out(Sema *s, VxDim in, VxDim k, int64_t stride, int64_t pad, int64_t dil)
{
    in = vx_resolve_dim(s->types, in);
    k = vx_resolve_dim(s->types, k);
    if (in.tag != VX_DIM_CONST || k.tag != VX_DIM_CONST || stride <= 0 || dil <= 0) return UNKNOWN;
    int64_t span = in.value + 2 * pad - dil * (k.value - 1) - 1;
    return span < 0 ? UNKNOWN : known(span / stride + 1);
}

static VxType *conv_rule(Sema *s, VxType *x, VxDecl *fn, VxNodeList args, bool method, VxType *ret)
{
    VxType *w = tensor_of(s, tensor_arg(s, fn, args, method, "weight"));
    int nsp = fn->name[4] == '1' ? 1 : 2, rank = 2 + nsp;
    int64_t stride = 0, pad = -1, dil = 0, groups = 0;
    if (!w || !w->u.tensor.ranked || x->u.tensor.rank != rank || w->u.tensor.rank != rank) return ret;
    bool lits = int_param(s, fn, args, method, "stride", &stride) && int_param(s, fn, args, method, "padding", &pad) &&
                int_param(s, fn, args, method, "dilation", &dil) && int_param(s, fn, args, method, "groups", &groups);
    VxDim c = vx_resolve_dim(s->types, x->u.tensor.dims[1]), cg = vx_resolve_dim(s->types, w->u.tensor.dims[1]);
    if (lits && groups > 0 && c.tag == VX_DIM_CONST && cg.tag == VX_DIM_CONST && c.value != cg.value * groups) {
        VxNode *at = tensor_arg(s, fn, args, method, "weight");
        VxDiag *g = sema_error(s, at->span, "%s: the input has %lld channels but the weight expects %lld (%lld per group x %lld groups)",
                               fn->name, (long long)c.value, (long long)(cg.value * groups), (long long)cg.value, (long long)groups);
        vx_diag_note(s->diags, g, "x is [N, C, ...] and weight [O, C / groups, ...]");
        return vx_t_error(s->types);
    }
    VxDim out[4] = { x->u.tensor.dims[0], w->u.tensor.dims[0] };
    for (int i = 0; i < nsp; i++)
        out[2 + i] = lits ? window_out(s, x->u.tensor.dims[2 + i], w->u.tensor.dims[2 + i], stride, pad, dil) : UNKNOWN;
    return vx_t_tensor(s->types, x->u.tensor.dtype, out, rank, true);
}

static VxType *pool_rule(Sema *s, VxType *x, VxDecl *fn, VxNodeList args, bool method, VxType *ret)
{
    int64_t k = 0, stride = -1, pad = -1;
    if (x->u.tensor.rank != 4) return ret;
    bool lits = int_param(s, fn, args, method, "kernel_size", &k) && int_param(s, fn, args, method, "stride", &stride) &&
                int_param(s, fn, args, method, "padding", &pad);
    VxDim out[4] = { x->u.tensor.dims[0], x->u.tensor.dims[1], UNKNOWN, UNKNOWN };
    for (int i = 0; lits && k > 0 && i < 2; i++)
        out[2 + i] = window_out(s, x->u.tensor.dims[2 + i], known(k), stride ? stride : k, pad, 1);
    return vx_t_tensor(s->types, x->u.tensor.dtype, out, 4, true);
}

VxType *tensor_op_rule(Sema *s, const char *rule, VxType *t, VxDecl *fn, VxNodeList args, bool method, VxType *ret)
{
    static const char *const mine[] = { "split", "gather", "index_select", "one_hot", "sort", "topk", "conv", "pool" };
    size_t i = 0;
    while (i < sizeof mine / sizeof mine[0] && strcmp(rule, mine[i]) != 0) i++;
    if (i == sizeof mine / sizeof mine[0]) return NULL;
    if (!t->u.tensor.ranked) return ret;
    VxType *dtype = t->u.tensor.dtype;
    if (strcmp(rule, "gather") == 0) {
        VxType *ix = tensor_of(s, tensor_arg(s, fn, args, method, "index"));
        dim_param(s, t, fn, args, method, 0);
        return ix && ix->u.tensor.ranked ? vx_t_tensor(s->types, dtype, ix->u.tensor.dims, ix->u.tensor.rank, true) : ret;
    }
    if (strcmp(rule, "index_select") == 0) {
        VxType *ix = tensor_of(s, tensor_arg(s, fn, args, method, "index"));
        bool one = ix && ix->u.tensor.ranked && ix->u.tensor.rank == 1;
        int d = dim_param(s, t, fn, args, method, 0);
        return d < 0 ? ret : resized(s, t, dtype, d, one ? ix->u.tensor.dims[0] : UNKNOWN);
    }
    if (strcmp(rule, "one_hot") == 0) {
        int64_t n;
        if (t->u.tensor.rank + 1 > MAX_RANK) return ret;
        VxDim out[MAX_RANK];
        memcpy(out, t->u.tensor.dims, sizeof(VxDim) * (size_t)t->u.tensor.rank);
        out[t->u.tensor.rank] = int_param(s, fn, args, method, "num_classes", &n) && n >= 0 ? known(n) : UNKNOWN;
        return vx_t_tensor(s->types, i64(s), out, t->u.tensor.rank + 1, true);
    }
    if (strcmp(rule, "conv") == 0) return conv_rule(s, t, fn, args, method, ret);
    if (strcmp(rule, "pool") == 0) return pool_rule(s, t, fn, args, method, ret);
    int d = dim_param(s, t, fn, args, method, 0);
    if (strcmp(rule, "split") == 0) return d < 0 ? ret : vx_t_slice(s->types, resized(s, t, dtype, d, UNKNOWN));
    if (d < 0) return ret;
    if (strcmp(rule, "sort") == 0) return pair(s, resized(s, t, dtype, -1, UNKNOWN));
    int64_t k;
    return pair(s, resized(s, t, dtype, d, int_param(s, fn, args, method, "k", &k) && k >= 0 ? known(k) : UNKNOWN));
}
