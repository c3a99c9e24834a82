/* types.c - hash-consed types, inference variables and substitution. */
#include "types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/vec.h"

struct VxTypes {
    VxArena arena;
    VxType **slots;                   /* open-addressing table of canonical types */
    uint32_t cap, count;
    uint32_t next_id;
    VX_VEC(VxType *) bindings;        /* var number -> bound type or NULL */
    VX_VEC(uint32_t) trail;           /* vars bound, in order, for rollback (dim vars have the top bit) */
    VX_VEC(VxDim) dim_bindings;       /* dim var number -> its value; tag UNKNOWN+name NULL = unbound */
    VX_VEC(bool) dim_bound;
    const char **names;               /* interned strings (open addressing) */
    uint32_t ncap, ncount;
    VxType *error, *unit, *never, *boolean, *str;
    VxType *ints[VX_INT_KINDS], *floats[VX_FLOAT_KINDS];
};

static const char *const int_names[VX_INT_KINDS] = {
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "u256", "usize" };
static const int int_bits[VX_INT_KINDS] = { 8, 16, 32, 64, 128, 64, 8, 16, 32, 64, 128, 256, 64 };
static const char *const float_names[VX_FLOAT_KINDS] = { "f16", "bf16", "f32", "f64" };

const char *vx_int_name(VxIntKind k) { return int_names[k]; }
const char *vx_float_name(VxFloatKind k) { return float_names[k]; }
int vx_int_bits(VxIntKind k) { return int_bits[k]; }
bool vx_int_signed(VxIntKind k) { return k <= VX_ISIZE; }

/* ---- interning ------------------------------------------------------------ */

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;                     /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void names_grow(VxTypes *t)
{
    uint32_t old = t->ncap;
    const char **olds = t->names;
    t->ncap = old ? old * 2 : 256;
    t->names = calloc(t->ncap, sizeof(char *));
    if (!t->names) vx_xmalloc((size_t)-1);
    for (uint32_t i = 0; i < old; i++) {
        if (!olds[i]) continue;
        uint32_t h = hash_bytes(olds[i], strlen(olds[i])) & (t->ncap - 1);
        while (t->names[h]) h = (h + 1) & (t->ncap - 1);
        t->names[h] = olds[i];
    }
    free(olds);
}

const char *vx_intern(VxTypes *t, const char *s, size_t n)
{
    if (t->ncount * 2 >= t->ncap) names_grow(t);
    uint32_t h = hash_bytes(s, n) & (t->ncap - 1);
    for (; t->names[h]; h = (h + 1) & (t->ncap - 1))
        if (strncmp(t->names[h], s, n) == 0 && t->names[h][n] == '\0') return t->names[h];
    t->names[h] = vx_arena_strndup(&t->arena, s, n);
    t->ncount++;
    return t->names[h];
}

/* ---- hash-consing ----------------------------------------------------------- */

static uint32_t mix(uint32_t h, uint64_t v) { return (h ^ (uint32_t)v ^ (uint32_t)(v >> 32)) * 16777619u; }

