/* parse_item.c - the top level: files, items, attributes, generics.
 * Each function is named for the grammar rule above it (EBNF, see
 * docs/language.md for the whole grammar). */
#include "parse_internal.h"

#include <string.h>

static VxNode *parse_fn(Parser *p, bool in_trait, bool is_pub);

/* Are we parsing the members of an impl or trait? (methods may be named by keywords) */
static bool in_method_body(const Parser *p) { return p->in_members > 0; }

/* Allow a line break before `k` (Allman braces, `where` on its own line). */
static void skip_newline_before(Parser *p, VxTokKind k)
{
    if (at(p, TK_NEWLINE) && peek_kind(p, 1) == k) advance(p);
}

bool at_item_start(const Parser *p)
{
    switch (kind(p)) {
    case TK_FN: case TK_KERNEL: case TK_STRUCT: case TK_ENUM: case TK_TRAIT:
    case TK_IMPL: case TK_IMPORT: case TK_TYPE: case TK_CONST: case TK_PUB:
        return true;
    default:
        return false;
    }
}

/* attribute = "@" IDENT [ "(" [ attr_arg { "," attr_arg } [","] ] ")" ]
 * attr_arg  = [ IDENT "=" ] expr */
static VxNode *parse_attribute(Parser *p)
{
    VxNode *n = new_node(p, VX_N_ATTR, cur(p)->span.start);
    advance(p);                                   /* @ */
    n->u.attr.name = expect_ident(p, "an attribute name after `@`");
    if (at(p, TK_LPAREN)) n->u.attr.args = parse_call_args(p);
    return finish(p, n);
}

/* attributes = { attribute NEWLINE? } */
VxNodeList parse_attributes(Parser *p)
{
    NodeVec v = {0};
    while (at(p, TK_AT) && peek_kind(p, 1) == TK_IDENT) {
        vx_vec_push(&v, parse_attribute(p));
        skip_newlines(p);
    }
    return to_list(p, &v);
}

/* bounds = type { "+" type } */
VxNodeList parse_type_bounds(Parser *p)
{
    NodeVec v = {0};
    do vx_vec_push(&v, parse_type(p)); while (eat(p, TK_PLUS));
    return to_list(p, &v);
}

/* generic = "const" IDENT ":" type | IDENT [ ":" bounds ] */
static VxNode *parse_generic(Parser *p)
{
    VxNode *n = new_node(p, VX_N_GENERIC, cur(p)->span.start);
    if (eat(p, TK_CONST)) {
        n->u.generic.name = expect_ident(p, "a name for the const generic");
        if (expect(p, TK_COLON, "and a type for the const generic, as in `const N: usize`"))
            n->u.generic.const_type = parse_type(p);
        return finish(p, n);
    }
    n->u.generic.name = expect_ident(p, "a type parameter name");
    if (eat(p, TK_COLON)) n->u.generic.bounds = parse_type_bounds(p);
    return finish(p, n);
}

/* generics = "<" generic { "," generic } [","] ">" */
VxNodeList parse_generics(Parser *p)
{
    NodeVec v = {0};
    if (!at(p, TK_LT)) return to_list(p, &v);
    VxSpan open = cur(p)->span;
    advance(p);
    while (!at_gt(p) && !at(p, TK_EOF)) {
        vx_vec_push(&v, parse_generic(p));
        if (!eat(p, TK_COMMA)) break;
    }
    if (!eat_gt(p) && !p->panic) {
        VxDiag *g = expected(p, "`,` or `>` in the generic parameter list");
        vx_diag_label(p->diags, g, open, "list starts here");
    }
    return to_list(p, &v);
}

/* where = "where" where_pred { "," where_pred }
 * where_pred = type ":" bounds */
static VxNodeList parse_where(Parser *p)
{
    NodeVec v = {0};
    skip_newline_before(p, TK_WHERE);
    if (!eat(p, TK_WHERE)) return to_list(p, &v);
    do {
        skip_newlines(p);
        VxNode *n = new_node(p, VX_N_WHERE, cur(p)->span.start);
        n->u.where.type = parse_type(p);
        if (expect(p, TK_COLON, "and bounds in the `where` clause, as in `T: Copy`"))
            n->u.where.bounds = parse_type_bounds(p);
        vx_vec_push(&v, finish(p, n));
    } while (eat(p, TK_COMMA) && !at(p, TK_LBRACE));
    return to_list(p, &v);
}

