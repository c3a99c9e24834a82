/* sema_expr.c - type inference for expressions (operators, names, fields,
 * indexing, literals, control flow).  Calls live in sema_call.c, blocks and
 * functions in sema_stmt.c, patterns in sema_pat.c. */
#include "sema_internal.h"

#include <string.h>

VxType *tensor_broadcast(Sema *s, VxType *a, VxType *b, const char *op, VxSpan at);
VxType *tensor_matmul(Sema *s, VxType *a, VxType *b, VxSpan at);
VxType *tensor_index(Sema *s, VxType *t, VxNode *e, int nint, int nslice);

static VxType *err(Sema *s) { return vx_t_error(s->types); }

VxType *check_expr(Sema *s, VxNode *e, VxType *expected)
{
    VxType *t = infer_expr(s, e, expected);
    if (expected) unify(s, expected, t, e->span);
    return t;
}

static const char *op_name(VxTokKind op)
{
    const char *t = vx_tok_name(op);
    static char buf[8];
    size_t n = strlen(t);
    if (n < 3 || n - 2 >= sizeof buf) return t;
    memcpy(buf, t + 1, n - 2);
    buf[n - 2] = '\0';
    return buf;
}

/* ---- literals ------------------------------------------------------------- */

static VxType *suffix_type(Sema *s, VxSuffix sfx)
{
    static const VxIntKind ints[] = { VX_I8, VX_I16, VX_I32, VX_I64, VX_I128, VX_ISIZE,
                                      VX_U8, VX_U16, VX_U32, VX_U64, VX_U128, VX_U256, VX_USIZE };
    if (sfx >= VX_SUF_I8 && sfx <= VX_SUF_USIZE) return vx_t_int(s->types, ints[sfx - VX_SUF_I8]);
    return vx_t_float(s->types, (VxFloatKind)(sfx - VX_SUF_F16));
}

static VxType *int_literal(Sema *s, VxNode *e, VxType *expected)
{
    vx_vec_push(&s->int_lits, e);
    if (e->u.int_lit.suffix) return suffix_type(s, e->u.int_lit.suffix);
    VxType *x = expected ? vx_resolve(s->types, expected) : NULL;
    if (x && x->kind == VX_T_INT) return x;
    return vx_t_fresh(s->types, VX_LIT_INT);
}

static VxType *float_literal(Sema *s, VxNode *e, VxType *expected)
{
    if (e->u.float_lit.suffix) return suffix_type(s, e->u.float_lit.suffix);
    VxType *x = expected ? vx_resolve(s->types, expected) : NULL;
    if (x && x->kind == VX_T_FLOAT) return x;
    return vx_t_fresh(s->types, VX_LIT_FLOAT);
}

/* ---- names --------------------------------------------------------------- */

static VxType *unknown_value(Sema *s, VxNode *e, const char *name)
{
    if (module_member_error(s, e->span, name)) return err(s);
    VxDiag *g = sema_error(s, e->span, "cannot find value `%s` in this scope", name);
    vx_diag_primary(s->diags, g, "not found in this scope");
    const char *near = closest_name(s, name, SEMA_VALUES);
    if (near) vx_diag_help(s->diags, g, "did you mean `%s`?", near);
    return err(s);
}

static VxType *ident(Sema *s, VxNode *e)
{
    const char *name = intern(s, e->u.ident.name);
    Local *l = lookup_local(s, name);
    if (l && l->nquant) {                            /* a generalised closure: fresh types per use */
        VxType *fresh[16];
        for (int i = 0; i < l->nquant; i++) fresh[i] = vx_t_fresh(s->types, VX_LIT_NONE);
        PolyUse u = { l->node, e, l->quant, vx_arena_dup(&s->arena, fresh, sizeof(VxType *) * (size_t)l->nquant), l->nquant };
        vx_vec_push(&s->poly_uses, u);
        return vx_subst_vars(s->types, l->type, l->quant, fresh, l->nquant);
    }
    if (l) return l->type;
    VxDecl *d = lookup_global(s, name);
    if (!d) {
        VxDecl *en;
        if (find_variant(s, e, &en)) return check_path_value(s, e, false);
        return unknown_value(s, e, name);
    }
    switch (d->kind) {
    case VX_D_FN:
        if (!d->sig) return err(s);
        return instantiate(s, d, d->sig, NULL);
    case VX_D_CONST:
        return d->type ? d->type : err(s);
    default: {
        VxDiag *g = sema_error(s, e->span, "`%s` is a %s, not a value", name,
                               d->kind == VX_D_TRAIT ? "trait" : "type");
        if (d->kind == VX_D_STRUCT) vx_diag_help(s->diags, g, "create a value with `%s { field: value, ... }`", name);
        return err(s);
    }
    }
}

/* ---- operators ----------------------------------------------------------- */

static bool is_tensor(VxType *t) { return t->kind == VX_T_TENSOR; }

static VxType *arith_mismatch(Sema *s, VxNode *e, VxType *l, VxType *r)
{
    VxDiag *g = sema_error(s, e->span, "cannot apply `%s` to `%s` and `%s`", op_name(e->u.binary.op), tname(s, l), tname(s, r));
    vx_diag_label(s->diags, g, e->u.binary.lhs->span, "`%s`", tname(s, l));
    vx_diag_label(s->diags, g, e->u.binary.rhs->span, "`%s`", tname(s, r));
    if (vx_is_numeric(s->types, l) && vx_is_numeric(s->types, r)) {
        VxSpan rs = e->u.binary.rhs->span;
        int n = (int)(rs.end - rs.start);
        const char *txt = s->src->text + rs.start;
        bool simple = n <= 24 && (e->u.binary.rhs->kind == VX_N_IDENT || e->u.binary.rhs->kind == VX_N_INT ||
                                  e->u.binary.rhs->kind == VX_N_FLOAT || e->u.binary.rhs->kind == VX_N_FIELD_ACCESS);
        vx_diag_help(s->diags, g, "numeric types do not mix implicitly; convert one side, e.g. `%s%.*s%s as %s`",
                     simple ? "" : "(", n <= 24 ? n : 3, n <= 24 ? txt : "...", simple ? "" : ")", tname(s, l));
    }
    return err(s);
}

/* Operators user types may overload, with their traits (lib/std/prelude.vx). */
typedef struct OpTrait { VxTokKind op; const char *trait, *method, *verb; } OpTrait;

static const OpTrait *op_trait(VxTokKind op)
{
    static const OpTrait ops[] = {
        {TK_PLUS, "Add", "add", "add"}, {TK_MINUS, "Sub", "sub", "subtract"}, {TK_STAR, "Mul", "mul", "multiply"},
        {TK_SLASH, "Div", "div", "divide"}, {TK_PERCENT, "Rem", "rem", "take the remainder of"},
        {TK_AT, "MatMul", "matmul", "matrix-multiply"},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) if (ops[i].op == op) return &ops[i];
    return NULL;
}

/* `x OP y` on a generic T bounded by the trait: the bound says nothing of
 * Rhs and Out, which therefore mean Self (as in an impl that leaves them out). */
static VxType *bound_operator(Sema *s, VxType *l, const char *method, VxType *r, VxSpan rspan)
{
    VxType **args;
    int nargs;
    VxDecl *m = find_method(s, l, intern(s, method), &args, &nargs);
    if (!m || !m->sig || !m->impl || m->impl->kind != VX_D_TRAIT || m->sig->u.fn.n != (r ? 2 : 1)) return NULL;
    VxType *self[65];
    int n = m->impl->ngenerics < 64 ? m->impl->ngenerics : 64;
    for (int k = 0; k <= n; k++) self[k] = vx_resolve(s->types, l);
    VxType *sig = vx_subst(s->types, m->sig, m->impl, self, n + 1);
    if (r) unify(s, sig->u.fn.params[1], r, rspan);
    return sig->u.fn.ret;
}

