/* test_num.c - exact scalar semantics (src/vm/num.c) against the machine's
 * own arithmetic for every width it has (8..128 bits, via __int128), on
 * random and edge values, plus 256-bit cases, casts, f16/bf16 rounding and
 * float printing. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/vm/num.h"
#include "unit.h"

typedef __int128 i128;
typedef unsigned __int128 u128;

static const VxIntType widths[] = {
    {8, true}, {16, true}, {32, true}, {64, true}, {128, true},
    {8, false}, {16, false}, {32, false}, {64, false}, {128, false},
};

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next64(void)
{
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;       /* xorshift64 */
    return rng;
}

/* The value of a normalised VxWide of width <= 128 as __int128 (sign or zero extended). */
static i128 as_i128(VxWide v) { return (i128)(((u128)v.limb[1] << 64) | v.limb[0]); }

static VxWide from_i128(i128 x, VxIntType t)
{
    uint64_t fill = x < 0 ? ~0ull : 0;
    VxWide v = { { (uint64_t)x, (uint64_t)((u128)x >> 64), fill, fill } };
    return vx_wide_normalize(v, t);
}

/* Reference: is x representable in t? */
static bool ref_fits(i128 x, bool wide_neg_known, VxIntType t)
{
    (void)wide_neg_known;
    if (t.bits == 128) return true;                       /* checked separately */
    i128 lo = t.is_signed ? -((i128)1 << (t.bits - 1)) : 0;
    i128 hi = t.is_signed ? ((i128)1 << (t.bits - 1)) - 1 : ((i128)1 << t.bits) - 1;
    return x >= lo && x <= hi;
}

/* A random value of the type, biased toward edges. */
static VxWide random_value(VxIntType t)
{
    VxWide v = { { next64(), next64(), next64(), next64() } };
    switch (next64() % 6) {
    case 0: return vx_wide_max(t);
    case 1: return vx_wide_min(t);
    case 2: return vx_wide_from_i64((int64_t)(next64() % 5) - 2, t);
    default: return vx_wide_normalize(v, t);
    }
}

TEST(num_arith_matches_machine_below_128_bits)
{
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        VxIntType t = widths[w];
        if (t.bits == 128) continue;
        for (int k = 0; k < 3000; k++) {
            VxWide a = random_value(t), b = random_value(t), r;
            i128 x = as_i128(a), y = as_i128(b);
            if (!t.is_signed) { x = (i128)((u128)x & (((u128)1 << t.bits) - 1)); y = (i128)((u128)y & (((u128)1 << t.bits) - 1)); }
            /* the exact results: every product of two values below 2^64 fits in a
             * u128, and of two signed ones in an i128; only u64 * u64 needs u128 */
            i128 want[3] = { x + y, x - y, 0 };
            bool huge = false;
            if (t.is_signed) want[2] = x * y;
            else {
                u128 p = (u128)x * (u128)y;
                huge = p > ((u128)1 << 64);
                want[2] = huge ? 0 : (i128)p;
            }
            for (int op = 0; op < 3; op++) {
                if (op == 2 && huge) { CHECK(vx_wide_arith(VX_MUL, a, b, t, &r) == VX_NUM_OVERFLOW); continue; }
                VxNumStatus st = vx_wide_arith((VxArithOp)op, a, b, t, &r);
                CHECK((st == VX_NUM_OK) == ref_fits(want[op], false, t));
                if (st == VX_NUM_OK) CHECK(vx_wide_cmp(r, from_i128(want[op], t), t) == 0);
            }
            if (y != 0) {
                bool over = t.is_signed && y == -1 && x == -((i128)1 << (t.bits - 1));
                CHECK((vx_wide_arith(VX_DIV, a, b, t, &r) == VX_NUM_OVERFLOW) == over);
                if (!over) CHECK(vx_wide_cmp(r, from_i128(x / y, t), t) == 0);
                CHECK((vx_wide_arith(VX_REM, a, b, t, &r) == VX_NUM_OVERFLOW) == over);
                if (!over) CHECK(vx_wide_cmp(r, from_i128(x % y, t), t) == 0);       /* sign of the dividend */
            } else {
                CHECK(vx_wide_arith(VX_DIV, a, b, t, &r) == VX_NUM_DIV_ZERO);
            }
        }
    }
}

