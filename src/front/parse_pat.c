/* parse_pat.c - patterns, as in `let`, `match` arms, `for` and closure
 * parameters. */
#include "parse_internal.h"

#include <string.h>

static bool is_underscore(const Parser *p)
{
    const VxToken *t = cur(p);
    return t->kind == TK_IDENT && t->span.end - t->span.start == 1 && p->src->text[t->span.start] == '_';
}

/* pats = [ pattern { "," pattern } [","] ]  up to `close` */
static VxNodeList parse_pattern_list(Parser *p, VxTokKind close)
{
    NodeVec v = {0};
    VxSpan open = cur(p)->span;
    advance(p);
    while (!at(p, close) && !at(p, TK_EOF)) {
        vx_vec_push(&v, parse_pattern(p));
        if (!eat(p, TK_COMMA) || p->panic) break;
    }
    expect_closing(p, close, open);
    return to_list(p, &v);
}

/* literal = [ "-" ] ( INT | FLOAT ) | STRING | "true" | "false" */
static VxNode *parse_pat_literal(Parser *p)
{
    if (!at(p, TK_MINUS)) {
        if (at(p, TK_INT) || at(p, TK_FLOAT) || at(p, TK_STRING) || at(p, TK_TRUE) || at(p, TK_FALSE))
            return parse_literal(p);
        expected(p, "a literal");
        return error_node(p);
    }
    VxNode *n = new_node(p, VX_N_UNARY, cur(p)->span.start);
    advance(p);
    n->u.unary.op = TK_MINUS;
    if (!at(p, TK_INT) && !at(p, TK_FLOAT)) { expected(p, "a number after `-`"); return error_node(p); }
    n->u.unary.operand = parse_literal(p);
    return finish(p, n);
}

/* literal_pat = literal [ ( ".." | "..=" ) [ literal ] ] */
static VxNode *parse_literal_pat(Parser *p)
{
    VxNode *n = new_node(p, VX_N_PAT_LIT, cur(p)->span.start);
    VxNode *lit = parse_pat_literal(p);
    if (!at(p, TK_DOTDOT) && !at(p, TK_DOTDOTEQ)) {
        n->u.pat_lit.expr = lit;
        return finish(p, n);
    }
    n->kind = VX_N_PAT_RANGE;
    n->u.range.lo = lit;
    n->u.range.inclusive = advance(p)->kind == TK_DOTDOTEQ;
    if (n->u.range.inclusive || at(p, TK_INT) || at(p, TK_FLOAT) || at(p, TK_MINUS))
        n->u.range.hi = parse_pat_literal(p);
    return finish(p, n);
}

/* field_pat = IDENT [ ":" pattern ] | ".." */
static VxNode *parse_field_pats(Parser *p, VxNode *n)
{
    VxSpan open = cur(p)->span;
    advance(p);
    NodeVec fields = {0};
    for (;;) {
        skip_newlines(p);
        if (at(p, TK_RBRACE) || at(p, TK_EOF)) break;
        if (eat(p, TK_DOTDOT)) { n->u.pat_struct.rest = true; skip_newlines(p); break; }
        VxNode *f = new_node(p, VX_N_PAT_FIELD, cur(p)->span.start);
        f->u.pat_field.name = expect_ident(p, "a field name in the pattern");
        if (eat(p, TK_COLON)) f->u.pat_field.pat = parse_pattern(p);
        vx_vec_push(&fields, finish(p, f));
        skip_newlines(p);
        if (!eat(p, TK_COMMA) || p->panic) break;
    }
    expect_closing(p, TK_RBRACE, open);
    n->u.pat_struct.fields = to_list(p, &fields);
    return finish(p, n);
}

/* path_pat = path [ "(" pats ")" | "{" field_pat { "," field_pat } "}" ]
 * (a lone name is a binding; sema decides when it names a unit variant) */
