/* test_tensor_nn.c - the neural-network ops (src/tensor/tensor_nn.h):
 * forward values against torch 1.13 (numbers recorded from it, on inputs
 * both sides generate as sin(a*i + b) * s) or against plain loops here,
 * and every backward against central finite differences in f64, on odd
 * sizes and non-contiguous views; plus error messages, f32 and leaks. */
#include <math.h>
#include <stdlib.h>

#include "../../src/tensor/tensor_nn.h"
#include "unit.h"

/* ---- helpers ------------------------------------------------------------ */

/* x[i] = sin(a * i + b) * s in row-major order (the torch scripts use the same). */
static VxTensor *gen(const int64_t *shape, int nd, double a, double b, double s, VxDtype dt)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= shape[i];
    double *v = malloc((size_t)(n ? n : 1) * sizeof *v);
    for (int64_t i = 0; i < n; i++) v[i] = sin(a * (double)i + b) * s;
    VxTensor *t = vx_tensor_from_f64(v, shape, nd, dt);
    free(v);
    return t;
}

static void unravel(const VxTensor *t, int64_t k, int64_t *idx)
{
    for (int d = t->ndim - 1; d >= 0; d--) { idx[d] = k % t->shape[d]; k /= t->shape[d]; }
}

static double at(const VxTensor *t, int64_t k)
{
    int64_t idx[VX_MAX_DIMS];
    double v = NAN;
    unravel(t, k, idx);
    vx_tensor_get_f64(t, idx, &v);
    return v;
}

static void set_at(VxTensor *t, int64_t k, double v)
{
    int64_t idx[VX_MAX_DIMS];
    unravel(t, k, idx);
    vx_tensor_set_f64(t, idx, v);
}

static bool near(double got, double want, double tol)
{
    if (isnan(want)) return isnan(got);
    return fabs(got - want) <= tol * (1 + fabs(want));
}

#define CHECK_NEAR(got, want, tol) do { double g_ = (got), w_ = (want);          \
        if (!near(g_, w_, tol)) { char m_[256];                                   \
            snprintf(m_, sizeof m_, "%s = %.12g, expected %.12g", #got, g_, w_);  \
            unit_fail(__FILE__, __LINE__, m_); return; } } while (0)

/* The first n elements of t (row-major) against want. */
static bool all_near(const VxTensor *t, const double *want, int64_t n, double tol)
{
    if (!t || vx_tensor_numel(t) < n) return false;     /* the first n */
    for (int64_t k = 0; k < n; k++)
        if (!near(at(t, k), want[k], tol)) {
            printf("  element %lld: %.12g, expected %.12g\n", (long long)k, at(t, k), want[k]);
            return false;
        }
    return true;
}

static double item(VxTensor *t)
{
    double v = NAN;
    if (t) vx_tensor_item_f64(t, &v);
    return v;
}

/* ---- finite-difference gradient check --------------------------------- */
typedef VxTensor *(*OpFn)(VxTensor *const *in, void *ctx);

/* L = sum(f(in) * R) with a fixed R; releases the output. */
static double proj_loss(OpFn f, void *ctx, VxTensor *const *in, VxTensor **keep_loss)
{
    VxTensor *out = f(in, ctx);
    if (!out) { printf("  op failed: %s\n", vx_tensor_last_error()); return NAN; }
    VxTensor *r = gen(out->shape, out->ndim, 0.77, 0.3, 1.0, out->dtype);
    VxTensor *m = vx_mul(out, r);
    VxTensor *l = vx_sum(m, NULL, 0, false);
    double v = item(l);
    vx_tensor_release(out); vx_tensor_release(r); vx_tensor_release(m);
    if (keep_loss) *keep_loss = l; else vx_tensor_release(l);
    return v;
}

/* Analytic gradients of every input that requires grad against central
 * differences (step 1e-6, f64). */
static bool gradcheck(OpFn f, void *ctx, VxTensor *const *in, int n, double tol)
{
    VxTensor *loss = NULL;
    for (int i = 0; i < n; i++) vx_zero_grad(in[i]);
    proj_loss(f, ctx, in, &loss);
    if (!loss || vx_backward(loss, NULL) < 0) {
        printf("  backward failed: %s\n", vx_tensor_last_error());
        vx_tensor_release(loss);
        return false;
    }
    vx_tensor_release(loss);
    bool ok = true;
    vx_no_grad_push();
    for (int i = 0; i < n && ok; i++) {
        if (!in[i]->requires_grad) continue;
        VxTensor *g = vx_tensor_grad(in[i]);
        for (int64_t k = 0; k < vx_tensor_numel(in[i]) && ok; k++) {
            double x0 = at(in[i], k), h = 1e-6;
            set_at(in[i], k, x0 + h);
            double lp = proj_loss(f, ctx, in, NULL);
            set_at(in[i], k, x0 - h);
            double lm = proj_loss(f, ctx, in, NULL);
            set_at(in[i], k, x0);
            double num = (lp - lm) / (2 * h), ana = at(g, k);
            if (!near(ana, num, tol)) {
                printf("  input %d element %lld: analytic %.10g, numeric %.10g\n", i, (long long)k, ana, num);
                ok = false;
            }
        }
        vx_tensor_release(g);
    }
    vx_no_grad_pop();
    return ok;
}

