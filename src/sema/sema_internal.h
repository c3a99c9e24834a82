/* sema_internal.h - state shared by the sema_*.c files.  Not a public API. */
#ifndef VX_SEMA_INTERNAL_H
#define VX_SEMA_INTERNAL_H

#include "sema.h"
#include "../util/vec.h"

typedef struct Local {
    const char *name;                 /* interned */
    VxType *type;
    VxNode *node;                     /* where it was bound */
    bool mut;
    bool is_dim;                      /* a size of the parameters' shapes (`B`) or a `const N` */
    VxType **quant;                   /* generalised closure: its type's variables, fresh at each use */
    int nquant;
    VxDim dim;                        /* which one, when is_dim */
} Local;

typedef struct Loop {
    const char *label;                /* interned, or NULL */
    VxType *break_type;               /* `loop` only: the type of `break value` */
    bool is_loop;                     /* `loop` (may break with a value) vs while/for */
    bool broke;                       /* a `break` targets it */
} Loop;

enum { MAX_LOOPS = 256 };

/* The global namespace: interned name -> declaration. */
typedef struct NameTable {
    const char **keys;
    VxDecl **vals;
    uint32_t cap, count;
} NameTable;

/* A source file's namespace: the prelude, the program's file, or an imported module. */
typedef struct Module {
    const char *name;                 /* as imported: "std.math", "modules.geometry"; the main file's path */
    char *key;                        /* canonical path: the cache key (owned) */
    VxSource *src;                    /* owned, except the main file's */
    NameTable names;                  /* own items, imported names, and `alias.item` for `import m as alias` */
    enum { MOD_LOADING, MOD_DONE, MOD_BROKEN } state;
    VxNode *import_site;              /* the first import of it (for the import chain) */
    const VxSource *import_src;
} Module;

/* `import m as alias` in module `owner`. */
typedef struct ModAlias {
    Module *owner, *target;
    const char *alias;                /* interned */
} ModAlias;

/* A trait bound to check once the function's types are known. */
typedef struct Obligation {
    VxType *type;
    VxDecl *trait;
    VxDecl *owner;                    /* whose bound it is */
    const char *param;                /* the generic parameter's name */
    VxSpan at;
} Obligation;

/* A call to a generic function, with its type arguments in terms of the
 * caller's generic parameters (outer owner's first, then the callee's own). */
typedef struct CallRecord {
    VxDecl *caller, *callee;
    VxType **args;
    int nargs;
    VxNode *site;                     /* the call expression (free functions), for the VM */
} CallRecord;

/* A use of a generalised `let` closure, with the types its variables
 * take there (for the VM, which compiles one closure per instantiation). */
typedef struct PolyUse {
    VxNode *binding, *use;            /* the `let` pattern, the name's use */
    VxType **quant, **inst;
    int n;
} PolyUse;

/* Impls indexed by the head of their self type (an ADT's declaration, or a
 * type kind for built-in types; 0 for blanket impls over a parameter). */
typedef struct ImplKey {
    uintptr_t key;
    VxDecl *impl;
} ImplKey;

/* A concrete instance produced by monomorphization. */
typedef struct Instance {
    VxDecl *decl;
    VxType **args;
    int nargs;
} Instance;

/* One entry of the --dump-types listing. */
typedef struct DumpEntry {
    const char *what;                 /* "let x", "param y", "fn f" */
    VxType *type;
    uint32_t offset;
    const VxSource *src;
    int seq;
} DumpEntry;

