/* parse_util.c - token cursor, error reporting and recovery, node helpers. */
#include "parse_internal.h"

#include <stdarg.h>
#include <string.h>

/* ---- token cursor ------------------------------------------------------ */

const VxToken *cur(const Parser *p) { return p->have_split ? &p->split : &p->toks[p->pos]; }

const VxToken *peek_tok(const Parser *p, int ahead)
{
    if (ahead == 0) return cur(p);
    int i = p->pos + ahead;
    return &p->toks[i < p->ntoks ? i : p->ntoks - 1];
}

VxTokKind kind(const Parser *p) { return (VxTokKind)cur(p)->kind; }
VxTokKind peek_kind(const Parser *p, int ahead) { return (VxTokKind)peek_tok(p, ahead)->kind; }
bool at(const Parser *p, VxTokKind k) { return kind(p) == k; }

const VxToken *advance(Parser *p)
{
    const VxToken *t = cur(p);
    if (p->have_split) {
        p->have_split = false;
        static VxToken last;          /* keep the split token readable after advancing */
        last = p->split;
        p->pos++;
        return &last;
    }
    if (p->pos < p->ntoks - 1) p->pos++;
    return t;
}

bool eat(Parser *p, VxTokKind k)
{
    if (!at(p, k)) return false;
    advance(p);
    return true;
}

void skip_newlines(Parser *p)
{
    while (at(p, TK_NEWLINE) || at(p, TK_SEMI)) advance(p);
}

uint32_t prev_end(const Parser *p)
{
    if (p->have_split) return p->split.span.start;
    return p->pos > 0 ? p->toks[p->pos - 1].span.end : 0;
}

bool at_gt(const Parser *p)
{
    VxTokKind k = kind(p);
    return k == TK_GT || k == TK_SHR || k == TK_GE || k == TK_SHREQ;
}

/* Generic argument lists close with `>`; in `Option<Vec<T>>` the lexer saw
 * `>>`, so take its first character and leave the rest as the current token. */
bool eat_gt(Parser *p)
{
    VxTokKind k = kind(p), rest;
    if (k == TK_GT) { advance(p); return true; }
    if (k == TK_SHR) rest = TK_GT;
    else if (k == TK_GE) rest = TK_EQ;
    else if (k == TK_SHREQ) rest = TK_GE;
    else return false;
    VxToken t = *cur(p);
    t.kind = (uint16_t)rest;
    t.span.start++;
    p->split = t;
    p->have_split = true;
    return true;
}

/* ---- errors and recovery ------------------------------------------------- */

/* The lexer already explained this line (an unknown character): a parse
 * error there would only repeat it. */
static bool lexer_blamed(const Parser *p, VxSpan span)
{
    if (!p->tokens || !p->tokens->nerror_lines) return false;
    int line = vx_source_pos(p->src, span.start).line;
    for (int i = 0; i < p->tokens->nerror_lines; i++)
        if ((int)p->tokens->error_lines[i] == line) return true;
    return false;
}

static VxDiag *verror(Parser *p, VxSpan span, const char *fmt, va_list ap)
{
    static VxDiag quiet;
    p->errors++;
    if (p->panic || lexer_blamed(p, span)) { p->panic = true; return &quiet; }
    p->panic = true;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return vx_diag(p->diags, VX_ERROR, p->src, span, "%s", msg);
}

VxDiag *error_at(Parser *p, VxSpan span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    VxDiag *g = verror(p, span, fmt, ap);
    va_end(ap);
    return g;
}

VxDiag *error_here(Parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    VxDiag *g = verror(p, cur(p)->span, fmt, ap);
    va_end(ap);
    return g;
}

const char *describe(const VxToken *t)
{
    static char buf[4][96];
    static int next;
    char *b = buf[next++ % 4];
    switch (t->kind) {
    case TK_IDENT: snprintf(b, 96, "identifier"); break;
    case TK_NEWLINE: return "end of line";
    case TK_EOF: return "end of file";
    case TK_INT: case TK_FLOAT: case TK_STRING: return vx_tok_name((VxTokKind)t->kind);
    default:
        if (t->kind < TK_AS) return vx_tok_name((VxTokKind)t->kind);
        snprintf(b, 96, "keyword %s", vx_tok_name((VxTokKind)t->kind));
    }
    return b;
}

