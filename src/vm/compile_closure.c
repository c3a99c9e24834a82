/* compile_closure.c - closures and their captures, and the higher-order
 * array builtins (map, filter, fold...) compiled to loops around CALLC. */
#include "compile_internal.h"

/* ---- closures ------------------------------------------------------------------------------ */

/* Closures capture by value: each variable of the enclosing function the
 * body names is copied into the closure when it is made, and into the
 * registers after the parameters at each call.  Assigning to a captured
 * variable is refused (it would change only the copy). */

typedef struct Captures { const char *names[64]; VxType *types[64]; int from[64]; int n; bool overflow, clash, poly_inner; } Captures;

static void find_captures(Comp *c, VxNode *e, Captures *cs);

/* Is e a use of a let-polymorphic closure? */
static bool poly_use(Comp *c, VxNode *e)
{
    for (int i = 0; i < c->poly.len; i++) if (c->poly.data[i].use == e) return true;
    return false;
}

static void find_captures_list(Comp *c, VxNodeList l, Captures *cs)
{
    for (int i = 0; i < l.len; i++) find_captures(c, l.items[i], cs);
}

/* Every name in e that is a variable of the enclosing function.  (A name
 * the closure rebinds is captured needlessly, never wrongly.) */
static void find_captures(Comp *c, VxNode *e, Captures *cs)
{
    if (!e) return;
    if (e->kind == VX_N_IDENT || e->kind == VX_N_SELF) {
        const char *name = e->kind == VX_N_SELF ? "self" : e->u.ident.name;
        int from = local_of(c, e);
        if (from == -1 && e->kind == VX_N_IDENT && find_local(c, name) == -1 && poly_use(c, e)) cs->poly_inner = true;
        if (from < 0) return;
        for (int i = 0; i < cs->n; i++)
            if (strcmp(cs->names[i], name) == 0) { cs->clash |= cs->from[i] != from; return; }
        if (cs->n == 64) { cs->overflow = true; return; }
        cs->names[cs->n] = name;
        cs->from[cs->n] = from;
        cs->types[cs->n++] = ctype(c, e->type);
        return;
    }
    switch (e->kind) {
    case VX_N_UNARY: find_captures(c, e->u.unary.operand, cs); return;
    case VX_N_BINARY: case VX_N_ASSIGN: find_captures(c, e->u.binary.lhs, cs); find_captures(c, e->u.binary.rhs, cs); return;
    case VX_N_CAST: find_captures(c, e->u.cast.expr, cs); return;
    case VX_N_CALL: find_captures(c, e->u.call.callee, cs); find_captures_list(c, e->u.call.args, cs); return;
    case VX_N_NAMED_ARG: find_captures(c, e->u.named_arg.value, cs); return;
    case VX_N_METHOD_CALL: find_captures(c, e->u.method.recv, cs); find_captures_list(c, e->u.method.args, cs); return;
    case VX_N_FIELD_ACCESS: find_captures(c, e->u.field_access.expr, cs); return;
    case VX_N_TUPLE_INDEX: find_captures(c, e->u.tuple_index.expr, cs); return;
    case VX_N_INDEX: find_captures(c, e->u.index.expr, cs); find_captures_list(c, e->u.index.indices, cs); return;
    case VX_N_RANGE: find_captures(c, e->u.range.lo, cs); find_captures(c, e->u.range.hi, cs); return;
    case VX_N_TUPLE: case VX_N_ARRAY: find_captures_list(c, e->u.list.elems, cs); return;
    case VX_N_ARRAY_REPEAT: find_captures(c, e->u.repeat.value, cs); find_captures(c, e->u.repeat.count, cs); return;
    case VX_N_STRUCT_LIT:
        for (int i = 0; i < e->u.struct_lit.fields.len; i++) {
            VxNode *f = e->u.struct_lit.fields.items[i];
            if (f->u.field_init.value) find_captures(c, f->u.field_init.value, cs);
            else if (find_local(c, f->u.field_init.name) >= 0) {   /* shorthand `P { x }` */
                VxNode id = { .kind = VX_N_IDENT, .span = f->span, .type = f->type };
                id.u.ident.name = f->u.field_init.name;
                find_captures(c, &id, cs);
            }
        }
        return;
    case VX_N_BLOCK: find_captures_list(c, e->u.block.stmts, cs); return;
    case VX_N_LET: find_captures(c, e->u.let.value, cs); return;
    case VX_N_EXPR_STMT: find_captures(c, e->u.expr_stmt.expr, cs); return;
    case VX_N_IF: find_captures(c, e->u.if_.cond, cs); find_captures(c, e->u.if_.then, cs); find_captures(c, e->u.if_.els, cs); return;
    case VX_N_MATCH:
        find_captures(c, e->u.match.scrutinee, cs);
        for (int i = 0; i < e->u.match.arms.len; i++) {
            VxNode *arm = e->u.match.arms.items[i];
            find_captures(c, arm->u.arm.guard, cs);
            find_captures(c, arm->u.arm.body, cs);
        }
        return;
    case VX_N_WHILE: find_captures(c, e->u.while_.cond, cs); find_captures(c, e->u.while_.body, cs); return;
    case VX_N_LOOP: find_captures(c, e->u.loop.body, cs); return;
    case VX_N_FOR: find_captures(c, e->u.for_.iter, cs); find_captures(c, e->u.for_.body, cs); return;
    case VX_N_BREAK: case VX_N_CONTINUE: case VX_N_RETURN: find_captures(c, e->u.jump.value, cs); return;
    case VX_N_CLOSURE: find_captures(c, e->u.closure.body, cs); return;
    case VX_N_TRY: find_captures(c, e->u.try_.expr, cs); return;
    default: return;
    }
}

