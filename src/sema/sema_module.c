/* sema_module.c - modules: finding an imported file, loading it once,
 * binding what `import` names, and the errors about module members.
 *
 * Every module's declarations join the one list of declarations (so the
 * later passes, monomorphisation and the VM see one program); what differs
 * per module is the namespace (Module.names) that lookups in its files
 * use.  `import m as a` defines `a.item` there for each `pub` item of m;
 * the parser reads `a.Item` in types and paths as that one name, and
 * module_member turns `a.f(x)` and `a.C` in expressions into it. */
#define _XOPEN_SOURCE 700              /* realpath */
#include "sema_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../front/parser.h"

extern const char vx_prelude_source[];          /* lib/std/prelude.vx, embedded by the build */
extern const int vx_std_count;                  /* lib/std/X.vx for every other X (tools/embed_std.sh) */
extern const char *const vx_std_names[];
extern const char *const vx_std_texts[];

/* ---- the module table ---------------------------------------------------------- */

static char *dup_str(const char *t) { return strcpy(vx_xmalloc(strlen(t) + 1), t); }

Module *add_module(Sema *s, const char *name, char *key, VxSource *src)
{
    Module *m = vx_xmalloc(sizeof *m);
    memset(m, 0, sizeof *m);
    m->name = name;
    char real[PATH_MAX];
    if (!key && realpath(src->path, real)) key = dup_str(real);      /* the program's file: a cycle may lead back to it */
    m->key = key;
    m->src = src;
    vx_vec_push(&s->modules, m);
    return m;
}

Module *module_of(Sema *s, const VxSource *src)
{
    if (src == s->cur_src && s->cur_mod) return s->cur_mod;
    for (int i = 0; i < s->modules.len; i++)
        if (s->modules.data[i]->src == src) {
            s->cur_src = src;
            return s->cur_mod = s->modules.data[i];
        }
    return s->modules.len > 1 ? s->modules.data[1] : NULL;
}

/* ---- finding the file ------------------------------------------------------------ */

/* Sources keep their path by pointer: a module's is a copy it owns (free_source). */
static VxSource *from_memory(const char *path, const char *text)
{
    VxSource *src = vx_xmalloc(sizeof *src);
    vx_source_from_memory(src, dup_str(path), text, strlen(text));
    return src;
}

static VxSource *from_file(const char *path)
{
    VxSource *src = vx_xmalloc(sizeof *src);
    char *own = dup_str(path);
    if (vx_source_load(src, own)) return src;
    int e = errno;
    free(own);
    free(src);
    errno = e;
    return NULL;
}

static void free_source(VxSource *src)
{
    char *path = (char *)src->path;
    vx_source_free(src);
    free(path);
    free(src);
}

void free_modules(Sema *s)
{
    for (int i = 0; i < s->modules.len; i++) {
        Module *m = s->modules.data[i];
        free(m->names.keys);
        free(m->names.vals);
        free(m->key);
        if (i > 1) free_source(m->src);                /* [1] is the caller's */
        else if (i == 0 && m->src->path[0] != '<') free_source(m->src);   /* $VORTEX_STD/prelude.vx */
        else if (i == 0) { vx_source_free(m->src); free(m->src); }
        free(m);
    }
    vx_vec_free(&s->modules);
    vx_vec_free(&s->aliases);
    vx_vec_free(&s->loading);
}

/* $VORTEX_STD, when set, replaces the standard library compiled into the
 * binary (for working on lib/std without rebuilding). */
static const char *std_dir(void)
{
    const char *d = getenv("VORTEX_STD");
    return d && d[0] ? d : NULL;
}

VxSource *load_prelude(void)
{
    char path[PATH_MAX];
    if (std_dir() && snprintf(path, sizeof path, "%s/prelude.vx", std_dir()) < (int)sizeof path) {
        VxSource *src = from_file(path);
        if (src) return src;
    }
    VxSource *src = vx_xmalloc(sizeof *src);
    vx_source_from_memory(src, "<prelude>", vx_prelude_source, strlen(vx_prelude_source));
    return src;
}

/* `a.b.c` joined with `sep`. */
static void join_path(VxNode *n, int from, const char *sep, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (int i = from; i < n->u.import.npath && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i > from ? sep : "", n->u.import.path[i]);
}

/* The file `import` names, loaded; its canonical path in *key.  On failure
 * NULL, with what was tried in `tried`. */
