/* sema_types.c - from type syntax (TY_* nodes) to types, and generic
 * instantiation. */
#include "sema_internal.h"

#include <string.h>

static const struct { const char *name; VxTypeKind kind; int sub; } scalar_names[] = {
    {"i8", VX_T_INT, VX_I8}, {"i16", VX_T_INT, VX_I16}, {"i32", VX_T_INT, VX_I32},
    {"i64", VX_T_INT, VX_I64}, {"i128", VX_T_INT, VX_I128}, {"isize", VX_T_INT, VX_ISIZE},
    {"u8", VX_T_INT, VX_U8}, {"u16", VX_T_INT, VX_U16}, {"u32", VX_T_INT, VX_U32},
    {"u64", VX_T_INT, VX_U64}, {"u128", VX_T_INT, VX_U128}, {"u256", VX_T_INT, VX_U256},
    {"usize", VX_T_INT, VX_USIZE}, {"f16", VX_T_FLOAT, VX_F16}, {"bf16", VX_T_FLOAT, VX_BF16},
    {"f32", VX_T_FLOAT, VX_F32}, {"f64", VX_T_FLOAT, VX_F64}, {"bool", VX_T_BOOL, 0},
    {"str", VX_T_STR, 0}, {"String", VX_T_STR, 0},
};

static VxType *scalar_type(Sema *s, const char *name)
{
    for (size_t i = 0; i < sizeof scalar_names / sizeof scalar_names[0]; i++) {
        if (strcmp(scalar_names[i].name, name) != 0) continue;
        switch (scalar_names[i].kind) {
        case VX_T_INT: return vx_t_int(s->types, (VxIntKind)scalar_names[i].sub);
        case VX_T_FLOAT: return vx_t_float(s->types, (VxFloatKind)scalar_names[i].sub);
        case VX_T_BOOL: return vx_t_bool(s->types);
        default: return vx_t_str(s->types);
        }
    }
    return NULL;
}

/* Generic parameters visible here: the declaration's own, then (for
 * methods) those of the impl or trait around it. */
static VxGeneric *find_generic(Sema *s, const char *name)
{
    for (VxDecl *g = s->generic_scope; g; g = g->kind == VX_D_FN ? g->impl : NULL)
        for (int i = 0; i < g->ngenerics; i++)
            if (g->generics[i].name == name) return &g->generics[i];
    return NULL;
}

static VxDim const_param_dim(VxGeneric *g)
{
    VxDim d = { VX_DIM_PARAM, g->type->u.param.index, g->name, g->type->u.param.owner };
    return d;
}

/* The type a path's first segment names when it is no declaration: a
 * scalar (`i64::zero()`), `Self`, or a type parameter (`T::zero()`). */
VxType *path_head_type(Sema *s, const char *name)
{
    VxType *t = scalar_type(s, name);
    if (t) return t;
    if (strcmp(name, "Self") == 0) return s->self_type;
    VxGeneric *g = find_generic(s, name);
    return g && !g->const_type ? g->type : NULL;
}

/* The type Name<P0, P1, ...> of a struct or enum over its own parameters. */
VxType *decl_type(Sema *s, VxDecl *d)
{
    VxType *args[64];
    int n = d->ngenerics < 64 ? d->ngenerics : 64;
    for (int i = 0; i < n; i++)
        args[i] = d->generics[i].const_type ? vx_t_nat(s->types, const_param_dim(&d->generics[i])) : d->generics[i].type;
    return vx_t_adt(s->types, d, args, n);
}

/* Replace d's generic parameters in t by fresh inference variables (dim
 * variables for `const` parameters). */
VxType *instantiate(Sema *s, VxDecl *d, VxType *t, VxType ***args_out)
{
    if (!d->ngenerics) { if (args_out) *args_out = NULL; return t; }
    VxType **args = vx_arena_alloc(&s->arena, sizeof(VxType *) * (size_t)d->ngenerics);
    for (int i = 0; i < d->ngenerics; i++)
        args[i] = d->generics[i].const_type ? vx_t_nat(s->types, vx_fresh_dim(s->types, d->generics[i].name))
                                            : vx_t_fresh(s->types, VX_LIT_NONE);
    if (args_out) *args_out = args;
    return vx_subst(s->types, t, d, args, d->ngenerics);
}

