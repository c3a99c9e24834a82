/* compile.c - typed AST to register bytecode: the driver (vx_compile), functions,
 * emitting, registers, constants and locals, statements and control flow. */
#include "compile_internal.h"

static void stmt(Comp *c, VxNode *s);

/* ---- errors ------------------------------------------------------------------ */

void unsupported(Comp *c, VxNode *at, const char *what)
{
    if (c->failed) return;
    c->failed = true;
    VxDiag *g = vx_diag(c->diags, VX_ERROR, c->src, at->span, "`vortex run` cannot run %s yet", what);
    vx_diag_primary(c->diags, g, "not supported by the bytecode VM yet");
    vx_diag_note(c->diags, g, "the program type-checks (`vortex check` passes); the VM is being built in stages "
                              "(docs/architecture.md, section 5, lists what runs today)");
}

/* ---- emitting ------------------------------------------------------------------- */

int emit(Comp *c, VxNode *at, VxOp op, int t, int a, int b, int cc)
{
    VxInstr i = { (uint8_t)op, (uint8_t)t, (uint16_t)a, (uint16_t)b, (uint16_t)cc };
    vx_vec_push(&c->code, i);
    vx_vec_push(&c->spans, at->span);
    return c->code.len - 1;
}

int emit_jump(Comp *c, VxNode *at, VxOp op, int a)
{
    return emit(c, at, op, 0, a, 0, 0);
}

/* Point the jump at `pc` to `target`. */
static void patch(Comp *c, int pc, int target) { vx_set_sbx(&c->code.data[pc], target - pc - 1); }

void patch_here(Comp *c, int pc) { patch(c, pc, c->code.len); }

void jump_back(Comp *c, VxNode *at, int target)
{
    int pc = emit_jump(c, at, VX_OP_JMP, 0);
    patch(c, pc, target);
}

/* A call at `pc` left its result in its window's first register, base:
 * have it land in dst instead (CALL's t byte: how far below base), or
 * move it there when dst is out of that reach. */
void call_result_to(Comp *c, VxNode *at, int pc, int base, int dst)
{
    if (dst == base) return;
    if (dst < base && base - dst <= UINT8_MAX) c->code.data[pc].t = (uint8_t)(base - dst);
    else emit(c, at, VX_OP_MOVE, 0, dst, base, 0);
}

int add_const(Comp *c, VxValue v)
{
    for (int i = 0; i < c->consts.len; i++)
        if (c->consts.data[i].u == v.u) return i;
    if (c->consts.len >= 65535) return 0;
    vx_vec_push(&c->consts, v);
    return c->consts.len - 1;
}

int string_const(Comp *c, const char *s, uint32_t n)
{
    VxStr *str = vx_xmalloc(sizeof *str + n + 1);
    memset(&str->h, 0, sizeof str->h);            /* rc 0: immortal */
    str->h.kind = VX_OBJ_STR;
    str->len = str->cap = n;
    str->hash = 0;
    memcpy(str->data, s, n);
    str->data[n] = '\0';
    vx_vec_push(&c->strings, str);
    VxValue v = { .s = str };
    return add_const(c, v);
}

/* An immortal boxed integer, owned by the program. */
int wide_const(Comp *c, VxWide v)
{
    VxWideInt *w = vx_xmalloc(sizeof *w);
    memset(&w->h, 0, sizeof w->h);                /* rc 0: immortal */
    w->h.kind = VX_OBJ_WIDE;
    w->v = v;
    vx_vec_push(&c->wides, w);
    VxValue k = { .w = w };
    return add_const(c, k);
}

int alloc_reg(Comp *c, VxNode *at)
{
    if (c->freereg >= MAX_REGS) { unsupported(c, at, "a function this large"); return 0; }
    int r = c->freereg++;
    if (c->freereg > c->maxreg) c->maxreg = c->freereg;
    return r;
}

/* Give back the registers from `save` up, releasing the objects they own
 * (temporaries and, at a scope's end, its locals). */
void release_to(Comp *c, VxNode *at, int save)
{
    for (int r = c->freereg - 1; r >= save; r--)
        if (c->owned[r]) {
            emit(c, at, VX_OP_DROP, 0, r, 0, 0);
            c->owned[r] = false;
        }
    c->freereg = save;
}

/* On a jump out (return, break, continue): release what is owned from
 * `from` up, except `keep`, without forgetting it: the code after the
 * jump in this block still sees those registers live. */
void release_on_exit(Comp *c, VxNode *at, int from, int keep)
{
    for (int r = c->freereg - 1; r >= from; r--)
        if (c->owned[r] && r != keep) emit(c, at, VX_OP_DROP, 0, r, 0, 0);
}

void load_int(Comp *c, VxNode *at, int dst, int64_t v)
{
    if (v >= INT32_MIN && v <= INT32_MAX) {
        int pc = emit(c, at, VX_OP_LOADI, 0, dst, 0, 0);
        vx_set_sbx(&c->code.data[pc], (int32_t)v);
    } else {
        VxValue k = { .i = v };
        emit(c, at, VX_OP_LOADK, 0, dst, add_const(c, k), 0);
    }
}

