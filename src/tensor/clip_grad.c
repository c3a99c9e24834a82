/* clip_grad.c - gradient-norm clipping, as torch.nn.utils.clip_grad_norm_:
 * the norm of each gradient, the norm of those norms, then every gradient
 * scaled by min(1, max_norm / (total + 1e-6)).  Norms are summed in f64
 * and rounded to the gradient's dtype, as torch stores them in tensors of
 * that dtype; the coefficient is computed in the total's dtype.
 * Contiguous f32 gradients take vectorised loops (2-norm and scaling). */
#include <math.h>

#include "tensor_internal.h"
#include "tensor_optim.h"
#include "vectorise.h"

enum { LANES = 8 };

static double round_to(VxDtype d, double x)
{
    uint64_t cell;
    vx__store_f64(&cell, d, 0, x);
    return vx__load_f64(&cell, d, 0);
}

/* Accumulate |x| into acc for the p-norm (max for p = inf). */
static double norm_add(double acc, double x, double p)
{
    double a = fabs(x);
    if (isinf(p)) return isnan(a) || isnan(acc) ? NAN : fmax(acc, a);
    return acc + (p == 2 ? a * a : p == 1 ? a : pow(a, p));
}

static double norm_finish(double acc, double p)
{
    return isinf(p) || p == 1 ? acc : p == 2 ? sqrt(acc) : pow(acc, 1 / p);
}

/* The sum of squares of n floats in LANES f64 partial sums (each square
 * is exact in f64; the partial sums are what lets the loop vectorise). */
static double sum_squares_f32(const float *x, int64_t n)
{
    double acc[LANES] = { 0 }, s = 0;
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (int j = 0; j < LANES; j++) acc[j] += (double)x[i + j] * x[i + j];
    for (; i < n; i++) s += (double)x[i] * x[i];
    for (int j = 0; j < LANES; j++) s += acc[j];
    return s;
}

static bool contiguous_f32(const VxTensor *g) { return g->dtype == VX_F32 && vx_tensor_is_contiguous(g); }

static double tensor_norm(const VxTensor *g, double p)
{
    double acc = 0;
    if (vx_tensor_numel(g) == 0) return 0;
    if (p == 2 && contiguous_f32(g)) return sqrt(sum_squares_f32(vx_tensor_data(g), vx_tensor_numel(g)));
    VxIter it;
    vx__iter_init(&it, g, &g, 1);
    do acc = norm_add(acc, vx__load_f64(g->storage->data, g->dtype, it.off[0]), p);
    while (vx__iter_next(&it));
    return norm_finish(acc, p);
}

static void scale(VxTensor *g, double coef)
{
    if (vx_tensor_numel(g) == 0) return;
    if (contiguous_f32(g) && (double)(float)coef == coef) {
        /* a float times a float-valued coef rounded once: as in f64 then rounded */
        float *x = vx_tensor_data(g), c = (float)coef;
        for (int64_t i = 0, n = vx_tensor_numel(g); i < n; i++) x[i] *= c;
        return;
    }
    VxIter it;
    vx__iter_init(&it, g, (const VxTensor *const *)&g, 1);
    do {
        void *base = g->storage->data;
        vx__store_f64(base, g->dtype, it.off[0], vx__load_f64(base, g->dtype, it.off[0]) * coef);
    } while (vx__iter_next(&it));
}

int vx_clip_grad_norm(VxTensor *const *params, int n, double max_norm, double norm_type, double *total_norm)
{
    if (total_norm) *total_norm = 0;
    if (!(norm_type > 0)) { vx_tensor_set_error("clip_grad_norm: norm_type must be positive or INFINITY, not %g", norm_type); return -1; }
    if (!(max_norm >= 0)) { vx_tensor_set_error("clip_grad_norm: max_norm must be non-negative, not %g", max_norm); return -1; }
    if (n < 0 || (n && !params)) { vx_tensor_set_error("clip_grad_norm: no parameter list"); return -1; }
    double acc = 0;
    VxDtype td = VX_BOOL;
    bool any = false;
    for (int i = 0; i < n; i++) {
        const VxTensor *g = params[i] ? params[i]->grad : NULL;
        if (!g) continue;
        if (g->device != VX_DEV_CPU) { vx_tensor_set_error("clip_grad_norm: the gradient of parameter %d is not on the CPU", i); return -1; }
        td = any ? vx_dtype_promote(td, g->dtype) : g->dtype;
        acc = norm_add(acc, round_to(g->dtype, tensor_norm(g, norm_type)), norm_type);
        any = true;
    }
    if (!any) return 0;
    double total = round_to(td, norm_finish(acc, norm_type));
    /* max_norm / (total + 1e-6) is reciprocal(total + 1e-6) * max_norm in torch */
    double coef = round_to(td, round_to(td, 1 / round_to(td, total + round_to(td, 1e-6))) * round_to(td, max_norm));
    if (coef > 1) coef = 1;                  /* clamp(max=1.0); NaN stays NaN */
    for (int i = 0; i < n; i++)
        if (params[i] && params[i]->grad) scale(params[i]->grad, coef);
    if (total_norm) *total_norm = total;
    return 0;
}
