/* sema_call.c - calls (functions, closures, enum constructors, associated
 * functions), method calls, argument matching with named arguments and
 * defaults, struct literals, paths, and the `?` operator. */
#include "sema_internal.h"

#include <string.h>

static VxType *err(Sema *s) { return vx_t_error(s->types); }

/* Check arguments of a call that cannot be matched (its callee is unknown),
 * so that mistakes inside them are still found. */
static void infer_args(Sema *s, VxNodeList args)
{
    for (int i = 0; i < args.len; i++) {
        VxNode *a = args.items[i];
        infer_expr(s, a->kind == VX_N_NAMED_ARG ? a->u.named_arg.value : a, NULL);
    }
}

static bool has_attr(VxDecl *d, const char *name)
{
    if (!d || !d->node || !d->node->attrs) return false;
    for (int i = 0; i < d->node->attrs->len; i++)
        if (strcmp(d->node->attrs->items[i]->u.attr.name, name) == 0) return true;
    return false;
}

/* ---- argument matching ------------------------------------------------------- */

static VxDiag *arity_error(Sema *s, VxNode *call, VxDecl *fn, int want, int got)
{
    VxDiag *g = sema_error(s, call->span, "%s%s%s takes %d argument%s but %d %s supplied",
                           fn ? "`" : "this function", fn ? fn->name : "", fn ? "`" : "", want,
                           want == 1 ? "" : "s", got, got == 1 ? "was" : "were");
    if (fn && fn->node && fn->src == s->src) vx_diag_label(s->diags, g, fn->node->span, "defined here");
    return g;
}

/* A default value used by a call: it was checked where it was declared;
 * here its type only informs inference (`println()` binds T to str). */
static void check_default(Sema *s, VxNode *def, VxType *t)
{
    VxType *lt = NULL;
    switch (def->kind) {
    case VX_N_STRING: lt = vx_t_str(s->types); break;
    case VX_N_BOOL: lt = vx_t_bool(s->types); break;
    case VX_N_INT: lt = vx_t_fresh(s->types, VX_LIT_INT); break;
    case VX_N_FLOAT: lt = vx_t_fresh(s->types, VX_LIT_FLOAT); break;
    default: return;
    }
    try_unify(s, t, lt);
}

static int named_slot(Sema *s, VxDecl *fn, int first, VxNode *arg, int nparams)
{
    const char *name = intern(s, arg->u.named_arg.name);
    for (int i = first; i < nparams; i++) if (fn->param_names[i] == name) return i;
    VxDiag *g = sema_error(s, arg->span, "`%s` has no parameter named `%s`", fn->name, name);
    vx_diag_primary(s->diags, g, "unknown parameter");
    const char *best = NULL;
    for (int i = first; i < nparams; i++) {
        const char *p = fn->param_names[i];
        if (strncmp(p, name, 2) == 0 || (p[0] == name[0] && strlen(p) == strlen(name))) best = p;
    }
    if (best) vx_diag_help(s->diags, g, "did you mean `%s`?", best);
    return -1;
}

/* `f(x = 1)` where f is a closure or function value: function types have
 * no parameter names.  Reported at the first such argument only. */
static void closure_named(Sema *s, VxNode *a, bool again)
{
    infer_expr(s, a->u.named_arg.value, NULL);
    if (again) return;
    VxDiag *g = sema_error(s, a->span, "closures and function values take no named arguments");
    vx_diag_help(s->diags, g, "pass the arguments by position, in the order of the closure's parameters");
}