/* ---- locals and functions --------------------------------------------------------- */

int find_local(Comp *c, const char *name)
{
    for (int i = c->locals.len - 1; i >= 0; i--)
        if (strcmp(c->locals.data[i].name, name) == 0) return c->locals.data[i].reg;
    return -1;
}

void declare(Comp *c, const char *name, int reg)
{
    CLocal l = { name, reg, false };
    vx_vec_push(&c->locals, l);
}

void declare_fixed(Comp *c, const char *name, int reg)
{
    CLocal l = { name, reg, true };
    vx_vec_push(&c->locals, l);
}

/* The register of the fixed variable e names, or -1: its value can be
 * borrowed for as long as the variable is in scope. */
int fixed_local(Comp *c, VxNode *e)
{
    if (e->kind != VX_N_IDENT && e->kind != VX_N_SELF) return -1;
    const char *name = e->kind == VX_N_SELF ? "self" : e->u.ident.name;
    for (int i = c->locals.len - 1; i >= 0; i--)
        if (strcmp(c->locals.data[i].name, name) == 0) return c->locals.data[i].fixed ? c->locals.data[i].reg : -1;
    return -1;
}

int add_func(Comp *c, FuncRef r)
{
    r.index = c->refs.len;
    vx_vec_push(&c->refs, r);
    vx_vec_push(&c->todo, r);
    return r.index;
}

static int find_func(Comp *c, VxDecl *d, VxType **args, int nargs, bool as_value)
{
    for (int i = 0; i < c->refs.len; i++) {
        FuncRef *f = &c->refs.data[i];
        if (f->decl != d || f->nargs != nargs || f->closure || f->as_value != as_value) continue;
        bool same = true;
        for (int k = 0; k < nargs && same; k++) same = f->args[k] == args[k];
        if (same) return f->index;
    }
    FuncRef r = { .decl = d, .nargs = nargs, .as_value = as_value };
    if (nargs) {
        r.args = vx_arena_alloc(&c->scratch, sizeof(VxType *) * (size_t)nargs);
        memcpy(r.args, args, sizeof(VxType *) * (size_t)nargs);
    }
    return add_func(c, r);
}

/* The instance CALL calls (it borrows its fixed object parameters). */
int func_index(Comp *c, VxDecl *d, VxType **args, int nargs) { return find_func(c, d, args, nargs, false); }

/* The instance a function value calls through CALLC (it owns them all). */
int value_func_index(Comp *c, VxDecl *d) { return find_func(c, d, NULL, 0, true); }

/* The register of the variable e names (`self` included), or -1. */
int local_of(Comp *c, VxNode *e)
{
    while (e->kind == VX_N_UNARY && e->u.unary.op == TK_STAR) e = e->u.unary.operand;   /* `*r` is r's value */
    if (e->kind == VX_N_SELF) return find_local(c, "self");
    if (e->kind != VX_N_IDENT) return -1;
    bool use;
    int r = poly_reg(c, e, &use);                     /* a let-polymorphic closure: this use's instance */
    return use ? r : find_local(c, e->u.ident.name);
}
bool is_handback(Comp *c, int r) { return r < 64 && (c->handback >> r & 1); }
bool is_obj(Comp *c, VxNode *e) { return is_obj_kind(node_kind(c, e, NULL)); }

/* A register holding e's value: a local's own (borrowed), or a new
 * temporary (owned, released when given back). */
int expr(Comp *c, VxNode *e)
{
    int l = local_of(c, e);
    if (l >= 0) return l;
    int r = alloc_reg(c, e);
    expr_to(c, e, r);
    if (is_obj(c, e)) c->owned[r] = true;
    return r;
}

/* Evaluate e for its effects only. */
void discard(Comp *c, VxNode *e)
{
    int save = c->freereg;
    int r = alloc_reg(c, e);
    expr_to(c, e, r);
    if (is_obj(c, e)) c->owned[r] = true;
    release_to(c, e, save);
}

/* ---- control flow ------------------------------------------------------------------------ */

static void if_expr(Comp *c, VxNode *e, int dst)
{
    if (e->u.if_.pat) { if_let(c, e, dst); return; }
    int save = c->freereg;
    int cond = expr(c, e->u.if_.cond);
    release_to(c, e, save);
    int to_else = emit_jump(c, e, VX_OP_JMPIFNOT, cond);
    block_to(c, e->u.if_.then, dst);
    if (!e->u.if_.els) { patch_here(c, to_else); return; }
    int to_end = emit_jump(c, e, VX_OP_JMP, 0);
    patch_here(c, to_else);
    if (e->u.if_.els->kind == VX_N_IF) expr_to(c, e->u.if_.els, dst);
    else block_to(c, e->u.if_.els, dst);
    patch_here(c, to_end);
}

CLoop *push_loop(Comp *c, VxNode *at, const char *label, int dst)
{
    if (c->nloops >= MAX_LOOPS) { unsupported(c, at, "loops nested this deeply"); return NULL; }
    CLoop *l = &c->loops[c->nloops++];
    memset(l, 0, sizeof *l);
    l->label = label;
    l->dst = dst;
    l->level = c->freereg;
    l->scope_locals = c->locals.len;
    l->no_grad = c->no_grad;
    return l;
}