static uint32_t type_hash(const VxType *ty)
{
    uint32_t h = mix(2166136261u, ty->kind);
    switch (ty->kind) {
    case VX_T_INT: return mix(h, ty->u.ik);
    case VX_T_FLOAT: return mix(h, ty->u.fk);
    case VX_T_TUPLE: case VX_T_MAP:
        for (int i = 0; i < ty->u.tuple.n; i++) h = mix(h, ty->u.tuple.elems[i]->id);
        return mix(h, (uint64_t)ty->u.tuple.n);
    case VX_T_ARRAY: case VX_T_SLICE: case VX_T_REF:
        return mix(mix(mix(mix(h, ty->u.arr.elem->id), (uint64_t)ty->u.arr.len), ty->u.arr.mut),
                   (uint64_t)(uintptr_t)ty->u.arr.len_name + ty->u.arr.len_tag + (uint64_t)(uintptr_t)ty->u.arr.len_owner);
    case VX_T_NAT:
        return mix(mix(mix(h, ty->u.nat.tag), (uint64_t)ty->u.nat.value), (uint64_t)(uintptr_t)ty->u.nat.name);
    case VX_T_FN:
        for (int i = 0; i < ty->u.fn.n; i++) h = mix(h, ty->u.fn.params[i]->id);
        return mix(mix(h, ty->u.fn.ret->id), (uint64_t)ty->u.fn.n);
    case VX_T_ADT:
        h = mix(h, (uint64_t)(uintptr_t)ty->u.adt.decl);
        for (int i = 0; i < ty->u.adt.n; i++) h = mix(h, ty->u.adt.args[i]->id);
        return h;
    case VX_T_PARAM: return mix(mix(h, (uint64_t)(uintptr_t)ty->u.param.owner), (uint64_t)ty->u.param.index);
    case VX_T_TENSOR:
        h = mix(mix(h, ty->u.tensor.dtype->id), (uint64_t)ty->u.tensor.rank * 2 + ty->u.tensor.ranked);
        for (int i = 0; i < ty->u.tensor.rank; i++) {
            const VxDim *d = &ty->u.tensor.dims[i];
            h = mix(mix(h, d->tag), d->tag == VX_DIM_SYM ? (uint64_t)(uintptr_t)d->name : (uint64_t)d->value);
            h = mix(h, (uint64_t)(uintptr_t)d->owner);
        }
        return h;
    default: return h;
    }
}

static bool same_list(VxType **a, VxType **b, int n)
{
    for (int i = 0; i < n; i++) if (a[i] != b[i]) return false;
    return true;
}

static bool type_equal(const VxType *a, const VxType *b)
{
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case VX_T_INT: return a->u.ik == b->u.ik;
    case VX_T_FLOAT: return a->u.fk == b->u.fk;
    case VX_T_TUPLE: case VX_T_MAP:
        return a->u.tuple.n == b->u.tuple.n && same_list(a->u.tuple.elems, b->u.tuple.elems, a->u.tuple.n);
    case VX_T_ARRAY: case VX_T_SLICE: case VX_T_REF:
        return a->u.arr.elem == b->u.arr.elem && a->u.arr.len == b->u.arr.len && a->u.arr.mut == b->u.arr.mut &&
               a->u.arr.len_tag == b->u.arr.len_tag && a->u.arr.len_name == b->u.arr.len_name &&
               a->u.arr.len_owner == b->u.arr.len_owner;
    case VX_T_NAT:
        return a->u.nat.tag == b->u.nat.tag && a->u.nat.value == b->u.nat.value && a->u.nat.name == b->u.nat.name &&
               a->u.nat.owner == b->u.nat.owner;
    case VX_T_FN:
        return a->u.fn.n == b->u.fn.n && a->u.fn.ret == b->u.fn.ret && same_list(a->u.fn.params, b->u.fn.params, a->u.fn.n);
    case VX_T_ADT:
        return a->u.adt.decl == b->u.adt.decl && a->u.adt.n == b->u.adt.n && same_list(a->u.adt.args, b->u.adt.args, a->u.adt.n);
    case VX_T_PARAM: return a->u.param.owner == b->u.param.owner && a->u.param.index == b->u.param.index;
    case VX_T_TENSOR:
        if (a->u.tensor.dtype != b->u.tensor.dtype || a->u.tensor.rank != b->u.tensor.rank ||
            a->u.tensor.ranked != b->u.tensor.ranked) return false;
        for (int i = 0; i < a->u.tensor.rank; i++) {
            const VxDim *x = &a->u.tensor.dims[i], *y = &b->u.tensor.dims[i];
            if (x->tag != y->tag || x->value != y->value || x->name != y->name || x->owner != y->owner) return false;
        }
        return true;
    default: return true;
    }
}

static void table_grow(VxTypes *t)
{
    uint32_t old = t->cap;
    VxType **olds = t->slots;
    t->cap = old ? old * 2 : 1024;
    t->slots = calloc(t->cap, sizeof(VxType *));
    if (!t->slots) vx_xmalloc((size_t)-1);
    for (uint32_t i = 0; i < old; i++) {
        if (!olds[i]) continue;
        uint32_t h = type_hash(olds[i]) & (t->cap - 1);
        while (t->slots[h]) h = (h + 1) & (t->cap - 1);
        t->slots[h] = olds[i];
    }
    free(olds);
}

