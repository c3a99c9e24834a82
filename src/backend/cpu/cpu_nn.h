/* cpu_nn.h - what the CPU neural-network kernels (cpu_nn.c, cpu_loss.c)
 * share: walking the rows of an operand whose last dim is the row, and
 * moving one row between a tensor and an f64 scratch buffer.  Rows are
 * computed in f64 in that buffer, which stays in L1/L2, so every kernel
 * reads and writes each tensor element exactly once. */
#ifndef VX_CPU_NN_H
#define VX_CPU_NN_H

#include "../../tensor/tensor_nn.h"
#include "cpu.h"                           /* the vectoriser settings */

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

/* f32 rows, contiguous (cpu_rows_f32.c): true when every non-NULL operand
 * is f32 with unit (or irrelevant) last stride. */
bool vx__f32_rows(const VxTensor *const *ops, int nops, int64_t n);
float *vx__f32_at(const VxTensor *t, int64_t off);
/* softmax / log_softmax of x into y (y may not alias x). */
void vx__f32_softmax_row(float *y, const float *x, int64_t n, bool as_log);
void vx__f32_softmax_backward_row(float *dx, const float *y, const float *g, int64_t n, bool as_log);
float vx__f32_sum(const float *x, int64_t n);
/* log(sum(exp(x - mx))) with *mx = max(x), so that log-probabilities are
 * (x - mx) - result (exact near the max); tmp: n floats of scratch. */
float vx__f32_log_sum_exp(float *tmp, const float *x, int64_t n, float *mx);
/* One row of layer norm (rms: RMS norm); w, b may be NULL. */
void vx__f32_norm_row(float *y, const float *x, const float *w, const float *b, int64_t n,
                      double eps, bool rms, double *mean_out, double *rstd_out);
/* One row of its backward: dx (may be NULL) written, dw / db (may be NULL)
 * accumulated; tmp: 2n floats of scratch. */
void vx__f32_norm_backward_row(float *dx, float *dw, float *db, float *tmp, const float *g,
                               const float *x, const float *w, float mean, float rstd, int64_t n, bool rms);

int vx_cpu_class_loss(VxTensor *loss, int64_t *count, const VxTensor *x, const VxTensor *target,
                      int64_t ignore_index, double smoothing, bool log_probs);
int vx_cpu_class_loss_backward(VxTensor *dx, const VxTensor *g, const VxTensor *x,
                               const VxTensor *target, int64_t ignore_index, double smoothing,
                               bool log_probs);

#endif
