/* compile_tensor.c - tensor expressions to TENSOR instructions (tensor_ops.h):
 * the prelude's tensor builtins and methods, operators with tensor
 * operands, indexing and slicing, `.shape`/`.grad`/`.T`/`.dtype`, `as`,
 * in-place compound assignment and `no_grad` blocks.  Arguments go into
 * consecutive registers in the runtime's conventions: tensors and arrays
 * as objects, floats as f64, integers and bools as i64. */
#include "compile_internal.h"

#include "tensor_ops.h"

_Static_assert(VX_TPUT_I64 == VX_PUT_INT + VX_I64, "the print kind of i64");

/* ---- dtypes and arguments ------------------------------------------------------- */

static int dtype_code(Comp *c, VxType *dt)
{
    dt = deref_type(c, dt);
    if (dt->kind == VX_T_BOOL) return VX_TDT_BOOL;
    if (dt->kind == VX_T_FLOAT) {
        static const int codes[] = { [VX_F16] = VX_TDT_F16, [VX_BF16] = VX_TDT_BF16, [VX_F32] = VX_TDT_F32, [VX_F64] = VX_TDT_F64 };
        return codes[dt->u.fk];
    }
    if (dt->kind == VX_T_INT) return dt->u.ik == VX_I32 ? VX_TDT_I32 : dt->u.ik == VX_I64 ? VX_TDT_I64 : dt->u.ik == VX_U8 ? VX_TDT_U8 : -1;
    return -1;
}

/* The element type code of the tensor type t, or -1. */
static int tensor_dtype(Comp *c, VxType *t)
{
    t = deref_type(c, t);
    return t->kind == VX_T_TENSOR ? dtype_code(c, t->u.tensor.dtype) : -1;
}

bool ct_is_tensor(Comp *c, VxNode *e) { return node_kind(c, e, NULL) == K_TENSOR; }

/* Can the VM hold this tensor type (an element type the library has)? */
bool ct_dtype_ok(Comp *c, VxType *t) { return tensor_dtype(c, t) >= 0; }

/* An object argument (tensor, array) in the next register, owned. */
static void arg_obj(Comp *c, VxNode *e)
{
    int r = alloc_reg(c, e);
    expr_to(c, e, r);
    c->owned[r] = is_obj(c, e);
}

static void arg_int(Comp *c, VxNode *at, int64_t v) { load_int(c, at, alloc_reg(c, at), v); }

/* A number literal, maybe negated: its value whatever its static type
 * (an f16 tensor's scalar is an f16 literal, which the VM cannot hold). */
static bool number_literal(VxNode *e, double *v)
{
    bool neg = e->kind == VX_N_UNARY && e->u.unary.op == TK_MINUS;
    VxNode *x = neg ? e->u.unary.operand : e;
    if (x->kind == VX_N_FLOAT) *v = x->u.float_lit.value;
    else if (x->kind == VX_N_INT) *v = (double)x->u.int_lit.value.limb[0];
    else return false;
    if (neg) *v = -*v;
    return true;
}

static void arg_f64(Comp *c, VxNode *e)
{
    int r = alloc_reg(c, e), ik = VX_I64;
    double v;
    if (number_literal(e, &v)) {
        VxValue k = { .f = v };
        emit(c, e, VX_OP_LOADK, 0, r, add_const(c, k), 0);
        return;
    }
    VKind k = node_kind(c, e, &ik);
    expr_to(c, e, r);
    if (k == K_F32) emit(c, e, VX_OP_F32_F64, 0, r, r, 0);
    else if (k == K_INT || k == K_BOOL) emit(c, e, VX_OP_INT_F64, k == K_BOOL ? VX_U8 : ik, r, r, 0);
    else if (k != K_F64) unsupported(c, e, kind_words(c, e));
}

static void arg_i64(Comp *c, VxNode *e)
{
    int r = alloc_reg(c, e);
    double v;
    if (number_literal(e, &v)) load_int(c, e, r, (int64_t)v);   /* also the prelude's defaults, like `m: i64 = -1` */
    else expr_to(c, e, r);
}

static void op_to(Comp *c, VxNode *at, int op, int base, int dst)
{
    emit(c, at, VX_OP_TENSOR, op, dst, base, vx_tensor_op_nargs[op]);
}

/* ---- operators ----------------------------------------------------------------------- */

static int bin_code(VxTokKind op)
{
    switch (op) {
    case TK_PLUS: case TK_PLUSEQ: return VX_TB_ADD;
    case TK_MINUS: case TK_MINUSEQ: return VX_TB_SUB;
    case TK_STAR: case TK_DOTSTAR: case TK_STAREQ: return VX_TB_MUL;
    case TK_SLASH: case TK_DOTSLASH: case TK_SLASHEQ: return VX_TB_DIV;
    case TK_STARSTAR: return VX_TB_POW;
    case TK_EQEQ: return VX_TB_EQ;
    case TK_NE: return VX_TB_NE;
    case TK_LT: return VX_TB_LT;
    case TK_LE: return VX_TB_LE;
    case TK_GT: return VX_TB_GT;
    case TK_GE: return VX_TB_GE;
    default: return -1;
    }
}