/* `x OP y` (r NULL: `OP x`) on a user type: the impl chosen by both operand
 * types (`Vec2 * Vec2` and `Vec2 * f64` may have one each); its result. */
VxType *user_operator(Sema *s, VxType *l, const char *method, VxType *r, VxSpan rspan)
{
    VxType *lr = vx_resolve(s->types, l);
    if (lr->kind == VX_T_REF) lr = vx_resolve(s->types, lr->u.arr.elem);
    if (lr->kind == VX_T_PARAM) return bound_operator(s, lr, method, r, rspan);
    if (lr->kind != VX_T_ADT) return NULL;
    VxType **args;
    int nargs;
    VxDecl *m = find_operator(s, lr, intern(s, method), r, &args, &nargs);
    if (!m) return NULL;
    VxType *sig = vx_subst(s->types, m->sig, m->impl, args, nargs);
    if (r) unify(s, sig->u.fn.params[1], r, rspan);
    return sig->u.fn.ret;
}

/* "cannot add `Vec2` and `str`: no `impl Add<str> for Vec2`" */
static VxType *no_operator_impl(Sema *s, VxNode *e, const OpTrait *op, VxType *l, VxType *r)
{
    const char *rn = vx_tname(s->types, vx_zonk(s->types, r, true));     /* a literal's default type: `f64`, not `{float}` */
    VxDiag *g = sema_error(s, e->span, "cannot %s `%s` and `%s`: no `impl %s<%s> for %s`", op->verb, tname(s, l), rn,
                           op->trait, rn, tname(s, l));
    vx_diag_label(s->diags, g, e->u.binary.lhs->span, "`%s`", tname(s, l));
    vx_diag_label(s->diags, g, e->u.binary.rhs->span, "`%s`", rn);
    vx_diag_help(s->diags, g, "add `impl %s<%s> for %s { fn %s(self, rhs: %s) -> ... }`", op->trait, rn, tname(s, l), op->method, rn);
    return err(s);
}

static VxType *operator_trait(Sema *s, VxNode *e, VxType *l, VxType *r)
{
    const OpTrait *op = op_trait(e->u.binary.op);
    if (!op) return NULL;
    VxType *t = user_operator(s, l, op->method, r, e->u.binary.rhs->span);
    if (!t && vx_resolve(s->types, l)->kind == VX_T_ADT) return no_operator_impl(s, e, op, l, r);
    return t;
}

static VxType *arithmetic(Sema *s, VxNode *e, VxType *l, VxType *r)
{
    VxTokKind op = e->u.binary.op;
    VxType *lr = vx_resolve(s->types, l), *rr = vx_resolve(s->types, r);
    if (is_tensor(lr) || is_tensor(rr)) {
        if (op == TK_AT) {
            if (is_tensor(lr) && is_tensor(rr)) return tensor_matmul(s, lr, rr, e->span);
            return arith_mismatch(s, e, l, r);
        }
        VxType *tt = is_tensor(lr) ? lr : rr;
        if (vx_resolve(s->types, tt->u.tensor.dtype)->kind == VX_T_BOOL) {
            VxDiag *g = sema_error(s, e->span, "cannot apply `%s` to a tensor of bools", op_name(op));
            vx_diag_help(s->diags, g, "convert it first: `t as f32`");
            return err(s);
        }
        if (is_tensor(lr) && is_tensor(rr)) return tensor_broadcast(s, lr, rr, op_name(op), e->span);
        VxType *t = is_tensor(lr) ? lr : rr;
        bool int_exp = rr->kind == VX_T_INT || (rr->kind == VX_T_VAR && rr->u.var.lit == VX_LIT_INT);
        if (op == TK_STARSTAR && is_tensor(lr) && int_exp) return lr;     /* t ** 2 */
        unify(s, t->u.tensor.dtype, is_tensor(lr) ? r : l, is_tensor(lr) ? e->u.binary.rhs->span : e->u.binary.lhs->span);
        return t;
    }
    if (op == TK_DOTSTAR || op == TK_DOTSLASH || op == TK_AT) {
        VxType *user = lr->kind == VX_T_ADT ? operator_trait(s, e, l, r) : NULL;
        if (user) return user;
        VxDiag *g = sema_error(s, e->span, "`%s` needs tensor operands, found `%s` and `%s`", op_name(op), tname(s, l), tname(s, r));
        if (op != TK_AT) vx_diag_help(s->diags, g, "for numbers use `%s`", op == TK_DOTSTAR ? "*" : "/");
        return err(s);
    }
    if (op == TK_PLUS && lr->kind == VX_T_STR) { unify(s, l, r, e->u.binary.rhs->span); return l; }
    if (lr->kind == VX_T_ADT || lr->kind == VX_T_PARAM) {      /* `impl Add for T` or `T: Add` */
        VxType *user = operator_trait(s, e, l, r);
        if (user) return user;
    }
    if (op == TK_STARSTAR && vx_is_numeric(s->types, l)) {
        bool lf = lr->kind == VX_T_FLOAT || (lr->kind == VX_T_VAR && lr->u.var.lit == VX_LIT_FLOAT);
        bool ri = rr->kind == VX_T_INT || (rr->kind == VX_T_VAR && rr->u.var.lit == VX_LIT_INT);
        if (lf && ri) return l;                         /* float ** integer: powi */
    }
    if (lr->kind == VX_T_PARAM && implements(s, lr, s->trait_num)) {      /* `T: Num` */
        if (!try_unify(s, l, r)) return arith_mismatch(s, e, l, r);
        return l;
    }
    if (!vx_is_numeric(s->types, l) && lr->kind != VX_T_ERROR) {
        if (lr->kind == VX_T_VAR) {                     /* a generic use decides later */
            if (!try_unify(s, l, r)) return arith_mismatch(s, e, l, r);
            return l;
        }
        VxDiag *g = sema_error(s, e->span, "cannot apply `%s` to `%s`", op_name(op), tname(s, l));
        vx_diag_label(s->diags, g, e->u.binary.lhs->span, "`%s`", tname(s, l));
        if (lr->kind == VX_T_PARAM) vx_diag_help(s->diags, g, "add a bound: `%s: Num`", tname(s, l));
        else if (lr->kind == VX_T_ADT) vx_diag_help(s->diags, g, "implement the operator trait for `%s`", tname(s, l));
        return err(s);
    }
    if (lr->kind == VX_T_PARAM && !implements(s, lr, s->trait_num)) {
        VxDiag *g = sema_error(s, e->span, "cannot apply `%s` to `%s`", op_name(op), tname(s, l));
        vx_diag_help(s->diags, g, "add a bound: `%s: Num`", tname(s, l));
        return err(s);
    }
    if (!try_unify(s, l, r)) return arith_mismatch(s, e, l, r);
    return l;
}

