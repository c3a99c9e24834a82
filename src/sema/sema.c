/* sema.c - the checker's driver (prelude, pass 1, pass 2, --dump-types)
 * and its shared helpers: names, scopes, diagnostics. */
#include "sema_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../front/parser.h"


/* ---- names ----------------------------------------------------------------- */

const char *intern(Sema *s, const char *name) { return vx_intern(s->types, name, strlen(name)); }

static uint32_t ptr_hash(const void *p) { return (uint32_t)(((uintptr_t)p >> 4) * 2654435761u); }

static void table_grow(NameTable *t)
{
    uint32_t old = t->cap;
    const char **ok = t->keys;
    VxDecl **ov = t->vals;
    t->cap = old ? old * 2 : 64;
    t->keys = calloc(t->cap, sizeof *t->keys);
    t->vals = calloc(t->cap, sizeof *t->vals);
    if (!t->keys || !t->vals) vx_xmalloc((size_t)-1);
    for (uint32_t i = 0; i < old; i++)
        if (ok[i]) table_put(t, ok[i], ov[i]);
    free(ok);
    free(ov);
}

VxDecl *table_get(const NameTable *t, const char *name)
{
    if (!t->cap) return NULL;
    for (uint32_t h = ptr_hash(name) & (t->cap - 1); t->keys[h]; h = (h + 1) & (t->cap - 1))
        if (t->keys[h] == name) return t->vals[h];
    return NULL;
}

/* Adds or replaces. */
void table_put(NameTable *t, const char *name, VxDecl *d)
{
    if ((t->count + 1) * 2 >= t->cap) table_grow(t);
    uint32_t h = ptr_hash(name) & (t->cap - 1);
    while (t->keys[h] && t->keys[h] != name) h = (h + 1) & (t->cap - 1);
    if (!t->keys[h]) t->count++;
    t->keys[h] = name;
    t->vals[h] = d;
}

/* The current file's names, then the prelude's (which every module sees,
 * and which a module's own definitions hide). */
VxDecl *lookup_global(Sema *s, const char *name)
{
    Module *m = module_of(s, s->src);
    VxDecl *d = m ? table_get(&m->names, name) : NULL;
    if (!d && s->modules.len && m != s->modules.data[0]) d = table_get(&s->modules.data[0]->names, name);
    return d;
}

void define_global(Sema *s, const char *name, VxDecl *d, VxNode *at)
{
    Module *m = module_of(s, s->src);
    VxDecl *old = table_get(&m->names, name);
    if (old) {
        VxDiag *g = sema_error(s, at ? at->span : vx_span(0, 0), "`%s` is defined more than once", name);
        if (old->node && old->src == s->src) vx_diag_label(s->diags, g, old->node->span, "first defined here");
        vx_diag_help(s->diags, g, "rename one of them");
        return;
    }
    table_put(&m->names, name, d);
}

/* Edit distance with adjacent transpositions counting as one edit
 * ("Piont" is one edit from "Point"). */
