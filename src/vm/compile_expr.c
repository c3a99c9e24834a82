/* compile_expr.c - literals, constant arrays, operators, casts, assignment
 * (also through paths), arrays and records. */
#include "compile_internal.h"

static void assign_index(Comp *c, VxNode *e);
static void assign_field(Comp *c, VxNode *e);
static void assign_path(Comp *c, VxNode *e);

/* ---- literals -------------------------------------------------------------------- */

_Static_assert(VX_F16 == (int)VX_FLOAT_F16 && VX_BF16 == (int)VX_FLOAT_BF16 && VX_F32 == (int)VX_FLOAT_F32,
               "num.h's float formats follow sema's float kinds");

static bool is_float_kind(VKind k) { return k == K_F64 || k == K_F32 || k == K_HALF; }

/* A float constant of the kind of e: f32 and f16/bf16 values rounded once
 * from the literal's double. */
static VxValue float_value(Comp *c, VxNode *e, double v)
{
    int fk = VX_F64;
    VKind k = node_kind(c, e, &fk);
    VxValue r = { .u = 0 };
    if (k == K_F32) r.f32 = (float)v;
    else if (k == K_HALF) r.f32 = (float)vx_round_float(v, (VxFloatFmt)fk);
    else r.f = v;
    return r;
}

/* A wide integer literal (negated under `-`), as a constant of e's kind. */
static void wide_literal(Comp *c, VxNode *e, VxNode *lit, bool neg, int dst)
{
    int ik = VX_I128;
    node_kind(c, e, &ik);
    VxWide w, v;
    memcpy(w.limb, lit->u.int_lit.value.limb, sizeof w.limb);
    VxIntType t256 = { 256, true };
    if (neg) vx_wide_neg(w, t256, &w);                 /* literals are below 2^256: exact in 257 bits of sign */
    VxIntType t = { (uint16_t)vx_int_bits((VxIntKind)ik), vx_int_signed((VxIntKind)ik) };
    v = vx_wide_normalize(w, t);
    emit(c, e, VX_OP_LOADK, 0, dst, wide_const(c, v), 0);
}

void literal(Comp *c, VxNode *e, int dst)
{
    int ik;
    switch (e->kind) {
    case VX_N_INT: {
        VKind k = node_kind(c, e, &ik);
        if (is_float_kind(k)) goto as_float;
        if (k == K_WIDE) { wide_literal(c, e, e, false, dst); return; }
        if (k != K_INT) { unsupported(c, e, kind_words(c, e)); return; }
        load_int(c, e, dst, (int64_t)e->u.int_lit.value.limb[0]);
        return;
    }
    case VX_N_FLOAT:
    as_float: {
        double v = e->kind == VX_N_FLOAT ? e->u.float_lit.value : (double)e->u.int_lit.value.limb[0];
        emit(c, e, VX_OP_LOADK, 0, dst, add_const(c, float_value(c, e, v)), 0);
        return;
    }
    case VX_N_BOOL: emit(c, e, VX_OP_LOADB, 0, dst, e->u.boolean, 0); return;
    default: emit(c, e, VX_OP_LOADK, 0, dst, string_const(c, e->u.str.value, e->u.str.len), 0); return;
    }
}

/* ---- constant arrays -------------------------------------------------------------------------- */

/* A literal number or bool, or the negation of a literal number. */
static bool const_scalar(Comp *c, VxNode *e, VxValue *out)
{
    int ik = VX_I64;
    VKind k = node_kind(c, e, &ik);
    bool neg = e->kind == VX_N_UNARY && e->u.unary.op == TK_MINUS;
    VxNode *x = neg ? e->u.unary.operand : e;
    if (x->kind == VX_N_INT && k == K_INT) { out->u = neg ? 0 - x->u.int_lit.value.limb[0] : x->u.int_lit.value.limb[0]; return true; }
    if ((x->kind == VX_N_FLOAT || x->kind == VX_N_INT) && is_float_kind(k)) {
        double v = x->kind == VX_N_FLOAT ? x->u.float_lit.value : (double)x->u.int_lit.value.limb[0];
        *out = float_value(c, e, neg ? -v : v);
        return true;
    }
    if (x->kind == VX_N_BOOL && !neg) { out->i = x->u.boolean; return true; }
    return false;
}

/* `const K: [u32; 64] = [...]` of literal numbers: one immortal array made
 * at compile time and shared by every use (a lookup table in a loop is
 * not rebuilt per access).  False if the value is not such a literal. */
