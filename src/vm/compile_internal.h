/* compile_internal.h - what the compiler's files (compile*.c) share: the compiler's
 * state (Comp), the kinds of values (VKind), and the functions used across files.
 *
 * One pass per function, in the manner of Lua's lcode.c: locals live in
 * fixed registers; temporaries are taken from `freereg` upwards and given
 * back in stack order.  expr_to(e, r) leaves e's value in register r;
 * expr(e) returns a register holding it (a local's own register when e is
 * a local, so no copy is made).  Every instruction records the span of the
 * expression it came from, for runtime errors. */
#ifndef VX_COMPILE_INTERNAL_H
#define VX_COMPILE_INTERNAL_H

#include "vm.h"

#include <stdlib.h>
#include <string.h>

#include "../util/vec.h"
#include "num.h"
#include "builtins.h"

enum { MAX_REGS = 65000, MAX_LOOPS = 64, MAX_PATH = 32 };

/* K_INT: integers up to 64 bits, in registers; K_WIDE: i128, u128, u256,
 * boxed (VxWideInt objects); K_HALF: f16 and bf16, held as f32.  kind_of's
 * `ik` is the integer kind for K_INT and K_WIDE, the VxFloatKind for K_HALF. */
typedef enum VKind { K_UNIT, K_BOOL, K_INT, K_WIDE, K_F64, K_F32, K_HALF, K_STR, K_ARR, K_REC, K_FN, K_MAP, K_TENSOR, K_HANDLE, K_NEVER, K_OTHER } VKind;

typedef struct DescKey { VxType *type; int variant; int index; } DescKey;

/* fixed: the variable is never assigned or changed in place (not `mut`,
 * not a `&mut`), so its register holds the same object all its life. */
typedef struct CLocal { const char *name; int reg; bool fixed; } CLocal;
typedef VX_VEC(int) IntVec;

typedef struct CLoop {
    const char *label;
    int dst;                          /* `loop`: where `break value` goes; -1 otherwise */
    int level;                        /* freereg at the loop's start: what a jump out releases above */
    int scope_locals;                 /* locals alive at the loop's start */
    int no_grad;                      /* no_grad blocks open at the loop's start */
    IntVec breaks, continues;         /* jumps to patch */
} CLoop;

/* A function to compile: a declaration and, for a generic one, the
 * concrete type arguments of this instance (hash-consed: compared by
 * pointer).  For a closure: the closure expression, inside decl's
 * instance, and the names it captures (with their types). */
typedef struct FuncRef {
    VxDecl *decl;
    VxType **args;
    int nargs;
    int index;
    VxNode *closure;
    const char **caps;
    VxType **cap_types;
    int ncaps;
    VxType **quant, **inst;           /* an instance of a let-polymorphic closure: its variables' types */
    int nquant;                       /* (with those of the instances it is inside, outermost first) */
    struct PolyReg *poly_caps;        /* a closure: its uses of let-polymorphic closures, by capture */
    int npoly_caps;
    bool as_value;                    /* a named function used as a value: called by CALLC, it owns every parameter */
} FuncRef;

/* A use of a let-polymorphic closure and the register of its instance:
 * the one whose types conc are the use's sema types inst in the instance
 * being compiled (a use inside another such closure has one per instance
 * of it); conc NULL: the only one. */
typedef struct PolyReg { VxNode *use; VxType **inst, **conc; int n; int reg; } PolyReg;

typedef struct Comp {
    VxSema *sema;
    const VxSource *src;
    VxDiags *diags;
    VxProgram *prog;
    VX_VEC(VxFunc) funcs;
    VX_VEC(FuncRef) refs;             /* declaration -> function index */
    VX_VEC(FuncRef) todo;             /* functions still to compile */
    VX_VEC(VxStr *) strings;
    VX_VEC(VxArr *) arrays;           /* constant arrays, made once per `const` */
    VX_VEC(VxWideInt *) wides;        /* wide integer constants */
    VX_VEC(VxDecl *) array_decls;     /* ... and the const each was made for */
    VX_VEC(VxRecDesc *) descs;
    VX_VEC(DescKey) desc_keys;        /* (type, variant) -> descs index */
    /* the function being compiled */
    VX_VEC(VxInstr) code;
    VX_VEC(VxSpan) spans;
    VX_VEC(VxValue) consts;
    VX_VEC(CLocal) locals;
    VX_VEC(PolyReg) poly;             /* uses of let-polymorphic closures in this function */
    int freereg, maxreg;
    bool owned[MAX_REGS];             /* register holds an object reference it must DROP */
    CLoop loops[MAX_LOOPS];
    int nloops;
    int no_grad;                      /* no_grad blocks open here (compile_tensor.c) */
    bool failed;
    uint64_t handback;                /* registers of `&mut` parameters: not owned, handed back on return */
    FuncRef cur;                      /* the function (instance) being compiled */
    int caps_lo, caps_hi;             /* a closure: the registers of its captures (read-only copies) */
    VxArena scratch;                  /* synthesised nodes */
} Comp;

