/* parse_expr.c - expressions: Pratt precedence climbing for binary
 * operators, recursive descent for everything else.
 *
 * Precedence, loosest first (all left-associative unless marked):
 *    1  = += -= *= /= %= &= |= ^= <<= >>=      right
 *    2  .. ..=                                  none
 *    3  ||
 *    4  &&
 *    5  == != < > <= >=                         none (chains are an error)
 *    6  |      7  ^      8  &      9  << >>
 *   10  + -
 *   11  * / % @ .* ./
 *   12  as
 *   13  unary - ! * & &mut                      prefix
 *   14  **                                      right; binds tighter than unary minus
 *   15  calls, indexing, fields, methods, ?     postfix */
#include "parse_internal.h"

#include <string.h>

static VxNode *parse_expr_bp(Parser *p, int min_prec);
static VxNode *parse_unary(Parser *p);

enum { PREC_ASSIGN = 1, PREC_RANGE = 2, PREC_COMPARE = 5, PREC_AS = 12 };

static int infix_prec(VxTokKind k)
{
    switch (k) {
    case TK_EQ: case TK_PLUSEQ: case TK_MINUSEQ: case TK_STAREQ: case TK_SLASHEQ:
    case TK_PERCENTEQ: case TK_AMPEQ: case TK_PIPEEQ: case TK_CARETEQ: case TK_SHLEQ:
    case TK_SHREQ:
        return PREC_ASSIGN;
    case TK_DOTDOT: case TK_DOTDOTEQ: return PREC_RANGE;
    case TK_PIPEPIPE: return 3;
    case TK_AMPAMP: return 4;
    case TK_EQEQ: case TK_NE: case TK_LT: case TK_GT: case TK_LE: case TK_GE: return PREC_COMPARE;
    case TK_PIPE: return 6;
    case TK_CARET: return 7;
    case TK_AMP: return 8;
    case TK_SHL: case TK_SHR: return 9;
    case TK_PLUS: case TK_MINUS: return 10;
    case TK_STAR: case TK_SLASH: case TK_PERCENT: case TK_AT: case TK_DOTSTAR: case TK_DOTSLASH: return 11;
    case TK_AS: return PREC_AS;
    default: return 0;
    }
}

bool can_begin_expr(VxTokKind k)
{
    switch (k) {
    case TK_INT: case TK_FLOAT: case TK_STRING: case TK_TRUE: case TK_FALSE: case TK_IDENT:
    case TK_SELF: case TK_SELF_TYPE: case TK_LPAREN: case TK_LBRACKET: case TK_MINUS:
    case TK_BANG: case TK_STAR: case TK_AMP: case TK_AMPAMP: case TK_PIPE: case TK_PIPEPIPE: case TK_IF:
    case TK_MATCH: case TK_WHILE: case TK_LOOP: case TK_FOR: case TK_RETURN: case TK_BREAK:
    case TK_CONTINUE: case TK_NO_GRAD: case TK_DOTDOT: case TK_DOTDOTEQ:
        return true;
    default:
        return false;
    }
}

VxNode *parse_expr(Parser *p) { return parse_expr_bp(p, PREC_ASSIGN); }

/* An expression in which `Name {` does not start a struct literal, so that
 * `if x == y { ... }` reads the `{` as the body. */
VxNode *parse_expr_no_struct(Parser *p)
{
    p->no_struct++;
    VxNode *e = parse_expr(p);
    p->no_struct--;
    return e;
}

/* Brackets re-allow struct literals: `if f(Point { x: 1 }) { ... }`. */
static int allow_struct(Parser *p)
{
    int saved = p->no_struct;
    p->no_struct = 0;
    return saved;
}

static VxNode *binary(Parser *p, VxNodeKind k, VxTokKind op, VxNode *lhs, VxNode *rhs)
{
    VxNode *n = new_node(p, k, lhs->span.start);
    n->u.binary.op = op;
    n->u.binary.lhs = lhs;
    n->u.binary.rhs = rhs;
    return finish(p, n);
}

/* ---- literals and names --------------------------------------------------- */

