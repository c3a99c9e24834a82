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
    return a->tag == VX_DIM_CONST ? a->value == b->value : a->name == b->name;
}

static bool is_one(const VxDim *d) { return d->tag == VX_DIM_CONST && d->value == 1; }

static void dim_str(const VxDim *d, char *buf, size_t cap)
{
    if (d->tag == VX_DIM_CONST) snprintf(buf, cap, "%lld", (long long)d->value);
    else if (d->tag == VX_DIM_SYM) snprintf(buf, cap, "%s", d->name);
    else snprintf(buf, cap, "?");
}

/* Broadcast one pair of dims; false if they cannot be. */
static bool broadcast_dim(const VxDim *a, const VxDim *b, VxDim *out)
{
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
        if (broadcast_dim(da, db, &out[i])) continue;
        char x[32], y[32];
        dim_str(da, x, sizeof x);
        dim_str(db, y, sizeof y);
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
    dim_str(x, p, sizeof p);
    dim_str(y, q, sizeof q);
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
    const VxDim *ka = &a->u.tensor.dims[ra - 1];
    const VxDim *kb = &b->u.tensor.dims[rb >= 2 ? rb - 2 : 0];
    if (ka->tag != VX_DIM_UNKNOWN && kb->tag != VX_DIM_UNKNOWN && !dim_eq(ka, kb))
        return matmul_error(s, a, b, at, ka, kb);
    VxDim out[MAX_RANK];
    int n = 0;
    /* batch dims: broadcast a[:-2] with b[:-2] */
    int ba = ra > 2 ? ra - 2 : 0, bb = rb > 2 ? rb - 2 : 0, br = ba > bb ? ba : bb;
    for (int i = 0; i < br; i++) {
        const VxDim one = { VX_DIM_CONST, 1, NULL };
        int ia = ba - br + i, ib = bb - br + i;
        const VxDim *da = ia >= 0 ? &a->u.tensor.dims[ia] : &one, *db = ib >= 0 ? &b->u.tensor.dims[ib] : &one;
        if (!broadcast_dim(da, db, &out[n++])) {
            char x[32], y[32];
            dim_str(da, x, sizeof x);
            dim_str(db, y, sizeof y);
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
        else if (ix->kind == VX_N_RANGE) out[n++] = (VxDim){ VX_DIM_UNKNOWN, 0, NULL };
    }
    for (int i = used; i < rank; i++) out[n++] = t->u.tensor.dims[i];
    return vx_t_tensor(s->types, dtype, out, n, true);
}