/* A diagnostic about the current token.  A newline or end of file is shown
 * at the end of the previous token, where the user's eye is. */
static VxSpan blame_span(const Parser *p)
{
    const VxToken *t = cur(p);
    if ((t->kind == TK_NEWLINE || t->kind == TK_EOF) && p->pos > 0)
        return vx_span(prev_end(p), prev_end(p) + (t->kind == TK_NEWLINE ? 1 : 0));
    return t->span;
}

VxDiag *expected(Parser *p, const char *what)
{
    VxDiag *g = error_at(p, blame_span(p), "expected %s, found %s", what, describe(cur(p)));
    vx_diag_primary(p->diags, g, "expected %s", what);
    return g;
}

bool expect(Parser *p, VxTokKind k, const char *context)
{
    if (eat(p, k)) return true;
    char what[160];
    snprintf(what, sizeof what, "%s%s%s", vx_tok_name(k), context ? " " : "", context ? context : "");
    expected(p, what);
    return false;
}

/* Expect a closing delimiter; on failure also point at the opener. */
bool expect_closing(Parser *p, VxTokKind k, VxSpan opener)
{
    if (eat(p, k)) return true;
    if (p->panic) return false;
    VxDiag *g;
    if (at(p, TK_EOF)) {
        /* once per file; and not at all when a comment swallowed the rest */
        if (p->eof_reported || (p->tokens && p->tokens->truncated)) { p->panic = true; return false; }
        p->eof_reported = true;
        g = error_at(p, blame_span(p), "this file contains an unclosed delimiter");
        vx_diag_primary(p->diags, g, "expected %s here", vx_tok_name(k));
        vx_diag_label(p->diags, g, opener, "unclosed delimiter");
        return false;
    }
    g = expected(p, vx_tok_name(k));
    vx_diag_label(p->diags, g, opener, "unclosed delimiter");
    return false;
}

const char *ident_text(Parser *p, const VxToken *t)
{
    return vx_arena_strndup(p->arena, p->src->text + t->span.start, t->span.end - t->span.start);
}

/* `module.Name` read as the one name "module.Name" when a path may start
 * here: in a type, or before `::` (not `::<`) or `{` (where a struct literal may
 * follow) in an expression or pattern, where a field access cannot stand.
 * Sema resolves such a name through the module imported as `module`.
 * NULL (nothing consumed) when the tokens are not that. */
const char *qualified_name(Parser *p, bool in_type)
{
    if (!at(p, TK_IDENT) || peek_kind(p, 1) != TK_DOT || peek_kind(p, 2) != TK_IDENT) return NULL;
    VxTokKind next = peek_kind(p, 3);
    bool path_follows = next == TK_COLONCOLON && peek_kind(p, 4) != TK_LT;    /* not the turbofish `x.f::<T>()` */
    if (!in_type && !path_follows && !(next == TK_LBRACE && !p->no_struct)) return NULL;
    uint32_t start = cur(p)->span.start;
    advance(p);
    advance(p);
    uint32_t end = advance(p)->span.end;
    return vx_arena_strndup(p->arena, p->src->text + start, end - start);
}

/* An identifier; a reserved word is reported but accepted, to keep going. */
const char *expect_ident(Parser *p, const char *what)
{
    if (at(p, TK_IDENT)) return ident_text(p, advance(p));
    if (kind(p) >= TK_FIRST_RESERVED) {
        const VxToken *t = cur(p);
        VxDiag *g = error_here(p, "`%s` is a reserved keyword", ident_text(p, t));
        vx_diag_help(p->diags, g, "choose another name; reserved words are kept for future features");
        return ident_text(p, advance(p));
    }
    VxDiag *g = expected(p, what);
    if (kind(p) >= TK_AS)
        vx_diag_help(p->diags, g, "`%s` is a keyword and cannot be used as a name", ident_text(p, cur(p)));
    return "<error>";
}

