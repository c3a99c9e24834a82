/* sema_match.c - exhaustiveness and reachability of `match` arms.
 *
 * The usefulness algorithm of Maranget ("Warnings for pattern matching",
 * 2007): a pattern vector q is useful against a matrix P if some value
 * matches q and no row of P.  The match is exhaustive when a wildcard is
 * not useful against all arms; when it is, the algorithm also builds a
 * witness - a value no arm covers - which the error prints.  An arm is
 * unreachable when it is not useful against the arms above it.
 *
 * Constructors come from the type: bool (true, false), enums (variants),
 * tuples, structs and arrays of a known length (one constructor).  Arrays
 * of unknown length have one constructor per length: the lengths below a
 * bound L taken from the column's patterns, and "L or longer", which stands
 * for all the longer lengths since no pattern tells them apart (every fixed
 * pattern is shorter, every `[a, .., b]` matches them alike).  Integers,
 * floats and strings have too many values to list: only a wildcard covers them. */
#include "sema_internal.h"

#include <stdio.h>
#include <string.h>

/* SLICE: `[p1, .., pn]` on an array of unknown length, sub = the n named
 * elements, the first `pre` of them before the `..`. */
typedef enum { DP_WILD, DP_CTOR, DP_OPAQUE, DP_OR, DP_SLICE } DPatKind;

typedef struct DPat DPat;
struct DPat {
    DPatKind kind;
    int ctor;                         /* CTOR: variant index, bool value, 0 for tuples/structs */
    const char *lit;                  /* OPAQUE: literal text, compared for equality */
    DPat **sub;                       /* CTOR: fields; OR: alternatives; SLICE: elements */
    int n;
    int pre;                          /* SLICE: elements before the `..` */
    bool open;                        /* a witness CTOR of an array: "this length or longer" */
};

typedef struct Row { DPat **p; int n; } Row;
typedef VX_VEC(Row) Matrix;

typedef struct M {
    Sema *s;
    VxArena arena;
    int budget;                       /* bound on work: give up quietly on huge matches */
    bool had_error;                   /* a pattern named something unknown (already reported) */
} M;

static DPat *dp(M *m, DPatKind k, int ctor, int n)
{
    DPat *d = VX_NEW(&m->arena, DPat);
    d->kind = k;
    d->ctor = ctor;
    d->n = n;
    d->sub = n ? vx_arena_alloc(&m->arena, sizeof(DPat *) * (size_t)n) : NULL;
    return d;
}

static DPat *wild(M *m) { return dp(m, DP_WILD, 0, 0); }

/* ---- constructors of a type ------------------------------------------------ */

enum { MAX_SLICE_LEN = 32 };          /* longer array patterns are left to a wildcard */

/* An array whose length the type leaves open: constructors are lengths. */
static bool open_array(M *m, VxType *t)
{
    t = vx_resolve(m->s->types, t);
    return t->kind == VX_T_SLICE || (t->kind == VX_T_ARRAY && vx_resolve_dim(m->s->types, vx_array_len(t)).tag != VX_DIM_CONST);
}

/* Number of constructors of a type, or -1 for "too many to list" (or,
 * for an open array, "it depends on the column": see column_ctors). */
static int ctor_count(M *m, VxType *t)
{
    t = vx_resolve(m->s->types, t);
    switch (t->kind) {
    case VX_T_BOOL: return 2;
    case VX_T_UNIT: case VX_T_TUPLE: return 1;
    case VX_T_ARRAY: return vx_resolve_dim(m->s->types, vx_array_len(t)).tag == VX_DIM_CONST ? 1 : -1;
    case VX_T_ADT: return t->u.adt.decl->kind == VX_D_ENUM ? t->u.adt.decl->nvariants : 1;
    default: return -1;
    }
}