VxNode *parse_literal(Parser *p)
{
    const VxToken *t = advance(p);
    if (t->bad) p->panic = true;          /* the lexer reported it; later errors would repeat it */
    VxNode *n = new_node(p, VX_N_INT, t->span.start);
    switch (t->kind) {
    case TK_INT:
        if (t->v.ival) n->u.int_lit.value = *t->v.ival;
        n->u.int_lit.suffix = (VxSuffix)t->suffix;
        break;
    case TK_FLOAT:
        n->kind = VX_N_FLOAT;
        n->u.float_lit.value = t->v.fval;
        n->u.float_lit.suffix = (VxSuffix)t->suffix;
        n->u.float_lit.text = ident_text(p, t);
        break;
    case TK_STRING:
        n->kind = VX_N_STRING;
        n->u.str.value = t->v.str.s;
        n->u.str.len = t->v.str.n;
        break;
    default:
        n->kind = VX_N_BOOL;
        n->u.boolean = t->kind == TK_TRUE;
    }
    return finish(p, n);
}

/* path_expr = name { "::" ( name | "<" generic_args ) }     name = IDENT | "Self" */
static VxNode *parse_path_expr(Parser *p)
{
    uint32_t start = cur(p)->span.start;
    NodeVec segs = {0};
    VxNode *seg = new_node(p, VX_N_PATH_SEG, start);
    const char *qual = qualified_name(p, false);
    seg->u.seg.name = qual ? qual : at(p, TK_SELF_TYPE) ? (advance(p), "Self") : ident_text(p, advance(p));
    vx_vec_push(&segs, finish(p, seg));
    while (at(p, TK_COLONCOLON)) {
        advance(p);
        if (eat(p, TK_LT)) {
            seg->u.seg.args = parse_generic_args(p);
            finish(p, seg);
            continue;
        }
        seg = new_node(p, VX_N_PATH_SEG, cur(p)->span.start);
        seg->u.seg.name = expect_ident(p, "a name after `::`");
        vx_vec_push(&segs, finish(p, seg));
    }
    if (segs.len == 1 && segs.data[0]->u.seg.args.len == 0 && strcmp(segs.data[0]->u.seg.name, "Self") != 0) {
        VxNode *id = new_node(p, VX_N_IDENT, start);
        id->u.ident.name = segs.data[0]->u.seg.name;
        vx_vec_free(&segs);
        return finish(p, id);
    }
    VxNode *n = new_node(p, VX_N_PATH, start);
    n->u.path.segs = to_list(p, &segs);
    return finish(p, n);
}

static VxNode *as_path(Parser *p, VxNode *e)
{
    if (e->kind == VX_N_PATH) return e;
    VxNode *seg = new_node(p, VX_N_PATH_SEG, e->span.start);
    seg->span = e->span;
    seg->u.seg.name = e->u.ident.name;
    VxNode *n = new_node(p, VX_N_PATH, e->span.start);
    n->span = e->span;
    n->u.path.segs.items = vx_arena_dup(p->arena, &seg, sizeof seg);
    n->u.path.segs.len = 1;
    return n;
}

/* struct_lit = path "{" [ field_init { sep field_init } ] "}"
 * field_init = IDENT [ ":" expr ] */
static VxNode *parse_struct_lit(Parser *p, VxNode *path)
{
    VxNode *n = new_node(p, VX_N_STRUCT_LIT, path->span.start);
    n->u.struct_lit.path = as_path(p, path);
    VxSpan open = cur(p)->span;
    advance(p);
    int saved = allow_struct(p);
    NodeVec fields = {0};
    for (;;) {
        skip_newlines(p);
        if (at(p, TK_RBRACE) || at(p, TK_EOF)) break;
        VxNode *f = new_node(p, VX_N_FIELD_INIT, cur(p)->span.start);
        f->u.field_init.name = expect_ident(p, "a field name");
        if (eat(p, TK_COLON)) f->u.field_init.value = parse_expr(p);
        vx_vec_push(&fields, finish(p, f));
        bool newline = at(p, TK_NEWLINE);
        skip_newlines(p);
        if (!eat(p, TK_COMMA) && !(newline && !at(p, TK_RBRACE))) {
            if (!at(p, TK_RBRACE) && !p->panic) {
                VxDiag *g = expected(p, "`,` or `}` after the field");
                vx_diag_help(p->diags, g, "separate fields with commas or new lines");
            }
            break;
        }
    }
    p->no_struct = saved;
    expect_closing(p, TK_RBRACE, open);
    n->u.struct_lit.fields = to_list(p, &fields);
    return finish(p, n);
}

/* ---- brackets ----------------------------------------------------------------- */

