/* num.c - exact integer and float semantics; see num.h. */
#include "num.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- representation ---------------------------------------------------------- */

static bool top_bit(VxWide v) { return v.limb[3] >> 63; }

/* Is the mathematical value negative?  (u256 may have its top bit set.) */
static bool is_neg(VxWide v, VxIntType t) { return t.is_signed && top_bit(v); }

VxWide vx_wide_normalize(VxWide v, VxIntType t)
{
    if (t.bits >= 256) return v;
    int word = t.bits / 64, bit = t.bits % 64;
    bool sign = t.is_signed && ((v.limb[(t.bits - 1) / 64] >> ((t.bits - 1) % 64)) & 1);
    uint64_t fill = sign ? ~0ull : 0;
    if (bit) {
        uint64_t mask = (1ull << bit) - 1;
        v.limb[word] = (v.limb[word] & mask) | (fill & ~mask);
        word++;
    }
    for (int i = word; i < 4; i++) v.limb[i] = fill;
    return v;
}

VxWide vx_wide_from_i64(int64_t x, VxIntType t)
{
    uint64_t fill = x < 0 ? ~0ull : 0;
    VxWide v = { { (uint64_t)x, fill, fill, fill } };
    return vx_wide_normalize(v, t);
}

VxWide vx_wide_from_u64(uint64_t x, VxIntType t)
{
    VxWide v = { { x, 0, 0, 0 } };
    return vx_wide_normalize(v, t);
}

bool vx_wide_is_zero(VxWide a) { return !(a.limb[0] | a.limb[1] | a.limb[2] | a.limb[3]); }

VxWide vx_wide_max(VxIntType t)
{
    VxWide v = { { ~0ull, ~0ull, ~0ull, ~0ull } };
    VxIntType u = { t.bits, false };
    v = vx_wide_normalize(v, u);                          /* 2^bits - 1 */
    if (t.is_signed) {                                    /* clear the sign bit */
        int b = t.bits - 1;
        v.limb[b / 64] &= ~(1ull << (b % 64));
        for (int i = b / 64 + 1; i < 4; i++) v.limb[i] = 0;
    }
    return v;
}

VxWide vx_wide_min(VxIntType t)
{
    VxWide v = { { 0, 0, 0, 0 } };
    if (!t.is_signed) return v;
    int b = t.bits - 1;
    v.limb[b / 64] = 1ull << (b % 64);
    return vx_wide_normalize(v, t);                       /* sign-extends */
}

/* Does the value of type `from` fit in `to`? */
bool vx_wide_fits(VxWide v, VxIntType from, VxIntType to)
{
    bool neg = is_neg(v, from);
    if (!to.is_signed) {
        if (neg) return false;
        if (to.bits >= 256) return true;
        VxWide n = vx_wide_normalize(v, to);
        return memcmp(&n, &v, sizeof v) == 0;
    }
    if (!neg && top_bit(v)) return false;                 /* a u256 above i256's range */
    VxWide n = vx_wide_normalize(v, to);
    return memcmp(&n, &v, sizeof v) == 0;
}

int vx_wide_cmp(VxWide a, VxWide b, VxIntType t)
{
    bool na = is_neg(a, t), nb = is_neg(b, t);
    if (na != nb) return na ? -1 : 1;
    for (int i = 3; i >= 0; i--)
        if (a.limb[i] != b.limb[i]) return a.limb[i] < b.limb[i] ? -1 : 1;
    return 0;
}

/* ---- limb arithmetic (mod 2^256) ---------------------------------------------- */

static VxWide add256(VxWide a, VxWide b, unsigned *carry)
{
    VxWide r;
    unsigned __int128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (unsigned __int128)a.limb[i] + b.limb[i];
        r.limb[i] = (uint64_t)c;
        c >>= 64;
    }
    if (carry) *carry = (unsigned)c;
    return r;
}

static VxWide not256(VxWide a)
{
    for (int i = 0; i < 4; i++) a.limb[i] = ~a.limb[i];
    return a;
}

