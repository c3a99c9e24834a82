/* ops_embedding.c - embedding lookup (rows of a [V, D] weight gathered by
 * an integer index tensor) with a scatter-add backward. */
#include "nn_internal.h"

static VxTensor *embedding_backward(VxNode *n, VxTensor *g, int i)
{
    (void)i;                                  /* only the weight requires grad */
    VxTensor *w = n->inputs[0], *idx = n->inputs[1];
    const VxNNBackend *b = VX_NN_GET(w, embedding_backward);
    VxTensor *dw = b ? vx__nn_zeros(w->shape, 2, w->dtype, w->device) : NULL;
    if (dw && b->embedding_backward(dw, g, idx) < 0) { vx_tensor_release(dw); return NULL; }
    return dw;
}

static int check_embedding(const VxTensor *w, const VxTensor *idx)
{
    if (vx__nn_float(w, "embedding") < 0) return -1;
    if (w->ndim != 2) {
        vx_tensor_set_error("embedding: the weight must be 2-D [rows, dim], got %s", VX_TNAME(w));
        return -1;
    }
    if (idx->dtype != VX_I64 && idx->dtype != VX_I32 && idx->dtype != VX_U8) {
        vx_tensor_set_error("embedding: indices must be i64, i32 or u8, got %s", VX_TNAME(idx));
        return -1;
    }
    if (idx->ndim >= VX_MAX_DIMS) {
        vx_tensor_set_error("embedding: indices %s have too many dimensions (at most %d)", VX_TNAME(idx), VX_MAX_DIMS - 1);
        return -1;
    }
    return 0;
}

VxTensor *vx_embedding(VxTensor *weight, VxTensor *indices)
{
    if (!weight || !indices || check_embedding(weight, indices) < 0) return NULL;
    const VxNNBackend *b = VX_NN_GET(weight, embedding);
    int64_t shape[VX_MAX_DIMS];
    for (int i = 0; i < indices->ndim; i++) shape[i] = indices->shape[i];
    shape[indices->ndim] = weight->shape[1];
    VxTensor *y = b ? vx__new(shape, indices->ndim + 1, weight->dtype, weight->device) : NULL;
    if (y && b->embedding(y, weight, indices) < 0) { vx_tensor_release(y); return NULL; }
    vx__record(&y, "EmbeddingBackward0", embedding_backward, weight, indices, NULL);
    return y;
}
