/* sema_stmt.c - blocks, `let`, statements, and whole functions (parameters,
 * return value, and the checks that need final types: literal ranges,
 * deferred trait bounds, types that could not be inferred). */
#include "sema_internal.h"

#include <string.h>

static bool generalise(Sema *s, VxNode *let, VxType *t);

static VxType *let_stmt(Sema *s, VxNode *n)
{
    VxType *t = n->u.let.type ? resolve_type(s, n->u.let.type, true) : NULL;
    if (!n->u.let.value) {
        VxDiag *g = sema_error(s, n->span, "variables must be given a value where they are declared");
        vx_diag_help(s->diags, g, "write `%s x%s = value`", n->u.let.is_var ? "var" : "let", t ? ": T" : "");
        if (!t) t = vx_t_error(s->types);
    } else {
        VxType *v = infer_expr(s, n->u.let.value, t);
        if (t) unify(s, t, v, n->u.let.value->span);
        else t = v;
    }
    if (vx_resolve(s->types, t)->kind == VX_T_UNIT && n->u.let.value && n->u.let.pat->kind == VX_N_PAT_IDENT &&
        n->u.let.value->kind != VX_N_IF) {
        VxDiag *g = sema_warning(s, n->span, "`%s` is bound to `()`, the value of an expression with no result",
                                 n->u.let.pat->u.pat_ident.name);
        vx_diag_primary(s->diags, g, "this has type `()`");
    }
    s->bind_kind = n->u.let.is_var ? "var" : "let";
    check_pattern(s, n->u.let.pat, t, n->u.let.mut);
    if (n->u.let.pat->kind == VX_N_PAT_IDENT && !generalise(s, n, t)) vx_vec_push(&s->bindings, n->u.let.pat);
    check_irrefutable(s, n->u.let.pat, t, "`let`", "use `if let` or `match` for patterns that can fail");
    return vx_t_unit(s->types);
}

/* Let-polymorphism with the value restriction: `let id = |x| x` may be used
 * at several types.  Only an immutable binding of a closure (a value: it
 * computes nothing when bound) is generalised, over the variables of its
 * type that no other variable in scope mentions.  Returns true if it was. */
static bool generalise(Sema *s, VxNode *let, VxType *t)
{
    if (!let->u.let.value || let->u.let.value->kind != VX_N_CLOSURE || let->u.let.mut || let->u.let.type) return false;
    enum { MAXQ = 16 };
    VxType *vars[MAXQ];
    int n = vx_free_vars(s->types, t, vars, 0, MAXQ);
    if (n == 0 || n == MAXQ) return false;
    VxType *env[256];
    int ne = 0;
    for (int i = 0; i < s->locals.len - 1; i++) ne = vx_free_vars(s->types, s->locals.data[i].type, env, ne, 256);
    if (ne == 256) return false;
    int k = 0;
    for (int i = 0; i < n; i++) {
        bool in_env = false;
        for (int j = 0; j < ne && !in_env; j++) in_env = env[j] == vars[i];
        if (!in_env) vars[k++] = vars[i];
    }
    if (k == 0) return false;
    Local *l = &s->locals.data[s->locals.len - 1];
    l->quant = vx_arena_dup(&s->arena, vars, sizeof(VxType *) * (size_t)k);
    l->nquant = k;
    vx_vec_push(&s->poly_closures, let->u.let.value);
    return true;
}

static bool is_result(Sema *s, VxType *t)
{
    t = vx_resolve(s->types, t);
    return s->result && t->kind == VX_T_ADT && t->u.adt.decl == s->result;
}

/* block = "{" stmts "}": its value is its last expression without `;`. */
VxType *check_block(Sema *s, VxNode *block, VxType *expected)
{
    if (block->kind != VX_N_BLOCK) return infer_expr(s, block, expected);
    push_scope(s);
    VxNodeList st = block->u.block.stmts;
    VxType *value = vx_t_unit(s->types);
    bool diverges = false;
    for (int i = 0; i < st.len; i++) {
        VxNode *n = st.items[i];
        bool last = i == st.len - 1;
        if (n->kind == VX_N_LET) { let_stmt(s, n); continue; }
        if (n->kind != VX_N_EXPR_STMT) {
            sema_error(s, n->span, "items inside functions are not supported yet; move this to the top level");
            continue;
        }
        VxNode *e = n->u.expr_stmt.expr;
        bool tail = last && !n->u.expr_stmt.semi;
        VxType *t = infer_expr(s, e, tail ? expected : NULL);
        n->type = t;
        VxType *r = vx_resolve(s->types, t);
        if (r->kind == VX_T_NEVER) diverges = true;
        if (tail) value = t;
        else if (is_result(s, t) && (e->kind == VX_N_CALL || e->kind == VX_N_METHOD_CALL)) {
            VxDiag *g = sema_warning(s, e->span, "unused `Result` that must be used");
            vx_diag_help(s->diags, g, "handle the error with `?`, `match` or `unwrap`, or write `let _ = ...` to ignore it");
        }
    }
    pop_scope(s);
    block->type = diverges && vx_resolve(s->types, value)->kind == VX_T_UNIT ? vx_t_never(s->types) : value;
    return block->type;
}