/* Field types of constructor c of t; returns the arity. */
static int ctor_fields(M *m, VxType *t, int c, VxType **out)
{
    Sema *s = m->s;
    t = vx_resolve(s->types, t);
    if (t->kind == VX_T_TUPLE) {
        for (int i = 0; i < t->u.tuple.n && i < 64; i++) out[i] = t->u.tuple.elems[i];
        return t->u.tuple.n < 64 ? t->u.tuple.n : 64;
    }
    if (open_array(m, t)) {                          /* constructor c: arrays of length c */
        int n = c < 64 ? c : 64;
        for (int i = 0; i < n; i++) out[i] = t->u.arr.elem;
        return n;
    }
    if (t->kind == VX_T_ARRAY) {                     /* [T; N] with N known: like an N-tuple */
        VxDim d = vx_resolve_dim(s->types, vx_array_len(t));
        int n = d.tag == VX_DIM_CONST && d.value <= 64 ? (int)d.value : 0;
        for (int i = 0; i < n; i++) out[i] = t->u.arr.elem;
        return n;
    }
    if (t->kind != VX_T_ADT) return 0;
    VxDecl *d = t->u.adt.decl;
    if (d->kind == VX_D_STRUCT) {
        int n = d->nfields < 64 ? d->nfields : 64;
        for (int i = 0; i < n; i++) out[i] = vx_subst(s->types, d->fields[i].type, d, t->u.adt.args, t->u.adt.n);
        return n;
    }
    VxVariant *v = &d->variants[c];
    int n = v->n < 64 ? v->n : 64;
    for (int i = 0; i < n; i++)
        out[i] = vx_subst(s->types, v->shape == VX_VARIANT_TUPLE ? v->payload[i] : v->fields[i].type, d, t->u.adt.args, t->u.adt.n);
    return n;
}

/* A SLICE pattern d seen as the array constructor of length len (>= d->n):
 * its prefix, wildcards for the middle, its suffix. */
static DPat *slice_at(M *m, DPat *d, int len)
{
    DPat *r = dp(m, DP_CTOR, len, len);
    int suf = d->n - d->pre;
    for (int k = 0; k < len; k++)
        r->sub[k] = k < d->pre ? d->sub[k] : k >= len - suf ? d->sub[d->pre + k - (len - suf)] : wild(m);
    return r;
}

/* The bound L for an open array's column (the heads of mat, and q): one
 * more than the longest fixed pattern, and at least the longest prefix
 * before a `..` plus the longest suffix after one, so that in arrays of
 * length L and more no prefix overlaps a suffix.  Constructors 0..L-1 are
 * those lengths, L is "L or longer". */
static int slice_bound(Matrix *mat, DPat *q, int *max_pre)
{
    int fixed = -1, pre = 0, suf = 0;
    bool slices = false;
    for (int i = 0; i <= mat->len; i++) {
        DPat *h = i < mat->len ? mat->data[i].p[0] : q;
        if (!h) continue;
        if (h->kind == DP_CTOR && h->ctor > fixed) fixed = h->ctor;
        slices |= h->kind == DP_SLICE;
        if (h->kind == DP_SLICE && h->pre > pre) pre = h->pre;
        if (h->kind == DP_SLICE && h->n - h->pre > suf) suf = h->n - h->pre;
    }
    if (max_pre) *max_pre = slices ? pre : 64;     /* no `..` seen: the extra elements go last */
    return fixed + 1 > pre + suf ? fixed + 1 : pre + suf;
}

/* Constructors of a column of type t: the type's, or for an open array 0..L
 * (*pre: where a witness of "L or longer" shows its `..`). */
static int column_ctors(M *m, VxType *t, Matrix *mat, int *pre)
{
    if (!open_array(m, t)) return ctor_count(m, t);
    int bound = slice_bound(mat, NULL, pre);
    return bound <= MAX_SLICE_LEN ? bound + 1 : -1;
}

/* ---- from AST patterns --------------------------------------------------------- */

static DPat *lower(M *m, VxNode *p, VxType *t);

