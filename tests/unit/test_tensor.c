/* test_tensor.c - the tensor core: views and strides, broadcasting and
 * matmul errors, printing against recorded torch 1.13 output, values of
 * ops, leak and out-of-memory behaviour. */
#include <math.h>

#include "unit.h"
#include "../../src/tensor/tensor.h"

#define SHAPE(...) (int64_t[]){ __VA_ARGS__ }, (int)(sizeof((int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t))

/* Equal strings, or both printed (CHECK_STR's message buffer is too short
 * for whole tensors). */
static bool same(const char *got, const char *want)
{
    if (strcmp(got, want) == 0) return true;
    printf("got:\n%s\nexpected:\n%s\n", got, want);
    return false;
}

static VxTensor *ar(double start, double end, VxDtype d) { return vx_arange(start, end, 1, d); }

static VxTensor *reshaped(VxTensor *t, const int64_t *s, int n)
{
    VxTensor *r = vx_reshape(t, s, n);
    vx_tensor_release(t);
    return r;
}

static const char *fmt(const VxTensor *t)
{
    static char buf[8192];
    vx_tensor_format(t, buf, sizeof buf);
    return buf;
}

static double at(const VxTensor *t, const int64_t *idx)
{
    double v = NAN;
    vx_tensor_get_f64(t, idx, &v);
    return v;
}

/* The printed cases, built as /tmp/torch_print.py built them in torch. */
static VxTensor *print_case(const char *k)
{
    double ab[] = { 1, 2, 3, 4 }, bb[] = { 1.5, 2, 3, -4 }, d[] = { 1.25, 2.5 }, h[] = { 1e-5, 1, 123 };
    double o[] = { INFINITY, NAN, 1, 2 }, p[] = { 0.5, 2 }, g[] = { 1, 0 };
    switch (k[0]) {
    case 'a': return vx_tensor_from_f64(ab, SHAPE(2, 2), VX_F32);
    case 'b': return vx_tensor_from_f64(bb, SHAPE(2, 2), VX_F32);
    case 'c': return reshaped(ar(0, 2000, VX_F32), SHAPE(40, 50));
    case 'd': return vx_tensor_from_f64(d, SHAPE(2), VX_F64);
    case 'e': return reshaped(ar(0, 6, VX_I32), SHAPE(2, 3));
    case 'f': return ar(-3, 3, VX_I64);
    case 'g': return vx_tensor_from_f64(g, SHAPE(2), VX_BOOL);
    case 'h': return vx_tensor_from_f64(h, SHAPE(3), VX_F32);
    case 'i': { VxTensor *t = vx_tensor_from_f64(ab, SHAPE(2), VX_F32); vx_tensor_set_requires_grad(t, true); return t; }
    case 'j': return vx_zeros(SHAPE(0, 3), VX_F32);
    case 'k': return vx_scalar(3.5, VX_F32);
    case 'l': { VxTensor *a = ar(0, 30, VX_F32), *r = vx_div_s(a, 7); vx_tensor_release(a); return r; }
    case 'm': return reshaped(ar(0, 24, VX_F32), SHAPE(2, 3, 4));
    case 'n': return ar(0, 5000, VX_F32);
    case 'o': return vx_tensor_from_f64(o, SHAPE(4), VX_F32);
    case 'p': return vx_tensor_from_f64(p, SHAPE(2), VX_F16);
    default: return NULL;
    }
}