/* paren = "(" ")" | "(" expr ")" | "(" expr "," [ expr { "," expr } [","] ] ")" */
static VxNode *parse_paren(Parser *p)
{
    VxNode *n = new_node(p, VX_N_TUPLE, cur(p)->span.start);
    VxSpan open = cur(p)->span;
    advance(p);
    int saved = allow_struct(p);
    NodeVec elems = {0};
    bool tuple = at(p, TK_RPAREN);
    while (!at(p, TK_RPAREN) && !at(p, TK_EOF)) {
        vx_vec_push(&elems, parse_expr(p));
        if (!eat(p, TK_COMMA)) break;
        tuple = true;
    }
    p->no_struct = saved;
    if (!expect_closing(p, TK_RPAREN, open) || tuple) {
        n->u.list.elems = to_list(p, &elems);
        return finish(p, n);
    }
    VxNode *inner = elems.data[0];
    vx_vec_free(&elems);
    inner->span = finish(p, n)->span;             /* the parentheses belong to the expression */
    return inner;
}

/* array = "[" "]" | "[" expr ";" expr "]" | "[" expr { "," expr } [","] "]" */
static VxNode *parse_array(Parser *p)
{
    VxNode *n = new_node(p, VX_N_ARRAY, cur(p)->span.start);
    VxSpan open = cur(p)->span;
    advance(p);
    int saved = allow_struct(p);
    NodeVec elems = {0};
    if (!at(p, TK_RBRACKET)) {
        VxNode *first = parse_expr(p);
        if (eat(p, TK_SEMI)) {
            n->kind = VX_N_ARRAY_REPEAT;
            n->u.repeat.value = first;
            n->u.repeat.count = parse_expr(p);
        } else {
            vx_vec_push(&elems, first);
            while (eat(p, TK_COMMA) && !at(p, TK_RBRACKET)) vx_vec_push(&elems, parse_expr(p));
        }
    }
    p->no_struct = saved;
    expect_closing(p, TK_RBRACKET, open);
    if (n->kind == VX_N_ARRAY) n->u.list.elems = to_list(p, &elems);
    return finish(p, n);
}

static VxNode *parse_block_expr(Parser *p)
{
    int saved = allow_struct(p);
    VxNode *b = parse_block(p);
    p->no_struct = saved;
    return b;
}

/* The body of if/while/for: a block, with a clear error when the braces
 * are missing (a common habit from Python or C). */
static VxNode *parse_body(Parser *p, const char *after)
{
    if (at(p, TK_NEWLINE) && peek_kind(p, 1) == TK_LBRACE) advance(p);     /* Allman style */
    if (at(p, TK_LBRACE)) return parse_block_expr(p);
    if (strstr(after, "while")) {
        VxDiag *g = expected(p, "`{` after the `while` condition");
        vx_diag_help(p->diags, g, "bodies need braces, as in `while x > 0 { ... }`");
        return error_node(p);
    }
    char what[96];
    snprintf(what, sizeof what, "`{` after %s", after);
    VxDiag *g = expected(p, what);
    vx_diag_help(p->diags, g, "bodies need braces, as in `if x > 0 { ... }`");
    return error_node(p);
}

/* ---- control flow ----------------------------------------------------------- */

static VxNode *parse_condition(Parser *p, VxNode **pat)
{
    if (eat(p, TK_LET)) {
        *pat = parse_pattern(p);
        expect(p, TK_EQ, "after the pattern in `if let` / `while let`");
    }
    VxNode *c = parse_expr_no_struct(p);
    if (c->kind == VX_N_ASSIGN && c->u.binary.op == TK_EQ && !p->panic) {
        VxDiag *g = error_at(p, c->span, "an assignment is not a condition");
        vx_diag_primary(p->diags, g, "this assigns a value instead of comparing");
        vx_diag_help(p->diags, g, "to compare two values use `==`");
    }
    return c;
}

/* if_expr = "if" [ "let" pattern "=" ] expr block [ "else" ( if_expr | block ) ] */
static VxNode *parse_if(Parser *p)
{
    VxNode *n = new_node(p, VX_N_IF, cur(p)->span.start);
    advance(p);
    n->u.if_.cond = parse_condition(p, &n->u.if_.pat);
    n->u.if_.then = parse_body(p, "the `if` condition");
    if (at(p, TK_NEWLINE) && peek_kind(p, 1) == TK_ELSE) advance(p);
    if (eat(p, TK_ELSE)) {
        if (at(p, TK_IF)) n->u.if_.els = parse_if(p);
        else n->u.if_.els = parse_body(p, "`else`");
    }
    return finish(p, n);
}