bool const_array(Comp *c, VxDecl *d, int dst)
{
    VxNode *e = d->node->u.konst.value;
    for (int i = 0; i < c->array_decls.len; i++)
        if (c->array_decls.data[i] == d) {
            VxValue k = { .a = c->arrays.data[i] };
            emit(c, e, VX_OP_LOADK, 0, dst, add_const(c, k), 0);
            return true;
        }
    if (e->kind != VX_N_ARRAY) return false;
    int kind = elem_put_kind(c, elem_type(c, e));
    if (kind < 0 || kind >= VX_PUT_STR) return false;  /* numbers and bools */
    VxNodeList el = e->u.list.elems;
    VxValue *items = vx_xmalloc(sizeof(VxValue) * (size_t)(el.len ? el.len : 1));
    for (int i = 0; i < el.len; i++)
        if (!const_scalar(c, el.items[i], &items[i])) { free(items); return false; }
    VxArr *a = calloc(1, sizeof *a);
    if (!a) vx_xmalloc((size_t)-1);
    a->h.kind = VX_OBJ_ARR;                          /* rc 0: immortal, never released */
    a->len = a->cap = (uint32_t)el.len;
    a->elem_kind = (uint8_t)kind;
    a->items = items;
    vx_vec_push(&c->arrays, a);
    vx_vec_push(&c->array_decls, d);
    VxValue k = { .a = a };
    emit(c, e, VX_OP_LOADK, 0, dst, add_const(c, k), 0);
    return true;
}

/* ---- operators ----------------------------------------------------------------- */

/* The instruction for binary operator op on values of kind k, and its
 * type byte in *t (VX_OP_COUNT if there is none). */
VxOp arith_op(VxTokKind op, VKind k, int ik, int *t)
{
    static const VxTokKind aops[] = { TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_PERCENT, TK_STARSTAR };
    static const VxTokKind bops[] = { TK_AMP, TK_PIPE, TK_CARET };
    *t = ik;
    if (k == K_WIDE || k == K_HALF) {
        for (int i = 0; i < 6; i++)
            if (aops[i] == op) { *t = k == K_WIDE ? ik | i << 5 : ik | i << 1; return k == K_WIDE ? VX_OP_ARITH_W : VX_OP_ARITH_H; }
        for (int i = 0; i < 3 && k == K_WIDE; i++) if (bops[i] == op) { *t = i; return VX_OP_BIT_W; }
        return VX_OP_COUNT;                           /* wide shifts: see wide_shift */
    }
    bool i64 = k == K_INT && ik == VX_I64;
    switch (op) {
    case TK_PLUS: return k == K_F64 ? VX_OP_ADD_F64 : k == K_F32 ? VX_OP_ADD_F32 : i64 ? VX_OP_ADD_I64 : VX_OP_ADD_INT;
    case TK_MINUS: return k == K_F64 ? VX_OP_SUB_F64 : k == K_F32 ? VX_OP_SUB_F32 : i64 ? VX_OP_SUB_I64 : VX_OP_SUB_INT;
    case TK_STAR: return k == K_F64 ? VX_OP_MUL_F64 : k == K_F32 ? VX_OP_MUL_F32 : i64 ? VX_OP_MUL_I64 : VX_OP_MUL_INT;
    case TK_SLASH: return k == K_F64 ? VX_OP_DIV_F64 : k == K_F32 ? VX_OP_DIV_F32 : i64 ? VX_OP_DIV_I64 : VX_OP_DIV_INT;
    case TK_PERCENT: return k == K_F64 ? VX_OP_REM_F64 : k == K_F32 ? VX_OP_REM_F32 : i64 ? VX_OP_REM_I64 : VX_OP_REM_INT;
    case TK_STARSTAR: return k == K_F64 ? VX_OP_POW_F64 : k == K_F32 ? VX_OP_POW_F32 : i64 ? VX_OP_POW_I64 : VX_OP_POW_INT;
    case TK_AMP: return VX_OP_BAND;
    case TK_PIPE: return VX_OP_BOR;
    case TK_CARET: return VX_OP_BXOR;
    case TK_SHL: return VX_OP_SHL;
    case TK_SHR: return VX_OP_SHR;
    default: return VX_OP_COUNT;
    }
}

/* `x * 3`, `y / 2.0`: the constant right operand becomes K[C] (no load
 * per use).  Returns the K-form of op, or -1. */
static int const_operand_op(Comp *c, VxOp op, VxNode *rhs)
{
    static const VxOp from[] = { VX_OP_ADD_I64, VX_OP_SUB_I64, VX_OP_MUL_I64, VX_OP_DIV_I64, VX_OP_REM_I64,
                                 VX_OP_ADD_F64, VX_OP_SUB_F64, VX_OP_MUL_F64, VX_OP_DIV_F64 };
    static const VxOp to[] = { VX_OP_ADDK_I64, VX_OP_SUBK_I64, VX_OP_MULK_I64, VX_OP_DIVK_I64, VX_OP_REMK_I64,
                               VX_OP_ADDK_F64, VX_OP_SUBK_F64, VX_OP_MULK_F64, VX_OP_DIVK_F64 };
    bool is_int = rhs->kind == VX_N_INT, is_float = rhs->kind == VX_N_FLOAT || (is_int && node_kind(c, rhs, NULL) == K_F64);
    if (!is_int && !is_float) return -1;
    if ((op == VX_OP_DIV_I64 || op == VX_OP_REM_I64) && (rhs->u.int_lit.value.limb[0] == 0 ||
        rhs->u.int_lit.value.limb[0] == UINT64_MAX)) return -1;     /* keep the runtime checks */
    for (size_t i = 0; i < sizeof from / sizeof from[0]; i++)
        if (from[i] == op && (i < 5 ? !is_float : is_float)) return to[i];
    return -1;
}

