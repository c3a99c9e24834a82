/* compile_call.c - calls: argument matching, methods, and the builtins
 * (print, format, HashMap, Option and Result helpers...). */
#include "compile_internal.h"

static bool option_ctor(Comp *c, VxNode *call, VxDecl *d, int dst);

/* ---- calls --------------------------------------------------------------------------- */

int put_kind(Comp *c, VxNode *e)
{
    if (node_kind(c, e, NULL) == K_UNIT) return VX_PUT_UNIT;
    return elem_put_kind(c, e->type);
}

/* Can evaluating e change a local or print?  (Literals and names cannot.) */
static bool inert(Comp *c, VxNode *e)
{
    return e->kind == VX_N_STRING || e->kind == VX_N_INT || e->kind == VX_N_FLOAT || e->kind == VX_N_BOOL || local_of(c, e) >= 0;
}

/* print(a, b): every argument is evaluated before anything is written, so
 * output made while computing b comes first (as in Rust and Python); a
 * variable is copied when a later argument could change it. */
static void print_call(Comp *c, VxNode *call, VxDecl *d)
{
    VxNodeList args = call->u.call.args;
    int save = c->freereg, reg[256];
    if (args.len > 256) { unsupported(c, call, "printing more than 256 values"); return; }
    int later_effects = 0;                            /* index past the last argument with effects */
    for (int i = 0; i < args.len; i++) if (!inert(c, args.items[i])) later_effects = i + 1;
    for (int i = 0; i < args.len; i++) {
        VxNode *a = args.items[i];
        if (a->kind == VX_N_STRING) continue;
        if (put_kind(c, a) < 0) { unsupported(c, a, "printing of this type"); return; }
        if (local_of(c, a) >= 0 && i < later_effects - 1) {
            reg[i] = alloc_reg(c, a);
            expr_to(c, a, reg[i]);
            c->owned[reg[i]] = is_obj(c, a);
        } else reg[i] = expr(c, a);
    }
    for (int i = 0; i < args.len; i++) {
        VxNode *a = args.items[i];
        if (i) emit(c, call, VX_OP_PUTK, 0, 0, string_const(c, " ", 1), 0);
        if (a->kind == VX_N_STRING) emit(c, a, VX_OP_PUTK, 0, 0, string_const(c, a->u.str.value, a->u.str.len), 0);
        else emit(c, a, VX_OP_PUT, put_kind(c, a), reg[i], 0, 0);
    }
    release_to(c, call, save);
    if (strcmp(d->name, "println") == 0) emit(c, call, VX_OP_PUTK, 0, 0, string_const(c, "\n", 1), 0);
}

static const struct { const char *name; VxMathFn fn; } math_fns[] = {
    {"sqrt", VX_MATH_SQRT}, {"exp", VX_MATH_EXP}, {"log", VX_MATH_LOG}, {"log2", VX_MATH_LOG2},
    {"sin", VX_MATH_SIN}, {"cos", VX_MATH_COS}, {"tan", VX_MATH_TAN}, {"tanh", VX_MATH_TANH},
    {"floor", VX_MATH_FLOOR}, {"ceil", VX_MATH_CEIL}, {"round", VX_MATH_ROUND}, {"abs", VX_MATH_ABS},
};

/* dst := t ? yes(y) : no(n), yes and no one-operand instructions (yes
 * with type byte yt). */
static void choose(Comp *c, VxNode *at, int t, VxOp yes, int yt, int y, VxOp no, int n, int dst)
{
    int to_no = emit_jump(c, at, VX_OP_JMPIFNOT, t);
    emit(c, at, yes, yt, dst, y, 0);
    int to_end = emit_jump(c, at, VX_OP_JMP, 0);
    patch_here(c, to_no);
    emit(c, at, no, 0, dst, n, 0);
    patch_here(c, to_end);
}

/* abs(x) on an integer: x < 0 ? -x : x, the negation checked (abs of
 * the type's minimum overflows, as in Rust); unsigned x is itself. */
static bool int_abs(Comp *c, VxNode *call, int dst)
{
    int ik = VX_I64;
    node_kind(c, call, &ik);
    if (vx_int_bits((VxIntKind)ik) > 64) return false;
    int save = c->freereg, x = expr(c, call->u.call.args.items[0]);
    if (!vx_int_signed((VxIntKind)ik)) {
        emit(c, call, VX_OP_MOVE, 0, dst, x, 0);
    } else {
        int t = alloc_reg(c, call);
        load_int(c, call, t, 0);
        emit(c, call, VX_OP_LT_I64, 0, t, x, t);
        choose(c, call, t, ik == VX_I64 ? VX_OP_NEG_I64 : VX_OP_NEG_INT, ik, x, VX_OP_MOVE, x, dst);
    }
    release_to(c, call, save);
    return true;
}

/* A placeholder's spec `:[[fill]align][+][#][0][width][.prec][type]`
 * (between p and end; type one of `e x X b o ?`), packed as the VM reads
 * it (VX_FMT_* in bytecode.h). */
static bool parse_spec(const char *p, const char *end, int64_t *out)
{
    if (p >= end || *p++ != ':') return false;
    int64_t fill = ' ', align = 0, width = 0, prec = VX_FMT_NOPREC, exp = 0, plus = 0, alt = 0, type = VX_FMT_PLAIN;
    if (end - p >= 2 && strchr("<^>", p[1]) && (unsigned char)p[0] < 0x80) { fill = p[0]; align = p[1]; p += 2; }
    else if (p < end && strchr("<^>", *p)) align = *p++;
    if (p < end && *p == '+') { plus = 1; p++; }
    if (p < end && *p == '#') { alt = 1; p++; }
    int64_t zero = 0;
    if (p < end && *p == '0') { zero = 1; p++; }   /* `{:08.2}`: zeros after the sign */
    while (p < end && *p >= '0' && *p <= '9' && width < 10000) width = width * 10 + (*p++ - '0');
    if (p < end && *p == '.') {
        p++;
        if (p >= end || *p < '0' || *p > '9') return false;
        for (prec = 0; p < end && *p >= '0' && *p <= '9' && prec < 1000; p++) prec = prec * 10 + (*p - '0');
    }
    static const char types[] = "xXbo?";
    if (p < end && *p == 'e') { exp = 1; p++; }
    else if (p < end && *p && strchr(types, *p)) type = (int64_t)(strchr(types, *p++) - types) + VX_FMT_HEX;
    if (alt && (type == VX_FMT_PLAIN || type == VX_FMT_DEBUG)) return false;   /* `#` only prefixes radixes */
    if (p != end || width >= 10000 || (prec >= 1000 && prec != VX_FMT_NOPREC)) return false;
    *out = prec | width << 16 | align << 32 | fill << 40 | exp << 48 | zero << 49 | plus << 50 | alt << 51 | type << 52;
    return true;
}