static VxTensor *leaf(const int64_t *shape, int nd, double a, double b, VxDtype dt)
{
    VxTensor *t = gen(shape, nd, a, b, 1.5, dt);
    vx_tensor_set_requires_grad(t, true);
    return t;
}

static void release_n(VxTensor **ts, int n) { for (int i = 0; i < n; i++) vx_tensor_release(ts[i]); }

#define LEAK_START int64_t live0_ = vx_tensor_live_tensors()
#define LEAK_END CHECK(vx_tensor_live_tensors() == live0_)

/* ---- softmax ---------------------------------------------------------------- */

TEST(nn_softmax_matches_torch)
{
    LEAK_START;
    int64_t s[] = {3, 5};
    for (int dt = 0; dt < 2; dt++) {
        VxDtype d = dt ? VX_F32 : VX_F64;
        double tol = dt ? 1e-6 : 1e-12;
        VxTensor *x = gen(s, 2, 0.37, 0.11, 2.0, d);
        VxTensor *y = vx_softmax(x, 1), *row = vx_select(y, 0, 0);
        const double want[] = {0.05614267847812883, 0.11351080491666234, 0.20253252462708607,
                               0.2948711235165861, 0.33294286846153665};
        CHECK(all_near(row, want, 5, tol));
        VxTensor *ly = vx_log_softmax(x, -2), *col = vx_select(ly, 1, 2);
        const double want2[] = {-0.44090830680173393, -1.088709356614659, -3.9171568340887926};
        CHECK(all_near(col, want2, 3, tol));
        VxTensor *ts[] = {x, y, row, ly, col};
        release_n(ts, 5);
    }
    /* max-subtracted: no overflow at 1000 */
    double big[] = {1000, 1001, 1002};
    int64_t s3[] = {3};
    VxTensor *b = vx_tensor_from_f64(big, s3, 1, VX_F32), *p = vx_softmax(b, 0), *lp = vx_log_softmax(b, 0);
    const double wp[] = {0.09003057317038046, 0.24472847105479764, 0.6652409557748219};
    const double wl[] = {-2.4076059644443806, -1.4076059644443806, -0.4076059644443806};
    CHECK(all_near(p, wp, 3, 1e-6) && all_near(lp, wl, 3, 1e-6));
    VxTensor *ts[] = {b, p, lp};
    release_n(ts, 3);
    LEAK_END;
}

typedef struct SoftCtx { int dim; bool log; } SoftCtx;

/* Transposed input (dims 0 and 2 swapped) so the kernel sees strides. */
static VxTensor *softmax_fn(VxTensor *const *in, void *ctx)
{
    SoftCtx *c = ctx;
    VxTensor *t = vx_transpose(in[0], 0, 2);
    VxTensor *y = c->log ? vx_log_softmax(t, c->dim) : vx_softmax(t, c->dim);
    vx_tensor_release(t);
    return y;
}

TEST(nn_softmax_backward_finite_differences)
{
    LEAK_START;
    int64_t s[] = {3, 5, 7};
    VxTensor *x = leaf(s, 3, 0.53, 0.2, VX_F64);
    for (int dim = -1; dim < 3; dim++)
        for (int lg = 0; lg < 2; lg++) {
            SoftCtx c = { dim, lg };
            CHECK(gradcheck(softmax_fn, &c, &x, 1, 1e-6));
        }
    VxTensor *y = vx_softmax(x, 1);
    CHECK_STR(vx_tensor_grad_fn_name(y), "SoftmaxBackward0");
    vx_tensor_release(y);
    vx_tensor_release(x);
    LEAK_END;
}

TEST(nn_softmax_errors)
{
    int64_t s[] = {2, 3};
    VxTensor *x = gen(s, 2, 1, 0, 1, VX_F32), *i = vx_zeros(s, 2, VX_I64);
    CHECK(vx_softmax(x, 2) == NULL);
    CHECK(strstr(vx_tensor_last_error(), "out of range") != NULL);
    CHECK(vx_log_softmax(i, 0) == NULL);
    CHECK_STR(vx_tensor_last_error(), "log_softmax expects a floating-point tensor, got Tensor<i64, [2, 3]>");
    vx_tensor_release(x);
    vx_tensor_release(i);
}

/* ---- layer norm / RMS norm ------------------------------------------------------ */

TEST(nn_layer_norm_matches_torch)
{
    LEAK_START;
    int64_t s[] = {2, 3, 4}, ns[] = {3, 4};
    for (int dt = 0; dt < 2; dt++) {
        VxDtype d = dt ? VX_F32 : VX_F64;
        double tol = dt ? 2e-6 : 1e-12;
        VxTensor *x = gen(s, 3, 0.37, 0.11, 2.0, d);
        VxTensor *w = gen(ns, 2, 0.5, 0.2, 1.0, d), *b = gen(ns, 2, 0.3, 0.7, 0.5, d);
        VxTensor *y = vx_layer_norm(x, ns, 2, w, b, 1e-5);
        const double want[] = {0.2583710202951664, 0.5905858815480449, 1.1755461217526284,
                               1.547199704936874, 1.4086067046198687, 0.8457985930374016};
        CHECK(all_near(y, want, 6, tol));
        CHECK_NEAR(at(y, 23), -0.8220009117055669, tol);
        /* RMS norm over the last dim with weight w[0] */
        VxTensor *w0 = vx_select(w, 0, 0);
        VxTensor *r = vx_rms_norm(x, ns + 1, 1, w0, 1e-6);
        const double want_r[] = {0.033737140744467105, 0.46018019945486444, 1.0831712559561613,
                                 1.4405800128267545, 0.24807367714872633, 0.7443952896226453};
        CHECK(all_near(r, want_r, 6, tol));
        VxTensor *ts[] = {x, w, b, y, w0, r};
        release_n(ts, 6);
    }
    LEAK_END;
}

