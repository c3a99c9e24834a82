/* parse_type.c - type syntax: paths with generic arguments, arrays and
 * slices, tuples, references, function types and tensor types with shapes. */
#include "parse_internal.h"

#include <string.h>

/* dim = INT | IDENT | "?" */
static VxNode *parse_dim(Parser *p)
{
    VxNode *n = new_node(p, VX_N_DIM, cur(p)->span.start);
    n->u.dim.value = 0;                  /* names and `?` have none (the checker hashes it) */
    if (at(p, TK_INT)) {
        const VxToken *t = advance(p);
        n->u.dim.kind = VX_DIM_INT;
        if (t->v.ival) n->u.dim.value = (int64_t)t->v.ival->limb[0];
    } else if (at(p, TK_IDENT)) {
        n->u.dim.kind = VX_DIM_NAME;
        n->u.dim.name = ident_text(p, advance(p));
    } else if (eat(p, TK_QUESTION)) {
        n->u.dim.kind = VX_DIM_ANY;
    } else {
        VxDiag *g = expected(p, "a dimension");
        vx_diag_help(p->diags, g, "a dimension is a number (`128`), a name (`B`) or `?` for one known only at run time");
        return error_node(p);
    }
    return finish(p, n);
}

/* tensor_type = "Tensor" "<" type [ "," "[" [ dim { "," dim } ] "]" ] ">" */
static VxNode *parse_tensor_type(Parser *p)
{
    VxNode *n = new_node(p, VX_N_TY_TENSOR, cur(p)->span.start);
    advance(p);                                   /* Tensor */
    VxSpan open = cur(p)->span;
    advance(p);                                   /* < */
    n->u.ty_tensor.dtype = parse_type(p);
    if (eat(p, TK_COMMA)) {
        VxSpan sopen = cur(p)->span;
        if (!expect(p, TK_LBRACKET, "to start the shape, as in `Tensor<f32, [B, 128]>`")) return finish(p, n);
        n->u.ty_tensor.has_shape = true;
        NodeVec dims = {0};
        while (!at(p, TK_RBRACKET) && !at(p, TK_EOF)) {
            vx_vec_push(&dims, parse_dim(p));
            if (!eat(p, TK_COMMA) || p->panic) break;
        }
        expect_closing(p, TK_RBRACKET, sopen);
        n->u.ty_tensor.dims = to_list(p, &dims);
    }
    if (!eat_gt(p) && !p->panic) {
        VxDiag *g = expected(p, "`>` to close the tensor type");
        vx_diag_label(p->diags, g, open, "opened here");
    }
    return finish(p, n);
}

/* generic_args = [ generic_arg { "," generic_arg } [","] ] ">"   (after "<")
 * generic_arg  = type | INT */
VxNodeList parse_generic_args(Parser *p)
{
    NodeVec v = {0};
    while (!at_gt(p) && !at(p, TK_EOF)) {
        if (at(p, TK_INT)) vx_vec_push(&v, parse_literal(p));     /* not parse_expr: `>` closes */
        else vx_vec_push(&v, parse_type(p));
        if (!eat(p, TK_COMMA) || p->panic) break;
    }
    if (!eat_gt(p) && !p->panic) expected(p, "`,` or `>` in the generic argument list");
    return to_list(p, &v);
}

/* path_type = name [ "<" generic_args ] { "::" name [ "<" generic_args ] } */
static VxNode *parse_path_type(Parser *p)
{
    VxNode *n = new_node(p, VX_N_TY_PATH, cur(p)->span.start);
    NodeVec segs = {0};
    do {
        VxNode *seg = new_node(p, VX_N_PATH_SEG, cur(p)->span.start);
        const char *qual = segs.len == 0 ? qualified_name(p, true) : NULL;
        if (qual) seg->u.seg.name = qual;
        else if (eat(p, TK_SELF_TYPE)) seg->u.seg.name = "Self";
        else seg->u.seg.name = expect_ident(p, "a type");
        if (eat(p, TK_LT)) seg->u.seg.args = parse_generic_args(p);
        vx_vec_push(&segs, finish(p, seg));
    } while (!p->panic && eat(p, TK_COLONCOLON));
    n->u.path.segs = to_list(p, &segs);
    return finish(p, n);
}