/* `{:x}` and its kin format integers only (Rust's LowerHex...). */
static bool radix_fits(Comp *c, VxNode *fmt, VxNode *a, int kind, int64_t spec)
{
    int type = (int)(spec >> 52 & 7);
    if (type < VX_FMT_HEX || type > VX_FMT_OCT || (kind >= VX_PUT_INT && kind < VX_PUT_INT + VX_INT_KINDS)) return true;
    VxDiag *g = vx_diag(c->diags, VX_ERROR, c->src, a->span, "`{:%s}` formats integers, not `%s`",
                        (const char *[]){ "x", "X", "b", "o" }[type - VX_FMT_HEX], vx_tname(vx_sema_types(c->sema), ctype(c, a->type)));
    vx_diag_label(c->diags, g, fmt->span, "the placeholder is here");
    vx_diag_help(c->diags, g, "use `{}` for this value, or convert it to an integer first");
    c->failed = true;
    return false;
}

/* format("{} and {:.3}", a, b): the literal text and each placeholder in
 * turn appended to a new string.  The format string must be a literal,
 * so its placeholders are matched with the arguments here. */
static void format_call(Comp *c, VxNode *call, int dst)
{
    VxNodeList args = call->u.call.args;
    VxNode *fmt = args.items[0];
    if (fmt->kind != VX_N_STRING) { unsupported(c, fmt, "format strings that are not literals"); return; }
    const char *f = fmt->u.str.value;
    uint32_t n = fmt->u.str.len, start = 0;
    int next = 1;
    emit(c, call, VX_OP_FMTNEW, 0, dst, 0, 0);
    for (uint32_t i = 0; i <= n; i++) {
        bool brace = i < n && (f[i] == '{' || f[i] == '}');
        if (i < n && !brace) continue;
        if (i > start) emit(c, fmt, VX_OP_FMTK, 0, dst, string_const(c, f + start, i - start), 0);
        if (i == n) break;
        if (i + 1 < n && f[i + 1] == f[i]) {          /* `{{` and `}}` are literal braces */
            emit(c, fmt, VX_OP_FMTK, 0, dst, string_const(c, f + i, 1), 0);
            start = ++i + 1;
            continue;
        }
        uint32_t close = i + 1;
        while (close < n && f[close] != '}') close++;
        int64_t spec = 0;
        if (f[i] == '}' || close >= n || (close > i + 1 && !parse_spec(f + i + 1, f + close, &spec))) {
            VxDiag *g = vx_diag(c->diags, VX_ERROR, c->src, fmt->span, "malformed format string");
            vx_diag_help(c->diags, g, "placeholders are `{}` or `{:[fill][<^>][+][#][0][width][.decimals][type]}` "
                                      "with type `e x X b o ?`, as in `{:>8.3}` or `{:#06x}`; write `{{` and `}}` for braces");
            c->failed = true;
            return;
        }
        int prec = 0xFFFF;
        if (close > i + 1) { VxValue kv = { .i = spec }; prec = add_const(c, kv); }
        if (next >= args.len) {
            VxDiag *g = vx_diag(c->diags, VX_ERROR, c->src, fmt->span, "format string has more placeholders than values");
            vx_diag_help(c->diags, g, "give one value per `{}`");
            c->failed = true;
            return;
        }
        VxNode *a = args.items[next++];
        int k = put_kind(c, a);
        if (k < 0) { unsupported(c, a, "formatting of this type"); return; }
        if (close > i + 1 && !radix_fits(c, fmt, a, k, spec)) return;
        int save = c->freereg;
        emit(c, a, VX_OP_FMTPUT, k, dst, expr(c, a), prec);
        release_to(c, a, save);
        start = close + 1;
        i = close;
    }
    if (next < args.len) {
        VxDiag *g = vx_diag(c->diags, VX_ERROR, c->src, args.items[next]->span,
                            "format string has %d placeholder%s but %d values were given", next - 1,
                            next - 1 == 1 ? "" : "s", args.len - 1);
        vx_diag_help(c->diags, g, "add a `{}` for each value");
        c->failed = true;
    }
}

/* The end of an Option-valued sequence: dst := Some(R[v]) on the path
 * that reaches here, None on the path that jumped from to_none. */
void finish_option(Comp *c, VxNode *at, VxType *t, int v, int dst, int to_none)
{
    emit(c, at, VX_OP_NEWREC, 0, dst, v, desc_const(c, t, 0));
    int to_end = emit_jump(c, at, VX_OP_JMP, 0);
    patch_here(c, to_none);
    emit(c, at, VX_OP_NEWREC, 0, dst, v, desc_const(c, t, 1));
    patch_here(c, to_end);
}

/* dst := Some(value(R[args..])) if test(R[args..]) else None, where test
 * and value are C builtins and t is the Option type. */
static void option_of_builtins(Comp *c, VxNode *at, VxType *t, int args, const char *test, int ntest,
                               const char *value, int nvalue, int dst)
{
    int ok = alloc_reg(c, at), v = alloc_reg(c, at);
    emit(c, at, VX_OP_CALLB, 0, ok, args, vx_builtin_find(test, ntest));
    int to_none = emit_jump(c, at, VX_OP_JMPIFNOT, ok);
    emit(c, at, VX_OP_CALLB, 0, v, args, vx_builtin_find(value, nvalue));
    finish_option(c, at, t, v, dst, to_none);
}

/* Arguments for CALLB: each into the next register, owned (CALLB borrows
 * them; release_to drops them after).  Returns the first register. */
int args_to_regs(Comp *c, VxNode **args, int n)
{
    int base = c->freereg;
    for (int i = 0; i < n; i++) {
        int r = alloc_reg(c, args[i]);
        expr_to(c, args[i], r);
        c->owned[r] = is_obj(c, args[i]);
    }
    return base;
}

/* try_parse_int(s), try_parse_float(s): Some(the number) when the whole
 * text is one, else None (a test, then the parse). */