/* A place to change (compile_place.c): a variable (root), and the path
 * below it, innermost step first, with each container's register. */
typedef struct PathStep { VxNode *node; bool index; int key; } PathStep;
typedef struct Place {
    VxNode *node;
    int root;                         /* the variable's register; -1: a temporary */
    int n;
    PathStep steps[MAX_PATH];
    int part[MAX_PATH];
} Place;

/* The names a pattern binds, each with its register. */
typedef struct Binding { const char *name; int reg; bool fixed; } Binding;   /* fixed: not `mut` */
typedef struct Bindings { Binding b[64]; int n; } Bindings;

/* compile.c */
void unsupported(Comp *c, VxNode *at, const char *what);
int emit(Comp *c, VxNode *at, VxOp op, int t, int a, int b, int cc);
int emit_jump(Comp *c, VxNode *at, VxOp op, int a);
void patch_here(Comp *c, int pc);
void jump_back(Comp *c, VxNode *at, int target);
void call_result_to(Comp *c, VxNode *at, int pc, int base, int dst);
int add_const(Comp *c, VxValue v);
int string_const(Comp *c, const char *s, uint32_t n);
int wide_const(Comp *c, VxWide v);
int alloc_reg(Comp *c, VxNode *at);
void release_to(Comp *c, VxNode *at, int save);
void release_on_exit(Comp *c, VxNode *at, int from, int keep);
void load_int(Comp *c, VxNode *at, int dst, int64_t v);
int find_local(Comp *c, const char *name);
void declare(Comp *c, const char *name, int reg);
void declare_fixed(Comp *c, const char *name, int reg);
int fixed_local(Comp *c, VxNode *e);
int add_func(Comp *c, FuncRef r);
int func_index(Comp *c, VxDecl *d, VxType **args, int nargs);
int value_func_index(Comp *c, VxDecl *d);
int local_of(Comp *c, VxNode *e);
bool is_handback(Comp *c, int r);
bool is_obj(Comp *c, VxNode *e);
int expr(Comp *c, VxNode *e);
void discard(Comp *c, VxNode *e);
CLoop *push_loop(Comp *c, VxNode *at, const char *label, int dst);
void pop_loop(Comp *c, int continue_target, int break_target);
void jump(Comp *c, VxNode *e);
void expr_to(Comp *c, VxNode *e, int dst);
void block_to(Comp *c, VxNode *b, int dst);

/* compile_type.c */
bool is_obj_kind(VKind k);
VxType *ctype(Comp *c, VxType *t);
VxType *deref_type(Comp *c, VxType *t);
VKind kind_of(Comp *c, VxType *t, int *ik);
VKind node_kind(Comp *c, VxNode *e, int *ik);
int elem_put_kind(Comp *c, VxType *t);
int map_part_kind(Comp *c, VxType *t);
int field_index(VxField *fs, int n, const char *name);
int record_fields(Comp *c, VxType *t, int v, VxType **out, int cap);
int desc_const(Comp *c, VxType *t, int v);
VxType *elem_type(Comp *c, VxNode *e);            /* of an array or a Range */
bool is_range(Comp *c, VxType *t);
int range_kind(Comp *c, VxType *t);
const char *kind_words(Comp *c, VxNode *e);

