/* ast.h - the syntax tree.
 *
 * One node type for items, statements, expressions, patterns and types; the
 * kind says which union member is live.  Every node has a source span.
 * Nodes live in the file's arena.  Lists are arena arrays.  Sema records
 * each node's type in `type`. */
#ifndef VX_AST_H
#define VX_AST_H

#include <stdbool.h>
#include <stdio.h>

#include "token.h"

/* ORDER NODE: node kinds with their dump names (X-macro). */
#define VX_NODE_KINDS(X)                                                   \
    /* items */                                                            \
    X(FILE, "File") X(IMPORT, "Import") X(IMPORT_NAME, "ImportName")       \
    X(CONST, "Const") X(TYPE_ALIAS, "TypeAlias") X(STRUCT, "Struct")       \
    X(FIELD, "Field") X(ENUM, "Enum") X(VARIANT, "Variant")                \
    X(TRAIT, "Trait") X(IMPL, "Impl") X(FN, "Fn") X(PARAM, "Param")        \
    X(ASSOC_TYPE, "AssocType") X(GENERIC, "Generic") X(WHERE, "Where")     \
    X(ATTR, "Attr")                                                        \
    /* statements */                                                       \
    X(LET, "Let") X(EXPR_STMT, "ExprStmt")                                 \
    /* expressions */                                                      \
    X(INT, "Int") X(FLOAT, "Float") X(STRING, "String") X(BOOL, "Bool")    \
    X(IDENT, "Ident") X(PATH, "Path") X(SELF, "SelfValue")                 \
    X(UNARY, "Unary") X(BINARY, "Binary") X(ASSIGN, "Assign")              \
    X(CAST, "Cast") X(CALL, "Call") X(NAMED_ARG, "NamedArg")               \
    X(METHOD_CALL, "MethodCall") X(FIELD_ACCESS, "FieldAccess")            \
    X(TUPLE_INDEX, "TupleIndex") X(INDEX, "Index") X(FULL_SLICE, "FullSlice") \
    X(RANGE, "Range") X(TRY, "Try") X(TUPLE, "Tuple") X(ARRAY, "Array")    \
    X(ARRAY_REPEAT, "ArrayRepeat") X(STRUCT_LIT, "StructLit")              \
    X(FIELD_INIT, "FieldInit") X(BLOCK, "Block") X(IF, "If")               \
    X(MATCH, "Match") X(ARM, "Arm") X(WHILE, "While") X(LOOP, "Loop")      \
    X(FOR, "For") X(BREAK, "Break") X(CONTINUE, "Continue")                \
    X(RETURN, "Return") X(CLOSURE, "Closure") X(NO_GRAD, "NoGrad")         \
    X(ERROR, "Error")                                                      \
    /* patterns */                                                         \
    X(PAT_WILD, "PatWild") X(PAT_IDENT, "PatIdent") X(PAT_LIT, "PatLit")   \
    X(PAT_RANGE, "PatRange") X(PAT_TUPLE, "PatTuple") X(PAT_PATH, "PatPath") \
    X(PAT_TUPLE_STRUCT, "PatTupleStruct") X(PAT_STRUCT, "PatStruct")       \
    X(PAT_FIELD, "PatField") X(PAT_OR, "PatOr") X(PAT_REST, "PatRest")     \
    X(PAT_ARRAY, "PatArray")                                               \
    /* types */                                                            \
    X(TY_PATH, "TyPath") X(TY_ARRAY, "TyArray") X(TY_SLICE, "TySlice")     \
    X(TY_TUPLE, "TyTuple") X(TY_REF, "TyRef") X(TY_FN, "TyFn")             \
    X(TY_TENSOR, "TyTensor") X(TY_INFER, "TyInfer") X(DIM, "Dim")          \
    X(PATH_SEG, "PathSeg")

typedef enum VxNodeKind {
#define X(name, text) VX_N_##name,
    VX_NODE_KINDS(X)
#undef X
    VX_N_COUNT
} VxNodeKind;

/* Operators of UNARY, BINARY and ASSIGN nodes are token kinds (TK_PLUS, ...);
 * the unary ones are TK_MINUS, TK_BANG, TK_STAR (deref), TK_AMP (borrow). */

typedef struct VxNode VxNode;

typedef struct VxNodeList {
    VxNode **items;
    int len;
} VxNodeList;

typedef enum { VX_SELF_NONE, VX_SELF_VALUE, VX_SELF_REF, VX_SELF_REF_MUT } VxSelfKind;
typedef enum { VX_VARIANT_UNIT, VX_VARIANT_TUPLE, VX_VARIANT_STRUCT } VxVariantKind;
typedef enum { VX_DIM_INT, VX_DIM_NAME, VX_DIM_ANY } VxDimKind;

