/* sema_collect.c - pass 1: every item becomes a declaration, then every
 * signature (fields, variants, parameters, bounds) is resolved to types.
 * Bodies are left for pass 2, so items may be used before they appear. */
#include "sema_internal.h"

#include <string.h>

static VxDecl *new_decl(Sema *s, VxDeclKind k, const char *name, VxNode *node)
{
    VxDecl *d = VX_NEW(&s->arena, VxDecl);
    d->kind = k;
    d->name = name ? intern(s, name) : "";
    d->node = node;
    d->src = s->src;
    if (node && node->attrs)
        for (int i = 0; i < node->attrs->len; i++)
            if (strcmp(node->attrs->items[i]->u.attr.name, "builtin") == 0) d->builtin = true;
    vx_vec_push(&s->decls, d);
    return d;
}

static void make_generics(Sema *s, VxDecl *d, VxNodeList gs)
{
    d->ngenerics = gs.len;
    d->generics = vx_arena_alloc(&s->arena, sizeof(VxGeneric) * (size_t)(gs.len ? gs.len : 1));
    for (int i = 0; i < gs.len; i++) {
        VxGeneric *g = &d->generics[i];
        g->name = intern(s, gs.items[i]->u.generic.name);
        g->type = vx_t_param(s->types, g->name, i, d);
        for (int j = 0; j < i; j++)
            if (d->generics[j].name == g->name)
                sema_error(s, gs.items[i]->span, "generic parameter `%s` is declared twice", g->name);
    }
}

static VxDecl *collect_fn(Sema *s, VxNode *n, VxDecl *owner)
{
    VxDecl *d = new_decl(s, VX_D_FN, n->u.fn.name, n);
    d->impl = owner;
    make_generics(s, d, n->u.fn.generics);
    return d;
}

static void collect_methods(Sema *s, VxDecl *owner, VxNodeList items)
{
    owner->methods = vx_arena_alloc(&s->arena, sizeof(VxDecl *) * (size_t)(items.len ? items.len : 1));
    for (int i = 0; i < items.len; i++) {
        VxNode *it = items.items[i];
        if (it->kind != VX_N_FN) {
            if (it->kind != VX_N_ERROR)
                sema_error(s, it->span, "only methods are supported in %s bodies for now",
                           owner->kind == VX_D_TRAIT ? "trait" : "impl");
            continue;
        }
        VxDecl *m = collect_fn(s, it, owner);
        for (int j = 0; j < owner->nmethods; j++)
            if (owner->methods[j]->name == m->name) {
                VxDiag *g = sema_error(s, it->span, "method `%s` is defined more than once", m->name);
                vx_diag_label(s->diags, g, owner->methods[j]->node->span, "first defined here");
            }
        owner->methods[owner->nmethods++] = m;
    }
}

static void collect_item(Sema *s, VxNode *n)
{
    VxDecl *d = NULL;
    switch (n->kind) {
    case VX_N_FN:
        d = collect_fn(s, n, NULL);
        break;
    case VX_N_STRUCT:
        d = new_decl(s, VX_D_STRUCT, n->u.strukt.name, n);
        make_generics(s, d, n->u.strukt.generics);
        break;
    case VX_N_ENUM:
        d = new_decl(s, VX_D_ENUM, n->u.enom.name, n);
        make_generics(s, d, n->u.enom.generics);
        break;
    case VX_N_TRAIT:
        d = new_decl(s, VX_D_TRAIT, n->u.trait.name, n);
        make_generics(s, d, n->u.trait.generics);
        d->self_type = vx_t_param(s->types, intern(s, "Self"), d->ngenerics, d);   /* after the trait's own */
        collect_methods(s, d, n->u.trait.items);
        break;
    case VX_N_CONST:
        d = new_decl(s, VX_D_CONST, n->u.konst.name, n);
        break;
    case VX_N_TYPE_ALIAS:
        d = new_decl(s, VX_D_ALIAS, n->u.alias.name, n);
        make_generics(s, d, n->u.alias.generics);
        break;
    case VX_N_IMPL: {
        VxDecl *impl = new_decl(s, VX_D_IMPL, NULL, n);
        make_generics(s, impl, n->u.impl.generics);
        collect_methods(s, impl, n->u.impl.items);
        vx_vec_push(&s->impls, impl);
        return;
    }
    case VX_N_IMPORT:
        import_module(s, n);
        return;
    default:
        return;
    }
    define_global(s, d->name, d, n);
}