/* |params| body: a function of its own, and a value holding its captures. */
void closure_value(Comp *c, VxNode *e, int dst)
{
    if (kind_of(c, e->type, NULL) != K_FN) { unsupported(c, e, "closures whose types are generic (used at several types)"); return; }
    Captures cs = {0};
    find_captures(c, e->u.closure.body, &cs);
    if (cs.overflow) { unsupported(c, e, "closures capturing more than 64 variables"); return; }
    if (cs.poly_inner) { unsupported(c, e, "let-polymorphic closures used inside other let-polymorphic closures"); return; }
    if (cs.clash) { unsupported(c, e, "closures that use a let-polymorphic closure at several types"); return; }
    FuncRef r = c->cur;
    r.closure = e;
    r.ncaps = cs.n;
    r.caps = vx_arena_alloc(&c->scratch, sizeof(char *) * (size_t)(cs.n ? cs.n : 1));
    r.cap_types = vx_arena_alloc(&c->scratch, sizeof(VxType *) * (size_t)(cs.n ? cs.n : 1));
    memcpy(r.caps, cs.names, sizeof(char *) * (size_t)cs.n);
    memcpy(r.cap_types, cs.types, sizeof(VxType *) * (size_t)cs.n);
    int f = add_func(c, r);
    int save = c->freereg, base = c->freereg;
    for (int i = 0; i < cs.n; i++) {
        int reg = alloc_reg(c, e);
        emit(c, e, is_obj_kind(kind_of(c, cs.types[i], NULL)) ? VX_OP_MOVE_OBJ : VX_OP_MOVE, 0, reg, cs.from[i], 0);
    }
    if (cs.n == 0) alloc_reg(c, e);
    emit(c, e, VX_OP_CLOSURE, 0, dst, f, base);
    c->freereg = save;                               /* the copies now belong to the closure */
}

/* let f = |x| ... used at several types (sema generalised it): one
 * closure per distinct instantiation among its uses, each compiled with
 * the types its variables take there, and all made here, so each
 * captures what the `let` sees.  Each use reads its instance's register. */