void pop_loop(Comp *c, int continue_target, int break_target)
{
    CLoop *l = &c->loops[--c->nloops];
    for (int i = 0; i < l->continues.len; i++) patch(c, l->continues.data[i], continue_target);
    for (int i = 0; i < l->breaks.len; i++) patch(c, l->breaks.data[i], break_target);
    vx_vec_free(&l->continues);
    vx_vec_free(&l->breaks);
}

static void while_loop(Comp *c, VxNode *e)
{
    if (e->u.while_.pat) { while_let(c, e); return; }
    int top = c->code.len;
    int save = c->freereg;
    int cond = expr(c, e->u.while_.cond);
    release_to(c, e, save);
    int exit = emit_jump(c, e, VX_OP_JMPIFNOT, cond);
    if (!push_loop(c, e, e->u.while_.label, -1)) return;
    discard(c, e->u.while_.body);
    jump_back(c, e, top);
    patch_here(c, exit);
    pop_loop(c, top, c->code.len);
}

static void loop_expr(Comp *c, VxNode *e, int dst)
{
    int top = c->code.len;
    if (!push_loop(c, e, e->u.loop.label, dst)) return;
    discard(c, e->u.loop.body);
    jump_back(c, e, top);
    pop_loop(c, top, c->code.len);
}

/* The i64 loop: one test on entry, then FORLOOP (increment, compare,
 * jump back) per iteration, as Lua's FORLOOP. */
static void for_range_i64(Comp *c, VxNode *e, int i, int end, int test, bool incl)
{
    VxNode *pat = e->u.for_.pat;
    emit(c, e, incl ? VX_OP_LE_I64 : VX_OP_LT_I64, 0, test, i, end);
    int exit = emit_jump(c, e, VX_OP_JMPIFNOT, test);
    int top = c->code.len;
    if (pat->kind == VX_N_PAT_IDENT) declare(c, pat->u.pat_ident.name, i);
    if (!push_loop(c, e, e->u.for_.label, -1)) return;
    discard(c, e->u.for_.body);
    int step = c->code.len;
    int back = top - step - 1;
    if (back >= -32768) {
        emit(c, e, incl ? VX_OP_FORLOOPI : VX_OP_FORLOOP, 0, i, end, (uint16_t)(int16_t)back);
    } else {                                          /* a body too long for a 16-bit jump */
        if (incl) {
            emit(c, e, VX_OP_LT_I64, 0, test, i, end);
            int done = emit_jump(c, e, VX_OP_JMPIFNOT, test);
            emit(c, e, VX_OP_ADDI_I64, 0, i, i, 1);
            jump_back(c, e, top);
            patch_here(c, done);
        } else {
            emit(c, e, VX_OP_ADDI_I64, 0, i, i, 1);
            emit(c, e, VX_OP_LT_I64, 0, test, i, end);
            int again = emit_jump(c, e, VX_OP_JMPIF, test);
            patch(c, again, top);
        }
    }
    patch_here(c, exit);
    pop_loop(c, step, c->code.len);
}

/* i := i + 1 for the loop counter of integer kind ik (wide: a new boxed
 * value replaces the old, which is released). */
static void loop_increment(Comp *c, VxNode *e, VKind k, int ik, int i, int tmp)
{
    if (ik == VX_I64) { emit(c, e, VX_OP_ADDI_I64, 0, i, i, 1); return; }
    if (k == K_INT) {
        load_int(c, e, tmp, 1);
        emit(c, e, VX_OP_ADD_INT, ik, i, i, tmp);
        return;
    }
    VxIntType t = { (uint16_t)vx_int_bits((VxIntKind)ik), vx_int_signed((VxIntKind)ik) };
    int one = alloc_reg(c, e), ty;
    emit(c, e, VX_OP_LOADK, 0, one, wide_const(c, vx_wide_from_i64(1, t)), 0);   /* immortal: nothing to drop */
    VxOp add = arith_op(TK_PLUS, K_WIDE, ik, &ty);
    emit(c, e, add, ty, tmp, i, one);
    emit(c, e, VX_OP_DROP, 0, i, 0, 0);
    emit(c, e, VX_OP_MOVE, 0, i, tmp, 0);
    c->freereg--;
}

/* The loop over lo..hi, lo..=hi or lo.. (no end: runs until a break or
 * the counter overflows, as Rust's RangeFrom) of any integer kind but i64
 * with an end (for_range_i64). */
