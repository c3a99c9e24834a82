/* vm.c - the bytecode interpreter: a register machine in one dispatch loop.
 *
 * Each call gets a window of the value stack (its registers), its
 * arguments already in registers 0..n-1, left there by the caller (CALL A
 * evaluates them into R[A..]); the result comes back in the caller's
 * R[A - t] (t: the instruction's type byte).
 * Integer arithmetic is checked as in Rust's debug builds.  Output is
 * buffered and always flushed, also when the program stops with a runtime
 * error, which is reported like a compile error plus a stack trace. */
#include "vm_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "builtins.h"
#include "map.h"
#include "heap.h"
#include "tensor_ops.h"

/* ---- objects ------------------------------------------------------------------ *
 * Reference counts are maintained by instructions the compiler places
 * (MOVE_OBJ retains, DROP releases; see compile.c): the interpreter never
 * guesses.  Every object and its parts come from the VM's heap (heap.h),
 * so that a runtime error can free what the program abandoned at once. */

/* A new object of `size` bytes owning one reference. */
static inline void *new_obj(Vm *vm, size_t size, VxObjKind kind)
{
    VxObj *o = vx_heap_alloc(&vm->heap, size);
    o->rc = 1;
    o->kind = kind;
    vm->nlive++;
    return o;
}

static inline void retain(VxObj *o) { if (o && o->rc) o->rc++; }

static void free_obj(Vm *vm, VxObj *o);

static inline void release(Vm *vm, VxObj *o)
{
    if (!o || !o->rc || --o->rc) return;              /* absent, immortal, or still shared */
    free_obj(vm, o);
}

static size_t str_bytes(uint32_t cap) { return sizeof(VxStr) + (size_t)cap + 1; }
static size_t rec_bytes(uint32_t n) { return sizeof(VxRec) + sizeof(VxValue) * n; }
static size_t closure_bytes(uint32_t n) { return sizeof(VxClosure) + sizeof(VxValue) * n; }

/* Free an object whose last reference went, and release what it owns. */
static void free_obj(Vm *vm, VxObj *o)
{
    size_t size;
    vm->nlive--;
    if (o->kind == VX_OBJ_STR) {
        size = str_bytes(((VxStr *)o)->cap);
    } else if (o->kind == VX_OBJ_ARR) {
        VxArr *a = (VxArr *)o;
        if (a->elem_obj) for (uint32_t i = 0; i < a->len; i++) release(vm, a->items[i].o);
        vx_heap_free(&vm->heap, a->items, sizeof(VxValue) * a->cap);
        size = sizeof *a;
    } else if (o->kind == VX_OBJ_REC) {
        VxRec *r = (VxRec *)o;
        for (uint64_t m = r->desc->obj_mask; m; m &= m - 1) release(vm, r->fields[__builtin_ctzll(m)].o);
        size = rec_bytes(r->desc->n);
    } else if (o->kind == VX_OBJ_MAP) {
        vm_map_free_parts(vm, (VxMap *)o);
        size = sizeof(VxMap);
    } else if (o->kind == VX_OBJ_TENSOR) {
        vm_tensor_free_parts(o);
        size = sizeof(VxTensorObj);
    } else if (o->kind == VX_OBJ_HANDLE) {
        vm_handle_free_parts(o);
        size = sizeof(VxHandleObj);
    } else if (o->kind == VX_OBJ_WIDE) {
        size = sizeof(VxWideInt);
    } else {
        VxClosure *f = (VxClosure *)o;
        for (uint64_t m = f->obj_mask; m; m &= m - 1) release(vm, f->caps[__builtin_ctzll(m)].o);
        size = closure_bytes(f->n);
    }
    vx_heap_free(&vm->heap, o, size);
}

static VxClosure *new_closure(Vm *vm, uint32_t func, const VxFunc *f)
{
    VxClosure *c = new_obj(vm, closure_bytes((uint32_t)f->ncaps), VX_OBJ_CLOSURE);
    c->func = func;
    c->n = (uint32_t)f->ncaps;
    c->obj_mask = f->caps_obj_mask;
    return c;
}

static inline VxRec *new_rec(Vm *vm, const VxRecDesc *d)
{
    VxRec *r = new_obj(vm, rec_bytes(d->n), VX_OBJ_REC);
    r->desc = d;
    return r;
}

/* Copy-on-write for records, as for arrays. */
static VxRec *rec_unique(Vm *vm, VxRec *r)
{
    if (r->h.rc == 1) return r;
    VxRec *c = new_rec(vm, r->desc);
    memcpy(c->fields, r->fields, sizeof(VxValue) * r->desc->n);
    for (uint64_t m = r->desc->obj_mask; m; m &= m - 1) retain(c->fields[__builtin_ctzll(m)].o);
    release(vm, &r->h);
    return c;
}

static VxArr *arr_unique(Vm *vm, VxArr *a);
static void arr_grow(Vm *vm, VxArr *a, uint32_t n);

/* *slot.push(v), v moving in (no retain), copying the array first if it
 * is shared. */
static inline void arr_push_move(Vm *vm, VxArr **slot, VxValue v)
{
    VxArr *a = *slot;
    if (a->h.rc != 1) a = *slot = arr_unique(vm, a);
    if (a->len == a->cap) arr_grow(vm, a, a->len + 1);
    a->items[a->len++] = v;
}

/* *slot.push(a copy of v). */
static inline void arr_push(Vm *vm, VxArr **slot, VxValue v)
{
    if ((*slot)->elem_obj) retain(v.o);
    arr_push_move(vm, slot, v);
}

static VxArr *new_arr(Vm *vm, uint32_t cap, int elem_kind)
{
    VxArr *a = new_obj(vm, sizeof *a, VX_OBJ_ARR);
    a->len = 0;
    a->cap = cap ? cap : 4;
    a->elem_kind = (uint8_t)elem_kind;
    a->elem_obj = vm_kind_obj(elem_kind);
    a->items = vx_heap_alloc(&vm->heap, sizeof(VxValue) * a->cap);
    return a;
}

/* Room for `need` items, doubling. */
static void arr_grow(Vm *vm, VxArr *a, uint32_t need)
{
    if (need <= a->cap) return;
    uint32_t cap = a->cap;
    while (cap < need) cap = cap < (1u << 30) ? cap * 2 : UINT32_MAX;
    a->items = vx_heap_realloc(&vm->heap, a->items, sizeof(VxValue) * a->cap, sizeof(VxValue) * cap);
    a->cap = cap;
}

/* Copy-on-write: before changing an array others also hold, take a copy. */
static VxArr *arr_unique(Vm *vm, VxArr *a)
{
    if (a->h.rc == 1) return a;
    VxArr *b = new_arr(vm, a->len, a->elem_kind);
    memcpy(b->items, a->items, sizeof(VxValue) * a->len);
    b->len = a->len;
    if (b->elem_obj) for (uint32_t i = 0; i < b->len; i++) retain(b->items[i].o);
    release(vm, &a->h);
    return b;
}

static VxStr *new_str(Vm *vm, uint32_t cap)
{
    VxStr *s = new_obj(vm, str_bytes(cap), VX_OBJ_STR);
    s->len = 0;
    s->cap = cap;
    s->hash = 0;
    s->data[0] = '\0';
    return s;
}

/* Append to a string being built; it may move (the caller stores the result). */
static VxStr *str_append(Vm *vm, VxStr *s, const char *p, size_t n)
{
    if (s->len + n > s->cap) {
        size_t cap = (s->cap + n) * 2;
        if (cap > UINT32_MAX - 64) cap = UINT32_MAX - 64;
        s = vx_heap_realloc(&vm->heap, s, str_bytes(s->cap), str_bytes((uint32_t)cap));
        s->cap = (uint32_t)cap;
    }
    memcpy(s->data + s->len, p, n);
    s->len += (uint32_t)n;
    s->data[s->len] = '\0';
    s->hash = 0;                                      /* the text changed */
    return s;
}