static VxWide neg256(VxWide a)
{
    VxWide one = { { 1, 0, 0, 0 } };
    return add256(not256(a), one, NULL);
}

static VxWide sub256(VxWide a, VxWide b, unsigned *borrow)
{
    unsigned c;
    VxWide r = add256(a, neg256(b), &c);
    if (borrow) {                                         /* unsigned a < b */
        *borrow = 0;
        for (int i = 3; i >= 0; i--)
            if (a.limb[i] != b.limb[i]) { *borrow = a.limb[i] < b.limb[i]; break; }
    }
    return r;
}

/* 256 x 256 -> 512 bits (unsigned). */
static void mul512(VxWide a, VxWide b, uint64_t out[8])
{
    memset(out, 0, 8 * sizeof(uint64_t));
    for (int i = 0; i < 4; i++) {
        unsigned __int128 c = 0;
        for (int j = 0; j < 4; j++) {
            c += (unsigned __int128)a.limb[i] * b.limb[j] + out[i + j];
            out[i + j] = (uint64_t)c;
            c >>= 64;
        }
        out[i + 4] = (uint64_t)c;
    }
}

static int bit_length(VxWide a)
{
    for (int i = 3; i >= 0; i--)
        if (a.limb[i]) return i * 64 + 64 - __builtin_clzll(a.limb[i]);
    return 0;
}

static VxWide shl256(VxWide a, unsigned n)
{
    VxWide r = { { 0, 0, 0, 0 } };
    if (n >= 256) return r;
    unsigned w = n / 64, b = n % 64;
    for (int i = 3; i >= (int)w; i--) {
        uint64_t x = a.limb[i - w] << b;
        if (b && i - (int)w - 1 >= 0) x |= a.limb[i - w - 1] >> (64 - b);
        r.limb[i] = x;
    }
    return r;
}

static VxWide shr256(VxWide a, unsigned n, bool arith)
{
    uint64_t fill = arith && top_bit(a) ? ~0ull : 0;
    VxWide r = { { fill, fill, fill, fill } };
    if (n >= 256) return r;
    unsigned w = n / 64, b = n % 64;
    for (int i = 0; i + (int)w < 4; i++) {
        uint64_t x = a.limb[i + w] >> b;
        uint64_t next = i + w + 1 < 4 ? a.limb[i + w + 1] : fill;
        if (b) x |= next << (64 - b);
        r.limb[i] = x;
    }
    return r;
}

/* Unsigned long division, bit by bit (these widths are rare). */
static void divmod256(VxWide n, VxWide d, VxWide *q, VxWide *r)
{
    VxWide quo = { { 0, 0, 0, 0 } }, rem = { { 0, 0, 0, 0 } };
    for (int i = bit_length(n) - 1; i >= 0; i--) {
        rem = shl256(rem, 1);
        rem.limb[0] |= (n.limb[i / 64] >> (i % 64)) & 1;
        unsigned borrow;
        VxWide t = sub256(rem, d, &borrow);
        if (!borrow) { rem = t; quo.limb[i / 64] |= 1ull << (i % 64); }
    }
    *q = quo;
    *r = rem;
}

/* ---- arithmetic ----------------------------------------------------------------- */

static VxWide magnitude(VxWide v, VxIntType t) { return is_neg(v, t) ? neg256(v) : v; }

/* The exact product as magnitude (512 bits) and sign. */
static void exact_mul(VxWide a, VxWide b, VxIntType t, uint64_t prod[8], bool *neg)
{
    *neg = is_neg(a, t) != is_neg(b, t);
    mul512(magnitude(a, t), magnitude(b, t), prod);
}

static int popcount256(VxWide v)
{
    int n = 0;
    for (int i = 0; i < 4; i++) n += __builtin_popcountll(v.limb[i]);
    return n;
}

/* Does magnitude m (512 bits) with sign `neg` fit the type?  A negative
 * signed value may reach exactly 2^(bits-1). */