static void for_range_any(Comp *c, VxNode *e, VKind k, int ik, int i, int end, int test, int shape)
{
    VxNode *pat = e->u.for_.pat;
    bool incl = shape == 2;
    int top = c->code.len, exit = -1, last = -1;
    if (shape != 3) {
        emit(c, e, compare_op(k, ik, incl ? 2 : 1), ik, test, i, end);
        exit = emit_jump(c, e, VX_OP_JMPIFNOT, test);
    }
    if (pat->kind == VX_N_PAT_IDENT) declare(c, pat->u.pat_ident.name, i);
    if (!push_loop(c, e, e->u.for_.label, -1)) return;
    discard(c, e->u.for_.body);
    int step = c->code.len;
    if (incl) {                                       /* stop at hi without computing hi + 1 */
        emit(c, e, compare_op(k, ik, 0), ik, test, i, end);
        last = emit_jump(c, e, VX_OP_JMPIF, test);
    }
    loop_increment(c, e, k, ik, i, test);
    jump_back(c, e, top);
    if (exit >= 0) patch_here(c, exit);
    if (last >= 0) patch_here(c, last);
    pop_loop(c, step, c->code.len);
}

/* for i in lo..hi, lo..=hi, lo.. or a Range value, over an integer kind. */
static void for_range(Comp *c, VxNode *e)
{
    VxNode *range = e->u.for_.iter, *pat = e->u.for_.pat;
    int ik = VX_I64;
    bool lit = range->kind == VX_N_RANGE;
    int shape = lit ? (!range->u.range.hi ? 3 : range->u.range.inclusive ? 2 : 1) : range_kind(c, range->type);
    VKind k = kind_of(c, elem_type(c, range), &ik);
    if (k != K_INT && k != K_WIDE) { unsupported(c, e, "`for` over this range"); return; }
    if (pat->kind != VX_N_PAT_IDENT && pat->kind != VX_N_PAT_WILD) { unsupported(c, pat, "this loop pattern"); return; }
    int save = c->freereg, nlocals = c->locals.len;
    int i = alloc_reg(c, e), end = alloc_reg(c, e), test = alloc_reg(c, e);
    if (lit) {
        expr_to(c, range->u.range.lo, i);
        if (shape != 3) expr_to(c, range->u.range.hi, end);
    } else {                                          /* a range value: its start and end, read once */
        int r = expr(c, range);
        emit(c, e, VX_OP_GETF, 0, i, r, 0);
        if (shape != 3) emit(c, e, VX_OP_GETF, 0, end, r, 1);
        release_to(c, e, test + 1);
    }
    c->owned[i] = k == K_WIDE;                        /* boxed bounds: owned copies, released after the loop */
    c->owned[end] = k == K_WIDE && shape != 3;
    if (ik == VX_I64 && shape != 3) for_range_i64(c, e, i, end, test, shape == 2);
    else for_range_any(c, e, k, ik, i, end, test, shape);
    c->locals.len = nlocals;
    release_to(c, e, save);
}

static CLoop *target_loop(Comp *c, VxNode *e)
{
    for (int i = c->nloops - 1; i >= 0; i--)
        if (!e->u.jump.label || (c->loops[i].label && strcmp(c->loops[i].label, e->u.jump.label) == 0)) return &c->loops[i];
    return NULL;
}

void jump(Comp *c, VxNode *e)
{
    if (e->kind == VX_N_RETURN) {
        if (e->u.jump.value && node_kind(c, e->u.jump.value, NULL) != K_UNIT) {
            int save = c->freereg, t = alloc_reg(c, e);
            expr_to(c, e->u.jump.value, t);           /* a copy of a local is retained: t owns it */
            release_on_exit(c, e, 0, t);
            ct_no_grad_exit(c, e, 0);
            emit(c, e, VX_OP_RET, 0, t, 0, 0);
            c->freereg = save;
        } else {
            if (e->u.jump.value) discard(c, e->u.jump.value);
            release_on_exit(c, e, 0, -1);
            ct_no_grad_exit(c, e, 0);
            emit(c, e, VX_OP_RET0, 0, 0, 0, 0);
        }
        return;
    }
    CLoop *l = target_loop(c, e);
    if (!l) { unsupported(c, e, "this jump"); return; }
    if (e->kind == VX_N_BREAK && e->u.jump.value) {
        if (l->dst >= 0) expr_to(c, e->u.jump.value, l->dst);
        else discard(c, e->u.jump.value);
    }
    release_on_exit(c, e, l->level, -1);
    ct_no_grad_exit(c, e, l->no_grad);
    int pc = emit_jump(c, e, VX_OP_JMP, 0);
    if (e->kind == VX_N_BREAK) vx_vec_push(&l->breaks, pc);
    else vx_vec_push(&l->continues, pc);
}

/* for x in array: an index runs over the array in register arr (held
 * for the loop), whose elements have type elem. */
