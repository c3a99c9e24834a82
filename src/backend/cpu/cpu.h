/* cpu.h - the CPU backend's kernels, shared between its files and named in
 * the vx_cpu_backend table (cpu_backend.c).  Contracts are VxBackend's
 * (src/tensor/tensor.h). */
#ifndef VX_CPU_H
#define VX_CPU_H

#include "../../tensor/tensor_internal.h"

int vx_cpu_unary(VxUnaryOp op, int deriv, VxTensor *dst, const VxTensor *x, const double *params);
int vx_cpu_binary(VxBinaryOp op, VxTensor *dst, const VxTensor *a, const VxTensor *b);
int vx_cpu_where(VxTensor *dst, const VxTensor *cond, const VxTensor *a, const VxTensor *b);
int vx_cpu_reduce(VxReduceOp op, VxTensor *dst, const VxTensor *x, int nreduce, double param);
int vx_cpu_matmul(VxTensor *dst, const VxTensor *a, const VxTensor *b);

#endif
