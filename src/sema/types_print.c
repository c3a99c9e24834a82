/* types_print.c - types written as source syntax, for diagnostics and
 * --dump-types. */
#include "sema.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct Out { char *buf; size_t cap, len; } Out;

static void put(Out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(Out *o, const char *fmt, ...)
{
    if (o->len + 1 >= o->cap) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n > 0) o->len = o->len + (size_t)n < o->cap ? o->len + (size_t)n : o->cap - 1;
}

static void type_out(VxTypes *t, VxType *ty, Out *o, int depth);

static void list_out(VxTypes *t, VxType **ts, int n, Out *o, int depth)
{
    for (int i = 0; i < n; i++) {
        if (i) put(o, ", ");
        type_out(t, ts[i], o, depth + 1);
    }
}

static void type_out(VxTypes *t, VxType *ty, Out *o, int depth)
{
    ty = vx_resolve(t, ty);
    if (depth > 32) { put(o, "..."); return; }
    switch (ty->kind) {
    case VX_T_ERROR: put(o, "{error}"); break;
    case VX_T_UNIT: put(o, "()"); break;
    case VX_T_NEVER: put(o, "!"); break;
    case VX_T_BOOL: put(o, "bool"); break;
    case VX_T_STR: put(o, "str"); break;
    case VX_T_INT: put(o, "%s", vx_int_name(ty->u.ik)); break;
    case VX_T_FLOAT: put(o, "%s", vx_float_name(ty->u.fk)); break;
    case VX_T_TUPLE:
        put(o, "(");
        list_out(t, ty->u.tuple.elems, ty->u.tuple.n, o, depth);
        put(o, ty->u.tuple.n == 1 ? ",)" : ")");
        break;
    case VX_T_MAP: put(o, "HashMap<"); list_out(t, ty->u.tuple.elems, 2, o, depth); put(o, ">"); break;
    case VX_T_ARRAY: {
        VxDim d = vx_resolve_dim(t, vx_array_len(ty));
        put(o, "[");
        type_out(t, ty->u.arr.elem, o, depth + 1);
        if (d.tag == VX_DIM_CONST) put(o, "; %lld]", (long long)d.value);
        else put(o, "; %s]", d.tag == VX_DIM_SYM || d.tag == VX_DIM_PARAM ? d.name : "_");
        break;
    }
    case VX_T_SLICE: put(o, "["); type_out(t, ty->u.arr.elem, o, depth + 1); put(o, "]"); break;
    case VX_T_REF: put(o, ty->u.arr.mut ? "&mut " : "&"); type_out(t, ty->u.arr.elem, o, depth + 1); break;
    case VX_T_FN:
        put(o, "fn(");
        list_out(t, ty->u.fn.params, ty->u.fn.n, o, depth);
        put(o, ")");
        if (vx_resolve(t, ty->u.fn.ret)->kind != VX_T_UNIT) { put(o, " -> "); type_out(t, ty->u.fn.ret, o, depth + 1); }
        break;
    case VX_T_ADT:
        put(o, "%s", ty->u.adt.decl->name);
        if (ty->u.adt.n) { put(o, "<"); list_out(t, ty->u.adt.args, ty->u.adt.n, o, depth); put(o, ">"); }
        break;
    case VX_T_PARAM: put(o, "%s", ty->u.param.name); break;
    case VX_T_VAR:
        if (ty->u.var.lit == VX_LIT_INT) put(o, "{integer}");
        else if (ty->u.var.lit == VX_LIT_FLOAT) put(o, "{float}");
        else put(o, "_");
        break;
    case VX_T_NAT: {
        VxDim d = vx_resolve_dim(t, ty->u.nat);
        if (d.tag == VX_DIM_CONST) put(o, "%lld", (long long)d.value);
        else if (d.tag == VX_DIM_SYM || d.tag == VX_DIM_PARAM) put(o, "%s", d.name);
        else put(o, "_");
        break;
    }
    case VX_T_TENSOR:
        put(o, "Tensor<");
        type_out(t, ty->u.tensor.dtype, o, depth + 1);
        if (ty->u.tensor.ranked) {
            put(o, ", [");
            for (int i = 0; i < ty->u.tensor.rank; i++) {
                const VxDim *d = &ty->u.tensor.dims[i];
                if (i) put(o, ", ");
                VxDim r = vx_resolve_dim(t, *d);
                if (r.tag == VX_DIM_CONST) put(o, "%lld", (long long)r.value);
                else if (r.tag == VX_DIM_SYM || r.tag == VX_DIM_PARAM) put(o, "%s", r.name);
                else put(o, "?");
            }
            put(o, "]");
        }
        put(o, ">");
        break;
    default: put(o, "?");
    }
}

void vx_type_name(VxTypes *t, VxType *ty, char *buf, size_t cap)
{
    Out o = { buf, cap, 0 };
    buf[0] = '\0';
    type_out(t, ty, &o, 0);
}

const char *vx_tname(VxTypes *t, VxType *ty)
{
    static char ring[8][512];
    static int next;
    char *b = ring[next++ % 8];
    vx_type_name(t, ty, b, 512);
    return b;
}
