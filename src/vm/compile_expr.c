/* compile_expr.c - literals, constant arrays, operators, casts, assignment
 * (also through paths), arrays and records. */
#include "compile_internal.h"

static void assign_index(Comp *c, VxNode *e);
static void assign_field(Comp *c, VxNode *e);
static void assign_path(Comp *c, VxNode *e);

/* ---- literals -------------------------------------------------------------------- */

void literal(Comp *c, VxNode *e, int dst)
{
    int ik;
    switch (e->kind) {
    case VX_N_INT: {
        VKind k = node_kind(c, e, &ik);
        if (k == K_F64 || k == K_F32) goto as_float;
        if (k != K_INT) { unsupported(c, e, kind_words(c, e)); return; }
        load_int(c, e, dst, (int64_t)e->u.int_lit.value.limb[0]);
        return;
    }
    case VX_N_FLOAT:
    as_float: {
        double v = e->kind == VX_N_FLOAT ? e->u.float_lit.value : (double)e->u.int_lit.value.limb[0];
        VxValue k;
        if (node_kind(c, e, NULL) == K_F32) { k.u = 0; k.f32 = (float)v; }
        else k.f = v;
        emit(c, e, VX_OP_LOADK, 0, dst, add_const(c, k), 0);
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
    if ((x->kind == VX_N_FLOAT || x->kind == VX_N_INT) && (k == K_F64 || k == K_F32)) {
        double v = x->kind == VX_N_FLOAT ? x->u.float_lit.value : (double)x->u.int_lit.value.limb[0];
        if (neg) v = -v;
        out->u = 0;
        if (k == K_F32) out->f32 = (float)v; else out->f = v;
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

VxOp arith_op(VxTokKind op, VKind k, int ik)
{
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

static void arithmetic(Comp *c, VxNode *e, int dst)
{
    int ik = VX_I64, rk;
    VKind k = node_kind(c, e->u.binary.lhs, &ik);
    if (k == K_STR && e->u.binary.op == TK_PLUS) {      /* concatenation */
        int save = c->freereg;
        int a = expr(c, e->u.binary.lhs), b = expr(c, e->u.binary.rhs);
        emit(c, e, VX_OP_CONCAT, 0, dst, a, b);
        release_to(c, e, save);
        return;
    }
    if (k != K_INT && k != K_F64 && k != K_F32 && !(k == K_BOOL && (e->u.binary.op == TK_AMP || e->u.binary.op == TK_PIPE ||
                                                                   e->u.binary.op == TK_CARET))) {
        unsupported(c, e, kind_words(c, e->u.binary.lhs));
        return;
    }
    VxOp op = arith_op(e->u.binary.op, k, ik);
    if (op == VX_OP_COUNT) { unsupported(c, e, "this operator"); return; }
    VKind rkind = node_kind(c, e->u.binary.rhs, &rk);
    if (e->u.binary.op == TK_STARSTAR && (k == K_F64 || k == K_F32) && rkind == K_INT)
        op = k == K_F64 ? VX_OP_POWI_F64 : VX_OP_POWI_F32;
    int save = c->freereg;
    VxNode *lhs = e->u.binary.lhs, *rhs = e->u.binary.rhs;
    bool commutes = e->u.binary.op == TK_PLUS || e->u.binary.op == TK_STAR;
    if (commutes && (lhs->kind == VX_N_INT || lhs->kind == VX_N_FLOAT) && const_operand_op(c, op, lhs) >= 0) {
        VxNode *t = lhs; lhs = rhs; rhs = t;                /* `2.0 * x` as `x * 2.0` */
    }
    int a = expr(c, lhs);
    int kop = const_operand_op(c, op, rhs);
    if (kop >= 0) emit(c, e, (VxOp)kop, 0, dst, a, const_operand(c, rhs));
    else emit(c, e, op, k == K_BOOL ? VX_U8 : ik, dst, a, expr(c, rhs));
    release_to(c, e, save);
}

static void comparison(Comp *c, VxNode *e, int dst)
{
    int ik = VX_I64;
    VKind k = node_kind(c, e->u.binary.lhs, &ik);
    VxTokKind op = e->u.binary.op;
    bool eq = op == TK_EQEQ || op == TK_NE, swap = op == TK_GT || op == TK_GE, le = op == TK_LE || op == TK_GE;
    VxOp o;
    if (k == K_INT || k == K_BOOL) {
        bool uns = k == K_INT && !vx_int_signed((VxIntKind)ik);
        o = eq ? VX_OP_EQ_I64 : le ? (uns ? VX_OP_LE_U64 : VX_OP_LE_I64) : (uns ? VX_OP_LT_U64 : VX_OP_LT_I64);
    } else if (k == K_F64) o = eq ? VX_OP_EQ_F64 : le ? VX_OP_LE_F64 : VX_OP_LT_F64;
    else if (k == K_F32) o = eq ? VX_OP_EQ_F32 : le ? VX_OP_LE_F32 : VX_OP_LT_F32;
    else if (k == K_STR) o = eq ? VX_OP_EQ_STR : le ? VX_OP_LE_STR : VX_OP_LT_STR;
    else if (k == K_ARR || k == K_REC) o = eq ? VX_OP_EQ_OBJ : le ? VX_OP_LE_OBJ : VX_OP_LT_OBJ;   /* deep (compare.c) */
    else { unsupported(c, e, "this comparison"); return; }
    int save = c->freereg;
    int a = expr(c, e->u.binary.lhs), b = expr(c, e->u.binary.rhs);
    emit(c, e, o, k == K_ARR || k == K_REC ? put_kind(c, e->u.binary.lhs) : 0, dst, swap ? b : a, swap ? a : b);
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
    VxDecl *m = vx_sema_operator(c->sema, deref_type(c, lhs->type), rhs ? ctype(c, rhs->type) : NULL, method);
    if (!m || m->ngenerics || m->impl->ngenerics) return false;
    VxNode *argv[2] = { lhs, rhs };
    emit_call(c, e, m, NULL, 0, argv, dst);
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
    if (operator_call(c, e, dst)) return;
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
    int ik = VX_I64;
    VKind k = node_kind(c, e->u.unary.operand, &ik);
    VxNode *x = e->u.unary.operand;
    if (e->u.unary.op == TK_MINUS && x->kind == VX_N_INT && k == K_INT) {   /* `-128i8`: one constant */
        load_int(c, e, dst, (int64_t)(0 - x->u.int_lit.value.limb[0]));
        return;
    }
    if (e->u.unary.op == TK_MINUS && impl_operator(c, e, x, NULL, "neg", dst)) return;
    int save = c->freereg;
    int a = expr(c, e->u.unary.operand);
    switch (e->u.unary.op) {
    case TK_MINUS:
        if (k == K_INT) emit(c, e, ik == VX_I64 ? VX_OP_NEG_I64 : VX_OP_NEG_INT, ik, dst, a, 0);
        else if (k == K_F64) emit(c, e, VX_OP_NEG_F64, 0, dst, a, 0);
        else if (k == K_F32) emit(c, e, VX_OP_NEG_F32, 0, dst, a, 0);
        else unsupported(c, e, kind_words(c, e));
        break;
    case TK_BANG:
        if (k == K_BOOL) emit(c, e, VX_OP_NOT, 0, dst, a, 0);
        else if (k == K_INT) emit(c, e, VX_OP_BNOT, ik, dst, a, 0);
        else unsupported(c, e, kind_words(c, e));
        break;
    default:
        unsupported(c, e, "`&mut` here (only as the argument of a function's `&mut` parameter)");
    }
    release_to(c, e, save);
}

void cast(Comp *c, VxNode *e, int dst)
{
    int from_ik = VX_I64, to_ik = VX_I64;
    VKind from = node_kind(c, e->u.cast.expr, &from_ik), to = node_kind(c, e, &to_ik);
    int save = c->freereg;
    int a = expr(c, e->u.cast.expr);
    if (from == K_BOOL) { from = K_INT; from_ik = VX_U8; }
    if (from == K_INT && to == K_INT) emit(c, e, VX_OP_CAST_INT, to_ik, dst, a, 0);
    else if (from == K_INT && to == K_F64) emit(c, e, VX_OP_INT_F64, from_ik, dst, a, 0);
    else if (from == K_INT && to == K_F32) emit(c, e, VX_OP_INT_F32, from_ik, dst, a, 0);
    else if (from == K_F64 && to == K_INT) emit(c, e, VX_OP_F64_INT, to_ik, dst, a, 0);
    else if (from == K_F32 && to == K_INT) emit(c, e, VX_OP_F32_INT, to_ik, dst, a, 0);
    else if (from == K_F64 && to == K_F32) emit(c, e, VX_OP_F64_F32, 0, dst, a, 0);
    else if (from == K_F32 && to == K_F64) emit(c, e, VX_OP_F32_F64, 0, dst, a, 0);
    else if (from == to) { if (a != dst) emit(c, e, VX_OP_MOVE, 0, dst, a, 0); }
    else unsupported(c, e, "this cast");
    release_to(c, e, save);
}

/* ---- assignment ------------------------------------------------------------------- */

/* The value `lhs op= rhs` stores, into v: rhs itself for `=`, else lhs op rhs. */
static void assigned_value(Comp *c, VxNode *e, int v)
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
    arithmetic(c, &tmp, v);
}

void assign(Comp *c, VxNode *e)
{
    VxNode *lhs = e->u.binary.lhs;
    if (assigns_capture(c, lhs)) return;
    if (map_update_in_place(c, e)) return;
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
        assigned_value(c, e, t);
        emit(c, e, VX_OP_DROP, 0, r, 0, 0);
        emit(c, e, VX_OP_MOVE, 0, r, t, 0);            /* ownership moves: t is dead */
        release_to(c, e, save);
        return;
    }
    assigned_value(c, e, r);
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
    assigned_value(c, e, v);
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

/* a[i] (an element) or a[lo..hi] (a new array). */
void index_expr(Comp *c, VxNode *e, int dst)
{
    VxNode *base = e->u.index.expr;
    if (e->u.index.indices.len == 1 && impl_operator(c, e, base, e->u.index.indices.items[0], "index", dst)) return;
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
    assigned_value(c, e, v);
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
    assigned_value(c, e, v);
    if (is_obj(c, lhs)) c->owned[v] = true;          /* SETF retains: v is released after */
    emit(c, e, VX_OP_SETF, 0, r, f, v);
    release_to(c, e, save);
}
