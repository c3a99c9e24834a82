/* test_tensor_shape.c - the ops of src/tensor/tensor_shape.h: forward
 * values against torch 1.13 (numbers recorded by test_tensor_shape.py on
 * inputs both sides build as fmod(7.3 i, 5) - 2.5), every backward against
 * finite differences (gradcheck.h) on odd sizes and non-contiguous leaves,
 * error messages, and leaks. */
#include <math.h>
#include <stdlib.h>

#include "../../src/tensor/tensor_shape.h"
#include "gradcheck.h"
#include "unit.h"

/* ---- expected values, from test_tensor_shape.py ---------------------------- */
static const double want_cat[] = { -2.5, -0.20000000000000018, 2.0999999999999996, 7.5, -0.6000000000000014, 1.6999999999999993, -1.0, 9.8 };
static const double want_stack[] = { -2.5, -0.20000000000000018, 2.0999999999999996, -5.0, -0.40000000000000036, 4.199999999999999, -0.6000000000000014, 1.6999999999999993, -1.0, -1.2000000000000028, 3.3999999999999986, -2.0 };
static const double want_gather[] = { -2.5, -0.6000000000000014, -1.0, -1.0, 0.5, 0.8999999999999986 };
static const double want_scatter[] = { -2.5, 1.2999999999999972, -1.3999999999999986, -0.6000000000000014, 1.6999999999999993, 0.0, -0.20000000000000018, 0.0, 0.8999999999999986, 0.0, -1.0, 0.0, 2.0999999999999996, 0.0, -1.7999999999999972 };
static const double want_isel[] = { -1.7999999999999972, 0.5, -2.200000000000003, -2.5, -0.20000000000000018, 2.0999999999999996, -1.7999999999999972, 0.5, -2.200000000000003 };
static const double want_mfill[] = { -1.5, -0.20000000000000018, -1.5, -1.5, 1.6999999999999993, -1.5 };
static const double want_onehot[] = { 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0 };
static const double want_tril[] = { 0.0, 0.0, 0.0, 0.0, 1.6999999999999993, 0.0, 0.0, 0.0, 0.8999999999999986, -1.7999999999999972, 0.0, 0.0 };
static const double want_triu[] = { 0.0, -0.20000000000000018, 2.0999999999999996, -0.6000000000000014, 0.0, 0.0, 1.2999999999999972, -1.3999999999999986, 0.0, 0.0, 0.0, -2.200000000000003 };
static const double want_cumsum[] = { -2.5, -2.7, -0.6000000000000005, -1.200000000000002, 1.6999999999999993, 0.6999999999999993, 1.9999999999999964, 0.5999999999999979 };
static const double want_sort_v[] = { 3.0, 3.0, 2.0, 1.0, 1.0, 5.0, 5.0, 0.0, 0.0, -1.0 };
static const double want_sort_i[] = { 0.0, 2.0, 3.0, 1.0, 4.0, 1.0, 3.0, 0.0, 4.0, 2.0 };
static const double want_sorta_i[] = { 1.0, 4.0, 3.0, 0.0, 2.0 };
static const double want_topk_v[] = { 2.0999999999999996, 1.6999999999999993, -0.20000000000000018 };
static const double want_topk_i[] = { 2.0, 4.0, 1.0 };
static const double want_topks_v[] = { -2.5, -1.0 };
static const double want_topks_i[] = { 0.0, 5.0 };
static const double want_conv2d[] = { 0.6700000000000044, -0.1499999999999826, 3.5800000000000125, -2.0299999999999914, -9.569999999999983, -4.679999999999997, 2.03000000000004, -3.3299999999999628, -5.840000000000025, -3.630000000000015, -2.689999999999986, 1.869999999999994, -2.989999999999992, -3.340000000000002, 6.50999999999998, 4.159999999999982, -3.2400000000000047, 3.16000000000002, 1.9000000000000217, -2.009999999999983, 4.949999999999985, 4.389999999999992, 7.94, 2.349999999999982, -4.90999999999999, 2.708944180085382e-14, 6.490000000000017, 1.65000000000003, -1.3600000000000532, 1.1099999999999506 };
static const double want_conv2g[] = { -4.8399999999999865, 4.859999999999995, 8.03999999999998, -0.9199999999999875, 4.719999999999989, -4.020000000000013, 4.180000000000005, 1.0199999999999543, 0.6799999999999766, 1.9399999999999515, -6.940000000000038, -2.0399999999999916 };
static const double want_conv1d[] = { -4.3000000000000025, -3.9999999999999885, 2.799999999999999, 5.94000000000001, -0.09999999999998233, -4.119999999999987, 2.4599999999999973, -5.300000000000022, -2.919999999999958, -1.080000000000021, 7.699999999999937, 9.139999999999969 };
static const double want_mpool_v[] = { 1.2999999999999972, 2.0999999999999996, 1.6999999999999993, 2.0, 2.3999999999999915, 2.3999999999999915, 2.0, 1.5999999999999943, 1.1999999999999886 };
static const double want_mpool_i[] = { 6.0, 2.0, 4.0, 15.0, 13.0, 13.0, 15.0, 17.0, 19.0 };
// mpool shape [1, 1, 3, 3]
static const double want_mpoold_v[] = { 1.2999999999999972, 1.2999999999999972, 0.8999999999999986, 0.5, 2.3999999999999915, 2.3999999999999915, 2.0, 1.5999999999999943, 1.1999999999999886, 0.799999999999983, 2.3999999999999915, 2.3999999999999915, 2.299999999999983, 2.299999999999983, 1.9000000000000057, 0.799999999999983, 0.799999999999983, 0.4000000000000057, 0.30000000000001137, 0.30000000000001137, 2.1999999999999886, 1.8000000000000114, 1.8000000000000114, 1.3999999999999773, 1.0, 0.5999999999999659, 2.1999999999999886, 1.8000000000000114, 2.099999999999966, 1.6999999999999886, 1.3000000000000114, 1.3000000000000114, 0.8999999999999773, -0.19999999999998863, 2.099999999999966, 1.6999999999999886 };
static const double want_mpoold_i[] = { 6.0, 6.0, 8.0, 10.0, 13.0, 13.0, 15.0, 17.0, 19.0, 21.0, 13.0, 13.0, 26.0, 26.0, 28.0, 21.0, 21.0, 23.0, 6.0, 6.0, 9.0, 11.0, 11.0, 13.0, 15.0, 17.0, 9.0, 11.0, 22.0, 24.0, 26.0, 26.0, 28.0, 21.0, 22.0, 24.0 };
// mpoold shape [1, 2, 6, 3]
static const double want_apool[] = { -0.13333333333333344, 0.3666666666666661, -0.3333333333333333, 0.4499999999999987, 0.18333333333333238, -0.2666666666666669, -0.10000000000000142, 0.4333333333333324, 0.5333333333333314, -0.6333333333333352, 0.19999999999999338, 0.0, 0.11666666666666477, 0.3499999999999943, -0.6000000000000038, 0.23333333333333428, -0.5666666666666771, 0.03333333333333144 };
static const double want_apoolx[] = { -0.40000000000000036, 0.5499999999999992, -1.0, 0.8999999999999974, 0.18333333333333238, -0.5333333333333338, -0.30000000000000426, 0.6499999999999986, 1.5999999999999943, -1.9000000000000057, 0.29999999999999005, 0.0, 0.23333333333332953, 0.3499999999999943, -1.2000000000000075, 0.7000000000000028, -0.8500000000000156, 0.09999999999999432 };
// apool shape [1, 2, 3, 3]
static const double want_nansort[] = { -INFINITY, 0.5, 1.0, NAN };