int edit_distance(const char *a, const char *b)
{
    size_t m = strlen(a), n = strlen(b);
    if (m > 63 || n > 63) return 99;
    int d[64][64];
    for (size_t i = 0; i <= m; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= n; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= m; i++)
        for (size_t j = 1; j <= n; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[m][n];
}

/* The visible name closest to `name`, if close enough to be a likely typo
 * (at most a third of its length away): locals first, then declarations
 * in source order, so the answer never depends on hash order.  `kinds` is
 * a mask of (1 << VxDeclKind) to consider, plus SEMA_LOCALS. */
const char *closest_name(Sema *s, const char *name, unsigned kinds)
{
    const char *best = NULL;
    int best_d = (int)strlen(name) / 3 + 1;
    for (int i = s->locals.len - 1; (kinds & SEMA_LOCALS) && i >= 0; i--) {
        int d = edit_distance(name, s->locals.data[i].name);
        if (d < best_d) { best_d = d; best = s->locals.data[i].name; }
    }
    for (int i = 0; i < s->decls.len; i++) {
        VxDecl *dc = s->decls.data[i];
        if (!(kinds & (1u << dc->kind)) || dc->name == name || !dc->name[0] || dc->impl) continue;
        if (lookup_global(s, dc->name) != dc) continue;        /* hidden, or not a global */
        int d = edit_distance(name, dc->name);
        if (d < best_d) { best_d = d; best = dc->name; }
    }
    return best;
}

/* ---- diagnostics -------------------------------------------------------------- */

static VxDiag *sema_diag(Sema *s, VxSeverity level, VxSpan span, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    VxDiag *g = vx_diag(s->diags, level, s->src, span, "%s", msg);
    Module *m = s->modules.len ? module_of(s, s->src) : NULL;
    if (m && m->import_site) {                       /* in an imported module: how the program reached it */
        VxPos p = vx_source_pos(m->import_src, m->import_site->span.start);
        vx_diag_note(s->diags, g, "in module `%s`, imported at %s:%d:%d", m->name, m->import_src->path, p.line, p.col);
    }
    return g;
}

VxDiag *sema_error(Sema *s, VxSpan span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    VxDiag *g = sema_diag(s, VX_ERROR, span, fmt, ap);
    va_end(ap);
    return g;
}

VxDiag *sema_warning(Sema *s, VxSpan span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    VxDiag *g = sema_diag(s, VX_WARNING, span, fmt, ap);
    va_end(ap);
    return g;
}

const char *tname(Sema *s, VxType *t) { return vx_tname(s->types, vx_zonk(s->types, t, false)); }

void record(Sema *s, const char *what, const char *name, VxType *t, VxNode *at)
{
    if (!s->opt.dump_types || s->src != s->opt.user_src) return;
    char buf[256];
    snprintf(buf, sizeof buf, "%s %s", what, name);
    DumpEntry e = { vx_arena_strndup(&s->arena, buf, strlen(buf)), t, at ? at->span.start : 0, s->src, s->dump.len };
    vx_vec_push(&s->dump, e);
}

/* ---- scopes --------------------------------------------------------------------- */

void push_scope(Sema *s) { vx_vec_push(&s->scopes, s->locals.len); }

void pop_scope(Sema *s)
{
    s->locals.len = s->scopes.data[--s->scopes.len];
}

Local *declare_local(Sema *s, const char *name, VxType *t, VxNode *at, bool mut)
{
    Local l = { name, t, at, mut };
    vx_vec_push(&s->locals, l);
    return &s->locals.data[s->locals.len - 1];
}

Local *lookup_local(Sema *s, const char *name)
{
    for (int i = s->locals.len - 1; i >= 0; i--)
        if (s->locals.data[i].name == name) return &s->locals.data[i];
    return NULL;
}

/* ---- driver ----------------------------------------------------------------------- */

static void find_well_known(Sema *s)
{
    s->option = lookup_global(s, intern(s, "Option"));
    s->result = lookup_global(s, intern(s, "Result"));
    s->range = lookup_global(s, intern(s, "Range"));
    s->range_incl = lookup_global(s, intern(s, "RangeInclusive"));
    s->range_from = lookup_global(s, intern(s, "RangeFrom"));
    s->range_to = lookup_global(s, intern(s, "RangeTo"));
    s->range_to_incl = lookup_global(s, intern(s, "RangeToInclusive"));
    s->range_full = lookup_global(s, intern(s, "RangeFull"));
    s->trait_eq = lookup_global(s, intern(s, "Eq"));
    s->trait_ord = lookup_global(s, intern(s, "Ord"));
    s->trait_num = lookup_global(s, intern(s, "Num"));
    s->trait_float = lookup_global(s, intern(s, "Float"));
    s->trait_int = lookup_global(s, intern(s, "Int"));
    s->trait_copy = lookup_global(s, intern(s, "Copy"));
    s->trait_display = lookup_global(s, intern(s, "Display"));
}

static int by_offset(const void *a, const void *b)
{
    const DumpEntry *x = a, *y = b;
    if (x->offset != y->offset) return x->offset < y->offset ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;        /* stable: order of discovery */
}

static void print_dump(Sema *s)
{
    if (s->dump.len > 1) qsort(s->dump.data, (size_t)s->dump.len, sizeof(DumpEntry), by_offset);
    for (int i = 0; i < s->dump.len; i++) {
        DumpEntry *e = &s->dump.data[i];
        VxPos p = vx_source_pos(e->src, e->offset);
        fprintf(s->opt.out, "%d:%d %s: %s\n", p.line, p.col, e->what,
                vx_tname(s->types, vx_zonk(s->types, e->type, true)));
    }
}

/* Struct field defaults, once per declaration. */
static void check_field_defaults(Sema *s, VxDecl *d)
{
    s->generic_scope = d;
    s->locals.len = 0;
    for (int i = 0; i < d->nfields; i++)
        if (d->fields[i].node->u.field.value) check_expr(s, d->fields[i].node->u.field.value, d->fields[i].type);
    s->int_lits.len = 0;
}

/* A constant's value, checked against its annotation or giving its type. */
static void check_const(Sema *s, VxDecl *d)
{
    VxNode *v = d->node->u.konst.value;
    s->generic_scope = NULL;
    s->locals.len = 0;
    s->int_lits.len = 0;
    if (!v) { if (!d->type) d->type = vx_t_error(s->types); return; }
    VxType *t = infer_expr(s, v, d->type);
    if (d->type) unify(s, d->type, t, v->span);
    else d->type = vx_zonk(s->types, t, true);
    check_literal_ranges(s);
    record(s, "const", d->name, d->type, d->node);
}

static void check_bodies(Sema *s)
{
    for (int i = 0; i < s->decls.len; i++)
        if (s->decls.data[i]->kind == VX_D_CONST) { s->src = s->decls.data[i]->src; check_const(s, s->decls.data[i]); }
    for (int i = 0; i < s->decls.len; i++) {
        VxDecl *d = s->decls.data[i];
        if (d->kind == VX_D_STRUCT) { s->src = d->src; check_field_defaults(s, d); }
        if (d->kind == VX_D_FN && d->node && d->node->u.fn.body) {
            s->src = d->src;
            check_fn(s, d);
        }
    }
}

VxSema *vx_sema_check(const VxSource *src, VxNode *file, VxDiags *diags, VxCheckOptions opt)
{
    Sema *sp = vx_xmalloc(sizeof *sp);
    Sema s;
    memset(&s, 0, sizeof s);
    s.types = vx_types_new();
    s.diags = diags;
    opt.user_src = src;
    s.opt = opt;
    vx_arena_init(&s.arena);

    VxSource *prelude = load_prelude();
    add_module(&s, "prelude", NULL, prelude);
    VxNode *pfile = vx_parse(prelude, &s.arena, diags);
    s.src = prelude;
    collect_items(&s, pfile->u.file.items);
    find_well_known(&s);
    s.src = src;
    add_module(&s, src->path, NULL, (VxSource *)src)->state = MOD_DONE;
    collect_items(&s, file->u.file.items);         /* imports load, parse and collect their modules */
    if (!s.broken_import) {
        resolve_decls(&s);
        index_impls(&s);
        check_impls(&s);
        check_bodies(&s);
    }
    if (diags->errors == 0) monomorphize(&s);
    s.src = src;                                   /* vx_sema_global and friends look up in the program's file */
    if (opt.dump_types && opt.out) { print_dump(&s); print_instances(&s, opt.out); }
    s.errors = diags->errors;
    /* Diagnostics may point into the prelude: print them while it exists. */
    vx_diags_flush(diags);
    *sp = s;
    return sp;
}

int vx_sema_errors(const VxSema *s) { return s->errors; }

VxVariant *vx_sema_variant(VxSema *s, VxNode *path, VxDecl **enum_out) { return find_variant(s, path, enum_out); }

VxDecl *vx_sema_method(VxSema *s, VxType *recv, const char *name)
{
    VxType **args;
    int n;
    size_t mark = vx_types_mark(s->types);
    VxDecl *m = find_method(s, recv, intern(s, name), &args, &n);
    vx_types_rollback(s->types, mark);
    return m;
}
VxDecl *vx_sema_method_inst(VxSema *s, VxType *recv, const char *name, VxType **impl_args, int cap, int *n)
{
    VxType **args;
    size_t mark = vx_types_mark(s->types);
    VxDecl *m = find_method(s, recv, intern(s, name), &args, n);
    if (*n > cap) m = NULL;
    for (int i = 0; m && i < *n; i++) impl_args[i] = vx_zonk(s->types, args[i], true);
    vx_types_rollback(s->types, mark);
    return m;
}
VxDecl *vx_sema_operator(VxSema *s, VxType *l, VxType *r, const char *method, VxType **impl_args, int cap, int *n)
{
    VxType **args;
    size_t mark = vx_types_mark(s->types);
    VxDecl *m = find_operator(s, l, intern(s, method), r, &args, n);
    if (*n > cap) m = NULL;
    for (int i = 0; m && i < *n; i++) impl_args[i] = vx_zonk(s->types, args[i], true);
    vx_types_rollback(s->types, mark);
    return m;
}

VxDecl *vx_sema_assoc_fn(VxSema *s, VxNode *path)
{
    VxNodeList segs = path->u.path.segs;
    if (path->kind != VX_N_PATH || segs.len != 2) return NULL;
    VxDecl *d = lookup_global(s, intern(s, segs.items[0]->u.seg.name));
    if (!d || (d->kind != VX_D_STRUCT && d->kind != VX_D_ENUM)) return NULL;
    VxType **args;
    int n;
    size_t mark = vx_types_mark(s->types);
    VxDecl *m = find_method(s, instantiate(s, d, decl_type(s, d), NULL), intern(s, segs.items[1]->u.seg.name), &args, &n);
    vx_types_rollback(s->types, mark);
    return m;
}

int vx_sema_call_args(VxSema *s, VxNode *site, VxType ***args)
{
    for (int i = 0; i < s->calls.len; i++)
        if (s->calls.data[i].site == site) { *args = s->calls.data[i].args; return s->calls.data[i].nargs; }
    return -1;
}

bool vx_sema_poly_use(VxSema *s, int i, VxNode **binding, VxNode **use, VxType ***quant, VxType ***inst, int *n)
{
    if (i < 0 || i >= s->poly_uses.len) return false;
    PolyUse *u = &s->poly_uses.data[i];
    *binding = u->binding;
    *use = u->use;
    *quant = u->quant;
    *inst = u->inst;
    *n = u->n;
    return true;
}

void vx_sema_set_file(VxSema *s, const VxSource *src) { s->src = src; }
VxTypes *vx_sema_types(VxSema *s) { return s->types; }
VxType *vx_sema_type(VxSema *s, VxType *t) { return t ? vx_zonk(s->types, t, true) : vx_t_error(s->types); }
VxDecl *vx_sema_global(VxSema *s, const char *name) { return lookup_global(s, intern(s, name)); }
VxDecl *vx_sema_prelude(VxSema *s, VxPreludeType which)
{
    VxDecl *const ds[] = { s->option, s->result, s->range, s->range_incl, s->range_from, s->range_to, s->range_to_incl, s->range_full };
    return ds[which];
}

int vx_sema_instances(VxSema *s, VxDecl ***decls, VxType ****args, int **nargs)
{
    int n = s->instances.len;
    *decls = vx_arena_alloc(&s->arena, sizeof(VxDecl *) * (size_t)(n ? n : 1));
    *args = vx_arena_alloc(&s->arena, sizeof(VxType **) * (size_t)(n ? n : 1));
    *nargs = vx_arena_alloc(&s->arena, sizeof(int) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        (*decls)[i] = s->instances.data[i].decl;
        (*args)[i] = s->instances.data[i].args;
        (*nargs)[i] = s->instances.data[i].nargs;
    }
    return n;
}

int vx_check(const VxSource *src, VxNode *file, VxDiags *diags, VxCheckOptions opt)
{
    VxSema *s = vx_sema_check(src, file, diags, opt);
    int errors = s->errors;
    vx_sema_free(s);
    return errors;
}

void vx_sema_free(VxSema *sp)
{
    Sema s = *sp;
    free(sp);
    vx_vec_free(&s.decls);
    vx_vec_free(&s.impls);
    vx_vec_free(&s.locals);
    vx_vec_free(&s.scopes);
    vx_vec_free(&s.dump);
    vx_vec_free(&s.calls);
    vx_vec_free(&s.poly_uses);
    vx_vec_free(&s.obligations);
    vx_vec_free(&s.int_lits);
    vx_vec_free(&s.bindings);
    vx_vec_free(&s.poly_closures);
    vx_vec_free(&s.instances);
    free(s.instance_slots);
    free(s.impl_index);
    free_modules(&s);
    vx_types_free(s.types);
    vx_arena_free(&s.arena);
}
