/* compile.c - typed AST to register bytecode.
 *
 * One pass per function, in the manner of Lua's lcode.c: locals live in
 * fixed registers; temporaries are taken from `freereg` upwards and given
 * back in stack order.  expr_to(e, r) leaves e's value in register r;
 * expr(e) returns a register holding it (a local's own register when e is
 * a local, so no copy is made).  Every instruction records the span of the
 * expression it came from, for runtime errors.
 *
 * What is compiled today: integers (i8..i64, u8..u64), f32, f64, bool,
 * string constants, locals, assignment, arithmetic, comparison and logic,
 * casts, if/else, while, loop (with break values), for over integer
 * ranges, labelled break/continue, match on scalars, calls to non-generic
 * functions (with named and default arguments), recursion, return, and the
 * builtins print/println/assert/exit and the math functions.  Anything else
 * is reported as not yet supported by `vortex run`, at its location. */
#include "vm.h"

#include <stdlib.h>
#include <string.h>

#include "../util/vec.h"
#include "num.h"
#include "builtins.h"

enum { MAX_REGS = 65000, MAX_LOOPS = 64 };

typedef enum VKind { K_UNIT, K_BOOL, K_INT, K_F64, K_F32, K_STR, K_ARR, K_REC, K_FN, K_MAP, K_NEVER, K_OTHER } VKind;

typedef struct DescKey { VxType *type; int variant; int index; } DescKey;

typedef struct CLocal { const char *name; int reg; } CLocal;
typedef VX_VEC(int) IntVec;

typedef struct CLoop {
    const char *label;
    int dst;                          /* `loop`: where `break value` goes; -1 otherwise */
    int level;                        /* freereg at the loop's start: what a jump out releases above */
    int scope_locals;                 /* locals alive at the loop's start */
    IntVec breaks, continues;         /* jumps to patch */
} CLoop;

/* A function to compile: a declaration and, for a generic one, the
 * concrete type arguments of this instance (hash-consed: compared by
 * pointer).  For a closure: the closure expression, inside decl's
 * instance, and the names it captures (with their types). */
typedef struct FuncRef {
    VxDecl *decl;
    VxType **args;
    int nargs;
    int index;
    VxNode *closure;
    const char **caps;
    VxType **cap_types;
    int ncaps;
} FuncRef;

typedef struct Comp {
    VxSema *sema;
    const VxSource *src;
    VxDiags *diags;
    VxProgram *prog;
    VX_VEC(VxFunc) funcs;
    VX_VEC(FuncRef) refs;             /* declaration -> function index */
    VX_VEC(FuncRef) todo;             /* functions still to compile */
    VX_VEC(VxStr *) strings;
    VX_VEC(VxArr *) arrays;           /* constant arrays, made once per `const` */
    VX_VEC(VxDecl *) array_decls;     /* ... and the const each was made for */
    VX_VEC(VxRecDesc *) descs;
    VX_VEC(DescKey) desc_keys;        /* (type, variant) -> descs index */
    /* the function being compiled */
    VX_VEC(VxInstr) code;
    VX_VEC(VxSpan) spans;
    VX_VEC(VxValue) consts;
    VX_VEC(CLocal) locals;
    int freereg, maxreg;
    bool owned[MAX_REGS];             /* register holds an object reference it must DROP */
    CLoop loops[MAX_LOOPS];
    int nloops;
    bool failed;
    bool mut_self;                    /* a `&mut self` method: self is R1, handed back on return */
    FuncRef cur;                      /* the function (instance) being compiled */
    int caps_lo, caps_hi;             /* a closure: the registers of its captures (read-only copies) */
    VxArena scratch;                  /* synthesised nodes */
} Comp;

/* ---- errors ------------------------------------------------------------------ */

static void unsupported(Comp *c, VxNode *at, const char *what)
{
    if (c->failed) return;
    c->failed = true;
    VxDiag *g = vx_diag(c->diags, VX_ERROR, c->src, at->span, "`vortex run` cannot run %s yet", what);
    vx_diag_primary(c->diags, g, "not supported by the bytecode VM yet");
    vx_diag_note(c->diags, g, "the program type-checks (`vortex check` passes); the VM is being built in stages "
                              "(docs/architecture.md, section 5, lists what runs today)");
}

/* ---- types --------------------------------------------------------------------- */

static int elem_put_kind(Comp *c, VxType *t);
static VxType *ctype(Comp *c, VxType *t);

static bool record_ok(Comp *c, VxType *t, int depth);
static int add_const(Comp *c, VxValue v);
static bool is_obj_kind(VKind k);

/* The concrete type of t in the function instance being compiled. */
static VxType *ctype(Comp *c, VxType *t)
{
    t = vx_sema_type(c->sema, t);
    if (!c->cur.nargs) return t;
    VxTypes *T = vx_sema_types(c->sema);
    VxDecl *d = c->cur.decl;
    int k = 0;
    if (d->impl && d->impl->kind == VX_D_TRAIT) {     /* a default method: the trait's parameters, then Self */
        k = d->impl->ngenerics + 1;
        t = vx_subst(T, t, d->impl, c->cur.args, k);
    }
    if (d->ngenerics) t = vx_subst(T, t, d, c->cur.args + k, d->ngenerics);
    return vx_sema_type(c->sema, t);
}

/* A reference is its value: `&T` reads are copies of a refcounted,
 * copy-on-write value.  (`&mut` exists only as a method's `self`, which
 * is passed in and handed back: see method_call.) */
static VxType *deref_type(Comp *c, VxType *t)
{
    t = ctype(c, t);
    while (t->kind == VX_T_REF) t = ctype(c, t->u.arr.elem);
    return t;
}

static VKind kind_of(Comp *c, VxType *t, int *ik)
{
    t = deref_type(c, t);
    switch (t->kind) {
    case VX_T_SLICE: case VX_T_ARRAY: return elem_put_kind(c, t->u.arr.elem) >= 0 ? K_ARR : K_OTHER;
    case VX_T_TUPLE: case VX_T_ADT: return record_ok(c, t, 0) ? K_REC : K_OTHER;
    case VX_T_UNIT: return K_UNIT;
    case VX_T_NEVER: return K_NEVER;
    case VX_T_MAP: {                                  /* keys: integers, bools, strings */
        VKind key = kind_of(c, t->u.tuple.elems[0], NULL);
        return (key == K_INT || key == K_BOOL || key == K_STR) && elem_put_kind(c, t->u.tuple.elems[1]) >= 0 ? K_MAP : K_OTHER;
    }
    case VX_T_FN: {
        for (int i = 0; i < t->u.fn.n; i++) if (kind_of(c, t->u.fn.params[i], NULL) == K_OTHER) return K_OTHER;
        return kind_of(c, t->u.fn.ret, NULL) == K_OTHER ? K_OTHER : K_FN;
    }
    case VX_T_BOOL: return K_BOOL;
    case VX_T_STR: return K_STR;
    case VX_T_INT:
        if (vx_int_bits(t->u.ik) > 64) return K_OTHER;
        if (ik) *ik = t->u.ik;
        return K_INT;
    case VX_T_FLOAT:
        if (t->u.fk == VX_F64) return K_F64;
        if (t->u.fk == VX_F32) return K_F32;
        return K_OTHER;
    default: return K_OTHER;
    }
}

static VKind node_kind(Comp *c, VxNode *e, int *ik) { return kind_of(c, e->type, ik); }

/* How values of type t print (and whether an array of them owns objects). */
static int elem_put_kind(Comp *c, VxType *t)
{
    int ik = 0;
    switch (kind_of(c, t, &ik)) {
    case K_INT: return VX_PUT_INT + ik;
    case K_F64: return VX_PUT_F64;
    case K_F32: return VX_PUT_F32;
    case K_BOOL: return VX_PUT_BOOL;
    case K_STR: return VX_PUT_STR;
    case K_ARR: return VX_PUT_ARR;
    case K_REC: return VX_PUT_REC;
    case K_FN: return VX_PUT_FN;
    case K_MAP: return VX_PUT_MAP;
    default: return -1;
    }
}

/* ---- records: structs, tuples, enum variants --------------------------------------- */

static int field_index(VxField *fs, int n, const char *name)
{
    for (int i = 0; i < n; i++) if (strcmp(fs[i].name, name) == 0) return i;
    return -1;
}

/* The types of the fields of record type t (variant v for enums). */
static int record_fields(Comp *c, VxType *t, int v, VxType **out, int cap)
{
    VxTypes *T = vx_sema_types(c->sema);
    if (t->kind == VX_T_TUPLE) {
        int n = t->u.tuple.n < cap ? t->u.tuple.n : cap;
        for (int i = 0; i < n; i++) out[i] = t->u.tuple.elems[i];
        return n;
    }
    VxDecl *d = t->u.adt.decl;
    if (d->kind == VX_D_STRUCT) {
        int n = d->nfields < cap ? d->nfields : cap;
        for (int i = 0; i < n; i++) out[i] = vx_subst(T, d->fields[i].type, d, t->u.adt.args, t->u.adt.n);
        return n;
    }
    VxVariant *var = &d->variants[v];
    int n = var->n < cap ? var->n : cap;
    for (int i = 0; i < n; i++)
        out[i] = vx_subst(T, var->shape == VX_VARIANT_TUPLE ? var->payload[i] : var->fields[i].type, d, t->u.adt.args, t->u.adt.n);
    return n;
}

/* Can the VM hold values of this record type?  (Every field can be held;
 * recursive types are assumed to be, past a small depth.) */
static bool record_ok(Comp *c, VxType *t, int depth)
{
    if (depth > 4) return true;
    if (t->kind == VX_T_ADT && t->u.adt.decl->kind != VX_D_STRUCT && t->u.adt.decl->kind != VX_D_ENUM) return false;
    int nv = t->kind == VX_T_ADT && t->u.adt.decl->kind == VX_D_ENUM ? t->u.adt.decl->nvariants : 1;
    for (int v = 0; v < nv; v++) {
        VxType *f[64];
        int n = record_fields(c, t, v, f, 64);
        if (n > 63) return false;
        for (int i = 0; i < n; i++) {
            VxType *ft = ctype(c, f[i]);
            if ((ft->kind == VX_T_TUPLE || ft->kind == VX_T_ADT) ? !record_ok(c, ft, depth + 1) : kind_of(c, ft, NULL) == K_OTHER)
                return false;
        }
    }
    return true;
}

