/* exact.c - the VM's integers wider than 64 bits and its f16/bf16 values.
 *
 * i128, u128 and u256 values are VxWideInt objects: a register holds 8
 * bytes, so they are boxed; they are immutable, so MOVE_OBJ shares one and
 * every operation makes a new one, released like a string.  num.c does
 * the arithmetic, with Rust's rules.
 *
 * f16 and bf16 values are f32 registers holding a value of the format.
 * Each operation computes in f32 and rounds to the format (as PyTorch's
 * CPU kernels and Rust's `half` crate do); for + - * / and sqrt that is
 * the correctly rounded result, since f32's 24 bits exceed 2p + 2 (p = 11
 * or 8), which makes the double rounding harmless. */
#include "vm_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool is_wide(VxIntKind k) { return vx_int_bits(k) > 64; }

static VxWideInt *new_wide(Vm *vm, VxWide v)
{
    VxWideInt *w = vm_new_obj(vm, sizeof *w, VX_OBJ_WIDE);
    w->v = v;
    return w;
}

/* A value of integer kind k, boxed or not. */
static VxWide get(VxValue v, VxIntKind k) { return is_wide(k) ? v.w->v : vm_to_wide(v, k); }

/* w as a value of kind k (w normalised to k's width). */
static VxValue put(Vm *vm, VxWide w, VxIntKind k)
{
    VxValue v;
    w = vx_wide_normalize(w, vm_int_type(k));
    if (is_wide(k)) v.w = new_wide(vm, w);
    else v.u = w.limb[0];                                /* sign- or zero-extended: a register's form */
    return v;
}

int vm_int_error(Vm *vm, VxNumStatus st, int op, VxIntKind k, VxWide a, VxWide b)
{
    static const char *const words[] = { "add", "subtract", "multiply", "divide", "take the remainder", "raise" };
    static const char *const sym[] = { "+", "-", "*", "/", "%", "**" };
    char x[90], y[90];
    VxIntType t = vm_int_type(k);
    if (st == VX_NUM_DIV_ZERO) return vm_error(vm, "attempt to %s by zero", words[op]);
    VxIntType wide = { 256, t.is_signed };              /* shift amounts may exceed k's width */
    vx_wide_str(a, t, x, sizeof x);
    vx_wide_str(b, st == VX_NUM_SHIFT_RANGE ? wide : t, y, sizeof y);
    if (st == VX_NUM_SHIFT_RANGE) return vm_error(vm, "shift by %s is out of range for `%s`", y, vx_int_name(k));
    return vm_error(vm, "integer overflow: %s %s %s does not fit in `%s`", x, sym[op], y, vx_int_name(k));
}

static int neg_error(Vm *vm, VxWide a, VxIntKind k)
{
    char x[90];
    vx_wide_str(a, vm_int_type(k), x, sizeof x);
    return vm_error(vm, "integer overflow: -(%s) does not fit in `%s`", x, vx_int_name(k));
}

/* a ** e by squaring; a negative exponent is an error, like an overflow. */
static VxNumStatus wide_pow(VxWide a, VxWide e, VxIntType t, VxWide *out)
{
    VxWide zero = { { 0, 0, 0, 0 } };
    if (vx_wide_cmp(e, zero, t) < 0) return VX_NUM_OVERFLOW;
    VxIntType u = { 256, false };
    VxWide acc = vx_wide_from_u64(1, t), base = a;
    while (!vx_wide_is_zero(e)) {
        VxNumStatus st;
        if (e.limb[0] & 1 && (st = vx_wide_arith(VX_MUL, acc, base, t, &acc))) return st;
        vx_wide_shr(e, 1, u, &e);
        if (!vx_wide_is_zero(e) && (st = vx_wide_arith(VX_MUL, base, base, t, &base))) return st;
    }
    *out = acc;
    return VX_NUM_OK;
}

static int arith_w(Vm *vm, VxInstr i, VxValue b, VxValue c, VxValue *out)
{
    VxIntKind k = (VxIntKind)(i.t & 31);
    int op = i.t >> 5;
    VxWide r, x = b.w->v, y = c.w->v;
    VxNumStatus st = op == 5 ? wide_pow(x, y, vm_int_type(k), &r) : vx_wide_arith((VxArithOp)op, x, y, vm_int_type(k), &r);
    if (st) return vm_int_error(vm, st, op, k, x, y);
    out->w = new_wide(vm, r);
    return 0;
}

/* wrapping_*, saturating_*, and whether checked_* has a value. */
static void helper_w(Vm *vm, VxInstr i, VxValue b, VxValue c, VxValue *out)
{
    VxIntKind k = (VxIntKind)(i.t & 15);
    VxArithOp op = (VxArithOp)(i.t >> 4 & 3);
    int mode = i.t >> 6;
    VxWide r, x = b.w->v, y = c.w->v;
    if (mode == 0) { out->i = vx_wide_arith(op, x, y, vm_int_type(k), &r) == VX_NUM_OK; return; }
    if (mode == 1) vx_wide_wrapping(op, x, y, vm_int_type(k), &r);
    else vx_wide_saturating(op, x, y, vm_int_type(k), &r);
    out->w = new_wide(vm, r);
}

/* The amount of a shift whose operands are not both 64-bit: checked here
 * against the shifted kind, so the shift itself cannot fail. */