TEST(num_arith_128_bits_matches_int128)
{
    VxIntType s = { 128, true }, u = { 128, false };
    for (int k = 0; k < 5000; k++) {
        VxWide a = random_value(s), b = random_value(s), r;
        i128 x = as_i128(a), y = as_i128(b), z;
        bool over = __builtin_add_overflow(x, y, &z);
        CHECK((vx_wide_arith(VX_ADD, a, b, s, &r) == VX_NUM_OVERFLOW) == over);
        if (!over) CHECK(as_i128(r) == z);
        over = __builtin_mul_overflow(x, y, &z);
        CHECK((vx_wide_arith(VX_MUL, a, b, s, &r) == VX_NUM_OVERFLOW) == over);
        if (!over) CHECK(as_i128(r) == z);
        vx_wide_wrapping(VX_MUL, a, b, s, &r);
        CHECK(as_i128(r) == (i128)((u128)x * (u128)y));
        VxWide c = random_value(u), d = random_value(u);
        u128 p = (u128)as_i128(c), q = (u128)as_i128(d), pz;
        over = __builtin_sub_overflow(p, q, &pz);
        CHECK((vx_wide_arith(VX_SUB, c, d, u, &r) == VX_NUM_OVERFLOW) == over);
        if (!over) CHECK((u128)as_i128(r) == pz);
        if (q) { vx_wide_arith(VX_DIV, c, d, u, &r); CHECK((u128)as_i128(r) == p / q); }
    }
}

TEST(num_u256_arithmetic)
{
    VxIntType t = { 256, false };
    char buf[90];
    VxWide max = vx_wide_max(t), one = vx_wide_from_u64(1, t), r;
    CHECK(vx_wide_arith(VX_ADD, max, one, t, &r) == VX_NUM_OVERFLOW);
    vx_wide_wrapping(VX_ADD, max, one, t, &r);
    CHECK(vx_wide_is_zero(r));
    vx_wide_str(max, t, buf, sizeof buf);
    CHECK_STR(buf, "115792089237316195423570985008687907853269984665640564039457584007913129639935");
    /* (2^128)^2 = 2^256 overflows; (2^127)^2 = 2^254 does not */
    VxWide a = { { 0, 0, 1, 0 } }, b = { { 0, 1ull << 63, 0, 0 } };
    CHECK(vx_wide_arith(VX_MUL, a, a, t, &r) == VX_NUM_OVERFLOW);
    CHECK(vx_wide_arith(VX_MUL, b, b, t, &r) == VX_NUM_OK && r.limb[3] == 1ull << 62);
    /* secp256k1's p mod 7 (checked with Python: 1) */
    VxWide p = { { 0xFFFFFFFEFFFFFC2Full, ~0ull, ~0ull, ~0ull } }, seven = vx_wide_from_u64(7, t);
    CHECK(vx_wide_arith(VX_REM, p, seven, t, &r) == VX_NUM_OK);
    vx_wide_str(r, t, buf, sizeof buf);
    CHECK_STR(buf, "1");
    CHECK(vx_wide_arith(VX_DIV, p, vx_wide_from_u64(0, t), t, &r) == VX_NUM_DIV_ZERO);
}

TEST(num_i256_signed_edges)
{
    VxIntType t = { 256, true };
    char buf[90];
    VxWide min = vx_wide_min(t), m1 = vx_wide_from_i64(-1, t), r;
    CHECK(vx_wide_arith(VX_DIV, min, m1, t, &r) == VX_NUM_OVERFLOW);
    CHECK(vx_wide_arith(VX_REM, min, m1, t, &r) == VX_NUM_OVERFLOW);
    CHECK(vx_wide_neg(min, t, &r) == VX_NUM_OVERFLOW);
    CHECK(vx_wide_arith(VX_SUB, min, vx_wide_from_i64(1, t), t, &r) == VX_NUM_OVERFLOW);
    vx_wide_str(min, t, buf, sizeof buf);
    CHECK_STR(buf, "-57896044618658097711785492504343953926634992332820282019728792003956564819968");
    CHECK(vx_wide_saturating(VX_SUB, min, vx_wide_from_i64(5, t), t, &r) == VX_NUM_OK);
    CHECK(vx_wide_cmp(r, min, t) == 0);
    CHECK(vx_wide_arith(VX_MUL, vx_wide_from_i64(-7, t), vx_wide_from_i64(6, t), t, &r) == VX_NUM_OK);
    vx_wide_str(r, t, buf, sizeof buf);
    CHECK_STR(buf, "-42");
}