static DPat *lower_list(M *m, VxNodeList pats, VxType *t, int ctor)
{
    VxType *ft[64];
    int n = ctor_fields(m, t, ctor, ft);
    DPat *d = dp(m, DP_CTOR, ctor, n);
    int rest = -1;
    for (int i = 0; i < pats.len; i++) if (pats.items[i]->kind == VX_N_PAT_REST) rest = i;
    for (int i = 0; i < n; i++) d->sub[i] = wild(m);
    for (int i = 0; i < pats.len; i++) {
        if (i == rest) continue;
        int fi = rest >= 0 && i > rest ? n - (pats.len - i) : i;
        if (fi >= 0 && fi < n) d->sub[fi] = lower(m, pats.items[i], ft[fi]);
    }
    return d;
}

static DPat *lower_struct(M *m, VxNode *p, VxType *t, int ctor, VxField *fields, int nfields)
{
    VxType *ft[64];
    int n = ctor_fields(m, t, ctor, ft);
    DPat *d = dp(m, DP_CTOR, ctor, n);
    for (int i = 0; i < n; i++) d->sub[i] = wild(m);
    for (int i = 0; i < p->u.pat_struct.fields.len; i++) {
        VxNode *f = p->u.pat_struct.fields.items[i];
        const char *name = intern(m->s, f->u.pat_field.name);
        for (int j = 0; j < nfields && j < n; j++)
            if (fields[j].name == name && f->u.pat_field.pat) d->sub[j] = lower(m, f->u.pat_field.pat, ft[j]);
    }
    return d;
}

/* [p1, ..., pn] (a constructor: length n) or [p1, .., pn] (SLICE) on an open array. */
static DPat *opaque(M *m, VxNode *p);

static DPat *lower_open_array(M *m, VxNode *p, VxType *elem)
{
    VxNodeList pats = p->u.list.elems;
    int rest = -1;
    for (int i = 0; i < pats.len; i++) if (pats.items[i]->kind == VX_N_PAT_REST) rest = i;
    int n = pats.len - (rest >= 0);
    if (n > MAX_SLICE_LEN) return opaque(m, p);   /* too long to reason about: only `_` covers it */
    DPat *d = dp(m, rest >= 0 ? DP_SLICE : DP_CTOR, rest >= 0 ? 0 : n, n);
    d->pre = rest >= 0 ? rest : n;
    for (int i = 0, k = 0; i < pats.len; i++)
        if (i != rest) d->sub[k++] = lower(m, pats.items[i], elem);
    return d;
}

static DPat *opaque(M *m, VxNode *p)
{
    DPat *d = dp(m, DP_OPAQUE, 0, 0);
    const char *text = m->s->src->text + p->span.start;
    d->lit = vx_arena_strndup(&m->arena, text, p->span.end - p->span.start);
    return d;
}

static DPat *lower(M *m, VxNode *p, VxType *t)
{
    Sema *s = m->s;
    VxDecl *en;
    VxVariant *v;
    switch (p->kind) {
    case VX_N_PAT_IDENT:
        v = find_variant(s, p, &en);
        if (v && v->shape == VX_VARIANT_UNIT) return dp(m, DP_CTOR, v->index, 0);
        return wild(m);
    case VX_N_PAT_LIT:
        if (p->u.pat_lit.expr->kind == VX_N_BOOL) return dp(m, DP_CTOR, p->u.pat_lit.expr->u.boolean, 0);
        return opaque(m, p);
    case VX_N_PAT_TUPLE: return lower_list(m, p->u.list.elems, t, 0);
    case VX_N_PAT_PATH:
        v = find_variant(s, p, &en);
        if (!v) m->had_error = true;
        return v ? dp(m, DP_CTOR, v->index, 0) : wild(m);
    case VX_N_PAT_TUPLE_STRUCT:
        v = find_variant(s, p->u.pat_tuple_struct.path, &en);
        if (!v) m->had_error = true;
        return v ? lower_list(m, p->u.pat_tuple_struct.elems, t, v->index) : wild(m);
    case VX_N_PAT_STRUCT:
        v = find_variant(s, p->u.pat_struct.path, &en);
        if (v) return lower_struct(m, p, t, v->index, v->fields, v->n);
        {
            VxType *r = vx_resolve(s->types, t);
            if (r->kind == VX_T_ADT && r->u.adt.decl->kind == VX_D_STRUCT)
                return lower_struct(m, p, t, 0, r->u.adt.decl->fields, r->u.adt.decl->nfields);
        }
        return wild(m);
    case VX_N_PAT_OR: {
        DPat *d = dp(m, DP_OR, 0, p->u.list.elems.len);
        for (int i = 0; i < d->n; i++) d->sub[i] = lower(m, p->u.list.elems.items[i], t);
        return d;
    }
    case VX_N_PAT_ARRAY: {
        VxType *r = vx_resolve(s->types, t);
        if (r->kind == VX_T_ARRAY && ctor_count(m, r) == 1) return lower_list(m, p->u.list.elems, t, 0);
        return open_array(m, r) ? lower_open_array(m, p, r->u.arr.elem) : opaque(m, p);
    }
    case VX_N_PAT_RANGE: return opaque(m, p);
    default: return wild(m);
    }
}

