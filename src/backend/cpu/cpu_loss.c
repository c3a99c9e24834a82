/* cpu_loss.c - fused CPU kernels for class-index losses (cross entropy
 * with label smoothing, and nll): one row of logits per target, classes
 * last (contracts in tensor_nn.h). */
#include <math.h>

#include "cpu_nn.h"

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

/* loss = -(1 - eps) * logp[t] - eps / C * sum_c logp[c].
 * Memory traffic: read each logit once, read each target once, write one
 * loss per row. */
int vx_cpu_class_loss(VxTensor *loss, int64_t *count, const VxTensor *x, const VxTensor *target,
                      int64_t ignore_index, double smoothing, bool log_probs)
{
    int64_t C = vx__row_len(x);
    const VxTensor *ops[3] = { x, target, loss };
    VxIter it;
    *count = 0;
    if (!vx__rows_init(&it, ops, 3)) return 0;
    double *r = vx__scratch(C);
    if (!r) return -1;
    int rc = 0;
    do {
        int64_t t = row_target(target, it.off[1], ignore_index, C);
        if (t == -2) { rc = -1; break; }
        double l = 0;
        if (t >= 0) {
            vx__row_load(r, x, it.off[0], C);
            if (!log_probs) log_softmax_row(r, C);
            double all = 0;
            for (int64_t i = 0; smoothing != 0 && i < C; i++) all += r[i];
            l = -(1 - smoothing) * r[t] - smoothing / (double)C * all;
            ++*count;
        }
        vx__store_f64(loss->storage->data, loss->dtype, it.off[2], l);
    } while (vx__iter_next(&it));
    vx__scratch_free(r, C);
    return rc;
}

/* d loss / d logit_c = softmax_c - (1 - eps) [c == t] - eps / C (0 for an
 * ignored row); for log-probabilities d loss / d logp_c = -[c == t].  Each
 * row is scaled by its g.  The softmax is recomputed from the logits, so
 * nothing of size N x C is kept between forward and backward.
 * Memory traffic: read each logit once, write each dx once, read g and
 * the targets once per row. */
int vx_cpu_class_loss_backward(VxTensor *dx, const VxTensor *g, const VxTensor *x,
                               const VxTensor *target, int64_t ignore_index, double smoothing,
                               bool log_probs)
{
    int64_t C = vx__row_len(x);
    const VxTensor *ops[4] = { x, target, g, dx };
    VxIter it;
    if (!vx__rows_init(&it, ops, 4)) return 0;
    double *r = vx__scratch(C);
    if (!r) return -1;
    int rc = 0;
    do {
        int64_t t = row_target(target, it.off[1], ignore_index, C);
        if (t == -2) { rc = -1; break; }
        double gr = vx__load_f64(g->storage->data, g->dtype, it.off[2]);
        if (t < 0 || log_probs) {
            for (int64_t i = 0; i < C; i++) r[i] = 0;
            if (t >= 0) r[t] = -gr;
        } else {
            vx__row_load(r, x, it.off[0], C);
            log_softmax_row(r, C);
            for (int64_t i = 0; i < C; i++)
                r[i] = gr * (exp(r[i]) - (i == t ? 1 - smoothing : 0) - smoothing / (double)C);
        }
        vx__row_store(dx, it.off[3], r, C);
    } while (vx__iter_next(&it));
    vx__scratch_free(r, C);
    return rc;
}