/* The descriptor constant of record type t (variant v), made once. */
static int desc_const(Comp *c, VxType *t, int v)
{
    t = ctype(c, t);
    for (int i = 0; i < c->desc_keys.len; i++)
        if (c->desc_keys.data[i].type == t && c->desc_keys.data[i].variant == v) {
            VxValue k = { .d = c->descs.data[c->desc_keys.data[i].index] };
            return add_const(c, k);
        }
    VxType *f[64];
    int n = record_fields(c, t, v, f, 64);
    VxRecDesc *d = calloc(1, sizeof *d);
    if (!d) vx_xmalloc((size_t)-1);
    d->n = (uint32_t)n;
    d->is_tuple = t->kind == VX_T_TUPLE;
    d->is_enum = t->kind == VX_T_ADT && t->u.adt.decl->kind == VX_D_ENUM;
    d->tag = (uint32_t)v;
    d->field_names = vx_xmalloc(sizeof(char *) * (size_t)(n ? n : 1));
    d->kinds = vx_xmalloc((size_t)(n ? n : 1));
    d->name = d->is_tuple ? "" : d->is_enum ? t->u.adt.decl->variants[v].name : t->u.adt.decl->name;
    d->named = !d->is_tuple && (!d->is_enum || t->u.adt.decl->variants[v].shape == VX_VARIANT_STRUCT);
    d->h.kind = VX_OBJ_DESC;
    for (int i = 0; i < n; i++) {
        int k = elem_put_kind(c, f[i]);
        d->kinds[i] = (uint8_t)(k < 0 ? 0xFF : k);
        if (is_obj_kind(kind_of(c, f[i], NULL))) d->obj_mask |= 1ull << i;
        d->field_names[i] = d->is_tuple ? "" : d->is_enum ? (t->u.adt.decl->variants[v].shape == VX_VARIANT_STRUCT
                                                             ? t->u.adt.decl->variants[v].fields[i].name : "")
                                                         : t->u.adt.decl->fields[i].name;
    }
    vx_vec_push(&c->descs, d);
    DescKey key = { t, v, c->descs.len - 1 };
    vx_vec_push(&c->desc_keys, key);
    VxValue k = { .d = d };
    return add_const(c, k);
}

/* The element type of an array-typed node. */
static VxType *elem_type(Comp *c, VxNode *e) { return deref_type(c, e->type)->u.arr.elem; }

static const char *kind_words(Comp *c, VxNode *e)
{
    static char buf[160];
    snprintf(buf, sizeof buf, "values of type `%s`", vx_tname(vx_sema_types(c->sema), ctype(c, e->type)));
    return buf;
}

/* ---- emitting ------------------------------------------------------------------- */

static int emit(Comp *c, VxNode *at, VxOp op, int t, int a, int b, int cc)
{
    VxInstr i = { (uint8_t)op, (uint8_t)t, (uint16_t)a, (uint16_t)b, (uint16_t)cc };
    vx_vec_push(&c->code, i);
    vx_vec_push(&c->spans, at->span);
    return c->code.len - 1;
}

static int emit_jump(Comp *c, VxNode *at, VxOp op, int a)
{
    return emit(c, at, op, 0, a, 0, 0);
}

/* Point the jump at `pc` to `target`. */
static void patch(Comp *c, int pc, int target) { vx_set_sbx(&c->code.data[pc], target - pc - 1); }

static void patch_here(Comp *c, int pc) { patch(c, pc, c->code.len); }

static void jump_back(Comp *c, VxNode *at, int target)
{
    int pc = emit_jump(c, at, VX_OP_JMP, 0);
    patch(c, pc, target);
}

static int add_const(Comp *c, VxValue v)
{
    for (int i = 0; i < c->consts.len; i++)
        if (c->consts.data[i].u == v.u) return i;
    if (c->consts.len >= 65535) return 0;
    vx_vec_push(&c->consts, v);
    return c->consts.len - 1;
}

static int string_const(Comp *c, const char *s, uint32_t n)
{
    VxStr *str = vx_xmalloc(sizeof *str + n + 1);
    memset(&str->h, 0, sizeof str->h);            /* rc 0: immortal */
    str->h.kind = VX_OBJ_STR;
    str->len = str->cap = n;
    memcpy(str->data, s, n);
    str->data[n] = '\0';
    vx_vec_push(&c->strings, str);
    VxValue v = { .s = str };
    return add_const(c, v);
}

static int alloc_reg(Comp *c, VxNode *at)
{
    if (c->freereg >= MAX_REGS) { unsupported(c, at, "a function this large"); return 0; }
    int r = c->freereg++;
    if (c->freereg > c->maxreg) c->maxreg = c->freereg;
    return r;
}

/* Give back the registers from `save` up, releasing the objects they own
 * (temporaries and, at a scope's end, its locals). */
static void release_to(Comp *c, VxNode *at, int save)
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
static void release_on_exit(Comp *c, VxNode *at, int from, int keep)
{
    for (int r = c->freereg - 1; r >= from; r--)
        if (c->owned[r] && r != keep) emit(c, at, VX_OP_DROP, 0, r, 0, 0);
}

static void load_int(Comp *c, VxNode *at, int dst, int64_t v)
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

static int find_local(Comp *c, const char *name)
{
    for (int i = c->locals.len - 1; i >= 0; i--)
        if (strcmp(c->locals.data[i].name, name) == 0) return c->locals.data[i].reg;
    return -1;
}

static void declare(Comp *c, const char *name, int reg)
{
    CLocal l = { name, reg };
    vx_vec_push(&c->locals, l);
}

static int add_func(Comp *c, FuncRef r)
{
    r.index = c->refs.len;
    vx_vec_push(&c->refs, r);
    vx_vec_push(&c->todo, r);
    return r.index;
}

static int func_index(Comp *c, VxDecl *d, VxType **args, int nargs)
{
    for (int i = 0; i < c->refs.len; i++) {
        FuncRef *f = &c->refs.data[i];
        if (f->decl != d || f->nargs != nargs || f->closure) continue;
        bool same = true;
        for (int k = 0; k < nargs && same; k++) same = f->args[k] == args[k];
        if (same) return f->index;
    }
    FuncRef r = { .decl = d, .nargs = nargs };
    if (nargs) {
        r.args = vx_arena_alloc(&c->scratch, sizeof(VxType *) * (size_t)nargs);
        memcpy(r.args, args, sizeof(VxType *) * (size_t)nargs);
    }
    return add_func(c, r);
}

static void expr_to(Comp *c, VxNode *e, int dst);
static void stmt(Comp *c, VxNode *s);
static void assign_index(Comp *c, VxNode *e);
static void arithmetic(Comp *c, VxNode *e, int dst);
static void block_to(Comp *c, VxNode *b, int dst);
static int put_kind(Comp *c, VxNode *e);
static int args_to_regs(Comp *c, VxNode **args, int n);
static VxType *elem_type(Comp *c, VxNode *e);
static void emit_call(Comp *c, VxNode *e, VxDecl *d, VxType **targs, int ntargs, VxNode **argv, int self_reg, int dst);
static bool assigns_capture(Comp *c, VxNode *target);
static void closure_call(Comp *c, VxNode *e, int dst);
static void if_let(Comp *c, VxNode *e, int dst);
static void while_let(Comp *c, VxNode *e);
static void let_pattern(Comp *c, VxNode *s);
static void assign_field(Comp *c, VxNode *e);
static void assign_path(Comp *c, VxNode *e);
static int struct_field_index(Comp *c, VxNode *base, const char *name);
static bool variant_call(Comp *c, VxNode *e, int dst);
static bool variant_value(Comp *c, VxNode *e, int dst);
static bool map_update_in_place(Comp *c, VxNode *e);
static bool option_ctor(Comp *c, VxNode *call, VxDecl *d, int dst);
static void new_record(Comp *c, VxNode *at, VxNode **fields, int n, VxType *t, int variant, int dst);
static bool array_hof(Comp *c, VxNode *at, const char *name, VxNode *arr_node, VxNode **args, int nargs, int dst);

static bool is_obj_kind(VKind k) { return k == K_STR || k == K_ARR || k == K_REC || k == K_FN || k == K_MAP; }

/* The register of the variable e names (`self` included), or -1. */
static int local_of(Comp *c, VxNode *e)
{
    if (e->kind == VX_N_SELF) return find_local(c, "self");
    return e->kind == VX_N_IDENT ? find_local(c, e->u.ident.name) : -1;
}
static bool is_obj(Comp *c, VxNode *e) { return is_obj_kind(node_kind(c, e, NULL)); }

/* A register holding e's value: a local's own (borrowed), or a new
 * temporary (owned, released when given back). */
static int expr(Comp *c, VxNode *e)
{
    int l = local_of(c, e);
    if (l >= 0) return l;
    int r = alloc_reg(c, e);
    expr_to(c, e, r);
    if (is_obj(c, e)) c->owned[r] = true;
    return r;
}

/* Evaluate e for its effects only. */
static void discard(Comp *c, VxNode *e)
{
    int save = c->freereg;
    int r = alloc_reg(c, e);
    expr_to(c, e, r);
    if (is_obj(c, e)) c->owned[r] = true;
    release_to(c, e, save);
}

/* ---- literals -------------------------------------------------------------------- */

static void literal(Comp *c, VxNode *e, int dst)
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
static bool const_array(Comp *c, VxDecl *d, int dst)
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

static VxOp arith_op(VxTokKind op, VKind k, int ik)
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
    else if ((k == K_ARR || k == K_REC) && eq) o = VX_OP_EQ_OBJ;     /* element by element, field by field */
    else { unsupported(c, e, "this comparison"); return; }
    int save = c->freereg;
    int a = expr(c, e->u.binary.lhs), b = expr(c, e->u.binary.rhs);
    emit(c, e, o, o == VX_OP_EQ_OBJ ? put_kind(c, e->u.binary.lhs) : 0, dst, swap ? b : a, swap ? a : b);
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