typedef struct NormCtx { int k; bool rms, use_w, use_b; } NormCtx;

/* x [5, 3, 4] permuted to [3, 4, 5]: normalised over its last k dims,
 * whose strides cannot be merged when k == 2 (a copy is made). */
static VxTensor *norm_fn(VxTensor *const *in, void *ctx)
{
    NormCtx *c = ctx;
    int perm[] = {1, 2, 0};
    VxTensor *t = vx_permute(in[0], perm, 3);
    int64_t ns[] = {4, 5};
    VxTensor *w = c->use_w ? in[1] : NULL, *b = c->use_b ? in[2] : NULL;
    VxTensor *y = c->rms ? vx_rms_norm(t, ns + 2 - c->k, c->k, w, 1e-5)
                         : vx_layer_norm(t, ns + 2 - c->k, c->k, w, b, 1e-5);
    vx_tensor_release(t);
    return y;
}

TEST(nn_norm_backward_finite_differences)
{
    LEAK_START;
    int64_t s[] = {5, 3, 4}, ns[] = {4, 5};
    for (int k = 1; k <= 2; k++)
        for (int mode = 0; mode < 5; mode++) {
            /* layer norm: w+b, w only, b only, neither; rms with weight */
            NormCtx c = { k, mode == 4, mode == 0 || mode == 1 || mode == 4, mode == 0 || mode == 2 };
            VxTensor *in[3] = { leaf(s, 3, 0.53, 0.2, VX_F64), leaf(ns + 2 - k, k, 0.7, 0.1, VX_F64),
                                leaf(ns + 2 - k, k, 0.3, 0.9, VX_F64) };
            if (!c.use_w) vx_tensor_set_requires_grad(in[1], false);
            if (!c.use_b) vx_tensor_set_requires_grad(in[2], false);
            CHECK(gradcheck(norm_fn, &c, in, 3, 1e-6));
            release_n(in, 3);
        }
    LEAK_END;
}

TEST(nn_norm_errors)
{
    int64_t s[] = {2, 3}, bad[] = {2}, ns[] = {3};
    VxTensor *x = gen(s, 2, 1, 0, 1, VX_F32), *w = gen(bad, 1, 1, 0, 1, VX_F32);
    CHECK(vx_layer_norm(x, bad, 1, NULL, NULL, 1e-5) == NULL);
    CHECK_STR(vx_tensor_last_error(), "layer_norm: normalized_shape [2] must be the last dimensions of Tensor<f32, [2, 3]>");
    CHECK(vx_rms_norm(x, ns, 1, w, 1e-5) == NULL);
    CHECK_STR(vx_tensor_last_error(), "rms_norm: weight is Tensor<f32, [2]> but normalized_shape is [3]");
    vx_tensor_release(x);
    vx_tensor_release(w);
}

/* ---- embedding ---------------------------------------------------------------------- */

TEST(nn_embedding_gathers_and_scatters)
{
    LEAK_START;
    int64_t ws[] = {5, 3}, is[] = {2, 2};
    VxTensor *w = leaf(ws, 2, 0.3, 0.1, VX_F32);
    const double iv[] = {4, 1, 1, 0};
    VxTensor *idx = vx_tensor_from_f64(iv, is, 2, VX_I64);
    VxTensor *y = vx_embedding(w, idx);
    CHECK(y && y->ndim == 3 && y->shape[0] == 2 && y->shape[1] == 2 && y->shape[2] == 3);
    for (int p = 0; p < 4; p++)
        for (int j = 0; j < 3; j++) CHECK_NEAR(at(y, p * 3 + j), at(w, (int64_t)iv[p] * 3 + j), 0);
    CHECK_STR(vx_tensor_grad_fn_name(y), "EmbeddingBackward0");
    VxTensor *s = vx_sum(y, NULL, 0, false);
    CHECK(vx_backward(s, NULL) == 0);
    VxTensor *g = vx_tensor_grad(w);
    const double counts[] = {1, 2, 0, 0, 1};                 /* index 1 is used twice */
    for (int r = 0; r < 5; r++)
        for (int j = 0; j < 3; j++) CHECK_NEAR(at(g, r * 3 + j), counts[r], 0);
    const double oob[] = {2, 5};
    int64_t os[] = {2};
    VxTensor *bad = vx_tensor_from_f64(oob, os, 1, VX_I32);
    CHECK(vx_embedding(w, bad) == NULL);
    CHECK_STR(vx_tensor_last_error(), "embedding: index 5 is out of range for a weight of 5 rows (valid indices are 0 .. 4)");
    VxTensor *ts[] = {w, idx, y, s, g, bad};
    release_n(ts, 6);
    LEAK_END;
}

/* The weight is used through a transposed view of a [D, V] leaf. */
static VxTensor *embedding_fn(VxTensor *const *in, void *ctx)
{
    VxTensor *wt = vx_transpose(in[0], 0, 1), *y = vx_embedding(wt, ctx);
    vx_tensor_release(wt);
    return y;
}

