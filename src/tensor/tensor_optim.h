/* tensor_optim.h - training utilities over Vortex tensors (tensor.h):
 * optimizers (SGD, Adam, AdamW), gradient-norm clipping, learning-rate
 * schedules, and safetensors weight files.
 *
 * Conventions are tensor.h's: inputs are borrowed, failure returns NULL or
 * -1 with vx_tensor_last_error() set, and every argument is an int, a
 * double or a pointer so that ctypes (and the VM's builtins) can call each
 * function directly.
 *
 * Worked example: 100 steps of AdamW with a cosine schedule, then saving
 * the weights and the optimizer state.
 *
 *     VxTensor *w = ..., *b = ...;      // leaves with requires_grad
 *     VxTensor *params[] = { w, b };
 *     VxOptim *opt = vx_optim_adamw(params, 2, 1e-3, 0.9, 0.999, 1e-8, 0.01, false);
 *     vx_optim_set_schedule(opt, VX_SCHED_COSINE, 10, 100, 0, 1e-5);
 *     for (int i = 0; i < 100; i++) {
 *         vx_optim_zero_grad(opt);
 *         VxTensor *loss = ...;         // forward
 *         vx_backward(loss, NULL);
 *         vx_clip_grad_norm(params, 2, 1.0, 2.0, NULL);
 *         vx_optim_step(opt);           // lr of this step: the schedule at i
 *         vx_tensor_release(loss);
 *     }
 *     const char *names[] = { "w", "b" };
 *     vx_safetensors_save("model.safetensors", names, params, 2, NULL, NULL, 0);
 *     vx_optim_save(opt, "optim.safetensors");
 *     vx_optim_release(opt);
 */
#ifndef VX_TENSOR_OPTIM_H
#define VX_TENSOR_OPTIM_H

#include "tensor.h"

/* ---- optimizers -------------------------------------------------------------
 * The update formulas, their order and their rounding are torch.optim's
 * (torch 1.13, foreach=False): every intermediate torch stores in a tensor
 * is rounded to the parameter's dtype, Python-number hyperparameters are
 * rounded to it where torch's kernels convert them, and `a + alpha * b`
 * and addcmul are fused multiply-adds as in torch's CPU kernels.  With g the gradient:
 *   SGD:   g += wd * p; buf = g (first step) or momentum * buf + (1 - dampening) * g;
 *          g = nesterov ? g + momentum * buf : buf (when momentum != 0); p -= lr * g
 *   Adam:  g += wd * p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g g;
 *          vmax = max(vmax, v) (amsgrad); denom = sqrt(v or vmax) / sqrt(1 - b2^t) + eps;
 *          p -= lr / (1 - b1^t) * m / denom, t = this parameter's step count
 *   AdamW: p *= 1 - lr * wd, then Adam without the g += wd * p.
 * Parameters are leaves that require grad, float dtype, on the CPU; the
 * optimizer keeps a reference to each.  step() updates their storage in
 * place, outside the autodiff graph; a parameter whose grad is absent (no
 * backward reached it yet) is skipped and its state not created, as in
 * torch.  Invalid hyperparameters are errors worded like torch's. */
typedef enum VxOptimKind { VX_OPTIM_SGD, VX_OPTIM_ADAM, VX_OPTIM_ADAMW, VX_NOPTIM } VxOptimKind;
typedef struct VxOptim VxOptim;              /* opaque, reference counted */

VxOptim *vx_optim_sgd(VxTensor *const *params, int n, double lr, double momentum,
                      double dampening, bool nesterov, double weight_decay);
VxOptim *vx_optim_adam(VxTensor *const *params, int n, double lr, double beta1, double beta2,
                       double eps, double weight_decay, bool amsgrad);
VxOptim *vx_optim_adamw(VxTensor *const *params, int n, double lr, double beta1, double beta2,
                        double eps, double weight_decay, bool amsgrad);
VxOptim *vx_optim_retain(VxOptim *o);        /* returns o; NULL is allowed */
void vx_optim_release(VxOptim *o);           /* NULL is allowed */

int vx_optim_step(VxOptim *o);               /* 0, or -1 with an error */
/* Zero every existing gradient (torch's zero_grad(set_to_none=False));
 * absent gradients stay absent. */
int vx_optim_zero_grad(VxOptim *o);
/* The base learning rate (the schedule's base when one is set). */
int vx_optim_set_lr(VxOptim *o, double lr);
double vx_optim_lr(const VxOptim *o);        /* the rate the next step uses */
int64_t vx_optim_steps(const VxOptim *o);    /* step() calls so far */
VxOptimKind vx_optim_kind(const VxOptim *o);
const char *vx_optim_kind_name(VxOptimKind k);  /* "SGD", "Adam", "AdamW" */
int vx_optim_nparams(const VxOptim *o);
/* A state buffer of parameter i (new reference), by torch's state key:
 * "momentum_buffer", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"; NULL with
 * an error when it does not exist (yet). */
VxTensor *vx_optim_state(const VxOptim *o, int i, const char *key);

/* State files are safetensors: tensors "<i>.<key>" for every buffer of
 * parameter i and "<i>.step" (i64, 0-dim) for Adam/AdamW; metadata
 * "optimizer" (kind name), "params" (count), "steps" and "lr".  load
 * checks the kind, the count, every name and shape (dtypes are converted
 * to the parameter's) and replaces the state only when all of it is
 * valid; it restores the steps and the base lr, like torch's
 * load_state_dict restores param_groups. */