/* After a runtime error: free everything at once, without following
 * references. */
static void free_all_objects(Vm *vm)
{
    vm->stopped = true;                               /* what the library still holds must not release objects */
    vm_tensor_release_all();                          /* the library's memory is not the heap's */
    vx_heap_destroy(&vm->heap);
    vm->nlive = 0;
}

static int64_t utf8_length(const VxStr *s)
{
    int64_t n = 0;
    for (uint32_t i = 0; i < s->len; i++) n += ((unsigned char)s->data[i] & 0xC0) != 0x80;
    return n;
}

static int str_compare(const VxStr *a, const VxStr *b)
{
    uint32_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->data, b->data, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* The heap, for builtins.c. */
VxStr *vm_new_str(Vm *vm, uint32_t cap) { return new_str(vm, cap); }
VxStr *vm_str_append(Vm *vm, VxStr *s, const char *p, size_t n) { return str_append(vm, s, p, n); }
VxArr *vm_new_arr(Vm *vm, uint32_t cap, int elem_kind) { return new_arr(vm, cap, elem_kind); }
void vm_arr_push(Vm *vm, VxArr **slot, VxValue v) { arr_push(vm, slot, v); }
void vm_arr_push_move(Vm *vm, VxArr **slot, VxValue v) { arr_push_move(vm, slot, v); }
void vm_retain(VxObj *o) { retain(o); }
void *vm_new_obj(Vm *vm, size_t size, VxObjKind kind) { return new_obj(vm, size, kind); }
VxRec *vm_new_rec(Vm *vm, const VxRecDesc *d) { return new_rec(vm, d); }
void vm_release(Vm *vm, VxObj *o) { release(vm, o); }

/* Deep equality of two values of print kind `kind` (floats as IEEE ==). */
static bool values_equal(VxValue a, VxValue b, int kind)
{
    if (kind == VX_PUT_F64) return a.f == b.f;
    if (kind == VX_PUT_F32 || kind == VX_PUT_F16 || kind == VX_PUT_BF16) return a.f32 == b.f32;
    if (vm_kind_wide(kind)) return memcmp(&a.w->v, &b.w->v, sizeof a.w->v) == 0;   /* normalised: equal bits */
    if (kind == VX_PUT_STR) return a.s->len == b.s->len && memcmp(a.s->data, b.s->data, a.s->len) == 0;
    if (kind == VX_PUT_ARR) {
        if (a.a->len != b.a->len) return false;
        for (uint32_t i = 0; i < a.a->len; i++) if (!values_equal(a.a->items[i], b.a->items[i], a.a->elem_kind)) return false;
        return true;
    }
    if (kind == VX_PUT_REC) {
        if (a.r->desc != b.r->desc) return false;     /* another variant */
        for (uint32_t i = 0; i < a.r->desc->n; i++)
            if (!values_equal(a.r->fields[i], b.r->fields[i], a.r->desc->kinds[i])) return false;
        return true;
    }
    if (kind == VX_PUT_MAP) return vm_map_equal(a.m, b.m);
    if (kind == VX_PUT_FN) return a.o == b.o;
    if (kind == VX_PUT_TENSOR) return vm_tensor_equal(a.o, b.o);
    if (kind == VX_PUT_HANDLE) return a.o == b.o;      /* the same optimizer */
    if (kind == VX_PUT_UNIT) return true;             /* a () register holds no particular bits */
    return a.u == b.u;                                /* integers, bools */
}

bool vm_values_equal(VxValue a, VxValue b, int kind) { return values_equal(a, b, kind); }

/* ---- output --------------------------------------------------------------------- */

void vm_flush_out(Vm *vm)
{
    if (vm->outlen) fwrite(vm->out, 1, vm->outlen, stdout);
    vm->outlen = 0;
    fflush(stdout);
}

static void out_bytes(Vm *vm, const char *s, size_t n)
{
    if (vm->outlen + n > OUT_BUF) vm_flush_out(vm);
    if (n > OUT_BUF) { fwrite(s, 1, n, stdout); return; }
    memcpy(vm->out + vm->outlen, s, n);
    vm->outlen += n;
}


/* The text of a scalar of print kind `kind` (strings are not copied:
 * *text points into the string).  prec >= 0 fixes a float's decimals. */
/* `1.5e3`: C's %e, with Rust's exponent (no `+`, no leading zeros). */
static size_t sci_text(double d, VxFloatFmt f, int prec, char *buf, size_t cap)
{
    if (prec < 0)                                      /* the fewest digits that read back as d */
        for (prec = 0; prec < 17 && !vx_float_reads_back((snprintf(buf, cap, "%.*e", prec, d), buf), d, f); prec++) {}
    int n = snprintf(buf, cap, "%.*e", prec, d);
    char *e = strchr(buf, 'e');
    if (!e || n < 0) return (size_t)(n < 0 ? 0 : n);
    char *q = e + 1, *w = e + 1;
    if (*q == '+') q++;
    else if (*q == '-') *w++ = *q++;
    while (*q == '0' && q[1]) q++;
    while (*q) *w++ = *q++;
    *w = '\0';
    return (size_t)(w - buf);
}

/* An integer in decimal, by hand: to_string and format print many, and
 * snprintf's format parsing cost more than the digits.  buf holds 21+. */
static size_t decimal_text(VxValue v, bool is_signed, char *buf)
{
    bool neg = is_signed && v.i < 0;
    uint64_t u = neg ? 0 - v.u : v.u;
    char tmp[24], *p = tmp + sizeof tmp;
    do { *--p = (char)('0' + u % 10); u /= 10; } while (u);
    if (neg) *--p = '-';
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(buf, p, n);
    buf[n] = '\0';
    return n;
}

static size_t scalar_text(VxValue v, int kind, int prec, bool sci, char *buf, size_t cap, const char **text)
{
    *text = buf;
    if (vm_kind_wide(kind)) {
        VxIntKind k = (VxIntKind)(kind - VX_PUT_INT);
        vx_wide_str(v.w->v, vm_int_type(k), buf, cap);
        return strlen(buf);
    }
    if (kind >= VX_PUT_INT && kind < VX_PUT_INT + VX_INT_KINDS)
        return decimal_text(v, vx_int_signed((VxIntKind)(kind - VX_PUT_INT)), buf);
    switch (kind) {
    case VX_PUT_F64: case VX_PUT_F32: case VX_PUT_F16: case VX_PUT_BF16: {
        double d = kind == VX_PUT_F64 ? v.f : v.f32;
        VxFloatFmt f = kind == VX_PUT_F64 ? VX_FLOAT_F64 : kind == VX_PUT_F32 ? VX_FLOAT_F32
                     : kind == VX_PUT_F16 ? VX_FLOAT_F16 : VX_FLOAT_BF16;
        if (sci) return sci_text(d, f, prec, buf, cap);
        if (prec >= 0) return (size_t)snprintf(buf, cap, "%.*f", prec, d);
        vx_format_float(d, f, buf, cap);
        return strlen(buf);
    }
    case VX_PUT_BOOL: return (size_t)snprintf(buf, cap, "%s", v.i ? "true" : "false");
    case VX_PUT_STR: *text = v.s->data; return v.s->len;
    default: return (size_t)snprintf(buf, cap, "()");
    }
}

/* Where printed text goes: the output buffer, or a string being built by
 * format() and to_string(). */
typedef struct Sink { Vm *vm; VxStr **str; } Sink;

static void sink_bytes(Sink *k, const char *s, size_t n)
{
    if (k->str) *k->str = str_append(k->vm, *k->str, s, n);
    else out_bytes(k->vm, s, n);
}

static void sink_cstr(Sink *k, const char *s) { sink_bytes(k, s, strlen(s)); }

static void put_value(Sink *k, VxValue v, int kind, int prec);

/* Inside arrays and records strings are quoted (Rust's and Python's debug
 * forms), so that ["a, b"] and ["a", "b"] differ. */
/* A string as Rust's Debug writes it: quoted, `"` `\\` and control
 * characters escaped. */
static void put_debug_str(Sink *k, const VxStr *s)
{
    sink_bytes(k, "\"", 1);
    uint32_t run = 0;
    for (uint32_t i = 0; i < s->len; i++) {
        char esc[8];
        int n = vm_escape_byte((unsigned char)s->data[i], esc);
        if (!n) continue;
        sink_bytes(k, s->data + run, i - run);
        sink_bytes(k, esc, (size_t)n);
        run = i + 1;
    }
    sink_bytes(k, s->data + run, s->len - run);
    sink_bytes(k, "\"", 1);
}

static void put_inner(Sink *k, VxValue v, int kind)
{
    if (kind == VX_PUT_STR) put_debug_str(k, v.s);
    else put_value(k, v, kind, -1);
}

/* (1, "a"), Some(3), None, Point { x: 1.0, y: 2.0 } */
static void put_record(Sink *k, const VxRec *r)
{
    const VxRecDesc *d = r->desc;
    sink_cstr(k, d->name);
    if (d->n == 0 && !d->is_tuple) return;
    sink_cstr(k, d->named ? " { " : "(");
    for (uint32_t i = 0; i < d->n; i++) {
        if (i) sink_bytes(k, ", ", 2);
        if (d->named) { sink_cstr(k, d->field_names[i]); sink_bytes(k, ": ", 2); }
        put_inner(k, r->fields[i], d->kinds[i]);
    }
    if (d->is_tuple && d->n == 1) sink_bytes(k, ",", 1);
    sink_cstr(k, d->named ? " }" : ")");
}

static void put_array(Sink *k, const VxArr *a)
{
    sink_bytes(k, "[", 1);
    for (uint32_t i = 0; i < a->len; i++) {
        if (i) sink_bytes(k, ", ", 2);
        put_inner(k, a->items[i], a->elem_kind);
    }
    sink_bytes(k, "]", 1);
}

/* {"a": 1, "b": 2}, in insertion order */
static void put_map(Sink *k, const VxMap *m)
{
    sink_bytes(k, "{", 1);
    bool first = true;
    for (uint32_t i = 0; i < m->used; i++) {
        if (m->dead[i]) continue;
        if (!first) sink_bytes(k, ", ", 2);
        first = false;
        put_inner(k, m->keys[i], m->key_kind);
        sink_bytes(k, ": ", 2);
        put_inner(k, m->vals[i], m->val_kind);
    }
    sink_bytes(k, "}", 1);
}

static void put_value(Sink *k, VxValue v, int kind, int prec)
{
    if (kind == VX_PUT_MAP) { put_map(k, v.m); return; }
    if (kind == VX_PUT_ARR) { put_array(k, v.a); return; }
    if (kind == VX_PUT_REC) { put_record(k, v.r); return; }
    if (kind == VX_PUT_TENSOR) { size_t n; char *s = vm_tensor_text(v.o, &n); sink_bytes(k, s, n); free(s); return; }
    if (kind == VX_PUT_FN) { sink_cstr(k, "<fn "); sink_cstr(k, k->vm->prog->funcs[v.fn->func].name); sink_cstr(k, ">"); return; }
    char buf[400];
    const char *text;
    size_t n = scalar_text(v, kind, prec, false, buf, sizeof buf, &text);
    sink_bytes(k, text, n);
}

/* An integer's digits for `{:x}` `{:X}` `{:b}` `{:o}` (type), after
 * the `0x` `0b` `0o` prefix when alt; the type's width in two's
 * complement, as Rust prints negative values. */
static size_t radix_text(VxValue v, int kind, int type, bool alt, char *buf)
{
    VxIntKind ik = (VxIntKind)(kind - VX_PUT_INT);
    VxWide w = vm_kind_wide(kind) ? v.w->v : vm_to_wide(v, ik);
    static const char *const prefix[] = { "0x", "0x", "0b", "0o" };
    static const unsigned shift[] = { 4, 4, 1, 3 };
    size_t n = alt ? (size_t)snprintf(buf, 3, "%s", prefix[type - VX_FMT_HEX]) : 0;
    return n + vm_radix_text(w, (unsigned)vx_int_bits(ik), shift[type - VX_FMT_HEX], type == VX_FMT_HEX_UPPER, buf + n);
}

/* A number's text under a spec: the sign (`+` asked for, or `-`), the
 * radix prefix, then the digits; *lead is how many characters come
 * before the digits (zero padding goes there). */
static size_t number_text(VxValue v, int kind, int64_t spec, char *buf, size_t cap, size_t *lead)
{
    int prec = (int)(spec & 0xFFFF), type = (int)(spec >> 52 & 7);
    bool sci = spec >> 48 & 1, plus = spec >> 50 & 1, alt = spec >> 51 & 1;
    bool radix = type >= VX_FMT_HEX && type <= VX_FMT_OCT;
    size_t n = plus ? 1 : 0;
    if (radix) n += radix_text(v, kind, type, alt, buf + n);
    else {
        const char *text;
        size_t len = scalar_text(v, kind, prec == VX_FMT_NOPREC ? -1 : prec, sci && kind >= VX_PUT_F64, buf + n, cap - n, &text);
        memmove(buf + n, text, len);
        n += len;
    }
    buf[n] = 0;
    bool neg = buf[plus] == '-', nan = strcmp(buf + plus, "NaN") == 0;
    if (plus && (neg || nan)) { memmove(buf, buf + 1, n--); }     /* `-` is the sign; NaN has none */
    else if (plus) buf[0] = '+';
    *lead = (plus && !neg && !nan) || neg ? 1 : 0;
    if (radix && alt) *lead += 2;
    return n;
}

/* Append v to s as `{:spec}` says: the text (precision, scientific
 * notation, radix, sign, Debug), then padding to the width (counted in
 * characters); `0` pads numbers with zeros after the sign and prefix. */
static VxStr *put_spec(Vm *vm, VxStr *s, VxValue v, int kind, int64_t spec)
{
    int prec = (int)(spec & 0xFFFF), width = (int)(spec >> 16 & 0xFFFF), type = (int)(spec >> 52 & 7);
    char align = (char)(spec >> 32 & 0xFF), fill = (char)(spec >> 40 & 0xFF);
    bool zero = spec >> 49 & 1, number = kind < VX_PUT_BOOL;
    uint32_t start = s->len;
    if (number) {
        char buf[420];
        size_t lead, n = number_text(v, kind, spec, buf, sizeof buf - 1, &lead);
        if (zero && (size_t)width > n) {
            char zeros[64];
            memset(zeros, '0', sizeof zeros);
            s = str_append(vm, s, buf, lead);
            for (size_t p = (size_t)width - n; p; ) { size_t m = p < 64 ? p : 64; s = str_append(vm, s, zeros, m); p -= m; }
            return str_append(vm, s, buf + lead, n - lead);
        }
        s = str_append(vm, s, buf, n);
    } else {
        if (zero) { fill = '0'; align = '>'; }
        Sink k = { vm, &s };
        if (type == VX_FMT_DEBUG && kind == VX_PUT_STR) put_debug_str(&k, v.s);
        else put_value(&k, v, kind, prec == VX_FMT_NOPREC ? -1 : prec);
    }
    int chars = 0;
    for (uint32_t b = start; b < s->len; b++) chars += ((unsigned char)s->data[b] & 0xC0) != 0x80;
    if (chars >= width) return s;
    uint32_t pad = (uint32_t)(width - chars), textlen = s->len - start;
    if (!align) align = number ? '>' : '<';           /* numbers right, the rest left */
    uint32_t left = align == '>' ? pad : align == '^' ? pad / 2 : 0;
    char fills[64];
    memset(fills, fill, sizeof fills);
    for (uint32_t p = pad; p; ) { uint32_t m = p < 64 ? p : 64; s = str_append(vm, s, fills, m); p -= m; }
    memmove(s->data + start + left, s->data + start, textlen);
    memset(s->data + start, fill, left);
    memset(s->data + start + left + textlen, fill, pad - left);
    return s;
}

int64_t vm_utf8_length(const VxStr *s) { return utf8_length(s); }

/* ---- runtime errors --------------------------------------------------------------- */

static int report_error(Vm *vm, const char *msg);

/* Report at the current instruction with a stack trace; returns status 1
 * (declared in vm_internal.h, for builtins.c too). */
int vm_error(Vm *vm, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return report_error(vm, msg);
}

/* One line of the stack trace: the function and where it is. */
static size_t trace_frame(char *trace, size_t len, size_t cap, const Frame *fr)
{
    VxPos p = vx_source_pos(fr->f->src, fr->f->spans[fr->pc - fr->f->code].start);
    return len + (size_t)snprintf(trace + len, cap - len, "\n        %s at %s:%d:%d", fr->f->name, fr->f->src->path, p.line, p.col);
}

static int report_error(Vm *vm, const char *msg)
{
    if (vm->stopped) return 1;            /* reported inside a nested call: the outer ones only unwind */
    vm_flush_out(vm);
    Frame *top = &vm->frames[vm->nframes - 1];
    VxSpan at = top->f->spans[top->pc - top->f->code];
    VxDiag *g = vx_diag(vm->diags, VX_ERROR, top->f->src, at, "%s", msg);
    /* The call stack, innermost first; a run of identical frames (deep
     * recursion) is shown once with its count.  Past 12 lines the rest is
     * counted, and the outermost frame (main) still shown. */
    char trace[2048] = "stack trace, innermost call first:";
    size_t len = strlen(trace);
    int shown = 0, i = vm->nframes - 1;
    for (; i >= 0 && shown < 12 && len < sizeof trace - 400; shown++) {
        Frame *fr = &vm->frames[i];
        int j = i;
        while (j > 0 && vm->frames[j - 1].f == fr->f && vm->frames[j - 1].pc == fr->pc) j--;
        len = trace_frame(trace, len, sizeof trace, fr);
        if (i - j > 0) len += (size_t)snprintf(trace + len, sizeof trace - len, " (and %d more calls like it)", i - j);
        i = j - 1;
    }
    if (i > 0) len += (size_t)snprintf(trace + len, sizeof trace - len, "\n        ... %d more calls ...", i);
    if (i >= 0) len = trace_frame(trace, len, sizeof trace, &vm->frames[0]);
    vx_diag_note(vm->diags, g, "%s", trace);
    vx_diags_flush(vm->diags);
    free_all_objects(vm);                 /* what the stopped program still held */
    return 1;
}

/* Operands of 64-bit registers; a shift amount (b) is shown as given, not
 * reduced to the shifted kind's width. */
static int int_error(Vm *vm, VxNumStatus st, int op, VxIntKind k, VxValue a, VxValue b)
{
    VxIntKind k64 = vx_int_signed(k) ? VX_I64 : VX_U64;
    return vm_int_error(vm, st, op, k, vm_to_wide(a, k64), vm_to_wide(b, k64));
}

/* v as it prints inside a container (strings quoted), for error messages;
 * the string is freed with every object after the error. */
const char *vm_error_text(Vm *vm, VxValue v, int kind)
{
    VxStr *text = new_str(vm, 16);
    Sink k = { vm, &text };
    if (kind != 0xFF) put_inner(&k, v, kind);
    return text->data;
}

/* `unwrap()` of `None`, or of `Err(e)` (e is shown when it prints). */
static int unwrap_error(Vm *vm, const VxRec *r)
{
    if (r->desc->n == 0) return vm_error(vm, "called `unwrap()` on `None`");
    return vm_error(vm, "called `unwrap()` on an `Err` value: %s", vm_error_text(vm, r->fields[0], r->desc->kinds[0]));
}

/* ---- integers of any kind up to 64 bits ----------------------------------------------- */

static VxValue from_wide(VxWide w) { VxValue v; v.u = w.limb[0]; return v; }

/* The low bits of r as a value of kind k: sign- or zero-extended to 64
 * bits, the form every integer register holds. */
static inline VxValue norm_int(uint64_t r, VxIntKind k)
{
    int bits = vx_int_bits(k);
    VxValue v;
    if (bits >= 64) v.u = r;
    else if (vx_int_signed(k)) v.i = (int64_t)(r << (64 - bits)) >> (64 - bits);
    else v.u = r & ((1ull << bits) - 1);
    return v;
}

/* Checked + - * on 64-bit machine words, then a range check for narrower
 * kinds: the common case needs no wide arithmetic. */
static bool fast_arith(VxArithOp op, VxIntKind k, VxValue a, VxValue b, VxValue *out, VxNumStatus *st)
{
    if (op > VX_MUL) return false;
    int bits = vx_int_bits(k);
    bool ov;
    if (vx_int_signed(k)) {
        int64_t r;
        ov = op == VX_ADD ? __builtin_add_overflow(a.i, b.i, &r) : op == VX_SUB ? __builtin_sub_overflow(a.i, b.i, &r)
                                                                 : __builtin_mul_overflow(a.i, b.i, &r);
        ov = ov || (bits < 64 && (r < -(INT64_C(1) << (bits - 1)) || r > (INT64_C(1) << (bits - 1)) - 1));
        out->i = r;
    } else {
        uint64_t r;
        ov = op == VX_ADD ? __builtin_add_overflow(a.u, b.u, &r) : op == VX_SUB ? __builtin_sub_overflow(a.u, b.u, &r)
                                                                 : __builtin_mul_overflow(a.u, b.u, &r);
        ov = ov || (bits < 64 && r >> bits);
        out->u = r;
    }
    *st = ov ? VX_NUM_OVERFLOW : VX_NUM_OK;
    return true;
}

static VxNumStatus int_arith(VxArithOp op, VxIntKind k, VxValue a, VxValue b, VxValue *out)
{
    VxNumStatus st;
    if (fast_arith(op, k, a, b, out, &st)) return st;
    VxWide r;
    st = vx_wide_arith(op, vm_to_wide(a, k), vm_to_wide(b, k), vm_int_type(k), &r);
    *out = from_wide(r);
    return st;
}

static VxNumStatus int_pow(VxIntKind k, VxValue a, VxValue b, VxValue *out)
{
    if (vx_int_signed(k) && b.i < 0) return VX_NUM_OVERFLOW;
    VxValue acc = { .i = 1 }, base = a;
    uint64_t e = b.u;
    while (e) {
        if (e & 1) { VxNumStatus st = int_arith(VX_MUL, k, acc, base, &acc); if (st) return st; }
        e >>= 1;
        if (e) { VxNumStatus st = int_arith(VX_MUL, k, base, base, &base); if (st) return st; }
    }
    *out = acc;
    return VX_NUM_OK;
}

double vm_math(int fn, double x)
{
    switch (fn) {
    case VX_MATH_SQRT: return sqrt(x);
    case VX_MATH_EXP: return exp(x);
    case VX_MATH_LOG: return log(x);
    case VX_MATH_LOG2: return log2(x);
    case VX_MATH_SIN: return sin(x);
    case VX_MATH_COS: return cos(x);
    case VX_MATH_TAN: return tan(x);
    case VX_MATH_TANH: return tanh(x);
    case VX_MATH_FLOOR: return floor(x);
    case VX_MATH_CEIL: return ceil(x);
    case VX_MATH_ROUND: return round(x);
    default: return fabs(x);
    }
}

/* ---- the dispatch loop -------------------------------------------------------------------- */

/* One loop, two ways to dispatch (as Lua's ljumptab.h): with GCC/clang,
 * each instruction jumps straight to the next one's code through a label
 * table (computed goto, one indirect branch per instruction and better
 * branch prediction); elsewhere it is a plain switch.  VX_SWITCH_DISPATCH
 * forces the switch, so both are built and tested. */
#if defined(__GNUC__) && !defined(VX_SWITCH_DISPATCH)
#define vmfetch() (i = *pc++)
#define vmdispatch(op) goto *jump_table[op];
#define vmcase(name) L_##name:
#define vmbreak do { vmfetch(); goto *jump_table[i.op]; } while (0)
#define vmdefault L_default
#else
#define vmfetch() (i = *pc++)
#define vmdispatch(op) switch ((VxOp)(op))
#define vmcase(name) case VX_OP_##name:
#define vmbreak goto vm_next        /* not `continue`: inside do-while(0) it would not leave the switch */
#define vmdefault default
#endif

/* A closure's captures into the callee's registers after its nargs
 * arguments: the callee owns copies. */
static inline void put_captures(VxValue *R, const VxClosure *cl, uint32_t nargs)
{
    for (uint32_t k = 0; k < cl->n; k++) {
        R[nargs + k] = cl->caps[k];
        if (cl->obj_mask >> k & 1) retain(cl->caps[k].o);
    }
}

/* Runs the top frame until it returns (a nested run, for vm_call_closure,
 * ends there too: its frame's result goes to *ret). */
static int execute(Vm *vm)
{
#if defined(__GNUC__) && !defined(VX_SWITCH_DISPATCH)
    static const void *const jump_table[VX_OP_COUNT] = {
#define OP(name, semantics) &&L_##name,
#include "opcodes.def"
#undef OP
    };
#endif
    Frame *const entry = &vm->frames[vm->nframes - 1];
    Frame *fr = entry;
    Frame *const last_frame = &vm->frames[MAX_FRAMES - 1];
    VxValue *const stack_end = vm->stack_end;
    const VxFunc *const funcs = vm->prog->funcs;
    const VxInstr *pc = fr->f->code;
    VxValue *R = fr->base;
    const VxValue *K = fr->f->consts;
#define SAVE() (fr->pc = pc - 1)
/* Call f with its registers from base (its arguments already there);
 * the result goes to R[A - t], so no MOVE need follow the call.  The
 * frame and value stacks are checked in one test. */
#define ENTER(f_, base_) do { const VxFunc *ef_ = (f_); VxValue *eb_ = (base_); SAVE(); \
        if (__builtin_expect(fr == last_frame || eb_ + ef_->nregs + 1 > stack_end, 0)) \
            return vm_error(vm, "stack overflow: more than %d nested calls", vm->nframes); \
        VxValue *ret_ = R + (i.a - i.t); \
        fr++; vm->nframes++; \
        fr->f = ef_; fr->base = eb_; fr->ret = ret_; \
        R = eb_; K = ef_->consts; pc = ef_->code; } while (0)
/* Return v to the caller (from the entry frame: end this run). */
#define LEAVE(v_) do { VxValue lv_ = (v_); \
        if (fr == entry) { if (fr->ret) { *fr->ret = lv_; vm->nframes--; } return 0; } \
        *fr->ret = lv_; fr--; vm->nframes--; \
        R = fr->base; K = fr->f->consts; pc = fr->pc + 1; } while (0)