static bool try_parse_call(Comp *c, VxNode *call, VxDecl *d, int dst)
{
    bool is_int = strcmp(d->name, "try_parse_int") == 0;
    if ((!is_int && strcmp(d->name, "try_parse_float") != 0) || call->u.call.args.len != 1) return false;
    VxType *t = ctype(c, call->type);
    if (kind_of(c, t, NULL) != K_REC) return false;
    int save = c->freereg;
    int s = expr(c, call->u.call.args.items[0]);
    option_of_builtins(c, call, t, s, is_int ? "is_int_text" : "is_float_text", 1, is_int ? "parse_int" : "parse_float", 1, dst);
    release_to(c, call, save);
    return true;
}

/* ---- HashMap ----------------------------------------------------------------------------- */

/* hashmap(): an empty map of the call's key and value types. */
static bool hashmap_new(Comp *c, VxNode *call, VxDecl *d, int dst)
{
    if (strcmp(d->name, "hashmap") != 0 || call->u.call.args.len) return false;
    VxType *t = deref_type(c, call->type);
    if (kind_of(c, t, NULL) != K_MAP) { unsupported(c, call, "maps with these key or value types"); return true; }
    emit(c, call, VX_OP_NEWMAP, 0, dst, map_part_kind(c, t->u.tuple.elems[0]), map_part_kind(c, t->u.tuple.elems[1]));
    return true;
}

/* hashmap_get(m, k) and m.get(k) (argv: the map and the key): Some(a
 * copy of the value) or None. */
static bool map_get(Comp *c, VxNode *at, VxNode **argv, int dst)
{
    VxType *t = ctype(c, at->type);
    if (kind_of(c, t, NULL) != K_REC || node_kind(c, argv[0], NULL) != K_MAP || argv[1]->kind == VX_N_NAMED_ARG) return false;
    int save = c->freereg;
    int base = args_to_regs(c, argv, 2);
    option_of_builtins(c, at, t, base, "hashmap_contains", 2, "map_value", 2, dst);
    release_to(c, at, save);
    return true;
}

static bool hashmap_get(Comp *c, VxNode *call, VxDecl *d, int dst)
{
    VxNodeList args = call->u.call.args;
    return strcmp(d->name, "hashmap_get") == 0 && args.len == 2 && map_get(c, call, args.items, dst);
}

/* The map methods that read: m.get(k), m.contains(k), m.keys(),
 * m.values(), m.len() (the functions hashmap_get ... hashmap_len). */
bool map_method(Comp *c, VxNode *e, int dst)
{
    static const char *const names[][2] = {
        { "contains", "hashmap_contains" }, { "keys", "hashmap_keys" }, { "values", "hashmap_values" }, { "len", "hashmap_len" },
    };
    VxNode *recv = e->u.method.recv;
    VxNodeList args = e->u.method.args;
    if (node_kind(c, recv, NULL) != K_MAP || args.len > 1) return false;
    VxNode *argv[2] = { recv, args.len ? args.items[0] : NULL };
    if (strcmp(e->u.method.name, "get") == 0 && args.len == 1) return map_get(c, e, argv, dst);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int id = vx_builtin_find(names[i][1], 1 + args.len);
        if (strcmp(e->u.method.name, names[i][0]) != 0 || id < 0) continue;
        int save = c->freereg;
        emit(c, e, VX_OP_CALLB, 0, dst, args_to_regs(c, argv, 1 + args.len), id);
        release_to(c, e, save);
        return true;
    }
    return false;
}

/* m = hashmap_insert(m, k, v) and m = hashmap_remove(m, k): in place on
 * the variable (copied first only if shared), not a copy per call. */
bool map_update_in_place(Comp *c, VxNode *e)
{
    VxNode *lhs = e->u.binary.lhs, *rhs = e->u.binary.rhs;
    if (e->u.binary.op != TK_EQ || lhs->kind != VX_N_IDENT || rhs->kind != VX_N_CALL) return false;
    VxNode *callee = rhs->u.call.callee;
    VxNodeList args = rhs->u.call.args;
    if (callee->kind != VX_N_IDENT || local_of(c, callee) >= 0 || args.len < 2) return false;
    bool insert = strcmp(callee->u.ident.name, "hashmap_insert") == 0 && args.len == 3;
    bool remove = strcmp(callee->u.ident.name, "hashmap_remove") == 0 && args.len == 2;
    VxNode *m = args.items[0];
    if ((!insert && !remove) || m->kind != VX_N_IDENT || strcmp(m->u.ident.name, lhs->u.ident.name) != 0) return false;
    int r = local_of(c, lhs);
    if (r < 0 || node_kind(c, lhs, NULL) != K_MAP) return false;
    int save = c->freereg;
    int k = expr(c, args.items[1]);
    if (insert) emit(c, e, VX_OP_MINSERT, 0, r, k, expr(c, args.items[2]));
    else emit(c, e, VX_OP_MREMOVE, 0, r, k, 0);
    release_to(c, e, save);
    return true;
}

/* min(a, b), max(a, b) on numbers, bools and strings; pow(x, y) on floats. */
static bool min_max_pow(Comp *c, VxNode *call, VxDecl *d, int dst)
{
    VxNodeList args = call->u.call.args;
    bool is_min = strcmp(d->name, "min") == 0, is_max = strcmp(d->name, "max") == 0, is_pow = strcmp(d->name, "pow") == 0;
    if ((!is_min && !is_max && !is_pow) || args.len != 2) return false;
    int ik = VX_I64;
    VKind k = node_kind(c, args.items[0], &ik);
    VxOp lt = compare_op(k, ik, 1);
    if (lt == VX_OP_COUNT && (k == K_ARR || k == K_REC)) lt = VX_OP_LT_OBJ;
    if (lt == VX_OP_COUNT || (is_pow && k != K_F64 && k != K_F32 && k != K_HALF)) return false;
    int save = c->freereg;
    int a = expr(c, args.items[0]), b = expr(c, args.items[1]);
    if (is_pow) {
        int pt;
        VxOp pop = arith_op(TK_STARSTAR, k, ik, &pt);
        emit(c, call, pop, pt, dst, a, b);
    } else {                                          /* min: b < a ? b : a;  max: a < b ? b : a */
        int t = alloc_reg(c, call);
        emit(c, call, lt, lt == VX_OP_LT_OBJ ? put_kind(c, args.items[0]) : ik, t, is_min ? b : a, is_min ? a : b);
        VxOp mv = is_obj_kind(k) ? VX_OP_MOVE_OBJ : VX_OP_MOVE;
        choose(c, call, t, mv, 0, b, mv, a, dst);
    }
    release_to(c, call, save);
    return true;
}