static bool mag_fits(const uint64_t m[8], bool neg, VxIntType t, VxWide *low)
{
    for (int i = 4; i < 8; i++) if (m[i]) return false;
    VxWide v = { { m[0], m[1], m[2], m[3] } };
    *low = v;
    int len = bit_length(v);
    if (!t.is_signed) return !neg || len == 0 ? len <= t.bits : false;
    if (!neg) return len <= t.bits - 1;
    return len <= t.bits - 1 || (len == t.bits && popcount256(v) == 1);
}

static VxNumStatus exact_addsub(bool sub, VxWide a, VxWide b, VxIntType t, VxWide *out)
{
    unsigned carry = 0;
    VxWide r = sub ? sub256(a, b, &carry) : add256(a, b, &carry);
    if (t.bits == 256) {
        bool over = t.is_signed ? (sub ? top_bit(a) != top_bit(b) && top_bit(r) != top_bit(a)
                                       : top_bit(a) == top_bit(b) && top_bit(r) != top_bit(a))
                                : carry;
        *out = r;
        return over ? VX_NUM_OVERFLOW : VX_NUM_OK;
    }
    /* below 256 bits the 256-bit result is exact: check that it fits */
    VxIntType wide = { 256, true };
    *out = r;
    if (!t.is_signed && top_bit(r)) return VX_NUM_OVERFLOW;          /* negative */
    return vx_wide_fits(r, wide, t) ? VX_NUM_OK : VX_NUM_OVERFLOW;
}

static VxNumStatus divide(VxArithOp op, VxWide a, VxWide b, VxIntType t, VxWide *out)
{
    if (vx_wide_is_zero(b)) return VX_NUM_DIV_ZERO;
    VxWide q, r;
    divmod256(magnitude(a, t), magnitude(b, t), &q, &r);
    bool qneg = is_neg(a, t) != is_neg(b, t), rneg = is_neg(a, t);
    VxWide res = op == VX_DIV ? (qneg ? neg256(q) : q) : (rneg ? neg256(r) : r);
    /* MIN / -1 and MIN % -1 overflow in Rust */
    VxWide minus_one = vx_wide_from_i64(-1, t);
    bool over = t.is_signed && vx_wide_cmp(a, vx_wide_min(t), t) == 0 && vx_wide_cmp(b, minus_one, t) == 0;
    *out = vx_wide_normalize(res, t);
    return over ? VX_NUM_OVERFLOW : VX_NUM_OK;
}

VxNumStatus vx_wide_arith(VxArithOp op, VxWide a, VxWide b, VxIntType t, VxWide *out)
{
    switch (op) {
    case VX_ADD: return exact_addsub(false, a, b, t, out);
    case VX_SUB: return exact_addsub(true, a, b, t, out);
    case VX_MUL: {
        uint64_t prod[8];
        bool neg;
        VxWide low;
        exact_mul(a, b, t, prod, &neg);
        bool fits = mag_fits(prod, neg, t, &low);
        *out = vx_wide_normalize(neg ? neg256(low) : low, t);
        return fits ? VX_NUM_OK : VX_NUM_OVERFLOW;
    }
    default: return divide(op, a, b, t, out);
    }
}

VxNumStatus vx_wide_wrapping(VxArithOp op, VxWide a, VxWide b, VxIntType t, VxWide *out)
{
    switch (op) {
    case VX_ADD: *out = vx_wide_normalize(add256(a, b, NULL), t); return VX_NUM_OK;
    case VX_SUB: *out = vx_wide_normalize(sub256(a, b, NULL), t); return VX_NUM_OK;
    case VX_MUL: {
        uint64_t prod[8];
        mul512(a, b, prod);                                /* the low bits are right for any signs */
        VxWide low = { { prod[0], prod[1], prod[2], prod[3] } };
        *out = vx_wide_normalize(low, t);
        return VX_NUM_OK;
    }
    default: {
        VxNumStatus st = divide(op, a, b, t, out);
        return st == VX_NUM_OVERFLOW ? VX_NUM_OK : st;      /* MIN / -1 wraps to MIN */
    }
    }
}