struct VxSema {
    VxTypes *types;
    int errors;
    VxDiags *diags;
    const VxSource *src;              /* file of the code being checked */
    VxArena arena;
    VX_VEC(Module *) modules;         /* [0] the prelude, [1] the program's file, then imports */
    VX_VEC(ModAlias) aliases;
    VX_VEC(Module *) loading;         /* the import chain being loaded, for cycle reports */
    Module *cur_mod;                  /* cache: the module of cur_src */
    const VxSource *cur_src;
    bool broken_import;               /* an imported file did not parse: checking stops */
    VX_VEC(VxDecl *) decls;           /* every declaration, in source order */
    VX_VEC(VxDecl *) impls;
    VX_VEC(Local) locals;
    VX_VEC(int) scopes;               /* index into locals where each scope starts */
    VxDecl *generic_scope;            /* whose generic parameters are visible */
    VxDecl *fn;                       /* function being checked */
    VxDecl *kernel;                   /* the kernel being checked: device rules apply */
    VxType *ret;                      /* its return type */
    VxType *self_type;                /* inside impls: what `Self` means */
    Loop loops[MAX_LOOPS];
    int nloops;
    int closure_depth;
    bool occurs_failed;               /* the last unification failed the occurs check */
    VX_VEC(DumpEntry) dump;
    VX_VEC(Obligation) obligations;   /* per function */
    VX_VEC(CallRecord) calls;         /* calls to generic functions, for monomorphization */
    VX_VEC(PolyUse) poly_uses;
    VxNode *call_site;                /* the call the next record_call is for */
    VX_VEC(Instance) instances;
    int *instance_slots;              /* hash set over instances (index + 1, 0 = empty) */
    uint32_t instance_cap;
    ImplKey *impl_index;              /* impls sorted by the head of their self type */
    int nimpl_index;
    VX_VEC(VxNode *) int_lits;        /* per function: range-checked at the end */
    VX_VEC(VxNode *) bindings;        /* per function: patterns whose types must be known at the end */
    VX_VEC(VxNode *) poly_closures;   /* per function: generalised closures (their calls may stay generic) */
    const char *bind_kind;            /* how check_pattern records bindings: "let", "for", ... */
    VxCheckOptions opt;
    /* well-known declarations from the prelude */
    VxDecl *option, *result, *range, *range_incl, *range_from, *range_to, *range_to_incl, *range_full;
    VxDecl *trait_eq, *trait_ord, *trait_num, *trait_float, *trait_int, *trait_copy, *trait_display;
};

typedef struct VxSema Sema;

/* sema.c: names and helpers */
const char *intern(Sema *s, const char *name);
VxDecl *lookup_global(Sema *s, const char *name);
void define_global(Sema *s, const char *name, VxDecl *d, VxNode *at);
enum { SEMA_LOCALS = 1u << 31,
       SEMA_TYPES = (1u << VX_D_STRUCT) | (1u << VX_D_ENUM) | (1u << VX_D_ALIAS),
       SEMA_VALUES = SEMA_LOCALS | (1u << VX_D_FN) | (1u << VX_D_CONST) };