/* ---- functions ------------------------------------------------------------------- */

static const int64_t no_limit = -1;

/* Is the literal's value in range for its final type? */
static void check_literal(Sema *s, VxNode *lit)
{
    VxType *t = vx_zonk(s->types, lit->type ? lit->type : vx_t_error(s->types), true);
    if (t->kind == VX_T_FLOAT) return;
    if (t->kind != VX_T_INT) return;
    int bits = vx_int_bits(t->u.ik);
    const VxU256 *v = &lit->u.int_lit.value;
    int have = 0;
    for (int i = 3; i >= 0 && !have; i--) if (v->limb[i]) have = i * 64 + 64 - __builtin_clzll(v->limb[i]);
    int limit = vx_int_signed(t->u.ik) ? bits - 1 : bits;
    bool pow2 = have > 0 && (v->limb[(have - 1) / 64] == (1ull << ((have - 1) % 64)));
    for (int i = 0; i < (have - 1) / 64 && pow2; i++) if (v->limb[i]) pow2 = false;
    /* 2^(bits-1) is allowed for signed types so that `-128i8` can be written */
    if (have <= limit || (vx_int_signed(t->u.ik) && have == bits && pow2 && lit->u.int_lit.negated)) return;
    VxDiag *g = sema_error(s, lit->span, "literal out of range for `%s`", vx_int_name(t->u.ik));
    vx_diag_note(s->diags, g, "`%s` holds %d-bit %s integers", vx_int_name(t->u.ik), bits,
                 vx_int_signed(t->u.ik) ? "signed" : "unsigned");
    (void)no_limit;
}

void check_literal_ranges(Sema *s)
{
    for (int i = 0; i < s->int_lits.len; i++) check_literal(s, s->int_lits.data[i]);
    s->int_lits.len = 0;
}

/* Is some inference variable (not a literal's) left in t? */
static bool unknown_part(Sema *s, VxType *t, int depth)
{
    t = vx_resolve(s->types, t);
    if (depth > 16) return false;
    switch (t->kind) {
    case VX_T_VAR: return t->u.var.lit == VX_LIT_NONE;
    case VX_T_TUPLE: case VX_T_MAP:
        for (int i = 0; i < t->u.tuple.n; i++) if (unknown_part(s, t->u.tuple.elems[i], depth + 1)) return true;
        return false;
    case VX_T_ARRAY: case VX_T_SLICE: case VX_T_REF: return unknown_part(s, t->u.arr.elem, depth + 1);
    case VX_T_ADT:
        for (int i = 0; i < t->u.adt.n; i++) if (unknown_part(s, t->u.adt.args[i], depth + 1)) return true;
        return false;
    case VX_T_FN:
        for (int i = 0; i < t->u.fn.n; i++) if (unknown_part(s, t->u.fn.params[i], depth + 1)) return true;
        return unknown_part(s, t->u.fn.ret, depth + 1);
    default: return false;
    }
}

/* Only when the function had no other error: an unknown type is usually
 * a consequence of it. */
static void check_bindings_known(Sema *s, int errors_before)
{
    for (int i = 0; i < s->bindings.len && s->diags->errors == errors_before; i++) {
        VxNode *p = s->bindings.data[i];
        if (!p->type || !unknown_part(s, p->type, 0)) continue;
        VxDiag *g = sema_error(s, p->span, "type annotations needed: the type of `%s` cannot be inferred", p->u.pat_ident.name);
        vx_diag_primary(s->diags, g, "its type is `%s`", tname(s, p->type));
        vx_diag_help(s->diags, g, "write its type: `let %s: Type = ...`", p->u.pat_ident.name);
    }
    s->bindings.len = 0;
}