VxNumStatus vx_wide_saturating(VxArithOp op, VxWide a, VxWide b, VxIntType t, VxWide *out)
{
    VxNumStatus st = vx_wide_arith(op, a, b, t, out);
    if (st != VX_NUM_OVERFLOW) return st;
    bool high;
    switch (op) {
    case VX_ADD: high = t.is_signed ? !is_neg(b, t) : true; break;
    case VX_SUB: high = t.is_signed ? is_neg(b, t) : false; break;
    case VX_MUL: high = is_neg(a, t) == is_neg(b, t); break;
    default: high = true; break;                            /* MIN / -1 */
    }
    *out = high ? vx_wide_max(t) : vx_wide_min(t);
    return VX_NUM_OK;
}

VxNumStatus vx_wide_neg(VxWide a, VxIntType t, VxWide *out)
{
    VxWide zero = { { 0, 0, 0, 0 } };
    return vx_wide_arith(VX_SUB, zero, a, t, out);
}

VxNumStatus vx_wide_shl(VxWide a, uint32_t n, VxIntType t, VxWide *out)
{
    if (n >= t.bits) return VX_NUM_SHIFT_RANGE;
    *out = vx_wide_normalize(shl256(a, n), t);
    return VX_NUM_OK;
}

VxNumStatus vx_wide_shr(VxWide a, uint32_t n, VxIntType t, VxWide *out)
{
    if (n >= t.bits) return VX_NUM_SHIFT_RANGE;
    *out = vx_wide_normalize(shr256(a, n, t.is_signed), t);
    return VX_NUM_OK;
}

VxWide vx_wide_and(VxWide a, VxWide b) { for (int i = 0; i < 4; i++) a.limb[i] &= b.limb[i]; return a; }
VxWide vx_wide_or(VxWide a, VxWide b) { for (int i = 0; i < 4; i++) a.limb[i] |= b.limb[i]; return a; }
VxWide vx_wide_xor(VxWide a, VxWide b) { for (int i = 0; i < 4; i++) a.limb[i] ^= b.limb[i]; return a; }
VxWide vx_wide_not(VxWide a, VxIntType t) { return vx_wide_normalize(not256(a), t); }

/* ---- casts ------------------------------------------------------------------------- */

VxWide vx_wide_cast(VxWide v, VxIntType from, VxIntType to)
{
    (void)from;                  /* v is already extended according to `from` */
    return vx_wide_normalize(v, to);
}

VxWide vx_wide_from_double(double d, VxIntType to)
{
    VxWide zero = { { 0, 0, 0, 0 } };
    if (isnan(d)) return zero;
    d = trunc(d);
    if (d < 0 && !to.is_signed) return zero;
    /* saturate: compare with 2^(bits-1) or 2^bits */
    double lim = ldexp(1.0, to.is_signed ? to.bits - 1 : to.bits);
    if (d >= lim) return vx_wide_max(to);
    if (d < -lim) return vx_wide_min(to);
    bool neg = d < 0;
    double m = fabs(d);
    VxWide r = zero;
    if (m < 18446744073709551616.0) {
        r.limb[0] = (uint64_t)m;
    } else {
        int e;
        double f = frexp(m, &e);                       /* m = f * 2^e, 0.5 <= f < 1 */
        uint64_t mant = (uint64_t)ldexp(f, 64);         /* exact: 53 significant bits */
        r.limb[0] = mant;
        r = shl256(r, (unsigned)(e - 64));
    }
    if (neg) r = neg256(r);
    return vx_wide_normalize(r, to);
}