/* s op t with the scalar on the left: the same op with the tensor first
 * where that is the same thing. */
static int swapped(int op)
{
    switch (op) {
    case VX_TB_ADD: case VX_TB_MUL: case VX_TB_EQ: case VX_TB_NE: return op;
    case VX_TB_LT: return VX_TB_GT;
    case VX_TB_LE: return VX_TB_GE;
    case VX_TB_GT: return VX_TB_LT;
    case VX_TB_GE: return VX_TB_LE;
    default: return -1;
    }
}

/* a op b where a or b is a tensor. */
static void binary_op(Comp *c, VxNode *e, VxNode *a, VxNode *b, int op, int dst)
{
    int save = c->freereg, base = c->freereg;
    bool ta = ct_is_tensor(c, a), tb = ct_is_tensor(c, b);
    if (ta && tb) { arg_obj(c, a); arg_obj(c, b); }
    else if (ta) { arg_obj(c, a); arg_f64(c, b); }
    else if (swapped(op) >= 0) { op = swapped(op); arg_obj(c, b); arg_f64(c, a); ta = true; tb = false; }
    else { arg_f64(c, a); arg_obj(c, b); }
    arg_int(c, e, op);
    op_to(c, e, ta && tb ? VX_TOP_BIN_TT : ta ? VX_TOP_BIN_TS : VX_TOP_BIN_ST, base, dst);
    release_to(c, e, save);
}

static void two_tensors(Comp *c, VxNode *at, VxNode *a, VxNode *b, int op, int dst)
{
    int save = c->freereg, base = c->freereg;
    arg_obj(c, a);
    arg_obj(c, b);
    op_to(c, at, op, base, dst);
    release_to(c, at, save);
}

bool ct_binary(Comp *c, VxNode *e, int dst)
{
    VxNode *a = e->u.binary.lhs, *b = e->u.binary.rhs;
    if (!ct_is_tensor(c, a) && !ct_is_tensor(c, b)) return false;
    if (e->u.binary.op == TK_AT) { two_tensors(c, e, a, b, VX_TOP_MATMUL, dst); return true; }
    int op = bin_code(e->u.binary.op);
    if (op < 0) { unsupported(c, e, "this operator on tensors"); return true; }
    binary_op(c, e, a, b, op, dst);
    return true;
}

static void unary_code(Comp *c, VxNode *at, VxNode *x, int code, int dst)
{
    int save = c->freereg, base = c->freereg;
    arg_obj(c, x);
    arg_int(c, at, code);
    op_to(c, at, VX_TOP_UNARY, base, dst);
    release_to(c, at, save);
}

bool ct_unary(Comp *c, VxNode *e, int dst)
{
    if (e->u.unary.op != TK_MINUS || !ct_is_tensor(c, e->u.unary.operand)) return false;
    unary_code(c, e, e->u.unary.operand, VX_TU_NEG, dst);
    return true;
}

/* t as f64: a converted copy (t itself when the dtype is the same). */
bool ct_cast(Comp *c, VxNode *e, int dst)
{
    if (!ct_is_tensor(c, e->u.cast.expr)) return false;
    int dt = tensor_dtype(c, e->type);
    if (dt < 0) { unsupported(c, e, kind_words(c, e)); return true; }
    int save = c->freereg, base = c->freereg;
    arg_obj(c, e->u.cast.expr);
    arg_int(c, e, dt);
    op_to(c, e, VX_TOP_TO, base, dst);
    release_to(c, e, save);
    return true;
}

/* ---- indexing ----------------------------------------------------------------------------- */

/* The [i64] array of the indices (GET/SET) or of SLICE's spec triples. */
static void index_array(Comp *c, VxNode *e, bool spec)
{
    VxNodeList idx = e->u.index.indices;
    int arr = alloc_reg(c, e), base = c->freereg;
    for (int i = 0; i < idx.len; i++) {
        VxNode *ix = idx.items[i];
        if (!spec) { arg_i64(c, ix); continue; }
        if (ix->kind == VX_N_FULL_SLICE) { arg_int(c, ix, VX_TIX_FULL); arg_int(c, ix, 0); arg_int(c, ix, 0); continue; }
        if (ix->kind != VX_N_RANGE) { arg_int(c, ix, VX_TIX_INT); arg_i64(c, ix); arg_int(c, ix, 0); continue; }
        arg_int(c, ix, VX_TIX_RANGE);
        if (ix->u.range.lo) arg_i64(c, ix->u.range.lo); else arg_int(c, ix, 0);
        if (!ix->u.range.hi) { arg_int(c, ix, INT64_MAX); continue; }
        arg_i64(c, ix->u.range.hi);
        if (ix->u.range.inclusive) emit(c, ix, VX_OP_ADDI_I64, 0, c->freereg - 1, c->freereg - 1, 1);
    }
    emit(c, e, VX_OP_NEWARR, VX_TPUT_I64, arr, base, c->freereg - base);
    c->freereg = base;
    c->owned[arr] = true;
}

