/* test_tensor_grad.c - every backward against central finite differences
 * in f64, on random odd-sized inputs, some of them non-contiguous leaves;
 * plus a deliberately wrong backward that the checker must catch, and the
 * graph bookkeeping (accumulation, no_grad, freeing, leaks). */
#include <math.h>

#include "unit.h"
#include "../../src/tensor/tensor_internal.h"

enum { MAXIN = 3 };

typedef struct Case {
    const char *name;
    int nin;
    int64_t shape[MAXIN][4];
    int ndim[MAXIN];
    bool positive;                          /* inputs in [0.5, 1.5] (log, sqrt, pow) */
    bool transposed;                        /* first input is a transposed leaf */
} Case;

/* The backward of the identity, patched onto an exp node (case 50). */
static VxTensor *bw_wrong(VxNode *n, VxTensor *g, int i) { (void)n; (void)i; return vx_tensor_retain(g); }

/* The function under test: op number k of the table below. */
static VxTensor *apply(int k, VxTensor **x)
{
    static const int d1[] = { 1 }, d01[] = { 0, 1 }, dneg[] = { -1 };
    VxTensor *t = NULL, *u = NULL, *r = NULL;
    switch (k) {
    case 0: return vx_add(x[0], x[1]);
    case 1: return vx_sub(x[0], x[1]);
    case 2: return vx_mul(x[0], x[1]);
    case 3: return vx_div(x[0], x[1]);
    case 4: return vx_pow(x[0], x[1]);
    case 5: return vx_maximum(x[0], x[1]);
    case 6: return vx_minimum(x[0], x[1]);
    case 7: return vx_pow_s(x[0], 2.5);
    case 8: t = vx_gt(x[0], x[1]); r = vx_where(t, x[0], x[2]); break;
    case 9: return vx_mul_s(x[0], -3.0);
#define X(name, NAME, grad, tf) case 10 + VX_OP_##NAME: return vx_##name(x[0]);
    VX_UNARY_OPS(X)
#undef X
    case 30: return vx_clamp(x[0], -0.3, 0.4);
    case 31: return vx_sum(x[0], d1, 1, false);
    case 32: return vx_mean(x[0], NULL, 0, false);
    case 33: return vx_prod(x[0], d1, 1, true);
    case 34: return vx_max(x[0], d1, 1, false);
    case 35: return vx_min(x[0], NULL, 0, false);
    case 36: return vx_var(x[0], d1, 1, 1, false);
    case 37: return vx_std(x[0], d01, 2, 0, true);
    case 38: return vx_logsumexp(x[0], dneg, 1, false);
    case 39: return vx_transpose(x[0], 0, 1);
    case 40: return vx_permute(x[0], (int[]){ 2, 0, 1 }, 3);
    case 41: return vx_slice(x[0], 1, 1, 5, 2);
    case 42: return vx_select(x[0], 0, -1);
    case 43: return vx_reshape(x[0], (int64_t[]){ -1 }, 1);
    case 44: return vx_expand(x[0], (int64_t[]){ 2, 3, 5 }, 3);
    case 45: t = vx_unsqueeze(x[0], 1); r = vx_squeeze(t, 1); break;
    case 46: return vx_matmul(x[0], x[1]);
    case 48: t = vx_mul(x[0], x[0]); u = vx_add(t, x[0]); r = vx_sum(u, NULL, 0, false); break;  /* reuse */
    case 49: return vx_contiguous(x[0]);
    case 50: r = vx_exp(x[0]); if (r && r->grad_fn) r->grad_fn->backward = bw_wrong; return r;   /* deliberately wrong */
    default: return NULL;
    }
    vx_tensor_release(t);
    vx_tensor_release(u);
    return r;
}

