/* sema_tensor.c - shape rules for tensor operators, checked at compile
 * time: NumPy broadcasting for elementwise operators and the rules of
 * matrix products (1-D, 2-D, batched with broadcast batch dimensions).
 * Unknown dims (`?`) pass here and are checked at run time with the same
 * message. */
#include "sema_internal.h"

#include <stdio.h>
#include <string.h>

enum { MAX_RANK = 64 };


static bool dim_eq(const VxDim *a, const VxDim *b)
{
    if (a->tag != b->tag) return false;
    if (a->tag == VX_DIM_PARAM) return a->owner == b->owner && a->value == b->value;
    return a->tag == VX_DIM_CONST ? a->value == b->value : a->name == b->name;
}

static bool is_one(const VxDim *d) { return d->tag == VX_DIM_CONST && d->value == 1; }

void tensor_dim_str(Sema *s, const VxDim *pd, char *buf, size_t cap)
{
    VxDim r = vx_resolve_dim(s->types, *pd);
    const VxDim *d = &r;
    if (d->tag == VX_DIM_CONST) snprintf(buf, cap, "%lld", (long long)d->value);
    else if (d->tag == VX_DIM_SYM || d->tag == VX_DIM_PARAM) snprintf(buf, cap, "%s", d->name);
    else snprintf(buf, cap, "?");
}



/* Broadcast one pair of dims; false if they cannot be.  An unbound dim
 * variable (from a call) takes the other side's size. */
static bool broadcast_dim(Sema *s, const VxDim *pa, const VxDim *pb, VxDim *out)
{
    VxDim ra = vx_resolve_dim(s->types, *pa), rb = vx_resolve_dim(s->types, *pb);
    const VxDim *a = &ra, *b = &rb;
    if (a->tag == VX_DIM_VAR || b->tag == VX_DIM_VAR) {
        if (is_one(a)) { *out = *b; return true; }
        if (is_one(b)) { *out = *a; return true; }
        vx_unify_dim(s->types, *a, *b);
        *out = vx_resolve_dim(s->types, *a);
        return true;
    }
    if (a->tag == VX_DIM_UNKNOWN) { *out = is_one(b) ? *a : *b; return true; }
    if (b->tag == VX_DIM_UNKNOWN) { *out = is_one(a) ? *b : *a; return true; }
    if (dim_eq(a, b) || is_one(b)) { *out = *a; return true; }
    if (is_one(a)) { *out = *b; return true; }
    return false;
}

static VxType *unranked(Sema *s, VxType *dtype) { return vx_t_tensor(s->types, dtype, NULL, 0, false); }

/* Elementwise result shape of a and b (tensors), or an error. */
VxType *tensor_broadcast(Sema *s, VxType *a, VxType *b, const char *op, VxSpan at);
VxType *tensor_broadcast(Sema *s, VxType *a, VxType *b, const char *op, VxSpan at)
{
    if (!unify(s, a->u.tensor.dtype, b->u.tensor.dtype, at)) return vx_t_error(s->types);
    VxType *dtype = a->u.tensor.dtype;
    if (!a->u.tensor.ranked || !b->u.tensor.ranked) return unranked(s, dtype);
    int ra = a->u.tensor.rank, rb = b->u.tensor.rank, r = ra > rb ? ra : rb;
    VxDim out[MAX_RANK];
    for (int i = 0; i < r; i++) {
        const VxDim one = { VX_DIM_CONST, 1, NULL };
        int ia = ra - r + i, ib = rb - r + i;
        const VxDim *da = ia >= 0 ? &a->u.tensor.dims[ia] : &one, *db = ib >= 0 ? &b->u.tensor.dims[ib] : &one;
        if (broadcast_dim(s, da, db, &out[i])) continue;
        char x[32], y[32];
        tensor_dim_str(s, da, x, sizeof x);
        tensor_dim_str(s, db, y, sizeof y);
        VxDiag *g = sema_error(s, at, "cannot broadcast %s %s %s: dimensions %s and %s differ",
                               tname(s, a), op, tname(s, b), x, y);
        vx_diag_primary(s->diags, g, "shapes are incompatible");
        vx_diag_note(s->diags, g, "broadcasting aligns shapes from the right; each pair of dimensions must be equal or one of them 1");
        return vx_t_error(s->types);
    }
    return vx_t_tensor(s->types, dtype, out, r, true);
}

