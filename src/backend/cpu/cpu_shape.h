/* cpu_shape.h - the CPU kernels of VxShapeKernels (src/tensor/tensor_shape.h),
 * shared between cpu_index.c, cpu_sort.c and cpu_conv.c.  Contracts are
 * VxShapeKernels'. */
#ifndef VX_CPU_SHAPE_H
#define VX_CPU_SHAPE_H

#include "../../tensor/tensor_internal.h"
#include "../../tensor/tensor_shape.h"

int vx_cpu_gather(VxTensor *dst, const VxTensor *src, int dim, const VxTensor *index);
int vx_cpu_scatter_add(VxTensor *dst, int dim, const VxTensor *index, const VxTensor *src);
int vx_cpu_cumsum(VxTensor *dst, const VxTensor *src, int dim, bool reverse);
int vx_cpu_sort(VxTensor *values, VxTensor *indices, const VxTensor *src, int dim, bool descending);
int vx_cpu_im2col(VxTensor *cols, const VxTensor *x, const int64_t *p);
int vx_cpu_col2im(VxTensor *x, const VxTensor *cols, const int64_t *p);
int vx_cpu_max_pool2d(VxTensor *out, VxTensor *indices, const VxTensor *x, const int64_t *p);

/* Visit every slice along dim: base offsets of the operands with dim's
 * index at 0 (t gives the shape).  Shared by cumsum and sort. */
typedef struct VxLanes {
    VxIter it;
    int64_t len;                            /* elements along dim */
    bool done;
} VxLanes;
void vx__lanes_init(VxLanes *l, const VxTensor *t, int dim, const VxTensor *const *ops, int nops);
bool vx__lanes_next(VxLanes *l);            /* false after the last lane */

#endif
