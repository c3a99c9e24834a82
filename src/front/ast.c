/* ast.c - printing the syntax tree: the indented dump used by
 * `vortex parse --dump` and golden tests, and types and patterns written
 * back in source syntax.  The dump format is stable: tests depend on it. */
#include "ast.h"

#include <stdarg.h>
#include <string.h>

static const char *const node_names[VX_N_COUNT] = {
#define X(name, text) text,
    VX_NODE_KINDS(X)
#undef X
};

const char *vx_node_name(VxNodeKind k) { return k < VX_N_COUNT ? node_names[k] : "?"; }

/* ---- a bounded string builder ------------------------------------------- */

typedef struct Str {
    char *buf;
    size_t cap, len;
} Str;

static void put(Str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(Str *s, const char *fmt, ...)
{
    if (s->len + 1 >= s->cap) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
    va_end(ap);
    if (n > 0) s->len = s->len + (size_t)n < s->cap ? s->len + (size_t)n : s->cap - 1;
}

void vx_u256_str(const VxU256 *v, char *buf, size_t cap)
{
    VxU256 x = *v;
    char tmp[80];
    int n = 0;
    do {                                          /* repeated division by 10 */
        unsigned __int128 rem = 0;
        for (int i = 3; i >= 0; i--) {
            unsigned __int128 cur = (rem << 64) | x.limb[i];
            x.limb[i] = (uint64_t)(cur / 10);
            rem = cur % 10;
        }
        tmp[n++] = (char)('0' + (int)rem);
    } while (x.limb[0] | x.limb[1] | x.limb[2] | x.limb[3]);
    size_t j = 0;
    while (n > 0 && j + 1 < cap) buf[j++] = tmp[--n];
    buf[j] = '\0';
}

static void put_type(Str *s, const VxNode *t);
static void put_pat(Str *s, const VxNode *p);
static const char *op_text(VxTokKind op);
static void put_expr_inline(Str *s, const VxNode *e);

static void put_list(Str *s, VxNodeList l, void (*each)(Str *, const VxNode *))
{
    for (int i = 0; i < l.len; i++) {
        if (i) put(s, ", ");
        each(s, l.items[i]);
    }
}

static void put_generic_arg(Str *s, const VxNode *a)
{
    if (a->kind == VX_N_INT) put_expr_inline(s, a);
    else put_type(s, a);
}

static void put_path(Str *s, VxNodeList segs, bool turbofish)
{
    for (int i = 0; i < segs.len; i++) {
        const VxNode *g = segs.items[i];
        put(s, "%s%s", i ? "::" : "", g->u.seg.name);
        if (g->u.seg.args.len) {
            put(s, "%s<", turbofish ? "::" : "");
            put_list(s, g->u.seg.args, put_generic_arg);
            put(s, ">");
        }
    }
}

/* ---- types ------------------------------------------------------------------ */

static void put_dim(Str *s, const VxNode *d)
{
    if (d->kind != VX_N_DIM) { put(s, "<error>"); return; }
    if (d->u.dim.kind == VX_DIM_INT) put(s, "%lld", (long long)d->u.dim.value);
    else if (d->u.dim.kind == VX_DIM_NAME) put(s, "%s", d->u.dim.name);
    else put(s, "?");
}

static void put_type(Str *s, const VxNode *t)
{
    if (!t) { put(s, "<none>"); return; }
    switch (t->kind) {
    case VX_N_TY_PATH: put_path(s, t->u.path.segs, false); break;
    case VX_N_TY_SLICE: put(s, "["); put_type(s, t->u.ty_array.elem); put(s, "]"); break;
    case VX_N_TY_ARRAY:
        put(s, "[");
        put_type(s, t->u.ty_array.elem);
        put(s, "; ");
        put_expr_inline(s, t->u.ty_array.len);
        put(s, "]");
        break;
    case VX_N_TY_TUPLE:
        put(s, "(");
        put_list(s, t->u.list.elems, put_type);
        put(s, t->u.list.elems.len == 1 ? ",)" : ")");
        break;
    case VX_N_TY_REF: put(s, t->u.ty_ref.mut ? "&mut " : "&"); put_type(s, t->u.ty_ref.inner); break;
    case VX_N_TY_FN:
        put(s, "fn(");
        put_list(s, t->u.ty_fn.params, put_type);
        put(s, ")");
        if (t->u.ty_fn.ret) { put(s, " -> "); put_type(s, t->u.ty_fn.ret); }
        break;
    case VX_N_TY_TENSOR:
        put(s, "Tensor<");
        put_type(s, t->u.ty_tensor.dtype);
        if (t->u.ty_tensor.has_shape) {
            put(s, ", [");
            put_list(s, t->u.ty_tensor.dims, put_dim);
            put(s, "]");
        }
        put(s, ">");
        break;
    case VX_N_TY_INFER: put(s, "_"); break;
    default: put(s, "<error>");
    }
}

void vx_type_str(const VxNode *t, char *buf, size_t cap)
{
    Str s = { buf, cap, 0 };
    buf[0] = '\0';
    put_type(&s, t);
}

/* ---- inline expressions (literals inside types and patterns) ---------------- */

static void put_string_lit(Str *s, const char *v, uint32_t n)
{
    put(s, "\"");
    for (uint32_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c == '"' || c == '\\') put(s, "\\%c", c);
        else if (c == '\n') put(s, "\\n");
        else if (c == '\t') put(s, "\\t");
        else if (c == '\r') put(s, "\\r");
        else if (c < 0x20 || c == 0x7F) put(s, "\\x%02X", c);
        else put(s, "%c", c);
    }
    put(s, "\"");
}