static int const_operand(Comp *c, VxNode *rhs)
{
    VxValue v;
    if (rhs->kind == VX_N_FLOAT) v.f = rhs->u.float_lit.value;
    else if (node_kind(c, rhs, NULL) == K_F64) v.f = (double)rhs->u.int_lit.value.limb[0];
    else v.i = (int64_t)rhs->u.int_lit.value.limb[0];
    return add_const(c, v);
}

/* A shift where either side is wide: SHAMT checks the amount against the
 * shifted kind and leaves it in a register, then the shift cannot fail. */
static void wide_shift(Comp *c, VxNode *e, VKind k, int ik, int rk, int dst)
{
    bool shr = e->u.binary.op == TK_SHR;
    int save = c->freereg;
    int a = expr(c, e->u.binary.lhs), n = alloc_reg(c, e);
    emit(c, e, VX_OP_SHAMT, rk | ik << 4, n, expr(c, e->u.binary.rhs), 0);
    if (k == K_WIDE) emit(c, e, VX_OP_SHIFT_W, ik | (shr ? 32 : 0), dst, a, n);
    else emit(c, e, shr ? VX_OP_SHR : VX_OP_SHL, ik, dst, a, n);
    release_to(c, e, save);
}

static void arithmetic(Comp *c, VxNode *e, int dst)
{
    int ik = VX_I64, rk = VX_I64;
    VKind k = node_kind(c, e->u.binary.lhs, &ik);
    if (k == K_STR && e->u.binary.op == TK_PLUS) {      /* concatenation */
        int save = c->freereg;
        int a = expr(c, e->u.binary.lhs), b = expr(c, e->u.binary.rhs);
        emit(c, e, VX_OP_CONCAT, 0, dst, a, b);
        release_to(c, e, save);
        return;
    }
    if (k != K_INT && k != K_WIDE && !is_float_kind(k) && !(k == K_BOOL && (e->u.binary.op == TK_AMP || e->u.binary.op == TK_PIPE ||
                                                                   e->u.binary.op == TK_CARET))) {
        unsupported(c, e, kind_words(c, e->u.binary.lhs));
        return;
    }
    if (k == K_BOOL) ik = VX_U8;
    VKind rkind = node_kind(c, e->u.binary.rhs, &rk);
    bool shift = e->u.binary.op == TK_SHL || e->u.binary.op == TK_SHR;
    if (shift && (k == K_WIDE || rkind == K_WIDE)) { wide_shift(c, e, k, ik, rk, dst); return; }
    int t = ik;
    VxOp op = arith_op(e->u.binary.op, k, ik, &t);
    if (op == VX_OP_COUNT) { unsupported(c, e, "this operator"); return; }
    if (e->u.binary.op == TK_STARSTAR && is_float_kind(k) && rkind == K_INT) {
        if (k == K_HALF) t = ik | 6 << 1;             /* ARITH_H's `**` by an integer */
        else op = k == K_F64 ? VX_OP_POWI_F64 : VX_OP_POWI_F32;
    }
    int save = c->freereg;
    VxNode *lhs = e->u.binary.lhs, *rhs = e->u.binary.rhs;
    bool commutes = e->u.binary.op == TK_PLUS || e->u.binary.op == TK_STAR;
    if (commutes && (lhs->kind == VX_N_INT || lhs->kind == VX_N_FLOAT) && const_operand_op(c, op, lhs) >= 0) {
        VxNode *x = lhs; lhs = rhs; rhs = x;                /* `2.0 * x` as `x * 2.0` */
    }
    int a = expr(c, lhs);
    int kop = const_operand_op(c, op, rhs);
    if (kop >= 0) emit(c, e, (VxOp)kop, 0, dst, a, const_operand(c, rhs));
    else emit(c, e, op, t, dst, a, expr(c, rhs));
    release_to(c, e, save);
}

/* The instruction for == (rel 0), < (1) or <= (2) on scalars of kind k
 * (its type byte is ik), or VX_OP_COUNT. */
VxOp compare_op(VKind k, int ik, int rel)
{
    static const VxOp ops[][3] = {
        { VX_OP_EQ_I64, VX_OP_LT_I64, VX_OP_LE_I64 }, { VX_OP_EQ_I64, VX_OP_LT_U64, VX_OP_LE_U64 },
        { VX_OP_EQ_F64, VX_OP_LT_F64, VX_OP_LE_F64 }, { VX_OP_EQ_F32, VX_OP_LT_F32, VX_OP_LE_F32 },
        { VX_OP_EQ_STR, VX_OP_LT_STR, VX_OP_LE_STR }, { VX_OP_EQ_W, VX_OP_LT_W, VX_OP_LE_W } };
    int row = k == K_BOOL ? 0 : k == K_INT ? !vx_int_signed((VxIntKind)ik) : k == K_F64 ? 2 : k == K_F32 || k == K_HALF ? 3
            : k == K_STR ? 4 : k == K_WIDE ? 5 : -1;
    return row < 0 ? VX_OP_COUNT : ops[row][rel];
}

