/* compile_type.c - the VM kinds of static types, record layouts and their
 * descriptors (VxRecDesc). */
#include "compile_internal.h"

static bool record_ok(Comp *c, VxType *t, int depth);

/* ---- types --------------------------------------------------------------------- */

bool is_obj_kind(VKind k) { return k == K_STR || k == K_ARR || k == K_REC || k == K_FN || k == K_MAP || k == K_WIDE || k == K_TENSOR || k == K_HANDLE; }

/* The concrete type of t in the function instance being compiled. */
VxType *ctype(Comp *c, VxType *t)
{
    t = vx_sema_type(c->sema, t);
    VxTypes *T = vx_sema_types(c->sema);
    if (c->cur.nquant) t = vx_subst_vars(T, t, c->cur.quant, c->cur.inst, c->cur.nquant);
    if (!c->cur.nargs) return t;
    VxDecl *d = c->cur.decl;
    int k = 0;                                        /* the impl's arguments come first (as sema_mono.c's) */
    if (d->impl) k = d->impl->kind == VX_D_TRAIT ? d->impl->ngenerics + 1 : d->impl->ngenerics;   /* a default method: the trait's, then Self */
    if (k) t = vx_subst(T, t, d->impl, c->cur.args, k);
    if (d->ngenerics) t = vx_subst(T, t, d, c->cur.args + k, d->ngenerics);
    return vx_sema_type(c->sema, t);
}

/* A reference is its value: `&T` reads are copies of a refcounted,
 * copy-on-write value.  (`&mut` exists only as a method's `self`, which
 * is passed in and handed back: see method_call.) */
VxType *deref_type(Comp *c, VxType *t)
{
    t = ctype(c, t);
    while (t->kind == VX_T_REF) t = ctype(c, t->u.arr.elem);
    return t;
}

VKind kind_of(Comp *c, VxType *t, int *ik)
{
    t = deref_type(c, t);
    switch (t->kind) {
    case VX_T_SLICE: case VX_T_ARRAY: return elem_put_kind(c, t->u.arr.elem) >= 0 ? K_ARR : K_OTHER;
    case VX_T_TUPLE: case VX_T_ADT:
        if (t->kind == VX_T_ADT && t->u.adt.decl->builtin) return K_HANDLE;   /* `@builtin struct Optimizer {}` */
        return record_ok(c, t, 0) ? K_REC : K_OTHER;
    case VX_T_UNIT: return K_UNIT;
    case VX_T_NEVER: return K_NEVER;
    case VX_T_MAP: return map_part_kind(c, t->u.tuple.elems[0]) >= 0 && map_part_kind(c, t->u.tuple.elems[1]) >= 0 ? K_MAP : K_OTHER;
    case VX_T_FN: {
        for (int i = 0; i < t->u.fn.n; i++) if (kind_of(c, t->u.fn.params[i], NULL) == K_OTHER) return K_OTHER;
        return kind_of(c, t->u.fn.ret, NULL) == K_OTHER ? K_OTHER : K_FN;
    }
    case VX_T_TENSOR: return ct_dtype_ok(c, t) ? K_TENSOR : K_OTHER;
    case VX_T_BOOL: return K_BOOL;
    case VX_T_STR: return K_STR;
    case VX_T_INT:
        if (ik) *ik = t->u.ik;
        return vx_int_bits(t->u.ik) > 64 ? K_WIDE : K_INT;
    case VX_T_FLOAT:
        if (t->u.fk == VX_F64) return K_F64;
        if (t->u.fk == VX_F32) return K_F32;
        if (ik) *ik = t->u.fk;
        return K_HALF;
    default: return K_OTHER;
    }
}

VKind node_kind(Comp *c, VxNode *e, int *ik) { return kind_of(c, e->type, ik); }