/* The canonical copy of `proto` (whose child arrays may be temporaries). */
static VxType *intern_type(VxTypes *t, const VxType *proto)
{
    if (t->count * 2 >= t->cap) table_grow(t);
    uint32_t h = type_hash(proto) & (t->cap - 1);
    for (; t->slots[h]; h = (h + 1) & (t->cap - 1))
        if (type_equal(t->slots[h], proto)) return t->slots[h];
    VxType *ty = vx_arena_dup(&t->arena, proto, sizeof *ty);
    ty->id = t->next_id++;
    switch (ty->kind) {                           /* copy child arrays into the arena */
    case VX_T_TUPLE: case VX_T_MAP:
        ty->u.tuple.elems = vx_arena_dup(&t->arena, proto->u.tuple.elems, sizeof(VxType *) * (size_t)proto->u.tuple.n);
        break;
    case VX_T_FN:
        ty->u.fn.params = vx_arena_dup(&t->arena, proto->u.fn.params, sizeof(VxType *) * (size_t)proto->u.fn.n);
        break;
    case VX_T_ADT:
        ty->u.adt.args = vx_arena_dup(&t->arena, proto->u.adt.args, sizeof(VxType *) * (size_t)proto->u.adt.n);
        break;
    case VX_T_TENSOR:
        ty->u.tensor.dims = vx_arena_dup(&t->arena, proto->u.tensor.dims, sizeof(VxDim) * (size_t)proto->u.tensor.rank);
        break;
    default: break;
    }
    t->slots[h] = ty;
    t->count++;
    return ty;
}

static VxType *simple(VxTypes *t, VxTypeKind k)
{
    VxType proto = { .kind = k };
    return intern_type(t, &proto);
}

VxTypes *vx_types_new(void)
{
    VxTypes *t = calloc(1, sizeof *t);
    if (!t) vx_xmalloc((size_t)-1);
    vx_arena_init(&t->arena);
    t->error = simple(t, VX_T_ERROR);
    t->unit = simple(t, VX_T_UNIT);
    t->never = simple(t, VX_T_NEVER);
    t->boolean = simple(t, VX_T_BOOL);
    t->str = simple(t, VX_T_STR);
    for (int k = 0; k < VX_INT_KINDS; k++) {
        VxType p = { .kind = VX_T_INT, .u.ik = (VxIntKind)k };
        t->ints[k] = intern_type(t, &p);
    }
    for (int k = 0; k < VX_FLOAT_KINDS; k++) {
        VxType p = { .kind = VX_T_FLOAT, .u.fk = (VxFloatKind)k };
        t->floats[k] = intern_type(t, &p);
    }
    return t;
}

void vx_types_free(VxTypes *t)
{
    if (!t) return;
    vx_arena_free(&t->arena);
    free(t->slots);
    free(t->names);
    vx_vec_free(&t->bindings);
    vx_vec_free(&t->trail);
    vx_vec_free(&t->dim_bindings);
    vx_vec_free(&t->dim_bound);
    free(t);
}

VxType *vx_t_error(VxTypes *t) { return t->error; }
VxType *vx_t_unit(VxTypes *t) { return t->unit; }
VxType *vx_t_never(VxTypes *t) { return t->never; }
VxType *vx_t_bool(VxTypes *t) { return t->boolean; }
VxType *vx_t_str(VxTypes *t) { return t->str; }
VxType *vx_t_int(VxTypes *t, VxIntKind k) { return t->ints[k]; }
VxType *vx_t_float(VxTypes *t, VxFloatKind k) { return t->floats[k]; }

VxType *vx_t_tuple(VxTypes *t, VxType **elems, int n)
{
    if (n == 0) return t->unit;
    VxType p = { .kind = VX_T_TUPLE, .u.tuple = { elems, n } };
    return intern_type(t, &p);
}