TEST(nn_embedding_backward_finite_differences)
{
    LEAK_START;
    int64_t ws[] = {3, 7}, is[] = {3, 2};
    VxTensor *w = leaf(ws, 2, 0.3, 0.1, VX_F64);
    const double iv[] = {6, 0, 3, 6, 6, 2};
    VxTensor *idx = vx_tensor_from_f64(iv, is, 2, VX_I64), *idx_t = vx_transpose(idx, 0, 1);
    CHECK(gradcheck(embedding_fn, idx_t, &w, 1, 1e-6));
    VxTensor *ts[] = {w, idx, idx_t};
    release_n(ts, 3);
    LEAK_END;
}

/* ---- losses ---------------------------------------------------------------------------- */

TEST(nn_cross_entropy_matches_torch)
{
    LEAK_START;
    int64_t s[] = {4, 5}, ts[] = {4};
    const double tv[] = {1, 0, 4, -100};
    const double want[2][3] = { {1.540449544675117, 4.621348634025351, 0},       /* mean, sum: eps 0 */
                                {1.5914713434258247, 4.774414030277474, 0} };    /*            eps 0.2 */
    const double none[2][4] = { {2.1758572490880415, 0.8366727891055787, 1.6088185958317305, 0.0},
                                {2.09962869106685, 1.0583166784437186, 1.6164686607669054, 0.0} };
    for (int dt = 0; dt < 2; dt++) {
        double tol = dt ? 2e-6 : 1e-12;
        VxTensor *x = gen(s, 2, 0.37, 0.11, 2.0, dt ? VX_F32 : VX_F64);
        VxTensor *t = vx_tensor_from_f64(tv, ts, 1, VX_I64);
        for (int e = 0; e < 2; e++) {
            double eps = e ? 0.2 : 0.0;
            VxTensor *m = vx_cross_entropy(x, t, -100, eps, VX_REDUCTION_MEAN);
            VxTensor *su = vx_cross_entropy(x, t, -100, eps, VX_REDUCTION_SUM);
            VxTensor *no = vx_cross_entropy(x, t, -100, eps, VX_REDUCTION_NONE);
            CHECK_NEAR(item(m), want[e][0], tol);
            CHECK_NEAR(item(su), want[e][1], tol);
            CHECK(no && no->ndim == 1 && all_near(no, none[e], 4, tol));
            VxTensor *r[] = {m, su, no};
            release_n(r, 3);
        }
        VxTensor *r[] = {x, t};
        release_n(r, 2);
    }
    /* [N, C, d] with smoothing, [C] with a 0-dim target, all ignored -> NaN */
    int64_t s3[] = {2, 3, 4}, t3s[] = {2, 4}, s1[] = {5}, s2[] = {2, 3};
    const double t3v[] = {0, 2, 1, 2, 1, 1, -100, 0}, ign[] = {-100, -100};
    VxTensor *x3 = gen(s3, 3, 0.37, 0.11, 2.0, VX_F64), *t3 = vx_tensor_from_f64(t3v, t3s, 2, VX_I64);
    VxTensor *l3 = vx_cross_entropy(x3, t3, -100, 0.1, VX_REDUCTION_MEAN);
    CHECK_NEAR(item(l3), 2.4112755945869044, 1e-12);
    VxTensor *x1 = gen(s1, 1, 0.37, 0.11, 2.0, VX_F64), *t1 = vx_scalar(3, VX_I64);
    VxTensor *l1 = vx_cross_entropy(x1, t1, -100, 0, VX_REDUCTION_MEAN);
    CHECK_NEAR(item(l1), 1.2212168875328722, 1e-12);
    VxTensor *x2 = gen(s2, 2, 0.37, 0.11, 2.0, VX_F64), *t2 = vx_tensor_from_f64(ign, s2, 1, VX_I64);
    VxTensor *l2 = vx_cross_entropy(x2, t2, -100, 0, VX_REDUCTION_MEAN);
    CHECK(isnan(item(l2)));
    VxTensor *r[] = {x3, t3, l3, x1, t1, l1, x2, t2, l2};
    release_n(r, 9);
    LEAK_END;
}

TEST(nn_cross_entropy_gradient_matches_torch)
{
    LEAK_START;
    int64_t s[] = {4, 5}, ts[] = {4};
    const double tv[] = {1, 0, 4, -100};
    VxTensor *x = gen(s, 2, 0.37, 0.11, 2.0, VX_F64), *t = vx_tensor_from_f64(tv, ts, 1, VX_I64);
    vx_tensor_set_requires_grad(x, true);
    VxTensor *l = vx_cross_entropy(x, t, -100, 0.2, VX_REDUCTION_MEAN);
    CHECK(vx_backward(l, NULL) == 0);
    VxTensor *g = vx_tensor_grad(x);
    const double want[] = {0.005380892826042938, -0.2421630650277792, 0.05417750820902868,
                           0.08495704117219537, 0.0976476228205122};
    CHECK(all_near(g, want, 5, 1e-12));
    for (int c = 0; c < 5; c++) CHECK_NEAR(at(g, 15 + c), 0, 0);     /* the ignored row */
    VxTensor *r[] = {x, t, l, g};
    release_n(r, 4);
    LEAK_END;
}

typedef struct LossCtx { VxTensor *t; int kind, reduction; double eps; } LossCtx;

