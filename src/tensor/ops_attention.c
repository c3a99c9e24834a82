/* ops_attention.c - scaled dot-product attention, composed of matmul,
 * softmax and elementwise ops, so that its backward is exactly theirs:
 * the graph keeps q, k, v and the attention probabilities. */
#include <math.h>
#include <stdlib.h>

#include "nn_internal.h"

static int check_attention(const VxTensor *q, const VxTensor *k, const VxTensor *v)
{
    const char *op = "scaled_dot_product_attention";
    if (vx__nn_float(q, op) < 0 || vx__nn_float(k, op) < 0 || vx__nn_float(v, op) < 0) return -1;
    if (q->ndim < 2 || k->ndim < 2 || v->ndim < 2) {
        vx_tensor_set_error("%s: q, k and v need at least 2 dimensions [.., T, D], got %s, %s, %s", op,
                            VX_TNAME(q), VX_TNAME(k), VX_TNAME(v));
        return -1;
    }
    if (q->shape[q->ndim - 1] != k->shape[k->ndim - 1] || k->shape[k->ndim - 2] != v->shape[v->ndim - 2]) {
        vx_tensor_set_error("%s: q %s and k %s must share D, and k and v %s must share T", op,
                            VX_TNAME(q), VX_TNAME(k), VX_TNAME(v));
        return -1;
    }
    return 0;
}

/* The additive causal mask [Tq, Tk]: 0 where key j <= query i, else -inf
 * (torch's is_causal: the top-left-aligned lower triangle is kept). */
static VxTensor *causal_mask(int64_t tq, int64_t tk, VxDtype dt)
{
    double *m = malloc((size_t)(tq * tk > 0 ? tq * tk : 1) * sizeof *m);
    if (!m) { vx_tensor_set_error("out of memory allocating a %lld x %lld causal mask", (long long)tq, (long long)tk); return NULL; }
    for (int64_t i = 0; i < tq; i++)
        for (int64_t j = 0; j < tk; j++) m[i * tk + j] = j <= i ? 0.0 : -INFINITY;
    int64_t shape[2] = { tq, tk };
    VxTensor *t = vx_tensor_from_f64(m, shape, 2, dt);
    free(m);
    return t;
}

VxTensor *vx_scaled_dot_product_attention(VxTensor *q, VxTensor *k, VxTensor *v,
                                          bool causal, double scale)
{
    if (!q || !k || !v || check_attention(q, k, v) < 0) return NULL;
    int64_t tq = q->shape[q->ndim - 2], tk = k->shape[k->ndim - 2], d = q->shape[q->ndim - 1];
    if (scale == 0) scale = 1.0 / sqrt((double)(d ? d : 1));
    VxTensor *kt = vx_transpose(k, -2, -1);
    VxTensor *s = kt ? vx_matmul(q, kt) : NULL;
    VxTensor *ss = s ? vx_mul_s(s, scale) : NULL;
    vx_tensor_release(kt);
    vx_tensor_release(s);
    if (ss && causal) {
        VxTensor *m = causal_mask(tq, tk, ss->dtype);
        VxTensor *masked = m ? vx_add(ss, m) : NULL;
        vx_tensor_release(m);
        vx_tensor_release(ss);
        ss = masked;
    }
    VxTensor *p = ss ? vx_softmax(ss, -1) : NULL;
    VxTensor *out = p ? vx_matmul(p, v) : NULL;
    vx_tensor_release(ss);
    vx_tensor_release(p);
    return out;
}