static const struct { const char *k, *want; } printed[] = {
    { "a", "tensor([[1., 2.],\n        [3., 4.]])" },
    { "b", "tensor([[ 1.5000,  2.0000],\n        [ 3.0000, -4.0000]])" },
    { "c", "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.7000e+01, 4.8000e+01,\n         4.9000e+01],\n        [5.0000e+01, 5.1000e+01, 5.2000e+01,  ..., 9.7000e+01, 9.8000e+01,\n         9.9000e+01],\n        [1.0000e+02, 1.0100e+02, 1.0200e+02,  ..., 1.4700e+02, 1.4800e+02,\n         1.4900e+02],\n        ...,\n        [1.8500e+03, 1.8510e+03, 1.8520e+03,  ..., 1.8970e+03, 1.8980e+03,\n         1.8990e+03],\n        [1.9000e+03, 1.9010e+03, 1.9020e+03,  ..., 1.9470e+03, 1.9480e+03,\n         1.9490e+03],\n        [1.9500e+03, 1.9510e+03, 1.9520e+03,  ..., 1.9970e+03, 1.9980e+03,\n         1.9990e+03]])" },
    { "d", "tensor([1.2500, 2.5000], dtype=torch.float64)" },
    { "e", "tensor([[0, 1, 2],\n        [3, 4, 5]], dtype=torch.int32)" },
    { "f", "tensor([-3, -2, -1,  0,  1,  2])" },
    { "g", "tensor([ True, False])" },
    { "h", "tensor([1.0000e-05, 1.0000e+00, 1.2300e+02])" },
    { "i", "tensor([1., 2.], requires_grad=True)" },
    { "j", "tensor([], size=(0, 3))" },
    { "k", "tensor(3.5000)" },
    { "l", "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,\n        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,\n        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,\n        3.8571, 4.0000, 4.1429])" },
    { "m", "tensor([[[ 0.,  1.,  2.,  3.],\n         [ 4.,  5.,  6.,  7.],\n         [ 8.,  9., 10., 11.]],\n\n        [[12., 13., 14., 15.],\n         [16., 17., 18., 19.],\n         [20., 21., 22., 23.]]])" },
    { "n", "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.9970e+03, 4.9980e+03,\n        4.9990e+03])" },
    { "o", "tensor([inf, nan, 1., 2.])" },
    { "p", "tensor([0.5000, 2.0000], dtype=torch.float16)" },
};

TEST(tensor_print_matches_torch)
{
    for (size_t i = 0; i < sizeof printed / sizeof printed[0]; i++) {
        VxTensor *t = print_case(printed[i].k);
        CHECK(t != NULL);
        CHECK(same(fmt(t), printed[i].want));
        vx_tensor_release(t);
    }
    double v[] = { 1, 2 };
    VxTensor *x = vx_tensor_from_f64(v, SHAPE(2), VX_F32);
    vx_tensor_set_requires_grad(x, true);
    VxTensor *y = vx_mul(x, x);
    CHECK(same(fmt(y), "tensor([1., 4.], grad_fn=<MulBackward0>)"));
    vx_tensor_release(y);
    vx_tensor_release(x);
    CHECK(vx_tensor_live_tensors() == 0);
}

