/* test_tensor_fast.c - the CPU backend's fast paths: the storage cache,
 * the f32 exp/erf approximations (max error against libm over a dense
 * sweep), and the f32 row kernels on contiguous rows, strided views and
 * row lengths that leave a remainder of every vector width. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../../src/backend/cpu/cpu_fastmath.h"
#include "../../src/tensor/tensor.h"
#include "../../src/tensor/tensor_nn.h"
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

/* ---- row kernels: the f32 fast path against the f64 path ----------------- */

enum { ROWS = 5, NOPS = 6 };

/* op k of x [ROWS, n] (rows last) -> y; CE reduces to a scalar. */
static VxTensor *row_op(int k, VxTensor *x, VxTensor *w, VxTensor *b, VxTensor *tgt)
{
    int64_t ns[1] = { vx_tensor_dim(x, -1) };
    switch (k) {
    case 0: return vx_softmax(x, -1);
    case 1: return vx_log_softmax(x, -1);
    case 2: return vx_layer_norm(x, ns, 1, w, b, 1e-5);
    case 3: return vx_rms_norm(x, ns, 1, w, 1e-5);
    case 4: return vx_gelu(x);
    default: return vx_cross_entropy(x, tgt, -100, k == 5 ? 0.0 : 0.1, VX_REDUCTION_SUM);
    }
}

/* Largest |a - b| over two [ROWS, n] tensors (or scalars), relative to 1 + |b|. */
static double max_diff(const VxTensor *a, const VxTensor *b, int64_t n)
{
    double m = 0;
    bool scalar = vx_tensor_ndim(b) == 0;
    for (int64_t r = 0; r < (scalar ? 1 : ROWS); r++)
        for (int64_t c = 0; c < (scalar ? 1 : n); c++) {
            int64_t idx[2] = { r, c };
            double u, v;
            if (vx_tensor_get_f64(a, idx, &u) < 0 || vx_tensor_get_f64(b, idx, &v) < 0) return 1e30;
            m = fmax(m, fabs(u - v) / (1 + fabs(v)));
        }
    return m;
}

/* y = op(x) and dx of sum(y * r), x [ROWS, n] of dtype dt (a transposed
 * view when transposed: its rows are strided, so the fast path must not
 * take it). */
static int run_op(int k, VxTensor *x64, VxTensor *r64, VxDtype dt, bool transposed, VxTensor **y, VxTensor **dx)
{
    int64_t n = vx_tensor_dim(x64, 1), sv[1] = { n }, st[1] = { ROWS };
    VxTensor *x, *xt = NULL;
    if (transposed) {
        VxTensor *t64 = vx_transpose(x64, 0, 1), *tc = vx_to(t64, VX_F64), *c = vx_mul_s(tc, 1.0);
        xt = vx_to(c, dt);                                   /* [n, ROWS] contiguous */
        vx_tensor_set_requires_grad(xt, true);
        x = vx_transpose(xt, 0, 1);
        vx_tensor_release(t64); vx_tensor_release(tc); vx_tensor_release(c);
    } else {
        VxTensor *c = vx_mul_s(x64, 1.0);
        x = vx_to(c, dt);
        vx_tensor_release(c);
    }
    VxTensor *leaf = transposed ? xt : x;
    if (!transposed) vx_tensor_set_requires_grad(x, true);
    VxTensor *w = vx_ones(sv, 1, dt), *b = vx_zeros(sv, 1, dt), *tgt = vx_randint(0, n, st, 1, VX_I64, 9);
    VxTensor *r = vx_to(r64, dt), *out = row_op(k, x, w, b, tgt);
    VxTensor *prod = k >= 5 ? vx_tensor_retain(out) : vx_mul(out, r), *loss = vx_sum(prod, NULL, 0, false);
    int rc = loss ? vx_backward(loss, NULL) : -1;
    VxTensor *g = rc == 0 ? vx_tensor_grad(leaf) : NULL;
    *y = out;
    *dx = g && transposed ? vx_transpose(g, 0, 1) : vx_tensor_retain(g);
    VxTensor *all[] = { x, xt, w, b, tgt, r, prod, loss, g };
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) vx_tensor_release(all[i]);
    return rc;
}

/* Every row op, forward and backward, at row lengths around the vector
 * widths (4, 8, 16 lanes) and beyond: f32 contiguous (fast path) and f32
 * transposed (f64 scratch path) both agree with f64 to f32 accuracy. */
TEST(f32_row_kernels_match_f64)
{
    static const int64_t lens[] = { 1, 3, 4, 7, 15, 16, 17, 31, 33, 65, 257 };
    for (size_t li = 0; li < sizeof lens / sizeof *lens; li++)
        for (int k = 0; k < NOPS + 1; k++) {
            int64_t s[2] = { ROWS, lens[li] };
            VxTensor *x64 = vx_randn(s, 2, VX_F64, 100 + li), *r64 = vx_randn(s, 2, VX_F64, 200 + li);
            VxTensor *ref, *dref, *y, *dy, *yt, *dyt;
            CHECK(run_op(k, x64, r64, VX_F64, false, &ref, &dref) == 0);
            CHECK(run_op(k, x64, r64, VX_F32, false, &y, &dy) == 0);
            CHECK(run_op(k, x64, r64, VX_F32, true, &yt, &dyt) == 0);
            double e[4] = { max_diff(y, ref, lens[li]), max_diff(dy, dref, lens[li]),
                            max_diff(yt, ref, lens[li]), max_diff(dyt, dref, lens[li]) };
            if (e[0] > 2e-6 || e[1] > 2e-6 || e[2] > 2e-6 || e[3] > 2e-6)
                printf("  row op %d, n %lld: errors %g %g %g %g\n", k, (long long)lens[li], e[0], e[1], e[2], e[3]);
            VxTensor *all[] = { x64, r64, ref, dref, y, dy, yt, dyt };
            for (size_t i = 0; i < sizeof all / sizeof *all; i++) vx_tensor_release(all[i]);
            CHECK(e[0] <= 2e-6 && e[1] <= 2e-6 && e[2] <= 2e-6 && e[3] <= 2e-6);
        }
    CHECK(vx_tensor_live_tensors() == 0);
}