static void for_elements(Comp *c, VxNode *e, int arr, VxType *elem, int save)
{
    VxNode *pat = e->u.for_.pat;
    int nlocals = c->locals.len;
    int i = alloc_reg(c, e), n = alloc_reg(c, e), test = alloc_reg(c, e);
    load_int(c, e, i, 0);
    emit(c, e, VX_OP_ALEN, 0, n, arr, 0);
    int top = c->code.len;
    emit(c, e, VX_OP_LT_I64, 0, test, i, n);
    int exit = emit_jump(c, e, VX_OP_JMPIFNOT, test);
    if (!push_loop(c, e, e->u.for_.label, -1)) return;
    int x = alloc_reg(c, e);                         /* above the loop's level: a jump out releases it */
    bool obj = is_obj_kind(kind_of(c, elem, NULL));
    emit(c, e, VX_OP_AGET, 0, x, arr, i);
    c->owned[x] = obj;
    int parts = c->freereg;
    if (pat->kind == VX_N_PAT_IDENT) declare(c, pat->u.pat_ident.name, x);
    else if (pat->kind != VX_N_PAT_WILD) {           /* `for (i, s) in pairs`: names borrow x's parts */
        Bindings bs = {0};
        alloc_bindings(c, pat, &bs);
        pattern_bind(c, pat, x, &bs);
        declare_bindings(c, &bs);
    }
    discard(c, e->u.for_.body);
    release_to(c, e, parts);                         /* `mut` bindings own copies */
    if (obj) emit(c, e, VX_OP_DROP, 0, x, 0, 0);   /* the normal path; continue and break drop it themselves */
    c->owned[x] = false;
    int step = c->code.len;
    emit(c, e, VX_OP_ADDI_I64, 0, i, i, 1);
    jump_back(c, e, top);
    patch_here(c, exit);
    pop_loop(c, step, c->code.len);
    c->locals.len = nlocals;
    release_to(c, e, save);
}

static void for_array(Comp *c, VxNode *e)
{
    int save = c->freereg;
    for_elements(c, e, expr(c, e->u.for_.iter), elem_type(c, e->u.for_.iter), save);
}

/* for ch in s: over the characters, each a string (`chars(s)`). */
static void for_chars(Comp *c, VxNode *e)
{
    int save = c->freereg, s = expr(c, e->u.for_.iter), arr = alloc_reg(c, e);
    emit(c, e, VX_OP_CALLB, 0, arr, s, vx_builtin_find("chars", 1));
    c->owned[arr] = true;
    VxType *str = vx_t_str(vx_sema_types(c->sema));
    for_elements(c, e, arr, str, save);
}

/* for (k, v) in m: over the (key, value) pairs in insertion order, taken
 * when the loop starts (zip of the keys and the values), so changing the
 * map in the body does not change what the loop visits. */
static void for_map(Comp *c, VxNode *e)
{
    VxType *mt = deref_type(c, e->u.for_.iter->type);
    VxTypes *T = vx_sema_types(c->sema);
    VxType *pair = vx_t_tuple(T, mt->u.tuple.elems, 2);
    int save = c->freereg;
    int m = expr(c, e->u.for_.iter);
    int kv = alloc_reg(c, e);
    alloc_reg(c, e);
    alloc_reg(c, e);
    emit(c, e, VX_OP_CALLB, 0, kv, m, vx_builtin_find("hashmap_keys", 1));
    emit(c, e, VX_OP_CALLB, 0, kv + 1, m, vx_builtin_find("hashmap_values", 1));
    emit(c, e, VX_OP_LOADK, 0, kv + 2, desc_const(c, pair, 0), 0);
    int arr = alloc_reg(c, e);
    emit(c, e, VX_OP_CALLB, 0, arr, kv, vx_builtin_find("zip", 3));
    emit(c, e, VX_OP_DROP, 0, kv, 0, 0);
    emit(c, e, VX_OP_DROP, 0, kv + 1, 0, 0);
    c->owned[arr] = true;
    for_elements(c, e, arr, pair, save);
}

/* for row in t: over t's rows along dim 0 (views), or a 1-D t's
 * elements, taken when the loop starts. */
static void for_tensor(Comp *c, VxNode *e)
{
    VxType *t = deref_type(c, e->u.for_.iter->type);
    VxTypes *T = vx_sema_types(c->sema);
    VxType *elem = t->u.tensor.rank == 1 ? t->u.tensor.dtype
                   : vx_t_tensor(T, t->u.tensor.dtype, t->u.tensor.dims + 1, t->u.tensor.rank - 1, true);
    int save = c->freereg;
    for_elements(c, e, ct_unbind(c, e->u.for_.iter, elem), elem, save);
}

/* ---- expressions and statements ---------------------------------------------------------- */

