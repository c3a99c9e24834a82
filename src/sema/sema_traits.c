/* sema_traits.c - trait bounds and method lookup.
 *
 * The built-in traits (Eq, Ord, Num, Float, Copy, Display) hold for the
 * scalar types by rule, structurally for tuples, arrays and the prelude's
 * Option/Result, and for other types through `impl Trait for T` blocks. */
#include "sema_internal.h"

#include <stdlib.h>
#include <string.h>

static bool all_args(Sema *s, VxType **ts, int n, VxDecl *trait)
{
    for (int i = 0; i < n; i++) if (!implements(s, ts[i], trait)) return false;
    return true;
}

/* Built-in rules; -1 when the rules say nothing (look for impls). */
static bool is_arith_trait(Sema *s, VxDecl *tr)
{
    static const char *const names[] = { "Add", "Sub", "Mul", "Div", "Rem" };
    if (tr->src == s->opt.user_src) return false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) if (strcmp(tr->name, names[i]) == 0) return true;
    return false;
}

static int builtin_rule(Sema *s, VxType *t, VxDecl *tr)
{
    bool eq = tr == s->trait_eq, ord = tr == s->trait_ord, num = tr == s->trait_num;
    bool flt = tr == s->trait_float, copy = tr == s->trait_copy, disp = tr == s->trait_display;
    if (tr == s->trait_int) return t->kind == VX_T_INT ? 1 : -1;   /* integers only (not floats, not tensors) */
    if (is_arith_trait(s, tr)) num = true;             /* numbers and tensors have the operators */
    else if (tr->src != s->opt.user_src && strcmp(tr->name, "MatMul") == 0) return t->kind == VX_T_TENSOR ? 1 : -1;
    if (!eq && !ord && !num && !flt && !copy && !disp) return -1;
    if (t->kind == VX_T_TENSOR && flt) {
        VxType *d = vx_resolve(s->types, t->u.tensor.dtype);
        return d->kind == VX_T_FLOAT || d->kind == VX_T_VAR;
    }
    if (t->kind == VX_T_INT && is_arith_trait(s, tr)) return 1;
    switch (t->kind) {
    case VX_T_INT: return !flt;
    case VX_T_FLOAT: return 1;
    case VX_T_BOOL: return eq || ord || copy || disp;        /* false < true, as in Rust */
    case VX_T_STR: return eq || ord || copy || disp;
    case VX_T_UNIT: return eq || copy || disp;
    case VX_T_TUPLE: return (eq || ord || copy || disp) && all_args(s, t->u.tuple.elems, t->u.tuple.n, tr);
    case VX_T_ARRAY: case VX_T_SLICE: return (eq || ord || disp || (copy && t->kind == VX_T_ARRAY)) && implements(s, t->u.arr.elem, tr);
    case VX_T_REF: return copy ? !t->u.arr.mut : implements(s, t->u.arr.elem, tr);
    case VX_T_FN: return copy;
    case VX_T_TENSOR: return num || disp || copy;
    case VX_T_MAP: return (disp || eq) && all_args(s, t->u.tuple.elems, 2, tr);   /* `==` as Rust's, order aside */
    case VX_T_ADT:
        if ((t->u.adt.decl == s->option || t->u.adt.decl == s->result) && (eq || ord || disp || copy))
            return all_args(s, t->u.adt.args, t->u.adt.n, tr);
        return -1;
    default: return -1;
    }
}

static bool trait_extends(VxDecl *t, VxDecl *want, int depth)
{
    if (t == want) return true;
    if (depth > 32) return false;
    for (int i = 0; i < t->nsupers; i++) if (trait_extends(t->supers[i], want, depth + 1)) return true;
    return false;
}

static VxGeneric *param_generic(VxType *p)
{
    VxDecl *o = p->u.param.owner;
    return p->u.param.index < o->ngenerics ? &o->generics[p->u.param.index] : NULL;
}

/* ---- the impl index ---------------------------------------------------------------- */

