/* optim_internal.h - what optim.c shares with its f32 kernels
 * (optim_f32.c): the scalars of one parameter's update. */
#ifndef VX_OPTIM_INTERNAL_H
#define VX_OPTIM_INTERNAL_H

#include "tensor_internal.h"
#include "tensor_optim.h"

/* The scalars of one parameter's update, each rounded to its dtype. */
typedef struct VxOptimCoef {
    VxDtype d;
    VxOptimKind kind;
    bool wd, momentum, nesterov, amsgrad, first;
    double wd_r, mom_r, damp1_r, neg_lr_r;               /* SGD */
    double b1_r, omb1_r, b2_r, omb2_r, bc2s_r, eps_r, neg_step_r, decay_r;   /* Adam */
} VxOptimCoef;

/* The update of n contiguous f32 elements: parameter p, gradient g, the
 * state buffers b (NULL where the optimizer has none).  Bit-identical to
 * optim.c's element-generic path. */
void vx__optim_f32(const VxOptimCoef *c, float *p, const float *g, float *const b[3], int64_t n);

#endif
