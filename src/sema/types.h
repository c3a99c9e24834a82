/* types.h - the types of Vortex programs.
 *
 * Types are hash-consed in a VxTypes table: structurally equal types are
 * the same pointer, so equality is `==` once inference variables are
 * resolved.  Inference variables (VX_T_VAR) are the exception: each is a
 * distinct object whose binding lives in the table's substitution, which
 * vx_resolve follows.  Literal variables (VX_T_VAR with lit != 0) stand for
 * "some integer type" or "some float type" and default to i64 / f64.
 *
 * Tensor types carry a dtype and a shape; each dim is a constant, a
 * symbolic name (bound per call) or unknown (`?`, checked at run time). */
#ifndef VX_TYPES_H
#define VX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"

typedef enum VxTypeKind {
    VX_T_ERROR,          /* after a reported error: keeps one mistake from cascading */
    VX_T_UNIT, VX_T_NEVER, VX_T_BOOL, VX_T_STR,
    VX_T_INT, VX_T_FLOAT,
    VX_T_TUPLE,          /* elems */
    VX_T_ARRAY,          /* [T; N]: elem, len */
    VX_T_SLICE,          /* [T]: elem (a growable array) */
    VX_T_REF,            /* &T / &mut T: elem, mut */
    VX_T_FN,             /* fn(params) -> ret */
    VX_T_ADT,            /* struct or enum: decl + type arguments */
    VX_T_PARAM,          /* a generic parameter inside its declaration */
    VX_T_VAR,            /* an inference variable */
    VX_T_TENSOR,         /* dtype + shape */
    VX_T_MAP,            /* HashMap<K, V>: elems[0], elems[1] */
    VX_T_NAT,            /* a dim used as a type argument: `Linear<784, 10>` */
    VX_T_COUNT
} VxTypeKind;

/* Integer kinds in one enum, ordered: signed first. */
typedef enum VxIntKind {
    VX_I8, VX_I16, VX_I32, VX_I64, VX_I128, VX_ISIZE,
    VX_U8, VX_U16, VX_U32, VX_U64, VX_U128, VX_U256, VX_USIZE,
    VX_INT_KINDS
} VxIntKind;

typedef enum VxFloatKind { VX_F16, VX_BF16, VX_F32, VX_F64, VX_FLOAT_KINDS } VxFloatKind;

typedef enum { VX_LIT_NONE, VX_LIT_INT, VX_LIT_FLOAT } VxLitKind;

typedef struct VxType VxType;

/* A tensor dimension. */
/* CONST: a size.  SYM: a function's shape variable (`B`), rigid inside it,
 * fresh at each call.  UNKNOWN: `?`.  VAR: a dim variable.  PARAM: a
 * `const N: usize` parameter of `owner` (index in value), replaced by the
 * argument when the declaration is instantiated. */
typedef enum { VX_DIM_CONST, VX_DIM_SYM, VX_DIM_UNKNOWN, VX_DIM_VAR, VX_DIM_PARAM } VxDimTag;
typedef struct VxDim {
    VxDimTag tag;
    int64_t value;                    /* CONST: the size; VAR: the variable's number; PARAM: the index */
    const char *name;                 /* SYM, PARAM (interned); VAR: the name it came from */
    const void *owner;                /* PARAM: the declaring VxDecl */
} VxDim;

struct VxType {
    VxTypeKind kind;
    uint32_t id;                      /* creation order, for hashing and stable output */
    union {
        VxIntKind ik;                 /* INT */
        VxFloatKind fk;               /* FLOAT */
        struct { VxType **elems; int n; } tuple;          /* TUPLE, MAP */
        /* ARRAY, SLICE, REF; an array's length is a dim: a constant, or a
         * const generic `N` (SYM), or a variable bound at a call (VAR) */
        struct { VxType *elem; int64_t len; bool mut; VxDimTag len_tag; const char *len_name; const void *len_owner; } arr;
        struct { VxType **params; int n; VxType *ret; } fn;
        struct { struct VxDecl *decl; VxType **args; int n; } adt;
        struct { const char *name; int index; struct VxDecl *owner; } param;
        struct { uint32_t var; VxLitKind lit; } var;
        struct { VxType *dtype; VxDim *dims; int rank; bool ranked; } tensor;
        VxDim nat;                                          /* NAT */
    } u;
};