/* Match args to the parameters of sig (from `first` on: 1 skips `self`). */
VxType *check_args(Sema *s, VxNode *call, VxDecl *fn, VxType *sig, VxNodeList args, VxNode *recv)
{
    int first = recv ? 1 : 0, np = sig->u.fn.n;
    bool variadic = has_attr(fn, "variadic");
    VxNode *given[64] = {0};
    if (np > 64) return sig->u.fn.ret;
    int next = first, positional = 0;
    VxNode *named_seen = NULL;
    for (int i = 0; i < args.len; i++) {
        VxNode *a = args.items[i];
        if (a->kind == VX_N_NAMED_ARG) {
            if (!fn) named_seen = named_seen ? named_seen : a;   /* reported once, at the first */
            else named_seen = a;
            if (!fn) { closure_named(s, a, named_seen != a); continue; }
            int slot = named_slot(s, fn, first, a, np);
            if (slot < 0) { infer_expr(s, a->u.named_arg.value, NULL); continue; }
            if (given[slot]) {
                VxDiag *g = sema_error(s, a->span, "argument `%s` is given more than once", fn->param_names[slot]);
                vx_diag_label(s->diags, g, given[slot]->span, "first given here");
                continue;
            }
            given[slot] = a;
            check_expr(s, a->u.named_arg.value, sig->u.fn.params[slot]);
            continue;
        }
        if (named_seen) {
            VxDiag *g = sema_error(s, a->span, "positional argument after a named argument");
            vx_diag_label(s->diags, g, named_seen->span, "named argument here");
            vx_diag_help(s->diags, g, "put positional arguments first");
            infer_expr(s, a, NULL);
            continue;
        }
        positional++;
        if (next >= np) {
            VxType *t = infer_expr(s, a, NULL);
            if (variadic) {
                if (s->trait_display && !implements(s, t, s->trait_display))
                    sema_error(s, a->span, "`%s` cannot be printed: it does not implement `Display`", tname(s, t));
                continue;
            }
            if (positional == np - first + 1) arity_error(s, call, fn, np - first, positional + (args.len - i - 1));
            continue;
        }
        given[next] = a;
        check_expr(s, a, sig->u.fn.params[next]);
        next++;
    }
    for (int i = first; i < np && (fn || !named_seen); i++) {   /* after a named argument to a closure: said enough */
        if (given[i]) continue;
        if (fn && fn->defaults[i]) { check_default(s, fn->defaults[i], sig->u.fn.params[i]); continue; }
        VxDiag *g = sema_error(s, call->span, "missing argument for parameter `%s` of `%s`",
                               fn ? fn->param_names[i] : "?", fn ? fn->name : "function");
        vx_diag_primary(s->diags, g, "expected a value of type `%s`", tname(s, sig->u.fn.params[i]));
        if (fn && fn->node && fn->src == s->src) vx_diag_label(s->diags, g, fn->node->span, "defined here");
        break;
    }
    return sig->u.fn.ret;
}

/* ---- paths: enum variants and associated functions ---------------------------------- */

VxVariant *find_variant(Sema *s, VxNode *path, VxDecl **enum_out)
{
    const char *first, *second;
    if (path->kind == VX_N_IDENT || path->kind == VX_N_PAT_IDENT) {
        second = intern(s, path->kind == VX_N_IDENT ? path->u.ident.name : path->u.pat_ident.name);
        VxDecl *ens[2] = { s->option, s->result };
        for (int k = 0; k < 2; k++)
            for (int i = 0; ens[k] && i < ens[k]->nvariants; i++)
                if (ens[k]->variants[i].name == second) { *enum_out = ens[k]; return &ens[k]->variants[i]; }
        return NULL;
    }
    VxNodeList segs = path->u.path.segs;
    if (segs.len == 1) {
        VxNode id = { .kind = VX_N_IDENT, .span = path->span };
        id.u.ident.name = segs.items[0]->u.seg.name;
        return find_variant(s, &id, enum_out);
    }
    if (segs.len != 2) return NULL;
    first = intern(s, segs.items[0]->u.seg.name);
    second = intern(s, segs.items[1]->u.seg.name);
    VxDecl *d = lookup_global(s, first);
    if (!d || d->kind != VX_D_ENUM) return NULL;
    *enum_out = d;
    for (int i = 0; i < d->nvariants; i++)
        if (d->variants[i].name == second) return &d->variants[i];
    return NULL;
}