/* zip(a, b), enumerate(a): arrays of pairs; the C side gets the pairs'
 * descriptor as an extra argument. */
static bool pairs_call(Comp *c, VxNode *call, VxDecl *d, int dst)
{
    VxNodeList args = call->u.call.args;
    bool zip = strcmp(d->name, "zip") == 0 && args.len == 2, en = strcmp(d->name, "enumerate") == 0 && args.len == 1;
    if (!zip && !en) return false;
    VxType *t = ctype(c, call->type);
    if (kind_of(c, t, NULL) != K_ARR || kind_of(c, t->u.arr.elem, NULL) != K_REC) return false;
    int save = c->freereg, base = args_to_regs(c, args.items, args.len);
    emit(c, call, VX_OP_LOADK, 0, alloc_reg(c, call), desc_const(c, t->u.arr.elem, 0), 0);
    emit(c, call, VX_OP_CALLB, 0, dst, base, vx_builtin_find(d->name, args.len + 1));
    release_to(c, call, save);
    return true;
}

/* wrapping_add(a, b) ... saturating_mul, and checked_add ... checked_div
 * (Some(the exact result) or None), on every integer kind. */
static bool int_arith_call(Comp *c, VxNode *call, VxDecl *d, int dst)
{
    static const char *const modes[] = { "wrapping_", "saturating_", "checked_" };
    static const char *const ops[] = { "add", "sub", "mul", "div" };
    static const VxTokKind toks[] = { TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH };
    VxNodeList args = call->u.call.args;
    int mode = -1, op = -1;
    for (int m = 0; m < 3; m++)
        if (strncmp(d->name, modes[m], strlen(modes[m])) == 0)
            for (int o = 0; o < 4; o++) if (strcmp(d->name + strlen(modes[m]), ops[o]) == 0) { mode = m; op = o; }
    int ik = VX_I64;
    VKind k = mode < 0 || args.len != 2 ? K_OTHER : node_kind(c, args.items[0], &ik);
    if (k != K_INT && k != K_WIDE) return false;
    bool wide = k == K_WIDE;
    int save = c->freereg;
    int a = expr(c, args.items[0]), b = expr(c, args.items[1]), t = wide ? ik | op << 4 : ik | op << 5;
    if (mode < 2) {
        if (wide) emit(c, call, VX_OP_HELPER_W, t | (mode + 1) << 6, dst, a, b);
        else emit(c, call, mode == 0 ? VX_OP_WRAP_ARITH : VX_OP_SAT_ARITH, t, dst, a, b);
    } else {
        VxType *ot = ctype(c, call->type);
        int ok = alloc_reg(c, call), v = alloc_reg(c, call), at;
        emit(c, call, wide ? VX_OP_HELPER_W : VX_OP_FITS_ARITH, t, ok, a, b);
        int to_none = emit_jump(c, call, VX_OP_JMPIFNOT, ok);
        VxOp aop = arith_op(toks[op], k, ik, &at);
        emit(c, call, aop, at, v, a, b);              /* cannot fail now */
        finish_option(c, call, ot, v, dst, to_none);
    }
    release_to(c, call, save);
    return true;
}

/* A library function written in C (builtins.def): arguments into
 * consecutive registers (borrowed by CALLB, released after). */
static bool c_builtin_call(Comp *c, VxNode *call, VxDecl *d, int dst)
{
    VxNodeList args = call->u.call.args;
    int id = vx_builtin_find(d->name, args.len);
    if (id < 0) return false;
    for (int i = 0; i < args.len; i++) if (args.items[i]->kind == VX_N_NAMED_ARG) return false;
    if (strcmp(d->name, "sort") == 0) {               /* what sema lets be Ord: numbers, bools, strings, tuples, arrays, records */
        VKind k = kind_of(c, elem_type(c, args.items[0]), NULL);
        if (k != K_INT && k != K_BOOL && k != K_WIDE && k != K_F64 && k != K_F32 && k != K_HALF && k != K_STR && k != K_ARR && k != K_REC) {
            unsupported(c, call, "sorting arrays of this type");
            return true;
        }
    }
    int save = c->freereg, base = args_to_regs(c, args.items, args.len);
    emit(c, call, VX_OP_CALLB, 0, dst, base, id);
    release_to(c, call, save);
    return true;
}

/* eprintln(a, b): the line built as a string, then written to stderr. */
static void eprint_call(Comp *c, VxNode *call, int dst)
{
    VxNodeList args = call->u.call.args;
    int save = c->freereg, s = alloc_reg(c, call);
    emit(c, call, VX_OP_FMTNEW, 0, s, 0, 0);
    c->owned[s] = true;
    for (int i = 0; i < args.len; i++) {
        VxNode *a = args.items[i];
        if (i) emit(c, call, VX_OP_FMTK, 0, s, string_const(c, " ", 1), 0);
        int k = put_kind(c, a);
        if (k < 0) { unsupported(c, a, "printing of this type"); return; }
        int s2 = c->freereg;
        emit(c, a, VX_OP_FMTPUT, k, s, expr(c, a), 0xFFFF);
        release_to(c, a, s2);
    }
    emit(c, call, VX_OP_FMTK, 0, s, string_const(c, "\n", 1), 0);
    emit(c, call, VX_OP_EPUT, 0, s, 0, 0);
    release_to(c, call, save);
    (void)dst;
}

/* assert_eq(left, right): on a mismatch, a runtime error showing both,
 * as Rust's does. */