typedef struct VxTypes VxTypes;

VxTypes *vx_types_new(void);
void vx_types_free(VxTypes *t);

/* Constructors return the canonical (hash-consed) type. */
VxType *vx_t_error(VxTypes *t);
VxType *vx_t_unit(VxTypes *t);
VxType *vx_t_never(VxTypes *t);
VxType *vx_t_bool(VxTypes *t);
VxType *vx_t_str(VxTypes *t);
VxType *vx_t_int(VxTypes *t, VxIntKind k);
VxType *vx_t_float(VxTypes *t, VxFloatKind k);
VxType *vx_t_tuple(VxTypes *t, VxType **elems, int n);
VxType *vx_t_array(VxTypes *t, VxType *elem, int64_t len);
VxType *vx_t_array_dim(VxTypes *t, VxType *elem, VxDim len);
VxDim vx_array_len(const VxType *array);
VxType *vx_t_slice(VxTypes *t, VxType *elem);
VxType *vx_t_ref(VxTypes *t, VxType *elem, bool mut);
VxType *vx_t_fn(VxTypes *t, VxType **params, int n, VxType *ret);
VxType *vx_t_adt(VxTypes *t, struct VxDecl *decl, VxType **args, int n);
VxType *vx_t_param(VxTypes *t, const char *name, int index, struct VxDecl *owner);
VxType *vx_t_map(VxTypes *t, VxType *key, VxType *value);
VxType *vx_t_tensor(VxTypes *t, VxType *dtype, const VxDim *dims, int rank, bool ranked);
VxType *vx_t_fresh(VxTypes *t, VxLitKind lit);   /* a new inference variable */
VxType *vx_t_nat(VxTypes *t, VxDim d);
VxDim vx_fresh_dim(VxTypes *t, const char *name);

/* Substitution: follow bound variables to their current meaning. */
VxType *vx_resolve(VxTypes *t, VxType *ty);
/* Resolve deeply, defaulting unbound literal variables (i64 / f64); other
 * unbound variables stay (the caller reports "cannot infer"). */
VxType *vx_zonk(VxTypes *t, VxType *ty, bool default_literals);
void vx_bind(VxTypes *t, VxType *var, VxType *to);
/* Undo every binding made since the mark (for trying alternatives). */
size_t vx_types_mark(VxTypes *t);
void vx_types_rollback(VxTypes *t, size_t mark);
bool vx_occurs(VxTypes *t, VxType *var, VxType *in);
/* Dimension variables: a function's symbolic dims (`B` in `[B, D]`) are
 * replaced by fresh variables at each call, which unification binds. */
VxType *vx_fresh_dims(VxTypes *t, VxType *ty);
VxDim vx_resolve_dim(VxTypes *t, VxDim d);
bool vx_unify_dim(VxTypes *t, VxDim a, VxDim b);

/* Replace the variables from[i] by to[i] (instantiating a generalised let). */
VxType *vx_subst_vars(VxTypes *t, VxType *ty, VxType **from, VxType **to, int n);
/* Collect the unbound, non-literal variables of ty into out (up to cap, no
 * duplicates); returns the new count. */
int vx_free_vars(VxTypes *t, VxType *ty, VxType **out, int n, int cap);

/* Replace generic parameters of `owner` by args[index]. */
VxType *vx_subst(VxTypes *t, VxType *ty, struct VxDecl *owner, VxType **args, int n);

/* Interned names: equal strings give the same pointer. */
const char *vx_intern(VxTypes *t, const char *s, size_t n);

/* Type in source syntax ("Tensor<f32, [B, 128]>", "fn(i64) -> i64"). */
void vx_type_name(VxTypes *t, VxType *ty, char *buf, size_t cap);
/* Same, into a buffer owned by the table that stays valid until the next
 * 8 calls (convenient inside diagnostics). */
const char *vx_tname(VxTypes *t, VxType *ty);

const char *vx_int_name(VxIntKind k);
const char *vx_float_name(VxFloatKind k);
int vx_int_bits(VxIntKind k);
bool vx_int_signed(VxIntKind k);
bool vx_is_numeric(VxTypes *t, VxType *ty);   /* int, float, or a literal variable */

#endif