static VxType *unknown_type(Sema *s, VxNode *at, const char *name)
{
    if (module_member_error(s, at->span, name)) return vx_t_error(s->types);
    VxDiag *g = sema_error(s, at->span, "cannot find type `%s` in this scope", name);
    vx_diag_primary(s->diags, g, "not found");
    const char *near = closest_name(s, name, SEMA_TYPES);
    if (near) vx_diag_help(s->diags, g, "a type with a similar name exists: `%s`", near);
    else if (strcmp(name, "int") == 0 || strcmp(name, "float") == 0)
        vx_diag_help(s->diags, g, "Vortex numbers have sizes: use `%s`", name[0] == 'i' ? "i64" : "f64");
    return vx_t_error(s->types);
}

/* An argument for a `const` parameter: a number, a constant, a `const`
 * parameter in scope, or (any other name) a shape variable. */
static VxType *const_arg(Sema *s, VxNode *a)
{
    VxDim d = { VX_DIM_UNKNOWN, 0, NULL, NULL };
    if (a->kind == VX_N_INT) { d.tag = VX_DIM_CONST; d.value = (int64_t)a->u.int_lit.value.limb[0]; }
    else if (a->kind == VX_N_TY_PATH && a->u.path.segs.len == 1 && !a->u.path.segs.items[0]->u.seg.args.len) {
        const char *name = intern(s, a->u.path.segs.items[0]->u.seg.name);
        VxGeneric *g = find_generic(s, name);
        VxDecl *c = lookup_global(s, name);
        if (g && g->const_type) d = const_param_dim(g);
        else if (c && c->kind == VX_D_CONST && c->node->u.konst.value && c->node->u.konst.value->kind == VX_N_INT) {
            d.tag = VX_DIM_CONST;
            d.value = (int64_t)c->node->u.konst.value->u.int_lit.value.limb[0];
        } else if (!g && !c) { d.tag = VX_DIM_SYM; d.name = name; }
        else { sema_error(s, a->span, "`%s` is not a number or a constant", name); return vx_t_error(s->types); }
    } else if (a->kind == VX_N_TY_INFER) {
        d = vx_fresh_dim(s->types, "_");
    } else {
        VxDiag *g = sema_error(s, a->span, "expected a size here (a number, a constant or a shape name)");
        vx_diag_note(s->diags, g, "this generic parameter is declared `const`");
        return vx_t_error(s->types);
    }
    return vx_t_nat(s->types, d);
}

static VxType *generic_args_type(Sema *s, VxNode *seg, VxDecl *d, bool allow_infer)
{
    int n = seg->u.seg.args.len;
    if (n != d->ngenerics) {
        if (n == 0 && allow_infer) return instantiate(s, d, decl_type(s, d), NULL);
        VxDiag *g = sema_error(s, seg->span, "`%s` takes %d generic argument%s but %d %s given", d->name,
                               d->ngenerics, d->ngenerics == 1 ? "" : "s", n, n == 1 ? "was" : "were");
        vx_diag_primary(s->diags, g, "expected %d", d->ngenerics);
        return vx_t_error(s->types);
    }
    VxType *args[64];
    if (n > 64) return vx_t_error(s->types);
    for (int i = 0; i < n; i++)
        args[i] = d->generics[i].const_type ? const_arg(s, seg->u.seg.args.items[i])
                                            : resolve_type(s, seg->u.seg.args.items[i], allow_infer);
    if (d->kind == VX_D_ALIAS) return vx_subst(s->types, d->type, d, args, n);
    check_bounds(s, d, args, seg->span);
    return vx_t_adt(s->types, d, args, n);
}

static void resolve_alias(Sema *s, VxDecl *d);