int edit_distance(const char *a, const char *b);   /* transpositions count as one edit */
const char *closest_name(Sema *s, const char *name, unsigned kinds);   /* did-you-mean, or NULL */
VxDiag *sema_error(Sema *s, VxSpan span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
VxDiag *sema_warning(Sema *s, VxSpan span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *tname(Sema *s, VxType *t);
void record(Sema *s, const char *what, const char *name, VxType *t, VxNode *at);

/* scopes (sema.c) */
void push_scope(Sema *s);
void pop_scope(Sema *s);
Local *declare_local(Sema *s, const char *name, VxType *t, VxNode *at, bool mut);
Local *lookup_local(Sema *s, const char *name);

/* sema_types.c: type syntax to types */
VxType *resolve_type(Sema *s, VxNode *ty, bool allow_infer);
VxDecl *resolve_trait(Sema *s, VxNode *ty);
VxType *decl_type(Sema *s, VxDecl *d);                    /* Name<T...> with its own params */
VxType *path_head_type(Sema *s, const char *name);        /* `T`, `Self`, `i64` in `T::f` */
VxType *instantiate(Sema *s, VxDecl *d, VxType *t, VxType ***args_out);

/* sema_module.c: modules and imports */
VxSource *load_prelude(void);             /* the embedded one, or $VORTEX_STD/prelude.vx */
Module *add_module(Sema *s, const char *name, char *key, VxSource *src);
Module *module_of(Sema *s, const VxSource *src);
VxDecl *table_get(const NameTable *t, const char *name);
void table_put(NameTable *t, const char *name, VxDecl *d);
void import_module(Sema *s, VxNode *n);
bool module_member(Sema *s, VxNode *base, const char *name, const char **qual);  /* `m.name`, m a module */
bool module_member_error(Sema *s, VxSpan at, const char *name);   /* reports `m.x` not found or private */
void free_modules(Sema *s);

/* sema_collect.c: pass 1 */
void collect_items(Sema *s, VxNodeList items);
void resolve_decls(Sema *s);
void check_impls(Sema *s);                   /* impls of traits provide what the trait requires */

/* sema_unify.c */
bool unify(Sema *s, VxType *expected, VxType *got, VxSpan at);
bool try_unify(Sema *s, VxType *a, VxType *b);           /* no diagnostics; may still bind on success */
bool is_error(Sema *s, VxType *t);
VxType *resolved(Sema *s, VxType *t);

/* sema_traits.c */
bool implements(Sema *s, VxType *t, VxDecl *trait);
void index_impls(Sema *s);
bool check_bounds(Sema *s, VxDecl *d, VxType **args, VxSpan at);
void defer_bounds(Sema *s, VxDecl *d, VxType **args, VxSpan at);
void discharge_obligations(Sema *s);
VxDecl *find_method(Sema *s, VxType *recv, const char *name, VxType ***impl_args, int *nimpl_args);
/* An operator's impl method for `recv OP rhs` (rhs NULL: unary), chosen by both operand types. */
VxDecl *find_operator(Sema *s, VxType *recv, const char *name, VxType *rhs, VxType ***impl_args, int *nimpl_args);

/* sema_tensor.c */
VxType *tensor_shape_rule(Sema *s, VxDecl *fn, VxType *sig, VxNodeList args, VxNode *recv, VxType *ret, VxSpan at);
/* The argument given for parameter `name`, positionally or by name, or NULL. */
VxNode *tensor_arg(Sema *s, VxDecl *fn, VxNodeList args, bool method, const char *name);
bool tensor_int_literal(VxNode *e, int64_t *v);                  /* an integer literal, maybe negated */
bool tensor_axis(Sema *s, VxNode *e, int rank, int *out);        /* a literal dim, checked (errors) */
void tensor_dim_str(Sema *s, const VxDim *d, char *buf, size_t cap);
/* sema_tensor_shape.c: the rules of tensor_shape.h's ops for the first tensor t, or NULL for another rule. */
VxType *tensor_op_rule(Sema *s, const char *rule, VxType *t, VxDecl *fn, VxNodeList args, bool method, VxType *ret);

/* sema_expr.c, sema_stmt.c, sema_pat.c, sema_call.c */
VxType *infer_expr(Sema *s, VxNode *e, VxType *expected);
/* `x OP y` / `OP x` / `x[i]` on a user type through its operator trait's impl, or NULL. */
VxType *user_operator(Sema *s, VxType *l, const char *method, VxType *r, VxSpan rspan);
VxType *check_expr(Sema *s, VxNode *e, VxType *expected);   /* infer, then unify with expected */
VxType *check_args(Sema *s, VxNode *call, VxDecl *fn, VxType *sig, VxNodeList args, VxNode *recv);
VxType *check_struct_lit(Sema *s, VxNode *e);
VxType *check_path_value(Sema *s, VxNode *e, bool called);
VxVariant *find_variant(Sema *s, VxNode *path, VxDecl **enum_out);
bool is_place_mutable(Sema *s, VxNode *e, VxNode **binding);
Loop *find_loop(Sema *s, const char *label, VxSpan at, const char *what);
VxType *check_block(Sema *s, VxNode *block, VxType *expected);
void check_fn(Sema *s, VxDecl *fn);
void check_literal_ranges(Sema *s);          /* integer literals fit their final types */
void kernel_rule(Sema *s, VxNode *e, const char *what);   /* report `what` if inside a kernel */

/* sema_mono.c */
void record_call(Sema *s, VxDecl *callee, VxType **outer, int nouter, VxType **own, int nown);
void zonk_calls(Sema *s, int from);
void monomorphize(Sema *s);
void print_instances(Sema *s, FILE *out);
void check_kernel_signature(Sema *s, VxDecl *fn);
VxType *check_call(Sema *s, VxNode *call, VxType *expected);
VxType *check_method_call(Sema *s, VxNode *call);
void check_pattern(Sema *s, VxNode *pat, VxType *t, bool mut_bindings);
void check_match_exhaustive(Sema *s, VxNode *match, VxType *t);
/* `let`, `for` and closure parameter patterns must match every value */
void check_irrefutable(Sema *s, VxNode *pat, VxType *t, const char *what, const char *help);

#endif
