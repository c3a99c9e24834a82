/* sched.c - learning-rate schedules as pure functions of the step
 * (tensor_optim.h has the formulas).  The warmup-then-decay forms are the
 * LambdaLR definitions used by transformers' get_cosine_schedule_with_warmup
 * and get_linear_schedule_with_warmup, with a floor min_lr; the cosine part
 * is CosineAnnealingLR's closed form. */
#include <math.h>

#include "tensor_internal.h"
#include "tensor_optim.h"

static double bad(const char *what, double v)
{
    vx_tensor_set_error("learning-rate schedule: %s (got %g)", what, v);
    return NAN;
}

static double check_common(double base_lr, int64_t step)
{
    if (!(base_lr >= 0) || isinf(base_lr)) return bad("the base learning rate must be finite and non-negative", base_lr);
    if (step < 0) return bad("the step must be non-negative", (double)step);
    return 0;
}

double vx_lr_step(double base_lr, int64_t step, int64_t step_size, double gamma)
{
    if (isnan(check_common(base_lr, step))) return NAN;
    if (step_size < 1) return bad("step_size must be at least 1", (double)step_size);
    if (!(gamma >= 0) || isinf(gamma)) return bad("gamma must be finite and non-negative", gamma);
    return base_lr * pow(gamma, (double)(step / step_size));
}

/* The shared warmup and argument checks of the two decays; *done is set
 * when the result is already known (warmup, past the end, or an error). */
static double warmup(double base_lr, int64_t step, int64_t warm, int64_t total, double min_lr, bool *done)
{
    *done = true;
    if (isnan(check_common(base_lr, step))) return NAN;
    if (warm < 0) return bad("warmup_steps must be non-negative", (double)warm);
    if (total <= warm) return bad("total_steps must be greater than warmup_steps", (double)total);
    if (!(min_lr >= 0) || isinf(min_lr)) return bad("min_lr must be finite and non-negative", min_lr);
    if (step < warm) return base_lr * (double)step / (double)warm;
    if (step >= total) return min_lr;
    *done = false;
    return 0;
}

double vx_lr_cosine(double base_lr, int64_t step, int64_t warm, int64_t total, double min_lr)
{
    bool done;
    double lr = warmup(base_lr, step, warm, total, min_lr, &done);
    if (done) return lr;
    const double pi = 3.14159265358979323846;   /* math.pi */
    return min_lr + (base_lr - min_lr) * (1 + cos(pi * (double)(step - warm) / (double)(total - warm))) / 2;
}

double vx_lr_linear(double base_lr, int64_t step, int64_t warm, int64_t total, double min_lr)
{
    bool done;
    double lr = warmup(base_lr, step, warm, total, min_lr, &done);
    if (done) return lr;
    return min_lr + (base_lr - min_lr) * (double)(total - step) / (double)(total - warm);
}

double vx_lr_at(VxSchedKind kind, double base_lr, int64_t step, int64_t n1, int64_t n2, double x)
{
    switch (kind) {
    case VX_SCHED_CONSTANT: return isnan(check_common(base_lr, step)) ? NAN : base_lr;
    case VX_SCHED_STEP: return vx_lr_step(base_lr, step, n1, x);
    case VX_SCHED_COSINE: return vx_lr_cosine(base_lr, step, n1, n2, x);
    case VX_SCHED_LINEAR: return vx_lr_linear(base_lr, step, n1, n2, x);
    default: return bad("unknown schedule kind", (double)kind);
    }
}