VxType *vx_t_map(VxTypes *t, VxType *key, VxType *value)
{
    VxType *kv[2] = { key, value };
    VxType p = { .kind = VX_T_MAP, .u.tuple = { kv, 2 } };
    return intern_type(t, &p);
}

VxType *vx_t_array(VxTypes *t, VxType *elem, int64_t len)
{
    VxType p = { .kind = VX_T_ARRAY, .u.arr = { elem, len, false, VX_DIM_CONST, NULL } };
    return intern_type(t, &p);
}

VxType *vx_t_array_dim(VxTypes *t, VxType *elem, VxDim len)
{
    VxType p = { .kind = VX_T_ARRAY, .u.arr = { elem, len.value, false, len.tag, len.name, len.owner } };
    return intern_type(t, &p);
}

VxDim vx_array_len(const VxType *a)
{
    VxDim d = { a->u.arr.len_tag, a->u.arr.len, a->u.arr.len_name, a->u.arr.len_owner };
    return d;
}

VxType *vx_t_nat(VxTypes *t, VxDim d)
{
    VxType p = { .kind = VX_T_NAT, .u.nat = d };
    return intern_type(t, &p);
}

VxType *vx_t_slice(VxTypes *t, VxType *elem)
{
    VxType p = { .kind = VX_T_SLICE, .u.arr = { elem, 0, false } };
    return intern_type(t, &p);
}

VxType *vx_t_ref(VxTypes *t, VxType *elem, bool mut)
{
    VxType p = { .kind = VX_T_REF, .u.arr = { elem, 0, mut } };
    return intern_type(t, &p);
}

VxType *vx_t_fn(VxTypes *t, VxType **params, int n, VxType *ret)
{
    VxType p = { .kind = VX_T_FN, .u.fn = { params, n, ret } };
    return intern_type(t, &p);
}

VxType *vx_t_adt(VxTypes *t, struct VxDecl *decl, VxType **args, int n)
{
    VxType p = { .kind = VX_T_ADT, .u.adt = { decl, args, n } };
    return intern_type(t, &p);
}

VxType *vx_t_param(VxTypes *t, const char *name, int index, struct VxDecl *owner)
{
    VxType p = { .kind = VX_T_PARAM, .u.param = { name, index, owner } };
    return intern_type(t, &p);
}

VxType *vx_t_tensor(VxTypes *t, VxType *dtype, const VxDim *dims, int rank, bool ranked)
{
    VxType p = { .kind = VX_T_TENSOR, .u.tensor = { dtype, (VxDim *)dims, rank, ranked } };
    return intern_type(t, &p);
}

/* Variables are never hash-consed: each call makes a new one. */
VxType *vx_t_fresh(VxTypes *t, VxLitKind lit)
{
    VxType *v = VX_NEW(&t->arena, VxType);
    v->kind = VX_T_VAR;
    v->id = t->next_id++;
    v->u.var.var = (uint32_t)t->bindings.len;
    v->u.var.lit = lit;
    vx_vec_push(&t->bindings, (VxType *)NULL);
    return v;
}

/* ---- substitution -------------------------------------------------------------- */

VxType *vx_resolve(VxTypes *t, VxType *ty)
{
    while (ty->kind == VX_T_VAR && t->bindings.data[ty->u.var.var]) ty = t->bindings.data[ty->u.var.var];
    return ty;
}

void vx_bind(VxTypes *t, VxType *var, VxType *to)
{
    t->bindings.data[var->u.var.var] = to;
    vx_vec_push(&t->trail, var->u.var.var);
}

size_t vx_types_mark(VxTypes *t) { return (size_t)t->trail.len; }

enum { DIM_BIT = 0x80000000u };

void vx_types_rollback(VxTypes *t, size_t mark)
{
    while ((size_t)t->trail.len > mark) {
        uint32_t v = t->trail.data[--t->trail.len];
        if (v & DIM_BIT) t->dim_bound.data[v & ~DIM_BIT] = false;
        else t->bindings.data[v] = NULL;
    }
}

/* ---- dimension variables ----------------------------------------------------- */

