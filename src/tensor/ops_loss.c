/* ops_loss.c - cross_entropy / nll_loss (one fused kernel pair over class
 * rows) and mse_loss (composed).  The class kernels produce one loss per
 * target; the sum / mean reductions are then ordinary differentiable ops,
 * so the fused node only ever backpropagates per-target gradients. */
#include <string.h>

#include "nn_internal.h"

/* The classes of x moved last, so each row is one target's scores:
 * [N, C, d...] -> [N, d..., C]; [C] stays. */
static VxTensor *class_rows(const VxTensor *x) { return vx__nn_movedim_last(x, x->ndim == 1 ? 0 : 1); }

static VxTensor *class_loss_backward(VxNode *n, VxTensor *g, int i)
{
    (void)i;                                  /* only x requires grad */
    VxTensor *x = n->inputs[0], *t = n->inputs[1];
    const VxNNBackend *b = VX_NN_GET(x, class_loss_backward);
    VxTensor *dx = b ? vx__nn_new_like(x) : NULL;
    VxTensor *xr = dx ? class_rows(x) : NULL, *dr = xr ? class_rows(dx) : NULL;
    int rc = dr ? b->class_loss_backward(dr, g, xr, t, (int64_t)n->p[0], n->p[1], n->ip[0]) : -1;
    vx_tensor_release(dr);
    vx_tensor_release(xr);
    if (rc < 0) { vx_tensor_release(dx); return NULL; }
    return dx;
}

/* targets must be x's shape without the class dim (dim 1, or dim 0 of a 1-D x). */
static int check_targets(const VxTensor *x, const VxTensor *t, const char *op)
{
    int cd = x->ndim == 1 ? 0 : 1;
    bool ok = x->ndim >= 1 && t->ndim == x->ndim - 1;
    for (int i = 0, j = 0; ok && i < x->ndim; i++)
        if (i != cd) ok = x->shape[i] == t->shape[j++];
    if (!ok) {
        vx_tensor_set_error("%s: targets %s do not match input %s (expected the input's shape "
                            "without its class dimension %d)", op, VX_TNAME(t), VX_TNAME(x), cd);
        return -1;
    }
    if (t->dtype != VX_I64 && t->dtype != VX_I32 && t->dtype != VX_U8) {
        vx_tensor_set_error("%s: targets must be class indices (i64, i32 or u8), got %s", op, VX_TNAME(t));
        return -1;
    }
    return 0;
}

static int check_reduction(int reduction, const char *op)
{
    if (reduction >= VX_REDUCTION_NONE && reduction <= VX_REDUCTION_SUM) return 0;
    vx_tensor_set_error("%s: reduction %d is not one of 0 (none), 1 (mean), 2 (sum)", op, reduction);
    return -1;
}

/* Consumes per (one loss per element); count: the mean's divisor. */
static VxTensor *reduce_loss(VxTensor *per, int reduction, double count)
{
    if (!per || reduction == VX_REDUCTION_NONE) return per;
    VxTensor *s = vx_sum(per, NULL, 0, false);
    vx_tensor_release(per);
    if (!s || reduction == VX_REDUCTION_SUM) return s;
    VxTensor *m = vx_div_s(s, count);
    vx_tensor_release(s);
    return m;
}

static VxTensor *class_loss(VxTensor *x, VxTensor *t, int64_t ignore, double eps, int reduction,
                            bool log_probs, const char *op)
{
    if (!x || !t || vx__nn_float(x, op) < 0 || check_targets(x, t, op) < 0 || check_reduction(reduction, op) < 0)
        return NULL;
    if (!(eps >= 0 && eps <= 1)) {
        vx_tensor_set_error("%s: label_smoothing %g is not in [0, 1]", op, eps);
        return NULL;
    }
    const VxNNBackend *b = VX_NN_GET(x, class_loss);
    VxTensor *loss = b ? vx__new(t->shape, t->ndim, x->dtype, x->device) : NULL;
    VxTensor *xr = loss ? class_rows(x) : NULL;
    int64_t count = 0;
    int rc = xr ? b->class_loss(loss, &count, xr, t, ignore, eps, log_probs) : -1;
    vx_tensor_release(xr);
    if (rc < 0) {
        vx_tensor_release(loss);
        return NULL;
    }
    VxNode *n = vx__record(&loss, "NllLossBackward0", class_loss_backward, x, t, NULL);
    if (n) { n->p[0] = (double)ignore; n->p[1] = eps; n->ip[0] = log_probs; }
    return reduce_loss(loss, reduction, (double)count);
}

VxTensor *vx_cross_entropy(VxTensor *logits, VxTensor *targets, int64_t ignore_index,
                           double label_smoothing, int reduction)
{
    return class_loss(logits, targets, ignore_index, label_smoothing, reduction, false, "cross_entropy");
}

VxTensor *vx_nll_loss(VxTensor *logp, VxTensor *targets, int64_t ignore_index, int reduction)
{
    return class_loss(logp, targets, ignore_index, 0.0, reduction, true, "nll_loss");
}

VxTensor *vx_mse_loss(VxTensor *pred, VxTensor *target, int reduction)
{
    if (!pred || !target || vx__nn_float(pred, "mse_loss") < 0 || vx__nn_float(target, "mse_loss") < 0 ||
        check_reduction(reduction, "mse_loss") < 0)
        return NULL;
    VxTensor *d = vx_sub(pred, target);
    VxTensor *sq = d ? vx_mul(d, d) : NULL;
    vx_tensor_release(d);
    return reduce_loss(sq, reduction, sq ? (double)vx_tensor_numel(sq) : 1);
}