static void put_expr_inline(Str *s, const VxNode *e)
{
    char num[80];
    if (!e) { put(s, "<none>"); return; }
    switch (e->kind) {
    case VX_N_INT:
        vx_u256_str(&e->u.int_lit.value, num, sizeof num);
        put(s, "%s%s", num, vx_suffix_name(e->u.int_lit.suffix));
        break;
    case VX_N_FLOAT: put(s, "%s", e->u.float_lit.text); break;
    case VX_N_STRING: put_string_lit(s, e->u.str.value, e->u.str.len); break;
    case VX_N_BOOL: put(s, e->u.boolean ? "true" : "false"); break;
    case VX_N_IDENT: put(s, "%s", e->u.ident.name); break;
    case VX_N_PATH: put_path(s, e->u.path.segs, true); break;
    case VX_N_UNARY: put(s, "-"); put_expr_inline(s, e->u.unary.operand); break;
    case VX_N_BINARY:
        put(s, "(");
        put_expr_inline(s, e->u.binary.lhs);
        put(s, " %s ", op_text(e->u.binary.op));
        put_expr_inline(s, e->u.binary.rhs);
        put(s, ")");
        break;
    default: put(s, "<%s>", vx_node_name(e->kind));
    }
}

/* ---- patterns ---------------------------------------------------------------- */

static void put_pat_field(Str *s, const VxNode *f)
{
    put(s, "%s", f->u.pat_field.name);
    if (f->u.pat_field.pat) { put(s, ": "); put_pat(s, f->u.pat_field.pat); }
}