static VxSource *find_module(Sema *s, VxNode *n, char **key, char *tried, size_t cap)
{
    char rel[PATH_MAX], path[PATH_MAX + 16], real[PATH_MAX];
    bool is_std = n->u.import.npath >= 2 && strcmp(n->u.import.path[0], "std") == 0;
    join_path(n, is_std, "/", rel, sizeof rel);
    if (is_std && !std_dir()) {
        snprintf(path, sizeof path, "<std>/%s.vx", rel);
        snprintf(tried, cap, "the standard library has no `%s.vx`", rel);
        for (int i = 0; i < vx_std_count; i++)
            if (strcmp(vx_std_names[i], rel) == 0) { *key = dup_str(path); return from_memory(path, vx_std_texts[i]); }
        return NULL;
    }
    if (is_std) snprintf(path, sizeof path, "%s/%s.vx", std_dir(), rel);
    else {
        const char *from = s->src->path, *slash = strrchr(from, '/');
        if (slash) snprintf(path, sizeof path, "%.*s/%s.vx", (int)(slash - from), from, rel);
        else snprintf(path, sizeof path, "%s.vx", rel);
    }
    VxSource *src = from_file(path);
    snprintf(tried, cap, "tried `%s`: %s", path, src ? "" : strerror(errno));
    if (!src) return NULL;
    *key = dup_str(realpath(path, real) ? real : path);
    return src;
}

static Module *cached(Sema *s, const char *key)
{
    for (int i = 0; i < s->modules.len; i++)
        if (s->modules.data[i]->key && strcmp(s->modules.data[i]->key, key) == 0) return s->modules.data[i];
    return NULL;
}

/* "a -> b -> a" for the error about an import cycle. */
static void cycle_text(Sema *s, Module *again, char *out, size_t cap)
{
    size_t len = 0;
    int from = 0;
    while (from < s->loading.len && s->loading.data[from] != again) from++;
    for (int i = from; i < s->loading.len && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "`%s` -> ", s->loading.data[i]->name);
    if (len < cap) snprintf(out + len, cap - len, "`%s`", again->name);
}

/* Parse and collect a module's items in its own namespace (and its imports, recursively). */
static void load(Sema *s, Module *m)
{
    int before = s->diags->errors;
    VxNode *file = vx_parse(m->src, &s->arena, s->diags);
    if (s->diags->errors > before) { m->state = MOD_BROKEN; s->broken_import = true; return; }
    const VxSource *saved = s->src;
    vx_vec_push(&s->loading, m);
    s->src = m->src;
    collect_items(s, file->u.file.items);
    s->src = saved;
    s->loading.len--;
    m->state = MOD_DONE;
}

/* ---- binding names ------------------------------------------------------------------ */

static bool decl_is_pub(const VxDecl *d)
{
    const VxNode *n = d->node;
    switch (d->kind) {
    case VX_D_FN: return n->u.fn.is_pub;
    case VX_D_STRUCT: return n->u.strukt.is_pub;
    case VX_D_ENUM: return n->u.enom.is_pub;
    case VX_D_TRAIT: return n->u.trait.is_pub;
    case VX_D_CONST: return n->u.konst.is_pub;
    case VX_D_ALIAS: return n->u.alias.is_pub;
    case VX_D_IMPL: return false;
    }
    return false;
}

/* m's own item `name` (pub or not), or NULL. */
static VxDecl *own_item(Module *m, const char *name)
{
    VxDecl *d = table_get(&m->names, name);
    return d && d->src == m->src ? d : NULL;
}

/* The closest `pub` item of m to `name`, for "did you mean". */
static const char *closest_member(Sema *s, Module *m, const char *name)
{
    const char *best = NULL;
    int best_d = (int)strlen(name) / 3 + 1;
    for (int i = 0; i < s->decls.len; i++) {
        VxDecl *d = s->decls.data[i];
        if (d->src != m->src || d->impl || d->kind == VX_D_IMPL || !decl_is_pub(d)) continue;
        int dist = edit_distance(name, d->name);
        if (dist < best_d) { best_d = dist; best = d->name; }
    }
    return best;
}

/* `name` is missing from m or private there: say which, and where it is. */
static void member_error(Sema *s, VxSpan at, Module *m, const char *shown, const char *name)
{
    VxDecl *d = own_item(m, name);
    if (d) {
        VxDiag *g = sema_error(s, at, "`%s` is private to module `%s`", name, m->name);
        vx_diag_primary(s->diags, g, "private item");
        VxPos p = vx_source_pos(d->src, d->node->span.start);
        vx_diag_note(s->diags, g, "`%s` is declared at %s:%d:%d without `pub`", name, d->src->path, p.line, p.col);
        vx_diag_help(s->diags, g, "mark it `pub` in %s to use it from other modules", d->src->path);
        return;
    }
    VxDiag *g = sema_error(s, at, "module `%s` has no item named `%s`", m->name, name);
    vx_diag_primary(s->diags, g, "not found in `%s`", m->name);
    const char *near = closest_member(s, m, name);
    if (near) vx_diag_help(s->diags, g, "did you mean `%s%s%s`?", shown ? shown : "", shown ? "." : "", near);
}