/* import = "import" IDENT { "." IDENT } [ "as" IDENT ]
 *          [ "{" import_name { "," import_name } [","] "}" ]
 * import_name = IDENT [ "as" IDENT ] */
static VxNode *parse_import(Parser *p)
{
    VxNode *n = new_node(p, VX_N_IMPORT, cur(p)->span.start);
    advance(p);
    VX_VEC(const char *) path = {0};
    do vx_vec_push(&path, expect_ident(p, "a module name")); while (eat(p, TK_DOT));
    n->u.import.npath = path.len;
    n->u.import.path = vx_arena_dup(p->arena, path.data, sizeof(char *) * (size_t)path.len);
    vx_vec_free(&path);
    if (eat(p, TK_AS)) n->u.import.alias = expect_ident(p, "a name after `as`");
    if (at(p, TK_LBRACE)) {
        VxSpan open = cur(p)->span;
        advance(p);
        NodeVec names = {0};
        skip_newlines(p);
        while (!at(p, TK_RBRACE) && !at(p, TK_EOF)) {
            VxNode *m = new_node(p, VX_N_IMPORT_NAME, cur(p)->span.start);
            m->u.import_name.name = expect_ident(p, "a name to import");
            if (eat(p, TK_AS)) m->u.import_name.alias = expect_ident(p, "a name after `as`");
            vx_vec_push(&names, finish(p, m));
            skip_newlines(p);
            if (!eat(p, TK_COMMA)) break;
            skip_newlines(p);
        }
        expect_closing(p, TK_RBRACE, open);
        n->u.import.names = to_list(p, &names);
    }
    return finish(p, n);
}

/* const = "const" IDENT [ ":" type ] "=" expr */
static VxNode *parse_const(Parser *p, bool is_pub)
{
    VxNode *n = new_node(p, VX_N_CONST, cur(p)->span.start);
    advance(p);
    n->u.konst.is_pub = is_pub;
    n->u.konst.name = expect_ident(p, "a name for the constant");
    if (eat(p, TK_COLON)) n->u.konst.type = parse_type(p);
    if (expect(p, TK_EQ, "and a value: constants need one, as in `const N: i64 = 10`"))
        n->u.konst.value = parse_expr(p);
    return finish(p, n);
}

/* type_alias = "type" IDENT [ generics ] "=" type */
static VxNode *parse_type_alias(Parser *p, bool is_pub)
{
    VxNode *n = new_node(p, VX_N_TYPE_ALIAS, cur(p)->span.start);
    advance(p);
    n->u.alias.is_pub = is_pub;
    n->u.alias.name = expect_ident(p, "a name for the type alias");
    n->u.alias.generics = parse_generics(p);
    if (expect(p, TK_EQ, "in the type alias, as in `type Vec3 = [f64; 3]`"))
        n->u.alias.type = parse_type(p);
    return finish(p, n);
}

/* field = [ "pub" ] IDENT ":" type [ "=" expr ] */
static VxNode *parse_field(Parser *p)
{
    VxNode *n = new_node(p, VX_N_FIELD, cur(p)->span.start);
    n->u.field.is_pub = eat(p, TK_PUB);
    n->u.field.name = expect_ident(p, "a field name");
    if (!expect(p, TK_COLON, "and a type after the field name, as in `x: f64`")) return finish(p, n);
    n->u.field.type = parse_type(p);
    if (eat(p, TK_EQ)) n->u.field.value = parse_expr(p);
    return finish(p, n);
}

/* Members of { } bodies may be separated by commas, newlines or nothing:
 *     members = "{" { sep } { member { sep } } "}"     sep = "," | ";" | NEWLINE */