static void put_pat(Str *s, const VxNode *p)
{
    if (!p) { put(s, "<none>"); return; }
    switch (p->kind) {
    case VX_N_PAT_WILD: put(s, "_"); break;
    case VX_N_PAT_IDENT: put(s, "%s%s", p->u.pat_ident.mut ? "mut " : "", p->u.pat_ident.name); break;
    case VX_N_PAT_LIT: put_expr_inline(s, p->u.pat_lit.expr); break;
    case VX_N_PAT_RANGE:
        put_expr_inline(s, p->u.range.lo);
        put(s, p->u.range.inclusive ? "..=" : "..");
        if (p->u.range.hi) put_expr_inline(s, p->u.range.hi);
        break;
    case VX_N_PAT_TUPLE:
        put(s, "(");
        put_list(s, p->u.list.elems, put_pat);
        put(s, p->u.list.elems.len == 1 ? ",)" : ")");
        break;
    case VX_N_PAT_ARRAY: put(s, "["); put_list(s, p->u.list.elems, put_pat); put(s, "]"); break;
    case VX_N_PAT_PATH: put_path(s, p->u.path.segs, false); break;
    case VX_N_PAT_TUPLE_STRUCT:
        put_path(s, p->u.pat_tuple_struct.path->u.path.segs, false);
        put(s, "(");
        put_list(s, p->u.pat_tuple_struct.elems, put_pat);
        put(s, ")");
        break;
    case VX_N_PAT_STRUCT:
        put_path(s, p->u.pat_struct.path->u.path.segs, false);
        put(s, " { ");
        put_list(s, p->u.pat_struct.fields, put_pat_field);
        if (p->u.pat_struct.rest) put(s, "%s..", p->u.pat_struct.fields.len ? ", " : "");
        put(s, " }");
        break;
    case VX_N_PAT_OR:
        for (int i = 0; i < p->u.list.elems.len; i++) {
            if (i) put(s, " | ");
            put_pat(s, p->u.list.elems.items[i]);
        }
        break;
    case VX_N_PAT_REST: put(s, ".."); break;
    default: put(s, "<error>");
    }
}

void vx_pat_str(const VxNode *p, char *buf, size_t cap)
{
    Str s = { buf, cap, 0 };
    buf[0] = '\0';
    put_pat(&s, p);
}

/* ---- the tree dump ----------------------------------------------------------- */

typedef struct Dumper {
    FILE *out;
    const VxSource *src;
    VxDumpOptions opt;
} Dumper;

enum { LINE_MAX = 4096 };

static void dump(Dumper *d, const VxNode *n, int indent, const char *role);

/* One line: indentation, optional role, the header text, optional span. */
static void emit(Dumper *d, const VxNode *n, int indent, const char *role, const char *text)
{
    fprintf(d->out, "%*s%s%s%s", indent * 2, "", role ? role : "", role ? ": " : "", text);
    if (d->opt.spans && n) {
        VxPos a = vx_source_pos(d->src, n->span.start), b = vx_source_pos(d->src, n->span.end);
        fprintf(d->out, " @%d:%d-%d:%d", a.line, a.col, b.line, b.col);
    }
    fputc('\n', d->out);
}

static void dump_list(Dumper *d, VxNodeList l, int indent, const char *role)
{
    for (int i = 0; i < l.len; i++) dump(d, l.items[i], indent, role);
}

static void put_generic(Str *s, const VxNode *g)
{
    if (g->u.generic.const_type) {
        put(s, "const %s: ", g->u.generic.name);
        put_type(s, g->u.generic.const_type);
        return;
    }
    put(s, "%s", g->u.generic.name);
    for (int i = 0; i < g->u.generic.bounds.len; i++) {
        put(s, i ? " + " : ": ");
        put_type(s, g->u.generic.bounds.items[i]);
    }
}

static void put_generics(Str *s, VxNodeList g)
{
    if (!g.len) return;
    put(s, "<");
    put_list(s, g, put_generic);
    put(s, ">");
}

static void put_bounds(Str *s, VxNodeList b)
{
    for (int i = 0; i < b.len; i++) {
        put(s, i ? " + " : ": ");
        put_type(s, b.items[i]);
    }
}

static void dump_where(Dumper *d, VxNodeList w, int indent)
{
    static char buf[LINE_MAX];   /* not held across recursion */
    for (int i = 0; i < w.len; i++) {
        Str s = { buf, sizeof buf, 0 };
        put(&s, "Where ");
        put_type(&s, w.items[i]->u.where.type);
        put_bounds(&s, w.items[i]->u.where.bounds);
        emit(d, w.items[i], indent, NULL, buf);
    }
}