/* ---- the algorithm ------------------------------------------------------------------- */

static void push_row(M *m, Matrix *mat, DPat **p, int n)
{
    /* an or-pattern in the first column stands for one row per alternative */
    if (n > 0 && p[0]->kind == DP_OR) {
        for (int i = 0; i < p[0]->n; i++) {
            DPat **q = vx_arena_alloc(&m->arena, sizeof(DPat *) * (size_t)n);
            memcpy(q, p, sizeof(DPat *) * (size_t)n);
            q[0] = p[0]->sub[i];
            push_row(m, mat, q, n);
        }
        return;
    }
    Row r = { p, n };
    vx_vec_push(mat, r);
}

/* Rows whose head matches constructor c, with the head's fields spread. */
static void specialize(M *m, Matrix *in, int c, int arity, Matrix *out)
{
    for (int i = 0; i < in->len; i++) {
        Row r = in->data[i];
        DPat *h = r.p[0];
        if (h->kind == DP_SLICE) {                     /* an open array's length c */
            if (h->n > c) continue;
            h = slice_at(m, h, c);
        }
        if (h->kind == DP_OPAQUE || (h->kind == DP_CTOR && h->ctor != c)) continue;
        DPat **q = vx_arena_alloc(&m->arena, sizeof(DPat *) * (size_t)(arity + r.n - 1 + 1));
        for (int k = 0; k < arity; k++) q[k] = h->kind == DP_CTOR && k < h->n ? h->sub[k] : wild(m);
        memcpy(q + arity, r.p + 1, sizeof(DPat *) * (size_t)(r.n - 1));
        push_row(m, out, q, arity + r.n - 1);
    }
}

/* Rows whose head is a wildcard, without the head. */
static void default_rows(M *m, Matrix *in, Matrix *out)
{
    for (int i = 0; i < in->len; i++)
        if (in->data[i].p[0]->kind == DP_WILD) push_row(m, out, in->data[i].p + 1, in->data[i].n - 1);
}

/* Is a vector of n wildcards (of the given types) useful against mat?  If
 * so, *witness gets one uncovered value per column. */
