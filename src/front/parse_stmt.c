/* parse_stmt.c - blocks and statements.  A statement ends at a newline or
 * `;`, or just before the `}` that closes its block. */
#include "parse_internal.h"

#include <string.h>

/* let_stmt = ( "let" [ "mut" ] | "var" ) pattern [ ":" type ] [ "=" expr ] */
static VxNode *parse_let(Parser *p)
{
    VxNode *n = new_node(p, VX_N_LET, cur(p)->span.start);
    const VxToken *kw = advance(p);
    n->u.let.is_var = kw->kind == TK_VAR;
    n->u.let.mut = n->u.let.is_var || eat(p, TK_MUT);
    if (at(p, TK_EQ) || at(p, TK_NEWLINE)) {
        VxDiag *g = expected(p, "a name or pattern to bind");
        vx_diag_help(p->diags, g, "give the value a name, as in `%s x = 5`", n->u.let.is_var ? "var" : "let");
        return finish(p, n);
    }
    n->u.let.pat = parse_pattern(p);
    if (at(p, TK_COLON)) {
        uint32_t colon_end = cur(p)->span.end;
        advance(p);
        if (at(p, TK_EQ)) {
            VxDiag *g = expected(p, "a type after `:`");
            if (cur(p)->span.start == colon_end)
                vx_diag_help(p->diags, g, "`:=` is not Vortex syntax; write `let x = value` or `let x: T = value`");
            else
                vx_diag_help(p->diags, g, "write the type, as in `let x: f64 = value`, or leave out the `:`");
            return finish(p, n);
        }
        n->u.let.type = parse_type(p);
    }
    if (eat(p, TK_EQ)) {
        if (at(p, TK_NEWLINE) || at(p, TK_EOF) || at(p, TK_RBRACE)) expected(p, "an expression after `=`");
        else n->u.let.value = parse_expr(p);
    }
    return finish(p, n);
}

static bool is_block_like(const VxNode *e)
{
    switch (e->kind) {
    case VX_N_BLOCK: case VX_N_IF: case VX_N_MATCH: case VX_N_WHILE: case VX_N_LOOP:
    case VX_N_FOR: case VX_N_NO_GRAD:
        return true;
    default:
        return false;
    }
}

/* stmt = { attribute } ( let_stmt | item | expr ) [ ";" ] */
VxNode *parse_stmt(Parser *p)
{
    VxNodeList attrs = parse_attributes(p);
    uint32_t start = attrs.len ? attrs.items[0]->span.start : cur(p)->span.start;
    VxNode *n;
    if (at(p, TK_LET) || at(p, TK_VAR)) {
        n = parse_let(p);
    } else if (at_item_start(p)) {
        return parse_item(p, attrs);
    } else {
        n = new_node(p, VX_N_EXPR_STMT, cur(p)->span.start);
        n->u.expr_stmt.expr = parse_expr(p);
        finish(p, n);
    }
    n->attrs = attr_ptr(p, attrs);
    n->span.start = start;
    return n;
}

/* After a statement: a newline, `;`, or the block's `}` must follow, except
 * after block-like expressions (`if x {} y()` is fine). */
static void end_stmt(Parser *p, VxNode *s)
{
    if (p->panic) return;
    if (at(p, TK_SEMI)) {
        if (s->kind == VX_N_EXPR_STMT) s->u.expr_stmt.semi = true;
        advance(p);
        return;
    }
    if (at(p, TK_NEWLINE) || at(p, TK_RBRACE) || at(p, TK_EOF)) return;
    bool block_like = s->kind == VX_N_EXPR_STMT ? is_block_like(s->u.expr_stmt.expr)
                                                : s->kind != VX_N_LET && s->kind != VX_N_CONST &&
                                                  s->kind != VX_N_TYPE_ALIAS && s->kind != VX_N_IMPORT;
    if (block_like) return;
    if (at(p, TK_RPAREN) || at(p, TK_RBRACKET)) {
        VxDiag *g = error_here(p, "unexpected closing delimiter %s", vx_tok_name(kind(p)));
        vx_diag_primary(p->diags, g, "no matching opening delimiter");
        vx_diag_help(p->diags, g, "remove it, or add the missing %s", at(p, TK_RPAREN) ? "`(`" : "`[`");
        return;
    }
    if (at(p, TK_IDENT) && cur(p)->span.end - cur(p)->span.start == 4 &&
        memcmp(p->src->text + cur(p)->span.start, "elif", 4) == 0) {
        VxDiag *g = expected(p, "`;` or a new line after the statement");
        vx_diag_help(p->diags, g, "Vortex writes `else if`, not `elif`");
        return;
    }
    VxDiag *g = expected(p, "`;` or a new line after the statement");
    if (at(p, TK_IDENT) || at(p, TK_INT) || at(p, TK_FLOAT) || at(p, TK_STRING))
        vx_diag_help(p->diags, g, "is an operator or a `,` missing before this?");
}

/* block = "{" { stmt } "}" */
VxNode *parse_block(Parser *p)
{
    VxNode *n = new_node(p, VX_N_BLOCK, cur(p)->span.start);
    VxSpan open = cur(p)->span;
    if (!expect(p, TK_LBRACE, NULL)) return finish(p, n);
    if (!enter(p)) { sync_stmt(p); return finish(p, n); }
    NodeVec stmts = {0};
    for (;;) {
        skip_newlines(p);
        if (at(p, TK_RBRACE) || at(p, TK_EOF)) break;
        int before = p->pos;
        p->chain = 0;
        VxNode *s = parse_stmt(p);
        vx_vec_push(&stmts, s);
        end_stmt(p, s);
        if (p->panic) sync_stmt(p);
        if (p->pos == before) advance(p);
    }
    leave(p);
    expect_closing(p, TK_RBRACE, open);
    n->u.block.stmts = to_list(p, &stmts);
    return finish(p, n);
}