/* Skip to the end of the current statement: a newline or `;` outside any
 * brackets (consumed), or a `}` that closes the enclosing block (kept). */
void sync_stmt(Parser *p)
{
    char open[256];                  /* brackets opened while skipping */
    int depth = 0;
    while (!at(p, TK_EOF)) {
        VxTokKind k = kind(p);
        if (depth == 0 && (k == TK_NEWLINE || k == TK_SEMI)) { advance(p); break; }
        if (depth == 0 && k == TK_RBRACE) break;
        if (k == TK_LPAREN || k == TK_LBRACKET || k == TK_LBRACE) {
            if (depth < 256) open[depth] = (char)k;
            depth++;
        } else if (k == TK_RBRACE && depth > 0 && depth <= 256 && open[depth - 1] != TK_LBRACE) {
            /* a `}` while a `(` or `[` is open: that bracket was never closed,
             * and this `}` ends the enclosing block */
            while (depth > 0 && depth <= 256 && open[depth - 1] != TK_LBRACE) depth--;
            if (depth == 0) break;
            depth--;
        } else if ((k == TK_RPAREN || k == TK_RBRACKET || k == TK_RBRACE) && depth > 0) {
            depth--;
        }
        advance(p);
    }
    p->panic = false;
}

/* Skip to the next token that can start an item at bracket depth 0. */
void sync_item(Parser *p)
{
    int depth = 0;
    while (!at(p, TK_EOF)) {
        VxTokKind k = kind(p);
        if (depth == 0 && (at_item_start(p) || k == TK_AT)) break;
        if (k == TK_LPAREN || k == TK_LBRACKET || k == TK_LBRACE) depth++;
        if ((k == TK_RPAREN || k == TK_RBRACKET || k == TK_RBRACE) && depth > 0) depth--;
        advance(p);
    }
    p->panic = false;
}

/* ---- nodes ----------------------------------------------------------------- */

VxNode *new_node(Parser *p, VxNodeKind k, uint32_t start)
{
    VxNode *n = VX_NEW(p->arena, VxNode);
    n->kind = k;
    n->span = vx_span(start, start);
    return n;
}

VxNode *finish(Parser *p, VxNode *n)
{
    uint32_t end = prev_end(p);
    n->span.end = end > n->span.start ? end : n->span.start;
    return n;
}

VxNode *error_node(Parser *p)
{
    VxNode *n = new_node(p, VX_N_ERROR, cur(p)->span.start);
    n->span.end = cur(p)->span.end;
    return n;
}

VxNodeList *attr_ptr(Parser *p, VxNodeList attrs)
{
    return attrs.len ? vx_arena_dup(p->arena, &attrs, sizeof attrs) : NULL;
}

VxNodeList to_list(Parser *p, NodeVec *v)
{
    VxNodeList l = { NULL, v->len };
    if (v->len) l.items = vx_arena_dup(p->arena, v->data, sizeof(VxNode *) * (size_t)v->len);
    vx_vec_free(v);
    return l;
}

bool enter(Parser *p)
{
    if (p->depth >= MAX_DEPTH) {
        if (!p->too_deep) {
            VxDiag *g = error_here(p, "program is nested too deeply");
            vx_diag_note(p->diags, g, "the parser allows %d levels of recursion; each block, bracket, "
                         "statement and operator takes one or more", MAX_DEPTH);
        }
        p->too_deep = true;
        return false;
    }
    p->depth++;
    return true;
}

void leave(Parser *p) { p->depth--; }

/* Left-leaning chains build deep trees without deep parser recursion; they
 * are bounded too, so that later passes can recurse over any tree. */
bool chain_ok(Parser *p)
{
    if (++p->chain <= MAX_CHAIN) return true;
    VxDiag *g = error_here(p, "expression is too long");
    vx_diag_note(p->diags, g, "one expression may chain at most %d operators, calls or field accesses", MAX_CHAIN);
    return false;
}