#define RA R[i.a]
/* f32 results: computed before RA's upper half is cleared (RA may be RB) */
#define F32_TO(x) do { float f_ = (x); RA.u = 0; RA.f32 = f_; } while (0)
#define RB R[i.b]
#define RC R[i.c]
/* checked i64 arithmetic: compute into r first, so an error can still show R[B] and R[C] */
#define CHECKED(fn, opn) do { int64_t r_; \
        if (__builtin_expect(fn(RB.i, RC.i, &r_), 0)) { SAVE(); return int_error(vm, VX_NUM_OVERFLOW, opn, VX_I64, RB, RC); } \
        RA.i = r_; } while (0)
    VxInstr i;
#if defined(__GNUC__) && !defined(VX_SWITCH_DISPATCH)
    if (0) goto L_default;                 /* only reached through a corrupt opcode */
#endif
    vmfetch();
    for (;;) {
        vmdispatch(i.op) {
        vmcase(MOVE) RA = RB; vmbreak;
        vmcase(LOADK) RA = K[i.b]; vmbreak;
        vmcase(LOADI) RA.i = vx_sbx(i); vmbreak;
        vmcase(LOADB) RA.i = i.b; vmbreak;

        vmcase(ADD_I64) CHECKED(__builtin_add_overflow, 0); vmbreak;
        vmcase(SUB_I64) CHECKED(__builtin_sub_overflow, 1); vmbreak;
        vmcase(MUL_I64) CHECKED(__builtin_mul_overflow, 2); vmbreak;
        vmcase(DIV_I64) vmcase(REM_I64) {
            bool div = i.op == VX_OP_DIV_I64;
            if (RC.i == 0) { SAVE(); return int_error(vm, VX_NUM_DIV_ZERO, div ? 3 : 4, VX_I64, RB, RC); }
            if (RC.i == -1 && RB.i == INT64_MIN) { SAVE(); return int_error(vm, VX_NUM_OVERFLOW, div ? 3 : 4, VX_I64, RB, RC); }
            RA.i = div ? RB.i / RC.i : RB.i % RC.i;
            vmbreak;
        }
        vmcase(NEG_I64)
            if (RB.i == INT64_MIN) { SAVE(); return vm_error(vm, "integer overflow: -(%lld) does not fit in `i64`", (long long)RB.i); }
            RA.i = -RB.i;
            vmbreak;
        vmcase(ADDI_I64) {
            int64_t r;
            if (__builtin_add_overflow(RB.i, (int64_t)(int16_t)i.c, &r)) { SAVE(); return vm_error(vm, "integer overflow in a loop counter"); }
            RA.i = r;
            vmbreak;
        }
        vmcase(POW_I64) vmcase(POW_INT) {
            VxIntKind k = i.op == VX_OP_POW_I64 ? VX_I64 : (VxIntKind)i.t;
            VxValue r;
            if (int_pow(k, RB, RC, &r)) { SAVE(); return vm_error(vm, "integer overflow in `**` for `%s`", vx_int_name(k)); }
            RA = r;
            vmbreak;
        }
        vmcase(ADDK_I64) { int64_t r; if (__builtin_add_overflow(RB.i, K[i.c].i, &r)) { SAVE(); return int_error(vm, VX_NUM_OVERFLOW, 0, VX_I64, RB, K[i.c]); } RA.i = r; vmbreak; }
        vmcase(SUBK_I64) { int64_t r; if (__builtin_sub_overflow(RB.i, K[i.c].i, &r)) { SAVE(); return int_error(vm, VX_NUM_OVERFLOW, 1, VX_I64, RB, K[i.c]); } RA.i = r; vmbreak; }
        vmcase(MULK_I64) { int64_t r; if (__builtin_mul_overflow(RB.i, K[i.c].i, &r)) { SAVE(); return int_error(vm, VX_NUM_OVERFLOW, 2, VX_I64, RB, K[i.c]); } RA.i = r; vmbreak; }
        vmcase(DIVK_I64) RA.i = RB.i / K[i.c].i; vmbreak;
        vmcase(REMK_I64) RA.i = RB.i % K[i.c].i; vmbreak;
        vmcase(ADD_INT) vmcase(SUB_INT) vmcase(MUL_INT) vmcase(DIV_INT) vmcase(REM_INT) {
            int op = i.op - VX_OP_ADD_INT;
            VxValue r;
            VxNumStatus st = int_arith((VxArithOp)op, (VxIntKind)i.t, RB, RC, &r);
            if (st) { SAVE(); return int_error(vm, st, op, (VxIntKind)i.t, RB, RC); }
            RA = r;
            vmbreak;
        }
        vmcase(WRAP_ARITH) vmcase(SAT_ARITH) vmcase(FITS_ARITH) {
            VxIntKind k = (VxIntKind)(i.t & 31);
            VxArithOp op = (VxArithOp)(i.t >> 5);
            if (i.op == VX_OP_WRAP_ARITH) {                /* the low bits are the same for signed and unsigned */
                uint64_t x = RB.u, y = RC.u;
                RA = norm_int(op == VX_ADD ? x + y : op == VX_SUB ? x - y : x * y, k);
                vmbreak;
            }
            VxWide r, a = vm_to_wide(RB, k), b = vm_to_wide(RC, k);
            if (i.op == VX_OP_SAT_ARITH) vx_wide_saturating(op, a, b, vm_int_type(k), &r);
            else { RA.i = vx_wide_arith(op, a, b, vm_int_type(k), &r) == VX_NUM_OK; vmbreak; }
            RA = from_wide(r);
            vmbreak;
        }
        vmcase(NEG_INT) {
            VxWide r;
            if (vx_wide_neg(vm_to_wide(RB, (VxIntKind)i.t), vm_int_type((VxIntKind)i.t), &r)) {
                SAVE();
                return vm_error(vm, "integer overflow: cannot negate this `%s`", vx_int_name((VxIntKind)i.t));
            }
            RA = from_wide(r);
            vmbreak;
        }
        vmcase(BAND) RA.u = RB.u & RC.u; vmbreak;
        vmcase(BOR) RA.u = RB.u | RC.u; vmbreak;
        vmcase(BXOR) RA.u = RB.u ^ RC.u; vmbreak;
        vmcase(BNOT) RA = norm_int(~RB.u, (VxIntKind)i.t); vmbreak;
        vmcase(SHL) vmcase(SHR) {                        /* every VM integer fits 64 bits: no wide arithmetic */
            VxIntKind k = (VxIntKind)i.t;
            uint64_t n = RC.u;
            if (n >= (uint64_t)vx_int_bits(k)) { SAVE(); return int_error(vm, VX_NUM_SHIFT_RANGE, 0, k, RB, RC); }
            if (i.op == VX_OP_SHL) RA = norm_int(RB.u << n, k);
            else if (vx_int_signed(k)) RA.i = RB.i >> n;
            else RA.u = RB.u >> n;
            vmbreak;
        }

        vmcase(ADD_F64) RA.f = RB.f + RC.f; vmbreak;
        vmcase(SUB_F64) RA.f = RB.f - RC.f; vmbreak;
        vmcase(MUL_F64) RA.f = RB.f * RC.f; vmbreak;
        vmcase(DIV_F64) RA.f = RB.f / RC.f; vmbreak;
        vmcase(REM_F64) RA.f = fmod(RB.f, RC.f); vmbreak;
        vmcase(NEG_F64) RA.f = -RB.f; vmbreak;
        vmcase(POW_F64) RA.f = pow(RB.f, RC.f); vmbreak;
        vmcase(POWI_F64) RA.f = pow(RB.f, (double)RC.i); vmbreak;
        vmcase(ADDK_F64) RA.f = RB.f + K[i.c].f; vmbreak;
        vmcase(SUBK_F64) RA.f = RB.f - K[i.c].f; vmbreak;
        vmcase(MULK_F64) RA.f = RB.f * K[i.c].f; vmbreak;
        vmcase(DIVK_F64) RA.f = RB.f / K[i.c].f; vmbreak;
        vmcase(ADD_F32) F32_TO(RB.f32 + RC.f32); vmbreak;
        vmcase(SUB_F32) F32_TO(RB.f32 - RC.f32); vmbreak;
        vmcase(MUL_F32) F32_TO(RB.f32 * RC.f32); vmbreak;
        vmcase(DIV_F32) F32_TO(RB.f32 / RC.f32); vmbreak;
        vmcase(REM_F32) F32_TO(fmodf(RB.f32, RC.f32)); vmbreak;
        vmcase(NEG_F32) F32_TO(-RB.f32); vmbreak;
        vmcase(POW_F32) F32_TO(powf(RB.f32, RC.f32)); vmbreak;
        vmcase(POWI_F32) F32_TO(powf(RB.f32, (float)RC.i)); vmbreak;

        vmcase(EQ_I64) RA.i = RB.i == RC.i; vmbreak;
        vmcase(LT_I64) RA.i = RB.i < RC.i; vmbreak;
        vmcase(LE_I64) RA.i = RB.i <= RC.i; vmbreak;
        vmcase(LT_U64) RA.i = RB.u < RC.u; vmbreak;
        vmcase(LE_U64) RA.i = RB.u <= RC.u; vmbreak;
        vmcase(EQ_F64) RA.i = RB.f == RC.f; vmbreak;
        vmcase(LT_F64) RA.i = RB.f < RC.f; vmbreak;
        vmcase(LE_F64) RA.i = RB.f <= RC.f; vmbreak;
        vmcase(EQ_F32) RA.i = RB.f32 == RC.f32; vmbreak;
        vmcase(LT_F32) RA.i = RB.f32 < RC.f32; vmbreak;
        vmcase(LE_F32) RA.i = RB.f32 <= RC.f32; vmbreak;
        vmcase(EQ_STR) RA.i = RB.s->len == RC.s->len && memcmp(RB.s->data, RC.s->data, RB.s->len) == 0; vmbreak;
        vmcase(NOT) RA.i = !RB.i; vmbreak;

        vmcase(CAST_INT) {               /* targets are at most 64 bits: only the low bits matter */
            VxWide w = { { RB.u, RB.i < 0 ? ~0ull : 0, RB.i < 0 ? ~0ull : 0, RB.i < 0 ? ~0ull : 0 } };
            RA = from_wide(vx_wide_normalize(w, vm_int_type((VxIntKind)i.t)));
            vmbreak;
        }
        vmcase(INT_F64) RA.f = vx_int_signed((VxIntKind)i.t) ? (double)RB.i : (double)RB.u; vmbreak;
        vmcase(INT_F32) { float f = vx_int_signed((VxIntKind)i.t) ? (float)RB.i : (float)RB.u; RA.u = 0; RA.f32 = f; vmbreak; }
        vmcase(F64_INT) RA = from_wide(vx_wide_from_double(RB.f, vm_int_type((VxIntKind)i.t))); vmbreak;
        vmcase(F32_INT) RA = from_wide(vx_wide_from_double(RB.f32, vm_int_type((VxIntKind)i.t))); vmbreak;
        vmcase(F64_F32) { float f = (float)RB.f; RA.u = 0; RA.f32 = f; vmbreak; }
        vmcase(F32_F64) RA.f = RB.f32; vmbreak;
        vmcase(MATH_F64) RA.f = vm_math(i.t, RB.f); vmbreak;
        vmcase(MATH_F32) { float f = (float)vm_math(i.t, RB.f32); RA.u = 0; RA.f32 = f; vmbreak; }

        vmcase(FORLOOP) if (++RA.i < RB.i) pc += (int16_t)i.c; vmbreak;
        vmcase(FORLOOPI) if (RA.i < RB.i) { RA.i++; pc += (int16_t)i.c; } vmbreak;
        vmcase(JMP) pc += vx_sbx(i); vmbreak;
        vmcase(JMPIF) if (RA.i) pc += vx_sbx(i); vmbreak;
        vmcase(JMPIFNOT) if (!RA.i) pc += vx_sbx(i); vmbreak;
        vmcase(JMPNOTAG) if (RA.r->desc->tag != i.t) pc += vx_sbx(i); vmbreak;

        vmcase(CALL) {
            ENTER(&funcs[i.b], R + i.a);
            vmbreak;
        }
        vmcase(CLOSURE) {
            const VxFunc *f = &funcs[i.b];
            VxClosure *cl = new_closure(vm, i.b, f);
            memcpy(cl->caps, &RC, sizeof(VxValue) * (size_t)f->ncaps);   /* the captures move in */
            RA.fn = cl;
            vmbreak;
        }
        vmcase(CALLC) {
            VxClosure *cl = RB.fn;
            uint32_t nargs = i.c;
            ENTER(&funcs[cl->func], R + i.a);
            put_captures(R, cl, nargs);
            vmbreak;
        }
        vmcase(RET) LEAVE(RA); vmbreak;
        vmcase(RET0) LEAVE((VxValue){ .i = 0 }); vmbreak;

        vmcase(DROP) release(vm, RA.o); vmbreak;
        vmcase(MOVE_OBJ) retain(RB.o); RA = RB; vmbreak;
        vmcase(CONCAT) {
            VxStr *s = new_str(vm, RB.s->len + RC.s->len);
            s = str_append(vm, s, RB.s->data, RB.s->len);
            RA.s = str_append(vm, s, RC.s->data, RC.s->len);
            vmbreak;
        }
        vmcase(STRLEN) RA.i = utf8_length(RB.s); vmbreak;
        vmcase(LT_STR) RA.i = str_compare(RB.s, RC.s) < 0; vmbreak;
        vmcase(LE_STR) RA.i = str_compare(RB.s, RC.s) <= 0; vmbreak;
        vmcase(FMTNEW) RA.s = new_str(vm, 32); vmbreak;
        vmcase(FMTPUT) {
            if (i.c == 0xFFFF) { Sink k = { vm, &RA.s }; put_value(&k, RB, i.t, -1); vmbreak; }
            RA.s = put_spec(vm, RA.s, RB, i.t, K[i.c].i);
            vmbreak;
        }
        vmcase(FMTK) RA.s = str_append(vm, RA.s, K[i.b].s->data, K[i.b].s->len); vmbreak;
        vmcase(NEWARR) {
            VxArr *a = new_arr(vm, i.c, i.t);
            memcpy(a->items, &RB, sizeof(VxValue) * i.c);      /* the elements move in */
            a->len = i.c;
            RA.a = a;
            vmbreak;
        }
        vmcase(ARRREP) {
            if (RC.i < 0 || RC.i > (int64_t)UINT32_MAX / 2) { SAVE(); return vm_error(vm, "cannot make an array of %lld elements", (long long)RC.i); }
            VxArr *a = new_arr(vm, (uint32_t)RC.i, i.t);
            for (int64_t k = 0; k < RC.i; k++) { a->items[k] = RB; if (a->elem_obj) retain(RB.o); }
            a->len = (uint32_t)RC.i;
            RA.a = a;
            vmbreak;
        }
        vmcase(AGET) {
            VxArr *a = RB.a;
            if ((uint64_t)RC.i >= a->len) { SAVE(); return vm_error(vm, "index %lld is out of bounds for an array of length %u", (long long)RC.i, a->len); }
            RA = a->items[RC.i];
            if (a->elem_obj) retain(RA.o);
            vmbreak;
        }
        vmcase(AGETF) {
            const VxArr *a = RB.a;
            if ((uint64_t)RC.i >= a->len) { SAVE(); return vm_error(vm, "index %lld is out of bounds for an array of length %u", (long long)RC.i, a->len); }
            const VxRec *r = a->items[RC.i].r;
            RA = r->fields[i.t];
            if (r->desc->obj_mask >> i.t & 1) retain(RA.o);
            vmbreak;
        }
        vmcase(ASETF) {                                  /* TAKEA, SETF, ASET and DROP in one */
            VxArr *a = RA.a;
            if ((uint64_t)RB.i >= a->len) { SAVE(); return vm_error(vm, "index %lld is out of bounds for an array of length %u", (long long)RB.i, a->len); }
            a = RA.a = arr_unique(vm, a);
            VxRec *r = a->items[RB.i].r = rec_unique(vm, a->items[RB.i].r);
            if (r->desc->obj_mask >> i.t & 1) { retain(RC.o); release(vm, r->fields[i.t].o); }
            r->fields[i.t] = RC;
            vmbreak;
        }
        vmcase(AGETB) {
            VxArr *a = RB.a;
            if ((uint64_t)RC.i >= a->len) { SAVE(); return vm_error(vm, "index %lld is out of bounds for an array of length %u", (long long)RC.i, a->len); }
            RA = a->items[RC.i];
            vmbreak;
        }
        vmcase(ASET) {
            VxArr *a = RA.a;
            if ((uint64_t)RB.i >= a->len) { SAVE(); return vm_error(vm, "index %lld is out of bounds for an array of length %u", (long long)RB.i, a->len); }
            a = RA.a = arr_unique(vm, a);
            if (a->elem_obj) { retain(RC.o); release(vm, a->items[RB.i].o); }
            a->items[RB.i] = RC;
            vmbreak;
        }
        vmcase(APUSH) { arr_push(vm, &RA.a, RB); vmbreak; }
        vmcase(APOP) { VxArr *a = RB.a = arr_unique(vm, RB.a); RA = a->items[--a->len]; vmbreak; }
        vmcase(NEWMAP) RA.m = vm_map_new(vm, i.b, i.c); vmbreak;
        vmcase(MINSERT) { VxMap *m = RA.m = vm_map_unique(vm, RA.m); vm_map_insert(vm, m, RB, RC); vmbreak; }
        vmcase(MREMOVE) { VxMap *m = RA.m = vm_map_unique(vm, RA.m); vm_map_remove(vm, m, RB); vmbreak; }
        vmcase(TAKEF) {
            VxRec *r = RB.r = rec_unique(vm, RB.r);
            RA = r->fields[i.c];
            r->fields[i.c].o = NULL;                   /* an empty slot: releasing it is a no-op */
            vmbreak;
        }
        vmcase(TAKEA) {
            if ((uint64_t)RC.i >= RB.a->len) { SAVE(); return vm_error(vm, "index %lld is out of bounds for an array of length %u", (long long)RC.i, RB.a->len); }
            VxArr *a = RB.a = arr_unique(vm, RB.a);
            RA = a->items[RC.i];
            a->items[RC.i].o = NULL;
            vmbreak;
        }
        vmcase(APUSHF) {
            VxRec *r = RA.r = rec_unique(vm, RA.r);
            arr_push(vm, &r->fields[i.b].a, RC);
            vmbreak;
        }
        vmcase(ALEN) RA.i = RB.a->len; vmbreak;
        vmcase(ANEXT) {                                  /* the step of a loop over an array */
            const VxArr *a = R[i.a + 1].a;
            if ((uint64_t)++RA.i < a->len) {
                RB = a->items[RA.i];
                if (a->elem_obj) retain(RB.o);
                pc += (int16_t)i.c;
            }
            vmbreak;
        }
        vmcase(ASLICE) {
            VxArr *a = RB.a;
            int64_t lo = R[i.c].i, hi = R[i.c + 1].i;
            if (lo < 0 || hi < lo || hi > (int64_t)a->len) {
                SAVE();
                return vm_error(vm, "range %lld..%lld is out of bounds for an array of length %u", (long long)lo, (long long)hi, a->len);
            }
            VxArr *b = new_arr(vm, (uint32_t)(hi - lo), a->elem_kind);
            memcpy(b->items, a->items + lo, sizeof(VxValue) * (size_t)(hi - lo));
            b->len = (uint32_t)(hi - lo);
            if (b->elem_obj) for (uint32_t k = 0; k < b->len; k++) retain(b->items[k].o);
            RA.a = b;
            vmbreak;
        }
        vmcase(NEWREC) {
            if (K[i.c].d->unit) { RA.r = K[i.c].d->unit; vmbreak; }   /* no fields: the one shared value */
            VxRec *r = new_rec(vm, K[i.c].d);
            memcpy(r->fields, &RB, sizeof(VxValue) * r->desc->n);    /* the fields move in */
            RA.r = r;
            vmbreak;
        }
        vmcase(GETF) {
            VxRec *r = RB.r;
            RA = r->fields[i.c];
            if (r->desc->obj_mask >> i.c & 1) retain(RA.o);
            vmbreak;
        }
        vmcase(SETF) {
            VxRec *r = RA.r = rec_unique(vm, RA.r);
            if (r->desc->obj_mask >> i.b & 1) { retain(RC.o); release(vm, r->fields[i.b].o); }
            r->fields[i.b] = RC;
            vmbreak;
        }
        vmcase(GETFB) RA = RB.r->fields[i.c]; vmbreak;
        vmcase(GETTAG) RA.i = RB.r->desc->tag; vmbreak;
        vmcase(ARITH_W) vmcase(HELPER_W) vmcase(NEG_W) vmcase(BNOT_W) vmcase(BIT_W) vmcase(SHIFT_W) vmcase(SHAMT)
        vmcase(EQ_W) vmcase(LT_W) vmcase(LE_W) vmcase(CAST_W) vmcase(INT_FLT) vmcase(FLT_W) vmcase(ABS_INT)
        vmcase(ARITH_H) vmcase(ROUND_H) vmcase(MATH_H)
            SAVE();
            if (vm_exact_op(vm, pc - 1, R)) return 1;
            vmbreak;
        vmcase(PUT) { Sink k = { vm, NULL }; put_value(&k, RA, i.t, -1); vmbreak; }
        vmcase(PUTK) out_bytes(vm, K[i.b].s->data, K[i.b].s->len); vmbreak;
        vmcase(UNWRAP) {
            const VxRec *r = RB.r;
            if (r->desc->tag != 0) { SAVE(); return unwrap_error(vm, r); }
            RA = r->fields[0];
            if (i.c) retain(RA.o);
            vmbreak;
        }
        vmcase(CALLB) {
            SAVE();
            if (vx_builtins[i.c].fn(vm, &RB, &RA)) return 1;
            vmbreak;
        }
        vmcase(TENSOR) {
            SAVE();
            if (vm_tensor_op(vm, i.t, &RB, i.c, &RA)) return 1;
            vmbreak;
        }
        vmcase(EQ_OBJ) RA.i = values_equal(RB, RC, i.t); vmbreak;
        vmcase(LT_OBJ) RA.i = vm_values_compare(RB, RC, i.t, false) == -1; vmbreak;
        vmcase(LE_OBJ) { int r = vm_values_compare(RB, RC, i.t, false); RA.i = r == -1 || r == 0; vmbreak; }
        vmcase(EPUT) vm_flush_out(vm); fwrite(RA.s->data, 1, RA.s->len, stderr); vmbreak;
        vmcase(FAIL) SAVE(); return vm_error(vm, "%s", RA.s->data);
        vmcase(ASSERT)
            if (!RA.i) { SAVE(); return vm_error(vm, "assertion failed: %s", K[i.b].s->data); }
            vmbreak;
        vmcase(EXIT) vm_flush_out(vm); vm->exited = vm->stopped = true; return vm->exit_status = (int)(RA.i & 0xFF);
        vmdefault:
            SAVE();
            return vm_error(vm, "internal error: bad instruction %d", i.op);
        }
#if !(defined(__GNUC__) && !defined(VX_SWITCH_DISPATCH))
    vm_next:
        vmfetch();
#endif
    }
