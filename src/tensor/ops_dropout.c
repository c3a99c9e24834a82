/* ops_dropout.c - seeded inverted dropout.  The mask (0 or 1/(1-p), in x's
 * dtype) is made with the output and saved; backward is g * mask. */
#include "nn_internal.h"

static VxTensor *dropout_backward(VxNode *n, VxTensor *g, int i)
{
    (void)i;
    return vx_mul(g, n->saved);
}

VxTensor *vx_dropout(VxTensor *x, double p, bool training, uint64_t seed)
{
    if (!x || vx__nn_float(x, "dropout") < 0) return NULL;
    if (!(p >= 0 && p <= 1)) {
        vx_tensor_set_error("dropout: probability %g is not in [0, 1]", p);
        return NULL;
    }
    if (p == 0 || !training) return vx_tensor_retain(x);
    const VxNNBackend *b = VX_NN_GET(x, dropout);
    VxTensor *y = b ? vx__nn_new_like(x) : NULL, *mask = y ? vx__nn_new_like(x) : NULL;
    if (!mask || b->dropout(y, mask, x, p, seed) < 0) {
        vx_tensor_release(mask);
        vx_tensor_release(y);
        return NULL;
    }
    VxNode *n = vx__record(&y, "NativeDropoutBackward0", dropout_backward, x, NULL, NULL);
    if (n) n->saved = vx_tensor_retain(mask);
    vx_tensor_release(mask);
    return y;
}