void expr_to(Comp *c, VxNode *e, int dst)
{
    if (c->failed) return;
    switch (e->kind) {
    case VX_N_INT: case VX_N_FLOAT: case VX_N_BOOL: case VX_N_STRING: literal(c, e, dst); return;
    case VX_N_IDENT: case VX_N_SELF: {
        int r = local_of(c, e);
        if (r >= 0) {
            if (r != dst) emit(c, e, is_obj(c, e) ? VX_OP_MOVE_OBJ : VX_OP_MOVE, 0, dst, r, 0);
            return;
        }
        if (e->kind == VX_N_SELF) { unsupported(c, e, "`self` here"); return; }
        VxDecl *d = vx_sema_global(c->sema, e->u.ident.name);
        if (d && d->kind == VX_D_CONST && d->node->u.konst.value) {
            if (!const_array(c, d, dst)) expr_to(c, d->node->u.konst.value, dst);
            return;
        }
        if (variant_value(c, e, dst)) return;            /* `None` */
        if (function_value(c, e, dst)) return;
        unsupported(c, e, "this name as a value");
        return;
    }
    case VX_N_BINARY: binary(c, e, dst); return;
    case VX_N_UNARY: unary(c, e, dst); return;
    case VX_N_ASSIGN: assign(c, e); return;
    case VX_N_CAST: cast(c, e, dst); return;
    case VX_N_CALL: call(c, e, dst); return;
    case VX_N_CLOSURE: closure_value(c, e, dst); return;
    case VX_N_TRY: try_expr(c, e, dst); return;
    case VX_N_BLOCK: block_to(c, e, dst); return;
    case VX_N_IF: if_expr(c, e, dst); return;
    case VX_N_WHILE: while_loop(c, e); return;
    case VX_N_LOOP: loop_expr(c, e, dst); return;
    case VX_N_FOR:
        if (e->u.for_.iter->kind == VX_N_RANGE || is_range(c, e->u.for_.iter->type)) for_range(c, e);
        else if (node_kind(c, e->u.for_.iter, NULL) == K_ARR) for_array(c, e);
        else if (node_kind(c, e->u.for_.iter, NULL) == K_STR) for_chars(c, e);
        else if (node_kind(c, e->u.for_.iter, NULL) == K_MAP) for_map(c, e);
        else if (node_kind(c, e->u.for_.iter, NULL) == K_TENSOR) for_tensor(c, e);
        else unsupported(c, e, "`for` over this value");
        return;
    case VX_N_ARRAY: array_lit(c, e, dst); return;
    case VX_N_STRUCT_LIT: struct_lit(c, e, dst); return;
    case VX_N_RANGE: range_value(c, e, dst); return;
    case VX_N_PATH:
        if (!variant_value(c, e, dst)) unsupported(c, e, "this path");
        return;
    case VX_N_NO_GRAD: ct_no_grad(c, e, dst); return;
    case VX_N_FIELD_ACCESS: if (ct_field(c, e, dst)) return;
        field_get(c, e, e->u.field_access.expr, struct_field_index(c, e->u.field_access.expr, e->u.field_access.name), dst); return;
    case VX_N_TUPLE_INDEX: field_get(c, e, e->u.tuple_index.expr, (int)e->u.tuple_index.index, dst); return;
    case VX_N_ARRAY_REPEAT: array_repeat(c, e, dst); return;
    case VX_N_INDEX: index_expr(c, e, dst); return;
    case VX_N_METHOD_CALL: method_call(c, e, dst); return;
    case VX_N_BREAK: case VX_N_CONTINUE: case VX_N_RETURN: jump(c, e); return;
    case VX_N_MATCH: match_expr(c, e, dst); return;
    case VX_N_TUPLE:
        if (e->u.list.elems.len == 0) return;       /* () */
        if (kind_of(c, e->type, NULL) != K_REC) { unsupported(c, e, kind_words(c, e)); return; }
        new_record(c, e, e->u.list.elems.items, e->u.list.elems.len, ctype(c, e->type), 0, dst);
        return;
    default: {
        char what[64];
        snprintf(what, sizeof what, "`%s` expressions", vx_node_name(e->kind));
        unsupported(c, e, what);
    }
    }
}

void block_to(Comp *c, VxNode *b, int dst)
{
    if (b->kind != VX_N_BLOCK) { expr_to(c, b, dst); return; }
    int nlocals = c->locals.len, save = c->freereg;
    VxNodeList st = b->u.block.stmts;
    for (int i = 0; i < st.len && !c->failed; i++) {
        VxNode *s = st.items[i];
        if (i == st.len - 1 && s->kind == VX_N_EXPR_STMT && !s->u.expr_stmt.semi) expr_to(c, s->u.expr_stmt.expr, dst);
        else stmt(c, s);
    }
    c->locals.len = nlocals;
    release_to(c, b, save);
}

static void stmt(Comp *c, VxNode *s)
{
    if (s->kind == VX_N_EXPR_STMT) { discard(c, s->u.expr_stmt.expr); return; }
    if (s->kind != VX_N_LET) { unsupported(c, s, "items inside functions"); return; }
    VxNode *p = s->u.let.pat;
    if (p->kind == VX_N_PAT_WILD) { discard(c, s->u.let.value); return; }
    if (p->kind != VX_N_PAT_IDENT) { let_pattern(c, s); return; }
    if (s->u.let.value->kind == VX_N_CLOSURE && node_kind(c, s->u.let.value, NULL) != K_FN) { poly_let(c, s); return; }
    int r = alloc_reg(c, s);                          /* a new register: shadowing keeps the old one */
    expr_to(c, s->u.let.value, r);
    if (is_obj(c, s->u.let.value)) c->owned[r] = true;      /* dropped at the block's end */
    if (s->u.let.mut || p->u.pat_ident.mut) declare(c, p->u.pat_ident.name, r);
    else declare_fixed(c, p->u.pat_ident.name, r);
}

/* ---- functions ----------------------------------------------------------------------------- */

/* `name<i64, str>` for an instance of a generic function, `Stack<i64>::push`
 * for a method of a generic impl (for stack traces). */