double vx_wide_to_double(VxWide v, VxIntType from)
{
    bool neg = is_neg(v, from);
    VxWide m = neg ? neg256(v) : v;
    int len = bit_length(m);
    double d;
    if (len <= 64) {
        d = (double)m.limb[0];
    } else {
        /* top 64 bits, with a sticky bit for everything below, then scale:
         * the conversion of the 64-bit chunk rounds correctly */
        unsigned drop = (unsigned)(len - 64);
        VxWide top = shr256(m, drop, false);
        VxWide back = shl256(top, drop);
        uint64_t chunk = top.limb[0];
        if (memcmp(&back, &m, sizeof m) != 0) chunk |= 1;
        d = ldexp((double)chunk, (int)drop);
    }
    return neg ? -d : d;
}

/* m (unsigned) rounded to 53 bits by round-to-odd (exact below 2^53),
 * so one more rounding to f32 or narrower is correct. */
static double odd_double(VxWide m)
{
    int len = bit_length(m);
    if (len <= 53) return (double)m.limb[0];
    unsigned drop = (unsigned)(len - 53);
    VxWide top = shr256(m, drop, false), back = shl256(top, drop);
    uint64_t chunk = top.limb[0];
    if (memcmp(&back, &m, sizeof m) != 0) chunk |= 1;
    return ldexp((double)chunk, (int)drop);
}

double vx_wide_to_float(VxWide v, VxIntType from, VxFloatFmt f)
{
    if (f == VX_FLOAT_F64) return vx_wide_to_double(v, from);
    bool neg = is_neg(v, from);
    double d = odd_double(neg ? neg256(v) : v);
    return vx_round_float(neg ? -d : d, f);
}

void vx_wide_str(VxWide v, VxIntType t, char *buf, size_t cap)
{
    char tmp[90];
    int n = 0;
    bool neg = is_neg(v, t);
    VxWide m = neg ? neg256(v) : v, ten = { { 10, 0, 0, 0 } };
    do {
        VxWide q, r;
        divmod256(m, ten, &q, &r);
        tmp[n++] = (char)('0' + r.limb[0]);
        m = q;
    } while (!vx_wide_is_zero(m));
    size_t j = 0;
    if (neg && j + 1 < cap) buf[j++] = '-';
    while (n > 0 && j + 1 < cap) buf[j++] = tmp[--n];
    buf[j] = '\0';
}

/* ---- f16 and bf16 ---------------------------------------------------------------------- */

static uint32_t f32_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static float bits_f32(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

uint16_t vx_f32_to_f16(float f)
{
    uint32_t x = f32_bits(f);
    uint32_t sign = (x >> 16) & 0x8000, exp = (x >> 23) & 0xFF, mant = x & 0x7FFFFF;
    if (exp == 0xFF) return (uint16_t)(sign | 0x7C00 | (mant ? 0x200 | (mant >> 13) : 0));
    int e = (int)exp - 127 + 15;
    if (e >= 31) return (uint16_t)(sign | 0x7C00);                 /* too large: infinity */
    if (e <= 0) {                                                  /* subnormal or zero */
        if (e < -10) return (uint16_t)sign;
        mant |= 0x800000;
        unsigned shift = (unsigned)(14 - e);
        uint32_t half = mant >> shift, rem = mant & ((1u << shift) - 1), mid = 1u << (shift - 1);
        if (rem > mid || (rem == mid && (half & 1))) half++;
        return (uint16_t)(sign | half);
    }
    uint32_t half = ((uint32_t)e << 10) | (mant >> 13), rem = mant & 0x1FFF;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1))) half++;      /* may carry into infinity: right */
    return (uint16_t)(sign | half);
}

float vx_f16_to_f32(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
    if (exp == 0x1F) return bits_f32(sign | 0x7F800000 | (mant << 13));
    if (exp == 0) {
        float v = ldexpf((float)mant, -24);                        /* subnormal (or zero) */
        return sign ? -v : v;
    }
    return bits_f32(sign | ((exp - 15 + 127) << 23) | (mant << 13));
}

uint16_t vx_f32_to_bf16(float f)
{
    uint32_t x = f32_bits(f);
    if ((x & 0x7FFFFFFF) > 0x7F800000) return (uint16_t)((x >> 16) | 0x40);   /* quiet NaN */
    x += 0x7FFF + ((x >> 16) & 1);                                  /* round to nearest even */
    return (uint16_t)(x >> 16);
}

