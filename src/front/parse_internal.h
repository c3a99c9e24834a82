/* parse_internal.h - state and helpers shared by the parse_*.c files
 * (items, statements, expressions, patterns, types).  Not a public API. */
#ifndef VX_PARSE_INTERNAL_H
#define VX_PARSE_INTERNAL_H

#include "parser.h"
#include "../util/vec.h"

enum {
    MAX_DEPTH = 256,                  /* nesting limit: deeper input is an error, not a stack overflow */
    MAX_LABELS = 64,
    MAX_CHAIN = 10000,                /* operators in one left-leaning chain (`a+b+c...`, `x.f.g...`) */
};

typedef struct Parser {
    const VxSource *src;
    VxArena *arena;
    VxDiags *diags;
    const VxToken *toks;
    const VxTokens *tokens;           /* for the lexer's notes: truncation, error lines */
    bool eof_reported;                /* "unclosed delimiter" is said once */
    VxToken split;                    /* what is left of a `>>` after its first `>` was taken */
    bool have_split;                  /* cur() is `split`, not toks[pos] */
    int pos, ntoks;
    int depth;                        /* recursion depth, bounded by MAX_DEPTH */
    int errors;
    bool panic;                       /* after an error: stay quiet until resynchronised */
    bool too_deep;
    int chain;                        /* length of the current operator chain */
    int in_members;                   /* inside an impl or trait body: method names may be keywords */
    int no_struct;                    /* >0: `Name {` is not a struct literal (if/while/match heads) */
    const char *labels[MAX_LABELS];   /* enclosing loop labels, innermost last */
    int nlabels;
} Parser;

typedef VX_VEC(VxNode *) NodeVec;

/* tokens */
const VxToken *cur(const Parser *p);
const VxToken *peek_tok(const Parser *p, int ahead);
VxTokKind kind(const Parser *p);
VxTokKind peek_kind(const Parser *p, int ahead);
bool at(const Parser *p, VxTokKind k);
const VxToken *advance(Parser *p);
bool eat(Parser *p, VxTokKind k);
void skip_newlines(Parser *p);
bool eat_gt(Parser *p);               /* accepts `>`, splitting `>>` `>=` `>>=` */
bool at_gt(const Parser *p);
uint32_t prev_end(const Parser *p);   /* end offset of the last consumed token */

/* errors */
VxDiag *error_at(Parser *p, VxSpan span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
VxDiag *error_here(Parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *describe(const VxToken *t);     /* "`)`", "identifier `x`", "newline" */
VxDiag *expected(Parser *p, const char *what);    /* expected WHAT, found TOKEN */
bool expect(Parser *p, VxTokKind k, const char *context);
bool expect_closing(Parser *p, VxTokKind k, VxSpan opener);
const char *expect_ident(Parser *p, const char *what);
void sync_stmt(Parser *p);
void sync_item(Parser *p);

/* nodes and lists */
VxNode *new_node(Parser *p, VxNodeKind k, uint32_t start);
VxNode *finish(Parser *p, VxNode *n);        /* span ends at the last consumed token */
VxNode *error_node(Parser *p);
VxNodeList to_list(Parser *p, NodeVec *v);   /* copies into the arena and frees v */
VxNodeList *attr_ptr(Parser *p, VxNodeList attrs);
const char *ident_text(Parser *p, const VxToken *t);
const char *qualified_name(Parser *p, bool in_type);   /* `module.Name`, or NULL */
bool enter(Parser *p);                       /* depth guard: false when too deep */
bool chain_ok(Parser *p);                    /* false when a chain grows past MAX_CHAIN */
void leave(Parser *p);

/* grammar entry points, one file each */
VxNode *parse_item(Parser *p, VxNodeList attrs);
VxNodeList parse_attributes(Parser *p);
bool at_item_start(const Parser *p);
VxNodeList parse_generics(Parser *p);
VxNode *parse_block(Parser *p);
VxNode *parse_stmt(Parser *p);
VxNode *parse_expr(Parser *p);
VxNode *parse_expr_no_struct(Parser *p);
VxNode *parse_literal(Parser *p);            /* INT FLOAT STRING true false */
VxNodeList parse_call_args(Parser *p);
bool can_begin_expr(VxTokKind k);
VxNode *parse_pattern(Parser *p);
VxNode *parse_pattern_alt(Parser *p);        /* one alternative: no top-level `|` */
VxNode *parse_type(Parser *p);
VxNodeList parse_type_bounds(Parser *p);
VxNodeList parse_generic_args(Parser *p);    /* after `<`, through `>` */

#endif