static int shift_amount(Vm *vm, VxInstr i, VxValue b, VxValue *out)
{
    VxIntKind rk = (VxIntKind)(i.t & 15), lk = (VxIntKind)(i.t >> 4);
    VxIntType rt = vm_int_type(rk), u256 = { 256, false };
    VxWide n = get(b, rk), zero = { { 0, 0, 0, 0 } };
    bool fits = vx_wide_cmp(n, zero, rt) >= 0 && vx_wide_cmp(n, vx_wide_from_u64((uint64_t)vx_int_bits(lk), u256), u256) < 0;
    if (!fits) {
        char y[90];
        vx_wide_str(n, rt, y, sizeof y);
        return vm_error(vm, "shift by %s is out of range for `%s`", y, vx_int_name(lk));
    }
    out->u = n.limb[0];
    return 0;
}

/* |x| for any integer kind; MIN has no absolute value. */
static int abs_int(Vm *vm, VxIntKind k, VxValue b, VxValue *out)
{
    VxWide x = get(b, k), r, zero = { { 0, 0, 0, 0 } };
    if (vx_wide_cmp(x, zero, vm_int_type(k)) >= 0) {
        if (is_wide(k)) vm_retain(b.o);                  /* the same object, one more owner */
        *out = b;
        return 0;
    }
    if (vx_wide_neg(x, vm_int_type(k), &r)) return neg_error(vm, x, k);
    *out = put(vm, r, k);
    return 0;
}

static float half_arith(int op, VxValue b, VxValue c)
{
    float x = b.f32, y = c.f32;
    switch (op) {
    case 0: return x + y;
    case 1: return x - y;
    case 2: return x * y;
    case 3: return x / y;
    case 4: return fmodf(x, y);
    case 5: return powf(x, y);
    default: return powf(x, (float)c.i);
    }
}

static void set_f32(VxValue *out, double d) { out->u = 0; out->f32 = (float)d; }

static int compare_w(VxInstr i, VxValue b, VxValue c)
{
    return vx_wide_cmp(b.w->v, c.w->v, vm_int_type((VxIntKind)i.t));
}

int vm_exact_op(Vm *vm, const VxInstr *ip, VxValue *R)
{
    VxInstr i = *ip;
    VxValue *out = &R[i.a], b = R[i.b], c = R[i.c];
    VxIntKind k = (VxIntKind)(i.t & 15);
    VxWide r;
    switch ((VxOp)i.op) {
    case VX_OP_ARITH_W: return arith_w(vm, i, b, c, out);
    case VX_OP_HELPER_W: helper_w(vm, i, b, c, out); return 0;
    case VX_OP_NEG_W:
        if (vx_wide_neg(b.w->v, vm_int_type(k), &r)) return neg_error(vm, b.w->v, k);
        out->w = new_wide(vm, r);
        return 0;
    case VX_OP_BNOT_W: out->w = new_wide(vm, vx_wide_not(b.w->v, vm_int_type(k))); return 0;
    case VX_OP_BIT_W:
        r = i.t == 0 ? vx_wide_and(b.w->v, c.w->v) : i.t == 1 ? vx_wide_or(b.w->v, c.w->v) : vx_wide_xor(b.w->v, c.w->v);
        out->w = new_wide(vm, r);
        return 0;
    case VX_OP_SHIFT_W:
        if (i.t & 32) vx_wide_shr(b.w->v, (uint32_t)c.u, vm_int_type(k), &r);
        else vx_wide_shl(b.w->v, (uint32_t)c.u, vm_int_type(k), &r);
        out->w = new_wide(vm, r);
        return 0;
    case VX_OP_SHAMT: return shift_amount(vm, i, b, out);
    case VX_OP_EQ_W: out->i = compare_w(i, b, c) == 0; return 0;
    case VX_OP_LT_W: out->i = compare_w(i, b, c) < 0; return 0;
    case VX_OP_LE_W: out->i = compare_w(i, b, c) <= 0; return 0;
    case VX_OP_CAST_W: *out = put(vm, get(b, k), (VxIntKind)(i.t >> 4)); return 0;
    case VX_OP_INT_FLT: {
        double d = vx_wide_to_float(get(b, k), vm_int_type(k), (VxFloatFmt)(i.t >> 4));
        if (i.t >> 4 == VX_FLOAT_F64) out->f = d;
        else set_f32(out, d);
        return 0;
    }
    case VX_OP_FLT_W: out->w = new_wide(vm, vx_wide_from_double(i.t & 16 ? b.f : b.f32, vm_int_type(k))); return 0;
    case VX_OP_ABS_INT: return abs_int(vm, k, b, out);
    case VX_OP_ARITH_H: set_f32(out, vx_round_float(half_arith(i.t >> 1, b, c), (VxFloatFmt)(i.t & 1))); return 0;
    case VX_OP_ROUND_H: set_f32(out, vx_round_float(i.t & 2 ? b.f : b.f32, (VxFloatFmt)(i.t & 1))); return 0;
    case VX_OP_MATH_H: set_f32(out, vx_round_float((float)vm_math(i.t >> 1, b.f32), (VxFloatFmt)(i.t & 1))); return 0;
    default: return vm_error(vm, "internal error: %s is not an exact-arithmetic instruction", vx_op_name((VxOp)i.op));
    }
}