/* kind 0: cross_entropy on [N, C, d] given as a transposed [N, d, C] leaf;
 * kind 1: nll_loss of log_softmax; kind 2: mse_loss (two inputs, sliced). */
static VxTensor *loss_fn(VxTensor *const *in, void *ctx)
{
    LossCtx *c = ctx;
    if (c->kind == 2) {
        VxTensor *p = vx_slice(in[0], 1, 0, 5, 2), *y = vx_mse_loss(p, in[1], c->reduction);
        vx_tensor_release(p);
        return y;
    }
    VxTensor *x = vx_transpose(in[0], 1, 2);
    VxTensor *lp = c->kind == 1 ? vx_log_softmax(x, 1) : NULL;
    VxTensor *y = c->kind == 1 ? vx_nll_loss(lp, c->t, 2, c->reduction)
                               : vx_cross_entropy(x, c->t, 2, c->eps, c->reduction);
    vx_tensor_release(lp);
    vx_tensor_release(x);
    return y;
}

TEST(nn_loss_backward_finite_differences)
{
    LEAK_START;
    int64_t s[] = {3, 2, 5}, ts[] = {3, 2};
    const double tv[] = {0, 2, 4, 1, 2, 3};           /* class 2 is the ignore_index here */
    VxTensor *x = leaf(s, 3, 0.41, 0.3, VX_F64), *t = vx_tensor_from_f64(tv, ts, 2, VX_I32);
    for (int kind = 0; kind < 2; kind++)
        for (int red = 0; red < 3; red++)
            for (int e = 0; e < 2; e++) {
                LossCtx c = { t, kind, red, e ? 0.3 : 0.0 };
                CHECK(gradcheck(loss_fn, &c, &x, 1, 1e-6));
            }
    int64_t ps[] = {4, 5}, qs[] = {4, 3};
    VxTensor *mse_in[2] = { leaf(ps, 2, 0.3, 0.2, VX_F64), leaf(qs, 2, 0.6, 0.1, VX_F64) };
    for (int red = 0; red < 3; red++) {
        LossCtx c = { NULL, 2, red, 0 };
        CHECK(gradcheck(loss_fn, &c, mse_in, 2, 1e-6));
    }
    VxTensor *r[] = {x, t, mse_in[0], mse_in[1]};
    release_n(r, 4);
    LEAK_END;
}

TEST(nn_nll_and_mse_match_torch)
{
    LEAK_START;
    int64_t s[] = {4, 5}, ts[] = {4}, ms[] = {3, 4};
    const double tv[] = {1, 0, 4, -100};
    VxTensor *x = gen(s, 2, 0.37, 0.11, 2.0, VX_F64), *t = vx_tensor_from_f64(tv, ts, 1, VX_I64);
    VxTensor *lp = vx_log_softmax(x, 1), *nll = vx_nll_loss(lp, t, -100, VX_REDUCTION_MEAN);
    CHECK_NEAR(item(nll), 1.540449544675117, 1e-12);
    VxTensor *a = gen(ms, 2, 0.37, 0.11, 2.0, VX_F64), *b = gen(ms, 2, 0.9, 0.1, 1.0, VX_F64);
    VxTensor *mse = vx_mse_loss(a, b, VX_REDUCTION_MEAN);
    CHECK_NEAR(item(mse), 2.420899143557131, 1e-12);
    VxTensor *r[] = {x, t, lp, nll, a, b, mse};
    release_n(r, 7);
    LEAK_END;
}

TEST(nn_loss_errors)
{
    int64_t s[] = {2, 3}, ts[] = {2}, bs[] = {3};
    const double tv[] = {1, 3};
    VxTensor *x = gen(s, 2, 1, 0, 1, VX_F32), *t = vx_tensor_from_f64(tv, ts, 1, VX_I64);
    VxTensor *bad = vx_zeros(bs, 1, VX_I64), *ft = vx_zeros(ts, 1, VX_F32);
    CHECK(vx_cross_entropy(x, t, -100, 0, VX_REDUCTION_MEAN) == NULL);
    CHECK_STR(vx_tensor_last_error(), "class target 3 is out of bounds for 3 classes (valid targets are 0 .. 2, or the ignore_index -100)");
    CHECK(vx_cross_entropy(x, bad, -100, 0, VX_REDUCTION_MEAN) == NULL);
    CHECK_STR(vx_tensor_last_error(), "cross_entropy: targets Tensor<i64, [3]> do not match input Tensor<f32, [2, 3]> "
              "(expected the input's shape without its class dimension 1)");
    CHECK(vx_cross_entropy(x, ft, -100, 0, VX_REDUCTION_MEAN) == NULL);
    CHECK(strstr(vx_tensor_last_error(), "class indices") != NULL);
    CHECK(vx_cross_entropy(x, t, -100, 1.5, VX_REDUCTION_MEAN) == NULL);
    CHECK_STR(vx_tensor_last_error(), "cross_entropy: label_smoothing 1.5 is not in [0, 1]");
    CHECK(vx_mse_loss(x, x, 7) == NULL);
    CHECK_STR(vx_tensor_last_error(), "mse_loss: reduction 7 is not one of 0 (none), 1 (mean), 2 (sum)");
    VxTensor *r[] = {x, t, bad, ft};
    release_n(r, 4);
}

/* ---- dropout ----------------------------------------------------------------------------- */