static void define_variants(Sema *s)
{
    (void)s;
}

void collect_items(Sema *s, VxNodeList items)
{
    for (int i = 0; i < items.len; i++) collect_item(s, items.items[i]);
    define_variants(s);
}

/* ---- resolving signatures ------------------------------------------------------ */

static void add_bound(Sema *s, VxGeneric *g, VxDecl *trait)
{
    VxDecl **b = vx_arena_alloc(&s->arena, sizeof(VxDecl *) * (size_t)(g->nbounds + 1));
    if (g->nbounds) memcpy(b, g->bounds, sizeof(VxDecl *) * (size_t)g->nbounds);
    b[g->nbounds++] = trait;
    g->bounds = b;
}

static void resolve_generics(Sema *s, VxDecl *d, VxNodeList gs, VxNodeList where)
{
    for (int i = 0; i < gs.len && i < d->ngenerics; i++) {
        VxNode *gn = gs.items[i];
        if (gn->u.generic.const_type) {
            d->generics[i].const_type = resolve_type(s, gn->u.generic.const_type, false);
            continue;
        }
        for (int j = 0; j < gn->u.generic.bounds.len; j++) {
            VxDecl *t = resolve_trait(s, gn->u.generic.bounds.items[j]);
            if (t) add_bound(s, &d->generics[i], t);
        }
    }
    for (int i = 0; i < where.len; i++) {
        VxNode *w = where.items[i];
        VxType *t = resolve_type(s, w->u.where.type, false);
        VxGeneric *g = NULL;
        for (int j = 0; j < d->ngenerics; j++) if (d->generics[j].type == t) g = &d->generics[j];
        if (!g && d->impl && d->impl->kind == VX_D_IMPL) {
            /* a bound on the impl's parameter that only this method needs */
            bool is_impl_param = false;
            for (int j = 0; j < d->impl->ngenerics; j++) is_impl_param |= d->impl->generics[j].type == t;
            if (is_impl_param) {
                for (int j = 0; j < w->u.where.bounds.len; j++) {
                    VxDecl *tr = resolve_trait(s, w->u.where.bounds.items[j]);
                    if (!tr) continue;
                    int n = d->nwhere;
                    VxType **ts = vx_arena_alloc(&s->arena, sizeof(VxType *) * (size_t)(n + 1));
                    VxDecl **trs = vx_arena_alloc(&s->arena, sizeof(VxDecl *) * (size_t)(n + 1));
                    if (n) { memcpy(ts, d->where_types, sizeof(VxType *) * (size_t)n); memcpy(trs, d->where_traits, sizeof(VxDecl *) * (size_t)n); }
                    ts[n] = t;
                    trs[n] = tr;
                    d->where_types = ts;
                    d->where_traits = trs;
                    d->nwhere = n + 1;
                }
                continue;
            }
        }
        if (!g) {
            if (!is_error(s, t)) sema_error(s, w->u.where.type->span, "`where` bounds must name a generic parameter");
            continue;
        }
        for (int j = 0; j < w->u.where.bounds.len; j++) {
            VxDecl *tr = resolve_trait(s, w->u.where.bounds.items[j]);
            if (tr) add_bound(s, g, tr);
        }
    }
}

