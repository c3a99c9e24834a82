/* cpu.h - the CPU backend's kernels, shared between its files and named in
 * the vx_cpu_backend table (cpu_backend.c).  Contracts are VxBackend's
 * (src/tensor/tensor.h). */
#ifndef VX_CPU_H
#define VX_CPU_H

#include <string.h>

#include "../../tensor/tensor_internal.h"

#include "../../tensor/vectorise.h"           /* the kernels' hot loops vectorise */

/* Elementwise iteration in runs (cpu_loop.c): `outer` visits the start of
 * each run, keeping one element offset per operand in outer.off; a run is
 * n elements, operand k advancing st[k] per element. */
typedef struct VxLoop {
    VxIter outer;
    int64_t n, st[4];
} VxLoop;
void vx__loop_init(VxLoop *l, const VxTensor *shape_of, const VxTensor *const *ops, int nops);

/* Storage allocation with a bounded cache of freed large blocks (cpu_cache.c). */
void *vx_cpu_alloc(size_t n);
void vx_cpu_free(void *p, size_t n);
void vx_cpu_cache_trim(void);

int vx_cpu_unary(VxUnaryOp op, int deriv, VxTensor *dst, const VxTensor *x, const double *params);
int vx_cpu_unary_grad(VxUnaryOp op, VxTensor *dx, const VxTensor *x, const VxTensor *g, const double *params);
int vx_cpu_binary(VxBinaryOp op, VxTensor *dst, const VxTensor *a, const VxTensor *b);
int vx_cpu_where(VxTensor *dst, const VxTensor *cond, const VxTensor *a, const VxTensor *b);
int vx_cpu_reduce(VxReduceOp op, VxTensor *dst, const VxTensor *x, int nreduce, double param);
int vx_cpu_matmul(VxTensor *dst, const VxTensor *a, const VxTensor *b);

#endif