static bool assert_eq_call(Comp *c, VxNode *call, int dst)
{
    VxNodeList args = call->u.call.args;
    int ik = VX_I64;
    VKind k = node_kind(c, args.items[0], &ik);
    VxOp eq = compare_op(k, ik, 0);
    bool deep = eq == VX_OP_COUNT && (k == K_ARR || k == K_REC || k == K_MAP);   /* arrays, tuples, records, maps */
    if (deep) eq = VX_OP_EQ_OBJ;
    if (args.len != 2 || eq == VX_OP_COUNT) return false;
    int save = c->freereg;
    int a = expr(c, args.items[0]), b = expr(c, args.items[1]), t = alloc_reg(c, call);
    emit(c, call, eq, deep ? put_kind(c, args.items[0]) : ik, t, a, b);
    int to_ok = emit_jump(c, call, VX_OP_JMPIF, t);
    int pk = put_kind(c, args.items[0]);
    emit(c, call, VX_OP_FMTNEW, 0, t, 0, 0);
    emit(c, call, VX_OP_FMTK, 0, t, string_const(c, "assertion `left == right` failed\n  left: ", 41), 0);
    int quote = string_const(c, "\"", 1);            /* strings quoted, as Rust's Debug form */
    if (k == K_STR) emit(c, call, VX_OP_FMTK, 0, t, quote, 0);
    emit(c, call, VX_OP_FMTPUT, pk, t, a, 0xFFFF);
    if (k == K_STR) emit(c, call, VX_OP_FMTK, 0, t, quote, 0);
    emit(c, call, VX_OP_FMTK, 0, t, string_const(c, "\n right: ", 9), 0);
    if (k == K_STR) emit(c, call, VX_OP_FMTK, 0, t, quote, 0);
    emit(c, call, VX_OP_FMTPUT, pk, t, b, 0xFFFF);
    if (k == K_STR) emit(c, call, VX_OP_FMTK, 0, t, quote, 0);
    emit(c, call, VX_OP_FAIL, 0, t, 0, 0);
    patch_here(c, to_ok);
    release_to(c, call, save);
    (void)dst;
    return true;
}

static bool builtin_call(Comp *c, VxNode *call, VxDecl *d, int dst)
{
    VxNodeList args = call->u.call.args;
    if (ct_call(c, call, d, dst)) return true;
    if (args.len >= 1 && array_hof(c, call, d->name, args.items[0], args.items + 1, args.len - 1, dst)) return true;
    if (option_ctor(c, call, d, dst)) return true;
    if (try_parse_call(c, call, d, dst)) return true;
    if (hashmap_new(c, call, d, dst) || hashmap_get(c, call, d, dst)) return true;
    if (min_max_pow(c, call, d, dst) || pairs_call(c, call, d, dst) || int_arith_call(c, call, d, dst)) return true;
    if (c_builtin_call(c, call, d, dst)) return true;
    if (strcmp(d->name, "print") == 0 || strcmp(d->name, "println") == 0) { print_call(c, call, d); return true; }
    if (strcmp(d->name, "format") == 0 && args.len >= 1) { format_call(c, call, dst); return true; }
    if (strcmp(d->name, "eprintln") == 0) { eprint_call(c, call, dst); return true; }
    if (strcmp(d->name, "assert_eq") == 0) return assert_eq_call(c, call, dst);
    if (strcmp(d->name, "to_string") == 0 && args.len == 1) {
        int k = put_kind(c, args.items[0]);
        if (k < 0) return false;
        int save = c->freereg;
        emit(c, call, VX_OP_FMTNEW, 0, dst, 0, 0);
        emit(c, call, VX_OP_FMTPUT, k, dst, expr(c, args.items[0]), 0xFFFF);
        release_to(c, call, save);
        return true;
    }
    if (strcmp(d->name, "len") == 0 && args.len == 1 && node_kind(c, args.items[0], NULL) == K_MAP) {
        int save = c->freereg;
        emit(c, call, VX_OP_CALLB, 0, dst, expr(c, args.items[0]), vx_builtin_find("hashmap_len", 1));
        release_to(c, call, save);
        return true;
    }
    if (strcmp(d->name, "len") == 0 && args.len == 1 && is_obj(c, args.items[0])) {
        int save = c->freereg;
        bool str = node_kind(c, args.items[0], NULL) == K_STR;
        emit(c, call, str ? VX_OP_STRLEN : VX_OP_ALEN, 0, dst, expr(c, args.items[0]), 0);
        release_to(c, call, save);
        return true;
    }
    if (strcmp(d->name, "push") == 0 && args.len == 2 && node_kind(c, args.items[0], NULL) == K_ARR) {
        expr_to(c, args.items[0], dst);              /* a copy (retained), then copy-on-write */
        int save = c->freereg;
        emit(c, call, VX_OP_APUSH, 0, dst, expr(c, args.items[1]), 0);
        release_to(c, call, save);
        return true;
    }
    if (strcmp(d->name, "exit") == 0 && args.len == 1) {
        int save = c->freereg;
        emit(c, call, VX_OP_EXIT, 0, expr(c, args.items[0]), 0, 0);
        release_to(c, call, save);
        return true;
    }
    if (strcmp(d->name, "assert") == 0 && args.len >= 1) {
        VxNode *msg = args.len > 1 ? args.items[1] : NULL;
        if (msg && msg->kind == VX_N_NAMED_ARG) msg = msg->u.named_arg.value;
        int save = c->freereg;
        if (msg && msg->kind != VX_N_STRING) {          /* a computed message: built only when the assertion fails */
            int t = alloc_reg(c, call);
            expr_to(c, args.items[0], t);
            int to_ok = emit_jump(c, call, VX_OP_JMPIF, t);
            emit(c, call, VX_OP_FMTNEW, 0, t, 0, 0);
            emit(c, call, VX_OP_FMTK, 0, t, string_const(c, "assertion failed: ", 18), 0);
            emit(c, call, VX_OP_FMTPUT, VX_PUT_STR, t, expr(c, msg), 0xFFFF);
            emit(c, call, VX_OP_FAIL, 0, t, 0, 0);
            for (int r = save; r < c->freereg; r++) c->owned[r] = false;   /* set only on the failing path, which never returns */
            patch_here(c, to_ok);
            release_to(c, call, save);
            return true;
        }
        int k = msg ? string_const(c, msg->u.str.value, msg->u.str.len) : string_const(c, "assertion failed", 16);
        emit(c, call, VX_OP_ASSERT, 0, expr(c, args.items[0]), k, 0);
        release_to(c, call, save);
        return true;
    }
    if (strcmp(d->name, "abs") == 0 && args.len == 1 && node_kind(c, call, NULL) == K_INT) return int_abs(c, call, dst);
    for (size_t i = 0; i < sizeof math_fns / sizeof math_fns[0]; i++) {
        if (strcmp(d->name, math_fns[i].name) != 0 || args.len != 1) continue;
        int ik = VX_I64;
        VKind k = node_kind(c, call, &ik);
        bool iabs = math_fns[i].fn == VX_MATH_ABS && (k == K_INT || k == K_WIDE);
        if (k != K_F64 && k != K_F32 && k != K_HALF && !iabs) break;
        VxOp op = iabs ? VX_OP_ABS_INT : k == K_F64 ? VX_OP_MATH_F64 : k == K_F32 ? VX_OP_MATH_F32 : VX_OP_MATH_H;
        int fn = (int)math_fns[i].fn, t = iabs ? ik : k == K_HALF ? ik | fn << 1 : fn;
        int save = c->freereg;
        emit(c, call, op, t, dst, expr(c, args.items[0]), 0);
        release_to(c, call, save);
        return true;
    }
    return false;
}