/* t[i, j] (every dim an integer: an element) or t[1..3, :, 2] (a view). */
bool ct_index(Comp *c, VxNode *e, int dst)
{
    if (!ct_is_tensor(c, e->u.index.expr)) return false;
    bool element = !ct_is_tensor(c, e);
    if (element && node_kind(c, e, NULL) == K_OTHER) { unsupported(c, e, kind_words(c, e)); return true; }
    int save = c->freereg, base = c->freereg;
    arg_obj(c, e->u.index.expr);
    index_array(c, e, !element);
    op_to(c, e, element ? VX_TOP_GET : VX_TOP_SLICE, base, dst);
    release_to(c, e, save);
    return true;
}

/* ---- assignment ------------------------------------------------------------------------------- */

/* t op= x updates t's elements in place (PyTorch's `t -= x`); t[i, j] = v
 * writes one element.  Plain `t = x` rebinds (compile_expr.c). */
bool ct_assign(Comp *c, VxNode *e)
{
    VxNode *lhs = e->u.binary.lhs;
    int save = c->freereg, base = c->freereg;
    if (lhs->kind == VX_N_INDEX && ct_is_tensor(c, lhs->u.index.expr) && !ct_is_tensor(c, lhs)) {
        if (e->u.binary.op != TK_EQ) { unsupported(c, e, "compound assignment to a tensor element (write `t[i] = t[i] + x`)"); return true; }
        arg_obj(c, lhs->u.index.expr);
        index_array(c, lhs, false);
        arg_f64(c, e->u.binary.rhs);
        op_to(c, e, VX_TOP_SET, base, alloc_reg(c, e));
        release_to(c, e, save);
        return true;
    }
    if (!ct_is_tensor(c, lhs) || e->u.binary.op == TK_EQ) return false;
    int op = bin_code(e->u.binary.op);
    if (op < 0 || op > VX_TB_DIV) { unsupported(c, e, "this compound assignment on tensors"); return true; }
    bool scalar = !ct_is_tensor(c, e->u.binary.rhs);
    arg_obj(c, lhs);
    if (scalar) arg_f64(c, e->u.binary.rhs); else arg_obj(c, e->u.binary.rhs);
    arg_int(c, e, op);
    arg_int(c, e, scalar);
    op_to(c, e, VX_TOP_IOP, base, alloc_reg(c, e));
    release_to(c, e, save);
    return true;
}

/* ---- fields ------------------------------------------------------------------------------------- */

bool ct_field(Comp *c, VxNode *e, int dst)
{
    VxNode *t = e->u.field_access.expr;
    if (!ct_is_tensor(c, t)) return false;
    static const struct { const char *name; int op; } fields[] = {
        {"shape", VX_TOP_SHAPE}, {"grad", VX_TOP_GRAD}, {"T", VX_TOP_MT}, {"dtype", VX_TOP_DTYPE} };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strcmp(fields[i].name, e->u.field_access.name) != 0) continue;
        int save = c->freereg, base = c->freereg;
        arg_obj(c, t);
        op_to(c, e, fields[i].op, base, dst);
        release_to(c, e, save);
        return true;
    }
    unsupported(c, e, "this tensor field");
    return true;
}

/* ---- builtin calls and methods ------------------------------------------------------------------- */

/* The argument for parameter `name` of d: named, positional (after the
 * receiver for methods), or NULL when not written. */
static VxNode *given(VxDecl *d, VxNodeList args, bool method, const char *name)
{
    for (int i = 0; i < args.len; i++)
        if (args.items[i]->kind == VX_N_NAMED_ARG && strcmp(args.items[i]->u.named_arg.name, name) == 0)
            return args.items[i]->u.named_arg.value;
    for (int i = 0, p = method; i < args.len && p < d->nparams; i++, p++) {
        if (args.items[i]->kind == VX_N_NAMED_ARG) break;
        if (strcmp(d->param_names[p], name) == 0) return args.items[i];
    }
    return NULL;
}

