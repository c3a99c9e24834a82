/* sema_unify.c - unification: making two types equal by binding inference
 * variables, with the occurs check and the literal rules (an integer
 * literal variable only becomes an integer type, a float literal variable
 * only a float type). */
#include "sema_internal.h"

VxType *resolved(Sema *s, VxType *t) { return vx_resolve(s->types, t); }

bool is_error(Sema *s, VxType *t) { return vx_resolve(s->types, t)->kind == VX_T_ERROR; }

static bool unify_rec(Sema *s, VxType *a, VxType *b);

static bool bind_var(Sema *s, VxType *v, VxType *t)
{
    if (t->kind == VX_T_VAR) {
        /* Two variables: keep the more specific literal kind. */
        if (v->u.var.lit && t->u.var.lit && v->u.var.lit != t->u.var.lit) return false;
        if (v->u.var.lit && !t->u.var.lit) { vx_bind(s->types, t, v); return true; }
        vx_bind(s->types, v, t);
        return true;
    }
    if (v->u.var.lit == VX_LIT_INT && t->kind != VX_T_INT) return t->kind == VX_T_ERROR;
    if (v->u.var.lit == VX_LIT_FLOAT && t->kind != VX_T_FLOAT) return t->kind == VX_T_ERROR;
    if (vx_occurs(s->types, v, t)) { s->occurs_failed = true; return false; }
    vx_bind(s->types, v, t);
    return true;
}

static bool unify_list(Sema *s, VxType **a, VxType **b, int n)
{
    for (int i = 0; i < n; i++) if (!unify_rec(s, a[i], b[i])) return false;
    return true;
}

static bool unify_dims(Sema *s, const VxType *a, const VxType *b)
{
    if (!a->u.tensor.ranked || !b->u.tensor.ranked) return true;
    if (a->u.tensor.rank != b->u.tensor.rank) return false;
    for (int i = 0; i < a->u.tensor.rank; i++)
        if (!vx_unify_dim(s->types, a->u.tensor.dims[i], b->u.tensor.dims[i])) return false;
    return true;
}

static bool unify_rec(Sema *s, VxType *a, VxType *b)
{
    a = vx_resolve(s->types, a);
    b = vx_resolve(s->types, b);
    if (a == b) return true;
    if (a->kind == VX_T_ERROR || b->kind == VX_T_ERROR) return true;
    if (a->kind == VX_T_VAR) return bind_var(s, a, b);
    if (b->kind == VX_T_VAR) return bind_var(s, b, a);
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case VX_T_TUPLE: case VX_T_MAP:
        return a->u.tuple.n == b->u.tuple.n && unify_list(s, a->u.tuple.elems, b->u.tuple.elems, a->u.tuple.n);
    case VX_T_ARRAY:
        return vx_unify_dim(s->types, vx_array_len(a), vx_array_len(b)) && unify_rec(s, a->u.arr.elem, b->u.arr.elem);
    case VX_T_SLICE:
        return unify_rec(s, a->u.arr.elem, b->u.arr.elem);
    case VX_T_REF:
        return a->u.arr.mut == b->u.arr.mut && unify_rec(s, a->u.arr.elem, b->u.arr.elem);
    case VX_T_FN:
        return a->u.fn.n == b->u.fn.n && unify_list(s, a->u.fn.params, b->u.fn.params, a->u.fn.n) &&
               unify_rec(s, a->u.fn.ret, b->u.fn.ret);
    case VX_T_ADT:
        return a->u.adt.decl == b->u.adt.decl && unify_list(s, a->u.adt.args, b->u.adt.args, a->u.adt.n);
    case VX_T_TENSOR:
        return unify_rec(s, a->u.tensor.dtype, b->u.tensor.dtype) && unify_dims(s, a, b);
    case VX_T_NAT:
        return vx_unify_dim(s->types, a->u.nat, b->u.nat);
    default:
        return false;                   /* distinct scalars, params of different owners */
    }
}

bool try_unify(Sema *s, VxType *a, VxType *b) { return unify_rec(s, a, b); }

static bool is_int_like(Sema *s, VxType *t)
{
    t = vx_resolve(s->types, t);
    return t->kind == VX_T_INT || (t->kind == VX_T_VAR && t->u.var.lit == VX_LIT_INT);
}

static bool is_float_like(Sema *s, VxType *t)
{
    t = vx_resolve(s->types, t);
    return t->kind == VX_T_FLOAT || (t->kind == VX_T_VAR && t->u.var.lit == VX_LIT_FLOAT);
}

/* `got` must fit where `expected` is wanted.  `!` (a diverging expression)
 * fits anywhere. */
bool unify(Sema *s, VxType *expected, VxType *got, VxSpan at)
{
    if (vx_resolve(s->types, got)->kind == VX_T_NEVER) return true;
    s->occurs_failed = false;
    if (unify_rec(s, expected, got)) return true;
    if (s->occurs_failed) {
        VxDiag *g = sema_error(s, at, "this value would need an infinite type");
        vx_diag_note(s->diags, g, "a type cannot contain itself: `%s` would have to equal `%s`", tname(s, expected), tname(s, got));
        return false;
    }
    VxDiag *g = sema_error(s, at, "mismatched types: expected `%s`, found `%s`", tname(s, expected), tname(s, got));
    vx_diag_primary(s->diags, g, "expected `%s`, found `%s`", tname(s, expected), tname(s, got));
    VxType *e = vx_resolve(s->types, expected), *f = vx_resolve(s->types, got);
    if ((is_int_like(s, e) || is_float_like(s, e)) && (is_int_like(s, f) || is_float_like(s, f)))
        vx_diag_help(s->diags, g, "numeric types do not convert implicitly; convert with `as %s`", tname(s, expected));
    else if (e->kind == VX_T_SLICE && f->kind == VX_T_ARRAY)
        vx_diag_note(s->diags, g, "a fixed-size array `[T; N]` and a dynamic array `[T]` are different types");
    else if (e->kind == VX_T_TUPLE && (f->kind == VX_T_ARRAY || f->kind == VX_T_SLICE))
        vx_diag_note(s->diags, g, "tuples are written `(a, b)`; arrays `[a, b]`");
    return false;
}