VxDim vx_resolve_dim(VxTypes *t, VxDim d)
{
    while (d.tag == VX_DIM_VAR && t->dim_bound.data[d.value]) d = t->dim_bindings.data[d.value];
    return d;
}

bool vx_unify_dim(VxTypes *t, VxDim a, VxDim b)
{
    a = vx_resolve_dim(t, a);
    b = vx_resolve_dim(t, b);
    if (a.tag == VX_DIM_UNKNOWN || b.tag == VX_DIM_UNKNOWN) return true;
    if (a.tag == VX_DIM_VAR && b.tag == VX_DIM_VAR && a.value == b.value) return true;
    if (a.tag != VX_DIM_VAR && b.tag == VX_DIM_VAR) { VxDim x = a; a = b; b = x; }
    if (a.tag == VX_DIM_VAR) {
        t->dim_bindings.data[a.value] = b;
        t->dim_bound.data[a.value] = true;
        vx_vec_push(&t->trail, (uint32_t)a.value | DIM_BIT);
        return true;
    }
    if (a.tag != b.tag) return false;
    if (a.tag == VX_DIM_PARAM) return a.owner == b.owner && a.value == b.value;
    return a.tag == VX_DIM_CONST ? a.value == b.value : a.name == b.name;
}

VxDim vx_fresh_dim(VxTypes *t, const char *name)
{
    VxDim d = { VX_DIM_VAR, t->dim_bindings.len, name, NULL };
    VxDim none = { VX_DIM_UNKNOWN, 0, NULL };
    vx_vec_push(&t->dim_bindings, none);
    vx_vec_push(&t->dim_bound, false);
    return d;
}

bool vx_occurs(VxTypes *t, VxType *var, VxType *in)
{
    in = vx_resolve(t, in);
    if (in == var) return true;
    switch (in->kind) {
    case VX_T_TUPLE: case VX_T_MAP:
        for (int i = 0; i < in->u.tuple.n; i++) if (vx_occurs(t, var, in->u.tuple.elems[i])) return true;
        return false;
    case VX_T_ARRAY: case VX_T_SLICE: case VX_T_REF: return vx_occurs(t, var, in->u.arr.elem);
    case VX_T_FN:
        for (int i = 0; i < in->u.fn.n; i++) if (vx_occurs(t, var, in->u.fn.params[i])) return true;
        return vx_occurs(t, var, in->u.fn.ret);
    case VX_T_ADT:
        for (int i = 0; i < in->u.adt.n; i++) if (vx_occurs(t, var, in->u.adt.args[i])) return true;
        return false;
    case VX_T_TENSOR: return vx_occurs(t, var, in->u.tensor.dtype);
    default: return false;
    }
}

/* Rebuild `ty` with each child mapped by f (shared by zonk and subst). */
typedef VxType *(*TypeMap)(VxTypes *t, VxType *ty, void *ctx);

static VxType *map_children(VxTypes *t, VxType *ty, TypeMap f, void *ctx)
{
    VxType *small[8], **tmp = small;
    int n = ty->kind == VX_T_FN ? ty->u.fn.n : ty->kind == VX_T_ADT ? ty->u.adt.n : ty->u.tuple.n;
    switch (ty->kind) {
    case VX_T_TUPLE: case VX_T_MAP: case VX_T_FN: case VX_T_ADT: {
        if (n > 8) tmp = vx_xmalloc(sizeof(VxType *) * (size_t)n);
        VxType **src = ty->kind == VX_T_FN ? ty->u.fn.params : ty->kind == VX_T_ADT ? ty->u.adt.args : ty->u.tuple.elems;
        for (int i = 0; i < n; i++) tmp[i] = f(t, src[i], ctx);
        VxType *r = ty->kind == VX_T_FN ? vx_t_fn(t, tmp, n, f(t, ty->u.fn.ret, ctx))
                  : ty->kind == VX_T_ADT ? vx_t_adt(t, ty->u.adt.decl, tmp, n)
                  : ty->kind == VX_T_MAP ? vx_t_map(t, tmp[0], tmp[1]) : vx_t_tuple(t, tmp, n);
        if (tmp != small) free(tmp);
        return r;
    }
    case VX_T_ARRAY: return vx_t_array_dim(t, f(t, ty->u.arr.elem, ctx), vx_array_len(ty));
    case VX_T_SLICE: return vx_t_slice(t, f(t, ty->u.arr.elem, ctx));
    case VX_T_REF: return vx_t_ref(t, f(t, ty->u.arr.elem, ctx), ty->u.arr.mut);
    case VX_T_TENSOR:
        return vx_t_tensor(t, f(t, ty->u.tensor.dtype, ctx), ty->u.tensor.dims, ty->u.tensor.rank, ty->u.tensor.ranked);
    default: return ty;
    }
}