#define S(...) { __VA_ARGS__ }
static const struct { int k; Case c; } cases[] = {
    { 0, { "add broadcast", 2, { S(3, 5), S(5) }, { 2, 1 }, false, true } },
    { 1, { "sub broadcast", 2, { S(3, 1), S(1, 5) }, { 2, 2 }, false, false } },
    { 2, { "mul", 2, { S(3, 5), S(3, 5) }, { 2, 2 }, false, true } },
    { 3, { "div", 2, { S(3, 5), S(5) }, { 2, 1 }, true, false } },
    { 4, { "pow", 2, { S(3, 5), S(3, 1) }, { 2, 2 }, true, true } },
    { 5, { "maximum", 2, { S(3, 5), S(5) }, { 2, 1 }, false, false } },
    { 6, { "minimum", 2, { S(3, 5), S(3, 5) }, { 2, 2 }, false, true } },
    { 7, { "pow scalar", 1, { S(3, 5) }, { 2 }, true, true } },
    { 8, { "where", 3, { S(3, 5), S(5), S(3, 1) }, { 2, 1, 2 }, false, true } },
    { 9, { "mul scalar", 1, { S(7) }, { 1 }, false, false } },
#define X(name, NAME, grad, tf) { 10 + VX_OP_##NAME, { #name, 1, { S(3, 5) }, { 2 }, VX_OP_##NAME == VX_OP_LOG || VX_OP_##NAME == VX_OP_SQRT || VX_OP_##NAME == VX_OP_RSQRT, true } },
    VX_UNARY_OPS(X)
#undef X
    { 30, { "clamp", 1, { S(3, 5) }, { 2 }, false, true } },
    { 31, { "sum dim", 1, { S(3, 5) }, { 2 }, false, true } },
    { 32, { "mean all", 1, { S(3, 5) }, { 2 }, false, true } },
    { 33, { "prod keepdim", 1, { S(3, 5) }, { 2 }, true, true } },
    { 34, { "max dim", 1, { S(3, 5) }, { 2 }, false, true } },
    { 35, { "min all", 1, { S(3, 5) }, { 2 }, false, false } },
    { 36, { "var unbiased", 1, { S(3, 5) }, { 2 }, false, true } },
    { 37, { "std two dims", 1, { S(3, 5, 2) }, { 3 }, false, false } },
    { 38, { "logsumexp", 1, { S(3, 5) }, { 2 }, false, true } },
    { 39, { "transpose", 1, { S(3, 5) }, { 2 }, false, true } },
    { 40, { "permute", 1, { S(3, 5, 2) }, { 3 }, false, false } },
    { 41, { "slice step", 1, { S(3, 7) }, { 2 }, false, true } },
    { 42, { "select", 1, { S(3, 5) }, { 2 }, false, true } },
    { 43, { "reshape copy", 1, { S(3, 5) }, { 2 }, false, true } },
    { 44, { "expand", 1, { S(3, 1) }, { 2 }, false, false } },
    { 45, { "unsqueeze squeeze", 1, { S(3, 5) }, { 2 }, false, false } },
    { 46, { "matmul 2d", 2, { S(3, 5), S(5, 4) }, { 2, 2 }, false, true } },
    { 46, { "matmul dot", 2, { S(5), S(5) }, { 1, 1 }, false, false } },
    { 46, { "matmul mv", 2, { S(3, 5), S(5) }, { 2, 1 }, false, true } },
    { 46, { "matmul vm", 2, { S(5), S(5, 3) }, { 1, 2 }, false, false } },
    { 46, { "matmul batch broadcast", 2, { S(2, 1, 3, 5), S(3, 5, 2) }, { 4, 3 }, false, false } },
    { 46, { "matmul blas", 2, { S(21, 17), S(17, 19) }, { 2, 2 }, false, true } },
    { 48, { "input used twice", 1, { S(3, 5) }, { 2 }, false, true } },
    { 49, { "contiguous", 1, { S(3, 5) }, { 2 }, false, true } },
};

/* An f64 leaf with the case's shape; transposed: stored as the transpose
 * of a contiguous tensor, so the leaf itself is non-contiguous. */
static VxTensor *make_input(const Case *c, int i, uint64_t seed)
{
    int64_t s[4];
    int n = c->ndim[i];
    bool tr = c->transposed && i == 0 && n >= 2;
    for (int d = 0; d < n; d++) s[d] = c->shape[i][d];
    if (tr) { int64_t t = s[0]; s[0] = s[1]; s[1] = t; }
    VxTensor *base = c->positive ? vx_rand(s, n, VX_F64, seed) : vx_randn(s, n, VX_F64, seed);
    if (c->positive) { VxTensor *p = vx_add_s(base, 0.5); vx_tensor_release(base); base = p; }
    VxTensor *v = tr ? vx_transpose(base, 0, 1) : vx_tensor_retain(base), *leaf = vx_detach(v);
    vx_tensor_release(v);
    vx_tensor_release(base);
    vx_tensor_set_requires_grad(leaf, true);
    return leaf;
}

/* loss = sum(f(x) * w) for a fixed random w, so every output element
 * carries a different seed gradient. */
static double loss(int k, VxTensor **x, VxTensor **w, bool record)
{
    VxTensor *y = apply(k, x);
    if (!y) return NAN;
    if (!*w) *w = vx_randn(y->shape, y->ndim, VX_F64, 99);
    VxTensor *yw = vx_mul(y, *w), *l = vx_sum(yw, NULL, 0, false);
    double v = NAN;
    vx_tensor_item_f64(l, &v);
    if (record && vx_backward(l, NULL) < 0) v = NAN;
    vx_tensor_release(y); vx_tensor_release(yw); vx_tensor_release(l);
    return v;
}

/* Largest |numeric - analytic| / (1e-6 + |numeric|) over all inputs.
 * Shared with the wrong-backward test. */