static VxType *matmul_error(Sema *s, VxType *a, VxType *b, VxSpan at, const VxDim *x, const VxDim *y)
{
    char p[32], q[32];
    tensor_dim_str(s, x, p, sizeof p);
    tensor_dim_str(s, y, q, sizeof q);
    VxDiag *g = sema_error(s, at, "cannot multiply %s @ %s: inner dimensions %s and %s differ", tname(s, a), tname(s, b), p, q);
    vx_diag_primary(s->diags, g, "inner dimensions must match");
    vx_diag_note(s->diags, g, "`@` multiplies [.., m, k] by [.., k, n] giving [.., m, n]");
    return vx_t_error(s->types);
}

/* a @ b, following torch.matmul. */
VxType *tensor_matmul(Sema *s, VxType *a, VxType *b, VxSpan at);
VxType *tensor_matmul(Sema *s, VxType *a, VxType *b, VxSpan at)
{
    if (!unify(s, a->u.tensor.dtype, b->u.tensor.dtype, at)) return vx_t_error(s->types);
    VxType *dtype = a->u.tensor.dtype;
    if (!a->u.tensor.ranked || !b->u.tensor.ranked) return unranked(s, dtype);
    int ra = a->u.tensor.rank, rb = b->u.tensor.rank;
    if (ra == 0 || rb == 0) {
        VxDiag *g = sema_error(s, at, "cannot multiply %s @ %s: `@` needs tensors of at least one dimension",
                               tname(s, a), tname(s, b));
        vx_diag_help(s->diags, g, "for a scalar product use `*`");
        return vx_t_error(s->types);
    }
    VxDim ka = vx_resolve_dim(s->types, a->u.tensor.dims[ra - 1]);
    VxDim kb = vx_resolve_dim(s->types, b->u.tensor.dims[rb >= 2 ? rb - 2 : 0]);
    if (!vx_unify_dim(s->types, ka, kb)) return matmul_error(s, a, b, at, &ka, &kb);
    VxDim out[MAX_RANK];
    int n = 0;
    /* batch dims: broadcast a[:-2] with b[:-2] */
    int ba = ra > 2 ? ra - 2 : 0, bb = rb > 2 ? rb - 2 : 0, br = ba > bb ? ba : bb;
    for (int i = 0; i < br; i++) {
        const VxDim one = { VX_DIM_CONST, 1, NULL };
        int ia = ba - br + i, ib = bb - br + i;
        const VxDim *da = ia >= 0 ? &a->u.tensor.dims[ia] : &one, *db = ib >= 0 ? &b->u.tensor.dims[ib] : &one;
        if (!broadcast_dim(s, da, db, &out[n++])) {
            char x[32], y[32];
            tensor_dim_str(s, da, x, sizeof x);
            tensor_dim_str(s, db, y, sizeof y);
            sema_error(s, at, "cannot multiply %s @ %s: batch dimensions %s and %s differ", tname(s, a), tname(s, b), x, y);
            return vx_t_error(s->types);
        }
    }
    if (ra >= 2) out[n++] = a->u.tensor.dims[ra - 2];
    if (rb >= 2) out[n++] = b->u.tensor.dims[rb - 1];
    return vx_t_tensor(s->types, dtype, out, n, true);
}

/* Indexing t[i, j, a..b, :]: integers drop a dimension, ranges and `:`
 * keep it.  All-integer indexing of every dimension gives the dtype. */