static char *instance_name(Comp *c, FuncRef fr)
{
    VxTypes *T = vx_sema_types(c->sema);
    VxDecl *d = fr.decl;
    char buf[512];
    size_t len = 0;
    int k = 0;
    if (d->impl) {
        k = d->impl->kind == VX_D_TRAIT ? d->impl->ngenerics + 1 : d->impl->ngenerics;
        VxType *self = d->impl->kind == VX_D_TRAIT ? fr.args[k - 1] : vx_subst(T, d->impl->self_type, d->impl, fr.args, k);
        len = (size_t)snprintf(buf, sizeof buf, "%s::", vx_tname(T, vx_sema_type(c->sema, self)));
    }
    if (len < sizeof buf) len += (size_t)snprintf(buf + len, sizeof buf - len, "%s", d->name);
    for (int i = k; i < fr.nargs && len < sizeof buf; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i == k ? "<" : ", ", vx_tname(T, fr.args[i]));
    if (fr.nargs > k && len < sizeof buf) snprintf(buf + len, sizeof buf - len, ">");
    char *name = vx_xmalloc(strlen(buf) + 1);
    return strcpy(name, buf);
}

static void finish_fn(Comp *c, VxNode *end, int ret, VKind rk, VxFunc *out);

/* A closure's function: parameters, then its captures, then the body.
 * The captures are named first so that a parameter shadows a captured
 * variable of the same name; a pattern parameter binds its names to parts
 * of its register, which keeps the argument. */
static void compile_closure(Comp *c, FuncRef fr, VxFunc *out)
{
    VxNode *e = fr.closure;
    VxType *ft = ctype(c, e->type);
    VxNodeList ps = e->u.closure.params;
    c->handback = 0;
    /* captures first: a parameter named like a captured variable hides it */
    c->caps_lo = ps.len;
    c->caps_hi = ps.len + fr.ncaps;
    out->caps_obj_mask = 0;
    for (int i = 0; i < fr.npoly_caps; i++) {
        PolyReg pr = fr.poly_caps[i];
        pr.reg += ps.len;
        vx_vec_push(&c->poly, pr);
    }
    for (int i = 0; i < fr.ncaps; i++) {
        if (fr.caps[i]) declare(c, fr.caps[i], ps.len + i);   /* NULL: an instance of a let-polymorphic closure */
        c->owned[ps.len + i] = is_obj_kind(kind_of(c, fr.cap_types[i], NULL));
        if (c->owned[ps.len + i]) out->caps_obj_mask |= 1ull << i;
    }
    for (int i = 0; i < ps.len; i++) {
        VxNode *p = ps.items[i], *pat = p->u.param.pat;
        const char *name = pat ? (pat->kind == VX_N_PAT_IDENT ? pat->u.pat_ident.name : "_") : p->u.param.name;
        declare(c, name ? name : "_", i);
        c->owned[i] = is_obj_kind(kind_of(c, ft->u.fn.params[i], NULL));
    }
    c->freereg = c->maxreg = ps.len + fr.ncaps;
    for (int i = 0; i < ps.len; i++) {               /* `|(i, v)|`: destructure the argument, as `let` does */
        VxNode *pat = ps.items[i]->u.param.pat;
        if (!pat || pat->kind == VX_N_PAT_IDENT || pat->kind == VX_N_PAT_WILD) continue;
        Bindings bs = {0};
        alloc_bindings(c, pat, &bs);
        pattern_bind(c, pat, i, &bs);
        declare_bindings(c, &bs);
    }
    int ret = alloc_reg(c, e);
    VKind rk = kind_of(c, ft->u.fn.ret, NULL);
    expr_to(c, e->u.closure.body, ret);
    finish_fn(c, e->u.closure.body, ret, rk, out);
    char name[160];
    snprintf(name, sizeof name, "<closure in %s at line %d>", fr.decl->name, vx_source_pos(c->src, e->span.start).line);
    out->name = out->own_name = strcpy(vx_xmalloc(strlen(name) + 1), name);
    out->nparams = ps.len;
    out->ncaps = fr.ncaps;
}