static VxType *path_type(Sema *s, VxNode *ty, bool allow_infer)
{
    if (ty->u.path.segs.len != 1) {
        sema_error(s, ty->span, "paths in types are not supported yet; name the type directly");
        return vx_t_error(s->types);
    }
    VxNode *seg = ty->u.path.segs.items[0];
    const char *name = intern(s, seg->u.seg.name);
    int nargs = seg->u.seg.args.len;
    VxType *t = scalar_type(s, name);
    if (t || strcmp(name, "Self") == 0 || find_generic(s, name)) {
        if (nargs) { sema_error(s, seg->span, "`%s` takes no generic arguments", name); return vx_t_error(s->types); }
        if (t) return t;
        if (name[0] == 'S' && strcmp(name, "Self") == 0) {
            if (s->self_type) return s->self_type;
            sema_error(s, seg->span, "`Self` is only available inside traits and impls");
            return vx_t_error(s->types);
        }
        return find_generic(s, name)->type;
    }
    if (strcmp(name, "HashMap") == 0) {
        if (nargs != 2) {
            if (nargs == 0 && allow_infer)
                return vx_t_map(s->types, vx_t_fresh(s->types, VX_LIT_NONE), vx_t_fresh(s->types, VX_LIT_NONE));
            sema_error(s, seg->span, "`HashMap` takes 2 generic arguments (key and value types)");
            return vx_t_error(s->types);
        }
        return vx_t_map(s->types, resolve_type(s, seg->u.seg.args.items[0], allow_infer),
                        resolve_type(s, seg->u.seg.args.items[1], allow_infer));
    }
    VxDecl *d = lookup_global(s, name);
    if (!d) return unknown_type(s, seg, name);
    if (d->kind == VX_D_ALIAS) resolve_alias(s, d);
    if (d->kind == VX_D_STRUCT || d->kind == VX_D_ENUM || d->kind == VX_D_ALIAS)
        return generic_args_type(s, seg, d, allow_infer);
    VxDiag *g = sema_error(s, seg->span, "`%s` is a %s, not a type", name,
                           d->kind == VX_D_TRAIT ? "trait" : d->kind == VX_D_FN ? "function" : "value");
    if (d->kind == VX_D_TRAIT) vx_diag_help(s->diags, g, "use a generic parameter bounded by it: `<T: %s>`", name);
    return vx_t_error(s->types);
}

static bool is_dtype(VxType *t)
{
    return t->kind == VX_T_INT || t->kind == VX_T_FLOAT || t->kind == VX_T_BOOL || t->kind == VX_T_ERROR ||
           t->kind == VX_T_PARAM;       /* `impl<T> Tensor<T>`: any element type */
}

static VxType *tensor_type(Sema *s, VxNode *ty, bool allow_infer)
{
    VxType *dtype = resolve_type(s, ty->u.ty_tensor.dtype, allow_infer);
    if (!is_dtype(vx_resolve(s->types, dtype)) && vx_resolve(s->types, dtype)->kind != VX_T_VAR) {
        VxDiag *g = sema_error(s, ty->u.ty_tensor.dtype->span, "tensor elements must be numbers or bool, not `%s`",
                               tname(s, dtype));
        vx_diag_help(s->diags, g, "use a dtype such as f32, f64, bf16, f16, i32, i64, u8 or bool");
        return vx_t_error(s->types);
    }
    int rank = ty->u.ty_tensor.dims.len;
    VxDim dims[64];
    if (rank > 64) { sema_error(s, ty->span, "tensors may have at most 64 dimensions"); return vx_t_error(s->types); }
    for (int i = 0; i < rank; i++) {
        VxNode *d = ty->u.ty_tensor.dims.items[i];
        if (d->kind != VX_N_DIM) return vx_t_error(s->types);
        dims[i].tag = d->u.dim.kind == VX_DIM_INT ? VX_DIM_CONST : d->u.dim.kind == VX_DIM_NAME ? VX_DIM_SYM : VX_DIM_UNKNOWN;
        dims[i].value = d->u.dim.value;
        dims[i].name = d->u.dim.kind == VX_DIM_NAME ? intern(s, d->u.dim.name) : NULL;
        dims[i].owner = NULL;                        /* hashed with the type */
        /* a `const N: usize` parameter in scope: the dim is that parameter */
        VxGeneric *cg = dims[i].name ? find_generic(s, dims[i].name) : NULL;
        if (cg && cg->const_type) dims[i] = const_param_dim(cg);
        /* a constant's name stands for its value: `const D: i64 = 64` then `[B, D]` */
        VxDecl *c = dims[i].tag == VX_DIM_SYM ? lookup_global(s, dims[i].name) : NULL;
        if (c && c->kind == VX_D_CONST && c->node->u.konst.value && c->node->u.konst.value->kind == VX_N_INT) {
            dims[i].tag = VX_DIM_CONST;
            dims[i].value = (int64_t)c->node->u.konst.value->u.int_lit.value.limb[0];
            dims[i].name = NULL;
        }
    }
    return vx_t_tensor(s->types, dtype, dims, rank, ty->u.ty_tensor.has_shape);
}