/* ---- helpers ------------------------------------------------------------------ */
static VxTensor *fm(const int64_t *shape, int nd, VxDtype dt)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= shape[i];
    double *v = malloc((size_t)(n ? n : 1) * sizeof *v);
    for (int64_t i = 0; i < n; i++) v[i] = fmod((double)i * 7.3, 5.0) - 2.5;
    VxTensor *t = vx_tensor_from_f64(v, shape, nd, dt);
    free(v);
    return t;
}
#define FM(...) fm((int64_t[]){ __VA_ARGS__ }, (int)(sizeof((int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t)), VX_F64)

static VxTensor *ints(const int64_t *v, const int64_t *shape, int nd)
{
    return vx_tensor_from_data(v, shape, nd, VX_I64);
}
#define INTS(shape, ...) ints((int64_t[]){ __VA_ARGS__ }, (int64_t[])shape, (int)(sizeof((int64_t[])shape) / sizeof(int64_t)))
#define SHAPE(...) { __VA_ARGS__ }

/* t (row-major) equals want within tol, and has n elements. */
static bool same(VxTensor *t, const double *want, int64_t n, double tol)
{
    if (!t) { printf("  NULL: %s\n", vx_tensor_last_error()); return false; }
    if (vx_tensor_numel(t) != n) { printf("  %lld elements, expected %lld\n", (long long)vx_tensor_numel(t), (long long)n); return false; }
    int64_t idx[VX_MAX_DIMS];
    for (int64_t e = 0; e < n; e++) {
        for (int64_t r = e, d = t->ndim - 1; d >= 0; d--) { idx[d] = r % t->shape[d]; r /= t->shape[d]; }
        double v;
        vx_tensor_get_f64(t, idx, &v);
        bool ok = isnan(want[e]) ? isnan(v) : v == want[e] || fabs(v - want[e]) <= tol * (1 + fabs(want[e]));
        if (!ok) { printf("  element %lld: %.12g, expected %.12g\n", (long long)e, v, want[e]); return false; }
    }
    return true;
}
#define SAME(t, want) same((t), (want), (int64_t)(sizeof(want) / sizeof(want[0])), 1e-9)