static void comparison(Comp *c, VxNode *e, int dst)
{
    int ik = VX_I64;
    VKind k = node_kind(c, e->u.binary.lhs, &ik);
    VxTokKind op = e->u.binary.op;
    bool eq = op == TK_EQEQ || op == TK_NE, swap = op == TK_GT || op == TK_GE, le = op == TK_LE || op == TK_GE;
    VxOp o = compare_op(k, ik, eq ? 0 : le ? 2 : 1);
    bool deep = k == K_ARR || k == K_REC || (k == K_MAP && eq);
    if (o == VX_OP_COUNT && deep) o = eq ? VX_OP_EQ_OBJ : le ? VX_OP_LE_OBJ : VX_OP_LT_OBJ;   /* deep (compare.c) */
    if (o == VX_OP_COUNT) { unsupported(c, e, "this comparison"); return; }
    int save = c->freereg;
    int a = expr(c, e->u.binary.lhs), b = expr(c, e->u.binary.rhs);
    emit(c, e, o, deep ? put_kind(c, e->u.binary.lhs) : ik, dst, swap ? b : a, swap ? a : b);
    if (op == TK_NE) emit(c, e, VX_OP_NOT, 0, dst, dst, 0);
    release_to(c, e, save);
}

/* a && b, a || b: the right side runs only when needed. */
static void logic(Comp *c, VxNode *e, int dst)
{
    expr_to(c, e->u.binary.lhs, dst);
    int skip = emit_jump(c, e, e->u.binary.op == TK_AMPAMP ? VX_OP_JMPIFNOT : VX_OP_JMPIF, dst);
    expr_to(c, e->u.binary.rhs, dst);
    patch_here(c, skip);
}

/* `a OP b`, `-a`, `a[i]` on a struct or enum: a call of the impl sema chose
 * for both operand types (Add, Sub, Mul, Div, Rem, Neg, Index); false if none. */
static bool impl_operator(Comp *c, VxNode *e, VxNode *lhs, VxNode *rhs, const char *method, int dst)
{
    if (node_kind(c, lhs, NULL) != K_REC) return false;
    VxType *targs[64];
    int n = 0;
    VxDecl *m = vx_sema_operator(c->sema, deref_type(c, lhs->type), rhs ? ctype(c, rhs->type) : NULL, method, targs, 64, &n);
    if (!m || m->ngenerics) return false;               /* own type parameters: an operator gives none */
    VxNode *argv[2] = { lhs, rhs };
    emit_call(c, e, m, targs, n, argv, dst);
    return true;
}

static bool operator_call(Comp *c, VxNode *e, int dst)
{
    static const struct { VxTokKind op; const char *method; } ops[] = {
        {TK_PLUS, "add"}, {TK_MINUS, "sub"}, {TK_STAR, "mul"}, {TK_SLASH, "div"}, {TK_PERCENT, "rem"} };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (ops[i].op == e->u.binary.op) return impl_operator(c, e, e->u.binary.lhs, e->u.binary.rhs, ops[i].method, dst);
    return false;
}

void binary(Comp *c, VxNode *e, int dst)
{
    if (operator_call(c, e, dst) || ct_binary(c, e, dst)) return;
    switch (e->u.binary.op) {
    case TK_AMPAMP: case TK_PIPEPIPE: logic(c, e, dst); return;
    case TK_EQEQ: case TK_NE: case TK_LT: case TK_GT: case TK_LE: case TK_GE: comparison(c, e, dst); return;
    default: arithmetic(c, e, dst); return;
    }
}

void unary(Comp *c, VxNode *e, int dst)
{
    VxType *rt = e->u.unary.op == TK_AMP ? ctype(c, e->type) : NULL;
    if ((e->u.unary.op == TK_AMP && rt->kind == VX_T_REF && !rt->u.arr.mut) || e->u.unary.op == TK_STAR) {
        expr_to(c, e->u.unary.operand, dst);          /* `&x`, `*r`: the value itself (see deref_type) */
        return;
    }
    if (ct_unary(c, e, dst)) return;
    int ik = VX_I64;
    VKind k = node_kind(c, e->u.unary.operand, &ik);
    VxNode *x = e->u.unary.operand;
    if (e->u.unary.op == TK_MINUS && x->kind == VX_N_INT && k == K_INT) {   /* `-128i8`: one constant */
        load_int(c, e, dst, (int64_t)(0 - x->u.int_lit.value.limb[0]));
        return;
    }
    if (e->u.unary.op == TK_MINUS && x->kind == VX_N_INT && k == K_WIDE && vx_int_signed((VxIntKind)ik)) {
        wide_literal(c, e, x, true, dst);               /* i128::MIN is a literal too */
        return;
    }
    if (e->u.unary.op == TK_MINUS && impl_operator(c, e, x, NULL, "neg", dst)) return;
    int save = c->freereg;
    int a = expr(c, e->u.unary.operand);
    switch (e->u.unary.op) {
    case TK_MINUS:
        if (k == K_INT) emit(c, e, ik == VX_I64 ? VX_OP_NEG_I64 : VX_OP_NEG_INT, ik, dst, a, 0);
        else if (k == K_WIDE) emit(c, e, VX_OP_NEG_W, ik, dst, a, 0);
        else if (k == K_F64) emit(c, e, VX_OP_NEG_F64, 0, dst, a, 0);
        else if (k == K_F32 || k == K_HALF) emit(c, e, VX_OP_NEG_F32, 0, dst, a, 0);   /* exact: no rounding */
        else unsupported(c, e, kind_words(c, e));
        break;
    case TK_BANG:
        if (k == K_BOOL) emit(c, e, VX_OP_NOT, 0, dst, a, 0);
        else if (k == K_INT) emit(c, e, VX_OP_BNOT, ik, dst, a, 0);
        else if (k == K_WIDE) emit(c, e, VX_OP_BNOT_W, ik, dst, a, 0);
        else unsupported(c, e, kind_words(c, e));
        break;
    default:
        unsupported(c, e, "`&mut` here (only as the argument of a function's `&mut` parameter)");
    }
    release_to(c, e, save);
}