/* ref_type = "&" [ "mut" ] type   (`&&T` is two references) */
static VxNode *parse_ref_type(Parser *p)
{
    VxNode *n = new_node(p, VX_N_TY_REF, cur(p)->span.start);
    bool twice = advance(p)->kind == TK_AMPAMP;
    n->u.ty_ref.mut = eat(p, TK_MUT);
    n->u.ty_ref.inner = parse_type(p);
    finish(p, n);
    if (!twice) return n;
    VxNode *outer = new_node(p, VX_N_TY_REF, n->span.start);
    outer->u.ty_ref.inner = n;
    return finish(p, outer);
}

/* array_type = "[" type [ ";" expr ] "]" */
static VxNode *parse_array_type(Parser *p)
{
    VxNode *n = new_node(p, VX_N_TY_SLICE, cur(p)->span.start);
    VxSpan open = cur(p)->span;
    advance(p);
    n->u.ty_array.elem = parse_type(p);
    if (eat(p, TK_SEMI)) {
        n->kind = VX_N_TY_ARRAY;
        n->u.ty_array.len = parse_expr(p);
    }
    expect_closing(p, TK_RBRACKET, open);
    return finish(p, n);
}

/* tuple_type = "(" [ type { "," type } [","] ] ")"   (`(T)` is just T) */
static VxNode *parse_tuple_type(Parser *p)
{
    VxNode *n = new_node(p, VX_N_TY_TUPLE, cur(p)->span.start);
    VxSpan open = cur(p)->span;
    advance(p);
    NodeVec elems = {0};
    bool tuple = at(p, TK_RPAREN);
    while (!at(p, TK_RPAREN) && !at(p, TK_EOF)) {
        vx_vec_push(&elems, parse_type(p));
        if (!eat(p, TK_COMMA) || p->panic) break;
        tuple = true;
    }
    if (!expect_closing(p, TK_RPAREN, open) || tuple) {
        n->u.list.elems = to_list(p, &elems);
        return finish(p, n);
    }
    VxNode *inner = elems.data[0];
    vx_vec_free(&elems);
    return inner;
}

/* fn_type = "fn" "(" [ type { "," type } [","] ] ")" [ "->" type ] */
static VxNode *parse_fn_type(Parser *p)
{
    VxNode *n = new_node(p, VX_N_TY_FN, cur(p)->span.start);
    advance(p);
    VxSpan open = cur(p)->span;
    NodeVec params = {0};
    if (expect(p, TK_LPAREN, "after `fn` in a function type, as in `fn(i64) -> i64`")) {
        while (!at(p, TK_RPAREN) && !at(p, TK_EOF)) {
            vx_vec_push(&params, parse_type(p));
            if (!eat(p, TK_COMMA) || p->panic) break;
        }
        expect_closing(p, TK_RPAREN, open);
    }
    n->u.ty_fn.params = to_list(p, &params);
    if (eat(p, TK_ARROW)) n->u.ty_fn.ret = parse_type(p);
    return finish(p, n);
}

static bool at_tensor(Parser *p)
{
    const VxToken *t = cur(p);
    return t->kind == TK_IDENT && t->span.end - t->span.start == 6 &&
           memcmp(p->src->text + t->span.start, "Tensor", 6) == 0 && peek_kind(p, 1) == TK_LT;
}

/* type = ref_type | array_type | tuple_type | fn_type | "_" | tensor_type | path_type */
VxNode *parse_type(Parser *p)
{
    if (!enter(p)) return error_node(p);
    VxNode *n;
    switch (kind(p)) {
    case TK_AMP: case TK_AMPAMP: n = parse_ref_type(p); break;
    case TK_LBRACKET: n = parse_array_type(p); break;
    case TK_LPAREN: n = parse_tuple_type(p); break;
    case TK_FN: n = parse_fn_type(p); break;
    case TK_SELF_TYPE: n = parse_path_type(p); break;
    case TK_IDENT:
        if (cur(p)->span.end - cur(p)->span.start == 1 && p->src->text[cur(p)->span.start] == '_') {
            n = new_node(p, VX_N_TY_INFER, cur(p)->span.start);
            advance(p);
            finish(p, n);
        } else {
            n = at_tensor(p) ? parse_tensor_type(p) : parse_path_type(p);
        }
        break;
    default:
        expected(p, "a type");
        n = error_node(p);
    }
    leave(p);
    return n;
}