/* `a + b` on a struct: its impl of Add (Sub, Mul, Div, Rem). */
static bool operator_call(Comp *c, VxNode *e, int dst)
{
    static const struct { VxTokKind op; const char *method; } ops[] = {
        {TK_PLUS, "add"}, {TK_MINUS, "sub"}, {TK_STAR, "mul"}, {TK_SLASH, "div"}, {TK_PERCENT, "rem"} };
    if (node_kind(c, e->u.binary.lhs, NULL) != K_REC) return false;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (ops[i].op != e->u.binary.op) continue;
        VxDecl *m = vx_sema_method(c->sema, deref_type(c, e->u.binary.lhs->type), ops[i].method);
        if (!m || !m->impl || m->impl->kind != VX_D_IMPL || m->ngenerics || m->impl->ngenerics || m->nparams != 2) return false;
        VxNode *argv[2] = { e->u.binary.lhs, e->u.binary.rhs };
        emit_call(c, e, m, NULL, 0, argv, -1, dst);
        return true;
    }
    return false;
}

static void binary(Comp *c, VxNode *e, int dst)
{
    if (operator_call(c, e, dst)) return;
    switch (e->u.binary.op) {
    case TK_AMPAMP: case TK_PIPEPIPE: logic(c, e, dst); return;
    case TK_EQEQ: case TK_NE: case TK_LT: case TK_GT: case TK_LE: case TK_GE: comparison(c, e, dst); return;
    default: arithmetic(c, e, dst); return;
    }
}

static void unary(Comp *c, VxNode *e, int dst)
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
        unsupported(c, e, "references");
    }
    release_to(c, e, save);
}

static void cast(Comp *c, VxNode *e, int dst)
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

static void assign(Comp *c, VxNode *e)
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
 * indices below a variable.  Indices and the new value are computed
 * first (they may read the old value); then each container on the path
 * is taken out of its parent (TAKEF/TAKEA: moved, not copied, so an
 * unshared one is changed in place), the last one is set, and the
 * containers go back up in reverse order (SETF/ASET retain; the moved
 * reference is then dropped). */
typedef struct PathStep { VxNode *node; bool index; int key; } PathStep;

static void assign_path(Comp *c, VxNode *e)
{
    PathStep steps[32];
    int n = 0;
    VxNode *t = e->u.binary.lhs;
    for (; t->kind == VX_N_FIELD_ACCESS || t->kind == VX_N_INDEX || t->kind == VX_N_TUPLE_INDEX; n++) {
        if (n == 32) { unsupported(c, e, "assignment paths this long"); return; }
        steps[n].node = t;
        t = t->kind == VX_N_FIELD_ACCESS ? t->u.field_access.expr : t->kind == VX_N_INDEX ? t->u.index.expr : t->u.tuple_index.expr;
    }
    int root = local_of(c, t);
    if (root < 0 || assigns_capture(c, t)) { if (root < 0) unsupported(c, e->u.binary.lhs, "this assignment"); return; }
    int save = c->freereg;
    for (int k = n - 1; k >= 0; k--) {               /* outermost first: keys, checked for support */
        VxNode *s = steps[k].node;
        steps[k].index = s->kind == VX_N_INDEX;
        if (s->kind == VX_N_INDEX) {
            if (s->u.index.indices.len != 1 || s->u.index.indices.items[0]->kind == VX_N_RANGE ||
                node_kind(c, s->u.index.expr, NULL) != K_ARR) { unsupported(c, s, "this assignment"); return; }
            steps[k].key = expr(c, s->u.index.indices.items[0]);
        } else {
            VxNode *base = s->kind == VX_N_TUPLE_INDEX ? s->u.tuple_index.expr : s->u.field_access.expr;
            steps[k].key = s->kind == VX_N_TUPLE_INDEX ? (int)s->u.tuple_index.index
                         : struct_field_index(c, base, s->u.field_access.name);
            if (steps[k].key < 0 || node_kind(c, base, NULL) != K_REC) { unsupported(c, s, "this assignment"); return; }
        }
    }
    int v = alloc_reg(c, e);
    assigned_value(c, e, v);
    if (is_obj(c, e->u.binary.lhs)) c->owned[v] = true;
    int holder[32];
    int cur = root;
    for (int k = n - 1; k >= 1; k--) {               /* take each container on the way down */
        holder[k] = cur;
        int r = alloc_reg(c, e);
        emit(c, e, steps[k].index ? VX_OP_TAKEA : VX_OP_TAKEF, 0, r, cur, steps[k].key);
        cur = r;
    }
    emit(c, e, steps[0].index ? VX_OP_ASET : VX_OP_SETF, 0, cur, steps[0].key, v);
    for (int k = 1; k < n; k++) {                    /* and put them back on the way up */
        emit(c, e, steps[k].index ? VX_OP_ASET : VX_OP_SETF, 0, holder[k], steps[k].key, cur);
        emit(c, e, VX_OP_DROP, 0, cur, 0, 0);
        cur = holder[k];
    }
    release_to(c, e, save);
}

/* ---- calls --------------------------------------------------------------------------- */

static int put_kind(Comp *c, VxNode *e)
{
    if (node_kind(c, e, NULL) == K_UNIT) return VX_PUT_UNIT;
    return elem_put_kind(c, e->type);
}

static void print_call(Comp *c, VxNode *call, VxDecl *d)
{
    VxNodeList args = call->u.call.args;
    for (int i = 0; i < args.len; i++) {
        VxNode *a = args.items[i];
        if (i) emit(c, call, VX_OP_PUTK, 0, 0, string_const(c, " ", 1), 0);
        if (a->kind == VX_N_STRING) { emit(c, a, VX_OP_PUTK, 0, 0, string_const(c, a->u.str.value, a->u.str.len), 0); continue; }
        int k = put_kind(c, a);
        if (k < 0) { unsupported(c, a, "printing of this type"); return; }
        int save = c->freereg;
        emit(c, a, VX_OP_PUT, k, expr(c, a), 0, 0);
        release_to(c, a, save);
    }
    if (strcmp(d->name, "println") == 0) emit(c, call, VX_OP_PUTK, 0, 0, string_const(c, "\n", 1), 0);
}

static const struct { const char *name; VxMathFn fn; } math_fns[] = {
    {"sqrt", VX_MATH_SQRT}, {"exp", VX_MATH_EXP}, {"log", VX_MATH_LOG}, {"log2", VX_MATH_LOG2},
    {"sin", VX_MATH_SIN}, {"cos", VX_MATH_COS}, {"tan", VX_MATH_TAN}, {"tanh", VX_MATH_TANH},
    {"floor", VX_MATH_FLOOR}, {"ceil", VX_MATH_CEIL}, {"round", VX_MATH_ROUND}, {"abs", VX_MATH_ABS},
};

/* A placeholder's spec `:[fill][<^>][width][.prec][e]` (between p and
 * end), packed as the VM reads it (VX_FMT_* in bytecode.h). */
static bool parse_spec(const char *p, const char *end, int64_t *out)
{
    if (p >= end || *p++ != ':') return false;
    int64_t fill = ' ', align = 0, width = 0, prec = VX_FMT_NOPREC, exp = 0;
    if (end - p >= 2 && strchr("<^>", p[1]) && (unsigned char)p[0] < 0x80) { fill = p[0]; align = p[1]; p += 2; }
    else if (p < end && strchr("<^>", *p)) align = *p++;
    int64_t zero = 0;
    if (!align && p < end && *p == '0') { zero = 1; p++; }   /* `{:08.2}`: zeros after the sign */
    while (p < end && *p >= '0' && *p <= '9' && width < 10000) width = width * 10 + (*p++ - '0');
    if (p < end && *p == '.') {
        p++;
        if (p >= end || *p < '0' || *p > '9') return false;
        for (prec = 0; p < end && *p >= '0' && *p <= '9' && prec < 1000; p++) prec = prec * 10 + (*p - '0');
    }
    if (p < end && *p == 'e') { exp = 1; p++; }
    if (p != end || width >= 10000 || (prec >= 1000 && prec != VX_FMT_NOPREC)) return false;
    *out = prec | width << 16 | align << 32 | fill << 40 | exp << 48 | zero << 49;
    return true;
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
            vx_diag_help(c->diags, g, "placeholders are `{}` or `{:[fill][<^>][width][.decimals][e]}`, as in "
                                      "`{:>8.3}`; write `{{` and `}}` for braces");
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
static void finish_option(Comp *c, VxNode *at, VxType *t, int v, int dst, int to_none)
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
static int args_to_regs(Comp *c, VxNode **args, int n)
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
    emit(c, call, VX_OP_NEWMAP, 0, dst, elem_put_kind(c, t->u.tuple.elems[0]), elem_put_kind(c, t->u.tuple.elems[1]));
    return true;
}

/* hashmap_get(m, k): Some(a copy of the value) or None. */
static bool hashmap_get(Comp *c, VxNode *call, VxDecl *d, int dst)
{
    VxNodeList args = call->u.call.args;
    if (strcmp(d->name, "hashmap_get") != 0 || args.len != 2) return false;
    VxType *t = ctype(c, call->type);
    if (kind_of(c, t, NULL) != K_REC || node_kind(c, args.items[0], NULL) != K_MAP) return false;
    int save = c->freereg;
    int base = args_to_regs(c, args.items, 2);
    option_of_builtins(c, call, t, base, "hashmap_contains", 2, "map_value", 2, dst);
    release_to(c, call, save);
    return true;
}

/* m = hashmap_insert(m, k, v) and m = hashmap_remove(m, k): in place on
 * the variable (copied first only if shared), not a copy per call. */
static bool map_update_in_place(Comp *c, VxNode *e)
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