static void compile_fn(Comp *c, FuncRef fr, VxFunc *out)
{
    VxDecl *d = fr.decl;
    c->cur = fr;
    c->src = out->src = d->src;                        /* its module's file: names, spans, errors */
    vx_sema_set_file(c->sema, d->src);
    c->code.len = c->spans.len = c->consts.len = c->locals.len = c->poly.len = 0;
    c->nloops = 0;
    VxNode *n = d->node;
    memset(c->owned, 0, sizeof c->owned);
    c->caps_lo = c->caps_hi = 0;
    if (fr.closure) { compile_closure(c, fr, out); return; }
    int first = 0;                                     /* R0: a hidden result slot when `&mut` parameters are handed back */
    for (int i = 0; i < d->nparams; i++) first |= handback_param(c, d, i);
    c->handback = 0;
    for (int i = 0; i < d->nparams; i++) {
        VxType *pt = ctype(c, d->sig->u.fn.params[i]);
        VxNode *at = i < n->u.fn.params.len ? n->u.fn.params.items[i] : n;
        bool hb = handback_param(c, d, i);
        const char *name = i == 0 && d->self != VX_SELF_NONE ? "self" : d->param_names[i];
        if (param_fixed(c, d, i)) declare_fixed(c, name, first + i);
        else declare(c, name, first + i);
        bool borrowed = !fr.as_value && param_fixed(c, d, i);     /* the caller keeps it alive and releases it */
        c->owned[first + i] = is_obj_kind(kind_of(c, pt, NULL)) && !hb && !borrowed;   /* the callee owns the rest */
        if (hb && first + i < 64) c->handback |= 1ull << (first + i);
        else if (hb) unsupported(c, at, "`&mut` parameters after the 63rd");
        if (kind_of(c, pt, NULL) == K_OTHER) unsupported(c, at, "parameters of this type");
    }
    c->freereg = c->maxreg = first + d->nparams;
    int ret = alloc_reg(c, n);
    VKind rk = kind_of(c, d->sig->u.fn.ret, NULL);
    if (rk == K_OTHER) unsupported(c, n->u.fn.ret ? n->u.fn.ret : n, "functions returning this type");
    block_to(c, n->u.fn.body, ret);
    finish_fn(c, n->u.fn.body, ret, rk, out);
    out->name = fr.decl->name;
    if (fr.nargs || d->impl) out->name = out->own_name = instance_name(c, fr);   /* `Account::debit` */
    out->nparams = first + d->nparams;
}

/* The return at the end, then the code, spans and constants into out. */
static void finish_fn(Comp *c, VxNode *end, int ret, VKind rk, VxFunc *out)
{
    release_on_exit(c, end, 0, ret);                   /* the parameters */
    if (rk == K_UNIT || rk == K_NEVER) emit(c, end, VX_OP_RET0, 0, 0, 0, 0);
    else emit(c, end, VX_OP_RET, 0, ret, 0, 0);
    out->nregs = c->maxreg;
    out->ncode = c->code.len;
    out->code = vx_xmalloc(sizeof(VxInstr) * (size_t)(c->code.len ? c->code.len : 1));
    if (c->code.len) memcpy(out->code, c->code.data, sizeof(VxInstr) * (size_t)c->code.len);
    out->spans = vx_xmalloc(sizeof(VxSpan) * (size_t)(c->spans.len ? c->spans.len : 1));
    if (c->spans.len) memcpy(out->spans, c->spans.data, sizeof(VxSpan) * (size_t)c->spans.len);
    out->nconsts = c->consts.len;
    out->consts = vx_xmalloc(sizeof(VxValue) * (size_t)(c->consts.len ? c->consts.len : 1));
    if (c->consts.len) memcpy(out->consts, c->consts.data, sizeof(VxValue) * (size_t)c->consts.len);
}

static void free_comp(Comp *c)
{
    vx_vec_free(&c->code);
    vx_vec_free(&c->spans);
    vx_vec_free(&c->consts);
    vx_vec_free(&c->locals);
    vx_vec_free(&c->poly);
    vx_vec_free(&c->refs);
    vx_vec_free(&c->todo);
    vx_vec_free(&c->desc_keys);
    vx_vec_free(&c->array_decls);
    vx_arena_free(&c->scratch);
    for (int i = 0; i < c->nloops; i++) { vx_vec_free(&c->loops[i].breaks); vx_vec_free(&c->loops[i].continues); }
}

VxProgram *vx_compile(VxSema *sema, const VxSource *src, VxNode *file, VxDiags *diags)
{
    (void)file;
    Comp c;
    memset(&c, 0, sizeof c);
    c.sema = sema;
    c.src = src;
    c.diags = diags;
    VxDecl *main_fn = vx_sema_global(sema, "main");
    if (!main_fn || main_fn->kind != VX_D_FN || !main_fn->node->u.fn.body || main_fn->src != src) {
        VxDiag *g = vx_diag(diags, VX_ERROR, src, vx_span(0, 0), "this program has no `main` function");
        vx_diag_help(diags, g, "add one: `fn main() { ... }`");
        return NULL;
    }
    if (main_fn->nparams) {
        vx_diag(diags, VX_ERROR, src, main_fn->node->span, "`main` takes no parameters; use `args()` for the command line");
        return NULL;
    }
    func_index(&c, main_fn, NULL, 0);
    for (int i = 0; i < c.todo.len && !c.failed; i++) {
        VxFunc f;
        memset(&f, 0, sizeof f);
        compile_fn(&c, c.todo.data[i], &f);
        vx_vec_push(&c.funcs, f);
    }
    VxProgram *p = vx_xmalloc(sizeof *p);
    p->funcs = c.funcs.data;
    p->nfuncs = c.funcs.len;
    p->main = 0;
    p->src = src;
    p->strings = c.strings.data;
    p->nstrings = c.strings.len;
    p->arrays = c.arrays.data;
    p->narrays = c.arrays.len;
    p->wides = c.wides.data;
    p->nwides = c.wides.len;
    p->descs = c.descs.data;
    p->ndescs = c.descs.len;
    bool failed = c.failed;
    free_comp(&c);
    if (failed) { vx_program_free(p); return NULL; }
    return p;
}