static VxType *enum_instance(Sema *s, VxDecl *en, VxNode *path, VxType ***args)
{
    VxType *t = instantiate(s, en, decl_type(s, en), args);
    /* explicit arguments: Option::<i64>::None */
    if (path->kind == VX_N_PATH && path->u.path.segs.items[0]->u.seg.args.len) {
        VxNodeList ga = path->u.path.segs.items[0]->u.seg.args;
        if (ga.len != en->ngenerics) sema_error(s, path->span, "`%s` takes %d generic arguments", en->name, en->ngenerics);
        else for (int i = 0; i < ga.len; i++) unify(s, (*args)[i], resolve_type(s, ga.items[i], true), ga.items[i]->span);
    }
    return t;
}

static VxType *variant_value(Sema *s, VxNode *e, VxDecl *en, VxVariant *v, bool called)
{
    VxType **args;
    VxType *t = enum_instance(s, en, e, &args);
    if (v->shape == VX_VARIANT_UNIT) {
        if (called) {
            sema_error(s, e->span, "`%s::%s` takes no values", en->name, v->name);
            return err(s);
        }
        return t;
    }
    if (v->shape == VX_VARIANT_STRUCT) {
        VxDiag *g = sema_error(s, e->span, "`%s::%s` has named fields", en->name, v->name);
        vx_diag_help(s->diags, g, "create it with `%s::%s { ... }`", en->name, v->name);
        return err(s);
    }
    VxType *ps[64];
    for (int i = 0; i < v->n && i < 64; i++) ps[i] = vx_subst(s->types, v->payload[i], en, args, en->ngenerics);
    return vx_t_fn(s->types, ps, v->n < 64 ? v->n : 64, t);
}

static VxType *method_sig(Sema *s, VxDecl *m, VxType *recv, VxType **iargs, int n, VxSpan at);

/* Type::function: an associated function of an impl or trait.  Type may
 * be a type parameter (`T::zero()`, resolved through T's bounds, and per
 * instance by monomorphization), `Self` or a scalar; its type is recorded
 * on the segment, where the compiler dispatches on it. */
static VxDecl *assoc_fn(Sema *s, VxNode *e, VxType **sig_out)
{
    VxNodeList segs = e->u.path.segs;
    if (segs.len != 2) return NULL;
    const char *head = intern(s, segs.items[0]->u.seg.name);
    VxType *self = path_head_type(s, head);
    if (!self) {
        VxDecl *d = lookup_global(s, head);
        if (!d || (d->kind != VX_D_STRUCT && d->kind != VX_D_ENUM)) return NULL;
        self = instantiate(s, d, decl_type(s, d), NULL);
    }
    VxType **iargs;
    int n;
    VxDecl *m = find_method(s, self, intern(s, segs.items[1]->u.seg.name), &iargs, &n);
    if (!m || !m->sig) return NULL;
    segs.items[0]->type = self;
    *sig_out = method_sig(s, m, self, iargs, n, e->span);
    return m;
}

VxType *check_path_value(Sema *s, VxNode *e, bool called)
{
    VxDecl *en;
    VxVariant *v = find_variant(s, e, &en);
    if (v) return variant_value(s, e, en, v, called);
    VxType *sig;
    if (e->kind == VX_N_PATH && assoc_fn(s, e, &sig)) return sig;
    if (e->kind == VX_N_PATH && e->u.path.segs.len == 2) {
        const char *a = e->u.path.segs.items[0]->u.seg.name, *b = e->u.path.segs.items[1]->u.seg.name;
        VxDecl *d = lookup_global(s, intern(s, a));
        VxType *head = path_head_type(s, intern(s, a));
        if (head) {
            VxDiag *g = sema_error(s, e->span, "`%s` has no associated function `%s`", tname(s, head), b);
            if (vx_resolve(s->types, head)->kind == VX_T_PARAM)
                vx_diag_help(s->diags, g, "bound `%s` by a trait that declares `fn %s(...)`", a, b);
        } else if (!d && !module_member_error(s, e->u.path.segs.items[0]->span, intern(s, a)))
            sema_error(s, e->u.path.segs.items[0]->span, "cannot find type `%s` in this scope", a);
        else if (d->kind == VX_D_ENUM) {
            VxDiag *g = sema_error(s, e->span, "enum `%s` has no variant or function named `%s`", a, b);
            const char *near = NULL;
            for (int i = 0; i < d->nvariants; i++)
                if (d->variants[i].name[0] == b[0]) near = d->variants[i].name;
            if (near) vx_diag_help(s->diags, g, "did you mean `%s::%s`?", a, near);
        } else sema_error(s, e->span, "`%s` has no associated function `%s`", a, b);
        return err(s);
    }
    if (e->kind == VX_N_PATH && e->u.path.segs.len == 1 && strcmp(e->u.path.segs.items[0]->u.seg.name, "Self") == 0) {
        sema_error(s, e->span, "`Self` is a type; use `Self { ... }` or `Self::function(...)`");
        return err(s);
    }
    sema_error(s, e->span, "cannot resolve this path");
    return err(s);
}