/* min(a, b), max(a, b) on numbers and strings; pow(x, y) on floats. */
static bool min_max_pow(Comp *c, VxNode *call, VxDecl *d, int dst)
{
    VxNodeList args = call->u.call.args;
    bool is_min = strcmp(d->name, "min") == 0, is_max = strcmp(d->name, "max") == 0, is_pow = strcmp(d->name, "pow") == 0;
    if ((!is_min && !is_max && !is_pow) || args.len != 2) return false;
    int ik = VX_I64;
    VKind k = node_kind(c, args.items[0], &ik);
    bool uns = k == K_INT && !vx_int_signed((VxIntKind)ik);
    VxOp lt = k == K_INT ? (uns ? VX_OP_LT_U64 : VX_OP_LT_I64) : k == K_F64 ? VX_OP_LT_F64 : k == K_F32 ? VX_OP_LT_F32
            : k == K_STR ? VX_OP_LT_STR : VX_OP_COUNT;
    if (lt == VX_OP_COUNT || (is_pow && k != K_F64 && k != K_F32)) return false;
    int save = c->freereg;
    int a = expr(c, args.items[0]), b = expr(c, args.items[1]);
    if (is_pow) {
        emit(c, call, k == K_F64 ? VX_OP_POW_F64 : VX_OP_POW_F32, 0, dst, a, b);
    } else {                                          /* min: b < a ? b : a;  max: a < b ? b : a */
        int t = alloc_reg(c, call);
        emit(c, call, lt, 0, t, is_min ? b : a, is_min ? a : b);
        VxOp mv = is_obj_kind(k) ? VX_OP_MOVE_OBJ : VX_OP_MOVE;
        int to_a = emit_jump(c, call, VX_OP_JMPIFNOT, t);
        emit(c, call, mv, 0, dst, b, 0);
        int to_end = emit_jump(c, call, VX_OP_JMP, 0);
        patch_here(c, to_a);
        emit(c, call, mv, 0, dst, a, 0);
        patch_here(c, to_end);
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
 * (Some(the exact result) or None): integers up to 64 bits. */
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
    if (mode < 0 || args.len != 2 || node_kind(c, args.items[0], &ik) != K_INT) return false;
    int save = c->freereg;
    int a = expr(c, args.items[0]), b = expr(c, args.items[1]), t = ik | op << 5;
    if (mode < 2) {
        emit(c, call, mode == 0 ? VX_OP_WRAP_ARITH : VX_OP_SAT_ARITH, t, dst, a, b);
    } else {
        VxType *ot = ctype(c, call->type);
        int ok = alloc_reg(c, call), v = alloc_reg(c, call);
        emit(c, call, VX_OP_FITS_ARITH, t, ok, a, b);
        int to_none = emit_jump(c, call, VX_OP_JMPIFNOT, ok);
        emit(c, call, arith_op(toks[op], K_INT, ik), ik, v, a, b);     /* cannot fail now */
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
    if (strcmp(d->name, "sort") == 0) {               /* numbers and strings only */
        VKind k = kind_of(c, elem_type(c, args.items[0]), NULL);
        if (k != K_INT && k != K_F64 && k != K_F32 && k != K_STR) { unsupported(c, call, "sorting arrays of this type"); return true; }
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
    VKind k = node_kind(c, args.items[0], NULL);
    if (args.len != 2 || (k != K_INT && k != K_BOOL && k != K_F64 && k != K_F32 && k != K_STR)) return false;
    int save = c->freereg;
    int a = expr(c, args.items[0]), b = expr(c, args.items[1]), t = alloc_reg(c, call);
    emit(c, call, k == K_F64 ? VX_OP_EQ_F64 : k == K_F32 ? VX_OP_EQ_F32 : k == K_STR ? VX_OP_EQ_STR : VX_OP_EQ_I64, 0, t, a, b);
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
        if (msg && msg->kind != VX_N_STRING) { unsupported(c, msg, "assert messages that are not string literals"); return true; }
        int k = msg ? string_const(c, msg->u.str.value, msg->u.str.len) : string_const(c, "assertion failed", 16);
        int save = c->freereg;
        emit(c, call, VX_OP_ASSERT, 0, expr(c, args.items[0]), k, 0);
        release_to(c, call, save);
        return true;
    }
    for (size_t i = 0; i < sizeof math_fns / sizeof math_fns[0]; i++) {
        if (strcmp(d->name, math_fns[i].name) != 0 || args.len != 1) continue;
        VKind k = node_kind(c, call, NULL);
        if (k != K_F64 && k != K_F32) break;
        int save = c->freereg;
        emit(c, call, k == K_F64 ? VX_OP_MATH_F64 : VX_OP_MATH_F32, math_fns[i].fn, dst, expr(c, args.items[0]), 0);
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

/* Arguments into consecutive registers from freereg, then CALL; the
 * result moves to dst.  A `&mut self` method has a hidden first slot for
 * its result, so that `self` (in the next) survives the return and is
 * handed back to the receiver's register `self_reg`. */
static void emit_call(Comp *c, VxNode *e, VxDecl *d, VxType **targs, int ntargs, VxNode **argv, int self_reg, int dst)
{
    int save = c->freereg, base = c->freereg;
    bool mut_self = d->self == VX_SELF_REF_MUT;
    if (mut_self) {
        alloc_reg(c, e);
        emit(c, e, VX_OP_MOVE, 0, alloc_reg(c, e), self_reg, 0);   /* the reference moves in ... */
    }
    for (int i = mut_self; i < d->nparams; i++) {
        int r = alloc_reg(c, e);
        expr_to(c, argv[i], r);
    }
    if (d->nparams == 0) alloc_reg(c, e);              /* the result's slot */
    emit(c, e, VX_OP_CALL, 0, base, func_index(c, d, targs, ntargs), d->nparams + mut_self);   /* consumes the arguments */
    if (mut_self) emit(c, e, VX_OP_MOVE, 0, self_reg, base + 1, 0);          /* ... and back, maybe a new copy */
    if (dst != base) emit(c, e, VX_OP_MOVE, 0, dst, base, 0);
    release_to(c, e, save);
}

/* recv.method(args) for a method of an impl. */
static bool user_method_call(Comp *c, VxNode *e, int dst)
{
    VxNode *recv = e->u.method.recv;
    VxDecl *m = vx_sema_method(c->sema, deref_type(c, recv->type), e->u.method.name);
    if (!m || m->builtin || !m->impl) return false;
    if (m->ngenerics || m->impl->ngenerics || !m->node->u.fn.body) { unsupported(c, e, "calls of generic methods"); return true; }
    VxType *self_type = deref_type(c, recv->type);   /* a trait's default method: an instance for this Self */
    bool dflt = m->impl->kind == VX_D_TRAIT;
    VxNode *argv[64];
    argv[0] = recv;
    if (m->nparams > 64 || !match_args(c, e, e->u.method.args, m, 1, argv)) return true;
    int self_reg = -1;
    if (m->self == VX_SELF_REF_MUT && assigns_capture(c, recv)) return true;
    if (m->self == VX_SELF_REF_MUT) {                 /* the receiver must be a variable holding its own reference */
        self_reg = local_of(c, recv);
        if (self_reg < 0 || !(c->owned[self_reg] || (self_reg == 1 && c->mut_self))) {
            unsupported(c, recv, "`&mut self` methods on anything but a variable");
            return true;
        }
    }
    emit_call(c, e, m, dflt ? &self_type : NULL, dflt, argv, self_reg, dst);
    return true;
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

static void call(Comp *c, VxNode *e, int dst)
{
    if (variant_call(c, e, dst)) return;
    VxNode *callee = e->u.call.callee;
    if (local_of(c, callee) >= 0 || (callee->kind != VX_N_IDENT && callee->kind != VX_N_PATH)) {
        if (kind_of(c, callee->type, NULL) == K_FN) { closure_call(c, e, dst); return; }
    }
    VxDecl *d = callee->kind == VX_N_IDENT && find_local(c, callee->u.ident.name) < 0
              ? vx_sema_global(c->sema, callee->u.ident.name)
              : callee->kind == VX_N_PATH ? vx_sema_assoc_fn(c->sema, callee) : NULL;
    if (d && d->impl && !d->ngenerics && !d->impl->ngenerics && d->self == VX_SELF_NONE) {
        VxNode *argv[64];
        if (d->nparams <= 64 && match_args(c, e, e->u.call.args, d, 0, argv)) emit_call(c, e, d, NULL, 0, argv, -1, dst);
        return;
    }
    if (!d || d->kind != VX_D_FN) { unsupported(c, e, "calls of closures, enum constructors and methods"); return; }
    if (d->builtin) {
        if (!builtin_call(c, e, d, dst)) {
            char what[96];
            snprintf(what, sizeof what, "the builtin `%s`", d->name);
            unsupported(c, e, what);
        }
        return;
    }
    if (d->impl) { unsupported(c, e, "calls of generic methods"); return; }
    VxType *targs[64];
    int ntargs = 0;
    if (d->ngenerics && !instance_args(c, e, d, targs, &ntargs)) return;
    VxNode *argv[64];
    if (d->nparams > 64 || !match_args(c, e, e->u.call.args, d, 0, argv)) return;
    emit_call(c, e, d, targs, ntargs, argv, -1, dst);
}

/* ---- closures ------------------------------------------------------------------------------ */

/* Closures capture by value: each variable of the enclosing function the
 * body names is copied into the closure when it is made, and into the
 * registers after the parameters at each call.  Assigning to a captured
 * variable is refused (it would change only the copy). */

typedef struct Captures { const char *names[64]; VxType *types[64]; int n; bool overflow; } Captures;

static void find_captures(Comp *c, VxNode *e, Captures *cs);

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
        if (find_local(c, name) < 0) return;
        for (int i = 0; i < cs->n; i++) if (strcmp(cs->names[i], name) == 0) return;
        if (cs->n == 64) { cs->overflow = true; return; }
        cs->names[cs->n] = name;
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
static void closure_value(Comp *c, VxNode *e, int dst)
{
    if (kind_of(c, e->type, NULL) != K_FN) { unsupported(c, e, "closures whose types are generic (used at several types)"); return; }
    Captures cs = {0};
    find_captures(c, e->u.closure.body, &cs);
    if (cs.overflow) { unsupported(c, e, "closures capturing more than 64 variables"); return; }
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
        int from = find_local(c, cs.names[i]);
        emit(c, e, is_obj_kind(kind_of(c, cs.types[i], NULL)) ? VX_OP_MOVE_OBJ : VX_OP_MOVE, 0, reg, from, 0);
    }
    if (cs.n == 0) alloc_reg(c, e);
    emit(c, e, VX_OP_CLOSURE, 0, dst, f, base);
    c->freereg = save;                               /* the copies now belong to the closure */
}

/* A named function used as a value: a closure without captures. */
static bool function_value(Comp *c, VxNode *e, int dst)
{
    VxDecl *d = vx_sema_global(c->sema, e->u.ident.name);
    if (!d || d->kind != VX_D_FN || d->builtin || d->ngenerics || d->impl || !d->node->u.fn.body) return false;
    emit(c, e, VX_OP_CLOSURE, 0, dst, func_index(c, d, NULL, 0), 0);
    return true;
}

/* f(args) where f is a value of function type. */
static void closure_call(Comp *c, VxNode *e, int dst)
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
    emit(c, e, VX_OP_CALLC, 0, base, f, args.len);   /* consumes the arguments */
    if (dst != base) emit(c, e, VX_OP_MOVE, 0, dst, base, 0);
    c->freereg = base;
    release_to(c, e, save);                          /* the closure, if it was a temporary */
}

static bool is_capture(Comp *c, int r) { return r >= c->caps_lo && r < c->caps_hi; }

/* Refuse to change a captured copy (the enclosing variable would not change). */
static bool assigns_capture(Comp *c, VxNode *target)
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
 * builtin re-enters the interpreter.  Each iteration takes the element
 * (owned) in register x; `step` emits the work and must leave x released
 * or moved. */

typedef struct ArrayLoop { int i, n, x, top, exit; bool obj; } ArrayLoop;

static void array_loop_begin(Comp *c, VxNode *at, int arr, VxType *elem, ArrayLoop *l)
{
    l->i = alloc_reg(c, at);
    l->n = alloc_reg(c, at);
    l->x = alloc_reg(c, at);                         /* the test, then the element */
    load_int(c, at, l->i, 0);
    emit(c, at, VX_OP_ALEN, 0, l->n, arr, 0);
    l->top = c->code.len;
    emit(c, at, VX_OP_LT_I64, 0, l->x, l->i, l->n);
    l->exit = emit_jump(c, at, VX_OP_JMPIFNOT, l->x);
    l->obj = is_obj_kind(kind_of(c, elem, NULL));
    emit(c, at, VX_OP_AGET, 0, l->x, arr, l->i);
}

static void array_loop_end(Comp *c, VxNode *at, ArrayLoop *l)
{
    emit(c, at, VX_OP_ADDI_I64, 0, l->i, l->i, 1);
    jump_back(c, at, l->top);
    patch_here(c, l->exit);
}

/* R[base] := f(R[base..base+nargs)), the arguments consumed. */
static void call_closure_at(Comp *c, VxNode *at, int f, int base, int nargs)
{
    if (base + nargs >= c->maxreg) c->maxreg = base + nargs + 1;
    emit(c, at, VX_OP_CALLC, 0, base, f, nargs);
}

static bool array_hof(Comp *c, VxNode *at, const char *name, VxNode *arr_node, VxNode **args, int nargs, int dst)
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
    if (which == 3 && ek != K_INT && ek != K_F64 && ek != K_F32) return false;
    int save = c->freereg;
    int arr = expr(c, arr_node);
    int f = which == 3 ? -1 : expr(c, args[which == 2 ? 1 : 0]);
    int acc = alloc_reg(c, at);                       /* the result, built in place */
    if (which == 0 || which == 1) {
        int k = which == 0 ? elem_put_kind(c, ctype(c, at->type)->u.arr.elem) : elem_put_kind(c, elem);
        if (k < 0) { unsupported(c, at, "arrays of this element type"); return true; }
        emit(c, at, VX_OP_NEWARR, k, acc, acc, 0);
        c->owned[acc] = true;
    } else if (which == 2) {
        expr_to(c, args[0], acc);
        c->owned[acc] = is_obj(c, args[0]);
    } else if (which == 3) {
        if (ek == K_INT) load_int(c, at, acc, 0);
        else { VxValue z = { .i = 0 }; if (ek == K_F32) z.f32 = 0.0f; else z.f = 0.0; emit(c, at, VX_OP_LOADK, 0, acc, add_const(c, z), 0); }
    } else {
        emit(c, at, VX_OP_LOADB, 0, acc, which == 5, 0);
    }
    ArrayLoop l;
    array_loop_begin(c, at, arr, elem, &l);
    int base = c->freereg;
    int done = -1;
    switch (which) {
    case 0:                                           /* out.push(f(x)) */
        emit(c, at, VX_OP_MOVE, 0, base, l.x, 0);
        call_closure_at(c, at, f, base, 1);
        emit(c, at, VX_OP_APUSH, 0, acc, base, 0);      /* APUSH retains: drop the call's result */
        if (is_obj_kind(kind_of(c, ctype(c, at->type)->u.arr.elem, NULL))) emit(c, at, VX_OP_DROP, 0, base, 0, 0);
        break;
    case 1: {                                         /* if keep(x) { out.push(x) } */
        emit(c, at, l.obj ? VX_OP_MOVE_OBJ : VX_OP_MOVE, 0, base, l.x, 0);
        call_closure_at(c, at, f, base, 1);
        int skip = emit_jump(c, at, VX_OP_JMPIFNOT, base);
        emit(c, at, VX_OP_APUSH, 0, acc, l.x, 0);
        patch_here(c, skip);
        if (l.obj) emit(c, at, VX_OP_DROP, 0, l.x, 0, 0);
        break;
    }
    case 2:                                           /* acc = f(acc, x) */
        emit(c, at, VX_OP_MOVE, 0, base, acc, 0);
        emit(c, at, VX_OP_MOVE, 0, base + 1, l.x, 0);
        call_closure_at(c, at, f, base, 2);
        emit(c, at, VX_OP_MOVE, 0, acc, base, 0);
        break;
    case 3: {                                         /* acc = acc + x, overflow-checked */
        VxOp op = arith_op(TK_PLUS, ek, ik);
        emit(c, at, op, ik, acc, acc, l.x);
        break;
    }
    default: {                                        /* any: stop at the first true; all: at the first false */
        emit(c, at, VX_OP_MOVE, 0, base, l.x, 0);
        call_closure_at(c, at, f, base, 1);
        int keep_going = emit_jump(c, at, which == 4 ? VX_OP_JMPIFNOT : VX_OP_JMPIF, base);
        emit(c, at, VX_OP_LOADB, 0, acc, which == 4, 0);
        done = emit_jump(c, at, VX_OP_JMP, 0);
        patch_here(c, keep_going);
        break;
    }
    }
    array_loop_end(c, at, &l);
    if (done >= 0) patch_here(c, done);
    emit(c, at, VX_OP_MOVE, 0, dst, acc, 0);          /* the result moves out */
    c->owned[acc] = false;
    release_to(c, at, save);
    return true;
}

/* ---- Option and Result ------------------------------------------------------------------- */

/* Some, Ok: variant 0; None, Err: variant 1 (their order in the prelude). */
static bool option_like(Comp *c, VxType *t)
{
    t = deref_type(c, t);
    if (t->kind != VX_T_ADT) return false;
    return t->u.adt.decl == vx_sema_global(c->sema, "Option") || t->u.adt.decl == vx_sema_global(c->sema, "Result");
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

/* e? : the value inside `Some`/`Ok`, or return `None`/`Err(e)` from the
 * function at once, releasing what it holds (as `return` does). */
static void try_expr(Comp *c, VxNode *e, int dst)
{
    VxNode *x = e->u.try_.expr;
    VxType *rt = c->cur.closure ? ctype(c, c->cur.closure->type)->u.fn.ret : ctype(c, c->cur.decl->sig->u.fn.ret);
    if (!option_like(c, x->type) || kind_of(c, x->type, NULL) != K_REC || !option_like(c, rt) || kind_of(c, rt, NULL) != K_REC) {
        unsupported(c, e, "`?` here");
        return;
    }
    int save = c->freereg, r = alloc_reg(c, x), t = alloc_reg(c, e);
    expr_to(c, x, r);
    c->owned[r] = true;
    emit(c, e, VX_OP_GETTAG, 0, t, r, 0);
    int to_fail = emit_jump(c, e, VX_OP_JMPIF, t);
    emit(c, e, VX_OP_GETF, 0, dst, r, 0);
    emit(c, e, VX_OP_DROP, 0, r, 0, 0);
    int to_end = emit_jump(c, e, VX_OP_JMP, 0);
    patch_here(c, to_fail);                           /* None, or Err(the same error) */
    int ret = alloc_reg(c, e), field = alloc_reg(c, e);
    bool is_result = deref_type(c, rt)->u.adt.decl == vx_sema_global(c->sema, "Result");
    if (is_result) emit(c, e, VX_OP_GETF, 0, field, r, 0);
    emit(c, e, VX_OP_NEWREC, 0, ret, field, desc_const(c, rt, 1));
    release_on_exit(c, e, 0, ret);
    emit(c, e, VX_OP_RET, 0, ret, 0, 0);
    patch_here(c, to_end);
    c->owned[r] = false;
    c->freereg = save;
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

static CLoop *push_loop(Comp *c, VxNode *at, const char *label, int dst)
{
    if (c->nloops >= MAX_LOOPS) { unsupported(c, at, "loops nested this deeply"); return NULL; }
    CLoop *l = &c->loops[c->nloops++];
    memset(l, 0, sizeof *l);
    l->label = label;
    l->dst = dst;
    l->level = c->freereg;
    l->scope_locals = c->locals.len;
    return l;
}

static void pop_loop(Comp *c, int continue_target, int break_target)
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

/* for i in lo..hi (or lo..=hi) over an integer kind. */
static void for_range(Comp *c, VxNode *e)
{
    VxNode *range = e->u.for_.iter, *pat = e->u.for_.pat;
    int ik = VX_I64;
    if (range->kind != VX_N_RANGE || !range->u.range.lo || !range->u.range.hi) { unsupported(c, e, "`for` over this value"); return; }
    if (node_kind(c, range->u.range.lo, &ik) != K_INT) { unsupported(c, e, "`for` over this range"); return; }
    if (pat->kind != VX_N_PAT_IDENT && pat->kind != VX_N_PAT_WILD) { unsupported(c, pat, "this loop pattern"); return; }
    int save = c->freereg, nlocals = c->locals.len;
    int i = alloc_reg(c, e), end = alloc_reg(c, e), test = alloc_reg(c, e);
    expr_to(c, range->u.range.lo, i);
    expr_to(c, range->u.range.hi, end);
    bool uns = !vx_int_signed((VxIntKind)ik), incl = range->u.range.inclusive;
    if (ik == VX_I64) { for_range_i64(c, e, i, end, test, incl); c->locals.len = nlocals; release_to(c, e, save); return; }
    int top = c->code.len;
    emit(c, e, incl ? (uns ? VX_OP_LE_U64 : VX_OP_LE_I64) : (uns ? VX_OP_LT_U64 : VX_OP_LT_I64), 0, test, i, end);
    int exit = emit_jump(c, e, VX_OP_JMPIFNOT, test);
    if (pat->kind == VX_N_PAT_IDENT) declare(c, pat->u.pat_ident.name, i);
    if (!push_loop(c, e, e->u.for_.label, -1)) return;
    discard(c, e->u.for_.body);
    int step = c->code.len;
    int last = -1;
    if (incl) {                                       /* stop at hi without computing hi + 1 */
        emit(c, e, VX_OP_EQ_I64, 0, test, i, end);
        last = emit_jump(c, e, VX_OP_JMPIF, test);
    }
    if (ik == VX_I64) emit(c, e, VX_OP_ADDI_I64, 0, i, i, 1);
    else {
        load_int(c, e, test, 1);
        emit(c, e, VX_OP_ADD_INT, ik, i, i, test);
    }
    jump_back(c, e, top);
    patch_here(c, exit);
    if (last >= 0) patch_here(c, last);
    pop_loop(c, step, c->code.len);
    c->locals.len = nlocals;
    release_to(c, e, save);
}

static CLoop *target_loop(Comp *c, VxNode *e)
{
    for (int i = c->nloops - 1; i >= 0; i--)
        if (!e->u.jump.label || (c->loops[i].label && strcmp(c->loops[i].label, e->u.jump.label) == 0)) return &c->loops[i];
    return NULL;
}

static void jump(Comp *c, VxNode *e)
{
    if (e->kind == VX_N_RETURN) {
        if (e->u.jump.value && node_kind(c, e->u.jump.value, NULL) != K_UNIT) {
            int save = c->freereg, t = alloc_reg(c, e);
            expr_to(c, e->u.jump.value, t);           /* a copy of a local is retained: t owns it */
            release_on_exit(c, e, 0, t);
            emit(c, e, VX_OP_RET, 0, t, 0, 0);
            c->freereg = save;
        } else {
            if (e->u.jump.value) discard(c, e->u.jump.value);
            release_on_exit(c, e, 0, -1);
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
    int pc = emit_jump(c, e, VX_OP_JMP, 0);
    if (e->kind == VX_N_BREAK) vx_vec_push(&l->breaks, pc);
    else vx_vec_push(&l->continues, pc);
}

/* ---- patterns ------------------------------------------------------------------------------- */

/* A pattern compiles in two steps: its tests, which jump to `misses` when
 * the value does not match, and then its bindings, so a failed test never
 * leaves a half-bound value behind.  Parts of a record are read borrowed
 * (GETFB): the matched value is held until the arm ends.  A `mut` binding
 * of an object takes its own reference, since assignment releases it. */

typedef struct Binding { const char *name; int reg; } Binding;
typedef struct Bindings { Binding b[64]; int n; } Bindings;

/* One part of a compound pattern: the sub-pattern (NULL for the shorthand
 * `Point { x }`, which binds `name`), its field index and type. */
typedef struct SubPat { VxNode *pat; const char *name; int field; VxType *type; } SubPat;

static bool names_variant(Comp *c, VxNode *p)
{
    VxDecl *en;
    return p->kind == VX_N_PAT_IDENT && vx_sema_variant(c->sema, p, &en) != NULL;
}

/* The variant a pattern requires, or NULL (structs, tuples, bindings). */
static VxVariant *pattern_variant(Comp *c, VxNode *p)
{
    VxDecl *en;
    switch (p->kind) {
    case VX_N_PAT_IDENT: return vx_sema_variant(c->sema, p, &en);
    case VX_N_PAT_PATH: return vx_sema_variant(c->sema, p, &en);
    case VX_N_PAT_TUPLE_STRUCT: return vx_sema_variant(c->sema, p->u.pat_tuple_struct.path, &en);
    case VX_N_PAT_STRUCT: return vx_sema_variant(c->sema, p->u.pat_struct.path, &en);
    default: return NULL;
    }
}

/* Positional parts, with `..` skipping the middle. */
static int positional_parts(VxNodeList pats, VxType **types, int n, SubPat *out)
{
    int rest = -1, k = 0;
    for (int i = 0; i < pats.len; i++) if (pats.items[i]->kind == VX_N_PAT_REST) rest = i;
    for (int i = 0; i < pats.len && k < 64; i++) {
        if (i == rest) continue;
        int fi = rest >= 0 && i > rest ? n - (pats.len - i) : i;
        out[k++] = (SubPat){ pats.items[i], NULL, fi, types[fi] };
    }
    return k;
}

/* The parts of a tuple, tuple-variant or struct pattern p matched against type t. */
static int pattern_parts(Comp *c, VxNode *p, VxType *t, SubPat *out)
{
    if (p->kind != VX_N_PAT_TUPLE && p->kind != VX_N_PAT_TUPLE_STRUCT && p->kind != VX_N_PAT_STRUCT) return 0;
    t = deref_type(c, t);
    if (t->kind != VX_T_TUPLE && t->kind != VX_T_ADT) return 0;
    VxVariant *v = pattern_variant(c, p);
    VxType *ft[64];
    int n = record_fields(c, t, v ? v->index : 0, ft, 64);
    if (p->kind == VX_N_PAT_TUPLE) return positional_parts(p->u.list.elems, ft, n, out);
    if (p->kind == VX_N_PAT_TUPLE_STRUCT) return positional_parts(p->u.pat_tuple_struct.elems, ft, n, out);
    VxField *fs = v ? v->fields : t->u.adt.decl->fields;
    int k = 0;
    for (int i = 0; i < p->u.pat_struct.fields.len && k < 64; i++) {
        VxNode *f = p->u.pat_struct.fields.items[i];
        int fi = field_index(fs, n, f->u.pat_field.name);
        if (fi >= 0) out[k++] = (SubPat){ f->u.pat_field.pat, f->u.pat_field.name, fi, ft[fi] };
    }
    return k;
}

static bool binds_names(Comp *c, VxNode *p)
{
    if (!p) return true;                              /* a shorthand field */
    if (p->kind == VX_N_PAT_IDENT) return !names_variant(c, p);
    if (p->kind == VX_N_PAT_OR) return binds_names(c, p->u.list.elems.items[0]);
    SubPat parts[64];
    int n = pattern_parts(c, p, p->type, parts);
    for (int i = 0; i < n; i++) if (binds_names(c, parts[i].pat)) return true;
    return false;
}

/* A register for each name p binds (the first alternative of `|` names them all). */
static void alloc_bindings(Comp *c, VxNode *p, Bindings *bs)
{
    if (p && p->kind == VX_N_PAT_OR) { alloc_bindings(c, p->u.list.elems.items[0], bs); return; }
    if (p && p->kind != VX_N_PAT_IDENT) {
        SubPat parts[64];
        int n = pattern_parts(c, p, p->type, parts);
        for (int i = 0; i < n; i++)
            if (parts[i].pat) alloc_bindings(c, parts[i].pat, bs);
            else if (bs->n < 64) bs->b[bs->n++] = (Binding){ parts[i].name, alloc_reg(c, p) };
        return;
    }
    if (p && !names_variant(c, p) && bs->n < 64) bs->b[bs->n++] = (Binding){ p->u.pat_ident.name, alloc_reg(c, p) };
}

static void declare_bindings(Comp *c, Bindings *bs)
{
    for (int i = 0; i < bs->n; i++) declare(c, bs->b[i].name, bs->b[i].reg);
}

static void tag_test(Comp *c, VxNode *p, VxVariant *v, int r, IntVec *misses)
{
    int save = c->freereg, t = alloc_reg(c, p), k = alloc_reg(c, p);
    emit(c, p, VX_OP_GETTAG, 0, t, r, 0);
    load_int(c, p, k, v->index);
    emit(c, p, VX_OP_EQ_I64, 0, t, t, k);
    vx_vec_push(misses, emit_jump(c, p, VX_OP_JMPIFNOT, t));
    release_to(c, p, save);
}

static void scalar_test(Comp *c, VxNode *p, int r, IntVec *misses)
{
    int save = c->freereg;
    int t = alloc_reg(c, p), k = alloc_reg(c, p);
    int ik = VX_I64;
    VKind kind = node_kind(c, p, &ik);
    bool uns = kind == K_INT && !vx_int_signed((VxIntKind)ik);
    if (p->kind == VX_N_PAT_LIT) {
        expr_to(c, p->u.pat_lit.expr, k);
        VxOp op = kind == K_F64 ? VX_OP_EQ_F64 : kind == K_F32 ? VX_OP_EQ_F32 : kind == K_STR ? VX_OP_EQ_STR : VX_OP_EQ_I64;
        emit(c, p, op, 0, t, r, k);
        vx_vec_push(misses, emit_jump(c, p, VX_OP_JMPIFNOT, t));
    } else {                                          /* a range: lo <= r, then r < hi (or r <= hi) */
        VxOp le = kind == K_F64 ? VX_OP_LE_F64 : kind == K_F32 ? VX_OP_LE_F32 : uns ? VX_OP_LE_U64 : VX_OP_LE_I64;
        VxOp lt = kind == K_F64 ? VX_OP_LT_F64 : kind == K_F32 ? VX_OP_LT_F32 : uns ? VX_OP_LT_U64 : VX_OP_LT_I64;
        if (p->u.range.lo) {
            expr_to(c, p->u.range.lo, k);
            emit(c, p, le, 0, t, k, r);
            vx_vec_push(misses, emit_jump(c, p, VX_OP_JMPIFNOT, t));
        }
        if (p->u.range.hi) {
            expr_to(c, p->u.range.hi, k);
            emit(c, p, p->u.range.inclusive ? le : lt, 0, t, r, k);
            vx_vec_push(misses, emit_jump(c, p, VX_OP_JMPIFNOT, t));
        }
    }
    release_to(c, p, save);
}

static void pattern_test(Comp *c, VxNode *p, int r, IntVec *misses);

static void pattern_bind(Comp *c, VxNode *p, int r, Bindings *bs);

/* Patch every jump in `jumps` to here, and forget them. */
static void patch_all_here(Comp *c, IntVec *jumps)
{
    for (int i = 0; i < jumps->len; i++) patch_here(c, jumps->data[i]);
    vx_vec_free(jumps);
}

/* p, or each alternative of p = q | r | ...: a miss falls through to the
 * next alternative, the last one's to `misses`; with bs, the alternative
 * that matched binds the names. */
static void match_alternatives(Comp *c, VxNode *p, int r, IntVec *misses, Bindings *bs)
{
    VxNodeList alts = p->kind == VX_N_PAT_OR ? p->u.list.elems : (VxNodeList){ &p, 1 };
    IntVec hits = {0};
    for (int a = 0; a < alts.len; a++) {
        IntVec alt_misses = {0};
        pattern_test(c, alts.items[a], r, &alt_misses);
        if (bs) pattern_bind(c, alts.items[a], r, bs);
        if (a + 1 < alts.len) {
            vx_vec_push(&hits, emit_jump(c, alts.items[a], VX_OP_JMP, 0));
            patch_all_here(c, &alt_misses);
        } else {
            for (int m = 0; m < alt_misses.len; m++) vx_vec_push(misses, alt_misses.data[m]);
            vx_vec_free(&alt_misses);
        }
    }
    patch_all_here(c, &hits);
}

static void pattern_test(Comp *c, VxNode *p, int r, IntVec *misses)
{
    if (c->failed) return;
    switch (p->kind) {
    case VX_N_PAT_WILD: case VX_N_PAT_REST: return;
    case VX_N_PAT_LIT: case VX_N_PAT_RANGE: scalar_test(c, p, r, misses); return;
    case VX_N_PAT_OR: match_alternatives(c, p, r, misses, NULL); return;
    case VX_N_PAT_IDENT: case VX_N_PAT_PATH: case VX_N_PAT_TUPLE: case VX_N_PAT_TUPLE_STRUCT: case VX_N_PAT_STRUCT: break;
    default: unsupported(c, p, "this pattern"); return;
    }
    VxVariant *v = pattern_variant(c, p);
    if (v) tag_test(c, p, v, r, misses);
    if (p->kind == VX_N_PAT_IDENT || p->kind == VX_N_PAT_PATH) return;
    if (kind_of(c, p->type, NULL) != K_REC) { unsupported(c, p, "this pattern"); return; }
    SubPat parts[64];
    int n = pattern_parts(c, p, p->type, parts);
    for (int i = 0; i < n; i++) {
        VxNode *q = parts[i].pat;
        if (!q || q->kind == VX_N_PAT_WILD || q->kind == VX_N_PAT_REST || (q->kind == VX_N_PAT_IDENT && !names_variant(c, q)))
            continue;                                  /* always matches */
        int save = c->freereg, f = alloc_reg(c, q);
        emit(c, q, VX_OP_GETFB, 0, f, r, parts[i].field);
        pattern_test(c, q, f, misses);
        c->freereg = save;                             /* borrowed: nothing to release */
    }
}

static void bind_one(Comp *c, VxNode *at, Bindings *bs, const char *name, bool mut, VxType *t, int r)
{
    for (int i = 0; i < bs->n; i++) {
        if (strcmp(bs->b[i].name, name) != 0) continue;
        int b = bs->b[i].reg;
        bool obj = is_obj_kind(kind_of(c, t, NULL));
        emit(c, at, mut && obj ? VX_OP_MOVE_OBJ : VX_OP_MOVE, 0, b, r, 0);
        c->owned[b] = mut && obj;
        return;
    }
}

/* Give each name of p (which has matched the value in r) its part. */
static void pattern_bind(Comp *c, VxNode *p, int r, Bindings *bs)
{
    if (c->failed) return;
    if (p->kind == VX_N_PAT_IDENT) {
        if (!names_variant(c, p)) bind_one(c, p, bs, p->u.pat_ident.name, p->u.pat_ident.mut, p->type, r);
        return;
    }
    if (p->kind == VX_N_PAT_OR) {
        if (binds_names(c, p)) unsupported(c, p, "`|` patterns that bind names inside other patterns");
        return;
    }
    SubPat parts[64];
    int n = pattern_parts(c, p, p->type, parts);
    for (int i = 0; i < n; i++) {
        if (!binds_names(c, parts[i].pat)) continue;
        int save = c->freereg, f = alloc_reg(c, p);
        emit(c, p, VX_OP_GETFB, 0, f, r, parts[i].field);
        if (parts[i].pat) pattern_bind(c, parts[i].pat, f, bs);
        else bind_one(c, p, bs, parts[i].name, false, parts[i].type, f);
        c->freereg = save;
    }
}

/* Test p against r (misses jump away), then bind its names as locals. */
static void match_and_bind(Comp *c, VxNode *p, int r, IntVec *misses)
{
    Bindings bs = {0};
    alloc_bindings(c, p, &bs);
    match_alternatives(c, p, r, misses, &bs);
    declare_bindings(c, &bs);
}

/* ---- match, if let, while let ----------------------------------------------------------------- */

/* The value a pattern is matched against, held in a new owned register. */
static int scrutinee(Comp *c, VxNode *e)
{
    VKind k = node_kind(c, e, NULL);
    if (k == K_OTHER || k == K_ARR) { unsupported(c, e, "matching values of this type"); return 0; }
    int r = alloc_reg(c, e);
    expr_to(c, e, r);
    if (is_obj(c, e)) c->owned[r] = true;
    return r;
}

static void match_arm(Comp *c, VxNode *arm, int r, int dst, IntVec *ends)
{
    VxNode *p = arm->u.arm.pat;
    int save = c->freereg, nlocals = c->locals.len;
    IntVec misses = {0};
    match_and_bind(c, p, r, &misses);
    if (arm->u.arm.guard) {                           /* a failed guard releases the bindings, then misses */
        int s2 = c->freereg, g = expr(c, arm->u.arm.guard);
        release_to(c, arm, s2);
        int pass = emit_jump(c, arm, VX_OP_JMPIF, g);
        release_on_exit(c, arm, save, -1);
        vx_vec_push(&misses, emit_jump(c, arm, VX_OP_JMP, 0));
        patch_here(c, pass);
    }
    expr_to(c, arm->u.arm.body, dst);
    release_to(c, arm, save);
    vx_vec_push(ends, emit_jump(c, arm, VX_OP_JMP, 0));
    patch_all_here(c, &misses);
    c->locals.len = nlocals;
}

static void match_expr(Comp *c, VxNode *e, int dst)
{
    int save = c->freereg;
    int r = scrutinee(c, e->u.match.scrutinee);
    IntVec ends = {0};
    for (int i = 0; i < e->u.match.arms.len && !c->failed; i++) match_arm(c, e->u.match.arms.items[i], r, dst, &ends);
    patch_all_here(c, &ends);
    release_to(c, e, save);
}

/* if let p = v { then } else { els } */
static void if_let(Comp *c, VxNode *e, int dst)
{
    int save = c->freereg, nlocals = c->locals.len;
    int r = scrutinee(c, e->u.if_.cond);
    int inner = c->freereg;
    IntVec misses = {0};
    match_and_bind(c, e->u.if_.pat, r, &misses);
    block_to(c, e->u.if_.then, dst);
    c->locals.len = nlocals;
    release_to(c, e, inner);
    int to_end = emit_jump(c, e, VX_OP_JMP, 0);
    patch_all_here(c, &misses);
    if (e->u.if_.els && e->u.if_.els->kind == VX_N_IF) expr_to(c, e->u.if_.els, dst);
    else if (e->u.if_.els) block_to(c, e->u.if_.els, dst);
    patch_here(c, to_end);
    release_to(c, e, save);
}

/* while let p = v { body }: the value is taken afresh each time round and
 * released before the next; the loop's level is below it, so `break` and
 * `continue` release it too. */
static void while_let(Comp *c, VxNode *e)
{
    int top = c->code.len, nlocals = c->locals.len;
    if (!push_loop(c, e, e->u.while_.label, -1)) return;
    int r = scrutinee(c, e->u.while_.cond);
    int inner = c->freereg;
    IntVec misses = {0};
    match_and_bind(c, e->u.while_.pat, r, &misses);
    discard(c, e->u.while_.body);
    c->locals.len = nlocals;
    release_to(c, e, inner);
    bool obj = c->owned[r];
    if (obj) emit(c, e, VX_OP_DROP, 0, r, 0, 0);
    jump_back(c, e, top);
    patch_all_here(c, &misses);
    if (obj) emit(c, e, VX_OP_DROP, 0, r, 0, 0);
    c->owned[r] = false;
    c->freereg = r;
    pop_loop(c, top, c->code.len);
}

/* let (a, b) = v: the value is kept, unnamed, until the block ends; the
 * names borrow its parts.  The pattern cannot fail (sema checked). */
static void let_pattern(Comp *c, VxNode *s)
{
    VxNode *p = s->u.let.pat;
    int r = alloc_reg(c, s);
    expr_to(c, s->u.let.value, r);
    if (is_obj(c, s->u.let.value)) c->owned[r] = true;
    Bindings bs = {0};
    alloc_bindings(c, p, &bs);
    pattern_bind(c, p, r, &bs);
    declare_bindings(c, &bs);
}

/* ---- arrays ---------------------------------------------------------------------------------- */

static void array_lit(Comp *c, VxNode *e, int dst)
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

static void array_repeat(Comp *c, VxNode *e, int dst)
{
    int k = elem_put_kind(c, elem_type(c, e));
    if (k < 0) { unsupported(c, e, "arrays of this element type"); return; }
    int save = c->freereg;
    int v = expr(c, e->u.repeat.value), n = expr(c, e->u.repeat.count);
    emit(c, e, VX_OP_ARRREP, k, dst, v, n);
    release_to(c, e, save);
}

/* a[i] (an element) or a[lo..hi] (a new array). */
static void index_expr(Comp *c, VxNode *e, int dst)
{
    VxNode *base = e->u.index.expr;
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
    } else if (ix->kind == VX_N_FULL_SLICE) {
        unsupported(c, ix, "`:` on arrays");
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

/* for x in array: an index runs over the array (held for the loop). */
static void for_array(Comp *c, VxNode *e)
{
    VxNode *pat = e->u.for_.pat;
    int save = c->freereg, nlocals = c->locals.len;
    int arr = expr(c, e->u.for_.iter);
    int i = alloc_reg(c, e), n = alloc_reg(c, e), test = alloc_reg(c, e);
    load_int(c, e, i, 0);
    emit(c, e, VX_OP_ALEN, 0, n, arr, 0);
    int top = c->code.len;
    emit(c, e, VX_OP_LT_I64, 0, test, i, n);
    int exit = emit_jump(c, e, VX_OP_JMPIFNOT, test);
    if (!push_loop(c, e, e->u.for_.label, -1)) return;
    int x = alloc_reg(c, e);                         /* above the loop's level: a jump out releases it */
    bool obj = is_obj_kind(kind_of(c, elem_type(c, e->u.for_.iter), NULL));
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

/* a.pop() on a variable: Some(the last element), removed, or None. */
static void array_pop(Comp *c, VxNode *e, int dst)
{
    VxNode *recv = e->u.method.recv;
    if (assigns_capture(c, recv)) return;
    int a = local_of(c, recv);
    VxType *t = ctype(c, e->type);
    if (a < 0 || kind_of(c, t, NULL) != K_REC) { unsupported(c, recv, "pop from this value"); return; }
    int save = c->freereg, n = alloc_reg(c, e), v = alloc_reg(c, e);
    emit(c, e, VX_OP_ALEN, 0, n, a, 0);
    int to_none = emit_jump(c, e, VX_OP_JMPIFNOT, n);
    emit(c, e, VX_OP_APOP, 0, v, a, 0);
    finish_option(c, e, t, v, dst, to_none);
    c->freereg = save;
}

/* Builtin methods on arrays and strings: a.push(x), a.len(), s.len(). */
static void method_call(Comp *c, VxNode *e, int dst)
{
    if (user_method_call(c, e, dst)) return;
    if (option_method(c, e, dst)) return;
    if (array_hof(c, e, e->u.method.name, e->u.method.recv, e->u.method.args.items, e->u.method.args.len, dst)) return;
    VxNode *recv = e->u.method.recv;
    VKind k = node_kind(c, recv, NULL);
    const char *m = e->u.method.name;
    VxNodeList args = e->u.method.args;
    int save = c->freereg;
    if (strcmp(m, "len") == 0 && args.len == 0 && (k == K_ARR || k == K_STR)) {
        emit(c, e, k == K_ARR ? VX_OP_ALEN : VX_OP_STRLEN, 0, dst, expr(c, recv), 0);
    } else if (k == K_ARR && args.len == 0 && strcmp(m, "pop") == 0) {
        array_pop(c, e, dst);
        return;
    } else if (k == K_ARR && ((args.len == 0 && (strcmp(m, "reverse") == 0 || strcmp(m, "clone") == 0)) ||
                              (args.len == 1 && strcmp(m, "contains") == 0))) {
        VxNode *argv[2] = { recv, args.len ? args.items[0] : NULL };
        if (strcmp(m, "clone") == 0) expr_to(c, recv, dst);       /* a value: the copy is the array itself */
        else emit(c, e, VX_OP_CALLB, 0, dst, args_to_regs(c, argv, 1 + args.len),
                  vx_builtin_find(args.len ? "array_contains" : "reverse", 1 + args.len));
    } else if (strcmp(m, "push") == 0 && k == K_ARR && args.len == 1) {
        if (assigns_capture(c, recv)) return;
        int a = local_of(c, recv);
        VxNode *base = recv->kind == VX_N_FIELD_ACCESS ? recv->u.field_access.expr : NULL;
        int rec = base ? local_of(c, base) : -1, f = base ? struct_field_index(c, base, recv->u.field_access.name) : -1;
        if (a >= 0) emit(c, e, VX_OP_APUSH, 0, a, expr(c, args.items[0]), 0);
        else if (rec >= 0 && f >= 0) emit(c, e, VX_OP_APUSHF, 0, rec, f, expr(c, args.items[0]));   /* `self.items.push(x)` */
        else { unsupported(c, recv, "push onto this value"); return; }
    } else {
        char what[96];
        snprintf(what, sizeof what, "the method `%s`", m);
        unsupported(c, e, what);
        return;
    }
    release_to(c, e, save);
}

/* ---- records --------------------------------------------------------------------------------- */

/* Fields evaluated into consecutive registers, then moved into a new record. */
static void new_record(Comp *c, VxNode *at, VxNode **fields, int n, VxType *t, int variant, int dst)
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

static void struct_lit(Comp *c, VxNode *e, int dst)
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
static bool variant_call(Comp *c, VxNode *e, int dst)
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
static bool variant_value(Comp *c, VxNode *e, int dst)
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
static void field_get(Comp *c, VxNode *e, VxNode *base, int index, int dst)
{
    if (node_kind(c, base, NULL) != K_REC || index < 0) { unsupported(c, e, "this field access"); return; }
    int save = c->freereg;
    VxNode *arr = base->kind == VX_N_INDEX ? base->u.index.expr : NULL;
    if (arr && local_of(c, arr) >= 0 && base->u.index.indices.len == 1 &&
        base->u.index.indices.items[0]->kind != VX_N_RANGE && node_kind(c, arr, NULL) == K_ARR) {
        int r = alloc_reg(c, base);                  /* `a[i].f`: the element borrowed from the variable */
        emit(c, base, VX_OP_AGETB, 0, r, local_of(c, arr), expr(c, base->u.index.indices.items[0]));
        emit(c, e, VX_OP_GETF, 0, dst, r, index);
    } else {
        emit(c, e, VX_OP_GETF, 0, dst, expr(c, base), index);
    }
    release_to(c, e, save);
}

static int struct_field_index(Comp *c, VxNode *base, const char *name)
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

/* ---- expressions and statements ---------------------------------------------------------- */

static void expr_to(Comp *c, VxNode *e, int dst)
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
        if (e->u.for_.iter->kind == VX_N_RANGE) for_range(c, e);
        else if (node_kind(c, e->u.for_.iter, NULL) == K_ARR) for_array(c, e);
        else unsupported(c, e, "`for` over this value");
        return;
    case VX_N_ARRAY: array_lit(c, e, dst); return;
    case VX_N_STRUCT_LIT: struct_lit(c, e, dst); return;
    case VX_N_PATH:
        if (!variant_value(c, e, dst)) unsupported(c, e, "this path");
        return;
    case VX_N_FIELD_ACCESS: field_get(c, e, e->u.field_access.expr, struct_field_index(c, e->u.field_access.expr, e->u.field_access.name), dst); return;
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

static void block_to(Comp *c, VxNode *b, int dst)
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
    int r = alloc_reg(c, s);                          /* a new register: shadowing keeps the old one */
    expr_to(c, s->u.let.value, r);
    if (is_obj(c, s->u.let.value)) c->owned[r] = true;      /* dropped at the block's end */
    declare(c, p->u.pat_ident.name, r);
}

/* ---- functions ----------------------------------------------------------------------------- */

/* `name<i64, str>` for an instance of a generic function (for stack traces). */
static char *instance_name(Comp *c, FuncRef fr)
{
    char buf[512];
    size_t len = (size_t)snprintf(buf, sizeof buf, "%s<", fr.decl->name);
    for (int i = 0; i < fr.nargs && len < sizeof buf; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? ", " : "", vx_tname(vx_sema_types(c->sema), fr.args[i]));
    if (len < sizeof buf) snprintf(buf + len, sizeof buf - len, ">");
    char *name = vx_xmalloc(strlen(buf) + 1);
    return strcpy(name, buf);
}

static void finish_fn(Comp *c, VxNode *end, int ret, VKind rk, VxFunc *out);

/* A closure's function: parameters, then its captures, then the body. */
static void compile_closure(Comp *c, FuncRef fr, VxFunc *out)
{
    VxNode *e = fr.closure;
    VxType *ft = ctype(c, e->type);
    VxNodeList ps = e->u.closure.params;
    c->mut_self = false;
    for (int i = 0; i < ps.len; i++) {
        VxNode *p = ps.items[i], *pat = p->u.param.pat;
        if (pat && pat->kind != VX_N_PAT_IDENT && pat->kind != VX_N_PAT_WILD) { unsupported(c, pat, "patterns as closure parameters"); return; }
        const char *name = pat ? (pat->kind == VX_N_PAT_IDENT ? pat->u.pat_ident.name : "_") : p->u.param.name;
        declare(c, name ? name : "_", i);
        c->owned[i] = is_obj_kind(kind_of(c, ft->u.fn.params[i], NULL));
    }
    c->caps_lo = ps.len;
    c->caps_hi = ps.len + fr.ncaps;
    out->caps_obj_mask = 0;
    for (int i = 0; i < fr.ncaps; i++) {
        declare(c, fr.caps[i], ps.len + i);
        c->owned[ps.len + i] = is_obj_kind(kind_of(c, fr.cap_types[i], NULL));
        if (c->owned[ps.len + i]) out->caps_obj_mask |= 1ull << i;
    }
    c->freereg = c->maxreg = ps.len + fr.ncaps;
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
    c->code.len = c->spans.len = c->consts.len = c->locals.len = 0;
    c->nloops = 0;
    VxNode *n = d->node;
    memset(c->owned, 0, sizeof c->owned);
    c->caps_lo = c->caps_hi = 0;
    if (fr.closure) { compile_closure(c, fr, out); return; }
    c->mut_self = d->self == VX_SELF_REF_MUT;
    int first = c->mut_self;                           /* R0: the hidden result slot of a `&mut self` method */
    for (int i = 0; i < d->nparams; i++) {
        VxType *pt = ctype(c, d->sig->u.fn.params[i]);
        declare(c, i == 0 && d->self != VX_SELF_NONE ? "self" : d->param_names[i], first + i);
        c->owned[first + i] = is_obj_kind(kind_of(c, pt, NULL)) && !(c->mut_self && i == 0);   /* the callee owns its arguments */
        if (kind_of(c, pt, NULL) == K_OTHER || (pt->kind == VX_T_REF && pt->u.arr.mut && !(c->mut_self && i == 0)))
            unsupported(c, i < n->u.fn.params.len ? n->u.fn.params.items[i] : n, "parameters of this type");
    }
    c->freereg = c->maxreg = first + d->nparams;
    int ret = alloc_reg(c, n);
    VKind rk = kind_of(c, d->sig->u.fn.ret, NULL);
    if (rk == K_OTHER) unsupported(c, n->u.fn.ret ? n->u.fn.ret : n, "functions returning this type");
    block_to(c, n->u.fn.body, ret);
    finish_fn(c, n->u.fn.body, ret, rk, out);
    out->name = fr.decl->name;
    if (fr.nargs) out->name = out->own_name = instance_name(c, fr);
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
    p->descs = c.descs.data;
    p->ndescs = c.descs.len;
    bool failed = c.failed;
    free_comp(&c);
    if (failed) { vx_program_free(p); return NULL; }
    return p;
}