void poly_let(Comp *c, VxNode *s)
{
    VxNode *pat = s->u.let.pat, *e = s->u.let.value;
    if (c->cur.nquant) { unsupported(c, e, "let-polymorphic closures inside other let-polymorphic closures"); return; }
    enum { MAXI = 64 };
    VxType **insts[MAXI];
    int regs[MAXI], ninst = 0;
    FuncRef outer = c->cur;
    VxNode *binding, *use;
    VxType **quant, **inst;
    int n;
    for (int i = 0; vx_sema_poly_use(c->sema, i, &binding, &use, &quant, &inst, &n) && !c->failed; i++) {
        if (binding != pat) continue;
        VxType **conc = vx_arena_alloc(&c->scratch, sizeof(VxType *) * (size_t)n);
        for (int k = 0; k < n; k++) conc[k] = ctype(c, inst[k]);
        int found = -1;
        for (int j = 0; j < ninst && found < 0; j++) {
            bool same = true;
            for (int k = 0; k < n && same; k++) same = insts[j][k] == conc[k];
            if (same) found = j;
        }
        if (found < 0) {
            if (ninst == MAXI) { unsupported(c, use, "a closure used at more than 64 types"); return; }
            c->cur.quant = quant;
            c->cur.inst = conc;
            c->cur.nquant = n;
            bool concrete = kind_of(c, e->type, NULL) == K_FN;
            c->cur = outer;
            if (!concrete) {                           /* a use inside another generalised closure, at its types */
                PolyReg pr = { use, -1 };
                vx_vec_push(&c->poly, pr);
                continue;
            }
            c->cur.quant = quant;
            c->cur.inst = conc;
            c->cur.nquant = n;
            found = ninst++;
            insts[found] = conc;
            regs[found] = alloc_reg(c, e);
            closure_value(c, e, regs[found]);
            c->owned[regs[found]] = true;             /* dropped at the block's end */
            c->cur = outer;
        }
        PolyReg pr = { use, regs[found] };
        vx_vec_push(&c->poly, pr);
    }
    declare(c, pat->u.pat_ident.name, -1);            /* shadows; each use finds its instance in c->poly */
}