static VxField *resolve_fields(Sema *s, VxNodeList fs, int *n)
{
    VxField *out = vx_arena_alloc(&s->arena, sizeof(VxField) * (size_t)(fs.len ? fs.len : 1));
    *n = 0;
    for (int i = 0; i < fs.len; i++) {
        VxNode *f = fs.items[i];
        if (f->kind != VX_N_FIELD || !f->u.field.type) continue;
        const char *name = intern(s, f->u.field.name);
        for (int j = 0; j < *n; j++)
            if (out[j].name == name) {
                VxDiag *g = sema_error(s, f->span, "field `%s` is declared twice", name);
                vx_diag_label(s->diags, g, out[j].node->span, "first declared here");
            }
        out[*n].name = name;
        out[*n].node = f;
        out[*n].type = resolve_type(s, f->u.field.type, false);
        (*n)++;
        if (f->u.field.value) {                    /* a default value: a literal of the field's type */
            VxNode *v = f->u.field.value;
            bool lit = v->kind == VX_N_INT || v->kind == VX_N_FLOAT || v->kind == VX_N_STRING || v->kind == VX_N_BOOL ||
                       v->kind == VX_N_IDENT || (v->kind == VX_N_UNARY && v->u.unary.op == TK_MINUS);
            if (!lit) sema_error(s, v->span, "field defaults must be literals or constants");
        }
    }
    return out;
}

static void resolve_enum(Sema *s, VxDecl *d)
{
    VxNodeList vs = d->node->u.enom.variants;
    d->variants = vx_arena_alloc(&s->arena, sizeof(VxVariant) * (size_t)(vs.len ? vs.len : 1));
    for (int i = 0; i < vs.len; i++) {
        VxNode *v = vs.items[i];
        if (v->kind != VX_N_VARIANT) continue;
        VxVariant *out = &d->variants[d->nvariants];
        out->name = intern(s, v->u.variant.name);
        out->index = d->nvariants;
        out->shape = v->u.variant.shape;
        out->node = v;
        for (int j = 0; j < d->nvariants; j++)
            if (d->variants[j].name == out->name) {
                VxDiag *g = sema_error(s, v->span, "variant `%s` is declared twice", out->name);
                vx_diag_label(s->diags, g, d->variants[j].node->span, "first declared here");
            }
        if (out->shape == VX_VARIANT_TUPLE) {
            out->n = v->u.variant.types.len;
            out->payload = vx_arena_alloc(&s->arena, sizeof(VxType *) * (size_t)(out->n ? out->n : 1));
            for (int j = 0; j < out->n; j++) out->payload[j] = resolve_type(s, v->u.variant.types.items[j], false);
        } else if (out->shape == VX_VARIANT_STRUCT) {
            out->fields = resolve_fields(s, v->u.variant.fields, &out->n);
        }
        d->nvariants++;
    }
}

/* Parameters and return type; methods also get their receiver. */
static void resolve_fn(Sema *s, VxDecl *d)
{
    VxNode *n = d->node;
    VxNodeList ps = n->u.fn.params;
    d->nparams = ps.len;
    d->param_names = vx_arena_alloc(&s->arena, sizeof(char *) * (size_t)(ps.len ? ps.len : 1));
    d->defaults = vx_arena_alloc(&s->arena, sizeof(VxNode *) * (size_t)(ps.len ? ps.len : 1));
    VxType **types = vx_arena_alloc(&s->arena, sizeof(VxType *) * (size_t)(ps.len ? ps.len : 1));
    for (int i = 0; i < ps.len; i++) {
        VxNode *p = ps.items[i];
        d->param_names[i] = intern(s, p->u.param.name ? p->u.param.name : "_");
        d->defaults[i] = p->u.param.value;
        if (p->u.param.self) {
            if (i != 0 || !d->impl) {
                sema_error(s, p->span, d->impl ? "`self` must be the first parameter"
                                               : "`self` is only allowed in methods of traits and impls");
                types[i] = vx_t_error(s->types);
                continue;
            }
            d->self = p->u.param.self;
            VxType *st = s->self_type ? s->self_type : vx_t_error(s->types);
            types[i] = d->self == VX_SELF_VALUE ? st : vx_t_ref(s->types, st, d->self == VX_SELF_REF_MUT);
            continue;
        }
        types[i] = p->u.param.type ? resolve_type(s, p->u.param.type, false) : vx_t_error(s->types);
        for (int j = 0; j < i; j++)
            if (d->param_names[j] == d->param_names[i])
                sema_error(s, p->span, "parameter `%s` is declared twice", d->param_names[i]);
    }
    VxType *ret = n->u.fn.ret ? resolve_type(s, n->u.fn.ret, false) : vx_t_unit(s->types);
    d->sig = vx_t_fn(s->types, types, ps.len, ret);
    if (!n->u.fn.body && !d->builtin && !(d->impl && d->impl->kind == VX_D_TRAIT)) {
        VxDiag *g = sema_error(s, n->span, "function `%s` has no body", d->name);
        vx_diag_help(s->diags, g, "add a body: `{ ... }`");
    }
}

