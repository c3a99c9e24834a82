/* sema.h - semantic analysis: names, types, inference, checks.
 *
 * Two passes over a parsed file (plus the prelude in lib/std/prelude.vx):
 *   1. collect: every item becomes a VxDecl (structs, enums, traits, impls,
 *      functions, kernels, consts, aliases) and every type written in a
 *      signature is resolved to a VxType;
 *   2. check: every function body is inferred by unification; the type of
 *      each expression and binding is recorded for later stages.
 * Errors are reported to VxDiags and checking goes on; VX_T_ERROR marks a
 * value whose type could not be found so that one mistake is reported
 * once. */
#ifndef VX_SEMA_H
#define VX_SEMA_H

#include "../front/ast.h"
#include "../front/diag.h"
#include "types.h"

typedef enum VxDeclKind {
    VX_D_STRUCT, VX_D_ENUM, VX_D_TRAIT, VX_D_FN, VX_D_CONST, VX_D_ALIAS, VX_D_IMPL,
} VxDeclKind;

typedef struct VxDecl VxDecl;

typedef struct VxGeneric {
    const char *name;
    VxDecl **bounds;                  /* traits */
    int nbounds;
    VxType *const_type;               /* `const N: usize`: the value's type */
    VxType *type;                     /* the VX_T_PARAM standing for it */
} VxGeneric;

typedef struct VxField {
    const char *name;
    VxType *type;
    VxNode *node;
} VxField;

typedef struct VxVariant {
    const char *name;
    int index;
    VxVariantKind shape;
    VxType **payload;                 /* tuple variants */
    VxField *fields;                  /* struct variants */
    int n;                            /* payload or field count */
    VxNode *node;
} VxVariant;

struct VxDecl {
    VxDeclKind kind;
    const char *name;
    VxNode *node;
    const VxSource *src;
    VxGeneric *generics;              /* for methods: the impl's first, then the method's */
    int ngenerics, nimpl_generics;
    bool checking;                    /* cycle guard while resolving */
    bool builtin;                     /* declared in the prelude with @builtin */

    /* STRUCT / ENUM */
    VxField *fields;
    int nfields;
    VxVariant *variants;
    int nvariants;
    bool is_copy;                     /* scalar-like: all fields Copy */

    /* FN */
    VxType *sig;                      /* VX_T_FN over the generic parameters */
    const char **param_names;
    VxNode **defaults;                /* default value expressions, or NULL */
    int nparams;
    VxSelfKind self;                  /* methods: how `self` is taken */
    VxDecl *impl;                     /* methods: their impl */
    VxDecl *trait_method;             /* impl methods: the trait method implemented */
    VxType **where_types;             /* methods: bounds on the impl's parameters that */
    VxDecl **where_traits;            /*   only this method needs (`where T: Num`) */
    int nwhere;

    /* TRAIT */
    VxDecl **methods;                 /* also IMPL: its methods */
    int nmethods;
    VxDecl **supers;
    int nsupers;

    /* IMPL */
    VxType *self_type;                /* in terms of the impl's generics */
    VxDecl *trait;                    /* NULL for inherent impls */
    VxType **trait_args;              /* `impl Mul<f64> for V`: the trait's arguments; missing ones are Self */

    /* CONST / ALIAS */
    VxType *type;

    int calls_from, calls_to;         /* FN: its range of recorded generic calls (sema_mono.c) */
};

typedef struct VxSema VxSema;

typedef struct VxCheckOptions {
    bool dump_types;                  /* print binding and function types to `out` */
    FILE *out;
    const VxSource *user_src;         /* set by vx_check: only its entries are dumped */
} VxCheckOptions;

/* Check `file` (parsed from `src`).  Returns the number of errors.  The
 * diagnostics are flushed before returning (some may point into the
 * prelude, which is freed). */
int vx_check(const VxSource *src, VxNode *file, VxDiags *diags, VxCheckOptions opt);

/* The same, keeping the results for the back ends (the bytecode compiler):
 * types stay valid, and every expression node's `type` can be finalised
 * with vx_sema_type.  Free with vx_sema_free (after the AST's last use). */
VxSema *vx_sema_check(const VxSource *src, VxNode *file, VxDiags *diags, VxCheckOptions opt);
void vx_sema_free(VxSema *s);
int vx_sema_errors(const VxSema *s);
VxType *vx_sema_type(VxSema *s, VxType *t);        /* final type: variables resolved, literals defaulted */
VxTypes *vx_sema_types(VxSema *s);
VxDecl *vx_sema_global(VxSema *s, const char *name);
/* A type the prelude declares, even where the program declares its own of that name. */
typedef enum VxPreludeType { VX_PRELUDE_OPTION, VX_PRELUDE_RESULT, VX_PRELUDE_RANGE, VX_PRELUDE_RANGE_INCL, VX_PRELUDE_RANGE_FROM,
                               VX_PRELUDE_RANGE_TO, VX_PRELUDE_RANGE_TO_INCL, VX_PRELUDE_RANGE_FULL } VxPreludeType;
VxDecl *vx_sema_prelude(VxSema *s, VxPreludeType which);
/* Names (vx_sema_global, _variant, _assoc_fn) are looked up in this file's
 * module from now on: the file of the function being compiled. */
void vx_sema_set_file(VxSema *s, const VxSource *src);
/* The enum variant a path or name denotes (`Shape::Circle`, `Some`), or NULL. */
VxVariant *vx_sema_variant(VxSema *s, VxNode *path, VxDecl **enum_out);
/* The method `name` for a receiver of (concrete) type recv, or NULL. */
VxDecl *vx_sema_method(VxSema *s, VxType *recv, const char *name);
/* The same, with the arguments of the impl that provides it (`T` of
 * `impl<T> Stack<T>` for a `Stack<i64>` receiver: i64) in impl_args[0..*n). */
VxDecl *vx_sema_method_inst(VxSema *s, VxType *recv, const char *name, VxType **impl_args, int cap, int *n);
/* The impl method behind `l OP r` (r NULL: unary; method "add", "neg", "index", ...), or NULL;
 * with its impl's arguments, as vx_sema_method_inst gives them. */
VxDecl *vx_sema_operator(VxSema *s, VxType *l, VxType *r, const char *method, VxType **impl_args, int cap, int *n);
/* `Type::function`: the associated function a two-segment path names, or NULL. */
VxDecl *vx_sema_assoc_fn(VxSema *s, VxNode *path);
/* The type arguments of the generic function called at `site` (in terms
 * of the caller's own generic parameters); their count, or -1. */
int vx_sema_call_args(VxSema *s, VxNode *site, VxType ***args);
/* The i-th use of a generalised `let` closure (`let id = |x| x`): the
 * binding's pattern, the name's use, and the types its variables quant[k]
 * take there, inst[k].  False past the last. */
bool vx_sema_poly_use(VxSema *s, int i, VxNode **binding, VxNode **use, VxType ***quant, VxType ***inst, int *n);

/* The concrete instances to compile, in discovery order (main's callees follow it). */
int vx_sema_instances(VxSema *s, VxDecl ***decls, VxType ****args, int **nargs);

#endif