static void bind_alias(Sema *s, VxNode *n, Module *owner, Module *target, const char *alias)
{
    for (int i = 0; i < s->aliases.len; i++)
        if (s->aliases.data[i].owner == owner && s->aliases.data[i].alias == alias) {
            VxDiag *g = sema_error(s, n->span, "the module name `%s` is imported twice", alias);
            vx_diag_help(s->diags, g, "rename one of them: `import ... as other`");
            return;
        }
    ModAlias a = { owner, target, alias };
    vx_vec_push(&s->aliases, a);
    char buf[512];
    for (int i = 0; i < s->decls.len; i++) {
        VxDecl *d = s->decls.data[i];
        if (d->src != target->src || d->impl || d->kind == VX_D_IMPL || !decl_is_pub(d)) continue;
        snprintf(buf, sizeof buf, "%s.%s", alias, d->name);
        define_global(s, intern(s, buf), d, n);
    }
}

static void bind_names(Sema *s, VxNodeList names, Module *target)
{
    for (int i = 0; i < names.len; i++) {
        VxNode *nm = names.items[i];
        if (nm->kind != VX_N_IMPORT_NAME) continue;
        const char *name = intern(s, nm->u.import_name.name);
        VxDecl *d = own_item(target, name);
        if (!d || !decl_is_pub(d)) { member_error(s, nm->span, target, NULL, name); continue; }
        define_global(s, nm->u.import_name.alias ? intern(s, nm->u.import_name.alias) : name, d, nm);
    }
}

void import_module(Sema *s, VxNode *n)
{
    char dotted[512], tried[PATH_MAX + 64];
    join_path(n, 0, ".", dotted, sizeof dotted);
    char *key = NULL;
    Module *m = NULL;
    VxSource *src = find_module(s, n, &key, tried, sizeof tried);
    if (!src) {
        VxDiag *g = sema_error(s, n->span, "cannot find module `%s`", dotted);
        vx_diag_primary(s->diags, g, "no such module");
        vx_diag_note(s->diags, g, "%s", tried);
        vx_diag_help(s->diags, g, "`std.X` is lib/std/X.vx; `a.b` is a/b.vx next to the importing file");
        return;
    }
    m = cached(s, key);
    if (m) {
        free(key);
        free_source(src);
    } else {
        m = add_module(s, intern(s, dotted), key, src);
        m->import_site = n;
        m->import_src = s->src;
        load(s, m);
    }
    if (m->state == MOD_LOADING) {
        char cyc[1024];
        cycle_text(s, m, cyc, sizeof cyc);
        VxDiag *g = sema_error(s, n->span, "import cycle: %s", cyc);
        vx_diag_primary(s->diags, g, "`%s` is already being imported", m->name);
        vx_diag_help(s->diags, g, "move what both modules need into a third module that neither imports back");
        return;
    }
    if (m->state == MOD_BROKEN) return;               /* its parse errors are reported */
    Module *owner = module_of(s, s->src);
    if (!n->u.import.names.len || n->u.import.alias)
        bind_alias(s, n, owner, m, intern(s, n->u.import.alias ? n->u.import.alias : n->u.import.path[n->u.import.npath - 1]));
    bind_names(s, n->u.import.names, m);
}

/* ---- `alias.name` in expressions ------------------------------------------------------ */

static Module *alias_target(Sema *s, const char *alias)
{
    Module *owner = module_of(s, s->src);
    for (int i = 0; i < s->aliases.len; i++)
        if (s->aliases.data[i].owner == owner && s->aliases.data[i].alias == alias) return s->aliases.data[i].target;
    return NULL;
}

bool module_member(Sema *s, VxNode *base, const char *name, const char **qual)
{
    if (base->kind != VX_N_IDENT) return false;
    const char *alias = intern(s, base->u.ident.name);
    if (lookup_local(s, alias) || !alias_target(s, alias)) return false;
    char buf[512];
    snprintf(buf, sizeof buf, "%s.%s", alias, name);
    *qual = intern(s, buf);
    return true;
}

bool module_member_error(Sema *s, VxSpan at, const char *name)
{
    const char *dot = strchr(name, '.');
    if (!dot) return false;
    char alias[256];
    snprintf(alias, sizeof alias, "%.*s", (int)(dot - name), name);
    Module *m = alias_target(s, intern(s, alias));
    if (!m) return false;
    member_error(s, at, m, alias, intern(s, dot + 1));
    return true;
}