/* arm = pattern [ "if" expr ] "=>" expr */
static VxNode *parse_arm(Parser *p)
{
    VxNode *n = new_node(p, VX_N_ARM, cur(p)->span.start);
    n->u.arm.pat = parse_pattern(p);
    if (eat(p, TK_IF)) n->u.arm.guard = parse_expr(p);
    if (!at(p, TK_FATARROW)) {
        VxDiag *g = expected(p, "`=>` after the match pattern");
        vx_diag_help(p->diags, g, "each arm is written `pattern => value`");
        return finish(p, n);
    }
    advance(p);
    if (!can_begin_expr(kind(p)) && !at(p, TK_LBRACE)) {
        VxDiag *g = expected(p, "an expression after `=>`");
        vx_diag_help(p->diags, g, "every arm needs a value; write `()` or `{}` for an arm that does nothing");
        return finish(p, n);
    }
    n->u.arm.body = at(p, TK_LBRACE) ? parse_block_expr(p) : parse_expr(p);
    return finish(p, n);
}

/* Skip the rest of a broken list element: to the next `,` or line, or the closer. */
static void sync_element(Parser *p, VxTokKind closer)
{
    int depth = 0;
    while (!at(p, TK_EOF)) {
        VxTokKind k = kind(p);
        if (depth == 0 && (k == TK_COMMA || k == TK_NEWLINE || k == closer)) break;
        if (k == TK_LPAREN || k == TK_LBRACKET || k == TK_LBRACE) depth++;
        if ((k == TK_RPAREN || k == TK_RBRACKET || k == TK_RBRACE) && --depth < 0) break;
        advance(p);
    }
    p->panic = false;
}

/* Skip to the `}` that closes the enclosing block (not consumed). */
static void skip_to_block_end(Parser *p)
{
    int depth = 0;
    while (!at(p, TK_EOF)) {
        VxTokKind k = kind(p);
        if (k == TK_LBRACE || k == TK_LPAREN || k == TK_LBRACKET) depth++;
        if (k == TK_RBRACE || k == TK_RPAREN || k == TK_RBRACKET) { if (depth == 0) break; depth--; }
        advance(p);
    }
}

/* match_expr = "match" expr "{" { arm ( "," | NEWLINE ) } "}" */
static VxNode *parse_match(Parser *p)
{
    VxNode *n = new_node(p, VX_N_MATCH, cur(p)->span.start);
    advance(p);
    n->u.match.scrutinee = parse_expr_no_struct(p);
    VxSpan open = cur(p)->span;
    if (at(p, TK_NEWLINE) && peek_kind(p, 1) == TK_LBRACE) advance(p);
    if (!at(p, TK_LBRACE)) {
        VxDiag *g = expected(p, "`{` after the `match` value");
        vx_diag_help(p->diags, g, "write `match value { pattern => result, ... }`");
        skip_to_block_end(p);                      /* the arms that follow would each be an error */
        return finish(p, n);
    }
    advance(p);
    int saved = allow_struct(p);
    NodeVec arms = {0};
    for (;;) {
        while (at(p, TK_NEWLINE) || at(p, TK_COMMA) || at(p, TK_SEMI)) advance(p);
        if (at(p, TK_RBRACE) || at(p, TK_EOF)) break;
        int before = p->pos;
        VxNode *arm = parse_arm(p);
        vx_vec_push(&arms, arm);
        if (!p->panic && !at(p, TK_COMMA) && !at(p, TK_NEWLINE) && !at(p, TK_RBRACE) &&
            !(arm->u.arm.body && arm->u.arm.body->kind == VX_N_BLOCK))
            expected(p, "`,` or a new line after the match arm");
        if (p->panic) sync_element(p, TK_RBRACE);
        if (p->pos == before) advance(p);
    }
    p->no_struct = saved;
    expect_closing(p, TK_RBRACE, open);
    n->u.match.arms = to_list(p, &arms);
    return finish(p, n);
}

static void push_label(Parser *p, const char *label)
{
    if (p->nlabels < MAX_LABELS) p->labels[p->nlabels] = label;
    p->nlabels++;
}