static VxNodeList parse_members(Parser *p, VxNode *(*member)(Parser *))
{
    NodeVec v = {0};
    VxSpan open = cur(p)->span;
    if (!expect(p, TK_LBRACE, NULL)) return to_list(p, &v);
    for (;;) {
        while (at(p, TK_COMMA) || at(p, TK_NEWLINE) || at(p, TK_SEMI)) advance(p);
        if (at(p, TK_RBRACE) || at(p, TK_EOF)) break;
        int before = p->pos;
        vx_vec_push(&v, member(p));
        if (p->panic) {
            /* skip to the next line or `,` of this body, over whole nested bodies */
            int depth = 0;
            while (!at(p, TK_EOF)) {
                VxTokKind k = kind(p);
                if (depth == 0 && (k == TK_RBRACE || k == TK_NEWLINE || k == TK_COMMA)) break;
                if (k == TK_LBRACE || k == TK_LPAREN || k == TK_LBRACKET) depth++;
                if ((k == TK_RBRACE || k == TK_RPAREN || k == TK_RBRACKET) && depth > 0) depth--;
                advance(p);
            }
            p->panic = false;
        }
        if (p->pos == before) advance(p);
    }
    expect_closing(p, TK_RBRACE, open);
    return to_list(p, &v);
}

/* struct = "struct" IDENT [ generics ] [ where ] "{" { field sep } "}" */
static VxNode *parse_struct(Parser *p, bool is_pub)
{
    VxNode *n = new_node(p, VX_N_STRUCT, cur(p)->span.start);
    advance(p);
    n->u.strukt.is_pub = is_pub;
    n->u.strukt.name = expect_ident(p, "a struct name");
    n->u.strukt.generics = parse_generics(p);
    n->u.strukt.where = parse_where(p);
    skip_newline_before(p, TK_LBRACE);
    n->u.strukt.fields = parse_members(p, parse_field);
    return finish(p, n);
}

static VxNodeList parse_type_list(Parser *p, VxTokKind close)
{
    NodeVec v = {0};
    VxSpan open = cur(p)->span;
    advance(p);
    while (!at(p, close) && !at(p, TK_EOF)) {
        vx_vec_push(&v, parse_type(p));
        if (!eat(p, TK_COMMA)) break;
    }
    expect_closing(p, close, open);
    return to_list(p, &v);
}

/* variant = IDENT [ "(" type { "," type } ")" | "{" { field sep } "}" ] [ "=" expr ] */
static VxNode *parse_variant(Parser *p)
{
    VxNode *n = new_node(p, VX_N_VARIANT, cur(p)->span.start);
    n->u.variant.name = expect_ident(p, "a variant name");
    if (at(p, TK_LPAREN)) {
        n->u.variant.shape = VX_VARIANT_TUPLE;
        n->u.variant.types = parse_type_list(p, TK_RPAREN);
    } else if (at(p, TK_LBRACE)) {
        n->u.variant.shape = VX_VARIANT_STRUCT;
        n->u.variant.fields = parse_members(p, parse_field);
    }
    if (eat(p, TK_EQ)) n->u.variant.value = parse_expr(p);
    return finish(p, n);
}

/* enum = "enum" IDENT [ generics ] [ where ] "{" { variant sep } "}" */
static VxNode *parse_enum(Parser *p, bool is_pub)
{
    VxNode *n = new_node(p, VX_N_ENUM, cur(p)->span.start);
    advance(p);
    n->u.enom.is_pub = is_pub;
    n->u.enom.name = expect_ident(p, "an enum name");
    n->u.enom.generics = parse_generics(p);
    n->u.enom.where = parse_where(p);
    skip_newline_before(p, TK_LBRACE);
    n->u.enom.variants = parse_members(p, parse_variant);
    return finish(p, n);
}

/* assoc_type = "type" IDENT [ ":" bounds ] [ "=" type ] */
static VxNode *parse_assoc_type(Parser *p)
{
    VxNode *n = new_node(p, VX_N_ASSOC_TYPE, cur(p)->span.start);
    advance(p);
    n->u.assoc_type.name = expect_ident(p, "a name for the associated type");
    if (eat(p, TK_COLON)) n->u.assoc_type.bounds = parse_type_bounds(p);
    if (eat(p, TK_EQ)) n->u.assoc_type.value = parse_type(p);
    return finish(p, n);
}