static bool shape_is(const VxTensor *t, const int64_t *s, int nd)
{
    if (!t || t->ndim != nd) return false;
    for (int i = 0; i < nd; i++) if (t->shape[i] != s[i]) return false;
    return true;
}
#define SHAPE_IS(t, ...) shape_is((t), (int64_t[]){ __VA_ARGS__ }, (int)(sizeof((int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t)))

/* NULL result with an error message equal to want. */
static bool fails_with(VxTensor *t, const char *want)
{
    if (t) { printf("  unexpected success\n"); vx_tensor_release(t); return false; }
    if (strcmp(vx_tensor_last_error(), want)) { printf("  error \"%s\"\n  expected \"%s\"\n", vx_tensor_last_error(), want); return false; }
    return true;
}

static void release_all(VxTensor **ts, int n) { for (int i = 0; i < n; i++) vx_tensor_release(ts[i]); }

/* ---- forward values ------------------------------------------------------------ */
TEST(tensor_shape_join_forward)
{
    VxTensor *a = FM(2, 3), *b0 = FM(2, 1), *b = vx_add_s(b0, 10), *a2 = vx_mul_s(a, 2);
    VxTensor *c = vx_cat((VxTensor *[]){ a, b }, 2, 1), *s = vx_stack((VxTensor *[]){ a, a2 }, 2, 1);
    CHECK(SAME(c, want_cat) && SHAPE_IS(c, 2, 4));
    CHECK(SAME(s, want_stack) && SHAPE_IS(s, 2, 2, 3));
    VxTensor *p[4], *x = FM(5, 3);
    CHECK(vx_split(x, 2, 0, NULL, 0) == 3 && vx_split(x, 2, 0, p, 4) == 3);
    CHECK(SHAPE_IS(p[0], 2, 3) && SHAPE_IS(p[2], 1, 3) && p[1]->storage == x->storage && p[1]->offset == 6);
    release_all(p, 3);
    CHECK(vx_chunk(x, 2, 1, p, 4) == 2 && SHAPE_IS(p[0], 5, 2) && SHAPE_IS(p[1], 5, 1));
    release_all(p, 2);
    CHECK(vx_chunk(x, 4, 0, p, 4) == 3 && SHAPE_IS(p[2], 1, 3));  /* ceil(5 / 4) = 2 per chunk: 3 chunks */
    release_all(p, 3);
    VxTensor *i32 = vx_ones((int64_t[]){ 2, 1 }, 2, VX_I32), *mixed = vx_cat((VxTensor *[]){ i32, a }, 2, -1);
    CHECK(mixed && mixed->dtype == VX_F64 && SHAPE_IS(mixed, 2, 4));
    VxTensor *all[] = { a, b0, b, a2, c, s, x, i32, mixed };
    release_all(all, 9);
    CHECK(vx_tensor_live_tensors() == 0);
}

TEST(tensor_shape_index_forward)
{
    VxTensor *x = FM(3, 4), *gi = INTS(SHAPE(3, 2), 0, 3, 1, 1, 2, 0), *g = vx_gather(x, 1, gi);
    CHECK(SAME(g, want_gather) && SHAPE_IS(g, 3, 2));
    VxTensor *z = vx_zeros((int64_t[]){ 3, 5 }, 2, VX_F64), *src = FM(2, 5);
    VxTensor *si = INTS(SHAPE(2, 5), 0, 1, 2, 0, 0, 2, 0, 0, 1, 2), *sa = vx_scatter_add(z, 0, si, src);
    CHECK(SAME(sa, want_scatter));
    VxTensor *x43 = FM(4, 3), *ii = INTS(SHAPE(3), 3, 0, 3), *is = vx_index_select(x43, 0, ii);
    CHECK(SAME(is, want_isel) && SHAPE_IS(is, 3, 3));
    VxTensor *x23 = FM(2, 3), *m = vx_tensor_from_f64((double[]){ 1, 0, 1 }, (int64_t[]){ 1, 3 }, 2, VX_BOOL);
    VxTensor *mf = vx_masked_fill(x23, m, -1.5);
    CHECK(SAME(mf, want_mfill));
    VxTensor *oi = INTS(SHAPE(3), 2, 0, 3), *oh = vx_one_hot(oi, 5), *oh2 = vx_one_hot(oi, -1);
    CHECK(SAME(oh, want_onehot) && oh->dtype == VX_I64 && SHAPE_IS(oh2, 3, 4));
    VxTensor *lo = vx_tril(x, -1), *up = vx_triu(x, 1);
    CHECK(SAME(lo, want_tril) && SAME(up, want_triu));
    VxTensor *all[] = { x, gi, g, z, src, si, sa, x43, ii, is, x23, m, mf, oi, oh, oh2, lo, up };
    release_all(all, 18);
    CHECK(vx_tensor_live_tensors() == 0);
}