TEST(tensor_views_share_storage)
{
    VxTensor *t = reshaped(ar(0, 24, VX_F32), SHAPE(2, 3, 4));
    VxTensor *tr = vx_transpose(t, 0, 2);
    CHECK(tr->storage == t->storage && tr->shape[0] == 4 && tr->shape[2] == 2);
    CHECK(tr->strides[0] == 1 && tr->strides[1] == 4 && tr->strides[2] == 12);
    CHECK(!vx_tensor_is_contiguous(tr));
    CHECK(at(tr, (int64_t[]){ 3, 1, 1 }) == 19);
    VxTensor *p = vx_permute(t, (int[]){ 2, 0, 1 }, 3);
    CHECK(p->shape[0] == 4 && p->shape[1] == 2 && p->strides[0] == 1 && p->strides[1] == 12);
    VxTensor *sl = vx_slice(t, 2, 1, 100, 2);
    CHECK(sl->shape[2] == 2 && sl->strides[2] == 2 && sl->offset == 1 && at(sl, (int64_t[]){ 1, 2, 1 }) == 23);
    VxTensor *neg = vx_slice(t, -1, -3, -1, 1);
    CHECK(neg->shape[2] == 2 && neg->offset == 1);
    VxTensor *se = vx_select(t, 1, -1);
    CHECK(se->ndim == 2 && se->shape[0] == 2 && se->shape[1] == 4 && se->offset == 8 && se->strides[0] == 12);
    VxTensor *ex = vx_expand(se, SHAPE(5, 2, 4));
    CHECK(ex->strides[0] == 0 && ex->shape[0] == 5 && ex->storage == t->storage);
    VxTensor *un = vx_unsqueeze(se, -1), *sq = vx_squeeze(un, 2), *sa = vx_squeeze_all(un);
    CHECK(un->ndim == 3 && un->shape[2] == 1 && sq->ndim == 2 && sa->ndim == 2);
    VxTensor *v1 = vx_view(t, SHAPE(6, -1));
    CHECK(v1 && v1->shape[1] == 4 && v1->storage == t->storage);
    VxTensor *v2 = vx_view(tr, SHAPE(24));
    CHECK(v2 == NULL && strstr(vx_tensor_last_error(), "cannot view") != NULL);
    VxTensor *r2 = vx_reshape(tr, SHAPE(-1));
    CHECK(r2->storage != t->storage && vx_tensor_is_contiguous(r2) && at(r2, (int64_t[]){ 1 }) == 12);
    VxTensor *r3 = vx_reshape(sl, SHAPE(2, 3, 2, 1));        /* splitting a strided dim is still a view */
    CHECK(r3->storage == t->storage);
    VxTensor *c = vx_contiguous(tr);
    CHECK(vx_tensor_is_contiguous(c) && at(c, (int64_t[]){ 3, 1, 1 }) == 19);
    VxTensor *all[] = { tr, p, sl, neg, se, ex, un, sq, sa, v1, r2, r3, c, t };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) vx_tensor_release(all[i]);
    CHECK(vx_tensor_live_tensors() == 0);
}

TEST(tensor_shape_errors)
{
    VxTensor *a = vx_zeros(SHAPE(2, 3), VX_F32), *b = vx_zeros(SHAPE(4), VX_F32), *c = vx_zeros(SHAPE(4, 5), VX_F32);
    CHECK(vx_add(a, b) == NULL);
    CHECK_STR(vx_tensor_last_error(), "cannot broadcast Tensor<f32, [2, 3]> + Tensor<f32, [4]>: dimensions 3 and 4 differ");
    CHECK(vx_matmul(a, c) == NULL);
    CHECK_STR(vx_tensor_last_error(), "cannot multiply Tensor<f32, [2, 3]> @ Tensor<f32, [4, 5]>: inner dimensions 3 and 4 differ");
    CHECK(vx_reshape(a, SHAPE(4, 2)) == NULL);
    CHECK_STR(vx_tensor_last_error(), "cannot reshape Tensor<f32, [2, 3]> into [4, 2]: 6 elements into 8");
    CHECK(vx_select(a, 0, 2) == NULL);
    CHECK(vx_transpose(a, 0, 2) == NULL);
    CHECK(vx_tensor_get_f64(a, (int64_t[]){ 0, 3 }, &(double){0}) < 0);
    VxTensor *all[] = { a, b, c };
    for (int i = 0; i < 3; i++) vx_tensor_release(all[i]);
    CHECK(vx_tensor_live_tensors() == 0);
}

