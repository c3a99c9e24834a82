/* ops_norm.c - layer_norm and rms_norm over the last k dims, fused.  The
 * forward saves mean and rstd per group ([2, rows] f64, node->saved);
 * the backward recomputes xhat from x and them.  Node inputs are x, then
 * weight and bias when given; ip[2] / ip[3] say which are present. */
#include <string.h>

#include "nn_internal.h"

enum { ROLE_X, ROLE_W, ROLE_B };

/* The role (x, weight, bias) of node input i. */
static int role_of(const VxNode *n, int i)
{
    if (i == 0) return ROLE_X;
    return i == 1 && n->ip[2] ? ROLE_W : ROLE_B;
}

static VxTensor *input_of(const VxNode *n, int role)
{
    if (role == ROLE_X) return n->inputs[0];
    if (role == ROLE_W) return n->ip[2] ? n->inputs[1] : NULL;
    return n->ip[3] ? n->inputs[1 + n->ip[2]] : NULL;
}

/* Runs the backward kernel for one of dx / dw / db, into out (input's shape). */
static VxTensor *norm_backward(VxNode *n, VxTensor *g, int i)
{
    int role = role_of(n, i), k = n->ip[0];
    VxTensor *x = n->inputs[0], *w = input_of(n, ROLE_W), *in = input_of(n, role);
    const VxNNBackend *b = VX_NN_GET(x, norm_backward);
    VxTensor *out = b ? vx__nn_new_like(in) : NULL;
    VxTensor *v[4] = {0};                                 /* x, g, w, out as rows */
    int rc = out ? 0 : -1;
    if (rc == 0) rc = (v[0] = vx__nn_flatten_tail(x, k)) && (v[1] = vx__nn_flatten_tail(g, k)) ? 0 : -1;
    if (rc == 0 && w) rc = (v[2] = vx__nn_flatten_tail(w, k)) ? 0 : -1;
    if (rc == 0) rc = (v[3] = vx__nn_flatten_tail(out, role == ROLE_X ? k : in->ndim)) ? 0 : -1;
    if (rc == 0)
        rc = b->norm_backward(role == ROLE_X ? v[3] : NULL, role == ROLE_W ? v[3] : NULL,
                              role == ROLE_B ? v[3] : NULL, v[1], v[0], v[2], n->saved, n->ip[1]);
    vx__nn_release_all(v, 4);
    if (rc < 0) { vx_tensor_release(out); return NULL; }
    return out;
}

/* weight / bias (may be NULL) must have exactly normalized_shape. */
static int check_param(const VxTensor *p, const int64_t *ns, int k, const char *op, const char *what)
{
    if (!p) return 0;
    char buf[200];
    if (vx__nn_float(p, op) < 0) return -1;
    if (p->ndim == k && !memcmp(p->shape, ns, (size_t)k * sizeof *ns)) return 0;
    vx_tensor_set_error("%s: %s is %s but normalized_shape is %s", op, what, VX_TNAME(p),
                        vx__shape_str(ns, k, buf, sizeof buf));
    return -1;
}

static int check_norm(const VxTensor *x, const int64_t *ns, int k, const VxTensor *w,
                      const VxTensor *b, const char *op)
{
    char buf[200];
    if (vx__nn_float(x, op) < 0) return -1;
    if (k < 1 || k > x->ndim || memcmp(x->shape + x->ndim - k, ns, (size_t)k * sizeof *ns)) {
        vx_tensor_set_error("%s: normalized_shape %s must be the last dimensions of %s", op,
                            k >= 1 && k <= VX_MAX_DIMS ? vx__shape_str(ns, k, buf, sizeof buf) : "[]",
                            VX_TNAME(x));
        return -1;
    }
    return check_param(w, ns, k, op, "weight") || check_param(b, ns, k, op, "bias") ? -1 : 0;
}

static VxTensor *norm_op(VxTensor *x, const int64_t *ns, int k, VxTensor *w, VxTensor *bias,
                         double eps, bool rms)
{
    const char *op = rms ? "rms_norm" : "layer_norm";
    if (!x || check_norm(x, ns, k, w, bias, op) < 0) return NULL;
    const VxNNBackend *be = VX_NN_GET(x, norm);
    int64_t rows = 1;
    for (int i = 0; i < x->ndim - k; i++) rows *= x->shape[i];
    int64_t sshape[2] = { 2, rows };
    VxTensor *y = be ? vx__nn_new_like(x) : NULL;
    VxTensor *stats = y ? vx__new(sshape, 2, VX_F64, x->device) : NULL;
    VxTensor *v[4] = {0};                                 /* y, x, w, b as rows */
    int rc = stats ? 0 : -1;
    if (rc == 0) rc = (v[0] = vx__nn_flatten_tail(y, k)) && (v[1] = vx__nn_flatten_tail(x, k)) ? 0 : -1;
    if (rc == 0 && w) rc = (v[2] = vx__nn_flatten_tail(w, k)) ? 0 : -1;
    if (rc == 0 && bias) rc = (v[3] = vx__nn_flatten_tail(bias, k)) ? 0 : -1;
    if (rc == 0) rc = be->norm(v[0], stats, v[1], v[2], v[3], eps, rms);
    vx__nn_release_all(v, 4);
    if (rc < 0) { vx_tensor_release(stats); vx_tensor_release(y); return NULL; }
    VxTensor *a = w ? w : bias, *c = w ? bias : NULL;
    VxNode *n = vx__record(&y, rms ? "RmsNormBackward0" : "NativeLayerNormBackward0", norm_backward, x, a, c);
    if (n) {
        n->ip[0] = k; n->ip[1] = rms; n->ip[2] = w != NULL; n->ip[3] = bias != NULL;
        n->saved = vx_tensor_retain(stats);
    }
    vx_tensor_release(stats);
    return y;
}

VxTensor *vx_layer_norm(VxTensor *x, const int64_t *normalized_shape, int nnorm,
                        VxTensor *weight, VxTensor *bias, double eps)
{
    return norm_op(x, normalized_shape, nnorm, weight, bias, eps, false);
}

VxTensor *vx_rms_norm(VxTensor *x, const int64_t *normalized_shape, int nnorm,
                      VxTensor *weight, double eps)
{
    return norm_op(x, normalized_shape, nnorm, weight, NULL, eps, true);
}