/* A tensor type with each dim mapped by f. */
static VxType *map_dims(VxTypes *t, VxType *ty, VxDim (*f)(VxTypes *, VxDim, void *), void *ctx, VxType *dtype)
{
    VxDim small[16], *dims = ty->u.tensor.rank <= 16 ? small : vx_xmalloc(sizeof(VxDim) * (size_t)ty->u.tensor.rank);
    for (int i = 0; i < ty->u.tensor.rank; i++) dims[i] = f(t, ty->u.tensor.dims[i], ctx);
    VxType *r = vx_t_tensor(t, dtype, dims, ty->u.tensor.rank, ty->u.tensor.ranked);
    if (dims != small) free(dims);
    return r;
}

static VxDim resolve_dim_cb(VxTypes *t, VxDim d, void *ctx) { (void)ctx; return vx_resolve_dim(t, d); }

static VxType *zonk_one(VxTypes *t, VxType *ty, void *ctx)
{
    bool defaults = *(bool *)ctx;
    ty = vx_resolve(t, ty);
    if (ty->kind == VX_T_VAR) {
        if (!defaults || ty->u.var.lit == VX_LIT_NONE) return ty;
        return ty->u.var.lit == VX_LIT_INT ? t->ints[VX_I64] : t->floats[VX_F64];
    }
    if (ty->kind == VX_T_TENSOR) return map_dims(t, ty, resolve_dim_cb, NULL, zonk_one(t, ty->u.tensor.dtype, ctx));
    if (ty->kind == VX_T_ARRAY)
        return vx_t_array_dim(t, zonk_one(t, ty->u.arr.elem, ctx), vx_resolve_dim(t, vx_array_len(ty)));
    if (ty->kind == VX_T_NAT) return vx_t_nat(t, vx_resolve_dim(t, ty->u.nat));
    return map_children(t, ty, zonk_one, ctx);
}

/* The same name gets the same fresh variable within one call. */
typedef struct DimMap { const char *names[32]; VxDim vars[32]; int n; } DimMap;

static VxDim fresh_dim_cb(VxTypes *t, VxDim d, void *ctx)
{
    DimMap *m = ctx;
    if (d.tag != VX_DIM_SYM) return d;
    for (int i = 0; i < m->n; i++) if (m->names[i] == d.name) return m->vars[i];
    VxDim v = vx_fresh_dim(t, d.name);
    if (m->n < 32) { m->names[m->n] = d.name; m->vars[m->n++] = v; }
    return v;
}

static VxType *fresh_dims_one(VxTypes *t, VxType *ty, void *ctx)
{
    ty = vx_resolve(t, ty);
    if (ty->kind == VX_T_TENSOR) return map_dims(t, ty, fresh_dim_cb, ctx, fresh_dims_one(t, ty->u.tensor.dtype, ctx));
    if (ty->kind == VX_T_ARRAY)
        return vx_t_array_dim(t, fresh_dims_one(t, ty->u.arr.elem, ctx), fresh_dim_cb(t, vx_array_len(ty), ctx));
    if (ty->kind == VX_T_NAT) return vx_t_nat(t, fresh_dim_cb(t, ty->u.nat, ctx));
    return map_children(t, ty, fresh_dims_one, ctx);
}

VxType *vx_fresh_dims(VxTypes *t, VxType *ty)
{
    DimMap m = { .n = 0 };
    return fresh_dims_one(t, ty, &m);
}

VxType *vx_zonk(VxTypes *t, VxType *ty, bool default_literals)
{
    return zonk_one(t, ty, &default_literals);
}