TEST(tensor_shape_sort_forward)
{
    VxTensor *x = FM(2, 4), *cs = vx_cumsum(x, 1);
    CHECK(SAME(cs, want_cumsum));
    VxTensor *xi = vx_to(x, VX_I32), *csi = vx_cumsum(xi, 0);
    CHECK(csi && csi->dtype == VX_I64);
    VxTensor *t = vx_tensor_from_f64((double[]){ 3, 1, 3, 2, 1, 0, 5, -1, 5, 0 }, (int64_t[]){ 2, 5 }, 2, VX_F64);
    VxTensor *v = NULL, *ix = NULL, *v2 = NULL, *ix2 = NULL, *r = vx_select(t, 0, 0);
    CHECK(vx_sort(t, 1, true, &v, &ix) == 0 && SAME(v, want_sort_v) && SAME(ix, want_sort_i) && ix->dtype == VX_I64);
    CHECK(vx_sort(r, 0, false, &v2, &ix2) == 0 && SAME(ix2, want_sorta_i));
    vx_tensor_release(v2); vx_tensor_release(ix2);
    VxTensor *nan = vx_tensor_from_f64((double[]){ NAN, 1, -INFINITY, 0.5 }, (int64_t[]){ 4 }, 1, VX_F32);
    CHECK(vx_sort(nan, 0, false, &v2, NULL) == 0 && SAME(v2, want_nansort));
    vx_tensor_release(v2);
    VxTensor *s6 = FM(6), *tv, *ti;
    CHECK(vx_topk(s6, 3, 0, true, true, &tv, &ti) == 0 && SAME(tv, want_topk_v) && SAME(ti, want_topk_i));
    vx_tensor_release(tv); vx_tensor_release(ti);
    CHECK(vx_topk(s6, 2, -1, false, true, &tv, &ti) == 0 && SAME(tv, want_topks_v) && SAME(ti, want_topks_i));
    VxTensor *all[] = { x, cs, xi, csi, t, v, ix, r, nan, s6, tv, ti };
    release_all(all, 12);
    CHECK(vx_tensor_live_tensors() == 0);
}