static VxNode *parse_path_pat(Parser *p)
{
    uint32_t start = cur(p)->span.start;
    VxNode *path = new_node(p, VX_N_PAT_PATH, start);
    NodeVec segs = {0};
    do {
        VxNode *seg = new_node(p, VX_N_PATH_SEG, cur(p)->span.start);
        const char *qual = segs.len == 0 ? qualified_name(p, false) : NULL;
        if (qual) seg->u.seg.name = qual;
        else if (eat(p, TK_SELF_TYPE)) seg->u.seg.name = "Self";
        else seg->u.seg.name = expect_ident(p, "a name in the pattern");
        vx_vec_push(&segs, finish(p, seg));
    } while (!p->panic && eat(p, TK_COLONCOLON));
    path->u.path.segs = to_list(p, &segs);
    finish(p, path);
    if (at(p, TK_LPAREN)) {
        VxNode *n = new_node(p, VX_N_PAT_TUPLE_STRUCT, start);
        n->u.pat_tuple_struct.path = path;
        n->u.pat_tuple_struct.elems = parse_pattern_list(p, TK_RPAREN);
        return finish(p, n);
    }
    if (at(p, TK_LBRACE) && !p->no_struct) {
        VxNode *n = new_node(p, VX_N_PAT_STRUCT, start);
        n->u.pat_struct.path = path;
        return parse_field_pats(p, n);
    }
    if (path->u.path.segs.len == 1 && strcmp(path->u.path.segs.items[0]->u.seg.name, "Self") != 0) {
        VxNode *n = new_node(p, VX_N_PAT_IDENT, start);
        n->u.pat_ident.name = path->u.path.segs.items[0]->u.seg.name;
        return finish(p, n);
    }
    return path;
}

static VxNode *tuple_or_group(Parser *p)
{
    VxNode *n = new_node(p, VX_N_PAT_TUPLE, cur(p)->span.start);
    bool empty = peek_kind(p, 1) == TK_RPAREN;
    n->u.list.elems = parse_pattern_list(p, TK_RPAREN);
    finish(p, n);
    /* `(p)` groups; `(p,)` is a 1-tuple. */
    if (!empty && n->u.list.elems.len == 1 && p->toks[p->pos - 2].kind != TK_COMMA)
        return n->u.list.elems.items[0];
    return n;
}

/* pattern_alt = "_" | ".." | [ "mut" ] IDENT | path_pat | literal_pat [ range ]
 *             | "(" pats ")" | "[" pats "]" */
VxNode *parse_pattern_alt(Parser *p)
{
    if (!enter(p)) return error_node(p);
    VxNode *n;
    uint32_t start = cur(p)->span.start;
    switch (kind(p)) {
    case TK_IDENT:
        if (is_underscore(p)) {
            n = new_node(p, VX_N_PAT_WILD, start);
            advance(p);
            finish(p, n);
        } else {
            n = parse_path_pat(p);
        }
        break;
    case TK_SELF_TYPE: n = parse_path_pat(p); break;
    case TK_MUT:
        advance(p);
        n = new_node(p, VX_N_PAT_IDENT, start);
        n->u.pat_ident.mut = true;
        n->u.pat_ident.name = expect_ident(p, "a name after `mut`");
        finish(p, n);
        break;
    case TK_DOTDOT:
        n = new_node(p, VX_N_PAT_REST, start);
        advance(p);
        finish(p, n);
        break;
    case TK_LPAREN: n = tuple_or_group(p); break;
    case TK_LBRACKET:
        n = new_node(p, VX_N_PAT_ARRAY, start);
        n->u.list.elems = parse_pattern_list(p, TK_RBRACKET);
        finish(p, n);
        break;
    case TK_INT: case TK_FLOAT: case TK_STRING: case TK_TRUE: case TK_FALSE: case TK_MINUS:
        n = parse_literal_pat(p);
        break;
    default: {
        if (kind(p) >= TK_FIRST_RESERVED) {             /* `let async = 1` */
            n = new_node(p, VX_N_PAT_IDENT, start);
            n->u.pat_ident.name = expect_ident(p, "a pattern");
            finish(p, n);
            break;
        }
        VxDiag *g = expected(p, "a pattern");
        if (kind(p) >= TK_AS)
            vx_diag_help(p->diags, g, "`%s` is a keyword and cannot be used as a name", ident_text(p, cur(p)));
        n = error_node(p);
    }
    }
    leave(p);
    return n;
}

/* pattern = pattern_alt { "|" pattern_alt } */
VxNode *parse_pattern(Parser *p)
{
    VxNode *first = parse_pattern_alt(p);
    if (!at(p, TK_PIPE)) return first;
    VxNode *n = new_node(p, VX_N_PAT_OR, first->span.start);
    NodeVec alts = {0};
    vx_vec_push(&alts, first);
    while (eat(p, TK_PIPE) && !p->panic) vx_vec_push(&alts, parse_pattern_alt(p));
    n->u.list.elems = to_list(p, &alts);
    return finish(p, n);
}