static double grad_error(int k, const Case *c, VxTensor **x)
{
    VxTensor *w = NULL;
    if (loss(k, x, &w, true) != loss(k, x, &w, false)) { vx_tensor_release(w); return INFINITY; }
    double worst = 0;
    const double eps = 1e-6;
    vx_no_grad_push();
    for (int i = 0; i < c->nin; i++) {
        VxTensor *g = vx_tensor_grad(x[i]);
        int64_t idx[4] = {0}, n = vx_tensor_numel(x[i]);
        for (int64_t e = 0; e < n; e++) {
            for (int64_t r = e, d = x[i]->ndim - 1; d >= 0; d--) { idx[d] = r % x[i]->shape[d]; r /= x[i]->shape[d]; }
            double v0, ga;
            vx_tensor_get_f64(x[i], idx, &v0);
            vx_tensor_set_f64(x[i], idx, v0 + eps);
            double lp = loss(k, x, &w, false);
            vx_tensor_set_f64(x[i], idx, v0 - eps);
            double lm = loss(k, x, &w, false);
            vx_tensor_set_f64(x[i], idx, v0);
            vx_tensor_get_f64(g, idx, &ga);
            double num = (lp - lm) / (2 * eps), err = fabs(num - ga) / (1e-6 + fabs(num));
            if (!(err <= worst)) worst = err;   /* NaN counts as the worst */
        }
        vx_tensor_release(g);
    }
    vx_no_grad_pop();
    vx_tensor_release(w);
    return worst;
}

TEST(tensor_grad_finite_differences)
{
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        const Case *c = &cases[t].c;
        VxTensor *x[MAXIN] = {0};
        for (int i = 0; i < c->nin; i++) x[i] = make_input(c, i, 100 + t * 7 + (uint64_t)i);
        double err = grad_error(cases[t].k, c, x);
        if (!(err < 1e-4)) printf("  %s: relative gradient error %g %s\n", c->name, err, vx_tensor_last_error());
        for (int i = 0; i < c->nin; i++) vx_tensor_release(x[i]);
        CHECK(err < 1e-4);
    }
    CHECK(vx_tensor_live_tensors() == 0);
}

/* The harness must be able to fail: exp with the identity's backward. */
TEST(tensor_grad_checker_catches_wrong_backward)
{
    Case c = { "wrong", 1, { { 3, 5 } }, { 2 }, false, true };
    VxTensor *x = make_input(&c, 0, 5);
    double bad = grad_error(50, &c, &x);
    vx_zero_grad(x);
    double good = grad_error(10 + VX_OP_EXP, &c, &x);
    vx_tensor_release(x);
    CHECK(bad > 1e-2 && good < 1e-4);
    CHECK(vx_tensor_live_tensors() == 0);
}

TEST(tensor_graph_bookkeeping)
{
    VxTensor *x = vx_randn((int64_t[]){ 4 }, 1, VX_F64, 3);
    vx_tensor_set_requires_grad(x, true);
    VxTensor *g0 = vx_tensor_grad(x), *s;
    double v;
    vx_tensor_item_f64((s = vx_sum(g0, NULL, 0, false)), &v);
    CHECK(v == 0 && g0->shape[0] == 4);                          /* zeros before any backward */
    vx_tensor_release(s);
    VxTensor *y = vx_sum(x, NULL, 0, false);
    CHECK(vx_backward(y, NULL) == 0);
    CHECK(vx_backward(y, NULL) < 0 && strstr(vx_tensor_last_error(), "second time"));
    VxTensor *y2 = vx_sum(x, NULL, 0, false);
    CHECK(vx_backward(y2, NULL) == 0);                            /* accumulates into the same grad */
    CHECK(vx_tensor_get_f64(g0, (int64_t[]){ 2 }, &v) == 0 && v == 2);
    vx_no_grad_push();
    VxTensor *z = vx_mul(x, x);
    vx_no_grad_pop();
    CHECK(!z->requires_grad && z->grad_fn == NULL);
    VxTensor *d = vx_detach(x);
    CHECK(!d->requires_grad && d->storage == x->storage);
    CHECK(vx_zero_grad(x) == 0 && vx_tensor_get_f64(g0, (int64_t[]){ 2 }, &v) == 0 && v == 0);
    VxTensor *f = vx_to(x, VX_F32), *fs = vx_sum(f, NULL, 0, false);     /* ToCopyBackward0 */
    CHECK(vx_backward(fs, NULL) == 0 && vx_tensor_get_f64(g0, (int64_t[]){ 1 }, &v) == 0 && v == 1);
    CHECK(strcmp(vx_tensor_grad_fn_name(f), "ToCopyBackward0") == 0);
    vx_tensor_release(fs);
    vx_tensor_release(f);
    /* a long chain is built and freed without deep recursion */
    VxTensor *c = vx_tensor_retain(x);
    for (int i = 0; i < 100000; i++) { VxTensor *n = vx_mul_s(c, 1.0); vx_tensor_release(c); c = n; }
    VxTensor *cs = vx_sum(c, NULL, 0, false);
    CHECK(vx_backward(cs, NULL) == 0);
    VxTensor *all[] = { cs, c, d, z, y2, y, g0, x };
    for (int i = 0; i < 8; i++) vx_tensor_release(all[i]);
    VxMemStats st;
    vx_tensor_mem_stats(&st);
    CHECK(st.live_tensors == 0 && st.live_storages == 0 && st.live_nodes == 0 && st.live_bytes == 0);
}