static VxType *comparison(Sema *s, VxNode *e, VxType *l, VxType *r)
{
    VxTokKind op = e->u.binary.op;
    VxType *lr = vx_resolve(s->types, l), *rr = vx_resolve(s->types, r);
    if (is_tensor(lr) || is_tensor(rr)) {
        VxType *t = is_tensor(lr) && is_tensor(rr) ? tensor_broadcast(s, lr, rr, op_name(op), e->span)
                                                   : (is_tensor(lr) ? lr : rr);
        if (t->kind != VX_T_TENSOR) return t;
        if (!(is_tensor(lr) && is_tensor(rr))) unify(s, t->u.tensor.dtype, is_tensor(lr) ? r : l, e->span);
        return vx_t_tensor(s->types, vx_t_bool(s->types), t->u.tensor.dims, t->u.tensor.rank, t->u.tensor.ranked);
    }
    if (!try_unify(s, l, r)) {
        VxDiag *g = sema_error(s, e->span, "cannot compare `%s` with `%s`", tname(s, l), tname(s, r));
        vx_diag_label(s->diags, g, e->u.binary.lhs->span, "`%s`", tname(s, l));
        vx_diag_label(s->diags, g, e->u.binary.rhs->span, "`%s`", tname(s, r));
        if (vx_is_numeric(s->types, l) && vx_is_numeric(s->types, r))
            vx_diag_help(s->diags, g, "convert one side with `as` so both have the same type");
        return vx_t_bool(s->types);
    }
    VxDecl *need = (op == TK_EQEQ || op == TK_NE) ? s->trait_eq : s->trait_ord;
    VxType *z = vx_resolve(s->types, l);
    if (z->kind != VX_T_VAR && !implements(s, z, need)) {
        VxDiag *g = sema_error(s, e->span, "`%s` cannot be compared with `%s`", tname(s, l), op_name(op));
        vx_diag_note(s->diags, g, "`%s` does not implement `%s`", tname(s, l), need->name);
        if (z->kind == VX_T_PARAM) vx_diag_help(s->diags, g, "add a bound: `%s: %s`", tname(s, l), need->name);
    }
    return vx_t_bool(s->types);
}

static VxType *logic_or_bits(Sema *s, VxNode *e, VxType *l, VxType *r)
{
    VxTokKind op = e->u.binary.op;
    VxType *b = vx_t_bool(s->types);
    if (op == TK_AMPAMP || op == TK_PIPEPIPE) {
        unify(s, b, l, e->u.binary.lhs->span);
        unify(s, b, r, e->u.binary.rhs->span);
        return b;
    }
    VxType *lr = vx_resolve(s->types, l);
    bool intish = lr->kind == VX_T_INT || (lr->kind == VX_T_VAR && lr->u.var.lit == VX_LIT_INT);
    if (op == TK_SHL || op == TK_SHR) {
        VxType *rr = vx_resolve(s->types, r);
        bool rint = rr->kind == VX_T_INT || (rr->kind == VX_T_VAR && rr->u.var.lit == VX_LIT_INT);
        if ((!intish && lr->kind != VX_T_ERROR) || (!rint && rr->kind != VX_T_ERROR)) {
            sema_error(s, e->span, "shifts need integer operands, found `%s` and `%s`", tname(s, l), tname(s, r));
            return err(s);
        }
        return l;
    }
    if (!intish && lr->kind != VX_T_BOOL && lr->kind != VX_T_ERROR) {
        sema_error(s, e->span, "`%s` needs integer or bool operands, found `%s`", op_name(op), tname(s, l));
        return err(s);
    }
    if (!try_unify(s, l, r)) return arith_mismatch(s, e, l, r);
    return l;
}

static VxType *binary(Sema *s, VxNode *e, VxType *expected)
{
    VxTokKind op = e->u.binary.op;
    bool arith = op == TK_PLUS || op == TK_MINUS || op == TK_STAR || op == TK_SLASH || op == TK_PERCENT ||
                 op == TK_STARSTAR || op == TK_AT || op == TK_DOTSTAR || op == TK_DOTSLASH;
    VxType *l = infer_expr(s, e->u.binary.lhs, arith ? expected : NULL);
    VxType *r = infer_expr(s, e->u.binary.rhs, op == TK_STARSTAR ? NULL : l);
    if (is_error(s, l) || is_error(s, r)) return err(s);
    if (arith) return arithmetic(s, e, l, r);
    if (op == TK_EQEQ || op == TK_NE || op == TK_LT || op == TK_GT || op == TK_LE || op == TK_GE)
        return comparison(s, e, l, r);
    return logic_or_bits(s, e, l, r);
}

static VxType *unary(Sema *s, VxNode *e, VxType *expected)
{
    VxTokKind op = e->u.unary.op;
    VxNode *x = e->u.unary.operand;
    if (op == TK_AMP || op == TK_MUT) {
        VxType *t = infer_expr(s, x, NULL);
        VxNode *binding = NULL;
        if (op == TK_MUT && !is_place_mutable(s, x, &binding)) {
            VxDiag *g = sema_error(s, e->span, "cannot borrow this as mutable: it is not declared mutable");
            if (binding) {
                vx_diag_label(s->diags, g, binding->span, "declared immutable here");
                vx_diag_help(s->diags, g, "declare it with `var` (or `let mut`)");
            }
        }
        return vx_t_ref(s->types, t, op == TK_MUT);
    }
    if (op == TK_MINUS && x->kind == VX_N_INT) x->u.int_lit.negated = true;   /* `-128i8` is in range */
    VxType *t = infer_expr(s, x, op == TK_MINUS ? expected : NULL);
    VxType *r = vx_resolve(s->types, t);
    if (r->kind == VX_T_ERROR) return t;
    if (op == TK_STAR) {
        if (r->kind == VX_T_REF) return r->u.arr.elem;
        sema_error(s, e->span, "cannot dereference a value of type `%s`", tname(s, t));
        return err(s);
    }
    if (op == TK_BANG) {
        if (r->kind == VX_T_BOOL || r->kind == VX_T_INT || (r->kind == VX_T_VAR && r->u.var.lit == VX_LIT_INT)) return t;
        sema_error(s, e->span, "`!` needs a bool or an integer, found `%s`", tname(s, t));
        return err(s);
    }
    if (r->kind == VX_T_INT && !vx_int_signed(r->u.ik)) {
        VxDiag *g = sema_error(s, e->span, "cannot negate a value of unsigned type `%s`", tname(s, t));
        vx_diag_help(s->diags, g, "use a signed type such as `i64`");
        return err(s);
    }
    if (vx_is_numeric(s->types, t) || r->kind == VX_T_TENSOR) return t;
    if (r->kind == VX_T_PARAM && implements(s, r, s->trait_num)) return t;
    VxType *user = op == TK_MINUS ? user_operator(s, t, "neg", NULL, e->span) : NULL;
    if (user) return user;
    VxDiag *g = sema_error(s, e->span, "cannot negate a value of type `%s`", tname(s, t));
    if (r->kind == VX_T_ADT) vx_diag_help(s->diags, g, "add `impl Neg for %s { fn neg(self) -> %s { ... } }`", tname(s, t), tname(s, t));
    return err(s);
}

/* ---- places and assignment ------------------------------------------------------ */

/* Can `e` be assigned to or mutably borrowed?  On failure *binding is the
 * immutable variable responsible, if any. */
bool is_place_mutable(Sema *s, VxNode *e, VxNode **binding)
{
    switch (e->kind) {
    case VX_N_IDENT: {
        Local *l = lookup_local(s, intern(s, e->u.ident.name));
        if (!l) return false;
        *binding = l->node;
        return l->mut;
    }
    case VX_N_SELF: {
        Local *l = lookup_local(s, intern(s, "self"));
        if (!l) return false;
        VxType *t = vx_resolve(s->types, l->type);
        if (t->kind == VX_T_REF) return t->u.arr.mut;
        *binding = l->node;
        return l->mut;
    }
    case VX_N_FIELD_ACCESS: case VX_N_TUPLE_INDEX: case VX_N_INDEX: {
        VxNode *base = e->kind == VX_N_FIELD_ACCESS ? e->u.field_access.expr
                     : e->kind == VX_N_TUPLE_INDEX ? e->u.tuple_index.expr : e->u.index.expr;
        VxType *bt = base->type ? vx_resolve(s->types, base->type) : NULL;
        if (bt && bt->kind == VX_T_REF) return bt->u.arr.mut;
        return is_place_mutable(s, base, binding);
    }
    case VX_N_UNARY: {
        if (e->u.unary.op != TK_STAR) return false;
        VxType *t = e->u.unary.operand->type ? vx_resolve(s->types, e->u.unary.operand->type) : NULL;
        return t && t->kind == VX_T_REF && t->u.arr.mut;
    }
    default:
        return false;
    }
}