/* The argument expression for each parameter: positional, named, or default. */
/* The argument for each parameter of d from `args` (positional, then named,
 * then defaults); the first `given` are already in out. */
static bool match_args(Comp *c, VxNode *at, VxNodeList args, VxDecl *d, int given, VxNode **out)
{
    int next = given;
    for (int i = given; i < d->nparams; i++) out[i] = NULL;
    for (int i = 0; i < args.len; i++) {
        VxNode *a = args.items[i];
        if (a->kind != VX_N_NAMED_ARG) { if (next < d->nparams) out[next++] = a; continue; }
        for (int k = 0; k < d->nparams; k++)
            if (strcmp(d->param_names[k], a->u.named_arg.name) == 0) out[k] = a->u.named_arg.value;
    }
    for (int i = 0; i < d->nparams; i++) {
        if (!out[i]) out[i] = d->defaults[i];
        if (!out[i]) { unsupported(c, at, "this call"); return false; }
    }
    return true;
}

/* Is d's parameter i a `&mut` one (`&mut self` included), handed back? */
bool handback_param(Comp *c, VxDecl *d, int i)
{
    VxType *pt = vx_sema_type(c->sema, d->sig->u.fn.params[i]);
    return pt->kind == VX_T_REF && pt->u.arr.mut;
}

/* Parameter i is never assigned or changed in place: not `mut`, and
 * not a `&mut` (sema refuses the rest).  CALL's instances borrow such
 * parameters when they hold objects (those made for CALLC own them):
 * the callee neither retains nor releases them; the caller passes a
 * fixed variable as it is and releases any other argument after the
 * call, since the callee never writes the parameter's register. */
bool param_fixed(Comp *c, VxDecl *d, int i)
{
    VxNodeList ps = d->node->u.fn.params;
    return i < ps.len && !ps.items[i]->u.param.mut && !handback_param(c, d, i);
}

/* The root variable of a place, for refusing two `&mut` arguments that
 * borrow the same variable (as Rust does): they would share its parts. */
static bool same_root(Place *a, Place *b) { return a->root >= 0 && a->root == b->root; }

static void double_borrow(Comp *c, VxNode *first, VxNode *second)
{
    VxDiag *g = vx_diag(c->diags, VX_ERROR, c->src, second->span, "cannot borrow the same variable as mutable twice in one call");
    vx_diag_primary(c->diags, g, "second `&mut` borrow");
    vx_diag_label(c->diags, g, first->span, "first `&mut` borrow");
    vx_diag_help(c->diags, g, "as in Rust, one call may change a variable through one `&mut` argument only; "
                              "make two calls, or pass a copy");
    c->failed = true;
}

/* Arguments into consecutive registers from freereg, then CALL; the
 * result lands in dst.  With `&mut` parameters, R0 of the callee's window
 * is a hidden result slot, so that each `&mut` argument (in its own slot)
 * survives the return; the other arguments are evaluated first, then the
 * `&mut` ones are moved out of their places (compile_place.c), and after
 * the call moved back, maybe as new copies. */
void emit_call(Comp *c, VxNode *e, VxDecl *d, VxType **targs, int ntargs, VxNode **argv, int dst)
{
    enum { MAX_MUT = 8 };
    Place places[MAX_MUT];
    int which[MAX_MUT], np = 0;
    int save = c->freereg;
    for (int i = 0; i < d->nparams; i++) {
        if (!handback_param(c, d, i)) continue;
        if (np == MAX_MUT) { unsupported(c, argv[i], "calls with more than 8 `&mut` arguments"); return; }
        if (!place_begin(c, argv[i], &places[np], true)) return;
        for (int k = 0; k < np; k++)
            if (same_root(&places[k], &places[np])) { double_borrow(c, argv[which[k]], argv[i]); return; }
        which[np++] = i;
    }
    int hb = np > 0;
    /* A borrowed temporary in the window's first register must outlive the
     * result: when the result cannot land below the window, it goes to a
     * pad register there, then to dst. */
    bool far = !(dst < c->freereg && c->freereg - dst <= UINT8_MAX);
    int pad = !hb && far && d->nparams && param_fixed(c, d, 0) && is_obj(c, argv[0]) && fixed_local(c, argv[0]) < 0
              ? alloc_reg(c, e) : -1;
    int base = c->freereg;
    if (hb) alloc_reg(c, e);
    for (int i = 0; i < d->nparams; i++) {
        int r = alloc_reg(c, e);
        if (handback_param(c, d, i)) continue;
        bool borrowed = param_fixed(c, d, i) && is_obj(c, argv[i]);
        int l = borrowed ? fixed_local(c, argv[i]) : -1;
        if (l >= 0) emit(c, argv[i], VX_OP_MOVE, 0, r, l, 0);    /* lent as it is */
        else expr_to(c, argv[i], r);
        c->owned[r] = borrowed && l < 0;                /* released after the call */
    }
    if (d->nparams + hb == 0) alloc_reg(c, e);        /* the result's slot */
    for (int k = 0; k < np; k++) place_take(c, argv[which[k]], &places[k], base + hb + which[k]);
    int pc = emit(c, e, VX_OP_CALL, 0, base, func_index(c, d, targs, ntargs), d->nparams + hb);   /* consumes the other arguments */
    if (!np) call_result_to(c, e, pc, base, pad >= 0 ? pad : dst);
    if (pad >= 0 && dst != pad) emit(c, e, VX_OP_MOVE, 0, dst, pad, 0);
    for (int k = np - 1; k >= 0; k--) place_put(c, argv[which[k]], &places[k], base + hb + which[k]);
    if (np && dst != base) emit(c, e, VX_OP_MOVE, 0, dst, base, 0);   /* after: dst may be one of the places */
    release_to(c, e, save);
}

/* The type arguments sema recorded for the call at e, in this instance's
 * terms: the last `want` of them (a method's own parameters follow its
 * impl's or trait's).  False after reporting when there are fewer. */
static bool recorded_args(Comp *c, VxNode *e, int want, VxType **out)
{
    if (!want) return true;
    VxType **args;
    int n = vx_sema_call_args(c->sema, e, &args);
    if (n < want || want > 64) { unsupported(c, e, "this call of a generic function"); return false; }
    for (int i = 0; i < want; i++) out[i] = ctype(c, args[n - want + i]);
    return true;
}

