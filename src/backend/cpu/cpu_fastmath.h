/* cpu_fastmath.h - branch-free f32 exp, erf/erfc and gelu for the CPU
 * kernels' hot loops.  Written as straight-line arithmetic with selects (no
 * libm calls, no branches), so that a loop calling them vectorises.
 *
 * exp: k = round(x / ln 2), r = x - k ln 2 in two parts (Cody-Waite; the
 * first product is exact), e^r by a degree-7 polynomial on |r| <= ln2/2,
 * and 2^k applied as two factors so that results down to the subnormals
 * are exact scalings.  erfc(z), z >= 0.921875: t * e^(G(t) - z^2) with
 * t = 1 / (1 + z/2) and G a degree-8 polynomial fitted (least squares,
 * reweighted to near-minimax) to log(erfc(z) / t) + z^2 on z in
 * [0.921875, 9.5]; z^2 is carried as an exact high part plus a low part
 * through the exponent.  erf(z), |z| < 0.921875: z P(z^2), P of degree 6
 * fitted likewise.  Measured max errors against libm's f64 functions over
 * dense sweeps are in tests/unit/test_tensor_fast.c. */
#ifndef VX_CPU_FASTMATH_H
#define VX_CPU_FASTMATH_H

#include <stdint.h>

static inline float vx__f32_from_bits(int32_t b) { union { int32_t i; float f; } u = { b }; return u.f; }
static inline int32_t vx__f32_bits(float f) { union { float f; int32_t i; } u = { f }; return u.i; }

/* e^(hi + lo) for |lo| well below 1; NaN in hi propagates. */
static inline float vx__expf_hl(float hi, float lo)
{
    float s = hi + lo;
    float xc = s > -104.0f ? (s < 89.0f ? s : 89.0f) : -104.0f;    /* NaN -> -104, fixed below */
    float kf = xc * 1.44269504f + 12582912.0f;                      /* 1.5 * 2^23: round to integer */
    kf -= 12582912.0f;
    float r = (hi - kf * 0.693359375f) + lo;                        /* ln 2 = 0.693359375 - 2.12194440e-4 */
    r = s == xc ? r - kf * -2.12194440e-4f : 0.0f;
    float p = 1.98756915e-4f;                                       /* e^r = 1 + r + r^2 p(r) */
    p = p * r + 1.39819995e-3f;
    p = p * r + 8.33345191e-3f;
    p = p * r + 4.16657959e-2f;
    p = p * r + 1.66666655e-1f;
    p = p * r + 5.00000012e-1f;
    p = p * r * r + r + 1.0f;
    int32_t k = (int32_t)kf, k1 = k / 2, k2 = k - k1;
    float y = p * vx__f32_from_bits((k1 + 127) << 23) * vx__f32_from_bits((k2 + 127) << 23);
    return s != s ? s : y;
}

static inline float vx_expf_fast(float x) { return vx__expf_hl(x, 0.0f); }

/* erfc(z) for z = c * |x| >= 0, c = 1 or 1/sqrt 2 (accurate for z >=
 * 0.921875; erf's polynomial serves below): z^2 = c^2 x^2 is formed from
 * x's exact square (high part) and a low part, so the exponent does not
 * pay the rounding of z. */
static inline float vx__erfc_tail(float x, float c)
{
    x = x < 0 ? -x : x;
    x = x < 15.0f ? x : 15.0f;                                      /* erfc(10.6) underflows f32 */
    float z = c * x, t = 1.0f / (1.0f + 0.5f * z);
    float g = -2.15324447e-1f;
    g = g * t + 5.61090589e-1f;
    g = g * t - 3.31898332e-1f;
    g = g * t - 1.59409732e-1f;
    g = g * t - 2.78194360e-2f;
    g = g * t + 5.81536628e-2f;
    g = g * t + 3.80279630e-1f;
    g = g * t + 9.99436378e-1f;
    g = g * t - 1.26548767e+0f;
    float xh = vx__f32_from_bits(vx__f32_bits(x) & (int32_t)0xfffff000), xl = x - xh;   /* xh^2 exact */
    float c2 = c == 1.0f ? 1.0f : 0.5f;
    return t * vx__expf_hl(-c2 * xh * xh, g - c2 * xl * (x + xh));
}

/* erf(z) - z for |z| < 0.921875: z (P(z^2) - 1), so that the final sum
 * z + (erf(z) - z) rounds once on a small correction. */
static inline float vx__erf_small(float z)
{
    float z2 = z * z, p = 8.37042680e-5f;
    p = p * z2 - 8.14279483e-4f;
    p = p * z2 + 5.20104216e-3f;
    p = p * z2 - 2.68594027e-2f;
    p = p * z2 + 1.12836957e-1f;
    p = p * z2 - 3.76126349e-1f;
    p = p * z2 + 1.28379226e-1f;
    return z * p;
}

/* erfc(c |x|), c = 1 or 1/sqrt 2 (NaN stays NaN). */
static inline float vx__erfc_abs(float x, float c)
{
    float a = c * (x < 0 ? -x : x);
    return a < 0.921875f ? 1.0f - (a + vx__erf_small(a)) : vx__erfc_tail(x, c);
}

static inline float vx_erff_fast(float z)
{
    float a = z < 0 ? -z : z, e = a < 0.921875f ? a + vx__erf_small(a) : 1.0f - vx__erfc_tail(a, 1.0f);
    return z != z ? z : z < 0 ? -e : e;
}

/* 2 Phi(x) = 1 + erf(x / sqrt 2), without cancellation for negative x. */
static inline float vx__two_phi(float x)
{
    float c = vx__erfc_abs(x, 0.707106781f);
    return x != x ? x : x < 0 ? c : 2.0f - c;
}

/* gelu(x) = x Phi(x); its derivative Phi(x) + x phi(x). */
static inline float vx_gelu_fast(float x) { return 0.5f * x * vx__two_phi(x); }
static inline float vx_gelu_grad_fast(float x)
{
    return 0.5f * vx__two_phi(x) + x * 0.398942280f * vx_expf_fast(-0.5f * x * x);
}

#endif