/* trait_item = { attribute } ( fn | assoc_type | const )   (bodies optional) */
static VxNode *parse_assoc_item(Parser *p, bool in_trait)
{
    VxNodeList attrs = parse_attributes(p);
    bool is_pub = eat(p, TK_PUB);
    VxNode *n;
    switch (kind(p)) {
    case TK_FN: case TK_KERNEL: n = parse_fn(p, in_trait, is_pub); break;
    case TK_TYPE: n = parse_assoc_type(p); break;
    case TK_CONST: n = parse_const(p, is_pub); break;
    default:
        expected(p, in_trait ? "`fn`, `type` or `const` in the trait" : "`fn`, `type` or `const` in the impl");
        return error_node(p);
    }
    n->attrs = attr_ptr(p, attrs);
    return n;
}

static VxNode *parse_trait_item(Parser *p)
{
    p->in_members++;
    VxNode *n = parse_assoc_item(p, true);
    p->in_members--;
    return n;
}

static VxNode *parse_impl_item(Parser *p)
{
    p->in_members++;
    VxNode *n = parse_assoc_item(p, false);
    p->in_members--;
    return n;
}

/* trait = "trait" IDENT [ generics ] [ ":" bounds ] [ where ] "{" { trait_item } "}" */
static VxNode *parse_trait(Parser *p, bool is_pub)
{
    VxNode *n = new_node(p, VX_N_TRAIT, cur(p)->span.start);
    advance(p);
    n->u.trait.is_pub = is_pub;
    n->u.trait.name = expect_ident(p, "a trait name");
    n->u.trait.generics = parse_generics(p);
    if (eat(p, TK_COLON)) n->u.trait.bounds = parse_type_bounds(p);
    n->u.trait.where = parse_where(p);
    skip_newline_before(p, TK_LBRACE);
    n->u.trait.items = parse_members(p, parse_trait_item);
    return finish(p, n);
}

/* impl = "impl" [ generics ] type [ "for" type ] [ where ] "{" { impl_item } "}" */
static VxNode *parse_impl(Parser *p)
{
    VxNode *n = new_node(p, VX_N_IMPL, cur(p)->span.start);
    advance(p);
    n->u.impl.generics = parse_generics(p);
    VxNode *first = parse_type(p);
    if (eat(p, TK_FOR)) {
        n->u.impl.trait = first;
        n->u.impl.self_type = parse_type(p);
    } else {
        n->u.impl.self_type = first;
    }
    n->u.impl.where = parse_where(p);
    skip_newline_before(p, TK_LBRACE);
    n->u.impl.items = parse_members(p, parse_impl_item);
    return finish(p, n);
}

/* self_param = [ "&" [ "mut" ] ] "self" | "mut" "self" */
static bool parse_self_param(Parser *p, VxNode *n)
{
    int i = 0;
    VxSelfKind k = VX_SELF_VALUE;
    if (peek_kind(p, 0) == TK_AMP) { i++; k = VX_SELF_REF; if (peek_kind(p, 1) == TK_MUT) { i++; k = VX_SELF_REF_MUT; } }
    else if (peek_kind(p, 0) == TK_MUT) i++;
    if (peek_kind(p, i) != TK_SELF) return false;
    for (int j = 0; j <= i; j++) advance(p);
    n->u.param.self = k;
    n->u.param.mut = i == 1 && k == VX_SELF_VALUE;      /* `mut self` */
    n->u.param.name = "self";
    return true;
}