static void put_param(Str *s, const VxNode *p)
{
    static const char *const self_text[] = { "", "self", "&self", "&mut self" };
    if (p->u.param.self) { put(s, "%s%s", p->u.param.mut ? "mut " : "", self_text[p->u.param.self]); return; }
    if (p->u.param.pat) put_pat(s, p->u.param.pat);
    else put(s, "%s%s", p->u.param.mut ? "mut " : "", p->u.param.name);
    if (p->u.param.type) { put(s, ": "); put_type(s, p->u.param.type); }
}

static void dump_params(Dumper *d, VxNodeList ps, int indent)
{
    static char buf[LINE_MAX];   /* not held across recursion */
    for (int i = 0; i < ps.len; i++) {
        Str s = { buf, sizeof buf, 0 };
        put(&s, "Param ");
        put_param(&s, ps.items[i]);
        emit(d, ps.items[i], indent, NULL, buf);
        if (ps.items[i]->u.param.value) dump(d, ps.items[i]->u.param.value, indent + 1, "default");
    }
}

/* Header text for items; children are dumped by dump_item. */
static void item_header(Str *s, const VxNode *n)
{
    switch (n->kind) {
    case VX_N_FN:
        put(s, "%s%s %s", n->u.fn.is_pub ? "pub " : "", n->u.fn.is_kernel ? "Kernel" : "Fn", n->u.fn.name);
        put_generics(s, n->u.fn.generics);
        if (n->u.fn.ret) { put(s, " -> "); put_type(s, n->u.fn.ret); }
        break;
    case VX_N_STRUCT:
        put(s, "%sStruct %s", n->u.strukt.is_pub ? "pub " : "", n->u.strukt.name);
        put_generics(s, n->u.strukt.generics);
        break;
    case VX_N_ENUM:
        put(s, "%sEnum %s", n->u.enom.is_pub ? "pub " : "", n->u.enom.name);
        put_generics(s, n->u.enom.generics);
        break;
    case VX_N_TRAIT:
        put(s, "%sTrait %s", n->u.trait.is_pub ? "pub " : "", n->u.trait.name);
        put_generics(s, n->u.trait.generics);
        put_bounds(s, n->u.trait.bounds);
        break;
    case VX_N_IMPL:
        put(s, "Impl");
        put_generics(s, n->u.impl.generics);
        put(s, " ");
        if (n->u.impl.trait) { put_type(s, n->u.impl.trait); put(s, " for "); }
        put_type(s, n->u.impl.self_type);
        break;
    case VX_N_CONST:
        put(s, "%sConst %s", n->u.konst.is_pub ? "pub " : "", n->u.konst.name);
        if (n->u.konst.type) { put(s, ": "); put_type(s, n->u.konst.type); }
        break;
    case VX_N_TYPE_ALIAS:
        put(s, "%sTypeAlias %s", n->u.alias.is_pub ? "pub " : "", n->u.alias.name);
        put_generics(s, n->u.alias.generics);
        put(s, " = ");
        put_type(s, n->u.alias.type);
        break;
    case VX_N_IMPORT:
        put(s, "%sImport ", n->u.import.is_pub ? "pub " : "");
        for (int i = 0; i < n->u.import.npath; i++) put(s, "%s%s", i ? "." : "", n->u.import.path[i]);
        if (n->u.import.alias) put(s, " as %s", n->u.import.alias);
        break;
    case VX_N_ASSOC_TYPE:
        put(s, "AssocType %s", n->u.assoc_type.name);
        put_bounds(s, n->u.assoc_type.bounds);
        if (n->u.assoc_type.value) { put(s, " = "); put_type(s, n->u.assoc_type.value); }
        break;
    case VX_N_FIELD:
        put(s, "%sField %s: ", n->u.field.is_pub ? "pub " : "", n->u.field.name);
        put_type(s, n->u.field.type);
        break;
    case VX_N_VARIANT:
        put(s, "Variant %s", n->u.variant.name);
        if (n->u.variant.shape == VX_VARIANT_TUPLE) {
            put(s, "(");
            put_list(s, n->u.variant.types, put_type);
            put(s, ")");
        } else if (n->u.variant.shape == VX_VARIANT_STRUCT) {
            put(s, " {}");
        }
        break;
    case VX_N_IMPORT_NAME:
        put(s, "ImportName %s", n->u.import_name.name);
        if (n->u.import_name.alias) put(s, " as %s", n->u.import_name.alias);
        break;
    default:
        put(s, "%s", vx_node_name(n->kind));
    }
}