/* ---- calls ------------------------------------------------------------------------ */

static VxType *call_value(Sema *s, VxNode *call, VxType *ft)
{
    VxType *f = vx_resolve(s->types, ft);
    if (f->kind == VX_T_ERROR) {
        infer_args(s, call->u.call.args);
        return f;
    }
    if (f->kind == VX_T_VAR && f->u.var.lit) f = vx_zonk(s->types, f, true);   /* a number, not a function */
    if (f->kind == VX_T_VAR) {                       /* a closure parameter: infer its type */
        int n = call->u.call.args.len;
        VxType *ps[64];
        for (int i = 0; i < n && i < 64; i++) ps[i] = vx_t_fresh(s->types, VX_LIT_NONE);
        VxType *fn = vx_t_fn(s->types, ps, n < 64 ? n : 64, vx_t_fresh(s->types, VX_LIT_NONE));
        unify(s, fn, f, call->u.call.callee->span);
        f = fn;
    }
    if (f->kind != VX_T_FN) {
        VxDiag *g = sema_error(s, call->u.call.callee->span, "cannot call a value of type `%s`", tname(s, ft));
        vx_diag_primary(s->diags, g, "not a function");
        return err(s);
    }
    if (call->u.call.args.len != f->u.fn.n) {
        arity_error(s, call, NULL, f->u.fn.n, call->u.call.args.len);
        return f->u.fn.ret;
    }
    return check_args(s, call, NULL, f, call->u.call.args, NULL);
}


VxType *check_call(Sema *s, VxNode *call, VxType *expected)
{
    (void)expected;
    VxNode *callee = call->u.call.callee;
    if (callee->kind == VX_N_IDENT) {
        const char *name = intern(s, callee->u.ident.name);
        VxDecl *d = lookup_local(s, name) ? NULL : lookup_global(s, name);
        if (d && d->kind == VX_D_FN && d->sig) {
            if (s->kernel && d == s->kernel) kernel_rule(s, call, "recursion is");
            VxType **args;
            VxType *sig = vx_fresh_dims(s->types, instantiate(s, d, d->sig, &args));
            callee->type = sig;
            defer_bounds(s, d, args, call->span);
            s->call_site = call;
            record_call(s, d, NULL, 0, args, d->ngenerics);
            VxType *ret = check_args(s, call, d, sig, call->u.call.args, NULL);
            return tensor_shape_rule(s, d, sig, call->u.call.args, NULL, ret, call->span);
        }
        if (d && d->kind == VX_D_STRUCT) {
            VxDiag *g = sema_error(s, call->span, "`%s` is a struct, not a function", name);
            vx_diag_help(s->diags, g, "create it with `%s { field: value, ... }`", name);
            return err(s);
        }
    }
    if (callee->kind == VX_N_PATH) {
        VxType *sig;
        s->call_site = call;
        VxDecl *m = assoc_fn(s, callee, &sig);
        s->call_site = NULL;
        if (m) {
            callee->type = sig;
            return check_args(s, call, m, sig, call->u.call.args, NULL);
        }
    }
    VxDecl *en;
    if ((callee->kind == VX_N_PATH || callee->kind == VX_N_IDENT) && find_variant(s, callee, &en) &&
        !(callee->kind == VX_N_IDENT && lookup_local(s, intern(s, callee->u.ident.name)))) {
        VxType *ft = infer_expr(s, callee, NULL);
        ft = vx_resolve(s->types, ft);
        if (ft->kind != VX_T_FN) {
            infer_args(s, call->u.call.args);
            if (ft->kind != VX_T_ERROR) sema_error(s, call->span, "this enum variant takes no values");
            return ft->kind == VX_T_FN ? ft->u.fn.ret : err(s);
        }
        return call_value(s, call, ft);
    }
    return call_value(s, call, infer_expr(s, callee, NULL));
}

