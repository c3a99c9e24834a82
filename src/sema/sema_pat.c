/* sema_pat.c - patterns: checking them against the matched type and
 * binding their names. */
#include "sema_internal.h"

#include <string.h>

static void bind(Sema *s, VxNode *p, const char *name, VxType *t, bool mut)
{
    const char *n = intern(s, name);
    declare_local(s, n, t, p, mut);
    record(s, s->bind_kind ? s->bind_kind : "let", n, t, p);
}

static VxType *lit_type(Sema *s, VxNode *lit, VxType *expected)
{
    return infer_expr(s, lit, expected);
}

static void pattern_list(Sema *s, VxNodeList pats, VxType **types, int n, VxNode *at, bool mut, const char *what)
{
    int rest = -1;
    for (int i = 0; i < pats.len; i++) if (pats.items[i]->kind == VX_N_PAT_REST) rest = i;
    int fixed = pats.len - (rest >= 0);
    if ((rest < 0 && fixed != n) || (rest >= 0 && fixed > n)) {
        VxDiag *g = sema_error(s, at->span, "this pattern has %d element%s, but the %s has %d", fixed,
                               fixed == 1 ? "" : "s", what, n);
        if (rest < 0 && fixed < n) vx_diag_help(s->diags, g, "use `..` to ignore the remaining elements");
        for (int i = 0; i < pats.len; i++) check_pattern(s, pats.items[i], vx_t_error(s->types), mut);
        return;
    }
    for (int i = 0; i < pats.len; i++) {
        if (i == rest) continue;
        int ti = rest >= 0 && i > rest ? n - (pats.len - i) : i;
        check_pattern(s, pats.items[i], types[ti], mut);
    }
}

static void tuple_pat(Sema *s, VxNode *p, VxType *t, bool mut)
{
    VxType *r = vx_resolve(s->types, t);
    VxNodeList el = p->u.list.elems;
    if (r->kind == VX_T_VAR) {                     /* shape it from the pattern */
        bool has_rest = false;
        for (int i = 0; i < el.len; i++) has_rest |= el.items[i]->kind == VX_N_PAT_REST;
        if (!has_rest) {
            VxType *ts[64];
            for (int i = 0; i < el.len && i < 64; i++) ts[i] = vx_t_fresh(s->types, VX_LIT_NONE);
            unify(s, t, vx_t_tuple(s->types, ts, el.len < 64 ? el.len : 64), p->span);
            r = vx_resolve(s->types, t);
        }
    }
    if (r->kind == VX_T_ERROR) { pattern_list(s, el, NULL, 0, p, mut, "value"); return; }
    if (r->kind != VX_T_TUPLE && !(r->kind == VX_T_UNIT && el.len == 0)) {
        VxDiag *g = sema_error(s, p->span, "mismatched types: expected `%s`, found a tuple pattern", tname(s, t));
        vx_diag_primary(s->diags, g, "this pattern is a tuple");
        for (int i = 0; i < el.len; i++) check_pattern(s, el.items[i], vx_t_error(s->types), mut);
        return;
    }
    pattern_list(s, el, r->kind == VX_T_TUPLE ? r->u.tuple.elems : NULL, r->kind == VX_T_TUPLE ? r->u.tuple.n : 0, p, mut, "tuple");
}

static void array_pat(Sema *s, VxNode *p, VxType *t, bool mut)
{
    VxType *r = vx_resolve(s->types, t);
    VxNodeList el = p->u.list.elems;
    if (r->kind != VX_T_ARRAY && r->kind != VX_T_SLICE) {
        if (r->kind != VX_T_ERROR) sema_error(s, p->span, "mismatched types: expected `%s`, found an array pattern", tname(s, t));
        for (int i = 0; i < el.len; i++) check_pattern(s, el.items[i], vx_t_error(s->types), mut);
        return;
    }
    VxDim len = r->kind == VX_T_ARRAY ? vx_resolve_dim(s->types, vx_array_len(r)) : (VxDim){ VX_DIM_UNKNOWN, 0, NULL };
    if (len.tag == VX_DIM_CONST) {                   /* [T; N]: the pattern must account for N elements */
        VxType *ts[64];
        int n = len.value < 64 ? (int)len.value : 64;
        for (int i = 0; i < n; i++) ts[i] = r->u.arr.elem;
        pattern_list(s, el, ts, n, p, mut, "array");
        return;
    }
    for (int i = 0; i < el.len; i++)
        if (el.items[i]->kind != VX_N_PAT_REST) check_pattern(s, el.items[i], r->u.arr.elem, mut);
}