static void dump_item(Dumper *d, const VxNode *n, int indent)
{
    int in = indent + 1;
    switch (n->kind) {
    case VX_N_FN:
        dump_params(d, n->u.fn.params, in);
        dump_where(d, n->u.fn.where, in);
        if (n->u.fn.body) dump(d, n->u.fn.body, in, NULL);
        break;
    case VX_N_STRUCT: dump_where(d, n->u.strukt.where, in); dump_list(d, n->u.strukt.fields, in, NULL); break;
    case VX_N_ENUM: dump_where(d, n->u.enom.where, in); dump_list(d, n->u.enom.variants, in, NULL); break;
    case VX_N_TRAIT: dump_where(d, n->u.trait.where, in); dump_list(d, n->u.trait.items, in, NULL); break;
    case VX_N_IMPL: dump_where(d, n->u.impl.where, in); dump_list(d, n->u.impl.items, in, NULL); break;
    case VX_N_CONST: if (n->u.konst.value) dump(d, n->u.konst.value, in, NULL); break;
    case VX_N_IMPORT: dump_list(d, n->u.import.names, in, NULL); break;
    case VX_N_FIELD: if (n->u.field.value) dump(d, n->u.field.value, in, "default"); break;
    case VX_N_VARIANT:
        dump_list(d, n->u.variant.fields, in, NULL);
        if (n->u.variant.value) dump(d, n->u.variant.value, in, "value");
        break;
    default: break;
    }
}

static const char *op_text(VxTokKind op)
{
    if (op == TK_MUT) return "&mut";
    static char buf[8];
    const char *t = vx_tok_name(op);         /* "`+`" */
    size_t n = strlen(t);
    if (n < 3 || n - 2 >= sizeof buf) return t;
    memcpy(buf, t + 1, n - 2);
    buf[n - 2] = '\0';
    return buf;
}

static void put_label(Str *s, const char *label)
{
    if (label) put(s, " label=%s", label);
}