/* ---- methods ------------------------------------------------------------------------ */

static VxType *method_sig(Sema *s, VxDecl *m, VxType *recv, VxType **iargs, int n, VxSpan at)
{
    VxType *sig = m->sig;
    VxType **outer = iargs;
    int nouter = m->impl && m->impl->kind == VX_D_IMPL ? n : 0;
    if (m->impl && m->impl->kind == VX_D_IMPL) {
        sig = vx_subst(s->types, sig, m->impl, iargs, n);
        defer_bounds(s, m->impl, iargs, at);
        for (int i = 0; i < m->nwhere; i++) {
            Obligation o = { vx_subst(s->types, m->where_types[i], m->impl, iargs, n), m->where_traits[i], m,
                             intern(s, tname(s, m->where_types[i])), at };
            vx_vec_push(&s->obligations, o);
        }
    } else if (m->impl && m->impl->kind == VX_D_TRAIT) {
        VxDecl *tr = m->impl;
        VxType *targs[65];
        int tn = tr->ngenerics < 64 ? tr->ngenerics : 64;
        for (int i = 0; i < tn; i++) targs[i] = n == tr->ngenerics + 1 ? iargs[i] : vx_t_fresh(s->types, VX_LIT_NONE);   /* from the impl */
        targs[tn] = recv;
        sig = vx_subst(s->types, sig, tr, targs, tn + 1);
        outer = vx_arena_dup(&s->arena, targs, sizeof(VxType *) * (size_t)(tn + 1));
        nouter = tn + 1;
    }
    VxType **margs;
    sig = vx_fresh_dims(s->types, instantiate(s, m, sig, &margs));
    defer_bounds(s, m, margs, at);
    record_call(s, m, outer, nouter, margs, m->ngenerics);
    return sig;
}

static void no_method(Sema *s, VxNode *call, VxType *recv, const char *name)
{
    VxType *r = vx_resolve(s->types, recv);
    if (r->kind == VX_T_VAR) {
        VxDiag *g = sema_error(s, call->span, "type annotations needed before calling `.%s()`", name);
        vx_diag_help(s->diags, g, "give the value a type first, as in `let x: [i64] = ...`");
        return;
    }
    VxDiag *g = sema_error(s, call->span, "no method named `%s` found for `%s`", name, tname(s, recv));
    vx_diag_primary(s->diags, g, "method not found");
    if (r->kind == VX_T_PARAM) vx_diag_help(s->diags, g, "add a trait bound to `%s` that provides `%s`", tname(s, recv), name);
    else if (lookup_global(s, name) && lookup_global(s, name)->kind == VX_D_FN)
        vx_diag_help(s->diags, g, "`%s` is a function: call it as `%s(value, ...)`", name, name);
}

static void check_receiver(Sema *s, VxNode *call, VxDecl *m, VxType *sig, VxType *recv)
{
    VxNode *rn = call->u.method.recv;
    VxType *want = vx_resolve(s->types, sig->u.fn.params[0]);
    VxType *have = vx_resolve(s->types, recv);
    VxType *have_val = have->kind == VX_T_REF ? vx_resolve(s->types, have->u.arr.elem) : have;
    if (want->kind == VX_T_REF) {
        unify(s, want->u.arr.elem, have_val, rn->span);
        VxNode *binding = NULL;
        bool temporary = rn->kind == VX_N_CALL || rn->kind == VX_N_METHOD_CALL || rn->kind == VX_N_ARRAY ||
                         rn->kind == VX_N_STRUCT_LIT;
        if (want->u.arr.mut && !temporary && !(have->kind == VX_T_REF && have->u.arr.mut) && !is_place_mutable(s, rn, &binding)) {
            VxDiag *g = sema_error(s, rn->span, "cannot call `%s`, which changes its receiver, on an immutable value", m->name);
            if (binding) {
                vx_diag_label(s->diags, g, binding->span, "declared immutable here");
                vx_diag_help(s->diags, g, "declare it with `var`");
            }
        }
        return;
    }
    unify(s, want, have_val, rn->span);
}