/* The method `name` of the concrete type self_type, and the instance the
 * call at e needs: the arguments of the impl that provides it (Self for a
 * trait's default method), then the method's own.  This is static
 * dispatch: in an instance of a generic function the receiver's type is
 * concrete, so a trait method resolves to one impl's method. */
static VxDecl *method_instance(Comp *c, VxNode *e, VxType *self_type, const char *name, VxType **out, int *n)
{
    VxDecl *m = vx_sema_method_inst(c->sema, self_type, name, out, 64, n);
    if (!m || m->builtin || !m->impl) return NULL;
    if (m->impl->kind == VX_D_TRAIT) {                /* a default method: the trait's arguments (from the impl), then Self */
        int tn = m->impl->ngenerics;
        if (tn && *n != tn + 1) { unsupported(c, e, "default methods of a generic trait reached through a subtrait's impl"); return m; }
        out[tn] = self_type;
        *n = tn + 1;
    }
    if (*n + m->ngenerics > 64) { unsupported(c, e, "this call of a generic method"); return m; }
    if (recorded_args(c, e, m->ngenerics, out + *n)) *n += m->ngenerics;
    return m;
}

/* recv.method(args) for a method of an impl. */
static bool user_method_call(Comp *c, VxNode *e, int dst)
{
    VxNode *recv = e->u.method.recv;
    VxType *targs[64];
    int ntargs = 0;
    VxDecl *m = method_instance(c, e, deref_type(c, recv->type), e->u.method.name, targs, &ntargs);
    if (!m) return false;
    if (c->failed) return true;
    if (!m->node->u.fn.body) { unsupported(c, e, "this call of a trait method"); return true; }
    VxNode *argv[64];
    argv[0] = recv;
    if (m->nparams > 64 || !match_args(c, e, e->u.method.args, m, 1, argv)) return true;
    emit_call(c, e, m, targs, ntargs, argv, dst);
    return true;
}

/* Type::method(x, args) and Trait::method(x, args): x.method(args), the
 * method found from x's concrete type. */
static void method_as_function(Comp *c, VxNode *e, VxDecl *d, int dst)
{
    VxNodeList args = e->u.call.args;
    if (!args.len || args.items[0]->kind == VX_N_NAMED_ARG) { unsupported(c, e, "this call of a method"); return; }
    VxNode *recv = args.items[0];
    VxType *targs[64];
    int ntargs = 0;
    VxDecl *m = method_instance(c, e, deref_type(c, recv->type), d->name, targs, &ntargs);
    if (c->failed) return;
    if (!m || !m->node->u.fn.body) { unsupported(c, e, "this call of a builtin or trait method as a function"); return; }
    VxNode *argv[64];
    VxNodeList rest = { args.items + 1, args.len - 1 };
    argv[0] = recv;
    if (m->nparams > 64 || !match_args(c, e, rest, m, 1, argv)) return;
    emit_call(c, e, m, targs, ntargs, argv, dst);
}

/* The concrete type arguments of a call to generic function d. */
static bool instance_args(Comp *c, VxNode *e, VxDecl *d, VxType **out, int *n)
{
    VxType **args;
    *n = vx_sema_call_args(c->sema, e, &args);
    if (*n < 0 || *n > 64 || *n != d->ngenerics) { unsupported(c, e, "this call of a generic function"); return false; }
    for (int i = 0; i < *n; i++) out[i] = ctype(c, args[i]);
    return true;
}

/* Type::function(args): an associated function; the impl's type
 * arguments and its own come from sema's record of the call. */
static void assoc_call(Comp *c, VxNode *e, VxDecl *d, int dst)
{
    VxType *targs[64];
    int ntargs = d->impl->ngenerics + (d->impl->kind == VX_D_TRAIT) + d->ngenerics;   /* a trait's: Self too */
    if (ntargs > 64 || !recorded_args(c, e, ntargs, targs)) { if (!c->failed) unsupported(c, e, "this call"); return; }
    VxNode *argv[64];
    if (d->nparams <= 64 && match_args(c, e, e->u.call.args, d, 0, argv)) emit_call(c, e, d, targs, ntargs, argv, dst);
}

/* T::f(args), Self::f(args), i64::f(args): the function of the impl
 * for the type sema recorded on the first segment, concrete here. */
static void type_assoc_call(Comp *c, VxNode *e, int dst)
{
    VxNodeList segs = e->u.call.callee->u.path.segs;
    VxType *targs[64];
    int ntargs = 0;
    VxDecl *m = method_instance(c, e, ctype(c, segs.items[0]->type), segs.items[1]->u.seg.name, targs, &ntargs);
    if (c->failed) return;
    if (!m || !m->node->u.fn.body) { unsupported(c, e, "this call of a builtin or trait function"); return; }
    VxNode *argv[64];
    if (m->nparams <= 64 && match_args(c, e, e->u.call.args, m, 0, argv)) emit_call(c, e, m, targs, ntargs, argv, dst);
}

void call(Comp *c, VxNode *e, int dst)
{
    if (variant_call(c, e, dst)) return;
    VxNode *callee = e->u.call.callee;
    if (local_of(c, callee) >= 0 || (callee->kind != VX_N_IDENT && callee->kind != VX_N_PATH)) {
        if (kind_of(c, callee->type, NULL) == K_FN) { closure_call(c, e, dst); return; }
    }
    VxDecl *d = callee->kind == VX_N_IDENT && find_local(c, callee->u.ident.name) < 0
              ? vx_sema_global(c->sema, callee->u.ident.name)
              : callee->kind == VX_N_PATH ? vx_sema_assoc_fn(c->sema, callee) : NULL;
    if (!d && callee->kind == VX_N_PATH && callee->u.path.segs.len == 2 && callee->u.path.segs.items[0]->type) {
        type_assoc_call(c, e, dst);
        return;
    }
    if (d && d->impl && d->self == VX_SELF_NONE) { assoc_call(c, e, d, dst); return; }
    if (!d || d->kind != VX_D_FN) { unsupported(c, e, "calls of closures, enum constructors and methods"); return; }
    if (d->builtin) {
        if (!builtin_call(c, e, d, dst)) {
            char what[96];
            snprintf(what, sizeof what, "the builtin `%s`", d->name);
            unsupported(c, e, what);
        }
        return;
    }
    if (d->impl) { method_as_function(c, e, d, dst); return; }
    VxType *targs[64];
    int ntargs = 0;
    if (d->ngenerics && !instance_args(c, e, d, targs, &ntargs)) return;
    VxNode *argv[64];
    if (d->nparams > 64 || !match_args(c, e, e->u.call.args, d, 0, argv)) return;
    emit_call(c, e, d, targs, ntargs, argv, dst);
}