static bool useful_wild(M *m, Matrix *mat, VxType **types, int n, DPat **witness)
{
    if (--m->budget < 0) return false;
    if (n == 0) return mat->len == 0;
    int pre = 0, count = column_ctors(m, types[0], mat, &pre);
    bool used[256] = {0};
    int nused = 0;
    for (int i = 0; i < mat->len; i++) {
        DPat *h = mat->data[i].p[0];
        if (h->kind == DP_CTOR && h->ctor < 256 && !used[h->ctor]) { used[h->ctor] = true; nused++; }
        for (int k = h->n; h->kind == DP_SLICE && k < count; k++)
            if (!used[k]) { used[k] = true; nused++; }
    }
    if (count > 0 && count <= 256 && nused == count) {
        for (int c = 0; c < count; c++) {
            VxType *ft[64 + 64];
            int arity = ctor_fields(m, types[0], c, ft);
            if (arity + n - 1 > 128) return false;
            memcpy(ft + arity, types + 1, sizeof(VxType *) * (size_t)(n - 1));
            Matrix sm = {0};
            specialize(m, mat, c, arity, &sm);
            DPat *w[128];
            bool u = useful_wild(m, &sm, ft, arity + n - 1, w);
            vx_vec_free(&sm);
            if (!u) continue;
            DPat *d = dp(m, DP_CTOR, c, arity);
            for (int k = 0; k < arity; k++) d->sub[k] = w[k];
            d->open = open_array(m, types[0]) && c == count - 1;
            d->pre = pre;
            witness[0] = d;
            memcpy(witness + 1, w + arity, sizeof(DPat *) * (size_t)(n - 1));
            return true;
        }
        return false;
    }
    Matrix dm = {0};
    default_rows(m, mat, &dm);
    bool u = useful_wild(m, &dm, types + 1, n - 1, witness + 1);
    vx_vec_free(&dm);
    if (!u) return false;
    witness[0] = wild(m);
    for (int c = 0; count > 0 && c < count && c < 256; c++)
        if (!used[c]) {                                /* name a missing constructor */
            VxType *ft[64];
            int arity = ctor_fields(m, types[0], c, ft);
            witness[0] = dp(m, DP_CTOR, c, arity);
            for (int k = 0; k < arity; k++) witness[0]->sub[k] = wild(m);
            witness[0]->open = open_array(m, types[0]) && c == count - 1;
            witness[0]->pre = pre;
            break;
        }
    return true;
}

/* Is row q (one column of type t) useful against mat?  (for reachability) */
static bool useful_row(M *m, Matrix *mat, DPat **q, VxType **types, int n)
{
    if (--m->budget < 0) return true;
    if (n == 0) return mat->len == 0;
    DPat *h = q[0];
    if (h->kind == DP_OR) {
        for (int i = 0; i < h->n; i++) {
            DPat *qq[128];
            if (n > 128) return true;
            memcpy(qq, q, sizeof(DPat *) * (size_t)n);
            qq[0] = h->sub[i];
            if (useful_row(m, mat, qq, types, n)) return true;
        }
        return false;
    }
    if (h->kind == DP_SLICE) {                         /* each length it matches, up to the column's bound */
        int bound = slice_bound(mat, h, NULL);
        DPat *qq[128];
        if (n > 128) return true;
        memcpy(qq, q, sizeof(DPat *) * (size_t)n);
        for (int len = h->n; len <= bound; len++) {
            qq[0] = slice_at(m, h, len);
            if (useful_row(m, mat, qq, types, n)) return true;
        }
        return false;
    }
    if (h->kind == DP_CTOR) {
        VxType *ft[128];
        int arity = ctor_fields(m, types[0], h->ctor, ft);
        if (arity + n - 1 > 128) return true;
        memcpy(ft + arity, types + 1, sizeof(VxType *) * (size_t)(n - 1));
        Matrix sm = {0};
        specialize(m, mat, h->ctor, arity, &sm);
        DPat *qq[128];
        for (int k = 0; k < arity; k++) qq[k] = k < h->n ? h->sub[k] : wild(m);
        memcpy(qq + arity, q + 1, sizeof(DPat *) * (size_t)(n - 1));
        bool u = useful_row(m, &sm, qq, ft, arity + n - 1);
        vx_vec_free(&sm);
        return u;
    }
    if (h->kind == DP_OPAQUE) {                        /* covered only by the same literal or wildcards */
        Matrix sm = {0};
        for (int i = 0; i < mat->len; i++) {
            DPat *r = mat->data[i].p[0];
            if (r->kind == DP_WILD || (r->kind == DP_OPAQUE && strcmp(r->lit, h->lit) == 0))
                push_row(m, &sm, mat->data[i].p + 1, mat->data[i].n - 1);
        }
        bool u = useful_row(m, &sm, q + 1, types + 1, n - 1);
        vx_vec_free(&sm);
        return u;
    }
    DPat *w[128];
    if (n > 128) return true;
    bool all_wild = true;
    for (int k = 1; k < n; k++) all_wild &= q[k]->kind == DP_WILD;
    if (all_wild) return useful_wild(m, mat, types, n, w);
    Matrix dm = {0};
    int count = column_ctors(m, types[0], mat, NULL);
    bool u;
    if (count > 0) {                                   /* try every constructor */
        u = false;
        for (int c = 0; c < count && !u; c++) {
            DPat *d = dp(m, DP_CTOR, c, 0);
            VxType *ft[64];
            d->n = ctor_fields(m, types[0], c, ft);
            d->sub = vx_arena_alloc(&m->arena, sizeof(DPat *) * (size_t)(d->n ? d->n : 1));
            for (int k = 0; k < d->n; k++) d->sub[k] = wild(m);
            DPat *qq[128];
            memcpy(qq, q, sizeof(DPat *) * (size_t)n);
            qq[0] = d;
            u = useful_row(m, mat, qq, types, n);
        }
        return u;
    }
    default_rows(m, mat, &dm);
    u = useful_row(m, &dm, q + 1, types + 1, n - 1);
    vx_vec_free(&dm);
    return u;
}