/* param = self_param | [ "mut" ] IDENT ":" type [ "=" expr ] */
static VxNode *parse_param(Parser *p)
{
    VxNode *n = new_node(p, VX_N_PARAM, cur(p)->span.start);
    if (parse_self_param(p, n)) return finish(p, n);
    n->u.param.mut = eat(p, TK_MUT);
    const VxToken *name_tok = cur(p);
    n->u.param.name = expect_ident(p, "a parameter name");
    if (!at(p, TK_COLON)) {
        if (!p->panic && name_tok->kind == TK_IDENT) {
            VxDiag *g = error_at(p, name_tok->span, "parameter `%s` needs a type", n->u.param.name);
            vx_diag_primary(p->diags, g, "expected `: Type` after this name");
            vx_diag_help(p->diags, g, "write it with a type, as in `%s: i64`", n->u.param.name);
        }
        return finish(p, n);
    }
    advance(p);
    n->u.param.type = parse_type(p);
    if (eat(p, TK_EQ)) n->u.param.value = parse_expr(p);
    return finish(p, n);
}

/* params = "(" [ param { "," param } [","] ] ")" */
static VxNodeList parse_params(Parser *p)
{
    NodeVec v = {0};
    VxSpan open = cur(p)->span;
    if (!expect(p, TK_LPAREN, "to start the parameter list")) return to_list(p, &v);
    while (!at(p, TK_RPAREN) && !at(p, TK_EOF)) {
        int before = p->pos;
        vx_vec_push(&v, parse_param(p));
        if (!eat(p, TK_COMMA)) break;
        if (p->pos == before) break;
    }
    expect_closing(p, TK_RPAREN, open);
    return to_list(p, &v);
}

static void missing_body(Parser *p, VxNode *n)
{
    if (at(p, TK_COLON) && !n->u.fn.ret) {
        VxDiag *g = expected(p, "`{` to start the function body");
        vx_diag_help(p->diags, g, "return types are written after an arrow: `-> Type`, not `: Type`");
    } else if (at(p, TK_IDENT) && !n->u.fn.ret) {
        VxDiag *g = expected(p, "`{` to start the function body");
        vx_diag_help(p->diags, g, "return types are written after an arrow: `-> %s`", ident_text(p, cur(p)));
    } else {
        expected(p, "`{` to start the function body");
    }
}

/* A function without a body (a @builtin declaration) ends its line, and
 * the next line starts another item; anything else means the `{` is missing. */
static bool is_declaration_end(Parser *p)
{
    if (at(p, TK_SEMI) || at(p, TK_RBRACE) || at(p, TK_EOF)) return true;
    if (!at(p, TK_NEWLINE)) return false;
    VxTokKind next = peek_kind(p, 1);
    return next == TK_EOF || next == TK_RBRACE || next == TK_AT || next == TK_FN || next == TK_KERNEL ||
           next == TK_STRUCT || next == TK_ENUM || next == TK_TRAIT || next == TK_IMPL ||
           next == TK_IMPORT || next == TK_TYPE || next == TK_CONST || next == TK_PUB;
}

/* fn = ( "fn" | "kernel" ) IDENT [ generics ] params [ "->" type ] [ where ] [ block ]
 * (only trait methods and @builtin declarations may leave the block out) */
static VxNode *parse_fn(Parser *p, bool in_trait, bool is_pub)
{
    VxNode *n = new_node(p, VX_N_FN, cur(p)->span.start);
    n->u.fn.is_kernel = advance(p)->kind == TK_KERNEL;
    n->u.fn.is_pub = is_pub;
    if (in_method_body(p) && kind(p) >= TK_AS && kind(p) < TK_FIRST_RESERVED)
        n->u.fn.name = ident_text(p, advance(p));         /* methods may be named by keywords: `fn var(self)` */
    else
        n->u.fn.name = expect_ident(p, n->u.fn.is_kernel ? "a kernel name" : "a function name");
    n->u.fn.generics = parse_generics(p);
    n->u.fn.params = parse_params(p);
    skip_newline_before(p, TK_ARROW);                /* a long signature may put `->` on the next line */
    if (eat(p, TK_ARROW)) {
        if (at(p, TK_LBRACE)) expected(p, "a return type after `->`");
        else n->u.fn.ret = parse_type(p);
    }
    n->u.fn.where = parse_where(p);
    skip_newline_before(p, TK_LBRACE);
    if (at(p, TK_LBRACE)) n->u.fn.body = parse_block(p);
    else if (!in_trait && !is_declaration_end(p))
        missing_body(p, n);             /* a declaration without a body is for sema to judge */
    return finish(p, n);
}