static bool in_poly_closure(Sema *s, VxNode *site)
{
    for (int i = 0; i < s->poly_closures.len; i++) {
        VxSpan c = s->poly_closures.data[i]->span;
        if (site->span.start >= c.start && site->span.end <= c.end) return true;
    }
    return false;
}

/* The name of the type parameter behind argument k of a call record:
 * the callee's own, or its impl's or trait's (`Self` last for a trait). */
static const char *call_param_name(CallRecord *r, int k)
{
    int nouter = r->nargs - r->callee->ngenerics;
    if (k >= nouter) return r->callee->generics[k - nouter].name;
    VxDecl *o = r->callee->impl;
    return o && k < o->ngenerics ? o->generics[k].name : "Self";
}

/* A generic call whose type arguments the body never pins down
 * (`ok(1).unwrap_or(0)`: the error type) cannot be compiled: as rustc,
 * ask for an annotation rather than guess.  The first such call only,
 * and only when the function had no other error. */
static void check_calls_known(Sema *s, int from, int errors_before)
{
    for (int i = from; i < s->calls.len && s->diags->errors == errors_before; i++) {
        CallRecord *r = &s->calls.data[i];
        if (!r->site || in_poly_closure(s, r->site)) continue;
        for (int k = 0; k < r->nargs; k++) {
            if (!unknown_part(s, r->args[k], 0)) continue;
            VxType *t = r->site->type ? vx_zonk(s->types, r->site->type, true) : r->args[k];
            const char *p = call_param_name(r, k);
            VxDiag *g = sema_error(s, r->site->span, "type annotations needed for `%s`", tname(s, t));
            vx_diag_primary(s->diags, g, "cannot infer the type `%s` of `%s`", p, r->callee->name);
            vx_diag_help(s->diags, g, "bind the value with its type written out, `let v: %s = ...`, "
                                      "putting the type you mean for `%s` in place of `_`", tname(s, t), p);
            return;
        }
    }
}

static void finish_fn(Sema *s, int errors_before)
{
    check_literal_ranges(s);
    discharge_obligations(s);
    check_bindings_known(s, errors_before);
}

/* The body's value must be the declared return type; explain the common
 * "forgot the value" and "stray semicolon" cases. */
static void check_return_value(Sema *s, VxDecl *fn, VxNode *body, VxType *got)
{
    VxType *g = vx_resolve(s->types, got);
    if (g->kind == VX_T_NEVER || try_unify(s, s->ret, got)) return;
    VxNodeList st = body->u.block.stmts;
    VxNode *last = st.len ? st.items[st.len - 1] : NULL;
    if (g->kind == VX_T_UNIT) {
        VxDiag *d = sema_error(s, fn->node->u.fn.ret->span, "function `%s` must return `%s`, but its body has no final value",
                               fn->name, tname(s, s->ret));
        vx_diag_primary(s->diags, d, "expected `%s` because of this return type", tname(s, s->ret));
        if (last && last->kind == VX_N_EXPR_STMT && last->u.expr_stmt.semi && last->type &&
            try_unify(s, s->ret, last->type)) {
            vx_diag_label(s->diags, d, last->span, "this would be the value");
            vx_diag_help(s->diags, d, "remove the `;` after the last expression to return it");
        } else {
            vx_diag_help(s->diags, d, "end the body with the value to return, or use `return value`");
        }
        return;
    }
    VxSpan at = last ? last->span : body->span;
    VxDiag *d = sema_error(s, at, "mismatched types: `%s` returns `%s`, found `%s`", fn->name, tname(s, s->ret), tname(s, got));
    vx_diag_primary(s->diags, d, "expected `%s`, found `%s`", tname(s, s->ret), tname(s, got));
    if (fn->node->u.fn.ret) vx_diag_label(s->diags, d, fn->node->u.fn.ret->span, "return type declared here");
}

/* Symbolic tensor dims in the parameters (`B` in `Tensor<f32, [B, D]>`)
 * are also i64 values in the body: the sizes the function was called with. */