static bool is_place(const VxNode *e)
{
    return e->kind == VX_N_IDENT || e->kind == VX_N_FIELD_ACCESS || e->kind == VX_N_TUPLE_INDEX ||
           e->kind == VX_N_INDEX || e->kind == VX_N_SELF || (e->kind == VX_N_UNARY && e->u.unary.op == TK_STAR);
}

static VxType *assign(Sema *s, VxNode *e)
{
    VxNode *lhs = e->u.binary.lhs;
    VxType *l = infer_expr(s, lhs, NULL);
    if (!is_place(lhs)) {
        VxDiag *g = sema_error(s, lhs->span, "cannot assign to this expression");
        vx_diag_primary(s->diags, g, "not a variable, field or element");
        infer_expr(s, e->u.binary.rhs, l);
        return vx_t_unit(s->types);
    }
    VxNode *binding = NULL;
    if (!is_error(s, l) && !is_place_mutable(s, lhs, &binding)) {
        VxDiag *g;
        if (binding && lhs->kind == VX_N_IDENT && binding->kind == VX_N_PARAM) {
            g = sema_error(s, e->span, "cannot assign to immutable parameter `%s`", lhs->u.ident.name);
            vx_diag_label(s->diags, g, binding->span, "declared here");
            vx_diag_help(s->diags, g, "make the parameter mutable: `mut %s: ...`", lhs->u.ident.name);
        } else if (binding && lhs->kind == VX_N_IDENT) {
            g = sema_error(s, e->span, "cannot assign twice to immutable variable `%s`", lhs->u.ident.name);
            vx_diag_label(s->diags, g, binding->span, "first assigned here");
            vx_diag_help(s->diags, g, "make it mutable: `var %s` (or `let mut %s`)", lhs->u.ident.name, lhs->u.ident.name);
        } else if (binding && binding->kind == VX_N_PARAM && binding->u.param.self) {
            g = sema_error(s, e->span, "cannot assign through `self`: it is not mutable");
            vx_diag_help(s->diags, g, "take `&mut self` (or `mut self`) in this method's parameters");
        } else {
            g = sema_error(s, e->span, "cannot assign through an immutable value");
            if (binding) vx_diag_label(s->diags, g, binding->span, "declared immutable here");
            vx_diag_help(s->diags, g, "declare it with `var`, or take `&mut` instead of `&`");
        }
    }
    if (e->u.binary.op == TK_EQ) {
        check_expr(s, e->u.binary.rhs, l);
        return vx_t_unit(s->types);
    }
    /* `a op= b` is checked as `a op b` assigned back to a. */
    VxNode tmp = *e;
    tmp.kind = VX_N_BINARY;
    static const VxTokKind base_op[][2] = {
        {TK_PLUSEQ, TK_PLUS}, {TK_MINUSEQ, TK_MINUS}, {TK_STAREQ, TK_STAR}, {TK_SLASHEQ, TK_SLASH},
        {TK_PERCENTEQ, TK_PERCENT}, {TK_AMPEQ, TK_AMP}, {TK_PIPEEQ, TK_PIPE}, {TK_CARETEQ, TK_CARET},
        {TK_SHLEQ, TK_SHL}, {TK_SHREQ, TK_SHR} };
    for (size_t i = 0; i < sizeof base_op / sizeof base_op[0]; i++)
        if (base_op[i][0] == e->u.binary.op) tmp.u.binary.op = base_op[i][1];
    VxType *r = binary(s, &tmp, l);
    if (!is_error(s, r)) unify(s, l, r, e->span);
    return vx_t_unit(s->types);
}

/* ---- casts ---------------------------------------------------------------------- */

static bool castable(VxType *t) { return t->kind == VX_T_INT || t->kind == VX_T_FLOAT || t->kind == VX_T_BOOL; }

static VxType *cast(Sema *s, VxNode *e)
{
    VxType *to = resolve_type(s, e->u.cast.type, true);
    VxType *from = infer_expr(s, e->u.cast.expr, NULL);
    VxType *f = vx_resolve(s->types, from), *t = vx_resolve(s->types, to);
    if (f->kind == VX_T_ERROR || t->kind == VX_T_ERROR) return to;
    bool lit = f->kind == VX_T_VAR && f->u.var.lit;
    if ((castable(f) || lit) && (t->kind == VX_T_INT || t->kind == VX_T_FLOAT)) return to;
    if (f->kind == VX_T_TENSOR && t->kind == VX_T_TENSOR) return to;
    if (f->kind == VX_T_TENSOR && castable(t))
        return vx_t_tensor(s->types, to, f->u.tensor.dims, f->u.tensor.rank, f->u.tensor.ranked);
    if (try_unify(s, from, to)) return to;
    VxDiag *g = sema_error(s, e->span, "cannot cast `%s` as `%s`", tname(s, from), tname(s, to));
    vx_diag_note(s->diags, g, "`as` converts between number types (and from bool to integers)");
    if (f->kind == VX_T_STR && (t->kind == VX_T_INT || t->kind == VX_T_FLOAT))
        vx_diag_help(s->diags, g, "to read a number from a string use `%s(s)`", t->kind == VX_T_INT ? "parse_int" : "parse_float");
    else if (t->kind == VX_T_STR)
        vx_diag_help(s->diags, g, "to turn a value into a string use `to_string(x)` or `format(\"{}\", x)`");
    return to;
}

/* ---- fields and indexing ------------------------------------------------------------ */

static VxType *auto_deref(Sema *s, VxType *t)
{
    t = vx_resolve(s->types, t);
    while (t->kind == VX_T_REF) t = vx_resolve(s->types, t->u.arr.elem);
    return t;
}