TEST(tensor_shape_conv_forward)
{
    VxTensor *x = FM(1, 2, 4, 5), *w0 = FM(3, 2, 2, 3), *w = vx_mul_s(w0, 0.5), *b = FM(3);
    VxTensor *y = vx_conv2d(x, w, b, 1, 2, 1, 0, 1, 1, 1);
    CHECK(SAME(y, want_conv2d) && SHAPE_IS(y, 1, 3, 5, 2));
    VxTensor *xg = FM(1, 4, 3, 3), *wg = FM(2, 2, 2, 2), *yg = vx_conv2d(xg, wg, NULL, 1, 1, 0, 1, 1, 2, 2);
    CHECK(SAME(yg, want_conv2g) && SHAPE_IS(yg, 1, 2, 2, 3));
    VxTensor *x1 = FM(2, 2, 6), *w1 = FM(3, 2, 3), *y1 = vx_conv1d(x1, w1, b, 2, 1, 2, 1);
    CHECK(SAME(y1, want_conv1d) && SHAPE_IS(y1, 2, 3, 2));
    VxTensor *xp = FM(1, 1, 5, 5), *ix = NULL, *mp = vx_max_pool2d(xp, 3, 3, 2, 2, 1, 1, 1, 1, true, &ix);
    CHECK(SAME(mp, want_mpool_v) && SAME(ix, want_mpool_i) && SHAPE_IS(mp, 1, 1, 3, 3) && ix->dtype == VX_I64);
    VxTensor *xd = FM(1, 2, 6, 5), *ixd = NULL, *md = vx_max_pool2d(xd, 2, 3, 1, 2, 1, 1, 2, 1, false, &ixd);
    CHECK(SAME(md, want_mpoold_v) && SAME(ixd, want_mpoold_i) && SHAPE_IS(md, 1, 2, 6, 3));
    VxTensor *xa = FM(1, 2, 5, 4), *ap = vx_avg_pool2d(xa, 3, 2, 2, 2, 1, 1, true), *apx = vx_avg_pool2d(xa, 3, 2, 0, 0, 1, 1, false);
    CHECK(SAME(ap, want_apool) && SHAPE_IS(ap, 1, 2, 3, 3));
    VxTensor *apx2 = vx_avg_pool2d(xa, 3, 2, 2, 2, 1, 1, false);
    CHECK(SAME(apx2, want_apoolx) && SHAPE_IS(apx, 1, 2, 2, 3));  /* stride 0: the kernel size */
    VxTensor *x33 = FM(1, 1, 3, 3), *ie = NULL, *me = vx_max_pool2d(x33, 2, 2, 1, 1, 1, 1, 4, 4, false, &ie);
    double mv = 0, iv = 0;
    CHECK(me && vx_tensor_item_f64(me, &mv) == 0 && vx_tensor_item_f64(ie, &iv) == 0 && mv == -INFINITY && iv == -1);
    vx_tensor_release(me); vx_tensor_release(ie);
    vx_tensor_set_requires_grad(x33, true);     /* a window in the padding only: no gradient, no stray write */
    me = vx_max_pool2d(x33, 2, 2, 1, 1, 1, 1, 4, 4, false, NULL);
    VxTensor *g33 = me && vx_backward(me, NULL) == 0 ? vx_tensor_grad(x33) : NULL, *a33 = g33 ? vx_abs(g33) : NULL;
    VxTensor *s33 = a33 ? vx_sum(a33, NULL, 0, false) : NULL;
    CHECK(s33 && vx_tensor_item_f64(s33, &mv) == 0 && mv == 0);
    VxTensor *e33[] = { me, g33, a33, s33, x33 };
    release_all(e33, 5);
    VxTensor *xf = vx_to(x, VX_F32), *wf = vx_to(w, VX_F32), *bf = vx_to(b, VX_F32), *yf = vx_conv2d(xf, wf, bf, 1, 2, 1, 0, 1, 1, 1);
    CHECK(yf && yf->dtype == VX_F32 && same(yf, want_conv2d, 30, 1e-5));
    VxTensor *all[] = { x, w0, w, b, y, xg, wg, yg, x1, w1, y1, xp, ix, mp, xd, ixd, md, xa, ap, apx, apx2, xf, wf, bf, yf };
    release_all(all, 25);
    CHECK(vx_tensor_live_tensors() == 0);
}

/* ---- gradients ---------------------------------------------------------------------- */
static VxTensor *idx_gather, *idx_gather0, *idx_scatter, *idx_select, *bool_mask;

/* The values of sort (topk: k > 0) of t along dim. */
static VxTensor *sorted_values(VxTensor *t, int64_t k, int dim, bool flag)
{
    VxTensor *v = NULL, *ix = NULL;
    int rc = k ? vx_topk(t, k, dim, flag, true, &v, &ix) : vx_sort(t, dim, flag, &v, &ix);
    vx_tensor_release(ix);
    return rc ? NULL : v;
}

static VxTensor *apply(int k, VxTensor **x)
{
    VxTensor *p[8] = {0}, *r = NULL, *m = NULL;
    int n = 0;
    switch (k) {
    case 0: return vx_cat((VxTensor *[]){ x[0], x[1], x[2] }, 3, 1);
    case 1: return vx_cat((VxTensor *[]){ x[0], x[1], x[2], x[0], x[1] }, 5, -1);      /* a tree of nodes */
    case 2: return vx_stack((VxTensor *[]){ x[0], x[1], x[2] }, 3, 1);
    case 3: return vx_stack((VxTensor *[]){ x[0], x[1], x[2], x[1], x[0], x[2], x[0] }, 7, 0);
    case 4:
        n = vx_split(x[0], 2, 1, p, 8);
        m = vx_mul(p[0], p[1]);
        r = n == 3 ? vx_cat((VxTensor *[]){ p[2], m }, 2, 1) : NULL;
        break;
    case 5:
        n = vx_chunk(x[0], 3, 0, p, 8);
        r = n == 3 ? vx_cat((VxTensor *[]){ p[2], p[0] }, 2, 0) : NULL;
        break;
    case 6: return vx_gather(x[0], 1, idx_gather);
    case 7: return vx_gather(x[0], 0, idx_gather0);
    case 8: return vx_scatter_add(x[0], 1, idx_scatter, x[1]);
    case 9: return vx_index_select(x[0], 0, idx_select);
    case 10: return vx_masked_fill(x[0], bool_mask, 0.25);
    case 11: return vx_tril(x[0], 1);
    case 12: return vx_triu(x[0], -1);
    case 13: return vx_cumsum(x[0], 1);
    case 14: return vx_cumsum(x[0], -3);
    case 15: return sorted_values(x[0], 0, 1, true);
    case 16: return sorted_values(x[0], 3, 0, false);
    case 17: return vx_conv2d(x[0], x[1], x[2], 2, 1, 1, 1, 1, 2, 2);
    case 18: return vx_conv1d(x[0], x[1], x[2], 2, 1, 1, 1);
    case 19: return vx_conv2d(x[0], x[1], NULL, 1, 1, 0, 2, 2, 1, 1);
    case 20: return vx_max_pool2d(x[0], 3, 2, 2, 2, 1, 1, 1, 1, true, NULL);
    case 21: return vx_max_pool2d(x[0], 2, 2, 1, 1, 0, 1, 2, 1, false, NULL);
    case 22: return vx_avg_pool2d(x[0], 3, 2, 2, 1, 1, 1, true);
    case 23: return vx_avg_pool2d(x[0], 3, 3, 2, 2, 1, 1, false);
    default: return NULL;
    }
    release_all(p, n > 0 ? n : 0);
    vx_tensor_release(m);
    return r;
}