static void declare_dims(Sema *s, VxType *t, VxNode *at, int depth)
{
    t = vx_resolve(s->types, t);
    if (depth > 16) return;
    if (t->kind == VX_T_TENSOR) {
        for (int i = 0; i < t->u.tensor.rank; i++) {
            const char *name = t->u.tensor.dims[i].name;
            if (t->u.tensor.dims[i].tag != VX_DIM_SYM || lookup_local(s, name)) continue;
            Local *l = declare_local(s, name, vx_t_int(s->types, VX_I64), at, false);
            l->is_dim = true;
            l->dim = t->u.tensor.dims[i];
        }
        return;
    }
    if (t->kind == VX_T_ADT)                             /* `Linear<I, O>`: I and O are sizes too */
        for (int i = 0; i < t->u.adt.n; i++) {
            VxType *a = vx_resolve(s->types, t->u.adt.args[i]);
            if (a->kind == VX_T_NAT && a->u.nat.tag == VX_DIM_SYM && !lookup_local(s, a->u.nat.name)) {
                Local *l = declare_local(s, a->u.nat.name, vx_t_int(s->types, VX_I64), at, false);
                l->is_dim = true;
                l->dim = a->u.nat;
            } else {
                declare_dims(s, a, at, depth + 1);
            }
        }
    if (t->kind == VX_T_TUPLE) for (int i = 0; i < t->u.tuple.n; i++) declare_dims(s, t->u.tuple.elems[i], at, depth + 1);
    if (t->kind == VX_T_REF || t->kind == VX_T_SLICE || t->kind == VX_T_ARRAY) declare_dims(s, t->u.arr.elem, at, depth + 1);
}

static void declare_params(Sema *s, VxDecl *fn)
{
    VxNodeList ps = fn->node->u.fn.params;
    for (int i = 0; i < ps.len && i < fn->nparams; i++) {
        VxNode *p = ps.items[i];
        VxType *t = fn->sig->u.fn.params[i];
        declare_local(s, fn->param_names[i], t, p, p->u.param.mut || p->u.param.self == VX_SELF_VALUE ? p->u.param.mut : false);
        record(s, "param", fn->param_names[i], t, p);
        if (fn->defaults[i]) check_expr(s, fn->defaults[i], t);
    }
    for (int i = 0; i < ps.len && i < fn->nparams; i++) declare_dims(s, fn->sig->u.fn.params[i], ps.items[i], 0);
    for (VxDecl *o = fn; o; o = o == fn ? fn->impl : NULL)     /* `const N: usize` is a value in the body */
        for (int i = 0; i < o->ngenerics; i++)
            if (o->generics[i].const_type) {
                Local *l = declare_local(s, o->generics[i].name, o->generics[i].const_type, fn->node, false);
                l->is_dim = true;
                l->dim = (VxDim){ VX_DIM_PARAM, o->generics[i].type->u.param.index, o->generics[i].name, o };
            }
}

void check_fn(Sema *s, VxDecl *fn)
{
    if (!fn->sig) return;
    int calls_from = s->calls.len, errors_before = s->diags->errors;
    s->fn = fn;
    s->kernel = fn->node->u.fn.is_kernel ? fn : NULL;
    if (s->kernel) check_kernel_signature(s, fn);
    s->generic_scope = fn;
    s->self_type = fn->impl ? fn->impl->self_type : NULL;
    s->ret = fn->sig->u.fn.ret;
    s->nloops = 0;
    s->locals.len = 0;
    s->scopes.len = 0;
    push_scope(s);
    declare_params(s, fn);
    record(s, fn->node->u.fn.is_kernel ? "kernel" : "fn", fn->name, fn->sig, fn->node);
    VxNode *body = fn->node->u.fn.body;
    VxType *t = check_block(s, body, s->ret);
    if (fn->node->u.fn.ret) check_return_value(s, fn, body, t);
    else if (!try_unify(s, vx_t_unit(s->types), t) && vx_resolve(s->types, t)->kind != VX_T_NEVER) {
        VxNodeList st = body->u.block.stmts;
        VxNode *last = st.len ? st.items[st.len - 1] : body;
        VxDiag *d = sema_error(s, last->span, "function `%s` returns nothing, but its body ends with a `%s` value",
                               fn->name, tname(s, t));
        vx_diag_help(s->diags, d, "declare the return type: `fn %s(...) -> %s`, or add `;` to discard the value",
                     fn->name, tname(s, t));
    }
    pop_scope(s);
    finish_fn(s, errors_before);
    zonk_calls(s, calls_from);
    check_calls_known(s, calls_from, errors_before);
    s->poly_closures.len = 0;
    fn->calls_from = calls_from;
    fn->calls_to = s->calls.len;
    s->fn = NULL;
    s->kernel = NULL;
}