/* A float kind's format (num.h): f16, bf16 (the VxFloatKind), f32, f64. */
static int float_fmt(VKind k, int fk) { return k == K_HALF ? fk : k == K_F32 ? VX_FLOAT_F32 : VX_FLOAT_F64; }

/* The instruction (and type byte) for `as` from kind (fk, fik) to (tk,
 * tik), Rust's rules: VX_OP_MOVE when the value stays, VX_OP_COUNT when
 * the VM has none. */
static VxOp cast_op(VKind fk, int fik, VKind tk, int tik, int *t)
{
    bool from_int = fk == K_INT || fk == K_WIDE, to_int = tk == K_INT || tk == K_WIDE;
    *t = 0;
    if (from_int && to_int) {
        if (fk == K_INT && tk == K_INT) { *t = tik; return VX_OP_CAST_INT; }
        *t = fik | tik << 4;
        return fik == tik ? VX_OP_MOVE : VX_OP_CAST_W;
    }
    if (from_int && is_float_kind(tk)) {
        if (fk == K_INT && tk != K_HALF) { *t = fik; return tk == K_F64 ? VX_OP_INT_F64 : VX_OP_INT_F32; }
        *t = fik | float_fmt(tk, tik) << 4;
        return VX_OP_INT_FLT;
    }
    if (is_float_kind(fk) && to_int) {
        *t = tik;
        if (tk == K_WIDE) { *t = tik | (fk == K_F64 ? 16 : 0); return VX_OP_FLT_W; }
        return fk == K_F64 ? VX_OP_F64_INT : VX_OP_F32_INT;    /* f16/bf16 are f32 values */
    }
    if (is_float_kind(fk) && is_float_kind(tk)) {
        int from = float_fmt(fk, fik), to = float_fmt(tk, tik);
        if (from == to || (to == VX_FLOAT_F32 && fk == K_HALF)) return VX_OP_MOVE;     /* exact */
        if (tk == K_HALF) { *t = to | (fk == K_F64 ? 2 : 0); return VX_OP_ROUND_H; }
        return to == VX_FLOAT_F64 ? VX_OP_F32_F64 : VX_OP_F64_F32;
    }
    return fk == tk ? VX_OP_MOVE : VX_OP_COUNT;
}

void cast(Comp *c, VxNode *e, int dst)
{
    if (ct_cast(c, e, dst)) return;
    int from_ik = VX_I64, to_ik = VX_I64, t;
    VKind from = node_kind(c, e->u.cast.expr, &from_ik), to = node_kind(c, e, &to_ik);
    if (from == K_BOOL) { from = K_INT; from_ik = VX_U8; }
    VxOp op = cast_op(from, from_ik, to, to_ik, &t);
    if (op == VX_OP_COUNT) { unsupported(c, e, "this cast"); return; }
    int save = c->freereg;
    int a = expr(c, e->u.cast.expr);
    if (op != VX_OP_MOVE) emit(c, e, op, t, dst, a, 0);
    else if (a != dst) emit(c, e, is_obj_kind(to) ? VX_OP_MOVE_OBJ : VX_OP_MOVE, 0, dst, a, 0);
    release_to(c, e, save);
}

/* ---- assignment ------------------------------------------------------------------- */

/* The value `lhs op= rhs` stores, into v: rhs itself for `=`, else lhs op rhs. */
/* The current value of a compound assignment's target (`h[f()] += 1`) is
 * read through the keys already computed for the write, so each index is
 * evaluated once: a copy of the target's path whose index expressions are
 * hidden locals (names no program can write) naming those registers. */
typedef struct Reread { VxNode steps[MAX_PATH], keys[MAX_PATH]; VxNode *key_ptr[MAX_PATH]; } Reread;

static VxNode **base_slot(VxNode *t)
{
    return t->kind == VX_N_FIELD_ACCESS ? &t->u.field_access.expr : t->kind == VX_N_INDEX ? &t->u.index.expr : &t->u.tuple_index.expr;
}

static VxNode *reread_target(Comp *c, Place *p, Reread *rr)
{
    static char names[MAX_PATH][16];
    VxNode *below = NULL;
    for (int k = p->n - 1; k >= 0; k--) {
        VxNode *s = &rr->steps[k];
        *s = *p->steps[k].node;
        if (below) *base_slot(s) = below;
        if (p->steps[k].index) {
            if (!names[k][0]) snprintf(names[k], sizeof names[k], "$key%d", k);
            rr->keys[k] = *s->u.index.indices.items[0];   /* its type and span */
            rr->keys[k].kind = VX_N_IDENT;
            rr->keys[k].u.ident.name = names[k];
            declare(c, names[k], p->steps[k].key);
            rr->key_ptr[k] = &rr->keys[k];
            s->u.index.indices = (VxNodeList){ &rr->key_ptr[k], 1 };
        }
        below = s;
    }
    return below;
}

