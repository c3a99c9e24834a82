/* tensor_nn.h - neural-network operators over Vortex tensors (tensor.h):
 * softmax, normalisation, embedding, losses, dropout, attention and
 * gradient checkpointing.  Every op is differentiable: it records a graph
 * node like the core ops, and vx_backward reaches its inputs.
 *
 * Conventions are tensor.h's: inputs are borrowed, results are new
 * references, failure returns NULL with vx_tensor_last_error() set, dims
 * may be negative, and every argument is an int, a double or a pointer so
 * that ctypes can call each function directly.  Float dtypes only (f32,
 * f64, bf16, f16); rows are computed in f64 and rounded once on store.
 *
 * The fused kernels are per device, in a VxNNBackend table (bottom of this
 * file; src/backend/cpu/cpu_nn.c fills the CPU one), so that a CUDA
 * backend plugs in its own.  Ops that are compositions of core ops
 * (mse_loss, attention) need no kernel of their own.
 *
 * Worked example: a tiny classifier loss and its gradient.
 *
 *     int64_t s[] = {4, 10};
 *     VxTensor *logits = vx_randn(s, 2, VX_F32, 1);
 *     vx_tensor_set_requires_grad(logits, true);
 *     int64_t ts[] = {4};
 *     VxTensor *y = vx_randint(0, 10, ts, 1, VX_I64, 2);
 *     VxTensor *loss = vx_cross_entropy(logits, y, -100, 0.1, VX_REDUCTION_MEAN);
 *     vx_backward(loss, NULL);
 *     VxTensor *g = vx_tensor_grad(logits);  // (softmax - smoothed one-hot) / 4
 */
#ifndef VX_TENSOR_NN_H
#define VX_TENSOR_NN_H

#include "tensor.h"

/* ---- softmax ------------------------------------------------------------------
 * softmax(x, dim)_i = exp(x_i - max) / sum_j exp(x_j - max) along dim;
 * log_softmax = x_i - max - log(sum_j exp(x_j - max)).  Any dim, any
 * strides; a 0-dim x is one row of one element.  Backward nodes
 * "SoftmaxBackward0" / "LogSoftmaxBackward0" keep the output (not the
 * input): dx = y * (g - sum(g * y)) and dx = g - exp(y) * sum(g). */
VxTensor *vx_softmax(VxTensor *x, int dim);
VxTensor *vx_log_softmax(VxTensor *x, int dim);

/* ---- normalisation --------------------------------------------------------------
 * normalized_shape (nnorm entries) must equal x's last nnorm dims; each
 * group of those elements is normalised on its own.
 *   layer_norm: y = (x - mean) * rstd * weight + bias, rstd = 1/sqrt(var + eps),
 *               var biased (divided by N), as torch.nn.functional.layer_norm.
 *   rms_norm:   y = x * rstd * weight, rstd = 1/sqrt(mean(x^2) + eps), as
 *               torch.nn.functional.rms_norm (torch >= 2.4).
 * weight and bias have shape normalized_shape, or are NULL (1 and 0).
 * The forward saves mean and rstd per group; the backward is one fused
 * pass for dx plus one for dweight/dbias ("NativeLayerNormBackward0",
 * "RmsNormBackward0"). */
VxTensor *vx_layer_norm(VxTensor *x, const int64_t *normalized_shape, int nnorm,
                        VxTensor *weight, VxTensor *bias, double eps);
VxTensor *vx_rms_norm(VxTensor *x, const int64_t *normalized_shape, int nnorm,
                      VxTensor *weight, double eps);

/* ---- embedding --------------------------------------------------------------------
 * weight [V, D], indices of any shape (i64, i32 or u8) -> [*indices.shape, D],
 * out[..., :] = weight[indices[...], :].  An index outside [0, V) is an
 * error naming it and V.  Backward ("EmbeddingBackward0") scatter-adds the
 * output gradient into weight's gradient (repeated indices accumulate). */
VxTensor *vx_embedding(VxTensor *weight, VxTensor *indices);

/* ---- losses -------------------------------------------------------------------------
 * reduction: VX_REDUCTION_NONE (one loss per target), _MEAN, _SUM (0-dim). */
enum { VX_REDUCTION_NONE = 0, VX_REDUCTION_MEAN = 1, VX_REDUCTION_SUM = 2 };

/* torch.nn.functional.cross_entropy with class-index targets.
 * logits [N, C], [N, C, d1, ...] (classes on dim 1) or [C]; targets [N],
 * [N, d1, ...] or 0-dim, integer, each in [0, C) or == ignore_index.
 * Per target, with logp = log_softmax over classes and eps = label_smoothing:
 *     loss = -(1 - eps) * logp[y] - (eps / C) * sum_c logp[c]
 * and 0 where y == ignore_index.  MEAN divides the sum by the number of
 * targets that are not ignored (NaN when all are, as torch).  The backward
 * recomputes the softmax from the logits instead of saving it. */
VxTensor *vx_cross_entropy(VxTensor *logits, VxTensor *targets, int64_t ignore_index,
                           double label_smoothing, int reduction);
/* torch.nn.functional.nll_loss: like cross_entropy with logp given
 * directly (no log_softmax, no smoothing): loss = -logp[y]. */
VxTensor *vx_nll_loss(VxTensor *logp, VxTensor *targets, int64_t ignore_index, int reduction);
/* (pred - target)^2, reduced; target broadcasts to pred's shape.  A
 * composition of core ops (its gradient flows to both arguments). */
VxTensor *vx_mse_loss(VxTensor *pred, VxTensor *target, int reduction);