static bool is_label(const Parser *p, const VxToken *t)
{
    int top = p->nlabels < MAX_LABELS ? p->nlabels : MAX_LABELS;
    uint32_t n = t->span.end - t->span.start;
    for (int i = top - 1; i >= 0; i--)
        if (p->labels[i] && strlen(p->labels[i]) == n &&
            memcmp(p->labels[i], p->src->text + t->span.start, n) == 0) return true;
    return false;
}

/* `for (i = 0; i < n; i++)`: say how Vortex writes it, skip the header and
 * the body. */
static bool c_style_for(Parser *p)
{
    int depth = 0, i = 0;
    bool semi = false;
    for (;; i++) {
        VxTokKind k = peek_kind(p, i);
        if (k == TK_EOF) return false;
        if (k == TK_LPAREN) depth++;
        if (k == TK_RPAREN && --depth == 0) break;
        if (k == TK_SEMI && depth == 1) semi = true;
    }
    if (!semi) return false;
    VxDiag *g = error_here(p, "C-style `for` loops are not Vortex syntax");
    vx_diag_help(p->diags, g, "loop over a range: `for i in 0..n { ... }`");
    for (int j = 0; j <= i; j++) advance(p);
    p->panic = false;
    if (at(p, TK_LBRACE)) parse_block_expr(p);
    return true;
}

/* loop_expr = [ IDENT ":" ] ( "loop" block
 *           | "while" [ "let" pattern "=" ] expr block
 *           | "for" pattern "in" expr block ) */
static VxNode *parse_loop(Parser *p, const char *label, uint32_t start)
{
    VxNode *n = new_node(p, VX_N_LOOP, start);
    VxTokKind k = (VxTokKind)advance(p)->kind;
    push_label(p, label);
    if (k == TK_LOOP) {
        n->u.loop.label = label;
        n->u.loop.body = parse_body(p, "`loop`");
    } else if (k == TK_WHILE) {
        n->kind = VX_N_WHILE;
        n->u.while_.label = label;
        n->u.while_.cond = parse_condition(p, &n->u.while_.pat);
        n->u.while_.body = parse_body(p, "the `while` condition");
    } else {
        n->kind = VX_N_FOR;
        n->u.for_.label = label;
        if (at(p, TK_LPAREN) && c_style_for(p)) {
            p->nlabels--;
            return finish(p, n);
        }
        n->u.for_.pat = parse_pattern(p);
        if (!at(p, TK_IN)) {
            VxDiag *g = expected(p, "`in` after the loop variable");
            vx_diag_help(p->diags, g, "loops are written `for x in items { ... }` or `for i in 0..n { ... }`");
        } else {
            advance(p);
            n->u.for_.iter = parse_expr_no_struct(p);
            n->u.for_.body = parse_body(p, "the `for` header");
        }
    }
    p->nlabels--;
    return finish(p, n);
}

/* jump = "return" [ expr ] | "break" [ label ] [ expr ] | "continue" [ label ] */
static VxNode *parse_jump(Parser *p)
{
    VxNode *n = new_node(p, VX_N_RETURN, cur(p)->span.start);
    VxTokKind k = (VxTokKind)advance(p)->kind;
    n->kind = k == TK_RETURN ? VX_N_RETURN : k == TK_BREAK ? VX_N_BREAK : VX_N_CONTINUE;
    if (k != TK_RETURN && at(p, TK_IDENT) && is_label(p, cur(p)))
        n->u.jump.label = ident_text(p, advance(p));
    if (k != TK_CONTINUE && (can_begin_expr(kind(p)) || at(p, TK_LBRACE))) n->u.jump.value = parse_expr(p);
    return finish(p, n);
}

/* closure = ( "||" | "|" [ cparam { "," cparam } ] "|" ) ( "->" type block | expr )
 * cparam  = pattern_alt [ ":" type ] */