/* `impl Trait<A, B> for T`: the trait's parameters in order; those left
 * out default to Self (so `impl Add for V` is `impl Add<V, V> for V`). */
static void resolve_trait_args(Sema *s, VxDecl *impl)
{
    VxDecl *tr = impl->trait;
    VxNode *seg = impl->node->u.impl.trait->u.path.segs.items[0];
    VxNodeList given = seg->u.seg.args;
    if (given.len > tr->ngenerics) {
        VxDiag *g = sema_error(s, seg->span, "trait `%s` takes %d type argument%s, found %d", tr->name, tr->ngenerics,
                               tr->ngenerics == 1 ? "" : "s", given.len);
        vx_diag_primary(s->diags, g, "too many type arguments");
    }
    impl->trait_args = vx_arena_alloc(&s->arena, sizeof(VxType *) * (size_t)(tr->ngenerics + 1));
    for (int i = 0; i < tr->ngenerics; i++)
        impl->trait_args[i] = i < given.len ? resolve_type(s, given.items[i], false) : impl->self_type;
}

static void resolve_impl(Sema *s, VxDecl *impl)
{
    VxNode *n = impl->node;
    resolve_generics(s, impl, n->u.impl.generics, n->u.impl.where);   /* first: `const N` shapes the self type */
    impl->self_type = resolve_type(s, n->u.impl.self_type, false);
    if (n->u.impl.trait) impl->trait = resolve_trait(s, n->u.impl.trait);
    if (impl->trait) resolve_trait_args(s, impl);
}

static void with_scope(Sema *s, VxDecl *scope, VxType *self, void (*f)(Sema *, VxDecl *), VxDecl *d)
{
    VxDecl *saved = s->generic_scope;
    VxType *saved_self = s->self_type;
    const VxSource *saved_src = s->src;
    s->generic_scope = scope;
    s->self_type = self;
    s->src = d->src;
    f(s, d);
    s->generic_scope = saved;
    s->self_type = saved_self;
    s->src = saved_src;
}

static void resolve_one(Sema *s, VxDecl *d)
{
    VxNode *n = d->node;
    switch (d->kind) {
    case VX_D_STRUCT:
        resolve_generics(s, d, n->u.strukt.generics, n->u.strukt.where);
        d->fields = resolve_fields(s, n->u.strukt.fields, &d->nfields);
        break;
    case VX_D_ENUM:
        resolve_generics(s, d, n->u.enom.generics, n->u.enom.where);
        resolve_enum(s, d);
        break;
    case VX_D_FN:
        resolve_generics(s, d, n->u.fn.generics, n->u.fn.where);
        resolve_fn(s, d);
        break;
    case VX_D_CONST:
        if (n->u.konst.type) d->type = resolve_type(s, n->u.konst.type, false);
        break;
    case VX_D_ALIAS:
        if (!d->type) d->type = resolve_type(s, n->u.alias.type, false);
        break;
    case VX_D_TRAIT:
        resolve_generics(s, d, n->u.trait.generics, (VxNodeList){0});
        d->supers = vx_arena_alloc(&s->arena, sizeof(VxDecl *) * (size_t)(n->u.trait.bounds.len + 1));
        for (int i = 0; i < n->u.trait.bounds.len; i++) {
            VxDecl *sup = resolve_trait(s, n->u.trait.bounds.items[i]);
            if (sup) d->supers[d->nsupers++] = sup;
        }
        break;
    case VX_D_IMPL:
        resolve_impl(s, d);
        break;
    }
}

