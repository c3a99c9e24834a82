/* nn_internal.h - what the neural-network op files (ops_*.c) share:
 * kernel lookup and the graph-free views that arrange operands for the
 * VxNNBackend row contract (tensor_nn.h). */
#ifndef VX_NN_INTERNAL_H
#define VX_NN_INTERNAL_H

#include "tensor_internal.h"
#include "tensor_nn.h"

/* t's NN backend if it has kernel `field`, else NULL with an error. */
#define VX_NN_GET(t, field)                                                  \
    vx__nn_check(vx_nn_backend_get((t)->device),                             \
                 vx_nn_backend_get((t)->device) && vx_nn_backend_get((t)->device)->field, \
                 #field, (t))
const VxNNBackend *vx__nn_check(const VxNNBackend *b, bool has, const char *kernel,
                                const VxTensor *t);

/* 0, or -1 with "op expects a floating-point tensor, got Tensor<..>". */
int vx__nn_float(const VxTensor *t, const char *op);
/* A header over t's storage with dim d moved last (no graph node). */
VxTensor *vx__nn_movedim_last(const VxTensor *t, int d);
/* A header over t's storage, same layout, outside the graph: lets a node
 * keep its own output without a reference cycle. */
VxTensor *vx__nn_alias(const VxTensor *t);
/* t with its last k dims merged into one (a header when the strides
 * allow, else a contiguous copy made without recording a node). */
VxTensor *vx__nn_flatten_tail(VxTensor *t, int k);
/* A zero-filled contiguous tensor on dev. */
VxTensor *vx__nn_zeros(const int64_t *shape, int ndim, VxDtype dtype, VxDevice dev);
/* A new contiguous tensor like t (shape, dtype, device). */
VxTensor *vx__nn_new_like(const VxTensor *t);
void vx__nn_release_all(VxTensor **ts, int n);

#endif