/* item = [ "pub" ] ( import | const | type_alias | struct | enum | trait | impl | fn ) */
VxNode *parse_item(Parser *p, VxNodeList attrs)
{
    uint32_t start = attrs.len ? attrs.items[0]->span.start : cur(p)->span.start;
    bool is_pub = eat(p, TK_PUB);
    VxNode *n;
    switch (kind(p)) {
    case TK_IMPORT: n = parse_import(p); n->u.import.is_pub = is_pub; break;
    case TK_CONST: n = parse_const(p, is_pub); break;
    case TK_TYPE: n = parse_type_alias(p, is_pub); break;
    case TK_STRUCT: n = parse_struct(p, is_pub); break;
    case TK_ENUM: n = parse_enum(p, is_pub); break;
    case TK_TRAIT: n = parse_trait(p, is_pub); break;
    case TK_IMPL:
        if (is_pub) {
            VxDiag *g = error_at(p, vx_span(start, cur(p)->span.start), "`pub` has no meaning on an `impl`");
            vx_diag_help(p->diags, g, "mark the methods inside it `pub` instead");
            p->panic = false;
        }
        n = parse_impl(p);
        break;
    case TK_FN: case TK_KERNEL: n = parse_fn(p, false, is_pub); break;
    default:
        expected(p, "an item after `pub`");
        return error_node(p);
    }
    n->attrs = attr_ptr(p, attrs);
    n->span.start = start;
    return n;
}

static void not_an_item(Parser *p)
{
    VxDiag *g = expected(p, "an item (`fn`, `struct`, `enum`, `trait`, `impl`, `const`, `type`, `import`)");
    VxTokKind k = kind(p);
    bool fn_like = k == TK_IDENT && (peek_kind(p, 1) == TK_LPAREN || peek_kind(p, 1) == TK_IDENT);
    if (fn_like)
        vx_diag_help(p->diags, g, "functions are declared with `fn`, as in `fn main() { ... }`");
    else if (k == TK_LET || k == TK_VAR || k == TK_IF || k == TK_FOR || k == TK_WHILE || k == TK_IDENT)
        vx_diag_help(p->diags, g, "statements go inside a function, such as `fn main() { ... }`");
    else if (k == TK_RBRACE)
        vx_diag_help(p->diags, g, "this `}` has no matching `{`");
}

/* file = { item } EOF */
static VxNode *parse_file(Parser *p)
{
    VxNode *file = new_node(p, VX_N_FILE, 0);
    NodeVec items = {0};
    for (;;) {
        skip_newlines(p);
        if (at(p, TK_EOF)) break;
        int before = p->pos;
        p->chain = 0;
        VxNodeList attrs = parse_attributes(p);
        if (at_item_start(p)) {
            VxNode *it = parse_item(p, attrs);
            vx_vec_push(&items, it);
            VxNodeKind k = it->kind;
            bool line_item = k == VX_N_CONST || k == VX_N_TYPE_ALIAS || k == VX_N_IMPORT;
            if (!p->panic && line_item && !at(p, TK_NEWLINE) && !at(p, TK_SEMI) && !at(p, TK_EOF))
                expected(p, "end of line after the declaration");
        } else {
            not_an_item(p);
        }
        if (p->panic) sync_item(p);
        if (p->pos == before) advance(p);
    }
    file->u.file.items = to_list(p, &items);
    file->span = vx_span(0, p->src->len);
    return file;
}

VxNode *vx_parse_tokens(const VxSource *src, const VxTokens *toks, VxArena *arena, VxDiags *diags)
{
    Parser p;
    memset(&p, 0, sizeof p);
    p.src = src;
    p.arena = arena;
    p.diags = diags;
    p.toks = toks->data;
    p.tokens = toks;
    p.ntoks = toks->len;
    return parse_file(&p);
}

VxNode *vx_parse(const VxSource *src, VxArena *arena, VxDiags *diags)
{
    VxTokens toks = vx_lex(src, arena, diags);
    VxNode *file = vx_parse_tokens(src, &toks, arena, diags);
    vx_tokens_free(&toks);
    return file;
}