TEST(nn_dropout_is_seeded_scaled_and_masks_gradients)
{
    LEAK_START;
    int64_t s[] = {100, 101};
    VxTensor *x = vx_ones(s, 2, VX_F32);
    vx_tensor_set_requires_grad(x, true);
    VxTensor *y = vx_dropout(x, 0.25, true, 7), *y2 = vx_dropout(x, 0.25, true, 7);
    CHECK(y && y2);
    int64_t n = vx_tensor_numel(y), kept = 0;
    bool same = true, values_ok = true;
    for (int64_t k = 0; k < n; k++) {
        double v = at(y, k);
        kept += v != 0;
        same &= v == at(y2, k);
        values_ok &= v == 0 || fabs(v - 1 / 0.75) < 1e-6;
    }
    CHECK(same && values_ok);
    CHECK(fabs((double)kept / (double)n - 0.75) < 0.02);      /* 10100 draws: sd 0.0043 */
    CHECK_STR(vx_tensor_grad_fn_name(y), "NativeDropoutBackward0");
    VxTensor *sy = vx_sum(y, NULL, 0, false);
    CHECK(vx_backward(sy, NULL) == 0);
    VxTensor *g = vx_tensor_grad(x);
    for (int64_t k = 0; k < n; k++) CHECK(at(g, k) == at(y, k));   /* x = 1: dy/dx = mask = y */
    VxTensor *y0 = vx_dropout(x, 0, true, 1), *ye = vx_dropout(x, 0.5, false, 1), *y1 = vx_dropout(x, 1, true, 1);
    CHECK(y0 == x && ye == x);
    for (int64_t k = 0; k < n; k++) CHECK(at(y1, k) == 0);
    CHECK(vx_dropout(x, 1.5, true, 1) == NULL);
    CHECK_STR(vx_tensor_last_error(), "dropout: probability 1.5 is not in [0, 1]");
    VxTensor *r[] = {x, y, y2, sy, g, y0, ye, y1};
    release_n(r, 8);
    LEAK_END;
}

/* ---- attention ---------------------------------------------------------------------------- */

/* Plain-loop reference: one batch b of q [B, Tq, D], k [B, Tk, D], v [B, Tk, Dv]. */
static double ref_attention(const VxTensor *q, const VxTensor *k, const VxTensor *v, int64_t b,
                            int64_t i, int64_t c, bool causal, double scale)
{
    int64_t tq = q->shape[1], tk = k->shape[1], d = q->shape[2], dv = v->shape[2];
    double s[64], mx = -INFINITY, z = 0, out = 0;
    for (int64_t j = 0; j < tk; j++) {
        double dot = 0;
        for (int64_t e = 0; e < d; e++) dot += at(q, (b * tq + i) * d + e) * at(k, (b * tk + j) * d + e);
        s[j] = causal && j > i ? -INFINITY : dot * scale;
        mx = s[j] > mx ? s[j] : mx;
    }
    for (int64_t j = 0; j < tk; j++) z += exp(s[j] - mx);
    for (int64_t j = 0; j < tk; j++) out += exp(s[j] - mx) / z * at(v, (b * tk + j) * dv + c);
    return out;
}

TEST(nn_attention_matches_torch_and_loops)
{
    LEAK_START;
    int64_t qs[] = {2, 3, 4}, ks[] = {2, 5, 4}, vs[] = {2, 5, 3}, qcs[] = {2, 5, 4};
    VxTensor *q = gen(qs, 3, 0.31, 0.2, 1.0, VX_F64), *k = gen(ks, 3, 0.23, 0.5, 1.0, VX_F64);
    VxTensor *v = gen(vs, 3, 0.41, 0.9, 1.0, VX_F64), *qc = gen(qcs, 3, 0.31, 0.2, 1.0, VX_F64);
    VxTensor *o = vx_scaled_dot_product_attention(q, k, v, false, 0);
    const double want[] = {0.4471234536642234, 0.34955034948785435, 0.1940363546120425,
                           0.532066732153303, 0.39347780290504214};
    CHECK(o && o->shape[1] == 3 && o->shape[2] == 3 && all_near(o, want, 5, 1e-12));
    VxTensor *oc = vx_scaled_dot_product_attention(qc, k, v, true, 0);
    const double want_c[] = {0.7833269096274834, 0.966184951612734, 0.9888897660047015,
                             0.8226094311558616, 0.7218684633855073};
    CHECK(all_near(oc, want_c, 5, 1e-12));
    /* causal with Tq = 3 < Tk = 5 and an explicit scale, against the loops */
    VxTensor *o3 = vx_scaled_dot_product_attention(q, k, v, true, 0.7);
    for (int64_t b = 0; b < 2; b++)
        for (int64_t i = 0; i < 3; i++)
            for (int64_t c = 0; c < 3; c++)
                CHECK_NEAR(at(o3, (b * 3 + i) * 3 + c), ref_attention(q, k, v, b, i, c, true, 0.7), 1e-12);
    VxTensor *bad = vx_scaled_dot_product_attention(q, v, v, false, 0);
    CHECK(bad == NULL);
    CHECK(strstr(vx_tensor_last_error(), "must share D") != NULL);
    VxTensor *r[] = {q, k, v, qc, o, oc, o3};
    release_n(r, 7);
    LEAK_END;
}

/* q [2, 3, 5, 4] (batch, heads), k a transposed [2, 1, 4, 6] leaf (one head,
 * broadcast), v [2, 3, 6, 3]; ctx says causal. */