VxType *check_method_call(Sema *s, VxNode *call)
{
    VxType *recv = infer_expr(s, call->u.method.recv, NULL);
    const char *name = intern(s, call->u.method.name);
    if (is_error(s, recv)) {
        infer_args(s, call->u.method.args);
        return err(s);
    }
    VxType **iargs;
    int n;
    VxDecl *m = find_method(s, recv, name, &iargs, &n);
    if (!m || !m->sig) {
        no_method(s, call, recv, name);
        infer_args(s, call->u.method.args);
        return err(s);
    }
    VxType *rv = vx_resolve(s->types, recv);
    if (rv->kind == VX_T_REF) rv = vx_resolve(s->types, rv->u.arr.elem);
    s->call_site = call;                             /* the compiler reads the instance from here */
    VxType *sig = method_sig(s, m, rv, iargs, n, call->span);
    s->call_site = NULL;
    if (!m->self) {
        VxDiag *g = sema_error(s, call->span, "`%s` is an associated function, not a method", name);
        vx_diag_help(s->diags, g, "call it as `%s::%s(...)`", tname(s, rv), name);
        return sig->u.fn.ret;
    }
    check_receiver(s, call, m, sig, recv);
    VxType *ret = check_args(s, call, m, sig, call->u.method.args, call->u.method.recv);
    return tensor_shape_rule(s, m, sig, call->u.method.args, call->u.method.recv, ret, call->span);
}

/* ---- struct literals ----------------------------------------------------------------- */

static VxField *find_field(VxField *fs, int n, const char *name)
{
    for (int i = 0; i < n; i++) if (fs[i].name == name) return &fs[i];
    return NULL;
}