typedef struct GCase { int k; const char *name; int nin; int64_t shape[3][4]; int ndim[3]; bool transposed; } GCase;
static const GCase gcases[] = {
    { 0, "cat", 3, { SHAPE(3, 5), SHAPE(3, 2), SHAPE(3, 1) }, { 2, 2, 2 }, true },
    { 1, "cat tree", 3, { SHAPE(3, 5), SHAPE(3, 2), SHAPE(3, 1) }, { 2, 2, 2 }, true },
    { 2, "stack", 3, { SHAPE(3, 5), SHAPE(3, 5), SHAPE(3, 5) }, { 2, 2, 2 }, true },
    { 3, "stack tree", 3, { SHAPE(3, 5), SHAPE(3, 5), SHAPE(3, 5) }, { 2, 2, 2 }, true },
    { 4, "split", 1, { SHAPE(3, 5) }, { 2 }, true },
    { 5, "chunk", 1, { SHAPE(5, 3) }, { 2 }, true },
    { 6, "gather", 1, { SHAPE(3, 5) }, { 2 }, true },
    { 7, "gather smaller index", 1, { SHAPE(3, 5) }, { 2 }, false },
    { 8, "scatter_add", 2, { SHAPE(3, 5), SHAPE(3, 4) }, { 2, 2 }, true },
    { 9, "index_select", 1, { SHAPE(3, 5) }, { 2 }, true },
    { 10, "masked_fill", 1, { SHAPE(3, 5) }, { 2 }, true },
    { 11, "tril", 1, { SHAPE(3, 5) }, { 2 }, true },
    { 12, "triu batch", 1, { SHAPE(2, 3, 4) }, { 3 }, true },
    { 13, "cumsum", 1, { SHAPE(3, 5) }, { 2 }, true },
    { 14, "cumsum dim 0", 1, { SHAPE(3, 5, 2) }, { 3 }, true },
    { 15, "sort", 1, { SHAPE(3, 5) }, { 2 }, true },
    { 16, "topk", 1, { SHAPE(5, 3) }, { 2 }, true },
    { 17, "conv2d groups stride dilation", 3, { SHAPE(2, 4, 5, 6), SHAPE(6, 2, 3, 2), SHAPE(6) }, { 4, 4, 1 }, false },
    { 18, "conv1d", 3, { SHAPE(3, 2, 7), SHAPE(4, 2, 3), SHAPE(4) }, { 3, 3, 1 }, true },
    { 19, "conv2d no bias", 2, { SHAPE(3, 2, 5, 4), SHAPE(3, 2, 2, 3) }, { 4, 4 }, true },
    { 20, "max_pool2d ceil", 1, { SHAPE(3, 2, 7, 6) }, { 4 }, true },
    { 21, "max_pool2d dilation", 1, { SHAPE(1, 2, 5, 5) }, { 4 }, false },
    { 22, "avg_pool2d", 1, { SHAPE(3, 2, 5, 6) }, { 4 }, true },
    { 23, "avg_pool2d exclude pad", 1, { SHAPE(2, 1, 6, 7) }, { 4 }, false },
};