/* ... or its default. */
static VxNode *param(Comp *c, VxNode *at, VxDecl *d, VxNodeList args, bool method, const char *name)
{
    VxNode *a = given(d, args, method, name);
    for (int p = 0; !a && p < d->nparams; p++)
        if (strcmp(d->param_names[p], name) == 0) a = d->defaults[p];
    if (!a) unsupported(c, at, "this call (an argument is missing)");
    return a;
}

typedef struct Call { Comp *c; VxNode *at; VxDecl *d; VxNodeList args; bool method; VxNode *self; VxType *ret; } Call;

static VxNode *P(Call *k, const char *name) { return param(k->c, k->at, k->d, k->args, k->method, name); }

/* Each kind of argument by parameter name; a missing one fails the compile. */
static void A_obj(Call *k, const char *n) { VxNode *a = P(k, n); if (a) arg_obj(k->c, a); }
static void A_f64(Call *k, const char *n) { VxNode *a = P(k, n); if (a) arg_f64(k->c, a); }
static void A_i64(Call *k, const char *n) { VxNode *a = P(k, n); if (a) arg_i64(k->c, a); }
static void A_first(Call *k) { if (k->method) arg_obj(k->c, k->self); else A_obj(k, k->d->param_names[0]); }

/* A random op's seed: the one written, else a draw from the global
 * generator (manual_seed), so that two calls give different tensors. */
static void A_seed(Call *k)
{
    VxNode *seed = given(k->d, k->args, k->method, "seed");
    if (seed) { arg_i64(k->c, seed); return; }
    op_to(k->c, k->at, VX_TOP_DRAW_SEED, 0, alloc_reg(k->c, k->at));
}

static void A_dtype(Call *k, VxType *t)
{
    int dt = tensor_dtype(k->c, t);
    if (dt < 0) { unsupported(k->c, k->at, kind_words(k->c, k->at)); dt = 0; }
    arg_int(k->c, k->at, dt);
}

/* sum, mean, ...: over `dim` when it is written, else over everything. */
static void reduction(Call *k, int code)
{
    VxNode *dim = given(k->d, k->args, k->method, "dim");
    A_first(k);
    arg_int(k->c, k->at, code);
    if (dim) arg_i64(k->c, dim); else arg_int(k->c, k->at, 0);
    arg_int(k->c, k->at, dim != NULL);
    VxNode *keep = given(k->d, k->args, k->method, "keepdim");
    if (keep) arg_i64(k->c, keep); else arg_int(k->c, k->at, 0);
    VxValue one = { .f = 1.0 };
    emit(k->c, k->at, VX_OP_LOADK, 0, alloc_reg(k->c, k->at), add_const(k->c, one), 0);
}

static const struct { const char *name; int code; } unary_names[] = {
    {"exp", VX_TU_EXP}, {"log", VX_TU_LOG}, {"sqrt", VX_TU_SQRT}, {"rsqrt", VX_TU_RSQRT}, {"tanh", VX_TU_TANH},
    {"sigmoid", VX_TU_SIGMOID}, {"relu", VX_TU_RELU}, {"gelu", VX_TU_GELU}, {"silu", VX_TU_SILU},
    {"softplus", VX_TU_SOFTPLUS}, {"abs", VX_TU_ABS}, {"gelu_tanh", VX_TU_GELU_TANH} };

static const struct { const char *name; int code; } reduce_names[] = {
    {"sum", VX_TR_SUM}, {"mean", VX_TR_MEAN}, {"prod", VX_TR_PROD}, {"max", VX_TR_MAX}, {"min", VX_TR_MIN},
    {"argmax", VX_TR_ARGMAX}, {"argmin", VX_TR_ARGMIN}, {"var", VX_TR_VAR}, {"std", VX_TR_STD},
    {"logsumexp", VX_TR_LOGSUMEXP} };