/* compile_expr.c */
void literal(Comp *c, VxNode *e, int dst);
bool const_array(Comp *c, VxDecl *d, int dst);
VxOp arith_op(VxTokKind op, VKind k, int ik, int *t);
VxOp compare_op(VKind k, int ik, int rel);
void binary(Comp *c, VxNode *e, int dst);
void unary(Comp *c, VxNode *e, int dst);
void cast(Comp *c, VxNode *e, int dst);
void assign(Comp *c, VxNode *e);
void array_lit(Comp *c, VxNode *e, int dst);
void array_repeat(Comp *c, VxNode *e, int dst);
void index_expr(Comp *c, VxNode *e, int dst);
int args_to_regs(Comp *c, VxNode **args, int n);   /* consecutive owned registers; returns the first */
void new_record(Comp *c, VxNode *at, VxNode **fields, int n, VxType *t, int variant, int dst);
void struct_lit(Comp *c, VxNode *e, int dst);
void range_value(Comp *c, VxNode *e, int dst);
bool variant_call(Comp *c, VxNode *e, int dst);
bool variant_value(Comp *c, VxNode *e, int dst);
void field_get(Comp *c, VxNode *e, VxNode *base, int index, int dst);
int struct_field_index(Comp *c, VxNode *base, const char *name);

/* compile_call.c */
int put_kind(Comp *c, VxNode *e);
bool map_update_in_place(Comp *c, VxNode *e);
void emit_call(Comp *c, VxNode *e, VxDecl *d, VxType **targs, int ntargs, VxNode **argv, int dst);
bool handback_param(Comp *c, VxDecl *d, int i);
bool param_fixed(Comp *c, VxDecl *d, int i);
void call(Comp *c, VxNode *e, int dst);
bool option_like(Comp *c, VxType *t);
void method_call(Comp *c, VxNode *e, int dst);
void finish_option(Comp *c, VxNode *at, VxType *t, int v, int dst, int to_none);
bool map_method(Comp *c, VxNode *e, int dst);

/* compile_mutate.c */
bool mutating_method(Comp *c, VxNode *e, int dst);

/* compile_place.c */
bool place_begin(Comp *c, VxNode *e, Place *p, bool temp_ok);
int place_descend(Comp *c, VxNode *at, Place *p);
void place_ascend(Comp *c, VxNode *at, Place *p);
void place_take(Comp *c, VxNode *at, Place *p, int slot);
void place_put(Comp *c, VxNode *at, Place *p, int slot);

/* compile_closure.c */
void closure_value(Comp *c, VxNode *e, int dst);
void poly_let(Comp *c, VxNode *s);
int poly_reg(Comp *c, VxNode *e, bool *is_use);
bool function_value(Comp *c, VxNode *e, int dst);
void closure_call(Comp *c, VxNode *e, int dst);
bool assigns_capture(Comp *c, VxNode *target);
bool array_hof(Comp *c, VxNode *at, const char *name, VxNode *arr_node, VxNode **args, int nargs, int dst);

/* compile_tensor.c: each returns false when e has no tensor operand */
bool ct_is_tensor(Comp *c, VxNode *e);
bool ct_dtype_ok(Comp *c, VxType *t);
bool ct_binary(Comp *c, VxNode *e, int dst);
bool ct_unary(Comp *c, VxNode *e, int dst);
bool ct_cast(Comp *c, VxNode *e, int dst);
bool ct_index(Comp *c, VxNode *e, int dst);
bool ct_assign(Comp *c, VxNode *e);
bool ct_field(Comp *c, VxNode *e, int dst);
bool ct_call(Comp *c, VxNode *call, VxDecl *d, int dst);
bool ct_method(Comp *c, VxNode *e, int dst);
int ct_unbind(Comp *c, VxNode *iter, VxType *elem);     /* `for row in t`: the array of rows, in a new owned register */
void ct_no_grad(Comp *c, VxNode *e, int dst);
void ct_no_grad_exit(Comp *c, VxNode *at, int level);

/* compile_match.c */
void alloc_bindings(Comp *c, VxNode *p, Bindings *bs);
void declare_bindings(Comp *c, Bindings *bs);
void pattern_bind(Comp *c, VxNode *p, int r, Bindings *bs);
int scrutinee(Comp *c, VxNode *e, bool borrow);
void match_expr(Comp *c, VxNode *e, int dst);
void if_let(Comp *c, VxNode *e, int dst);
void while_let(Comp *c, VxNode *e);
void let_pattern(Comp *c, VxNode *s);
void try_expr(Comp *c, VxNode *e, int dst);

#endif