static VxType *field_access(Sema *s, VxNode *e)
{
    VxType *t = auto_deref(s, infer_expr(s, e->u.field_access.expr, NULL));
    const char *name = intern(s, e->u.field_access.name);
    if (t->kind == VX_T_ERROR) return t;
    if (t->kind == VX_T_ADT && t->u.adt.decl->kind == VX_D_STRUCT) {
        VxDecl *d = t->u.adt.decl;
        for (int i = 0; i < d->nfields; i++)
            if (d->fields[i].name == name) return vx_subst(s->types, d->fields[i].type, d, t->u.adt.args, t->u.adt.n);
        VxDiag *g = sema_error(s, e->span, "struct `%s` has no field named `%s`", d->name, name);
        vx_diag_primary(s->diags, g, "unknown field");
        const char *best = NULL;
        size_t bl = 99;
        for (int i = 0; i < d->nfields; i++) {
            size_t a = strlen(d->fields[i].name), b = strlen(name);
            if (strncmp(d->fields[i].name, name, 2) == 0 && (a > b ? a - b : b - a) < bl) { best = d->fields[i].name; bl = a > b ? a - b : b - a; }
        }
        if (best) vx_diag_help(s->diags, g, "did you mean `%s`?", best);
        else if (d->nfields) {
            char list[256] = "";
            for (int i = 0; i < d->nfields && strlen(list) < 200; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s`%s`", i ? ", " : "", d->fields[i].name);
            vx_diag_note(s->diags, g, "its fields are %s", list);
        }
        return err(s);
    }
    if (t->kind == VX_T_TENSOR && strcmp(name, "shape") == 0) return vx_t_slice(s->types, vx_t_int(s->types, VX_I64));
    if (t->kind == VX_T_TENSOR && strcmp(name, "grad") == 0) return t;      /* same shape as the tensor */
    if (t->kind == VX_T_TENSOR && strcmp(name, "dtype") == 0) return vx_t_str(s->types);   /* "f32" */
    if (t->kind == VX_T_TENSOR && strcmp(name, "T") == 0) {
        if (!t->u.tensor.ranked || t->u.tensor.rank < 2) return t;
        VxDim dims[64];
        int r = t->u.tensor.rank < 64 ? t->u.tensor.rank : 64;
        memcpy(dims, t->u.tensor.dims, sizeof(VxDim) * (size_t)r);
        VxDim tmp = dims[r - 1]; dims[r - 1] = dims[r - 2]; dims[r - 2] = tmp;
        return vx_t_tensor(s->types, t->u.tensor.dtype, dims, r, true);
    }
    if (t->kind == VX_T_VAR) {
        VxDiag *g = sema_error(s, e->span, "type annotations needed before accessing `.%s`", name);
        vx_diag_help(s->diags, g, "give the value a type, as in `let x: Point = ...`");
        return err(s);
    }
    if (t->kind == VX_T_TUPLE) {
        VxDiag *g = sema_error(s, e->span, "tuples have no named fields; found `.%s`", name);
        vx_diag_help(s->diags, g, "use a position: `.0`, `.1`, ...");
        return err(s);
    }
    sema_error(s, e->span, "`%s` has no field `%s`", tname(s, t), name);
    return err(s);
}

static VxType *tuple_index(Sema *s, VxNode *e)
{
    VxType *t = auto_deref(s, infer_expr(s, e->u.tuple_index.expr, NULL));
    uint32_t i = e->u.tuple_index.index;
    if (t->kind == VX_T_ERROR) return t;
    if (t->kind == VX_T_TUPLE) {
        if (i < (uint32_t)t->u.tuple.n) return t->u.tuple.elems[i];
        sema_error(s, e->span, "tuple `%s` has no element %u (it has %d)", tname(s, t), i, t->u.tuple.n);
        return err(s);
    }
    if (t->kind == VX_T_VAR) sema_error(s, e->span, "type annotations needed before taking `.%u`", i);
    else sema_error(s, e->span, "`.%u` needs a tuple, found `%s`", i, tname(s, t));
    return err(s);
}

static bool is_int_type(Sema *s, VxType *t)
{
    t = vx_resolve(s->types, t);
    return t->kind == VX_T_INT || (t->kind == VX_T_VAR && t->u.var.lit == VX_LIT_INT) || t->kind == VX_T_ERROR;
}

static VxType *index_expr(Sema *s, VxNode *e)
{
    VxType *t = auto_deref(s, infer_expr(s, e->u.index.expr, NULL));
    VxNodeList idx = e->u.index.indices;
    int nint = 0, nslice = 0;
    for (int i = 0; i < idx.len; i++) {
        VxNode *ix = idx.items[i];
        if (ix->kind == VX_N_FULL_SLICE) { nslice++; continue; }
        VxType *it = infer_expr(s, ix, NULL);
        if (ix->kind == VX_N_RANGE) { nslice++; continue; }
        if (t->kind == VX_T_MAP) { unify(s, t->u.tuple.elems[0], it, ix->span); continue; }
        if (!is_int_type(s, it) && t->kind != VX_T_ADT && t->kind != VX_T_PARAM) {    /* user types: their Index impl */
            VxDiag *g = sema_error(s, ix->span, "indices must be integers, found `%s`", tname(s, it));
            if (vx_resolve(s->types, it)->kind == VX_T_FLOAT) vx_diag_help(s->diags, g, "convert with `as i64`");
        }
        nint++;
    }
    if (t->kind == VX_T_ERROR) return t;
    if (t->kind == VX_T_TENSOR) return tensor_index(s, t, e, nint, nslice);
    if ((t->kind == VX_T_ADT || t->kind == VX_T_PARAM) && idx.len == 1 && idx.items[0]->kind != VX_N_FULL_SLICE) {
        VxType *user = user_operator(s, t, "index", idx.items[0]->type, idx.items[0]->span);
        if (user) return user;
        VxDiag *g = sema_error(s, e->span, "cannot index a value of type `%s`", tname(s, t));
        vx_diag_help(s->diags, g, "add `impl Index<%s, T> for %s { fn index(self, i: %s) -> T { ... } }`",
                     tname(s, idx.items[0]->type), tname(s, t), tname(s, idx.items[0]->type));
        return err(s);
    }
    if (t->kind == VX_T_MAP && idx.len == 1) return t->u.tuple.elems[1];
    if ((t->kind == VX_T_ARRAY || t->kind == VX_T_SLICE) && idx.len == 1) {
        if (nslice) return vx_t_slice(s->types, t->u.arr.elem);
        return t->u.arr.elem;
    }
    if (t->kind == VX_T_ARRAY || t->kind == VX_T_SLICE) {
        VxDiag *g = sema_error(s, e->span, "arrays take one index, found %d", idx.len);
        vx_diag_help(s->diags, g, "for nested arrays index twice: `a[i][j]`");
        return err(s);
    }
    if (t->kind == VX_T_STR) {
        VxDiag *g = sema_error(s, e->span, "strings cannot be indexed");
        vx_diag_help(s->diags, g, "use `char_at(s, i)` or `substr(s, start, len)`");
        return err(s);
    }
    if (t->kind == VX_T_VAR) sema_error(s, e->span, "type annotations needed before indexing this value");
    else sema_error(s, e->span, "cannot index a value of type `%s`", tname(s, t));
    return err(s);
}

/* ---- aggregates --------------------------------------------------------------------- */

static VxType *array_lit(Sema *s, VxNode *e, VxType *expected)
{
    VxType *x = expected ? vx_resolve(s->types, expected) : NULL;
    VxType *elem = x && (x->kind == VX_T_ARRAY || x->kind == VX_T_SLICE) ? x->u.arr.elem : vx_t_fresh(s->types, VX_LIT_NONE);
    VxNodeList el = e->u.list.elems;
    for (int i = 0; i < el.len; i++) {
        VxNode *it = el.items[i];
        Local *l = it->kind == VX_N_IDENT ? lookup_local(s, intern(s, it->u.ident.name)) : NULL;
        VxType *et = vx_resolve(s->types, elem);
        if (l && l->is_dim && (et->kind == VX_T_INT || (et->kind == VX_T_VAR && et->u.var.lit == VX_LIT_INT))) {
            infer_expr(s, it, NULL);                  /* a size (`[I, O]`) fits any integer list */
            continue;
        }
        check_expr(s, it, elem);
    }
    if (x && x->kind == VX_T_ARRAY) {
        VxDim want = vx_resolve_dim(s->types, vx_array_len(x));
        if (!vx_unify_dim(s->types, want, (VxDim){ VX_DIM_CONST, el.len, NULL })) {
            VxDiag *g = sema_error(s, e->span, "mismatched types: expected `%s`, found an array of %d element%s",
                                   tname(s, x), el.len, el.len == 1 ? "" : "s");
            vx_diag_primary(s->diags, g, "%d element%s", el.len, el.len == 1 ? "" : "s");
            return err(s);
        }
        return vx_t_array(s->types, elem, el.len);
    }
    return vx_t_slice(s->types, elem);
}

static VxType *array_repeat(Sema *s, VxNode *e, VxType *expected)
{
    VxType *x = expected ? vx_resolve(s->types, expected) : NULL;
    VxType *elem = x && (x->kind == VX_T_ARRAY || x->kind == VX_T_SLICE) ? x->u.arr.elem : NULL;
    VxType *v = infer_expr(s, e->u.repeat.value, elem);
    if (elem) unify(s, elem, v, e->u.repeat.value->span);
    check_expr(s, e->u.repeat.count, vx_t_int(s->types, VX_I64));
    if (x && x->kind == VX_T_ARRAY) {
        VxNode *c = e->u.repeat.count;
        if (c->kind == VX_N_INT &&
            !vx_unify_dim(s->types, vx_array_len(x), (VxDim){ VX_DIM_CONST, (int64_t)c->u.int_lit.value.limb[0], NULL }))
            sema_error(s, c->span, "expected the length of `%s`, found %lld", tname(s, x),
                       (long long)c->u.int_lit.value.limb[0]);
        return x;
    }
    return vx_t_slice(s->types, v);
}

static VxType *tuple_lit(Sema *s, VxNode *e, VxType *expected)
{
    VxType *x = expected ? vx_resolve(s->types, expected) : NULL;
    VxNodeList el = e->u.list.elems;
    VxType *elems[64];
    if (el.len > 64) { sema_error(s, e->span, "tuples may have at most 64 elements"); return err(s); }
    for (int i = 0; i < el.len; i++) {
        VxType *hint = x && x->kind == VX_T_TUPLE && x->u.tuple.n == el.len ? x->u.tuple.elems[i] : NULL;
        elems[i] = infer_expr(s, el.items[i], hint);
    }
    return vx_t_tuple(s->types, elems, el.len);
}

static VxType *range(Sema *s, VxNode *e)
{
    VxType *t = vx_t_fresh(s->types, VX_LIT_NONE);
    if (e->u.range.lo) check_expr(s, e->u.range.lo, t);
    if (e->u.range.hi) check_expr(s, e->u.range.hi, t);
    VxType *r = vx_resolve(s->types, t);
    if (r->kind != VX_T_VAR && r->kind != VX_T_INT && r->kind != VX_T_ERROR) {
        sema_error(s, e->span, "ranges need integer bounds, found `%s`", tname(s, t));
        return err(s);
    }
    /* a..b, a..=b, a.., ..b, ..=b, .. : the prelude's types, as Rust's */
    bool lo = e->u.range.lo, hi = e->u.range.hi, incl = e->u.range.inclusive;
    VxDecl *d = lo && hi ? (incl ? s->range_incl : s->range) : lo ? s->range_from
              : hi ? (incl ? s->range_to_incl : s->range_to) : s->range_full;
    if (!d) return err(s);
    return vx_t_adt(s->types, d, &t, lo || hi);
}

/* ---- control flow -------------------------------------------------------------------- */

static VxType *if_expr(Sema *s, VxNode *e, VxType *expected)
{
    push_scope(s);
    if (e->u.if_.pat) {
        VxType *t = infer_expr(s, e->u.if_.cond, NULL);
        s->bind_kind = "let";
        check_pattern(s, e->u.if_.pat, t, false);
    } else {
        check_expr(s, e->u.if_.cond, vx_t_bool(s->types));
    }
    VxType *then = check_block(s, e->u.if_.then, e->u.if_.els ? expected : NULL);
    pop_scope(s);
    if (!e->u.if_.els) {
        VxType *r = vx_resolve(s->types, then);
        if (r->kind != VX_T_UNIT && r->kind != VX_T_NEVER && r->kind != VX_T_ERROR && !try_unify(s, vx_t_unit(s->types), then)) {
            VxDiag *g = sema_error(s, e->u.if_.then->span, "`if` without `else` cannot produce a value");
            vx_diag_primary(s->diags, g, "this block has type `%s`", tname(s, then));
            vx_diag_help(s->diags, g, "add an `else` branch, or end the last expression with `;`");
        }
        return vx_t_unit(s->types);
    }
    VxType *els = e->u.if_.els->kind == VX_N_IF ? infer_expr(s, e->u.if_.els, expected)
                                                 : check_block(s, e->u.if_.els, expected);
    if (vx_resolve(s->types, then)->kind == VX_T_NEVER) return els;
    if (vx_resolve(s->types, els)->kind == VX_T_NEVER) return then;
    if (try_unify(s, then, els)) return then;
    VxDiag *g = sema_error(s, e->u.if_.els->span, "`if` and `else` have incompatible types");
    vx_diag_primary(s->diags, g, "found `%s`", tname(s, els));
    vx_diag_label(s->diags, g, e->u.if_.then->span, "expected because this is `%s`", tname(s, then));
    return err(s);
}

static VxType *match_expr(Sema *s, VxNode *e, VxType *expected)
{
    VxType *t = infer_expr(s, e->u.match.scrutinee, NULL);
    VxType *result = NULL;
    VxNode *first = NULL;
    for (int i = 0; i < e->u.match.arms.len; i++) {
        VxNode *arm = e->u.match.arms.items[i];
        if (!arm->u.arm.body) continue;
        push_scope(s);
        s->bind_kind = "match";
        check_pattern(s, arm->u.arm.pat, t, false);
        if (arm->u.arm.guard) check_expr(s, arm->u.arm.guard, vx_t_bool(s->types));
        VxType *bt = infer_expr(s, arm->u.arm.body, result ? result : expected);
        pop_scope(s);
        if (vx_resolve(s->types, bt)->kind == VX_T_NEVER) continue;
        if (!result) { result = bt; first = arm->u.arm.body; continue; }
        if (!try_unify(s, result, bt) && !is_error(s, bt)) {
            VxDiag *g = sema_error(s, arm->u.arm.body->span, "`match` arms have incompatible types");
            vx_diag_primary(s->diags, g, "this arm is `%s`", tname(s, bt));
            vx_diag_label(s->diags, g, first->span, "the first arm is `%s`", tname(s, result));
        }
    }
    if (!is_error(s, t)) check_match_exhaustive(s, e, t);
    return result ? result : vx_t_never(s->types);
}

Loop *find_loop(Sema *s, const char *label, VxSpan at, const char *what)
{
    if (s->nloops == 0) {
        VxDiag *g = sema_error(s, at, "`%s` outside of a loop", what);
        vx_diag_primary(s->diags, g, "cannot `%s` here", what);
        if (s->closure_depth) vx_diag_note(s->diags, g, "a closure body is not part of the loop around it");
        return NULL;
    }
    if (!label) return &s->loops[s->nloops - 1];
    for (int i = s->nloops - 1; i >= 0; i--)
        if (s->loops[i].label == label) return &s->loops[i];
    sema_error(s, at, "no enclosing loop is labelled `%s`", label);
    return NULL;
}

static VxType *loop_body(Sema *s, VxNode *body, const char *label, bool is_loop, Loop *out)
{
    if (s->nloops >= MAX_LOOPS) { sema_error(s, body->span, "loops are nested too deeply"); return err(s); }
    Loop *l = &s->loops[s->nloops++];
    memset(l, 0, sizeof *l);
    l->label = label ? intern(s, label) : NULL;
    l->is_loop = is_loop;
    if (is_loop) l->break_type = vx_t_fresh(s->types, VX_LIT_NONE);
    check_block(s, body, vx_t_unit(s->types));
    *out = *l;
    s->nloops--;
    return vx_t_unit(s->types);
}

/* The element type of a `for` loop over `t`. */
static VxType *iter_elem(Sema *s, VxNode *iter, VxType *t)
{
    VxType *r = auto_deref(s, t);
    if (r->kind == VX_T_ERROR) return r;
    if (r->kind == VX_T_ADT && (r->u.adt.decl == s->range || r->u.adt.decl == s->range_incl || r->u.adt.decl == s->range_from))
        return r->u.adt.args[0];
    if (r->kind == VX_T_ARRAY || r->kind == VX_T_SLICE) return r->u.arr.elem;
    if (r->kind == VX_T_MAP) return vx_t_tuple(s->types, r->u.tuple.elems, 2);
    if (r->kind == VX_T_STR) return vx_t_str(s->types);
    if (r->kind == VX_T_TENSOR && r->u.tensor.ranked && r->u.tensor.rank >= 1)
        return r->u.tensor.rank == 1 ? r->u.tensor.dtype
               : vx_t_tensor(s->types, r->u.tensor.dtype, r->u.tensor.dims + 1, r->u.tensor.rank - 1, true);
    if (r->kind == VX_T_ADT && (r->u.adt.decl == s->range_to || r->u.adt.decl == s->range_to_incl || r->u.adt.decl == s->range_full)) {
        VxDiag *g = sema_error(s, iter->span, "cannot iterate over a range without a start (`%s`)", tname(s, t));
        vx_diag_note(s->diags, g, "it has no first element to count up from");
        vx_diag_help(s->diags, g, "give it a start, as in `0..n`");
        return err(s);
    }
    VxDiag *g = sema_error(s, iter->span, "cannot iterate over a value of type `%s`", tname(s, t));
    vx_diag_note(s->diags, g, "`for` works on ranges (`0..n`), arrays, maps, strings and tensors");
    return err(s);
}

static VxType *loop_expr(Sema *s, VxNode *e)
{
    Loop done;
    switch (e->kind) {
    case VX_N_LOOP:
        loop_body(s, e->u.loop.body, e->u.loop.label, true, &done);
        return done.broke ? done.break_type : vx_t_never(s->types);
    case VX_N_WHILE:
        push_scope(s);
        if (e->u.while_.pat) {
            VxType *t = infer_expr(s, e->u.while_.cond, NULL);
            s->bind_kind = "let";
            check_pattern(s, e->u.while_.pat, t, false);
        } else {
            check_expr(s, e->u.while_.cond, vx_t_bool(s->types));
        }
        if (e->u.while_.body) loop_body(s, e->u.while_.body, e->u.while_.label, false, &done);
        pop_scope(s);
        return vx_t_unit(s->types);
    default: {                                       /* FOR */
        if (!e->u.for_.iter || !e->u.for_.body) return err(s);
        VxType *t = infer_expr(s, e->u.for_.iter, NULL);
        push_scope(s);
        s->bind_kind = "for";
        VxType *elem = iter_elem(s, e->u.for_.iter, t);
        check_pattern(s, e->u.for_.pat, elem, false);
        loop_body(s, e->u.for_.body, e->u.for_.label, false, &done);
        check_irrefutable(s, e->u.for_.pat, elem, "`for`", "bind the element to a name and `match` on it in the body");
        pop_scope(s);
        return vx_t_unit(s->types);
    }
    }
}

static VxType *jump(Sema *s, VxNode *e)
{
    const char *label = e->u.jump.label ? intern(s, e->u.jump.label) : NULL;
    if (e->kind == VX_N_RETURN) {
        if (e->u.jump.value) check_expr(s, e->u.jump.value, s->ret);
        else if (!try_unify(s, s->ret, vx_t_unit(s->types))) {
            VxDiag *g = sema_error(s, e->span, "`return` needs a value of type `%s` here", tname(s, s->ret));
            vx_diag_help(s->diags, g, "write `return value`");
        }
        return vx_t_never(s->types);
    }
    Loop *l = find_loop(s, label, e->span, e->kind == VX_N_BREAK ? "break" : "continue");
    if (e->kind == VX_N_BREAK && l) l->broke = true;
    if (e->kind == VX_N_BREAK && e->u.jump.value && e->u.jump.value->kind == VX_N_IDENT && l &&
        !lookup_local(s, intern(s, e->u.jump.value->u.ident.name)) && !lookup_global(s, intern(s, e->u.jump.value->u.ident.name))) {
        VxDiag *g = sema_error(s, e->u.jump.value->span, "no enclosing loop is labelled `%s`", e->u.jump.value->u.ident.name);
        vx_diag_help(s->diags, g, "label a loop as `%s: loop { ... }` to break out of it", e->u.jump.value->u.ident.name);
        return vx_t_never(s->types);
    }
    if (e->kind == VX_N_BREAK && e->u.jump.value) {
        VxType *t = infer_expr(s, e->u.jump.value, l && l->is_loop ? l->break_type : NULL);
        if (l && !l->is_loop) {
            VxDiag *g = sema_error(s, e->u.jump.value->span, "`break` with a value is only allowed in `loop`");
            vx_diag_note(s->diags, g, "`while` and `for` loops produce `()`");
        } else if (l) {
            unify(s, l->break_type, t, e->u.jump.value->span);
        }
    } else if (e->kind == VX_N_BREAK && l && l->is_loop) {
        unify(s, l->break_type, vx_t_unit(s->types), e->span);
    }
    return vx_t_never(s->types);
}

static VxType *closure(Sema *s, VxNode *e, VxType *expected)
{
    VxType *x = expected ? vx_resolve(s->types, expected) : NULL;
    VxNodeList ps = e->u.closure.params;
    VxType *params[64];
    if (ps.len > 64) { sema_error(s, e->span, "closures may take at most 64 parameters"); return err(s); }
    push_scope(s);
    for (int i = 0; i < ps.len; i++) {
        VxNode *p = ps.items[i];
        VxType *hint = x && x->kind == VX_T_FN && x->u.fn.n == ps.len ? x->u.fn.params[i] : NULL;
        params[i] = p->u.param.type ? resolve_type(s, p->u.param.type, true) : hint ? hint : vx_t_fresh(s->types, VX_LIT_NONE);
        if (p->u.param.pat) { s->bind_kind = "param"; check_pattern(s, p->u.param.pat, params[i], false); }
        else declare_local(s, intern(s, p->u.param.name), params[i], p, p->u.param.mut);
    }
    VxType *saved_ret = s->ret;
    int saved_loops = s->nloops;
    s->ret = e->u.closure.ret ? resolve_type(s, e->u.closure.ret, true)
           : x && x->kind == VX_T_FN ? x->u.fn.ret : vx_t_fresh(s->types, VX_LIT_NONE);
    s->nloops = 0;
    s->closure_depth++;
    VxType *body = infer_expr(s, e->u.closure.body, s->ret);
    unify(s, s->ret, body, e->u.closure.body->span);
    VxType *fn = vx_t_fn(s->types, params, ps.len, s->ret);
    for (int i = 0; i < ps.len; i++)                 /* after the body, which may fix the types */
        if (ps.items[i]->u.param.pat) check_irrefutable(s, ps.items[i]->u.param.pat, params[i], "closure parameter",
                                                               "take the value as a plain parameter and `match` on it");
    s->closure_depth--;
    s->nloops = saved_loops;
    s->ret = saved_ret;
    pop_scope(s);
    return fn;
}

/* ---- dispatch --------------------------------------------------------------------- */

/* ---- device rules ------------------------------------------------------------------
 * Kernels run as SIMT threads on the GPU: no strings, no growable arrays or
 * maps, no closures and no recursion (a GPU thread has a small, fixed stack). */

void kernel_rule(Sema *s, VxNode *e, const char *what)
{
    if (!s->kernel) return;
    VxDiag *g = sema_error(s, e->span, "%s not available inside a kernel", what);
    vx_diag_note(s->diags, g, "`%s` is a kernel: its body runs on the GPU, one thread per element", s->kernel->name);
}

/* `[B, 128]`: a list of integer literals, dims and constants, known when
 * the kernel is compiled, so it needs no heap array. */
static bool is_shape_list(Sema *s, VxNode *e)
{
    if (e->kind != VX_N_ARRAY) return false;
    for (int i = 0; i < e->u.list.elems.len; i++) {
        VxNode *x = e->u.list.elems.items[i];
        if (x->kind == VX_N_INT) continue;
        if (x->kind != VX_N_IDENT) return false;
        const char *name = intern(s, x->u.ident.name);
        Local *l = lookup_local(s, name);
        VxDecl *c = l ? NULL : lookup_global(s, name);
        if (!(l && l->is_dim) && !(c && c->kind == VX_D_CONST)) return false;
    }
    return true;
}

static bool host_only(Sema *s, VxType *t, int depth)
{
    t = vx_resolve(s->types, t);
    if (depth > 16) return false;
    switch (t->kind) {
    case VX_T_STR: case VX_T_SLICE: case VX_T_MAP: case VX_T_FN: return true;
    case VX_T_TUPLE: for (int i = 0; i < t->u.tuple.n; i++) if (host_only(s, t->u.tuple.elems[i], depth + 1)) return true; return false;
    case VX_T_ARRAY: case VX_T_REF: return host_only(s, t->u.arr.elem, depth + 1);
    default: return false;
    }
}

void check_kernel_signature(Sema *s, VxDecl *fn)
{
    VxNodeList ps = fn->node->u.fn.params;
    for (int i = 0; i < ps.len && i < fn->sig->u.fn.n; i++)
        if (host_only(s, fn->sig->u.fn.params[i], 0)) {
            VxDiag *g = sema_error(s, ps.items[i]->span, "kernel parameters cannot have type `%s`", tname(s, fn->sig->u.fn.params[i]));
            vx_diag_help(s->diags, g, "pass tensors, numbers, bools or fixed-size arrays to kernels");
        }
    if (host_only(s, fn->sig->u.fn.ret, 0) && fn->node->u.fn.ret)
        sema_error(s, fn->node->u.fn.ret->span, "a kernel cannot return `%s`", tname(s, fn->sig->u.fn.ret));
}

/* `m.name` with m an imported module: the node becomes the name `m.name`. */
static bool qualified_name(Sema *s, VxNode *e)
{
    const char *q;
    if (!module_member(s, e->u.field_access.expr, e->u.field_access.name, &q)) return false;
    e->kind = VX_N_IDENT;
    e->u.ident.name = q;
    return true;
}

/* `m.f(x)` with m an imported module: the call `m.f(x)` of the function `m.f`. */
static bool qualified_call(Sema *s, VxNode *e)
{
    const char *q;
    VxNode *recv = e->u.method.recv;
    if (!module_member(s, recv, e->u.method.name, &q)) return false;
    VxNodeList gargs = e->u.method.generic_args, args = e->u.method.args;
    VxNode *callee = VX_NEW(&s->arena, VxNode);
    callee->span = vx_span(recv->span.start, recv->span.start + (uint32_t)strlen(q));
    if (gargs.len) {                                  /* `m.f::<T>(x)`: a path with arguments */
        VxNode *seg = VX_NEW(&s->arena, VxNode);
        seg->kind = VX_N_PATH_SEG;
        seg->span = callee->span;
        seg->u.seg.name = q;
        seg->u.seg.args = gargs;
        callee->kind = VX_N_PATH;
        callee->u.path.segs.items = vx_arena_alloc(&s->arena, sizeof(VxNode *));
        callee->u.path.segs.items[0] = seg;
        callee->u.path.segs.len = 1;
    } else {
        callee->kind = VX_N_IDENT;
        callee->u.ident.name = q;
    }
    e->kind = VX_N_CALL;
    e->u.call.callee = callee;
    e->u.call.args = args;
    return true;
}

static VxType *infer(Sema *s, VxNode *e, VxType *expected)
{
    switch (e->kind) {
    case VX_N_INT: return int_literal(s, e, expected);
    case VX_N_FLOAT: return float_literal(s, e, expected);
    case VX_N_STRING: kernel_rule(s, e, "strings are"); return vx_t_str(s->types);
    case VX_N_BOOL: return vx_t_bool(s->types);
    case VX_N_IDENT: return ident(s, e);
    case VX_N_SELF: {
        Local *l = lookup_local(s, intern(s, "self"));
        if (l) return l->type;
        sema_error(s, e->span, "`self` is only available in methods");
        return err(s);
    }
    case VX_N_PATH: return check_path_value(s, e, false);
    case VX_N_UNARY: return unary(s, e, expected);
    case VX_N_BINARY: return binary(s, e, expected);
    case VX_N_ASSIGN: return assign(s, e);
    case VX_N_CAST: return cast(s, e);
    case VX_N_CALL: return check_call(s, e, expected);
    case VX_N_METHOD_CALL:
        if (qualified_call(s, e)) return check_call(s, e, expected);
        return check_method_call(s, e);
    case VX_N_FIELD_ACCESS:
        if (qualified_name(s, e)) return ident(s, e);
        return field_access(s, e);
    case VX_N_TUPLE_INDEX: return tuple_index(s, e);
    case VX_N_INDEX: return index_expr(s, e);
    case VX_N_RANGE: return range(s, e);
    case VX_N_TUPLE: return tuple_lit(s, e, expected);
    case VX_N_ARRAY: return array_lit(s, e, expected);
    case VX_N_ARRAY_REPEAT: return array_repeat(s, e, expected);
    case VX_N_STRUCT_LIT: return check_struct_lit(s, e);
    case VX_N_BLOCK: return check_block(s, e, expected);
    case VX_N_NO_GRAD: return check_block(s, e->u.no_grad.body, expected);
    case VX_N_IF: return if_expr(s, e, expected);
    case VX_N_MATCH: return match_expr(s, e, expected);
    case VX_N_LOOP: case VX_N_WHILE: case VX_N_FOR: return loop_expr(s, e);
    case VX_N_BREAK: case VX_N_CONTINUE: case VX_N_RETURN: return jump(s, e);
    case VX_N_CLOSURE: kernel_rule(s, e, "closures are"); return closure(s, e, expected);
    case VX_N_TRY: {
        extern VxType *check_try(Sema *s, VxNode *e);
        return check_try(s, e);
    }
    case VX_N_NAMED_ARG:
        sema_error(s, e->span, "named arguments are only allowed in calls");
        return err(s);
    case VX_N_FULL_SLICE:
        sema_error(s, e->span, "`:` is only allowed inside an index, as in `t[:, 0]`");
        return err(s);
    default:
        return err(s);
    }
}

VxType *infer_expr(Sema *s, VxNode *e, VxType *expected)
{
    VxType *t = infer(s, e, expected);
    e->type = t;
    if (s->kernel && (e->kind == VX_N_ARRAY || e->kind == VX_N_ARRAY_REPEAT) &&
        vx_resolve(s->types, t)->kind == VX_T_SLICE && !is_shape_list(s, e))
        kernel_rule(s, e, "growable arrays are");
    return t;
}
