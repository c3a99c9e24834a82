/* compile_match.c - patterns: match, if let, while let, destructuring let,
 * and `?` on Option and Result. */
#include "compile_internal.h"

/* ---- patterns ------------------------------------------------------------------------------- */

/* A pattern compiles in two steps: its tests, which jump to `misses` when
 * the value does not match, and then its bindings, so a failed test never
 * leaves a half-bound value behind.  Parts of a record are read borrowed
 * (GETFB): the matched value is held until the arm ends.  A `mut` binding
 * of an object takes its own reference, since assignment releases it. */

/* One part of a compound pattern: the sub-pattern (NULL for the shorthand
 * `Point { x }`, which binds `name`), its field index and type.  In an
 * array pattern, `field` is the element's index, or for one after the
 * `..`, -k: the k-th from the end. */
typedef struct SubPat { VxNode *pat; const char *name; int field; VxType *type; bool elem; } SubPat;

static bool names_variant(Comp *c, VxNode *p)
{
    VxDecl *en;
    return p->kind == VX_N_PAT_IDENT && vx_sema_variant(c->sema, p, &en) != NULL;
}

/* The variant a pattern requires, or NULL (structs, tuples, bindings);
 * *en: its enum. */
static VxVariant *variant_of(Comp *c, VxNode *p, VxDecl **en)
{
    switch (p->kind) {
    case VX_N_PAT_IDENT: return vx_sema_variant(c->sema, p, en);
    case VX_N_PAT_PATH: return vx_sema_variant(c->sema, p, en);
    case VX_N_PAT_TUPLE_STRUCT: return vx_sema_variant(c->sema, p->u.pat_tuple_struct.path, en);
    case VX_N_PAT_STRUCT: return vx_sema_variant(c->sema, p->u.pat_struct.path, en);
    default: return NULL;
    }
}

static VxVariant *pattern_variant(Comp *c, VxNode *p)
{
    VxDecl *en;
    return variant_of(c, p, &en);
}

/* Positional parts, with `..` skipping the middle. */
static int positional_parts(VxNodeList pats, VxType **types, int n, SubPat *out)
{
    int rest = -1, k = 0;
    for (int i = 0; i < pats.len; i++) if (pats.items[i]->kind == VX_N_PAT_REST) rest = i;
    for (int i = 0; i < pats.len && k < 64; i++) {
        if (i == rest) continue;
        int fi = rest >= 0 && i > rest ? n - (pats.len - i) : i;
        out[k++] = (SubPat){ pats.items[i], NULL, fi, types[fi], false };
    }
    return k;
}

/* The elements an array pattern names, and how many come after its `..` (-1: none). */
static int array_parts(Comp *c, VxNode *p, VxType *t, SubPat *out, int *after_rest)
{
    VxNodeList pats = p->u.list.elems;
    VxType *elem = deref_type(c, t)->u.arr.elem;
    int rest = -1, k = 0;
    for (int i = 0; i < pats.len; i++) if (pats.items[i]->kind == VX_N_PAT_REST) rest = i;
    for (int i = 0; i < pats.len && k < 64; i++)
        if (i != rest) out[k++] = (SubPat){ pats.items[i], NULL, rest >= 0 && i > rest ? i - pats.len : i, elem, true };
    if (after_rest) *after_rest = rest >= 0 ? pats.len - 1 - rest : -1;
    return k;
}

/* f := part s of the value in r, borrowed (r outlives f). */
static void load_part(Comp *c, VxNode *at, SubPat *s, int r, int f)
{
    if (!s->elem) { emit(c, at, VX_OP_GETFB, 0, f, r, s->field); return; }
    if (s->field >= 0) load_int(c, at, f, s->field);
    else {                                            /* from the end: len - k */
        emit(c, at, VX_OP_ALEN, 0, f, r, 0);
        emit(c, at, VX_OP_ADDI_I64, 0, f, f, s->field);
    }
    emit(c, at, VX_OP_AGETB, 0, f, r, f);
}