float vx_bf16_to_f32(uint16_t h) { return bits_f32((uint32_t)h << 16); }

/* d rounded to f32 by round-to-odd: truncated toward zero, the last bit
 * set when that was inexact.  Rounding the result again to a format at
 * least two bits narrower (f16: 11, bf16: 8 against f32's 24) gives d
 * correctly rounded to it, as if in one step. */
static float f32_odd(double d)
{
    float f = (float)d;
    if (isnan(d) || isinf(d) || (double)f == d) return f;
    if (isinf(f)) f = copysignf(FLT_MAX, f);
    else if (fabs((double)f) > fabs(d)) f = nextafterf(f, 0.0f);
    return bits_f32(f32_bits(f) | 1);
}

double vx_round_float(double d, VxFloatFmt f)
{
    switch (f) {
    case VX_FLOAT_F16: return vx_f16_to_f32(vx_f32_to_f16(f32_odd(d)));
    case VX_FLOAT_BF16: return vx_bf16_to_f32(vx_f32_to_bf16(f32_odd(d)));
    case VX_FLOAT_F32: return (float)d;
    default: return d;
    }
}

/* ---- printing floats ---------------------------------------------------------------------- */

/* Does the decimal text e read back as v in format f?  (strtof is
 * correctly rounded; for the half formats strtod's exact-enough double is
 * rounded once more, which is safe for the few digits they need.) */
bool vx_float_reads_back(const char *e, double v, VxFloatFmt f)
{
    if (f == VX_FLOAT_F64) return strtod(e, NULL) == v;
    if (f == VX_FLOAT_F32) return strtof(e, NULL) == (float)v;
    return vx_round_float(strtod(e, NULL), f) == v;
}

void vx_format_float(double v, VxFloatFmt f, char *buf, size_t cap)
{
    if (isnan(v)) { snprintf(buf, cap, "NaN"); return; }
    if (isinf(v)) { snprintf(buf, cap, v < 0 ? "-inf" : "inf"); return; }
    if (v == 0) { snprintf(buf, cap, signbit(v) ? "-0.0" : "0.0"); return; }
    /* the fewest significant digits that read back as the same value */
    char e[40];
    for (int p = 0; p < 17; p++) {
        snprintf(e, sizeof e, "%.*e", p, v);
        if (vx_float_reads_back(e, v, f)) break;
    }
    /* e is "-d.ddde+XX": split into sign, digits and exponent */
    char digits[24];
    int nd = 0;
    const char *p = e;
    bool neg = *p == '-';
    if (neg) p++;
    for (; *p && *p != 'e'; p++) if (*p != '.') digits[nd++] = *p;
    digits[nd] = '\0';
    int exp = atoi(p + 1);
    char out[64];
    size_t n = 0;
    if (neg) out[n++] = '-';
    if (exp >= -4 && exp < 16) {                       /* positional, like Python's repr */
        if (exp >= 0) {
            for (int i = 0; i <= exp; i++) out[n++] = i < nd ? digits[i] : '0';
            out[n++] = '.';
            if (nd > exp + 1) for (int i = exp + 1; i < nd; i++) out[n++] = digits[i];
            else out[n++] = '0';
        } else {
            out[n++] = '0';
            out[n++] = '.';
            for (int i = 0; i < -exp - 1; i++) out[n++] = '0';
            for (int i = 0; i < nd; i++) out[n++] = digits[i];
        }
        out[n] = '\0';
    } else {                                           /* 1e-10, 1.5e+300 */
        out[n++] = digits[0];
        if (nd > 1) { out[n++] = '.'; for (int i = 1; i < nd; i++) out[n++] = digits[i]; }
        n += (size_t)snprintf(out + n, sizeof out - n, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    }
    snprintf(buf, cap, "%s", out);
}