void resolve_decls(Sema *s)
{
    /* Types and traits first, so that method signatures see complete impls. */
    for (int i = 0; i < s->decls.len; i++) {
        VxDecl *d = s->decls.data[i];
        if (d->kind == VX_D_FN) continue;
        VxType *self = d->kind == VX_D_TRAIT ? d->self_type : NULL;
        with_scope(s, d, self, resolve_one, d);
    }
    for (int i = 0; i < s->decls.len; i++) {
        VxDecl *d = s->decls.data[i];
        if (d->kind != VX_D_FN) continue;
        VxType *self = d->impl ? d->impl->self_type : NULL;
        with_scope(s, d, self, resolve_one, d);
    }
}

/* ---- impls of traits: every required method, with the trait's signature ---- */

static VxDecl *find_named(VxDecl *owner, const char *name)
{
    for (int i = 0; i < owner->nmethods; i++) if (owner->methods[i]->name == name) return owner->methods[i];
    return NULL;
}

/* The trait method's signature with Self (and the trait's own parameters,
 * by position) replaced for this impl. */
static VxType *expected_sig(Sema *s, VxDecl *impl, VxDecl *tm)
{
    VxDecl *tr = impl->trait;
    VxType *args[65];
    int n = tr->ngenerics < 64 ? tr->ngenerics : 64;
    for (int i = 0; i < n; i++) args[i] = impl->trait_args ? impl->trait_args[i] : vx_t_error(s->types);
    args[n] = impl->self_type;
    return vx_subst(s->types, tm->sig, tr, args, n + 1);
}

static void check_impl_conforms(Sema *s, VxDecl *impl)
{
    VxDecl *tr = impl->trait;
    for (int i = 0; i < impl->nmethods; i++) {
        VxDecl *m = impl->methods[i];
        VxDecl *tm = find_named(tr, m->name);
        if (!tm) {
            VxDiag *g = sema_error(s, m->node->span, "method `%s` is not a member of trait `%s`", m->name, tr->name);
            vx_diag_help(s->diags, g, "move it to an inherent `impl %s { ... }`, or add it to the trait", tname(s, impl->self_type));
            continue;
        }
        m->trait_method = tm;
        if (!tm->sig || !m->sig) continue;
        VxType *want = expected_sig(s, impl, tm);
        if (m->sig->u.fn.n != want->u.fn.n || !try_unify(s, want, m->sig)) {
            VxDiag *g = sema_error(s, m->node->span, "method `%s` has the wrong signature for trait `%s`", m->name, tr->name);
            vx_diag_primary(s->diags, g, "found `%s`", tname(s, m->sig));
            vx_diag_note(s->diags, g, "the trait expects `%s`", tname(s, want));
        } else if (tm->self != m->self) {
            VxDiag *g = sema_error(s, m->node->span, "method `%s` takes `self` differently than trait `%s` declares", m->name, tr->name);
            vx_diag_label(s->diags, g, tm->node->span, "declared here");
        }
    }
    for (int i = 0; i < tr->nmethods; i++) {
        VxDecl *tm = tr->methods[i];
        if (tm->node->u.fn.body || tm->builtin || find_named(impl, tm->name)) continue;
        VxDiag *g = sema_error(s, impl->node->span, "missing method `%s` in the impl of `%s` for `%s`", tm->name, tr->name,
                               tname(s, impl->self_type));
        vx_diag_primary(s->diags, g, "`%s` is required", tm->name);
        if (tm->src == s->src) vx_diag_label(s->diags, g, tm->node->span, "declared in the trait here");
    }
}

void check_impls(Sema *s)
{
    for (int i = 0; i < s->impls.len; i++) {
        VxDecl *impl = s->impls.data[i];
        if (!impl->trait || !impl->self_type) continue;
        s->src = impl->src;
        check_impl_conforms(s, impl);
        for (int k = 0; k < impl->trait->nsupers; k++) {
            VxDecl *sup = impl->trait->supers[k];
            s->generic_scope = impl;
            if (implements(s, impl->self_type, sup)) continue;
            VxDiag *g = sema_error(s, impl->node->span, "`%s` must implement `%s` to implement `%s`",
                                   tname(s, impl->self_type), sup->name, impl->trait->name);
            vx_diag_help(s->diags, g, "add `impl %s for %s { ... }`", sup->name, tname(s, impl->self_type));
        }
        s->generic_scope = NULL;
    }
}