static VxTensor *attention_fn(VxTensor *const *in, void *ctx)
{
    VxTensor *k = vx_transpose(in[1], 2, 3);
    VxTensor *o = vx_scaled_dot_product_attention(in[0], k, in[2], *(bool *)ctx, 0);
    vx_tensor_release(k);
    return o;
}

TEST(nn_attention_backward_finite_differences)
{
    LEAK_START;
    int64_t qs[] = {2, 3, 5, 4}, ks[] = {2, 1, 4, 6}, vs[] = {2, 3, 6, 3};
    VxTensor *in[3] = { leaf(qs, 4, 0.31, 0.2, VX_F64), leaf(ks, 4, 0.23, 0.5, VX_F64),
                        leaf(vs, 4, 0.41, 0.9, VX_F64) };
    for (int c = 0; c < 2; c++) {
        bool causal = c;
        CHECK(gradcheck(attention_fn, &causal, in, 3, 1e-6));
    }
    release_n(in, 3);
    LEAK_END;
}

/* ---- gradient checkpointing ---------------------------------------------------------- */

/* A segment of four layers h = tanh(h @ W): inputs {h, W}. */
static VxTensor *mlp_segment(VxTensor *const *in, int n, void *ctx)
{
    (void)n; (void)ctx;
    VxTensor *h = vx_tensor_retain(in[0]);
    for (int l = 0; l < 4 && h; l++) {
        VxTensor *m = vx_matmul(h, in[1]), *t = m ? vx_tanh(m) : NULL;
        vx_tensor_release(m);
        vx_tensor_release(h);
        h = t;
    }
    return h;
}

/* Eight segments, checkpointed or not; returns peak bytes of forward+backward. */
static int64_t run_mlp(VxTensor *x, VxTensor *w, bool ckpt)
{
    vx_zero_grad(x);
    vx_zero_grad(w);
    vx_tensor_reset_peak();
    VxTensor *h = vx_tensor_retain(x);
    for (int s = 0; s < 8 && h; s++) {
        VxTensor *in[2] = { h, w };
        VxTensor *next = ckpt ? vx_checkpoint(mlp_segment, NULL, in, 2) : mlp_segment(in, 2, NULL);
        vx_tensor_release(h);
        h = next;
    }
    VxTensor *l = h ? vx_sum(h, NULL, 0, false) : NULL;
    int rc = l ? vx_backward(l, NULL) : -1;
    vx_tensor_release(l);
    vx_tensor_release(h);
    VxMemStats st;
    vx_tensor_mem_stats(&st);
    return rc == 0 ? st.peak_bytes : -1;
}

TEST(nn_checkpoint_saves_memory_with_equal_gradients)
{
    LEAK_START;
    int64_t xs[] = {64, 96}, ws[] = {96, 96};
    VxTensor *x = leaf(xs, 2, 0.31, 0.2, VX_F64), *w = gen(ws, 2, 0.23, 0.5, 0.15, VX_F64);
    vx_tensor_set_requires_grad(w, true);
    int64_t plain = run_mlp(x, w, false);
    VxTensor *gx = vx_tensor_grad(x), *gw = vx_tensor_grad(w), *gx0 = vx_clone(gx), *gw0 = vx_clone(gw);
    int64_t ck = run_mlp(x, w, true);
    CHECK(plain > 0 && ck > 0);
    printf("  checkpoint peak bytes: plain %lld, checkpointed %lld\n", (long long)plain, (long long)ck);
    CHECK(ck * 2 < plain);                           /* at least half less */
    /* equal up to the order in which W's 32 contributions are summed */
    for (int64_t k = 0; k < vx_tensor_numel(gx); k++) CHECK_NEAR(at(gx, k), at(gx0, k), 1e-12);
    for (int64_t k = 0; k < vx_tensor_numel(gw); k++) CHECK_NEAR(at(gw, k), at(gw0, k), 1e-12);
    VxTensor *a = vx_ones(xs, 2, VX_F64);
    VxTensor *in[1] = { a };
    VxTensor *o = vx_checkpoint(mlp_segment, NULL, in, 0);
    CHECK(o == NULL);
    CHECK_STR(vx_tensor_last_error(), "checkpoint: needs a segment function and 1 to 3 inputs, got 0");
    VxTensor *r[] = {x, w, gx, gw, gx0, gw0, a};
    release_n(r, 7);
    LEAK_END;
}

static void count_drop(void *ctx) { (*(int *)ctx)++; }

/* vx_checkpoint_owned drops its context exactly once: at once when no
 * node is recorded, else when the node lets go (after backward, or with
 * an unused graph). */