/* Header text for statements and expressions. */
static void expr_header(Str *s, const VxNode *n)
{
    put(s, "%s", vx_node_name(n->kind));
    switch (n->kind) {
    case VX_N_LET:
        if (n->u.let.is_var) { s->len = 0; put(s, "Var"); }
        else if (n->u.let.mut) put(s, " mut");
        put(s, " ");
        put_pat(s, n->u.let.pat);
        if (n->u.let.type) { put(s, ": "); put_type(s, n->u.let.type); }
        break;
    case VX_N_EXPR_STMT: if (n->u.expr_stmt.semi) put(s, ";"); break;
    case VX_N_INT: case VX_N_FLOAT: case VX_N_STRING: case VX_N_BOOL: case VX_N_IDENT: case VX_N_PATH:
        put(s, " ");
        put_expr_inline(s, n);
        break;
    case VX_N_UNARY: case VX_N_BINARY: case VX_N_ASSIGN: put(s, " %s", op_text(n->u.binary.op)); break;
    case VX_N_CAST: put(s, " as "); put_type(s, n->u.cast.type); break;
    case VX_N_NAMED_ARG: put(s, " %s", n->u.named_arg.name); break;
    case VX_N_METHOD_CALL:
        put(s, " %s", n->u.method.name);
        if (n->u.method.generic_args.len) {
            put(s, "::<");
            put_list(s, n->u.method.generic_args, put_generic_arg);
            put(s, ">");
        }
        break;
    case VX_N_FIELD_ACCESS: put(s, " %s", n->u.field_access.name); break;
    case VX_N_TUPLE_INDEX: put(s, " %u", n->u.tuple_index.index); break;
    case VX_N_RANGE: put(s, " %s", n->u.range.inclusive ? "..=" : ".."); break;
    case VX_N_STRUCT_LIT: put(s, " "); put_path(s, n->u.struct_lit.path->u.path.segs, true); break;
    case VX_N_FIELD_INIT: put(s, " %s%s", n->u.field_init.name, n->u.field_init.value ? "" : " (shorthand)"); break;
    case VX_N_ARM: put(s, " "); put_pat(s, n->u.arm.pat); break;
    case VX_N_WHILE: put_label(s, n->u.while_.label); break;
    case VX_N_LOOP: put_label(s, n->u.loop.label); break;
    case VX_N_FOR: put(s, " "); put_pat(s, n->u.for_.pat); put_label(s, n->u.for_.label); break;
    case VX_N_BREAK: case VX_N_CONTINUE: put_label(s, n->u.jump.label); break;
    case VX_N_CLOSURE:
        put(s, " |");
        put_list(s, n->u.closure.params, put_param);
        put(s, "|");
        if (n->u.closure.ret) { put(s, " -> "); put_type(s, n->u.closure.ret); }
        break;
    case VX_N_ATTR: s->len = 0; put(s, "Attr @%s", n->u.attr.name); break;
    default: break;
    }
}

static void dump_expr_children(Dumper *d, const VxNode *n, int in)
{
    switch (n->kind) {
    case VX_N_LET: if (n->u.let.value) dump(d, n->u.let.value, in, NULL); break;
    case VX_N_EXPR_STMT: dump(d, n->u.expr_stmt.expr, in, NULL); break;
    case VX_N_UNARY: dump(d, n->u.unary.operand, in, NULL); break;
    case VX_N_BINARY: case VX_N_ASSIGN:
        dump(d, n->u.binary.lhs, in, NULL);
        dump(d, n->u.binary.rhs, in, NULL);
        break;
    case VX_N_CAST: dump(d, n->u.cast.expr, in, NULL); break;
    case VX_N_CALL: dump(d, n->u.call.callee, in, "callee"); dump_list(d, n->u.call.args, in, NULL); break;
    case VX_N_NAMED_ARG: dump(d, n->u.named_arg.value, in, NULL); break;
    case VX_N_METHOD_CALL: dump(d, n->u.method.recv, in, "recv"); dump_list(d, n->u.method.args, in, NULL); break;
    case VX_N_FIELD_ACCESS: dump(d, n->u.field_access.expr, in, NULL); break;
    case VX_N_TUPLE_INDEX: dump(d, n->u.tuple_index.expr, in, NULL); break;
    case VX_N_INDEX: dump(d, n->u.index.expr, in, "base"); dump_list(d, n->u.index.indices, in, NULL); break;
    case VX_N_RANGE:
        if (n->u.range.lo) dump(d, n->u.range.lo, in, "lo");
        if (n->u.range.hi) dump(d, n->u.range.hi, in, "hi");
        break;
    case VX_N_TRY: dump(d, n->u.try_.expr, in, NULL); break;
    case VX_N_TUPLE: case VX_N_ARRAY: dump_list(d, n->u.list.elems, in, NULL); break;
    case VX_N_ARRAY_REPEAT: dump(d, n->u.repeat.value, in, "value"); dump(d, n->u.repeat.count, in, "count"); break;
    case VX_N_STRUCT_LIT: dump_list(d, n->u.struct_lit.fields, in, NULL); break;
    case VX_N_FIELD_INIT: if (n->u.field_init.value) dump(d, n->u.field_init.value, in, NULL); break;
    case VX_N_BLOCK: dump_list(d, n->u.block.stmts, in, NULL); break;
    case VX_N_IF: {
        static char buf[LINE_MAX];   /* not held across recursion */
        if (n->u.if_.pat) { vx_pat_str(n->u.if_.pat, buf, sizeof buf); emit(d, n->u.if_.pat, in, "let", buf); }
        dump(d, n->u.if_.cond, in, "cond");
        dump(d, n->u.if_.then, in, "then");
        if (n->u.if_.els) dump(d, n->u.if_.els, in, "else");
        break;
    }
    case VX_N_MATCH: dump(d, n->u.match.scrutinee, in, "value"); dump_list(d, n->u.match.arms, in, NULL); break;
    case VX_N_ARM:
        if (n->u.arm.guard) dump(d, n->u.arm.guard, in, "guard");
        if (n->u.arm.body) dump(d, n->u.arm.body, in, NULL);
        break;
    case VX_N_WHILE: {
        static char buf[LINE_MAX];   /* not held across recursion */
        if (n->u.while_.pat) { vx_pat_str(n->u.while_.pat, buf, sizeof buf); emit(d, n->u.while_.pat, in, "let", buf); }
        dump(d, n->u.while_.cond, in, "cond");
        if (n->u.while_.body) dump(d, n->u.while_.body, in, NULL);
        break;
    }
    case VX_N_LOOP: if (n->u.loop.body) dump(d, n->u.loop.body, in, NULL); break;
    case VX_N_FOR:
        if (n->u.for_.iter) dump(d, n->u.for_.iter, in, "in");
        if (n->u.for_.body) dump(d, n->u.for_.body, in, NULL);
        break;
    case VX_N_BREAK: case VX_N_RETURN: if (n->u.jump.value) dump(d, n->u.jump.value, in, NULL); break;
    case VX_N_CLOSURE: dump(d, n->u.closure.body, in, NULL); break;
    case VX_N_NO_GRAD: dump(d, n->u.no_grad.body, in, NULL); break;
    case VX_N_ATTR: dump_list(d, n->u.attr.args, in, NULL); break;
    default: break;
    }
}