VxType *tensor_index(Sema *s, VxType *t, VxNode *e, int nint, int nslice);
VxType *tensor_index(Sema *s, VxType *t, VxNode *e, int nint, int nslice)
{
    VxType *dtype = t->u.tensor.dtype;
    if (!t->u.tensor.ranked) return nslice ? unranked(s, dtype) : dtype;
    int rank = t->u.tensor.rank, used = nint + nslice;
    if (used > rank) {
        VxDiag *g = sema_error(s, e->span, "too many indices for %s: %d given, it has %d dimension%s",
                               tname(s, t), used, rank, rank == 1 ? "" : "s");
        vx_diag_primary(s->diags, g, "%d indices", used);
        return vx_t_error(s->types);
    }
    if (nslice == 0 && nint == rank) return dtype;
    VxDim out[MAX_RANK];
    int n = 0;
    VxNodeList idx = e->u.index.indices;
    for (int i = 0; i < idx.len; i++) {
        VxNode *ix = idx.items[i];
        if (ix->kind == VX_N_FULL_SLICE) out[n++] = t->u.tensor.dims[i];
        else if (ix->kind == VX_N_RANGE) {
            int64_t lo = 0, hi;
            bool known = (!ix->u.range.lo || tensor_int_literal(ix->u.range.lo, &lo)) && ix->u.range.hi && tensor_int_literal(ix->u.range.hi, &hi);
            if (known && ix->u.range.inclusive) hi++;
            out[n++] = known && hi >= lo && lo >= 0 ? (VxDim){ VX_DIM_CONST, hi - lo, NULL } : (VxDim){ VX_DIM_UNKNOWN, 0, NULL };
        }
    }
    for (int i = used; i < rank; i++) out[n++] = t->u.tensor.dims[i];
    return vx_t_tensor(s->types, dtype, out, n, true);
}

/* ---- shape rules of library functions ----------------------------------------
 * Functions declared with @shape(rule) in the prelude get a result type
 * computed from their arguments:
 *   create     zeros([B, 128]): the shape written in the call
 *   same       relu(x), softmax(x, dim): the input's type
 *   reduce     x.sum(dim = 1, keepdim = false): drops or keeps `dim`
 *   transpose  x.transpose(0, 1): swaps two dims (default: the last two)
 *   reshape    x.reshape([B, -1]): the new shape; element counts must agree
 *   unsqueeze  x.unsqueeze(dim): inserts a dim of size 1
 *   permute    x.permute([2, 0, 1]): reorders the dims
 *   concat     cat([a, b], dim): equal shapes but for `dim`, whose sizes add up
 *   stack      stack([a, b], dim): equal shapes, a new dim of the list's length
 * and the rules of tensor_shape.h's ops in sema_tensor_shape.c. */

static const char *shape_rule(VxDecl *fn)
{
    if (!fn || !fn->node || !fn->node->attrs) return NULL;
    for (int i = 0; i < fn->node->attrs->len; i++) {
        VxNode *a = fn->node->attrs->items[i];
        if (strcmp(a->u.attr.name, "shape") == 0 && a->u.attr.args.len == 1 && a->u.attr.args.items[0]->kind == VX_N_IDENT)
            return a->u.attr.args.items[0]->u.ident.name;
    }
    return NULL;
}

/* The argument given for parameter `name`, positionally or by name. */
VxNode *tensor_arg(Sema *s, VxDecl *fn, VxNodeList args, bool method, const char *name)
{
    const char *want = intern(s, name);
    int first = method ? 1 : 0;
    for (int i = 0; i < args.len; i++)
        if (args.items[i]->kind == VX_N_NAMED_ARG && intern(s, args.items[i]->u.named_arg.name) == want)
            return args.items[i]->u.named_arg.value;
    for (int i = 0; i < args.len && first + i < fn->nparams; i++) {
        if (args.items[i]->kind == VX_N_NAMED_ARG) break;
        if (fn->param_names[first + i] == want) return args.items[i];
    }
    return NULL;
}

bool tensor_int_literal(VxNode *e, int64_t *v)
{
    if (!e) return false;
    if (e->kind == VX_N_INT) { *v = (int64_t)e->u.int_lit.value.limb[0]; return true; }
    if (e->kind == VX_N_UNARY && e->u.unary.op == TK_MINUS && e->u.unary.operand->kind == VX_N_INT) {
        *v = -(int64_t)e->u.unary.operand->u.int_lit.value.limb[0];
        return true;
    }
    return false;
}