static VxNode *synth_node(Comp *c, VxNodeKind k, VxNode *at, void *type)
{
    VxNode *n = vx_arena_alloc(&c->scratch, sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = k;
    n->span = at->span;
    n->type = type;
    return n;
}

/* A builtin used as a value (`xs.map(sqrt)`): the closure
 * `|$0, $1..| name($0, $1..)` at the type sema gave the name here, so
 * the call inside compiles as any call of the builtin at those types. */
static void builtin_value(Comp *c, VxNode *e, VxDecl *d, int dst)
{
    VxType *ft = ctype(c, e->type);
    int n = ft->u.fn.n;
    VxNode **params = vx_arena_alloc(&c->scratch, sizeof(VxNode *) * (size_t)(n ? n : 1));
    VxNode **args = vx_arena_alloc(&c->scratch, sizeof(VxNode *) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        char *name = vx_arena_alloc(&c->scratch, 12);
        snprintf(name, 12, "$%d", i);                 /* no user variable can be named so */
        params[i] = synth_node(c, VX_N_PARAM, e, ft->u.fn.params[i]);
        params[i]->u.param.name = name;
        args[i] = synth_node(c, VX_N_IDENT, e, ft->u.fn.params[i]);
        args[i]->u.ident.name = name;
    }
    VxNode *callee = synth_node(c, VX_N_IDENT, e, ft);
    callee->u.ident.name = d->name;
    VxNode *body = synth_node(c, VX_N_CALL, e, ft->u.fn.ret);
    body->u.call.callee = callee;
    body->u.call.args = (VxNodeList){ args, n };
    VxNode *clo = synth_node(c, VX_N_CLOSURE, e, ft);
    clo->u.closure.params = (VxNodeList){ params, n };
    clo->u.closure.body = body;
    closure_value(c, clo, dst);
}

/* A named function used as a value: a closure without captures. */
bool function_value(Comp *c, VxNode *e, int dst)
{
    VxDecl *d = vx_sema_global(c->sema, e->u.ident.name);
    if (d && d->kind == VX_D_FN && d->builtin && !d->impl && kind_of(c, e->type, NULL) == K_FN) {
        builtin_value(c, e, d, dst);
        return true;
    }
    if (!d || d->kind != VX_D_FN || d->builtin || d->ngenerics || d->impl || !d->node->u.fn.body) return false;
    emit(c, e, VX_OP_CLOSURE, 0, dst, value_func_index(c, d), 0);
    return true;
}

/* f(args) where f is a value of function type. */
void closure_call(Comp *c, VxNode *e, int dst)
{
    VxNodeList args = e->u.call.args;
    int save = c->freereg;
    int f = expr(c, e->u.call.callee);
    int base = c->freereg;
    for (int i = 0; i < args.len; i++) {
        if (args.items[i]->kind == VX_N_NAMED_ARG) { unsupported(c, args.items[i], "named arguments to closures"); return; }
        expr_to(c, args.items[i], alloc_reg(c, e));
    }
    if (args.len == 0) alloc_reg(c, e);
    int pc = emit(c, e, VX_OP_CALLC, 0, base, f, args.len);   /* consumes the arguments */
    call_result_to(c, e, pc, base, dst);
    c->freereg = base;
    release_to(c, e, save);                          /* the closure, if it was a temporary */
}

static bool is_capture(Comp *c, int r) { return r >= c->caps_lo && r < c->caps_hi; }

/* Refuse to change a captured copy (the enclosing variable would not change). */
bool assigns_capture(Comp *c, VxNode *target)
{
    while (target->kind == VX_N_FIELD_ACCESS || target->kind == VX_N_INDEX || target->kind == VX_N_TUPLE_INDEX)
        target = target->kind == VX_N_FIELD_ACCESS ? target->u.field_access.expr
               : target->kind == VX_N_INDEX ? target->u.index.expr : target->u.tuple_index.expr;
    int r = local_of(c, target);
    if (r < 0 || !is_capture(c, r)) return false;
    unsupported(c, target, "changing a variable captured by a closure (closures capture copies)");
    return true;
}

/* ---- higher-order array builtins ---------------------------------------------------------- */

/* map, filter, fold, sum, any, all compile to a loop over the array
 * calling the closure (CALLC), as a hand-written `for` would: no
 * builtin re-enters the interpreter.  ANEXT steps the index, tests it
 * and reads the element (owned) straight into the register the step
 * wants it in, usually the call's first argument; the step must leave
 * it released or moved. */

typedef struct ArrayLoop { int i, enter, top; } ArrayLoop;

/* The index R[i] := -1 and a borrowed copy of the array in R[i+1]
 * (where ANEXT reads it); the caller then sets up the step's registers. */
static void array_loop_regs(Comp *c, VxNode *at, int arr, ArrayLoop *l)
{
    l->i = alloc_reg(c, at);
    emit(c, at, VX_OP_MOVE, 0, alloc_reg(c, at), arr, 0);
    load_int(c, at, l->i, -1);
}

/* Enter at the ANEXT that ends each step. */
static void array_loop_top(Comp *c, VxNode *at, ArrayLoop *l)
{
    l->enter = emit_jump(c, at, VX_OP_JMP, 0);
    l->top = c->code.len;
}

static void array_loop_end(Comp *c, VxNode *at, ArrayLoop *l, int x)
{
    patch_here(c, l->enter);
    emit(c, at, VX_OP_ANEXT, 0, l->i, x, (uint16_t)(int16_t)(l->top - c->code.len - 1));   /* steps are short */
}

/* R[base] := f(R[base..base+nargs)), the arguments consumed. */
static void call_closure_at(Comp *c, VxNode *at, int f, int base, int nargs)
{
    if (base + nargs >= c->maxreg) c->maxreg = base + nargs + 1;
    emit(c, at, VX_OP_CALLC, 0, base, f, nargs);
}

bool array_hof(Comp *c, VxNode *at, const char *name, VxNode *arr_node, VxNode **args, int nargs, int dst)
{
    static const char *names[] = { "map", "filter", "fold", "sum", "any", "all" };
    int which = -1;
    for (int i = 0; i < 6; i++) if (strcmp(name, names[i]) == 0) which = i;
    if (which < 0 || node_kind(c, arr_node, NULL) != K_ARR) return false;
    if (nargs != (which == 3 ? 0 : which == 2 ? 2 : 1)) return false;
    for (int i = 0; i < nargs; i++) if (args[i]->kind == VX_N_NAMED_ARG) return false;
    VxType *elem = elem_type(c, arr_node);
    int ik = VX_I64;
    VKind ek = kind_of(c, elem, &ik);
    if (which == 3 && ek != K_INT && ek != K_WIDE && ek != K_F64 && ek != K_F32 && ek != K_HALF) return false;
    bool obj = is_obj_kind(ek);
    int save = c->freereg;
    int arr = expr(c, arr_node);
    int f = which == 3 ? -1 : expr(c, args[which == 2 ? 1 : 0]);
    int acc = which == 2 ? -1 : alloc_reg(c, at);    /* the result, built in place (fold: in the call's window) */
    if (which == 0 || which == 1) {
        int k = which == 0 ? elem_put_kind(c, ctype(c, at->type)->u.arr.elem) : elem_put_kind(c, elem);
        if (k < 0) { unsupported(c, at, "arrays of this element type"); return true; }
        emit(c, at, VX_OP_NEWARR, k, acc, acc, 0);
        c->owned[acc] = true;
    } else if (which == 3) {
        if (ek == K_INT) load_int(c, at, acc, 0);
        else { VxValue z = { .i = 0 }; if (ek == K_F32 || ek == K_HALF) z.f32 = 0.0f; else z.f = 0.0;
               VxWide w0 = { { 0, 0, 0, 0 } };
               emit(c, at, VX_OP_LOADK, 0, acc, ek == K_WIDE ? wide_const(c, w0) : add_const(c, z), 0); }
    } else if (which != 2) {
        emit(c, at, VX_OP_LOADB, 0, acc, which == 5, 0);
    }
    ArrayLoop l;
    array_loop_regs(c, at, arr, &l);
    int x = alloc_reg(c, at);                         /* the element; for map, any, all also the call's window */
    if (which == 2) {                                 /* fold: the window is (acc, x); the result lands in acc */
        acc = x;
        x = alloc_reg(c, at);
        expr_to(c, args[0], acc);
        c->owned[acc] = is_obj(c, args[0]);
    }
    array_loop_top(c, at, &l);
    int done = -1;
    switch (which) {
    case 0:                                           /* out.push(f(x)) */
        call_closure_at(c, at, f, x, 1);
        emit(c, at, VX_OP_APUSH, 0, acc, x, 0);        /* APUSH retains: drop the call's result */
        if (is_obj_kind(kind_of(c, ctype(c, at->type)->u.arr.elem, NULL))) emit(c, at, VX_OP_DROP, 0, x, 0, 0);
        break;
    case 1: {                                         /* if keep(x) { out.push(x) } */
        int base = alloc_reg(c, at);
        emit(c, at, obj ? VX_OP_MOVE_OBJ : VX_OP_MOVE, 0, base, x, 0);
        call_closure_at(c, at, f, base, 1);
        int skip = emit_jump(c, at, VX_OP_JMPIFNOT, base);
        emit(c, at, VX_OP_APUSH, 0, acc, x, 0);
        patch_here(c, skip);
        if (obj) emit(c, at, VX_OP_DROP, 0, x, 0, 0);
        break;
    }
    case 2:                                           /* acc = f(acc, x) */
        call_closure_at(c, at, f, acc, 2);
        break;
    case 3: {                                         /* acc = acc + x, overflow-checked */
        int t;
        VxOp op = arith_op(TK_PLUS, ek, ik, &t);
        if (ek != K_WIDE) { emit(c, at, op, t, acc, acc, x); break; }
        int sum = alloc_reg(c, at);
        emit(c, at, op, t, sum, acc, x);              /* boxed: a new sum; the old one and x are released */
        emit(c, at, VX_OP_DROP, 0, acc, 0, 0);
        emit(c, at, VX_OP_MOVE, 0, acc, sum, 0);
        emit(c, at, VX_OP_DROP, 0, x, 0, 0);
        break;
    }
    default: {                                        /* any: stop at the first true; all: at the first false */
        call_closure_at(c, at, f, x, 1);
        int keep_going = emit_jump(c, at, which == 4 ? VX_OP_JMPIFNOT : VX_OP_JMPIF, x);
        emit(c, at, VX_OP_LOADB, 0, acc, which == 4, 0);
        done = emit_jump(c, at, VX_OP_JMP, 0);
        patch_here(c, keep_going);
        break;
    }
    }
    array_loop_end(c, at, &l, x);
    if (done >= 0) patch_here(c, done);
    emit(c, at, VX_OP_MOVE, 0, dst, acc, 0);          /* the result moves out */
    c->owned[acc] = false;
    release_to(c, at, save);
    return true;
}