#undef SAVE
#undef ENTER
#undef LEAVE
#undef RA
#undef RB
#undef RC
#undef CHECKED
#undef F32_TO
}

bool vm_stopped(const Vm *vm) { return vm->stopped; }

int vm_call_closure(Vm *vm, VxClosure *f, const VxValue *args, int nargs, VxValue *out)
{
    const Frame *top = &vm->frames[vm->nframes - 1];
    const VxFunc *fn = &vm->prog->funcs[f->func];
    VxValue *base = top->base + top->f->nregs;        /* above every register the running call uses */
    if (vm->nframes == MAX_FRAMES || base + fn->nregs + 1 > vm->stack_end)
        return vm_error(vm, "stack overflow: more than %d nested calls", vm->nframes);
    if (vm->nested == MAX_NESTED)
        return vm_error(vm, "stack overflow: checkpoints nested more than %d deep (each runs its segment from C)",
                        MAX_NESTED);
    memcpy(base, args, sizeof(VxValue) * (size_t)nargs);
    put_captures(base, f, (uint32_t)nargs);
    vm->frames[vm->nframes++] = (Frame){ fn, fn->code, base, out };
    vm->nested++;
    int status = execute(vm);
    vm->nested--;
    return status || vm->stopped ? 1 : 0;
}