TEST(nn_checkpoint_owned_drops_context_once)
{
    LEAK_START;
    int64_t xs[] = {3, 5}, ws[] = {5, 5};
    VxTensor *x = leaf(xs, 2, 0.31, 0.2, VX_F64), *w = leaf(ws, 2, 0.23, 0.5, VX_F64);
    VxTensor *in[2] = { x, w };
    int drops = 0;
    vx_tensor_set_requires_grad(x, false);
    vx_tensor_set_requires_grad(w, false);
    VxTensor *o = vx_checkpoint_owned(mlp_segment, &drops, count_drop, in, 2);
    CHECK(o != NULL && drops == 1);                    /* no input requires grad: no node */
    vx_tensor_release(o);
    vx_tensor_set_requires_grad(w, true);
    o = vx_checkpoint_owned(mlp_segment, &drops, count_drop, in, 2);
    VxTensor *l = o ? vx_sum(o, NULL, 0, false) : NULL;
    CHECK(l != NULL && drops == 1);
    CHECK(vx_backward(l, NULL) == 0);
    CHECK(drops == 2);                                 /* the node ran its backward */
    vx_tensor_release(l);
    vx_tensor_release(o);
    CHECK(drops == 2);
    o = vx_checkpoint_owned(mlp_segment, &drops, count_drop, in, 2);
    CHECK(drops == 2);
    vx_tensor_release(o);                              /* the graph goes unused */
    CHECK(drops == 3);
    CHECK(vx_checkpoint_owned(mlp_segment, &drops, count_drop, in, 0) == NULL && drops == 4);
    release_n(in, 2);
    LEAK_END;
}

static VxTensor *ckpt_fn(VxTensor *const *in, void *ctx)
{
    (void)ctx;
    VxTensor *t = vx_transpose(in[1], 0, 1);
    VxTensor *a[2] = { in[0], t };
    VxTensor *o = vx_checkpoint(mlp_segment, NULL, a, 2);
    vx_tensor_release(t);
    return o;
}

TEST(nn_checkpoint_backward_finite_differences)
{
    LEAK_START;
    int64_t xs[] = {3, 5}, ws[] = {5, 5};
    VxTensor *in[2] = { leaf(xs, 2, 0.31, 0.2, VX_F64), leaf(ws, 2, 0.23, 0.5, VX_F64) };
    CHECK(gradcheck(ckpt_fn, NULL, in, 2, 1e-6));
    release_n(in, 2);
    LEAK_END;
}

/* ---- half precision and allocation failure --------------------------------------------- */

TEST(nn_half_precision_close_to_f64)
{
    LEAK_START;
    int64_t s[] = {3, 7}, ns[] = {7};
    for (int h = 0; h < 2; h++) {
        VxTensor *x64 = gen(s, 2, 0.37, 0.11, 2.0, VX_F64), *xh = vx_to(x64, h ? VX_BF16 : VX_F16);
        VxTensor *xr = vx_to(xh, VX_F64);                    /* the rounded input, in f64 */
        VxTensor *a = vx_softmax(xh, 1), *b = vx_softmax(xr, 1);
        VxTensor *c = vx_layer_norm(xh, ns, 1, NULL, NULL, 1e-5), *d = vx_layer_norm(xr, ns, 1, NULL, NULL, 1e-5);
        CHECK(a && a->dtype == xh->dtype && c && c->dtype == xh->dtype);
        for (int64_t k = 0; k < 21; k++) {
            CHECK_NEAR(at(a, k), at(b, k), h ? 8e-3 : 1e-3);   /* one rounding on store */
            CHECK_NEAR(at(c, k), at(d, k), h ? 8e-3 : 1e-3);
        }
        VxTensor *r[] = {x64, xh, xr, a, b, c, d};
        release_n(r, 7);
    }
    LEAK_END;
}

/* One training-style step through every op family; 0 or -1. */
static int nn_step(void)
{
    int64_t ns[] = {4}, ts[] = {2, 3}, ws[] = {5, 4}, is[] = {2, 3};
    const double tv[] = {0, 3, 1, 2, 2, 1}, iv[] = {0, 4, 4, 1, 2, 3};
    VxTensor *w = gen(ws, 2, 0.3, 0.1, 1.0, VX_F32), *g = gen(ns, 1, 0.5, 0.2, 1.0, VX_F32);
    VxTensor *idx = vx_tensor_from_f64(iv, is, 2, VX_I64), *t = vx_tensor_from_f64(tv, ts, 2, VX_I64);
    int rc = w && g && idx && t ? 0 : -1;
    if (rc == 0) rc = vx_tensor_set_requires_grad(w, true) | vx_tensor_set_requires_grad(g, true);
    VxTensor *e = rc ? NULL : vx_embedding(w, idx);
    VxTensor *n = vx_layer_norm(e, ns, 1, g, NULL, 1e-5);
    VxTensor *a = n ? vx_scaled_dot_product_attention(n, n, n, true, 0) : NULL;
    VxTensor *dr = a ? vx_dropout(a, 0.1, true, 3) : NULL;
    VxTensor *tr = dr ? vx_transpose(dr, 1, 2) : NULL;         /* [N, C=4, d=3] */
    VxTensor *l = tr ? vx_cross_entropy(tr, t, -100, 0.1, VX_REDUCTION_MEAN) : NULL;
    rc = l ? vx_backward(l, NULL) : -1;
    VxTensor *r[] = {w, g, idx, t, e, n, a, dr, tr, l};
    release_n(r, 10);
    return rc;
}

TEST(nn_allocation_failures_are_clean)
{
    LEAK_START;
    CHECK(nn_step() == 0);
    int failures = 0;
    for (int64_t k = 1; k < 400; k++) {
        vx_tensor_fail_alloc_after(k);
        int rc = nn_step();
        vx_tensor_fail_alloc_after(0);
        if (rc == 0) break;                                    /* past the last allocation */
        CHECK(strstr(vx_tensor_last_error(), "out of memory") != NULL);
        CHECK(vx_tensor_live_tensors() == live0_);
        failures++;
    }
    CHECK(failures > 50);
    LEAK_END;
}