/* Methods and functions that share an argument layout: the op, or -1. */
static int common(Call *k, const char *n, VxType *ret)
{
    for (size_t i = 0; i < sizeof unary_names / sizeof unary_names[0]; i++)
        if (strcmp(n, unary_names[i].name) == 0) { A_first(k); arg_int(k->c, k->at, unary_names[i].code); return VX_TOP_UNARY; }
    for (size_t i = 0; i < sizeof reduce_names / sizeof reduce_names[0]; i++)
        if (strcmp(n, reduce_names[i].name) == 0) { reduction(k, reduce_names[i].code); return VX_TOP_REDUCE; }
    if (strcmp(n, "clamp") == 0) { A_first(k); A_f64(k, "lo"); A_f64(k, "hi"); return VX_TOP_CLAMP; }
    if (strcmp(n, "transpose") == 0) { A_first(k); A_i64(k, "dim0"); A_i64(k, "dim1"); return VX_TOP_TRANSPOSE; }
    if (strcmp(n, "reshape") == 0 || strcmp(n, "view") == 0 || strcmp(n, "expand") == 0) {
        A_first(k);
        A_obj(k, "shape");
        return n[0] == 'r' ? VX_TOP_RESHAPE : n[0] == 'v' ? VX_TOP_VIEW : VX_TOP_EXPAND;
    }
    if (strcmp(n, "permute") == 0) { A_first(k); A_obj(k, "dims"); return VX_TOP_PERMUTE; }
    if (strcmp(n, "unsqueeze") == 0) { A_first(k); A_i64(k, "dim"); return VX_TOP_UNSQUEEZE; }
    if (strcmp(n, "squeeze") == 0) {
        VxNode *dim = given(k->d, k->args, k->method, "dim");
        A_first(k);
        if (dim) arg_i64(k->c, dim); else arg_int(k->c, k->at, 0);
        arg_int(k->c, k->at, dim != NULL);
        return VX_TOP_SQUEEZE;
    }
    static const struct { const char *name; int op; } one_tensor[] = {
        {"contiguous", VX_TOP_CONTIGUOUS}, {"detach", VX_TOP_DETACH}, {"clone", VX_TOP_CLONE},
        {"requires_grad", VX_TOP_REQUIRES_GRAD}, {"backward", VX_TOP_BACKWARD}, {"grad", VX_TOP_GRAD},
        {"zero_grad", VX_TOP_ZERO_GRAD}, {"item", VX_TOP_ITEM}, {"numel", VX_TOP_NUMEL},
        {"zeros_like", VX_TOP_ZEROS_LIKE}, {"ones_like", VX_TOP_ONES_LIKE} };
    for (size_t i = 0; i < sizeof one_tensor / sizeof one_tensor[0]; i++)
        if (strcmp(n, one_tensor[i].name) == 0) {
            if (one_tensor[i].op == VX_TOP_ITEM && kind_of(k->c, ret, NULL) == K_OTHER) return -1;
            A_first(k);
            return one_tensor[i].op;
        }
    return -1;
}

/* where(cond, a, b) / select(cond, a, b): a and b tensors or scalars. */
static int where_call(Call *k, VxType *ret)
{
    VxNode *a = P(k, k->d->param_names[1]), *b = P(k, k->d->param_names[2]);
    if (!a || !b) return -1;
    A_obj(k, k->d->param_names[0]);
    bool sa = !ct_is_tensor(k->c, a), sb = !ct_is_tensor(k->c, b);
    if (sa) arg_f64(k->c, a); else arg_obj(k->c, a);
    if (sb) arg_f64(k->c, b); else arg_obj(k->c, b);
    arg_int(k->c, k->at, sa | sb << 1);
    A_dtype(k, ret);
    return VX_TOP_WHERE;
}

/* zeros, ones, full, randn, uniform, ... : the dtype of the result type. */
static int creation(Call *k, const char *n, VxType *ret)
{
    if (strcmp(n, "zeros") == 0 || strcmp(n, "ones") == 0) { A_obj(k, "shape"); A_dtype(k, ret); return n[0] == 'z' ? VX_TOP_ZEROS : VX_TOP_ONES; }
    if (strcmp(n, "full") == 0) { A_obj(k, "shape"); A_f64(k, "value"); A_dtype(k, ret); return VX_TOP_FULL; }
    if (strcmp(n, "randn") == 0 || strcmp(n, "uniform") == 0) {
        A_obj(k, "shape");
        A_seed(k);
        A_dtype(k, ret);
        return n[0] == 'r' ? VX_TOP_RANDN : VX_TOP_RAND;
    }
    if (strcmp(n, "randint_tensor") == 0) { A_i64(k, "low"); A_i64(k, "high"); A_obj(k, "shape"); A_seed(k); A_dtype(k, ret); return VX_TOP_RANDINT; }
    if (strcmp(n, "arange") == 0) {
        A_f64(k, "start");
        A_f64(k, "end");
        A_f64(k, "step");
        A_dtype(k, ret);
        return VX_TOP_ARANGE;
    }
    if (strcmp(n, "linspace") == 0) { A_f64(k, "start"); A_f64(k, "end"); A_i64(k, "steps"); A_dtype(k, ret); return VX_TOP_LINSPACE; }
    if (strcmp(n, "eye") == 0) { A_i64(k, "n"); A_i64(k, "m"); A_dtype(k, ret); return VX_TOP_EYE; }
    if (strcmp(n, "tensor") == 0) { A_obj(k, "data"); A_dtype(k, ret); return VX_TOP_FROM_ARRAY; }
    return -1;
}

/* parameters(model) / named_parameters(model): the walk is at run time
 * (tensor_params.c); a model that is no object holds no tensors. */