/* ---- Option and Result ------------------------------------------------------------------- */

/* Some, Ok: variant 0; None, Err: variant 1 (their order in the prelude). */
bool option_like(Comp *c, VxType *t)
{
    t = deref_type(c, t);
    if (t->kind != VX_T_ADT) return false;
    return t->u.adt.decl == vx_sema_prelude(c->sema, VX_PRELUDE_OPTION) || t->u.adt.decl == vx_sema_prelude(c->sema, VX_PRELUDE_RESULT);
}

/* hashmap_get(m, k).unwrap_or(d): one lookup, no Option made. */
static bool map_get_or(Comp *c, VxNode *e, int dst)
{
    VxNode *get = e->u.method.recv;
    if (get->kind != VX_N_CALL || get->u.call.callee->kind != VX_N_IDENT || local_of(c, get->u.call.callee) >= 0 ||
        strcmp(get->u.call.callee->u.ident.name, "hashmap_get") != 0 || get->u.call.args.len != 2 ||
        node_kind(c, get->u.call.args.items[0], NULL) != K_MAP)
        return false;
    VxNode *argv[3] = { get->u.call.args.items[0], get->u.call.args.items[1], e->u.method.args.items[0] };
    for (int i = 0; i < 3; i++) if (argv[i]->kind == VX_N_NAMED_ARG) return false;
    int save = c->freereg, base = args_to_regs(c, argv, 3);
    emit(c, e, VX_OP_CALLB, 0, dst, base, vx_builtin_find("map_get_or", 3));
    release_to(c, e, save);
    return true;
}

/* o.unwrap(), o.unwrap_or(d), o.is_some(), o.is_none(), r.is_ok(), r.is_err() */
static bool option_method(Comp *c, VxNode *e, int dst)
{
    VxNode *recv = e->u.method.recv;
    const char *m = e->u.method.name;
    VxNodeList args = e->u.method.args;
    if (!option_like(c, recv->type) || kind_of(c, recv->type, NULL) != K_REC) return false;
    int save = c->freereg;
    bool obj = is_obj(c, e);
    if (strcmp(m, "unwrap") == 0 && args.len == 0) {
        emit(c, e, VX_OP_UNWRAP, 0, dst, expr(c, recv), obj);
    } else if (strcmp(m, "unwrap_or") == 0 && args.len == 1 && map_get_or(c, e, dst)) {
        return true;
    } else if (strcmp(m, "unwrap_or") == 0 && args.len == 1) {
        int d = expr(c, args.items[0]), o = expr(c, recv), t = alloc_reg(c, e);
        emit(c, e, VX_OP_GETTAG, 0, t, o, 0);
        int to_default = emit_jump(c, e, VX_OP_JMPIF, t);         /* variant 1: the default */
        emit(c, e, VX_OP_GETF, 0, dst, o, 0);
        int to_end = emit_jump(c, e, VX_OP_JMP, 0);
        patch_here(c, to_default);
        emit(c, e, obj ? VX_OP_MOVE_OBJ : VX_OP_MOVE, 0, dst, d, 0);
        patch_here(c, to_end);
    } else if ((strcmp(m, "is_some") == 0 || strcmp(m, "is_ok") == 0 || strcmp(m, "is_none") == 0 ||
                strcmp(m, "is_err") == 0) && args.len == 0) {
        bool second = strcmp(m, "is_none") == 0 || strcmp(m, "is_err") == 0;
        int t = alloc_reg(c, e);
        emit(c, e, VX_OP_GETTAG, 0, t, expr(c, recv), 0);
        if (second) emit(c, e, VX_OP_MOVE, 0, dst, t, 0);        /* the tag is 0 or 1: a bool */
        else emit(c, e, VX_OP_NOT, 0, dst, t, 0);
    } else {
        return false;
    }
    release_to(c, e, save);
    return true;
}

/* some(x), none(), ok(x), err(e): the prelude's constructor functions. */
static bool option_ctor(Comp *c, VxNode *call, VxDecl *d, int dst)
{
    static const char *names[] = { "some", "none", "ok", "err" };
    for (int i = 0; i < 4; i++) {
        if (strcmp(d->name, names[i]) != 0) continue;
        VxType *t = ctype(c, call->type);
        if (kind_of(c, t, NULL) != K_REC || call->u.call.args.len != (i == 1 ? 0 : 1)) return false;
        new_record(c, call, call->u.call.args.items, call->u.call.args.len, t, i & 1, dst);
        return true;
    }
    return false;
}

/* Builtin methods on arrays and strings: a.push(x), a.len(), s.len(). */
void method_call(Comp *c, VxNode *e, int dst)
{
    if (user_method_call(c, e, dst) || ct_method(c, e, dst)) return;
    if (option_method(c, e, dst) || map_method(c, e, dst) || mutating_method(c, e, dst)) return;
    if (array_hof(c, e, e->u.method.name, e->u.method.recv, e->u.method.args.items, e->u.method.args.len, dst)) return;
    VxNode *recv = e->u.method.recv;
    VKind k = node_kind(c, recv, NULL);
    const char *m = e->u.method.name;
    VxNodeList args = e->u.method.args;
    int save = c->freereg;
    if (strcmp(m, "len") == 0 && args.len == 0 && (k == K_ARR || k == K_STR)) {
        emit(c, e, k == K_ARR ? VX_OP_ALEN : VX_OP_STRLEN, 0, dst, expr(c, recv), 0);
    } else if (k == K_ARR && ((args.len == 0 && (strcmp(m, "reverse") == 0 || strcmp(m, "clone") == 0)) ||
                              (args.len == 1 && strcmp(m, "contains") == 0))) {
        VxNode *argv[2] = { recv, args.len ? args.items[0] : NULL };
        if (strcmp(m, "clone") == 0) expr_to(c, recv, dst);       /* a value: the copy is the array itself */
        else emit(c, e, VX_OP_CALLB, 0, dst, args_to_regs(c, argv, 1 + args.len),
                  vx_builtin_find(args.len ? "array_contains" : "reverse", 1 + args.len));
    } else {
        char what[96];
        snprintf(what, sizeof what, "the method `%s`", m);
        unsupported(c, e, what);
        return;
    }
    release_to(c, e, save);
}