TEST(num_division_truncates_toward_zero)
{
    VxIntType t = { 64, true };
    VxWide r;
    vx_wide_arith(VX_DIV, vx_wide_from_i64(-7, t), vx_wide_from_i64(2, t), t, &r);
    CHECK((int64_t)r.limb[0] == -3);
    vx_wide_arith(VX_REM, vx_wide_from_i64(-7, t), vx_wide_from_i64(2, t), t, &r);
    CHECK((int64_t)r.limb[0] == -1);
    vx_wide_arith(VX_REM, vx_wide_from_i64(7, t), vx_wide_from_i64(-2, t), t, &r);
    CHECK((int64_t)r.limb[0] == 1);
}

TEST(num_saturating_and_wrapping)
{
    VxIntType t = { 8, false }, s = { 8, true };
    VxWide r;
    vx_wide_saturating(VX_ADD, vx_wide_from_u64(250, t), vx_wide_from_u64(10, t), t, &r);
    CHECK(r.limb[0] == 255);
    vx_wide_saturating(VX_SUB, vx_wide_from_u64(5, t), vx_wide_from_u64(10, t), t, &r);
    CHECK(r.limb[0] == 0);
    vx_wide_wrapping(VX_ADD, vx_wide_from_u64(250, t), vx_wide_from_u64(10, t), t, &r);
    CHECK(r.limb[0] == 4);
    vx_wide_wrapping(VX_ADD, vx_wide_from_i64(127, s), vx_wide_from_i64(1, s), s, &r);
    CHECK((int64_t)r.limb[0] == -128);
    vx_wide_saturating(VX_MUL, vx_wide_from_i64(-100, s), vx_wide_from_i64(2, s), s, &r);
    CHECK((int64_t)r.limb[0] == -128);
    vx_wide_wrapping(VX_DIV, vx_wide_from_i64(-128, s), vx_wide_from_i64(-1, s), s, &r);
    CHECK((int64_t)r.limb[0] == -128);
}

TEST(num_shifts)
{
    VxIntType s = { 32, true }, u = { 32, false }, w = { 256, false };
    VxWide r;
    CHECK(vx_wide_shl(vx_wide_from_i64(1, s), 32, s, &r) == VX_NUM_SHIFT_RANGE);
    CHECK(vx_wide_shl(vx_wide_from_i64(1, s), 31, s, &r) == VX_NUM_OK && (int64_t)r.limb[0] == INT32_MIN);
    CHECK(vx_wide_shr(vx_wide_from_i64(-8, s), 1, s, &r) == VX_NUM_OK && (int64_t)r.limb[0] == -4);
    CHECK(vx_wide_shr(vx_wide_from_u64(0x80000000u, u), 31, u, &r) == VX_NUM_OK && r.limb[0] == 1);
    CHECK(vx_wide_shl(vx_wide_from_u64(1, w), 255, w, &r) == VX_NUM_OK && r.limb[3] == 1ull << 63);
    CHECK(vx_wide_shr(r, 200, w, &r) == VX_NUM_OK && r.limb[0] == 1ull << 55);
}

TEST(num_int_casts_truncate_and_extend)
{
    VxIntType i8 = { 8, true }, u8 = { 8, false }, i32 = { 32, true }, u64 = { 64, false };
    VxWide v = vx_wide_cast(vx_wide_from_i64(300, i32), i32, u8);
    CHECK(v.limb[0] == 44);
    v = vx_wide_cast(vx_wide_from_i64(200, i32), i32, i8);
    CHECK((int64_t)v.limb[0] == -56);
    v = vx_wide_cast(vx_wide_from_i64(-1, i8), i8, u64);
    CHECK(v.limb[0] == UINT64_MAX);
    CHECK(vx_wide_fits(vx_wide_from_i64(-1, i8), i8, i32) && !vx_wide_fits(vx_wide_from_i64(-1, i8), i8, u64));
}