TEST(tensor_shape_grad_finite_differences)
{
    idx_gather = INTS(SHAPE(3, 4), 0, 4, 4, 1, 2, 2, 3, 0, 1, 0, 4, 3);
    idx_gather0 = INTS(SHAPE(2, 3), 2, 0, 1, 2, 2, 0);
    idx_scatter = INTS(SHAPE(3, 3), 4, 4, 0, 1, 2, 1, 3, 0, 0);
    idx_select = INTS(SHAPE(4), 2, 0, 2, 1);
    bool_mask = vx_tensor_from_f64((double[]){ 1, 0, 0, 1, 0 }, (int64_t[]){ 5 }, 1, VX_BOOL);
    int bad = 0;
    for (size_t t = 0; t < sizeof gcases / sizeof gcases[0]; t++) {
        const GCase *c = &gcases[t];
        VxTensor *x[3] = {0};
        for (int i = 0; i < c->nin; i++) x[i] = grad_leaf(c->shape[i], c->ndim[i], false, c->transposed && i == 0, 300 + t * 5 + (uint64_t)i);
        double err = grad_error(apply, c->k, x, c->nin);
        if (!(err < 1e-5)) printf("  %s: relative gradient error %g %s\n", c->name, err, vx_tensor_last_error());
        release_all(x, c->nin);
        bad += !(err < 1e-5);
    }
    VxTensor *idx[] = { idx_gather, idx_gather0, idx_scatter, idx_select, bool_mask };
    release_all(idx, 5);
    CHECK(bad == 0);
    CHECK(vx_tensor_live_tensors() == 0);
}

/* grad_fn names match torch's. */
TEST(tensor_shape_grad_fn_names)
{
    VxTensor *x = FM(3, 4), *w = FM(2, 1, 2, 2), *v, *ix;
    vx_tensor_set_requires_grad(x, true);
    VxTensor *x4 = vx_reshape(x, (int64_t[]){ 1, 1, 3, 4 }, 4), *i2 = INTS(SHAPE(3, 1), 0, 1, 2);
    VxTensor *mask = vx_gt_s(x, 0);
    VxTensor *r[] = { vx_cat((VxTensor *[]){ x, x, x, x }, 4, 0), vx_stack((VxTensor *[]){ x, x }, 2, 0),
                      vx_gather(x, 1, i2), vx_scatter_add(x, 1, i2, x), vx_masked_fill(x, mask, 0),
                      vx_tril(x, 0), vx_cumsum(x, 0), vx_conv2d(x4, w, NULL, 1, 1, 0, 0, 1, 1, 1),
                      vx_max_pool2d(x4, 2, 2, 0, 0, 0, 0, 1, 1, false, NULL), vx_avg_pool2d(x4, 2, 2, 0, 0, 0, 0, true) };
    const char *want[] = { "CatBackward0", "StackBackward0", "GatherBackward0", "ScatterAddBackward0", "MaskedFillBackward0", "TrilBackward0",
                           "CumsumBackward0", "ConvolutionBackward0", "MaxPool2DWithIndicesBackward0", "AvgPool2DBackward0" };
    for (int i = 0; i < 10; i++) CHECK(r[i] && strcmp(vx_tensor_grad_fn_name(r[i]), want[i]) == 0);
    CHECK(vx_sort(x, 1, false, &v, &ix) == 0 && strcmp(vx_tensor_grad_fn_name(v), "SortBackward0") == 0 && !ix->requires_grad);
    vx_tensor_release(v); vx_tensor_release(ix);
    CHECK(vx_topk(x, 2, 1, true, true, &v, &ix) == 0 && strcmp(vx_tensor_grad_fn_name(v), "TopkBackward0") == 0);
    vx_tensor_release(v); vx_tensor_release(ix);
    VxTensor *p[3];
    CHECK(vx_split(x, 2, 0, p, 3) == 2 && strcmp(vx_tensor_grad_fn_name(p[1]), "SplitBackward0") == 0);
    release_all(p, 2);
    release_all(r, 10);
    VxTensor *all[] = { x, w, x4, i2, mask };
    release_all(all, 5);
    CHECK(vx_tensor_live_tensors() == 0);
}