int vx_run(const VxProgram *p, int argc, char **argv, VxDiags *diags)
{
    Vm *vm = calloc(1, sizeof *vm);
    if (!vm) vx_xmalloc((size_t)-1);
    vm->argc = argc;
    vm->argv = argv;
    vm_seed(vm, 0);
    vm->prog = p;
    vm->diags = diags;
    vm->stack = calloc(STACK_VALUES, sizeof(VxValue));
    vm->frames = calloc(MAX_FRAMES, sizeof(Frame));
    if (!vm->stack || !vm->frames) {
        fprintf(stderr, "error: out of memory starting the program\n");
        free(vm->stack); free(vm->frames); free(vm);
        return 1;
    }
    vm->stack_end = vm->stack + STACK_VALUES;
    vx_heap_init(&vm->heap);
    const VxFunc *main_fn = &p->funcs[p->main];
    vm->frames[0] = (Frame){ main_fn, main_fn->code, vm->stack, NULL };
    vm->nframes = 1;
    int status = execute(vm);
    if (vm->exited) status = vm->exit_status;         /* perhaps from inside a nested call */
    vm_flush_out(vm);
    if (status == 0 && !vm->exited && (vm->nlive || vm->heap.in_use)) {   /* drops must balance: a leak is our bug */
        fprintf(stderr, "internal error: %zu objects (%zu bytes) were never released\n", vm->nlive, vm->heap.in_use);
        status = 70;
    }
    free_all_objects(vm);
    status = vm_tensor_finish(status);
    free(vm->stack);
    free(vm->frames);
    free(vm);
    return status;
}