TEST(tensor_dtypes_and_values)
{
    CHECK(vx_dtype_promote(VX_I32, VX_F16) == VX_F16 && vx_dtype_promote(VX_F32, VX_F64) == VX_F64);
    CHECK(vx_dtype_promote(VX_U8, VX_I32) == VX_I32 && vx_dtype_promote(VX_BOOL, VX_U8) == VX_U8);
    CHECK(vx_dtype_promote(VX_BF16, VX_F16) == VX_F32);
    VxTensor *i = ar(0, 5, VX_I32), *h = vx_div_s(i, 2), *cmp = vx_gt_s(i, 2), *bf = vx_full(SHAPE(1), VX_BF16, 1.00390625);
    CHECK(h->dtype == VX_F32 && at(h, (int64_t[]){ 3 }) == 1.5 && cmp->dtype == VX_BOOL && at(cmp, (int64_t[]){ 3 }) == 1);
    CHECK(at(bf, (int64_t[]){ 0 }) == 1.0);                 /* ties to even */
    VxTensor *e = vx_eye(3, 3, VX_F64), *s = vx_sum(e, NULL, 0, false), *l = vx_linspace(0, 1, 5, VX_F64);
    double v;
    CHECK(vx_tensor_item_f64(s, &v) == 0 && v == 3 && at(l, (int64_t[]){ 4 }) == 1 && at(l, (int64_t[]){ 1 }) == 0.25);
    VxTensor *m = reshaped(ar(0, 6, VX_F64), SHAPE(2, 3)), *am = vx_argmax(m, (int[]){ 1 }, 1, false);
    CHECK(am->dtype == VX_I64 && at(am, (int64_t[]){ 1 }) == 2);
    VxTensor *va = vx_var(m, NULL, 0, 1, false), *mx = vx_max(m, (int[]){ 0 }, 1, true);
    CHECK(vx_tensor_item_f64(va, &v) == 0 && fabs(v - 3.5) < 1e-12 && mx->ndim == 2 && at(mx, (int64_t[]){ 0, 2 }) == 5);
    VxTensor *r1 = vx_randn(SHAPE(1000), VX_F64, 7), *r2 = vx_randn(SHAPE(1000), VX_F64, 7), *mean = vx_mean(r1, NULL, 0, false);
    CHECK(at(r1, (int64_t[]){ 999 }) == at(r2, (int64_t[]){ 999 }));
    CHECK(vx_tensor_item_f64(mean, &v) == 0 && fabs(v) < 0.15);
    VxTensor *ri = vx_randint(3, 7, SHAPE(100), VX_I64, 1), *lo = vx_min(ri, NULL, 0, false), *hi = vx_max(ri, NULL, 0, false);
    CHECK(vx_tensor_item_f64(lo, &v) == 0 && v >= 3 && vx_tensor_item_f64(hi, &v) == 0 && v <= 6);
    VxTensor *all[] = { i, h, cmp, bf, e, s, l, m, am, va, mx, r1, r2, mean, ri, lo, hi };
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) vx_tensor_release(all[k]);
    CHECK(vx_tensor_live_tensors() == 0);
}

/* Every allocation of a forward + backward fails in turn: each failure is
 * an error, never a crash, and leaves nothing behind. */
TEST(tensor_out_of_memory)
{
    int failures = 0;
    for (int64_t n = 1; n < 400; n++) {
        VxTensor *x = vx_randn(SHAPE(3, 4), VX_F64, 1), *w = vx_randn(SHAPE(4, 2), VX_F64, 2);
        vx_tensor_set_requires_grad(x, true);
        vx_tensor_fail_alloc_after(n);
        VxTensor *y = vx_matmul(x, w), *z = vx_tanh(y), *l = vx_sum(z, NULL, 0, false);
        int rc = l ? vx_backward(l, NULL) : -1;
        vx_tensor_fail_alloc_after(0);
        if (rc < 0) { failures++; CHECK(strstr(vx_tensor_last_error(), "out of memory") != NULL); }
        VxTensor *all[] = { x, w, y, z, l };
        for (int k = 0; k < 5; k++) vx_tensor_release(all[k]);
        CHECK(vx_tensor_live_tensors() == 0);
        VxMemStats st;
        vx_tensor_mem_stats(&st);
        CHECK(st.live_storages == 0 && st.live_bytes == 0);
        if (rc == 0) break;
    }
    CHECK(failures > 10);
    VxTensor *big = vx_zeros(SHAPE(1, 2), VX_F32);
    vx_tensor_fail_alloc_after(3);   /* header, storage header, then the data */
    VxTensor *none = vx_zeros(SHAPE(2, 3), VX_F32);
    CHECK(none == NULL);
    CHECK_STR(vx_tensor_last_error(), "out of memory allocating 24 bytes for Tensor<f32, [2, 3]>");
    vx_tensor_release(big);
}