static VxNode *parse_closure(Parser *p)
{
    VxNode *n = new_node(p, VX_N_CLOSURE, cur(p)->span.start);
    NodeVec params = {0};
    if (!eat(p, TK_PIPEPIPE)) {
        advance(p);
        while (!at(p, TK_PIPE) && !at(p, TK_EOF)) {
            VxNode *prm = new_node(p, VX_N_PARAM, cur(p)->span.start);
            VxNode *pat = parse_pattern_alt(p);
            if (pat->kind == VX_N_PAT_IDENT) { prm->u.param.name = pat->u.pat_ident.name; prm->u.param.mut = pat->u.pat_ident.mut; }
            else prm->u.param.pat = pat;
            if (eat(p, TK_COLON)) prm->u.param.type = parse_type(p);
            vx_vec_push(&params, finish(p, prm));
            if (!eat(p, TK_COMMA)) break;
        }
        expect(p, TK_PIPE, "to close the closure's parameters");
    }
    n->u.closure.params = to_list(p, &params);
    if (eat(p, TK_ARROW)) {
        n->u.closure.ret = parse_type(p);
        n->u.closure.body = parse_body(p, "the closure's return type");
    } else {
        n->u.closure.body = parse_expr(p);
    }
    return finish(p, n);
}

/* ---- primary and postfix ---------------------------------------------------- */

static VxNode *unexpected_expr(Parser *p)
{
    VxDiag *g = expected(p, "an expression");
    if (at(p, TK_PLUS)) {
        bool twice = peek_kind(p, 1) == TK_PLUS || (p->pos > 0 && p->toks[p->pos - 1].kind == TK_PLUS);
        vx_diag_help(p->diags, g, twice ? "Vortex has no `++`; write `x += 1`" : "Vortex has no unary `+`; remove it");
    } else if (kind(p) == TK_LET) {
        vx_diag_help(p->diags, g, "`let` starts a statement; it cannot be used as a value");
    } else if (kind(p) == TK_ELSE) {
        vx_diag_help(p->diags, g, "`else` must directly follow the `}` of an `if` block");
    }
    return error_node(p);
}

/* primary = literal | path_expr | struct_lit | paren | array | block | if_expr
 *         | match_expr | loop_expr | jump | closure | "self" | "no_grad" block */
static VxNode *parse_primary(Parser *p)
{
    switch (kind(p)) {
    case TK_INT: case TK_FLOAT: case TK_STRING: case TK_TRUE: case TK_FALSE:
        return parse_literal(p);
    case TK_SELF: {
        VxNode *n = new_node(p, VX_N_SELF, cur(p)->span.start);
        advance(p);
        return finish(p, n);
    }
    case TK_IDENT:
        if (peek_kind(p, 1) == TK_COLON &&
            (peek_kind(p, 2) == TK_LOOP || peek_kind(p, 2) == TK_WHILE || peek_kind(p, 2) == TK_FOR)) {
            uint32_t start = cur(p)->span.start;
            const char *label = ident_text(p, advance(p));
            advance(p);
            return parse_loop(p, label, start);
        }
        /* fall through */
    case TK_SELF_TYPE: {
        VxNode *path = parse_path_expr(p);
        if (at(p, TK_LBRACE) && !p->no_struct) return parse_struct_lit(p, path);
        return path;
    }
    case TK_LPAREN: return parse_paren(p);
    case TK_LBRACKET: return parse_array(p);
    case TK_LBRACE: return parse_block_expr(p);
    case TK_IF: return parse_if(p);
    case TK_MATCH: return parse_match(p);
    case TK_LOOP: case TK_WHILE: case TK_FOR: return parse_loop(p, NULL, cur(p)->span.start);
    case TK_RETURN: case TK_BREAK: case TK_CONTINUE: return parse_jump(p);
    case TK_PIPE: case TK_PIPEPIPE: return parse_closure(p);
    case TK_NO_GRAD: {
        VxNode *n = new_node(p, VX_N_NO_GRAD, cur(p)->span.start);
        advance(p);
        n->u.no_grad.body = parse_body(p, "`no_grad`");
        return finish(p, n);
    }
    default:
        if (kind(p) >= TK_FIRST_RESERVED) {
            VxNode *n = new_node(p, VX_N_IDENT, cur(p)->span.start);
            n->u.ident.name = expect_ident(p, "an expression");
            return finish(p, n);
        }
        return unexpected_expr(p);
    }
}