TEST(num_float_to_int_saturates)
{
    VxIntType i8 = { 8, true }, u8 = { 8, false }, i64 = { 64, true }, u256 = { 256, false };
    CHECK((int64_t)vx_wide_from_double(300.7, i8).limb[0] == 127);
    CHECK((int64_t)vx_wide_from_double(-300.0, i8).limb[0] == -128);
    CHECK(vx_wide_from_double(-5.0, u8).limb[0] == 0);
    CHECK(vx_wide_from_double(NAN, i64).limb[0] == 0);
    CHECK((int64_t)vx_wide_from_double(-2.9, i64).limb[0] == -2);
    CHECK((int64_t)vx_wide_from_double(1e300, i64).limb[0] == INT64_MAX);
    VxWide big = vx_wide_from_double(ldexp(1.0, 200), u256);
    CHECK(big.limb[3] == 1ull << 8 && !big.limb[0] && !big.limb[1] && !big.limb[2]);
}

TEST(num_int_to_float_rounds_to_nearest_even)
{
    VxIntType u = { 128, false }, s = { 256, true };
    /* 2^64 + 1 is not representable: rounds to 2^64 */
    VxWide v = { { 1, 1, 0, 0 } };
    CHECK(vx_wide_to_double(v, u) == ldexp(1.0, 64));
    /* 2^60 + 2^7 + 1 rounds up past the tie, 2^60 + 2^7 ties to even (down) */
    VxWide w = { { (1ull << 60) + (1ull << 7) + 1, 0, 0, 0 } }, x = { { (1ull << 60) + (1ull << 7), 0, 0, 0 } };
    CHECK(vx_wide_to_double(w, u) == ldexp(1.0, 60) + 256);
    CHECK(vx_wide_to_double(x, u) == ldexp(1.0, 60));
    /* a 200-bit value with a sticky bit far below the 53 kept */
    VxWide y = { { 1, 0, 0, 0x80 } };
    CHECK(vx_wide_to_double(y, s) == ldexp(1.0, 199));
    CHECK(vx_wide_to_double(vx_wide_from_i64(-3, s), s) == -3.0);
}

TEST(num_f16_round_trip_and_rounding)
{
    for (uint32_t h = 0; h < 0x10000; h++) {            /* every f16 survives a round trip */
        float f = vx_f16_to_f32((uint16_t)h);
        if (isnan(f)) { CHECK(isnan(vx_f16_to_f32(vx_f32_to_f16(f)))); continue; }
        CHECK(vx_f32_to_f16(f) == h);
    }
    CHECK(vx_f32_to_f16(1.0f) == 0x3C00);
    CHECK(vx_f32_to_f16(65504.0f) == 0x7BFF);
    CHECK(vx_f32_to_f16(65520.0f) == 0x7C00);           /* rounds up to infinity */
    CHECK(vx_f32_to_f16(1.0f + ldexpf(1.0f, -11)) == 0x3C00);     /* a tie: to even */
    CHECK(vx_f32_to_f16(1.0f + 3 * ldexpf(1.0f, -11)) == 0x3C02);
    CHECK(vx_f32_to_f16(ldexpf(1.0f, -24)) == 0x0001);  /* smallest subnormal */
    CHECK(vx_f32_to_f16(ldexpf(1.0f, -26)) == 0x0000);
}

TEST(num_bf16_rounding)
{
    CHECK(vx_f32_to_bf16(1.0f) == 0x3F80);
    CHECK(vx_bf16_to_f32(0x3F80) == 1.0f);
    CHECK(vx_f32_to_bf16(1.0f + ldexpf(1.0f, -8)) == 0x3F80);     /* tie: to even */
    CHECK(vx_f32_to_bf16(1.0f + 3 * ldexpf(1.0f, -8)) == 0x3F82);
    CHECK(isnan(vx_bf16_to_f32(vx_f32_to_bf16(NAN))));
    for (uint32_t h = 0; h < 0x10000; h += 7) {
        float f = vx_bf16_to_f32((uint16_t)h);
        if (!isnan(f)) CHECK(vx_f32_to_bf16(f) == h);
    }
}

