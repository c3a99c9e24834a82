/* ops_softmax.c - softmax and log_softmax along any dim, fused forward and
 * backward (kernels in VxNNBackend).  The node keeps the output, which
 * both backward formulas need, through an alias header (no cycle). */
#include "nn_internal.h"

/* Runs the softmax kernel (forward: ts = {y, x}; backward: {dx, y, g})
 * on views of ts with dim d moved last. */
static int run_rows(const VxNNBackend *b, VxTensor *const *ts, int k, int d, bool as_log)
{
    VxTensor *v[3] = {0};
    int rc = 0;
    for (int i = 0; i < k && rc == 0; i++) rc = (v[i] = vx__nn_movedim_last(ts[i], d)) ? 0 : -1;
    if (rc == 0) rc = k == 2 ? b->softmax(v[0], v[1], as_log) : b->softmax_backward(v[0], v[1], v[2], as_log);
    vx__nn_release_all(v, k);
    return rc;
}

static VxTensor *softmax_backward(VxNode *n, VxTensor *g, int i)
{
    (void)i;
    VxTensor *y = n->saved;
    const VxNNBackend *b = VX_NN_GET(y, softmax_backward);
    VxTensor *dx = b ? vx__nn_new_like(y) : NULL;
    VxTensor *ts[3] = { dx, y, g };
    if (dx && run_rows(b, ts, 3, n->ip[0], n->ip[1]) < 0) { vx_tensor_release(dx); return NULL; }
    return dx;
}

static VxTensor *softmax_op(VxTensor *x, int dim, bool as_log)
{
    const char *what = as_log ? "log_softmax" : "softmax";
    if (!x || vx__nn_float(x, what) < 0) return NULL;
    int d = vx__norm_dim(x, dim, what);
    const VxNNBackend *b = d < 0 ? NULL : VX_NN_GET(x, softmax);
    VxTensor *y = b ? vx__nn_new_like(x) : NULL;
    VxTensor *ts[2] = { y, x };
    if (y && run_rows(b, ts, 2, x->ndim ? d : -1, as_log) < 0) { vx_tensor_release(y); return NULL; }
    VxNode *n = vx__record(&y, as_log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", softmax_backward, x, NULL, NULL);
    if (n) {
        n->ip[0] = x->ndim ? d : -1;
        n->ip[1] = as_log;
        if (!(n->saved = vx__nn_alias(y))) { vx_tensor_release(y); return NULL; }
    }
    return y;
}

VxTensor *vx_softmax(VxTensor *x, int dim) { return softmax_op(x, dim, false); }
VxTensor *vx_log_softmax(VxTensor *x, int dim) { return softmax_op(x, dim, true); }