static int params_call(Call *k, bool named, VxType *ret)
{
    VxNode *m = P(k, "model");
    if (!m) return -1;
    arg_obj(k->c, m);
    arg_int(k->c, k->at, is_obj(k->c, m) | named << 1);
    if (named) emit(k->c, k->at, VX_OP_LOADK, 0, alloc_reg(k->c, k->at), desc_const(k->c, ret->u.arr.elem, 0), 0);
    else arg_int(k->c, k->at, 0);
    return VX_TOP_PARAMS;
}

/* A tensor parameter that may be left out (conv's bias, whose prelude
 * default only names the absence). */
static void A_optional(Call *k, const char *name)
{
    VxNode *a = given(k->d, k->args, k->method, name);
    if (a) arg_obj(k->c, a); else arg_int(k->c, k->at, 0);
    arg_int(k->c, k->at, a != NULL);
}

/* Arguments by a spec of space-separated parameters, each with its kind
 * first: "x:" the receiver or first argument, "o:" an object, "f:" an
 * f64, "i:" an i64, "s:" a seed (A_seed), "#:" the integer that follows,
 * "b:" an optional tensor (it and 1 when written, else 0 and 0), "d:"
 * the descriptor of the call's (tuple) result type. */
static void A_spec(Call *k, const char *spec)
{
    char name[64];
    for (const char *p = spec; *p;) {
        char kind = p[0];
        size_t n = strcspn(p + 2, " ");
        if (n >= sizeof name) n = sizeof name - 1;
        memcpy(name, p + 2, n);
        name[n] = 0;
        switch (kind) {
        case 'x': A_first(k); break;
        case 'o': A_obj(k, name); break;
        case 'f': A_f64(k, name); break;
        case 'i': A_i64(k, name); break;
        case 's': A_seed(k); break;
        case 'b': A_optional(k, name); break;
        case 'd': emit(k->c, k->at, VX_OP_LOADK, 0, alloc_reg(k->c, k->at), desc_const(k->c, k->ret, 0), 0); break;
        default: arg_int(k->c, k->at, strtoll(name, NULL, 10)); break;
        }
        p += 2 + n;
        while (*p == ' ') p++;
    }
}

/* The specs below spell these codes as numbers. */
_Static_assert(VX_TO_SGD == 0 && VX_TO_ADAM == 1 && VX_TO_ADAMW == 2 && VX_TS_STEP == 1 && VX_TS_COSINE == 2 &&
               VX_TS_LINEAR == 3, "optimizer and schedule codes");

/* The nn functions of tensor_nn.h, the global generator, copy_, the
 * optimizers and schedules, and the weight files. */
typedef struct SpecCall { const char *name; int op; const char *spec; } SpecCall;

static const SpecCall spec_calls[] = {
    {"softmax", VX_TOP_SOFTMAX, "x: i:dim #:0"},
    {"log_softmax", VX_TOP_SOFTMAX, "x: i:dim #:1"},
    {"layer_norm", VX_TOP_LAYER_NORM, "x: o:weight o:bias f:eps"},
    {"rms_norm", VX_TOP_RMS_NORM, "x: o:weight f:eps"},
    {"embedding", VX_TOP_EMBEDDING, "o:weight o:indices"},
    {"cross_entropy", VX_TOP_CROSS_ENTROPY, "o:logits o:targets i:ignore_index f:label_smoothing"},
    {"mse_loss", VX_TOP_MSE_LOSS, "o:pred o:target"},
    {"dropout", VX_TOP_DROPOUT, "x: f:p i:training s:"},
    {"scaled_dot_product_attention", VX_TOP_SDPA, "o:q o:k o:v i:causal"},
    {"manual_seed", VX_TOP_MANUAL_SEED, "i:seed"},
    {"multinomial", VX_TOP_MULTINOMIAL, "o:probs"},
    {"copy_", VX_TOP_COPY, "x: o:src"},
    {"checkpoint", VX_TOP_CHECKPOINT, "o:f o:x #:0 #:0 #:1"},
    {"checkpoint2", VX_TOP_CHECKPOINT, "o:f o:x o:y #:0 #:2"},
    {"checkpoint3", VX_TOP_CHECKPOINT, "o:f o:x o:y o:z #:3"},
    {"tensor_live_bytes", VX_TOP_MEM_PEAK, "#:0"},
    {"tensor_peak_bytes", VX_TOP_MEM_PEAK, "#:1"},
    {"tensor_reset_peak", VX_TOP_MEM_PEAK, "#:2"},
    /* SGD's third hyperparameter is unused; nesterov is an i64 (a bool default has no f64 form) */
    {"SGD", VX_TOP_OPTIM_NEW, "o:params #:0 f:lr f:momentum i:nesterov #:0 f:weight_decay"},
    {"Adam", VX_TOP_OPTIM_NEW, "o:params #:1 f:lr f:beta1 f:beta2 f:eps f:weight_decay"},
    {"AdamW", VX_TOP_OPTIM_NEW, "o:params #:2 f:lr f:beta1 f:beta2 f:eps f:weight_decay"},
    {"clip_grad_norm", VX_TOP_CLIP_GRAD, "o:params f:max_norm"},
    {"lr_cosine", VX_TOP_LR_SCHED, "#:2 f:base i:step i:warmup i:total f:min_lr"},
    {"lr_linear", VX_TOP_LR_SCHED, "#:3 f:base i:step i:warmup i:total f:min_lr"},
    {"lr_step", VX_TOP_LR_SCHED, "#:1 f:base i:step i:step_size #:0 f:gamma"},
    {"save_safetensors", VX_TOP_SAVE_ST, "o:path o:named"},
};