/* call_args = "(" [ arg { "," arg } [","] ] ")"      arg = [ IDENT "=" ] expr */
VxNodeList parse_call_args(Parser *p)
{
    VxSpan open = cur(p)->span;
    advance(p);
    int saved = allow_struct(p);
    NodeVec args = {0};
    while (!at(p, TK_RPAREN) && !at(p, TK_EOF)) {
        if (at(p, TK_IDENT) && peek_kind(p, 1) == TK_EQ) {
            VxNode *a = new_node(p, VX_N_NAMED_ARG, cur(p)->span.start);
            a->u.named_arg.name = ident_text(p, advance(p));
            advance(p);
            a->u.named_arg.value = parse_expr(p);
            vx_vec_push(&args, finish(p, a));
        } else {
            vx_vec_push(&args, parse_expr(p));
        }
        if (!eat(p, TK_COMMA)) break;
    }
    p->no_struct = saved;
    if (!at(p, TK_RPAREN) && !at(p, TK_EOF) && !p->panic) {
        VxDiag *g = expected(p, "`,` or `)` in the argument list");
        vx_diag_label(p->diags, g, open, "argument list starts here");
    } else {
        expect_closing(p, TK_RPAREN, open);
    }
    return to_list(p, &args);
}

/* index = "[" idx { "," idx } [","] "]"      idx = ":" | expr */
static VxNode *parse_index(Parser *p, VxNode *base)
{
    VxNode *n = new_node(p, VX_N_INDEX, base->span.start);
    n->u.index.expr = base;
    VxSpan open = cur(p)->span;
    advance(p);
    int saved = allow_struct(p);
    NodeVec idx = {0};
    while (!at(p, TK_RBRACKET) && !at(p, TK_EOF)) {
        if (at(p, TK_COLON)) {
            VxNode *all = new_node(p, VX_N_FULL_SLICE, cur(p)->span.start);
            advance(p);
            vx_vec_push(&idx, finish(p, all));
        } else {
            vx_vec_push(&idx, parse_expr(p));
        }
        if (!eat(p, TK_COMMA)) break;
    }
    p->no_struct = saved;
    if (idx.len == 0 && at(p, TK_RBRACKET)) expected(p, "an index");
    expect_closing(p, TK_RBRACKET, open);
    n->u.index.indices = to_list(p, &idx);
    return finish(p, n);
}

/* member = "." ( IDENT [ "::" "<" generic_args ] [ call_args ] | INT ) */
static VxNode *parse_member(Parser *p, VxNode *base)
{
    advance(p);                                   /* . */
    if (at(p, TK_INT)) {
        VxNode *n = new_node(p, VX_N_TUPLE_INDEX, base->span.start);
        const VxToken *t = advance(p);
        n->u.tuple_index.expr = base;
        n->u.tuple_index.index = t->v.ival ? (uint32_t)t->v.ival->limb[0] : 0;
        return finish(p, n);
    }
    /* any keyword may name a field or method: `x.var()`, `opts.type` */
    const char *name = kind(p) >= TK_AS && kind(p) < TK_FIRST_RESERVED ? ident_text(p, advance(p))
                                                                     : expect_ident(p, "a field or method name after `.`");
    VxNodeList gargs = {0};
    if (at(p, TK_COLONCOLON) && peek_kind(p, 1) == TK_LT) {
        advance(p);
        advance(p);
        gargs = parse_generic_args(p);
    }
    if (at(p, TK_LPAREN)) {
        VxNode *n = new_node(p, VX_N_METHOD_CALL, base->span.start);
        n->u.method.recv = base;
        n->u.method.name = name;
        n->u.method.generic_args = gargs;
        n->u.method.args = parse_call_args(p);
        return finish(p, n);
    }
    VxNode *n = new_node(p, VX_N_FIELD_ACCESS, base->span.start);
    n->u.field_access.expr = base;
    n->u.field_access.name = name;
    return finish(p, n);
}

static VxNode *parse_postfix(Parser *p, VxNode *e)
{
    for (;;) {
        if (kind(p) == TK_LPAREN || kind(p) == TK_LBRACKET || kind(p) == TK_DOT || kind(p) == TK_QUESTION)
            if (!chain_ok(p)) return e;
        switch (kind(p)) {
        case TK_LPAREN: {
            VxNode *n = new_node(p, VX_N_CALL, e->span.start);
            n->u.call.callee = e;
            n->u.call.args = parse_call_args(p);
            e = finish(p, n);
            break;
        }
        case TK_LBRACKET: e = parse_index(p, e); break;
        case TK_DOT: e = parse_member(p, e); break;
        case TK_QUESTION: {
            VxNode *n = new_node(p, VX_N_TRY, e->span.start);
            advance(p);
            n->u.try_.expr = e;
            e = finish(p, n);
            break;
        }
        default:
            return e;
        }
        if (p->panic) return e;
    }
}

