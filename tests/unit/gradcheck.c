/* gradcheck.c - the finite-difference gradient checker (gradcheck.h). */
#include <math.h>

#include "gradcheck.h"

VxTensor *grad_leaf(const int64_t *shape, int ndim, bool positive, bool transposed, uint64_t seed)
{
    int64_t s[VX_MAX_DIMS];
    bool tr = transposed && ndim >= 2;
    for (int d = 0; d < ndim; d++) s[d] = shape[d];
    if (tr) { int64_t t = s[0]; s[0] = s[1]; s[1] = t; }
    VxTensor *base = positive ? vx_rand(s, ndim, VX_F64, seed) : vx_randn(s, ndim, VX_F64, seed);
    if (positive) { VxTensor *p = vx_add_s(base, 0.5); vx_tensor_release(base); base = p; }
    VxTensor *v = tr ? vx_transpose(base, 0, 1) : vx_tensor_retain(base), *leaf = vx_detach(v);
    vx_tensor_release(v);
    vx_tensor_release(base);
    vx_tensor_set_requires_grad(leaf, true);
    return leaf;
}

/* loss = sum(f(x) * w) for a fixed random w, so every output element
 * carries a different seed gradient. */
static double loss(GradFn f, int k, VxTensor **x, VxTensor **w, bool record)
{
    VxTensor *y = f(k, x);
    if (!y) return NAN;
    if (!*w) *w = vx_randn(y->shape, y->ndim, VX_F64, 99);
    VxTensor *yw = vx_mul(y, *w), *l = vx_sum(yw, NULL, 0, false);
    double v = NAN;
    vx_tensor_item_f64(l, &v);
    if (record && vx_backward(l, NULL) < 0) v = NAN;
    vx_tensor_release(y); vx_tensor_release(yw); vx_tensor_release(l);
    return v;
}

double grad_error(GradFn f, int k, VxTensor **x, int nin)
{
    VxTensor *w = NULL;
    if (!(loss(f, k, x, &w, true) == loss(f, k, x, &w, false))) { vx_tensor_release(w); return INFINITY; }
    double worst = 0;
    const double eps = 1e-6;
    vx_no_grad_push();
    for (int i = 0; i < nin; i++) {
        if (!x[i]->requires_grad) continue;
        VxTensor *g = vx_tensor_grad(x[i]);
        int64_t idx[VX_MAX_DIMS] = {0}, n = vx_tensor_numel(x[i]);
        for (int64_t e = 0; e < n; e++) {
            for (int64_t r = e, d = x[i]->ndim - 1; d >= 0; d--) { idx[d] = r % x[i]->shape[d]; r /= x[i]->shape[d]; }
            double v0, ga;
            vx_tensor_get_f64(x[i], idx, &v0);
            vx_tensor_set_f64(x[i], idx, v0 + eps);
            double lp = loss(f, k, x, &w, false);
            vx_tensor_set_f64(x[i], idx, v0 - eps);
            double lm = loss(f, k, x, &w, false);
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