/* tensor_shape.h's ops, called as functions or methods (t.sort(), t.split(2)). */
static const SpecCall shape_calls[] = {
    {"cat", VX_TOP_CAT, "o:tensors i:dim #:0"},
    {"stack", VX_TOP_CAT, "o:tensors i:dim #:1"},
    {"split", VX_TOP_SPLIT, "x: i:size i:dim #:0"},
    {"chunk", VX_TOP_SPLIT, "x: i:chunks i:dim #:1"},
    {"gather", VX_TOP_GATHER, "x: i:dim o:index"},
    {"scatter_add", VX_TOP_SCATTER_ADD, "x: i:dim o:index o:src"},
    {"index_select", VX_TOP_INDEX_SELECT, "x: i:dim o:index"},
    {"masked_fill", VX_TOP_MASKED_FILL, "x: o:mask f:value"},
    {"one_hot", VX_TOP_ONE_HOT, "o:indices i:num_classes"},
    {"tril", VX_TOP_TRI, "x: i:k #:0"},
    {"triu", VX_TOP_TRI, "x: i:k #:1"},
    {"cumsum", VX_TOP_CUMSUM, "x: i:dim"},
    {"sort", VX_TOP_SORT, "x: i:dim i:descending d:"},
    {"topk", VX_TOP_TOPK, "x: i:k i:dim i:largest d:"},
    {"conv1d", VX_TOP_CONV, "x: o:weight b:bias i:stride i:padding i:dilation i:groups #:1"},
    {"conv2d", VX_TOP_CONV, "x: o:weight b:bias i:stride i:padding i:dilation i:groups #:2"},
    {"max_pool2d", VX_TOP_POOL, "x: i:kernel_size i:stride i:padding #:0"},
    {"avg_pool2d", VX_TOP_POOL, "x: i:kernel_size i:stride i:padding #:1"},
};

static int shape_call(Call *k, const char *n)
{
    for (size_t i = 0; i < sizeof shape_calls / sizeof shape_calls[0]; i++)
        if (strcmp(n, shape_calls[i].name) == 0) {
            A_spec(k, shape_calls[i].spec);
            return shape_calls[i].op;
        }
    return -1;
}

/* `for row in t`: the array of t's rows (or a 1-D t's elements, of type
 * elem) in a new register, owned. */
int ct_unbind(Comp *c, VxNode *iter, VxType *elem)
{
    int rows = alloc_reg(c, iter), base = c->freereg;
    arg_obj(c, iter);
    arg_int(c, iter, elem_put_kind(c, elem));
    op_to(c, iter, VX_TOP_UNBIND, base, rows);
    release_to(c, iter, base);
    c->owned[rows] = true;
    return rows;
}

static int nn_call(Call *k, const char *n, VxType *ret)
{
    for (size_t i = 0; i < sizeof spec_calls / sizeof spec_calls[0]; i++)
        if (strcmp(n, spec_calls[i].name) == 0 && (spec_calls[i].op == VX_TOP_COPY) == k->method) {
            A_spec(k, spec_calls[i].spec);
            return spec_calls[i].op;
        }
    if (k->method) return -1;
    if (strcmp(n, "parameters") == 0 || strcmp(n, "named_parameters") == 0) return params_call(k, n[0] == 'n', ret);
    if (strcmp(n, "load_safetensors") == 0) {
        A_obj(k, "path");
        emit(k->c, k->at, VX_OP_LOADK, 0, alloc_reg(k->c, k->at), desc_const(k->c, ret->u.arr.elem, 0), 0);
        return VX_TOP_LOAD_ST;
    }
    return -1;
}

