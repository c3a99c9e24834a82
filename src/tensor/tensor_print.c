/* tensor_print.c - print(t) exactly as PyTorch 1.13 does with default
 * options (torch/_tensor_str.py): one formatter chosen from the elements
 * that are shown (fixed 4 decimals, integer-valued "1.", or scientific),
 * padded to a common width, 80-column lines, "..." summaries of 3 edge
 * items beyond 1000 elements, then dtype / grad suffixes. */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "tensor_internal.h"

enum { EDGE = 3, THRESHOLD = 1000, LINEWIDTH = 80 };

/* Output with snprintf semantics; line_start tracks the last line for the
 * 80-column rule even when the caller's buffer is too small. */
typedef struct Out { char *buf; size_t cap, len, line_start; } Out;

static void put(Out *o, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    for (int i = 0; i < n; i++) {
        if (o->len + 1 < o->cap) { o->buf[o->len] = tmp[i]; o->buf[o->len + 1] = 0; }
        if (tmp[i] == '\n') o->line_start = o->len + 1;
        o->len++;
    }
}

typedef struct Fmt { bool is_float, int_mode, sci; int width; } Fmt;

static double elem(const VxTensor *t, int64_t off)
{
    uint64_t cell = 0;
    size_t es = vx_dtype_size(t->dtype);
    t->storage->backend->read(t->storage, (size_t)off * es, &cell, es);
    return vx__load_f64(&cell, t->dtype, 0);
}

static int render(const Fmt *f, const VxTensor *t, double v, char *s, size_t cap)
{
    if (!f->is_float) {
        if (t->dtype == VX_BOOL) return snprintf(s, cap, "%s", v != 0 ? "True" : "False");
        return snprintf(s, cap, "%lld", (long long)v);
    }
    if (f->sci) return snprintf(s, cap, "%.4e", v);
    if (f->int_mode) return snprintf(s, cap, isfinite(v) ? "%.0f." : "%.0f", v);
    return snprintf(s, cap, "%.4f", v);
}

/* Visit the shown elements: cb(v) for each, in order. */
typedef void (*Visit)(void *ctx, double v);

static void each_shown(const VxTensor *t, int dim, int64_t off, bool summ, Visit cb, void *ctx)
{
    if (dim == t->ndim) { cb(ctx, elem(t, off)); return; }
    int64_t n = t->shape[dim];
    for (int64_t i = 0; i < n; i++) {
        if (summ && n > 2 * EDGE && i == EDGE) i = n - EDGE;
        each_shown(t, dim + 1, off + i * t->strides[dim], summ, cb, ctx);
    }
}

typedef struct Scan { Fmt *f; const VxTensor *t; double mn, mx; bool any, pass2; } Scan;

static void scan(void *ctx, double v)
{
    Scan *s = ctx;
    char buf[64];
    if (!s->f->is_float) { int w = render(s->f, s->t, v, buf, sizeof buf); if (w > s->f->width) s->f->width = w; return; }
    if (!isfinite(v) || v == 0) return;
    if (!s->pass2) {
        double a = fabs(v);
        if (!s->any || a < s->mn) s->mn = a;
        if (!s->any || a > s->mx) s->mx = a;
        s->any = true;
        if (v != ceil(v)) s->f->int_mode = false;
        return;
    }
    int w = render(s->f, s->t, v, buf, sizeof buf);
    if (w > s->f->width) s->f->width = w;
}

static Fmt make_fmt(const VxTensor *t, bool summ)
{
    Fmt f = { vx_dtype_is_float(t->dtype), true, false, 1 };
    Scan s = { &f, t, 0, 0, false, false };
    each_shown(t, 0, t->offset, summ, scan, &s);
    if (!f.is_float || !s.any) return f;
    f.sci = s.mx / s.mn > 1000.0 || s.mx > 1e8 || (!f.int_mode && s.mn < 1e-4);
    s.pass2 = true;
    each_shown(t, 0, t->offset, summ, scan, &s);
    return f;
}

static void put_elem(Out *o, const Fmt *f, const VxTensor *t, double v)
{
    char buf[64];
    int w = render(f, t, v, buf, sizeof buf);
    put(o, "%*s%s", f->width > w ? f->width - w : 0, "", buf);
}

