/* cpu_nn.h - what the CPU neural-network kernels (cpu_nn.c, cpu_loss.c)
 * share: walking the rows of an operand whose last dim is the row, and
 * moving one row between a tensor and an f64 scratch buffer.  Rows are
 * computed in f64 in that buffer, which stays in L1/L2, so every kernel
 * reads and writes each tensor element exactly once. */
#ifndef VX_CPU_NN_H
#define VX_CPU_NN_H

#include "../../tensor/tensor_internal.h"
#include "../../tensor/tensor_nn.h"

/* Iterate the leading dims (all but the last) of ops[0], keeping one row
 * start offset per operand in it->off.  False when there are no rows. */
bool vx__rows_init(VxIter *it, const VxTensor *const *ops, int nops);
/* The row length (last dim; 1 for a 0-dim tensor). */
int64_t vx__row_len(const VxTensor *t);
/* Row at element offset off of t <-> dst/src (n values, t's last stride). */
void vx__row_load(double *dst, const VxTensor *t, int64_t off, int64_t n);
void vx__row_store(VxTensor *t, int64_t off, const double *src, int64_t n);
/* A counted scratch array of n doubles (never NULL-sized); NULL + error. */
double *vx__scratch(int64_t n);
void vx__scratch_free(double *p, int64_t n);

int vx_cpu_class_loss(VxTensor *loss, int64_t *count, const VxTensor *x, const VxTensor *target,
                      int64_t ignore_index, double smoothing, bool log_probs);
int vx_cpu_class_loss_backward(VxTensor *dx, const VxTensor *g, const VxTensor *x,
                               const VxTensor *target, int64_t ignore_index, double smoothing,
                               bool log_probs);

#endif