/* ---- errors ------------------------------------------------------------------------------ */
TEST(tensor_shape_errors)
{
    VxTensor *x = FM(3, 4), *y = FM(2, 5), *f = FM(2), *bad = INTS(SHAPE(3, 1), 0, 4, 1), *neg = INTS(SHAPE(2), 1, -2);
    VxTensor *p[2];
    CHECK(fails_with(vx_cat((VxTensor *[]){ x, y }, 2, 0),
                     "cannot cat Tensor<f64, [3, 4]> and Tensor<f64, [2, 5]> (tensor 1): sizes 4 and 5 differ in dimension 1"));
    CHECK(fails_with(vx_cat(NULL, 0, 0), "cannot cat an empty list of tensors"));
    CHECK(fails_with(vx_stack((VxTensor *[]){ x, x }, 2, 3), "cannot stack Tensor<f64, [3, 4]>: dimension 3 is out of range for 3 dimensions"));
    CHECK(fails_with(vx_gather(x, 1, bad), "cannot gather from Tensor<f64, [3, 4]>: index 4 is out of range for dimension 1 of size 4"));
    CHECK(fails_with(vx_gather(x, 1, f), "cannot gather from Tensor<f64, [3, 4]> with index Tensor<f64, [2]>: indices must be i64 or i32"));
    CHECK(fails_with(vx_index_select(x, 0, neg), "cannot index_select from Tensor<f64, [3, 4]>: index -2 is out of range for dimension 0 of size 3"));
    CHECK(fails_with(vx_scatter_add(x, 0, neg, f), "cannot scatter_add into Tensor<f64, [3, 4]> with index Tensor<i64, [2]>: the index needs 2 dimensions"));
    CHECK(fails_with(vx_scatter_add(x, 0, bad, bad), "cannot scatter_add Tensor<i64, [3, 1]> into Tensor<f64, [3, 4]>: dtypes differ"));
    CHECK(fails_with(vx_scatter_add(x, 0, bad, x), "cannot scatter_add into Tensor<f64, [3, 4]>: index 4 is out of range for dimension 0 of size 3"));
    CHECK(fails_with(vx_masked_fill(x, x, 0), "cannot masked_fill Tensor<f64, [3, 4]> with mask Tensor<f64, [3, 4]>: the mask must be bool"));
    CHECK(fails_with(vx_one_hot(bad, 3), "cannot one_hot Tensor<i64, [3, 1]>: index 4 is out of range for 3 classes"));
    CHECK(fails_with(vx_tril(f, 0), "cannot take tril of Tensor<f64, [2]>: it needs at least 2 dimensions"));
    VxTensor *v, *i;
    CHECK(vx_topk(x, 5, 1, true, true, &v, &i) < 0 &&
          strcmp(vx_tensor_last_error(), "cannot take topk of Tensor<f64, [3, 4]>: k 5 is out of range for dimension 1 of size 4") == 0);
    CHECK(vx_split(x, 0, 0, p, 2) < 0 && strstr(vx_tensor_last_error(), "sizes must be positive"));
    CHECK(vx_split(x, 1, 0, p, 2) < 0 && strcmp(vx_tensor_last_error(), "cannot split Tensor<f64, [3, 4]> into 3 pieces: room for only 2") == 0);
    VxTensor *x4 = FM(1, 3, 5, 5), *w = FM(2, 2, 3, 3);
    CHECK(fails_with(vx_conv2d(x4, w, NULL, 1, 1, 0, 0, 1, 1, 1), "cannot convolve Tensor<f64, [1, 3, 5, 5]> with Tensor<f64, [2, 2, 3, 3]>: "
                     "the channels do not match: the weight needs [O, C/groups, ..] with C and O divisible by groups"));
    CHECK(fails_with(vx_conv1d(x4, w, NULL, 1, 0, 1, 1), "cannot convolve Tensor<f64, [1, 3, 5, 5]> with Tensor<f64, [2, 2, 3, 3]>: "
                     "conv1d needs x [N, C, L] and w [O, C/groups, K]"));
    CHECK(fails_with(vx_max_pool2d(x4, 2, 2, 1, 1, 2, 0, 1, 1, false, NULL), "cannot max_pool2d Tensor<f64, [1, 3, 5, 5]> with a 2 x 2 window: "
                     "padding must be at least 0 and at most half the kernel size"));
    CHECK(fails_with(vx_avg_pool2d(x4, 7, 7, 1, 1, 0, 0, true), "cannot avg_pool2d Tensor<f64, [1, 3, 5, 5]>: the window (7 x 7, dilation 1 x 1) "
                     "is larger than the padded input"));
    VxTensor *all[] = { x, y, f, bad, neg, x4, w };
    release_all(all, 7);
    CHECK(vx_tensor_live_tensors() == 0);
}

/* Injected allocation failures anywhere inside the ops leave no leak. */
TEST(tensor_shape_out_of_memory)
{
    VxTensor *x = FM(2, 3, 5, 5), *w = FM(4, 3, 3, 3);
    vx_tensor_set_requires_grad(x, true);
    for (int64_t n = 1; n < 60; n++) {
        vx_tensor_fail_alloc_after(n);
        VxTensor *y = vx_conv2d(x, w, NULL, 1, 1, 1, 1, 1, 1, 1), *c = vx_cat((VxTensor *[]){ x, x, x, x, x }, 5, 1);
        VxTensor *s = y ? vx_sum(y, NULL, 0, false) : NULL;
        if (s) vx_backward(s, NULL);
        vx_tensor_release(s); vx_tensor_release(y); vx_tensor_release(c);
    }
    vx_tensor_fail_alloc_after(0);
    vx_tensor_release(x);
    vx_tensor_release(w);
    CHECK(vx_tensor_live_tensors() == 0);
}