/* The value assignment e stores: its right side, or for `x op= y` the
 * operation on the target's current value (read through p's keys). */
static void assigned_value(Comp *c, VxNode *e, Place *p, int v)
{
    static const VxTokKind base[][2] = {
        {TK_PLUSEQ, TK_PLUS}, {TK_MINUSEQ, TK_MINUS}, {TK_STAREQ, TK_STAR}, {TK_SLASHEQ, TK_SLASH},
        {TK_PERCENTEQ, TK_PERCENT}, {TK_AMPEQ, TK_AMP}, {TK_PIPEEQ, TK_PIPE}, {TK_CARETEQ, TK_CARET},
        {TK_SHLEQ, TK_SHL}, {TK_SHREQ, TK_SHR} };
    if (e->u.binary.op == TK_EQ) { expr_to(c, e->u.binary.rhs, v); return; }
    VxNode tmp = *e;
    tmp.kind = VX_N_BINARY;
    for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) if (base[i][0] == e->u.binary.op) tmp.u.binary.op = base[i][1];
    tmp.type = e->u.binary.lhs->type;
    int nlocals = c->locals.len;
    Reread rr;
    if (p && p->n) tmp.u.binary.lhs = reread_target(c, p, &rr);
    arithmetic(c, &tmp, v);
    c->locals.len = nlocals;
}

void assign(Comp *c, VxNode *e)
{
    VxNode *lhs = e->u.binary.lhs;
    if (assigns_capture(c, lhs)) return;
    if (map_update_in_place(c, e) || ct_assign(c, e)) return;
    bool deep = (lhs->kind == VX_N_INDEX || lhs->kind == VX_N_FIELD_ACCESS || lhs->kind == VX_N_TUPLE_INDEX) &&
                local_of(c, lhs->kind == VX_N_INDEX ? lhs->u.index.expr : lhs->kind == VX_N_FIELD_ACCESS
                                 ? lhs->u.field_access.expr : lhs->u.tuple_index.expr) < 0;
    if (deep || lhs->kind == VX_N_TUPLE_INDEX) { assign_path(c, e); return; }
    if (lhs->kind == VX_N_INDEX) { assign_index(c, e); return; }
    if (lhs->kind == VX_N_FIELD_ACCESS) { assign_field(c, e); return; }
    int r = local_of(c, lhs);
    if (r < 0) { unsupported(c, lhs, "assignment to fields or references"); return; }
    if (is_obj(c, lhs)) {                             /* new value first (it may read the old), then swap */
        int save = c->freereg, t = alloc_reg(c, e);
        assigned_value(c, e, NULL, t);
        emit(c, e, VX_OP_DROP, 0, r, 0, 0);
        emit(c, e, VX_OP_MOVE, 0, r, t, 0);            /* ownership moves: t is dead */
        release_to(c, e, save);
        return;
    }
    assigned_value(c, e, NULL, r);
}

/* a[i].x = v, p.q.x += v, self.items[i] = v: a path of fields and
 * indices below a variable (compile_place.c).  The keys and the new value
 * are computed first, since they may read the old value. */
static void assign_path(Comp *c, VxNode *e)
{
    int save = c->freereg;
    Place p;
    if (!place_begin(c, e->u.binary.lhs, &p, false)) return;
    int v = alloc_reg(c, e);
    assigned_value(c, e, &p, v);
    if (is_obj(c, e->u.binary.lhs)) c->owned[v] = true;
    if (p.n == 2 && p.steps[1].index && !p.steps[0].index && p.steps[0].key <= UINT8_MAX) {
        emit(c, e, VX_OP_ASETF, p.steps[0].key, p.root, p.steps[1].key, v);   /* `a[i].f = v` in one instruction */
    } else {
        int cur = place_descend(c, e, &p);
        emit(c, e, p.steps[0].index ? VX_OP_ASET : VX_OP_SETF, 0, cur, p.steps[0].key, v);
        place_ascend(c, e, &p);
    }
    release_to(c, e, save);
}

/* ---- arrays ---------------------------------------------------------------------------------- */

void array_lit(Comp *c, VxNode *e, int dst)
{
    int k = elem_put_kind(c, elem_type(c, e));
    VxNodeList el = e->u.list.elems;
    if (k < 0) { unsupported(c, e, "arrays of this element type"); return; }
    if (el.len > 60000) { unsupported(c, e, "array literals this long"); return; }
    int save = c->freereg, base = c->freereg;
    for (int i = 0; i < el.len; i++) {              /* consecutive registers, moved into the array */
        int r = alloc_reg(c, el.items[i]);
        expr_to(c, el.items[i], r);
    }
    emit(c, e, VX_OP_NEWARR, k, dst, base, el.len);
    c->freereg = save;                               /* the elements now belong to the array */
}