/* unary = ( "-" | "!" | "*" | "&" [ "mut" ] ) unary | postfix [ "**" unary ] */
static VxNode *parse_unary(Parser *p)
{
    if (!enter(p)) return error_node(p);
    VxNode *n;
    VxTokKind k = kind(p);
    if (k == TK_AMPAMP) {                          /* `&&x` is `& &x` */
        n = new_node(p, VX_N_UNARY, cur(p)->span.start);
        VxNode *inner = new_node(p, VX_N_UNARY, cur(p)->span.start + 1);
        advance(p);
        inner->u.unary.op = eat(p, TK_MUT) ? TK_MUT : TK_AMP;
        inner->u.unary.operand = parse_unary(p);
        finish(p, inner);
        n->u.unary.op = TK_AMP;
        n->u.unary.operand = inner;
        finish(p, n);
    } else if (k == TK_MINUS || k == TK_BANG || k == TK_STAR || k == TK_AMP) {
        n = new_node(p, VX_N_UNARY, cur(p)->span.start);
        advance(p);
        n->u.unary.op = (k == TK_AMP && eat(p, TK_MUT)) ? TK_MUT : k;
        n->u.unary.operand = parse_unary(p);
        finish(p, n);
    } else {
        n = parse_postfix(p, parse_primary(p));
        if (at(p, TK_STARSTAR) && !p->panic) {
            advance(p);
            n = binary(p, VX_N_BINARY, TK_STARSTAR, n, parse_unary(p));
        }
    }
    leave(p);
    return n;
}

static void chained_comparison(Parser *p, VxNode *lhs)
{
    VxDiag *g = error_here(p, "comparison operators cannot be chained");
    vx_diag_primary(p->diags, g, "a second comparison");
    vx_diag_label(p->diags, g, lhs->span, "this comparison");
    vx_diag_help(p->diags, g, "split it with `&&`, as in `a < b && b < c`");
}

/* range_tail = [ expr ] after `..` / `..=`; the end is optional (`a..`). */
static VxNode *parse_range(Parser *p, VxNode *lo, uint32_t start)
{
    VxNode *n = new_node(p, VX_N_RANGE, start);
    n->u.range.lo = lo;
    n->u.range.inclusive = advance(p)->kind == TK_DOTDOTEQ;
    if (can_begin_expr(kind(p))) n->u.range.hi = parse_expr_bp(p, PREC_RANGE + 1);
    else if (n->u.range.inclusive) expected(p, "an end value after `..=`");
    return finish(p, n);
}

/* expr = unary { binop unary }   (by precedence, see the table at the top) */
static VxNode *parse_expr_bp(Parser *p, int min_prec)
{
    if (!enter(p)) return error_node(p);
    bool prefix_range = (at(p, TK_DOTDOT) || at(p, TK_DOTDOTEQ)) && min_prec <= PREC_RANGE;
    VxNode *lhs = prefix_range ? parse_range(p, NULL, cur(p)->span.start) : parse_unary(p);
    for (;;) {
        VxTokKind op = kind(p);
        int prec = infix_prec(op);
        if (prec == 0 || prec < min_prec || p->panic || !chain_ok(p)) break;
        if (op == TK_AS) {
            advance(p);
            VxNode *n = new_node(p, VX_N_CAST, lhs->span.start);
            n->u.cast.expr = lhs;
            n->u.cast.type = parse_type(p);
            lhs = finish(p, n);
        } else if (prec == PREC_ASSIGN) {
            advance(p);
            lhs = binary(p, VX_N_ASSIGN, op, lhs, parse_expr_bp(p, PREC_ASSIGN));
        } else if (prec == PREC_RANGE) {
            lhs = parse_range(p, lhs, lhs->span.start);
            if (at(p, TK_DOTDOT) || at(p, TK_DOTDOTEQ)) { expected(p, "one range, not a chain of ranges"); break; }
        } else {
            advance(p);
            VxNode *rhs = parse_expr_bp(p, prec + 1);
            lhs = binary(p, VX_N_BINARY, op, lhs, rhs);
            if (prec == PREC_COMPARE && infix_prec(kind(p)) == PREC_COMPARE && !p->panic)
                chained_comparison(p, lhs);
        }
    }
    leave(p);
    return lhs;
}