/* ---- printing a witness ---------------------------------------------------------------- */

static void witness_str(M *m, DPat *d, VxType *t, char *buf, size_t cap);

/* [_, _] for one length; for "this length or longer", `..` where the
 * longer arrays' extra elements go: [_, .., _]; `_` when any array will do. */
static void array_witness(M *m, DPat *d, VxType **ft, int n, char *buf, size_t cap)
{
    size_t len = strlen(buf);
    if (d->open && n == 0) { snprintf(buf + len, cap - len, "_"); return; }
    int at = d->open ? (d->pre < n ? d->pre : n) : -1;
    snprintf(buf + len, cap - len, "[");
    for (int i = 0; i <= n; i++) {
        len = strlen(buf);
        if (i == at) snprintf(buf + len, cap - len, i ? ", .." : "..");
        if (i == n) break;
        len = strlen(buf);
        if (i || at == 0) snprintf(buf + len, cap - len, ", ");
        witness_str(m, i < d->n ? d->sub[i] : wild(m), ft[i], buf, cap);
    }
    len = strlen(buf);
    snprintf(buf + len, cap - len, "]");
}

static void witness_str(M *m, DPat *d, VxType *t, char *buf, size_t cap)
{
    size_t len = strlen(buf);
    if (len + 16 >= cap) return;
    t = vx_resolve(m->s->types, t);
    if (d->kind != DP_CTOR) { snprintf(buf + len, cap - len, "_"); return; }
    VxType *ft[64];
    int n = ctor_fields(m, t, d->ctor, ft);
    if (t->kind == VX_T_ARRAY || t->kind == VX_T_SLICE) { array_witness(m, d, ft, n, buf, cap); return; }
    if (t->kind == VX_T_BOOL) { snprintf(buf + len, cap - len, d->ctor ? "true" : "false"); return; }
    bool is_tuple = t->kind == VX_T_TUPLE;
    VxDecl *decl = t->kind == VX_T_ADT ? t->u.adt.decl : NULL;
    VxVariant *v = decl && decl->kind == VX_D_ENUM ? &decl->variants[d->ctor] : NULL;
    if (v) {
        bool bare = decl == m->s->option || decl == m->s->result;
        snprintf(buf + len, cap - len, "%s%s%s", bare ? "" : decl->name, bare ? "" : "::", v->name);
        if (v->shape == VX_VARIANT_UNIT) return;
    } else if (decl) {
        snprintf(buf + len, cap - len, "%s", decl->name);
    }
    bool braces = (v && v->shape == VX_VARIANT_STRUCT) || (!v && decl);
    len = strlen(buf);
    snprintf(buf + len, cap - len, braces ? " { " : "(");
    for (int i = 0; i < n; i++) {
        len = strlen(buf);
        if (i) snprintf(buf + len, cap - len, ", ");
        if (braces) {
            len = strlen(buf);
            snprintf(buf + len, cap - len, "%s: ", v ? v->fields[i].name : decl->fields[i].name);
        }
        witness_str(m, i < d->n ? d->sub[i] : wild(m), ft[i], buf, cap);
    }
    len = strlen(buf);
    snprintf(buf + len, cap - len, braces ? " }" : (is_tuple && n == 1 ? ",)" : ")"));
}