static void variant_pat(Sema *s, VxNode *p, VxNode *path, VxType *t, bool mut)
{
    VxDecl *en;
    VxVariant *v = find_variant(s, path, &en);
    if (!v) {
        VxNodeList segs = path->kind == VX_N_PAT_PATH ? path->u.path.segs : (VxNodeList){0};
        const char *last = segs.len ? segs.items[segs.len - 1]->u.seg.name : "?";
        VxDecl *owner = segs.len == 2 ? lookup_global(s, intern(s, segs.items[0]->u.seg.name)) : NULL;
        if (owner && owner->kind == VX_D_ENUM) {
            VxDiag *g = sema_error(s, path->span, "enum `%s` has no variant named `%s`", owner->name, last);
            for (int i = 0; i < owner->nvariants; i++)
                if (owner->variants[i].name[0] == last[0]) { vx_diag_help(s->diags, g, "did you mean `%s::%s`?", owner->name, owner->variants[i].name); break; }
        } else if (segs.len >= 2) {
            const char *first = intern(s, segs.items[0]->u.seg.name);
            if (!module_member_error(s, segs.items[0]->span, first))
                sema_error(s, path->span, "cannot find enum `%s` in this scope", first);
        } else {
            VxDiag *g = sema_error(s, path->span, "cannot find an enum variant named `%s`", last);
            vx_diag_help(s->diags, g, "write the enum's name first, as in `Shape::Circle(r)`");
        }
        if (p->kind == VX_N_PAT_TUPLE_STRUCT)
            for (int i = 0; i < p->u.pat_tuple_struct.elems.len; i++)
                check_pattern(s, p->u.pat_tuple_struct.elems.items[i], vx_t_error(s->types), mut);
        return;
    }
    VxType **args;
    VxType *et = instantiate(s, en, decl_type(s, en), &args);
    unify(s, t, et, p->span);
    if (p->kind == VX_N_PAT_PATH) {
        if (v->shape != VX_VARIANT_UNIT) {
            VxDiag *g = sema_error(s, p->span, "`%s` carries values; match them too", v->name);
            vx_diag_help(s->diags, g, v->shape == VX_VARIANT_TUPLE ? "write `%s(..)`" : "write `%s { .. }`", v->name);
        }
        return;
    }
    if (p->kind == VX_N_PAT_TUPLE_STRUCT) {
        if (v->shape != VX_VARIANT_TUPLE) {
            sema_error(s, p->span, "`%s` is not a tuple variant", v->name);
            return;
        }
        VxType *ps[64];
        int n = v->n < 64 ? v->n : 64;
        for (int i = 0; i < n; i++) ps[i] = vx_subst(s->types, v->payload[i], en, args, en->ngenerics);
        pattern_list(s, p->u.pat_tuple_struct.elems, ps, n, p, mut, "variant");
    }
}

static void struct_pat(Sema *s, VxNode *p, VxType *t, bool mut)
{
    VxNode *path = p->u.pat_struct.path;
    VxDecl *owner = NULL, *en;
    VxField *fields = NULL;
    int nfields = 0;
    VxType **args = NULL, *st = NULL;
    VxVariant *v = find_variant(s, path, &en);
    if (v && v->shape == VX_VARIANT_STRUCT) {
        owner = en;
        st = instantiate(s, en, decl_type(s, en), &args);
        fields = v->fields;
        nfields = v->n;
    } else if (path->u.path.segs.len == 1) {
        VxDecl *d = lookup_global(s, intern(s, path->u.path.segs.items[0]->u.seg.name));
        if (d && d->kind == VX_D_STRUCT) {
            owner = d;
            st = instantiate(s, d, decl_type(s, d), &args);
            fields = d->fields;
            nfields = d->nfields;
        }
    }
    if (!owner) {
        sema_error(s, path->span, "cannot find a struct or struct variant named here");
        return;
    }
    unify(s, t, st, p->span);
    bool seen[256] = {0};
    for (int i = 0; i < p->u.pat_struct.fields.len; i++) {
        VxNode *f = p->u.pat_struct.fields.items[i];
        const char *name = intern(s, f->u.pat_field.name);
        int idx = -1;
        for (int j = 0; j < nfields; j++) if (fields[j].name == name) idx = j;
        if (idx < 0) { sema_error(s, f->span, "no field named `%s`", name); continue; }
        if (idx < 256) seen[idx] = true;
        VxType *ft = vx_subst(s->types, fields[idx].type, owner, args, owner->ngenerics);
        if (f->u.pat_field.pat) check_pattern(s, f->u.pat_field.pat, ft, mut);
        else bind(s, f, name, ft, mut);
    }
    if (p->u.pat_struct.rest) return;
    for (int j = 0; j < nfields && j < 256; j++)
        if (!seen[j]) {
            VxDiag *g = sema_error(s, p->span, "pattern does not mention field `%s`", fields[j].name);
            vx_diag_help(s->diags, g, "add `..` to ignore the fields not listed");
            return;
        }
}