/* An array length: an integer literal or a constant's value. */
static int64_t array_len(Sema *s, VxNode *e)
{
    if (e->kind == VX_N_INT) return (int64_t)e->u.int_lit.value.limb[0];
    if (e->kind == VX_N_IDENT) {
        VxDecl *d = lookup_global(s, intern(s, e->u.ident.name));
        if (d && d->kind == VX_D_CONST && d->node->u.konst.value && d->node->u.konst.value->kind == VX_N_INT)
            return (int64_t)d->node->u.konst.value->u.int_lit.value.limb[0];
    }
    sema_error(s, e->span, "array lengths must be integer literals or integer constants");
    return -1;
}

VxType *resolve_type(Sema *s, VxNode *ty, bool allow_infer)
{
    VxTypes *T = s->types;
    switch (ty->kind) {
    case VX_N_TY_PATH: return path_type(s, ty, allow_infer);
    case VX_N_TY_SLICE: return vx_t_slice(T, resolve_type(s, ty->u.ty_array.elem, allow_infer));
    case VX_N_TY_ARRAY: {
        VxType *elem = resolve_type(s, ty->u.ty_array.elem, allow_infer);
        VxNode *len = ty->u.ty_array.len;
        if (len->kind == VX_N_IDENT) {                 /* `[T; N]` with a const generic N */
            VxGeneric *g = find_generic(s, intern(s, len->u.ident.name));
            if (g && g->const_type) return vx_t_array_dim(T, elem, const_param_dim(g));
        }
        int64_t n = array_len(s, len);
        return n < 0 ? vx_t_error(T) : vx_t_array(T, elem, n);
    }
    case VX_N_TY_TUPLE: {
        int n = ty->u.list.elems.len;
        VxType *elems[64];
        if (n > 64) { sema_error(s, ty->span, "tuples may have at most 64 elements"); return vx_t_error(T); }
        for (int i = 0; i < n; i++) elems[i] = resolve_type(s, ty->u.list.elems.items[i], allow_infer);
        return vx_t_tuple(T, elems, n);
    }
    case VX_N_TY_REF: return vx_t_ref(T, resolve_type(s, ty->u.ty_ref.inner, allow_infer), ty->u.ty_ref.mut);
    case VX_N_TY_FN: {
        int n = ty->u.ty_fn.params.len;
        VxType *ps[64];
        if (n > 64) { sema_error(s, ty->span, "function types may have at most 64 parameters"); return vx_t_error(T); }
        for (int i = 0; i < n; i++) ps[i] = resolve_type(s, ty->u.ty_fn.params.items[i], allow_infer);
        VxType *ret = ty->u.ty_fn.ret ? resolve_type(s, ty->u.ty_fn.ret, allow_infer) : vx_t_unit(T);
        return vx_t_fn(T, ps, n, ret);
    }
    case VX_N_TY_TENSOR: return tensor_type(s, ty, allow_infer);
    case VX_N_TY_INFER:
        if (allow_infer) return vx_t_fresh(T, VX_LIT_NONE);
        sema_error(s, ty->span, "`_` is not allowed in signatures; write the type");
        return vx_t_error(T);
    default:
        return vx_t_error(T);
    }
}

VxDecl *resolve_trait(Sema *s, VxNode *ty)
{
    if (ty->kind != VX_N_TY_PATH || ty->u.path.segs.len != 1) {
        sema_error(s, ty->span, "expected a trait name");
        return NULL;
    }
    const char *name = intern(s, ty->u.path.segs.items[0]->u.seg.name);
    VxDecl *d = lookup_global(s, name);
    if (d && d->kind == VX_D_TRAIT) return d;
    if (!d && module_member_error(s, ty->span, name)) return NULL;
    VxDiag *g = sema_error(s, ty->span, d ? "`%s` is not a trait" : "cannot find trait `%s` in this scope", name);
    const char *near = d ? NULL : closest_name(s, name, 1u << VX_D_TRAIT);
    if (near) vx_diag_help(s->diags, g, "did you mean `%s`?", near);
    return NULL;
}

static void resolve_alias(Sema *s, VxDecl *d)
{
    if (d->type) return;
    if (d->checking) {
        sema_error(s, d->node->span, "type alias `%s` refers to itself", d->name);
        d->type = vx_t_error(s->types);
        return;
    }
    d->checking = true;
    VxDecl *saved = s->generic_scope;
    const VxSource *saved_src = s->src;
    s->generic_scope = d;
    s->src = d->src;
    d->type = resolve_type(s, d->node->u.alias.type, false);
    s->generic_scope = saved;
    s->src = saved_src;
    d->checking = false;
}