struct VxNode {
    VxNodeKind kind;
    VxSpan span;
    VxNodeList *attrs;                /* ATTR nodes on items and statements; NULL if none */
    void *type;                       /* set by sema */
    union {
        struct { VxNodeList items; } file;
        struct { const char **path; int npath; const char *alias; VxNodeList names; bool is_pub; } import;
        struct { const char *name; const char *alias; } import_name;
        /* CONST; also `const N: usize` generics use GENERIC */
        struct { const char *name; VxNode *type; VxNode *value; bool is_pub; } konst;
        struct { const char *name; VxNodeList generics; VxNode *type; bool is_pub; } alias;
        struct { const char *name; VxNodeList generics, where, fields; bool is_pub; } strukt;
        struct { const char *name; VxNode *type; VxNode *value; bool is_pub; } field;   /* FIELD */
        struct { const char *name; VxNodeList generics, where, variants; bool is_pub; } enom;
        struct { const char *name; VxVariantKind shape; VxNodeList types; VxNodeList fields; VxNode *value; } variant;
        struct { const char *name; VxNodeList generics, bounds, where, items; bool is_pub; } trait;
        struct { VxNodeList generics, where, items; VxNode *trait; VxNode *self_type; } impl;
        struct {
            const char *name;
            VxNodeList generics, params, where;
            VxNode *ret;              /* NULL: returns () */
            VxNode *body;             /* NULL: a trait method without default */
            bool is_kernel, is_pub;
        } fn;
        struct { const char *name; VxNode *pat; VxNode *type; VxNode *value; VxSelfKind self; bool mut; } param;  /* pat: closure params like |(a, b)| */
        struct { const char *name; VxNodeList bounds; VxNode *value; } assoc_type;
        struct { const char *name; VxNodeList bounds; VxNode *const_type; } generic;
        struct { VxNode *type; VxNodeList bounds; } where;
        struct { const char *name; VxNodeList args; } attr;

        struct { VxNode *pat; VxNode *type; VxNode *value; bool mut; bool is_var; } let;
        struct { VxNode *expr; bool semi; } expr_stmt;

        struct { VxU256 value; VxSuffix suffix; bool negated; } int_lit;   /* negated: set by sema under unary `-` */
        struct { double value; VxSuffix suffix; const char *text; } float_lit;
        struct { const char *value; uint32_t len; } str;
        bool boolean;
        struct { const char *name; } ident;
        struct { VxNodeList segs; } path;                     /* PATH, TY_PATH, PAT_PATH */
        struct { const char *name; VxNodeList args; } seg;    /* PATH_SEG */
        struct { VxTokKind op; VxNode *operand; } unary;
        struct { VxTokKind op; VxNode *lhs, *rhs; } binary;   /* BINARY, ASSIGN */
        struct { VxNode *expr; VxNode *type; } cast;
        struct { VxNode *callee; VxNodeList args; } call;
        struct { const char *name; VxNode *value; } named_arg;
        struct { VxNode *recv; const char *name; VxNodeList generic_args, args; } method;
        struct { VxNode *expr; const char *name; } field_access;
        struct { VxNode *expr; uint32_t index; } tuple_index;
        struct { VxNode *expr; VxNodeList indices; } index;
        struct { VxNode *lo, *hi; bool inclusive; } range;  /* RANGE, PAT_RANGE */
        struct { VxNode *expr; } try_;
        struct { VxNodeList elems; } list;                  /* TUPLE, ARRAY, PAT_TUPLE, PAT_ARRAY, PAT_OR, TY_TUPLE */
        struct { VxNode *value; VxNode *count; } repeat;
        struct { VxNode *path; VxNodeList fields; } struct_lit;  /* path is a PATH */
        struct { const char *name; VxNode *value; } field_init;  /* value NULL: shorthand */
        struct { VxNodeList stmts; } block;
        struct { VxNode *pat; VxNode *cond; VxNode *then, *els; } if_;   /* pat: `if let` */
        struct { VxNode *scrutinee; VxNodeList arms; } match;
        struct { VxNode *pat; VxNode *guard; VxNode *body; } arm;
        struct { const char *label; VxNode *pat; VxNode *cond; VxNode *body; } while_;
        struct { const char *label; VxNode *body; } loop;
        struct { const char *label; VxNode *pat; VxNode *iter; VxNode *body; } for_;
        struct { const char *label; VxNode *value; } jump;  /* BREAK, CONTINUE, RETURN */
        struct { VxNodeList params; VxNode *ret; VxNode *body; } closure;
        struct { VxNode *body; } no_grad;

        struct { const char *name; bool mut; } pat_ident;
        struct { VxNode *expr; } pat_lit;
        struct { VxNode *path; VxNodeList elems; } pat_tuple_struct;
        struct { VxNode *path; VxNodeList fields; bool rest; } pat_struct;
        struct { const char *name; VxNode *pat; } pat_field;   /* pat NULL: shorthand */

        struct { VxNode *elem; VxNode *len; } ty_array;     /* TY_ARRAY: len; TY_SLICE: len NULL */
        struct { VxNode *inner; bool mut; } ty_ref;
        struct { VxNodeList params; VxNode *ret; } ty_fn;
        struct { VxNode *dtype; VxNodeList dims; bool has_shape; } ty_tensor;
        struct { VxDimKind kind; int64_t value; const char *name; } dim;
    } u;
};

typedef struct VxDumpOptions {
    bool spans;                       /* append @line:col-line:col to every node */
} VxDumpOptions;

const char *vx_node_name(VxNodeKind k);
/* Print the tree in the stable, indented form used by `vortex parse --dump`. */
void vx_ast_dump(FILE *out, const VxSource *src, const VxNode *root, VxDumpOptions opt);
/* Write a type or pattern in source syntax into buf (truncates). */
void vx_type_str(const VxNode *t, char *buf, size_t cap);
void vx_pat_str(const VxNode *p, char *buf, size_t cap);
/* Decimal text of a 256-bit integer. */
void vx_u256_str(const VxU256 *v, char *buf, size_t cap);

#endif