/* A dim written in a shape literal: a number, a dim of the parameters, a
 * constant, or (anything else) known only at run time. */
static VxDim shape_dim(Sema *s, VxNode *e)
{
    VxDim d = { VX_DIM_UNKNOWN, 0, NULL };
    int64_t v;
    if (tensor_int_literal(e, &v) && v >= 0) { d.tag = VX_DIM_CONST; d.value = v; return d; }
    if (e->kind != VX_N_IDENT) return d;
    const char *name = intern(s, e->u.ident.name);
    Local *l = lookup_local(s, name);
    if (l && l->is_dim) return l->dim;
    VxDecl *c = l ? NULL : lookup_global(s, name);
    if (c && c->kind == VX_D_CONST && c->node->u.konst.value && tensor_int_literal(c->node->u.konst.value, &v)) {
        d.tag = VX_DIM_CONST;
        d.value = v;
    }
    return d;
}

static VxType *from_shape_literal(Sema *s, VxNode *shape, VxType *dtype, VxType *fallback)
{
    if (!shape || shape->kind != VX_N_ARRAY || shape->u.list.elems.len > MAX_RANK) return fallback;
    VxDim dims[MAX_RANK];
    int n = shape->u.list.elems.len;
    for (int i = 0; i < n; i++) dims[i] = shape_dim(s, shape->u.list.elems.items[i]);
    return vx_t_tensor(s->types, dtype, dims, n, true);
}

bool tensor_axis(Sema *s, VxNode *e, int rank, int *out)
{
    int64_t v;
    if (!tensor_int_literal(e, &v)) return false;
    if (v < -rank || v >= rank) {
        VxDiag *g = sema_error(s, e->span, "dimension %lld is out of range for a tensor of %d dimension%s",
                               (long long)v, rank, rank == 1 ? "" : "s");
        vx_diag_help(s->diags, g, "valid dimensions are %d..%d (negative ones count from the end)", -rank, rank - 1);
        return false;
    }
    *out = (int)(v < 0 ? v + rank : v);
    return true;
}

static VxType *reduce_rule(Sema *s, VxType *t, VxDecl *fn, VxNodeList args, bool method, VxType *ret)
{
    VxNode *dim = tensor_arg(s, fn, args, method, "dim");
    VxNode *keep = tensor_arg(s, fn, args, method, "keepdim");
    bool keepdim = keep && keep->kind == VX_N_BOOL && keep->u.boolean;
    if (keep && keep->kind != VX_N_BOOL) return vx_t_tensor(s->types, t->u.tensor.dtype, NULL, 0, false);
    int rank = t->u.tensor.rank, d;
    VxDim out[MAX_RANK];
    VxType *dtype = vx_resolve(s->types, ret)->kind == VX_T_TENSOR ? vx_resolve(s->types, ret)->u.tensor.dtype : t->u.tensor.dtype;
    if (!dim) {                                        /* over everything */
        const VxDim one = { VX_DIM_CONST, 1, NULL };
        for (int i = 0; i < rank; i++) out[i] = one;
        return vx_t_tensor(s->types, dtype, out, keepdim ? rank : 0, true);
    }
    if (!tensor_axis(s, dim, rank, &d)) return vx_t_tensor(s->types, dtype, NULL, 0, false);
    int n = 0;
    for (int i = 0; i < rank; i++) {
        if (i != d) out[n++] = t->u.tensor.dims[i];
        else if (keepdim) out[n++] = (VxDim){ VX_DIM_CONST, 1, NULL };
    }
    return vx_t_tensor(s->types, dtype, out, n, true);
}