/* opt.step(), opt.zero_grad(), opt.set_lr(lr), opt.lr(), opt.save(path), opt.load(path). */
static int optim_method(Call *k, const char *n)
{
    static const char *const names[VX_TM_COUNT] = { "step", "zero_grad", "set_lr", "lr", "save", "load" };
    for (int m = 0; m < VX_TM_COUNT; m++) {
        if (strcmp(n, names[m]) != 0) continue;
        A_first(k);
        arg_int(k->c, k->at, m);
        if (m == VX_TM_SET_LR) A_f64(k, "lr");
        else if (m == VX_TM_SAVE || m == VX_TM_LOAD) A_obj(k, "path");
        else arg_int(k->c, k->at, 0);
        return VX_TOP_OPTIM;
    }
    return -1;
}

static bool tensor_call(Call *k, const char *name, VxType *ret, int dst)
{
    Comp *c = k->c;
    int save = c->freereg, base = c->freereg, op = -1;
    if (strcmp(name, "matmul") == 0 || strcmp(name, "maximum") == 0 || strcmp(name, "minimum") == 0) {
        VxNode *a = P(k, k->d->param_names[0]), *b = P(k, k->d->param_names[1]);
        if (!a || !b) return true;
        if (name[1] == 'a' && name[2] == 't') two_tensors(c, k->at, a, b, VX_TOP_MATMUL, dst);
        else binary_op(c, k->at, a, b, name[1] == 'a' ? VX_TB_MAXIMUM : VX_TB_MINIMUM, dst);
        return true;
    }
    if (k->method && node_kind(c, k->self, NULL) == K_HANDLE) {
        op = optim_method(k, name);
        if (op < 0) { c->freereg = save; return false; }
    }
    if (op < 0 && (strcmp(name, "where_") == 0 || strcmp(name, "select") == 0)) op = where_call(k, ret);
    if (op < 0 && !k->method) op = creation(k, name, ret);
    if (op < 0) op = shape_call(k, name);
    if (op < 0) op = nn_call(k, name, ret);
    if (op < 0) op = common(k, name, ret);
    if (op < 0) { c->freereg = save; return false; }
    if (c->freereg - base != vx_tensor_op_nargs[op]) { unsupported(c, k->at, "this tensor call"); return true; }
    op_to(c, k->at, op, base, dst);
    release_to(c, k->at, save);
    return true;
}

/* A prelude builtin called with tensors (or making one). */
bool ct_call(Comp *c, VxNode *call, VxDecl *d, int dst)
{
    VxNodeList args = call->u.call.args;
    static const char *const no_tensor_args[] = { "manual_seed", "parameters", "named_parameters", "lr_cosine", "lr_linear",
                                                  "lr_step", "save_safetensors", "load_safetensors", "tensor_live_bytes",
                                                  "tensor_peak_bytes", "tensor_reset_peak" };
    bool any = ct_is_tensor(c, call);
    for (size_t i = 0; i < sizeof no_tensor_args / sizeof no_tensor_args[0] && !any; i++)
        any = strcmp(d->name, no_tensor_args[i]) == 0;
    for (int i = 0; i < args.len && !any; i++) {
        VxNode *a = args.items[i]->kind == VX_N_NAMED_ARG ? args.items[i]->u.named_arg.value : args.items[i];
        any = ct_is_tensor(c, a) || (node_kind(c, a, NULL) == K_ARR && kind_of(c, elem_type(c, a), NULL) == K_TENSOR);
    }
    if (!any) return false;
    Call k = { c, call, d, args, false, NULL, ctype(c, call->type) };
    return tensor_call(&k, d->name, k.ret, dst);
}

bool ct_method(Comp *c, VxNode *e, int dst)
{
    VxNode *recv = e->u.method.recv;
    if (!ct_is_tensor(c, recv) && node_kind(c, recv, NULL) != K_HANDLE) return false;
    VxDecl *m = vx_sema_method(c->sema, deref_type(c, recv->type), e->u.method.name);
    if (!m || !m->builtin) return false;
    Call k = { c, e, m, e->u.method.args, true, recv, ctype(c, e->type) };
    return tensor_call(&k, e->u.method.name, k.ret, dst);
}

/* ---- no_grad ---------------------------------------------------------------------------------------- */

/* no_grad { body }: autodiff stops recording inside; every way out of the
 * block (its end, break, continue, return, `?`) pops what it pushed, and
 * a runtime error ends the program (vm_tensor_finish resets the mode). */
void ct_no_grad(Comp *c, VxNode *e, int dst)
{
    op_to(c, e, VX_TOP_NO_GRAD_PUSH, 0, 0);
    c->no_grad++;
    block_to(c, e->u.no_grad.body, dst);
    c->no_grad--;
    op_to(c, e, VX_TOP_NO_GRAD_POP, 0, 0);
}

/* A jump out of the no_grad blocks entered since depth `level`. */
void ct_no_grad_exit(Comp *c, VxNode *at, int level)
{
    for (int k = level; k < c->no_grad; k++) op_to(c, at, VX_TOP_NO_GRAD_POP, 0, 0);
}