/* How values of type t print (and whether an array of them owns objects). */
int elem_put_kind(Comp *c, VxType *t)
{
    int ik = 0;
    switch (kind_of(c, t, &ik)) {
    case K_INT: case K_WIDE: return VX_PUT_INT + ik;
    case K_HALF: return ik == VX_F16 ? VX_PUT_F16 : VX_PUT_BF16;
    case K_F64: return VX_PUT_F64;
    case K_F32: return VX_PUT_F32;
    case K_BOOL: return VX_PUT_BOOL;
    case K_STR: return VX_PUT_STR;
    case K_ARR: return VX_PUT_ARR;
    case K_REC: return VX_PUT_REC;
    case K_FN: return VX_PUT_FN;
    case K_MAP: return VX_PUT_MAP;
    case K_TENSOR: return VX_PUT_TENSOR;
    case K_HANDLE: return VX_PUT_HANDLE;
    default: return -1;
    }
}

/* How a map's keys or values of type t print: as an array's elements, or
 * `()` (a map to () is a set). */
int map_part_kind(Comp *c, VxType *t) { return kind_of(c, t, NULL) == K_UNIT ? VX_PUT_UNIT : elem_put_kind(c, t); }

/* ---- records: structs, tuples, enum variants --------------------------------------- */

int field_index(VxField *fs, int n, const char *name)
{
    for (int i = 0; i < n; i++) if (strcmp(fs[i].name, name) == 0) return i;
    return -1;
}

/* The types of the fields of record type t (variant v for enums). */
int record_fields(Comp *c, VxType *t, int v, VxType **out, int cap)
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

static bool record_ok(Comp *c, VxType *t, int depth);

/* Can a field of type ft be held?  Arrays and maps of records count a
 * level of depth too, so that `enum J { Arr([J]) }` ends. */
static bool field_ok(Comp *c, VxType *ft, int depth)
{
    ft = deref_type(c, ft);
    switch (ft->kind) {
    case VX_T_TUPLE: case VX_T_ADT: return record_ok(c, ft, depth + 1);
    case VX_T_SLICE: case VX_T_ARRAY: return field_ok(c, ft->u.arr.elem, depth + 1);
    case VX_T_MAP: return field_ok(c, ft->u.tuple.elems[0], depth + 1) && field_ok(c, ft->u.tuple.elems[1], depth + 1);
    default: return kind_of(c, ft, NULL) != K_OTHER;
    }
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
        for (int i = 0; i < n; i++) if (!field_ok(c, f[i], depth)) return false;
    }
    return true;
}

/* The descriptor constant of record type t (variant v), made once. */
int desc_const(Comp *c, VxType *t, int v)
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
    d->order = d->is_enum && t->u.adt.decl == vx_sema_prelude(c->sema, VX_PRELUDE_OPTION) ? (uint32_t)!v : (uint32_t)v;  /* the prelude: Some, None */
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
    if (n == 0) {                                    /* `None`, `Leaf`, `()`-like values: one shared constant */
        d->unit = calloc(1, sizeof *d->unit);        /* rc 0: immortal */
        if (!d->unit) vx_xmalloc((size_t)-1);
        d->unit->h.kind = VX_OBJ_REC;
        d->unit->desc = d;
    }
    vx_vec_push(&c->descs, d);
    DescKey key = { t, v, c->descs.len - 1 };
    vx_vec_push(&c->desc_keys, key);
    VxValue k = { .d = d };
    return add_const(c, k);
}

/* The element type of an array-typed node. */
VxType *elem_type(Comp *c, VxNode *e)
{
    VxType *t = deref_type(c, e->type);
    return is_range(c, t) ? ctype(c, t->u.adt.args[0]) : t->u.arr.elem;
}

/* Range<T>: what `a..b` makes as a value (a record of start and end). */
bool is_range(Comp *c, VxType *t) { return range_kind(c, t) != 0; }

/* 0: not a range; 1: Range (a..b), 2: RangeInclusive (a..=b), 3: RangeFrom (a..). */
int range_kind(Comp *c, VxType *t)
{
    t = deref_type(c, t);
    if (t->kind != VX_T_ADT) return 0;
    for (int k = 0; k < 3; k++)
        if (t->u.adt.decl == vx_sema_prelude(c->sema, (VxPreludeType)(VX_PRELUDE_RANGE + k))) return k + 1;
    return 0;
}

const char *kind_words(Comp *c, VxNode *e)
{
    static char buf[160];
    snprintf(buf, sizeof buf, "values of type `%s`", vx_tname(vx_sema_types(c->sema), ctype(c, e->type)));
    return buf;
}