static uintptr_t head_key(Sema *s, VxType *t)
{
    t = vx_resolve(s->types, t);
    if (t->kind == VX_T_ADT) return (uintptr_t)t->u.adt.decl;
    if (t->kind == VX_T_PARAM || t->kind == VX_T_VAR) return 0;
    return (uintptr_t)t->kind + 1;
}

static int by_key(const void *a, const void *b)
{
    const ImplKey *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

void index_impls(Sema *s)
{
    free(s->impl_index);
    s->impl_index = vx_xmalloc(sizeof(ImplKey) * (size_t)(s->impls.len ? s->impls.len : 1));
    s->nimpl_index = 0;
    for (int i = 0; i < s->impls.len; i++) {
        VxDecl *impl = s->impls.data[i];
        if (!impl->self_type) continue;
        s->impl_index[s->nimpl_index++] = (ImplKey){ head_key(s, impl->self_type), impl };
    }
    qsort(s->impl_index, (size_t)s->nimpl_index, sizeof(ImplKey), by_key);
}

/* The impls that may match a type with this head: [*from, *to), then the
 * blanket ones (key 0) at the start of the index. */
static void impl_range(Sema *s, uintptr_t key, int *from, int *to)
{
    int lo = 0, hi = s->nimpl_index;
    while (lo < hi) { int mid = (lo + hi) / 2; if (s->impl_index[mid].key < key) lo = mid + 1; else hi = mid; }
    *from = lo;
    while (hi < s->nimpl_index && s->impl_index[hi].key == key) hi++;
    *to = hi;
}

/* Candidate impls for t: those with the same head, then blanket impls;
 * -1 when t's head is unknown (then every impl is a candidate). */
static int candidates(Sema *s, VxType *t, VxDecl ***out)
{
    uintptr_t key = head_key(s, t);
    int a, b, z0, z1;
    if (key == 0) { *out = NULL; return -1; }           /* unknown head: scan everything */
    impl_range(s, key, &a, &b);
    impl_range(s, 0, &z0, &z1);
    int n = (b - a) + (z1 - z0);
    VxDecl **list = vx_arena_alloc(&s->arena, sizeof(VxDecl *) * (size_t)(n ? n : 1));
    int k = 0;
    for (int i = a; i < b; i++) list[k++] = s->impl_index[i].impl;
    for (int i = z0; i < z1; i++) list[k++] = s->impl_index[i].impl;
    *out = list;
    return k;
}

/* Does some `impl trait for X` cover t?  Tries each impl and undoes the
 * bindings of the ones that do not fit. */
static bool has_impl(Sema *s, VxType *t, VxDecl *trait)
{
    VxDecl **cands;
    int n = candidates(s, t, &cands);
    if (n < 0) { cands = s->impls.data; n = s->impls.len; }
    for (int i = 0; i < n; i++) {
        VxDecl *impl = cands[i];
        if (impl->trait != trait || !impl->self_type) continue;
        size_t mark = vx_types_mark(s->types);
        VxType **args;
        VxType *self = vx_fresh_dims(s->types, instantiate(s, impl, impl->self_type, &args));
        if (try_unify(s, self, t)) {
            bool ok = true;
            for (int g = 0; g < impl->ngenerics && ok; g++)
                for (int b = 0; b < impl->generics[g].nbounds && ok; b++)
                    ok = implements(s, args[g], impl->generics[g].bounds[b]);
            vx_types_rollback(s->types, mark);
            if (ok) return true;
            continue;
        }
        vx_types_rollback(s->types, mark);
    }
    return false;
}

bool implements(Sema *s, VxType *t, VxDecl *trait)
{
    t = vx_resolve(s->types, t);
    if (!trait || t->kind == VX_T_ERROR || t->kind == VX_T_NEVER) return true;
    if (t->kind == VX_T_VAR) {
        if (t->u.var.lit == VX_LIT_NONE) return true;            /* decided later */
        VxType *def = vx_zonk(s->types, t, true);
        return implements(s, def, trait);
    }
    if (t->kind == VX_T_PARAM) {
        VxDecl *o = t->u.param.owner;
        if (o->kind == VX_D_TRAIT && t == o->self_type) return trait_extends(o, trait, 0);
        VxGeneric *g = param_generic(t);
        if (g) for (int i = 0; i < g->nbounds; i++) if (trait_extends(g->bounds[i], trait, 0)) return true;
        for (int i = 0; s->fn && i < s->fn->nwhere; i++)
            if (s->fn->where_types[i] == t && trait_extends(s->fn->where_traits[i], trait, 0)) return true;
        return false;
    }
    int r = builtin_rule(s, t, trait);
    if (r >= 0) return r || has_impl(s, t, trait);
    return has_impl(s, t, trait);
}

/* Check that args satisfy d's generic bounds now; unresolved variables are
 * accepted here and caught when the function's types are final. */
bool check_bounds(Sema *s, VxDecl *d, VxType **args, VxSpan at)
{
    bool ok = true;
    for (int i = 0; i < d->ngenerics; i++)
        for (int b = 0; b < d->generics[i].nbounds; b++) {
            VxDecl *tr = d->generics[i].bounds[b];
            if (implements(s, args[i], tr)) continue;
            VxDiag *g = sema_error(s, at, "the trait bound `%s: %s` is not satisfied", tname(s, args[i]), tr->name);
            vx_diag_primary(s->diags, g, "`%s` does not implement `%s`", tname(s, args[i]), tr->name);
            vx_diag_note(s->diags, g, "required by the bound `%s: %s` of `%s`", d->generics[i].name, tr->name, d->name);
            ok = false;
        }
    return ok;
}

static VxDecl *method_named(VxDecl *owner, const char *name)
{
    for (int i = 0; i < owner->nmethods; i++)
        if (owner->methods[i]->name == name) return owner->methods[i];
    return NULL;
}

/* A trait's method, or one of its supertraits' (depth-first). */
static VxDecl *trait_method(VxDecl *trait, const char *name, int depth)
{
    VxDecl *m = method_named(trait, name);
    for (int i = 0; !m && depth < 32 && i < trait->nsupers; i++) m = trait_method(trait->supers[i], name, depth + 1);
    return m;
}

/* Method `name` on a value of type recv: inherent impls first, then trait
 * impls, then the bounds of a generic parameter.  On success *impl_args
 * holds the impl's instantiated generic arguments (unified with recv). */
static VxDecl *search_impls(Sema *s, VxType *recv, const char *name, bool op, VxType *rhs, VxType ***impl_args, int *nimpl_args);

VxDecl *find_method(Sema *s, VxType *recv, const char *name, VxType ***impl_args, int *nimpl_args)
{
    recv = vx_resolve(s->types, recv);
    if (recv->kind == VX_T_REF) recv = vx_resolve(s->types, recv->u.arr.elem);
    *impl_args = NULL;
    *nimpl_args = 0;
    if (recv->kind == VX_T_PARAM) {
        VxDecl *o = recv->u.param.owner;
        if (o->kind == VX_D_TRAIT && recv == o->self_type) return trait_method(o, name, 0);
        VxGeneric *g = param_generic(recv);
        for (int i = 0; g && i < g->nbounds; i++) {
            VxDecl *m = trait_method(g->bounds[i], name, 0);
            if (m) return m;
        }
        for (int i = 0; s->fn && i < s->fn->nwhere; i++)
            if (s->fn->where_types[i] == recv) {
                VxDecl *m = trait_method(s->fn->where_traits[i], name, 0);
                if (m) return m;
            }
        return NULL;
    }
    return search_impls(s, recv, name, false, NULL, impl_args, nimpl_args);
}

/* The impl method `name` for recv: inherent impls first, then trait impls.
 * For an operator (op), only methods trait impls provide, and with rhs (a
 * binary operator's right operand) only one whose second parameter accepts
 * it, so `Vec2 * Vec2` and `Vec2 * f64` each find their own impl. */
/* A trait's default method m reached through impl: its owner's arguments
 * are the trait's, as the impl gives them (`impl Get<i64> for S`: i64),
 * then Self.  Through a supertrait they are unknown (none). */
static void default_args(Sema *s, VxDecl *impl, VxDecl *m, VxType **args, VxType *self, VxType ***out, int *n)
{
    VxDecl *tr = impl->trait;
    *out = NULL;
    *n = 0;
    if (m->impl != tr) return;
    VxType **ta = vx_arena_alloc(&s->arena, sizeof(VxType *) * (size_t)(tr->ngenerics + 1));
    for (int i = 0; i < tr->ngenerics; i++)
        ta[i] = impl->trait_args ? vx_subst(s->types, impl->trait_args[i], impl, args, impl->ngenerics) : self;
    ta[tr->ngenerics] = self;
    *out = ta;
    *n = tr->ngenerics + 1;
}

static VxDecl *search_impls(Sema *s, VxType *recv, const char *name, bool op, VxType *rhs, VxType ***impl_args, int *nimpl_args)
{
    VxDecl **cands;
    int ncands = candidates(s, recv, &cands);
    if (ncands < 0) { cands = s->impls.data; ncands = s->impls.len; }
    for (int pass = op; pass < 2; pass++)           /* inherent first, then traits */
        for (int i = 0; i < ncands; i++) {
            VxDecl *impl = cands[i];
            if ((impl->trait != NULL) != pass || !impl->self_type) continue;
            VxDecl *m = method_named(impl, name);
            if (!m && impl->trait) m = trait_method(impl->trait, name, 0);   /* a default method, or one the impl
                                                                              * failed to provide (reported there) */
            if (!m || (op && (!m->sig || m->impl != impl || m->sig->u.fn.n != (rhs ? 2 : 1)))) continue;
            size_t mark = vx_types_mark(s->types);
            VxType **args;
            VxType *self = vx_fresh_dims(s->types, instantiate(s, impl, impl->self_type, &args));
            if (try_unify(s, self, recv) &&
                (!rhs || try_unify(s, vx_subst(s->types, m->sig, impl, args, impl->ngenerics)->u.fn.params[1], rhs))) {
                *impl_args = args;
                *nimpl_args = impl->ngenerics;
                if (m->impl != impl) default_args(s, impl, m, args, self, impl_args, nimpl_args);
                return m;
            }
            vx_types_rollback(s->types, mark);
        }
    return NULL;
}

VxDecl *find_operator(Sema *s, VxType *recv, const char *name, VxType *rhs, VxType ***impl_args, int *nimpl_args)
{
    *impl_args = NULL;
    *nimpl_args = 0;
    recv = vx_resolve(s->types, recv);
    if (recv->kind == VX_T_REF) recv = vx_resolve(s->types, recv->u.arr.elem);
    return search_impls(s, recv, name, true, rhs, impl_args, nimpl_args);
}

/* Bounds on fresh variables are checked after inference (see
 * discharge_obligations), when the variables have their final types. */
void defer_bounds(Sema *s, VxDecl *d, VxType **args, VxSpan at)
{
    for (int i = 0; i < d->ngenerics; i++)
        for (int b = 0; b < d->generics[i].nbounds; b++) {
            Obligation o = { args[i], d->generics[i].bounds[b], d, d->generics[i].name, at };
            vx_vec_push(&s->obligations, o);
        }
}

void discharge_obligations(Sema *s)
{
    for (int i = 0; i < s->obligations.len; i++) {
        Obligation *o = &s->obligations.data[i];
        VxType *t = vx_zonk(s->types, o->type, true);
        if (t->kind == VX_T_VAR || implements(s, t, o->trait)) continue;
        VxDiag *g = sema_error(s, o->at, "the trait bound `%s: %s` is not satisfied", tname(s, t), o->trait->name);
        vx_diag_primary(s->diags, g, "`%s` does not implement `%s`", tname(s, t), o->trait->name);
        if (o->owner->kind == VX_D_IMPL)
            vx_diag_note(s->diags, g, "required by the bound `%s: %s` of the impl for `%s`", o->param, o->trait->name,
                         tname(s, o->owner->self_type));
        else
            vx_diag_note(s->diags, g, "required by the bound `%s: %s` of `%s`", o->param, o->trait->name, o->owner->name);
        if (t->kind == VX_T_ADT)
            vx_diag_help(s->diags, g, "implement it: `impl %s for %s { ... }`", o->trait->name, tname(s, t));
    }
    s->obligations.len = 0;
}
