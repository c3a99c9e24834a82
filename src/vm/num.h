/* num.h - exact scalar semantics for the VM: every integer width from i8 to
 * u256 with Rust's rules, float <-> int casts, f16 and bf16 rounding, and
 * float printing.
 *
 * Integers are held in a VxWide (four 64-bit limbs, two's complement,
 * least significant first) together with a VxIntType (bits and signedness).
 * Results are always normalised: bits above the width are the sign
 * extension (signed) or zero (unsigned).  The VM uses native machine
 * arithmetic for widths up to 64 bits and these routines for 128 and 256;
 * both follow the same rules, and the tests check them against each other. */
#ifndef VX_NUM_H
#define VX_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct VxWide {
    uint64_t limb[4];
} VxWide;

typedef struct VxIntType {
    uint16_t bits;                    /* 8, 16, 32, 64, 128 or 256 */
    bool is_signed;
} VxIntType;

/* Outcome of an operation: OK, or which runtime error it is. */
typedef enum VxNumStatus {
    VX_NUM_OK,
    VX_NUM_OVERFLOW,                  /* result does not fit the type */
    VX_NUM_DIV_ZERO,                  /* division or remainder by zero */
    VX_NUM_SHIFT_RANGE,               /* shift by >= bits or by a negative amount */
} VxNumStatus;

typedef enum VxArithOp { VX_ADD, VX_SUB, VX_MUL, VX_DIV, VX_REM } VxArithOp;

/* Constructors and views. */
VxWide vx_wide_from_i64(int64_t v, VxIntType t);
VxWide vx_wide_from_u64(uint64_t v, VxIntType t);
VxWide vx_wide_normalize(VxWide v, VxIntType t);   /* truncate to the width, then extend */
bool vx_wide_fits(VxWide v, VxIntType from, VxIntType to);
int vx_wide_cmp(VxWide a, VxWide b, VxIntType t);   /* -1, 0, 1 */
bool vx_wide_is_zero(VxWide a);
VxWide vx_wide_min(VxIntType t);
VxWide vx_wide_max(VxIntType t);

/* Checked arithmetic (Rust's debug semantics): overflow and division by
 * zero are errors; division truncates toward zero; `%` takes the
 * dividend's sign. */
VxNumStatus vx_wide_arith(VxArithOp op, VxWide a, VxWide b, VxIntType t, VxWide *out);
/* wrapping_*: the result modulo 2^bits (division by zero is still an error). */
VxNumStatus vx_wide_wrapping(VxArithOp op, VxWide a, VxWide b, VxIntType t, VxWide *out);
/* saturating_*: clamp to the type's range (add, sub, mul). */
VxNumStatus vx_wide_saturating(VxArithOp op, VxWide a, VxWide b, VxIntType t, VxWide *out);
VxNumStatus vx_wide_neg(VxWide a, VxIntType t, VxWide *out);
/* Shifts: the amount must be in 0..bits-1; `>>` is arithmetic when signed. */
VxNumStatus vx_wide_shl(VxWide a, uint32_t n, VxIntType t, VxWide *out);
VxNumStatus vx_wide_shr(VxWide a, uint32_t n, VxIntType t, VxWide *out);
VxWide vx_wide_and(VxWide a, VxWide b);
VxWide vx_wide_or(VxWide a, VxWide b);
VxWide vx_wide_xor(VxWide a, VxWide b);
VxWide vx_wide_not(VxWide a, VxIntType t);

/* `as` casts (Rust): int -> int truncates or extends; float -> int
 * truncates toward zero and saturates, NaN gives 0; int -> float rounds to
 * nearest, ties to even. */
VxWide vx_wide_cast(VxWide v, VxIntType from, VxIntType to);
VxWide vx_wide_from_double(double d, VxIntType to);
double vx_wide_to_double(VxWide v, VxIntType from);

/* Decimal text ("-123"); buf needs 80 bytes. */
void vx_wide_str(VxWide v, VxIntType t, char *buf, size_t cap);

/* f16 (IEEE binary16) and bf16: conversions from float round to nearest,
 * ties to even (NaN stays NaN); to float they are exact.  The VM holds
 * f16 and bf16 values as the f32 of the same value. */
uint16_t vx_f32_to_f16(float f);
float vx_f16_to_f32(uint16_t h);
uint16_t vx_f32_to_bf16(float f);
float vx_bf16_to_f32(uint16_t h);

/* Float formats, in the order of sema's VxFloatKind. */
typedef enum VxFloatFmt { VX_FLOAT_F16, VX_FLOAT_BF16, VX_FLOAT_F32, VX_FLOAT_F64 } VxFloatFmt;

/* d rounded to the nearest value of format f, ties to even, in one
 * rounding (f64 -> f16 does not go through a rounded f32). */
double vx_round_float(double d, VxFloatFmt f);
/* An integer as the nearest value of format f (ties to even). */
double vx_wide_to_float(VxWide v, VxIntType from, VxFloatFmt f);

/* The shortest text that reads back as the same value of format f,
 * always showing a decimal point or an exponent: 3.0, 0.25, 1e-10,
 * 1.5e+300, inf, -inf, NaN.  v must be a value of the format (an f32
 * value for f = VX_FLOAT_F32...).  buf needs 32 bytes. */
void vx_format_float(double v, VxFloatFmt f, char *buf, size_t cap);
/* Does the decimal text read back as v in format f? */
bool vx_float_reads_back(const char *text, double v, VxFloatFmt f);

#endif
