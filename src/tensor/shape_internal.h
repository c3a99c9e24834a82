/* shape_internal.h - what the files of tensor_shape.h's ops share: the
 * kernel-table lookup, index checks and the scatter used by several
 * backward functions. */
#ifndef VX_SHAPE_INTERNAL_H
#define VX_SHAPE_INTERNAL_H

#include "tensor_internal.h"
#include "tensor_shape.h"

/* t's shape kernels if `field` is there, else NULL with an error. */
const VxShapeKernels *vx__shape_kernels(const VxTensor *t, const char *kernel, bool present);
#define VX_SHAPE_KERNELS(t, field) \
    vx__shape_kernels((t), #field, vx_shape_kernels_get((t)->device) && vx_shape_kernels_get((t)->device)->field)

/* index must be i64/i32 with values in [0, size); what/t/dim word the
 * error: "cannot gather from Tensor<..>: index 7 is out of range for
 * dimension 1 of size 4".  0 or -1. */
int vx__check_index(VxTensor *index, int64_t size, const char *what, const VxTensor *t, int dim);
int vx__check_index_dtype(const VxTensor *index, const char *what, const VxTensor *t);

/* zeros of like's shape (g's dtype) with g added at index along dim: the
 * gradient of every op that picks elements (gather, sort, pools). */
VxTensor *vx__scatter_zeros(const VxTensor *like, int dim, VxTensor *index, VxTensor *g);

#endif