static VxType *transpose_rule(Sema *s, VxType *t, VxDecl *fn, VxNodeList args, bool method)
{
    int rank = t->u.tensor.rank, a = rank - 2, b = rank - 1;
    VxNode *x = tensor_arg(s, fn, args, method, "dim0"), *y = tensor_arg(s, fn, args, method, "dim1");
    if (rank < 2) {
        sema_error(s, x ? x->span : vx_span(0, 0), "transpose needs a tensor of at least 2 dimensions, found %s", tname(s, t));
        return vx_t_error(s->types);
    }
    if ((x && !tensor_axis(s, x, rank, &a)) || (y && !tensor_axis(s, y, rank, &b))) return vx_t_tensor(s->types, t->u.tensor.dtype, NULL, 0, false);
    VxDim out[MAX_RANK];
    memcpy(out, t->u.tensor.dims, sizeof(VxDim) * (size_t)rank);
    VxDim tmp = out[a]; out[a] = out[b]; out[b] = tmp;
    return vx_t_tensor(s->types, t->u.tensor.dtype, out, rank, true);
}

static int64_t const_numel(Sema *s, VxType *t, bool *known)
{
    int64_t n = 1;
    *known = t->u.tensor.ranked;
    for (int i = 0; *known && i < t->u.tensor.rank; i++) {
        VxDim d = vx_resolve_dim(s->types, t->u.tensor.dims[i]);
        if (d.tag != VX_DIM_CONST) *known = false;
        else n *= d.value;
    }
    return n;
}

static VxType *reshape_rule(Sema *s, VxType *t, VxDecl *fn, VxNodeList args, bool method, VxSpan at)
{
    VxNode *shape = tensor_arg(s, fn, args, method, "shape");
    VxType *r = from_shape_literal(s, shape, t->u.tensor.dtype, vx_t_tensor(s->types, t->u.tensor.dtype, NULL, 0, false));
    bool k1, k2;
    int64_t a = const_numel(s, t, &k1), b = const_numel(s, r, &k2);
    if (k1 && k2 && a != b) {
        VxDiag *g = sema_error(s, at, "cannot reshape %s into %s: %lld elements into %lld", tname(s, t), tname(s, r),
                               (long long)a, (long long)b);
        vx_diag_note(s->diags, g, "reshape keeps the number of elements");
        return vx_t_error(s->types);
    }
    return r;
}

static VxType *unsqueeze_rule(Sema *s, VxType *t, VxDecl *fn, VxNodeList args, bool method)
{
    int rank = t->u.tensor.rank, d;
    VxNode *dim = tensor_arg(s, fn, args, method, "dim");
    if (!tensor_axis(s, dim, rank + 1, &d) || rank + 1 > MAX_RANK) return vx_t_tensor(s->types, t->u.tensor.dtype, NULL, 0, false);
    VxDim out[MAX_RANK];
    int n = 0;
    for (int i = 0; i <= rank; i++) {
        if (i == d) out[n++] = (VxDim){ VX_DIM_CONST, 1, NULL };
        if (i < rank) out[n++] = t->u.tensor.dims[i];
    }
    return vx_t_tensor(s->types, t->u.tensor.dtype, out, n, true);
}

static VxType *permute_rule(Sema *s, VxType *t, VxDecl *fn, VxNodeList args, bool method, VxSpan at)
{
    VxNode *order = tensor_arg(s, fn, args, method, "dims");
    int rank = t->u.tensor.rank;
    if (!order || order->kind != VX_N_ARRAY) return vx_t_tensor(s->types, t->u.tensor.dtype, NULL, 0, false);
    if (order->u.list.elems.len != rank) {
        sema_error(s, order->span, "permute needs %d dimensions for %s, found %d", rank, tname(s, t), order->u.list.elems.len);
        return vx_t_error(s->types);
    }
    VxDim out[MAX_RANK];
    bool used[MAX_RANK] = {0};
    for (int k = 0; k < rank; k++) {
        int d;
        if (!tensor_axis(s, order->u.list.elems.items[k], rank, &d)) return vx_t_tensor(s->types, t->u.tensor.dtype, NULL, 0, false);
        if (used[d]) {
            sema_error(s, order->u.list.elems.items[k]->span, "dimension %d appears twice in the permutation", d);
            return vx_t_error(s->types);
        }
        used[d] = true;
        out[k] = t->u.tensor.dims[d];
    }
    (void)at;
    return vx_t_tensor(s->types, t->u.tensor.dtype, out, rank, true);
}