int vx_optim_save(const VxOptim *o, const char *path);
int vx_optim_load(VxOptim *o, const char *path);

/* Scale the gradients of params (those that have one) so that their
 * joint norm_type-norm is at most max_norm, as torch.nn.utils.clip_grad_norm_:
 * coef = min(1, max_norm / (total + 1e-6)), computed in the gradients'
 * dtype; norm_type INFINITY is the max-abs norm.  *total_norm (may be
 * NULL) receives the norm before clipping; 0 when no gradient exists. */
int vx_clip_grad_norm(VxTensor *const *params, int n, double max_norm, double norm_type,
                      double *total_norm);

/* ---- learning-rate schedules ---------------------------------------------------
 * Pure functions of step = the number of optimizer steps already taken
 * (0 for the first), like the last_epoch of a torch scheduler stepped
 * after each optimizer step.  Invalid arguments give NaN with an error.
 *   constant: base
 *   step:     base * gamma^floor(step / step_size)          (StepLR)
 *   cosine:   step < warmup: base * step / warmup;
 *             then min + (base - min) * (1 + cos(pi * (step - warmup) / (total - warmup))) / 2
 *             (CosineAnnealingLR with T_max = total - warmup, eta_min = min),
 *             and min from step total on (no restart)
 *   linear:   the same warmup; then min + (base - min) * (total - step) / (total - warmup),
 *             min from step total on
 * The warmup starts at 0 (step 0 has lr 0, as transformers'
 * get_*_schedule_with_warmup); warmup 0 means none. */
typedef enum VxSchedKind { VX_SCHED_CONSTANT, VX_SCHED_STEP, VX_SCHED_COSINE, VX_SCHED_LINEAR, VX_NSCHED } VxSchedKind;

double vx_lr_step(double base_lr, int64_t step, int64_t step_size, double gamma);
double vx_lr_cosine(double base_lr, int64_t step, int64_t warmup, int64_t total, double min_lr);
double vx_lr_linear(double base_lr, int64_t step, int64_t warmup, int64_t total, double min_lr);
/* Any kind: n1, n2, x are step_size, -, gamma (step) or warmup, total,
 * min_lr (cosine, linear); unused for constant. */
double vx_lr_at(VxSchedKind kind, double base_lr, int64_t step, int64_t n1, int64_t n2, double x);
/* From now on each step uses vx_lr_at(kind, base lr, steps so far, n1, n2, x).
 * The arguments are checked here; VX_SCHED_CONSTANT removes a schedule. */
int vx_optim_set_schedule(VxOptim *o, VxSchedKind kind, int64_t n1, int64_t n2, double x);

/* ---- safetensors ------------------------------------------------------------------
 * The format of huggingface/safetensors: an 8-byte little-endian header
 * length N, N bytes of JSON {"name": {"dtype": "F32", "shape": [2, 3],
 * "data_offsets": [begin, end]}, ..., "__metadata__": {"k": "v"}} padded
 * with spaces to a multiple of 8, then the raw little-endian data, the
 * offsets counted from its start.  dtypes F32 F64 BF16 F16 I32 I64 U8 BOOL.
 *
 * save writes the tensors (any strides) with metadata key/value strings
 * (nmeta pairs; NULL arrays when 0), data ordered by element size so
 * every tensor is aligned, to a temporary file in the same directory
 * renamed over path at the end: a failure leaves any old file intact.
 * Names must be distinct, non-empty UTF-8 and not "__metadata__".
 *
 * load reads the whole file and checks it as the reference does (header
 * length, UTF-8 JSON of the expected form, known dtypes, at most
 * VX_MAX_DIMS dims, offsets that tile the data exactly, byte counts that
 * match the shapes, BOOL bytes 0 or 1); every problem is an error naming
 * the file and what is wrong.  Tensors come back in the header's order. */
int vx_safetensors_save(const char *path, const char *const *names, VxTensor *const *tensors, int n,
                        const char *const *meta_keys, const char *const *meta_values, int nmeta);

typedef struct VxSafetensors VxSafetensors;  /* a loaded file (opaque) */
VxSafetensors *vx_safetensors_load(const char *path);
/* The same from n bytes in memory; what names them in errors. */
VxSafetensors *vx_safetensors_parse(const void *bytes, size_t n, const char *what);
void vx_safetensors_free(VxSafetensors *f);  /* NULL is allowed */
int vx_safetensors_count(const VxSafetensors *f);
const char *vx_safetensors_name(const VxSafetensors *f, int i);  /* NULL if out of range */
VxTensor *vx_safetensors_tensor(const VxSafetensors *f, int i);  /* new reference, or NULL */
int vx_safetensors_find(const VxSafetensors *f, const char *name);  /* index, or -1 (no error) */
VxTensor *vx_safetensors_get(const VxSafetensors *f, const char *name);  /* NULL + error if absent */
int vx_safetensors_meta_count(const VxSafetensors *f);
const char *vx_safetensors_meta_key(const VxSafetensors *f, int i);
const char *vx_safetensors_meta_value(const VxSafetensors *f, int i);
const char *vx_safetensors_meta_get(const VxSafetensors *f, const char *key);  /* NULL if absent */

#endif
