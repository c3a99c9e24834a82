/* tensor_shape.h - joining, splitting, indexing, sorting, convolution and
 * pooling ops over VxTensor (see tensor.h for ownership and errors).
 *
 * Every op is differentiable in its float inputs (except one_hot, whose
 * result is i64, and the index outputs of sort/topk) and follows
 * PyTorch's semantics and grad_fn names (CatBackward0, GatherBackward0,
 * ConvolutionBackward0 ...).  Index tensors are i64 or i32; indices out of
 * range are errors naming the index and the size.  Dims may be negative.
 *
 * Arrays of tensors are passed as (VxTensor *const *ts, int n); ops with
 * several results write them through out-pointers, so the whole API stays
 * ctypes friendly.
 *
 * The kernels these ops need beyond VxBackend live in a second table per
 * device, VxShapeKernels, so a CUDA backend can plug them in without
 * touching tensor.h. */
#ifndef VX_TENSOR_SHAPE_H
#define VX_TENSOR_SHAPE_H

#include "tensor.h"

/* ---- joining and splitting ------------------------------------------------
 * cat joins along an existing dim (shapes equal elsewhere); stack along a
 * new one (shapes equal).  The result dtype promotes over all inputs.
 * split cuts t into pieces of `size` along dim (the last may be shorter);
 * chunk into at most `chunks` pieces of ceil(len / chunks).  Pieces are
 * views (SplitBackward0).  Both return the number of pieces and store them
 * in out[0 ..] (new references); out == NULL only counts.  -1 on error,
 * also when cap is smaller than the count. */
VxTensor *vx_cat(VxTensor *const *ts, int n, int dim);
VxTensor *vx_stack(VxTensor *const *ts, int n, int dim);
int vx_split(VxTensor *t, int64_t size, int dim, VxTensor **out, int cap);
int vx_chunk(VxTensor *t, int64_t chunks, int dim, VxTensor **out, int cap);

/* ---- indexing --------------------------------------------------------------
 * gather: out[i][j] = t[index[i][j]][j] (dim 0), index has t's ndim and
 * no larger size in the other dims; the result has index's shape.
 * scatter_add: a copy of t with out[index[i][j]][j] += src[i][j] (dim 0);
 * src has t's dtype.  index_select: t's slices at the 1-D index along dim.
 * masked_fill: value where the bool mask (broadcast to t's shape) is true.
 * one_hot: i64 [.., num_classes]; num_classes -1 takes max(indices) + 1.
 * tril / triu keep the elements on and below / above diagonal k of the
 * last two dims (k > 0 above the main diagonal). */
VxTensor *vx_gather(VxTensor *t, int dim, VxTensor *index);
VxTensor *vx_scatter_add(VxTensor *t, int dim, VxTensor *index, VxTensor *src);
VxTensor *vx_index_select(VxTensor *t, int dim, VxTensor *index);
VxTensor *vx_masked_fill(VxTensor *t, VxTensor *mask, double value);
VxTensor *vx_one_hot(VxTensor *indices, int64_t num_classes);
VxTensor *vx_tril(VxTensor *t, int64_t k);
VxTensor *vx_triu(VxTensor *t, int64_t k);

/* ---- scans and sorting -------------------------------------------------------
 * cumsum keeps float dtypes and gives i64 for integers.  sort is stable
 * (torch.sort(stable=True)); NaN sorts above every number.  topk returns
 * the k largest (or smallest) along dim, always in sorted order (ties keep
 * index order).  Values carry the gradient; indices are i64.  0 or -1. */
VxTensor *vx_cumsum(VxTensor *t, int dim);
int vx_sort(VxTensor *t, int dim, bool descending, VxTensor **values, VxTensor **indices);
int vx_topk(VxTensor *t, int64_t k, int dim, bool largest, bool sorted,
            VxTensor **values, VxTensor **indices);

/* ---- convolution and pooling ------------------------------------------------------
 * conv1d: x [N, C, L], w [O, C/groups, K]; conv2d: x [N, C, H, W],
 * w [O, C/groups, KH, KW].  bias [O] or NULL.  Implemented as im2col
 * followed by the backend's (BLAS) matmul; backward gives x, w and bias.
 * Pools take x [N, C, H, W]; stride 0 means the kernel size (torch's
 * stride=None); padding is at most half the kernel.  max_pool2d can also
 * return the flat h * W + w index of each maximum (i64, indices may be
 * NULL; a window entirely in the padding gives -inf and index -1);
 * avg_pool2d divides by the whole window (count_include_pad) or by the
 * elements inside the input. */
VxTensor *vx_conv1d(VxTensor *x, VxTensor *w, VxTensor *bias, int stride, int padding, int dilation, int groups);
VxTensor *vx_conv2d(VxTensor *x, VxTensor *w, VxTensor *bias, int stride_h, int stride_w,
                    int pad_h, int pad_w, int dil_h, int dil_w, int groups);
VxTensor *vx_max_pool2d(VxTensor *x, int kh, int kw, int sh, int sw, int ph, int pw,
                        int dh, int dw, bool ceil_mode, VxTensor **indices);
VxTensor *vx_avg_pool2d(VxTensor *x, int kh, int kw, int sh, int sw, int ph, int pw, bool count_include_pad);

/* ---- kernels ------------------------------------------------------------------------
 * Shapes, dtypes and index ranges are checked by the op layer; tensors
 * may have any strides unless said otherwise.  Return 0, or -1 after
 * vx_tensor_set_error.  A NULL kernel makes the op fail naming it.
 *   gather:      dst (index's shape) = src at index along dim
 *   scatter_add: dst at index along dim += src (over index's shape)
 *   cumsum:      dst = running sum of src along dim (reverse: from the end)
 *   sort:        values, indices (i64) of src sorted along dim, stable
 *   im2col:      x [B, C, H, W] -> cols [B, C*KH*KW, OH*OW] (contiguous),
 *                zeros outside x; p = {kh, kw, sh, sw, ph, pw, dh, dw, oh, ow}
 *   col2im:      x (contiguous) += the adjoint of im2col applied to cols
 *   max_pool2d:  out [B, C, OH, OW], indices (i64, same shape) over the
 *                windows of x that p describes; -inf outside x */
typedef struct VxShapeKernels {
    int (*gather)(VxTensor *dst, const VxTensor *src, int dim, const VxTensor *index);
    int (*scatter_add)(VxTensor *dst, int dim, const VxTensor *index, const VxTensor *src);
    int (*cumsum)(VxTensor *dst, const VxTensor *src, int dim, bool reverse);
    int (*sort)(VxTensor *values, VxTensor *indices, const VxTensor *src, int dim, bool descending);
    int (*im2col)(VxTensor *cols, const VxTensor *x, const int64_t *p);
    int (*col2im)(VxTensor *x, const VxTensor *cols, const int64_t *p);
    int (*max_pool2d)(VxTensor *out, VxTensor *indices, const VxTensor *x, const int64_t *p);
} VxShapeKernels;

extern const VxShapeKernels vx_cpu_shape_kernels;
const VxShapeKernels *vx_shape_kernels_get(VxDevice dev);        /* NULL if none */
void vx_shape_kernels_register(VxDevice dev, const VxShapeKernels *k);

#endif