TEST(num_float_printing)
{
    struct { double v; bool single; const char *want; } cases[] = {
        {3.0, false, "3.0"}, {0.25, false, "0.25"}, {1e-10, false, "1e-10"}, {0.1, false, "0.1"},
        {1.0 / 3.0, false, "0.3333333333333333"}, {1e16, false, "1e+16"}, {123456789.0, false, "123456789.0"},
        {-2.5, false, "-2.5"}, {1.5e300, false, "1.5e+300"}, {0.0001, false, "0.0001"}, {0.00001, false, "1e-05"},
        {0.1f, true, "0.1"}, {1.0 / 3.0f, true, "0.33333334"}, {-0.0, false, "-0.0"},
        {INFINITY, false, "inf"}, {-INFINITY, false, "-inf"}, {NAN, false, "NaN"}, {5e-324, false, "5e-324"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v = cases[i].single ? (double)(float)cases[i].v : cases[i].v;
        vx_format_float(v, cases[i].single ? VX_FLOAT_F32 : VX_FLOAT_F64, buf, sizeof buf);
        CHECK_STR(buf, cases[i].want);
    }
    for (int k = 0; k < 20000; k++) {                    /* round trip on random bit patterns */
        uint64_t bits = next64();
        double d;
        memcpy(&d, &bits, 8);
        if (isnan(d) || isinf(d)) continue;
        vx_format_float(d, VX_FLOAT_F64, buf, sizeof buf);
        CHECK(strtod(buf, NULL) == d);
        CHECK(strchr(buf, '.') || strchr(buf, 'e'));
    }
}

/* One rounding, not two: an f64 just above a bf16 midpoint, and integers
 * above 2^24, whose detour through f32 would land on the midpoint. */
TEST(num_round_float_rounds_once)
{
    double d = 1.0 + ldexp(1.0, -8) + ldexp(1.0, -30);      /* above the midpoint of 1 and 1 + 2^-7 */
    CHECK((float)d == 1.0f + ldexpf(1.0f, -8));              /* f32 alone lands on the midpoint */
    CHECK(vx_round_float(d, VX_FLOAT_BF16) == 1.0 + ldexp(1.0, -7));
    CHECK(vx_round_float(1.0 + ldexp(1.0, -8), VX_FLOAT_BF16) == 1.0);   /* an exact tie: to even */
    CHECK(vx_round_float(65519.99, VX_FLOAT_F16) == 65504.0);
    CHECK(isinf(vx_round_float(65520.0, VX_FLOAT_F16)));
    CHECK(vx_round_float(ldexp(1.0, -25) * 1.0000001, VX_FLOAT_F16) == ldexp(1.0, -24));   /* subnormal */
    VxIntType u64t = { 64, false }, u256t = { 256, false };
    VxWide w = vx_wide_from_u64((1ull << 40) + (1ull << 32) + 1, u64t);   /* bf16: 2^40 + 2^32 + 1 is above the midpoint */
    CHECK(vx_wide_to_float(w, u64t, VX_FLOAT_BF16) == ldexp(1.0, 40) + ldexp(1.0, 33));
    VxWide max = vx_wide_max(u256t);
    CHECK(isinf(vx_wide_to_float(max, u256t, VX_FLOAT_F32)));
    CHECK(vx_wide_to_float(max, u256t, VX_FLOAT_F64) == ldexp(1.0, 256));
}

TEST(num_half_printing)
{
    char buf[32];
    vx_format_float(vx_round_float(0.1, VX_FLOAT_F16), VX_FLOAT_F16, buf, sizeof buf);
    CHECK_STR(buf, "0.1");
    vx_format_float(65504.0, VX_FLOAT_F16, buf, sizeof buf);
    CHECK_STR(buf, "65500.0");                              /* numpy: float16(65504) prints 65500.0 */
    vx_format_float(vx_round_float(0.1, VX_FLOAT_BF16), VX_FLOAT_BF16, buf, sizeof buf);
    CHECK_STR(buf, "0.1");
    vx_format_float(vx_round_float(1.0 / 3.0, VX_FLOAT_BF16), VX_FLOAT_BF16, buf, sizeof buf);
    CHECK_STR(buf, "0.334");
    for (uint32_t h = 0; h < 0x10000; h += 7) {              /* every printed f16 reads back as itself */
        double v = vx_f16_to_f32((uint16_t)h);
        if (isnan(v) || isinf(v)) continue;
        vx_format_float(v, VX_FLOAT_F16, buf, sizeof buf);
        CHECK(vx_round_float(strtod(buf, NULL), VX_FLOAT_F16) == v);
    }
}