void array_repeat(Comp *c, VxNode *e, int dst)
{
    int k = elem_put_kind(c, elem_type(c, e));
    if (k < 0) { unsupported(c, e, "arrays of this element type"); return; }
    int save = c->freereg;
    int v = expr(c, e->u.repeat.value), n = expr(c, e->u.repeat.count);
    emit(c, e, VX_OP_ARRREP, k, dst, v, n);
    release_to(c, e, save);
}

/* m[k]: the value at key k (a runtime error when missing). */
static void map_index(Comp *c, VxNode *e, int dst)
{
    VxNode *argv[2] = { e->u.index.expr, e->u.index.indices.items[0] };
    int save = c->freereg, base = args_to_regs(c, argv, 2);
    emit(c, e, VX_OP_CALLB, 0, dst, base, vx_builtin_find("map_index", 2));
    release_to(c, e, save);
}

/* a[i] (an element) or a[lo..hi] (a new array). */
void index_expr(Comp *c, VxNode *e, int dst)
{
    if (ct_index(c, e, dst)) return;
    VxNode *base = e->u.index.expr;
    if (e->u.index.indices.len == 1 && impl_operator(c, e, base, e->u.index.indices.items[0], "index", dst)) return;
    if (e->u.index.indices.len == 1 && node_kind(c, base, NULL) == K_MAP) { map_index(c, e, dst); return; }
    if (node_kind(c, base, NULL) != K_ARR || e->u.index.indices.len != 1) { unsupported(c, e, "this kind of indexing"); return; }
    VxNode *ix = e->u.index.indices.items[0];
    int save = c->freereg;
    int a = expr(c, base);
    if (ix->kind == VX_N_RANGE) {
        int lo = alloc_reg(c, ix), hi = alloc_reg(c, ix);
        if (ix->u.range.lo) expr_to(c, ix->u.range.lo, lo); else load_int(c, ix, lo, 0);
        if (ix->u.range.hi) {
            expr_to(c, ix->u.range.hi, hi);
            if (ix->u.range.inclusive) emit(c, ix, VX_OP_ADDI_I64, 0, hi, hi, 1);
        } else emit(c, ix, VX_OP_ALEN, 0, hi, a, 0);
        emit(c, e, VX_OP_ASLICE, 0, dst, a, lo);
    } else if (ix->kind == VX_N_FULL_SLICE) {        /* `a[:]`: the whole array, a copy-on-write value */
        emit(c, e, VX_OP_MOVE_OBJ, 0, dst, a, 0);
    } else {
        emit(c, e, VX_OP_AGET, 0, dst, a, expr(c, ix));
    }
    release_to(c, e, save);
}

/* a[i] = v and a[i] op= v on an array held in a local. */
static void assign_index(Comp *c, VxNode *e)
{
    VxNode *lhs = e->u.binary.lhs, *base = lhs->u.index.expr;
    int a = local_of(c, base);
    if (a < 0 || lhs->u.index.indices.len != 1 || lhs->u.index.indices.items[0]->kind == VX_N_RANGE ||
        node_kind(c, base, NULL) != K_ARR) {
        unsupported(c, lhs, "this assignment");
        return;
    }
    int save = c->freereg;
    int i = expr(c, lhs->u.index.indices.items[0]);
    int v = alloc_reg(c, e);
    Place p = { .node = lhs, .root = a, .n = 1, .steps = { { lhs, true, i } } };
    assigned_value(c, e, &p, v);
    if (is_obj(c, lhs)) c->owned[v] = true;          /* ASET retains: v is released after */
    emit(c, e, VX_OP_ASET, 0, a, i, v);
    release_to(c, e, save);
}

/* ---- records --------------------------------------------------------------------------------- */

/* Fields evaluated into consecutive registers, then moved into a new record. */
void new_record(Comp *c, VxNode *at, VxNode **fields, int n, VxType *t, int variant, int dst)
{
    int save = c->freereg, base = c->freereg;
    for (int i = 0; i < n; i++) {
        int r = alloc_reg(c, fields[i]);
        expr_to(c, fields[i], r);
    }
    if (n == 0) alloc_reg(c, at);
    emit(c, at, VX_OP_NEWREC, 0, dst, base, desc_const(c, t, variant));
    c->freereg = save;                               /* the fields now belong to the record */
}

void struct_lit(Comp *c, VxNode *e, int dst)
{
    VxType *t = ctype(c, e->type);
    if (kind_of(c, t, NULL) != K_REC) { unsupported(c, e, kind_words(c, e)); return; }
    VxDecl *d = t->u.adt.decl, *en;
    VxField *fs = d->fields;
    int n = d->nfields, variant = 0;
    VxVariant *v = d->kind == VX_D_ENUM ? vx_sema_variant(c->sema, e->u.struct_lit.path, &en) : NULL;
    if (v) { fs = v->fields; n = v->n; variant = v->index; }
    VxNode *vals[64];
    if (n > 64) { unsupported(c, e, "records this large"); return; }
    for (int i = 0; i < n; i++) {
        vals[i] = fs[i].node ? fs[i].node->u.field.value : NULL;     /* the default, if any */
        for (int k = 0; k < e->u.struct_lit.fields.len; k++) {
            VxNode *fi = e->u.struct_lit.fields.items[k];
            if (strcmp(fi->u.field_init.name, fs[i].name) != 0) continue;
            if (fi->u.field_init.value) vals[i] = fi->u.field_init.value;
            else {                                     /* shorthand `Point { x, y }`: a variable of that name */
                VxNode *id = vx_arena_alloc(&c->scratch, sizeof *id);
                id->kind = VX_N_IDENT;
                id->span = fi->span;
                id->type = fi->type;
                id->u.ident.name = fi->u.field_init.name;
                vals[i] = id;
            }
        }
        if (!vals[i]) { unsupported(c, e, "this struct literal"); return; }
    }
    new_record(c, e, vals, n, t, variant, dst);
}