/* cat / stack over a written-out list of tensors `[a, b, ...]`. */
static VxType *join_rule(Sema *s, VxDecl *fn, VxNodeList args, bool stack, VxType *ret, VxSpan at)
{
    VxNode *list = tensor_arg(s, fn, args, false, "tensors"), *dim = tensor_arg(s, fn, args, false, "dim");
    if (!list || list->kind != VX_N_ARRAY || list->u.list.elems.len == 0) return ret;
    VxNodeList el = list->u.list.elems;
    VxType *first = vx_zonk(s->types, el.items[0]->type, false);
    if (first->kind != VX_T_TENSOR || !first->u.tensor.ranked) return ret;
    int rank = first->u.tensor.rank, d = 0;
    if (dim && !tensor_axis(s, dim, stack ? rank + 1 : rank, &d)) return ret;
    if (!dim) d = 0;
    VxDim out[MAX_RANK];
    memcpy(out, first->u.tensor.dims, sizeof(VxDim) * (size_t)rank);
    int64_t total = 0;
    bool known = true;
    for (int k = 0; k < el.len; k++) {
        VxType *t = vx_zonk(s->types, el.items[k]->type, false);
        if (t->kind != VX_T_TENSOR || !t->u.tensor.ranked) return ret;
        if (t->u.tensor.rank != rank) {
            sema_error(s, el.items[k]->span, "cannot %s %s with %s: they have different ranks",
                       stack ? "stack" : "concatenate", tname(s, first), tname(s, t));
            return vx_t_error(s->types);
        }
        for (int i = 0; i < rank; i++) {
            VxDim a = vx_resolve_dim(s->types, out[i]), b = vx_resolve_dim(s->types, t->u.tensor.dims[i]);
            if (!stack && i == d) {
                if (b.tag == VX_DIM_CONST) total += b.value; else known = false;
                continue;
            }
            if (!vx_unify_dim(s->types, a, b)) {
                char x[32], y[32];
                tensor_dim_str(s, &a, x, sizeof x);
                tensor_dim_str(s, &b, y, sizeof y);
                VxDiag *g = sema_error(s, el.items[k]->span, "cannot %s %s with %s: dimension %d is %s in one and %s in the other",
                                       stack ? "stack" : "concatenate", tname(s, first), tname(s, t), i, x, y);
                vx_diag_note(s->diags, g, stack ? "stacked tensors must have the same shape"
                                                : "concatenated tensors must agree on every dimension but the one joined");
                return vx_t_error(s->types);
            }
        }
    }
    (void)at;
    if (stack) {
        VxDim res[MAX_RANK];
        int n = 0;
        for (int i = 0; i <= rank && n < MAX_RANK; i++) {
            if (i == d) res[n++] = (VxDim){ VX_DIM_CONST, el.len, NULL, NULL };
            if (i < rank) res[n++] = out[i];
        }
        return vx_t_tensor(s->types, first->u.tensor.dtype, res, n, true);
    }
    out[d] = known ? (VxDim){ VX_DIM_CONST, total, NULL, NULL } : (VxDim){ VX_DIM_UNKNOWN, 0, NULL, NULL };
    return vx_t_tensor(s->types, first->u.tensor.dtype, out, rank, true);
}

/* tensor([[1.0, 2.0], [3.0, 4.0]]): one dim per level of array nesting
 * (its length when written out), the innermost element type the dtype;
 * float literals become f32 and integer literals i64, as in torch. */