VxType *check_struct_lit(Sema *s, VxNode *e)
{
    VxNode *path = e->u.struct_lit.path;
    VxNodeList segs = path->u.path.segs;
    VxDecl *owner = NULL;
    VxField *fields = NULL;
    int nfields = 0;
    const char *what;
    VxType *t, **args = NULL;
    VxDecl *en;
    VxVariant *v = segs.len == 2 ? find_variant(s, path, &en) : NULL;
    if (v && v->shape == VX_VARIANT_STRUCT) {
        owner = en;
        t = enum_instance(s, en, path, &args);
        fields = v->fields;
        nfields = v->n;
        what = v->name;
    } else {
        const char *name = intern(s, segs.items[0]->u.seg.name);
        VxDecl *d = strcmp(name, "Self") == 0 && s->self_type && vx_resolve(s->types, s->self_type)->kind == VX_T_ADT
                  ? vx_resolve(s->types, s->self_type)->u.adt.decl : lookup_global(s, name);
        if (!d || d->kind != VX_D_STRUCT || segs.len != 1) {
            if (d || !module_member_error(s, path->span, name)) {
                VxDiag *g = sema_error(s, path->span, d ? "`%s` is not a struct" : "cannot find struct `%s` in this scope", name);
                const char *near = d ? NULL : closest_name(s, name, 1u << VX_D_STRUCT);
                if (near) vx_diag_help(s->diags, g, "did you mean `%s`?", near);
            }
            for (int i = 0; i < e->u.struct_lit.fields.len; i++) {
                VxNode *f = e->u.struct_lit.fields.items[i];
                if (f->u.field_init.value) infer_expr(s, f->u.field_init.value, NULL);
            }
            return err(s);
        }
        if (d->builtin) {                             /* an opaque handle (Optimizer): made only by its builtins */
            sema_error(s, path->span, "`%s` values are made by the builtins that return one, not written as a struct", name);
            return err(s);
        }
        owner = d;
        t = instantiate(s, d, decl_type(s, d), &args);
        if (segs.items[0]->u.seg.args.len == d->ngenerics)
            for (int i = 0; i < d->ngenerics; i++)
                unify(s, args[i], resolve_type(s, segs.items[0]->u.seg.args.items[i], true), path->span);
        fields = d->fields;
        nfields = d->nfields;
        what = d->name;
    }
    bool seen[256] = {0};
    for (int i = 0; i < e->u.struct_lit.fields.len; i++) {
        VxNode *fi = e->u.struct_lit.fields.items[i];
        const char *fname = intern(s, fi->u.field_init.name);
        VxField *f = find_field(fields, nfields, fname);
        VxNode *value = fi->u.field_init.value;
        if (!f) {
            VxDiag *g = sema_error(s, fi->span, "`%s` has no field named `%s`", what, fname);
            vx_diag_primary(s->diags, g, "unknown field");
            if (value) infer_expr(s, value, NULL);
            continue;
        }
        int idx = (int)(f - fields);
        if (idx < 256 && seen[idx]) { sema_error(s, fi->span, "field `%s` is given more than once", fname); continue; }
        if (idx < 256) seen[idx] = true;
        VxType *ft = vx_subst(s->types, f->type, owner, args, owner->ngenerics);
        if (value) check_expr(s, value, ft);
        else {
            VxNode id = { .kind = VX_N_IDENT, .span = fi->span };
            id.u.ident.name = fi->u.field_init.name;
            unify(s, ft, infer_expr(s, &id, ft), fi->span);
            fi->type = ft;                              /* the VM compiles the shorthand as this variable */
        }
    }
    char missing[256] = "";
    int nmissing = 0;
    for (int i = 0; i < nfields && i < 256; i++)
        if (!seen[i] && !(fields[i].node && fields[i].node->u.field.value)) {   /* fields with defaults may be left out */
            if (strlen(missing) < 200)
                snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s`%s`", nmissing ? ", " : "", fields[i].name);
            nmissing++;
        }
    if (nmissing) {
        VxDiag *g = sema_error(s, e->span, "missing field%s %s in `%s`", nmissing == 1 ? "" : "s", missing, what);
        vx_diag_primary(s->diags, g, "every field needs a value");
    }
    return t;
}

/* ---- `?` ------------------------------------------------------------------------------ */

VxType *check_try(Sema *s, VxNode *e);
VxType *check_try(Sema *s, VxNode *e)
{
    VxType *t = vx_resolve(s->types, infer_expr(s, e->u.try_.expr, NULL));
    if (t->kind == VX_T_ERROR) return t;
    bool opt = t->kind == VX_T_ADT && t->u.adt.decl == s->option && s->option;
    bool res = t->kind == VX_T_ADT && t->u.adt.decl == s->result && s->result;
    if (!opt && !res) {
        VxDiag *g = sema_error(s, e->span, "`?` needs an `Option` or a `Result`, found `%s`", tname(s, t));
        vx_diag_primary(s->diags, g, "cannot use `?` here");
        return err(s);
    }
    VxType *ret = vx_resolve(s->types, s->ret);
    VxDecl *want = opt ? s->option : s->result;
    VxType *fresh[2] = { vx_t_fresh(s->types, VX_LIT_NONE), res ? t->u.adt.args[1] : NULL };
    VxType *need = vx_t_adt(s->types, want, fresh, res ? 2 : 1);
    if (!try_unify(s, ret, need)) {
        bool both_results = res && ret->kind == VX_T_ADT && ret->u.adt.decl == s->result;
        VxDiag *g;
        if (both_results) {
            g = sema_error(s, e->span, "`?` cannot pass on an error of type `%s` from a function whose error type is `%s`",
                           tname(s, t->u.adt.args[1]), tname(s, ret->u.adt.args[1]));
            vx_diag_help(s->diags, g, "convert the error first, e.g. with a `match`");
        } else {
            g = sema_error(s, e->span, "`?` can only be used in a function that returns `%s`", opt ? "Option" : "Result");
            vx_diag_note(s->diags, g, "this function returns `%s`", tname(s, s->ret));
        }
    }
    return t->u.adt.args[0];
}