static bool is_item(VxNodeKind k)
{
    switch (k) {
    case VX_N_FN: case VX_N_STRUCT: case VX_N_ENUM: case VX_N_TRAIT: case VX_N_IMPL: case VX_N_CONST:
    case VX_N_TYPE_ALIAS: case VX_N_IMPORT: case VX_N_ASSOC_TYPE: case VX_N_FIELD: case VX_N_VARIANT:
    case VX_N_IMPORT_NAME:
        return true;
    default:
        return false;
    }
}

static void dump(Dumper *d, const VxNode *n, int indent, const char *role)
{
    static char buf[LINE_MAX];   /* not held across recursion */
    Str s = { buf, sizeof buf, 0 };
    buf[0] = '\0';
    if (!n) { emit(d, NULL, indent, role, "<missing>"); return; }
    if (n->kind == VX_N_FILE) {
        emit(d, n, indent, role, "File");
        dump_list(d, n->u.file.items, indent + 1, NULL);
        return;
    }
    if (n->kind >= VX_N_PAT_WILD && n->kind <= VX_N_PAT_ARRAY) {
        put(&s, "Pattern ");
        put_pat(&s, n);
        emit(d, n, indent, role, buf);
        return;
    }
    if (n->kind >= VX_N_TY_PATH && n->kind <= VX_N_DIM) {
        put(&s, "Type ");
        put_type(&s, n);
        emit(d, n, indent, role, buf);
        return;
    }
    if (is_item(n->kind)) item_header(&s, n);
    else expr_header(&s, n);
    emit(d, n, indent, role, buf);
    if (n->attrs) dump_list(d, *n->attrs, indent + 1, NULL);
    if (is_item(n->kind)) dump_item(d, n, indent);
    else dump_expr_children(d, n, indent + 1);
}

void vx_ast_dump(FILE *out, const VxSource *src, const VxNode *root, VxDumpOptions opt)
{
    Dumper d = { out, src, opt };
    dump(&d, root, 0, NULL);
}