/* The parts of a tuple, tuple-variant or struct pattern p matched against type t. */
static int pattern_parts(Comp *c, VxNode *p, VxType *t, SubPat *out)
{
    if (p->kind == VX_N_PAT_ARRAY) return array_parts(c, p, t, out, NULL);
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
        if (fi >= 0) out[k++] = (SubPat){ f->u.pat_field.pat, f->u.pat_field.name, fi, ft[fi], false };
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
void alloc_bindings(Comp *c, VxNode *p, Bindings *bs)
{
    if (p && p->kind == VX_N_PAT_OR) { alloc_bindings(c, p->u.list.elems.items[0], bs); return; }
    if (p && p->kind != VX_N_PAT_IDENT) {
        SubPat parts[64];
        int n = pattern_parts(c, p, p->type, parts);
        for (int i = 0; i < n; i++)
            if (parts[i].pat) alloc_bindings(c, parts[i].pat, bs);
            else if (bs->n < 64) bs->b[bs->n++] = (Binding){ parts[i].name, alloc_reg(c, p), true };
        return;
    }
    if (p && !names_variant(c, p) && bs->n < 64)
        bs->b[bs->n++] = (Binding){ p->u.pat_ident.name, alloc_reg(c, p), !p->u.pat_ident.mut };
}

void declare_bindings(Comp *c, Bindings *bs)
{
    for (int i = 0; i < bs->n; i++) {
        if (bs->b[i].fixed) declare_fixed(c, bs->b[i].name, bs->b[i].reg);
        else declare(c, bs->b[i].name, bs->b[i].reg);
    }
}

static void tag_test(Comp *c, VxNode *p, VxVariant *v, int r, IntVec *misses)
{
    if (v->index <= UINT8_MAX) {                     /* one instruction: the tag fits the t byte */
        int pc = emit_jump(c, p, VX_OP_JMPNOTAG, r);
        c->code.data[pc].t = (uint8_t)v->index;
        vx_vec_push(misses, pc);
        return;
    }
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
    if (compare_op(kind, ik, 0) == VX_OP_COUNT) { unsupported(c, p, "patterns of this type"); return; }
    if (p->kind == VX_N_PAT_LIT) {                    /* wide literals are immortal constants: nothing to drop */
        expr_to(c, p->u.pat_lit.expr, k);
        emit(c, p, compare_op(kind, ik, 0), ik, t, r, k);
        vx_vec_push(misses, emit_jump(c, p, VX_OP_JMPIFNOT, t));
    } else {                                          /* a range: lo <= r, then r < hi (or r <= hi) */
        VxOp le = compare_op(kind, ik, 2), lt = compare_op(kind, ik, 1);
        if (p->u.range.lo) {
            expr_to(c, p->u.range.lo, k);
            emit(c, p, le, ik, t, k, r);
            vx_vec_push(misses, emit_jump(c, p, VX_OP_JMPIFNOT, t));
        }
        if (p->u.range.hi) {
            expr_to(c, p->u.range.hi, k);
            emit(c, p, p->u.range.inclusive ? le : lt, ik, t, r, k);
            vx_vec_push(misses, emit_jump(c, p, VX_OP_JMPIFNOT, t));
        }
    }
    release_to(c, p, save);
}

static void pattern_test(Comp *c, VxNode *p, int r, IntVec *misses);

/* An array pattern's length test: exactly its element count, or with a
 * `..`, at least that many.  Returns the elements (in parts). */
static int length_test(Comp *c, VxNode *p, int r, SubPat *parts, IntVec *misses)
{
    if (kind_of(c, p->type, NULL) != K_ARR) { unsupported(c, p, "this pattern"); return 0; }
    int after_rest, n = array_parts(c, p, p->type, parts, &after_rest);
    int save = c->freereg, t = alloc_reg(c, p), k = alloc_reg(c, p);
    emit(c, p, VX_OP_ALEN, 0, t, r, 0);
    load_int(c, p, k, n);
    emit(c, p, after_rest >= 0 ? VX_OP_LE_I64 : VX_OP_EQ_I64, 0, t, k, t);
    vx_vec_push(misses, emit_jump(c, p, VX_OP_JMPIFNOT, t));
    release_to(c, p, save);
    return n;
}

/* Patch every jump in `jumps` to here, and forget them. */
static void patch_all_here(Comp *c, IntVec *jumps)
{
    for (int i = 0; i < jumps->len; i++) patch_here(c, jumps->data[i]);
    vx_vec_free(jumps);
}

/* p, or each alternative of p = q | r | ...: a miss falls through to the
 * next alternative, the last one's to `misses` (NULL: the value is known
 * to match, so the last alternative is not tested); with bs, the
 * alternative that matched binds the names. */
static void match_alternatives(Comp *c, VxNode *p, int r, IntVec *misses, Bindings *bs)
{
    VxNodeList alts = p->kind == VX_N_PAT_OR ? p->u.list.elems : (VxNodeList){ &p, 1 };
    IntVec hits = {0};
    for (int a = 0; a < alts.len; a++) {
        IntVec alt_misses = {0};
        if (misses || a + 1 < alts.len) pattern_test(c, alts.items[a], r, &alt_misses);
        if (bs) pattern_bind(c, alts.items[a], r, bs);
        if (a + 1 < alts.len) {
            vx_vec_push(&hits, emit_jump(c, alts.items[a], VX_OP_JMP, 0));
            patch_all_here(c, &alt_misses);
        } else {
            for (int m = 0; misses && m < alt_misses.len; m++) vx_vec_push(misses, alt_misses.data[m]);
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
    case VX_N_PAT_ARRAY: break;
    default: unsupported(c, p, "this pattern"); return;
    }
    VxVariant *v = pattern_variant(c, p);
    if (v) tag_test(c, p, v, r, misses);
    if (p->kind == VX_N_PAT_IDENT || p->kind == VX_N_PAT_PATH) return;
    SubPat parts[64];
    int n;
    if (p->kind == VX_N_PAT_ARRAY) n = length_test(c, p, r, parts, misses);
    else if (kind_of(c, p->type, NULL) != K_REC) { unsupported(c, p, "this pattern"); return; }
    else n = pattern_parts(c, p, p->type, parts);
    for (int i = 0; i < n; i++) {
        VxNode *q = parts[i].pat;
        if (!q || q->kind == VX_N_PAT_WILD || q->kind == VX_N_PAT_REST || (q->kind == VX_N_PAT_IDENT && !names_variant(c, q)))
            continue;                                  /* always matches */
        int save = c->freereg, f = alloc_reg(c, q);
        load_part(c, q, &parts[i], r, f);
        pattern_test(c, q, f, misses);
        c->freereg = save;                             /* borrowed: nothing to release */
    }
}

/* Bind `name` to R[r], or with field >= 0 to field `field` of R[r]
 * (read straight into the name's register). */
static void bind_one(Comp *c, VxNode *at, Bindings *bs, const char *name, bool mut, VxType *t, int r, int field)
{
    for (int i = 0; i < bs->n; i++) {
        if (strcmp(bs->b[i].name, name) != 0) continue;
        int b = bs->b[i].reg;
        bool own = mut && is_obj_kind(kind_of(c, t, NULL));
        if (field >= 0) emit(c, at, own ? VX_OP_GETF : VX_OP_GETFB, 0, b, r, field);
        else emit(c, at, own ? VX_OP_MOVE_OBJ : VX_OP_MOVE, 0, b, r, 0);
        c->owned[b] = own;
        return;
    }
}

/* Give each name of p (which has matched the value in r) its part. */
void pattern_bind(Comp *c, VxNode *p, int r, Bindings *bs)
{
    if (c->failed) return;
    if (p->kind == VX_N_PAT_IDENT) {
        if (!names_variant(c, p)) bind_one(c, p, bs, p->u.pat_ident.name, p->u.pat_ident.mut, p->type, r, -1);
        return;
    }
    if (p->kind == VX_N_PAT_OR) {                    /* the tests found that some alternative matches: */
        if (binds_names(c, p)) match_alternatives(c, p, r, NULL, bs);  /* the first that does binds */
        return;
    }
    SubPat parts[64];
    int n = pattern_parts(c, p, p->type, parts);
    for (int i = 0; i < n; i++) {
        VxNode *q = parts[i].pat;
        if (!binds_names(c, q)) continue;
        if ((!q || q->kind == VX_N_PAT_IDENT) && !parts[i].elem) {   /* a name: the field goes straight to it */
            bind_one(c, q ? q : p, bs, q ? q->u.pat_ident.name : parts[i].name, q && q->u.pat_ident.mut, parts[i].type, r,
                     parts[i].field);
            continue;
        }
        int save = c->freereg, f = alloc_reg(c, p);
        load_part(c, p, &parts[i], r, f);
        if (q) pattern_bind(c, q, f, bs);
        else bind_one(c, p, bs, parts[i].name, false, parts[i].type, f, -1);
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

/* The value a pattern is matched against, held in a new owned register;
 * with `borrow`, a fixed variable's own (it outlives the bindings that
 * borrow its parts, and nothing changes it meanwhile). */
int scrutinee(Comp *c, VxNode *e, bool borrow)
{
    VKind k = node_kind(c, e, NULL);
    if (k == K_OTHER) { unsupported(c, e, "matching values of this type"); return 0; }
    if (borrow && fixed_local(c, e) >= 0) return fixed_local(c, e);
    int r = alloc_reg(c, e);
    expr_to(c, e, r);
    if (is_obj(c, e)) c->owned[r] = true;
    return r;
}

/* p matches every value of its variant: its parts are names or wildcards. */
static bool whole_variant(Comp *c, VxNode *p)
{
    if (p->kind == VX_N_PAT_IDENT || p->kind == VX_N_PAT_PATH) return true;
    SubPat parts[64];
    int n = pattern_parts(c, p, p->type, parts);
    for (int i = 0; i < n; i++) {
        VxNode *q = parts[i].pat;
        if (q && q->kind != VX_N_PAT_WILD && q->kind != VX_N_PAT_REST && (q->kind != VX_N_PAT_IDENT || names_variant(c, q)))
            return false;
    }
    return true;
}

/* The last arm need not test its variant when it takes a whole variant
 * and the unguarded arms above took each of the others whole: nothing
 * else reaches it (checked here, not taken from sema's exhaustiveness). */
static bool last_arm_certain(Comp *c, VxNodeList arms)
{
    VxNode *last = arms.items[arms.len - 1];
    VxDecl *en = NULL;
    VxVariant *v = last->u.arm.guard ? NULL : variant_of(c, last->u.arm.pat, &en);
    if (!v || !en || en->nvariants > 64 || !whole_variant(c, last->u.arm.pat)) return false;
    uint64_t seen = 1ull << v->index;
    for (int i = 0; i + 1 < arms.len; i++) {
        VxNode *p = arms.items[i]->u.arm.pat;
        VxDecl *pe = NULL;
        VxVariant *pv = arms.items[i]->u.arm.guard ? NULL : variant_of(c, p, &pe);
        if (pv && pe == en && whole_variant(c, p)) seen |= 1ull << pv->index;
    }
    return seen == (en->nvariants == 64 ? ~0ull : (1ull << en->nvariants) - 1);
}

/* One arm; `certain`: it is the last and cannot miss (no test), `last`:
 * no jump to the end follows it. */
static void match_arm(Comp *c, VxNode *arm, int r, int dst, IntVec *ends, bool last, bool certain)
{
    VxNode *p = arm->u.arm.pat;
    int save = c->freereg, nlocals = c->locals.len;
    IntVec misses = {0};
    if (certain) {
        Bindings bs = {0};
        alloc_bindings(c, p, &bs);
        pattern_bind(c, p, r, &bs);
        declare_bindings(c, &bs);
    } else {
        match_and_bind(c, p, r, &misses);
    }
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
    if (!last) vx_vec_push(ends, emit_jump(c, arm, VX_OP_JMP, 0));
    patch_all_here(c, &misses);
    c->locals.len = nlocals;
}

void match_expr(Comp *c, VxNode *e, int dst)
{
    int save = c->freereg;
    int r = scrutinee(c, e->u.match.scrutinee, true);
    IntVec ends = {0};
    VxNodeList arms = e->u.match.arms;
    bool certain = arms.len > 0 && last_arm_certain(c, arms);
    for (int i = 0; i < arms.len && !c->failed; i++)
        match_arm(c, arms.items[i], r, dst, &ends, i + 1 == arms.len, certain && i + 1 == arms.len);
    patch_all_here(c, &ends);
    release_to(c, e, save);
}

/* if let p = v { then } else { els } */
void if_let(Comp *c, VxNode *e, int dst)
{
    int save = c->freereg, nlocals = c->locals.len;
    int r = scrutinee(c, e->u.if_.cond, true);
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
void while_let(Comp *c, VxNode *e)
{
    int top = c->code.len, nlocals = c->locals.len;
    if (!push_loop(c, e, e->u.while_.label, -1)) return;
    int r = scrutinee(c, e->u.while_.cond, false);
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
void let_pattern(Comp *c, VxNode *s)
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

/* ---- ? on Option and Result ------------------------------------------------------------- */

/* e? : the value inside `Some`/`Ok`, or return `None`/`Err(e)` from the
 * function at once, releasing what it holds (as `return` does). */
void try_expr(Comp *c, VxNode *e, int dst)
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
    bool is_result = deref_type(c, rt)->u.adt.decl == vx_sema_prelude(c->sema, VX_PRELUDE_RESULT);
    if (is_result) emit(c, e, VX_OP_GETF, 0, field, r, 0);
    emit(c, e, VX_OP_NEWREC, 0, ret, field, desc_const(c, rt, 1));
    release_on_exit(c, e, 0, ret);
    ct_no_grad_exit(c, e, 0);
    emit(c, e, VX_OP_RET, 0, ret, 0, 0);
    patch_here(c, to_end);
    c->owned[r] = false;
    c->freereg = save;
}