static void put_vector(Out *o, const Fmt *f, const VxTensor *t, int64_t off, int indent, bool summ)
{
    int per_line = (LINEWIDTH - indent) / (f->width + 2);
    if (per_line < 1) per_line = 1;
    int64_t n = t->shape[t->ndim - 1], st = t->strides[t->ndim - 1];
    int col = 0;
    put(o, "[");
    for (int64_t i = 0; i < n; i++) {
        bool dots = summ && n > 2 * EDGE && i == EDGE;
        if (col == per_line) { put(o, ",\n%*s", indent + 1, ""); col = 0; }
        else if (i) put(o, ", ");
        if (dots) { put(o, " ..."); i = n - EDGE - 1; }
        else put_elem(o, f, t, elem(t, off + i * st));
        col++;
    }
    put(o, "]");
}

static void put_tensor(Out *o, const Fmt *f, const VxTensor *t, int dim, int64_t off, int indent, bool summ)
{
    if (dim == t->ndim - 1) { put_vector(o, f, t, off, indent, summ); return; }
    int64_t n = t->shape[dim];
    int rest = t->ndim - dim;
    put(o, "[");
    for (int64_t i = 0; i < n; i++) {
        if (i) { put(o, ","); for (int k = 0; k < rest - 1; k++) put(o, "\n"); put(o, "%*s", indent + 1, ""); }
        if (summ && n > 2 * EDGE && i == EDGE) {
            put(o, "...,");
            for (int k = 0; k < rest - 1; k++) put(o, "\n");
            put(o, "%*s", indent + 1, "");
            i = n - EDGE;
        }
        put_tensor(o, f, t, dim + 1, off + i * t->strides[dim], indent + 1, summ);
    }
    put(o, "]");
}

/* ", suffix" or ",\n       suffix" when the line would pass 80 columns
 * (torch counts the last line's length plus one). */
static void put_suffix(Out *o, const char *suffix)
{
    size_t last = o->len - o->line_start + 2;
    if (last + strlen(suffix) + 2 > LINEWIDTH) put(o, ",\n%*s%s", 7, "", suffix);
    else put(o, ", %s", suffix);
}

int64_t vx_tensor_format(const VxTensor *t, char *buf, size_t cap)
{
    Out o = { buf, cap, 0, 0 };
    if (cap) buf[0] = 0;
    int64_t n = vx_tensor_numel(t);
    bool summ = n > THRESHOLD;
    Fmt f = make_fmt(t, summ);
    put(&o, "tensor(");
    if (n == 0) put(&o, "[]");
    else if (t->ndim == 0) put_elem(&o, &(Fmt){ f.is_float, f.int_mode, f.sci, 0 }, t, elem(t, t->offset));
    else put_tensor(&o, &f, t, 0, t->offset, 7, summ);
    char sfx[240];
    if (n == 0 && t->ndim != 1) {
        put(&o, ", size=(");
        for (int i = 0; i < t->ndim; i++) put(&o, "%s%lld%s", i ? ", " : "", (long long)t->shape[i], t->ndim == 1 ? "," : "");
        put(&o, ")");
    }
    if (t->dtype != VX_F32 && (n == 0 || (t->dtype != VX_I64 && t->dtype != VX_BOOL))) {
        snprintf(sfx, sizeof sfx, "dtype=%s", vx_dtype_torch_name(t->dtype));
        put_suffix(&o, sfx);
    }
    if (t->grad_fn) { snprintf(sfx, sizeof sfx, "grad_fn=<%s>", t->grad_fn->name); put_suffix(&o, sfx); }
    else if (t->requires_grad) put_suffix(&o, "requires_grad=True");
    put(&o, ")");
    return (int64_t)o.len;
}

int vx_tensor_fprint(const VxTensor *t, FILE *f)
{
    int64_t n = vx_tensor_format(t, NULL, 0);
    char *buf = vx__alloc((size_t)n + 1, "a printed tensor");
    if (!buf) return -1;
    vx_tensor_format(t, buf, (size_t)n + 1);
    int rc = fprintf(f, "%s\n", buf) < 0 ? -1 : 0;
    vx__free(buf, (size_t)n + 1);
    return rc;
}