/* ---- dropout ------------------------------------------------------------------------
 * Zeroes each element with probability p and scales the rest by 1/(1-p)
 * (p == 1 gives zeros).  The mask comes from xoshiro256** seeded with seed
 * (one uniform per element in row-major order; kept where u >= p), so a
 * seed always gives the same mask.  p == 0 or !training returns x itself
 * (retained).  The mask is saved for backward: dx = g * mask
 * ("NativeDropoutBackward0").  p outside [0, 1] is an error. */
VxTensor *vx_dropout(VxTensor *x, double p, bool training, uint64_t seed);

/* ---- attention ----------------------------------------------------------------------
 * torch.nn.functional.scaled_dot_product_attention without a mask tensor:
 *     softmax(q @ k^T * scale + M) @ v
 * q [..., Tq, D], k [..., Tk, D], v [..., Tk, Dv]; leading (batch, head)
 * dims broadcast.  scale 0 means 1/sqrt(D).  causal masks key j > query i
 * (torch's is_causal, the upper triangle; Tq != Tk is allowed either way).
 * Composed of matmul, softmax and core elementwise ops, so its backward
 * is exact and saves the attention probabilities [..., Tq, Tk]. */
VxTensor *vx_scaled_dot_product_attention(VxTensor *q, VxTensor *k, VxTensor *v,
                                          bool causal, double scale);

/* ---- gradient checkpointing -----------------------------------------------------------
 * out = fn(inputs, n, ctx), run with grad mode off, so that none of the
 * segment's intermediates are kept; only the inputs are (at most
 * VX_CHECKPOINT_INPUTS).  In backward the segment runs again with grad on,
 * from detached copies of the inputs, and is backpropagated on its own to
 * give the inputs' gradients ("CheckpointBackward").  fn must be
 * deterministic (same output for the same inputs; pass dropout a fixed
 * seed), return a new reference or NULL with an error set, and ctx must
 * live until the backward has run.  Pass parameters as inputs: a leaf
 * that fn reads through ctx instead still gets its gradient (the
 * recompute's own backward accumulates into it, as torch's reentrant
 * checkpoint does), but only when some input requires grad, and a
 * non-leaf read through ctx would have its graph consumed. */
#define VX_CHECKPOINT_INPUTS 3
typedef VxTensor *(*VxSegmentFn)(VxTensor *const *inputs, int n, void *ctx);
VxTensor *vx_checkpoint(VxSegmentFn fn, void *ctx, VxTensor *const *inputs, int n);
/* The same, owning ctx: drop(ctx) runs exactly once, when nothing needs it
 * any more: before returning when no node was recorded (or on failure),
 * else when the node drops what it holds (after its backward, or when
 * the graph is freed unused).  For callers whose ctx holds references
 * (the VM's closures). */
VxTensor *vx_checkpoint_owned(VxSegmentFn fn, void *ctx, void (*drop)(void *ctx), VxTensor *const *inputs, int n);

/* ---- the fused kernels ------------------------------------------------------------------
 * Contracts: the op layer has checked shapes and dtypes and arranged the
 * operands so that the reduced axis is each tensor's LAST dim ("rows"),
 * with any strides on every dim; leading dims are equal across operands
 * unless said otherwise.  Results are written in place.  Each returns 0,
 * or -1 after vx_tensor_set_error. */
typedef struct VxNNBackend {
    const char *name;
    /* y = softmax (or log_softmax) of each row of x. */
    int (*softmax)(VxTensor *y, const VxTensor *x, bool log);
    /* dx from the saved output y and the output gradient g. */
    int (*softmax_backward)(VxTensor *dx, const VxTensor *y, const VxTensor *g, bool log);
    /* Per row of x: mean and rstd into stats [2, rows] (row-major over x's
     * leading dims; mean unused when rms), y = normalised * w + b.  w, b:
     * 1-D [n] or NULL. */
    int (*norm)(VxTensor *y, VxTensor *stats, const VxTensor *x, const VxTensor *w,
                const VxTensor *b, double eps, bool rms);
    /* dx (may be NULL), dw [n] and db [n] (each may be NULL) from g, x, w
     * and the saved stats. */
    int (*norm_backward)(VxTensor *dx, VxTensor *dw, VxTensor *db, const VxTensor *g,
                         const VxTensor *x, const VxTensor *w, const VxTensor *stats, bool rms);
    /* y [*idx, D] = w [V, D] rows at idx (any shape, ndim = y->ndim - 1). */
    int (*embedding)(VxTensor *y, const VxTensor *w, const VxTensor *idx);
    /* dw [V, D] += g [*idx, D] rows scattered to idx. */
    int (*embedding_backward)(VxTensor *dw, const VxTensor *g, const VxTensor *idx);
    /* loss [rows] (leading dims of x) per row of x (classes last) and its
     * target; *count = targets not ignored.  log_probs: x already holds
     * log-probabilities (nll_loss). */
    int (*class_loss)(VxTensor *loss, int64_t *count, const VxTensor *x, const VxTensor *target,
                      int64_t ignore_index, double smoothing, bool log_probs);
    /* dx (x's layout) = d loss / d x scaled per row by g [rows]. */
    int (*class_loss_backward)(VxTensor *dx, const VxTensor *g, const VxTensor *x,
                               const VxTensor *target, int64_t ignore_index, double smoothing,
                               bool log_probs);
    /* mask = (u >= p) / (1 - p) per element, y = x * mask; all three of x's shape. */
    int (*dropout)(VxTensor *y, VxTensor *mask, const VxTensor *x, double p, uint64_t seed);
} VxNNBackend;

extern const VxNNBackend vx_cpu_nn_backend;
const VxNNBackend *vx_nn_backend_get(VxDevice dev);        /* NULL if none */
void vx_nn_backend_register(VxDevice dev, const VxNNBackend *b);

#endif