static VxType *literal_rule(Sema *s, VxDecl *fn, VxNodeList args, VxType *ret, VxSpan at)
{
    VxNode *data = tensor_arg(s, fn, args, false, "data"), *lit = data;
    if (!data || !data->type) return ret;
    VxType *t = vx_resolve(s->types, data->type);
    VxDim dims[MAX_RANK];
    int n = 0;
    for (; (t->kind == VX_T_SLICE || t->kind == VX_T_ARRAY) && n < MAX_RANK; t = vx_resolve(s->types, t->u.arr.elem)) {
        bool known = lit && lit->kind == VX_N_ARRAY;
        dims[n++] = known ? (VxDim){ VX_DIM_CONST, lit->u.list.elems.len, NULL, NULL } : (VxDim){ VX_DIM_UNKNOWN, 0, NULL, NULL };
        lit = known && lit->u.list.elems.len ? lit->u.list.elems.items[0] : NULL;
    }
    if (t->kind == VX_T_VAR && t->u.var.lit == VX_LIT_FLOAT) unify(s, t, vx_t_float(s->types, VX_F32), at);
    else if (t->kind == VX_T_VAR && t->u.var.lit == VX_LIT_INT) unify(s, t, vx_t_int(s->types, VX_I64), at);
    t = vx_resolve(s->types, t);
    if (t->kind == VX_T_ERROR) return t;
    if (t->kind != VX_T_FLOAT && t->kind != VX_T_INT && t->kind != VX_T_BOOL) {
        VxDiag *g = sema_error(s, data->span, "tensor() needs numbers or bools, in nested arrays; found elements of type `%s`", tname(s, t));
        vx_diag_help(s->diags, g, "write the elements out: `tensor([[1.0, 2.0], [3.0, 4.0]])`");
        return vx_t_error(s->types);
    }
    return vx_t_tensor(s->types, t, dims, n, true);
}

VxType *tensor_shape_rule(Sema *s, VxDecl *fn, VxType *sig, VxNodeList args, VxNode *recv, VxType *ret, VxSpan at)
{
    const char *rule = shape_rule(fn);
    if (!rule) return ret;
    bool method = recv != NULL;
    VxType *r = vx_resolve(s->types, ret);
    VxType *dtype = r->kind == VX_T_TENSOR ? r->u.tensor.dtype : vx_t_float(s->types, VX_F32);
    if (strcmp(rule, "create") == 0) return from_shape_literal(s, tensor_arg(s, fn, args, method, "shape"), dtype, ret);
    if (strcmp(rule, "literal") == 0) return literal_rule(s, fn, args, ret, at);
    if (strcmp(rule, "concat") == 0 || strcmp(rule, "stack") == 0) return join_rule(s, fn, args, rule[0] == 's', ret, at);
    /* the other rules transform the first tensor: the receiver or the first
     * argument (its own type, not the declared `Tensor<T>` of the parameter) */
    VxNode *first = method ? recv : tensor_arg(s, fn, args, false, fn->param_names[0]);
    VxType *t = vx_resolve(s->types, first && first->type ? first->type : sig->u.fn.params[0]);
    if (t->kind == VX_T_REF) t = vx_resolve(s->types, t->u.arr.elem);
    t = vx_zonk(s->types, t, false);
    if (t->kind != VX_T_TENSOR) return ret;
    if (strcmp(rule, "reshape") == 0) return reshape_rule(s, t, fn, args, method, at);
    VxType *op = tensor_op_rule(s, rule, t, fn, args, method, ret);
    if (op) return op;
    if (!t->u.tensor.ranked) return ret;
    if (strcmp(rule, "same") == 0) {                  /* the input's shape, the declared element type */
        VxType *d = vx_resolve(s->types, dtype);
        if (d->kind == VX_T_VAR || d->kind == VX_T_PARAM) d = t->u.tensor.dtype;
        return vx_t_tensor(s->types, d, t->u.tensor.dims, t->u.tensor.rank, true);
    }
    if (strcmp(rule, "reduce") == 0) return reduce_rule(s, t, fn, args, method, ret);
    if (strcmp(rule, "transpose") == 0) return transpose_rule(s, t, fn, args, method);
    if (strcmp(rule, "permute") == 0) return permute_rule(s, t, fn, args, method, at);
    if (strcmp(rule, "unsqueeze") == 0) return unsqueeze_rule(s, t, fn, args, method);
    return ret;
}
