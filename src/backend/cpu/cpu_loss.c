/* cpu_loss.c - fused CPU kernels for class-index losses (cross entropy
 * with label smoothing, and nll): one row of logits per target, classes
 * last (contracts in tensor_nn.h). */
#include <math.h>

#include "cpu_nn.h"                         /* first: its vectoriser pragma covers cpu_fastmath.h */
#include "cpu_fastmath.h"

/* The target of a row, or -1 for ignored; -2 + error when out of range. */
static int64_t row_target(const VxTensor *target, int64_t off, int64_t ignore, int64_t C)
{
    int64_t t = vx__load_i64(target->storage->data, target->dtype, off);
    if (t == ignore) return -1;
    if (t >= 0 && t < C) return t;
    vx_tensor_set_error("class target %lld is out of bounds for %lld classes "
                        "(valid targets are 0 .. %lld, or the ignore_index %lld)",
                        (long long)t, (long long)C, (long long)C - 1, (long long)ignore);
    return -2;
}

/* r: one row of logits in place -> log-probabilities (max-subtracted). */
static void log_softmax_row(double *r, int64_t C)
{
    double mx = -INFINITY, sum = 0;
    for (int64_t i = 0; i < C; i++) mx = r[i] > mx ? r[i] : mx;
    for (int64_t i = 0; i < C; i++) sum += exp(r[i] - mx);
    double lse = mx + log(sum);
    for (int64_t i = 0; i < C; i++) r[i] -= lse;
}

/* What a row function needs; out is the loss (forward) or dx (backward). */
typedef struct ClassArgs {
    const VxTensor *x, *target, *g;
    VxTensor *out;
    int64_t ignore, C, count;
    double eps;
    bool log_probs;
    bool f32;                               /* logits f32 with contiguous rows: cpu_rows_f32.c */
} ClassArgs;
typedef void (*ClassRowFn)(ClassArgs *a, const int64_t *off, int64_t t, double *r);

/* Calls fn on every row (off: x, target, out, g) with its checked target
 * (-1 if ignored) and a C-double scratch row. */
static int each_class_row(ClassArgs *a, ClassRowFn fn)
{
    const VxTensor *ops[4] = { a->x, a->target, a->out, a->g };
    VxIter it;
    if (!vx__rows_init(&it, ops, a->g ? 4 : 3)) return 0;
    a->f32 = !a->log_probs && vx__f32_rows(&a->x, 1, a->C) && (!a->g || a->out->dtype == VX_F32)
             && vx__f32_rows((const VxTensor *const *)&a->out, a->g ? 1 : 0, a->C);
    double *r = vx__scratch(a->C);
    if (!r) return -1;
    int rc = 0;
    do {
        int64_t t = row_target(a->target, it.off[1], a->ignore, a->C);
        if (t == -2) { rc = -1; break; }
        fn(a, it.off, t, r);
    } while (vx__iter_next(&it));
    vx__scratch_free(r, a->C);
    return rc;
}

/* loss = -(1 - eps) * logp[t] - eps / C * sum_c logp[c]. */
static void loss_row(ClassArgs *a, const int64_t *off, int64_t t, double *r)
{
    double l = 0, all = 0, lt;
    if (t >= 0 && a->f32) {
        const float *x = vx__f32_at(a->x, off[0]);
        float mx, ls = vx__f32_log_sum_exp((float *)r, x, a->C, &mx);
        lt = (x[t] - mx) - ls;
        if (a->eps != 0) all = vx__f32_sum(x, a->C) - (double)a->C * ((double)mx + ls);
    } else if (t >= 0) {
        vx__row_load(r, a->x, off[0], a->C);
        if (!a->log_probs) log_softmax_row(r, a->C);
        for (int64_t i = 0; a->eps != 0 && i < a->C; i++) all += r[i];
        lt = r[t];
    }
    if (t >= 0) {
        l = -(1 - a->eps) * lt - a->eps / (double)a->C * all;
        a->count++;
    }
    vx__store_f64(a->out->storage->data, a->out->dtype, off[2], l);
}

/* Memory traffic: read each logit once, read each target once, write one
 * loss per row. */
int vx_cpu_class_loss(VxTensor *loss, int64_t *count, const VxTensor *x, const VxTensor *target,
                      int64_t ignore_index, double smoothing, bool log_probs)
{
    ClassArgs a = { x, target, NULL, loss, ignore_index, vx__row_len(x), 0, smoothing, log_probs };
    int rc = each_class_row(&a, loss_row);
    *count = a.count;
    return rc;
}

/* grad_row on f32 contiguous logits and dx (tmp: C floats). */
static void grad_row_f32(ClassArgs *a, const int64_t *off, int64_t t, double gr, float *tmp)
{
    int64_t C = a->C;
    const float *x = vx__f32_at(a->x, off[0]);
    float *dx = vx__f32_at(a->out, off[2]), mx, ls = vx__f32_log_sum_exp(tmp, x, C, &mx);
    float g = (float)gr, off_t = (float)(a->eps / (double)C);
    float *restrict d = dx;
    for (int64_t i = 0; i < C; i++) d[i] = g * (vx_expf_fast((x[i] - mx) - ls) - off_t);
    dx[t] -= g * (float)(1 - a->eps);
}

/* d loss / d logit_c = softmax_c - (1 - eps) [c == t] - eps / C (0 for an
 * ignored row); for log-probabilities d loss / d logp_c = -[c == t].  Each
 * row is scaled by its g. */
static void grad_row(ClassArgs *a, const int64_t *off, int64_t t, double *r)
{
    int64_t C = a->C;
    double gr = vx__load_f64(a->g->storage->data, a->g->dtype, off[3]);
    if (t >= 0 && a->f32) {
        grad_row_f32(a, off, t, gr, (float *)r);
        return;
    }
    if (t < 0 || a->log_probs) {
        for (int64_t i = 0; i < C; i++) r[i] = 0;
        if (t >= 0) r[t] = -gr;
    } else {
        vx__row_load(r, a->x, off[0], C);
        log_softmax_row(r, C);
        for (int64_t i = 0; i < C; i++)
            r[i] = gr * (exp(r[i]) - (i == t ? 1 - a->eps : 0) - a->eps / (double)C);
    }
    vx__row_store(a->out, off[2], r, C);
}

/* The softmax is recomputed from the logits, so nothing of size N x C is
 * kept between forward and backward.  Memory traffic: read each logit
 * once, write each dx once, read g and the targets once per row. */
int vx_cpu_class_loss_backward(VxTensor *dx, const VxTensor *g, const VxTensor *x,
                               const VxTensor *target, int64_t ignore_index, double smoothing,
                               bool log_probs)
{
    ClassArgs a = { x, target, g, dx, ignore_index, vx__row_len(x), 0, smoothing, log_probs };
    return each_class_row(&a, grad_row);
}