/* Bindings of an or-pattern must be the same in every alternative. */
static Local *local_named(Sema *s, int first, int n, const char *name)
{
    for (int j = first; j < first + n; j++) if (s->locals.data[j].name == name) return &s->locals.data[j];
    return NULL;
}

/* Does alternative alt bind what the first one (locals first..first+n) binds:
 * the same names, in any order, each with the same type and mutability? */
static void same_bindings(Sema *s, VxNode *alt, VxNode *first_alt, int first, int n, int before)
{
    int m = s->locals.len - before;
    bool names = m == n;
    for (int k = 0; k < m && names; k++) names = local_named(s, first, n, s->locals.data[before + k].name) != NULL;
    if (!names) {
        VxDiag *g = sema_error(s, alt->span, "every alternative of `|` must bind the same names");
        vx_diag_label(s->diags, g, first_alt->span, "first alternative");
        return;
    }
    for (int k = 0; k < m; k++) {
        Local *b = &s->locals.data[before + k], *a = local_named(s, first, n, b->name);
        if (!try_unify(s, a->type, b->type)) {
            VxDiag *g = sema_error(s, b->node->span, "`%s` has type `%s` here but `%s` in the first alternative", b->name, tname(s, b->type), tname(s, a->type));
            vx_diag_label(s->diags, g, a->node->span, "bound here");
            vx_diag_help(s->diags, g, "every alternative of `|` must bind each name with one type");
            return;
        }
        if (a->mut != b->mut) {
            VxDiag *g = sema_error(s, b->node->span, "`%s` is bound %s here but %s in the first alternative", b->name, b->mut ? "with `mut`" : "without `mut`", a->mut ? "with `mut`" : "without `mut`");
            vx_diag_label(s->diags, g, a->node->span, "bound here");
            vx_diag_help(s->diags, g, "write `mut %s` in every alternative or in none", b->name);
            return;
        }
    }
}

static void or_pat(Sema *s, VxNode *p, VxType *t, bool mut)
{
    VxNodeList alts = p->u.list.elems;
    int base = s->locals.len;
    check_pattern(s, alts.items[0], t, mut);
    int nbound = s->locals.len - base;
    for (int i = 1; i < alts.len; i++) {
        int before = s->locals.len;
        check_pattern(s, alts.items[i], t, mut);
        same_bindings(s, alts.items[i], alts.items[0], base, nbound, before);
        s->locals.len = before;                         /* keep the first alternative's bindings */
    }
}

void check_pattern(Sema *s, VxNode *p, VxType *t, bool mut)
{
    p->type = t;
    switch (p->kind) {
    case VX_N_PAT_WILD: return;
    case VX_N_PAT_IDENT: {
        VxDecl *en;
        VxVariant *v = find_variant(s, p, &en);
        if (v && v->shape == VX_VARIANT_UNIT) {          /* `None` */
            unify(s, t, instantiate(s, en, decl_type(s, en), NULL), p->span);
            return;
        }
        bind(s, p, p->u.pat_ident.name, t, mut || p->u.pat_ident.mut);
        return;
    }
    case VX_N_PAT_LIT: {
        VxType *lt = lit_type(s, p->u.pat_lit.expr, t);
        unify(s, t, lt, p->span);
        return;
    }
    case VX_N_PAT_RANGE: {
        if (p->u.range.lo) unify(s, t, lit_type(s, p->u.range.lo, t), p->u.range.lo->span);
        if (p->u.range.hi) unify(s, t, lit_type(s, p->u.range.hi, t), p->u.range.hi->span);
        VxType *r = vx_resolve(s->types, t);
        if (r->kind != VX_T_INT && r->kind != VX_T_FLOAT && r->kind != VX_T_VAR && r->kind != VX_T_ERROR)
            sema_error(s, p->span, "range patterns need numbers, found `%s`", tname(s, t));
        return;
    }
    case VX_N_PAT_TUPLE: tuple_pat(s, p, t, mut); return;
    case VX_N_PAT_ARRAY: array_pat(s, p, t, mut); return;
    case VX_N_PAT_PATH: variant_pat(s, p, p, t, mut); return;
    case VX_N_PAT_TUPLE_STRUCT: variant_pat(s, p, p->u.pat_tuple_struct.path, t, mut); return;
    case VX_N_PAT_STRUCT: struct_pat(s, p, t, mut); return;
    case VX_N_PAT_OR: or_pat(s, p, t, mut); return;
    case VX_N_PAT_REST:
        sema_error(s, p->span, "`..` is only allowed inside tuple, array and struct patterns");
        return;
    default:
        return;
    }
}