/* `Some(x)`, `Shape::Circle(r)`: an enum constructor call. */
bool variant_call(Comp *c, VxNode *e, int dst)
{
    VxDecl *en;
    VxNode *callee = e->u.call.callee;
    if (callee->kind != VX_N_IDENT && callee->kind != VX_N_PATH) return false;
    if (callee->kind == VX_N_IDENT && find_local(c, callee->u.ident.name) >= 0) return false;
    VxVariant *v = vx_sema_variant(c->sema, callee, &en);
    if (!v) return false;
    VxType *t = ctype(c, e->type);
    if (kind_of(c, t, NULL) != K_REC) { unsupported(c, e, kind_words(c, e)); return true; }
    new_record(c, e, e->u.call.args.items, e->u.call.args.len, t, v->index, dst);
    return true;
}

/* `None`, `Shape::Empty`: a unit variant as a value. */
bool variant_value(Comp *c, VxNode *e, int dst)
{
    VxDecl *en;
    VxVariant *v = vx_sema_variant(c->sema, e, &en);
    if (!v || v->shape != VX_VARIANT_UNIT) return false;
    VxType *t = ctype(c, e->type);
    if (kind_of(c, t, NULL) != K_REC) { unsupported(c, e, kind_words(c, e)); return true; }
    new_record(c, e, NULL, 0, t, v->index, dst);
    return true;
}

/* p.x and t.0 */
void field_get(Comp *c, VxNode *e, VxNode *base, int index, int dst)
{
    if (node_kind(c, base, NULL) != K_REC || index < 0) { unsupported(c, e, "this field access"); return; }
    int save = c->freereg;
    VxNode *arr = base->kind == VX_N_INDEX ? base->u.index.expr : NULL;
    bool elem = arr && base->u.index.indices.len == 1 && base->u.index.indices.items[0]->kind != VX_N_RANGE &&
                base->u.index.indices.items[0]->kind != VX_N_FULL_SLICE && node_kind(c, arr, NULL) == K_ARR;
    if (elem && index <= UINT8_MAX) {                /* `a[i].f` in one instruction: the element is not copied */
        int a = expr(c, arr);
        emit(c, base, VX_OP_AGETF, index, dst, a, expr(c, base->u.index.indices.items[0]));
    } else if (elem && local_of(c, arr) >= 0) {
        int r = alloc_reg(c, base);                  /* the element borrowed from the variable */
        emit(c, base, VX_OP_AGETB, 0, r, local_of(c, arr), expr(c, base->u.index.indices.items[0]));
        emit(c, e, VX_OP_GETF, 0, dst, r, index);
    } else {
        emit(c, e, VX_OP_GETF, 0, dst, expr(c, base), index);
    }
    release_to(c, e, save);
}

int struct_field_index(Comp *c, VxNode *base, const char *name)
{
    VxType *t = deref_type(c, base->type);
    if (t->kind != VX_T_ADT || t->u.adt.decl->kind != VX_D_STRUCT) return -1;
    return field_index(t->u.adt.decl->fields, t->u.adt.decl->nfields, name);
}

/* p.x = v on a struct held in a local. */
static void assign_field(Comp *c, VxNode *e)
{
    VxNode *lhs = e->u.binary.lhs, *base = lhs->u.field_access.expr;
    int r = local_of(c, base);
    int f = struct_field_index(c, base, lhs->u.field_access.name);
    if (r < 0 || f < 0) { unsupported(c, lhs, "this assignment"); return; }
    int save = c->freereg, v = alloc_reg(c, e);
    assigned_value(c, e, NULL, v);
    if (is_obj(c, lhs)) c->owned[v] = true;          /* SETF retains: v is released after */
    emit(c, e, VX_OP_SETF, 0, r, f, v);
    release_to(c, e, save);
}

/* `a..b`, `a..=b`, `a..`, `..b`, `..=b`, `..` as values: Range,
 * RangeInclusive, RangeFrom, RangeTo, RangeToInclusive, RangeFull records
 * of the bounds they have. */
void range_value(Comp *c, VxNode *e, int dst)
{
    VxType *t = ctype(c, e->type);
    if (kind_of(c, t, NULL) != K_REC) { unsupported(c, e, kind_words(c, e)); return; }
    VxNode *bounds[2];
    int n = 0;
    if (e->u.range.lo) bounds[n++] = e->u.range.lo;
    if (e->u.range.hi) bounds[n++] = e->u.range.hi;
    new_record(c, e, bounds, n, t, 0, dst);
}