typedef struct Subst { struct VxDecl *owner; VxType **args; int n; } Subst;

/* A `const N` dim of the owner becomes the argument's dim (a NAT). */
static VxDim subst_dim(VxTypes *t, VxDim d, void *ctx)
{
    Subst *s = ctx;
    if (d.tag != VX_DIM_PARAM || d.owner != s->owner || d.value >= s->n) return d;
    VxType *a = vx_resolve(t, s->args[d.value]);
    if (a->kind == VX_T_NAT) return a->u.nat;
    return d;
}

static VxType *subst_one(VxTypes *t, VxType *ty, void *ctx)
{
    Subst *s = ctx;
    ty = vx_resolve(t, ty);
    if (ty->kind == VX_T_PARAM && ty->u.param.owner == s->owner && ty->u.param.index >= 0 && ty->u.param.index < s->n)
        return s->args[ty->u.param.index];
    if (ty->kind == VX_T_TENSOR) return map_dims(t, ty, subst_dim, ctx, subst_one(t, ty->u.tensor.dtype, ctx));
    if (ty->kind == VX_T_ARRAY) return vx_t_array_dim(t, subst_one(t, ty->u.arr.elem, ctx), subst_dim(t, vx_array_len(ty), ctx));
    if (ty->kind == VX_T_NAT) return vx_t_nat(t, subst_dim(t, ty->u.nat, ctx));
    return map_children(t, ty, subst_one, ctx);
}

VxType *vx_subst(VxTypes *t, VxType *ty, struct VxDecl *owner, VxType **args, int n)
{
    Subst s = { owner, args, n };
    return subst_one(t, ty, &s);
}

bool vx_is_numeric(VxTypes *t, VxType *ty)
{
    ty = vx_resolve(t, ty);
    return ty->kind == VX_T_INT || ty->kind == VX_T_FLOAT || (ty->kind == VX_T_VAR && ty->u.var.lit != VX_LIT_NONE);
}

/* ---- generalisation ------------------------------------------------------------ */

typedef struct VarMap { VxType **from, **to; int n; } VarMap;

static VxType *subst_var_one(VxTypes *t, VxType *ty, void *ctx)
{
    VarMap *m = ctx;
    ty = vx_resolve(t, ty);
    if (ty->kind == VX_T_VAR) {
        for (int i = 0; i < m->n; i++) if (m->from[i] == ty) return m->to[i];
        return ty;
    }
    return map_children(t, ty, subst_var_one, ctx);
}

VxType *vx_subst_vars(VxTypes *t, VxType *ty, VxType **from, VxType **to, int n)
{
    VarMap m = { from, to, n };
    return subst_var_one(t, ty, &m);
}

int vx_free_vars(VxTypes *t, VxType *ty, VxType **out, int n, int cap)
{
    ty = vx_resolve(t, ty);
    switch (ty->kind) {
    case VX_T_VAR:
        if (ty->u.var.lit != VX_LIT_NONE) return n;
        for (int i = 0; i < n; i++) if (out[i] == ty) return n;
        if (n < cap) out[n++] = ty;
        return n;
    case VX_T_TUPLE: case VX_T_MAP:
        for (int i = 0; i < ty->u.tuple.n; i++) n = vx_free_vars(t, ty->u.tuple.elems[i], out, n, cap);
        return n;
    case VX_T_ARRAY: case VX_T_SLICE: case VX_T_REF: return vx_free_vars(t, ty->u.arr.elem, out, n, cap);
    case VX_T_FN:
        for (int i = 0; i < ty->u.fn.n; i++) n = vx_free_vars(t, ty->u.fn.params[i], out, n, cap);
        return vx_free_vars(t, ty->u.fn.ret, out, n, cap);
    case VX_T_ADT:
        for (int i = 0; i < ty->u.adt.n; i++) n = vx_free_vars(t, ty->u.adt.args[i], out, n, cap);
        return n;
    case VX_T_TENSOR: return vx_free_vars(t, ty->u.tensor.dtype, out, n, cap);
    default: return n;
    }
}