/* ---- entry points --------------------------------------------------------------------------- */

void check_irrefutable(Sema *s, VxNode *pat, VxType *t, const char *what, const char *help)
{
    if (pat->kind == VX_N_PAT_IDENT || pat->kind == VX_N_PAT_WILD) return;
    M m = { s, {0}, 20000, false };
    vx_arena_init(&m.arena);
    VxType *tz = vx_zonk(s->types, t, true);
    Matrix mat = {0};
    DPat **row = vx_arena_alloc(&m.arena, sizeof(DPat *));
    row[0] = lower(&m, pat, tz);
    push_row(&m, &mat, row, 1);
    DPat *w[1];
    if (vx_resolve(s->types, tz)->kind != VX_T_VAR && !m.had_error && useful_wild(&m, &mat, &tz, 1, w) && m.budget > 0) {
        char buf[512] = "";
        witness_str(&m, w[0], tz, buf, sizeof buf);
        VxDiag *g = sema_error(s, pat->span, "this %s pattern does not match every value: `%s` is not covered", what, buf);
        vx_diag_help(s->diags, g, "%s", help);
    }
    vx_vec_free(&mat);
    vx_arena_free(&m.arena);
}

void check_match_exhaustive(Sema *s, VxNode *match, VxType *t)
{
    M m = { s, {0}, 20000, false };
    vx_arena_init(&m.arena);
    VxType *tz = vx_zonk(s->types, t, true);
    if (vx_resolve(s->types, tz)->kind == VX_T_VAR) { vx_arena_free(&m.arena); return; }
    Matrix mat = {0};
    VxNodeList arms = match->u.match.arms;
    for (int i = 0; i < arms.len; i++) {
        VxNode *arm = arms.items[i];
        DPat *d = lower(&m, arm->u.arm.pat, tz);
        DPat **row = vx_arena_alloc(&m.arena, sizeof(DPat *));
        row[0] = d;
        if (!useful_row(&m, &mat, row, &tz, 1) && m.budget > 0 && !m.had_error) {
            VxDiag *g = sema_warning(s, arm->u.arm.pat->span, "unreachable pattern");
            vx_diag_primary(s->diags, g, "no value reaches this arm");
            vx_diag_note(s->diags, g, "the arms above already cover every value it matches");
        }
        if (!arm->u.arm.guard) push_row(&m, &mat, row, 1);
    }
    DPat *w[1];
    if (!m.had_error && useful_wild(&m, &mat, &tz, 1, w) && m.budget > 0) {
        char buf[512] = "";
        witness_str(&m, w[0], tz, buf, sizeof buf);
        VxDiag *g = sema_error(s, match->u.match.scrutinee->span, "non-exhaustive match: `%s` is not covered", buf);
        vx_diag_primary(s->diags, g, "pattern `%s` not covered", buf);
        if (strcmp(buf, "_") == 0)
            vx_diag_help(s->diags, g, "`%s` has too many values to list; add a `_ => ...` arm", tname(s, tz));
        else
            vx_diag_help(s->diags, g, "add an arm for `%s`, or a `_ => ...` arm", buf);
    }
    vx_vec_free(&mat);
    vx_arena_free(&m.arena);
}
